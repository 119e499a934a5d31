/**
 * Sizes of performance_schema's buffers, as MySQL 8.0 sizes them by default; the matching
 * read-only system variables report these values.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/performance-schema-system-variables.html
 * @req CORE-PFS-012 CORE-PFS-023 CORE-PFS-024 CORE-PFS-030
 */

/** Statements kept per thread in events_statements_history (performance_schema_events_statements_history_size). @req CORE-PFS-012 */
export const PFS_STATEMENTS_HISTORY_SIZE = 10;

/** Rows of events_statements_summary_by_digest (performance_schema_digests_size); statements
 *  of further digests are counted in the row whose SCHEMA_NAME and DIGEST are NULL. @req CORE-PFS-023 */
export const PFS_DIGESTS_SIZE = 10000;

/** Longest normalised statement text kept for a digest (performance_schema_max_digest_length). @req CORE-PFS-023 */
export const PFS_MAX_DIGEST_LENGTH = 1024;

/** Longest SQL_TEXT / QUERY_SAMPLE_TEXT kept (performance_schema_max_sql_text_length). @req CORE-PFS-012 */
export const PFS_MAX_SQL_TEXT_LENGTH = 1024;

/** How long a digest's query sample is kept before any newer statement may replace it
 *  (performance_schema_max_digest_sample_age's default, in ms). @req CORE-PFS-024 */
export const DIGEST_SAMPLE_AGE_MS = 60_000;

/** Statement texts whose digest is remembered, so a repeated statement is not normalised again
 *  (ours; the cache is emptied when full). @req CORE-PFS-030 */
export const PFS_DIGEST_CACHE_SIZE = 2048;

/** THREAD_ID of the server's main (background) thread; connection threads follow at
 *  connection id + PS_THREAD_ID_OFFSET (exec/locks/limits.ts). @req CORE-PFS-010 */
export const PFS_MAIN_THREAD_ID = 1;
