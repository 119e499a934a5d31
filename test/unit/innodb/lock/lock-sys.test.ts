/**
 * The lock system driven directly: FIFO queues, upgrades, timeouts, NOWAIT, SKIP LOCKED, KILL
 * through the wait signal, releases, introspection and counters.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { req } from '../../../helpers/req.js';
import { sqlError } from '../../../../src/kernel/errors.js';
import { AbortableSignal, NEVER_ABORTED } from '../../../../src/kernel/wait-signal.js';
import { LockSys } from '../../../../src/storage/innodb/lock/lock-sys.js';
import { errnoOf, flush, owner, rec, thrownErrno, track } from './fixtures.js';

afterEach(() => {
  vi.useRealTimers();
});

/** Which owners hold which mode on a key, and who waits, as `trx:mode:status` strings in queue order. */
function queueOf(sys: LockSys, key: string): string[] {
  return sys.locks().filter((l) => l.keyText === key).map((l) => `${l.trxId}:${l.rawMode}:${l.status}`);
}

describe('queues', () => {
  it(req(['INNODB-LOCK-104'], 'unit', 'a compatible request waits behind an earlier incompatible waiter (no starvation)'), async () => {
    const sys = new LockSys();
    const [a, b, c] = [owner(1), owner(2), owner(3)];
    expect(sys.lockRecord(rec(a, 'k', 'S'))).toBe('granted');
    const pb = track(sys.lockRecord(rec(b, 'k', 'X')));
    const pc = track(sys.lockRecord(rec(c, 'k', 'S')));
    await flush();
    expect(pb.current.state).toBe('pending');
    expect(pc.current.state).toBe('pending');
    expect(queueOf(sys, 'k')).toEqual(['1:S:GRANTED', '2:X:WAITING', '3:S:WAITING']);
    sys.releaseAll(a);
    await flush();
    expect(pb.current).toEqual({ state: 'resolved', value: 'granted' });
    expect(pc.current.state).toBe('pending');
    sys.releaseAll(b);
    await flush();
    expect(pc.current).toEqual({ state: 'resolved', value: 'granted' });
    expect(queueOf(sys, 'k')).toEqual(['3:S:GRANTED']);
  });

  it(req(['INNODB-LOCK-104', 'INNODB-LOCK-110'], 'unit', 'release grants waiters in FIFO order, all compatible ones together'), async () => {
    const sys = new LockSys();
    const [a, b, c, d, e] = [owner(1), owner(2), owner(3), owner(4), owner(5)];
    sys.lockRecord(rec(a, 'k', 'X'));
    const pb = track(sys.lockRecord(rec(b, 'k', 'S')));
    const pc = track(sys.lockRecord(rec(c, 'k', 'S')));
    const pd = track(sys.lockRecord(rec(d, 'k', 'X')));
    const pe = track(sys.lockRecord(rec(e, 'k', 'S')));
    sys.releaseAll(a);
    await flush();
    expect([pb, pc, pd, pe].map((p) => p.current.state)).toEqual(['resolved', 'resolved', 'pending', 'pending']);
    sys.releaseAll(b);
    sys.releaseAll(c);
    await flush();
    expect([pd, pe].map((p) => p.current.state)).toEqual(['resolved', 'pending']);
    sys.releaseAll(d);
    await flush();
    expect(pe.current.state).toBe('resolved');
  });

  it(req(['INNODB-LOCK-103'], 'unit', 'a holder re-requesting passes the waiters queued behind its own lock'), () => {
    const sys = new LockSys();
    const [a, b] = [owner(1), owner(2)];
    sys.lockRecord(rec(a, 'k', 'S'));
    track(sys.lockRecord(rec(b, 'k', 'X')));
    // A's upgrade conflicts with no granted lock of another transaction: granted at once.
    expect(sys.lockRecord(rec(a, 'k', 'X'))).toBe('granted');
    expect(queueOf(sys, 'k')).toEqual(['1:S:GRANTED', '1:X:GRANTED', '2:X:WAITING']);
  });

  it(req(['INNODB-LOCK-103'], 'unit', 'an S to X upgrade waits for the other S holders'), async () => {
    const sys = new LockSys();
    const [a, c] = [owner(1), owner(3)];
    sys.lockRecord(rec(a, 'k', 'S'));
    sys.lockRecord(rec(c, 'k', 'S'));
    const up = track(sys.lockRecord(rec(a, 'k', 'X')));
    await flush();
    expect(up.current.state).toBe('pending');
    expect(sys.holdsRecord(a, 7, 'k', 'X')).toBe(false);
    expect(sys.holdsRecord(a, 7, 'k', 'S')).toBe(true);
    sys.releaseAll(c);
    await flush();
    expect(up.current.state).toBe('resolved');
    expect(sys.holdsRecord(a, 7, 'k', 'X')).toBe(true);
  });

  it(req(['INNODB-LOCK-101', 'INNODB-LOCK-110'], 'unit', 'table S and X wait like records and are granted at release'), async () => {
    const sys = new LockSys();
    const [a, b] = [owner(1), owner(2)];
    expect(sys.lockTable(a, 9, '`db`.`u`', 'S')).toBe('granted');
    expect(sys.lockTable(b, 9, '`db`.`u`', 'IS')).toBe('granted');
    const ix = track(sys.lockTable(b, 9, '`db`.`u`', 'IX', { signal: NEVER_ABORTED, timeoutMs: 50_000, deadlockDetect: true }));
    await flush();
    expect(ix.current.state).toBe('pending');
    expect(sys.holdsTable(b, 9, 'IX')).toBe(false);
    sys.releaseAll(a);
    await flush();
    expect(ix.current.state).toBe('resolved');
    expect(sys.holdsTable(b, 9, 'IX')).toBe(true);
    expect(sys.holdsTable(b, 9, 'IS')).toBe(true);
  });
});

describe('waits that end without a grant', () => {
  it(req(['INNODB-LOCK-107', 'INNODB-ERR-004', 'INNODB-LOCK-112'], 'unit', 'a wait ends with 1205 after the timeout; only that request fails'), async () => {
    vi.useFakeTimers();
    const sys = new LockSys();
    const [a, b] = [owner(1), owner(2)];
    sys.lockRecord(rec(a, 'k', 'X'));
    sys.lockRecord(rec(b, 'other', 'X'));
    const p = track(sys.lockRecord(rec(b, 'k', 'X', { timeoutMs: 3000 })));
    expect(sys.counters).toMatchObject({ waits: 1, currentWaits: 1, timeouts: 0 });
    vi.advanceTimersByTime(2999);
    await flush();
    expect(p.current.state).toBe('pending');
    vi.advanceTimersByTime(1);
    await flush();
    expect(p.current.state).toBe('rejected');
    expect(p.current.state === 'rejected' && errnoOf(p.current.error)).toBe(1205);
    // The statement's lock wait failed; the transaction keeps what it had.
    expect(sys.holdsRecord(b, 7, 'other', 'X')).toBe(true);
    expect(queueOf(sys, 'k')).toEqual(['1:X:GRANTED']);
    expect(sys.counters).toEqual({ waits: 1, currentWaits: 0, timeouts: 1, deadlocks: 0, totalWaitMs: 3000, maxWaitMs: 3000 });
  });

  it(req(['INNODB-LOCK-107'], 'unit', 'a real short timeout fires and a grant clears the timer'), async () => {
    const sys = new LockSys();
    const [a, b, c] = [owner(1), owner(2), owner(3)];
    sys.lockRecord(rec(a, 'k', 'X'));
    const pb = sys.lockRecord(rec(b, 'k', 'S', { timeoutMs: 20 }));
    await expect(pb).rejects.toMatchObject({ errno: 1205, sqlState: 'HY000' });
    const pc = track(sys.lockRecord(rec(c, 'k', 'S', { timeoutMs: 30 })));
    sys.releaseAll(a);
    await new Promise((r) => setTimeout(r, 60));
    expect(pc.current).toEqual({ state: 'resolved', value: 'granted' });
    expect(sys.counters.timeouts).toBe(1);
  });

  it(req(['INNODB-LOCK-108'], 'unit', 'NOWAIT fails with 3572 at once and leaves nothing queued'), () => {
    const sys = new LockSys();
    const [a, b] = [owner(1), owner(2)];
    sys.lockRecord(rec(a, 'k', 'X'));
    let err: unknown = null;
    try {
      sys.lockRecord(rec(b, 'k', 'S', { noWait: true }));
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ errno: 3572, sqlState: 'HY000', message: 'Statement aborted because lock(s) could not be acquired immediately and NOWAIT is set.' });
    expect(queueOf(sys, 'k')).toEqual(['1:X:GRANTED']);
    expect(sys.counters.waits).toBe(0);
    expect(sys.lockRecord(rec(b, 'free', 'X', { noWait: true }))).toBe('granted');
  });

  it(req(['INNODB-LOCK-108'], 'unit', "SKIP LOCKED answers 'skipped' on a conflict and 'granted' otherwise"), () => {
    const sys = new LockSys();
    const [a, b] = [owner(1), owner(2)];
    sys.lockRecord(rec(a, 'k', 'X'));
    expect(sys.lockRecord(rec(b, 'k', 'S', { skipLocked: true }))).toBe('skipped');
    expect(sys.lockRecord(rec(b, 'j', 'X', { skipLocked: true }))).toBe('granted');
    expect(queueOf(sys, 'k')).toEqual(['1:X:GRANTED']);
    expect(sys.summary(b)).toMatchObject({ lockStructs: 1, rowLocks: 1, waiting: null });
  });

  it(req(['INNODB-LOCK-109'], 'unit', "KILL ends the wait with the signal's reason and lets the waiters behind it go"), async () => {
    const sys = new LockSys();
    const [a, b, c] = [owner(1), owner(2), owner(3)];
    sys.lockRecord(rec(a, 'k', 'S'));
    const kill = new AbortableSignal();
    const pb = track(sys.lockRecord(rec(b, 'k', 'X', { signal: kill })));
    const pc = track(sys.lockRecord(rec(c, 'k', 'S')));
    await flush();
    expect(pc.current.state).toBe('pending');
    kill.abort(sqlError('ER_QUERY_INTERRUPTED'));
    await flush();
    expect(pb.current.state === 'rejected' && errnoOf(pb.current.error)).toBe(1317);
    expect(pc.current).toEqual({ state: 'resolved', value: 'granted' });
    expect(queueOf(sys, 'k')).toEqual(['1:S:GRANTED', '3:S:GRANTED']);
    expect(sys.counters.currentWaits).toBe(0);
  });

  it(req(['INNODB-LOCK-109'], 'unit', 'a statement already killed does not start a wait'), () => {
    const sys = new LockSys();
    const [a, b] = [owner(1), owner(2)];
    sys.lockRecord(rec(a, 'k', 'X'));
    const s = new AbortableSignal();
    s.abort(sqlError('ER_QUERY_TIMEOUT'));
    expect(thrownErrno(() => sys.lockRecord(rec(b, 'k', 'X', { signal: s })))).toBe(3024);
    expect(queueOf(sys, 'k')).toEqual(['1:X:GRANTED']);
  });

  it(req(['INNODB-LOCK-105', 'INNODB-LOCK-109'], 'unit', 'cancelWait rejects the pending wait with the given error'), async () => {
    const sys = new LockSys();
    const [a, b] = [owner(1), owner(2)];
    sys.lockRecord(rec(a, 'k', 'X'));
    const pb = track(sys.lockRecord(rec(b, 'k', 'X')));
    expect(sys.cancelWait(b, sqlError('ER_LOCK_DEADLOCK'))).toBe(true);
    expect(sys.cancelWait(b, sqlError('ER_LOCK_DEADLOCK'))).toBe(false);
    await flush();
    expect(pb.current.state === 'rejected' && errnoOf(pb.current.error)).toBe(1213);
    expect(queueOf(sys, 'k')).toEqual(['1:X:GRANTED']);
  });

  it(req(['INNODB-LOCK-106', 'INNODB-LOCK-107'], 'unit', 'with deadlock detection off a cycle is left to the timeout'), async () => {
    vi.useFakeTimers();
    const sys = new LockSys();
    const [a, b] = [owner(1), owner(2)];
    sys.lockRecord(rec(a, 'k1', 'X'));
    sys.lockRecord(rec(b, 'k2', 'X'));
    const pa = track(sys.lockRecord(rec(a, 'k2', 'X', { deadlockDetect: false, timeoutMs: 1000 })));
    vi.advanceTimersByTime(10);
    const pb = track(sys.lockRecord(rec(b, 'k1', 'X', { deadlockDetect: false, timeoutMs: 1000 })));
    await flush();
    expect([pa.current.state, pb.current.state]).toEqual(['pending', 'pending']);
    expect(sys.latestDeadlock()).toBeNull();
    vi.advanceTimersByTime(990);
    await flush();
    expect(pa.current.state === 'rejected' && errnoOf(pa.current.error)).toBe(1205);
    expect(pb.current.state).toBe('pending');
    // The application rolls A back after its timeout: B goes on.
    sys.releaseAll(a);
    await flush();
    expect(pb.current.state).toBe('resolved');
    expect(sys.counters).toMatchObject({ deadlocks: 0, timeouts: 1, waits: 2, currentWaits: 0 });
  });
});

describe('releases', () => {
  it(req(['INNODB-LOCK-110'], 'unit', 'releaseAll frees every lock of the transaction and grants the waiters of each'), async () => {
    const sys = new LockSys();
    const [a, b, c] = [owner(1), owner(2), owner(3)];
    sys.lockTable(a, 7, '`db`.`t`', 'IX');
    for (const k of ['k1', 'k2', 'k3']) sys.lockRecord(rec(a, k, 'X'));
    sys.lockTable(b, 7, '`db`.`t`', 'IX');
    const pb = track(sys.lockRecord(rec(b, 'k1', 'X')));
    const pc = track(sys.lockRecord(rec(c, 'k3', 'S')));
    sys.releaseAll(a);
    await flush();
    expect(pb.current.state).toBe('resolved');
    expect(pc.current.state).toBe('resolved');
    expect(sys.ownerLocks(a)).toEqual([]);
    expect(sys.summary(b)).toMatchObject({ lockStructs: 2, rowLocks: 1, waiting: null });
    sys.releaseAll(b);
    sys.releaseAll(c);
    expect(sys.locks()).toEqual([]);
  });

  it(req(['INNODB-LOCK-110'], 'unit', 'releaseAll of a waiting transaction withdraws its request with 1317'), async () => {
    const sys = new LockSys();
    const [a, b] = [owner(1), owner(2)];
    sys.lockRecord(rec(a, 'k', 'X'));
    sys.lockRecord(rec(b, 'j', 'X'));
    const pb = track(sys.lockRecord(rec(b, 'k', 'X')));
    sys.releaseAll(b);
    await flush();
    expect(pb.current.state === 'rejected' && errnoOf(pb.current.error)).toBe(1317);
    expect(sys.locks().map((l) => `${l.trxId}:${l.keyText}`)).toEqual(['1:k']);
  });

  it(req(['INNODB-LOCK-110'], 'unit', "releaseRecord lets go of one record's locks before the end of the transaction"), async () => {
    const sys = new LockSys();
    const [a, b] = [owner(1), owner(2)];
    sys.lockRecord(rec(a, 'k', 'S'));
    sys.lockRecord(rec(a, 'k', 'X'));
    sys.lockRecord(rec(a, 'j', 'X'));
    const pb = track(sys.lockRecord(rec(b, 'k', 'X')));
    sys.releaseRecord(a, 7, 'k');
    await flush();
    expect(pb.current.state).toBe('resolved');
    expect(sys.summary(a)).toMatchObject({ lockStructs: 1, rowLocks: 1 });
  });

  it(req(['INNODB-LOCK-110'], 'unit', 'a transaction waits for one lock at a time'), () => {
    const sys = new LockSys();
    const [a, b] = [owner(1), owner(2)];
    sys.lockRecord(rec(a, 'k', 'X'));
    track(sys.lockRecord(rec(b, 'k', 'X')));
    expect(() => sys.lockRecord(rec(b, 'j', 'X'))).toThrow(/already waits/);
  });
});

describe('introspection', () => {
  it(req(['INNODB-LOCK-111'], 'unit', 'locks() and waits() list what data_locks and data_lock_waits show'), () => {
    vi.useFakeTimers();
    vi.setSystemTime(1_700_000_000_000);
    const sys = new LockSys();
    const [a, b] = [owner(1), owner(2)];
    sys.lockTable(a, 7, '`db`.`t`', 'IX');
    sys.lockRecord(rec(a, 'k', 'X'));
    sys.lockTable(b, 7, '`db`.`t`', 'IS');
    track(sys.lockRecord(rec(b, 'k', 'S')));
    const rows = sys.locks().map(({ lockId: _id, ...rest }) => rest);
    expect(rows).toEqual([
      { trxId: 1n, connectionId: 101, tableId: 7, tableName: '`db`.`t`', indexName: null, keyText: null, rawMode: 'IX', mode: 'IX', type: 'TABLE', status: 'GRANTED', waitStartedMs: null },
      { trxId: 2n, connectionId: 102, tableId: 7, tableName: '`db`.`t`', indexName: null, keyText: null, rawMode: 'IS', mode: 'IS', type: 'TABLE', status: 'GRANTED', waitStartedMs: null },
      { trxId: 1n, connectionId: 101, tableId: 7, tableName: '`db`.`t`', indexName: 'PRIMARY', keyText: 'k', rawMode: 'X', mode: 'X,REC_NOT_GAP', type: 'RECORD', status: 'GRANTED', waitStartedMs: null },
      { trxId: 2n, connectionId: 102, tableId: 7, tableName: '`db`.`t`', indexName: 'PRIMARY', keyText: 'k', rawMode: 'S', mode: 'S,REC_NOT_GAP', type: 'RECORD', status: 'WAITING', waitStartedMs: 1_700_000_000_000 },
    ]);
    const ids = new Set(sys.locks().map((l) => l.lockId));
    expect(ids.size).toBe(4);
    const waits = sys.waits();
    expect(waits).toHaveLength(1);
    expect([waits[0]!.requesting.trxId, waits[0]!.requesting.mode, waits[0]!.blocking.trxId, waits[0]!.blocking.mode]).toEqual([2n, 'S,REC_NOT_GAP', 1n, 'X,REC_NOT_GAP']);
    expect(sys.summary(b)).toMatchObject({ lockStructs: 2, rowLocks: 1, waiting: { keyText: 'k', status: 'WAITING' } });
    expect(sys.ownerLocks(b).map((l) => `${l.type}:${l.mode}:${l.status}`)).toEqual(['TABLE:IS:GRANTED', 'RECORD:S,REC_NOT_GAP:WAITING']);
  });

  it(req(['INNODB-LOCK-112'], 'unit', 'wait counters: waits, current waits, total and max wait time'), async () => {
    let t = 1000;
    const sys = new LockSys({ now: () => t });
    const [a, b, c] = [owner(1), owner(2), owner(3)];
    sys.lockRecord(rec(a, 'k', 'X'));
    const pb = sys.lockRecord(rec(b, 'k', 'S'));
    t += 40;
    const pc = sys.lockRecord(rec(c, 'k', 'S'));
    expect(sys.counters.currentWaits).toBe(2);
    t += 100;
    sys.releaseAll(a);
    await Promise.all([pb, pc]);
    expect(sys.counters).toEqual({ waits: 2, currentWaits: 0, timeouts: 0, deadlocks: 0, totalWaitMs: 240, maxWaitMs: 140 });
  });
});
