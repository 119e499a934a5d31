/**
 * LOCK TABLES and UNLOCK TABLES, and the rule they impose on the session's later statements:
 * only locked tables may be used, and only READ-locked tables may not be written.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/lock-tables.html (15.3.6)
 * @req CORE-EXEC-014
 */
import type { LockTablesStatement } from '../../sql/ast.js';
import { sqlError } from '../../kernel/errors.js';
import type { OkResult } from '../../kernel/protocol-port.js';
import type { Session } from '../session.js';
import type { TableLockEntry } from './session-locks.js';

function done(): OkResult {
  return { kind: 'ok', affectedRows: 0n, lastInsertId: 0n };
}

/** @req CORE-EXEC-014 */
export async function executeLockTables(session: Session, stmt: LockTablesStatement): Promise<OkResult> {
  const entries: TableLockEntry[] = [];
  for (const l of stmt.locks) {
    const schema = l.table.schema ?? session.schema;
    if (schema === null) throw sqlError('ER_NO_DB_ERROR');
    const t = await session.deps.catalog.openTable(session, schema, l.table.name);
    if (!t) throw sqlError('ER_NO_SUCH_TABLE', schema, l.table.name);
    const e: TableLockEntry = { schema: t.def.schema, table: t.def.name, write: l.mode.includes('WRITE') };
    if (l.alias !== undefined) e.alias = l.alias;
    entries.push(e);
  }
  session.locks.lockedTables = entries;
  return done();
}

export async function executeUnlockTables(session: Session): Promise<OkResult> {
  if (session.locks.lockedTables && session.txn.explicit === false && !session.autocommit()) await session.txn.commit();
  session.locks.lockedTables = null;
  return done();
}

/**
 * Under LOCK TABLES only locked tables may be used: 1100 for others, 1099 for writing a
 * READ-locked table. `name` is the name or alias as written in the statement.
 * @req CORE-EXEC-014
 */
export function checkTableLock(session: Session, schema: string, table: string, alias: string | undefined, write: boolean): void {
  const locks = session.locks.lockedTables;
  if (!locks) return;
  const s = schema.toLowerCase();
  const t = table.toLowerCase();
  const a = alias?.toLowerCase();
  let found: TableLockEntry | undefined;
  for (const l of locks) {
    if (l.schema.toLowerCase() !== s || l.table.toLowerCase() !== t) continue;
    const la = l.alias?.toLowerCase();
    if (la !== undefined ? la === (a ?? t) : a === undefined || a === t) {
      found = l;
      if (!write || l.write) break;
    }
  }
  if (!found) {
    if (s === 'information_schema' || s === 'performance_schema') return;
    throw sqlError('ER_TABLE_NOT_LOCKED', alias ?? table);
  }
  if (write && !found.write) throw sqlError('ER_TABLE_NOT_LOCKED_FOR_WRITE', alias ?? table);
}
