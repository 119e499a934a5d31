/**
 * The character sets and collations refmysql knows, with the attributes that SHOW CHARACTER SET,
 * SHOW COLLATION and information_schema report: MySQL 8.0's 41 character sets and its 286
 * collations with their real ids, default flags, sort lengths and pad attributes.
 *
 * Each collation also names the comparison `rule` that compareStrings/sortKey apply; several
 * language collations share one rule (see spec/core-charsets.md, decisions).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/charset-charsets.html
 * @req CORE-TYPE-010 CORE-TYPE-011 CORE-CS-001 CORE-CS-002 CORE-CS-003 CORE-CS-004
 */
import { SBCS_WEIGHTS } from './sbcs-data.js';

export interface CharsetInfo {
  name: string;
  description: string;
  defaultCollation: string;
  /** Maximum bytes per character. */
  maxlen: number;
}

/**
 * How strings compare under a collation:
 * - `uca_ai_ci` / `uca_as_cs`: the UCA collations (platform collator approximation; the
 *   UCA 4.0.0/5.2.0 ones are PAD SPACE and share `uca_ai_ci`);
 * - `general_ci` / `ascii_ci` / `swedish_ci`: per-character folds on Unicode text;
 * - `bin`: code point order (the _bin collations of the Unicode charsets);
 * - `binary`: bytes of the binary pseudo charset;
 * - `bytes`: bytes of the text encoded in the collation's charset (other _bin collations);
 * - `table`: one weight table per byte of a single-byte charset (sbcs-data.ts);
 * - `table_cs`: the charset's general_ci table, ties broken by the bytes (the czech_cs ones);
 * - `mb_ci`: ASCII letters fold to upper case, then the encoded bytes (east-asian *_ci).
 */
export type CollationRule = 'uca_ai_ci' | 'uca_as_cs' | 'bin' | 'general_ci' | 'swedish_ci' | 'binary' | 'ascii_ci' | 'bytes' | 'table' | 'table_cs' | 'mb_ci';

export interface CollationInfo {
  name: string;
  charset: string;
  id: number;
  isDefault: boolean;
  compiled: boolean;
  sortlen: number;
  pad: 'PAD SPACE' | 'NO PAD';
  /** How strings compare: drives compareStrings/sortKey. */
  rule: CollationRule;
}

/** The Unicode charsets, whose text is ordered by code point under _bin. */
export const UNICODE_CHARSETS: ReadonlySet<string> = new Set(['utf8mb3', 'utf8mb4', 'ucs2', 'utf16', 'utf16le', 'utf32']);

/** @req CORE-TYPE-010 CORE-CS-001 */
export const CHARSETS: readonly CharsetInfo[] = (
  [
    ['armscii8', 'ARMSCII-8 Armenian', 'armscii8_general_ci', 1],
    ['ascii', 'US ASCII', 'ascii_general_ci', 1],
    ['big5', 'Big5 Traditional Chinese', 'big5_chinese_ci', 2],
    ['binary', 'Binary pseudo charset', 'binary', 1],
    ['cp1250', 'Windows Central European', 'cp1250_general_ci', 1],
    ['cp1251', 'Windows Cyrillic', 'cp1251_general_ci', 1],
    ['cp1256', 'Windows Arabic', 'cp1256_general_ci', 1],
    ['cp1257', 'Windows Baltic', 'cp1257_general_ci', 1],
    ['cp850', 'DOS West European', 'cp850_general_ci', 1],
    ['cp852', 'DOS Central European', 'cp852_general_ci', 1],
    ['cp866', 'DOS Russian', 'cp866_general_ci', 1],
    ['cp932', 'SJIS for Windows Japanese', 'cp932_japanese_ci', 2],
    ['dec8', 'DEC West European', 'dec8_swedish_ci', 1],
    ['eucjpms', 'UJIS for Windows Japanese', 'eucjpms_japanese_ci', 3],
    ['euckr', 'EUC-KR Korean', 'euckr_korean_ci', 2],
    ['gb18030', 'China National Standard GB18030', 'gb18030_chinese_ci', 4],
    ['gb2312', 'GB2312 Simplified Chinese', 'gb2312_chinese_ci', 2],
    ['gbk', 'GBK Simplified Chinese', 'gbk_chinese_ci', 2],
    ['geostd8', 'GEOSTD8 Georgian', 'geostd8_general_ci', 1],
    ['greek', 'ISO 8859-7 Greek', 'greek_general_ci', 1],
    ['hebrew', 'ISO 8859-8 Hebrew', 'hebrew_general_ci', 1],
    ['hp8', 'HP West European', 'hp8_english_ci', 1],
    ['keybcs2', 'DOS Kamenicky Czech-Slovak', 'keybcs2_general_ci', 1],
    ['koi8r', 'KOI8-R Relcom Russian', 'koi8r_general_ci', 1],
    ['koi8u', 'KOI8-U Ukrainian', 'koi8u_general_ci', 1],
    ['latin1', 'cp1252 West European', 'latin1_swedish_ci', 1],
    ['latin2', 'ISO 8859-2 Central European', 'latin2_general_ci', 1],
    ['latin5', 'ISO 8859-9 Turkish', 'latin5_turkish_ci', 1],
    ['latin7', 'ISO 8859-13 Baltic', 'latin7_general_ci', 1],
    ['macce', 'Mac Central European', 'macce_general_ci', 1],
    ['macroman', 'Mac West European', 'macroman_general_ci', 1],
    ['sjis', 'Shift-JIS Japanese', 'sjis_japanese_ci', 2],
    ['swe7', '7bit Swedish', 'swe7_swedish_ci', 1],
    ['tis620', 'TIS620 Thai', 'tis620_thai_ci', 1],
    ['ucs2', 'UCS-2 Unicode', 'ucs2_general_ci', 2],
    ['ujis', 'EUC-JP Japanese', 'ujis_japanese_ci', 3],
    ['utf16', 'UTF-16 Unicode', 'utf16_general_ci', 4],
    ['utf16le', 'UTF-16LE Unicode', 'utf16le_general_ci', 4],
    ['utf32', 'UTF-32 Unicode', 'utf32_general_ci', 4],
    ['utf8mb3', 'UTF-8 Unicode', 'utf8mb3_general_ci', 3],
    ['utf8mb4', 'UTF-8 Unicode', 'utf8mb4_0900_ai_ci', 4],
  ] as const
).map(([name, description, defaultCollation, maxlen]) => ({ name, description, defaultCollation, maxlen }));

/** Collations with ids below 100 (and the gb18030 ones): [id, name]. */
const PLAIN: readonly (readonly [number, string])[] = [
  [1, 'big5_chinese_ci'], [2, 'latin2_czech_cs'], [3, 'dec8_swedish_ci'], [4, 'cp850_general_ci'], [5, 'latin1_german1_ci'],
  [6, 'hp8_english_ci'], [7, 'koi8r_general_ci'], [8, 'latin1_swedish_ci'], [9, 'latin2_general_ci'], [10, 'swe7_swedish_ci'],
  [11, 'ascii_general_ci'], [12, 'ujis_japanese_ci'], [13, 'sjis_japanese_ci'], [14, 'cp1251_bulgarian_ci'], [15, 'latin1_danish_ci'],
  [16, 'hebrew_general_ci'], [18, 'tis620_thai_ci'], [19, 'euckr_korean_ci'], [20, 'latin7_estonian_cs'], [21, 'latin2_hungarian_ci'],
  [22, 'koi8u_general_ci'], [23, 'cp1251_ukrainian_ci'], [24, 'gb2312_chinese_ci'], [25, 'greek_general_ci'], [26, 'cp1250_general_ci'],
  [27, 'latin2_croatian_ci'], [28, 'gbk_chinese_ci'], [29, 'cp1257_lithuanian_ci'], [30, 'latin5_turkish_ci'], [31, 'latin1_german2_ci'],
  [32, 'armscii8_general_ci'], [33, 'utf8mb3_general_ci'], [34, 'cp1250_czech_cs'], [35, 'ucs2_general_ci'], [36, 'cp866_general_ci'],
  [37, 'keybcs2_general_ci'], [38, 'macce_general_ci'], [39, 'macroman_general_ci'], [40, 'cp852_general_ci'], [41, 'latin7_general_ci'],
  [42, 'latin7_general_cs'], [43, 'macce_bin'], [44, 'cp1250_croatian_ci'], [45, 'utf8mb4_general_ci'], [46, 'utf8mb4_bin'],
  [47, 'latin1_bin'], [48, 'latin1_general_ci'], [49, 'latin1_general_cs'], [50, 'cp1251_bin'], [51, 'cp1251_general_ci'],
  [52, 'cp1251_general_cs'], [53, 'macroman_bin'], [54, 'utf16_general_ci'], [55, 'utf16_bin'], [56, 'utf16le_general_ci'],
  [57, 'cp1256_general_ci'], [58, 'cp1257_bin'], [59, 'cp1257_general_ci'], [60, 'utf32_general_ci'], [61, 'utf32_bin'],
  [62, 'utf16le_bin'], [63, 'binary'], [64, 'armscii8_bin'], [65, 'ascii_bin'], [66, 'cp1250_bin'],
  [67, 'cp1256_bin'], [68, 'cp866_bin'], [69, 'dec8_bin'], [70, 'greek_bin'], [71, 'hebrew_bin'],
  [72, 'hp8_bin'], [73, 'keybcs2_bin'], [74, 'koi8r_bin'], [75, 'koi8u_bin'], [76, 'utf8mb3_tolower_ci'],
  [77, 'latin2_bin'], [78, 'latin5_bin'], [79, 'latin7_bin'], [80, 'cp850_bin'], [81, 'cp852_bin'],
  [82, 'swe7_bin'], [83, 'utf8mb3_bin'], [84, 'big5_bin'], [85, 'euckr_bin'], [86, 'gb2312_bin'],
  [87, 'gbk_bin'], [88, 'sjis_bin'], [89, 'tis620_bin'], [90, 'ucs2_bin'], [91, 'ujis_bin'],
  [92, 'geostd8_general_ci'], [93, 'geostd8_bin'], [94, 'latin1_spanish_ci'], [95, 'cp932_japanese_ci'], [96, 'cp932_bin'],
  [97, 'eucjpms_japanese_ci'], [98, 'eucjpms_bin'], [99, 'cp1250_polish_ci'],
  [159, 'ucs2_general_mysql500_ci'], [223, 'utf8mb3_general_mysql500_ci'],
  [248, 'gb18030_chinese_ci'], [249, 'gb18030_bin'], [250, 'gb18030_unicode_520_ci'],
];

/** The UCA 4.0.0/5.2.0 collations, in id order from each Unicode charset's base id. */
const UCA_LANGS = [
  'unicode', 'icelandic', 'latvian', 'romanian', 'slovenian', 'polish', 'estonian', 'spanish', 'swedish', 'turkish', 'czech', 'danish',
  'lithuanian', 'slovak', 'spanish2', 'roman', 'persian', 'esperanto', 'hungarian', 'sinhala', 'german2', 'croatian', 'unicode_520', 'vietnamese',
];
const UCA_BASE: readonly (readonly [string, number])[] = [['utf16', 101], ['ucs2', 128], ['utf32', 160], ['utf8mb3', 192], ['utf8mb4', 224]];

/** The UCA 9.0.0 language tailorings: locale and the ids of its _ai_ci and _as_cs collations. */
const UCA900: readonly (readonly [string, number, number])[] = [
  ['de_pb', 256, 279], ['is', 257, 280], ['lv', 258, 281], ['ro', 259, 282], ['sl', 260, 283], ['pl', 261, 284], ['et', 262, 285],
  ['es', 263, 286], ['sv', 264, 287], ['tr', 265, 288], ['cs', 266, 289], ['da', 267, 290], ['lt', 268, 291], ['sk', 269, 292],
  ['es_trad', 270, 293], ['la', 271, 294], ['eo', 273, 296], ['hu', 274, 297], ['hr', 275, 298], ['vi', 277, 300],
  ['nb', 310, 311], ['nn', 312, 313], ['sr_latn', 314, 315], ['bs', 316, 317], ['bg', 318, 319], ['gl', 320, 321], ['mn_cyrl', 322, 323],
];

function ruleFor(name: string, charset: string): CollationRule {
  if (name === 'binary') return 'binary';
  if (name.includes('_0900_')) return name.endsWith('_bin') ? 'bin' : name.includes('_as_cs') ? 'uca_as_cs' : 'uca_ai_ci';
  if (name.endsWith('_bin')) return UNICODE_CHARSETS.has(charset) ? 'bin' : 'bytes';
  if (name === 'ascii_general_ci') return 'ascii_ci';
  if (name.endsWith('_czech_cs')) return 'table_cs';
  if (SBCS_WEIGHTS[name] !== undefined) return 'table';
  // the UCA 4.0.0/5.2.0 collations: accent- and case-insensitive with expansions (ß = ss)
  if (/_(unicode|unicode_520)_ci$/.test(name) || (UNICODE_CHARSETS.has(charset) && !/_general_|_tolower_/.test(name))) return 'uca_ai_ci';
  if (UNICODE_CHARSETS.has(charset)) return 'general_ci';
  return 'mb_ci';
}

/** Sort length as SHOW COLLATION reports it (bytes of weight per character, roughly). */
function sortlenFor(name: string, rule: CollationRule): number {
  if (name === 'utf8mb4_0900_bin') return 1;
  if ((rule === 'uca_ai_ci' || rule === 'uca_as_cs') && name.includes('_0900_')) return 0;
  const special: Record<string, number> = { latin1_german2_ci: 2, latin2_czech_cs: 4, cp1250_czech_cs: 2, tis620_thai_ci: 4, gb18030_chinese_ci: 2, gb18030_unicode_520_ci: 8 };
  if (special[name] !== undefined) return special[name]!;
  if (/_(unicode|unicode_520|icelandic|latvian|romanian|slovenian|polish|estonian|spanish|swedish|turkish|czech|danish|lithuanian|slovak|spanish2|roman|persian|esperanto|hungarian|sinhala|german2|croatian|vietnamese)_ci$/.test(name) && /^(utf8mb3|utf8mb4|ucs2|utf16|utf32)_/.test(name)) return 8;
  return 1;
}

function make(id: number, name: string): CollationInfo {
  const charset = name === 'binary' ? 'binary' : name.slice(0, name.indexOf('_'));
  const rule = ruleFor(name, charset);
  const isDefault = CHARSETS.some((cs) => cs.defaultCollation === name);
  const pad = rule === 'binary' || name.includes('_0900_') ? 'NO PAD' : 'PAD SPACE';
  return { name, charset, id, isDefault, compiled: true, sortlen: sortlenFor(name, rule), pad, rule };
}

/** @req CORE-TYPE-011 CORE-CS-002 CORE-CS-003 */
export const COLLATIONS: readonly CollationInfo[] = (() => {
  const list: [number, string][] = PLAIN.map(([id, n]) => [id, n]);
  for (const [cs, base] of UCA_BASE) UCA_LANGS.forEach((lang, i) => list.push([base + i, `${cs}_${lang}_ci`]));
  list.push([255, 'utf8mb4_0900_ai_ci'], [278, 'utf8mb4_0900_as_cs'], [303, 'utf8mb4_ja_0900_as_cs'], [304, 'utf8mb4_ja_0900_as_cs_ks'],
    [305, 'utf8mb4_0900_as_ci'], [306, 'utf8mb4_ru_0900_ai_ci'], [307, 'utf8mb4_ru_0900_as_cs'], [308, 'utf8mb4_zh_0900_as_cs'], [309, 'utf8mb4_0900_bin']);
  for (const [loc, ai, cs] of UCA900) list.push([ai, `utf8mb4_${loc}_0900_ai_ci`], [cs, `utf8mb4_${loc}_0900_as_cs`]);
  return list.sort((a, b) => a[0] - b[0]).map(([id, n]) => make(id, n));
})();
