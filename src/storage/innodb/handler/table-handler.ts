/**
 * An open InnoDB table: the engine contract's TableHandler over the in-memory indexes, with
 * MVCC reads, row locks, undo and the redo of each change.
 *
 * Writes lock the clustered record exclusively (an insert locks the key it creates, so two
 * sessions inserting one key queue, and the second gets 1062 once the first commits, or
 * succeeds if it rolls back). A unique secondary key held by another transaction's uncommitted
 * change is waited for the same way.
 *
 * Foreign keys are enforced after the row's own change (row/foreign-check.ts): a child row's
 * key must find its parent, a parent row's delete or key update acts on its children. Each row
 * operation is its own savepoint, as in InnoDB: when it fails (a foreign key error, a cascade
 * that fails half way) everything it changed is undone before the error reaches the server, so
 * INSERT IGNORE and friends can go on with the next row. The cascade entry points change a
 * locked record without counting it as a row of the statement.
 *
 * Below REPEATABLE READ a locking read notes which record locks it created, and a row the
 * server rejects (unlockRow), or a delete-marked record the read passes over, gives back the
 * lock its read created, as 15.7.2.1 describes for READ COMMITTED.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-locks-set.html (15.7.3)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-transaction-isolation-levels.html (15.7.2.1)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-limits.html (15.22)
 * @req INNODB-ERR-006 INNODB-LIMIT-011 INNODB-RESTR-002 INNODB-RESTR-003 INNODB-LOCK-203 INNODB-LOCK-204
 * @req INNODB-FK-108 INNODB-FK-110 INNODB-FK-111 INNODB-LOCK-302 INNODB-LOCK-304 INNODB-LOCK-307 INNODB-LOCK-308
 * @req CORE-PERF-035
 */
import { sqlError } from '../../../kernel/errors.js';
import type { TableDef } from '../../../kernel/table-def.js';
import type { Row } from '../../../kernel/value.js';
import type {
  AutoIncrementBlock,
  CursorOptions,
  EngineContext,
  IndexRead,
  MaintenanceResult,
  MaybePromise,
  RowCursor,
  RowId,
  TableHandler,
  TableStats,
} from '../../handler.js';
import { compareJoinedKey, compareKeys, hashKey, hasNull, keyValueText, type KeyPart } from '../../keys.js';
import type { ClusterRec, InnodbTable, SecondaryIndex, Version } from '../index/innodb-table.js';
import type { ForeignKeyEnforcer } from '../row/foreign-check.js';
import type { InnodbTrx } from '../trx/trx.js';
import { secondarySupremumKey, SUPREMUM_KEY, type GapMode, type IndexRecordRef } from '../lock/lock-modes.js';
import type { LockSys } from '../lock/lock-sys.js';
import { decodeKey } from '../btr/key-codec.js';
import type { WalkOptions } from '../btr/leaf-walk.js';
import type { LeafEntry } from '../btr/page-store.js';
import type { DiskRow } from '../index/disk-table.js';
import { InnodbCursor, readModeFor, type GapEnd, type GapPlan, type ReadMode, type RecordLocker, type SecondaryLockPlan } from './cursor.js';
import { MemorySource, MergeSource, type Candidate, type CandidateSource, type OverlayEntry } from './merge-source.js';

/** Row operation counters (ROW OPERATIONS of the monitor, Innodb_rows_* status). */
export interface RowCounters {
  read: number;
  inserted: number;
  updated: number;
  deleted: number;
}

/** What an open table needs of its engine. */
export interface HandlerServices {
  readonly counters: RowCounters;
  /** The counters of tables in the `mysql` schema (Innodb_system_rows_*): the dictionary's and
   *  the grant tables. @req INNODB-MON-015 */
  readonly systemCounters: RowCounters;
  readonly pageSize: number;
  /** Lock a clustered record for `trx`. */
  lockRecord(ctx: EngineContext, trx: InnodbTrx, table: InnodbTable, rec: ClusterRec | string | IndexRecordRef, mode: 'S' | 'X', read?: ReadMode, gap?: GapMode): 'granted' | 'skipped' | Promise<unknown>;
  /** Whether some transaction holds or waits for a lock on a record of the index (absent: assume
   *  so). @req CORE-PERF-048 */
  indexLocked?(table: InnodbTable, indexName: string): boolean;
  /** The lock system's read bookkeeping below REPEATABLE READ (lock-sys.ts: lastLockId,
   *  noteRead, releaseReadLocks). @req INNODB-LOCK-308 */
  readonly readLocks: Pick<LockSys, 'lastLockId' | 'noteRead' | 'releaseReadLocks'>;
  /** A transaction for a change made outside any (server-internal callers): it commits as
   *  soon as the change is made, like an autocommit statement. */
  autocommitTrx(ctx: EngineContext): InnodbTrx;
  /** Refuse a change when InnoDB is read-only (innodb_read_only, innodb_force_recovery). */
  checkWritable(ctx: EngineContext): void;
  /** A hidden DB_ROW_ID for a table without a clustering key. */
  nextRowId(): bigint;
  /** The AUTO_INCREMENT counter changed: it goes to the redo log (INNODB-REC-015). */
  autoIncChanged(table: InnodbTable): void;
  /** The table's rows changed (schedules a checkpoint of it). */
  touched(table: InnodbTable): void;
  /** Estimated on-disk sizes, from the page size. */
  sizes(table: InnodbTable): { dataLength: number; indexLength: number; dataFree: number };
  check?(table: InnodbTable): Promise<MaintenanceResult[]>;
  /** A promise to wait for before a change when too many changes wait for a checkpoint (the
   *  memory they hold is bounded this way), else null. */
  throttle?(): Promise<unknown> | null;
  /** Foreign key checks and actions; absent: none (tables of a bare engine in unit tests). */
  readonly foreignKeys?: ForeignKeyEnforcer;
}

function trxOf(ctx: EngineContext): InnodbTrx | undefined {
  return ctx.txn as InnodbTrx | undefined;
}

/** READ COMMITTED and READ UNCOMMITTED give back the locks of rows a statement read but did
 *  not use; REPEATABLE READ and SERIALIZABLE keep them. @req INNODB-LOCK-308 */
function releasesRejectedRows(trx: InnodbTrx): boolean {
  return trx.isolation === 'READ-COMMITTED' || trx.isolation === 'READ-UNCOMMITTED';
}

function then<T>(p: 'granted' | 'skipped' | Promise<unknown>, f: () => MaybePromise<T>): MaybePromise<T> {
  if (typeof p === 'string') return f();
  return p.then(f);
}

/** `f` after `v` (synchronously when `v` is at hand). */
function seq<T, U>(v: MaybePromise<T>, f: (x: T) => MaybePromise<U>): MaybePromise<U> {
  return v instanceof Promise ? v.then(f) : f(v);
}

/** `v`, once `w` is done. */
function after<T>(w: MaybePromise<void>, v: T): MaybePromise<T> {
  return w instanceof Promise ? w.then(() => v) : v;
}

/** A key part as data_locks prints it. */
function keyPartText(p: KeyPart): string {
  if (p !== null && typeof p === 'object' && !Buffer.isBuffer(p)) return p.t.join('-');
  return keyValueText(p);
}

/** Index reads count at most this many entries for the planner's estimate. */
const ESTIMATE_CAP = 10000;
/** ... and read at most this many leaf pages of the tablespace for it (synchronously). */
const ESTIMATE_LEAVES = 16;

/** One record found (or not) by a clustered key lookup on disk. */
class LookupSource implements CandidateSource {
  private given = false;
  constructor(private readonly found: DiskRow | null | Promise<DiskRow | null>) {}
  next(): Candidate[] | null | Promise<Candidate[] | null> {
    if (this.given) return null;
    this.given = true;
    const f = this.found;
    return f instanceof Promise ? f.then((d) => (d ? [{ disk: d }] : [])) : f ? [{ disk: f }] : [];
  }
}

export class InnodbTableHandler implements TableHandler {
  constructor(
    readonly table: InnodbTable,
    private readonly services: HandlerServices,
  ) {}

  get def(): TableDef {
    return this.table.def;
  }

  /** Row counters: the system tables' (schema `mysql`) or the user tables'. */
  private get counters(): RowCounters {
    return this.table.def.schema === 'mysql' ? this.services.systemCounters : this.services.counters;
  }

  /** The locker of cursors that lock as usual, and the row counter of every cursor: made once
   *  per open table rather than per cursor (a point read opens one cursor per statement).
   *  @req CORE-PERF-035 */
  private readonly plainLocker: RecordLocker = (c, t, table, rec, m, rm, gap) => this.services.lockRecord(c, t, table, rec === 'supremum' ? SUPREMUM_KEY : rec, m, rm, gap);
  private readonly countRead = (n: number): void => {
    this.counters.read += n;
  };

  private cursor(ctx: EngineContext, opts: CursorOptions, source: CandidateSource, via: InnodbTable['secondaries'][number] | null, gaps: GapPlan | null = null, secLocks: SecondaryLockPlan | null = null): RowCursor {
    const trx = trxOf(ctx);
    const mode = readModeFor(trx, opts);
    if (mode.lock && trx) trx.ensureId();
    // Below REPEATABLE READ the locks of a locking read may be given back row by row, so the
    // read notes which locks it created; at the other levels it need not.
    const early = mode.lock !== null && trx !== undefined && releasesRejectedRows(trx) && !this.table.def.temporary;
    return new InnodbCursor(
      this.table,
      ctx,
      trx,
      mode,
      source,
      via,
      early ? this.readLocker() : this.plainLocker,
      this.countRead,
      gaps,
      secLocks,
      early && trx ? (rec) => this.releaseReadLock(trx, rec) : null,
    );
  }

  /** Whether `indexName` names the clustered index (exact spelling first: no case folding on
   *  the usual call). */
  private isClustered(indexName: string): boolean {
    const c = this.table.clustered;
    if (!c) return false;
    return c.name === indexName || c.name.toLowerCase() === indexName.toLowerCase();
  }

  /**
   * How one cursor locks below REPEATABLE READ: a clustered record's lock request notes
   * whether the read created the lock or found it held (only a lock it created may be given
   * back if the server rejects the row). Other targets (the supremum, a secondary entry) lock
   * as usual. After a wait the cursor asks again for the record it waited for; that second
   * request finds the lock held, but the lock is still this read's.
   * @req INNODB-LOCK-308
   */
  private readLocker(): RecordLocker {
    let waitedFor: ClusterRec | null = null;
    return (ctx, trx, table, target, mode, read, gap) => {
      const rec = target === 'supremum' ? SUPREMUM_KEY : target;
      if (typeof rec === 'string' || 'indexName' in rec) return this.services.lockRecord(ctx, trx, table, rec, mode, read, gap);
      const again = waitedFor === rec;
      waitedFor = null;
      const since = this.services.readLocks.lastLockId;
      const r = this.services.lockRecord(ctx, trx, table, rec, mode, read, gap);
      const note = (): void => this.services.readLocks.noteRead(trx, table.def.id, rec.hk, since);
      if (typeof r === 'string') {
        if (r === 'granted' && !again) note();
        return r;
      }
      return r.then((v) => {
        note();
        waitedFor = rec;
        return v;
      });
    };
  }

  /**
   * The server rejected the row `id` that a locking read of this statement returned. Below
   * REPEATABLE READ its record lock goes, as InnoDB's row_unlock_for_mysql does, unless the
   * transaction changed the row or held the lock before that read. At REPEATABLE READ and
   * SERIALIZABLE every lock stays to the end of the transaction.
   *
   * Only the clustered record's lock is concerned: below REPEATABLE READ a read through a
   * secondary index locks the clustered records it reaches and no secondary entry (cursor.ts),
   * so there is nothing else of that row to give back.
   * @req INNODB-LOCK-308
   */
  unlockRow(ctx: EngineContext, id: RowId): void {
    const trx = trxOf(ctx);
    // A locking read always brings its record into memory: a RowId naming a row on disk only
    // (a string) came from a consistent read, which locked nothing.
    if (!trx || typeof id !== 'number' || !releasesRejectedRows(trx)) return;
    const rec = this.table.byHandle(id);
    if (rec && !rec.removed) this.releaseReadLock(trx, rec);
  }

  /** Give back the lock `trx`'s latest locking read of `rec` created, unless `trx` changed the
   *  row (its newest version is the transaction's own). @req INNODB-LOCK-308 */
  private releaseReadLock(trx: InnodbTrx, rec: ClusterRec): void {
    if (rec.head.trx === trx.record) return;
    const n = this.services.readLocks.releaseReadLocks(trx, this.table.def.id, rec.hk);
    // INNODB_TRX.trx_rows_locked counts the rows still locked.
    if (n > 0) trx.rowsLocked = Math.max(0, trx.rowsLocked - n);
  }

  /** The first clustered record after `key` (after every record with that prefix when
   *  `inclusive` is false; at or after it when true), or the supremum. With a tablespace the
   *  first such record on disk comes into memory first. @req INNODB-LOCK-302 */
  private after(key: KeyPart[] | null, inclusive = false, sync = false): GapEnd | Promise<GapEnd> {
    const t = this.table;
    const inMemory = (): GapEnd => {
      if (key) for (const e of t.tree.range({ key, inclusive })) return t.recs[e.slot] ?? 'supremum';
      return 'supremum';
    };
    if (!t.disk || !key) return inMemory();
    const f = t.disk.faultInAfter(key, inclusive, sync);
    return f instanceof Promise ? f.then(inMemory) : inMemory();
  }

  /** Records in memory of a range of the clustered index or of secondary index `sec`. */
  private overlay(entries: Iterable<{ key: KeyPart[]; slot: number }>): OverlayEntry[] {
    const out: OverlayEntry[] = [];
    for (const e of entries) {
      const rec = this.table.recs[e.slot];
      if (rec) out.push({ rec, key: e.key });
    }
    return out;
  }

  /** The bounds of an index read as a tree walk's options. */
  private walkOptions(idx: NonNullable<InnodbTable['clustered']>, read: IndexRead): WalkOptions {
    const t = this.table;
    if (read.kind === 'eq') {
      const b = { key: t.searchKey(idx, read.key), inclusive: true };
      return { low: b, high: b };
    }
    return {
      low: read.low ? { key: t.searchKey(idx, read.low.key), inclusive: read.low.inclusive } : undefined,
      high: read.high ? { key: t.searchKey(idx, read.high.key), inclusive: read.high.inclusive } : undefined,
      reverse: read.reverse ?? false,
    };
  }

  /** The lock name of a secondary index entry (its secondary key followed by the clustered key). @req INNODB-LOCK-307 */
  private secEntryRef(sec: SecondaryIndex, full: readonly KeyPart[]): IndexRecordRef {
    return { indexName: sec.def.name, key: `\u0001${sec.def.name.toLowerCase()}\u0001${hashKey(full)}`, keyText: full.map(keyPartText).join(', ') };
  }

  /**
   * The first entry of secondary index `sec` after `bound` (at or after it when inclusive; a
   * prefix bound passes every entry with that prefix when exclusive), among the records in
   * memory and on disk; the index's supremum when there is none. @req INNODB-LOCK-307
   */
  private nextSecEntry(sec: SecondaryIndex, bound: { key: KeyPart[]; inclusive: boolean }, sync: boolean): IndexRecordRef | Promise<IndexRecordRef> {
    const t = this.table;
    const specs = [...sec.specs, ...t.clusterKeySpecs];
    const passes = (e: { key: KeyPart[]; tie?: KeyPart[] }): boolean => {
      const c = compareJoinedKey(e.key, e.tie, bound.key, specs);
      return c > 0 || (c === 0 && bound.inclusive);
    };
    // The entries in memory are in (secondary key, clustering key) order: a binary search.
    let best: KeyPart[] | null = null;
    const fullKey = (e: { key: KeyPart[]; tie?: KeyPart[] }): KeyPart[] => (e.tie ? e.key.concat(e.tie) : e.key.slice());
    for (const e of sec.tree.from((e) => !passes(e))) {
      if (!t.recs[e.slot]) continue;
      best = fullKey(e);
      break;
    }
    const done = (fromDisk: KeyPart[] | null): IndexRecordRef => {
      const pick = fromDisk && (!best || compareKeys(fromDisk, best, specs) < 0) ? fromDisk : best;
      return pick ? this.secEntryRef(sec, pick) : { indexName: sec.def.name, key: secondarySupremumKey(sec.def.name), keyText: '' };
    };
    if (!t.disk) return done(null);
    const w = t.disk.walk(t.secondaries.indexOf(sec), { low: bound }, sync).next();
    const first = (b: LeafEntry[] | null): IndexRecordRef => done(b && b[0] ? b[0].key : null);
    return w instanceof Promise ? w.then(first) : first(w);
  }

  /** The secondary lock plan of a locking read of `sec` (@req INNODB-LOCK-307). */
  private secLockPlan(sec: SecondaryIndex, read: IndexRead, sync: boolean): SecondaryLockPlan {
    const t = this.table;
    const uniqueEq = sec.unique && read.kind === 'eq' && read.key.length === sec.def.parts.length && !read.key.some((v) => v === null);
    const end = read.kind === 'eq' ? { key: t.searchKey(sec.def, read.key), inclusive: false } : read.high ? { key: t.searchKey(sec.def, read.high.key), inclusive: !read.high.inclusive } : null;
    return {
      uniqueEq,
      descending: read.kind === 'range' && read.reverse === true,
      entry: (c, rec) => this.secEntryRef(sec, [...(c.secKey ?? t.secKey(sec, rec.head.row)), ...rec.key]),
      after: () => (end ? this.nextSecEntry(sec, end, sync) : { indexName: sec.def.name, key: secondarySupremumKey(sec.def.name), keyText: '' }),
    };
  }

  /**
   * Insert intentions on the entries after `row`'s new entries in the secondary indexes
   * (`changedOnly`: those whose key differs from `old`'s): a new entry waits for other
   * transactions' gap and next-key locks on the gap it goes into. @req INNODB-LOCK-307
   */
  private secondaryIntentions(ctx: EngineContext, trx: InnodbTrx, row: Row, key: KeyPart[], old: Row | null, from = 0): MaybePromise<void> {
    const t = this.table;
    // One index at a time: a transaction waits for one lock at most.
    for (let i = from; i < t.secondaries.length; i++) {
      const sec = t.secondaries[i]!;
      const sk = t.secKey(sec, row);
      if (old && hashKey(t.secKey(sec, old)) === hashKey(sk)) continue;
      // No lock on any entry of the index: the insert intention could not wait, so the entry
      // after the new one need not be found. CORE-PERF-048
      if (this.services.indexLocked && !this.services.indexLocked(t, sec.def.name)) continue;
      const lock = (next: IndexRecordRef): MaybePromise<void> => {
        const r = this.services.lockRecord(ctx, trx, t, next, 'X', undefined, 'insert-intention');
        return r instanceof Promise ? r.then(() => undefined) : undefined;
      };
      const next = this.nextSecEntry(sec, { key: [...sk, ...key], inclusive: false }, false);
      const r = next instanceof Promise ? next.then(lock) : lock(next);
      if (r instanceof Promise) return r.then(() => this.secondaryIntentions(ctx, trx, row, key, old, i + 1));
    }
    return undefined;
  }

  scan(ctx: EngineContext, opts: CursorOptions): RowCursor {
    const t = this.table;
    const gaps: GapPlan = { uniqueEq: false, after: () => 'supremum' };
    if (t.disk) {
      const sync = !opts.canWait;
      const source = new MergeSource(t, t.disk, -1, this.overlay(t.tree.range()), t.disk.walk(-1, {}, sync), false, sync);
      return this.cursor(ctx, opts, source, null, gaps);
    }
    const list: Candidate[] = [];
    for (const e of t.tree.range()) list.push({ rec: t.recs[e.slot]! });
    return this.cursor(ctx, opts, new MemorySource(list), null, gaps);
  }

  indexRead(ctx: EngineContext, indexName: string, read: IndexRead, opts: CursorOptions): RowCursor {
    const t = this.table;
    const sync = !opts.canWait;
    const clustered = this.isClustered(indexName) ? t.clustered : null;
    if (clustered) {
      if (read.kind === 'eq' && read.key.length === clustered.parts.length) {
        const key = t.searchKey(clustered, read.key);
        const rec = t.recordFor(key);
        const gaps: GapPlan = { uniqueEq: true, after: () => this.after(key, false, sync) };
        if (rec || !t.disk) return this.cursor(ctx, opts, new MemorySource(rec ? [{ rec }] : []), null, gaps);
        return this.cursor(ctx, opts, new LookupSource(t.disk.lookup(key, sync)), null, gaps);
      }
      const list = this.overlay(this.rangeOf(t.tree, clustered, read));
      // The gap after the range: past the equal prefix, or past (or at) an upper bound.
      const end = read.kind === 'eq' ? { key: t.searchKey(clustered, read.key), inclusive: true } : read.high ? { key: t.searchKey(clustered, read.high.key), inclusive: read.high.inclusive } : null;
      const gaps: GapPlan = { uniqueEq: false, after: () => (end ? this.after(end.key, !end.inclusive, sync) : 'supremum'), descending: read.kind === 'range' && read.reverse === true };
      const source = t.disk
        ? new MergeSource(t, t.disk, -1, list, t.disk.walk(-1, this.walkOptions(clustered, read), sync), read.kind !== 'eq' && (read.reverse ?? false), sync)
        : new MemorySource(list.map((o) => ({ rec: o.rec })));
      return this.cursor(ctx, opts, source, null, gaps);
    }
    const sec = t.secondary(indexName);
    if (!sec) throw sqlError('ER_KEY_DOES_NOT_EXITS', indexName, t.def.name);
    const list = this.overlay(this.rangeOf(sec.tree, sec.def, read));
    const plan = this.secLockPlan(sec, read, sync);
    if (t.disk) {
      const pos = t.secondaries.indexOf(sec);
      const source = new MergeSource(t, t.disk, pos, list, t.disk.walk(pos, this.walkOptions(sec.def, read), sync), read.kind !== 'eq' && (read.reverse ?? false), sync);
      return this.cursor(ctx, opts, source, sec, null, plan);
    }
    return this.cursor(ctx, opts, new MemorySource(list.map((o) => ({ rec: o.rec, secHash: hashKey(o.key), secKey: o.key }))), sec, null, plan);
  }

  private rangeOf(tree: InnodbTable['tree'], idx: NonNullable<InnodbTable['clustered']>, read: IndexRead): Iterable<{ key: KeyPart[]; slot: number }> {
    const t = this.table;
    if (read.kind === 'eq') return tree.eq(t.searchKey(idx, read.key));
    const low = read.low ? { key: t.searchKey(idx, read.low.key), inclusive: read.low.inclusive } : undefined;
    const high = read.high ? { key: t.searchKey(idx, read.high.key), inclusive: read.high.inclusive } : undefined;
    return tree.range(low, high, read.reverse ?? false);
  }

  estimateRows(_ctx: EngineContext, indexName: string, read: IndexRead): number {
    const t = this.table;
    const lower = indexName.toLowerCase();
    const idx = t.clustered && t.clustered.name.toLowerCase() === lower ? t.clustered : t.secondary(indexName)?.def;
    if (!idx) return Math.max(1, t.recordCount);
    if (read.kind === 'eq' && (idx.kind === 'PRIMARY' || idx.kind === 'UNIQUE') && read.key.length === idx.parts.length) return 1;
    const tree = idx === t.clustered ? t.tree : t.secondary(indexName)!.tree;
    let n = 0;
    for (const _ of this.rangeOf(tree, idx, read)) if (++n >= ESTIMATE_CAP) break;
    if (t.disk && n < ESTIMATE_CAP) {
      // The records on disk in the range, counted a leaf at a time (synchronously: the planner cannot wait).
      // At most ESTIMATE_LEAVES leaves: a range wider than that counts as half the table.
      const w = t.disk.walk(idx === t.clustered ? -1 : t.secondaries.indexOf(t.secondary(indexName)!), this.walkOptions(idx, read), true);
      let leaves = 0;
      let b = w.next() as LeafEntry[] | null;
      for (; b && n < ESTIMATE_CAP && leaves < ESTIMATE_LEAVES; b = w.next() as LeafEntry[] | null, leaves++) n += b.length;
      if (b && leaves >= ESTIMATE_LEAVES) n = Math.max(n, Math.floor(t.liveRows / 2));
    }
    return Math.max(1, n);
  }

  /** @req INNODB-RESTR-002 */
  stats(_ctx: EngineContext): TableStats {
    const t = this.table;
    const s = this.services.sizes(t);
    const stats: TableStats = {
      rows: t.liveRows,
      avgRowLength: t.liveRows > 0 ? Math.floor(s.dataLength / t.liveRows) : 0,
      dataLength: s.dataLength,
      maxDataLength: 0,
      indexLength: s.indexLength,
      dataFree: s.dataFree,
      autoIncrement: t.def.columns.some((c) => c.autoIncrement) ? t.autoInc : null,
      rowFormat: rowFormatName(t.rowFormat),
    };
    return stats;
  }

  private writeTrx(ctx: EngineContext): InnodbTrx {
    const trx = trxOf(ctx);
    if (!trx) throw new Error('InnoDB: a change outside a transaction');
    this.services.checkWritable(ctx);
    trx.ensureId();
    return trx;
  }

  /**
   * Run a change; outside a transaction, in one of its own that commits (or rolls back) with it.
   */
  private change<T>(ctx: EngineContext, f: (ctx: EngineContext) => MaybePromise<T>): MaybePromise<T> {
    const wait = this.table.disk ? this.services.throttle?.() : null;
    if (wait) return wait.then(() => this.change(ctx, f));
    if (trxOf(ctx)) return f(ctx);
    this.services.checkWritable(ctx);
    const trx = this.services.autocommitTrx(ctx);
    const own: EngineContext = { ...ctx, txn: trx, sessionVar: ctx.sessionVar, transactionRolledBack: () => undefined };
    trx.beginStatement();
    const fail = (e: unknown): never => {
      void trx.rollback();
      throw e;
    };
    const done = (v: T): MaybePromise<T> => {
      trx.endStatement();
      const c = trx.commit();
      return c instanceof Promise ? c.then(() => v) : v;
    };
    let r: MaybePromise<T>;
    try {
      r = f(own);
    } catch (e) {
      return fail(e);
    }
    return r instanceof Promise ? r.then(done, fail) : done(r);
  }

  /** @req INNODB-ERR-006 INNODB-LOCK-203 */
  insert(ctx: EngineContext, row: Row): MaybePromise<RowId> {
    // The engine keeps its own copy: the caller may reuse its array.
    const own = row.slice();
    return this.change(ctx, (c) => this.rowSavepoint(c, () => this.insertIn(c, own)));
  }

  /**
   * Run one row operation as its own savepoint: if it fails, what it changed (its row, rows a
   * cascade reached) is undone before the error goes on. A transaction rolled back whole
   * meanwhile (deadlock victim) has nothing left to undo.
   * @req INNODB-FK-108
   */
  private rowSavepoint<T>(ctx: EngineContext, f: () => MaybePromise<T>): MaybePromise<T> {
    const trx = trxOf(ctx);
    if (!trx) return f();
    const mark = trx.undo.length;
    const undo = (e: unknown): never => {
      if (trx.state === 'active' && trx.undo.length > mark) trx.undoTo(mark);
      throw e;
    };
    let r: MaybePromise<T>;
    try {
      r = f();
    } catch (e) {
      return undo(e);
    }
    return r instanceof Promise ? r.catch(undo) : r;
  }

  private insertIn(ctx: EngineContext, row: Row): MaybePromise<RowId> {
    const trx = this.writeTrx(ctx);
    const t = this.table;
    const rowId = t.hidden ? this.services.nextRowId() : null;
    const key = t.clusterKey(row, rowId);
    const hk = hashKey(key);
    // The pages that hold the key and the unique keys are read first (without blocking).
    const warm = this.faultIn(key, row, false);
    const start = (): 'granted' | 'skipped' | Promise<unknown> => {
      const existing = t.byKey.get(hk);
      // A new key goes into the gap before the next record: an insert intention there waits for
      // the gap and next-key locks of locking readers at REPEATABLE READ / SERIALIZABLE.
      // @req INNODB-LOCK-304
      const intent = existing ? 'granted' : this.insertIntention(ctx, trx, key);
      const lockKey = (): 'granted' | 'skipped' | Promise<unknown> => {
        const r = this.services.lockRecord(ctx, trx, t, t.byKey.get(hk) ?? hk, 'X');
        const secondary = (): MaybePromise<void> => this.secondaryIntentions(ctx, trx, row, key, null);
        if (r instanceof Promise) return r.then(secondary);
        const w = secondary();
        return w instanceof Promise ? w : r;
      };
      return typeof intent === 'string' ? lockKey() : intent.then(lockKey);
    };
    const lock = warm instanceof Promise ? warm.then(start) : start();
    // Nothing waited: the keys brought in above are still in memory for the check.
    const sameTurn = !(warm instanceof Promise) && typeof lock === 'string';
    return then(lock, () =>
      seq(this.insertLocked(ctx, trx, row, key, hk, rowId, sameTurn), (id) => {
        const fk = this.services.foreignKeys;
        return fk ? after(fk.inserted(ctx, trx, t, row), id) : id;
      }),
    );
  }

  /** The insert intention lock on the record after `key` (or the supremum). @req INNODB-LOCK-304 */
  private insertIntention(ctx: EngineContext, trx: InnodbTrx, key: KeyPart[]): 'granted' | 'skipped' | Promise<unknown> {
    const lock = (next: GapEnd): 'granted' | 'skipped' | Promise<unknown> =>
      this.services.lockRecord(ctx, trx, this.table, next === 'supremum' ? SUPREMUM_KEY : next, 'X', undefined, 'insert-intention');
    const next = this.after(key);
    return next instanceof Promise ? next.then(lock) : lock(next);
  }

  /**
   * With a tablespace: bring the record with clustered key `key` and the records holding the
   * unique secondary keys of `row` into memory, where the checks for duplicates look. Called
   * asynchronously to read the pages ahead, and synchronously right before a check, so that the
   * check and the change it allows happen in one turn of the event loop.
   */
  private faultIn(key: KeyPart[], row: Row, sync: boolean): MaybePromise<void> {
    const t = this.table;
    const d = t.disk;
    if (!d) return undefined;
    const waits: Promise<void>[] = [];
    const add = (r: MaybePromise<void>): void => {
      if (r instanceof Promise) waits.push(r);
    };
    add(d.faultIn(-1, key, sync));
    t.secondaries.forEach((s, i) => {
      if (!s.unique) return;
      const k = t.secKey(s, row);
      if (!hasNull(k)) add(d.faultIn(i, k, sync));
    });
    return waits.length > 0 ? Promise.all(waits).then(() => undefined) : undefined;
  }

  private insertLocked(ctx: EngineContext, trx: InnodbTrx, row: Row, key: KeyPart[], hk: string, rowId: bigint | null, faulted = false): MaybePromise<RowId> {
    const t = this.table;
    if (!faulted) this.faultIn(key, row, true);
    const existing = t.byKey.get(hk);
    if (existing && !existing.head.deleted) t.dupError(t.clustered, row);
    const wait = this.uniqueConflictWait(ctx, trx, row, existing ?? null);
    if (wait) return wait.then(() => this.insertLocked(ctx, trx, row, key, hk, rowId));
    const v: Version = { row, trx: trx.record, deleted: false, prev: null };
    let rec: ClusterRec;
    if (existing) {
      const prev = existing.head;
      t.pushVersion(existing, v);
      rec = existing;
      trx.noteChange(t, rec, v, prev);
    } else {
      rec = t.addRecord(key, hk, rowId, v);
      trx.noteChange(t, rec, v, null);
    }
    this.counters.inserted++;
    this.changed();
    return t.handle(rec);
  }

  /**
   * A unique secondary key of `row` that another record holds: 1062 when that record's newest
   * version is a committed (or our own) live row with the key; a wait for its lock when another
   * transaction's uncommitted change holds it (then the check runs again).
   */
  private uniqueConflictWait(ctx: EngineContext, trx: InnodbTrx, row: Row, self: ClusterRec | null): Promise<unknown> | null {
    const t = this.table;
    for (const s of t.secondaries) {
      if (!s.unique) continue;
      const key = t.secKey(s, row);
      if (hasNull(key)) continue;
      const h = hashKey(key);
      for (const e of s.tree.eq(key)) {
        const other = t.recs[e.slot];
        if (!other || other === self || other.removed) continue;
        const head = other.head;
        const mine = head.trx === trx.record;
        if (!mine && head.trx.commitSeq === Infinity) {
          const r = this.services.lockRecord(ctx, trx, t, other, 'S');
          if (typeof r !== 'string') return r;
        }
        const now = other.head;
        if (!now.deleted && hashKey(t.secKey(s, now.row)) === h) t.dupError(s.def, row);
      }
    }
    return null;
  }

  /** The record a RowId names: a record in memory by its handle, or a row a consistent read
   *  found on disk, by its clustered key (brought into memory). */
  private recOf(id: RowId): ClusterRec {
    const t = this.table;
    let rec: ClusterRec | undefined;
    if (typeof id === 'number') rec = t.byHandle(id);
    else if (typeof id === 'string' && id.startsWith('k') && t.disk) {
      const key = decodeKey(Buffer.from(id.slice(1), 'latin1'));
      rec = t.byKey.get(hashKey(key));
      if (!rec) {
        const d = t.disk.lookupSync(key);
        if (d) rec = t.adopt(d);
      }
    }
    if (!rec || rec.removed) throw sqlError('ER_KEY_NOT_FOUND', t.def.name);
    return rec;
  }

  /** @req INNODB-LOCK-204 */
  update(ctx: EngineContext, id: RowId, _oldRow: Row, newRow: Row): MaybePromise<void> {
    const own = newRow.slice();
    return this.change(ctx, (c) => this.rowSavepoint(c, () => this.updateIn(c, id, own)));
  }

  private updateIn(ctx: EngineContext, id: RowId, newRow: Row): MaybePromise<void> {
    const trx = this.writeTrx(ctx);
    const t = this.table;
    const rec = this.recOf(id);
    const lock = this.services.lockRecord(ctx, trx, t, rec, 'X');
    return then(lock, () => {
      const old = rec.head.row;
      // New secondary entries go into gaps other transactions may have locked. @req INNODB-LOCK-307
      const newKey = t.clusterKey(newRow, rec.rowId);
      const intents = t.secondaries.length > 0 ? this.secondaryIntentions(ctx, trx, newRow, newKey, hashKey(newKey) === rec.hk ? old : null) : undefined;
      return seq(intents, () => seq(this.updateLocked(ctx, trx, rec, newRow), () => this.services.foreignKeys?.updated(ctx, trx, t, old, newRow)));
    });
  }

  /** A cascaded update: the locked record gets `newRow`; not a row of the statement. @req INNODB-FK-111 */
  cascadeUpdate(ctx: EngineContext, trx: InnodbTrx, rec: ClusterRec, newRow: Row): MaybePromise<void> {
    return this.updateLocked(ctx, trx, rec, newRow, false);
  }

  /** A cascaded delete: the locked record is delete-marked; not a row of the statement. @req INNODB-FK-111 */
  cascadeDelete(trx: InnodbTrx, rec: ClusterRec): void {
    if (rec.head.deleted) return;
    this.deleteMark(trx, rec);
    this.changed();
  }

  private updateLocked(ctx: EngineContext, trx: InnodbTrx, rec: ClusterRec, newRow: Row, count = true): MaybePromise<void> {
    const t = this.table;
    const newKey = t.clusterKey(newRow, rec.rowId);
    const nhk = hashKey(newKey);
    this.faultIn(newKey, newRow, true);
    if (nhk !== rec.hk) {
      // The clustering key changes: InnoDB delete-marks the old record and inserts a new one.
      const target = t.byKey.get(nhk);
      const lock = this.services.lockRecord(ctx, trx, t, target ?? nhk, 'X');
      return then(lock, () => {
        const other = t.byKey.get(nhk);
        if (other && !other.head.deleted) t.dupError(t.clustered, newRow);
        const wait = this.uniqueConflictWait(ctx, trx, newRow, rec);
        if (wait) return wait.then(() => this.updateLocked(ctx, trx, rec, newRow, count));
        this.deleteMark(trx, rec);
        const v: Version = { row: newRow, trx: trx.record, deleted: false, prev: null };
        let moved: ClusterRec;
        if (other) {
          const prev = other.head;
          t.pushVersion(other, v);
          trx.noteChange(t, other, v, prev);
          moved = other;
        } else {
          moved = t.addRecord(newKey, nhk, rec.rowId, v);
          trx.noteChange(t, moved, v, null);
        }
        // The row keeps the handle the server read it under.
        t.swapSlots(rec, moved);
        if (count) this.counters.updated++;
        this.changed();
      });
    }
    const wait = this.uniqueConflictWait(ctx, trx, newRow, rec);
    if (wait) return wait.then(() => this.updateLocked(ctx, trx, rec, newRow, count));
    const prev = rec.head;
    const v: Version = { row: newRow, trx: trx.record, deleted: false, prev: null };
    t.pushVersion(rec, v);
    trx.noteChange(t, rec, v, prev);
    if (count) this.counters.updated++;
    this.changed();
  }

  private deleteMark(trx: InnodbTrx, rec: ClusterRec): void {
    const prev = rec.head;
    const v: Version = { row: prev.row, trx: trx.record, deleted: true, prev: null };
    this.table.pushVersion(rec, v);
    trx.noteChange(this.table, rec, v, prev);
  }

  delete(ctx: EngineContext, id: RowId, _row: Row): MaybePromise<void> {
    return this.change(ctx, (c) => this.rowSavepoint(c, () => this.deleteIn(c, id)));
  }

  private deleteIn(ctx: EngineContext, id: RowId): MaybePromise<void> {
    const trx = this.writeTrx(ctx);
    const rec = this.recOf(id);
    const lock = this.services.lockRecord(ctx, trx, this.table, rec, 'X');
    return then(lock, () => {
      if (rec.head.deleted) return;
      const old = rec.head.row;
      this.deleteMark(trx, rec);
      this.counters.deleted++;
      this.changed();
      return this.services.foreignKeys?.deleted(ctx, trx, this.table, old);
    });
  }

  /** TRUNCATE: the server runs it as DDL (drop and create); here only the in-memory rows go. */
  truncate(_ctx: EngineContext): void {
    this.table.clear();
    const start = this.table.def.autoIncrementStart;
    this.table.autoInc = start > 0n ? start : 1n;
    this.changed();
  }

  private changed(): void {
    this.table.updateTime = Date.now();
    this.services.touched(this.table);
  }

  reserveAutoIncrement(_ctx: EngineContext, count: number): AutoIncrementBlock {
    const t = this.table;
    const first = t.autoInc;
    t.autoInc = first + BigInt(count);
    this.services.autoIncChanged(t);
    return { first, count };
  }

  observeAutoIncrement(_ctx: EngineContext, value: bigint): void {
    const t = this.table;
    if (value >= t.autoInc) {
      t.autoInc = value + 1n;
      this.services.autoIncChanged(t);
    }
  }

  async check(_ctx: EngineContext, _options: string[]): Promise<MaintenanceResult[]> {
    if (this.services.check) return this.services.check(this.table);
    return [{ msgType: 'status', msgText: 'OK' }];
  }

  async analyze(_ctx: EngineContext): Promise<MaintenanceResult[]> {
    return [{ msgType: 'status', msgText: 'OK' }];
  }

  async optimize(_ctx: EngineContext): Promise<MaintenanceResult[]> {
    return [
      { msgType: 'note', msgText: 'Table does not support optimize, doing recreate + analyze instead' },
      { msgType: 'status', msgText: 'OK' },
    ];
  }

  close(): void {
    /* the table stays in the engine's memory */
  }
}

/** ROW_FORMAT as SHOW TABLE STATUS prints it. */
export function rowFormatName(format: string): string {
  const f = format.toUpperCase();
  if (f === 'COMPACT') return 'Compact';
  if (f === 'REDUNDANT') return 'Redundant';
  if (f === 'COMPRESSED') return 'Compressed';
  return 'Dynamic';
}
