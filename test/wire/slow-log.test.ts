/**
 * The slow query log over the wire (mysql2 over the Unix socket): long_query_time and the other
 * variables, which statements are written and when, the file format, the mysql.slow_log table,
 * and the Slow_queries counter.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type mysql from 'mysql2/promise';
import { req } from '../helpers/req.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { errorOf } from '../helpers/sql.js';

let srv: TestServer;
let c: mysql.Connection;

interface SlowEntry {
  time: string;
  userHost: string;
  id: number;
  queryTime: number;
  lockTime: number;
  rowsSent: number;
  rowsExamined: number;
  use: string | null;
  timestamp: number;
  text: string;
}

const HEAD = /^# Time: (\S+)\n# User@Host: (.+)  Id: ([ \d]{5})\n# Query_time: (\d+\.\d{6})  Lock_time: (\d+\.\d{6}) Rows_sent: (\d+)  Rows_examined: (\d+)\n(?:use ([^;\n]+);\n)?SET (?:[a-z_]+=\d+,)*timestamp=(\d+);\n([\s\S]*);$/;

/** The entries of the slow log file (the header lines skipped). */
function slowEntries(path: string): SlowEntry[] {
  // The header lines are written again at every opening of the file.
  const text = readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => !/, Version: .* started with:$/.test(l) && !l.startsWith('Tcp port: ') && l !== 'Time                 Id Command    Argument')
    .join('\n');
  const out: SlowEntry[] = [];
  for (const chunk of text.split(/(?=^# Time: )/m)) {
    if (!chunk.startsWith('# Time: ')) continue;
    const m = HEAD.exec(chunk.replace(/\n$/, ''));
    if (!m) throw new Error(`not a slow log entry: ${JSON.stringify(chunk)}`);
    out.push({
      time: m[1]!,
      userHost: m[2]!,
      id: Number(m[3]),
      queryTime: Number(m[4]),
      lockTime: Number(m[5]),
      rowsSent: Number(m[6]),
      rowsExamined: Number(m[7]),
      use: m[8] ?? null,
      timestamp: Number(m[9]),
      text: m[10]!,
    });
  }
  return out;
}

async function one<T = unknown>(sql: string): Promise<T> {
  const [rows] = await c.query<mysql.RowDataPacket[]>(sql);
  return Object.values(rows[0]!)[0] as T;
}

let slowPath = '';

/** Run `statements` with the slow log on and return the entries they added. */
async function logged(statements: string[], session: string[] = []): Promise<SlowEntry[]> {
  const before = slowEntries(slowPath).length;
  for (const s of session) await c.query(s);
  await c.query('SET GLOBAL slow_query_log = ON');
  for (const s of statements) await c.query(s);
  await c.query('SET GLOBAL slow_query_log = OFF');
  return slowEntries(slowPath).slice(before);
}

beforeAll(async () => {
  srv = await startTestServer();
  c = await srv.connect({ socket: true });
  await c.query('CREATE DATABASE slowdb');
  await c.query('USE slowdb');
  await c.query('CREATE TABLE t (a INT PRIMARY KEY, b INT)');
  await c.query('INSERT INTO t VALUES (1,1),(2,2),(3,3),(4,4),(5,5),(6,6),(7,7),(8,8),(9,9),(10,10)');
  slowPath = String(await one('SELECT @@slow_query_log_file'));
  // Opening the file writes its header.
  await c.query('SET GLOBAL slow_query_log = ON');
  await c.query('SET GLOBAL slow_query_log = OFF');
});

afterAll(async () => {
  await c?.end();
  await srv?.stop();
});

describe('slow log variables', () => {
  it(req(['CORE-LOG-010'], 'wire', 'long_query_time: seconds with microseconds, default 10, session and global; the other switches'), async () => {
    const [v] = await c.query<mysql.RowDataPacket[]>("SHOW VARIABLES WHERE Variable_name IN ('long_query_time', 'min_examined_row_limit', 'log_queries_not_using_indexes', 'log_slow_admin_statements')");
    expect(Object.fromEntries(v.map((r) => [r['Variable_name'], r['Value']]))).toEqual({
      long_query_time: '10.000000',
      min_examined_row_limit: '0',
      log_queries_not_using_indexes: 'OFF',
      log_slow_admin_statements: 'OFF',
    });
    await c.query('SET SESSION long_query_time = 0.0000015');
    const [s] = await c.query<mysql.RowDataPacket[]>("SHOW SESSION VARIABLES LIKE 'long_query_time'");
    expect(s[0]!['Value']).toBe('0.000002');
    expect(Number(await one('SELECT @@global.long_query_time'))).toBe(10);
    await c.query('SET SESSION long_query_time = DEFAULT');
    expect((await errorOf(c.query('SET SESSION log_slow_admin_statements = ON'))).errno).toBe(1229);
    await c.query('SET SESSION min_examined_row_limit = 3');
    expect(Number(await one('SELECT @@session.min_examined_row_limit'))).toBe(3);
    await c.query('SET SESSION min_examined_row_limit = DEFAULT');
  });
});

describe('what the slow log takes', () => {
  it(req(['CORE-LOG-011#slow', 'CORE-LOG-011#fast', 'CORE-LOG-011#counter'], 'wire', 'a statement slower than long_query_time is written; a faster one is not; Slow_queries counts'), async () => {
    const before = Number((await c.query<mysql.RowDataPacket[]>("SHOW GLOBAL STATUS LIKE 'Slow_queries'"))[0][0]!['Value']);
    const got = await logged(['SELECT SLEEP(0.25) AS slept', 'SELECT 1 AS quick'], ['SET SESSION long_query_time = 0.2']);
    await c.query('SET SESSION long_query_time = DEFAULT');
    expect(got.map((e) => e.text)).toEqual(['SELECT SLEEP(0.25) AS slept']);
    expect(got[0]!.queryTime).toBeGreaterThanOrEqual(0.2);
    const after = Number((await c.query<mysql.RowDataPacket[]>("SHOW GLOBAL STATUS LIKE 'Slow_queries'"))[0][0]!['Value']);
    expect(after - before).toBe(1);
  });

  it(req(['CORE-LOG-014'], 'wire', 'entry format: Time, User@Host, Query_time line, use, SET timestamp, the statement'), async () => {
    const id = Number(await one('SELECT CONNECTION_ID()'));
    const t0 = Math.floor(Date.now() / 1000);
    const got = await logged(['SELECT a FROM t WHERE a <= 3', 'SELECT a FROM t WHERE a = 4'], ['SET SESSION long_query_time = 0']);
    await c.query('SET SESSION long_query_time = DEFAULT');
    expect(got.length).toBe(2);
    const [first, second] = got as [SlowEntry, SlowEntry];
    expect(first.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    expect(first.userHost).toBe('root[root] @ localhost []');
    expect(first.id).toBe(id);
    expect(first.lockTime).toBe(0);
    expect(first.rowsSent).toBe(3);
    expect(first.rowsExamined).toBeGreaterThanOrEqual(3);
    expect(first.use).toBe('slowdb');
    expect(first.timestamp).toBeGreaterThanOrEqual(t0 - 1);
    expect(first.timestamp).toBeLessThanOrEqual(Math.floor(Date.now() / 1000));
    expect(first.text).toBe('SELECT a FROM t WHERE a <= 3');
    // The schema did not change: no second `use` line.
    expect(second.use).toBe(null);
    expect(second.rowsSent).toBe(1);
  });

  it(req(['CORE-LOG-014'], 'wire', 'an INSERT that generated AUTO_INCREMENT values has insert_id before timestamp'), async () => {
    await c.query('CREATE TABLE ai (id INT AUTO_INCREMENT PRIMARY KEY, v INT)');
    await c.query('INSERT INTO ai (v) VALUES (1), (2)');
    const got = await logged(['INSERT INTO ai (v) VALUES (3), (4)'], ['SET SESSION long_query_time = 0']);
    await c.query('SET SESSION long_query_time = DEFAULT');
    expect(got.map((e) => e.text)).toEqual(['INSERT INTO ai (v) VALUES (3), (4)']);
    const text = readFileSync(slowPath, 'utf8');
    expect(text).toMatch(new RegExp(`\\nSET insert_id=3,timestamp=${got[0]!.timestamp};\\nINSERT INTO ai \\(v\\) VALUES \\(3\\), \\(4\\);\\n`));
  });

  it(req(['CORE-LOG-012'], 'wire', 'log_queries_not_using_indexes: a full scan is written whatever its time, an index lookup is not'), async () => {
    await c.query('SET GLOBAL log_queries_not_using_indexes = ON');
    const got = await logged(['SELECT b FROM t WHERE b = 7', 'SELECT b FROM t WHERE a = 7', 'SHOW TABLES'], ['SET SESSION long_query_time = 1000']);
    await c.query('SET GLOBAL log_queries_not_using_indexes = DEFAULT');
    await c.query('SET SESSION long_query_time = DEFAULT');
    expect(got.map((e) => e.text)).toEqual(['SELECT b FROM t WHERE b = 7']);
    expect(got[0]!.rowsExamined).toBe(10);
  });

  it(req(['CORE-LOG-013#min-rows'], 'wire', 'min_examined_row_limit keeps out statements that examined fewer rows'), async () => {
    const got = await logged(['SELECT COUNT(*) FROM t', 'SELECT a FROM t WHERE a = 1'], ['SET SESSION long_query_time = 0', 'SET SESSION min_examined_row_limit = 5']);
    await c.query('SET SESSION long_query_time = DEFAULT');
    await c.query('SET SESSION min_examined_row_limit = DEFAULT');
    expect(got.map((e) => e.text)).toEqual(['SELECT COUNT(*) FROM t']);
  });

  it(req(['CORE-LOG-013#admin'], 'wire', 'administrative statements only with log_slow_admin_statements'), async () => {
    const off = await logged(["ALTER TABLE t COMMENT = 'one'", 'SELECT 1 AS marker'], ['SET SESSION long_query_time = 0']);
    expect(off.map((e) => e.text)).toEqual(['SELECT 1 AS marker']);
    await c.query('SET GLOBAL log_slow_admin_statements = ON');
    const on = await logged(["ALTER TABLE t COMMENT = 'two'", 'ANALYZE TABLE t']);
    await c.query('SET GLOBAL log_slow_admin_statements = DEFAULT');
    await c.query('SET SESSION long_query_time = DEFAULT');
    expect(on.map((e) => e.text)).toEqual(["ALTER TABLE t COMMENT = 'two'", 'ANALYZE TABLE t']);
  });

  it(req(['CORE-LOG-005'], 'wire', 'the slow log masks passwords too'), async () => {
    const got = await logged(["CREATE USER 'slowu'@'localhost' IDENTIFIED BY 'Very-Secret-1'", "DROP USER 'slowu'@'localhost'"], ['SET SESSION long_query_time = 0']);
    await c.query('SET SESSION long_query_time = DEFAULT');
    expect(got.map((e) => e.text)).toEqual(["CREATE USER 'slowu'@'localhost' IDENTIFIED BY <secret>", "DROP USER 'slowu'@'localhost'"]);
    expect(readFileSync(slowPath, 'utf8')).not.toContain('Very-Secret-1');
  });

  it(req(['CORE-LOG-022#rows'], 'wire', "log_output='TABLE': a row of mysql.slow_log per entry"), async () => {
    await c.query('TRUNCATE TABLE mysql.slow_log');
    await c.query("SET GLOBAL log_output = 'TABLE'");
    await c.query('SET SESSION long_query_time = 0');
    await c.query('SET GLOBAL slow_query_log = ON');
    await c.query('SELECT a FROM t WHERE a < 6');
    await c.query('SET GLOBAL slow_query_log = OFF');
    await c.query('SET SESSION long_query_time = DEFAULT');
    await c.query('SET GLOBAL log_output = DEFAULT');
    const [rows] = await c.query<mysql.RowDataPacket[]>(
      "SELECT user_host, query_time, lock_time, rows_sent, rows_examined, db, server_id, CONVERT(sql_text USING utf8mb4) AS q, thread_id FROM mysql.slow_log WHERE sql_text LIKE 'SELECT a FROM t%'",
    );
    expect(rows.length).toBe(1);
    const r = rows[0]!;
    expect(r['user_host']).toBe('root[root] @ localhost []');
    expect(String(r['query_time'])).toMatch(/^00:00:\d\d\.\d{6}$/);
    expect(r['lock_time']).toBe('00:00:00.000000');
    expect(Number(r['rows_sent'])).toBe(5);
    expect(Number(r['rows_examined'])).toBeGreaterThanOrEqual(5);
    expect(r['db']).toBe('slowdb');
    expect(Number(r['server_id'])).toBe(Number(await one('SELECT @@server_id')));
    expect(r['q']).toBe('SELECT a FROM t WHERE a < 6');
    expect(Number(r['thread_id'])).toBe(Number(await one('SELECT CONNECTION_ID()')));
  });
});
