/**
 * Collation catalogue and rules: ids and attributes, language orders taken from MySQL's result
 * files, _bin byte/code-point order, PAD SPACE, and sort keys that agree with comparison.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { req } from '../../helpers/req.js';
import {
  CHARSETS, COLLATIONS, collationById, compareStrings, decode, encode, findCollation, foldForMatch, isCaseInsensitive, sortKey,
} from '../../../src/kernel/charset/index.js';

const sign = (n: number): number => (n < 0 ? -1 : n > 0 ? 1 : 0);

describe('collation catalogue', () => {
  it(req(['CORE-CS-001', 'CORE-CS-002'], 'unit', 'every charset has exactly one default collation of its own; ids are unique'), () => {
    expect(CHARSETS).toHaveLength(41);
    expect(COLLATIONS).toHaveLength(286);
    expect(new Set(COLLATIONS.map((c) => c.id)).size).toBe(286);
    for (const cs of CHARSETS) {
      const defs = COLLATIONS.filter((c) => c.charset === cs.name && c.isDefault);
      expect(defs.map((c) => c.name), cs.name).toEqual([cs.defaultCollation]);
    }
    const ids: [number, string][] = [
      [1, 'big5_chinese_ci'], [2, 'latin2_czech_cs'], [5, 'latin1_german1_ci'], [15, 'latin1_danish_ci'], [31, 'latin1_german2_ci'],
      [76, 'utf8mb3_tolower_ci'], [94, 'latin1_spanish_ci'], [99, 'cp1250_polish_ci'], [101, 'utf16_unicode_ci'], [128, 'ucs2_unicode_ci'],
      [159, 'ucs2_general_mysql500_ci'], [160, 'utf32_unicode_ci'], [192, 'utf8mb3_unicode_ci'], [224, 'utf8mb4_unicode_ci'],
      [242, 'utf8mb4_hungarian_ci'], [247, 'utf8mb4_vietnamese_ci'], [248, 'gb18030_chinese_ci'], [250, 'gb18030_unicode_520_ci'],
      [256, 'utf8mb4_de_pb_0900_ai_ci'], [277, 'utf8mb4_vi_0900_ai_ci'], [298, 'utf8mb4_hr_0900_as_cs'], [304, 'utf8mb4_ja_0900_as_cs_ks'],
      [305, 'utf8mb4_0900_as_ci'], [308, 'utf8mb4_zh_0900_as_cs'], [323, 'utf8mb4_mn_cyrl_0900_as_cs'],
    ];
    for (const [id, name] of ids) expect(collationById(id)?.name).toBe(name);
    expect(findCollation('utf8_danish_ci')?.name).toBe('utf8mb3_danish_ci');
  });

  it(req(['CORE-CS-003'], 'unit', 'only the UCA 9.0.0 collations and binary are NO PAD; sort lengths follow MySQL'), () => {
    const noPad = COLLATIONS.filter((c) => c.pad === 'NO PAD').map((c) => c.name);
    expect(noPad.every((n) => n === 'binary' || n.includes('_0900_'))).toBe(true);
    expect(noPad).toHaveLength(64);
    expect(findCollation('latin1_german2_ci')?.sortlen).toBe(2);
    expect(findCollation('latin2_czech_cs')?.sortlen).toBe(4);
    expect(findCollation('tis620_thai_ci')?.sortlen).toBe(4);
    expect(findCollation('utf8mb4_0900_ai_ci')?.sortlen).toBe(0);
    expect(findCollation('utf32_polish_ci')?.sortlen).toBe(8);
    expect(findCollation('sjis_bin')?.sortlen).toBe(1);
  });
});

describe('collation rules', () => {
  it(req(['CORE-CS-021'], 'unit', 'latin1_german2_ci orders and equates as in MySQL (ä = ae, ß = ss, ü = ue)'), () => {
    // ORDER BY a from mysql-test ctype_latin1_de: '=' marks a value equal to the one before it
    const expected = 'a =a ac ad ä =ae ää =aeae ääa aeb Äc é =É eä o oc od ö =oe Öa oeb Öc öo q s ss =ß ssa =ßa ßb ssc u uc ud ue =Ü ueb üc uf uü'.split(' ');
    const vals = expected.map((v) => v.replace(/^=/, ''));
    for (let i = 1; i < expected.length; i++) {
      const want = expected[i]!.startsWith('=') ? 0 : -1;
      expect(compareStrings(vals[i - 1]!, vals[i]!, 'latin1_german2_ci'), `${vals[i - 1]} vs ${vals[i]}`).toBe(want);
    }
    const co = 'latin1_german2_ci';
    expect([compareStrings('ä', 'af', co), compareStrings('ss', 'ßa', co), compareStrings('ö', 'oö', co), compareStrings('sä', 'ßa', co)]).toEqual([-1, -1, -1, -1]);
    expect([compareStrings('ßa', 'ss', co), compareStrings('u', 'öa', co), compareStrings('aeq', 'ää', co)]).toEqual([1, 1, 1]);
    // LIKE compares one character with one character: ö matches Ö but not oe
    expect(foldForMatch('ö', co)).toBe(foldForMatch('Ö', co));
    expect(foldForMatch('ä', co)).not.toBe(foldForMatch('a', co));
    expect(foldForMatch('Á', co)).toBe(foldForMatch('a', co));
  });

  it(req(['CORE-CS-020', 'CORE-CS-021'], 'unit', 'swedish, danish, german1 and spanish rules of latin1'), () => {
    expect(compareStrings('ü', 'y', 'latin1_swedish_ci')).toBe(0);
    expect(compareStrings('Å', 'z', 'latin1_swedish_ci')).toBe(1);
    expect(compareStrings('é', 'E', 'latin1_swedish_ci')).toBe(0);
    const danish = ['Å', 'Ø', 'Æ', 'Z', 'A'].sort((a, b) => compareStrings(a, b, 'latin1_danish_ci'));
    expect(danish).toEqual(['A', 'Z', 'Æ', 'Ø', 'Å']);
    expect(compareStrings('Ä', 'Æ', 'latin1_danish_ci')).toBe(0);
    expect(compareStrings('ä', 'a', 'latin1_german1_ci')).toBe(0);
    expect(compareStrings('ß', 's', 'latin1_german1_ci')).toBe(0);
    expect(compareStrings('ñ', 'n', 'latin1_spanish_ci')).toBe(1);
    expect(compareStrings('ñ', 'o', 'latin1_spanish_ci')).toBe(-1);
    expect(compareStrings('a', 'A', 'latin1_general_cs')).not.toBe(0);
    expect(compareStrings('ж', 'Ж', 'cp1251_general_ci')).toBe(0);
    expect(compareStrings('ж', 'Ж', 'cp1251_general_cs')).not.toBe(0);
    expect(compareStrings('ł', 'Ł', 'latin2_general_ci')).toBe(0);
    expect(isCaseInsensitive('koi8r_general_ci')).toBe(true);
    expect(isCaseInsensitive('latin7_general_cs')).toBe(false);
  });

  it(req(['CORE-CS-022'], 'unit', '_bin collations order by the bytes of their charset; the Unicode ones by code point'), () => {
    // Ж is 0xF6 in koi8r and 0xC6 in cp1251; я is 0xD1 in koi8r and 0xFF in cp1251
    expect(compareStrings('Ж', 'я', 'koi8r_bin')).toBe(1);
    expect(compareStrings('Ж', 'я', 'cp1251_bin')).toBe(-1);
    expect(compareStrings('a', 'A', 'latin2_bin')).toBe(1);
    // 中 D6D0 > 文 CEC4 in gbk, although U+4E2D < U+6587
    expect(compareStrings('中', '文', 'gbk_bin')).toBe(1);
    expect(compareStrings('中', '文', 'utf8mb4_bin')).toBe(-1);
    // U+FF61 < U+1F600 by code point, though its UTF-16 unit is larger than the high surrogate
    expect(compareStrings('\uff61', '😀', 'utf16_bin')).toBe(-1);
    expect(compareStrings('\uff61', '😀', 'utf32_bin')).toBe(-1);
  });

  it(req(['CORE-CS-025'], 'unit', 'east-asian *_ci collations fold ASCII case and otherwise compare bytes'), () => {
    expect(compareStrings('abc', 'ABC', 'gbk_chinese_ci')).toBe(0);
    expect(compareStrings('中', '文', 'gbk_chinese_ci')).toBe(1);
    expect(compareStrings('ｱ', 'ア', 'sjis_japanese_ci')).not.toBe(0);
    expect(isCaseInsensitive('big5_chinese_ci')).toBe(true);
    expect(foldForMatch('aB中', 'gbk_chinese_ci')).toBe('AB中');
  });

  it(req(['CORE-CS-027'], 'unit', 'UCA 4.0.0/5.2.0 collations expand ß to ss and ignore accents; general_ci equates ß with s'), () => {
    for (const co of ['utf8mb4_unicode_ci', 'utf8mb3_unicode_520_ci', 'utf16_unicode_ci', 'ucs2_german2_ci', 'utf32_unicode_ci']) {
      expect(compareStrings('Straße', 'STRASSE', co), co).toBe(0);
      expect(compareStrings('é ', 'E', co), co).toBe(0);
      expect(compareStrings('a', 'b', co), co).toBe(-1);
    }
    expect(compareStrings('ß', 's', 'utf8mb4_general_ci')).toBe(0);
    expect(compareStrings('ß', 'ss', 'utf8mb4_general_ci')).toBe(-1);
    expect(compareStrings('ß', 's', 'utf8mb4_unicode_ci')).toBe(1);
  });

  it(req(['CORE-CS-024'], 'unit', 'PAD SPACE ignores trailing spaces, NO PAD does not'), () => {
    expect(compareStrings('a ', 'a', 'latin2_general_ci')).toBe(0);
    expect(compareStrings('a ', 'a', 'gbk_bin')).toBe(0);
    expect(sortKey('a  ', 'cp1251_general_ci')).toBe(sortKey('A', 'cp1251_general_ci'));
    expect(compareStrings('a ', 'a', 'utf8mb4_0900_bin')).toBe(1);
    expect(compareStrings('a ', 'a', 'utf8mb4_de_pb_0900_ai_ci')).toBe(1);
  });

  it(req(['CORE-CS-026'], 'unit', 'sortKey agrees with compareStrings in every collation (equality and order)'), () => {
    for (const co of COLLATIONS) {
      const cs = co.charset;
      // text the charset can hold, drawn through its own codec
      const text = fc.uint8Array({ maxLength: 8 }).map((a) => decode(encode(decode(Buffer.from(a), cs), cs), cs));
      const small = fc.constantFrom('a', 'A', 'ä', 'Ä', 'ae', 'ß', 'ss', ' ', 'é', 'Ж', 'ж', '中', 'b ', 'ü', 'y').map((s) => decode(encode(s, cs), cs));
      const str = fc.oneof(text, fc.array(small, { maxLength: 4 }).map((x) => x.join('')));
      fc.assert(
        fc.property(str, str, (a, b) => {
          const c = compareStrings(a, b, co.name);
          const ka = sortKey(a, co.name), kb = sortKey(b, co.name);
          expect(ka === kb, `${co.name} ${JSON.stringify(a)} ${JSON.stringify(b)}`).toBe(c === 0);
          expect(compareStrings(b, a, co.name)).toBe(c === 0 ? 0 : -c);
          if (['table', 'table_cs', 'bytes', 'mb_ci'].includes(co.rule)) expect(sign(ka < kb ? -1 : ka > kb ? 1 : 0)).toBe(c);
        }),
        { numRuns: 25 },
      );
    }
  });
});
