/**
 * Storing a value into a column (INSERT/UPDATE/LOAD DATA): conversion to the column's type
 * with MySQL's range, length and validity checks. In strict mode (STRICT_TRANS_TABLES or
 * STRICT_ALL_TABLES) bad data is an error; otherwise it is adjusted and a warning is recorded.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/sql-mode.html#sql-mode-strict
 * @req CORE-TYPE-080 CORE-TYPE-081 CORE-TYPE-082 CORE-TYPE-083 CORE-TYPE-084 CORE-TYPE-085 CORE-TYPE-086 CORE-GIS-004
 */
import type { ColumnDef } from '../../kernel/table-def.js';
import { byteLength, charLength, compareStrings, decode, encode, invalidBytesAt, isUnicodeCharset, maxBytesPerChar, unrepresentableAt } from '../../kernel/charset/index.js';
import { sqlError, type ErrorName } from '../../kernel/errors.js';
import type { Runtime } from '../eval/types.js';
import { numericPrefix, parseDecimalSafe, safeBigInt, temporalToNumberText, toDecimal, toStringValue } from './convert.js';
import { decCompare, decMaxFor, decNeg, rescale, decRound, divRound, pow10 } from './decimal-math.js';
import { formatDouble } from './format.js';
import { JsonParseError, jsonToText, normalizeJsonText, numberFromText } from './json.js';
import { INT_RANGES, TIMESTAMP_MAX_SECONDS, TIMESTAMP_MIN_SECONDS } from './limits.js';
import {
  datetimeToMicros, makeTemporal, microsToDatetime, microsToTime, numberToDatetime, numberToTime,
  parseDatetime, parseTime, temporalToEpochSeconds, timeToMicros, isZeroDate,
} from './temporal.js';
import { Decimal, Temporal, type Value } from '../../kernel/value.js';
import { fitsColumn, type Geo } from '../gis/model.js';
import { decodeInternal, GisDataError } from '../gis/wkb.js';
import { requireSrs } from '../gis/srs.js';

/** Whether the SQL mode is strict. @req CORE-TYPE-080 */
export function isStrict(sqlMode: ReadonlySet<string>): boolean {
  return sqlMode.has('STRICT_TRANS_TABLES') || sqlMode.has('STRICT_ALL_TABLES');
}

export interface StoreOptions {
  /** Table name for messages that name `table.column` (JSON 3140). */
  table?: string;
}

class Ctx {
  readonly strict: boolean;
  constructor(readonly col: ColumnDef, readonly rt: Runtime, readonly row: number, readonly opts: StoreOptions) {
    this.strict = isStrict(rt.sqlMode);
  }
  /** Strict: throw; otherwise warn and continue with the adjusted value. */
  bad(name: ErrorName, ...args: unknown[]): void {
    if (this.strict) throw sqlError(name, ...args);
    this.rt.warn('Warning', name, ...args);
  }
  outOfRange(): void {
    this.bad('ER_WARN_DATA_OUT_OF_RANGE', this.col.name, this.row);
  }
  truncated(): void {
    this.bad('WARN_DATA_TRUNCATED', this.col.name, this.row);
  }
  incorrect(kind: string, v: string): void {
    this.bad('ER_TRUNCATED_WRONG_VALUE_FOR_FIELD', kind, v, this.col.name, this.row);
  }
  note(name: ErrorName, ...args: unknown[]): void {
    this.rt.warn('Note', name, ...args);
  }
}

function valueText(v: Value): string {
  if (Buffer.isBuffer(v)) return v.toString('utf8');
  return toStringValue(v) ?? 'NULL';
}

/** Parse a number for a numeric column, reporting 1366 / 1265 like MySQL does. */
function numberFromString(s: string, c: Ctx, kind: string): string | null {
  const { text, complete } = numericPrefix(s);
  if (!text) {
    c.incorrect(kind, s);
    return null;
  }
  if (!complete) c.truncated();
  return text;
}

function storeInteger(v: NonNullable<Value>, c: Ctx, typeName: string, unsigned: boolean): Value {
  const range = INT_RANGES[typeName]!;
  const min = unsigned ? 0n : range.min;
  const max = unsigned ? range.umax : range.max;
  let n: bigint;
  if (typeof v === 'bigint') n = v;
  else if (typeof v === 'number') {
    if (Number.isNaN(v)) n = 0n;
    else if (v > 1.8446744073709552e19 * 2) n = max + 1n;
    else if (v < -9.3e18) n = min - 1n;
    else n = BigInt(v < 0 ? -Math.round(-v) : Math.round(v));
  } else if (v instanceof Decimal) n = v.scale === 0 ? v.unscaled : divRound(v.unscaled, pow10(v.scale));
  else if (v instanceof Temporal) n = safeBigInt((Number(temporalToNumberText(v))));
  else if (Buffer.isBuffer(v)) n = v.length === 0 ? 0n : BigInt('0x' + v.subarray(Math.max(0, v.length - 8)).toString('hex'));
  else {
    const t = numberFromString(v, c, 'integer');
    if (t === null) return 0n;
    const d = parseDecimalSafe(t);
    n = d ? (d.scale === 0 ? d.unscaled : divRound(d.unscaled, pow10(d.scale))) : 0n;
  }
  if (n < min) {
    c.outOfRange();
    return min;
  }
  if (n > max) {
    c.outOfRange();
    return max;
  }
  return n;
}

function storeDecimal(v: NonNullable<Value>, c: Ctx, p: number, s: number, unsigned: boolean): Value {
  let d: Decimal;
  if (typeof v === 'string' || Buffer.isBuffer(v)) {
    const str = typeof v === 'string' ? v : v.toString('latin1');
    const t = numberFromString(str, c, 'decimal');
    d = (t && parseDecimalSafe(t)) || new Decimal(0n, 0);
  } else if (typeof v === 'number' && !Number.isFinite(v)) {
    c.outOfRange();
    d = v > 0 ? decMaxFor(p, s) : decNeg(decMaxFor(p, s));
  } else d = toDecimal(v)!;
  const rounded = decRound(d, s);
  if (decCompare(rescale(rounded, Math.max(rounded.scale, d.scale)), rescale(d, Math.max(rounded.scale, d.scale))) !== 0) {
    c.note('WARN_DATA_TRUNCATED', c.col.name, c.row);
  }
  let r = rounded.scale < s ? rescale(rounded, s) : rounded;
  const max = decMaxFor(p, s);
  const min = unsigned ? new Decimal(0n, s) : decNeg(max);
  if (decCompare(r, max) > 0) {
    c.outOfRange();
    r = max;
  } else if (decCompare(r, min) < 0) {
    c.outOfRange();
    r = min;
  }
  return r;
}

function storeReal(v: NonNullable<Value>, c: Ctx, isFloat: boolean, m: number | undefined, d: number | undefined, unsigned: boolean): Value {
  let n: number;
  if (typeof v === 'number') n = v;
  else if (typeof v === 'bigint') n = Number(v);
  else if (v instanceof Decimal) n = v.toNumber();
  else if (v instanceof Temporal) n = Number(temporalToNumberText(v));
  else {
    const s = typeof v === 'string' ? v : v.toString('latin1');
    const t = numberFromString(s, c, 'double');
    n = t === null ? 0 : Number(t);
  }
  if (!Number.isFinite(n) || (isFloat && Math.abs(n) > 3.4028234663852886e38)) {
    c.outOfRange();
    n = n > 0 ? (isFloat ? 3.4028234663852886e38 : Number.MAX_VALUE) : isFloat ? -3.4028234663852886e38 : -Number.MAX_VALUE;
  }
  if (d !== undefined && m !== undefined) {
    const f = 10 ** d;
    n = Math.round(n * f) / f;
    const max = 10 ** (m - d) - 1 / f;
    if (Math.abs(n) > max) {
      c.outOfRange();
      n = n > 0 ? max : -max;
    }
  }
  if (unsigned && n < 0) {
    c.outOfRange();
    n = 0;
  }
  return isFloat ? Math.fround(n) : n;
}

function trimTrailingSpaces(s: string): string {
  return s.replace(/ +$/, '');
}

function sliceChars(s: string, n: number): string {
  return [...s].slice(0, n).join('');
}

function storeString(v: NonNullable<Value>, c: Ctx, maxChars: number | undefined, maxBytes: number | undefined, isChar: boolean): Value {
  const charset = c.col.charset ?? 'utf8mb4';
  let s: string;
  if (Buffer.isBuffer(v)) {
    const unicode = charset === 'binary' || isUnicodeCharset(charset);
    const bad = unicode ? (charset === 'binary' ? -1 : invalidUtf8At(v)) : invalidBytesAt(v, charset);
    if (bad >= 0) {
      c.incorrect('string', hexBytes(v.subarray(bad, bad + 6)));
      s = unicode ? v.subarray(0, bad).toString('utf8') : decode(v.subarray(0, bad), charset);
    } else s = unicode ? v.toString('utf8') : decode(v, charset);
  } else s = v instanceof Temporal ? v.toString() : typeof v === 'number' ? formatDouble(v) : String(toStringValue(v));
  if (charset === 'utf8mb3' && /[\u{10000}-\u{10ffff}]/u.test(s)) {
    const m = /[\u{10000}-\u{10ffff}]/u.exec(s)!;
    c.incorrect('string', hexBytes(Buffer.from(s.slice(m.index), 'utf8').subarray(0, 4)));
    s = s.slice(0, m.index);
  } else if (charset !== 'utf8mb4' && charset !== 'binary') {
    // A character the column's character set lacks is stored as '?' (1366: an error in strict
    // mode, a warning otherwise), as MySQL converts. @req CORE-CS-015 CORE-CS-068
    const k = unrepresentableAt(s, charset);
    if (k >= 0) {
      c.incorrect('string', hexBytes(Buffer.from(s.slice(k), 'utf8').subarray(0, 6)));
      s = decode(encode(s, charset), charset);
    }
  }
  const tooLong = maxChars !== undefined ? charLength(s) > maxChars : maxBytes !== undefined && byteLength(s, charset) > maxBytes;
  if (tooLong) {
    let cut = maxChars !== undefined ? sliceChars(s, maxChars) : s;
    if (maxChars === undefined && maxBytes !== undefined) {
      while (byteLength(cut, charset) > maxBytes) cut = cut.slice(0, Math.max(0, cut.length - Math.max(1, Math.floor((byteLength(cut, charset) - maxBytes) / maxBytesPerChar(charset)))));
    }
    const rest = s.slice(cut.length);
    if (/^ *$/.test(rest)) {
      // only trailing spaces lost: a note, never an error
      c.note('WARN_DATA_TRUNCATED', c.col.name, c.row);
    } else if (c.strict) throw sqlError('ER_DATA_TOO_LONG', c.col.name, c.row);
    else c.rt.warn('Warning', 'WARN_DATA_TRUNCATED', c.col.name, c.row);
    s = cut;
  }
  return isChar ? trimTrailingSpaces(s) : s;
}

const utf8Fatal = new TextDecoder('utf-8', { fatal: true });
/** Byte offset of the first invalid UTF-8 sequence, or -1. */
function invalidUtf8At(b: Buffer): number {
  try {
    utf8Fatal.decode(b);
    return -1;
  } catch {
    // locate the offset by decoding growing prefixes at character boundaries
    let i = 0;
    while (i < b.length) {
      const x = b[i]!;
      const len = x < 0x80 ? 1 : x >= 0xc2 && x <= 0xdf ? 2 : x >= 0xe0 && x <= 0xef ? 3 : x >= 0xf0 && x <= 0xf4 ? 4 : 0;
      if (len === 0 || i + len > b.length) return i;
      try {
        utf8Fatal.decode(b.subarray(i, i + len));
      } catch {
        return i;
      }
      i += len;
    }
    return -1;
  }
}

/** MySQL's spelling of raw bytes in 1366 messages: \xF0\x9F... */
function hexBytes(b: Buffer): string {
  return [...b].map((x) => '\\x' + x.toString(16).toUpperCase().padStart(2, '0')).join('');
}

function storeBinary(v: NonNullable<Value>, c: Ctx, max: number, pad: boolean): Value {
  let b = Buffer.isBuffer(v) ? v : Buffer.from(valueText(v), 'utf8');
  if (b.length > max) {
    const rest = b.subarray(max);
    if (rest.every((x) => x === 0)) c.note('WARN_DATA_TRUNCATED', c.col.name, c.row);
    else if (c.strict) throw sqlError('ER_DATA_TOO_LONG', c.col.name, c.row);
    else c.rt.warn('Warning', 'WARN_DATA_TRUNCATED', c.col.name, c.row);
    b = b.subarray(0, max);
  }
  if (pad && b.length < max) b = Buffer.concat([b, Buffer.alloc(max - b.length)]);
  return b;
}

function storeEnum(v: NonNullable<Value>, c: Ctx, members: string[]): Value {
  const coll = c.col.collation ?? 'utf8mb4_0900_ai_ci';
  if (typeof v === 'bigint' || typeof v === 'number' || v instanceof Decimal) {
    const i = Number(typeof v === 'bigint' ? v : Math.round(Number(v instanceof Decimal ? v.toNumber() : v)));
    if (i >= 1 && i <= members.length) return members[i - 1]!;
    c.truncated();
    return '';
  }
  const s = trimTrailingSpaces(valueText(v));
  for (const m of members) if (compareStrings(trimTrailingSpaces(m), s, coll) === 0) return m;
  if (/^\d+$/.test(s)) {
    const i = Number(s);
    if (i >= 1 && i <= members.length) return members[i - 1]!;
  }
  c.truncated();
  return '';
}

function storeSet(v: NonNullable<Value>, c: Ctx, members: string[]): Value {
  const coll = c.col.collation ?? 'utf8mb4_0900_ai_ci';
  let mask = 0n;
  if (typeof v === 'bigint' || typeof v === 'number' || v instanceof Decimal) {
    mask = typeof v === 'bigint' ? v : safeBigInt((Number(v instanceof Decimal ? v.toNumber() : v)));
    if (mask < 0n || mask >= 1n << BigInt(members.length)) {
      c.truncated();
      mask &= (1n << BigInt(members.length)) - 1n;
      if (mask < 0n) mask = 0n;
    }
  } else {
    const s = valueText(v);
    if (s !== '') {
      let bad = false;
      for (const part of s.split(',')) {
        const p = trimTrailingSpaces(part);
        const i = members.findIndex((m) => compareStrings(trimTrailingSpaces(m), p, coll) === 0);
        if (i >= 0) mask |= 1n << BigInt(i);
        else if (/^\d+$/.test(p) && s.split(',').length === 1) mask = BigInt(p) & ((1n << BigInt(members.length)) - 1n);
        else bad = true;
      }
      if (bad) c.truncated();
    }
  }
  return members.filter((_m, i) => (mask >> BigInt(i)) & 1n).join(',');
}

function storeBit(v: NonNullable<Value>, c: Ctx, bits: number): Value {
  let n: bigint;
  if (Buffer.isBuffer(v)) n = v.length ? BigInt('0x' + v.toString('hex')) : 0n;
  else if (typeof v === 'bigint') n = v;
  else if (typeof v === 'string') {
    // a string is taken as its bytes
    const b = Buffer.from(v, 'utf8');
    n = b.length ? BigInt('0x' + b.toString('hex')) : 0n;
  } else n = safeBigInt((Number(v instanceof Decimal ? v.toNumber() : v instanceof Temporal ? temporalToNumberText(v) : v)));
  const max = (1n << BigInt(bits)) - 1n;
  if (n < 0n || n > max) {
    if (c.strict) throw sqlError('ER_DATA_TOO_LONG', c.col.name, c.row);
    c.rt.warn('Warning', 'ER_DATA_TOO_LONG', c.col.name, c.row);
    n = n < 0n ? max & BigInt.asUintN(bits, n) : max;
  }
  const bytes = Math.max(1, Math.ceil(bits / 8));
  return Buffer.from(n.toString(16).padStart(bytes * 2, '0'), 'hex');
}

function storeYear(v: NonNullable<Value>, c: Ctx): Value {
  if (v instanceof Temporal) return BigInt(v.year);
  let n: bigint;
  if (typeof v === 'string' || Buffer.isBuffer(v)) {
    const s = valueText(v).trim();
    const t = numberFromString(s, c, 'integer');
    if (t === null) return 0n;
    n = safeBigInt((Number(t)));
    // a string '0' / '00' means 2000; the number 0 means 0000
    if (n === 0n) return 2000n;
  } else if (typeof v === 'bigint') n = v;
  else n = safeBigInt((Number(v instanceof Decimal ? v.toNumber() : v)));
  if (n === 0n) return 0n;
  if (n >= 1n && n <= 69n) return 2000n + n;
  if (n >= 70n && n <= 99n) return 1900n + n;
  if (n >= 1901n && n <= 2155n) return n;
  c.outOfRange();
  return 0n;
}

/** Round a temporal's fraction to `fsp` digits (MySQL rounds unless TIME_TRUNCATE_FRACTIONAL). */
export function roundTemporal(t: Temporal, fsp: number, truncate = false): Temporal {
  if (t.fsp === fsp && t.micro % 10 ** (6 - fsp) === 0) return t;
  const unit = 10 ** (6 - fsp);
  let micro = truncate ? Math.floor(t.micro / unit) * unit : Math.round(t.micro / unit) * unit;
  if (micro < 1000000) return new Temporal(t.kind, t.year, t.month, t.day, t.hour, t.minute, t.second, micro, fsp, t.negative);
  micro = 0;
  if (t.kind === 'TIME') {
    const us = timeToMicros(new Temporal('TIME', 0, 0, 0, t.hour, t.minute, t.second, 0, 0, false)) + 1000000n;
    const r = microsToTime(t.negative ? -us : us, fsp);
    return r;
  }
  const base = datetimeToMicros(new Temporal('DATETIME', t.year, t.month, t.day, t.hour, t.minute, t.second, 0)) + 1000000n;
  return microsToDatetime(base, t.kind, fsp) ?? t;
}

const ZERO_DATETIME = (kind: 'DATE' | 'DATETIME' | 'TIMESTAMP', fsp: number) => makeTemporal(kind, 0, 0, 0, 0, 0, 0, 0, kind === 'DATE' ? 0 : fsp);

function storeTemporal(v: NonNullable<Value>, c: Ctx, kind: 'DATE' | 'DATETIME' | 'TIMESTAMP' | 'TIME', fsp: number): Value {
  const label = kind === 'DATE' ? 'date' : kind === 'TIME' ? 'time' : 'datetime';
  const text = valueText(v);
  const invalid = (): Value => {
    if (c.strict) throw sqlError('ER_TRUNCATED_WRONG_VALUE_FOR_COLUMN', label, text, c.col.name, c.row);
    c.rt.warn('Warning', 'ER_TRUNCATED_WRONG_VALUE_FOR_COLUMN', label, text, c.col.name, c.row);
    return kind === 'TIME' ? makeTemporal('TIME', 0, 0, 0, 0, 0, 0, 0, fsp) : ZERO_DATETIME(kind, fsp);
  };
  const truncate = c.rt.sqlMode.has('TIME_TRUNCATE_FRACTIONAL'); // @req CORE-MODE-016
  if (kind === 'TIME') {
    let t: Temporal | null = null;
    let trunc = false;
    if (v instanceof Temporal) t = v.kind === 'TIME' ? v : v.kind === 'DATE' ? makeTemporal('TIME', 0, 0, 0, 0, 0, 0) : makeTemporal('TIME', 0, 0, 0, v.hour, v.minute, v.second, v.micro, v.fsp);
    else if (typeof v === 'string' || Buffer.isBuffer(v)) {
      const p = parseTime(text);
      if (p) {
        t = p.value;
        trunc = p.truncated;
      }
    } else t = numberToTime(Number(v instanceof Decimal ? v.toNumber() : v));
    if (!t) return invalid();
    if (trunc) {
      if (c.strict) throw sqlError('ER_TRUNCATED_WRONG_VALUE_FOR_COLUMN', label, text, c.col.name, c.row);
      c.rt.warn('Warning', 'WARN_DATA_TRUNCATED', c.col.name, c.row);
    }
    return roundTemporal(new Temporal('TIME', 0, 0, 0, t.hour, t.minute, t.second, t.micro, fsp, t.negative), fsp, truncate);
  }
  let t: Temporal | null = null;
  let trunc = false;
  if (v instanceof Temporal) {
    if (v.kind === 'TIME') {
      const today = c.rt.now;
      const base = makeTemporal('DATETIME', today.getFullYear(), today.getMonth() + 1, today.getDate());
      const us = datetimeToMicros(base) + timeToMicros(v);
      t = microsToDatetime(us, 'DATETIME', v.fsp);
    } else t = v;
  } else if (typeof v === 'string' || Buffer.isBuffer(v)) {
    // ALLOW_INVALID_DATES lets DATE and DATETIME (not TIMESTAMP) keep days such as Feb 31. @req CORE-MODE-020
    const p = parseDatetime(text, 'DATETIME', kind !== 'TIMESTAMP' && c.rt.sqlMode.has('ALLOW_INVALID_DATES'));
    if (p) {
      t = p.value;
      trunc = p.truncated;
    }
  } else {
    const n = typeof v === 'bigint' ? v : typeof v === 'number' ? v : v.toNumber();
    t = numberToDatetime(n);
  }
  if (!t) return invalid();
  if (trunc) {
    if (c.strict) throw sqlError('ER_TRUNCATED_WRONG_VALUE_FOR_COLUMN', label, text, c.col.name, c.row);
    c.rt.warn('Warning', 'WARN_DATA_TRUNCATED', c.col.name, c.row);
  }
  const mode = c.rt.sqlMode;
  // NO_ZERO_DATE / NO_ZERO_IN_DATE: an error (1292) in strict mode; otherwise the zero date is
  // stored with warning 1264, as MySQL reports a zero date it was told to refuse. @req CORE-MODE-005 CORE-MODE-006
  if (isZeroDate(t)) {
    if (mode.has('NO_ZERO_DATE')) {
      if (c.strict) throw sqlError('ER_TRUNCATED_WRONG_VALUE_FOR_COLUMN', label, text, c.col.name, c.row);
      c.outOfRange();
    }
    return ZERO_DATETIME(kind, fsp);
  }
  if ((t.month === 0 || t.day === 0) && (mode.has('NO_ZERO_IN_DATE') || kind === 'TIMESTAMP')) {
    if (c.strict) throw sqlError('ER_TRUNCATED_WRONG_VALUE_FOR_COLUMN', label, text, c.col.name, c.row);
    if (kind === 'TIMESTAMP' && !mode.has('NO_ZERO_IN_DATE')) c.rt.warn('Warning', 'ER_TRUNCATED_WRONG_VALUE_FOR_COLUMN', label, text, c.col.name, c.row);
    else c.outOfRange();
    return ZERO_DATETIME(kind, fsp);
  }
  if (kind === 'DATE') {
    if (t.hour || t.minute || t.second || t.micro) c.note('WARN_DATA_TRUNCATED', c.col.name, c.row);
    return makeTemporal('DATE', t.year, t.month, t.day);
  }
  let r = roundTemporal(new Temporal(kind, t.year, t.month, t.day, t.hour, t.minute, t.second, t.micro, t.fsp), fsp, truncate);
  r = new Temporal(kind, r.year, r.month, r.day, r.hour, r.minute, r.second, r.micro, fsp);
  if (kind === 'TIMESTAMP') {
    const secs = temporalToEpochSeconds(r, c.rt.timeZone);
    if (secs < TIMESTAMP_MIN_SECONDS || secs > TIMESTAMP_MAX_SECONDS) {
      if (c.strict) throw sqlError('ER_TRUNCATED_WRONG_VALUE_FOR_COLUMN', label, text, c.col.name, c.row);
      c.rt.warn('Warning', 'ER_TRUNCATED_WRONG_VALUE_FOR_COLUMN', label, text, c.col.name, c.row);
      return ZERO_DATETIME(kind, fsp);
    }
  }
  return r;
}

/**
 * A geometry column takes only a value in the internal format of a class the column allows,
 * whatever the SQL mode (1416), and, when the column declares an SRID, only that SRID (3643).
 * @req CORE-GIS-004
 */
function storeGeometry(v: NonNullable<Value>, c: Ctx): Value {
  return geometryForColumn(v, c.col);
}

/** The checks of storeGeometry, also used by the ALTER TABLE copy. @req CORE-GIS-004 */
export function geometryForColumn(v: NonNullable<Value>, col: ColumnDef): Buffer {
  const buf = Buffer.isBuffer(v) ? v : typeof v === 'string' ? Buffer.from(v, 'latin1') : null;
  if (!buf) throw sqlError('ER_CANT_CREATE_GEOMETRY_OBJECT');
  let geo: Geo;
  try {
    geo = decodeInternal(buf);
  } catch (e) {
    if (e instanceof GisDataError) throw sqlError('ER_CANT_CREATE_GEOMETRY_OBJECT');
    throw e;
  }
  const t = col.type;
  if (!fitsColumn(t.geometry ?? 'GEOMETRY', geo.g.type)) throw sqlError('ER_CANT_CREATE_GEOMETRY_OBJECT');
  if (t.srid !== undefined && t.srid !== geo.srid) throw sqlError('ER_WRONG_SRID_FOR_COLUMN', col.name, geo.srid, t.srid);
  requireSrs(geo.srid);
  return buf;
}

function storeJson(v: NonNullable<Value>, c: Ctx): Value {
  if (Buffer.isBuffer(v)) throw sqlError('ER_INVALID_JSON_CHARSET', 'binary');
  if (typeof v === 'string') {
    try {
      return normalizeJsonText(v);
    } catch (e) {
      if (e instanceof JsonParseError) {
        const name = c.opts.table ? `${c.opts.table}.${c.col.name}` : c.col.name;
        throw sqlError('ER_INVALID_JSON_TEXT', e.reason, e.position, name);
      }
      throw e;
    }
  }
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return jsonToText(numberFromText(String(v), true));
  if (v instanceof Decimal) return v.toString();
  return JSON.stringify(v.toString());
}

/**
 * Convert a value for storage in a column. NULL is returned unchanged (the executor applies
 * NOT NULL rules with {@link nullIntoNotNull}). Throws SqlError in strict mode for bad data.
 * @req CORE-TYPE-080
 */
export function storeValue(v: Value, col: ColumnDef, rt: Runtime, rowNumber: number, opts: StoreOptions = {}): Value {
  if (v === null) return null;
  const c = new Ctx(col, rt, rowNumber, opts);
  const t = col.type;
  const unsigned = !!(t.unsigned || t.zerofill);
  switch (t.name) {
    case 'TINYINT': case 'SMALLINT': case 'MEDIUMINT': case 'INT': case 'BIGINT':
      return storeInteger(v, c, t.name, unsigned);
    case 'DECIMAL':
      return storeDecimal(v, c, t.length ?? 10, t.scale ?? 0, unsigned);
    case 'FLOAT':
      return storeReal(v, c, true, t.length, t.scale, unsigned);
    case 'DOUBLE':
      return storeReal(v, c, false, t.length, t.scale, unsigned);
    case 'BIT':
      return storeBit(v, c, t.length ?? 1);
    case 'YEAR':
      return storeYear(v, c);
    case 'CHAR':
      return storeString(v, c, t.length ?? 1, undefined, true);
    case 'VARCHAR':
      return storeString(v, c, t.length ?? 255, undefined, false);
    case 'TINYTEXT':
      return storeString(v, c, undefined, 255, false);
    case 'TEXT':
      return storeString(v, c, undefined, t.length && t.length < 65535 ? 65535 : 65535, false);
    case 'MEDIUMTEXT':
      return storeString(v, c, undefined, 16777215, false);
    case 'LONGTEXT':
      return storeString(v, c, undefined, 4294967295, false);
    case 'BINARY':
      return storeBinary(v, c, t.length ?? 1, true);
    case 'VARBINARY':
      return storeBinary(v, c, t.length ?? 255, false);
    case 'TINYBLOB':
      return storeBinary(v, c, 255, false);
    case 'BLOB':
      return storeBinary(v, c, 65535, false);
    case 'MEDIUMBLOB':
      return storeBinary(v, c, 16777215, false);
    case 'LONGBLOB':
      return storeBinary(v, c, 4294967295, false);
    case 'ENUM':
      return storeEnum(v, c, t.values ?? []);
    case 'SET':
      return storeSet(v, c, t.values ?? []);
    case 'DATE': case 'DATETIME': case 'TIMESTAMP': case 'TIME':
      return storeTemporal(v, c, t.name, t.name === 'DATE' ? 0 : t.scale ?? 0);
    case 'JSON':
      return storeJson(v, c);
    case 'GEOMETRY':
      return storeGeometry(v, c);
    default:
      return v;
  }
}

/** The implicit default of a NOT NULL column (0, '', zero date, first ENUM member). */
export function implicitDefault(col: ColumnDef): Value {
  const t = col.type;
  switch (t.name) {
    case 'TINYINT': case 'SMALLINT': case 'MEDIUMINT': case 'INT': case 'BIGINT': case 'YEAR':
      return 0n;
    case 'BIT':
      return Buffer.alloc(Math.max(1, Math.ceil((t.length ?? 1) / 8)));
    case 'DECIMAL':
      return new Decimal(0n, t.scale ?? 0);
    case 'FLOAT': case 'DOUBLE':
      return 0;
    case 'DATE':
      return makeTemporal('DATE', 0, 0, 0);
    case 'TIME':
      return makeTemporal('TIME', 0, 0, 0, 0, 0, 0, 0, t.scale ?? 0);
    case 'DATETIME': case 'TIMESTAMP':
      return makeTemporal(t.name, 0, 0, 0, 0, 0, 0, 0, t.scale ?? 0);
    case 'BINARY':
      return Buffer.alloc(t.length ?? 1);
    case 'VARBINARY': case 'TINYBLOB': case 'BLOB': case 'MEDIUMBLOB': case 'LONGBLOB': case 'GEOMETRY':
      return Buffer.alloc(0);
    case 'ENUM':
      return t.values?.[0] ?? '';
    case 'JSON':
      return 'null';
    default:
      return '';
  }
}

/**
 * NULL into a NOT NULL column. Single-row INSERT (or strict mode) → error 1048; multi-row
 * INSERT, INSERT ... SELECT, INSERT IGNORE and UPDATE when not strict → warning 1048 (MySQL 8.0
 * reports the same condition as the error, downgraded) and the implicit default. LOAD DATA
 * handles its own NULL fields (1263, CORE-LOAD-005).
 * @req CORE-TYPE-086 CORE-MODE-004
 */
export function nullIntoNotNull(col: ColumnDef, rt: Runtime, _rowNumber: number, opts: { multiRow?: boolean; update?: boolean; ignore?: boolean } = {}): Value {
  const strict = isStrict(rt.sqlMode) && !opts.ignore;
  if (strict || (!opts.multiRow && !opts.update && !opts.ignore)) throw sqlError('ER_BAD_NULL_ERROR', col.name);
  rt.warn('Warning', 'ER_BAD_NULL_ERROR', col.name);
  return implicitDefault(col);
}

export { decRound };
