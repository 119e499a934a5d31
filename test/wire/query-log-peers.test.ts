/**
 * The logs, FLUSH, COM_REFRESH and HELP as the Debian MariaDB client programs use them against
 * refmysqld: mariadb-admin (COM_REFRESH for `refresh`, FLUSH statements for the flush-*
 * commands), mariadb-dump --all-databases (which reads the log tables' definitions), and the
 * mariadb client (`use` is COM_INIT_DB; `help` asks the server).
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type mysql from 'mysql2/promise';
import { requirePeer } from '../helpers/mariadb.js';
import { cliTcpArgs, mariadbCli, runCommand } from '../helpers/peers.js';
import { req } from '../helpers/req.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let srv: TestServer;
let c: mysql.Connection;
let logPath = '';
let ownId = 0;

/** [command, argument] of the general log lines written by `run`. */
async function loggedBy(run: () => Promise<unknown>): Promise<Array<[string, string]>> {
  const before = readFileSync(logPath, 'utf8').length;
  await run();
  // The program has exited; once its connection has left the process list its Quit is logged.
  for (let i = 0; ; i++) {
    const [rows] = await c.query<mysql.RowDataPacket[]>('SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE ID <> CONNECTION_ID() AND USER <> \'event_scheduler\'');
    if (Number(rows[0]!['n']) === 0) break;
    if (i > 500) throw new Error('the client connection did not end');
  }
  const added = readFileSync(logPath, 'utf8').slice(before);
  const out: Array<[string, string]> = [];
  for (const line of added.split('\n')) {
    const m = /^\S+\t([ \d]{5}) ([A-Za-z ]+)\t(.*)$/.exec(line);
    // The test's own connection's lines (the process list polling) are left out.
    if (m && Number(m[1]) !== ownId) out.push([m[2]!, m[3]!]);
  }
  return out;
}

function admin(...args: string[]): ReturnType<typeof runCommand> {
  return runCommand('mariadb-admin', [...cliTcpArgs(srv), ...args], { timeoutMs: 30_000 });
}

beforeAll(async () => {
  requirePeer(['mariadb', 'mariadb-admin', 'mariadb-dump']);
  srv = await startTestServer();
  c = await srv.connect({ socket: true });
  await c.query("CREATE USER 'plain'@'localhost', 'plain'@'127.0.0.1'");
  await c.query("GRANT SELECT ON *.* TO 'plain'@'localhost', 'plain'@'127.0.0.1'");
  await c.query('CREATE DATABASE peerdb');
  await c.query('SET GLOBAL general_log = ON');
  const [r] = await c.query<mysql.RowDataPacket[]>('SELECT @@general_log_file AS f, CONNECTION_ID() AS id');
  logPath = String(r[0]!['f']);
  ownId = Number(r[0]!['id']);
});

afterAll(async () => {
  await c?.query('SET GLOBAL general_log = OFF');
  await c?.end();
  await srv?.stop();
});

describe('mariadb-admin', () => {
  it(req(['CORE-LOG-020#ok', 'CORE-LOG-003#refresh'], 'peer', 'mariadb-admin refresh sends COM_REFRESH: OK, a Refresh line, the log file reopened'), async () => {
    const headersBefore = readFileSync(logPath, 'utf8').split('Time                 Id Command    Argument').length;
    let r: Awaited<ReturnType<typeof admin>> | undefined;
    const lines = await loggedBy(async () => {
      r = await admin('refresh');
    });
    expect([r!.code, r!.stderr]).toEqual([0, '']);
    expect(lines.map(([cmd]) => cmd)).toContain('Refresh');
    // REFRESH_LOG is among the bits: the file was reopened and got a new header.
    expect(readFileSync(logPath, 'utf8').split('Time                 Id Command    Argument').length).toBe(headersBefore + 1);
  });

  it(req(['CORE-LOG-003#statistics'], 'peer', 'mariadb-admin status sends COM_STATISTICS: a Statistics line'), async () => {
    let r: Awaited<ReturnType<typeof admin>> | undefined;
    const lines = await loggedBy(async () => {
      r = await admin('status');
    });
    expect(r!.code).toBe(0);
    expect(r!.stdout).toMatch(/^Uptime: \d+  Threads: \d+  Questions: \d+  Slow queries: \d+ /);
    expect(lines.map(([cmd]) => cmd)).toEqual(['Connect', 'Statistics', 'Quit']);
  });

  it(req(['CORE-LOG-020#e1227'], 'peer', 'COM_REFRESH without RELOAD fails with 1227'), async () => {
    const r = await runCommand('mariadb-admin', [...cliTcpArgs(srv), '-uplain', 'refresh'], { timeoutMs: 30_000 });
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('Access denied; you need (at least one of) the RELOAD privilege(s) for this operation');
  });

  it(req(['CORE-LOG-021#forms', 'CORE-LOG-024#ok'], 'peer', 'flush-logs, flush-status, flush-hosts, flush-privileges, flush-tables and the single-log flushes succeed'), async () => {
    for (const cmd of ['flush-logs', 'flush-status', 'flush-hosts', 'flush-privileges', 'flush-tables', 'flush-general-log', 'flush-slow-log', 'flush-error-log', 'flush-engine-log', 'flush-binary-log', 'flush-relay-log']) {
      const r = await admin(cmd);
      expect([cmd, r.code, r.stderr]).toEqual([cmd, 0, '']);
    }
  });
});

describe('mariadb-dump and mariadb', () => {
  it(req(['CORE-LOG-025#dump'], 'peer', 'mariadb-dump --all-databases completes and includes the log tables'), async () => {
    const r = await runCommand('mariadb-dump', [...cliTcpArgs(srv), '--all-databases'], { timeoutMs: 60_000 });
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toContain("CREATE TABLE IF NOT EXISTS `general_log` (\n  `event_time` timestamp(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),");
    expect(r.stdout).toContain(") ENGINE=CSV DEFAULT CHARSET=utf8mb3 COMMENT='Slow log';");
    expect(r.stdout).toMatch(/-- Dump completed/);
  });

  it(req(['CORE-LOG-003#init-db', 'CORE-LOG-003#connect', 'CORE-LOG-003#quit'], 'peer', 'the mariadb client: Connect, Init DB for `use`, Query, Quit'), async () => {
    let out = '';
    const lines = await loggedBy(async () => {
      const r = await mariadbCli(srv, ['-e', 'use peerdb; SELECT DATABASE() AS db']);
      expect(r.code).toBe(0);
      out = r.stdout;
    });
    expect(out).toBe('db\npeerdb\n');
    expect(lines[0]![0]).toBe('Connect');
    expect(lines[0]![1]).toMatch(/^root@localhost on  using (SSL\/TLS|TCP\/IP)$/);
    const initDb = lines.findIndex(([cmd, arg]) => cmd === 'Init DB' && arg === 'peerdb');
    const select = lines.findIndex(([cmd, arg]) => cmd === 'Query' && arg === 'SELECT DATABASE() AS db');
    expect(initDb).toBeGreaterThan(0);
    expect(select).toBeGreaterThan(initDb);
    expect(lines.at(-1)).toEqual(['Quit', '']);
  });

  it(req(['CORE-LOG-030#empty'], 'peer', "the mariadb client's `help contents` asks the server and gets an empty answer"), async () => {
    let r: Awaited<ReturnType<typeof mariadbCli>> | undefined;
    const lines = await loggedBy(async () => {
      r = await mariadbCli(srv, ['-e', 'help contents']);
    });
    // The client sends HELP 'contents'; an empty result is "Nothing found", which batch mode
    // does not print; an error would be printed and end the client with status 1.
    expect([r!.code, r!.stdout, r!.stderr]).toEqual([0, '', '']);
    expect(lines).toContainEqual(['Query', "help 'contents'"]);
  });
});
