/**
 * Reading an InnoDB table: consistent reads through a read view, and locking ("current") reads
 * that lock each record and read its newest version.
 *
 * A locking read locks a record only when it hands it out, one per fill, so that a reader that
 * stops early (LIMIT) leaves the rest unlocked.
 *
 * A cursor takes the records it will visit when it opens, so rows added later by the same
 * statement (INSERT ... SELECT from the table itself) are not visited, and a lock wait in the
 * middle cannot lose its place. A record whose lock must be waited for makes `fill` return a
 * promise; once granted the same record is read again, now under the lock.
 *
 * At REPEATABLE READ and SERIALIZABLE a locking read also locks the gaps it passed, so that no
 * other transaction can insert a row the read would have returned (a phantom): each record it
 * hands out gets a next-key lock (record + gap before it), except the one record an equality
 * read of the whole clustered key finds (the key is unique: no row can join it, so the record
 * alone is locked); and when the read runs out of records it takes a gap lock on the first
 * record after its range (a next-key lock on the supremum when there is none). A descending
 * read takes that lock before its first record instead, since it starts at that end. A read through a
 * secondary index does the same in that index (SecondaryLockPlan) and locks the clustered records
 * it reaches without their gaps.
 *
 * At READ COMMITTED and READ UNCOMMITTED a locking read locks the clustered records alone, and
 * a delete-marked record it locks and passes over is unlocked again at once (the handler's
 * releaseSkipped; rows the server rejects are unlocked through unlockRow).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-consistent-read.html (15.7.2.3)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-locking-reads.html (15.7.2.4)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-next-key-locking.html (15.7.4)
 * @req INNODB-RESTR-003 INNODB-MVCC-101 INNODB-MVCC-102 INNODB-LOCK-201 INNODB-LOCK-202
 * @req INNODB-LOCK-302 INNODB-LOCK-303 INNODB-LOCK-307 INNODB-LOCK-308 INNODB-LOCK-309
 */
import type { CursorOptions, EngineContext, RowCursor, RowRef } from '../../handler.js';
import { hashKey } from '../../keys.js';
import { visibleVersion, type ClusterRec, type InnodbTable, type SecondaryIndex } from '../index/innodb-table.js';
import type { Candidate, CandidateSource } from './merge-source.js';
import { isSupremumKey, type GapMode, type IndexRecordRef } from '../lock/lock-modes.js';
import type { ReadView } from '../trx/read-view.js';
import type { InnodbTrx } from '../trx/trx.js';

/** How a cursor reads: decided once per cursor from the transaction and the lock mode. */
export interface ReadMode {
  /** Lock each record (S or X) and read its newest version. */
  lock: 'S' | 'X' | null;
  /** Locking reads at REPEATABLE READ / SERIALIZABLE: lock gaps too (next-key locking). */
  gapLocks: boolean;
  /** Consistent read through this view (null with lock, or READ UNCOMMITTED, or no transaction). */
  view: ReadView | null;
  /** No transaction: the newest committed version. */
  latestCommitted: boolean;
  creator: bigint;
  noWait: boolean;
  skipLocked: boolean;
}

/** The end of a read's range: the first record after it, or the supremum. */
export type GapEnd = ClusterRec | 'supremum';

/** Locks a record (or the supremum, or a secondary index entry) for a reader: 'granted',
 *  'skipped' (SKIP LOCKED) or a promise. */
export type RecordLocker = (ctx: EngineContext, trx: InnodbTrx, table: InnodbTable, rec: GapEnd | IndexRecordRef, mode: 'S' | 'X', mode2: ReadMode, gap: GapMode) => 'granted' | 'skipped' | Promise<unknown>;

/**
 * How a locking read through a secondary index locks that index at REPEATABLE READ and
 * SERIALIZABLE: a next-key lock on each entry it hands out (the entry alone for an equality read
 * of a whole unique key that finds its row), and a gap lock on the entry after its range (a
 * next-key lock on the index's supremum when there is none). @req INNODB-LOCK-307
 */
export interface SecondaryLockPlan {
  entry(c: Candidate, rec: ClusterRec): IndexRecordRef;
  readonly uniqueEq: boolean;
  after(): IndexRecordRef | Promise<IndexRecordRef>;
  /** A descending read: the gap above its range is locked before its first entry. @req INNODB-LOCK-309 */
  readonly descending?: boolean;
}

/** How a locking read locks gaps: whether it is an equality read of the whole clustered key,
 *  and how to find the record after its range when it ends. @req INNODB-LOCK-302 */
export interface GapPlan {
  readonly uniqueEq: boolean;
  readonly after: () => GapEnd | Promise<GapEnd>;
  /** A descending read: the gap above its range is locked before its first record. @req INNODB-LOCK-309 */
  readonly descending?: boolean;
}

/** The RowId of a row a consistent read found on disk only: its clustered key. */
export function diskRowId(keyBytes: Buffer): string {
  return 'k' + keyBytes.toString('latin1');
}

export class InnodbCursor implements RowCursor {
  private batch: Candidate[] = [];
  private i = 0;
  private exhausted = false;
  private closed = false;
  /** The gap after the range is locked (or need not be). */
  private endLocked = false;
  /** A live record was handed out (an equality read of a unique key found its row). */
  private foundLive = false;

  constructor(
    private readonly table: InnodbTable,
    private readonly ctx: EngineContext,
    private readonly trx: InnodbTrx | undefined,
    private readonly mode: ReadMode,
    private readonly source: CandidateSource,
    private readonly via: SecondaryIndex | null,
    private readonly locker: RecordLocker,
    private readonly onRead: (n: number) => void,
    private readonly gaps: GapPlan | null = null,
    private readonly secLocks: SecondaryLockPlan | null = null,
    /** Below REPEATABLE READ: give back the lock just taken on a delete-marked record the
     *  read passes over (no row of it reaches the server). @req INNODB-LOCK-308 */
    private readonly releaseSkipped: ((rec: ClusterRec) => void) | null = null,
  ) {}

  /** What a record handed out is locked with. @req INNODB-LOCK-302 */
  private gapModeFor(rec: ClusterRec): GapMode {
    if (!this.mode.gapLocks || !this.gaps) return 'record';
    return this.gaps.uniqueEq && !rec.head.deleted ? 'record' : 'next-key';
  }

  /**
   * When the read has run out of records: lock the gap after its range, unless an equality read
   * of a unique key found its live record. @req INNODB-LOCK-302 INNODB-LOCK-303
   */
  private lockEnd(): 'granted' | Promise<unknown> {
    this.endLocked = true;
    const { mode, gaps, trx } = this;
    if (!mode.lock || !mode.gapLocks || !trx) return 'granted';
    const sec = this.secLocks;
    if (sec) {
      if (sec.uniqueEq && this.foundLive) return 'granted';
      const lockEntry = (e: IndexRecordRef): 'granted' | Promise<unknown> => {
        const r = this.locker(this.ctx, trx, this.table, e, mode.lock!, mode, isSupremumKey(e.key) ? 'next-key' : 'gap');
        return r === 'skipped' ? 'granted' : r;
      };
      const after = sec.after();
      return after instanceof Promise ? after.then(lockEntry) : lockEntry(after);
    }
    if (!gaps) return 'granted';
    if (gaps.uniqueEq && this.foundLive) return 'granted';
    const lock = (end: GapEnd): 'granted' | Promise<unknown> => {
      const r = this.locker(this.ctx, trx, this.table, end, mode.lock!, mode, end === 'supremum' ? 'next-key' : 'gap');
      return r === 'skipped' ? 'granted' : r;
    };
    const end = gaps.after();
    return end instanceof Promise ? end.then(lock) : lock(end);
  }

  /** Refill the batch from the source; false when it is exhausted. */
  private refill(): boolean | Promise<boolean> {
    const next = this.source.next();
    const take = (b: Candidate[] | null): boolean => {
      if (!b) {
        this.exhausted = true;
        return false;
      }
      this.batch = b;
      this.i = 0;
      return true;
    };
    return next instanceof Promise ? next.then(take) : take(next);
  }

  fill(out: RowRef[], max: number): number | Promise<number> {
    if (this.closed) return 0;
    // A descending read starts at the top of its range: the gap above it is locked first, so a
    // read that stops early (ORDER BY ... DESC LIMIT) still keeps rows out of that gap, as
    // InnoDB's backward scan does. @req INNODB-LOCK-309
    if (!this.endLocked && (this.gaps?.descending === true || this.secLocks?.descending === true)) {
      const r = this.lockEnd();
      if (r !== 'granted') return r.then(() => this.fill(out, max));
    }
    const start = out.length;
    const { table, mode } = this;
    for (;;) {
      while (this.i < this.batch.length && out.length - start < max) {
        const c = this.batch[this.i]!;
        // A record read from disk may have come into memory since: the one in memory is the truth.
        let rec = c.rec ?? (c.disk ? table.byKey.get(c.disk.hk) : undefined);
        // Evicted since the cursor took it: its version is the committed one on disk.
        if (rec?.removed && rec.evicted) rec = table.byKey.get(rec.hk) ?? (mode.lock ? table.readopt(rec) : rec);
        if (rec?.removed && !rec.evicted) {
          this.i++;
          continue;
        }
        let v;
        if (mode.lock && this.trx) {
          rec ??= table.adopt(c.disk!);
          // Through a secondary index, its entry first (next-key), then the clustered record.
          let r = this.secLocks && mode.gapLocks ? this.locker(this.ctx, this.trx, table, this.secLocks.entry(c, rec), mode.lock, mode, this.secLocks.uniqueEq && !rec.head.deleted ? 'record' : 'next-key') : 'granted';
          if (r === 'granted') r = this.locker(this.ctx, this.trx, table, rec, mode.lock, mode, this.gapModeFor(rec));
          if (r === 'skipped') {
            this.i++;
            continue;
          }
          if (r !== 'granted') {
            const got = out.length - start;
            if (got > 0) this.onRead(got);
            return r.then(() => {
              if (got > 0) return got;
              return this.fill(out, max);
            });
          }
          if (rec.removed) {
            // evicted while we waited for its lock: the lock is ours, the record comes back
            if (rec.evicted && !table.byKey.has(rec.hk)) rec = table.readopt(rec);
            else {
              this.i++;
              continue;
            }
          }
          v = rec.head.deleted ? null : rec.head;
          if (!v && this.releaseSkipped) this.releaseSkipped(rec);
        } else if (rec) {
          v = visibleVersion(rec, mode.view, mode.creator, mode.latestCommitted);
        } else {
          // On disk only: a committed row, seen unless the view began before its transaction ended.
          const d = c.disk!;
          this.i++;
          if (mode.view && !mode.view.sees(d.trxId, mode.creator)) continue;
          if (c.secHash !== undefined && hashKey(table.secKey(this.via!, d.row)) !== c.secHash) continue;
          this.foundLive = true;
          out.push({ id: diskRowId(d.keyBytes), row: d.row });
          continue;
        }
        this.i++;
        if (!v) continue;
        if (c.secHash !== undefined && hashKey(table.secKey(this.via!, v.row)) !== c.secHash) continue;
        this.foundLive = true;
        out.push({ id: table.handle(rec), row: v.row });
        // A locking read hands out one row per fill: the reader may stop (LIMIT) before the next
        // row, and a row it never reads must not be locked.
        if (mode.lock) break;
      }
      const n = out.length - start;
      if (n > 0 || out.length - start >= max) {
        if (n > 0) this.onRead(n);
        return n;
      }
      if (!this.exhausted) {
        const more = this.refill();
        if (more instanceof Promise) return more.then(() => this.fill(out, max));
        if (more) continue;
      }
      if (!this.endLocked) {
        const r = this.lockEnd();
        if (r !== 'granted') return r.then(() => 0);
      }
      return 0;
    }
  }

  close(): void {
    this.closed = true;
  }
}

/** The read mode for a cursor of `trx` (undefined: server-internal read) under `opts`. @req INNODB-MVCC-102 */
export function readModeFor(trx: InnodbTrx | undefined, opts: CursorOptions): ReadMode {
  const noWait = opts.wait === 'NOWAIT';
  const skipLocked = opts.wait === 'SKIP LOCKED';
  if (!trx) return { lock: null, gapLocks: false, view: null, latestCommitted: true, creator: 0n, noWait, skipLocked };
  let lock: 'S' | 'X' | null = opts.lock === 'exclusive' ? 'X' : opts.lock === 'shared' ? 'S' : null;
  // SERIALIZABLE turns plain reads into shared locking reads, except in an autocommitted
  // single statement (which is a consistent read).
  if (!lock && trx.isolation === 'SERIALIZABLE' && !trx.singleStatement) lock = 'S';
  // READ COMMITTED and READ UNCOMMITTED lock records only: phantoms are allowed there.
  const gapLocks = trx.isolation === 'REPEATABLE-READ' || trx.isolation === 'SERIALIZABLE';
  if (lock) return { lock, gapLocks, view: null, latestCommitted: false, creator: trx.id, noWait, skipLocked };
  if (trx.isolation === 'READ-UNCOMMITTED') return { lock: null, gapLocks: false, view: null, latestCommitted: false, creator: trx.id, noWait, skipLocked };
  return { lock: null, gapLocks: false, view: trx.readView(), latestCommitted: false, creator: trx.id, noWait, skipLocked };
}
