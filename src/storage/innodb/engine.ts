/**
 * The InnoDB storage engine: transactional (MVCC, undo, row locks, savepoints, two-phase
 * commit), crash-safe (redo log, doublewrite, checkpoints into file-per-table tablespaces) and
 * the server's default engine. `README.md` in this folder describes the design; this file
 * composes the parts and implements the engine contract.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-storage-engine.html (15)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-recovery.html (15.18.2)
 * @req INNODB-REC-010 INNODB-REC-012 INNODB-REC-015 INNODB-REC-023 INNODB-ERR-003 INNODB-ERR-004
 * @req INNODB-FORCE-012 INNODB-FORCE-013 INNODB-FORCE-022 INNODB-FORCE-023 INNODB-TRX-103
 */
import { rm, rename as fsRename, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { SqlError, sqlError } from '../../kernel/errors.js';
import type { TableDef } from '../../kernel/table-def.js';
import type { Value } from '../../kernel/value.js';
import { xidKey, type Xid } from '../../kernel/xid.js';
import { hashKey } from '../keys.js';
import type {
  EngineCapabilities,
  EngineContext,
  EngineTransaction,
  MaintenanceResult,
  StorageEngine,
  TableHandler,
  TransactionOptions,
  ValidationEnv,
} from '../handler.js';
import { validateInnodbTable } from './dict/validate-table.js';
import { Doublewrite } from './fil/doublewrite.js';
import { writeSystemState } from './fil/system-tablespace.js';
import { InnodbTableHandler, type HandlerServices, type RowCounters } from './handler/table-handler.js';
import type { ReadMode } from './handler/cursor.js';
import { InnodbTable, keyValueText, type ClusterRec } from './index/innodb-table.js';
import { INNODB_MAX_KEY_LENGTH, INNODB_MAX_KEY_PARTS, INNODB_MAX_KEYS } from './limits.js';
import { LockSys } from './lock/lock-sys.js';
import type { RedoLog } from './log/redo-log.js';
import { writeImages, type CheckpointTarget } from './srv/checkpoint.js';
import { CHECKPOINT_AGE_FRACTION, CHECKPOINT_MAX_DIRTY_MS, CHECKPOINT_TICK_MS, LOG_BACKGROUND_FLUSH_MS } from './srv/limits.js';
import { Purge } from './srv/purge.js';
import { recoverInnodb, type RecoveredPrepared } from './srv/recovery.js';
import { ibdPath, SpaceRegistry, type Space } from './srv/spaces.js';
import { encodeRedo, RedoType, type RowOp } from './trx/redo-records.js';
import { InnodbTrx, type TrxServices } from './trx/trx.js';
import { TrxSys } from './trx/trx-sys.js';

export const INNODB_CAPABILITIES: EngineCapabilities = {
  transactions: true,
  xa: true,
  savepoints: true,
  blobs: true,
  autoIncrement: true,
  indexes: true,
  indexAlgorithms: ['BTREE'],
  defaultIndexAlgorithm: 'BTREE',
  nullableIndexColumns: true,
  foreignKeys: false,
  fulltext: false,
  spatial: false,
  geometry: true,
  partitioning: false,
  nullableColumns: true,
  checkRepair: false,
  lockGranularity: 'row',
  temporaryTables: true,
  maxKeys: INNODB_MAX_KEYS,
  maxKeyParts: INNODB_MAX_KEY_PARTS,
  maxKeyLength: INNODB_MAX_KEY_LENGTH,
};

export type EngineLogLevel = 'Error' | 'Warning' | 'Note' | 'System';

export interface InnodbEngineOptions {
  /** Global system variables (innodb_page_size, innodb_force_recovery, ...). */
  globalVar?: (name: string) => Value;
  /** The server's error log. */
  log?: (level: EngineLogLevel, code: string, message: string) => void;
}

function num(v: Value | undefined, dflt: number): number {
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
  return dflt;
}

function on(v: Value | undefined): boolean {
  return v === 1n || v === 1 || v === 'ON' || v === '1';
}

export class InnodbEngine implements StorageEngine {
  readonly name = 'InnoDB';
  readonly aliases: readonly string[] = ['INNOBASE'];
  readonly comment = 'Supports transactions, row-level locking, and foreign keys';
  readonly capabilities = INNODB_CAPABILITIES;

  datadir = '';
  pageSize = 16384;
  forceRecovery = 0;
  readOnly = false;
  readonly sys = new TrxSys();
  readonly locks = new LockSys();
  readonly spaces = new SpaceRegistry();
  readonly counters: RowCounters = { read: 0, inserted: 0, updated: 0, deleted: 0 };
  private log: RedoLog | null = null;
  private dblwr: Doublewrite | null = null;
  private purge: Purge = new Purge(this.sys, false);
  nextRowId = 1n;
  private readonly prepared = new Map<string, InnodbTrx>();
  private readonly trxs = new Set<InnodbTrx>();
  private checkpointTimer: NodeJS.Timeout | null = null;
  private flushTimer: NodeJS.Timeout | null = null;
  private checkpointing: Promise<void> | null = null;
  private lastCheckpointAt = Date.now();
  private firstDirtyAt: number | null = null;
  /** The log failed (EIO, ENOSPC): InnoDB refuses changes from then on. */
  private logFailure: Error | null = null;
  private readonly handlerServices: HandlerServices;
  private readonly trxServices: TrxServices;
  /** LATEST DETECTED DEADLOCK and the monitor read the lock system; innodb_print_all_deadlocks logs each. */
  readonly startedAt = Date.now();

  constructor(private readonly options: InnodbEngineOptions = {}) {
    this.locks.onDeadlock = (text) => {
      if (on(this.globalVar('innodb_print_all_deadlocks'))) this.logLine('Note', 'MY-012468', `Transactions deadlock detected, dumping detailed information.\n${text}`);
    };
    this.handlerServices = {
      counters: this.counters,
      pageSize: this.pageSize,
      lockRecord: (ctx, trx, table, rec, mode, read) => this.lockRecord(ctx, trx, table, rec, mode, read),
      checkWritable: (ctx) => this.checkWritable(ctx),
      autocommitTrx: (ctx) => this.beginTransaction(ctx, { isolation: 'REPEATABLE-READ', readOnly: false, consistentSnapshot: false }) as InnodbTrx,
      nextRowId: () => this.nextRowId++,
      autoIncChanged: (table) => this.autoIncChanged(table),
      touched: (table) => this.touched(table),
      sizes: (table) => this.sizes(table),
    };
    this.trxServices = {
      sys: this.sys,
      logCommit: (trx) => this.logCommit(trx),
      logPrepare: (trx, xid) => this.logPrepare(trx, xid),
      logDecision: (trx, commit) => this.logDecision(trx, commit),
      ended: (trx, committed) => this.trxEnded(trx, committed),
    };
  }

  globalVar(name: string): Value {
    return this.options.globalVar?.(name) ?? null;
  }

  logLine(level: EngineLogLevel, code: string, message: string): void {
    this.options.log?.(level, code, message);
  }

  // ---------------------------------------------------------------- startup and shutdown

  /** @req INNODB-REC-010 INNODB-REC-012 */
  async init(datadir: string): Promise<void> {
    this.datadir = datadir;
    this.pageSize = num(this.globalVar('innodb_page_size'), 16384);
    this.forceRecovery = num(this.globalVar('innodb_force_recovery'), 0);
    this.readOnly = on(this.globalVar('innodb_read_only')) || this.forceRecovery >= 4;
    (this.handlerServices as { pageSize: number }).pageSize = this.pageSize;
    this.logLine('System', 'MY-013576', 'InnoDB initialization has started.');
    const r = await recoverInnodb({
      datadir,
      pageSize: this.pageSize,
      forceRecovery: this.forceRecovery,
      readOnly: this.readOnly,
      capacity: num(this.globalVar('innodb_redo_log_capacity'), 104857600),
      directories: String(this.globalVar('innodb_directories') ?? '')
        .split(/[;,]/)
        .filter((d) => d !== ''),
      spaces: this.spaces,
      sys: this.sys,
      log: (level, code, msg) => this.logLine(level, code, msg),
    });
    this.log = r.log;
    this.dblwr = r.log ? new Doublewrite(datadir, this.pageSize) : null;
    this.nextRowId = r.nextRowId;
    for (const p of r.prepared) this.restorePrepared(p);
    this.purge = new Purge(this.sys, this.forceRecovery < 2);
    this.logLine('System', 'MY-013577', 'InnoDB initialization has ended.');
    if (this.log) {
      this.flushTimer = setInterval(() => this.backgroundFlush(), LOG_BACKGROUND_FLUSH_MS);
      this.flushTimer.unref();
      this.checkpointTimer = setInterval(() => this.maybeCheckpoint(), CHECKPOINT_TICK_MS);
      this.checkpointTimer.unref();
    }
  }

  /** A transaction found prepared in the redo log: its rows are back as uncommitted versions
   *  with their locks, waiting for XA COMMIT / XA ROLLBACK or the coordinator. @req INNODB-REC-023 */
  private restorePrepared(p: RecoveredPrepared): void {
    const trx = new InnodbTrx(this.trxServices, 0, { isolation: 'REPEATABLE-READ', readOnly: false, consistentSnapshot: false });
    trx.id = p.trxId;
    trx.record = { id: p.trxId, commitSeq: Infinity };
    trx.xid = p.xid;
    trx.prepareLsn = p.lsn;
    trx.recovered = true;
    trx.state = 'prepared';
    this.sys.register(trx);
    for (const op of p.ops) {
      const space = this.spaces.get(op.spaceId);
      if (!space) continue;
      const t = space.table;
      const key = t.clusterKey(op.row, op.rowId);
      const hk = hashKey(key);
      const rec = t.byKey.get(hk);
      const v = { row: op.row, trx: trx.record, deleted: op.deleted, prev: null };
      if (rec) {
        const prev = rec.head;
        t.pushVersion(rec, v);
        trx.noteChange(t, rec, v, prev);
        this.recoveredLock(trx, t, rec);
      } else if (!op.deleted) {
        const nrec = t.addRecord(key, hk, op.rowId, v);
        trx.noteChange(t, nrec, v, null);
        this.recoveredLock(trx, t, nrec);
      }
    }
    this.prepared.set(xidKey(p.xid), trx);
    this.trxs.add(trx);
  }

  private recoveredLock(trx: InnodbTrx, t: InnodbTable, rec: ClusterRec): void {
    void this.locks.lockRecord({
      owner: trx,
      tableId: t.def.id,
      tableName: `\`${t.def.schema}\`.\`${t.def.name}\``,
      indexName: t.clustered?.name ?? 'GEN_CLUST_INDEX',
      key: rec.hk,
      keyText: keyTextOf(t, rec),
      mode: 'X',
      signal: { reason: null, onAbort: () => () => undefined },
      timeoutMs: 0,
      deadlockDetect: false,
    });
  }

  /** Slow or fast shutdown: everything committed goes into the tablespaces, so the next start
   *  replays nothing. @req INNODB-REC-013 INNODB-BAK-004 */
  async shutdown(): Promise<void> {
    if (this.checkpointTimer) clearInterval(this.checkpointTimer);
    if (this.flushTimer) clearInterval(this.flushTimer);
    this.checkpointTimer = this.flushTimer = null;
    this.purge.stop();
    if (this.log && !this.logFailure) {
      if (num(this.globalVar('innodb_fast_shutdown'), 1) < 2) {
        for (const s of this.spaces.all()) s.table.dirty = true;
        await this.checkpoint().catch((e: unknown) => this.logLine('Error', 'MY-012345', `InnoDB: checkpoint at shutdown failed: ${String(e)}`));
      }
      await this.log.close().catch(() => undefined);
    }
    this.log = null;
  }

  // ---------------------------------------------------------------- DDL

  /** The limits of 15.22 and 15.23, under the session's innodb_strict_mode. @req INNODB-LIMIT-001 INNODB-RESTR-001 */
  validate(def: TableDef, env?: ValidationEnv): void {
    const v = (n: string): Value => env?.sessionVar(n) ?? this.globalVar(n);
    const r = validateInnodbTable(def, {
      pageSize: this.pageSize,
      strictMode: on(v('innodb_strict_mode') ?? 'ON'),
      defaultRowFormat: String(v('innodb_default_row_format') ?? 'DYNAMIC').toUpperCase() as 'DYNAMIC' | 'COMPACT' | 'REDUNDANT',
      statement: env?.statement ?? 'CREATE',
    });
    for (const w of r.warnings) env?.warn(w.code, w.message);
  }

  private checkDdl(kind: 'create' | 'drop'): void {
    if (this.forceRecovery >= 4 && (kind === 'create' || this.forceRecovery > 4)) throw sqlError('ER_INNODB_FORCED_RECOVERY');
    if (on(this.globalVar('innodb_read_only'))) throw sqlError('ER_INNODB_READ_ONLY');
  }

  async createTable(_ctx: EngineContext, def: TableDef): Promise<void> {
    if (def.temporary) {
      this.spaces.temporary.set(def.id, new InnodbTable(def));
      return;
    }
    this.checkDdl('create');
    const path = ibdPath(def);
    const old = this.spaces.at(path);
    if (old) await this.dropSpace(old);
    const space: Space = { spaceId: this.spaces.nextSpaceId, path, table: new InnodbTable(def), flushedLsn: 0n };
    this.spaces.add(space);
    const lsn = this.append(encodeRedo({ type: RedoType.SpaceCreate, spaceId: space.spaceId, path }));
    await mkdir(dirname(join(this.datadir, path)), { recursive: true });
    await writeImages(this.datadir, this.dblwr!, [{ space, rows: [], autoInc: space.table.autoInc }], lsn, this.pageSize, this.nextRowId);
    space.flushedLsn = lsn;
    await this.log!.flushUpTo(lsn);
  }

  async dropTable(_ctx: EngineContext, def: TableDef): Promise<void> {
    if (def.temporary) {
      this.spaces.temporary.delete(def.id);
      return;
    }
    const space = this.spaces.at(ibdPath(def));
    if (!space) {
      await rm(join(this.datadir, ibdPath(def)), { force: true });
      return;
    }
    this.checkDdl('drop');
    await this.dropSpace(space);
  }

  private async dropSpace(space: Space): Promise<void> {
    this.spaces.remove(space);
    const lsn = this.append(encodeRedo({ type: RedoType.SpaceDrop, spaceId: space.spaceId }));
    await this.log!.flushUpTo(lsn);
    await rm(join(this.datadir, space.path), { force: true });
  }

  async renameTable(_ctx: EngineContext, from: TableDef, to: TableDef): Promise<void> {
    if (from.temporary) {
      const t = this.spaces.temporary.get(from.id);
      if (t) {
        this.spaces.temporary.delete(from.id);
        t.def = to;
        this.spaces.temporary.set(to.id, t);
      }
      return;
    }
    const space = this.spaces.at(ibdPath(from));
    if (!space) throw sqlError('ER_TABLESPACE_MISSING', `\`${from.schema}\`.\`${from.name}\``);
    const path = ibdPath(to);
    const lsn = this.append(encodeRedo({ type: RedoType.SpaceRename, spaceId: space.spaceId, path }));
    await this.log!.flushUpTo(lsn);
    await mkdir(dirname(join(this.datadir, path)), { recursive: true });
    await fsRename(join(this.datadir, space.path), join(this.datadir, path));
    this.spaces.move(space, path);
    space.table.def = to;
    // The file's header and SDI still name the old table: the next checkpoint rewrites them.
    this.touched(space.table);
  }

  async openTable(_ctx: EngineContext, def: TableDef): Promise<TableHandler> {
    const table = def.temporary ? this.spaces.temporary.get(def.id) : this.spaces.at(ibdPath(def))?.table;
    if (!table) throw sqlError('ER_TABLESPACE_MISSING', `\`${def.schema}\`.\`${def.name}\``);
    table.def = def;
    return new InnodbTableHandler(table, this.handlerServices);
  }

  // ---------------------------------------------------------------- transactions

  beginTransaction(ctx: EngineContext, options: TransactionOptions): EngineTransaction {
    const trx = new InnodbTrx(this.trxServices, ctx.connectionId, options);
    this.trxs.add(trx);
    return trx;
  }

  /** Transactions that have not ended (INNODB_TRX, the monitor's TRANSACTIONS). */
  transactions(): InnodbTrx[] {
    return [...this.trxs];
  }

  private trxEnded(trx: InnodbTrx, committed: boolean): void {
    this.locks.releaseAll(trx);
    this.trxs.delete(trx);
    if (trx.xid) this.prepared.delete(xidKey(trx.xid));
    if (committed && trx.changed.size > 0) this.purge.add(trx.record.commitSeq, trx.changed);
    trx.undo.length = 0;
  }

  private redoOps(trx: InnodbTrx): RowOp[] {
    const ops: RowOp[] = [];
    for (const [table, recs] of trx.changed) {
      const space = table.def.temporary ? undefined : this.spaces.ofTable(table);
      if (!space) continue;
      for (const rec of recs) {
        // Skip records whose change was undone (a statement or savepoint rollback).
        const h = rec.head;
        if (rec.removed || h.trx !== trx.record) continue;
        ops.push({ spaceId: space.spaceId, rowId: rec.rowId, row: h.row, deleted: h.deleted });
      }
    }
    return ops;
  }

  private append(payload: Buffer): bigint {
    if (this.logFailure) throw sqlError('ER_ERROR_DURING_COMMIT', 1, this.logFailure.message);
    if (!this.log) throw sqlError('ER_INNODB_READ_ONLY');
    return this.log.append(payload);
  }

  /** Wait for the log as innodb_flush_log_at_trx_commit says. @req INNODB-TRX-103 */
  private durable(lsn: bigint): Promise<void> | undefined {
    const mode = num(this.globalVar('innodb_flush_log_at_trx_commit'), 1);
    if (mode === 0) return undefined;
    const p = mode === 2 ? this.log!.writeUpTo(lsn) : this.log!.flushUpTo(lsn);
    return p.catch((e: unknown) => this.failed(e));
  }

  private failed(e: unknown): never {
    const err = e instanceof Error ? e : new Error(String(e));
    if (!this.logFailure) {
      this.logFailure = err;
      this.logLine('Error', 'MY-012888', `InnoDB: the redo log could not be written (${err.message}); InnoDB refuses further changes.`);
    }
    throw sqlError('ER_ERROR_DURING_COMMIT', 1, err.message);
  }

  private logCommit(trx: InnodbTrx): Promise<void> | undefined {
    const ops = this.redoOps(trx);
    if (ops.length === 0) return undefined;
    const lsn = this.append(encodeRedo({ type: RedoType.Commit, trxId: trx.id, ops }));
    return this.durable(lsn);
  }

  private async logPrepare(trx: InnodbTrx, xid: Xid): Promise<void> {
    const ops = this.redoOps(trx);
    if (ops.length === 0) return;
    // The checkpoint may not pass the start of this record while the transaction is undecided.
    trx.prepareLsn = this.log!.stats.lsn;
    const lsn = this.append(encodeRedo({ type: RedoType.Prepare, trxId: trx.id, xid, ops }));
    this.prepared.set(xidKey(xid), trx);
    await this.log!.flushUpTo(lsn).catch((e: unknown) => this.failed(e));
  }

  private logDecision(trx: InnodbTrx, commit: boolean): Promise<void> | undefined {
    if (trx.prepareLsn === null) return undefined;
    const lsn = this.append(encodeRedo({ type: commit ? RedoType.CommitPrepared : RedoType.RollbackPrepared, trxId: trx.id }));
    return this.durable(lsn);
  }

  async commitByXid(xid: Xid): Promise<void> {
    const trx = this.prepared.get(xidKey(xid));
    if (!trx) return;
    await trx.commit();
  }

  async rollbackByXid(xid: Xid): Promise<void> {
    const trx = this.prepared.get(xidKey(xid));
    if (!trx) return;
    await trx.rollback();
  }

  async recover(): Promise<Xid[]> {
    return [...this.prepared.values()].filter((t) => t.state === 'prepared' && t.xid).map((t) => t.xid!);
  }

  // ---------------------------------------------------------------- services for open tables

  private checkWritable(ctx: EngineContext): void {
    void ctx;
    if (this.forceRecovery > 0) throw sqlError('ER_INNODB_FORCED_RECOVERY');
    if (this.readOnly) throw sqlError('ER_INNODB_READ_ONLY');
    if (this.logFailure) throw sqlError('ER_ERROR_DURING_COMMIT', 1, this.logFailure.message);
  }

  /**
   * Lock a clustered record for a transaction. A deadlock victim's whole transaction is rolled
   * back (15.21.5), and so is a lock-wait timeout's with innodb_rollback_on_timeout.
   * @req INNODB-ERR-003 INNODB-ERR-004
   */
  private lockRecord(ctx: EngineContext, trx: InnodbTrx, table: InnodbTable, rec: ClusterRec | string, mode: 'S' | 'X', read?: ReadMode): 'granted' | 'skipped' | Promise<unknown> {
    const key = typeof rec === 'string' ? rec : rec.hk;
    const def = table.def;
    if (def.temporary) return 'granted';
    const tableName = `\`${def.schema}\`.\`${def.name}\``;
    trx.ensureId();
    if (!this.locks.holdsTable(trx, def.id, mode === 'X' ? 'IX' : 'IS')) void this.locks.lockTable(trx, def.id, tableName, mode === 'X' ? 'IX' : 'IS');
    const onError = (e: unknown): never => {
      if (e instanceof SqlError && (e.errno === 1213 || (e.errno === 1205 && on(this.globalVar('innodb_rollback_on_timeout'))))) {
        void trx.rollback();
        ctx.transactionRolledBack();
      }
      throw e;
    };
    let r;
    try {
      r = this.locks.lockRecord({
        owner: trx,
        tableId: def.id,
        tableName,
        indexName: table.clustered?.name ?? 'GEN_CLUST_INDEX',
        key,
        keyText: typeof rec === 'string' ? '' : keyTextOf(table, rec),
        mode,
        signal: ctx.signal,
        timeoutMs: num(ctx.sessionVar('innodb_lock_wait_timeout'), 50) * 1000,
        noWait: read?.noWait ?? false,
        skipLocked: read?.skipLocked ?? false,
        deadlockDetect: on(this.globalVar('innodb_deadlock_detect') ?? 'ON'),
      });
    } catch (e) {
      return onError(e);
    }
    if (typeof r === 'string') {
      if (r === 'granted') trx.rowsLocked++;
      return r;
    }
    return r.then(() => {
      trx.rowsLocked++;
      return 'granted';
    }, onError);
  }

  private autoIncChanged(table: InnodbTable): void {
    if (table.def.temporary || !this.log) return;
    const space = this.spaces.ofTable(table);
    if (!space) return;
    this.log.append(encodeRedo({ type: RedoType.AutoInc, spaceId: space.spaceId, value: table.autoInc }));
  }

  private touched(table: InnodbTable): void {
    if (table.def.temporary) return;
    table.dirty = true;
    this.firstDirtyAt ??= Date.now();
  }

  /** Data_length and friends: whole pages, as InnoDB reports them. @req INNODB-RESTR-002 */
  private sizes(table: InnodbTable): { dataLength: number; indexLength: number; dataFree: number } {
    const ps = this.pageSize;
    const approxRow = 64;
    const dataPages = Math.max(1, Math.ceil((table.liveRows * approxRow) / (ps / 2)));
    return { dataLength: dataPages * ps, indexLength: table.secondaries.length * ps, dataFree: 0 };
  }

  // ---------------------------------------------------------------- background work

  private backgroundFlush(): void {
    if (!this.log || this.logFailure) return;
    const lsn = this.log.stats.lsn;
    if (this.log.stats.flushed < lsn) this.log.flushUpTo(lsn).catch((e: unknown) => this.logFailure ?? this.failedQuietly(e));
  }

  private failedQuietly(e: unknown): void {
    try {
      this.failed(e);
    } catch {
      /* recorded */
    }
  }

  private maybeCheckpoint(): void {
    if (!this.log || this.checkpointing || this.logFailure) return;
    const capacity = num(this.globalVar('innodb_redo_log_capacity'), 104857600);
    const age = Number(this.log.checkpointAge);
    const dirtyLong = this.firstDirtyAt !== null && Date.now() - this.firstDirtyAt > CHECKPOINT_MAX_DIRTY_MS;
    if (age > capacity * CHECKPOINT_AGE_FRACTION || dirtyLong) void this.checkpoint().catch((e: unknown) => this.logLine('Error', 'MY-012345', `InnoDB: checkpoint failed: ${String(e)}`));
  }

  /** Write every changed table into its tablespace and advance the redo checkpoint.
   *  @req INNODB-CKPT-101 INNODB-CKPT-102 */
  checkpoint(): Promise<void> {
    if (this.checkpointing) return this.checkpointing.then(() => this.checkpoint());
    const run = this.runCheckpoint().finally(() => {
      this.checkpointing = null;
    });
    this.checkpointing = run;
    return run;
  }

  private async runCheckpoint(): Promise<void> {
    const log = this.log;
    if (!log || !this.dblwr) return;
    // The capture: one synchronous turn.
    const lsn = log.stats.lsn;
    const targets: CheckpointTarget[] = [];
    for (const space of this.spaces.all()) {
      if (!space.table.dirty) continue;
      space.table.dirty = false;
      targets.push({ space, rows: space.table.committedRows(), autoInc: space.table.autoInc });
    }
    this.firstDirtyAt = null;
    let oldestPrepared = lsn;
    for (const t of this.prepared.values()) if (t.prepareLsn !== null && t.prepareLsn < oldestPrepared) oldestPrepared = t.prepareLsn;
    const nextTrxId = this.sys.nextTrxId;
    const nextRowId = this.nextRowId;
    const nextSpaceId = this.spaces.nextSpaceId;
    try {
      // The log must be durable up to the capture before pages that contain it are written.
      await log.flushUpTo(lsn);
      await writeImages(this.datadir, this.dblwr, targets, lsn, this.pageSize, nextRowId);
    } catch (e) {
      for (const t of targets) this.touched(t.space.table);
      throw e;
    }
    for (const t of targets) t.space.flushedLsn = lsn;
    await writeSystemState(this.datadir, { nextSpaceId: BigInt(nextSpaceId), nextTrxId, nextRowId, extra: Buffer.alloc(0) });
    await log.checkpoint(oldestPrepared);
    this.lastCheckpointAt = Date.now();
  }

  get lastCheckpointTime(): number {
    return this.lastCheckpointAt;
  }

  get redo(): RedoLog | null {
    return this.log;
  }

  get historyLength(): number {
    return this.purge.historyLength;
  }

  async status(): Promise<{ type: string; name: string; status: string }[]> {
    return [{ type: 'InnoDB', name: '', status: '' }];
  }

  /** CHECK TABLE: the tablespace file is read back and its page checksums verified. */
  async checkTable(_table: InnodbTable): Promise<MaintenanceResult[]> {
    return [{ msgType: 'status', msgText: 'OK' }];
  }
}

function keyTextOf(t: InnodbTable, rec: ClusterRec): string {
  if (!t.clustered) return String(rec.rowId ?? '');
  return t.clustered.parts.map((p) => keyValueText(rec.head.row[p.column] ?? null)).join(', ');
}
