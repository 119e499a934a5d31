/**
 * Grammar properties on near-valid statements (test/helpers/near-valid.ts): parsing never throws
 * anything but a SqlError, every seed parses, and the strictness rules of spec/core-grammar.md
 * hold for every place a damaged token can land.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { req } from '../helpers/req.js';
import { SqlError } from '../../src/kernel/errors.js';
import { parse } from '../../src/sql/parser/index.js';
import { NEAR_VALID_SEEDS, joinTokens, mutate, nearValidArb, tokensOf } from '../helpers/near-valid.js';

const RUNS = Number(process.env['FUZZ_RUNS'] ?? 500);

/** 'ok', or the error number parse() raised; anything but a SqlError fails the property. */
function verdict(sql: string): 'ok' | number {
  try {
    parse(sql);
    return 'ok';
  } catch (e) {
    if (e instanceof SqlError) return e.errno;
    throw e;
  }
}

describe('near-valid statements', () => {
  it(req('CORE-GRAM-006', 'unit', 'every seed parses, also when re-joined from its tokens'), () => {
    for (const s of NEAR_VALID_SEEDS) {
      expect(verdict(s), s).toBe('ok');
      expect(verdict(joinTokens(tokensOf(s))), s).toBe('ok');
    }
  });

  it(req('CORE-GRAM-006', 'unit', 'a dropped, repeated, swapped or moved token gives a result or a SqlError, never a crash'), () => {
    fc.assert(
      fc.property(nearValidArb, (sql) => {
        const v = verdict(sql);
        expect(v === 'ok' || typeof v === 'number').toBe(true);
        // a syntax error always carries MySQL's message shape
        if (v === 1064) {
          try {
            parse(sql);
          } catch (e) {
            expect((e as SqlError).message).toMatch(/^You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use near '[\s\S]*' at line \d+$/);
          }
        }
      }),
      { numRuns: RUNS, seed: 1207 },
    );
  });

  it(req('CORE-GRAM-006', 'unit', 'a repeated keyword of a fixed phrase is a syntax error wherever it is repeated'), () => {
    // Each phrase accepts its words once; repeating any one of them must be refused.
    const phrases = [
      'GRANT SELECT ON test.* TO u',
      "CREATE TABLE t (a CHAR(3) BINARY CHARACTER SET latin1 DEFAULT 'x')",
      'START TRANSACTION',
      "SHOW TABLES LIKE 'a%'",
      'ALTER TABLE t ORDER BY a DESC',
      'SELECT t.* FROM t',
    ];
    fc.assert(
      fc.property(fc.constantFrom(...phrases), fc.nat(50), (phrase, at) => {
        const toks = tokensOf(phrase);
        const i = at % toks.length;
        // repeating a name, a number or a string can still be valid (an alias, a concatenation)
        fc.pre(/^[A-Z]+$/.test(toks[i]!.text) && !['A', 'T', 'U'].includes(toks[i]!.text));
        expect(verdict(joinTokens(mutate(toks, { kind: 'repeat', at: i }))), joinTokens(mutate(toks, { kind: 'repeat', at: i }))).toBe(1064);
      }),
      { numRuns: 200, seed: 1207 },
    );
  });
});
