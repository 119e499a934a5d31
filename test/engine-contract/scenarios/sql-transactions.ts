/**
 * Transactions through SQL. A transactional engine: ROLLBACK undoes, a failed statement inside
 * a transaction is undone alone, ROLLBACK TO SAVEPOINT undoes what followed the savepoint,
 * other sessions do not see uncommitted rows, and XA transactions prepare, show in XA RECOVER
 * and commit or roll back. A non-transactional engine keeps its changes through ROLLBACK and
 * ROLLBACK TO SAVEPOINT, and ROLLBACK warns 1196. Each engine runs the half that applies; the
 * other half is registered as skipped with the reason.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/commit.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/savepoint.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/xa-statements.html
 * @req CORE-ENG-003 CORE-ENG-026
 */
import { describe, expect } from 'vitest';
import { capabilitiesOf, title, type EngineDescriptor } from '../descriptor.js';
import { columnsFor, count, createTable, fails, ok, rows, sqlSkip, warningCodes } from '../harness/sql.js';
import { scenario } from './common.js';
import type { SqlEnv } from './sql-env.js';

function skipFor(d: EngineDescriptor, wants: 'transactional' | 'non-transactional' | 'xa'): string | null {
  const caps = capabilitiesOf(d);
  const why = sqlSkip(d) ?? (d.rows.kind !== 'stored' ? 'the engine stores no rows' : null);
  if (why) return why;
  if (wants === 'non-transactional') return caps.transactions ? 'the engine has transactions' : null;
  if (!caps.transactions) return 'the engine has no transactions';
  if (wants === 'xa' && !caps.xa) return 'the engine has no XA';
  return null;
}

async function ids(env: SqlEnv, table: string): Promise<number[]> {
  return (await rows(env.conn, `SELECT id FROM ${table} ORDER BY id`)).map((r) => Number(r['id']));
}

export function sqlTransactionScenarios(d: EngineDescriptor, env: SqlEnv): void {
  describe('transactions through SQL', () => {
    scenario(skipFor(d, 'non-transactional'), title(d, 'sqlNoTransactions', ['CORE-ENG-026'], 'wire', 'changes stay after ROLLBACK TO SAVEPOINT and ROLLBACK, and ROLLBACK warns 1196'), async () => {
      const c = env.conn;
      await createTable(c, d, 'ntx', columnsFor(capabilitiesOf(d).nullableColumns, 'id INT'));
      await ok(c, 'START TRANSACTION');
      await ok(c, 'INSERT INTO ntx VALUES (1)');
      await ok(c, 'SAVEPOINT a');
      await ok(c, 'INSERT INTO ntx VALUES (2)');
      await ok(c, 'ROLLBACK TO SAVEPOINT a');
      expect(await ids(env, 'ntx')).toEqual([1, 2]);
      await ok(c, 'ROLLBACK');
      expect(await warningCodes(c)).toEqual([1196]);
      expect(await ids(env, 'ntx')).toEqual([1, 2]);
      await ok(c, 'DROP TABLE ntx');
    });

    scenario(skipFor(d, 'transactional'), title(d, 'transactions', ['CORE-ENG-003'], 'wire', 'ROLLBACK undoes; a failed statement is undone alone; ROLLBACK TO SAVEPOINT undoes what followed; others see only committed rows'), async () => {
      const c = env.conn;
      const other = await env.connect();
      await createTable(c, d, 'tx', 'id INT PRIMARY KEY');
      await ok(c, 'START TRANSACTION');
      await ok(c, 'INSERT INTO tx VALUES (1)');
      await ok(c, 'ROLLBACK');
      expect(await warningCodes(c)).toEqual([]);
      expect(await count(c, 'tx')).toBe(0);
      await ok(c, 'START TRANSACTION');
      await ok(c, 'INSERT INTO tx VALUES (1), (2)');
      await fails(c, 'INSERT INTO tx VALUES (3), (1)', 1062);
      await ok(c, 'SAVEPOINT a');
      await ok(c, 'INSERT INTO tx VALUES (4)');
      await ok(c, 'ROLLBACK TO SAVEPOINT a');
      expect(await ids(env, 'tx')).toEqual([1, 2]);
      if (d.isolation !== false) expect(await count(other, 'tx')).toBe(0);
      await ok(c, 'COMMIT');
      expect(await count(other, 'tx')).toBe(2);
      await ok(c, 'DROP TABLE tx');
    });

    scenario(skipFor(d, 'xa'), title(d, 'transactions', ['CORE-ENG-003'], 'wire', 'XA PREPARE keeps a transaction undecided, listed by XA RECOVER, until XA COMMIT or XA ROLLBACK'), async () => {
      const c = env.conn;
      const other = await env.connect();
      await createTable(c, d, 'xa', 'id INT PRIMARY KEY');
      for (const [xid, id] of [['keep', 1], ['drop', 2]] as const) {
        await ok(c, `XA START '${xid}'`);
        await ok(c, `INSERT INTO xa VALUES (${id})`);
        await ok(c, `XA END '${xid}'`);
        await ok(c, `XA PREPARE '${xid}'`);
      }
      const listed = (await rows(other, 'XA RECOVER')).map((r) => String(r['data'])).sort();
      expect(listed).toEqual(['drop', 'keep']);
      await ok(other, "XA COMMIT 'keep'");
      await ok(other, "XA ROLLBACK 'drop'");
      expect(await rows(other, 'XA RECOVER')).toEqual([]);
      expect(await ids(env, 'xa')).toEqual([1]);
      await ok(c, 'DROP TABLE xa');
    });
  });
}
