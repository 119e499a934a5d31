/**
 * User-level locks (GET_LOCK, RELEASE_LOCK, RELEASE_ALL_LOCKS, IS_FREE_LOCK, IS_USED_LOCK)
 * across sessions over the wire: a held lock makes another session's GET_LOCK wait (State
 * 'User lock') until it is released, the timeout gives 0, KILL QUERY ends the wait with 1317,
 * deadlocks give 3058, a disconnect frees the locks, and performance_schema.metadata_locks
 * shows them. Expected values are those of MySQL 8.0's mysql-test/r/user_lock.result. Waits are
 * observed through PROCESSLIST and completion order, never by timing.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type mysql from 'mysql2/promise';
import { SessionPool, startTestServer, type TestServer } from '../helpers/server.js';
import { req } from '../helpers/req.js';
import { errorOf, queryRows } from '../helpers/sql.js';

let srv: TestServer;
let obs: mysql.Connection;
const pool = new SessionPool(() => srv, 'ul');

beforeAll(async () => {
  srv = await startTestServer();
  obs = await srv.connect();
  await obs.query('CREATE DATABASE ul');
}, 60000);
afterAll(async () => {
  await obs?.end();
  await srv?.stop();
});
afterEach(async () => {
  await pool.closeAll();
});

const session = (): Promise<mysql.Connection> => pool.open();

/** The single value of a one-row, one-column query. */
async function one(c: mysql.Connection, sql: string): Promise<unknown> {
  const r = await queryRows(c, sql);
  return Object.values(r[0]!)[0];
}

async function until(what: string, cond: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 3000; i++) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`never happened: ${what}`);
}

/** Wait until connection `c` waits for a user lock, seen in PROCESSLIST. */
function inUserLock(c: mysql.Connection): Promise<void> {
  return until(`connection ${c.threadId} waits in 'User lock'`, async () => {
    const r = await queryRows(obs, `SELECT STATE FROM information_schema.PROCESSLIST WHERE ID = ${c.threadId}`);
    return r[0]?.['STATE'] === 'User lock';
  });
}

function track<T>(events: string[], name: string, p: Promise<T>): Promise<T> {
  return p.then(
    (v) => {
      events.push(name);
      return v;
    },
    (e: unknown) => {
      events.push(name + ' failed');
      throw e;
    },
  );
}

const DEADLOCK = {
  errno: 3058,
  sqlState: 'HY000',
  message: 'Deadlock found when trying to get user-level lock; try rolling back transaction/releasing locks and restarting lock acquisition.',
};

describe('GET_LOCK between sessions', () => {
  it(req(['CORE-LOCK-010', 'CORE-LOCK-011'], 'wire', "a held lock makes another session's GET_LOCK wait in State 'User lock' until RELEASE_LOCK; then it returns 1"), async () => {
    const a = await session();
    const b = await session();
    expect(await one(a, "SELECT GET_LOCK('x', 0)")).toBe(1);
    const events: string[] = [];
    const waiter = track(events, 'b got it', queryRows(b, "SELECT GET_LOCK('X', 10) AS g"));
    await inUserLock(b);
    const info = await queryRows(obs, `SELECT INFO FROM information_schema.PROCESSLIST WHERE ID = ${b.threadId}`);
    expect(info[0]!['INFO']).toBe("SELECT GET_LOCK('X', 10) AS g");
    // Both the granted and the pending request show in metadata_locks, name in lower case.
    const locks = await queryRows(
      obs,
      "SELECT OBJECT_SCHEMA, OBJECT_NAME, LOCK_TYPE, LOCK_DURATION, LOCK_STATUS, OWNER_THREAD_ID FROM performance_schema.metadata_locks WHERE OBJECT_TYPE = 'USER LEVEL LOCK' ORDER BY LOCK_STATUS",
    );
    expect(locks.map((l) => [l['OBJECT_SCHEMA'], l['OBJECT_NAME'], l['LOCK_TYPE'], l['LOCK_DURATION'], l['LOCK_STATUS']])).toEqual([
      [null, 'x', 'EXCLUSIVE', 'EXPLICIT', 'GRANTED'],
      [null, 'x', 'EXCLUSIVE', 'EXPLICIT', 'PENDING'],
    ]);
    const threads = await queryRows(obs, `SELECT THREAD_ID FROM performance_schema.threads WHERE PROCESSLIST_ID IN (${a.threadId}, ${b.threadId}) ORDER BY PROCESSLIST_ID`);
    expect(locks.map((l) => String(l['OWNER_THREAD_ID']))).toEqual(threads.map((t) => String(t['THREAD_ID'])));
    // Another session sees the lock held by a, and cannot release it.
    expect(await one(obs, "SELECT IS_FREE_LOCK('x')")).toBe(0);
    expect(await one(obs, "SELECT IS_USED_LOCK('x')")).toBe(a.threadId);
    expect(await one(obs, "SELECT RELEASE_LOCK('x')")).toBe(0);
    expect(events).toEqual([]);
    events.push('a releases');
    expect(await one(a, "SELECT RELEASE_LOCK('x')")).toBe(1);
    expect(await waiter).toEqual([{ g: 1 }]);
    expect(events).toEqual(['a releases', 'b got it']);
    expect(await one(obs, "SELECT IS_USED_LOCK('x')")).toBe(b.threadId);
    expect(await one(b, 'SELECT RELEASE_ALL_LOCKS()')).toBe(1);
    expect(await one(obs, "SELECT IS_USED_LOCK('x')")).toBe(null);
  });

  it(req(['CORE-LOCK-010', 'CORE-LOCK-015'], 'wire', 'the waiter gets the lock when the holder disconnects, or when it calls RELEASE_ALL_LOCKS'), async () => {
    const a = await session();
    const b = await session();
    expect(await one(a, "SELECT GET_LOCK('d', 0)")).toBe(1);
    const waiter = queryRows(b, "SELECT GET_LOCK('d', -1) AS g");
    await inUserLock(b);
    pool.forget(a);
    await a.end();
    expect(await waiter).toEqual([{ g: 1 }]);
    const c = await session();
    const waiter2 = queryRows(c, "SELECT GET_LOCK('d', 100) AS g");
    await inUserLock(c);
    expect(await one(b, 'SELECT RELEASE_ALL_LOCKS()')).toBe(1);
    expect(await waiter2).toEqual([{ g: 1 }]);
    expect(await one(c, "SELECT RELEASE_LOCK('d')")).toBe(1);
  });

  it(req(['CORE-LOCK-015'], 'wire', 'GET_LOCK returns 0 when its timeout passes (NULL timeout = 0) and the lock stays with its holder'), async () => {
    const a = await session();
    const b = await session();
    expect(await one(a, "SELECT GET_LOCK('t', 0)")).toBe(1);
    expect(await one(b, "SELECT GET_LOCK('t', 0)")).toBe(0);
    expect(await one(b, "SELECT GET_LOCK('t', NULL) = 0")).toBe(1);
    expect(await one(b, "SELECT GET_LOCK('t', 1)")).toBe(0);
    expect(await one(b, "SELECT IS_USED_LOCK('t') = " + a.threadId)).toBe(1);
    expect(await one(a, "SELECT RELEASE_LOCK('t')")).toBe(1);
  });

  it(req(['CORE-LOCK-015'], 'wire', 'KILL QUERY ends a waiting GET_LOCK with 1317; the lock stays with its holder'), async () => {
    const a = await session();
    const b = await session();
    expect(await one(a, "SELECT GET_LOCK('k', 0)")).toBe(1);
    const waiter = errorOf(b.query("SELECT GET_LOCK('k', 7200)"));
    await inUserLock(b);
    await obs.query(`KILL QUERY ${b.threadId}`);
    expect(await waiter).toEqual({ errno: 1317, sqlState: '70100', message: 'Query execution was interrupted' });
    expect(await one(b, "SELECT IS_FREE_LOCK('k')")).toBe(0);
    expect(await one(b, `SELECT IS_USED_LOCK('k') <> CONNECTION_ID()`)).toBe(1);
    expect(await one(a, "SELECT RELEASE_LOCK('k')")).toBe(1);
  });

  it(req(['CORE-LOCK-014'], 'wire', 'two sessions waiting for each other\'s user locks: the one closing the cycle gets 3058, the other gets its lock'), async () => {
    const a = await session();
    const b = await session();
    expect(await one(a, "SELECT GET_LOCK('test1', 0)")).toBe(1);
    expect(await one(b, "SELECT GET_LOCK('test2', 0)")).toBe(1);
    const bWaits = queryRows(b, "SELECT GET_LOCK('test1', 7200) AS g");
    await inUserLock(b);
    expect(await errorOf(a.query("SELECT GET_LOCK('test2', 7200)"))).toEqual(DEADLOCK);
    // The failed wait released nothing: a still holds test1 until it lets go.
    expect(await one(obs, "SELECT IS_USED_LOCK('test1')")).toBe(a.threadId);
    expect(await one(a, "SELECT RELEASE_LOCK('test1')")).toBe(1);
    expect(await bWaits).toEqual([{ g: 1 }]);
    expect(await one(b, "SELECT RELEASE_LOCK('test2') + RELEASE_LOCK('test1') = 2")).toBe(1);
  });

  it(req(['CORE-LOCK-014'], 'wire', 'a user-lock wait in a cycle with DDL is the victim (3058); the transaction is not rolled back'), async () => {
    const a = await session();
    const b = await session();
    await obs.query('CREATE TABLE ul.t1 (id INT) ENGINE=InnoDB');
    expect(await one(a, "SELECT GET_LOCK('test', 0)")).toBe(1);
    await b.query('BEGIN');
    await b.query('INSERT INTO t1 VALUES (1)');
    const bWaits = errorOf(b.query("SELECT GET_LOCK('test', 7200)"));
    await inUserLock(b);
    const rename = a.query('RENAME TABLE t1 TO t2');
    expect(await bWaits).toEqual(DEADLOCK);
    await b.query('COMMIT');
    await rename;
    await a.query('RENAME TABLE t2 TO t1');
    expect(await one(a, "SELECT RELEASE_LOCK('test')")).toBe(1);
    expect(await one(b, 'SELECT COUNT(*) FROM t1 WHERE id = 1')).toBe(1);
    await obs.query('DROP TABLE ul.t1');
  });
  it(req(['CORE-LOCK-014'], 'wire', "in a cycle with a DML statement's table wait the DML statement is the victim (1213) and the GET_LOCK waiter gets the lock"), async () => {
    const a = await session();
    const b = await session();
    await obs.query('CREATE TABLE ul.t3 (id INT) ENGINE=InnoDB');
    expect(await one(a, "SELECT GET_LOCK('test', 0)")).toBe(1);
    await b.query('LOCK TABLE t3 WRITE');
    const bWaits = queryRows(b, "SELECT GET_LOCK('test', 7200) AS g");
    await inUserLock(b);
    expect(await errorOf(a.query('SELECT COUNT(*) FROM t3'))).toEqual({ errno: 1213, sqlState: '40001', message: 'Deadlock found when trying to get lock; try restarting transaction' });
    expect(await one(a, "SELECT RELEASE_LOCK('test') = 1")).toBe(1);
    expect(await bWaits).toEqual([{ g: 1 }]);
    expect(await one(b, "SELECT RELEASE_LOCK('test')")).toBe(1);
    await b.query('UNLOCK TABLES');
    await obs.query('DROP TABLE ul.t3');
  });
});

describe('GET_LOCK in one session', () => {
  it(req(['CORE-LOCK-012'], 'wire', 'locks nest: each GET_LOCK of a held name counts, RELEASE_LOCK gives one back, then NULL; RELEASE_ALL_LOCKS returns the count'), async () => {
    const a = await session();
    expect(await queryRows(a, "SELECT IS_USED_LOCK('n') AS u, IS_FREE_LOCK('n') AS f, RELEASE_LOCK('n') AS r, RELEASE_ALL_LOCKS() AS ra")).toEqual([{ u: null, f: 1, r: null, ra: 0 }]);
    for (let i = 0; i < 3; i++) expect(await one(a, "SELECT GET_LOCK('n', 0)")).toBe(1);
    expect(await one(a, "SELECT RELEASE_LOCK('n')")).toBe(1);
    expect(await one(a, "SELECT RELEASE_LOCK('n')")).toBe(1);
    expect(await one(a, "SELECT RELEASE_LOCK('n')")).toBe(1);
    expect(await one(a, "SELECT RELEASE_LOCK('n')")).toBe(null);
    expect(await queryRows(a, "SELECT GET_LOCK('test', 0) AS a, GET_LOCK('test1', 0) AS b, RELEASE_ALL_LOCKS() AS c, GET_LOCK('test', 0) AS d")).toEqual([{ a: 1, b: 1, c: 2, d: 1 }]);
    expect(await one(a, 'SELECT RELEASE_ALL_LOCKS()')).toBe(1);
    expect(await queryRows(a, "SELECT GET_LOCK('n', 0) AS a, GET_LOCK('n', 0) AS b")).toEqual([{ a: 1, b: 1 }]);
    // One metadata_locks row per name however many times it was taken.
    expect(await one(obs, "SELECT COUNT(*) FROM performance_schema.metadata_locks WHERE OBJECT_TYPE = 'USER LEVEL LOCK' AND OBJECT_NAME = 'n'")).toBe(1);
    expect(await one(a, 'SELECT RELEASE_ALL_LOCKS()')).toBe(2);
    // COMMIT and ROLLBACK leave user locks alone.
    await a.query('BEGIN');
    expect(await one(a, "SELECT GET_LOCK('tx', 0)")).toBe(1);
    await a.query('ROLLBACK');
    expect(await one(a, "SELECT IS_USED_LOCK('tx') = CONNECTION_ID()")).toBe(1);
    expect(await one(a, 'SELECT RELEASE_ALL_LOCKS()')).toBe(1);
  });

  it(req(['CORE-LOCK-010', 'CORE-LOCK-012'], 'wire', 'prepared statements (binary protocol) take and release the same locks; another session sees them'), async () => {
    const a = await session();
    const [g] = await a.execute<mysql.RowDataPacket[]>('SELECT GET_LOCK(?, ?) AS g', ['prep', 0]);
    expect(g).toEqual([{ g: 1 }]);
    expect(await one(obs, "SELECT IS_USED_LOCK('prep')")).toBe(a.threadId);
    const [r] = await a.execute<mysql.RowDataPacket[]>('SELECT RELEASE_LOCK(?) AS r, IS_FREE_LOCK(?) AS f', ['prep', 'prep']);
    expect(r).toEqual([{ r: 1, f: 1 }]);
  });

  it(req(['CORE-LOCK-013'], 'wire', 'a NULL, empty or over-64-character lock name is error 3057 in every function; 64 characters are fine'), async () => {
    const a = await session();
    for (const f of ['GET_LOCK(%s, 0)', 'RELEASE_LOCK(%s)', 'IS_USED_LOCK(%s)', 'IS_FREE_LOCK(%s)']) {
      expect(await errorOf(a.query(`SELECT ${f.replace('%s', 'NULL')}`))).toEqual({ errno: 3057, sqlState: '42000', message: "Incorrect user-level lock name 'NULL'." });
      expect(await errorOf(a.query(`SELECT ${f.replace('%s', "''")}`))).toEqual({ errno: 3057, sqlState: '42000', message: "Incorrect user-level lock name ''." });
      expect(await errorOf(a.query(`SELECT ${f.replace('%s', "REPEAT('a', 65)")}`))).toEqual({ errno: 3057, sqlState: '42000', message: `Incorrect user-level lock name '${'a'.repeat(65)}'.` });
    }
    expect(await one(a, "SELECT GET_LOCK(REPEAT('a', 64), 0)")).toBe(1);
    expect(await one(a, "SELECT RELEASE_LOCK(REPEAT('a', 64))")).toBe(1);
  });

  it(req(['CORE-LOCK-012'], 'wire', 'result metadata: GET_LOCK/RELEASE_LOCK/IS_FREE_LOCK length 1, IS_USED_LOCK and RELEASE_ALL_LOCKS unsigned length 21, only RELEASE_ALL_LOCKS NOT NULL'), async () => {
    const a = await session();
    const [, fields] = await a.query("SELECT GET_LOCK('test', 0) AS g, RELEASE_LOCK('test') AS r, RELEASE_ALL_LOCKS() AS ra, IS_USED_LOCK('test') AS isu, IS_FREE_LOCK('test') AS isf");
    const UNSIGNED = 32, NOT_NULL = 1;
    expect(fields.map((f) => [f.name, f.columnLength, (Number(f.flags) & UNSIGNED) !== 0, (Number(f.flags) & NOT_NULL) !== 0])).toEqual([
      ['g', 1, false, false],
      ['r', 1, false, false],
      ['ra', 21, true, true],
      ['isu', 21, true, false],
      ['isf', 1, false, false],
    ]);
  });
});
