#!/usr/bin/env node
/**
 * bench/sysbench.mjs — sysbench OLTP workloads against refmysqld and a throwaway MariaDB, in
 * the same run, on InnoDB tables (innodb_flush_log_at_trx_commit=1 on both) or MEMORY tables,
 * printing QPS, p95 latency and the refmysqld/MariaDB ratio.
 *
 *   npm run bench                       # both servers, both engines, PS and non-PS
 *   node bench/sysbench.mjs --time 5 --threads 1 --only mariadb --engine memory --ps-mode auto
 *
 * Options (all optional):
 *   --time S            seconds per run (default 10)
 *   --table-size N      rows per table (default 10000)
 *   --tables N          number of sbtest tables (default 1)
 *   --threads LIST      comma list (default 1,4)
 *   --engine LIST       innodb, memory or both (default innodb,memory); the servers are started
 *                       afresh for each engine
 *   --workloads LIST    comma list (default for innodb: oltp_point_select,oltp_read_only,
 *                       oltp_read_write,oltp_write_only; for memory: the first two)
 *   --ps-mode LIST      sysbench --db-ps-mode: auto (server-side prepared statements) and/or
 *                       disable (text protocol); default auto,disable
 *   --ignore-errors L   passed as --mysql-ignore-errors (e.g. 1213,1020 or all); default: none
 *   --only WHO          refmysqld | mariadb (default: both)
 *   --server-main PATH  an already built refmysqld main.js (default: compile src/ to a temp dir)
 *   --baseline-main P   also run another refmysqld build (e.g. the commit before a change) in the
 *                       same run, alternating with the first, and print the ratio of the two
 *   --server-args "A"   extra options for the refmysqld under test (e.g. "--io-threads=1")
 *   --baseline-args "A" extra options for the baseline; with no --baseline-main the baseline is
 *                       the same build as the one under test (compare one build with two settings)
 *   --rounds N          repeat every (workload, threads) cell N times, alternating the servers
 *                       each time, and report medians (default 1)
 *   --json FILE         also write the results as JSON
 *
 * Both servers run as child processes on 127.0.0.1 with fresh temporary data directories that
 * are removed at the end (also on Ctrl-C). Numbers are informational: nothing here asserts on
 * time, and on a small shared machine only ratios from the same run mean much.
 *
 * @spec https://github.com/akopytov/sysbench
 * @req CORE-PEER-008 CORE-PERF-025
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import mysql from 'mysql2/promise';
import { buildRefmysqld, eachArg, killOnCleanup } from './lib/harness.mjs';
import { startMariaDb, startRefmysqld } from './lib/servers.mjs';

function parseArgs(argv) {
  const o = {
    time: 10,
    tableSize: 10000,
    tables: 1,
    threads: [1, 4],
    engines: ['innodb', 'memory'],
    workloads: undefined,
    psModes: ['auto', 'disable'],
    ignoreErrors: undefined,
    only: undefined,
    serverMain: undefined,
    baselineMain: undefined,
    serverArgs: [],
    baselineArgs: undefined,
    rounds: 1,
    json: undefined,
  };
  eachArg(argv, (k, take) => {
    switch (k) {
      case '--time': o.time = Math.min(120, Number(take())); break;
      case '--table-size': o.tableSize = Number(take()); break;
      case '--tables': o.tables = Number(take()); break;
      case '--threads': o.threads = take().split(',').map(Number); break;
      case '--workloads': o.workloads = take().split(','); break;
      case '--engine': o.engines = take().toLowerCase().split(','); break;
      case '--ps-mode': o.psModes = take().split(','); break;
      case '--ignore-errors': o.ignoreErrors = take(); break;
      case '--only': o.only = take(); break;
      case '--server-main': o.serverMain = resolve(take()); break;
      case '--baseline-main': o.baselineMain = resolve(take()); break;
      case '--server-args': o.serverArgs = take().split(/\s+/).filter(Boolean); break;
      case '--baseline-args': o.baselineArgs = take().split(/\s+/).filter(Boolean); break;
      case '--rounds': o.rounds = Math.max(1, Math.min(20, Number(take()))); break;
      case '--json': o.json = resolve(take()); break;
      case '-h': case '--help':
        console.log('see the header of bench/sysbench.mjs for options');
        process.exit(0);
        break;
      default: throw new Error(`unknown option ${k}`);
    }
  });
  for (const e of o.engines) if (e !== 'innodb' && e !== 'memory') throw new Error('--engine must be innodb and/or memory');
  for (const m of o.psModes) if (m !== 'auto' && m !== 'disable') throw new Error('--ps-mode must be auto and/or disable');
  return o;
}

/** The workloads of one engine: all four on InnoDB; the read-only ones on MEMORY (sysbench's
 *  writes need transactions to mean anything). */
function workloadsFor(o, engine) {
  return o.workloads ?? (engine === 'innodb'
    ? ['oltp_point_select', 'oltp_read_only', 'oltp_read_write', 'oltp_write_only']
    : ['oltp_point_select', 'oltp_read_only']);
}

function startRef(o, serverMain, label = 'refmysqld', extra = []) {
  return startRefmysqld(serverMain, [`--default-storage-engine=${o.engine === 'innodb' ? 'InnoDB' : 'MEMORY'}`, '--innodb-flush-log-at-trx-commit=1', ...extra], label);
}

function startPeer(o) {
  return startMariaDb([
    `--innodb-buffer-pool-size=${o.engine === 'innodb' ? '256M' : '32M'}`,
    '--max-heap-table-size=256M',
    '--innodb-flush-log-at-trx-commit=1',
    `--default-storage-engine=${o.engine === 'innodb' ? 'InnoDB' : 'MEMORY'}`,
  ]);
}

function sysbenchArgs(o, port, workload) {
  return [
    workload,
    '--db-driver=mysql',
    '--mysql-host=127.0.0.1',
    `--mysql-port=${port}`,
    '--mysql-user=root',
    '--mysql-password=',
    '--mysql-db=sbtest',
    `--tables=${o.tables}`,
    `--table-size=${o.tableSize}`,
    `--mysql-storage-engine=${o.engine}`,
    ...(o.ignoreErrors ? [`--mysql-ignore-errors=${o.ignoreErrors}`] : []),
  ];
}

function runSysbench(args, timeoutS) {
  return new Promise((res) => {
    const child = spawn('sysbench', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    killOnCleanup(child);
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (t) => (out += t));
    child.stderr.on('data', (t) => (out += t));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutS * 1000);
    child.on('close', (code) => {
      clearTimeout(timer);
      res({ code, out });
    });
  });
}

function parseRun(out) {
  const num = (re) => {
    const m = re.exec(out);
    return m ? Number(m[1]) : NaN;
  };
  return {
    qps: num(/queries:\s+\d+\s+\(([\d.]+) per sec\.\)/),
    tps: num(/transactions:\s+\d+\s+\(([\d.]+) per sec\.\)/),
    p95: num(/95th percentile:\s+([\d.]+)/),
    errors: num(/ignored errors:\s+(\d+)/),
    fatal: (out.match(/FATAL:.*$/m) ?? [''])[0],
  };
}

async function prepare(o, server) {
  const c = await mysql.createConnection({ host: '127.0.0.1', port: server.port, user: 'root', password: '' });
  try {
    await c.query('DROP DATABASE IF EXISTS sbtest');
    await c.query('CREATE DATABASE sbtest');
  } finally {
    await c.end();
  }
  const r = await runSysbench([...sysbenchArgs(o, server.port, 'oltp_read_only'), '--threads=1', 'prepare'], 600);
  if (r.code !== 0) throw new Error(`sysbench prepare on ${server.label} failed:\n${fatalSummary(r.out)}`);
}

/** sysbench's FATAL lines, each cut short (they often embed a whole multi-row INSERT). */
function fatalSummary(out) {
  return out
    .split('\n')
    .filter((l) => l.includes('FATAL') || l.includes('error'))
    .map((l) => (l.length > 300 ? `${l.slice(0, 300)} ...` : l))
    .slice(0, 8)
    .join('\n');
}

function fmt(n, digits = 0) {
  return Number.isFinite(n) ? n.toFixed(digits) : '-';
}

function median(xs) {
  const v = xs.filter(Number.isFinite).sort((x, y) => x - y);
  if (v.length === 0) return NaN;
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

async function startServers(o) {
  const which = o.only ? [o.only] : ['refmysqld', 'mariadb'];
  const servers = [];
  for (const w of which) {
    if (w === 'refmysqld') {
      o.serverMain ??= buildRefmysqld('bench');
      servers.push(await startRef(o, o.serverMain, 'refmysqld', o.serverArgs));
    }
    else if (w === 'mariadb') servers.push(await startPeer(o));
    else throw new Error(`--only must be refmysqld or mariadb, not ${w}`);
  }
  const baselineMain = o.baselineMain ?? (o.baselineArgs ? (o.serverMain ??= buildRefmysqld('bench')) : undefined);
  if (baselineMain) servers.push(await startRef(o, baselineMain, 'baseline', o.baselineArgs ?? []));
  return servers;
}

/** Every (workload, threads) cell, `rounds` times, the servers alternating within each round. */
async function runCells(o, servers, failures) {
  const results = [];
  for (const psMode of o.psModes) for (const workload of workloadsFor(o, o.engine)) {
    for (const threads of o.threads) {
      const row = { engine: o.engine, psMode, workload, threads, runs: {} };
      for (let round = 0; round < o.rounds; round++) {
        const order = round % 2 === 0 ? servers : [...servers].reverse();
        for (const s of order) {
          if (!s.prepared) continue;
          process.stderr.write(`bench: ${o.engine} ps=${psMode} ${workload} threads=${threads} on ${s.label} for ${o.time}s (round ${round + 1}/${o.rounds}) ...\n`);
          const r = await runSysbench(
            [...sysbenchArgs(o, s.port, workload), `--threads=${threads}`, `--time=${o.time}`, '--events=0',
              '--percentile=95', '--report-interval=0', `--db-ps-mode=${psMode}`, 'run'],
            o.time + 60,
          );
          const parsed = parseRun(r.out);
          if (r.code !== 0 || parsed.fatal) failures.push(`${s.label} ${workload}/${threads}: exit ${r.code}\n${fatalSummary(r.out)}`);
          (row.runs[s.label] ??= []).push(parsed);
        }
      }
      for (const [label, runs] of Object.entries(row.runs)) {
        row[label] = { qps: median(runs.map((x) => x.qps)), p95: median(runs.map((x) => x.p95)), errors: runs.reduce((n, x) => n + (x.errors || 0), 0) };
      }
      results.push(row);
    }
  }
  return results;
}

function printTable(o, results) {
  const labels = ['refmysqld', 'baseline', 'MariaDB'].filter((l) => results.some((r) => r[l]));
  const header = ['engine', 'ps', 'workload', 'threads', ...labels.flatMap((l) => [`${l} QPS`, `${l} p95 ms`])];
  if (labels.includes('MariaDB') && labels.includes('refmysqld')) header.push('QPS ratio ref/MariaDB');
  if (labels.includes('baseline') && labels.includes('refmysqld')) header.push('QPS ratio ref/baseline');
  const rows = results.map((r) => {
    const cells = [r.engine, r.psMode === 'auto' ? 'PS' : 'text', r.workload, String(r.threads)];
    for (const l of labels) cells.push(fmt(r[l]?.qps), fmt(r[l]?.p95, 2));
    const ratio = (l) => (r.refmysqld?.qps && r[l]?.qps ? fmt(r.refmysqld.qps / r[l].qps, 3) : '-');
    if (header.includes('QPS ratio ref/MariaDB')) cells.push(ratio('MariaDB'));
    if (header.includes('QPS ratio ref/baseline')) cells.push(ratio('baseline'));
    return cells;
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  const med = o.rounds > 1 ? `, median of ${o.rounds} rounds` : '';
  console.log(`\nsysbench ${o.tables}x${o.tableSize} rows, ${o.time}s per run${med}; InnoDB with innodb_flush_log_at_trx_commit=1 on both servers; ps: PS = server-side prepared statements (--db-ps-mode=auto), text = COM_QUERY (--db-ps-mode=disable)\n`);
  console.log(line(header));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of rows) console.log(line(r));
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const failures = [];
  const results = [];
  for (const engine of o.engines) {
    const oe = { ...o, engine };
    const servers = await startServers(oe);
    for (const s of servers) {
      process.stderr.write(`bench: preparing ${o.tables} x ${o.tableSize} ${engine} rows on ${s.label} (port ${s.port}) ...\n`);
      try {
        await prepare(oe, s);
        s.prepared = true;
      } catch (e) {
        failures.push(String(e.message ?? e));
        s.prepared = false;
      }
    }
    results.push(...(await runCells(oe, servers, failures)));
    for (const s of servers) s.stop();
    // The next engine's servers start on new ports and data directories.
    o.serverMain ??= oe.serverMain;
  }
  printTable(o, results);
  if (o.json) writeFileSync(o.json, JSON.stringify({ options: o, results, failures }, null, 2));
  if (failures.length) {
    console.log(`\n${failures.length} problem(s):`);
    for (const f of failures) console.log(`- ${f}`);
    process.exitCode = 1;
  }
}

main().catch((e) => {
  console.error(e instanceof Error ? e.stack : e);
  process.exitCode = 1;
});
