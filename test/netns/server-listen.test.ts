/**
 * Server listeners inside the test namespaces red and blue (built by the fixture with the manual's
 * veth pairs: global 192.0.2.1 <-> red 192.0.2.2, global 198.51.100.1 <-> blue 198.51.100.2).
 * One in-process server listens in all three namespaces; clients run inside the namespaces
 * (`ip netns exec <ns> mariadb ...`, and mysql2 over a socket made in the namespace).
 * Startup failures run the server as a child process.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import mysql from 'mysql2/promise';
import { describeNetns, listeningSockets, setupRedBlue, type RedBlue } from '../helpers/netns.js';
import { runCommand } from '../helpers/peers.js';
import { req } from '../helpers/req.js';
import { freePort } from '../helpers/peers.js';
import { initializedDatadir, spawnServer, startTestServer, type SpawnedServer, type TestServer } from '../helpers/server.js';
import { connectInNamespace } from '../../src/netns/namespace.js';

const RED = '192.0.2.2';
const BLUE = '198.51.100.2';


/** The mariadb CLI run inside namespace `ns`; resolves with exit code, stdout and stderr. */
function mariadbIn(ns: string, host: string, port: number, user: string, password: string, sql: string): ReturnType<typeof runCommand> {
  return runCommand('ip', ['netns', 'exec', ns, 'mariadb', '--no-defaults', `-h${host}`, `-P${port}`, `-u${user}`, `-p${password}`, '--batch', '--skip-column-names', '-e', sql]);
}

describeNetns('server listeners in the red and blue namespaces', () => {
  let rb: RedBlue | undefined;
  let s: TestServer;
  let adminPort: number;
  let xPort: number;
  const parents: string[] = [];
  const children: SpawnedServer[] = [];

  beforeAll(async () => {
    rb = await setupRedBlue();
    adminPort = await freePort();
    xPort = await freePort();
    s = await startTestServer({
      options: {
        'bind-address': `127.0.0.1,${RED}/red,${BLUE}/blue`,
        'admin-address': `${RED}/red`,
        'admin-port': adminPort,
        mysqlx: 'ON',
        'mysqlx-port': xPort,
        'mysqlx-bind-address': `127.0.0.1,${RED}/red`,
      },
    });
    const c = await s.connect();
    for (const sql of [
      `CREATE USER 'red_user'@'${RED}' IDENTIFIED WITH mysql_native_password BY 'red_pw'`,
      `CREATE USER 'blue_user'@'${BLUE}' IDENTIFIED WITH mysql_native_password BY 'blue_pw'`,
      `CREATE USER 'red_admin'@'${RED}' IDENTIFIED WITH mysql_native_password BY 'adm_pw'`,
      `GRANT SERVICE_CONNECTION_ADMIN ON *.* TO 'red_admin'@'${RED}'`,
      // Some account must exist for the global side's address (192.0.2.1), so that a wrong
      // account is 1045 rather than "host not allowed" (1130).
      `CREATE USER 'probe'@'%' IDENTIFIED WITH mysql_native_password BY 'probe_pw'`,
    ]) {
      await c.query(sql);
    }
    await c.end();
  });

  afterAll(async () => {
    await s?.stop();
    for (const c of children) {
      c.kill('SIGKILL');
      await c.exited;
    }
    for (const p of parents) rmSync(p, { recursive: true, force: true });
    await rb?.teardown();
  });

  async function spawned(args: string[], prefix?: string[]): Promise<SpawnedServer> {
    const { parent, datadir } = await initializedDatadir();
    parents.push(parent);
    const c = spawnServer(['--no-defaults', `--datadir=${datadir}`, '--port=0', '--mysqlx=OFF', ...args], prefix ? { prefix } : {});
    children.push(c);
    return c;
  }

  it(req(['NETNS-050', 'NETNS-030', 'NETNS-035', 'NETNS-034', 'NETNS-001', 'NETNS-037'], 'unit', 'one server listens in global, red and blue; each listener is visible only in its namespace'), async () => {
    const global = listeningSockets('');
    const red = listeningSockets('red');
    const blue = listeningSockets('blue');
    expect(global).toContain(`127.0.0.1:${s.port}`);
    expect(global).not.toContain(`${RED}:${s.port}`);
    expect(global).not.toContain(`${BLUE}:${s.port}`);
    expect(red).toContain(`${RED}:${s.port}`);
    expect(red).not.toContain(`${BLUE}:${s.port}`);
    expect(blue).toContain(`${BLUE}:${s.port}`);
    expect(blue).not.toContain(`${RED}:${s.port}`);
  });

  it(req(['NETNS-051', 'NETNS-002', 'NETNS-035'], 'wire', 'red_user and blue_user connect from inside their namespaces and USER() shows the namespace-local address'), async () => {
    const r = await mariadbIn('red', RED, s.port, 'red_user', 'red_pw', 'SELECT USER(), CURRENT_USER()');
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(`red_user@${RED}\tred_user@${RED}\n`);
    const b = await mariadbIn('blue', BLUE, s.port, 'blue_user', 'blue_pw', 'SELECT USER(), CURRENT_USER()');
    expect(b.stderr).toBe('');
    expect(b.stdout).toBe(`blue_user@${BLUE}\tblue_user@${BLUE}\n`);
    // red_user is not known from blue's address.
    const wrong = await mariadbIn('blue', BLUE, s.port, 'red_user', 'red_pw', 'SELECT 1');
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toContain(`ERROR 1045 (28000): Access denied for user 'red_user'@'${BLUE}' (using password: YES)`);
  });

  it(req(['NETNS-051', 'NETNS-002'], 'wire', 'mysql2 over a socket created inside red reaches the red listener as red_user'), async () => {
    const stream = await connectInNamespace('red', RED, s.port, { timeoutMs: 10_000 });
    const c = await mysql.createConnection({ stream, user: 'red_user', password: 'red_pw', connectTimeout: 10_000 } as mysql.ConnectionOptions);
    try {
      const [rows] = await c.query('SELECT USER() AS u, CURRENT_USER() AS cu');
      expect(rows).toEqual([{ u: `red_user@${RED}`, cu: `red_user@${RED}` }]);
    } finally {
      await c.end();
    }
  });

  it(req(['NETNS-053', 'NETNS-002'], 'wire', 'a global client aiming at a namespace-only address is refused or arrives from the veth address and is denied with 1045'), async () => {
    const attempt = (host: string, user: string, password: string): Promise<{ errno?: number; code?: string; sqlState?: string; sqlMessage?: string } | null> =>
      mysql.createConnection({ host, port: s.port, user, password, connectTimeout: 20_000 }).then(
        async (c) => {
          await c.end();
          return null;
        },
        (e: { errno?: number; code?: string; sqlState?: string; sqlMessage?: string }) => e,
      );
    const ends = [
      { end: rb!.red, user: 'red_user', pw: 'red_pw' },
      { end: rb!.blue, user: 'blue_user', pw: 'blue_pw' },
    ];
    for (const { end, user, pw } of ends) {
      const err = await attempt(end.nsAddress, user, pw);
      const gw = end.hostAddress;
      if (gw === null) {
        // The fixture left the global end without an address because this host's own uplink
        // uses that subnet (here eth0 holds 192.0.2.2 itself): the global client cannot reach
        // the namespace at all, the "fails to connect" branch of the requirement.
        expect(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ETIMEDOUT'], `${end.name}: ${end.hostConflict}`).toContain(err?.code);
        continue;
      }
      expect(err?.errno, end.name).toBe(1045);
      expect(err?.sqlState).toBe('28000');
      expect(err?.sqlMessage).toBe(`Access denied for user '${user}'@'${gw}' (using password: YES)`);
      // An account that matches the veth address shows where the client came from.
      const c = await mysql.createConnection({ host: end.nsAddress, port: s.port, user: 'probe', password: 'probe_pw' });
      const [rows] = await c.query('SELECT USER() AS u');
      expect(rows).toEqual([{ u: `probe@${gw}` }]);
      await c.end();
    }
    // At least one of the two took the "arrives and is denied" branch.
    expect(ends.some((e) => e.end.hostAddress !== null)).toBe(true);
  });

  it(req(['NETNS-038', 'NETNS-030'], 'wire', 'admin_address=192.0.2.2/red: the admin listener lives in red and admits only SERVICE_CONNECTION_ADMIN'), async () => {
    expect(s.logLines).toContainEqual(expect.stringContaining(`[System] [MY-013292] [Server] Admin interface ready for connections, address: '${RED}/red'  port: ${adminPort}`));
    expect(listeningSockets('red')).toContain(`${RED}:${adminPort}`);
    expect(listeningSockets('')).not.toContain(`${RED}:${adminPort}`);
    const ok = await mariadbIn('red', RED, adminPort, 'red_admin', 'adm_pw', 'SELECT USER()');
    expect(ok.stderr).toBe('');
    expect(ok.stdout).toBe(`red_admin@${RED}\n`);
    const denied = await mariadbIn('red', RED, adminPort, 'red_user', 'red_pw', 'SELECT 1');
    expect(denied.code).toBe(1);
    expect(denied.stderr).toContain('ERROR 1227 (42000): Access denied; you need (at least one of) the SERVICE_CONNECTION_ADMIN privilege(s) for this operation');
  });

  it(req(['NETNS-039', 'NETNS-030', 'NETNS-037'], 'wire', 'mysqlx_bind_address with /red puts the X listener into red; an X client there gets the Mysqlx.Error frame'), async () => {
    expect(s.logLines).toContainEqual(expect.stringContaining(`[System] [MY-011323] [Server] X Plugin ready for connections. Bind-address: '127.0.0.1,${RED}' port: ${xPort}`));
    expect(listeningSockets('red')).toContain(`${RED}:${xPort}`);
    expect(listeningSockets('')).toContain(`127.0.0.1:${xPort}`);
    expect(listeningSockets('')).not.toContain(`${RED}:${xPort}`);
    // CapabilitiesGet (length 1, type 1) from inside red; the reply is dumped as hex.
    const r = await runCommand('ip', [
      'netns',
      'exec',
      'red',
      'bash',
      '-c',
      `exec 3<>/dev/tcp/${RED}/${xPort}; printf '\\x01\\x00\\x00\\x00\\x01' >&3; od -An -v -tx1 <&3`,
    ]);
    expect(r.code, r.stderr).toBe(0);
    const bytes = Buffer.from(r.stdout.replace(/\s+/g, ''), 'hex');
    expect(bytes.readUInt32LE(0)).toBe(bytes.length - 4);
    expect(bytes[4]).toBe(1); // Mysqlx.ServerMessages ERROR
    expect(bytes.subarray(5).toString('latin1')).toContain("This version of MySQL doesn't yet support 'X Protocol'");
    expect(bytes.subarray(5).toString('latin1')).toContain('42000');
  });

  it(req(['NETNS-041', 'NETNS-039'], 'wire', 'an X address that cannot be bound in its namespace is skipped; with none bound the server still serves'), async () => {
    const xp = await freePort();
    // 192.0.2.2 exists only in red, so binding it inside blue fails (EADDRNOTAVAIL).
    const t = await startTestServer({ options: { mysqlx: 'ON', 'mysqlx-port': xp, 'mysqlx-bind-address': `${RED}/blue` } });
    try {
      expect(t.logLines).toContainEqual(expect.stringContaining(`[ERROR] [MY-011300] [Server] Setup of bind-address: '${RED}/blue' port: ${xp} failed, \`bind()\` failed with error: Cannot assign requested address (99). Do you already have another mysqld server running with Mysqlx ?`));
      expect(t.logLines).toContainEqual(expect.stringContaining(`[ERROR] [MY-013597] [Server] Value '${RED}/blue' set to \`Mysqlx_bind_address\`, X Plugin can't bind to it. Skipping this value.`));
      expect(t.logLines).toContainEqual(expect.stringContaining("[ERROR] [MY-011292] [Server] Preparation of I/O interfaces failed, X Protocol won't be accessible"));
      const c = await t.connect();
      const [rows] = await c.query('SELECT 1 AS one');
      expect(rows).toEqual([{ one: 1 }]);
      await c.end();
    } finally {
      await t.stop();
    }
  });

  it(req(['NETNS-014', 'NETNS-013', 'NETNS-040'], 'unit', 'without CAP_SYS_ADMIN a namespaced bind logs exactly MY-013408 and the server exits'), async () => {
    const p = await spawned([`--bind-address=127.0.0.1,${RED}/red`], ['setpriv', '--bounding-set=-sys_admin', '--']);
    expect(await p.exited).not.toBe(0);
    expect(p.lines).toContainEqual(expect.stringMatching(/^\S+ 0 \[ERROR\] \[MY-013408\] \[Server\] setns\(\) failed with error 'Operation not permitted'$/));
    expect(p.lines.at(-1)).toMatch(/\[ERROR\] \[MY-010119\] \[Server\] Aborting$/);
    expect(p.lines.some((l) => l.includes('ready for connections'))).toBe(false);
    // The same for the admin interface in a namespace.
    const a = await spawned([`--admin-address=${RED}/red`, `--admin-port=${await freePort()}`], ['setpriv', '--bounding-set=-sys_admin', '--']);
    expect(await a.exited).not.toBe(0);
    expect(a.lines).toContainEqual(expect.stringContaining("[ERROR] [MY-013408] [Server] setns() failed with error 'Operation not permitted'"));
  });

  it(req(['NETNS-040', 'NETNS-035'], 'unit', 'an address that does not exist inside its namespace stops startup with the bind error'), async () => {
    // 198.51.100.2 lives in blue, not in red.
    const p = await spawned([`--bind-address=127.0.0.1,${BLUE}/red`]);
    expect(await p.exited).not.toBe(0);
    expect(p.lines).toContainEqual(expect.stringMatching(/\[ERROR\] \[MY-010262\] \[Server\] Can't start server: Bind on TCP\/IP port: Cannot assign requested address$/));
    expect(p.lines).toContainEqual(expect.stringMatching(/\[ERROR\] \[MY-010257\] \[Server\] Do you already have another mysqld server running on port: \d+ \?$/));
    expect(p.lines.at(-1)).toMatch(/\[MY-010119\] \[Server\] Aborting$/);
  });

  it(req(['NETNS-036', 'NETNS-040', 'NETNS-010'], 'unit', 'an unknown namespace stops startup and the server does not create it'), async () => {
    const p = await spawned([`--bind-address=${RED}/refmysql_absent`]);
    expect(await p.exited).not.toBe(0);
    expect(p.lines).toContainEqual(expect.stringMatching(/\[ERROR\] \[MY-013406\] \[Server\] Unknown network namespace 'refmysql_absent'$/));
    expect(existsSync('/run/netns/refmysql_absent')).toBe(false);
  });

  it(req(['NETNS-031', 'NETNS-035'], 'wire', 'a host name resolved by the global resolver (localhost) is bound inside the namespace'), async () => {
    const t = await startTestServer({ options: { 'bind-address': '127.0.0.1,localhost/red' } });
    try {
      expect(listeningSockets('red')).toContain(`127.0.0.1:${t.port}`);
      const r = await mariadbIn('red', '127.0.0.1', t.port, 'root', '', 'SELECT 7');
      // root@localhost: the red-side loopback client is a loopback client too.
      expect(r.stdout).toBe('7\n');
    } finally {
      await t.stop();
    }
  });

  it(req(['NETNS-012'], 'unit', 'a host name known only to /etc/netns/red/hosts cannot be bound (the global resolver does not see it)'), async () => {
    const dir = '/etc/netns/red';
    const file = `${dir}/hosts`;
    const name = 'refmysql-red-only.test';
    const hadDir = existsSync(dir);
    const previous = existsSync(file) ? readFileSync(file, 'utf8') : null;
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, `${previous ?? '127.0.0.1 localhost\n'}${RED} ${name}\n`);
    try {
      // Inside red (ip netns exec bind-mounts the file over /etc/hosts) the name resolves...
      const inRed = await runCommand('ip', ['netns', 'exec', 'red', 'getent', 'hosts', name]);
      expect(inRed.stdout).toContain(RED);
      // ...but the server resolves with the global resolver and cannot start.
      const p = await spawned([`--bind-address=${name}/red`]);
      expect(await p.exited).not.toBe(0);
      expect(p.lines).toContainEqual(expect.stringMatching(/\[ERROR\] \[MY-010255\] \[Server\] Can't create IP socket: /));
      expect(p.lines).toContainEqual(expect.stringContaining("[ERROR] [MY-010256] [Server] Can't start server: cannot resolve hostname!"));
      expect(p.lines.at(-1)).toMatch(/\[MY-010119\] \[Server\] Aborting$/);
    } finally {
      if (previous === null) rmSync(file, { force: true });
      else writeFileSync(file, previous);
      if (!hadDir) rmSync(dir, { recursive: true, force: true });
    }
  });
});
