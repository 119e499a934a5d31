/**
 * The record codec: hand-built byte layouts for each tag, exact round trips of every Value
 * variant (huge and negative bigints, -0/NaN/Infinity, lone surrogates, Decimal, Temporal),
 * records decoded back to back from one buffer, and corruption handling: random bytes, flipped
 * bytes and every truncation only ever throw RecordCorruptError.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Decimal, Temporal, type Value } from '../../../../src/kernel/value.js';
import { RecordCorruptError, decodeRecord, encodeRecord } from '../../../../src/storage/innodb/row/record-codec.js';
import { req } from '../../../helpers/req.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 300);

/** Exact equality of values: Object.is for doubles (so -0 and NaN count), field by field for the classes. */
function same(a: Value, b: Value): boolean {
  if (a === null || b === null) return a === b;
  if (typeof a === 'number' || typeof b === 'number') return Object.is(a, b);
  if (typeof a === 'bigint' || typeof a === 'string') return a === b;
  if (Buffer.isBuffer(a)) return Buffer.isBuffer(b) && a.equals(b);
  if (a instanceof Decimal) return b instanceof Decimal && a.unscaled === b.unscaled && a.scale === b.scale;
  return (
    b instanceof Temporal &&
    a.kind === b.kind &&
    a.year === b.year &&
    a.month === b.month &&
    a.day === b.day &&
    a.hour === b.hour &&
    a.minute === b.minute &&
    a.second === b.second &&
    a.micro === b.micro &&
    a.fsp === b.fsp &&
    a.negative === b.negative
  );
}

function sameRow(a: readonly Value[], b: readonly Value[]): boolean {
  return a.length === b.length && a.every((v, i) => same(v, b[i]!));
}

const anyString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme' }),
  // raw UTF-16 code units: lone surrogates and surrogate pairs in any order
  fc.array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 24 }).map((a) => String.fromCharCode(...a)),
  fc.array(fc.integer({ min: 0xd7f0, max: 0xe010 }), { maxLength: 8 }).map((a) => String.fromCharCode(...a)),
);

const value: fc.Arbitrary<Value> = fc.oneof(
  fc.constant(null),
  fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }),
  fc.bigInt({ min: -(2n ** 600n), max: 2n ** 600n }),
  fc.constantFrom(0n, -1n, 63n, -64n, 64n, -65n, 2n ** 63n - 1n, -(2n ** 63n), 2n ** 64n - 1n, 2n ** 64n),
  fc.double(),
  fc.constantFrom(-0, 0, NaN, Infinity, -Infinity, Number.MIN_VALUE, Number.MAX_VALUE),
  anyString,
  fc.uint8Array({ maxLength: 300 }).map((u) => Buffer.from(u)),
  fc.record({ u: fc.bigInt({ min: -(10n ** 70n), max: 10n ** 70n }), s: fc.integer({ min: -10, max: 65 }) }).map(({ u, s }) => new Decimal(u, s)),
  fc
    .record({
      kind: fc.constantFrom('DATE', 'TIME', 'DATETIME', 'TIMESTAMP' as const),
      y: fc.integer({ min: 0, max: 9999 }),
      mo: fc.integer({ min: 0, max: 12 }),
      d: fc.integer({ min: 0, max: 31 }),
      h: fc.integer({ min: 0, max: 838 }),
      mi: fc.integer({ min: 0, max: 59 }),
      s: fc.integer({ min: 0, max: 59 }),
      us: fc.integer({ min: 0, max: 999999 }),
      fsp: fc.integer({ min: 0, max: 6 }),
      neg: fc.boolean(),
    })
    .map((t) => new Temporal(t.kind, t.y, t.mo, t.d, t.h, t.mi, t.s, t.us, t.fsp, t.neg)),
);
const row = fc.array(value, { maxLength: 20 });

function expectCorrupt(f: () => unknown): void {
  try {
    f();
  } catch (e) {
    if (e instanceof RecordCorruptError) return;
    throw new Error(`threw something other than RecordCorruptError: ${String(e)}`);
  }
  throw new Error('did not throw');
}

describe('record codec layout', () => {
  const hex = (vs: Value[]) => encodeRecord(vs).toString('hex');
  it(req(['INNODB-ROW-101'], 'unit', 'field count, null bitmap and tags are laid out as documented'), () => {
    expect(hex([])).toBe('00');
    expect(hex([null])).toBe('0101');
    // 9 fields: two bitmap bytes; fields 0 and 8 NULL
    expect(hex([null, 1n, 1n, 1n, 1n, 1n, 1n, 1n, null])).toBe('09' + '0101' + '0102'.repeat(7));
    // bigint: zigzag LEB128 (1 -> 2, -1 -> 1, 64 -> 128 = 80 01, -65 -> 129 = 81 01)
    expect(hex([1n, -1n, 64n, -65n])).toBe('04' + '00' + '0102' + '0101' + '018001' + '018101');
    // 2^64: zigzag 2^65 = ten 7-bit groups
    expect(hex([2n ** 64n])).toBe('0100' + '01' + '80808080808080808004');
    // double: 8 bytes little-endian
    const d = Buffer.alloc(8);
    d.writeDoubleLE(-0);
    expect(hex([-0])).toBe('0100' + '02' + d.toString('hex'));
    // strings: UTF-8 when well formed, UTF-16LE when a surrogate is alone
    expect(hex(['é'])).toBe('0100' + '03' + '02' + 'c3a9');
    expect(hex(['😀'])).toBe('0100' + '03' + '04' + 'f09f9880');
    expect(hex(['a\uD800'])).toBe('0100' + '04' + '04' + '610000d8');
    expect(hex([Buffer.from([1, 2, 255])])).toBe('0100' + '05' + '03' + '0102ff');
    // decimal: zigzag scale, then the unscaled value as a bigint (-12345 -> 24689 = f1 c0 01)
    expect(hex([new Decimal(-12345n, 2)])).toBe('0100' + '06' + '04' + 'f1c001');
    // temporal: flags (TIME = 1, negative = 4), then zigzag year..fsp
    expect(hex([new Temporal('TIME', 0, 0, 0, 838, 59, 58, 999999, 6, true)])).toBe(
      '0100' + '07' + '05' + '00' + '00' + '00' + '8c0d' + '76' + '74' + 'fe887a' + '0c',
    );
  });

  it(req(['INNODB-ROW-101'], 'unit', 'a leading byte-order mark and the empty string survive'), () => {
    for (const s of ['\uFEFFx', '\uFEFF', '', '\u0000']) expect(decodeRecord(encodeRecord([s])).values).toEqual([s]);
  });

  it(req(['INNODB-ROW-101'], 'unit', 'decoding copies byte strings out of the source buffer'), () => {
    const src = encodeRecord([Buffer.from('abc')]);
    const out = decodeRecord(src).values[0] as Buffer;
    src.fill(0);
    expect(out.toString()).toBe('abc');
  });

  it(req(['INNODB-ROW-101'], 'unit', 'values no Value can be are refused at encoding'), () => {
    expect(() => encodeRecord([new Decimal(1n, 1.5)])).toThrow(RangeError);
    expect(() => encodeRecord([new Temporal('DATE', 2024.5, 1, 1, 0, 0, 0, 0)])).toThrow(RangeError);
    expect(() => encodeRecord([{} as unknown as Value])).toThrow(TypeError);
  });

  it(req(['INNODB-ROW-101'], 'unit', 'hand-made corrupt inputs throw RecordCorruptError'), () => {
    expectCorrupt(() => decodeRecord(Buffer.alloc(0)));
    expectCorrupt(() => decodeRecord(Buffer.from('0100ff', 'hex'))); // unknown tag
    expectCorrupt(() => decodeRecord(Buffer.from('0102', 'hex'))); // unused bitmap bit set
    expectCorrupt(() => decodeRecord(Buffer.from('010003 02 c328'.replace(/ /g, ''), 'hex'))); // invalid UTF-8
    expectCorrupt(() => decodeRecord(Buffer.from('010004 03 610000'.replace(/ /g, ''), 'hex'))); // odd UTF-16 length
    expectCorrupt(() => decodeRecord(Buffer.from('010007 08', 'hex'))); // temporal flag bit 3
    expectCorrupt(() => decodeRecord(Buffer.from('ffffffffffffffff7f', 'hex'))); // varint too long
    expectCorrupt(() => decodeRecord(Buffer.from('00', 'hex'), 2)); // offset past the end
  });
});

describe('record codec properties', () => {
  it(req(['INNODB-ROW-101'], 'unit', 'every row round-trips exactly'), () => {
    fc.assert(
      fc.property(row, (vs) => {
        const enc = encodeRecord(vs);
        const { values, end } = decodeRecord(enc);
        expect(end).toBe(enc.length);
        expect(sameRow(values, vs)).toBe(true);
      }),
      { numRuns: RUNS * 3 },
    );
  });

  it(req(['INNODB-ROW-101'], 'unit', 'records written back to back decode one after another from their offsets'), () => {
    fc.assert(
      fc.property(fc.array(row, { minLength: 1, maxLength: 5 }), fc.uint8Array({ maxLength: 4 }), (rows, junk) => {
        const all = Buffer.concat([Buffer.from(junk), ...rows.map(encodeRecord)]);
        let at = junk.length;
        for (const r of rows) {
          const d = decodeRecord(all, at);
          expect(sameRow(d.values, r)).toBe(true);
          at = d.end;
        }
        expect(at).toBe(all.length);
      }),
      { numRuns: RUNS },
    );
  });

  it(req(['INNODB-ROW-101'], 'unit', 'every truncation of a valid record throws RecordCorruptError'), () => {
    fc.assert(
      fc.property(row, (vs) => {
        const enc = encodeRecord(vs);
        for (let len = 0; len < enc.length; len++) expectCorrupt(() => decodeRecord(enc.subarray(0, len)));
      }),
      { numRuns: RUNS },
    );
  });

  it(req(['INNODB-ROW-101'], 'unit', 'random bytes only ever decode or throw RecordCorruptError'), () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.nat(210), (bytes, offset) => {
        try {
          const { end } = decodeRecord(Buffer.from(bytes), offset);
          expect(end).toBeLessThanOrEqual(bytes.length);
        } catch (e) {
          expect(e).toBeInstanceOf(RecordCorruptError);
        }
      }),
      { numRuns: RUNS * 10 },
    );
  });

  it(req(['INNODB-ROW-101'], 'unit', 'valid records with flipped bytes only ever decode or throw RecordCorruptError'), () => {
    fc.assert(
      fc.property(row, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 4 }), (vs, flips) => {
        const enc = encodeRecord(vs);
        if (enc.length === 0) return;
        for (const [at, x] of flips) enc[at % enc.length] ^= x;
        try {
          decodeRecord(enc);
        } catch (e) {
          expect(e).toBeInstanceOf(RecordCorruptError);
        }
      }),
      { numRuns: RUNS * 3 },
    );
  });
});
