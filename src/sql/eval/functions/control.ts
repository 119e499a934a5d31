/**
 * Function family: control (being filled in).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/functions.html
 * @req CORE-EXPR-004
 */
export {};
