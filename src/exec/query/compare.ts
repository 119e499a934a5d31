/**
 * Value ordering and grouping keys for ORDER BY, GROUP BY, DISTINCT and UNION: NULL sorts
 * first, numbers compare numerically across integer/decimal/double, strings by collation.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/sorting-rows.html
 * @req CORE-EXEC-034 CORE-EXEC-035
 */
import { compareStrings, sortKey } from '../../kernel/charset/index.js';
import { Decimal, Temporal, type Value } from '../../kernel/value.js';

/**
 * Temporal values in time order, field by field (a negative TIME's fields count below zero).
 * Exact: a single number of the fields loses the microseconds of a DATETIME, which would make
 * two values a microsecond apart sort as equal. It is also the order of their index keys
 * (storage/keys.ts), which an ORDER BY read through an index relies on.
 */
function compareTemporal(a: Temporal, b: Temporal): number {
  const sa = a.negative ? -1 : 1;
  const sb = b.negative ? -1 : 1;
  const d =
    a.year - b.year ||
    a.month - b.month ||
    a.day - b.day ||
    sa * a.hour - sb * b.hour ||
    sa * a.minute - sb * b.minute ||
    sa * a.second - sb * b.second ||
    sa * a.micro - sb * b.micro;
  return d < 0 ? -1 : d > 0 ? 1 : 0;
}

function numeric(v: Value): number | bigint | Decimal | null {
  if (typeof v === 'bigint' || typeof v === 'number' || v instanceof Decimal) return v;
  return null;
}

function cmpNum(a: number | bigint | Decimal, b: number | bigint | Decimal): number {
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  if (a instanceof Decimal && b instanceof Decimal && a.scale === b.scale) {
    return a.unscaled < b.unscaled ? -1 : a.unscaled > b.unscaled ? 1 : 0;
  }
  const x = typeof a === 'number' ? a : typeof a === 'bigint' ? Number(a) : a.toNumber();
  const y = typeof b === 'number' ? b : typeof b === 'bigint' ? Number(b) : b.toNumber();
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Total order used for sorting: NULL first; mixed kinds fall back to numbers or text. */
export function compareValues(a: Value, b: Value, collation?: string): number {
  if (a === null) return b === null ? 0 : -1;
  if (b === null) return 1;
  const na = numeric(a);
  const nb = numeric(b);
  if (na !== null && nb !== null) return cmpNum(na, nb);
  if (typeof a === 'string' && typeof b === 'string') return compareStrings(a, b, collation);
  if (a instanceof Temporal && b instanceof Temporal) return compareTemporal(a, b);
  if (Buffer.isBuffer(a) && Buffer.isBuffer(b)) {
    const r = Buffer.compare(a, b);
    return r < 0 ? -1 : r > 0 ? 1 : 0;
  }
  if (na !== null || nb !== null) {
    const x = na !== null ? na : Number(String(a)) || 0;
    const y = nb !== null ? nb : Number(String(b)) || 0;
    return cmpNum(x, y);
  }
  const sa = Buffer.isBuffer(a) ? a : String(a);
  const sb = Buffer.isBuffer(b) ? b : String(b);
  return compareStrings(sa, sb, Buffer.isBuffer(sa) || Buffer.isBuffer(sb) ? 'binary' : collation);
}

/** A string key with equal keys exactly for values that are equal for grouping. */
export function valueKey(v: Value, collation?: string): string {
  if (v === null) return '\u0000N';
  if (typeof v === 'bigint') return 'n' + v.toString();
  if (typeof v === 'number') {
    if (Number.isInteger(v) && Math.abs(v) < 2 ** 53) return 'n' + BigInt(v).toString();
    return 'n' + String(v);
  }
  if (v instanceof Decimal) {
    let s = v.toString();
    if (s.includes('.')) s = s.replace(/0+$/, '').replace(/\.$/, '');
    if (s === '-0') s = '0';
    return 'n' + s;
  }
  if (typeof v === 'string') return 's' + sortKey(v, collation);
  if (Buffer.isBuffer(v)) return 'b' + v.toString('latin1');
  return 't' + v.toString();
}

/** Key of a whole tuple. */
export function tupleKey(values: readonly Value[], collations?: readonly (string | undefined)[]): string {
  let k = '';
  for (let i = 0; i < values.length; i++) k += valueKey(values[i]!, collations?.[i]) + '\u0001';
  return k;
}
