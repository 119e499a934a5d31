/**
 * Character set of string literals: before a statement runs, every string literal of it learns
 * the session's collation_connection (the collation of a literal without an introducer) and
 * character_set_client (the character set its bytes arrived in, which an introducer reinterprets).
 * Done per statement, not per COM_QUERY, so that `SET NAMES latin1; SELECT CHARSET('a')` sees the
 * new setting in the second statement.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/charset-literal.html
 * @req CORE-CS-052 CORE-CS-056
 */
import type { LiteralExpr, Statement } from '../sql/ast.js';
import { DEFAULT_COLLATION, charsetOf, findCollation, normalizeCharsetName } from '../kernel/charset/index.js';
import type { Value } from '../kernel/value.js';

/** Bound on the depth of the walk (a statement nests far less; the parser limits depth). */
const MAX_DEPTH = 10_000;

function isLiteralString(o: Record<string, unknown>): o is Record<string, unknown> & LiteralExpr {
  return o['type'] === 'literal' && (o['kind'] === 'string' || o['kind'] === 'hex' || o['kind'] === 'bit');
}

/** The session settings a statement's literals take. */
export interface LiteralCharsetSettings {
  collationConnection: string;
  clientCharset: string;
}

/** Read the settings from session variables (unknown or NULL values fall back to the defaults). */
export function literalCharsetSettings(sysvar: (name: string) => Value): LiteralCharsetSettings {
  const co = sysvar('collation_connection');
  const cs = sysvar('character_set_client');
  const collation = (typeof co === 'string' ? findCollation(co)?.name : undefined) ?? DEFAULT_COLLATION;
  const client = typeof cs === 'string' && cs !== '' ? normalizeCharsetName(cs) : charsetOf(collation);
  return { collationConnection: collation, clientCharset: client };
}

/**
 * The settings each statement was last marked with. A prepared statement keeps its tree (and
 * the rewrites done once before its first run), so its next execution under the same settings
 * needs no walk.
 */
const marked = new WeakMap<Statement, string>();

/** Mark every string literal of the statement with the settings. @req CORE-CS-052 */
export function annotateLiterals(stmt: Statement, settings: LiteralCharsetSettings): void {
  const key = `${settings.collationConnection}/${settings.clientCharset}`;
  if (marked.get(stmt) === key) return;
  marked.set(stmt, key);
  const stack: Array<{ node: unknown; depth: number }> = [{ node: stmt, depth: 0 }];
  const seen = new Set<object>();
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    if (node === null || typeof node !== 'object' || Buffer.isBuffer(node) || depth > MAX_DEPTH) continue;
    if (seen.has(node)) continue;
    seen.add(node);
    if (Array.isArray(node)) {
      for (const x of node) stack.push({ node: x, depth: depth + 1 });
      continue;
    }
    const o = node as Record<string, unknown>;
    if (isLiteralString(o)) {
      o.connCollation = settings.collationConnection;
      o.clientCharset = settings.clientCharset;
      continue;
    }
    // CAST(x AS CHAR) without a character set gives collation_connection @req CORE-CS-065
    if (o['type'] === 'cast') o['connCollation'] = settings.collationConnection;
    // a string function over numbers only gives collation_connection @req CORE-FN-044
    if (o['type'] === 'func') o['connCollation'] = settings.collationConnection;
    // a string bound to a `?` marker is a string of the connection too @req CORE-CS-052
    if (o['type'] === 'param' && o['local'] === undefined) o['connCollation'] = settings.collationConnection;
    for (const k in o) {
      const v = o[k];
      if (v !== null && typeof v === 'object') stack.push({ node: v, depth: depth + 1 });
    }
  }
}
