/**
 * Packet framing and payload field encoding of the MySQL client/server protocol.
 *
 * Every message travels as one or more physical packets: a 3-byte little-endian payload
 * length, a 1-byte sequence id, then the payload. A payload of 0xffffff bytes or more is cut
 * into 0xffffff-byte chunks; a chunk of exactly 0xffffff bytes announces that another chunk
 * follows, so a payload whose length is a multiple of 0xffffff ends with an empty packet.
 *
 * Inside a payload, integers are little-endian fixed width or "length-encoded" (1, 3, 4 or 9
 * bytes depending on magnitude), strings are fixed, NUL-terminated, length-encoded or "rest
 * of packet".
 *
 * @spec https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_packets.html
 * @spec https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_dt_integers.html
 * @spec https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_dt_strings.html
 * @req CORE-PROTO-002 CORE-PROTO-020 CORE-PERF-044
 */
import { MAX_PACKET_CHUNK, PACKET_HEADER_SIZE } from './limits.js';

/** One logical packet: the re-joined payload and the sequence id of its first physical packet. */
export interface Packet {
  seq: number;
  /** Sequence id of the last physical packet (the reply continues from lastSeq + 1). */
  lastSeq: number;
  payload: Buffer;
}

/**
 * Frame a payload as physical packets starting at sequence id `seq`. Returns the frames and
 * the sequence id the next packet must use.
 * @req CORE-PROTO-002
 */
export function encodePacket(payload: Buffer, seq: number): { frames: Buffer[]; nextSeq: number } {
  const frames: Buffer[] = [];
  let off = 0;
  let s = seq & 0xff;
  // Loop until a chunk shorter than the maximum was written (it may be empty).
  for (;;) {
    const len = Math.min(MAX_PACKET_CHUNK, payload.length - off);
    const header = Buffer.allocUnsafe(PACKET_HEADER_SIZE);
    header.writeUIntLE(len, 0, 3);
    header[3] = s;
    frames.push(header, payload.subarray(off, off + len));
    s = (s + 1) & 0xff;
    off += len;
    if (len < MAX_PACKET_CHUNK) break;
  }
  return { frames, nextSeq: s };
}

/**
 * The packets of one reply, framed when the reply is sent: the payloads are kept as they come
 * (with their sequence ids) and `take()` writes every header and payload into one buffer. A reply
 * of several small packets (column count, definitions, rows, EOF) thus costs one allocation
 * instead of a header buffer, two slices and a frame list per packet, and a concatenation.
 * Payloads of MAX_PACKET_CHUNK bytes or more are split as {@link encodePacket} splits them.
 * @req CORE-PROTO-002 CORE-PERF-044
 */
export class OutboundPackets {
  private readonly payloads: Buffer[] = [];
  /** The sequence id of each payload; -1 for a frame already carrying its header. */
  private readonly seqs: number[] = [];
  private bytes = 0;

  get empty(): boolean {
    return this.payloads.length === 0;
  }

  /** Queue `payload` as the packet(s) starting at sequence id `seq`; returns the next id. */
  add(payload: Buffer, seq: number): number {
    if (payload.length < MAX_PACKET_CHUNK) {
      this.payloads.push(payload);
      this.seqs.push(seq & 0xff);
      this.bytes += PACKET_HEADER_SIZE + payload.length;
      return (seq + 1) & 0xff;
    }
    const { frames, nextSeq } = encodePacket(payload, seq);
    for (const f of frames) {
      this.payloads.push(f);
      this.seqs.push(-1);
      this.bytes += f.length;
    }
    return nextSeq;
  }

  /** Everything queued, framed, as one buffer; the queue is empty afterwards. */
  take(): Buffer {
    const out = Buffer.allocUnsafe(this.bytes);
    let off = 0;
    for (let i = 0; i < this.payloads.length; i++) {
      const p = this.payloads[i]!;
      const seq = this.seqs[i]!;
      if (seq >= 0) {
        const n = p.length;
        out[off] = n & 0xff;
        out[off + 1] = (n >>> 8) & 0xff;
        out[off + 2] = (n >>> 16) & 0xff;
        out[off + 3] = seq;
        off += PACKET_HEADER_SIZE;
      }
      p.copy(out, off);
      off += p.length;
    }
    this.payloads.length = 0;
    this.seqs.length = 0;
    this.bytes = 0;
    return out;
  }
}

/** Convenience: the frames of {@link encodePacket} as one buffer. @req CORE-PROTO-002 */
export function encodePacketBuffer(payload: Buffer, seq: number): Buffer {
  return Buffer.concat(encodePacket(payload, seq).frames);
}

/** What the decoder reports when a client announces a payload above the allowed size. */
export class PacketTooLargeError extends Error {
  /** Complete packets decoded from the same input before the oversized one (deliver them first). */
  packets: Packet[] = [];
  constructor(readonly announced: number) {
    super(`packet of ${announced} bytes exceeds the allowed maximum`);
  }
}

/**
 * Incremental decoder: feed it arbitrary byte chunks as they arrive from the socket, and it
 * returns the complete logical packets (multi-chunk payloads already re-joined).
 *
 * `maxPayload` is consulted whenever a new logical packet starts growing; exceeding it makes
 * {@link push} throw {@link PacketTooLargeError} before the payload is buffered, so an abusive
 * client cannot make us hold more than the limit.
 * @req CORE-PROTO-002 CORE-PROTO-020
 */
export class PacketDecoder {
  private chunks: Buffer[] = [];
  private buffered = 0;
  /** Parts of a multi-chunk payload collected so far. */
  private parts: Buffer[] = [];
  private partsLength = 0;
  private firstSeq = -1;

  constructor(private readonly maxPayload: () => number = () => Number.MAX_SAFE_INTEGER) {}

  /** Bytes received but not yet part of a returned packet. */
  get pendingBytes(): number {
    return this.buffered + this.partsLength;
  }

  push(data: Buffer): Packet[] {
    if (data.length > 0) {
      this.chunks.push(data);
      this.buffered += data.length;
    }
    const out: Packet[] = [];
    // Each iteration consumes one physical packet; the count is bounded by the buffered bytes.
    while (this.buffered >= PACKET_HEADER_SIZE) {
      const head = this.peek(PACKET_HEADER_SIZE);
      const len = head.readUIntLE(0, 3);
      const seq = head[3]!;
      if (this.partsLength + len > this.maxPayload()) {
        const err = new PacketTooLargeError(this.partsLength + len);
        err.packets = out;
        throw err;
      }
      if (this.buffered < PACKET_HEADER_SIZE + len) break;
      this.take(PACKET_HEADER_SIZE);
      const body = this.take(len);
      if (this.firstSeq < 0) this.firstSeq = seq;
      this.parts.push(body);
      this.partsLength += len;
      if (len < MAX_PACKET_CHUNK) {
        const payload = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.partsLength);
        out.push({ seq: this.firstSeq, lastSeq: seq, payload });
        this.parts = [];
        this.partsLength = 0;
        this.firstSeq = -1;
      }
    }
    return out;
  }

  /** Whatever bytes are buffered (used when handing the raw stream over to TLS). */
  drain(): Buffer {
    const b = Buffer.concat(this.chunks, this.buffered);
    this.chunks = [];
    this.buffered = 0;
    return b;
  }

  private peek(n: number): Buffer {
    if (this.chunks[0]!.length >= n) return this.chunks[0]!.subarray(0, n);
    const joined = Buffer.concat(this.chunks, this.buffered);
    this.chunks = [joined];
    return joined.subarray(0, n);
  }

  private take(n: number): Buffer {
    if (n === 0) return Buffer.alloc(0);
    const first = this.chunks[0]!;
    let out: Buffer;
    if (first.length >= n) {
      out = first.subarray(0, n);
      if (first.length === n) this.chunks.shift();
      else this.chunks[0] = first.subarray(n);
    } else {
      out = Buffer.allocUnsafe(n);
      let got = 0;
      while (got < n) {
        const c = this.chunks[0]!;
        const k = Math.min(c.length, n - got);
        c.copy(out, got, 0, k);
        got += k;
        if (k === c.length) this.chunks.shift();
        else this.chunks[0] = c.subarray(k);
      }
    }
    this.buffered -= n;
    return out;
  }
}

/** Raised by {@link PayloadReader} when a field runs past the end of the payload. */
export class MalformedPacketError extends Error {
  constructor(what: string) {
    super(`malformed packet: ${what}`);
  }
}

/** Number of bytes the length-encoded form of `n` takes. @req CORE-PROTO-002 */
export function lenencIntSize(n: number | bigint): number {
  const v = BigInt(n);
  if (v < 251n) return 1;
  if (v < 0x10000n) return 3;
  if (v < 0x1000000n) return 4;
  return 9;
}

/** Length-encoded integer bytes. @req CORE-PROTO-002 */
export function encodeLenencInt(n: number | bigint): Buffer {
  const v = BigInt(n);
  if (v < 0n) throw new RangeError('length-encoded integers are unsigned');
  if (v < 251n) return Buffer.from([Number(v)]);
  if (v < 0x10000n) {
    const b = Buffer.alloc(3);
    b[0] = 0xfc;
    b.writeUInt16LE(Number(v), 1);
    return b;
  }
  if (v < 0x1000000n) {
    const b = Buffer.alloc(4);
    b[0] = 0xfd;
    b.writeUIntLE(Number(v), 1, 3);
    return b;
  }
  const b = Buffer.alloc(9);
  b[0] = 0xfe;
  b.writeBigUInt64LE(BigInt.asUintN(64, v), 1);
  return b;
}

/** Length-encoded string bytes (length prefix + bytes). @req CORE-PROTO-002 */
export function encodeLenencString(s: string | Buffer): Buffer {
  const b = typeof s === 'string' ? Buffer.from(s, 'utf8') : s;
  return Buffer.concat([encodeLenencInt(b.length), b]);
}

/**
 * Builds a payload field by field. Grows a single buffer geometrically so result rows do not
 * allocate per field.
 * @req CORE-PROTO-002
 */
export class PayloadWriter {
  private buf: Buffer;
  private len = 0;

  constructor(initial = 64) {
    this.buf = Buffer.allocUnsafe(Math.max(16, initial));
  }

  get length(): number {
    return this.len;
  }

  private ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.len);
    this.buf = next;
  }

  int1(v: number): this {
    this.ensure(1);
    this.buf[this.len++] = v & 0xff;
    return this;
  }
  int2(v: number): this {
    this.ensure(2);
    this.buf.writeUInt16LE(v & 0xffff, this.len);
    this.len += 2;
    return this;
  }
  int3(v: number): this {
    this.ensure(3);
    this.buf.writeUIntLE(v & 0xffffff, this.len, 3);
    this.len += 3;
    return this;
  }
  int4(v: number): this {
    this.ensure(4);
    this.buf.writeUInt32LE(v >>> 0, this.len);
    this.len += 4;
    return this;
  }
  int8(v: bigint): this {
    this.ensure(8);
    this.buf.writeBigUInt64LE(BigInt.asUintN(64, v), this.len);
    this.len += 8;
    return this;
  }
  float4(v: number): this {
    this.ensure(4);
    this.buf.writeFloatLE(v, this.len);
    this.len += 4;
    return this;
  }
  float8(v: number): this {
    this.ensure(8);
    this.buf.writeDoubleLE(v, this.len);
    this.len += 8;
    return this;
  }
  lenencInt(v: number | bigint): this {
    return this.bytes(encodeLenencInt(v));
  }
  bytes(b: Buffer): this {
    this.ensure(b.length);
    b.copy(this.buf, this.len);
    this.len += b.length;
    return this;
  }
  /** A string without terminator ("rest of packet" or fixed length). */
  str(s: string | Buffer): this {
    return this.bytes(typeof s === 'string' ? Buffer.from(s, 'utf8') : s);
  }
  nulStr(s: string | Buffer): this {
    return this.str(s).int1(0);
  }
  lenencStr(s: string | Buffer): this {
    const b = typeof s === 'string' ? Buffer.from(s, 'utf8') : s;
    return this.lenencInt(b.length).bytes(b);
  }
  zeros(n: number): this {
    this.ensure(n);
    this.buf.fill(0, this.len, this.len + n);
    this.len += n;
    return this;
  }

  /** The payload built so far (a copy-free view; do not keep writing after taking it). */
  finish(): Buffer {
    return this.buf.subarray(0, this.len);
  }
}

/**
 * Reads payload fields in order; every read checks bounds and throws
 * {@link MalformedPacketError} rather than returning garbage.
 * @req CORE-PROTO-002
 */
export class PayloadReader {
  pos = 0;
  constructor(readonly buf: Buffer) {}

  get remaining(): number {
    return this.buf.length - this.pos;
  }
  atEnd(): boolean {
    return this.pos >= this.buf.length;
  }
  private need(n: number, what: string): void {
    if (n < 0 || this.pos + n > this.buf.length) throw new MalformedPacketError(what);
  }
  int1(): number {
    this.need(1, 'int<1>');
    return this.buf[this.pos++]!;
  }
  int2(): number {
    this.need(2, 'int<2>');
    const v = this.buf.readUInt16LE(this.pos);
    this.pos += 2;
    return v;
  }
  int3(): number {
    this.need(3, 'int<3>');
    const v = this.buf.readUIntLE(this.pos, 3);
    this.pos += 3;
    return v;
  }
  int4(): number {
    this.need(4, 'int<4>');
    const v = this.buf.readUInt32LE(this.pos);
    this.pos += 4;
    return v;
  }
  int8(): bigint {
    this.need(8, 'int<8>');
    const v = this.buf.readBigUInt64LE(this.pos);
    this.pos += 8;
    return v;
  }
  float4(): number {
    this.need(4, 'float');
    const v = this.buf.readFloatLE(this.pos);
    this.pos += 4;
    return v;
  }
  float8(): number {
    this.need(8, 'double');
    const v = this.buf.readDoubleLE(this.pos);
    this.pos += 8;
    return v;
  }
  /** Length-encoded integer; `null` for the 0xfb NULL marker (only meaningful in text rows). */
  lenencIntOrNull(): bigint | null {
    const first = this.int1();
    if (first < 0xfb) return BigInt(first);
    if (first === 0xfb) return null;
    if (first === 0xfc) return BigInt(this.int2());
    if (first === 0xfd) return BigInt(this.int3());
    if (first === 0xfe) return this.int8();
    throw new MalformedPacketError('length-encoded integer prefix 0xff');
  }
  lenencInt(): bigint {
    const v = this.lenencIntOrNull();
    if (v === null) throw new MalformedPacketError('unexpected NULL length');
    return v;
  }
  /** A length as a safe JS number (lengths beyond the payload are malformed anyway). */
  lenencLength(): number {
    const v = this.lenencInt();
    if (v > BigInt(this.remaining)) throw new MalformedPacketError('length-encoded string past end');
    return Number(v);
  }
  bytes(n: number): Buffer {
    this.need(n, `string<${n}>`);
    const b = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return b;
  }
  lenencBytes(): Buffer {
    return this.bytes(this.lenencLength());
  }
  nulBytes(): Buffer {
    const end = this.buf.indexOf(0, this.pos);
    if (end < 0) throw new MalformedPacketError('unterminated string');
    const b = this.buf.subarray(this.pos, end);
    this.pos = end + 1;
    return b;
  }
  /** NUL-terminated if a NUL follows, otherwise the rest of the packet (lenient, as servers are). */
  nulOrRestBytes(): Buffer {
    const end = this.buf.indexOf(0, this.pos);
    if (end < 0) return this.rest();
    return this.nulBytes();
  }
  rest(): Buffer {
    const b = this.buf.subarray(this.pos);
    this.pos = this.buf.length;
    return b;
  }
  skip(n: number): void {
    this.need(n, 'filler');
    this.pos += n;
  }
}
