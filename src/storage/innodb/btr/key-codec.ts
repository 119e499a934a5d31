/**
 * The key codec: how an index key (a tuple of {@link KeyPart}s, already folded for its
 * collation) is stored in a B+tree page and read back. Pages keep keys decoded in memory and
 * compare them there, so the bytes only need to bring back exactly the same tuple; they are not
 * meant to sort by memcmp (real InnoDB compares field by field too).
 *
 * Layout: the parts one after another, each a tag byte and its payload; the key's own length
 * (kept by the page entry) tells where it ends, so there is no part count. Lengths are unsigned
 * LEB128 varints: keys are short and sit in every entry of every page, a fixed u32 per string
 * would waste a page's room.
 *
 *   0x00 NULL
 *   0x01 number as IEEE double, 8 bytes big-endian (non-integers, -0, NaN, +-Infinity, large)
 *   0x02 number that is an int32 (and not -0), 4 bytes big-endian two's complement
 *   0x03 bigint >= 0: varint byte count, magnitude big-endian
 *   0x04 bigint < 0: varint byte count, magnitude of its negation big-endian
 *   0x05 string: varint byte count, UTF-8
 *   0x06 string holding a lone surrogate: varint byte count, UTF-16LE (UTF-8 cannot carry one,
 *        and a key that came back changed would land elsewhere in the tree)
 *   0x07 Buffer: varint byte count, the bytes
 *   0x08 temporal {t}: varint element count, each element a number part (tag 0x01 or 0x02)
 *
 * Round trip is exact: a number comes back a number (with its sign of zero), a bigint a bigint.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-physical-structure.html (15.6.2.2 The Physical Structure of an InnoDB Index)
 * @req INNODB-BTR-105
 */
import type { KeyPart } from '../../keys.js';

const TAG_NULL = 0x00;
const TAG_DOUBLE = 0x01;
const TAG_INT32 = 0x02;
const TAG_BIGINT_POS = 0x03;
const TAG_BIGINT_NEG = 0x04;
const TAG_UTF8 = 0x05;
const TAG_UTF16 = 0x06;
const TAG_BYTES = 0x07;
const TAG_TEMPORAL = 0x08;

/** A lone surrogate: in a `u` regexp a well-formed pair is one code point and does not match. */
const LONE_SURROGATE = /\p{Cs}/u;

function isInt32(n: number): boolean {
  return (n | 0) === n && !Object.is(n, -0);
}

function varintSize(n: number): number {
  let size = 1;
  while (n >= 0x80) {
    n = Math.floor(n / 0x80);
    size++;
  }
  return size;
}

function bigintMagnitude(v: bigint): Buffer {
  const m = v < 0n ? -v : v;
  if (m === 0n) return Buffer.alloc(0);
  let hex = m.toString(16);
  if (hex.length % 2) hex = '0' + hex;
  return Buffer.from(hex, 'hex');
}

/**
 * A part prepared for writing: its size is known before the output buffer exists, so the key
 * is written in one allocation. Strings and bigints are converted once, here.
 */
type Prepared = { tag: number; num?: number; bytes?: Buffer; items?: number[] };

function prepare(p: KeyPart): Prepared {
  if (p === null) return { tag: TAG_NULL };
  if (typeof p === 'number') return { tag: isInt32(p) ? TAG_INT32 : TAG_DOUBLE, num: p };
  if (typeof p === 'bigint') return { tag: p < 0n ? TAG_BIGINT_NEG : TAG_BIGINT_POS, bytes: bigintMagnitude(p) };
  if (typeof p === 'string') {
    return LONE_SURROGATE.test(p) ? { tag: TAG_UTF16, bytes: Buffer.from(p, 'utf16le') } : { tag: TAG_UTF8, bytes: Buffer.from(p, 'utf8') };
  }
  if (Buffer.isBuffer(p)) return { tag: TAG_BYTES, bytes: p };
  return { tag: TAG_TEMPORAL, items: p.t };
}

function numberSize(n: number): number {
  return isInt32(n) ? 5 : 9;
}

function preparedSize(p: Prepared): number {
  switch (p.tag) {
    case TAG_NULL:
      return 1;
    case TAG_INT32:
      return 5;
    case TAG_DOUBLE:
      return 9;
    case TAG_TEMPORAL: {
      let n = 1 + varintSize(p.items!.length);
      for (const x of p.items!) n += numberSize(x);
      return n;
    }
    default:
      return 1 + varintSize(p.bytes!.length) + p.bytes!.length;
  }
}

function writeVarint(buf: Buffer, at: number, n: number): number {
  while (n >= 0x80) {
    buf[at++] = (n % 0x80) | 0x80;
    n = Math.floor(n / 0x80);
  }
  buf[at++] = n;
  return at;
}

function writeNumber(buf: Buffer, at: number, n: number): number {
  if (isInt32(n)) {
    buf[at] = TAG_INT32;
    buf.writeInt32BE(n, at + 1);
    return at + 5;
  }
  buf[at] = TAG_DOUBLE;
  buf.writeDoubleBE(n, at + 1);
  return at + 9;
}

/** The stored form of a key. */
export function encodeKey(parts: readonly KeyPart[]): Buffer {
  const prepared = parts.map(prepare);
  let size = 0;
  for (const p of prepared) size += preparedSize(p);
  const buf = Buffer.allocUnsafe(size);
  let at = 0;
  for (const p of prepared) {
    if (p.tag === TAG_INT32 || p.tag === TAG_DOUBLE) {
      at = writeNumber(buf, at, p.num!);
      continue;
    }
    buf[at++] = p.tag;
    if (p.tag === TAG_NULL) continue;
    if (p.tag === TAG_TEMPORAL) {
      at = writeVarint(buf, at, p.items!.length);
      for (const x of p.items!) at = writeNumber(buf, at, x);
      continue;
    }
    at = writeVarint(buf, at, p.bytes!.length);
    at += p.bytes!.copy(buf, at);
  }
  return buf;
}

/** Reads parts from a key's bytes, failing with the offset at which the bytes stop making sense. */
class KeyReader {
  pos = 0;
  constructor(private readonly buf: Buffer) {}

  fail(what: string): never {
    throw new Error(`malformed key: ${what} at offset ${this.pos} of ${this.buf.length}`);
  }

  need(n: number): number {
    if (n > this.buf.length - this.pos) this.fail(`needs ${n} bytes`);
    const at = this.pos;
    this.pos += n;
    return at;
  }

  varint(): number {
    let n = 0;
    let scale = 1;
    for (;;) {
      const b = this.buf[this.need(1)]!;
      n += (b & 0x7f) * scale;
      if (b < 0x80) return n;
      scale *= 0x80;
      // a length past 2^53 cannot be a real length; stop before the arithmetic loses bits
      if (scale > Number.MAX_SAFE_INTEGER) this.fail('varint too long');
    }
  }

  bytes(): Buffer {
    const len = this.varint();
    const at = this.need(len);
    // a copy: the page buffer the key came from is reused for other pages
    return Buffer.from(this.buf.subarray(at, at + len));
  }

  number(): number {
    const tag = this.buf[this.need(1)]!;
    if (tag === TAG_INT32) return this.buf.readInt32BE(this.need(4));
    if (tag === TAG_DOUBLE) return this.buf.readDoubleBE(this.need(8));
    this.pos--;
    return this.fail(`tag ${tag} where a number was expected`);
  }

  part(): KeyPart {
    const tag = this.buf[this.pos]!;
    if (tag === TAG_INT32 || tag === TAG_DOUBLE) return this.number();
    this.pos++;
    switch (tag) {
      case TAG_NULL:
        return null;
      case TAG_BIGINT_POS:
      case TAG_BIGINT_NEG: {
        const m = this.bytes();
        const v = m.length === 0 ? 0n : BigInt('0x' + m.toString('hex'));
        return tag === TAG_BIGINT_NEG ? -v : v;
      }
      case TAG_UTF8:
        return this.bytes().toString('utf8');
      case TAG_UTF16: {
        const b = this.bytes();
        if (b.length % 2) this.fail('odd UTF-16 byte count');
        return b.toString('utf16le');
      }
      case TAG_BYTES:
        return this.bytes();
      case TAG_TEMPORAL: {
        const n = this.varint();
        // each element takes at least 5 bytes: refuse a count the rest cannot hold before allocating
        if (n * 5 > this.buf.length - this.pos) this.fail(`temporal of ${n} elements`);
        const t: number[] = [];
        for (let i = 0; i < n; i++) t.push(this.number());
        return { t };
      }
      default:
        this.pos--;
        return this.fail(`unknown tag ${tag}`);
    }
  }
}

/** The key whose stored form is `buf`; throws an Error naming the offset when `buf` is not one. */
export function decodeKey(buf: Buffer): KeyPart[] {
  const r = new KeyReader(buf);
  const parts: KeyPart[] = [];
  while (r.pos < buf.length) parts.push(r.part());
  return parts;
}
