/**
 * One session's InnoDB transaction: the participant the server's transaction coordinator talks
 * to. It owns its read view, its undo (what rollback, statement rollback and savepoints pop),
 * its row locks (through the lock system) and the list of records it changed (what its commit
 * record in the redo log carries).
 *
 * A failed statement is undone alone and keeps its locks (15.21.5): only the end of the
 * transaction releases them.
 *
 * A transaction that ends without an id or a change leaves nothing behind, so its object is
 * handed to the next transaction (reusable / restart) rather than allocated per statement.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-transaction-isolation-levels.html (15.7.2.1)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-error-handling.html (15.21.5)
 * @req INNODB-ERR-001 INNODB-ERR-006 INNODB-ERR-008 INNODB-ERR-009 INNODB-MVCC-102 INNODB-TRX-101 INNODB-TRX-102
 * @req CORE-PERF-030 CORE-PERF-033
 */
import type { Xid } from '../../../kernel/xid.js';
import type { EngineTransaction, IsolationLevel, MaybePromise, TransactionOptions } from '../../handler.js';
import type { ClusterRec, InnodbTable, Version } from '../index/innodb-table.js';
import type { ReadView, TrxRecord } from './read-view.js';
import type { TrxSys } from './trx-sys.js';

export interface UndoEntry {
  table: InnodbTable;
  rec: ClusterRec;
  /** The version this change put on top. */
  undone: Version;
  /** What was on top before (null: the change created the record). */
  prev: Version | null;
}

export type TrxState = 'active' | 'prepared' | 'committed' | 'rolled back';

/** What a transaction needs of its engine: ids and views, logging its end, releasing locks. */
export interface TrxServices {
  readonly sys: TrxSys;
  /** Write the commit record of a transaction that changed rows; resolves when it is as durable
   *  as innodb_flush_log_at_trx_commit asks. Called after the changes became visible. */
  logCommit(trx: InnodbTrx): MaybePromise<void>;
  /** Write the prepare record (the changes, undecided, under `xid`) and make it durable. */
  logPrepare(trx: InnodbTrx, xid: Xid): Promise<void>;
  /** Write the images of the rows in `trx.unlogged` as an Active record (no flush): what an
   *  incomplete transaction held, for recovery to roll back. */
  logActive(trx: InnodbTrx): void;
  /** An open transaction whose Active records are in the log was rolled back. */
  logRollback(trx: InnodbTrx): void;
  /** Write the decision on a prepared transaction. */
  logDecision(trx: InnodbTrx, commit: boolean): MaybePromise<void>;
  /** The transaction ended: release its locks, hand its records to purge. */
  ended(trx: InnodbTrx, committed: boolean): void;
}

export class InnodbTrx implements EngineTransaction {
  readonly engine = 'InnoDB';
  /** DB_TRX_ID; 0n until the first change or lock. */
  id = 0n;
  /** Shared by every version this transaction writes; commitSeq set at commit. */
  record: TrxRecord = { id: 0n, commitSeq: Infinity };
  state: TrxState = 'active';
  isolation: IsolationLevel;
  readOnly: boolean;
  /** An autocommitted single statement (SERIALIZABLE reads do not lock then). */
  singleStatement: boolean;
  startedAt = Date.now();
  view: ReadView | null = null;
  readonly undo: UndoEntry[] = [];
  /** Records changed (or changed back by a partial rollback) since the last Active record. */
  readonly unlogged = new Map<InnodbTable, Set<ClusterRec>>();
  /** An Active record of this transaction is in the redo log: its end must be logged. */
  activeLogged = false;
  /** Records changed, per table: what the commit record carries. */
  readonly changed = new Map<InnodbTable, Set<ClusterRec>>();
  xid: Xid | null = null;
  /** LSN of the prepare record (recovery and checkpoints keep the log from it on). */
  prepareLsn: bigint | null = null;
  /** Rows changed (the deadlock victim weight). */
  rowsModified = 0;
  /** Rows locked, for INNODB_TRX and the monitor. */
  rowsLocked = 0;
  /** What the transaction is doing, for the monitor and deadlock reports. */
  statementText = '';
  private statementMark = 0;
  private readonly savepoints = new Map<string, number>();
  /** Recovered from the redo log (a prepared transaction of an earlier run). */
  recovered = false;
  /** The server's dictionary and grant tables (TransactionOptions.system): the commit waits for
   *  its redo to be on disk whatever innodb_flush_log_at_trx_commit says, and forced recovery
   *  below read-only lets it write. */
  system: boolean;

  constructor(
    private readonly services: TrxServices,
    public connectionId: number,
    options: TransactionOptions,
  ) {
    this.isolation = options.isolation;
    this.readOnly = options.readOnly;
    this.singleStatement = options.singleStatement ?? false;
    this.system = options.system ?? false;
    if (options.consistentSnapshot && this.isolation === 'REPEATABLE-READ') this.view = services.sys.openView(0n);
  }

  /**
   * Whether this ended transaction left nothing anywhere: no id (so no version, lock, wait or
   * report names it), no change, no view, nothing prepared or logged. Such an object is as good
   * as new, and the engine hands it to the next transaction instead of allocating one per
   * statement. @req CORE-PERF-033
   */
  reusable(): boolean {
    return (
      (this.state === 'committed' || this.state === 'rolled back') &&
      this.id === 0n &&
      !this.recovered &&
      this.xid === null &&
      this.prepareLsn === null &&
      !this.activeLogged &&
      this.view === null &&
      this.changed.size === 0 &&
      this.undo.length === 0 &&
      this.unlogged.size === 0 &&
      this.savepoints.size === 0 &&
      this.rowsModified === 0 &&
      this.rowsLocked === 0
    );
  }

  /** Start again as a new transaction (only after {@link reusable} said yes). @req CORE-PERF-033 */
  restart(connectionId: number, options: TransactionOptions): this {
    this.connectionId = connectionId;
    this.isolation = options.isolation;
    this.readOnly = options.readOnly;
    this.singleStatement = options.singleStatement ?? false;
    this.system = options.system ?? false;
    this.startedAt = Date.now();
    this.state = 'active';
    this.statementText = '';
    this.statementMark = 0;
    if (options.consistentSnapshot && this.isolation === 'REPEATABLE-READ') this.view = this.services.sys.openView(0n);
    return this;
  }

  /** Nothing changed, nothing prepared: the commit needs no coordination. @req CORE-PERF-030 */
  wroteNothing(): boolean {
    return this.state === 'active' && this.changed.size === 0 && this.xid === null && !this.activeLogged && !this.recovered;
  }

  /** LockOwner: the transaction's id, given on first need. */
  get trxId(): bigint {
    return this.ensureId();
  }

  ensureId(): bigint {
    if (this.id === 0n) {
      this.id = this.services.sys.allocateId();
      this.record = { id: this.id, commitSeq: Infinity };
      this.services.sys.register(this);
    }
    return this.id;
  }

  /** LockOwner: when the transaction started ("ACTIVE n sec" in reports). */
  get startedAtMs(): number {
    return this.startedAt;
  }

  weight(): number {
    return this.undo.length + this.rowsLocked;
  }

  describe(): string {
    return this.statementText;
  }

  /** The view a consistent read uses: per statement under READ COMMITTED, per transaction
   *  under REPEATABLE READ (taken at the first read). @req INNODB-MVCC-102 */
  readView(): ReadView {
    this.view ??= this.services.sys.openView(this.id);
    return this.view;
  }

  get creator(): bigint {
    return this.id;
  }

  private closeView(): void {
    if (this.view) {
      this.services.sys.closeView(this.view);
      this.view = null;
    }
  }

  /** Record a change made by this transaction. */
  noteChange(table: InnodbTable, rec: ClusterRec, undone: Version, prev: Version | null): void {
    this.undo.push({ table, rec, undone, prev });
    this.rowsModified++;
    let set = this.changed.get(table);
    if (!set) this.changed.set(table, (set = new Set()));
    set.add(rec);
    // An autocommitted statement commits before anything would log its open state.
    if (!this.singleStatement) this.noteUnlogged(table, rec);
  }

  private noteUnlogged(table: InnodbTable, rec: ClusterRec): void {
    let set = this.unlogged.get(table);
    if (!set) this.unlogged.set(table, (set = new Set()));
    set.add(rec);
  }

  get hasChanges(): boolean {
    return this.undo.length > 0;
  }

  beginStatement(): void {
    this.statementMark = this.undo.length;
  }

  /**
   * A statement of a multi-statement transaction that changed rows leaves their images in the
   * redo log (unflushed, like InnoDB's redo of its page changes), so that after a crash the
   * transaction is found incomplete and rolled back, holding its row locks until then. An
   * autocommitted statement commits at once and needs none. @req INNODB-REC-018 INNODB-REC-022
   */
  endStatement(): void {
    if (this.isolation === 'READ-COMMITTED') this.closeView();
    if (!this.singleStatement && this.unlogged.size > 0 && this.state === 'active') this.services.logActive(this);
  }

  /** @req INNODB-ERR-006 INNODB-ERR-008 INNODB-ERR-009 */
  rollbackStatement(): void {
    this.undoTo(this.statementMark);
    if (this.isolation === 'READ-COMMITTED') this.closeView();
  }

  savepoint(name: string): void {
    this.savepoints.set(name.toLowerCase(), this.undo.length);
  }

  rollbackToSavepoint(name: string): void {
    const mark = this.savepoints.get(name.toLowerCase());
    if (mark === undefined) return;
    this.undoTo(mark);
    for (const [n, m] of this.savepoints) if (m > mark) this.savepoints.delete(n);
    // The rows it changed back replace the images the log holds for them.
    if (this.activeLogged && this.unlogged.size > 0) this.services.logActive(this);
  }

  releaseSavepoint(name: string): void {
    this.savepoints.delete(name.toLowerCase());
  }

  /** Undo changes back to `mark` (newest first). @req INNODB-TRX-101 */
  undoTo(mark: number): void {
    while (this.undo.length > mark) {
      const u = this.undo.pop()!;
      if (u.rec.head === u.undone) u.table.restore(u.rec, u.undone, u.prev);
      u.table.dirty = true;
      // A partial rollback changes rows an Active record may hold: they are logged again.
      if (mark > 0 && this.activeLogged) this.noteUnlogged(u.table, u.rec);
    }
  }

  async prepare(xid: Xid): Promise<void> {
    this.xid = xid;
    if (this.hasChanges) await this.services.logPrepare(this, xid);
    this.state = 'prepared';
  }

  /** Commit: the changes become visible at once; the caller waits for the log as
   *  innodb_flush_log_at_trx_commit says. @req INNODB-TRX-102 */
  commit(): MaybePromise<void> {
    if (this.state === 'committed' || this.state === 'rolled back') return;
    const wasPrepared = this.state === 'prepared';
    this.closeView();
    if (!this.hasChanges) {
      this.finish('committed');
      return wasPrepared && this.prepareLsn !== null ? this.services.logDecision(this, true) : undefined;
    }
    this.record.commitSeq = this.services.sys.nextCommitSeq();
    const wait = wasPrepared ? this.services.logDecision(this, true) : this.services.logCommit(this);
    this.finish('committed');
    return wait;
  }

  rollback(): MaybePromise<void> {
    if (this.state === 'committed' || this.state === 'rolled back') return;
    const wasPrepared = this.state === 'prepared';
    this.closeView();
    this.undoTo(0);
    if (this.activeLogged && !wasPrepared) this.services.logRollback(this);
    const wait = wasPrepared && this.prepareLsn !== null ? this.services.logDecision(this, false) : undefined;
    this.finish('rolled back');
    return wait;
  }

  private finish(state: 'committed' | 'rolled back'): void {
    this.state = state;
    this.unlogged.clear();
    this.savepoints.clear();
    if (this.id !== 0n) this.services.sys.unregister(this);
    this.services.ended(this, state === 'committed');
  }
}
