/**
 * Text-protocol form of a value: what a COM_QUERY result row carries for each column.
 * The executor hands the protocol values already converted to the column's type; this module
 * only decides how such a value is spelled (MySQL's formatting of FLOAT/DOUBLE, DECIMAL scale,
 * ZEROFILL padding, temporal fractional digits).
 *
 * @spec https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_query_response_text_resultset_row.html
 * @req CORE-TYPE-003
 */
import { ColumnFlag, MysqlType, type ResultColumn } from './column-type.js';
import { Decimal, Temporal, type Value } from './value.js';

/** MySQL prints doubles with up to 17 significant digits in the shortest form that round-trips. */
export function formatDouble(n: number): string {
  if (Number.isNaN(n)) return 'NaN';
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : '-inf';
  if (Object.is(n, -0)) return '-0';
  const s = String(n);
  if (!s.includes('e')) return s;
  // JS: 1e+21 / 1.5e-7 ; MySQL: 1e21 / 1.5e-7
  return s.replace('e+', 'e');
}

/** MySQL prints FLOAT (single precision) with 6 significant digits. */
export function formatFloat(n: number): string {
  if (!Number.isFinite(n)) return formatDouble(n);
  const r = Number(Math.fround(n).toPrecision(6));
  return formatDouble(r);
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
    s = v.toString();
  } else if (v instanceof Temporal) {
    s = v.toString();
  } else {
    s = v;
  }
  if (col.flags & ColumnFlag.ZEROFILL && col.length > 0 && s.length < col.length && !s.startsWith('-')) {
    s = s.padStart(col.length, '0');
  }
  return s;
}
