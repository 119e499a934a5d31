#!/usr/bin/env node
/**
 * bench/innodb-recovery.mjs — InnoDB crash recovery time on refmysqld, and work on a table several
 * times larger than the buffer pool on refmysqld and MariaDB 10.11 side by side, printed as tables.
 *
 *   npm run build && npm run bench:innodb-recovery
 *   node bench/innodb-recovery.mjs --redo-mb 4,16,48 --large-mb 32 --pool-mb 8
 *   node bench/innodb-recovery.mjs --only mariadb --large-mb 64
 *   node bench/innodb-recovery.mjs --server-main /path/to/dist/src/server/main.js
 *
 * Options (all optional):
 *   --redo-mb LIST      part 1: MB of redo to leave for recovery, comma list (default 4,16,48)
 *   --large-mb N        part 2: size of the table in MB (default 32, about 4x the pool)
 *   --pool-mb N         part 2: innodb_buffer_pool_size in MB, the same on both servers (default 8)
 *   --only WHO          refmysqld | mariadb (default: both); part 1 needs refmysqld, so
 *                       --only mariadb skips it
 *   --step-timeout-s N  part 2: wall-clock bound on one step of one server (default 900); a step
 *                       past it ends that server's run (SIGKILL) and its later cells print "-"
 *   --server-main PATH  refmysqld's main.js (default dist/src/server/main.js; when that is
 *                       missing, src/ is compiled into a temporary directory)
 *   --parts LIST        which parts to run, comma list of recovery,large,ddl (default all three)
 *   --ddl-count N       part 3: statements of each kind (default 100)
 *
 * 1. Recovery (refmysqld): for each amount of redo, a fresh refmysqld takes a write load from 4
 *    connections until its redo log holds that many MB past the last checkpoint, is killed with
 *    SIGKILL, and is started again; the table prints the time from spawn to "ready for
 *    connections", the redo records the error log says were applied, and whether every
 *    acknowledged row is there.
 * 2. Large table: refmysqld and then MariaDB (one at a time, so they never compete for the same
 *    cores), each with the same innodb_buffer_pool_size and innodb_flush_log_at_trx_commit=1,
 *    binary log off, run the same steps on a table about --large-mb MB: fill it in 1000-row
 *    INSERTs, COUNT(*), a full-scan SUM, a clean restart (SIGTERM, wait for the exit, start on
 *    the same datadir), 2000 point SELECTs on random primary keys with the pool starting cold,
 *    an UPDATE of every row in 1000-row primary-key ranges (one autocommit statement each), and
 *    one UPDATE of the whole table. After each step the table shows the server process's VmRSS
 *    and VmHWM and its Innodb_buffer_pool_reads / Innodb_buffer_pool_pages_data (counted since
 *    the server last started). MariaDB's buffer pool dump at shutdown and load at startup are
 *    turned off so that its pool really starts empty after the restart; the operating system's
 *    page cache is not dropped (that would disturb the whole machine), for either server.
 *
 * 3. DDL and account statements: on each server (one at a time, fresh data directory,
 *    innodb_flush_log_at_trx_commit=1), --ddl-count rounds of CREATE TABLE (InnoDB, a primary
 *    and a secondary key) and DROP TABLE, then of CREATE USER, GRANT SELECT ON a schema, and
 *    DROP USER, one connection, timed per statement kind. On refmysqld each is a commit of its
 *    InnoDB dictionary or grant tables (a redo fsync) plus, for tables, the tablespace file.
 *
 * Servers run as child processes on 127.0.0.1 with fresh temporary directories; at exit (also
 * on Ctrl-C or an error) every child still running is killed and every directory removed.
 * Every loop has a fixed count. Figures are informational; nothing here asserts on time, and on
 * a small shared machine only ratios from the same run mean much.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-recovery.html (15.18.2 InnoDB Recovery)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-buffer-pool.html (15.5.1 Buffer Pool)
 * @req INNODB-REC-010 INNODB-REC-012 CORE-DICT-015 CORE-DICT-019
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import mysql from 'mysql2/promise';
import { buildRefmysqld, freePort, killOnCleanup, onCleanup, REPO, sleep } from './lib/harness.mjs';

let MAIN = join(REPO, 'dist', 'src', 'server', 'main.js');
let mainGiven = false;

/** Bounds on waiting for a server (not measurements). */
const START_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 120_000;
const LOGIN_ATTEMPTS = 1200;
const LOGIN_INTERVAL_MS = 100;
/** Part 2's workload: bytes a row is counted as when sizing the table, rows per INSERT and per
 *  UPDATE range, number of point SELECTs, and the seed of their keys (the same on both servers). */
const ROW_BYTES = 270;
const BATCH_ROWS = 1000;
const POINT_SELECTS = 2000;
const POINT_SEED = 0x5eed1234;
/** Kept lines of a refmysqld error log (the start message and the last complaints). */
const LOG_LINES_KEPT = 400;

const MYSQL80_SQL_MODE =
  'ONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION';

function parseArgs(argv) {
  const o = { redoMb: [4, 16, 48], largeMb: 32, poolMb: 8, only: undefined, stepTimeoutS: 900, parts: ['recovery', 'large', 'ddl'], ddlCount: 100 };
  for (let i = 0; i < argv.length; i += 2) {
    const k = argv[i];
    const v = argv[i + 1];
    if (k === '-h' || k === '--help') {
      console.log('see the header of bench/innodb-recovery.mjs for options');
      process.exit(0);
    }
    if (v === undefined) throw new Error(`${k} needs a value`);
    if (k === '--redo-mb') o.redoMb = v.split(',').map(Number);
    else if (k === '--large-mb') o.largeMb = Number(v);
    else if (k === '--pool-mb') o.poolMb = Number(v);
    else if (k === '--only') o.only = v;
    else if (k === '--step-timeout-s') o.stepTimeoutS = Number(v);
    else if (k === '--parts') o.parts = v.split(',');
    else if (k === '--ddl-count') o.ddlCount = Number(v);
    else if (k === '--server-main') {
      MAIN = resolve(v);
      mainGiven = true;
    } else throw new Error(`unknown option ${k}`);
  }
  if (o.only !== undefined && o.only !== 'refmysqld' && o.only !== 'mariadb') throw new Error(`--only must be refmysqld or mariadb, not ${o.only}`);
  for (const p of o.parts) if (!['recovery', 'large', 'ddl'].includes(p)) throw new Error(`unknown part ${p}`);
  for (const [name, n] of [['--ddl-count', o.ddlCount], ['--large-mb', o.largeMb], ['--pool-mb', o.poolMb], ['--step-timeout-s', o.stepTimeoutS], ...o.redoMb.map((x) => ['--redo-mb', x])]) {
    if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} needs a positive number`);
  }
  return o;
}

function start(datadir, extra = []) {
  const t0 = process.hrtime.bigint();
  const child = spawn(process.execPath, [MAIN, '--no-defaults', `--datadir=${datadir}`, '--port=0', '--bind-address=127.0.0.1', '--mysqlx=OFF', ...extra], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  killOnCleanup(child);
  const lines = [];
  return new Promise((res, rej) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      rej(new Error(`refmysqld not ready after ${START_TIMEOUT_MS} ms:\n${lines.slice(-20).join('\n')}`));
    }, START_TIMEOUT_MS);
    let buf = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (t) => {
      buf += t;
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        lines.push(line);
        if (lines.length > LOG_LINES_KEPT) lines.splice(LOG_LINES_KEPT / 2, lines.length - LOG_LINES_KEPT);
        const m = /ready for connections.*port: (\d+)/.exec(line);
        if (m) {
          clearTimeout(timer);
          res({ child, port: Number(m[1]), lines, readyMs: Number(process.hrtime.bigint() - t0) / 1e6 });
        }
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      rej(new Error(`server exited (${code}):\n${lines.slice(-20).join('\n')}`));
    });
  });
}

function connect(port, database) {
  return mysql.createConnection({ host: '127.0.0.1', port, user: 'root', password: '', ...(database ? { database } : {}) });
}

function redoBytes(datadir) {
  const d = join(datadir, '#innodb_redo');
  let n = 0;
  for (const f of readdirSync(d)) n += statSync(join(d, f)).size;
  return n;
}

/** VmRSS and VmHWM of a process in MB (NaN when it is gone). */
function memMb(pid) {
  let status = '';
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return { rss: NaN, hwm: NaN };
  }
  const kb = (name) => {
    const m = new RegExp(`${name}:\\s+(\\d+) kB`).exec(status);
    return m ? Number(m[1]) / 1024 : NaN;
  };
  return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
}

function fresh(label) {
  const d = mkdtempSync(join(tmpdir(), `refmysql-bench-${label}-`));
  onCleanup(() => rmSync(d, { recursive: true, force: true }));
  return join(d, 'data');
}

async function recoveryRun(mb) {
  const datadir = fresh('recovery');
  // A large capacity keeps checkpoints away while the load runs, so the redo stays to replay.
  const opts = ['--innodb-redo-log-capacity=4G', '--log-error-verbosity=3'];
  let s = await start(datadir, opts);
  const c = await connect(s.port);
  await c.query('CREATE DATABASE b');
  await c.query('CREATE TABLE b.t (id INT PRIMARY KEY, w INT, pad VARCHAR(200)) ENGINE=InnoDB');
  const base = redoBytes(datadir);
  const target = base + mb * 1024 * 1024;
  const acked = new Set();
  let next = 1;
  const workers = await Promise.all([1, 2, 3, 4].map(() => connect(s.port, 'b')));
  const t0 = Date.now();
  await Promise.all(
    workers.map(async (w, k) => {
      while (redoBytes(datadir) < target && Date.now() - t0 < 25_000) {
        const ids = Array.from({ length: 50 }, () => next++);
        await w.query(`INSERT INTO t VALUES ${ids.map((id) => `(${id}, ${k}, REPEAT('x', 150))`).join(',')}`);
        for (const id of ids) acked.add(id);
      }
    }),
  );
  const redo = (redoBytes(datadir) - base) / 1024 / 1024;
  s.child.kill('SIGKILL');
  await new Promise((r) => s.child.once('exit', r));
  for (const w of [...workers, c]) w.destroy();
  s = await start(datadir, opts);
  const applied = s.lines.map((l) => /(\d+) redo record\(s\) applied/.exec(l)).find(Boolean);
  const v = await connect(s.port, 'b');
  const [rows] = await v.query('SELECT COUNT(*) AS n FROM t');
  const present = Number(rows[0].n);
  await v.end();
  s.child.kill('SIGKILL');
  return { redo, records: applied ? Number(applied[1]) : 0, readyMs: s.readyMs, acked: acked.size, present };
}

// ---------------------------------------------------------------------------------------------
// Part 2: the two servers behind one interface (start, clean stop, pid, port, the table's file).

/** SIGTERM and wait for the exit; SIGKILL when it takes longer than STOP_TIMEOUT_MS. */
async function stopChild(child) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return { ms: 0, clean: true };
  const t0 = Date.now();
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  let timer;
  const clean = await Promise.race([exited.then(() => true), new Promise((r) => (timer = setTimeout(() => r(false), STOP_TIMEOUT_MS)))]);
  clearTimeout(timer);
  if (!clean) {
    child.kill('SIGKILL');
    await exited;
  }
  return { ms: Date.now() - t0, clean };
}

async function waitForLogin(port, child, label, logTail) {
  for (let i = 0; i < LOGIN_ATTEMPTS; i++) {
    if (child.exitCode !== null || child.signalCode !== null) break;
    try {
      const c = await connect(port);
      await c.end();
      return;
    } catch {
      await sleep(LOGIN_INTERVAL_MS);
    }
  }
  throw new Error(`${label} did not accept connections on 127.0.0.1:${port}\n${logTail()}`);
}

function refmysqldServer(o) {
  const datadir = fresh('large');
  const opts = [
    `--socket=${join(datadir, '..', 'mysqld.sock')}`,
    `--innodb-buffer-pool-size=${o.poolMb}M`,
    '--innodb-flush-log-at-trx-commit=1',
  ];
  const srv = {
    label: 'refmysqld',
    child: undefined,
    port: 0,
    tableFile: join(datadir, 'b', 'big.ibd'),
    async start() {
      const s = await start(datadir, opts);
      srv.child = s.child;
      srv.port = s.port;
    },
    stop: () => stopChild(srv.child),
  };
  return srv;
}

function mariadbServer(o) {
  const dir = mkdtempSync(join(tmpdir(), 'refmysql-bench-mariadb-'));
  onCleanup(() => rmSync(dir, { recursive: true, force: true }));
  const datadir = join(dir, 'data');
  const asRoot = process.getuid?.() === 0 ? ['--user=root'] : [];
  const errorLog = join(dir, 'error.log');
  const srv = {
    label: 'MariaDB',
    child: undefined,
    port: 0,
    tableFile: join(datadir, 'b', 'big.ibd'),
    async start() {
      if (!existsSync(join(datadir, 'mysql'))) {
        const inst = spawnSync(
          'mariadb-install-db',
          ['--no-defaults', ...asRoot, `--datadir=${datadir}`, '--auth-root-authentication-method=normal', '--skip-test-db', '--skip-name-resolve'],
          { encoding: 'utf8', timeout: START_TIMEOUT_MS },
        );
        if (inst.status !== 0) throw new Error(`mariadb-install-db failed: ${inst.stderr || inst.error}`);
      }
      srv.port = await freePort();
      srv.child = spawn(
        '/usr/sbin/mariadbd',
        [
          '--no-defaults', ...asRoot, `--datadir=${datadir}`, `--socket=${join(dir, 'mysqld.sock')}`,
          `--pid-file=${join(dir, 'mysqld.pid')}`, `--log-error=${errorLog}`, `--port=${srv.port}`,
          '--bind-address=127.0.0.1', '--skip-name-resolve', '--skip-log-bin',
          `--innodb-buffer-pool-size=${o.poolMb}M`, '--innodb-flush-log-at-trx-commit=1',
          // Without these the restart would reload the pages the pool held at shutdown.
          '--innodb-buffer-pool-dump-at-shutdown=OFF', '--innodb-buffer-pool-load-at-startup=OFF',
          '--default-storage-engine=InnoDB', `--sql-mode=${MYSQL80_SQL_MODE}`,
          '--character-set-server=utf8mb4', '--collation-server=utf8mb4_general_ci',
        ],
        { stdio: 'ignore' },
      );
      killOnCleanup(srv.child);
      await waitForLogin(srv.port, srv.child, 'mariadbd', () => spawnSync('tail', ['-20', errorLog], { encoding: 'utf8' }).stdout);
    },
    stop: () => stopChild(srv.child),
  };
  return srv;
}

class StepTimeout extends Error {}

/** `p`, or a StepTimeout after `ms` (the late settlement of `p` is then ignored). */
function withTimeout(p, ms) {
  let timer;
  p.catch(() => {});
  const late = new Promise((_, rej) => (timer = setTimeout(() => rej(new StepTimeout(`over ${ms / 1000} s`)), ms)));
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

/** A small deterministic generator, so both servers read the same keys in the same order. */
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function poolStatus(c) {
  const [rows] = await c.query("SHOW GLOBAL STATUS LIKE 'Innodb_buffer_pool_%'");
  const m = new Map(rows.map((r) => [r.Variable_name, String(r.Value)]));
  return { reads: m.get('Innodb_buffer_pool_reads') ?? '?', pagesData: m.get('Innodb_buffer_pool_pages_data') ?? '?' };
}

function fileMb(path) {
  try {
    return statSync(path).size / 1024 / 1024;
  } catch {
    return NaN;
  }
}

/** The step names of part 2, in order, with how their figure is shown. */
const STEPS = [
  { key: 'fill', title: `fill, ${BATCH_ROWS}-row INSERTs (s)`, unit: 's' },
  { key: 'count', title: 'SELECT COUNT(*) (s)', unit: 's' },
  { key: 'sum', title: 'full-scan SUM (s)', unit: 's' },
  { key: 'restart', title: 'clean restart: stop + start (s)', unit: 's' },
  { key: 'points', title: `${POINT_SELECTS} PK point SELECTs, cold pool (rows/s)`, unit: '/s' },
  { key: 'updBatches', title: `UPDATE all, ${BATCH_ROWS}-row PK ranges (s)`, unit: 's' },
  { key: 'updAll', title: 'UPDATE all, one statement (s)', unit: 's' },
];

async function largeRun(o, srv) {
  const rows = Math.ceil((o.largeMb * 1024 * 1024) / ROW_BYTES);
  const r = { label: srv.label, rows, steps: {}, checks: [], problems: [], poolBytes: NaN, ibdMb: NaN };
  await srv.start();
  let c = await connect(srv.port);
  const [pool] = await c.query('SELECT @@GLOBAL.innodb_buffer_pool_size AS s');
  r.poolBytes = Number(pool[0].s);
  await c.query('CREATE DATABASE b');
  await c.query('USE b');
  await c.query('CREATE TABLE big (id INT PRIMARY KEY, k INT, pad VARCHAR(250), KEY (k)) ENGINE=InnoDB');
  const timed = async (fn) => {
    const t0 = process.hrtime.bigint();
    const out = await fn();
    return { ms: Number(process.hrtime.bigint() - t0) / 1e6, out };
  };
  const work = {
    fill: () =>
      timed(async () => {
        for (let i = 0; i < rows; i += BATCH_ROWS) {
          const n = Math.min(BATCH_ROWS, rows - i);
          await c.query(`INSERT INTO big VALUES ${Array.from({ length: n }, (_, j) => `(${i + j}, ${(i + j) % 97}, REPEAT('p', 250))`).join(',')}`);
        }
      }),
    count: () =>
      timed(async () => {
        const [x] = await c.query('SELECT COUNT(*) AS n FROM big');
        r.checks.push(`COUNT(*)=${x[0].n}`);
      }),
    sum: () =>
      timed(async () => {
        const [x] = await c.query('SELECT SUM(k + LENGTH(pad)) AS s FROM big');
        r.checks.push(`SUM=${x[0].s}`);
      }),
    restart: () =>
      timed(async () => {
        await c.end();
        const stopped = await srv.stop();
        if (!stopped.clean) r.problems.push(`${srv.label} did not stop within ${STOP_TIMEOUT_MS / 1000} s of SIGTERM (SIGKILL)`);
        r.ibdMb = fileMb(srv.tableFile);
        await srv.start();
        c = await connect(srv.port, 'b');
      }),
    points: async () => {
      const rnd = mulberry32(POINT_SEED);
      let found = 0;
      const t = await timed(async () => {
        for (let i = 0; i < POINT_SELECTS; i++) {
          const [x] = await c.query(`SELECT id, k, pad FROM big WHERE id = ${Math.floor(rnd() * rows)}`);
          found += x.length;
        }
      });
      r.checks.push(`point SELECT hits=${found}/${POINT_SELECTS}`);
      return { ...t, rate: POINT_SELECTS / (t.ms / 1000) };
    },
    updBatches: async () => {
      let changed = 0;
      const t = await timed(async () => {
        for (let lo = 0; lo < rows; lo += BATCH_ROWS) {
          const [x] = await c.query(`UPDATE big SET k = k + 1 WHERE id >= ${lo} AND id < ${lo + BATCH_ROWS}`);
          changed += x.affectedRows;
        }
      });
      r.checks.push(`batched UPDATE changed ${changed}`);
      return t;
    },
    updAll: async () => {
      const t = await timed(() => c.query('UPDATE big SET k = k + 1'));
      r.checks.push(`single UPDATE changed ${t.out[0].affectedRows}`);
      return t;
    },
  };
  for (const step of STEPS) {
    process.stderr.write(`bench: ${srv.label}: ${step.title} ...\n`);
    try {
      const t = await withTimeout(work[step.key](), o.stepTimeoutS * 1000);
      const mem = memMb(srv.child.pid);
      const status = await poolStatus(c);
      r.steps[step.key] = { ms: t.ms, rate: t.rate, ...mem, ...status };
    } catch (e) {
      const what = e instanceof StepTimeout ? `stopped: ${step.title} took ${e.message}` : `failed at ${step.title}: ${e.message ?? e}`;
      r.problems.push(`${srv.label} ${what}`);
      srv.child?.kill('SIGKILL');
      break;
    }
  }
  c.destroy();
  const stopped = await srv.stop();
  if (!stopped.clean) r.problems.push(`${srv.label} did not stop within ${STOP_TIMEOUT_MS / 1000} s of SIGTERM at the end (SIGKILL)`);
  return r;
}

/** Part 3: mean milliseconds per statement kind over --ddl-count rounds. */
async function ddlRun(o, srv) {
  await srv.start();
  const c = await connect(srv.port);
  await c.query('CREATE DATABASE IF NOT EXISTS d');
  const ms = { 'CREATE TABLE': 0, 'DROP TABLE': 0, 'CREATE USER': 0, 'GRANT': 0, 'DROP USER': 0 };
  const timed = async (kind, sql) => {
    const t0 = process.hrtime.bigint();
    await c.query(sql);
    ms[kind] += Number(process.hrtime.bigint() - t0) / 1e6;
  };
  for (let i = 0; i < o.ddlCount; i++) {
    await timed('CREATE TABLE', `CREATE TABLE d.t${i} (id INT PRIMARY KEY, k INT, c VARCHAR(100), KEY k (k)) ENGINE=InnoDB`);
    await timed('DROP TABLE', `DROP TABLE d.t${i}`);
  }
  for (let i = 0; i < o.ddlCount; i++) {
    await timed('CREATE USER', `CREATE USER 'u${i}'@'%' IDENTIFIED BY 'p${i}'`);
    await timed('GRANT', `GRANT SELECT ON d.* TO 'u${i}'@'%'`);
    await timed('DROP USER', `DROP USER 'u${i}'@'%'`);
  }
  await c.end();
  for (const k of Object.keys(ms)) ms[k] /= o.ddlCount;
  return { label: srv.label, ms };
}

function table(header, rows) {
  const w = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => `| ${cells.map((c, i) => String(c).padEnd(w[i])).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${w.map((x) => '-'.repeat(x + 2)).join('|')}|`);
  for (const r of rows) console.log(line(r));
}

const fmt = (n, digits) => (Number.isFinite(n) ? n.toFixed(digits) : '-');

function printLarge(o, results) {
  const both = results.length === 2;
  const header = ['step'];
  for (const r of results) header.push(r.label);
  if (both) header.push('ref/MariaDB');
  for (const r of results) header.push(`${r.label} RSS/peak MB`);
  for (const r of results) header.push(`${r.label} pool reads/pages_data`);
  const figure = (r, step) => {
    const s = r.steps[step.key];
    if (!s) return NaN;
    return step.unit === '/s' ? s.rate : s.ms / 1000;
  };
  const lines = [];
  const info = (title, f) => lines.push([title, ...results.map(f), ...(both ? ['-'] : []), ...results.map(() => '-'), ...results.map(() => '-')]);
  info('innodb_buffer_pool_size (MB)', (r) => fmt(r.poolBytes / 1024 / 1024, 0));
  info('rows', (r) => String(r.rows));
  info('table .ibd after clean stop (MB)', (r) => fmt(r.ibdMb, 1));
  for (const step of STEPS) {
    const cells = [step.title];
    for (const r of results) cells.push(fmt(figure(r, step), step.unit === '/s' ? 0 : 3));
    if (both) {
      const a = figure(results[0], step);
      const b = figure(results[1], step);
      cells.push(b > 0 ? fmt(a / b, 2) : '-');
    }
    for (const r of results) {
      const s = r.steps[step.key];
      cells.push(s ? `${fmt(s.rss, 0)} / ${fmt(s.hwm, 0)}` : '-');
    }
    for (const r of results) {
      const s = r.steps[step.key];
      cells.push(s ? `${s.reads} / ${s.pagesData}` : '-');
    }
    lines.push(cells);
  }
  const names = results.map((r) => (r.label === 'MariaDB' ? 'MariaDB 10.11' : r.label)).join(' and ');
  console.log(
    `\nInnoDB table of ~${o.largeMb} MB on ${names}, innodb_buffer_pool_size=${o.poolMb}M, innodb_flush_log_at_trx_commit=1, binary log off\n`,
  );
  table(header, lines);
  console.log(
    '\nRSS/peak: VmRSS/VmHWM of the server process after the step. pool reads/pages_data: Innodb_buffer_pool_reads /' +
      ' Innodb_buffer_pool_pages_data after the step. The peak and the reads start again from zero at the restart (a new process).' +
      (both ? ' ref/MariaDB: refmysqld\'s figure over MariaDB\'s (for times >1 means refmysqld is slower; for rows/s <1 does).' : ''),
  );
  for (const r of results) console.log(`${r.label} results: ${r.checks.join(', ')}`);
}

const o = parseArgs(process.argv.slice(2));
const useRef = o.only !== 'mariadb';
const useMaria = o.only !== 'refmysqld';
if (useRef && !mainGiven && !existsSync(MAIN)) MAIN = buildRefmysqld('bench');
const problems = [];
if (useRef && o.parts.includes('recovery')) {
  const rec = [];
  for (const mb of o.redoMb) {
    process.stderr.write(`bench: recovery with ~${mb} MB of redo ...\n`);
    rec.push(await recoveryRun(mb));
  }
  console.log('\nInnoDB crash recovery after kill -9 (4 writers, 50-row INSERTs, innodb_flush_log_at_trx_commit=1)\n');
  table(
    ['redo MB', 'records applied', 'restart to ready ms', 'acknowledged rows', 'rows present'],
    rec.map((r) => [r.redo.toFixed(1), r.records, r.readyMs.toFixed(0), r.acked, r.present]),
  );
}
const results = [];
for (const [use, make] of [[useRef, refmysqldServer], [useMaria, mariadbServer]]) {
  if (!use || !o.parts.includes('large')) continue;
  const srv = make(o);
  process.stderr.write(`bench: large table (${o.largeMb} MB, pool ${o.poolMb} MB) on ${srv.label} ...\n`);
  try {
    const r = await largeRun(o, srv);
    problems.push(...r.problems);
    results.push(r);
  } catch (e) {
    srv.child?.kill('SIGKILL');
    problems.push(`${srv.label}: ${e.message ?? e}`);
  }
}
if (results.length) printLarge(o, results);
if (o.parts.includes('ddl')) {
  const ddl = [];
  for (const [use, make] of [[useRef, refmysqldServer], [useMaria, mariadbServer]]) {
    if (!use) continue;
    const srv = make(o);
    process.stderr.write(`bench: DDL and account statements on ${srv.label} ...\n`);
    try {
      ddl.push(await ddlRun(o, srv));
    } catch (e) {
      srv.child?.kill('SIGKILL');
      problems.push(`${srv.label}: ${e.message ?? e}`);
    } finally {
      await srv.stop();
    }
  }
  if (ddl.length) {
    const kinds = Object.keys(ddl[0].ms);
    console.log(`\nDDL and account statements, ${o.ddlCount} of each, one connection, innodb_flush_log_at_trx_commit=1: mean ms per statement\n`);
    table(
      ['statement', ...ddl.map((r) => r.label), ...(ddl.length === 2 ? ['ref/MariaDB'] : [])],
      kinds.map((k) => [k, ...ddl.map((r) => fmt(r.ms[k], 2)), ...(ddl.length === 2 ? [fmt(ddl[0].ms[k] / ddl[1].ms[k], 2)] : [])]),
    );
  }
}
if (problems.length) {
  console.log(`\n${problems.length} problem(s):`);
  for (const p of problems) console.log(`- ${p.length > 600 ? `${p.slice(0, 600)} ...` : p}`);
}
process.exit(problems.length ? 1 : 0);
