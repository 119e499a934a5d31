/**
 * Transaction control and table locking statements: START TRANSACTION / BEGIN, COMMIT,
 * ROLLBACK [TO SAVEPOINT], SAVEPOINT, RELEASE SAVEPOINT, LOCK TABLES, UNLOCK TABLES.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/commit.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/savepoint.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/lock-tables.html
 * @req CORE-EXEC-010 CORE-EXEC-011 CORE-EXEC-014
 */
import type {
  CommitStatement,
  LockTablesStatement,
  ReleaseSavepointStatement,
  RollbackStatement,
  SavepointStatement,
  StartTransactionStatement,
} from '../sql/ast.js';
import { sqlError } from '../kernel/errors.js';
import type { OkResult } from '../kernel/protocol-port.js';
import type { Session, TableLockEntry } from './session.js';

function done(): OkResult {
  return { kind: 'ok', affectedRows: 0n, lastInsertId: 0n };
}

/** @req CORE-EXEC-010 */
export async function executeStartTransaction(session: Session, stmt: StartTransactionStatement): Promise<OkResult> {
  // START TRANSACTION implicitly commits and releases table locks.
  session.lockedTables = null;
  await session.beginTransaction(stmt.readOnly ? { readOnly: true } : stmt.readWrite ? { readOnly: false } : {});
  return done();
}

/** @req CORE-EXEC-010 */
export async function executeCommit(session: Session, stmt: CommitStatement): Promise<OkResult> {
  const ro = session.txn.readOnly;
  await session.commit();
  if (stmt.chain) await session.beginTransaction({ readOnly: ro });
  if (stmt.release) session.kill();
  return done();
}

/** @req CORE-EXEC-010 CORE-EXEC-011 */
export async function executeRollback(session: Session, stmt: RollbackStatement): Promise<OkResult> {
  if (stmt.toSavepoint !== undefined) {
    const name = stmt.toSavepoint;
    const idx = findSavepoint(session, name);
    if (idx < 0) throw sqlError('ER_SP_DOES_NOT_EXIST', 'SAVEPOINT', name);
    for (const t of session.txn.engines.values()) await t.rollbackToSavepoint?.(name);
    session.txn.savepoints.length = idx + 1;
    if (session.txn.nonTransactionalChanged) session.warn('Warning', 'ER_WARNING_NOT_COMPLETE_ROLLBACK');
    return done();
  }
  const ro = session.txn.readOnly;
  await session.rollback();
  if (stmt.chain) await session.beginTransaction({ readOnly: ro });
  if (stmt.release) session.kill();
  return done();
}

function findSavepoint(session: Session, name: string): number {
  const lower = name.toLowerCase();
  for (let i = session.txn.savepoints.length - 1; i >= 0; i--) {
    if (session.txn.savepoints[i]!.toLowerCase() === lower) return i;
  }
  return -1;
}

/** @req CORE-EXEC-011 */
export async function executeSavepoint(session: Session, stmt: SavepointStatement): Promise<OkResult> {
  // Outside a transaction (autocommit) a savepoint is accepted and forgotten at once.
  if (!session.inTransaction()) return done();
  const idx = findSavepoint(session, stmt.name);
  if (idx >= 0) session.txn.savepoints.splice(idx, 1);
  session.txn.savepoints.push(stmt.name);
  for (const t of session.txn.engines.values()) t.savepoint?.(stmt.name);
  return done();
}

/** @req CORE-EXEC-011 */
export async function executeReleaseSavepoint(session: Session, stmt: ReleaseSavepointStatement): Promise<OkResult> {
  const idx = findSavepoint(session, stmt.name);
  if (idx < 0) throw sqlError('ER_SP_DOES_NOT_EXIST', 'SAVEPOINT', stmt.name);
  for (const t of session.txn.engines.values()) t.releaseSavepoint?.(stmt.name);
  session.txn.savepoints.length = idx;
  return done();
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
  session.lockedTables = entries;
  return done();
}

export async function executeUnlockTables(session: Session): Promise<OkResult> {
  if (session.lockedTables && session.txn.explicit === false && !session.autocommit()) await session.commit();
  session.lockedTables = null;
  return done();
}

/**
 * Under LOCK TABLES only locked tables may be used: 1100 for others, 1099 for writing a
 * READ-locked table. `name` is the name or alias as written in the statement.
 * @req CORE-EXEC-014
 */
export function checkTableLock(session: Session, schema: string, table: string, alias: string | undefined, write: boolean): void {
  const locks = session.lockedTables;
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
