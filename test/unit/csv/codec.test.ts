/**
 * The CSV engine's row codec and metafile codec, without a server: fixed lines built by hand
 * (expected bytes spelled out here, not produced by the encoder), fast-check round trips of
 * random rows with quotes, commas, backslashes, line ends and binary bytes, random bytes that
 * never crash the reader (a damaged line is reported, not thrown), and the reader's rules for
 * damaged lines.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ColumnType } from '../../../src/kernel/column-type.js';
import type { ColumnDef } from '../../../src/kernel/table-def.js';
import { Decimal, Temporal, type Row } from '../../../src/kernel/value.js';
import { decodeLine, encodeRow, scanFile } from '../../../src/storage/csv/codec.js';
import { decodeMeta, encodeMeta } from '../../../src/storage/csv/meta.js';
import { req } from '../../helpers/req.js';

function col(name: string, type: ColumnType): ColumnDef {
  return { name, type, nullable: false, autoIncrement: false, comment: '' };
}

const RUNS = Number(process.env.FUZZ_RUNS ?? 300);

const COLUMNS: ColumnDef[] = [
  col('i', { name: 'INT' }),
  col('u', { name: 'BIGINT', unsigned: true }),
  col('s', { name: 'VARCHAR', length: 40 }),
  col('c', { name: 'CHAR', length: 5 }),
  col('b', { name: 'VARBINARY', length: 16 }),
  col('t', { name: 'TEXT' }),
  col('bl', { name: 'BLOB' }),
  col('d', { name: 'DECIMAL', length: 10, scale: 3 }),
  col('f', { name: 'DOUBLE' }),
  col('dt', { name: 'DATETIME', scale: 6 }),
  col('da', { name: 'DATE' }),
  col('tm', { name: 'TIME', scale: 2 }),
  col('y', { name: 'YEAR' }),
  col('e', { name: 'ENUM', values: ['x', 'y,z', 'q"'] }),
  col('j', { name: 'JSON' }),
];

/** Characters the format must escape or keep, plus ordinary and multi-byte ones. */
const tricky = fc.constantFrom('"', ',', '\\', '\n', '\r', 'a', 'Z', ' ', '\u00e9', '\u20ac', '\u{1F600}', 'n', 'r', '\t', '\0');
const str = (max: number): fc.Arbitrary<string> => fc.array(tricky, { maxLength: max }).map((a) => a.join(''));
const bytes = (max: number): fc.Arbitrary<Buffer> => fc.uint8Array({ maxLength: max }).map((a) => Buffer.from(a));
const p2 = (n: number): fc.Arbitrary<number> => fc.integer({ min: 0, max: n });

const rowArb: fc.Arbitrary<Row> = fc.tuple(
  fc.integer({ min: -2147483648, max: 2147483647 }).map(BigInt),
  fc.bigInt({ min: 0n, max: 18446744073709551615n }),
  str(40),
  str(5),
  bytes(16),
  str(200),
  bytes(300),
  fc.bigInt({ min: -(10n ** 10n) + 1n, max: 10n ** 10n - 1n }).map((u) => new Decimal(u, 3)),
  fc.double({ noNaN: true, noDefaultInfinity: true }).filter((x) => !Object.is(x, -0)),
  fc.tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }), p2(23), p2(59), p2(59), p2(999999)).map(([y, mo, d, h, mi, s, us]) => new Temporal('DATETIME', y, mo, d, h, mi, s, us, 6)),
  fc.tuple(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 })).map(([y, mo, d]) => new Temporal('DATE', y, mo, d, 0, 0, 0, 0, 0)),
  fc.tuple(p2(838), p2(59), p2(59), p2(99), fc.boolean()).map(([h, mi, s, cs, neg]) => new Temporal('TIME', 0, 0, 0, h, mi, s, cs * 10000, 2, neg)),
  fc.oneof(fc.constant(0n), fc.integer({ min: 1901, max: 2155 }).map(BigInt)),
  fc.constantFrom('x', 'y,z', 'q"'),
  str(30).map((s) => JSON.stringify({ k: s })),
);

describe('CSV row codec', () => {
  it(req(['CSV-007', 'CSV-008'], 'unit', 'fixed rows encode to hand-written bytes: numbers bare, strings and dates quoted, `"` `\\` LF CR escaped with a backslash'), () => {
    const cols = [col('i', { name: 'INT' }), col('s', { name: 'VARCHAR', length: 20 }), col('d', { name: 'DATE' }), col('x', { name: 'DOUBLE' })];
    const cases: [Row, string][] = [
      [[1n, 'record one', new Temporal('DATE', 2024, 2, 29, 0, 0, 0, 0, 0), 1.5], '1,"record one","2024-02-29",1.5\n'],
      [[-7n, 'a"b', new Temporal('DATE', 1, 1, 1, 0, 0, 0, 0, 0), 1e21], '-7,"a\\"b","0001-01-01",1e21\n'],
      [[0n, 'x\\y\nz\rw,', new Temporal('DATE', 9999, 12, 31, 0, 0, 0, 0, 0), -2.5e-10], '0,"x\\\\y\\nz\\rw,","9999-12-31",-2.5e-10\n'],
      [[5n, '', new Temporal('DATE', 2000, 1, 1, 0, 0, 0, 0, 0), 0], '5,"","2000-01-01",0\n'],
    ];
    for (const [row, line] of cases) {
      expect(encodeRow(cols, row).toString('latin1')).toBe(line);
      const buf = Buffer.from(line, 'latin1');
      expect(decodeLine(cols, buf, 0, buf.length - 1)).toEqual(row);
    }
  });

  it(req(['CSV-009'], 'unit', 'the reader takes quoted numbers, unquoted strings, CRLF and CR line ends, and keeps a backslash before any other byte'), () => {
    const cols = [col('i', { name: 'INT' }), col('s', { name: 'VARCHAR', length: 20 })];
    const data = Buffer.from('"1","a"\r\n2,b\r3,"c\\td"\n4,e"f\n5,q"in" between \n', 'latin1');
    const scan = scanFile(cols, data);
    expect(scan).toEqual({ rows: [[1n, 'a'], [2n, 'b'], [3n, 'c\\td'], [4n, 'e"f'], [5n, 'q"in" between ']], goodEnd: data.length, damaged: false });
  });

  it(req(['CSV-009'], 'unit', 'numbers are stored as an assignment stores them: fractions and exponents in integer columns round half away from zero, spaces around them are allowed'), () => {
    const cols = [col('a', { name: 'INT' }), col('b', { name: 'SMALLINT' }), col('d', { name: 'DECIMAL', length: 5, scale: 1 })];
    const data = Buffer.from('2, 5E-1,1.25\n-3E1, .4,-0.05\n-15E-1, -.5,7\n7, -8.5 ,1e2\n', 'latin1');
    expect(scanFile(cols, data).rows).toEqual([
      [2n, 1n, new Decimal(13n, 1)],
      [-30n, 0n, new Decimal(-1n, 1)],
      [-2n, -1n, new Decimal(70n, 1)],
      [7n, -9n, new Decimal(1000n, 1)],
    ]);
    // Letters after a number, or a value out of the column's range: damaged, with the warning's cause.
    expect(scanFile(cols, Buffer.from('1,2,3\n3x,1,1\n', 'latin1'))).toMatchObject({ rows: [[1n, 2n, new Decimal(30n, 1)]], damaged: true, damage: { column: 0, problem: 'truncated', row: 2 } });
    expect(scanFile(cols, Buffer.from('1,40000,3\n', 'latin1'))).toMatchObject({ rows: [], damaged: true, damage: { column: 1, problem: 'range', row: 1 } });
    expect(scanFile(cols, Buffer.from('1,2,99999\n', 'latin1'))).toMatchObject({ rows: [], damaged: true, damage: { column: 2, problem: 'range', row: 1 } });
  });

  it(req(['CSV-031'], 'unit', 'damaged lines: unterminated quote, an unquoted field closed by a quote at the line end, too few or too many fields, text that is no value of its column (letters in an INT, CHAR overflow, bad date)'), () => {
    const cols = [col('i', { name: 'INT' }), col('s', { name: 'CHAR', length: 3 }), col('d', { name: 'DATE' })];
    const bad = ['1,"abc,"2024-01-01"', '1,"abc"', '1,"abc","2024-01-01",9', '1,"abc","2024-01-01",', 'x,"abc","2024-01-01"', '1,"abcd","2024-01-01"', '1,"abc","2024-13-01"', '99999999999,"a","2024-01-01"', '', '"', '1,"abc",2024-01-01"', '1,"abc","2024-01-01\\'];
    for (const line of bad) {
      const buf = Buffer.from(line + '\n', 'latin1');
      expect(decodeLine(cols, buf, 0, buf.length - 1), line).toBeNull();
      const scan = scanFile(cols, Buffer.concat([Buffer.from('1,"ok","2024-01-01"\n'), buf, Buffer.from('2,"ok","2024-01-02"\n')]));
      expect(scan.rows.length, line).toBe(1);
      expect(scan.damaged, line).toBe(true);
      expect(scan.goodEnd, line).toBe(Buffer.byteLength('1,"ok","2024-01-01"\n'));
    }
    // Bytes after the last line end are no row yet, and no damage either.
    expect(scanFile(cols, Buffer.from('1,"ok","2024-01-01"\n2,"ab'))).toEqual({ rows: [[1n, 'ok', new Temporal('DATE', 2024, 1, 1, 0, 0, 0, 0, 0)]], goodEnd: 20, damaged: false });
  });

  it(req(['CSV-001', 'CSV-008'], 'unit', 'property: random rows of every column family round-trip through their lines, one after another in a file'), () => {
    fc.assert(
      fc.property(fc.array(rowArb, { maxLength: 8 }), (rows) => {
        const data = Buffer.concat(rows.map((r) => encodeRow(COLUMNS, r)));
        const scan = scanFile(COLUMNS, data);
        expect(scan.damaged).toBe(false);
        expect(scan.goodEnd).toBe(data.length);
        expect(scan.rows).toEqual(rows);
        // One line per row: every LF in the file ends a record.
        expect(data.filter((b) => b === 0x0a).length).toBe(rows.length);
        expect(data.includes(0x0d)).toBe(false);
      }),
      { numRuns: RUNS },
    );
  });

  it(req(['CSV-031'], 'unit', 'property: random bytes never make the reader throw; what it returns are rows of the table, then at most a damaged line'), () => {
    const fileBytes = fc.oneof(
      bytes(200),
      fc.array(fc.constantFrom('"', ',', '\\', '\n', '\r', '1', '-', 'a', '2024-01-01', ' ', '\u00e9'), { maxLength: 80 }).map((a) => Buffer.from(a.join(''), 'utf8')),
    );
    fc.assert(
      fc.property(fileBytes, (data) => {
        const scan = scanFile(COLUMNS.slice(0, 4), data);
        expect(scan.goodEnd).toBeLessThanOrEqual(data.length);
        for (const r of scan.rows) expect(r).toHaveLength(4);
        // Re-encoding what was read and reading it again gives the same rows.
        const again = Buffer.concat(scan.rows.map((r) => encodeRow(COLUMNS.slice(0, 4), r)));
        expect(scanFile(COLUMNS.slice(0, 4), again).rows).toEqual(scan.rows);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('CSV metafile codec', () => {
  it(req(['CSV-005'], 'unit', 'the .CSM is 35 bytes: 0xFE, version 1, row count LE at 2, three zero counters, the dirty flag at 34'), () => {
    const b = encodeMeta({ rows: 0x0102030405n, dirty: true });
    const want = Buffer.alloc(35);
    want[0] = 0xfe;
    want[1] = 1;
    want.set([0x05, 0x04, 0x03, 0x02, 0x01], 2);
    want[34] = 1;
    expect(b).toEqual(want);
    expect(decodeMeta(b)).toEqual({ rows: 0x0102030405n, dirty: true });
  });

  it(req(['CSV-034'], 'unit', 'property: any state round-trips; random, short or wrongly headed bytes decode to null or a state, never throw'), () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), fc.boolean(), (rows, dirty) => {
        expect(decodeMeta(encodeMeta({ rows, dirty }))).toEqual({ rows, dirty });
      }),
      { numRuns: RUNS },
    );
    fc.assert(
      fc.property(bytes(40), (b) => {
        const m = decodeMeta(b);
        if (b.length < 35 || b[0] !== 0xfe || b[1] !== 1) expect(m).toBeNull();
        else expect(m).toEqual({ rows: b.readBigUInt64LE(2), dirty: b[34] !== 0 });
      }),
      { numRuns: RUNS },
    );
    expect(decodeMeta(null)).toBeNull();
  });
});
