/**
 * The ARCHIVE row codec: a row of a table to the bytes of one record inside the compressed
 * stream, and back. ARCHIVE version 3 packs each row (null bitmap, then one image per non-NULL
 * field) and prefixes it with its length, so a reader can step over records it does not need
 * and over fields (BLOBs) a query did not ask for.
 *
 * Record layout (all integers little-endian):
 *
 *     uint32 packed length
 *     null bitmap: ceil((1 + nullable columns) / 8) bytes; bit 0 is always 1 (MySQL's record
 *       marker bit), bit 1 + i is set when the i-th nullable column is NULL, unused bits are 1
 *     for each non-NULL column, in column order:
 *       TINYINT/SMALLINT/MEDIUMINT/INT/BIGINT: the value in 1/2/3/4/8 bytes, two's complement
 *         (unsigned columns: plain binary)
 *       any other type: a tag byte and its payload
 *         1 integer:   uint8 n, n ASCII digits (optional leading '-')
 *         2 double:    8 bytes IEEE 754
 *         3 utf8:      uint32 n, n bytes of UTF-8
 *         4 utf16:     uint32 n, n bytes of UTF-16LE (strings UTF-8 cannot carry: lone surrogates)
 *         5 bytes:     uint32 n, n bytes
 *         6 decimal:   uint8 scale, uint8 n, n ASCII digits of the unscaled value
 *         7 temporal:  uint8 kind (0 DATE, 1 TIME, 2 DATETIME, 3 TIMESTAMP) | 4 when negative,
 *                      uint16 year, uint8 month, uint8 day, uint16 hour, uint8 minute,
 *                      uint8 second, uint32 microseconds, uint8 fsp
 *
 * Decoding checks every length against its bounds, every tag and the bitmap's fixed bits, and
 * throws {@link ArchiveCorruptError} (nothing else) when the bytes are not a record of this
 * layout.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/archive-storage-engine.html (16.5)
 * @req ARCHIVE-024 ARCHIVE-040 ARCHIVE-041
 */
import { isUtf8 } from 'node:buffer';
import type { TableDef } from '../../kernel/table-def.js';
import { Decimal, Temporal, type Row, type TemporalKind, type Value } from '../../kernel/value.js';
import { ARZ_RECORD_LENGTH_BYTES } from './limits.js';

/** The bytes are not a record of the table (damaged file, or a different table layout). */
export class ArchiveCorruptError extends Error {
  constructor(message: string) {
    super(`corrupt ARCHIVE data: ${message}`);
    this.name = 'ArchiveCorruptError';
  }
}

const INT_WIDTH: Readonly<Record<string, number>> = { TINYINT: 1, SMALLINT: 2, MEDIUMINT: 3, INT: 4, BIGINT: 8 };
const TAG_INT = 1;
const TAG_DOUBLE = 2;
const TAG_UTF8 = 3;
const TAG_UTF16 = 4;
const TAG_BYTES = 5;
const TAG_DECIMAL = 6;
const TAG_TEMPORAL = 7;
const KINDS: readonly TemporalKind[] = ['DATE', 'TIME', 'DATETIME', 'TIMESTAMP'];
const TEMPORAL_NEGATIVE = 4;
const TEMPORAL_BYTES = 14;
const INT_TEXT = /^-?\d+$/;
/** A high surrogate not followed by a low one, or a low one without a high one before it. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** How one table's rows are packed: computed once per definition. */
export interface RowLayout {
  readonly columns: number;
  /** Fixed integer width per column, or 0 for a tagged image. */
  readonly intWidth: readonly number[];
  readonly unsigned: readonly boolean[];
  /** Null-bitmap bit per column (1 + its rank among nullable columns), or -1 when NOT NULL. */
  readonly nullBit: readonly number[];
  readonly nullBytes: number;
}

export function rowLayout(def: Pick<TableDef, 'columns'>): RowLayout {
  const intWidth: number[] = [];
  const unsigned: boolean[] = [];
  const nullBit: number[] = [];
  let bits = 1;
  for (const c of def.columns) {
    intWidth.push(INT_WIDTH[c.type.name] ?? 0);
    unsigned.push(c.type.unsigned === true);
    nullBit.push(c.nullable ? bits++ : -1);
  }
  return { columns: def.columns.length, intWidth, unsigned, nullBit, nullBytes: Math.ceil(bits / 8) };
}

/** A growable output buffer. */
class Out {
  buf = Buffer.allocUnsafe(128);
  len = 0;
  need(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const b = Buffer.allocUnsafe(size);
    this.buf.copy(b, 0, 0, this.len);
    this.buf = b;
  }
  u8(v: number): void {
    this.need(1);
    this.buf[this.len++] = v;
  }
  u32(v: number): void {
    this.need(4);
    this.buf.writeUInt32LE(v, this.len);
    this.len += 4;
  }
  bytes(b: Uint8Array): void {
    this.need(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
  }
  ascii(s: string): void {
    this.need(s.length);
    this.len += this.buf.write(s, this.len, 'latin1');
  }
}

function asBigInt(v: Value, column: number): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  throw new TypeError(`ARCHIVE: column ${column} holds a non-integer value`);
}

function writeInt(o: Out, v: bigint, width: number, unsigned: boolean): void {
  const bits = BigInt(width * 8);
  const lo = unsigned ? 0n : -(1n << (bits - 1n));
  const hi = unsigned ? (1n << bits) - 1n : (1n << (bits - 1n)) - 1n;
  if (v < lo || v > hi) throw new RangeError(`ARCHIVE: ${v} does not fit ${width} bytes`);
  o.need(width);
  if (width === 8) {
    if (unsigned) o.buf.writeBigUInt64LE(v, o.len);
    else o.buf.writeBigInt64LE(v, o.len);
  } else if (unsigned) o.buf.writeUIntLE(Number(v), o.len, width);
  else o.buf.writeIntLE(Number(v), o.len, width);
  o.len += width;
}

function writeTagged(o: Out, v: Value): void {
  if (typeof v === 'bigint') {
    const s = v.toString();
    o.u8(TAG_INT);
    o.u8(s.length);
    o.ascii(s);
  } else if (typeof v === 'number') {
    o.u8(TAG_DOUBLE);
    o.need(8);
    o.buf.writeDoubleLE(v, o.len);
    o.len += 8;
  } else if (typeof v === 'string') {
    if (!LONE_SURROGATE.test(v)) {
      const b = Buffer.from(v, 'utf8');
      o.u8(TAG_UTF8);
      o.u32(b.length);
      o.bytes(b);
    } else {
      const b = Buffer.from(v, 'utf16le');
      o.u8(TAG_UTF16);
      o.u32(b.length);
      o.bytes(b);
    }
  } else if (Buffer.isBuffer(v)) {
    o.u8(TAG_BYTES);
    o.u32(v.length);
    o.bytes(v);
  } else if (v instanceof Decimal) {
    const s = v.unscaled.toString();
    o.u8(TAG_DECIMAL);
    o.u8(v.scale);
    o.u8(s.length);
    o.ascii(s);
  } else if (v instanceof Temporal) {
    o.u8(TAG_TEMPORAL);
    o.need(TEMPORAL_BYTES);
    const b = o.buf;
    let p = o.len;
    b[p++] = KINDS.indexOf(v.kind) | (v.negative ? TEMPORAL_NEGATIVE : 0);
    b.writeUInt16LE(v.year, p);
    p += 2;
    b[p++] = v.month;
    b[p++] = v.day;
    b.writeUInt16LE(v.hour, p);
    p += 2;
    b[p++] = v.minute;
    b[p++] = v.second;
    b.writeUInt32LE(v.micro, p);
    p += 4;
    b[p++] = v.fsp;
    o.len = p;
  } else {
    throw new TypeError('ARCHIVE: unsupported value');
  }
}

/** Pack a row (without its length prefix). */
function packInto(o: Out, layout: RowLayout, row: Row): void {
  const start = o.len;
  o.need(layout.nullBytes);
  o.buf.fill(0xff, start, start + layout.nullBytes);
  o.len += layout.nullBytes;
  for (let i = 0; i < layout.columns; i++) {
    const v = row[i] ?? null;
    const bit = layout.nullBit[i]!;
    if (bit < 0) {
      if (v === null) throw new TypeError(`ARCHIVE: NULL in NOT NULL column ${i}`);
    } else if (v === null) {
      continue;
    } else {
      o.buf[start + (bit >> 3)]! &= ~(1 << (bit & 7));
    }
    const w = layout.intWidth[i]!;
    if (w > 0) writeInt(o, asBigInt(v, i), w, layout.unsigned[i]!);
    else writeTagged(o, v);
  }
}

/** One record: its uint32 length and the packed row. @req ARCHIVE-041 */
export function encodeRecord(layout: RowLayout, row: Row): Buffer {
  const o = new Out();
  o.len = ARZ_RECORD_LENGTH_BYTES;
  packInto(o, layout, row);
  o.buf.writeUInt32LE(o.len - ARZ_RECORD_LENGTH_BYTES, 0);
  return Buffer.from(o.buf.subarray(0, o.len));
}

/** The packed row's own bytes (no prefix), for tests and length statistics. */
export function packRow(layout: RowLayout, row: Row): Buffer {
  const o = new Out();
  packInto(o, layout, row);
  return Buffer.from(o.buf.subarray(0, o.len));
}

function corrupt(msg: string): never {
  throw new ArchiveCorruptError(msg);
}

function readInt(b: Buffer, p: number, width: number, unsigned: boolean): bigint {
  if (width === 8) return unsigned ? b.readBigUInt64LE(p) : b.readBigInt64LE(p);
  return BigInt(unsigned ? b.readUIntLE(p, width) : b.readIntLE(p, width));
}

function len32(b: Buffer, p: number, end: number): number {
  if (p + 4 > end) corrupt('length past the record end');
  const n = b.readUInt32LE(p);
  if (p + 4 + n > end) corrupt('field past the record end');
  return n;
}

/**
 * Decode the tagged image at `p`; returns the value (undefined when `skip`, so skipped BLOBs
 * are never copied) and the next position.
 */
function readTagged(b: Buffer, p: number, end: number, skip: boolean): [Value | undefined, number] {
  if (p >= end) corrupt('field past the record end');
  const tag = b[p++]!;
  switch (tag) {
    case TAG_INT: {
      if (p >= end) corrupt('field past the record end');
      const n = b[p++]!;
      if (n === 0 || p + n > end) corrupt('bad integer image');
      const s = b.toString('latin1', p, p + n);
      if (!INT_TEXT.test(s)) corrupt('bad integer digits');
      return [skip ? undefined : BigInt(s), p + n];
    }
    case TAG_DOUBLE:
      if (p + 8 > end) corrupt('field past the record end');
      return [skip ? undefined : b.readDoubleLE(p), p + 8];
    case TAG_UTF8: {
      const n = len32(b, p, end);
      if (skip) return [undefined, p + 4 + n];
      if (!isUtf8(b.subarray(p + 4, p + 4 + n))) corrupt('bad UTF-8');
      return [b.toString('utf8', p + 4, p + 4 + n), p + 4 + n];
    }
    case TAG_UTF16: {
      const n = len32(b, p, end);
      if (n % 2 !== 0) corrupt('odd UTF-16 length');
      return [skip ? undefined : b.toString('utf16le', p + 4, p + 4 + n), p + 4 + n];
    }
    case TAG_BYTES: {
      const n = len32(b, p, end);
      return [skip ? undefined : Buffer.from(b.subarray(p + 4, p + 4 + n)), p + 4 + n];
    }
    case TAG_DECIMAL: {
      if (p + 2 > end) corrupt('field past the record end');
      const scale = b[p]!;
      const n = b[p + 1]!;
      p += 2;
      if (n === 0 || p + n > end) corrupt('bad decimal image');
      const s = b.toString('latin1', p, p + n);
      if (!INT_TEXT.test(s)) corrupt('bad decimal digits');
      return [skip ? undefined : new Decimal(BigInt(s), scale), p + n];
    }
    case TAG_TEMPORAL: {
      if (p + TEMPORAL_BYTES > end) corrupt('field past the record end');
      const flags = b[p]!;
      const kind = KINDS[flags & 3]!;
      if ((flags & ~(3 | TEMPORAL_NEGATIVE)) !== 0) corrupt('bad temporal flags');
      const fsp = b[p + 13]!;
      if (fsp > 6) corrupt('bad temporal precision');
      const v = skip
        ? undefined
        : new Temporal(kind, b.readUInt16LE(p + 1), b[p + 3]!, b[p + 4]!, b.readUInt16LE(p + 5), b[p + 7]!, b[p + 8]!, b.readUInt32LE(p + 9), fsp, (flags & TEMPORAL_NEGATIVE) !== 0);
      return [v, p + TEMPORAL_BYTES];
    }
    default:
      return corrupt(`unknown field tag ${tag}`);
  }
}

/**
 * Unpack the packed row in `b[start, end)`. Columns whose `wanted` entry is false are stepped
 * over without being decoded (they come back NULL). @req ARCHIVE-024
 */
export function unpackRow(layout: RowLayout, b: Buffer, start: number, end: number, wanted?: readonly boolean[]): Row {
  const nb = layout.nullBytes;
  if (start + nb > end) corrupt('record shorter than its null bitmap');
  if ((b[start]! & 1) === 0) corrupt('record marker bit clear');
  const row: Row = new Array<Value>(layout.columns);
  let p = start + nb;
  let usedBits = 1;
  for (let i = 0; i < layout.columns; i++) {
    const bit = layout.nullBit[i]!;
    if (bit >= 0) {
      usedBits++;
      if ((b[start + (bit >> 3)]! & (1 << (bit & 7))) !== 0) {
        row[i] = null;
        continue;
      }
    }
    const skip = wanted !== undefined && wanted[i] !== true;
    const w = layout.intWidth[i]!;
    if (w > 0) {
      if (p + w > end) corrupt('field past the record end');
      row[i] = skip ? null : readInt(b, p, w, layout.unsigned[i]!);
      p += w;
    } else {
      const [v, next] = readTagged(b, p, end, skip);
      row[i] = v === undefined ? null : v;
      p = next;
    }
  }
  // Bits past the last nullable column are set, as the packer leaves them.
  for (let bit = usedBits; bit < nb * 8; bit++) if ((b[start + (bit >> 3)]! & (1 << (bit & 7))) === 0) corrupt('unused null bit clear');
  if (p !== end) corrupt('bytes left after the last field');
  return row;
}

/**
 * The records of a member's inflated bytes, as [start, end) of each packed row; throws
 * {@link ArchiveCorruptError} when a length runs past the data. @req ARCHIVE-041
 */
export function splitRecords(raw: Buffer, layout: RowLayout): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let p = 0;
  while (p < raw.length) {
    if (p + ARZ_RECORD_LENGTH_BYTES > raw.length) corrupt('record length cut off');
    const n = raw.readUInt32LE(p);
    const s = p + ARZ_RECORD_LENGTH_BYTES;
    if (n < layout.nullBytes || s + n > raw.length) corrupt('record length past the data');
    out.push([s, s + n]);
    p = s + n;
  }
  return out;
}

/** Decode whole records (length-prefixed) from `raw`: every row, all columns. */
export function decodeRecords(layout: RowLayout, raw: Buffer): Row[] {
  return splitRecords(raw, layout).map(([s, e]) => unpackRow(layout, raw, s, e));
}
