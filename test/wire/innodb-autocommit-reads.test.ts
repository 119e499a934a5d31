/**
 * Autocommitted reads of InnoDB tables on their short path: a statement that changed nothing
 * commits without the coordinator's general path, InnoDB reuses its ended transaction objects
 * and shares a read view between transactions without an id while nothing changed in between.
 * None of it may show: these tests drive several connections at once and compare what every
 * read returns with a model (fast-check over random interleavings of autocommitted and explicit
 * reads and writes at all four isolation levels), check that locking reads still block and can
 * be killed, that INNODB_TRX and the monitor show nothing left behind, and that FLUSH TABLES
 * WITH READ LOCK lets a read-only commit through.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-consistent-read.html (15.7.2.3)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-transaction-isolation-levels.html (15.7.2.1)
 * @req CORE-PERF-030 CORE-PERF-031 CORE-PERF-032 CORE-PERF-033 CORE-PERF-034 CORE-PERF-035
 */
import fc from 'fast-check';
import type mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { req } from '../helpers/req.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { seedModelTable } from '../helpers/model-table.js';

type Level = 'READ UNCOMMITTED' | 'READ COMMITTED' | 'REPEATABLE READ' | 'SERIALIZABLE';
const LEVELS: Level[] = ['READ UNCOMMITTED', 'READ COMMITTED', 'REPEATABLE READ', 'SERIALIZABLE'];

type State = Map<number, number>;

type Op =
  /** An autocommitted point read through a prepared statement (the sysbench shape). */
  | { kind: 'point'; s: number; row: number }
  /** An autocommitted read of the whole table (text protocol), or, inside a transaction, the transaction's read. */
  | { kind: 'scan'; s: number }
  | { kind: 'update'; s: number; row: number }
  | { kind: 'insert'; s: number }
  | { kind: 'begin'; s: number }
  | { kind: 'end'; s: number; commit: boolean };

interface Trx {
  open: boolean;
  writes: Map<number, number>;
  snapshot: State | null;
}

const runs = Number(process.env['FUZZ_RUNS'] ?? 20);
let srv: TestServer;
let obs: mysql.Connection;
const sessions: mysql.Connection[] = [];
let table = 0;

beforeAll(async () => {
  srv = await startTestServer();
  obs = await srv.connect();
  await obs.query('CREATE DATABASE ac');
  for (let i = 0; i < 3; i++) sessions.push(await srv.connect({ database: 'ac' }));
  // A wait the model does not expect fails its run at once instead of after 50 s.
  for (const c of sessions) await c.query('SET SESSION innodb_lock_wait_timeout = 5');
});

afterAll(async () => {
  for (const c of sessions) await c.end().catch(() => undefined);
  await obs.end().catch(() => undefined);
  await srv.stop();
});

async function rows<T = Record<string, unknown>>(c: mysql.Connection, sql: string): Promise<T[]> {
  const [r] = await c.query(sql);
  return r as T[];
}

async function openInnodbTrx(): Promise<number> {
  const [r] = await rows<{ n: number }>(obs, 'SELECT COUNT(*) AS n FROM information_schema.INNODB_TRX');
  return Number(r!.n);
}

async function readViewsOpen(): Promise<number> {
  const [r] = await rows<{ Status: string }>(obs, 'SHOW ENGINE INNODB STATUS');
  const m = /(\d+) read views open inside InnoDB/.exec(r!.Status);
  return Number(m?.[1] ?? NaN);
}

async function lockWaits(): Promise<number> {
  const [r] = await rows<{ n: number }>(obs, "SELECT COUNT(*) AS n FROM information_schema.INNODB_TRX WHERE trx_state = 'LOCK WAIT'");
  return Number(r!.n);
}

/** Poll (bounded) until `cond` holds; fails the test when it never does. */
async function until(what: string, cond: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 3000; i++) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`never happened: ${what}`);
}

async function failure(p: Promise<unknown>): Promise<{ errno: number } | null> {
  try {
    await p;
    return null;
  } catch (e) {
    return { errno: (e as { errno: number }).errno };
  }
}

function overlay(base: State, writes: Map<number, number>): State {
  const out = new Map(base);
  for (const [id, v] of writes) out.set(id, v);
  return out;
}

function sorted(s: State): [number, number][] {
  return [...s.entries()].sort((a, b) => a[0] - b[0]);
}

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('point' as const), s: fc.nat(2), row: fc.integer({ min: 1, max: 6 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('scan' as const), s: fc.nat(2) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('update' as const), s: fc.nat(2), row: fc.integer({ min: 1, max: 6 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('insert' as const), s: fc.nat(2) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('begin' as const), s: fc.nat(2) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('end' as const), s: fc.nat(2), commit: fc.boolean() }) },
);

describe('autocommitted InnoDB reads against a model', () => {
  it(
    req(['CORE-PERF-030', 'CORE-PERF-032', 'CORE-PERF-033', 'CORE-PERF-034', 'CORE-PERF-035'], 'wire', 'random interleavings of autocommitted and explicit reads and writes over three connections at all isolation levels read exactly what the model says, and leave no transaction or read view behind'),
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(fc.constantFrom(...LEVELS), { minLength: 3, maxLength: 3 }), fc.array(opArb, { minLength: 8, maxLength: 40 }), async (levels, ops) => {
          const name = `t${++table}`;
          const c0 = sessions[0]!;
          let committed: State = await seedModelTable(c0, name);
          // Every value written is new, so no update leaves a row as it was.
          let nextValue = 1000;
          let nextId = 100;
          const trx: Trx[] = levels.map(() => ({ open: false, writes: new Map<number, number>(), snapshot: null }));
          // A row an open transaction changed is X-locked until it ends: nobody else writes it.
          const lockedByOther = (s: number, id: number): boolean => trx.some((t, i) => i !== s && t.open && t.writes.has(id));
          for (const [s, level] of levels.entries()) await sessions[s]!.query(`SET SESSION TRANSACTION ISOLATION LEVEL ${level}`);
          /** What an autocommitted read (or a read-committed one) of session `s` sees now. */
          const fresh = (s: number): State => {
            let base = committed;
            if (levels[s] === 'READ UNCOMMITTED') for (const [i, o] of trx.entries()) if (i !== s && o.open) base = overlay(base, o.writes);
            return base;
          };
          /** What session `s` reads now, in or out of its transaction. */
          const expected = (s: number): State => {
            const t = trx[s]!;
            if (!t.open) return fresh(s);
            if (levels[s] === 'REPEATABLE READ') {
              t.snapshot ??= new Map(committed);
              return overlay(t.snapshot, t.writes);
            }
            return overlay(fresh(s), t.writes);
          };
          try {
            for (const op of ops) {
              const s = op.s;
              const t = trx[s]!;
              const c = sessions[s]!;
              // SERIALIZABLE reads inside a transaction lock (and would wait for the others'
              // writes): only its autocommitted reads, which are consistent reads, are run.
              const serialInTrx = t.open && levels[s] === 'SERIALIZABLE';
              switch (op.kind) {
                case 'begin':
                  if (t.open) break;
                  await c.query('BEGIN');
                  t.open = true;
                  t.writes = new Map();
                  t.snapshot = null;
                  break;
                case 'end':
                  if (!t.open) break;
                  await c.query(op.commit ? 'COMMIT' : 'ROLLBACK');
                  if (op.commit) committed = overlay(committed, t.writes);
                  t.open = false;
                  break;
                case 'point': {
                  if (serialInTrx) break;
                  const [r] = await c.execute<mysql.RowDataPacket[]>(`SELECT v FROM ${name} WHERE id = ?`, [op.row]);
                  const want = expected(s).get(op.row);
                  expect(r.map((x) => Number(x['v'])), `${levels[s]} point read of row ${op.row} by session ${s}${t.open ? ' in a transaction' : ''}`).toEqual(want === undefined ? [] : [want]);
                  break;
                }
                case 'scan': {
                  if (serialInTrx) break;
                  const r = await rows<{ id: number; v: number }>(c, `SELECT id, v FROM ${name} ORDER BY id`);
                  expect(
                    r.map((x) => [Number(x.id), Number(x.v)]),
                    `${levels[s]} read by session ${s}${t.open ? ' in a transaction' : ''}`,
                  ).toEqual(sorted(expected(s)));
                  break;
                }
                case 'update': {
                  // The row must exist for the writer's current read: committed or its own insert.
                  const exists = committed.has(op.row) || t.writes.has(op.row);
                  if (!exists || lockedByOther(s, op.row)) break;
                  const v = nextValue++;
                  await c.query(`UPDATE ${name} SET v = ${v} WHERE id = ${op.row}`);
                  if (t.open) t.writes.set(op.row, v);
                  else committed = overlay(committed, new Map([[op.row, v]]));
                  break;
                }
                case 'insert': {
                  const id = nextId++;
                  const v = nextValue++;
                  await c.query(`INSERT INTO ${name} VALUES (${id}, ${v})`);
                  if (t.open) t.writes.set(id, v);
                  else committed = overlay(committed, new Map([[id, v]]));
                  break;
                }
              }
            }
          } finally {
            for (const [i, t] of trx.entries()) {
              if (t.open) await sessions[i]!.query('ROLLBACK');
              t.open = false;
            }
          }
          // Every session idle: no InnoDB transaction and no read view is left behind.
          expect(await openInnodbTrx()).toBe(0);
          expect(await readViewsOpen()).toBe(0);
          await c0.query(`DROP TABLE ${name}`);
        }),
        { numRuns: runs },
      );
    },
    600_000,
  );

  it(req(['CORE-PERF-034', 'CORE-PERF-030'], 'wire', 'a shared read view never shows stale rows: each commit by another session is seen by the next autocommitted read, never an uncommitted change, and a REPEATABLE READ snapshot taken meanwhile keeps its rows'), async () => {
    const [a, b, c] = sessions as [mysql.Connection, mysql.Connection, mysql.Connection];
    for (const x of [a, b, c]) await x.query('SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ');
    await a.query('CREATE TABLE sv (id INT PRIMARY KEY, v INT) ENGINE=InnoDB');
    await a.query('INSERT INTO sv VALUES (1, 0)');
    const point = async (x: mysql.Connection): Promise<number> => {
      const [r] = await x.execute<mysql.RowDataPacket[]>('SELECT v FROM sv WHERE id = ?', [1]);
      return Number(r[0]!['v']);
    };
    // c holds a view taken while v = 0 (shared with a's reads until something changes).
    await c.query('BEGIN');
    expect(await point(c)).toBe(0);
    for (let i = 1; i <= 20; i++) {
      expect(await point(a)).toBe(i - 1);
      expect(await point(a)).toBe(i - 1);
      // An uncommitted change stays invisible; its commit is visible to the very next read.
      await b.query('BEGIN');
      await b.query(`UPDATE sv SET v = ${i} WHERE id = 1`);
      expect(await point(a)).toBe(i - 1);
      await b.query('COMMIT');
      expect(await point(a)).toBe(i);
      expect(await point(c)).toBe(0);
    }
    // Autocommitted writes move the view along too.
    await b.query('UPDATE sv SET v = 100 WHERE id = 1');
    expect(await point(a)).toBe(100);
    await b.query('INSERT INTO sv VALUES (2, 2)');
    expect(await rows(a, 'SELECT id, v FROM sv ORDER BY id')).toEqual([
      { id: 1, v: 100 },
      { id: 2, v: 2 },
    ]);
    expect(await rows(c, 'SELECT id, v FROM sv ORDER BY id')).toEqual([{ id: 1, v: 0 }]);
    expect(await readViewsOpen()).toBe(1);
    await c.query('COMMIT');
    expect(await point(c)).toBe(100);
    expect(await openInnodbTrx()).toBe(0);
    expect(await readViewsOpen()).toBe(0);
    await a.query('DROP TABLE sv');
  });
});

describe('locking reads and the transaction lifecycle under autocommit', () => {
  it(req(['CORE-PERF-030'], 'wire', 'autocommitted FOR UPDATE and FOR SHARE wait for a row lock, show as LOCK WAIT in INNODB_TRX, read the committed row once granted, release their locks at once; a SERIALIZABLE autocommitted SELECT does not wait, one inside a transaction does'), async () => {
    const [a, b, c] = sessions as [mysql.Connection, mysql.Connection, mysql.Connection];
    await a.query('CREATE TABLE lk (id INT PRIMARY KEY, v INT) ENGINE=InnoDB');
    await a.query('INSERT INTO lk VALUES (1, 1), (2, 2)');
    for (const how of ['FOR UPDATE', 'FOR SHARE']) {
      await a.query('BEGIN');
      await a.query('UPDATE lk SET v = v + 10 WHERE id = 1');
      const waiting = b.execute<mysql.RowDataPacket[]>(`SELECT v FROM lk WHERE id = ? ${how}`, [1]);
      await until('the locking read waits', async () => (await lockWaits()) === 1);
      // Other rows are not locked; a consistent read does not wait.
      expect(await rows(c, `SELECT v FROM lk WHERE id = 2 ${how}`)).toEqual([{ v: 2 }]);
      await a.query('COMMIT');
      const [got] = await waiting;
      expect(got.map((r) => Number(r['v']))).toEqual([how === 'FOR UPDATE' ? 11 : 31]);
      // The autocommitted locking read released its lock when it answered: a writes again.
      await a.query('UPDATE lk SET v = v + 10 WHERE id = 1');
      expect(await openInnodbTrx()).toBe(0);
    }
    await b.query('SET SESSION TRANSACTION ISOLATION LEVEL SERIALIZABLE');
    await a.query('BEGIN');
    await a.query('UPDATE lk SET v = 99 WHERE id = 2');
    // Autocommit: a consistent read (the committed row), no wait.
    expect(await rows(b, 'SELECT v FROM lk WHERE id = 2')).toEqual([{ v: 2 }]);
    await b.query('BEGIN');
    const locking = b.query('SELECT v FROM lk WHERE id = 2');
    await until('the SERIALIZABLE read inside a transaction waits', async () => (await lockWaits()) === 1);
    await a.query('COMMIT');
    const [r] = (await locking) as unknown as [mysql.RowDataPacket[]];
    expect(r.map((x) => Number(x['v']))).toEqual([99]);
    await b.query('COMMIT');
    await b.query('SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ');
    expect(await openInnodbTrx()).toBe(0);
    await a.query('DROP TABLE lk');
  });

  it(req(['CORE-PERF-030', 'CORE-PERF-033'], 'wire', 'KILL QUERY of a waiting autocommitted locking read, a failing read, and START TRANSACTION READ ONLY leave no transaction, lock or view behind'), async () => {
    const [a, b] = sessions as [mysql.Connection, mysql.Connection];
    await a.query('CREATE TABLE kq (id INT PRIMARY KEY, v INT) ENGINE=InnoDB');
    await a.query('INSERT INTO kq VALUES (1, 1), (2, 2)');
    await a.query('BEGIN');
    await a.query('UPDATE kq SET v = 5 WHERE id = 1');
    const stuck = failure(b.query('SELECT v FROM kq WHERE id = 1 FOR UPDATE'));
    await until('the locking read waits', async () => (await lockWaits()) === 1);
    await obs.query(`KILL QUERY ${b.threadId}`);
    expect(await stuck).toEqual({ errno: 1317 });
    await a.query('COMMIT');
    expect(await openInnodbTrx()).toBe(0);
    // b holds nothing: a writes the row again at once.
    await a.query('UPDATE kq SET v = 6 WHERE id = 1');
    // A read that fails after it joined InnoDB (a subquery returning two rows).
    expect(await failure(b.query('SELECT v FROM kq WHERE id = (SELECT id FROM kq)'))).toEqual({ errno: 1242 });
    expect(await openInnodbTrx()).toBe(0);
    expect(await rows(b, 'SELECT v FROM kq WHERE id = 1')).toEqual([{ v: 6 }]);
    // START TRANSACTION READ ONLY: reads work, writes fail with 1792, COMMIT ends it.
    await b.query('START TRANSACTION READ ONLY');
    expect(await rows(b, 'SELECT v FROM kq WHERE id = 2')).toEqual([{ v: 2 }]);
    const [listed] = await rows<{ ro: number }>(obs, 'SELECT trx_is_read_only AS ro FROM information_schema.INNODB_TRX');
    expect(Number(listed!.ro)).toBe(1);
    expect(await failure(b.query('UPDATE kq SET v = 0 WHERE id = 2'))).toEqual({ errno: 1792 });
    await b.query('COMMIT');
    expect(await openInnodbTrx()).toBe(0);
    expect(await readViewsOpen()).toBe(0);
    // Many short transactions in a row (objects reused): each sees the latest commit.
    for (let i = 0; i < 50; i++) {
      await a.query(`UPDATE kq SET v = ${i} WHERE id = 2`);
      const [r] = await b.execute<mysql.RowDataPacket[]>('SELECT v FROM kq WHERE id = ?', [2]);
      expect(Number(r[0]!['v'])).toBe(i);
    }
    expect(await openInnodbTrx()).toBe(0);
    await a.query('DROP TABLE kq');
  });

  it(req(['CORE-PERF-031'], 'wire', 'while FLUSH TABLES WITH READ LOCK is held, an autocommitted read and the COMMIT of a transaction that only read or locked rows go through; a write still waits'), async () => {
    const [a, b] = sessions as [mysql.Connection, mysql.Connection];
    await a.query('CREATE TABLE fr (id INT PRIMARY KEY, v INT) ENGINE=InnoDB');
    await a.query('INSERT INTO fr VALUES (1, 1)');
    await b.query('BEGIN');
    await b.query('SELECT v FROM fr WHERE id = 1 FOR UPDATE');
    await a.query('FLUSH TABLES WITH READ LOCK');
    try {
      const [r] = await b.execute<mysql.RowDataPacket[]>('SELECT v FROM fr WHERE id = ?', [1]);
      expect(r.map((x) => Number(x['v']))).toEqual([1]);
      await b.query('COMMIT');
      expect(await rows(b, 'SELECT v FROM fr')).toEqual([{ v: 1 }]);
      await b.query('SET SESSION lock_wait_timeout = 1');
      expect(await failure(b.query('UPDATE fr SET v = 2 WHERE id = 1'))).toEqual({ errno: 1205 });
    } finally {
      await b.query('SET SESSION lock_wait_timeout = DEFAULT');
      await a.query('UNLOCK TABLES');
    }
    await b.query('UPDATE fr SET v = 2 WHERE id = 1');
    expect(await rows(a, 'SELECT v FROM fr')).toEqual([{ v: 2 }]);
    expect(await openInnodbTrx()).toBe(0);
    await a.query('DROP TABLE fr');
  });
});

describe('point reads by a numeric primary key', () => {
  const types: { type: string; keys: string[] }[] = [
    { type: 'INT', keys: ['-3', '0', '1', '2', '7', '2147483647'] },
    { type: 'BIGINT', keys: ['-1', '0', '5', '9007199254740993', '1152921504606846976', '-9223372036854775808'] },
    { type: 'DOUBLE', keys: ['0', '1.5', '-2.25', '3', '1e300'] },
    { type: 'DECIMAL(30,2)', keys: ['0.00', '1.50', '2.00', '-7.25', '12345678901234567890.10'] },
  ];
  type KeyOp = { kind: 'insert' | 'delete' | 'rolledBackInsert' | 'rolledBackDelete'; k: number } | { kind: 'read'; k: number };
  const keyOp: fc.Arbitrary<KeyOp> = fc.record({ kind: fc.constantFrom('insert' as const, 'delete' as const, 'rolledBackInsert' as const, 'rolledBackDelete' as const, 'read' as const), k: fc.nat(5) });

  it(req(['CORE-PERF-035', 'CORE-PERF-030'], 'wire', 'INT, BIGINT, DOUBLE and DECIMAL primary keys: point reads through prepared statements find exactly the rows inserts, deletes and rolled-back changes of another session leave'), async () => {
    const [w, r] = sessions as [mysql.Connection, mysql.Connection];
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...types), fc.array(keyOp, { minLength: 5, maxLength: 30 }), async ({ type, keys }, ops) => {
        const name = `pk${++n}`;
        await w.query(`CREATE TABLE ${name} (k ${type} PRIMARY KEY, v INT) ENGINE=InnoDB`);
        const present = new Map<number, number>();
        let value = 0;
        const read = async (i: number): Promise<void> => {
          // Numbers go as numbers (the sysbench shape); the others as strings.
          const k = keys[i]!;
          const param = /^-?\d+(\.\d+)?$/.test(k) && Number.isSafeInteger(Math.trunc(Number(k))) && !type.startsWith('DECIMAL') ? Number(k) : k;
          const [got] = await r.execute<mysql.RowDataPacket[]>(`SELECT v FROM ${name} WHERE k = ?`, [param]);
          const want = present.get(i);
          expect(got.map((x) => Number(x['v'])), `${type} key ${keys[i]}`).toEqual(want === undefined ? [] : [want]);
        };
        for (const op of ops) {
          const i = op.k % keys.length;
          const key = keys[i]!;
          switch (op.kind) {
            case 'read':
              break;
            case 'insert':
              if (present.has(i)) break;
              await w.query(`INSERT INTO ${name} VALUES (${key}, ${++value})`);
              present.set(i, value);
              break;
            case 'delete':
              await w.query(`DELETE FROM ${name} WHERE k = ${key}`);
              present.delete(i);
              break;
            case 'rolledBackInsert':
              if (present.has(i)) break;
              await w.query('BEGIN');
              await w.query(`INSERT INTO ${name} VALUES (${key}, -1)`);
              await w.query('ROLLBACK');
              break;
            case 'rolledBackDelete':
              await w.query('BEGIN');
              await w.query(`DELETE FROM ${name} WHERE k = ${key}`);
              await w.query('ROLLBACK');
              break;
          }
          await read(i);
        }
        for (let i = 0; i < keys.length; i++) await read(i);
        await w.query(`DROP TABLE ${name}`);
      }),
      { numRuns: runs },
    );
  }, 600_000);
});
