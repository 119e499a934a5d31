/**
 * The record codec: a row's values to bytes and back. Stage 1 keeps rows in memory and writes
 * them to .ibd pages and to redo records as opaque byte strings; this codec makes those bytes.
 * It is self-describing (no table definition is needed to decode it), so a record written by
 * one table layout can be read back after the engine's in-memory structures are gone, and a
 * corrupt byte string is detected instead of being misread.
 *
 * Layout, all varints unsigned LEB128 (7 bits a byte, low group first, at most 8 bytes, value
 * at most 2^53 - 1), "zigzag" mapping signed n to 2n (n >= 0) or -2n - 1 (n < 0):
 *
 *     varint fieldCount
 *     null bitmap, ceil(fieldCount / 8) bytes, bit i (LSB first) set when field i is NULL;
 *       unused bits of the last byte are zero
 *     for each non-NULL field, in order: a 1-byte tag, then its payload:
 *       TAG_INT      zigzag LEB128 of the bigint, any length (no 8-byte cap)
 *       TAG_DOUBLE   8 bytes IEEE 754 little-endian (keeps -0, NaN, +-Infinity)
 *       TAG_UTF8     varint byte length, UTF-8 bytes (used when the string is well formed)
 *       TAG_UTF16    varint byte length, UTF-16LE code units (strings with lone surrogates,
 *                    which UTF-8 cannot carry)
 *       TAG_BYTES    varint length, bytes
 *       TAG_DECIMAL  zigzag scale (varint), then the unscaled bigint as TAG_INT's payload
 *       TAG_TEMPORAL flags byte (bits 0-1 kind DATE/TIME/DATETIME/TIMESTAMP, bit 2 negative),
 *                    then zigzag varints year, month, day, hour, minute, second, micro, fsp
 *
 * Decoding checks every length against the buffer and every tag, flag and UTF-8 sequence, and
 * throws {@link RecordCorruptError} (and nothing else) on any violation. Each step consumes at
 * least one byte, so decoding always ends.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-row-format.html (15.10 InnoDB Row Formats)
 * @req INNODB-ROW-101
 */
import { Decimal, Temporal, type TemporalKind, type Value } from '../../../kernel/value.js';

/** The bytes are not a record this codec wrote (corrupt, truncated or foreign). */
export class RecordCorruptError extends Error {
  constructor(message: string) {
    super(`corrupt record: ${message}`);
    this.name = 'RecordCorruptError';
  }
}

const TAG_INT = 1;
const TAG_DOUBLE = 2;
const TAG_UTF8 = 3;
const TAG_UTF16 = 4;
const TAG_BYTES = 5;
const TAG_DECIMAL = 6;
const TAG_TEMPORAL = 7;

const KINDS: readonly TemporalKind[] = ['DATE', 'TIME', 'DATETIME', 'TIMESTAMP'];
const TEMPORAL_NEGATIVE = 4;
/** A safe-integer varint needs at most 8 LEB128 groups (56 bits). */
const MAX_VARINT_BYTES = 8;
/** Lone surrogate: a high surrogate not followed by a low one, or a low one not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** A growable output buffer. */
class Writer {
  buf = Buffer.allocUnsafe(64);
  pos = 0;

  reserve(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.pos + n));
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
  }

  byte(b: number): void {
    this.reserve(1);
    this.buf[this.pos++] = b;
  }

  varint(n: number): void {
    this.reserve(MAX_VARINT_BYTES);
    while (n >= 0x80) {
      this.buf[this.pos++] = (n % 0x80) | 0x80;
      n = Math.floor(n / 0x80);
    }
    this.buf[this.pos++] = n;
  }

  zigzag(n: number): void {
    this.varint(n >= 0 ? n * 2 : -n * 2 - 1);
  }

  bigint(v: bigint): void {
    let z = v >= 0n ? v << 1n : (-v << 1n) - 1n;
    if (z < 0x80n) return this.byte(Number(z));
    while (z >= 0x80n) {
      this.byte(Number(z & 0x7fn) | 0x80);
      z >>= 7n;
    }
    this.byte(Number(z));
  }

  bytes(b: Uint8Array): void {
    this.varint(b.length);
    this.reserve(b.length);
    this.buf.set(b, this.pos);
    this.pos += b.length;
  }

  done(): Buffer {
    return Buffer.from(this.buf.subarray(0, this.pos));
  }
}

function checkInt(what: string, n: number): void {
  // zigzag doubles the magnitude, and the doubled value must stay a safe integer
  if (!Number.isSafeInteger(n) || Math.abs(n) > Number.MAX_SAFE_INTEGER / 2) throw new RangeError(`record codec: ${what} ${n} is not an integer in range`);
}

function encodeValue(w: Writer, v: Exclude<Value, null>): void {
  if (typeof v === 'bigint') {
    w.byte(TAG_INT);
    w.bigint(v);
  } else if (typeof v === 'number') {
    w.byte(TAG_DOUBLE);
    w.reserve(8);
    w.buf.writeDoubleLE(v, w.pos);
    w.pos += 8;
  } else if (typeof v === 'string') {
    if (LONE_SURROGATE.test(v)) {
      w.byte(TAG_UTF16);
      w.bytes(Buffer.from(v, 'utf16le'));
    } else {
      w.byte(TAG_UTF8);
      w.bytes(Buffer.from(v, 'utf8'));
    }
  } else if (Buffer.isBuffer(v)) {
    w.byte(TAG_BYTES);
    w.bytes(v);
  } else if (v instanceof Decimal) {
    checkInt('decimal scale', v.scale);
    w.byte(TAG_DECIMAL);
    w.zigzag(v.scale);
    w.bigint(v.unscaled);
  } else if (v instanceof Temporal) {
    const kind = KINDS.indexOf(v.kind);
    if (kind < 0) throw new RangeError(`record codec: unknown temporal kind ${String(v.kind)}`);
    const fields = [v.year, v.month, v.day, v.hour, v.minute, v.second, v.micro, v.fsp];
    for (const f of fields) checkInt('temporal field', f);
    w.byte(TAG_TEMPORAL);
    w.byte(kind | (v.negative ? TEMPORAL_NEGATIVE : 0));
    for (const f of fields) w.zigzag(f);
  } else {
    throw new TypeError(`record codec: not a Value: ${Object.prototype.toString.call(v)}`);
  }
}

/** The bytes of a record holding `values`. Throws RangeError/TypeError for a value no Value can be. */
export function encodeRecord(values: readonly Value[]): Buffer {
  const w = new Writer();
  const n = values.length;
  w.varint(n);
  const bitmapAt = w.pos;
  const bitmapLen = (n + 7) >> 3;
  w.reserve(bitmapLen);
  w.buf.fill(0, bitmapAt, bitmapAt + bitmapLen);
  w.pos += bitmapLen;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (v === null || v === undefined) w.buf[bitmapAt + (i >> 3)]! |= 1 << (i & 7);
    else encodeValue(w, v);
  }
  return w.done();
}

/** A cursor over the bytes being decoded; every read checks the bounds. */
class Reader {
  constructor(
    readonly buf: Buffer,
    public pos: number,
  ) {}

  need(n: number): void {
    if (n > this.buf.length - this.pos) throw new RecordCorruptError(`needs ${n} bytes at offset ${this.pos}, has ${this.buf.length - this.pos}`);
  }

  byte(): number {
    this.need(1);
    return this.buf[this.pos++]!;
  }

  varint(): number {
    let n = 0;
    let scale = 1;
    for (let i = 0; i < MAX_VARINT_BYTES; i++) {
      const b = this.byte();
      n += (b & 0x7f) * scale;
      if (b < 0x80) {
        if (n > Number.MAX_SAFE_INTEGER) break;
        return n;
      }
      scale *= 0x80;
    }
    throw new RecordCorruptError(`varint out of range before offset ${this.pos}`);
  }

  zigzag(): number {
    const z = this.varint();
    return z % 2 === 0 ? z / 2 : -(z + 1) / 2;
  }

  bigint(): bigint {
    let b = this.byte();
    if (b < 0x80) return b & 1 ? -BigInt((b + 1) >> 1) : BigInt(b >> 1);
    let z = 0n;
    let shift = 0n;
    for (;;) {
      z |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) break;
      shift += 7n;
      b = this.byte();
    }
    return z & 1n ? -((z + 1n) >> 1n) : z >> 1n;
  }

  bytes(): Buffer {
    const len = this.varint();
    this.need(len);
    const out = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }
}

function decodeValue(r: Reader): Exclude<Value, null> {
  const at = r.pos;
  const tag = r.byte();
  switch (tag) {
    case TAG_INT:
      return r.bigint();
    case TAG_DOUBLE: {
      r.need(8);
      const d = r.buf.readDoubleLE(r.pos);
      r.pos += 8;
      return d;
    }
    case TAG_UTF8:
      try {
        return utf8.decode(r.bytes());
      } catch (e) {
        if (e instanceof RecordCorruptError) throw e;
        throw new RecordCorruptError(`invalid UTF-8 in the string at offset ${at}`);
      }
    case TAG_UTF16: {
      const b = r.bytes();
      if (b.length % 2 !== 0) throw new RecordCorruptError(`odd UTF-16 byte length at offset ${at}`);
      return b.toString('utf16le');
    }
    case TAG_BYTES:
      return Buffer.from(r.bytes()); // a copy: the record must not pin the page it came from
    case TAG_DECIMAL: {
      const scale = r.zigzag();
      return new Decimal(r.bigint(), scale);
    }
    case TAG_TEMPORAL: {
      const flags = r.byte();
      if (flags & ~(3 | TEMPORAL_NEGATIVE)) throw new RecordCorruptError(`bad temporal flags ${flags} at offset ${at}`);
      const f: number[] = [];
      for (let i = 0; i < 8; i++) f.push(r.zigzag());
      return new Temporal(KINDS[flags & 3]!, f[0]!, f[1]!, f[2]!, f[3]!, f[4]!, f[5]!, f[6]!, f[7]!, (flags & TEMPORAL_NEGATIVE) !== 0);
    }
    default:
      throw new RecordCorruptError(`unknown field tag ${tag} at offset ${at}`);
  }
}

/**
 * Decode the record starting at `offset` (default 0). Returns its values and the offset just
 * past it; bytes after the record are left alone. Throws {@link RecordCorruptError} only.
 */
export function decodeRecord(buf: Buffer, offset = 0): { values: Value[]; end: number } {
  if (!Number.isSafeInteger(offset) || offset < 0 || offset > buf.length) throw new RecordCorruptError(`offset ${offset} outside the buffer`);
  const r = new Reader(buf, offset);
  const n = r.varint();
  const bitmapLen = Math.ceil(n / 8);
  r.need(bitmapLen);
  const bitmapAt = r.pos;
  r.pos += bitmapLen;
  if (n % 8 !== 0 && buf[bitmapAt + bitmapLen - 1]! >> n % 8 !== 0) throw new RecordCorruptError(`unused null-bitmap bits set at offset ${bitmapAt + bitmapLen - 1}`);
  const values: Value[] = [];
  for (let i = 0; i < n; i++) {
    values.push(buf[bitmapAt + (i >> 3)]! & (1 << (i & 7)) ? null : decodeValue(r));
  }
  return { values, end: r.pos };
}
