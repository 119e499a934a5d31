/**
 * Test servers: {@link startTestServer} runs refmysqld in-process on 127.0.0.1 with an ephemeral
 * port and a fresh temporary data directory; {@link spawnServer} runs the built binary
 * (`node dist/src/server/main.js`) as a child process, for signal, kill -9 and startup-failure tests.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/mysqld.html
 * @req CORE-SRV-001
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import mysql from 'mysql2/promise';
import { ErrorLog } from '../../src/server/error-log.js';
import { isRunning, startServer, type RunningServer } from '../../src/server/server.js';
import { dirHasFiles } from '../../src/server/datadir.js';
import type { PluginModule } from '../../src/plugins/registry.js';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const SERVER_MAIN = join(REPO_ROOT, 'dist', 'src', 'server', 'main.js');

/** Safety net for waits on child processes; tests never assert on time. */
const WAIT_LIMIT_MS = 60_000;

export type ConnectOptions = Omit<mysql.ConnectionOptions, 'host' | 'port'> & { socket?: boolean };

export interface TestServer {
  port: number;
  socketPath: string;
  datadir: string;
  server: RunningServer;
  /** Error-log lines written so far. */
  logLines: string[];
  stop(): Promise<void>;
  /** A mysql2 promise connection as root (no password) unless options say otherwise. */
  connect(opts?: ConnectOptions): Promise<mysql.Connection>;
}

function optionArgs(options: Record<string, string | number | boolean> = {}): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(options)) {
    if (v === true) out.push(`--${k}`);
    else if (v === false) out.push(`--skip-${k}`);
    else out.push(`--${k}=${v}`);
  }
  return out;
}

/** A fresh temporary directory path (not created) for a data directory. */
export function tempDatadir(): { parent: string; datadir: string } {
  const parent = mkdtempSync(join(tmpdir(), 'refmysql-t-'));
  return { parent, datadir: join(parent, 'data') };
}

let template: Promise<string> | null = null;

/**
 * An initialised data directory (root without password) copied from a per-process template, so
 * that tests do not pay for TLS/RSA key generation each time. auto.cnf is left out: each copy
 * gets its own server_uuid on first start, as a copied MySQL datadir does.
 */
export async function initializedDatadir(): Promise<{ parent: string; datadir: string }> {
  const src = await templateDatadir();
  const dst = tempDatadir();
  cpSync(src, dst.datadir, { recursive: true, filter: (f) => !f.endsWith('/auto.cnf') });
  return dst;
}

/**
 * A data directory initialised (root without password) with `options` given to
 * `--initialize-insecure`, such as `--innodb-page-size=8k`: the page size is fixed when InnoDB's
 * files, the data dictionary's tablespaces among them, are created, as in MySQL.
 */
export async function initializedDatadirWith(options: readonly string[]): Promise<{ parent: string; datadir: string }> {
  const d = tempDatadir();
  const outcome = await startServer({ argv: ['--no-defaults', `--datadir=${d.datadir}`, '--initialize-insecure', ...options], log: ErrorLog.memory(), program: SERVER_MAIN });
  if (isRunning(outcome)) throw new Error('initialisation started a server');
  return d;
}

/** The per-process template datadir (initialised once with --initialize-insecure). */
function templateDatadir(): Promise<string> {
  if (!template) {
    template = (async () => {
      const t = tempDatadir();
      process.once('exit', () => rmSync(t.parent, { recursive: true, force: true }));
      const outcome = await startServer({ argv: ['--no-defaults', `--datadir=${t.datadir}`, '--initialize-insecure'], log: ErrorLog.memory(), program: SERVER_MAIN });
      if (isRunning(outcome)) throw new Error('template initialisation started a server');
      return t.datadir;
    })();
  }
  return template;
}

/**
 * Start an in-process server: `--no-defaults --port=0 --bind-address=127.0.0.1 --mysqlx=OFF` plus `options`
 * (`{ 'max-connections': 5, 'autocommit': false }`), on a fresh datadir unless one is given.
 */
export async function startTestServer(
  opts: { options?: Record<string, string | number | boolean>; datadir?: string; /** Extra built-in plugins (test engines). */ plugins?: PluginModule[] } = {},
): Promise<TestServer> {
  const own = opts.datadir === undefined ? await initializedDatadir() : null;
  const datadir = opts.datadir ?? own!.datadir;
  if (opts.datadir !== undefined && !dirHasFiles(opts.datadir)) {
    // A new datadir chosen by the test: start from the initialised template (fast first start).
    cpSync(await templateDatadir(), opts.datadir, { recursive: true, filter: (f) => !f.endsWith('/auto.cnf') });
  }
  const log = ErrorLog.memory();
  // --mysqlx=OFF: in-process servers do not all race for the X Plugin's port 33060 (pass
  // `{ mysqlx: 'ON', 'mysqlx-port': n }` to get it).
  const argv = ['--no-defaults', `--datadir=${datadir}`, '--port=0', '--bind-address=127.0.0.1', '--mysqlx=OFF', ...optionArgs(opts.options)];
  let outcome: Awaited<ReturnType<typeof startServer>>;
  try {
    outcome = await startServer({ argv, log, program: SERVER_MAIN, handleSignals: false, plugins: opts.plugins ?? [] });
  } catch (err) {
    if (own) rmSync(own.parent, { recursive: true, force: true });
    throw err;
  }
  if (!isRunning(outcome)) throw new Error(`server did not start: ${outcome.kind}`);
  const server = outcome;
  let stopped = false;
  return {
    port: server.port,
    socketPath: server.socketPath,
    datadir,
    server,
    logLines: log.captured,
    async stop(): Promise<void> {
      if (stopped) return;
      stopped = true;
      await server.stop();
      if (own) rmSync(own.parent, { recursive: true, force: true });
    },
    connect(c: ConnectOptions = {}): Promise<mysql.Connection> {
      const { socket, ...rest } = c;
      const where = socket ? { socketPath: server.socketPath } : { host: '127.0.0.1', port: server.port };
      return mysql.createConnection({ user: 'root', password: '', ...where, ...rest });
    },
  };
}

export interface SpawnedServer {
  child: ChildProcess;
  /** Port from the ready line (0 until ready / when startup failed). */
  port: number;
  socketPath: string;
  /** Error-log (stderr) lines so far. */
  lines: string[];
  /** stdout text (help, version). */
  stdout: string[];
  /** Resolves with the ready line, or rejects when the process exits first. */
  ready: Promise<string>;
  /** Resolves with the exit code (or signal name) once the process has ended. */
  exited: Promise<number | string>;
  /** Resolves with the first line matching `re` (rejects if the process exits first). */
  waitForLine(re: RegExp): Promise<string>;
  kill(signal?: NodeJS.Signals): void;
}

/**
 * Run `node dist/src/server/main.js ...args` (requires `npm run build`). Pass `--no-defaults`,
 * `--datadir` and `--port=0` yourself as the test needs.
 */
export function spawnServer(args: readonly string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; prefix?: readonly string[] } = {}): SpawnedServer {
  // `prefix` runs the server under a wrapper, e.g. ['setpriv', '--bounding-set=-sys_admin', '--']
  // to drop CAP_SYS_ADMIN, or ['ip', 'netns', 'exec', 'red'] to start it inside a namespace.
  const [cmd, ...pre] = opts.prefix && opts.prefix.length > 0 ? [...opts.prefix, process.execPath] : [process.execPath];
  const child = spawn(cmd!, [...pre, SERVER_MAIN, ...args], {
    cwd: opts.cwd ?? REPO_ROOT,
    env: { ...process.env, ...opts.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const stdout: string[] = [];
  const waiters: Array<{ re: RegExp; resolve(l: string): void; reject(e: Error): void }> = [];
  let ended = false;
  const result: SpawnedServer = {
    child,
    port: 0,
    socketPath: '',
    lines,
    stdout,
    ready: Promise.resolve(''),
    exited: Promise.resolve(0),
    waitForLine(re: RegExp): Promise<string> {
      const found = lines.find((l) => re.test(l));
      if (found !== undefined) return Promise.resolve(found);
      if (ended) return Promise.reject(new Error(`process exited without a line matching ${re}:\n${lines.join('\n')}`));
      return new Promise((res, rej) => {
        const timer = setTimeout(() => rej(new Error(`no line matching ${re} within the safety limit:\n${lines.join('\n')}`)), WAIT_LIMIT_MS);
        waiters.push({
          re,
          resolve: (l) => {
            clearTimeout(timer);
            res(l);
          },
          reject: (e) => {
            clearTimeout(timer);
            rej(e);
          },
        });
      });
    },
    kill(signal: NodeJS.Signals = 'SIGTERM'): void {
      if (!ended) child.kill(signal);
    },
  };
  let buf = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    buf += chunk;
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, nl);
      buf = buf.slice(nl + 1);
      lines.push(line);
      for (let i = waiters.length - 1; i >= 0; i--) {
        if (waiters[i]!.re.test(line)) waiters.splice(i, 1)[0]!.resolve(line);
      }
    }
  });
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (chunk: string) => stdout.push(chunk));
  result.exited = new Promise((res) => {
    child.once('exit', (code, signal) => {
      ended = true;
      if (buf) lines.push(buf);
      for (const w of waiters.splice(0)) w.reject(new Error(`process exited (${code ?? signal}):\n${lines.join('\n')}`));
      res(code ?? signal ?? -1);
    });
  });
  result.ready = result.waitForLine(/\[MY-010931\].*ready for connections/).then((line) => {
    const m = /socket: '([^']*)'\s+port: (\d+)/.exec(line);
    if (m) {
      result.socketPath = m[1]!;
      result.port = Number(m[2]);
    }
    return line;
  });
  result.ready.catch(() => undefined);
  return result;
}

/**
 * The extra sessions of a concurrency test: `open()` connects to one schema and remembers the
 * connection, `closeAll()` (in afterEach) ends every connection the test opened.
 */
export class SessionPool {
  private readonly opened: mysql.Connection[] = [];
  constructor(
    private readonly server: () => TestServer,
    private readonly database: string,
  ) {}

  async open(): Promise<mysql.Connection> {
    const c = await this.server().connect({ database: this.database });
    this.opened.push(c);
    return c;
  }

  /** Leave a connection the test ends itself out of closeAll(). */
  forget(c: mysql.Connection): void {
    const i = this.opened.indexOf(c);
    if (i >= 0) this.opened.splice(i, 1);
  }

  async closeAll(): Promise<void> {
    for (const c of this.opened.splice(0)) await c.end().catch(() => undefined);
  }
}
