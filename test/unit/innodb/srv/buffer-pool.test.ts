/**
 * The buffer pool model: sizes in pages, database and modified pages from the tables, and
 * per-instance figures that add up exactly to the totals, for any tables and instance counts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LRU_OLD_MIN_LEN, tablePages, type PoolFigures } from '../../../../src/storage/innodb/srv/buffer-pool.js';
import { req } from '../../../helpers/req.js';
import { addTable, fakeEngine } from './fixtures.js';

const KEYS: (keyof PoolFigures)[] = ['poolSize', 'free', 'databasePages', 'oldPages', 'modified', 'pendingReads', 'pendingFlushList', 'pagesRead', 'created', 'written', 'gets'];

describe('buffer pool model', () => {
  it(req(['INNODB-MON-013'], 'unit', 'pool size is innodb_buffer_pool_size / page size; free is what the tables leave'), () => {
    const { engine, obs } = fakeEngine({ innodb_buffer_pool_size: 134217728n });
    addTable(engine, 1, 0);
    addTable(engine, 2, 10_000, { dirty: true, secondaries: 2 });
    const snap = obs.monitor.pool.snapshot();
    expect(snap.total.poolSize * engine.pageSize).toBe(134217728);
    const pages = 1 + tablePages(engine.spaces.get(2)!.table, engine.pageSize);
    expect(snap.total.databasePages).toBe(pages);
    expect(snap.total.free).toBe(snap.total.poolSize - pages);
    expect(snap.total.modified).toBe(tablePages(engine.spaces.get(2)!.table, engine.pageSize));
    expect(snap.instances).toHaveLength(1);
  });

  it(req(['INNODB-MON-014'], 'unit', 'every per-instance figure sums to the total, whatever the tables and instance count'), () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 16 }),
        fc.array(fc.record({ rows: fc.integer({ min: 0, max: 200_000 }), dirty: fc.boolean(), sec: fc.integer({ min: 0, max: 3 }) }), { maxLength: 12 }),
        fc.integer({ min: 0, max: 10_000 }),
        (instances, tables, gets) => {
          const { engine, obs } = fakeEngine({ innodb_buffer_pool_size: BigInt(instances) * 1073741824n, innodb_buffer_pool_instances: BigInt(instances) });
          tables.forEach((t, i) => addTable(engine, i + 1, t.rows, { dirty: t.dirty, secondaries: t.sec }));
          engine.counters.read = gets;
          engine.fileIo.pagesWritten = gets * 3;
          const snap = obs.monitor.pool.snapshot();
          expect(snap.instances).toHaveLength(instances);
          for (const k of KEYS) expect(snap.instances.reduce((a, f) => a + f[k], 0)).toBe(snap.total[k]);
          for (const f of snap.instances) {
            expect(f.free).toBe(Math.max(0, f.poolSize - f.databasePages));
            expect(f.oldPages === 0 || f.databasePages >= LRU_OLD_MIN_LEN).toBe(true);
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it(req(['INNODB-MON-013'], 'unit', 'pages created count table growth between samples, never shrinking'), () => {
    const { engine, obs } = fakeEngine();
    const t = addTable(engine, 1, 0);
    obs.monitor.pool.sample();
    expect(obs.monitor.pool.snapshot().total.created).toBe(1);
    t.liveRows = 1000;
    const grown = tablePages(t, engine.pageSize);
    expect(obs.monitor.pool.snapshot().total.created).toBe(grown);
    t.liveRows = 0;
    expect(obs.monitor.pool.snapshot().total.created).toBe(grown);
  });
});
