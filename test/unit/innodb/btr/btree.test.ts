/**
 * The B+tree against a sorted-array model: random sequences of upserts and removes on 4 KB
 * pages with values up to 1500 bytes and keys up to ~400 bytes (so leaves and nodes split and
 * pages are freed all the time), through a store that answers synchronously, asynchronously or
 * both and evicts pages (which then come back through the page codec). After each sequence the
 * tree validates, holds exactly the pages the store has in use, and agrees with the model on
 * full scans both ways, prefix-bounded ranges, lookup and first. Plus the fixed cases: the root
 * page number stays, ascending loads pack pages, emptied trees shrink back to one leaf, drop
 * frees everything, validate reports damage, and a DESC key part orders the tree backwards.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Btree, type RangeOptions } from '../../../../src/storage/innodb/btr/btree.js';
import { encodeKey } from '../../../../src/storage/innodb/btr/key-codec.js';
import type { KeyCompare, LeafPage, NodePage } from '../../../../src/storage/innodb/btr/page-store.js';
import { btrPageCapacity, maxBtrEntryBytes } from '../../../../src/storage/innodb/page/btr-page.js';
import { FIL_NULL } from '../../../../src/storage/innodb/page/limits.js';
import { compareKeys, type KeyPart } from '../../../../src/storage/keys.js';
import { req } from '../../../helpers/req.js';
import { MemoryStore, type MemoryStoreOptions } from './memory-store.js';
import { SortedModel, del, put, scan, shape, valueOf } from './model.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 60);

const cmp2: KeyCompare = (a, b) => compareKeys(a, b, [{}, {}]);
const cmpDesc: KeyCompare = (a, b) => compareKeys(a, b, [{ desc: true }]);

/** [number, string] keys; some strings are long so node pages hold few pointers and split too. */
const key2Arb: fc.Arbitrary<KeyPart[]> = fc
  .tuple(fc.integer({ min: 0, max: 30 }), fc.constantFrom('a', 'b', 'c'), fc.oneof({ weight: 1, arbitrary: fc.integer({ min: 0, max: 3 }) }, { weight: 2, arbitrary: fc.integer({ min: 150, max: 400 }) }))
  .map(([n, c, r]) => [n, c.repeat(r)]);
const key1Arb: fc.Arbitrary<KeyPart[]> = fc.integer({ min: -200, max: 200 }).map((n) => [n]);
const sizeArb = fc.oneof(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 1500 }));

type Op = { t: 'put'; key: KeyPart[]; size: number; fill: number } | { t: 'del'; key: KeyPart[] } | { t: 'delAt'; at: number } | { t: 'drain'; at: number; count: number };

function opArb(keyArb: fc.Arbitrary<KeyPart[]>): fc.Arbitrary<Op> {
  return fc.oneof(
    { weight: 12, arbitrary: fc.record({ t: fc.constant('put' as const), key: keyArb, size: sizeArb, fill: fc.integer({ min: 0, max: 255 }) }) },
    { weight: 1, arbitrary: fc.record({ t: fc.constant('del' as const), key: keyArb }) },
    { weight: 2, arbitrary: fc.record({ t: fc.constant('delAt' as const), at: fc.nat() }) },
    { weight: 1, arbitrary: fc.record({ t: fc.constant('drain' as const), at: fc.nat(), count: fc.integer({ min: 1, max: 12 }) }) },
  );
}

function boundArb(keyArb: fc.Arbitrary<KeyPart[]>, prefix: boolean): fc.Arbitrary<{ key: KeyPart[]; inclusive: boolean }> {
  const k = prefix ? fc.oneof(keyArb, keyArb.map((x) => x.slice(0, 1))) : keyArb;
  return fc.record({ key: k, inclusive: fc.boolean() });
}

function rangeArb(keyArb: fc.Arbitrary<KeyPart[]>, prefix: boolean): fc.Arbitrary<RangeOptions> {
  return fc.record({
    low: fc.option(boundArb(keyArb, prefix), { nil: undefined }),
    high: fc.option(boundArb(keyArb, prefix), { nil: undefined }),
    reverse: fc.boolean(),
  });
}

async function apply(tree: Btree, model: SortedModel, ops: readonly Op[]): Promise<void> {
  for (const op of ops) {
    if (op.t === 'put') await put(tree, model, op.key, valueOf(op.size, op.fill));
    else if (op.t === 'del') await del(tree, model, op.key);
    else if (model.entries.length > 0) {
      const n = op.t === 'drain' ? op.count : 1;
      for (let i = 0; i < n && model.entries.length > 0; i++) await del(tree, model, model.entries[op.at % model.entries.length]!.key);
    }
  }
}

/** Everything the tree answers must match the model. */
async function checkAgainstModel(
  tree: Btree,
  store: MemoryStore,
  model: SortedModel,
  ranges: readonly RangeOptions[],
  probes: readonly { key: KeyPart[]; inclusive: boolean }[],
  arity = 2,
): Promise<void> {
  const v = await tree.validate();
  expect(v.problems).toEqual([]);
  expect(v.entries).toBe(model.entries.length);
  const nos = await tree.pageNumbers();
  expect(nos[0]).toBe(tree.root);
  expect(new Set(nos).size).toBe(nos.length);
  expect(store.live).toBe(nos.length);
  expect(v.pages).toBe(nos.length);
  expect(shape(await scan(tree))).toEqual(shape(model.entries));
  expect(shape(await scan(tree, { reverse: true }))).toEqual(shape([...model.entries].reverse()));
  for (const r of ranges) {
    expect(shape(await scan(tree, r))).toEqual(shape(model.range(r)));
    expect(shape(await scan(tree, { ...r, reverse: !r.reverse }))).toEqual(shape(model.range({ ...r, reverse: !r.reverse })));
  }
  for (const e of model.entries) {
    const got = await tree.lookup(e.key);
    expect(got?.value.equals(e.value)).toBe(true);
  }
  for (const p of probes) {
    // lookup takes full keys only; first takes prefixes too
    if (p.key.length === arity) {
      const full = await tree.lookup(p.key);
      const m = model.get(p.key);
      expect(full === null ? null : shape([full])).toEqual(m === null ? null : shape([m]));
    }
    const f = await tree.first(p.key, p.inclusive);
    const mf = model.first(p.key, p.inclusive);
    expect(f === null ? null : shape([f])).toEqual(mf === null ? null : shape([mf]));
  }
}

const STORES: [string, MemoryStoreOptions][] = [
  ['sync pages', { mode: 'sync' }],
  ['async pages', { mode: 'async' }],
  ['mixed pages with eviction', { mode: 'mixed', evict: 0.05 }],
];

describe('btree against a sorted-array model', () => {
  for (const [name, opts] of STORES) {
    it(req(['INNODB-BTR-101', 'INNODB-BTR-102', 'INNODB-BTR-103', 'INNODB-BTR-106'], 'unit', `random upserts and removes on [number, string] keys, ${name}`), async () => {
      const stats = { allocations: 0, frees: 0, evictions: 0, maxLevel: 0 };
      await fc.assert(
        fc.asyncProperty(
          fc.array(opArb(key2Arb), { minLength: 1, maxLength: 400, size: 'max' }),
          fc.array(rangeArb(key2Arb, true), { maxLength: 6 }),
          fc.array(boundArb(key2Arb, true), { maxLength: 10 }),
          fc.nat(),
          async (ops, ranges, probes, seed) => {
            const store = new MemoryStore({ ...opts, pageSize: 4096, seed });
            const tree = new Btree(store, Btree.create(store, 42), 42, cmp2);
            const model = new SortedModel(cmp2);
            await apply(tree, model, ops);
            await checkAgainstModel(tree, store, model, ranges, probes);
            expect(store.allocations - store.frees).toBe(store.live);
            stats.allocations += store.allocations;
            stats.frees += store.frees;
            stats.evictions += store.evictions;
            const top = await store.get(tree.root);
            stats.maxLevel = Math.max(stats.maxLevel, top.kind === 'node' ? top.level : 0);
            await tree.drop();
            expect(store.live).toBe(0);
          },
        ),
        { numRuns: RUNS },
      );
      // the sequences must really split, free and (with eviction) re-read pages
      expect(stats.maxLevel).toBeGreaterThanOrEqual(2);
      expect(stats.frees).toBeGreaterThan(RUNS * 2);
      if (opts.evict) expect(stats.evictions).toBeGreaterThan(0);
      if (process.env.BTR_STATS) console.log(name, stats);
    });
  }

  it(req(['INNODB-BTR-101', 'INNODB-BTR-102', 'INNODB-BTR-103', 'INNODB-BTR-106'], 'unit', 'long sequences with long keys grow three levels and split nodes below the root'), async () => {
    // long keys: a node holds about a dozen pointers, so level-1 nodes split well before the root
    const longKey = fc.tuple(fc.integer({ min: 0, max: 400 }), fc.integer({ min: 250, max: 400 })).map(([n, r]): KeyPart[] => [n, 'k'.repeat(r)]);
    let maxLevel = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(opArb(longKey), { minLength: 1500, maxLength: 2500 }),
        fc.array(rangeArb(longKey, true), { maxLength: 6 }),
        fc.constantFrom<MemoryStoreOptions>({ mode: 'sync' }, { mode: 'mixed', evict: 0.02 }),
        fc.nat(),
        async (ops, ranges, opts, seed) => {
          const store = new MemoryStore({ ...opts, pageSize: 4096, seed });
          const tree = new Btree(store, Btree.create(store, 8), 8, cmp2);
          const model = new SortedModel(cmp2);
          await apply(tree, model, ops);
          const top = await store.get(tree.root);
          maxLevel = Math.max(maxLevel, top.kind === 'node' ? top.level : 0);
          await checkAgainstModel(tree, store, model, ranges, []);
          // and back down to nothing: every page but the root comes back
          for (const e of [...model.entries]) await del(tree, model, e.key);
          expect(store.live).toBe(1);
          expect((await tree.validate()).problems).toEqual([]);
        },
      ),
      { numRuns: Math.max(2, Math.ceil(RUNS / 6)) },
    );
    expect(maxLevel).toBeGreaterThanOrEqual(3);
  }, 120_000);

  it(req(['INNODB-BTR-101', 'INNODB-BTR-102', 'INNODB-BTR-103'], 'unit', 'a DESC key part orders the tree, its scans and its bounds backwards'), async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(opArb(key1Arb), { minLength: 1, maxLength: 400, size: 'max' }),
        fc.array(rangeArb(key1Arb, false), { maxLength: 6 }),
        fc.array(boundArb(key1Arb, false), { maxLength: 10 }),
        fc.constantFrom<MemoryStoreOptions>({ mode: 'sync' }, { mode: 'mixed', evict: 0.05 }),
        async (ops, ranges, probes, opts) => {
          const store = new MemoryStore({ ...opts, pageSize: 4096 });
          const tree = new Btree(store, Btree.create(store, 1), 1, cmpDesc);
          const model = new SortedModel(cmpDesc);
          await apply(tree, model, ops);
          await checkAgainstModel(tree, store, model, ranges, probes, 1);
          const keys = (await scan(tree)).map((e) => e.key[0] as number);
          expect(keys).toEqual([...keys].sort((a, b) => b - a));
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe('btree structure', () => {
  it(req(['INNODB-BTR-101'], 'unit', 'the root page number stays while the tree grows to several levels'), async () => {
    const store = new MemoryStore({ pageSize: 4096 });
    const root = Btree.create(store, 9);
    const tree = new Btree(store, root, 9, cmp2);
    const model = new SortedModel(cmp2);
    for (let i = 0; i < 600; i++) await put(tree, model, [(i * 7919) % 600, 'x'.repeat(200)], valueOf(300, i & 0xff));
    expect(tree.root).toBe(root);
    const top = store.get(root) as NodePage;
    expect(top.kind).toBe('node');
    expect(top.level).toBeGreaterThanOrEqual(2);
    await checkAgainstModel(tree, store, model, [], []);
  });

  it(req(['INNODB-BTR-101'], 'unit', 'lookup and first answer synchronously when every page is in memory'), async () => {
    const store = new MemoryStore({ pageSize: 4096 });
    const tree = new Btree(store, Btree.create(store, 1), 1, cmp2);
    for (let i = 0; i < 200; i++) await tree.upsert([i, 's'], encodeKey([i, 's']), valueOf(100, i));
    const hit = tree.lookup([150, 's']);
    expect(hit).not.toBeInstanceOf(Promise);
    expect((hit as { key: KeyPart[] }).key).toEqual([150, 's']);
    expect(tree.lookup([150, 't'])).toBeNull();
    const f = tree.first([150], false);
    expect(f).not.toBeInstanceOf(Promise);
    expect((f as { key: KeyPart[] }).key).toEqual([151, 's']);
    expect(tree.first([199], false)).toBeNull();

    const slow = new MemoryStore({ pageSize: 4096, mode: 'async' });
    const t2 = new Btree(slow, Btree.create(slow, 1), 1, cmp2);
    await t2.upsert([1, 'a'], encodeKey([1, 'a']), Buffer.from('v'));
    const p = t2.lookup([1, 'a']);
    expect(p).toBeInstanceOf(Promise);
    expect((await p)?.value.toString()).toBe('v');
  });

  it(req(['INNODB-BTR-103'], 'unit', 'prefix bounds: exclusive skips every entry with the prefix, inclusive takes them all'), async () => {
    const store = new MemoryStore({ pageSize: 4096 });
    const tree = new Btree(store, Btree.create(store, 1), 1, cmp2);
    const keys: KeyPart[][] = [];
    for (let a = 1; a <= 40; a++) for (const s of ['a', 'b', 'c']) keys.push([a, s.repeat(300)]);
    for (const k of keys) await tree.upsert(k, encodeKey(k), Buffer.alloc(500));
    const ks = async (o: RangeOptions): Promise<KeyPart[][]> => (await scan(tree, o)).map((e) => [e.key[0]!, (e.key[1] as string)[0]!]);
    expect(await ks({ low: { key: [20], inclusive: false }, high: { key: [21], inclusive: true } })).toEqual([
      [21, 'a'],
      [21, 'b'],
      [21, 'c'],
    ]);
    expect(await ks({ low: { key: [20], inclusive: true }, high: { key: [21], inclusive: false } })).toEqual([
      [20, 'a'],
      [20, 'b'],
      [20, 'c'],
    ]);
    expect(await ks({ low: { key: [20], inclusive: true }, high: { key: [20], inclusive: true }, reverse: true })).toEqual([
      [20, 'c'],
      [20, 'b'],
      [20, 'a'],
    ]);
    expect(await ks({ low: { key: [20], inclusive: false }, high: { key: [20], inclusive: true } })).toEqual([]);
    expect(await ks({ low: { key: [39], inclusive: false } })).toEqual([
      [40, 'a'],
      [40, 'b'],
      [40, 'c'],
    ]);
    expect(await ks({ high: { key: [2], inclusive: false }, reverse: true })).toEqual([
      [1, 'c'],
      [1, 'b'],
      [1, 'a'],
    ]);
    expect((await tree.first([20], false))?.key[0]).toBe(21);
    expect((await tree.first([20], true))?.key).toEqual([20, 'a'.repeat(300)]);
  });

  it(req(['INNODB-BTR-101'], 'unit', 'an ascending load splits at the insert point and packs leaves full'), async () => {
    const store = new MemoryStore({ pageSize: 16384 });
    const tree = new Btree(store, Btree.create(store, 1), 1, cmp2);
    for (let i = 0; i < 5000; i++) await tree.upsert([i, 'row'], encodeKey([i, 'row']), Buffer.alloc(100, 1));
    const v = await tree.validate();
    expect(v.problems).toEqual([]);
    const perEntry = 2 + encodeKey([4000, 'row']).length + 4 + 100;
    const ideal = Math.ceil((5000 * perEntry) / btrPageCapacity(16384));
    // a midpoint split would leave every leaf half full: about twice the ideal
    expect(v.leaves).toBeLessThanOrEqual(ideal + 1);
  });

  it(req(['INNODB-BTR-101'], 'unit', 'an entry above half a page is refused and leaves the tree as it was'), async () => {
    const store = new MemoryStore({ pageSize: 4096 });
    const tree = new Btree(store, Btree.create(store, 1), 1, cmp2);
    const kb = encodeKey([1, 'a']);
    const fits = maxBtrEntryBytes(4096) - (2 + kb.length + 4);
    await tree.upsert([1, 'a'], kb, Buffer.alloc(fits));
    await expect(tree.upsert([2, 'a'], encodeKey([2, 'a']), Buffer.alloc(fits + 1))).rejects.toThrow(RangeError);
    const v = await tree.validate();
    expect(v.problems).toEqual([]);
    expect(v.entries).toBe(1);
  });

  it(req(['INNODB-BTR-102'], 'unit', 'removing every entry frees every page but the root, which is an empty leaf again'), async () => {
    for (const opts of [{ mode: 'sync' as const }, { mode: 'async' as const }]) {
      const store = new MemoryStore({ ...opts, pageSize: 4096 });
      const root = Btree.create(store, 3);
      const tree = new Btree(store, root, 3, cmp2);
      const model = new SortedModel(cmp2);
      for (let i = 0; i < 400; i++) await put(tree, model, [i % 97, 'k'.repeat(i % 5 ? 3 : 300)], valueOf(700, i));
      expect(store.live).toBeGreaterThan(50);
      // from the middle outwards, so frees hit leaves with and without neighbours
      const order = [...model.entries].sort((a, b) => Math.abs((a.key[0] as number) - 48) - Math.abs((b.key[0] as number) - 48));
      for (const e of order) {
        expect(await tree.remove(e.key)).not.toBeNull();
        model.del(e.key);
      }
      expect(await tree.remove([1, 'k'])).toBeNull();
      expect(store.live).toBe(1);
      const page = (await store.get(root)) as LeafPage;
      expect(page.kind).toBe('leaf');
      expect(page.entries).toEqual([]);
      expect([page.prev, page.next]).toEqual([FIL_NULL, FIL_NULL]);
      await checkAgainstModel(tree, store, model, [{}], [{ key: [3], inclusive: true }]);
      // and it grows again
      await put(tree, model, [5, 'z'], valueOf(10, 1));
      await checkAgainstModel(tree, store, model, [], []);
    }
  });

  it(req(['INNODB-BTR-102'], 'unit', 'drop frees every page, the root included'), async () => {
    const store = new MemoryStore({ pageSize: 4096 });
    const other = new Btree(store, Btree.create(store, 2), 2, cmp2);
    await other.upsert([1, 'x'], encodeKey([1, 'x']), Buffer.from('keep'));
    const tree = new Btree(store, Btree.create(store, 1), 1, cmp2);
    for (let i = 0; i < 300; i++) await tree.upsert([i, 'y'], encodeKey([i, 'y']), Buffer.alloc(400));
    const pages = await tree.pageNumbers();
    expect(store.live).toBe(pages.length + 1);
    await tree.drop();
    expect(store.live).toBe(1);
    expect((await other.lookup([1, 'x']))?.value.toString()).toBe('keep');
  });
});

describe('btree validation (CHECK TABLE)', () => {
  async function built(): Promise<{ store: MemoryStore; tree: Btree }> {
    const store = new MemoryStore({ pageSize: 4096 });
    const tree = new Btree(store, Btree.create(store, 5), 5, cmp2);
    for (let i = 0; i < 120; i++) await tree.upsert([i, 'v'], encodeKey([i, 'v']), Buffer.alloc(300));
    expect((await tree.validate()).problems).toEqual([]);
    return { store, tree };
  }
  async function leaves(store: MemoryStore, tree: Btree): Promise<{ no: number; page: LeafPage }[]> {
    const out: { no: number; page: LeafPage }[] = [];
    for (const no of await tree.pageNumbers()) {
      const p = await store.get(no);
      if (p.kind === 'leaf') out.push({ no, page: p });
    }
    return out;
  }

  it(req(['INNODB-BTR-106'], 'unit', 'reports keys out of order within a leaf'), async () => {
    const { store, tree } = await built();
    const [{ page }] = await leaves(store, tree);
    [page!.entries[0], page!.entries[1]] = [page!.entries[1]!, page!.entries[0]!];
    const v = await tree.validate();
    expect(v.problems.some((p) => /is not above entry/.test(p))).toBe(true);
  });

  it(req(['INNODB-BTR-106'], 'unit', 'reports a key outside the range its separators give'), async () => {
    const { store, tree } = await built();
    const ls = await leaves(store, tree);
    const last = ls[ls.length - 1]!.page;
    last.entries.push({ key: [1, 'w'], keyBytes: encodeKey([1, 'w']), value: Buffer.alloc(0) });
    last.bytes += 2 + encodeKey([1, 'w']).length + 4;
    const v = await tree.validate();
    expect(v.problems.some((p) => /is below its separator|is not above/.test(p))).toBe(true);
  });

  it(req(['INNODB-BTR-106'], 'unit', 'reports broken leaf links, wrong byte counts, foreign index ids and undecodable keys'), async () => {
    const { store, tree } = await built();
    const ls = await leaves(store, tree);
    ls[1]!.page.next = 12345;
    ls[2]!.page.bytes += 1;
    (ls[3]!.page as { indexId: number }).indexId = 77;
    const e = ls[4]!.page.entries[0]!;
    ls[4]!.page.entries[0] = { ...e, keyBytes: Buffer.concat([e.keyBytes.subarray(0, e.keyBytes.length - 1), Buffer.from('w')]) };
    const v = await tree.validate();
    expect(v.problems.some((p) => p === `leaf ${ls[1]!.no}: next link 12345, expected ${ls[2]!.no}`)).toBe(true);
    expect(v.problems.some((p) => p.startsWith(`page ${ls[2]!.no}: byte count`))).toBe(true);
    expect(v.problems.some((p) => p === `page ${ls[3]!.no}: index id 77, expected 5`)).toBe(true);
    expect(v.problems.some((p) => p.startsWith(`page ${ls[4]!.no}: entry 0: key bytes decode to`))).toBe(true);
  });

  it(req(['INNODB-BTR-106'], 'unit', 'reports an empty non-root page and a child at the wrong level'), async () => {
    const { store, tree } = await built();
    const ls = await leaves(store, tree);
    ls[0]!.page.entries = [];
    ls[0]!.page.bytes = 0;
    const root = (await store.get(tree.root)) as NodePage;
    root.level += 1;
    const v = await tree.validate();
    expect(v.problems).toContain(`page ${ls[0]!.no}: no entries`);
    expect(v.problems.some((p) => /level 0, expected 1/.test(p))).toBe(true);
  });
});
