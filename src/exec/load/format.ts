/**
 * The field and line format shared by LOAD DATA (reading) and SELECT ... INTO OUTFILE
 * (writing): the FIELDS / LINES options turned into bytes, with MySQL's defaults (fields
 * terminated by a tab, not enclosed, escaped by a backslash; lines terminated by a newline,
 * no prefix), so that a file written with some options reads back with the same options.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/load-data.html (Field and Line Handling)
 * @req CORE-LOAD-002 CORE-LOAD-003
 */
import type { FileFieldOptions } from '../../sql/ast.js';
import { sqlError } from '../../kernel/errors.js';
import { MAX_ESCAPE_OR_ENCLOSURE_BYTES } from './limits.js';

/** No such byte: a terminator, enclosure or escape that is empty. */
export const NONE = -1;

export interface FileFormat {
  fieldTerm: Buffer;
  /** The enclosure byte, or NONE. */
  enclosed: number;
  /** OPTIONALLY ENCLOSED BY: only string values are enclosed on output. */
  optionallyEnclosed: boolean;
  /** The escape byte, or NONE. */
  escape: number;
  lineStart: Buffer;
  lineTerm: Buffer;
}

/** The bytes of an option string (the statement's text is UTF-8). */
function bytesOf(s: string): Buffer {
  return Buffer.from(s, 'utf8');
}

/**
 * The format for a set of options. A default backslash escape is dropped under
 * NO_BACKSLASH_ESCAPES (an explicit ESCAPED BY is kept), as MySQL does. ESCAPED BY and
 * ENCLOSED BY longer than one byte fail with 1083.
 * @req CORE-LOAD-002 CORE-LOAD-003
 */
export function fileFormat(o: FileFieldOptions, noBackslashEscapes: boolean): FileFormat {
  const enclosed = bytesOf(o.fieldsEnclosedBy ?? '');
  const escape = o.fieldsEscapedBy !== undefined ? bytesOf(o.fieldsEscapedBy) : noBackslashEscapes ? Buffer.alloc(0) : Buffer.from('\\');
  if (enclosed.length > MAX_ESCAPE_OR_ENCLOSURE_BYTES || escape.length > MAX_ESCAPE_OR_ENCLOSURE_BYTES) throw sqlError('ER_WRONG_FIELD_TERMINATORS');
  return {
    fieldTerm: bytesOf(o.fieldsTerminatedBy ?? '\t'),
    enclosed: enclosed.length ? enclosed[0]! : NONE,
    optionallyEnclosed: o.fieldsOptionallyEnclosed === true,
    escape: escape.length ? escape[0]! : NONE,
    lineStart: bytesOf(o.linesStartingBy ?? ''),
    lineTerm: bytesOf(o.linesTerminatedBy ?? '\n'),
  };
}

/** Whether every separator is ASCII (otherwise MySQL warns 1638 and so do we). @req CORE-LOAD-003 */
export function asciiSeparators(f: FileFormat): boolean {
  const all = [...f.fieldTerm, ...f.lineStart, ...f.lineTerm, f.enclosed, f.escape];
  return all.every((b) => b === NONE || b < 0x80);
}

/** Fixed-row format: no field terminator and no enclosure. */
export function fixedRowFormat(f: FileFormat): boolean {
  return f.fieldTerm.length === 0 && f.enclosed === NONE;
}
