/**
 * Named limits and defaults of the `refmysql` command-line client.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/mysql-command-options.html
 * @req CLIENT-001 CLIENT-002 CLIENT-004 CLIENT-008 CLIENT-011 CLIENT-013 CLIENT-016
 */

/** TCP port used when neither -P nor --port is given (MySQL's registered port). CLIENT-001 */
export const DEFAULT_PORT = 3306;
/** Address that the host name `localhost` means for TCP (see the spec decision on localhost). CLIENT-001 */
export const LOCALHOST_TCP_ADDRESS = '127.0.0.1';
/** Largest payload we announce and accept: 1 GiB, the protocol's max_allowed_packet ceiling. CLIENT-002 */
export const CLIENT_MAX_PACKET = 1024 * 1024 * 1024;
/** Collation id sent in HandshakeResponse41: utf8mb4_0900_ai_ci, mysql 8.0's default. CLIENT-002 */
export const CLIENT_COLLATION_ID = 255;
/** Upper bound on --connect-timeout (seconds), so a typo cannot make a wait unbounded. CLIENT-016 */
export const MAX_CONNECT_TIMEOUT_S = 31_536_000;
/** Bytes of a statement buffer the REPL keeps before refusing more (guards a runaway paste). CLIENT-013 */
export const MAX_STATEMENT_BYTES = 256 * 1024 * 1024;
/** Longest column the table printer pads to, as mysql's MAX_COLUMN_LENGTH. CLIENT-008 */
export const MAX_COLUMN_LENGTH = 1024;
/** Longest scramble (auth plugin data) accepted from a greeting. CLIENT-002 */
export const MAX_SCRAMBLE_BYTES = 64;
/** Result sets read after one COM_QUERY before we give up (a bounded loop over MORE_RESULTS). CLIENT-011 */
export const MAX_RESULT_SETS = 1_000_000;
/** Authentication packets exchanged after HandshakeResponse41 before we give up (switch + sha2 rounds need at most 4). CLIENT-004 */
export const MAX_AUTH_ROUNDS = 8;
/** Largest column count accepted for a result set (a sanity bound on a corrupt count). CLIENT-011 */
export const MAX_RESULT_COLUMNS = 65_536;
