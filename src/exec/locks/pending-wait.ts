/**
 * One lock request that has to wait: a promise its owner awaits, settled exactly once, by the
 * lock manager granting the request or by an error (lock_wait_timeout, KILL, deadlock victim).
 * An error first takes the request out of its queue, so a request that gave up is never
 * granted afterwards and no longer holds back the requests behind it.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/metadata-locking.html (10.11.4)
 * @req CORE-MDL-004 CORE-MDL-005 CORE-LOCK-007
 */
import type { SqlError } from '../../kernel/errors.js';
import type { LockOwner, WaitEdge } from './wait-graph.js';

export class PendingWait implements WaitEdge {
  readonly promise: Promise<void>;
  private settled = false;
  private resolveFn!: () => void;
  private rejectFn!: (e: SqlError) => void;

  constructor(
    readonly weight: number,
    /** Who keeps the request waiting, as the lock manager sees it now. */
    private readonly findBlockers: () => Iterable<LockOwner>,
    /** Take the request out of its queue (and let the requests behind it go on). */
    private readonly withdraw: () => void,
    /** A wait for a user-level lock (its deadlock victim gets 3058, not 1213). @req CORE-LOCK-014 */
    readonly userLevel = false,
  ) {
    this.promise = new Promise<void>((resolve, reject) => {
      this.resolveFn = resolve;
      this.rejectFn = reject;
    });
  }

  get done(): boolean {
    return this.settled;
  }

  blockers(): Iterable<LockOwner> {
    return this.settled ? [] : this.findBlockers();
  }

  /** The lock manager granted the request. */
  grant(): void {
    if (this.settled) return;
    this.settled = true;
    this.resolveFn();
  }

  /** End the wait with `reason`; the request leaves its queue. */
  abort(reason: SqlError): void {
    if (this.settled) return;
    this.settled = true;
    this.withdraw();
    this.rejectFn(reason);
  }
}
