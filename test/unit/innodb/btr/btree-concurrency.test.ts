/**
 * Readers against a writer that changes the tree while they wait: a range scan that resumes
 * after keys were inserted and removed beyond (and before) the part it already yielded, pages
 * split, freed and evicted under it, must still yield every key present during the whole scan,
 * never a key twice, always in order; lookup and first on keys that are never removed must
 * always find them; a scan whose own leaf and next leaf are freed, the next one handed out again
 * for a page elsewhere in the tree, must notice and descend again rather than follow the stale
 * link. The writer is one task (writers are serialised by the caller), the readers run
 * alongside it, and the store answers synchronously, asynchronously or both.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Btree, type RangeOptions } from '../../../../src/storage/innodb/btr/btree.js';
import { encodeKey } from '../../../../src/storage/innodb/btr/key-codec.js';
import type { KeyCompare, LeafEntry } from '../../../../src/storage/innodb/btr/page-store.js';
import { compareKeys, hashKey, type KeyPart } from '../../../../src/storage/keys.js';
import { req } from '../../../helpers/req.js';
import { MemoryStore, type MemoryStoreOptions, rng } from './memory-store.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 30);

const cmp2: KeyCompare = (a, b) => compareKeys(a, b, [{}, {}]);

/** A value that names its key, so an entry paired with another key's value is caught. */
function valueFor(key: readonly KeyPart[], size: number): Buffer {
  const tag = Buffer.from(hashKey(key));
  const b = Buffer.alloc(Math.max(size, tag.length), 0x2e);
  tag.copy(b);
  return b;
}

function belongs(e: LeafEntry): boolean {
  const tag = Buffer.from(hashKey(e.key));
  return e.value.subarray(0, tag.length).equals(tag);
}

async function upsert(tree: Btree, key: KeyPart[], size: number): Promise<void> {
  await tree.upsert(key, encodeKey(key), valueFor(key, size));
}

/** Order and uniqueness of what a scan yielded, in its direction. */
function expectOrdered(keys: readonly (readonly KeyPart[])[], reverse: boolean): void {
  for (let i = 1; i < keys.length; i++) {
    const c = cmp2(keys[i - 1]!, keys[i]!);
    if (reverse ? c <= 0 : c >= 0) throw new Error(`scan out of order at ${i}: ${JSON.stringify(keys[i - 1])} then ${JSON.stringify(keys[i])}`);
  }
}

function inRange(key: readonly KeyPart[], r: RangeOptions): boolean {
  if (r.low) {
    const c = cmp2(key, r.low.key);
    if (c < 0 || (c === 0 && !r.low.inclusive)) return false;
  }
  if (r.high) {
    const c = cmp2(key, r.high.key);
    if (c > 0 || (c === 0 && !r.high.inclusive)) return false;
  }
  return true;
}

const STORES: [string, MemoryStoreOptions][] = [
  ['sync pages', { mode: 'sync' }],
  ['async pages', { mode: 'async' }],
  ['mixed pages with eviction', { mode: 'mixed', evict: 0.05 }],
];

describe('btree readers during writes', () => {
  for (const [name, opts] of STORES) {
    for (const reverse of [false, true]) {
      it(req(['INNODB-BTR-103'], 'unit', `a ${reverse ? 'reverse' : 'forward'} scan sees every key present throughout while keys ahead of it (and then behind it) change, ${name}`), async () => {
        for (let seed = 1; seed <= 8; seed++) {
          const random = rng(seed * 7919);
          const store = new MemoryStore({ ...opts, pageSize: 4096, seed });
          const tree = new Btree(store, Btree.create(store, 1), 1, cmp2);
          const keyOf = (i: number): KeyPart[] => [i, 'k'.repeat(i % 7)];
          const initial = new Set<string>();
          const inserted = new Set<string>();
          const removed = new Set<string>();
          for (let i = 0; i < 600; i += 2) {
            await upsert(tree, keyOf(i), Math.floor(random() * 600));
            initial.add(hashKey(keyOf(i)));
          }
          const seen: LeafEntry[] = [];
          for await (const batch of tree.range({ reverse })) {
            seen.push(...batch);
            const last = batch[batch.length - 1]!.key[0] as number;
            // change keys beyond the yielded part: new odd keys, bigger values (splits), removals
            // (frees); from seed 5 on, also keys already yielded, which frees the leaf the scan is on
            for (let n = 0; n < 15; n++) {
              const ahead = Math.floor(random() * 120) + 1 - (seed > 4 ? 90 : 0);
              const i = reverse ? last - ahead : last + ahead;
              if (i < 0 || i >= 600) continue;
              const k = keyOf(i);
              const h = hashKey(k);
              const roll = random();
              if (i % 2 === 1 || roll < 0.4) {
                inserted.add(h);
                await upsert(tree, k, Math.floor(random() * 1500));
              } else if (roll < 0.8) {
                removed.add(h);
                await tree.remove(k);
              } else {
                await upsert(tree, k, Math.floor(random() * 1500));
              }
            }
          }
          const keys = seen.map((e) => e.key);
          expectOrdered(keys, reverse);
          const got = new Set(keys.map(hashKey));
          for (const h of initial) if (!removed.has(h)) expect(got.has(h)).toBe(true);
          for (const h of got) expect(initial.has(h) || inserted.has(h)).toBe(true);
          expect(seen.every(belongs)).toBe(true);
          expect((await tree.validate()).problems).toEqual([]);
          expect(store.live).toBe((await tree.pageNumbers()).length);
        }
      });
    }
  }

  for (const [name, opts] of STORES) {
    for (const reverse of [false, true]) {
      it(req(['INNODB-BTR-103'], 'unit', `a ${reverse ? 'reverse' : 'forward'} scan whose leaf and next leaf are freed and reused elsewhere re-descends, ${name}`), async () => {
        const store = new MemoryStore({ ...opts, pageSize: 4096, seed: 3 });
        const tree = new Btree(store, Btree.create(store, 1), 1, cmp2);
        const keyOf = (i: number): KeyPart[] => [i, 'k'];
        for (let i = 0; i < 300; i++) await upsert(tree, keyOf(i), 200);
        const seen: LeafEntry[] = [];
        const removed = new Set<string>();
        // the first leaf keeps one entry: emptying it is then the only change the scan's leaf sees
        for await (const b of tree.range({ reverse })) {
          for (const e of b.slice(1)) {
            removed.add(hashKey(e.key));
            await tree.remove(e.key);
          }
          break;
        }
        let first = true;
        for await (const batch of tree.range({ reverse })) {
          seen.push(...batch);
          if (!first) continue;
          first = false;
          // the leaf just yielded, and the one the scan goes to next, empty out and are freed ...
          let neighbour: LeafEntry[] = [];
          for await (const b of tree.range(reverse ? { high: { key: batch[batch.length - 1]!.key, inclusive: false }, reverse } : { low: { key: batch[batch.length - 1]!.key, inclusive: false } })) {
            neighbour = b;
            break;
          }
          for (const e of [...batch, ...neighbour]) {
            removed.add(hashKey(e.key));
            await tree.remove(e.key);
          }
          // ... and the next leaf's page number (freed last, so handed out first) comes back for a
          // new leaf at the far end of the tree, while the scan's own leaf stays free
          const before = store.allocations;
          for (let j = 0; store.allocations === before; j++) await upsert(tree, keyOf(reverse ? -1000 - j : 1000 + j), 1200);
        }
        const keys = seen.map((e) => e.key);
        expectOrdered(keys, reverse);
        const got = new Set(keys.map(hashKey));
        for (let i = 0; i < 300; i++) {
          const h = hashKey(keyOf(i));
          if (!removed.has(h)) expect(got.has(h)).toBe(true);
        }
        expect((await tree.validate()).problems).toEqual([]);
      });
    }
  }

  it(req(['INNODB-BTR-101', 'INNODB-BTR-103'], 'unit', 'scans, lookups and first run alongside a writer touching any key'), async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom<MemoryStoreOptions>({ mode: 'sync' }, { mode: 'async' }, { mode: 'mixed' }, { mode: 'mixed', evict: 0.05 }, { mode: 'mixed', evict: 0.3 }),
        fc.nat(),
        fc.array(
          fc.record({
            low: fc.option(fc.record({ key: fc.oneof(fc.tuple(fc.integer({ min: 0, max: 200 })), fc.tuple(fc.integer({ min: 0, max: 200 }), fc.constantFrom('', 's', 'x'))), inclusive: fc.boolean() }), { nil: undefined }),
            high: fc.option(fc.record({ key: fc.oneof(fc.tuple(fc.integer({ min: 0, max: 200 })), fc.tuple(fc.integer({ min: 0, max: 200 }), fc.constantFrom('', 's', 'x'))), inclusive: fc.boolean() }), { nil: undefined }),
            reverse: fc.boolean(),
          }),
          { minLength: 1, maxLength: 4 },
        ),
        async (opts, seed, ranges) => {
          const random = rng(seed);
          const store = new MemoryStore({ ...opts, pageSize: 4096, seed });
          const tree = new Btree(store, Btree.create(store, 3), 3, cmp2);
          // stable keys (multiples of 5, 's') are updated but never removed; the rest come and go
          const stable: KeyPart[][] = [];
          for (let i = 0; i <= 200; i += 5) stable.push([i, 's']);
          const current = new Map<string, KeyPart[]>();
          const ever = new Set<string>();
          /** Keys whose removal started, per running scan: they need not be seen. */
          const scans = new Set<Set<string>>();
          for (const k of stable) {
            await upsert(tree, k, Math.floor(random() * 1500));
            current.set(hashKey(k), k);
            ever.add(hashKey(k));
          }
          for (let i = 0; i < 150; i++) {
            const k: KeyPart[] = [Math.floor(random() * 201), random() < 0.5 ? 'x' : ''];
            await upsert(tree, k, Math.floor(random() * 1500));
            current.set(hashKey(k), k);
            ever.add(hashKey(k));
          }

          let writing = true;
          const writer = async (): Promise<void> => {
            for (let n = 0; n < 400 && writing; n++) {
              const roll = random();
              if (roll < 0.15) {
                const k = stable[Math.floor(random() * stable.length)]!;
                await upsert(tree, k, Math.floor(random() * 1500));
              } else {
                const k: KeyPart[] = [Math.floor(random() * 201), random() < 0.5 ? 'x' : ''];
                const h = hashKey(k);
                if (roll < 0.55) {
                  ever.add(h);
                  await upsert(tree, k, Math.floor(random() * 1500));
                  current.set(h, k);
                } else {
                  // marked before the tree changes: from now on a scan may miss it
                  current.delete(h);
                  for (const s of scans) s.add(h);
                  await tree.remove(k);
                }
              }
              if (random() < 0.3) await new Promise((r) => setImmediate(r));
            }
          };
          /** Any task failing stops the others (they loop while the writer writes). */
          const task = async <T>(run: () => Promise<T>): Promise<T> => {
            try {
              return await run();
            } finally {
              writing = false;
            }
          };
          const guarded = async <T>(run: () => Promise<T>): Promise<T> => {
            try {
              return await run();
            } catch (e) {
              writing = false;
              throw e;
            }
          };

          const scanner = async (r: RangeOptions): Promise<number> => {
            let scansDone = 0;
            do {
              const removed = new Set<string>();
              const atStart = [...current];
              scans.add(removed);
              const keys: (readonly KeyPart[])[] = [];
              for await (const batch of tree.range(r)) {
                for (const e of batch) {
                  expect(belongs(e)).toBe(true);
                  keys.push(e.key);
                }
                if (random() < 0.5) await new Promise((res) => setImmediate(res));
              }
              scans.delete(removed);
              expectOrdered(keys, r.reverse === true);
              const got = new Set(keys.map(hashKey));
              for (const k of keys) {
                expect(inRange(k, r)).toBe(true);
                expect(ever.has(hashKey(k))).toBe(true);
              }
              for (const [h, key] of atStart) {
                if (removed.has(h)) continue;
                if (inRange(key, r) && !got.has(h)) throw new Error(`scan ${JSON.stringify(r)} missed ${JSON.stringify(key)}, present throughout`);
              }
              scansDone++;
              // an empty range never waits: let the writer (waiting for a macrotask) go on
              await new Promise((res) => setImmediate(res));
            } while (writing);
            return scansDone;
          };

          const pointReader = async (): Promise<void> => {
            do {
              const i = Math.floor(random() * stable.length);
              const k = stable[i]!;
              const hit = await tree.lookup(k);
              if (hit === null || cmp2(hit.key, k) !== 0) throw new Error(`lookup ${JSON.stringify(k)} missed a stable key`);
              const f = await tree.first(k, true);
              if (f === null || cmp2(f.key, k) !== 0) throw new Error(`first(${JSON.stringify(k)}, inclusive) gave ${JSON.stringify(f?.key)}`);
              const after = await tree.first(k, false);
              const nextStable = stable[i + 1];
              if (nextStable !== undefined && (after === null || cmp2(after.key, k) <= 0 || cmp2(after.key, nextStable) > 0)) {
                throw new Error(`first(${JSON.stringify(k)}, exclusive) gave ${JSON.stringify(after?.key)}`);
              }
              const prefix = await tree.first([k[0]!], false);
              if (prefix !== null && (prefix.key[0] as number) <= (k[0] as number)) throw new Error(`first([${String(k[0])}], exclusive) gave ${JSON.stringify(prefix.key)}`);
              if (random() < 0.5) await new Promise((res) => setImmediate(res));
            } while (writing);
          };

          const results = await Promise.allSettled([task(writer), guarded(pointReader), ...ranges.map((r) => guarded(() => scanner(r)))]);
          for (const r of results) if (r.status === 'rejected') throw r.reason;
          expect(results.length).toBe(2 + ranges.length);
          const v = await tree.validate();
          expect(v.problems).toEqual([]);
          expect(v.entries).toBe(current.size);
          expect(store.live).toBe((await tree.pageNumbers()).length);
        },
      ),
      { numRuns: RUNS },
    );
  }, 120_000);
});
