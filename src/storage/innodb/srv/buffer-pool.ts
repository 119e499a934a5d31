/**
 * The buffer pool as the monitor, the Innodb_buffer_pool_* status variables and INNODB_METRICS
 * report it. Stage 1 keeps every table in memory (README.md), so there is no page cache to
 * measure; what is reported is what a buffer pool holding our tables would show:
 *
 * - size: innodb_buffer_pool_size / innodb_page_size pages, split evenly over
 *   innodb_buffer_pool_instances;
 * - database pages (the LRU list): the pages each table's data would take, {@link tablePages}
 *   (the same estimate as the table's Data_length / Index_length), at least one per table,
 *   spread page by page over the instances starting at the instance of the table's space id;
 * - free: size minus database pages, never below 0;
 * - modified (the flush list): the pages of tables changed since their last checkpoint, which
 *   are exactly the pages the next checkpoint writes;
 * - pages created: growth of the tables' page counts, noticed each time the pool is sampled
 *   (the monitor's background tick samples it every second);
 * - pages written: pages checkpoints wrote in place; pages read: pages read from tablespaces;
 * - page gets: one per row read, inserted, updated or deleted (each touches its page).
 *
 * Cumulative counters are split over the instances with {@link shareOf}, so every per-instance
 * figure sums exactly to the total the report prints above it (INNODB-MON-014).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-buffer-pool.html (15.5.1)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-standard-monitor.html (15.17.3)
 * @req INNODB-MON-013 INNODB-MON-014 INNODB-MON-103
 */
import type { InnodbTable } from '../index/innodb-table.js';
import type { MonitorSource } from './monitor-source.js';
import { shareOf } from './monitor-text.js';
import { varNumber } from './sysvar-value.js';

/** Bytes a row is assumed to take, and the fill factor of a page (as the table's Data_length estimate). */
export const ESTIMATED_ROW_BYTES = 64; // INNODB-MON-013
export const PAGE_FILL_DIVISOR = 2;
/** Below this LRU length InnoDB keeps no "old" sublist. INNODB-MON-013 */
export const LRU_OLD_MIN_LEN = 512;
/** Share of the LRU list InnoDB keeps as the "old" sublist (innodb_old_blocks_pct's default). */
export const OLD_BLOCKS_PCT = 37;
/** Bytes of block descriptor InnoDB allocates per buffer pool page (counted in "Total large memory allocated"). */
export const BLOCK_DESCRIPTOR_BYTES = 392;

/** Pages a table's rows and secondary indexes would occupy. @req INNODB-MON-013 */
export function tablePages(table: InnodbTable, pageSize: number): number {
  const data = Math.max(1, Math.ceil((table.liveRows * ESTIMATED_ROW_BYTES) / (pageSize / PAGE_FILL_DIVISOR)));
  return data + table.secondaries.length;
}

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
}

export interface PoolSnapshot {
  /** innodb_buffer_pool_size in bytes. */
  readonly bytes: number;
  readonly total: PoolFigures;
  /** One entry per instance (a single entry equal to the total when there is one instance). */
  readonly instances: readonly PoolFigures[];
}

/** The pool model; it remembers table sizes between samples to count pages created. */
export class BufferPoolModel {
  private created = 0;
  private readonly lastPages = new WeakMap<InnodbTable, number>();

  constructor(private readonly source: MonitorSource) {}

  /** The tables the pool holds, each with the instance its first page goes to. */
  private tables(): { table: InnodbTable; start: number }[] {
    const out: { table: InnodbTable; start: number }[] = [];
    for (const s of this.source.spaces.all()) out.push({ table: s.table, start: s.spaceId });
    for (const t of this.source.spaces.temporary.values()) out.push({ table: t, start: Math.abs(t.def.id) });
    return out;
  }

  /** Notice tables that grew since the last sample (pages created). */
  sample(): void {
    const ps = this.source.pageSize;
    for (const { table } of this.tables()) {
      const pages = tablePages(table, ps);
      const before = this.lastPages.get(table);
      if (before === undefined || pages > before) this.created += pages - (before ?? 0);
      this.lastPages.set(table, pages);
    }
  }

  /** The pool as of now. @req INNODB-MON-013 INNODB-MON-014 */
  snapshot(): PoolSnapshot {
    this.sample();
    const src = this.source;
    const ps = src.pageSize;
    const bytes = varNumber(src.globalVar('innodb_buffer_pool_size'), 134217728);
    const n = Math.max(1, varNumber(src.globalVar('innodb_buffer_pool_instances'), 1));
    const sizePages = Math.floor(bytes / ps);
    const db = new Array<number>(n).fill(0);
    const dirty = new Array<number>(n).fill(0);
    for (const { table, start } of this.tables()) {
      const pages = tablePages(table, ps);
      for (let i = 0; i < n; i++) {
        const mine = shareOf(pages, n, (i - (start % n) + n) % n);
        db[i]! += mine;
        if (table.dirty) dirty[i]! += mine;
      }
    }
    const io = src.fileIo;
    const c = src.counters;
    const gets = c.read + c.inserted + c.updated + c.deleted;
    const pagesRead = Math.floor(io.bytesRead / ps);
    const instances: PoolFigures[] = [];
    for (let i = 0; i < n; i++) {
      const size = shareOf(sizePages, n, i);
      const lru = db[i]!;
      instances.push({
        poolSize: size,
        free: Math.max(0, size - lru),
        databasePages: lru,
        oldPages: lru >= LRU_OLD_MIN_LEN ? Math.floor((lru * OLD_BLOCKS_PCT) / 100) : 0,
        modified: dirty[i]!,
        pendingReads: shareOf(io.pendingReads, n, i),
        pendingFlushList: shareOf(io.pendingWrites, n, i),
        pagesRead: shareOf(pagesRead, n, i),
        created: shareOf(this.created, n, i),
        written: shareOf(io.pagesWritten, n, i),
        gets: shareOf(gets, n, i),
      });
    }
    return { bytes, total: sumFigures(instances), instances };
  }
}

/** Field-by-field sum of instance figures. */
export function sumFigures(list: readonly PoolFigures[]): PoolFigures {
  const t: PoolFigures = { poolSize: 0, free: 0, databasePages: 0, oldPages: 0, modified: 0, pendingReads: 0, pendingFlushList: 0, pagesRead: 0, created: 0, written: 0, gets: 0 };
  for (const f of list) for (const k of Object.keys(t) as (keyof PoolFigures)[]) t[k] += f[k];
  return t;
}
