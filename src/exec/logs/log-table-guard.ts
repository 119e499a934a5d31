/**
 * What statements may do to the log tables mysql.general_log and mysql.slow_log: read them,
 * and TRUNCATE them; writing rows into them (INSERT, REPLACE, UPDATE, DELETE, LOAD DATA) and
 * LOCK TABLES on them are refused with 1556, as MySQL refuses any lock on a log table that
 * could hold up logging. While logging goes to a log table, ALTER and DROP of it are refused
 * with 1580, and RENAME is allowed only as a swap that puts another table in its place (1581).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/log-destinations.html (5.4.1)
 * @req CORE-LOG-022 CORE-LOG-023
 */
import type { Statement, TableName, TableRef } from '../../sql/ast.js';
import { sqlError } from '../../kernel/errors.js';
import type { QueryLogPort } from './query-log-port.js';

export type LogTableName = 'general_log' | 'slow_log';

/** The statement kinds this guard looks at (everything else passes without a look). */
export const LOG_TABLE_GUARDED: ReadonlySet<Statement['kind']> = new Set<Statement['kind']>([
  'insert', 'update', 'delete', 'load_data', 'lock_tables', 'alter_table', 'drop_table', 'rename_table', 'truncate',
]);

/** Whether `t` (in default schema `schema`) names a log table. */
export function logTableOf(t: TableName, schema: string | null): LogTableName | null {
  const db = t.schema ?? schema;
  // Cheap for every other schema: no string is built unless the name has mysql's length.
  if (db === null || db.length !== 5 || db.toLowerCase() !== 'mysql') return null;
  const n = t.name.toLowerCase();
  return n === 'general_log' || n === 'slow_log' ? n : null;
}

function namesOf(refs: readonly TableRef[], out: TableName[]): TableName[] {
  for (const r of refs) {
    if (r.type === 'table') out.push(r.table);
    else if (r.type === 'join') namesOf([r.left, r.right], out);
  }
  return out;
}

/** Tables a statement writes rows into or locks. */
function writtenTables(stmt: Statement): TableName[] {
  switch (stmt.kind) {
    case 'insert':
    case 'load_data':
      return [stmt.table];
    case 'update':
      return namesOf(stmt.tables, []);
    case 'delete':
      return stmt.targets;
    case 'lock_tables':
      return stmt.locks.map((l) => l.table);
    default:
      return [];
  }
}

/** @req CORE-LOG-022 CORE-LOG-023 */
export function guardLogTables(stmt: Statement, schema: string | null, log: QueryLogPort | undefined): void {
  switch (stmt.kind) {
    case 'alter_table':
      return refuseWhileLogging([stmt.table], schema, log, 'ALTER');
    case 'drop_table':
      return refuseWhileLogging(stmt.tables, schema, log, 'DROP');
    case 'rename_table':
      return guardRename(stmt.pairs, schema, log);
    case 'truncate':
      // The table's storage is recreated: the logger lets go of its handle first.
      if (logTableOf(stmt.table, schema) !== null) log?.releaseTables();
      return;
    case 'insert':
    case 'load_data':
      // The common case, without building a list.
      if (logTableOf(stmt.table, schema) !== null) throw sqlError('ER_CANT_LOCK_LOG_TABLE');
      return;
    default:
      for (const t of writtenTables(stmt)) {
        if (logTableOf(t, schema) !== null) throw sqlError('ER_CANT_LOCK_LOG_TABLE');
      }
  }
}

/**
 * RENAME TABLE while logging goes to a log table: the log table may only be swapped (renamed
 * away while another table is renamed to its name in the same statement), else 1581.
 * @req CORE-LOG-023
 */
function guardRename(pairs: ReadonlyArray<{ from: TableName; to: TableName }>, schema: string | null, log: QueryLogPort | undefined): void {
  let touches = false;
  for (const p of pairs) {
    const from = logTableOf(p.from, schema);
    if (from !== null || logTableOf(p.to, schema) !== null) touches = true;
    if (from === null || !log?.logsToTable(from)) continue;
    if (!pairs.some((q) => logTableOf(q.to, schema) === from)) throw sqlError('ER_CANT_RENAME_LOG_TABLE', from, from);
  }
  if (touches) log?.releaseTables();
}

function refuseWhileLogging(tables: readonly TableName[], schema: string | null, log: QueryLogPort | undefined, verb: string): void {
  for (const t of tables) {
    const which = logTableOf(t, schema);
    if (which !== null && log?.logsToTable(which)) throw sqlError('ER_BAD_LOG_STATEMENT', verb);
    if (which !== null) log?.releaseTables();
  }
}
