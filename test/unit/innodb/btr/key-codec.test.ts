/**
 * The B+tree key codec: every KeyPart variant comes back exactly (number stays number with its
 * sign of zero, bigint stays bigint at any size, strings with lone surrogates, Buffers, temporal
 * tuples), and malformed bytes are refused with an Error.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeKey, encodeKey } from '../../../../src/storage/innodb/btr/key-codec.js';
import type { KeyPart } from '../../../../src/storage/keys.js';
import { req } from '../../../helpers/req.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 500);

const loneSurrogates = fc.string({ unit: fc.integer({ min: 0xd7f0, max: 0xe010 }).map((c) => String.fromCharCode(c)) });

const keyPartArb: fc.Arbitrary<KeyPart> = fc.oneof(
  fc.constant(null),
  fc.double(),
  fc.integer(),
  fc.constantFrom(0, -0, 2 ** 31 - 1, -(2 ** 31), 2 ** 31, -(2 ** 31) - 1, Number.MAX_SAFE_INTEGER, -Number.MAX_VALUE, Number.MIN_VALUE, NaN, Infinity, -Infinity, 0.1),
  fc.bigInt(),
  fc.bigInt({ min: -(1n << 600n), max: 1n << 600n }),
  fc.constantFrom(0n, -1n, 1n, 255n, 256n, -(1n << 64n)),
  fc.string(),
  fc.string({ unit: 'binary' }),
  loneSurrogates,
  fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)),
  fc.array(fc.oneof(fc.integer(), fc.double()), { maxLength: 8 }).map((t) => ({ t })),
);

/** Deep equality that also tells number from bigint and 0 from -0. */
function same(a: readonly KeyPart[], b: readonly KeyPart[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((x, i) => {
    const y = b[i]!;
    if (x === null || y === null) return x === y;
    if (typeof x !== typeof y) return false;
    if (typeof x === 'number' || typeof x === 'bigint' || typeof x === 'string') return Object.is(x, y);
    if (Buffer.isBuffer(x)) return Buffer.isBuffer(y) && x.equals(y);
    if (Buffer.isBuffer(y)) return false;
    const tx = x.t;
    const ty = (y as { t: number[] }).t;
    return tx.length === ty.length && tx.every((v, j) => Object.is(v, ty[j]));
  });
}

describe('btr key codec', () => {
  it(req(['INNODB-BTR-105'], 'unit', 'every key part variant round-trips exactly'), () => {
    fc.assert(
      fc.property(fc.array(keyPartArb, { maxLength: 6 }), (key) => {
        const back = decodeKey(encodeKey(key));
        expect(same(back, key)).toBe(true);
        expect(back).toEqual(key);
      }),
      { numRuns: RUNS },
    );
  });

  it(req(['INNODB-BTR-105'], 'unit', 'numbers stay numbers, bigints stay bigints, -0 keeps its sign'), () => {
    const key: KeyPart[] = [-0, 0, 5, 5n, 2 ** 53, 2n ** 200n, -(2n ** 200n), 1.5, null, '', Buffer.alloc(0), { t: [2024, 1, 2, -3, 0, 0, 999999] }];
    const back = decodeKey(encodeKey(key));
    expect(Object.is(back[0], -0)).toBe(true);
    expect(Object.is(back[1], 0)).toBe(true);
    expect(typeof back[2]).toBe('number');
    expect(typeof back[3]).toBe('bigint');
    expect(typeof back[4]).toBe('number');
    expect(back[5]).toBe(2n ** 200n);
    expect(back[6]).toBe(-(2n ** 200n));
    expect(same(back, key)).toBe(true);
    expect(encodeKey([])).toEqual(Buffer.alloc(0));
    expect(decodeKey(Buffer.alloc(0))).toEqual([]);
  });

  it(req(['INNODB-BTR-105'], 'unit', 'a string with a lone surrogate round-trips (UTF-8 could not carry it)'), () => {
    for (const s of ['\ud800', 'a\udc00b', '\udbff\ud800', '😀', 'x\ud83d']) {
      const back = decodeKey(encodeKey([s]));
      expect(back).toEqual([s]);
    }
  });

  it(req(['INNODB-BTR-105'], 'unit', 'decoded Buffers are copies, not views of the input'), () => {
    const bytes = encodeKey([Buffer.from('abc')]);
    const back = decodeKey(bytes);
    bytes.fill(0);
    expect(back[0]).toEqual(Buffer.from('abc'));
  });

  it(req(['INNODB-BTR-105'], 'unit', 'malformed key bytes throw an Error naming the offset'), () => {
    expect(() => decodeKey(Buffer.from([0x7f]))).toThrow(/malformed key: unknown tag 127 at offset 0/);
    expect(() => decodeKey(Buffer.from([0x02, 0, 0]))).toThrow(/malformed key/);
    expect(() => decodeKey(Buffer.from([0x05, 10, 0x61]))).toThrow(/malformed key: needs 10 bytes/);
    expect(() => decodeKey(Buffer.from([0x05, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]))).toThrow(/malformed key/);
    expect(() => decodeKey(Buffer.from([0x08, 100, 0x02, 0, 0, 0, 1]))).toThrow(/malformed key: temporal of 100/);
    expect(() => decodeKey(Buffer.from([0x08, 1, 0x05, 0, 0, 0, 0]))).toThrow(/where a number was expected/);
    // any truncation of a valid key is refused or decodes to fewer parts, never crashes with a non-Error
    fc.assert(
      fc.property(fc.array(keyPartArb, { minLength: 1, maxLength: 4 }), fc.nat(), (key, cut) => {
        const bytes = encodeKey(key);
        const part = bytes.subarray(0, cut % bytes.length);
        try {
          decodeKey(part);
        } catch (e) {
          expect(e).toBeInstanceOf(Error);
          expect((e as Error).message).toMatch(/^malformed key/);
        }
      }),
      { numRuns: RUNS },
    );
  });
});
