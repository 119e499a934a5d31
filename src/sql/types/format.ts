/**
 * Text-protocol form of a value: what a COM_QUERY result row carries for each column.
 * The executor hands the protocol values already converted to the column's type; this module
 * only decides how such a value is spelled (MySQL's formatting of FLOAT/DOUBLE, DECIMAL scale,
 * ZEROFILL padding, temporal fractional digits).
 *
 * @spec https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_query_response_text_resultset_row.html
 * @req CORE-TYPE-003
 */
import { ColumnFlag, MysqlType, type ResultColumn } from '../../kernel/column-type.js';
import { Decimal, Temporal, type Value } from '../../kernel/value.js';

/**
 * Shortest round-trip digits and decimal-point position of a finite non-zero double
 * (the `dtoa` mode-0 result MySQL's my_gcvt starts from).
 */
function shortestDigits(n: number, precision?: number): { digits: string; decpt: number } {
  const e = precision ? Math.abs(n).toExponential(precision - 1) : Math.abs(n).toExponential();
  const [mant, exp] = e.split('e');
  const digits = mant!.replace('.', '').replace(/0+$/, '') || '0';
  return { digits, decpt: Number(exp) + 1 };
}

/**
 * Spell a number from its digits the way my_gcvt does: plain notation unless the decimal
 * point would sit more than 15 places past the significant digits or the number is below 1e-4,
 * in which case `1e20` / `1.5e-7` style (no '+', no exponent padding).
 */
function gcvt(neg: boolean, digits: string, decpt: number): string {
  const sign = neg ? '-' : '';
  if (decpt <= -4 || decpt > digits.length + 15) {
    const exp = decpt - 1;
    const m = digits.length > 1 ? digits[0] + '.' + digits.slice(1) : digits;
    return `${sign}${m}e${exp}`;
  }
  if (decpt <= 0) return `${sign}0.${'0'.repeat(-decpt)}${digits}`;
  if (decpt >= digits.length) return sign + digits + '0'.repeat(decpt - digits.length);
  return `${sign}${digits.slice(0, decpt)}.${digits.slice(decpt)}`;
}

/** MySQL's text form of a DOUBLE: shortest round-trip digits, my_gcvt notation rules. @req CORE-TYPE-003 */
export function formatDouble(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : '-inf';
  if (n === 0) return Object.is(n, -0) ? '-0' : '0';
  const { digits, decpt } = shortestDigits(n);
  return gcvt(n < 0, digits, decpt);
}

/** MySQL's text form of a FLOAT: the shortest digits that read back as the same single. @req CORE-TYPE-003 */
export function formatFloat(n: number): string {
  if (!Number.isFinite(n) || n === 0) return formatDouble(n);
  const f = Math.fround(n);
  for (let p = 1; p <= 9; p++) {
    const { digits, decpt } = shortestDigits(f, p);
    const back = Number((f < 0 ? '-' : '') + '0.' + digits + 'e' + decpt);
    if (Math.fround(back) === f) return gcvt(f < 0, digits, decpt);
  }
  return formatDouble(f);
}

/** Returns null for SQL NULL, otherwise the bytes (Buffer) or text (string) of the value. */
export function valueToText(v: Value, col: ResultColumn): string | Buffer | null {
  if (v === null) return null;
  if (Buffer.isBuffer(v)) return v;
  let s: string;
  if (typeof v === 'number') {
    s = col.type === MysqlType.FLOAT ? formatFloat(v) : formatDouble(v);
    if (col.decimals > 0 && col.decimals < 31 && Number.isFinite(v)) s = v.toFixed(col.decimals);
  } else if (typeof v === 'bigint') {
    s = v.toString();
  } else if (v instanceof Decimal) {
    // a DECIMAL column / expression always shows exactly its declared scale
    if (col.type === MysqlType.NEWDECIMAL && col.decimals < 31 && v.scale !== col.decimals) s = rescaleText(v, col.decimals);
    else s = v.toString();
  } else if (v instanceof Temporal) {
    // values carry their own fractional-seconds precision (set when stored or computed)
    s = v.toString();
  } else {
    s = v;
  }
  if (col.flags & ColumnFlag.ZEROFILL && col.length > 0 && s.length < col.length && !s.startsWith('-')) {
    s = s.padStart(col.length, '0');
  }
  return s;
}

/** Decimal text at a given scale (half away from zero when digits are dropped). */
function rescaleText(v: Decimal, scale: number): string {
  if (scale >= v.scale) return new Decimal(v.unscaled * 10n ** BigInt(scale - v.scale), scale).toString();
  const div = 10n ** BigInt(v.scale - scale);
  const q = v.unscaled / div, r = v.unscaled % div;
  const adj = (r < 0n ? -r : r) * 2n >= div ? (v.unscaled < 0n ? -1n : 1n) : 0n;
  return new Decimal(q + adj, scale).toString();
}
