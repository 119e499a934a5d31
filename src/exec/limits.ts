/**
 * Named limits of the executor.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/limits.html
 * @req CORE-EXEC-004
 */

/** Maximum prepared statements per server (max_prepared_stmt_count default). CORE-EXEC-020 */
export const MAX_PREPARED_STMT_COUNT = 16382;
/** Recursion bound of WITH RECURSIVE (cte_max_recursion_depth default). CORE-EXEC-040 */
export const CTE_MAX_RECURSION_DEPTH = 1000;
/** Most tables in one join (ER_TOO_MANY_TABLES). CORE-EXEC-030 */
export const MAX_JOIN_TABLES = 61;
/** Placeholders per prepared statement (ER_PS_MANY_PARAM). CORE-EXEC-020 */
export const MAX_PLACEHOLDERS = 65535;
/** How often (in rows) long loops look at the KILL QUERY flag. CORE-EXEC-012 */
export const INTERRUPT_CHECK_INTERVAL = 256;
