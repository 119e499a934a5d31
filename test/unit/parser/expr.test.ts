import { describe, expect, it } from 'vitest';
import { req } from '../../helpers/req.js';
import { parseExpression, parseOne } from '../../../src/sql/parser/index.js';
import { core, expectSyntaxError, expr } from './helpers.js';

const c = (name: string) => ({ type: 'column', name });
const i = (v: string) => ({ type: 'literal', kind: 'int', value: v });

describe('expressions', () => {
  it(req('CORE-SQL-011', 'unit', 'arithmetic precedence: * binds tighter than +, ^ tighter than *'), () => {
    expect(expr('1+2*3')).toEqual({ type: 'binary', op: '+', left: i('1'), right: { type: 'binary', op: '*', left: i('2'), right: i('3') } });
    expect(expr('a*b^c')).toEqual({ type: 'binary', op: '*', left: c('a'), right: { type: 'binary', op: '^', left: c('b'), right: c('c') } });
    expect(expr('a - b - c')).toMatchObject({ op: '-', left: { op: '-', left: c('a'), right: c('b') }, right: c('c') });
    expect(expr('a DIV b MOD c % d')).toMatchObject({ op: '%', left: { op: 'MOD', left: { op: 'DIV' } } });
    expect(expr('a | b & c << 1')).toMatchObject({ op: '|', right: { op: '&', right: { op: '<<' } } });
  });

  it(req('CORE-SQL-011', 'unit', 'logical precedence: NOT > AND > XOR > OR; && and || synonyms'), () => {
    expect(expr('a OR b AND c')).toMatchObject({ op: 'OR', right: { op: 'AND' } });
    expect(expr('a XOR b OR c')).toMatchObject({ op: 'OR', left: { op: 'XOR' } });
    expect(expr('NOT a AND b')).toMatchObject({ op: 'AND', left: { type: 'unary', op: 'NOT' } });
    expect(expr('NOT a = b')).toMatchObject({ type: 'unary', op: 'NOT', operand: { op: '=' } });
    expect(expr('a && b || c')).toMatchObject({ op: '||', left: { op: '&&' } });
    expect(expr('!a = b')).toMatchObject({ op: '=', left: { type: 'unary', op: '!' } });
  });

  it(req(['CORE-SQL-011', 'CORE-SQL-041'], 'unit', 'PIPES_AS_CONCAT and HIGH_NOT_PRECEDENCE'), () => {
    expect(expr("'a' || 'b'", { sqlMode: new Set(['PIPES_AS_CONCAT']) })).toMatchObject({ type: 'func', name: 'CONCAT' });
    expect(expr('NOT a = b', { sqlMode: new Set(['HIGH_NOT_PRECEDENCE']) })).toMatchObject({ op: '=', left: { type: 'unary', op: 'NOT' } });
  });

  it(req('CORE-SQL-011', 'unit', 'comparisons, IS, LIKE ESCAPE, REGEXP, BETWEEN, IN, SOUNDS LIKE, MEMBER OF'), () => {
    expect(expr('a <=> NULL')).toMatchObject({ op: '<=>', right: { kind: 'null' } });
    expect(expr('a != 1 = TRUE')).toMatchObject({ op: '=', left: { op: '!=' } });
    expect(expr('a IS NOT UNKNOWN')).toEqual({ type: 'is', expr: c('a'), test: 'UNKNOWN', not: true });
    expect(expr("a NOT LIKE 'x|%' ESCAPE '|'")).toMatchObject({ type: 'like', not: true, escape: { value: '|' } });
    expect(expr("a NOT REGEXP '^x'")).toMatchObject({ type: 'binary', op: 'NOT REGEXP' });
    expect(expr("a RLIKE 'x'")).toMatchObject({ type: 'binary', op: 'REGEXP' });
    expect(expr('a NOT BETWEEN 1 AND 2 AND b')).toMatchObject({ op: 'AND', left: { type: 'between', not: true } });
    expect(expr('a NOT IN (1, 2)')).toEqual({ type: 'in', expr: c('a'), list: [i('1'), i('2')], not: true });
    expect(expr("a SOUNDS LIKE 'b'")).toMatchObject({ op: 'SOUNDS LIKE' });
    expect(expr("1 MEMBER OF ('[1]')")).toMatchObject({ type: 'func', name: 'MEMBER OF' });
    expect(expr('(a, b) = (1, 2)')).toMatchObject({ op: '=', left: { type: 'row' }, right: { type: 'row' } });
  });

  it(req('CORE-SQL-011', 'unit', 'quantified comparisons and subqueries'), () => {
    expect(expr('a > ALL (SELECT b FROM t)')).toMatchObject({ op: '>', quantifier: 'ALL', right: { type: 'subquery' } });
    expect(expr('a = SOME (SELECT 1)')).toMatchObject({ quantifier: 'SOME' });
    expect(expr('(SELECT 1)')).toMatchObject({ type: 'subquery' });
    expect(expr('a IN (SELECT b FROM t)')).toMatchObject({ type: 'in', subquery: { kind: 'select' } });
    expect(expr('NOT EXISTS (SELECT 1)')).toMatchObject({ type: 'exists', not: true });
    expect(expr('((SELECT 1) UNION (SELECT 2))')).toMatchObject({ type: 'subquery', query: { query: { type: 'set_op' } } });
  });

  it(req('CORE-SQL-011', 'unit', 'unary operators, BINARY, COLLATE, assignment'), () => {
    expect(expr('-a')).toEqual({ type: 'unary', op: '-', operand: c('a') });
    expect(expr('~1')).toEqual({ type: 'unary', op: '~', operand: i('1') });
    expect(expr('BINARY a = b')).toMatchObject({ op: '=', left: { type: 'unary', op: 'BINARY' } });
    expect(expr("a COLLATE utf8mb4_bin = 'x'")).toMatchObject({ op: '=', left: { type: 'collate', collation: 'utf8mb4_bin' } });
    expect(expr('@x := 1 + 2')).toMatchObject({ op: ':=', left: { type: 'uservar', name: 'x' }, right: { op: '+' } });
  });

  it(req('CORE-SQL-012', 'unit', 'column references, qualified names, wildcards and JSON path operators'), () => {
    expect(expr('db.t.c')).toEqual({ type: 'column', schema: 'db', table: 't', name: 'c' });
    expect(expr('t.`select`')).toEqual({ type: 'column', table: 't', name: 'select' });
    expect(core('SELECT t.*, * FROM t').items.map((x) => x.expr)).toEqual([{ type: 'column', table: 't', name: '*' }, { type: 'column', name: '*' }]);
    expect(expr("doc->'$.a'")).toMatchObject({ op: '->', left: c('doc'), right: { value: '$.a' } });
    expect(expr("doc->>'$.a'")).toMatchObject({ op: '->>' });
  });

  it(req('CORE-SQL-012', 'unit', 'CASE, INTERVAL, DEFAULT, VALUES(), temporal literals, MATCH'), () => {
    expect(expr("CASE a WHEN 1 THEN 'x' ELSE 'y' END")).toMatchObject({ type: 'case', operand: c('a'), whens: [{ when: i('1') }], else: { value: 'y' } });
    expect(expr('CASE WHEN a THEN 1 END')).toEqual({ type: 'case', whens: [{ when: c('a'), then: i('1') }] });
    expect(expr('INTERVAL 1 DAY + d')).toMatchObject({ op: '+', left: { type: 'interval', unit: 'DAY' } });
    expect(expr("d - INTERVAL '1:2' HOUR_MINUTE")).toMatchObject({ op: '-', right: { type: 'interval', unit: 'HOUR_MINUTE' } });
    expect(expr('INTERVAL(5, 1, 10)')).toMatchObject({ type: 'func', name: 'INTERVAL' });
    expect(expr("DATE '2020-01-02'")).toEqual({ type: 'literal', kind: 'date', value: '2020-01-02' });
    expect(expr("TIMESTAMP '2020-01-02 03:04:05'")).toMatchObject({ kind: 'timestamp' });
    expect(expr("{d '2020-01-02'}")).toMatchObject({ kind: 'date' });
    expect(expr("MATCH (a, b) AGAINST ('x' IN BOOLEAN MODE)")).toMatchObject({ type: 'match', modifier: 'IN BOOLEAN MODE' });
  });

  it(req('CORE-SQL-013', 'unit', 'function calls and special syntaxes'), () => {
    expect(expr('CONCAT(a, 1)')).toEqual({ type: 'func', name: 'CONCAT', args: [c('a'), i('1')] });
    expect(expr('now()')).toEqual({ type: 'func', name: 'NOW', args: [] });
    expect(expr('CURRENT_TIMESTAMP(3)')).toEqual({ type: 'func', name: 'CURRENT_TIMESTAMP', args: [i('3')] });
    expect(expr('CURRENT_DATE')).toEqual({ type: 'func', name: 'CURRENT_DATE', args: [] });
    expect(expr('CURRENT_USER')).toEqual({ type: 'func', name: 'CURRENT_USER', args: [] });
    expect(expr('IF(a, 1, 2)')).toMatchObject({ type: 'func', name: 'IF' });
    expect(expr('LEFT(s, 2)')).toMatchObject({ name: 'LEFT' });
    expect(expr("REPLACE(s, 'a', 'b')")).toMatchObject({ name: 'REPLACE' });
    expect(expr('TRIM(s)')).toEqual({ type: 'func', name: 'TRIM', args: [c('s')] });
    expect(expr("TRIM('x' FROM s)")).toEqual({ type: 'func', name: 'TRIM', args: [c('s'), { type: 'literal', kind: 'string', value: 'x' }] });
    expect(expr('TRIM(BOTH FROM s)')).toEqual({ type: 'func', name: 'TRIM', args: [c('s')], option: 'BOTH' });
    expect(expr('SUBSTR(s, 1, 2)')).toMatchObject({ name: 'SUBSTR', args: [c('s'), i('1'), i('2')] });
    expect(expr('SUBSTRING(s FROM 2)')).toMatchObject({ name: 'SUBSTRING', args: [c('s'), i('2')] });
    expect(expr('EXTRACT(DAY_SECOND FROM d)')).toEqual({ type: 'func', name: 'EXTRACT', args: [c('d')], option: 'DAY_SECOND' });
    expect(expr('POSITION(a IN b)')).toEqual({ type: 'func', name: 'LOCATE', args: [c('a'), c('b')] });
    expect(expr('TIMESTAMPDIFF(SQL_TSI_DAY, a, b)')).toEqual({ type: 'func', name: 'TIMESTAMPDIFF', args: [c('a'), c('b')], option: 'DAY' });
    expect(expr("GET_FORMAT(DATE, 'ISO')")).toMatchObject({ name: 'GET_FORMAT', option: 'DATE' });
    expect(expr('CHAR(65, 66 USING utf8mb4)')).toMatchObject({ name: 'CHAR', option: 'utf8mb4' });
    expect(expr('mydb.f(1)')).toEqual({ type: 'func', name: 'F', args: [i('1')], schema: 'mydb' });
  });

  it(req('CORE-SQL-015', 'unit', 'CAST / CONVERT targets map onto column types'), () => {
    expect(expr('CAST(a AS SIGNED INTEGER)')).toEqual({ type: 'cast', expr: c('a'), target: { name: 'BIGINT' }, targetKeyword: 'SIGNED' });
    expect(expr('CAST(a AS UNSIGNED)')).toMatchObject({ target: { name: 'BIGINT', unsigned: true } });
    expect(expr('CAST(a AS CHAR(3) CHARACTER SET latin1)')).toMatchObject({ target: { name: 'CHAR', length: 3, charset: 'latin1' } });
    expect(expr('CAST(a AS BINARY(2))')).toMatchObject({ target: { name: 'BINARY', length: 2 }, targetKeyword: 'BINARY' });
    expect(expr('CAST(a AS DECIMAL(10,2))')).toMatchObject({ target: { name: 'DECIMAL', length: 10, scale: 2 } });
    expect(expr('CAST(a AS DATETIME(6))')).toMatchObject({ target: { name: 'DATETIME', scale: 6 } });
    expect(expr('CAST(a AS FLOAT(30))')).toMatchObject({ target: { name: 'DOUBLE' } });
    expect(expr('CONVERT(a, JSON)')).toMatchObject({ type: 'cast', target: { name: 'JSON' } });
    expect(expr('CONVERT(a USING utf8mb4)')).toEqual({ type: 'convert_using', expr: c('a'), charset: 'utf8mb4' });
    expectSyntaxError(() => parseOne('SELECT CAST(a AS INT)'), 'INT)');
  });

  it(req('CORE-SQL-014', 'unit', 'aggregates and window functions'), () => {
    expect(expr('COUNT(*)')).toEqual({ type: 'aggregate', name: 'COUNT', args: [], star: true });
    expect(expr('count(DISTINCT a)')).toEqual({ type: 'aggregate', name: 'COUNT', args: [c('a')], distinct: true });
    expect(expr("GROUP_CONCAT(a ORDER BY a DESC SEPARATOR '-')")).toMatchObject({ name: 'GROUP_CONCAT', orderBy: [{ desc: true }], separator: '-' });
    expect(expr('SUM(a) OVER w')).toMatchObject({ type: 'aggregate', name: 'SUM', over: { name: 'w' } });
    expect(expr('RANK() OVER (ORDER BY a)')).toMatchObject({ type: 'window', name: 'RANK', over: { orderBy: [{ expr: c('a') }] } });
    expect(expr('LAG(a, 1, 0) OVER (PARTITION BY b)')).toMatchObject({ type: 'window', name: 'LAG', args: [c('a'), i('1'), i('0')] });
    expect(expr('SUM(a) OVER (ORDER BY b RANGE UNBOUNDED PRECEDING)')).toMatchObject({ over: { frame: 'RANGE UNBOUNDED PRECEDING' } });
    const w = core('SELECT SUM(a) OVER w FROM t WINDOW w AS (PARTITION BY b)');
    expect(w.windows).toEqual([{ name: 'w', spec: { partitionBy: [c('b')] } }]);
  });

  it(req('CORE-SQL-011', 'unit', 'parseExpression parses a stand-alone expression'), () => {
    expect(parseExpression('(`a` * 2)')).toEqual({ type: 'binary', op: '*', left: c('a'), right: i('2') });
    expectSyntaxError(() => parseExpression('1 +'), '');
    expectSyntaxError(() => parseExpression('1 2'), '2');
  });

  it(req('CORE-SQL-017', 'unit', 'select item text is the exact source text'), () => {
    const items = core('SELECT  1 + 1 ,a   *  b AS x, CONCAT( a ,b )  FROM t').items;
    expect(items.map((x) => x.text)).toEqual(['1 + 1', 'a   *  b', 'CONCAT( a ,b )']);
  });
});

describe('parenthesised subqueries', () => {
  it(req('CORE-SQL-012', 'unit', 'nested parentheses decide between query and expression by what follows'), () => {
    expect(expr('((SELECT 1) + 2)')).toMatchObject({ type: 'binary', op: '+', left: { type: 'subquery' } });
    expect(expr('((SELECT 1))')).toMatchObject({ type: 'subquery' });
    expect(expr('a IN ((SELECT 1) UNION (SELECT 2))')).toMatchObject({ type: 'in', subquery: { query: { type: 'set_op' } } });
    expect(expr('a IN ((1), (2))')).toMatchObject({ type: 'in', list: [{ value: '1' }, { value: '2' }] });
    expect(expr('+1')).toEqual({ type: 'literal', kind: 'int', value: '1' });
  });
});

describe('function name spacing', () => {
  it(req(['CORE-SQL-013', 'CORE-SQL-041'], 'unit', 'built-in function keywords need ( right after the name unless IGNORE_SPACE'), () => {
    expectSyntaxError(() => parseOne('SELECT COUNT (*) FROM t'), '*) FROM t');
    expect(expr('SUM (a)')).toEqual({ type: 'func', name: 'SUM', args: [c('a')] });
    expect(expr('SUM (a)', { sqlMode: new Set(['IGNORE_SPACE']) })).toMatchObject({ type: 'aggregate', name: 'SUM' });
    expect(expr('CONCAT (a)')).toEqual({ type: 'func', name: 'CONCAT', args: [c('a')] });
  });
});
