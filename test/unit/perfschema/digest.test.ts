/**
 * Statement digests (src/sql/digest.ts): MySQL's printed DIGEST_TEXT format on known statements,
 * and properties the plan cache will rely on: literal values never change a digest, statements
 * of another shape get another one, and no input makes the normaliser throw.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { req } from '../../helpers/req.js';
import { digestText, statementDigest } from '../../../src/sql/digest.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 300);

describe('statement digests', () => {
  it(req(['CORE-PFS-021', 'CORE-PFS-022'], 'unit', 'DIGEST_TEXT is MySQL\'s normalised form: keywords upper-case, names quoted, literals ?, lists collapsed'), () => {
    const cases: [string, string][] = [
      ['select * from t1 where a = 1', 'SELECT * FROM `t1` WHERE `a` = ?'],
      ["SELECT a, b FROM db1.t WHERE b = 'x' AND c IN (1, 2, 3)", 'SELECT `a` , `b` FROM `db1` . `t` WHERE `b` = ? AND `c` IN (...)'],
      ['SELECT * FROM t1 WHERE a IN (1)', 'SELECT * FROM `t1` WHERE `a` IN (?)'],
      ['INSERT INTO t1 VALUES (1), (2), (3)', 'INSERT INTO `t1` VALUES (?) /* , ... */'],
      ['INSERT INTO t3 VALUES (1, 2), (3, 4)', 'INSERT INTO `t3` VALUES (...) /* , ... */'],
      ['insert into sbtest1 (k, c, pad) values (1, "a", "b")', 'INSERT INTO `sbtest1` ( `k` , `c` , `pad` ) VALUES (...)'],
      ['SELECT * FROM t LIMIT 5, 10', 'SELECT * FROM `t` LIMIT ?, ...'],
      ['SELECT @@version_comment LIMIT 1', 'SELECT @@`version_comment` LIMIT ?'],
      ['SELECT f(memo, 1, 2)', 'SELECT `f` ( `memo` , ?, ... )'],
      ['SELECT COUNT(*) FROM t WHERE x IS NOT NULL AND y = NULL', 'SELECT COUNT ( * ) FROM `t` WHERE `x` IS NOT NULL AND `y` = ?'],
      // a sign folds into its value; then `? , ?` is a value list, as MySQL's reduction makes it
      ['select a - 1, -2, a = -3 from t', 'SELECT `a` - ?, ... , `a` = ? FROM `t`'],
      ['select -1, a = -3 from t', 'SELECT ? , `a` = ? FROM `t`'],
      ['  SELECT   /* comment */ 1 -- tail\n', 'SELECT ?'],
      ['SHOW VARIABLES LIKE \'max%\'', 'SHOW VARIABLES LIKE ?'],
      ['SELECT `weird``name` FROM `t`', 'SELECT `weird``name` FROM `t`'],
      ["SELECT _utf8mb4'abc'", 'SELECT ?'],
    ];
    for (const [sql, want] of cases) expect(digestText(sql)).toBe(want);
  });

  it(req('CORE-PFS-020', 'unit', 'DIGEST is the SHA-256 of the normalised text: 64 hex digits, equal for equal texts'), () => {
    const a = statementDigest('SELECT * FROM t WHERE id = 1');
    const b = statementDigest('select *   from t where id=42');
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(a).toEqual(b);
    expect(statementDigest('SELECT * FROM t WHERE id = 1 OR id = 2').hash).not.toBe(a.hash);
  });

  it(req('CORE-PFS-023', 'unit', 'a normalised text longer than the limit is cut at a token and ends in ...'), () => {
    const sql = `SELECT ${Array.from({ length: 400 }, (_, i) => `col${i}`).join(', ')} FROM t`;
    const text = digestText(sql, { maxLength: 1024 });
    expect(text.length).toBeLessThanOrEqual(1028);
    expect(text.endsWith(' ...')).toBe(true);
    expect(text.startsWith('SELECT `col0` , `col1`')).toBe(true);
  });

  /** A literal of any kind MySQL's lexer reads as one value. */
  const literal = fc.oneof(
    fc.integer({ min: 0, max: 1_000_000 }).map(String),
    fc.double({ min: 0, max: 1e6, noNaN: true }).map((d) => d.toFixed(3)),
    fc.string({ maxLength: 12 }).map((s) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`),
    fc.uint8Array({ minLength: 1, maxLength: 4 }).map((b) => `X'${Buffer.from(b).toString('hex')}'`),
  );
  const template = fc.constantFrom(
    (v: string[]) => `SELECT * FROM t WHERE a = ${v[0]} AND b > ${v[1]}`,
    (v: string[]) => `INSERT INTO t (a, b) VALUES (${v[0]}, ${v[1]})`,
    (v: string[]) => `UPDATE t SET a = ${v[0]} WHERE id = ${v[1]} LIMIT ${v[2]}`,
    (v: string[]) => `SELECT a FROM t WHERE a IN (${v[0]}, ${v[1]}, ${v[2]})`,
    (v: string[]) => `DELETE FROM t WHERE a BETWEEN ${v[0]} AND ${v[1]}`,
  );

  it(req('CORE-PFS-022', 'unit', 'property: literal values never change a statement\'s digest'), () => {
    fc.assert(
      fc.property(template, fc.array(literal, { minLength: 3, maxLength: 3 }), fc.array(literal, { minLength: 3, maxLength: 3 }), (t, a, b) => {
        expect(statementDigest(t(a))).toEqual(statementDigest(t(b)));
      }),
      { numRuns: RUNS },
    );
  });

  it(req('CORE-PFS-022', 'unit', 'property: statements of different shapes have different digests'), () => {
    const ident = fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/).filter((s) => !['and', 'or', 'not', 'in', 'is', 'by', 'as', 'on', 'to', 'if', 'div', 'mod', 'xor', 'key', 'use', 'set', 'row', 'for', 'all', 'any', 'asc', 'end', 'add'].includes(s));
    fc.assert(
      fc.property(ident, ident, ident, (table, col1, col2) => {
        fc.pre(col1 !== col2);
        const base = statementDigest(`SELECT ${col1} FROM ${table} WHERE ${col1} = 1`);
        expect(statementDigest(`SELECT ${col2} FROM ${table} WHERE ${col1} = 1`).hash).not.toBe(base.hash);
        expect(statementDigest(`SELECT ${col1} FROM ${table} WHERE ${col1} > 1`).hash).not.toBe(base.hash);
        expect(statementDigest(`SELECT ${col1} FROM ${table} WHERE ${col1} = 1 ORDER BY ${col1}`).hash).not.toBe(base.hash);
      }),
      { numRuns: RUNS },
    );
  });

  it(req('CORE-PFS-022', 'unit', 'property: any input is digested without throwing, into 64 hex digits'), () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (sql) => {
        const d = statementDigest(sql);
        expect(d.hash).toMatch(/^[0-9a-f]{64}$/);
        expect(typeof d.text).toBe('string');
      }),
      { numRuns: RUNS },
    );
  });
});
