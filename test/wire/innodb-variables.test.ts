/**
 * InnoDB's system variables through mysql2: `@@innodb_*` reads, SET GLOBAL / SET SESSION and
 * their errors and warnings, SHOW VARIABLES, and startup options (a page size given as 8k, and
 * a page size InnoDB cannot use stopping the server with its error-log lines).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import type { Connection } from 'mysql2/promise';
import { req } from '../helpers/req.js';
import { initializedDatadirWith, initializedDatadir, SERVER_MAIN, startTestServer, type TestServer } from '../helpers/server.js';
import { ErrorLog } from '../../src/server/error-log.js';
import { isRunning, startServer } from '../../src/server/server.js';
import { StartupError } from '../../src/server/datadir.js';

let srv: TestServer;
let conn: Connection;
const extraServers: TestServer[] = [];
const extraParents: string[] = [];
const parents: string[] = [];

beforeAll(async () => {
  srv = await startTestServer();
  conn = await srv.connect();
});

afterAll(async () => {
  await conn?.end().catch(() => undefined);
  await srv?.stop();
  for (const s of extraServers) await s.stop();
  for (const p of extraParents) rmSync(p, { recursive: true, force: true });
  for (const p of parents) rmSync(p, { recursive: true, force: true });
});

type Rows = Array<Record<string, unknown>>;

/** One row of a query, every value as text (mysql2 returns numbers for BIGINT columns). */
async function row(c: Connection, sql: string): Promise<Record<string, string | null>> {
  const [rows] = await c.query(sql);
  const r = (rows as Rows)[0]!;
  return Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v === null ? null : String(v)]));
}

async function sqlError(c: Connection, sql: string): Promise<{ errno: number; message: string }> {
  try {
    await c.query(sql);
  } catch (err) {
    const e = err as { errno: number; sqlMessage: string };
    return { errno: e.errno, message: e.sqlMessage };
  }
  throw new Error(`expected an error from ${sql}`);
}

describe('InnoDB variables over the wire', () => {
  it(req(['INNODB-LIMIT-022', 'INNODB-VAR-101'], 'wire', '@@innodb_page_size is 16384 and read-only'), async () => {
    expect(await row(conn, 'SELECT @@innodb_page_size AS p, @@global.innodb_page_size AS g')).toEqual({ p: '16384', g: '16384' });
    expect(await sqlError(conn, 'SET GLOBAL innodb_page_size = 8192')).toEqual({ errno: 1238, message: "Variable 'innodb_page_size' is a read only variable" });
  });

  it(req(['INNODB-REC-030'], 'wire', '@@innodb_directories is NULL by default, and read-only'), async () => {
    expect(await row(conn, 'SELECT @@innodb_directories IS NULL AS n, @@innodb_data_home_dir IS NULL AS h, @@innodb_undo_directory AS u')).toEqual({ n: '1', h: '1', u: './' });
    expect(await sqlError(conn, "SET GLOBAL innodb_directories = '/tmp'")).toEqual({ errno: 1238, message: "Variable 'innodb_directories' is a read only variable" });
  });

  it(req(['INNODB-FORCE-011'], 'wire', '@@innodb_force_recovery is 0 and SET GLOBAL refuses it as read-only'), async () => {
    expect(await row(conn, 'SELECT @@innodb_force_recovery AS f')).toEqual({ f: '0' });
    expect(await sqlError(conn, 'SET GLOBAL innodb_force_recovery = 1')).toEqual({ errno: 1238, message: "Variable 'innodb_force_recovery' is a read only variable" });
    expect(await sqlError(conn, 'SET SESSION innodb_force_recovery = 1')).toEqual({ errno: 1238, message: "Variable 'innodb_force_recovery' is a read only variable" });
    expect(await row(conn, 'SELECT @@innodb_force_recovery AS f')).toEqual({ f: '0' });
  });

  it(req(['INNODB-BAK-004'], 'wire', 'SET GLOBAL innodb_fast_shutdown = 0 is accepted (slow shutdown); 3 is clamped to 2'), async () => {
    expect(await row(conn, 'SELECT @@innodb_fast_shutdown AS f')).toEqual({ f: '1' });
    await conn.query('SET GLOBAL innodb_fast_shutdown = 0');
    expect(await row(conn, 'SELECT @@global.innodb_fast_shutdown AS f')).toEqual({ f: '0' });
    await conn.query('SET GLOBAL innodb_fast_shutdown = 3');
    const [w] = await conn.query('SHOW WARNINGS');
    expect(w).toEqual([{ Level: 'Warning', Code: 1292, Message: "Truncated incorrect innodb_fast_shutdown value: '3'" }]);
    expect(await row(conn, 'SELECT @@global.innodb_fast_shutdown AS f')).toEqual({ f: '2' });
    expect(await sqlError(conn, 'SET SESSION innodb_fast_shutdown = 0')).toEqual({
      errno: 1229,
      message: "Variable 'innodb_fast_shutdown' is a GLOBAL variable and should be set with SET GLOBAL",
    });
    await conn.query('SET GLOBAL innodb_fast_shutdown = DEFAULT');
    expect(await row(conn, 'SELECT @@global.innodb_fast_shutdown AS f')).toEqual({ f: '1' });
  });

  it(req(['INNODB-VAR-102', 'INNODB-ERR-004'], 'wire', 'SET SESSION innodb_lock_wait_timeout = 1 is visible in the session only'), async () => {
    const other = await srv.connect();
    try {
      await conn.query('SET SESSION innodb_lock_wait_timeout = 1');
      expect(await row(conn, 'SELECT @@innodb_lock_wait_timeout AS s, @@session.innodb_lock_wait_timeout AS ss, @@global.innodb_lock_wait_timeout AS g')).toEqual({ s: '1', ss: '1', g: '50' });
      expect(await row(other, 'SELECT @@innodb_lock_wait_timeout AS s')).toEqual({ s: '50' });
      await conn.query('SET SESSION innodb_lock_wait_timeout = DEFAULT');
      expect(await row(conn, 'SELECT @@innodb_lock_wait_timeout AS s')).toEqual({ s: '50' });
    } finally {
      await other.end();
    }
  });

  it(req(['INNODB-MON-011', 'INNODB-MON-010', 'INNODB-VAR-101'], 'wire', '@@innodb_adaptive_hash_index_parts is 8; the I/O thread counts are 4'), async () => {
    expect(await row(conn, 'SELECT @@innodb_adaptive_hash_index_parts AS p, @@innodb_read_io_threads AS r, @@innodb_write_io_threads AS w')).toEqual({ p: '8', r: '4', w: '4' });
  });

  it(req(['INNODB-TRBL-002'], 'wire', 'SET GLOBAL innodb_print_all_deadlocks = ON is accepted'), async () => {
    await conn.query('SET GLOBAL innodb_print_all_deadlocks = ON');
    expect(await row(conn, 'SELECT @@global.innodb_print_all_deadlocks AS d')).toEqual({ d: '1' });
    const [rows] = await conn.query("SHOW GLOBAL VARIABLES LIKE 'innodb_print_all_deadlocks'");
    expect(rows).toEqual([{ Variable_name: 'innodb_print_all_deadlocks', Value: 'ON' }]);
    await conn.query('SET GLOBAL innodb_print_all_deadlocks = OFF');
  });

  it(req(['INNODB-VAR-101'], 'wire', "SHOW VARIABLES LIKE 'innodb%' lists them sorted, with MySQL's display values"), async () => {
    const [rows] = await conn.query("SHOW VARIABLES LIKE 'innodb%'");
    const list = rows as Array<{ Variable_name: string; Value: string }>;
    const names = list.map((r) => r.Variable_name);
    expect(names).toEqual([...names].sort());
    expect(names.length).toBeGreaterThanOrEqual(50);
    const value = Object.fromEntries(list.map((r) => [r.Variable_name, r.Value]));
    expect({
      innodb_version: value.innodb_version,
      innodb_directories: value.innodb_directories,
      innodb_default_row_format: value.innodb_default_row_format,
      innodb_buffer_pool_size: value.innodb_buffer_pool_size,
      innodb_buffer_pool_instances: value.innodb_buffer_pool_instances,
      innodb_max_dirty_pages_pct: value.innodb_max_dirty_pages_pct,
      innodb_file_per_table: value.innodb_file_per_table,
      innodb_strict_mode: value.innodb_strict_mode,
      innodb_data_file_path: value.innodb_data_file_path,
      innodb_redo_log_capacity: value.innodb_redo_log_capacity,
      innodb_flush_log_at_trx_commit: value.innodb_flush_log_at_trx_commit,
      innodb_doublewrite: value.innodb_doublewrite,
      innodb_autoinc_lock_mode: value.innodb_autoinc_lock_mode,
    }).toEqual({
      innodb_version: '8.0.40',
      innodb_directories: '',
      innodb_default_row_format: 'dynamic',
      innodb_buffer_pool_size: '134217728',
      innodb_buffer_pool_instances: '1',
      innodb_max_dirty_pages_pct: '90.000000',
      innodb_file_per_table: 'ON',
      innodb_strict_mode: 'ON',
      innodb_data_file_path: 'ibdata1:12M:autoextend',
      innodb_redo_log_capacity: '104857600',
      innodb_flush_log_at_trx_commit: '1',
      innodb_doublewrite: 'ON',
      innodb_autoinc_lock_mode: '2',
    });
    expect(names.some((n) => n.startsWith('innodb_api_') || n === 'innodb_support_xa')).toBe(false);
  });

  it(req(['INNODB-VAR-103', 'INNODB-VAR-106'], 'wire', 'SET GLOBAL checks: buffer pool rounding warns 1292, doublewrite on/off needs a restart (1210)'), async () => {
    await conn.query('SET GLOBAL innodb_buffer_pool_size = 200 * 1024 * 1024');
    const [w] = await conn.query('SHOW WARNINGS');
    expect(w).toEqual([{ Level: 'Warning', Code: 1292, Message: "Truncated incorrect innodb_buffer_pool_size value: '209715200'" }]);
    expect(await row(conn, 'SELECT @@innodb_buffer_pool_size AS s')).toEqual({ s: '268435456' });
    await conn.query('SET GLOBAL innodb_buffer_pool_size = DEFAULT');
    expect(await row(conn, 'SELECT @@innodb_buffer_pool_size AS s')).toEqual({ s: '134217728' });
    expect(await sqlError(conn, 'SET GLOBAL innodb_doublewrite = OFF')).toEqual({
      errno: 1210,
      message: 'Incorrect arguments to InnoDB: cannot change doublewrite mode to OFF if doublewrite is enabled. Please shutdown and change value to OFF',
    });
    expect(await sqlError(conn, "SET GLOBAL innodb_default_row_format = 'compressed'")).toEqual({
      errno: 1231,
      message: "Variable 'innodb_default_row_format' can't be set to the value of 'compressed'",
    });
  });
});

describe('InnoDB startup options', () => {
  it(req(['INNODB-LIMIT-022', 'INNODB-FORCE-011', 'INNODB-VAR-101'], 'wire', "a server started with innodb_page_size=8k reports 8192; options set read-only variables"), async () => {
    // The page size is fixed when InnoDB's files are created: at initialisation.
    const fresh = await initializedDatadirWith(['--innodb-page-size=8k']);
    extraParents.push(fresh.parent);
    const s = await startTestServer({ datadir: fresh.datadir, options: { 'innodb-page-size': '8k', 'innodb-force-recovery': 1, 'innodb_directories': '/srv/a;/srv/b', 'innodb-rollback-on-timeout': true } });
    extraServers.push(s);
    const c = await s.connect();
    try {
      expect(await row(c, 'SELECT @@innodb_page_size AS p, @@innodb_force_recovery AS f, @@innodb_directories AS d, @@innodb_rollback_on_timeout AS r')).toEqual({
        p: '8192',
        f: '1',
        d: '/srv/a;/srv/b',
        r: '1',
      });
    } finally {
      await c.end();
    }
  });

  it(req(['INNODB-LIMIT-022'], 'unit', 'a page size that is not a power of two (12k) stops the server at startup'), async () => {
    const { parent, datadir } = await initializedDatadir();
    parents.push(parent);
    const log = ErrorLog.memory();
    let error: unknown = null;
    try {
      const out = await startServer({ argv: ['--no-defaults', `--datadir=${datadir}`, '--port=0', '--mysqlx=OFF', '--innodb-page-size=12k'], log, program: SERVER_MAIN });
      if (isRunning(out)) await out.stop();
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(StartupError);
    expect((error as Error).message).toBe("Error while setting value '12k' to 'innodb_page_size'.");
    expect(log.captured.slice(-2).map((l) => l.replace(/^\S+ /, ''))).toEqual([
      "0 [ERROR] [MY-000077] [Server] Error while setting value '12k' to 'innodb_page_size'.",
      '0 [ERROR] [MY-010119] [Server] Aborting',
    ]);
    expect(log.captured.some((l) => l.includes('ready for connections'))).toBe(false);
  });
});
