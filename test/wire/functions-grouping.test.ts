/**
 * GROUPING() over WITH ROLLUP rows, DEFAULT(col) in expressions, ICU_VERSION(),
 * VALIDATE_PASSWORD_STRENGTH() and the collation of a string made of numbers, through mysql2.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/miscellaneous-functions.html#function_grouping
 * @spec https://dev.mysql.com/doc/refman/8.0/en/miscellaneous-functions.html#function_default
 * @req CORE-FN-040 CORE-FN-041 CORE-FN-042 CORE-FN-043 CORE-FN-044
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type mysql from 'mysql2/promise';
import { req } from '../helpers/req.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { errorOf } from '../helpers/sql.js';

let srv: TestServer;
let c: mysql.Connection;

async function rows(sql: string): Promise<unknown[][]> {
  const [r] = await c.query({ sql, rowsAsArray: true });
  return r as unknown[][];
}

beforeAll(async () => {
  srv = await startTestServer();
  c = await srv.connect({ supportBigNumbers: true, bigNumberStrings: true, dateStrings: true });
  await c.query('CREATE DATABASE g');
  await c.query('USE g');
  await c.query('CREATE TABLE t (a INT, b INT, c INT)');
  await c.query('INSERT INTO t VALUES (1,1,10),(1,2,20),(2,1,30),(NULL,NULL,40)');
  await c.query(
    "CREATE TABLE d (id INT AUTO_INCREMENT PRIMARY KEY, n INT NOT NULL, x INT, k INT DEFAULT 5, m DECIMAL(5,2) DEFAULT 1, s VARCHAR(10) DEFAULT 'hi', e INT DEFAULT (1 + 2), ts DATETIME DEFAULT CURRENT_TIMESTAMP)",
  );
  await c.query('INSERT INTO d (n, k) VALUES (1, 7), (2, 8)');
}, 60000);

afterAll(async () => {
  await c?.end();
  await srv?.stop();
});

describe('GROUPING', () => {
  it(req(['CORE-FN-040'], 'wire', 'tells a NULL made by ROLLUP from a NULL in the data, one bit per argument'), async () => {
    expect(await rows('SELECT a, b, SUM(c), GROUPING(a), GROUPING(b), GROUPING(a, b), GROUPING(b, a) FROM t GROUP BY a, b WITH ROLLUP')).toEqual([
      [null, null, '40', '0', '0', '0', '0'],
      [null, null, '40', '0', '1', '1', '2'],
      [1, 1, '10', '0', '0', '0', '0'],
      [1, 2, '20', '0', '0', '0', '0'],
      [1, null, '30', '0', '1', '1', '2'],
      [2, 1, '30', '0', '0', '0', '0'],
      [2, null, '30', '0', '1', '1', '2'],
      [null, null, '100', '1', '1', '3', '3'],
    ]);
  });

  it(req(['CORE-FN-040'], 'wire', 'in HAVING and ORDER BY, and over an expression, an alias or an ordinal'), async () => {
    expect(await rows('SELECT a, SUM(c) FROM t GROUP BY a WITH ROLLUP HAVING GROUPING(a) = 1')).toEqual([[null, '100']]);
    expect(await rows('SELECT a, SUM(c) AS s FROM t GROUP BY a WITH ROLLUP ORDER BY GROUPING(a) DESC, a')).toEqual([
      [null, '100'],
      [null, '40'],
      [1, '30'],
      [2, '30'],
    ]);
    expect(await rows("SELECT IF(GROUPING(a), 'all', a) AS label, SUM(c) FROM t GROUP BY a WITH ROLLUP")).toEqual([
      [null, '40'],
      ['1', '30'],
      ['2', '30'],
      ['all', '100'],
    ]);
    expect(await rows('SELECT a + 1 AS p, GROUPING(a + 1), GROUPING(p) FROM t GROUP BY a + 1 WITH ROLLUP')).toEqual([
      [null, '0', '0'],
      ['2', '0', '0'],
      ['3', '0', '0'],
      [null, '1', '1'],
    ]);
    expect(await rows('SELECT a, GROUPING(a) FROM t GROUP BY 1 WITH ROLLUP')).toEqual([
      [null, '0'],
      [1, '0'],
      [2, '0'],
      [null, '1'],
    ]);
  });

  it(req(['CORE-FN-040'], 'wire', 'an argument outside GROUP BY is 3602; without ROLLUP, in WHERE or inside an aggregate it is 1111'), async () => {
    expect(await errorOf(c.query('SELECT a, GROUPING(c) FROM t GROUP BY a WITH ROLLUP'))).toEqual({
      errno: 3602,
      sqlState: 'HY000',
      message: 'Argument #1 of GROUPING function is not in GROUP BY',
    });
    expect((await errorOf(c.query('SELECT a, GROUPING(a, c) FROM t GROUP BY a WITH ROLLUP'))).message).toBe('Argument #2 of GROUPING function is not in GROUP BY');
    const invalid = { errno: 1111, sqlState: 'HY000', message: 'Invalid use of group function' };
    expect(await errorOf(c.query('SELECT a, GROUPING(a) FROM t GROUP BY a'))).toEqual(invalid);
    expect(await errorOf(c.query('SELECT GROUPING(a) FROM t'))).toEqual(invalid);
    expect(await errorOf(c.query('SELECT a FROM t WHERE GROUPING(a) = 0 GROUP BY a WITH ROLLUP'))).toEqual(invalid);
    expect(await errorOf(c.query('SELECT a, SUM(GROUPING(a)) FROM t GROUP BY a WITH ROLLUP'))).toEqual(invalid);
  });
});

describe('DEFAULT(col)', () => {
  it(req(['CORE-FN-041'], 'wire', 'gives the literal or expression default, NULL without one, 0 for AUTO_INCREMENT'), async () => {
    expect(await rows('SELECT DEFAULT(x), DEFAULT(k), DEFAULT(m), DEFAULT(s), DEFAULT(d.k), DEFAULT(id), DEFAULT(e), DEFAULT(ts) IS NOT NULL FROM d ORDER BY id')).toEqual([
      [null, 5, '1.00', 'hi', 5, 0, 3, '1'],
      [null, 5, '1.00', 'hi', 5, 0, 3, '1'],
    ]);
    expect(await rows('SELECT DEFAULT(k) + 1, k FROM d WHERE DEFAULT(k) < k ORDER BY id')).toEqual([
      ['6', 7],
      ['6', 8],
    ]);
  });

  it(req(['CORE-FN-041'], 'wire', 'works in UPDATE expressions'), async () => {
    await c.query('UPDATE d SET x = DEFAULT(k) * 10 + id');
    expect(await rows('SELECT id, x FROM d ORDER BY id')).toEqual([
      [1, 51],
      [2, 52],
    ]);
  });

  it(req(['CORE-FN-041'], 'wire', 'a NOT NULL column without a default is 1364, an unknown column 1054'), async () => {
    expect(await errorOf(c.query('SELECT DEFAULT(n) FROM d'))).toEqual({ errno: 1364, sqlState: 'HY000', message: "Field 'n' doesn't have a default value" });
    await c.query('CREATE TABLE empty_t (n INT NOT NULL)');
    expect((await errorOf(c.query('SELECT DEFAULT(n) FROM empty_t'))).errno).toBe(1364);
    expect(await errorOf(c.query('SELECT DEFAULT(zz) FROM d'))).toEqual({ errno: 1054, sqlState: '42S22', message: "Unknown column 'zz' in 'field list'" });
  });
});

describe('server build functions', () => {
  it(req(['CORE-FN-042'], 'wire', 'ICU_VERSION() names the bundled ICU as a utf8mb3 system constant'), async () => {
    expect(await rows('SELECT ICU_VERSION(), CHARSET(ICU_VERSION()), COERCIBILITY(ICU_VERSION())')).toEqual([['73.1', 'utf8mb3', '3']]);
  });

  it(req(['CORE-FN-043'], 'wire', 'VALIDATE_PASSWORD_STRENGTH() is 0 without the validate_password component, NULL for NULL'), async () => {
    expect(await rows("SELECT VALIDATE_PASSWORD_STRENGTH('abc'), VALIDATE_PASSWORD_STRENGTH('Str0ng!Passw0rd#'), VALIDATE_PASSWORD_STRENGTH(NULL)")).toEqual([['0', '0', null]]);
  });
});

describe('strings made of numbers', () => {
  it(req(['CORE-FN-044'], 'wire', 'take collation_connection, coercible'), async () => {
    const conn = await srv.connect();
    try {
      await conn.query('SET NAMES latin1');
      const [r] = await conn.query({
        sql: 'SELECT COLLATION(CONCAT(1,2)), COERCIBILITY(CONCAT(1,2)), COLLATION(CONCAT(1.5, 2e0)), COLLATION(LPAD(1,3,0)), COLLATION(1), COLLATION(USER())',
        rowsAsArray: true,
      });
      expect((r as unknown[][])[0]).toEqual(['latin1_swedish_ci', 4, 'latin1_swedish_ci', 'latin1_swedish_ci', 'binary', 'utf8mb3_general_ci']);
      await conn.query('SET NAMES utf8mb4 COLLATE utf8mb4_bin');
      const [r2] = await conn.query({ sql: 'SELECT COLLATION(CONCAT(1,2))', rowsAsArray: true });
      expect((r2 as unknown[][])[0]).toEqual(['utf8mb4_bin']);
    } finally {
      await conn.end();
    }
  });
});
