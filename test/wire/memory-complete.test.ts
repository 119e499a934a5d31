/**
 * The rest of the MEMORY chapter over the wire (mysql2): loading MEMORY tables at startup with
 * --init-file, the manual's per-table cap example with exact capacities and memory figures, caps
 * returning to the global value after a restart, and internal temporary results that are not
 * capped the way a user MEMORY table is.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/memory-storage-engine.html
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type mysql from 'mysql2/promise';
import { req } from '../helpers/req.js';
import { initializedDatadir, startTestServer, type TestServer } from '../helpers/server.js';
import { failureOf } from '../helpers/sql.js';

let srv: TestServer;
let c: mysql.Connection;
let datadir: string;
let parent: string;

async function q(sql: string): Promise<mysql.RowDataPacket[]> {
  const [r] = await c.query<mysql.RowDataPacket[]>(sql);
  return r;
}

/** Insert 1, 2, 3, ... in statements of `batch` rows until 1114; returns the rows the table holds. */
async function fill(table: string, batch = 4000): Promise<number> {
  for (let start = 1; start < 10_000_000; start += batch) {
    const vals = Array.from({ length: batch }, (_, i) => `(${start + i})`).join(',');
    try {
      await c.query(`INSERT INTO ${table} VALUES ${vals}`);
    } catch (e) {
      expect([(e as { errno: number }).errno, (e as Error).message]).toEqual([1114, `The table '${table}' is full`]);
      return Number((await q(`SELECT COUNT(*) AS n FROM ${table}`))[0]!['n']);
    }
  }
  throw new Error('never full');
}

async function restart(options: Record<string, string | number> = {}): Promise<void> {
  await c.end();
  await srv.stop();
  srv = await startTestServer({ datadir, options });
  c = await srv.connect({ database: 'mc' });
}

beforeAll(async () => {
  ({ datadir, parent } = await initializedDatadir());
  srv = await startTestServer({ datadir });
  c = await srv.connect();
  await c.query('CREATE DATABASE mc');
  await c.query('USE mc');
}, 60_000);

afterAll(async () => {
  await c?.end();
  await srv?.stop();
});

describe('MEMORY: loading and sizing', () => {
  it(req(['MEMORY-080', 'MEMORY-001'], 'wire', '--init-file loads a MEMORY table at startup with INSERT ... SELECT from an InnoDB table; without it the MEMORY table comes back empty'), async () => {
    await c.query('CREATE TABLE src (id INT PRIMARY KEY, name VARCHAR(10)) ENGINE=InnoDB');
    await c.query("INSERT INTO src VALUES (1, 'one'), (2, 'two'), (3, 'three')");
    await c.query('CREATE TABLE cache (id INT PRIMARY KEY, name VARCHAR(10)) ENGINE=MEMORY');
    await c.query("INSERT INTO cache VALUES (9, 'stale')");
    await restart();
    expect(await q('SELECT COUNT(*) AS n FROM cache')).toEqual([{ n: 0 }]);
    const init = join(parent, 'load-memory.sql');
    writeFileSync(init, ['-- fill the MEMORY cache from its persistent source', 'INSERT INTO mc.cache SELECT id, name FROM mc.src;', "INSERT INTO mc.cache VALUES (4, 'four');", ''].join('\n'));
    await restart({ 'init-file': init });
    expect(await q('SELECT id, name FROM cache ORDER BY id')).toEqual([
      { id: 1, name: 'one' },
      { id: 2, name: 'two' },
      { id: 3, name: 'three' },
      { id: 4, name: 'four' },
    ]);
    expect(await q('SELECT @@GLOBAL.init_file AS f')).toEqual([{ f: init }]);
  }, 60_000);

  it(req(['MEMORY-103', 'MEMORY-102', 'MEMORY-042'], 'wire', "the manual's example: t1 created under a 1 MiB session cap holds 43690 rows of 24 bytes, t2 under 2 MiB 87381; SHOW TABLE STATUS reports 8 data and 16 index bytes per row"), async () => {
    await c.query('SET max_heap_table_size = 1024 * 1024');
    await c.query('CREATE TABLE t1 (id INT, UNIQUE(id)) ENGINE = MEMORY');
    await c.query('SET max_heap_table_size = 1024 * 1024 * 2');
    await c.query('CREATE TABLE t2 (id INT, UNIQUE(id)) ENGINE = MEMORY');
    await c.query('SET max_heap_table_size = DEFAULT');
    // ALIGN(1 null byte + 4, 8) = 8 bytes of row plus 16 for the HASH key: 24 bytes a row.
    expect(await fill('t1')).toBe(Math.floor((1024 * 1024) / 24));
    expect(await fill('t2')).toBe(Math.floor((2 * 1024 * 1024) / 24));
    const st = await q("SHOW TABLE STATUS WHERE Name IN ('t1', 't2')");
    expect(st.map((r) => [r['Name'], Number(r['Rows']), Number(r['Avg_row_length']), Number(r['Data_length']), Number(r['Index_length'])])).toEqual([
      ['t1', 43690, 8, 43690 * 8, 43690 * 16],
      ['t2', 87381, 8, 87381 * 8, 87381 * 16],
    ]);
  }, 60_000);

  it(req(['MEMORY-044', 'MEMORY-103'], 'wire', 'after a restart both tables take the global max_heap_table_size (here 3 MiB): each then holds 131072 rows'), async () => {
    await restart({ 'max-heap-table-size': 3 * 1024 * 1024 });
    expect(await q('SELECT COUNT(*) AS n FROM t1')).toEqual([{ n: 0 }]);
    await c.query('SET SESSION max_heap_table_size = 16384');
    // The session value plays no part for tables that already exist.
    expect(await fill('t1', 8000)).toBe(Math.floor((3 * 1024 * 1024) / 24));
    expect(await fill('t2', 8000)).toBe(Math.floor((3 * 1024 * 1024) / 24));
    await c.query('DROP TABLE t1, t2');
  }, 60_000);

  it(req(['MEMORY-070'], 'wire', 'a user MEMORY table at its cap fails with 1114 and stays MEMORY, while a query whose internal temporary result is far larger than tmp_table_size and max_heap_table_size still completes'), async () => {
    await c.query('SET SESSION max_heap_table_size = 16384, tmp_table_size = 1024');
    await c.query('CREATE TABLE small (id INT, UNIQUE(id)) ENGINE=MEMORY');
    const n = await fill('small', 100);
    expect(n).toBe(Math.floor(16384 / 24));
    expect(await q("SELECT ENGINE FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'mc' AND TABLE_NAME = 'small'")).toEqual([{ ENGINE: 'MEMORY' }]);
    await c.query('CREATE TABLE big (id INT PRIMARY KEY, g INT) ENGINE=InnoDB');
    const vals = Array.from({ length: 5000 }, (_, i) => `(${i}, ${i % 2500})`).join(',');
    await c.query(`INSERT INTO big VALUES ${vals}`);
    // 2500 groups: an internal temporary table of the GROUP BY well past 1 KiB and 16 KiB.
    const groups = await q('SELECT g, COUNT(*) AS n FROM big GROUP BY g ORDER BY g DESC');
    expect(groups.length).toBe(2500);
    expect(groups[0]).toEqual({ g: 2499, n: 2 });
    const e = await failureOf(c.query('INSERT INTO small VALUES (-1)'));
    expect(e.errno).toBe(1114);
    await c.query('SET SESSION max_heap_table_size = DEFAULT, tmp_table_size = DEFAULT');
  });
});
