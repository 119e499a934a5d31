/**
 * InnoDB tables larger than the buffer pool, through the real server binary (needs a build:
 * `npx tsc -p tsconfig.json`): with innodb_buffer_pool_size at its 5 MiB floor, a table of about
 * four times that is loaded, read back by full scans, primary key and secondary index reads,
 * updated in batches from four connections, killed and recovered; the pool never holds more
 * pages than it has, pages are read from the tablespace on demand, and CHECK TABLE walks the
 * trees.
 */
import mysql from 'mysql2/promise';
import { afterAll, describe, expect, it } from 'vitest';
import { req } from '../helpers/req.js';
import { ServerLab } from '../helpers/server-lab.js';

const lab = new ServerLab();
afterAll(() => lab.cleanup());

/** 5 MiB pool (320 pages of 16 KiB); about 20 MiB of rows. */
const POOL = ['--innodb-buffer-pool-size=5M', '--innodb-redo-log-capacity=8M'];
const ROWS = 24_000;
const BATCH = 500;
const PAD = 700;

async function one(c: mysql.Connection, sql: string): Promise<mysql.RowDataPacket> {
  const [rows] = await c.query<mysql.RowDataPacket[]>(sql);
  return rows[0]!;
}

async function status(c: mysql.Connection): Promise<Map<string, number>> {
  const [rows] = await c.query<mysql.RowDataPacket[]>("SHOW GLOBAL STATUS LIKE 'Innodb_buffer_pool_%'");
  return new Map(rows.map((r) => [String(r['Variable_name']), Number(r['Value'])]));
}

/** What the table must hold: the sum of k and of id, and the rows whose pad matches id and v. */
const SUMS = `SELECT COUNT(*) AS n, SUM(id) AS s, SUM(k) AS sk, SUM(v) AS sv, SUM(pad = REPEAT(CHAR(97 + (id + v) % 26), ${PAD})) AS good FROM t`;

describe('InnoDB: a table four times the buffer pool', () => {
  it(req(['INNODB-BUF-101', 'INNODB-BUF-103', 'INNODB-BUF-104', 'INNODB-BTR-101', 'INNODB-BTR-103'], 'wire', 'loads, scans, reads by key and by secondary index, updates from 4 connections, survives kill -9; the pool stays within its pages'), async () => {
    const dir = await lab.datadir();
    const a = await lab.start(dir, POOL);
    await a.conn.query(`CREATE TABLE t (id INT PRIMARY KEY, k INT NOT NULL, v INT NOT NULL, pad VARCHAR(${PAD}) NOT NULL, KEY k (k)) ENGINE=InnoDB`);
    for (let first = 1; first <= ROWS; first += BATCH) {
      const values: string[] = [];
      for (let id = first; id < first + BATCH; id++) values.push(`(${id}, ${id % 1000}, 0, REPEAT(CHAR(97 + ${id} % 26), ${PAD}))`);
      await a.conn.query(`INSERT INTO t VALUES ${values.join(',')}`);
    }
    const total = (ROWS * (ROWS + 1)) / 2;
    let sk = 0;
    for (let id = 1; id <= ROWS; id++) sk += id % 1000;
    expect(await one(a.conn, SUMS)).toEqual({ n: ROWS, s: String(total), sk: String(sk), sv: '0', good: String(ROWS) });

    // Restart: the rows come back from the tablespace through the pool, page by page.
    await lab.stop(a);
    const b = await lab.start(dir, POOL);
    const before = await status(b.conn);
    expect(await one(b.conn, SUMS)).toEqual({ n: ROWS, s: String(total), sk: String(sk), sv: '0', good: String(ROWS) });
    const after = await status(b.conn);
    const poolPages = after.get('Innodb_buffer_pool_pages_total')!;
    expect(poolPages).toBe(320);
    expect(after.get('Innodb_buffer_pool_pages_data')!).toBeLessThanOrEqual(poolPages);
    // More pages were read than the pool holds: the table does not fit, and was read anyway.
    expect(after.get('Innodb_buffer_pool_reads')! - before.get('Innodb_buffer_pool_reads')!).toBeGreaterThan(poolPages);

    // Point reads, a range, a secondary index read, in reverse too.
    expect(await one(b.conn, 'SELECT id, k, LENGTH(pad) AS l FROM t WHERE id = 12345')).toEqual({ id: 12345, k: 345, l: PAD });
    expect(await one(b.conn, 'SELECT COUNT(*) AS n, MIN(id) AS lo, MAX(id) AS hi FROM t WHERE id BETWEEN 5000 AND 5999')).toEqual({ n: 1000, lo: 5000, hi: 5999 });
    const [byK] = await b.conn.query<mysql.RowDataPacket[]>('SELECT id FROM t FORCE INDEX (k) WHERE k = 77 ORDER BY id');
    expect(byK.map((r) => r['id'])).toEqual(Array.from({ length: ROWS / 1000 }, (_, i) => 77 + i * 1000));
    const [desc] = await b.conn.query<mysql.RowDataPacket[]>('SELECT id FROM t WHERE id <= 100 ORDER BY id DESC LIMIT 3');
    expect(desc.map((r) => r['id'])).toEqual([100, 99, 98]);

    // Four connections update disjoint batches; every row gets v = 1 and a new pad.
    const conns = await Promise.all([0, 1, 2, 3].map(() => b.connect()));
    await Promise.all(
      conns.map(async (c, w) => {
        for (let first = 1 + w * BATCH; first <= ROWS; first += 4 * BATCH) {
          await c.query(`UPDATE t SET v = 1, pad = REPEAT(CHAR(97 + (id + 1) % 26), ${PAD}) WHERE id BETWEEN ${first} AND ${first + BATCH - 1}`);
        }
      }),
    );
    for (const c of conns) await c.end();
    expect(await one(b.conn, SUMS)).toEqual({ n: ROWS, s: String(total), sk: String(sk), sv: String(ROWS), good: String(ROWS) });

    // kill -9: every acknowledged update is there after recovery.
    await lab.crash(b);
    const c = await lab.start(dir, POOL);
    expect(await one(c.conn, SUMS)).toEqual({ n: ROWS, s: String(total), sk: String(sk), sv: String(ROWS), good: String(ROWS) });
    const [check] = await c.conn.query<mysql.RowDataPacket[]>('CHECK TABLE t');
    expect(check.map((r) => [r['Msg_type'], r['Msg_text']])).toEqual([['status', 'OK']]);
    await lab.stop(c);
  }, 300_000);
});
