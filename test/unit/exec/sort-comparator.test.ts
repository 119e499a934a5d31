/**
 * ORDER BY's per-column string comparator (CORE-PERF-049): with the collation looked up once
 * and printable ASCII weighed in place under utf8mb4_0900_ai_ci, it orders any two strings as
 * compareStrings does, and the sorter puts rows of mixed ASCII, non-ASCII and NULL keys in the
 * order a sort by compareValues gives (ties in arrival order), with and without a LIMIT.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareStrings, stringComparator } from '../../../src/kernel/charset/index.js';
import type { Value } from '../../../src/kernel/value.js';
import { compareValues } from '../../../src/exec/query/compare.js';
import { Sorter } from '../../../src/exec/query/run/sort.js';
import { req } from '../../helpers/req.js';

const COLLATIONS = ['utf8mb4_0900_ai_ci', 'utf8mb4_unicode_ci', 'utf8mb4_general_ci', 'utf8mb4_bin', 'utf8mb4_0900_as_cs', 'latin1_swedish_ci', 'binary', undefined];
/** Printable ASCII weighted towards characters that tie under case folding, plus non-ASCII,
 *  control characters and trailing spaces. */
const text = fc.oneof(
  fc.string({ unit: fc.constantFrom('a', 'A', 'b', 'B', 'z', '-', '_', ' ', '0', '9', '.', '~', '`', '@'), maxLength: 8 }),
  fc.string({ unit: fc.constantFrom('a', 'é', 'E', '\t', 'ß', 'ｱ', ' ', '😀'), maxLength: 6 }),
);

describe('ORDER BY string comparator', () => {
  it(req(['CORE-PERF-049', 'CORE-TYPE-012'], 'unit', 'the per-collation comparator orders two strings as compareStrings does'), () => {
    fc.assert(
      fc.property(text, text, fc.constantFrom(...COLLATIONS), (a, b, coll) => {
        expect(Math.sign(stringComparator(coll)(a, b))).toBe(Math.sign(compareStrings(a, b, coll)));
      }),
      { numRuns: 5000 },
    );
  });

  it(req(['CORE-PERF-049', 'CORE-EXEC-034'], 'unit', 'the sorter orders string and NULL keys as a sort by compareValues does, with and without a LIMIT'), () => {
    // A column holds one kind of value: strings or NULL.
    const key: fc.Arbitrary<Value> = fc.oneof(text, fc.constant(null));
    fc.assert(
      fc.property(
        fc.array(fc.tuple(key, key), { maxLength: 40 }),
        fc.tuple(fc.boolean(), fc.boolean()),
        fc.tuple(fc.constantFrom(...COLLATIONS), fc.constantFrom(...COLLATIONS)),
        fc.integer({ min: -1, max: 10 }),
        (rows, desc, colls, keep) => {
          const s = new Sorter<number>(keep, desc, colls);
          rows.forEach((k, i) => s.push(i, [...k]));
          const expected = rows
            .map((k, i) => ({ k, i }))
            .sort((x, y) => {
              for (let p = 0; p < 2; p++) {
                const c = compareValues(x.k[p]!, y.k[p]!, colls[p]);
                if (c !== 0) return desc[p] ? -c : c;
              }
              return x.i - y.i;
            })
            .map((e) => e.i);
          expect(s.result()).toEqual(keep < 0 ? expected : expected.slice(0, keep));
        },
      ),
      { numRuns: 1000 },
    );
  });
});
