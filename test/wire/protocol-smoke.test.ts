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

  it(req('CORE-PROTO-004', 'wire', 'the session sees the client capabilities, collation and connection attributes'), async () => {
    const c = await mysql.createConnection({ host: '127.0.0.1', port: srv.port, user: 'root', charset: 'utf8mb4_general_ci', connectAttributes: { program_name: 'proto-test' } });
    const info = srv.fake.sessions.at(-1)!.conn;
    expect(info.clientCollationId).toBe(45);
    expect((info.clientCapabilities ?? 0) & 2).toBe(2); // mysql2 asks for CLIENT_FOUND_ROWS
    expect(info.connectAttributes?.get('program_name')).toBe('proto-test');
    await c.end();
  });
});
