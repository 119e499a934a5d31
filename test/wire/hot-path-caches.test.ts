/**
 * What the statement path keeps between statements instead of recomputing, proven to answer as
 * a fresh computation would. Remembered privilege decisions never outlive the grants they were made under: a session that
 * runs the same statements over and over (a prepared statement, the same text) sees a GRANT,
 * REVOKE, SET ROLE, a role's own grants changing, or grant-table DML followed by FLUSH
 * PRIVILEGES at its next execution, exactly as a server without the memo would. A fast-check
 * property replays random sequences of privilege changes (made by root on another connection)
 * interleaved with a second account's statements, and compares every outcome with what the
 * grants at that moment allow. Session variables read on the hot path, and the parts of a
 * statement's runtime shared by a session's statements (information functions, user locks),
 * follow every change the session makes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type mysql from 'mysql2/promise';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { req } from '../helpers/req.js';
import { errorOf } from '../helpers/sql.js';

let srv: TestServer;
let root: mysql.Connection;

beforeAll(async () => {
  srv = await startTestServer();
  root = await srv.connect();
  await root.query('CREATE DATABASE pd');
  await root.query('CREATE TABLE pd.t (id INT PRIMARY KEY, c INT, d INT) ENGINE=InnoDB');
  await root.query('INSERT INTO pd.t VALUES (1, 10, 100), (2, 20, 200)');
  await root.query('CREATE TABLE pd.u (id INT PRIMARY KEY) ENGINE=InnoDB');
  await root.query("CREATE USER pdu@'%' IDENTIFIED BY 'pw'");
  await root.query('CREATE ROLE pdr');
  await root.query("GRANT pdr TO pdu@'%'");
}, 60000);
afterAll(async () => {
  await root?.end();
  await srv?.stop();
});

function asUser(): Promise<mysql.Connection> {
  return srv.connect({ user: 'pdu', password: 'pw' });
}

async function outcome(c: mysql.Connection, sql: string, prepared: boolean): Promise<string> {
  try {
    const [rows] = prepared ? await c.execute(sql) : await c.query(sql);
    return `ok ${JSON.stringify(rows)}`;
  } catch (e) {
    return `err ${(e as { errno?: number }).errno}`;
  }
}

describe('privilege decisions follow the grants', () => {
  it(req(['CORE-PERF-040'], 'wire', 'a prepared SELECT executed before and after REVOKE, GRANT and FLUSH PRIVILEGES after grant-table DML answers as the grants stand at each execution'), async () => {
    const u = await asUser();
    try {
      const sql = 'SELECT c FROM pd.t WHERE id = 1';
      expect((await errorOf(u.execute(sql))).errno).toBe(1142);
      await root.query("GRANT SELECT ON pd.t TO pdu@'%'");
      expect(await outcome(u, sql, true)).toBe('ok [{"c":10}]');
      expect(await outcome(u, sql, true)).toBe('ok [{"c":10}]');
      await root.query("REVOKE SELECT ON pd.t FROM pdu@'%'");
      expect(await outcome(u, sql, true)).toBe('err 1142');
      // Column-level grant: id and c are readable, d is not (1143).
      await root.query("GRANT SELECT (id, c) ON pd.t TO pdu@'%'");
      expect(await outcome(u, sql, true)).toBe('ok [{"c":10}]');
      expect(await outcome(u, 'SELECT d FROM pd.t WHERE id = 1', true)).toBe('err 1143');
      await root.query("REVOKE SELECT (id, c) ON pd.t FROM pdu@'%'");
      expect(await outcome(u, sql, true)).toBe('err 1142');
      // Grant-table DML is seen only after FLUSH PRIVILEGES, as in MySQL.
      await root.query("INSERT INTO mysql.db (Host, Db, User, Select_priv) VALUES ('%', 'pd', 'pdu', 'Y')");
      expect(await outcome(u, sql, true)).toBe('err 1142');
      await root.query('FLUSH PRIVILEGES');
      expect(await outcome(u, sql, true)).toBe('ok [{"c":10}]');
      await root.query("DELETE FROM mysql.db WHERE User = 'pdu'");
      await root.query('FLUSH PRIVILEGES');
      expect(await outcome(u, sql, true)).toBe('err 1142');
    } finally {
      await u.end();
    }
  });

  it(req(['CORE-PERF-040'], 'wire', "SET ROLE, SET ROLE NONE and a change of the role's own grants change the next execution's decision"), async () => {
    const u = await asUser();
    try {
      const sql = 'SELECT COUNT(*) AS n FROM pd.u';
      await root.query('GRANT SELECT ON pd.u TO pdr');
      expect(await outcome(u, sql, false)).toBe('err 1142');
      await u.query('SET ROLE pdr');
      expect(await outcome(u, sql, false)).toBe('ok [{"n":0}]');
      await u.query('SET ROLE NONE');
      expect(await outcome(u, sql, false)).toBe('err 1142');
      await u.query('SET ROLE ALL');
      expect(await outcome(u, sql, false)).toBe('ok [{"n":0}]');
      await root.query('REVOKE SELECT ON pd.u FROM pdr');
      expect(await outcome(u, sql, false)).toBe('err 1142');
      await root.query('GRANT SELECT ON pd.* TO pdr');
      expect(await outcome(u, sql, false)).toBe('ok [{"n":0}]');
      await root.query('REVOKE SELECT ON pd.* FROM pdr');
      expect(await outcome(u, sql, false)).toBe('err 1142');
    } finally {
      await u.end();
    }
  });

  it(req(['CORE-PERF-040'], 'wire', 'random sequences of grants and revokes interleaved with two sessions of the account agree with a model of the grants'), async () => {
    const u1 = await asUser();
    const u2 = await asUser();
    try {
      await u2.query('SET ROLE pdr');
      type Level = 'global' | 'db' | 'table' | 'role_table';
      const target: Record<Level, string> = { global: '*.*', db: 'pd.*', table: 'pd.t', role_table: 'pd.t' };
      const change = fc.record({ grant: fc.boolean(), priv: fc.constantFrom('SELECT', 'UPDATE'), level: fc.constantFrom<Level>('global', 'db', 'table', 'role_table') });
      const probe = fc.record({ session: fc.constantFrom(1, 2), kind: fc.constantFrom('select', 'update'), prepared: fc.boolean() });
      const step = fc.oneof(change.map((c) => ({ change: c })), probe.map((p) => ({ probe: p })));
      await fc.assert(
        fc.asyncProperty(fc.array(step, { minLength: 4, maxLength: 14 }), async (steps) => {
          // Start from no grants for the account or the role on anything the probes touch.
          await root.query("REVOKE ALL PRIVILEGES, GRANT OPTION FROM pdu@'%'");
          await root.query('REVOKE ALL PRIVILEGES, GRANT OPTION FROM pdr');
          await root.query("GRANT pdr TO pdu@'%'");
          const held = new Set<string>();
          for (const s of steps) {
            if ('change' in s) {
              const { grant, priv, level } = s.change;
              const who = level === 'role_table' ? 'pdr' : "pdu@'%'";
              const key = `${level}:${priv}`;
              // REVOKE of a grant that is not there is an error (1141/1147), as in MySQL.
              if (!grant && !held.has(key)) continue;
              await root.query(`${grant ? 'GRANT' : 'REVOKE'} ${priv} ON ${target[level]} ${grant ? 'TO' : 'FROM'} ${who}`);
              if (grant) held.add(key);
              else held.delete(key);
              continue;
            }
            const { session, kind, prepared } = s.probe;
            const priv = kind === 'select' ? 'SELECT' : 'UPDATE';
            const viaRole = session === 2 && held.has(`role_table:${priv}`);
            const allowed = held.has(`global:${priv}`) || held.has(`db:${priv}`) || held.has(`table:${priv}`) || viaRole;
            const c = session === 1 ? u1 : u2;
            const sql = kind === 'select' ? 'SELECT id FROM pd.t WHERE id = 2' : 'UPDATE pd.t SET c = c WHERE id = 2';
            const got = await outcome(c, sql, prepared);
            if (allowed) expect(got.startsWith('ok')).toBe(true);
            else expect(got).toBe('err 1142');
          }
        }),
        { numRuns: 25, seed: 4013 },
      );
    } finally {
      await root.query("REVOKE ALL PRIVILEGES, GRANT OPTION FROM pdu@'%'");
      await root.query('REVOKE ALL PRIVILEGES, GRANT OPTION FROM pdr');
      await u1.end();
      await u2.end();
    }
  }, 120000);
});

describe('session variables on the hot path', () => {
  it(req(['CORE-PERF-041'], 'wire', 'what the executor reads for a session variable is what SELECT @@name shows, after SET SESSION, SET GLOBAL and SET ... DEFAULT, in two sessions at once'), async () => {
    const a = await srv.connect();
    const b = await srv.connect();
    try {
      await a.query('SET SESSION group_concat_max_len = 5');
      const q = "SELECT GROUP_CONCAT(c ORDER BY id) AS g, @@group_concat_max_len AS v FROM pd.t";
      expect((await a.query(q))[0]).toEqual([{ g: '10,20', v: 5 }]);
      await a.query('SET SESSION group_concat_max_len = 4');
      expect((await a.query(q))[0]).toEqual([{ g: '10,2', v: 4 }]);
      // Prepared, the plan compiled under one length is not reused under another.
      expect((await a.execute(q))[0]).toEqual([{ g: '10,2', v: 4 }]);
      await a.query('SET SESSION group_concat_max_len = 5');
      expect((await a.execute(q))[0]).toEqual([{ g: '10,20', v: 5 }]);
      await a.query('SET SESSION group_concat_max_len = 4');
      expect((await a.execute(q))[0]).toEqual([{ g: '10,2', v: 4 }]);
      expect((await b.query(q))[0]).toEqual([{ g: '10,20', v: 1024 }]);
      await b.query('SET GLOBAL group_concat_max_len = 6');
      // A global change reaches new sessions only; the running ones keep their session values.
      expect((await b.query(q))[0]).toEqual([{ g: '10,20', v: 1024 }]);
      await a.query('SET SESSION group_concat_max_len = DEFAULT');
      expect((await a.query(q))[0]).toEqual([{ g: '10,20', v: 6 }]);
      // sql_mode read per statement: strict mode decides between an error and a warning.
      await a.query("SET SESSION sql_mode = ''");
      await a.query("INSERT INTO pd.u VALUES ('7x')");
      await b.query("SET SESSION sql_mode = 'STRICT_TRANS_TABLES'");
      expect((await errorOf(b.query("INSERT INTO pd.u VALUES ('8x')"))).errno).toBe(1265);
      expect((await a.query('SELECT id FROM pd.u'))[0]).toEqual([{ id: 7 }]);
    } finally {
      await b.query('SET GLOBAL group_concat_max_len = 1024');
      await a.query('DELETE FROM pd.u');
      await a.end();
      await b.end();
    }
  });
});

describe('statement runtimes', () => {
  it(req(['CORE-PERF-042'], 'wire', "information functions, user variables and user locks read the session's state as it is at each statement, prepared or not; INSERT IGNORE keeps its relaxed mode"), async () => {
    const a = await srv.connect();
    try {
      await a.query('CREATE TABLE pd.ai (id INT AUTO_INCREMENT PRIMARY KEY, v TINYINT) ENGINE=InnoDB');
      const q = 'SELECT DATABASE() AS db, LAST_INSERT_ID() AS li, FOUND_ROWS() AS fr, @x AS x, IS_USED_LOCK(\'pdl\') IS NOT NULL AS l';
      const { threadId } = a as unknown as { threadId: number };
      expect(threadId).toBeGreaterThan(0);
      expect((await a.execute(q))[0]).toEqual([{ db: null, li: 0, fr: 0, x: null, l: 0 }]);
      await a.query('USE pd');
      await a.query('INSERT INTO ai (v) VALUES (1), (2)');
      await a.query('SET @x = 42');
      await a.query("SELECT GET_LOCK('pdl', 0)");
      await a.query('SELECT SQL_CALC_FOUND_ROWS * FROM t LIMIT 1');
      expect((await a.execute(q))[0]).toEqual([{ db: 'pd', li: 1, fr: 2, x: 42, l: 1 }]);
      await a.query("SELECT RELEASE_LOCK('pdl')");
      await a.query('INSERT INTO ai (v) VALUES (3)');
      await a.query('SET @x = NULL');
      expect((await a.query(q))[0]).toEqual([{ db: 'pd', li: 3, fr: 1, x: null, l: 0 }]);
      // Strict mode, but INSERT IGNORE turns the out-of-range value into a warning.
      await a.query("SET SESSION sql_mode = 'STRICT_ALL_TABLES'");
      const [res] = await a.query('INSERT IGNORE INTO ai (v) VALUES (1000)');
      expect((res as { warningStatus: number }).warningStatus).toBe(1);
      expect((await a.query('SELECT v FROM ai WHERE id = 4'))[0]).toEqual([{ v: 127 }]);
      expect((await errorOf(a.query('INSERT INTO ai (v) VALUES (1000)'))).errno).toBe(1264);
    } finally {
      await a.query('DROP TABLE IF EXISTS pd.ai');
      await a.end();
    }
  });
});

describe('the idle timer', () => {
  it(req(['CORE-PERF-050', 'CORE-PROTO-021'], 'wire', 'one reused idle timer: a command longer than wait_timeout is not cut, commands inside the timeout keep the session, a changed wait_timeout applies, and idling past it gives 4031'), async () => {
    const c = await srv.connect();
    const other = await srv.connect();
    try {
      await c.query('SET SESSION wait_timeout = 1');
      // A statement that runs past the timeout, then short pauses between commands.
      const [slept] = await c.query('SELECT SLEEP(1.3) AS s');
      expect((slept as { s: unknown }[])[0]!.s).toBe(0);
      for (let i = 0; i < 3; i++) {
        await new Promise((r) => setTimeout(r, 600));
        await c.query('SELECT 1');
      }
      // A longer timeout set mid-session replaces the timer: 1.3 s of quiet is now allowed.
      await c.query('SET SESSION wait_timeout = 3');
      await new Promise((r) => setTimeout(r, 1300));
      await c.query('SELECT 1');
      // Back to 1 s, then idle: the server says 4031 and closes the connection.
      await c.query('SET SESSION wait_timeout = 1');
      const err = await new Promise<{ code?: unknown }>((resolve) => c.on('error', (e: { code?: unknown }) => resolve(e)));
      expect(err.code).toBe(4031);
      // The other session, idle all along under the global timeout, is untouched.
      const [one] = await other.query('SELECT 1 AS x');
      expect((one as { x: number }[])[0]!.x).toBe(1);
    } finally {
      c.destroy();
      await other.end();
    }
  });
});

describe('ORDER BY string keys', () => {
  it(req(['CORE-PERF-049', 'CORE-EXEC-034'], 'wire', 'ORDER BY under utf8mb4_0900_ai_ci orders ASCII and non-ASCII keys alike, prepared and as text, with and without LIMIT'), async () => {
    const c = await srv.connect();
    try {
      await c.query('CREATE DATABASE IF NOT EXISTS ob');
      await c.query('DROP TABLE IF EXISTS ob.t');
      await c.query('CREATE TABLE ob.t (id INT PRIMARY KEY, c VARCHAR(20) COLLATE utf8mb4_0900_ai_ci) ENGINE=InnoDB');
      await c.query("INSERT INTO ob.t VALUES (1,'b'),(2,'A'),(3,'á'),(4,'-z'),(5,'10'),(6,'9'),(7,'a'),(8,'B '),(9,'ab'),(10,'é')");
      // Punctuation before digits before letters; case and accents tie (then id); NO PAD: 'B ' after 'b'.
      const all = [4, 5, 6, 2, 3, 7, 9, 1, 8, 10];
      const ids = (r: unknown): number[] => (r as { id: number }[]).map((x) => x.id);
      const [t1] = await c.query('SELECT id FROM ob.t ORDER BY c, id');
      const [p1] = await c.execute('SELECT id FROM ob.t WHERE id > ? ORDER BY c, id', [0]);
      expect(ids(t1)).toEqual(all);
      expect(ids(p1)).toEqual(all);
      const [t2] = await c.query('SELECT id FROM ob.t ORDER BY c DESC, id LIMIT 3');
      const [p2] = await c.execute('SELECT id FROM ob.t WHERE id > ? ORDER BY c DESC, id LIMIT ?', [0, '3']);
      expect(ids(t2)).toEqual([10, 8, 1]);
      expect(ids(p2)).toEqual([10, 8, 1]);
    } finally {
      await c.query('DROP DATABASE IF EXISTS ob');
      await c.end();
    }
  });
});
