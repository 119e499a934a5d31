/**
 * Table locks for engines that lock whole tables (MEMORY, and MyISAM next): readers share a
 * table, a writer has it alone. Requests are served first come, first served: a reader that
 * arrives after a waiting writer waits behind it, so a stream of readers cannot starve writers
 * (and the other way round).
 *
 * A statement takes the table locks of all its tables at once, after its metadata locks, in
 * the order of their keys; every statement using the same order, table locks alone cannot
 * deadlock. They are held to the end of the statement, or until UNLOCK TABLES when LOCK TABLES
 * took them. Waits appear in the wait-for graph like metadata lock waits.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/internal-locking.html (10.11.1)
 * @req CORE-LOCK-001 CORE-LOCK-002
 */
import { DEADLOCK_WEIGHT_DML, MAX_IDLE_LOCK_OBJECTS } from './limits.js';
import { PendingWait } from './pending-wait.js';
import type { LockOwner } from './wait-graph.js';

/** One table lock held or asked for. */
export class TableLockTicket {
  status: 'GRANTED' | 'PENDING' = 'PENDING';
  wait: PendingWait | null = null;
  constructor(
    readonly lock: TableLock,
    readonly owner: LockOwner,
    public write: boolean,
  ) {}
}

/** The lock of one table. */
export class TableLock {
  readonly granted: TableLockTicket[] = [];
  readonly waiting: TableLockTicket[] = [];
  constructor(
    readonly key: string,
    readonly schema: string,
    readonly name: string,
  ) {}
}

/** The key of a table: schema and name, compared without case. */
export function tableKey(schema: string, name: string): string {
  return schema.toLowerCase() + '\u0000' + name.toLowerCase();
}

function conflict(a: TableLockTicket | boolean, b: TableLockTicket): boolean {
  const aw = typeof a === 'boolean' ? a : a.write;
  return aw || b.write;
}

export class TableLockManager {
  private readonly locks = new Map<string, TableLock>();

  /**
   * Ask for a table lock: GRANTED now, or PENDING behind the holders and earlier requests it
   * conflicts with. The owner's own locks never block it.
   * @req CORE-LOCK-001
   */
  request(owner: LockOwner, key: string, schema: string, name: string, write: boolean): TableLockTicket {
    let lock = this.locks.get(key);
    if (!lock) {
      lock = new TableLock(key, schema, name);
      this.locks.set(key, lock);
    }
    const t = new TableLockTicket(lock, owner, write);
    if (this.free(t, lock.waiting.length)) {
      t.status = 'GRANTED';
      lock.granted.push(t);
      return t;
    }
    lock.waiting.push(t);
    t.wait = new PendingWait(DEADLOCK_WEIGHT_DML, () => this.blockers(t, lock.waiting.indexOf(t)), () => this.withdraw(t));
    return t;
  }

  /** Give a granted table lock back. */
  release(t: TableLockTicket): void {
    const lock = t.lock;
    const i = lock.granted.indexOf(t);
    if (i < 0) return;
    lock.granted.splice(i, 1);
    this.afterRemoval(lock);
  }

  /** Whether any session holds or waits for a lock on the table (tests, diagnostics). */
  isLocked(key: string): boolean {
    const lock = this.locks.get(key);
    return lock !== undefined && (lock.granted.length > 0 || lock.waiting.length > 0);
  }

  /**
   * Owners a request waits for: holders of conflicting locks, and conflicting requests queued
   * ahead of it (`ahead` of them).
   */
  private blockers(t: TableLockTicket, ahead: number): LockOwner[] {
    const out = new Set<LockOwner>();
    for (const g of t.lock.granted) if (g.owner !== t.owner && conflict(t, g)) out.add(g.owner);
    for (let i = 0; i < ahead && i < t.lock.waiting.length; i++) {
      const w = t.lock.waiting[i]!;
      if (w !== t && w.owner !== t.owner && conflict(t, w)) out.add(w.owner);
    }
    return [...out];
  }

  /** Whether nothing blocks a request (the allocation-free form of {@link blockers}). */
  private free(t: TableLockTicket, ahead: number): boolean {
    for (const g of t.lock.granted) if (g.owner !== t.owner && conflict(t, g)) return false;
    for (let i = 0; i < ahead && i < t.lock.waiting.length; i++) {
      const w = t.lock.waiting[i]!;
      if (w !== t && w.owner !== t.owner && conflict(t, w)) return false;
    }
    return true;
  }

  private withdraw(t: TableLockTicket): void {
    const lock = t.lock;
    const i = lock.waiting.indexOf(t);
    if (i < 0) return;
    lock.waiting.splice(i, 1);
    this.afterRemoval(lock);
  }

  private afterRemoval(lock: TableLock): void {
    if (lock.granted.length === 0 && lock.waiting.length === 0) {
      // Kept for the next statement on the same table, up to a bound.
      if (this.locks.size > MAX_IDLE_LOCK_OBJECTS) this.locks.delete(lock.key);
      return;
    }
    // First come, first served: grant from the head of the queue while requests fit.
    for (let i = 0; i < lock.waiting.length; ) {
      const t = lock.waiting[i]!;
      if (!this.free(t, i)) {
        i++;
        continue;
      }
      lock.waiting.splice(i, 1);
      t.status = 'GRANTED';
      lock.granted.push(t);
      t.wait?.grant();
    }
  }
}
