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
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-consistent-read.html (15.7.2.3)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-locking-reads.html (15.7.2.4)
 * @req INNODB-RESTR-003 INNODB-MVCC-101 INNODB-MVCC-102 INNODB-LOCK-201 INNODB-LOCK-202
 */
import type { CursorOptions, EngineContext, RowCursor, RowRef } from '../../handler.js';
import { hashKey } from '../../keys.js';
import { visibleVersion, type ClusterRec, type InnodbTable, type SecondaryIndex } from '../index/innodb-table.js';
import type { ReadView } from '../trx/read-view.js';
import type { InnodbTrx } from '../trx/trx.js';

/** How a cursor reads: decided once per cursor from the transaction and the lock mode. */
export interface ReadMode {
  /** Lock each record (S or X) and read its newest version. */
  lock: 'S' | 'X' | null;
  /** Consistent read through this view (null with lock, or READ UNCOMMITTED, or no transaction). */
  view: ReadView | null;
  /** No transaction: the newest committed version. */
  latestCommitted: boolean;
  creator: bigint;
  noWait: boolean;
  skipLocked: boolean;
}

/** Locks a record for a reader: 'granted', 'skipped' (SKIP LOCKED) or a promise. */
export type RecordLocker = (ctx: EngineContext, trx: InnodbTrx, table: InnodbTable, rec: ClusterRec, mode: 'S' | 'X', mode2: ReadMode) => 'granted' | 'skipped' | Promise<unknown>;

export interface Candidate {
  rec: ClusterRec;
  /** For secondary reads: the key hash the entry had (the version read must still have it). */
  secHash?: string;
}

export class InnodbCursor implements RowCursor {
  private i = 0;
  private closed = false;

  constructor(
    private readonly table: InnodbTable,
    private readonly ctx: EngineContext,
    private readonly trx: InnodbTrx | undefined,
    private readonly mode: ReadMode,
    private readonly candidates: Candidate[],
    private readonly via: SecondaryIndex | null,
    private readonly locker: RecordLocker,
    private readonly onRead: (n: number) => void,
  ) {}

  fill(out: RowRef[], max: number): number | Promise<number> {
    if (this.closed) return 0;
    const start = out.length;
    const { table, mode, candidates } = this;
    while (this.i < candidates.length && out.length - start < max) {
      const c = candidates[this.i]!;
      const rec = c.rec;
      if (rec.removed) {
        this.i++;
        continue;
      }
      let v;
      if (mode.lock && this.trx) {
        const r = this.locker(this.ctx, this.trx, table, rec, mode.lock, mode);
        if (r === 'skipped') {
          this.i++;
          continue;
        }
        if (r !== 'granted') {
          const got = out.length - start;
          return r.then(() => {
            if (got > 0) return got;
            return this.fill(out, max);
          });
        }
        if (rec.removed) {
          this.i++;
          continue;
        }
        v = rec.head.deleted ? null : rec.head;
      } else {
        v = visibleVersion(rec, mode.view, mode.creator, mode.latestCommitted);
      }
      this.i++;
      if (!v) continue;
      if (c.secHash !== undefined && hashKey(table.secKey(this.via!, v.row)) !== c.secHash) continue;
      out.push({ id: rec.slot, row: v.row });
      // A locking read hands out one row per fill: the reader may stop (LIMIT) before the next
      // row, and a row it never reads must not be locked.
      if (mode.lock) break;
    }
    const n = out.length - start;
    if (n > 0) this.onRead(n);
    return n;
  }

  close(): void {
    this.closed = true;
  }
}

/** The read mode for a cursor of `trx` (undefined: server-internal read) under `opts`. @req INNODB-MVCC-102 */
export function readModeFor(trx: InnodbTrx | undefined, opts: CursorOptions): ReadMode {
  const noWait = opts.wait === 'NOWAIT';
  const skipLocked = opts.wait === 'SKIP LOCKED';
  if (!trx) return { lock: null, view: null, latestCommitted: true, creator: 0n, noWait, skipLocked };
  let lock: 'S' | 'X' | null = opts.lock === 'exclusive' ? 'X' : opts.lock === 'shared' ? 'S' : null;
  // SERIALIZABLE turns plain reads into shared locking reads, except in an autocommitted
  // single statement (which is a consistent read).
  if (!lock && trx.isolation === 'SERIALIZABLE' && !trx.singleStatement) lock = 'S';
  if (lock) return { lock, view: null, latestCommitted: false, creator: trx.id, noWait, skipLocked };
  if (trx.isolation === 'READ-UNCOMMITTED') return { lock: null, view: null, latestCommitted: false, creator: trx.id, noWait, skipLocked };
  return { lock: null, view: trx.readView(), latestCommitted: false, creator: trx.id, noWait, skipLocked };
}
