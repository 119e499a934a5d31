/**
 * Warnings and notes MySQL 8.0.40 gives over the wire: deprecation warnings (1287, 1681, 3719),
 * EXPLAIN's Note 1003 with the rewritten query, truncation notes, and column headings. Each
 * expected text is MySQL's (its message file and mysql-test results).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type mysql from 'mysql2/promise';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { req } from '../helpers/req.js';

let srv: TestServer;
let c: mysql.Connection;

interface Warning {
  Level: string;
  Code: number;
  Message: string;
}

async function warnings(): Promise<Warning[]> {
  const [rows] = await c.query('SHOW WARNINGS');
  return rows as Warning[];
}

/** Run a statement, then return its warnings and @@warning_count (which must agree). */
async function warningsOf(sql: string): Promise<[number, string][]> {
  await c.query(sql);
  const w = await warnings();
  const [[count]] = (await c.query({ sql: 'SELECT @@warning_count', rowsAsArray: true }))[0] as unknown as [[number]];
  expect(Number(count)).toBe(w.length);
  return w.map((x) => [x.Code, x.Message]);
}

const AND = "'&&' is deprecated and will be removed in a future release. Please use AND instead";
const OR = "'|| as a synonym for OR' is deprecated and will be removed in a future release. Please use OR instead";
const NOT = "'!' is deprecated and will be removed in a future release. Please use NOT instead";
const BINARY = "'BINARY expr' is deprecated and will be removed in a future release. Please use CAST instead";
const VALUES = "'VALUES function' is deprecated and will be removed in a future release. Please use an alias (INSERT INTO ... VALUES (...) AS alias) and replace VALUES(col) in the ON DUPLICATE KEY UPDATE clause with alias.col instead";
const CALC = 'SQL_CALC_FOUND_ROWS is deprecated and will be removed in a future release. Consider using two separate queries instead.';
const FOUND = 'FOUND_ROWS() is deprecated and will be removed in a future release. Consider using COUNT(*) instead.';
const ASSIGN = "Setting user variables within expressions is deprecated and will be removed in a future release. Consider alternatives: 'SET variable=expression, ...', or 'SELECT expression(s) INTO variables(s)'.";
const WIDTH = 'Integer display width is deprecated and will be removed in a future release.';
const ZEROFILL = 'The ZEROFILL attribute is deprecated and will be removed in a future release. Use the LPAD function to zero-pad numbers, or store the formatted numbers in a CHAR column.';
const DIGITS = 'Specifying number of digits for floating point data types is deprecated and will be removed in a future release.';
const UNSIGNED = 'UNSIGNED for decimal and floating point data types is deprecated and support for it will be removed in a future release.';

beforeAll(async () => {
  srv = await startTestServer();
  c = await srv.connect();
  await c.query('CREATE DATABASE test');
  await c.query('USE test');
  await c.query('CREATE TABLE t1 (a INT PRIMARY KEY, b INT, c DECIMAL(5,2), d VARCHAR(10))');
  await c.query('CREATE TABLE t2 (a INT, b INT)');
  await c.query("INSERT INTO t1 VALUES (1,1,1,'x'),(2,2,2,'y')");
  await c.query('INSERT INTO t2 VALUES (1,1),(2,5)');
}, 60000);
afterAll(async () => {
  await c?.end();
  await srv?.stop();
});

describe('deprecation warnings', () => {
  it(req(['CORE-DIAG-001', 'CORE-DIAG-002#operators'], 'wire', '&&, || (as OR), ! and BINARY each warn 1287, in order, counted in @@warning_count'), async () => {
    expect(await warningsOf("SELECT 1 && 1, 1 || 0, !1, BINARY 'a'")).toEqual([[1287, AND], [1287, OR], [1287, NOT], [1287, BINARY]]);
    // Their keyword forms do not warn.
    expect(await warningsOf("SELECT 1 AND 1, 1 OR 0, NOT 1, CAST('a' AS BINARY)")).toEqual([]);
  });
  it(req('CORE-DIAG-002#operators', 'wire', 'under PIPES_AS_CONCAT, || is concatenation and does not warn'), async () => {
    await c.query("SET SESSION sql_mode = 'PIPES_AS_CONCAT'");
    try {
      expect(await warningsOf("SELECT 'a' || 'b'")).toEqual([]);
    } finally {
      await c.query('SET SESSION sql_mode = DEFAULT');
    }
  });
  it(req('CORE-DIAG-002#values', 'wire', 'VALUES(col) in ON DUPLICATE KEY UPDATE warns once per use; the row alias does not'), async () => {
    expect(await warningsOf('INSERT INTO t2 VALUES (9,9) ON DUPLICATE KEY UPDATE a = VALUES(a), b = VALUES(b)')).toEqual([[1287, VALUES], [1287, VALUES]]);
    expect(await warningsOf('INSERT INTO t2 VALUES (9,9) AS n ON DUPLICATE KEY UPDATE b = n.b')).toEqual([]);
    await c.query('DELETE FROM t2 WHERE a = 9');
  });
  it(req('CORE-DIAG-002#found-rows', 'wire', 'SQL_CALC_FOUND_ROWS and FOUND_ROWS() warn 1287'), async () => {
    expect(await warningsOf('SELECT SQL_CALC_FOUND_ROWS * FROM t1 LIMIT 1')).toEqual([[1287, CALC]]);
    await c.query('SELECT SQL_CALC_FOUND_ROWS * FROM t1 LIMIT 1');
    const [rows] = await c.query('SELECT FOUND_ROWS() AS n');
    expect(rows).toEqual([{ n: 2 }]);
    expect((await warnings()).map((w) => [w.Code, w.Message])).toEqual([[1287, FOUND]]);
  });
  it(req('CORE-DIAG-002#assign', 'wire', 'assigning a user variable inside an expression warns; SET @v := does not'), async () => {
    expect(await warningsOf('SELECT @v := 1')).toEqual([[1287, ASSIGN]]);
    expect(await warningsOf('SET @v := 2')).toEqual([]);
  });
  it(req(['CORE-DIAG-003#width', 'CORE-DIAG-003#zerofill', 'CORE-DIAG-003#float-digits', 'CORE-DIAG-003#unsigned'], 'wire', 'column attributes warn 1681 with MySQL texts, in column order'), async () => {
    const w = await warningsOf('CREATE TABLE dep1 (a INT(11), z INT(5) ZEROFILL, t TINYINT(1), bo BOOL, i INT, f FLOAT(5,2), g DOUBLE(6,3) UNSIGNED, d DECIMAL(5,2) UNSIGNED, e DECIMAL(5,2))');
    expect(w).toEqual([[1681, WIDTH], [1681, ZEROFILL], [1681, DIGITS], [1681, DIGITS], [1681, UNSIGNED], [1681, UNSIGNED]]);
    // ALTER TABLE ... ADD COLUMN warns the same way.
    expect(await warningsOf('ALTER TABLE dep1 ADD COLUMN x BIGINT(20)')).toEqual([[1681, WIDTH]]);
  });
  it(req('CORE-DIAG-004', 'wire', 'utf8 warns 3719 and utf8mb3 warns 1287 in a column definition'), async () => {
    expect(await warningsOf('CREATE TABLE dep2 (a VARCHAR(3) CHARACTER SET utf8, b VARCHAR(3) CHARSET utf8mb3, c VARCHAR(3) CHARSET utf8mb4)')).toEqual([
      [3719, "'utf8' is currently an alias for the character set UTF8MB3, but will be an alias for UTF8MB4 in a future release. Please consider using UTF8MB4 in order to be unambiguous."],
      [1287, "'utf8mb3' is deprecated and will be removed in a future release. Please use utf8mb4 instead"],
    ]);
  });
  it(req('CORE-DIAG-005', 'wire', 'SQL_NO_CACHE warns 1681'), async () => {
    expect(await warningsOf('SELECT SQL_NO_CACHE a FROM t1')).toEqual([[1681, "'SQL_NO_CACHE' is deprecated and will be removed in a future release."]]);
  });
  it(req('CORE-DIAG-006', 'wire', 'SQL_CACHE is no SELECT option: it reads as a column name'), async () => {
    await expect(c.query('SELECT SQL_CACHE 1')).rejects.toMatchObject({ errno: 1064 });
    await expect(c.query('SELECT SQL_CACHE a FROM t1')).rejects.toMatchObject({ errno: 1054, sqlMessage: "Unknown column 'SQL_CACHE' in 'field list'" });
  });
  it(req('CORE-DIAG-001', 'wire', 'a statement without deprecated syntax clears the previous warnings'), async () => {
    await c.query('SELECT 1 && 1');
    expect(await warningsOf("SELECT a FROM t1 WHERE d != 'x'")).toEqual([]);
  });
});

describe('EXPLAIN Note 1003', () => {
  async function note(sql: string): Promise<Warning[]> {
    await c.query(sql);
    return warnings();
  }
  it(req('CORE-DIAG-020#simple', 'wire', 'a one-table query prints qualified, named and with its clauses'), async () => {
    expect(await note('EXPLAIN SELECT a FROM t1 WHERE b = 1')).toEqual([
      { Level: 'Note', Code: 1003, Message: '/* select#1 */ select `test`.`t1`.`a` AS `a` from `test`.`t1` where (`test`.`t1`.`b` = 1)' },
    ]);
    expect((await note("EXPLAIN SELECT b, COUNT(*) FROM t1 WHERE d <> 'z' GROUP BY b HAVING COUNT(*) > 0 ORDER BY b DESC LIMIT 1, 5"))[0]!.Message).toBe(
      "/* select#1 */ select `test`.`t1`.`b` AS `b`,count(0) AS `COUNT(*)` from `test`.`t1` where (`test`.`t1`.`d` <> 'z') group by `test`.`t1`.`b` having (count(0) > 0) order by `test`.`t1`.`b` desc limit 1,5",
    );
    expect((await note('EXPLAIN SELECT 1'))[0]!.Message).toBe('/* select#1 */ select 1 AS `1`');
    expect((await note('EXPLAIN SELECT * FROM t2 x WHERE x.a = -1'))[0]!.Message).toBe('/* select#1 */ select `test`.`x`.`a` AS `a`,`test`.`x`.`b` AS `b` from `test`.`t2` `x` where (`test`.`x`.`a` = -1)');
  });
  it(req('CORE-DIAG-020#subquery', 'wire', 'a scalar subquery and a materialised derived table carry their block numbers'), async () => {
    expect((await note('EXPLAIN SELECT a, (SELECT MAX(b) FROM t2 WHERE t2.a = t1.a) AS m FROM t1'))[0]!.Message).toBe(
      '/* select#1 */ select `test`.`t1`.`a` AS `a`,(/* select#2 */ select max(`test`.`t2`.`b`) from `test`.`t2` where (`test`.`t2`.`a` = `test`.`t1`.`a`)) AS `m` from `test`.`t1`',
    );
    expect((await note('EXPLAIN SELECT * FROM (SELECT a, COUNT(*) AS n FROM t2 GROUP BY a) dt WHERE dt.n > 1'))[0]!.Message).toBe(
      '/* select#1 */ select `dt`.`a` AS `a`,`dt`.`n` AS `n` from (/* select#2 */ select `test`.`t2`.`a` AS `a`,count(0) AS `n` from `test`.`t2` group by `test`.`t2`.`a`) `dt` where (`dt`.`n` > 1)',
    );
  });
  it(req('CORE-DIAG-021', 'wire', 'inner joins print as join with ON in WHERE; a RIGHT JOIN prints as a LEFT JOIN'), async () => {
    expect((await note('EXPLAIN SELECT t1.a FROM t1 JOIN t2 ON t1.a = t2.a WHERE t2.b > 3'))[0]!.Message).toBe(
      '/* select#1 */ select `test`.`t1`.`a` AS `a` from `test`.`t1` join `test`.`t2` where ((`test`.`t2`.`b` > 3) and (`test`.`t1`.`a` = `test`.`t2`.`a`))',
    );
    expect((await note('EXPLAIN SELECT t1.a FROM t2 RIGHT JOIN t1 ON t1.a = t2.a'))[0]!.Message).toBe(
      '/* select#1 */ select `test`.`t1`.`a` AS `a` from `test`.`t1` left join `test`.`t2` on((`test`.`t1`.`a` = `test`.`t2`.`a`))',
    );
  });
  it(req('CORE-DIAG-022', 'wire', 'single-table UPDATE and DELETE print as update ... set and delete from; multi-table forms give no note'), async () => {
    expect(await note("EXPLAIN UPDATE t1 SET b = b + 1, d = 'q' WHERE c < 10 ORDER BY a LIMIT 3")).toEqual([
      { Level: 'Note', Code: 1003, Message: "update `test`.`t1` set `test`.`t1`.`b` = (`test`.`t1`.`b` + 1),`test`.`t1`.`d` = 'q' where (`test`.`t1`.`c` < 10) order by `test`.`t1`.`a` limit 3" },
    ]);
    expect((await note('EXPLAIN DELETE FROM t1 WHERE b = (SELECT MAX(b) FROM t2)'))[0]!.Message).toBe(
      'delete from `test`.`t1` where (`test`.`t1`.`b` = (/* select#2 */ select max(`test`.`t2`.`b`) from `test`.`t2`))',
    );
    expect(await note('EXPLAIN UPDATE t1, t2 SET t1.b = 1 WHERE t1.a = t2.a')).toEqual([]);
    expect(await note('EXPLAIN FORMAT=TREE DELETE FROM t1 WHERE b = 1')).toEqual([]);
  });
  it(req(['CORE-DIAG-001', 'CORE-DIAG-020#simple'], 'wire', 'deprecation warnings of the explained query come before the note'), async () => {
    expect((await note('EXPLAIN SELECT a FROM t1 WHERE b = 1 && c = 1')).map((w) => [w.Code, w.Message])).toEqual([
      [1287, AND],
      [1003, '/* select#1 */ select `test`.`t1`.`a` AS `a` from `test`.`t1` where ((`test`.`t1`.`b` = 1) and (`test`.`t1`.`c` = 1))'],
    ]);
  });
  it(req('CORE-DIAG-020#formats', 'wire', 'FORMAT=JSON adds the note, FORMAT=TREE none'), async () => {
    expect((await note('EXPLAIN FORMAT=JSON SELECT a FROM t1 WHERE b = 1')).map((w) => w.Code)).toEqual([1003]);
    expect(await note('EXPLAIN FORMAT=TREE SELECT a FROM t1 WHERE b = 1')).toEqual([]);
  });
  it(req('CORE-DIAG-020', 'wire', 'no note where MySQL would print a rewritten shape (semi-join, merged derived table)'), async () => {
    expect(await note('EXPLAIN SELECT a FROM t1 WHERE a IN (SELECT a FROM t2)')).toEqual([]);
    expect(await note('EXPLAIN SELECT * FROM (SELECT a FROM t2) dt')).toEqual([]);
  });
});

describe('column headings', () => {
  async function headings(sql: string): Promise<{ names: string[]; row: unknown[] }> {
    const [rows, fields] = await c.query({ sql, rowsAsArray: true });
    return { names: (fields as { name: string }[]).map((f) => f.name), row: (rows as unknown[][])[0]! };
  }
  it(req('CORE-DIAG-010#adjacent', 'wire', "adjacent string literals join into one value named by the first"), async () => {
    expect(await headings("SELECT 'hello' 'monty', 'a' 'b' 'c', _utf8mb4'x' 'y', 'solo'")).toEqual({
      names: ['hello', 'a', 'x', 'solo'],
      row: ['hellomonty', 'abc', 'xy', 'solo'],
    });
  });
  it(req('CORE-DIAG-010#null', 'wire', 'NULL is named NULL however written; other expressions keep their text'), async () => {
    expect(await headings('SELECT null, NULL, -1, 1+1, 1 +  1, TRUE')).toEqual({
      names: ['NULL', 'NULL', '-1', '1+1', '1 +  1', 'TRUE'],
      row: [null, null, -1, 2, 2, 1],
    });
  });
});

describe('long headings', () => {
  it(req('CORE-DIAG-011', 'wire', 'an expression name longer than 256 characters is cut to 256; an alias names the column whole'), async () => {
    const expr = Array(150).fill('1').join('+');
    const [rows, fields] = await c.query({ sql: `SELECT ${expr}, ${expr} AS s, '${'x'.repeat(300)}'`, rowsAsArray: true });
    const names = (fields as { name: string }[]).map((f) => f.name);
    expect(names).toEqual([expr.slice(0, 256), 's', 'x'.repeat(256)]);
    expect((rows as unknown[][])[0]![0]).toBe(150);
  });
});

describe('truncation notes', () => {
  it(req('CORE-DIAG-001', 'wire', 'a decimal value rounded to the column scale leaves Note 1265'), async () => {
    expect(await warningsOf('INSERT INTO t1 (a, c) VALUES (10, 1.2345)')).toEqual([[1265, "Data truncated for column 'c' at row 1"]]);
    await c.query('DELETE FROM t1 WHERE a = 10');
  });
});
