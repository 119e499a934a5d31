import { describe, expect, it } from 'vitest';
import { req } from '../../helpers/req.js';
import { parseOne } from '../../../src/sql/parser/index.js';
import { expectSyntaxError, stmt } from './helpers.js';

const i = (v: string) => ({ type: 'literal', kind: 'int', value: v });

describe('DML', () => {
  it(req('CORE-SQL-021', 'unit', 'INSERT VALUES / VALUE with columns, DEFAULT and multiple rows'), () => {
    const s = stmt('INSERT INTO db.t (a, b) VALUES (1, DEFAULT), (2, 3)', 'insert');
    expect(s).toMatchObject({ replace: false, ignore: false, table: { schema: 'db', name: 't' }, columns: ['a', 'b'] });
    expect(s.values).toEqual([[i('1'), { type: 'default' }], [i('2'), i('3')]]);
    expect(stmt('INSERT t VALUE ()', 'insert').values).toEqual([[]]);
    expect(stmt('INSERT INTO t () VALUES ()', 'insert').columns).toEqual([]);
    expect(stmt('INSERT LOW_PRIORITY IGNORE INTO t VALUES (1)', 'insert')).toMatchObject({ priority: 'LOW_PRIORITY', ignore: true });
    expect(stmt('INSERT INTO t VALUES ROW(1), ROW(2)', 'insert').values).toEqual([[i('1')], [i('2')]]);
  });

  it(req('CORE-SQL-021', 'unit', 'INSERT SET, INSERT SELECT, REPLACE'), () => {
    expect(stmt('INSERT INTO t SET a = 1, b = a + 1', 'insert').set?.map((x) => x.column.name)).toEqual(['a', 'b']);
    expect(stmt('INSERT INTO t (a) SELECT x FROM s WHERE y', 'insert').select?.kind).toBe('select');
    expect(stmt('INSERT INTO t (SELECT 1)', 'insert').select).toBeDefined();
    expect(stmt('INSERT INTO t TABLE s', 'insert').select).toBeDefined();
    expect(stmt('REPLACE INTO t VALUES (1)', 'insert')).toMatchObject({ replace: true });
  });

  it(req('CORE-SQL-021', 'unit', 'ON DUPLICATE KEY UPDATE with VALUES(col) and row alias'), () => {
    const s = stmt('INSERT INTO t (a, b) VALUES (1, 2) ON DUPLICATE KEY UPDATE b = VALUES(b) + 1', 'insert');
    expect(s.onDuplicate).toEqual([{ column: { type: 'column', name: 'b' }, value: { type: 'binary', op: '+', left: { type: 'values_ref', column: 'b' }, right: i('1') } }]);
    const r = stmt('INSERT INTO t VALUES (1, 2) AS new (x, y) ON DUPLICATE KEY UPDATE b = new.y', 'insert');
    expect(r.rowAlias).toEqual({ name: 'new', columns: ['x', 'y'] });
    expect(r.onDuplicate?.[0]?.value).toEqual({ type: 'column', table: 'new', name: 'y' });
    expect(stmt('INSERT INTO t SELECT * FROM s ON DUPLICATE KEY UPDATE a = 1', 'insert').onDuplicate).toHaveLength(1);
  });

  it(req('CORE-SQL-022', 'unit', 'UPDATE single and multi-table with ORDER BY / LIMIT'), () => {
    const s = stmt('UPDATE LOW_PRIORITY IGNORE t SET a = a + 1, t.b = DEFAULT WHERE id = 2 ORDER BY id DESC LIMIT 3', 'update');
    expect(s).toMatchObject({ lowPriority: true, ignore: true, tables: [{ type: 'table', table: { name: 't' } }] });
    expect(s.set[1]).toEqual({ column: { type: 'column', table: 't', name: 'b' }, value: { type: 'default' } });
    expect(s.orderBy).toHaveLength(1);
    expect(s.limit).toEqual({ count: i('3') });
    const m = stmt('UPDATE a JOIN b ON a.id = b.id SET a.x = b.x', 'update');
    expect(m.tables[0]).toMatchObject({ type: 'join', kind: 'INNER' });
  });

  it(req('CORE-SQL-023', 'unit', 'DELETE single-table and both multi-table forms'), () => {
    const s = stmt('DELETE LOW_PRIORITY QUICK IGNORE FROM t WHERE a = 1 ORDER BY a LIMIT 2', 'delete');
    expect(s).toMatchObject({ lowPriority: true, quick: true, ignore: true, multi: false, targets: [{ name: 't' }], from: [{ type: 'table' }] });
    expect(s.limit).toEqual({ count: i('2') });
    expect(stmt('DELETE FROM t AS x WHERE x.a = 1', 'delete').from[0]).toMatchObject({ alias: 'x' });
    const m1 = stmt('DELETE t1, t2.* FROM t1 JOIN t2 ON t1.id = t2.id WHERE t1.a = 1', 'delete');
    expect(m1).toMatchObject({ multi: true, targets: [{ name: 't1' }, { name: 't2' }], from: [{ type: 'join' }] });
    const m2 = stmt('DELETE FROM t1, t2 USING t1 JOIN t2 ON t1.id = t2.id', 'delete');
    expect(m2).toMatchObject({ multi: true, targets: [{ name: 't1' }, { name: 't2' }] });
    expectSyntaxError(() => parseOne('DELETE FROM t1, t2 WHERE 1'), 'WHERE 1');
  });

  it(req('CORE-SQL-024', 'unit', 'LOAD DATA with field / line options, column list and SET'), () => {
    const s = stmt(
      "LOAD DATA LOCAL INFILE '/tmp/x.csv' REPLACE INTO TABLE t FIELDS TERMINATED BY ',' OPTIONALLY ENCLOSED BY '\"' ESCAPED BY '\\\\' LINES STARTING BY '>' TERMINATED BY '\\n' IGNORE 1 LINES (a, @b) SET c = @b",
      'load_data',
    );
    expect(s).toMatchObject({
      local: true, file: '/tmp/x.csv', replace: true, table: { name: 't' }, fieldsTerminatedBy: ',', fieldsEnclosedBy: '"',
      fieldsOptionallyEnclosed: true, fieldsEscapedBy: '\\', linesStartingBy: '>', linesTerminatedBy: '\n', ignoreLines: 1,
      columns: ['a', '@b'],
    });
    expect(s.set).toHaveLength(1);
  });
});

describe('WITH before UPDATE / DELETE', () => {
  it(req(['CORE-SQL-016', 'CORE-SQL-022', 'CORE-SQL-023'], 'unit', 'common table expressions may precede UPDATE and DELETE'), () => {
    expect(stmt('WITH c AS (SELECT 1 AS x) UPDATE t, c SET t.a = c.x', 'update').with?.ctes[0]?.name).toBe('c');
    expect(stmt('WITH RECURSIVE c AS (SELECT 1) DELETE FROM t WHERE a IN (SELECT * FROM c)', 'delete').with?.recursive).toBe(true);
  });
});
