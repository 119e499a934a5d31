/**
 * A session's XA transaction branch and its state machine: XA START makes it ACTIVE, XA END
 * IDLE, XA PREPARE PREPARED, XA COMMIT / XA ROLLBACK end it. When an engine rolls the branch's
 * work back on its own (deadlock victim, lock-wait timeout), the branch is marked: the next
 * statement that needs it reports XA_RBDEADLOCK / XA_RBTIMEOUT / XA_RBROLLBACK and the branch
 * enters ROLLBACK ONLY, from which only XA ROLLBACK (or XA COMMIT, which fails) leaves.
 *
 * The checks are MySQL's three families: statements refused in any XA state (START
 * TRANSACTION, COMMIT, ROLLBACK, implicit commits), in IDLE and PREPARED (table access,
 * ROLLBACK TO / RELEASE SAVEPOINT), and in IDLE, PREPARED and ROLLBACK ONLY (SAVEPOINT).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/xa-states.html (15.3.8.2)
 * @req CORE-TXN-022 CORE-TXN-024 CORE-TXN-027
 */
import { SqlError, sqlError } from '../../kernel/errors.js';
import { sameXid, type Xid } from '../../kernel/xid.js';
import type { XaEntry, XaState } from './xa-registry.js';

const ER_LOCK_WAIT_TIMEOUT = 1205;
const ER_LOCK_DEADLOCK = 1213;

/** ER_XAER_RMFAIL naming a state. */
export function rmfail(state: XaState): SqlError {
  return sqlError('ER_XAER_RMFAIL', state);
}

export class XaBranch {
  /** The error number of the failure an engine rolled the branch back for (0: none). */
  private rmError = 0;

  constructor(readonly entry: XaEntry) {}

  get xid(): Xid {
    return this.entry.xid;
  }

  get state(): XaState {
    return this.entry.state;
  }

  set state(s: XaState) {
    this.entry.state = s;
  }

  is(xid: Xid): boolean {
    return sameXid(this.entry.xid, xid);
  }

  /** An engine rolled the branch's work back while a statement failed with `errno`. @req CORE-TXN-027 */
  markRolledBack(errno: number): void {
    this.rmError = errno || 1;
  }

  /**
   * The error for a branch an engine rolled back (the branch becomes ROLLBACK ONLY), or null.
   * @req CORE-TXN-027
   */
  rolledBackError(): SqlError | null {
    if (this.rmError === 0) return this.state === 'ROLLBACK ONLY' ? sqlError('ER_XA_RBROLLBACK') : null;
    this.state = 'ROLLBACK ONLY';
    if (this.rmError === ER_LOCK_DEADLOCK) return sqlError('ER_XA_RBDEADLOCK');
    if (this.rmError === ER_LOCK_WAIT_TIMEOUT) return sqlError('ER_XA_RBTIMEOUT');
    return sqlError('ER_XA_RBROLLBACK');
  }

  /** START TRANSACTION, COMMIT, ROLLBACK, implicit commits: refused in every XA state. @req CORE-TXN-024 */
  refuseTransactionControl(): void {
    throw rmfail(this.state);
  }

  /** Table access: refused in IDLE and PREPARED; a rolled-back branch reports its rollback. @req CORE-TXN-024 CORE-TXN-027 */
  checkTableAccess(): void {
    if (this.state === 'IDLE' || this.state === 'PREPARED') throw rmfail(this.state);
    const rb = this.rolledBackError();
    if (rb) throw rb;
  }

  /** ROLLBACK TO / RELEASE SAVEPOINT: refused in IDLE and PREPARED. @req CORE-TXN-024 */
  refuseIfIdleOrPrepared(): void {
    if (this.state === 'IDLE' || this.state === 'PREPARED') throw rmfail(this.state);
  }

  /** SAVEPOINT: refused in IDLE, PREPARED and ROLLBACK ONLY. @req CORE-TXN-024 */
  refuseIfUncommitted(): void {
    if (this.state === 'IDLE' || this.state === 'PREPARED' || this.state === 'ROLLBACK ONLY') throw rmfail(this.state);
  }
}
