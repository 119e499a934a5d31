/**
 * The locks a session holds: its metadata lock tickets (of statement, transaction or explicit
 * duration), its table locks (for the statement, or for LOCK TABLES), the LOCK TABLES list and
 * the global read lock. Session releases them at the end of each statement, of each
 * transaction, and when the connection ends; this class is also the session's node in the
 * wait-for graph.
 *
 * Every wait ends one of three ways: the lock is granted; lock_wait_timeout passes (1205); or
 * the statement's signal fires (KILL QUERY 1317, max_execution_time 3024, the connection
 * closing). A deadlock found when the wait starts ends the victim's wait with 1213.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/metadata-locking.html (10.11.4)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/lock-tables.html (15.3.6)
 * @req CORE-EXEC-014 CORE-LOCK-010 CORE-LOCK-012 CORE-LOCK-014 CORE-LOCK-015 CORE-MDL-003 CORE-MDL-004 CORE-MDL-005 CORE-MDL-006 CORE-MDL-012 CORE-MDL-013 CORE-LOCK-001 CORE-LOCK-003 CORE-LOCK-006 CORE-LOCK-007 CORE-LOCK-008
 */
import { sqlError, type SqlError } from '../../kernel/errors.js';
import type { Value } from '../../kernel/value.js';
import { NEVER_ABORTED, type WaitSignal } from '../../kernel/wait-signal.js';
import { MAX_DEADLOCK_ROUNDS, MAX_TIMER_DELAY_MS } from './limits.js';
import type { MdlTicket } from './mdl-manager.js';
import { covers, mdlKey, sortRequests, TABLE_LOCK_WAIT_STATE, WAIT_STATE, type MdlNamespace, type MdlRequest, type MdlType } from './mdl-types.js';
import type { PendingWait } from './pending-wait.js';
import { serverLocksFor, type ServerLocks } from './server-locks.js';
import { modeCovers, tableKey, type TableLockHooks, type TableLockMode, type TableLockTicket } from './table-locks.js';
import { findDeadlockVictim, type LockOwner } from './wait-graph.js';

/** One entry of LOCK TABLES: the table (and alias) and whether it was locked for writing. */
export interface TableLockEntry {
  schema: string;
  table: string;
  alias?: string;
  write: boolean;
}

/** What the locks need of their session. */
export interface LockHost {
  /** lock_wait_timeout, in seconds. */
  lockWaitTimeout(): number;
  /** The signal of the running statement (KILL, max_execution_time, connection close). */
  signal(): WaitSignal;
}

/** A table lock a statement asks for. */
export interface TableLockRequest {
  /** tableKey(schema, name). */
  key: string;
  schema: string;
  name: string;
  write: boolean;
  /** The lock's mode when it is not plain read / write (`write` then says whether it changes
   *  the table): a concurrent insert, or LOCK TABLES ... READ's read-no-insert. */
  mode?: TableLockMode;
  /** Calls at grant and release, and the engine's say on concurrent inserts. */
  hooks?: TableLockHooks;
}

/** The mode a request asks for. */
function modeOf(r: TableLockRequest): TableLockMode {
  return r.mode ?? (r.write ? 'write' : 'read');
}

/** performance_schema.metadata_locks.SOURCE of a user-level lock, as MySQL 8.0 shows it. */
const USER_LOCK_SOURCE = 'item_func.cc:4840';

const isStatementTicket = (t: MdlTicket): boolean => t.duration === 'STATEMENT';
const isTransactionTicket = (t: MdlTicket): boolean => t.duration === 'TRANSACTION';

export class SessionLocks implements LockOwner {
  /** The request this session waits for, if any (the wait-for graph). */
  waitingFor: PendingWait | null = null;
  private waitingState: string | null = null;
  /** Granted metadata locks. */
  private tickets: MdlTicket[] = [];
  /** The global read lock (GLOBAL S and COMMIT S), when this session holds it. */
  private grl: MdlTicket[] = [];
  /** Table locks of the running statement, and those LOCK TABLES took. */
  private statementTables: TableLockTicket[] = [];
  private explicitTables: TableLockTicket[] = [];
  private locked: TableLockEntry[] | null = null;
  /** Numbers the session's statements (performance_schema OWNER_EVENT_ID). */
  private eventId = 1;
  /** User-level locks (GET_LOCK) by lock key: one ticket per name, taken `count` times. @req CORE-LOCK-012 */
  private userLocks = new Map<string, { ticket: MdlTicket; count: number }>();

  constructor(
    /** The server's lock managers; null: a session that takes no locks (unit tests). */
    private readonly server: ServerLocks | null = null,
    readonly id = 0,
    private readonly host: LockHost | null = null,
  ) {}

  /**
   * The locks of a client session: the server's lock managers are found from its catalog,
   * lock_wait_timeout is read when a wait starts, and waits end with the running statement's
   * signal.
   */
  static forSession(
    catalog: unknown,
    connectionId: number,
    session: { sysvar(name: string): Value; statementControl(): { readonly signal: WaitSignal } | null },
  ): SessionLocks {
    const server = typeof catalog === 'object' && catalog !== null ? serverLocksFor(catalog) : null;
    return new SessionLocks(server, connectionId, {
      lockWaitTimeout: () => {
        const v = Number(session.sysvar('lock_wait_timeout'));
        return Number.isFinite(v) && v >= 0 ? v : Infinity;
      },
      signal: () => session.statementControl()?.signal ?? NEVER_ABORTED,
    });
  }

  /** Whether this session takes locks at all. */
  get enabled(): boolean {
    return this.server !== null;
  }

  /** LOCK TABLES in effect, or null. Setting null ends LOCK TABLES and releases its locks
   *  (START TRANSACTION unlocks tables implicitly). @req CORE-LOCK-003 */
  get lockedTables(): TableLockEntry[] | null {
    return this.locked;
  }

  set lockedTables(entries: TableLockEntry[] | null) {
    if (entries === null) this.unlockTables();
    else this.locked = entries;
  }

  /** Grants and releases of EXCLUSIVE metadata locks so far, server-wide. */
  get epoch(): number {
    return this.server?.mdl.epoch ?? 0;
  }

  /** PROCESSLIST State while this session waits for a lock, else null. @req CORE-MDL-012 */
  waitState(): string | null {
    return this.waitingState;
  }

  // -------------------------------------------------------------------------------------------
  // Metadata locks
  // -------------------------------------------------------------------------------------------

  /** The granted ticket of this session that covers `type` on a name, if any. */
  private covering(ns: MdlNamespace, schema: string, name: string, type: MdlType): MdlTicket | undefined {
    if (this.tickets.length === 0) return undefined;
    const key = mdlKey(ns, schema, name);
    for (const t of this.tickets) if (t.lock.key === key && covers(ns, t.type, type)) return t;
    return undefined;
  }

  /** Whether this session holds a lock on a name that covers `type`. */
  holds(ns: MdlNamespace, schema: string, name: string, type: MdlType): boolean {
    return this.covering(ns, schema, name, type) !== undefined;
  }

  /**
   * Acquire one metadata lock, waiting if another session holds or waits for an incompatible
   * one. A lock this session already holds (or one that covers it) is granted at once.
   * @req CORE-MDL-001 CORE-MDL-003
   */
  acquire(req: MdlRequest): MdlTicket | Promise<MdlTicket> {
    const mdl = this.server?.mdl;
    if (!mdl) throw new Error('metadata locks are not enabled for this session');
    const held = this.covering(req.namespace, req.schema, req.name, req.type);
    // A covering lock of the same duration serves as it is; for another duration the request
    // gets its own ticket, granted at once (it can conflict with nobody the held one does not).
    if (held && held.duration === req.duration) return held;
    if (held) return this.keep(mdl.grantCovered(this, req, this.eventId));
    const t = mdl.request(this, req, this.eventId);
    if (t.status === 'GRANTED') return this.keep(t);
    return this.waitFor(t.wait!, WAIT_STATE[req.namespace]).then(() => this.keep(t));
  }

  /** Acquire several locks in the fixed order (scopes first, then names), one after another. */
  acquireAll(requests: MdlRequest[]): MdlTicket[] | Promise<MdlTicket[]> {
    const sorted = sortRequests(requests);
    const out: MdlTicket[] = [];
    for (let i = 0; i < sorted.length; i++) {
      const r = this.acquire(sorted[i]!);
      if (r instanceof Promise) return this.acquireRest(sorted, i, r, out);
      out.push(r);
    }
    return out;
  }

  /** The rest of {@link acquireAll} once a lock had to be waited for; on failure the locks this
   *  call acquired are released again (the ones held before stay). */
  private async acquireRest(sorted: readonly MdlRequest[], from: number, first: Promise<MdlTicket>, out: MdlTicket[]): Promise<MdlTicket[]> {
    const before = new Set(this.tickets);
    try {
      out.push(await first);
      for (let i = from + 1; i < sorted.length; i++) out.push(await this.acquire(sorted[i]!));
    } catch (e) {
      this.release(out.filter((t) => !before.has(t)));
      throw e;
    }
    return out;
  }

  private keep(t: MdlTicket): MdlTicket {
    this.tickets.push(t);
    return t;
  }

  /**
   * Upgrade a granted lock (SU -> SNW while ALTER copies, then -> X to switch tables): waits
   * for other sessions to give up what the stronger type excludes.
   * @req CORE-MDL-013
   */
  upgrade(ticket: MdlTicket, to: MdlType): void | Promise<void> {
    if (covers(ticket.lock.namespace, ticket.type, to)) return;
    const pending = this.server!.mdl.requestUpgrade(ticket, to);
    if (!pending) return;
    return this.waitFor(pending.wait!, WAIT_STATE[ticket.lock.namespace]);
  }

  /** Upgrade this session's lock on a table taken for a DDL statement (not the LOCK TABLES one). */
  upgradeTable(schema: string, name: string, to: MdlType): void | Promise<void> {
    if (!this.server) return;
    const key = mdlKey('TABLE', schema, name);
    let pick: MdlTicket | undefined;
    for (const t of this.tickets) if (t.lock.key === key && (pick === undefined || t.duration !== 'EXPLICIT')) pick = t;
    if (!pick) return;
    return this.upgrade(pick, to);
  }

  /** Weaken a granted lock; requests it held back may go on. */
  downgrade(ticket: MdlTicket, to: MdlType): void {
    this.server?.mdl.downgrade(ticket, to);
  }

  /** Change the duration of tickets (LOCK TABLES keeps what its statement acquired). */
  makeExplicit(tickets: readonly MdlTicket[]): void {
    for (const t of tickets) t.duration = 'EXPLICIT';
  }

  /** Release given tickets now. */
  release(tickets: readonly MdlTicket[]): void {
    const gone = new Set(tickets);
    this.tickets = this.tickets.filter((t) => !gone.has(t));
    this.grl = this.grl.filter((t) => !gone.has(t));
    for (const t of tickets) this.server?.mdl.release(t);
  }

  /** Release every ticket a predicate selects. */
  private releaseWhere(pred: (t: MdlTicket) => boolean): void {
    if (!this.tickets.some(pred)) return;
    const keep: MdlTicket[] = [];
    const drop: MdlTicket[] = [];
    for (const t of this.tickets) (pred(t) ? drop : keep).push(t);
    if (drop.length === 0) return;
    this.tickets = keep;
    for (const t of drop) this.server?.mdl.release(t);
  }

  // -------------------------------------------------------------------------------------------
  // Table locks
  // -------------------------------------------------------------------------------------------

  private holdsTable(key: string, mode: TableLockMode): boolean {
    for (const t of this.statementTables) if (t.lock.key === key && modeCovers(t.mode, mode)) return true;
    for (const t of this.explicitTables) if (t.lock.key === key && modeCovers(t.mode, mode)) return true;
    return false;
  }

  /**
   * Take table locks for the statement (or, `explicit`, for LOCK TABLES), in key order, one
   * after another; locks the session holds already are skipped.
   * @req CORE-LOCK-001 CORE-LOCK-007
   */
  lockTables(requests: TableLockRequest[], explicit = false): void | Promise<void> {
    const tables = this.server?.tables;
    if (!tables || requests.length === 0) return;
    const sorted = requests.length < 2 ? requests : requests.slice().sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const into = explicit ? this.explicitTables : this.statementTables;
    for (let i = 0; i < sorted.length; i++) {
      const r = sorted[i]!;
      if (this.holdsTable(r.key, modeOf(r))) continue;
      const t = tables.request(this, r.key, r.schema, r.name, modeOf(r), r.hooks ?? null);
      into.push(t);
      if (t.status === 'PENDING') return this.lockTablesRest(sorted, i, t, into);
    }
  }

  private async lockTablesRest(sorted: readonly TableLockRequest[], at: number, pending: TableLockTicket, into: TableLockTicket[]): Promise<void> {
    await this.waitTable(pending, into);
    for (let i = at + 1; i < sorted.length; i++) {
      const r = sorted[i]!;
      if (this.holdsTable(r.key, modeOf(r))) continue;
      const t = this.server!.tables.request(this, r.key, r.schema, r.name, modeOf(r), r.hooks ?? null);
      into.push(t);
      if (t.status === 'PENDING') await this.waitTable(t, into);
    }
  }

  private async waitTable(t: TableLockTicket, into: TableLockTicket[]): Promise<void> {
    try {
      await this.waitFor(t.wait!, TABLE_LOCK_WAIT_STATE);
    } catch (e) {
      const i = into.indexOf(t);
      if (i >= 0) into.splice(i, 1);
      throw e;
    }
  }

  /** Move the running statement's table locks to LOCK TABLES (they then outlive it). */
  keepStatementTablesExplicit(): void {
    this.explicitTables.push(...this.statementTables);
    this.statementTables = [];
  }

  private releaseTableList(list: TableLockTicket[]): void {
    for (const t of list) this.server?.tables.release(t);
  }

  // -------------------------------------------------------------------------------------------
  // Waiting
  // -------------------------------------------------------------------------------------------

  /**
   * Wait for a pending request: until it is granted, lock_wait_timeout passes (1205), or the
   * statement's signal fires. Looks for a deadlock first.
   * @req CORE-MDL-004 CORE-MDL-005 CORE-LOCK-007
   */
  private async waitFor(wait: PendingWait, state: string, seconds = this.host?.lockWaitTimeout() ?? Infinity, timedOut: SqlError = sqlError('ER_LOCK_WAIT_TIMEOUT')): Promise<void> {
    const signal = this.host?.signal() ?? NEVER_ABORTED;
    const ms = Math.max(0, seconds * 1000);
    const timer = ms <= MAX_TIMER_DELAY_MS ? setTimeout(() => wait.abort(timedOut), ms) : null;
    timer?.unref();
    this.waitingFor = wait;
    this.waitingState = state;
    const off = signal.onAbort((reason) => wait.abort(reason));
    try {
      this.breakDeadlocks(wait);
      await wait.promise;
    } finally {
      if (timer) clearTimeout(timer);
      off();
      if (this.waitingFor === wait) {
        this.waitingFor = null;
        this.waitingState = null;
      }
    }
  }

  /** End the waits of deadlock victims until no cycle runs through this session. @req CORE-MDL-006 */
  private breakDeadlocks(wait: PendingWait): void {
    for (let round = 0; round < MAX_DEADLOCK_ROUNDS && !wait.done; round++) {
      const victim = findDeadlockVictim(this);
      if (!victim) return;
      // A victim waiting for a user-level lock gets its own error. @req CORE-LOCK-014
      victim.waitingFor?.abort(sqlError(victim.waitingFor.userLevel ? 'ER_USER_LOCK_DEADLOCK' : 'ER_LOCK_DEADLOCK'));
    }
  }

  // -------------------------------------------------------------------------------------------
  // User-level locks (GET_LOCK and friends)
  // -------------------------------------------------------------------------------------------

  private static userRequest(name: string): MdlRequest {
    return { namespace: 'USER_LEVEL_LOCK', schema: '', name, type: 'EXCLUSIVE', duration: 'EXPLICIT', source: USER_LOCK_SOURCE };
  }

  /**
   * GET_LOCK(name, timeout): true once this session holds the lock (again: a lock it holds is
   * counted once more), false when `timeoutSec` passes first (Infinity: no limit). A KILL
   * ends the wait with 1317, a deadlock with 3058.
   * @req CORE-LOCK-010 CORE-LOCK-012 CORE-LOCK-014 CORE-LOCK-015
   */
  getUserLock(name: string, timeoutSec: number): boolean | Promise<boolean> {
    const mdl = this.server?.mdl;
    if (!mdl) throw new Error('user-level locks are not enabled for this session');
    const req = SessionLocks.userRequest(name);
    const key = mdlKey(req.namespace, req.schema, req.name);
    const held = this.userLocks.get(key);
    if (held) {
      held.count++;
      return true;
    }
    const t = mdl.request(this, req, this.eventId);
    if (t.status === 'GRANTED') {
      this.userLocks.set(key, { ticket: t, count: 1 });
      return true;
    }
    const timedOut = sqlError('ER_LOCK_WAIT_TIMEOUT');
    return this.waitFor(t.wait!, WAIT_STATE.USER_LEVEL_LOCK, timeoutSec, timedOut).then(
      () => {
        this.userLocks.set(key, { ticket: t, count: 1 });
        return true;
      },
      (e: unknown) => {
        if (e === timedOut) return false;
        throw e;
      },
    );
  }

  /**
   * RELEASE_LOCK(name): true when this session held it (one count is given back), false when
   * another session holds it, null when nobody does.
   * @req CORE-LOCK-012
   */
  releaseUserLock(name: string): boolean | null {
    const req = SessionLocks.userRequest(name);
    const key = mdlKey(req.namespace, req.schema, req.name);
    const held = this.userLocks.get(key);
    if (held) {
      if (--held.count === 0) {
        this.userLocks.delete(key);
        this.server?.mdl.release(held.ticket);
      }
      return true;
    }
    return (this.server?.mdl.holders(req).length ?? 0) > 0 ? false : null;
  }

  /** IS_USED_LOCK(name): the connection id of the holder, or null. @req CORE-LOCK-012 */
  userLockHolder(name: string): number | null {
    const owners = this.server?.mdl.holders(SessionLocks.userRequest(name)) ?? [];
    return owners.length > 0 ? owners[0]!.id : null;
  }

  /** RELEASE_ALL_LOCKS(): release every user-level lock of this session; the number of
   *  times they were taken. @req CORE-LOCK-012 */
  releaseAllUserLocks(): number {
    let n = 0;
    const all = [...this.userLocks.values()];
    this.userLocks.clear();
    for (const l of all) {
      n += l.count;
      this.server?.mdl.release(l.ticket);
    }
    return n;
  }

  // -------------------------------------------------------------------------------------------
  // LOCK TABLES and the global read lock
  // -------------------------------------------------------------------------------------------

  /** Enter LOCK TABLES mode: the running statement's locks become explicit. @req CORE-LOCK-003 */
  enterLockTables(entries: TableLockEntry[], tickets: readonly MdlTicket[]): void {
    this.makeExplicit(tickets);
    this.keepStatementTablesExplicit();
    this.locked = entries;
  }

  /** UNLOCK TABLES (or an implicit unlock): release what LOCK TABLES took. @req CORE-LOCK-003 */
  unlockTables(): void {
    const grl = new Set(this.grl);
    this.releaseWhere((t) => t.duration === 'EXPLICIT' && !grl.has(t));
    this.releaseTableList(this.explicitTables);
    this.explicitTables = [];
    this.locked = null;
  }

  /** Forget one table of LOCK TABLES (it was dropped): its locks go too. */
  forgetLockedTable(schema: string, name: string): void {
    const key = mdlKey('TABLE', schema, name);
    this.releaseWhere((t) => t.duration === 'EXPLICIT' && t.lock.key === key);
    const tkey = tableKey(schema, name);
    const gone = this.explicitTables.filter((t) => t.lock.key === tkey);
    this.releaseTableList(gone);
    this.explicitTables = this.explicitTables.filter((t) => t.lock.key !== tkey);
    if (this.locked) this.locked = this.locked.filter((e) => !(e.schema.toLowerCase() === schema.toLowerCase() && e.table.toLowerCase() === name.toLowerCase()));
  }

  /** Whether this session holds the global read lock (FLUSH TABLES WITH READ LOCK). */
  holdsGlobalReadLock(): boolean {
    return this.grl.length > 0;
  }

  /** The global read lock was acquired: keep its tickets until UNLOCK TABLES. @req CORE-LOCK-004 */
  keepGlobalReadLock(tickets: readonly MdlTicket[]): void {
    this.makeExplicit(tickets);
    this.grl.push(...tickets);
  }

  /** UNLOCK TABLES: release the global read lock. @req CORE-LOCK-004 */
  releaseGlobalReadLock(): void {
    if (this.grl.length === 0) return;
    const grl = this.grl;
    this.grl = [];
    this.release(grl);
  }

  /**
   * The transaction is about to commit: take the COMMIT lock (INTENTION_EXCLUSIVE), which
   * waits while another session holds FLUSH TABLES WITH READ LOCK. The lock lasts to the end of
   * the statement; the returned function releases it earlier.
   * @req CORE-LOCK-006
   */
  async acquireCommitLock(): Promise<() => void> {
    if (!this.server) return () => undefined;
    const t = await this.acquire({ namespace: 'COMMIT', schema: '', name: '', type: 'INTENTION_EXCLUSIVE', duration: 'STATEMENT', source: 'commit' });
    return () => this.release([t]);
  }

  // -------------------------------------------------------------------------------------------
  // Release points
  // -------------------------------------------------------------------------------------------

  /** The statement is over: release its statement-duration locks and its table locks. */
  releaseStatement(): void {
    this.eventId++;
    this.releaseWhere(isStatementTicket);
    if (this.statementTables.length > 0) {
      const list = this.statementTables;
      this.statementTables = [];
      this.releaseTableList(list);
    }
  }

  /** The transaction is over: release its transaction-duration locks. */
  releaseTransaction(): void {
    this.releaseWhere(isTransactionTicket);
  }

  /** The connection ends (or is reset): release everything, LOCK TABLES included. @req CORE-LOCK-008 */
  releaseAll(): void {
    this.releaseAllUserLocks();
    this.releaseWhere(() => true);
    this.grl = [];
    this.releaseTableList(this.statementTables);
    this.releaseTableList(this.explicitTables);
    this.statementTables = [];
    this.explicitTables = [];
    this.locked = null;
  }
}
