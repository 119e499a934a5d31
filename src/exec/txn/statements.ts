/**
 * Transaction control statements: START TRANSACTION / BEGIN, COMMIT, ROLLBACK [TO SAVEPOINT],
 * SAVEPOINT, RELEASE SAVEPOINT.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/commit.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/savepoint.html
 * @req CORE-EXEC-010 CORE-EXEC-011
 */
import type {
  CommitStatement,
  ReleaseSavepointStatement,
  RollbackStatement,
  SavepointStatement,
  StartTransactionStatement,
} from '../../sql/ast.js';
import { sqlError } from '../../kernel/errors.js';
import type { OkResult } from '../../kernel/protocol-port.js';
import type { Session } from '../session.js';

function done(): OkResult {
  return { kind: 'ok', affectedRows: 0n, lastInsertId: 0n };
}

/** @req CORE-EXEC-010 */
export async function executeStartTransaction(session: Session, stmt: StartTransactionStatement): Promise<OkResult> {
  // START TRANSACTION implicitly commits and releases table locks.
  session.locks.lockedTables = null;
  await session.txn.begin(stmt.readOnly ? { readOnly: true } : stmt.readWrite ? { readOnly: false } : {});
  return done();
}

/** @req CORE-EXEC-010 */
export async function executeCommit(session: Session, stmt: CommitStatement): Promise<OkResult> {
  const ro = session.txn.readOnly;
  if (session.txn.engines.size > 0) await session.locks.acquireCommitLock(); // waits while FLUSH TABLES WITH READ LOCK holds commits (CORE-LOCK-006)
  await session.txn.commit();
  if (stmt.chain) await session.txn.begin({ readOnly: ro });
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
  await session.txn.rollback();
  if (stmt.chain) await session.txn.begin({ readOnly: ro });
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
  if (!session.txn.inTransaction()) return done();
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

