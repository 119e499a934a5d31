#!/usr/bin/env node
/**
 * bench/profile.mjs — where refmysqld spends its time under one sysbench workload: starts
 * refmysqld under V8's sampling profiler (`node --cpu-prof`), prepares the sbtest table, runs the
 * workload, stops the server cleanly so the profile is written, and prints the functions with
 * the most self time (and the share of time spent idle, in GC and in the program itself).
 *
 *   npm run profile -- oltp_point_select
 *   npm run profile -- oltp_read_only --threads 4 --time 10 --ps-mode disable --engine memory
 *
 * Options: --threads N (default 4), --time S (default 10), --engine innodb|memory (default
 * innodb), --ps-mode auto|disable (default auto), --table-size N (default 10000), --top N
 * (default 40), --out FILE (where the .cpuprofile goes; default a temporary file that is kept
 * and named at the end, to open in Chrome DevTools or speedscope), --server-main PATH (an
 * existing build; default: compile src/ to a temporary directory), --server-args "A" (extra server
 * options, e.g. "--io-threads=1"), --sysbench-args "A" (extra workload options, e.g. "--point-selects=0
 * --simple-ranges=1 --sum-ranges=0 --order-ranges=0 --distinct-ranges=0"). Only samples taken
 * while the workload runs are summarised (the saved .cpuprofile holds everything). With I/O
 * threads each thread writes a profile; the main thread's (thread id 0) is the one summarised.
 *
 * Numbers are informational: the profiler itself costs a few per cent, and the sysbench client
 * shares the machine's cores.
 *
 * @req CORE-PERF-001 CORE-PERF-025
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve, relative } from 'node:path';
import mysql from 'mysql2/promise';
import { buildRefmysqld, eachArg, killOnCleanup, REPO } from './lib/harness.mjs';
import { startRefmysqld } from './lib/servers.mjs';

function parseArgs(argv) {
  const o = { workload: 'oltp_point_select', threads: 4, time: 10, engine: 'innodb', psMode: 'auto', tableSize: 10000, top: 40, out: undefined, serverMain: undefined, serverArgs: [], sysbenchArgs: [] };
  const rest = [];
  eachArg(argv, (k, take) => {
    switch (k) {
      case '--threads': o.threads = Number(take()); break;
      case '--time': o.time = Math.min(120, Number(take())); break;
      case '--engine': o.engine = take().toLowerCase(); break;
      case '--ps-mode': o.psMode = take(); break;
      case '--table-size': o.tableSize = Number(take()); break;
      case '--top': o.top = Number(take()); break;
      case '--out': o.out = resolve(take()); break;
      case '--server-main': o.serverMain = resolve(take()); break;
      case '--server-args': o.serverArgs = take().split(/\s+/).filter(Boolean); break;
      case '--sysbench-args': o.sysbenchArgs = take().split(/\s+/).filter(Boolean); break;
      default:
        if (k.startsWith('--')) throw new Error(`unknown option ${k}`);
        rest.push(k);
    }
  });
  if (rest[0]) o.workload = rest[0];
  return o;
}

function sysbench(o, port, extra) {
  return new Promise((res) => {
    const args = [
      o.workload, '--db-driver=mysql', '--mysql-host=127.0.0.1', `--mysql-port=${port}`, '--mysql-user=root',
      '--mysql-password=', '--mysql-db=sbtest', '--tables=1', `--table-size=${o.tableSize}`,
      `--mysql-storage-engine=${o.engine}`, ...extra,
    ];
    const child = spawn('sysbench', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    killOnCleanup(child);
    let out = '';
    child.stdout.on('data', (t) => (out += t));
    child.stderr.on('data', (t) => (out += t));
    child.on('close', (code) => res({ code, out }));
  });
}

/**
 * Self time per function (by name and location) from a V8 .cpuprofile, counting only the samples
 * taken at or after `fromUs` (CLOCK_MONOTONIC microseconds, the clock both V8's sample times and
 * process.hrtime read), so the table load before the run is left out.
 */
function summarise(profile, fromUs) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const hits = new Map();
  const dt = profile.timeDeltas;
  let at = profile.startTime;
  const inWindow = profile.endTime > fromUs;
  for (let i = 0; i < profile.samples.length; i++) {
    at += dt[i] ?? 0;
    if (inWindow && at < fromUs) continue;
    const id = profile.samples[i];
    hits.set(id, (hits.get(id) ?? 0) + (dt[i] ?? 0));
  }
  const self = new Map();
  let total = 0;
  for (const [id, us] of hits) {
    const n = byId.get(id);
    const cf = n.callFrame;
    const file = cf.url ? relative(REPO, cf.url.replace(/^file:\/\//, '')).replace(/^.*?dist\//, '') : '';
    const key = `${cf.functionName || '(anonymous)'}  ${file}${file ? `:${cf.lineNumber + 1}` : ''}`;
    self.set(key, (self.get(key) ?? 0) + us);
    total += us;
  }
  return { total, rows: [...self.entries()].sort((a, b) => b[1] - a[1]) };
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const serverMain = o.serverMain ?? buildRefmysqld('profile');
  const profDir = mkdtempSync(join(tmpdir(), 'refmysql-profile-'));
  const server = await startRefmysqld(serverMain, [`--default-storage-engine=${o.engine === 'innodb' ? 'InnoDB' : 'MEMORY'}`, ...o.serverArgs], 'refmysqld', ['--cpu-prof', `--cpu-prof-dir=${profDir}`]);
  const c = await mysql.createConnection({ host: '127.0.0.1', port: server.port, user: 'root', password: '' });
  await c.query('CREATE DATABASE IF NOT EXISTS sbtest');
  await c.end();
  process.stderr.write(`profile: preparing sbtest1 (${o.tableSize} rows, ${o.engine}) ...\n`);
  const prep = await sysbench({ ...o, workload: 'oltp_read_only' }, server.port, ['--threads=1', 'prepare']);
  if (prep.code !== 0) throw new Error(`sysbench prepare failed:\n${prep.out.slice(-2000)}`);
  process.stderr.write(`profile: ${o.workload} threads=${o.threads} ps-mode=${o.psMode} for ${o.time}s ...\n`);
  const runStartUs = Number(process.hrtime.bigint() / 1000n);
  const run = await sysbench(o, server.port, [...o.sysbenchArgs, `--threads=${o.threads}`, `--time=${o.time}`, '--events=0', '--report-interval=0', `--db-ps-mode=${o.psMode}`, 'run']);
  const qps = /queries:\s+\d+\s+\(([\d.]+) per sec\.\)/.exec(run.out)?.[1];
  await new Promise((res) => {
    server.child.once('exit', res);
    server.stop();
  });
  // CPU.<date>.<time>.<pid>.<thread id>.<n>.cpuprofile: the main thread is thread 0.
  const files = readdirSync(profDir).filter((f) => f.endsWith('.cpuprofile'));
  const file = files.find((f) => f.split('.')[4] === '0') ?? files[0];
  if (!file) throw new Error('the server wrote no .cpuprofile (did it exit cleanly?)');
  const path = join(profDir, file);
  const profile = JSON.parse(readFileSync(path, 'utf8'));
  const { total, rows } = summarise(profile, runStartUs);
  const share = (name) => rows.filter(([k]) => k.startsWith(`${name}  `)).reduce((n, [, us]) => n + us, 0);
  const pct = (us) => `${((100 * us) / total).toFixed(1)}%`;
  const idle = share('(idle)');
  const busy = total - idle;
  console.log(`\n${o.workload}, ${o.threads} threads, ${o.engine}, db-ps-mode=${o.psMode}: ${qps ?? '?'} QPS under the profiler`);
  console.log(`profiled ${(total / 1e6).toFixed(1)} s of the run: idle ${pct(idle)}, GC ${pct(share('(garbage collector)'))}, program ${pct(share('(program)'))}`);
  console.log(`\n| self % of busy | self ms | function  file:line |\n|---:|---:|---|`);
  for (const [k, us] of rows.filter(([k]) => !k.startsWith('(idle)')).slice(0, o.top)) {
    console.log(`| ${((100 * us) / busy).toFixed(1)} | ${(us / 1000).toFixed(0)} | ${k.replace(/\|/g, '\\|')} |`);
  }
  if (o.out) copyFileSync(path, o.out);
  console.log(`\nprofile: ${o.out ?? path}`);
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e?.stack ?? e);
    process.exit(1);
  },
);
