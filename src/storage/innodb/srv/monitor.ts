/**
 * The InnoDB Standard Monitor: the text of SHOW ENGINE INNODB STATUS and of the periodic output
 * innodb_status_output writes to the error log.
 *
 * The report follows MySQL 8.0's layout and section order exactly (srv_printf_innodb_monitor
 * in 8.0.41): a banner with the time and the averaging window, BACKGROUND THREAD, SEMAPHORES,
 * LATEST FOREIGN KEY ERROR and LATEST DETECTED DEADLOCK when one has happened, TRANSACTIONS,
 * FILE I/O, INSERT BUFFER AND ADAPTIVE HASH INDEX, LOG, BUFFER POOL AND MEMORY (with
 * INDIVIDUAL BUFFER POOL INFO when there are several instances), ROW OPERATIONS, and the END
 * banner. The text starts with a newline, as 8.0's does.
 *
 * Per-second figures. Every "/s" figure is the change of its counter since the previous
 * printout divided by the window N printed in the banner: whole seconds since that printout,
 * at least 1 (two printouts within a second still divide by 1, never by 0). The monitor's
 * background tick also restarts the window when it has grown past a minute, as InnoDB's
 * monitor thread does, so averages never cover more than about the last minute.
 *
 * Where the numbers come from in stage 1 (README.md): rows, locks, read views, redo LSNs and
 * redo I/O are the engine's real counters; data-file I/O is counted by the code that writes
 * tablespaces and the doublewrite file (FileIoStats); the buffer pool is the model of
 * buffer-pool.ts. There are no latches, change buffer or adaptive hash index in an engine that
 * runs on one event loop and keeps tables in memory: those lines show the idle values a real
 * server shows (zero waits, an empty change buffer, empty AHI partitions sized from the pool).
 * The "non-hash searches" are the row accesses, each one a search of the in-memory index.
 *
 * Two lines differ from the manual's older sample and follow 8.0.41: the LOG section ends with
 * the redo file ids (`Log minimum file id is`, `Log maximum file id is`), and ROW OPERATIONS
 * has the system-row counters (rows of the tables in the `mysql` schema: the data dictionary's
 * and the grant tables).
 * "Total large memory allocated" keeps the manual's meaning (pool bytes plus the block
 * descriptors); 8.0.41 stopped counting it and prints 0.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-standard-monitor.html (15.17.3)
 * @req INNODB-MON-001 INNODB-MON-002 INNODB-MON-003 INNODB-MON-004 INNODB-MON-005 INNODB-MON-007
 * @req INNODB-MON-008 INNODB-MON-010 INNODB-MON-011 INNODB-MON-012 INNODB-MON-013 INNODB-MON-014
 * @req INNODB-MON-015 INNODB-MON-016 INNODB-MON-017
 */
import { reportTimestamp } from '../lock/deadlock-report.js';
import { BLOCK_DESCRIPTOR_BYTES, BufferPoolModel, sumFigures, type PoolFigures, type PoolSnapshot } from './buffer-pool.js';
import type { MonitorSource } from './monitor-source.js';
import { ahiPartitionCells, padLabel, rate, sectionHeader, shareOf, threadHandle } from './monitor-text.js';
import { formatTransactionsSection } from './monitor-transactions.js';
import { varNumber, varOn } from './sysvar-value.js';

/** Averages never cover more than this: the background tick restarts the window after it. INNODB-MON-003 */
export const MONITOR_REFRESH_AFTER_MS = 60_000;
/** The periodic output (innodb_status_output) interval; the refresh happens a period early. */
export const MONITOR_OUTPUT_INTERVAL_MS = 15_000;
/** Width of the label column of the LOG section. */
const LOG_LABEL_WIDTH = 29;
/** Width of the label column of the buffer pool figures. */
const POOL_LABEL_WIDTH = 19;
/** The rule under INDIVIDUAL BUFFER POOL INFO: 8.0 reuses the 22-dash rule of BUFFER POOL AND MEMORY. */
const INDIVIDUAL_POOL_RULE = 22;
const BANNER = '='.repeat(37);

/** The counters the previous printout saw (the base of every "/s" figure). */
interface Baseline {
  atMs: number;
  inserted: number;
  updated: number;
  deleted: number;
  read: number;
  system: { inserted: number; updated: number; deleted: number; read: number };
  fileReads: number;
  fileWrites: number;
  fsyncs: number;
  bytesRead: number;
  logIos: number;
  searches: number;
  pool: readonly PoolFigures[] | null;
}

/** InnoDB's main-thread bookkeeping (BACKGROUND THREAD). */
interface MasterLoops {
  active: number;
  idle: number;
  logFlushes: number;
  lastActivity: string;
  lastFlushed: bigint;
}

export class InnodbMonitor {
  readonly pool: BufferPoolModel;
  private base: Baseline;
  private readonly master: MasterLoops = { active: 0, idle: 0, logFlushes: 0, lastActivity: '', lastFlushed: 0n };
  private fkError: string | null = null;

  constructor(private readonly src: MonitorSource) {
    this.pool = new BufferPoolModel(src);
    this.base = this.baseline(src.startedAt, null);
  }

  /** Record the latest foreign key error (the body of LATEST FOREIGN KEY ERROR). @req INNODB-MON-007 */
  noteForeignKeyError(text: string): void {
    this.fkError = text.endsWith('\n') ? text : `${text}\n`;
  }

  get latestForeignKeyError(): string | null {
    return this.fkError;
  }

  /** Master thread loop counts, for INNODB_METRICS. */
  get masterLoops(): { active: number; idle: number } {
    return { active: this.master.active, idle: this.master.idle };
  }

  /**
   * One turn of InnoDB's main background thread (once a second): counts an active or idle
   * loop, notices log flushes and pages created, and restarts the averaging window when it is
   * older than a minute. @req INNODB-MON-004
   */
  tick(now = Date.now()): void {
    const c = this.src.counters;
    const redo = this.src.redoStats();
    const activity = `${c.read}/${c.inserted}/${c.updated}/${c.deleted}/${redo?.lsn ?? 0n}`;
    if (activity !== this.master.lastActivity) this.master.active++;
    else this.master.idle++;
    this.master.lastActivity = activity;
    if (redo && redo.flushed > this.master.lastFlushed) {
      if (this.master.lastFlushed !== 0n) this.master.logFlushes++;
      this.master.lastFlushed = redo.flushed;
    }
    if (this.base.atMs + MONITOR_REFRESH_AFTER_MS < now + MONITOR_OUTPUT_INTERVAL_MS) this.base = this.baseline(now, this.pool.snapshot());
  }

  private baseline(atMs: number, pool: PoolSnapshot | null): Baseline {
    const c = this.src.counters;
    const io = this.src.fileIo;
    const redo = this.src.redoStats();
    return {
      atMs,
      inserted: c.inserted,
      updated: c.updated,
      deleted: c.deleted,
      read: c.read,
      system: { ...this.src.systemCounters },
      fileReads: io.reads,
      fileWrites: io.writes + (redo?.logIos ?? 0),
      fsyncs: io.fsyncs + (redo?.fsyncs ?? 0),
      bytesRead: io.bytesRead,
      logIos: redo?.logIos ?? 0,
      searches: c.read + c.inserted + c.updated + c.deleted,
      pool: pool ? pool.instances : null,
    };
  }

  /**
   * The report. `thread` is the connection asking (its handle is stamped in the banner; 0 for
   * the background output). Each call starts a new averaging window. @req INNODB-MON-001
   */
  report(now = Date.now(), thread = 0): string {
    const src = this.src;
    const seconds = Math.max(1, Math.floor((now - this.base.atMs) / 1000));
    const pool = this.pool.snapshot();
    let text = `\n${BANNER}\n${reportTimestamp(new Date(now), threadHandle(thread))} INNODB MONITOR OUTPUT\n${BANNER}\n`;
    text += `Per second averages calculated from the last ${seconds} seconds\n`;
    text += this.backgroundThread();
    text += semaphores();
    const fk = this.fkError;
    if (fk !== null) text += sectionHeader('LATEST FOREIGN KEY ERROR') + fk;
    const deadlock = src.locks.latestDeadlock();
    if (deadlock !== null) text += sectionHeader('LATEST DETECTED DEADLOCK') + deadlock;
    text += formatTransactionsSection(src, now, varOn(src.globalVar('innodb_status_output_locks')));
    text += this.fileIo(seconds);
    text += this.insertBufferAndAhi(seconds, pool.bytes);
    text += this.log(seconds);
    text += this.bufferPool(pool, seconds);
    text += this.rowOperations(seconds);
    text += '----------------------------\nEND OF INNODB MONITOR OUTPUT\n============================\n';
    this.base = this.baseline(now, pool);
    return text;
  }

  private backgroundThread(): string {
    const m = this.master;
    return (
      sectionHeader('BACKGROUND THREAD') +
      `srv_master_thread loops: ${m.active} srv_active, 0 srv_shutdown, ${m.idle} srv_idle\n` +
      `srv_master_thread log flush and writes: ${m.logFlushes}\n`
    );
  }

  /** @req INNODB-MON-010 */
  private fileIo(seconds: number): string {
    const src = this.src;
    const reads = Math.max(1, varNumber(src.globalVar('innodb_read_io_threads'), 4));
    const writes = Math.max(1, varNumber(src.globalVar('innodb_write_io_threads'), 4));
    const io = src.fileIo;
    const redo = src.redoStats();
    let text = sectionHeader('FILE I/O');
    const fns = ['insert buffer thread', ...Array<string>(reads).fill('read thread'), ...Array<string>(writes).fill('write thread')];
    fns.forEach((fn, i) => (text += `I/O thread ${i} state: waiting for completed aio requests (${fn})\n`));
    const segs = (n: number, pending: number): string =>
      n > 1 ? ` [${Array.from({ length: n }, (_, i) => shareOf(pending, n, i)).join(', ')}] ` : '';
    text += `Pending normal aio reads:${segs(reads, io.pendingReads)}, aio writes:${segs(writes, io.pendingWrites)},\n ibuf aio reads:\n`;
    text += `Pending flushes (fsync) log: ${redo?.pendingFsyncs ?? 0}; buffer pool: ${io.pendingFsyncs}\n`;
    const fileReads = io.reads;
    const fileWrites = io.writes + (redo?.logIos ?? 0);
    const fsyncs = io.fsyncs + (redo?.fsyncs ?? 0);
    text += `${fileReads} OS file reads, ${fileWrites} OS file writes, ${fsyncs} OS fsyncs\n`;
    if (io.pendingReads + io.pendingWrites > 0) text += `${io.pendingReads} pending preads, ${io.pendingWrites} pending pwrites\n`;
    const dReads = fileReads - this.base.fileReads;
    const avg = dReads > 0 ? Math.floor((io.bytesRead - this.base.bytesRead) / dReads) : 0;
    text += `${rate(dReads, seconds)} reads/s, ${avg} avg bytes/read, ${rate(fileWrites - this.base.fileWrites, seconds)} writes/s, ${rate(fsyncs - this.base.fsyncs, seconds)} fsyncs/s\n`;
    return text;
  }

  /** @req INNODB-MON-011 */
  private insertBufferAndAhi(seconds: number, poolBytes: number): string {
    const parts = Math.max(1, varNumber(this.src.globalVar('innodb_adaptive_hash_index_parts'), 8));
    const c = this.src.counters;
    const searches = c.read + c.inserted + c.updated + c.deleted;
    let text = sectionHeader('INSERT BUFFER AND ADAPTIVE HASH INDEX');
    text += 'Ibuf: size 1, free list len 0, seg size 2, 0 merges\n';
    text += 'merged operations:\n insert 0, delete mark 0, delete 0\n';
    text += 'discarded operations:\n insert 0, delete mark 0, delete 0\n';
    const cells = ahiPartitionCells(poolBytes, parts);
    for (let i = 0; i < parts; i++) text += `Hash table size ${cells}, node heap has 0 buffer(s)\n`;
    text += `${rate(0, seconds)} hash searches/s, ${rate(searches - this.base.searches, seconds)} non-hash searches/s\n`;
    return text;
  }

  /**
   * LOG. Appends reach the log buffer synchronously, so the LSN, "assigned" and "completed"
   * are one value, and every appended change is in the in-memory tables at once ("added dirty
   * pages"). "Pages flushed up to" is how far the tablespace files hold every change: the last
   * checkpoint while a table is dirty, else everything the log has flushed. So Last checkpoint
   * <= Pages flushed <= Log flushed <= Log written <= Log sequence number, all equal when idle
   * after a checkpoint. @req INNODB-MON-012
   */
  private log(seconds: number): string {
    const redo = this.src.redoStats();
    const lsn = redo?.lsn ?? 0n;
    const written = redo?.written ?? 0n;
    const flushed = redo?.flushed ?? 0n;
    const checkpoint = redo?.checkpointLsn ?? 0n;
    let dirty = false;
    for (const s of this.src.spaces.all()) if (s.table.dirty) dirty = true;
    const pagesFlushed = dirty ? checkpoint : flushed;
    const files = this.src.redoFiles();
    const line = (label: string, v: bigint | number): string => `${padLabel(label, LOG_LABEL_WIDTH)}${v}\n`;
    let text = sectionHeader('LOG');
    text += line('Log sequence number', lsn);
    text += line('Log buffer assigned up to', lsn);
    text += line('Log buffer completed up to', lsn);
    text += line('Log written up to', written);
    text += line('Log flushed up to', flushed);
    text += line('Added dirty pages up to', lsn);
    text += line('Pages flushed up to', pagesFlushed);
    text += line('Last checkpoint at', checkpoint);
    text += line('Log minimum file id is', files[0]?.number ?? 0);
    text += line('Log maximum file id is', files[files.length - 1]?.number ?? 0);
    const ios = redo?.logIos ?? 0;
    text += `${ios} log i/o's done, ${rate(ios - this.base.logIos, seconds)} log i/o's/second\n`;
    return text;
  }

  /** BUFFER POOL AND MEMORY, and INDIVIDUAL BUFFER POOL INFO. @req INNODB-MON-013 INNODB-MON-014 */
  private bufferPool(pool: PoolSnapshot, seconds: number): string {
    let text = sectionHeader('BUFFER POOL AND MEMORY');
    text += `Total large memory allocated ${pool.bytes + pool.total.poolSize * BLOCK_DESCRIPTOR_BYTES}\n`;
    text += `Dictionary memory allocated ${this.dictionaryBytes()}\n`;
    const old = this.base.pool;
    const oldTotal = old ? sumFigures(old) : null;
    text += poolBlock(pool.total, oldTotal, seconds);
    if (pool.instances.length > 1) {
      text += sectionHeader('INDIVIDUAL BUFFER POOL INFO', INDIVIDUAL_POOL_RULE);
      pool.instances.forEach((f, i) => {
        text += `---BUFFER POOL ${i}\n${poolBlock(f, old?.[i] ?? null, seconds)}`;
      });
    }
    return text;
  }

  /** Bytes of the engine's in-memory dictionary objects (its tables' definitions). */
  private dictionaryBytes(): number {
    let bytes = 0;
    for (const s of this.src.spaces.all()) bytes += Buffer.byteLength(JSON.stringify(s.table.def, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)));
    return bytes;
  }

  /** @req INNODB-MON-015 */
  private rowOperations(seconds: number): string {
    const c = this.src.counters;
    const b = this.base;
    let text = sectionHeader('ROW OPERATIONS');
    text += '0 queries inside InnoDB, 0 queries in queue\n';
    text += `${this.src.sys.openViews} read views open inside InnoDB\n`;
    text += `Process ID=${process.pid}, Main thread ID=${threadHandle(0)} , state=sleeping\n`;
    text += `Number of rows inserted ${c.inserted}, updated ${c.updated}, deleted ${c.deleted}, read ${c.read}\n`;
    text += `${rate(c.inserted - b.inserted, seconds)} inserts/s, ${rate(c.updated - b.updated, seconds)} updates/s, ${rate(c.deleted - b.deleted, seconds)} deletes/s, ${rate(c.read - b.read, seconds)} reads/s\n`;
    const s = this.src.systemCounters;
    const sb = b.system;
    text += `Number of system rows inserted ${s.inserted}, updated ${s.updated}, deleted ${s.deleted}, read ${s.read}\n`;
    text += `${rate(s.inserted - sb.inserted, seconds)} inserts/s, ${rate(s.updated - sb.updated, seconds)} updates/s, ${rate(s.deleted - sb.deleted, seconds)} deletes/s, ${rate(s.read - sb.read, seconds)} reads/s\n`;
    return text;
  }
}

/** SEMAPHORES: one wait array, no waits (nothing blocks on a latch on one event loop). @req INNODB-MON-005 */
function semaphores(): string {
  return (
    sectionHeader('SEMAPHORES') +
    'OS WAIT ARRAY INFO: reservation count 0\n' +
    'OS WAIT ARRAY INFO: signal count 0\n' +
    'RW-shared spins 0, rounds 0, OS waits 0\n' +
    'RW-excl spins 0, rounds 0, OS waits 0\n' +
    'RW-sx spins 0, rounds 0, OS waits 0\n' +
    'Spin rounds per wait: 0.00 RW-shared, 0.00 RW-excl, 0.00 RW-sx\n'
  );
}

/** The figures of one pool (or of all pools together). @req INNODB-MON-013 */
function poolBlock(f: PoolFigures, old: PoolFigures | null, seconds: number): string {
  const line = (label: string, v: number): string => `${padLabel(label, POOL_LABEL_WIDTH)}${v}\n`;
  const d = (k: keyof PoolFigures): number => f[k] - (old?.[k] ?? 0);
  let text = line('Buffer pool size', f.poolSize);
  text += line('Free buffers', f.free);
  text += line('Database pages', f.databasePages);
  text += line('Old database pages', f.oldPages);
  text += line('Modified db pages', f.modified);
  text += line('Pending reads', f.pendingReads);
  text += `Pending writes: LRU 0, flush list ${f.pendingFlushList}, single page 0\n`;
  text += `Pages made young ${f.madeYoung}, not young ${f.notYoung}\n`;
  text += `${rate(d('madeYoung'), seconds)} youngs/s, ${rate(d('notYoung'), seconds)} non-youngs/s\n`;
  text += `Pages read ${f.pagesRead}, created ${f.created}, written ${f.written}\n`;
  text += `${rate(d('pagesRead'), seconds)} reads/s, ${rate(d('created'), seconds)} creates/s, ${rate(d('written'), seconds)} writes/s\n`;
  const gets = d('gets');
  if (gets > 0) {
    const hit = 1000 - Math.floor((1000 * d('pagesRead')) / gets);
    const young = Math.floor((1000 * d('madeYoung')) / gets);
    const notYoung = Math.floor((1000 * d('notYoung')) / gets);
    text += `Buffer pool hit rate ${hit} / 1000, young-making rate ${young} / 1000 not ${notYoung} / 1000\n`;
  } else {
    text += 'No buffer pool page gets since the last printout\n';
  }
  text += `Pages read ahead ${rate(0, seconds)}/s, evicted without access ${rate(0, seconds)}/s, Random read ahead ${rate(0, seconds)}/s\n`;
  text += `LRU len: ${f.databasePages}, unzip_LRU len: 0\n`;
  text += 'I/O sum[0]:cur[0], unzip sum[0]:cur[0]\n';
  return text;
}
