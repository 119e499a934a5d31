/**
 * Table locks for engines that lock whole tables (MEMORY, MyISAM, CSV...): readers share a
 * table, a writer has it alone. Requests are served first come, first served: a reader that
 * arrives after a waiting writer waits behind it, so a stream of readers cannot starve writers
 * (and the other way round).
 *
 * Four modes, after MySQL's THR_LOCK types, so that a plain INSERT can append rows while other
 * sessions read ("concurrent insert"):
 * - `read` (TL_READ): a statement's read, LOCK TABLES ... READ LOCAL;
 * - `read-no-insert` (TL_READ_NO_INSERT): LOCK TABLES ... READ, which admits no writer at all;
 * - `concurrent-insert` (TL_WRITE_CONCURRENT_INSERT): a plain INSERT into a table whose engine
 *   may append while it is read. It shares the table with `read` locks only, and only while
 *   the engine still allows it (asked when the lock is checked, as THR_LOCK's check_status:
 *   a MyISAM table with holes refuses under concurrent_insert=AUTO); otherwise it waits like a
 *   write. Two of them exclude each other (one writer at a time);
 * - `write`: everything else that changes the table; it excludes every other lock.
 * The owner's own locks never block it.
 *
 * A ticket may carry hooks: `granted` runs the moment the lock is granted (synchronously, so a
 * reader fixes the rows it may see before any concurrent insert granted after it can run) and
 * `released` when it is given back.
 *
 * A statement takes the table locks of all its tables at once, after its metadata locks, in
 * the order of their keys; every statement using the same order, table locks alone cannot
 * deadlock. They are held to the end of the statement, or until UNLOCK TABLES when LOCK TABLES
 * took them. Waits appear in the wait-for graph like metadata lock waits.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/internal-locking.html (10.11.1)
 * @req CORE-LOCK-001 CORE-LOCK-002 CORE-LOCK-009 MYISAM-021
 */
import { DEADLOCK_WEIGHT_DML, MAX_IDLE_LOCK_OBJECTS } from './limits.js';
import { PendingWait } from './pending-wait.js';
import type { LockOwner } from './wait-graph.js';

/** The mode of a table lock (see the module comment). */
export type TableLockMode = 'read' | 'read-no-insert' | 'concurrent-insert' | 'write';

/** What a ticket's holder wants to hear about, and the engine's say on concurrent inserts. */
export interface TableLockHooks {
  /** The lock was granted (called synchronously, at once or when a wait ends). */
  granted?(): void;
  /** The granted lock was given back. */
  released?(): void;
  /** For `concurrent-insert`: whether the engine lets the insert run beside readers now. */
  concurrentInsertAllowed?(): boolean;
}

/** One table lock held or asked for. */
export class TableLockTicket {
  status: 'GRANTED' | 'PENDING' = 'PENDING';
  wait: PendingWait | null = null;
  constructor(
    readonly lock: TableLock,
    readonly owner: LockOwner,
    readonly mode: TableLockMode,
    readonly hooks: TableLockHooks | null = null,
  ) {}

  /** Whether the lock lets its owner change the table (every mode but the two reads). */
  get write(): boolean {
    return this.mode === 'write' || this.mode === 'concurrent-insert';
  }
}

const isRead = (m: TableLockMode): boolean => m === 'read' || m === 'read-no-insert';

/**
 * Whether a lock of mode `held` makes a request of mode `want` by the same owner unnecessary:
 * a write covers everything, a concurrent insert covers itself and a read, a read without
 * inserts covers both reads.
 */
export function modeCovers(held: TableLockMode, want: TableLockMode): boolean {
  return held === want || held === 'write' || want === 'read';
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

/** Whether a concurrent insert may run beside readers now (the engine's verdict). */
function insertAllowed(t: TableLockTicket): boolean {
  return t.hooks?.concurrentInsertAllowed?.() ?? false;
}

/**
 * Whether two locks of different owners exclude each other (the compatibility table):
 *
 *                      read  read-no-insert  concurrent-insert  write
 *   read                ok        ok         ok if allowed       no
 *   read-no-insert      ok        ok              no             no
 *   concurrent-insert  (a)        no              no             no
 *   write               no        no              no             no
 *
 * (a): as for read / concurrent-insert, the insert's engine decides.
 * @req CORE-LOCK-009 MYISAM-021
 */
function conflict(a: TableLockTicket, b: TableLockTicket): boolean {
  if (a.mode === 'write' || b.mode === 'write') return true;
  if (isRead(a.mode) && isRead(b.mode)) return false;
  if (a.mode === 'concurrent-insert' && b.mode === 'read') return !insertAllowed(a);
  if (b.mode === 'concurrent-insert' && a.mode === 'read') return !insertAllowed(b);
  return true;
}

export class TableLockManager {
  private readonly locks = new Map<string, TableLock>();

  /**
   * Ask for a table lock: GRANTED now, or PENDING behind the holders and earlier requests it
   * conflicts with. The owner's own locks never block it. `mode` true / false: write / read.
   * @req CORE-LOCK-001 CORE-LOCK-009
   */
  request(owner: LockOwner, key: string, schema: string, name: string, mode: TableLockMode | boolean, hooks: TableLockHooks | null = null): TableLockTicket {
    let lock = this.locks.get(key);
    if (!lock) {
      lock = new TableLock(key, schema, name);
      this.locks.set(key, lock);
    }
    const t = new TableLockTicket(lock, owner, typeof mode === 'boolean' ? (mode ? 'write' : 'read') : mode, hooks);
    if (this.free(t, lock.waiting.length)) {
      t.status = 'GRANTED';
      lock.granted.push(t);
      t.hooks?.granted?.();
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
    t.hooks?.released?.();
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
      t.hooks?.granted?.();
      t.wait?.grant();
    }
  }
}
