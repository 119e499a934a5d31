/**
 * The group-communication listener: a TCP server on the address of
 * group_replication_local_address that admits or refuses each incoming connection by the
 * allowlist. Refused peers are closed at once; admitted ones are held open (no group protocol
 * is spoken, membership is not part of refmysql) until the peer closes or Group Replication
 * stops.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/group-replication-ip-address-permissions.html
 * @req GRALLOW-001 GRALLOW-012 GRALLOW-024
 */
import { createServer, type Server, type Socket } from 'node:net';
import { nextObservedConnection, publishWire, wireObserved } from '../kernel/wire-observer.js';
import { MAX_OPEN_PEER_CONNECTIONS } from './limits.js';

export interface ListenerHooks {
  /** Decide for one peer address (as the socket reports it). */
  decide(peer: string): Promise<boolean>;
  accepted(peer: string): void;
  /** 'allowlist': not admitted by the list; 'limit': too many admitted peers are open already. */
  refused(peer: string, why: 'allowlist' | 'limit'): void;
}

export class GroupCommunicationListener {
  private server: Server | null = null;
  private readonly peers = new Set<Socket>();

  constructor(private readonly hooks: ListenerHooks) {}

  /** Listen on address:port; rejects with the listen error (EADDRINUSE, EADDRNOTAVAIL...). */
  async start(address: string, port: number): Promise<void> {
    const server = createServer({ pauseOnConnect: true }, (s) => void this.onConnection(s));
    await new Promise<void>((res, rej) => {
      server.once('error', rej);
      server.listen({ host: address, port, exclusive: true }, () => {
        server.off('error', rej);
        res();
      });
    });
    server.on('error', () => undefined);
    this.server = server;
  }

  /** The bound port (0 when not listening). */
  get port(): number {
    const a = this.server?.address();
    return typeof a === 'object' && a ? a.port : 0;
  }

  get listening(): boolean {
    return this.server !== null;
  }

  private async onConnection(socket: Socket): Promise<void> {
    // Wire observation for the test suite (TRACE-013): a peer reached the group communication port.
    if (wireObserved()) publishWire({ kind: 'accept', conn: nextObservedConnection(), protocol: 'gcs', transport: 'tcp', remotePort: socket.remotePort ?? 0 });
    socket.on('error', () => undefined);
    const peer = socket.remoteAddress ?? '';
    let ok = false;
    try {
      ok = peer !== '' && (await this.hooks.decide(peer));
    } catch {
      ok = false;
    }
    if (!ok || this.server === null) {
      socket.destroy();
      this.hooks.refused(peer, 'allowlist');
      return;
    }
    if (this.peers.size >= MAX_OPEN_PEER_CONNECTIONS) {
      socket.destroy();
      this.hooks.refused(peer, 'limit');
      return;
    }
    this.peers.add(socket);
    socket.once('close', () => this.peers.delete(socket));
    // Nothing is spoken; whatever the peer sends is discarded.
    socket.on('data', () => undefined);
    socket.on('end', () => socket.end());
    socket.resume();
    this.hooks.accepted(peer);
  }

  /** Stop listening and close every admitted connection. */
  async stop(): Promise<void> {
    const s = this.server;
    this.server = null;
    for (const p of this.peers) p.destroy();
    this.peers.clear();
    if (s) await new Promise<void>((r) => s.close(() => r()));
  }
}
