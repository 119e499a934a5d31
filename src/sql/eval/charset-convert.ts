/**
 * Conversion of a value between character sets (CONVERT ... USING, CAST ... CHARACTER SET,
 * CAST AS BINARY, BINARY x, HEX): text becomes the bytes of its own character set, bytes are read
 * as the target character set, and text moves between character sets with '?' for characters the
 * target lacks.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/cast-functions.html
 * @req CORE-CS-065 CORE-CS-066
 */
import { charsetOf, decode, DEFAULT_COLLATION, encode } from '../../kernel/charset/index.js';
import type { Value } from '../../kernel/value.js';
import { toStringValue } from '../types/convert.js';
import type { ExprType } from './types.js';

/** The character set of a string expression ('binary' for binary strings; numbers are ASCII). */
export function charsetOfType(t: ExprType): string {
  if (t.binary) return 'binary';
  if (t.kind === 'string' || t.kind === 'json') return charsetOf(t.collation ?? DEFAULT_COLLATION);
  return 'utf8mb4';
}

/** The bytes of a value in its expression's character set. @req CORE-CS-066 */
export function bytesOf(v: Exclude<Value, null>, from: string): Buffer {
  if (Buffer.isBuffer(v)) return v;
  const s = toStringValue(v) ?? '';
  return from === 'binary' ? Buffer.from(s, 'utf8') : encode(s, from);
}

/** A value of character set `from` as a value of character set `to`. @req CORE-CS-065 */
export function convertCharset(v: Exclude<Value, null>, from: string, to: string): Value {
  if (to === 'binary') return bytesOf(v, from);
  if (Buffer.isBuffer(v)) return decode(v, to);
  const s = toStringValue(v) ?? '';
  if (from === to || /^[\x00-\x7f]*$/.test(s)) return s;
  return decode(encode(s, to), to);
}
