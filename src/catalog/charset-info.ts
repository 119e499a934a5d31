/**
 * Dictionary-side view of character sets and collations: resolving what DDL writes against
 * table/schema/server defaults, and bytes per character for row and key sizes. The facts
 * themselves (which charsets and collations exist) belong to src/kernel/charset.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/charset-syntax.html
 * @req CORE-CAT-006
 */
import { findCharset, findCollation, maxBytesPerChar as csMaxBytes, resolveCharsetCollation } from '../kernel/charset/index.js';
import { sqlError } from '../kernel/errors.js';

/** Server defaults (character_set_server / collation_server in 8.0). */
export const SERVER_DEFAULT_CHARSET = 'utf8mb4';
export const SERVER_DEFAULT_COLLATION = 'utf8mb4_0900_ai_ci';

/** Bytes per character of a charset (1 when not given). */
export function maxBytesPerChar(charset: string | undefined): number {
  if (!charset) return 1;
  return csMaxBytes(charset);
}

/** Whether a collation is the default one of its charset. */
export function isDefaultCollation(collation: string): boolean {
  return findCollation(collation)?.isDefault ?? false;
}

/**
 * Resolve a (charset, collation) pair written in DDL; when neither is given, the fallback
 * (table, schema or server default) applies. 1115 unknown charset, 1273 unknown collation,
 * 1253 mismatch.
 * @req CORE-CAT-006
 */
export function resolveCharset(
  charset: string | undefined,
  collation: string | undefined,
  fallback: { charset: string; collation: string },
): { charset: string; collation: string } {
  if (charset === undefined && collation === undefined) return fallback;
  if (charset !== undefined && charset.toLowerCase() !== 'binary' && !findCharset(charset)) {
    throw sqlError('ER_UNKNOWN_CHARACTER_SET', charset);
  }
  return resolveCharsetCollation(charset, collation);
}
