/**
 * performance_schema's thread numbering: the THREAD_ID of a connection thread is its connection
 * (PROCESSLIST) id plus a fixed offset, as in MySQL, where the server's background threads are
 * numbered first. metadata_locks, data_locks, threads, the statement tables and
 * PS_CURRENT_THREAD_ID() all use it.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/performance-schema-threads-table.html
 * @req CORE-MDL-011 CORE-PFS-010
 */

/** THREAD_ID minus PROCESSLIST_ID of a connection thread. @req CORE-PFS-010 */
export const PS_THREAD_ID_OFFSET = 47;
