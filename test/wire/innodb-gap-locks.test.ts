/**
 * Gap and next-key locks through real clients: a locking read at REPEATABLE READ keeps other
 * sessions from inserting into the range it read (and into the gap after it), an equality read
 * of a primary key locks only its row, READ COMMITTED locks no gap, data_locks shows the modes,
 * and a COUNT(*) ... FOR SHARE repeated inside a transaction sees no phantom.
 */
import type mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { req } from '../helpers/req.js';
import { errorOf } from '../helpers/sql.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let srv: TestServer;
const conns: mysql.Connection[] = [];
let n = 0;

async function conn(): Promise<mysql.Connection> {
  const c = await srv.connect({ database: 'gaps' });
  await c.query('SET SESSION innodb_lock_wait_timeout = 1');
  conns.push(c);
  return c;
}

/** Two sessions and a fresh table holding ids 10, 20 and 30. */
async function setup(): Promise<{ t1: mysql.Connection; t2: mysql.Connection; t: string }> {
  const t = `t${++n}`;
  const t1 = await conn();
  const t2 = await conn();
  await t1.query(`CREATE TABLE ${t} (id INT PRIMARY KEY) ENGINE=InnoDB`);
  await t1.query(`INSERT INTO ${t} VALUES (10), (20), (30)`);
  return { t1, t2, t };
}

async function ids(c: mysql.Connection, sql: string): Promise<number[]> {
  const [rows] = await c.query<mysql.RowDataPacket[]>(sql);
  return rows.map((r) => Number(r['id']));
}

beforeAll(async () => {
  srv = await startTestServer();
  const c = await srv.connect();
  await c.query('CREATE DATABASE gaps');
  await c.end();
});

afterAll(async () => {
  for (const c of conns) await c.end().catch(() => undefined);
  await srv.stop();
});

describe('InnoDB gap locks', () => {
  it(req(['INNODB-LOCK-301', 'INNODB-LOCK-302', 'INNODB-LOCK-304'], 'wire', 'REPEATABLE READ: a range FOR UPDATE blocks inserts into the range and the gap after it, not past it'), async () => {
    const { t1, t2, t } = await setup();
    await t1.query('BEGIN');
    expect(await ids(t1, `SELECT * FROM ${t} WHERE id BETWEEN 10 AND 20 FOR UPDATE`)).toEqual([10, 20]);
    expect((await errorOf(t2.query(`INSERT INTO ${t} VALUES (15)`))).errno).toBe(1205);
    expect((await errorOf(t2.query(`INSERT INTO ${t} VALUES (25)`))).errno).toBe(1205);
    await t2.query(`INSERT INTO ${t} VALUES (35)`);
    await t1.query('COMMIT');
    await t2.query(`INSERT INTO ${t} VALUES (15)`);
    expect(await ids(t1, `SELECT id FROM ${t} ORDER BY id`)).toEqual([10, 15, 20, 30, 35]);
  });

  it(req(['INNODB-LOCK-302', 'INNODB-LOCK-303'], 'wire', 'REPEATABLE READ: a range past the last row locks the supremum gap, so an insert there waits'), async () => {
    const { t1, t2, t } = await setup();
    await t1.query('BEGIN');
    expect(await ids(t1, `SELECT * FROM ${t} WHERE id > 100 FOR UPDATE`)).toEqual([]);
    const started = Date.now();
    expect((await errorOf(t2.query(`INSERT INTO ${t} VALUES (150)`))).errno).toBe(1205);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    await t1.query('ROLLBACK');
    await t2.query(`INSERT INTO ${t} VALUES (150)`);
  });

  it(req(['INNODB-LOCK-303'], 'wire', 'an equality read of an existing primary key locks the row only: inserts next to it go through'), async () => {
    const { t1, t2, t } = await setup();
    await t1.query('BEGIN');
    expect(await ids(t1, `SELECT * FROM ${t} WHERE id = 20 FOR UPDATE`)).toEqual([20]);
    await t2.query(`INSERT INTO ${t} VALUES (19)`);
    await t2.query(`INSERT INTO ${t} VALUES (21)`);
    await t1.query('COMMIT');
  });

  it(req(['INNODB-LOCK-303'], 'wire', 'an equality read of a missing primary key locks the gap it would be in'), async () => {
    const { t1, t2, t } = await setup();
    await t1.query('BEGIN');
    expect(await ids(t1, `SELECT * FROM ${t} WHERE id = 25 FOR UPDATE`)).toEqual([]);
    expect((await errorOf(t2.query(`INSERT INTO ${t} VALUES (25)`))).errno).toBe(1205);
    await t2.query(`INSERT INTO ${t} VALUES (15)`);
    await t1.query('COMMIT');
  });

  it(req(['INNODB-LOCK-302'], 'wire', 'READ COMMITTED: the same range read locks no gap and the insert goes through'), async () => {
    const { t1, t2, t } = await setup();
    await t1.query('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED');
    await t1.query('BEGIN');
    expect(await ids(t1, `SELECT * FROM ${t} WHERE id BETWEEN 10 AND 20 FOR UPDATE`)).toEqual([10, 20]);
    await t2.query(`INSERT INTO ${t} VALUES (15)`);
    await t2.query(`INSERT INTO ${t} VALUES (25)`);
    await t1.query('COMMIT');
  });

  it(req(['INNODB-LOCK-305'], 'wire', 'performance_schema.data_locks shows next-key, record-only, gap and supremum locks'), async () => {
    const { t1, t2, t } = await setup();
    await t1.query('BEGIN');
    await t1.query(`SELECT * FROM ${t} WHERE id BETWEEN 10 AND 20 FOR UPDATE`);
    await t1.query(`SELECT * FROM ${t} WHERE id = 30 FOR UPDATE`);
    await t1.query(`SELECT * FROM ${t} WHERE id > 100 FOR UPDATE`);
    const [rows] = await t2.query<mysql.RowDataPacket[]>(
      `SELECT LOCK_TYPE, LOCK_MODE, LOCK_DATA FROM performance_schema.data_locks WHERE OBJECT_NAME = '${t}' AND LOCK_TYPE = 'RECORD'`,
    );
    const got = rows.map((r) => `${r['LOCK_MODE']} ${r['LOCK_DATA']}`).sort();
    expect(got).toEqual(['X 10', 'X 20', 'X supremum pseudo-record', 'X,GAP 30', 'X,REC_NOT_GAP 30']);
    await t1.query('COMMIT');
  });

  it(req(['INNODB-LOCK-306'], 'wire', 'no phantom: COUNT(*) FOR SHARE twice in a REPEATABLE READ transaction agrees while an insert into the range times out'), async () => {
    const { t1, t2, t } = await setup();
    await t1.query('BEGIN');
    const countOf = async (): Promise<number> => {
      const [rows] = await t1.query<mysql.RowDataPacket[]>(`SELECT COUNT(*) AS n FROM ${t} WHERE id BETWEEN 5 AND 25 FOR SHARE`);
      return Number(rows[0]!['n']);
    };
    expect(await countOf()).toBe(2);
    expect((await errorOf(t2.query(`INSERT INTO ${t} VALUES (12)`))).errno).toBe(1205);
    expect((await errorOf(t2.query(`INSERT INTO ${t} VALUES (7)`))).errno).toBe(1205);
    expect(await countOf()).toBe(2);
    await t1.query('COMMIT');
  });

  /** A table with a non-unique secondary index k over ids 1..4 (k = 10, 20, 30, 40) and a unique u. */
  async function secondary(): Promise<{ t1: mysql.Connection; t2: mysql.Connection; t: string }> {
    const t = `t${++n}`;
    const t1 = await conn();
    const t2 = await conn();
    await t1.query(`CREATE TABLE ${t} (id INT PRIMARY KEY, k INT, u INT, KEY k (k), UNIQUE KEY u (u)) ENGINE=InnoDB`);
    await t1.query(`INSERT INTO ${t} VALUES (1, 10, 100), (2, 20, 200), (3, 30, 300), (4, 40, 400)`);
    return { t1, t2, t };
  }

  it(req(['INNODB-LOCK-307', 'CORE-PERF-048'], 'wire', 'REPEATABLE READ: a range FOR UPDATE through a secondary index blocks inserts and updates into its range and the gap after it, in that index; not past it'), async () => {
    const { t1, t2, t } = await secondary();
    await t1.query('BEGIN');
    expect(await ids(t1, `SELECT id FROM ${t} FORCE INDEX (k) WHERE k BETWEEN 10 AND 20 FOR UPDATE`)).toEqual([1, 2]);
    // new rows whose k falls in the locked range or the gap after it wait
    expect((await errorOf(t2.query(`INSERT INTO ${t} VALUES (10, 15, NULL)`))).errno).toBe(1205);
    expect((await errorOf(t2.query(`INSERT INTO ${t} VALUES (11, 25, NULL)`))).errno).toBe(1205);
    // so does an update moving another row's k into the range
    expect((await errorOf(t2.query(`UPDATE ${t} SET k = 12 WHERE id = 4`))).errno).toBe(1205);
    // past the gap after the range, and other rows, are free
    await t2.query(`INSERT INTO ${t} VALUES (12, 35, NULL)`);
    await t2.query(`UPDATE ${t} SET u = 401 WHERE id = 4`);
    await t1.query('COMMIT');
    await t2.query(`INSERT INTO ${t} VALUES (10, 15, NULL)`);
    expect(await ids(t2, `SELECT id FROM ${t} WHERE k BETWEEN 10 AND 20 ORDER BY id`)).toEqual([1, 2, 10]);
  });

  it(req(['INNODB-LOCK-307', 'INNODB-LOCK-306'], 'wire', 'no phantom through a secondary index: COUNT(*) FOR SHARE twice agrees while inserts into its range time out'), async () => {
    const { t1, t2, t } = await secondary();
    await t1.query('BEGIN');
    const countOf = async (): Promise<number> => {
      const [rows] = await t1.query<mysql.RowDataPacket[]>(`SELECT COUNT(*) AS n FROM ${t} FORCE INDEX (k) WHERE k BETWEEN 15 AND 35 FOR SHARE`);
      return Number(rows[0]!['n']);
    };
    expect(await countOf()).toBe(2);
    expect((await errorOf(t2.query(`INSERT INTO ${t} VALUES (20, 17, NULL)`))).errno).toBe(1205);
    expect((await errorOf(t2.query(`INSERT INTO ${t} VALUES (21, 33, NULL)`))).errno).toBe(1205);
    expect(await countOf()).toBe(2);
    await t1.query('COMMIT');
  });

  it(req(['INNODB-LOCK-307'], 'wire', 'an equality read of a unique secondary key that finds its row locks no gap; one that finds nothing locks the gap'), async () => {
    const { t1, t2, t } = await secondary();
    await t1.query('BEGIN');
    expect(await ids(t1, `SELECT id FROM ${t} WHERE u = 200 FOR UPDATE`)).toEqual([2]);
    await t2.query(`INSERT INTO ${t} VALUES (30, NULL, 150)`);
    await t2.query(`INSERT INTO ${t} VALUES (31, NULL, 250)`);
    expect(await ids(t1, `SELECT id FROM ${t} WHERE u = 350 FOR UPDATE`)).toEqual([]);
    expect(await errorOf(t2.query(`INSERT INTO ${t} VALUES (32, NULL, 360)`))).toMatchObject({ errno: 1205 });
    await t1.query('COMMIT');
  });

  it(req(['INNODB-LOCK-307', 'INNODB-LOCK-305'], 'wire', 'performance_schema.data_locks names the secondary index of its locks, with the key and the primary key as LOCK_DATA'), async () => {
    const { t1, t2, t } = await secondary();
    await t1.query('BEGIN');
    await t1.query(`SELECT id FROM ${t} FORCE INDEX (k) WHERE k BETWEEN 10 AND 20 FOR UPDATE`);
    await t1.query(`SELECT id FROM ${t} FORCE INDEX (k) WHERE k > 100 FOR UPDATE`);
    const [rows] = await t2.query<mysql.RowDataPacket[]>(
      `SELECT INDEX_NAME, LOCK_MODE, LOCK_DATA FROM performance_schema.data_locks WHERE OBJECT_NAME = '${t}' AND LOCK_TYPE = 'RECORD' AND INDEX_NAME = 'k'`,
    );
    expect(rows.map((r) => `${r['LOCK_MODE']} ${r['LOCK_DATA']}`).sort()).toEqual(['X 10, 1', 'X 20, 2', 'X supremum pseudo-record', 'X,GAP 30, 3']);
    await t1.query('COMMIT');
  });
});
