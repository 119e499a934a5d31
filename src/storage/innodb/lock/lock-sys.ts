/**
 * The InnoDB lock system: table locks (the intention locks IS and IX of every DML statement,
 * and S / X for LOCK TABLES) and record locks (S and X on one index record, on the gap before
 * it, on both (next-key), or an insert intention on that gap), held until the
 * transaction commits or rolls back, with waiting, lock-wait timeouts and deadlock detection.
 * The one early release: below REPEATABLE READ, a record lock a locking read created for a
 * row the server then rejected is given back (releaseReadLocks; the lock remembers whether
 * the owner's latest read of the record created it).
 *
 * Everything runs on the event loop, so no latch guards the structures; what matters is that
 * each operation leaves them consistent before it returns. A request that can be granted is
 * granted synchronously. One that conflicts joins the object's FIFO queue (see lock-queue.ts
 * for the grant rule) and its caller gets a promise, after a deadlock search when
 * innodb_deadlock_detect is on. The wait then ends in exactly one way: the lock is granted (a
 * holder released it), innodb_lock_wait_timeout passes (1205, only this request fails), the
 * statement's signal fires (KILL QUERY, max_execution_time: its reason), or a later request
 * picks this transaction as a deadlock victim (1213). Every way out removes the request from
 * its queue and lets the requests behind it go if they now can.
 *
 * A deadlock victim is told with 1213; rolling back its whole transaction is the caller's work
 * (the engine undoes its changes, calls releaseAll and `ctx.transactionRolledBack()`). When the
 * victim is the requester itself, lockRecord throws the SqlError at once instead of returning a
 * promise; NOWAIT likewise throws 3572 at once.
 *
 * Cost: per-object queues live in maps keyed by table id, or by `${tableId}\u0000${key}` for a
 * record, and every transaction keeps the set of its locks, so a release touches only the
 * queues of the releasing transaction and their waiters, never the whole lock table.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-locking.html (15.7.1)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-deadlocks.html (15.7.5)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-error-handling.html (15.21.5)
 * @req INNODB-ERR-003 INNODB-ERR-004 INNODB-MON-008 INNODB-TRBL-002
 * @req INNODB-LOCK-101 INNODB-LOCK-102 INNODB-LOCK-103 INNODB-LOCK-104 INNODB-LOCK-105 INNODB-LOCK-106
 * @req INNODB-LOCK-107 INNODB-LOCK-108 INNODB-LOCK-109 INNODB-LOCK-110 INNODB-LOCK-111 INNODB-LOCK-112 INNODB-LOCK-113
 * @req INNODB-LOCK-301 INNODB-LOCK-302 INNODB-LOCK-308
 */
import { sqlError, type SqlError } from '../../../kernel/errors.js';
import { NEVER_ABORTED } from '../../../kernel/wait-signal.js';
import { formatDeadlockReport, formatTooDeepReport, type DeadlockParty } from './deadlock-report.js';
import { DEFAULT_LOCK_WAIT_TIMEOUT_MS, MAX_DEADLOCK_ROUNDS, MAX_TIMER_DELAY_MS } from './limits.js';
import { dataLocksMode, modeCovers, SUPREMUM_TEXT, type AnyLockMode, type GapMode, type TableLockMode } from './lock-modes.js';
import { Lock, LockQueue } from './lock-queue.js';
import type {
  LockCounters,
  LockInfo,
  LockOwner,
  LockWaitInfo,
  LockWaitOptions,
  OwnerLockSummary,
  RecordLockRequest,
  RecordLockResult,
} from './lock-types.js';
import { chooseVictim, findCycle } from './wait-for-graph.js';

export type { LockCounters, LockInfo, LockOwner, LockWaitInfo, LockWaitOptions, OwnerLockSummary, RecordLockRequest, RecordLockResult } from './lock-types.js';
export type { GapMode, RecordLockMode, TableLockMode } from './lock-modes.js';
export { SUPREMUM_KEY, SUPREMUM_TEXT } from './lock-modes.js';

/** What the lock system knows of one transaction that holds or waits for locks. */
interface OwnerState {
  readonly owner: LockOwner;
  /** When its first lock was taken (for "ACTIVE n sec" when the owner does not say). */
  readonly firstLockMs: number;
  /** Granted locks, in grant order. */
  readonly held: Set<Lock>;
  /** Granted table locks by table id (the covering check of every statement's IS / IX). */
  readonly tables: Map<number, Lock[]>;
  /** Granted record locks. */
  rowLocks: number;
  /** The one request it waits for. */
  waiting: Lock | null;
}

export interface LockSysOptions {
  /** The clock (ms, Date.now() scale); tests pass a fake one. */
  now?: () => number;
}

/** The key of a record's queue. */
export function recordQueueKey(tableId: number, key: string): string {
  return `${tableId}\u0000${key}`;
}

export class LockSys {
  /** Innodb_row_lock_* and the lock_timeouts / lock_deadlocks metrics. @req INNODB-LOCK-112 */
  readonly counters: LockCounters = { waits: 0, currentWaits: 0, timeouts: 0, deadlocks: 0, totalWaitMs: 0, maxWaitMs: 0 };
  /** innodb_print_all_deadlocks: called with every deadlock report. @req INNODB-TRBL-002 */
  onDeadlock?: (reportText: string) => void;

  private readonly tableQueues = new Map<number, LockQueue>();
  private readonly recordQueues = new Map<string, LockQueue>();
  /** Record queues per (table, index): an index with none has no lock an insert could wait for. CORE-PERF-048 */
  private readonly queuesPerIndex = new Map<string, number>();
  private readonly owners = new Map<LockOwner, OwnerState>();
  private readonly now: () => number;
  private serial = 0;
  private latestReport: string | null = null;

  constructor(options: LockSysOptions = {}) {
    this.now = options.now ?? ((): number => Date.now());
  }

  // -------------------------------------------------------------------------------------------
  // Requests
  // -------------------------------------------------------------------------------------------

  /**
   * Lock a table. IS and IX never conflict with each other, so DML statements never wait here;
   * S and X (LOCK TABLES) conflict as 15.7.1's matrix says and wait like record locks. Without
   * `wait`, a conflicting request waits up to innodb_lock_wait_timeout's default with deadlock
   * detection and no signal. SKIP LOCKED does not apply to table locks; NOWAIT does (3572).
   * @req INNODB-LOCK-101
   */
  lockTable(owner: LockOwner, tableId: number, tableName: string, mode: TableLockMode, wait?: LockWaitOptions): 'granted' | Promise<'granted'> {
    const state = this.owners.get(owner);
    if (state) {
      const held = state.tables.get(tableId);
      if (held) for (const l of held) if (modeCovers(l.mode, mode)) return 'granted';
      if (state.waiting) throw new Error(`transaction ${owner.trxId} already waits for a lock`);
    }
    let queue = this.tableQueues.get(tableId);
    if (!queue) {
      queue = new LockQueue(String(tableId), 'TABLE', tableId, tableName, null, null, null);
      this.tableQueues.set(tableId, queue);
    }
    if (!queue.mustWait(owner, mode)) {
      this.grantNew(queue, owner, mode);
      return 'granted';
    }
    const opts = wait ?? { signal: NEVER_ABORTED, timeoutMs: DEFAULT_LOCK_WAIT_TIMEOUT_MS, deadlockDetect: true };
    if (opts.noWait) throw sqlError('ER_LOCK_NOWAIT');
    return this.enqueue(queue, owner, mode, opts);
  }

  /**
   * Lock one index record. Answers 'granted' at once when no other transaction holds an
   * incompatible lock and nothing incompatible waits ahead (or the owner already holds a mode
   * at least as strong); 'skipped' under SKIP LOCKED when it conflicts. Throws 3572 under NOWAIT
   * when it conflicts, 1213 when the request itself is chosen as a deadlock victim, and the
   * signal's reason when the statement is already killed. Otherwise returns a promise that
   * resolves when the lock is granted, or rejects with 1205 (timeout), 1213 (chosen as victim
   * by a later request) or the signal's reason.
   *
   * `req.gap` says what the lock covers (default: the record alone). An insert intention that
   * need not wait leaves no lock behind, as in InnoDB: it only matters while it waits.
   * @req INNODB-LOCK-301 INNODB-LOCK-102 INNODB-LOCK-103 INNODB-LOCK-104 INNODB-LOCK-105 INNODB-LOCK-107 INNODB-LOCK-108 INNODB-LOCK-109
   */
  lockRecord(req: RecordLockRequest): RecordLockResult | Promise<'granted'> {
    const { owner, mode } = req;
    const gap = req.gap ?? 'record';
    if (this.owners.get(owner)?.waiting) throw new Error(`transaction ${owner.trxId} already waits for a lock`);
    const mapKey = recordQueueKey(req.tableId, req.key);
    let queue = this.recordQueues.get(mapKey);
    if (!queue) {
      if (gap === 'insert-intention') return 'granted';
      queue = new LockQueue(mapKey, 'RECORD', req.tableId, req.tableName, req.indexName, req.key, req.keyText);
      this.recordQueues.set(mapKey, queue);
      const ix = indexQueueKey(req.tableId, req.indexName);
      this.queuesPerIndex.set(ix, (this.queuesPerIndex.get(ix) ?? 0) + 1);
      this.grantNew(queue, owner, mode, gap);
      return 'granted';
    }
    if (queue.holds(owner, mode, gap)) return 'granted';
    if (!queue.mustWait(owner, mode, null, gap)) {
      if (gap !== 'insert-intention') this.grantNew(queue, owner, mode, gap);
      return 'granted';
    }
    if (req.skipLocked) return 'skipped';
    if (req.noWait) throw sqlError('ER_LOCK_NOWAIT');
    return this.enqueue(queue, owner, mode, req, gap);
  }

  /**
   * Whether any transaction holds or waits for a lock on some record of index `indexName` of the
   * table. When none does, an insert intention into the index cannot wait (and leaves nothing
   * behind), so the insert need not look for the entry after its own. @req CORE-PERF-048
   */
  indexLocked(tableId: number, indexName: string): boolean {
    return this.queuesPerIndex.has(indexQueueKey(tableId, indexName));
  }

  /** Whether `owner` holds a granted lock on the record that covers `mode` (X covers S) and `gap`. */
  holdsRecord(owner: LockOwner, tableId: number, key: string, mode: 'S' | 'X', gap: GapMode = 'record'): boolean {
    return this.recordQueues.get(recordQueueKey(tableId, key))?.holds(owner, mode, gap) ?? false;
  }

  /** Whether any transaction holds or waits for a lock on the record. */
  isRecordLocked(tableId: number, key: string): boolean {
    return this.recordQueues.has(recordQueueKey(tableId, key));
  }

  /** Whether `owner` holds a granted table lock that covers `mode`. */
  holdsTable(owner: LockOwner, tableId: number, mode: TableLockMode): boolean {
    const held = this.owners.get(owner)?.tables.get(tableId);
    return held?.some((l) => modeCovers(l.mode, mode)) ?? false;
  }

  // -------------------------------------------------------------------------------------------
  // Releases
  // -------------------------------------------------------------------------------------------

  /**
   * Release every lock of the transaction (commit, rollback) and grant, queue by queue in FIFO
   * order, the waiting requests that can now go. A request the transaction still waits for is
   * withdrawn first and its promise rejected with 1317 (a transaction ends while its statement
   * waits only when its session is going away).
   * @req INNODB-LOCK-110 INNODB-ERR-003
   */
  releaseAll(owner: LockOwner): void {
    const state = this.owners.get(owner);
    if (!state) return;
    if (state.waiting) this.abort(state.waiting, sqlError('ER_QUERY_INTERRUPTED'));
    this.owners.delete(owner);
    const touched = new Set<LockQueue>();
    for (const l of state.held) {
      l.queue.removeGranted(l);
      touched.add(l.queue);
    }
    state.held.clear();
    state.tables.clear();
    for (const q of touched) this.afterRemoval(q);
  }

  /**
   * Release the transaction's locks on one record before it ends (READ COMMITTED lets go of
   * rows a locking scan read but did not keep). Waiters behind them are granted as they can.
   * @req INNODB-LOCK-110
   */
  releaseRecord(owner: LockOwner, tableId: number, key: string): void {
    this.releaseOwn(owner, tableId, key, () => true);
  }

  /**
   * The serial of the newest lock created so far. A caller that notes it before a request
   * knows afterwards which of its locks that request created (those numbered above it).
   * @req INNODB-LOCK-308
   */
  get lastLockId(): number {
    return this.serial;
  }

  /**
   * A locking read of `owner` was granted the record `key`: mark which of the owner's locks
   * on it this read created (numbered above `since`, the {@link lastLockId} noted before the
   * request). Locks it found already held are no longer the read's to give back.
   * @req INNODB-LOCK-308
   */
  noteRead(owner: LockOwner, tableId: number, key: string, since: number): void {
    const queue = this.recordQueues.get(recordQueueKey(tableId, key));
    if (!queue) return;
    for (const l of queue.granted) if (l.owner === owner) l.takenByRead = l.id > since;
  }

  /**
   * Give back the locks on one record that the owner's latest locking read of it created
   * (READ COMMITTED and READ UNCOMMITTED let go of rows the server rejected); locks the owner
   * held before that read stay. Waiters behind them are granted as they can. Returns how many
   * locks went.
   * @req INNODB-LOCK-308 INNODB-LOCK-110
   */
  releaseReadLocks(owner: LockOwner, tableId: number, key: string): number {
    return this.releaseOwn(owner, tableId, key, (l) => l.takenByRead);
  }

  /** Release the owner's granted locks on one record that `which` picks; how many went. */
  private releaseOwn(owner: LockOwner, tableId: number, key: string, which: (l: Lock) => boolean): number {
    const state = this.owners.get(owner);
    const queue = this.recordQueues.get(recordQueueKey(tableId, key));
    if (!state || !queue) return 0;
    let removed = 0;
    for (const l of [...queue.granted]) {
      if (l.owner !== owner || !which(l)) continue;
      queue.removeGranted(l);
      state.held.delete(l);
      state.rowLocks--;
      removed++;
    }
    if (removed === 0) return 0;
    this.afterRemoval(queue);
    this.dropOwnerIfIdle(state);
    return removed;
  }

  /**
   * End the transaction's pending wait, if any, with `err`: its promise rejects and the request
   * leaves its queue. Returns whether there was one.
   * @req INNODB-LOCK-105 INNODB-LOCK-109
   */
  cancelWait(owner: LockOwner, err: SqlError): boolean {
    const lock = this.owners.get(owner)?.waiting;
    return lock ? this.abort(lock, err) : false;
  }

  // -------------------------------------------------------------------------------------------
  // Introspection
  // -------------------------------------------------------------------------------------------

  /**
   * Every lock, granted and waiting (performance_schema.data_locks): table queues first, then
   * record queues, each in the order its object was first locked; within a queue the granted
   * locks in grant order, then the waiting requests in queue order.
   * @req INNODB-LOCK-111
   */
  locks(): LockInfo[] {
    const out: LockInfo[] = [];
    for (const q of this.allQueues()) {
      for (const g of q.granted) out.push(this.info(g));
      for (const w of q.waiting) out.push(this.info(w));
    }
    return out;
  }

  /**
   * Who waits for whom (performance_schema.data_lock_waits): for every waiting request, each
   * lock that keeps it waiting. @req INNODB-LOCK-111
   */
  waits(): LockWaitInfo[] {
    const out: LockWaitInfo[] = [];
    for (const q of this.allQueues()) {
      for (const w of q.waiting) {
        const requesting = this.info(w);
        for (const b of q.conflicts(w.owner, w.mode, w)) out.push({ requesting, blocking: this.info(b) });
      }
    }
    return out;
  }

  /** The locks of one transaction: granted in grant order, then the one it waits for. */
  ownerLocks(owner: LockOwner): LockInfo[] {
    const state = this.owners.get(owner);
    if (!state) return [];
    const out = [...state.held].map((l) => this.info(l));
    if (state.waiting) out.push(this.info(state.waiting));
    return out;
  }

  /** Lock counts and the pending wait of one transaction (the monitor's TRANSACTIONS section). */
  summary(owner: LockOwner): OwnerLockSummary {
    const state = this.owners.get(owner);
    return state ? this.summaryOf(state) : { lockStructs: 0, rowLocks: 0, waiting: null };
  }

  /** The body of the monitor's LATEST DETECTED DEADLOCK section, or null before the first deadlock. @req INNODB-MON-008 */
  latestDeadlock(): string | null {
    return this.latestReport;
  }

  // -------------------------------------------------------------------------------------------
  // Waiting
  // -------------------------------------------------------------------------------------------

  /** Queue a conflicting request, look for deadlocks, and wait. */
  private enqueue(queue: LockQueue, owner: LockOwner, mode: AnyLockMode, opts: LockWaitOptions, gap: GapMode = 'record'): 'granted' | Promise<'granted'> {
    const reason = opts.signal.reason;
    if (reason) throw reason;
    const state = this.stateOf(owner);
    const lock = new Lock(++this.serial, owner, queue, mode, gap);
    lock.waitStartedMs = this.now();
    queue.waiting.push(lock);
    state.waiting = lock;
    if (opts.deadlockDetect) this.breakDeadlocks(lock);
    // Ending another transaction's wait may have let this request through.
    if (lock.status === 'GRANTED') return 'granted';
    return this.suspend(lock, opts);
  }

  /**
   * Wait for a queued request: count the wait, arm the timeout, listen to the signal.
   * @req INNODB-LOCK-107 INNODB-LOCK-109 INNODB-LOCK-112 INNODB-ERR-004
   */
  private suspend(lock: Lock, opts: LockWaitOptions): Promise<'granted'> {
    const c = this.counters;
    c.waits++;
    c.currentWaits++;
    const startedMs = this.now();
    let timer: ReturnType<typeof setTimeout> | null = null;
    let unlisten: () => void = () => undefined;
    return new Promise<'granted'>((resolve, reject) => {
      lock.waiter = {
        startedMs,
        settle: (outcome) => {
          if (timer) clearTimeout(timer);
          unlisten();
          const ms = Math.max(0, this.now() - startedMs);
          c.currentWaits--;
          c.totalWaitMs += ms;
          if (ms > c.maxWaitMs) c.maxWaitMs = ms;
          if (outcome === 'granted') resolve('granted');
          else reject(outcome);
        },
      };
      if (Number.isFinite(opts.timeoutMs) && opts.timeoutMs <= MAX_TIMER_DELAY_MS) {
        timer = setTimeout(() => {
          if (lock.status !== 'WAITING') return;
          c.timeouts++;
          this.abort(lock, sqlError('ER_LOCK_WAIT_TIMEOUT'));
        }, Math.max(0, opts.timeoutMs));
        timer.unref();
      }
      unlisten = opts.signal.onAbort((reason) => this.abort(lock, reason));
    });
  }

  /**
   * Take a waiting request out of its queue, settle its wait with `err`, and let the requests
   * behind it go if they now can. Returns false when it no longer waits.
   */
  private abort(lock: Lock, err: SqlError): boolean {
    if (lock.status !== 'WAITING' || !lock.queue.removeWaiting(lock)) return false;
    const state = this.owners.get(lock.owner);
    if (state && state.waiting === lock) state.waiting = null;
    const waiter = lock.waiter;
    lock.waiter = null;
    waiter?.settle(err);
    this.afterRemoval(lock.queue);
    if (state) this.dropOwnerIfIdle(state);
    return true;
  }

  /**
   * End the waits of deadlock victims until no cycle runs through the new request's
   * transaction. Throws 1213 when the request's own transaction is the victim.
   * @req INNODB-LOCK-105 INNODB-ERR-003
   */
  private breakDeadlocks(lock: Lock): void {
    for (let round = 0; round < MAX_DEADLOCK_ROUNDS && lock.status === 'WAITING'; round++) {
      const found = findCycle(lock.owner, (o) => this.blockersOf(o));
      if (found.kind === 'none') return;
      this.counters.deadlocks++;
      const err = sqlError('ER_LOCK_DEADLOCK');
      if (found.kind === 'too-deep') {
        this.publish(formatTooDeepReport(new Date(this.now()), lock.owner.connectionId, this.party(lock.owner, null)));
        this.abort(lock, err);
        throw err;
      }
      const cycle = found.cycle;
      const victim = chooseVictim(cycle, (o) => o.weight());
      this.publish(this.report(cycle, cycle.indexOf(victim)));
      if (victim === lock.owner) {
        this.abort(lock, err);
        throw err;
      }
      const victimWait = this.owners.get(victim)?.waiting;
      if (victimWait) this.abort(victimWait, err);
    }
  }

  /** The transactions `owner` waits for (the edges of the wait-for graph). */
  private blockersOf(owner: LockOwner): Set<LockOwner> {
    const out = new Set<LockOwner>();
    const w = this.owners.get(owner)?.waiting;
    if (w) for (const b of w.queue.conflicts(w.owner, w.mode, w)) out.add(b.owner);
    return out;
  }

  /** The report of a cycle in which `cycle[i]` waits for `cycle[i + 1]`. @req INNODB-MON-008 */
  private report(cycle: readonly LockOwner[], victim: number): string {
    const parties = cycle.map((o, i) => this.party(o, cycle[(i + cycle.length - 1) % cycle.length]!));
    return formatDeadlockReport(new Date(this.now()), cycle[0]!.connectionId, parties, victim);
  }

  /** One transaction of a report; `blocked` is the transaction waiting for it. */
  private party(owner: LockOwner, blocked: LockOwner | null): DeadlockParty {
    const state = this.owners.get(owner)!;
    const waiting = state.waiting!;
    let holds: LockInfo | null = null;
    const bw = blocked ? this.owners.get(blocked)?.waiting : null;
    if (bw) {
      const lock = bw.queue.conflicts(bw.owner, bw.mode, bw).find((l) => l.owner === owner);
      if (lock) holds = this.info(lock);
    }
    const since = owner.startedAtMs ?? state.firstLockMs;
    return {
      owner,
      activeSec: Math.max(0, Math.floor((this.now() - since) / 1000)),
      summary: this.summaryOf(state),
      holds,
      waiting: this.info(waiting),
    };
  }

  /** Keep the report for the monitor and hand it to the error-log hook. @req INNODB-MON-008 INNODB-TRBL-002 */
  private publish(text: string): void {
    this.latestReport = text;
    try {
      this.onDeadlock?.(text);
    } catch {
      // A failing log hook must not leave the lock queues half-updated; the report is kept.
    }
  }

  // -------------------------------------------------------------------------------------------
  // Bookkeeping
  // -------------------------------------------------------------------------------------------

  private stateOf(owner: LockOwner): OwnerState {
    let s = this.owners.get(owner);
    if (!s) {
      s = { owner, firstLockMs: this.now(), held: new Set(), tables: new Map(), rowLocks: 0, waiting: null };
      this.owners.set(owner, s);
    }
    return s;
  }

  private grantNew(queue: LockQueue, owner: LockOwner, mode: AnyLockMode, gap: GapMode = 'record'): void {
    const lock = new Lock(++this.serial, owner, queue, mode, gap);
    queue.addGranted(lock);
    this.recordGrant(this.stateOf(owner), lock);
  }

  private recordGrant(state: OwnerState, lock: Lock): void {
    state.held.add(lock);
    if (lock.queue.kind === 'TABLE') {
      const list = state.tables.get(lock.queue.tableId);
      if (list) list.push(lock);
      else state.tables.set(lock.queue.tableId, [lock]);
    } else {
      state.rowLocks++;
    }
  }

  /** A lock left `queue`: grant what can go, and forget the queue when nothing is left in it. */
  private afterRemoval(queue: LockQueue): void {
    for (const g of queue.grantWaiters()) {
      const state = this.owners.get(g.owner);
      if (state) {
        if (state.waiting === g) state.waiting = null;
        this.recordGrant(state, g);
      }
      const waiter = g.waiter;
      g.waiter = null;
      waiter?.settle('granted');
    }
    if (queue.idle) {
      if (queue.kind === 'TABLE') this.tableQueues.delete(queue.tableId);
      else if (this.recordQueues.delete(queue.mapKey)) {
        const ix = indexQueueKey(queue.tableId, queue.indexName);
        const n = (this.queuesPerIndex.get(ix) ?? 1) - 1;
        if (n > 0) this.queuesPerIndex.set(ix, n);
        else this.queuesPerIndex.delete(ix);
      }
    }
  }

  private dropOwnerIfIdle(state: OwnerState): void {
    if (state.held.size === 0 && !state.waiting && this.owners.get(state.owner) === state) this.owners.delete(state.owner);
  }

  private summaryOf(state: OwnerState): OwnerLockSummary {
    const w = state.waiting;
    return {
      lockStructs: state.held.size + (w ? 1 : 0),
      rowLocks: state.rowLocks + (w && w.queue.kind === 'RECORD' ? 1 : 0),
      waiting: w ? this.info(w) : null,
    };
  }

  private *allQueues(): Iterable<LockQueue> {
    yield* this.tableQueues.values();
    yield* this.recordQueues.values();
  }

  private info(lock: Lock): LockInfo {
    const q = lock.queue;
    return {
      lockId: lock.id,
      trxId: lock.owner.trxId,
      connectionId: lock.owner.connectionId,
      tableId: q.tableId,
      tableName: q.tableName,
      indexName: q.indexName,
      keyText: q.supremum ? SUPREMUM_TEXT : q.keyText,
      rawMode: lock.mode,
      ...(lock.gap !== 'record' ? { gap: lock.gap } : {}),
      mode: dataLocksMode(q.kind, lock.mode, lock.gap),
      type: q.kind,
      status: lock.status,
      waitStartedMs: lock.status === 'WAITING' ? lock.waitStartedMs : null,
    };
  }
}

function indexQueueKey(tableId: number, indexName: string | null): string {
  return `${tableId}\u0001${indexName ?? ''}`;
}
