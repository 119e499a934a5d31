/**
 * The compressed (packed) data file codec: random rows pack and read back equal, record pointers
 * are the offsets of the records, and random or damaged bytes give RecordCorrupt, never another
 * failure. The header fields are checked with plain Buffer reads, independently of the decoder.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Decimal, Temporal, type Row, type Value } from '../../../src/kernel/value.js';
import { packRecords, unpackRecords, packedSourceFormat } from '../../../src/storage/myisam/packed-codec.js';
import { RecordCorrupt, type ColumnInfo } from '../../../src/storage/myisam/record-codec.js';
import { req } from '../../helpers/req.js';

const value: fc.Arbitrary<Value> = fc.oneof(
  fc.bigInt({ min: -(1n << 63n), max: (1n << 64n) - 1n }),
  fc.double({ noNaN: true }),
  fc.string({ maxLength: 40 }),
  fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)),
  fc.tuple(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), fc.integer({ min: 0, max: 30 })).map(([u, s]) => new Decimal(u, s)),
  fc.constant(new Temporal('DATETIME', 2024, 2, 29, 13, 5, 59, 123456, 6, false)),
);

const table = fc.integer({ min: 1, max: 6 }).chain((n) =>
  fc.tuple(
    fc.array(fc.boolean(), { minLength: n, maxLength: n }),
    fc.array(fc.array(fc.option(value, { nil: null }), { minLength: n, maxLength: n }), { maxLength: 40 }),
  ),
);

function cols(nullable: boolean[]): ColumnInfo[] {
  return nullable.map((nl) => ({ nullable: nl, width: 400, binary: false }));
}

describe('MyISAM packed data file codec', () => {
  it(req(['MYISAM-110', 'MYISAM-112', 'MYISAM-029'], 'unit', 'random rows (strings, blobs, numbers, decimals, temporals, NULLs) pack and read back equal, pointers at record offsets'), () => {
    fc.assert(
      fc.property(table, ([nullable, raw]) => {
        const columns = cols(nullable);
        const rows: Row[] = raw.map((r) => r.map((v, i) => (v === null && !nullable[i] ? 0n : v)));
        const fmt = rows.length % 2 === 0 ? 'fixed' : 'dynamic';
        const { data, ptrs } = packRecords(columns, rows, fmt);
        expect([...data.subarray(0, 4)]).toEqual([0xfe, 0xfe, 0x08, 0x52]);
        expect(data.readUInt32BE(8)).toBe(rows.length);
        expect(packedSourceFormat(data)).toBe(fmt);
        const back = unpackRecords(columns, data);
        expect(back.bad).toBe(0);
        expect(back.records.map((r) => r.ptr)).toEqual(ptrs);
        expect(back.records.map((r) => r.row)).toEqual(rows);
        // The first record starts where the header says, after the dictionary.
        if (ptrs.length > 0) expect(ptrs[0]).toBe(data.readUInt32BE(4));
      }),
      { numRuns: 150 },
    );
  });

  it(req(['MYISAM-111'], 'unit', 'repetitive rows compress to far less than their encoded size'), () => {
    const columns = cols([false, true]);
    const rows: Row[] = Array.from({ length: 500 }, (_, i) => [BigInt(i), `customer ${i % 20} lives in the same town`]);
    const { data } = packRecords(columns, rows, 'dynamic');
    const plain = rows.reduce((n, r) => n + 3 + 9 + 5 + Buffer.byteLength(r[1] as string), 0);
    expect(data.length).toBeLessThan(plain / 3);
  });

  it(req(['MYISAM-110'], 'unit', 'random bytes and damaged packed files give RecordCorrupt, never another error'), () => {
    const columns = cols([true, false]);
    const good = packRecords(columns, [[1n, 'abc'], [null, 'defg'], [3n, 'x'.repeat(300)]], 'fixed').data;
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.boolean(), (bytes, withMagic) => {
        const b = Buffer.from(bytes);
        if (withMagic && b.length >= 4) Buffer.from([0xfe, 0xfe, 0x08, 0x52]).copy(b);
        try {
          const r = unpackRecords(columns, b);
          expect(r.bad + r.records.length).toBeGreaterThanOrEqual(0);
        } catch (e) {
          expect(e).toBeInstanceOf(RecordCorrupt);
        }
      }),
      { numRuns: 400 },
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: good.length - 1 }), fc.integer({ min: 1, max: 255 }), (at, x) => {
        const b = Buffer.from(good);
        b[at] = b[at]! ^ x;
        try {
          const r = unpackRecords(columns, b);
          // A damaged record is counted, or (a flip that still decodes) the rows are still whole rows.
          for (const rec of r.records) expect(rec.row.length).toBe(2);
        } catch (e) {
          expect(e).toBeInstanceOf(RecordCorrupt);
        }
      }),
      { numRuns: 300 },
    );
    // A truncated file loses its last record and says so.
    const cut = unpackRecords(columns, good.subarray(0, good.length - 2));
    expect(cut.records.length).toBe(2);
    expect(cut.bad).toBe(1);
  });
});
