/**
 * Comparisons that convert a column's type must give the same rows through an index as without
 * one: a string key compared with a number compares as numbers, which the index order of the
 * strings cannot answer. A property test runs random predicates against a table with the index
 * and a copy without it, over mysql2.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type mysql from 'mysql2/promise';
import { req } from '../helpers/req.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let srv: TestServer;
let c: mysql.Connection;

const KEYS = ['000000000001', '1', '1x', '01', '2', '10', ' 3', '3.0', 'abc', '', '-1', '1e1', '007'];

beforeAll(async () => {
  srv = await startTestServer();
  c = await srv.connect();
  await c.query('CREATE DATABASE ic');
  await c.query('USE ic');
  for (const [name, key] of [['keyed', 'PRIMARY KEY'], ['plain', '']] as const) {
    await c.query(`CREATE TABLE ${name} (id CHAR(12) NOT NULL ${key}, v INT)`);
    await c.query(`INSERT INTO ${name} VALUES ${KEYS.map((k, i) => `('${k}', ${i})`).join(', ')}`);
  }
});

afterAll(async () => {
  await c?.end();
  await srv?.stop();
});

async function vs(sql: string): Promise<number[]> {
  const [rows] = await c.query<mysql.RowDataPacket[]>(sql);
  return rows.map((r) => Number(r['v'])).sort((a, b) => a - b);
}

describe('index use under type conversion', () => {
  it(req(['CORE-EXEC-072'], 'wire', "a CHAR key compared with a number finds every string equal as a number, with warning 1292"), async () => {
    expect(await vs('SELECT v FROM keyed WHERE id = 000000000001')).toEqual([0, 1, 2, 3]);
    const [w] = await c.query<mysql.RowDataPacket[]>('SHOW WARNINGS');
    expect(w.map((r) => Number(r['Code']))).toContain(1292);
    expect(await vs("SELECT v FROM keyed WHERE id = '1'")).toEqual([1]);
    expect(await vs('SELECT v FROM keyed WHERE id IN (1, 3)')).toEqual([0, 1, 2, 3, 6, 7]);
  });

  it(req(['CORE-EXEC-072'], 'wire', 'random comparisons give the same rows with the index as without it (property)'), async () => {
    const operand = fc.oneof(
      fc.integer({ min: -2, max: 12 }).map(String),
      fc.constantFrom('1.0', '0.5', '1e1', '-0'),
      fc.constantFrom(...KEYS).map((k) => `'${k}'`),
    );
    const op = fc.constantFrom('=', '<', '<=', '>', '>=', '<>');
    const pred = fc.oneof(
      fc.tuple(op, operand).map(([o, x]) => `id ${o} ${x}`),
      fc.tuple(operand, operand).map(([a, b]) => `id BETWEEN ${a} AND ${b}`),
      fc.array(operand, { minLength: 1, maxLength: 4 }).map((xs) => `id IN (${xs.join(', ')})`),
    );
    await fc.assert(
      fc.asyncProperty(pred, async (p) => {
        expect([p, await vs(`SELECT v FROM keyed WHERE ${p}`)]).toEqual([p, await vs(`SELECT v FROM plain WHERE ${p}`)]);
      }),
      { numRuns: 60, seed: 12 },
    );
  });
});
