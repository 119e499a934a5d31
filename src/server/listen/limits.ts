/**
 * Named constants of the listener layer: default ports, the wildcard spellings, and the bounds
 * on what the reserved X Protocol listener reads before it answers.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/network-namespace-support.html (5.1.14)
 * @req NETNS-030 NETNS-032 NETNS-038 NETNS-039
 */

/** Port of the administrative interface when admin_port is not given (or given as 0). @req NETNS-038 */
export const ADMIN_PORT_DEFAULT = 33062;

/** Port of the X Protocol listener (mysqlx_port) by default. @req NETNS-039 */
export const MYSQLX_PORT_DEFAULT = 33060;

/**
 * The spellings that mean "every interface". MySQL compares them case-insensitively and only up to
 * the length of the candidate, so any prefix of one of them (including the empty string) counts as
 * a wildcard too; the parser reproduces that. @req NETNS-032
 */
export const WILDCARD_ADDRESSES: readonly string[] = ['*', '::', '0.0.0.0'];

/** Backlog of every TCP listener when back_log is unavailable (MySQL's default back_log). @req NETNS-030 */
export const DEFAULT_BACKLOG = 151;

/**
 * Largest X Protocol frame payload the reserved listener waits for before it answers anyway: the
 * first client message (CapabilitiesGet, a few bytes) is tiny. @req NETNS-039
 */
export const MYSQLX_FIRST_FRAME_MAX = 64 * 1024;

/** Mysqlx.ServerMessages.Type.ERROR: the frame type of a Mysqlx.Error message. @req NETNS-039 */
export const MYSQLX_SERVER_ERROR_TYPE = 1;

/** Mysqlx.Error.Severity.FATAL: the session cannot continue. @req NETNS-039 */
export const MYSQLX_SEVERITY_FATAL = 1;
