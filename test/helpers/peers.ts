/**
 * Shared plumbing for tests that drive real external programs (MariaDB, its CLI tools, sysbench)
 * against refmysqld: free loopback ports, binary lookup, bounded child-process runs, and a
 * uniform "server under test" handle that is either a refmysqld started by the server helper's
 * `startTestServer()` or an already running server named by environment variables.
 *
 * Environment:
 * - `REFMYSQL_PORT` (and optionally `REFMYSQL_SOCKET`): use an already running refmysqld instead
 *   of starting one; lets the peer suites run against a server started by hand.
 * - `PEER_TARGET=mariadb`: run the refmysqld-side suites against a second MariaDB instead (used
 *   to validate the suites themselves while refmysqld is still incomplete).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/programs.html
 * @req CORE-PEER-001 CORE-PEER-002
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';
import { createConnection, type Connection, type ConnectionOptions } from 'mysql2/promise';

/** Loopback only: every peer test talks to 127.0.0.1. */
export const LOOPBACK = '127.0.0.1';

/** Ask the kernel for a TCP port that is free right now on `host` (default 127.0.0.1). */
export function freePort(host: string = LOOPBACK): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, host, () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Absolute path of an executable on PATH (plus the sbin dirs, where mariadbd lives), or null. */
export function findBinary(name: string): string | null {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin', '/sbin'];
  for (const d of dirs) {
    if (!d) continue;
    const p = join(d, name);
    try {
      accessSync(p, constants.X_OK);
      return p;
    } catch {
      /* keep looking */
    }
  }
  return null;
}

export interface CommandResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Run a program with optional stdin, bounded by a timeout (killed with SIGKILL when exceeded). */
export function runCommand(
  cmd: string,
  args: readonly string[],
  opts: { input?: string; timeoutMs?: number; env?: NodeJS.ProcessEnv } = {},
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, [...args], { stdio: ['pipe', 'pipe', 'pipe'], env: opts.env ?? process.env });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 60_000);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({
        code,
        signal,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
    child.stdin.on('error', () => {
      /* the program may exit before reading all of stdin */
    });
    child.stdin.end(opts.input ?? '');
  });
}

/** A MySQL-protocol server under test, reachable on 127.0.0.1. */
export interface ServerTarget {
  /** 'refmysqld' or 'mariadb' (what is really listening). */
  kind: 'refmysqld' | 'mariadb';
  host: string;
  port: number;
  /** Unix socket path when the server has one. */
  socketPath?: string;
  connect(options?: Partial<ConnectionOptions>): Promise<Connection>;
  stop(): Promise<void>;
  /** The server's error log so far, when the harness can see it ('' otherwise). */
  errorLogText(): string;
}

/** The part of test/helpers/server.ts that the peer suites rely on. */
interface TestServerLike {
  port: number;
  socketPath?: string;
  stop(): Promise<void> | void;
  /** Optional ways a test server may expose its error log. */
  logLines?: string[];
  errorLogPath?: string;
  logPath?: string;
  errorLog?: () => string;
}

function readText(path: string | undefined): string {
  if (!path) return '';
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

function isTestServerLike(v: unknown): v is TestServerLike {
  return typeof v === 'object' && v !== null && typeof (v as { port?: unknown }).port === 'number' &&
    typeof (v as { stop?: unknown }).stop === 'function';
}

function targetFor(
  kind: ServerTarget['kind'],
  port: number,
  socketPath: string | undefined,
  stop: () => Promise<void>,
  errorLogText: () => string = () => '',
): ServerTarget {
  return {
    kind,
    host: LOOPBACK,
    port,
    ...(socketPath ? { socketPath } : {}),
    connect: (extra: Partial<ConnectionOptions> = {}) =>
      createConnection({ host: LOOPBACK, port, user: 'root', password: '', ...extra }),
    stop,
    errorLogText,
  };
}

/**
 * Start (or attach to) the refmysqld under test.
 *
 * The server helper's module is loaded lazily by path so this file compiles and the MariaDB-only
 * parts of the peer suites run even before `test/helpers/server.ts` exists.
 */
export async function startRefTarget(): Promise<ServerTarget> {
  if (process.env.PEER_TARGET === 'mariadb') {
    const { startMariaDb } = await import('./mariadb.js');
    const m = await startMariaDb();
    return targetFor('mariadb', m.port, m.socketPath, () => m.stop(), () => readText(m.errorLogPath));
  }
  const envPort = process.env.REFMYSQL_PORT;
  if (envPort) {
    return targetFor('refmysqld', Number(envPort), process.env.REFMYSQL_SOCKET, async () => {});
  }
  const modPath = './server.js';
  let mod: unknown;
  try {
    mod = await import(modPath);
  } catch (e) {
    throw new Error(`test/helpers/server.ts is not available yet (${String(e)}); set REFMYSQL_PORT or PEER_TARGET=mariadb`);
  }
  const start = (mod as { startTestServer?: unknown }).startTestServer;
  if (typeof start !== 'function') throw new Error('test/helpers/server.ts does not export startTestServer()');
  const srv: unknown = await (start as () => Promise<unknown>)();
  if (!isTestServerLike(srv)) throw new Error('startTestServer() returned no {port, stop}');
  const logText = (): string =>
    Array.isArray(srv.logLines)
      ? srv.logLines.join('\n')
      : typeof srv.errorLog === 'function'
        ? srv.errorLog()
        : readText(srv.errorLogPath ?? srv.logPath);
  return targetFor(
    'refmysqld',
    srv.port,
    srv.socketPath,
    async () => {
      await srv.stop();
    },
    logText,
  );
}

/** Base arguments for the Debian `mariadb`/`mariadb-dump` clients talking TCP to a target. */
export function cliTcpArgs(target: { port: number }): string[] {
  return ['--no-defaults', `-h${LOOPBACK}`, `-P${target.port}`, '-uroot', '--protocol=TCP'];
}

/** Run the Debian `mariadb` client in batch mode against a target over TCP. */
export function mariadbCli(
  target: { port: number },
  args: readonly string[],
  input?: string,
): Promise<CommandResult> {
  return runCommand('mariadb', [...cliTcpArgs(target), '--batch', ...args], {
    ...(input === undefined ? {} : { input }),
    timeoutMs: 60_000,
  });
}
