/**
 * CHECK constraints over the wire (mysql2): enforcement on every write path (INSERT, INSERT ...
 * SELECT, REPLACE, INSERT ... ON DUPLICATE KEY UPDATE, UPDATE single- and multi-table, CREATE
 * TABLE ... SELECT, the ALTER TABLE copy), IGNORE, NULL results, NOT ENFORCED, statement
 * semantics on transactional and non-transactional tables, the DDL rules and errors, the
 * per-schema names, and the dictionary views. Expected texts are MySQL 8.0's
 * (mysql-test/r/check_constraints.result).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type mysql from 'mysql2/promise';
import { req } from '../helpers/req.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { queryError } from '../helpers/sql.js';

let srv: TestServer;
let c: mysql.Connection;

async function rows(conn: mysql.Connection, sql: string): Promise<unknown[][]> {
  const [r] = await conn.query<mysql.RowDataPacket[]>({ sql, rowsAsArray: true });
  return r as unknown as unknown[][];
}

async function warnings(conn: mysql.Connection): Promise<unknown[][]> {
  return rows(conn, 'SHOW WARNINGS');
}

async function showCreate(conn: mysql.Connection, table: string): Promise<string> {
  const r = await rows(conn, `SHOW CREATE TABLE ${table}`);
  return String(r[0]![1]);
}

const violated = (name: string): { errno: number; message: string } => ({ errno: 3819, message: `Check constraint '${name}' is violated.` });

beforeAll(async () => {
  srv = await startTestServer();
  c = await srv.connect();
  await c.query('CREATE DATABASE ck');
  await c.query('USE ck');
});

afterAll(async () => {
  await c?.end();
  await srv?.stop();
});

describe('enforcement', () => {
  it(req(['CORE-CHECK-001', 'CORE-CHECK-003', 'CORE-CHECK-005'], 'wire', 'LOAD DATA is checked too: 3819 keeps the MyISAM rows before the bad line; IGNORE (and LOCAL) skip it with warning 3819'), async () => {
    const dir = String((await rows(c, 'SELECT @@secure_file_priv'))[0]![0]);
    const file = join(dir, 'check-load.txt');
    writeFileSync(file, '1\n-5\n7\n');
    await c.query('CREATE TABLE ld (a INT, CHECK (a > 0)) ENGINE=MyISAM');
    expect(await queryError(c, `LOAD DATA INFILE '${file}' INTO TABLE ld`)).toEqual(violated('ld_chk_1'));
    expect(await rows(c, 'SELECT a FROM ld')).toEqual([[1]]);
    await c.query(`LOAD DATA INFILE '${file}' IGNORE INTO TABLE ld`);
    expect(await rows(c, 'SHOW WARNINGS')).toEqual([['Warning', 3819, "Check constraint 'ld_chk_1' is violated."]]);
    expect(await rows(c, 'SELECT a FROM ld ORDER BY a')).toEqual([[1], [1], [7]]);
    await c.query('CREATE TABLE ldi (a INT, CHECK (a > 0)) ENGINE=InnoDB');
    expect(await queryError(c, `LOAD DATA INFILE '${file}' INTO TABLE ldi`)).toEqual(violated('ldi_chk_1'));
    expect(await rows(c, 'SELECT COUNT(*) FROM ldi')).toEqual([[0]]);
  });

  it(req(['CORE-CHECK-001', 'CORE-CHECK-002'], 'wire', 'INSERT, INSERT ... SELECT, REPLACE and UPDATE are refused with 3819 (SQLSTATE HY000); a NULL result passes'), async () => {
    await c.query('CREATE TABLE t1 (f1 INT PRIMARY KEY, f2 INT CHECK (f2 < 10)) ENGINE=InnoDB');
    await c.query('CREATE TABLE t2 (f1 INT, f2 INT) ENGINE=InnoDB');
    await c.query('INSERT INTO t2 VALUES (101, 1), (102, NULL), (103, 1000)');
    await c.query('INSERT INTO t1 VALUES (1, 1)');
    await c.query('INSERT INTO t1 VALUES (2, NULL)');
    const e = await c.query('INSERT INTO t1 VALUES (3, 1000)').catch((x: unknown) => x as { errno: number; sqlState: string; message: string });
    expect(e).toMatchObject({ errno: 3819, sqlState: 'HY000', message: "Check constraint 't1_chk_1' is violated." });
    expect(await queryError(c, 'INSERT INTO t1 SELECT * FROM t2')).toEqual(violated('t1_chk_1'));
    expect(await rows(c, 'SELECT * FROM t1 ORDER BY f1')).toEqual([[1, 1], [2, null]]);
    await c.query('REPLACE INTO t1 VALUES (4, 1)');
    expect(await queryError(c, 'REPLACE INTO t1 VALUES (2, 10)')).toEqual(violated('t1_chk_1'));
    // The refused REPLACE deleted nothing: the check comes before the duplicate handling.
    expect(await rows(c, 'SELECT * FROM t1 ORDER BY f1')).toEqual([[1, 1], [2, null], [4, 1]]);
    await c.query('UPDATE t1 SET f2 = 2');
    await c.query('UPDATE t1 SET f2 = NULL');
    expect(await queryError(c, 'UPDATE t1 SET f2 = 1000')).toEqual(violated('t1_chk_1'));
    expect(await rows(c, 'SELECT f2 FROM t1 ORDER BY f1')).toEqual([[null], [null], [null]]);
  });

  it(req(['CORE-CHECK-003'], 'wire', 'INSERT IGNORE, INSERT IGNORE ... SELECT and UPDATE IGNORE skip the violating rows with warning 3819'), async () => {
    await c.query('CREATE TABLE ig (f1 INT PRIMARY KEY, f2 INT CHECK (f2 < 10)) ENGINE=InnoDB');
    await c.query('INSERT INTO ig VALUES (1, 1), (2, NULL)');
    const [r] = await c.query<mysql.ResultSetHeader>('INSERT IGNORE INTO ig VALUES (3, 1000), (4, 4)');
    expect(r.affectedRows).toBe(1);
    expect(await warnings(c)).toEqual([['Warning', 3819, "Check constraint 'ig_chk_1' is violated."]]);
    await c.query('CREATE TABLE ig_src (f1 INT, f2 INT) ENGINE=InnoDB');
    await c.query('INSERT INTO ig_src VALUES (101, 1), (102, NULL), (103, 1000)');
    await c.query('INSERT IGNORE INTO ig SELECT * FROM ig_src');
    expect(await warnings(c)).toEqual([['Warning', 3819, "Check constraint 'ig_chk_1' is violated."]]);
    expect(await rows(c, 'SELECT f1 FROM ig ORDER BY f1')).toEqual([[1], [2], [4], [101], [102]]);
    const [u] = await c.query<mysql.ResultSetHeader>('UPDATE IGNORE ig SET f2 = 1000');
    expect(u.info).toBe('Rows matched: 5  Changed: 0  Warnings: 5');
    expect((await warnings(c)).map((w) => w[1])).toEqual([3819, 3819, 3819, 3819, 3819]);
    expect(await rows(c, 'SELECT f2 FROM ig ORDER BY f1')).toEqual([[1], [null], [4], [1], [null]]);
  });

  it(req(['CORE-CHECK-001', 'CORE-CHECK-003'], 'wire', 'INSERT ... ON DUPLICATE KEY UPDATE checks the updated row: 3819, or a warning with IGNORE'), async () => {
    await c.query('CREATE TABLE od (f1 INT PRIMARY KEY, f2 INT CHECK (f2 < 10)) ENGINE=InnoDB');
    await c.query('INSERT INTO od VALUES (1, 1)');
    await c.query('INSERT INTO od VALUES (1, 2) ON DUPLICATE KEY UPDATE f2 = 4');
    expect(await rows(c, 'SELECT * FROM od')).toEqual([[1, 4]]);
    await c.query('INSERT IGNORE INTO od VALUES (1, 1) ON DUPLICATE KEY UPDATE f2 = 20');
    expect(await warnings(c)).toEqual([['Warning', 3819, "Check constraint 'od_chk_1' is violated."]]);
    expect(await queryError(c, 'INSERT INTO od VALUES (1, 1) ON DUPLICATE KEY UPDATE f2 = 20')).toEqual(violated('od_chk_1'));
    expect(await rows(c, 'SELECT * FROM od')).toEqual([[1, 4]]);
  });

  it(req(['CORE-CHECK-001', 'CORE-CHECK-003'], 'wire', 'multi-table UPDATE checks each changed table; UPDATE IGNORE warns per skipped row'), async () => {
    await c.query('CREATE TABLE m1 (f1 INT, f2 INT CHECK (f2 < 20)) ENGINE=InnoDB');
    await c.query('INSERT INTO m1 VALUES (4, 4)');
    await c.query('CREATE TABLE m2 (f1 INT, f2 INT) ENGINE=InnoDB');
    await c.query('INSERT INTO m2 VALUES (4, 24)');
    expect(await queryError(c, 'UPDATE m1, m2 SET m1.f2 = m1.f2 + 20 WHERE m1.f1 = m2.f1')).toEqual(violated('m1_chk_1'));
    await c.query('UPDATE IGNORE m1, m2 SET m1.f2 = m1.f2 + 20 WHERE m1.f1 = m2.f1');
    expect(await warnings(c)).toEqual([['Warning', 3819, "Check constraint 'm1_chk_1' is violated."]]);
    await c.query('UPDATE m1, m2 SET m1.f2 = m1.f2 + 1, m2.f2 = 0 WHERE m1.f1 = m2.f1');
    expect(await rows(c, 'SELECT m1.f2, m2.f2 FROM m1, m2')).toEqual([[5, 0]]);
  });

  it(req(['CORE-CHECK-004'], 'wire', 'NOT ENFORCED constraints are not checked'), async () => {
    await c.query('CREATE TABLE ne (a INT CHECK (a > 0) NOT ENFORCED, b INT CHECK (b > 0)) ENGINE=InnoDB');
    await c.query('INSERT INTO ne VALUES (-1, 1)');
    expect(await queryError(c, 'INSERT INTO ne VALUES (1, -1)')).toEqual(violated('ne_chk_2'));
    expect(await rows(c, 'SELECT * FROM ne')).toEqual([[-1, 1]]);
  });

  it(req(['CORE-CHECK-005'], 'wire', 'a multi-row INSERT failing on row 2 keeps row 1 in MyISAM and rolls the statement back in InnoDB'), async () => {
    await c.query('CREATE TABLE nt (a INT CHECK (a < 10)) ENGINE=MyISAM');
    await c.query('CREATE TABLE tt (a INT CHECK (a < 10)) ENGINE=InnoDB');
    expect(await queryError(c, 'INSERT INTO nt VALUES (1), (20), (3)')).toEqual(violated('nt_chk_1'));
    expect(await queryError(c, 'INSERT INTO tt VALUES (1), (20), (3)')).toEqual(violated('tt_chk_1'));
    expect(await rows(c, 'SELECT a FROM nt')).toEqual([[1]]);
    expect(await rows(c, 'SELECT a FROM tt')).toEqual([]);
  });

  it(req(['CORE-CHECK-001'], 'wire', 'defaults, generated columns and CREATE TABLE ... SELECT are checked; a failed CREATE ... SELECT leaves no table'), async () => {
    await c.query('CREATE TABLE dg (c1 INT, c2 INT, c3 INT GENERATED ALWAYS AS (c1 + c2), c4 INT DEFAULT 100, CONSTRAINT dg_ck CHECK (c3 > 10), CHECK (c4 > 10)) ENGINE=InnoDB');
    expect(await queryError(c, 'INSERT INTO dg (c1, c2) VALUES (1, 1)')).toEqual(violated('dg_ck'));
    await c.query('INSERT INTO dg (c1, c2) VALUES (10, 10)');
    expect(await queryError(c, 'INSERT INTO dg (c1, c2, c4) VALUES (10, 10, 1)')).toEqual(violated('dg_chk_1'));
    expect(await queryError(c, 'CREATE TABLE cs (a INT CHECK (a < 15)) ENGINE=InnoDB SELECT c1 AS a FROM dg UNION ALL SELECT 20')).toEqual(violated('cs_chk_1'));
    expect(await queryError(c, 'SELECT * FROM cs')).toMatchObject({ errno: 1146 });
    await c.query('CREATE TABLE cs (a INT CHECK (a < 15)) ENGINE=InnoDB IGNORE SELECT c1 AS a FROM dg UNION ALL SELECT 20');
    expect(await rows(c, 'SELECT a FROM cs')).toEqual([[10]]);
  });

  it(req(['CORE-CHECK-001'], 'wire', 'two connections: a row one session inserts is checked, the other session sees only the accepted rows'), async () => {
    const c2 = await srv.connect({ database: 'ck' });
    try {
      await c.query('CREATE TABLE two (id INT PRIMARY KEY, v INT CHECK (v BETWEEN 1 AND 5)) ENGINE=InnoDB');
      await c.query('START TRANSACTION');
      await c.query('INSERT INTO two VALUES (1, 3)');
      expect(await queryError(c, 'INSERT INTO two VALUES (2, 9)')).toEqual(violated('two_chk_1'));
      // The other session's row is refused before any row lock is asked for.
      expect(await queryError(c2, 'INSERT INTO two VALUES (2, 0)')).toEqual(violated('two_chk_1'));
      expect(await rows(c2, 'SELECT COUNT(*) FROM two')).toEqual([[0]]);
      await c.query('COMMIT');
      await c2.query('INSERT INTO two VALUES (3, 5)');
      expect(await rows(c2, 'SELECT id, v FROM two ORDER BY id')).toEqual([[1, 3], [3, 5]]);
    } finally {
      await c2.end();
    }
  });
});

describe('DDL rules', () => {
  it(req(['CORE-CHECK-010', 'CORE-CHECK-011', 'CORE-CHECK-013'], 'wire', 'names, duplicate names, column-level references, unknown columns and non-boolean expressions'), async () => {
    expect(await queryError(c, 'CREATE TABLE d1 (f1 INT CHECK (f1))')).toEqual({ errno: 3812, message: "An expression of non-boolean type specified to a check constraint 'd1_chk_1'." });
    expect(await queryError(c, 'CREATE TABLE d1 (f1 INT, CONSTRAINT d1_ck CHECK (f1 + 10))')).toEqual({ errno: 3812, message: "An expression of non-boolean type specified to a check constraint 'd1_ck'." });
    expect(await queryError(c, 'CREATE TABLE d1 (f1 INT CHECK (f2 < 10))')).toEqual({ errno: 3813, message: "Column check constraint 'd1_chk_1' references other column." });
    expect(await queryError(c, 'CREATE TABLE d1 (f1 INT, f2 INT CHECK (f2 > 0) UNIQUE CHECK (f1 - f2 < 1000))')).toEqual({ errno: 3813, message: "Column check constraint 'd1_chk_2' references other column." });
    expect(await queryError(c, 'CREATE TABLE d1 (CHECK ((f1 + f3) > 10), f1 INT CHECK (f1 < 10), f2 INT)')).toEqual({ errno: 3820, message: "Check constraint 'd1_chk_1' refers to non-existing column 'f3'." });
    expect(await queryError(c, 'CREATE TABLE d1 (f1 INT, CONSTRAINT cafe CHECK (f1 < 10), CONSTRAINT CAFE CHECK (f1 < 10))')).toEqual({ errno: 3822, message: "Duplicate check constraint name 'CAFE'." });
    expect(await queryError(c, `CREATE TABLE ${'t'.repeat(60)} (f1 INT CHECK (f1 < 10))`)).toEqual({ errno: 1059, message: `Identifier name '${'t'.repeat(60)}_chk_1' is too long` });
    await c.query('CREATE TABLE d1 (CHECK ((f1 + f2) > 10), f1 INT CHECK (f1 < 10), f2 INT, CONSTRAINT café CHECK (f2 < 5), CONSTRAINT cafe CHECK (f2 > 0))');
    expect(await rows(c, "SELECT CONSTRAINT_NAME, CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = 'ck' AND CONSTRAINT_NAME LIKE 'd1%' ORDER BY CONSTRAINT_NAME")).toEqual([
      ['d1_chk_1', '((`f1` + `f2`) > 10)'],
      ['d1_chk_2', '(`f1` < 10)'],
    ]);
  });

  it(req(['CORE-CHECK-012', 'CORE-CHECK-014'], 'wire', 'disallowed functions, stored functions, variables, subqueries and AUTO_INCREMENT columns are refused with MySQL\'s errors'), async () => {
    const cases: [string, number, string][] = [
      ['f1 TIMESTAMP CHECK (f1 + NOW() > 0)', 3814, "An expression of a check constraint 'x_chk_1' contains disallowed function: now."],
      ['f1 TIMESTAMP CHECK (f1 + CURRENT_TIMESTAMP > 0)', 3814, "An expression of a check constraint 'x_chk_1' contains disallowed function: now."],
      ['f1 DATETIME CHECK (f1 + CURDATE() > 0)', 3814, "An expression of a check constraint 'x_chk_1' contains disallowed function: curdate."],
      ['f1 INT CHECK (f1 + CONNECTION_ID() < 929)', 3814, "An expression of a check constraint 'x_chk_1' contains disallowed function: connection_id."],
      ['a VARCHAR(32) CHECK (CURRENT_USER() != a)', 3814, "An expression of a check constraint 'x_chk_1' contains disallowed function: current_user."],
      ['a VARCHAR(32) CHECK (SESSION_USER() != a)', 3814, "An expression of a check constraint 'x_chk_1' contains disallowed function: user."],
      ['a VARCHAR(32) CHECK (VERSION() != a)', 3814, "An expression of a check constraint 'x_chk_1' contains disallowed function: version()."],
      ['f1 FLOAT CHECK (f1 + RAND() < 929.929)', 3814, "An expression of a check constraint 'x_chk_1' contains disallowed function: rand."],
      ['id CHAR(40) CHECK (UUID() != id)', 3814, "An expression of a check constraint 'x_chk_1' contains disallowed function: uuid."],
      ['id INT CHECK (SLEEP(id) != 0)', 3814, "An expression of a check constraint 'x_chk_1' contains disallowed function: sleep."],
      ['id INT CHECK (id = func())', 3814, "An expression of a check constraint 'x_chk_1' contains disallowed function: `func`."],
      ['id INT CHECK (id != @v)', 3816, "An expression of a check constraint 'x_chk_1' cannot refer to a user or system variable."],
      ['id INT CHECK (id != @@session.max_execution_time)', 3816, "An expression of a check constraint 'x_chk_1' cannot refer to a user or system variable."],
      ['id INT CHECK (id != (SELECT 1))', 3815, "An expression of a check constraint 'x_chk_1' contains disallowed function."],
      ['c1 INT, CHECK (c1 IN (SELECT COALESCE(NULL, 1, 1)))', 3815, "An expression of a check constraint 'x_chk_1' contains disallowed function."],
      ['a INT, b INT, CHECK ((a, b))', 3817, "Check constraint 'x_chk_1' cannot refer to a row value."],
      ['f1 INT PRIMARY KEY AUTO_INCREMENT, f2 INT, CHECK (f1 != f2)', 3818, "Check constraint 'x_chk_1' cannot refer to an auto-increment column."],
    ];
    for (const [cols, errno, message] of cases) expect(await queryError(c, `CREATE TABLE x (${cols})`), cols).toEqual({ errno, message });
    // UNIX_TIMESTAMP of a column is deterministic; without an argument it reads the clock.
    await c.query('CREATE TABLE x (d DATETIME CHECK (UNIX_TIMESTAMP(d) > 0))');
    await c.query('DROP TABLE x');
  });

  it(req(['CORE-CHECK-016'], 'wire', 'a column changed by a foreign key\'s referential action cannot be used by a constraint (3823)'), async () => {
    await c.query('CREATE TABLE fp (a INT PRIMARY KEY) ENGINE=InnoDB');
    expect(await queryError(c, 'CREATE TABLE fc (b INT, c INT CHECK (c < 10), INDEX(b), FOREIGN KEY (b) REFERENCES fp(a) ON DELETE SET NULL, CHECK (b IS NOT NULL)) ENGINE=InnoDB')).toEqual({
      errno: 3823,
      message: "Column 'b' cannot be used in a check constraint 'fc_chk_2': needed in a foreign key constraint 'fc_ibfk_1' referential action.",
    });
    await c.query('CREATE TABLE fc (b INT, c INT CHECK (c < 10), INDEX(b), FOREIGN KEY (b) REFERENCES fp(a) ON UPDATE CASCADE) ENGINE=InnoDB');
    expect((await queryError(c, 'ALTER TABLE fc ADD CONSTRAINT CHECK (b IS NOT NULL)')).errno).toBe(3823);
    await c.query('CREATE TABLE fc2 (b INT CHECK (b > 1), FOREIGN KEY (b) REFERENCES fp(a)) ENGINE=InnoDB');
  });

  it(req(['CORE-CHECK-021', 'CORE-CHECK-023'], 'wire', 'names are unique per schema (3822 on CREATE, ADD and RENAME); generated names follow RENAME TABLE and moves between schemas'), async () => {
    await c.query('CREATE TABLE s0 (c1 INT CONSTRAINT s2_chk_1 CHECK (c1 > 10))');
    await c.query('CREATE TABLE s1 (c1 INT CHECK (c1 > 10), CONSTRAINT ck CHECK (c1 > 10))');
    expect(await queryError(c, 'CREATE TABLE s3 (c1 INT, CONSTRAINT CK CHECK (c1 > 10))')).toEqual({ errno: 3822, message: "Duplicate check constraint name 'CK'." });
    expect(await queryError(c, 'ALTER TABLE s0 ADD CONSTRAINT ck CHECK (c1 > 10)')).toEqual({ errno: 3822, message: "Duplicate check constraint name 'ck'." });
    expect(await queryError(c, 'ALTER TABLE s1 RENAME TO s2')).toEqual({ errno: 3822, message: "Duplicate check constraint name 's2_chk_1'." });
    expect(await queryError(c, 'RENAME TABLE s1 TO s2')).toEqual({ errno: 3822, message: "Duplicate check constraint name 's2_chk_1'." });
    expect(await queryError(c, 'ALTER TABLE s1 ADD c2 INT, RENAME TO s2')).toEqual({ errno: 3822, message: "Duplicate check constraint name 's2_chk_1'." });
    await c.query('DROP TABLE s0');
    await c.query('RENAME TABLE s1 TO s2');
    expect(await rows(c, "SELECT CONSTRAINT_NAME, TABLE_NAME FROM information_schema.TABLE_CONSTRAINTS WHERE TABLE_SCHEMA = 'ck' AND TABLE_NAME = 's2' ORDER BY 1")).toEqual([['ck', 's2'], ['s2_chk_1', 's2']]);
    await c.query('CREATE DATABASE ck2');
    await c.query('CREATE TABLE ck2.other (c1 INT, CONSTRAINT ck CHECK (c1 > 0))');
    expect(await queryError(c, 'ALTER TABLE s2 RENAME TO ck2.s2')).toEqual({ errno: 3822, message: "Duplicate check constraint name 'ck'." });
    await c.query('ALTER TABLE s2 DROP CHECK ck, RENAME TO ck2.s9');
    expect(await rows(c, "SELECT CONSTRAINT_SCHEMA, CONSTRAINT_NAME, CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = 'ck2' ORDER BY 2")).toEqual([
      ['ck2', 'ck', '(`c1` > 0)'],
      ['ck2', 's9_chk_1', '(`c1` > 10)'],
    ]);
    // A temporary table's constraints are its own: no clash, not in information_schema.
    await c.query('CREATE TEMPORARY TABLE tmp1 (c1 INT, CONSTRAINT ck CHECK (c1 > 1))');
    expect(await queryError(c, 'INSERT INTO tmp1 VALUES (0)')).toEqual(violated('ck'));
    expect(await rows(c, "SELECT COUNT(*) FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = 'ck' AND CONSTRAINT_NAME = 'ck'")).toEqual([[0]]);
    await c.query('DROP TEMPORARY TABLE tmp1');
  });
});

describe('ALTER TABLE', () => {
  it(req(['CORE-CHECK-015', 'CORE-CHECK-020'], 'wire', 'ADD CHECK validates the rows (3819, table unchanged); unnamed constraints are numbered after the highest generated number'), async () => {
    await c.query('CREATE TABLE a1 (a INT, b INT, CHECK (a != b)) ENGINE=InnoDB');
    await c.query('INSERT INTO a1 VALUES (2, 1)');
    expect(await queryError(c, 'ALTER TABLE a1 ADD CONSTRAINT CHECK (a < b)')).toEqual(violated('a1_chk_2'));
    // InnoDB copies the rows to add an enforced constraint (they are counted), not to drop one
    // or to add one NOT ENFORCED (0 rows).
    const [added] = await c.query<mysql.ResultSetHeader>('ALTER TABLE a1 ADD CONSTRAINT named CHECK (a > 0), ADD CHECK (a > b)');
    expect(added.info).toBe('Records: 1  Duplicates: 0  Warnings: 0');
    const [dropped] = await c.query<mysql.ResultSetHeader>('ALTER TABLE a1 DROP CHECK a1_chk_1');
    expect(dropped.info).toBe('Records: 0  Duplicates: 0  Warnings: 0');
    const [lazy] = await c.query<mysql.ResultSetHeader>('ALTER TABLE a1 ADD CONSTRAINT lazy CHECK (a < 0) NOT ENFORCED');
    expect(lazy.info).toBe('Records: 0  Duplicates: 0  Warnings: 0');
    await c.query('ALTER TABLE a1 DROP CHECK lazy, ALGORITHM=INPLACE');
    for (const alg of ['INPLACE', 'INSTANT']) {
      const e = await c.query(`ALTER TABLE a1 ADD CONSTRAINT CHECK (a > -100), ALGORITHM=${alg}`).catch((x: unknown) => x as { errno: number; sqlState: string; message: string });
      expect(e).toMatchObject({ errno: 1845, sqlState: '0A000', message: `ALGORITHM=${alg} is not supported for this operation. Try ALGORITHM=COPY.` });
    }
    await c.query('ALTER TABLE a1 ADD CONSTRAINT lazy CHECK (a < 0) NOT ENFORCED, ALGORITHM=INPLACE');
    await c.query('ALTER TABLE a1 DROP CHECK lazy');
    await c.query('ALTER TABLE a1 ADD CHECK (b > 0)');
    expect(await rows(c, "SELECT CONSTRAINT_NAME FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = 'ck' AND CONSTRAINT_NAME LIKE 'a1%' ORDER BY 1")).toEqual([['a1_chk_2'], ['a1_chk_3']]);
    // Changing a column's type copies the rows, which are checked again.
    await c.query('CREATE TABLE a2 (a INT, b INT, CHECK (a != b))');
    await c.query('INSERT INTO a2 VALUES (2000000000, 2000000001)');
    expect(await queryError(c, 'ALTER TABLE a2 CHANGE a a FLOAT, CHANGE b b FLOAT')).toEqual(violated('a2_chk_1'));
  });

  it(req(['CORE-CHECK-017', 'CORE-CHECK-018', 'CORE-CHECK-015'], 'wire', 'DROP CHECK / ALTER CHECK of unknown names (3821), NOT ENFORCED and back (rows re-checked), DROP and ALTER CONSTRAINT (3940, 3939, 3941)'), async () => {
    await c.query('CREATE TABLE a3 (f1 INT PRIMARY KEY, f2 INT CONSTRAINT ck1 CHECK (f2 > 0), CONSTRAINT uq UNIQUE (f2)) ENGINE=InnoDB');
    expect(await queryError(c, 'ALTER TABLE a3 DROP CHECK ck13')).toEqual({ errno: 3821, message: "Check constraint 'ck13' is not found in the table." });
    expect(await queryError(c, 'ALTER TABLE a3 ALTER CHECK ck13 ENFORCED')).toEqual({ errno: 3821, message: "Check constraint 'ck13' is not found in the table." });
    expect(await queryError(c, 'ALTER TABLE a3 ADD CONSTRAINT ck2 CHECK (f1 > 0), DROP CHECK ck2')).toEqual({ errno: 3821, message: "Check constraint 'ck2' is not found in the table." });
    expect(await queryError(c, 'ALTER TABLE a3 DROP CONSTRAINT nope')).toEqual({ errno: 3940, message: "Constraint 'nope' does not exist." });
    expect(await queryError(c, 'ALTER TABLE a3 ALTER CONSTRAINT uq NOT ENFORCED')).toEqual({
      errno: 3941,
      message: "Altering constraint enforcement is not supported for the constraint 'uq'. Enforcement state alter is not supported for the PRIMARY, UNIQUE and FOREIGN KEY type constraints.",
    });
    await c.query('ALTER TABLE a3 ALTER CHECK ck1 NOT ENFORCED');
    expect(await rows(c, "SELECT CONSTRAINT_NAME, CONSTRAINT_TYPE, ENFORCED FROM information_schema.TABLE_CONSTRAINTS WHERE TABLE_SCHEMA = 'ck' AND TABLE_NAME = 'a3' ORDER BY 1")).toEqual([
      ['ck1', 'CHECK', 'NO'],
      ['PRIMARY', 'PRIMARY KEY', 'YES'],
      ['uq', 'UNIQUE', 'YES'],
    ]);
    await c.query('INSERT INTO a3 VALUES (1, -5)');
    expect(await queryError(c, 'ALTER TABLE a3 ALTER CHECK ck1 ENFORCED')).toEqual(violated('ck1'));
    await c.query('DELETE FROM a3');
    await c.query('ALTER TABLE a3 ALTER CONSTRAINT ck1 ENFORCED');
    expect(await queryError(c, 'INSERT INTO a3 VALUES (1, -5)')).toEqual(violated('ck1'));
    // The same name on a CHECK and a UNIQUE key is ambiguous for DROP CONSTRAINT.
    await c.query('ALTER TABLE a3 ADD CONSTRAINT uq2 UNIQUE (f1, f2), ADD CONSTRAINT `UQ2` CHECK (f1 > 0)');
    expect(await queryError(c, 'ALTER TABLE a3 DROP CONSTRAINT uq2')).toEqual({ errno: 3939, message: "Table has multiple constraints with the name 'uq2'. Please use constraint specific 'DROP' clause." });
    await c.query('ALTER TABLE a3 DROP CONSTRAINT ck1, DROP CONSTRAINT uq');
    expect(await rows(c, "SELECT CONSTRAINT_NAME FROM information_schema.TABLE_CONSTRAINTS WHERE TABLE_SCHEMA = 'ck' AND TABLE_NAME = 'a3' ORDER BY 1")).toEqual([['PRIMARY'], ['uq2'], ['UQ2']]);
    await c.query('INSERT INTO a3 VALUES (2, -5)');
  });

  it(req(['CORE-CHECK-015'], 'wire', 'ADD CHECK waits for a transaction writing the table, then checks the rows it committed'), async () => {
    const writer = await srv.connect({ database: 'ck' });
    const watcher = await srv.connect();
    try {
      await c.query('CREATE TABLE mdl (v INT) ENGINE=InnoDB');
      await writer.query('START TRANSACTION');
      await writer.query('INSERT INTO mdl VALUES (-1)');
      const alter = c.query('ALTER TABLE mdl ADD CONSTRAINT mdl_pos CHECK (v > 0)').then(
        () => null,
        (e: unknown) => e as { errno: number; message: string },
      );
      let state: unknown = null;
      for (let i = 0; i < 2000 && state !== 'Waiting for table metadata lock'; i++) {
        const r = await rows(watcher, `SELECT STATE FROM information_schema.PROCESSLIST WHERE ID = ${c.threadId}`);
        state = r[0]?.[0] ?? null;
        if (state !== 'Waiting for table metadata lock') await new Promise((res) => setTimeout(res, 5));
      }
      expect(state).toBe('Waiting for table metadata lock');
      await writer.query('COMMIT');
      expect(await alter).toMatchObject(violated('mdl_pos'));
      await writer.query('DELETE FROM mdl');
      await c.query('ALTER TABLE mdl ADD CONSTRAINT mdl_pos CHECK (v > 0)');
      expect(await queryError(writer, 'INSERT INTO mdl VALUES (-1)')).toEqual(violated('mdl_pos'));
    } finally {
      await writer.end();
      await watcher.end();
    }
  });

  it(req(['CORE-CHECK-019'], 'wire', 'dropping a column drops the constraints on it alone; a column used with others cannot be dropped or renamed (3959)'), async () => {
    await c.query('CREATE TABLE a4 (f1 INT CHECK (f1 < 10), f2 INT)');
    await c.query('ALTER TABLE a4 DROP COLUMN f1');
    await c.query('ALTER TABLE a4 ADD COLUMN f1 INT CHECK (f1 < 10), ADD CONSTRAINT CHECK (f1 + f2 < 10), ADD CONSTRAINT CHECK (f2 < 10)');
    expect(await queryError(c, 'ALTER TABLE a4 DROP COLUMN f1')).toEqual({ errno: 3959, message: "Check constraint 'a4_chk_2' uses column 'f1', hence column cannot be dropped or renamed." });
    expect(await queryError(c, 'ALTER TABLE a4 RENAME COLUMN f1 TO f3')).toEqual({ errno: 3959, message: "Check constraint 'a4_chk_1' uses column 'f1', hence column cannot be dropped or renamed." });
    await c.query('ALTER TABLE a4 DROP CHECK a4_chk_2, DROP COLUMN f1');
    expect(await showCreate(c, 'a4')).toBe(
      'CREATE TABLE `a4` (\n  `f2` int DEFAULT NULL,\n  CONSTRAINT `a4_chk_3` CHECK ((`f2` < 10))\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci',
    );
  });
});

describe('SHOW CREATE TABLE and information_schema', () => {
  it(req(['CORE-CHECK-022', 'CORE-CHECK-024', 'CORE-CHECK-025'], 'wire', 'SHOW CREATE TABLE lists constraints by name with /*!80016 NOT ENFORCED */; CREATE TABLE ... LIKE renames them; the views show clause and state'), async () => {
    await c.query('CREATE TABLE sc (f1 INT, f2 INT CHECK (f2 < 10), f3 INT CHECK (f3 < 10) NOT ENFORCED, CONSTRAINT ck CHECK (f1 > 10), CONSTRAINT CHECK (f1 > 10) NOT ENFORCED)');
    expect(await showCreate(c, 'sc')).toBe(
      'CREATE TABLE `sc` (\n' +
        '  `f1` int DEFAULT NULL,\n  `f2` int DEFAULT NULL,\n  `f3` int DEFAULT NULL,\n' +
        '  CONSTRAINT `ck` CHECK ((`f1` > 10)),\n' +
        '  CONSTRAINT `sc_chk_1` CHECK ((`f2` < 10)),\n' +
        '  CONSTRAINT `sc_chk_2` CHECK ((`f3` < 10)) /*!80016 NOT ENFORCED */,\n' +
        '  CONSTRAINT `sc_chk_3` CHECK ((`f1` > 10)) /*!80016 NOT ENFORCED */\n' +
        ') ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci',
    );
    expect(await rows(c, "SELECT * FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = 'ck' AND CONSTRAINT_NAME LIKE 'sc%' ORDER BY CONSTRAINT_NAME")).toEqual([
      ['def', 'ck', 'sc_chk_1', '(`f2` < 10)'],
      ['def', 'ck', 'sc_chk_2', '(`f3` < 10)'],
      ['def', 'ck', 'sc_chk_3', '(`f1` > 10)'],
    ]);
    expect(await rows(c, "SELECT CONSTRAINT_NAME, ENFORCED FROM information_schema.TABLE_CONSTRAINTS WHERE TABLE_SCHEMA = 'ck' AND TABLE_NAME = 'sc' ORDER BY 1")).toEqual([
      ['ck', 'YES'], ['sc_chk_1', 'YES'], ['sc_chk_2', 'NO'], ['sc_chk_3', 'NO'],
    ]);
    await c.query('CREATE TABLE sc_like LIKE sc');
    expect(await rows(c, "SELECT CONSTRAINT_NAME, CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = 'ck' AND CONSTRAINT_NAME LIKE 'sc_like%' ORDER BY 1")).toEqual([
      ['sc_like_chk_1', '(`f1` > 10)'],
      ['sc_like_chk_2', '(`f2` < 10)'],
      ['sc_like_chk_3', '(`f3` < 10)'],
      ['sc_like_chk_4', '(`f1` > 10)'],
    ]);
    expect(await queryError(c, 'INSERT INTO sc_like (f1, f2) VALUES (11, 11)')).toEqual(violated('sc_like_chk_2'));
  });
});
