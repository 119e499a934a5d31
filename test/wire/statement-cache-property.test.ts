/**
 * Property: the text-protocol statement cache changes nothing a client can see. Random sequences
 * of point and range selects, inserts, updates and deletes with literals of several types,
 * interleaved with ALTER TABLE ADD/DROP COLUMN, DROP/CREATE TABLE, GRANT/REVOKE to a second
 * account, SET sql_mode, SET NAMES and USE, run on two servers, one with the cache (the default) and one
 * with refmysql_statement_cache_size = 0, over three connections each, interleaved; every
 * statement's rows, column metadata, warnings and errors must be the same on both.
 *
 * @req CORE-PERF-016
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type mysql from 'mysql2/promise';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { req } from '../helpers/req.js';

const TABLE_DDL = 'CREATE TABLE t (id INT PRIMARY KEY, a INT, s VARCHAR(10), d DECIMAL(6,2))';

interface Side {
  srv: TestServer;
  conns: mysql.Connection[];
}

let cached: Side;
let plain: Side;

async function setUp(cacheOff: boolean): Promise<Side> {
  const srv = await startTestServer();
  const root = await srv.connect();
  if (cacheOff) await root.query('SET GLOBAL refmysql_statement_cache_size = 0');
  for (const db of ['p1', 'p2']) {
    await root.query(`CREATE DATABASE ${db}`);
    await root.query(`${TABLE_DDL.replace('TABLE t', `TABLE ${db}.t`)}`);
    await root.query(`INSERT INTO ${db}.t VALUES (1,10,'a',1.50),(2,20,'b',2.25),(3,NULL,'ab',0.00),(10,5,'10',10.00),(20,7,'x''y',NULL)`);
  }
  await root.query("CREATE USER 'pu'@'%' IDENTIFIED BY 'pw'");
  await root.query("GRANT SELECT ON p1.* TO 'pu'@'%'");
  await root.end();
  const conns = [
    await srv.connect({ database: 'p1' }),
    await srv.connect({ database: 'p1' }),
    await srv.connect({ user: 'pu', password: 'pw', database: 'p1' }),
  ];
  return { srv, conns };
}

beforeAll(async () => {
  [cached, plain] = await Promise.all([setUp(false), setUp(true)]);
}, 120_000);

afterAll(async () => {
  for (const side of [cached, plain]) {
    if (!side) continue;
    for (const c of side.conns) await c.end().catch(() => undefined);
    await side.srv.stop();
  }
});

/** What a client sees of one statement. */
async function outcome(c: mysql.Connection, sql: string): Promise<unknown> {
  let result: unknown;
  try {
    const [rows, fields] = await c.query({ sql, rowsAsArray: true });
    const meta = Array.isArray(fields)
      ? (fields as mysql.FieldPacket[]).map((f) => [f.name, f.orgName, f.table, f.columnType, f.columnLength, f.characterSet, f.decimals, f.flags])
      : null;
    result = { rows, meta };
  } catch (e) {
    const err = e as { errno?: number; sqlMessage?: string };
    result = { errno: err.errno, message: err.sqlMessage };
  }
  const [w] = await c.query('SHOW WARNINGS');
  return { result, warnings: w };
}

const smallInt = fc.integer({ min: -3, max: 25 });
const word = fc.stringMatching(/^[abxy10' ]{0,4}$/);
const quoted = word.map((s) => `'${s.replace(/'/g, "''")}'`);
const dec = fc.tuple(fc.integer({ min: 0, max: 30 }), fc.constantFrom('0', '5', '25', '50')).map(([i, f]) => `${i}.${f}`);
/** A literal of one of several types. */
const anyLit = fc.oneof(smallInt.map(String), quoted, dec, fc.constantFrom('NULL', "'10abc'", '1e1', '0x41', "_latin1'a'", "'A' COLLATE utf8mb4_bin"));
const column = fc.constantFrom('id', 'a', 's', 'd');
const cmp = fc.constantFrom('=', '<', '>=', '<>', '<=>');

const selects = fc.oneof(
  fc.tuple(fc.constantFrom('*', 'id, s', 'a', 'id, d, 1', "s, 'k'"), smallInt).map(([cols, v]) => `SELECT ${cols} FROM t WHERE id=${v}`),
  fc.tuple(column, cmp, anyLit).map(([c, op, v]) => `SELECT id, a, s, d FROM t WHERE ${c}${op}${v} ORDER BY id`),
  fc.tuple(smallInt, smallInt, fc.integer({ min: 0, max: 4 })).map(([x, y, n]) => `SELECT id FROM t WHERE id BETWEEN ${x} AND ${y} ORDER BY id LIMIT ${n}`),
  fc.tuple(smallInt, smallInt, fc.integer({ min: 0, max: 3 })).map(([x, y, o]) => `SELECT SUM(a) FROM t WHERE id >= ${x} AND id < ${y} OR s = 'b' LIMIT 1 OFFSET ${o}`),
  fc.array(anyLit, { minLength: 1, maxLength: 3 }).map((vs) => `SELECT id FROM t WHERE s IN (${vs.join(',')}) ORDER BY id`),
  fc.array(smallInt, { minLength: 1, maxLength: 3 }).map((vs) => `SELECT id, x FROM t WHERE id IN (${vs.join(',')})`),
  fc.tuple(quoted).map(([v]) => `SELECT id FROM t WHERE s="${v.slice(1, -1).replace(/''/g, "'")}" ORDER BY id`),
);

const writes = fc.oneof(
  fc.tuple(fc.integer({ min: 0, max: 40 }), anyLit, quoted, dec).map(([id, a, s, d]) => `INSERT INTO t (id, a, s, d) VALUES (${id}, ${a}, ${s}, ${d})`),
  fc.tuple(anyLit, smallInt).map(([a, id]) => `UPDATE t SET a=${a} WHERE id=${id}`),
  fc.tuple(quoted, column, cmp, anyLit).map(([s, c, op, v]) => `UPDATE t SET s=${s} WHERE ${c}${op}${v}`),
  fc.tuple(column, cmp, anyLit).map(([c, op, v]) => `DELETE FROM t WHERE ${c}${op}${v}`),
);

const admin = fc.constantFrom(
  'ALTER TABLE t ADD COLUMN x INT DEFAULT 5',
  'ALTER TABLE t DROP COLUMN x',
  'ALTER TABLE t MODIFY s VARCHAR(12) CHARACTER SET latin1',
  'DROP TABLE t',
  TABLE_DDL,
  "GRANT SELECT ON p1.* TO 'pu'@'%'",
  "REVOKE SELECT ON p1.* FROM 'pu'@'%'",
  "GRANT SELECT (id) ON p1.t TO 'pu'@'%'",
  "SET sql_mode='ANSI_QUOTES'",
  "SET sql_mode='PIPES_AS_CONCAT,NO_BACKSLASH_ESCAPES'",
  'SET sql_mode=DEFAULT',
  'SET NAMES latin1',
  'SET NAMES utf8mb4',
  'USE p1',
  'USE p2',
);

/** One step: which connection (2 is the account with SELECT only) runs what. */
const step = fc.oneof(
  { weight: 5, arbitrary: fc.tuple(fc.integer({ min: 0, max: 2 }), selects) },
  { weight: 3, arbitrary: fc.tuple(fc.integer({ min: 0, max: 1 }), writes) },
  { weight: 2, arbitrary: fc.tuple(fc.integer({ min: 0, max: 1 }), admin) },
  { weight: 1, arbitrary: fc.tuple(fc.constant(2), fc.constantFrom('USE p1', 'USE p2', "SET sql_mode='ANSI_QUOTES'", 'SET sql_mode=DEFAULT')) },
);

describe('statement cache property', () => {
  it(
    req(['CORE-PERF-016'], 'wire', 'random statement sequences give the same rows, metadata, warnings and errors with and without the cache'),
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(step, { minLength: 5, maxLength: 40 }), async (steps) => {
          for (const [who, sql] of steps) {
            // Each statement runs a second time with other literals' cached shape already seen.
            const [a, b] = await Promise.all([outcome(cached.conns[who]!, sql), outcome(plain.conns[who]!, sql)]);
            expect({ sql, ...(a as object) }).toEqual({ sql, ...(b as object) });
          }
        }),
        { numRuns: Number(process.env.STATEMENT_CACHE_RUNS ?? 25), endOnFailure: true },
      );
      // performance_schema's digest summary saw the same statements with the same outcomes.
      const summary = "SELECT SCHEMA_NAME, DIGEST, DIGEST_TEXT, COUNT_STAR, SUM_ERRORS, SUM_WARNINGS, SUM_ROWS_SENT, SUM_ROWS_AFFECTED FROM performance_schema.events_statements_summary_by_digest WHERE SCHEMA_NAME IN ('p1','p2') AND DIGEST_TEXT NOT LIKE '%events_statements_summary_by_digest%' ORDER BY SCHEMA_NAME, DIGEST";
      const [[sa], [sb]] = await Promise.all([cached.conns[0]!.query(summary), plain.conns[0]!.query(summary)]);
      expect(sa).toEqual(sb);
      expect((sa as unknown[]).length).toBeGreaterThan(0);
      // The cache was used.
      const [st] = await cached.conns[0]!.query("SHOW GLOBAL STATUS LIKE 'Refmysql_statement_cache_hits'");
      expect(Number((st as { Value: string }[])[0]!.Value)).toBeGreaterThan(0);
    },
    120_000,
  );
});
