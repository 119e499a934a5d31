/**
 * The InnoDB storage engine: transactional (MVCC, undo, row locks, savepoints, two-phase
 * commit), crash-safe (redo log, doublewrite, checkpoints into file-per-table tablespaces) and
 * the server's default engine. `README.md` in this folder describes the design; this file
 * composes the parts and implements the engine contract.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-storage-engine.html (15)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-recovery.html (15.18.2)
 * What InnoDB allows when it is read-only or forced into recovery (15.21.3), as the 8.0 sources
 * decide it: innodb_force_recovery 1..3 refuse row changes with 1881 and allow CREATE and DROP
 * TABLE; from 4 on InnoDB is read-only (high_level_read_only): row changes fail with 1036
 * "Table 't' is read only" (HA_ERR_TABLE_READONLY, also under innodb_read_only), CREATE TABLE
 * with 1874; DROP TABLE still works at 4 and fails with 1036 at 5, 6 and under innodb_read_only.
 * A read-only start writes nothing to InnoDB's files (a DROP at level 4 opens the redo log for
 * its one record).
 *
 * A table InnoDB cannot serve (its tablespace missing, or corrupt at innodb_force_recovery=0)
 * still opens, as in MySQL: reads and writes fail with 1812 or 1877, CHECK TABLE says Corrupt,
 * DROP TABLE removes it. Once the dictionary is loaded the engine compares its tables with the
 * tablespaces found and logs each missing one as 15.21.4 shows.
 *
 * @req INNODB-REC-010 INNODB-REC-012 INNODB-REC-015 INNODB-REC-023 INNODB-ERR-003 INNODB-ERR-004
 * @req INNODB-FORCE-012 INNODB-FORCE-013 INNODB-FORCE-022 INNODB-FORCE-023 INNODB-TRX-103
 * @req INNODB-REC-003 INNODB-DD-002 INNODB-DD-003 INNODB-FORCE-015 INNODB-FORCE-021 INNODB-LOG-106
 */
import { rm, rename as fsRename, mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { SqlError, sqlError } from '../../kernel/errors.js';
import type { ColumnDef, TableDef } from '../../kernel/table-def.js';
import type { Value } from '../../kernel/value.js';
import { xidKey, type Xid } from '../../kernel/xid.js';
import { hashKey, keyValueText } from '../keys.js';
import type {
  EngineCapabilities,
  EngineDictionary,
  EngineContext,
  EngineTransaction,
  MaintenanceResult,
  StorageEngine,
  TableHandler,
  TransactionOptions,
  ValidationEnv,
} from '../handler.js';
import { InnodbDdlError, validateInnodbTable } from './dict/validate-table.js';
import { innodbForeignKeyColumnsCompatible } from './dict/fk-column-compat.js';
import { ForeignKeyEnforcer } from './row/foreign-check.js';
import { engineForeignKeyServices } from './row/foreign-services.js';
import type { Doublewrite } from './fil/doublewrite.js';
import { FileIoStats } from './fil/io-stats.js';
import { writeSystemState } from './fil/system-tablespace.js';
import { readImport, removeCfg, writeCfg } from './srv/transport.js';
import { InnodbTableHandler, type HandlerServices, type RowCounters } from './handler/table-handler.js';
import type { ReadMode } from './handler/cursor.js';
import { clusteringIndex, InnodbTable, type ClusterRec } from './index/innodb-table.js';
import { INNODB_MAX_KEY_LENGTH, INNODB_MAX_KEY_PARTS, INNODB_MAX_KEYS, TRX_SPARE_MAX } from './limits.js';
import { LockSys, type GapMode } from './lock/lock-sys.js';
import type { IndexRecordRef } from './lock/lock-modes.js';
import { errnoCodeOf } from './log/errors.js';
import { nodeLogFileIo } from './log/file-io.js';
import { RedoLog } from './log/redo-log.js';
import { btreeCorrupted, checkTablespaceFile } from './srv/check-table.js';
import { checkpointSpace, type CheckpointTarget } from './srv/checkpoint.js';
import { BufferPool } from './buf/buf-pool.js';
import { SpaceFile } from './fil/space-file.js';
import { buildTablespaceImage, decodeSpacePage, type SpacePage } from './fil/tablespace-image.js';
import { DiskTable } from './index/disk-table.js';
import { scanTablespace } from './fil/scan.js';
import { encodeSdi } from './dict/sdi.js';
import { EVICT_RECORDS_PER_POOL_PAGE, EVICT_THROTTLE_FACTOR } from './srv/limits.js';
import { activeFaults, createDoublewrite, faultyLogFileIo } from './srv/debug-faults.js';
import { CHECKPOINT_AGE_FRACTION, CHECKPOINT_MAX_DIRTY_MS, CHECKPOINT_TICK_MS, LOG_BACKGROUND_FLUSH_MS } from './srv/limits.js';
import { InnodbObservability } from './srv/observability.js';
import { missingTablespaceLines, pageCorruptionLines, redoFailureLines, type LogLine } from './srv/messages.js';
import { Purge } from './srv/purge.js';
import { recoverInnodb, spaceFile, type DamagedSpace, type RecoveredPrepared } from './srv/recovery.js';
import { ibdPath, SpaceRegistry, type Space } from './srv/spaces.js';
import { UnavailableTableHandler } from './srv/unavailable-table.js';
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
  foreignKeys: true,
  fulltext: false,
  spatial: false,
  geometry: true,
  partitioning: false,
  nullableColumns: true,
  checkRepair: false,
  lockGranularity: 'row',
  temporaryTables: true,
  clusteredScan: true,
  // @req CORE-LOCK-009: READ LOCAL is READ for InnoDB tables.
  noReadLocal: true,
  maxKeys: INNODB_MAX_KEYS,
  maxKeyParts: INNODB_MAX_KEY_PARTS,
  maxKeyLength: INNODB_MAX_KEY_LENGTH,
};

export type EngineLogLevel = 'Error' | 'Warning' | 'Note' | 'System';

/** innodb_force_recovery levels the engine acts on (15.21.3). INNODB-FORCE-011 */
const SRV_FORCE_NO_BACKGROUND = 2;
/** From here the transactions open at a crash are not rolled back. INNODB-FORCE-016 */
const SRV_FORCE_NO_TRX_UNDO = 3;
/** From here InnoDB is read-only (high_level_read_only). INNODB-FORCE-013 */
const SRV_FORCE_NO_IBUF_MERGE = 4;
/** From here DROP TABLE is refused too. INNODB-FORCE-023 */
const SRV_FORCE_NO_UNDO_LOG_SCAN = 5;

export interface InnodbEngineOptions {
  /** Global system variables (innodb_page_size, innodb_force_recovery, ...). */
  globalVar?: (name: string) => Value;
  /** The server's error log. */
  log?: (level: EngineLogLevel, code: string, message: string) => void;
  /** Text for the error log as it is (mysqld's stderr): deadlock dumps, monitor output. */
  print?: (text: string) => void;
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
  /** Rows of the tables in the `mysql` schema (Innodb_system_rows_*). @req INNODB-MON-015 */
  readonly systemCounters: RowCounters = { read: 0, inserted: 0, updated: 0, deleted: 0 };
  /** Data-file reads, writes and fsyncs (FILE I/O, Innodb_data_*). @req INNODB-MON-010 */
  readonly fileIo = new FileIoStats();
  private log: RedoLog | null = null;
  private dblwr: Doublewrite | null = null;
  /** The buffer pool: innodb_buffer_pool_size / innodb_page_size pages. @req INNODB-BUF-101 */
  readonly pool = new BufferPool<SpacePage>(0);
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
  /** Tables served as corrupt, by the path of their tablespace file (see recovery's DamagedSpace). */
  private readonly damaged = new Map<string, DamagedSpace>();
  /** Spaces loaded with their corrupt pages skipped (innodb_force_recovery >= 1): never rewritten. */
  private skippedPages = new Set<number>();
  /** Dictionary tables whose tablespace file is missing, by path (logged once). */
  private readonly missing = new Set<string>();
  /** Where a redo log opened after a read-only start continues. */
  private logStart = 0n;
  private readonly handlerServices: HandlerServices;
  private readonly trxServices: TrxServices;
  /** LATEST DETECTED DEADLOCK and the monitor read the lock system; innodb_print_all_deadlocks logs each. */
  readonly startedAt = Date.now();

  constructor(private readonly options: InnodbEngineOptions = {}) {
    // innodb_print_all_deadlocks: a note, then the report itself as InnoDB writes it to stderr
    // (so it shows whatever log_error_verbosity is). @req INNODB-TRBL-002
    this.locks.onDeadlock = (text) => {
      if (!on(this.globalVar('innodb_print_all_deadlocks'))) return;
      this.logLine('Note', 'MY-012468', 'Transactions deadlock detected, dumping detailed information.');
      if (this.options.print) this.options.print(text);
      else this.logLine('Note', 'MY-012469', text);
    };
    this.handlerServices = {
      counters: this.counters,
      systemCounters: this.systemCounters,
      readLocks: this.locks,
      pageSize: this.pageSize,
      lockRecord: (ctx, trx, table, rec, mode, read, gap) => this.lockRecord(ctx, trx, table, rec, mode, read, gap),
      indexLocked: (table, indexName) => table.def.temporary !== true && this.locks.indexLocked(table.def.id, indexName),
      checkWritable: (ctx) => this.checkWritable(ctx, null),
      check: (table) => this.checkTable(table),
      autocommitTrx: (ctx) => this.beginTransaction(ctx, { isolation: 'REPEATABLE-READ', readOnly: false, consistentSnapshot: false }) as InnodbTrx,
      nextRowId: () => this.nextRowId++,
      autoIncChanged: (table) => this.autoIncChanged(table),
      touched: (table) => this.touched(table),
      throttle: () => this.throttle(),
      sizes: (table) => this.sizes(table),
      foreignKeys: new ForeignKeyEnforcer(
        engineForeignKeyServices({
          spaces: this.spaces,
          dictionary: () => this.dictionary,
          lockRecord: (ctx, trx, table, rec, mode) => this.lockRecord(ctx, trx, table, rec, mode),
          handler: (table) => new InnodbTableHandler(table, this.handlerServices),
          monitorSource: () => this.observability,
          noteForeignKeyError: (text) => this.noteForeignKeyError(text),
        }),
      ),
    };
    this.trxServices = {
      sys: this.sys,
      logCommit: (trx) => this.logCommit(trx),
      logPrepare: (trx, xid) => this.logPrepare(trx, xid),
      logDecision: (trx, commit) => this.logDecision(trx, commit),
      logActive: (trx) => this.logActive(trx),
      logRollback: (trx) => this.logRollback(trx),
      ended: (trx, committed) => this.trxEnded(trx, committed),
    };
  }

  globalVar(name: string): Value {
    return this.options.globalVar?.(name) ?? null;
  }

  logLine(level: EngineLogLevel, code: string, message: string): void {
    this.options.log?.(level, code, message);
  }

  /** Write text to the error log unformatted (monitor output). */
  printRaw(text: string): void {
    this.options.print?.(text);
  }

  // ---------------------------------------------------------------- startup and shutdown

  /** @req INNODB-REC-010 INNODB-REC-012 */
  async init(datadir: string): Promise<void> {
    this.datadir = datadir;
    this.pageSize = num(this.globalVar('innodb_page_size'), 16384);
    this.forceRecovery = num(this.globalVar('innodb_force_recovery'), 0);
    this.readOnly = on(this.globalVar('innodb_read_only')) || this.forceRecovery >= SRV_FORCE_NO_IBUF_MERGE;
    const faults = activeFaults();
    (this.handlerServices as { pageSize: number }).pageSize = this.pageSize;
    this.pool.capacity = Math.max(this.pool.capacity, Math.floor(num(this.globalVar('innodb_buffer_pool_size'), 134217728) / this.pageSize));
    this.pool.oldBlocksPct = num(this.globalVar('innodb_old_blocks_pct'), this.pool.oldBlocksPct);
    this.pool.oldBlocksTimeMs = num(this.globalVar('innodb_old_blocks_time'), this.pool.oldBlocksTimeMs);
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
      pool: this.pool,
      log: (level, code, msg) => this.logLine(level, code, msg),
      ...(faults.redo ? { io: faultyLogFileIo(nodeLogFileIo, faults.redo) } : {}),
    });
    this.log = r.log;
    this.dblwr = r.log ? createDoublewrite(faults, datadir, this.pageSize, {}, this.fileIo) : null;
    this.nextRowId = r.nextRowId;
    this.loadDiscarded(r.systemExtra);
    this.logStart = r.startLsn;
    for (const d of r.damaged) this.damaged.set(d.path, d);
    this.skippedPages = r.skippedPages;
    for (const p of r.prepared) this.restorePrepared(p);
    const open = r.active.map((a) => this.restoreRecovered(a.trxId, a.ops, 'active'));
    // SRV_FORCE_NO_BACKGROUND: no purge, so the history list only grows. @req INNODB-FORCE-015
    this.purge = new Purge(this.sys, this.forceRecovery < SRV_FORCE_NO_BACKGROUND);
    this.logLine('System', 'MY-013577', 'InnoDB initialization has ended.');
    this.rollbackRecovered(open);
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
    const trx = this.restoreRecovered(p.trxId, p.ops, 'prepared');
    trx.xid = p.xid;
    trx.prepareLsn = p.lsn;
    this.prepared.set(xidKey(p.xid), trx);
  }

  /**
   * A transaction's rows, as the redo log had them, back as its uncommitted versions over the
   * committed rows, each locked exclusively (new sessions that touch them wait, as in InnoDB).
   */
  private restoreRecovered(trxId: bigint, ops: readonly RowOp[], state: 'prepared' | 'active'): InnodbTrx {
    const trx = new InnodbTrx(this.trxServices, 0, { isolation: 'REPEATABLE-READ', readOnly: false, consistentSnapshot: false });
    trx.id = trxId;
    trx.record = { id: trxId, commitSeq: Infinity };
    trx.recovered = true;
    trx.state = state;
    this.sys.register(trx);
    for (const op of ops) {
      const space = this.spaces.get(op.spaceId);
      if (!space) continue;
      const t = space.table;
      const key = t.clusterKey(op.row, op.rowId);
      const hk = hashKey(key);
      if (t.disk) void t.disk.faultIn(-1, key, true);
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
    // What the log holds is what was restored: nothing more to log before its end.
    trx.unlogged.clear();
    trx.activeLogged = state === 'active';
    this.trxs.add(trx);
    return trx;
  }

  /**
   * Roll back the transactions that were open at the crash, in the background: the server
   * accepts connections meanwhile, and sessions that touch their rows wait for their locks
   * until each is rolled back. innodb_force_recovery 3 and above leave them (INNODB_TRX lists
   * them; READ UNCOMMITTED sees their rows). @req INNODB-REC-018 INNODB-REC-022 INNODB-FORCE-016
   */
  private rollbackRecovered(trxs: readonly InnodbTrx[]): void {
    if (trxs.length === 0 || this.forceRecovery >= SRV_FORCE_NO_TRX_UNDO) return;
    this.logLine('Note', 'MY-013014', 'InnoDB: Starting in background the rollback of uncommitted transactions');
    const delay = activeFaults().slowRecoveryRollbackMs;
    this.recoveryRollback = (async () => {
      for (const trx of trxs) {
        if (delay > 0) await new Promise((r) => setTimeout(r, delay));
        this.logLine('Note', 'MY-013012', `InnoDB: Rolling back trx with id ${trx.id}, ${trx.undo.length} rows to undo`);
        await trx.rollback();
        this.logLine('Note', 'MY-013013', `InnoDB: Rollback of trx with id ${trx.id} completed`);
      }
      this.logLine('Note', 'MY-013011', 'InnoDB: Rollback of non-prepared transactions completed');
    })().catch((e: unknown) => this.failedQuietly(e));
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
    // A slow shutdown finishes rolling back what a crash left open first.
    await this.recoveryRollback;
    this.purge.stop();
    if (this.log && !this.logFailure) {
      if (num(this.globalVar('innodb_fast_shutdown'), 1) < 2) {
        for (const s of this.spaces.all()) s.table.dirty = true;
        await this.checkpoint().catch((e: unknown) => this.logLine('Error', 'MY-012345', `InnoDB: checkpoint at shutdown failed: ${String(e)}`));
      }
      await this.log.close().catch(() => undefined);
    }
    this.log = null;
    for (const s of this.spaces.all()) s.table.disk?.close();
  }

  // ---------------------------------------------------------------- DDL

  /** The limits of 15.22 and 15.23, under the session's innodb_strict_mode. @req INNODB-LIMIT-001 INNODB-RESTR-001 */
  validate(def: TableDef, env?: ValidationEnv): void {
    const v = (n: string): Value => env?.sessionVar(n) ?? this.globalVar(n);
    let r;
    try {
      r = validateInnodbTable(def, {
        pageSize: this.pageSize,
        strictMode: on(v('innodb_strict_mode') ?? 'ON'),
        defaultRowFormat: String(v('innodb_default_row_format') ?? 'DYNAMIC').toUpperCase() as 'DYNAMIC' | 'COMPACT' | 'REDUNDANT',
        statement: env?.statement ?? 'CREATE',
      });
    } catch (e) {
      // InnoDB raises some warnings before the error (1478 before 1031): they stay in SHOW WARNINGS.
      if (e instanceof InnodbDdlError) for (const w of e.warningsBefore) env?.warn(w.code, w.message);
      throw e;
    }
    for (const w of r.warnings) env?.warn(w.code, w.message);
  }

  /**
   * DDL under innodb_read_only and innodb_force_recovery, as ha_innobase decides it: CREATE needs
   * a writable InnoDB (1874 otherwise); DROP is refused only from level 5 on and under
   * innodb_read_only (HA_ERR_TABLE_READONLY, 1036); RENAME changes the table like a row change.
   * @req INNODB-FORCE-013 INNODB-FORCE-022 INNODB-FORCE-023
   */
  private checkDdl(kind: 'create' | 'drop' | 'rename', def: TableDef): void {
    if (kind === 'create') {
      if (this.readOnly) throw sqlError('ER_INNODB_READ_ONLY');
      return;
    }
    if (kind === 'drop') {
      if (on(this.globalVar('innodb_read_only')) || this.forceRecovery >= SRV_FORCE_NO_UNDO_LOG_SCAN) throw sqlError('ER_OPEN_AS_READONLY', def.name);
      return;
    }
    if (this.readOnly) throw sqlError('ER_OPEN_AS_READONLY', def.name);
    if (this.forceRecovery > 0) throw sqlError('ER_INNODB_FORCED_RECOVERY');
  }

  async createTable(_ctx: EngineContext, def: TableDef): Promise<void> {
    if (def.temporary) {
      this.spaces.temporary.set(def.id, new InnodbTable(def));
      return;
    }
    this.checkDdl('create', def);
    const path = ibdPath(def);
    const old = this.spaces.at(path);
    if (old) await this.dropSpace(old);
    await this.forgetUnavailable(path);
    const table = new InnodbTable(def, String(this.globalVar('innodb_default_row_format') ?? 'DYNAMIC'));
    const space: Space = { spaceId: this.spaces.nextSpaceId, path, table, flushedLsn: 0n };
    this.spaces.add(space);
    const lsn = this.append(encodeRedo({ type: RedoType.SpaceCreate, spaceId: space.spaceId, path }));
    await mkdir(dirname(join(this.datadir, path)), { recursive: true });
    await this.writeEmptySpace(space, lsn);
    space.flushedLsn = lsn;
    await this.log!.flushUpTo(lsn);
  }

  /**
   * A new tablespace file for `space`: its header, its SDI and an empty B+tree per index,
   * written through the doublewrite file; the table then reads and writes it through the
   * buffer pool. @req INNODB-BTR-101 INNODB-BUF-101
   */
  private async writeEmptySpace(space: Space, lsn: bigint): Promise<void> {
    const t = space.table;
    const def = t.def;
    const pages = buildTablespaceImage(
      {
        spaceId: space.spaceId,
        rowFormat: t.rowFormat,
        schema: def.schema,
        name: def.name,
        tableId: def.id,
        autoIncrement: def.columns.some((c) => c.autoIncrement) ? t.autoInc : null,
        nextRowId: this.nextRowId,
        extra: Buffer.alloc(0),
        secondaryIndexes: t.secondaries.length,
      },
      [encodeSdi(def)],
      this.pageSize,
      lsn,
    );
    const abs = spaceFile(this.datadir, space.path);
    t.disk?.close();
    await this.dblwr!.writeBatch([{ path: abs, pages }]);
    // The new pages go into the pool as they are: the table's first reads need no I/O.
    for (let no = 1; no < pages.length; no++) this.pool.load(space.spaceId, no, decodeSpacePage(pages[no]!, no, space.spaceId, abs));
    t.disk = new DiskTable(t, SpaceFile.open(abs), this.pool);
  }

  /** DROP TABLE is refused before the dictionary changes. @req INNODB-FORCE-023 */
  checkDropTable(def: TableDef): void {
    if (!def.temporary) this.checkDdl('drop', def);
  }

  /** @req INNODB-DD-003 INNODB-FORCE-022 INNODB-FORCE-023 */
  async dropTable(_ctx: EngineContext, def: TableDef): Promise<void> {
    if (def.temporary) {
      this.spaces.temporary.delete(def.id);
      return;
    }
    this.checkDdl('drop', def);
    const path = ibdPath(def);
    const space = this.spaces.at(path);
    if (space) {
      await this.dropSpace(space);
      return;
    }
    // A table InnoDB could not serve: its dictionary entry goes, and whatever is left of its file.
    await this.forgetUnavailable(path);
    await rm(spaceFile(this.datadir, path), { force: true });
  }

  /** A damaged or missing tablespace at `path` is gone for good (its table dropped or replaced):
   *  its space is dropped in the redo log, so that its kept redo is never applied. */
  private async forgetUnavailable(path: string): Promise<void> {
    const d = this.damaged.get(path);
    if (d && d.spaceId !== null) {
      const log = await this.ddlLog();
      await log.flushUpTo(this.append(encodeRedo({ type: RedoType.SpaceDrop, spaceId: d.spaceId })));
    }
    this.damaged.delete(path);
    this.missing.delete(path);
  }

  /**
   * The redo log for a DDL record. A start at innodb_force_recovery=4 is read-only but may drop
   * tables: the log is opened for that, where recovery found its end. Nothing else is written.
   */
  private async ddlLog(): Promise<RedoLog> {
    if (this.log) return this.log;
    if (this.readOnly && !on(this.globalVar('innodb_read_only')) && this.forceRecovery < SRV_FORCE_NO_UNDO_LOG_SCAN) {
      this.log = await RedoLog.open(this.datadir, { startLsn: this.logStart, capacity: num(this.globalVar('innodb_redo_log_capacity'), 104857600) });
      return this.log;
    }
    throw sqlError('ER_INNODB_READ_ONLY');
  }

  private async dropSpace(space: Space): Promise<void> {
    const log = await this.ddlLog();
    // A checkpoint writing this space finishes first: its batch names the file.
    while (this.checkpointing) await this.checkpointing.catch(() => undefined);
    this.spaces.remove(space);
    space.table.disk?.close();
    space.table.disk = null;
    this.skippedPages.delete(space.spaceId);
    const lsn = this.append(encodeRedo({ type: RedoType.SpaceDrop, spaceId: space.spaceId }));
    await log.flushUpTo(lsn);
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
    this.checkDdl('rename', from);
    const space = this.spaces.at(ibdPath(from));
    if (!space) throw sqlError('ER_TABLESPACE_MISSING', `\`${from.schema}\`.\`${from.name}\``);
    const path = ibdPath(to);
    const lsn = this.append(encodeRedo({ type: RedoType.SpaceRename, spaceId: space.spaceId, path }));
    await this.log!.flushUpTo(lsn);
    await mkdir(dirname(join(this.datadir, path)), { recursive: true });
    while (this.checkpointing) await this.checkpointing.catch(() => undefined);
    await fsRename(join(this.datadir, space.path), join(this.datadir, path));
    this.spaces.move(space, path);
    if (space.table.disk) space.table.disk.file.path = join(this.datadir, path);
    space.table.def = to;
    // The file's header and SDI still name the old table: the next checkpoint rewrites them.
    this.touched(space.table);
  }

  async openTable(_ctx: EngineContext, def: TableDef): Promise<TableHandler> {
    if (def.temporary) {
      const table = this.spaces.temporary.get(def.id);
      if (!table) throw sqlError('ER_TABLESPACE_MISSING', `\`${def.schema}\`.\`${def.name}\``);
      table.def = def;
      return new InnodbTableHandler(table, this.handlerServices);
    }
    const path = ibdPath(def);
    const space = this.spaces.at(path);
    if (!space) return this.unavailable(def, path);
    const table = space.table;
    table.def = def;
    return new InnodbTableHandler(table, { ...this.handlerServices, checkWritable: (ctx) => this.checkWritable(ctx, table) });
  }

  /** A tablespace for `def` was found at startup or created since (damaged or discarded ones too). */
  hasTable(def: TableDef): boolean {
    if (def.temporary) return this.spaces.temporary.has(def.id);
    const path = ibdPath(def);
    return this.spaces.at(path) !== undefined || this.damaged.has(path) || this.discarded.has(path);
  }

  /** The handler of a table whose tablespace is corrupt or missing. @req INNODB-DD-002 INNODB-REC-003 */
  private unavailable(def: TableDef, path: string): TableHandler {
    const name = `\`${def.schema}\`.\`${def.name}\``;
    if (this.discarded.has(path)) {
      const discarded = (): SqlError => sqlError('ER_TABLESPACE_DISCARDED', def.name);
      return new UnavailableTableHandler(def, discarded, [{ msgType: 'error', msgText: discarded().message }]);
    }
    if (this.damaged.has(path)) {
      return new UnavailableTableHandler(def, () => sqlError('ER_TABLE_CORRUPT', def.schema, def.name), [btreeCorrupted(clusteringIndex(def)?.name ?? 'GEN_CLUST_INDEX')]);
    }
    this.noteMissing(def, path);
    const error = (): SqlError => sqlError('ER_TABLESPACE_MISSING', name);
    return new UnavailableTableHandler(def, error, [{ msgType: 'error', msgText: error().message }]);
  }

  /** Log a dictionary table whose tablespace is gone, once. @req INNODB-DD-002 */
  private noteMissing(def: TableDef, path: string): void {
    if (this.missing.has(path)) return;
    this.missing.add(path);
    const file = path.startsWith('/') ? path : `./${path}`;
    this.logLines(missingTablespaceLines(file, `${def.schema}/${def.name}`));
  }

  /**
   * The dictionary is open: every InnoDB table it holds should have its tablespace. Those whose
   * file was not found are logged now, at startup, as InnoDB does when it validates the
   * dictionary's tablespaces. @req INNODB-DD-002
   */
  dictionaryLoaded(tables: readonly TableDef[]): void {
    for (const def of tables) {
      if (def.temporary) continue;
      const path = ibdPath(def);
      if (!this.spaces.at(path) && !this.damaged.has(path) && !this.discarded.has(path)) this.noteMissing(def, path);
    }
  }

  private logLines(lines: readonly LogLine[]): void {
    for (const l of lines) this.logLine(l.level, l.code, l.message);
  }

  // ---------------------------------------------------------------- transactions

  beginTransaction(ctx: EngineContext, options: TransactionOptions): EngineTransaction {
    const spare = this.spareTrxs.pop();
    const trx = spare ? spare.restart(ctx.connectionId, options) : new InnodbTrx(this.trxServices, ctx.connectionId, options);
    this.trxs.add(trx);
    return trx;
  }

  /** Ended transactions that left nothing behind, kept for the next ones. @req CORE-PERF-033 */
  private readonly spareTrxs: InnodbTrx[] = [];

  /** The background rollback of the transactions a crash left open, while it runs. */
  private recoveryRollback: Promise<void> | null = null;

  /** Transactions that have not ended (INNODB_TRX, the monitor's TRANSACTIONS). */
  transactions(): InnodbTrx[] {
    return [...this.trxs];
  }

  private trxEnded(trx: InnodbTrx, committed: boolean): void {
    this.locks.releaseAll(trx);
    this.trxs.delete(trx);
    if (trx.xid) this.prepared.delete(xidKey(trx.xid));
    if (committed && trx.changed.size > 0) this.purge.add(trx.record.commitSeq, trx.changed);
    // Its records' committed state changed (or went back): the next checkpoint looks at them.
    for (const t of trx.changed.keys()) {
      if (t.def.temporary) continue;
      t.dirty = true;
      this.firstDirtyAt ??= Date.now();
    }
    trx.undo.length = 0;
    if (this.spareTrxs.length < TRX_SPARE_MAX && trx.reusable()) this.spareTrxs.push(trx);
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
    if (this.logFailure) throw this.commitError(this.logFailure);
    if (!this.log) throw sqlError('ER_INNODB_READ_ONLY');
    return this.log.append(payload);
  }

  /** The COMMIT whose redo could not be made durable: "Got error 5 - 'Input/output error' during COMMIT". */
  private commitError(e: Error): SqlError {
    const { errno, text } = osError(e);
    return sqlError('ER_ERROR_DURING_COMMIT', errno, text);
  }

  /** Wait for the log as innodb_flush_log_at_trx_commit says. @req INNODB-TRX-103 */
  private durable(lsn: bigint): Promise<void> | undefined {
    const mode = num(this.globalVar('innodb_flush_log_at_trx_commit'), 1);
    if (mode === 0) return undefined;
    const p = mode === 2 ? this.log!.writeUpTo(lsn) : this.log!.flushUpTo(lsn);
    return p.catch((e: unknown) => this.failed(e));
  }

  /** The redo log failed: log why (once), refuse changes from now on, fail this commit. @req INNODB-LOG-106 */
  private failed(e: unknown): never {
    const err = e instanceof Error ? e : new Error(String(e));
    if (!this.logFailure) {
      this.logFailure = err;
      const cause = err.cause instanceof Error ? err.cause.message : err.message;
      this.logLines(redoFailureLines(errnoCodeOf(err), cause));
    }
    throw this.commitError(err);
  }

  private logCommit(trx: InnodbTrx): Promise<void> | undefined {
    const ops = this.redoOps(trx);
    if (ops.length === 0) return undefined;
    // innodb_force_recovery=4 starts without a redo log but lets DROP TABLE change the
    // dictionary: its log is opened for that, as for the drop's own record.
    if (trx.system && !this.log) return this.ddlLog().then(() => this.logCommit(trx));
    const lsn = this.append(encodeRedo({ type: RedoType.Commit, trxId: trx.id, ops }));
    if (trx.system) return this.log!.flushUpTo(lsn).catch((e: unknown) => this.failed(e));
    return this.durable(lsn);
  }

  /** The rows an open transaction's statements changed since its last Active record, not
   *  flushed (the next commit's flush or the once-a-second flush carries them). @req INNODB-REC-018 */
  private logActive(trx: InnodbTrx): void {
    if (!this.log || this.logFailure) return;
    const ops: RowOp[] = [];
    for (const [table, recs] of trx.unlogged) {
      const space = table.def.temporary ? undefined : this.spaces.ofTable(table);
      if (!space) continue;
      for (const rec of recs) ops.push({ spaceId: space.spaceId, rowId: rec.rowId, row: rec.head.row, deleted: rec.removed || rec.head.deleted });
    }
    trx.unlogged.clear();
    if (ops.length === 0) return;
    this.append(encodeRedo({ type: RedoType.Active, trxId: trx.trxId, ops }));
    trx.activeLogged = true;
  }

  private logRollback(trx: InnodbTrx): void {
    if (!this.log || this.logFailure) return;
    this.append(encodeRedo({ type: RedoType.Rollback, trxId: trx.id }));
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

  /**
   * A row change: refused when InnoDB is read-only (1036, as write_row's high_level_read_only
   * check), in forced recovery (1881), or after its redo log failed ("Got error 28 - 'No space
   * left on device' from storage engine"). @req INNODB-FORCE-012 INNODB-FORCE-013 INNODB-LOG-106
   */
  private checkWritable(ctx: EngineContext, table: InnodbTable | null): void {
    const system = (ctx.txn as InnodbTrx | undefined)?.system === true;
    // innodb_force_recovery=4 is read-only but drops tables, and so removes their dictionary rows.
    const dictionaryWritable = system && !on(this.globalVar('innodb_read_only')) && this.forceRecovery < SRV_FORCE_NO_UNDO_LOG_SCAN;
    if (this.readOnly && !dictionaryWritable) throw table ? sqlError('ER_OPEN_AS_READONLY', table.def.name) : sqlError('ER_INNODB_READ_ONLY');
    // DDL updates the dictionary at levels 1 to 3; user rows stay untouched. @req INNODB-FORCE-022
    if (this.forceRecovery > 0 && !system) throw sqlError('ER_INNODB_FORCED_RECOVERY');
    if (this.logFailure) {
      const { errno, text } = osError(this.logFailure);
      throw sqlError('ER_GET_ERRNO', errno, text);
    }
  }

  /**
   * Lock a clustered record for a transaction. A deadlock victim's whole transaction is rolled
   * back (15.21.5), and so is a lock-wait timeout's with innodb_rollback_on_timeout. `gap` says
   * what the lock covers (the record alone by default; SUPREMUM_KEY names the supremum).
   * @req INNODB-ERR-003 INNODB-ERR-004 INNODB-LOCK-301
   */
  private lockRecord(ctx: EngineContext, trx: InnodbTrx, table: InnodbTable, rec: ClusterRec | string | IndexRecordRef, mode: 'S' | 'X', read?: ReadMode, gap: GapMode = 'record'): 'granted' | 'skipped' | Promise<unknown> {
    const entry = typeof rec === 'object' && 'indexName' in rec ? rec : null;
    const key = typeof rec === 'string' ? rec : entry ? entry.key : (rec as ClusterRec).hk;
    const def = table.def;
    if (def.temporary) return 'granted';
    const tableName = `\`${def.schema}\`.\`${def.name}\``;
    trx.ensureId();
    // What deadlock reports and the monitor print as the transaction's statement.
    if (this.observed?.sessions) trx.statementText = this.observed.sessions.query(ctx.connectionId) ?? '';
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
        indexName: entry ? entry.indexName : (table.clustered?.name ?? 'GEN_CLUST_INDEX'),
        key,
        keyText: typeof rec === 'string' ? '' : entry ? entry.keyText : keyTextOf(table, rec as ClusterRec),
        mode,
        gap,
        signal: ctx.signal,
        timeoutMs: num(ctx.sessionVar('innodb_lock_wait_timeout'), 50) * 1000,
        noWait: read?.noWait ?? false,
        skipLocked: read?.skipLocked ?? false,
        deadlockDetect: on(this.globalVar('innodb_deadlock_detect') ?? 'ON'),
      });
    } catch (e) {
      return onError(e);
    }
    // Rows locked counts record locks; a gap holds no row.
    const row = gap === 'record' || gap === 'next-key' ? 1 : 0;
    if (typeof r === 'string') {
      if (r === 'granted') trx.rowsLocked += row;
      return r;
    }
    return r.then(() => {
      trx.rowsLocked += row;
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
    // The records changed since the last checkpoint live in memory: once they outnumber what
    // the pool's size allows, a checkpoint writes them so that they may leave. @req INNODB-BUF-104
    if (++this.changesSinceCheckpoint > this.pool.capacity * EVICT_RECORDS_PER_POOL_PAGE && !this.checkpointing && this.log && !this.logFailure) {
      void this.checkpoint().catch((e: unknown) => this.logLine('Error', 'MY-012345', `InnoDB: checkpoint failed: ${String(e)}`));
    }
  }

  /** Row changes since the last checkpoint began. */
  private changesSinceCheckpoint = 0;

  /**
   * Writers wait for the running checkpoint when the changes made since it began outnumber
   * EVICT_THROTTLE_FACTOR times the pool's budget of records (InnoDB makes user threads flush
   * when the checkpoint age nears the log capacity for the same reason). @req INNODB-BUF-104
   */
  private throttle(): Promise<unknown> | null {
    if (!this.checkpointing || this.changesSinceCheckpoint <= this.pool.capacity * EVICT_RECORDS_PER_POOL_PAGE * EVICT_THROTTLE_FACTOR) return null;
    return this.checkpointing.catch(() => undefined);
  }

  /** Data_length and friends: whole pages, as InnoDB reports them. @req INNODB-RESTR-002 */
  private sizes(table: InnodbTable): { dataLength: number; indexLength: number; dataFree: number } {
    const ps = this.pageSize;
    if (table.disk) {
      // The file's pages: the clustered index's share is data, the rest index (an estimate).
      const h = table.disk.file.header;
      const used = Math.max(1, h.pageCount - 1 - table.disk.file.freePages);
      const nidx = table.secondaries.length;
      const index = nidx === 0 ? 0 : Math.floor((used * nidx) / (nidx + 3));
      return { dataLength: (used - index) * ps, indexLength: index * ps, dataFree: table.disk.file.freePages * ps };
    }
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
    this.evict();
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
    this.changesSinceCheckpoint = 0;
    const targets: CheckpointTarget[] = [];
    for (const space of this.spaces.all()) {
      // A file whose corrupt pages were skipped stays as it is, for a later dump or repair.
      if (!space.table.dirty || !space.table.disk || this.skippedPages.has(space.spaceId)) continue;
      space.table.dirty = false;
      targets.push({ space, changes: space.table.captureDirty(), autoInc: space.table.autoInc });
    }
    this.firstDirtyAt = null;
    let oldestPrepared = lsn;
    for (const t of this.prepared.values()) if (t.prepareLsn !== null && t.prepareLsn < oldestPrepared) oldestPrepared = t.prepareLsn;
    // The redo of tablespaces that could not be loaded is kept for a start that can apply it.
    for (const d of this.damaged.values()) if (d.flushedLsn > 0n && d.flushedLsn < oldestPrepared) oldestPrepared = d.flushedLsn;
    for (const id of this.skippedPages) {
      const s = this.spaces.get(id);
      if (s && s.flushedLsn > 0n && s.flushedLsn < oldestPrepared) oldestPrepared = s.flushedLsn;
    }
    if (oldestPrepared < log.stats.checkpointLsn) oldestPrepared = log.stats.checkpointLsn;
    const nextTrxId = this.sys.nextTrxId;
    const nextRowId = this.nextRowId;
    const nextSpaceId = this.spaces.nextSpaceId;
    const dirtyLimit = Math.max(8, Math.floor(this.pool.capacity / 2));
    let done = 0;
    try {
      // The log must be durable up to the capture before pages that contain it are written.
      await log.flushUpTo(lsn);
      for (const t of targets) {
        await checkpointSpace(t, this.pool, this.dblwr, lsn, nextRowId, dirtyLimit);
        t.space.flushedLsn = lsn;
        t.space.table.captured(t.changes, true);
        done++;
      }
    } catch (e) {
      for (const t of targets.slice(done)) {
        t.space.table.captured(t.changes, false);
        this.touched(t.space.table);
      }
      throw e;
    }
    await writeSystemState(this.datadir, { nextSpaceId: BigInt(nextSpaceId), nextTrxId, nextRowId, extra: this.systemExtra() });
    await log.checkpoint(oldestPrepared);
    this.lastCheckpointAt = Date.now();
    this.evict();
  }

  /**
   * Records in memory that the tablespaces hold as they are leave memory once a table keeps
   * more than EVICT_RECORDS_PER_POOL_PAGE per buffer pool page of them; their pages stay in the
   * buffer pool as long as its LRU list keeps them. @req INNODB-BUF-104
   */
  private evict(): void {
    const horizon = this.sys.purgeHorizon();
    const keep = this.pool.capacity * EVICT_RECORDS_PER_POOL_PAGE;
    for (const s of this.spaces.all()) {
      const t = s.table;
      if (!t.disk || t.recordCount <= keep) continue;
      t.evict(horizon, (hk) => this.locks.isRecordLocked(t.def.id, hk), keep);
    }
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

  private observed: InnodbObservability | null = null;

  /** The monitor, status variables and InnoDB tables read the engine through this. */
  get observability(): InnodbObservability {
    this.observed ??= new InnodbObservability(this);
    return this.observed;
  }

  /** SHOW ENGINE INNODB STATUS: the Standard Monitor report. @req INNODB-MON-001 */
  async status(): Promise<{ type: string; name: string; status: string }[]> {
    return [{ type: 'InnoDB', name: '', status: this.observability.monitor.report() }];
  }

  /** SHOW ENGINE INNODB MUTEX: no latch is ever waited for on one event loop, so no rows. @req INNODB-MON-006 */
  async mutexStatus(): Promise<{ type: string; name: string; status: string }[]> {
    return [];
  }

  /** The data dictionary: the parents and children foreign keys name. @req INNODB-FK-108 */
  private dictionary: EngineDictionary | null = null;

  attachDictionary(dictionary: EngineDictionary): void {
    this.dictionary = dictionary;
  }

  /** InnoDB's rule for the column types a foreign key may connect (3780). @req INNODB-FK-103 */
  foreignKeyColumnsCompatible(child: ColumnDef, parent: ColumnDef, checkCharsets: boolean): boolean {
    return innodbForeignKeyColumnsCompatible(child, parent, checkCharsets);
  }

  /** Keep the text of the latest foreign key error for the monitor. @req INNODB-MON-007 */
  noteForeignKeyError(text: string): void {
    this.observability.monitor.noteForeignKeyError(text);
  }

  /**
   * CHECK TABLE: the table's tablespace file is read back and verified page by page, its record
   * count too (srv/check-table.ts). It runs between checkpoints, never during one, so it never
   * reads a file half rewritten. @req INNODB-REC-003
   */
  async checkTable(table: InnodbTable): Promise<MaintenanceResult[]> {
    const space = table.def.temporary ? undefined : this.spaces.ofTable(table);
    if (!space) return [{ msgType: 'status', msgText: 'OK' }];
    return this.betweenCheckpoints(async () => {
      const disk = table.disk;
      if (disk && !this.skippedPages.has(space.spaceId)) return this.checkTrees(space, disk);
      const check = await checkTablespaceFile({
        path: spaceFile(this.datadir, space.path),
        display: space.path.startsWith('/') ? space.path : `./${space.path}`,
        spaceId: space.spaceId,
        pageSize: this.pageSize,
        indexName: table.clustered?.name ?? 'GEN_CLUST_INDEX',
        expectedRecords: table.dirty || this.skippedPages.has(space.spaceId) || !table.disk ? null : table.disk.recordCount,
      });
      this.logLines(check.log);
      return check.results;
    });
  }

  /**
   * CHECK TABLE of a table read through the buffer pool: every page of its file is read back and
   * checked a batch at a time (a page corrupted on disk is found even when the pool holds a good
   * copy), then every B+tree is walked through the pool: key order, links, levels, and the
   * record count the header keeps. @req INNODB-REC-003 INNODB-BTR-106
   */
  private async checkTrees(space: Space, disk: DiskTable): Promise<MaintenanceResult[]> {
    const table = space.table;
    const indexName = table.clustered?.name ?? 'GEN_CLUST_INDEX';
    const display = space.path.startsWith('/') ? space.path : `./${space.path}`;
    const h = disk.file.header;
    const scan = await scanTablespace(disk.file.path, h.pageCount, h.pageSize, h.spaceId);
    if (scan.corruptPages.length > 0) {
      this.logLines(scan.corruptPages.flatMap((n) => pageCorruptionLines(display, space.spaceId, n, this.pageSize)));
      return [btreeCorrupted(indexName), { msgType: 'error', msgText: 'Corrupt' }];
    }
    const v = await disk.validate();
    if (v.problems.length > 0) {
      for (const p of v.problems) this.logLine('Error', 'MY-012345', `InnoDB: ${display}: ${p}`);
      return [btreeCorrupted(indexName), { msgType: 'error', msgText: 'Corrupt' }];
    }
    if (v.records !== h.recordCount) {
      return [{ msgType: 'warning', msgText: `InnoDB: Index '${indexName}' contains ${v.records} entries, should be ${h.recordCount}.` }, { msgType: 'error', msgText: 'Corrupt' }];
    }
    return [{ msgType: 'status', msgText: 'OK' }];
  }

  /** Run `fn` while no checkpoint writes (a checkpoint asked for meanwhile waits for it). */
  private async betweenCheckpoints<T>(fn: () => Promise<T>): Promise<T> {
    while (this.checkpointing) await this.checkpointing.catch(() => undefined);
    const run = fn();
    const gate: Promise<void> = run.then(
      () => {
        if (this.checkpointing === gate) this.checkpointing = null;
      },
      () => {
        if (this.checkpointing === gate) this.checkpointing = null;
      },
    );
    this.checkpointing = gate;
    return run;
  }

  // ---------------------------------------------------------------- transportable tablespaces

  /** Tables whose tablespace was discarded (kept in the system tablespace). @req INNODB-DD-005 */
  readonly discarded = new Set<string>();

  /** What the system tablespace's free area holds: the discarded tables. */
  private systemExtra(): Buffer {
    return Buffer.from(JSON.stringify({ discarded: [...this.discarded] }), 'utf8');
  }

  private async saveDiscarded(): Promise<void> {
    await writeSystemState(this.datadir, { nextSpaceId: BigInt(this.spaces.nextSpaceId), nextTrxId: this.sys.nextTrxId, nextRowId: this.nextRowId, extra: this.systemExtra() });
  }

  /** Read the discarded list back at startup; a file found at a discarded table's path (copied
   *  in for an import) is not the table's until IMPORT TABLESPACE. */
  private loadDiscarded(extra: Buffer): void {
    if (extra.length === 0) return;
    try {
      const o = JSON.parse(extra.toString('utf8')) as { discarded?: string[] };
      for (const p of o.discarded ?? []) this.discarded.add(p);
    } catch {
      return;
    }
    for (const p of this.discarded) {
      const s = this.spaces.at(p);
      if (s) this.spaces.remove(s);
    }
  }

  /** FLUSH TABLES t FOR EXPORT: the table's .ibd written complete, and its .cfg. @req INNODB-BAK-101 */
  async exportTable(_ctx: EngineContext, def: TableDef): Promise<void> {
    const space = this.spaces.at(ibdPath(def));
    if (!space) throw sqlError('ER_TABLESPACE_MISSING', `\`${def.schema}\`.\`${def.name}\``);
    space.table.dirty = true;
    await this.checkpoint();
    await writeCfg(this.datadir, def, this.pageSize);
  }

  async unexportTable(_ctx: EngineContext, def: TableDef): Promise<void> {
    await removeCfg(this.datadir, def);
  }

  /** ALTER TABLE ... DISCARD TABLESPACE. @req INNODB-DD-005 */
  async discardTablespace(_ctx: EngineContext, def: TableDef): Promise<void> {
    this.checkDdl('create', def);
    const path = ibdPath(def);
    const space = this.spaces.at(path);
    if (!space) {
      if (this.discarded.has(path)) return;
      throw sqlError('ER_TABLESPACE_MISSING', `\`${def.schema}\`.\`${def.name}\``);
    }
    if (this.transactions().some((t) => t.changed.has(space.table))) throw sqlError('ER_LOCK_WAIT_TIMEOUT');
    await this.dropSpace(space);
    await removeCfg(this.datadir, def);
    this.discarded.add(path);
    await this.saveDiscarded();
  }

  /** ALTER TABLE ... IMPORT TABLESPACE. @req INNODB-DD-006 INNODB-DD-007 */
  async importTablespace(_ctx: EngineContext, def: TableDef): Promise<{ code: number; message: string }[]> {
    this.checkDdl('create', def);
    const path = ibdPath(def);
    if (!this.discarded.has(path)) throw sqlError('ER_TABLESPACE_EXISTS', `${def.schema}/${def.name}`);
    const { table, warnings, maxRowId } = await readImport(this.datadir, def, this.pageSize);
    if (maxRowId >= this.nextRowId) this.nextRowId = maxRowId + 1n;
    const space: Space = { spaceId: this.spaces.nextSpaceId, path, table, flushedLsn: 0n };
    this.spaces.add(space);
    // The file becomes this server's: a fresh space id, rewritten at this server's LSN.
    const lsn = this.append(encodeRedo({ type: RedoType.SpaceCreate, spaceId: space.spaceId, path }));
    await this.log!.flushUpTo(lsn);
    // The rows read from the file are in memory, all of them changed: a fresh file takes them.
    await this.writeEmptySpace(space, lsn);
    space.flushedLsn = lsn;
    table.dirty = true;
    await this.checkpoint();
    this.discarded.delete(path);
    await this.saveDiscarded();
    return warnings;
  }
}

/** errno and strerror text of an I/O failure, for "Got error 28 - 'No space left on device'". */
function osError(e: Error): { errno: number; text: string } {
  const code = errnoCodeOf(e) ?? errnoCodeOf(e.cause);
  const known: Record<string, [number, string]> = {
    EIO: [5, 'Input/output error'],
    ENOSPC: [28, 'No space left on device'],
    EDQUOT: [122, 'Disk quota exceeded'],
    EROFS: [30, 'Read-only file system'],
    EACCES: [13, 'Permission denied'],
  };
  const hit = code ? known[code] : undefined;
  return hit ? { errno: hit[0], text: hit[1] } : { errno: 1, text: e.message };
}

function keyTextOf(t: InnodbTable, rec: ClusterRec): string {
  if (!t.clustered) return String(rec.rowId ?? '');
  return t.clustered.parts.map((p) => keyValueText(rec.head.row[p.column] ?? null)).join(', ');
}
