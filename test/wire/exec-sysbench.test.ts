/**
 * The statements sysbench's OLTP scripts send, as prepared statements over the binary protocol.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type mysql from 'mysql2/promise';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { req } from '../helpers/req.js';

let srv: TestServer;
let c: mysql.Connection;
const ROWS = 500;

beforeAll(async () => {
  srv = await startTestServer();
  c = await srv.connect();
  await c.query('CREATE DATABASE sbtest');
  await c.query('USE sbtest');
  await c.query("CREATE TABLE sbtest1(id INTEGER NOT NULL AUTO_INCREMENT, k INTEGER DEFAULT '0' NOT NULL, c CHAR(120) DEFAULT '' NOT NULL, pad CHAR(60) DEFAULT '' NOT NULL, PRIMARY KEY (id))");
  const vals: string[] = [];
  for (let i = 1; i <= ROWS; i++) vals.push(`(${(i * 7) % 100}, 'c-${String(i).padStart(4, '0')}', 'pad')`);
  await c.query('INSERT INTO sbtest1(k, c, pad) VALUES' + vals.join(','));
  await c.query('CREATE INDEX k_1 ON sbtest1(k)');
}, 60000);
afterAll(async () => {
  await c?.end();
  await srv?.stop();
});

describe('sysbench OLTP statements', () => {
  it(req(['CORE-EXEC-020', 'CORE-EXEC-032'], 'wire', 'oltp_read_only: point select, ranges with SUM / ORDER BY / DISTINCT'), async () => {
    await c.query('BEGIN');
    const [p] = await c.execute('SELECT c FROM sbtest1 WHERE id=?', [42]);
    expect(p).toEqual([{ c: 'c-0042' }]);
    const [r1] = await c.execute('SELECT c FROM sbtest1 WHERE id BETWEEN ? AND ?', [10, 12]);
    expect((r1 as unknown[]).length).toBe(3);
    const [r2] = await c.execute('SELECT SUM(k) FROM sbtest1 WHERE id BETWEEN ? AND ?', [1, 3]);
    expect(r2).toEqual([{ 'SUM(k)': '42' }]);
    const [r3] = await c.execute('SELECT c FROM sbtest1 WHERE id BETWEEN ? AND ? ORDER BY c', [5, 7]);
    expect(r3).toEqual([{ c: 'c-0005' }, { c: 'c-0006' }, { c: 'c-0007' }]);
    const [r4] = await c.execute('SELECT DISTINCT c FROM sbtest1 WHERE id BETWEEN ? AND ? ORDER BY c', [5, 6]);
    expect(r4).toEqual([{ c: 'c-0005' }, { c: 'c-0006' }]);
    await c.query('COMMIT');
  });
  it(req(['CORE-EXEC-050', 'CORE-EXEC-055'], 'wire', 'oltp_write_only: index and non-index updates, delete, insert'), async () => {
    await c.query('BEGIN');
    const [u1] = await c.execute('UPDATE sbtest1 SET k=k+1 WHERE id=?', [42]);
    expect((u1 as { affectedRows: number }).affectedRows).toBe(1);
    const [u2] = await c.execute('UPDATE sbtest1 SET c=? WHERE id=?', ['new-c', 43]);
    expect((u2 as { affectedRows: number }).affectedRows).toBe(1);
    const [d] = await c.execute('DELETE FROM sbtest1 WHERE id=?', [44]);
    expect((d as { affectedRows: number }).affectedRows).toBe(1);
    const [i] = await c.execute('INSERT INTO sbtest1 (id, k, c, pad) VALUES (?, ?, ?, ?)', [44, 5, 'again', 'pad']);
    expect((i as { affectedRows: number }).affectedRows).toBe(1);
    await c.query('COMMIT');
    const [rows] = await c.execute('SELECT id, k, c FROM sbtest1 WHERE id IN (42, 43, 44) ORDER BY id');
    expect(rows).toEqual([
      { id: 42, k: ((42 * 7) % 100) + 1, c: 'c-0042' },
      { id: 43, k: (43 * 7) % 100, c: 'new-c' },
      { id: 44, k: 5, c: 'again' },
    ]);
    const [byK] = await c.execute('SELECT COUNT(*) AS n FROM sbtest1 WHERE k = ?', [5]);
    expect((byK as { n: number }[])[0]!.n).toBeGreaterThan(0);
  });
});
