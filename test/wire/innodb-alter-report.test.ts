/**
 * What ALTER TABLE reports on InnoDB tables, over the wire: the changes MySQL 8.0 makes in place
 * or instantly report `0 rows affected` and `Records: 0`, the ones it copies report the copied
 * rows, and other engines keep reporting their copies; information_schema.TABLES shows an InnoDB
 * table's ROW_FORMAT from its definition also before the table is opened (after an ALTER, after a
 * restart).
 */
import type mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { req } from '../helpers/req.js';
import { startTestServer, tempDatadir, type TestServer } from '../helpers/server.js';
import { rmSync } from 'node:fs';

let srv: TestServer;
let c: mysql.Connection;
const dir = tempDatadir();

interface Ok {
  affectedRows: number;
  info: string;
}

async function alter(sql: string): Promise<[number, string]> {
  const [r] = await c.query(sql);
  const ok = r as unknown as Ok;
  return [ok.affectedRows, ok.info];
}

async function rowFormats(conn: mysql.Connection): Promise<string[][]> {
  const [rows] = await conn.query({
    sql: "SELECT TABLE_NAME, ROW_FORMAT FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'ar' ORDER BY TABLE_NAME",
    rowsAsArray: true,
  });
  return (rows as unknown[][]).map((r) => r.map(String));
}

beforeAll(async () => {
  srv = await startTestServer({ datadir: dir.datadir });
  c = await srv.connect();
  await c.query('CREATE DATABASE ar');
  await c.query('USE ar');
});

afterAll(async () => {
  await c?.end();
  await srv?.stop();
  rmSync(dir.parent, { recursive: true, force: true });
});

describe('ALTER TABLE on InnoDB: affected rows as MySQL 8.0 reports them', () => {
  it(req('INNODB-DDL-101', 'wire', 'instant and in-place changes report 0 rows; copying changes report the rows; the data survives both'), async () => {
    await c.query('CREATE TABLE t (id INT NOT NULL PRIMARY KEY, v VARCHAR(10), n INT) ENGINE=InnoDB');
    await c.query("INSERT INTO t VALUES (1, 'a', 10), (2, 'b', 20), (3, 'c', 30)");
    const inPlace = [
      'ALTER TABLE t ADD COLUMN w INT',
      "ALTER TABLE t ADD COLUMN f CHAR(1) DEFAULT 'f' FIRST",
      'ALTER TABLE t DROP COLUMN f',
      'ALTER TABLE t MODIFY v VARCHAR(20)',
      'ALTER TABLE t MODIFY v VARCHAR(20) NOT NULL',
      'ALTER TABLE t ADD INDEX ix_v (v)',
      'ALTER TABLE t DROP INDEX ix_v',
      'ALTER TABLE t DROP PRIMARY KEY, ADD PRIMARY KEY (id, n)',
      'ALTER TABLE t ROW_FORMAT=COMPACT',
      'ALTER TABLE t FORCE',
    ];
    for (const sql of inPlace) expect(await alter(sql), sql).toEqual([0, 'Records: 0  Duplicates: 0  Warnings: 0']);
    const copying = [
      'ALTER TABLE t MODIFY n BIGINT',
      'ALTER TABLE t MODIFY v VARCHAR(5) NOT NULL',
      'ALTER TABLE t ADD COLUMN x INT, ALGORITHM=COPY',
      'ALTER TABLE t DROP PRIMARY KEY',
      'ALTER TABLE t ENGINE=MEMORY',
    ];
    for (const sql of copying) expect(await alter(sql), sql).toEqual([3, 'Records: 3  Duplicates: 0  Warnings: 0']);
    const [rows] = await c.query({ sql: 'SELECT id, v, n, w, x FROM t ORDER BY id', rowsAsArray: true });
    expect(rows).toEqual([
      [1, 'a', 10, null, null],
      [2, 'b', 20, null, null],
      [3, 'c', 30, null, null],
    ]);
  });

  it(req(['INNODB-DDL-101', 'CORE-DDL-042'], 'wire', 'MEMORY tables and InnoDB temporary tables still report the copied rows'), async () => {
    await c.query('CREATE TABLE m (id INT PRIMARY KEY) ENGINE=MEMORY');
    await c.query('INSERT INTO m VALUES (1), (2)');
    expect(await alter('ALTER TABLE m ADD COLUMN w INT')).toEqual([2, 'Records: 2  Duplicates: 0  Warnings: 0']);
    await c.query('CREATE TEMPORARY TABLE tmp (id INT PRIMARY KEY) ENGINE=InnoDB');
    await c.query('INSERT INTO tmp VALUES (1), (2), (3), (4)');
    expect(await alter('ALTER TABLE tmp ADD COLUMN w INT')).toEqual([4, 'Records: 4  Duplicates: 0  Warnings: 0']);
    await c.query('DROP TEMPORARY TABLE tmp');
  });
});

describe('information_schema.TABLES ROW_FORMAT of InnoDB tables', () => {
  it(req('INNODB-DDL-102', 'wire', 'after ALTER ... ROW_FORMAT and after a restart, before any use, the row format is the defined one'), async () => {
    await c.query('CREATE TABLE rc (a INT) ENGINE=InnoDB ROW_FORMAT=COMPACT');
    await c.query('CREATE TABLE rr (a INT) ENGINE=InnoDB ROW_FORMAT=REDUNDANT');
    await c.query('CREATE TABLE rd (a INT) ENGINE=InnoDB');
    await c.query('ALTER TABLE rc ROW_FORMAT=DYNAMIC');
    await c.query('ALTER TABLE rd ROW_FORMAT=COMPACT');
    const expected = [
      ['m', 'Fixed'],
      ['rc', 'Dynamic'],
      ['rd', 'Compact'],
      ['rr', 'Redundant'],
      ['t', 'Fixed'],
    ];
    expect(await rowFormats(c)).toEqual(expected);
    await c.end();
    await srv.stop();
    srv = await startTestServer({ datadir: dir.datadir });
    c = await srv.connect({ database: 'ar' });
    // MEMORY tables come back empty after a restart; their format is Fixed either way.
    expect(await rowFormats(c)).toEqual(expected);
    const [status] = await c.query({ sql: "SHOW TABLE STATUS FROM ar WHERE Name LIKE 'r%'", rowsAsArray: true });
    expect((status as unknown[][]).map((r) => [String(r[0]), String(r[3])])).toEqual(expected.filter(([n]) => n!.startsWith('r')));
  });
});
