/**
 * Collation derivation and introduced literals as functions: the aggregation table, its symmetry,
 * and introduced bytes (random input gives a string that round-trips or error 1300, never a crash).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { charsetOf, encode, CHARSETS } from '../../../src/kernel/charset/index.js';
import { SqlError } from '../../../src/kernel/errors.js';
import { aggregateCollations, aggregatePair, Derivation, type DtCollation } from '../../../src/sql/eval/collation-derivation.js';
import { introducedText } from '../../../src/sql/eval/compile.js';
import { annotateLiterals } from '../../../src/exec/literal-charset.js';
import { parse } from '../../../src/sql/parser/index.js';
import { decodeStatement, resultCharset } from '../../../src/protocol/commands/result-charset.js';
import type { SessionApi } from '../../../src/kernel/protocol-port.js';
import type { ResultColumn } from '../../../src/kernel/column-type.js';
import { decode } from '../../../src/kernel/charset/index.js';
import { req } from '../../helpers/req.js';

const dt = (collation: string, derivation: number, ascii = false): DtCollation => ({ collation, derivation, ascii });

describe('collation aggregation', () => {
  it(req(['CORE-CS-061', 'CORE-CS-062', 'CORE-CS-063'], 'unit', 'the derivation table decides the collation or refuses the mix'), () => {
    // the stronger derivation wins within a character set
    expect(aggregatePair(dt('latin1_swedish_ci', Derivation.IMPLICIT), dt('latin1_bin', Derivation.COERCIBLE)).dt.collation).toBe('latin1_swedish_ci');
    // Unicode superset across character sets at equal derivation
    expect(aggregatePair(dt('latin1_swedish_ci', Derivation.IMPLICIT), dt('utf8mb4_0900_ai_ci', Derivation.IMPLICIT)).dt.collation).toBe('utf8mb4_0900_ai_ci');
    // utf8mb4 is a superset of utf8mb3
    expect(aggregatePair(dt('utf8mb3_general_ci', Derivation.IMPLICIT), dt('utf8mb4_bin', Derivation.IMPLICIT)).dt.collation).toBe('utf8mb4_bin');
    // an ASCII literal goes into the column character set
    expect(aggregatePair(dt('latin1_swedish_ci', Derivation.IMPLICIT), dt('utf8mb4_0900_ai_ci', Derivation.COERCIBLE, true)).dt.collation).toBe('latin1_swedish_ci');
    // two explicit collations of one character set: illegal
    expect(aggregatePair(dt('latin1_bin', Derivation.EXPLICIT), dt('latin1_swedish_ci', Derivation.EXPLICIT)).ok).toBe(false);
    // two implicit ones: the _bin collation with no derivation, refused by a comparison
    expect(aggregateCollations([dt('latin1_swedish_ci', 2), dt('latin1_general_ci', 2)], { comparison: false })).toEqual(dt('latin1_bin', Derivation.NONE));
    expect(() => aggregateCollations([dt('latin1_swedish_ci', 2), dt('latin1_general_ci', 2)], { comparison: true, op: '=' })).toThrow(/Illegal mix of collations \(latin1_swedish_ci,IMPLICIT\) and \(latin1_general_ci,IMPLICIT\) for operation '='/);
    expect(() => aggregateCollations([dt('latin1_bin', 0), dt('latin1_swedish_ci', 0), dt('latin1_general_ci', 0)], { comparison: true, op: 'between' })).toThrow(expect.objectContaining({ errno: 1270 }));
    expect(() => aggregateCollations([dt('latin1_bin', 0), dt('latin1_swedish_ci', 0), dt('latin1_general_ci', 0), dt('latin1_bin', 0)], { comparison: true, op: 'in' })).toThrow(expect.objectContaining({ errno: 1271 }));
    // binary wins at equal derivation
    expect(aggregatePair(dt('utf8mb4_0900_ai_ci', 4), dt('binary', 4)).dt.collation).toBe('binary');
  });

  it(req(['CORE-CS-061'], 'unit', 'aggregating two operands: legality and derivation do not depend on their order'), () => {
    const collations = ['latin1_swedish_ci', 'latin1_general_ci', 'latin1_bin', 'utf8mb4_0900_ai_ci', 'utf8mb4_bin', 'utf8mb3_general_ci', 'ascii_general_ci', 'binary'];
    const arb = fc.record({ collation: fc.constantFrom(...collations), derivation: fc.integer({ min: 0, max: 6 }), ascii: fc.boolean() });
    fc.assert(
      fc.property(arb, arb, (a, b) => {
        const x = aggregatePair(a, b), y = aggregatePair(b, a);
        expect(x.ok).toBe(y.ok);
        // MySQL tries "left is a superset" before "right is"; an ASCII-only string of a Unicode
        // character set against a non-ASCII single-byte one may go either way, so only the
        // outcome's derivation and the set of possible collations are order-free.
        if (x.ok) {
          expect(x.dt.derivation).toBe(y.dt.derivation);
          const charsets = new Set([a.collation, b.collation].map((c) => (c === 'binary' ? 'binary' : charsetOf(c))));
          for (const r of [x.dt.collation, y.dt.collation]) expect(r === 'binary' || charsets.has(charsetOf(r))).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('introduced literals', () => {
  it(req(['CORE-CS-058'], 'unit', 'random bytes under an introducer give their text or error 1300, never a crash'), () => {
    const names = CHARSETS.map((c) => c.name).filter((n) => n !== 'binary');
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 12 }), fc.constantFrom(...names), (bytes, cs) => {
        const b = Buffer.from(bytes);
        try {
          const s = introducedText(b, cs);
          expect(typeof s).toBe('string');
          if (CHARSETS.find((c) => c.name === cs)!.maxlen > 1) expect(encode(s, cs).equals(b)).toBe(true);
        } catch (e) {
          expect(e).toBeInstanceOf(SqlError);
          expect((e as SqlError).errno).toBe(1300);
        }
      }),
      { numRuns: 500 },
    );
  });

  it(req(['CORE-CS-052', 'CORE-CS-056'], 'unit', 'every string literal of a statement learns the connection settings'), () => {
    const [stmt] = parse("SELECT 'a', _latin1'b', (SELECT CONCAT('c', x'41')) FROM t WHERE u IN ('d')");
    annotateLiterals(stmt!, { collationConnection: 'latin1_bin', clientCharset: 'latin1' });
    const seen: string[] = [];
    JSON.stringify(stmt, (k, v: unknown) => {
      if (v && typeof v === 'object' && (v as { type?: string }).type === 'literal') {
        const l = v as { value: unknown; connCollation?: string; clientCharset?: string };
        seen.push(`${String(l.value)}:${l.connCollation}:${l.clientCharset}`);
      }
      return v;
    });
    expect(seen.filter((x) => !x.startsWith('A')).sort()).toEqual(['a:latin1_bin:latin1', 'b:latin1_bin:latin1', 'c:latin1_bin:latin1', 'd:latin1_bin:latin1']);
  });
});

describe('connection character sets on the wire', () => {
  const session = (vars: Record<string, string | null>): SessionApi => ({ sysvar: (n: string) => (n in vars ? vars[n]! : null) }) as unknown as SessionApi;
  const col = (charsetId: number, length: number): ResultColumn => ({ schema: '', table: '', orgTable: '', name: 'c', orgName: '', charsetId, length, type: 253, flags: 0, decimals: 31 }) as ResultColumn;

  it(req(['CORE-CS-054', 'CORE-CS-055'], 'unit', 'text round-trips through the client and results character sets'), () => {
    const latin1 = fc.string({ unit: fc.constantFrom(...'abcXYZ 019 \u00e9\u00fc\u00df\u00c5\u20ac\u0153'.split('')) });
    const s = session({ character_set_client: 'latin1', character_set_results: 'latin1' });
    fc.assert(
      fc.property(latin1, (text) => {
        expect(decodeStatement(s, encode(text, 'latin1'))).toBe(text);
        const rc = resultCharset(s, [col(255, 40)]);
        expect(rc.columns[0]!.charsetId).toBe(8);
        expect(decode(rc.encoders![0]!(text), 'latin1')).toBe(text);
      }),
      { numRuns: 300 },
    );
    // random bytes never crash the decoder
    fc.assert(fc.property(fc.uint8Array({ maxLength: 40 }), (b) => typeof decodeStatement(s, Buffer.from(b)) === 'string'), { numRuns: 300 });
  });

  it(req(['CORE-CS-055'], 'unit', 'results metadata: the results character set number and length, NULL keeps the column'), () => {
    // a latin1 VARCHAR(10) column under utf8mb4 results: 10 characters of up to 4 bytes
    expect(resultCharset(session({ character_set_results: 'utf8mb4' }), [col(8, 10)]).columns[0]).toMatchObject({ charsetId: 255, length: 40 });
    expect(resultCharset(session({ character_set_results: 'utf8mb4' }), [col(63, 10)]).columns[0]).toMatchObject({ charsetId: 63, length: 10 });
    const nul = resultCharset(session({ character_set_results: null }), [col(8, 10), col(255, 40)]);
    expect(nul.columns.map((c) => c.charsetId)).toEqual([8, 255]);
    expect(nul.encoders![0]!('\u00e9')).toEqual(Buffer.from([0xe9]));
    expect(nul.encoders![1]).toBeNull();
  });
});
