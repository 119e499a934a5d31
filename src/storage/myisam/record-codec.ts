/**
 * The record codec of the .MYD data file: how a row becomes bytes in the static (fixed-length)
 * and the dynamic format, and back.
 *
 * A record opens with a status byte (1 live, 0 deleted), then the NULL bitmap (one bit per
 * nullable column, rounded up to bytes), then the non-NULL column values. Each value is a tag
 * byte naming its runtime kind followed by its payload, little-endian (MYISAM-007). Storing the
 * kind keeps every value byte-exact whatever column type carries it (BIGINT UNSIGNED, DECIMAL
 * digits, TIME's sign, BIT contents), which is what a reference implementation needs; the
 * layout is therefore ours, not MySQL's byte for byte (decision A-15 of the spec).
 *
 * Static format: every column has a fixed width (its largest value), short strings are padded
 * with spaces and binary strings with 0x00 (MYISAM-089), so row N is at N x record length
 * (MYISAM-086). Dynamic format: a block header (type, block length, data length; MYISAM-101)
 * and the packed values; a block may be longer than its data when it reuses a freed block.
 *
 * Decoding checks every length and tag against the bytes it has and throws a
 * {@link RecordCorrupt} on anything inconsistent, so damaged files give an error, never a crash.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/myisam-table-formats.html (16.2.3)
 * @req MYISAM-007 MYISAM-080 MYISAM-085 MYISAM-086 MYISAM-088 MYISAM-089 MYISAM-090 MYISAM-100
 * @req MYISAM-101 MYISAM-105
 */
import { dataBytes, isBlobLike } from '../../kernel/column-size.js';
import type { ColumnDef, TableDef } from '../../kernel/table-def.js';
import { Decimal, Temporal, type Row, type TemporalKind, type Value } from '../../kernel/value.js';
import { DYNAMIC_BLOCK_HEADER, MIN_DYNAMIC_BLOCK } from './limits.js';

/** Bytes that do not decode as a record (or block) of the table. */
export class RecordCorrupt extends Error {}

const TAG_NULL = 0;
const TAG_INT = 1;
const TAG_UINT = 2;
const TAG_DOUBLE = 3;
const TAG_STRING = 4;
const TAG_BUFFER = 5;
const TAG_DECIMAL = 6;
const TAG_TEMPORAL = 7;

const TEMPORAL_KINDS: readonly TemporalKind[] = ['DATE', 'TIME', 'DATETIME', 'TIMESTAMP'];
const TEMPORAL_BYTES = 15;
const INT64_MIN = -(1n << 63n);
const UINT64_MAX = (1n << 64n) - 1n;

/** Record status byte values. */
export const RECORD_LIVE = 1;
export const RECORD_DELETED = 0;

/** Whether a column has variable length (VARCHAR, VARBINARY, BLOB, TEXT, JSON, GEOMETRY). */
export function isVariableColumn(c: ColumnDef): boolean {
  return c.type.name === 'VARCHAR' || c.type.name === 'VARBINARY' || isBlobLike(c);
}

/**
 * The format a table gets (MYISAM-085, MYISAM-100, MYISAM-081, MYISAM-088): BLOB/TEXT always
 * dynamic; otherwise ROW_FORMAT=FIXED or DYNAMIC when given, else dynamic exactly when a column
 * has variable length.
 */
export function chooseFormat(def: TableDef): 'fixed' | 'dynamic' {
  if (def.columns.some(isBlobLike)) return 'dynamic';
  const rf = (def.options['ROW_FORMAT'] ?? '').toUpperCase();
  if (rf === 'FIXED') return 'fixed';
  if (rf === 'DYNAMIC') return 'dynamic';
  return def.columns.some(isVariableColumn) ? 'dynamic' : 'fixed';
}

function isBinaryString(c: ColumnDef): boolean {
  return c.type.name === 'BINARY' || c.type.name === 'VARBINARY' || c.type.name === 'BIT' || /BLOB$/.test(c.type.name);
}

/** The largest payload (after the tag) a column's values take in the static format. */
function maxPayload(c: ColumnDef): number {
  const t = c.type;
  let strBytes = dataBytes(c);
  if (t.name === 'ENUM') strBytes = Math.max(0, ...(t.values ?? []).map((v) => Buffer.byteLength(v))) * 1;
  if (t.name === 'SET') strBytes = (t.values ?? []).reduce((n, v) => n + Buffer.byteLength(v) + 1, 0);
  if (t.name === 'BIT') strBytes = Math.max(strBytes, 8);
  let n = Math.max(TEMPORAL_BYTES, 8, 4 + strBytes);
  if (t.name === 'DECIMAL') n = Math.max(n, 1 + 4 + 80);
  return n;
}

/**
 * What the record codec needs of one column, as the .MYI keeps it (MyISAM's column
 * descriptions): whether it may be NULL, its static field width, whether it pads with 0x00.
 */
export interface ColumnInfo {
  nullable: boolean;
  width: number;
  binary: boolean;
}

/** The column descriptions of a table definition. */
export function columnInfo(def: TableDef): ColumnInfo[] {
  return def.columns.map((c) => ({ nullable: c.nullable, width: 1 + maxPayload(c), binary: isBinaryString(c) }));
}

/** A table's record layout. */
export class RecordLayout {
  readonly format: 'fixed' | 'dynamic';
  readonly columns: ColumnInfo[];
  /** Positions of the nullable columns in bitmap order. */
  private readonly nullBit: number[];
  readonly nullBytes: number;
  /** Static format: width of each column's field (tag included) and the whole record length. */
  readonly widths: number[];
  readonly recordLength: number;

  /** From a table definition, or (offline tools) from the column descriptions in a .MYI. */
  constructor(def: TableDef | readonly ColumnInfo[], format?: 'fixed' | 'dynamic') {
    const isDef = !Array.isArray(def);
    this.columns = isDef ? columnInfo(def as TableDef) : [...(def as readonly ColumnInfo[])];
    this.format = format ?? (isDef ? chooseFormat(def as TableDef) : 'dynamic');
    this.nullBit = this.columns.map(() => -1);
    let bits = 0;
    this.columns.forEach((c, i) => {
      if (c.nullable) this.nullBit[i] = bits++;
    });
    this.nullBytes = Math.ceil(bits / 8);
    this.widths = this.columns.map((c) => c.width);
    // A deleted static record keeps the link to the next deleted one (8 bytes) after its status byte.
    this.recordLength = Math.max(9, 1 + this.nullBytes + this.widths.reduce((a, b) => a + b, 0));
  }

  /** Record bytes of a live row: the static record, or the dynamic block's data (no block header). */
  encode(row: Row): Buffer {
    const parts: Buffer[] = [];
    const head = Buffer.alloc(1 + this.nullBytes);
    head[0] = RECORD_LIVE;
    parts.push(head);
    const cols = this.columns;
    for (let i = 0; i < cols.length; i++) {
      const v = row[i] ?? null;
      const bit = this.nullBit[i]!;
      if (v === null && bit >= 0) {
        head[1 + (bit >> 3)]! |= 1 << (bit & 7);
        if (this.format === 'fixed') parts.push(Buffer.alloc(this.widths[i]!));
        continue;
      }
      const field = encodeValue(v);
      if (this.format === 'fixed') {
        const w = this.widths[i]!;
        if (field.length > w) throw new RecordCorrupt(`value of column ${i + 1} does not fit its ${w}-byte field`);
        const padded = Buffer.alloc(w, cols[i]!.binary || field[0] !== TAG_STRING ? 0 : 0x20);
        field.copy(padded);
        parts.push(padded);
      } else parts.push(field);
    }
    const out = Buffer.concat(parts);
    if (this.format === 'fixed' && out.length < this.recordLength) return Buffer.concat([out, Buffer.alloc(this.recordLength - out.length)]);
    return out;
  }

  /** Decode record bytes (as {@link encode} made them); throws RecordCorrupt. */
  decode(buf: Buffer): Row {
    if (buf.length < 1 + this.nullBytes) throw new RecordCorrupt('record shorter than its header');
    if (buf[0] !== RECORD_LIVE) throw new RecordCorrupt(`bad record status byte ${buf[0]}`);
    const cols = this.columns;
    const row: Row = new Array<Value>(cols.length);
    let pos = 1 + this.nullBytes;
    for (let i = 0; i < cols.length; i++) {
      const bit = this.nullBit[i]!;
      const isNull = bit >= 0 && (buf[1 + (bit >> 3)]! & (1 << (bit & 7))) !== 0;
      if (this.format === 'fixed') {
        const w = this.widths[i]!;
        if (pos + w > buf.length) throw new RecordCorrupt('record shorter than its fields');
        row[i] = isNull ? null : decodeValue(buf, pos, pos + w).value;
        pos += w;
      } else {
        if (isNull) {
          row[i] = null;
          continue;
        }
        const r = decodeValue(buf, pos, buf.length);
        row[i] = r.value;
        pos = r.end;
      }
    }
    if (this.format === 'dynamic' && pos !== buf.length) throw new RecordCorrupt('trailing bytes after the last field');
    return row;
  }
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
}

/** Tag and payload of one value. */
export function encodeValue(v: Value): Buffer {
  if (v === null) return Buffer.from([TAG_NULL]);
  if (typeof v === 'bigint') {
    const b = Buffer.alloc(9);
    if (v >= INT64_MIN && v < 0n) {
      b[0] = TAG_INT;
      b.writeBigInt64LE(v, 1);
    } else {
      if (v > UINT64_MAX) throw new RecordCorrupt('integer out of range');
      b[0] = TAG_UINT;
      b.writeBigUInt64LE(v, 1);
    }
    return b;
  }
  if (typeof v === 'number') {
    const b = Buffer.alloc(9);
    b[0] = TAG_DOUBLE;
    b.writeDoubleLE(v, 1);
    return b;
  }
  if (typeof v === 'string') {
    const s = Buffer.from(v, 'utf8');
    return Buffer.concat([Buffer.from([TAG_STRING]), u32(s.length), s]);
  }
  if (Buffer.isBuffer(v)) return Buffer.concat([Buffer.from([TAG_BUFFER]), u32(v.length), v]);
  if (v instanceof Decimal) {
    const s = Buffer.from(v.unscaled.toString(), 'latin1');
    return Buffer.concat([Buffer.from([TAG_DECIMAL, v.scale]), u32(s.length), s]);
  }
  const t = v;
  const b = Buffer.alloc(1 + TEMPORAL_BYTES);
  b[0] = TAG_TEMPORAL;
  b[1] = TEMPORAL_KINDS.indexOf(t.kind);
  b.writeUInt16LE(t.year, 2);
  b[4] = t.month;
  b[5] = t.day;
  b.writeUInt16LE(t.hour, 6);
  b[8] = t.minute;
  b[9] = t.second;
  b.writeUInt32LE(t.micro, 10);
  b[14] = t.fsp;
  b[15] = t.negative ? 1 : 0;
  return b;
}

/** Decode one value at `pos`, never reading at or past `limit`. */
export function decodeValue(buf: Buffer, pos: number, limit: number): { value: Value; end: number } {
  const need = (n: number): void => {
    if (pos + n > limit) throw new RecordCorrupt('field runs past the record');
  };
  need(1);
  const tag = buf[pos]!;
  pos++;
  switch (tag) {
    case TAG_NULL:
      return { value: null, end: pos };
    case TAG_INT:
      need(8);
      return { value: buf.readBigInt64LE(pos), end: pos + 8 };
    case TAG_UINT:
      need(8);
      return { value: buf.readBigUInt64LE(pos), end: pos + 8 };
    case TAG_DOUBLE:
      need(8);
      return { value: buf.readDoubleLE(pos), end: pos + 8 };
    case TAG_STRING:
    case TAG_BUFFER: {
      need(4);
      const n = buf.readUInt32LE(pos);
      pos += 4;
      need(n);
      const bytes = buf.subarray(pos, pos + n);
      if (tag === TAG_BUFFER) return { value: Buffer.from(bytes), end: pos + n };
      const s = bytes.toString('utf8');
      if (Buffer.byteLength(s) !== n) throw new RecordCorrupt('string is not valid UTF-8');
      return { value: s, end: pos + n };
    }
    case TAG_DECIMAL: {
      need(5);
      const scale = buf[pos]!;
      const n = buf.readUInt32LE(pos + 1);
      pos += 5;
      need(n);
      const text = buf.toString('latin1', pos, pos + n);
      if (!/^-?\d{1,80}$/.test(text) || scale > 30) throw new RecordCorrupt('bad DECIMAL field');
      return { value: new Decimal(BigInt(text), scale), end: pos + n };
    }
    case TAG_TEMPORAL: {
      need(TEMPORAL_BYTES);
      const kind = TEMPORAL_KINDS[buf[pos]!];
      const fsp = buf[pos + 13]!;
      const neg = buf[pos + 14]!;
      if (!kind || fsp > 6 || neg > 1) throw new RecordCorrupt('bad temporal field');
      const t = new Temporal(
        kind,
        buf.readUInt16LE(pos + 1),
        buf[pos + 3]!,
        buf[pos + 4]!,
        buf.readUInt16LE(pos + 5),
        buf[pos + 7]!,
        buf[pos + 8]!,
        buf.readUInt32LE(pos + 9),
        fsp,
        neg === 1,
      );
      return { value: t, end: pos + TEMPORAL_BYTES };
    }
    default:
      throw new RecordCorrupt(`bad field tag ${tag}`);
  }
}

/** A dynamic block: its header and data (the record bytes). */
export function dynamicBlock(data: Buffer, blockLength: number, live: boolean): Buffer {
  const b = Buffer.alloc(blockLength);
  b[0] = live ? RECORD_LIVE : RECORD_DELETED;
  b.writeUInt32BE(blockLength, 1);
  b.writeUInt32BE(live ? data.length : 0, 5);
  if (live) data.copy(b, DYNAMIC_BLOCK_HEADER);
  return b;
}

/**
 * The dynamic-format block at `pos` of a data file: its length and its row (null for a free
 * block), or undefined where the bytes there are no block (the server's reads, CHECK TABLE and
 * the offline tools read blocks the same way).
 */
export function readDynamicBlock(data: Buffer, pos: number, layout: RecordLayout): { len: number; row: Row | null } | undefined {
  if (pos + DYNAMIC_BLOCK_HEADER > data.length) return undefined;
  const type = data[pos];
  const len = data.readUInt32BE(pos + 1);
  const dlen = data.readUInt32BE(pos + 5);
  if ((type !== RECORD_LIVE && type !== RECORD_DELETED) || len < MIN_DYNAMIC_BLOCK || pos + len > data.length) return undefined;
  if (type === RECORD_DELETED) return dlen === 0 ? { len, row: null } : undefined;
  if (DYNAMIC_BLOCK_HEADER + dlen > len) return undefined;
  try {
    return { len, row: layout.decode(data.subarray(pos + DYNAMIC_BLOCK_HEADER, pos + DYNAMIC_BLOCK_HEADER + dlen)) };
  } catch (e) {
    if (e instanceof RecordCorrupt) return undefined;
    throw e;
  }
}
