/**
 * READ COMMITTED lets go of the rows a locking statement read but did not keep, through real
 * clients: an UPDATE, DELETE or SELECT ... FOR UPDATE / FOR SHARE scanning a table without an
 * index on its WHERE column locks each row it reads, and at READ COMMITTED (and READ
 * UNCOMMITTED) the rows the WHERE condition rejects are unlocked at once, so another session
 * may change them while the first transaction is still open. Rows the transaction changed,
 * locks it held before the statement, and rows an earlier part of the same statement kept stay
 * locked; a session waiting for a released lock goes on; REPEATABLE READ keeps every lock.
 * performance_schema.data_locks shows what is still held.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-transaction-isolation-levels.html (15.7.2.1)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-locks-set.html (15.7.3)
 * @req INNODB-LOCK-308
 */
import type mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { req } from '../helpers/req.js';
import { errorOf } from '../helpers/sql.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let srv: TestServer;
const conns: mysql.Connection[] = [];
let n = 0;

async function conn(isolation?: string): Promise<mysql.Connection> {
  const c = await srv.connect({ database: 'rcu' });
  await c.query('SET SESSION innodb_lock_wait_timeout = 1');
  if (isolation) await c.query(`SET SESSION TRANSACTION ISOLATION LEVEL ${isolation}`);
  conns.push(c);
  return c;
}

/**
 * Session A at `isolation`, session B, and a fresh table t(id PRIMARY KEY, v) with no index on
 * v: rows (1,1), (2,2), (3,3), (4,1), so `WHERE v = 1` matches ids 1 and 4 and rejects 2 and 3.
 */
async function setup(isolation = 'READ COMMITTED'): Promise<{ a: mysql.Connection; b: mysql.Connection; t: string }> {
  const t = `t${++n}`;
  const a = await conn(isolation);
  const b = await conn();
  await a.query(`CREATE TABLE ${t} (id INT PRIMARY KEY, v INT) ENGINE=InnoDB`);
  await a.query(`INSERT INTO ${t} VALUES (1, 1), (2, 2), (3, 3), (4, 1)`);
  return { a, b, t };
}

/** The record locks held on table `t`, as `MODE DATA`, sorted. */
async function recordLocks(c: mysql.Connection, t: string): Promise<string[]> {
  const [rows] = await c.query<mysql.RowDataPacket[]>(
    `SELECT LOCK_MODE, LOCK_DATA, LOCK_STATUS FROM performance_schema.data_locks WHERE OBJECT_SCHEMA = 'rcu' AND OBJECT_NAME = '${t}' AND LOCK_TYPE = 'RECORD'`,
  );
  return rows.map((r) => `${r['LOCK_MODE']} ${r['LOCK_DATA']}${r['LOCK_STATUS'] === 'GRANTED' ? '' : ' WAITING'}`).sort();
}

/** Run `sql` on `c` and say how long it took (ms) and how many rows it changed. */
async function timed(c: mysql.Connection, sql: string): Promise<{ ms: number; affected: number }> {
  const started = Date.now();
  const [res] = await c.query<mysql.ResultSetHeader>(sql);
  return { ms: Date.now() - started, affected: res.affectedRows };
}

async function ids(c: mysql.Connection, sql: string): Promise<number[]> {
  const [rows] = await c.query<mysql.RowDataPacket[]>(sql);
  return rows.map((r) => Number(r['id']));
}

async function until(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 250; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('condition not reached');
}

async function waiting(c: mysql.Connection): Promise<number> {
  const [rows] = await c.query<mysql.RowDataPacket[]>("SELECT COUNT(*) AS n FROM information_schema.INNODB_TRX WHERE trx_state = 'LOCK WAIT'");
  return Number(rows[0]!['n']);
}

beforeAll(async () => {
  srv = await startTestServer();
  const c = await srv.connect();
  await c.query('CREATE DATABASE rcu');
  await c.end();
});

afterAll(async () => {
  for (const c of conns) await c.end().catch(() => undefined);
  await srv.stop();
});

describe('READ COMMITTED releases the locks of rows the WHERE condition rejects', () => {
  it(req(['INNODB-LOCK-308'], 'wire', 'UPDATE at READ COMMITTED: a row it rejected is free at once, the rows it changed stay locked, data_locks shows only those'), async () => {
    const { a, b, t } = await setup();
    await a.query('BEGIN');
    expect((await timed(a, `UPDATE ${t} SET v = v + 1 WHERE v = 1`)).affected).toBe(2);
    expect(await recordLocks(b, t)).toEqual(['X,REC_NOT_GAP 1', 'X,REC_NOT_GAP 4']);
    const free = await timed(b, `UPDATE ${t} SET v = 10 WHERE id = 2`);
    expect(free.affected).toBe(1);
    expect(free.ms).toBeLessThan(900);
    await b.query(`UPDATE ${t} SET v = 30 WHERE id = 3`);
    // The rows A changed keep their locks to the end of its transaction.
    expect((await errorOf(b.query(`UPDATE ${t} SET v = 10 WHERE id = 1`))).errno).toBe(1205);
    expect((await errorOf(b.query(`DELETE FROM ${t} WHERE id = 4`))).errno).toBe(1205);
    await a.query('COMMIT');
    const [rows] = await b.query<mysql.RowDataPacket[]>(`SELECT id, v FROM ${t} ORDER BY id`);
    expect(rows.map((r) => [r['id'], r['v']])).toEqual([[1, 2], [2, 10], [3, 30], [4, 2]]);
  });

  it(req(['INNODB-LOCK-308'], 'wire', 'UPDATE at READ UNCOMMITTED releases the rejected rows as READ COMMITTED does'), async () => {
    const { a, b, t } = await setup('READ UNCOMMITTED');
    await a.query('BEGIN');
    await a.query(`UPDATE ${t} SET v = v + 1 WHERE v = 1`);
    expect(await recordLocks(b, t)).toEqual(['X,REC_NOT_GAP 1', 'X,REC_NOT_GAP 4']);
    await b.query(`UPDATE ${t} SET v = 10 WHERE id = 2`);
    expect((await errorOf(b.query(`UPDATE ${t} SET v = 10 WHERE id = 1`))).errno).toBe(1205);
    await a.query('COMMIT');
  });

  it(req(['INNODB-LOCK-308'], 'wire', 'the same UPDATE at REPEATABLE READ keeps every row it read locked: the other session waits and times out (1205)'), async () => {
    const { a, b, t } = await setup('REPEATABLE READ');
    await a.query('BEGIN');
    await a.query(`UPDATE ${t} SET v = v + 1 WHERE v = 1`);
    const started = Date.now();
    expect((await errorOf(b.query(`UPDATE ${t} SET v = 10 WHERE id = 2`))).errno).toBe(1205);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect((await recordLocks(b, t)).filter((l) => l.endsWith(' 2') || l.endsWith(' 3'))).toEqual(['X 2', 'X 3']);
    await a.query('COMMIT');
    await b.query(`UPDATE ${t} SET v = 10 WHERE id = 2`);
  });

  it(req(['INNODB-LOCK-308'], 'wire', 'a lock taken by an earlier statement of the transaction stays when a later statement rejects that row'), async () => {
    const { a, b, t } = await setup();
    await a.query('BEGIN');
    expect(await ids(a, `SELECT id FROM ${t} WHERE id = 2 FOR UPDATE`)).toEqual([2]);
    // An earlier shared lock stays too; the exclusive lock the scan added on top of it goes.
    expect(await ids(a, `SELECT id FROM ${t} WHERE id = 3 FOR SHARE`)).toEqual([3]);
    await a.query(`UPDATE ${t} SET v = v + 1 WHERE v = 1`);
    expect(await recordLocks(b, t)).toEqual(['S,REC_NOT_GAP 3', 'X,REC_NOT_GAP 1', 'X,REC_NOT_GAP 2', 'X,REC_NOT_GAP 4']);
    expect((await errorOf(b.query(`UPDATE ${t} SET v = 10 WHERE id = 2`))).errno).toBe(1205);
    expect((await errorOf(b.query(`UPDATE ${t} SET v = 10 WHERE id = 3`))).errno).toBe(1205);
    expect(await ids(b, `SELECT id FROM ${t} WHERE id = 3 FOR SHARE`)).toEqual([3]);
    await a.query('COMMIT');
  });

  it(req(['INNODB-LOCK-308'], 'wire', 'DELETE at READ COMMITTED: rejected rows are free, deleted rows stay locked'), async () => {
    const { a, b, t } = await setup();
    await a.query('BEGIN');
    expect((await timed(a, `DELETE FROM ${t} WHERE v = 1`)).affected).toBe(2);
    expect(await recordLocks(b, t)).toEqual(['X,REC_NOT_GAP 1', 'X,REC_NOT_GAP 4']);
    expect((await timed(b, `UPDATE ${t} SET v = 30 WHERE id = 3`)).ms).toBeLessThan(900);
    expect((await errorOf(b.query(`UPDATE ${t} SET v = 10 WHERE id = 4`))).errno).toBe(1205);
    await a.query('COMMIT');
    expect(await ids(b, `SELECT id FROM ${t} ORDER BY id`)).toEqual([2, 3]);
  });

  it(req(['INNODB-LOCK-308'], 'wire', 'SELECT ... FOR UPDATE and FOR SHARE at READ COMMITTED keep only the rows their WHERE matched'), async () => {
    const { a, b, t } = await setup();
    await a.query('BEGIN');
    expect(await ids(a, `SELECT id FROM ${t} WHERE v = 2 FOR UPDATE`)).toEqual([2]);
    expect(await recordLocks(b, t)).toEqual(['X,REC_NOT_GAP 2']);
    await b.query(`UPDATE ${t} SET v = 11 WHERE id = 1`);
    expect((await errorOf(b.query(`UPDATE ${t} SET v = 10 WHERE id = 2`))).errno).toBe(1205);
    expect(await ids(a, `SELECT id FROM ${t} WHERE v + 0 = 3 FOR SHARE`)).toEqual([3]);
    expect(await recordLocks(b, t)).toEqual(['S,REC_NOT_GAP 3', 'X,REC_NOT_GAP 2']);
    await b.query(`UPDATE ${t} SET v = 14 WHERE id = 4`);
    expect((await errorOf(b.query(`UPDATE ${t} SET v = 10 WHERE id = 3`))).errno).toBe(1205);
    await a.query('COMMIT');
  });

  it(req(['INNODB-LOCK-308'], 'wire', 'a row kept by an earlier table of the same statement stays locked when a later read of it is rejected'), async () => {
    const { a, b, t } = await setup();
    await a.query('BEGIN');
    // a reads row 1 and keeps it; b reads every row, keeps row 2 and rejects 1, 3 and 4.
    const [rows] = await a.query<mysql.RowDataPacket[]>(`SELECT x.id AS xid, y.id AS yid FROM ${t} x JOIN ${t} y ON y.v = x.v + 1 WHERE x.id = 1 FOR UPDATE`);
    expect(rows.map((r) => [r['xid'], r['yid']])).toEqual([[1, 2]]);
    expect(await recordLocks(b, t)).toEqual(['X,REC_NOT_GAP 1', 'X,REC_NOT_GAP 2']);
    expect((await errorOf(b.query(`UPDATE ${t} SET v = 10 WHERE id = 1`))).errno).toBe(1205);
    await b.query(`UPDATE ${t} SET v = 30 WHERE id = 3`);
    await a.query('COMMIT');
  });

  it(req(['INNODB-LOCK-308'], 'wire', 'a delete-marked row the scan passes over is not left locked at READ COMMITTED'), async () => {
    const { a, b, t } = await setup();
    // Row 3 is deleted and committed; until purge removes it the scan still meets it.
    await b.query('BEGIN');
    await b.query(`DELETE FROM ${t} WHERE id = 3`);
    await b.query('COMMIT');
    await a.query('BEGIN');
    expect((await timed(a, `UPDATE ${t} SET v = v + 1 WHERE v = 1`)).affected).toBe(2);
    expect(await recordLocks(b, t)).toEqual(['X,REC_NOT_GAP 1', 'X,REC_NOT_GAP 4']);
    await b.query(`INSERT INTO ${t} VALUES (3, 33)`);
    await a.query('COMMIT');
  });

  it(req(['INNODB-LOCK-308'], 'wire', 'a session waiting for a row that the scan then rejects goes on as soon as the scan lets it go'), async () => {
    const { a, b, t } = await setup();
    const c = await conn('READ COMMITTED');
    await b.query('SET SESSION innodb_lock_wait_timeout = 20');
    await a.query('SET SESSION innodb_lock_wait_timeout = 20');
    await c.query('BEGIN');
    await c.query(`SELECT id FROM ${t} WHERE id = 2 FOR UPDATE`);
    await a.query('BEGIN');
    // A locks row 1 (it matches), then waits for row 2, which C holds.
    const update = a.query<mysql.ResultSetHeader>(`UPDATE ${t} SET v = v + 1 WHERE v = 1`);
    await until(async () => (await waiting(c)) === 1);
    // B queues for row 2 behind A.
    const other = b.query<mysql.ResultSetHeader>(`UPDATE ${t} SET v = 20 WHERE id = 2`);
    await until(async () => (await waiting(c)) === 2);
    expect(await recordLocks(c, t)).toEqual(['X,REC_NOT_GAP 1', 'X,REC_NOT_GAP 2', 'X,REC_NOT_GAP 2 WAITING', 'X,REC_NOT_GAP 2 WAITING']);
    await c.query('COMMIT');
    // A gets row 2, rejects it and lets it go: B is granted while A's transaction is still open.
    expect((await update)[0].affectedRows).toBe(2);
    expect((await other)[0].affectedRows).toBe(1);
    expect(await recordLocks(c, t)).toEqual(['X,REC_NOT_GAP 1', 'X,REC_NOT_GAP 4']);
    await a.query('COMMIT');
    const [rows] = await c.query<mysql.RowDataPacket[]>(`SELECT id, v FROM ${t} ORDER BY id`);
    expect(rows.map((r) => [r['id'], r['v']])).toEqual([[1, 2], [2, 20], [3, 3], [4, 2]]);
  });
});
