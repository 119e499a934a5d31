#!/usr/bin/env node
/**
 * bench/engines.mjs — bulk insert and full scan per storage engine, refmysqld and MariaDB 10.11
 * side by side on the same engine, with the bytes each engine's table takes on disk.
 *
 *   node bench/engines.mjs                          # 1,000,000 rows, every engine both have
 *   node bench/engines.mjs --rows 100000 --engines MyISAM,ARCHIVE --only refmysqld
 *
 * Options:
 *   --rows N            rows per table (default 1000000)
 *   --batch N           rows per INSERT statement (default 1000)
 *   --engines LIST      comma list (default MyISAM,CSV,ARCHIVE,MEMORY,BLACKHOLE,InnoDB)
 *   --only WHO          refmysqld | mariadb (default: both)
 *   --server-main PATH  an already built refmysqld main.js (default: compile src/ to a temp dir)
 *
 * The table is the same for every engine: four NOT NULL columns and no index (CSV allows no
 * index and no NULL column, ARCHIVE an index only on AUTO_INCREMENT), rows of about 130 bytes
 * whose text repeats enough for compression to matter. The scan is `SELECT SUM(k), MAX(c)`,
 * which must read every row (COUNT(*) would be answered from MyISAM's row count). "disk" is the
 * engine's own figure (DATA_LENGTH + INDEX_LENGTH of information_schema.TABLES), so the ARCHIVE
 * compression ratio is raw bytes / disk bytes. A server that does not have an engine is listed
 * with the error it gave. Nothing here asserts on time; on a 2-core machine only ratios from one
 * run mean much.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/storage-engines.html (16)
 * @req CORE-PEER-008
 */
import mysql from 'mysql2/promise';
import { buildRefmysqld } from './lib/harness.mjs';
import { startMariaDb, startRefmysqld } from './lib/servers.mjs';

/** MariaDB builds ARCHIVE and BLACKHOLE as plugins; load them so both servers have them. */
const MARIADB_ENGINE_PLUGINS = ['ha_archive.so', 'ha_blackhole.so'];

function parseArgs(argv) {
  const o = { rows: 1_000_000, batch: 1000, engines: ['MyISAM', 'CSV', 'ARCHIVE', 'MEMORY', 'BLACKHOLE', 'InnoDB'], only: undefined, serverMain: undefined };
  for (let i = 0; i < argv.length; i++) {
    const take = () => argv[++i];
    switch (argv[i]) {
      case '--rows': o.rows = Number(take()); break;
      case '--batch': o.batch = Number(take()); break;
      case '--engines': o.engines = take().split(','); break;
      case '--only': o.only = take(); break;
      case '--server-main': o.serverMain = take(); break;
      default: throw new Error(`unknown option ${argv[i]}`);
    }
  }
  return o;
}

/** Row `i` as SQL values: text drawn from a small vocabulary, as log-like data is. */
function rowSql(i) {
  const words = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel'];
  const c = `${words[i % 8]}-${words[(i >> 3) % 8]}-${i % 1000}`.padEnd(60, '.');
  const pad = `${words[(i >> 6) % 8]} ${i}`.padEnd(60, ' ');
  return `(${i},${(i * 7919) % 100000},'${c}','${pad}')`;
}

/** Full scans per table; the fastest counts. */
const SCANS = 3;

/** Bytes a row holds before any engine stores it (4 + 4 + 60 + 60). */
const RAW_ROW_BYTES = 128;

async function runEngine(conn, engine, o) {
  await conn.query('DROP TABLE IF EXISTS bench.t');
  try {
    await conn.query(`CREATE TABLE bench.t (id INT NOT NULL, k INT NOT NULL, c CHAR(60) NOT NULL, pad CHAR(60) NOT NULL) ENGINE=${engine}`);
  } catch (e) {
    return { error: `${e.errno ?? ''} ${e.message}` };
  }
  if (engine === 'MEMORY') await conn.query('SET SESSION max_heap_table_size = 1024*1024*1024');
  const t0 = process.hrtime.bigint();
  for (let done = 0; done < o.rows; done += o.batch) {
    const n = Math.min(o.batch, o.rows - done);
    const values = Array.from({ length: n }, (_, j) => rowSql(done + j)).join(',');
    await conn.query(`INSERT INTO bench.t VALUES ${values}`);
  }
  const t1 = process.hrtime.bigint();
  await conn.query('FLUSH TABLES');
  // The best of SCANS scans: the first one also pays for warming caches and compiled code.
  let best = Infinity;
  let sum;
  for (let i = 0; i < SCANS; i++) {
    const t2 = process.hrtime.bigint();
    [sum] = await conn.query('SELECT SUM(k) AS s, MAX(c) AS m FROM bench.t');
    best = Math.min(best, Number(process.hrtime.bigint() - t2) / 1e9);
  }
  await conn.query('ANALYZE TABLE bench.t');
  const [st] = await conn.query("SELECT DATA_LENGTH + INDEX_LENGTH AS disk FROM information_schema.TABLES WHERE TABLE_SCHEMA='bench' AND TABLE_NAME='t'");
  await conn.query('DROP TABLE bench.t');
  const secs = (a, b) => Number(b - a) / 1e9;
  return {
    insertRowsPerS: Math.round(o.rows / secs(t0, t1)),
    scanRowsPerS: Math.round(o.rows / best),
    scanSum: String(sum[0].s),
    disk: Number(st[0]?.disk ?? 0),
  };
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const who = o.only ? [o.only] : ['refmysqld', 'mariadb'];
  const results = {};
  for (const w of who) {
    const srv =
      w === 'refmysqld'
        ? await startRefmysqld(o.serverMain ?? buildRefmysqld('bench'), ['--max-heap-table-size=1073741824'])
        : await startMariaDb(['--max-heap-table-size=1073741824', '--innodb-buffer-pool-size=256M', ...MARIADB_ENGINE_PLUGINS.map((p) => `--plugin-load-add=${p}`)]);
    const conn = await mysql.createConnection({ host: '127.0.0.1', port: srv.port, user: 'root', password: '' });
    await conn.query('CREATE DATABASE IF NOT EXISTS bench');
    results[srv.label] = {};
    for (const e of o.engines) {
      process.stderr.write(`bench: ${srv.label} ${e} ${o.rows} rows ...\n`);
      results[srv.label][e] = await runEngine(conn, e, o);
    }
    await conn.end();
    srv.stop();
  }
  const labels = Object.keys(results);
  console.log(`\nbulk insert (${o.batch} rows per INSERT) and full scan of ${o.rows} rows, ${RAW_ROW_BYTES} raw bytes per row\n`);
  const head = ['engine', ...labels.flatMap((l) => [`${l} insert rows/s`, `${l} scan rows/s`, `${l} disk MB`, `${l} raw/disk`])];
  if (labels.length === 2) head.push('insert ratio', 'scan ratio');
  console.log(`| ${head.join(' | ')} |`);
  console.log(`|${head.map(() => '---').join('|')}|`);
  for (const e of o.engines) {
    const cells = [e];
    for (const l of labels) {
      const r = results[l][e];
      if (r.error) cells.push(r.error, '', '', '');
      else cells.push(String(r.insertRowsPerS), String(r.scanRowsPerS), (r.disk / 1e6).toFixed(1), r.disk > 0 ? ((o.rows * RAW_ROW_BYTES) / r.disk).toFixed(2) : '-');
    }
    if (labels.length === 2) {
      const [a, b] = labels.map((l) => results[l][e]);
      const ratio = (x, y) => (x && y && !x.error && !y.error ? (x / y).toFixed(2) : '-');
      cells.push(a.error || b.error ? '-' : ratio(a.insertRowsPerS, b.insertRowsPerS), a.error || b.error ? '-' : ratio(a.scanRowsPerS, b.scanRowsPerS));
    }
    console.log(`| ${cells.join(' | ')} |`);
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
