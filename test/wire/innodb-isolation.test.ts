/**
 * The isolation levels, checked against a model over real connections: random interleavings of
 * transactions (fast-check) at READ UNCOMMITTED, READ COMMITTED and REPEATABLE READ, where every
 * consistent read must return exactly what the level allows: RU sees other transactions'
 * uncommitted changes, RC the last committed state at each statement, RR the state of its first
 * read; all of them see their own changes. Writes stay off rows another open transaction has
 * changed, and no session inserts while another one's REPEATABLE READ write that found no row
 * holds its gap lock, so no step waits for a lock. SERIALIZABLE, whose reads lock, is checked
 * with its own blocking scenario.
 */
import fc from 'fast-check';
import type mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { req } from '../helpers/req.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { seedModelTable } from '../helpers/model-table.js';

type Level = 'READ UNCOMMITTED' | 'READ COMMITTED' | 'REPEATABLE READ';
const LEVELS: Level[] = ['READ UNCOMMITTED', 'READ COMMITTED', 'REPEATABLE READ'];

type Op =
  | { kind: 'read'; s: number }
  | { kind: 'update'; s: number; row: number; v: number }
  | { kind: 'insert'; s: number; v: number }
  | { kind: 'delete'; s: number; row: number }
  | { kind: 'end'; s: number; commit: boolean };

type State = Map<number, number>;

interface Trx {
  level: Level;
  open: boolean;
  /** Own changes: id -> value, or null for a delete. */
  writes: Map<number, number | null>;
  snapshot: State | null;
  /** A REPEATABLE READ write that found no row has gap-locked where the row would be (next-key
   *  locking), so other sessions' inserts must not be generated while it is open. */
  gaps: boolean;
  /** Rows this transaction updated or deleted while they were missing: a row deleted but not
   *  yet purged is still a (delete-marked) record, and the write locked it until the end of the
   *  transaction, so other sessions' writes to that row must not be generated while it is open. */
  missing: Set<number>;
}

const runs = Number(process.env['FUZZ_RUNS'] ?? 25);
let srv: TestServer;
const sessions: mysql.Connection[] = [];
let table = 0;

beforeAll(async () => {
  srv = await startTestServer();
  const c = await srv.connect();
  await c.query('CREATE DATABASE iso');
  await c.end();
  for (let i = 0; i < 3; i++) sessions.push(await srv.connect({ database: 'iso' }));
  // A wait the model does not expect fails its run at once instead of after 50 s.
  for (const c of sessions) await c.query('SET SESSION innodb_lock_wait_timeout = 5');
});

afterAll(async () => {
  for (const c of sessions) await c.end().catch(() => undefined);
  await srv.stop();
});

function overlay(base: State, writes: Map<number, number | null>): State {
  const out = new Map(base);
  for (const [id, v] of writes) {
    if (v === null) out.delete(id);
    else out.set(id, v);
  }
  return out;
}

function sorted(s: State): [number, number][] {
  return [...s.entries()].sort((a, b) => a[0] - b[0]);
}

const opArb = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('read' as const), s: fc.nat(2) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('update' as const), s: fc.nat(2), row: fc.integer({ min: 1, max: 6 }), v: fc.integer({ min: 0, max: 999 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('insert' as const), s: fc.nat(2), v: fc.integer({ min: 0, max: 999 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('delete' as const), s: fc.nat(2), row: fc.integer({ min: 1, max: 6 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('end' as const), s: fc.nat(2), commit: fc.boolean() }) },
);

describe('InnoDB isolation levels against a model', () => {
  it(req(['INNODB-MVCC-101', 'INNODB-MVCC-102', 'INNODB-RESTR-003', 'INNODB-ISO-101'], 'wire', 'random interleavings of three sessions at RU / RC / RR read exactly what the level allows'), async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom(...LEVELS), { minLength: 3, maxLength: 3 }), fc.array(opArb, { minLength: 5, maxLength: 25 }), async (levels, ops) => {
        const name = `t${++table}`;
        const c0 = sessions[0]!;
        let committed: State = await seedModelTable(c0, name);
        let nextId = 100;
        const trx: Trx[] = levels.map((level) => ({ level, open: false, writes: new Map(), snapshot: null, gaps: false, missing: new Set<number>() }));
        const lockedByOther = (s: number, id: number): boolean => trx.some((t, i) => i !== s && t.open && (t.writes.has(id) || t.missing.has(id)));
        const begin = async (s: number): Promise<void> => {
          const t = trx[s]!;
          if (t.open) return;
          await sessions[s]!.query(`SET SESSION TRANSACTION ISOLATION LEVEL ${t.level}`);
          await sessions[s]!.query('BEGIN');
          t.open = true;
          t.writes = new Map();
          t.snapshot = null;
          t.gaps = false;
          t.missing = new Set();
        };
        try {
          for (const op of ops) {
            const s = op.s;
            const t = trx[s]!;
            const c = sessions[s]!;
            if (op.kind === 'end') {
              if (!t.open) continue;
              await c.query(op.commit ? 'COMMIT' : 'ROLLBACK');
              if (op.commit) committed = overlay(committed, t.writes);
              t.open = false;
              continue;
            }
            await begin(s);
            if (op.kind === 'read') {
              const [rows] = await c.query<mysql.RowDataPacket[]>(`SELECT id, v FROM ${name} ORDER BY id`);
              const got = rows.map((r) => [Number(r['id']), Number(r['v'])]);
              let base: State;
              if (t.level === 'READ UNCOMMITTED') {
                base = committed;
                for (const [i, o] of trx.entries()) if (i !== s && o.open) base = overlay(base, o.writes);
              } else if (t.level === 'READ COMMITTED') {
                base = committed;
              } else {
                t.snapshot ??= new Map(committed);
                base = t.snapshot;
              }
              expect(got, `${t.level} read of session ${s}`).toEqual(sorted(overlay(base, t.writes)));
              continue;
            }
            // A write: the current state (latest committed plus own changes) decides what it hits.
            const current = overlay(committed, t.writes);
            if (op.kind === 'insert') {
              if (trx.some((o, i) => i !== s && o.open && o.gaps)) continue;
              const id = nextId++;
              await c.query(`INSERT INTO ${name} VALUES (?, ?)`, [id, op.v]);
              t.writes.set(id, op.v);
            } else if (op.kind === 'update') {
              if (lockedByOther(s, op.row)) continue;
              const [res] = await c.query<mysql.ResultSetHeader>(`UPDATE ${name} SET v = ? WHERE id = ?`, [op.v, op.row]);
              const exists = current.has(op.row);
              // affectedRows counts changed rows (or found rows, with CLIENT_FOUND_ROWS): an
              // update to the same value may say either.
              if (!exists) expect(res.affectedRows, 'UPDATE of a missing row').toBe(0);
              else if (current.get(op.row) !== op.v) expect(res.affectedRows, 'UPDATE hits the current row').toBe(1);
              if (exists) t.writes.set(op.row, op.v);
              else {
                t.missing.add(op.row);
                if (t.level === 'REPEATABLE READ') t.gaps = true;
              }
            } else {
              if (lockedByOther(s, op.row)) continue;
              const [res] = await c.query<mysql.ResultSetHeader>(`DELETE FROM ${name} WHERE id = ?`, [op.row]);
              const exists = current.has(op.row);
              expect(res.affectedRows, 'DELETE hits the current row').toBe(exists ? 1 : 0);
              if (exists) t.writes.set(op.row, null);
              else {
                t.missing.add(op.row);
                if (t.level === 'REPEATABLE READ') t.gaps = true;
              }
            }
          }
        } finally {
          for (const [i, t] of trx.entries()) if (t.open) await sessions[i]!.query('ROLLBACK');
        }
        const [final] = await c0.query<mysql.RowDataPacket[]>(`SELECT id, v FROM ${name} ORDER BY id`);
        expect(final.map((r) => [Number(r['id']), Number(r['v'])])).toEqual(sorted(committed));
        await c0.query(`DROP TABLE ${name}`);
      }),
      { numRuns: runs },
    );
  }, 120_000);

  it(req(['INNODB-ISO-102'], 'wire', 'SERIALIZABLE: plain reads lock; a writer waits for a reader inside a transaction, and a reader for a writer'), async () => {
    const [a, b] = sessions as [mysql.Connection, mysql.Connection];
    await a.query('CREATE TABLE ser (id INT PRIMARY KEY, v INT) ENGINE=InnoDB');
    await a.query('INSERT INTO ser VALUES (1, 1)');
    await a.query('SET SESSION TRANSACTION ISOLATION LEVEL SERIALIZABLE');
    await b.query('SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ');
    await b.query('SET SESSION innodb_lock_wait_timeout = 1');
    await a.query('BEGIN');
    await a.query('SELECT * FROM ser');
    // a holds a shared lock on the row it read: b's update waits and times out.
    const e = await b.query('UPDATE ser SET v = 2 WHERE id = 1').then(
      () => null,
      (x: { errno: number }) => x.errno,
    );
    expect(e).toBe(1205);
    await a.query('COMMIT');
    await b.query('BEGIN');
    await b.query('UPDATE ser SET v = 3 WHERE id = 1');
    await a.query('SET SESSION innodb_lock_wait_timeout = 1');
    await a.query('BEGIN');
    const e2 = await a.query('SELECT * FROM ser').then(
      () => null,
      (x: { errno: number }) => x.errno,
    );
    expect(e2).toBe(1205);
    await a.query('ROLLBACK');
    await b.query('COMMIT');
    // With autocommit a SERIALIZABLE SELECT is a consistent read and does not wait.
    await b.query('BEGIN');
    await b.query('UPDATE ser SET v = 4 WHERE id = 1');
    const [rows] = await a.query<mysql.RowDataPacket[]>('SELECT v FROM ser');
    expect(rows[0]!['v']).toBe(3);
    await b.query('COMMIT');
    await a.query('SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ');
  });
});
