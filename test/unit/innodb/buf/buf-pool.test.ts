/**
 * The buffer pool against fake spaces (pages are small objects, reads are counted and can be
 * held open): the frame limit, eviction of clean pages only from the least recently used end,
 * dirty pages kept until written, midpoint insertion with an injectable clock (a page read in
 * enters the old sublist and is made young only on an access innodb_old_blocks_time after it
 * came in), the dirty-page bookkeeping of checkpoints, shared reads of one missing page, the
 * synchronous read path, and a space dropped while one of its pages is being read.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BufferPool, DEFAULT_OLD_BLOCKS_PCT, DEFAULT_OLD_BLOCKS_TIME_MS, LRU_OLD_MIN_LEN, MIN_POOL_PAGES, type PoolSpace } from '../../../../src/storage/innodb/buf/buf-pool.js';
import { req } from '../../../helpers/req.js';

/** A decoded page: which page it is and which version. */
interface Pg {
  no: number;
  v: number;
  gen: number;
}

/** A space whose reads are counted; with `hold`, async reads wait until release() is called. */
class FakeSpace implements PoolSpace<Pg> {
  reads = 0;
  syncReads = 0;
  version = 0;
  hold = false;
  private waiting: (() => void)[] = [];
  constructor(readonly spaceId: number) {}

  read(pageNo: number): Promise<Pg> {
    this.reads++;
    const page = { no: pageNo, v: this.version, gen: 0 };
    if (!this.hold) return Promise.resolve(page);
    return new Promise((resolve) => this.waiting.push(() => resolve(page)));
  }

  readSync(pageNo: number): Pg {
    this.syncReads++;
    return { no: pageNo, v: this.version, gen: 0 };
  }

  release(): void {
    for (const w of this.waiting.splice(0)) w();
  }

  get pending(): number {
    return this.waiting.length;
  }
}

/** A pool with a clock the test moves. */
function poolOf(capacity: number): { pool: BufferPool<Pg>; clock: { t: number } } {
  const clock = { t: 1_000_000 };
  return { pool: new BufferPool<Pg>(capacity, () => clock.t), clock };
}

describe('buffer pool capacity and eviction', () => {
  it(req(['INNODB-BUF-101'], 'unit', 'the pool never holds more clean frames than its capacity, and has a floor of MIN_POOL_PAGES'), () => {
    expect(MIN_POOL_PAGES).toBe(64);
    expect(new BufferPool<Pg>(1).capacity).toBe(MIN_POOL_PAGES);
    const { pool } = poolOf(100);
    const s = new FakeSpace(1);
    for (let no = 1; no <= 250; no++) {
      pool.getSync(s, no);
      expect(pool.size).toBeLessThanOrEqual(100);
    }
    expect(pool.size).toBe(100);
    expect(pool.free).toBe(0);
    expect(pool.counters.evicted).toBe(150);
    expect(pool.counters.reads).toBe(250);
    expect(s.syncReads).toBe(250);
  });

  it(req(['INNODB-BUF-101'], 'unit', 'a small pool (no old sublist) evicts its least recently used clean page'), () => {
    const { pool } = poolOf(64);
    const s = new FakeSpace(1);
    for (let no = 1; no <= 64; no++) pool.getSync(s, no);
    // page 1 is used again: page 2 is now the least recently used
    pool.getSync(s, 1);
    pool.getSync(s, 65);
    const reads = s.syncReads;
    expect(pool.peek(1, 1)).toEqual({ no: 1, v: 0, gen: 0 });
    expect(pool.peek(1, 65)).toEqual({ no: 65, v: 0, gen: 0 });
    expect(pool.peek(1, 2)).toBeUndefined();
    expect(s.syncReads).toBe(reads);
    // a sequence of reads keeps the last 64 pages read
    for (let no = 100; no < 300; no++) pool.getSync(s, no);
    for (let no = 236; no < 300; no++) expect(pool.peek(1, no)).toBeDefined();
    expect(pool.peek(1, 235)).toBeUndefined();
  });

  it(req(['INNODB-BUF-101'], 'unit', 'dirty pages are never evicted: the pool overcommits until they are written'), () => {
    const { pool } = poolOf(64);
    const s = new FakeSpace(1);
    for (let no = 1; no <= 100; no++) pool.create(1, no, { no, v: 1, gen: 0 });
    expect(pool.size).toBe(100);
    expect(pool.dirtyPages).toBe(100);
    expect(pool.counters.created).toBe(100);
    expect(pool.counters.evicted).toBe(0);
    // reads still come in, and go again at once: only clean pages leave
    pool.getSync(s, 500);
    expect(pool.size).toBe(100);
    for (let no = 1; no <= 100; no++) expect(pool.peek(1, no)).toEqual({ no, v: 1, gen: 0 });
    // written: clean again, and the pool shrinks back to its capacity
    pool.written(1, pool.dirtyOf(1));
    expect(pool.dirtyPages).toBe(0);
    expect(pool.size).toBe(64);
    expect(pool.counters.written).toBe(100);
  });

  it(req(['INNODB-BUF-101'], 'unit', 'under random use the pool stays within capacity plus dirty pages and always answers the current version'), () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.record({ op: fc.constant('get' as const), no: fc.integer({ min: 1, max: 200 }) }),
            fc.record({ op: fc.constant('put' as const), no: fc.integer({ min: 1, max: 200 }) }),
            fc.record({ op: fc.constant('flush' as const) }),
          ),
          { maxLength: 600 },
        ),
        (ops) => {
          const { pool } = poolOf(64);
          const s = new FakeSpace(3);
          const model = new Map<number, number>(); // page -> version written by the test
          const disk = new Map<number, number>(); // page -> version a read would see
          let v = 0;
          s.readSync = (no: number): Pg => {
            s.syncReads++;
            return { no, v: disk.get(no) ?? 0, gen: 0 };
          };
          for (const o of ops) {
            if (o.op === 'get') expect(pool.getSync(s, o.no)).toEqual({ no: o.no, v: model.get(o.no) ?? 0, gen: 0 });
            else if (o.op === 'put') {
              model.set(o.no, ++v);
              pool.put(3, o.no, { no: o.no, v, gen: 0 });
            } else {
              const dirty = pool.dirtyOf(3);
              for (const d of dirty) disk.set(d.pageNo, d.page.v);
              pool.written(3, dirty);
            }
            expect(pool.size).toBeLessThanOrEqual(Math.max(64, pool.dirtyPages));
            expect(pool.dirtyPages).toBe(pool.dirtyOf(3).length);
          }
        },
      ),
      { numRuns: 50 },
    );
  });
});

describe('midpoint insertion', () => {
  it(req(['INNODB-BUF-102'], 'unit', 'the defaults: 37% old, 1000 ms, no old sublist below 512 frames'), () => {
    expect(DEFAULT_OLD_BLOCKS_PCT).toBe(37);
    expect(DEFAULT_OLD_BLOCKS_TIME_MS).toBe(1000);
    expect(LRU_OLD_MIN_LEN).toBe(512);
    const { pool } = poolOf(2000);
    const s = new FakeSpace(1);
    for (let no = 1; no < LRU_OLD_MIN_LEN; no++) pool.getSync(s, no);
    expect(pool.oldPages).toBe(0);
    pool.getSync(s, LRU_OLD_MIN_LEN);
    expect(pool.oldPages).toBe(Math.floor((LRU_OLD_MIN_LEN * 37) / 100));
    for (let no = LRU_OLD_MIN_LEN + 1; no <= 1500; no++) pool.getSync(s, no);
    expect(pool.oldPages).toBe(Math.floor((1500 * 37) / 100));
  });

  for (const fill of [600, 1024]) {
    it(req(['INNODB-BUF-102'], 'unit', `with ${fill} of 1024 frames in use a page read in is old, and made young only when accessed after innodb_old_blocks_time`), () => {
      const { pool, clock } = poolOf(1024);
      const s = new FakeSpace(1);
      for (let no = 1; no <= fill; no++) pool.getSync(s, no);
      for (let k = 0; k < 20; k++) {
        const no = 10_000 + k;
        pool.getSync(s, no);
        const { madeYoung, notYoung } = pool.counters;
        // at once, and just before the time is up: it stays old
        pool.peek(1, no);
        clock.t += pool.oldBlocksTimeMs - 1;
        pool.peek(1, no);
        expect(pool.counters.notYoung).toBe(notYoung + 2);
        expect(pool.counters.madeYoung).toBe(madeYoung);
        // once the time is up: made young; then it is young and further accesses count for nothing
        clock.t += 1;
        pool.peek(1, no);
        expect(pool.counters.madeYoung).toBe(madeYoung + 1);
        pool.peek(1, no);
        expect(pool.counters).toMatchObject({ madeYoung: madeYoung + 1, notYoung: notYoung + 2 });
      }
    });
  }

  it(req(['INNODB-BUF-102'], 'unit', 'a scan of pages read once does not push out pages made young'), () => {
    const run = (oldBlocksTimeMs: number): { misses: number; madeYoung: number } => {
      const { pool, clock } = poolOf(1024);
      pool.oldBlocksTimeMs = oldBlocksTimeMs;
      const s = new FakeSpace(1);
      for (let no = 20_000; no < 21_024; no++) pool.getSync(s, no); // a full pool
      // the working set: 300 pages, each read and used again two seconds later
      for (let no = 1; no <= 300; no++) pool.getSync(s, no);
      clock.t += 2000;
      for (let no = 1; no <= 300; no++) pool.getSync(s, no);
      // a big scan: every page read and used again within the same millisecond
      for (let no = 5000; no < 9000; no++) {
        pool.getSync(s, no);
        pool.getSync(s, no);
      }
      const reads = s.syncReads;
      for (let no = 1; no <= 300; no++) pool.getSync(s, no);
      return { misses: s.syncReads - reads, madeYoung: pool.counters.madeYoung };
    };
    const guarded = run(DEFAULT_OLD_BLOCKS_TIME_MS);
    expect(guarded.madeYoung).toBe(300);
    expect(guarded.misses).toBe(0); // the working set is still there
    // with innodb_old_blocks_time = 0 the scan's second accesses make its pages young, and they win
    const eager = run(0);
    expect(eager.madeYoung).toBeGreaterThan(4000);
    expect(eager.misses).toBe(300);
  });
});

describe('dirty pages and checkpoints', () => {
  it(req(['INNODB-BUF-103'], 'unit', 'dirtyOf lists a space\'s dirty pages by page number; written cleans only what was taken'), () => {
    const { pool } = poolOf(64);
    const a = new FakeSpace(1);
    pool.getSync(a, 7); // clean
    pool.create(1, 9, { no: 9, v: 1, gen: 0 });
    pool.put(1, 3, { no: 3, v: 1, gen: 0 });
    pool.put(1, 7, { no: 7, v: 1, gen: 0 }); // a clean frame made dirty
    pool.put(2, 1, { no: 1, v: 1, gen: 0 }); // another space
    expect(pool.dirtyPages).toBe(4);
    const batch = pool.dirtyOf(1);
    expect(batch.map((d) => d.pageNo)).toEqual([3, 7, 9]);
    expect(pool.dirtyOf(2)).toEqual([{ pageNo: 1, page: { no: 1, v: 1, gen: 0 } }]);
    // page 9 changes again after the batch was taken: it stays dirty
    pool.put(1, 9, { no: 9, v: 2, gen: 0 });
    pool.written(1, batch);
    expect(pool.dirtyOf(1)).toEqual([{ pageNo: 9, page: { no: 9, v: 2, gen: 0 } }]);
    expect(pool.dirtyPages).toBe(2);
    expect(pool.counters.written).toBe(3);
    // a change to the same object in place (the tree's way) is written with it
    const p = pool.dirtyOf(1)[0]!.page;
    p.v = 3;
    pool.put(1, 9, p);
    pool.written(1, [{ pageNo: 9, page: p }]);
    expect(pool.dirtyOf(1)).toEqual([]);
    expect(pool.getSync(a, 9)).toEqual({ no: 9, v: 3, gen: 0 }); // still in the pool, clean
    expect(a.syncReads).toBe(1);
  });

  it(req(['INNODB-BUF-103'], 'unit', 'load puts a page just written in clean (no read), and never over a frame already there'), () => {
    const { pool } = poolOf(64);
    const s = new FakeSpace(1);
    pool.load(1, 4, { no: 4, v: 1, gen: 0 });
    expect(pool.dirtyPages).toBe(0);
    expect(pool.getSync(s, 4)).toEqual({ no: 4, v: 1, gen: 0 });
    pool.put(1, 4, { no: 4, v: 2, gen: 0 });
    pool.load(1, 4, { no: 4, v: 1, gen: 0 });
    expect(pool.getSync(s, 4)).toEqual({ no: 4, v: 2, gen: 0 });
    expect(pool.dirtyPages).toBe(1);
    expect(s.syncReads).toBe(0);
  });

  it(req(['INNODB-BUF-103'], 'unit', 'dropSpace forgets a space\'s pages, dirty ones too, and leaves other spaces alone'), () => {
    const { pool } = poolOf(64);
    const a = new FakeSpace(1);
    const b = new FakeSpace(2);
    pool.getSync(a, 1);
    pool.put(1, 2, { no: 2, v: 1, gen: 0 });
    pool.getSync(b, 1);
    pool.dropSpace(1);
    expect(pool.size).toBe(1);
    expect(pool.dirtyPages).toBe(0);
    expect(pool.peek(1, 1)).toBeUndefined();
    expect(pool.peek(2, 1)).toEqual({ no: 1, v: 0, gen: 0 });
  });
});

describe('reads', () => {
  it(req(['INNODB-BUF-101'], 'unit', 'a page in the pool is answered at once; a miss is a promise, and concurrent misses share one read'), async () => {
    const { pool } = poolOf(64);
    const s = new FakeSpace(1);
    s.hold = true;
    const first = pool.get(s, 5);
    const second = pool.get(s, 5);
    expect(first).toBeInstanceOf(Promise);
    expect(second).toBe(first);
    expect(s.reads).toBe(1);
    expect(pool.counters.pendingReads).toBe(1);
    s.release();
    const [p1, p2] = await Promise.all([first, second]);
    expect(p1).toBe(p2);
    expect(pool.counters).toMatchObject({ reads: 1, pendingReads: 0, gets: 2 });
    const hit = pool.get(s, 5);
    expect(hit).toBe(p1);
    expect(s.reads).toBe(1);
  });

  it(req(['INNODB-BUF-101'], 'unit', 'a read that finds a newer version put meanwhile answers that version'), async () => {
    const { pool } = poolOf(64);
    const s = new FakeSpace(1);
    s.hold = true;
    const pending = pool.get(s, 5);
    pool.put(1, 5, { no: 5, v: 9, gen: 0 });
    s.release();
    expect(await pending).toEqual({ no: 5, v: 9, gen: 0 });
    expect(pool.dirtyOf(1)).toEqual([{ pageNo: 5, page: { no: 5, v: 9, gen: 0 } }]);
  });

  it(req(['INNODB-BUF-101'], 'unit', 'a failed read rejects every waiter and is retried by the next get'), async () => {
    const { pool } = poolOf(64);
    const s = new FakeSpace(1);
    let fail = true;
    const read = s.read.bind(s);
    s.read = (no: number): Promise<Pg> => (fail ? (s.reads++, Promise.reject(new Error('checksum'))) : read(no));
    const a = pool.get(s, 8);
    const b = pool.get(s, 8);
    await expect(a).rejects.toThrow('checksum');
    await expect(b).rejects.toThrow('checksum');
    expect(pool.counters.pendingReads).toBe(0);
    expect(pool.size).toBe(0);
    fail = false;
    expect(await pool.get(s, 8)).toEqual({ no: 8, v: 0, gen: 0 });
    expect(s.reads).toBe(2);
  });

  it(req(['INNODB-BUF-101'], 'unit', 'getSync reads a miss synchronously and keeps it; a hit needs no read'), () => {
    const { pool } = poolOf(64);
    const s = new FakeSpace(1);
    const p = pool.getSync(s, 3);
    expect(p).toEqual({ no: 3, v: 0, gen: 0 });
    expect(pool.getSync(s, 3)).toBe(p);
    expect(s.syncReads).toBe(1);
    expect(s.reads).toBe(0);
    expect(pool.get(s, 3)).toBe(p); // the async path answers at once too
    expect(pool.counters).toMatchObject({ gets: 3, reads: 1 });
  });

  it(req(['INNODB-BUF-103'], 'unit', 'a page read from a space dropped meanwhile reaches its reader but not the pool'), async () => {
    const { pool } = poolOf(64);
    const old = new FakeSpace(1);
    old.hold = true;
    const pending = pool.get(old, 4);
    pool.dropSpace(1);
    // the space is re-created under the same id; its page 4 is loaded fresh
    const fresh = new FakeSpace(1);
    fresh.version = 2;
    const again = pool.get(fresh, 4);
    expect(again).not.toBe(pending);
    old.release();
    expect(await pending).toEqual({ no: 4, v: 0, gen: 0 });
    expect(await again).toEqual({ no: 4, v: 2, gen: 0 });
    expect(pool.peek(1, 4)).toEqual({ no: 4, v: 2, gen: 0 });
    // and when nothing re-reads it, the old page does not linger either
    const p2 = pool.get(old, 6);
    pool.dropSpace(1);
    old.release();
    await p2;
    expect(pool.peek(1, 6)).toBeUndefined();
    expect(pool.counters.pendingReads).toBe(0);
  });
});
