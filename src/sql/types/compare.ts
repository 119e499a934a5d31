/**
 * Comparison of values following MySQL's rules for mixed operand types: strings against
 * numbers compare as doubles, temporals against strings compare as temporals, integer/decimal
 * comparisons are exact (including BIGINT UNSIGNED), strings compare under a collation.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/type-conversion.html
 * @req CORE-TYPE-050 CORE-TYPE-051
 */
import { compareStrings, DEFAULT_COLLATION } from '../../kernel/charset/index.js';
import type { ExprType } from '../eval/types.js';
import { decCompare } from './decimal-math.js';
import { toDecimal, toDouble, toTemporal, type Warner, parseAnyTemporal } from './convert.js';
import { Decimal, Temporal, type Value } from '../../kernel/value.js';
import { datetimeToMicros, timeToMicros } from './temporal.js';

export interface CompareContext {
  collation?: string;
  type?: ExprType;
  rt?: Warner;
}

function sign(x: number): number {
  return x < 0 ? -1 : x > 0 ? 1 : 0;
}

function cmpNum(a: number, b: number): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Compare two temporals; TIME vs date-ish compares as DATETIME via the TIME's micros. */
export function compareTemporals(a: Temporal, b: Temporal): number {
  if (a.kind === 'TIME' && b.kind === 'TIME') {
    const x = timeToMicros(a), y = timeToMicros(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (a.kind === 'TIME' || b.kind === 'TIME') {
    // compare as TIME when one side is TIME (MySQL converts the other side to TIME)
    const x = a.kind === 'TIME' ? timeToMicros(a) : timeToMicros(toTemporal(a, 'TIME')!);
    const y = b.kind === 'TIME' ? timeToMicros(b) : timeToMicros(toTemporal(b, 'TIME')!);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  const x = datetimeToMicros(a), y = datetimeToMicros(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function isNumeric(v: Value): v is bigint | number | Decimal {
  return typeof v === 'bigint' || typeof v === 'number' || v instanceof Decimal;
}

/** Exact comparison of two numeric values. */
export function compareNumbers(a: bigint | number | Decimal, b: bigint | number | Decimal): number {
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'number' || typeof b === 'number') {
    const x = typeof a === 'number' ? a : typeof a === 'bigint' ? Number(a) : a.toNumber();
    const y = typeof b === 'number' ? b : typeof b === 'bigint' ? Number(b) : b.toNumber();
    // equal doubles of large integers: fall back to exact comparison when both sides are exact
    return cmpNum(x, y);
  }
  const x = typeof a === 'bigint' ? new Decimal(a, 0) : a;
  const y = typeof b === 'bigint' ? new Decimal(b, 0) : b;
  return decCompare(x, y);
}

/**
 * Compare two values; null when either is NULL. Returns -1, 0 or 1.
 * @req CORE-TYPE-050
 */
export function compareValues(a: Value, b: Value, ctx: CompareContext = {}): number | null {
  if (a === null || b === null) return null;
  if (isNumeric(a) && isNumeric(b)) return compareNumbers(a, b);
  if (typeof a === 'string' && typeof b === 'string') return compareStrings(a, b, ctx.collation ?? DEFAULT_COLLATION);
  if (Buffer.isBuffer(a) && Buffer.isBuffer(b)) return sign(Buffer.compare(a, b));
  if (a instanceof Temporal && b instanceof Temporal) return compareTemporals(a, b);
  if (a instanceof Temporal || b instanceof Temporal) {
    const t = (a instanceof Temporal ? a : b) as Temporal;
    const o = a instanceof Temporal ? b : a;
    let r: number | null;
    if (typeof o === 'string' || Buffer.isBuffer(o)) {
      const s = typeof o === 'string' ? o : o.toString('utf8');
      const ot = t.kind === 'TIME' ? toTemporal(s, 'TIME') : parseAnyTemporal(s);
      if (ot) r = compareTemporals(t, ot);
      else r = compareStrings(t.toString(), s, 'binary');
    } else {
      // number vs temporal: compare numerically
      const x = toDouble(t)!, y = toDouble(o)!;
      r = cmpNum(x, y);
    }
    return a instanceof Temporal ? r : r === null ? null : -r;
  }
  if ((typeof a === 'string' || Buffer.isBuffer(a)) && (typeof b === 'string' || Buffer.isBuffer(b))) {
    return compareStrings(a, b, 'binary');
  }
  // string vs number: compare as doubles (or exactly when the string is a decimal and the number is exact)
  const x = toDouble(a, ctx.rt)!, y = toDouble(b, ctx.rt)!;
  if (x === y && (typeof a === 'bigint' || b instanceof Decimal || typeof b === 'bigint' || a instanceof Decimal)) {
    const da = toDecimal(a), db = toDecimal(b);
    if (da && db) return decCompare(da, db);
  }
  return cmpNum(x, y);
}

/** `a <=> b`: NULL-safe equality. */
export function nullSafeEquals(a: Value, b: Value, ctx: CompareContext = {}): boolean {
  if (a === null || b === null) return a === b;
  return compareValues(a, b, ctx) === 0;
}
