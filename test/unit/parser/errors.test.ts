import { describe, expect, it } from 'vitest';
import { req } from '../../helpers/req.js';
import { parse, parseOne } from '../../../src/sql/parser/index.js';
import { expectSyntaxError, sqlErr, SYNTAX } from './helpers.js';

describe('syntax errors', () => {
  it(req('CORE-SQL-005', 'unit', 'quotes the text from the first unacceptable token'), () => {
    expectSyntaxError(() => parseOne('SELEC 1'), 'SELEC 1');
    expectSyntaxError(() => parseOne('SELECT * FROM'), '');
    expectSyntaxError(() => parseOne('SELECT 1 FROM t WHERE'), '');
    expectSyntaxError(() => parseOne('SELECT 1 FROM t WHERE a = = 1'), '= 1');
    expectSyntaxError(() => parseOne('SELECT FROM t'), 'FROM t');
    expectSyntaxError(() => parseOne('INSERT INTO t VALUES (1,)'), ')');
    expectSyntaxError(() => parseOne('CREATE TABLE t (a INT,)'), ')');
    expectSyntaxError(() => parseOne('UPDATE t SET WHERE a = 1'), 'WHERE a = 1');
    expectSyntaxError(() => parseOne('DELETE t WHERE a = 1'), 'WHERE a = 1');
    expectSyntaxError(() => parseOne('SELECT * FROM t ORDER a'), 'a');
  });

  it(req('CORE-SQL-005', 'unit', 'counts lines from the start of the statement'), () => {
    expectSyntaxError(() => parseOne('SELECT 1\nFROM t\nWHERE a =\n'), '', 4);
    expectSyntaxError(() => parseOne('SELECT 1\nFROM t\nWHER a = 1'), 'a = 1', 3);
    expectSyntaxError(() => parse('SELECT 1;\n  SELECT\nFROM'), 'FROM', 2);
  });

  it(req('CORE-SQL-005', 'unit', 'the quoted text is cut to 80 characters'), () => {
    const tail = 'x'.repeat(100);
    const e = sqlErr(() => parseOne(`SELECT 1 2 ${tail}`));
    expect(e.message).toBe(`${SYNTAX} near '2 ${tail.slice(0, 78)}' at line 1`);
  });

  it(req('CORE-SQL-006', 'unit', 'very deep nesting is refused with memory exhausted, not a crash'), () => {
    const e = sqlErr(() => parseOne('SELECT ' + '('.repeat(5000) + '1' + ')'.repeat(5000)));
    expect(e.errno).toBe(1064);
    expect(e.message.startsWith('memory exhausted near')).toBe(true);
    expect(sqlErr(() => parseOne('SELECT ' + '-'.repeat(5000) + '1')).errno).toBe(1064);
    expect(sqlErr(() => parseOne('SELECT ' + 'NOT '.repeat(5000) + '1')).errno).toBe(1064);
  });
});

describe('multi-statements', () => {
  it(req('CORE-SQL-002', 'unit', 'splits on top-level semicolons, keeping each text and param count'), () => {
    const r = parse("SELECT 'a;b'; /* ; */ SELECT `x;` FROM t -- ;\n; SELECT ?", { allowParams: true });
    expect(r.map((s) => [s.kind, s.text, s.paramCount])).toEqual([
      ['select', "SELECT 'a;b'", 0], ['select', '/* ; */ SELECT `x;` FROM t -- ;', 0], ['select', 'SELECT ?', 1],
    ]);
    expect(parse('SELECT 1;').length).toBe(1);
    expect(parse('SELECT 1 ;  \n ').map((s) => s.text)).toEqual(['SELECT 1']);
  });

  it(req('CORE-SQL-043', 'unit', 'an empty query is ER_EMPTY_QUERY; a comment-only query is an empty statement'), () => {
    for (const q of ['', '   ', '\n\t']) {
      const e = sqlErr(() => parse(q));
      expect([e.errno, e.sqlState, e.message]).toEqual([1065, '42000', 'Query was empty']);
    }
    expect(sqlErr(() => parseOne('  ')).errno).toBe(1065);
    // MySQL answers OK to a query that held a comment but no statement.
    for (const q of ['-- c', '/* c */', '# x\n', '/*M!100100 SET x=1 */']) expect(parse(q).map((s) => s.kind)).toEqual(['empty']);
    expect(parseOne('/*!99999 SELECT 1 */').kind).toBe('empty');
  });

  it(req('CORE-SQL-002', 'unit', 'parseOne refuses a second statement and an empty one before ;'), () => {
    expect(parseOne('SELECT 1;').kind).toBe('select');
    expectSyntaxError(() => parseOne('SELECT 1; SELECT 2'), 'SELECT 2');
    expectSyntaxError(() => parse(';'), ';');
    expectSyntaxError(() => parse('SELECT 1;; SELECT 2'), '; SELECT 2');
    expectSyntaxError(() => parse('SELECT * FROM; SELECT 2'), '; SELECT 2');
  });

  it(req('CORE-SQL-042', 'unit', 'stored program bodies with inner semicolons stay one statement'), () => {
    const r = parse('CREATE PROCEDURE p() BEGIN SELECT 1; SELECT 2; END');
    expect(r).toHaveLength(1);
    expect(r[0]).toMatchObject({ kind: 'create_routine', routine: 'PROCEDURE', name: 'p' });
    const t = parse('CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW BEGIN SET @a = 1; SET @b = 2; END');
    expect(t).toHaveLength(1);
    expect(t[0]).toMatchObject({ kind: 'create_trigger', name: 'tr', timing: 'BEFORE', event: 'INSERT' });
  });
});

describe('lazy multi-statement parsing', () => {
  it(req('CORE-SQL-002', 'unit', 'parseEach yields the statements before a syntax error'), async () => {
    const { parseEach } = await import('../../../src/sql/parser/index.js');
    const it = parseEach('SELECT 1; SELEC 2; SELECT 3');
    expect(it.next().value).toMatchObject({ kind: 'select', text: 'SELECT 1' });
    expectSyntaxError(() => it.next(), 'SELEC 2; SELECT 3');
    expect(sqlErr(() => parseEach('  ').next()).errno).toBe(1065);
    const lazy = parseEach("SELECT 1;\nSELECT 'abc");
    expect(lazy.next().value).toMatchObject({ text: 'SELECT 1' });
    expectSyntaxError(() => lazy.next(), "'abc");
  });
});

describe('line numbers of lexical errors', () => {
  it(req('CORE-SQL-005', 'unit', 'count from the start of the input for the first statement and after ; for later ones'), () => {
    expectSyntaxError(() => parse("\n\nSELECT 'x"), "'x", 3);
    expectSyntaxError(() => parse("SELECT 1;\n\n  SELECT\n'x"), "'x", 2);
    expectSyntaxError(() => parse('\n\nSELEC 1'), 'SELEC 1', 3);
  });
});
