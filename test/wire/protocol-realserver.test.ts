import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { req } from '../helpers/req.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer();
});
afterAll(async () => {
  await srv?.stop();
});

describe('protocol against the composed server', () => {
  it(req(['CORE-PROTO-003', 'CORE-PROTO-012'], 'wire', 'mysql2 logs in as root and runs text and prepared queries'), async () => {
    const c = await srv.connect();
    const [rows] = await c.query('SELECT 1 AS a, VERSION() AS v');
    expect(rows).toEqual([{ a: 1, v: '8.0.40-refmysql' }]);
    const [prep] = await c.execute('SELECT ? + 1 AS x', [41]);
    expect(prep).toEqual([{ x: 42 }]);
    await c.end();
  });
});
