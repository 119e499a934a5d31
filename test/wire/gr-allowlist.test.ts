/**
 * Group Replication IP allowlist over the wire: the plugin is installed with INSTALL PLUGIN, its
 * variables are set through mysql2 (validation errors are MySQL's), START GROUP_REPLICATION opens
 * the group-communication listener and real TCP peers from chosen loopback source addresses are
 * admitted or refused by the list; STOP closes it.
 */
import { createServer, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type mysql from 'mysql2/promise';
import { queryError } from '../helpers/sql.js';
import { req } from '../helpers/req.js';
import { freePort, peerConnect, tryPeer, refusedLine, startGrServer, type GrServer, type Peer } from './gr-harness.js';

const GROUP = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';

let srv: GrServer;
let conn: mysql.Connection;

beforeAll(async () => {
  srv = await startGrServer();
  conn = await srv.connect();
});

afterAll(async () => {
  await conn?.end();
  await srv?.stop();
});

async function scalar(sql: string): Promise<unknown> {
  const [rows] = await conn.query({ sql, rowsAsArray: true });
  return (rows as unknown[][])[0]![0];
}

describe('group_replication plugin', () => {
  it(req(['GRALLOW-022'], 'wire', 'without the plugin the variables are unknown and START GROUP_REPLICATION fails with 3092'), async () => {
    expect((await queryError(conn, 'SELECT @@group_replication_ip_allowlist')).errno).toBe(1193);
    const [none] = await conn.query('SELECT * FROM performance_schema.replication_group_members');
    expect(none).toEqual([]);
    const mark = srv.lines.length;
    const e = await queryError(conn, 'START GROUP_REPLICATION');
    expect(e).toEqual({ errno: 3092, message: 'The server is not configured properly to be an active member of the group. Please see more details on error log.' });
    await srv.waitForLine(/\[ERROR\] \[MY-010381\] \[Server\] Group Replication plugin is not installed\./, mark);
  });

  it(req(['GRALLOW-022', 'GRALLOW-021'], 'wire', 'INSTALL PLUGIN group_replication SONAME group_replication.so defines the variables with their defaults (member OFFLINE)'), async () => {
    const mark = srv.lines.length;
    await conn.query("INSTALL PLUGIN group_replication SONAME 'group_replication.so'");
    // start_on_boot is ON by default, so loading tries to start and logs why it cannot.
    await srv.waitForLine(/\[ERROR\] \[MY-011685\] \[Repl\] Plugin group_replication reported: 'The group_replication_group_name option is mandatory'/, mark);
    await srv.waitForLine(/\[ERROR\] \[MY-011660\] \[Repl\] Plugin group_replication reported: 'Unable to start Group Replication on boot'/, mark);
    const [rows] = await conn.query({ sql: 'SHOW PLUGINS', rowsAsArray: true });
    expect((rows as unknown[][]).filter((r) => r[0] === 'group_replication')).toEqual([['group_replication', 'ACTIVE', 'GROUP REPLICATION', 'group_replication.so', 'GPL']]);
    expect(await scalar('SELECT @@group_replication_ip_allowlist')).toBe('AUTOMATIC');
    expect(await scalar('SELECT @@global.group_replication_ip_whitelist')).toBe('AUTOMATIC');
    expect(await scalar('SELECT @@group_replication_local_address')).toBe('');
    expect(await scalar('SELECT @@group_replication_group_name')).toBeNull();
    expect(await scalar('SELECT @@group_replication_group_seeds')).toBe('');
    expect(await scalar('SELECT @@group_replication_start_on_boot')).toBe(1);
    expect(await scalar('SELECT @@group_replication_bootstrap_group')).toBe(0);
    const [members] = await conn.query({ sql: 'SELECT * FROM performance_schema.replication_group_members', rowsAsArray: true });
    expect(members).toEqual([['group_replication_applier', '', '', null, 'OFFLINE', '', '', '']]);
  });
});

describe('SET GLOBAL validation', () => {
  it(req(['GRALLOW-008', 'GRALLOW-011'], 'wire', 'every entry form is accepted: IPv4, IPv4/CIDR, IPv6, IPv6/CIDR, host names, host names/CIDR, AUTOMATIC'), async () => {
    const value = '192.0.2.0/24,198.51.100.7,2001:db8:85a3:8d3:1319:8a2e:370:7348,2001:db8:85a3:8d3::/64,host1.example.com,host2.example.com/24';
    await conn.query(`SET GLOBAL group_replication_ip_allowlist = '${value}'`);
    expect(await scalar('SELECT @@group_replication_ip_allowlist')).toBe(value);
    await conn.query("SET GLOBAL group_replication_ip_allowlist = 'automatic'");
    await conn.query('SET GLOBAL group_replication_ip_allowlist = DEFAULT');
    expect(await scalar('SELECT @@group_replication_ip_allowlist')).toBe('AUTOMATIC');
  });

  it(req(['GRALLOW-008', 'GRALLOW-010'], 'wire', 'malformed entries are refused with 1231; AUTOMATIC mixed with entries with the plugin\'s 3092 message'), async () => {
    for (const bad of ['300.1.1.1', '10.0.0.0/33', '10.0.0.0/abc', '::1/129', '2001:db8::zz', 'bad_host-.example', '10.0.0.1,,10.0.0.2', '']) {
      const e = await queryError(conn, `SET GLOBAL group_replication_ip_allowlist = '${bad}'`);
      expect(e, bad).toEqual({ errno: 1231, message: `Variable 'group_replication_ip_allowlist' can't be set to the value of '${bad}'` });
    }
    const e = await queryError(conn, "SET GLOBAL group_replication_ip_allowlist = 'AUTOMATIC,10.0.0.1'");
    expect(e).toEqual({
      errno: 3092,
      message: 'The group_replication_ip_allowlist is invalid. Make sure that when specifying "AUTOMATIC" the list contains no other values.',
    });
    expect(await scalar('SELECT @@group_replication_ip_allowlist')).toBe('AUTOMATIC');
  });

  it(req(['GRALLOW-021'], 'wire', 'group_replication_ip_whitelist is a deprecated alias: setting it warns with 1287'), async () => {
    await conn.query("SET GLOBAL group_replication_ip_whitelist = '10.1.0.0/16'");
    const [w] = await conn.query({ sql: 'SHOW WARNINGS', rowsAsArray: true });
    expect(w).toEqual([['Warning', 1287, "'group_replication_ip_whitelist' is deprecated and will be removed in a future release. Please use group_replication_ip_allowlist instead"]]);
    expect((await queryError(conn, "SET GLOBAL group_replication_ip_whitelist = 'x/200'")).errno).toBe(1231);
    await conn.query('SET GLOBAL group_replication_ip_whitelist = DEFAULT');
  });

  it(req(['GRALLOW-025'], 'wire', 'group_replication_group_name must be a UUID'), async () => {
    expect(await queryError(conn, "SET GLOBAL group_replication_group_name = 'not-a-uuid'")).toEqual({ errno: 1231, message: 'The group_replication_group_name is not a valid UUID' });
    expect(await queryError(conn, `SET GLOBAL group_replication_group_name = '${GROUP}-0000'`)).toEqual({
      errno: 1231,
      message: 'The group_replication_group_name is not a valid UUID, its length is too big',
    });
    expect(await scalar('SELECT @@group_replication_group_name')).toBeNull();
  });
});

describe('START / STOP GROUP_REPLICATION and the listener', () => {
  let gcsPort = 0;
  let admitted: Peer[] = [];

  it(req(['GRALLOW-023'], 'wire', 'START needs GROUP_REPLICATION_ADMIN or SUPER'), async () => {
    await conn.query("CREATE USER 'gr_plain'@'localhost' IDENTIFIED BY 'pw'");
    const c = await srv.connect({ user: 'gr_plain', password: 'pw' });
    try {
      expect(await queryError(c, 'START GROUP_REPLICATION')).toEqual({ errno: 1227, message: 'Access denied; you need (at least one of) the SUPER or GROUP_REPLICATION_ADMIN privilege(s) for this operation' });
      expect((await queryError(c, 'STOP GROUP_REPLICATION')).errno).toBe(1227);
    } finally {
      await c.end();
    }
  });

  it(req(['GRALLOW-023'], 'wire', 'START and STOP refuse to run inside a transaction (1192)'), async () => {
    await conn.query('BEGIN');
    expect(await queryError(conn, 'START GROUP_REPLICATION')).toEqual({
      errno: 1192,
      message: "Can't execute the given command because you have active locked tables or an active transaction",
    });
    expect((await queryError(conn, 'STOP GROUP_REPLICATION')).errno).toBe(1192);
    await conn.query('ROLLBACK');
  });

  it(req(['GRALLOW-023'], 'wire', 'START needs group_name and local_address, with MySQL\'s errors and log lines'), async () => {
    let mark = srv.lines.length;
    expect((await queryError(conn, 'START GROUP_REPLICATION')).errno).toBe(3092);
    await srv.waitForLine(/\[MY-011685\] \[Repl\] Plugin group_replication reported: 'The group_replication_group_name option is mandatory'/, mark);
    await conn.query(`SET GLOBAL group_replication_group_name = '${GROUP}'`);
    mark = srv.lines.length;
    expect(await queryError(conn, 'START GROUP_REPLICATION')).toEqual({
      errno: 3096,
      message: 'The START GROUP_REPLICATION command failed as there was an error when initializing the group communication layer.',
    });
    await srv.waitForLine(/\[ERROR\] \[MY-011735\] \[Repl\] Plugin group_replication reported: '\[GCS\] Invalid hostname or IP address \(\) assigned to the parameter local_node!'/, mark);
    await conn.query("SET GLOBAL group_replication_local_address = '192.0.2.250:33061'");
    mark = srv.lines.length;
    expect((await queryError(conn, 'START GROUP_REPLICATION')).errno).toBe(3096);
    await srv.waitForLine(/'\[GCS\] There is no local IP address matching the one configured for the local node \(192\.0\.2\.250:33061\)\.'/, mark);
    // A port that is taken: the engine cannot bind, START fails with 3097.
    const taken = createServer();
    await new Promise<void>((r) => taken.listen({ host: '127.0.0.1', port: 0 }, () => r()));
    const takenPort = (taken.address() as AddressInfo).port;
    try {
      await conn.query(`SET GLOBAL group_replication_local_address = '127.0.0.1:${takenPort}'`);
      mark = srv.lines.length;
      expect(await queryError(conn, 'START GROUP_REPLICATION')).toEqual({
        errno: 3097,
        message: 'The START GROUP_REPLICATION command failed as there was an error when joining the communication group.',
      });
      await srv.waitForLine(new RegExp(`'\\[GCS\\] Unable to bind to 127\\.0\\.0\\.1:${takenPort} \\(errno=98\\)!'`), mark);
      await srv.waitForLine(/\[ERROR\] \[MY-011639\] \[Repl\] Plugin group_replication reported: 'Error on group communication engine start'/, mark);
    } finally {
      await new Promise<void>((r) => taken.close(() => r()));
    }
  });

  it(req(['GRALLOW-001', 'GRALLOW-010', 'GRALLOW-006', 'GRALLOW-024'], 'wire', 'an IPv4 CIDR list admits 127.0.0.5, refuses 127.0.0.9, and localhost is always admitted'), async () => {
    gcsPort = await freePort();
    await conn.query(`SET GLOBAL group_replication_local_address = '127.0.0.1:${gcsPort}'`);
    await conn.query("SET GLOBAL group_replication_ip_allowlist = '127.0.0.4/30'");
    const mark = srv.lines.length;
    await conn.query('START GROUP_REPLICATION');
    await srv.waitForLine(/\[System\] \[MY-013587\] \[Repl\] Plugin group_replication reported: 'Plugin 'group_replication' is starting\.'/, mark);
    await srv.waitForLine(/\[Warning\] .*'\[GCS\] Automatically adding IPv4 localhost address to the allowlist\. It is mandatory that it is added\.'/, mark);
    await srv.waitForLine(/\[System\] \[MY-014010\] \[Repl\] Plugin group_replication reported: 'Plugin 'group_replication' has been started\.'/, mark);

    const inside = await tryPeer(srv, '127.0.0.1', gcsPort, '127.0.0.5');
    expect(inside.outcome).toBe('accepted');
    const outside = await tryPeer(srv, '127.0.0.1', gcsPort, '127.0.0.9');
    expect(outside.outcome).toBe('refused');
    await outside.closed;
    const local = await tryPeer(srv, '127.0.0.1', gcsPort, '127.0.0.1');
    expect(local.outcome).toBe('accepted');
    const [[uuid, port]] = (await conn.query({ sql: 'SELECT @@server_uuid, @@port', rowsAsArray: true }))[0] as unknown[][];
    const [members] = await conn.query({ sql: 'SELECT MEMBER_ID, MEMBER_PORT, MEMBER_STATE, MEMBER_ROLE, MEMBER_VERSION FROM performance_schema.replication_group_members', rowsAsArray: true });
    expect(members).toEqual([[uuid, port, 'ONLINE', 'PRIMARY', '8.0.40']]);
    expect(inside.socket.destroyed).toBe(false);
    expect(local.socket.destroyed).toBe(false);
    // Accepted peers stay connected until Group Replication stops (checked below).
    admitted = [inside, local];
  });

  it(req(['GRALLOW-007'], 'wire', 'the allowlist cannot change while the member is active (3093, 8.0.2x wording)'), async () => {
    expect(await queryError(conn, "SET GLOBAL group_replication_ip_allowlist = '127.0.0.0/8'")).toEqual({
      errno: 3093,
      message: 'The IP allowlist cannot be set while Group Replication is running',
    });
    expect(await queryError(conn, "SET GLOBAL group_replication_ip_whitelist = '127.0.0.0/8'")).toEqual({
      errno: 3093,
      message: 'The IP whitelist cannot be set while Group Replication is running',
    });
    expect(await queryError(conn, `SET GLOBAL group_replication_group_name = '${GROUP.replace('a', 'b')}'`)).toEqual({
      errno: 3093,
      message: 'The group_replication_group_name cannot be changed when Group Replication is running',
    });
    expect(await queryError(conn, 'START GROUP_REPLICATION')).toEqual({ errno: 3093, message: 'The START GROUP_REPLICATION command failed since the group is already running.' });
    expect(await scalar('SELECT @@group_replication_ip_allowlist')).toBe('127.0.0.4/30');
  });

  it(req(['GRALLOW-007', 'GRALLOW-024'], 'wire', 'STOP closes the listener and the admitted connections; then the list can change'), async () => {
    const mark = srv.lines.length;
    await conn.query('STOP GROUP_REPLICATION');
    await srv.waitForLine(/\[System\] \[MY-011650\] \[Repl\] Plugin group_replication reported: 'Plugin 'group_replication' is stopping\.'/, mark);
    await srv.waitForLine(/\[System\] \[MY-011651\] \[Repl\] Plugin group_replication reported: 'Plugin 'group_replication' has been stopped\.'/, mark);
    await Promise.all(admitted.map((p) => p.closed));
    await expect(peerConnect('127.0.0.1', gcsPort, '127.0.0.5')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await conn.query('STOP GROUP_REPLICATION'); // stopping a stopped member is not an error
    const [members] = await conn.query({ sql: 'SELECT MEMBER_STATE, MEMBER_ROLE FROM performance_schema.replication_group_members', rowsAsArray: true });
    expect(members).toEqual([['OFFLINE', '']]);
    await conn.query("SET GLOBAL group_replication_ip_allowlist = '127.0.0.9'");
    expect(await scalar('SELECT @@group_replication_ip_allowlist')).toBe('127.0.0.9');
  });

  it(req(['GRALLOW-001', 'GRALLOW-006'], 'wire', 'after STOP, change and START the new list applies (single address entry)'), async () => {
    await conn.query('START GROUP_REPLICATION');
    const p9 = await tryPeer(srv, '127.0.0.1', gcsPort, '127.0.0.9');
    expect(p9.outcome).toBe('accepted');
    const p5 = await tryPeer(srv, '127.0.0.1', gcsPort, '127.0.0.5');
    expect(p5.outcome).toBe('refused');
    await p5.closed;
    p9.socket.destroy();
    await conn.query('STOP GROUP_REPLICATION');
  });

  it(req(['GRALLOW-001', 'GRALLOW-006', 'GRALLOW-008'], 'wire', 'IPv6: a listener on [::1] admits ::1 when listed and refuses it when the list names only IPv4 localhost'), async () => {
    const port6 = await freePort('::1');
    await conn.query(`SET GLOBAL group_replication_local_address = '[::1]:${port6}'`);
    await conn.query("SET GLOBAL group_replication_ip_allowlist = '::1/128'");
    await conn.query('START GROUP_REPLICATION');
    const ok = await tryPeer(srv, '::1', port6);
    expect(ok.outcome).toBe('accepted');
    ok.socket.destroy();
    await conn.query('STOP GROUP_REPLICATION');
    // A list naming 127.0.0.1/32 counts as naming localhost: ::1 is then not added.
    await conn.query("SET GLOBAL group_replication_ip_allowlist = '127.0.0.1/32,2001:db8::/32'");
    await conn.query('START GROUP_REPLICATION');
    const no = await tryPeer(srv, '::1', port6);
    expect(no.outcome).toBe('refused');
    await no.closed;
    await conn.query('STOP GROUP_REPLICATION');
  });

  it(req(['GRALLOW-002', 'GRALLOW-004'], 'wire', 'AUTOMATIC logs the ranges it added (with 127.0.0.1/8 and ::1/128) and admits loopback peers'), async () => {
    await conn.query(`SET GLOBAL group_replication_local_address = '127.0.0.1:${gcsPort}'`);
    await conn.query('SET GLOBAL group_replication_ip_allowlist = DEFAULT');
    const mark = srv.lines.length;
    await conn.query('START GROUP_REPLICATION');
    const line = await srv.waitForLine(/\[Note\] \[MY-011735\] \[Repl\] Plugin group_replication reported: '\[GCS\] Added automatically IP ranges (\S+) to the allowlist'/, mark);
    const ranges = /IP ranges (\S+) to the allowlist/.exec(line)![1]!.split(',');
    expect(ranges).toContain('127.0.0.1/8');
    expect(ranges).toContain('::1/128');
    const p = await tryPeer(srv, '127.0.0.1', gcsPort, '127.0.0.77');
    expect(p.outcome).toBe('accepted');
    p.socket.destroy();
    await conn.query('STOP GROUP_REPLICATION');
  });

  it(req(['GRALLOW-018'], 'wire', 'an unresolvable host-name entry is skipped with the plugin\'s warning; other entries still apply'), async () => {
    await conn.query("SET GLOBAL group_replication_ip_allowlist = 'no-such-host.invalid,127.0.0.1/32'");
    await conn.query('START GROUP_REPLICATION');
    const m = srv.lines.length;
    const p = await tryPeer(srv, '127.0.0.1', gcsPort, '127.0.0.3');
    expect(p.outcome).toBe('refused');
    await srv.waitForLine(/\[Warning\] \[MY-011735\] \[Repl\] Plugin group_replication reported: '\[GCS\] Hostname no-such-host\.invalid in Allowlist configuration was not resolvable\. Please check your Allowlist configuration\.'/, m);
    await p.closed;
    expect(srv.lines.slice(m).some((l) => refusedLine('127.0.0.3').test(l))).toBe(true);
    await conn.query('STOP GROUP_REPLICATION');
  });

  it(req(['GRALLOW-022'], 'wire', 'UNINSTALL PLUGIN stops Group Replication and removes its variables'), async () => {
    await conn.query("SET GLOBAL group_replication_ip_allowlist = '127.0.0.1/32'");
    await conn.query('START GROUP_REPLICATION');
    await conn.query('UNINSTALL PLUGIN group_replication');
    expect((await queryError(conn, 'SELECT @@group_replication_ip_allowlist')).errno).toBe(1193);
    await expect(peerConnect('127.0.0.1', gcsPort, '127.0.0.1')).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });
});
