/**
 * Transactions through the contract, for engines that declare them: statement rollback,
 * savepoints, rollback, and two-phase commit (prepare, commit or rollback, and deciding
 * prepared transactions by XID after they are found by recover(), across a restart when the
 * engine keeps rows). Engines without transactions get these registered as skipped, with the
 * reason in the title.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/commit.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/savepoint.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/xa.html
 * @req CORE-ENG-003
 */
import { describe, expect } from 'vitest';
import type { Row } from '../../../src/kernel/value.js';
import { xidKey, type Xid } from '../../../src/kernel/xid.js';
import type { EngineTransaction, StorageEngine, TableHandler, TransactionOptions } from '../../../src/storage/handler.js';
import { capabilitiesOf, title, type EngineDescriptor } from '../descriptor.js';
import { context, READ, readAll, sortRows, type TestContext } from '../harness/contract.js';
import { people, peopleRows, scenario, withEngine } from './common.js';

const OPTIONS: TransactionOptions = { isolation: 'REPEATABLE-READ', readOnly: false, consistentSnapshot: false };

function xid(name: string): Xid {
  return { formatId: 1, gtrid: Buffer.from(name), bqual: Buffer.alloc(0) };
}

/** A session's transaction in the engine and the statement context that carries it. */
function begin(engine: StorageEngine, connectionId: number): { txn: EngineTransaction; ctx: TestContext } {
  const txn = engine.beginTransaction!(context({ connectionId }), OPTIONS);
  return { txn, ctx: context({ txn, connectionId }) };
}

/** One statement: begin, run, end (or roll the statement back when it throws). */
async function statement(s: { txn: EngineTransaction }, f: () => Promise<void> | void): Promise<void> {
  s.txn.beginStatement();
  try {
    await f();
  } catch (err) {
    await s.txn.rollbackStatement();
    throw err;
  }
  s.txn.endStatement();
}

/** The rows a new transaction reads (committed state). */
async function committedRows(engine: StorageEngine, h: TableHandler): Promise<Row[]> {
  const s = begin(engine, 99);
  s.txn.beginStatement();
  const rows = (await readAll(h.scan(s.ctx, READ), 64, true)).map((r) => r.row);
  s.txn.endStatement();
  await s.txn.commit();
  return sortRows(rows);
}

/** One statement inserting one row. */
function insertIn(s: { txn: EngineTransaction; ctx: TestContext }, h: TableHandler, row: Row): Promise<void> {
  return statement(s, async () => {
    await h.insert(s.ctx, row);
  });
}

function skipUnless(d: EngineDescriptor, what: 'transactions' | 'savepoints' | 'xa'): string | null {
  const caps = capabilitiesOf(d);
  if (!caps.transactions) return 'the engine has no transactions';
  if (what === 'savepoints' && !caps.savepoints) return 'the engine has no savepoints';
  if (what === 'xa' && !caps.xa) return 'the engine has no two-phase commit';
  return null;
}

function statementScenario(d: EngineDescriptor): void {
  const rows = peopleRows(6);
  scenario(skipUnless(d, 'transactions'), title(d, 'transactions', ['CORE-ENG-003'], 'unit', 'a failed statement is undone alone; commit keeps the rest; rollback undoes everything'), async () => {
    await withEngine(d, async (e) => {
      const p = await people(e);
      const s = begin(e.engine, 1);
      await statement(s, async () => {
        await p.h.insert(s.ctx, rows[0]!);
        await p.h.insert(s.ctx, rows[1]!);
      });
      const bad = statement(s, async () => {
        await p.h.insert(s.ctx, rows[2]!);
        const r0 = (await readAll(p.h.scan(s.ctx, READ), 64, true)).find((r) => r.row[0] === 1n)!;
        await p.h.update(s.ctx, r0.id, r0.row, [1n, 42n, 'changed']);
        await p.h.insert(s.ctx, rows[1]!); // 1062: the statement fails
      });
      await expect(bad).rejects.toMatchObject({ errno: 1062 });
      expect(sortRows((await readAll(p.h.scan(s.ctx, READ), 64, true)).map((r) => r.row))).toEqual(rows.slice(0, 2));
      await s.txn.commit();
      expect(await committedRows(e.engine, p.h)).toEqual(rows.slice(0, 2));

      const t = begin(e.engine, 2);
      await statement(t, async () => {
        await p.h.insert(t.ctx, rows[3]!);
      });
      await t.txn.rollback();
      expect(await committedRows(e.engine, p.h)).toEqual(rows.slice(0, 2));
    });
  });
}

function savepointScenario(d: EngineDescriptor): void {
  const rows = peopleRows(6);
  scenario(skipUnless(d, 'savepoints'), title(d, 'transactions', ['CORE-ENG-003'], 'unit', 'rolling back to a savepoint undoes what followed it and keeps what preceded it'), async () => {
    await withEngine(d, async (e) => {
      const p = await people(e);
      const s = begin(e.engine, 1);
      await insertIn(s, p.h, rows[0]!);
      s.txn.savepoint('a');
      await insertIn(s, p.h, rows[1]!);
      s.txn.savepoint('b');
      await insertIn(s, p.h, rows[2]!);
      await s.txn.rollbackToSavepoint('b');
      expect(sortRows((await readAll(p.h.scan(s.ctx, READ), 64, true)).map((r) => r.row))).toEqual(rows.slice(0, 2));
      await s.txn.rollbackToSavepoint('a');
      expect(sortRows((await readAll(p.h.scan(s.ctx, READ), 64, true)).map((r) => r.row))).toEqual(rows.slice(0, 1));
      s.txn.releaseSavepoint('a');
      await insertIn(s, p.h, rows[3]!);
      await s.txn.commit();
      expect(await committedRows(e.engine, p.h)).toEqual([rows[0], rows[3]]);
    });
  });
}

function twoPhaseScenario(d: EngineDescriptor): void {
  const rows = peopleRows(6);
  scenario(skipUnless(d, 'xa'), title(d, 'transactions', ['CORE-ENG-003'], 'unit', 'prepare then commit or rollback; prepared transactions are listed by recover() until decided by XID'), async () => {
    await withEngine(d, async (e) => {
      const p = await people(e);
      const one = begin(e.engine, 1);
      await insertIn(one, p.h, rows[0]!);
      await one.txn.prepare(xid('one'));
      expect((await e.engine.recover!()).map(xidKey)).toContain(xidKey(xid('one')));
      await one.txn.commit();
      const two = begin(e.engine, 2);
      await insertIn(two, p.h, rows[1]!);
      await two.txn.prepare(xid('two'));
      await two.txn.rollback();
      expect(await e.engine.recover!()).toEqual([]);
      expect(await committedRows(e.engine, p.h)).toEqual([rows[0]]);
    });
  });
}

function recoveryScenario(d: EngineDescriptor): void {
  const rows = peopleRows(6);
  const across = d.rows.kind === 'stored' && d.rows.afterRestart === 'kept' ? ' across a restart' : '';
  scenario(skipUnless(d, 'xa'), title(d, 'transactions', ['CORE-ENG-003'], 'unit', `prepared transactions left undecided are found by recover()${across} and decided by commitByXid / rollbackByXid`), async () => {
    await withEngine(d, async (e) => {
      let p = await people(e);
      for (const [i, name] of ['keep', 'drop'].entries()) {
        const s = begin(e.engine, 10 + i);
        await insertIn(s, p.h, rows[i]!);
        await s.txn.prepare(xid(name));
      }
      if (across) {
        await p.h.close();
        await e.restart();
        p = { ...p, h: await e.engine.openTable(context(), p.def) };
      }
      const found = (await e.engine.recover!()).map(xidKey).sort();
      expect(found).toEqual([xidKey(xid('drop')), xidKey(xid('keep'))]);
      await e.engine.commitByXid!(xid('keep'));
      await e.engine.rollbackByXid!(xid('drop'));
      expect(await e.engine.recover!()).toEqual([]);
      expect(await committedRows(e.engine, p.h)).toEqual([rows[0]]);
    });
  });
}

export function transactionScenarios(d: EngineDescriptor): void {
  describe('transactions', () => {
    statementScenario(d);
    savepointScenario(d);
    twoPhaseScenario(d);
    recoveryScenario(d);
  });
}
