/**
 * Stored expression text (as the user wrote it, kept in the dictionary so that evaluation
 * re-parses exactly what was written) shown in MySQL's normalised form: parsed and printed by
 * {@link printExpr}. Text that does not parse (it cannot happen for text the server stored, but
 * a dictionary written by an older build may hold anything) is shown as stored.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/show-create-table.html
 * @req CORE-CHECK-030 CORE-CHECK-031
 */
import { parseExpression } from '../parser/index.js';
import { printExpr } from './expr-print.js';

const cache = new Map<string, string>();
/** Stored texts whose printed form is remembered (a dictionary holds few distinct ones). */
const CACHE_LIMIT = 4096;

/** The normalised text of a stored expression. @req CORE-CHECK-030 */
export function normaliseExprText(text: string): string {
  const hit = cache.get(text);
  if (hit !== undefined) return hit;
  let out: string;
  try {
    out = printExpr(parseExpression(text));
  } catch {
    out = text;
  }
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(text, out);
  return out;
}
