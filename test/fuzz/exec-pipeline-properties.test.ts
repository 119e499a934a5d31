/**
 * The streaming executor's results do not depend on how it is cut into pieces: random small
 * MEMORY tables and random SELECTs (joins, WHERE, subqueries, GROUP BY, DISTINCT, derived tables,
 * ORDER BY, LIMIT, SQL_CALC_FOUND_ROWS) give the same rows with the default cursor batches and
 * pause interval as with one-row batches, a pause at every row and cursors that answer every
 * other batch with a promise (an engine that waits).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type mysql from 'mysql2/promise';
import { req } from '../helpers/req.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { setExecTuning } from '../../src/exec/query/run/pause.js';
import type { RowCursor } from '../../src/storage/handler.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 30) > 100 ? 100 : Number(process.env.FUZZ_RUNS ?? 30);

let srv: TestServer;
let c: mysql.Connection;

beforeAll(async () => {
  srv = await startTestServer();
  c = await srv.connect();
  await c.query('CREATE DATABASE fz');
  await c.query('USE fz');
}, 60_000);
afterAll(async () => {
  await c?.end();
  await srv?.stop();
});

interface TRow {
  a: number | null;
  b: string | null;
  c: number;
}

const rowArb: fc.Arbitrary<TRow> = fc.record({
  a: fc.option(fc.integer({ min: 0, max: 4 }), { nil: null, freq: 5 }),
  b: fc.constantFrom('x', 'y', 'xy', 'z', null),
  c: fc.integer({ min: -3, max: 3 }),
});

const queryArb = fc.record({
  join: fc.constantFrom('none', 'inner', 'left', 'comma'),
  where: fc.constantFrom(
    '',
    'WHERE t1.a > 1',
    'WHERE t1.a = 2',
    "WHERE t1.b LIKE 'x%'",
    'WHERE t1.a IN (1, 3)',
    'WHERE t1.c BETWEEN -1 AND 2',
    'WHERE t1.a IN (SELECT a FROM t2 WHERE c > 0)',
    'WHERE EXISTS (SELECT 1 FROM t2 WHERE t2.a = t1.a)',
    'WHERE t1.id > (SELECT COUNT(*) FROM t2)',
  ),
  shape: fc.constantFrom('plain', 'group', 'distinct', 'derived', 'union'),
  order: fc.boolean(),
  limit: fc.option(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 6 })), { nil: null }),
  calc: fc.boolean(),
});

type Query = typeof queryArb extends fc.Arbitrary<infer Q> ? Q : never;

function sqlOf(q: Query): string[] {
  const from = { none: 't1', inner: 't1 JOIN t2 ON t1.a = t2.a', left: 't1 LEFT JOIN t2 ON t1.a = t2.a', comma: 't1, t2' }[q.join];
  const joined = q.join !== 'none';
  let select: string;
  switch (q.shape) {
    case 'plain':
      select = `SELECT t1.id, t1.a, t1.b${joined ? ', t2.id AS id2, t2.c AS c2' : ''} FROM ${from} ${q.where}`;
      break;
    case 'group':
      select = `SELECT t1.a, COUNT(*) AS n, SUM(t1.c) AS s${joined ? ', MAX(t2.c) AS m' : ''} FROM ${from} ${q.where} GROUP BY t1.a`;
      break;
    case 'distinct':
      select = `SELECT DISTINCT t1.a, t1.b FROM ${from} ${q.where}`;
      break;
    case 'derived':
      select = `SELECT d.a, d.n FROM (SELECT t1.a, COUNT(*) AS n FROM ${from} ${q.where} GROUP BY t1.a) d WHERE d.n >= 1`;
      break;
    case 'union':
      select = `SELECT t1.a, t1.c FROM ${from} ${q.where} UNION SELECT a, c FROM t2 WHERE c < 2`;
      break;
  }
  if (q.calc && q.shape !== 'union') select = select.replace(/^SELECT/, 'SELECT SQL_CALC_FOUND_ROWS');
  if (q.order) select += ' ORDER BY 2, 1';
  if (q.limit) select += ` LIMIT ${q.limit[0]}, ${q.limit[1]}`;
  return q.calc ? [select, 'SELECT FOUND_ROWS() AS f'] : [select];
}

async function outcome(sqls: string[]): Promise<unknown[]> {
  const out: unknown[] = [];
  for (const s of sqls) {
    try {
      const [rows] = await c.query({ sql: s, rowsAsArray: true });
      out.push(rows);
    } catch (e) {
      out.push({ errno: (e as { errno?: number }).errno, message: (e as Error).message });
    }
  }
  return out;
}

async function load(table: string, rows: TRow[]): Promise<void> {
  await c.query(`DROP TABLE IF EXISTS ${table}`);
  await c.query(`CREATE TABLE ${table} (id INT PRIMARY KEY, a INT, b VARCHAR(4), c INT, KEY (a), KEY (c)) ENGINE=MEMORY`);
  if (rows.length) await c.query(`INSERT INTO ${table} VALUES ?`, [rows.map((r, i) => [i + 1, r.a, r.b, r.c])]);
}

/** A cursor that answers every other batch with a promise, as an engine that waits would. */
function waitingCursor(inner: RowCursor): RowCursor {
  let flip = false;
  return {
    fill(out, max) {
      const n = inner.fill(out, max);
      flip = !flip;
      return flip ? new Promise<number>((r) => setImmediate(() => r(n as number))) : n;
    },
    close: () => inner.close(),
  };
}

describe('streaming executor properties', () => {
  it(req('CORE-CONC-002', 'wire', 'results are the same with default batches and pauses as with one-row batches, a pause every row and waiting cursors'), async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(rowArb, { maxLength: 25 }), fc.array(rowArb, { maxLength: 25 }), fc.array(queryArb, { minLength: 1, maxLength: 6 }), async (r1, r2, queries) => {
        await load('t1', r1);
        await load('t2', r2);
        for (const q of queries) {
          const sqls = sqlOf(q);
          const plain = await outcome(sqls);
          const restore = setExecTuning({ fillBatch: 1, pauseInterval: 1, cursorAdapter: waitingCursor });
          let cut: unknown[];
          try {
            cut = await outcome(sqls);
          } finally {
            restore();
          }
          expect(cut, sqls.join('; ')).toEqual(plain);
          expect(plain.some((x) => !Array.isArray(x)), JSON.stringify(plain)).toBe(false);
        }
      }),
      { numRuns: RUNS, seed: 20261206 },
    );
  }, 300_000);
});
