/**
 * Session behaviour over the wire: transactions, user variables, SET errors, prepared
 * statements, KILL, LOCK TABLES, diagnostics.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type mysql from 'mysql2/promise';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { req } from '../helpers/req.js';
import { queryError, type QueryFailure } from '../helpers/sql.js';

let srv: TestServer;
let c: mysql.Connection;

async function q(sql: string, params?: unknown[]): Promise<unknown> {
  const [rows] = await c.query(sql, params);
  return rows;
}
function err(sql: string, conn: mysql.Connection = c): Promise<QueryFailure> {
  return queryError(conn, sql);
}

beforeAll(async () => {
  srv = await startTestServer();
  c = await srv.connect();
  await c.query('CREATE DATABASE sd');
  await c.query('USE sd');
  await c.query('CREATE TABLE m (id INT PRIMARY KEY, v INT) ENGINE=MEMORY');
}, 60000);
afterAll(async () => {
  await c?.end();
  await srv?.stop();
});

describe('transactions', () => {
  it(req(['CORE-EXEC-010', 'CORE-EXEC-005'], 'wire', 'ROLLBACK after changing a MEMORY table warns 1196 and keeps the change'), async () => {
    await q('START TRANSACTION');
    await q('INSERT INTO m VALUES (1, 1)');
    await q('ROLLBACK');
    expect(await q('SHOW WARNINGS')).toEqual([{ Level: 'Warning', Code: 1196, Message: "Some non-transactional changed tables couldn't be rolled back" }]);
    expect(await q('SELECT COUNT(*) AS n FROM m')).toEqual([{ n: 1 }]);
    await q('BEGIN');
    await q('COMMIT');
  });
  // Without any consistent-read engine the statement would warn 1105; InnoDB is always there.
  it(req('CORE-TXN-006', 'wire', 'START TRANSACTION WITH CONSISTENT SNAPSHOT starts InnoDB\'s snapshot without a warning'), async () => {
    await q('START TRANSACTION WITH CONSISTENT SNAPSHOT');
    expect(await q('SHOW WARNINGS')).toEqual([]);
    await q('COMMIT');
  });
  it(req('CORE-EXEC-011', 'wire', 'savepoints: unknown savepoint is 1305'), async () => {
    await q('START TRANSACTION');
    await q('SAVEPOINT s1');
    await q('ROLLBACK TO SAVEPOINT s1');
    await q('RELEASE SAVEPOINT s1');
    expect(await err('ROLLBACK TO SAVEPOINT s1')).toEqual({ errno: 1305, message: 'SAVEPOINT s1 does not exist' });
    await q('COMMIT');
  });
  it(req('CORE-EXEC-017', 'wire', 'SET TRANSACTION inside a transaction is 1568; READ ONLY transaction refuses writes'), async () => {
    await q('START TRANSACTION');
    expect(await err('SET TRANSACTION ISOLATION LEVEL READ COMMITTED')).toMatchObject({ errno: 1568 });
    await q('COMMIT');
    await q('SET TRANSACTION ISOLATION LEVEL READ COMMITTED');
    await q('START TRANSACTION READ ONLY');
    expect(await err('INSERT INTO m VALUES (9, 9)')).toEqual({ errno: 1792, message: 'Cannot execute statement in a READ ONLY transaction.' });
    await q('COMMIT');
  });
  it(req('CORE-EXEC-006', 'wire', 'autocommit and the in-transaction status'), async () => {
    await q('SET autocommit = 0');
    expect(await q('SELECT @@autocommit AS a')).toEqual([{ a: 0 }]);
    await q('INSERT INTO m VALUES (2, 2)');
    await q('SET autocommit = 1');
    expect(await q('SELECT @@autocommit AS a')).toEqual([{ a: 1 }]);
  });
});

describe('variables', () => {
  it(req('CORE-EXEC-015', 'wire', 'user variables keep their types'), async () => {
    await q("SET @a = 5, @b = 'x', @c = 1.5");
    expect(await q('SELECT @a + 1 AS a, @b AS b, @c AS c, @undefined AS u')).toEqual([{ a: 6, b: 'x', c: '1.5', u: null }]);
    await q('SELECT @n := COUNT(*) FROM m');
    expect(await q('SELECT @n AS n')).toEqual([{ n: 2 }]);
  });
  it(req('CORE-EXEC-016', 'wire', 'SET errors: unknown, read only, global-only, wrong value'), async () => {
    expect(await err('SET nosuch_var = 1')).toEqual({ errno: 1193, message: "Unknown system variable 'nosuch_var'" });
    expect(await err('SET @@version = 1')).toMatchObject({ errno: 1238 });
    expect(await err('SET max_connections = 10')).toEqual({ errno: 1229, message: "Variable 'max_connections' is a GLOBAL variable and should be set with SET GLOBAL" });
    expect(await err("SET autocommit = 'maybe'")).toEqual({ errno: 1231, message: "Variable 'autocommit' can't be set to the value of 'maybe'" });
    await q("SET SESSION sql_mode = 'ANSI_QUOTES'");
    expect(await q('SELECT @@sql_mode AS m')).toEqual([{ m: 'ANSI_QUOTES' }]);
    await q('SET sql_mode = DEFAULT');
  });
  it(req('CORE-EXEC-003', 'wire', 'SHOW WARNINGS after a truncation and @@warning_count'), async () => {
    await q("SELECT CAST('12abc' AS SIGNED) AS v");
    expect(await q('SHOW WARNINGS')).toEqual([{ Level: 'Warning', Code: 1292, Message: "Truncated incorrect INTEGER value: '12abc'" }]);
    expect(await q('SHOW COUNT(*) WARNINGS')).toEqual([{ '@@session.warning_count': 1 }]);
    expect(await q('SELECT @@warning_count AS w')).toEqual([{ w: 1 }]);
    expect((await err('SELEC 1')).errno).toBe(1064);
    const errs = (await q('SHOW ERRORS')) as { Level: string; Code: number }[];
    expect(errs).toHaveLength(1);
    expect(errs[0]).toMatchObject({ Level: 'Error', Code: 1064 });
    expect((await err('SELECT * FROM nosuch_table')).errno).toBe(1146);
    expect(await q('SHOW WARNINGS')).toEqual([{ Level: 'Error', Code: 1146, Message: "Table 'sd.nosuch_table' doesn't exist" }]);
  });
});

describe('prepared statements', () => {
  it(req('CORE-EXEC-020', 'wire', 'binary protocol prepare/execute with parameters'), async () => {
    for (let i = 10; i < 15; i++) await c.execute('INSERT INTO m VALUES (?, ?)', [i, i * 10]);
    const [rows] = await c.execute('SELECT v FROM m WHERE id = ?', [12]);
    expect(rows).toEqual([{ v: 120 }]);
    const [r2] = await c.execute('SELECT SUM(v) AS s FROM m WHERE id BETWEEN ? AND ?', [10, 14]);
    expect(r2).toEqual([{ s: '600' }]);
    const [r3] = await c.execute('SELECT DISTINCT v FROM m WHERE id BETWEEN ? AND ? ORDER BY v DESC', [10, 12]);
    expect(r3).toEqual([{ v: 120 }, { v: 110 }, { v: 100 }]);
    // ranges over the MEMORY table's HASH primary key
    expect(await q('SELECT id FROM m WHERE id > 10 AND id < 13 ORDER BY id')).toEqual([{ id: 11 }, { id: 12 }]);
    expect(await q('SELECT id FROM m WHERE id BETWEEN 13 AND 10')).toEqual([]);
    expect(await q('SELECT COUNT(*) AS n FROM m WHERE id BETWEEN -5 AND 100000')).toEqual([{ n: 7 }]);
  });
  it(req('CORE-EXEC-020', 'wire', 'SQL PREPARE / EXECUTE / DEALLOCATE'), async () => {
    await q("PREPARE st FROM 'SELECT v FROM m WHERE id = ?'");
    await q('SET @id = 13');
    expect(await q('EXECUTE st USING @id')).toEqual([{ v: 130 }]);
    await q('DEALLOCATE PREPARE st');
    expect(await err('EXECUTE st USING @id')).toEqual({ errno: 1243, message: 'Unknown prepared statement handler (st) given to EXECUTE' });
  });
});

describe('KILL and locks', () => {
  it(req(['CORE-EXEC-008', 'CORE-EXEC-012'], 'wire', 'KILL QUERY interrupts SLEEP; unknown thread is 1094'), async () => {
    const other = await srv.connect();
    try {
      const [idRows] = await other.query('SELECT CONNECTION_ID() AS id');
      const id = (idRows as { id: number }[])[0]!.id;
      const sleeping = other.query('SELECT SLEEP(30) AS s');
      for (let i = 0; i < 200; i++) {
        const [pl] = await c.query('SHOW PROCESSLIST');
        if ((pl as { Id: number; Command: string }[]).some((r) => r.Id === id && r.Command === 'Query')) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      await q(`KILL QUERY ${id}`);
      const [res] = await sleeping;
      expect(res).toEqual([{ s: 1 }]);
      expect(await err('KILL 999999')).toEqual({ errno: 1094, message: 'Unknown thread id: 999999' });
    } finally {
      await other.end();
    }
  });
  it(req('CORE-EXEC-014', 'wire', 'LOCK TABLES: 1100 for unlocked tables, 1099 for writes under READ'), async () => {
    await q('CREATE TABLE lt (id INT)');
    await q('LOCK TABLES m READ');
    expect(await err('SELECT * FROM lt')).toEqual({ errno: 1100, message: "Table 'lt' was not locked with LOCK TABLES" });
    expect(await err('INSERT INTO m VALUES (100, 1)')).toEqual({ errno: 1099, message: "Table 'm' was locked with a READ lock and can't be updated" });
    await q('UNLOCK TABLES');
    expect(await q('SELECT COUNT(*) AS n FROM lt')).toEqual([{ n: 0 }]);
  });
});
