/**
 * The MEMORY engine's sorted (BTREE) index against a naive sorted-array model.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareJoinedKey, compareKeys, keyPart, type KeyPart } from '../../../src/storage/keys.js';
import { SortedIndex } from '../../../src/storage/memory/sorted-index.js';
import { req } from '../../helpers/req.js';

type Op = { kind: 'ins'; k: number | null; slot: number } | { kind: 'del'; pick: number };

function naiveSorted(entries: { key: KeyPart[]; slot: number }[]): { key: KeyPart[]; slot: number }[] {
  return [...entries].sort((a, b) => compareKeys(a.key, b.key, []) || a.slot - b.slot);
}

describe('SortedIndex', () => {
  it(req(['MEMORY-050', 'MEMORY-053', 'MEMORY-054'], 'unit', 'random inserts/deletes agree with a sorted-array model for eq and range reads'), () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.record({ kind: fc.constant('ins' as const), k: fc.option(fc.integer({ min: -20, max: 20 }), { nil: null }), slot: fc.nat(10_000) }),
            fc.record({ kind: fc.constant('del' as const), pick: fc.nat() }),
          ),
          { maxLength: 300 },
        ),
        fc.integer({ min: -22, max: 22 }),
        fc.integer({ min: -22, max: 22 }),
        (ops: Op[], a, b) => {
          const idx = new SortedIndex([{}]);
          let model: { key: KeyPart[]; slot: number }[] = [];
          const used = new Set<number>();
          for (const op of ops) {
            if (op.kind === 'ins') {
              if (used.has(op.slot)) continue;
              used.add(op.slot);
              const key = [keyPart(op.k === null ? null : BigInt(op.k), {})];
              idx.insert(key, op.slot);
              model.push({ key, slot: op.slot });
            } else if (model.length > 0) {
              const e = model[op.pick % model.length]!;
              expect(idx.delete(e.key, e.slot)).toBe(true);
              model = model.filter((x) => x !== e);
              used.delete(e.slot);
            }
          }
          const sorted = naiveSorted(model);
          expect([...idx.range()].map((e) => e.slot)).toEqual(sorted.map((e) => e.slot));
          const lo = Math.min(a, b);
          const hi = Math.max(a, b);
          const low = { key: [BigInt(lo)] as KeyPart[], inclusive: true };
          const high = { key: [BigInt(hi)] as KeyPart[], inclusive: false };
          const want = sorted.filter((e) => e.key[0] !== null && Number(e.key[0]) >= lo && Number(e.key[0]) < hi).map((e) => e.slot);
          expect([...idx.range(low, high)].map((e) => e.slot)).toEqual(want);
          expect([...idx.range(low, high, true)].map((e) => e.slot)).toEqual([...want].reverse());
          const eq = sorted.filter((e) => e.key[0] !== null && Number(e.key[0]) === lo).map((e) => e.slot);
          expect([...idx.eq([BigInt(lo)])].map((e) => e.slot)).toEqual(eq);
          expect(idx.size).toBe(model.length);
        },
      ),
      { numRuns: 200 },
    );
  });

  it(req(['MEMORY-050'], 'unit', 'handles 100k random keys with ordered scans and point reads'), () => {
    const idx = new SortedIndex([{}]);
    const n = 100_000;
    let x = 12345;
    const keys: bigint[] = [];
    for (let i = 0; i < n; i++) {
      x = (x * 1103515245 + 12345) % 2147483648;
      const k = BigInt(x % 1_000_000);
      keys.push(k);
      idx.insert([k], i);
    }
    expect(idx.size).toBe(n);
    let prev: bigint | null = null;
    let count = 0;
    let ordered = true;
    for (const e of idx.range()) {
      const k = e.key[0] as bigint;
      if (prev !== null && k < prev) ordered = false;
      prev = k;
      count++;
    }
    expect(ordered).toBe(true);
    expect(count).toBe(n);
    for (let i = 0; i < 1000; i++) {
      const k = keys[i * 97]!;
      expect([...idx.eq([k])].some((e) => e.slot === i * 97)).toBe(true);
    }
  });

  it(req(['INNODB-LOCK-307', 'INNODB-BTR-101'], 'unit', 'with a tie key (InnoDB secondary entries: the row\'s clustering key) equal keys come out in tie order, deletes find their entry, and from() starts at the first entry past a bound'), () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ k: fc.integer({ min: 0, max: 3 }), pk: fc.integer({ min: 0, max: 10_000 }) }), { maxLength: 300 }),
        fc.nat(),
        fc.record({ k: fc.integer({ min: -1, max: 4 }), pk: fc.integer({ min: -1, max: 10_001 }) }),
        (rows, drop, bound) => {
          const uniq = [...new Map(rows.map((r) => [r.pk, r])).values()];
          const idx = new SortedIndex([{}], [{}]);
          const part = (n: number): KeyPart[] => [keyPart(BigInt(n), {})];
          uniq.forEach((r, slot) => idx.insert(part(r.k), slot, part(r.pk)));
          const gone = uniq.length > 0 ? drop % uniq.length : -1;
          if (gone >= 0) expect(idx.delete(part(uniq[gone]!.k), gone, part(uniq[gone]!.pk))).toBe(true);
          const live = uniq.map((r, slot) => ({ ...r, slot })).filter((r) => r.slot !== gone);
          const want = [...live].sort((a, b) => a.k - b.k || a.pk - b.pk);
          expect([...idx.range()].map((e) => e.slot)).toEqual(want.map((r) => r.slot));
          // The first entry whose (k, pk) is past the bound, by binary search.
          const past = (e: { key: KeyPart[]; tie?: KeyPart[] }): boolean => {
            const c = compareKeys([...e.key, ...e.tie!], [...part(bound.k), ...part(bound.pk)], [{}, {}]);
            return c > 0;
          };
          const first = idx.from((e) => !past(e)).next();
          const expected = want.find((r) => r.k > bound.k || (r.k === bound.k && r.pk > bound.pk));
          expect(first.done ? undefined : first.value.slot).toBe(expected?.slot);
        },
      ),
    );
  });

  it(req(['INNODB-LOCK-307', 'CORE-PERF-046'], 'unit', 'a secondary entry compared as its key followed by its tie, without joining them, orders as the joined tuple does'), () => {
    const part = fc.oneof(fc.constant(null), fc.integer({ min: -3, max: 3 }), fc.constantFrom('a', 'b', 'B'));
    fc.assert(
      fc.property(
        fc.array(part, { maxLength: 3 }),
        fc.option(fc.array(part, { maxLength: 3 }), { nil: undefined }),
        fc.array(part, { maxLength: 6 }),
        fc.array(fc.record({ desc: fc.boolean() }), { maxLength: 6 }),
        (head, tail, b, specs) => {
          const joined = [...head, ...(tail ?? [])].map((v) => keyPart(v, {}));
          const h = head.map((v) => keyPart(v, {}));
          const t = tail?.map((v) => keyPart(v, {}));
          const k = b.map((v) => keyPart(v, {}));
          expect(Math.sign(compareJoinedKey(h, t, k, specs))).toBe(Math.sign(compareKeys(joined, k, specs)));
        },
      ),
    );
  });
});
