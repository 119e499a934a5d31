/**
 * Behaviours the differential corpus showed MySQL 8.0 shares with MariaDB: client capability
 * flags (FOUND_ROWS, IGNORE_SPACE), the diagnostics statements' own warning count, sql_notes,
 * comment-only queries, string-literal column names, LIMIT in IN subqueries, strict division by
 * zero, ENUM/SET in numeric context, typed @@variables, USER()/CURRENT_ROLE(), RESET PERSIST.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type mysql from 'mysql2/promise';
import type { FieldPacket, ResultSetHeader, RowDataPacket } from 'mysql2/promise';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { req } from '../helpers/req.js';
import { queryError, type QueryFailure } from '../helpers/sql.js';

let srv: TestServer;
let c: mysql.Connection;

async function rows(sql: string, conn: mysql.Connection = c): Promise<RowDataPacket[]> {
  const [r] = await conn.query<RowDataPacket[]>(sql);
  return r;
}
async function header(sql: string, conn: mysql.Connection = c): Promise<ResultSetHeader> {
  const [r] = await conn.query<ResultSetHeader>(sql);
  return r;
}
function err(sql: string, conn: mysql.Connection = c): Promise<QueryFailure> {
  return queryError(conn, sql);
}

/** The warning count of the EOF packet that ends the latest result set (mysql2 does not expose
 *  it; we look at the packets, as the peer runner does). Test-only use of mysql2 internals. */
function eofProbe(conn: mysql.Connection): { last: number } {
  const p = { last: -1 };
  type Pkt = { buffer: Buffer; offset: number; length(): number };
  const core = (conn as unknown as { connection: { handlePacket(pk: Pkt | undefined): unknown } }).connection;
  const original = core.handlePacket.bind(core);
  core.handlePacket = (pk) => {
    if (pk && pk.buffer[pk.offset] === 0xfe && pk.length() <= 9 && pk.length() >= 5) p.last = pk.buffer.readUInt16LE(pk.offset + 1);
    return original(pk);
  };
  return p;
}

beforeAll(async () => {
  srv = await startTestServer();
  c = await srv.connect();
  await c.query('CREATE DATABASE pf');
  await c.query('USE pf');
  await c.query('CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(10), n INT)');
  await c.query("INSERT INTO t VALUES (1, 'uno', 5), (2, 'dos', 6)");
  await c.query(
    "CREATE TABLE p (id INT PRIMARY KEY, tag ENUM('new','used','refurb'), flags SET('a','b','c'))",
  );
  await c.query("INSERT INTO p VALUES (1,'used','a,c'), (2,'new','b'), (3,'refurb',''), (4,NULL,NULL), (5,'used','a')");
}, 60000);
afterAll(async () => {
  await c?.end();
  await srv?.stop();
});

describe('client capability flags', () => {
  it(req('CORE-EXEC-058', 'wire', 'CLIENT_FOUND_ROWS: UPDATE counts matched rows, an unchanged IODKU duplicate counts 1'), async () => {
    // mysql2 sets CLIENT_FOUND_ROWS by default.
    expect((await header('UPDATE t SET n = n WHERE id = 1')).affectedRows).toBe(1);
    expect((await header("INSERT INTO t VALUES (1, 'uno', 5) ON DUPLICATE KEY UPDATE v = 'uno'")).affectedRows).toBe(1);
    expect((await header("INSERT INTO t VALUES (1, 'uno', 5) ON DUPLICATE KEY UPDATE v = 'one'")).affectedRows).toBe(2);
    const plain = await srv.connect({ database: 'pf', flags: ['-FOUND_ROWS'] });
    try {
      expect((await header('UPDATE t SET n = n WHERE id = 1', plain)).affectedRows).toBe(0);
      expect((await header("INSERT INTO t VALUES (1, 'x', 5) ON DUPLICATE KEY UPDATE v = 'one'", plain)).affectedRows).toBe(0);
      expect((await header('UPDATE t SET n = n + 1 WHERE id = 1', plain)).affectedRows).toBe(1);
    } finally {
      await plain.end();
    }
  });

  it(req('CORE-EXEC-059', 'wire', 'CLIENT_IGNORE_SPACE adds IGNORE_SPACE to the session sql_mode'), async () => {
    // mysql2 announces CLIENT_IGNORE_SPACE by default.
    const [r] = await rows('SELECT @@SESSION.sql_mode AS s, @@GLOBAL.sql_mode AS g');
    expect(String(r!.s).split(',')).toContain('IGNORE_SPACE');
    expect(String(r!.g).split(',')).not.toContain('IGNORE_SPACE');
    const tight = await srv.connect({ flags: ['-IGNORE_SPACE'] });
    try {
      const [t] = await rows('SELECT @@SESSION.sql_mode AS s', tight);
      expect(String(t!.s).split(',')).not.toContain('IGNORE_SPACE');
    } finally {
      await tight.end();
    }
  });
});

describe('diagnostics', () => {
  it(req('CORE-EXEC-060', 'wire', 'SHOW WARNINGS reports warning count 0 for itself; @@warning_count keeps the previous count'), async () => {
    const conn = await srv.connect();
    try {
      const probe = eofProbe(conn);
      await conn.query("SELECT CAST('1x' AS SIGNED), CAST('2y' AS SIGNED)");
      expect(probe.last).toBe(2);
      const w = await rows('SHOW WARNINGS', conn);
      expect(w).toHaveLength(2);
      expect(probe.last).toBe(0);
      await conn.query('SHOW COUNT(*) WARNINGS');
      expect(probe.last).toBe(0);
      const [r] = await rows('SELECT @@warning_count AS w', conn);
      expect(Number(r!.w)).toBe(2);
    } finally {
      await conn.end();
    }
  });

  it(req('CORE-EXEC-065', 'wire', 'sql_notes = 0 suppresses notes'), async () => {
    expect((await header('DROP TABLE IF EXISTS nothing_here')).warningStatus).toBe(1);
    await c.query('SET sql_notes = 0');
    try {
      expect((await header('DROP TABLE IF EXISTS nothing_here')).warningStatus).toBe(0);
      expect(await rows('SHOW WARNINGS')).toEqual([]);
    } finally {
      await c.query('SET sql_notes = 1');
    }
  });

  it(req('CORE-EXEC-064', 'wire', 'strict INSERT/UPDATE fail with 1365 on division by zero; IGNORE and SELECT warn'), async () => {
    expect(await err('INSERT INTO t VALUES (9, NULL, 1/0)')).toEqual({ errno: 1365, message: 'Division by 0' });
    expect(await err('UPDATE t SET n = n / 0 WHERE id = 2')).toEqual({ errno: 1365, message: 'Division by 0' });
    expect(await rows('SELECT n FROM t WHERE id = 2')).toEqual([{ n: 6 }]);
    const h = await header('INSERT IGNORE INTO t VALUES (9, NULL, 1/0)');
    expect([h.affectedRows, h.warningStatus]).toEqual([1, 1]);
    expect(await rows('SELECT 1/0 AS x')).toEqual([{ x: null }]);
    await c.query('DELETE FROM t WHERE id = 9');
  });
});

describe('queries', () => {
  it(req('CORE-EXEC-066', 'wire', 'a comment-only query is OK; an empty one is 1065'), async () => {
    const conn = await srv.connect({ multipleStatements: false });
    try {
      expect((await header('/* only a comment */', conn)).affectedRows).toBe(0);
      expect((await header('/*M!100100 SET WAIT_TIMEOUT=DEFAULT */', conn)).affectedRows).toBe(0);
      expect((await err('   ', conn)).errno).toBe(1065);
    } finally {
      await conn.end();
    }
  });

  it(req('CORE-EXEC-062', 'wire', 'a string-literal column is named by its value; numbers keep their text'), async () => {
    const [, fields] = (await c.query("SELECT 'hello', _utf8mb4'x y', 1.50, NULL, 'a' AS al")) as [RowDataPacket[], FieldPacket[]];
    expect(fields.map((f) => f.name)).toEqual(['hello', 'x y', '1.50', 'NULL', 'al']);
  });

  it(req('CORE-EXEC-055', 'wire', 'a multiple-table UPDATE rejects ORDER BY and LIMIT with 1221'), async () => {
    expect(await err('UPDATE t JOIN p ON t.id = p.id SET t.n = 1 ORDER BY t.id')).toEqual({ errno: 1221, message: 'Incorrect usage of UPDATE and ORDER BY' });
    expect(await err('UPDATE t JOIN p ON t.id = p.id SET t.n = 1 LIMIT 1')).toEqual({ errno: 1221, message: 'Incorrect usage of UPDATE and LIMIT' });
    expect(await err('UPDATE t, p SET t.n = 1 WHERE t.id = p.id LIMIT 1')).toEqual({ errno: 1221, message: 'Incorrect usage of UPDATE and LIMIT' });
  });

  it(req('CORE-EXEC-063', 'wire', 'LIMIT in an IN / ANY / ALL subquery is 1235; inside a derived table it works'), async () => {
    const e = { errno: 1235, message: "This version of MySQL doesn't yet support 'LIMIT & IN/ALL/ANY/SOME subquery'" };
    expect(await err('SELECT id FROM t WHERE id IN (SELECT id FROM t ORDER BY id LIMIT 2)')).toEqual(e);
    expect(await err('SELECT id FROM t WHERE id = ANY (SELECT id FROM t LIMIT 1)')).toEqual(e);
    expect(await err('SELECT id FROM t WHERE id > ALL (SELECT id FROM t LIMIT 1)')).toEqual(e);
    expect(await rows('SELECT id FROM t WHERE id IN (SELECT id FROM (SELECT id FROM t ORDER BY id LIMIT 1) d) ORDER BY id')).toEqual([{ id: 1 }]);
  });

  it(req('CORE-EXEC-067', 'wire', 'ENUM/SET in numeric context, numeric comparison and ORDER BY use the member index'), async () => {
    expect(await rows('SELECT id, tag + 0 AS i, flags + 0 AS b FROM p ORDER BY id')).toEqual([
      { id: 1, i: 2, b: 5 },
      { id: 2, i: 1, b: 2 },
      { id: 3, i: 3, b: 0 },
      { id: 4, i: null, b: null },
      { id: 5, i: 2, b: 1 },
    ]);
    expect((await rows('SELECT id FROM p ORDER BY tag, id')).map((r) => r.id)).toEqual([4, 2, 1, 5, 3]);
    expect((await rows('SELECT id FROM p WHERE tag = 2 ORDER BY id')).map((r) => r.id)).toEqual([1, 5]);
    expect((await rows("SELECT id FROM p WHERE tag = 'used' ORDER BY id")).map((r) => r.id)).toEqual([1, 5]);
    expect(await rows('SELECT tag, COUNT(*) AS n FROM p GROUP BY tag ORDER BY tag')).toEqual([
      { tag: null, n: 1 },
      { tag: 'new', n: 1 },
      { tag: 'used', n: 2 },
      { tag: 'refurb', n: 1 },
    ]);
    // Functions over the column see the text.
    expect((await rows("SELECT CONCAT(tag, '') AS s FROM p WHERE id = 1"))[0]!.s).toBe('used');
  });
});

describe('session facts', () => {
  it(req('CORE-EXEC-069', 'wire', '@@variables are typed by their kind'), async () => {
    const [r] = await rows('SELECT @@port AS port, @@autocommit AS ac, @@max_allowed_packet AS m, @@version AS v');
    expect(typeof r!.port).toBe('number');
    expect(r!.ac).toBe(1);
    expect(typeof r!.m).toBe('number');
    expect(typeof r!.v).toBe('string');
  });

  it(req('CORE-EXEC-070', 'wire', 'USER() names the client host; CURRENT_ROLE() is NONE without roles'), async () => {
    const [r] = await rows('SELECT USER() AS u, CURRENT_ROLE() AS cr');
    expect(r!.u).toBe('root@localhost');
    expect(r!.cr).toBe('NONE');
  });

  it(req('CORE-EXEC-068', 'wire', 'dropping the default schema leaves DATABASE() NULL'), async () => {
    const conn = await srv.connect();
    try {
      await conn.query('CREATE DATABASE gone');
      await conn.query('USE gone');
      await conn.query('DROP DATABASE gone');
      expect(await rows('SELECT DATABASE() AS d', conn)).toEqual([{ d: null }]);
    } finally {
      await conn.end();
    }
  });

  it(req('CORE-EXEC-061', 'wire', 'RESET PERSIST forgets persisted settings; a missing name is 3615, or a warning with IF EXISTS'), async () => {
    await c.query('SET PERSIST max_connections = 120');
    expect((await header('RESET PERSIST max_connections')).warningStatus).toBe(0);
    expect((await err('RESET PERSIST max_connections')).errno).toBe(3615);
    expect((await header('RESET PERSIST IF EXISTS max_connections')).warningStatus).toBe(1);
    await c.query('SET PERSIST max_connections = 151');
    await c.query('RESET PERSIST');
    expect((await err('RESET PERSIST max_connections')).errno).toBe(3615);
  });
});
