/**
 * sysbench compatibility (not performance): a small `prepare` and a bounded number of events of
 * `oltp_point_select` and `oltp_read_only` must complete without errors, both with server-side
 * prepared statements (`--db-ps-mode=auto`, binary protocol) and with plain text queries.
 * Runs are bounded by event count (`--events`, `--time=0`), so nothing here depends on speed.
 *
 * @spec https://github.com/akopytov/sysbench
 * @req CORE-PEER-008
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requirePeer } from '../helpers/mariadb.js';
import { runCommand, startRefTarget, type ServerTarget } from '../helpers/peers.js';
import { req } from '../helpers/req.js';

const TABLE_SIZE = 200;
const EVENTS = 40;

function sysbenchArgs(target: ServerTarget, workload: string): string[] {
  return [
    workload,
    '--db-driver=mysql',
    '--mysql-host=127.0.0.1',
    `--mysql-port=${target.port}`,
    '--mysql-user=root',
    '--mysql-password=',
    '--mysql-db=sbtest',
    '--tables=1',
    `--table-size=${TABLE_SIZE}`,
    '--mysql-storage-engine=memory',
  ];
}

/** The interesting lines of a failed sysbench run (FATAL lines embed whole statements). */
function problems(out: string): string {
  return out
    .split('\n')
    .filter((l) => /FATAL|ALERT|WARNING/.test(l))
    .map((l) => l.slice(0, 400))
    .join('\n');
}

describe('sysbench against the server under test', () => {
  let target: ServerTarget;

  beforeAll(async () => {
    requirePeer(['sysbench']);
    target = await startRefTarget();
    const c = await target.connect();
    try {
      await c.query('DROP DATABASE IF EXISTS sbtest');
      await c.query('CREATE DATABASE sbtest');
    } finally {
      await c.end();
    }
  }, 120_000);

  afterAll(async () => {
    await target?.stop();
  }, 60_000);

  it(req('CORE-PEER-008', 'peer', `sysbench prepare creates and fills sbtest1 (${TABLE_SIZE} rows, MEMORY)`), async () => {
    const r = await runCommand('sysbench', [...sysbenchArgs(target, 'oltp_read_only'), '--threads=1', 'prepare'], {
      timeoutMs: 120_000,
    });
    expect(problems(r.stdout + r.stderr), 'sysbench prepare output').toBe('');
    expect(r.code).toBe(0);
    const c = await target.connect();
    try {
      const [rows] = await c.query({
        sql: 'SELECT COUNT(*), MIN(id), MAX(id) FROM sbtest.sbtest1',
        rowsAsArray: true,
      });
      expect((rows as unknown[][])[0]?.map(String)).toEqual([String(TABLE_SIZE), '1', String(TABLE_SIZE)]);
    } finally {
      await c.end();
    }
  }, 180_000);

  for (const workload of ['oltp_point_select', 'oltp_read_only']) {
    for (const psMode of ['auto', 'disable']) {
      it(req('CORE-PEER-008', 'peer', `${workload} runs ${EVENTS} events without errors (db-ps-mode=${psMode})`), async () => {
        const r = await runCommand(
          'sysbench',
          [
            ...sysbenchArgs(target, workload),
            '--threads=2',
            `--events=${EVENTS}`,
            '--time=0',
            '--report-interval=0',
            `--db-ps-mode=${psMode}`,
            'run',
          ],
          { timeoutMs: 120_000 },
        );
        expect(problems(r.stdout + r.stderr), `${workload} output`).toBe('');
        expect(r.code).toBe(0);
        expect(r.stdout).toMatch(new RegExp(`transactions:\\s+${EVENTS}\\s`));
        expect(r.stdout).toMatch(/ignored errors:\s+0\s/);
      }, 180_000);
    }
  }
});
