/**
 * EXPLAIN for SELECT in the traditional tabular format: one row per table of the top query
 * block, showing the access method the planner chose (const / eq_ref / ref / range / ALL) and
 * the index it reads.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/explain-output.html
 * @req CORE-EXEC-043
 */
import type { ExplainStatement } from '../../sql/ast.js';
import { sqlError } from '../../kernel/errors.js';
import { ColumnFlag, MysqlType, type ResultColumn } from '../../kernel/column-type.js';
import type { Row } from '../../kernel/value.js';
import type { RowsResult } from '../../kernel/protocol-port.js';
import type { Session } from '../session.js';
import { makeRuntime } from './runtime.js';
import { planSelect } from './select.js';

function col(name: string, type: number, length: number, flags = 0, charsetId = 255, decimals = 0): ResultColumn {
  return { schema: '', table: '', orgTable: '', name, orgName: '', charsetId, length, type: type as ResultColumn['type'], flags, decimals };
}

const COLUMNS: ResultColumn[] = [
  col('id', MysqlType.LONGLONG, 3, ColumnFlag.NUM | ColumnFlag.BINARY, 63),
  col('select_type', MysqlType.VAR_STRING, 76, ColumnFlag.NOT_NULL),
  col('table', MysqlType.VAR_STRING, 256),
  col('partitions', MysqlType.VAR_STRING, 32764),
  col('type', MysqlType.VAR_STRING, 40),
  col('possible_keys', MysqlType.VAR_STRING, 16384),
  col('key', MysqlType.VAR_STRING, 256),
  col('key_len', MysqlType.VAR_STRING, 16384),
  col('ref', MysqlType.VAR_STRING, 4096),
  col('rows', MysqlType.LONGLONG, 10, ColumnFlag.NUM | ColumnFlag.BINARY | ColumnFlag.UNSIGNED, 63),
  col('filtered', MysqlType.FLOAT, 4, ColumnFlag.NUM | ColumnFlag.BINARY, 63, 2),
  col('Extra', MysqlType.VAR_STRING, 1020),
];

/** @req CORE-EXEC-043 */
export async function executeExplain(session: Session, stmt: ExplainStatement): Promise<RowsResult> {
  const inner = stmt.statement;
  if (inner.kind !== 'select' || (stmt.format !== undefined && stmt.format.toUpperCase() !== 'TRADITIONAL') || stmt.analyze) {
    throw sqlError('ER_NOT_SUPPORTED_YET', 'this EXPLAIN form');
  }
  const plan = await planSelect(session, inner);
  const rt = makeRuntime(session, []);
  const rows: Row[] = (plan.compiled.explain?.(rt) ?? []).map((r) => [
    1n,
    'SIMPLE',
    r.table,
    null,
    r.type,
    r.possibleKeys,
    r.key,
    r.keyLen,
    r.ref,
    r.rows === null ? null : BigInt(r.rows),
    r.table === null ? null : 100,
    r.extra,
  ]);
  return { kind: 'rows', columns: COLUMNS, rows };
}
