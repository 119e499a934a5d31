/**
 * The EXPLAIN grammar: ANALYZE then FORMAT, the explainable statements, FOR CONNECTION, and
 * format names checked while parsing (1791), with random format names and random text after
 * EXPLAIN never giving anything but a statement or a SqlError.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { req } from '../../helpers/req.js';
import { SqlError } from '../../../src/kernel/errors.js';
import { parseOne } from '../../../src/sql/parser/index.js';
import { stmt } from './helpers.js';

function expectSyntaxError(text: string): void {
  let err: unknown = null;
  try {
    parseOne(text);
  } catch (e) {
    err = e;
  }
  expect(err, text).toBeInstanceOf(SqlError);
  expect(err).toMatchObject({ errno: 1064, sqlState: '42000' });
}

describe('EXPLAIN grammar', () => {
  it(req(['CORE-EXPLAIN-001#forms'], 'unit', 'ANALYZE, FORMAT and FOR CONNECTION are parsed into the explain statement'), () => {
    expect(stmt('EXPLAIN ANALYZE FORMAT=TREE SELECT 1', 'explain')).toMatchObject({ analyze: true, format: 'TREE', statement: { kind: 'select' } });
    expect(stmt("DESC FORMAT = 'json' TABLE t", 'explain')).toMatchObject({ format: 'JSON', statement: { kind: 'select' } });
    expect(stmt('DESCRIBE FORMAT=traditional REPLACE INTO t VALUES (1)', 'explain')).toMatchObject({ format: 'TRADITIONAL', statement: { kind: 'insert', replace: true } });
    expect(stmt('EXPLAIN FORMAT=JSON FOR CONNECTION 42', 'explain')).toMatchObject({ format: 'JSON', forConnection: 42, statement: { kind: 'empty' } });
    expect(stmt('EXPLAIN FOR CONNECTION 7', 'explain').forConnection).toBe(7);
    // A table named format is still described.
    expect(stmt('DESCRIBE format', 'describe').table).toEqual({ name: 'format' });
  });

  it(req(['CORE-EXPLAIN-001#syntax'], 'unit', 'EXTENDED, PARTITIONS, FORMAT before ANALYZE and ANALYZE FOR CONNECTION are syntax errors'), () => {
    for (const s of ['EXPLAIN EXTENDED SELECT 1', 'EXPLAIN PARTITIONS SELECT 1', 'EXPLAIN FORMAT=TREE ANALYZE SELECT 1', 'EXPLAIN ANALYZE FOR CONNECTION 1', 'EXPLAIN FOR CONNECTION x', 'EXPLAIN FORMAT SELECT 1']) expectSyntaxError(s);
  });

  it(req(['CORE-EXPLAIN-002#e1791'], 'unit', 'any format name but TRADITIONAL, JSON and TREE is 1791 naming it as written'), () => {
    const known = new Set(['TRADITIONAL', 'JSON', 'TREE']);
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,15}$/), (name) => {
        let out: unknown;
        try {
          out = parseOne(`EXPLAIN FORMAT=\`${name}\` SELECT 1`);
        } catch (e) {
          out = e;
        }
        if (known.has(name.toUpperCase())) expect(out).toMatchObject({ kind: 'explain', format: name.toUpperCase() });
        else {
          expect(out).toBeInstanceOf(SqlError);
          expect(out).toMatchObject({ errno: 1791, message: `Unknown EXPLAIN format name: '${name}'` });
        }
      }),
      { numRuns: 300 },
    );
  });

  it(req(['CORE-EXPLAIN-001#syntax'], 'unit', 'random tokens after EXPLAIN give a statement or a SqlError, never a crash'), () => {
    const words = ['ANALYZE', 'FORMAT', '=', 'TREE', 'JSON', "'x'", 'FOR', 'CONNECTION', '1', 'SELECT', '*', 'FROM', 't', 'UPDATE', 'SET', 'a', 'DELETE', 'INSERT', 'INTO', 'VALUES', '(', ')', 'TABLE', 'WITH', 'ROW', ','];
    fc.assert(
      fc.property(fc.constantFrom('EXPLAIN', 'DESCRIBE', 'DESC'), fc.array(fc.constantFrom(...words), { maxLength: 10 }), (head, rest) => {
        try {
          const s = parseOne([head, ...rest].join(' '));
          expect(['explain', 'describe']).toContain(s.kind);
        } catch (e) {
          expect(e).toBeInstanceOf(SqlError);
        }
      }),
      { numRuns: 500 },
    );
  });
});
