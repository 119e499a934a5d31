/**
 * Variables that move together: setting one changes its partner, as in MySQL.
 * - character_set_{connection,server,database} and collation_{connection,server,database}:
 *   a collation implies its character set; a character set implies its default collation.
 * - super_read_only=ON implies read_only=ON; read_only=OFF implies super_read_only=OFF.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/charset-connection.html
 * @req CORE-SYSVAR-014
 */
import { charsetOf, defaultCollationFor } from '../../kernel/charset/index.js';
import type { Value } from '../../kernel/value.js';

const PAIRS: ReadonlyArray<readonly [charsetVar: string, collationVar: string]> = [
  ['character_set_connection', 'collation_connection'],
  ['character_set_server', 'collation_server'],
  ['character_set_database', 'collation_database'],
];

/**
 * The partner assignments implied by setting `name` to `value` (already validated).
 * @req CORE-SYSVAR-014
 */
export function impliedAssignments(name: string, value: Value): Array<[string, Value]> {
  for (const [cs, co] of PAIRS) {
    if (name === cs && typeof value === 'string') {
      try {
        return [[co, defaultCollationFor(value)]];
      } catch {
        return [];
      }
    }
    if (name === co && typeof value === 'string') return [[cs, charsetOf(value)]];
  }
  if (name === 'super_read_only' && value === 1n) return [['read_only', 1n]];
  if (name === 'read_only' && value === 0n) return [['super_read_only', 0n]];
  return [];
}
