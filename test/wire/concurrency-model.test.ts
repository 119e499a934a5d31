/**
 * Random interleavings of statements from three sessions on MEMORY tables, checked against a
 * serial model. MEMORY's table locks make every statement atomic, so whatever the server did
 * must equal running the same statements one at a time in some order that keeps each
 * session's own order and never puts a statement before one that had already answered when it
 * was sent (a linearizability check). The checker searches those orders depth first; each
 * statement's observed answer (affected rows, or the row a SELECT returned) prunes the search,
 * and the final contents of both tables must match too.
 */
import fc from 'fast-check';
import type mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { req } from '../helpers/req.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

/** Rows per table at the start: enough that a statement over a range outlasts a cooperative pause. */
const ROWS = 3000;
const SESSIONS = 3;
const RUNS = Number(process.env.MODEL_RUNS ?? 12);

type Table = 't1' | 't2';

/** Both tables, with an order-independent hash of their contents so that the search can skip
 *  a (progress, contents) pair it has already explored. */
class State {
  readonly t1 = new Map<number, number>();
  readonly t2 = new Map<number, number>();
  hash = 0;

  static of(t1: Map<number, number>, t2: Map<number, number>): State {
    const s = new State();
    for (const [k, v] of t1) s.set('t1', k, v);
    for (const [k, v] of t2) s.set('t2', k, v);
    return s;
  }

  private static mix(t: Table, id: number, v: number): number {
    let h = Math.imul(id ^ (t === 't1' ? 0x9e3779b9 : 0x85ebca6b), 0xcc9e2d51);
    h = Math.imul(h ^ (h >>> 15) ^ v, 0x1b873593);
    return h ^ (h >>> 13);
  }

  set(t: Table, id: number, v: number | undefined): void {
    const m = this[t];
    const old = m.get(id);
    if (old !== undefined) this.hash = (this.hash - State.mix(t, id, old)) | 0;
    if (v === undefined) m.delete(id);
    else {
      m.set(id, v);
      this.hash = (this.hash + State.mix(t, id, v)) | 0;
    }
  }
}

/** One generated statement: its SQL and what it does to the model. */
interface Op {
  sql: string;
  /** Apply to the state; return the answer the server must give and an undo function. */
  apply(s: State): { answer: string; undo: () => void };
}

function between(m: Map<number, number>, a: number, b: number): number[] {
  const out: number[] = [];
  for (const id of m.keys()) if (id >= a && id <= b) out.push(id);
  return out;
}

function setAll(s: State, t: Table, changes: [number, number | undefined][]): () => void {
  const m = s[t];
  const old: [number, number | undefined][] = changes.map(([id]) => [id, m.get(id)]);
  for (const [id, v] of changes) s.set(t, id, v);
  return () => {
    for (const [id, v] of old) s.set(t, id, v);
  };
}

const affected = (n: number): string => `ok ${n}`;

function updateRange(t: Table, a: number, b: number, d: number): Op {
  return {
    sql: `UPDATE ${t} SET v = v + ${d} WHERE id BETWEEN ${a} AND ${b}`,
    apply(s) {
      const m = s[t];
      const ids = between(m, a, b);
      return { answer: affected(ids.length), undo: setAll(s, t, ids.map((id) => [id, m.get(id)! + d])) };
    },
  };
}

function deleteRange(t: Table, a: number, b: number): Op {
  return {
    sql: `DELETE FROM ${t} WHERE id BETWEEN ${a} AND ${b}`,
    apply(s) {
      const m = s[t];
      const ids = between(m, a, b);
      return { answer: affected(ids.length), undo: setAll(s, t, ids.map((id) => [id, undefined])) };
    },
  };
}

function insertRow(t: Table, id: number, v: number): Op {
  return {
    sql: `INSERT INTO ${t} (id, v) VALUES (${id}, ${v})`,
    apply(s) {
      return { answer: affected(1), undo: setAll(s, t, [[id, v]]) };
    },
  };
}

function sumRange(t: Table, a: number, b: number): Op {
  return {
    sql: `SELECT COUNT(*) AS n, COALESCE(SUM(v), 0) AS s FROM ${t} WHERE id BETWEEN ${a} AND ${b}`,
    apply(s) {
      const m = s[t];
      const ids = between(m, a, b);
      const sum = ids.reduce((acc, id) => acc + m.get(id)!, 0);
      return { answer: `row ${ids.length} ${sum}`, undo: () => undefined };
    },
  };
}

/** Copy a range of t1 into t2 under fresh ids (offset unique to the statement). */
function copyRange(a: number, b: number, offset: number): Op {
  return {
    sql: `INSERT INTO t2 (id, v) SELECT id + ${offset}, v FROM t1 WHERE id BETWEEN ${a} AND ${b}`,
    apply(s) {
      const ids = between(s.t1, a, b);
      return { answer: affected(ids.length), undo: setAll(s, 't2', ids.map((id) => [id + offset, s.t1.get(id)!])) };
    },
  };
}

/** A two-table UPDATE: t1.v += t2.v for ids present in both. */
function joinUpdate(a: number, b: number): Op {
  return {
    sql: `UPDATE t1 JOIN t2 ON t1.id = t2.id SET t1.v = t1.v + t2.v WHERE t1.id BETWEEN ${a} AND ${b}`,
    apply(s) {
      // mysql2 asks for found rows (CLIENT_FOUND_ROWS): every matched t1 row counts, changed or not.
      const ids = between(s.t1, a, b).filter((id) => s.t2.has(id));
      const changes: [number, number][] = ids.filter((id) => s.t2.get(id)! !== 0).map((id) => [id, s.t1.get(id)! + s.t2.get(id)!]);
      return { answer: affected(ids.length), undo: setAll(s, 't1', changes) };
    },
  };
}

/** Operations generated with ids unique per run (inserts and copies never collide). */
function opArbitrary(unique: () => number): fc.Arbitrary<Op> {
  const table = fc.constantFrom<Table>('t1', 't2');
  const range = fc.tuple(fc.integer({ min: 1, max: ROWS }), fc.integer({ min: 50, max: ROWS })).map(([a, len]) => [a, a + len] as const);
  return fc.oneof(
    fc.tuple(table, range, fc.integer({ min: 1, max: 9 })).map(([t, [a, b], d]) => updateRange(t, a, b, d)),
    fc.tuple(table, range).map(([t, [a, b]]) => deleteRange(t, a, Math.min(b, a + 40))),
    fc.tuple(table, fc.integer({ min: 0, max: 99 })).map(([t, v]) => insertRow(t, unique(), v)),
    fc.tuple(table, range).map(([t, [a, b]]) => sumRange(t, a, b)),
    range.map(([a, b]) => copyRange(a, b, unique())),
    range.map(([a, b]) => joinUpdate(a, b)),
  );
}

interface Observed {
  op: Op;
  answer: string;
  /** Event counter when the statement was sent and when its answer arrived. */
  sent: number;
  done: number;
}

/**
 * Is there an order of all statements, keeping each session's order and real-time precedence,
 * whose serial execution gives every observed answer and the final state?
 */
function linearizable(start: State, sessions: Observed[][], final: State): boolean {
  const pos = sessions.map(() => 0);
  const total = sessions.reduce((n, s) => n + s.length, 0);
  const seen = new Set<string>();
  const sameFinal = (s: State): boolean =>
    (['t1', 't2'] as Table[]).every((t) => s[t].size === final[t].size && [...s[t]].every(([k, v]) => final[t].get(k) === v));
  const dfs = (done: number): boolean => {
    if (done === total) return sameFinal(start);
    const key = `${pos.join(',')}/${start.hash}`;
    if (seen.has(key)) return false;
    seen.add(key);
    for (let i = 0; i < sessions.length; i++) {
      const x = sessions[i]![pos[i]!];
      if (!x) continue;
      // A statement that had already answered when x was sent must come before x.
      const blocked = sessions.some((s, j) => j !== i && s.slice(pos[j]!).some((y) => y.done < x.sent));
      if (blocked) continue;
      const r = x.op.apply(start);
      if (r.answer === x.answer) {
        pos[i]!++;
        if (dfs(done + 1)) return true;
        pos[i]!--;
      }
      r.undo();
    }
    return false;
  };
  return dfs(0);
}

async function answerOf(c: mysql.Connection, sql: string): Promise<string> {
  try {
    const [r] = await c.query(sql);
    if (Array.isArray(r)) {
      const row = (r as Record<string, unknown>[])[0]!;
      return `row ${Number(row.n)} ${Number(row.s)}`;
    }
    return affected((r as { affectedRows: number }).affectedRows);
  } catch (e) {
    return `error ${(e as { errno?: number }).errno}`;
  }
}

async function tableState(c: mysql.Connection, t: Table): Promise<Map<number, number>> {
  const [rows] = await c.query(`SELECT id, v FROM ${t}`);
  return new Map((rows as { id: number; v: number }[]).map((r) => [Number(r.id), Number(r.v)]));
}

let srv: TestServer;
let conns: mysql.Connection[];

beforeAll(async () => {
  srv = await startTestServer({ options: { 'max-heap-table-size': 64 * 1024 * 1024 } });
  conns = [];
  for (let i = 0; i < SESSIONS + 1; i++) conns.push(await srv.connect({ database: undefined }));
  await conns[0]!.query('CREATE DATABASE m');
  for (const c of conns) await c.query('USE m');
  await conns[0]!.query('CREATE TABLE t1 (id INT PRIMARY KEY, v BIGINT NOT NULL) ENGINE=MEMORY');
  await conns[0]!.query('CREATE TABLE t2 (id INT PRIMARY KEY, v BIGINT NOT NULL) ENGINE=MEMORY');
}, 60_000);

afterAll(async () => {
  for (const c of conns ?? []) await c.end();
  await srv?.stop();
});

describe('concurrent statements on MEMORY tables', () => {
  it(
    req(['CORE-CONC-020', 'CORE-LOCK-001', 'CORE-LOCK-002'], 'wire', 'random interleavings of three sessions equal some serial order of their statements'),
    async () => {
      let next = 1_000_000;
      const unique = (): number => (next += 100_000);
      const program = fc.array(fc.array(opArbitrary(unique), { minLength: 2, maxLength: 4 }), { minLength: SESSIONS, maxLength: SESSIONS });
      await fc.assert(
        fc.asyncProperty(program, async (progs) => {
          const admin = conns[SESSIONS]!;
          await admin.query('TRUNCATE t1');
          await admin.query('TRUNCATE t2');
          const values = Array.from({ length: ROWS }, (_, i) => `(${i + 1}, ${(i * 7) % 10})`).join(',');
          await admin.query(`INSERT INTO t1 VALUES ${values}`);
          await admin.query(`INSERT INTO t2 VALUES ${values}`);
          const start = State.of(await tableState(admin, 't1'), await tableState(admin, 't2'));
          let clock = 0;
          const observed: Observed[][] = await Promise.all(
            progs.map(async (ops, i) => {
              const c = conns[i]!;
              const out: Observed[] = [];
              for (const op of ops) {
                const sent = ++clock;
                const answer = await answerOf(c, op.sql);
                out.push({ op, answer, sent, done: ++clock });
              }
              return out;
            }),
          );
          const final = State.of(await tableState(admin, 't1'), await tableState(admin, 't2'));
          const ok = linearizable(start, observed, final);
          if (!ok) {
            const lines = observed.map((s, i) => s.map((o) => `  s${i} [${o.sent}-${o.done}] ${o.op.sql} -> ${o.answer}`).join('\n'));
            expect.fail(`no serial order explains what the sessions saw:\n${lines.join('\n')}`);
          }
        }),
        { numRuns: RUNS, seed: Number(process.env.MODEL_SEED ?? 20261206), endOnFailure: true },
      );
    },
    300_000,
  );
});
