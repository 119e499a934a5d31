/**
 * SHOW CREATE TABLE and information_schema print stored expressions (CHECK constraints,
 * generated columns, expression defaults) in MySQL 8.0's normalised form, whatever the user
 * wrote, and the table still computes with what was written. Expected texts are MySQL's
 * (mysql-test/r/check_constraints.result and the gcol / default-expression results).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type mysql from 'mysql2/promise';
import { req } from '../helpers/req.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let srv: TestServer;
let c: mysql.Connection;

async function rows(conn: mysql.Connection, sql: string): Promise<unknown[][]> {
  const [r] = await conn.query<mysql.RowDataPacket[]>({ sql, rowsAsArray: true });
  return r as unknown as unknown[][];
}

async function showCreate(conn: mysql.Connection, table: string): Promise<string> {
  return String((await rows(conn, `SHOW CREATE TABLE ${table}`))[0]![1]);
}

beforeAll(async () => {
  srv = await startTestServer();
  c = await srv.connect();
  await c.query('CREATE DATABASE pr');
  await c.query('USE pr');
});

afterAll(async () => {
  await c?.end();
  await srv?.stop();
});

describe('normalised expression text', () => {
  it(req(['CORE-CHECK-030', 'CORE-CHECK-031', 'CORE-CHECK-022'], 'wire', 'SHOW CREATE TABLE prints CHECK clauses, generation expressions and expression defaults as MySQL does'), async () => {
    await c.query(
      "CREATE TABLE student (id INT, stu_code VARCHAR(10), name VARCHAR(14), email VARCHAR(20), scholarship INT, country VARCHAR(20), " +
        "CONSTRAINT ck1 CHECK (id != 0), CONSTRAINT ck2 CHECK (stu_code like 'j%'), CONSTRAINT ck3 CHECK (lower(name) != \"noname\"), " +
        "CONSTRAINT ck4 CHECK (REGEXP_LIKE(email,'@')), CONSTRAINT ck5 CHECK (scholarship BETWEEN 5000 AND 20000), CONSTRAINT ck6 CHECK (country IN ('usa','uk')))",
    );
    expect(await showCreate(c, 'student')).toBe(
      'CREATE TABLE `student` (\n' +
        '  `id` int DEFAULT NULL,\n  `stu_code` varchar(10) DEFAULT NULL,\n  `name` varchar(14) DEFAULT NULL,\n' +
        '  `email` varchar(20) DEFAULT NULL,\n  `scholarship` int DEFAULT NULL,\n  `country` varchar(20) DEFAULT NULL,\n' +
        '  CONSTRAINT `ck1` CHECK ((`id` <> 0)),\n' +
        "  CONSTRAINT `ck2` CHECK ((`stu_code` like _utf8mb4'j%')),\n" +
        "  CONSTRAINT `ck3` CHECK ((lower(`name`) <> _utf8mb4'noname')),\n" +
        "  CONSTRAINT `ck4` CHECK (regexp_like(`email`,_utf8mb4'@')),\n" +
        '  CONSTRAINT `ck5` CHECK ((`scholarship` between 5000 and 20000)),\n' +
        "  CONSTRAINT `ck6` CHECK ((`country` in (_utf8mb4'usa',_utf8mb4'uk')))\n" +
        ') ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci',
    );
    await c.query('INSERT INTO student VALUES (1, "j001", "name1", "name1@oracle.com", 6000, "usa")');
    const e = await c.query('INSERT INTO student VALUES (1, "j001", "NONAME", "name1@oracle.com", 6000, "usa")').catch((x: unknown) => x as { errno: number; message: string });
    expect(e).toMatchObject({ errno: 3819, message: "Check constraint 'ck3' is violated." });

    await c.query('CREATE TABLE g (c1 INT, c2 INT, c3 INT GENERATED ALWAYS AS (c1 + c2), qty INT, doubled INT AS (qty*2) STORED, CONSTRAINT g_ck CHECK (c3 > 10))');
    await c.query('CREATE TABLE tst (id INT PRIMARY KEY, scol INT DEFAULT (col * col), col INT, created DATE DEFAULT (CURDATE()), s VARCHAR(3) DEFAULT (\'b\'), CHECK (scol < col))');
    expect(await showCreate(c, 'g')).toBe(
      'CREATE TABLE `g` (\n' +
        '  `c1` int DEFAULT NULL,\n  `c2` int DEFAULT NULL,\n' +
        '  `c3` int GENERATED ALWAYS AS ((`c1` + `c2`)) VIRTUAL,\n' +
        '  `qty` int DEFAULT NULL,\n' +
        '  `doubled` int GENERATED ALWAYS AS ((`qty` * 2)) STORED,\n' +
        '  CONSTRAINT `g_ck` CHECK ((`c3` > 10))\n' +
        ') ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci',
    );
    expect(await showCreate(c, 'tst')).toBe(
      'CREATE TABLE `tst` (\n' +
        '  `id` int NOT NULL,\n' +
        '  `scol` int DEFAULT ((`col` * `col`)),\n' +
        '  `col` int DEFAULT NULL,\n' +
        '  `created` date DEFAULT (curdate()),\n' +
        "  `s` varchar(3) DEFAULT (_utf8mb4'b'),\n" +
        '  PRIMARY KEY (`id`),\n' +
        '  CONSTRAINT `tst_chk_1` CHECK ((`scol` < `col`))\n' +
        ') ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci',
    );
    // What was written is what computes.
    await c.query('INSERT INTO g (c1, c2, qty) VALUES (10, 10, 21)');
    expect(await rows(c, 'SELECT c3, doubled FROM g')).toEqual([[20, 42]]);
    await c.query('INSERT INTO tst VALUES (1, 10, 20, DEFAULT, DEFAULT)');
    expect(await rows(c, 'SELECT scol, col, s FROM tst')).toEqual([[10, 20, 'b']]);
  });

  it(req(['CORE-CHECK-031', 'CORE-CHECK-025'], 'wire', 'information_schema: GENERATION_EXPRESSION, COLUMN_DEFAULT of expression defaults and CHECK_CLAUSE in the same form, seen from a second connection'), async () => {
    const c2 = await srv.connect({ database: 'pr' });
    try {
      expect(await rows(c2, "SELECT COLUMN_NAME, GENERATION_EXPRESSION FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = 'pr' AND TABLE_NAME = 'g' AND GENERATION_EXPRESSION <> '' ORDER BY ORDINAL_POSITION")).toEqual([
        ['c3', '(`c1` + `c2`)'],
        ['doubled', '(`qty` * 2)'],
      ]);
      expect(await rows(c2, "SELECT COLUMN_NAME, COLUMN_DEFAULT FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = 'pr' AND TABLE_NAME = 'tst' AND COLUMN_DEFAULT IS NOT NULL ORDER BY ORDINAL_POSITION")).toEqual([
        ['scol', '(`col` * `col`)'],
        ['created', 'curdate()'],
        ['s', "_utf8mb4'b'"],
      ]);
      expect(await rows(c2, "SELECT CONSTRAINT_NAME, CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = 'pr' ORDER BY 1")).toEqual([
        ['ck1', '(`id` <> 0)'],
        ['ck2', "(`stu_code` like _utf8mb4'j%')"],
        ['ck3', "(lower(`name`) <> _utf8mb4'noname')"],
        ['ck4', "regexp_like(`email`,_utf8mb4'@')"],
        ['ck5', '(`scholarship` between 5000 and 20000)'],
        ['ck6', "(`country` in (_utf8mb4'usa',_utf8mb4'uk'))"],
        ['g_ck', '(`c3` > 10)'],
        ['tst_chk_1', '(`scol` < `col`)'],
      ]);
    } finally {
      await c2.end();
    }
  });

  it(req(['CORE-CHECK-032', 'CORE-CHECK-022'], 'wire', 'a dump restores: the SHOW CREATE TABLE text, run again in another schema, gives the same text and the same checks'), async () => {
    await c.query("CREATE TABLE ne (a INT, b VARCHAR(5), CONSTRAINT ne_a CHECK (a > 0 AND a < 100 AND NOT (a = 50)) NOT ENFORCED, CONSTRAINT ne_b CHECK (b NOT LIKE 'x%' OR b IS NULL))");
    await c.query('CREATE DATABASE pr_copy');
    for (const t of ['student', 'g', 'tst', 'ne']) {
      const text = await showCreate(c, t);
      await c.query(`USE pr_copy`);
      await c.query(text);
      expect(await showCreate(c, t)).toBe(text);
      await c.query('USE pr');
    }
    expect(await showCreate(c, 'pr_copy.ne')).toContain("CONSTRAINT `ne_a` CHECK (((`a` > 0) and (`a` < 100) and (`a` <> 50))) /*!80016 NOT ENFORCED */,\n  CONSTRAINT `ne_b` CHECK (((not((`b` like _utf8mb4'x%'))) or (`b` is null)))");
    await c.query('INSERT INTO pr_copy.ne VALUES (50, NULL)');
    const e = await c.query("INSERT INTO pr_copy.ne VALUES (1, 'xy')").catch((x: unknown) => x as { errno: number; message: string });
    expect(e).toMatchObject({ errno: 3819, message: "Check constraint 'ne_b' is violated." });
  });

  it(req(['CORE-CHECK-031'], 'wire', 'ALTER TABLE ... ALTER COLUMN SET DEFAULT (expr) keeps and prints the expression'), async () => {
    await c.query('CREATE TABLE ad (a INT, b INT)');
    await c.query('ALTER TABLE ad ALTER COLUMN b SET DEFAULT (40 + 2)');
    expect(await showCreate(c, 'ad')).toContain('`b` int DEFAULT ((40 + 2))');
    await c.query('INSERT INTO ad (a) VALUES (41)');
    expect(await rows(c, 'SELECT a, b FROM ad')).toEqual([[41, 42]]);
  });

  it(req(['CORE-CHECK-033'], 'wire', 'SHOW CREATE VIEW and information_schema.VIEWS print the query as MySQL does; the printed text re-creates the same view'), async () => {
    await c.query('CREATE TABLE vt1 (id INT PRIMARY KEY, a INT, s VARCHAR(10))');
    await c.query('CREATE TABLE vt2 (id INT, b INT, hidden INT INVISIBLE)');
    await c.query("INSERT INTO vt1 VALUES (1, 10, 'x'), (2, 20, 'y'), (3, 30, 'x')");
    await c.query('INSERT INTO vt2 (id, b) VALUES (1, 5), (3, 7)');
    await c.query("CREATE VIEW vw1 AS SELECT * FROM vt1 WHERE s = 'x' AND NOT a > 25");
    await c.query('CREATE VIEW vw2 AS SELECT x.id, b AS bee, a + b FROM vt1 x LEFT JOIN vt2 ON x.id = vt2.id ORDER BY x.id DESC LIMIT 5');
    await c.query('CREATE VIEW vw3 (k, n) AS SELECT s, COUNT(*) FROM vt1 GROUP BY s HAVING COUNT(*) > 0');
    await c.query('CREATE VIEW vw4 AS SELECT * FROM vt2');
    await c.query('CREATE VIEW vw5 AS SELECT 1 AS one UNION SELECT 2');
    const create = async (v: string): Promise<string> => String((await rows(c, `SHOW CREATE VIEW ${v}`))[0]![1]);
    const head = (v: string, cols = ''): string => `CREATE ALGORITHM=UNDEFINED DEFINER=\`root\`@\`localhost\` SQL SECURITY DEFINER VIEW \`${v}\`${cols} AS `;
    expect(await create('vw1')).toBe(head('vw1') + "select `vt1`.`id` AS `id`,`vt1`.`a` AS `a`,`vt1`.`s` AS `s` from `vt1` where ((`vt1`.`s` = _utf8mb4'x') and (`vt1`.`a` <= 25))");
    expect(await create('vw2')).toBe(head('vw2') + 'select `x`.`id` AS `id`,`vt2`.`b` AS `bee`,(`x`.`a` + `vt2`.`b`) AS `a + b` from (`vt1` `x` left join `vt2` on((`x`.`id` = `vt2`.`id`))) order by `x`.`id` desc limit 5');
    expect(await create('vw3')).toBe(head('vw3', ' (`k`,`n`)') + 'select `vt1`.`s` AS `s`,count(0) AS `COUNT(*)` from `vt1` group by `vt1`.`s` having (count(0) > 0)');
    expect(await create('vw4')).toBe(head('vw4') + 'select `vt2`.`id` AS `id`,`vt2`.`b` AS `b` from `vt2`');
    // A query the printer does not handle keeps its text.
    expect(await create('vw5')).toBe(head('vw5') + 'SELECT 1 AS one UNION SELECT 2');
    expect(await rows(c, "SELECT TABLE_NAME, VIEW_DEFINITION FROM information_schema.VIEWS WHERE TABLE_SCHEMA = 'pr' AND TABLE_NAME IN ('vw1', 'vw4') ORDER BY 1")).toEqual([
      ['vw1', "select `pr`.`vt1`.`id` AS `id`,`pr`.`vt1`.`a` AS `a`,`pr`.`vt1`.`s` AS `s` from `pr`.`vt1` where ((`pr`.`vt1`.`s` = _utf8mb4'x') and (`pr`.`vt1`.`a` <= 25))"],
      ['vw4', 'select `pr`.`vt2`.`id` AS `id`,`pr`.`vt2`.`b` AS `b` from `pr`.`vt2`'],
    ]);
    const before = await rows(c, 'SELECT * FROM vw2');
    expect(before).toEqual([[3, 7, 37], [2, null, null], [1, 5, 15]]);
    // The printed definition, run again, makes a view with the same rows and the same text.
    for (const v of ['vw1', 'vw2', 'vw3', 'vw4']) {
      const text = await create(v);
      await c.query(`DROP VIEW ${v}`);
      await c.query(text);
      expect(await create(v)).toBe(text);
    }
    expect(await rows(c, 'SELECT * FROM vw2')).toEqual(before);
    expect(await rows(c, 'SELECT * FROM vw3 ORDER BY k')).toEqual([['x', 2], ['y', 1]]);
  });
});
