/**
 * Committing a transaction across its participants. With two or more participants able to
 * prepare (capabilities.xa), the commit is atomic across them through two-phase commit:
 *
 *  1. phase one: every such participant prepares under a new internal XID (its changes become
 *     durable but undecided); a failure rolls back every participant;
 *  2. the decision: one record for the XID in the transaction-coordinator log, written and
 *     synced through group commit; a failure rolls back every participant;
 *  3. phase two: every participant commits; then the log may forget the XID.
 *
 * A crash before step 2 completes leaves the XID out of the log and recovery rolls the
 * prepared participants back; after it, recovery commits them (./recovery.ts). One participant
 * able to prepare (or none) commits in one phase: nothing can disagree with it.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/xa.html (15.3.8)
 * @req CORE-TXN-030 CORE-TXN-034
 */
import type { Xid } from '../../kernel/xid.js';
import { sqlError } from '../../kernel/errors.js';
import { asSqlError, commitEach, rollbackQuietly, type Participant } from './participants.js';
import type { ServerTransactions } from './server-transactions.js';

/** Participants that can take part in two-phase commit. */
export function preparable(parts: readonly Participant[]): Participant[] {
  return parts.filter((p) => p.engine.capabilities.xa);
}

/** Participants that need two-phase commit: those able to prepare that changed something. A
 *  participant that wrote nothing has nothing to agree on; like MySQL, which counts only
 *  read-write engines, it commits in phase two alone. @req CORE-PERF-031 */
function writers(parts: readonly Participant[]): Participant[] {
  return parts.filter((p) => p.engine.capabilities.xa && p.txn.wroteNothing?.() !== true);
}

/** @req CORE-TXN-030 CORE-TXN-034 CORE-PERF-031 */
export async function commitParticipants(parts: readonly Participant[], services: ServerTransactions): Promise<void> {
  if (parts.length === 0) return;
  const twoPhase = writers(parts);
  if (twoPhase.length < 2) {
    await commitEach(parts);
    return;
  }
  const xid = services.xids.newXid();
  await prepareAll(twoPhase, parts, xid);
  try {
    await services.groupCommit.commit(xid);
  } catch (e) {
    // The decision may not be durable: nobody commits; the record, if any, names an XID no
    // engine holds prepared any more, which recovery ignores.
    await rollbackQuietly(parts);
    await services.groupCommit.forget([xid]).catch(() => undefined);
    throw sqlError('ER_ERROR_DURING_COMMIT', 1, e instanceof Error ? e.message : String(e));
  }
  try {
    await commitEach(parts);
  } finally {
    await services.groupCommit.forget([xid]).catch(() => undefined);
  }
}

/** Phase one on every preparable participant; a failure rolls back all participants. */
async function prepareAll(twoPhase: readonly Participant[], all: readonly Participant[], xid: Xid): Promise<void> {
  for (const p of twoPhase) {
    try {
      await p.txn.prepare(xid);
    } catch (e) {
      await rollbackQuietly(all);
      throw asSqlError(e, 'ER_ERROR_DURING_COMMIT');
    }
  }
}
