/**
 * Locks between sessions over the wire: metadata locks (DDL against open transactions, ALTER's
 * copy against writers, deadlocks, lock_wait_timeout, KILL), table locks (the MEMORY lost
 * update), LOCK TABLES, FLUSH TABLES WITH READ LOCK and performance_schema.metadata_locks.
 * Every test drives several mysql2 connections and asserts on order and outcome, never time.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type mysql from 'mysql2/promise';
import { SessionPool, startTestServer, type TestServer } from '../helpers/server.js';
import { req } from '../helpers/req.js';
import { queryError } from '../helpers/sql.js';

let srv: TestServer;
/** The observer: polls PROCESSLIST and metadata_locks, runs KILL. */
let obs: mysql.Connection;
const pool = new SessionPool(() => srv, 'lk');

beforeAll(async () => {
  srv = await startTestServer();
  obs = await srv.connect();
  await obs.query('CREATE DATABASE lk');
}, 60000);
afterAll(async () => {
  await obs?.end();
  await srv?.stop();
});
afterEach(async () => {
  await pool.closeAll();
});

const session = (): Promise<mysql.Connection> => pool.open();

async function rows<T = Record<string, unknown>>(c: mysql.Connection, sql: string): Promise<T[]> {
  const [r] = await c.query(sql);
  return r as T[];
}

const LOCK_WAIT_TIMEOUT = { errno: 1205, message: 'Lock wait timeout exceeded; try restarting transaction' };

/** Poll (bounded) until `cond` holds; fails the test when it never does. */
async function until(what: string, cond: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 3000; i++) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`never happened: ${what}`);
}

/** PROCESSLIST State of a connection. */
async function stateOf(id: number): Promise<string | null> {
  const r = await rows<{ STATE: string | null }>(obs, `SELECT STATE FROM information_schema.PROCESSLIST WHERE ID = ${id}`);
  return r[0]?.STATE ?? null;
}

/** Wait until connection `c` waits for a lock (State `state`). */
function waiting(c: mysql.Connection, state: string): Promise<void> {
  return until(`connection ${c.threadId} in state '${state}'`, async () => (await stateOf(c.threadId!)) === state);
}

/** Record the order in which promises settle. */
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

async function fresh(name: string, def = '(id INT PRIMARY KEY, v INT) ENGINE=MEMORY'): Promise<void> {
  await obs.query(`DROP TABLE IF EXISTS lk.${name}`);
  await obs.query(`CREATE TABLE lk.${name} ${def}`);
}

describe('table locks on MEMORY', () => {
  it(req(['CORE-LOCK-002', 'CORE-LOCK-001', 'CORE-MDL-012'], 'wire', 'DELETE and INSERT sent during a long UPDATE wait for it; every change is kept'), async () => {
    const N = 200_000;
    await obs.query('SET SESSION max_heap_table_size = 268435456');
    await fresh('y');
    await obs.query('INSERT INTO lk.y VALUES (0, 0)');
    for (let n = 1; n < N; n *= 2) await obs.query(`INSERT INTO lk.y SELECT id + ${n}, 0 FROM lk.y WHERE id + ${n} < ${N}`);
    expect(await rows(obs, 'SELECT COUNT(*) AS n FROM lk.y')).toEqual([{ n: N }]);
    const a = await session();
    const b = await session();
    const events: string[] = [];
    const update = track(events, 'update', a.query('UPDATE y SET v = v + 1'));
    await until('the UPDATE runs', async () => (await rows<{ INFO: string | null }>(obs, `SELECT INFO FROM information_schema.PROCESSLIST WHERE ID = ${a.threadId}`))[0]?.INFO?.startsWith('UPDATE') ?? false);
    const del = track(events, 'delete', b.query(`DELETE FROM y WHERE id = ${N - 1}`));
    // B's DELETE arrives while A's UPDATE is mid-statement and waits for its table lock.
    await waiting(b, 'Waiting for table level lock');
    const [delResult] = await del;
    const [insResult] = await b.query('INSERT INTO y VALUES (1000000, 42)');
    const [updResult] = await update;
    expect(events).toEqual(['update', 'delete']);
    expect((updResult as mysql.ResultSetHeader).affectedRows).toBe(N);
    expect((delResult as mysql.ResultSetHeader).affectedRows).toBe(1);
    expect((insResult as mysql.ResultSetHeader).affectedRows).toBe(1);
    expect(await rows(obs, `SELECT id, v FROM lk.y WHERE id IN (${N - 1}, 1000000)`)).toEqual([{ id: 1000000, v: 42 }]);
    expect(await rows(obs, 'SELECT COUNT(*) AS n, SUM(v = 1) AS ones FROM lk.y')).toEqual([{ n: N, ones: String(N - 1) }]);
  }, 120_000);
});

describe('LOCK TABLES', () => {
  it(req(['CORE-LOCK-003', 'CORE-MDL-004', 'CORE-MDL-012'], 'wire', 'WRITE blocks other sessions\' reads and writes (1205 after lock_wait_timeout) until UNLOCK TABLES'), async () => {
    await fresh('lw');
    await obs.query('INSERT INTO lk.lw VALUES (1, 1)');
    const a = await session();
    const b = await session();
    await a.query('LOCK TABLES lw WRITE');
    await b.query('SET SESSION lock_wait_timeout = 1');
    expect(await queryError(b, 'SELECT * FROM lw')).toEqual(LOCK_WAIT_TIMEOUT);
    expect(await queryError(b, 'INSERT INTO lw VALUES (2, 2)')).toEqual(LOCK_WAIT_TIMEOUT);
    await b.query('SET SESSION lock_wait_timeout = 60');
    const events: string[] = [];
    const read = track(events, 'read', b.query('SELECT COUNT(*) AS n FROM lw'));
    await waiting(b, 'Waiting for table metadata lock');
    await a.query('INSERT INTO lw VALUES (3, 3)');
    events.push('unlock');
    await a.query('UNLOCK TABLES');
    const [r] = await read;
    expect(events).toEqual(['unlock', 'read']);
    expect(r).toEqual([{ n: 2 }]);
  });
  it(req('CORE-LOCK-003', 'wire', 'READ lets other sessions read and makes their writes wait'), async () => {
    await fresh('lr');
    await obs.query('INSERT INTO lk.lr VALUES (1, 1)');
    const a = await session();
    const b = await session();
    await a.query('LOCK TABLES lr READ, lr AS alias READ LOCAL');
    expect(await rows(b, 'SELECT id FROM lr')).toEqual([{ id: 1 }]);
    await b.query('SET SESSION lock_wait_timeout = 1');
    expect(await queryError(b, 'INSERT INTO lr VALUES (2, 2)')).toEqual(LOCK_WAIT_TIMEOUT);
    expect(await queryError(a, 'INSERT INTO lr VALUES (2, 2)')).toEqual({ errno: 1099, message: "Table 'lr' was locked with a READ lock and can't be updated" });
    await b.query('SET SESSION lock_wait_timeout = 60');
    const events: string[] = [];
    const write = track(events, 'write', b.query('INSERT INTO lr VALUES (2, 2)'));
    await waiting(b, 'Waiting for table metadata lock');
    events.push('begin');
    // START TRANSACTION ends LOCK TABLES implicitly.
    await a.query('START TRANSACTION');
    await write;
    expect(events).toEqual(['begin', 'write']);
    await a.query('COMMIT');
  });
  it(req(['CORE-LOCK-003', 'CORE-EXEC-014'], 'wire', 'a locked view locks its tables; DDL under LOCK TABLES needs a WRITE lock (1100, 1099)'), async () => {
    await fresh('lv');
    await fresh('lx');
    await obs.query('CREATE OR REPLACE VIEW lk.lvv AS SELECT id FROM lk.lv');
    const a = await session();
    const b = await session();
    await a.query('LOCK TABLES lvv READ, lx WRITE');
    expect(await rows(a, 'SELECT * FROM lvv')).toEqual([]);
    await b.query('SET SESSION lock_wait_timeout = 1');
    expect(await queryError(b, 'INSERT INTO lv VALUES (1, 1)')).toEqual(LOCK_WAIT_TIMEOUT);
    expect(await queryError(a, 'ALTER TABLE lv ADD COLUMN c INT')).toEqual({ errno: 1099, message: "Table 'lv' was locked with a READ lock and can't be updated" });
    expect(await queryError(a, 'TRUNCATE TABLE dt')).toEqual({ errno: 1100, message: "Table 'dt' was not locked with LOCK TABLES" });
    // The session's own WRITE lock covers DDL on the table (as a mysqldump replay does).
    await a.query('ALTER TABLE lx DISABLE KEYS');
    await a.query('ALTER TABLE lx ADD COLUMN c INT');
    await a.query('INSERT INTO lx VALUES (1, 1, 1)');
    await a.query('UNLOCK TABLES');
    expect(await rows(b, 'SELECT * FROM lx')).toEqual([{ id: 1, v: 1, c: 1 }]);
    await obs.query('DROP VIEW lk.lvv');
  });
  it(req(['CORE-LOCK-008', 'CORE-MDL-005'], 'wire', 'a disconnect releases LOCK TABLES; a waiter then proceeds'), async () => {
    await fresh('ld');
    const a = await session();
    const b = await session();
    await a.query('LOCK TABLES ld WRITE');
    const read = b.query('SELECT COUNT(*) AS n FROM ld');
    await waiting(b, 'Waiting for table metadata lock');
    a.destroy();
    const [r] = await read;
    expect(r).toEqual([{ n: 0 }]);
  });
});

describe('DDL against open transactions', () => {
  for (const ddl of ['DROP TABLE dt', 'TRUNCATE TABLE dt', 'ALTER TABLE dt ADD COLUMN c INT']) {
    it(req(['CORE-MDL-008', 'CORE-MDL-003', 'CORE-MDL-004'], 'wire', `${ddl.split(' ')[0]} waits for a transaction that read the table; 1205 after lock_wait_timeout`), async () => {
      await fresh('dt');
      await obs.query('INSERT INTO lk.dt VALUES (1, 1)');
      const a = await session();
      const b = await session();
      await a.query('BEGIN');
      await a.query('SELECT * FROM dt');
      await b.query('SET SESSION lock_wait_timeout = 1');
      expect(await queryError(b, ddl)).toEqual(LOCK_WAIT_TIMEOUT);
      await b.query('SET SESSION lock_wait_timeout = 60');
      const events: string[] = [];
      const done = track(events, 'ddl', b.query(ddl));
      await waiting(b, 'Waiting for table metadata lock');
      // The transaction goes on reading while the DDL waits.
      expect(await rows(a, 'SELECT id FROM dt')).toEqual([{ id: 1 }]);
      events.push('commit');
      await a.query('COMMIT');
      await done;
      expect(events).toEqual(['commit', 'ddl']);
    });
  }
  it(req('CORE-MDL-003', 'wire', 'START TRANSACTION ends the previous transaction and releases its locks'), async () => {
    await fresh('bt');
    const a = await session();
    const b = await session();
    await a.query('BEGIN');
    await a.query('SELECT * FROM bt');
    await b.query('SET SESSION lock_wait_timeout = 1');
    expect(await queryError(b, 'DROP TABLE bt')).toEqual(LOCK_WAIT_TIMEOUT);
    await a.query('START TRANSACTION');
    await b.query('DROP TABLE bt');
    await a.query('COMMIT');
  });
  it(req('CORE-MDL-008', 'wire', 'DROP DATABASE waits for a transaction that read one of its tables'), async () => {
    await obs.query('CREATE DATABASE IF NOT EXISTS lkd');
    await obs.query('CREATE TABLE lkd.t (x INT) ENGINE=MEMORY');
    const a = await session();
    const b = await session();
    await a.query('BEGIN');
    await a.query('SELECT * FROM lkd.t');
    await b.query('SET SESSION lock_wait_timeout = 1');
    expect(await queryError(b, 'DROP DATABASE lkd')).toEqual(LOCK_WAIT_TIMEOUT);
    await a.query('COMMIT');
    await b.query('DROP DATABASE lkd');
  });
  it(req('CORE-MDL-002', 'wire', 'a waiting DROP holds back new readers of the table'), async () => {
    await fresh('dq');
    const a = await session();
    const b = await session();
    const c = await session();
    await a.query('BEGIN');
    await a.query('SELECT * FROM dq');
    const drop = b.query('DROP TABLE dq');
    await waiting(b, 'Waiting for table metadata lock');
    await c.query('SET SESSION lock_wait_timeout = 1');
    expect(await queryError(c, 'SELECT * FROM dq')).toEqual(LOCK_WAIT_TIMEOUT);
    await a.query('COMMIT');
    await drop;
    expect(await queryError(c, 'SELECT * FROM dq')).toEqual({ errno: 1146, message: "Table 'lk.dq' doesn't exist" });
  });
  it(req('CORE-MDL-010', 'wire', 'a temporary table takes no lock: DROP of the base table it shadows does not wait'), async () => {
    await fresh('tt');
    const a = await session();
    const b = await session();
    await a.query('CREATE TEMPORARY TABLE tt (x INT) ENGINE=MEMORY');
    await a.query('BEGIN');
    await a.query('SELECT * FROM tt');
    expect(await rows(obs, "SELECT * FROM performance_schema.metadata_locks WHERE OBJECT_NAME = 'tt'")).toEqual([]);
    await b.query('SET SESSION lock_wait_timeout = 1');
    await b.query('DROP TABLE tt');
    await a.query('COMMIT');
  });
});

describe('ALTER TABLE copy', () => {
  it(req(['CORE-MDL-009', 'CORE-MDL-013', 'CORE-MDL-011'], 'wire', 'inserts sent during the copy wait for it and are all kept'), async () => {
    const N = 40_000;
    await obs.query('SET SESSION max_heap_table_size = 268435456');
    await fresh('ac');
    await obs.query('INSERT INTO lk.ac VALUES (0, 0)');
    for (let n = 1; n < N; n *= 2) await obs.query(`INSERT INTO lk.ac SELECT id + ${n}, 0 FROM lk.ac WHERE id + ${n} < ${N}`);
    const a = await session();
    await a.query('SET SESSION max_heap_table_size = 268435456');
    const writers = [await session(), await session(), await session()];
    const events: string[] = [];
    const alter = track(events, 'alter', a.query('ALTER TABLE ac ADD COLUMN c INT NOT NULL DEFAULT 7'));
    const lockOf = `SELECT LOCK_TYPE, LOCK_STATUS FROM performance_schema.metadata_locks WHERE OBJECT_NAME = 'ac' AND OWNER_THREAD_ID =
      (SELECT THREAD_ID FROM performance_schema.threads WHERE PROCESSLIST_ID = ${a.threadId})`;
    await until('the ALTER copies under SHARED_NO_WRITE', async () => (await rows(obs, lockOf)).some((r) => r['LOCK_TYPE'] === 'SHARED_NO_WRITE'));
    const inserts = writers.map((w, i) => track(events, 'insert', w.query(`INSERT INTO ac (id, v) VALUES (${N + i}, 1)`)));
    await waiting(writers[0]!, 'Waiting for table metadata lock');
    await Promise.all([alter, ...inserts]);
    expect(events).toEqual(['alter', 'insert', 'insert', 'insert']);
    expect(await rows(obs, 'SELECT COUNT(*) AS n, SUM(c = 7) AS sevens FROM lk.ac')).toEqual([{ n: N + 3, sevens: String(N + 3) }]);
    expect(await rows(obs, `SELECT id, c FROM lk.ac WHERE id >= ${N} ORDER BY id`)).toEqual([0, 1, 2].map((i) => ({ id: N + i, c: 7 })));
  }, 120_000);
});

describe('waits that end early', () => {
  it(req(['CORE-MDL-005', 'CORE-CONC-003', 'CORE-LOCK-007'], 'wire', 'KILL QUERY ends a lock wait with 1317 and the killed statement holds nothing'), async () => {
    await fresh('k1');
    await fresh('k2');
    const a = await session();
    const b = await session();
    await a.query('LOCK TABLES k1 WRITE');
    const stuck = queryError(b, 'INSERT INTO k2 SELECT * FROM k1');
    await waiting(b, 'Waiting for table metadata lock');
    expect((await rows(obs, 'SELECT OBJECT_TYPE FROM performance_schema.metadata_locks WHERE OWNER_THREAD_ID = (SELECT THREAD_ID FROM performance_schema.threads WHERE PROCESSLIST_ID = ' + b.threadId + ')')).length).toBeGreaterThan(0);
    await obs.query(`KILL QUERY ${b.threadId}`);
    expect(await stuck).toEqual({ errno: 1317, message: 'Query execution was interrupted' });
    expect(await rows(obs, 'SELECT * FROM performance_schema.metadata_locks WHERE OWNER_THREAD_ID = (SELECT THREAD_ID FROM performance_schema.threads WHERE PROCESSLIST_ID = ' + b.threadId + ')')).toEqual([]);
    expect(await rows(b, 'SELECT COUNT(*) AS n FROM k2')).toEqual([{ n: 0 }]);
    await a.query('UNLOCK TABLES');
  });
  it(req(['CORE-LOCK-007', 'CORE-MDL-012'], 'wire', 'a table lock wait ends with 1205 after lock_wait_timeout, or with 1317 on KILL QUERY'), async () => {
    await fresh('tw');
    const a = await session();
    const b = await session();
    // READ LOCAL lets writers have their metadata lock; they wait for the table lock.
    await a.query('LOCK TABLES tw READ LOCAL');
    await b.query('SET SESSION lock_wait_timeout = 1');
    expect(await queryError(b, 'INSERT INTO tw VALUES (1, 1)')).toEqual(LOCK_WAIT_TIMEOUT);
    await b.query('SET SESSION lock_wait_timeout = 60');
    const stuck = queryError(b, 'INSERT INTO tw VALUES (1, 1)');
    await waiting(b, 'Waiting for table level lock');
    await obs.query(`KILL QUERY ${b.threadId}`);
    expect(await stuck).toEqual({ errno: 1317, message: 'Query execution was interrupted' });
    await a.query('UNLOCK TABLES');
    await b.query('INSERT INTO tw VALUES (2, 2)');
    expect(await rows(obs, 'SELECT id FROM lk.tw')).toEqual([{ id: 2 }]);
  });
  it(req(['CORE-MDL-006', 'CORE-MDL-008'], 'wire', 'a transaction that writes a table a waiting DROP wants is the deadlock victim (1213)'), async () => {
    await fresh('dl');
    const a = await session();
    const b = await session();
    await a.query('BEGIN');
    await a.query('SELECT * FROM dl');
    const events: string[] = [];
    const drop = track(events, 'drop', b.query('DROP TABLE dl'));
    await waiting(b, 'Waiting for table metadata lock');
    expect(await queryError(a, 'INSERT INTO dl VALUES (1, 1)')).toEqual({ errno: 1213, message: 'Deadlock found when trying to get lock; try restarting transaction' });
    events.push('rollback');
    await a.query('ROLLBACK');
    await drop;
    expect(events).toEqual(['rollback', 'drop']);
  });
});

describe('FLUSH TABLES WITH READ LOCK', () => {
  it(req(['CORE-LOCK-004', 'CORE-MDL-004', 'CORE-MDL-012'], 'wire', 'writers wait (1205 after lock_wait_timeout), readers go on, UNLOCK TABLES releases'), async () => {
    await fresh('fr');
    const a = await session();
    const b = await session();
    await a.query('FLUSH TABLES WITH READ LOCK');
    expect(await queryError(a, 'INSERT INTO fr VALUES (9, 9)')).toEqual({ errno: 1223, message: "Can't execute the query because you have a conflicting read lock" });
    expect(await rows(b, 'SELECT COUNT(*) AS n FROM fr')).toEqual([{ n: 0 }]);
    await b.query('SET SESSION lock_wait_timeout = 1');
    expect(await queryError(b, 'INSERT INTO fr VALUES (1, 1)')).toEqual(LOCK_WAIT_TIMEOUT);
    expect(await queryError(b, 'CREATE TABLE fr2 (x INT)')).toEqual(LOCK_WAIT_TIMEOUT);
    await b.query('SET SESSION lock_wait_timeout = 60');
    const events: string[] = [];
    const write = track(events, 'write', b.query('INSERT INTO fr VALUES (1, 1)'));
    await waiting(b, 'Waiting for global read lock');
    events.push('unlock');
    await a.query('UNLOCK TABLES');
    await write;
    expect(events).toEqual(['unlock', 'write']);
  });
  it(req('CORE-LOCK-004', 'wire', 'waits for a session holding LOCK TABLES ... WRITE'), async () => {
    await fresh('fw');
    const a = await session();
    const b = await session();
    await a.query('LOCK TABLES fw WRITE');
    await b.query('SET SESSION lock_wait_timeout = 1');
    expect(await queryError(b, 'FLUSH TABLES WITH READ LOCK')).toEqual(LOCK_WAIT_TIMEOUT);
    await a.query('UNLOCK TABLES');
    await b.query('FLUSH TABLES WITH READ LOCK');
    await b.query('UNLOCK TABLES');
  });
  it(req('CORE-LOCK-005', 'wire', 'FLUSH TABLES t WITH READ LOCK: others read t but cannot write it; the session is in LOCK TABLES mode'), async () => {
    await fresh('ft');
    await fresh('fo');
    const a = await session();
    const b = await session();
    await a.query('FLUSH TABLES ft WITH READ LOCK');
    expect(await rows(b, 'SELECT COUNT(*) AS n FROM ft')).toEqual([{ n: 0 }]);
    await b.query('SET SESSION lock_wait_timeout = 1');
    expect(await queryError(b, 'INSERT INTO ft VALUES (1, 1)')).toEqual(LOCK_WAIT_TIMEOUT);
    await b.query('INSERT INTO fo VALUES (1, 1)');
    expect(await queryError(a, 'SELECT * FROM fo')).toEqual({ errno: 1100, message: "Table 'fo' was not locked with LOCK TABLES" });
    await a.query('UNLOCK TABLES');
    await b.query('INSERT INTO ft VALUES (1, 1)');
  });
});

describe('performance_schema.metadata_locks', () => {
  it(req(['CORE-MDL-011', 'CORE-MDL-007'], 'wire', 'shows the reader\'s GRANTED SHARED_READ and the waiting DROP\'s PENDING EXCLUSIVE'), async () => {
    await fresh('pm');
    const a = await session();
    const b = await session();
    const [[ta], [tb]] = await Promise.all(
      [a, b].map((c) => rows<{ T: number }>(obs, `SELECT THREAD_ID AS T FROM performance_schema.threads WHERE PROCESSLIST_ID = ${c.threadId}`)),
    );
    await a.query('BEGIN');
    await a.query('SELECT * FROM pm');
    const drop = b.query('DROP TABLE pm');
    await waiting(b, 'Waiting for table metadata lock');
    const seen = await rows(
      obs,
      `SELECT OBJECT_TYPE, OBJECT_SCHEMA, OBJECT_NAME, COLUMN_NAME, LOCK_TYPE, LOCK_DURATION, LOCK_STATUS, OWNER_THREAD_ID
       FROM performance_schema.metadata_locks WHERE OBJECT_NAME = 'pm' ORDER BY LOCK_STATUS`,
    );
    expect(seen).toEqual([
      { OBJECT_TYPE: 'TABLE', OBJECT_SCHEMA: 'lk', OBJECT_NAME: 'pm', COLUMN_NAME: null, LOCK_TYPE: 'SHARED_READ', LOCK_DURATION: 'TRANSACTION', LOCK_STATUS: 'GRANTED', OWNER_THREAD_ID: ta!.T },
      { OBJECT_TYPE: 'TABLE', OBJECT_SCHEMA: 'lk', OBJECT_NAME: 'pm', COLUMN_NAME: null, LOCK_TYPE: 'EXCLUSIVE', LOCK_DURATION: 'TRANSACTION', LOCK_STATUS: 'PENDING', OWNER_THREAD_ID: tb!.T },
    ]);
    await a.query('INSERT INTO pm VALUES (1, 1)').catch(() => undefined);
    await a.query('ROLLBACK');
    await drop;
    expect(await rows(obs, "SELECT * FROM performance_schema.metadata_locks WHERE OBJECT_NAME = 'pm'")).toEqual([]);
  });
  it(req('CORE-MDL-007', 'wire', 'a write takes SHARED_WRITE to the end of the transaction and GLOBAL INTENTION_EXCLUSIVE for the statement'), async () => {
    await fresh('pw');
    const a = await session();
    await a.query('BEGIN');
    await a.query('INSERT INTO pw VALUES (1, 1)');
    const mine = `SELECT OBJECT_TYPE, OBJECT_NAME, LOCK_TYPE, LOCK_DURATION FROM performance_schema.metadata_locks
      WHERE OWNER_THREAD_ID = (SELECT THREAD_ID FROM performance_schema.threads WHERE PROCESSLIST_ID = ${a.threadId})`;
    expect(await rows(obs, mine)).toEqual([{ OBJECT_TYPE: 'TABLE', OBJECT_NAME: 'pw', LOCK_TYPE: 'SHARED_WRITE', LOCK_DURATION: 'TRANSACTION' }]);
    await a.query('COMMIT');
    expect(await rows(obs, mine)).toEqual([]);
  });
});
