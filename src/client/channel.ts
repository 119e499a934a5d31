/**
 * The client's packet channel: frames outgoing payloads with the running sequence id and hands
 * back complete incoming payloads one at a time, in order. The channel can be moved from the
 * plain socket to a TLS socket in the middle of the handshake (SSLRequest), keeping the
 * sequence id, because the TLS layer continues the same packet conversation.
 *
 * @spec https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_packets.html
 * @req CLIENT-002
 */
import type { Duplex } from 'node:stream';
import { encodePacket, PacketDecoder, PacketTooLargeError } from '../protocol/packet-codec.js';
import { CR, ClientError, clientError, crMessages } from './errors.js';
import { CLIENT_MAX_PACKET } from './limits.js';

type Waiter = { resolve: (p: Buffer) => void; reject: (e: Error) => void };

/** A request/response packet conversation over one stream. @req CLIENT-002 */
export class PacketChannel {
  private decoder = new PacketDecoder(() => CLIENT_MAX_PACKET);
  private queue: Buffer[] = [];
  private waiters: Waiter[] = [];
  private failure: Error | null = null;
  private stream: Duplex;
  /** Sequence id the next packet (either direction) must carry. */
  seq = 0;
  /** Where we are connected, for "Lost connection" messages. */
  readonly where: string;

  constructor(stream: Duplex, where: string) {
    this.stream = stream;
    this.where = where;
    this.attach(stream);
  }

  private readonly onData = (chunk: Buffer): void => {
    if (this.failure) return;
    let packets;
    try {
      packets = this.decoder.push(chunk);
    } catch (err) {
      if (err instanceof PacketTooLargeError) {
        for (const p of err.packets) {
          this.seq = p.lastSeq;
          this.deliver(p.payload);
        }
        this.fail(clientError(CR.MALFORMED_PACKET, crMessages.malformed()));
        return;
      }
      throw err;
    }
    for (const p of packets) {
      // A packet out of sequence means the conversation is lost (libmysqlclient reports 2013).
      if (p.seq !== this.seq) {
        this.fail(clientError(CR.SERVER_LOST, crMessages.serverLost()));
        this.stream.destroy();
        return;
      }
      this.seq = p.lastSeq;
      this.deliver(p.payload);
    }
  };
  private readonly onClose = (): void => {
    this.fail(clientError(CR.SERVER_LOST, crMessages.serverLost()));
  };
  private readonly onError = (err: NodeJS.ErrnoException): void => {
    this.fail(clientError(CR.SERVER_LOST, crMessages.serverLost() + (err.code ? ` (${err.code})` : '')));
  };

  private attach(stream: Duplex): void {
    this.stream = stream;
    stream.on('data', this.onData);
    stream.on('close', this.onClose);
    stream.on('end', this.onClose);
    stream.on('error', this.onError);
  }

  /** Stop reading from the current stream (before handing it to TLS). */
  detach(): Duplex {
    this.stream.off('data', this.onData);
    this.stream.off('close', this.onClose);
    this.stream.off('end', this.onClose);
    this.stream.off('error', this.onError);
    return this.stream;
  }

  /** Continue the conversation over `stream` (the TLS socket wrapping the old one). */
  switchTo(stream: Duplex): void {
    this.decoder = new PacketDecoder(() => CLIENT_MAX_PACKET);
    this.attach(stream);
  }

  private deliver(payload: Buffer): void {
    this.seq = (this.seq + 1) & 0xff;
    const w = this.waiters.shift();
    if (w) w.resolve(payload);
    else this.queue.push(payload);
  }

  private fail(err: Error): void {
    if (this.failure) return;
    this.failure = err;
    for (const w of this.waiters.splice(0)) w.reject(err);
  }

  /** The next payload from the server; rejects with CR_SERVER_LOST when the stream ends. */
  read(): Promise<Buffer> {
    const p = this.queue.shift();
    if (p) return Promise.resolve(p);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise<Buffer>((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  /** Send one payload with the current sequence id. */
  write(payload: Buffer): void {
    if (this.failure instanceof ClientError) throw clientError(CR.SERVER_GONE_ERROR, crMessages.serverGone());
    const { frames, nextSeq } = encodePacket(payload, this.seq);
    this.seq = nextSeq;
    this.stream.write(Buffer.concat(frames));
  }

  /** A new command starts a new sequence. */
  resetSequence(): void {
    this.seq = 0;
  }

  /** Whether the stream has already failed or closed. */
  get broken(): boolean {
    return this.failure !== null;
  }

  /** Close the underlying stream. */
  close(): void {
    this.failure ??= clientError(CR.SERVER_GONE_ERROR, crMessages.serverGone());
    this.stream.end();
    this.stream.destroy();
  }
}
