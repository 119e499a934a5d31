/**
 * The Standard Monitor report over a fake engine: section order and rules, the averaging
 * window, rates, the conditional sections, the LOG invariant, the buffer pool forms and the
 * ROW OPERATIONS lines.
 */
import { describe, expect, it } from 'vitest';
import { req } from '../../../helpers/req.js';
import { addTable, fakeEngine, sessions } from './fixtures.js';
import { owner, rec } from '../lock/fixtures.js';

const T0 = 1_000_000;

function titles(report: string): string[] {
  const lines = report.split('\n');
  const out: string[] = [];
  for (let i = 1; i + 1 < lines.length; i++) {
    if (/^-+$/.test(lines[i - 1]!) && /^-+$/.test(lines[i + 1]!) && /^[A-Z][A-Z /]+$/.test(lines[i]!)) out.push(lines[i]!);
  }
  return out;
}

describe('InnoDB Standard Monitor report', () => {
  it(req(['INNODB-MON-002', 'INNODB-MON-016', 'INNODB-MON-003'], 'unit', 'sections come in 8.0 order with title-long rules, between the banner and the END trailer'), () => {
    const { obs } = fakeEngine();
    const text = obs.monitor.report(T0 + 5000);
    expect(text.startsWith('\n=====================================\n')).toBe(true);
    expect(text).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d 0x[0-9a-f]+ INNODB MONITOR OUTPUT$/m);
    expect(text).toContain('Per second averages calculated from the last 5 seconds\n');
    expect(titles(text)).toEqual(['BACKGROUND THREAD', 'SEMAPHORES', 'TRANSACTIONS', 'FILE I/O', 'INSERT BUFFER AND ADAPTIVE HASH INDEX', 'LOG', 'BUFFER POOL AND MEMORY', 'ROW OPERATIONS']);
    for (const t of titles(text)) expect(text).toContain(`${'-'.repeat(t.length)}\n${t}\n${'-'.repeat(t.length)}\n`);
    expect(text.endsWith('----------------------------\nEND OF INNODB MONITOR OUTPUT\n============================\n')).toBe(true);
  });

  it(req(['INNODB-MON-003'], 'unit', 'the window is the whole seconds since the previous printout, at least 1'), () => {
    const { obs } = fakeEngine();
    obs.monitor.report(T0 + 10_000);
    expect(obs.monitor.report(T0 + 10_300)).toContain('from the last 1 seconds');
    expect(obs.monitor.report(T0 + 12_400)).toContain('from the last 2 seconds');
  });

  it(req(['INNODB-MON-015', 'INNODB-MON-017'], 'unit', 'row counts and their per-second rates over the window; read views; process id'), () => {
    const { engine, obs } = fakeEngine();
    obs.monitor.report(T0);
    engine.counters.inserted = 10;
    engine.counters.read = 5;
    engine.sys.openView(0n);
    const text = obs.monitor.report(T0 + 2000);
    expect(text).toContain('Number of rows inserted 10, updated 0, deleted 0, read 5\n5.00 inserts/s, 0.00 updates/s, 0.00 deletes/s, 2.50 reads/s\n');
    expect(text).toContain('1 read views open inside InnoDB\n');
    expect(text).toMatch(new RegExp(`^Process ID=${process.pid}, Main thread ID=\\d+ , state=sleeping$`, 'm'));
    for (const line of text.split('\n')) for (const m of line.matchAll(/(\S+)(?: \w+(?: \w+)?)?\/s/g)) if (/^\d/.test(m[1]!)) expect(m[1]).toMatch(/^\d+\.\d\d$/);
  });

  it(req(['INNODB-MON-007'], 'unit', 'LATEST FOREIGN KEY ERROR appears only once an error was noted, before TRANSACTIONS'), () => {
    const { obs } = fakeEngine();
    expect(obs.monitor.report(T0)).not.toContain('LATEST FOREIGN KEY ERROR');
    obs.monitor.noteForeignKeyError('2026-01-01 00:00:00 0x1 Transaction:\nForeign key constraint fails for table `db`.`child`');
    const text = obs.monitor.report(T0 + 1000);
    expect(titles(text).slice(2, 4)).toEqual(['LATEST FOREIGN KEY ERROR', 'TRANSACTIONS']);
    expect(text).toContain('Foreign key constraint fails for table `db`.`child`\n------------\nTRANSACTIONS');
  });

  it(req(['INNODB-MON-008'], 'unit', 'LATEST DETECTED DEADLOCK appears once the lock system found a deadlock'), async () => {
    const { engine, obs } = fakeEngine();
    expect(obs.monitor.report(T0)).not.toContain('LATEST DETECTED DEADLOCK');
    const a = owner(1, 5);
    const b = owner(2, 1);
    engine.locks.lockRecord(rec(a, 'k1', 'X'));
    engine.locks.lockRecord(rec(b, 'k2', 'X'));
    const waitA = engine.locks.lockRecord(rec(a, 'k2', 'X'));
    expect(() => engine.locks.lockRecord(rec(b, 'k1', 'X'))).toThrow();
    const text = obs.monitor.report(T0 + 1000);
    expect(titles(text).slice(2, 4)).toEqual(['LATEST DETECTED DEADLOCK', 'TRANSACTIONS']);
    expect(text).toMatch(/\*\*\* \(1\) TRANSACTION:[\s\S]*\*\*\* \(2\) TRANSACTION:[\s\S]*\*\*\* WE ROLL BACK TRANSACTION \(\d\)/);
    engine.locks.releaseAll(b);
    await waitA;
  });

  it(req(['INNODB-MON-012'], 'unit', 'LOG: checkpoint <= pages flushed <= flushed <= written <= LSN; all equal when idle after a checkpoint'), () => {
    const { engine, obs } = fakeEngine();
    const t = addTable(engine, 1, 3, { dirty: true });
    engine.redoStats = { lsn: 9000n, written: 8900n, flushed: 8800n, checkpointLsn: 8300n, logIos: 4, fsyncs: 2, pendingWrites: 0, pendingFsyncs: 0 };
    const lsns = (text: string): bigint[] =>
      ['Log sequence number', 'Log written up to', 'Log flushed up to', 'Pages flushed up to', 'Last checkpoint at'].map((l) => BigInt(new RegExp(`^${l} +(\\d+)$`, 'm').exec(text)![1]!));
    const [lsn, written, flushed, pages, checkpoint] = lsns(obs.monitor.report(T0));
    expect(checkpoint! <= pages! && pages! <= flushed! && flushed! <= written! && written! <= lsn!).toBe(true);
    engine.redoStats = { ...engine.redoStats, written: 9000n, flushed: 9000n, checkpointLsn: 9000n };
    t.dirty = false;
    const idle = lsns(obs.monitor.report(T0 + 1000));
    expect(new Set(idle).size).toBe(1);
    expect(obs.monitor.report(T0 + 2000)).toMatch(/^Log minimum file id is +3\nLog maximum file id is +3\n4 log i\/o's done, 0\.00 log i\/o's\/second$/m);
  });

  it(req(['INNODB-MON-013'], 'unit', 'the buffer pool hit-rate line appears after page gets, the "No buffer pool page gets" line when there were none'), () => {
    const { engine, obs } = fakeEngine();
    addTable(engine, 1, 10);
    engine.pool.load(1, 1, { kind: 'free', next: 0xffffffff, gen: 0 });
    for (let i = 0; i < 10; i++) engine.pool.peek(1, 1);
    expect(obs.monitor.report(T0)).toContain('Buffer pool hit rate 1000 / 1000, young-making rate 0 / 1000 not 0 / 1000\n');
    expect(obs.monitor.report(T0 + 1000)).toContain('No buffer pool page gets since the last printout\n');
  });

  it(req(['INNODB-MON-014'], 'unit', 'several instances add INDIVIDUAL BUFFER POOL INFO with one block per instance and the 22-dash rule'), () => {
    const { engine, obs } = fakeEngine({ innodb_buffer_pool_size: 2147483648n, innodb_buffer_pool_instances: 2n });
    addTable(engine, 1, 100_000);
    const text = obs.monitor.report(T0);
    expect(text).toContain(`${'-'.repeat(22)}\nINDIVIDUAL BUFFER POOL INFO\n${'-'.repeat(22)}\n---BUFFER POOL 0\nBuffer pool size   65536\n`);
    expect(text).toContain('---BUFFER POOL 1\nBuffer pool size   65536\n');
    expect(text.indexOf('INDIVIDUAL BUFFER POOL INFO')).toBeLessThan(text.indexOf('ROW OPERATIONS'));
  });

  it(req(['INNODB-MON-010', 'INNODB-MON-011'], 'unit', 'I/O thread lines follow the io-thread variables; one hash table line per AHI partition'), () => {
    const { obs } = fakeEngine({ innodb_read_io_threads: 2n, innodb_write_io_threads: 3n, innodb_adaptive_hash_index_parts: 5n });
    const text = obs.monitor.report(T0);
    expect(text.match(/^I\/O thread \d+ state: .*\((insert buffer|read|write) thread\)$/gm)).toHaveLength(6);
    expect(text.match(/\(read thread\)/g)).toHaveLength(2);
    expect(text.match(/\(write thread\)/g)).toHaveLength(3);
    expect(text).toContain('Pending normal aio reads: [0, 0] , aio writes: [0, 0, 0] ,\n ibuf aio reads:\n');
    expect(text.match(/^Hash table size \d+, node heap has \d+ buffer\(s\)$/gm)).toHaveLength(5);
  });

  it(req(['INNODB-MON-009'], 'unit', 'connections without a running transaction are listed as not started'), () => {
    const { obs } = fakeEngine();
    obs.sessions = sessions([4, 9]);
    const text = obs.monitor.report(T0);
    expect(text.match(/^---TRANSACTION \d+, not started\n0 lock struct\(s\), heap size \d+, 0 row lock\(s\)$/gm)).toHaveLength(2);
  });

  it(req(['INNODB-MON-004'], 'unit', 'the main thread counts active and idle loops'), () => {
    const { engine, obs } = fakeEngine();
    obs.monitor.tick(T0 + 1000);
    obs.monitor.tick(T0 + 2000);
    engine.counters.inserted = 1;
    obs.monitor.tick(T0 + 3000);
    expect(obs.monitor.report(T0 + 3000)).toContain('srv_master_thread loops: 2 srv_active, 0 srv_shutdown, 1 srv_idle\n');
  });
});
