/**
 * Metadata-only ALTERs, CREATE DATABASE IF NOT EXISTS and the errors of an ALTER copy, over the wire:
 * affected-row counts and error numbers as MySQL 8.0 reports them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type mysql from 'mysql2/promise';
import { req } from '../helpers/req.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { failureOf, type ServerError } from '../helpers/sql.js';

let srv: TestServer;
let c: mysql.Connection;

interface Ok {
  affectedRows: number;
  info: string;
}

async function run(sql: string): Promise<Ok> {
  const [r] = await c.query(sql);
  return r as unknown as Ok;
}

const err = (sql: string): Promise<ServerError> => failureOf(c.query(sql));

beforeAll(async () => {
  srv = await startTestServer();
  c = await srv.connect();
  await c.query('CREATE DATABASE am');
  await c.query('USE am');
});

afterAll(async () => {
  await c?.end();
  await srv?.stop();
});

describe('ALTER TABLE affected rows', () => {
  it(req('CORE-DDL-041', 'wire', 'CREATE DATABASE IF NOT EXISTS on an existing database: 0 rows and Note 1007'), async () => {
    expect((await run('CREATE DATABASE IF NOT EXISTS am2')).affectedRows).toBe(1);
    expect((await run('CREATE DATABASE IF NOT EXISTS am2')).affectedRows).toBe(0);
    const [w] = await c.query('SHOW WARNINGS');
    expect(w).toEqual([{ Level: 'Note', Code: 1007, Message: "Can't create database 'am2'; database exists" }]);
  });

  it(req('CORE-DDL-042', 'wire', 'renames, defaults, comments, visibility and ENABLE/DISABLE KEYS report 0 rows and keep the data'), async () => {
    await c.query('CREATE TABLE t (a INT PRIMARY KEY, bb VARCHAR(10), c INT, KEY kb (bb)) ENGINE=MEMORY');
    await c.query("INSERT INTO t VALUES (1,'x',1),(2,'y',2),(3,'z',3)");
    const metadataOnly = [
      'ALTER TABLE t RENAME COLUMN bb TO b2',
      'ALTER TABLE t ALTER COLUMN c SET DEFAULT 9',
      'ALTER TABLE t ALTER COLUMN c DROP DEFAULT',
      'ALTER TABLE t RENAME INDEX kb TO kb2',
      'ALTER TABLE t ALTER INDEX kb2 INVISIBLE',
      "ALTER TABLE t COMMENT 'hello'",
      "ALTER TABLE t MODIFY c INT COMMENT 'cc'",
      'ALTER TABLE t DISABLE KEYS',
      'ALTER TABLE t ENABLE KEYS',
      'ALTER TABLE t RENAME TO t2',
      'ALTER TABLE t2 RENAME TO t, RENAME COLUMN b2 TO b3',
    ];
    for (const sql of metadataOnly) expect((await run(sql)).affectedRows, sql).toBe(0);
    const [rows] = await c.query('SELECT a, b3, c FROM t ORDER BY a');
    expect(rows).toEqual([
      { a: 1, b3: 'x', c: 1 },
      { a: 2, b3: 'y', c: 2 },
      { a: 3, b3: 'z', c: 3 },
    ]);
    // The renamed, invisible index still serves duplicate checks and lookups under its new name.
    expect((await err('INSERT INTO t VALUES (1, "w", 0)')).errno).toBe(1062);
    const [k] = await c.query("SELECT a FROM t FORCE INDEX (PRIMARY) WHERE a = 2");
    expect(k).toEqual([{ a: 2 }]);
    const [idx] = await c.query('SHOW INDEX FROM t');
    expect((idx as { Key_name: string; Visible: string }[]).map((r) => [r.Key_name, r.Visible])).toEqual([
      ['PRIMARY', 'YES'],
      ['kb2', 'NO'],
    ]);
    await c.query('INSERT INTO t (a, b3) VALUES (4, "q")');
    const [d] = await c.query('SELECT c FROM t WHERE a = 4');
    expect(d).toEqual([{ c: null }]);
  });

  it(req('CORE-DDL-042', 'wire', 'a metadata-only ALTER of a temporary table keeps its rows'), async () => {
    await c.query('CREATE TEMPORARY TABLE tt (a INT, b INT)');
    await c.query('INSERT INTO tt VALUES (1,1)');
    expect((await run('ALTER TABLE tt RENAME COLUMN b TO b2, ALTER COLUMN a SET DEFAULT 5')).affectedRows).toBe(0);
    await c.query('INSERT INTO tt (b2) VALUES (2)');
    const [rows] = await c.query('SELECT a, b2 FROM tt ORDER BY b2');
    expect(rows).toEqual([
      { a: 1, b2: 1 },
      { a: 5, b2: 2 },
    ]);
  });

  it(req('CORE-DDL-042', 'wire', 'copying ALTERs report the row count and Records: N'), async () => {
    // MEMORY copies the table for every such ALTER; InnoDB reports the ones MySQL does in place
    // as 0 rows (INNODB-DDL-101, test/wire/innodb-alter-report.test.ts).
    await c.query('CREATE TABLE cp (a INT, b INT) ENGINE=MEMORY');
    await c.query('INSERT INTO cp VALUES (1,1),(2,2)');
    const add = await run('ALTER TABLE cp ADD COLUMN x INT');
    expect(add.affectedRows).toBe(2);
    expect(add.info).toMatch(/Records: 2 {2}Duplicates: 0 {2}Warnings: 0/);
    expect((await run('ALTER TABLE cp MODIFY b BIGINT')).affectedRows).toBe(2);
    expect((await run('ALTER TABLE cp FORCE')).affectedRows).toBe(2);
    expect((await run('ALTER TABLE cp ADD INDEX (a)')).affectedRows).toBe(2);
  });

  it(req('CORE-DDL-043', 'wire', 'a number too long for the new string column is 1265 Data truncated at its row'), async () => {
    await c.query('CREATE TABLE tr (a INT, n TINYINT)');
    await c.query('INSERT INTO tr VALUES (1, 1),(22, 2),(333, 3)');
    const e = await err('ALTER TABLE tr MODIFY a VARCHAR(2)');
    expect([e.errno, e.sqlState, e.sqlMessage]).toEqual([1265, '01000', "Data truncated for column 'a' at row 3"]);
    const [rows] = await c.query('SELECT a FROM tr ORDER BY a');
    expect(rows).toEqual([{ a: 1 }, { a: 22 }, { a: 333 }]);
    const r = await err('ALTER TABLE tr MODIFY a TINYINT');
    expect([r.errno, r.sqlMessage]).toEqual([1264, "Out of range value for column 'a' at row 3"]);
  });
});
