/**
 * Statements real clients send at startup and during dumps, plus privilege errors.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type mysql from 'mysql2/promise';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { req } from '../helpers/req.js';
import { queryError, type QueryFailure } from '../helpers/sql.js';

let srv: TestServer;
let c: mysql.Connection;

async function q(sql: string, conn: mysql.Connection = c): Promise<unknown> {
  const [rows] = await conn.query(sql);
  return rows;
}
function err(sql: string, conn: mysql.Connection = c): Promise<QueryFailure> {
  return queryError(conn, sql);
}

beforeAll(async () => {
  srv = await startTestServer();
  c = await srv.connect();
  await c.query('CREATE DATABASE cd');
  await c.query('USE cd');
  await c.query('CREATE TABLE t1 (id INT PRIMARY KEY, s VARCHAR(10))');
  await c.query('CREATE TABLE t2 (id INT PRIMARY KEY)');
  await c.query("INSERT INTO t1 VALUES (1, 'a')");
}, 60000);
afterAll(async () => {
  await c?.end();
  await srv?.stop();
});

describe('client startup and dump statements', () => {
  it(req(['CORE-EXEC-002', 'CORE-EXEC-018'], 'wire', 'version comment, SET NAMES, conditional comments, SQL_NO_CACHE'), async () => {
    expect(await q('SELECT @@version_comment LIMIT 1')).toHaveLength(1);
    await q('SET NAMES utf8mb4');
    expect(await q('SELECT @@character_set_client AS a, @@character_set_results AS b')).toEqual([{ a: 'utf8mb4', b: 'utf8mb4' }]);
    await q('/*!40101 SET @OLD_CHARACTER_SET_CLIENT=@@CHARACTER_SET_CLIENT */');
    expect(await q('SELECT @OLD_CHARACTER_SET_CLIENT AS v')).toEqual([{ v: 'utf8mb4' }]);
    expect(await q('SELECT /*!40001 SQL_NO_CACHE */ * FROM t1')).toEqual([{ id: 1, s: 'a' }]);
    await q('LOCK TABLES t1 READ /*!32311 LOCAL */');
    await q('UNLOCK TABLES');
    await q('DO 1 + 1');
  });
  it(req('CORE-EXEC-030', 'wire', 'information_schema reads through the query engine'), async () => {
    const rows = (await q("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'cd' ORDER BY TABLE_NAME")) as { TABLE_NAME: string }[];
    expect(rows.map((r) => r.TABLE_NAME)).toEqual(['t1', 't2']);
  });
  it(req('CORE-EXEC-009', 'wire', 'table privileges are checked for every table a statement reads'), async () => {
    await q("CREATE USER 'lim'@'%' IDENTIFIED BY 'pw'");
    await q("GRANT SELECT ON cd.t1 TO 'lim'@'%'");
    const u = await srv.connect({ user: 'lim', password: 'pw', database: 'cd' });
    try {
      expect(await q('SELECT id FROM t1', u)).toEqual([{ id: 1 }]);
      const e = await err('SELECT * FROM t2', u);
      expect(e.errno).toBe(1142);
      const e2 = await err('SELECT * FROM t1 WHERE id IN (SELECT id FROM t2)', u);
      expect(e2.errno).toBe(1142);
      const e3 = await err('INSERT INTO t1 VALUES (2, "b")', u);
      expect(e3.errno).toBe(1142);
      expect(await err('SET GLOBAL max_connections = 10', u)).toEqual({
        errno: 1227,
        message: 'Access denied; you need (at least one of) the SUPER or SYSTEM_VARIABLES_ADMIN privilege(s) for this operation',
      });
      expect(await err('KILL ' + (c as unknown as { threadId: number }).threadId, u)).toMatchObject({ errno: 1095 });
    } finally {
      await u.end();
    }
  });
  it(req('CORE-EXEC-009', 'wire', 'column privileges: reading an ungranted column is 1143'), async () => {
    await q("CREATE USER 'col'@'%' IDENTIFIED BY 'pw'");
    await q("GRANT SELECT (id) ON cd.t1 TO 'col'@'%'");
    const u = await srv.connect({ user: 'col', password: 'pw', database: 'cd' });
    try {
      expect(await q('SELECT id FROM t1', u)).toEqual([{ id: 1 }]);
      const e = await err('SELECT s FROM t1', u);
      expect(e.errno).toBe(1143);
      expect(e.message).toMatch(/^SELECT command denied to user 'col'@'[^']+' for column 's' in table 't1'$/);
      expect((await err('SELECT * FROM t1', u)).errno).toBe(1143);
    } finally {
      await u.end();
    }
  });
  it(req('CORE-EXEC-013', 'wire', 'unimplemented statements are a clear error'), async () => {
    const e = await err('HANDLER t1 OPEN');
    expect([1064, 1235]).toContain(e.errno);
  });
});
