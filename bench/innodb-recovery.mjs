#!/usr/bin/env node
/**
 * bench/innodb-recovery.mjs — InnoDB crash recovery time and large-table work, printed as tables.
 *
 *   npm run build && npm run bench:innodb-recovery
 *   node bench/innodb-recovery.mjs --redo-mb 4,16,48 --large-mb 32 --pool-mb 8
 *   node bench/innodb-recovery.mjs --server-main /path/to/dist/src/server/main.js
 *
 * 1. Recovery: for each amount of redo, a fresh refmysqld takes a write load from 4 connections
 *    until its redo log holds that many MB past the last checkpoint, is killed with SIGKILL, and
 *    is started again; the table prints the time from spawn to "ready for connections", the
 *    redo records the error log says were applied, and whether every acknowledged row is there.
 * 2. Large table: a table about 4x innodb_buffer_pool_size is filled, scanned (COUNT(*) and a
 *    full-scan SUM), and updated in full; the table prints each time and the server's resident
 *    memory (stage 1 keeps rows in memory: see src/storage/innodb/README.md).
 *
 * Figures are informational; nothing here asserts on time.
 *
 * @req INNODB-REC-010 INNODB-REC-012
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import mysql from 'mysql2/promise';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
let MAIN = join(REPO, 'dist', 'src', 'server', 'main.js');

function parseArgs(argv) {
  const o = { redoMb: [4, 16, 48], largeMb: 32, poolMb: 8 };
  for (let i = 0; i < argv.length; i += 2) {
    const k = argv[i];
    const v = argv[i + 1];
    if (k === '--redo-mb') o.redoMb = v.split(',').map(Number);
    else if (k === '--large-mb') o.largeMb = Number(v);
    else if (k === '--pool-mb') o.poolMb = Number(v);
    else if (k === '--server-main') MAIN = resolve(v);
    else throw new Error(`unknown option ${k}`);
  }
  return o;
}

const dirs = [];
const children = new Set();
function cleanup() {
  for (const c of children) c.kill('SIGKILL');
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
}
process.on('exit', cleanup);
process.on('SIGINT', () => process.exit(130));

function start(datadir, extra = []) {
  const t0 = process.hrtime.bigint();
  const child = spawn(process.execPath, [MAIN, '--no-defaults', `--datadir=${datadir}`, '--port=0', '--bind-address=127.0.0.1', '--mysqlx=OFF', ...extra], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.add(child);
  const lines = [];
  child.on('exit', () => children.delete(child));
  return new Promise((res, rej) => {
    let buf = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (t) => {
      buf += t;
      let i;
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i);
        buf = buf.slice(i + 1);
        lines.push(line);
        const m = /ready for connections.*port: (\d+)/.exec(line);
        if (m) res({ child, port: Number(m[1]), lines, readyMs: Number(process.hrtime.bigint() - t0) / 1e6 });
      }
    });
    child.on('exit', (code) => rej(new Error(`server exited (${code}):\n${lines.slice(-20).join('\n')}`)));
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

function rssMb(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = /VmRSS:\s+(\d+) kB/.exec(status);
  return m ? Number(m[1]) / 1024 : NaN;
}

function fresh(label) {
  const d = mkdtempSync(join(tmpdir(), `refmysql-bench-${label}-`));
  dirs.push(d);
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

async function largeRun(o) {
  const datadir = fresh('large');
  const s = await start(datadir, [`--innodb-buffer-pool-size=${o.poolMb}M`]);
  const c = await connect(s.port);
  await c.query('CREATE DATABASE b');
  await c.query('USE b');
  await c.query('CREATE TABLE big (id INT PRIMARY KEY, k INT, pad VARCHAR(250), KEY (k)) ENGINE=InnoDB');
  const rowBytes = 270;
  const rows = Math.ceil((o.largeMb * 1024 * 1024) / rowBytes);
  const fill0 = Date.now();
  for (let i = 0; i < rows; i += 1000) {
    const n = Math.min(1000, rows - i);
    await c.query(`INSERT INTO big VALUES ${Array.from({ length: n }, (_, j) => `(${i + j}, ${(i + j) % 97}, REPEAT('p', 250))`).join(',')}`);
  }
  const fillMs = Date.now() - fill0;
  const t1 = Date.now();
  await c.query('SELECT COUNT(*) FROM big');
  const countMs = Date.now() - t1;
  const t2 = Date.now();
  await c.query('SELECT SUM(k + LENGTH(pad)) FROM big');
  const scanMs = Date.now() - t2;
  const t3 = Date.now();
  await c.query('UPDATE big SET k = k + 1');
  const updateMs = Date.now() - t3;
  const rss = rssMb(s.child.pid);
  await c.end();
  s.child.kill('SIGKILL');
  return { rows, fillMs, countMs, scanMs, updateMs, rss };
}

function table(header, rows) {
  const w = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => `| ${cells.map((c, i) => String(c).padEnd(w[i])).join(' | ')} |`;
  console.log(line(header));
  console.log(`|${w.map((x) => '-'.repeat(x + 2)).join('|')}|`);
  for (const r of rows) console.log(line(r));
}

const o = parseArgs(process.argv.slice(2));
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
process.stderr.write(`bench: large table (${o.largeMb} MB, pool ${o.poolMb} MB) ...\n`);
const big = await largeRun(o);
console.log(`\nInnoDB table of ~${o.largeMb} MB with innodb_buffer_pool_size=${o.poolMb}M\n`);
table(
  ['rows', 'fill ms', 'COUNT(*) ms', 'full scan SUM ms', 'UPDATE all ms', 'server RSS MB'],
  [[big.rows, big.fillMs, big.countMs, big.scanMs, big.updateMs, big.rss.toFixed(0)]],
);
cleanup();
process.exit(0);
