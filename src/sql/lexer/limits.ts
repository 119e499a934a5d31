/**
 * Limits of the lexer and parser.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/language-structure.html
 * @req CORE-SQL-006
 */

/** Deepest nesting of expressions / subqueries before the parser reports 'memory exhausted'
 *  (MySQL's parser stack has a similar bound); keeps recursion far from Node's stack limit.
 *  @req CORE-SQL-006 */
export const MAX_PARSE_DEPTH = 400;

/** Executable comments `/*!NNNNN ... *\/` run when NNNNN is at most this version (8.0.40).
 *  @req CORE-SQL-007 */
export const SERVER_VERSION_ID = 80040;
