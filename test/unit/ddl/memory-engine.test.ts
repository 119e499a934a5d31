/**
 * The MEMORY engine through its handler: unique checks, NULLs in unique keys, capacity from
 * max_heap_table_size and the per-row formula, deleted-slot reuse, TRUNCATE re-reading the cap,
 * restart using the global cap.
 */
import { describe, expect, it } from 'vitest';
import type { TableDef } from '../../../src/kernel/table-def.js';
import type { Value } from '../../../src/kernel/value.js';
import { drainSync, internalEngineContext, type CursorOptions, type EngineContext } from '../../../src/storage/handler.js';

const READ: CursorOptions = { lock: 'consistent', canWait: false };
import { MemoryEngine } from '../../../src/storage/memory/engine.js';
import { req } from '../../helpers/req.js';
import { tableDef } from '../../helpers/table-def.js';

let nextId = 1;
function def(over: Partial<TableDef> = {}): TableDef {
  return tableDef({
    id: nextId++,
    name: 't1',
    indexes: [{ name: 'id', kind: 'UNIQUE', algorithm: 'HASH', parts: [{ column: 0 }], comment: '', visible: true }],
    ...over,
  });
}

function ctx(vars: Record<string, Value> = {}): EngineContext {
  return internalEngineContext((n) => vars[n] ?? null, 1);
}

async function fill(h: Awaited<ReturnType<MemoryEngine['openTable']>>, c: EngineContext, start = 0): Promise<number> {
  let n = 0;
  for (let i = start; i < start + 10_000_000; i++) {
    try {
      await h.insert(c, [BigInt(i)]);
      n++;
    } catch (e) {
      expect((e as { errno: number }).errno).toBe(1114);
      expect((e as Error).message).toBe("The table 't1' is full");
      return n;
    }
  }
  throw new Error('never full');
}

describe('MEMORY engine', () => {
  it(req(['MEMORY-102', 'MEMORY-042', 'MEMORY-103'], 'unit', 'capacity follows cap / (hash 16 + ALIGN(5+1, 8)) = 24 bytes per row'), async () => {
    const e = new MemoryEngine();
    const c1 = ctx({ max_heap_table_size: 1024n * 1024n });
    const d1 = def();
    await e.createTable(c1, d1);
    const h1 = await e.openTable(c1, d1);
    const n1 = await fill(h1, c1);
    expect(n1).toBe(Math.floor((1024 * 1024) / 24));
    const c2 = ctx({ max_heap_table_size: 2n * 1024n * 1024n });
    const d2 = def();
    await e.createTable(c2, d2);
    const n2 = await fill(await e.openTable(c2, d2), c2);
    expect(n2).toBe(2 * n1 + 1);
  });

  it(req(['MEMORY-043'], 'unit', 'the cap is fixed at CREATE and re-read at TRUNCATE'), async () => {
    const e = new MemoryEngine();
    const small = ctx({ max_heap_table_size: 65536n });
    const d = def();
    await e.createTable(small, d);
    const h = await e.openTable(small, d);
    const r1 = await fill(h, small);
    const big = ctx({ max_heap_table_size: 1048576n });
    expect(() => h.insert(big, [999999999n])).toThrow(expect.objectContaining({ errno: 1114 }));
    await h.truncate(big);
    const r2 = await fill(h, big);
    expect(r1).toBe(Math.floor(65536 / 24));
    expect(r2).toBe(Math.floor(1048576 / 24));
  });

  it(req(['MEMORY-044'], 'unit', 'after a restart the cap is the global max_heap_table_size'), async () => {
    const d = def();
    const before = new MemoryEngine({ globalVar: () => 16777216n });
    await before.createTable(ctx({ max_heap_table_size: 65536n }), d);
    const r1 = await fill(await before.openTable(ctx(), d), ctx());
    const after = new MemoryEngine({ globalVar: () => 1048576n });
    const r2 = await fill(await after.openTable(ctx({ max_heap_table_size: 65536n }), d), ctx());
    expect(r2).toBeGreaterThan(10 * r1);
  });

  it(req(['MEMORY-031', 'MEMORY-101'], 'unit', 'deleted slots are reused: Data_length does not grow on delete-then-insert, drops to 0 when emptied'), async () => {
    const e = new MemoryEngine();
    const c = ctx({ max_heap_table_size: 16777216n });
    const d = def();
    await e.createTable(c, d);
    const h = await e.openTable(c, d);
    const ids = [];
    for (let i = 0; i < 100; i++) ids.push(await h.insert(c, [BigInt(i)]));
    const len = h.stats(c).dataLength;
    for (let i = 0; i < 10; i++) await h.delete(c, ids[i]!, [BigInt(i)]);
    expect(h.stats(c).dataLength).toBe(len);
    expect(h.stats(c).dataFree).toBeGreaterThan(0);
    for (let i = 0; i < 10; i++) await h.insert(c, [BigInt(1000 + i)]);
    expect(h.stats(c).dataLength).toBe(len);
    expect(h.stats(c).rows).toBe(100);
    await h.truncate(c);
    expect(h.stats(c).dataLength).toBe(0);
  });

  it(req(['CORE-DDL-040', 'MEMORY-054'], 'unit', '1062 message format; NULLs never collide; collation-aware uniqueness'), async () => {
    const e = new MemoryEngine();
    const c = ctx();
    const d = def({
      columns: [
        { name: 'id', type: { name: 'INT' }, nullable: true, autoIncrement: false, comment: '' },
        { name: 's', type: { name: 'VARCHAR', length: 10 }, nullable: true, autoIncrement: false, comment: '', charset: 'utf8mb4', collation: 'utf8mb4_0900_ai_ci' },
      ],
      indexes: [
        { name: 'PRIMARY', kind: 'PRIMARY', algorithm: 'HASH', parts: [{ column: 0 }], comment: '', visible: true },
        { name: 's', kind: 'UNIQUE', algorithm: 'BTREE', parts: [{ column: 1 }], comment: '', visible: true },
      ],
    });
    await e.createTable(c, d);
    const h = await e.openTable(c, d);
    await h.insert(c, [1n, 'abc']);
    expect(() => h.insert(c, [1n, 'x'])).toThrow("Duplicate entry '1' for key 't1.PRIMARY'");
    expect(() => h.insert(c, [2n, 'ABC'])).toThrow("Duplicate entry 'ABC' for key 't1.s'");
    await h.insert(c, [3n, null]);
    await h.insert(c, [4n, null]);
    const nulls = drainSync(h.indexRead(c, 's', { kind: 'eq', key: [null] }, READ)).map((r) => r.row[0]);
    expect(nulls.sort()).toEqual([3n, 4n]);
    const range = drainSync(h.indexRead(c, 's', { kind: 'range', low: { key: ['a'], inclusive: true } }, READ)).map((r) => r.row[1]);
    expect(range).toEqual(['abc']);
  });

  it(req(['MEMORY-053'], 'unit', 'non-unique HASH keys return every match'), async () => {
    const e = new MemoryEngine();
    const c = ctx();
    const d = def({ indexes: [{ name: 'k', kind: 'INDEX', algorithm: 'HASH', parts: [{ column: 0 }], comment: '', visible: true }] });
    await e.createTable(c, d);
    const h = await e.openTable(c, d);
    for (let i = 0; i < 30; i++) await h.insert(c, [BigInt(i % 3)]);
    expect(drainSync(h.indexRead(c, 'k', { kind: 'eq', key: [1n] }, READ)).length).toBe(10);
    expect(h.reserveAutoIncrement(c, 1)).toEqual({ first: 1n, count: 1 });
    expect(h.reserveAutoIncrement(c, 1)).toEqual({ first: 2n, count: 1 });
    h.observeAutoIncrement(c, 10n);
    expect(h.reserveAutoIncrement(c, 3)).toEqual({ first: 11n, count: 3 });
    expect(h.reserveAutoIncrement(c, 1)).toEqual({ first: 14n, count: 1 });
  });
});
