/**
 * A minimal hand-written MySQL client for protocol tests that need byte-level control
 * (unknown commands, garbage, COM_STATISTICS, cursors, COM_SET_OPTION...).
 */
import * as net from 'node:net';
import { Capability, Command } from '../../../src/protocol/constants.js';
import { encodePacketBuffer, PacketDecoder, PayloadReader, PayloadWriter, type Packet } from '../../../src/protocol/packet-codec.js';

export const CLIENT_CAPS =
  (Capability.LONG_PASSWORD |
    Capability.PROTOCOL_41 |
    Capability.SECURE_CONNECTION |
    Capability.PLUGIN_AUTH |
    Capability.PLUGIN_AUTH_LENENC_CLIENT_DATA |
    Capability.MULTI_RESULTS |
    Capability.TRANSACTIONS |
    Capability.CONNECT_WITH_DB) >>>
  0;

export class RawClient {
  private decoder = new PacketDecoder();
  private inbox: Packet[] = [];
  private waiters: ((p: Packet | null) => void)[] = [];
  closed = false;
  greeting!: Buffer;
  seq = 0;

  constructor(readonly socket: net.Socket) {
    socket.on('data', (d) => {
      for (const p of this.decoder.push(d)) {
        const w = this.waiters.shift();
        if (w) w(p);
        else this.inbox.push(p);
      }
    });
    const end = (): void => {
      this.closed = true;
      for (const w of this.waiters.splice(0)) w(null);
    };
    socket.on('close', end);
    socket.on('error', end);
  }

  static async connect(port: number): Promise<RawClient> {
    const s = net.connect(port, '127.0.0.1');
    await new Promise<void>((resolve, reject) => {
      s.once('connect', resolve);
      s.once('error', reject);
    });
    return new RawClient(s);
  }

  /** Connect and log in as a password-less user. */
  static async login(port: number, o: { user?: string; caps?: number; db?: string } = {}): Promise<RawClient> {
    const c = await RawClient.connect(port);
    const g = await c.read();
    if (!g) throw new Error('no greeting');
    c.greeting = g.payload;
    let caps = o.caps ?? CLIENT_CAPS;
    const w = new PayloadWriter();
    if (o.db) caps |= Capability.CONNECT_WITH_DB;
    w.int4(caps).int4(16777216).int1(255).zeros(23).nulStr(o.user ?? 'root').lenencStr(Buffer.alloc(0));
    if (caps & Capability.CONNECT_WITH_DB) w.nulStr(o.db ?? '');
    w.nulStr('caching_sha2_password');
    c.send(w.finish(), 1);
    const ok = await c.read();
    if (!ok || ok.payload[0] !== 0) throw new Error(`login failed: ${ok?.payload.toString('latin1')}`);
    return c;
  }

  read(): Promise<Packet | null> {
    const p = this.inbox.shift();
    if (p) return Promise.resolve(p);
    if (this.closed) return Promise.resolve(null);
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  send(payload: Buffer, seq = 0): void {
    this.socket.write(encodePacketBuffer(payload, seq));
  }

  command(cmd: number, body: Buffer | string = Buffer.alloc(0)): void {
    const b = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    this.send(Buffer.concat([Buffer.from([cmd]), b]), 0);
  }

  /** Read packets until an OK/ERR/EOF-terminated response completes (text result sets supported). */
  async readResponse(deprecateEof = false): Promise<Packet[]> {
    const out: Packet[] = [];
    const first = await this.read();
    if (!first) return out;
    out.push(first);
    const h = first.payload[0]!;
    if (h === 0x00 || h === 0xff || (h === 0xfe && first.payload.length < 9)) return out;
    // Result set: column count, definitions, [EOF], rows, EOF/OK.
    const n = Number(new PayloadReader(first.payload).lenencInt());
    for (let i = 0; i < n; i++) out.push((await this.read())!);
    if (!deprecateEof) out.push((await this.read())!);
    for (let i = 0; i < 1_000_000; i++) {
      const p = await this.read();
      if (!p) break;
      out.push(p);
      if ((p.payload[0] === 0xfe && p.payload.length < 0xffffff) || p.payload[0] === 0xff) break;
    }
    return out;
  }

  async quit(): Promise<void> {
    this.command(Command.QUIT);
    await new Promise<void>((resolve) => {
      if (this.closed) resolve();
      else this.socket.once('close', () => resolve());
    });
  }

  destroy(): void {
    this.socket.destroy();
  }
}

export function errOf(p: Packet | null | undefined): { code: number; state: string; message: string } | null {
  if (!p || p.payload[0] !== 0xff) return null;
  const r = new PayloadReader(p.payload);
  r.int1();
  const code = r.int2();
  r.skip(1);
  const state = r.bytes(5).toString('latin1');
  return { code, state, message: r.rest().toString('utf8') };
}
