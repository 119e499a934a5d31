/**
 * Shared helpers of the lock system tests: transactions as lock owners, record requests with
 * defaults, and a way to look at a promise's state without awaiting it.
 */
import { SqlError } from '../../../../src/kernel/errors.js';
import { NEVER_ABORTED, type WaitSignal } from '../../../../src/kernel/wait-signal.js';
import type { LockOwner, RecordLockRequest } from '../../../../src/storage/innodb/lock/lock-types.js';

export interface TestOwner extends LockOwner {
  /** Rows changed (the deadlock weight); tests set it. */
  rows: number;
  text: string;
}

export function owner(trxId: number, rows = 0, text = `UPDATE t SET v = v + 1 /* trx ${trxId} */`, startedAtMs?: number): TestOwner {
  const o: TestOwner = {
    trxId: BigInt(trxId),
    connectionId: 100 + trxId,
    rows,
    text,
    weight: () => o.rows,
    describe: () => o.text,
    ...(startedAtMs === undefined ? {} : { startedAtMs }),
  };
  return o;
}

export const TABLE_ID = 7;
export const TABLE_NAME = '`db`.`t`';

export function rec(o: LockOwner, key: string, mode: 'S' | 'X', extra: Partial<RecordLockRequest> = {}): RecordLockRequest {
  return {
    owner: o,
    tableId: TABLE_ID,
    tableName: TABLE_NAME,
    indexName: 'PRIMARY',
    key,
    keyText: key,
    mode,
    signal: NEVER_ABORTED as WaitSignal,
    timeoutMs: 50_000,
    deadlockDetect: true,
    ...extra,
  };
}

export type PromiseState<T> = { state: 'pending' } | { state: 'resolved'; value: T } | { state: 'rejected'; error: unknown };

/** Follow a promise: `track(p).current` tells its state after the microtasks have run. */
export function track<T>(p: T | Promise<T>): { readonly current: PromiseState<T> } {
  const box: { current: PromiseState<T> } = { current: { state: 'pending' } };
  if (!(p instanceof Promise)) {
    box.current = { state: 'resolved', value: p };
    return box;
  }
  p.then(
    (value) => (box.current = { state: 'resolved', value }),
    (error: unknown) => (box.current = { state: 'rejected', error }),
  );
  return box;
}

/** Let every queued microtask (promise callbacks) run. */
export async function flush(): Promise<void> {
  for (let i = 0; i < 5; i++) await Promise.resolve();
}

export function errnoOf(e: unknown): number | null {
  return e instanceof SqlError ? e.errno : null;
}

/** Run `f`, expecting it to throw a SqlError synchronously; returns its errno. */
export function thrownErrno(f: () => unknown): number | null {
  try {
    f();
  } catch (e) {
    return errnoOf(e);
  }
  return null;
}
