/**
 * Concurrent inserts over the wire (mysql2, several connections): a plain INSERT into a MyISAM
 * or CSV table goes on while another session holds LOCK TABLES ... READ LOCAL or runs a
 * SELECT, and the reader does not see the new row until its lock ends; holes in a MyISAM data
 * file, concurrent_insert = NEVER, plain LOCK TABLES ... READ, every other kind of write, and
 * engines without concurrent inserts (MEMORY) make the INSERT wait.
 *
 * Waits are shown by the waiting session's PROCESSLIST state and by the order in which
 * statements complete, never by timing. An INSERT that must not wait runs with a short
 * lock_wait_timeout, so a wrong wait fails it with 1205 instead of hanging.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type mysql from 'mysql2/promise';
import { SessionPool, startTestServer, type TestServer } from '../helpers/server.js';
import { req } from '../helpers/req.js';

let srv: TestServer;
/** The observer: creates tables, polls PROCESSLIST, sets globals. */
let obs: mysql.Connection;
const pool = new SessionPool(() => srv, 'ci');

beforeAll(async () => {
  srv = await startTestServer();
  obs = await srv.connect();
  await obs.query('CREATE DATABASE ci');
}, 60000);
afterAll(async () => {
  await obs?.end();
  await srv?.stop();
});
afterEach(async () => {
  await pool.closeAll();
  // concurrent_insert is global: every test leaves it at its default.
  await obs.query('SET GLOBAL concurrent_insert = AUTO');
});

/** A new connection using schema ci; `quick`: lock_wait_timeout 3 (a wrong wait fails fast). */
async function session(quick = false): Promise<mysql.Connection> {
  const c = await pool.open();
  if (quick) await c.query('SET SESSION lock_wait_timeout = 3');
  return c;
}

async function rows<T = Record<string, unknown>>(c: mysql.Connection, sql: string): Promise<T[]> {
  const [r] = await c.query(sql);
  return r as T[];
}

/** The ids of a table as `c` sees them, in order. */
async function ids(c: mysql.Connection, table: string, where = ''): Promise<number[]> {
  return (await rows<{ id: number }>(c, `SELECT id FROM ${table} ${where} ORDER BY id`)).map((r) => r.id);
}

async function until(what: string, cond: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 3000; i++) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`never happened: ${what}`);
}

async function stateOf(id: number): Promise<string | null> {
  const r = await rows<{ STATE: string | null }>(obs, `SELECT STATE FROM information_schema.PROCESSLIST WHERE ID = ${id}`);
  return r[0]?.STATE ?? null;
}

/** Wait until connection `c` waits for a lock (State `state`). */
function waiting(c: mysql.Connection, state: string): Promise<void> {
  return until(`connection ${c.threadId} in state '${state}'`, async () => (await stateOf(c.threadId!)) === state);
}

/** Whether `p` is still unsettled after `ms` milliseconds (no claim about speed either way). */
async function stillPending(p: Promise<unknown>, ms: number): Promise<boolean> {
  let settled = false;
  const watched = p.then(
    () => (settled = true),
    () => (settled = true),
  );
  await Promise.race([watched, new Promise((r) => setTimeout(r, ms))]);
  return !settled;
}

/** Data_length and Data_free of a table (SHOW TABLE STATUS). */
async function sizes(table: string): Promise<{ length: number; free: number }> {
  const r = await rows<{ Data_length: number; Data_free: number }>(obs, `SHOW TABLE STATUS FROM ci LIKE '${table}'`);
  return { length: Number(r[0]!.Data_length), free: Number(r[0]!.Data_free) };
}

/** A fresh MyISAM table (fixed rows, an index on id) holding ids 1..3. */
async function myisam(name: string): Promise<void> {
  await obs.query(`DROP TABLE IF EXISTS ci.${name}`);
  await obs.query(`CREATE TABLE ci.${name} (id INT NOT NULL, v INT, KEY (id)) ENGINE=MyISAM`);
  await obs.query(`INSERT INTO ci.${name} VALUES (1, 10), (2, 20), (3, 30)`);
}

const TABLE_LEVEL = 'Waiting for table level lock';
const METADATA = 'Waiting for table metadata lock';

describe('MyISAM: LOCK TABLES ... READ LOCAL and concurrent_insert', () => {
  it(req(['MYISAM-021', 'CORE-LOCK-009'], 'wire', 'READ LOCAL lets another session INSERT at once; the locker does not see the row (scan or index) until UNLOCK TABLES, the inserter and others do'), async () => {
    await myisam('rl');
    const a = await session();
    const b = await session(true);
    await a.query('LOCK TABLES rl READ LOCAL');
    // B's INSERT completes while A still holds its lock (a wait would end in 1205).
    const [res] = await b.query<mysql.ResultSetHeader>('INSERT INTO rl VALUES (4, 40)');
    expect(res.affectedRows).toBe(1);
    await b.query('INSERT INTO rl VALUES (5, 50), (6, 60)');
    expect(await ids(a, 'rl')).toEqual([1, 2, 3]);
    expect(await ids(a, 'rl', 'WHERE id >= 2')).toEqual([2, 3]);
    expect(await rows(a, 'SELECT COUNT(*) AS n, SUM(v) AS s FROM rl')).toEqual([{ n: 3, s: '60' }]);
    expect(await ids(b, 'rl')).toEqual([1, 2, 3, 4, 5, 6]);
    expect(await ids(obs, 'ci.rl', 'WHERE id = 5')).toEqual([5]);
    await a.query('UNLOCK TABLES');
    expect(await ids(a, 'rl')).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it(req(['MYISAM-021', 'MYISAM-035', 'CORE-LOCK-009'], 'wire', 'with a hole from DELETE (concurrent_insert AUTO) the INSERT waits for the READ LOCAL lock (table level lock), then fills the hole; once refilled, inserts are concurrent again'), async () => {
    await myisam('hole');
    await obs.query('DELETE FROM ci.hole WHERE id = 2');
    const before = await sizes('hole');
    expect(before.free).toBeGreaterThan(0);
    const a = await session();
    const b = await session();
    await a.query('LOCK TABLES hole READ LOCAL');
    const events: string[] = [];
    const ins = b.query('INSERT INTO hole VALUES (7, 70)').then(() => events.push('insert'));
    await waiting(b, TABLE_LEVEL);
    expect(await ids(a, 'hole')).toEqual([1, 3]);
    events.push('unlock');
    await a.query('UNLOCK TABLES');
    await ins;
    expect(events).toEqual(['unlock', 'insert']);
    expect(await ids(a, 'hole')).toEqual([1, 3, 7]);
    // With no reader left, the row went into the hole: the file did not grow.
    expect(await sizes('hole')).toEqual({ length: before.length, free: 0 });
    // The hole refilled, inserts are concurrent again.
    await b.query('SET SESSION lock_wait_timeout = 3');
    await a.query('LOCK TABLES hole READ LOCAL');
    await b.query('INSERT INTO hole VALUES (8, 80)');
    expect(await ids(a, 'hole')).toEqual([1, 3, 7]);
    await a.query('UNLOCK TABLES');
    expect(await ids(a, 'hole')).toEqual([1, 3, 7, 8]);
  });

  it(req(['MYISAM-021', 'MYISAM-035', 'MYISAM-041'], 'wire', 'concurrent_insert = ALWAYS (or 2): no wait even with a hole; the row goes to the end of the file and the hole stays (fixed and dynamic rows)'), async () => {
    await obs.query('SET GLOBAL concurrent_insert = 2');
    expect(await rows(obs, 'SELECT @@GLOBAL.concurrent_insert AS v')).toEqual([{ v: 'ALWAYS' }]);
    const a = await session();
    const b = await session(true);
    for (const [name, v] of [
      ['alw', 'INT'],
      ['alwd', 'VARCHAR(20)'],
    ] as const) {
      await obs.query(`CREATE TABLE ci.${name} (id INT NOT NULL, v ${v}, KEY (id)) ENGINE=MyISAM`);
      await obs.query(`INSERT INTO ci.${name} VALUES (1, 11), (2, 22), (3, 33)`);
      expect((await rows<{ Row_format: string }>(obs, `SHOW TABLE STATUS FROM ci LIKE '${name}'`))[0]!.Row_format).toBe(v === 'INT' ? 'Fixed' : 'Dynamic');
      await obs.query(`DELETE FROM ci.${name} WHERE id = 1`);
      const before = await sizes(name);
      expect(before.free).toBeGreaterThan(0);
      await a.query(`LOCK TABLES ${name} READ LOCAL`);
      await b.query(`INSERT INTO ${name} VALUES (8, 88)`);
      expect(await ids(a, name)).toEqual([2, 3]);
      const after = await sizes(name);
      expect({ name, free: after.free }).toEqual({ name, free: before.free });
      expect(after.length).toBeGreaterThan(before.length);
      await a.query('UNLOCK TABLES');
      expect(await ids(a, name)).toEqual([2, 3, 8]);
      // No reader now: the next row (of the same size) fills the hole.
      await b.query(`INSERT INTO ${name} VALUES (9, 99)`);
      expect({ name, ...(await sizes(name)) }).toEqual({ name, length: after.length, free: 0 });
    }
  });

  it(req(['MYISAM-035', 'MYISAM-041'], 'wire', 'concurrent_insert = NEVER: the INSERT waits for READ LOCAL even without holes'), async () => {
    await myisam('nev');
    await obs.query('SET GLOBAL concurrent_insert = NEVER');
    const a = await session();
    const b = await session();
    await a.query('LOCK TABLES nev READ LOCAL');
    const ins = b.query('INSERT INTO nev VALUES (4, 40)');
    await waiting(b, TABLE_LEVEL);
    expect(await stillPending(ins, 300)).toBe(true);
    await a.query('UNLOCK TABLES');
    await ins;
    expect(await ids(a, 'nev')).toEqual([1, 2, 3, 4]);
  });

  it(req(['CORE-LOCK-003', 'CORE-LOCK-009'], 'wire', 'plain LOCK TABLES ... READ makes the INSERT wait (the metadata lock READ takes admits no writer) until UNLOCK TABLES'), async () => {
    await myisam('rd');
    const a = await session();
    const b = await session();
    await a.query('LOCK TABLES rd READ');
    const ins = b.query('INSERT INTO rd VALUES (4, 40)');
    await waiting(b, METADATA);
    expect(await stillPending(ins, 300)).toBe(true);
    expect(await ids(a, 'rd')).toEqual([1, 2, 3]);
    await a.query('UNLOCK TABLES');
    await ins;
    expect(await ids(a, 'rd')).toEqual([1, 2, 3, 4]);
  });

  it(req(['MYISAM-021', 'CORE-LOCK-009'], 'wire', 'UPDATE, DELETE, REPLACE, INSERT ... SELECT, INSERT ... ON DUPLICATE KEY UPDATE and INSERT LOW_PRIORITY are no concurrent inserts: each waits for READ LOCAL'), async () => {
    await myisam('oth');
    await obs.query('CREATE TABLE IF NOT EXISTS ci.src (id INT NOT NULL, v INT) ENGINE=MyISAM');
    const a = await session();
    const b = await session();
    const writes = [
      'UPDATE oth SET v = v + 1 WHERE id = 1',
      'DELETE FROM oth WHERE id = 3',
      'REPLACE INTO oth VALUES (10, 100)',
      'INSERT INTO oth SELECT id + 20, v FROM src',
      'INSERT INTO oth VALUES (30, 300) ON DUPLICATE KEY UPDATE v = 0',
      'INSERT LOW_PRIORITY INTO oth VALUES (40, 400)',
    ];
    for (const sql of writes) {
      await a.query('LOCK TABLES oth READ LOCAL');
      const events: string[] = [];
      const w = b.query(sql).then(() => events.push('write'));
      await waiting(b, TABLE_LEVEL);
      events.push('unlock');
      await a.query('UNLOCK TABLES');
      await w;
      expect({ sql, events }).toEqual({ sql, events: ['unlock', 'write'] });
    }
    expect(await rows(a, 'SELECT id, v FROM oth ORDER BY id')).toEqual([
      { id: 1, v: 11 },
      { id: 2, v: 20 },
      { id: 10, v: 100 },
      { id: 30, v: 300 },
      { id: 40, v: 400 },
    ]);
  });

  it(req(['MYISAM-021'], 'wire', 'a running SELECT does not hold back an INSERT, and all its reads (a correlated subquery too) keep the rows of when its lock was granted'), async () => {
    await myisam('sel');
    const a = await session();
    const b = await session(true);
    const events: string[] = [];
    // The correlated subquery reads the table again for every row, after the sleeps began.
    const reading = a.query<mysql.RowDataPacket[]>('SELECT id, SLEEP(0.5) AS s, (SELECT COUNT(*) FROM sel AS s2 WHERE s2.id > sel.id - 100) AS n FROM sel ORDER BY id').then(([r]) => {
      events.push('select');
      return r.map((x) => [x['id'] as number, x['n'] as number]);
    });
    // A's metadata lock granted means its table lock (and read view) was taken in the same step.
    await until('the SELECT holds its locks', async () => (await rows(obs, "SELECT 1 FROM performance_schema.metadata_locks WHERE OBJECT_SCHEMA = 'ci' AND OBJECT_NAME = 'sel' AND LOCK_TYPE = 'SHARED_READ' AND LOCK_STATUS = 'GRANTED'")).length === 1);
    await b.query('INSERT INTO sel VALUES (4, 40)');
    events.push('insert');
    expect(await reading).toEqual([
      [1, 3],
      [2, 3],
      [3, 3],
    ]);
    expect(events).toEqual(['insert', 'select']);
    expect(await ids(a, 'sel')).toEqual([1, 2, 3, 4]);
  });

  it(req(['MYISAM-021'], 'wire', 'two concurrent inserts still exclude each other, and a WRITE lock excludes the INSERT'), async () => {
    await myisam('two');
    const a = await session();
    const b = await session();
    const c = await session();
    // B's INSERT holds its lock while it waits on a subquery's SLEEP; C's INSERT waits for it.
    await a.query('LOCK TABLES two READ LOCAL');
    const events: string[] = [];
    const first = b.query('INSERT INTO two VALUES (5, SLEEP(0.5))').then(() => events.push('b'));
    // B's metadata lock granted means its table lock was taken in the same step.
    await until('B holds its locks', async () => (await rows(obs, "SELECT 1 FROM performance_schema.metadata_locks WHERE OBJECT_SCHEMA = 'ci' AND OBJECT_NAME = 'two' AND LOCK_TYPE = 'SHARED_WRITE' AND LOCK_STATUS = 'GRANTED'")).length === 1);
    const second = c.query('INSERT INTO two VALUES (6, 60)').then(() => events.push('c'));
    await waiting(c, TABLE_LEVEL);
    await first;
    await second;
    expect(events).toEqual(['b', 'c']);
    expect(await ids(a, 'two')).toEqual([1, 2, 3]);
    await a.query('UNLOCK TABLES');
    await a.query('LOCK TABLES two WRITE');
    const ins = b.query('INSERT INTO two VALUES (7, 70)');
    await waiting(b, METADATA);
    await a.query('UNLOCK TABLES');
    await ins;
    expect(await ids(a, 'two')).toEqual([1, 2, 3, 5, 6, 7]);
  });
});

describe('CSV concurrent inserts', () => {
  it(req(['CSV-015', 'CORE-LOCK-009'], 'wire', 'READ LOCAL lets another session INSERT into a CSV table at once (the line is in t.CSV); the locker sees it only after UNLOCK TABLES'), async () => {
    await obs.query('CREATE TABLE ci.c1 (id INT NOT NULL, s CHAR(3) NOT NULL) ENGINE=CSV');
    await obs.query("INSERT INTO ci.c1 VALUES (1, 'a'), (2, 'b')");
    const a = await session();
    const b = await session(true);
    await a.query('LOCK TABLES c1 READ LOCAL');
    await b.query("INSERT INTO c1 VALUES (3, 'c')");
    expect(await ids(a, 'c1')).toEqual([1, 2]);
    expect(await ids(b, 'c1')).toEqual([1, 2, 3]);
    expect(readFileSync(join(srv.datadir, 'ci', 'c1.CSV'), 'latin1')).toBe('1,"a"\n2,"b"\n3,"c"\n');
    await a.query('UNLOCK TABLES');
    expect(await ids(a, 'c1')).toEqual([1, 2, 3]);
    // Plain READ still keeps writers out; UPDATE waits for READ LOCAL.
    await a.query('LOCK TABLES c1 READ LOCAL');
    const upd = b.query("UPDATE c1 SET s = 'z' WHERE id = 1");
    await waiting(b, TABLE_LEVEL);
    await a.query('UNLOCK TABLES');
    await upd;
    expect(await rows(a, 'SELECT s FROM c1 WHERE id = 1')).toEqual([{ s: 'z' }]);
  });
});

describe('engines without concurrent inserts', () => {
  it(req(['CORE-LOCK-009', 'CORE-LOCK-001'], 'wire', 'MEMORY: an INSERT waits for another session\'s READ LOCAL (table level lock) and for a plain READ'), async () => {
    await obs.query('CREATE TABLE ci.mem (id INT NOT NULL) ENGINE=MEMORY');
    await obs.query('INSERT INTO ci.mem VALUES (1)');
    const a = await session();
    const b = await session();
    await a.query('LOCK TABLES mem READ LOCAL');
    const ins = b.query('INSERT INTO mem VALUES (2)');
    await waiting(b, TABLE_LEVEL);
    expect(await ids(a, 'mem')).toEqual([1]);
    await a.query('UNLOCK TABLES');
    await ins;
    expect(await ids(a, 'mem')).toEqual([1, 2]);
  });

  it(req(['CORE-LOCK-003'], 'wire', 'InnoDB: plain LOCK TABLES ... READ makes an INSERT wait on the metadata lock, as before'), async () => {
    await obs.query('CREATE TABLE ci.inn (id INT PRIMARY KEY) ENGINE=InnoDB');
    await obs.query('INSERT INTO ci.inn VALUES (1)');
    const a = await session();
    const b = await session();
    await a.query('LOCK TABLES inn READ');
    const ins = b.query('INSERT INTO inn VALUES (2)');
    await waiting(b, METADATA);
    await a.query('UNLOCK TABLES');
    await ins;
    expect(await ids(a, 'inn')).toEqual([1, 2]);
  });

  it(req(['CORE-LOCK-009'], 'wire', 'InnoDB: LOCK TABLES ... READ LOCAL is taken as READ, so another session\'s INSERT waits on the metadata lock until UNLOCK TABLES'), async () => {
    const a = await session();
    const b = await session();
    await a.query('LOCK TABLES inn READ LOCAL');
    const ins = b.query('INSERT INTO inn VALUES (3)');
    await waiting(b, METADATA);
    expect(await ids(a, 'inn')).toEqual([1, 2]);
    await a.query('UNLOCK TABLES');
    await ins;
    expect(await ids(a, 'inn')).toEqual([1, 2, 3]);
  });
});
