/**
 * Host-name allowlist entries with a hosts file of the test's own: refmysqld runs as a child in a
 * private mount namespace where the test's files are bind-mounted over /etc/hosts and
 * /etc/resolv.conf (an empty one: no DNS server), so the server's own resolver (getaddrinfo /
 * getnameinfo) answers from the test's table. Names are resolved when a peer connects, with
 * forward-confirmed reverse DNS; unresolvable names are skipped with the plugin's warning.
 *
 * Needs root (unshare --mount, mount --bind); elsewhere the file reports one skipped test naming
 * the reason.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { req } from '../helpers/req.js';
import { initializedDatadir, spawnServer, type SpawnedServer } from '../helpers/server.js';
import { acceptedLine, freePort, peerConnect, refusedLine } from './gr-harness.js';

const GROUP = '11111111-2222-3333-4444-555555555555';

/** Whether a private mount namespace with bind mounts can be made here. */
function mountNamespaceSupport(): { ok: boolean; reason: string } {
  if (process.getuid?.() !== 0) return { ok: false, reason: 'not running as root (unshare --mount needs CAP_SYS_ADMIN)' };
  const r = spawnSync('unshare', ['--mount', '--', 'sh', '-c', 'mount --bind /dev/null /etc/hosts'], { encoding: 'utf8' });
  if (r.error) return { ok: false, reason: `unshare not runnable: ${r.error.message}` };
  if (r.status !== 0) return { ok: false, reason: `unshare --mount / mount --bind failed: ${r.stderr.trim()}` };
  return { ok: true, reason: '' };
}

const support = mountNamespaceSupport();

const HOSTS = [
  '127.0.0.1 localhost',
  '::1 localhost ip6-localhost',
  // good.gr.test: forward and reverse agree.
  '127.0.0.5 good.gr.test',
  // 127.0.0.6 reverse-resolves to real.gr.test, so fake.gr.test pointing at it is not confirmed.
  '127.0.0.6 real.gr.test',
  '127.0.0.6 fake.gr.test',
  // A subnet named by a host: net.gr.test/29 covers 127.0.0.16-23.
  '127.0.0.17 net.gr.test',
  // dual.gr.test has IPv6 and IPv4 addresses; IPv4 is preferred for the local address.
  '::1 dual.gr.test',
  '127.0.0.1 dual.gr.test',
  '',
].join('\n');

if (!support.ok) {
  describe('GR allowlist host names (FCrDNS)', () => {
    it.skip(`skipped: ${support.reason}`, () => undefined);
  });
} else {
  describe('GR allowlist host names (FCrDNS) with the test\'s own hosts file', () => {
    let dir = '';
    let data: { parent: string; datadir: string };
    let child: SpawnedServer;
    let conn: mysql.Connection;
    let gcsPort = 0;

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'refmysql-gr-hosts-'));
      const hosts = join(dir, 'hosts');
      const resolv = join(dir, 'resolv.conf');
      writeFileSync(hosts, HOSTS);
      writeFileSync(resolv, '');
      data = await initializedDatadir();
      child = spawnServer(['--no-defaults', `--datadir=${data.datadir}`, '--port=0', '--bind-address=127.0.0.1', '--log-error-verbosity=3'], {
        prefix: ['unshare', '--mount', '--', 'sh', '-c', `mount --bind '${hosts}' /etc/hosts && mount --bind '${resolv}' /etc/resolv.conf && exec "$@"`, 'sh'],
      });
      await child.ready;
      conn = await mysql.createConnection({ host: '127.0.0.1', port: child.port, user: 'root', password: '' });
      await conn.query("INSTALL PLUGIN group_replication SONAME 'group_replication.so'");
      gcsPort = await freePort();
      await conn.query(`SET GLOBAL group_replication_group_name = '${GROUP}'`);
    });

    afterAll(async () => {
      await conn?.end().catch(() => undefined);
      child?.kill('SIGTERM');
      await child?.exited;
      rmSync(dir, { recursive: true, force: true });
      if (data) rmSync(data.parent, { recursive: true, force: true });
    });

    /** Which of the two lines the server wrote for `addr`. */
    async function outcome(addr: string): Promise<'accepted' | 'refused'> {
      const line = await child.waitForLine(new RegExp(`${acceptedLine(addr).source}|${refusedLine(addr).source}`));
      return acceptedLine(addr).test(line) ? 'accepted' : 'refused';
    }

    it(req(['GRALLOW-013', 'GRALLOW-009'], 'wire', 'a local_address host name with IPv6 and IPv4 addresses listens on its IPv4 address'), async () => {
      await conn.query(`SET GLOBAL group_replication_local_address = 'dual.gr.test:${gcsPort}'`);
      await conn.query("SET GLOBAL group_replication_ip_allowlist = 'missing.gr.test,fake.gr.test,good.gr.test,net.gr.test/29'");
      await conn.query('START GROUP_REPLICATION');
      await child.waitForLine(/\[Note\] \[MY-011735\] \[Repl\] Plugin group_replication reported: '\[GCS\] Translated 'dual\.gr\.test' to 127\.0\.0\.1'/);
      expect(child.lines.some((l) => /Translated 'dual\.gr\.test' to ::1/.test(l))).toBe(false);
      await expect(peerConnect('::1', gcsPort)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    });

    it(req(['GRALLOW-019', 'GRALLOW-018'], 'wire', 'a host name confirmed by forward and reverse lookup admits its address'), async () => {
      const p = await peerConnect('127.0.0.1', gcsPort, '127.0.0.5');
      expect(await outcome('127.0.0.5')).toBe('accepted');
      p.socket.destroy();
    });

    it(req(['GRALLOW-019'], 'wire', 'a host name whose address reverse-resolves to another name is not confirmed: refused'), async () => {
      const p = await peerConnect('127.0.0.1', gcsPort, '127.0.0.6');
      expect(await outcome('127.0.0.6')).toBe('refused');
      await p.closed;
      await child.waitForLine(/refmysql: address 127\.0\.0\.6 of allowlist host name fake\.gr\.test failed forward-confirmed reverse DNS \(reverse name 'real\.gr\.test'\); not used\./);
    });

    it(req(['GRALLOW-018'], 'unit', 'an unresolvable host name is skipped with the plugin\'s warning'), async () => {
      await child.waitForLine(/\[Warning\] \[MY-011735\] \[Repl\] Plugin group_replication reported: '\[GCS\] Hostname missing\.gr\.test in Allowlist configuration was not resolvable\. Please check your Allowlist configuration\.'/);
    });

    it(req(['GRALLOW-010', 'GRALLOW-019'], 'wire', 'a host name with a CIDR suffix admits its confirmed address\'s subnet and nothing outside it'), async () => {
      const inNet = await peerConnect('127.0.0.1', gcsPort, '127.0.0.20');
      expect(await outcome('127.0.0.20')).toBe('accepted');
      inNet.socket.destroy();
      const outNet = await peerConnect('127.0.0.1', gcsPort, '127.0.0.24');
      expect(await outcome('127.0.0.24')).toBe('refused');
      await outNet.closed;
    });

    it(req(['GRALLOW-018'], 'wire', 'names are resolved at connection time: a hosts-file change applies to the next peer without a restart'), async () => {
      // good.gr.test moves to 127.0.0.8; the running member sees it on the next connection.
      writeFileSync(join(dir, 'hosts'), HOSTS.replace('127.0.0.5 good.gr.test', '127.0.0.8 good.gr.test'));
      const moved = await peerConnect('127.0.0.1', gcsPort, '127.0.0.8');
      expect(await outcome('127.0.0.8')).toBe('accepted');
      moved.socket.destroy();
      await conn.query('STOP GROUP_REPLICATION');
    });
  });
}
