/**
 * The `.CSV` line codec. A row is one line: its fields joined by commas and ended by LF, with no
 * header line. Quoted fields escape a double quote, a backslash, LF and CR with a backslash (not
 * by doubling quotes), so a record never spans lines. The reader follows MySQL's CSV reader so
 * that files written by other programs read the same way:
 * - a line ends at LF, CR or CRLF; bytes after the last line end are not a row (yet);
 * - a field starting with `"` ends at a `"` followed by a comma or by the end of the line; any
 *   other `"` inside it is kept; reaching the end of the line inside it damages the row;
 * - a field not starting with `"` ends at the next comma (it may hold backslash escapes and
 *   quotes too, but a quote as the last byte of the line damages the row);
 * - `\n`, `\r`, `\\` and `\"` unescape; a backslash before any other byte is kept with it;
 * - a row with fewer or more fields than the table has columns is damaged, and so is a field
 *   whose text is not a valid value of its column (values.ts).
 * Everything works on bytes: binary columns are written as their raw bytes.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/csv-storage-engine.html (16.4)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/se-csv-repair.html (16.4.1)
 * @req CSV-001 CSV-007 CSV-008 CSV-009 CSV-031
 */
import type { ColumnDef } from '../../kernel/table-def.js';
import type { Row, Value } from '../../kernel/value.js';
import { BadField, fieldToValue, valueToField, type FieldText } from './values.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;

/** Append one field's bytes, escaped when quoted. @req CSV-008 */
function pushField(out: number[], f: FieldText): void {
  if (!f.quoted) {
    for (const b of f.bytes) out.push(b);
    return;
  }
  out.push(QUOTE);
  for (const b of f.bytes) {
    if (b === QUOTE) out.push(BACKSLASH, QUOTE);
    else if (b === BACKSLASH) out.push(BACKSLASH, BACKSLASH);
    else if (b === LF) out.push(BACKSLASH, 0x6e);
    else if (b === CR) out.push(BACKSLASH, 0x72);
    else out.push(b);
  }
  out.push(QUOTE);
}

/** Encode fields into one line, LF included. */
export function encodeFields(fields: readonly FieldText[]): Buffer {
  const out: number[] = [];
  fields.forEach((f, i) => {
    if (i > 0) out.push(COMMA);
    pushField(out, f);
  });
  out.push(LF);
  return Buffer.from(out);
}

/** Encode a row of a table into its line. @req CSV-001 CSV-007 */
export function encodeRow(columns: readonly ColumnDef[], row: Row): Buffer {
  return encodeFields(columns.map((c, i) => valueToField(c, row[i] ?? null)));
}

/** Unescape the byte after a backslash. */
function unescape(out: number[], next: number): void {
  if (next === 0x6e) out.push(LF);
  else if (next === 0x72) out.push(CR);
  else if (next === BACKSLASH || next === QUOTE) out.push(next);
  else out.push(BACKSLASH, next);
}

/**
 * Split the bytes of one line (`start` to `end`, line end excluded) into `count` fields of
 * unescaped bytes; null when the line is damaged (bad quoting, too few or too many fields).
 * @req CSV-008 CSV-031
 */
export function splitFields(buf: Buffer, start: number, end: number, count: number): Buffer[] | null {
  const fields: Buffer[] = [];
  let pos = start;
  // Whether the field just read ended at a comma (so another field follows).
  let comma = false;
  for (let i = 0; i < count; i++) {
    if (pos >= end) return null;
    comma = false;
    const out: number[] = [];
    if (buf[pos] === QUOTE) {
      pos++;
      let closed = false;
      while (pos < end) {
        const c = buf[pos]!;
        if (c === QUOTE && (pos + 1 === end || buf[pos + 1] === COMMA)) {
          comma = pos + 1 < end;
          pos += 2;
          closed = true;
          break;
        }
        if (c === BACKSLASH && pos + 1 < end) {
          unescape(out, buf[pos + 1]!);
          pos += 2;
        } else {
          out.push(c);
          pos++;
        }
      }
      if (!closed) return null;
    } else {
      while (pos < end) {
        const c = buf[pos]!;
        if (c === COMMA) {
          comma = true;
          pos++;
          break;
        }
        if (c === BACKSLASH && pos + 1 < end) {
          unescape(out, buf[pos + 1]!);
          pos += 2;
        } else {
          // A quote closing an unquoted field at the end of the line: a damaged row.
          if (c === QUOTE && pos === end - 1) return null;
          out.push(c);
          pos++;
        }
      }
    }
    fields.push(Buffer.from(out));
  }
  // A comma after the last field, or bytes left over: the row has more fields than the table.
  if (comma || pos < end) return null;
  return fields;
}

/** A field that is no value of its column: which column, and the warning MySQL gives. */
export interface FieldDamage {
  column: number;
  problem: BadField['problem'];
}

/** A line decoded: its row, or why it is damaged (a field's value, or null for the line's shape). */
export type LineResult = { row: Row } | { damage: FieldDamage | null };

/** Decode one line into a row of the table, or say why it is damaged. @req CSV-031 */
export function decodeLineDetail(columns: readonly ColumnDef[], buf: Buffer, start: number, end: number): LineResult {
  const fields = splitFields(buf, start, end, columns.length);
  if (!fields) return { damage: null };
  const row: Value[] = [];
  for (let i = 0; i < columns.length; i++) {
    const v = fieldToValue(columns[i]!, fields[i]!);
    if (v instanceof BadField) return { damage: { column: i, problem: v.problem } };
    row.push(v);
  }
  return { row };
}

/** Decode one line into a row of the table; null when damaged. @req CSV-031 */
export function decodeLine(columns: readonly ColumnDef[], buf: Buffer, start: number, end: number): Row | null {
  const r = decodeLineDetail(columns, buf, start, end);
  return 'row' in r ? r.row : null;
}

/** Where the line starting at `start` ends and where the next begins; null when no line end follows. */
export function nextLineEnd(buf: Buffer, start: number): { end: number; next: number } | null {
  for (let p = start; p < buf.length; p++) {
    const c = buf[p];
    if (c === LF) return { end: p, next: p + 1 };
    if (c === CR) return { end: p, next: buf[p + 1] === LF ? p + 2 : p + 1 };
  }
  return null;
}

/** The rows of a data file read up to the first damaged line. */
export interface FileScan {
  rows: Row[];
  /** Byte offset just after the last good line. */
  goodEnd: number;
  /** A complete line could not be read: the rows stop before it. */
  damaged: boolean;
  /** When a field of the damaged line is no value of its column: which one (the warning). */
  damage?: FieldDamage & { row: number };
}

/**
 * Read a whole data file: every complete line until the first damaged one. Bytes after the last
 * line end are no row (MySQL's reader stops there too).
 * @req CSV-009 CSV-031 CSV-032
 */
export function scanFile(columns: readonly ColumnDef[], buf: Buffer): FileScan {
  const rows: Row[] = [];
  let pos = 0;
  for (;;) {
    const le = nextLineEnd(buf, pos);
    if (!le) return { rows, goodEnd: pos, damaged: false };
    const r = decodeLineDetail(columns, buf, pos, le.end);
    if (!('row' in r)) {
      const scan: FileScan = { rows, goodEnd: pos, damaged: true };
      if (r.damage) scan.damage = { ...r.damage, row: rows.length + 1 };
      return scan;
    }
    rows.push(r.row);
    pos = le.next;
  }
}
