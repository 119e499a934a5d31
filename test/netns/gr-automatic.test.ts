/**
 * The automatic Group Replication allowlist inside a namespace with known interfaces: red (from
 * the fixture: vpeer-red 192.0.2.2/24, a public documentation address) gets a private IPv4
 * subnet 10.77.0.2/24 and a unique-local IPv6 subnet fd00:77::2/64. refmysqld runs inside red
 * (`ip netns exec red`), installs the plugin and starts Group Replication from its init file;
 * the error log must name the private subnets and localhost and nothing from 192.0.2.0/24, and
 * a peer from 10.77.0.2 is admitted while one from 192.0.2.2 is refused.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { BlockList } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeNetns, nsExec, setupRedBlue, type RedBlue } from '../helpers/netns.js';
import { req } from '../helpers/req.js';
import { initializedDatadir, spawnServer, type SpawnedServer } from '../helpers/server.js';
import { acceptedLine, refusedLine } from '../wire/gr-harness.js';

const GCS_PORT = 33061;
const PRIVATE_V4 = '10.77.0.2';
const ULA_V6 = 'fd00:77::2';

/** A peer inside red connecting from `source`; it stays connected until killed. */
function peerInRed(target: string, source: string): ChildProcess {
  const script =
    "const s=require('net').connect({host:process.argv[1],port:+process.argv[2],localAddress:process.argv[3]});" +
    "s.on('error',()=>process.exit(2));s.on('close',()=>process.exit(0));";
  return spawn('ip', ['netns', 'exec', 'red', process.execPath, '-e', script, target, String(GCS_PORT), source], { stdio: 'ignore' });
}

describeNetns('GR automatic allowlist from the interfaces of namespace red', () => {
  let rb: RedBlue | undefined;
  let server: SpawnedServer | undefined;
  let dir = '';
  let parent = '';
  const peers: ChildProcess[] = [];

  beforeAll(async () => {
    rb = await setupRedBlue();
    for (const argv of [
      ['ip', 'addr', 'add', `${PRIVATE_V4}/24`, 'dev', 'vpeer-red'],
      ['ip', '-6', 'addr', 'add', `${ULA_V6}/64`, 'dev', 'vpeer-red', 'nodad'],
    ]) {
      const r = nsExec('red', argv);
      if (r.status !== 0) throw new Error(`${argv.join(' ')}: ${r.stderr}`);
    }
    dir = mkdtempSync(join(tmpdir(), 'refmysql-gr-auto-'));
    const init = join(dir, 'init.sql');
    writeFileSync(
      init,
      [
        "INSTALL PLUGIN group_replication SONAME 'group_replication.so';",
        "SET GLOBAL group_replication_group_name = 'aaaaaaaa-0000-1111-2222-333333333333';",
        `SET GLOBAL group_replication_local_address = '${PRIVATE_V4}:${GCS_PORT}';`,
        'START GROUP_REPLICATION;',
        '',
      ].join('\n'),
    );
    const d = await initializedDatadir();
    parent = d.parent;
    server = spawnServer(['--no-defaults', `--datadir=${d.datadir}`, '--port=0', '--bind-address=127.0.0.1', '--log-error-verbosity=3', `--init-file=${init}`], {
      prefix: ['ip', 'netns', 'exec', 'red'],
    });
    await server.ready;
  }, 120_000);

  afterAll(async () => {
    for (const p of peers) p.kill();
    server?.kill('SIGTERM');
    await server?.exited;
    await rb?.teardown();
    if (dir) rmSync(dir, { recursive: true, force: true });
    if (parent) rmSync(parent, { recursive: true, force: true });
  }, 60_000);

  it(req(['GRALLOW-002', 'GRALLOW-003', 'GRALLOW-004'], 'unit', 'the error log names the private subnets of red and IPv4/IPv6 localhost'), async () => {
    const line = await server!.waitForLine(/\[Note\] \[MY-011735\] \[Repl\] Plugin group_replication reported: '\[GCS\] Added automatically IP ranges (\S+) to the allowlist'/);
    const ranges = /IP ranges (\S+) to the allowlist/.exec(line)![1]!.split(',');
    expect(ranges).toContain(`${PRIVATE_V4}/24`);
    expect(ranges).toContain(`${ULA_V6}/64`);
    expect(ranges).toContain('127.0.0.1/8');
    expect(ranges).toContain('::1/128');
    await server!.waitForLine(/Plugin 'group_replication' has been started\./);
  });

  it(req(['GRALLOW-005', 'GRALLOW-003'], 'unit', 'no public address (192.0.2.0/24 of vpeer-red) is in the automatic list'), async () => {
    const line = await server!.waitForLine(/Added automatically IP ranges (\S+) to the allowlist/);
    const ranges = /IP ranges (\S+) to the allowlist/.exec(line)![1]!.split(',');
    const pub = new BlockList();
    pub.addSubnet('192.0.2.0', 24, 'ipv4');
    pub.addSubnet('198.51.100.0', 24, 'ipv4');
    for (const r of ranges) {
      const addr = r.slice(0, r.lastIndexOf('/'));
      expect(pub.check(addr, addr.includes(':') ? 'ipv6' : 'ipv4'), r).toBe(false);
    }
  });

  it(req(['GRALLOW-005', 'GRALLOW-002', 'GRALLOW-024'], 'wire', 'a peer on the private subnet is admitted, one from the public address is refused'), async () => {
    peers.push(peerInRed(PRIVATE_V4, PRIVATE_V4));
    await server!.waitForLine(acceptedLine(PRIVATE_V4));
    const refusedPeer = peerInRed(PRIVATE_V4, '192.0.2.2');
    peers.push(refusedPeer);
    await server!.waitForLine(refusedLine('192.0.2.2'));
    const code = await new Promise<number | null>((r) => (refusedPeer.exitCode !== null ? r(refusedPeer.exitCode) : refusedPeer.once('exit', (c) => r(c))));
    expect(code).toBe(0); // the server closed the refused connection
    expect(server!.lines.some((l) => acceptedLine('192.0.2.2').test(l))).toBe(false);
  });
});
