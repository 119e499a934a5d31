import * as net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Capability, Command } from '../../../src/protocol/constants.js';
import { encodePacketBuffer, PayloadReader, PayloadWriter } from '../../../src/protocol/packet-codec.js';
import { MysqlType } from '../../../src/kernel/column-type.js';
import { req } from '../../helpers/req.js';
import { startTestServer, type TestServer } from './listen.js';
import { CLIENT_CAPS, errOf, RawClient } from './raw-client.js';

let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer();
});
afterAll(async () => {
  await srv.close();
});

function ok(p: { payload: Buffer } | null | undefined): boolean {
  return !!p && p.payload[0] === 0x00;
}

describe('greeting', () => {
  it(req('CORE-PROTO-003', 'unit', 'Handshake v10 carries version, connection id, 20-byte scramble, capabilities and caching_sha2_password'), async () => {
    const c = await RawClient.connect(srv.port);
    const g = (await c.read())!;
    expect(g.seq).toBe(0);
    const r = new PayloadReader(g.payload);
    expect(r.int1()).toBe(10);
    expect(r.nulBytes().toString()).toBe('8.0.40-refmysql');
    expect(r.int4()).toBeGreaterThan(0);
    const s1 = r.bytes(8);
    r.skip(1);
    const capLow = r.int2();
    expect(r.int1()).toBe(255);
    r.int2();
    const caps = (capLow | (r.int2() << 16)) >>> 0;
    expect(r.int1()).toBe(21);
    r.skip(10);
    const s2 = r.bytes(13);
    expect(s2[12]).toBe(0);
    expect(Buffer.concat([s1, s2.subarray(0, 12)]).length).toBe(20);
    expect(r.nulBytes().toString()).toBe('caching_sha2_password');
    for (const f of ['PROTOCOL_41', 'SECURE_CONNECTION', 'PLUGIN_AUTH', 'PLUGIN_AUTH_LENENC_CLIENT_DATA', 'CONNECT_WITH_DB', 'CONNECT_ATTRS', 'MULTI_STATEMENTS', 'MULTI_RESULTS', 'PS_MULTI_RESULTS', 'DEPRECATE_EOF', 'TRANSACTIONS'] as const) {
      expect(caps & Capability[f]).toBe(Capability[f]);
    }
    expect(caps & Capability.SSL).toBe(0);
    // LOAD DATA LOCAL: offered, as MySQL does (local_infile decides; spec/core-load.md).
    expect(caps & Capability.LOCAL_FILES).toBe(Capability.LOCAL_FILES);
    c.destroy();
  });

  it(req('CORE-PROTO-004', 'unit', 'a malformed handshake response gets ERR 1043 and the connection closes'), async () => {
    const c = await RawClient.connect(srv.port);
    await c.read();
    c.send(Buffer.from([1, 2, 3]), 1);
    const e = errOf(await c.read());
    expect(e).toEqual({ code: 1043, state: '08S01', message: 'Bad handshake' });
    expect(await c.read()).toBeNull();
  });
});

describe('shutdown', () => {
  it(req('CORE-PROTO-014', 'unit', 'closeAll sends 1053 to idle sessions and closes every connection'), async () => {
    const s = await startTestServer();
    const c = await RawClient.login(s.port);
    const half = await RawClient.connect(s.port);
    await half.read();
    await s.close();
    expect(errOf(await c.read())).toEqual({ code: 1053, state: '08S01', message: 'Server shutdown in progress' });
    expect(await c.read()).toBeNull();
    expect(await half.read()).toBeNull();
    expect(s.fake.sessions.every((x) => x.closed)).toBe(true);
  });
});

describe('connection phase limits', () => {
  it(req('CORE-PROTO-023', 'unit', 'a client that never answers the greeting is disconnected after connect_timeout'), async () => {
    const s = await startTestServer({ vars: { connect_timeout: 1n } });
    try {
      const c = await RawClient.connect(s.port);
      expect((await c.read())!.payload[0]).toBe(10);
      expect(await c.read()).toBeNull();
    } finally {
      await s.close();
    }
  });
});

describe('authentication edge cases', () => {
  async function handshake(port: number, caps: number, user: string): Promise<RawClient> {
    const c = await RawClient.connect(port);
    await c.read();
    const w = new PayloadWriter().int4(caps).int4(16777216).int1(255).zeros(23).nulStr(user).int1(0);
    c.send(w.finish(), 1);
    return c;
  }

  it(req('CORE-PROTO-009', 'unit', 'a client that cannot switch plugins gets 1251 for a caching_sha2_password account'), async () => {
    const caps = (Capability.PROTOCOL_41 | Capability.SECURE_CONNECTION) >>> 0;
    const c = await handshake(srv.port, caps, 'sha2');
    expect(errOf(await c.read())).toEqual({
      code: 1251,
      state: '08004',
      message: 'Client does not support authentication protocol requested by server; consider upgrading MySQL client',
    });
    c.destroy();
  });

  it(req('CORE-PROTO-009', 'unit', 'an expired password is refused with 1862 unless the client can handle it'), async () => {
    const s = await startTestServer({ accounts: [{ user: 'old', plugin: 'mysql_native_password', password: '', passwordExpired: true }] });
    try {
      const caps = (Capability.PROTOCOL_41 | Capability.SECURE_CONNECTION | Capability.PLUGIN_AUTH) >>> 0;
      const c = await handshake(s.port, caps, 'old');
      // The first response named no plugin (so the server default), so the server switches to mysql_native_password.
      const sw1 = (await c.read())!;
      expect(sw1.payload[0]).toBe(0xfe);
      c.send(Buffer.alloc(0), sw1.seq + 1);
      expect(errOf(await c.read())).toEqual({
        code: 1862,
        state: 'HY000',
        message: 'Your password has expired. To log in you must change it using a client that supports expired passwords.',
      });
      c.destroy();
      const d = await handshake(s.port, (caps | Capability.CAN_HANDLE_EXPIRED_PASSWORDS) >>> 0, 'old');
      const sw = (await d.read())!;
      expect(sw.payload[0]).toBe(0xfe);
      d.send(Buffer.alloc(0), sw.seq + 1);
      expect((await d.read())!.payload[0]).toBe(0);
      d.destroy();
    } finally {
      await s.close();
    }
  });
});

describe('idle timeouts (session value)', () => {
  it(req('CORE-PROTO-021', 'unit', 'SET SESSION wait_timeout applies to the idle check'), async () => {
    const s = await startTestServer();
    try {
      const c = await RawClient.login(s.port);
      c.command(Command.QUERY, 'SET wait_timeout = 1');
      expect(ok(await c.read())).toBe(true);
      expect(errOf(await c.read())?.code).toBe(4031);
      expect(await c.read()).toBeNull();
    } finally {
      await s.close();
    }
  });
});

describe('idle timeouts', () => {
  it(req('CORE-PROTO-021', 'unit', 'CLIENT_INTERACTIVE sessions use interactive_timeout instead of wait_timeout'), async () => {
    const s = await startTestServer({ vars: { wait_timeout: 100000n, interactive_timeout: 1n } });
    try {
      const c = await RawClient.login(s.port, { caps: (CLIENT_CAPS | Capability.INTERACTIVE) >>> 0 });
      const e = errOf(await c.read());
      expect(e).toEqual({
        code: 4031,
        state: 'HY000',
        message: 'The client was disconnected by the server because of inactivity. See wait_timeout and interactive_timeout for configuring this behavior.',
      });
      expect(await c.read()).toBeNull();
    } finally {
      await s.close();
    }
  });
});

describe('commands', () => {
  it(req('CORE-PROTO-014', 'unit', 'an unknown command gets ERR 1047 08S01 and the connection stays usable'), async () => {
    const c = await RawClient.login(srv.port);
    c.command(0x42);
    expect(errOf(await c.read())).toEqual({ code: 1047, state: '08S01', message: 'Unknown command' });
    c.command(Command.PING);
    expect(ok(await c.read())).toBe(true);
    await c.quit();
  });

  it(req('CORE-PROTO-014', 'unit', 'COM_INIT_DB switches the schema or reports 1049'), async () => {
    const c = await RawClient.login(srv.port);
    c.command(Command.INIT_DB, 'test');
    expect(ok(await c.read())).toBe(true);
    expect(srv.fake.sessions.at(-1)!.schema).toBe('test');
    c.command(Command.INIT_DB, 'nosuch');
    expect(errOf(await c.read())).toEqual({ code: 1049, state: '42000', message: "Unknown database 'nosuch'" });
    await c.quit();
  });

  it(req('CORE-PROTO-017', 'unit', 'COM_STATISTICS answers with the status line'), async () => {
    const c = await RawClient.login(srv.port);
    c.command(Command.STATISTICS);
    const p = (await c.read())!;
    expect(p.payload.toString()).toMatch(/^Uptime: \d+ {2}Threads: \d+ {2}Questions: \d+ {2}Slow queries: 0 {2}Opens: \d+ {2}Flush tables: \d+ {2}Open tables: \d+ {2}Queries per second avg: \d+\.\d{3}$/);
    await c.quit();
  });

  it(req('CORE-PROTO-016', 'unit', 'COM_FIELD_LIST sends column definitions then EOF'), async () => {
    const c = await RawClient.login(srv.port);
    // The fake answers SELECT * FROM `x` LIMIT 0 with an OK, so the list is empty.
    c.command(Command.FIELD_LIST, Buffer.from('t\0'));
    const p = (await c.read())!;
    expect(p.payload[0]).toBe(0xfe);
    expect(srv.fake.queries.at(-1)).toBe('SELECT * FROM `t` LIMIT 0');
    await c.quit();
  });

  it(req('CORE-PROTO-019', 'unit', 'COM_SET_OPTION toggles multi-statement support'), async () => {
    const c = await RawClient.login(srv.port, { caps: (CLIENT_CAPS | Capability.DEPRECATE_EOF) >>> 0 });
    c.command(Command.QUERY, 'SELECT 1; SELECT 1');
    expect(errOf(await c.read())?.code).toBe(1064);
    c.command(Command.SET_OPTION, Buffer.from([0, 0]));
    expect((await c.read())!.payload[0]).toBe(0xfe);
    c.command(Command.QUERY, 'SELECT 1; SELECT 1');
    const first = await c.readResponse(true);
    const end = first.at(-1)!.payload;
    expect(end[0]).toBe(0xfe);
    const r = new PayloadReader(end);
    r.int1();
    r.lenencInt();
    r.lenencInt();
    expect(r.int2() & 0x0008).toBe(0x0008); // SERVER_MORE_RESULTS_EXISTS
    const second = await c.readResponse(true);
    expect(second.length).toBe(4); // count, definition, row, OK
    await c.quit();
  });

  it(req('CORE-PROTO-012', 'unit', 'without DEPRECATE_EOF a result set uses EOF packets after metadata and rows'), async () => {
    const c = await RawClient.login(srv.port);
    c.command(Command.QUERY, 'SELECT ROWS 2');
    const ps = await c.readResponse(false);
    // count, 2 defs, EOF, 2 rows, EOF
    expect(ps.length).toBe(7);
    expect(ps[3]!.payload.length).toBe(5);
    expect(ps[3]!.payload[0]).toBe(0xfe);
    expect(ps[6]!.payload.length).toBe(5);
    expect(ps.map((p) => p.seq)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    await c.quit();
  });

  it(req('CORE-PROTO-022', 'unit', 'pipelined commands are answered strictly in order'), async () => {
    const c = await RawClient.login(srv.port);
    c.socket.write(
      Buffer.concat([
        encodePacketBuffer(Buffer.concat([Buffer.from([Command.QUERY]), Buffer.from('SELECT ROWS 50')]), 0),
        encodePacketBuffer(Buffer.from([Command.PING]), 0),
        encodePacketBuffer(Buffer.concat([Buffer.from([Command.QUERY]), Buffer.from('SELECT 1')]), 0),
      ]),
    );
    const a = await c.readResponse(false);
    expect(a.length).toBe(1 + 2 + 1 + 50 + 1);
    expect(ok(await c.read())).toBe(true);
    const b = await c.readResponse(false);
    expect(b.length).toBe(5);
    await c.quit();
  });

  it(req(['CORE-PROTO-020', 'CORE-PROTO-022'], 'unit', 'commands queued before an oversized packet are answered before the 1153 error'), async () => {
    const s = await startTestServer({ vars: { max_allowed_packet: 1000n } });
    try {
      const c = await RawClient.login(s.port);
      c.socket.write(
        Buffer.concat([
          encodePacketBuffer(Buffer.concat([Buffer.from([Command.QUERY]), Buffer.from('SELECT ROWS 300')]), 0),
          encodePacketBuffer(Buffer.from([Command.PING]), 0),
          encodePacketBuffer(Buffer.alloc(2000, Command.QUERY), 0),
        ]),
      );
      const a = await c.readResponse(false);
      expect(a.length).toBe(1 + 2 + 1 + 300 + 1);
      expect(ok(await c.read())).toBe(true);
      const e = await c.read();
      expect(errOf(e)?.code).toBe(1153);
      expect(e!.seq).toBe(1);
      expect(await c.read()).toBeNull();
    } finally {
      await s.close();
    }
  });

  it(req('CORE-PROTO-022', 'unit', 'hundreds of pipelined commands are all answered in order (queue with back-pressure)'), async () => {
    const c = await RawClient.login(srv.port);
    const n = 500;
    const frames: Buffer[] = [];
    for (let i = 0; i < n; i++) frames.push(encodePacketBuffer(Buffer.concat([Buffer.from([Command.QUERY]), Buffer.from(`SELECT ROWS ${(i % 3) + 1}`)]), 0));
    c.socket.write(Buffer.concat(frames));
    for (let i = 0; i < n; i++) {
      const r = await c.readResponse(false);
      expect(r.length).toBe(1 + 2 + 1 + ((i % 3) + 1) + 1);
    }
    await c.quit();
  });

  it(req('CORE-PROTO-014', 'unit', 'COM_PROCESS_KILL closes the target connection'), async () => {
    const victim = await RawClient.login(srv.port);
    const id = srv.fake.sessions.at(-1)!.connectionId;
    const killer = await RawClient.login(srv.port);
    const w = new PayloadWriter().int4(id).finish();
    killer.command(Command.PROCESS_KILL, w);
    expect(ok(await killer.read())).toBe(true);
    expect(await victim.read()).toBeNull();
    await killer.quit();
  });

  it(req('CORE-PROTO-014', 'unit', 'random garbage never crashes the server; other connections keep working'), async () => {
    for (let i = 0; i < 20; i++) {
      const s = net.connect(srv.port, '127.0.0.1');
      await new Promise<void>((resolve) => s.once('connect', () => resolve()));
      const junk = Buffer.alloc(64 + i * 13);
      for (let j = 0; j < junk.length; j++) junk[j] = (j * 7919 + i * 31) & 0xff;
      s.write(junk);
      s.destroy();
    }
    const c = await RawClient.login(srv.port);
    for (let i = 0; i < 20; i++) {
      const junk = Buffer.alloc(10 + i);
      for (let j = 0; j < junk.length; j++) junk[j] = (j * 131 + i * 17) & 0xff;
      c.send(junk, 0);
      // Each garbage command gets exactly one reply (ERR or a result).
    }
    c.command(Command.PING);
    let last = await c.read();
    // Bounded: at most one reply per command plus the ping's.
    for (let i = 0; i < 200 && last && !(last.payload[0] === 0 && last.payload.length === 7); i++) last = await c.read();
    expect(last === null || last.payload[0] === 0).toBe(true);
    c.destroy();
    const d = await RawClient.login(srv.port);
    d.command(Command.PING);
    expect(ok(await d.read())).toBe(true);
    await d.quit();
  });
});

describe('prepared statement commands', () => {
  async function prepare(c: RawClient, sql: string): Promise<{ id: number; cols: number; params: number }> {
    c.command(Command.STMT_PREPARE, sql);
    const first = (await c.read())!;
    expect(first.payload[0]).toBe(0);
    const r = new PayloadReader(first.payload);
    r.int1();
    const id = r.int4();
    const cols = r.int2();
    const params = r.int2();
    for (let i = 0; i < params; i++) await c.read();
    if (params) await c.read(); // EOF
    for (let i = 0; i < cols; i++) await c.read();
    if (cols) await c.read(); // EOF
    return { id, cols, params };
  }

  it(req('CORE-PROTO-033', 'unit', 'a read-only cursor keeps rows server-side until COM_STMT_FETCH'), async () => {
    const c = await RawClient.login(srv.port);
    const st = await prepare(c, 'SELECT ROWS 5');
    c.command(Command.STMT_EXECUTE, new PayloadWriter().int4(st.id).int1(1).int4(1).finish());
    const count = (await c.read())!;
    expect(count.payload[0]).toBe(2);
    await c.read();
    await c.read();
    const eof = (await c.read())!;
    expect(eof.payload[0]).toBe(0xfe);
    expect(eof.payload.readUInt16LE(3) & 0x0040).toBe(0x0040); // SERVER_STATUS_CURSOR_EXISTS
    c.command(Command.STMT_FETCH, new PayloadWriter().int4(st.id).int4(3).finish());
    const rows = [];
    for (let i = 0; i < 3; i++) rows.push((await c.read())!);
    expect(rows.every((p) => p.payload[0] === 0)).toBe(true);
    const e1 = (await c.read())!;
    expect(e1.payload.readUInt16LE(3) & 0x0040).toBe(0x0040);
    c.command(Command.STMT_FETCH, new PayloadWriter().int4(st.id).int4(10).finish());
    await c.read();
    await c.read();
    const e2 = (await c.read())!;
    expect(e2.payload[0]).toBe(0xfe);
    expect(e2.payload.readUInt16LE(3) & 0x0080).toBe(0x0080); // SERVER_STATUS_LAST_ROW_SENT
    c.command(Command.STMT_FETCH, new PayloadWriter().int4(st.id).int4(1).finish());
    expect(errOf(await c.read())?.code).toBe(1421);
    await c.quit();
  });

  it(req(['CORE-PROTO-031', 'CORE-PROTO-034'], 'unit', 'long data, reset and close'), async () => {
    const c = await RawClient.login(srv.port);
    const st = await prepare(c, 'SELECT ?, ?');
    c.command(Command.STMT_SEND_LONG_DATA, Buffer.concat([new PayloadWriter().int4(st.id).int2(0).finish(), Buffer.from('hello ')]));
    c.command(Command.STMT_SEND_LONG_DATA, Buffer.concat([new PayloadWriter().int4(st.id).int2(0).finish(), Buffer.from('world')]));
    const exec = new PayloadWriter().int4(st.id).int1(0).int4(1).int1(0).int1(1);
    exec.int1(MysqlType.BLOB).int1(0).int1(MysqlType.LONGLONG).int1(0x80);
    exec.int8(18446744073709551615n);
    c.command(Command.STMT_EXECUTE, exec.finish());
    const res = await c.readResponse(false);
    expect(res[0]!.payload[0]).toBe(2);
    const params = srv.fake.sessions.at(-1)!.executed.at(-1)!;
    expect(params).toEqual([Buffer.from('hello world'), 18446744073709551615n]);
    // Re-execute without re-sending types: the previous ones apply.
    const again = new PayloadWriter().int4(st.id).int1(0).int4(1).int1(0).int1(0).lenencStr('x').int8(1n);
    c.command(Command.STMT_EXECUTE, again.finish());
    await c.readResponse(false);
    expect(srv.fake.sessions.at(-1)!.executed.at(-1)).toEqual([Buffer.from('x'), 1n]);
    c.command(Command.STMT_RESET, new PayloadWriter().int4(st.id).finish());
    expect(ok(await c.read())).toBe(true);
    c.command(Command.STMT_CLOSE, new PayloadWriter().int4(st.id).finish());
    c.command(Command.STMT_RESET, new PayloadWriter().int4(st.id).finish());
    const e = errOf(await c.read());
    expect(e?.code).toBe(1243);
    expect(e?.message).toBe(`Unknown prepared statement handler (${st.id}) given to mysqld_stmt_reset`);
    c.command(Command.STMT_EXECUTE, new PayloadWriter().int4(999).int1(0).int4(1).finish());
    expect(errOf(await c.read())?.code).toBe(1243);
    await c.quit();
  });

  it(req('CORE-PROTO-031', 'unit', 'a truncated COM_STMT_EXECUTE gets ERR 1835, not a crash'), async () => {
    const c = await RawClient.login(srv.port);
    const st = await prepare(c, 'SELECT ?');
    c.command(Command.STMT_EXECUTE, new PayloadWriter().int4(st.id).int1(0).int4(1).int1(0).int1(1).int1(MysqlType.LONGLONG).int1(0).int2(5).finish());
    expect(errOf(await c.read())).toEqual({ code: 1835, state: 'HY000', message: 'Malformed communication packet.' });
    c.command(Command.PING);
    expect(ok(await c.read())).toBe(true);
    await c.quit();
  });
});
