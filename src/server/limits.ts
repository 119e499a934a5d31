/**
 * Named limits of the server startup subsystem.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/option-files.html
 * @req CORE-SRV-002
 */

/** Deepest chain of !include / !includedir followed (guards against include cycles). CORE-SRV-002 */
export const MAX_INCLUDE_DEPTH = 10;
/** Largest option file read (a my.cnf is tiny; anything bigger is a mistake). CORE-SRV-002 */
export const MAX_OPTION_FILE_BYTES = 4 * 1024 * 1024;
/** How long shutdown waits for sessions to finish before closing their sockets. CORE-SRV-012 */
export const SHUTDOWN_GRACE_MS = 2000;
/** Length of the generated temporary root password (--initialize). CORE-SRV-021 */
export const TEMP_PASSWORD_LENGTH = 12;
/** Default TCP port. CORE-SRV-001 */
export const DEFAULT_PORT = 3306;
