/**
 * Public entry points of the SQL parser: split a COM_QUERY text into statements, parse one
 * statement, or parse a stand-alone expression (stored DEFAULT / generated column text).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/sql-statements.html
 * @req CORE-SQL-001 CORE-SQL-002
 */
import type { Expr, ParseOptions, Statement } from '../ast.js';
import { sqlError } from '../errors.js';

export type { ParseOptions } from '../ast.js';

/** Parse every ';'-separated statement of `text`. */
export function parse(text: string, opts?: ParseOptions): Statement[] {
  void text; void opts;
  throw sqlError('ER_NOT_SUPPORTED_YET', 'parser');
}

/** Parse exactly one statement (a trailing ';' is allowed). */
export function parseOne(text: string, opts?: ParseOptions): Statement {
  void text; void opts;
  throw sqlError('ER_NOT_SUPPORTED_YET', 'parser');
}

/** Parse one expression, e.g. the stored text of a generated column or DEFAULT (expr). */
export function parseExpression(text: string, opts?: ParseOptions): Expr {
  void text; void opts;
  throw sqlError('ER_NOT_SUPPORTED_YET', 'parser');
}
