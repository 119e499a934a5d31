import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mysql from 'mysql2/promise';
import { req } from '../helpers/req.js';
import { startTestServer, type TestServer } from '../unit/protocol/listen.js';

let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer();
});
afterAll(async () => {
  await srv.close();
});

describe('smoke', () => {
  it(req('CORE-PROTO-003', 'wire', 'mysql2 connects with an empty password and runs SELECT 1'), async () => {
    const c = await mysql.createConnection({ host: '127.0.0.1', port: srv.port, user: 'root' });
    const [rows] = await c.query('SELECT 1');
    expect(rows).toEqual([{ 1: 1 }]);
    await c.end();
  });
});
