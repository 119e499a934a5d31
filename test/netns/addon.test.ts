/**
 * The native namespace addon through its TypeScript wrapper: listeners and outgoing connections
 * inside red, the thread's namespace restored after every call, MySQL's error wording.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/network-namespace-support.html (5.1.14)
 * @req NETNS-010 NETNS-011 NETNS-013 NETNS-017 NETNS-018 NETNS-036
 */
import { spawnSync } from 'node:child_process';
import { connect, createServer, type Server } from 'node:net';
import { afterEach, expect, it } from 'vitest';
import { connectInNamespace, currentNamespaceId, listenFdInNamespace, listenInNamespace, NamespaceError } from '../../src/netns/namespace.js';
import { REPO_ROOT } from '../helpers/server.js';
import { describeNetns, listeningSockets, nsExec, readAll, RED, run, useRedBlue } from '../helpers/netns.js';
import { req } from '../helpers/req.js';

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((r) => s.close(() => r()))));
});

function echoServer(): Server {
  const s = createServer((sock) => sock.end(`hello ${sock.remoteAddress}`));
  servers.push(s);
  return s;
}

function globalConnect(host: string, port: number): Promise<string> {
  return new Promise((res) => {
    const c = connect({ host, port });
    c.once('connect', () => {
      c.destroy();
      res('connected');
    });
    c.once('error', (e: NodeJS.ErrnoException) => res(e.code ?? 'error'));
  });
}

describeNetns('native namespace addon', () => {
  const env = useRedBlue();

  // 'unit': this checks the fixture's addresses with `ip`; no client connects to a server here.
  it(req(['NETNS-017', 'NETNS-018'], 'unit', 'the fixture builds red and blue as in the manual'), () => {
    const addr = nsExec('red', ['ip', '-4', '-o', 'addr', 'show', 'dev', 'vpeer-red']);
    expect(addr.stdout).toContain('192.0.2.2/24');
    const blue = nsExec('blue', ['ip', '-4', '-o', 'addr', 'show', 'dev', 'vpeer-blue']);
    expect(blue.stdout).toContain('198.51.100.2/24');
    expect(run(['ip', 'netns', 'list']).stdout).toMatch(/red/);
  });

  it(req(['NETNS-011', 'NETNS-030'], 'wire', 'a listener made inside red is visible only in red and reachable from red'), async () => {
    const before = currentNamespaceId();
    const s = echoServer();
    await listenInNamespace(s, 'red', RED.nsAddress, 0);
    expect(currentNamespaceId()).toBe(before); // the thread came back
    const port = (s.address() as { port: number }).port;
    expect(listeningSockets('red')).toContain(`${RED.nsAddress}:${port}`);
    expect(listeningSockets('')).not.toContain(`${RED.nsAddress}:${port}`);
    const sock = await connectInNamespace('red', RED.nsAddress, port);
    expect(currentNamespaceId()).toBe(before);
    // Both ends inside red: the peer address is red's own address.
    expect(await readAll(sock)).toBe(`hello ${RED.nsAddress}`);
  });

  it(req(['NETNS-001', 'NETNS-011'], 'wire', 'a red loopback listener is not reachable from the global loopback'), async () => {
    const s = echoServer();
    await listenInNamespace(s, 'red', '127.0.0.1', 0);
    const port = (s.address() as { port: number }).port;
    expect(await globalConnect('127.0.0.1', port)).toBe('ECONNREFUSED');
    const sock = await connectInNamespace('red', '127.0.0.1', port);
    expect(await readAll(sock)).toBe('hello 127.0.0.1');
  });

  it(req(['NETNS-011'], 'wire', 'an outgoing connection from a namespace to a global listener comes from its veth address'), async () => {
    // blue, because on this machine the global namespace itself may own red's range (see netns.ts).
    const end = [env().blue, env().red].find((e) => e.hostAddress !== null);
    if (!end) throw new Error('neither veth pair could get a global address');
    const s = echoServer();
    await new Promise<void>((r) => s.listen(0, end.hostAddress!, () => r()));
    const port = (s.address() as { port: number }).port;
    const sock = await connectInNamespace(end.name, end.hostAddress!, port);
    expect(await readAll(sock)).toBe(`hello ${end.nsAddress}`);
  });

  it(req(['NETNS-036', 'NETNS-010'], 'unit', 'an unknown namespace is reported in MySQL words and nothing is created'), async () => {
    let err: unknown;
    try {
      listenFdInNamespace('no-such-ns', '127.0.0.1', 0);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(NamespaceError);
    expect((err as NamespaceError).kind).toBe('unknown-namespace');
    expect((err as NamespaceError).message).toBe("Unknown network namespace 'no-such-ns'");
    await expect(connectInNamespace('no-such-ns', '127.0.0.1', 1)).rejects.toMatchObject({ kind: 'unknown-namespace', code: 'ENOENT' });
  });

  it(req(['NETNS-011'], 'unit', 'socket errors inside the namespace come back with errno and the OS message'), () => {
    // 198.51.100.2 lives in blue, not red: binding it inside red is EADDRNOTAVAIL.
    let err: NamespaceError | undefined;
    try {
      listenFdInNamespace('red', '198.51.100.2', 0);
    } catch (e) {
      err = e as NamespaceError;
    }
    expect(err?.kind).toBe('socket-failed');
    expect(err?.code).toBe('EADDRNOTAVAIL');
    expect(err?.osMessage).toBe('Cannot assign requested address');
  });

  it(req(['NETNS-013'], 'unit', 'without CAP_SYS_ADMIN setns fails with EPERM and MySQL\'s setns() wording'), () => {
    const script = `import('${REPO_ROOT}/dist/src/netns/namespace.js').then((m) => { try { m.listenFdInNamespace('red', '127.0.0.1', 0); console.log('created'); } catch (e) { console.log(e.kind + '|' + e.message); } })`;
    const r = spawnSync('setpriv', ['--bounding-set=-sys_admin', '--', process.execPath, '-e', script], { encoding: 'utf8' });
    expect(r.stdout.trim()).toBe("setns-failed|setns() failed with error 'Operation not permitted'");
  });
});
