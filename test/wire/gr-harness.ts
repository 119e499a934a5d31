/**
 * Shared pieces of the Group Replication wire tests: an in-process refmysqld whose error log can
 * be awaited line by line (event-driven, no polling), raw peer connections to the
 * group-communication port from a chosen loopback source address, and a free port.
 */
import { createServer, connect, type Socket } from 'node:net';
import { rmSync } from 'node:fs';
import mysql from 'mysql2/promise';
import { ErrorLog } from '../../src/server/error-log.js';
import { isRunning, startServer, type RunningServer } from '../../src/server/server.js';
import { initializedDatadir, SERVER_MAIN } from '../helpers/server.js';

/** Safety net for event waits; never an assertion on time. */
export const WAIT_LIMIT_MS = 20_000;

export interface GrServer {
  port: number;
  server: RunningServer;
  lines: string[];
  /** First line matching `re` at index >= from (default: any line so far or later). */
  waitForLine(re: RegExp, from?: number): Promise<string>;
  connect(opts?: Omit<mysql.ConnectionOptions, 'host' | 'port'>): Promise<mysql.Connection>;
  stop(): Promise<void>;
}

export async function startGrServer(args: readonly string[] = [], opts: { datadir?: { parent: string; datadir: string }; keepDatadir?: boolean } = {}): Promise<GrServer> {
  const dir = opts.datadir ?? (await initializedDatadir());
  const lines: string[] = [];
  const waiters: Array<{ re: RegExp; from: number; resolve(l: string): void }> = [];
  const log = new ErrorLog(
    {
      write(line) {
        lines.push(line);
        const idx = lines.length - 1;
        for (let i = waiters.length - 1; i >= 0; i--) {
          const w = waiters[i]!;
          if (idx >= w.from && w.re.test(line)) {
            waiters.splice(i, 1);
            w.resolve(line);
          }
        }
      },
    },
    false,
  );
  const argv = ['--no-defaults', `--datadir=${dir.datadir}`, '--port=0', '--bind-address=127.0.0.1', '--log-error-verbosity=3', ...args];
  const outcome = await startServer({ argv, log, program: SERVER_MAIN, handleSignals: false });
  if (!isRunning(outcome)) throw new Error('server did not start');
  const server = outcome;
  return {
    port: server.port,
    server,
    lines,
    waitForLine(re, from = 0) {
      for (let i = from; i < lines.length; i++) if (re.test(lines[i]!)) return Promise.resolve(lines[i]!);
      return new Promise((res, rej) => {
        const timer = setTimeout(() => rej(new Error(`no log line matching ${re} within the safety limit:\n${lines.join('\n')}`)), WAIT_LIMIT_MS);
        waiters.push({
          re,
          from,
          resolve: (l) => {
            clearTimeout(timer);
            res(l);
          },
        });
      });
    },
    connect(opts = {}) {
      return mysql.createConnection({ user: 'root', password: '', host: '127.0.0.1', port: server.port, ...opts });
    },
    async stop() {
      await server.stop();
      if (!opts.keepDatadir) rmSync(dir.parent, { recursive: true, force: true });
    },
  };
}

export { freePort } from '../helpers/peers.js';

/** An open peer connection and a promise for its close. */
export interface Peer {
  socket: Socket;
  closed: Promise<void>;
}

/** Connect to host:port from `localAddress`; resolves once connected. */
export function peerConnect(host: string, port: number, localAddress?: string): Promise<Peer> {
  return new Promise((res, rej) => {
    const socket = connect({ host, port, ...(localAddress ? { localAddress } : {}) });
    const closed = new Promise<void>((r) => socket.once('close', () => r()));
    socket.on('error', () => undefined);
    socket.once('connect', () => res({ socket, closed }));
    socket.once('error', rej);
  });
}

const esc = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The log line the plugin writes when it admits a peer (a refmysql addition, see spec). */
export const acceptedLine = (addr: string): RegExp => new RegExp(`\\[Note\\] \\[MY-011735\\] \\[Repl\\] Plugin group_replication reported: '\\[GCS\\] refmysql: connection attempt from IP address ${esc(addr)} accepted by the IP allowlist\\.'`);

/** MySQL's refusal warning. */
export const refusedLine = (addr: string): RegExp => new RegExp(`\\[Warning\\] \\[MY-011735\\] \\[Repl\\] Plugin group_replication reported: '\\[GCS\\] Connection attempt from IP address ${esc(addr)} refused\\. Address is not in the IP allowlist\\.'`);

/** Either line for `addr` after index `from`: which one came. */
export async function peerOutcome(srv: GrServer, addr: string, from: number): Promise<'accepted' | 'refused'> {
  const line = await srv.waitForLine(new RegExp(`${acceptedLine(addr).source}|${refusedLine(addr).source}`), from);
  return acceptedLine(addr).test(line) ? 'accepted' : 'refused';
}

/**
 * Connect to host:port (from `localAddress` when given) and wait for the plugin's verdict on it.
 * The log position is taken before connecting, so an earlier peer's line is never mistaken for it.
 */
export async function tryPeer(srv: GrServer, host: string, port: number, localAddress?: string): Promise<Peer & { outcome: 'accepted' | 'refused' }> {
  const from = srv.lines.length;
  const peer = await peerConnect(host, port, localAddress);
  return { ...peer, outcome: await peerOutcome(srv, localAddress ?? host, from) };
}
