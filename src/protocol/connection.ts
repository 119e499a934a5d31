/**
 * One client connection (skeleton; filled in below).
 * @spec https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_lifecycle.html
 * @req CORE-PROTO-003
 */
import type * as net from 'node:net';
import type { ServerContext } from '../exec/session-api.js';
import type { ProtocolOptions, SocketInfo } from './listener.js';

export interface ProtocolStats {
  questions: number;
  startedAt: number;
}

export class Connection {
  readonly closed: Promise<void>;
  private resolveClosed!: () => void;
  constructor(
    readonly ctx: ServerContext,
    readonly opts: ProtocolOptions,
    readonly socket: net.Socket,
    readonly info: SocketInfo,
    readonly stats: ProtocolStats,
  ) {
    this.closed = new Promise((r) => (this.resolveClosed = r));
  }
  start(): void {
    this.socket.destroy();
    this.resolveClosed();
  }
  shutdown(_reason: string): void {
    this.socket.destroy();
  }
}
