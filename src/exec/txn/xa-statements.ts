/**
 * XA statements: the session's branch through ACTIVE -> IDLE -> PREPARED -> committed or
 * rolled back, with MySQL's checks in MySQL's order and its errors: 1397 XAER_NOTA (unknown
 * XID), 1398 XAER_INVAL (JOIN, SUSPEND, RESUME of nothing), 1399 XAER_RMFAIL (wrong state,
 * named), 1400 XAER_OUTSIDE (XA START inside a transaction or LOCK TABLES), 1401 XAER_RMERR
 * (an engine failed to decide the branch), 1402 XA_RBROLLBACK (the branch was rolled back),
 * 1440 XAER_DUPID.
 *
 * XA COMMIT / XA ROLLBACK of an XID that is not the session's own decide a detached prepared
 * branch (its session disconnected, or recovery found it) in the engines holding it, by XID.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/xa-statements.html (15.3.8.1)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/xa-states.html (15.3.8.2)
 * @req CORE-TXN-022 CORE-TXN-023 CORE-TXN-025 CORE-TXN-027 CORE-TXN-028
 */
import type { XaStatement } from '../../sql/ast.js';
import { SqlError, diagnostic, sqlError } from '../../kernel/errors.js';
import type { Xid } from '../../kernel/xid.js';
import type { OkResult, StatementResult } from '../../kernel/protocol-port.js';
import type { Session } from '../session.js';
import { commitEach, rollbackEach, rollbackQuietly } from './participants.js';
import type { SessionTransaction } from './session-transaction.js';
import { preparable } from './two-phase-commit.js';
import { XaBranch, rmfail } from './xa-branch.js';
import { isOn } from './characteristics.js';
import { executeXaRecover } from './xa-recover.js';

function done(): OkResult {
  return { kind: 'ok', affectedRows: 0n, lastInsertId: 0n };
}

/** @req CORE-TXN-022 */
export async function executeXa(session: Session, stmt: XaStatement): Promise<StatementResult> {
  if (stmt.action === 'recover') return executeXaRecover(session, stmt.convertXid === true);
  const xid = stmt.xid!;
  switch (stmt.action) {
    case 'start':
      await xaStart(session, xid, stmt.option);
      break;
    case 'end':
      xaEnd(session.txn, xid, stmt.option);
      break;
    case 'prepare':
      await xaPrepare(session, xid);
      break;
    case 'commit':
      await xaCommit(session, xid, stmt.option === 'ONE PHASE');
      break;
    case 'rollback':
      await xaRollback(session, xid);
      break;
  }
  return done();
}

/** XA START xid [RESUME]: a new ACTIVE branch, or an IDLE one resumed. @req CORE-TXN-022 CORE-TXN-023 */
async function xaStart(session: Session, xid: Xid, option: XaStatement['option']): Promise<void> {
  const txn = session.txn;
  const xa = txn.xa;
  if (option === 'RESUME' && xa?.state === 'IDLE') {
    if (!xa.is(xid)) throw sqlError('ER_XAER_NOTA');
    xa.state = 'ACTIVE';
    return;
  }
  // JOIN is not supported, RESUME only applies to an IDLE branch.
  if (option !== undefined) throw sqlError('ER_XAER_INVAL');
  if (xa) throw rmfail(xa.state);
  if (session.locks.lockedTables !== null || txn.inTransaction()) throw sqlError('ER_XAER_OUTSIDE');
  const entry = txn.services.xa.start(xid, session.connectionId);
  try {
    await txn.begin();
  } catch (e) {
    txn.services.xa.remove(entry);
    throw e;
  }
  txn.xa = new XaBranch(entry);
}

/** XA END xid: ACTIVE -> IDLE. SUSPEND [FOR MIGRATE] is not supported (1398). @req CORE-TXN-022 CORE-TXN-027 */
function xaEnd(txn: SessionTransaction, xid: Xid, option: XaStatement['option']): void {
  if (option !== undefined) throw sqlError('ER_XAER_INVAL');
  const xa = txn.xa;
  if (!xa || (xa.state !== 'ACTIVE' && xa.state !== 'ROLLBACK ONLY')) throw rmfail(xa?.state ?? 'NON-EXISTING');
  if (!xa.is(xid)) throw sqlError('ER_XAER_NOTA');
  const rolledBack = xa.rolledBackError();
  if (rolledBack) throw rolledBack;
  xa.state = 'IDLE';
}

/**
 * XA PREPARE xid: IDLE -> PREPARED, every participant able to prepare prepares under the XID
 * (an engine that cannot gets warning 1031). If one fails, the branch is rolled back and ends:
 * the client gets the engine's error, followed by 1402. With xa_detach_on_prepare the prepared
 * branch then leaves the session (detached, as after a disconnect).
 * @req CORE-TXN-022 CORE-TXN-028
 */
async function xaPrepare(session: Session, xid: Xid): Promise<void> {
  const txn = session.txn;
  const xa = txn.xa;
  if (!xa || xa.state !== 'IDLE') throw rmfail(xa?.state ?? 'NON-EXISTING');
  if (!xa.is(xid)) throw sqlError('ER_XAER_NOTA');
  const parts = txn.participants;
  try {
    await txn.allowCommit('xa-prepare');
    for (const p of parts) if (!p.engine.capabilities.xa) session.warn('Warning', 'ER_ILLEGAL_HA', p.engine.name);
    for (const p of preparable(parts)) await p.txn.prepare(xa.xid);
  } catch (e) {
    endBranch(txn);
    await rollbackQuietly(parts);
    throw withRollbackNote(e);
  }
  xa.state = 'PREPARED';
  // xa_detach_on_prepare (ON by default since 8.0.29): the session is free at once.
  if (isOn(session.sysvar('xa_detach_on_prepare'))) await txn.detachXa();
}

/** The failure that rolled a branch back, followed by 1402 (or 1402 alone). */
function withRollbackNote(e: unknown): SqlError {
  if (!(e instanceof SqlError)) return sqlError('ER_XA_RBROLLBACK');
  e.followUps = [...(e.followUps ?? []), diagnostic('Error', 'ER_XA_RBROLLBACK')];
  return e;
}

/**
 * XA COMMIT xid [ONE PHASE]: phase two of a PREPARED branch, or a one-phase commit of an IDLE
 * one; a branch an engine rolled back reports that and ends; another XID is a detached branch.
 * @req CORE-TXN-022 CORE-TXN-025 CORE-TXN-027
 */
async function xaCommit(session: Session, xid: Xid, onePhase: boolean): Promise<void> {
  const txn = session.txn;
  const xa = txn.xa;
  if (!xa || !xa.is(xid)) return decideDetached(session, xid, true);
  const rolledBack = xa.rolledBackError();
  if (rolledBack) {
    const parts = txn.participants;
    endBranch(txn);
    await rollbackQuietly(parts);
    throw rolledBack;
  }
  if (xa.state === 'IDLE' && onePhase) {
    try {
      await txn.commitWork();
    } catch (e) {
      const parts = txn.participants;
      endBranch(txn);
      await rollbackQuietly(parts);
      throw withRollbackNote(e);
    }
    endBranch(txn);
    return;
  }
  if (xa.state !== 'PREPARED' || onePhase) throw rmfail(xa.state);
  await txn.allowCommit('xa-commit');
  const parts = txn.participants;
  endBranch(txn);
  await commitEach(parts).catch(() => {
    throw sqlError('ER_XAER_RMERR');
  });
}

/** XA ROLLBACK xid: an IDLE, PREPARED or ROLLBACK ONLY branch; another XID is a detached branch. @req CORE-TXN-022 CORE-TXN-025 */
async function xaRollback(session: Session, xid: Xid): Promise<void> {
  const txn = session.txn;
  const xa = txn.xa;
  if (!xa || !xa.is(xid)) return decideDetached(session, xid, false);
  if (xa.state === 'ACTIVE') throw rmfail(xa.state);
  await txn.allowCommit('xa-rollback');
  const parts = txn.participants;
  const nonTransactional = txn.nonTransactionalChanged;
  endBranch(txn);
  await rollbackEach(parts).catch(() => {
    throw sqlError('ER_XAER_RMERR');
  });
  if (nonTransactional) session.warn('Warning', 'ER_WARNING_NOT_COMPLETE_ROLLBACK');
}

/** The branch is over: out of the registry and the session, its transaction state cleared. */
function endBranch(txn: SessionTransaction): void {
  if (txn.xa) txn.services.xa.remove(txn.xa.entry);
  txn.xa = null;
  txn.reset();
  txn.next = {};
}

/**
 * XA COMMIT / XA ROLLBACK of a branch no session owns: only from a session with no branch and
 * no transaction of its own; the engines that hold it decide it by XID.
 * @req CORE-TXN-025
 */
async function decideDetached(session: Session, xid: Xid, commit: boolean): Promise<void> {
  const txn = session.txn;
  if (txn.xa) throw rmfail(txn.xa.state);
  const registry = txn.services.xa;
  const entry = registry.findDetached(xid);
  if (!entry) throw sqlError('ER_XAER_NOTA');
  if (txn.inTransaction()) throw rmfail('NON-EXISTING');
  // Claimed now: a second XA COMMIT / ROLLBACK of the same XID meanwhile sees 1397.
  entry.deciding = true;
  try {
    await txn.allowCommit(commit ? 'xa-commit' : 'xa-rollback');
  } catch (e) {
    entry.deciding = false;
    throw e;
  }
  try {
    for (const engine of entry.engines) {
      if (commit) await engine.commitByXid?.(xid);
      else await engine.rollbackByXid?.(xid);
    }
  } catch {
    throw sqlError('ER_XAER_RMERR');
  } finally {
    registry.remove(entry);
  }
}
