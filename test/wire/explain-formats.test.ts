/**
 * EXPLAIN over the wire (mysql2 on the Unix socket): the statement forms, FORMAT and
 * explain_format, MySQL's JSON layout (checked after JSON.parse), the iterator tree, EXPLAIN of
 * statements that change rows, the traditional rows of nested blocks, EXPLAIN ANALYZE with the
 * executor's exact row and loop counts, and EXPLAIN FOR CONNECTION with several connections.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type mysql from 'mysql2/promise';
import { req } from '../helpers/req.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { errorOf } from '../helpers/sql.js';

let srv: TestServer;
let c: mysql.Connection;

type Rows = mysql.RowDataPacket[];

async function q(sql: string, conn: mysql.Connection = c): Promise<Rows> {
  const [rows] = await conn.query<Rows>(sql);
  return rows;
}

/** The one value of a JSON / TREE EXPLAIN. */
async function one(sql: string, conn: mysql.Connection = c): Promise<string> {
  const rows = await q(sql, conn);
  expect(rows).toHaveLength(1);
  expect(Object.keys(rows[0]!)).toEqual(['EXPLAIN']);
  return String(rows[0]!['EXPLAIN']);
}

type J = Record<string, unknown>;
async function json(sql: string): Promise<J> {
  return JSON.parse(await one(`EXPLAIN FORMAT=JSON ${sql}`)) as J;
}

async function tree(sql: string): Promise<string[]> {
  const text = await one(`EXPLAIN FORMAT=TREE ${sql}`);
  expect(text.endsWith('\n')).toBe(true);
  return text.slice(0, -1).split('\n');
}

/** EXPLAIN ANALYZE lines with the times replaced by T (they are only checked for shape). */
async function analyze(sql: string, conn: mysql.Connection = c): Promise<string[]> {
  const text = await one(`EXPLAIN ANALYZE ${sql}`, conn);
  const lines = text.slice(0, -1).split('\n');
  for (const l of lines) {
    const m = /\(actual time=([^ ]+)\.\.([^ ]+) rows=/.exec(l);
    if (m) {
      expect(Number(m[1])).toBeGreaterThanOrEqual(0);
      expect(Number(m[2])).toBeGreaterThanOrEqual(0);
    }
  }
  return lines.map((l) => l.replace(/\(cost=[^)]*\)/, '(cost)').replace(/actual time=[^ ]+\.\.[^ ]+ /, 'actual time=T '));
}

beforeAll(async () => {
  srv = await startTestServer();
  c = await srv.connect({ socket: true });
  await c.query('CREATE DATABASE ex');
  await c.query('USE ex');
  await c.query('CREATE TABLE t1 (a INT PRIMARY KEY, b INT, c VARCHAR(10), KEY kb (b))');
  await c.query('CREATE TABLE t2 (x INT, y INT)');
  await c.query("INSERT INTO t1 VALUES (1,10,'a'),(2,20,'b'),(3,10,'c')");
  await c.query('INSERT INTO t2 VALUES (1,1),(2,2),(3,3),(4,4)');
}, 60_000);

afterAll(async () => {
  await c?.end();
  await srv?.stop();
});

describe('EXPLAIN statement forms and formats', () => {
  it(req(['CORE-EXPLAIN-001#forms'], 'wire', 'EXPLAIN, DESCRIBE and DESC explain SELECT, TABLE, VALUES, WITH, INSERT, REPLACE, UPDATE and DELETE alike'), async () => {
    const stmts = [
      'SELECT * FROM t1',
      'TABLE t2',
      'VALUES ROW(1), ROW(2)',
      'WITH w AS (SELECT a FROM t1) SELECT * FROM w',
      'INSERT INTO t2 VALUES (9, 9)',
      'REPLACE INTO t1 VALUES (9, 9, "z")',
      'UPDATE t1 SET b = 1 WHERE a = 2',
      'DELETE FROM t2 WHERE x = 1',
    ];
    for (const s of stmts) {
      const e = await q(`EXPLAIN ${s}`);
      expect(e.length).toBeGreaterThan(0);
      expect(await q(`DESCRIBE ${s}`)).toEqual(e);
      expect(await q(`DESC ${s}`)).toEqual(e);
    }
    // Explaining changes nothing.
    expect((await q('SELECT COUNT(*) AS n FROM t2'))[0]!['n']).toBe(4);
    expect((await q('SELECT b FROM t1 WHERE a = 2'))[0]!['b']).toBe(20);
  });

  it(req(['CORE-EXPLAIN-001#syntax'], 'wire', 'EXTENDED, PARTITIONS, FORMAT before ANALYZE and ANALYZE FOR CONNECTION are syntax errors'), async () => {
    for (const s of ['EXPLAIN EXTENDED SELECT 1', 'EXPLAIN PARTITIONS SELECT * FROM t1', 'EXPLAIN FORMAT=TREE ANALYZE SELECT 1', 'EXPLAIN ANALYZE FOR CONNECTION 1']) {
      const e = await errorOf(c.query(s));
      expect(e.errno, s).toBe(1064);
      expect(e.sqlState).toBe('42000');
    }
  });

  it(req(['CORE-EXPLAIN-002#e1791'], 'wire', 'an unknown format name is 1791; the known ones are case-insensitive words or strings'), async () => {
    expect(await errorOf(c.query('EXPLAIN FORMAT=XML SELECT 1'))).toEqual({ errno: 1791, sqlState: 'HY000', message: "Unknown EXPLAIN format name: 'XML'" });
    expect(await errorOf(c.query("EXPLAIN FORMAT='yaml' SELECT 1"))).toEqual({ errno: 1791, sqlState: 'HY000', message: "Unknown EXPLAIN format name: 'yaml'" });
    expect(JSON.parse(await one("EXPLAIN FORMAT='json' SELECT * FROM t1"))).toHaveProperty('query_block.table.table_name', 't1');
    expect(await one('EXPLAIN FORMAT=tree SELECT * FROM t1')).toBe('-> Table scan on t1  (cost=1.05 rows=3)\n');
    expect((await q('EXPLAIN FORMAT=Traditional SELECT * FROM t1'))[0]).toMatchObject({ table: 't1', type: 'ALL' });
  });

  it(req(['CORE-EXPLAIN-002#variable'], 'wire', 'explain_format decides the format of EXPLAIN without FORMAT; FORMAT overrides it; DEFAULT is TRADITIONAL'), async () => {
    const conn = await srv.connect({ socket: true, database: 'ex' });
    try {
      expect((await q('SELECT @@explain_format AS f', conn))[0]!['f']).toBe('TRADITIONAL');
      await conn.query('SET explain_format = TREE');
      expect(await one('EXPLAIN SELECT * FROM t1', conn)).toBe('-> Table scan on t1  (cost=1.05 rows=3)\n');
      expect((await q('EXPLAIN FORMAT=TRADITIONAL SELECT * FROM t1', conn))[0]).toMatchObject({ id: 1, table: 't1' });
      await conn.query('SET explain_format = JSON');
      expect(JSON.parse(await one('EXPLAIN SELECT * FROM t1', conn))).toHaveProperty('query_block.select_id', 1);
      await conn.query('SET explain_format = DEFAULT');
      expect((await q('SELECT @@explain_format AS f', conn))[0]!['f']).toBe('TRADITIONAL');
      expect((await q('EXPLAIN SELECT * FROM t1', conn))[0]).toMatchObject({ select_type: 'SIMPLE', table: 't1' });
      // DESCRIBE of a table is SHOW COLUMNS whatever the variable says.
      await conn.query('SET explain_format = JSON');
      expect((await q('DESCRIBE t1', conn)).map((r) => r['Field'])).toEqual(['a', 'b', 'c']);
    } finally {
      await conn.end();
    }
  });
});

describe('EXPLAIN FORMAT=JSON', () => {
  it(req(['CORE-EXPLAIN-003#table', 'CORE-EXPLAIN-004'], 'wire', "one table: MySQL's keys in MySQL's order, costs from our model"), async () => {
    const [rows, fields] = await c.query<Rows>("EXPLAIN FORMAT=JSON SELECT a, c FROM t1 WHERE c > 'a'");
    expect(fields.map((f) => f.name)).toEqual(['EXPLAIN']);
    expect(rows).toHaveLength(1);
    const text = String(rows[0]!['EXPLAIN']);
    // Two-space indentation, as MySQL prints it.
    expect(text.split('\n')[1]).toBe('  "query_block": {');
    const doc = JSON.parse(text) as J;
    expect(doc).toEqual({
      query_block: {
        select_id: 1,
        cost_info: { query_cost: '1.05' },
        table: {
          table_name: 't1',
          access_type: 'ALL',
          rows_examined_per_scan: 3,
          rows_produced_per_join: 1,
          filtered: '33.33',
          cost_info: { read_cost: '0.75', eval_cost: '0.30', prefix_cost: '1.05', data_read_per_join: '26' },
          used_columns: ['a', 'c'],
          attached_condition: "(`ex`.`t1`.`c` > 'a')",
        },
      },
    });
    expect(Object.keys((doc['query_block'] as J)['table'] as J)).toEqual([
      'table_name', 'access_type', 'rows_examined_per_scan', 'rows_produced_per_join', 'filtered', 'cost_info', 'used_columns', 'attached_condition',
    ]);
    // An index read: possible_keys, key, used_key_parts, key_length and ref.
    const ref = (await json('SELECT * FROM t1 WHERE b = 10'))['query_block'] as J;
    expect(ref['table']).toMatchObject({ table_name: 't1', access_type: 'ref', possible_keys: ['kb'], key: 'kb', used_key_parts: ['b'], key_length: '5', ref: ['const'], rows_examined_per_scan: 3 });
  });

  it(req(['CORE-EXPLAIN-003#nested-loop', 'CORE-EXPLAIN-004'], 'wire', 'a join is a nested_loop of table entries in join order, prefix costs adding up'), async () => {
    const qb = (await json('SELECT * FROM t1 JOIN t2 ON t1.a = t2.x'))['query_block'] as J;
    const loop = qb['nested_loop'] as { table: J }[];
    expect(loop.map((x) => x.table['table_name'])).toEqual(['t1', 't2']);
    expect(loop[0]!.table).toMatchObject({ access_type: 'ALL', rows_examined_per_scan: 3, rows_produced_per_join: 3, filtered: '100.00', cost_info: { prefix_cost: '1.05' } });
    // t2 is read once per row of t1: 3 x 4 rows examined, 10% kept by the equality.
    expect(loop[1]!.table).toMatchObject({ access_type: 'ALL', rows_examined_per_scan: 4, rows_produced_per_join: 1, filtered: '10.00', cost_info: { read_cost: '3.00', eval_cost: '1.20', prefix_cost: '5.25' }, attached_condition: '(`ex`.`t1`.`a` = `ex`.`t2`.`x`)' });
    expect(qb['cost_info']).toEqual({ query_cost: '5.25' });
  });

  it(req(['CORE-EXPLAIN-003#operations'], 'wire', 'ORDER BY, GROUP BY and DISTINCT wrap the tables in ordering_operation, grouping_operation and duplicates_removal'), async () => {
    const ordered = (await json('SELECT * FROM t2 ORDER BY y'))['query_block'] as J;
    expect(ordered['ordering_operation']).toMatchObject({ using_filesort: true, table: { table_name: 't2' } });
    const grouped = (await json('SELECT b, COUNT(*) FROM t1 GROUP BY b'))['query_block'] as J;
    expect(grouped['grouping_operation']).toMatchObject({ using_temporary_table: true, using_filesort: false, table: { table_name: 't1' } });
    const distinct = (await json('SELECT DISTINCT y FROM t2'))['query_block'] as J;
    expect(distinct['duplicates_removal']).toMatchObject({ using_temporary_table: true, table: { table_name: 't2' } });
    // Read in the primary key's order: no sort.
    const byKey = (await json('SELECT * FROM t1 ORDER BY a LIMIT 2'))['query_block'] as J;
    expect(byKey['ordering_operation']).toMatchObject({ using_filesort: false, table: { access_type: 'index', key: 'PRIMARY' } });
  });

  it(req(['CORE-EXPLAIN-003#nested-blocks'], 'wire', 'derived tables, subqueries and UNION give materialized_from_subquery, select_list_subqueries / attached_subqueries and union_result'), async () => {
    const d = (await json('SELECT * FROM (SELECT b FROM t1) AS dt WHERE dt.b > 5'))['query_block'] as J;
    expect(d['table']).toMatchObject({ table_name: 'dt', attached_condition: '(`dt`.`b` > 5)', materialized_from_subquery: { using_temporary_table: true, dependent: false, cacheable: true, query_block: { select_id: 2, table: { table_name: 't1' } } } });
    const s = (await json('SELECT a, (SELECT COUNT(*) FROM t2 WHERE t2.x = t1.a) AS n FROM t1 WHERE a IN (SELECT x FROM t2)'))['query_block'] as J;
    expect(s['select_list_subqueries']).toMatchObject([{ dependent: true, cacheable: false, query_block: { table: { table_name: 't2' } } }]);
    expect((s['table'] as J)['attached_subqueries']).toMatchObject([{ dependent: false, cacheable: true, query_block: { table: { table_name: 't2' } } }]);
    const u = (await json('SELECT a FROM t1 UNION SELECT x FROM t2'))['query_block'] as J;
    expect(u['union_result']).toMatchObject({ using_temporary_table: true, table_name: '<union1,2>', access_type: 'ALL' });
    const specs = (u['union_result'] as J)['query_specifications'] as J[];
    expect(specs.map((x) => (x['query_block'] as J)['select_id'])).toEqual([1, 2]);
    expect(specs.map((x) => ((x['query_block'] as J)['table'] as J)['table_name'])).toEqual(['t1', 't2']);
    const all = (await json('SELECT a FROM t1 UNION ALL SELECT x FROM t2'))['query_block'] as J;
    expect(all['union_result']).toMatchObject({ using_temporary_table: false });
  });

  it(req(['CORE-EXPLAIN-003#no-tables'], 'wire', 'a block without tables is its select_id and "No tables used"'), async () => {
    expect(await json('SELECT 1')).toEqual({ query_block: { select_id: 1, message: 'No tables used' } });
  });
});

describe('EXPLAIN FORMAT=TREE', () => {
  it(req(['CORE-EXPLAIN-005', 'CORE-EXPLAIN-006#access'], 'wire', 'scans, lookups, unique lookups, ranges and index scans, indented under Filter lines'), async () => {
    expect(await tree("SELECT * FROM t1 WHERE c > 'a'")).toEqual(["-> Filter: (t1.c > 'a')  (cost=1.05 rows=1)", '    -> Table scan on t1  (cost=1.05 rows=3)']);
    expect(await tree('SELECT * FROM t1 WHERE b = 10')).toEqual(['-> Filter: (t1.b = 10)  (cost=1.05 rows=3)', '    -> Index lookup on t1 using kb (b=10)  (cost=1.05 rows=3)']);
    expect((await tree('SELECT * FROM t1 WHERE a = 2'))[1]).toBe('    -> Single-row index lookup on t1 using PRIMARY (a=2)  (cost=0.35 rows=1)');
    expect((await tree('SELECT * FROM t1 WHERE a > 1 AND a <= 3'))[1]).toBe('    -> Index range scan on t1 using PRIMARY over (1 < a <= 3)  (cost=1.05 rows=3)');
    expect((await tree('SELECT * FROM t1 WHERE a IN (1,3)'))[1]).toBe('    -> Index range scan on t1 using PRIMARY over (a = 1) OR (a = 3)  (cost=1.05 rows=3)');
    expect(await tree('SELECT * FROM t1 ORDER BY a DESC LIMIT 2')).toEqual(['-> Limit: 2 row(s)', '    -> Index scan on t1 using PRIMARY (reverse)  (cost=1.05 rows=3)']);
    expect(await tree('SELECT 1')).toEqual(['-> Rows fetched before execution  (cost=0 rows=1)']);
  });

  it(req(['CORE-EXPLAIN-006#join'], 'wire', 'inner and left joins are nested loops, the inner side under its conditions'), async () => {
    expect(await tree('SELECT * FROM t1 JOIN t2 ON t1.a = t2.x')).toEqual([
      '-> Nested loop inner join  (cost=5.25 rows=1.2)',
      '    -> Table scan on t1  (cost=1.05 rows=3)',
      '    -> Filter: (t1.a = t2.x)  (cost=1.4 rows=0.4)',
      '        -> Table scan on t2  (cost=1.4 rows=4)',
    ]);
    expect(await tree('SELECT * FROM t2 LEFT JOIN t1 ON t1.a = t2.x')).toEqual([
      '-> Nested loop left join  (cost=2.8 rows=4)',
      '    -> Table scan on t2  (cost=1.4 rows=4)',
      '    -> Filter: (t1.a = t2.x)  (cost=0.35 rows=1)',
      '        -> Single-row index lookup on t1 using PRIMARY (a=t2.x)  (cost=0.35 rows=1)',
    ]);
  });

  it(req(['CORE-EXPLAIN-006#stages'], 'wire', 'aggregation, HAVING, DISTINCT, ORDER BY and LIMIT are operators above the join'), async () => {
    const lines = await tree('SELECT b, COUNT(*) FROM t1 GROUP BY b HAVING COUNT(*) > 1 ORDER BY b LIMIT 5');
    expect(lines.map((l) => l.replace(/  \(cost=.*\)$/, ''))).toEqual([
      '-> Limit: 5 row(s)',
      '    -> Sort: t1.b, limit input to 5 row(s) per chunk',
      '        -> Filter: (count(0) > 1)',
      '            -> Table scan on <temporary>',
      '                -> Aggregate using temporary table',
      '                    -> Table scan on t1',
    ]);
    expect(await tree('SELECT COUNT(*) FROM t2')).toEqual(['-> Aggregate: count(0)  (cost=1.4 rows=1)', '    -> Table scan on t2  (cost=1.4 rows=4)']);
    expect((await tree('SELECT DISTINCT y FROM t2 LIMIT 3 OFFSET 1')).map((l) => l.replace(/  \(cost=.*\)$/, ''))).toEqual([
      '-> Limit/Offset: 3/1 row(s)',
      '    -> Table scan on <temporary>',
      '        -> Temporary table with deduplication',
      '            -> Table scan on t2',
    ]);
  });

  it(req(['CORE-EXPLAIN-006#nested'], 'wire', 'derived tables under Materialize, subqueries as Select #n, set operations'), async () => {
    expect((await tree('SELECT * FROM (SELECT b FROM t1) AS dt')).map((l) => l.replace(/  \(cost=.*\)$/, ''))).toEqual(['-> Table scan on dt', '    -> Materialize', '        -> Table scan on t1']);
    expect((await tree('SELECT a, (SELECT MAX(y) FROM t2 WHERE t2.x = t1.a) FROM t1')).map((l) => l.replace(/  \(cost=.*\)$/, ''))).toEqual([
      '-> Table scan on t1',
      '    -> Select #2 (subquery in projection; dependent)',
      '        -> Aggregate: max(t2.y)',
      '            -> Filter: (t2.x = t1.a)',
      '                -> Table scan on t2',
    ]);
    expect((await tree('SELECT a FROM t1 WHERE b > (SELECT MIN(y) FROM t2)')).map((l) => l.replace(/  \(cost=.*\)$/, ''))).toEqual([
      '-> Filter: (t1.b > (subquery))',
      '    -> Table scan on t1',
      '    -> Select #2 (subquery in condition; run only once)',
      '        -> Aggregate: min(t2.y)',
      '            -> Table scan on t2',
    ]);
    expect((await tree('SELECT a FROM t1 UNION SELECT x FROM t2')).map((l) => l.replace(/  \(cost=.*\)$/, ''))).toEqual([
      '-> Table scan on <union temporary>',
      '    -> Union materialize with deduplication',
      '        -> Table scan on t1',
      '        -> Table scan on t2',
    ]);
  });
});

describe('EXPLAIN of statements that change rows', () => {
  it(req(['CORE-EXPLAIN-007#update-delete'], 'wire', 'UPDATE and DELETE show the plan reading their rows, the target marked'), async () => {
    expect(await q('EXPLAIN UPDATE t1 SET c = "q" WHERE b = 10')).toEqual([
      { id: 1, select_type: 'UPDATE', table: 't1', partitions: null, type: 'ref', possible_keys: 'kb', key: 'kb', key_len: '5', ref: 'const', rows: 3, filtered: 100, Extra: 'Using where' },
    ]);
    expect((await q('EXPLAIN DELETE FROM t2 WHERE y > 2'))[0]).toMatchObject({ select_type: 'DELETE', table: 't2', type: 'ALL', rows: 4 });
    const d = (await json('DELETE FROM t2 WHERE y > 2'))['query_block'] as J;
    expect(Object.keys(d['table'] as J)[0]).toBe('delete');
    expect(d['table']).toMatchObject({ delete: true, table_name: 't2', access_type: 'ALL', attached_condition: '(`ex`.`t2`.`y` > 2)' });
    const u = (await json('UPDATE t1 JOIN t2 ON t1.a = t2.x SET t1.c = "m"'))['query_block'] as J;
    expect((u['nested_loop'] as { table: J }[]).map((x) => [x.table['table_name'], x.table['update'] ?? false])).toEqual([['t1', true], ['t2', false]]);
    // Nothing changed.
    expect((await q("SELECT COUNT(*) AS n FROM t1 WHERE c = 'q' OR c = 'm'"))[0]!['n']).toBe(0);
  });

  it(req(['CORE-EXPLAIN-007#insert'], 'wire', 'INSERT and REPLACE show the table written, then the plan of their SELECT'), async () => {
    expect(await q('EXPLAIN INSERT INTO t2 VALUES (7, 7)')).toEqual([
      { id: 1, select_type: 'INSERT', table: 't2', partitions: null, type: 'ALL', possible_keys: null, key: null, key_len: null, ref: null, rows: null, filtered: null, Extra: null },
    ]);
    expect((await q('EXPLAIN REPLACE INTO t1 VALUES (7, 7, "s")'))[0]).toMatchObject({ select_type: 'REPLACE', table: 't1' });
    expect((await q('EXPLAIN INSERT INTO t2 SELECT a, b FROM t1')).map((r) => [r['select_type'], r['table']])).toEqual([['INSERT', 't2'], ['SIMPLE', 't1']]);
    expect(await json('INSERT INTO t2 VALUES (7, 7)')).toEqual({ query_block: { select_id: 1, table: { insert: true, table_name: 't2', access_type: 'ALL' } } });
    expect((await json('INSERT INTO t2 SELECT a, b FROM t1'))['query_block']).toMatchObject({ table: { insert: true, table_name: 't2' }, insert_from: { table: { table_name: 't1' } } });
    expect((await q('SELECT COUNT(*) AS n FROM t2'))[0]!['n']).toBe(4);
  });

  it(req(['CORE-EXPLAIN-007#tree'], 'wire', 'FORMAT=TREE of single-table UPDATE / DELETE and INSERT is "<not executable by iterator executor>"'), async () => {
    for (const s of ['UPDATE t1 SET b = 1', 'DELETE FROM t2', 'INSERT INTO t2 VALUES (1, 1)']) expect(await one(`EXPLAIN FORMAT=TREE ${s}`)).toBe('<not executable by iterator executor>\n');
    expect((await tree('DELETE t2 FROM t2 JOIN t1 ON t1.a = t2.x'))[0]).toBe('-> Delete from t2 (buffered)');
  });
});

describe('the traditional format of nested blocks', () => {
  it(req(['CORE-EXPLAIN-010'], 'wire', 'PRIMARY, DERIVED, SUBQUERY, DEPENDENT SUBQUERY, UNION and UNION RESULT rows'), async () => {
    const pick = async (sql: string): Promise<unknown[][]> => (await q(`EXPLAIN ${sql}`)).map((r) => [r['id'], r['select_type'], r['table']]);
    expect(await pick('SELECT * FROM (SELECT b FROM t1) AS dt')).toEqual([[1, 'PRIMARY', '<derived2>'], [2, 'DERIVED', 't1']]);
    expect(await pick('SELECT a, (SELECT MAX(y) FROM t2 WHERE t2.x = t1.a) FROM t1')).toEqual([[1, 'PRIMARY', 't1'], [2, 'DEPENDENT SUBQUERY', 't2']]);
    expect(await pick('SELECT a FROM t1 WHERE b > (SELECT MIN(y) FROM t2)')).toEqual([[1, 'PRIMARY', 't1'], [2, 'SUBQUERY', 't2']]);
    expect(await pick('SELECT a FROM t1 UNION SELECT x FROM t2')).toEqual([[1, 'PRIMARY', 't1'], [2, 'UNION', 't2'], [null, 'UNION RESULT', '<union1,2>']]);
    expect(await pick('SELECT a FROM t1 UNION ALL SELECT x FROM t2')).toEqual([[1, 'PRIMARY', 't1'], [2, 'UNION', 't2']]);
    expect(await pick('SELECT * FROM t1')).toEqual([[1, 'SIMPLE', 't1']]);
  });
});

describe('EXPLAIN ANALYZE', () => {
  it(req(['CORE-EXPLAIN-008#counts'], 'wire', 'a nested loop of 3 x 4 rows: the inner table runs 3 loops of 4 rows, the join gives 12'), async () => {
    expect(await analyze('SELECT * FROM t1, t2')).toEqual([
      '-> Nested loop inner join  (cost) (actual time=T rows=12 loops=1)',
      '    -> Table scan on t1  (cost) (actual time=T rows=3 loops=1)',
      '    -> Table scan on t2  (cost) (actual time=T rows=4 loops=3)',
    ]);
    // Rows are per loop: 3 of the 12 (t1, t2) pairs match, 1 per loop.
    expect(await analyze('SELECT * FROM t1 JOIN t2 ON t1.a = t2.x')).toEqual([
      '-> Nested loop inner join  (cost) (actual time=T rows=3 loops=1)',
      '    -> Table scan on t1  (cost) (actual time=T rows=3 loops=1)',
      '    -> Filter: (t1.a = t2.x)  (cost) (actual time=T rows=1 loops=3)',
      '        -> Table scan on t2  (cost) (actual time=T rows=4 loops=3)',
    ]);
    // A left join NULL-extends: 2 + 1 matches and 2 extended rows; the WHERE keeps 3.
    expect(await analyze('SELECT * FROM t2 LEFT JOIN t1 ON t1.b = t2.x * 10 WHERE t2.y > 1')).toEqual([
      '-> Filter: (t2.y > 1)  (cost) (actual time=T rows=3 loops=1)',
      '    -> Nested loop left join  (cost) (actual time=T rows=5 loops=1)',
      '        -> Table scan on t2  (cost) (actual time=T rows=4 loops=1)',
      '        -> Filter: (t1.b = (t2.x * 10))  (cost) (actual time=T rows=0.75 loops=4)',
      '            -> Index lookup on t1 using kb (b=(t2.x * 10))  (cost) (actual time=T rows=0.75 loops=4)',
    ]);
    // A filter over a scan: rows examined below, rows kept above.
    expect(await analyze('SELECT * FROM t2 WHERE y >= 3')).toEqual([
      '-> Filter: (t2.y >= 3)  (cost) (actual time=T rows=2 loops=1)',
      '    -> Table scan on t2  (cost) (actual time=T rows=4 loops=1)',
    ]);
    // The query really ran, and its rows were not returned.
    expect(await q('EXPLAIN ANALYZE SELECT * FROM t2')).toHaveLength(1);
  });

  it(req(['CORE-EXPLAIN-008#stages'], 'wire', 'aggregation, HAVING, sorting, LIMIT and subqueries carry their own counts'), async () => {
    expect(await analyze('SELECT b, COUNT(*) FROM t1 GROUP BY b HAVING COUNT(*) > 1 ORDER BY b LIMIT 5')).toEqual([
      '-> Limit: 5 row(s) (actual time=T rows=1 loops=1)',
      '    -> Sort: t1.b, limit input to 5 row(s) per chunk  (cost) (actual time=T rows=1 loops=1)',
      '        -> Filter: (count(0) > 1) (actual time=T rows=1 loops=1)',
      '            -> Table scan on <temporary> (actual time=T rows=2 loops=1)',
      '                -> Aggregate using temporary table (actual time=T rows=2 loops=1)',
      '                    -> Table scan on t1  (cost) (actual time=T rows=3 loops=1)',
    ]);
    expect(await analyze('SELECT DISTINCT y % 2 FROM t2 LIMIT 1')).toEqual([
      '-> Limit: 1 row(s) (actual time=T rows=1 loops=1)',
      '    -> Table scan on <temporary> (actual time=T rows=1 loops=1)',
      '        -> Temporary table with deduplication (actual time=T rows=1 loops=1)',
      '            -> Table scan on t2  (cost) (actual time=T rows=1 loops=1)',
    ]);
    expect(await analyze('SELECT a, (SELECT COUNT(*) FROM t2 WHERE t2.x = t1.a) FROM t1')).toEqual([
      '-> Table scan on t1  (cost) (actual time=T rows=3 loops=1)',
      '    -> Select #2 (subquery in projection; dependent)',
      '        -> Aggregate: count(0)  (cost) (actual time=T rows=1 loops=3)',
      '            -> Filter: (t2.x = t1.a)  (cost) (actual time=T rows=1 loops=3)',
      '                -> Table scan on t2  (cost) (actual time=T rows=4 loops=3)',
    ]);
    // Run once: its result is kept for the three rows of t1.
    expect(await analyze('SELECT a FROM t1 WHERE b > (SELECT MIN(y) FROM t2)')).toEqual([
      '-> Filter: (t1.b > (subquery))  (cost) (actual time=T rows=3 loops=1)',
      '    -> Table scan on t1  (cost) (actual time=T rows=3 loops=1)',
      '    -> Select #2 (subquery in condition; run only once)',
      '        -> Aggregate: min(t2.y)  (cost) (actual time=T rows=1 loops=1)',
      '            -> Table scan on t2  (cost) (actual time=T rows=4 loops=1)',
    ]);
    expect(await analyze('SELECT a FROM t1 UNION ALL SELECT x FROM t2')).toEqual([
      '-> Append  (cost) (actual time=T rows=7 loops=1)',
      '    -> Stream results (actual time=T rows=3 loops=1)',
      '        -> Table scan on t1  (cost) (actual time=T rows=3 loops=1)',
      '    -> Stream results (actual time=T rows=4 loops=1)',
      '        -> Table scan on t2  (cost) (actual time=T rows=4 loops=1)',
    ]);
    // A prepared EXPLAIN ANALYZE counts each execution afresh.
    const [r1] = await c.execute<Rows>('EXPLAIN ANALYZE SELECT * FROM t1, t2');
    const [r2] = await c.execute<Rows>('EXPLAIN ANALYZE SELECT * FROM t1, t2');
    for (const r of [r1, r2]) expect(String(r[0]!['EXPLAIN'])).toMatch(/-> Table scan on t2 {2}\(cost=[^)]*\) \(actual time=[^ ]+ rows=4 loops=3\)/);
  });

  it(req(['CORE-EXPLAIN-008#never'], 'wire', 'an operator that never ran shows (never executed)'), async () => {
    expect(await analyze('SELECT * FROM t1 JOIN t2 ON t1.a = t2.x WHERE t1.b = 99')).toEqual([
      '-> Nested loop inner join  (cost) (actual time=T rows=0 loops=1)',
      '    -> Filter: (t1.b = 99)  (cost) (actual time=T rows=0 loops=1)',
      '        -> Index lookup on t1 using kb (b=99)  (cost) (actual time=T rows=0 loops=1)',
      '    -> Filter: (t1.a = t2.x)  (cost) (never executed)',
      '        -> Table scan on t2  (cost) (never executed)',
    ]);
  });

  it(req(['CORE-EXPLAIN-009#e1235-format'], 'wire', 'FORMAT=JSON / TRADITIONAL, or explain_format=JSON, with ANALYZE is 1235'), async () => {
    expect(await errorOf(c.query('EXPLAIN ANALYZE FORMAT=JSON SELECT * FROM t1'))).toEqual({ errno: 1235, sqlState: '42000', message: "This version of MySQL doesn't yet support 'EXPLAIN ANALYZE with JSON format'" });
    expect(await errorOf(c.query('EXPLAIN ANALYZE FORMAT=TRADITIONAL SELECT * FROM t1'))).toEqual({ errno: 1235, sqlState: '42000', message: "This version of MySQL doesn't yet support 'EXPLAIN ANALYZE with TRADITIONAL format'" });
    const conn = await srv.connect({ socket: true, database: 'ex' });
    try {
      await conn.query('SET explain_format = JSON');
      expect((await errorOf(conn.query('EXPLAIN ANALYZE SELECT * FROM t1'))).message).toBe("This version of MySQL doesn't yet support 'EXPLAIN ANALYZE with JSON format'");
      expect(await analyze('FORMAT=TREE SELECT * FROM t1', conn)).toEqual(['-> Table scan on t1  (cost) (actual time=T rows=3 loops=1)']);
      await conn.query('SET explain_format = TREE');
      expect(await analyze('SELECT * FROM t1', conn)).toEqual(['-> Table scan on t1  (cost) (actual time=T rows=3 loops=1)']);
    } finally {
      await conn.end();
    }
  });

  it(req(['CORE-EXPLAIN-009#e1235-dml'], 'wire', 'EXPLAIN ANALYZE of a statement that changes rows is 1235 and changes nothing'), async () => {
    for (const s of ['UPDATE t1 SET b = 0', 'DELETE FROM t2', 'INSERT INTO t2 VALUES (5, 5)']) {
      expect(await errorOf(c.query(`EXPLAIN ANALYZE ${s}`))).toEqual({ errno: 1235, sqlState: '42000', message: "This version of MySQL doesn't yet support 'EXPLAIN ANALYZE on this query'" });
    }
    expect((await q('SELECT COUNT(*) AS n FROM t2'))[0]!['n']).toBe(4);
    expect((await q('SELECT SUM(b) AS s FROM t1'))[0]!['s']).toBe('40');
  });
});

describe('EXPLAIN of random queries', () => {
  const query = fc.record({
    join: fc.constantFrom('', ' JOIN t2 ON t1.a = t2.x', ' LEFT JOIN t2 ON t1.a = t2.x', ', t2'),
    where: fc.constantFrom('', ' WHERE t1.b = 10', ' WHERE t1.a > 1', ' WHERE t1.a IN (1, 3)', " WHERE t1.c <> 'b'", ' WHERE t1.b > (SELECT MIN(y) FROM t2)'),
    group: fc.boolean(),
    distinct: fc.boolean(),
    order: fc.constantFrom('', ' ORDER BY 1', ' ORDER BY 1 DESC'),
    limit: fc.constantFrom('', ' LIMIT 2', ' LIMIT 1 OFFSET 1', ' LIMIT 0'),
  });
  const text = (x: { join: string; where: string; group: boolean; distinct: boolean; order: string; limit: string }): string =>
    `SELECT ${x.distinct ? 'DISTINCT ' : ''}${x.group ? 't1.b, COUNT(*)' : 't1.b, t1.c'} FROM t1${x.join}${x.where}${x.group ? ' GROUP BY t1.b' : ''}${x.order}${x.limit}`;

  it(req(['CORE-EXPLAIN-003#table', 'CORE-EXPLAIN-005', 'CORE-EXPLAIN-008#counts'], 'wire', 'every random query gives parseable JSON, a well-formed tree, and an analysed top line counting exactly the rows the query returns'), async () => {
    await fc.assert(
      fc.asyncProperty(query, async (x) => {
        const sql = text(x);
        const doc = JSON.parse(await one(`EXPLAIN FORMAT=JSON ${sql}`)) as J;
        expect((doc['query_block'] as J)['select_id']).toBe(1);
        const lines = (await one(`EXPLAIN FORMAT=TREE ${sql}`)).slice(0, -1).split('\n');
        for (const l of lines) expect(l, sql).toMatch(/^( {4})*-> \S/);
        const result = await q(sql);
        const top = (await one(`EXPLAIN ANALYZE ${sql}`)).split('\n')[0]!;
        const m = /\(actual time=[^ ]+ rows=([^ ]+) loops=(\d+)\)$/.exec(top);
        if (x.limit === ' LIMIT 0') expect(top, sql).toMatch(/never executed/);
        else {
          expect(m, `${sql}\n${top}`).not.toBeNull();
          expect(Number(m![1]) * Number(m![2]), `${sql}\n${top}`).toBe(result.length);
        }
      }),
      { numRuns: 40 },
    );
  });
});

describe('EXPLAIN FOR CONNECTION', () => {
  /** Wait until connection `id` shows `text` as its running statement. */
  async function runningOn(id: number, text: string): Promise<void> {
    for (let i = 0; i < 500; i++) {
      const rows = await q('SHOW FULL PROCESSLIST');
      if (rows.some((r) => r['Id'] === id && r['Info'] === text)) return;
      await new Promise((r) => setTimeout(r, 10));
    }
    throw new Error(`connection ${id} never ran ${text}`);
  }

  it(req(['CORE-EXPLAIN-011#plan', 'CORE-EXPLAIN-011#e3012', 'CORE-EXPLAIN-011#idle', 'CORE-EXPLAIN-011#e1094'], 'wire', "another connection's running SELECT is explained in each format; idle gives OK, unknown 1094, EXPLAIN itself and DO 3012"), async () => {
    const busy = await srv.connect({ socket: true, database: 'ex' });
    const idle = await srv.connect({ socket: true });
    try {
      const [[{ id }]] = (await busy.query('SELECT CONNECTION_ID() AS id')) as unknown as [[{ id: number }]];
      const [[{ id: idleId }]] = (await idle.query('SELECT CONNECTION_ID() AS id')) as unknown as [[{ id: number }]];
      const sql = 'SELECT x, SLEEP(0.5) FROM t2 WHERE y > 1';
      const running = busy.query(sql).catch((e: unknown) => e);
      await runningOn(id, sql);
      // In our session the default schema is ex too, but the plan uses the other's.
      await c.query('USE mysql');
      try {
        expect((await q(`EXPLAIN FOR CONNECTION ${id}`)).map((r) => [r['select_type'], r['table'], r['type'], r['Extra']])).toEqual([['SIMPLE', 't2', 'ALL', 'Using where']]);
        expect(JSON.parse(await one(`EXPLAIN FORMAT=JSON FOR CONNECTION ${id}`))).toMatchObject({ query_block: { table: { table_name: 't2', attached_condition: '(`ex`.`t2`.`y` > 1)' } } });
        expect(await one(`EXPLAIN FORMAT=TREE FOR CONNECTION ${id}`)).toBe('-> Filter: (t2.y > 1)  (cost=1.4 rows=1.33)\n    -> Table scan on t2  (cost=1.4 rows=4)\n');
        // No 1003 note for another connection's statement.
        expect(await q('SHOW WARNINGS')).toEqual([]);
      } finally {
        await c.query('USE ex');
      }
      await c.query(`KILL QUERY ${id}`);
      await running;
      // Idle: an OK packet, no rows.
      const [ok] = await c.query<mysql.ResultSetHeader>(`EXPLAIN FOR CONNECTION ${idleId}`);
      expect(ok).toMatchObject({ affectedRows: 0 });
      expect(Array.isArray(ok)).toBe(false);
      expect(await errorOf(c.query('EXPLAIN FOR CONNECTION 999999'))).toEqual({ errno: 1094, sqlState: 'HY000', message: 'Unknown thread id: 999999' });
      const [[{ me }]] = (await c.query('SELECT CONNECTION_ID() AS me')) as unknown as [[{ me: number }]];
      const notSupported = { errno: 3012, sqlState: 'HY000', message: 'EXPLAIN FOR CONNECTION command is supported only for SELECT/UPDATE/INSERT/DELETE/REPLACE' };
      expect(await errorOf(c.query(`EXPLAIN FOR CONNECTION ${me}`))).toEqual(notSupported);
      const doing = busy.query('DO SLEEP(5)').catch((e: unknown) => e);
      await runningOn(id, 'DO SLEEP(5)');
      expect(await errorOf(c.query(`EXPLAIN FOR CONNECTION ${id}`))).toEqual(notSupported);
      await c.query(`KILL QUERY ${id}`);
      await doing;
    } finally {
      await busy.end();
      await idle.end();
    }
  });

  it(req(['CORE-EXPLAIN-011#e1045'], 'wire', "another account's connection needs PROCESS: 1045 without it, the plan with it"), async () => {
    await c.query("CREATE USER 'peek'@'%' IDENTIFIED BY 'pw'");
    await c.query("GRANT SELECT ON ex.* TO 'peek'@'%'");
    const busy = await srv.connect({ socket: true, database: 'ex' });
    const peek = await srv.connect({ socket: true, user: 'peek', password: 'pw', database: 'ex' });
    try {
      const [[{ id }]] = (await busy.query('SELECT CONNECTION_ID() AS id')) as unknown as [[{ id: number }]];
      const sql = 'SELECT y, SLEEP(0.5) FROM t2';
      const running = busy.query(sql).catch((e: unknown) => e);
      await runningOn(id, sql);
      expect(await errorOf(peek.query(`EXPLAIN FOR CONNECTION ${id}`))).toEqual({ errno: 1045, sqlState: '28000', message: "Access denied for user 'peek'@'localhost' (using password: YES)" });
      await c.query("GRANT PROCESS ON *.* TO 'peek'@'%'");
      const peek2 = await srv.connect({ socket: true, user: 'peek', password: 'pw', database: 'ex' });
      try {
        expect((await q(`EXPLAIN FOR CONNECTION ${id}`, peek2))[0]).toMatchObject({ table: 't2', type: 'ALL' });
      } finally {
        await peek2.end();
      }
      await c.query(`KILL QUERY ${id}`);
      await running;
    } finally {
      await busy.end();
      await peek.end();
      await c.query("DROP USER 'peek'@'%'");
    }
  });
});
