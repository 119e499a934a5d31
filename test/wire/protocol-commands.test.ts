import mariadb from 'mariadb';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Decimal, Temporal } from '../../src/kernel/value.js';
import { req } from '../helpers/req.js';
import { startTestServer, type TestServer } from '../unit/protocol/listen.js';
import { RawClient } from '../unit/protocol/raw-client.js';
import { Command } from '../../src/protocol/constants.js';

let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer();
});
afterAll(async () => {
  await srv.close();
});

const opts = () => ({ host: '127.0.0.1', port: srv.port, user: 'root', supportBigNumbers: true, bigNumberStrings: true, dateStrings: true as const });

describe('COM_QUERY with mysql2', () => {
  it(req(['CORE-PROTO-011', 'CORE-PROTO-012'], 'wire', 'text result sets carry column metadata and rows'), async () => {
    const c = await mysql.createConnection(opts());
    const [rows, fields] = await c.query('SELECT ROWS 3');
    expect(rows).toEqual([
      { id: '1', name: 'name1' },
      { id: '2', name: 'name2' },
      { id: '3', name: 'name3' },
    ]);
    expect(fields.map((f) => f.name)).toEqual(['id', 'name']);
    expect(fields[0]!.columnType).toBe(8);
    await c.end();
  });

  it(req('CORE-PROTO-010', 'wire', 'OK packets carry affected rows and the last insert id'), async () => {
    const c = await mysql.createConnection(opts());
    const [res] = await c.query('INSERT INTO t VALUES (1)');
    expect(res).toMatchObject({ affectedRows: 1, insertId: 42 });
    const [upd] = await c.query('UPDATE t SET a = 2');
    expect(upd).toMatchObject({ affectedRows: 1, changedRows: 1, info: 'Rows matched: 1  Changed: 1  Warnings: 0' });
    const [pupd] = await c.execute('UPDATE t SET a = ?', [3]);
    expect(pupd).toMatchObject({ affectedRows: 1, changedRows: 1, info: 'Rows matched: 1  Changed: 1  Warnings: 0' });
    await c.end();
  });

  it(req('CORE-PROTO-010', 'wire', 'statement errors arrive as ERR packets with SQLSTATE'), async () => {
    const c = await mysql.createConnection(opts());
    await expect(c.query('SELECT ERROR')).rejects.toMatchObject({ errno: 1146, sqlState: '42S02', sqlMessage: "Table 'test.nope' doesn't exist" });
    const [rows] = await c.query('SELECT 1');
    expect(rows).toEqual([{ 1: '1' }]);
    await c.end();
  });

  it(req(['CORE-PROTO-012', 'CORE-PERF-045'], 'wire', 'every column type is spelled in text rows'), async () => {
    const c = await mysql.createConnection(opts());
    const [rows] = await c.query({ sql: 'SELECT ALLTYPES', typeCast: (f: { string(): string | null }) => f.string() });
    expect(rows).toEqual([
      {
        tiny: '-5', utiny: '250', short: '-300', int24: '70000', long: '-2000000000', longlong: '-9007199254740993',
        ulonglong: '18446744073709551615', float: '1.5', double: '3.25', decimal: '123.45', date: '2024-02-29',
        datetime: '2024-02-29 13:14:15.123456', timestamp: '1999-12-31 23:59:59', time: '50:30:15', ntime: '-01:02:03',
        year: '2024', varchar: 'héllo', blob: '\u0000\u0001\u0002\u00ff', json: '{"a": 1}', bit: '\u0000\u0005', enum: 'b', nul: null, nullint: null,
      },
    ]);
    await c.end();
  });

  it(req('CORE-PROTO-013', 'wire', 'multiple statements return multiple results'), async () => {
    const c = await mysql.createConnection({ ...opts(), multipleStatements: true });
    const [results] = await c.query('SELECT 1; SELECT ROWS 2; INSERT INTO t VALUES (1)');
    const r = results as unknown[];
    expect(r.length).toBe(3);
    expect(r[0]).toEqual([{ 1: '1' }]);
    expect(r[1]).toEqual([
      { id: '1', name: 'name1' },
      { id: '2', name: 'name2' },
    ]);
    expect(r[2]).toMatchObject({ affectedRows: 1 });
    await expect(c.query('SELECT 1; SELECT ERROR')).rejects.toMatchObject({ errno: 1146 });
    const [again] = await c.query('SELECT 1');
    expect(again).toEqual([{ 1: '1' }]);
    await c.end();
  });

  it(req('CORE-PROTO-013', 'wire', 'without CLIENT_MULTI_STATEMENTS several statements are a syntax error'), async () => {
    const c = await mysql.createConnection(opts());
    await expect(c.query('SELECT 1; SELECT 1')).rejects.toMatchObject({ errno: 1064 });
    await c.end();
  });

  it(req('CORE-PROTO-015', 'wire', 'COM_PING answers OK'), async () => {
    // Byte level: the answer to COM_PING is one OK packet (header 0x00, no rows affected, no
    // insert id, SERVER_STATUS_AUTOCOMMIT, no warnings) with sequence id 1, and nothing else.
    const raw = await RawClient.login(srv.port);
    raw.command(Command.PING);
    const p = await raw.read();
    expect(p?.seq).toBe(1);
    expect([...p!.payload]).toEqual([0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00]);
    // The connection stays usable and no extra packet followed the OK.
    raw.command(Command.PING);
    expect([...(await raw.read())!.payload]).toEqual([0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00]);
    await raw.quit();
    // Real connectors: mysql2's and the mariadb connector's ping resolve only on an OK, and the
    // connection is still in step afterwards.
    const c = await mysql.createConnection(opts());
    await c.ping(); // rejects on an ERR packet or a closed connection
    const [rows] = await c.query('SELECT 1');
    expect(rows).toEqual([{ 1: '1' }]);
    await c.end();
    const m = await mariadb.createConnection({ host: '127.0.0.1', port: srv.port, user: 'root' });
    await m.ping();
    expect(await m.query('SELECT 1')).toEqual([{ 1: 1n }]);
    await m.end();
  });

  it(req('CORE-PROTO-019', 'wire', 'COM_RESET_CONNECTION resets the session'), async () => {
    const c = await mysql.createConnection(opts());
    await c.reset();
    expect(srv.fake.sessions.at(-1)!.resets).toBe(1);
    await c.end();
  });

  it(req(['CORE-PROTO-002', 'CORE-PERF-045'], 'wire', 'a query and a result larger than 16 MiB round-trip'), async () => {
    const c = await mysql.createConnection(opts());
    const big = 'x'.repeat(17 * 1024 * 1024) + 'END';
    const [rows] = await c.query(`SELECT '${big}'`);
    const s = (rows as { s: string }[])[0]!.s;
    expect(s.length).toBe(big.length);
    expect(s.endsWith('xEND')).toBe(true);
    await c.end();
  });

  it(req('CORE-PROTO-020', 'wire', 'a packet above max_allowed_packet gives 1153 and closes the connection'), async () => {
    const s = await startTestServer({ vars: { max_allowed_packet: 1048576n } });
    try {
      const c = await mysql.createConnection({ host: '127.0.0.1', port: s.port, user: 'root' });
      const stream = (c as unknown as { connection: { stream: { once(ev: 'close', f: () => void): void } } }).connection.stream;
      const closed = new Promise<void>((resolve) => stream.once('close', () => resolve()));
      await expect(c.query(`SELECT '${'y'.repeat(2 * 1048576)}'`)).rejects.toMatchObject({ errno: 1153 });
      await closed;
      // Other clients are unaffected.
      const d = await mysql.createConnection({ host: '127.0.0.1', port: s.port, user: 'root' });
      await d.query('SELECT 1');
      await d.end();
    } finally {
      await s.close();
    }
  });

  it(req('CORE-PROTO-021', 'wire', 'an idle connection past wait_timeout gets error 4031 and is closed'), async () => {
    const s = await startTestServer({ vars: { wait_timeout: 1n } });
    try {
      const c = await mysql.createConnection({ host: '127.0.0.1', port: s.port, user: 'root' });
      // mysql2 reports an unsolicited ERR packet as a protocol error carrying the code and text.
      const err = await new Promise<{ code?: unknown; message: string }>((resolve) => c.on('error', (e: { code?: unknown; message: string }) => resolve(e)));
      expect(err.code).toBe(4031);
      expect(err.message).toContain('disconnected by the server because of inactivity');
      c.destroy();
    } finally {
      await s.close();
    }
  });
});

describe('prepared statements with mysql2', () => {
  it(req(['CORE-PROTO-030', 'CORE-PROTO-031'], 'wire', 'parameters of every JavaScript type are decoded'), async () => {
    const c = await mysql.createConnection(opts());
    const params = [7, 1.5, 123456789012345678n, true, 'héllo', Buffer.from([0, 255]), null, new Date(Date.UTC(2024, 1, 29, 13, 14, 15, 250)), { a: [1] }];
    await c.execute('SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?', params);
    const got = srv.fake.sessions.at(-1)!.executed.at(-1)!;
    expect(got[0]).toBe(7);
    expect(got[1]).toBe(1.5);
    expect(got[2]).toBe('123456789012345678'); // mysql2 sends BigInt as a string
    expect(got[3]).toBe(1n);
    expect(got[4]).toBe('héllo');
    expect(got[5]).toEqual(Buffer.from([0, 255]));
    expect(got[6]).toBeNull();
    expect(got[7]).toBeInstanceOf(Temporal);
    expect((got[7] as Temporal).year).toBe(2024);
    expect((got[7] as Temporal).micro).toBe(250000);
    expect(got[8]).toBe('{"a":[1]}');
    await c.end();
  });

  it(req('CORE-PROTO-031', 'wire', 'typed parameters incl. unsigned integers, DECIMAL, DATE and TIME are decoded'), async () => {
    const c = await mysql.createConnection(opts());
    const T = (mysql as unknown as { TypedParameter: Record<string, ((v: unknown) => unknown) & { unsigned?: (v: unknown) => unknown }> }).TypedParameter;
    const params = [
      T.TINY!(-5), T.TINY!.unsigned!(250), T.SHORT!(-300), T.LONG!(-2000000000), T.LONGLONG!.unsigned!(18446744073709551615n),
      T.FLOAT!(1.5), T.NEWDECIMAL!('123.45'), T.DATE!(new Date(Date.UTC(2024, 1, 29))), T.TIME!('-50:30:15.5'), T.BLOB!(Buffer.from('ab')),
    ];
    await c.execute({ sql: 'SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?', timezone: 'Z' }, params as unknown as Parameters<typeof c.execute>[1]);
    const got = srv.fake.sessions.at(-1)!.executed.at(-1)!;
    expect(got.slice(0, 5)).toEqual([-5n, 250n, -300n, -2000000000n, 18446744073709551615n]);
    expect(got[5]).toBe(1.5);
    expect(got[6]).toEqual(new Decimal(12345n, 2));
    expect((got[7] as Temporal).toString().slice(0, 10)).toBe('2024-02-29');
    const t = got[8] as Temporal;
    expect([t.kind, t.negative, t.hour, t.minute, t.second, t.micro]).toEqual(['TIME', true, 50, 30, 15, 500000]);
    expect(got[9]).toEqual(Buffer.from('ab'));
    await c.end();
  });

  it(req('CORE-PROTO-032', 'wire', 'binary result rows decode for every column type'), async () => {
    const c = await mysql.createConnection(opts());
    const [rows] = await c.execute('SELECT ALLTYPES');
    const r = (rows as Record<string, unknown>[])[0]!;
    expect(r).toMatchObject({
      tiny: -5, utiny: 250, short: -300, int24: 70000, long: -2000000000, longlong: '-9007199254740993', ulonglong: '18446744073709551615',
      float: 1.5, double: 3.25, decimal: '123.45', date: '2024-02-29', datetime: '2024-02-29 13:14:15.123456', timestamp: '1999-12-31 23:59:59',
      time: '50:30:15', ntime: '-01:02:03', year: 2024, varchar: 'héllo', json: { a: 1 }, enum: 'b', nul: null, nullint: null,
    });
    expect(r.blob).toEqual(Buffer.from([0, 1, 2, 255]));
    expect(r.bit).toEqual(Buffer.from([0, 5]));
    await c.end();
  });

  it(req(['CORE-PROTO-030', 'CORE-PROTO-034'], 'wire', 'prepare errors, re-execution and statement close'), async () => {
    const c = await mysql.createConnection(opts());
    await expect(c.execute('SELECT ERROR')).rejects.toMatchObject({ errno: 1146 });
    const st = await c.prepare('SELECT ?');
    const [a] = await st.execute([1]);
    const [b] = await st.execute(['two']);
    expect(a).toEqual([{ p0: 1 }]);
    expect(b).toEqual([{ p0: 'two' }]);
    st.close();
    const [rows] = await c.query('SELECT 1');
    expect(rows).toEqual([{ 1: '1' }]);
    await c.end();
  });
});

describe('mariadb connector (more)', () => {
  it(req(['CORE-PROTO-002', 'CORE-PROTO-031'], 'wire', 'mariadb connector: >16 MiB query, parameter types, ping and reset'), async () => {
    const c = await mariadb.createConnection({ host: '127.0.0.1', port: srv.port, user: 'root', maxAllowedPacket: 67108864 });
    const big = 'z'.repeat(16 * 1024 * 1024 + 10);
    const r = (await c.query(`SELECT '${big}'`)) as { s: string }[];
    expect(r[0]!.s.length).toBe(big.length);
    await c.execute('SELECT ?, ?, ?, ?, ?, ?', [42n, true, Buffer.from([1, 2]), new Date(Date.UTC(2020, 0, 2, 3, 4, 5)), 2.5, null]);
    const got = srv.fake.sessions.at(-1)!.executed.at(-1)!;
    expect(got[0]).toBe(42n);
    expect(got[1] === 1n || got[1] === 1 || got[1] === '1').toBe(true);
    expect(got[2]).toEqual(Buffer.from([1, 2]));
    expect(got[3]).toBeInstanceOf(Temporal);
    expect(got[4]).toBe(2.5);
    expect(got[5]).toBeNull();
    await c.ping();
    await c.reset();
    await c.end();
  });
});

describe('mariadb connector', () => {
  it(req(['CORE-PROTO-012', 'CORE-PROTO-032'], 'wire', 'text and binary results through the mariadb connector'), async () => {
    const c = await mariadb.createConnection({ host: '127.0.0.1', port: srv.port, user: 'root', dateStrings: true, bigIntAsNumber: false, multipleStatements: true });
    expect(await c.query('SELECT ROWS 2')).toEqual([
      { id: 1n, name: 'name1' },
      { id: 2n, name: 'name2' },
    ]);
    const multi = (await c.query('SELECT 1; SELECT 1')) as unknown[];
    expect(multi.length).toBe(2);
    const bin = (await c.execute('SELECT ALLTYPES')) as Record<string, unknown>[];
    expect(bin[0]).toMatchObject({ tiny: -5, utiny: 250, short: -300, long: -2000000000, longlong: -9007199254740993n, varchar: 'héllo', date: '2024-02-29', nul: null });
    const echo = (await c.execute('SELECT ?, ?, ?', [5, 'x', null])) as Record<string, unknown>[];
    expect(echo.length).toBe(1);
    const got = srv.fake.sessions.at(-1)!.executed.at(-1)!;
    expect(got[1]).toBe('x');
    expect(got[2]).toBeNull();
    await c.end();
  });
});
