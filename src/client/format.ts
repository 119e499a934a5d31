/**
 * How result sets look on the terminal, in mysql's three layouts:
 *
 * - tab-separated (batch mode: stdin not a terminal, or -e, or -B): a header line of column
 *   names unless -N, one line per row, SQL NULL as `NULL`, and the bytes that would break the
 *   layout escaped (NUL, tab, newline, backslash become \0 \t \n \\);
 * - a bordered table (interactive mode, or -t): `+---+` rules, each column as wide as its longest
 *   value or name in bytes (at least 4 for a nullable column, to fit NULL), numbers right-aligned;
 * - vertical (-E or \G): a `*** N. row ***` banner and one `name: value` line per column, names
 *   right-aligned to the longest.
 *
 * Output is built as bytes so that binary values are written unchanged.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/mysql-command-options.html
 * @req CLIENT-007 CLIENT-008 CLIENT-009 CLIENT-012
 */
import type { ColumnInfo } from './packets.js';
import { MAX_COLUMN_LENGTH } from './limits.js';

/** Rows of one result set, values as the server sent them (null = SQL NULL). */
export interface ResultSet {
  columns: ColumnInfo[];
  rows: (Buffer | null)[][];
}

const NULL_TEXT = Buffer.from('NULL');
const NOT_NULL_FLAG = 1;

/** Column types mysql right-aligns (its IS_NUM: the integer, decimal and floating types, NULL and YEAR). */
export function isNumericType(type: number): boolean {
  return (type <= 9 && type !== 7) || type === 13 || type === 246;
}

/** Escape a value for tab-separated output. @req CLIENT-007 */
export function escapeBatchValue(v: Buffer): Buffer {
  let needs = false;
  for (const b of v) {
    if (b === 0 || b === 9 || b === 10 || b === 92) {
      needs = true;
      break;
    }
  }
  if (!needs) return v;
  const out: number[] = [];
  for (const b of v) {
    if (b === 0) out.push(92, 48);
    else if (b === 9) out.push(92, 116);
    else if (b === 10) out.push(92, 110);
    else if (b === 92) out.push(92, 92);
    else out.push(b);
  }
  return Buffer.from(out);
}

/** Tab-separated rows, with a header line unless `columnNames` is false. @req CLIENT-007 */
export function formatTabs(rs: ResultSet, columnNames: boolean): Buffer {
  const parts: Buffer[] = [];
  if (columnNames) parts.push(Buffer.from(rs.columns.map((c) => c.name).join('\t') + '\n', 'utf8'));
  for (const row of rs.rows) {
    row.forEach((v, i) => {
      if (i > 0) parts.push(Buffer.from('\t'));
      parts.push(v === null ? NULL_TEXT : escapeBatchValue(v));
    });
    parts.push(Buffer.from('\n'));
  }
  return Buffer.concat(parts);
}

/** Screen cells a UTF-8 value occupies (one per character; invalid bytes count one each). */
function cells(v: Buffer): number {
  let n = 0;
  for (const b of v) if ((b & 0xc0) !== 0x80) n++;
  return n;
}

function spaces(n: number): Buffer {
  return Buffer.alloc(Math.max(0, n), 0x20);
}

/** The bordered table. @req CLIENT-008 */
export function formatTable(rs: ResultSet, columnNames: boolean): Buffer {
  const names = rs.columns.map((c) => Buffer.from(c.name, 'utf8'));
  const widths = rs.columns.map((c, i) => {
    let w = columnNames ? names[i]!.length : 0;
    for (const row of rs.rows) {
      const v = row[i];
      w = Math.max(w, v === null || v === undefined ? 4 : v.length);
    }
    if (w < 4 && !(c.flags & NOT_NULL_FLAG)) w = 4;
    return w;
  });
  const rule = Buffer.from('+' + widths.map((w) => '-'.repeat(w + 2) + '+').join('') + '\n');
  const parts: Buffer[] = [rule];
  if (columnNames) {
    parts.push(Buffer.from('|'));
    names.forEach((n, i) => {
      const shown = Math.min(widths[i]!, MAX_COLUMN_LENGTH);
      parts.push(Buffer.from(' '), n, spaces(shown - cells(n)), Buffer.from(' |'));
    });
    parts.push(Buffer.from('\n'), rule);
  }
  for (const row of rs.rows) {
    parts.push(Buffer.from('| '));
    rs.columns.forEach((c, i) => {
      if (i > 0) parts.push(Buffer.from(' '));
      const v = row[i] ?? NULL_TEXT;
      const width = Math.min(widths[i]!, MAX_COLUMN_LENGTH);
      const pad = spaces(width - cells(v));
      if (isNumericType(c.type) && widths[i]! <= MAX_COLUMN_LENGTH) parts.push(pad, v);
      else parts.push(v, pad);
      parts.push(Buffer.from(' |'));
    });
    parts.push(Buffer.from('\n'));
  }
  parts.push(rule);
  return Buffer.concat(parts);
}

/** Vertical layout. @req CLIENT-009 */
export function formatVertical(rs: ResultSet, columnNames: boolean): Buffer {
  const names = rs.columns.map((c) => Buffer.from(c.name, 'utf8'));
  const width = names.reduce((m, n) => Math.max(m, n.length), 0);
  const parts: Buffer[] = [];
  rs.rows.forEach((row, r) => {
    parts.push(Buffer.from(`*************************** ${r + 1}. row ***************************\n`));
    names.forEach((n, i) => {
      if (columnNames) parts.push(spaces(width - n.length), n, Buffer.from(': '));
      const v = row[i];
      // NUL bytes would end the line on a terminal; mysql shows them as spaces here.
      parts.push(v === null || v === undefined ? NULL_TEXT : Buffer.from(v.map((b) => (b === 0 ? 0x20 : b))), Buffer.from('\n'));
    });
  });
  return Buffer.concat(parts);
}

/** mysql's elapsed-time text: `0.00 sec`, `1 min 2.50 sec`, `1 hour 2 min 3.00 sec`. @req CLIENT-012 */
export function niceTime(seconds: number): string {
  let sec = seconds;
  let out = '';
  if (sec >= 86400) {
    const d = Math.floor(sec / 86400);
    sec -= d * 86400;
    out += `${d} ${d > 1 ? 'days' : 'day'} `;
  }
  if (sec >= 3600) {
    const h = Math.floor(sec / 3600);
    sec -= h * 3600;
    out += `${h} ${h > 1 ? 'hours' : 'hour'} `;
  }
  if (sec >= 60) {
    const m = Math.floor(sec / 60);
    sec -= m * 60;
    out += `${m} min `;
  }
  return `${out}${sec.toFixed(2)} sec`;
}

/** The summary line after a result: `3 rows in set`, `Empty set`, `Query OK, 1 row affected`, with warnings. @req CLIENT-012 */
export function summaryLine(r: { kind: 'rows'; rowCount: number; warnings: number } | { kind: 'ok'; affected: bigint; warnings: number }, elapsed: string | null): string {
  let s: string;
  if (r.kind === 'rows') s = r.rowCount === 0 ? 'Empty set' : `${r.rowCount} ${r.rowCount === 1 ? 'row' : 'rows'} in set`;
  else s = `Query OK, ${r.affected} ${r.affected === 1n ? 'row' : 'rows'} affected`;
  if (r.warnings > 0) s += `, ${r.warnings} ${r.warnings === 1 ? 'warning' : 'warnings'}`;
  if (elapsed !== null) s += ` (${elapsed})`;
  return s;
}
