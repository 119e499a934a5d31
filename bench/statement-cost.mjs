#!/usr/bin/env node
/**
 * bench/statement-cost.mjs — what one statement of each sysbench kind costs the server: one
 * client runs each statement N times in a row against refmysqld and against a MariaDB 10.11
 * started in the same run, and the table gives the mean round trip and the server's CPU time per
 * statement (user + system time of the whole server process from /proc, all its threads). The
 * CPU figure is steadier than sysbench's QPS on a shared two-core machine, and it says where a
 * server is slower: in its own work, or in waiting for the client and the kernel.
 *
 *   npm run bench:statements
 *   node bench/statement-cost.mjs --n 5000 --rounds 3 --ps-mode auto,disable
 *
 * Options: --n N statements per kind and round (default 3000), --rounds N (default 2; the
 * smallest figure of the rounds is shown), --ps-mode LIST (auto = prepared statements through
 * mysql2's execute, disable = text through query; default both), --server-main PATH (an existing
 * build; default: compile src/ to a temporary directory), --baseline-main PATH (another build
 * measured the same way), --only refmysqld|mariadb.
 *
 * The client is mysql2 in this process, so a round trip includes its cost; compare the two
 * servers' figures with each other, not with sysbench's.
 *
 * @req CORE-PERF-047
 */
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import mysql from 'mysql2/promise';
import { buildRefmysqld, eachArg } from './lib/harness.mjs';
import { startMariaDb, startRefmysqld } from './lib/servers.mjs';

const TABLE_SIZE = 10000;
const RANGE = 100;

function parseArgs(argv) {
  const o = { n: 3000, rounds: 2, psModes: ['auto', 'disable'], serverMain: undefined, baselineMain: undefined, only: undefined };
  eachArg(argv, (k, take) => {
    switch (k) {
      case '--n': o.n = Number(take()); break;
      case '--rounds': o.rounds = Number(take()); break;
      case '--ps-mode': o.psModes = take().split(','); break;
      case '--server-main': o.serverMain = resolve(take()); break;
      case '--baseline-main': o.baselineMain = resolve(take()); break;
      case '--only': o.only = take(); break;
      default: throw new Error(`unknown option ${k}`);
    }
  });
  return o;
}

const id = () => 1 + Math.floor(Math.random() * TABLE_SIZE);
const range = () => {
  const a = 1 + Math.floor(Math.random() * (TABLE_SIZE - RANGE));
  return [a, a + RANGE - 1];
};

/** The statements of sysbench's OLTP workloads, with their argument generators. */
const KINDS = [
  ['point_select', 'SELECT c FROM sbtest1 WHERE id=?', () => [id()]],
  ['simple_range', 'SELECT c FROM sbtest1 WHERE id BETWEEN ? AND ?', range],
  ['sum_range', 'SELECT SUM(k) FROM sbtest1 WHERE id BETWEEN ? AND ?', range],
  ['order_range', 'SELECT c FROM sbtest1 WHERE id BETWEEN ? AND ? ORDER BY c', range],
  ['distinct_range', 'SELECT DISTINCT c FROM sbtest1 WHERE id BETWEEN ? AND ? ORDER BY c', range],
  ['index_update', 'UPDATE sbtest1 SET k=k+1 WHERE id=?', () => [id()]],
  ['non_index_update', 'UPDATE sbtest1 SET c=? WHERE id=?', () => [`${id()}-${id()}-${id()}`, id()]],
];

/** User + system CPU time of a process and all its threads, in microseconds. */
function cpuMicros(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1e6) / 100;
}

async function prepare(port) {
  const c = await mysql.createConnection({ host: '127.0.0.1', port, user: 'root', password: '' });
  await c.query('DROP DATABASE IF EXISTS sbtest');
  await c.query('CREATE DATABASE sbtest');
  await c.end();
  const r = spawnSync(
    'sysbench',
    ['oltp_read_only', '--db-driver=mysql', '--mysql-host=127.0.0.1', `--mysql-port=${port}`, '--mysql-user=root', '--mysql-password=', '--mysql-db=sbtest', '--tables=1', `--table-size=${TABLE_SIZE}`, '--mysql-storage-engine=innodb', 'prepare'],
    { encoding: 'utf8', timeout: 600_000 },
  );
  if (r.status !== 0) throw new Error(`sysbench prepare failed:\n${(r.stdout + r.stderr).slice(-2000)}`);
}

/** Per kind: mean round trip and server CPU per statement, in microseconds. */
async function measure(server, prepared, n) {
  const c = await mysql.createConnection({ host: '127.0.0.1', port: server.port, user: 'root', password: '', database: 'sbtest' });
  const out = new Map();
  try {
    for (const [name, sql, args] of KINDS) {
      const run = (a) => (prepared ? c.execute(sql, a) : c.query(sql, a));
      for (let i = 0; i < Math.min(500, n); i++) await run(args());
      const cpu0 = cpuMicros(server.child.pid);
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < n; i++) await run(args());
      const wall = Number(process.hrtime.bigint() - t0) / 1000 / n;
      out.set(name, { wall, cpu: (cpuMicros(server.child.pid) - cpu0) / n });
    }
  } finally {
    await c.end();
  }
  return out;
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const servers = [];
  if (o.only !== 'mariadb') {
    servers.push(await startRefmysqld(o.serverMain ?? buildRefmysqld('statement-cost'), ['--default-storage-engine=InnoDB']));
    if (o.baselineMain) servers.push(await startRefmysqld(o.baselineMain, ['--default-storage-engine=InnoDB'], 'baseline'));
  }
  if (o.only !== 'refmysqld') servers.push(await startMariaDb());
  for (const s of servers) {
    process.stderr.write(`statement-cost: preparing sbtest1 on ${s.label} ...\n`);
    await prepare(s.port);
  }
  const rows = [];
  for (const mode of o.psModes) {
    const best = new Map();
    for (let r = 0; r < o.rounds; r++) {
      for (const s of servers) {
        process.stderr.write(`statement-cost: ${mode} round ${r + 1}/${o.rounds} on ${s.label} ...\n`);
        const m = await measure(s, mode === 'auto', o.n);
        for (const [k, v] of m) {
          const key = `${s.label}\u0000${k}`;
          const b = best.get(key);
          best.set(key, b ? { wall: Math.min(b.wall, v.wall), cpu: Math.min(b.cpu, v.cpu) } : v);
        }
      }
    }
    for (const [name] of KINDS) rows.push({ mode, name, per: servers.map((s) => best.get(`${s.label}\u0000${name}`)) });
  }
  const head = servers.flatMap((s) => [`${s.label} µs`, `${s.label} CPU µs`]);
  const ratio = servers.length > 1 && servers[servers.length - 1].label === 'MariaDB';
  console.log(`\none client, ${o.n} statements per kind, best of ${o.rounds} rounds; CPU = server process user+system time per statement\n`);
  console.log(`| ps | statement | ${head.join(' | ')}${ratio ? ' | CPU ratio MariaDB/refmysqld |' : ' |'}`);
  console.log(`|---|---|${head.map(() => '---:').join('|')}|${ratio ? '---:|' : ''}`);
  for (const r of rows) {
    const cells = r.per.flatMap((v) => [v.wall.toFixed(0), v.cpu.toFixed(0)]);
    const q = ratio ? ` ${(r.per[r.per.length - 1].cpu / r.per[0].cpu).toFixed(2)} |` : '';
    console.log(`| ${r.mode === 'auto' ? 'PS' : 'text'} | ${r.name} | ${cells.join(' | ')} |${q}`);
  }
  for (const s of servers) s.stop();
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e?.stack ?? e);
    process.exit(1);
  },
);
