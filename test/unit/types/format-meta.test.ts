import { describe, expect, it } from 'vitest';
import { req } from '../../helpers/req.js';
import { formatDouble, formatFloat, valueToText } from '../../../src/sql/types/format.js';
import { columnDefType, resultColumnFromType } from '../../../src/sql/types/result-column.js';
import { ColumnFlag, MysqlType } from '../../../src/kernel/column-type.js';
import { Decimal } from '../../../src/kernel/value.js';
import { compile } from '../eval/harness.js';
import type { ColumnDef } from '../../../src/kernel/table-def.js';

describe('number to text', () => {
  it(req('CORE-TYPE-003', 'unit', 'DOUBLE and FLOAT spelled like MySQL (my_gcvt)'), () => {
    const cases: [number, string][] = [
      [1e20, '1e20'], [1e15, '1000000000000000'], [1e16, '1e16'], [0.1 + 0.2, '0.30000000000000004'], [1 / 3, '0.3333333333333333'],
      [0.0001, '0.0001'], [0.00001, '1e-5'], [1.5e-7, '1.5e-7'], [-2.5, '-2.5'], [100, '100'], [1e300, '1e300'], [-1e-300, '-1e-300'],
      [123456789012345678, '123456789012345680'], [0, '0'],
    ];
    for (const [n, s] of cases) expect(formatDouble(n), String(n)).toBe(s);
    expect(formatFloat(3.14)).toBe('3.14');
    expect(formatFloat(0.1)).toBe('0.1');
    expect(formatFloat(1 / 3)).toBe('0.33333334');
  });

  it(req('CORE-TYPE-004', 'unit', 'fixed decimals, DECIMAL scale and ZEROFILL in result text'), () => {
    const dec = resultColumnFromType({ kind: 'decimal', length: 7, decimals: 2, nullable: true }, 'd');
    expect(valueToText(new Decimal(15n, 1), dec)).toBe('1.50');
    expect(valueToText(new Decimal(1555n, 3), dec)).toBe('1.56');
    const dbl = resultColumnFromType({ kind: 'double', length: 10, decimals: 2, nullable: true }, 'x');
    expect(valueToText(3.14159, dbl)).toBe('3.14');
    const zf = resultColumnFromType({ kind: 'int', length: 5, decimals: 0, nullable: true, flags: ColumnFlag.ZEROFILL }, 'z');
    expect(valueToText(42n, zf)).toBe('00042');
  });

  it(req('CORE-EXPR-005', 'unit', 'literal typing: 1.5 is DECIMAL(2,1), 1e1 is DOUBLE, quoted text is a string'), () => {
    const d = compile('1.5').type;
    expect([d.kind, d.decimals, d.length]).toEqual(['decimal', 1, 4]);
    expect(resultColumnFromType(d, '1.5').type).toBe(MysqlType.NEWDECIMAL);
    const f = compile('1e1').type;
    expect(f.kind).toBe('double');
    expect(resultColumnFromType(f, '1e1').decimals).toBe(31);
    const s = compile("'1'").type;
    expect(s.kind).toBe('string');
    const col = resultColumnFromType(s, "'1'");
    expect([col.type, col.charsetId, col.length]).toEqual([MysqlType.VAR_STRING, 255, 4]);
    const i = resultColumnFromType(compile('1').type, '1');
    expect([i.type, i.length, i.charsetId, i.flags & ColumnFlag.NOT_NULL]).toEqual([MysqlType.LONGLONG, 1, 63, ColumnFlag.NOT_NULL]);
    expect(resultColumnFromType(compile('NULL').type, 'NULL').type).toBe(MysqlType.NULL);
  });
});

describe('column metadata', () => {
  const base = { nullable: true, autoIncrement: false, comment: '' };
  it(req(['CORE-TYPE-060', 'CORE-TYPE-061'], 'unit', 'table column types map to wire types, lengths, charsets and flags'), () => {
    const c = (d: Partial<ColumnDef> & Pick<ColumnDef, 'type'>) => resultColumnFromType(columnDefType({ name: 'c', ...base, ...d }), 'c');
    const vc = c({ type: { name: 'VARCHAR', length: 10 }, collation: 'utf8mb4_0900_ai_ci' });
    expect([vc.type, vc.length, vc.charsetId]).toEqual([MysqlType.VAR_STRING, 40, 255]);
    const l1 = c({ type: { name: 'CHAR', length: 10 }, collation: 'latin1_swedish_ci' });
    expect([l1.type, l1.length, l1.charsetId]).toEqual([MysqlType.STRING, 10, 8]);
    const i = c({ type: { name: 'INT', unsigned: true }, nullable: false });
    expect([i.type, i.length, i.flags & (ColumnFlag.UNSIGNED | ColumnFlag.NOT_NULL)]).toEqual([MysqlType.LONG, 10, ColumnFlag.UNSIGNED | ColumnFlag.NOT_NULL]);
    expect(c({ type: { name: 'INT' } }).length).toBe(11);
    expect(c({ type: { name: 'BIGINT' } }).length).toBe(20);
    const d = c({ type: { name: 'DECIMAL', length: 10, scale: 2 } });
    expect([d.type, d.length, d.decimals]).toEqual([MysqlType.NEWDECIMAL, 12, 2]);
    const t = c({ type: { name: 'TEXT' }, collation: 'utf8mb4_0900_ai_ci' });
    expect([t.type, t.length, t.flags & ColumnFlag.BLOB]).toEqual([MysqlType.BLOB, 65532, ColumnFlag.BLOB]);
    const b = c({ type: { name: 'BLOB' } });
    expect([b.type, b.charsetId, b.flags & (ColumnFlag.BLOB | ColumnFlag.BINARY)]).toEqual([MysqlType.BLOB, 63, ColumnFlag.BLOB | ColumnFlag.BINARY]);
    const e = c({ type: { name: 'ENUM', values: ['a', 'bbb'] }, collation: 'utf8mb4_0900_ai_ci' });
    expect([e.type, e.length, e.flags & ColumnFlag.ENUM]).toEqual([MysqlType.STRING, 12, ColumnFlag.ENUM]);
    const dt = c({ type: { name: 'DATETIME', scale: 3 } });
    expect([dt.type, dt.length, dt.decimals]).toEqual([MysqlType.DATETIME, 23, 3]);
    const ts = c({ type: { name: 'TIMESTAMP' } });
    expect(ts.flags & ColumnFlag.TIMESTAMP).toBe(ColumnFlag.TIMESTAMP);
    const j = c({ type: { name: 'JSON' } });
    expect([j.type, j.charsetId]).toEqual([MysqlType.JSON, 63]);
    const y = c({ type: { name: 'YEAR' } });
    expect([y.type, y.length, y.flags & ColumnFlag.ZEROFILL]).toEqual([MysqlType.YEAR, 4, ColumnFlag.ZEROFILL]);
  });
});
