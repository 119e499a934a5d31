/**
 * Transaction control statements: START TRANSACTION / BEGIN, COMMIT and ROLLBACK [AND [NO]
 * CHAIN] [[NO] RELEASE] (completion_type supplies CHAIN or RELEASE when the statement says
 * nothing), ROLLBACK TO SAVEPOINT, SAVEPOINT, RELEASE SAVEPOINT.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/commit.html (15.3.1)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/savepoint.html (15.3.4)
 * @req CORE-EXEC-010 CORE-EXEC-011 CORE-TXN-004 CORE-TXN-006 CORE-TXN-010
 */
import type {
  CommitStatement,
  ReleaseSavepointStatement,
  RollbackStatement,
  SavepointStatement,
  StartTransactionStatement,
} from '../../sql/ast.js';
import type { OkResult } from '../../kernel/protocol-port.js';
import type { Session } from '../session.js';
import type { Characteristics } from './characteristics.js';

function done(): OkResult {
  return { kind: 'ok', affectedRows: 0n, lastInsertId: 0n };
}

/** @req CORE-EXEC-010 CORE-TXN-006 */
export async function executeStartTransaction(session: Session, stmt: StartTransactionStatement): Promise<OkResult> {
  session.txn.checkImplicitCommit();
  // START TRANSACTION implicitly commits and releases table locks.
  session.locks.lockedTables = null;
  const opts: { readOnly?: boolean; consistentSnapshot?: boolean } = {};
  if (stmt.readOnly) opts.readOnly = true;
  else if (stmt.readWrite) opts.readOnly = false;
  if (stmt.consistentSnapshot) opts.consistentSnapshot = true;
  await session.txn.begin(opts);
  return done();
}

/** CHAIN / RELEASE as written, else as completion_type says. @req CORE-TXN-004 */
function completion(session: Session, stmt: CommitStatement | RollbackStatement): { chain: boolean; release: boolean } {
  const v = session.sysvar('completion_type');
  const type = typeof v === 'string' ? v.toUpperCase() : Number(v) === 1 ? 'CHAIN' : Number(v) === 2 ? 'RELEASE' : 'NO_CHAIN';
  return {
    chain: stmt.chain ?? type === 'CHAIN',
    release: stmt.release ?? type === 'RELEASE',
  };
}

/** End the transaction with `end`, then chain a new one with the same characteristics, or release the connection. */
async function finish(session: Session, stmt: CommitStatement | RollbackStatement, end: () => Promise<void>): Promise<OkResult> {
  const txn = session.txn;
  const { chain, release } = completion(session, stmt);
  const ending: Characteristics | undefined = txn.inTransaction() ? { isolation: txn.isolation, readOnly: txn.readOnly } : undefined;
  await end();
  // The ended transaction's locks go now, also when a new one is chained to it.
  session.locks.releaseTransaction();
  if (chain) await txn.begin(ending ? { chain: ending } : {});
  else txn.next = {};
  // RELEASE: the connection closes once this statement's OK has gone out.
  if (release) setImmediate(() => session.kill());
  return done();
}

/** @req CORE-EXEC-010 CORE-TXN-004 */
export function executeCommit(session: Session, stmt: CommitStatement): Promise<OkResult> {
  return finish(session, stmt, () => session.txn.commit());
}

/** @req CORE-EXEC-010 CORE-EXEC-011 CORE-TXN-004 CORE-TXN-011 */
export async function executeRollback(session: Session, stmt: RollbackStatement): Promise<OkResult> {
  if (stmt.toSavepoint !== undefined) {
    await session.txn.rollbackToSavepoint(stmt.toSavepoint);
    return done();
  }
  return finish(session, stmt, () => session.txn.rollback());
}

/** @req CORE-EXEC-011 CORE-TXN-010 */
export async function executeSavepoint(session: Session, stmt: SavepointStatement): Promise<OkResult> {
  session.txn.savepoint(stmt.name);
  return done();
}

/** @req CORE-EXEC-011 CORE-TXN-010 */
export async function executeReleaseSavepoint(session: Session, stmt: ReleaseSavepointStatement): Promise<OkResult> {
  session.txn.releaseSavepoint(stmt.name);
  return done();
}
