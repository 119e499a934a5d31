/**
 * Wire observation on the test side: records, per test, which real clients exchanged packets
 * with a server this test process started, and whether a real peer program took part. The
 * conformance matrix reads the record (vitest task meta, carried by the JSON reporter) and ranks
 * a test by what it did, not by the `{wire}`/`{peer}` label in its title.
 *
 * Why this mechanism (see traceability/README.md, "Observed evidence"):
 * - the server itself reports each accepted connection, pre-session packet, handshake (with the
 *   client's connection attributes) and command (src/kernel/wire-observer.ts): in-process
 *   servers through a diagnostics channel this module subscribes to, a refmysqld child process
 *   through a per-process file named in the environment, which children inherit;
 * - clients are named by the connection attributes they send (mysql2, the MariaDB C client's
 *   program_name such as `mariadb` or `mariadb-dump`, sysbench's libmariadb/libmysql ...); a socket
 *   of this process that sent none is named by the stack that created it (mysql2, the mariadb
 *   connector, our own client, or a raw socket);
 * - a peer server (MariaDB) registered by its helper is observed on the client side: bytes read
 *   or written by any socket of this process connected to its port during the test;
 * - any other server in this process (the site tests' HTTP server that Chromium loads pages from,
 *   a fake remote, group replication's listener) is observed through Node's `net.server.socket`
 *   channel: bytes on a socket it accepted during the test count as client traffic with server
 *   `other-server`;
 * - a test's window runs from the setup file's beforeEach to its afterEach, so a connection opened
 *   in beforeAll counts for the tests whose commands flow over it, not for the hook.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/performance-schema-connection-attribute-tables.html
 * @req TRACE-013 TRACE-014
 */
import { subscribe } from 'node:diagnostics_channel';
import { closeSync, openSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WIRE_CHANNEL, WIRE_OBSERVE_ENV, type WireEvent } from '../../src/kernel/wire-observer.js';
import { OBSERVATION_META_KEY } from '../../traceability/src/model.js';

/** Key of the observation in vitest's task meta (and so in the JSON report). */
export { OBSERVATION_META_KEY };

/** What one test was seen doing (the shape traceability/src/test-results.ts reads). */
export interface WireObservation {
  v: 1;
  /** Clients that exchanged packets with a server started by the test process, or with a peer server. */
  clients: string[];
  /** Servers that received them: `refmysqld` (in-process), `refmysqld-child`, or a peer server name. */
  servers: string[];
  /** Real peer programs involved: a peer server (mariadbd) or a peer client program (mariadb, sysbench ...). */
  peers: string[];
  /** Observed server-side events plus peer-socket transfers in the window. */
  events: number;
}

/** `_client_name` values of the C client libraries that real MySQL/MariaDB programs link. */
const C_CLIENT_LIBRARIES = new Set(['libmariadb', 'libmysql', 'libmysqlclient']);

/** Names a connection from its attributes; null when it sent none. */
export function clientFromAttributes(attrs: Readonly<Record<string, string>> | undefined): { client: string; peer: boolean } | null {
  if (!attrs || Object.keys(attrs).length === 0) return null;
  const lib = attrs['_client_name'] ?? '';
  const peer = C_CLIENT_LIBRARIES.has(lib);
  const program = attrs['program_name'];
  if (program) return { client: program, peer };
  if (lib === 'Node-MySQL-2') return { client: 'mysql2', peer: false };
  if (lib === 'MariaDB connector/Node') return { client: 'mariadb-node', peer: false };
  return { client: lib === '' ? 'unnamed-client' : lib, peer };
}

/** Names a socket of this process from the stack that created it. */
export function clientFromStack(stack: string): string {
  if (/node_modules[\\/]mysql2[\\/]/.test(stack)) return 'mysql2';
  if (/node_modules[\\/]mariadb[\\/]/.test(stack)) return 'mariadb-node';
  if (/remote-connector|storage[\\/]federated[\\/]/.test(stack)) return 'refmysqld-federated';
  if (/src[\\/]client[\\/]/.test(stack)) return 'refmysql-client';
  if (/src[\\/]group-replication[\\/]/.test(stack)) return 'group-replication';
  return 'raw-socket';
}

interface TrackedSocket {
  socket: Socket;
  kind: string;
  base: number;
  remotePort: number;
  closed: boolean;
  /** Accepted by a server of this process (not created by a client here). */
  accepted?: boolean;
  /** Accepted while a test's window was open (a connection is traffic even before any byte). */
  fresh?: boolean;
}
interface ConnState { attrs?: Record<string, string>; remotePort: number }

interface ObserverState {
  clientPorts: Map<number, string>;
  /** Client ports of connections to in-process refmysqld servers. */
  inProcessPorts: Set<number>;
  sockets: Set<TrackedSocket>;
  peerPorts: Map<number, string>;
  conns: Map<string, ConnState>;
  /** Connections with events in the open window, and the server that saw them. */
  windowConns: Map<string, string>;
  windowEvents: number;
  open: boolean;
  start: number;
  file: string;
  fileOffset: number;
  installed: boolean;
}

const KEY = Symbol.for('refmysql.test.wireObserver');
type GlobalWithObserver = typeof globalThis & { [KEY]?: ObserverState };

function state(): ObserverState {
  const g = globalThis as GlobalWithObserver;
  g[KEY] ??= {
    clientPorts: new Map(), inProcessPorts: new Set(), sockets: new Set(), peerPorts: new Map(), conns: new Map(), windowConns: new Map(),
    windowEvents: 0, open: false, start: 0, file: '', fileOffset: 0, installed: false,
  };
  return g[KEY];
}

/** A peer server (MariaDB, ...) listening on `port` of 127.0.0.1: traffic to it counts as peer involvement. */
export function registerPeerServer(name: string, port: number): void {
  state().peerPorts.set(port, name);
}

function bytesOf(s: Socket): number {
  return (s.bytesRead ?? 0) + (s.bytesWritten ?? 0);
}

/** Subscribes to the server's channel and to this process's client sockets; sets the child-process file. */
export function installWireObserver(): void {
  const st = state();
  if (st.installed) return;
  st.installed = true;
  subscribe('net.client.socket', (message) => {
    const socket = (message as { socket: Socket }).socket;
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 40;
    const stack = new Error().stack ?? '';
    Error.stackTraceLimit = limit;
    const t: TrackedSocket = { socket, kind: clientFromStack(stack), base: 0, remotePort: 0, closed: false };
    st.sockets.add(t);
    socket.once('connect', () => {
      t.remotePort = socket.remotePort ?? 0;
      if (socket.localPort) st.clientPorts.set(socket.localPort, t.kind);
    });
    socket.once('close', () => {
      t.closed = true;
    });
  });
  subscribe('net.server.socket', (message) => {
    const socket = (message as { socket: Socket }).socket;
    const t: TrackedSocket = { socket, kind: '', base: 0, remotePort: 0, closed: false, accepted: true, fresh: st.open };
    st.sockets.add(t);
    // The channel fires before the socket has its handle; the peer's port is readable a tick later.
    process.nextTick(() => {
      t.remotePort = socket.remotePort ?? 0;
    });
    socket.once('close', () => {
      t.closed = true;
    });
  });
  subscribe(WIRE_CHANNEL, (message) => {
    const ev = message as WireEvent;
    record(st, `in:${ev.conn}`, ev, 'refmysqld');
  });
  st.file = join(tmpdir(), `refmysql-wire-${process.pid}-${Date.now()}.jsonl`);
  writeFileSync(st.file, '');
  process.env[WIRE_OBSERVE_ENV] = st.file;
  process.once('exit', () => rmSync(st.file, { force: true }));
}

function record(st: ObserverState, key: string, ev: WireEvent, server: string, inWindow = st.open): void {
  const c = st.conns.get(key) ?? { remotePort: ev.remotePort };
  if (ev.attributes) c.attrs = ev.attributes;
  st.conns.set(key, c);
  if (server === 'refmysqld' && ev.remotePort > 0) st.inProcessPorts.add(ev.remotePort);
  if (!inWindow) return;
  st.windowEvents++;
  st.windowConns.set(key, server);
}

/** Events a refmysqld child process appended since the last read. */
function readChildEvents(st: ObserverState): void {
  if (!st.file) return;
  let size: number;
  try {
    size = statSync(st.file).size;
  } catch {
    return;
  }
  if (size <= st.fileOffset) return;
  const fd = openSync(st.file, 'r');
  const buf = Buffer.alloc(size - st.fileOffset);
  try {
    readSync(fd, buf, 0, buf.length, st.fileOffset);
  } finally {
    closeSync(fd);
  }
  // Only whole lines: a child may be writing the next one right now.
  const text = buf.toString('utf8');
  const last = text.lastIndexOf('\n');
  if (last < 0) return;
  st.fileOffset += Buffer.byteLength(text.slice(0, last + 1));
  const now = Date.now();
  for (const line of text.slice(0, last).split('\n')) {
    if (line === '') continue;
    let ev: WireEvent & { t: number; pid: number };
    try {
      ev = JSON.parse(line) as WireEvent & { t: number; pid: number };
    } catch {
      continue;
    }
    record(st, `child:${ev.pid}:${ev.conn}`, ev, 'refmysqld-child', st.open && ev.t >= st.start && ev.t <= now);
  }
}

/** Opens a test's window. */
export function beginWindow(): void {
  const st = state();
  readChildEvents(st); // events from before the test (hooks, earlier tests) are not its own
  for (const t of st.sockets) {
    t.base = bytesOf(t.socket);
    t.fresh = false;
    if (t.closed) st.sockets.delete(t);
  }
  st.windowConns.clear();
  st.windowEvents = 0;
  st.start = Date.now();
  st.open = true;
}

/** Closes the window and says what the test was seen doing. */
export function endWindow(): WireObservation {
  const st = state();
  readChildEvents(st);
  st.open = false;
  return summarize(st, true);
}

/** What the open window has seen so far, leaving it open (for tests of the observer itself). */
export function peekWindow(): WireObservation {
  const st = state();
  readChildEvents(st);
  return summarize(st, false);
}

function summarize(st: ObserverState, consume: boolean): WireObservation {
  const clients = new Set<string>();
  const servers = new Set<string>();
  const peers = new Set<string>();
  let events = st.windowEvents;
  for (const [key, server] of st.windowConns) {
    const c = st.conns.get(key);
    servers.add(server);
    const named = clientFromAttributes(c?.attrs);
    if (named) {
      clients.add(named.client);
      if (named.peer) peers.add(named.client);
    } else {
      const local = c && c.remotePort > 0 ? st.clientPorts.get(c.remotePort) : undefined;
      clients.add(local ?? 'unnamed-client');
    }
  }
  const refmysqldPorts = new Set<number>();
  let refmysqldUnix = false;
  for (const [key, server] of st.windowConns) {
    if (server !== 'refmysqld') continue;
    const port = st.conns.get(key)?.remotePort ?? 0;
    if (port > 0) refmysqldPorts.add(port);
    else refmysqldUnix = true;
  }
  for (const t of st.sockets) {
    const delta = bytesOf(t.socket) - t.base;
    const fresh = t.fresh === true;
    if (consume) {
      t.base = bytesOf(t.socket);
      t.fresh = false;
    }
    if (delta <= 0 && !(t.accepted && fresh)) continue;
    if (t.accepted) {
      // refmysqld's own connections were reported above through its channel.
      if (t.remotePort > 0 ? refmysqldPorts.has(t.remotePort) || st.inProcessPorts.has(t.remotePort) : refmysqldUnix) continue;
      events++;
      clients.add(t.remotePort > 0 ? st.clientPorts.get(t.remotePort) ?? 'external-client' : 'unnamed-client');
      servers.add('other-server');
      continue;
    }
    const peer = st.peerPorts.get(t.remotePort);
    if (peer === undefined) continue;
    events++;
    clients.add(t.kind);
    servers.add(peer);
    peers.add(peer);
  }
  return { v: 1, clients: [...clients].sort(), servers: [...servers].sort(), peers: [...peers].sort(), events };
}
