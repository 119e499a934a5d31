import { describe, expect, it } from 'vitest';
import { req } from '../../helpers/req.js';
import { tokenize } from '../../../src/sql/lexer/lexer.js';
import { Tok } from '../../../src/sql/lexer/token.js';
import { isReserved } from '../../../src/sql/lexer/keywords.js';
import { parse, parseOne } from '../../../src/sql/parser/index.js';
import { core, expectSyntaxError, expr, sqlErr, stmt } from './helpers.js';

describe('lexer', () => {
  it(req('CORE-SQL-003', 'unit', 'splits words, operators and literals in one pass'), () => {
    const toks = tokenize("SELECT a<=>b, x->>'$.a', c := 1 FROM t");
    expect(toks.map((t) => t.value)).toEqual(['SELECT', 'a', '<=>', 'b', ',', 'x', '->>', '$.a', ',', 'c', ':=', '1', 'FROM', 't', '']);
    expect(toks[toks.length - 1]?.type).toBe(Tok.EOF);
  });

  it(req('CORE-SQL-003', 'unit', 'identifiers may contain $ and start with digits; backticks escape by doubling'), () => {
    const toks = tokenize('a$b 1a 123abc `we``ird` 0xg');
    expect(toks.slice(0, 5).map((t) => [t.type, t.value])).toEqual([
      [Tok.IDENT, 'a$b'], [Tok.IDENT, '1a'], [Tok.IDENT, '123abc'], [Tok.QIDENT, 'we`ird'], [Tok.IDENT, '0xg'],
    ]);
  });

  it(req('CORE-SQL-004', 'unit', 'reserved words need quoting, non-reserved keywords are identifiers'), () => {
    expect(isReserved('SELECT')).toBe(true);
    expect(isReserved('STATUS')).toBe(false);
    const c = core('SELECT status, user, password, action, date, text, comment, engine FROM `select`');
    expect(c.items.map((i) => i.text)).toEqual(['status', 'user', 'password', 'action', 'date', 'text', 'comment', 'engine']);
    expect(c.from[0]).toMatchObject({ type: 'table', table: { name: 'select' } });
    expectSyntaxError(() => parseOne('SELECT * FROM select'), 'select');
  });

  it(req('CORE-SQL-008', 'unit', 'string escapes, doubled quotes and adjacent literal concatenation'), () => {
    expect(expr("'a\\0b\\'c\\\"d\\be\\nf\\rg\\th\\Zi\\\\j\\%k\\_l\\qm'")).toEqual({
      type: 'literal', kind: 'string', value: 'a\0b\'c"d\be\nf\rg\th\x1ai\\j\\%k\\_lqm',
    });
    // The first literal is kept as the column heading (CORE-DIAG-010).
    expect(expr("'it''s' \"x\"\"y\" 'z'")).toEqual({ type: 'literal', kind: 'string', value: 'it\'sx"yz', heading: "it's" });
  });

  it(req(['CORE-SQL-008', 'CORE-SQL-041'], 'unit', 'NO_BACKSLASH_ESCAPES keeps backslashes literal'), () => {
    const opts = { sqlMode: new Set(['NO_BACKSLASH_ESCAPES']) };
    expect(expr("'a\\nb'", opts)).toEqual({ type: 'literal', kind: 'string', value: 'a\\nb' });
  });

  it(req(['CORE-SQL-003', 'CORE-SQL-041'], 'unit', 'ANSI_QUOTES makes "x" an identifier'), () => {
    expect(expr('"col"', { sqlMode: new Set(['ANSI_QUOTES']) })).toEqual({ type: 'column', name: 'col' });
    expect(expr('"col"')).toEqual({ type: 'literal', kind: 'string', value: 'col' });
  });

  it(req('CORE-SQL-009', 'unit', 'number literal kinds: int, decimal, float, big integers'), () => {
    expect(expr('42')).toEqual({ type: 'literal', kind: 'int', value: '42' });
    expect(expr('18446744073709551615')).toEqual({ type: 'literal', kind: 'int', value: '18446744073709551615' });
    expect(expr('18446744073709551616')).toEqual({ type: 'literal', kind: 'decimal', value: '18446744073709551616' });
    expect(expr('1.50')).toEqual({ type: 'literal', kind: 'decimal', value: '1.50' });
    expect(expr('.5')).toEqual({ type: 'literal', kind: 'decimal', value: '.5' });
    expect(expr('1e3')).toEqual({ type: 'literal', kind: 'float', value: '1e3' });
    expect(expr('1.5E-3')).toEqual({ type: 'literal', kind: 'float', value: '1.5E-3' });
    expect(expr('-9223372036854775808')).toEqual({ type: 'literal', kind: 'int', value: '-9223372036854775808' });
    expect(expr('-9223372036854775809')).toEqual({ type: 'literal', kind: 'decimal', value: '-9223372036854775809' });
  });

  it(req('CORE-SQL-009', 'unit', 'hex and bit literals in both notations'), () => {
    expect(expr("X'4142'")).toEqual({ type: 'literal', kind: 'hex', value: Buffer.from('AB') });
    expect(expr('0x414')).toEqual({ type: 'literal', kind: 'hex', value: Buffer.from([0x04, 0x14]) });
    expect(expr("b'1000001'")).toEqual({ type: 'literal', kind: 'bit', value: Buffer.from('A') });
    expect(expr('0b100000101')).toEqual({ type: 'literal', kind: 'bit', value: Buffer.from([1, 5]) });
    expectSyntaxError(() => parseOne("SELECT X'414'"), "X'414'");
  });

  it(req('CORE-SQL-008', 'unit', 'charset introducers and national strings'), () => {
    expect(expr("_utf8mb4'x'")).toEqual({ type: 'literal', kind: 'string', value: 'x', charset: 'utf8mb4' });
    expect(expr("_binary'\\0'")).toEqual({ type: 'literal', kind: 'string', value: '\0', charset: 'binary' });
    expect(expr("_latin1 x'41'")).toEqual({ type: 'literal', kind: 'hex', value: Buffer.from('A'), charset: 'latin1' });
    expect(expr("N'abc'")).toEqual({ type: 'literal', kind: 'string', value: 'abc', charset: 'utf8mb3' });
    expect(expr('_foo')).toEqual({ type: 'column', name: '_foo' });
  });

  it(req('CORE-SQL-010', 'unit', 'comments: -- needs a space, #, /* */, optimizer hints'), () => {
    expect(core('SELECT 1 -- c\n, 2 # d\n, /* e */ 3').items.map((i) => i.text)).toEqual(['1', '2', '3']);
    expect(expr('1--1')).toMatchObject({ type: 'binary', op: '-', right: { type: 'literal', value: '-1' } });
    expect(core('SELECT /*+ MAX_EXECUTION_TIME(1) */ 1').items).toHaveLength(1);
    expectSyntaxError(() => parseOne('SELECT 1 /* open'), '/* open');
  });

  it(req('CORE-SQL-007', 'unit', 'executable comments run when the version gate allows it'), () => {
    expect(core('SELECT 1 /*! + 1 */').items[0]?.expr).toMatchObject({ type: 'binary', op: '+' });
    expect(core('SELECT 1 /*!80000 + 1 */').items[0]?.expr).toMatchObject({ type: 'binary', op: '+' });
    expect(core('SELECT 1 /*!80040 + 1 */').items[0]?.expr).toMatchObject({ type: 'binary', op: '+' });
    expect(core('SELECT 1 /*!90000 + 1 */').items[0]?.expr).toEqual({ type: 'literal', kind: 'int', value: '1' });
    expect(stmt('/*!40101 SET @OLD=@@CHARACTER_SET_CLIENT */', 'set').assignments[0]).toEqual({
      target: { type: 'uservar', name: 'OLD' },
      value: { type: 'sysvar', name: 'CHARACTER_SET_CLIENT', scope: 'default' },
    });
  });

  it(req('CORE-SQL-003', 'unit', 'variables: @v, @quoted, @@v, @@scope.v'), () => {
    expect(expr('@a.b$c')).toEqual({ type: 'uservar', name: 'a.b$c' });
    expect(expr("@'my var'")).toEqual({ type: 'uservar', name: 'my var' });
    expect(expr('@`q`')).toEqual({ type: 'uservar', name: 'q' });
    expect(expr('@@autocommit')).toEqual({ type: 'sysvar', name: 'autocommit', scope: 'default' });
    expect(expr('@@GLOBAL.max_connections')).toEqual({ type: 'sysvar', name: 'max_connections', scope: 'global' });
    expect(expr('@@session.sql_mode')).toEqual({ type: 'sysvar', name: 'sql_mode', scope: 'session' });
    expect(expr('@@local.sql_mode')).toEqual({ type: 'sysvar', name: 'sql_mode', scope: 'session' });
  });

  it(req('CORE-SQL-040', 'unit', '? markers only in prepared statements, numbered in order'), () => {
    const s = parseOne('SELECT ? + ? FROM t LIMIT ?', { allowParams: true });
    expect(s.paramCount).toBe(3);
    expectSyntaxError(() => parseOne('SELECT ?'), '?');
    const e = sqlErr(() => parse('SELECT ?'));
    expect(e.errno).toBe(1064);
  });

  it(req('CORE-SQL-005', 'unit', 'unterminated strings and identifiers are syntax errors at their start'), () => {
    expectSyntaxError(() => parseOne("SELECT 'abc"), "'abc");
    expectSyntaxError(() => parseOne('SELECT `abc'), '`abc');
  });
});

describe('NULL synonym', () => {
  it(req('CORE-SQL-003', 'unit', '\\N is NULL'), () => {
    expect(expr('\\N')).toEqual({ type: 'literal', kind: 'null', value: null });
  });
});
