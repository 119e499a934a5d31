/**
 * The executor's entry to the parser: text -> statements, with the session's sql_mode flags
 * that change lexing.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/sql-statements.html
 * @req CORE-EXEC-002
 */
import type { Statement } from '../sql/ast.js';
import { parse } from '../sql/parser/index.js';

export function parseStatements(sql: string, sqlMode: ReadonlySet<string>, allowParams: boolean): Statement[] {
  return parse(sql, { sqlMode, allowParams });
}
