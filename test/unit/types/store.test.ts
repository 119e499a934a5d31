import { describe, expect, it } from 'vitest';
import { req } from '../../helpers/req.js';
import { fakeRuntime } from '../eval/harness.js';
import { storeValue, nullIntoNotNull } from '../../../src/sql/types/store.js';
import type { ColumnDef } from '../../../src/kernel/table-def.js';
import type { ColumnType } from '../../../src/kernel/column-type.js';
import { Decimal, Temporal, type Value } from '../../../src/kernel/value.js';
import { SqlError } from '../../../src/kernel/errors.js';
import { valueToText } from '../../../src/sql/types/format.js';
import { resultColumnFromType, columnDefType } from '../../../src/sql/types/result-column.js';

function col(type: ColumnType, extra: Partial<ColumnDef> = {}): ColumnDef {
  return { name: 'c', type, nullable: true, autoIncrement: false, comment: '', collation: 'utf8mb4_0900_ai_ci', charset: 'utf8mb4', ...extra };
}
const LOOSE: string[] = [];
function store(type: ColumnType, v: Value, mode?: string[]) {
  const rt = fakeRuntime(mode ? { sqlMode: mode } : {});
  const c = col(type);
  const out = storeValue(v, c, rt, 1);
  const text = out === null ? null : valueToText(out, resultColumnFromType(columnDefType(c), 'c'));
  return { out, text: Buffer.isBuffer(text) ? text.toString('latin1') : text, warnings: rt.warnings.map((w) => `${w.level} ${w.code} ${w.message}`) };
}
function err(type: ColumnType, v: Value, mode?: string[]): string {
  try {
    store(type, v, mode);
  } catch (e) {
    expect(e).toBeInstanceOf(SqlError);
    return `${(e as SqlError).errno} ${(e as SqlError).message}`;
  }
  return 'no error';
}

describe('storeValue', () => {
  it(req(['CORE-TYPE-080', 'CORE-TYPE-081'], 'unit', 'integer ranges per type and signedness: strict error 1264, else clamp with warning'), () => {
    expect(store({ name: 'TINYINT' }, 127n).text).toBe('127');
    expect(err({ name: 'TINYINT' }, 128n)).toBe("1264 Out of range value for column 'c' at row 1");
    expect(err({ name: 'TINYINT', unsigned: true }, -1n)).toBe("1264 Out of range value for column 'c' at row 1");
    const r = store({ name: 'TINYINT' }, 300n, LOOSE);
    expect(r.text).toBe('127');
    expect(r.warnings).toEqual(["Warning 1264 Out of range value for column 'c' at row 1"]);
    expect(store({ name: 'INT', unsigned: true }, 4294967295n).text).toBe('4294967295');
    expect(store({ name: 'BIGINT', unsigned: true }, 18446744073709551615n).text).toBe('18446744073709551615');
    expect(store({ name: 'INT' }, 2.5).text).toBe('3');
    expect(store({ name: 'INT' }, -2.5).text).toBe('-3');
    expect(store({ name: 'INT' }, '1.5').text).toBe('2');
    expect(store({ name: 'INT' }, new Decimal(15n, 1)).text).toBe('2');
    expect(store({ name: 'INT', zerofill: true, length: 5 }, 42n).text).toBe('00042');
  });

  it(req('CORE-TYPE-082', 'unit', 'bad numbers from strings: strict 1366 / 1265, non-strict 0 or prefix with warning'), () => {
    expect(err({ name: 'INT' }, 'abc')).toBe("1366 Incorrect integer value: 'abc' for column 'c' at row 1");
    expect(err({ name: 'INT' }, '12abc')).toBe("1265 Data truncated for column 'c' at row 1");
    const r = store({ name: 'INT' }, 'abc', LOOSE);
    expect(r.text).toBe('0');
    expect(r.warnings).toEqual(["Warning 1366 Incorrect integer value: 'abc' for column 'c' at row 1"]);
    expect(store({ name: 'INT' }, '12abc', LOOSE).text).toBe('12');
    expect(err({ name: 'DECIMAL', length: 5, scale: 2 }, 'x')).toBe("1366 Incorrect decimal value: 'x' for column 'c' at row 1");
    expect(err({ name: 'DOUBLE' }, 'x')).toBe("1366 Incorrect double value: 'x' for column 'c' at row 1");
  });

  it(req('CORE-TYPE-083', 'unit', 'DECIMAL rounds with note 1265 and checks the range'), () => {
    const r = store({ name: 'DECIMAL', length: 5, scale: 2 }, new Decimal(12345n, 3));
    expect(r.text).toBe('12.35');
    expect(r.warnings).toEqual(["Note 1265 Data truncated for column 'c' at row 1"]);
    expect(store({ name: 'DECIMAL', length: 5, scale: 2 }, 1n).text).toBe('1.00');
    expect(store({ name: 'DECIMAL', length: 5, scale: 2 }, '-1.5').text).toBe('-1.50');
    expect(err({ name: 'DECIMAL', length: 5, scale: 2 }, 1000n)).toBe("1264 Out of range value for column 'c' at row 1");
    expect(store({ name: 'DECIMAL', length: 5, scale: 2 }, 1000n, LOOSE).text).toBe('999.99');
    expect(store({ name: 'FLOAT' }, 3.14).text).toBe('3.14');
    expect(store({ name: 'DOUBLE', length: 5, scale: 2 }, 3.14159).text).toBe('3.14');
  });

  it(req('CORE-TYPE-084', 'unit', 'strings: strict 1406 Data too long, else truncate with 1265; CHAR drops trailing spaces'), () => {
    expect(store({ name: 'VARCHAR', length: 3 }, 'abc').text).toBe('abc');
    expect(err({ name: 'VARCHAR', length: 3 }, 'abcd')).toBe("1406 Data too long for column 'c' at row 1");
    const r = store({ name: 'VARCHAR', length: 3 }, 'abcd', LOOSE);
    expect(r.text).toBe('abc');
    expect(r.warnings).toEqual(["Warning 1265 Data truncated for column 'c' at row 1"]);
    const sp = store({ name: 'VARCHAR', length: 3 }, 'ab    ');
    expect(sp.text).toBe('ab ');
    expect(sp.warnings).toEqual(["Note 1265 Data truncated for column 'c' at row 1"]);
    expect(store({ name: 'CHAR', length: 5 }, 'ab  ').text).toBe('ab');
    expect(store({ name: 'VARCHAR', length: 3 }, 'héé').text).toBe('héé');
    expect(store({ name: 'VARCHAR', length: 10 }, 12n).text).toBe('12');
    expect(Buffer.from(store({ name: 'BINARY', length: 3 }, 'a').out as Buffer).toString('hex')).toBe('610000');
    expect(err({ name: 'VARBINARY', length: 2 }, 'abc')).toBe("1406 Data too long for column 'c' at row 1");
    expect(err({ name: 'TINYTEXT' }, 'x'.repeat(256))).toBe("1406 Data too long for column 'c' at row 1");
  });

  it(req('CORE-TYPE-085', 'unit', 'ENUM, SET, BIT and YEAR conversions'), () => {
    const e: ColumnType = { name: 'ENUM', values: ['small', 'Medium', 'large'] };
    expect(store(e, 'medium').text).toBe('Medium');
    expect(store(e, 2n).text).toBe('Medium');
    expect(store(e, '3').text).toBe('large');
    expect(err(e, 'huge')).toBe("1265 Data truncated for column 'c' at row 1");
    expect(store(e, 'huge', LOOSE).text).toBe('');
    const st: ColumnType = { name: 'SET', values: ['a', 'b', 'c'] };
    expect(store(st, 'c,a').text).toBe('a,c');
    expect(store(st, 'a,a,b').text).toBe('a,b');
    expect(store(st, 5n).text).toBe('a,c');
    expect(err(st, 'a,x')).toBe("1265 Data truncated for column 'c' at row 1");
    expect((store({ name: 'BIT', length: 8 }, 5n).out as Buffer).toString('hex')).toBe('05');
    expect(err({ name: 'BIT', length: 2 }, 7n)).toBe("1406 Data too long for column 'c' at row 1");
    expect(store({ name: 'YEAR' }, 69n).text).toBe('2069');
    expect(store({ name: 'YEAR' }, 70n).text).toBe('1970');
    expect(store({ name: 'YEAR' }, '0').text).toBe('2000');
    expect(store({ name: 'YEAR' }, 0n).text).toBe('0000');
    expect(store({ name: 'YEAR' }, 2024n).text).toBe('2024');
    expect(err({ name: 'YEAR' }, 1800n)).toBe("1264 Out of range value for column 'c' at row 1");
  });

  it(req('CORE-TYPE-086', 'unit', 'dates: invalid values, zero dates, TIMESTAMP range, fractional rounding'), () => {
    expect(store({ name: 'DATE' }, '2024-02-29').text).toBe('2024-02-29');
    expect(err({ name: 'DATE' }, '2023-02-29')).toBe("1292 Incorrect date value: '2023-02-29' for column 'c' at row 1");
    expect(err({ name: 'DATETIME' }, 'x')).toBe("1292 Incorrect datetime value: 'x' for column 'c' at row 1");
    expect(err({ name: 'DATE' }, '0000-00-00')).toBe("1292 Incorrect date value: '0000-00-00' for column 'c' at row 1");
    expect(store({ name: 'DATE' }, '0000-00-00', ['STRICT_TRANS_TABLES']).text).toBe('0000-00-00');
    expect(err({ name: 'DATE' }, '2024-00-01')).toBe("1292 Incorrect date value: '2024-00-01' for column 'c' at row 1");
    const loose = store({ name: 'DATETIME' }, 'garbage', LOOSE);
    expect(loose.text).toBe('0000-00-00 00:00:00');
    expect(loose.warnings).toEqual(["Warning 1292 Incorrect datetime value: 'garbage' for column 'c' at row 1"]);
    const d = store({ name: 'DATE' }, '2024-01-02 10:00:00');
    expect(d.text).toBe('2024-01-02');
    expect(d.warnings).toEqual(["Note 1265 Data truncated for column 'c' at row 1"]);
    expect(store({ name: 'DATETIME' }, 20240102030405n).text).toBe('2024-01-02 03:04:05');
    expect(store({ name: 'DATETIME', scale: 2 }, '2024-01-02 03:04:05.129').text).toBe('2024-01-02 03:04:05.13');
    expect(store({ name: 'DATETIME' }, '2024-01-02 03:04:05.5').text).toBe('2024-01-02 03:04:06');
    expect(store({ name: 'TIME' }, '10:11:12').text).toBe('10:11:12');
    expect(store({ name: 'TIME' }, '-838:59:59').text).toBe('-838:59:59');
    expect(store({ name: 'TIME' }, 101112n).text).toBe('10:11:12');
    expect(store({ name: 'TIMESTAMP' }, '2038-01-19 03:14:07').text).toBe('2038-01-19 03:14:07');
    expect(err({ name: 'TIMESTAMP' }, '2038-01-19 03:14:08')).toBe("1292 Incorrect datetime value: '2038-01-19 03:14:08' for column 'c' at row 1");
    expect(err({ name: 'TIMESTAMP' }, '1969-12-31 23:59:59')).toMatch(/^1292/);
    expect(store({ name: 'DATE' }, new Temporal('DATETIME', 2024, 1, 2, 0, 0, 0, 0)).text).toBe('2024-01-02');
  });

  it(req('CORE-TYPE-087', 'unit', 'JSON columns validate (3140) and normalize'), () => {
    expect(store({ name: 'JSON' }, '{"b": 1, "a": [1,2]}').text).toBe('{"a": [1, 2], "b": 1}');
    const rt = fakeRuntime();
    expect(() => storeValue('{"a":', col({ name: 'JSON' }, { name: 'j' }), rt, 1, { table: 't' })).toThrowError(
      'Invalid JSON text: "Invalid value." at position 5 in value for column \'t.j\'.',
    );
  });

  it(req('CORE-TYPE-088', 'unit', 'NULL into NOT NULL: 1048 error for single rows or strict mode, else warning 1048 and implicit default'), () => {
    const c = col({ name: 'INT' }, { nullable: false });
    expect(() => nullIntoNotNull(c, fakeRuntime(), 1)).toThrowError("Column 'c' cannot be null");
    const rt = fakeRuntime({ sqlMode: [] });
    expect(nullIntoNotNull(c, rt, 2, { multiRow: true })).toBe(0n);
    expect(rt.warnings.map((w) => `${w.code} ${w.message}`)).toEqual(["1048 Column 'c' cannot be null"]);
    const rt2 = fakeRuntime({ sqlMode: [] });
    expect(nullIntoNotNull(col({ name: 'VARCHAR', length: 3 }, { nullable: false }), rt2, 1, { update: true })).toBe('');
    expect(rt2.warnings[0]!.code).toBe(1048);
  });
});

describe('storeValue character set checks', () => {
  it(req('CORE-TYPE-089', 'unit', 'characters the column charset cannot hold raise 1366 Incorrect string value'), () => {
    const rt = fakeRuntime();
    const mb3 = col({ name: 'VARCHAR', length: 10 }, { charset: 'utf8mb3', collation: 'utf8mb3_general_ci' });
    expect(() => storeValue('a\u{1F600}', mb3, rt, 1)).toThrowError("Incorrect string value: '\\xF0\\x9F\\x98\\x80' for column 'c' at row 1");
    const l1 = col({ name: 'VARCHAR', length: 10 }, { charset: 'latin1', collation: 'latin1_swedish_ci' });
    expect(storeValue('café€', l1, rt, 1)).toBe('café€');
    expect(() => storeValue('a\u4e2d', l1, rt, 1)).toThrowError("Incorrect string value: '\\xE4\\xB8\\xAD' for column 'c' at row 1");
    const u = col({ name: 'VARCHAR', length: 10 });
    expect(() => storeValue(Buffer.from([0x61, 0xff, 0xfe]), u, rt, 1)).toThrowError("Incorrect string value: '\\xFF\\xFE' for column 'c' at row 1");
    const loose = fakeRuntime({ sqlMode: [] });
    expect(storeValue(Buffer.from([0x61, 0xff]), u, loose, 1)).toBe('a');
    expect(loose.warnings[0]!.code).toBe(1366);
  });
});
