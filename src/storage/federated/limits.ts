/**
 * FEDERATED's named constants.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/federated-storage-engine.html (16.8)
 * @req FEDERATED-042 FEDERATED-083
 */

/** The only scheme a CONNECTION URL may name. @req FEDERATED-042 */
export const FEDERATED_SCHEME = 'mysql';

/** The port used when the CONNECTION string or the server gives none (MYSQL_PORT). @req FEDERATED-042 */
export const DEFAULT_REMOTE_PORT = 3306;

/** The socket libmysqlclient uses for host 'localhost' (or no host) without a port (MYSQL_UNIX_ADDR). */
export const DEFAULT_REMOTE_SOCKET = '/tmp/mysql.sock';

/** The number MySQL's FEDERATED gives a remote error it passes on (HA_FEDERATED_ERROR_WITH_REMOTE_SYSTEM), shown in 1296. */
export const REMOTE_SYSTEM_ERROR = 10000;

/** A remote error's text is cut to this many bytes inside 1296 (the %-.100s of ER_GET_ERRMSG). */
export const REMOTE_ERROR_TEXT_MAX = 100;

/**
 * A batched multi-row INSERT is sent before it would exceed this many bytes: the smaller of the
 * remote's max_allowed_packet (read on connect) and this cap, less a margin for the packet
 * header. @req FEDERATED-083
 */
export const BULK_INSERT_MAX_BYTES = 16 * 1024 * 1024;
/** Bytes left free in a batched INSERT for the packet overhead (MySQL keeps 64). @req FEDERATED-083 */
export const BULK_INSERT_PADDING = 64;

/** The records-in-range estimate for an index read (the remote's statistics are not consulted per range). */
export const RECORDS_IN_RANGE = 2;

/** Idle connections a FEDERATED table keeps to its remote for the next statements (more are closed). */
export const MAX_IDLE_CONNECTIONS = 4;
