/**
 * The wire observer (test/helpers/observe.ts with src/kernel/wire-observer.ts) against real
 * clients: what it records for mysql2, a raw socket, the MariaDB command-line client and a
 * refmysqld child process, and that the record lands in the test's task meta (which the JSON
 * reporter carries to the conformance matrix). Each test looks at its own window so far with
 * peekWindow(), which leaves it open: what the test did is also what its meta records.
 */
import { connect as netConnect, createServer, type AddressInfo } from 'node:net';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OBSERVATION_META_KEY, peekWindow } from '../helpers/observe.js';
import { mariadbCli } from '../helpers/peers.js';
import { req } from '../helpers/req.js';
import { initializedDatadir, spawnServer, startTestServer, type TestServer } from '../helpers/server.js';

let srv: TestServer;
let early: mysql.Connection;

beforeAll(async () => {
  srv = await startTestServer();
  // Opened in a hook: its packets count for the test that sends them.
  early = await srv.connect();
});

afterAll(async () => {
  await early.end();
  await srv.stop();
});

const seenSoFar = peekWindow;

describe('wire observer', () => {
  it(req(['TRACE-013'], 'wire', 'a connection opened in beforeAll counts for the test whose commands it carries; a quiet window records nothing'), async () => {
    expect(seenSoFar()).toEqual({ v: 1, clients: [], servers: [], peers: [], events: 0 });
    const [rows] = await early.query('SELECT 41 + 1 AS n');
    expect(rows).toEqual([{ n: 42 }]);
    expect(seenSoFar()).toEqual({ v: 1, clients: ['mysql2'], servers: ['refmysqld'], peers: [], events: 1 });
  });

  it(req(['TRACE-013'], 'unit', 'the previous test\'s record is in its task meta'), (ctx) => {
    const previous = ctx.task.suite!.tasks[0]!;
    expect(previous.meta).toEqual({ [OBSERVATION_META_KEY]: { v: 1, clients: ['mysql2'], servers: ['refmysqld'], peers: [], events: 1 } });
  });

  it(req(['TRACE-013'], 'wire', 'a raw socket that only reads the greeting and sends a bad packet is client traffic'), async () => {
    await new Promise<void>((resolve, reject) => {
      const s = netConnect(srv.port, '127.0.0.1');
      s.once('error', reject);
      s.once('data', () => s.write(Buffer.from([1, 0, 0, 1, 0])));
      s.once('close', () => resolve());
    });
    const o = seenSoFar();
    expect(o.clients).toEqual(['raw-socket']);
    expect(o.servers).toEqual(['refmysqld']);
    expect(o.peers).toEqual([]);
  });

  it(req(['TRACE-013'], 'wire', 'a connection accepted by another server of this process counts, even before any byte'), async () => {
    const other = createServer((sock) => setImmediate(() => sock.destroy()));
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    try {
      const port = (other.address() as AddressInfo).port;
      await new Promise<void>((resolve) => {
        const s = netConnect(port, '127.0.0.1');
        s.on('error', () => undefined);
        s.once('close', () => resolve());
      });
      expect(seenSoFar()).toEqual({ v: 1, clients: ['raw-socket'], servers: ['other-server'], peers: [], events: 1 });
    } finally {
      await new Promise((resolve) => other.close(resolve));
    }
  });

  it(req(['TRACE-013'], 'peer', 'the MariaDB command-line client is named by its connection attributes and is a peer program'), async () => {
    const r = await mariadbCli(srv, ['-e', 'SELECT 7']);
    expect(r.stdout.trim().split('\n')).toEqual(['7', '7']);
    const o = seenSoFar();
    expect(o.servers).toEqual(['refmysqld']);
    // The Debian client sends program_name=mysql with _client_name=libmariadb.
    expect(o.clients).toEqual(['mysql']);
    expect(o.peers).toEqual(['mysql']);
    expect(o.events).toBeGreaterThanOrEqual(3);
  });

  it(req(['TRACE-013'], 'wire', 'a refmysqld child process reports its events through the inherited file'), async () => {
    const d = await initializedDatadir();
    const child = spawnServer(['--no-defaults', `--datadir=${d.datadir}`, '--port=0', '--bind-address=127.0.0.1', '--mysqlx=OFF', `--socket=${d.parent}/child.sock`]);
    try {
      await child.ready;
      expect(seenSoFar().events).toBe(0); // start-up is not client traffic
      const c = await mysql.createConnection({ host: '127.0.0.1', port: child.port, user: 'root', password: '' });
      const [rows] = await c.query('SELECT 2 AS two');
      expect(rows).toEqual([{ two: 2 }]);
      await c.end();
      const o = seenSoFar();
      expect(o.clients).toEqual(['mysql2']);
      expect(o.servers).toEqual(['refmysqld-child']);
      expect(o.events).toBeGreaterThanOrEqual(3); // accept, handshake, the query (and QUIT)
    } finally {
      child.kill();
      await child.exited;
    }
  });
});
