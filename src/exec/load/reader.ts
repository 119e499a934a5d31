/**
 * Reading a LOAD DATA file: a cursor over the file's bytes that yields one field at a time and
 * moves to the next line, with MySQL's rules for terminators, enclosures (a doubled enclosure
 * character inside an enclosed field is one character; an enclosed field ends only at an
 * enclosure followed by a field or line terminator), escapes (`\0 \b \n \r \t \Z`, `\N` for
 * NULL, any other escaped byte stands for itself), LINES STARTING BY (text before the prefix is
 * skipped, a line without it is skipped whole) and the rest of a line after the last wanted
 * field (skipped, and reported by the caller as 1262).
 *
 * The cursor works on bytes: multi-byte characters of UTF-8 never contain an ASCII byte, so
 * ASCII separators are found correctly in them.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/load-data.html (Field and Line Handling)
 * @req CORE-LOAD-002 CORE-LOAD-004 CORE-LOAD-005 CORE-LOAD-006
 */
import { NONE, type FileFormat } from './format.js';

/** One field as read. */
export interface ReadField {
  bytes: Buffer;
  /** The field was enclosed (so the text NULL is a string, not NULL). */
  enclosed: boolean;
  /** The field is NULL: `\N` alone, or unenclosed `NULL` when an enclosure is in use. */
  isNull: boolean;
}

/** Unescaped value of the byte after the escape character. @req CORE-LOAD-004 */
function unescape(b: number): number {
  switch (b) {
    case 0x6e: return 0x0a; // n
    case 0x74: return 0x09; // t
    case 0x72: return 0x0d; // r
    case 0x62: return 0x08; // b
    case 0x30: return 0x00; // 0
    case 0x5a: return 0x1a; // Z
    default: return b;
  }
}

export class FieldReader {
  private pos = 0;
  private foundEndOfLine = false;
  private eof = false;
  private startOfLine: boolean;
  private foundNull = false;
  /** The previous nextLine() skipped data (more fields than wanted). */
  lineCut = false;
  private readonly fieldTermChar: number;
  private readonly lineTermChar: number;
  private readonly lineTerm: Buffer;

  constructor(private readonly buf: Buffer, private readonly f: FileFormat) {
    this.startOfLine = f.lineStart.length > 0;
    // A line terminator equal to the field terminator is not a line terminator (MySQL's rule).
    this.lineTerm = f.lineTerm.equals(f.fieldTerm) ? Buffer.alloc(0) : f.lineTerm;
    this.fieldTermChar = f.fieldTerm.length ? f.fieldTerm[0]! : NONE;
    this.lineTermChar = this.lineTerm.length ? this.lineTerm[0]! : NONE;
  }

  /** Whether the rest of `term` follows the byte just read (its first byte); consumes it if so. */
  private terminator(term: Buffer): boolean {
    const n = term.length;
    if (this.pos + n - 1 > this.buf.length) return false;
    for (let i = 1; i < n; i++) if (this.buf[this.pos + i - 1] !== term[i]) return false;
    this.pos += n - 1;
    return true;
  }

  /** Skip to just after LINES STARTING BY; true at end of file. */
  private findStartOfFields(): boolean {
    const ls = this.f.lineStart;
    for (;;) {
      let at = -1;
      while (this.pos < this.buf.length) {
        if (this.buf[this.pos++] === ls[0]) {
          at = this.pos - 1;
          break;
        }
      }
      if (at < 0) {
        this.foundEndOfLine = this.eof = true;
        return true;
      }
      let ok = true;
      for (let i = 1; i < ls.length; i++) {
        if (this.pos >= this.buf.length || this.buf[this.pos] !== ls[i]) {
          ok = false;
          break;
        }
        this.pos++;
      }
      if (ok) return false;
      this.pos = at + 1;
    }
  }

  /** The next field of the current line, or null when the line (or file) has no more. */
  readField(): ReadField | null {
    this.foundNull = false;
    if (this.foundEndOfLine) return null;
    if (this.startOfLine) {
      this.startOfLine = false;
      if (this.findStartOfFields()) return null;
    }
    const buf = this.buf;
    const len = buf.length;
    if (this.pos >= len) {
      this.foundEndOfLine = this.eof = true;
      return null;
    }
    const { escape, enclosed } = this.f;
    const out: number[] = [];
    let foundEnclosed = NONE;
    if (buf[this.pos] === enclosed) {
      foundEnclosed = enclosed;
      out.push(buf[this.pos++]!);
    }
    const done = (isEnclosed: boolean, endOfLine: boolean): ReadField => {
      if (endOfLine) this.foundEndOfLine = true;
      const bytes = Buffer.from(isEnclosed ? out.slice(1) : out);
      return { bytes, enclosed: isEnclosed, isNull: this.isNull(bytes, isEnclosed) };
    };
    while (this.pos < len) {
      let chr = buf[this.pos++]!;
      if (chr === escape) {
        if (this.pos >= len) {
          out.push(escape);
          break;
        }
        chr = buf[this.pos++]!;
        // With the escape equal to the enclosure, only a doubled character is an escape.
        if (escape !== enclosed || chr === escape) {
          if (chr === 0x4e) this.foundNull = true; // N
          out.push(unescape(chr));
          continue;
        }
        this.pos--;
        chr = escape;
      }
      if (chr === this.lineTermChar && foundEnclosed === NONE && this.terminator(this.lineTerm)) return done(false, true);
      if (chr === foundEnclosed) {
        if (this.pos < len && buf[this.pos] === foundEnclosed) {
          this.pos++;
          out.push(chr);
          continue;
        }
        if (this.pos >= len) return done(true, true);
        const next = buf[this.pos++]!;
        if (next === this.lineTermChar && this.terminator(this.lineTerm)) return done(true, true);
        if (next === this.fieldTermChar && this.terminator(this.f.fieldTerm)) return done(true, false);
        this.pos--;
      } else if (chr === this.fieldTermChar && foundEnclosed === NONE && this.terminator(this.f.fieldTerm)) {
        return done(false, false);
      }
      out.push(chr);
    }
    // End of file inside the field: what was read is the field (an unclosed enclosure stays).
    this.foundEndOfLine = this.eof = true;
    const bytes = Buffer.from(out);
    return { bytes, enclosed: false, isNull: this.isNull(bytes, false) };
  }

  private isNull(bytes: Buffer, isEnclosed: boolean): boolean {
    if (bytes.length === 1 && this.foundNull) return true;
    return !isEnclosed && this.f.enclosed !== NONE && bytes.length === 4 && bytes.toString('latin1') === 'NULL';
  }

  /**
   * Move to the next line, skipping what is left of the current one (lineCut tells whether
   * anything was). Returns true at the end of the file.
   */
  nextLine(): boolean {
    this.lineCut = false;
    this.startOfLine = this.f.lineStart.length > 0;
    if (this.foundEndOfLine || this.eof) {
      this.foundEndOfLine = false;
      return this.eof;
    }
    if (this.lineTerm.length === 0) return false;
    const buf = this.buf;
    for (;;) {
      if (this.pos >= buf.length) {
        this.eof = true;
        return true;
      }
      const chr = buf[this.pos++]!;
      if (chr === this.f.escape) {
        this.lineCut = true;
        if (this.pos >= buf.length) {
          this.eof = true;
          return true;
        }
        this.pos++;
        continue;
      }
      if (chr === this.lineTermChar && this.terminator(this.lineTerm)) return false;
      this.lineCut = true;
    }
  }
}

/**
 * Every line of a file as its fields (at most `wanted` per line; `cut` when a line had more),
 * after skipping `skipLines` lines. A file that ends with a line terminator has no extra empty
 * line.
 * @req CORE-LOAD-002 CORE-LOAD-006
 */
export interface ReadRecord {
  fields: ReadField[];
  /** The line had more fields than wanted (1262), unless it was the unterminated last line. */
  cut: boolean;
}

export function readAll(buf: Buffer, f: FileFormat, wanted: number, skipLines = 0): ReadRecord[] {
  const r = new FieldReader(buf, f);
  const out: { fields: ReadField[]; cut: boolean }[] = [];
  // With a line terminator whole lines are skipped first; without one, the first records.
  let skipRecords = 0;
  if (f.lineTerm.length) {
    for (let i = 0; i < skipLines; i++) if (r.nextLine()) return out;
  } else skipRecords = skipLines;
  for (;;) {
    const fields: ReadField[] = [];
    while (fields.length < wanted) {
      const x = r.readField();
      if (!x) break;
      fields.push(x);
    }
    if (fields.length === 0) break;
    if (skipRecords > 0) {
      skipRecords--;
      if (r.nextLine()) break;
      continue;
    }
    // As in MySQL, a cut last line without a terminator is not reported.
    const eof = r.nextLine();
    out.push({ fields, cut: r.lineCut && !eof });
    if (eof) break;
  }
  return out;
}
