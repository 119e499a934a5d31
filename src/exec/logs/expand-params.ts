/**
 * The text of a prepared statement with its parameter values in place of the `?` markers,
 * as the general log shows an Execute (and the slow log an executed prepared statement):
 * numbers as they are, strings quoted with their special characters escaped, NULL as NULL,
 * binary values as hexadecimal literals.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/query-log.html (5.4.3)
 * @req CORE-LOG-004
 */
import { Decimal, Temporal, type Value } from '../../kernel/value.js';
import { tokenize } from '../../sql/lexer/lexer.js';
import { Tok } from '../../sql/lexer/token.js';

/** A value as an SQL literal. */
export function sqlLiteral(v: Value): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'bigint' || typeof v === 'number') return String(v);
  if (Buffer.isBuffer(v)) return v.length === 0 ? "''" : `0x${v.toString('hex')}`;
  if (v instanceof Decimal) return v.toString();
  const s = v instanceof Temporal ? v.toString() : v;
  return `'${s.replace(/[\\'\0\n\r\x1a]/g, (c) => ESCAPES[c] ?? c)}'`;
}

const ESCAPES: Record<string, string> = { '\\': '\\\\', "'": "\\'", '\0': '\\0', '\n': '\\n', '\r': '\\r', '\x1a': '\\Z' };

/** Put `params` in place of the `?` markers of `text` (markers beyond the values stay). */
export function expandParams(text: string, params: readonly Value[]): string {
  if (params.length === 0) return text;
  let toks;
  try {
    toks = tokenize(text);
  } catch {
    return text;
  }
  let out = '';
  let at = 0;
  let i = 0;
  for (const t of toks) {
    if (t.type !== Tok.PARAM || i >= params.length) continue;
    out += text.slice(at, t.start) + sqlLiteral(params[i++]!);
    at = t.end;
  }
  return out + text.slice(at);
}
