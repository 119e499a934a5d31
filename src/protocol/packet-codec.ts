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
 * @req CORE-PROTO-002 CORE-PROTO-020 CORE-PERF-044 CORE-PERF-045
 */
import { MAX_PACKET_CHUNK, OUTPUT_SLAB_BYTES, OUTPUT_SLAB_MIN_TAIL, PACKET_HEADER_SIZE } from './limits.js';

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
  if (typeof n === 'number' && n >>> 0 === n) return n < 251 ? 1 : n < 0x10000 ? 3 : n < 0x1000000 ? 4 : 9;
  const v = BigInt(n);
  if (v < 251n) return 1;
  if (v < 0x10000n) return 3;
  if (v < 0x1000000n) return 4;
  return 9;
}

/** Length-encoded integer bytes. @req CORE-PROTO-002 */
export function encodeLenencInt(n: number | bigint): Buffer {
  return new PayloadWriter(9).lenencInt(n).finish();
}

/** Writes `n` (0 to 2^64-1) in its length-encoded form at `at`; returns the bytes written. */
function putLenencInt(buf: Buffer, at: number, n: number | bigint): number {
  if (typeof n === 'number' && n >>> 0 === n) {
    if (n < 251) {
      buf[at] = n;
      return 1;
    }
    if (n < 0x10000) {
      buf[at] = 0xfc;
      buf[at + 1] = n & 0xff;
      buf[at + 2] = n >>> 8;
      return 3;
    }
    if (n < 0x1000000) {
      buf[at] = 0xfd;
      buf[at + 1] = n & 0xff;
      buf[at + 2] = (n >>> 8) & 0xff;
      buf[at + 3] = n >>> 16;
      return 4;
    }
  }
  const v = BigInt(n);
  if (v < 0n) throw new RangeError('length-encoded integers are unsigned');
  if (v < 0x1000000n) return putLenencInt(buf, at, Number(v));
  buf[at] = 0xfe;
  buf.writeBigUInt64LE(BigInt.asUintN(64, v), at + 1);
  return 9;
}

/** Length-encoded string bytes (length prefix + bytes). @req CORE-PROTO-002 */
export function encodeLenencString(s: string | Buffer): Buffer {
  const b = typeof s === 'string' ? Buffer.from(s, 'utf8') : s;
  return Buffer.concat([encodeLenencInt(b.length), b]);
}

/** Buffer's own UTF-8 writer (what `buf.write(s, at, 'utf8')` calls after checking its arguments). */
type Utf8Write = (this: Buffer, s: string, at: number, max: number) => number;
const utf8Write: Utf8Write =
  (Buffer.prototype as unknown as { utf8Write?: Utf8Write }).utf8Write ??
  function (this: Buffer, s: string, at: number, max: number): number {
    return this.write(s, at, max, 'utf8');
  };

/** Strings up to this many UTF-16 units take at most 250 bytes in UTF-8 (3 per unit). */
const SHORT_STRING_UNITS = 83;
/** The longest length a length-encoded integer carries in one byte. */
const MAX_ONE_BYTE_LENGTH = 250;

/**
 * Builds a payload field by field into one buffer that grows geometrically, so result rows do
 * not allocate per field. Strings are written as UTF-8 straight into the buffer.
 * @req CORE-PROTO-002 CORE-PERF-045
 */
export class PayloadWriter {
  protected buf: Buffer;
  protected len = 0;

  /** `minGrow`: the smallest buffer a growth allocates (a reply's slab, for OutboundPackets). */
  constructor(
    initial = 64,
    private readonly minGrow = 16,
  ) {
    this.buf = Buffer.allocUnsafe(Math.max(16, initial));
  }

  get length(): number {
    return this.len;
  }

  /** Room for `n` more bytes; a larger buffer keeps the bytes written so far at the same offsets. */
  protected ensure(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = Math.max(this.minGrow, this.buf.length * 2);
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
    const b = this.buf;
    b[this.len] = v & 0xff;
    b[this.len + 1] = (v >>> 8) & 0xff;
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
    this.ensure(9);
    this.len += putLenencInt(this.buf, this.len, v);
    return this;
  }
  bytes(b: Buffer): this {
    this.ensure(b.length);
    b.copy(this.buf, this.len);
    this.len += b.length;
    return this;
  }
  /** A string without terminator ("rest of packet" or fixed length). */
  str(s: string | Buffer): this {
    if (typeof s !== 'string') return this.bytes(s);
    const n = s.length <= SHORT_STRING_UNITS ? s.length * 3 : Buffer.byteLength(s, 'utf8');
    this.ensure(n);
    this.len += utf8Write.call(this.buf, s, this.len, n);
    return this;
  }
  nulStr(s: string | Buffer): this {
    return this.str(s).int1(0);
  }
  lenencStr(s: string | Buffer): this {
    if (typeof s !== 'string') return this.lenencInt(s.length).bytes(s);
    if (s.length <= MAX_ONE_BYTE_LENGTH) {
      // Write the text after a 1-byte length and fill the length in after. The writer stops short
      // of a character that does not fit, so when the room was below the string's worst case, a
      // count 4 or more below the room means the text was written whole (at most 250 bytes).
      const room = Math.min(s.length * 3, MAX_ONE_BYTE_LENGTH);
      this.ensure(1 + room);
      const at = this.len;
      const n = utf8Write.call(this.buf, s, at + 1, room);
      if (room === s.length * 3 || n + 4 <= room) {
        this.buf[at] = n;
        this.len = at + 1 + n;
        return this;
      }
    }
    const n = Buffer.byteLength(s, 'utf8');
    this.lenencInt(n);
    this.ensure(n);
    this.len += utf8Write.call(this.buf, s, this.len, n);
    return this;
  }
  zeros(n: number): this {
    this.ensure(n);
    const b = this.buf;
    if (n <= 16) for (let i = 0; i < n; i++) b[this.len + i] = 0;
    else b.fill(0, this.len, this.len + n);
    this.len += n;
    return this;
  }
  /** Sets bits in a byte already written (offsets stay valid while the buffer grows). */
  orAt(at: number, bits: number): this {
    this.buf[at]! |= bits;
    return this;
  }

  /** The payload built so far (a copy-free view; do not keep writing after taking it). */
  finish(): Buffer {
    return this.buf.subarray(0, this.len);
  }
}

/**
 * The packets of one reply, framed in place as they are written: each packet's fields go straight
 * into the connection's output slab after a 4-byte header that is filled in when the packet ends,
 * and `take()` hands the reply over as one buffer. The next reply continues in the rest of the slab,
 * so a reply of a few small packets (column count, definitions, rows, EOF) costs no allocation
 * and no copy beyond the fields themselves. A payload of MAX_PACKET_CHUNK bytes or more is split
 * as {@link encodePacket} splits it, by moving its chunks apart to make room for their headers.
 * @req CORE-PROTO-002 CORE-PERF-044 CORE-PERF-045
 */
export class OutboundPackets extends PayloadWriter {
  /** Offset of the open packet's header, or -1 when no packet is open. */
  private open = -1;

  constructor() {
    // A slab's free rest can be small: growing it allocates a whole slab at least.
    super(OUTPUT_SLAB_BYTES, OUTPUT_SLAB_BYTES);
  }

  get empty(): boolean {
    return this.len === 0;
  }

  /** Start a packet: the fields written until {@link end} are its payload. */
  begin(): this {
    if (this.open >= 0) throw new Error('a packet is already open');
    this.ensure(PACKET_HEADER_SIZE);
    this.open = this.len;
    this.len += PACKET_HEADER_SIZE;
    return this;
  }

  /** Drop the open packet (its encoding failed): the reply is as it was before {@link begin}. */
  abort(): void {
    if (this.open < 0) return;
    this.len = this.open;
    this.open = -1;
  }

  /** Close the open packet as sequence id `seq` (and following ones when split); returns the next id. */
  end(seq: number): number {
    const start = this.open;
    if (start < 0) throw new Error('no packet is open');
    this.open = -1;
    const n = this.len - start - PACKET_HEADER_SIZE;
    if (n < MAX_PACKET_CHUNK) {
      const b = this.buf;
      b[start] = n & 0xff;
      b[start + 1] = (n >>> 8) & 0xff;
      b[start + 2] = n >>> 16;
      b[start + 3] = seq & 0xff;
      return (seq + 1) & 0xff;
    }
    // k chunks (the last shorter than MAX_PACKET_CHUNK, possibly empty), each after its own header.
    const k = Math.floor(n / MAX_PACKET_CHUNK) + 1;
    this.ensure((k - 1) * PACKET_HEADER_SIZE);
    const payload = start + PACKET_HEADER_SIZE;
    // Move the chunks right from the last to the first so none overwrites one not yet moved.
    for (let i = k - 1; i >= 0; i--) {
      const from = payload + i * MAX_PACKET_CHUNK;
      const size = Math.min(MAX_PACKET_CHUNK, n - i * MAX_PACKET_CHUNK);
      const header = start + i * (MAX_PACKET_CHUNK + PACKET_HEADER_SIZE);
      this.buf.copyWithin(header + PACKET_HEADER_SIZE, from, from + size);
      this.buf.writeUIntLE(size, header, 3);
      this.buf[header + 3] = (seq + i) & 0xff;
    }
    this.len += (k - 1) * PACKET_HEADER_SIZE;
    return (seq + k) & 0xff;
  }

  /** Queue `payload` as the packet(s) starting at sequence id `seq`; returns the next id. */
  add(payload: Buffer, seq: number): number {
    return this.begin().bytes(payload).end(seq);
  }

  /**
   * Everything queued, framed, as one buffer; the queue is empty afterwards. The buffer is a view
   * of the slab that is never written again, so it may be held by a pending socket write.
   */
  take(): Buffer {
    if (this.open >= 0) throw new Error('a packet is still open');
    const out = this.buf.subarray(0, this.len);
    const rest = this.buf.length - this.len;
    this.buf = rest >= OUTPUT_SLAB_MIN_TAIL ? this.buf.subarray(this.len) : Buffer.allocUnsafe(OUTPUT_SLAB_BYTES);
    this.len = 0;
    return out;
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
