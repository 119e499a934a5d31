/**
 * Codecs of the 41 character sets: known byte values, '?' for unrepresentable characters,
 * round trips over each charset's repertoire and random bytes that never throw.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { req } from '../../helpers/req.js';
import { byteLength, CHARSETS, charLength, decode, encode, invalidBytesAt, isClientCharset, unrepresentableAt } from '../../../src/kernel/charset/index.js';

const hex = (s: string, cs: string): string => encode(s, cs).toString('hex').toUpperCase();
const bytes = (h: string): Buffer => Buffer.from(h, 'hex');

/** A pool of characters from many scripts, to draw each charset's repertoire from. */
const POOL: string[] = (() => {
  const out: string[] = [];
  const ranges: [number, number, number][] = [
    [0x20, 0x7e, 1], [0xa0, 0x24f, 1], [0x370, 0x3ff, 1], [0x400, 0x4ff, 1], [0x531, 0x58a, 1], [0x5d0, 0x5ea, 1], [0x600, 0x6ff, 3],
    [0xe01, 0xe5b, 1], [0x10d0, 0x10f6, 1], [0x2010, 0x2122, 1], [0x2460, 0x2473, 1], [0x3000, 0x30ff, 1], [0x4e00, 0x9fa5, 97],
    [0xac00, 0xd7a3, 211], [0xff01, 0xff9f, 1], [0x1f600, 0x1f60f, 1],
  ];
  for (const [a, b, step] of ranges) for (let cp = a; cp <= b; cp += step) out.push(String.fromCodePoint(cp));
  return out;
})();

function repertoire(cs: string): string[] {
  return POOL.filter((ch) => ch === '?' || decode(encode(ch, cs), cs) === ch);
}

describe('charset codecs', () => {
  it(req(['CORE-CS-010', 'CORE-CS-011'], 'unit', 'single-byte charsets encode to their code-page bytes'), () => {
    expect(hex('éŁ', 'latin2')).toBe('E9A3');
    expect(hex('€', 'latin1')).toBe('80');
    expect(hex('€', 'cp1250')).toBe('80');
    expect(hex('€', 'cp1251')).toBe('88');
    expect(hex('Жж', 'koi8r')).toBe('F6D6');
    expect(hex('Ж', 'cp1251')).toBe('C6');
    expect(hex('Ж', 'cp866')).toBe('86');
    expect(hex('Ω', 'greek')).toBe('D9');
    expect(hex('א', 'hebrew')).toBe('E0');
    expect(hex('ğ', 'latin5')).toBe('F0');
    expect(hex('ą', 'latin7')).toBe('E0');
    expect(hex('é', 'cp850')).toBe('82');
    expect(hex('ł', 'cp852')).toBe('88');
    expect(hex('é', 'macroman')).toBe('8E');
    expect(hex('Ą', 'macce')).toBe('84');
    expect(hex('Ա', 'armscii8')).toBe('B2');
    expect(hex('ก', 'tis620')).toBe('A1');
    expect(hex('ა', 'geostd8')).toBe('C0');
    expect(hex('Č', 'keybcs2')).toBe('80');
    expect(hex('é', 'dec8')).toBe('E9');
    expect(hex('Ä', 'swe7')).toBe('5B');
    expect(decode(bytes('E9A3'), 'latin2')).toBe('éŁ');
    expect(decode(bytes('80'), 'latin1')).toBe('€');
    expect(decode(bytes('81'), 'latin1')).toBe('\u0081');
  });

  it(req(['CORE-CS-016', 'CORE-CS-017'], 'unit', 'multi-byte and Unicode charsets encode to their documented bytes'), () => {
    expect(hex('中', 'gbk')).toBe('D6D0');
    expect(hex('中', 'gb2312')).toBe('D6D0');
    expect(hex('中', 'big5')).toBe('A4A4');
    expect(hex('中😀', 'gb18030')).toBe('D6D09439FC36');
    expect(hex('日', 'sjis')).toBe('93FA');
    expect(hex('日', 'cp932')).toBe('93FA');
    expect(hex('日', 'ujis')).toBe('C6FC');
    expect(hex('ﾃ', 'sjis')).toBe('C3');
    expect(hex('①', 'cp932')).toBe('8740');
    expect(hex('①', 'sjis')).toBe('3F');
    expect(hex('한', 'euckr')).toBe('C7D1');
    expect(hex('中', 'utf16')).toBe('4E2D');
    expect(hex('中', 'utf16le')).toBe('2D4E');
    expect(hex('中', 'utf32')).toBe('00004E2D');
    expect(hex('😀', 'utf16')).toBe('D83DDE00');
    expect(hex('😀', 'utf32')).toBe('0001F600');
    expect(hex('😀', 'ucs2')).toBe('003F');
    expect(hex('😀', 'utf8mb3')).toBe('3F');
    expect(hex('😀', 'utf8mb4')).toBe('F09F9880');
    expect([isClientCharset('utf16'), isClientCharset('ucs2'), isClientCharset('utf32'), isClientCharset('gbk'), isClientCharset('utf8')]).toEqual([false, false, false, true, true]);
    expect(decode(bytes('D6D0CEC4'), 'gbk')).toBe('中文');
    expect(decode(bytes('93FA967B'), 'sjis')).toBe('日本');
    expect(decode(bytes('D83DDE00'), 'utf16')).toBe('😀');
    expect(decode(bytes('0001F600'), 'utf32')).toBe('😀');
  });

  it(req(['CORE-CS-011', 'CORE-CS-015'], 'unit', "characters a charset lacks encode as '?' and are located by unrepresentableAt"), () => {
    expect(hex('a€b', 'latin2')).toBe('613F62');
    expect(hex('é', 'ascii')).toBe('3F');
    expect(hex('😀', 'gbk')).toBe('3F');
    expect(hex('Ж', 'latin1')).toBe('3F');
    expect(hex('中', 'koi8r')).toBe('3F');
    expect(unrepresentableAt('ab€c', 'latin2')).toBe(2);
    expect(unrepresentableAt('ab?c', 'latin2')).toBe(-1);
    expect(unrepresentableAt('Łódź', 'latin2')).toBe(-1);
    expect(unrepresentableAt('x😀', 'ucs2')).toBe(1);
    expect(unrepresentableAt('x😀', 'utf16')).toBe(-1);
    expect(invalidBytesAt(bytes('41D6D0FF81'), 'gbk')).toBe(3);
    expect(invalidBytesAt(bytes('41D6'), 'gbk')).toBe(1);
    expect(invalidBytesAt(bytes('93FAB1'), 'sjis')).toBe(-1);
    expect(invalidBytesAt(bytes('FF80'), 'latin2')).toBe(-1);
  });

  it(req(['CORE-CS-012'], 'unit', "invalid byte sequences decode as '?' without an exception"), () => {
    expect(decode(bytes('FF'), 'gbk')).toBe('?');
    expect(decode(bytes('D6'), 'gbk')).toBe('?');
    expect(decode(bytes('4E'), 'utf16')).toBe('?');
    expect(decode(bytes('DC00'), 'utf16')).toBe('?');
    expect(decode(bytes('00110000'), 'utf32')).toBe('?');
    expect(decode(bytes('D83D'), 'ucs2')).toBe('?');
    for (const cs of CHARSETS) {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 24 }), (a) => {
          const s = decode(Buffer.from(a), cs.name);
          expect(typeof s).toBe('string');
          if (cs.name !== 'binary' && cs.maxlen > 1) expect(charLength(Buffer.from(a), cs.name)).toBe([...s].length);
        }),
        { numRuns: 60 },
      );
    }
  });

  it(req(['CORE-CS-010', 'CORE-CS-014', 'CORE-CS-016', 'CORE-CS-017'], 'unit', 'every charset round-trips text drawn from its repertoire'), () => {
    for (const cs of CHARSETS) {
      const rep = repertoire(cs.name);
      expect(rep.length, cs.name).toBeGreaterThan(cs.name === 'ascii' || cs.name === 'swe7' ? 60 : 90);
      fc.assert(
        fc.property(fc.array(fc.constantFrom(...rep), { maxLength: 16 }), (chars) => {
          const s = chars.join('');
          const b = encode(s, cs.name);
          expect(decode(b, cs.name)).toBe(s);
          expect(byteLength(s, cs.name)).toBe(b.length);
          // the binary pseudo charset counts bytes, not characters
          expect(charLength(b, cs.name)).toBe(cs.name === 'binary' ? b.length : chars.length);
          if (cs.name !== 'binary') expect(b.length).toBeLessThanOrEqual(chars.length * cs.maxlen);
        }),
        { numRuns: 80 },
      );
    }
  });

  it(req(['CORE-CS-013'], 'unit', 'byteLength counts bytes in the charset for any text, representable or not'), () => {
    expect(byteLength('Łódź', 'latin2')).toBe(4);
    expect(byteLength('Łódź', 'utf8mb4')).toBe(7);
    expect(byteLength('ab', 'ucs2')).toBe(4);
    expect(byteLength('a😀', 'utf16')).toBe(6);
    expect(byteLength('a😀', 'utf32')).toBe(8);
    expect(byteLength('中a', 'gbk')).toBe(3);
    expect(byteLength('日ﾃ', 'sjis')).toBe(3);
    for (const cs of CHARSETS) {
      fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 12 }), (s) => byteLength(s, cs.name) === encode(s, cs.name).length), { numRuns: 60 });
    }
  });
});
