/**
 * Deadlocks: cycles of two and three transactions, through granted locks and through queued
 * requests, the choice of the lighter victim, the synchronous 1213 when the requester is the
 * victim, and the report of the monitor's LATEST DETECTED DEADLOCK section.
 */
import { describe, expect, it } from 'vitest';
import { req } from '../../../helpers/req.js';
import { MAX_DEADLOCK_SEARCH_DEPTH } from '../../../../src/storage/innodb/lock/limits.js';
import { LockSys } from '../../../../src/storage/innodb/lock/lock-sys.js';
import { errnoOf, flush, owner, rec, thrownErrno, track } from './fixtures.js';

describe('deadlock detection', () => {
  it(req(['INNODB-LOCK-105', 'INNODB-ERR-003'], 'unit', 'two transactions: the requester is lighter, so its request fails with 1213 at once'), async () => {
    const sys = new LockSys();
    const a = owner(1, 5);
    const b = owner(2, 1);
    sys.lockRecord(rec(a, 'k1', 'X'));
    sys.lockRecord(rec(b, 'k2', 'X'));
    const pa = track(sys.lockRecord(rec(a, 'k2', 'X')));
    let thrown: unknown = null;
    try {
      sys.lockRecord(rec(b, 'k1', 'X'));
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toMatchObject({ errno: 1213, sqlState: '40001' });
    expect(sys.counters.deadlocks).toBe(1);
    await flush();
    expect(pa.current.state).toBe('pending');
    // The engine rolls the victim back: its locks go and A gets k2.
    sys.releaseAll(b);
    await flush();
    expect(pa.current).toEqual({ state: 'resolved', value: 'granted' });
  });

  it(req(['INNODB-LOCK-105', 'INNODB-ERR-003'], 'unit', "two transactions: the waiting one is lighter, so its wait fails with 1213 and the requester waits"), async () => {
    const sys = new LockSys();
    const a = owner(1, 1);
    const b = owner(2, 5);
    sys.lockRecord(rec(a, 'k1', 'X'));
    sys.lockRecord(rec(b, 'k2', 'X'));
    const pa = track(sys.lockRecord(rec(a, 'k2', 'X')));
    const pb = track(sys.lockRecord(rec(b, 'k1', 'X')));
    await flush();
    expect(pa.current.state === 'rejected' && errnoOf(pa.current.error)).toBe(1213);
    expect(pb.current.state).toBe('pending');
    expect(sys.summary(a).waiting).toBeNull();
    sys.releaseAll(a);
    await flush();
    expect(pb.current).toEqual({ state: 'resolved', value: 'granted' });
    expect(sys.counters).toMatchObject({ deadlocks: 1, currentWaits: 0 });
  });

  it(req(['INNODB-LOCK-105'], 'unit', 'equal weights: the requester is the victim'), () => {
    const sys = new LockSys();
    const [a, b] = [owner(1, 3), owner(2, 3)];
    sys.lockRecord(rec(a, 'k1', 'X'));
    sys.lockRecord(rec(b, 'k2', 'X'));
    track(sys.lockRecord(rec(a, 'k2', 'X')));
    expect(thrownErrno(() => sys.lockRecord(rec(b, 'k1', 'X')))).toBe(1213);
    expect(sys.summary(a).waiting?.keyText).toBe('k2');
  });

  it(req(['INNODB-LOCK-103', 'INNODB-LOCK-105'], 'unit', 'two S holders upgrading to X deadlock'), async () => {
    const sys = new LockSys();
    const [a, b] = [owner(1), owner(2)];
    sys.lockRecord(rec(a, 'k', 'S'));
    sys.lockRecord(rec(b, 'k', 'S'));
    const pa = track(sys.lockRecord(rec(a, 'k', 'X')));
    expect(thrownErrno(() => sys.lockRecord(rec(b, 'k', 'X')))).toBe(1213);
    sys.releaseAll(b);
    await flush();
    expect(pa.current.state).toBe('resolved');
    expect(sys.holdsRecord(a, 7, 'k', 'X')).toBe(true);
  });

  it(req(['INNODB-LOCK-105'], 'unit', 'three transactions: the lightest of the cycle is rolled back, whoever closed it'), async () => {
    const sys = new LockSys();
    const a = owner(1, 3);
    const b = owner(2, 1);
    const c = owner(3, 5);
    sys.lockRecord(rec(a, 'k1', 'X'));
    sys.lockRecord(rec(b, 'k2', 'X'));
    sys.lockRecord(rec(c, 'k3', 'X'));
    const pa = track(sys.lockRecord(rec(a, 'k2', 'X')));
    const pb = track(sys.lockRecord(rec(b, 'k3', 'X')));
    const pc = track(sys.lockRecord(rec(c, 'k1', 'X')));
    await flush();
    expect(pb.current.state === 'rejected' && errnoOf(pb.current.error)).toBe(1213);
    expect([pa.current.state, pc.current.state]).toEqual(['pending', 'pending']);
    sys.releaseAll(b);
    await flush();
    expect(pa.current.state).toBe('resolved');
    sys.releaseAll(a);
    await flush();
    expect(pc.current.state).toBe('resolved');
    expect(sys.counters.deadlocks).toBe(1);
    expect(sys.latestDeadlock()).toContain('*** (3) TRANSACTION:');
    expect(sys.latestDeadlock()).toContain('*** WE ROLL BACK TRANSACTION (3)\n');
  });

  it(req(['INNODB-LOCK-104', 'INNODB-LOCK-105'], 'unit', 'a cycle through a queued request (waiting behind an earlier waiter) is found'), () => {
    const sys = new LockSys();
    const [a, b, c] = [owner(1, 9), owner(2, 9), owner(3, 1)];
    sys.lockRecord(rec(a, 'k1', 'S'));
    sys.lockRecord(rec(c, 'k2', 'X'));
    track(sys.lockRecord(rec(b, 'k1', 'X'))); // B waits for A
    track(sys.lockRecord(rec(c, 'k1', 'S'))); // C waits behind B's request, not for A
    expect(sys.waits().map((w) => `${w.requesting.trxId}->${w.blocking.trxId}:${w.blocking.status}`)).toEqual(['2->1:GRANTED', '3->2:WAITING']);
    // A now waits for C: A -> C -> B -> A. C is the lightest.
    const pa = track(sys.lockRecord(rec(a, 'k2', 'X')));
    expect(sys.summary(c).waiting).toBeNull();
    expect(sys.latestDeadlock()).toContain('*** WE ROLL BACK TRANSACTION (2)');
    expect(pa.current.state).toBe('pending');
  });

  it(req(['INNODB-LOCK-105', 'INNODB-LOCK-113'], 'unit', 'a chain of waiting transactions deeper than the search bound counts as a deadlock of the requester'), () => {
    const sys = new LockSys();
    const n = MAX_DEADLOCK_SEARCH_DEPTH + 5;
    const owners = Array.from({ length: n }, (_, i) => owner(i + 1));
    owners.forEach((o, i) => sys.lockRecord(rec(o, `k${i}`, 'X')));
    // Built from the end, so each new wait sees the whole chain behind it.
    let failedAt = -1;
    for (let i = n - 2; i >= 0 && failedAt < 0; i--) {
      const errno = thrownErrno(() => track(sys.lockRecord(rec(owners[i]!, `k${i + 1}`, 'X'))));
      if (errno !== null) {
        expect(errno).toBe(1213);
        failedAt = i;
      }
    }
    expect(n - 1 - failedAt).toBe(MAX_DEADLOCK_SEARCH_DEPTH);
    expect(sys.latestDeadlock()).toContain('TOO DEEP OR LONG SEARCH IN THE LOCK TABLE WAITS-FOR GRAPH');
    expect(sys.latestDeadlock()).toContain(`TRANSACTION ${failedAt + 1}, ACTIVE`);
    expect(sys.summary(owners[failedAt]!).waiting).toBeNull();
  });

  it(req(['INNODB-LOCK-105'], 'unit', 'no cycle, no victim: a chain of waits is left alone'), () => {
    const sys = new LockSys();
    const [a, b, c] = [owner(1), owner(2), owner(3)];
    sys.lockRecord(rec(a, 'k1', 'X'));
    sys.lockRecord(rec(b, 'k2', 'X'));
    track(sys.lockRecord(rec(b, 'k1', 'X')));
    track(sys.lockRecord(rec(c, 'k2', 'X')));
    expect(sys.counters.deadlocks).toBe(0);
    expect(sys.latestDeadlock()).toBeNull();
  });
});

describe('deadlock report', () => {
  it(req(['INNODB-MON-008', 'INNODB-LOCK-113', 'INNODB-TRBL-002'], 'unit', 'the report lists both transactions, their locks and the one rolled back'), () => {
    let t = Date.UTC(2024, 0, 2, 3, 4, 5);
    const sys = new LockSys({ now: () => t });
    const logged: string[] = [];
    sys.onDeadlock = (text) => logged.push(text);
    const a = owner(21, 4, 'UPDATE t SET v = 1 WHERE id = 2', t - 7000);
    const b = owner(22, 0, 'SELECT * FROM t WHERE id = 1 FOR SHARE');
    expect(sys.latestDeadlock()).toBeNull();
    sys.lockTable(a, 7, '`db`.`t`', 'IX');
    sys.lockRecord(rec(a, '1', 'X'));
    sys.lockTable(b, 7, '`db`.`t`', 'IS');
    t += 2000;
    sys.lockRecord(rec(b, '2', 'S'));
    track(sys.lockRecord(rec(a, '2', 'X')));
    t += 1000;
    expect(thrownErrno(() => sys.lockRecord(rec(b, '1', 'S')))).toBe(1213);
    const text = sys.latestDeadlock()!;
    expect(logged).toEqual([text]);
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d 0x[0-9a-f]+$/);
    const body = lines.slice(1).join('\n');
    const recordLine = (trx: number, key: string, mode: string, waiting: boolean): string =>
      `RECORD LOCKS space id 7 page no 0 n bits 0 index PRIMARY of table \`db\`.\`t\` trx id ${trx} ${mode} locks rec but not gap${waiting ? ' waiting' : ''}\n` +
      'Record lock, heap no 0 PHYSICAL RECORD: n_fields 1; compact format; info bits 0\n' +
      ` 0: len 1; hex ${Buffer.from(key).toString('hex')}; asc ${key};;\n`;
    expect(body).toBe(
      '*** (1) TRANSACTION:\n' +
        'TRANSACTION 22, ACTIVE 3 sec\n' +
        'LOCK WAIT 3 lock struct(s), heap size 1136, 2 row lock(s)\n' +
        'MySQL thread id 122\n' +
        'SELECT * FROM t WHERE id = 1 FOR SHARE\n' +
        '\n*** (1) HOLDS THE LOCK(S):\n' +
        recordLine(22, '2', 'lock mode S', false) +
        '\n*** (1) WAITING FOR THIS LOCK TO BE GRANTED:\n' +
        recordLine(22, '1', 'lock mode S', true) +
        '\n*** (2) TRANSACTION:\n' +
        'TRANSACTION 21, ACTIVE 10 sec\n' +
        'LOCK WAIT 3 lock struct(s), heap size 1136, 2 row lock(s), undo log entries 4\n' +
        'MySQL thread id 121\n' +
        'UPDATE t SET v = 1 WHERE id = 2\n' +
        '\n*** (2) HOLDS THE LOCK(S):\n' +
        recordLine(21, '1', 'lock_mode X', false) +
        '\n*** (2) WAITING FOR THIS LOCK TO BE GRANTED:\n' +
        recordLine(21, '2', 'lock_mode X', true) +
        '\n*** WE ROLL BACK TRANSACTION (1)\n',
    );
  });

  it(req(['INNODB-MON-008'], 'unit', 'a later deadlock replaces the latest report; a failing log hook does not break locking'), () => {
    const sys = new LockSys();
    sys.onDeadlock = () => {
      throw new Error('log full');
    };
    for (const round of [1, 2]) {
      const a = owner(round * 10 + 1, 5, `first ${round}`);
      const b = owner(round * 10 + 2, 0, `second ${round}`);
      sys.lockRecord(rec(a, `a${round}`, 'X'));
      sys.lockRecord(rec(b, `b${round}`, 'X'));
      track(sys.lockRecord(rec(a, `b${round}`, 'X')));
      expect(thrownErrno(() => sys.lockRecord(rec(b, `a${round}`, 'X')))).toBe(1213);
      expect(sys.latestDeadlock()).toContain(`second ${round}`);
      expect(sys.latestDeadlock()).not.toContain(`second ${round - 1}`);
      sys.releaseAll(b);
      sys.releaseAll(a);
    }
    expect(sys.counters.deadlocks).toBe(2);
    expect(sys.locks()).toEqual([]);
  });
});
