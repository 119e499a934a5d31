/**
 * Writing rows as SELECT ... INTO OUTFILE does: the mirror of the LOAD DATA reader, so a file
 * written with a set of FIELDS / LINES options reads back with the same options to the same
 * values. NULL is `\N` (the escape character and N) or the word NULL when there is no escape
 * character; string values are enclosed (all values without OPTIONALLY); in string values the
 * escape character, the enclosure (or, when not enclosed, the first byte of the field
 * terminator), the first byte of the line terminator and NUL are written after the escape
 * character (NUL as `0`).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/select-into.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/load-data.html (Field and Line Handling)
 * @req CORE-LOAD-021 CORE-LOAD-022
 */
import { NONE, type FileFormat } from './format.js';

/** Bytes that mean something after an escape character (`\n`, `\N`, ...). */
const ESCAPE_LETTERS = new Set([...'ntrb0ZN'].map((c) => c.charCodeAt(0)));
/** Bytes that may appear in a number's text. */
const NUMERIC_BYTES = new Set([...'.0123456789e+-'].map((c) => c.charCodeAt(0)));
const NULL_WORD = Buffer.from('NULL', 'latin1');

/** One output column: whether its values are strings (escaped, enclosed under OPTIONALLY). */
export interface OutColumn {
  stringResult: boolean;
}

/** Encodes rows of given columns in a format. @req CORE-LOAD-021 */
export class RowEncoder {
  private readonly fieldTermChar: number;
  private readonly fieldSepChar: number;
  private readonly lineSepChar: number;
  private readonly ambiguousFieldSep: boolean;
  private readonly ambiguousFieldTerm: boolean;
  private readonly unsafeFieldSep: boolean;
  private readonly nullBytes: Buffer;

  constructor(private readonly f: FileFormat, private readonly columns: readonly OutColumn[]) {
    this.fieldTermChar = f.fieldTerm.length ? f.fieldTerm[0]! : NONE;
    this.fieldSepChar = f.enclosed !== NONE ? f.enclosed : this.fieldTermChar;
    this.lineSepChar = f.lineTerm.length ? f.lineTerm[0]! : NONE;
    this.ambiguousFieldSep = ESCAPE_LETTERS.has(this.fieldSepChar);
    this.ambiguousFieldTerm = ESCAPE_LETTERS.has(this.fieldTermChar);
    this.unsafeFieldSep = NUMERIC_BYTES.has(this.fieldSepChar);
    this.nullBytes = f.escape !== NONE ? Buffer.from([f.escape, 0x4e]) : NULL_WORD;
  }

  /** One line: the prefix, the fields joined by the field terminator, the line terminator. */
  encode(values: readonly (Buffer | null)[]): Buffer {
    const f = this.f;
    const parts: Buffer[] = [f.lineStart];
    values.forEach((v, i) => {
      if (i > 0) parts.push(f.fieldTerm);
      if (v === null) {
        parts.push(this.nullBytes);
        return;
      }
      const stringResult = this.columns[i]?.stringResult ?? true;
      const enclose = f.enclosed !== NONE && (!f.optionallyEnclosed || stringResult);
      if (enclose) parts.push(Buffer.from([f.enclosed]));
      parts.push((stringResult || this.unsafeFieldSep) && f.escape !== NONE ? this.escaped(v, enclose) : v);
      if (enclose) parts.push(Buffer.from([f.enclosed]));
    });
    parts.push(f.lineTerm);
    return Buffer.concat(parts);
  }

  private needsEscape(b: number, enclose: boolean): boolean {
    return b === this.f.escape || (enclose ? b === this.fieldSepChar : b === this.fieldTermChar) || b === this.lineSepChar || b === 0;
  }

  private escaped(v: Buffer, enclose: boolean): Buffer {
    let n = 0;
    for (const b of v) if (this.needsEscape(b, enclose)) n++;
    if (n === 0) return v;
    const out = Buffer.alloc(v.length + n);
    let o = 0;
    for (const b of v) {
      // A field terminator that is an escape letter is not escaped (it would read back as one).
      if (this.needsEscape(b, enclose) && (enclose || !this.ambiguousFieldTerm || b !== this.fieldTermChar)) {
        out[o++] = b === this.fieldSepChar && this.ambiguousFieldSep ? this.fieldSepChar : this.f.escape;
        out[o++] = b === 0 ? 0x30 : b;
      } else out[o++] = b;
    }
    return out.subarray(0, o);
  }
}
