/**
 * Listener address lists without namespaces: bind_address lists on loopback addresses, the
 * administrative interface, the reserved X Plugin listener, and every startup failure whose
 * cause is the address syntax or an unknown namespace (no namespace has to exist for those).
 * Startup failures are checked both in-process (error-log lines) and as a child process (exit code).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { createConnection, createServer, type Socket } from 'node:net';
import { req } from '../helpers/req.js';
import { freePort } from '../helpers/peers.js';
import { initializedDatadir, SERVER_MAIN, spawnServer, startTestServer, type SpawnedServer, type TestServer } from '../helpers/server.js';
import { ErrorLog } from '../../src/server/error-log.js';
import { isRunning, startServer, StartupError } from '../../src/server/server.js';

const parents: string[] = [];
const children: SpawnedServer[] = [];
const servers: TestServer[] = [];

afterAll(async () => {
  for (const s of servers) await s.stop();
  for (const c of children) {
    c.kill('SIGKILL');
    await c.exited;
  }
  for (const p of parents) rmSync(p, { recursive: true, force: true });
});


async function started(options: Record<string, string | number | boolean>): Promise<TestServer> {
  const s = await startTestServer({ options });
  servers.push(s);
  return s;
}

/** Start in-process with extra argv; expect startup to fail; return the log lines. */
async function failedStart(extra: string[]): Promise<string[]> {
  const { parent, datadir } = await initializedDatadir();
  parents.push(parent);
  const log = ErrorLog.memory();
  let error: unknown = null;
  try {
    const out = await startServer({ argv: ['--no-defaults', `--datadir=${datadir}`, '--port=0', '--mysqlx=OFF', ...extra], log, program: SERVER_MAIN });
    if (isRunning(out)) await out.stop();
  } catch (err) {
    error = err;
  }
  expect(error, `startup with ${extra.join(' ')} should fail:\n${log.captured.join('\n')}`).toBeInstanceOf(StartupError);
  expect(log.captured.at(-1)).toMatch(/\[ERROR\] \[MY-010119\] \[Server\] Aborting$/);
  expect(log.captured.some((l) => l.includes('ready for connections'))).toBe(false);
  return log.captured;
}

const line = (re: string): RegExp => new RegExp(`^\\S+ 0 ${re}$`);

async function userOf(s: TestServer, opts: { host: string; port: number; user?: string; password?: string }): Promise<string> {
  const mysql = (await import('mysql2/promise')).default;
  const c = await mysql.createConnection({ user: opts.user ?? 'root', password: opts.password ?? '', host: opts.host, port: opts.port });
  try {
    const [rows] = await c.query('SELECT USER() AS u');
    return (rows as Array<{ u: string }>)[0]!.u;
  } finally {
    await c.end();
  }
}

describe('bind_address lists', () => {
  it(req(['NETNS-037', 'NETNS-034', 'NETNS-001'], 'wire', 'a list of loopback addresses: the server accepts on each, in the global namespace'), async () => {
    const s = await started({ 'bind-address': '127.0.0.1,127.0.0.2,::1' });
    expect(await userOf(s, { host: '127.0.0.1', port: s.port })).toBe('root@localhost');
    expect(await userOf(s, { host: '127.0.0.2', port: s.port })).toMatch(/^root@/);
    expect(await userOf(s, { host: '::1', port: s.port })).toBe('root@localhost');
    // An address that is not in the list is not listened on.
    const refused = await new Promise<string>((res) => {
      const c = createConnection({ host: '127.0.0.3', port: s.port });
      c.once('connect', () => {
        c.destroy();
        res('connected');
      });
      c.once('error', (e: NodeJS.ErrnoException) => res(e.code ?? 'error'));
    });
    expect(refused).toBe('ECONNREFUSED');
  });

  it(req(['NETNS-037', 'NETNS-031'], 'unit', 'with log_error_verbosity=3 each listener logs mysqld\'s bind-address notes, in list order'), async () => {
    const s = await started({ 'bind-address': '127.0.0.2,localhost', 'log-error-verbosity': 3 });
    const notes = s.logLines.filter((l) => /\[MY-0102(5[12]|64)\]/.test(l)).map((l) => l.replace(/^\S+ 0 /, ''));
    expect(notes).toEqual([
      "[Note] [MY-010252] [Server] Server hostname (bind-address): '127.0.0.2'; port: 0",
      "[Note] [MY-010264] [Server]   - '127.0.0.2' resolves to '127.0.0.2';",
      "[Note] [MY-010251] [Server] Server socket created on IP: '127.0.0.2'.",
      `[Note] [MY-010252] [Server] Server hostname (bind-address): 'localhost'; port: ${s.port}`,
      "[Note] [MY-010264] [Server]   - 'localhost' resolves to '127.0.0.1';",
      "[Note] [MY-010251] [Server] Server socket created on IP: '127.0.0.1'.",
    ]);
  });

  it(req(['NETNS-031', 'NETNS-037'], 'wire', 'a host name in the list is resolved (localhost) and listened on'), async () => {
    const s = await started({ 'bind-address': 'localhost' });
    expect(await userOf(s, { host: '127.0.0.1', port: s.port })).toBe('root@localhost');
  });

  it(req(['NETNS-032', 'NETNS-037', 'NETNS-040'], 'wire', 'a wildcard in a multi-address list stops startup with MY-013409 and MY-013203'), async () => {
    const lines = await failedStart(['--bind-address=*,127.0.0.1']);
    expect(lines).toContainEqual(expect.stringMatching(line('\\[ERROR\\] \\[MY-013409\\] \\[Server\\] Wildcard address value not allowed for multivalued bind address')));
    expect(lines).toContainEqual(expect.stringMatching(line("\\[ERROR\\] \\[MY-013203\\] \\[Server\\] Invalid value for command line option bind-addresses: '\\*,127\\.0\\.0\\.1'")));
    for (const v of ['0.0.0.0,127.0.0.1', '::,127.0.0.1']) {
      const l = await failedStart([`--bind-address=${v}`]);
      expect(l.some((x) => x.includes('[MY-013409]'))).toBe(true);
    }
    // mysqld names no reason for a wildcard at the end of a list, only the summary line.
    const last = await failedStart(['--bind-address=127.0.0.1,*']);
    expect(last.some((x) => x.includes('[MY-013409]'))).toBe(false);
    expect(last).toContainEqual(expect.stringContaining("[MY-013203] [Server] Invalid value for command line option bind-addresses: '127.0.0.1,*'"));
  });

  it(req(['NETNS-032', 'NETNS-040'], 'unit', 'a wildcard with a namespace stops startup with MY-013407'), async () => {
    for (const v of ['*/red', '0.0.0.0/red', '::/red', '127.0.0.1,0.0.0.0/red']) {
      const lines = await failedStart([`--bind-address=${v}`]);
      expect(lines).toContainEqual(expect.stringMatching(line('\\[ERROR\\] \\[MY-013407\\] \\[Server\\] Network namespace not allowed for wildcard interface address')));
      expect(lines).toContainEqual(expect.stringContaining(`[MY-013203] [Server] Invalid value for command line option bind-addresses: '${v}'`));
    }
  });

  it(req(['NETNS-033', 'NETNS-037'], 'wire', 'malformed lists (empty elements, bare slash, whitespace inside addr/ns) stop startup'), async () => {
    for (const v of ['127.0.0.1,,127.0.0.2', ',127.0.0.1', '127.0.0.1,', '/red', '127.0.0.1/', '127.0.0.1 /red', '127.0.0.1/ red']) {
      const lines = await failedStart([`--bind-address=${v}`]);
      expect(lines).toContainEqual(expect.stringContaining(`[ERROR] [MY-013203] [Server] Invalid value for command line option bind-addresses: '${v}'`));
    }
    // Surrounding whitespace is trimmed (spec decision NETNS-033).
    const s = await started({ 'bind-address': '127.0.0.1, 127.0.0.2' });
    expect(await userOf(s, { host: '127.0.0.2', port: s.port })).toMatch(/^root@/);
  });

  it(req(['NETNS-036', 'NETNS-040'], 'wire', 'an unknown namespace stops startup with MY-013406 and no listener stays open'), async () => {
    const port = await freePort();
    const lines = await failedStart([`--port=${port}`, '--bind-address=127.0.0.1,192.0.2.2/refmysql_no_such_ns']);
    expect(lines).toContainEqual(expect.stringMatching(line("\\[ERROR\\] \\[MY-013406\\] \\[Server\\] Unknown network namespace 'refmysql_no_such_ns'")));
    // The 127.0.0.1 listener that was already open was closed again.
    const probe = createServer();
    await new Promise<void>((res, rej) => {
      probe.once('error', rej);
      probe.listen(port, '127.0.0.1', () => res());
    });
    await new Promise<void>((r) => probe.close(() => r()));
  });

  it(req(['NETNS-037', 'NETNS-031'], 'unit', 'two elements that resolve to the same address collide: the second bind fails and startup stops'), async () => {
    const lines = await failedStart(['--bind-address=127.0.0.1,localhost']);
    expect(lines).toContainEqual(expect.stringMatching(/\[ERROR\] \[MY-010262\] \[Server\] Can't start server: Bind on TCP\/IP port: Address already in use$/));
    expect(lines).toContainEqual(expect.stringMatching(/\[ERROR\] \[MY-010257\] \[Server\] Do you already have another mysqld server running on port: \d+ \?$/));
  });

  it(req(['NETNS-031'], 'unit', 'an unresolvable host name stops startup with the resolver lines'), async () => {
    const lines = await failedStart(['--bind-address=no-such-host.invalid']);
    expect(lines).toContainEqual(expect.stringMatching(/\[ERROR\] \[MY-010255\] \[Server\] Can't create IP socket: /));
    expect(lines).toContainEqual(expect.stringMatching(line("\\[ERROR\\] \\[MY-010256\\] \\[Server\\] Can't start server: cannot resolve hostname!")));
  });

  it(req(['NETNS-036', 'NETNS-040'], 'unit', 'as a process: an unknown namespace logs MY-013406, Aborting, and exits non-zero'), async () => {
    const { parent, datadir } = await initializedDatadir();
    parents.push(parent);
    const s = spawnServer(['--no-defaults', `--datadir=${datadir}`, '--port=0', '--mysqlx=OFF', '--bind-address=192.0.2.2/refmysql_no_such_ns']);
    children.push(s);
    expect(await s.exited).not.toBe(0);
    expect(s.lines).toContainEqual(expect.stringMatching(line("\\[ERROR\\] \\[MY-013406\\] \\[Server\\] Unknown network namespace 'refmysql_no_such_ns'")));
    expect(s.lines.at(-1)).toMatch(/\[ERROR\] \[MY-010119\] \[Server\] Aborting$/);
  });

  it(req(['NETNS-032', 'NETNS-040'], 'unit', 'as a process: a wildcard with a namespace exits non-zero after MY-013407'), async () => {
    const { parent, datadir } = await initializedDatadir();
    parents.push(parent);
    const s = spawnServer(['--no-defaults', `--datadir=${datadir}`, '--port=0', '--mysqlx=OFF', '--bind-address=0.0.0.0/red']);
    children.push(s);
    expect(await s.exited).not.toBe(0);
    expect(s.lines).toContainEqual(expect.stringContaining('[ERROR] [MY-013407] [Server] Network namespace not allowed for wildcard interface address'));
    expect(s.lines.at(-1)).toMatch(/\[MY-010119\] \[Server\] Aborting$/);
  });
});

describe('admin interface', () => {
  it(req(['NETNS-038', 'NETNS-030'], 'wire', 'admin_address opens a separate listener with its ready line; only SERVICE_CONNECTION_ADMIN may use it'), async () => {
    const adminPort = await freePort();
    const s = await started({ 'admin-address': '127.0.0.1', 'admin-port': adminPort });
    expect(s.logLines).toContainEqual(expect.stringMatching(line(`\\[System\\] \\[MY-013292\\] \\[Server\\] Admin interface ready for connections, address: '127\\.0\\.0\\.1'  port: ${adminPort}`)));
    const ready = s.logLines.findIndex((l) => l.includes('[MY-010931]'));
    const admin = s.logLines.findIndex((l) => l.includes('[MY-013292]'));
    expect(ready).toBeGreaterThanOrEqual(0);
    expect(admin).toBeGreaterThan(ready);
    expect(await userOf(s, { host: '127.0.0.1', port: adminPort })).toBe('root@localhost');
    const c = await s.connect();
    await c.query("CREATE USER 'plain'@'%' IDENTIFIED BY 'pw'");
    await c.query("CREATE USER 'svc'@'%' IDENTIFIED BY 'pw'");
    await c.query("GRANT SERVICE_CONNECTION_ADMIN ON *.* TO 'svc'@'%'");
    await c.end();
    // The ordinary port admits both.
    expect(await userOf(s, { host: '127.0.0.1', port: s.port, user: 'plain', password: 'pw' })).toBe('plain@localhost');
    expect(await userOf(s, { host: '127.0.0.1', port: adminPort, user: 'svc', password: 'pw' })).toBe('svc@localhost');
    const err = await userOf(s, { host: '127.0.0.1', port: adminPort, user: 'plain', password: 'pw' }).then(
      () => null,
      (e: { errno?: number; sqlState?: string; sqlMessage?: string }) => e,
    );
    expect(err?.errno).toBe(1227);
    expect(err?.sqlState).toBe('42000');
    expect(err?.sqlMessage).toBe('Access denied; you need (at least one of) the SERVICE_CONNECTION_ADMIN privilege(s) for this operation');
  });

  it(req(['NETNS-038'], 'wire', 'the admin interface still admits its users when max_connections is exhausted'), async () => {
    const adminPort = await freePort();
    const s = await started({ 'admin-address': '127.0.0.1', 'admin-port': adminPort, 'max-connections': 1 });
    const mysql = (await import('mysql2/promise')).default;
    // max_connections=1 leaves one extra slot (for SUPER/CONNECTION_ADMIN), so two fill it.
    const held = [await s.connect(), await s.connect()];
    try {
      const refused = await s.connect().then(
        async (c) => {
          await c.end();
          return null;
        },
        (e: { errno?: number }) => e,
      );
      expect(refused?.errno).toBe(1040);
      const admin = await mysql.createConnection({ host: '127.0.0.1', port: adminPort, user: 'root', password: '' });
      const [rows] = await admin.query('SELECT 1 AS one');
      expect(rows).toEqual([{ one: 1 }]);
      await admin.end();
    } finally {
      for (const c of held) await c.end();
    }
  });

  it(req(['NETNS-038'], 'wire', 'admin_port=0 means the default admin port 33062'), async () => {
    const s = await started({ 'admin-address': '127.0.0.1', 'admin-port': 0 });
    expect(s.logLines).toContainEqual(expect.stringContaining("Admin interface ready for connections, address: '127.0.0.1'  port: 33062"));
    const c = await s.connect();
    const [rows] = await c.query('SELECT @@global.admin_port AS p');
    expect(Number((rows as Array<{ p: number }>)[0]!.p)).toBe(33062);
    await c.end();
  });

  it(req(['NETNS-032', 'NETNS-037', 'NETNS-040'], 'wire', 'admin_address refuses wildcards (MY-013291, with MY-013407 when a namespace is given)'), async () => {
    for (const v of ['*', '0.0.0.0', '::']) {
      const lines = await failedStart([`--admin-address=${v}`]);
      expect(lines).toContainEqual(expect.stringMatching(line(`\\[ERROR\\] \\[MY-013291\\] \\[Server\\] Invalid value for command line option admin-address: '${v.replace('*', '\\*').replace(/\./g, '\\.')}'`)));
      expect(lines.some((l) => l.includes('[MY-013407]'))).toBe(false);
    }
    const ns = await failedStart(['--admin-address=0.0.0.0/red']);
    expect(ns).toContainEqual(expect.stringContaining('[ERROR] [MY-013407] [Server] Network namespace not allowed for wildcard interface address'));
    expect(ns).toContainEqual(expect.stringContaining("[ERROR] [MY-013291] [Server] Invalid value for command line option admin-address: '0.0.0.0/red'"));
    // A list is one (unresolvable) address for admin_address, as in mysqld.
    const list = await failedStart(['--admin-address=127.0.0.1,127.0.0.2']);
    expect(list).toContainEqual(expect.stringContaining("[MY-010256] [Server] Can't start server: cannot resolve hostname!"));
    const unknown = await failedStart(['--admin-address=192.0.2.2/refmysql_no_such_ns']);
    expect(unknown).toContainEqual(expect.stringContaining("[ERROR] [MY-013406] [Server] Unknown network namespace 'refmysql_no_such_ns'"));
  });
});

/** Send one X Protocol frame and read the whole reply until the server closes. */
async function xExchange(host: string, port: number): Promise<Buffer> {
  const sock: Socket = createConnection({ host, port });
  const chunks: Buffer[] = [];
  return new Promise((res, rej) => {
    sock.once('error', rej);
    sock.on('data', (d: Buffer) => chunks.push(d));
    sock.once('close', () => res(Buffer.concat(chunks)));
    // Mysqlx.Connection.CapabilitiesGet: length 1 (just the type byte), type 1.
    sock.once('connect', () => sock.write(Buffer.from([1, 0, 0, 0, 1])));
  });
}

/** Decode a Mysqlx.Error frame (fields severity=1, code=2, msg=3, sql_state=4). */
function decodeXError(buf: Buffer): { type: number; severity: number; code: number; msg: string; sqlState: string } {
  const len = buf.readUInt32LE(0);
  expect(buf.length).toBe(4 + len);
  const type = buf[4]!;
  const out = { type, severity: 0, code: 0, msg: '', sqlState: '' };
  let i = 5;
  const varint = (): number => {
    let v = 0;
    let shift = 0;
    for (;;) {
      const b = buf[i++]!;
      v |= (b & 0x7f) << shift;
      if (!(b & 0x80)) return v;
      shift += 7;
    }
  };
  while (i < buf.length) {
    const key = varint();
    const field = key >> 3;
    if ((key & 7) === 0) {
      const v = varint();
      if (field === 1) out.severity = v;
      if (field === 2) out.code = v;
    } else {
      const n = varint();
      const text = buf.subarray(i, i + n).toString('utf8');
      i += n;
      if (field === 3) out.msg = text;
      if (field === 4) out.sqlState = text;
    }
  }
  return out;
}

describe('X Plugin listener (reserved)', () => {
  it(req(['NETNS-039', 'NETNS-037'], 'wire', 'mysqlx_bind_address list: each address listens and an X client gets one fatal Mysqlx.Error frame'), async () => {
    const xport = await freePort();
    const s = await started({ mysqlx: 'ON', 'mysqlx-port': xport, 'mysqlx-bind-address': '127.0.0.1,127.0.0.2' });
    expect(s.logLines).toContainEqual(expect.stringMatching(line(`\\[System\\] \\[MY-011323\\] \\[Server\\] X Plugin ready for connections\\. Bind-address: '127\\.0\\.0\\.1,127\\.0\\.0\\.2' port: ${xport}`)));
    for (const host of ['127.0.0.1', '127.0.0.2']) {
      const e = decodeXError(await xExchange(host, xport));
      expect(e).toEqual({ type: 1, severity: 1, code: 1235, msg: "This version of MySQL doesn't yet support 'X Protocol'", sqlState: '42000' });
    }
  });

  it(req(['NETNS-041', 'NETNS-039'], 'wire', 'when no X address binds the plugin reports it and the server keeps serving'), async () => {
    const xport = await freePort();
    // 192.0.2.77 is assigned to no interface here, so bind() fails with EADDRNOTAVAIL.
    const s = await started({ mysqlx: 'ON', 'mysqlx-port': xport, 'mysqlx-bind-address': '192.0.2.77,127.0.0.1/refmysql_no_such_ns' });
    const log = s.logLines;
    expect(log).toContainEqual(expect.stringMatching(line(`\\[ERROR\\] \\[MY-011300\\] \\[Server\\] Setup of bind-address: '192\\.0\\.2\\.77' port: ${xport} failed, \`bind\\(\\)\` failed with error: Cannot assign requested address \\(99\\)\\. Do you already have another mysqld server running with Mysqlx \\?`)));
    expect(log).toContainEqual(expect.stringMatching(line("\\[ERROR\\] \\[MY-013597\\] \\[Server\\] Value '192\\.0\\.2\\.77' set to `Mysqlx_bind_address`, X Plugin can't bind to it\\. Skipping this value\\.")));
    expect(log).toContainEqual(expect.stringMatching(line("\\[ERROR\\] \\[MY-013406\\] \\[Server\\] Unknown network namespace 'refmysql_no_such_ns'")));
    expect(log).toContainEqual(expect.stringContaining("[ERROR] [MY-013597] [Server] Value '127.0.0.1/refmysql_no_such_ns' set to `Mysqlx_bind_address`, X Plugin can't bind to it. Skipping this value."));
    expect(log).toContainEqual(expect.stringMatching(line("\\[ERROR\\] \\[MY-011292\\] \\[Server\\] Preparation of I/O interfaces failed, X Protocol won't be accessible")));
    expect(log.some((l) => l.includes('[MY-011323]'))).toBe(false);
    expect(log).toContainEqual(expect.stringContaining('[MY-010931]'));
    expect(await userOf(s, { host: '127.0.0.1', port: s.port })).toBe('root@localhost');
  });

  it(req(['NETNS-041', 'NETNS-032', 'NETNS-037'], 'wire', 'invalid X elements are skipped with MY-013596 while the valid ones bind'), async () => {
    const xport = await freePort();
    const s = await started({ mysqlx: 'ON', 'mysqlx-port': xport, 'mysqlx-bind-address': '*,127.0.0.1,0.0.0.0/red' });
    expect(s.logLines).toContainEqual(expect.stringContaining("[ERROR] [MY-013596] [Server] Validation of value '*' set to `Mysqlx_bind_address` failed: wildcards are not allowed when there are more than one address. Skipping this value."));
    expect(s.logLines).toContainEqual(expect.stringContaining("[ERROR] [MY-013596] [Server] Validation of value '0.0.0.0/red' set to `Mysqlx_bind_address` failed: network namespace are not allowed for wildcards. Skipping this value."));
    expect(s.logLines).toContainEqual(expect.stringContaining(`[System] [MY-011323] [Server] X Plugin ready for connections. Bind-address: '127.0.0.1' port: ${xport}`));
    expect(decodeXError(await xExchange('127.0.0.1', xport)).code).toBe(1235);
  });

  it(req(['NETNS-039'], 'wire', 'X Plugin variables: mysqlx_port 33060 and mysqlx_bind_address 127.0.0.1 by default (spec decision)'), async () => {
    const s = await started({});
    const c = await s.connect();
    const [rows] = await c.query('SELECT @@global.mysqlx_port AS p, @@global.mysqlx_bind_address AS a, @@global.admin_port AS ap, @@global.admin_address AS aa');
    expect(rows).toEqual([{ p: 33060, a: '127.0.0.1', ap: 33062, aa: '' }]);
    await c.end();
  });

  it(req(['NETNS-039'], 'wire', '--mysqlx=OFF (the test default) starts no X listener'), async () => {
    const s = await started({});
    expect(s.logLines.some((l) => /MY-0113(23|00)|MY-011292/.test(l))).toBe(false);
  });
});
