/**
 * INSERT / REPLACE / UPDATE / DELETE over the wire, with sql_mode strict and non-strict.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type mysql from 'mysql2/promise';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { req } from '../helpers/req.js';
import { queryError, type QueryFailure } from '../helpers/sql.js';

let srv: TestServer;
let c: mysql.Connection;

async function q(sql: string, params?: unknown[]): Promise<unknown> {
  const [rows] = await c.query(sql, params);
  return rows;
}
function err(sql: string): Promise<QueryFailure> {
  return queryError(c, sql);
}

beforeAll(async () => {
  srv = await startTestServer();
  // These tests check the changed-rows accounting, so the client does not ask for CLIENT_FOUND_ROWS
  // (which mysql2 sets by default); exec-peer-fixes.test.ts covers the found-rows form.
  c = await srv.connect({ flags: ['-FOUND_ROWS'] });
  await c.query('CREATE DATABASE dd');
  await c.query('USE dd');
}, 60000);
afterAll(async () => {
  await c?.end();
  await srv?.stop();
});

describe('INSERT', () => {
  it(req(['CORE-EXEC-050', 'CORE-EXEC-051'], 'wire', 'AUTO_INCREMENT and LAST_INSERT_ID'), async () => {
    await q('CREATE TABLE ai (id INT PRIMARY KEY AUTO_INCREMENT, v INT)');
    const r1 = (await q('INSERT INTO ai (v) VALUES (1)')) as { insertId: number; affectedRows: number };
    expect(r1.insertId).toBe(1);
    const r2 = (await q('INSERT INTO ai VALUES (10, 2)')) as { insertId: number };
    expect(r2.insertId).toBe(10);
    const r3 = (await q('INSERT INTO ai (id, v) VALUES (NULL, 3), (0, 4)')) as { insertId: number; info: string };
    expect(r3.insertId).toBe(11);
    expect(await q('SELECT LAST_INSERT_ID() AS l')).toEqual([{ l: 11 }]);
    expect(await q('SELECT id FROM ai ORDER BY id')).toEqual([{ id: 1 }, { id: 10 }, { id: 11 }, { id: 12 }]);
    await q('INSERT INTO ai SET v = 5');
    expect(await q('SELECT MAX(id) AS m FROM ai')).toEqual([{ m: 13 }]);
  });
  it(req('CORE-EXEC-050', 'wire', 'column count mismatch, unknown column, duplicate key text'), async () => {
    await q('CREATE TABLE k (id INT PRIMARY KEY, u VARCHAR(10) UNIQUE)');
    expect(await err('INSERT INTO k VALUES (1)')).toEqual({ errno: 1136, message: "Column count doesn't match value count at row 1" });
    expect(await err('INSERT INTO k (nope) VALUES (1)')).toEqual({ errno: 1054, message: "Unknown column 'nope' in 'field list'" });
    await q("INSERT INTO k VALUES (5, 'x')");
    expect(await err("INSERT INTO k VALUES (5, 'y')")).toEqual({ errno: 1062, message: "Duplicate entry '5' for key 'k.PRIMARY'" });
    expect(await err("INSERT INTO k VALUES (6, 'x')")).toEqual({ errno: 1062, message: "Duplicate entry 'x' for key 'k.u'" });
  });
  it(req('CORE-EXEC-052', 'wire', 'INSERT IGNORE turns duplicate errors into warnings'), async () => {
    const r = (await q("INSERT IGNORE INTO k VALUES (5, 'z'), (7, 'w')")) as { affectedRows: number; info: string; warningStatus: number };
    expect(r.affectedRows).toBe(1);
    expect(r.info).toBe('Records: 2  Duplicates: 1  Warnings: 1');
    expect(await q('SHOW WARNINGS')).toEqual([{ Level: 'Warning', Code: 1062, Message: "Duplicate entry '5' for key 'k.PRIMARY'" }]);
  });
  it(req('CORE-EXEC-053', 'wire', 'ON DUPLICATE KEY UPDATE affected rows 1/2/0, VALUES() and row alias'), async () => {
    await q('CREATE TABLE cnt (id INT PRIMARY KEY, n INT)');
    expect(((await q('INSERT INTO cnt VALUES (1, 1) ON DUPLICATE KEY UPDATE n = n + 1')) as { affectedRows: number }).affectedRows).toBe(1);
    expect(((await q('INSERT INTO cnt VALUES (1, 1) ON DUPLICATE KEY UPDATE n = n + 1')) as { affectedRows: number }).affectedRows).toBe(2);
    expect(((await q('INSERT INTO cnt VALUES (1, 1) ON DUPLICATE KEY UPDATE n = n')) as { affectedRows: number }).affectedRows).toBe(0);
    await q('INSERT INTO cnt VALUES (1, 40) ON DUPLICATE KEY UPDATE n = n + VALUES(n)');
    expect(await q('SELECT n FROM cnt')).toEqual([{ n: 42 }]);
    await q('INSERT INTO cnt VALUES (1, 8) AS nw ON DUPLICATE KEY UPDATE n = nw.n');
    expect(await q('SELECT n FROM cnt')).toEqual([{ n: 8 }]);
  });
  it(req('CORE-EXEC-054', 'wire', 'REPLACE deletes the conflicting row'), async () => {
    const r = (await q('REPLACE INTO cnt VALUES (1, 100), (2, 200)')) as { affectedRows: number };
    expect(r.affectedRows).toBe(3);
    expect(await q('SELECT * FROM cnt ORDER BY id')).toEqual([{ id: 1, n: 100 }, { id: 2, n: 200 }]);
  });
  it(req('CORE-EXEC-050', 'wire', 'INSERT ... SELECT'), async () => {
    await q('CREATE TABLE cp (id INT, n INT)');
    const r = (await q('INSERT INTO cp SELECT id, n * 2 FROM cnt')) as { affectedRows: number; info: string };
    expect(r.info).toBe('Records: 2  Duplicates: 0  Warnings: 0');
    expect(await q('SELECT SUM(n) AS s FROM cp')).toEqual([{ s: '600' }]);
  });
});

describe('sql_mode', () => {
  it(req(['CORE-EXEC-056', 'CORE-EXEC-057'], 'wire', 'strict mode rejects bad data; non-strict warns and adjusts'), async () => {
    await q('CREATE TABLE sm (id INT PRIMARY KEY, s VARCHAR(3) NOT NULL, t TINYINT)');
    expect(await err("INSERT INTO sm VALUES (1, 'abcdef', 1)")).toEqual({ errno: 1406, message: "Data too long for column 's' at row 1" });
    expect(await err('INSERT INTO sm VALUES (1, NULL, 1)')).toEqual({ errno: 1048, message: "Column 's' cannot be null" });
    expect(await err('INSERT INTO sm (id) VALUES (1)')).toEqual({ errno: 1364, message: "Field 's' doesn't have a default value" });
    await q("SET sql_mode = ''");
    await q("INSERT INTO sm VALUES (1, 'abcdef', 1000)");
    expect(await q('SHOW WARNINGS')).toEqual([
      { Level: 'Warning', Code: 1265, Message: "Data truncated for column 's' at row 1" },
      { Level: 'Warning', Code: 1264, Message: "Out of range value for column 't' at row 1" },
    ]);
    expect(await q('SELECT s, t FROM sm')).toEqual([{ s: 'abc', t: 127 }]);
    await q('INSERT INTO sm VALUES (2, NULL, 1), (3, NULL, 2)');
    expect(await q('SHOW WARNINGS')).toEqual([
      { Level: 'Warning', Code: 1048, Message: "Column 's' cannot be null" },
      { Level: 'Warning', Code: 1048, Message: "Column 's' cannot be null" },
    ]);
    await q('SET sql_mode = DEFAULT');
  });
});

describe('UPDATE and DELETE', () => {
  it(req('CORE-EXEC-055', 'wire', 'UPDATE with ORDER BY/LIMIT, unchanged rows, multi-table, SET col = DEFAULT'), async () => {
    await q('CREATE TABLE ud (id INT PRIMARY KEY, v INT DEFAULT 7)');
    await q('INSERT INTO ud VALUES (1, 1)');
    await q('UPDATE ud SET v = DEFAULT');
    expect(await q('SELECT v FROM ud')).toEqual([{ v: 7 }]);
    await q('CREATE TABLE u (id INT PRIMARY KEY, v INT)');
    await q('INSERT INTO u VALUES (1, 1), (2, 2), (3, 3)');
    expect(await q('UPDATE u SET v = 0 ORDER BY id DESC LIMIT 2')).toMatchObject({ affectedRows: 2, info: 'Rows matched: 2  Changed: 2  Warnings: 0' });
    expect(await q('UPDATE u SET v = 0')).toMatchObject({ affectedRows: 1, info: 'Rows matched: 3  Changed: 1  Warnings: 0' });
    await q('CREATE TABLE u2 (id INT PRIMARY KEY, w INT)');
    await q('INSERT INTO u2 VALUES (1, 10), (2, 20)');
    await q('UPDATE u JOIN u2 ON u.id = u2.id SET u.v = u2.w, u2.w = u2.w + 1');
    expect(await q('SELECT v FROM u ORDER BY id')).toEqual([{ v: 10 }, { v: 20 }, { v: 0 }]);
    expect(await q('SELECT w FROM u2 ORDER BY id')).toEqual([{ w: 11 }, { w: 21 }]);
    expect(await err('UPDATE u SET v = (SELECT MAX(v) FROM u)')).toMatchObject({ errno: 1093 });
    await q('SET sql_safe_updates = 1');
    expect(await err('UPDATE u SET v = 1')).toMatchObject({ errno: 1175 });
    expect(await err('DELETE FROM u WHERE v = 1')).toMatchObject({ errno: 1175 });
    await q('UPDATE u SET v = v WHERE id = 1');
    await q('UPDATE u SET v = v LIMIT 1');
    await q('SET sql_safe_updates = 0');
  });
  it(req('CORE-EXEC-055', 'wire', 'DELETE single and multi-table'), async () => {
    expect(await q('DELETE FROM u WHERE v = 0')).toMatchObject({ affectedRows: 1 });
    expect(await q('DELETE u, u2 FROM u JOIN u2 ON u.id = u2.id WHERE u.id = 1')).toMatchObject({ affectedRows: 2 });
    expect(await q('DELETE FROM u2 ORDER BY id LIMIT 5')).toMatchObject({ affectedRows: 1 });
    expect(await q('SELECT COUNT(*) AS n FROM u')).toEqual([{ n: 1 }]);
  });
});
