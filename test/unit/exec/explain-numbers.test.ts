/**
 * The numbers of EXPLAIN FORMAT=TREE / EXPLAIN ANALYZE (MySQL 8.0.33+ rules) and of the JSON
 * format, and the selectivities of our cost model.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { req } from '../../helpers/req.js';
import { jsonBytes, jsonCost, treeNumber } from '../../../src/exec/query/explain/numbers.js';
import { selectivity } from '../../../src/exec/query/explain/model.js';
import { parseExpression } from '../../../src/sql/parser/index.js';

describe('EXPLAIN numbers', () => {
  it(req(['CORE-EXPLAIN-005'], 'unit', 'three significant digits, whole numbers to 999999, engineering notation beyond, no trailing zeros'), () => {
    const cases: [number, string][] = [
      [0, '0'], [1e-13, '0'], [1.75, '1.75'], [17, '17'], [0.019, '0.019'], [0.0005, '500e-6'], [0.000934, '934e-6'], [1.2, '1.2'], [2.30, '2.3'],
      [999.4, '999'], [1234.5678, '1235'], [999999.4, '999999'], [999999.5, '1e+6'], [1.23e9, '1.23e+9'], [1.2e6, '1.2e+6'], [0.001, '0.001'], [5.6, '5.6'], [0.35, '0.35'],
    ];
    for (const [n, s] of cases) expect(treeNumber(n), String(n)).toBe(s);
  });

  it(req(['CORE-EXPLAIN-005'], 'unit', 'every number prints in the documented form and reads back within rounding'), () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-11, max: 1e15, noNaN: true }), (n) => {
        const s = treeNumber(n);
        expect(s).toMatch(/^(\d+(\.\d+)?|\d+(\.\d+)?e[+-]\d+)$/);
        expect(s).not.toMatch(/\.\d*0($|e)/);
        const back = Number(s);
        expect(Math.abs(back - n) / n).toBeLessThan(0.006);
        if (n >= 0.001 && n < 999999.5) expect(s).not.toContain('e');
        else expect(Math.abs(Number(/e([+-]\d+)$/.exec(s)![1]) % 3)).toBe(0);
      }),
      { numRuns: 500 },
    );
  });

  it(req(['CORE-EXPLAIN-004'], 'unit', 'JSON costs have two decimals, bytes K/M units, selectivities by kind of condition'), () => {
    expect(jsonCost(1.05)).toBe('1.05');
    expect(jsonCost(3)).toBe('3.00');
    expect(jsonBytes(96)).toBe('96');
    expect(jsonBytes(16 * 1024 + 5)).toBe('16K');
    expect(jsonBytes(3 * 1024 * 1024)).toBe('3M');
    expect(selectivity(parseExpression('a = 1'))).toBeCloseTo(0.1);
    expect(selectivity(parseExpression('a > 1'))).toBeCloseTo(1 / 3);
    expect(selectivity(parseExpression('a BETWEEN 1 AND 2'))).toBeCloseTo(1 / 9);
    expect(selectivity(parseExpression('a = 1 AND b < 2'))).toBeCloseTo(0.1 / 3);
    expect(selectivity(parseExpression('a = 1 OR b = 2'))).toBeCloseTo(0.2);
    expect(selectivity(parseExpression('a IN (1, 2, 3)'))).toBeCloseTo(0.3);
    expect(selectivity(parseExpression("a LIKE 'x%'"))).toBeCloseTo(0.5);
  });
});
