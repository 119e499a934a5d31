/**
 * The metadata lock manager, table locks and the deadlock detector, driven directly.
 */
import { describe, expect, it } from 'vitest';
import { req } from '../../helpers/req.js';
import { MdlManager } from '../../../src/exec/locks/mdl-manager.js';
import {
  compatibleWhenGranted,
  compatibleWhenPending,
  covers,
  MDL_TYPES,
  type MdlRequest,
  type MdlType,
} from '../../../src/exec/locks/mdl-types.js';
import { SessionLocks } from '../../../src/exec/locks/session-locks.js';
import { TableLockManager } from '../../../src/exec/locks/table-locks.js';
import { findDeadlockVictim, type LockOwner, type WaitEdge } from '../../../src/exec/locks/wait-graph.js';
import type { ServerLocks } from '../../../src/exec/locks/server-locks.js';
import { AbortableSignal } from '../../../src/kernel/wait-signal.js';
import { SqlError, sqlError } from '../../../src/kernel/errors.js';

const ABBR: Record<string, MdlType> = {
  S: 'SHARED', SH: 'SHARED_HIGH_PRIO', SR: 'SHARED_READ', SW: 'SHARED_WRITE', SWLP: 'SHARED_WRITE_LOW_PRIO', SU: 'SHARED_UPGRADABLE',
  SRO: 'SHARED_READ_ONLY', SNW: 'SHARED_NO_WRITE', SNRW: 'SHARED_NO_READ_WRITE', X: 'EXCLUSIVE', IX: 'INTENTION_EXCLUSIVE',
};

/** The matrices of the MySQL manual (metadata locking), row = request, column = other lock. */
const OBJECT_COLS = ['S', 'SH', 'SR', 'SW', 'SWLP', 'SU', 'SRO', 'SNW', 'SNRW', 'X'];
const OBJECT_GRANTED = `
S    + + + + + + + + + -
SH   + + + + + + + + + -
SR   + + + + + + + + - -
SW   + + + + + + - - - -
SWLP + + + + + + - - - -
SU   + + + + + - + - - -
SRO  + + + - - + + + - -
SNW  + + + - - - + - - -
SNRW + + - - - - - - - -
X    - - - - - - - - - -`;
const OBJECT_PENDING = `
S    + + + + + + + + + -
SH   + + + + + + + + + +
SR   + + + + + + + + - -
SW   + + + + + + + - - -
SWLP + + + + + + - - - -
SU   + + + + + + + + + -
SRO  + + + - + + + + - -
SNW  + + + + + + + + + -
SNRW + + + + + + + + + -
X    + + + + + + + + + +`;
const SCOPED_COLS = ['IX', 'S', 'X'];
const SCOPED_GRANTED = `
IX + - -
S  - + -
X  - - -`;
const SCOPED_PENDING = `
IX + - -
S  + + -
X  + + +`;

function checkMatrix(ns: 'TABLE' | 'GLOBAL', cols: string[], text: string, f: typeof compatibleWhenGranted): number {
  let n = 0;
  for (const line of text.trim().split('\n')) {
    const [row, ...cells] = line.trim().split(/\s+/);
    cells.forEach((c, i) => {
      expect([row, cols[i], f(ns, ABBR[row!]!, ABBR[cols[i]!]!)]).toEqual([row, cols[i], c === '+']);
      n++;
    });
  }
  return n;
}

const table = (name: string, type: MdlType, duration: MdlRequest['duration'] = 'TRANSACTION'): MdlRequest => ({ namespace: 'TABLE', schema: 'db', name, type, duration });
const owner = (id: number): LockOwner & { waitingFor: WaitEdge | null } => ({ id, waitingFor: null });

describe('metadata lock compatibility', () => {
  it(req('CORE-MDL-001', 'unit', 'granted matrix of object and scoped locks is MySQL\'s'), () => {
    expect(checkMatrix('TABLE', OBJECT_COLS, OBJECT_GRANTED, compatibleWhenGranted)).toBe(100);
    expect(checkMatrix('GLOBAL', SCOPED_COLS, SCOPED_GRANTED, compatibleWhenGranted)).toBe(9);
  });
  it(req('CORE-MDL-002', 'unit', 'priority matrix for waiting requests is MySQL\'s'), () => {
    expect(checkMatrix('TABLE', OBJECT_COLS, OBJECT_PENDING, compatibleWhenPending)).toBe(100);
    expect(checkMatrix('GLOBAL', SCOPED_COLS, SCOPED_PENDING, compatibleWhenPending)).toBe(9);
  });
  it(req('CORE-MDL-001', 'unit', 'a stronger lock covers a weaker one, not the other way'), () => {
    expect(covers('TABLE', 'SHARED_NO_READ_WRITE', 'SHARED_WRITE')).toBe(true);
    expect(covers('TABLE', 'SHARED_WRITE', 'SHARED_READ')).toBe(true);
    expect(covers('TABLE', 'SHARED_READ', 'SHARED_WRITE')).toBe(false);
    expect(covers('TABLE', 'SHARED_UPGRADABLE', 'SHARED_WRITE')).toBe(false);
    expect(covers('GLOBAL', 'EXCLUSIVE', 'SHARED')).toBe(true);
    expect(covers('GLOBAL', 'SHARED', 'INTENTION_EXCLUSIVE')).toBe(false);
    for (const t of MDL_TYPES) if (t !== 'INTENTION_EXCLUSIVE') expect(covers('TABLE', 'EXCLUSIVE', t)).toBe(true);
  });
});

describe('metadata lock manager', () => {
  it(req(['CORE-MDL-001', 'CORE-MDL-002'], 'unit', 'a waiting EXCLUSIVE holds back new SHARED_READ; releasing the reader grants it'), () => {
    const m = new MdlManager();
    const a = owner(1), b = owner(2), c = owner(3);
    const sr = m.request(a, table('t', 'SHARED_READ'), 1);
    expect(sr.status).toBe('GRANTED');
    const x = m.request(b, table('t', 'EXCLUSIVE'), 1);
    expect(x.status).toBe('PENDING');
    const sr2 = m.request(c, table('t', 'SHARED_READ'), 1);
    expect(sr2.status).toBe('PENDING');
    expect(m.blockersOf(sr2)).toEqual([b]);
    expect(m.blockersOf(x)).toEqual([a]);
    m.release(sr);
    expect(x.status).toBe('GRANTED');
    expect(sr2.status).toBe('PENDING');
    m.release(x);
    expect(sr2.status).toBe('GRANTED');
    expect(m.snapshot().map((t) => [t.owner.id, t.type, t.status])).toEqual([[3, 'SHARED_READ', 'GRANTED']]);
  });
  it(req('CORE-MDL-001', 'unit', 'own locks never block the owner'), () => {
    const m = new MdlManager();
    const a = owner(1);
    m.request(a, table('t', 'SHARED_NO_READ_WRITE'), 1);
    expect(m.request(a, table('t', 'EXCLUSIVE'), 1).status).toBe('GRANTED');
  });
  it(req('CORE-MDL-013', 'unit', 'SU upgrades to SNW next to readers, to X only when they are gone'), async () => {
    const m = new MdlManager();
    const a = owner(1), b = owner(2), w = owner(3);
    const reader = m.request(b, table('t', 'SHARED_READ'), 1);
    const su = m.request(a, table('t', 'SHARED_UPGRADABLE'), 1);
    expect(m.requestUpgrade(su, 'SHARED_NO_WRITE')).toBeNull();
    expect(su.type).toBe('SHARED_NO_WRITE');
    expect(m.request(w, table('t', 'SHARED_WRITE'), 1).status).toBe('PENDING');
    const up = m.requestUpgrade(su, 'EXCLUSIVE')!;
    expect(up.status).toBe('PENDING');
    const epoch = m.epoch;
    m.release(reader);
    await up.wait!.promise;
    expect(su.type).toBe('EXCLUSIVE');
    expect(m.epoch).toBe(epoch + 1);
  });
  it(req('CORE-MDL-005', 'unit', 'a withdrawn request no longer holds back the requests behind it'), () => {
    const m = new MdlManager();
    const a = owner(1), b = owner(2), c = owner(3);
    m.request(a, table('t', 'SHARED_READ'), 1);
    const x = m.request(b, table('t', 'EXCLUSIVE'), 1);
    const sr = m.request(c, table('t', 'SHARED_READ'), 1);
    x.wait!.promise.catch(() => undefined);
    x.wait!.abort(sqlError('ER_LOCK_WAIT_TIMEOUT'));
    expect(sr.status).toBe('GRANTED');
  });
});

describe('table locks', () => {
  it(req('CORE-LOCK-001', 'unit', 'readers share, a writer excludes, first come first served'), () => {
    const m = new TableLockManager();
    const a = owner(1), b = owner(2), c = owner(3), d = owner(4);
    const r1 = m.request(a, 'k', 'db', 't', false);
    const r2 = m.request(b, 'k', 'db', 't', false);
    expect([r1.status, r2.status]).toEqual(['GRANTED', 'GRANTED']);
    const w = m.request(c, 'k', 'db', 't', true);
    const r3 = m.request(d, 'k', 'db', 't', false);
    expect([w.status, r3.status]).toEqual(['PENDING', 'PENDING']);
    m.release(r1);
    expect(w.status).toBe('PENDING');
    m.release(r2);
    expect([w.status, r3.status]).toEqual(['GRANTED', 'PENDING']);
    m.release(w);
    expect(r3.status).toBe('GRANTED');
    m.release(r3);
    expect(m.isLocked('k')).toBe(false);
  });
});

/** A graph node with a fixed edge. */
function node(id: number, weight: number): LockOwner & { waitingFor: WaitEdge | null; to: LockOwner[] } {
  const n = { id, to: [] as LockOwner[], waitingFor: null as WaitEdge | null };
  n.waitingFor = { weight, blockers: () => n.to, abort: () => undefined };
  return n;
}

describe('deadlock detector', () => {
  it(req('CORE-MDL-006', 'unit', 'finds a cycle and picks the lowest weight, the requester on ties'), () => {
    const a = node(1, 10), b = node(2, 100);
    a.to = [b];
    b.to = [a];
    expect(findDeadlockVictim(a)).toBe(a);
    expect(findDeadlockVictim(b)).toBe(a);
    const c = node(3, 10), d = node(4, 10);
    c.to = [d];
    d.to = [c];
    expect(findDeadlockVictim(c)).toBe(c);
    expect(findDeadlockVictim(d)).toBe(d);
  });
  it(req('CORE-MDL-006', 'unit', 'no cycle through the start: no victim; a cycle elsewhere is not ours'), () => {
    const a = node(1, 10), b = node(2, 10), c = node(3, 10);
    a.to = [b];
    b.to = [c];
    c.to = [b];
    expect(findDeadlockVictim(a)).toBeNull();
    const idle = { id: 9, waitingFor: null };
    a.to = [idle];
    expect(findDeadlockVictim(a)).toBeNull();
  });
  it(req('CORE-MDL-006', 'unit', 'a wait chain longer than the search depth counts as a deadlock'), () => {
    const chain = Array.from({ length: 40 }, (_, i) => node(i + 1, 10));
    for (let i = 0; i < chain.length - 1; i++) chain[i]!.to = [chain[i + 1]!];
    expect(findDeadlockVictim(chain[0]!)).not.toBeNull();
  });
});

/** Two sessions on one server, with a short lock_wait_timeout and their own signals. */
function sessions(n: number, timeout = 30): { locks: SessionLocks[]; signals: AbortableSignal[] } {
  const server: ServerLocks = { mdl: new MdlManager(), tables: new TableLockManager() };
  const signals = Array.from({ length: n }, () => new AbortableSignal());
  const locks = signals.map((sig, i) => new SessionLocks(server, i + 1, { lockWaitTimeout: () => timeout, signal: () => sig }));
  return { locks, signals };
}

async function errno(p: unknown): Promise<number> {
  try {
    await p;
    return 0;
  } catch (e) {
    return e instanceof SqlError ? e.errno : -1;
  }
}

describe('session locks', () => {
  it(req(['CORE-MDL-004', 'CORE-MDL-012'], 'unit', 'lock_wait_timeout ends a wait with 1205; the wait shows its state meanwhile'), async () => {
    const { locks: [a, b] } = sessions(2, 0.05);
    await a!.acquire(table('t', 'SHARED_NO_READ_WRITE', 'EXPLICIT'));
    const p = b!.acquire(table('t', 'SHARED_READ'));
    expect(b!.waitState()).toBe('Waiting for table metadata lock');
    expect(await errno(p)).toBe(1205);
    expect(b!.waitState()).toBeNull();
  });
  it(req('CORE-MDL-005', 'unit', 'the statement signal ends a wait with its reason'), async () => {
    const { locks: [a, b], signals } = sessions(2);
    await a!.acquire(table('t', 'EXCLUSIVE'));
    const p = b!.acquire(table('t', 'SHARED_READ'));
    signals[1]!.abort(sqlError('ER_QUERY_INTERRUPTED'));
    expect(await errno(p)).toBe(1317);
    a!.releaseTransaction();
    expect(await errno(b!.acquire(table('t', 'SHARED_READ')))).toBe(0);
  });
  it(req('CORE-MDL-006', 'unit', 'a DML waiter that closes a cycle with DDL gets 1213, the DDL goes on'), async () => {
    const { locks: [a, b] } = sessions(2);
    await a!.acquire(table('t', 'SHARED_READ'));
    const drop = b!.acquire(table('t', 'EXCLUSIVE'));
    const write = a!.acquire(table('t', 'SHARED_WRITE'));
    expect(await errno(write)).toBe(1213);
    a!.releaseTransaction();
    expect(await errno(drop)).toBe(0);
  });
  it(req('CORE-MDL-003', 'unit', 'statement, transaction and explicit locks end at their release points'), async () => {
    const { locks: [a, b] } = sessions(2, 0.05);
    await a!.acquire(table('s', 'EXCLUSIVE', 'STATEMENT'));
    await a!.acquire(table('t', 'EXCLUSIVE', 'TRANSACTION'));
    await a!.acquire(table('u', 'EXCLUSIVE', 'EXPLICIT'));
    a!.releaseStatement();
    expect(await errno(b!.acquire(table('s', 'SHARED_READ', 'STATEMENT')))).toBe(0);
    expect(await errno(b!.acquire(table('t', 'SHARED_READ', 'STATEMENT')))).toBe(1205);
    a!.releaseTransaction();
    expect(await errno(b!.acquire(table('t', 'SHARED_READ', 'STATEMENT')))).toBe(0);
    expect(await errno(b!.acquire(table('u', 'SHARED_READ', 'STATEMENT')))).toBe(1205);
    a!.releaseAll();
    expect(await errno(b!.acquire(table('u', 'SHARED_READ', 'STATEMENT')))).toBe(0);
  });
  it(req(['CORE-LOCK-006', 'CORE-LOCK-004'], 'unit', 'the commit lock waits while another session holds the global read lock'), async () => {
    const { locks: [a, b] } = sessions(2);
    const grl = await a!.acquireAll([
      { namespace: 'GLOBAL', schema: '', name: '', type: 'SHARED', duration: 'STATEMENT' },
      { namespace: 'COMMIT', schema: '', name: '', type: 'SHARED', duration: 'STATEMENT' },
    ]);
    a!.keepGlobalReadLock(grl);
    a!.releaseStatement();
    let committed = false;
    const commit = b!.acquireCommitLock().then((release) => {
      committed = true;
      release();
    });
    await new Promise((r) => setImmediate(r));
    expect(committed).toBe(false);
    expect(b!.waitState()).toBe('Waiting for commit lock');
    a!.releaseGlobalReadLock();
    await commit;
    expect(committed).toBe(true);
  });
  it(req(['CORE-LOCK-001', 'CORE-LOCK-007'], 'unit', 'table locks: a writer waits for readers, times out with 1205 and leaves the queue'), async () => {
    const { locks: [a, b, c] } = sessions(3, 0.05);
    a!.lockTables([{ key: 'db\u0000t', schema: 'db', name: 't', write: false }]);
    const w = b!.lockTables([{ key: 'db\u0000t', schema: 'db', name: 't', write: true }]);
    expect(w).toBeInstanceOf(Promise);
    expect(b!.waitState()).toBe('Waiting for table level lock');
    expect(await errno(w)).toBe(1205);
    expect(c!.lockTables([{ key: 'db\u0000t', schema: 'db', name: 't', write: false }])).toBeUndefined();
  });
});
