/**
 * The red/blue namespace fixture itself (NETNS-017): both ends of each veth pair, loopback up
 * inside each namespace (a TCP listener and a connection made inside it), the optional
 * forwarding with its default routes, and a teardown that can run twice and puts ip_forward
 * back. The evidence is 'unit': the fixture is test machinery and no MySQL client is involved.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/network-namespace-support.html (5.1.14)
 */
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { expect, it } from 'vitest';
import { connectInNamespace, listenInNamespace } from '../../src/netns/namespace.js';
import { BLUE, describeNetns, nsExec, readAll, RED, run, setupRedBlue, type NamespaceEnd } from '../helpers/netns.js';
import { req } from '../helpers/req.js';

const forward = (): string => readFileSync('/proc/sys/net/ipv4/ip_forward', 'utf8').trim();

/** The IPv4 address/prefix of a device, globally ('' ns) or inside a namespace. */
function addressOf(ns: string, dev: string): string[] {
  const argv = ['ip', '-4', '-o', 'addr', 'show', 'dev', dev];
  const out = (ns ? nsExec(ns, argv) : run(argv)).stdout;
  return [...out.matchAll(/inet (\S+)/g)].map((m) => m[1]!);
}

describeNetns('the red/blue fixture', () => {
  it(req(['NETNS-017'], 'unit', 'builds red and blue with the manual\'s veth addresses and loopback up, routes between them when asked, and tears down idempotently restoring ip_forward'), async () => {
    const before = forward();
    const rb = await setupRedBlue({ forwarding: true });
    let ends: NamespaceEnd[] = [];
    try {
      ends = [rb.red, rb.blue];
      expect(ends.map((e) => [e.name, e.nsDev, e.nsAddress, e.hostDev])).toEqual([
        ['red', 'vpeer-red', '192.0.2.2', 'veth-red'],
        ['blue', 'vpeer-blue', '198.51.100.2', 'veth-blue'],
      ]);
      for (const end of ends) {
        const template = end.name === 'red' ? RED : BLUE;
        expect(addressOf(end.name, end.nsDev)).toEqual([`${end.nsAddress}/24`]);
        // The global end has the manual's address unless this machine already uses that /24.
        expect(addressOf('', end.hostDev)).toEqual(end.hostAddress ? [`${template.hostAddress}/24`] : []);
        if (!end.hostAddress) expect(end.hostConflict).not.toBe('');
        expect(nsExec(end.name, ['ip', '-o', 'link', 'show', 'lo']).stdout).toMatch(/<LOOPBACK,UP/);
        // Loopback works inside the namespace: a listener on 127.0.0.1 there answers a
        // connection made there.
        const s: Server = createServer((sock) => sock.end(`hi ${sock.remoteAddress}`));
        try {
          await listenInNamespace(s, end.name, '127.0.0.1', 0);
          const port = (s.address() as { port: number }).port;
          expect(await readAll(await connectInNamespace(end.name, '127.0.0.1', port))).toBe('hi 127.0.0.1');
        } finally {
          await new Promise<void>((r) => s.close(() => r()));
        }
        // Forwarding: a default route through the global end, where it has an address.
        const routes = nsExec(end.name, ['ip', 'route', 'show']).stdout;
        if (end.hostAddress) expect(routes).toContain(`default via ${end.hostAddress} dev ${end.nsDev}`);
      }
      expect(forward()).toBe('1');
    } finally {
      await rb.teardown();
    }
    const gone = (): void => {
      expect(existsSync('/run/netns/red')).toBe(false);
      expect(existsSync('/run/netns/blue')).toBe(false);
      expect(run(['ip', 'link', 'show', 'veth-red']).status).not.toBe(0);
      expect(run(['ip', 'link', 'show', 'veth-blue']).status).not.toBe(0);
      expect(forward()).toBe(before);
    };
    gone();
    await rb.teardown(); // a second teardown is harmless
    gone();
    // Without forwarding the setting is left alone.
    const plain = await setupRedBlue();
    try {
      expect(forward()).toBe(before);
      expect(nsExec('red', ['ip', 'route', 'show']).stdout).not.toContain('default');
    } finally {
      await plain.teardown();
    }
    gone();
  });
});
