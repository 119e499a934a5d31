/**
 * The transaction coordinator over the wire, with two transactional test engines (TXA, TXB,
 * both able to prepare) and MEMORY: statement rollback, ROLLBACK, savepoints (an engine that
 * joins after a savepoint is rolled back wholly), autocommit, COMMIT AND CHAIN / RELEASE,
 * implicit commits, START TRANSACTION characteristics, engine-reported rollback, and the
 * two-phase commit path through tc.log.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type mysql from 'mysql2/promise';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { req } from '../helpers/req.js';
import { queryError } from '../helpers/sql.js';
import { TxnTestEngine, txnEnginePlugin } from '../helpers/txn-engine.js';
import { ServerStatus } from '../../src/kernel/protocol-port.js';
import { sqlError } from '../../src/kernel/errors.js';

let srv: TestServer;
let c: mysql.Connection;
const events: string[] = [];
const A = new TxnTestEngine({ name: 'TXA', events });
const B = new TxnTestEngine({ name: 'TXB', events });

async function q(sql: string, conn: mysql.Connection = c): Promise<unknown> {
  const [rows] = await conn.query(sql);
  return rows;
}
/** The server status flags of an OK packet for a statement that changes nothing. */
async function status(conn: mysql.Connection = c): Promise<number> {
  const [r] = await conn.query('DO 0');
  return (r as { serverStatus: number }).serverStatus;
}
async function ids(table: string, conn: mysql.Connection = c): Promise<number[]> {
  const rows = (await q(`SELECT id FROM ${table} ORDER BY id`, conn)) as { id: number }[];
  return rows.map((r) => r.id);
}
const committedIds = (e: TxnTestEngine, table: string): number[] => e.committed(`tx.${table}`).map((r) => Number(r[0]));

beforeAll(async () => {
  srv = await startTestServer({ plugins: [txnEnginePlugin(A), txnEnginePlugin(B)] });
  c = await srv.connect();
  await q('CREATE DATABASE tx');
  await q('USE tx');
}, 60000);
afterAll(async () => {
  await c?.end();
  await srv?.stop();
});
beforeEach(() => {
  events.length = 0;
});

describe('statement rollback and ROLLBACK', () => {
  it(req(['CORE-TXN-002', 'CORE-TXN-001'], 'wire', 'a multi-row INSERT failing on row 3 inside BEGIN keeps earlier statements and none of its own rows; MEMORY keeps its rows'), async () => {
    await q('CREATE TABLE s1 (id INT PRIMARY KEY) ENGINE=TXA');
    await q('CREATE TABLE s1m (id INT PRIMARY KEY) ENGINE=MEMORY');
    await q('BEGIN');
    await q('INSERT INTO s1 VALUES (1), (2)');
    events.length = 0;
    expect(await queryError(c, 'INSERT INTO s1 VALUES (3), (4), (1)')).toEqual({ errno: 1062, message: "Duplicate entry '1' for key 's1.PRIMARY'" });
    expect(events).toEqual(['TXA:beginStatement', 'TXA:rollbackStatement']);
    expect(await queryError(c, 'INSERT INTO s1m VALUES (10), (11), (10)')).toMatchObject({ errno: 1062 });
    expect(await ids('s1')).toEqual([1, 2]);
    expect(await ids('s1m')).toEqual([10, 11]);
    expect((await status()) & ServerStatus.IN_TRANS).toBeTruthy();
    await q('COMMIT');
    expect(committedIds(A, 's1')).toEqual([1, 2]);
  });

  it(req(['CORE-TXN-002', 'CORE-TXN-003'], 'wire', 'under autocommit a failed statement leaves nothing and a good one commits'), async () => {
    await q('CREATE TABLE s2 (id INT PRIMARY KEY) ENGINE=TXA');
    expect(await queryError(c, 'INSERT INTO s2 VALUES (1), (2), (1)')).toMatchObject({ errno: 1062 });
    expect(await ids('s2')).toEqual([]);
    await q('INSERT INTO s2 VALUES (5)');
    expect(committedIds(A, 's2')).toEqual([5]);
    expect((await status()) & ServerStatus.IN_TRANS).toBe(0);
  });

  it(req(['CORE-EXEC-010', 'CORE-TXN-001'], 'wire', 'ROLLBACK undoes every statement of the transaction in every engine; IN_TRANS is cleared'), async () => {
    await q('CREATE TABLE r1 (id INT PRIMARY KEY) ENGINE=TXA');
    await q('CREATE TABLE r2 (id INT PRIMARY KEY) ENGINE=TXB');
    await q('INSERT INTO r1 VALUES (1)');
    await q('START TRANSACTION');
    await q('INSERT INTO r1 VALUES (2)');
    await q('UPDATE r1 SET id = 10 WHERE id = 1');
    await q('INSERT INTO r2 VALUES (3)');
    await q('DELETE FROM r1 WHERE id = 2');
    expect(await ids('r1')).toEqual([10]);
    const [r] = await c.query('ROLLBACK');
    expect((r as { serverStatus: number }).serverStatus & ServerStatus.IN_TRANS).toBe(0);
    expect(await ids('r1')).toEqual([1]);
    expect(await ids('r2')).toEqual([]);
    expect(committedIds(A, 'r1')).toEqual([1]);
  });
});

describe('savepoints', () => {
  it(req(['CORE-TXN-010', 'CORE-TXN-011'], 'wire', 'ROLLBACK TO reaches every engine; an engine that joined after the savepoint is rolled back wholly'), async () => {
    await q('CREATE TABLE p1 (id INT PRIMARY KEY) ENGINE=TXA');
    await q('CREATE TABLE p2 (id INT PRIMARY KEY) ENGINE=TXB');
    await q('BEGIN');
    await q('INSERT INTO p1 VALUES (1)');
    await q('SAVEPOINT s1');
    await q('INSERT INTO p1 VALUES (2)');
    await q('INSERT INTO p2 VALUES (100)');
    await q('SAVEPOINT s2');
    await q('INSERT INTO p1 VALUES (3)');
    events.length = 0;
    await q('ROLLBACK TO SAVEPOINT s1');
    expect(events).toEqual(['TXA:rollbackToSavepoint s1', 'TXB:rollback']);
    expect(await ids('p1')).toEqual([1]);
    expect(await ids('p2')).toEqual([]);
    // s2 went with the rollback; s1 stays.
    expect(await queryError(c, 'ROLLBACK TO SAVEPOINT s2')).toEqual({ errno: 1305, message: 'SAVEPOINT s2 does not exist' });
    await q('INSERT INTO p2 VALUES (101)');
    await q('ROLLBACK TO s1');
    expect(await ids('p2')).toEqual([]);
    await q('INSERT INTO p2 VALUES (102)');
    await q('RELEASE SAVEPOINT s1');
    expect(await queryError(c, 'ROLLBACK TO SAVEPOINT s1')).toMatchObject({ errno: 1305 });
    await q('COMMIT');
    expect(committedIds(A, 'p1')).toEqual([1]);
    expect(committedIds(B, 'p2')).toEqual([102]);
  });

  it(req('CORE-TXN-010', 'wire', 'a reused savepoint name moves it; savepoints vanish at COMMIT and ROLLBACK'), async () => {
    await q('CREATE TABLE p3 (id INT PRIMARY KEY) ENGINE=TXA');
    await q('BEGIN');
    await q('SAVEPOINT a');
    await q('INSERT INTO p3 VALUES (1)');
    await q('SAVEPOINT b');
    await q('INSERT INTO p3 VALUES (2)');
    await q('SAVEPOINT a');
    await q('INSERT INTO p3 VALUES (3)');
    await q('ROLLBACK TO SAVEPOINT a');
    expect(await ids('p3')).toEqual([1, 2]);
    await q('ROLLBACK TO SAVEPOINT b');
    expect(await ids('p3')).toEqual([1]);
    // b is before the moved a: a went with the rollback to b.
    expect(await queryError(c, 'ROLLBACK TO SAVEPOINT a')).toMatchObject({ errno: 1305 });
    await q('COMMIT');
    await q('BEGIN');
    expect(await queryError(c, 'RELEASE SAVEPOINT b')).toEqual({ errno: 1305, message: 'SAVEPOINT b does not exist' });
    await q('SAVEPOINT c');
    await q('ROLLBACK');
    await q('BEGIN');
    expect(await queryError(c, 'ROLLBACK TO SAVEPOINT c')).toMatchObject({ errno: 1305 });
    await q('ROLLBACK');
  });
});

describe('autocommit, chains and characteristics', () => {
  it(req(['CORE-TXN-003', 'CORE-EXEC-006'], 'wire', 'autocommit=0 opens a transaction at the first work; SET autocommit=1 commits it'), async () => {
    await q('CREATE TABLE a1 (id INT PRIMARY KEY) ENGINE=TXA');
    await q('SET autocommit = 0');
    expect((await status()) & ServerStatus.IN_TRANS).toBe(0);
    await q('INSERT INTO a1 VALUES (1)');
    expect((await status()) & ServerStatus.IN_TRANS).toBeTruthy();
    expect(committedIds(A, 'a1')).toEqual([]);
    await q('ROLLBACK');
    expect(await ids('a1')).toEqual([]);
    await q('INSERT INTO a1 VALUES (2)');
    await q('SET autocommit = 1');
    expect(committedIds(A, 'a1')).toEqual([2]);
    expect((await status()) & ServerStatus.IN_TRANS).toBe(0);
  });

  it(req(['CORE-TXN-004', 'CORE-TXN-006'], 'wire', 'COMMIT AND CHAIN keeps isolation level and access mode; engines receive the isolation level'), async () => {
    await q('CREATE TABLE c1 (id INT PRIMARY KEY) ENGINE=TXA');
    await q('SET TRANSACTION ISOLATION LEVEL SERIALIZABLE');
    await q('BEGIN');
    await q('INSERT INTO c1 VALUES (1)');
    expect(A.begun.at(-1)).toMatchObject({ isolation: 'SERIALIZABLE', readOnly: false, consistentSnapshot: false });
    const [r] = await c.query('COMMIT AND CHAIN');
    expect((r as { serverStatus: number }).serverStatus & ServerStatus.IN_TRANS).toBeTruthy();
    expect(committedIds(A, 'c1')).toEqual([1]);
    await q('INSERT INTO c1 VALUES (2)');
    expect(A.begun.at(-1)).toMatchObject({ isolation: 'SERIALIZABLE' });
    await q('COMMIT');
    // The one-shot level ended with the chain; the next transaction has the session's.
    await q('INSERT INTO c1 VALUES (3)');
    expect(A.begun.at(-1)).toMatchObject({ isolation: 'REPEATABLE-READ' });

    await q('START TRANSACTION READ ONLY');
    const [r2] = await c.query('COMMIT AND CHAIN');
    expect((r2 as { serverStatus: number }).serverStatus & ServerStatus.IN_TRANS_READONLY).toBeTruthy();
    expect(await queryError(c, 'INSERT INTO c1 VALUES (4)')).toEqual({ errno: 1792, message: 'Cannot execute statement in a READ ONLY transaction.' });
    await q('ROLLBACK AND NO CHAIN');
    expect((await status()) & ServerStatus.IN_TRANS).toBe(0);
    await q('SET TRANSACTION READ ONLY');
    expect(await queryError(c, 'INSERT INTO c1 VALUES (4)')).toMatchObject({ errno: 1792 });
  });

  it(req('CORE-TXN-004', 'wire', 'completion_type=CHAIN chains a plain COMMIT; COMMIT RELEASE closes the connection'), async () => {
    const d = await srv.connect({ database: 'tx' });
    await q('SET completion_type = CHAIN', d);
    await q('BEGIN', d);
    const [r] = await d.query('COMMIT');
    expect((r as { serverStatus: number }).serverStatus & ServerStatus.IN_TRANS).toBeTruthy();
    const [r2] = await d.query('COMMIT AND NO CHAIN');
    expect((r2 as { serverStatus: number }).serverStatus & ServerStatus.IN_TRANS).toBe(0);
    const closed = new Promise<void>((res) => d.once('end', () => res()));
    await q('COMMIT RELEASE', d);
    await closed;
    await expect(d.query('SELECT 1')).rejects.toThrow();
  });

  it(req('CORE-TXN-006', 'wire', 'START TRANSACTION WITH CONSISTENT SNAPSHOT starts the transaction in every transactional engine; READ ONLY with READ WRITE is a syntax error'), async () => {
    const before = A.begun.length;
    await q('START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY');
    expect(A.begun.slice(before)).toEqual([{ isolation: 'REPEATABLE-READ', readOnly: true, consistentSnapshot: true, singleStatement: false }]);
    expect(B.begun.at(-1)).toEqual({ isolation: 'REPEATABLE-READ', readOnly: true, consistentSnapshot: true, singleStatement: false });
    await q('COMMIT');
    expect(await queryError(c, 'START TRANSACTION READ ONLY, READ WRITE')).toMatchObject({ errno: 1064 });
  });

  it(req(['CORE-TXN-005', 'CORE-EXEC-010'], 'wire', 'DDL commits the open transaction before it runs'), async () => {
    await q('CREATE TABLE i1 (id INT PRIMARY KEY) ENGINE=TXA');
    await q('BEGIN');
    await q('INSERT INTO i1 VALUES (1)');
    await q('CREATE TABLE i2 (id INT) ENGINE=MEMORY');
    expect((await status()) & ServerStatus.IN_TRANS).toBe(0);
    expect(committedIds(A, 'i1')).toEqual([1]);
    await q('ROLLBACK');
    expect(await ids('i1')).toEqual([1]);
  });
});

describe('engine-reported rollback', () => {
  it(req('CORE-TXN-012', 'wire', 'a deadlock victim: the error reaches the client, every engine is rolled back, the session is no longer in a transaction'), async () => {
    await q('CREATE TABLE d1 (id INT PRIMARY KEY) ENGINE=TXA');
    await q('CREATE TABLE d2 (id INT PRIMARY KEY) ENGINE=TXB');
    await q('BEGIN');
    await q('INSERT INTO d2 VALUES (5)');
    await q('INSERT INTO d1 VALUES (6)');
    events.length = 0;
    expect(await queryError(c, 'INSERT INTO d1 VALUES (-1213)')).toEqual({ errno: 1213, message: 'Deadlock found when trying to get lock; try restarting transaction' });
    expect(events).toContain('TXB:rollback');
    expect(events).not.toContain('TXA:rollbackStatement');
    expect((await status()) & ServerStatus.IN_TRANS).toBe(0);
    expect(await ids('d1')).toEqual([]);
    expect(await ids('d2')).toEqual([]);
    // Not in a transaction any more: the next statement commits on its own.
    await q('INSERT INTO d1 VALUES (7)');
    expect(committedIds(A, 'd1')).toEqual([7]);
  });

  it(req('CORE-TXN-012', 'wire', 'a lock-wait timeout that rolled back the transaction ends it the same way'), async () => {
    await q('CREATE TABLE d3 (id INT PRIMARY KEY) ENGINE=TXA');
    await q('SET autocommit = 0');
    await q('INSERT INTO d3 VALUES (1)');
    expect(await queryError(c, 'UPDATE d3 SET id = -1205')).toEqual({ errno: 1205, message: 'Lock wait timeout exceeded; try restarting transaction' });
    expect((await status()) & ServerStatus.IN_TRANS).toBe(0);
    expect(await ids('d3')).toEqual([]);
    await q('SET autocommit = 1');
  });
});

describe('commit failures', () => {
  it(req(['CORE-TXN-003', 'CORE-TXN-034'], 'wire', "under autocommit a statement whose commit fails reports the engine's error"), async () => {
    await q('CREATE TABLE f1 (id INT PRIMARY KEY) ENGINE=TXA');
    A.commitFault = sqlError('ER_ERROR_DURING_COMMIT', 28, 'No space left on device');
    try {
      expect(await queryError(c, 'INSERT INTO f1 VALUES (1)')).toEqual({ errno: 1180, message: "Got error 28 - 'No space left on device' during COMMIT" });
      expect(await q('SHOW WARNINGS')).toEqual([{ Level: 'Error', Code: 1180, Message: "Got error 28 - 'No space left on device' during COMMIT" }]);
    } finally {
      A.commitFault = null;
    }
    expect(committedIds(A, 'f1')).toEqual([]);
    expect((await status()) & ServerStatus.IN_TRANS).toBe(0);
  });
});

describe('two-phase commit', () => {
  it(req(['CORE-TXN-030', 'CORE-TXN-033'], 'wire', 'a transaction in two engines prepares in both, then commits in both, logged in tc.log'), async () => {
    await q('CREATE TABLE t1 (id INT PRIMARY KEY) ENGINE=TXA');
    await q('CREATE TABLE t2 (id INT PRIMARY KEY) ENGINE=TXB');
    await q('BEGIN');
    await q('INSERT INTO t1 VALUES (1)');
    await q('INSERT INTO t2 VALUES (2)');
    events.length = 0;
    await q('COMMIT');
    expect(events.filter((e) => /prepare|commit/.test(e))).toEqual(['TXA:prepare', 'TXB:prepare', 'TXA:commit', 'TXB:commit']);
    expect(existsSync(join(srv.datadir, 'tc.log'))).toBe(true);
    expect(committedIds(A, 't1')).toEqual([1]);
    expect(committedIds(B, 't2')).toEqual([2]);
    // One engine: one phase.
    events.length = 0;
    await q('INSERT INTO t1 VALUES (3)');
    expect(events.filter((e) => /prepare|commit/.test(e))).toEqual(['TXA:commit']);
  });
});
