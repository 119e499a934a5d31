/**
 * The buffer pool as the monitor, the Innodb_buffer_pool_* status variables and INNODB_METRICS
 * report it: the figures of buf/buf-pool.ts, split over innodb_buffer_pool_instances.
 *
 * - size: the pool's frames (innodb_buffer_pool_size / innodb_page_size);
 * - database pages (the LRU list): the frames in use, and of them the old sublist;
 * - free: size minus database pages;
 * - modified (the flush list): dirty frames, which the next checkpoint writes;
 * - pages read, created, written; page gets (logical reads); made young / not young.
 *
 * Tables kept wholly in memory (temporary tables, a table loaded past corrupt pages) are not in
 * the pool. Cumulative counters are split over the instances with {@link shareOf}, so every
 * per-instance figure sums exactly to the total the report prints above it (INNODB-MON-014).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-buffer-pool.html (15.5.1)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-standard-monitor.html (15.17.3)
 * @req INNODB-MON-013 INNODB-MON-014 INNODB-MON-103 INNODB-BUF-101
 */
import type { MonitorSource } from './monitor-source.js';
import { shareOf } from './monitor-text.js';
import { varNumber } from './sysvar-value.js';

/** Bytes of block descriptor InnoDB allocates per buffer pool page (counted in "Total large memory allocated"). */
export const BLOCK_DESCRIPTOR_BYTES = 392;

/** One instance's figures (or their sums), cumulative counters as of the sample. */
export interface PoolFigures {
  poolSize: number;
  free: number;
  databasePages: number;
  oldPages: number;
  modified: number;
  pendingReads: number;
  pendingFlushList: number;
  pagesRead: number;
  created: number;
  written: number;
  gets: number;
  madeYoung: number;
  notYoung: number;
}

export interface PoolSnapshot {
  /** innodb_buffer_pool_size in bytes. */
  readonly bytes: number;
  readonly total: PoolFigures;
  /** One entry per instance (a single entry equal to the total when there is one instance). */
  readonly instances: readonly PoolFigures[];
}

/** The pool's figures as the monitor reads them. */
export class BufferPoolModel {
  constructor(private readonly source: MonitorSource) {}

  /** The pool as of now. @req INNODB-MON-013 INNODB-MON-014 */
  snapshot(): PoolSnapshot {
    const src = this.source;
    const pool = src.pool;
    const c = pool.counters;
    const bytes = varNumber(src.globalVar('innodb_buffer_pool_size'), 134217728);
    const n = Math.max(1, varNumber(src.globalVar('innodb_buffer_pool_instances'), 1));
    const io = src.fileIo;
    const instances: PoolFigures[] = [];
    for (let i = 0; i < n; i++) {
      const share = (v: number): number => shareOf(v, n, i);
      const size = share(pool.capacity);
      const lru = share(pool.size);
      instances.push({
        poolSize: size,
        free: Math.max(0, size - lru),
        databasePages: lru,
        oldPages: share(pool.oldPages),
        modified: share(pool.dirtyPages),
        pendingReads: share(c.pendingReads),
        pendingFlushList: share(io.pendingWrites),
        pagesRead: share(c.reads),
        created: share(c.created),
        written: share(c.written),
        gets: share(c.gets),
        madeYoung: share(c.madeYoung),
        notYoung: share(c.notYoung),
      });
    }
    return { bytes, total: sumFigures(instances), instances };
  }
}

/** Field-by-field sum of instance figures. */
export function sumFigures(list: readonly PoolFigures[]): PoolFigures {
  const t: PoolFigures = { poolSize: 0, free: 0, databasePages: 0, oldPages: 0, modified: 0, pendingReads: 0, pendingFlushList: 0, pagesRead: 0, created: 0, written: 0, gets: 0, madeYoung: 0, notYoung: 0 };
  for (const f of list) for (const k of Object.keys(t) as (keyof PoolFigures)[]) t[k] += f[k];
  return t;
}
