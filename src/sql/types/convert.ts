/**
 * Implicit conversions between value representations, as MySQL applies them when an operator
 * or function needs a number, a string, a boolean or a temporal value. Lossy conversions of
 * strings report MySQL's truncation warnings (1292) through the runtime.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/type-conversion.html
 * @req CORE-TYPE-040 CORE-TYPE-041 CORE-TYPE-042
 */
import type { ErrorName } from '../../kernel/errors.js';
import { formatDouble } from './format.js';
import { Decimal, Temporal, type TemporalKind, type Value } from '../../kernel/value.js';
import { decFromBigInt, decFromNumber, decToBigInt, divRound } from './decimal-math.js';
import { BIGINT_MAX, BIGINT_MIN, UBIGINT_MAX } from './limits.js';
import { dateToTemporal, makeTemporal, numberToDatetime, numberToTime, parseDatetime, parseTime } from './temporal.js';

/** The part of the runtime conversions need: a sink for warnings. */
export interface Warner {
  warn(level: 'Note' | 'Warning' | 'Error', name: ErrorName, ...args: unknown[]): void;
}

const NUM_PREFIX = /^[ \t\n\r\f\v]*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)/;
const INT_PREFIX = /^[ \t\n\r\f\v]*([+-]?\d+)/;

/** Longest numeric prefix of a string and whether it was the whole (trailing spaces allowed). */
export function numericPrefix(s: string): { text: string; complete: boolean } {
  const m = NUM_PREFIX.exec(s);
  if (!m) return { text: '', complete: /^\s*$/.test(s) && false };
  const rest = s.slice(m[0].length);
  return { text: m[1]!, complete: rest.length === 0 || /^\s*$/.test(rest) };
}

function bufText(b: Buffer): string {
  return b.toString('latin1');
}

/** Temporal as a number: 20240102, 20240102030405.5, 30405 (MySQL's numeric form). */
export function temporalToNumberText(t: Temporal): string {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const frac = t.fsp > 0 ? '.' + p(t.micro, 6).slice(0, t.fsp) : '';
  if (t.kind === 'DATE') return `${t.year}${p(t.month)}${p(t.day)}`.replace(/^0+(?=\d)/, '');
  if (t.kind === 'TIME') {
    const n = `${t.hour}${p(t.minute)}${p(t.second)}`.replace(/^0+(?=\d)/, '');
    return (t.negative ? '-' : '') + n + frac;
  }
  return `${t.year}${p(t.month)}${p(t.day)}${p(t.hour)}${p(t.minute)}${p(t.second)}`.replace(/^0+(?=\d)/, '') + frac;
}

/** String -> double with 1292 "Truncated incorrect DOUBLE value" when not entirely numeric. @req CORE-TYPE-040 */
export function stringToDouble(s: string, rt?: Warner): number {
  const { text, complete } = numericPrefix(s);
  if (!complete) rt?.warn('Warning', 'ER_TRUNCATED_WRONG_VALUE', 'DOUBLE', s);
  if (!text) return 0;
  const n = Number(text);
  return Number.isFinite(n) ? n : n > 0 ? Number.MAX_VALUE : -Number.MAX_VALUE;
}

/** Any value as a double (null stays null). @req CORE-TYPE-040 */
export function toDouble(v: Value, rt?: Warner): number | null {
  if (v === null) return null;
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string') return stringToDouble(v, rt);
  if (v instanceof Decimal) return v.toNumber();
  if (v instanceof Temporal) return Number(temporalToNumberText(v));
  return stringToDouble(bufText(v), rt);
}

/** Alias kept for readability at call sites that only need "some number". */
export const toNumber = toDouble;

/** A double rounded to a bigint without throwing: NaN is 0, infinities saturate far out of range. */
export function safeBigInt(n: number): bigint {
  if (Number.isNaN(n)) return 0n;
  if (!Number.isFinite(n)) return n > 0 ? 2n ** 80n : -(2n ** 80n);
  return BigInt(n < 0 ? -Math.round(-n) : Math.round(n));
}

/** Decimal.parse guarded against huge exponents (which would build enormous digit strings). */
export function parseDecimalSafe(text: string): Decimal | null {
  const m = /[eE]([+-]?\d+)\s*$/.exec(text);
  if (m && Math.abs(Number(m[1])) > 120) {
    const neg = /^\s*-/.test(text);
    if (Number(m[1]) < 0 || /^\s*[+-]?0*(\.0*)?[eE]/.test(text)) return new Decimal(0n, 0);
    const big = 10n ** 90n;
    return new Decimal(neg ? -big : big, 0);
  }
  return Decimal.parse(text);
}

/** Round a double half away from zero. */
export function roundHalfAway(n: number): number {
  return n < 0 ? -Math.round(-n) : Math.round(n);
}

/** Double -> bigint with saturation at the BIGINT (or BIGINT UNSIGNED) bounds. */
export function doubleToBigInt(n: number, unsigned = false): { value: bigint; clipped: boolean } {
  if (Number.isNaN(n)) return { value: 0n, clipped: true };
  const r = roundHalfAway(n);
  const min = unsigned ? 0n : BIGINT_MIN;
  const max = unsigned ? UBIGINT_MAX : BIGINT_MAX;
  if (r <= Number(min)) return { value: min, clipped: r < Number(min) };
  if (r >= Number(max)) return { value: max, clipped: r > Number(max) || (unsigned ? r >= 18446744073709551616 : r >= 9223372036854775808) };
  return { value: BigInt(r), clipped: false };
}

/** String -> integer as CAST(... AS SIGNED) does: integer prefix, 1292 INTEGER warning. */
export function stringToBigInt(s: string, rt?: Warner, unsigned = false): bigint {
  const m = INT_PREFIX.exec(s);
  const rest = m ? s.slice(m[0].length) : s;
  if (!m || !/^\s*$/.test(rest)) {
    // a number with fraction or exponent in integer context: MySQL rounds through decimal
    const { text } = numericPrefix(s);
    rt?.warn('Warning', 'ER_TRUNCATED_WRONG_VALUE', 'INTEGER', s);
    if (!m) return text ? doubleToBigInt(Number(text), unsigned).value : 0n;
  }
  let v = BigInt(m![1]!);
  if (unsigned && v < 0n) v = v < BIGINT_MIN ? 0n : v + UBIGINT_MAX + 1n;
  const max = unsigned ? UBIGINT_MAX : BIGINT_MAX;
  const min = unsigned ? 0n : BIGINT_MIN;
  if (v > max || v < min) {
    rt?.warn('Warning', 'ER_TRUNCATED_WRONG_VALUE', 'INTEGER', s);
    v = v > max ? max : min;
  }
  return v;
}

/** Any value as a (signed, or unsigned when asked) 64-bit integer, rounding fractions. @req CORE-TYPE-041 */
export function toBigInt(v: Value, rt?: Warner, unsigned = false): bigint | null {
  if (v === null) return null;
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return doubleToBigInt(v, unsigned).value;
  if (typeof v === 'string') return stringToBigInt(v, rt, unsigned);
  if (v instanceof Decimal) {
    const r = decToBigInt(v);
    const max = unsigned ? UBIGINT_MAX : BIGINT_MAX;
    const min = unsigned ? 0n : BIGINT_MIN;
    return r > max ? max : r < min ? min : r;
  }
  if (v instanceof Temporal) {
    const t = temporalToNumberText(v);
    const dot = t.indexOf('.');
    if (dot < 0) return BigInt(t);
    return doubleToBigInt(Number(t)).value;
  }
  return stringToBigInt(bufText(v), rt, unsigned);
}

/** Any value as an exact decimal. @req CORE-TYPE-041 */
export function toDecimal(v: Value, rt?: Warner): Decimal | null {
  if (v === null) return null;
  if (v instanceof Decimal) return v;
  if (typeof v === 'bigint') return decFromBigInt(v);
  if (typeof v === 'number') return decFromNumber(v) ?? new Decimal(0n, 0);
  if (v instanceof Temporal) return Decimal.parse(temporalToNumberText(v));
  const s = typeof v === 'string' ? v : bufText(v);
  const { text, complete } = numericPrefix(s);
  if (!complete) rt?.warn('Warning', 'ER_TRUNCATED_WRONG_VALUE', 'DECIMAL', s);
  return (text && parseDecimalSafe(text)) || new Decimal(0n, 0);
}

/** Any value as text (Buffers decode as UTF-8; numbers use MySQL's spelling). @req CORE-TYPE-042 */
export function toStringValue(v: Value): string | null {
  if (v === null) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return formatDouble(v);
  if (Buffer.isBuffer(v)) return v.toString('utf8');
  return v.toString();
}

/** Any value as bytes (strings as UTF-8). */
export function toBuffer(v: Value): Buffer | null {
  if (v === null) return null;
  if (Buffer.isBuffer(v)) return v;
  return Buffer.from(toStringValue(v)!, 'utf8');
}

/** Truth value: non-zero numbers are true; strings are converted to numbers first. @req CORE-TYPE-042 */
export function toBoolean(v: Value, rt?: Warner): boolean | null {
  if (v === null) return null;
  if (typeof v === 'bigint') return v !== 0n;
  if (typeof v === 'number') return v !== 0;
  if (v instanceof Decimal) return v.unscaled !== 0n;
  if (v instanceof Temporal) {
    return v.year !== 0 || v.month !== 0 || v.day !== 0 || v.hour !== 0 || v.minute !== 0 || v.second !== 0 || v.micro !== 0;
  }
  return toDouble(v, rt) !== 0;
}

/**
 * Any value as a temporal of the wanted kind; null (with a 1292 warning) when the value is not
 * a valid date/time. DATETIME <-> DATE drop or add the time; TIME -> DATETIME uses `today`.
 */
export function toTemporal(v: Value, kind: TemporalKind, rt?: Warner, today?: Date, tz = 'SYSTEM'): Temporal | null {
  if (v === null) return null;
  const label = kind === 'TIME' ? 'time' : 'datetime';
  if (v instanceof Temporal) {
    if (v.kind === kind) return v;
    if (kind === 'TIME') {
      if (v.kind === 'DATE') return makeTemporal('TIME', 0, 0, 0, 0, 0, 0);
      return makeTemporal('TIME', 0, 0, 0, v.hour, v.minute, v.second, v.micro, v.fsp);
    }
    if (v.kind === 'TIME') {
      const base = dateToTemporal(today ?? new Date(), tz, 'DATE', 0);
      if (kind === 'DATE') return base;
      // TIME may exceed 24h or be negative: add it to today's midnight
      const totalSec = (v.negative ? -1 : 1) * (v.hour * 3600 + v.minute * 60 + v.second);
      const ms = Date.UTC(base.year, base.month - 1, base.day) + totalSec * 1000;
      const d = new Date(ms);
      return makeTemporal(kind, d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), v.micro, v.fsp);
    }
    if (kind === 'DATE') return makeTemporal('DATE', v.year, v.month, v.day);
    return makeTemporal(kind, v.year, v.month, v.day, v.hour, v.minute, v.second, v.micro, v.fsp);
  }
  if (typeof v === 'bigint' || typeof v === 'number' || v instanceof Decimal) {
    const n = typeof v === 'bigint' ? v : typeof v === 'number' ? v : v.toNumber();
    if (kind === 'TIME') {
      const t = numberToTime(Number(n));
      if (!t) rt?.warn('Warning', 'ER_INCORRECT_TEMPORAL_VALUE', label, String(v));
      return t;
    }
    const t = numberToDatetime(n);
    if (!t) {
      rt?.warn('Warning', 'ER_INCORRECT_TEMPORAL_VALUE', label, toStringValue(v));
      return null;
    }
    return toTemporal(t, kind);
  }
  const s = typeof v === 'string' ? v : v.toString('utf8');
  if (kind === 'TIME') {
    const p = parseTime(s);
    if (!p) {
      rt?.warn('Warning', 'ER_INCORRECT_TEMPORAL_VALUE', label, s);
      return null;
    }
    if (p.truncated) rt?.warn('Warning', 'ER_INCORRECT_TEMPORAL_VALUE', label, s);
    return p.value;
  }
  const p = parseDatetime(s, kind === 'DATE' ? 'DATETIME' : kind);
  if (!p) {
    rt?.warn('Warning', 'ER_INCORRECT_TEMPORAL_VALUE', label, s);
    return null;
  }
  if (p.truncated) rt?.warn('Warning', 'ER_INCORRECT_TEMPORAL_VALUE', label, s);
  return kind === 'DATE' ? makeTemporal('DATE', p.value.year, p.value.month, p.value.day) : p.value;
}

/** Best-effort temporal from a string: DATETIME if it has a time part, else DATE, else TIME. */
export function parseAnyTemporal(s: string): Temporal | null {
  const dt = parseDatetime(s, 'DATETIME');
  if (dt) {
    const t = dt.value;
    const dateOnly = !/[ T]\d|^\d{12,14}(\.|$)/.test(s.trim());
    return dateOnly ? makeTemporal('DATE', t.year, t.month, t.day) : t;
  }
  return parseTime(s)?.value ?? null;
}

export { divRound };
