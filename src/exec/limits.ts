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
/** How often (in rows examined) the executor pauses: it checks KILL QUERY and
 *  max_execution_time, and lets other sessions run when its time slice is used. CORE-EXEC-012 CORE-CONC-001 */
export const INTERRUPT_CHECK_INTERVAL = 256;
/** Time a statement may run before it gives the event loop a turn (other sessions' statements,
 *  KILL QUERY arriving on another connection). CORE-CONC-001 */
export const EXEC_TIME_SLICE_MS = 4;
/** Rows asked of a storage engine cursor at a time. CORE-CONC-010 */
export const CURSOR_FILL_BATCH = 64;
/** Rows a SELECT computes before it returns its result, when a column's type is known only from
 *  its values (user variables, parameters). CORE-CONC-010 */
export const DYNAMIC_TYPE_BATCH = 256;
/** Longest name the server gives an unaliased select item (MySQL's MAX_ALIAS_NAME): the text of a
 *  longer expression is cut to this many characters. CORE-DIAG-011 */
export const MAX_ALIAS_NAME = 256;
/** Cached statements one shape may have (texts whose kept literals differ, or whose lifted
 *  literals differ in type); further texts of the shape are parsed as usual. CORE-PERF-013 */
export const STATEMENT_CACHE_VARIANTS = 16;
/** Quick keys (texts with their plain literals cut out) remembered per cached shape; past
 *  capacity times this many the map starts again empty. CORE-PERF-017 */
export const STATEMENT_CACHE_QUICK_KEYS_PER_ENTRY = 4;
