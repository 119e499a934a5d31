/**
 * Instances initialised with other page sizes: the index key limit scales with the page size
 * (1536 bytes at 8 KB, 768 at 4 KB), ROW_FORMAT=COMPRESSED is refused above 16 KB, and tables
 * work end to end at every page size (rows that need off-page storage included).
 */
import { rmSync } from 'node:fs';
import type mysql from 'mysql2/promise';
import { afterAll, describe, expect, it } from 'vitest';
import { req } from '../helpers/req.js';
import { errorOf as sqlErr } from '../helpers/sql.js';
import { initializedDatadirWith, startTestServer, type TestServer } from '../helpers/server.js';

const servers: TestServer[] = [];
const parents: string[] = [];
afterAll(async () => {
  for (const s of servers) await s.stop().catch(() => undefined);
  for (const p of parents) rmSync(p, { recursive: true, force: true });
});

async function instance(pageSize: string): Promise<mysql.Connection> {
  const d = await initializedDatadirWith([`--innodb-page-size=${pageSize}`]);
  parents.push(d.parent);
  const s = await startTestServer({ datadir: d.datadir, options: { 'innodb-page-size': pageSize } });
  servers.push(s);
  const c = await s.connect();
  await c.query('CREATE DATABASE p');
  await c.query('USE p');
  restartOf.set(c, async () => {
    await c.end();
    await s.stop();
    const again = await startTestServer({ datadir: d.datadir, options: { 'innodb-page-size': pageSize } });
    servers.push(again);
    return again.connect({ database: 'p' });
  });
  return c;
}

/** Stop an instance and start it again on its data directory (its rows come from its files). */
const restartOf = new Map<mysql.Connection, () => Promise<mysql.Connection>>();

/** A table with an indexed utf8mb4 VARCHAR(n): created, used, and dropped. */
async function keyOf(c: mysql.Connection, n: number): Promise<void> {
  await c.query(`CREATE TABLE k${n} (id INT PRIMARY KEY, c VARCHAR(${n}), KEY (c)) ENGINE=InnoDB CHARSET=utf8mb4`);
  await c.query(`INSERT INTO k${n} VALUES (1, REPEAT('a', ${n})), (2, 'b')`);
  const [r] = await c.query<mysql.RowDataPacket[]>(`SELECT id FROM k${n} WHERE c = 'b'`);
  expect(r.map((x) => x['id'])).toEqual([2]);
  await c.query(`DROP TABLE k${n}`);
}

describe('InnoDB page sizes', () => {
  it(req(['INNODB-LIMIT-006', 'INNODB-LIMIT-022'], 'wire', 'at 8 KB pages the key limit is 1536 bytes: VARCHAR(384) utf8mb4 indexes, 385 is 1071'), async () => {
    const c = await instance('8k');
    const [v] = await c.query<mysql.RowDataPacket[]>('SELECT @@innodb_page_size AS p');
    expect(Number(v[0]!['p'])).toBe(8192);
    await keyOf(c, 384);
    expect(await sqlErr(c.query('CREATE TABLE bad (c VARCHAR(385), KEY (c)) ENGINE=InnoDB CHARSET=utf8mb4'))).toMatchObject({
      errno: 1071,
      message: 'Specified key was too long; max key length is 1536 bytes',
    });
    await c.end();
  });

  it(req(['INNODB-LIMIT-006', 'INNODB-LIMIT-011', 'INNODB-LIMIT-022'], 'wire', 'at 4 KB pages the key limit is 768 bytes; rows longer than half a page go off-page and read back exactly'), async () => {
    const c = await instance('4k');
    await keyOf(c, 192);
    expect((await sqlErr(c.query('CREATE TABLE bad (c VARCHAR(193), KEY (c)) ENGINE=InnoDB CHARSET=utf8mb4'))).errno).toBe(1071);
    await c.query('CREATE TABLE wide (id INT PRIMARY KEY, a TEXT, b TEXT) ENGINE=InnoDB');
    await c.query("INSERT INTO wide VALUES (1, REPEAT('x', 6000), REPEAT('y', 7000))");
    // A clean shutdown writes the row into the tablespace (off-page); the restart reads it back.
    const again = await restartOf.get(c)!();
    const [r] = await again.query<mysql.RowDataPacket[]>('SELECT LENGTH(a) AS a, LENGTH(b) AS b, SUBSTR(b, 6999) AS t FROM wide');
    expect([Number(r[0]!['a']), Number(r[0]!['b']), r[0]!['t']]).toEqual([6000, 7000, 'yy']);
    const [chk] = await again.query<mysql.RowDataPacket[]>('CHECK TABLE wide');
    expect(chk.map((x) => x['Msg_text'])).toEqual(['OK']);
    await again.end();
  });

  it(req(['INNODB-DDL-103'], 'wire', 'a table keeps the innodb_default_row_format it was created under, across a restart'), async () => {
    const c = await instance('16k');
    await c.query("SET GLOBAL innodb_default_row_format = 'compact'");
    await c.query('CREATE TABLE rf (b VARCHAR(255) CHARACTER SET utf8mb4 NOT NULL) ENGINE=InnoDB');
    await c.query("SET GLOBAL innodb_default_row_format = 'dynamic'");
    await c.query('CREATE TABLE rf2 (b INT) ENGINE=InnoDB');
    const format = async (conn: mysql.Connection, t: string): Promise<unknown> => {
      const [r] = await conn.query<mysql.RowDataPacket[]>(`SHOW TABLE STATUS LIKE '${t}'`);
      return r[0]!['Row_format'];
    };
    expect([await format(c, 'rf'), await format(c, 'rf2')]).toEqual(['Compact', 'Dynamic']);
    const again = await restartOf.get(c)!();
    expect([await format(again, 'rf'), await format(again, 'rf2')]).toEqual(['Compact', 'Dynamic']);
    await again.end();
  });

  it(req(['INNODB-RESTR-004', 'INNODB-LIMIT-022'], 'wire', 'at 32 KB pages ROW_FORMAT=COMPRESSED is refused under innodb_strict_mode and falls back to DYNAMIC without it'), async () => {
    const c = await instance('32k');
    const [v] = await c.query<mysql.RowDataPacket[]>('SELECT @@innodb_page_size AS p');
    expect(Number(v[0]!['p'])).toBe(32768);
    const e = await sqlErr(c.query('CREATE TABLE z (i INT) ENGINE=InnoDB ROW_FORMAT=COMPRESSED'));
    expect(e.errno).toBe(1031);
    const [w] = await c.query<mysql.RowDataPacket[]>('SHOW WARNINGS');
    expect(w.map((x) => x['Code'])).toContain(1478);
    await c.query('SET SESSION innodb_strict_mode = OFF');
    await c.query('CREATE TABLE z (i INT) ENGINE=InnoDB ROW_FORMAT=COMPRESSED');
    const [w2] = await c.query<mysql.RowDataPacket[]>('SHOW WARNINGS');
    expect(w2.length).toBeGreaterThan(0);
    await c.query('INSERT INTO z VALUES (1)');
    const [n] = await c.query<mysql.RowDataPacket[]>('SELECT COUNT(*) AS n FROM z');
    expect(Number(n[0]!['n'])).toBe(1);
    await c.end();
  });
});
