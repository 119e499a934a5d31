/**
 * The background monitor thread, driven tick by tick with a fake clock: innodb_status_output
 * prints the report every output interval while it is ON; the lock-memory guard warns once,
 * prints at once and keeps printing while lock memory stays above 67 % of the pool; the
 * averaging window restarts after a minute.
 */
import { describe, expect, it } from 'vitest';
import { LOCK_MEMORY_WARNING_CODE, LOCK_STRUCT_BYTES, MonitorThread } from '../../../../src/storage/innodb/srv/monitor-thread.js';
import type { InnodbTrx } from '../../../../src/storage/innodb/trx/trx.js';
import { req } from '../../../helpers/req.js';
import { owner, rec } from '../lock/fixtures.js';
import { fakeEngine } from './fixtures.js';

function harness(vars: Record<string, bigint | string> = {}) {
  const { engine, obs } = fakeEngine(vars);
  let now = 2_000_000;
  const printed: string[] = [];
  const warnings: string[] = [];
  const thread = new MonitorThread(obs, {
    print: (t) => printed.push(t),
    warn: (code, msg) => warnings.push(`${code} ${msg}`),
    now: () => now,
    outputIntervalMs: 15_000,
  });
  const advance = (ms: number): void => {
    for (let t = 0; t < ms; t += 1000) {
      now += 1000;
      thread.tick();
    }
  };
  return { engine, obs, thread, printed, warnings, advance };
}

describe('InnoDB monitor thread', () => {
  it(req(['INNODB-MON-106'], 'unit', 'innodb_status_output ON prints the report every 15 s, OFF stops it'), () => {
    const h = harness({ innodb_status_output: 'OFF' });
    h.advance(30_000);
    expect(h.printed).toHaveLength(0);
    h.engine.vars.set('innodb_status_output', 'ON');
    // The first tick that sees ON starts the period; the report follows 15 s later.
    h.advance(15_000);
    expect(h.printed).toHaveLength(0);
    h.advance(1000);
    expect(h.printed).toHaveLength(1);
    expect(h.printed[0]).toContain('INNODB MONITOR OUTPUT');
    expect(h.printed[0]).toContain('Per second averages calculated from the last');
    h.advance(15_000);
    expect(h.printed).toHaveLength(2);
    h.engine.vars.set('innodb_status_output', 'OFF');
    h.advance(45_000);
    expect(h.printed).toHaveLength(2);
  });

  it(req(['INNODB-MON-102'], 'unit', 'with innodb_status_output_locks ON the periodic report lists each transaction\'s locks'), () => {
    const h = harness({ innodb_status_output: 'ON', innodb_status_output_locks: 'ON' });
    expect(h.obs.monitor.report(2_000_000)).toContain('LIST OF TRANSACTIONS FOR EACH SESSION:');
  });

  it(req(['INNODB-TRBL-005'], 'unit', 'lock memory over 67 % of the pool warns once, prints at once, and keeps the output on until it falls'), () => {
    const h = harness({ innodb_buffer_pool_size: 5n * 1024n * 1024n });
    const o = owner(1);
    const wanted = Math.ceil((5 * 1024 * 1024 * 0.67) / LOCK_STRUCT_BYTES) + 10;
    for (let i = 0; i < wanted; i++) h.engine.locks.lockRecord(rec(o, `k${i}`, 'X'));
    h.engine.trxs = [o as unknown as InnodbTrx];
    expect(h.thread.lockMemoryBytes()).toBeGreaterThan(5 * 1024 * 1024 * 0.67);
    h.advance(1000);
    expect(h.warnings).toHaveLength(1);
    expect(h.warnings[0]).toContain(`${LOCK_MEMORY_WARNING_CODE} Over 67 percent of the buffer pool is occupied by lock heaps`);
    expect(h.printed).toHaveLength(1);
    h.advance(15_000);
    expect(h.printed).toHaveLength(2);
    expect(h.warnings).toHaveLength(1);
    h.engine.locks.releaseAll(o);
    h.advance(30_000);
    expect(h.printed).toHaveLength(2);
  });

  it(req(['INNODB-MON-003'], 'unit', 'the averaging window restarts once it is about a minute old'), () => {
    const h = harness();
    h.obs.monitor.report(2_000_000);
    h.advance(50_000);
    const text = h.obs.monitor.report(2_050_000);
    const n = Number(/from the last (\d+) seconds/.exec(text)![1]);
    expect(n).toBeLessThanOrEqual(60);
    h.advance(120_000);
    const later = h.obs.monitor.report(2_170_000);
    expect(Number(/from the last (\d+) seconds/.exec(later)![1])).toBeLessThanOrEqual(60);
  });

  it(req(['INNODB-MON-004'], 'unit', 'start and stop manage an unref\'d timer'), () => {
    const h = harness();
    h.thread.start();
    expect(h.thread.running).toBe(true);
    h.thread.stop();
    expect(h.thread.running).toBe(false);
  });
});
