/**
 * The coordinator's short path for transactions that changed nothing: an autocommitted
 * statement whose one engine wrote nothing commits synchronously without the commit hook, a
 * transaction that wrote takes the general path, and two-phase commit prepares only the
 * participants that changed something. Engines here are small doubles that log their calls.
 */
import { describe, expect, it } from 'vitest';
import { req } from '../../helpers/req.js';
import { TcLogDisk, TcLogDouble } from '../../helpers/tc-log-double.js';
import { SessionTransaction, type TransactionHost } from '../../../src/exec/txn/session-transaction.js';
import { ServerTransactions } from '../../../src/exec/txn/server-transactions.js';
import { isolationOf, isOn } from '../../../src/exec/txn/characteristics.js';
import { sqlError } from '../../../src/kernel/errors.js';
import type { Xid } from '../../../src/kernel/xid.js';
import { internalEngineContext, type EngineTransaction, type StorageEngine, type TransactionOptions } from '../../../src/storage/handler.js';

/** A transaction double: logs its calls; `wrote` says whether it changed anything. */
class FakeTxn implements EngineTransaction {
  wrote = false;
  failCommit = false;
  constructor(
    readonly engine: string,
    private readonly log: string[],
    readonly options: TransactionOptions,
  ) {}
  beginStatement(): void {
    this.log.push(`${this.engine}:begin-stmt`);
  }
  endStatement(): void {
    this.log.push(`${this.engine}:end-stmt`);
  }
  rollbackStatement(): void {
    this.log.push(`${this.engine}:rollback-stmt`);
  }
  savepoint(): void {}
  rollbackToSavepoint(): void {}
  releaseSavepoint(): void {}
  prepare(_xid: Xid): void {
    this.log.push(`${this.engine}:prepare`);
  }
  commit(): void {
    if (this.failCommit) throw new Error('disk on fire');
    this.log.push(`${this.engine}:commit`);
  }
  rollback(): void {
    this.log.push(`${this.engine}:rollback`);
  }
  wroteNothing(): boolean {
    return !this.wrote;
  }
}

function fakeEngine(name: string, log: string[], txns: FakeTxn[]): StorageEngine {
  const e = {
    name,
    capabilities: { xa: true, savepoints: true },
    beginTransaction: (_ctx: unknown, options: TransactionOptions): EngineTransaction => {
      const t = new FakeTxn(name, log, options);
      txns.push(t);
      return t;
    },
  };
  return e as unknown as StorageEngine;
}

function setup(autocommit = true): { txn: SessionTransaction; log: string[]; tc: TcLogDouble; a: StorageEngine; b: StorageEngine; txns: FakeTxn[]; vars: Map<string, unknown> } {
  const log: string[] = [];
  const txns: FakeTxn[] = [];
  const a = fakeEngine('A', log, txns);
  const b = fakeEngine('B', log, txns);
  const vars = new Map<string, unknown>();
  const tc = new TcLogDouble(new TcLogDisk());
  const host: TransactionHost = {
    sysvar: (n) => (vars.get(n) as never) ?? null,
    autocommit: () => autocommit,
    warn: () => undefined,
    baseContext: () => internalEngineContext(() => null),
    beforeCommit: () => {
      log.push('commit-lock');
    },
  };
  const services = new ServerTransactions({ serverId: 1, tcLog: tc, engines: () => [a, b] });
  return { txn: new SessionTransaction(host, services), log, tc, a, b, txns, vars };
}

const ctx = internalEngineContext(() => null);

describe('commit of transactions that changed nothing', () => {
  it(req(['CORE-PERF-030', 'CORE-PERF-031'], 'unit', 'an autocommitted read commits synchronously, without the commit lock; a write takes the general path with it'), async () => {
    const w = setup();
    w.txn.join(w.a, ctx);
    const ended = w.txn.endStatement(null);
    expect(ended).toBeUndefined();
    expect(w.log).toEqual(['A:begin-stmt', 'A:end-stmt', 'A:commit']);
    expect(w.txn.participants).toEqual([]);
    expect(w.txn.inTransaction()).toBe(false);
    // The same session again: a fresh engine transaction each statement.
    w.txn.join(w.a, ctx);
    w.txns[1]!.wrote = true;
    await w.txn.endStatement(null);
    expect(w.log.slice(3)).toEqual(['A:begin-stmt', 'A:end-stmt', 'commit-lock', 'A:commit']);
    expect(w.txns.length).toBe(2);
  });

  it(req(['CORE-PERF-030'], 'unit', 'a failing read rolls back; a commit failure surfaces as 1180 and the transaction is over'), async () => {
    const w = setup();
    w.txn.join(w.a, ctx);
    await w.txn.endStatement(sqlError('ER_SUBQUERY_NO_1_ROW'));
    expect(w.log).toEqual(['A:begin-stmt', 'A:rollback']);
    w.txn.join(w.a, ctx);
    w.txns[1]!.failCommit = true;
    let err: unknown = null;
    try {
      await w.txn.endStatement(null);
    } catch (e) {
      err = e;
    }
    expect((err as { errno?: number }).errno).toBe(1180);
    expect(w.txn.participants).toEqual([]);
  });

  it(req(['CORE-PERF-031'], 'unit', 'two-phase commit prepares only the participants that wrote; with one writer there is no log record at all'), async () => {
    const w = setup(false);
    w.txn.join(w.a, ctx);
    w.txn.join(w.b, ctx);
    w.txns[0]!.wrote = true;
    await w.txn.endStatement(null);
    await w.txn.commit();
    expect(w.log.filter((x) => x.includes('prepare') || x.includes('commit'))).toEqual(['commit-lock', 'A:commit', 'B:commit']);
    expect(w.tc.writes).toBe(0);
    // Both wrote: both prepare, one decision record.
    w.txn.join(w.a, ctx);
    w.txn.join(w.b, ctx);
    w.txns[2]!.wrote = true;
    w.txns[3]!.wrote = true;
    await w.txn.endStatement(null);
    await w.txn.commit();
    expect(w.log.slice(-5)).toEqual(['commit-lock', 'A:prepare', 'B:prepare', 'A:commit', 'B:commit']);
    expect(w.tc.writes).toBe(1);
    // Neither wrote (a read-only explicit transaction): no commit lock either.
    w.txn.join(w.a, ctx);
    w.txn.join(w.b, ctx);
    await w.txn.endStatement(null);
    const before = w.log.length;
    await w.txn.commit();
    expect(w.log.slice(before)).toEqual(['A:commit', 'B:commit']);
  });

  it(req(['CORE-PERF-032'], 'unit', 'the characteristics of a statement transaction: every accepted spelling gives the same level and access mode'), () => {
    expect(isolationOf('REPEATABLE-READ')).toBe('REPEATABLE-READ');
    expect(isolationOf('read committed')).toBe('READ-COMMITTED');
    expect(isolationOf('Serializable')).toBe('SERIALIZABLE');
    expect(isolationOf('READ-UNCOMMITTED')).toBe('READ-UNCOMMITTED');
    expect(isolationOf(null)).toBe('REPEATABLE-READ');
    expect(isolationOf('bogus')).toBe('REPEATABLE-READ');
    for (const v of [1n, 'ON', 'on', '1', 'TRUE', 1]) expect(isOn(v)).toBe(true);
    for (const v of [0n, 'OFF', 'off', '0', null, 0]) expect(isOn(v)).toBe(false);
    const w = setup();
    w.vars.set('transaction_isolation', 'READ-COMMITTED');
    w.vars.set('transaction_read_only', 'ON');
    w.txn.join(w.a, ctx);
    expect(w.txns[0]!.options).toMatchObject({ isolation: 'READ-COMMITTED', readOnly: true, singleStatement: true, consistentSnapshot: false });
  });
});
