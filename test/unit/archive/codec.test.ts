/**
 * The ARCHIVE row codec and `.ARZ` framing as units: rows of random layouts round-trip, random
 * or damaged bytes give ArchiveCorruptError (never another exception, never a hang), skipped
 * columns are stepped over without being decoded, and the bytes of a record and a member match
 * what is built here by hand.
 */
import fc from 'fast-check';
import { crc32, deflateRawSync, inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { ColumnDef } from '../../../src/kernel/table-def.js';
import type { TypeName } from '../../../src/kernel/column-type.js';
import { Decimal, Temporal, type Row, type Value } from '../../../src/kernel/value.js';
import { decodeHeader, encodeHeader, encodeMember, inflateMember, scanMembers } from '../../../src/storage/archive/arz-file.js';
import { ArchiveCorruptError, decodeRecords, encodeRecord, packRow, rowLayout, splitRecords, unpackRow } from '../../../src/storage/archive/row-codec.js';
import { req } from '../../helpers/req.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 300);

type Kind = 'TINYINT' | 'SMALLINT' | 'MEDIUMINT' | 'INT' | 'BIGINT' | 'DOUBLE' | 'VARCHAR' | 'BLOB' | 'DECIMAL' | 'DATETIME' | 'JSON';
const WIDTH: Partial<Record<Kind, number>> = { TINYINT: 8, SMALLINT: 16, MEDIUMINT: 24, INT: 32, BIGINT: 64 };

function column(kind: Kind, nullable: boolean, unsigned: boolean, i: number): ColumnDef {
  return { name: `c${i}`, type: { name: kind as TypeName, unsigned }, nullable, autoIncrement: false, comment: '' };
}

function valueOf(c: ColumnDef): fc.Arbitrary<Value> {
  const kind = c.type.name as Kind;
  const w = WIDTH[kind];
  let v: fc.Arbitrary<Value>;
  if (w !== undefined) {
    v = c.type.unsigned ? fc.bigInt({ min: 0n, max: (1n << BigInt(w)) - 1n }) : fc.bigInt({ min: -(1n << BigInt(w - 1)), max: (1n << BigInt(w - 1)) - 1n });
  } else if (kind === 'DOUBLE') v = fc.double();
  else if (kind === 'VARCHAR' || kind === 'JSON') v = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.string({ unit: fc.integer({ min: 0xd800, max: 0xdfff }).map((n) => String.fromCharCode(n)) }));
  else if (kind === 'BLOB') v = fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a));
  else if (kind === 'DECIMAL') v = fc.tuple(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), fc.integer({ min: 0, max: 30 })).map(([u, s]) => new Decimal(u, s));
  else
    v = fc
      .record({ y: fc.integer({ min: 0, max: 9999 }), mo: fc.integer({ min: 0, max: 12 }), d: fc.integer({ min: 0, max: 31 }), h: fc.integer({ min: 0, max: 838 }), mi: fc.integer({ min: 0, max: 59 }), s: fc.integer({ min: 0, max: 59 }), us: fc.integer({ min: 0, max: 999999 }), fsp: fc.integer({ min: 0, max: 6 }), k: fc.constantFrom('DATE', 'TIME', 'DATETIME', 'TIMESTAMP' as const), neg: fc.boolean() })
      .map((t) => new Temporal(t.k, t.y, t.mo, t.d, t.h, t.mi, t.s, t.us, t.fsp, t.neg));
  return c.nullable ? fc.option(v, { nil: null, freq: 4 }) : v;
}

const columns: fc.Arbitrary<ColumnDef[]> = fc
  .array(fc.tuple(fc.constantFrom<Kind>('TINYINT', 'SMALLINT', 'MEDIUMINT', 'INT', 'BIGINT', 'DOUBLE', 'VARCHAR', 'BLOB', 'DECIMAL', 'DATETIME', 'JSON'), fc.boolean(), fc.boolean()), { minLength: 1, maxLength: 12 })
  .map((cs) => cs.map(([k, n, u], i) => column(k, n, u, i)));

const tableAndRows = columns.chain((cols) => fc.tuple(fc.constant(cols), fc.array(fc.tuple(...cols.map(valueOf)), { maxLength: 20 })));

/** Run `f`; it may succeed or throw ArchiveCorruptError, nothing else. */
function corruptOrFine(f: () => unknown): void {
  try {
    f();
  } catch (e) {
    expect(e, String(e)).toBeInstanceOf(ArchiveCorruptError);
  }
}

describe('ARCHIVE row codec', () => {
  it(req(['ARCHIVE-040', 'ARCHIVE-041'], 'unit', 'rows of random layouts round-trip through records and compressed members'), () => {
    fc.assert(
      fc.property(tableAndRows, ([cols, rows]) => {
        const layout = rowLayout({ columns: cols });
        const raw = Buffer.concat(rows.map((r) => encodeRecord(layout, r as Row)));
        expect(decodeRecords(layout, raw)).toEqual(rows);
        const member = encodeMember(raw);
        const { raw: back, length } = inflateMember(member);
        expect(length).toBe(member.length);
        expect(decodeRecords(layout, back)).toEqual(rows);
      }),
      { numRuns: RUNS },
    );
  });

  it(req(['ARCHIVE-041'], 'unit', 'random bytes, and records or members damaged at random, give ArchiveCorruptError and nothing else'), () => {
    fc.assert(
      fc.property(tableAndRows, fc.uint8Array({ maxLength: 200 }), fc.nat(), fc.integer({ min: 1, max: 255 }), ([cols, rows], junk, at, xor) => {
        const layout = rowLayout({ columns: cols });
        const bytes = Buffer.from(junk);
        corruptOrFine(() => decodeRecords(layout, bytes));
        corruptOrFine(() => unpackRow(layout, bytes, 0, bytes.length));
        corruptOrFine(() => inflateMember(bytes));
        corruptOrFine(() => decodeHeader(bytes));
        const raw = Buffer.concat(rows.map((r) => encodeRecord(layout, r as Row)));
        if (raw.length > 0) {
          const bad = Buffer.from(raw);
          bad[at % bad.length]! ^= xor;
          corruptOrFine(() => decodeRecords(layout, bad));
        }
        const member = encodeMember(raw);
        const torn = Buffer.from(member);
        torn[at % torn.length]! ^= xor;
        corruptOrFine(() => inflateMember(torn));
        corruptOrFine(() => inflateMember(member.subarray(0, at % member.length)));
        // A file walk stops at the damage and says why.
        const file = Buffer.concat([encodeHeader({ dataStart: 78, rows: 0, flushPos: 78, checkPos: 0, autoIncrement: 0n, longestRow: 0, shortestRow: 0, dirty: 0 }), member, torn]);
        const scan = scanMembers(file, 78, layout, -1);
        expect(scan.rows).toBeGreaterThanOrEqual(rows.length);
        expect(scan.end).toBeGreaterThanOrEqual(78 + member.length);
      }),
      { numRuns: RUNS },
    );
  });

  it(req(['ARCHIVE-041'], 'unit', 'a record is its uint32 length, a null bitmap with bit 0 set, then little-endian integers (the bytes of `INT NULL` = 1 are 05000000 fd 01000000)'), () => {
    const one = rowLayout({ columns: [column('INT', true, false, 0)] });
    expect(encodeRecord(one, [1n]).toString('hex')).toBe('05000000fd01000000');
    expect(encodeRecord(one, [null]).toString('hex')).toBe('01000000ff');
    const mixed = rowLayout({ columns: [column('SMALLINT', false, false, 0), column('VARCHAR', true, false, 1), column('BIGINT', true, true, 2)] });
    // bits: 0 marker, 1 = column 1 (set: NULL), 2 = column 2 (clear), 3..7 unused (set).
    const expected = Buffer.concat([Buffer.from([0xfb]), Buffer.from([0xfe, 0xff]), Buffer.from('ffffffffffffffff', 'hex')]);
    expect(packRow(mixed, [-2n, null, 2n ** 64n - 1n])).toEqual(expected);
  });

  it(req(['ARCHIVE-041'], 'unit', 'a member is raw deflate of its records, then their CRC32 and length, readable by node:zlib alone'), () => {
    const raw = Buffer.from('0123456789'.repeat(50));
    const member = encodeMember(raw);
    const inflated = inflateRawSync(member, { info: true }) as unknown as { buffer: Buffer; engine: { bytesWritten: number } };
    expect(inflated.buffer).toEqual(raw);
    const end = inflated.engine.bytesWritten;
    expect(member.length).toBe(end + 8);
    expect(member.readUInt32LE(end)).toBe(crc32(raw));
    expect(member.readUInt32LE(end + 4)).toBe(raw.length);
    // A member built by hand the same way is accepted.
    const mine = Buffer.concat([deflateRawSync(raw), Buffer.alloc(8)]);
    mine.writeUInt32LE(crc32(raw), mine.length - 8);
    mine.writeUInt32LE(raw.length, mine.length - 4);
    expect(inflateMember(mine).raw).toEqual(raw);
  });

  it(req(['ARCHIVE-024'], 'unit', 'columns a read does not want are stepped over, not decoded: a damaged BLOB/TEXT image is noticed only when the column is read'), () => {
    const layout = rowLayout({ columns: [column('INT', false, false, 0), column('VARCHAR', false, false, 1), column('INT', false, false, 2)] });
    const rec = encodeRecord(layout, [7n, 'abc', 9n]);
    // Make the text invalid UTF-8 (its length and framing stay intact).
    const at = rec.indexOf(Buffer.from('abc'));
    rec[at] = 0xff;
    const [[s, e]] = splitRecords(rec, layout) as [[number, number]];
    expect(unpackRow(layout, rec, s, e, [true, false, true])).toEqual([7n, null, 9n]);
    expect(() => unpackRow(layout, rec, s, e)).toThrow(ArchiveCorruptError);
  });
});
