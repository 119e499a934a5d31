/**
 * FEDERATED with a MariaDB 10.11 server as the remote side (the manual's "the remote side must be
 * a MySQL server": MariaDB speaks the same protocol and SQL). refmysqld started with --federated
 * reads and writes a MariaDB table, through a CONNECTION URL and through CREATE SERVER; values of
 * the common types come back as stored, and a MariaDB error comes back as 1296.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/federated-storage-engine.html
 * @req FEDERATED-071
 */
import type mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requirePeer, startMariaDb, type MariaDbPeer } from '../helpers/mariadb.js';
import { req } from '../helpers/req.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { failureOf } from '../helpers/sql.js';

let peer: MariaDbPeer;
let local: TestServer;
let m: mysql.Connection;
let l: mysql.Connection;

async function rows(conn: mysql.Connection, sql: string): Promise<unknown[][]> {
  const [res] = await conn.query({ sql, rowsAsArray: true, dateStrings: true, supportBigNumbers: true, bigNumberStrings: true });
  return res as unknown[][];
}

const COLUMNS = `id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, name VARCHAR(32) NOT NULL DEFAULT '', price DECIMAL(8,2),
  ratio DOUBLE, at DATETIME, day DATE, raw VARBINARY(8), note TEXT, KEY name (name)`;

beforeAll(async () => {
  requirePeer(['mariadbd', 'mariadb-install-db']);
  [peer, local] = await Promise.all([startMariaDb(), startTestServer({ options: { federated: true } })]);
  m = await peer.connect();
  l = await local.connect();
  await m.query('CREATE DATABASE federated');
  await m.query(`CREATE TABLE federated.items (${COLUMNS}) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`);
  await l.query('CREATE DATABASE fed');
  await l.query('USE fed');
}, 120_000);

afterAll(async () => {
  await l?.end();
  await m?.end();
  await local?.stop();
  await peer?.stop();
});

describe('FEDERATED over a MariaDB remote', () => {
  it(req(['FEDERATED-071', 'FEDERATED-011', 'FEDERATED-012'], 'peer', 'rows written through refmysqld land in MariaDB with their values, and read back the same'), async () => {
    await l.query(`CREATE TABLE items (${COLUMNS}) ENGINE=FEDERATED DEFAULT CHARSET=utf8mb4 CONNECTION='mysql://root@127.0.0.1:${peer.port}/federated/items'`);
    await l.query(`INSERT INTO items (name, price, ratio, at, day, raw, note) VALUES
      ('grüße', 12.50, 0.25, '2024-01-02 03:04:05', '2024-01-02', x'00ff10', 'it''s \\\\ fine'),
      ('plain', NULL, -1.5e10, NULL, NULL, NULL, NULL)`);
    const expected = [
      [1, 'grüße', '12.50', 0.25, '2024-01-02 03:04:05', '2024-01-02', Buffer.from([0, 255, 16]), "it's \\ fine"],
      [2, 'plain', null, -1.5e10, null, null, null, null],
    ];
    expect(await rows(m, 'SELECT id, name, price, ratio, at, day, raw, note FROM federated.items ORDER BY id')).toEqual(expected);
    expect(await rows(l, 'SELECT id, name, price, ratio, at, day, raw, note FROM items ORDER BY id')).toEqual(expected);
    expect(await rows(l, "SELECT id FROM items WHERE name = 'grüße'")).toEqual([[1]]);
  });

  it(req(['FEDERATED-076', 'FEDERATED-051'], 'peer', 'UPDATE and DELETE through a CREATE SERVER link change the MariaDB rows'), async () => {
    await l.query(`CREATE SERVER maria FOREIGN DATA WRAPPER mysql OPTIONS (USER 'root', HOST '127.0.0.1', PORT ${peer.port}, DATABASE 'federated')`);
    await l.query(`CREATE TABLE items2 (${COLUMNS}) ENGINE=FEDERATED DEFAULT CHARSET=utf8mb4 CONNECTION='maria/items'`);
    await l.query("UPDATE items2 SET price = 99.99 WHERE name = 'plain'");
    await l.query('DELETE FROM items2 WHERE id = 1');
    expect(await rows(m, 'SELECT id, name, price FROM federated.items ORDER BY id')).toEqual([[2, 'plain', '99.99']]);
  });

  it(req(['FEDERATED-012'], 'peer', "a MariaDB error during a statement is 1296 with MariaDB's errno and message"), async () => {
    await m.query('CREATE TABLE federated.gone (a INT)');
    await l.query(`CREATE TABLE gone (a INT) ENGINE=FEDERATED CONNECTION='maria/gone'`);
    expect(await rows(l, 'SELECT a FROM gone')).toEqual([]);
    await m.query('DROP TABLE federated.gone');
    const e = await failureOf(l.query('SELECT a FROM gone'));
    expect([e.errno, e.sqlMessage]).toEqual([1296, "Got error 10000 'Error on remote system: 1146: Table 'federated.gone' doesn't exist' from FEDERATED"]);
  });
});
