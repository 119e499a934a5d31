#!/usr/bin/env node
/**
 * ARCHIVE engine throughput and footprint: insert rate (multi-row INSERT batches, and single-row
 * INSERTs), full-scan rate, and the compression ratio (bytes of the .ARZ file / raw row bytes)
 * for a log-like table, on refmysqld and, with --peer, on MariaDB's ARCHIVE (ha_archive).
 *
 * Usage: `npx tsc -p tsconfig.json && node bench/archive.mjs [--rows 100000] [--batch 1000]
 *         [--single 2000] [--scans 3] [--peer]`
 *
 * Raw row bytes are counted as MySQL's packed row would hold the values: 4 (INT id) + 5
 * (DATETIME) + each VARCHAR's bytes plus its 1-byte length, plus 1 null-bitmap byte. The file
 * is read after FLUSH TABLES so that buffered rows are in it. Nothing asserts on time: figures
 * depend on the machine and its load (2 shared cores here), so compare ratios within one run.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { freePort, killOnCleanup, onCleanup, REPO, sleep } from './lib/harness.mjs';

const MAIN = join(REPO, 'dist', 'src', 'server', 'main.js');
const START_TIMEOUT_MS = 120_000;

function parseArgs(argv) {
  const o = { rows: 100_000, batch: 1000, single: 2000, scans: 3, peer: false };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    if (k === '--peer') o.peer = true;
    else if (['--rows', '--batch', '--single', '--scans'].includes(k)) {
      const n = Number(argv[++i]);
      if (!Number.isInteger(n) || n <= 0) throw new Error(`${k} needs a positive integer`);
      o[k.slice(2)] = n;
    } else throw new Error(`unknown option ${k}`);
  }
  return o;
}

const HOSTS = ['web-01', 'web-02', 'db-primary', 'cache-7', 'batch-worker-12'];
const LEVELS = ['INFO', 'WARN', 'ERROR', 'DEBUG'];
const WORDS = ['request', 'served', 'user', 'login', 'timeout', 'retry', 'queue', 'flushed', 'checkpoint', 'payment', 'accepted', 'session'];

/** Row i of the workload: deterministic, log-like (repetitive text, varying numbers). */
function row(i) {
  const ts = new Date(Date.UTC(2024, 0, 1) + i * 1370).toISOString().slice(0, 19).replace('T', ' ');
  const host = HOSTS[i % HOSTS.length];
  const level = LEVELS[(i * 7) % LEVELS.length];
  const msg = `${WORDS[i % WORDS.length]} ${WORDS[(i * 5) % WORDS.length]} id=${(i * 2654435761) % 1000003} took ${(i * 37) % 997} ms ${WORDS[(i * 11) % WORDS.length]}`;
  return [ts, host, level, msg];
}

function rawBytes(r) {
  const strings = r.slice(1).reduce((n, s) => n + Buffer.byteLength(s) + 1, 0);
  return 1 + 4 + 5 + strings;
}

const TABLE = 'CREATE TABLE b.logs (id INT NOT NULL AUTO_INCREMENT, ts DATETIME, host VARCHAR(40), level VARCHAR(8), msg VARCHAR(200), PRIMARY KEY (id)) ENGINE=ARCHIVE';

async function waitForLogin(port, child, label) {
  const t0 = Date.now();
  while (Date.now() - t0 < START_TIMEOUT_MS) {
    if (child.exitCode !== null || child.signalCode !== null) break;
    try {
      const c = await mysql.createConnection({ host: '127.0.0.1', port, user: 'root', password: '' });
      await c.end();
      return;
    } catch {
      await sleep(200);
    }
  }
  throw new Error(`${label} did not accept connections on 127.0.0.1:${port}`);
}

async function stopChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const t = setTimeout(() => child.kill('SIGKILL'), 30_000);
  await exited;
  clearTimeout(t);
}

async function refmysqld() {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run npx tsc -p tsconfig.json first`);
  const dir = mkdtempSync(join(tmpdir(), 'refmysql-bench-archive-'));
  onCleanup(() => rmSync(dir, { recursive: true, force: true }));
  const datadir = join(dir, 'data');
  const port = await freePort();
  const child = spawn(process.execPath, [MAIN, '--no-defaults', `--datadir=${datadir}`, `--port=${port}`, '--bind-address=127.0.0.1', '--mysqlx=OFF', `--socket=${join(dir, 'mysqld.sock')}`], { stdio: 'ignore' });
  killOnCleanup(child);
  await waitForLogin(port, child, 'refmysqld');
  return { label: 'refmysqld', port, file: join(datadir, 'b', 'logs.ARZ'), stop: () => stopChild(child) };
}

async function mariadb() {
  if (spawnSync('which', ['mariadbd']).status !== 0 && !existsSync('/usr/sbin/mariadbd')) return null;
  const dir = mkdtempSync(join(tmpdir(), 'refmysql-bench-archive-mariadb-'));
  onCleanup(() => rmSync(dir, { recursive: true, force: true }));
  const datadir = join(dir, 'data');
  const asRoot = process.getuid?.() === 0 ? ['--user=root'] : [];
  const inst = spawnSync('mariadb-install-db', ['--no-defaults', ...asRoot, `--datadir=${datadir}`, '--auth-root-authentication-method=normal', '--skip-test-db', '--skip-name-resolve'], { encoding: 'utf8' });
  if (inst.status !== 0) throw new Error(`mariadb-install-db failed: ${inst.stderr || inst.error}`);
  const port = await freePort();
  const child = spawn(
    '/usr/sbin/mariadbd',
    ['--no-defaults', ...asRoot, `--datadir=${datadir}`, `--socket=${join(dir, 'mysqld.sock')}`, `--pid-file=${join(dir, 'mysqld.pid')}`, `--log-error=${join(dir, 'error.log')}`, `--port=${port}`, '--bind-address=127.0.0.1', '--skip-name-resolve', '--skip-log-bin'],
    { stdio: 'ignore' },
  );
  killOnCleanup(child);
  await waitForLogin(port, child, 'mariadbd');
  const c = await mysql.createConnection({ host: '127.0.0.1', port, user: 'root', password: '' });
  await c.query("INSTALL SONAME 'ha_archive'");
  await c.end();
  return { label: 'MariaDB', port, file: join(datadir, 'b', 'logs.ARZ'), stop: () => stopChild(child) };
}

async function run(srv, o) {
  const c = await mysql.createConnection({ host: '127.0.0.1', port: srv.port, user: 'root', password: '' });
  await c.query('CREATE DATABASE b');
  await c.query(TABLE);
  let raw = 0;
  const t0 = process.hrtime.bigint();
  for (let start = 0; start < o.rows; start += o.batch) {
    const rows = [];
    for (let i = start; i < Math.min(o.rows, start + o.batch); i++) {
      const r = row(i);
      raw += rawBytes(r);
      rows.push(r);
    }
    await c.query('INSERT INTO b.logs (ts, host, level, msg) VALUES ?', [rows]);
  }
  const insertS = Number(process.hrtime.bigint() - t0) / 1e9;
  await c.query('FLUSH TABLES');
  const bytes = statSync(srv.file).size;

  const scans = [];
  for (let i = 0; i < o.scans; i++) {
    const s0 = process.hrtime.bigint();
    const [r] = await c.query('SELECT COUNT(*) AS n, SUM(LENGTH(msg)) AS m FROM b.logs');
    scans.push(Number(process.hrtime.bigint() - s0) / 1e9);
    if (Number(r[0].n) !== o.rows) throw new Error(`${srv.label}: scan counted ${r[0].n} rows`);
  }
  scans.sort((a, b) => a - b);
  const scanS = scans[Math.floor(scans.length / 2)];

  // Single-row INSERTs into a second table (each one a statement; no reads in between).
  await c.query(TABLE.replace('b.logs', 'b.single'));
  const s0 = process.hrtime.bigint();
  for (let i = 0; i < o.single; i++) await c.query('INSERT INTO b.single (ts, host, level, msg) VALUES (?)', [row(i)]);
  const singleS = Number(process.hrtime.bigint() - s0) / 1e9;
  await c.end();
  return {
    label: srv.label,
    insertRate: o.rows / insertS,
    singleRate: o.single / singleS,
    scanRate: o.rows / scanS,
    bytes,
    raw,
    ratio: bytes / raw,
  };
}

function table(results, o) {
  const head = ['server', `rows/s (INSERT x${o.batch})`, 'rows/s (single INSERT)', 'rows/s (scan, median)', '.ARZ bytes', 'raw row bytes', 'file/raw'];
  const lines = results.map((r) => [r.label, r.insertRate.toFixed(0), r.singleRate.toFixed(0), r.scanRate.toFixed(0), String(r.bytes), String(r.raw), r.ratio.toFixed(3)]);
  const w = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const fmt = (l) => l.map((x, i) => x.padStart(w[i])).join('  ');
  console.log(fmt(head));
  for (const l of lines) console.log(fmt(l));
}

const o = parseArgs(process.argv.slice(2));
console.log(`ARCHIVE: ${o.rows} rows in INSERTs of ${o.batch}, ${o.single} single-row INSERTs, ${o.scans} full scans`);
const results = [];
const own = await refmysqld();
try {
  results.push(await run(own, o));
} finally {
  await own.stop();
}
if (o.peer) {
  const peer = await mariadb();
  if (!peer) console.log('--peer: mariadbd not found (see /work/shared/peers/README.md); peer part skipped');
  else {
    try {
      results.push(await run(peer, o));
    } finally {
      await peer.stop();
    }
  }
}
table(results, o);
if (results.length === 2) {
  const [a, b] = results;
  console.log(`refmysqld / MariaDB: insert ${(a.insertRate / b.insertRate).toFixed(2)}x, single ${(a.singleRate / b.singleRate).toFixed(2)}x, scan ${(a.scanRate / b.scanRate).toFixed(2)}x, file size ${(a.bytes / b.bytes).toFixed(2)}x`);
}
process.exit(0);
