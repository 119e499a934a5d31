/**
 * bench/lib/servers.mjs — refmysqld and a throwaway MariaDB as child processes for the bench
 * scripts: fresh temporary data directories (removed at exit), loopback ports, and a wait until
 * the server accepts a login.
 *
 * @spec https://mariadb.com/kb/en/mariadbd-options/
 * @req CORE-PEER-008
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { freePort, killOnCleanup, onCleanup, sleep } from './harness.mjs';

/** MySQL 8.0's default sql_mode, given to MariaDB so both servers judge statements alike. */
export const MYSQL80_SQL_MODE =
  'ONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION';
/** Bounds for waiting on a server to come up (not measurements). */
const READY_ATTEMPTS = 600;
const READY_INTERVAL_MS = 100;

export async function waitForLogin(port, child, label, logTail) {
  for (let i = 0; i < READY_ATTEMPTS; i++) {
    if (child.exitCode !== null) break;
    try {
      const c = await mysql.createConnection({ host: '127.0.0.1', port, user: 'root', password: '' });
      await c.end();
      return;
    } catch {
      await sleep(READY_INTERVAL_MS);
    }
  }
  throw new Error(`${label} did not accept connections on 127.0.0.1:${port}\n${logTail()}`);
}

/** Start `node [nodeArgs] serverMain` on a new data directory with `args` added to the usual ones. */
export async function startRefmysqld(serverMain, args = [], label = 'refmysqld', nodeArgs = []) {
  const dir = mkdtempSync(join(tmpdir(), 'refmysql-bench-ref-'));
  onCleanup(() => rmSync(dir, { recursive: true, force: true }));
  const port = await freePort();
  const argv = [
    ...nodeArgs,
    serverMain,
    '--no-defaults',
    `--datadir=${join(dir, 'data')}`,
    `--port=${port}`,
    '--bind-address=127.0.0.1',
    `--socket=${join(dir, 'mysqld.sock')}`,
    '--max-connections=200',
    ...args,
  ];
  const lines = [];
  const child = spawn(process.execPath, argv, { stdio: ['ignore', 'ignore', 'pipe'] });
  killOnCleanup(child);
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (t) => lines.push(...t.split('\n')));
  await waitForLogin(port, child, label, () => lines.slice(-20).join('\n'));
  return { label, port, child, datadir: join(dir, 'data'), stop: () => child.kill('SIGTERM') };
}

/** Install and start a MariaDB on a new data directory with `args` added to the usual ones. */
export async function startMariaDb(args = []) {
  const dir = mkdtempSync(join(tmpdir(), 'refmysql-bench-mariadb-'));
  onCleanup(() => rmSync(dir, { recursive: true, force: true }));
  const datadir = join(dir, 'data');
  const asRoot = process.getuid?.() === 0 ? ['--user=root'] : [];
  const inst = spawnSync(
    'mariadb-install-db',
    ['--no-defaults', ...asRoot, `--datadir=${datadir}`, '--auth-root-authentication-method=normal', '--skip-test-db', '--skip-name-resolve', '--innodb-log-file-size=4M'],
    { encoding: 'utf8' },
  );
  if (inst.status !== 0) throw new Error(`mariadb-install-db failed: ${inst.stderr || inst.error}`);
  const port = await freePort();
  const errorLog = join(dir, 'error.log');
  const child = spawn(
    '/usr/sbin/mariadbd',
    [
      '--no-defaults', ...asRoot, `--datadir=${datadir}`, `--socket=${join(dir, 'mysqld.sock')}`,
      `--pid-file=${join(dir, 'mysqld.pid')}`, `--log-error=${errorLog}`, `--port=${port}`,
      '--bind-address=127.0.0.1', '--skip-name-resolve', '--skip-log-bin', '--innodb-log-file-size=4M',
      '--max-connections=200', `--sql-mode=${MYSQL80_SQL_MODE}`,
      '--character-set-server=utf8mb4', '--collation-server=utf8mb4_general_ci',
      ...args,
    ],
    { stdio: 'ignore' },
  );
  killOnCleanup(child);
  await waitForLogin(port, child, 'mariadbd', () => spawnSync('tail', ['-20', errorLog], { encoding: 'utf8' }).stdout);
  return { label: 'MariaDB', port, child, datadir, stop: () => child.kill('SIGTERM') };
}
