import { describe, expect, it } from 'vitest';
import { req } from '../../helpers/req.js';
import { fakeRuntime, run } from './harness.js';
import { SqlError } from '../../../src/kernel/errors.js';

type Case = [string, string | null, string[]?];

function table(cases: Case[]) {
  for (const [expr, want, warnings] of cases) {
    const rt = fakeRuntime();
    expect(run(expr, rt), expr).toBe(want);
    if (warnings) expect(rt.warnings.map((w) => `${w.code} ${w.message}`), expr).toEqual(warnings);
  }
}

/** errno and message of the SqlError `fn` throws; a function that does not throw fails the test. */
function thrown(fn: () => unknown): [number, string] {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(SqlError);
    return [(e as SqlError).errno, (e as SqlError).message];
  }
  throw new Error('expected an SqlError, but nothing was thrown');
}

describe('arithmetic', () => {
  it(req(['CORE-EXPR-010', 'CORE-EXPR-005'], 'unit', 'integer, decimal and double arithmetic keep MySQL result types'), () => {
    table([
      ['1+2', '3'],
      ['1.5 * 2', '3.0'],
      ['1.50 + 1', '2.50'],
      ['100 * 1.1', '110.0'],
      ['1/3', '0.3333'],
      ['1.0/3', '0.33333'],
      ['10/4', '2.5000'],
      ['1e0/4', '0.25'],
      ['0.1+0.2', '0.3'],
      ['0.1e0+0.2e0', '0.30000000000000004'],
      ['5 DIV 2', '2'],
      ['-7 DIV 2', '-3'],
      ['-7 % 3', '-1'],
      ['7 MOD -3', '1'],
      ['5.5 % 2', '1.5'],
      ['-(5)', '-5'],
      ["'3' + 4", '7'],
      ["'1.5' + 1", '2.5'],
      ['0x41 + 0', '65'],
      ["b'101' + 0", '5'],
      ['TRUE + 1', '2'],
      ['18446744073709551615 + 0', '18446744073709551615'],
      ['-9223372036854775808', '-9223372036854775808'],
      ['1 + NULL', null],
    ]);
  });

  it(req('CORE-EXPR-011', 'unit', 'BIGINT overflow raises 1690 naming the expression'), () => {
    expect(thrown(() => run('9223372036854775807 + 1'))).toEqual([1690, "BIGINT value is out of range in '(9223372036854775807 + 1)'"]);
    expect(() => run('CAST(0 AS UNSIGNED) - 1')).toThrowError(/BIGINT UNSIGNED value is out of range/);
    expect(() => run('1e308 * 10')).toThrowError(/DOUBLE value is out of range/);
    expect(run('CAST(0 AS UNSIGNED) - 1', fakeRuntime({ sqlMode: ['NO_UNSIGNED_SUBTRACTION'] }))).toBe('-1');
  });

  it(req('CORE-EXPR-012', 'unit', 'division by zero yields NULL with warning 1365 when ERROR_FOR_DIVISION_BY_ZERO is set'), () => {
    table([
      ['1/0', null, ['1365 Division by 0']],
      ['1 DIV 0', null, ['1365 Division by 0']],
      ['1 % 0', null, ['1365 Division by 0']],
      ['1.5/0', null, ['1365 Division by 0']],
    ]);
    const rt = fakeRuntime({ sqlMode: [] });
    expect(run('1/0', rt)).toBe(null);
    expect(rt.warnings).toEqual([]);
    const strictRt = fakeRuntime();
    strictRt.strictDml = true;
    expect(() => run('1/0', strictRt)).toThrowError(/Division by 0/);
  });

  it(req('CORE-TYPE-040', 'unit', "non-numeric strings in numeric context warn 1292 Truncated incorrect DOUBLE value"), () => {
    table([
      ["'abc' + 1", '1', ["1292 Truncated incorrect DOUBLE value: 'abc'"]],
      ["'12abc' + 0", '12', ["1292 Truncated incorrect DOUBLE value: '12abc'"]],
      ["' 12' + 0", '12', []],
    ]);
  });
});

describe('comparison and logic', () => {
  it(req(['CORE-EXPR-006', 'CORE-TYPE-050'], 'unit', 'comparisons follow MySQL mixed-type rules and NULL semantics'), () => {
    table([
      ['1 = 1', '1'],
      ['1 = 1.0', '1'],
      ["'10' > 9", '1'],
      ["'abc' = 0", '1'],
      ["'a' = 'A'", '1'],
      ["'a' = 'á'", '1'],
      ["'a ' = 'a'", '0'],
      ["'a' COLLATE utf8mb4_bin = 'A'", '0'],
      ["'a ' COLLATE utf8mb4_bin = 'a'", '1'],
      ['NULL = NULL', null],
      ['NULL <=> NULL', '1'],
      ['1 <=> NULL', '0'],
      ['1 <> 2', '1'],
      ['18446744073709551615 > 9223372036854775807', '1'],
      ["DATE '2024-01-02' > '2024-01-01'", '1'],
      ["DATE '2024-01-01' = '2024-01-01 00:00:00'", '1'],
      ['(1, 2) = (1, 2)', '1'],
      ['(1, 2) < (1, 3)', '1'],
      ['(1, NULL) = (1, 2)', null],
      ['(1, NULL) = (2, 2)', '0'],
      ['3 IN (1, 2, 3)', '1'],
      ['4 IN (1, 2, NULL)', null],
      ['4 NOT IN (1, 2)', '1'],
      ["'b' IN ('A', 'B')", '1'],
      ['2 BETWEEN 1 AND 3', '1'],
      ['5 NOT BETWEEN 1 AND 3', '1'],
      ['NULL BETWEEN 1 AND 3', null],
    ]);
  });

  it(req('CORE-EXPR-007', 'unit', 'AND/OR/XOR/NOT are three-valued; IS tests never return NULL'), () => {
    table([
      ['1 AND NULL', null],
      ['0 AND NULL', '0'],
      ['1 OR NULL', '1'],
      ['0 OR NULL', null],
      ['1 XOR 1', '0'],
      ['1 XOR NULL', null],
      ['NOT NULL', null],
      ['NOT 0', '1'],
      ['NULL IS NULL', '1'],
      ['NULL IS UNKNOWN', '1'],
      ['0 IS FALSE', '1'],
      ['2 IS TRUE', '1'],
      ['NULL IS NOT TRUE', '1'],
    ]);
  });

  it(req('CORE-EXPR-008', 'unit', 'bit operators work on unsigned 64-bit integers'), () => {
    table([
      ['~0', '18446744073709551615'],
      ['1 << 63', '9223372036854775808'],
      ['1 << 64', '0'],
      ['5 & 3', '1'],
      ['5 | 3', '7'],
      ['5 ^ 3', '6'],
      ['-1 >> 60', '15'],
      ['NULL & 1', null],
    ]);
  });

  it(req('CORE-EXPR-009', 'unit', 'CASE and user variable assignment'), () => {
    table([
      ["CASE 2 WHEN 1 THEN 'a' WHEN 2 THEN 'b' END", 'b'],
      ["CASE WHEN 1 > 2 THEN 'x' ELSE 'y' END", 'y'],
      ['CASE 3 WHEN 1 THEN 1 END', null],
      ["CASE 1 WHEN 1 THEN 1 ELSE 'x' END", '1'],
      ['CASE 1 WHEN 1 THEN 1 ELSE 2.5 END', '1.0'],
    ]);
    const rt = fakeRuntime();
    expect(run('@a := 5', rt)).toBe('5');
    expect(run('@a + 1', rt)).toBe('6');
  });
});

describe('function lookup', () => {
  it(req('CORE-EXPR-004', 'unit', 'unknown functions raise 1305 with the database name; wrong arity raises 1582'), () => {
    expect(thrown(() => run('NO_SUCH_FN(1)'))).toEqual([1305, 'FUNCTION test.no_such_fn does not exist']);
    expect(thrown(() => run('ABS(1, 2)'))).toEqual([1582, "Incorrect parameter count in the call to native function 'ABS'"]);
    expect(thrown(() => run('ABS()'))).toEqual([1582, "Incorrect parameter count in the call to native function 'ABS'"]);
  });
});
