/**
 * Limits and fixed values of the query logs.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/log-destinations.html (5.4.1)
 * @req CORE-LOG-001 CORE-LOG-010 CORE-LOG-022
 */

/** Permission bits of a newly created log file (owner read/write, group read). @req CORE-LOG-001 */
export const LOG_FILE_MODE = 0o640;

/** Longest time a slow_log row can hold (TIME's upper bound, 838:59:59), in microseconds. @req CORE-LOG-010 */
export const SLOW_LOG_MAX_TIME_US = (838n * 3600n + 59n * 60n + 59n) * 1_000_000n;

/** Largest value of the slow_log INT columns (rows_sent, rows_examined). @req CORE-LOG-010 */
export const SLOW_LOG_INT_MAX = 2147483647;

/** Rows waiting while a log table is being opened; beyond this, new entries are dropped (and
 *  one error is logged) rather than letting memory grow. @req CORE-LOG-022 */
export const MAX_PENDING_LOG_ROWS = 10000;
