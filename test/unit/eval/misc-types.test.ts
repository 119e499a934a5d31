import { describe, expect, it } from 'vitest';
import { req } from '../../helpers/req.js';
import { compile, fakeRuntime, run } from './harness.js';

describe('string typing and collations in expressions', () => {
  it(req(['CORE-EXPR-002', 'CORE-EXPR-003'], 'unit', 'result types aggregate across alternatives'), () => {
    expect(compile("IF(1, 1, 'a')").type.kind).toBe('string');
    expect(compile('IF(1, 1, 2.5)').type.kind).toBe('decimal');
    expect(compile('IF(1, 1, 2e0)').type.kind).toBe('double');
    expect(compile('COALESCE(NULL, 1)').type.kind).toBe('int');
    expect(compile("COALESCE(DATE '2024-01-01', TIMESTAMP '2024-01-01 10:00:00')").type.temporal).toBe('DATETIME');
    expect(run('IF(1, 1, 2e0)')).toBe('1');
    expect(run("IFNULL(NULL, 2) + 0")).toBe('2');
  });

  it(req('CORE-TYPE-012', 'unit', 'CHARSET, COLLATION, COERCIBILITY and COLLATE inside expressions'), () => {
    expect(run("CHARSET('abc')")).toBe('utf8mb4');
    expect(run("CHARSET(_latin1'abc')")).toBe('latin1');
    expect(run('CHARSET(1)')).toBe('binary');
    expect(run("COLLATION('abc')")).toBe('utf8mb4_0900_ai_ci');
    expect(run("COLLATION('abc' COLLATE utf8mb4_bin)")).toBe('utf8mb4_bin');
    expect(run("COLLATION(CONVERT('abc' USING latin1))")).toBe('latin1_swedish_ci');
    expect(run("COERCIBILITY('abc')")).toBe('4');
    expect(run("COERCIBILITY('abc' COLLATE utf8mb4_bin)")).toBe('0');
    expect(run('COERCIBILITY(NULL)')).toBe('6');
    expect(() => run("'a' COLLATE latin1_bin")).toThrowError("COLLATION 'latin1_bin' is not valid for CHARACTER SET 'utf8mb4'");
    expect(() => run("'a' COLLATE nope_ci")).toThrowError("Unknown collation: 'nope_ci'");
    expect(run("'ǅ' = 'dž'")).toBe('1');
  });

  it(req('CORE-EXPR-020', 'unit', 'binary operands make string results binary'), () => {
    const c = compile("CONCAT('a', X'FF')");
    expect(c.type.binary).toBe(true);
    expect(Buffer.isBuffer(c.eval([], fakeRuntime()))).toBe(true);
    expect(run("LENGTH(CONCAT('é', X'41'))")).toBe('3');
    expect(run("HEX(CONCAT('é', X'41'))")).toBe('C3A941');
    expect(run("UPPER(BINARY 'abc')")).toBe('abc');
    expect(run("CHAR_LENGTH(BINARY 'é')")).toBe('2');
  });

  it(req('CORE-EXPR-050', 'unit', 'INTERVAL() returns the index of the last boundary not above N'), () => {
    expect(run('INTERVAL(23, 1, 15, 17, 30, 44, 200)')).toBe('3');
    expect(run('INTERVAL(10, 1, 10, 100, 1000)')).toBe('2');
    expect(run('INTERVAL(22, 23, 30, 44, 200)')).toBe('0');
    expect(run('INTERVAL(NULL, 1)')).toBe('-1');
  });

  it(req('CORE-EXPR-093', 'unit', 'GET_LOCK / RELEASE_LOCK / IS_FREE_LOCK without a shared lock service'), async () => {
    const rt = fakeRuntime();
    const g = compile("GET_LOCK('lk', 1)");
    expect(g.async).toBe(true);
    await expect(g.evalAsync!([], rt)).resolves.toBe(1n);
    expect(run("IS_FREE_LOCK('lk')", rt)).toBe('0');
    expect(run("IS_USED_LOCK('lk')", rt)).toBe('7');
    expect(run("RELEASE_LOCK('lk')", rt)).toBe('1');
    expect(run("RELEASE_LOCK('lk')", rt)).toBe(null);
    expect(run("IS_FREE_LOCK('lk')", rt)).toBe('1');
  });

  it(req('CORE-EXPR-001', 'unit', 'column references read row slots resolved once through the scope'), () => {
    let resolved = 0;
    const scope = {
      resolveColumn: () => {
        resolved++;
        return { slot: 1, type: { kind: 'int' as const, length: 11, decimals: 0, nullable: false } };
      },
    };
    const c = compile('a + 1 > 2 AND a < 10', scope);
    expect(resolved).toBe(2);
    const rt = fakeRuntime();
    expect(c.eval([null, 5n], rt)).toBe(1n);
    expect(c.eval([null, 1n], rt)).toBe(0n);
    expect(c.eval([null, 20n], rt)).toBe(0n);
  });

  it(req('CORE-EXPR-005', 'unit', 'parameters and user variables are typed by their runtime values'), () => {
    const rt = fakeRuntime({ params: [5n, 'abc', 2.5] });
    expect(compile('? + 1').eval([], rt)).toBe(6n);
    expect(compile('? = ?').eval([], fakeRuntime({ params: ['ABC', 'abc'] }))).toBe(1n);
    expect(run('CONCAT(?, ?)', rt)).toBe('5abc');
    expect(compile('? * 2').eval([], fakeRuntime({ params: [2.5] }))).toBe(5);
  });
});
