/**
 * The character sets and collations the dictionary knows about: enough to resolve column
 * charsets/collations, size keys and rows (bytes per character), and fill SHOW CHARACTER SET /
 * SHOW COLLATION and their information_schema tables. The types helper owns comparison
 * semantics (src/sql/charset); this table only holds the dictionary facts.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/charset-charsets.html
 * @req CORE-CAT-006
 */
import { sqlError } from '../sql/errors.js';

export interface CharsetInfo {
  name: string;
  description: string;
  defaultCollation: string;
  maxLen: number;
}

export interface CollationInfo {
  name: string;
  charset: string;
  id: number;
  isDefault: boolean;
  compiled: boolean;
  sortlen: number;
  padAttribute: 'PAD SPACE' | 'NO PAD';
}

export const CHARSETS: readonly CharsetInfo[] = [
  { name: 'armscii8', description: 'ARMSCII-8 Armenian', defaultCollation: 'armscii8_general_ci', maxLen: 1 },
  { name: 'ascii', description: 'US ASCII', defaultCollation: 'ascii_general_ci', maxLen: 1 },
  { name: 'big5', description: 'Big5 Traditional Chinese', defaultCollation: 'big5_chinese_ci', maxLen: 2 },
  { name: 'binary', description: 'Binary pseudo charset', defaultCollation: 'binary', maxLen: 1 },
  { name: 'cp1250', description: 'Windows Central European', defaultCollation: 'cp1250_general_ci', maxLen: 1 },
  { name: 'cp1251', description: 'Windows Cyrillic', defaultCollation: 'cp1251_general_ci', maxLen: 1 },
  { name: 'cp1256', description: 'Windows Arabic', defaultCollation: 'cp1256_general_ci', maxLen: 1 },
  { name: 'cp1257', description: 'Windows Baltic', defaultCollation: 'cp1257_general_ci', maxLen: 1 },
  { name: 'cp850', description: 'DOS West European', defaultCollation: 'cp850_general_ci', maxLen: 1 },
  { name: 'cp852', description: 'DOS Central European', defaultCollation: 'cp852_general_ci', maxLen: 1 },
  { name: 'cp866', description: 'DOS Russian', defaultCollation: 'cp866_general_ci', maxLen: 1 },
  { name: 'cp932', description: 'SJIS for Windows Japanese', defaultCollation: 'cp932_japanese_ci', maxLen: 2 },
  { name: 'dec8', description: 'DEC West European', defaultCollation: 'dec8_swedish_ci', maxLen: 1 },
  { name: 'eucjpms', description: 'UJIS for Windows Japanese', defaultCollation: 'eucjpms_japanese_ci', maxLen: 3 },
  { name: 'euckr', description: 'EUC-KR Korean', defaultCollation: 'euckr_korean_ci', maxLen: 2 },
  { name: 'gb18030', description: 'China National Standard GB18030', defaultCollation: 'gb18030_chinese_ci', maxLen: 4 },
  { name: 'gb2312', description: 'GB2312 Simplified Chinese', defaultCollation: 'gb2312_chinese_ci', maxLen: 2 },
  { name: 'gbk', description: 'GBK Simplified Chinese', defaultCollation: 'gbk_chinese_ci', maxLen: 2 },
  { name: 'geostd8', description: 'GEOSTD8 Georgian', defaultCollation: 'geostd8_general_ci', maxLen: 1 },
  { name: 'greek', description: 'ISO 8859-7 Greek', defaultCollation: 'greek_general_ci', maxLen: 1 },
  { name: 'hebrew', description: 'ISO 8859-8 Hebrew', defaultCollation: 'hebrew_general_ci', maxLen: 1 },
  { name: 'hp8', description: 'HP West European', defaultCollation: 'hp8_english_ci', maxLen: 1 },
  { name: 'keybcs2', description: 'DOS Kamenicky Czech-Slovak', defaultCollation: 'keybcs2_general_ci', maxLen: 1 },
  { name: 'koi8r', description: 'KOI8-R Relcom Russian', defaultCollation: 'koi8r_general_ci', maxLen: 1 },
  { name: 'koi8u', description: 'KOI8-U Ukrainian', defaultCollation: 'koi8u_general_ci', maxLen: 1 },
  { name: 'latin1', description: 'cp1252 West European', defaultCollation: 'latin1_swedish_ci', maxLen: 1 },
  { name: 'latin2', description: 'ISO 8859-2 Central European', defaultCollation: 'latin2_general_ci', maxLen: 1 },
  { name: 'latin5', description: 'ISO 8859-9 Turkish', defaultCollation: 'latin5_turkish_ci', maxLen: 1 },
  { name: 'latin7', description: 'ISO 8859-13 Baltic', defaultCollation: 'latin7_general_ci', maxLen: 1 },
  { name: 'macce', description: 'Mac Central European', defaultCollation: 'macce_general_ci', maxLen: 1 },
  { name: 'macroman', description: 'Mac West European', defaultCollation: 'macroman_general_ci', maxLen: 1 },
  { name: 'sjis', description: 'Shift-JIS Japanese', defaultCollation: 'sjis_japanese_ci', maxLen: 2 },
  { name: 'swe7', description: '7bit Swedish', defaultCollation: 'swe7_swedish_ci', maxLen: 1 },
  { name: 'tis620', description: 'TIS620 Thai', defaultCollation: 'tis620_thai_ci', maxLen: 1 },
  { name: 'ucs2', description: 'UCS-2 Unicode', defaultCollation: 'ucs2_general_ci', maxLen: 2 },
  { name: 'ujis', description: 'EUC-JP Japanese', defaultCollation: 'ujis_japanese_ci', maxLen: 3 },
  { name: 'utf16', description: 'UTF-16 Unicode', defaultCollation: 'utf16_general_ci', maxLen: 4 },
  { name: 'utf16le', description: 'UTF-16LE Unicode', defaultCollation: 'utf16le_general_ci', maxLen: 4 },
  { name: 'utf32', description: 'UTF-32 Unicode', defaultCollation: 'utf32_general_ci', maxLen: 4 },
  { name: 'utf8mb3', description: 'UTF-8 Unicode', defaultCollation: 'utf8mb3_general_ci', maxLen: 3 },
  { name: 'utf8mb4', description: 'UTF-8 Unicode', defaultCollation: 'utf8mb4_0900_ai_ci', maxLen: 4 },
];

/** [name, charset, id, sortlen, pad] of the collations we list; the default ones are marked by CHARSETS. */
const COLLATION_ROWS: readonly [string, string, number, number, 'PAD SPACE' | 'NO PAD'][] = [
  ['armscii8_general_ci', 'armscii8', 32, 1, 'PAD SPACE'],
  ['ascii_general_ci', 'ascii', 11, 1, 'PAD SPACE'],
  ['ascii_bin', 'ascii', 65, 1, 'PAD SPACE'],
  ['big5_chinese_ci', 'big5', 1, 1, 'PAD SPACE'],
  ['binary', 'binary', 63, 1, 'NO PAD'],
  ['cp1250_general_ci', 'cp1250', 26, 1, 'PAD SPACE'],
  ['cp1251_general_ci', 'cp1251', 51, 1, 'PAD SPACE'],
  ['cp1256_general_ci', 'cp1256', 57, 1, 'PAD SPACE'],
  ['cp1257_general_ci', 'cp1257', 59, 1, 'PAD SPACE'],
  ['cp850_general_ci', 'cp850', 4, 1, 'PAD SPACE'],
  ['cp852_general_ci', 'cp852', 40, 1, 'PAD SPACE'],
  ['cp866_general_ci', 'cp866', 36, 1, 'PAD SPACE'],
  ['cp932_japanese_ci', 'cp932', 95, 1, 'PAD SPACE'],
  ['dec8_swedish_ci', 'dec8', 3, 1, 'PAD SPACE'],
  ['eucjpms_japanese_ci', 'eucjpms', 97, 1, 'PAD SPACE'],
  ['euckr_korean_ci', 'euckr', 19, 1, 'PAD SPACE'],
  ['gb18030_chinese_ci', 'gb18030', 248, 2, 'PAD SPACE'],
  ['gb2312_chinese_ci', 'gb2312', 24, 1, 'PAD SPACE'],
  ['gbk_chinese_ci', 'gbk', 28, 1, 'PAD SPACE'],
  ['geostd8_general_ci', 'geostd8', 92, 1, 'PAD SPACE'],
  ['greek_general_ci', 'greek', 25, 1, 'PAD SPACE'],
  ['hebrew_general_ci', 'hebrew', 16, 1, 'PAD SPACE'],
  ['hp8_english_ci', 'hp8', 6, 1, 'PAD SPACE'],
  ['keybcs2_general_ci', 'keybcs2', 37, 1, 'PAD SPACE'],
  ['koi8r_general_ci', 'koi8r', 7, 1, 'PAD SPACE'],
  ['koi8u_general_ci', 'koi8u', 22, 1, 'PAD SPACE'],
  ['latin1_swedish_ci', 'latin1', 8, 1, 'PAD SPACE'],
  ['latin1_general_ci', 'latin1', 48, 1, 'PAD SPACE'],
  ['latin1_general_cs', 'latin1', 49, 1, 'PAD SPACE'],
  ['latin1_bin', 'latin1', 47, 1, 'PAD SPACE'],
  ['latin2_general_ci', 'latin2', 9, 1, 'PAD SPACE'],
  ['latin5_turkish_ci', 'latin5', 30, 1, 'PAD SPACE'],
  ['latin7_general_ci', 'latin7', 41, 1, 'PAD SPACE'],
  ['macce_general_ci', 'macce', 38, 1, 'PAD SPACE'],
  ['macroman_general_ci', 'macroman', 39, 1, 'PAD SPACE'],
  ['sjis_japanese_ci', 'sjis', 13, 1, 'PAD SPACE'],
  ['swe7_swedish_ci', 'swe7', 10, 1, 'PAD SPACE'],
  ['tis620_thai_ci', 'tis620', 18, 4, 'PAD SPACE'],
  ['ucs2_general_ci', 'ucs2', 35, 1, 'PAD SPACE'],
  ['ujis_japanese_ci', 'ujis', 12, 1, 'PAD SPACE'],
  ['utf16_general_ci', 'utf16', 54, 1, 'PAD SPACE'],
  ['utf16le_general_ci', 'utf16le', 56, 1, 'PAD SPACE'],
  ['utf32_general_ci', 'utf32', 60, 1, 'PAD SPACE'],
  ['utf8mb3_general_ci', 'utf8mb3', 33, 1, 'PAD SPACE'],
  ['utf8mb3_bin', 'utf8mb3', 83, 1, 'PAD SPACE'],
  ['utf8mb3_unicode_ci', 'utf8mb3', 192, 8, 'PAD SPACE'],
  ['utf8mb4_general_ci', 'utf8mb4', 45, 1, 'PAD SPACE'],
  ['utf8mb4_bin', 'utf8mb4', 46, 1, 'PAD SPACE'],
  ['utf8mb4_unicode_ci', 'utf8mb4', 224, 8, 'PAD SPACE'],
  ['utf8mb4_0900_ai_ci', 'utf8mb4', 255, 0, 'NO PAD'],
  ['utf8mb4_0900_as_ci', 'utf8mb4', 305, 0, 'NO PAD'],
  ['utf8mb4_0900_as_cs', 'utf8mb4', 278, 0, 'NO PAD'],
  ['utf8mb4_0900_bin', 'utf8mb4', 309, 1, 'NO PAD'],
];

const charsetByName = new Map(CHARSETS.map((c) => [c.name, c]));

export const COLLATIONS: readonly CollationInfo[] = COLLATION_ROWS.map(([name, charset, id, sortlen, pad]) => ({
  name,
  charset,
  id,
  sortlen,
  padAttribute: pad,
  compiled: true,
  isDefault: charsetByName.get(charset)?.defaultCollation === name,
}));

const collationByName = new Map(COLLATIONS.map((c) => [c.name, c]));

/** Server defaults (character_set_server / collation_server in 8.0). */
export const SERVER_DEFAULT_CHARSET = 'utf8mb4';
export const SERVER_DEFAULT_COLLATION = 'utf8mb4_0900_ai_ci';

/** Normalise charset aliases (`utf8` means utf8mb3 in 8.0). */
export function normaliseCharsetName(name: string): string {
  const l = name.toLowerCase();
  return l === 'utf8' ? 'utf8mb3' : l;
}

export function normaliseCollationName(name: string): string {
  const l = name.toLowerCase();
  return l.startsWith('utf8_') ? 'utf8mb3_' + l.slice(5) : l;
}

export function charsetInfo(name: string): CharsetInfo | undefined {
  return charsetByName.get(normaliseCharsetName(name));
}

export function collationInfo(name: string): CollationInfo | undefined {
  return collationByName.get(normaliseCollationName(name));
}

/** Bytes per character of a charset (1 when unknown). */
export function maxBytesPerChar(charset: string | undefined): number {
  if (!charset) return 1;
  return charsetInfo(charset)?.maxLen ?? 1;
}

/**
 * Resolve a (charset, collation) pair written in DDL against a fallback pair: 1115 for an unknown
 * charset, 1273 for an unknown collation, 1253 when they do not belong together.
 * @req CORE-CAT-006
 */
export function resolveCharset(
  charset: string | undefined,
  collation: string | undefined,
  fallback: { charset: string; collation: string },
): { charset: string; collation: string } {
  let cs: CharsetInfo | undefined;
  if (charset !== undefined) {
    cs = charsetInfo(charset);
    if (!cs) throw sqlError('ER_UNKNOWN_CHARACTER_SET', charset);
  }
  if (collation !== undefined) {
    const co = collationInfo(collation);
    if (!co) throw sqlError('ER_UNKNOWN_COLLATION', collation);
    if (cs && co.charset !== cs.name) throw sqlError('ER_COLLATION_CHARSET_MISMATCH', co.name, cs.name);
    return { charset: co.charset, collation: co.name };
  }
  if (cs) return { charset: cs.name, collation: cs.defaultCollation };
  return fallback;
}

/** Charset id for result-set metadata (the collation id). */
export function collationId(collation: string | undefined): number {
  if (!collation) return 63;
  return collationInfo(collation)?.id ?? 255;
}
