/**
 * Properties over the wire (mysql2, fast-check with a fixed seed): random rows holding NULLs,
 * tabs, newlines, quotes, backslashes, non-ASCII text and arbitrary bytes, written with SELECT
 * ... INTO OUTFILE and read back with LOAD DATA under the same options, are the same rows; and
 * LOAD DATA of random file contents ends with an OK or an SQL error while the server keeps
 * answering.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/select-into.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/load-data.html
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type mysql from 'mysql2/promise';
import { req } from '../helpers/req.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let srv: TestServer;
let c: mysql.Connection;
let dir: string;
let seq = 0;

type Rows = mysql.RowDataPacket[];

/** FIELDS / LINES clauses for which the format is exact. */
const OPTIONS = [
  '',
  "FIELDS TERMINATED BY ',' ENCLOSED BY '\"' LINES TERMINATED BY '\\r\\n'",
  "FIELDS TERMINATED BY ',' OPTIONALLY ENCLOSED BY '\\'' ESCAPED BY '\\\\' LINES STARTING BY 'row:' TERMINATED BY '\\n'",
  "FIELDS TERMINATED BY '||' ESCAPED BY '#' LINES TERMINATED BY '<EOL>'",
  "COLUMNS ENCLOSED BY '\"' LINES STARTING BY '>'",
];

const text = fc.array(fc.constantFrom('a', 'Z', 'N', '0', ' ', '\t', '\n', '\r', '"', "'", '\\', ',', '|', '#', '<', 'NULL', 'é', '€', '😀', '\u0000'), { maxLength: 10 }).map((p) => p.join(''));
const row = fc.record({
  s: fc.option(text, { nil: null }),
  b: fc.option(fc.uint8Array({ maxLength: 16 }).map((a) => Buffer.from(a)), { nil: null }),
  n: fc.option(fc.integer({ min: -1_000_000, max: 1_000_000 }), { nil: null }),
  d: fc.option(fc.integer({ min: -99999, max: 99999 }).map((x) => (x / 100).toFixed(2)), { nil: null }),
});

beforeAll(async () => {
  srv = await startTestServer();
  c = await srv.connect({ multipleStatements: true });
  const [r] = await c.query<Rows>('SELECT @@secure_file_priv AS p');
  dir = String(r[0]!['p']);
  await c.query('CREATE DATABASE rt; USE rt');
  await c.query('CREATE TABLE src (id INT PRIMARY KEY, s VARCHAR(64), b VARBINARY(32), n INT, d DECIMAL(7,2)) ENGINE=InnoDB');
  await c.query('CREATE TABLE dst LIKE src');
  await c.query('CREATE TABLE junk (a VARCHAR(8), b INT, c VARBINARY(8), d DATE) ENGINE=InnoDB');
});

afterAll(async () => {
  await c?.end();
  await srv?.stop();
});

/** The rows of a table as comparable text. */
async function snapshot(table: string): Promise<unknown[]> {
  const [r] = await c.query<Rows>(`SELECT id, s, HEX(b) AS b, n, d FROM ${table} ORDER BY id`);
  return r.map((x) => ({ ...x }));
}

describe('properties', () => {
  it(req(['CORE-LOAD-024'], 'wire', 'INTO OUTFILE then LOAD DATA with the same options gives the same rows'), async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...OPTIONS), fc.array(row, { maxLength: 8 }), async (opts, rows) => {
        await c.query('DELETE FROM src; DELETE FROM dst');
        if (rows.length) await c.query('INSERT INTO src VALUES ?', [rows.map((r, i) => [i + 1, r.s, r.b, r.n, r.d])]);
        const f = join(dir, `rt-${++seq}.txt`);
        const [w] = await c.query<mysql.ResultSetHeader>(`SELECT * FROM src ORDER BY id INTO OUTFILE '${f}' ${opts}`);
        expect(w.affectedRows).toBe(rows.length);
        const [l] = await c.query<mysql.ResultSetHeader>(`LOAD DATA INFILE '${f}' INTO TABLE dst ${opts}`);
        expect(l.info).toBe(`Records: ${rows.length}  Deleted: 0  Skipped: 0  Warnings: 0`);
        expect(await snapshot('dst')).toEqual(await snapshot('src'));
      }),
      { numRuns: 25, seed: 11 },
    );
  });

  it(req(['CORE-LOAD-026'], 'wire', 'random file contents end with OK or an SQL error, and the server keeps serving'), async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 200 }), fc.constantFrom(...OPTIONS), fc.boolean(), async (bytes, opts, ignore) => {
        const f = join(dir, `junk-${++seq}.bin`);
        writeFileSync(f, bytes);
        try {
          const [r] = await c.query<mysql.ResultSetHeader>(`LOAD DATA INFILE '${f}' ${ignore ? 'IGNORE' : ''} INTO TABLE junk ${opts}`);
          expect(r.info).toMatch(/^Records: \d+ {2}Deleted: 0 {2}Skipped: \d+ {2}Warnings: \d+$/);
        } catch (e) {
          const x = e as { errno?: number; sqlState?: string };
          expect(typeof x.errno).toBe('number');
          expect(x.errno).not.toBe(1105);
          expect(x.sqlState).toMatch(/^[0-9A-Z]{5}$/);
        }
        const [p] = await c.query<Rows>('SELECT 1 AS one');
        expect(p[0]!['one']).toBe(1);
      }),
      { numRuns: 40, seed: 7 },
    );
  });
});
