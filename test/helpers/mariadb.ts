/**
 * A throwaway MariaDB 10.11 server for peer tests and benchmarks.
 *
 * MariaDB is the nearest real MySQL-protocol server that Debian ships, so the differential corpus,
 * the CLI tests and the benchmark use it as the reference peer. Each call creates a fresh data
 * directory under the OS temp dir, bootstraps it with `mariadb-install-db`, and runs `mariadbd`
 * with `--no-defaults` (so nothing in /etc/mysql leaks in) on 127.0.0.1 and a free port. Root has
 * an empty password and may log in over TCP from 127.0.0.1 (`--skip-name-resolve` makes that
 * account `root@127.0.0.1`, which the bootstrap creates).
 *
 * The session defaults are pushed towards MySQL 8.0's so results line up with refmysqld: MySQL
 * 8.0's default `sql_mode`, MEMORY as the default engine (refmysqld's only engine), utf8mb4.
 *
 * Cleanup is unconditional: `stop()` kills the server and removes the directory, a failed start
 * does the same before throwing, and a process-exit hook SIGKILLs anything still running so an
 * aborted test run never leaves a server behind.
 *
 * @spec https://mariadb.com/kb/en/mariadb-install-db/
 * @req CORE-PEER-001 CORE-PEER-006
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection, type Connection, type ConnectionOptions } from 'mysql2/promise';
import { registerPeerServer } from './observe.js';
import { freePort, findBinary } from './peers.js';

/** MySQL 8.0's default sql_mode; MariaDB 10.11 accepts every flag in it. @req CORE-PEER-006 */
export const MYSQL80_DEFAULT_SQL_MODE =
  'ONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION';

/** Binaries the peer needs (server side, bootstrap, command-line client, dump tool). */
export const MARIADB_BINARIES = ['mariadbd', 'mariadb-install-db', 'mariadb', 'mariadb-dump'] as const;

/** How long a fresh server may take to accept connections (bounded poll, not an assertion). */
const READY_POLL_INTERVAL_MS = 100;
const READY_POLL_ATTEMPTS = 600;
/** How long we wait for SIGTERM before SIGKILL on stop. */
const STOP_GRACE_MS = 10_000;

export interface MariaDbOptions {
  /** Server-wide sql_mode (default: MySQL 8.0's default). */
  sqlMode?: string;
  /** Default storage engine (default InnoDB: MySQL 8.0's default, and refmysqld's). */
  defaultEngine?: string;
  /** Turn the general query log on (file `general.log` in the server dir). */
  generalLog?: boolean;
  /** Extra mariadbd arguments. */
  extraArgs?: string[];
  /** Generate a throwaway self-signed certificate (openssl) and enable TLS (default true). */
  tls?: boolean;
}

export interface MariaDbPeer {
  host: '127.0.0.1';
  port: number;
  socketPath: string;
  /** Same as socketPath (the name the peer suites' brief uses). */
  socket: string;
  /** Root directory of this instance (data/, error.log, general.log, socket). */
  dir: string;
  datadir: string;
  pid: number;
  /** Path of the general query log (only written when `generalLog` was requested). */
  generalLogPath: string;
  /** Path of the server's error log. */
  errorLogPath: string;
  /** A mysql2 connection as root over TCP. */
  connect(options?: Partial<ConnectionOptions>): Promise<Connection>;
  /** Kill the server and remove its directory. Safe to call twice. */
  stop(): Promise<void>;
}

export interface PeerAvailability {
  ok: boolean;
  missing: string[];
  /** A one-line explanation suitable for a test failure message. */
  reason: string;
}

/** Which MariaDB binaries are present on this machine. */
export function peerAvailable(names: readonly string[] = MARIADB_BINARIES): PeerAvailability {
  const missing = names.filter((n) => findBinary(n) === null);
  const reason =
    missing.length === 0
      ? 'all MariaDB peer binaries present'
      : `MariaDB peer binaries missing: ${missing.join(', ')} — run scripts/install-peers.sh (as root) first`;
  return { ok: missing.length === 0, missing, reason };
}

/**
 * Throw a clear error when peer binaries are missing. The default CI run installs them, so their
 * absence is a setup failure, never a reason to skip silently.
 */
export function requirePeer(names: readonly string[] = MARIADB_BINARIES): void {
  const a = peerAvailable(names);
  if (!a.ok) throw new Error(a.reason);
}

const running = new Set<ChildProcess>();
const liveDirs = new Set<string>();
let exitHookInstalled = false;

/** If the test process exits without stop() (crash, timeout), kill the servers and remove their dirs. */
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const child of running) {
      try {
        child.kill('SIGKILL');
      } catch {
        /* already gone */
      }
    }
    for (const dir of liveDirs) rmSync(dir, { recursive: true, force: true });
  });
}

function tail(path: string, lines: number): string {
  try {
    return readFileSync(path, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Start a fresh MariaDB on 127.0.0.1; resolves once it answers a root login over TCP. */
export async function startMariaDb(options: MariaDbOptions = {}): Promise<MariaDbPeer> {
  requirePeer(['mariadbd', 'mariadb-install-db', ...((options.tls ?? true) ? ['openssl'] : [])]);
  installExitHook();
  const dir = mkdtempSync(join(tmpdir(), 'refmysql-mariadb-'));
  liveDirs.add(dir);
  // As root, both tools must be told to run as root (mariadbd refuses to otherwise); as any other
  // user they simply run as that user.
  const asRoot = process.getuid?.() === 0 ? ['--user=root'] : [];
  const datadir = join(dir, 'data');
  const socketPath = join(dir, 'mysqld.sock');
  const errorLog = join(dir, 'error.log');
  const generalLogPath = join(dir, 'general.log');
  let child: ChildProcess | undefined;

  const cleanup = async (): Promise<void> => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const c = child;
      const exited = new Promise<void>((r) => c.once('exit', () => r()));
      c.kill('SIGTERM');
      const timer = setTimeout(() => c.kill('SIGKILL'), STOP_GRACE_MS);
      await exited;
      clearTimeout(timer);
    }
    if (child) running.delete(child);
    rmSync(dir, { recursive: true, force: true });
    liveDirs.delete(dir);
  };

  try {
    // Small redo log: the default (96M) makes every throwaway instance cost 100+ MB of disk.
    const install = spawnSync(
      'mariadb-install-db',
      [
        '--no-defaults',
        ...asRoot,
        `--datadir=${datadir}`,
        '--auth-root-authentication-method=normal',
        '--skip-test-db',
        '--skip-name-resolve',
        '--innodb-log-file-size=4M',
      ],
      { encoding: 'utf8', timeout: 120_000 },
    );
    if (install.status !== 0) {
      throw new Error(`mariadb-install-db failed (${install.status}): ${install.stderr}\n${install.stdout}`);
    }
    const tlsArgs: string[] = [];
    if (options.tls ?? true) {
      // A one-day self-signed certificate so clients can test `--ssl` against the peer too.
      const key = join(dir, 'tls-key.pem');
      const cert = join(dir, 'tls-cert.pem');
      const gen = spawnSync(
        'openssl',
        ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=refmysql-mariadb-peer'],
        { encoding: 'utf8', timeout: 60_000 },
      );
      if (gen.status !== 0) throw new Error(`openssl could not create a test certificate: ${gen.stderr}`);
      tlsArgs.push(`--ssl-cert=${cert}`, `--ssl-key=${key}`);
    }
    const port = await freePort();
    const args = [
      '--no-defaults',
      ...asRoot,
      `--datadir=${datadir}`,
      `--socket=${socketPath}`,
      `--pid-file=${join(dir, 'mysqld.pid')}`,
      `--log-error=${errorLog}`,
      `--port=${port}`,
      '--bind-address=127.0.0.1',
      '--skip-name-resolve',
      '--skip-log-bin',
      '--innodb-log-file-size=4M',
      '--innodb-buffer-pool-size=32M',
      '--max-connections=200',
      // Fuzz and CLI tests make many aborted logins; never let MariaDB block 127.0.0.1 for it.
      '--max-connect-errors=1000000',
      '--max-heap-table-size=64M',
      '--character-set-server=utf8mb4',
      '--collation-server=utf8mb4_general_ci',
      `--default-storage-engine=${options.defaultEngine ?? 'InnoDB'}`,
      `--sql-mode=${options.sqlMode ?? MYSQL80_DEFAULT_SQL_MODE}`,
      ...tlsArgs,
      ...(options.generalLog ? ['--general-log=1', `--general-log-file=${generalLogPath}`] : []),
      ...(options.extraArgs ?? []),
    ];
    const c = spawn(findBinary('mariadbd') ?? 'mariadbd', args, { stdio: ['ignore', 'ignore', 'ignore'] });
    child = c;
    running.add(c);
    let exited = false;
    c.once('exit', () => {
      exited = true;
    });
    let ready = false;
    for (let i = 0; i < READY_POLL_ATTEMPTS && !exited; i++) {
      try {
        const conn = await createConnection({ host: '127.0.0.1', port, user: 'root', password: '' });
        await conn.query('SELECT 1');
        await conn.query('CREATE DATABASE IF NOT EXISTS test');
        await conn.end();
        ready = true;
        break;
      } catch {
        await sleep(READY_POLL_INTERVAL_MS);
      }
    }
    if (!ready) {
      throw new Error(`mariadbd did not become ready on 127.0.0.1:${port}:\n${tail(errorLog, 30)}`);
    }
    const pid = c.pid ?? -1;
    // Traffic with this server counts as peer involvement in the conformance matrix (TRACE-014).
    registerPeerServer('mariadbd', port);
    let stopped: Promise<void> | undefined;
    return {
      host: '127.0.0.1',
      port,
      socketPath,
      socket: socketPath,
      dir,
      datadir,
      pid,
      generalLogPath,
      errorLogPath: errorLog,
      connect: (extra: Partial<ConnectionOptions> = {}) =>
        createConnection({ host: '127.0.0.1', port, user: 'root', password: '', ...extra }),
      stop: () => (stopped ??= cleanup()),
    };
  } catch (err) {
    await cleanup();
    throw err;
  }
}

/** True when a directory from a previous instance still exists (for cleanup tests). */
export function peerDirExists(dir: string): boolean {
  return existsSync(dir);
}
