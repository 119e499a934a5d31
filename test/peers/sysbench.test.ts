/**
 * sysbench compatibility (not performance): a small `prepare` with sysbench's default engine
 * (`--mysql-storage-engine=innodb`, so `CREATE TABLE sbtest1 (...) ENGINE = innodb`) and a
 * bounded number of events of `oltp_point_select` and `oltp_read_only` must complete without
 * errors, both with server-side prepared statements (`--db-ps-mode=auto`, binary protocol) and
 * with plain text queries; then `oltp_read_write` and `oltp_write_only` run transactions at two
 * threads (BEGIN, updates, DELETE and re-INSERT of a row, COMMIT) and the table keeps exactly the
 * prepared number of rows. Runs are bounded by event count (`--events`, `--time=0`), so nothing
 * here depends on speed.
 *
 * @spec https://github.com/akopytov/sysbench
 * @req CORE-PEER-008 INNODB-PEER-101
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requirePeer } from '../helpers/mariadb.js';
import { runCommand, startRefTarget, type ServerTarget } from '../helpers/peers.js';
import { req } from '../helpers/req.js';

const TABLE_SIZE = 200;
const EVENTS = 40;
/** Transactions of each write workload (two threads share them). */
const WRITE_EVENTS = 60;

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
    // No --mysql-storage-engine: sysbench's default, innodb, is what users run.
  ];
}

/** `COUNT(*)` and the engine of sbtest.sbtest1. */
async function tableState(target: ServerTarget): Promise<[string, string]> {
  const c = await target.connect();
  try {
    const [rows] = await c.query({
      sql: "SELECT (SELECT COUNT(*) FROM sbtest.sbtest1), (SELECT ENGINE FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'sbtest' AND TABLE_NAME = 'sbtest1')",
      rowsAsArray: true,
    });
    const r = (rows as unknown[][])[0] ?? [];
    return [String(r[0]), String(r[1])];
  } finally {
    await c.end();
  }
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

  it(req(['CORE-PEER-008', 'INNODB-PEER-101'], 'peer', `sysbench prepare creates and fills sbtest1 (${TABLE_SIZE} rows, default engine InnoDB)`), async () => {
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
    expect(await tableState(target)).toEqual([String(TABLE_SIZE), 'InnoDB']);
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
  for (const workload of ['oltp_read_write', 'oltp_write_only']) {
    it(
      req(['CORE-PEER-008', 'INNODB-PEER-101'], 'peer', `${workload} runs ${WRITE_EVENTS} transactions at 2 threads (deadlocks retried, no other error) and keeps ${TABLE_SIZE} rows`),
      async () => {
        const r = await runCommand(
          'sysbench',
          [
            ...sysbenchArgs(target, workload),
            '--threads=2',
            `--events=${WRITE_EVENTS}`,
            '--time=0',
            '--report-interval=0',
            // Two writers on 200 rows deadlock now and then (1213), as they do on MySQL and
            // MariaDB; sysbench retries those transactions. Any other error is fatal here
            // (its default list would also hide 1205 lock wait timeouts and 1020).
            '--mysql-ignore-errors=1213',
            'run',
          ],
          { timeoutMs: 120_000 },
        );
        expect(problems(r.stdout + r.stderr), `${workload} output`).toBe('');
        expect(r.code).toBe(0);
        expect(r.stdout).toMatch(new RegExp(`transactions:\\s+${WRITE_EVENTS}\\s`));
        // Every transaction deleted one row and inserted it again: the count is unchanged.
        expect(await tableState(target)).toEqual([String(TABLE_SIZE), 'InnoDB']);
      },
      180_000,
    );
  }
});
