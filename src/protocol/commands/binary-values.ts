/**
 * The binary protocol value encoding used by prepared statements: decoding COM_STMT_EXECUTE
 * parameters into runtime Values, and encoding result rows as binary ResultsetRow packets.
 *
 * @spec https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_binary_resultset.html
 * @spec https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_stmt_execute.html
 * @req CORE-PROTO-031 CORE-PROTO-032
 */
import type { TextEncoders } from './result-charset.js';
import { decode, maxBytesPerChar } from '../../kernel/charset/index.js';
import { ColumnFlag, MysqlType, type ResultColumn } from '../../kernel/column-type.js';
import { valueToText } from '../../sql/types/format.js';
import { Decimal, Temporal, type Value } from '../../kernel/value.js';
import { MalformedPacketError, type PayloadReader, PayloadWriter } from '../packet-codec.js';

/** A parameter type as the client declared it: type code plus the unsigned flag (0x80 of byte 2). */
export interface ParamType {
  type: number;
  unsigned: boolean;
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** String-typed parameters arrive as bytes; keep them text when they are valid UTF-8, or read
 *  them in the client's single-byte character set (character_set_client). @req CORE-CS-054 */
function bytesToStringValue(b: Buffer, charset?: string): string | Buffer {
  if (charset !== undefined && charset !== 'utf8mb4' && charset !== 'utf8mb3' && charset !== 'binary' && maxBytesPerChar(charset) === 1) return decode(b, charset);
  try {
    return strictUtf8.decode(b);
  } catch {
    return Buffer.from(b);
  }
}

function readTemporal(r: PayloadReader, type: number): Temporal {
  const len = r.int1();
  if (len !== 0 && len !== 4 && len !== 7 && len !== 11) throw new MalformedPacketError('temporal length');
  let year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, micro = 0;
  if (len >= 4) {
    year = r.int2();
    month = r.int1();
    day = r.int1();
  }
  if (len >= 7) {
    hour = r.int1();
    minute = r.int1();
    second = r.int1();
  }
  if (len === 11) micro = r.int4();
  const kind = type === MysqlType.DATE || type === MysqlType.NEWDATE ? 'DATE' : type === MysqlType.TIMESTAMP ? 'TIMESTAMP' : 'DATETIME';
  return new Temporal(kind, year, month, day, hour, minute, second, micro, micro ? 6 : 0);
}

function readTime(r: PayloadReader): Temporal {
  const len = r.int1();
  if (len !== 0 && len !== 8 && len !== 12) throw new MalformedPacketError('time length');
  if (len === 0) return new Temporal('TIME', 0, 0, 0, 0, 0, 0, 0, 0);
  const negative = r.int1() === 1;
  const days = r.int4();
  const hour = r.int1();
  const minute = r.int1();
  const second = r.int1();
  const micro = len === 12 ? r.int4() : 0;
  return new Temporal('TIME', 0, 0, 0, days * 24 + hour, minute, second, micro, micro ? 6 : 0, negative);
}

/**
 * Decode one parameter value of the given declared type.
 * @req CORE-PROTO-031
 */
export function readBinaryParam(r: PayloadReader, t: ParamType, charset?: string): Value {
  switch (t.type) {
    case MysqlType.NULL:
      return null;
    case MysqlType.TINY: {
      const v = r.int1();
      return BigInt(t.unsigned ? v : (v << 24) >> 24);
    }
    case MysqlType.SHORT:
    case MysqlType.YEAR: {
      const v = r.int2();
      return BigInt(t.unsigned ? v : (v << 16) >> 16);
    }
    case MysqlType.LONG:
    case MysqlType.INT24: {
      const v = r.int4();
      return BigInt(t.unsigned ? v : v | 0);
    }
    case MysqlType.LONGLONG: {
      const v = r.int8();
      return t.unsigned ? v : BigInt.asIntN(64, v);
    }
    case MysqlType.FLOAT:
      return r.float4();
    case MysqlType.DOUBLE:
      return r.float8();
    case MysqlType.DECIMAL:
    case MysqlType.NEWDECIMAL: {
      const s = r.lenencBytes().toString('latin1');
      return Decimal.parse(s) ?? s;
    }
    case MysqlType.DATE:
    case MysqlType.NEWDATE:
    case MysqlType.DATETIME:
    case MysqlType.TIMESTAMP:
      return readTemporal(r, t.type);
    case MysqlType.TIME:
      return readTime(r);
    case MysqlType.TINY_BLOB:
    case MysqlType.MEDIUM_BLOB:
    case MysqlType.LONG_BLOB:
    case MysqlType.BLOB:
    case MysqlType.GEOMETRY:
    case MysqlType.BIT:
      return Buffer.from(r.lenencBytes());
    case MysqlType.VARCHAR:
    case MysqlType.VAR_STRING:
    case MysqlType.STRING:
    case MysqlType.ENUM:
    case MysqlType.SET:
    case MysqlType.JSON:
      return bytesToStringValue(r.lenencBytes(), charset);
    default:
      throw new MalformedPacketError(`parameter type ${t.type}`);
  }
}

/** Long data (COM_STMT_SEND_LONG_DATA) turned into a value of the declared type. */
export function longDataValue(data: Buffer, t: ParamType, charset?: string): Value {
  switch (t.type) {
    case MysqlType.TINY_BLOB:
    case MysqlType.MEDIUM_BLOB:
    case MysqlType.LONG_BLOB:
    case MysqlType.BLOB:
    case MysqlType.GEOMETRY:
    case MysqlType.BIT:
      return data;
    default:
      return bytesToStringValue(data, charset);
  }
}

function toBigInt(v: Value): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? BigInt(Math.round(v)) : 0n;
  if (v instanceof Decimal) {
    const s = v.toString();
    const i = s.indexOf('.');
    return BigInt(i < 0 ? s : s.slice(0, i) || '0');
  }
  const s = Buffer.isBuffer(v) ? v.toString('latin1') : String(v);
  const m = /^\s*[+-]?\d+/.exec(s);
  return m ? BigInt(m[0]) : 0n;
}

function toNumber(v: Value): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Decimal) return v.toNumber();
  return Number(Buffer.isBuffer(v) ? v.toString('latin1') : String(v)) || 0;
}

function toTemporal(v: Value, kind: 'DATE' | 'DATETIME' | 'TIMESTAMP' | 'TIME'): Temporal | null {
  if (v instanceof Temporal) return v;
  const s = Buffer.isBuffer(v) ? v.toString('latin1') : v === null ? '' : String(v);
  if (kind === 'TIME') {
    const m = /^(-)?(\d+):(\d{1,2}):(\d{1,2})(?:\.(\d{1,6}))?$/.exec(s.trim());
    if (!m) return null;
    const micro = m[5] ? Number(m[5].padEnd(6, '0')) : 0;
    return new Temporal('TIME', 0, 0, 0, Number(m[2]), Number(m[3]), Number(m[4]), micro, 0, m[1] === '-');
  }
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.(\d{1,6}))?)?$/.exec(s.trim());
  if (!m) return null;
  const micro = m[7] ? Number(m[7].padEnd(6, '0')) : 0;
  return new Temporal(kind, Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0), micro);
}

function writeDateTime(w: PayloadWriter, t: Temporal, dateOnly: boolean): void {
  if (dateOnly || (t.hour === 0 && t.minute === 0 && t.second === 0 && t.micro === 0)) {
    if (t.year === 0 && t.month === 0 && t.day === 0) {
      w.int1(0);
      return;
    }
    w.int1(4).int2(t.year).int1(t.month).int1(t.day);
    return;
  }
  if (t.micro === 0) {
    w.int1(7).int2(t.year).int1(t.month).int1(t.day).int1(t.hour).int1(t.minute).int1(t.second);
    return;
  }
  w.int1(11).int2(t.year).int1(t.month).int1(t.day).int1(t.hour).int1(t.minute).int1(t.second).int4(t.micro);
}

function writeTime(w: PayloadWriter, t: Temporal): void {
  if (t.hour === 0 && t.minute === 0 && t.second === 0 && t.micro === 0) {
    w.int1(0);
    return;
  }
  const days = Math.floor(t.hour / 24);
  const hour = t.hour % 24;
  w.int1(t.micro ? 12 : 8).int1(t.negative ? 1 : 0).int4(days).int1(hour).int1(t.minute).int1(t.second);
  if (t.micro) w.int4(t.micro);
}

/** BIT values travel as big-endian bytes of the column width. */
function bitBytes(v: Value, col: ResultColumn): Buffer {
  if (Buffer.isBuffer(v)) return v;
  const n = BigInt.asUintN(64, toBigInt(v));
  const width = Math.max(1, Math.ceil((col.length || 1) / 8));
  const b = Buffer.alloc(width);
  let x = n;
  for (let i = width - 1; i >= 0; i--) {
    b[i] = Number(x & 0xffn);
    x >>= 8n;
  }
  return b;
}

/** Write one non-NULL value in the binary form of `col.type`. @req CORE-PROTO-032 */
export function writeBinaryValue(w: PayloadWriter, v: Exclude<Value, null>, col: ResultColumn): void {
  const unsigned = (col.flags & ColumnFlag.UNSIGNED) !== 0;
  if (typeof v === 'number' && Number.isSafeInteger(v)) {
    // Integers held as numbers need no BigInt on the way out: the low bits are the same.
    switch (col.type) {
      case MysqlType.TINY:
        w.int1(v);
        return;
      case MysqlType.SHORT:
      case MysqlType.YEAR:
        w.int2(v);
        return;
      case MysqlType.LONG:
      case MysqlType.INT24:
        w.int4(v);
        return;
      case MysqlType.LONGLONG:
        w.int4(v).int4(Math.floor(v / 0x100000000));
        return;
    }
  }
  switch (col.type) {
    case MysqlType.TINY:
      w.int1(Number(BigInt.asUintN(8, toBigInt(v))));
      return;
    case MysqlType.SHORT:
    case MysqlType.YEAR:
      w.int2(Number(BigInt.asUintN(16, toBigInt(v))));
      return;
    case MysqlType.LONG:
    case MysqlType.INT24:
      w.int4(Number(BigInt.asUintN(32, toBigInt(v))));
      return;
    case MysqlType.LONGLONG:
      w.int8(unsigned ? BigInt.asUintN(64, toBigInt(v)) : BigInt.asUintN(64, BigInt.asIntN(64, toBigInt(v))));
      return;
    case MysqlType.FLOAT:
      w.float4(toNumber(v));
      return;
    case MysqlType.DOUBLE:
      w.float8(toNumber(v));
      return;
    case MysqlType.DATE:
    case MysqlType.NEWDATE:
    case MysqlType.DATETIME:
    case MysqlType.TIMESTAMP: {
      const dateOnly = col.type === MysqlType.DATE || col.type === MysqlType.NEWDATE;
      const t = toTemporal(v, dateOnly ? 'DATE' : 'DATETIME');
      if (t === null) w.int1(0);
      else writeDateTime(w, t, dateOnly);
      return;
    }
    case MysqlType.TIME: {
      const t = toTemporal(v, 'TIME');
      if (t === null) w.int1(0);
      else writeTime(w, t);
      return;
    }
    case MysqlType.BIT:
      w.lenencStr(bitBytes(v, col));
      return;
    default: {
      // DECIMAL (as its text), strings, blobs, ENUM, SET, JSON, GEOMETRY.
      const text = valueToText(v, col);
      w.lenencStr(text ?? '');
    }
  }
}

/**
 * A binary ResultsetRow: 0x00, a NULL bitmap with a 2-bit offset, then the non-NULL values.
 * @req CORE-PROTO-032
 */
export function binaryRowPacket(row: readonly Value[], columns: readonly ResultColumn[], encoders?: TextEncoders): Buffer {
  const w = new PayloadWriter(1 + columns.length * 9);
  writeBinaryRow(w, row, columns, encoders);
  return w.finish();
}

/** {@link binaryRowPacket}'s fields written into `w` (for instance straight into a reply). @req CORE-PROTO-032 CORE-PERF-045 */
export function writeBinaryRow(w: PayloadWriter, row: readonly Value[], columns: readonly ResultColumn[], encoders?: TextEncoders | null): void {
  const n = columns.length;
  const bitmapLen = (n + 7 + 2) >> 3;
  w.int1(0x00);
  const bitmap = w.length;
  w.zeros(bitmapLen);
  for (let i = 0; i < n; i++) {
    const v = row[i] ?? null;
    if (v === null || columns[i]!.type === MysqlType.NULL) {
      const bit = i + 2;
      w.orAt(bitmap + (bit >> 3), 1 << (bit & 7));
    }
  }
  for (let i = 0; i < n; i++) {
    const v = row[i] ?? null;
    if (v === null || columns[i]!.type === MysqlType.NULL) continue;
    if (typeof v === 'string' && encoders?.[i]) w.lenencStr(encoders[i]!(valueToText(v, columns[i]!) as string));
    else writeBinaryValue(w, v, columns[i]!);
  }
}

/** A text ResultsetRow: each value as a length-encoded string, NULL as 0xFB. @req CORE-PROTO-012 */
export function textRowPacket(row: readonly Value[], columns: readonly ResultColumn[], encoders?: TextEncoders): Buffer {
  const w = new PayloadWriter(16 + columns.length * 8);
  writeTextRow(w, row, columns, encoders);
  return w.finish();
}

/** {@link textRowPacket}'s fields written into `w` (for instance straight into a reply). @req CORE-PROTO-012 CORE-PERF-045 */
export function writeTextRow(w: PayloadWriter, row: readonly Value[], columns: readonly ResultColumn[], encoders?: TextEncoders | null): void {
  for (let i = 0; i < columns.length; i++) {
    const v = row[i] ?? null;
    // BIT columns travel as their raw bytes in both protocols, never as decimal text.
    if (v !== null && columns[i]!.type === MysqlType.BIT && !Buffer.isBuffer(v)) {
      w.lenencStr(bitBytes(v, columns[i]!));
      continue;
    }
    const t = valueToText(v, columns[i]!);
    if (t === null) w.int1(0xfb);
    else if (typeof t === 'string' && encoders?.[i]) w.lenencStr(encoders[i]!(t));
    else w.lenencStr(t);
  }
}
