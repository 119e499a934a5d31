/**
 * The lock queue of one lockable object (a table, or one record of one index): the locks
 * granted on it and the requests waiting for it, in arrival order.
 *
 * The grant rule lives here. A request conflicts with a granted lock of another transaction
 * whose mode is incompatible. A request by a transaction that holds nothing here also waits
 * behind every earlier waiting request of another transaction it is incompatible with, so a
 * stream of compatible newcomers cannot starve a waiting writer. A transaction that already
 * holds a lock here (a re-request, an S to X upgrade) looks only at the granted locks: making it
 * queue behind a request that waits for its own lock could only end in a deadlock.
 *
 * When a lock leaves, the waiting requests are looked at again front to back and every one that
 * the rule admits is granted. Granting only adds granted locks, so one pass finds all of them.
 *
 * Record queues also weigh the gap mode of each lock (lock-modes.ts): a gap lock and a next-key
 * lock on a record share its queue, and an insert intention waits in the queue of the record
 * after the gap it inserts into.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-locking.html (15.7.1)
 * @req INNODB-LOCK-101 INNODB-LOCK-102 INNODB-LOCK-103 INNODB-LOCK-104 INNODB-LOCK-301
 */
import { gapCovers, isSupremumKey, modeCovers, recordLocksCompatible, tableModesCompatible, type AnyLockMode, type GapMode, type LockKind, type RecordLockMode, type TableLockMode } from './lock-modes.js';
import type { LockOwner } from './lock-types.js';

/** A pending wait's way back to its requester; set by the lock system while a lock waits. */
export interface LockWaiter {
  readonly startedMs: number;
  settle(outcome: 'granted' | Error): void;
}

/** One lock: granted, or a request waiting in its queue. */
export class Lock {
  status: 'GRANTED' | 'WAITING' = 'WAITING';
  /** While WAITING: when the wait began. */
  waitStartedMs: number | null = null;
  /** While WAITING with a pending promise: how to settle it. */
  waiter: LockWaiter | null = null;
  /**
   * Record locks: the owner's latest locking read of this record created this lock (rather
   * than finding it already held), so the lock may go again if the server rejects that row
   * below REPEATABLE READ. A later read that finds the lock held clears it: the lock then
   * serves more than the rejected row (an earlier statement, or an earlier row that matched).
   * @req INNODB-LOCK-308
   */
  takenByRead = false;

  constructor(
    readonly id: number,
    readonly owner: LockOwner,
    readonly queue: LockQueue,
    readonly mode: AnyLockMode,
    /** Record locks: what part of the index around the record it covers. */
    readonly gap: GapMode = 'record',
  ) {}
}

/** A granted mode and how many granted locks have it. */
interface ModeCount {
  readonly mode: AnyLockMode;
  readonly gap: GapMode;
  n: number;
}

export class LockQueue {
  readonly granted: Lock[] = [];
  readonly waiting: Lock[] = [];
  /** Granted locks per mode, all owners together: lets a request see "nothing incompatible is
   *  granted here" without walking the granted list (every active transaction may hold IX on a
   *  busy table). */
  private readonly grantedModes = new Map<string, ModeCount>();
  /** The supremum pseudo-record's queue: every lock on it but an insert intention is a gap lock. */
  readonly supremum: boolean;

  constructor(
    /** The key of this queue in the lock system's map. */
    readonly mapKey: string,
    readonly kind: LockKind,
    readonly tableId: number,
    readonly tableName: string,
    /** Record queues: the index, the record key and its text; null for a table. */
    readonly indexName: string | null,
    readonly key: string | null,
    readonly keyText: string | null,
  ) {
    this.supremum = key !== null && isSupremumKey(key);
  }

  /** Whether a request (`mode`, `gap`) is compatible with another owner's (`m`, `g`). */
  compatible(mode: AnyLockMode, gap: GapMode, m: AnyLockMode, g: GapMode): boolean {
    return this.kind === 'TABLE'
      ? tableModesCompatible(mode as TableLockMode, m as TableLockMode)
      : recordLocksCompatible(mode as RecordLockMode, gap, m as RecordLockMode, g, this.supremum);
  }

  get idle(): boolean {
    return this.granted.length === 0 && this.waiting.length === 0;
  }

  /** Whether `owner` holds a granted lock here whose mode (and gap mode) covers `mode`. */
  holds(owner: LockOwner, mode: AnyLockMode, gap: GapMode = 'record'): boolean {
    for (const g of this.granted) if (g.owner === owner && modeCovers(g.mode, mode) && gapCovers(g.gap, gap)) return true;
    return false;
  }

  /** Whether `owner` holds any granted lock here. */
  holdsAny(owner: LockOwner): boolean {
    for (const g of this.granted) if (g.owner === owner) return true;
    return false;
  }

  /**
   * The locks that keep a request of `owner` for `mode` from being granted now: granted locks of
   * other owners with an incompatible mode, then (unless `owner` holds a lock here) waiting
   * requests of other owners ahead of `self` with an incompatible mode. `self` is the request's
   * own entry when it is queued, or null for a new request (then every waiting one is ahead).
   * @req INNODB-LOCK-103 INNODB-LOCK-104
   */
  conflicts(owner: LockOwner, mode: AnyLockMode, self: Lock | null, firstOnly = false, gap: GapMode = self?.gap ?? 'record'): Lock[] {
    const out: Lock[] = [];
    if (this.anyIncompatibleGranted(mode, gap)) {
      for (const g of this.granted) {
        if (g.owner !== owner && !this.compatible(mode, gap, g.mode, g.gap)) {
          out.push(g);
          if (firstOnly) return out;
        }
      }
    }
    if (this.waiting.length === 0 || this.holdsAny(owner)) return out;
    for (const w of this.waiting) {
      if (w === self) break;
      if (w.owner !== owner && !this.compatible(mode, gap, w.mode, w.gap)) {
        out.push(w);
        if (firstOnly) return out;
      }
    }
    return out;
  }

  /** Whether a request of `owner` for `mode` would have to wait. */
  mustWait(owner: LockOwner, mode: AnyLockMode, self: Lock | null = null, gap: GapMode = self?.gap ?? 'record'): boolean {
    return this.conflicts(owner, mode, self, true, gap).length > 0;
  }

  addGranted(lock: Lock): void {
    lock.status = 'GRANTED';
    lock.waitStartedMs = null;
    this.granted.push(lock);
    const k = `${lock.mode}/${lock.gap}`;
    const c = this.grantedModes.get(k);
    if (c) c.n++;
    else this.grantedModes.set(k, { mode: lock.mode, gap: lock.gap, n: 1 });
  }

  removeGranted(lock: Lock): boolean {
    const i = this.granted.indexOf(lock);
    if (i < 0) return false;
    this.granted.splice(i, 1);
    const k = `${lock.mode}/${lock.gap}`;
    const c = this.grantedModes.get(k);
    if (c && --c.n <= 0) this.grantedModes.delete(k);
    return true;
  }

  removeWaiting(lock: Lock): boolean {
    const i = this.waiting.indexOf(lock);
    if (i < 0) return false;
    this.waiting.splice(i, 1);
    return true;
  }

  /**
   * Grant, front to back, every waiting request the rule admits now; returns them in grant
   * order (their waits are settled by the caller). @req INNODB-LOCK-104
   */
  grantWaiters(): Lock[] {
    const out: Lock[] = [];
    for (let i = 0; i < this.waiting.length; ) {
      const w = this.waiting[i]!;
      if (this.mustWait(w.owner, w.mode, w)) {
        i++;
        continue;
      }
      this.waiting.splice(i, 1);
      this.addGranted(w);
      out.push(w);
    }
    return out;
  }

  private anyIncompatibleGranted(mode: AnyLockMode, gap: GapMode): boolean {
    for (const c of this.grantedModes.values()) if (c.n > 0 && !this.compatible(mode, gap, c.mode, c.gap)) return true;
    return false;
  }
}
