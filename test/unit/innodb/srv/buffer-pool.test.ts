/**
 * The buffer pool as the monitor reports it: the pool's own frames, dirty pages and counters,
 * split over innodb_buffer_pool_instances so that per-instance figures add up exactly to the
 * totals, whatever the pool holds.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LRU_OLD_MIN_LEN } from '../../../../src/storage/innodb/buf/buf-pool.js';
import type { SpacePage } from '../../../../src/storage/innodb/fil/tablespace-image.js';
import type { PoolFigures } from '../../../../src/storage/innodb/srv/buffer-pool.js';
import { req } from '../../../helpers/req.js';
import { fakeEngine } from './fixtures.js';

const KEYS: (keyof PoolFigures)[] = ['poolSize', 'free', 'databasePages', 'oldPages', 'modified', 'pendingReads', 'pendingFlushList', 'pagesRead', 'created', 'written', 'gets', 'madeYoung', 'notYoung'];

const free = (): SpacePage => ({ kind: 'free', next: 0xffffffff, gen: 0 });

describe('buffer pool figures', () => {
  it(req(['INNODB-MON-013', 'INNODB-BUF-101'], 'unit', 'pool size is innodb_buffer_pool_size / page size; database, free and modified pages are the pool\'s'), () => {
    const { engine, obs } = fakeEngine({ innodb_buffer_pool_size: 134217728n });
    for (let i = 1; i <= 10; i++) engine.pool.load(1, i, free());
    for (let i = 11; i <= 13; i++) engine.pool.create(1, i, free());
    const snap = obs.monitor.pool.snapshot();
    expect(snap.total.poolSize * engine.pageSize).toBe(134217728);
    expect(snap.total.databasePages).toBe(13);
    expect(snap.total.free).toBe(snap.total.poolSize - 13);
    expect(snap.total.modified).toBe(3);
    expect(snap.total.created).toBe(3);
    expect(snap.instances).toHaveLength(1);
    engine.pool.written(1, engine.pool.dirtyOf(1));
    const after = obs.monitor.pool.snapshot();
    expect(after.total.modified).toBe(0);
    expect(after.total.written).toBe(3);
  });

  it(req(['INNODB-MON-014'], 'unit', 'every per-instance figure sums to the total, whatever the pool holds and the instance count'), () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 16 }), fc.integer({ min: 0, max: 2000 }), fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 10_000 }), (instances, pages, dirty, gets) => {
        const { engine, obs } = fakeEngine({ innodb_buffer_pool_size: BigInt(instances) * 1073741824n, innodb_buffer_pool_instances: BigInt(instances) });
        for (let i = 1; i <= pages; i++) engine.pool.load(1, i, free());
        for (let i = 1; i <= dirty; i++) engine.pool.create(2, i, free());
        for (let i = 0; i < gets; i++) engine.pool.peek(1, 1 + (i % Math.max(1, pages)));
        engine.fileIo.pagesWritten = gets * 3;
        const snap = obs.monitor.pool.snapshot();
        expect(snap.instances).toHaveLength(instances);
        for (const k of KEYS) expect(snap.instances.reduce((a, f) => a + f[k], 0)).toBe(snap.total[k]);
        for (const f of snap.instances) expect(f.free).toBe(Math.max(0, f.poolSize - f.databasePages));
        expect(snap.total.oldPages === 0 || snap.total.databasePages >= LRU_OLD_MIN_LEN).toBe(true);
      }),
      { numRuns: 60 },
    );
  });
});
