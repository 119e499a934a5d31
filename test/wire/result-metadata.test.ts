/**
 * Result-set column definitions as MySQL 8.0 sends them (its mysql-test metadata results): key
 * flags of indexed columns (PRI_KEY, UNIQUE_KEY, MULTIPLE_KEY, PART_KEY), BINARY on numeric and
 * temporal expressions but not on a table's numeric columns, character set 63 for numbers, the
 * decimals of strings; the same in the text protocol, in COM_STMT_PREPARE's column definitions
 * and in the execution's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type mysql from 'mysql2/promise';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { req } from '../helpers/req.js';

let srv: TestServer;
let c: mysql.Connection;

const F = { NOT_NULL: 1, PRI_KEY: 2, UNIQUE_KEY: 4, MULTIPLE_KEY: 8, BLOB: 16, UNSIGNED: 32, ZEROFILL: 64, BINARY: 128, NO_DEFAULT_VALUE: 4096, PART_KEY: 16384, NUM: 32768 } as const;

interface Field {
  name: string;
  flags: number;
  columnLength: number;
  decimals: number;
  characterSet: number;
}

const TABLE = 'CREATE TABLE m1 (id INT PRIMARY KEY, u INT UNSIGNED NOT NULL, k INT, uq VARCHAR(10) UNIQUE, d DECIMAL(6,2), f DOUBLE, s VARCHAR(20), dt DATETIME, KEY (k), KEY c2 (k, s))';

/** The expected flags of m1's columns (MySQL 8.0; NUM as its client library reports it). */
const EXPECTED: Record<string, number> = {
  id: F.NOT_NULL | F.PRI_KEY | F.NO_DEFAULT_VALUE | F.PART_KEY | F.NUM,
  u: F.NOT_NULL | F.UNSIGNED | F.NO_DEFAULT_VALUE | F.NUM,
  k: F.MULTIPLE_KEY | F.PART_KEY | F.NUM,
  uq: F.UNIQUE_KEY | F.PART_KEY,
  d: F.NUM,
  f: F.NUM,
  s: F.PART_KEY,
  dt: F.BINARY,
};

function flagsByName(fields: Field[]): Record<string, number> {
  return Object.fromEntries(fields.map((f) => [f.name, f.flags]));
}

beforeAll(async () => {
  srv = await startTestServer();
  c = await srv.connect();
  await c.query('CREATE DATABASE md');
  await c.query('USE md');
  await c.query(TABLE);
  await c.query("INSERT INTO m1 VALUES (1, 2, 3, 'a', 1.5, 2.5, 's', '2020-01-02 03:04:05')");
}, 60000);
afterAll(async () => {
  await c?.end();
  await srv?.stop();
});

describe('key and binary flags of table columns', () => {
  it(req(['CORE-DIAG-030', 'CORE-DIAG-031#binary'], 'wire', 'text protocol: PART_KEY on every indexed column, no BINARY on numeric columns'), async () => {
    const [, fields] = await c.query('SELECT * FROM m1');
    expect(flagsByName(fields as unknown as Field[])).toEqual(EXPECTED);
    expect((fields as unknown as Field[]).filter((f) => ['id', 'd', 'f'].includes(f.name)).map((f) => f.characterSet)).toEqual([63, 63, 63]);
  });
  it(req('CORE-DIAG-030', 'wire', 'COM_STMT_PREPARE and its execution send the same flags'), async () => {
    const stmt = await c.prepare('SELECT * FROM m1 WHERE id = ?');
    try {
      const prepared = (stmt as unknown as { statement: { columns: Field[] } }).statement.columns;
      expect(flagsByName(prepared)).toEqual(EXPECTED);
      const [, fields] = await stmt.execute([1]);
      expect(flagsByName(fields as unknown as Field[])).toEqual(EXPECTED);
    } finally {
      await stmt.close();
    }
  });
});

describe('expressions', () => {
  it(req(['CORE-DIAG-031#binary', 'CORE-DIAG-031#decimals'], 'wire', 'literals: numbers and NULL carry BINARY, a string literal has decimals 31'), async () => {
    const [, fields] = await c.query("SELECT 1, 1.0, NULL, 'hello', s FROM m1");
    const f = fields as unknown as Field[];
    expect(f.map((x) => x.flags)).toEqual([F.NOT_NULL | F.BINARY | F.NUM, F.NOT_NULL | F.BINARY | F.NUM, F.BINARY | F.NUM, F.NOT_NULL, F.PART_KEY]);
    expect(f.map((x) => x.decimals)).toEqual([0, 1, 0, 31, 0]);
    expect(f.map((x) => x.characterSet)).toEqual([63, 63, 63, 255, 255]);
  });
  it(req('CORE-DIAG-031#binary', 'wire', 'an expression over a numeric column carries BINARY, the column itself not'), async () => {
    const [, fields] = await c.query('SELECT k, k + 1 FROM m1');
    expect((fields as unknown as Field[]).map((x) => x.flags)).toEqual([F.MULTIPLE_KEY | F.PART_KEY | F.NUM, F.BINARY | F.NUM]);
  });
});
