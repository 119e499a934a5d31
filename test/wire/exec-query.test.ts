/**
 * SELECT engine over the wire: joins, grouping, ordering, subqueries, set operations, CTEs,
 * error texts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type mysql from 'mysql2/promise';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { req } from '../helpers/req.js';
import { queryError, type QueryFailure } from '../helpers/sql.js';

let srv: TestServer;
let c: mysql.Connection;

async function q(sql: string, params?: unknown[]): Promise<unknown> {
  const [rows] = await c.query(sql, params);
  return rows;
}
function err(sql: string): Promise<QueryFailure> {
  return queryError(c, sql);
}

beforeAll(async () => {
  srv = await startTestServer();
  c = await srv.connect();
  await c.query('CREATE DATABASE qd');
  await c.query('USE qd');
  await c.query('CREATE TABLE emp (id INT PRIMARY KEY, name VARCHAR(20) NOT NULL, dept INT, salary INT)');
  await c.query('CREATE TABLE dept (id INT PRIMARY KEY, dname VARCHAR(20))');
  await c.query("INSERT INTO dept VALUES (1,'eng'),(2,'ops'),(3,'empty')");
  await c.query("INSERT INTO emp VALUES (1,'ann',1,100),(2,'bob',1,80),(3,'cid',2,90),(4,'dan',NULL,70),(5,'eve',2,NULL)");
}, 60000);
afterAll(async () => {
  await c?.end();
  await srv?.stop();
});

describe('joins', () => {
  it(req('CORE-EXEC-032', 'wire', 'inner join with ON and index lookup'), async () => {
    expect(await q('SELECT e.name, d.dname FROM emp e JOIN dept d ON d.id = e.dept ORDER BY e.id')).toEqual([
      { name: 'ann', dname: 'eng' },
      { name: 'bob', dname: 'eng' },
      { name: 'cid', dname: 'ops' },
      { name: 'eve', dname: 'ops' },
    ]);
  });
  it(req('CORE-EXEC-032', 'wire', 'left and right joins null-extend'), async () => {
    expect(await q('SELECT d.dname, e.name FROM dept d LEFT JOIN emp e ON e.dept = d.id ORDER BY d.id, e.id')).toEqual([
      { dname: 'eng', name: 'ann' },
      { dname: 'eng', name: 'bob' },
      { dname: 'ops', name: 'cid' },
      { dname: 'ops', name: 'eve' },
      { dname: 'empty', name: null },
    ]);
    expect(await q('SELECT e.name, d.dname FROM dept d RIGHT JOIN emp e ON e.dept = d.id WHERE d.id IS NULL')).toEqual([{ name: 'dan', dname: null }]);
  });
  it(req('CORE-EXEC-032', 'wire', 'nested outer joins keep their NULL-extension semantics'), async () => {
    // dept 3 has no employees: the inner LEFT JOIN null-extends, the outer ON then fails for it
    expect(await q('SELECT d.id AS d, x.id AS x, e.id AS e FROM dept d LEFT JOIN (dept x LEFT JOIN emp e ON e.dept = x.id) ON d.id = e.dept AND x.id = d.id ORDER BY d.id, e.id')).toEqual([
      { d: 1, x: 1, e: 1 },
      { d: 1, x: 1, e: 2 },
      { d: 2, x: 2, e: 3 },
      { d: 2, x: 2, e: 5 },
      { d: 3, x: null, e: null },
    ]);
  });
  it(req('CORE-EXEC-032', 'wire', 'USING, NATURAL and comma joins'), async () => {
    await c.query('CREATE TABLE a1 (k INT, x INT)');
    await c.query('CREATE TABLE b1 (k INT, y INT)');
    await c.query('INSERT INTO a1 VALUES (1,10),(2,20)');
    await c.query('INSERT INTO b1 VALUES (2,200),(3,300)');
    expect(await q('SELECT * FROM a1 JOIN b1 USING (k)')).toEqual([{ k: 2, x: 20, y: 200 }]);
    expect(await q('SELECT * FROM a1 NATURAL JOIN b1')).toEqual([{ k: 2, x: 20, y: 200 }]);
    expect(await q('SELECT a1.x, b1.y FROM a1, b1 WHERE a1.k = b1.k')).toEqual([{ x: 20, y: 200 }]);
    expect(await q('SELECT COUNT(*) AS n FROM a1 CROSS JOIN b1')).toEqual([{ n: 4 }]);
  });
  it(req('CORE-EXEC-032', 'wire', 'ambiguous and unknown columns, duplicate alias'), async () => {
    expect(await err('SELECT id FROM emp JOIN dept ON 1')).toEqual({ errno: 1052, message: "Column 'id' in field list is ambiguous" });
    expect(await err('SELECT nope FROM emp')).toEqual({ errno: 1054, message: "Unknown column 'nope' in 'field list'" });
    expect(await err('SELECT id FROM emp WHERE nope = 1')).toEqual({ errno: 1054, message: "Unknown column 'nope' in 'where clause'" });
    expect(await err('SELECT id FROM emp ORDER BY nope')).toEqual({ errno: 1054, message: "Unknown column 'nope' in 'order clause'" });
    expect(await err('SELECT 1 FROM emp e JOIN dept e ON 1')).toEqual({ errno: 1066, message: "Not unique table/alias: 'e'" });
    expect(await err('SELECT * FROM nosuch')).toEqual({ errno: 1146, message: "Table 'qd.nosuch' doesn't exist" });
  });
});

describe('grouping and ordering', () => {
  it(req('CORE-EXEC-071', 'wire', 'GROUP BY an alias groups by its expression (also under ONLY_FULL_GROUP_BY); a FROM column wins over an alias of the same name'), async () => {
    const sql = "SELECT CASE WHEN salary < 80 THEN 'lo' WHEN salary < 95 THEN 'mid' ELSE 'hi' END AS band, COUNT(*) AS n FROM emp WHERE salary IS NOT NULL GROUP BY band ORDER BY band";
    expect(await q(sql)).toEqual([{ band: 'hi', n: 1 }, { band: 'lo', n: 1 }, { band: 'mid', n: 2 }]);
    expect(await q('SELECT id % 2 AS parity, COUNT(*) AS n FROM emp GROUP BY parity ORDER BY parity')).toEqual([{ parity: 0, n: 2 }, { parity: 1, n: 3 }]);
    expect(await q('SELECT salary DIV 50 AS k, COUNT(*) AS n FROM emp GROUP BY k WITH ROLLUP')).toEqual([
      { k: null, n: 1 }, { k: 1, n: 3 }, { k: 2, n: 1 }, { k: null, n: 5 },
    ]);
    // `id` is a column of emp: GROUP BY id groups by the column (five groups), while ORDER BY id
    // takes the alias first (dept: NULL sorts first).
    expect(await q('SELECT dept AS id, COUNT(*) AS n FROM emp GROUP BY id ORDER BY id LIMIT 2')).toEqual([{ id: null, n: 1 }, { id: 1, n: 1 }]);
  });
  it(req('CORE-EXEC-033', 'wire', 'GROUP BY with aggregates and HAVING'), async () => {
    expect(await q('SELECT dept, COUNT(*) AS n, SUM(salary) AS s, MAX(name) AS m FROM emp GROUP BY dept HAVING n > 1 ORDER BY dept')).toEqual([
      { dept: 1, n: 2, s: '180', m: 'bob' },
      { dept: 2, n: 2, s: '90', m: 'eve' },
    ]);
    expect(await q('SELECT AVG(salary) AS a, COUNT(salary) AS c, MIN(salary) AS mn FROM emp')).toEqual([{ a: '85.0000', c: 4, mn: 70 }]);
    expect(await q('SELECT COUNT(*) AS n FROM emp WHERE id > 100')).toEqual([{ n: 0 }]);
    expect(await q("SELECT GROUP_CONCAT(name ORDER BY name DESC SEPARATOR '-') AS g FROM emp WHERE dept = 1")).toEqual([{ g: 'bob-ann' }]);
    expect(await q('SELECT COUNT(DISTINCT dept) AS d FROM emp')).toEqual([{ d: 2 }]);
  });
  it(req('CORE-EXEC-041', 'wire', 'GROUP BY ... WITH ROLLUP adds super-aggregate rows'), async () => {
    expect(await q('SELECT dept, SUM(salary) AS s FROM emp WHERE dept IS NOT NULL GROUP BY dept WITH ROLLUP')).toEqual([
      { dept: 1, s: '180' },
      { dept: 2, s: '90' },
      { dept: null, s: '270' },
    ]);
    expect(await q('SELECT dept, name, COUNT(*) AS n FROM emp WHERE dept = 1 GROUP BY dept, name WITH ROLLUP')).toEqual([
      { dept: 1, name: 'ann', n: 1 },
      { dept: 1, name: 'bob', n: 1 },
      { dept: 1, name: null, n: 2 },
      { dept: null, name: null, n: 2 },
    ]);
  });
  it(req('CORE-EXEC-042', 'wire', 'window functions: ROW_NUMBER, RANK, running and partition aggregates, LAG'), async () => {
    expect(await q('SELECT id, ROW_NUMBER() OVER (PARTITION BY dept ORDER BY salary DESC) AS rn, SUM(salary) OVER (PARTITION BY dept) AS tot FROM emp WHERE dept IS NOT NULL ORDER BY id')).toEqual([
      { id: 1, rn: 1, tot: '180' },
      { id: 2, rn: 2, tot: '180' },
      { id: 3, rn: 1, tot: '90' },
      { id: 5, rn: 2, tot: '90' },
    ]);
    expect(await q('SELECT id, RANK() OVER w AS r, SUM(id) OVER w AS run, LAG(id) OVER w AS prev FROM emp WINDOW w AS (ORDER BY dept) ORDER BY id')).toEqual([
      { id: 1, r: 2, run: '7', prev: 4 },
      { id: 2, r: 2, run: '7', prev: 1 },
      { id: 3, r: 4, run: '15', prev: 2 },
      { id: 4, r: 1, run: '4', prev: null },
      { id: 5, r: 4, run: '15', prev: 3 },
    ]);
  });
  it(req('CORE-EXEC-033', 'wire', 'ONLY_FULL_GROUP_BY rejects nonaggregated columns'), async () => {
    const e = await err('SELECT dept, name FROM emp GROUP BY dept');
    expect(e.errno).toBe(1055);
    expect(e.message).toBe("Expression #2 of SELECT list is not in GROUP BY clause and contains nonaggregated column 'qd.emp.name' which is not functionally dependent on columns in GROUP BY clause; this is incompatible with sql_mode=only_full_group_by");
    const e2 = await err('SELECT name, COUNT(*) FROM emp');
    expect(e2.errno).toBe(1140);
    // grouping by the primary key determines the other columns
    expect(await q('SELECT id, name FROM emp GROUP BY id ORDER BY id LIMIT 1')).toEqual([{ id: 1, name: 'ann' }]);
  });
  it(req('CORE-EXEC-034', 'wire', 'ORDER BY: NULLs first, DESC, alias, ordinal, expressions, LIMIT/OFFSET'), async () => {
    expect(await q('SELECT id FROM emp ORDER BY salary')).toEqual([{ id: 5 }, { id: 4 }, { id: 2 }, { id: 3 }, { id: 1 }]);
    expect(await q('SELECT id, salary * 2 AS s2 FROM emp ORDER BY s2 DESC LIMIT 2')).toEqual([{ id: 1, s2: 200 }, { id: 3, s2: 180 }]);
    expect(await q('SELECT name FROM emp ORDER BY 1 LIMIT 1, 2')).toEqual([{ name: 'bob' }, { name: 'cid' }]);
    expect(await q('SELECT id FROM emp ORDER BY -id LIMIT 1')).toEqual([{ id: 5 }]);
    expect(await q("SELECT name FROM emp WHERE name IN ('ANN','Bob') ORDER BY name")).toEqual([{ name: 'ann' }, { name: 'bob' }]);
    expect(await q("SELECT name FROM emp WHERE id IN (3, 1, 3, 99, NULL, '1') ORDER BY id")).toEqual([{ name: 'ann' }, { name: 'cid' }]);
    expect(await q('SELECT e.name FROM dept d JOIN emp e ON e.id IN (d.id, 4) WHERE d.id = 2 ORDER BY e.id')).toEqual([{ name: 'bob' }, { name: 'dan' }]);
  });
  it(req('CORE-EXEC-035', 'wire', 'DISTINCT'), async () => {
    expect(await q('SELECT DISTINCT dept FROM emp ORDER BY dept')).toEqual([{ dept: null }, { dept: 1 }, { dept: 2 }]);
  });
});

describe('subqueries, unions and CTEs', () => {
  it(req('CORE-EXEC-036', 'wire', 'scalar, IN, EXISTS and correlated subqueries'), async () => {
    expect(await q('SELECT name FROM emp WHERE salary = (SELECT MAX(salary) FROM emp)')).toEqual([{ name: 'ann' }]);
    expect(await q("SELECT name FROM emp WHERE dept IN (SELECT id FROM dept WHERE dname = 'ops') ORDER BY name")).toEqual([{ name: 'cid' }, { name: 'eve' }]);
    expect(await q('SELECT dname FROM dept d WHERE NOT EXISTS (SELECT 1 FROM emp e WHERE e.dept = d.id)')).toEqual([{ dname: 'empty' }]);
    expect(await q('SELECT d.dname, (SELECT COUNT(*) FROM emp e WHERE e.dept = d.id) AS n FROM dept d ORDER BY d.id')).toEqual([
      { dname: 'eng', n: 2 },
      { dname: 'ops', n: 2 },
      { dname: 'empty', n: 0 },
    ]);
    // the correlated condition must wait for the table it references (second in the join)
    expect(await q('SELECT d.dname FROM dept d, emp e WHERE EXISTS (SELECT 1 FROM dept x WHERE x.id = e.dept AND x.id = d.id) AND e.id = 3')).toEqual([{ dname: 'ops' }]);
    expect(await err('SELECT (SELECT id FROM emp)')).toEqual({ errno: 1242, message: 'Subquery returns more than 1 row' });
    expect(await err('SELECT (SELECT id, name FROM emp LIMIT 1)')).toEqual({ errno: 1241, message: 'Operand should contain 1 column(s)' });
    expect(await q('SELECT name FROM emp WHERE salary > ALL (SELECT salary FROM emp WHERE dept = 2) ORDER BY id')).toEqual([]);
    expect(await q('SELECT name FROM emp WHERE salary > ALL (SELECT salary FROM emp WHERE dept = 2 AND salary IS NOT NULL) ORDER BY id')).toEqual([{ name: 'ann' }]);
    expect(await q('SELECT name FROM emp WHERE salary < ANY (SELECT salary FROM emp WHERE dept = 2) ORDER BY id')).toEqual([{ name: 'bob' }, { name: 'dan' }]);
    expect(await q('SELECT t.n FROM (SELECT COUNT(*) AS n FROM emp) AS t')).toEqual([{ n: 5 }]);
    expect(await err('SELECT * FROM (SELECT 1)')).toMatchObject({ errno: 1248 });
  });
  it(req(['CORE-EXEC-037#union', 'CORE-EXEC-037#e1222'], 'wire', 'UNION, UNION ALL and column count mismatch'), async () => {
    expect(await q('SELECT 1 AS x UNION SELECT 1 UNION SELECT 2')).toEqual([{ x: 1 }, { x: 2 }]);
    expect(await q('SELECT 1 AS x UNION ALL SELECT 1 ORDER BY x')).toEqual([{ x: 1 }, { x: 1 }]);
    expect(await q("(SELECT name FROM emp WHERE id = 1) UNION (SELECT dname FROM dept WHERE id = 3) ORDER BY name DESC")).toEqual([{ name: 'empty' }, { name: 'ann' }]);
    expect(await err('SELECT 1 UNION SELECT 1, 2')).toEqual({ errno: 1222, message: 'The used SELECT statements have a different number of columns' });
  });
  it(req(['CORE-EXEC-037#except', 'CORE-EXEC-037#intersect', 'CORE-EXEC-037#e1222', 'CORE-EXEC-037#types'], 'wire', 'EXCEPT and INTERSECT (DISTINCT and ALL), 1222 for every operator, and merged column types and values'), async () => {
    await c.query('CREATE TABLE so_a (v INT)');
    await c.query('CREATE TABLE so_b (v INT)');
    await c.query('INSERT INTO so_a VALUES (1),(1),(1),(2),(3),(3)');
    await c.query('INSERT INTO so_b VALUES (1),(3),(3),(3),(4)');
    expect(await q('SELECT v FROM so_a EXCEPT SELECT v FROM so_b ORDER BY v')).toEqual([{ v: 2 }]);
    expect(await q('SELECT v FROM so_a EXCEPT ALL SELECT v FROM so_b ORDER BY v')).toEqual([{ v: 1 }, { v: 1 }, { v: 2 }]);
    expect(await q('SELECT v FROM so_a INTERSECT SELECT v FROM so_b ORDER BY v')).toEqual([{ v: 1 }, { v: 3 }]);
    expect(await q('SELECT v FROM so_a INTERSECT ALL SELECT v FROM so_b ORDER BY v')).toEqual([{ v: 1 }, { v: 3 }, { v: 3 }]);
    expect(await q('SELECT id FROM emp EXCEPT SELECT id FROM dept ORDER BY id')).toEqual([{ id: 4 }, { id: 5 }]);
    for (const op of ['UNION', 'UNION ALL', 'UNION DISTINCT', 'EXCEPT', 'EXCEPT ALL', 'INTERSECT', 'INTERSECT ALL']) {
      expect(await err(`SELECT v FROM so_a ${op} SELECT v, v FROM so_b`), op).toEqual({ errno: 1222, message: 'The used SELECT statements have a different number of columns' });
    }
    // Type merging: the result column takes a type wide enough for every operand, and every
    // operand's values are converted to it.
    const dc = await srv.connect({ database: 'qd', dateStrings: true });
    try {
      const merged = async (sql: string): Promise<[number, unknown[]]> => {
        const [rows, fields] = await dc.query<mysql.RowDataPacket[]>(sql);
        return [fields[0]!.columnType!, rows.map((r) => Object.values(r)[0])];
      };
      expect(await merged('SELECT 1 AS a UNION SELECT 2.5')).toEqual([246, ['1.0', '2.5']]); // INT + DECIMAL -> DECIMAL
      expect(await merged('SELECT 2.25 AS a EXCEPT SELECT 1')).toEqual([246, ['2.25']]);
      expect(await merged('SELECT 1 AS a INTERSECT SELECT 1.0')).toEqual([246, ['1.0']]);
      expect(await merged('SELECT 1 AS a UNION ALL SELECT 2e0')).toEqual([5, [1, 2]]); // with DOUBLE -> DOUBLE
      expect(await merged("SELECT 1 AS a UNION SELECT 'xyz'")).toEqual([253, ['1', 'xyz']]); // number + string -> string
      expect(await merged("SELECT DATE'2020-01-01' AS a UNION SELECT TIMESTAMP'2020-01-02 03:04:05'")).toEqual([12, ['2020-01-01 00:00:00', '2020-01-02 03:04:05']]); // DATE + DATETIME -> DATETIME
      expect(await merged('SELECT NULL AS a UNION SELECT 5')).toEqual([8, [null, 5]]);
      expect(await merged('SELECT id AS a FROM emp WHERE id = 1 INTERSECT SELECT 1.0')).toEqual([246, ['1.0']]);
    } finally {
      await dc.end();
    }
    await c.query('DROP TABLE so_a, so_b');
  });
  it(req('CORE-EXEC-040', 'wire', 'WITH and WITH RECURSIVE'), async () => {
    expect(await q('WITH x AS (SELECT id FROM emp WHERE id < 3) SELECT COUNT(*) AS n FROM x')).toEqual([{ n: 2 }]);
    expect(await q('WITH RECURSIVE seq (n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < 5) SELECT SUM(n) AS s FROM seq')).toEqual([{ s: '15' }]);
  });
  it(req('CORE-EXEC-039', 'wire', 'SQL_CALC_FOUND_ROWS and FOUND_ROWS(), SELECT INTO'), async () => {
    await q('SELECT SQL_CALC_FOUND_ROWS id FROM emp LIMIT 2');
    expect(await q('SELECT FOUND_ROWS() AS f')).toEqual([{ f: 5 }]);
    await q('SELECT name INTO @nm FROM emp WHERE id = 3');
    expect(await q('SELECT @nm AS v')).toEqual([{ v: 'cid' }]);
    expect(await err('SELECT name INTO @nm FROM emp')).toMatchObject({ errno: 1172 });
  });
  it(req('CORE-EXEC-043', 'wire', 'EXPLAIN shows the chosen access method'), async () => {
    expect(await q('EXPLAIN SELECT name FROM emp WHERE id = 2')).toEqual([
      { id: 1, select_type: 'SIMPLE', table: 'emp', partitions: null, type: 'const', possible_keys: 'PRIMARY', key: 'PRIMARY', key_len: '4', ref: 'const', rows: 1, filtered: 100, Extra: null },
    ]);
    const all = (await q('EXPLAIN SELECT name FROM emp ORDER BY name')) as { type: string; key: string | null; Extra: string }[];
    expect(all[0]).toMatchObject({ type: 'ALL', key: null, Extra: 'Using filesort' });
  });
  it(req(['CORE-EXEC-043#columns', 'CORE-EXEC-043#const', 'CORE-EXEC-043#eq-ref', 'CORE-EXEC-043#ref', 'CORE-EXEC-043#range', 'CORE-EXEC-043#all'], 'wire', 'EXPLAIN: the twelve traditional columns, one row per table, and each access type (const, eq_ref, ref, range, ALL) with the chosen index'), async () => {
    await c.query('CREATE TABLE ex_emp (id INT PRIMARY KEY, dept INT, name VARCHAR(20), KEY by_dept (dept))');
    await c.query('INSERT INTO ex_emp VALUES (1,1,"a"),(2,1,"b"),(3,2,"c"),(4,NULL,"d")');
    const [rows, fields] = await c.query<mysql.RowDataPacket[]>('EXPLAIN SELECT name FROM ex_emp WHERE id = 2');
    expect(fields.map((f) => f.name)).toEqual(['id', 'select_type', 'table', 'partitions', 'type', 'possible_keys', 'key', 'key_len', 'ref', 'rows', 'filtered', 'Extra']);
    expect(rows).toEqual([{ id: 1, select_type: 'SIMPLE', table: 'ex_emp', partitions: null, type: 'const', possible_keys: 'PRIMARY', key: 'PRIMARY', key_len: '4', ref: 'const', rows: 1, filtered: 100, Extra: null }]);
    const pick = async (sql: string): Promise<unknown[]> =>
      ((await q(`EXPLAIN ${sql}`)) as Record<string, unknown>[]).map((r) => [r['table'], r['type'], r['key'], r['key_len']]);
    // ref: a non-unique index compared with a constant (dept is nullable: 4 + 1 bytes)
    expect(await pick('SELECT name FROM ex_emp WHERE dept = 1')).toEqual([['ex_emp', 'ref', 'by_dept', '5']]);
    // range: bounds on an index
    expect(await pick('SELECT name FROM ex_emp WHERE id BETWEEN 2 AND 3')).toEqual([['ex_emp', 'range', 'PRIMARY', '4']]);
    expect(await pick('SELECT name FROM ex_emp WHERE id > 2')).toEqual([['ex_emp', 'range', 'PRIMARY', '4']]);
    // ALL: no usable index
    expect(await pick('SELECT name FROM ex_emp WHERE name = "a"')).toEqual([['ex_emp', 'ALL', null, null]]);
    // eq_ref: one row per row of the earlier table through a unique index; one row per table
    expect(await pick('SELECT e.name, d.dname FROM ex_emp e JOIN dept d ON d.id = e.dept')).toEqual([
      ['e', 'ALL', null, null],
      ['d', 'eq_ref', 'PRIMARY', '4'],
    ]);
    // ref in a join: the later table read through its non-unique index
    expect(await pick('SELECT d.dname, e.name FROM dept d JOIN ex_emp e ON e.dept = d.id')).toEqual([
      ['d', 'ALL', null, null],
      ['e', 'ref', 'by_dept', '5'],
    ]);
    await c.query('DROP TABLE ex_emp');
  });
  it(req('CORE-EXEC-031', 'wire', 'result metadata names the underlying column'), async () => {
    const [, fields] = await c.query('SELECT e.name AS n, 1+1 FROM emp e LIMIT 1');
    const f = fields as unknown as { name: string; orgName: string; table: string; orgTable: string; schema: string }[];
    expect(f[0]).toMatchObject({ name: 'n', orgName: 'name', table: 'e', orgTable: 'emp', schema: 'qd' });
    expect(f[1]).toMatchObject({ name: '1+1', orgName: '', table: '' });
  });
});
