import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Connection } from 'mysql2/promise';
import { req } from '../helpers/req.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let srv: TestServer;
let conn: Connection;

beforeAll(async () => {
  srv = await startTestServer({ options: { 'max-connections': 77 } });
  conn = await srv.connect();
});

afterAll(async () => {
  await conn?.end().catch(() => undefined);
  await srv?.stop();
});

async function sqlError(sql: string): Promise<{ errno: number; message: string }> {
  try {
    await conn.query(sql);
  } catch (err) {
    const e = err as { errno: number; sqlMessage: string };
    return { errno: e.errno, message: e.sqlMessage };
  }
  throw new Error(`expected an error from ${sql}`);
}

describe('refmysqld in-process', () => {
  it(req(['CORE-SRV-001', 'CORE-SRV-005', 'CORE-SYSVAR-002'], 'wire', 'mysql2 connects over TCP and reads @@version and @@port'), async () => {
    const [rows] = await conn.query('SELECT @@version AS v, @@port AS p, @@version_comment AS c');
    // The value is the server's concern here; the column type of @@var is the executor's.
    const r = (rows as Array<Record<string, unknown>>)[0]!;
    expect({ v: r.v, p: String(r.p), c: r.c }).toEqual({ v: '8.0.40-refmysql', p: String(srv.port), c: 'refmysql reference server' });
    expect(srv.port).toBeGreaterThan(0);
  });

  it(req(['CORE-SRV-003'], 'wire', 'startup options set global values'), async () => {
    const [rows] = await conn.query('SELECT @@max_connections AS m');
    expect(String((rows as Array<Record<string, unknown>>)[0]!.m)).toBe('77');
  });

  it(req(['CORE-SRV-006'], 'wire', 'mysql2 connects over the Unix socket'), async () => {
    const c = await srv.connect({ socket: true });
    try {
      const [rows] = await c.query('SELECT 1 AS one');
      expect(rows).toEqual([{ one: 1 }]);
    } finally {
      await c.end();
    }
  });

  const cases: Array<[string, number, string]> = [
    ['SET @@session.no_such_var = 1', 1193, "Unknown system variable 'no_such_var'"],
    ['SET max_connections = 10', 1229, "Variable 'max_connections' is a GLOBAL variable and should be set with SET GLOBAL"],
    ['SET GLOBAL sql_log_bin = 0', 1228, "Variable 'sql_log_bin' is a SESSION variable and can't be used with SET GLOBAL"],
    ['SET GLOBAL version = 1', 1238, "Variable 'version' is a read only variable"],
    ["SET autocommit = 'maybe'", 1231, "Variable 'autocommit' can't be set to the value of 'maybe'"],
    ["SET GLOBAL max_connections = 'many'", 1232, "Incorrect argument type to variable 'max_connections'"],
  ];
  for (const [sql, errno, message] of cases) {
    it(req(['CORE-SYSVAR-010', 'CORE-ERR-001'], 'wire', `${sql} -> ${errno}`), async () => {
      expect(await sqlError(sql)).toEqual({ errno, message });
    });
  }

  it(req(['CORE-SYSVAR-004'], 'wire', 'clamped value gives warning 1292'), async () => {
    await conn.query('SET max_heap_table_size = 1000');
    const [w] = await conn.query('SHOW WARNINGS');
    expect(w).toEqual([{ Level: 'Warning', Code: 1292, Message: "Truncated incorrect max_heap_table_size value: '1000'" }]);
    const [rows] = await conn.query('SELECT @@max_heap_table_size AS s');
    expect(String((rows as Array<Record<string, unknown>>)[0]!.s)).toBe('16384');
  });

  it(req(['CORE-SYSVAR-012'], 'wire', 'SHOW VARIABLES LIKE'), async () => {
    const [rows] = await conn.query("SHOW VARIABLES LIKE 'max_conn%'");
    expect(rows).toContainEqual({ Variable_name: 'max_connections', Value: '77' });
  });
});

describe('refmysqld in-process: startup validation', () => {
  it(req(['ENGINE-SET-004', 'CORE-SRV-004'], 'wire', 'an unknown --default-storage-engine aborts startup; a known one is canonicalised'), async () => {
    await expect(startTestServer({ options: { 'default-storage-engine': 'NoSuchEngine' } })).rejects.toThrow(/unknown engine/);
    const s = await startTestServer({ options: { 'default-storage-engine': 'memory' } });
    try {
      const c = await s.connect();
      const [rows] = await c.query({ sql: 'SELECT @@global.default_storage_engine', rowsAsArray: true });
      expect(rows).toEqual([['MEMORY']]);
      await expect(c.query("SET default_storage_engine = 'NoSuchEngine'")).rejects.toMatchObject({ errno: 1286, sqlMessage: "Unknown storage engine 'NoSuchEngine'" });
      await c.end();
    } finally {
      await s.stop();
    }
  });
});

describe('refmysqld in-process: SHOW over the wire', () => {
  it(req(['CORE-SYSVAR-012', 'CORE-SYSVAR-003'], 'wire', 'SHOW VARIABLES shows booleans as ON/OFF and GLOBAL vs SESSION values'), async () => {
    const s = await startTestServer();
    try {
      const c = await s.connect();
      await c.query('SET autocommit = 0');
      const [sess] = await c.query("SHOW SESSION VARIABLES LIKE 'autocommit'");
      expect(sess).toEqual([{ Variable_name: 'autocommit', Value: 'OFF' }]);
      const [glob] = await c.query("SHOW GLOBAL VARIABLES LIKE 'autocommit'");
      expect(glob).toEqual([{ Variable_name: 'autocommit', Value: 'ON' }]);
      await c.end();
    } finally {
      await s.stop();
    }
  });

  it(req(['CORE-SYSVAR-013'], 'wire', 'SHOW STATUS reports Connections, Threads_connected, Bytes_received, Uptime, Questions and Com_*'), async () => {
    const s = await startTestServer();
    try {
      const c = await s.connect();
      const [rows] = await c.query("SHOW GLOBAL STATUS WHERE Variable_name IN ('Connections', 'Threads_connected', 'Bytes_received', 'Uptime')");
      const m = new Map((rows as Array<{ Variable_name: string; Value: string }>).map((r) => [r.Variable_name, Number(r.Value)]));
      expect(m.get('Connections')).toBeGreaterThanOrEqual(1);
      expect(m.get('Threads_connected')).toBe(1);
      expect(m.get('Bytes_received')).toBeGreaterThan(0);
      expect(m.get('Uptime')).toBeGreaterThanOrEqual(0);
      await c.end();
      const c2 = await s.connect();
      await c2.query('SELECT 1');
      await c2.query('SELECT 2');
      const [sess] = await c2.query("SHOW SESSION STATUS WHERE Variable_name IN ('Com_select', 'Questions', 'Com_show_status')");
      expect(sess).toEqual([
        { Variable_name: 'Com_select', Value: '2' },
        { Variable_name: 'Com_show_status', Value: '1' },
        { Variable_name: 'Questions', Value: '3' },
      ]);
      await c2.end();
    } finally {
      await s.stop();
    }
  });
});

describe('refmysqld in-process: init_connect', () => {
  it(req(['CORE-SRV-014'], 'wire', 'init_connect runs for accounts without CONNECTION_ADMIN; a failing one refuses the login'), async () => {
    const s = await startTestServer();
    try {
      const root = await s.connect();
      await root.query("CREATE USER 'plain'@'%' IDENTIFIED BY 'pw'");
      await root.query("SET GLOBAL init_connect = 'SET @greeting = 42'");
      const u = await s.connect({ user: 'plain', password: 'pw' });
      const [rows] = await u.query({ sql: 'SELECT @greeting', rowsAsArray: true });
      expect(String((rows as unknown[][])[0]![0])).toBe('42');
      await u.end();
      const [rootRows] = await root.query({ sql: 'SELECT @greeting IS NULL', rowsAsArray: true });
      expect(String((rootRows as unknown[][])[0]![0])).toBe('1');
      await root.query("SET GLOBAL init_connect = 'SET @@session.no_such_variable = 1'");
      await expect(s.connect({ user: 'plain', password: 'pw' })).rejects.toMatchObject({ errno: 1193 });
      await root.end();
    } finally {
      await s.stop();
    }
  });
});

describe('refmysqld in-process: composition', () => {
  it(req(['CORE-SRV-011'], 'wire', 'the grant tables, the catalog and the executor are wired together'), async () => {
    const s = await startTestServer();
    try {
      const c = await s.connect();
      const [users] = await c.query({ sql: "SELECT user, host FROM mysql.user WHERE user = 'root'", rowsAsArray: true });
      expect(users).toEqual([['root', 'localhost']]);
      await c.query('CREATE DATABASE d1');
      await c.query('CREATE TABLE d1.t (a INT PRIMARY KEY)');
      await c.query('INSERT INTO d1.t VALUES (1), (2)');
      await c.query('CREATE TABLE d1.t2 AS SELECT a FROM d1.t');
      const [rows] = await c.query({ sql: 'SELECT a FROM d1.t2 ORDER BY a', rowsAsArray: true });
      expect((rows as unknown[][]).map((r) => String(r[0]))).toEqual(['1', '2']);
      const [eng] = await c.query({ sql: "SELECT engine FROM information_schema.tables WHERE table_schema = 'd1' AND table_name = 't'", rowsAsArray: true });
      expect(eng).toEqual([['InnoDB']]);
      await c.end();
    } finally {
      await s.stop();
    }
  });
});

describe('refmysqld in-process: shutdown with clients attached', () => {
  it(req(['CORE-SRV-012'], 'wire', 'stop() closes idle client connections and completes the shutdown'), async () => {
    const s = await startTestServer();
    const c = await s.connect();
    const closed = new Promise<void>((res) => {
      c.on('error', () => res());
      c.on('end', () => res());
    });
    await s.stop();
    await closed;
    expect(s.logLines.at(-1)).toMatch(/\[MY-010910\] \[Server\] .*: Shutdown complete/);
    await expect(c.query('SELECT 1')).rejects.toBeDefined();
  });
});

describe('refmysqld in-process: TLS status', () => {
  it(req(['CORE-SYSVAR-013'], 'wire', 'Ssl_version and Ssl_cipher report the session TLS, empty without TLS'), async () => {
    const s = await startTestServer();
    try {
      const tlsConn = await s.connect({ ssl: { rejectUnauthorized: false } });
      const [rows] = await tlsConn.query("SHOW SESSION STATUS LIKE 'Ssl_%'");
      const m = new Map((rows as Array<{ Variable_name: string; Value: string }>).map((r) => [r.Variable_name, r.Value]));
      expect(m.get('Ssl_version')).toMatch(/^TLSv1\.[23]$/);
      expect(m.get('Ssl_cipher')).toMatch(/\S/);
      await tlsConn.end();
      const plain = await s.connect({ socket: true });
      const [rows2] = await plain.query("SHOW SESSION STATUS LIKE 'Ssl_version'");
      expect(rows2).toEqual([{ Variable_name: 'Ssl_version', Value: '' }]);
      await plain.end();
    } finally {
      await s.stop();
    }
  });
});
