/**
 * Property tests of the codecs and parsers behind the audited built-in functions: COMPRESS /
 * UNCOMPRESS, AES_ENCRYPT / AES_DECRYPT, MAKE_SET / EXPORT_SET against a naive model, and the
 * XML / XPath parsers on random input (an error or a value, never a crash).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { req } from '../../helpers/req.js';
import { SqlError } from '../../../src/kernel/errors.js';
import { aesDecrypt, aesEncrypt, aesSize, foldKey, compress, uncompress, type AesMode } from '../../../src/sql/eval/functions/crypto.js';
import { exportSet, makeSet } from '../../../src/sql/eval/functions/bits.js';
import { parseXml, XmlParseError } from '../../../src/sql/eval/functions/xml-doc.js';
import { evalXPath, parseXPath, resultText } from '../../../src/sql/eval/functions/xpath.js';
import { fakeRuntime, run } from './harness.js';

const MAX_PACKET = 64 * 1024 * 1024;

describe('COMPRESS / UNCOMPRESS', () => {
  it(req('CORE-FN-006', 'unit', 'UNCOMPRESS(COMPRESS(x)) = x and the prefix is the length, for random bytes'), () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (a) => {
        const b = Buffer.from(a);
        const z = compress(b);
        if (b.length > 0) expect(z.readUInt32LE(0)).toBe(b.length);
        expect(z.length === 0 || z[z.length - 1] !== 0x20).toBe(true);
        const r = uncompress(z, MAX_PACKET);
        expect('ok' in r && r.ok.equals(b)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
  it(req('CORE-FN-006', 'unit', 'UNCOMPRESS of random bytes gives bytes or a zlib warning, never throws'), () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (a) => {
        const r = uncompress(Buffer.from(a), 1024);
        if ('warn' in r) expect(['ER_ZLIB_Z_DATA_ERROR', 'ER_ZLIB_Z_BUF_ERROR', 'ER_TOO_BIG_FOR_UNCOMPRESS']).toContain(r.warn);
        else expect(Buffer.isBuffer(r.ok)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe('AES', () => {
  const modes: AesMode[] = (['ecb', 'cbc', 'cfb1', 'cfb8', 'cfb128', 'ofb'] as const).flatMap((chain) => ([128, 192, 256] as const).map((bits) => ({ bits, chain })));
  it(req('CORE-FN-005', 'unit', 'decrypt(encrypt(x)) = x in every block_encryption_mode, with the documented length'), () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), fc.uint8Array({ maxLength: 40 }), fc.uint8Array({ minLength: 16, maxLength: 20 }), fc.constantFrom(...modes), (data, key, iv, mode) => {
        const k = foldKey(Buffer.from(key), mode.bits / 8);
        const enc = aesEncrypt(Buffer.from(data), k, mode, Buffer.from(iv));
        expect(enc.length).toBe(aesSize(data.length, mode));
        expect(aesDecrypt(enc, k, mode, Buffer.from(iv))?.equals(Buffer.from(data))).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
  it(req('CORE-FN-005', 'unit', 'key folding XORs the key bytes cyclically into the key size'), () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), fc.constantFrom(16, 24, 32), (key, size) => {
        const model = new Array<number>(size).fill(0);
        key.forEach((b, k) => (model[k % size] ^= b));
        expect([...foldKey(Buffer.from(key), size)]).toEqual(model);
      }),
    );
  });
  it(req('CORE-FN-005', 'unit', 'AES_DECRYPT of random bytes is bytes or NULL, never an exception'), () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (data) => {
        const r = aesDecrypt(Buffer.from(data), foldKey(Buffer.from('k'), 16), { bits: 128, chain: 'ecb' }, null);
        expect(r === null || Buffer.isBuffer(r)).toBe(true);
      }),
    );
  });
});

describe('MAKE_SET / EXPORT_SET', () => {
  const word = fc.stringMatching(/^[a-z]{0,4}$/);
  it(req('CORE-FN-002', 'unit', 'MAKE_SET agrees with a bit-by-bit model'), () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), fc.array(fc.option(word, { nil: null }), { maxLength: 70 }), (mask, members) => {
        const model: string[] = [];
        members.forEach((m, k) => {
          if (k < 64 && m !== null && (mask & (1n << BigInt(k))) !== 0n) model.push(m);
        });
        expect(makeSet(mask, members)).toBe(model.join(','));
      }),
    );
  });
  it(req('CORE-FN-003', 'unit', 'EXPORT_SET agrees with a model built from the binary digits'), () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), word, word, fc.stringMatching(/^[,;|]{0,2}$/), fc.integer({ min: 0, max: 64 }), (mask, on, off, sep, count) => {
        const digits = mask.toString(2).padStart(64, '0').split('').reverse().slice(0, count);
        expect(exportSet(mask, on, off, sep, count)).toBe(digits.map((d) => (d === '1' ? on : off)).join(sep));
      }),
    );
  });
  it(req(['CORE-FN-002', 'CORE-FN-003'], 'unit', 'through SQL: a negative mask is 64 bits on'), () => {
    expect(run("MAKE_SET(-1, 'a', 'b')", fakeRuntime())).toBe('a,b');
    expect(run("EXPORT_SET(-1, '1', '0', '', 3)", fakeRuntime())).toBe('111');
  });
});

describe('XML and XPath parsers', () => {
  const xmlChars = fc.constantFrom('<', '>', '/', '=', '"', "'", 'a', 'b', ' ', '\n', '!', '?', '-', '[', ']', 'x', '1');
  it(req(['CORE-FN-008', 'CORE-FN-010'], 'unit', 'random documents parse or give a parse-error message, never another exception'), () => {
    fc.assert(
      fc.property(fc.array(xmlChars, { maxLength: 60 }).map((a) => a.join('')), (text) => {
        try {
          const doc = parseXml(text);
          expect(doc.nodes[0]!.kind).toBe('root');
          const v = evalXPath(parseXPath('//a | //b/@a'), doc, () => null);
          expect(typeof resultText(doc, v)).toBe('string');
        } catch (e) {
          expect(e).toBeInstanceOf(XmlParseError);
          expect((e as Error).message).toMatch(/^parse error at line \d+ pos \d+: /);
        }
      }),
      { numRuns: 500 },
    );
  });
  const xpChars = fc.constantFrom('/', '//', '[', ']', '(', ')', '@', '*', '.', '..', 'a', 'b', '1', '=', '!=', '<', '+', '-', ' ', "'", '"', 'count', 'text()', 'and', 'or', '|', ',', '$', '::', 'child', 'last()', '#');
  it(req('CORE-FN-010', 'unit', 'random XPath text compiles and evaluates, or is error 1105, never another exception'), () => {
    const doc = parseXml('<a x="1"><b>1</b><b>2<a>3</a></b></a>');
    fc.assert(
      fc.property(fc.array(xpChars, { maxLength: 20 }).map((a) => a.join('')), (q) => {
        try {
          const v = evalXPath(parseXPath(q), doc, () => null);
          const t = resultText(doc, v);
          expect(t === null || typeof t === 'string').toBe(true);
        } catch (e) {
          expect(e).toBeInstanceOf(SqlError);
          expect((e as SqlError).errno).toBe(1105);
        }
      }),
      { numRuns: 1000 },
    );
  });
  it(req('CORE-FN-010', 'unit', 'deep nesting is an error, not a stack overflow'), () => {
    expect(() => parseXPath('('.repeat(5000) + '1' + ')'.repeat(5000))).toThrow(SqlError);
    expect(() => parseXPath('-'.repeat(5000) + '1')).toThrow(SqlError);
    expect(() => parseXml('<a>'.repeat(5000))).toThrow(XmlParseError);
  });
});
