/**
 * ORDER BY ... LIMIT over an index that gives the order, through real clients: a locking read
 * (FOR UPDATE, with or without SKIP LOCKED), an UPDATE and a DELETE read the index in order and
 * stop at the LIMIT, so they lock only the rows they read up to there (the job-queue pattern:
 * a second worker with SKIP LOCKED takes the next row, rows beyond can be changed at once);
 * performance_schema.data_locks shows what is held; EXPLAIN shows no "Using filesort" for such a
 * read and still sorts what no index gives; and on random data the rows returned or changed are
 * those a full sort gives (the same statements against a MEMORY copy, which sorts them).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/limit-optimization.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-locking-reads.html (15.7.2.4)
 * @req INNODB-LOCK-309 INNODB-LOCK-202 INNODB-LOCK-302 CORE-EXEC-034 CORE-EXEC-043
 */
import { rmSync } from 'node:fs';
import type mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { req } from '../helpers/req.js';
import { errorOf } from '../helpers/sql.js';
import { startTestServer, tempDatadir, type TestServer } from '../helpers/server.js';

let srv: TestServer;
const conns: mysql.Connection[] = [];
let n = 0;

async function conn(): Promise<mysql.Connection> {
  const c = await srv.connect({ database: 'lim' });
  await c.query('SET SESSION innodb_lock_wait_timeout = 1');
  conns.push(c);
  return c;
}

/** Sessions A and B and a fresh queue table jobs(id PRIMARY KEY, state, prio, n) holding ids
 *  1..10, all 'new', prio = 100 - id, with `extra` indexes. */
async function setup(extra = ''): Promise<{ a: mysql.Connection; b: mysql.Connection; t: string }> {
  const t = `jobs${++n}`;
  const a = await conn();
  const b = await conn();
  await a.query(`CREATE TABLE ${t} (id INT PRIMARY KEY, state VARCHAR(10) NOT NULL, prio INT NOT NULL, n INT NOT NULL DEFAULT 0${extra}) ENGINE=InnoDB`);
  const rows = Array.from({ length: 10 }, (_, i) => `(${i + 1}, 'new', ${99 - i}, 0)`).join(', ');
  await a.query(`INSERT INTO ${t} VALUES ${rows}`);
  return { a, b, t };
}

/** The record locks held on table `t`, as `MODE DATA` (with the index for a secondary one), sorted. */
async function recordLocks(c: mysql.Connection, t: string): Promise<string[]> {
  const [rows] = await c.query<mysql.RowDataPacket[]>(
    `SELECT INDEX_NAME, LOCK_MODE, LOCK_DATA, LOCK_STATUS FROM performance_schema.data_locks WHERE OBJECT_SCHEMA = 'lim' AND OBJECT_NAME = '${t}' AND LOCK_TYPE = 'RECORD'`,
  );
  return rows
    .map((r) => `${r['INDEX_NAME'] === 'PRIMARY' ? '' : `${String(r['INDEX_NAME'])}: `}${r['LOCK_MODE']} ${r['LOCK_DATA']}${r['LOCK_STATUS'] === 'GRANTED' ? '' : ' WAITING'}`)
    .sort();
}

async function ids(c: mysql.Connection, sql: string): Promise<number[]> {
  const [rows] = await c.query<mysql.RowDataPacket[]>(sql);
  return rows.map((r) => Number(r['id']));
}

/** Run a change that must not wait for a lock: it succeeds, well within the 1 s lock-wait timeout. */
async function promptly(c: mysql.Connection, sql: string): Promise<number> {
  const started = Date.now();
  const [res] = await c.query<mysql.ResultSetHeader>(sql);
  expect(Date.now() - started).toBeLessThan(900);
  return res.affectedRows;
}

async function explain(c: mysql.Connection, sql: string): Promise<{ type: string; key: string | null; extra: string | null }[]> {
  const [rows] = await c.query<mysql.RowDataPacket[]>(`EXPLAIN ${sql}`);
  return rows.map((r) => ({ type: String(r['type']), key: (r['key'] as string | null) ?? null, extra: (r['Extra'] as string | null) ?? null }));
}

beforeAll(async () => {
  srv = await startTestServer();
  const c = await srv.connect();
  await c.query('CREATE DATABASE lim');
  await c.end();
});

afterAll(async () => {
  for (const c of conns) await c.end().catch(() => undefined);
  await srv.stop();
});

describe('a locking ORDER BY ... LIMIT locks only the rows it read', () => {
  it(req(['INNODB-LOCK-309', 'INNODB-LOCK-202'], 'wire', 'FOR UPDATE ... ORDER BY id LIMIT 1 locks one row; a second worker with SKIP LOCKED gets the next one; the last row changes without waiting'), async () => {
    const { a, b, t } = await setup();
    await a.query('BEGIN');
    expect(await ids(a, `SELECT * FROM ${t} WHERE state = 'new' ORDER BY id LIMIT 1 FOR UPDATE`)).toEqual([1]);
    // At REPEATABLE READ: the next-key lock of the one row read, nothing else.
    expect(await recordLocks(b, t)).toEqual(['X 1']);
    await b.query('BEGIN');
    expect(await ids(b, `SELECT * FROM ${t} WHERE state = 'new' ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED`)).toEqual([2]);
    expect(await promptly(b, `UPDATE ${t} SET n = n + 1 WHERE id = 10`)).toBe(1);
    // The row A holds stays held.
    expect((await errorOf(b.query(`UPDATE ${t} SET n = n + 1 WHERE id = 1`))).errno).toBe(1205);
    // A third worker skips both.
    const c = await conn();
    await c.query('BEGIN');
    expect(await ids(c, `SELECT id FROM ${t} WHERE state = 'new' ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED`)).toEqual([3]);
    expect(await ids(c, `SELECT id FROM ${t} WHERE state = 'new' ORDER BY id LIMIT 2 OFFSET 1 FOR UPDATE SKIP LOCKED`)).toEqual([4, 5]);
    await c.query('COMMIT');
    await b.query('COMMIT');
    await a.query('COMMIT');
  });

  it(req(['INNODB-LOCK-309', 'INNODB-LOCK-202'], 'wire', 'the DESC variant: the last row and the gap above it are locked; SKIP LOCKED gets the row before; the first row changes without waiting'), async () => {
    const { a, b, t } = await setup();
    await a.query('BEGIN');
    expect(await ids(a, `SELECT * FROM ${t} WHERE state = 'new' ORDER BY id DESC LIMIT 1 FOR UPDATE`)).toEqual([10]);
    expect(await recordLocks(b, t)).toEqual(['X 10', 'X supremum pseudo-record']);
    await b.query('BEGIN');
    expect(await ids(b, `SELECT * FROM ${t} WHERE state = 'new' ORDER BY id DESC LIMIT 1 FOR UPDATE SKIP LOCKED`)).toEqual([9]);
    expect(await promptly(b, `UPDATE ${t} SET n = n + 1 WHERE id = 1`)).toBe(1);
    // No phantom above the rows A read: an insert past the last row waits.
    expect((await errorOf(b.query(`INSERT INTO ${t} VALUES (11, 'new', 0, 0)`))).errno).toBe(1205);
    await b.query('COMMIT');
    await a.query('COMMIT');
  });

  it(req(['INNODB-LOCK-309'], 'wire', 'UPDATE ... ORDER BY id LIMIT 3 changes and locks three rows; a row far beyond changes without 1205'), async () => {
    const { a, b, t } = await setup();
    await a.query('BEGIN');
    const [res] = await a.query<mysql.ResultSetHeader>(`UPDATE ${t} SET state = 'taken' WHERE state = 'new' ORDER BY id LIMIT 3`);
    expect(res.affectedRows).toBe(3);
    expect(await recordLocks(b, t)).toEqual(['X 1', 'X 2', 'X 3']);
    expect(await promptly(b, `UPDATE ${t} SET n = n + 1 WHERE id = 9`)).toBe(1);
    expect(await promptly(b, `UPDATE ${t} SET n = n + 1 WHERE id = 4`)).toBe(1);
    expect((await errorOf(b.query(`UPDATE ${t} SET n = n + 1 WHERE id = 3`))).errno).toBe(1205);
    await a.query('COMMIT');
    expect(await ids(b, `SELECT id FROM ${t} WHERE state = 'taken' ORDER BY id`)).toEqual([1, 2, 3]);
  });

  it(req(['INNODB-LOCK-309'], 'wire', 'DELETE ... ORDER BY id DESC LIMIT 2 deletes and locks two rows; the first row changes without 1205'), async () => {
    const { a, b, t } = await setup();
    await a.query('BEGIN');
    const [res] = await a.query<mysql.ResultSetHeader>(`DELETE FROM ${t} ORDER BY id DESC LIMIT 2`);
    expect(res.affectedRows).toBe(2);
    expect(await recordLocks(b, t)).toEqual(['X 10', 'X 9', 'X supremum pseudo-record']);
    expect(await promptly(b, `UPDATE ${t} SET n = n + 1 WHERE id = 1`)).toBe(1);
    expect(await promptly(b, `DELETE FROM ${t} WHERE id = 8`)).toBe(1);
    await a.query('COMMIT');
    expect(await ids(b, `SELECT id FROM ${t} ORDER BY id`)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it(req(['INNODB-LOCK-309'], 'wire', 'READ COMMITTED: the same reads lock the rows they return and nothing past them'), async () => {
    const { a, b, t } = await setup();
    await a.query('SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED');
    await a.query('BEGIN');
    expect(await ids(a, `SELECT * FROM ${t} ORDER BY id DESC LIMIT 2 FOR UPDATE`)).toEqual([10, 9]);
    expect(await recordLocks(b, t)).toEqual(['X,REC_NOT_GAP 10', 'X,REC_NOT_GAP 9']);
    await a.query(`DELETE FROM ${t} WHERE state = 'new' ORDER BY id LIMIT 1`);
    expect(await recordLocks(b, t)).toEqual(['X,REC_NOT_GAP 1', 'X,REC_NOT_GAP 10', 'X,REC_NOT_GAP 9']);
    expect(await promptly(b, `UPDATE ${t} SET n = 1 WHERE id = 2`)).toBe(1);
    await a.query('COMMIT');
  });

  it(req(['INNODB-LOCK-309', 'INNODB-LOCK-307'], 'wire', 'ORDER BY a unique secondary column LIMIT 1 FOR UPDATE locks one entry and its row; SKIP LOCKED gets the next'), async () => {
    const { a, b, t } = await setup(', UNIQUE KEY uprio (prio)');
    await a.query('BEGIN');
    // prio = 99 - (id - 1): the smallest prio is id 10's.
    expect(await ids(a, `SELECT * FROM ${t} ORDER BY prio LIMIT 1 FOR UPDATE`)).toEqual([10]);
    expect(await recordLocks(b, t)).toEqual(['X,REC_NOT_GAP 10', 'uprio: X 90, 10']);
    await b.query('BEGIN');
    expect(await ids(b, `SELECT * FROM ${t} ORDER BY prio LIMIT 1 FOR UPDATE SKIP LOCKED`)).toEqual([9]);
    expect(await promptly(b, `UPDATE ${t} SET n = n + 1 WHERE id = 1`)).toBe(1);
    await b.query('COMMIT');
    await a.query('COMMIT');
  });

  it(req(['INNODB-LOCK-309'], 'wire', 'ORDER BY a non-unique secondary column LIMIT: rows with the cut value are read (they may tie), no further than the next value'), async () => {
    const { a, b, t } = await setup(', KEY kprio (prio)');
    // Two rows share the smallest prio: 5 and 6 get 80, the others keep 99 - (id - 1) > 80.
    await a.query(`UPDATE ${t} SET prio = 80 WHERE id IN (5, 6)`);
    await a.query('BEGIN');
    expect(await ids(a, `SELECT * FROM ${t} ORDER BY prio, id LIMIT 1 FOR UPDATE`)).toEqual([5]);
    // Both rows of prio 80 and the first row after them (prio 90, id 10) were read and locked.
    expect(await recordLocks(b, t)).toEqual(['X,REC_NOT_GAP 10', 'X,REC_NOT_GAP 5', 'X,REC_NOT_GAP 6', 'kprio: X 80, 5', 'kprio: X 80, 6', 'kprio: X 90, 10']);
    expect(await promptly(b, `UPDATE ${t} SET n = n + 1 WHERE id = 1`)).toBe(1);
    await a.query('COMMIT');
    // Ties come in primary key order, as the sort of a scan gives them.
    expect(await ids(b, `SELECT * FROM ${t} ORDER BY prio LIMIT 1`)).toEqual([5]);
    expect(await ids(b, `SELECT * FROM ${t} ORDER BY prio DESC LIMIT 3`)).toEqual([1, 2, 3]);
  });

  it(req(['INNODB-LOCK-309'], 'wire', 'an equality on the leading part of a secondary index and ORDER BY its next part: the read stops at the LIMIT'), async () => {
    const { a, b, t } = await setup(', KEY ksp (state, prio)');
    await a.query(`UPDATE ${t} SET state = 'done' WHERE id <= 4`);
    await a.query('BEGIN');
    expect(await ids(a, `SELECT * FROM ${t} WHERE state = 'new' ORDER BY prio DESC LIMIT 2 FOR UPDATE`)).toEqual([5, 6]);
    expect(await promptly(b, `UPDATE ${t} SET n = n + 1 WHERE id = 10`)).toBe(1);
    expect((await errorOf(b.query(`UPDATE ${t} SET n = n + 1 WHERE id = 6`))).errno).toBe(1205);
    await a.query('COMMIT');
  });
});

describe('EXPLAIN of an ORDER BY an index gives', () => {
  it(req(['INNODB-LOCK-309', 'CORE-EXEC-043'], 'wire', 'no "Using filesort" when the index gives the order; still one when it does not'), async () => {
    const { a, t } = await setup(', KEY ksp (state, prio), KEY kprio (prio)');
    expect(await explain(a, `SELECT * FROM ${t} ORDER BY id LIMIT 1`)).toEqual([{ type: 'index', key: 'PRIMARY', extra: null }]);
    expect(await explain(a, `SELECT * FROM ${t} WHERE n = 0 ORDER BY id DESC LIMIT 1 FOR UPDATE`)).toEqual([{ type: 'index', key: 'PRIMARY', extra: 'Using where; Backward index scan' }]);
    expect(await explain(a, `SELECT * FROM ${t} ORDER BY id`)).toEqual([{ type: 'index', key: 'PRIMARY', extra: null }]);
    expect(await explain(a, `SELECT * FROM ${t} WHERE id > 3 ORDER BY id LIMIT 2`)).toEqual([{ type: 'range', key: 'PRIMARY', extra: 'Using where' }]);
    expect(await explain(a, `SELECT * FROM ${t} ORDER BY prio LIMIT 2`)).toEqual([{ type: 'index', key: 'kprio', extra: null }]);
    expect(await explain(a, `SELECT * FROM ${t} WHERE state = 'new' ORDER BY prio DESC LIMIT 2`)).toEqual([{ type: 'ref', key: 'ksp', extra: 'Using where; Backward index scan' }]);
    // What no index gives is sorted.
    expect(await explain(a, `SELECT * FROM ${t} ORDER BY n LIMIT 1`)).toEqual([{ type: 'ALL', key: null, extra: 'Using filesort' }]);
    expect(await explain(a, `SELECT * FROM ${t} ORDER BY id + 0 LIMIT 1`)).toEqual([{ type: 'ALL', key: null, extra: 'Using filesort' }]);
    expect(await explain(a, `SELECT * FROM ${t} ORDER BY state, prio LIMIT 1`)).toEqual([{ type: 'ALL', key: null, extra: 'Using filesort' }]);
    // Without a LIMIT a secondary index is not read whole for the order.
    expect(await explain(a, `SELECT * FROM ${t} ORDER BY prio`)).toEqual([{ type: 'ALL', key: null, extra: 'Using filesort' }]);
    // Mixed directions an index cannot give.
    expect(await explain(a, `SELECT * FROM ${t} ORDER BY id, prio DESC LIMIT 1`)).toEqual([{ type: 'index', key: 'PRIMARY', extra: null }]);
    expect(await explain(a, `SELECT * FROM ${t} WHERE state = 'new' ORDER BY prio, id DESC LIMIT 1`)).toEqual([{ type: 'ref', key: 'ksp', extra: 'Using where; Using filesort' }]);
  });
});

/** A small deterministic generator (the data sets must be the same on every run). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const COLS = 'id INT NOT NULL, a INT NULL, b INT NOT NULL, c DOUBLE, dt DATETIME(6), vb VARBINARY(4), s VARCHAR(8), pad VARCHAR(300)';
const KEYS = 'PRIMARY KEY (id), KEY ka (a), KEY kab (a, b DESC), UNIQUE KEY ub (b), KEY kdt (dt), KEY kvb (vb), KEY ks (s)';

/** `count` random rows with distinct ids and b values not in `used` / `usedB`: few distinct a
 *  (ties, some NULL), DATETIME(6) values a microsecond apart, short binary strings, text. */
function randomRows(r: () => number, count: number, used: Set<number>, usedB: Set<number>, pad: number): string[] {
  const rows: string[] = [];
  for (let i = 0; i < count; i++) {
    let id: number;
    do id = Math.floor(r() * 100_000) - 20_000;
    while (used.has(id));
    used.add(id);
    let b: number;
    do b = Math.floor(r() * 500_000) - 250_000;
    while (usedB.has(b));
    usedB.add(b);
    const a = r() < 0.15 ? 'NULL' : String(Math.floor(r() * 8));
    const cv = r() < 0.1 ? 'NULL' : (r() * 10 - 5).toFixed(3);
    const micro = Math.floor(r() * 4);
    const dt = r() < 0.1 ? 'NULL' : `'2024-0${1 + Math.floor(r() * 3)}-1${Math.floor(r() * 3)} 10:00:00.00000${micro}'`;
    const vb = r() < 0.1 ? 'NULL' : `X'${Math.floor(r() * 4).toString(16).padStart(2, '0')}${r() < 0.5 ? 'ff' : ''}'`;
    const s = ['abc', 'ABC', 'a_b', 'a-b', 'Abd', 'ab ', 'é', 'e'][Math.floor(r() * 8)]!;
    rows.push(`(${id}, ${a}, ${b}, ${cv}, ${dt}, ${vb}, '${s}', REPEAT('x', ${pad}))`);
  }
  return rows;
}

/** The statements compared, on table `x` (and `u` joined), with random LIMITs and OFFSETs. */
function queries(x: string, u: string, r: () => number): string[] {
  const lim = () => 1 + Math.floor(r() * 12);
  const off = () => Math.floor(r() * 5);
  const val = () => Math.floor(r() * 8);
  return [
    `SELECT * FROM ${x} ORDER BY id LIMIT ${lim()}`,
    `SELECT * FROM ${x} ORDER BY id DESC LIMIT ${lim()} OFFSET ${off()}`,
    `SELECT * FROM ${x} ORDER BY id`,
    `SELECT * FROM ${x} ORDER BY id DESC`,
    `SELECT * FROM ${x} WHERE c > 0 ORDER BY id LIMIT ${lim()}`,
    `SELECT * FROM ${x} ORDER BY id, a DESC LIMIT ${lim()}`,
    `SELECT * FROM ${x} ORDER BY a LIMIT ${lim()}`,
    `SELECT * FROM ${x} ORDER BY a DESC LIMIT ${lim()} OFFSET ${off()}`,
    `SELECT * FROM ${x} ORDER BY a, b DESC LIMIT ${lim()}`,
    `SELECT * FROM ${x} ORDER BY a DESC, b LIMIT ${lim()}`,
    `SELECT * FROM ${x} ORDER BY a, b LIMIT ${lim()}`,
    `SELECT * FROM ${x} ORDER BY a, c DESC LIMIT ${lim()}`,
    `SELECT * FROM ${x} ORDER BY a DESC, id DESC LIMIT ${lim()}`,
    `SELECT * FROM ${x} WHERE a = ${val()} ORDER BY b DESC LIMIT ${lim()}`,
    `SELECT * FROM ${x} WHERE a = ${val()} ORDER BY b LIMIT ${lim()}`,
    `SELECT * FROM ${x} WHERE a = ${val()} ORDER BY a, b LIMIT ${lim()}`,
    `SELECT * FROM ${x} WHERE a = '${val()}' ORDER BY b DESC LIMIT ${lim()}`,
    `SELECT * FROM ${x} WHERE a = 'x' ORDER BY b DESC LIMIT ${lim()}`,
    `SELECT * FROM ${x} WHERE a > ${val()} ORDER BY a LIMIT ${lim()}`,
    `SELECT * FROM ${x} WHERE a BETWEEN 2 AND 5 ORDER BY a DESC LIMIT ${lim()}`,
    `SELECT * FROM ${x} WHERE a IS NULL ORDER BY b LIMIT ${lim()}`,
    `SELECT * FROM ${x} ORDER BY b DESC LIMIT ${lim()}`,
    `SELECT * FROM ${x} WHERE b > 0 ORDER BY b LIMIT ${lim()}`,
    `SELECT * FROM ${x} WHERE b < 0 ORDER BY b DESC LIMIT ${lim()}`,
    `SELECT * FROM ${x} ORDER BY dt LIMIT ${lim()}`,
    `SELECT * FROM ${x} ORDER BY dt DESC LIMIT ${lim()}`,
    `SELECT * FROM ${x} ORDER BY vb LIMIT ${lim()}`,
    `SELECT * FROM ${x} ORDER BY vb DESC LIMIT ${lim()}`,
    `SELECT * FROM ${x} ORDER BY s LIMIT ${lim()}`,
    `SELECT * FROM ${x} ORDER BY s DESC, id LIMIT ${lim()}`,
    `SELECT id, a AS x FROM ${x} ORDER BY x DESC LIMIT ${lim()}`,
    `SELECT id, b FROM ${x} ORDER BY 2 LIMIT ${lim()}`,
    `SELECT b AS a, a AS b FROM ${x} ORDER BY a LIMIT ${lim()}`,
    `SELECT ${x}.id, ${u}.v FROM ${x} JOIN ${u} ON ${u}.id = ${x}.a ORDER BY ${x}.id DESC LIMIT ${lim()}`,
    `SELECT ${x}.id, ${u}.v FROM ${x} LEFT JOIN ${u} ON ${u}.id = ${x}.a + 4 ORDER BY ${x}.a LIMIT ${lim()}`,
    `SELECT SQL_CALC_FOUND_ROWS id FROM ${x} ORDER BY a LIMIT ${lim()}`,
    `SELECT * FROM ${x} WHERE id IN (SELECT id FROM ${x} WHERE a = 3) ORDER BY id DESC LIMIT ${lim()}`,
  ];
}

/** Table name `from` in `sql` replaced by `to`. */
function onTable(sql: string, from: string, to: string): string {
  return sql.replace(new RegExp(`\\b${from}\\b`, 'g'), to);
}

/** Every statement of {@link queries} (and a few locking reads) gives the same rows on the
 *  InnoDB table `t` as on its MEMORY copy `m`. */
async function compareReads(c: mysql.Connection, t: string, m: string, u: string, r: () => number): Promise<void> {
  for (const q of queries(t, u, r)) {
    const [got] = await c.query<mysql.RowDataPacket[]>({ sql: q, rowsAsArray: true });
    const [want] = await c.query<mysql.RowDataPacket[]>({ sql: onTable(q, t, m), rowsAsArray: true });
    expect({ sql: q, rows: got }).toEqual({ sql: q, rows: want });
  }
  // Locking reads inside a transaction return the same rows.
  await c.query('BEGIN');
  for (const q of [`SELECT * FROM ${t} ORDER BY id DESC LIMIT 5 FOR UPDATE`, `SELECT * FROM ${t} ORDER BY a LIMIT 7 FOR UPDATE`, `SELECT * FROM ${t} WHERE a = 2 ORDER BY b LIMIT 3 FOR SHARE`, `SELECT * FROM ${t} ORDER BY a DESC, b LIMIT 4 FOR UPDATE SKIP LOCKED`]) {
    const [got] = await c.query<mysql.RowDataPacket[]>({ sql: q, rowsAsArray: true });
    const [want] = await c.query<mysql.RowDataPacket[]>({ sql: onTable(q, t, m).replace(/ FOR (UPDATE|SHARE)( SKIP LOCKED)?$/, ''), rowsAsArray: true });
    expect({ sql: q, rows: got }).toEqual({ sql: q, rows: want });
  }
  await c.query('COMMIT');
}

/** UPDATE and DELETE with ORDER BY ... LIMIT change the same rows of `t` and of its copy `m`. */
async function compareChanges(c: mysql.Connection, t: string, m: string): Promise<void> {
  for (const x of [t, m]) {
    await c.query(`UPDATE ${x} SET c = -100 ORDER BY a DESC LIMIT 6`);
    await c.query(`UPDATE ${x} SET c = -200 WHERE a = 1 ORDER BY b LIMIT 2`);
    await c.query(`DELETE FROM ${x} ORDER BY id DESC LIMIT 4`);
    await c.query(`DELETE FROM ${x} ORDER BY a LIMIT 3`);
    await c.query(`DELETE FROM ${x} WHERE a > 5 ORDER BY a DESC, b LIMIT 2`);
    await c.query(`UPDATE ${x} SET b = b + 1000000 ORDER BY b DESC`);
  }
  const [after] = await c.query<mysql.RowDataPacket[]>({ sql: `SELECT * FROM ${t} ORDER BY id`, rowsAsArray: true });
  const [copy] = await c.query<mysql.RowDataPacket[]>({ sql: `SELECT * FROM ${m} ORDER BY id`, rowsAsArray: true });
  expect(after).toEqual(copy);
}

describe('results equal those of a sort', () => {
  it(req(['INNODB-LOCK-309', 'CORE-EXEC-034'], 'wire', 'on random data sets, ordered reads (ASC, DESC, ties, NULLs, prefixes, ranges, joins, OFFSET, FOR UPDATE, UPDATE and DELETE) give what a MEMORY copy that sorts gives'), async () => {
    const c = await conn();
    for (const seed of [1, 7, 42, 1234]) {
      const r = rng(seed);
      const [t, m, u] = [`r${seed}`, `m${seed}`, `u${seed}`];
      await c.query(`CREATE TABLE ${t} (${COLS}, ${KEYS}) ENGINE=InnoDB`);
      await c.query(`CREATE TABLE ${m} (${COLS}) ENGINE=MEMORY`);
      await c.query(`CREATE TABLE ${u} (id INT PRIMARY KEY, v INT) ENGINE=InnoDB`);
      await c.query(`INSERT INTO ${u} VALUES ${Array.from({ length: 8 }, (_, i) => `(${i}, ${i * 10})`).join(', ')}`);
      // Inserted in no particular order; the copy gets them in primary key order, the order an
      // InnoDB scan gives, so ties sort alike on both sides.
      await c.query(`INSERT INTO ${t} VALUES ${randomRows(r, 60 + Math.floor(r() * 60), new Set(), new Set(), 1).join(', ')}`);
      await c.query(`INSERT INTO ${m} SELECT * FROM ${t} ORDER BY id`);
      await compareReads(c, t, m, u, r);
      await compareChanges(c, t, m);
    }
  });

  it(req(['INNODB-LOCK-309', 'CORE-EXEC-034'], 'wire', 'the same with the rows in the tablespace after a restart, some of them changed since (records on disk and in memory merged, forwards and backwards)'), async () => {
    const dir = tempDatadir();
    let s = await startTestServer({ datadir: dir.datadir });
    try {
      let c = await s.connect();
      await c.query('CREATE DATABASE disk');
      await c.query('USE disk');
      const r = rng(99);
      const used = new Set<number>();
      const usedB = new Set<number>();
      await c.query(`CREATE TABLE t (${COLS}, ${KEYS}) ENGINE=InnoDB`);
      await c.query(`CREATE TABLE m (${COLS}) ENGINE=MEMORY`);
      await c.query('CREATE TABLE u (id INT PRIMARY KEY, v INT) ENGINE=InnoDB');
      await c.query(`INSERT INTO u VALUES ${Array.from({ length: 8 }, (_, i) => `(${i}, ${i * 10})`).join(', ')}`);
      // Enough rows for many leaf pages in every index.
      for (let i = 0; i < 6; i++) await c.query(`INSERT INTO t VALUES ${randomRows(r, 250, used, usedB, 250).join(', ')}`);
      await c.end();
      await s.stop();
      s = await startTestServer({ datadir: dir.datadir });
      c = await s.connect({ database: 'disk' });
      // Some rows change after the restart (by key, so that the others stay in the tablespace
      // only), and reads merge records in memory with the trees.
      const all = [...used];
      const some = (k: number): string => Array.from({ length: k }, () => all[Math.floor(r() * all.length)]!).join(', ');
      await c.query(`INSERT INTO t VALUES ${randomRows(r, 40, used, usedB, 250).join(', ')}`);
      await c.query(`UPDATE t SET a = (a + 1) % 8, c = c + 1 WHERE id IN (${some(60)})`);
      await c.query(`UPDATE t SET dt = NULL WHERE id IN (${some(30)})`);
      await c.query(`DELETE FROM t WHERE id IN (${some(30)})`);
      await c.query('INSERT INTO m SELECT * FROM t ORDER BY id');
      await compareReads(c, 't', 'm', 'u', r);
      await compareReads(c, 't', 'm', 'u', r);
      await compareChanges(c, 't', 'm');
      await c.end();
    } finally {
      await s.stop();
      rmSync(dir.parent, { recursive: true, force: true });
    }
  });
});
