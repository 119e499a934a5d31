import { describe, expect, it } from 'vitest';
import { req } from '../../helpers/req.js';
import { parseOne } from '../../../src/sql/parser/index.js';
import { core, expectSyntaxError, sqlErr, stmt } from './helpers.js';

describe('SELECT', () => {
  it(req('CORE-SQL-017', 'unit', 'modifiers, aliases with and without AS, quoted aliases'), () => {
    const q = core("SELECT DISTINCT SQL_CALC_FOUND_ROWS a AS x, b y, c 'z', d AS `w w`, e AS \"v\" FROM t");
    expect(q.distinct).toBe(true);
    expect(q.modifiers).toEqual(['SQL_CALC_FOUND_ROWS']);
    expect(q.items.map((i) => i.alias)).toEqual(['x', 'y', 'z', 'w w', 'v']);
    expect(core('SELECT 1').from).toEqual([]);
    expect(core('SELECT 1 FROM DUAL').from).toEqual([{ type: 'dual' }]);
  });

  it(req('CORE-SQL-017', 'unit', 'WHERE, GROUP BY WITH ROLLUP, HAVING, ORDER BY, LIMIT forms'), () => {
    const q = core('SELECT a, COUNT(*) FROM t WHERE a > 1 GROUP BY a WITH ROLLUP HAVING COUNT(*) > 2 ORDER BY a DESC, 2 LIMIT 5');
    expect(q.where).toMatchObject({ op: '>' });
    expect(q.withRollup).toBe(true);
    expect(q.having).toMatchObject({ op: '>' });
    expect(q.orderBy?.map((o) => o.desc)).toEqual([true, false]);
    expect(q.limit).toEqual({ count: { type: 'literal', kind: 'int', value: '5' } });
    expect(core('SELECT 1 LIMIT 2, 3').limit).toEqual({ offset: { type: 'literal', kind: 'int', value: '2' }, count: { type: 'literal', kind: 'int', value: '3' } });
    expect(core('SELECT 1 LIMIT 3 OFFSET 2').limit).toEqual({ offset: { type: 'literal', kind: 'int', value: '2' }, count: { type: 'literal', kind: 'int', value: '3' } });
    expect(core('SELECT 1 LIMIT ?, ?', { allowParams: true }).limit).toEqual({ offset: { type: 'param', index: 0 }, count: { type: 'param', index: 1 } });
  });

  it(req('CORE-SQL-017', 'unit', 'locking clauses and INTO variables'), () => {
    expect(core('SELECT * FROM t FOR UPDATE').lock).toBe('UPDATE');
    expect(core('SELECT * FROM t FOR SHARE NOWAIT')).toMatchObject({ lock: 'SHARE', lockOption: 'NOWAIT' });
    expect(core('SELECT * FROM t LOCK IN SHARE MODE').lock).toBe('SHARE');
    expect(core('SELECT a, b INTO @x, @y FROM t').into).toEqual([{ type: 'uservar', name: 'x' }, { type: 'uservar', name: 'y' }]);
    expect(core('SELECT a FROM t LIMIT 1 INTO @x').into).toEqual([{ type: 'uservar', name: 'x' }]);
    // INTO OUTFILE is parsed now (spec/core-load.md, CORE-LOAD-020).
    expect(core("SELECT 1 INTO OUTFILE '/tmp/x'").intoFile).toEqual({ kind: 'outfile', file: '/tmp/x' });
  });

  it(req('CORE-SQL-018', 'unit', 'joins: comma, INNER, CROSS, LEFT/RIGHT OUTER, STRAIGHT_JOIN, NATURAL, USING'), () => {
    const q = core('SELECT * FROM a, b INNER JOIN c ON b.x = c.x CROSS JOIN d LEFT OUTER JOIN e USING (id) RIGHT JOIN f ON 1 STRAIGHT_JOIN g NATURAL LEFT JOIN h');
    expect(q.from).toHaveLength(2);
    expect(q.from[1]).toMatchObject({
      type: 'join', kind: 'NATURAL LEFT',
      left: { kind: 'STRAIGHT', left: { kind: 'RIGHT', left: { kind: 'LEFT', using: ['id'], left: { kind: 'CROSS', left: { kind: 'INNER', on: { op: '=' } } } } } },
    });
    expect(core('SELECT * FROM a JOIN b').from[0]).toMatchObject({ kind: 'INNER' });
    expect(core('SELECT * FROM (a, b) JOIN c ON 1').from[0]).toMatchObject({ left: { type: 'join', kind: 'CROSS' } });
    expectSyntaxError(() => parseOne('SELECT * FROM a LEFT JOIN b WHERE 1'), 'WHERE 1');
  });

  it(req('CORE-SQL-018', 'unit', 'table aliases, derived tables, LATERAL, index hints, qualified names'), () => {
    const q = core('SELECT * FROM db.t AS x USE INDEX (i1) IGNORE KEY FOR ORDER BY (i2), (SELECT 1 AS a) d (c1), LATERAL (SELECT x.a) AS l');
    expect(q.from[0]).toEqual({
      type: 'table', table: { schema: 'db', name: 't' }, alias: 'x',
      indexHints: [{ kind: 'USE', indexes: ['i1'] }, { kind: 'IGNORE', indexes: ['i2'] }],
    });
    expect(q.from[1]).toMatchObject({ type: 'derived', alias: 'd', columnAliases: ['c1'] });
    expect(q.from[2]).toMatchObject({ type: 'derived', alias: 'l', lateral: true });
    expect(core('SELECT * FROM t status').from[0]).toMatchObject({ alias: 'status' });
    const e = sqlErr(() => parseOne('SELECT * FROM (SELECT 1)'));
    expect([e.errno, e.message]).toEqual([1248, 'Every derived table must have its own alias']);
  });

  it(req('CORE-SQL-019', 'unit', 'UNION / EXCEPT / INTERSECT with ALL / DISTINCT and trailing ORDER BY / LIMIT'), () => {
    const s = stmt('SELECT 1 UNION ALL SELECT 2 UNION DISTINCT SELECT 3 ORDER BY 1 LIMIT 1', 'select');
    expect(s.query).toMatchObject({ type: 'set_op', op: 'UNION', all: false, left: { type: 'set_op', all: true }, orderBy: [{}], limit: {} });
    expect((s.query as { right: { orderBy?: unknown } }).right.orderBy).toBeUndefined();
    const p = stmt('(SELECT 1 ORDER BY 1 LIMIT 1) UNION (SELECT 2) ORDER BY 1 DESC', 'select');
    expect(p.query).toMatchObject({ type: 'set_op', left: { orderBy: [{}], limit: {} }, orderBy: [{ desc: true }] });
    expect(stmt('SELECT 1 UNION SELECT 2 INTERSECT SELECT 3', 'select').query).toMatchObject({ op: 'UNION', right: { op: 'INTERSECT' } });
    expect(stmt('SELECT 1 EXCEPT SELECT 2', 'select').query).toMatchObject({ op: 'EXCEPT' });
    expect(stmt('(SELECT 1) ORDER BY 1', 'select').query).toMatchObject({ type: 'select_core', orderBy: [{}] });
    expectSyntaxError(() => parseOne('SELECT 1 LIMIT 1 UNION SELECT 2'), 'UNION SELECT 2');
  });

  it(req('CORE-SQL-016', 'unit', 'WITH [RECURSIVE] CTEs, TABLE t, VALUES ROW()'), () => {
    const s = stmt('WITH RECURSIVE c (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM c WHERE n < 3), d AS (SELECT 2) SELECT * FROM c, d', 'select');
    expect(s.with?.recursive).toBe(true);
    expect(s.with?.ctes.map((x) => [x.name, x.columns])).toEqual([['c', ['n']], ['d', undefined]]);
    expect(core('TABLE db.t ORDER BY a LIMIT 1')).toMatchObject({ from: [{ type: 'table', table: { schema: 'db', name: 't' } }], items: [{ text: '*' }], limit: {} });
    expect(core('VALUES ROW(1, 2), ROW(3, 4)').valuesRows).toHaveLength(2);
  });
});

describe('select item names', () => {
  it(req('CORE-SQL-017', 'unit', 'comments and executable-comment markers are cut from the item text'), () => {
    expect(core('SELECT 1/*c*/+1, 2 /*!80000 + 3 */ , a -- x\n + b FROM t').items.map((i) => i.text)).toEqual(['1+1', '2  + 3', 'a \n + b']);
  });
});
