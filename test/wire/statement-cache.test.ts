/**
 * The text-protocol statement cache over the wire: texts that differ in lifted literals share a
 * cached statement and still give their own results; a change of table definition, sql_mode,
 * default schema, connection character set or privileges is seen by the next execution.
 *
 * @req CORE-PERF-010 CORE-PERF-011 CORE-PERF-012 CORE-PERF-013 CORE-PERF-014 CORE-PERF-015
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type mysql from 'mysql2/promise';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { req } from '../helpers/req.js';

let srv: TestServer;

beforeAll(async () => {
  srv = await startTestServer();
  const c = await srv.connect();
  await c.query('CREATE DATABASE sc1');
  await c.query('CREATE DATABASE sc2');
  await c.query('CREATE TABLE sc1.t (id INT PRIMARY KEY, c VARCHAR(20), d DECIMAL(6,2))');
  await c.query("INSERT INTO sc1.t VALUES (1,'one',1.50),(2,'two',2.25),(3,'three',3.00),(42,'forty-two',42.42),(43,'forty-three',43.43)");
  await c.query('CREATE TABLE sc2.t (id INT PRIMARY KEY, c VARCHAR(20), d DECIMAL(6,2))');
  await c.query("INSERT INTO sc2.t VALUES (42,'other',0.00)");
  await c.query("CREATE USER 'scu'@'%' IDENTIFIED BY 'pw'");
  await c.query("GRANT SELECT ON sc1.* TO 'scu'@'%'");
  await c.end();
}, 60_000);

afterAll(async () => {
  await srv?.stop();
});

async function status(c: mysql.Connection): Promise<{ hits: number; misses: number }> {
  const [rows] = await c.query("SHOW GLOBAL STATUS LIKE 'Refmysql_statement_cache%'");
  const m = new Map((rows as { Variable_name: string; Value: string }[]).map((r) => [r.Variable_name, Number(r.Value)]));
  return { hits: m.get('Refmysql_statement_cache_hits') ?? 0, misses: m.get('Refmysql_statement_cache_misses') ?? 0 };
}

async function rows(c: mysql.Connection, sql: string): Promise<unknown[]> {
  const [r] = await c.query({ sql, rowsAsArray: true });
  return r as unknown[];
}

describe('text-protocol statement cache', () => {
  it(req(['CORE-PERF-010', 'CORE-PERF-011', 'CORE-PERF-014', 'CORE-PERF-017'], 'wire', 'texts differing in a WHERE literal share one cached statement and give their own rows'), async () => {
    const a = await srv.connect({ database: 'sc1' });
    const b = await srv.connect({ database: 'sc1' });
    try {
      const before = await status(a);
      expect(await rows(a, 'SELECT c FROM t WHERE id=42')).toEqual([['forty-two']]);
      expect(await rows(b, 'SELECT c FROM t WHERE id=43')).toEqual([['forty-three']]);
      expect(await rows(a, 'SELECT c FROM t WHERE id=43')).toEqual([['forty-three']]);
      expect(await rows(b, 'SELECT c FROM t WHERE id=42')).toEqual([['forty-two']]);
      expect(await rows(a, 'SELECT c FROM t WHERE id=44')).toEqual([]);
      expect(await rows(a, "SELECT id FROM t WHERE c='two'")).toEqual([[2]]);
      expect(await rows(a, "SELECT id FROM t WHERE c='one'")).toEqual([[1]]);
      expect(await rows(a, 'SELECT id FROM t WHERE id BETWEEN 1 AND 3 ORDER BY id LIMIT 2')).toEqual([[1], [2]]);
      expect(await rows(a, 'SELECT id FROM t WHERE id BETWEEN 2 AND 9 ORDER BY id LIMIT 3')).toEqual([[2], [3]]);
      expect(await rows(a, 'SELECT id FROM t WHERE id IN (1,3) ORDER BY id')).toEqual([[1], [3]]);
      expect(await rows(a, 'SELECT id FROM t WHERE id IN (2,3) ORDER BY id')).toEqual([[2], [3]]);
      const after = await status(a);
      // Sessions keep their own caches: a and b each miss once on the point select.
      expect(after.misses - before.misses).toBe(5);
      expect(after.hits - before.hits).toBe(6);
    } finally {
      await a.end();
      await b.end();
    }
  });

  it(req(['CORE-PERF-012'], 'wire', 'select-list literals keep their text; a lifted literal of another type does not reuse the entry'), async () => {
    const a = await srv.connect({ database: 'sc1' });
    try {
      const [r1, f1] = await a.query('SELECT 1, id FROM t WHERE id=1');
      const [r2, f2] = await a.query('SELECT 2, id FROM t WHERE id=2');
      expect(r1).toEqual([{ '1': 1, id: 1 }]);
      expect(r2).toEqual([{ '2': 2, id: 2 }]);
      expect((f1 as mysql.FieldPacket[]).map((f) => f.name)).toEqual(['1', 'id']);
      expect((f2 as mysql.FieldPacket[]).map((f) => f.name)).toEqual(['2', 'id']);
      // '42abc' against an INT column: the uncached warnings (one per row compared), every time.
      for (const v of ['42abc', '43xyz']) {
        await a.query(`SELECT c FROM t WHERE id='${v}'`);
        const [w] = await a.query('SHOW WARNINGS');
        expect(w).toEqual(Array(5).fill({ Level: 'Warning', Code: 1292, Message: `Truncated incorrect DOUBLE value: '${v}'` }));
      }
      expect(await rows(a, 'SELECT id FROM t WHERE d=2.25')).toEqual([[2]]);
      expect(await rows(a, 'SELECT id FROM t WHERE d=3')).toEqual([[3]]);
      expect(await rows(a, 'SELECT id FROM t WHERE d=1.5')).toEqual([[1]]);
    } finally {
      await a.end();
    }
  });

  it(req(['CORE-PERF-013', 'CORE-PERF-015'], 'wire', 'ALTER, DROP and CREATE TABLE from another connection are seen by the next cached execution'), async () => {
    const a = await srv.connect({ database: 'sc1' });
    const ddl = await srv.connect({ database: 'sc1' });
    try {
      await ddl.query('CREATE TABLE inv (id INT PRIMARY KEY, v INT)');
      await ddl.query('INSERT INTO inv VALUES (1,10),(2,20)');
      expect(await rows(a, 'SELECT * FROM inv WHERE id=1')).toEqual([[1, 10]]);
      await ddl.query('ALTER TABLE inv ADD COLUMN w INT DEFAULT 7');
      const [r, f] = await a.query({ sql: 'SELECT * FROM inv WHERE id=2', rowsAsArray: true });
      expect(r).toEqual([[2, 20, 7]]);
      expect((f as mysql.FieldPacket[]).map((x) => x.name)).toEqual(['id', 'v', 'w']);
      await ddl.query('DROP TABLE inv');
      await expect(a.query('SELECT * FROM inv WHERE id=1')).rejects.toMatchObject({ errno: 1146 });
      await ddl.query('CREATE TABLE inv (id INT PRIMARY KEY, z VARCHAR(5))');
      await ddl.query("INSERT INTO inv VALUES (1,'z1')");
      expect(await rows(a, 'SELECT * FROM inv WHERE id=1')).toEqual([[1, 'z1']]);
      await a.query('UPDATE inv SET z=\'u\' WHERE id=1');
      await a.query('DELETE FROM inv WHERE id=2');
      expect(await rows(a, 'SELECT * FROM inv WHERE id=1')).toEqual([[1, 'u']]);
    } finally {
      await a.end();
      await ddl.end();
    }
  });

  it(req(['CORE-PERF-013'], 'wire', 'USE, SET NAMES and sql_mode changes take effect on the next text of a cached shape'), async () => {
    const a = await srv.connect({ database: 'sc1' });
    try {
      expect(await rows(a, 'SELECT c FROM t WHERE id=42')).toEqual([['forty-two']]);
      await a.query('USE sc2');
      expect(await rows(a, 'SELECT c FROM t WHERE id=42')).toEqual([['other']]);
      await a.query('USE sc1');
      const [, f1] = await a.query("SELECT id FROM t WHERE c='two'");
      await a.query('SET NAMES latin1');
      const [r2] = await a.query("SELECT id, CHARSET('x') AS cs FROM t WHERE c='two'");
      expect(r2).toEqual([{ id: 2, cs: 'latin1' }]);
      expect((f1 as mysql.FieldPacket[]).length).toBe(1);
      await a.query('SET NAMES utf8mb4');
      expect(await rows(a, 'SELECT id FROM t WHERE c="two"')).toEqual([[2]]);
      await a.query("SET sql_mode='ANSI_QUOTES'");
      // "two" is now a column name: the cached statement for the old mode is not used.
      await expect(a.query('SELECT id FROM t WHERE c="two"')).rejects.toMatchObject({ errno: 1054 });
      await a.query("SET sql_mode=DEFAULT");
      expect(await rows(a, 'SELECT id FROM t WHERE c="two"')).toEqual([[2]]);
    } finally {
      await a.end();
    }
  });

  it(req(['CORE-PERF-013', 'CORE-PERF-015'], 'wire', 'REVOKE from another connection: the next cached execution fails with 1142'), async () => {
    const root = await srv.connect();
    const u = await srv.connect({ user: 'scu', password: 'pw', database: 'sc1' });
    const u2 = await srv.connect({ user: 'scu', password: 'pw', database: 'sc1' });
    try {
      expect(await rows(u, 'SELECT c FROM t WHERE id=1')).toEqual([['one']]);
      expect(await rows(u, 'SELECT c FROM t WHERE id=2')).toEqual([['two']]);
      expect(await rows(u2, 'SELECT c FROM t WHERE id=3')).toEqual([['three']]);
      await root.query("REVOKE SELECT ON sc1.* FROM 'scu'@'%'");
      await expect(u.query('SELECT c FROM t WHERE id=3')).rejects.toMatchObject({ errno: 1142 });
      await expect(u2.query('SELECT c FROM t WHERE id=1')).rejects.toMatchObject({ errno: 1142 });
      await root.query("GRANT SELECT (id) ON sc1.t TO 'scu'@'%'");
      await expect(u.query('SELECT c FROM t WHERE id=3')).rejects.toMatchObject({ errno: 1143 });
      expect(await rows(u, 'SELECT id FROM t WHERE id=3')).toEqual([[3]]);
      await root.query("GRANT SELECT ON sc1.* TO 'scu'@'%'");
      expect(await rows(u, 'SELECT c FROM t WHERE id=42')).toEqual([['forty-two']]);
    } finally {
      await root.end();
      await u.end();
      await u2.end();
    }
  });

  it(req(['CORE-PERF-014'], 'wire', 'performance_schema and the general log see each original text; size 0 turns the cache off'), async () => {
    const a = await srv.connect({ database: 'sc1' });
    try {
      await a.query('TRUNCATE performance_schema.events_statements_history');
      await a.query('SELECT c FROM t WHERE id=1');
      await a.query('SELECT c FROM t WHERE id=2');
      const [h] = await a.query(
        "SELECT SQL_TEXT, DIGEST_TEXT FROM performance_schema.events_statements_history WHERE THREAD_ID = PS_CURRENT_THREAD_ID() AND SQL_TEXT LIKE 'SELECT c FROM t WHERE id=%' ORDER BY EVENT_ID",
      );
      expect((h as { SQL_TEXT: string }[]).map((x) => x.SQL_TEXT)).toEqual(['SELECT c FROM t WHERE id=1', 'SELECT c FROM t WHERE id=2']);
      const [[dt]] = (await a.query({ sql: "SELECT STATEMENT_DIGEST_TEXT('SELECT c FROM t WHERE id=2')", rowsAsArray: true }))[0] as unknown as [[string]];
      expect((h as { DIGEST_TEXT: string }[]).map((x) => x.DIGEST_TEXT)).toEqual([dt, dt]);
      // The general log (as a table) has each text as sent.
      await a.query("SET GLOBAL log_output = 'TABLE'");
      await a.query('SET GLOBAL general_log = ON');
      await a.query('SELECT c FROM t WHERE id=3');
      await a.query('SELECT c FROM t   WHERE id=4');
      await a.query('SET GLOBAL general_log = OFF');
      const [g] = await a.query("SELECT argument FROM mysql.general_log WHERE argument LIKE 'SELECT c FROM t %' ORDER BY event_time, argument");
      expect((g as { argument: Buffer | string }[]).map((x) => String(x.argument))).toEqual(['SELECT c FROM t WHERE id=3', 'SELECT c FROM t   WHERE id=4']);
      await a.query('SET SESSION refmysql_statement_cache_size = 0');
      const before = await status(a);
      expect(await rows(a, 'SELECT c FROM t WHERE id=2')).toEqual([['two']]);
      expect(await rows(a, 'SELECT c FROM t WHERE id=3')).toEqual([['three']]);
      const after = await status(a);
      expect(after.hits - before.hits).toBe(0);
      expect(after.misses - before.misses).toBe(0);
    } finally {
      await a.end();
    }
  });
});
