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
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/archive-storage-engine.html (16.5)
 * @req ARCHIVE-041 CORE-PEER-008
 */
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { REPO } from './lib/harness.mjs';
import { startMariaDb, startRefmysqld } from './lib/servers.mjs';

const MAIN = join(REPO, 'dist', 'src', 'server', 'main.js');

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

/** refmysqld on a fresh data directory (the build in dist/). */
async function refmysqld() {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run npx tsc -p tsconfig.json first`);
  const srv = await startRefmysqld(MAIN, ['--mysqlx=OFF']);
  return { ...srv, file: join(srv.datadir, 'b', 'logs.ARZ') };
}

/** MariaDB with its ARCHIVE plugin loaded, or null where MariaDB is not installed. */
async function mariadb() {
  if (spawnSync('which', ['mariadbd']).status !== 0 && !existsSync('/usr/sbin/mariadbd')) return null;
  const srv = await startMariaDb(['--plugin-load-add=ha_archive.so']);
  return { ...srv, file: join(srv.datadir, 'b', 'logs.ARZ') };
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
