/**
 * The general query log over the wire (mysql2 over the Unix socket and TCP): variables, the
 * file format, commands and statements, prepared statements, password masking, timestamps,
 * several sessions logging at once, FLUSH LOGS after a rename, and the mysql.general_log table.
 */
import { existsSync, readFileSync, renameSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type mysql from 'mysql2/promise';
import { req } from '../helpers/req.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { errorOf } from '../helpers/sql.js';

let srv: TestServer;
let c: mysql.Connection;

const LINE = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}(?:Z|[+-]\d\d:\d\d))\t([ \d]{5}) ([A-Za-z ]+)\t(.*)$/;

interface Entry {
  ts: string;
  id: number;
  command: string;
  argument: string;
}

/** The entries of a general log file (header lines skipped; each entry must be one whole line). */
function entries(path: string): Entry[] {
  const out: Entry[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line === '' || /, Version: /.test(line) || /^Tcp port: /.test(line) || line === 'Time                 Id Command    Argument') continue;
    const m = LINE.exec(line);
    if (!m) throw new Error(`not a log line: ${JSON.stringify(line)}`);
    out.push({ ts: m[1]!, id: Number(m[2]), command: m[3]!, argument: m[4]! });
  }
  return out;
}

async function one<T = unknown>(sql: string): Promise<T> {
  const [rows] = await c.query<mysql.RowDataPacket[]>(sql);
  return Object.values(rows[0]!)[0] as T;
}

/** Wait until connection `id` has left the process list (its Quit is then logged). */
async function gone(conn: mysql.Connection, id: number): Promise<void> {
  for (let i = 0; i < 500; i++) {
    const [rows] = await conn.query<mysql.RowDataPacket[]>('SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE ID = ?', [id]);
    if (Number(rows[0]!['n']) === 0) return;
  }
  throw new Error(`connection ${id} is still there`);
}

async function generalFile(): Promise<string> {
  return String(await one('SELECT @@general_log_file'));
}

beforeAll(async () => {
  srv = await startTestServer();
  c = await srv.connect({ socket: true });
  await c.query('CREATE DATABASE IF NOT EXISTS logdb');
});

afterAll(async () => {
  await c?.end();
  await srv?.stop();
});

describe('general log variables', () => {
  it(req(['CORE-LOG-001#defaults'], 'wire', 'defaults: <host>.log and <host>-slow.log in the datadir, log_output FILE, logs off'), async () => {
    const [rows] = await c.query<mysql.RowDataPacket[]>(
      'SELECT @@global.general_log g, @@general_log_file gf, @@global.slow_query_log s, @@slow_query_log_file sf, @@log_output o',
    );
    const r = rows[0]!;
    expect(Number(r['g'])).toBe(0);
    expect(Number(r['s'])).toBe(0);
    expect(r['gf']).toBe(join(srv.datadir, `${hostname()}.log`));
    expect(r['sf']).toBe(join(srv.datadir, `${hostname()}-slow.log`));
    expect(r['o']).toBe('FILE');
  });

  it(req(['CORE-LOG-001#global'], 'wire', 'the log variables are global only (1229)'), async () => {
    for (const v of ['general_log', 'slow_query_log', 'log_output', 'general_log_file']) {
      const e = await errorOf(c.query(`SET SESSION ${v} = DEFAULT`));
      expect(e.errno).toBe(1229);
    }
  });

  it(req(['CORE-LOG-001#set'], 'wire', 'log_output takes a set, shown in FILE,TABLE order; empty is 1231'), async () => {
    await c.query("SET GLOBAL log_output = 'TABLE,FILE'");
    expect(await one('SELECT @@log_output')).toBe('FILE,TABLE');
    await c.query("SET GLOBAL log_output = 'none'");
    expect(await one('SELECT @@log_output')).toBe('NONE');
    const e = await errorOf(c.query("SET GLOBAL log_output = ''"));
    expect(e.errno).toBe(1231);
    expect(e.message).toBe("Variable 'log_output' can't be set to the value of ''");
    const bogus = await errorOf(c.query("SET GLOBAL log_output = 'FILE,DISK'"));
    expect(bogus.errno).toBe(1231);
    await c.query('SET GLOBAL log_output = DEFAULT');
    expect(await one('SELECT @@log_output')).toBe('FILE');
  });

  it(req(['CORE-LOG-001#file-name'], 'wire', 'an option-file name or an empty name is refused for a log file (1231)'), async () => {
    for (const [v, name] of [['general_log_file', 'my.cnf'], ['slow_query_log_file', 'x.INI'], ['general_log_file', ''], ['general_log_file', '/no/such/dir/g.log'], ['slow_query_log_file', 'missing-subdir/s.log']] as const) {
      const e = await errorOf(c.query(`SET GLOBAL ${v} = '${name}'`));
      expect(e.errno).toBe(1231);
    }
  });
});

describe('general log file', () => {
  it(req(['CORE-LOG-001#startup'], 'wire', 'options --general-log --log-output=FILE,TABLE: logging from the start, the header names the real port'), async () => {
    const boot = await startTestServer({ options: { 'general-log': true, 'log-output': 'FILE,TABLE', 'general-log-file': 'boot.log' } });
    try {
      const k = await boot.connect({ socket: true });
      const watcher = await boot.connect({ socket: true });
      const kid = Number((await k.query<mysql.RowDataPacket[]>('SELECT CONNECTION_ID() AS id'))[0][0]!['id']);
      await k.query('SELECT 1 AS boot_probe');
      const [rows] = await k.query<mysql.RowDataPacket[]>("SELECT command_type AS c FROM mysql.general_log WHERE argument = 'SELECT 1 AS boot_probe'");
      expect(rows.map((r) => r['c'])).toEqual(['Query']);
      await k.end();
      await gone(watcher, kid);
      await watcher.end();
      const path = join(boot.datadir, 'boot.log');
      expect(readFileSync(path, 'utf8').split('\n')[1]).toBe(`Tcp port: ${boot.port}  Unix socket: ${boot.socketPath}`);
      expect(entries(path).filter((e) => e.id === kid).map((e) => [e.command, e.argument])).toEqual([
        ['Connect', 'root@localhost on  using Socket'],
        ['Query', 'SELECT CONNECTION_ID() AS id'],
        ['Query', 'SELECT 1 AS boot_probe'],
        ['Query', "SELECT command_type AS c FROM mysql.general_log WHERE argument = 'SELECT 1 AS boot_probe'"],
        ['Quit', ''],
      ]);
    } finally {
      await boot.stop();
    }
  });

  it(req(['CORE-LOG-001#relative', 'CORE-LOG-002#header', 'CORE-LOG-002#line'], 'wire', 'a relative file lands in the datadir with the header, then one line per entry'), async () => {
    await c.query("SET GLOBAL general_log_file = 'rel-general.log'");
    await c.query('SET GLOBAL general_log = ON');
    await c.query('SELECT 1 AS relative_probe');
    await c.query('SET GLOBAL general_log = OFF');
    const path = join(srv.datadir, 'rel-general.log');
    const text = readFileSync(path, 'utf8');
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^.+, Version: 8\.0\.40-refmysql \(.+\)\. started with:$/);
    expect(lines[1]).toBe(`Tcp port: ${srv.port}  Unix socket: ${srv.socketPath}`);
    expect(lines[2]).toBe('Time                 Id Command    Argument');
    const es = entries(path);
    const probe = es.find((e) => e.argument === 'SELECT 1 AS relative_probe')!;
    expect(probe).toBeDefined();
    expect(probe.command).toBe('Query');
    expect(probe.id).toBe(Number(await one('SELECT CONNECTION_ID()')));
    expect(probe.ts).toMatch(/Z$/);
    // The id is right-aligned in five places followed by one space.
    expect(lines.find((l) => l.endsWith('\tSELECT 1 AS relative_probe'))).toMatch(new RegExp(`\\t${String(probe.id).padStart(5)} Query\\t`));
    await c.query('SET GLOBAL general_log_file = DEFAULT');
  });

  it(
    req(['CORE-LOG-002#multi', 'CORE-LOG-002#before-run', 'CORE-LOG-002#unparsable', 'CORE-LOG-003#connect', 'CORE-LOG-003#quit', 'CORE-LOG-003#change-user'], 'wire', 'connect, statements, failures, quit and change user'),
    async () => {
      await c.query('SET GLOBAL general_log = ON');
      const m = await srv.connect({ socket: true, database: 'logdb', multipleStatements: true });
      const id = Number((await m.query<mysql.RowDataPacket[]>('SELECT CONNECTION_ID() AS id'))[0][0]!['id']);
      await m.query('SELECT 11 AS a; SELECT 12 AS b');
      expect((await errorOf(m.query('SELECT * FROM no_such_table_here'))).errno).toBe(1146);
      expect((await errorOf(m.query('SELEKT garbage here'))).errno).toBe(1064);
      await m.changeUser({ user: 'root', password: '', database: 'mysql' });
      await m.end();
      await gone(c, id);
      const t = await srv.connect();
      await t.end();
      await c.query('SET GLOBAL general_log = OFF');
      const mine = entries(await generalFile()).filter((e) => e.id === id);
      expect(mine.map((e) => [e.command, e.argument])).toEqual([
        ['Connect', 'root@localhost on logdb using Socket'],
        ['Query', 'SELECT CONNECTION_ID() AS id'],
        ['Query', 'SELECT 11 AS a'],
        ['Query', 'SELECT 12 AS b'],
        ['Query', 'SELECT * FROM no_such_table_here'],
        ['Query', 'SELEKT garbage here'],
        ['Change user', 'root@localhost on mysql using Socket'],
        ['Quit', ''],
      ]);
      // A TCP connection from the loopback address (mysql2 negotiates TLS when offered).
      const tcp = entries(await generalFile()).filter((e) => e.command === 'Connect' && e.id !== id);
      expect(tcp.at(-1)!.argument).toMatch(/^root@localhost on  using (SSL\/TLS|TCP\/IP)$/);
    },
  );

  it(req(['CORE-LOG-003#denied'], 'wire', 'a refused login is a Connect line with the access-denied message'), async () => {
    await c.query('SET GLOBAL general_log = ON');
    const e = await errorOf(srv.connect({ socket: true, user: 'root', password: 'not-the-password' }));
    expect(e.errno).toBe(1045);
    await c.query('SELECT 1 AS after_denied');
    await c.query('SET GLOBAL general_log = OFF');
    const all = entries(await generalFile());
    const at = all.findIndex((x) => x.argument === 'SELECT 1 AS after_denied');
    const denied = all.slice(0, at).filter((x) => x.command === 'Connect').at(-1)!;
    expect(denied.argument).toBe("Access denied for user 'root'@'localhost' (using password: YES)");
    expect(denied.argument).toBe(e.message);
  });

  it(req(['CORE-LOG-004'], 'wire', 'Prepare and Execute lines, with the parameter values in place'), async () => {
    await c.query('SET GLOBAL general_log = ON');
    const p = await srv.connect({ socket: true });
    const id = Number((await p.query<mysql.RowDataPacket[]>('SELECT CONNECTION_ID() AS id'))[0][0]!['id']);
    await p.execute('SELECT ? AS n, ? AS s, ? AS z', [42, "it's", null]);
    await p.end();
    await c.query('SET GLOBAL general_log = OFF');
    const mine = entries(await generalFile()).filter((e) => e.id === id && (e.command === 'Prepare' || e.command === 'Execute'));
    expect(mine.map((e) => [e.command, e.argument])).toEqual([
      ['Prepare', 'SELECT ? AS n, ? AS s, ? AS z'],
      ['Execute', "SELECT 42 AS n, 'it\\'s' AS s, NULL AS z"],
    ]);
  });

  it(req(['CORE-LOG-003#stmt-close'], 'wire', 'COM_STMT_CLOSE writes a Close stmt line'), async () => {
    await c.query('SET GLOBAL general_log = ON');
    const p = await srv.connect({ socket: true });
    const id = Number((await p.query<mysql.RowDataPacket[]>('SELECT CONNECTION_ID() AS id'))[0][0]!['id']);
    await p.prepare('SELECT 1 AS to_close');
    p.unprepare('SELECT 1 AS to_close');
    await p.query('SELECT 1 AS after_close');
    await p.end();
    await gone(c, id);
    await c.query('SET GLOBAL general_log = OFF');
    const mine = entries(await generalFile()).filter((e) => e.id === id).map((e) => [e.command, e.argument]);
    expect(mine.slice(-4)).toEqual([
      ['Prepare', 'SELECT 1 AS to_close'],
      ['Close stmt', ''],
      ['Query', 'SELECT 1 AS after_close'],
      ['Quit', ''],
    ]);
  });

  it(req(['CORE-LOG-008'], 'wire', 'a session with sql_log_off writes nothing; others keep logging'), async () => {
    await c.query('SET GLOBAL general_log = ON');
    const quiet = await srv.connect({ socket: true });
    await quiet.query('SET SESSION sql_log_off = ON');
    await quiet.query('SELECT 1 AS unlogged_probe');
    await c.query('SELECT 1 AS logged_probe');
    await quiet.query('SET SESSION sql_log_off = OFF');
    await quiet.query('SELECT 1 AS logged_again');
    await quiet.end();
    await c.query('SET GLOBAL general_log = OFF');
    const args = entries(await generalFile()).map((e) => e.argument);
    expect(args).not.toContain('SELECT 1 AS unlogged_probe');
    expect(args).toContain('SELECT 1 AS logged_probe');
    expect(args).toContain('SELECT 1 AS logged_again');
  });

  it(req(['CORE-LOG-005'], 'wire', 'passwords of CREATE USER, ALTER USER and SET PASSWORD are replaced by <secret>'), async () => {
    await c.query('SET GLOBAL general_log = ON');
    await c.query("CREATE USER 'logu'@'localhost' IDENTIFIED BY 'Hunter2-create'");
    await c.query("ALTER USER 'logu'@'localhost' IDENTIFIED WITH caching_sha2_password BY 'Hunter2-alter'");
    await c.query("SET PASSWORD FOR 'logu'@'localhost' = 'Hunter2-set'");
    await c.query("DROP USER 'logu'@'localhost'");
    await c.query('SET GLOBAL general_log = OFF');
    const text = readFileSync(await generalFile(), 'utf8');
    expect(text).not.toMatch(/Hunter2/);
    expect(text).toContain("\tCREATE USER 'logu'@'localhost' IDENTIFIED BY <secret>\n");
    expect(text).toContain("\tALTER USER 'logu'@'localhost' IDENTIFIED WITH caching_sha2_password BY <secret>\n");
    expect(text).toContain("\tSET PASSWORD FOR 'logu'@'localhost' = <secret>\n");
  });

  it(req(['CORE-LOG-006'], 'wire', 'log_timestamps SYSTEM writes local time with its offset'), async () => {
    await c.query("SET GLOBAL log_timestamps = 'SYSTEM'");
    await c.query('SET GLOBAL general_log = ON');
    await c.query('SELECT 1 AS system_stamp');
    await c.query('SET GLOBAL general_log = OFF');
    await c.query('SET GLOBAL log_timestamps = DEFAULT');
    const e = entries(await generalFile()).find((x) => x.argument === 'SELECT 1 AS system_stamp')!;
    const off = -new Date().getTimezoneOffset();
    const sign = off < 0 ? '-' : '+';
    const hh = String(Math.floor(Math.abs(off) / 60)).padStart(2, '0');
    const mm = String(Math.abs(off) % 60).padStart(2, '0');
    expect(e.ts.endsWith(`${sign}${hh}:${mm}`)).toBe(true);
    // The local wall-clock part agrees with the UTC instant shifted by the offset.
    const asUtc = Date.parse(e.ts);
    expect(Math.abs(asUtc - Date.now())).toBeLessThan(60_000);
  });

  it(req(['CORE-LOG-007'], 'wire', 'several sessions logging at once: every line whole, every id its own'), async () => {
    await c.query('SET GLOBAL general_log = ON');
    const conns = await Promise.all([0, 1, 2, 3, 4].map((i) => srv.connect(i % 2 === 0 ? { socket: true } : {})));
    const ids = await Promise.all(conns.map(async (k) => Number((await k.query<mysql.RowDataPacket[]>('SELECT CONNECTION_ID() AS id'))[0][0]!['id'])));
    const long = 'x'.repeat(3000);
    await Promise.all(
      conns.map(async (k, i) => {
        for (let n = 0; n < 30; n++) await k.query(`SELECT ${i} AS who, ${n} AS n, '${long}' AS pad`);
      }),
    );
    await Promise.all(conns.map((k) => k.end()));
    await c.query('SET GLOBAL general_log = OFF');
    const all = entries(await generalFile());
    for (let i = 0; i < conns.length; i++) {
      const mine = all.filter((e) => e.command === 'Query' && e.argument.startsWith(`SELECT ${i} AS who, `));
      expect(mine.length).toBe(30);
      expect(new Set(mine.map((e) => e.id))).toEqual(new Set([ids[i]]));
      expect(mine.map((e) => Number(/AS who, (\d+) AS n/.exec(e.argument)![1]))).toEqual([...Array(30).keys()]);
      expect(mine.every((e) => e.argument === `SELECT ${i} AS who, ${/AS who, (\d+)/.exec(e.argument)![1]} AS n, '${long}' AS pad`)).toBe(true);
    }
  });

  it(req(['CORE-LOG-021#rotate'], 'wire', 'rename the file, FLUSH GENERAL LOGS: a new file starts, the old one keeps its lines'), async () => {
    await c.query('SET GLOBAL general_log = ON');
    await c.query('SELECT 1 AS before_rotation');
    const path = await generalFile();
    renameSync(path, path + '.1');
    await c.query('SELECT 1 AS after_rename');
    await c.query('FLUSH GENERAL LOGS');
    expect(existsSync(path)).toBe(true);
    await c.query('SELECT 1 AS after_flush');
    await c.query('SET GLOBAL general_log = OFF');
    const old = entries(path + '.1').map((e) => e.argument);
    const fresh = readFileSync(path, 'utf8');
    expect(old).toContain('SELECT 1 AS before_rotation');
    expect(old).toContain('SELECT 1 AS after_rename');
    expect(old).toContain('FLUSH GENERAL LOGS');
    expect(fresh.split('\n')[2]).toBe('Time                 Id Command    Argument');
    expect(entries(path).map((e) => e.argument)).toContain('SELECT 1 AS after_flush');
    expect(entries(path).map((e) => e.argument)).not.toContain('SELECT 1 AS before_rotation');
  });

  it(req(['CORE-LOG-021#forms'], 'wire', 'every FLUSH ... LOGS form succeeds'), async () => {
    for (const s of [
      'FLUSH LOGS',
      'FLUSH LOCAL LOGS',
      'FLUSH NO_WRITE_TO_BINLOG LOGS',
      'FLUSH ERROR LOGS',
      'FLUSH ENGINE LOGS',
      'FLUSH BINARY LOGS',
      'FLUSH RELAY LOGS',
      'FLUSH GENERAL LOGS',
      'FLUSH SLOW LOGS',
      'FLUSH GENERAL LOGS, SLOW LOGS',
    ]) {
      const [r] = await c.query<mysql.ResultSetHeader>(s);
      expect(r.affectedRows).toBe(0);
    }
  });
});

describe('mysql.general_log', () => {
  it(req(['CORE-LOG-022#rows'], 'wire', "log_output='TABLE' writes rows: user_host, thread_id, server_id, command_type, argument"), async () => {
    await c.query('TRUNCATE TABLE mysql.general_log');
    await c.query("SET GLOBAL log_output = 'TABLE'");
    await c.query('SET GLOBAL general_log = ON');
    await c.query('SELECT 1 AS to_the_table');
    await c.query('SET GLOBAL general_log = OFF');
    const id = Number(await one('SELECT CONNECTION_ID()'));
    const [rows] = await c.query<mysql.RowDataPacket[]>(
      "SELECT user_host, thread_id, server_id, command_type, CONVERT(argument USING utf8mb4) AS arg, event_time FROM mysql.general_log WHERE argument LIKE 'SELECT 1 AS to_the_table'",
    );
    expect(rows.length).toBe(1);
    expect(rows[0]!['user_host']).toBe('root[root] @ localhost []');
    expect(Number(rows[0]!['thread_id'])).toBe(id);
    expect(Number(rows[0]!['server_id'])).toBe(Number(await one('SELECT @@server_id')));
    expect(rows[0]!['command_type']).toBe('Query');
    expect(rows[0]!['arg']).toBe('SELECT 1 AS to_the_table');
    expect(Math.abs((rows[0]!['event_time'] as Date).getTime() - Date.now())).toBeLessThan(60_000);
    await c.query('SET GLOBAL log_output = DEFAULT');
  });

  it(req(['CORE-LOG-022#e1556'], 'wire', 'INSERT, REPLACE, UPDATE, DELETE and LOCK TABLES on the log tables fail with 1556'), async () => {
    for (const s of [
      "INSERT INTO mysql.general_log VALUES (NOW(6), 'u', 1, 1, 'Query', 'x')",
      "REPLACE INTO mysql.slow_log (user_host) VALUES ('u')",
      "UPDATE mysql.general_log SET command_type = 'x'",
      'DELETE FROM mysql.slow_log',
      'LOCK TABLES mysql.general_log READ',
      'LOCK TABLES mysql.slow_log WRITE',
    ]) {
      const e = await errorOf(c.query(s));
      expect([s, e.errno, e.sqlState, e.message]).toEqual([s, 1556, 'HY000', "You can't use locks with log tables."]);
    }
    await c.query('USE mysql');
    expect((await errorOf(c.query('DELETE FROM general_log'))).errno).toBe(1556);
    await c.query('USE logdb');
  });

  it(req(['CORE-LOG-022#truncate'], 'wire', 'TRUNCATE empties a log table in use and logging continues into it'), async () => {
    await c.query("SET GLOBAL log_output = 'TABLE'");
    await c.query('SET GLOBAL general_log = ON');
    await c.query('SELECT 1 AS before_truncate');
    await c.query('TRUNCATE TABLE mysql.general_log');
    await c.query('SELECT 1 AS after_truncate');
    const [rows] = await c.query<mysql.RowDataPacket[]>('SELECT CONVERT(argument USING utf8mb4) AS a FROM mysql.general_log');
    await c.query('SET GLOBAL general_log = OFF');
    await c.query('SET GLOBAL log_output = DEFAULT');
    const args = rows.map((r) => r['a']);
    expect(args).not.toContain('SELECT 1 AS before_truncate');
    expect(args).toContain('SELECT 1 AS after_truncate');
  });

  it(req(['CORE-LOG-023#e1580', 'CORE-LOG-023#e1581'], 'wire', 'ALTER / DROP of a log table in use fail with 1580, renaming it away with 1581'), async () => {
    await c.query("SET GLOBAL log_output = 'TABLE'");
    await c.query('SET GLOBAL general_log = ON');
    try {
      const alter = await errorOf(c.query("ALTER TABLE mysql.general_log COMMENT = 'x'"));
      expect([alter.errno, alter.sqlState, alter.message]).toEqual([1580, 'HY000', "You cannot 'ALTER' a log table if logging is enabled"]);
      const drop = await errorOf(c.query('DROP TABLE mysql.general_log'));
      expect([drop.errno, drop.message]).toEqual([1580, "You cannot 'DROP' a log table if logging is enabled"]);
      const ren = await errorOf(c.query('RENAME TABLE mysql.general_log TO mysql.general_log_old'));
      expect([ren.errno, ren.message]).toEqual([
        1581,
        "Cannot rename 'general_log'. When logging enabled, rename to/from log table must rename two tables: the log table to an archive table and another table back to 'general_log'",
      ]);
    } finally {
      await c.query('SET GLOBAL general_log = OFF');
      await c.query('SET GLOBAL log_output = DEFAULT');
    }
  });

  it(req(['CORE-LOG-023#swap'], 'wire', 'a swap rename while logging: the archive keeps the old rows, logging goes on into the new table'), async () => {
    await c.query('TRUNCATE TABLE mysql.general_log');
    await c.query('CREATE TABLE logdb.fresh_log LIKE mysql.general_log');
    await c.query("SET GLOBAL log_output = 'TABLE'");
    await c.query('SET GLOBAL general_log = ON');
    await c.query('SELECT 1 AS before_swap');
    await c.query('RENAME TABLE mysql.general_log TO logdb.archived_log, logdb.fresh_log TO mysql.general_log');
    await c.query('SELECT 1 AS after_swap');
    await c.query('SET GLOBAL general_log = OFF');
    await c.query('SET GLOBAL log_output = DEFAULT');
    const args = async (t: string): Promise<unknown[]> => (await c.query<mysql.RowDataPacket[]>(`SELECT CONVERT(argument USING utf8mb4) AS a FROM ${t}`))[0].map((r) => r['a']);
    expect(await args('logdb.archived_log')).toContain('SELECT 1 AS before_swap');
    expect(await args('logdb.archived_log')).not.toContain('SELECT 1 AS after_swap');
    expect(await args('mysql.general_log')).toContain('SELECT 1 AS after_swap');
    await c.query('DROP TABLE logdb.archived_log');
  });

  it(req(['CORE-LOG-023#off'], 'wire', 'with the log off, ALTER and RENAME of a log table are allowed'), async () => {
    await c.query('RENAME TABLE mysql.general_log TO mysql.general_log_old, mysql.general_log_old TO mysql.general_log');
    await c.query("ALTER TABLE mysql.general_log COMMENT = 'General log'");
    const [rows] = await c.query<mysql.RowDataPacket[]>("SHOW TABLES FROM mysql LIKE 'general_log%'");
    expect(rows.map((r) => Object.values(r)[0])).toEqual(['general_log']);
  });
});
