/**
 * LeafWalker (btr/leaf-walk.ts), the resumable walk cursors read a table through, against a
 * sorted-array model: over a tree bulk-loaded by buildTablespaceImage and over trees grown by
 * the Btree in the in-memory store; forward and reverse; full-key and prefix bounds, inclusive
 * and exclusive; with a getter that answers synchronously, with a promise, or either. A walk
 * whose tree changes between two next() calls hands out every key present throughout exactly
 * once, in walk order, and only keys present when handed out; and so does a walk whose tree a
 * writer changes while the walk waits for a page (a reverse walk once lost the entries a split
 * moved to the right of the leaf it was waiting for).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Btree } from '../../../../src/storage/innodb/btr/btree.js';
import { encodeKey } from '../../../../src/storage/innodb/btr/key-codec.js';
import { LeafWalker, type PageGetter, type WalkOptions } from '../../../../src/storage/innodb/btr/leaf-walk.js';
import type { BtrPage, KeyCompare, LeafEntry } from '../../../../src/storage/innodb/btr/page-store.js';
import { buildTablespaceImage, decodeClusterValue, type TablespaceMeta } from '../../../../src/storage/innodb/fil/tablespace-image.js';
import { decodeBtrPage } from '../../../../src/storage/innodb/page/btr-page.js';
import { compareKeys, type KeyPart } from '../../../../src/storage/keys.js';
import { req } from '../../../helpers/req.js';
import { MemoryStore, rng, type MemoryStoreOptions } from './memory-store.js';
import { SortedModel } from './model.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 25);

const cmp1: KeyCompare = (a, b) => compareKeys(a, b, [{}]);
const cmp2: KeyCompare = (a, b) => compareKeys(a, b, [{}, {}]);

type Mode = 'sync' | 'async' | 'mixed';

/** A getter over `source` answering in `mode` ('mixed': at random, from `seed`). */
function getterOf(source: (no: number) => BtrPage | Promise<BtrPage>, mode: Mode, seed = 1): PageGetter {
  const random = rng(seed);
  return (no) => {
    const later = mode === 'async' || (mode === 'mixed' && random() < 0.5);
    if (!later) {
      const p = source(no);
      if (p instanceof Promise) throw new Error('a sync getter over an async source');
      return p;
    }
    return Promise.resolve().then(() => source(no));
  };
}

/** Every batch of a walk, checked non-empty, flattened. */
async function walkAll(w: LeafWalker): Promise<LeafEntry[]> {
  const out: LeafEntry[] = [];
  for (let guard = 0; guard < 1_000_000; guard++) {
    const got = w.next();
    const batch = got instanceof Promise ? await got : got;
    if (batch === null) {
      // a finished walk stays finished
      expect(w.next()).toBeNull();
      return out;
    }
    expect(batch.length).toBeGreaterThan(0);
    out.push(...batch);
  }
  throw new Error('walk did not end');
}

/** A walk over a store whose pages are all in memory, synchronously: it never returns a promise. */
function walkSync(w: LeafWalker): LeafEntry[] {
  const out: LeafEntry[] = [];
  for (;;) {
    const batch = w.next();
    if (batch instanceof Promise) throw new Error('a sync walk returned a promise');
    if (batch === null) return out;
    out.push(...batch);
  }
}

const keysOf = (es: readonly { key: readonly KeyPart[] }[]): (readonly KeyPart[])[] => es.map((e) => e.key);

/** A bound on [group, n] keys: a full key or a one-part prefix. */
const bound2Arb = fc.record({
  key: fc.oneof(
    fc.tuple(fc.integer({ min: -1, max: 13 }), fc.integer({ min: -5, max: 1300 })).map(([g, n]): KeyPart[] => [g, n]),
    fc.integer({ min: -1, max: 13 }).map((g): KeyPart[] => [g]),
  ),
  inclusive: fc.boolean(),
});
const walkOptsArb: fc.Arbitrary<WalkOptions> = fc.record({
  low: fc.option(bound2Arb, { nil: undefined }),
  high: fc.option(bound2Arb, { nil: undefined }),
  reverse: fc.boolean(),
});

describe('LeafWalker over a bulk-loaded tablespace image', () => {
  const meta: TablespaceMeta = { spaceId: 5, rowFormat: 'DYNAMIC', schema: 'db', name: 't', tableId: 1, autoIncrement: null, nextRowId: 1n, extra: Buffer.alloc(0) };
  // 1200 rows keyed [i % 12, i]: twelve groups, each spread over many leaves
  const rows = Array.from({ length: 1200 }, (_, i) => Buffer.from(`row ${i}`.padEnd(60, '.')));
  const keyOf = (_r: Buffer, i: number): KeyPart[] => [i % 12, i];
  const pages = buildTablespaceImage(meta, [Buffer.from('sdi'), ...rows], 4096, 1n, keyOf, cmp2);
  const decoded = new Map<number, BtrPage>();
  const page = (no: number): BtrPage => {
    let p = decoded.get(no);
    if (!p) decoded.set(no, (p = decodeBtrPage(pages[no]!)));
    return p;
  };
  const model = new SortedModel(cmp2);
  rows.forEach((r, i) => model.put(keyOf(r, i), r));

  it(req(['INNODB-BTR-103'], 'unit', 'forward and reverse walks hand out every record once, in key order, a leaf at a time'), async () => {
    expect(page(1).kind).toBe('node');
    for (const mode of ['sync', 'async', 'mixed'] as const) {
      for (const reverse of [false, true]) {
        const got = await walkAll(new LeafWalker(getterOf(page, mode), 1, cmp2, { reverse }));
        expect(keysOf(got)).toEqual(keysOf(model.range({ reverse })));
        // the values are the clustered records
        const first = decodeClusterValue(got[0]!.value);
        expect('inline' in first && first.inline.equals(reverse ? rows[1199]! : rows[0]!)).toBe(true);
      }
    }
    // batches are leaves: the first batch of a full forward walk is the whole leftmost leaf
    const w = new LeafWalker(page, 1, cmp2);
    const b = w.next() as LeafEntry[];
    let leftmost = page(1);
    while (leftmost.kind === 'node') leftmost = page(leftmost.entries[0]!.child);
    expect(b.length).toBe(leftmost.entries.length);
    // a sync getter gives a walk that never waits
    expect(keysOf(walkSync(new LeafWalker(page, 1, cmp2, { reverse: true })))).toEqual(keysOf(model.range({ reverse: true })));
  });

  it(req(['INNODB-BTR-103'], 'unit', 'prefix bounds: a one-part bound covers the whole group, inclusive or not'), async () => {
    const cases: [WalkOptions, (k: readonly KeyPart[]) => boolean][] = [
      [{ low: { key: [3], inclusive: true }, high: { key: [3], inclusive: true } }, (k) => k[0] === 3],
      [{ low: { key: [3], inclusive: false }, high: { key: [5], inclusive: false } }, (k) => k[0] === 4],
      [{ low: { key: [3], inclusive: false }, high: { key: [5], inclusive: true } }, (k) => k[0] === 4 || k[0] === 5],
      [{ low: { key: [11], inclusive: false } }, () => false],
      [{ high: { key: [0], inclusive: false } }, () => false],
      [{ low: { key: [7, 500], inclusive: true }, high: { key: [7], inclusive: true } }, (k) => k[0] === 7 && (k[1] as number) >= 500],
      [{ low: { key: [7, 499], inclusive: false }, high: { key: [7, 600], inclusive: false } }, (k) => k[0] === 7 && (k[1] as number) > 499 && (k[1] as number) < 600],
    ];
    for (const [opts, wanted] of cases) {
      const want = model.entries.filter((e) => wanted(e.key));
      for (const reverse of [false, true]) {
        for (const mode of ['sync', 'async'] as const) {
          const got = await walkAll(new LeafWalker(getterOf(page, mode), 1, cmp2, { ...opts, reverse }));
          expect(keysOf(got)).toEqual(keysOf(reverse ? [...want].reverse() : want));
        }
      }
    }
  });

  it(req(['INNODB-BTR-103'], 'unit', 'any bounds, either direction, any getter: the same entries as the model'), async () => {
    await fc.assert(
      fc.asyncProperty(walkOptsArb, fc.constantFrom<Mode>('sync', 'async', 'mixed'), fc.nat(), async (opts, mode, seed) => {
        const got = await walkAll(new LeafWalker(getterOf(page, mode, seed), 1, cmp2, opts));
        expect(keysOf(got)).toEqual(keysOf(model.range({ ...opts, reverse: opts.reverse === true })));
      }),
      { numRuns: RUNS * 8 },
    );
  });
});

/** A tree grown by upserts of [group, n] keys (values big enough to split pages often). */
async function grow(store: MemoryStore, keys: readonly KeyPart[][], size = 200): Promise<{ tree: Btree; model: SortedModel }> {
  const tree = new Btree(store, Btree.create(store, 9), 9, cmp2);
  const model = new SortedModel(cmp2);
  for (const k of keys) {
    const v = Buffer.alloc(size, (k[1] as number) & 0xff);
    await tree.upsert(k, encodeKey(k), v);
    model.put(k, v);
  }
  return { tree, model };
}

const key2Arb = fc.tuple(fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 1200 })).map(([g, n]): KeyPart[] => [g, n]);

describe('LeafWalker over a Btree in the memory store', () => {
  const STORES: [string, MemoryStoreOptions][] = [
    ['sync pages', { mode: 'sync' }],
    ['async pages', { mode: 'async' }],
    ['mixed pages with eviction', { mode: 'mixed', evict: 0.05 }],
  ];
  for (const [name, opts] of STORES) {
    it(req(['INNODB-BTR-103'], 'unit', `random trees and bounds agree with the model, ${name}`), async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(key2Arb, { maxLength: 300 }), fc.array(walkOptsArb, { minLength: 1, maxLength: 5 }), fc.nat(), async (keys, walks, seed) => {
          const store = new MemoryStore({ ...opts, seed });
          const { tree, model } = await grow(store, keys);
          for (const w of walks) {
            const got = await walkAll(new LeafWalker((no) => store.get(no), tree.root, cmp2, w));
            expect(keysOf(got)).toEqual(keysOf(model.range({ ...w, reverse: w.reverse === true })));
          }
        }),
        { numRuns: RUNS },
      );
    });
  }

  it(req(['INNODB-BTR-103'], 'unit', 'an empty tree and a one-leaf tree'), async () => {
    const store = new MemoryStore();
    const { tree } = await grow(store, []);
    expect(walkSync(new LeafWalker((no) => store.get(no), tree.root, cmp2))).toEqual([]);
    expect(walkSync(new LeafWalker((no) => store.get(no), tree.root, cmp2, { reverse: true }))).toEqual([]);
    await tree.upsert([1, 1], encodeKey([1, 1]), Buffer.from('a'));
    await tree.upsert([1, 2], encodeKey([1, 2]), Buffer.from('b'));
    expect(keysOf(walkSync(new LeafWalker((no) => store.get(no), tree.root, cmp2, { reverse: true })))).toEqual([
      [1, 2],
      [1, 1],
    ]);
    expect(walkSync(new LeafWalker((no) => store.get(no), tree.root, cmp2, { low: { key: [1], inclusive: false } }))).toEqual([]);
  });
});

type Change = { put: boolean; key: KeyPart[] };
const changeArb: fc.Arbitrary<Change> = fc.record({ put: fc.boolean(), key: key2Arb });

/**
 * Check a walk's output against what the tree held while it ran: every key handed out was in the
 * tree when its batch came back, the output is in strict walk order (so nothing twice), and every
 * key in the range that was in the tree from the start of the walk to its end was handed out.
 */
function checkWalk(out: readonly (readonly KeyPart[])[], presentAtHandout: boolean[], start: SortedModel, removedDuringWalk: Set<string>, opts: WalkOptions): void {
  const dir = opts.reverse ? -1 : 1;
  for (let i = 1; i < out.length; i++) expect(Math.sign(cmp2(out[i]!, out[i - 1]!))).toBe(dir);
  expect(presentAtHandout.every(Boolean)).toBe(true);
  const handed = new Set(out.map((k) => JSON.stringify(k)));
  const throughout = start.range({ ...opts, reverse: opts.reverse === true }).filter((e) => !removedDuringWalk.has(JSON.stringify(e.key)));
  for (const e of throughout) expect({ key: e.key, handed: handed.has(JSON.stringify(e.key)) }).toEqual({ key: e.key, handed: true });
}

describe('LeafWalker while the tree changes', () => {
  it(req(['INNODB-BTR-103'], 'unit', 'inserts and removes between two next() calls: every key present throughout once, in order'), async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(key2Arb, { minLength: 0, maxLength: 250 }),
        walkOptsArb,
        fc.array(fc.array(changeArb, { maxLength: 25 }), { maxLength: 40 }),
        fc.constantFrom<MemoryStoreOptions>({ mode: 'sync' }, { mode: 'async' }, { mode: 'mixed', evict: 0.05 }),
        fc.nat(),
        async (keys, opts, rounds, storeOpts, seed) => {
          const store = new MemoryStore({ ...storeOpts, seed });
          const { tree, model } = await grow(store, keys);
          const start = new SortedModel(cmp2);
          start.entries = [...model.entries];
          const removed = new Set<string>();
          const w = new LeafWalker((no) => store.get(no), tree.root, cmp2, opts);
          const out: (readonly KeyPart[])[] = [];
          const present: boolean[] = [];
          for (let round = 0; ; round++) {
            const got = w.next();
            const batch = got instanceof Promise ? await got : got;
            if (batch === null) break;
            for (const e of batch) {
              out.push(e.key);
              present.push(model.get(e.key) !== null);
            }
            // between two batches: a burst of inserts and removes (values up to ~600 bytes: splits and frees)
            for (const c of rounds[round % Math.max(1, rounds.length)] ?? []) {
              if (c.put) {
                const v = Buffer.alloc(100 + ((c.key[1] as number) % 500), 1);
                await tree.upsert(c.key, encodeKey(c.key), v);
                model.put(c.key, v);
              } else if (model.get(c.key) !== null) {
                await tree.remove(c.key);
                model.del(c.key);
                removed.add(JSON.stringify(c.key));
              }
            }
            if (round > 10_000) throw new Error('walk did not end');
          }
          checkWalk(out, present, start, removed, opts);
          expect((await tree.validate()).problems).toEqual([]);
        },
      ),
      { numRuns: RUNS * 4 },
    );
  });

  it(req(['INNODB-BTR-103'], 'unit', 'a writer changing the tree while a walk waits for pages: every key present throughout once, in order'), async () => {
    let lost = 0;
    await fc.assert(
      fc.asyncProperty(fc.nat(), walkOptsArb, fc.constantFrom<MemoryStoreOptions>({ mode: 'async' }, { mode: 'mixed', evict: 0.02 }), async (seed, opts, storeOpts) => {
        const store = new MemoryStore({ ...storeOpts, pageSize: 4096, seed });
        // the stable keys: [g, n] with n even, never touched by the writer; it puts and removes odd n
        const stable: KeyPart[][] = [];
        for (let g = 0; g <= 12; g++) for (let n = 0; n <= 1200; n += 40) stable.push([g, n]);
        const { tree, model } = await grow(store, stable, 300);
        const start = new SortedModel(cmp2);
        start.entries = [...model.entries];
        const random = rng(seed ^ 0x5eed);
        let stop = false;
        const writer = (async (): Promise<void> => {
          while (!stop) {
            const k: KeyPart[] = [Math.floor(random() * 13), 1 + 2 * Math.floor(random() * 600)];
            if (random() < 0.65) await tree.upsert(k, encodeKey(k), Buffer.alloc(300, 7));
            else await tree.remove(k);
          }
        })();
        const out: (readonly KeyPart[])[] = [];
        try {
          for (const e of await walkAll(new LeafWalker((no) => store.get(no), tree.root, cmp2, opts))) out.push(e.key);
        } finally {
          stop = true;
          await writer;
        }
        // odd keys come and go: only order is checked for them; every stable key in range must be there
        const dir = opts.reverse ? -1 : 1;
        for (let i = 1; i < out.length; i++) expect(Math.sign(cmp2(out[i]!, out[i - 1]!))).toBe(dir);
        const handed = new Set(out.map((k) => JSON.stringify(k)));
        const want = start.range({ ...opts, reverse: opts.reverse === true });
        const missing = want.filter((e) => !handed.has(JSON.stringify(e.key)));
        lost += missing.length;
        expect(missing.map((e) => e.key)).toEqual([]);
        expect((await tree.validate()).problems).toEqual([]);
      }),
      { numRuns: RUNS * 4 },
    );
    expect(lost).toBe(0);
  }, 60_000);
});
