/**
 * GRALLOW-012 with two members: two refmysqld processes run inside namespace blue, each with its
 * own group_replication_local_address on blue's private subnet, configured and started through
 * mysql2 (their SQL ports listen on blue's veth address, reachable from the test process).
 *
 * refmysql members do not speak XCom to each other (see the spec decisions), so a member's
 * outgoing group-communication connection is stood in for by a TCP connection made from inside
 * blue with the source address of that member's local_address. What is proven: when every
 * member's list names every member's local address, each member admits the others; when one
 * member's list leaves another member's address out, that member refuses it (with MySQL's
 * refusal warning) while still admitting the addresses it lists.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/group-replication-ip-address-permissions.html
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeNetns, nsExec, setupRedBlue, type RedBlue } from '../helpers/netns.js';
import { req } from '../helpers/req.js';
import { initializedDatadir, spawnServer, type SpawnedServer } from '../helpers/server.js';
import { acceptedLine, refusedLine } from '../wire/gr-harness.js';

const GROUP = 'bbbbbbbb-0000-1111-2222-333333333333';
const GCS_PORT = 33061;
const A = '10.88.0.2';
const B = '10.88.0.3';
const OUTSIDER = '10.88.0.9';

interface Member {
  server: SpawnedServer;
  conn: mysql.Connection;
  parent: string;
}

/** A peer inside blue connecting to target:GCS_PORT from `source`; it stays until the server closes it or it is killed. */
function peerInBlue(target: string, source: string): ChildProcess {
  const script =
    "const s=require('net').connect({host:process.argv[1],port:+process.argv[2],localAddress:process.argv[3]});" +
    "s.on('error',()=>process.exit(2));s.on('close',()=>process.exit(0));";
  return spawn('ip', ['netns', 'exec', 'blue', process.execPath, '-e', script, target, String(GCS_PORT), source], { stdio: 'ignore' });
}

describeNetns('GR allowlists of a two-member group inside namespace blue', () => {
  let rb: RedBlue | undefined;
  let dir = '';
  const members: Member[] = [];
  const peers: ChildProcess[] = [];

  async function startMember(): Promise<Member> {
    const d = await initializedDatadir();
    const init = join(dir, `init-${members.length}.sql`);
    writeFileSync(init, ["CREATE USER 'gr'@'%' IDENTIFIED BY 'grpw';", "GRANT ALL ON *.* TO 'gr'@'%';", "INSTALL PLUGIN group_replication SONAME 'group_replication.so';", ''].join('\n'));
    const server = spawnServer(
      ['--no-defaults', `--datadir=${d.datadir}`, '--port=0', `--bind-address=${rb!.blue.nsAddress}`, '--mysqlx=OFF', '--log-error-verbosity=3', `--init-file=${init}`],
      { prefix: ['ip', 'netns', 'exec', 'blue'] },
    );
    await server.ready;
    const conn = await mysql.createConnection({ host: rb!.blue.nsAddress, port: server.port, user: 'gr', password: 'grpw' });
    const m = { server, conn, parent: d.parent };
    members.push(m);
    return m;
  }

  async function configure(m: Member, local: string, allowlist: string): Promise<void> {
    await m.conn.query('STOP GROUP_REPLICATION');
    await m.conn.query(`SET GLOBAL group_replication_group_name = '${GROUP}'`);
    await m.conn.query(`SET GLOBAL group_replication_local_address = '${local}:${GCS_PORT}'`);
    await m.conn.query(`SET GLOBAL group_replication_ip_allowlist = '${allowlist}'`);
    await m.conn.query('START GROUP_REPLICATION');
  }

  async function outcome(m: Member, target: string, source: string): Promise<'accepted' | 'refused'> {
    // Only lines written after this peer connects count (an earlier verdict on the same address
    // must not be mistaken for it).
    const from = m.server.lines.length;
    const p = peerInBlue(target, source);
    peers.push(p);
    for (let i = 0; i < 1000; i++) {
      const line = m.server.lines.slice(from).find((l) => acceptedLine(source).test(l) || refusedLine(source).test(l));
      if (line) return acceptedLine(source).test(line) ? 'accepted' : 'refused';
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`no verdict on ${source} from the member at ${target}:\n${m.server.lines.slice(from).join('\n')}`);
  }

  beforeAll(async () => {
    rb = await setupRedBlue();
    if (rb.blue.hostAddress === null) throw new Error(`blue's global end has no address: ${rb.blue.hostConflict}`);
    for (const addr of [A, B, OUTSIDER]) {
      const r = nsExec('blue', ['ip', 'addr', 'add', `${addr}/24`, 'dev', rb.blue.nsDev]);
      if (r.status !== 0) throw new Error(`ip addr add ${addr}: ${r.stderr}`);
    }
    dir = mkdtempSync(join(tmpdir(), 'refmysql-gr-members-'));
    await startMember();
    await startMember();
  }, 120_000);

  afterAll(async () => {
    for (const p of peers) p.kill();
    for (const m of members) {
      await m.conn.end().catch(() => undefined);
      m.server.kill('SIGTERM');
      await m.server.exited;
      rmSync(m.parent, { recursive: true, force: true });
    }
    await rb?.teardown();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it(req(['GRALLOW-012', 'GRALLOW-001'], 'wire', 'members whose lists name every member\'s local address admit each other; leaving one member\'s address out of a list makes that member refuse it'), async () => {
    const [ma, mb] = members as [Member, Member];
    // Every list names the host of every member's group_replication_local_address.
    await configure(ma, A, `${A},${B}`);
    await configure(mb, B, `${B}/32,${A}/32`);
    const locals = await Promise.all(
      [ma, mb].map(async (m) => {
        const [[r]] = (await m.conn.query('SELECT @@group_replication_local_address AS a, @@group_replication_ip_allowlist AS l')) as unknown as [[{ a: string; l: string }]];
        return r;
      }),
    );
    expect(locals).toEqual([
      { a: `${A}:${GCS_PORT}`, l: `${A},${B}` },
      { a: `${B}:${GCS_PORT}`, l: `${B}/32,${A}/32` },
    ]);
    const [[st]] = (await ma.conn.query('SELECT MEMBER_STATE AS s FROM performance_schema.replication_group_members')) as unknown as [[{ s: string }]];
    expect(st.s).toBe('ONLINE');
    // Each member admits the other member's address (and its own), but not a stranger's.
    expect(await outcome(ma, A, B)).toBe('accepted');
    expect(await outcome(mb, B, A)).toBe('accepted');
    expect(await outcome(ma, A, OUTSIDER)).toBe('refused');
    expect(await outcome(mb, B, OUTSIDER)).toBe('refused');

    // Member A's list now leaves B out: A refuses B, whose connection is closed at once; B,
    // whose list still names A, keeps admitting A.
    await configure(ma, A, A);
    expect(await outcome(ma, A, B)).toBe('refused');
    expect(await outcome(ma, A, A)).toBe('accepted');
    expect(ma.server.lines.filter((l) => refusedLine(B).test(l))).toHaveLength(1);
    await ma.conn.query('STOP GROUP_REPLICATION');
    await mb.conn.query('STOP GROUP_REPLICATION');
  });
});
