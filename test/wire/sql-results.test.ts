/**
 * Wrong-result fixes of issue 12, each as MySQL 8.0 answers through a real client: nested query
 * expressions keep every level's ORDER BY / LIMIT, outer select-list aliases are visible in
 * subqueries, temporal literals are checked by shape (1525), HAVING names only select-list and
 * GROUP BY columns (1054), infinite double results are 1690.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type mysql from 'mysql2/promise';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { req } from '../helpers/req.js';
import { errorOf, queryRows } from '../helpers/sql.js';

let srv: TestServer;
let c: mysql.Connection;

/** The rows of `sql` as arrays of values (column order kept). */
async function rows(sql: string): Promise<unknown[][]> {
  const [r] = await c.query({ sql, rowsAsArray: true });
  return r as unknown[][];
}
const err = (sql: string) => errorOf(c.query(sql));

beforeAll(async () => {
  srv = await startTestServer();
  c = await srv.connect();
  await c.query('CREATE DATABASE sr');
  await c.query('USE sr');
  // Inserted out of order, with a primary key so that the stored order is the key order.
  await c.query('CREATE TABLE t1 (a INT PRIMARY KEY, b INT)');
  await c.query('INSERT INTO t1 VALUES (5,50),(1,10),(9,90),(3,30),(7,70),(2,20),(10,100),(4,40),(8,80),(6,60)');
}, 60_000);
afterAll(async () => {
  await c?.end();
  await srv?.stop();
});

describe('nested query expressions keep each level\'s ORDER BY and LIMIT', () => {
  it(req('CORE-EXEC-073#nested', 'wire', '(SELECT ... LIMIT 7) ORDER BY a DESC LIMIT 4 orders the 7 inner rows'), async () => {
    expect(await rows('(SELECT a FROM t1 ORDER BY a LIMIT 7) ORDER BY a DESC LIMIT 4')).toEqual([[7], [6], [5], [4]]);
    expect(await rows('(SELECT * FROM t1 LIMIT 7) ORDER BY a DESC LIMIT 4')).toEqual([[7, 70], [6, 60], [5, 50], [4, 40]]);
    // an outer ORDER BY alone, an outer LIMIT alone
    expect(await rows('(SELECT a FROM t1 ORDER BY a LIMIT 3) ORDER BY a DESC')).toEqual([[3], [2], [1]]);
    expect(await rows('(SELECT a FROM t1 ORDER BY a DESC LIMIT 5) LIMIT 2')).toEqual([[10], [9]]);
    // an inner ORDER BY without LIMIT is replaced by the outer one
    expect(await rows('(SELECT a FROM t1 ORDER BY a) ORDER BY a DESC LIMIT 2')).toEqual([[10], [9]]);
    // three levels
    expect(await rows('((SELECT a FROM t1 ORDER BY a LIMIT 7) ORDER BY a DESC LIMIT 4) ORDER BY a LIMIT 2')).toEqual([[4], [5]]);
    expect(await rows('((SELECT a FROM t1 ORDER BY a LIMIT 7) ORDER BY a DESC LIMIT 4) LIMIT 1, 2')).toEqual([[6], [5]]);
  });

  it(req('CORE-EXEC-073#union', 'wire', 'parenthesised operands of UNION keep their LIMITs under the outer ORDER BY / LIMIT'), async () => {
    expect(await rows('(SELECT a FROM t1 ORDER BY a LIMIT 2) UNION ALL (SELECT a FROM t1 ORDER BY a DESC LIMIT 1) ORDER BY a LIMIT 2')).toEqual([[1], [2]]);
    expect(await rows('(SELECT a FROM t1 ORDER BY a LIMIT 2) UNION ALL (SELECT a FROM t1 ORDER BY a DESC LIMIT 1) ORDER BY a DESC')).toEqual([[10], [2], [1]]);
    // a parenthesised set operation with its own LIMIT, limited again from outside
    expect(await rows('((SELECT a FROM t1 ORDER BY a LIMIT 3) UNION (SELECT a FROM t1 ORDER BY a DESC LIMIT 3) ORDER BY a LIMIT 4) ORDER BY a DESC LIMIT 2')).toEqual([[8], [3]]);
  });

  it(req('CORE-EXEC-073#subquery', 'wire', 'the same levels in a scalar subquery, EXISTS, IN and a derived table'), async () => {
    expect(await rows('SELECT (SELECT MIN(a) FROM ((SELECT a FROM t1 ORDER BY a LIMIT 7) ORDER BY a DESC LIMIT 4) d) AS m')).toEqual([[4]]);
    expect(await rows('SELECT * FROM ((SELECT a FROM t1 ORDER BY a LIMIT 7) ORDER BY a DESC LIMIT 4) d ORDER BY a')).toEqual([[4], [5], [6], [7]]);
    expect(await rows('SELECT ((SELECT a FROM t1 ORDER BY a LIMIT 7) ORDER BY a DESC LIMIT 1) AS x')).toEqual([[7]]);
    expect(await rows('SELECT EXISTS ((SELECT a FROM t1 ORDER BY a LIMIT 7) ORDER BY a DESC LIMIT 1) AS e')).toEqual([[1]]);
    expect(await rows('SELECT a FROM t1 WHERE a IN ((SELECT a FROM t1 WHERE a > 8) ORDER BY a DESC) ORDER BY a')).toEqual([[9], [10]]);
    expect(await rows('SELECT a FROM t1 WHERE a IN ((SELECT a FROM t1 WHERE a > 8) UNION (SELECT 1)) ORDER BY a')).toEqual([[1], [9], [10]]);
    // IN with a LIMIT inside is refused as in MySQL
    expect(await err('SELECT a FROM t1 WHERE a IN ((SELECT a FROM t1 LIMIT 7) ORDER BY a DESC LIMIT 1)')).toEqual({
      errno: 1235,
      sqlState: '42000',
      message: "This version of MySQL doesn't yet support 'LIMIT & IN/ALL/ANY/SOME subquery'",
    });
  });
});

describe('set-operation ORDER BY', () => {
  it(req('CORE-EXEC-078', 'wire', 'a table-qualified name in the ORDER BY of a UNION fails with 1250'), async () => {
    const e = { errno: 1250, sqlState: '42000', message: "Table 't1' from one of the SELECTs cannot be used in global ORDER clause" };
    expect(await err('SELECT a FROM t1 UNION SELECT a FROM t1 ORDER BY t1.a')).toEqual(e);
    expect(await err('(SELECT a FROM t1 LIMIT 2) UNION ALL (SELECT a FROM t1 ORDER BY a LIMIT 1) ORDER BY t1.a')).toEqual(e);
    expect(await rows('SELECT a AS x FROM t1 WHERE a < 3 UNION SELECT a FROM t1 WHERE a > 9 ORDER BY x DESC')).toEqual([[10], [2], [1]]);
    expect(await rows('SELECT a FROM t1 WHERE a < 3 UNION SELECT a FROM t1 WHERE a > 9 ORDER BY a + 0 DESC LIMIT 1')).toEqual([[10]]);
  });
});

describe('outer select-list aliases in subqueries', () => {
  it(req('CORE-EXEC-074#alias', 'wire', 'SELECT 1 AS a, (SELECT a UNION SELECT a) gives 1, 1'), async () => {
    const [r, fields] = await c.query({ sql: 'SELECT 1 AS a, (SELECT a UNION SELECT a)', rowsAsArray: true });
    expect(r).toEqual([[1, 1]]);
    expect((fields as mysql.FieldPacket[]).map((f) => f.name)).toEqual(['a', '(SELECT a UNION SELECT a)']);
    expect(await rows('SELECT 1 AS a, (SELECT a)')).toEqual([[1, 1]]);
    expect(await rows('SELECT 1 AS b, (SELECT b) AS c, (SELECT c)')).toEqual([[1, 1, 1]]);
    expect(await rows('SELECT 1 AS a, (SELECT a FROM DUAL UNION SELECT a + 1 ORDER BY 1 DESC LIMIT 1) AS x')).toEqual([[1, 2]]);
    expect(await err('SELECT 1 AS a, (SELECT a FROM DUAL UNION SELECT a + 1)')).toEqual({
      errno: 1242,
      sqlState: '21000',
      message: 'Subquery returns more than 1 row',
    });
  });

  it(req('CORE-EXEC-074#correlated', 'wire', 'an alias of a column expression is read per outer row, also in the subquery WHERE, ORDER BY and HAVING'), async () => {
    expect(await rows('SELECT a + 1 AS z, (SELECT z) FROM t1 WHERE a < 3 ORDER BY a')).toEqual([[2, 2], [3, 3]]);
    expect(await rows('SELECT a AS z, (SELECT COUNT(*) FROM t1 x WHERE x.a < z) AS n FROM t1 WHERE a < 4 ORDER BY a')).toEqual([[1, 0], [2, 1], [3, 2]]);
    expect(await rows('SELECT a + 1 AS z FROM t1 WHERE a < 4 ORDER BY (SELECT z) DESC')).toEqual([[4], [3], [2]]);
    expect(await rows('SELECT a AS z FROM t1 HAVING (SELECT z) > 8 ORDER BY a')).toEqual([[9], [10]]);
    // from a subquery the outer block's columns come before its aliases, in HAVING too (t1.b)
    expect(await rows('SELECT a AS b FROM t1 HAVING (SELECT b) > 80 ORDER BY a')).toEqual([[9], [10]]);
    expect(await rows('SELECT a AS b FROM t1 HAVING (SELECT b) > 8 ORDER BY a LIMIT 1')).toEqual([[1]]);
    // a table column of the same name wins over the alias (columns are looked up first)
    expect(await rows('SELECT b AS a, (SELECT a) AS x FROM t1 WHERE a = 2')).toEqual([[20, 2]]);
  });

  it(req('CORE-EXEC-074#e1247', 'wire', 'a reference to the item being defined or a later one fails with 1247'), async () => {
    const forward = { errno: 1247, sqlState: '42S22', message: "Reference 'b' not supported (forward reference in item list)" };
    expect(await err('SELECT (SELECT b) AS b')).toEqual(forward);
    expect(await err('SELECT (SELECT b), 1 AS b')).toEqual(forward);
  });

  it(req('CORE-EXEC-074#where', 'wire', 'a subquery in WHERE does not see the select-list aliases'), async () => {
    expect(await err('SELECT a AS z FROM t1 WHERE (SELECT z) > 8')).toEqual({
      errno: 1054,
      sqlState: '42S22',
      message: "Unknown column 'z' in 'field list'",
    });
  });
});

describe('temporal literals', () => {
  it(req('CORE-EXEC-075', 'wire', 'DATE, TIME and TIMESTAMP literals of the wrong shape or out of range fail with 1525'), async () => {
    const bad = (type: string, v: string) => ({ errno: 1525, sqlState: 'HY000', message: `Incorrect ${type} value: '${v}'` });
    expect(await err("SELECT DATE'2001-13-01'")).toEqual(bad('DATE', '2001-13-01'));
    expect(await err("SELECT DATE'2001-02-30'")).toEqual(bad('DATE', '2001-02-30'));
    expect(await err("SELECT DATE'2001-01-01 10:00'")).toEqual(bad('DATE', '2001-01-01 10:00'));
    expect(await err("SELECT DATE'2001-01-01 00:00:00'")).toEqual(bad('DATE', '2001-01-01 00:00:00'));
    expect(await err("SELECT TIME'25:61:00'")).toEqual(bad('TIME', '25:61:00'));
    expect(await err("SELECT TIME'839:00:00'")).toEqual(bad('TIME', '839:00:00'));
    expect(await err("SELECT TIME'2001-01-01 10:00:00'")).toEqual(bad('TIME', '2001-01-01 10:00:00'));
    expect(await err("SELECT TIMESTAMP'2001-01-01'")).toEqual(bad('DATETIME', '2001-01-01'));
    expect(await err("SELECT TIMESTAMP'2001-01-01 25:00:00'")).toEqual(bad('DATETIME', '2001-01-01 25:00:00'));
    // the valid forms
    const [r] = await c.query({ sql: "SELECT DATE'2001-01-01', TIME'838:59:59', TIMESTAMP'2001-01-01 10', DATE'0000-00-00'", rowsAsArray: true, dateStrings: true });
    expect(r).toEqual([['2001-01-01', '838:59:59', '2001-01-01 10:00:00', '0000-00-00']]);
  });
});

describe('HAVING names', () => {
  it(req('CORE-EXEC-076', 'wire', 'a table column neither selected nor grouped is unknown in HAVING (1054)'), async () => {
    const unknown = (n: string) => ({ errno: 1054, sqlState: '42S22', message: `Unknown column '${n}' in 'having clause'` });
    expect(await err('SELECT 1 FROM t1 HAVING a > 0')).toEqual(unknown('a'));
    expect(await err('SELECT COUNT(*) FROM t1 HAVING a > 0')).toEqual(unknown('a'));
    expect(await err('SELECT a + 1 FROM t1 HAVING a > 9')).toEqual(unknown('a'));
    expect(await err('SELECT b, COUNT(*) FROM t1 GROUP BY b HAVING a > 0')).toEqual(unknown('a'));
    // selected (also through * or an alias), grouped, or inside an aggregate: fine
    expect(await rows('SELECT a AS x FROM t1 HAVING a > 9')).toEqual([[10]]);
    expect(await rows('SELECT * FROM t1 HAVING a > 9')).toEqual([[10, 100]]);
    expect(await rows('SELECT COUNT(*) FROM t1 GROUP BY a HAVING a > 9')).toEqual([[1]]);
    expect(await rows('SELECT COUNT(*) FROM t1 HAVING SUM(a) = 55')).toEqual([[10]]);
    expect(await rows('SELECT a + 1 AS a FROM t1 HAVING a > 10')).toEqual([[11]]);
  });
});

describe('floating-point overflow', () => {
  it(req('CORE-EXEC-077', 'wire', 'EXP(1000), COT(0) fail with 1690; integer overflow is 1690 too'), async () => {
    expect(await err('SELECT EXP(1000)')).toEqual({ errno: 1690, sqlState: '22003', message: "DOUBLE value is out of range in 'exp(1000)'" });
    expect(await err('SELECT COT(0)')).toEqual({ errno: 1690, sqlState: '22003', message: "DOUBLE value is out of range in 'cot(0)'" });
    expect(await err('SELECT CAST(1 AS UNSIGNED) - 2')).toEqual({
      errno: 1690,
      sqlState: '22003',
      message: "BIGINT UNSIGNED value is out of range in '(cast(1 as unsigned) - 2)'",
    });
    expect(await queryRows(c, 'SELECT EXP(1) > 2.7 AS e')).toEqual([{ e: 1 }]);
  });
});
