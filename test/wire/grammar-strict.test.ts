/**
 * Grammar strictness over the wire: statements MySQL 8.0's parser rejects fail with 1064 and
 * MySQL's "near" text; the character-type attributes MySQL accepts are accepted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type mysql from 'mysql2/promise';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { req } from '../helpers/req.js';
import { errorOf, queryRows } from '../helpers/sql.js';

let srv: TestServer;
let c: mysql.Connection;

const err = (sql: string) => errorOf(c.query(sql));
/** MySQL's syntax error for a statement that fails at `near` (on line 1). */
function syntax(near: string): { errno: number; sqlState: string; message: string } {
  return {
    errno: 1064,
    sqlState: '42000',
    message: `You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use near '${near}' at line 1`,
  };
}

beforeAll(async () => {
  srv = await startTestServer();
  c = await srv.connect();
  await c.query('CREATE DATABASE gs');
  await c.query('USE gs');
  await c.query('CREATE TABLE t1 (a INT, b INT)');
  await c.query('INSERT INTO t1 VALUES (2, 1), (1, 2)');
}, 60_000);
afterAll(async () => {
  await c?.end();
  await srv?.stop();
});

describe('statements MySQL rejects', () => {
  it(req('CORE-GRAM-001', 'wire', 'a * or t.* select item takes no alias'), async () => {
    expect(await err('SELECT t1.* AS x FROM t1')).toEqual(syntax('AS x FROM t1'));
    expect(await err('SELECT t1.* x FROM t1')).toEqual(syntax('x FROM t1'));
    expect(await err('SELECT * AS x FROM t1')).toEqual(syntax('AS x FROM t1'));
    expect(await err('SELECT a, t1.* AS x, b FROM t1')).toEqual(syntax('AS x, b FROM t1'));
    // the accepted forms around it
    expect(await queryRows(c, 'SELECT t1.*, a AS x FROM t1 ORDER BY a')).toEqual([
      { a: 1, b: 2, x: 1 },
      { a: 2, b: 1, x: 2 },
    ]);
  });

  it(req('CORE-GRAM-002#row-format', 'wire', 'ROW_FORMAT takes only MySQL\'s six keywords'), async () => {
    expect(await err('CREATE TABLE tp (a INT) ROW_FORMAT=PAGE')).toEqual(syntax('PAGE'));
    expect(await err("CREATE TABLE tp (a INT) ROW_FORMAT='DYNAMIC'")).toEqual(syntax("'DYNAMIC'"));
    expect(await err('ALTER TABLE t1 ROW_FORMAT=PAGE')).toEqual(syntax('PAGE'));
    for (const f of ['DEFAULT', 'DYNAMIC', 'COMPACT', 'REDUNDANT']) {
      await c.query(`CREATE TABLE tr (a INT) ROW_FORMAT=${f}`);
      await c.query('DROP TABLE tr');
    }
  });

  it(req('CORE-GRAM-002#kinds', 'wire', 'numeric and string table options refuse the wrong kind of value'), async () => {
    expect(await err('CREATE TABLE tk (a INT) AUTO_INCREMENT=abc')).toEqual(syntax('abc'));
    expect(await err("CREATE TABLE tk (a INT) MAX_ROWS='10'")).toEqual(syntax("'10'"));
    expect(await err('CREATE TABLE tk (a INT) COMMENT=abc')).toEqual(syntax('abc'));
    expect(await err('CREATE TABLE tk (a INT) INSERT_METHOD=MIDDLE')).toEqual(syntax('MIDDLE'));
    expect(await err('CREATE TABLE tk (a INT) STATS_PERSISTENT=ON')).toEqual(syntax('ON'));
    await c.query("CREATE TABLE tk (a INT) AUTO_INCREMENT=10 MAX_ROWS=100 COMMENT='c' PACK_KEYS=1");
    const [[row]] = (await c.query('SHOW CREATE TABLE tk')) as unknown as [[{ 'Create Table': string }]];
    expect(row['Create Table']).toContain("MAX_ROWS=100 PACK_KEYS=1 COMMENT='c'");
    await c.query('DROP TABLE tk');
  });

  it(req('CORE-GRAM-003', 'wire', 'a SET scope word before @var or @@var is a syntax error'), async () => {
    expect(await err('SET SESSION @v = 1')).toEqual(syntax('@v = 1'));
    expect(await err('SET GLOBAL @@max_connections = 10')).toEqual(syntax('@@max_connections = 10'));
    expect(await err('SET @a = 1, SESSION @b = 2')).toEqual(syntax('@b = 2'));
    // the accepted forms: a bare name after the scope word, and @var / @@scope.var without one
    await c.query('SET SESSION sql_mode = DEFAULT, @v = 3, @@session.max_join_size = DEFAULT');
    expect(await queryRows(c, 'SELECT @v AS v')).toEqual([{ v: 3 }]);
  });

  it(req('CORE-GRAM-004', 'wire', 'ALTER TABLE ... ORDER BY takes column names only'), async () => {
    expect(await err('ALTER TABLE t1 ORDER BY 12')).toEqual(syntax('12'));
    expect(await err('ALTER TABLE t1 ORDER BY a + 1')).toEqual(syntax('+ 1'));
    // a table without a primary key keeps the order the rows were copied in
    await c.query('CREATE TABLE tord (a INT, b INT)');
    await c.query('INSERT INTO tord VALUES (2, 1), (3, 2), (1, 3), (3, 1)');
    await c.query('ALTER TABLE tord ORDER BY a DESC, tord.b');
    expect(await queryRows(c, 'SELECT a, b FROM tord')).toEqual([{ a: 3, b: 1 }, { a: 3, b: 2 }, { a: 2, b: 1 }, { a: 1, b: 3 }]);
    await c.query('ALTER TABLE tord ORDER BY b');
    expect((await queryRows(c, 'SELECT b FROM tord')).map((r) => r['b'])).toEqual([1, 1, 2, 3]);
    expect(await err('ALTER TABLE tord ORDER BY nosuch')).toEqual({ errno: 1054, sqlState: '42S22', message: "Unknown column 'nosuch' in 'order clause'" });
    expect(await err('ALTER TABLE tord ORDER BY t9.a')).toEqual({ errno: 1054, sqlState: '42S22', message: "Unknown column 't9.a' in 'order clause'" });
    // InnoDB keeps rows in primary-key order: with a primary key the clause is ignored with a warning
    await c.query('CREATE TABLE tpk (a INT PRIMARY KEY, b INT) ENGINE=InnoDB');
    await c.query('INSERT INTO tpk VALUES (1, 2), (2, 1)');
    await c.query('ALTER TABLE tpk ORDER BY b');
    expect(await queryRows(c, 'SHOW WARNINGS')).toEqual([
      { Level: 'Warning', Code: 1105, Message: "ORDER BY ignored as there is a user-defined clustered index in the table 'tpk'" },
    ]);
    expect((await queryRows(c, 'SELECT a FROM tpk')).map((r) => r['a'])).toEqual([1, 2]);
  });
});

describe('character-type attributes MySQL accepts', () => {
  it(req('CORE-GRAM-005', 'wire', 'BINARY, ASCII and BYTE after a character type'), async () => {
    await c.query(
      'CREATE TABLE ta (a CHAR(8) BINARY, b VARCHAR(10) CHARACTER SET latin1 BINARY, c TEXT BINARY, d CHAR(3) ASCII, e CHAR(3) BYTE, f CHAR(4) BINARY CHARACTER SET latin1) DEFAULT CHARSET=utf8mb4',
    );
    const cols = await queryRows(c, "SELECT COLUMN_NAME AS n, COLLATION_NAME AS k, COLUMN_TYPE AS t FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = 'gs' AND TABLE_NAME = 'ta' ORDER BY ORDINAL_POSITION");
    expect(cols).toEqual([
      { n: 'a', k: 'utf8mb4_bin', t: 'char(8)' },
      { n: 'b', k: 'latin1_bin', t: 'varchar(10)' },
      { n: 'c', k: 'utf8mb4_bin', t: 'text' },
      { n: 'd', k: 'latin1_swedish_ci', t: 'char(3)' },
      { n: 'e', k: null, t: 'binary(3)' },
      { n: 'f', k: 'latin1_bin', t: 'char(4)' },
    ]);
    // BINARY compares by code point: 'a' and 'A' differ
    await c.query("INSERT INTO ta (a) VALUES ('a'), ('A')");
    expect(await queryRows(c, "SELECT COUNT(*) AS n FROM ta WHERE a = 'a'")).toEqual([{ n: 1 }]);
  });
});
