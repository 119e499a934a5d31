/**
 * Entry point of the protocol layer for the server: accepts sockets from the listeners and
 * runs one {@link Connection} per socket.
 *
 * @spec https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_lifecycle.html
 * @req CORE-PROTO-001 CORE-PROTO-003 CORE-PERF-020 CORE-PERF-024
 */
import type * as net from 'node:net';
import type { ServerContext } from '../kernel/protocol-port.js';
import { Connection } from './connection.js';
import { IoThreads, type DuplicateDescriptor } from './io/io-threads.js';
import { MAX_IO_THREADS } from './limits.js';

export { clearAuthCache } from './auth/sha2-cache.js';

export interface ProtocolOptions {
  /** TLS key material; when present the greeting offers CLIENT_SSL. */
  tls?: { key: string | Buffer; cert: string | Buffer; ca?: string | Buffer };
  /** RSA key pair for caching_sha2_password password exchange over unencrypted TCP. */
  rsa?: { privateKeyPem: string; publicKeyPem: string };
  /** I/O threads that take over authenticated connections' sockets (0: none). @req CORE-PERF-020 */
  ioThreads?: number;
  /** dup(2) for handing sockets to I/O threads (the server's native addon); without it none move. */
  duplicateDescriptor?: DuplicateDescriptor;
}

export interface SocketInfo {
  transport: 'tcp' | 'socket';
  namespace?: string;
  /** Accepted on the administrative interface (admin_address): only SERVICE_CONNECTION_ADMIN may log in. NETNS-038 */
  admin?: boolean;
}

export interface ProtocolHandler {
  /** Take over an accepted socket: greet, authenticate, then serve commands. */
  handle(socket: net.Socket, info: SocketInfo): void;
  /** Close every client connection (shutdown); resolves when all sessions are closed. */
  closeAll(reason: string): Promise<void>;
  /** Number of sockets currently handled (including ones still authenticating). */
  readonly activeConnections: number;
  /** I/O threads running (`--io-threads`). @req CORE-PERF-020 */
  readonly ioThreads: number;
  /** Connections whose socket an I/O thread serves now. @req CORE-PERF-024 */
  readonly ioConnections: number;
}

/** @req CORE-PROTO-001 */
export function createProtocolHandler(ctx: ServerContext, opts: ProtocolOptions = {}): ProtocolHandler {
  const connections = new Set<Connection>();
  const startedAt = Date.now();
  const stats = { questions: 0, startedAt };
  const threads = Math.max(0, Math.min(MAX_IO_THREADS, Math.floor(opts.ioThreads ?? 0)));
  const io = threads > 0 && opts.duplicateDescriptor ? new IoThreads(threads, opts.duplicateDescriptor) : null;
  return {
    handle(socket: net.Socket, info: SocketInfo): void {
      const conn = new Connection(ctx, opts, socket, info, stats, io);
      connections.add(conn);
      conn.closed.then(() => connections.delete(conn));
      conn.start();
    },
    async closeAll(reason: string): Promise<void> {
      const all = [...connections];
      for (const c of all) c.shutdown(reason);
      await Promise.all(all.map((c) => c.closed));
      // Shutdown: the I/O threads end with the last connection.
      if (reason === 'shutdown') await io?.close();
    },
    get activeConnections(): number {
      return connections.size;
    },
    get ioThreads(): number {
      return io?.size ?? 0;
    },
    get ioConnections(): number {
      return io?.connections ?? 0;
    },
  };
}
