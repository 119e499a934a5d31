/**
 * SELECT execution entry points.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/select.html
 * @req CORE-EXEC-030
 */
import type { SelectStatement } from '../../sql/ast.js';
import { sqlError } from '../../sql/errors.js';
import type { ResultColumn } from '../../sql/types/column-type.js';
import type { Row, Value } from '../../sql/types/value.js';
import type { RowsResult, StatementResult } from '../session-api.js';
import type { Session } from '../session.js';

export interface SelectResult {
  columns: ResultColumn[];
  rows: Row[];
}

/** Run a query and return its columns and rows (also used by CREATE TABLE ... SELECT). */
export async function runSelect(_session: Session, _stmt: SelectStatement, _params: Value[] = []): Promise<SelectResult> {
  throw sqlError('ER_NOT_SUPPORTED_YET', 'SELECT');
}

export async function executeSelect(session: Session, stmt: SelectStatement, params: Value[]): Promise<StatementResult> {
  const r = await runSelect(session, stmt, params);
  const out: RowsResult = { kind: 'rows', columns: r.columns, rows: r.rows };
  return out;
}

export async function describeSelect(_session: Session, _stmt: SelectStatement): Promise<ResultColumn[]> {
  return [];
}
