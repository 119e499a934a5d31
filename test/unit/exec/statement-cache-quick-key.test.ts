/**
 * The statement cache's quick key (CORE-PERF-017): for every text the one-pass scan accepts, the
 * literals it cuts out are the lexer's literal tokens, two texts with one quick key have one token
 * key, and the cache answers a text found by its quick key exactly as after a full scan. Texts are
 * built from pieces chosen to sit on the scan's edges: numbers next to letters and dots, prefixed
 * and adjacent strings, quotes and backslashes inside strings, comments, backquoted names.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { quickScan, scan, StatementCache, type CacheSettings } from '../../../src/exec/statement-cache.js';
import { tokenize } from '../../../src/sql/lexer/lexer.js';
import { Tok } from '../../../src/sql/lexer/token.js';
import { lexOptions } from '../../../src/sql/parser/index.js';
import { req } from '../../helpers/req.js';

const settings = (sqlModeText: string): CacheSettings => ({
  sqlMode: new Set(sqlModeText.split(',').filter(Boolean)),
  sqlModeText,
  schema: 'app',
  collationConnection: 'utf8mb4_0900_ai_ci',
  clientCharset: 'utf8mb4',
  compileSettings: '1024',
});
const modes = fc.constantFrom('', 'ANSI_QUOTES', 'NO_BACKSLASH_ESCAPES', 'PIPES_AS_CONCAT');

/** Literal pieces (some the quick scan takes, some it must refuse). */
const literal = fc.oneof(
  fc.nat({ max: 100000 }).map(String),
  fc.constantFrom('0', '007', '1.5', '1.', '123456789012345678', '18446744073709551615', '18446744073709551616', '99999999999999999999999'),
  fc.stringMatching(/^[a-z0-9 %_-]{0,8}$/).map((b) => `'${b}'`),
  fc.constantFrom(`'it''s'`, `'a\\'b'`, `'a\\\\'`, `'x' 'y'`, `"dq"`, `x'41'`, `X'41'`, `b'01'`, `N'n'`, `_utf8mb4'u'`, `_latin1 'l'`, `0x1F`, `0b101`, `1e5`, `1.5E-3`, `.5`, `1.2.3`, `1abc`, `'é'`, `'\t'`, `''`),
);
/** Other pieces of text. */
const other = fc.constantFrom(
  'SELECT', 'select', 'c', 'id', 'sbtest1', 't.c', '`t`', '`a b`', '`x``y`', 'FROM', 'WHERE', 'AND', 'OR', 'NOT', 'BETWEEN', 'IN', '(', ')', ',',
  '=', '<>', '!=', '<', '>=', '<=>', '+', '-', '*', '/', '%', '||', '.', 't.', '--', '-- c\n', '/* c */', '/*+ hint */', '#x\n', '?', '@v', ':=', ';', '{', 'é', 'LIMIT',
  'ORDER BY', 'k', 'x', 'N', '_utf8mb4', 'COLLATE', 'utf8mb4_bin', '\n', '\t',
);
const piece = fc.oneof({ weight: 2, arbitrary: literal.map((text) => ({ lit: true, text })) }, { weight: 3, arbitrary: other.map((text) => ({ lit: false, text })) });
const glue = fc.constantFrom('', ' ', ' ', '  ', '\n');
const text = fc
  .tuple(fc.array(fc.tuple(piece, glue), { maxLength: 14 }))
  .map(([ps]) => 'SELECT ' + ps.map(([p, g]) => p.text + g).join(''));

const LITERAL_TOKENS = new Set([Tok.STRING, Tok.NSTRING, Tok.NUMBER, Tok.HEX, Tok.BIT]);

describe('statement cache quick key', () => {
  it(req(['CORE-PERF-017'], 'unit', 'the literals the quick scan cuts out are exactly the lexer literal tokens, and the rest of the text is kept'), () => {
    let accepted = 0;
    fc.assert(
      fc.property(text, modes, (sql, mode) => {
        const s = settings(mode);
        const q = quickScan(sql);
        if (q === null) return;
        accepted++;
        const toks = tokenize(sql, lexOptions(s, []));
        const lits = toks.filter((t) => LITERAL_TOKENS.has(t.type));
        expect(q.literals.map((t) => [t.type, t.start, t.end, t.value, t.numKind])).toEqual(lits.map((t) => [t.type, t.start, t.end, t.value, t.numKind]));
        // The quick key is the text with those spans replaced.
        let rebuilt = '';
        let from = 0;
        for (const t of lits) {
          rebuilt += sql.slice(from, t.start) + '\u0002';
          from = t.end;
        }
        expect(q.raw).toBe(rebuilt + sql.slice(from));
      }),
      { numRuns: 3000 },
    );
    expect(accepted).toBeGreaterThan(100);
  });

  it(req(['CORE-PERF-017'], 'unit', 'texts with one quick key have one token key'), () => {
    const template = fc.array(fc.tuple(fc.boolean(), other, glue), { minLength: 1, maxLength: 10 });
    fc.assert(
      fc.property(template, fc.array(literal, { minLength: 10, maxLength: 10 }), fc.array(literal, { minLength: 10, maxLength: 10 }), (tpl, a, b) => {
        const fill = (lits: string[]): string => 'SELECT ' + tpl.map(([lit, o, g], i) => (lit ? lits[i]! + g : '') + o + g).join('');
        const s = settings('');
        const sa = fill(a);
        const sb = fill(b);
        const qa = quickScan(sa);
        const qb = quickScan(sb);
        if (qa === null || qb === null || qa.raw !== qb.raw) return;
        const fa = scan(sa, s);
        const fb = scan(sb, s);
        expect(fa?.key ?? null).toBe(fb?.key ?? null);
      }),
      { numRuns: 3000 },
    );
  });

  it(req(['CORE-PERF-017', 'CORE-PERF-011'], 'unit', 'a text found by its quick key gets the statement and values a cache that scans it in full gives'), () => {
    const shape = fc.constantFrom(
      (v: string[]) => `SELECT c FROM sbtest1 WHERE id=${v[0]}`,
      (v: string[]) => `SELECT c FROM sbtest1 WHERE id BETWEEN ${v[0]} AND ${v[1]} ORDER BY c`,
      (v: string[]) => `select \`c\`, k from sbtest1 where c = ${v[2]} and k > ${v[1]} limit ${v[0]}`,
      (v: string[]) => `UPDATE sbtest1 SET k=k+1 WHERE id=${v[0]}`,
      (v: string[]) => `DELETE FROM sbtest1 WHERE id IN (${v[0]}, ${v[1]}) AND c <> ${v[2]}`,
      (v: string[]) => `SELECT c FROM sbtest1 WHERE id=${v[0]} /* note */`,
    );
    const value = fc.oneof(fc.nat({ max: 99999 }).map(String), fc.constantFrom('1.5', '2.25', '12345678901234567890'), fc.stringMatching(/^[a-z0-9]{0,6}$/).map((x) => `'${x}'`));
    let hits = 0;
    fc.assert(
      fc.property(shape, fc.array(fc.array(value, { minLength: 3, maxLength: 3 }), { minLength: 2, maxLength: 6 }), (mk, rows) => {
        const s = settings('');
        const warm = new StatementCache(8);
        for (const v of rows) {
          const sql = mk(v);
          const got = warm.statementFor(sql, s);
          const fresh = new StatementCache(8).statementFor(sql, s);
          expect(got === null).toBe(fresh === null);
          if (got === null || fresh === null) continue;
          expect(got.params).toEqual(fresh.params);
          // A hit reuses the first text's tree: the same tree but for the text and the literal a
          // marker was lifted from (only its type matters, and the types are equal).
          const strip = (x: unknown): string =>
            JSON.stringify(x, (k, val: unknown) => (k === 'text' ? undefined : k === 'lifted' ? (val as { kind: string }).kind : typeof val === 'bigint' ? `${val}n` : val));
          expect(strip(got.stmt)).toBe(strip(fresh.stmt));
          if (got.hit) hits++;
        }
      }),
      { numRuns: 300 },
    );
    expect(hits).toBeGreaterThan(30);
  });
});
