/**
 * INSERT ... VALUES and INSERT ... SET with expressions that wait (SLEEP, GET_LOCK): the value
 * inserted is the expression's result, evaluated when the row is built, never the pending
 * computation itself. Found by MariaDB's mtr test innodb.innodb-autoinc-61209, which inserts
 * `NULL + GET_LOCK('a', 10)`. (That test also needs GET_LOCK to wait for a lock another session
 * holds, which refmysqld's named locks do not do yet: see spec/peers-mtr-innodb.md.)
 */
import type mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { req } from '../helpers/req.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let srv: TestServer;
let a: mysql.Connection;

async function rows(c: mysql.Connection, sql: string): Promise<unknown[][]> {
  const [r] = await c.query({ sql, rowsAsArray: true });
  return r as unknown[][];
}

beforeAll(async () => {
  srv = await startTestServer();
  a = await srv.connect();
  await a.query('CREATE DATABASE av');
  await a.query('USE av');
});

afterAll(async () => {
  await a?.end();
  await srv?.stop();
});

describe('INSERT with waiting expressions', () => {
  it(req(['CORE-EXPR-091', 'CORE-EXPR-093', 'CORE-EXEC-050'], 'wire', 'VALUES and SET store the result of SLEEP and GET_LOCK, also in later rows and columns'), async () => {
    await a.query('CREATE TABLE t (id INT AUTO_INCREMENT PRIMARY KEY, x INT, y INT) ENGINE=InnoDB');
    await a.query('INSERT INTO t (x) VALUES (SLEEP(0))');
    await a.query("INSERT INTO t SET x = GET_LOCK('free', 1)");
    // The second column reads the first after the wait; the second row waits too.
    await a.query('INSERT INTO t (x, y) VALUES (7, x + SLEEP(0)), (SLEEP(0) + 8, x)');
    expect(await rows(a, 'SELECT id, x, y FROM t ORDER BY id')).toEqual([
      [1, 0, null],
      [2, 1, null],
      [3, 7, 7],
      [4, 8, 8],
    ]);
    await a.query("DO RELEASE_LOCK('free')");
  });
});
