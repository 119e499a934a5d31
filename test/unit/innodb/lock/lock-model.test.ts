/**
 * A model test of the lock system: random sequences of table and record lock requests (plain,
 * NOWAIT, SKIP LOCKED), releases and KILLs among 4 transactions on 5 records and 2 tables.
 * After every step the state seen through locks() / waits() is checked against rules written
 * here independently of the implementation: no two transactions hold incompatible locks on the
 * same object, no waiting request could be granted, every transaction waits for at most one
 * lock, data_lock_waits lists exactly the blocking edges, and with deadlock detection on the
 * wait-for graph never keeps a cycle. At the end every wait has ended and nothing is locked.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { req } from '../../../helpers/req.js';
import { sqlError } from '../../../../src/kernel/errors.js';
import { AbortableSignal } from '../../../../src/kernel/wait-signal.js';
import { LockSys } from '../../../../src/storage/innodb/lock/lock-sys.js';
import type { LockInfo } from '../../../../src/storage/innodb/lock/lock-types.js';
import { errnoOf, flush, owner, rec, TABLE_ID, type TestOwner } from './fixtures.js';

type TMode = 'IS' | 'IX' | 'S' | 'X';
type Cmd =
  | { t: 'rec'; o: number; k: number; mode: 'S' | 'X'; how: 'wait' | 'nowait' | 'skip' }
  | { t: 'table'; o: number; tbl: number; mode: TMode }
  | { t: 'release'; o: number }
  | { t: 'kill'; o: number };

const OWNERS = 4;
const KEYS = 5;
/** Records 0, 2, 4 are entries of the clustered index, 1 and 3 of a secondary one. */
const INDEXES = ['PRIMARY', 'k_1'];

const cmdArb: fc.Arbitrary<Cmd> = fc.oneof(
  { weight: 6, arbitrary: fc.record({ t: fc.constant('rec' as const), o: fc.nat(OWNERS - 1), k: fc.nat(KEYS - 1), mode: fc.constantFrom('S' as const, 'X' as const), how: fc.constantFrom('wait' as const, 'wait' as const, 'wait' as const, 'nowait' as const, 'skip' as const) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('table' as const), o: fc.nat(OWNERS - 1), tbl: fc.nat(1), mode: fc.constantFrom<TMode>('IS', 'IX', 'IX', 'S', 'X') }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('release' as const), o: fc.nat(OWNERS - 1) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('kill' as const), o: fc.nat(OWNERS - 1) }) },
);

/** 15.7.1's table matrix and the record rule, written out again for the model. */
const TABLE_OK: Record<TMode, TMode[]> = { IS: ['IS', 'IX', 'S'], IX: ['IS', 'IX'], S: ['IS', 'S'], X: [] };
function compatible(l: LockInfo, m: LockInfo): boolean {
  if (l.type === 'TABLE') return TABLE_OK[l.rawMode].includes(m.rawMode);
  return l.rawMode === 'S' && m.rawMode === 'S';
}

function queueId(l: LockInfo): string {
  return l.type === 'TABLE' ? `T${l.tableId}` : `R${l.tableId}:${l.keyText ?? ''}`;
}

/** The model's edges: for each waiting lock, the locks that keep it waiting. */
function modelEdges(all: LockInfo[]): Map<LockInfo, LockInfo[]> {
  const queues = new Map<string, LockInfo[]>();
  for (const l of all) queues.set(queueId(l), [...(queues.get(queueId(l)) ?? []), l]);
  const out = new Map<LockInfo, LockInfo[]>();
  for (const q of queues.values()) {
    const granted = q.filter((l) => l.status === 'GRANTED');
    const waiting = q.filter((l) => l.status === 'WAITING');
    waiting.forEach((w, i) => {
      const holder = granted.some((g) => g.trxId === w.trxId);
      const blockers = granted.filter((g) => g.trxId !== w.trxId && !compatible(w, g));
      if (!holder) blockers.push(...waiting.slice(0, i).filter((e) => e.trxId !== w.trxId && !compatible(w, e)));
      out.set(w, blockers);
    });
  }
  return out;
}

/** What the model says of a new request: granted at once (covered, or nothing in its way) or not. */
const COVERS: Record<TMode, TMode[]> = { X: ['X', 'S', 'IX', 'IS'], S: ['S', 'IS'], IX: ['IX', 'IS'], IS: ['IS'] };
function modelGrants(all: LockInfo[], trxId: bigint, probe: Omit<LockInfo, 'lockId' | 'trxId' | 'connectionId' | 'status' | 'waitStartedMs'>): boolean {
  const q = all.filter((l) => queueId(l) === queueId(probe as LockInfo));
  const mine = q.filter((l) => l.status === 'GRANTED' && l.trxId === trxId);
  if (mine.some((l) => COVERS[l.rawMode].includes(probe.rawMode))) return true;
  const asLock = probe as LockInfo;
  if (q.some((l) => l.status === 'GRANTED' && l.trxId !== trxId && !compatible(asLock, l))) return false;
  if (mine.length > 0) return true;
  return !q.some((l) => l.status === 'WAITING' && l.trxId !== trxId && !compatible(asLock, l));
}

function checkInvariants(sys: LockSys, owners: TestOwner[], detect: boolean): void {
  const all = sys.locks();
  // 0. an index counts as locked exactly while some record of it is held or waited for (an
  //    insert into an index that is not skips looking for its next entry). CORE-PERF-048
  for (const ix of INDEXES) expect(sys.indexLocked(TABLE_ID, ix)).toBe(all.some((l) => l.type === 'RECORD' && l.indexName === ix));
  // 1. no incompatible granted pair on one object
  const granted = all.filter((l) => l.status === 'GRANTED');
  for (const a of granted) {
    for (const b of granted) {
      if (a !== b && a.trxId !== b.trxId && queueId(a) === queueId(b)) expect(compatible(a, b), `${queueId(a)} ${a.trxId}:${a.rawMode} ${b.trxId}:${b.rawMode}`).toBe(true);
    }
  }
  // 2. no waiting request that the rule would grant
  const edges = modelEdges(all);
  for (const [w, blockers] of edges) expect(blockers.length, `grantable waiter ${w.trxId}:${w.rawMode} on ${queueId(w)}`).toBeGreaterThan(0);
  // 3. one wait per transaction, counted
  const waiting = all.filter((l) => l.status === 'WAITING');
  expect(new Set(waiting.map((l) => l.trxId)).size).toBe(waiting.length);
  expect(sys.counters.currentWaits).toBe(waiting.length);
  // 4. data_lock_waits lists exactly the model's edges
  const expected = [...edges].flatMap(([w, bs]) => bs.map((b) => `${w.lockId}->${b.lockId}`)).sort();
  expect(sys.waits().map((e) => `${e.requesting.lockId}->${e.blocking.lockId}`).sort()).toEqual(expected);
  // 5. holdsRecord agrees with the granted locks
  for (const o of owners) {
    for (let k = 0; k < KEYS; k++) {
      const mine = granted.filter((l) => l.trxId === o.trxId && l.type === 'RECORD' && l.keyText === `k${k}`);
      expect(sys.holdsRecord(o, 7, `k${k}`, 'S')).toBe(mine.length > 0);
      expect(sys.holdsRecord(o, 7, `k${k}`, 'X')).toBe(mine.some((l) => l.rawMode === 'X'));
    }
  }
  // 6. with detection on, no cycle survives
  if (detect) {
    const next = new Map<bigint, bigint[]>();
    for (const [w, bs] of edges) next.set(w.trxId, bs.map((b) => b.trxId));
    for (const start of next.keys()) {
      const seen = new Set<bigint>();
      const todo = [...(next.get(start) ?? [])];
      while (todo.length > 0) {
        const n = todo.pop()!;
        expect(n, `cycle through trx ${start}`).not.toBe(start);
        if (seen.has(n)) continue;
        seen.add(n);
        todo.push(...(next.get(n) ?? []));
      }
    }
  }
}

describe('lock system model', () => {
  it(req(['INNODB-LOCK-101', 'INNODB-LOCK-102', 'INNODB-LOCK-103', 'INNODB-LOCK-104', 'INNODB-LOCK-105', 'INNODB-LOCK-108', 'INNODB-LOCK-109', 'INNODB-LOCK-110', 'INNODB-LOCK-111', 'CORE-PERF-048'], 'unit', 'random lock, release and kill sequences never grant incompatible locks nor leave a grantable waiter, and an index counts as locked exactly while a record of it is'), async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(cmdArb, { minLength: 1, maxLength: 40 }),
        fc.boolean(),
        fc.array(fc.nat(3), { minLength: OWNERS, maxLength: OWNERS }),
        async (cmds, detect, weights) => {
          const sys = new LockSys();
          const owners = weights.map((w, i) => owner(i + 1, w));
          const signals = new Map<TestOwner, AbortableSignal>();
          const victims: TestOwner[] = [];
          let unsettled = 0;
          const follow = (o: TestOwner, p: Promise<'granted'>): void => {
            unsettled++;
            p.then(
              () => unsettled--,
              (e: unknown) => {
                unsettled--;
                const errno = errnoOf(e);
                if (errno === 1213) victims.push(o);
                else expect(errno).toBe(1317);
              },
            );
          };
          const settle = async (): Promise<void> => {
            await flush();
            while (victims.length > 0) {
              sys.releaseAll(victims.shift()!); // the engine rolls the victim back
              await flush();
            }
          };
          const request = (
            o: TestOwner,
            probe: Parameters<typeof modelGrants>[2],
            f: (signal: AbortableSignal) => 'granted' | 'skipped' | Promise<'granted'>,
          ): void => {
            const signal = new AbortableSignal();
            signals.set(o, signal);
            const expectGrant = modelGrants(sys.locks(), o.trxId, probe);
            const deadlocks = sys.counters.deadlocks;
            try {
              const r = f(signal);
              if (r instanceof Promise) follow(o, r);
              // Granted at once exactly when the model says so, or when breaking a deadlock let it through.
              if (r === 'granted' && sys.counters.deadlocks === deadlocks) expect(expectGrant, 'granted against the rule').toBe(true);
              if (r !== 'granted') expect(expectGrant, 'refused or queued against the rule').toBe(false);
            } catch (e) {
              expect(expectGrant).toBe(false);
              const errno = errnoOf(e);
              if (errno === 1213) sys.releaseAll(o);
              else expect(errno).toBe(3572);
            }
          };
          for (const c of cmds) {
            const o = owners[c.o]!;
            const isWaiting = sys.summary(o).waiting !== null;
            if (c.t === 'rec' && !isWaiting) {
              request(o, { type: 'RECORD', tableId: 7, tableName: '`db`.`t`', indexName: 'PRIMARY', keyText: `k${c.k}`, rawMode: c.mode, mode: '' }, (signal) =>
                sys.lockRecord(rec(o, `k${c.k}`, c.mode, { indexName: INDEXES[c.k % INDEXES.length]!, signal, timeoutMs: Infinity, deadlockDetect: detect, noWait: c.how === 'nowait', skipLocked: c.how === 'skip' })),
              );
            } else if (c.t === 'table' && !isWaiting) {
              request(o, { type: 'TABLE', tableId: 100 + c.tbl, tableName: '`db`.`t`', indexName: null, keyText: null, rawMode: c.mode, mode: '' }, (signal) => sys.lockTable(o, 100 + c.tbl, '`db`.`t`', c.mode, { signal, timeoutMs: Infinity, deadlockDetect: detect }));
            } else if (c.t === 'release') {
              sys.releaseAll(o);
            } else if (c.t === 'kill' && isWaiting) {
              signals.get(o)!.abort(sqlError('ER_QUERY_INTERRUPTED'));
            }
            await settle();
            checkInvariants(sys, owners, detect);
          }
          for (const o of owners) sys.releaseAll(o);
          await settle();
          expect(sys.locks()).toEqual([]);
          expect(sys.counters.currentWaits).toBe(0);
          expect(unsettled).toBe(0);
        },
      ),
      { numRuns: 500 },
    );
  });
});
