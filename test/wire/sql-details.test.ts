/**
 * Smaller points of MySQL 8.0 behaviour over the wire (spec/core-details.md): ANALYZE TABLE and
 * SHOW INDEX cardinality on MEMORY tables, the AUTO_INCREMENT counter after an UPDATE of the
 * column, the _rowid pseudo-column, YEAR 0 shown as 0000, ENUM/SET members trimmed of trailing
 * spaces, and system variables MySQL 8.0.40 has (defaults, scope, range checks).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type mysql from 'mysql2/promise';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { req } from '../helpers/req.js';
import { errorOf, queryRows } from '../helpers/sql.js';

let srv: TestServer;
let c: mysql.Connection;

beforeAll(async () => {
  srv = await startTestServer();
  c = await srv.connect();
  await c.query('CREATE DATABASE det');
  await c.query('USE det');
}, 60000);
afterAll(async () => {
  await c?.end();
  await srv?.stop();
});

async function values(sql: string): Promise<unknown[][]> {
  return (await queryRows(c, sql)).map((r) => Object.values(r));
}

describe('MEMORY tables', () => {
  it(req(['CORE-DET-001'], 'wire', 'ANALYZE TABLE on a MEMORY table answers the note that the engine does not support analyze; InnoDB says OK'), async () => {
    await c.query('CREATE TABLE ma (a INT PRIMARY KEY) ENGINE=MEMORY');
    await c.query('CREATE TABLE ia (a INT PRIMARY KEY) ENGINE=InnoDB');
    expect(await values('ANALYZE TABLE ma, ia')).toEqual([
      ['det.ma', 'analyze', 'note', "The storage engine for the table doesn't support analyze"],
      ['det.ia', 'analyze', 'status', 'OK'],
    ]);
  });

  it(req(['CORE-DET-002'], 'wire', 'SHOW INDEX cardinality of MEMORY indexes: last column of a HASH index only (row count if unique, rows / max(2, rows per distinct key) if not), none for BTREE'), async () => {
    await c.query('CREATE TABLE mk (a INT, b INT, c INT, d INT, e INT, PRIMARY KEY (a, e), KEY (b), KEY cd (c, d), UNIQUE KEY ue USING BTREE (e), KEY bt USING BTREE (b)) ENGINE=MEMORY');
    const card = async (): Promise<unknown[][]> => (await queryRows(c, 'SHOW INDEX FROM mk')).map((r) => [r['Key_name'], r['Column_name'], r['Cardinality']]);
    expect(await card()).toEqual([
      ['PRIMARY', 'a', null],
      ['PRIMARY', 'e', 0],
      ['ue', 'e', null],
      ['b', 'b', 0],
      ['cd', 'c', null],
      ['cd', 'd', 0],
      ['bt', 'b', null],
    ]);
    await c.query('INSERT INTO mk VALUES (1,1,1,1,1),(2,1,1,1,2),(3,2,1,2,3)');
    expect(await card()).toEqual([
      ['PRIMARY', 'a', null],
      ['PRIMARY', 'e', 3],
      ['ue', 'e', null],
      ['b', 'b', 1],
      ['cd', 'c', null],
      ['cd', 'd', 1],
      ['bt', 'b', null],
    ]);
    const st = await queryRows(c, "SELECT INDEX_NAME, COLUMN_NAME, CARDINALITY FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = 'det' AND TABLE_NAME = 'mk' AND INDEX_NAME = 'b'");
    expect(st.map((r) => [r['INDEX_NAME'], r['COLUMN_NAME'], r['CARDINALITY']])).toEqual([['b', 'b', 1]]);
    // 12 rows over 6 distinct values of b: 2 rows per key, 6 for the cardinality.
    await c.query('DELETE FROM mk');
    for (let i = 0; i < 12; i++) await c.query(`INSERT INTO mk VALUES (${i}, ${i % 6}, 0, 0, ${i})`);
    expect((await card())[3]).toEqual(['b', 'b', 6]);
  });
});

describe('columns and values', () => {
  it(req(['CORE-DET-003'], 'wire', 'an UPDATE that sets the AUTO_INCREMENT column above the counter moves the counter (InnoDB, MyISAM, MEMORY)'), async () => {
    for (const engine of ['InnoDB', 'MyISAM', 'MEMORY']) {
      await c.query('DROP TABLE IF EXISTS au');
      await c.query(`CREATE TABLE au (id INT AUTO_INCREMENT PRIMARY KEY, v INT) ENGINE=${engine}`);
      await c.query('INSERT INTO au (v) VALUES (1)');
      await c.query('UPDATE au SET id = 10 WHERE v = 1');
      await c.query('INSERT INTO au (v) VALUES (2)');
      expect(await values('SELECT id, v FROM au ORDER BY id')).toEqual([
        [10, 1],
        [11, 2],
      ]);
      const [t] = await queryRows(c, "SELECT AUTO_INCREMENT FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'det' AND TABLE_NAME = 'au'");
      expect([engine, t!['AUTO_INCREMENT']]).toEqual([engine, 12]);
      // Lowering the value leaves the counter alone.
      await c.query('UPDATE au SET id = 5 WHERE v = 2');
      await c.query('INSERT INTO au (v) VALUES (3)');
      expect(await values('SELECT id, v FROM au ORDER BY id')).toEqual([
        [5, 2],
        [10, 1],
        [12, 3],
      ]);
    }
  });

  it(req(['CORE-DET-004'], 'wire', '_rowid names the single-column integer primary key (or a promoted NOT NULL unique key) in the select list and WHERE; no such key: 1054'), async () => {
    await c.query('CREATE TABLE rw (id INT PRIMARY KEY, v INT)');
    await c.query('INSERT INTO rw VALUES (1, 10), (2, 20)');
    const [rows, fields] = await c.query<mysql.RowDataPacket[]>('SELECT _rowid, v FROM rw WHERE _rowid = 2');
    expect(fields.map((f) => f.name)).toEqual(['_rowid', 'v']);
    expect(rows.map((r) => Object.values(r))).toEqual([[2, 20]]);
    expect(await values('SELECT r._rowid FROM rw AS r ORDER BY _rowid DESC')).toEqual([[2], [1]]);
    await c.query('CREATE TABLE ru (u BIGINT NOT NULL, UNIQUE KEY (u))');
    await c.query('INSERT INTO ru VALUES (7)');
    expect(await values('SELECT _rowid FROM ru')).toEqual([[7]]);
    await c.query('CREATE TABLE rn (a INT, b INT, PRIMARY KEY (a, b))');
    expect(await errorOf(c.query('SELECT _rowid FROM rn'))).toEqual({ errno: 1054, sqlState: '42S22', message: "Unknown column '_rowid' in 'field list'" });
    await c.query('CREATE TABLE rs (s VARCHAR(5) PRIMARY KEY)');
    expect((await errorOf(c.query('SELECT _rowid FROM rs'))).errno).toBe(1054);
  });

  it(req(['CORE-DET-005'], 'wire', 'YEAR 0 is shown as 0000 (text and binary protocol); the column is sent as zero-filled'), async () => {
    await c.query('CREATE TABLE yr (y YEAR)');
    await c.query('INSERT INTO yr VALUES (0), (1999), (69)');
    const [rows, fields] = await c.query<mysql.RowDataPacket[]>({ sql: 'SELECT y FROM yr', rowsAsArray: true });
    expect(rows).toEqual([[0], [1999], [2069]]);
    const ZEROFILL = 64, UNSIGNED = 32;
    expect([fields[0]!.columnLength, (Number(fields[0]!.flags) & (ZEROFILL | UNSIGNED)) === (ZEROFILL | UNSIGNED)]).toEqual([4, true]);
    const [asText] = await c.query<mysql.RowDataPacket[]>({ sql: 'SELECT y FROM yr', rowsAsArray: true, typeCast: (f, next) => (f.type === 'YEAR' ? f.string() : next()) });
    expect(asText).toEqual([['0000'], ['1999'], ['2069']]);
    const [prepared] = await c.execute<mysql.RowDataPacket[]>({ sql: 'SELECT y FROM yr WHERE y = ?', rowsAsArray: true }, [0]);
    expect(prepared).toEqual([[0]]);
  });

  it(req(['CORE-DET-006'], 'wire', 'ENUM and SET members lose trailing spaces in the definition (SHOW CREATE TABLE, stored values)'), async () => {
    await c.query("CREATE TABLE es (s SET('a ', 'b  ', ' c'), e ENUM('x ', 'y'))");
    const [sc] = await queryRows(c, 'SHOW CREATE TABLE es');
    expect(sc!['Create Table']).toContain("`s` set('a','b',' c') DEFAULT NULL");
    expect(sc!['Create Table']).toContain("`e` enum('x','y') DEFAULT NULL");
    await c.query("INSERT INTO es VALUES ('a,b', 'x')");
    expect(await values('SELECT s, e, LENGTH(s), s + 0 FROM es')).toEqual([['a,b', 'x', 3, 3]]);
    const cols = await queryRows(c, "SELECT COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = 'det' AND TABLE_NAME = 'es' ORDER BY ORDINAL_POSITION");
    expect(cols.map((x) => x['COLUMN_TYPE'])).toEqual(["set('a','b',' c')", "enum('x','y')"]);
  });
});

describe('system variables', () => {
  it(req(['CORE-DET-007'], 'wire', 'the INSERT DELAYED variables exist with MySQL 8.0 defaults and scopes; SHOW VARIABLES lists them'), async () => {
    expect(
      await values(
        "SELECT @@global.delayed_insert_limit, @@global.delayed_insert_timeout, @@global.delayed_queue_size, @@global.max_delayed_threads, @@session.max_delayed_threads, @@global.max_insert_delayed_threads, @@session.max_insert_delayed_threads",
      ),
    ).toEqual([[100, 300, 1000, 20, 20, 20, 20]]);
    expect(await values("SHOW VARIABLES WHERE Variable_name IN ('log_bin_trust_function_creators', 'innodb_default_row_format', 'delayed_queue_size', 'have_profiling', 'ft_min_word_len')")).toEqual([
      ['delayed_queue_size', '1000'],
      ['ft_min_word_len', '4'],
      ['have_profiling', 'YES'],
      ['innodb_default_row_format', 'dynamic'],
      ['log_bin_trust_function_creators', 'OFF'],
    ]);
  });

  it(req(['CORE-DET-007'], 'wire', 'scope, read-only and range errors: 1229 for a global variable set per session, 1238 for a read-only one, a clipped value warns 1292'), async () => {
    expect(await errorOf(c.query('SET SESSION delayed_insert_limit = 5'))).toEqual({
      errno: 1229,
      sqlState: 'HY000',
      message: "Variable 'delayed_insert_limit' is a GLOBAL variable and should be set with SET GLOBAL",
    });
    expect(await errorOf(c.query('SET GLOBAL ft_min_word_len = 3'))).toEqual({ errno: 1238, sqlState: 'HY000', message: "Variable 'ft_min_word_len' is a read only variable" });
    expect(await errorOf(c.query("SET GLOBAL delayed_queue_size = 'x'"))).toEqual({ errno: 1232, sqlState: '42000', message: "Incorrect argument type to variable 'delayed_queue_size'" });
    await c.query('SET GLOBAL delayed_insert_timeout = 0');
    expect(await values('SHOW WARNINGS')).toEqual([['Warning', 1292, "Truncated incorrect delayed_insert_timeout value: '0'"]]);
    expect(await values('SELECT @@global.delayed_insert_timeout')).toEqual([[1]]);
    await c.query('SET GLOBAL delayed_insert_timeout = DEFAULT');
    await c.query('SET SESSION max_delayed_threads = 16385');
    expect(await values('SELECT @@session.max_delayed_threads, @@global.max_delayed_threads')).toEqual([[16384, 20]]);
    await c.query('SET GLOBAL log_bin_trust_function_creators = ON');
    expect(await values('SELECT @@global.log_bin_trust_function_creators')).toEqual([[1]]);
    await c.query('SET GLOBAL log_bin_trust_function_creators = DEFAULT');
  });
});
