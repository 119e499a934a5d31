/**
 * The constants of EXPLAIN's cost model. The costs EXPLAIN prints are our own estimates, not
 * MySQL's (whose cost model weighs pages, buffer-pool residency and its own statistics): each
 * row a table read examines costs ROW_READ_COST, each row a step produces ROW_EVALUATE_COST,
 * and a condition keeps the share of rows its kind suggests. Only the layout of the output
 * (keys, nesting, the form of the numbers) is MySQL's.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/cost-model.html
 * @req CORE-EXPLAIN-004
 */

/** Cost of examining one row of a table (a scan or an index read). @req CORE-EXPLAIN-004 */
export const ROW_READ_COST = 0.25;

/** Cost of producing one row from a step (evaluating its conditions). @req CORE-EXPLAIN-004 */
export const ROW_EVALUATE_COST = 0.1;

/** Cost of sorting, per row sorted. @req CORE-EXPLAIN-004 */
export const ROW_SORT_COST = 0.1;

/** Share of rows an equality (=, <=>, IN, IS NULL) keeps. @req CORE-EXPLAIN-004 */
export const EQUALITY_SELECTIVITY = 0.1;

/** Share of rows an inequality (<, <=, >, >=, <>) keeps. @req CORE-EXPLAIN-004 */
export const INEQUALITY_SELECTIVITY = 1 / 3;

/** Share of rows a BETWEEN keeps. @req CORE-EXPLAIN-004 */
export const BETWEEN_SELECTIVITY = 1 / 9;

/** Share of rows any other condition (LIKE, functions, subqueries) keeps. @req CORE-EXPLAIN-004 */
export const OTHER_SELECTIVITY = 0.5;

/** Rows assumed for a table whose engine reports no count (information_schema, derived tables
 *  whose estimate is unknown). @req CORE-EXPLAIN-004 */
export const UNKNOWN_TABLE_ROWS = 2;
