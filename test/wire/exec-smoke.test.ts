import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type mysql from 'mysql2/promise';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { req } from '../helpers/req.js';

let srv: TestServer;
let c: mysql.Connection;
beforeAll(async () => {
  srv = await startTestServer();
  c = await srv.connect();
}, 60000);
afterAll(async () => {
  await c?.end();
  await srv?.stop();
});

describe('exec smoke', () => {
  it(req('CORE-EXEC-030', 'wire', 'basic select and insert'), async () => {
    const [r1] = await c.query('SELECT 1 AS a, 2+3');
    expect(r1).toEqual([{ a: 1, '2+3': 5 }]);
    await c.query('CREATE DATABASE d1');
    await c.query('USE d1');
    await c.query('CREATE TABLE t (id INT PRIMARY KEY AUTO_INCREMENT, v VARCHAR(20), n INT)');
    const [ins] = await c.query("INSERT INTO t (v, n) VALUES ('a', 1), ('b', 2), ('c', 3)");
    expect(ins).toMatchObject({ affectedRows: 3, insertId: 1, info: 'Records: 3  Duplicates: 0  Warnings: 0' });
    const [rows] = await c.query('SELECT * FROM t WHERE id = 2');
    expect(rows).toEqual([{ id: 2, v: 'b', n: 2 }]);
    const [agg] = await c.query('SELECT COUNT(*) AS c, SUM(n) AS s FROM t');
    expect(agg).toEqual([{ c: 3, s: '6' }]);
    const [up] = await c.query('UPDATE t SET n = n + 10 WHERE id >= 2');
    expect(up).toMatchObject({ affectedRows: 2, info: 'Rows matched: 2  Changed: 2  Warnings: 0' });
    const [ord] = await c.query('SELECT id, n FROM t ORDER BY n DESC LIMIT 2');
    expect(ord).toEqual([{ id: 3, n: 13 }, { id: 2, n: 12 }]);
    const [del] = await c.query('DELETE FROM t WHERE id = 1');
    expect(del).toMatchObject({ affectedRows: 1 });
    const [ps] = await c.execute('SELECT v FROM t WHERE id = ?', [3]);
    expect(ps).toEqual([{ v: 'c' }]);
  });
});
