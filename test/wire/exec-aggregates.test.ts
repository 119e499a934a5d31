/**
 * Aggregate functions as the executor computes them, through mysql2 over a socket: the same cases
 * the former stand-alone aggregate module was unit-tested with, now against the code the server
 * actually runs (src/exec/query/aggregates.ts).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/aggregate-functions.html
 * @req CORE-EXPR-080 CORE-EXPR-081 CORE-EXPR-082 CORE-EXPR-083
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type mysql from 'mysql2/promise';
import { req } from '../helpers/req.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { firstRow } from '../helpers/sql.js';

let srv: TestServer;
let c: mysql.Connection;

const row = (sql: string): Promise<unknown[]> => firstRow(c, sql);

beforeAll(async () => {
  srv = await startTestServer();
  c = await srv.connect({ supportBigNumbers: true, bigNumberStrings: true, dateStrings: true });
  await c.query('CREATE DATABASE agg');
  await c.query('USE agg');
  await c.query('CREATE TABLE i (x INT)');
  await c.query('INSERT INTO i VALUES (1), (2), (NULL), (2)');
  await c.query('CREATE TABLE e (x INT)');
  await c.query('CREATE TABLE d (x DECIMAL(5,2), f DOUBLE)');
  await c.query('INSERT INTO d VALUES (1.50, 0.1), (2.50, 0.2)');
  await c.query('CREATE TABLE s (x VARCHAR(10), b VARCHAR(10) COLLATE utf8mb4_bin)');
  await c.query("INSERT INTO s VALUES ('b', 'b'), ('A', 'a'), ('c', 'B')");
  await c.query('CREATE TABLE n (x INT)');
  await c.query('INSERT INTO n VALUES (1), (2), (3), (4)');
});

afterAll(async () => {
  await c?.end();
  await srv?.stop();
});

describe('aggregate functions', () => {
  it(req('CORE-EXPR-080', 'wire', 'COUNT, SUM, AVG with exact and inexact inputs'), async () => {
    expect(await row('SELECT COUNT(*), COUNT(x), COUNT(DISTINCT x), SUM(x), SUM(DISTINCT x), AVG(x) FROM i')).toEqual(['4', '3', '2', '5', '3', '1.6667']);
    expect(await row('SELECT AVG(x), SUM(f) FROM d')).toEqual(['2.000000', 0.30000000000000004]);
    expect(await row('SELECT SUM(x), COUNT(x) FROM e')).toEqual([null, '0']);
  });

  it(req('CORE-EXPR-081', 'wire', 'MIN/MAX are collation-aware; BIT_*; variance family'), async () => {
    expect(await row('SELECT MIN(x), MAX(x), MIN(b) FROM s')).toEqual(['A', 'c', 'B']);
    expect(await row("SELECT BIT_OR(x), BIT_XOR(x) FROM (SELECT 1 AS x UNION ALL SELECT 4) t")).toEqual(['5', '5']);
    expect(await row('SELECT BIT_AND(x) FROM e')).toEqual(['18446744073709551615']);
    expect(await row('SELECT BIT_XOR(x) FROM (SELECT 3 AS x UNION ALL SELECT 1) t')).toEqual(['2']);
    const [varPop, stddev, varSamp] = await row('SELECT VAR_POP(x), (SELECT STDDEV_SAMP(y) FROM (SELECT 2 AS y UNION ALL SELECT 4) t), (SELECT VAR_SAMP(y) FROM (SELECT 2 AS y) t) FROM n');
    expect(varPop).toBe(1.25);
    expect(stddev as number).toBeCloseTo(Math.SQRT2, 12);
    expect(varSamp).toBe(null);
  });

  it(req('CORE-EXPR-082', 'wire', 'GROUP_CONCAT with DISTINCT, ORDER BY, SEPARATOR and the length limit (1260)'), async () => {
    expect(await row("SELECT GROUP_CONCAT(x) FROM (SELECT 'b' AS x UNION ALL SELECT 'a' UNION ALL SELECT NULL UNION ALL SELECT 'b') t")).toEqual(['b,a,b']);
    expect(await row("SELECT GROUP_CONCAT(DISTINCT x) FROM (SELECT 'b' AS x UNION ALL SELECT 'a' UNION ALL SELECT 'B') t")).toEqual(['b,a']);
    expect(await row("SELECT GROUP_CONCAT(x ORDER BY x DESC SEPARATOR '-') FROM (SELECT 'a' AS x UNION ALL SELECT 'c' UNION ALL SELECT 'b') t")).toEqual(['c-b-a']);
    await c.query('CREATE TABLE g (x CHAR(5))');
    const values = Array.from({ length: 300 }, (_v, k) => `('${String(k).padStart(5, '0')}')`).join(',');
    await c.query(`INSERT INTO g VALUES ${values}`);
    const [v] = await row('SELECT GROUP_CONCAT(x) FROM g');
    expect((v as string).length).toBe(1024);
    const [warnings] = await c.query({ sql: 'SHOW WARNINGS', rowsAsArray: true });
    expect(warnings).toEqual([['Warning', 1260, 'Row 171 was cut by GROUP_CONCAT()']]);
  });

  it(req('CORE-EXPR-083', 'wire', 'JSON_ARRAYAGG and JSON_OBJECTAGG'), async () => {
    // CAST ... AS CHAR: the JSON text as the server prints it (mysql2 would parse a JSON column).
    expect(await row('SELECT CAST(JSON_ARRAYAGG(x) AS CHAR) FROM (SELECT 1 AS x UNION ALL SELECT NULL UNION ALL SELECT 2) t')).toEqual(['[1, null, 2]']);
    expect(await row("SELECT CAST(JSON_OBJECTAGG(k, v) AS CHAR) FROM (SELECT 'b' AS k, 1 AS v UNION ALL SELECT 'a', 2) t")).toEqual(['{"a": 2, "b": 1}']);
  });
});
