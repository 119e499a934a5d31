/**
 * DDL and SHOW over the wire with mysql2.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type mysql from 'mysql2/promise';
import { req } from '../helpers/req.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { failureOf as err } from '../helpers/sql.js';

let srv: TestServer;
let c: mysql.Connection;

beforeAll(async () => {
  srv = await startTestServer();
  c = await srv.connect();
  await c.query('CREATE DATABASE d1');
  await c.query('USE d1');
});

afterAll(async () => {
  await c?.end();
  await srv?.stop();
});

describe('DDL over the wire', () => {
  it(req(['CORE-DDL-002', 'CORE-SHOW-003', 'ENGINE-SET-002'], 'wire', 'CREATE TABLE then SHOW CREATE TABLE in MySQL 8.0 layout'), async () => {
    await c.query('CREATE TABLE t1 (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, name VARCHAR(20), k INT, KEY kk (k) USING BTREE)');
    const [rows] = await c.query<mysql.RowDataPacket[]>('SHOW CREATE TABLE t1');
    expect(rows[0]!['Create Table']).toBe(
      'CREATE TABLE `t1` (\n' +
        '  `id` int NOT NULL AUTO_INCREMENT,\n' +
        '  `name` varchar(20) DEFAULT NULL,\n' +
        '  `k` int DEFAULT NULL,\n' +
        '  PRIMARY KEY (`id`),\n' +
        '  KEY `kk` (`k`) USING BTREE\n' +
        ') ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci',
    );
  });

  it(req(['MEMORY-120', 'ENGINE-LIST-010'], 'wire', 'ENGINE=HEAP is an alias of MEMORY'), async () => {
    await c.query('CREATE TABLE h (i INT) ENGINE=heap');
    const [rows] = await c.query<mysql.RowDataPacket[]>('SHOW CREATE TABLE h');
    expect(String(rows[0]!['Create Table'])).toContain('ENGINE=MEMORY');
  });

  it(req(['MEMORY-033'], 'wire', 'BLOB/TEXT/JSON columns on MEMORY give 1163'), async () => {
    for (const ty of ['TEXT', 'BLOB', 'JSON']) {
      const e = await err(c.query(`CREATE TABLE b (x ${ty}) ENGINE=MEMORY`));
      expect(e.errno).toBe(1163);
    }
  });

  it(req(['ENGINE-SET-010', 'ENGINE-SET-011'], 'wire', 'unknown engine is 1286 under the default sql_mode'), async () => {
    const e = await err(c.query('CREATE TABLE nx (i INT) ENGINE=NOSUCH'));
    expect(e.errno).toBe(1286);
    expect(e.sqlMessage).toBe("Unknown storage engine 'NOSUCH'");
  });

  it(req(['ENGINE-SET-008'], 'wire', 'without NO_ENGINE_SUBSTITUTION the default engine is used with warnings 1286 and 1266'), async () => {
    await c.query("SET SESSION sql_mode=''");
    await c.query('CREATE TABLE sub (i INT) ENGINE=NOSUCH');
    const [w] = await c.query<mysql.RowDataPacket[]>('SHOW WARNINGS');
    expect(w.map((r) => r['Code'])).toEqual([1286, 1266]);
    expect(w[1]!['Message']).toBe("Using storage engine InnoDB for table 'sub'");
    await c.query('SET SESSION sql_mode=DEFAULT');
  });

  it(req(['ENGINE-SET-004'], 'wire', 'SET default_storage_engine to an unknown engine is 1286; aliases resolve'), async () => {
    const e = await err(c.query('SET SESSION default_storage_engine = NOSUCH'));
    expect([e.errno, e.sqlMessage]).toEqual([1286, "Unknown storage engine 'NOSUCH'"]);
    await c.query('SET SESSION default_storage_engine = heap');
    const [r] = await c.query<mysql.RowDataPacket[]>('SELECT @@session.default_storage_engine AS e');
    expect(r[0]!['e']).toBe('MEMORY');
    await c.query('SET SESSION default_storage_engine = DEFAULT');
  });

  it(req(['ENGINE-LIST-003', 'ENGINE-LIST-004'], 'wire', 'SHOW ENGINES columns and one DEFAULT row'), async () => {
    const [rows, fields] = await c.query<mysql.RowDataPacket[]>('SHOW ENGINES');
    expect(fields.map((f) => f.name)).toEqual(['Engine', 'Support', 'Comment', 'Transactions', 'XA', 'Savepoints']);
    expect(rows.filter((r) => r['Support'] === 'DEFAULT').map((r) => r['Engine'])).toEqual(['InnoDB']);
  });

  it(req(['CORE-DDL-014'], 'wire', 'DROP TABLE lists every missing table'), async () => {
    const e = await err(c.query('DROP TABLE nope1, t1, nope2'));
    expect(e.errno).toBe(1051);
    expect(e.sqlMessage).toBe("Unknown table 'd1.nope1,d1.nope2'");
  });

  it(req(['MEMORY-041', 'MEMORY-050'], 'wire', 'SHOW INDEX reports HASH by default and BTREE when asked'), async () => {
    await c.query('CREATE TABLE mi (id INT PRIMARY KEY, k INT, KEY kk (k) USING BTREE) ENGINE=MEMORY');
    const [rows] = await c.query<mysql.RowDataPacket[]>('SHOW INDEX FROM mi');
    expect(rows.map((r) => [r['Key_name'], r['Index_type']])).toEqual([['PRIMARY', 'HASH'], ['kk', 'BTREE']]);
    await c.query('DROP TABLE mi');
  });

  it(req(['MEMORY-034', 'CORE-DDL-012'], 'wire', 'insert, ALTER TABLE keeps rows and counter'), async () => {
    await c.query("INSERT INTO t1 (name, k) VALUES ('a', 1), ('b', 2)");
    await c.query('ALTER TABLE t1 ADD COLUMN z INT DEFAULT 7');
    const [rows] = await c.query<mysql.RowDataPacket[]>('SELECT id, name, z FROM t1 ORDER BY id');
    expect(rows.map((r) => [r['id'], r['name'], r['z']])).toEqual([[1, 'a', 7], [2, 'b', 7]]);
    await c.query("INSERT INTO t1 (name) VALUES ('c')");
    const [r2] = await c.query<mysql.RowDataPacket[]>('SELECT MAX(id) AS m FROM t1');
    expect(r2[0]!['m']).toBe(3);
  });
});
