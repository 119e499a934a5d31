/**
 * performance_schema over the wire (mysql2, Unix socket and TCP, several sessions at once): the
 * status and variable tables against SHOW STATUS / SHOW VARIABLES, threads and the three process
 * lists against each other while one session waits for a lock, the statement event tables and
 * the digest summary, the connection tables, the setup tables and what changing them does, and
 * who may read what.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type mysql from 'mysql2/promise';
import { req } from '../helpers/req.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let srv: TestServer;
let root: mysql.Connection;
const opened: mysql.Connection[] = [];

type R = Record<string, unknown>;

async function rows<T = R>(c: mysql.Connection, sql: string, params: unknown[] = []): Promise<T[]> {
  const [r] = await c.query(sql, params);
  return r as T[];
}

async function failure(p: Promise<unknown>): Promise<{ errno: number; sqlState: string; message: string }> {
  try {
    await p;
  } catch (e) {
    const x = e as { errno: number; sqlState: string; message: string };
    return { errno: x.errno, sqlState: x.sqlState, message: x.message };
  }
  throw new Error('expected an error');
}

/** A new session over the Unix socket (or TCP) using schema pf. */
async function session(opts: { tcp?: boolean; user?: string; database?: string | null } = {}): Promise<mysql.Connection> {
  const c = await srv.connect({ socket: !opts.tcp, ...(opts.user ? { user: opts.user } : {}), ...(opts.database === null ? {} : { database: opts.database ?? 'pf' }) });
  opened.push(c);
  return c;
}

/** Poll (bounded) until `cond` holds; fails the test when it never does. */
async function until(what: string, cond: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`never happened: ${what}`);
}

beforeAll(async () => {
  srv = await startTestServer();
  root = await srv.connect({ socket: true });
  await root.query('CREATE DATABASE pf');
  await root.query('CREATE TABLE pf.t (id INT PRIMARY KEY, v VARCHAR(20)) ENGINE=InnoDB');
  await root.query("INSERT INTO pf.t VALUES (1, 'a'), (2, 'b'), (3, 'c')");
}, 60_000);
afterAll(async () => {
  await root?.end();
  await srv?.stop();
});
afterEach(async () => {
  for (const c of opened.splice(0)) await c.end().catch(() => undefined);
  await root.query("UPDATE performance_schema.setup_consumers SET ENABLED = 'YES' WHERE NAME IN ('events_statements_current', 'events_statements_history', 'statements_digest', 'global_instrumentation', 'thread_instrumentation')");
  await root.query("UPDATE performance_schema.setup_instruments SET ENABLED = 'YES', TIMED = 'YES'");
});

describe('performance_schema tables and columns', () => {
  it(req('CORE-PFS-001', 'wire', 'the tables exist with MySQL 8.0 column names and order, engine PERFORMANCE_SCHEMA'), async () => {
    const cols = async (table: string): Promise<string[]> =>
      (await rows<{ COLUMN_NAME: string }>(root, 'SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION', ['performance_schema', table])).map((r) => r.COLUMN_NAME);
    expect(await cols('session_status')).toEqual(['VARIABLE_NAME', 'VARIABLE_VALUE']);
    expect(await cols('variables_by_thread')).toEqual(['THREAD_ID', 'VARIABLE_NAME', 'VARIABLE_VALUE']);
    expect(await cols('threads')).toEqual([
      'THREAD_ID', 'NAME', 'TYPE', 'PROCESSLIST_ID', 'PROCESSLIST_USER', 'PROCESSLIST_HOST', 'PROCESSLIST_DB', 'PROCESSLIST_COMMAND',
      'PROCESSLIST_TIME', 'PROCESSLIST_STATE', 'PROCESSLIST_INFO', 'PARENT_THREAD_ID', 'ROLE', 'INSTRUMENTED', 'HISTORY', 'CONNECTION_TYPE',
      'THREAD_OS_ID', 'RESOURCE_GROUP', 'EXECUTION_ENGINE', 'CONTROLLED_MEMORY', 'MAX_CONTROLLED_MEMORY', 'TOTAL_MEMORY', 'MAX_TOTAL_MEMORY', 'TELEMETRY_ACTIVE',
    ]);
    expect(await cols('processlist')).toEqual(['ID', 'USER', 'HOST', 'DB', 'COMMAND', 'TIME', 'STATE', 'INFO', 'EXECUTION_ENGINE']);
    expect(await cols('accounts')).toEqual(['USER', 'HOST', 'CURRENT_CONNECTIONS', 'TOTAL_CONNECTIONS', 'MAX_SESSION_CONTROLLED_MEMORY', 'MAX_SESSION_TOTAL_MEMORY']);
    const digest = await cols('events_statements_summary_by_digest');
    expect(digest.slice(0, 14)).toEqual([
      'SCHEMA_NAME', 'DIGEST', 'DIGEST_TEXT', 'COUNT_STAR', 'SUM_TIMER_WAIT', 'MIN_TIMER_WAIT', 'AVG_TIMER_WAIT', 'MAX_TIMER_WAIT', 'SUM_LOCK_TIME',
      'SUM_ERRORS', 'SUM_WARNINGS', 'SUM_ROWS_AFFECTED', 'SUM_ROWS_SENT', 'SUM_ROWS_EXAMINED',
    ]);
    expect(digest.slice(-8)).toEqual(['FIRST_SEEN', 'LAST_SEEN', 'QUANTILE_95', 'QUANTILE_99', 'QUANTILE_999', 'QUERY_SAMPLE_TEXT', 'QUERY_SAMPLE_SEEN', 'QUERY_SAMPLE_TIMER_WAIT']);
    expect(digest).toHaveLength(39);
    const current = await cols('events_statements_current');
    expect(current.slice(0, 12)).toEqual(['THREAD_ID', 'EVENT_ID', 'END_EVENT_ID', 'EVENT_NAME', 'SOURCE', 'TIMER_START', 'TIMER_END', 'TIMER_WAIT', 'LOCK_TIME', 'SQL_TEXT', 'DIGEST', 'DIGEST_TEXT']);
    expect(current).toHaveLength(46);
    expect(await cols('events_statements_history')).toEqual(current);
    const [types] = await root.query<mysql.RowDataPacket[]>(
      "SELECT COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = 'performance_schema' AND TABLE_NAME = 'threads' AND COLUMN_NAME IN ('THREAD_ID', 'INSTRUMENTED', 'PROCESSLIST_ID') ORDER BY ORDINAL_POSITION",
    );
    expect(types.map((r) => [r['COLUMN_NAME'], r['COLUMN_TYPE'], r['IS_NULLABLE']])).toEqual([
      ['THREAD_ID', 'bigint unsigned', 'NO'], ['PROCESSLIST_ID', 'bigint unsigned', 'YES'], ['INSTRUMENTED', "enum('YES','NO')", 'NO'],
    ]);
    expect(await rows(root, "SELECT ENGINE FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'performance_schema' AND TABLE_NAME = 'events_statements_history'")).toEqual([{ ENGINE: 'PERFORMANCE_SCHEMA' }]);
  });

  it(req(['CORE-PFS-006', 'CORE-PFS-023'], 'wire', 'performance_schema is ON; its buffer sizes are read-only variables with MySQL\'s defaults'), async () => {
    expect(await rows(root, 'SELECT @@performance_schema AS p, @@performance_schema_max_digest_length AS l, @@performance_schema_digests_size AS d, @@performance_schema_events_statements_history_size AS h, @@performance_schema_max_sql_text_length AS s'))
      .toEqual([{ p: 1, l: 1024, d: 10000, h: 10, s: 1024 }]);
    expect(await rows(root, "SHOW VARIABLES LIKE 'performance_schema'")).toEqual([{ Variable_name: 'performance_schema', Value: 'ON' }]);
    const e = await failure(root.query('SET GLOBAL performance_schema_max_digest_length = 10'));
    expect(e.errno).toBe(1238);
  });
});

describe('status and variables', () => {
  it(req(['CORE-PFS-002', 'CORE-PFS-003'], 'wire', 'session_status / global_status / session_variables / global_variables hold the rows SHOW STATUS and SHOW VARIABLES print'), async () => {
    const a = await session();
    await a.query('SET SESSION sort_buffer_size = 1048576, SESSION sql_mode = \'ANSI_QUOTES\'');
    const norm = (list: R[], name: string, value: string): [string, string][] => list.map((r) => [String(r[name]), String(r[value])]);
    const showVars = norm(await rows(a, 'SHOW SESSION VARIABLES'), 'Variable_name', 'Value');
    const tableVars = norm(await rows(a, 'SELECT * FROM performance_schema.session_variables'), 'VARIABLE_NAME', 'VARIABLE_VALUE');
    expect(tableVars).toEqual(showVars);
    expect(tableVars).toContainEqual(['sort_buffer_size', '1048576']);
    expect(tableVars).toContainEqual(['sql_mode', 'ANSI_QUOTES']);
    const globalVars = norm(await rows(a, 'SELECT * FROM performance_schema.global_variables'), 'VARIABLE_NAME', 'VARIABLE_VALUE');
    expect(globalVars).toEqual(norm(await rows(a, 'SHOW GLOBAL VARIABLES'), 'Variable_name', 'Value'));
    expect(globalVars.find(([n]) => n === 'sort_buffer_size')?.[1]).toBe('262144');
    // Status: the same names in the same order; counters move between two reads, other values agree.
    const showStatus = norm(await rows(a, 'SHOW SESSION STATUS'), 'Variable_name', 'Value');
    const tableStatus = norm(await rows(a, 'SELECT * FROM performance_schema.session_status'), 'VARIABLE_NAME', 'VARIABLE_VALUE');
    expect(tableStatus.map(([n]) => n)).toEqual(showStatus.map(([n]) => n));
    for (const name of ['Ssl_version', 'Ssl_cipher', 'Max_used_connections', 'Com_insert']) {
      expect(tableStatus.find(([n]) => n === name)).toEqual(showStatus.find(([n]) => n === name));
    }
    const globalStatus = norm(await rows(a, 'SELECT * FROM performance_schema.global_status'), 'VARIABLE_NAME', 'VARIABLE_VALUE');
    expect(globalStatus.map(([n]) => n)).toEqual(norm(await rows(a, 'SHOW GLOBAL STATUS'), 'Variable_name', 'Value').map(([n]) => n));
    // A session's own counters: its Com_select counts its SELECTs only.
    const b = await session();
    const com = async (c: mysql.Connection): Promise<number> => Number((await rows<{ v: string }>(c, "SELECT VARIABLE_VALUE AS v FROM performance_schema.session_status WHERE VARIABLE_NAME = 'Com_select'"))[0]!.v);
    const before = await com(b);
    await b.query('SELECT 1');
    await b.query('SELECT 2');
    expect(await com(b)).toBe(before + 3);
  });

  it(req('CORE-PFS-004', 'wire', 'variables_by_thread and status_by_thread show every connection thread\'s own values; persisted_variables lists SET PERSIST'), async () => {
    const a = await session();
    const b = await session({ tcp: true });
    await a.query('SET SESSION max_join_size = 12345');
    await b.query('SET SESSION max_join_size = 67890');
    const [[ta], [tb]] = await Promise.all([a, b].map((c) => rows<{ t: number }>(root, 'SELECT THREAD_ID AS t FROM performance_schema.threads WHERE PROCESSLIST_ID = ?', [c.threadId])));
    const byThread = await rows<{ THREAD_ID: number; VARIABLE_VALUE: string }>(root, "SELECT THREAD_ID, VARIABLE_VALUE FROM performance_schema.variables_by_thread WHERE VARIABLE_NAME = 'max_join_size' AND THREAD_ID IN (?, ?) ORDER BY THREAD_ID", [ta!.t, tb!.t]);
    expect(byThread).toEqual([{ THREAD_ID: ta!.t, VARIABLE_VALUE: '12345' }, { THREAD_ID: tb!.t, VARIABLE_VALUE: '67890' }]);
    // Only variables with a session value are listed per thread.
    expect(await rows(root, "SELECT COUNT(*) AS n FROM performance_schema.variables_by_thread WHERE VARIABLE_NAME = 'max_connections'")).toEqual([{ n: 0 }]);
    for (let i = 0; i < 3; i++) await b.query('INSERT INTO t VALUES (100, \'x\') ON DUPLICATE KEY UPDATE v = \'y\'');
    const st = await rows<{ THREAD_ID: number; VARIABLE_VALUE: string }>(root, "SELECT THREAD_ID, VARIABLE_VALUE FROM performance_schema.status_by_thread WHERE VARIABLE_NAME = 'Com_insert' AND THREAD_ID IN (?, ?) ORDER BY THREAD_ID", [ta!.t, tb!.t]);
    expect(st).toEqual([{ THREAD_ID: ta!.t, VARIABLE_VALUE: '0' }, { THREAD_ID: tb!.t, VARIABLE_VALUE: '3' }]);
    await root.query('DELETE FROM pf.t WHERE id = 100');
    await root.query('SET PERSIST max_connections = 222');
    expect(await rows(root, "SELECT * FROM performance_schema.persisted_variables WHERE VARIABLE_NAME = 'max_connections'")).toEqual([{ VARIABLE_NAME: 'max_connections', VARIABLE_VALUE: '222' }]);
    await root.query('RESET PERSIST max_connections');
    await root.query('SET GLOBAL max_connections = DEFAULT');
    expect(await rows(root, "SELECT * FROM performance_schema.persisted_variables WHERE VARIABLE_NAME = 'max_connections'")).toEqual([]);
  });
});

describe('threads and process lists', () => {
  it(req(['CORE-PFS-010'], 'wire', 'threads: a main BACKGROUND thread and one FOREGROUND thread per connection, THREAD_ID apart from PROCESSLIST_ID'), async () => {
    const a = await session();
    const b = await session({ tcp: true });
    const th = await rows<R>(root, 'SELECT * FROM performance_schema.threads ORDER BY THREAD_ID');
    expect(th[0]).toMatchObject({ THREAD_ID: 1, NAME: 'thread/sql/main', TYPE: 'BACKGROUND', PROCESSLIST_ID: null, CONNECTION_TYPE: null });
    const rowA = th.find((r) => r['PROCESSLIST_ID'] === a.threadId)!;
    const rowB = th.find((r) => r['PROCESSLIST_ID'] === b.threadId)!;
    expect(rowA).toMatchObject({ NAME: 'thread/sql/one_connection', TYPE: 'FOREGROUND', PROCESSLIST_USER: 'root', PROCESSLIST_HOST: 'localhost', PROCESSLIST_DB: 'pf', PROCESSLIST_COMMAND: 'Sleep', PROCESSLIST_STATE: null, PROCESSLIST_INFO: null, INSTRUMENTED: 'YES', HISTORY: 'YES', CONNECTION_TYPE: 'Socket', PARENT_THREAD_ID: 1 });
    expect(rowB).toMatchObject({ PROCESSLIST_HOST: '127.0.0.1', CONNECTION_TYPE: 'TCP/IP' });
    expect(rowA['THREAD_ID']).not.toBe(a.threadId);
    expect(Number(rowB['THREAD_ID']) - Number(rowA['THREAD_ID'])).toBe(b.threadId! - a.threadId!);
    expect(typeof rowA['THREAD_OS_ID']).toBe('number');
    expect(await rows(a, 'SELECT PS_CURRENT_THREAD_ID() AS t, PS_THREAD_ID(?) AS u, PS_THREAD_ID(NULL) AS n', [b.threadId])).toEqual([{ t: rowA['THREAD_ID'], u: rowB['THREAD_ID'], n: null }]);
    // The reader's own row shows its running statement.
    const own = await rows<R>(a, 'SELECT PROCESSLIST_COMMAND, PROCESSLIST_STATE, PROCESSLIST_INFO FROM performance_schema.threads WHERE PROCESSLIST_ID = CONNECTION_ID()');
    expect(own).toEqual([{ PROCESSLIST_COMMAND: 'Query', PROCESSLIST_STATE: 'executing', PROCESSLIST_INFO: 'SELECT PROCESSLIST_COMMAND, PROCESSLIST_STATE, PROCESSLIST_INFO FROM performance_schema.threads WHERE PROCESSLIST_ID = CONNECTION_ID()' }]);
    const tls = await srv.connect({ ssl: { rejectUnauthorized: false } });
    opened.push(tls);
    expect(await rows(root, 'SELECT CONNECTION_TYPE FROM performance_schema.threads WHERE PROCESSLIST_ID = ?', [tls.threadId])).toEqual([{ CONNECTION_TYPE: 'SSL/TLS' }]);
  });

  it(req(['CORE-PFS-014'], 'wire', 'SHOW PROCESSLIST, information_schema.PROCESSLIST, performance_schema.processlist and threads agree, with a session blocked on a lock'), async () => {
    const holder = await session();
    const waiter = await session({ tcp: true });
    const idle = await session();
    await idle.query('USE mysql');
    await holder.query('LOCK TABLES t WRITE');
    const blocked = waiter.query('SELECT v FROM t WHERE id = 2');
    const stateOf = async (): Promise<unknown> => (await rows<{ STATE: string }>(root, 'SELECT STATE FROM performance_schema.processlist WHERE ID = ?', [waiter.threadId]))[0]?.STATE;
    await until('the SELECT waits for the metadata lock', async () => (await stateOf()) === 'Waiting for table metadata lock');
    const ids = [holder.threadId!, waiter.threadId!, idle.threadId!];
    const fromShow = (await rows<R>(root, 'SHOW FULL PROCESSLIST')).filter((r) => ids.includes(Number(r['Id']))).map((r) => [r['Id'], r['User'], r['Host'], r['db'], r['Command'], r['State'], r['Info']]);
    const fromIs = (await rows<R>(root, `SELECT * FROM information_schema.PROCESSLIST WHERE ID IN (${ids.join(',')}) ORDER BY ID`)).map((r) => [r['ID'], r['USER'], r['HOST'], r['DB'], r['COMMAND'], r['STATE'], r['INFO']]);
    const fromPs = (await rows<R>(root, `SELECT * FROM performance_schema.processlist WHERE ID IN (${ids.join(',')}) ORDER BY ID`)).map((r) => [r['ID'], r['USER'], r['HOST'], r['DB'], r['COMMAND'], r['STATE'], r['INFO']]);
    const fromThreads = (await rows<R>(root, `SELECT * FROM performance_schema.threads WHERE PROCESSLIST_ID IN (${ids.join(',')}) ORDER BY PROCESSLIST_ID`)).map((r) => [r['PROCESSLIST_ID'], r['PROCESSLIST_USER'], r['PROCESSLIST_HOST'], r['PROCESSLIST_DB'], r['PROCESSLIST_COMMAND'], r['PROCESSLIST_STATE'] ?? '', r['PROCESSLIST_INFO']]);
    const port = (waiter as unknown as { connection: { stream: { localPort: number } } }).connection.stream.localPort;
    const expected = [
      [holder.threadId, 'root', 'localhost', 'pf', 'Sleep', '', null],
      [waiter.threadId, 'root', `127.0.0.1:${port}`, 'pf', 'Query', 'Waiting for table metadata lock', 'SELECT v FROM t WHERE id = 2'],
      [idle.threadId, 'root', 'localhost', 'mysql', 'Sleep', '', null],
    ].sort((x, y) => Number(x[0]) - Number(y[0]));
    expect(fromShow).toEqual(expected);
    expect(fromIs).toEqual(expected);
    expect(fromPs).toEqual(expected);
    // threads shows the host without the port.
    expect(fromThreads).toEqual(expected.map((r) => (r[0] === waiter.threadId ? [r[0], r[1], '127.0.0.1', ...r.slice(3)] : r)));
    await holder.query('UNLOCK TABLES');
    expect((await blocked)[0]).toEqual([{ v: 'b' }]);
  });

  it(req(['CORE-PFS-005', 'CORE-PFS-015'], 'wire', 'status and variable tables and processlist are open to every account (own threads only); threads and event tables need SELECT'), async () => {
    await root.query("CREATE USER 'pfu'@'localhost'");
    try {
      const u = await session({ user: 'pfu', database: null });
      const other = await session();
      await other.query('SELECT 1');
      expect((await rows(u, "SELECT VARIABLE_VALUE AS v FROM performance_schema.session_variables WHERE VARIABLE_NAME = 'autocommit'"))).toEqual([{ v: 'ON' }]);
      expect((await rows(u, "SELECT COUNT(*) AS n FROM performance_schema.global_status WHERE VARIABLE_NAME = 'Uptime'"))).toEqual([{ n: 1 }]);
      // Without PROCESS: only the account's own threads, in all three lists.
      expect(await rows(u, 'SELECT ID, USER FROM performance_schema.processlist')).toEqual([{ ID: u.threadId, USER: 'pfu' }]);
      expect(await rows(u, 'SELECT ID FROM information_schema.PROCESSLIST')).toEqual([{ ID: u.threadId }]);
      expect((await rows<R>(u, 'SHOW PROCESSLIST')).map((r) => r['Id'])).toEqual([u.threadId]);
      for (const table of ['threads', 'events_statements_history', 'events_statements_summary_by_digest', 'setup_consumers', 'accounts', 'variables_by_thread']) {
        const e = await failure(u.query(`SELECT * FROM performance_schema.${table}`));
        expect(e).toEqual({ errno: 1142, sqlState: '42000', message: `SELECT command denied to user 'pfu'@'localhost' for table '${table}'` });
      }
      await root.query("GRANT SELECT ON performance_schema.* TO 'pfu'@'localhost'");
      const th = await rows<{ n: number }>(u, 'SELECT COUNT(*) AS n FROM performance_schema.threads WHERE PROCESSLIST_ID IN (?, ?)', [u.threadId, other.threadId]);
      expect(th).toEqual([{ n: 2 }]);
      const e = await failure(u.query("UPDATE performance_schema.setup_consumers SET ENABLED = 'NO'"));
      expect(e).toEqual({ errno: 1142, sqlState: '42000', message: "UPDATE command denied to user 'pfu'@'localhost' for table 'setup_consumers'" });
      const t = await failure(u.query('TRUNCATE TABLE performance_schema.events_statements_summary_by_digest'));
      expect(t.errno).toBe(1142);
    } finally {
      await root.query("DROP USER 'pfu'@'localhost'");
    }
  });
});

describe('statement events', () => {
  it(req(['CORE-PFS-011', 'CORE-PFS-012'], 'wire', 'events_statements_current shows the running statement; history keeps each thread\'s last 10 with rows sent, examined and affected'), async () => {
    const a = await session();
    const b = await session();
    const [[{ t: ta }], [{ t: tb }]] = await Promise.all([a, b].map((c) => rows<{ t: number }>(root, 'SELECT THREAD_ID AS t FROM performance_schema.threads WHERE PROCESSLIST_ID = ?', [c.threadId]))) as [{ t: number }][];
    await Promise.all([
      (async () => {
        for (let i = 0; i < 12; i++) await a.query(`SELECT v FROM t WHERE id = ${(i % 3) + 1}`);
      })(),
      (async () => {
        await b.query("UPDATE t SET v = 'bb' WHERE id = 2");
        await b.query('SELECT * FROM t');
      })(),
    ]);
    const histA = await rows<R>(root, 'SELECT EVENT_ID, END_EVENT_ID, EVENT_NAME, SQL_TEXT, DIGEST_TEXT, CURRENT_SCHEMA, ROWS_SENT, MYSQL_ERRNO, ERRORS FROM performance_schema.events_statements_history WHERE THREAD_ID = ? ORDER BY EVENT_ID', [ta]);
    expect(histA).toHaveLength(10);
    expect(histA.map((r) => r['SQL_TEXT'])).toEqual(Array.from({ length: 10 }, (_, k) => `SELECT v FROM t WHERE id = ${((k + 2) % 3) + 1}`));
    expect(histA[9]).toMatchObject({ EVENT_NAME: 'statement/sql/select', DIGEST_TEXT: 'SELECT `v` FROM `t` WHERE `id` = ?', CURRENT_SCHEMA: 'pf', ROWS_SENT: 1, MYSQL_ERRNO: 0, ERRORS: 0 });
    expect(histA.every((r) => r['END_EVENT_ID'] === r['EVENT_ID'])).toBe(true);
    const ids = histA.map((r) => Number(r['EVENT_ID']));
    expect(ids).toEqual([...ids].sort((x, y) => x - y));
    const histB = await rows<R>(root, 'SELECT EVENT_NAME, ROWS_AFFECTED, ROWS_SENT, ROWS_EXAMINED FROM performance_schema.events_statements_history WHERE THREAD_ID = ? ORDER BY EVENT_ID', [tb]);
    expect(histB.slice(-2)).toEqual([
      { EVENT_NAME: 'statement/sql/update', ROWS_AFFECTED: 1, ROWS_SENT: 0, ROWS_EXAMINED: expect.any(Number) },
      { EVENT_NAME: 'statement/sql/select', ROWS_AFFECTED: 0, ROWS_SENT: 3, ROWS_EXAMINED: expect.any(Number) },
    ]);
    // A full scan examines at least every row it sends.
    expect(Number(histB.at(-1)!['ROWS_EXAMINED'])).toBeGreaterThanOrEqual(3);
    // current: b's last statement (ended); the reader's own running statement has no end yet.
    expect(await rows(root, 'SELECT SQL_TEXT, END_EVENT_ID IS NULL AS running FROM performance_schema.events_statements_current WHERE THREAD_ID = ?', [tb])).toEqual([{ SQL_TEXT: 'SELECT * FROM t', running: 0 }]);
    const own = await rows<R>(a, 'SELECT SQL_TEXT, END_EVENT_ID, TIMER_WAIT > 0 AS timed FROM performance_schema.events_statements_current WHERE THREAD_ID = (SELECT THREAD_ID FROM performance_schema.threads WHERE PROCESSLIST_ID = CONNECTION_ID())');
    expect(own).toEqual([{ SQL_TEXT: 'SELECT SQL_TEXT, END_EVENT_ID, TIMER_WAIT > 0 AS timed FROM performance_schema.events_statements_current WHERE THREAD_ID = (SELECT THREAD_ID FROM performance_schema.threads WHERE PROCESSLIST_ID = CONNECTION_ID())', END_EVENT_ID: null, timed: 1 }]);
    await root.query("UPDATE pf.t SET v = 'b' WHERE id = 2");
  });

  it(req(['CORE-PFS-013'], 'wire', 'a failing statement is recorded with its errno, SQLSTATE, message and ERRORS = 1; warnings are counted'), async () => {
    const a = await session();
    await failure(a.query('SELECT * FROM no_such_table'));
    await a.query("SELECT CAST('12abc' AS SIGNED)");
    const h = await rows<R>(root, 'SELECT SQL_TEXT, MYSQL_ERRNO, RETURNED_SQLSTATE, MESSAGE_TEXT, ERRORS, WARNINGS FROM performance_schema.events_statements_history WHERE THREAD_ID = (SELECT THREAD_ID FROM performance_schema.threads WHERE PROCESSLIST_ID = ?) ORDER BY EVENT_ID', [a.threadId]);
    expect(h.slice(-2)).toEqual([
      { SQL_TEXT: 'SELECT * FROM no_such_table', MYSQL_ERRNO: 1146, RETURNED_SQLSTATE: '42S02', MESSAGE_TEXT: "Table 'pf.no_such_table' doesn't exist", ERRORS: 1, WARNINGS: 0 },
      { SQL_TEXT: "SELECT CAST('12abc' AS SIGNED)", MYSQL_ERRNO: 0, RETURNED_SQLSTATE: null, MESSAGE_TEXT: null, ERRORS: 0, WARNINGS: 1 },
    ]);
  });

  it(req(['CORE-PFS-024', 'CORE-PFS-025', 'CORE-PFS-027', 'CORE-PFS-020', 'CORE-PFS-021', 'CORE-PFS-022'], 'wire', 'summary_by_digest groups statements by schema and digest (literals, spacing and comments aside); TRUNCATE empties it; STATEMENT_DIGEST() gives the same digest'), async () => {
    await root.query('TRUNCATE TABLE performance_schema.events_statements_summary_by_digest');
    const a = await session();
    const b = await session({ tcp: true });
    await Promise.all([
      a.query('SELECT v FROM t WHERE id = 1'),
      b.query("SELECT v FROM t WHERE id = 3"),
    ]);
    await a.query('SELECT   v FROM t WHERE id=2  /* another literal */');
    await failure(b.query('SELECT v FROM t WHERE id = 1 AND nope = 2'));
    const [d] = await rows<R>(root, "SELECT * FROM performance_schema.events_statements_summary_by_digest WHERE DIGEST_TEXT = 'SELECT `v` FROM `t` WHERE `id` = ?'");
    expect(d).toMatchObject({ SCHEMA_NAME: 'pf', COUNT_STAR: 3, SUM_ERRORS: 0, SUM_ROWS_SENT: 3, SUM_ROWS_AFFECTED: 0, SUM_LOCK_TIME: 0 });
    expect(d!['DIGEST']).toMatch(/^[0-9a-f]{64}$/);
    expect(Number(d!['SUM_TIMER_WAIT'])).toBeGreaterThan(0);
    expect(Number(d!['MIN_TIMER_WAIT'])).toBeLessThanOrEqual(Number(d!['AVG_TIMER_WAIT']));
    expect(Number(d!['AVG_TIMER_WAIT'])).toBeLessThanOrEqual(Number(d!['MAX_TIMER_WAIT']));
    expect((d!['FIRST_SEEN'] as Date).getTime()).toBeLessThanOrEqual((d!['LAST_SEEN'] as Date).getTime());
    expect(['SELECT v FROM t WHERE id = 1', 'SELECT v FROM t WHERE id = 3', 'SELECT   v FROM t WHERE id=2  /* another literal */']).toContain(d!['QUERY_SAMPLE_TEXT']);
    const [err] = await rows<R>(root, "SELECT COUNT_STAR, SUM_ERRORS FROM performance_schema.events_statements_summary_by_digest WHERE DIGEST_TEXT LIKE '%`nope`%'");
    expect(err).toEqual({ COUNT_STAR: 1, SUM_ERRORS: 1 });
    expect(await rows(root, "SELECT STATEMENT_DIGEST('select v from t where id = 99') AS d, STATEMENT_DIGEST_TEXT('select v from t where id = 99') AS t")).toEqual([{ d: d!['DIGEST'], t: d!['DIGEST_TEXT'] }]);
    expect(await rows(root, 'SELECT STATEMENT_DIGEST(NULL) AS d')).toEqual([{ d: null }]);
    expect((await failure(root.query("SELECT STATEMENT_DIGEST('SELEC 1')"))).errno).toBe(1064);
    // The same statement in another default schema is another row.
    const c = await session({ database: 'mysql' });
    await failure(c.query('SELECT v FROM t WHERE id = 1'));
    expect(await rows(root, 'SELECT SCHEMA_NAME, COUNT_STAR FROM performance_schema.events_statements_summary_by_digest WHERE DIGEST = ? ORDER BY SCHEMA_NAME', [d!['DIGEST']])).toEqual([
      { SCHEMA_NAME: 'mysql', COUNT_STAR: 1 }, { SCHEMA_NAME: 'pf', COUNT_STAR: 3 },
    ]);
    await root.query('TRUNCATE TABLE performance_schema.events_statements_summary_by_digest');
    expect(await rows(root, 'SELECT COUNT(*) AS n FROM performance_schema.events_statements_summary_by_digest WHERE DIGEST = ?', [d!['DIGEST']])).toEqual([{ n: 0 }]);
    await root.query('TRUNCATE TABLE performance_schema.events_statements_history');
    expect(await rows(root, 'SELECT COUNT(*) AS n FROM performance_schema.events_statements_history WHERE THREAD_ID = (SELECT THREAD_ID FROM performance_schema.threads WHERE PROCESSLIST_ID = ?)', [a.threadId])).toEqual([{ n: 0 }]);
    expect((await failure(root.query('TRUNCATE TABLE performance_schema.setup_consumers'))).errno).toBe(1142);
  });
});

describe('setup tables', () => {
  const historyCount = async (c: mysql.Connection): Promise<number> =>
    Number((await rows<{ n: number }>(root, 'SELECT COUNT(*) AS n FROM performance_schema.events_statements_history WHERE THREAD_ID = (SELECT THREAD_ID FROM performance_schema.threads WHERE PROCESSLIST_ID = ?)', [c.threadId]))[0]!.n);

  it(req(['CORE-PFS-040', 'CORE-PFS-043'], 'wire', 'setup_consumers lists MySQL\'s consumers; turning one off stops recording at once, and turning it on again resumes'), async () => {
    expect(await rows(root, "SELECT NAME, ENABLED FROM performance_schema.setup_consumers WHERE NAME LIKE 'events_statements%' OR NAME IN ('global_instrumentation', 'thread_instrumentation', 'statements_digest')")).toEqual([
      { NAME: 'events_statements_cpu', ENABLED: 'NO' }, { NAME: 'events_statements_current', ENABLED: 'YES' }, { NAME: 'events_statements_history', ENABLED: 'YES' },
      { NAME: 'events_statements_history_long', ENABLED: 'NO' }, { NAME: 'global_instrumentation', ENABLED: 'YES' }, { NAME: 'thread_instrumentation', ENABLED: 'YES' },
      { NAME: 'statements_digest', ENABLED: 'YES' },
    ]);
    const a = await session();
    await a.query('SELECT 1');
    const before = await historyCount(a);
    const [r] = await root.query<mysql.ResultSetHeader>("UPDATE performance_schema.setup_consumers SET ENABLED = 'NO' WHERE NAME = 'events_statements_history'");
    expect([r.affectedRows, r.info]).toEqual([1, 'Rows matched: 1  Changed: 1  Warnings: 0']);
    await a.query('SELECT 2');
    await a.query('SELECT 3');
    expect(await historyCount(a)).toBe(before);
    // statements_digest off: the summary stops counting.
    await root.query('TRUNCATE TABLE performance_schema.events_statements_summary_by_digest');
    await root.query("UPDATE performance_schema.setup_consumers SET ENABLED = 'NO' WHERE NAME = 'statements_digest'");
    const digest = (await rows<{ d: string }>(root, "SELECT STATEMENT_DIGEST('SELECT 17') AS d"))[0]!.d;
    await a.query('SELECT 17');
    expect(await rows(root, 'SELECT COUNT(*) AS n FROM performance_schema.events_statements_summary_by_digest WHERE DIGEST = ?', [digest])).toEqual([{ n: 0 }]);
    // global_instrumentation gates everything, even with the others on.
    await root.query("UPDATE performance_schema.setup_consumers SET ENABLED = 'YES' WHERE NAME IN ('events_statements_history', 'statements_digest')");
    await root.query("UPDATE performance_schema.setup_consumers SET ENABLED = 'NO' WHERE NAME = 'global_instrumentation'");
    await a.query('SELECT 17');
    expect(await historyCount(a)).toBe(before);
    await root.query("UPDATE performance_schema.setup_consumers SET ENABLED = 'YES' WHERE NAME = 'global_instrumentation'");
    await a.query('SELECT 17');
    expect(await historyCount(a)).toBe(before + 1);
    expect(await rows(root, 'SELECT COUNT_STAR FROM performance_schema.events_statements_summary_by_digest WHERE DIGEST = ?', [digest])).toEqual([{ COUNT_STAR: 1 }]);
  });

  it(req(['CORE-PFS-041', 'CORE-PFS-042', 'CORE-PFS-044'], 'wire', 'setup_instruments and threads.INSTRUMENTED switch recording off per statement kind and per thread; read-only columns and bad values are refused'), async () => {
    const a = await session();
    const b = await session();
    expect(await rows(root, "SELECT ENABLED, TIMED FROM performance_schema.setup_instruments WHERE NAME = 'statement/sql/select'")).toEqual([{ ENABLED: 'YES', TIMED: 'YES' }]);
    expect(await rows(root, 'SELECT HOST, USER, ROLE, ENABLED, HISTORY FROM performance_schema.setup_actors')).toEqual([{ HOST: '%', USER: '%', ROLE: '%', ENABLED: 'YES', HISTORY: 'YES' }]);
    await root.query("UPDATE performance_schema.setup_instruments SET ENABLED = 'NO' WHERE NAME = 'statement/sql/select'");
    const before = await historyCount(a);
    await a.query('SELECT 1');
    await a.query('DO 1');
    expect(await historyCount(a)).toBe(before + 1);
    await root.query("UPDATE performance_schema.setup_instruments SET ENABLED = 'YES' WHERE NAME = 'statement/sql/select'");
    // TIMED = NO: recorded without timer values.
    await root.query("UPDATE performance_schema.setup_instruments SET TIMED = 'NO' WHERE NAME = 'statement/sql/do'");
    await a.query('DO 2');
    expect(await rows(root, "SELECT TIMER_WAIT FROM performance_schema.events_statements_current WHERE SQL_TEXT = 'DO 2'")).toEqual([{ TIMER_WAIT: null }]);
    // Per thread: b is no longer instrumented; a still is.
    const [r] = await root.query<mysql.ResultSetHeader>("UPDATE performance_schema.threads SET INSTRUMENTED = 'NO' WHERE PROCESSLIST_ID = ?", [b.threadId]);
    expect(r.affectedRows).toBe(1);
    const bBefore = await historyCount(b);
    await b.query('SELECT 5');
    expect(await historyCount(b)).toBe(bBefore);
    expect(await rows(root, 'SELECT INSTRUMENTED FROM performance_schema.threads WHERE PROCESSLIST_ID = ?', [b.threadId])).toEqual([{ INSTRUMENTED: 'NO' }]);
    // setup_actors decides for new connections.
    await root.query("UPDATE performance_schema.setup_actors SET HISTORY = 'NO'");
    const c = await session();
    expect(await rows(root, 'SELECT INSTRUMENTED, HISTORY FROM performance_schema.threads WHERE PROCESSLIST_ID = ?', [c.threadId])).toEqual([{ INSTRUMENTED: 'YES', HISTORY: 'NO' }]);
    await root.query("UPDATE performance_schema.setup_actors SET HISTORY = 'YES'");
    expect(await failure(root.query("UPDATE performance_schema.setup_consumers SET NAME = 'x'"))).toEqual({ errno: 1031, sqlState: 'HY000', message: "Table storage engine for 'setup_consumers' doesn't have this option" });
    expect(await failure(root.query("UPDATE performance_schema.setup_consumers SET ENABLED = 'MAYBE' WHERE NAME = 'statements_digest'"))).toEqual({ errno: 1265, sqlState: '01000', message: "Data truncated for column 'ENABLED' at row 1" });
    expect(await failure(root.query("UPDATE performance_schema.global_status SET VARIABLE_VALUE = '1'"))).toEqual({ errno: 1142, sqlState: '42000', message: "UPDATE command denied to user 'root'@'localhost' for table 'global_status'" });
    expect(await failure(root.query("INSERT INTO performance_schema.global_status VALUES ('a', 'b')"))).toEqual({ errno: 1142, sqlState: '42000', message: "INSERT command denied to user 'root'@'localhost' for table 'global_status'" });
    expect(await failure(root.query('DELETE FROM performance_schema.setup_consumers'))).toEqual({ errno: 1142, sqlState: '42000', message: "DELETE command denied to user 'root'@'localhost' for table 'setup_consumers'" });
    expect(await rows(root, 'SELECT COUNT(*) AS n FROM performance_schema.setup_consumers')).toEqual([{ n: 16 }]);
  });
});

describe('connection tables', () => {
  it(req('CORE-PFS-016', 'wire', 'session_connect_attrs and session_account_connect_attrs list the attributes clients sent, in order'), async () => {
    await root.query("CREATE USER 'pfa'@'localhost'");
    try {
      const a = await srv.connect({ socket: true, user: 'pfa', connectAttributes: { program_name: 'pfs-probe', tag: 'x1' } } as Parameters<typeof srv.connect>[0]);
      opened.push(a);
      const b = await session();
      const attrs = await rows<R>(root, 'SELECT ATTR_NAME, ATTR_VALUE, ORDINAL_POSITION FROM performance_schema.session_connect_attrs WHERE PROCESSLIST_ID = ? ORDER BY ORDINAL_POSITION', [a.threadId]);
      expect(attrs.map((r) => r['ORDINAL_POSITION'])).toEqual(attrs.map((_r, k) => k));
      expect(attrs).toContainEqual({ ATTR_NAME: 'program_name', ATTR_VALUE: 'pfs-probe', ORDINAL_POSITION: expect.any(Number) });
      expect(attrs).toContainEqual({ ATTR_NAME: 'tag', ATTR_VALUE: 'x1', ORDINAL_POSITION: expect.any(Number) });
      expect(attrs).toContainEqual({ ATTR_NAME: '_client_name', ATTR_VALUE: 'Node-MySQL-2', ORDINAL_POSITION: expect.any(Number) });
      // The account's own view: only its connections; the full table needs SELECT.
      const own = await rows<R>(a, 'SELECT DISTINCT PROCESSLIST_ID FROM performance_schema.session_account_connect_attrs');
      expect(own).toEqual([{ PROCESSLIST_ID: a.threadId }]);
      expect((await rows<R>(root, 'SELECT COUNT(*) AS n FROM performance_schema.session_connect_attrs WHERE PROCESSLIST_ID = ?', [b.threadId]))[0]!['n']).toBeGreaterThan(0);
      expect((await failure(a.query('SELECT * FROM performance_schema.session_connect_attrs'))).errno).toBe(1142);
    } finally {
      await root.query("DROP USER 'pfa'@'localhost'");
    }
  });

  it(req('CORE-PFS-050', 'wire', 'accounts, users and hosts count current and total connections; TRUNCATE restarts the totals'), async () => {
    await root.query("CREATE USER 'pfc'@'localhost', 'pfc'@'127.0.0.1'");
    try {
      const a = await session({ user: 'pfc', database: null });
      const b = await session({ user: 'pfc', database: null });
      const c = await session({ user: 'pfc', database: null, tcp: true });
      const acc = async (): Promise<R[]> => rows(root, "SELECT HOST, CURRENT_CONNECTIONS AS cur, TOTAL_CONNECTIONS AS tot FROM performance_schema.accounts WHERE USER = 'pfc' ORDER BY HOST");
      expect(await acc()).toEqual([{ HOST: '127.0.0.1', cur: 1, tot: 1 }, { HOST: 'localhost', cur: 2, tot: 2 }]);
      expect(await rows(root, "SELECT CURRENT_CONNECTIONS AS cur, TOTAL_CONNECTIONS AS tot FROM performance_schema.users WHERE USER = 'pfc'")).toEqual([{ cur: 3, tot: 3 }]);
      await a.end();
      await until('the session is gone', async () => (await acc()).some((r) => r['HOST'] === 'localhost' && r['cur'] === 1));
      expect(await acc()).toEqual([{ HOST: '127.0.0.1', cur: 1, tot: 1 }, { HOST: 'localhost', cur: 1, tot: 2 }]);
      expect((await rows<R>(root, "SELECT TOTAL_CONNECTIONS AS tot FROM performance_schema.hosts WHERE HOST = '127.0.0.1'"))[0]!['tot']).toBeGreaterThanOrEqual(1);
      expect(await rows(root, 'SELECT CURRENT_CONNECTIONS AS cur FROM performance_schema.accounts WHERE USER IS NULL AND HOST IS NULL')).toEqual([{ cur: 1 }]);
      await root.query('TRUNCATE TABLE performance_schema.accounts');
      expect(await acc()).toEqual([{ HOST: '127.0.0.1', cur: 1, tot: 1 }, { HOST: 'localhost', cur: 1, tot: 1 }]);
      void b;
      void c;
    } finally {
      await root.query("DROP USER 'pfc'@'localhost', 'pfc'@'127.0.0.1'");
    }
  });
});
