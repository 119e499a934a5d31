/**
 * Gap, next-key and insert-intention locks in the lock system: the compatibility rules between
 * them, waits and timeouts of an insert intention behind a gap lock, a deadlock that runs
 * through two inserts, and how data_locks spells each mode.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { req } from '../../../helpers/req.js';
import { dataLocksMode, recordLocksCompatible, type GapMode, type RecordLockMode } from '../../../../src/storage/innodb/lock/lock-modes.js';
import { LockSys, SUPREMUM_KEY } from '../../../../src/storage/innodb/lock/lock-sys.js';
import { errnoOf, flush, owner, rec, track } from './fixtures.js';

afterEach(() => {
  vi.useRealTimers();
});

const GAPS: GapMode[] = ['record', 'gap', 'next-key', 'insert-intention'];
const MODES: RecordLockMode[] = ['S', 'X'];

/** The rules written out independently: may `want` be granted beside another owner's `held`? */
function expected(want: [RecordLockMode, GapMode], held: [RecordLockMode, GapMode]): boolean {
  const [wm, wg] = want;
  const [hm, hg] = held;
  if (wg === 'insert-intention') return hg === 'record' || hg === 'insert-intention';
  if (wg === 'gap') return true;
  if (hg === 'gap' || hg === 'insert-intention') return true;
  return wm === 'S' && hm === 'S';
}

describe('compatibility', () => {
  it(req(['INNODB-LOCK-301'], 'unit', 'gap locks never conflict, insert intentions wait only for gap and next-key locks, record locks ignore gaps'), () => {
    for (const wm of MODES) for (const wg of GAPS) for (const hm of MODES) for (const hg of GAPS) {
      expect(recordLocksCompatible(wm, wg, hm, hg), `${wm}/${wg} beside ${hm}/${hg}`).toBe(expected([wm, wg], [hm, hg]));
    }
    // On the supremum everything but an insert intention is a gap lock.
    expect(recordLocksCompatible('X', 'next-key', 'X', 'next-key', true)).toBe(true);
    expect(recordLocksCompatible('X', 'insert-intention', 'S', 'next-key', true)).toBe(false);
  });

  it(req(['INNODB-LOCK-301'], 'unit', 'data_locks spells the modes as InnoDB does'), () => {
    expect(dataLocksMode('RECORD', 'X', 'next-key')).toBe('X');
    expect(dataLocksMode('RECORD', 'S', 'record')).toBe('S,REC_NOT_GAP');
    expect(dataLocksMode('RECORD', 'X', 'gap')).toBe('X,GAP');
    expect(dataLocksMode('RECORD', 'X', 'insert-intention')).toBe('X,INSERT_INTENTION');
    expect(dataLocksMode('TABLE', 'IX')).toBe('IX');
  });
});

describe('lock system', () => {
  it(req(['INNODB-LOCK-301', 'INNODB-LOCK-304'], 'unit', 'an insert intention waits for a next-key lock and is granted when it goes'), async () => {
    const sys = new LockSys();
    const [a, b] = [owner(1), owner(2)];
    expect(sys.lockRecord(rec(a, '20', 'X', { gap: 'next-key' }))).toBe('granted');
    // Another reader's gap lock on the same record does not wait.
    expect(sys.lockRecord(rec(b, '20', 'X', { gap: 'gap' }))).toBe('granted');
    const c = owner(3);
    const p = track(sys.lockRecord(rec(c, '20', 'X', { gap: 'insert-intention' })));
    await flush();
    expect(p.current.state).toBe('pending');
    const modes = sys.locks().map((l) => `${l.trxId}:${l.mode}:${l.status}`);
    expect(modes).toEqual(['1:X:GRANTED', '2:X,GAP:GRANTED', '3:X,INSERT_INTENTION:WAITING']);
    expect(sys.waits().map((w) => `${w.requesting.trxId}->${w.blocking.trxId}`)).toEqual(['3->1', '3->2']);
    sys.releaseAll(a);
    await flush();
    expect(p.current.state).toBe('pending');
    sys.releaseAll(b);
    await flush();
    expect(p.current).toEqual({ state: 'resolved', value: 'granted' });
  });

  it(req(['INNODB-LOCK-301'], 'unit', 'a record lock does not stop an insert intention; an unblocked insert intention leaves no lock'), () => {
    const sys = new LockSys();
    const [a, b] = [owner(1), owner(2)];
    expect(sys.lockRecord(rec(a, '20', 'X'))).toBe('granted');
    expect(sys.lockRecord(rec(b, '20', 'X', { gap: 'insert-intention' }))).toBe('granted');
    expect(sys.lockRecord(rec(b, '30', 'X', { gap: 'insert-intention' }))).toBe('granted');
    expect(sys.locks().map((l) => `${l.trxId}:${l.keyText}:${l.mode}`)).toEqual(['1:20:X,REC_NOT_GAP']);
    // A record lock request passes another owner's gap lock.
    expect(sys.lockRecord(rec(a, '30', 'X', { gap: 'gap' }))).toBe('granted');
    expect(sys.lockRecord(rec(b, '30', 'X'))).toBe('granted');
  });

  it(req(['INNODB-LOCK-301', 'INNODB-LOCK-302'], 'unit', 'the supremum: next-key requests of two readers coexist, an insert waits, LOCK_DATA names it'), async () => {
    const sys = new LockSys();
    const [a, b, c] = [owner(1), owner(2), owner(3)];
    expect(sys.lockRecord(rec(a, SUPREMUM_KEY, 'X', { gap: 'next-key' }))).toBe('granted');
    expect(sys.lockRecord(rec(b, SUPREMUM_KEY, 'X', { gap: 'next-key' }))).toBe('granted');
    const p = track(sys.lockRecord(rec(c, SUPREMUM_KEY, 'X', { gap: 'insert-intention' })));
    await flush();
    expect(p.current.state).toBe('pending');
    expect(sys.locks()[0]!.keyText).toBe('supremum pseudo-record');
    expect(sys.locks()[0]!.mode).toBe('X');
    sys.releaseAll(a);
    sys.releaseAll(b);
    await flush();
    expect(p.current.state).toBe('resolved');
  });

  it(req(['INNODB-LOCK-301', 'INNODB-LOCK-304'], 'unit', 'an insert intention behind a gap lock times out with 1205'), async () => {
    vi.useFakeTimers();
    const sys = new LockSys();
    const [a, b] = [owner(1), owner(2)];
    expect(sys.lockRecord(rec(a, '30', 'S', { gap: 'gap' }))).toBe('granted');
    const p = track(sys.lockRecord(rec(b, '30', 'X', { gap: 'insert-intention', timeoutMs: 1000 })));
    await vi.advanceTimersByTimeAsync(1001);
    expect(p.current.state).toBe('rejected');
    expect(errnoOf((p.current as { error: unknown }).error)).toBe(1205);
    expect(sys.locks().map((l) => l.trxId)).toEqual([1n]);
  });

  it(req(['INNODB-LOCK-301', 'INNODB-LOCK-304'], 'unit', 'two inserts into each other\'s locked gap are a deadlock (1213)'), async () => {
    const sys = new LockSys();
    const [a, b] = [owner(1, 5), owner(2, 1)];
    expect(sys.lockRecord(rec(a, '20', 'X', { gap: 'next-key' }))).toBe('granted');
    expect(sys.lockRecord(rec(b, '40', 'X', { gap: 'next-key' }))).toBe('granted');
    const pa = track(sys.lockRecord(rec(a, '40', 'X', { gap: 'insert-intention' })));
    await flush();
    expect(pa.current.state).toBe('pending');
    // b is the lighter transaction: its own request closes the cycle and it is the victim.
    let errno: number | null = null;
    try {
      sys.lockRecord(rec(b, '20', 'X', { gap: 'insert-intention' }));
    } catch (e) {
      errno = errnoOf(e);
    }
    expect(errno).toBe(1213);
    expect(sys.latestDeadlock()).toContain('locks gap before rec insert intention');
    sys.releaseAll(b);
    await flush();
    expect(pa.current).toEqual({ state: 'resolved', value: 'granted' });
  });
});
