/**
 * InnoDB backups (15.18.1): a logical backup with `mariadb-dump --single-transaction` taken
 * while a writer keeps committing is one consistent snapshot and restores into a fresh server;
 * a cold backup (the data directory copied after a slow shutdown) starts on another path with
 * the same data.
 */
import { cpSync, rmSync } from 'node:fs';
import type mysql from 'mysql2/promise';
import { afterAll, describe, expect, it } from 'vitest';
import { requirePeer } from '../helpers/mariadb.js';
import { cliTcpArgs, mariadbCli, runCommand } from '../helpers/peers.js';
import { req } from '../helpers/req.js';
import { startTestServer, tempDatadir, type TestServer } from '../helpers/server.js';

const servers: TestServer[] = [];
const parents: string[] = [];
afterAll(async () => {
  for (const s of servers) await s.stop().catch(() => undefined);
  for (const p of parents) rmSync(p, { recursive: true, force: true });
});

async function one(c: mysql.Connection, sql: string): Promise<string> {
  const [rows] = await c.query({ sql, rowsAsArray: true });
  return String((rows as unknown[][])[0]?.[0]);
}

describe('InnoDB backup', () => {
  it(req(['INNODB-BAK-006', 'INNODB-BAK-007'], 'peer', 'mariadb-dump --single-transaction under a concurrent writer is one snapshot, and restores'), async () => {
    requirePeer(['mariadb', 'mariadb-dump']);
    const src = await startTestServer();
    const dst = await startTestServer();
    servers.push(src, dst);
    const c = await src.connect();
    await c.query('CREATE DATABASE shop');
    await c.query('USE shop');
    // Each writer transaction adds one order and its line, and moves money between two
    // accounts: a consistent snapshot has as many orders as lines and the same total balance.
    await c.query('CREATE TABLE orders (id INT PRIMARY KEY, note VARCHAR(40)) ENGINE=InnoDB');
    await c.query('CREATE TABLE order_lines (order_id INT PRIMARY KEY, qty INT) ENGINE=InnoDB');
    await c.query('CREATE TABLE accounts (id INT PRIMARY KEY, balance INT) ENGINE=InnoDB');
    await c.query('INSERT INTO accounts VALUES (1, 1000), (2, 1000)');
    const batch: string[] = [];
    for (let i = 1; i <= 5000; i++) batch.push(`(${i}, 'seed order ${i}')`);
    await c.query(`INSERT INTO orders VALUES ${batch.join(',')}`);
    await c.query(`INSERT INTO order_lines SELECT id, 1 FROM orders`);
    const w = await src.connect({ database: 'shop' });
    let stop = false;
    let next = 100000;
    let committed = 0;
    const writer = (async () => {
      while (!stop) {
        const id = next++;
        await w.query('BEGIN');
        await w.query('INSERT INTO orders VALUES (?, ?)', [id, 'live']);
        await w.query('UPDATE accounts SET balance = balance - 1 WHERE id = 1');
        await w.query('INSERT INTO order_lines VALUES (?, 2)', [id]);
        await w.query('UPDATE accounts SET balance = balance + 1 WHERE id = 2');
        await w.query('COMMIT');
        committed++;
      }
    })();
    await new Promise((r) => setTimeout(r, 50));
    const before = committed;
    const dump = await runCommand('mariadb-dump', [...cliTcpArgs(src), '--single-transaction', 'shop', 'orders', 'accounts', 'order_lines'], { timeoutMs: 60_000 });
    const during = committed - before;
    stop = true;
    await writer;
    expect(dump.stderr).toBe('');
    expect(dump.code).toBe(0);
    // The writer went on while the dump read (nothing locked it out).
    expect(during).toBeGreaterThan(0);
    const d = await dst.connect();
    await d.query('CREATE DATABASE shop');
    const restore = await mariadbCli(dst, ['shop'], dump.stdout);
    expect(restore.stderr).toBe('');
    expect(restore.code).toBe(0);
    const orders = Number(await one(d, 'SELECT COUNT(*) FROM shop.orders'));
    const lines = Number(await one(d, 'SELECT COUNT(*) FROM shop.order_lines'));
    expect(orders).toBeGreaterThan(5000);
    expect(lines).toBe(orders);
    expect(await one(d, 'SELECT COUNT(*) FROM shop.orders o LEFT JOIN shop.order_lines l ON l.order_id = o.id WHERE l.order_id IS NULL')).toBe('0');
    expect(await one(d, 'SELECT SUM(balance) FROM shop.accounts')).toBe('2000');
    const live = orders - 5000;
    expect(await one(d, 'SELECT balance FROM shop.accounts WHERE id = 1')).toBe(String(1000 - live));
    for (const x of [c, w, d]) await x.end();
  }, 120_000);

  it(req(['INNODB-BAK-003', 'INNODB-BAK-004'], 'wire', 'a cold backup taken after a slow shutdown starts on another path with the same data'), async () => {
    const orig = tempDatadir();
    const copy = tempDatadir();
    parents.push(orig.parent, copy.parent);
    const src = await startTestServer({ datadir: orig.datadir });
    const c = await src.connect();
    await c.query('CREATE DATABASE cold');
    await c.query('CREATE TABLE cold.t (id INT PRIMARY KEY, v VARCHAR(20), KEY (v)) ENGINE=InnoDB');
    await c.query("INSERT INTO cold.t VALUES (1,'one'),(2,'two'),(3,'three')");
    await c.query("UPDATE cold.t SET v='TWO' WHERE id=2");
    await c.query('DELETE FROM cold.t WHERE id=3');
    await c.query('SET GLOBAL innodb_fast_shutdown = 0');
    const want = await one(c, 'SELECT GROUP_CONCAT(id, v ORDER BY id) FROM cold.t');
    await c.end();
    await src.stop();
    // Data files, redo log and the rest of the directory, copied while the server is down.
    cpSync(orig.datadir, copy.datadir, { recursive: true, filter: (f) => !f.endsWith('/auto.cnf') });
    const dst = await startTestServer({ datadir: copy.datadir });
    servers.push(dst);
    const d = await dst.connect();
    expect(await one(d, 'SELECT GROUP_CONCAT(id, v ORDER BY id) FROM cold.t')).toBe(want);
    expect(await one(d, "SELECT id FROM cold.t WHERE v = 'TWO'")).toBe('2');
    await d.end();
  });
});
