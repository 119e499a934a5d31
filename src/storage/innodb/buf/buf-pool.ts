/**
 * The buffer pool: a fixed number of page frames (innodb_buffer_pool_size / innodb_page_size)
 * caching tablespace pages, decoded, so that a table larger than memory is read a page at a time.
 *
 * - A page not in the pool is read from its tablespace on demand. The read is asynchronous
 *   (`get` answers a promise: the cursor contract's waiting path); concurrent misses on one page
 *   share one read. A caller that cannot wait (a subquery evaluated inside an expression) uses
 *   `getSync`, which reads the page synchronously.
 * - Frames sit on an LRU list with InnoDB's midpoint insertion: a page read in enters at the
 *   head of the "old" sublist (innodb_old_blocks_pct of the list, 3/8 by default) and moves to
 *   the head of the "young" part only when it is accessed again at least innodb_old_blocks_time
 *   ms after it came in, so one big scan cannot flush the working set out.
 * - A changed page is dirty and sits on the flush list until a checkpoint writes it; dirty pages
 *   are never evicted. When the pool is over its size, clean pages are evicted from the LRU tail.
 *   A checkpoint that dirties more pages than the pool holds overcommits until it writes them.
 *
 * Pages are kept decoded (whatever the space's `decode` makes of the bytes), so a search never
 * parses bytes twice; the size limit counts frames, not JS heap bytes.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-buffer-pool.html (15.5.1)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-performance-midpoint_insertion.html (15.8.3.3)
 * @req INNODB-BUF-101 INNODB-BUF-102 INNODB-BUF-103
 */

/** Where the pool reads a space's pages from. */
export interface PoolSpace<P extends PoolPage> {
  readonly spaceId: number;
  /** Read and decode page `pageNo` (throws on a checksum failure or a short file). */
  read(pageNo: number): Promise<P>;
  readSync(pageNo: number): P;
}

interface Frame<P extends PoolPage> {
  readonly spaceId: number;
  readonly pageNo: number;
  page: P;
  dirty: boolean;
  /** When the page entered the pool (ms). */
  readonly since: number;
  /** In the old sublist. */
  old: boolean;
  prev: Frame<P> | null;
  next: Frame<P> | null;
}

/** Pool counters: the monitor's BUFFER POOL AND MEMORY section and the Innodb_buffer_pool_* variables. */
export interface PoolCounters {
  /** Logical page requests (Innodb_buffer_pool_read_requests). */
  gets: number;
  /** Pages read from a file (Innodb_buffer_pool_reads / Innodb_pages_read). */
  reads: number;
  /** Pages created in the pool without a read (Innodb_pages_created). */
  created: number;
  /** Pages written by checkpoints (Innodb_pages_written, Innodb_buffer_pool_pages_flushed). */
  written: number;
  /** Pages moved to the young sublist, and accesses that left a page old. */
  madeYoung: number;
  notYoung: number;
  /** Pages evicted to make room. */
  evicted: number;
  /** Reads in flight now. */
  pendingReads: number;
}

/** innodb_old_blocks_pct's default. @req INNODB-BUF-102 */
export const DEFAULT_OLD_BLOCKS_PCT = 37;
/** innodb_old_blocks_time's default (ms). @req INNODB-BUF-102 */
export const DEFAULT_OLD_BLOCKS_TIME_MS = 1000;
/** Below this many pages there is no old sublist (BUF_LRU_OLD_MIN_LEN). @req INNODB-BUF-102 */
export const LRU_OLD_MIN_LEN = 512;
/** The smallest pool, in pages, whatever innodb_buffer_pool_size says: a B+tree descent and a
 *  scan's leaf must fit. @req INNODB-BUF-101 */
export const MIN_POOL_PAGES = 64;

const key = (spaceId: number, pageNo: number): string => `${spaceId}:${pageNo}`;

/** A page in the pool: `gen` moves whenever the object stops being the page's current content
 *  (evicted, or replaced by another object), so a reader holding it can tell it is stale. */
export interface PoolPage {
  gen: number;
}

export class BufferPool<P extends PoolPage> {
  private readonly frames = new Map<string, Frame<P>>();
  private readonly reading = new Map<string, Promise<P>>();
  /** LRU list: head = most recently made young; `oldHead` = first frame of the old sublist. */
  private head: Frame<P> | null = null;
  private tail: Frame<P> | null = null;
  private oldHead: Frame<P> | null = null;
  private oldCount = 0;
  private dirtyCount = 0;
  readonly counters: PoolCounters = { gets: 0, reads: 0, created: 0, written: 0, madeYoung: 0, notYoung: 0, evicted: 0, pendingReads: 0 };
  oldBlocksPct = DEFAULT_OLD_BLOCKS_PCT;
  oldBlocksTimeMs = DEFAULT_OLD_BLOCKS_TIME_MS;

  constructor(
    /** Frames: innodb_buffer_pool_size / innodb_page_size. */
    public capacity: number,
    private readonly now: () => number = Date.now,
  ) {
    if (this.capacity < MIN_POOL_PAGES) this.capacity = MIN_POOL_PAGES;
  }

  get size(): number {
    return this.frames.size;
  }

  get dirtyPages(): number {
    return this.dirtyCount;
  }

  get oldPages(): number {
    return this.oldCount;
  }

  get free(): number {
    return Math.max(0, this.capacity - this.frames.size);
  }

  /** The page if it is in the pool (counts as an access). */
  peek(spaceId: number, pageNo: number): P | undefined {
    const f = this.frames.get(key(spaceId, pageNo));
    if (!f) return undefined;
    this.counters.gets++;
    this.touch(f);
    return f.page;
  }

  /** A page request: the frame when the page is in the pool (an access to it), else undefined. */
  private hit(k: string): Frame<P> | undefined {
    this.counters.gets++;
    const f = this.frames.get(k);
    if (f) this.touch(f);
    return f;
  }

  /** Page `pageNo` of `space`: at once when it is in the pool, else a promise of the read. */
  get(space: PoolSpace<P>, pageNo: number): P | Promise<P> {
    const k = key(space.spaceId, pageNo);
    const f = this.hit(k);
    if (f) return f.page;
    const pending = this.reading.get(k);
    if (pending) return pending;
    this.counters.pendingReads++;
    const read: Promise<P> = space.read(pageNo).then(
      (page) => {
        this.counters.pendingReads--;
        // The space was dropped (or its file replaced) while the page was read: the page goes to
        // this reader only, never into the pool.
        if (this.reading.get(k) !== read) return page;
        this.reading.delete(k);
        // A writer may have put a newer version in meanwhile (a page created or changed).
        const now = this.frames.get(k);
        if (now) return now.page;
        this.counters.reads++;
        this.insert(space.spaceId, pageNo, page, false);
        return page;
      },
      (e: unknown) => {
        this.counters.pendingReads--;
        if (this.reading.get(k) === read) this.reading.delete(k);
        throw e;
      },
    );
    this.reading.set(k, read);
    return read;
  }

  /** Page `pageNo`, read synchronously on a miss (for readers that may not wait). */
  getSync(space: PoolSpace<P>, pageNo: number): P {
    const k = key(space.spaceId, pageNo);
    const f = this.hit(k);
    if (f) return f.page;
    const page = space.readSync(pageNo);
    this.counters.reads++;
    this.insert(space.spaceId, pageNo, page, false);
    return page;
  }

  /** Replace a clean page's object by an equal one (`was` must still be current and clean);
   *  the old object's gen moves, as on any replacement. */
  refresh(spaceId: number, pageNo: number, was: P, now: P): void {
    const f = this.frames.get(key(spaceId, pageNo));
    if (!f || f.dirty || f.page !== was) return;
    was.gen++;
    f.page = now;
  }

  /** Whether `page` is the pool's current content of the page. */
  isCurrent(spaceId: number, pageNo: number, page: P): boolean {
    return this.frames.get(key(spaceId, pageNo))?.page === page;
  }

  /** A page whose bytes the caller just wrote to its file: in the pool, clean (no read needed). */
  load(spaceId: number, pageNo: number, page: P): void {
    if (this.frames.has(key(spaceId, pageNo))) return;
    this.insert(spaceId, pageNo, page, false);
  }

  /** A page made without reading it (newly allocated). It is dirty. */
  create(spaceId: number, pageNo: number, page: P): void {
    this.counters.created++;
    this.put(spaceId, pageNo, page);
  }

  /** `page` is the new content of the page: it is (or becomes) the pool's frame, dirty. */
  put(spaceId: number, pageNo: number, page: P): void {
    const k = key(spaceId, pageNo);
    const f = this.frames.get(k);
    if (f) {
      if (f.page !== page) f.page.gen++;
      f.page = page;
      if (!f.dirty) {
        f.dirty = true;
        this.dirtyCount++;
      }
      return;
    }
    this.insert(spaceId, pageNo, page, true);
  }

  /** The dirty pages of a space, by page number (what its checkpoint writes). */
  dirtyOf(spaceId: number): { pageNo: number; page: P }[] {
    const out: { pageNo: number; page: P }[] = [];
    for (const f of this.frames.values()) if (f.dirty && f.spaceId === spaceId) out.push({ pageNo: f.pageNo, page: f.page });
    return out.sort((a, b) => a.pageNo - b.pageNo);
  }

  /** Pages written: clean again (unless changed after the write was taken, i.e. a different object). */
  written(spaceId: number, pages: readonly { pageNo: number; page: P }[]): void {
    for (const w of pages) {
      const f = this.frames.get(key(spaceId, w.pageNo));
      this.counters.written++;
      if (!f || !f.dirty || f.page !== w.page) continue;
      f.dirty = false;
      this.dirtyCount--;
    }
    this.evict();
  }

  /** Forget every page of a space (dropped, or its file replaced). */
  dropSpace(spaceId: number): void {
    for (const f of [...this.frames.values()]) if (f.spaceId === spaceId) this.remove(f);
    // and reads of it in flight: what they bring back is of the old file
    const prefix = `${spaceId}:`;
    for (const k of [...this.reading.keys()]) if (k.startsWith(prefix)) this.reading.delete(k);
  }

  /** Move to the young end on a repeated access after innodb_old_blocks_time. */
  private touch(f: Frame<P>): void {
    if (!f.old) {
      // Below LRU_OLD_MIN_LEN frames there is no old sublist: the list is a plain LRU.
      if (!this.oldHead && f !== this.head) {
        this.unlink(f);
        this.linkHead(f);
      }
      return;
    }
    if (this.now() - f.since < this.oldBlocksTimeMs) {
      this.counters.notYoung++;
      return;
    }
    this.counters.madeYoung++;
    this.unlink(f);
    this.linkHead(f);
  }

  private insert(spaceId: number, pageNo: number, page: P, dirty: boolean): void {
    const f: Frame<P> = { spaceId, pageNo, page, dirty, since: this.now(), old: false, prev: null, next: null };
    this.frames.set(key(spaceId, pageNo), f);
    if (dirty) this.dirtyCount++;
    // Midpoint insertion, once there is an old sublist: right after its first frame, as InnoDB
    // links a page read in after LRU_old, so that keeping the sublist at its length (which moves
    // its first frame) never turns the newcomer young. Before that, at the head like any use:
    // the tail is where eviction starts.
    if (this.oldHead) {
      const after = this.oldHead.next;
      if (after) this.linkBefore(f, after, true);
      else this.linkTail(f);
    } else this.linkHead(f);
    this.balance();
    this.evict();
  }

  /** Evict clean frames from the tail while over capacity. @req INNODB-BUF-103 */
  private evict(): void {
    let f = this.tail;
    while (this.frames.size > this.capacity && f) {
      const prev = f.prev;
      if (!f.dirty) {
        this.remove(f);
        this.counters.evicted++;
      }
      f = prev;
    }
  }

  private remove(f: Frame<P>): void {
    f.page.gen++;
    this.unlink(f);
    this.frames.delete(key(f.spaceId, f.pageNo));
    if (f.dirty) this.dirtyCount--;
    this.balance();
  }

  // ---- the LRU list

  private linkHead(f: Frame<P>): void {
    f.old = false;
    f.prev = null;
    f.next = this.head;
    if (this.head) this.head.prev = f;
    this.head = f;
    if (!this.tail) this.tail = f;
    this.balance();
  }

  private linkTail(f: Frame<P>): void {
    f.old = this.oldHead !== null;
    if (f.old) this.oldCount++;
    f.next = null;
    f.prev = this.tail;
    if (this.tail) this.tail.next = f;
    this.tail = f;
    if (!this.head) this.head = f;
  }

  private linkBefore(f: Frame<P>, at: Frame<P>, old: boolean): void {
    f.old = old;
    if (old) this.oldCount++;
    f.next = at;
    f.prev = at.prev;
    if (at.prev) at.prev.next = f;
    else this.head = f;
    at.prev = f;
    if (old && at === this.oldHead) this.oldHead = f;
  }

  private unlink(f: Frame<P>): void {
    if (f === this.oldHead) this.oldHead = f.next;
    if (f.old) {
      this.oldCount--;
      f.old = false;
    }
    if (f.prev) f.prev.next = f.next;
    else this.head = f.next;
    if (f.next) f.next.prev = f.prev;
    else this.tail = f.prev;
    f.prev = f.next = null;
  }

  /** Keep the old sublist at oldBlocksPct of the list (none below LRU_OLD_MIN_LEN pages). */
  private balance(): void {
    const len = this.frames.size;
    if (len < LRU_OLD_MIN_LEN) {
      for (let f = this.oldHead; f; f = f.next) f.old = false;
      this.oldHead = null;
      this.oldCount = 0;
      return;
    }
    const want = Math.floor((len * this.oldBlocksPct) / 100);
    if (!this.oldHead) {
      // Start the old sublist at the tail.
      if (!this.tail) return;
      this.oldHead = this.tail;
      this.tail.old = true;
      this.oldCount = 1;
    }
    while (this.oldCount < want && this.oldHead.prev) {
      this.oldHead = this.oldHead.prev;
      this.oldHead.old = true;
      this.oldCount++;
    }
    while (this.oldCount > want && this.oldHead.next) {
      this.oldHead.old = false;
      this.oldHead = this.oldHead.next;
      this.oldCount--;
    }
  }
}
