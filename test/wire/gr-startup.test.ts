/**
 * The group_replication plugin at startup: --plugin-load-add=group_replication.so loads it, its
 * variables can then be given as options (and must be, without it, prefixed with --loose-),
 * start_on_boot (ON by default) starts Group Replication during startup, and a plugin recorded by
 * INSTALL PLUGIN is loaded again with its options honoured.
 */
import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { queryError } from '../helpers/sql.js';
import { req } from '../helpers/req.js';
import { initializedDatadir } from '../helpers/server.js';
import { freePort, tryPeer, startGrServer } from './gr-harness.js';

const GROUP = 'cccccccc-0000-1111-2222-333333333333';

describe('group_replication.so at startup', () => {
  it(req(['GRALLOW-022', 'GRALLOW-001', 'GRALLOW-010'], 'wire', '--plugin-load-add with allowlist options starts on boot and applies the list'), async () => {
    const port = await freePort();
    const srv = await startGrServer([
      '--plugin-load-add=group_replication.so',
      `--group-replication-group-name=${GROUP}`,
      `--group_replication_local_address=127.0.0.1:${port}`,
      '--group-replication-ip-allowlist=127.0.0.5,127.0.0.16/28',
    ]);
    try {
      await srv.waitForLine(/Plugin 'group_replication' has been started\./);
      const c = await srv.connect();
      const [rows] = await c.query({ sql: 'SELECT @@group_replication_ip_allowlist, @@group_replication_start_on_boot', rowsAsArray: true });
      expect(rows).toEqual([['127.0.0.5,127.0.0.16/28', 1]]);
      const a = await tryPeer(srv, '127.0.0.1', port, '127.0.0.5');
      expect(a.outcome).toBe('accepted');
      const b = await tryPeer(srv, '127.0.0.1', port, '127.0.0.20');
      expect(b.outcome).toBe('accepted');
      const r = await tryPeer(srv, '127.0.0.1', port, '127.0.0.40');
      expect(r.outcome).toBe('refused');
      await r.closed;
      a.socket.destroy();
      b.socket.destroy();
      expect(await queryError(c, "SET GLOBAL group_replication_ip_allowlist = '10.0.0.0/8'")).toMatchObject({ errno: 3093 });
      await c.end();
    } finally {
      await srv.stop();
    }
  });

  it(req(['GRALLOW-022'], 'wire', 'without the plugin an allowlist option is an unknown variable; --loose- only warns'), async () => {
    await expect(startGrServer(['--group-replication-ip-allowlist=127.0.0.5'])).rejects.toThrow(/unknown variable 'group-replication-ip-allowlist=127\.0\.0\.5'/);
    const srv = await startGrServer(['--loose-group-replication-ip-allowlist=127.0.0.5']);
    try {
      await srv.waitForLine(/\[Warning\] \[MY-000067\] \[Server\] unknown variable 'loose_group-replication-ip-allowlist=127\.0\.0\.5'\./);
      const c = await srv.connect();
      expect((await queryError(c, 'SELECT @@group_replication_ip_allowlist')).errno).toBe(1193);
      await c.end();
    } finally {
      await srv.stop();
    }
  });

  it(req(['GRALLOW-008', 'GRALLOW-004'], 'wire', 'a malformed list given at startup is reported when Group Replication starts; the server keeps running'), async () => {
    const port = await freePort();
    const srv = await startGrServer([
      '--plugin-load-add=group_replication.so',
      `--group-replication-group-name=${GROUP}`,
      `--group_replication_local_address=127.0.0.1:${port}`,
      '--group-replication-ip-allowlist=300.1.1.1',
      '--plugin-load-add=no_such_plugin.so',
    ]);
    try {
      await srv.waitForLine(/\[ERROR\] \[MY-010901\] \[Server\] Can't open shared library '.*no_such_plugin\.so' \(errno: 2 /);
      await srv.waitForLine(/\[ERROR\] \[MY-010736\] \[Server\] Couldn't load plugin named '' with soname 'no_such_plugin\.so'\./);
      await srv.waitForLine(/\[ERROR\] \[MY-011735\] \[Repl\] Plugin group_replication reported: '\[GCS\] Invalid IP or subnet mask in the allowlist: 300\.1\.1\.1'/);
      await srv.waitForLine(/\[ERROR\] \[MY-011660\] \[Repl\] Plugin group_replication reported: 'Unable to start Group Replication on boot'/);
      const c = await srv.connect();
      expect(await queryError(c, 'START GROUP_REPLICATION')).toMatchObject({ errno: 3096 });
      await c.end();
    } finally {
      await srv.stop();
    }
  });

  it(req(['GRALLOW-022'], 'wire', 'INSTALL PLUGIN is remembered: after a restart the plugin loads again and its options apply; --plugin-load-add is not remembered'), async () => {
    const dir = await initializedDatadir();
    try {
      const first = await startGrServer([], { datadir: dir, keepDatadir: true });
      const c1 = await first.connect();
      await c1.query("INSTALL PLUGIN group_replication SONAME 'group_replication.so'");
      await c1.end();
      await first.stop();
      const second = await startGrServer(['--group-replication-ip-allowlist=192.0.2.0/24', '--group-replication-start-on-boot=OFF'], { datadir: dir, keepDatadir: true });
      const c2 = await second.connect();
      const [rows] = await c2.query({ sql: 'SELECT @@group_replication_ip_allowlist, @@group_replication_start_on_boot', rowsAsArray: true });
      expect(rows).toEqual([['192.0.2.0/24', 0]]);
      await c2.query('UNINSTALL PLUGIN group_replication');
      await c2.end();
      await second.stop();
      // Loaded only by option: gone after a restart without the option.
      const third = await startGrServer(['--plugin-load-add=group_replication.so', '--group-replication-start-on-boot=OFF'], { datadir: dir, keepDatadir: true });
      await third.stop();
      const fourth = await startGrServer([], { datadir: dir, keepDatadir: true });
      const c4 = await fourth.connect();
      expect((await queryError(c4, 'SELECT @@group_replication_ip_allowlist')).errno).toBe(1193);
      await c4.end();
      await fourth.stop();
    } finally {
      rmSync(dir.parent, { recursive: true, force: true });
    }
  });
});
