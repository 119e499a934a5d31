/**
 * Definition errors of CREATE/ALTER/DROP/RENAME over the wire, with exact numbers and texts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type mysql from 'mysql2/promise';
import { req } from '../helpers/req.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { failureOf, type ServerError } from '../helpers/sql.js';

let srv: TestServer;
let c: mysql.Connection;

const err = (sql: string): Promise<ServerError> => failureOf(c.query(sql));

beforeAll(async () => {
  srv = await startTestServer();
  c = await srv.connect();
  await c.query('CREATE DATABASE e');
  await c.query('USE e');
});

afterAll(async () => {
  await c?.end();
  await srv?.stop();
});

describe('DDL errors', () => {
  it(req(['CORE-DDL-002', 'CORE-DDL-004', 'CORE-DDL-005', 'CORE-DDL-006', 'CORE-DDL-007'], 'wire', 'column and key definition errors'), async () => {
    const cases: [string, number, string][] = [
      ['CREATE TABLE x (a INT, a INT)', 1060, "Duplicate column name 'a'"],
      ['CREATE TABLE x (a INT PRIMARY KEY, b INT, PRIMARY KEY (b))', 1068, 'Multiple primary key defined'],
      ['CREATE TABLE x (a INT, KEY k (a), KEY k (a))', 1061, "Duplicate key name 'k'"],
      ['CREATE TABLE x (a INT, KEY (nope))', 1072, "Key column 'nope' doesn't exist in table"],
      ['CREATE TABLE x (a INT NULL, PRIMARY KEY (a))', 1171, 'All parts of a PRIMARY KEY must be NOT NULL; if you need NULL in a key, use UNIQUE instead'],
      ['CREATE TABLE x (a INT AUTO_INCREMENT)', 1075, 'Incorrect table definition; there can be only one auto column and it must be defined as a key'],
      ['CREATE TABLE x (a INT DEFAULT 5000000000)', 1067, "Invalid default value for 'a'"],
      ["CREATE TABLE x (a TINYINT DEFAULT 'abc')", 1067, "Invalid default value for 'a'"],
      ['CREATE TABLE x (a INT NOT NULL DEFAULT NULL)', 1067, "Invalid default value for 'a'"],
      ["CREATE TABLE x (a ENUM('x','y') DEFAULT 'z')", 1067, "Invalid default value for 'a'"],
      ["CREATE TABLE x (a DATE DEFAULT '0000-00-00')", 1067, "Invalid default value for 'a'"],
      ['CREATE TABLE x (a INT DEFAULT CURRENT_TIMESTAMP)', 1067, "Invalid default value for 'a'"],
      [`CREATE TABLE ${'x'.repeat(65)} (a INT)`, 1059, `Identifier name '${'x'.repeat(65)}' is too long`],
      ['CREATE TABLE x (a VARCHAR(20000))', 1074, "Column length too big for column 'a' (max = 16383); use BLOB or TEXT instead"],
    ];
    for (const [sql, errno, msg] of cases) {
      const e = await err(sql);
      expect([sql, e.errno, e.sqlMessage]).toEqual([sql, errno, msg]);
    }
    const [t] = await c.query<mysql.RowDataPacket[]>('SHOW TABLES');
    expect(t).toEqual([]);
  });

  it(req(['CORE-DDL-002#e1060', 'CORE-DDL-002#e1113', 'CORE-DDL-002#e1074', 'CORE-DDL-002#e1063'], 'wire', 'CREATE TABLE column-list checks: 1060 duplicate, 1113 no column, 1074 length too big, 1063 AUTO_INCREMENT on a non-numeric column'), async () => {
    const cases: [string, number, string, string][] = [
      // e1060: names compare case-insensitively
      ['CREATE TABLE x (a INT, b INT, A CHAR(1))', 1060, '42S21', "Duplicate column name 'A'"],
      // e1113: no column list at all (an empty `()` is a syntax error in MySQL's grammar)
      ['CREATE TABLE x', 1113, '42000', 'A table must have at least 1 column'],
      ['CREATE TABLE x ENGINE=MEMORY', 1113, '42000', 'A table must have at least 1 column'],
      ['CREATE TEMPORARY TABLE x', 1113, '42000', 'A table must have at least 1 column'],
      // e1074: each string type's own maximum
      ['CREATE TABLE x (a CHAR(256))', 1074, '42000', "Column length too big for column 'a' (max = 255); use BLOB or TEXT instead"],
      ['CREATE TABLE x (a VARBINARY(65536))', 1074, '42000', "Column length too big for column 'a' (max = 65535); use BLOB or TEXT instead"],
      ['CREATE TABLE x (a VARCHAR(16384))', 1074, '42000', "Column length too big for column 'a' (max = 16383); use BLOB or TEXT instead"],
      // e1063: AUTO_INCREMENT needs an integer or floating-point column
      ['CREATE TABLE x (a VARCHAR(10) AUTO_INCREMENT PRIMARY KEY)', 1063, '42000', "Incorrect column specifier for column 'a'"],
      ['CREATE TABLE x (d DATE AUTO_INCREMENT, KEY (d))', 1063, '42000', "Incorrect column specifier for column 'd'"],
      ['CREATE TABLE x (a INT, b CHAR(5) AUTO_INCREMENT, KEY (b))', 1063, '42000', "Incorrect column specifier for column 'b'"],
    ];
    for (const [sql, errno, state, msg] of cases) {
      const e = await err(sql);
      expect([sql, e.errno, e.sqlState, e.sqlMessage]).toEqual([sql, errno, state, msg]);
    }
    expect(await c.query<mysql.RowDataPacket[]>('SHOW TABLES').then(([t]) => t)).toEqual([]);
    expect((await err('CREATE TABLE x ()')).errno).toBe(1064);
    // The limits are exact: one less is accepted, and numeric AUTO_INCREMENT columns are fine.
    await c.query('CREATE TABLE ok1 (a CHAR(255))');
    await c.query('CREATE TABLE ok4 (b VARBINARY(65532) NOT NULL)');
    await c.query('CREATE TABLE ok5 (c VARCHAR(16383) NOT NULL) CHARSET=utf8mb4');
    await c.query('CREATE TABLE ok2 (a BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY)');
    await c.query('CREATE TABLE ok3 (a DOUBLE AUTO_INCREMENT, KEY (a))');
    await c.query('DROP TABLE ok1, ok2, ok3, ok4, ok5');
  });

  it(req(['CORE-DDL-044'], 'wire', 'numeric sizes: DECIMAL scale 1425, precision 1426, M < D 1427 (in that order), BIT width 1439; the limits themselves are accepted'), async () => {
    const cases: [string, number, string][] = [
      ['CREATE TABLE x (a DECIMAL(40,31))', 1425, "Too big scale 31 specified for column 'a'. Maximum is 30."],
      ['CREATE TABLE x (a DECIMAL(66,31))', 1425, "Too big scale 31 specified for column 'a'. Maximum is 30."],
      ['CREATE TABLE x (a INT, d DECIMAL(66,2))', 1426, "Too-big precision 66 specified for 'd'. Maximum is 65."],
      ['CREATE TABLE x (a DECIMAL(5,6))', 1427, "For float(M,D), double(M,D) or decimal(M,D), M must be >= D (column 'a')."],
      ['CREATE TABLE x (b BIT(65))', 1439, "Display width out of range for column 'b' (max = 64)"],
    ];
    for (const [sql, errno, msg] of cases) {
      const e = await err(sql);
      expect([sql, e.errno, e.sqlState, e.sqlMessage]).toEqual([sql, errno, '42000', msg]);
    }
    await c.query('CREATE TABLE num_ok (a DECIMAL(65,30), b BIT(64), c DECIMAL(30,30))');
    expect((await err('ALTER TABLE num_ok ADD COLUMN d DECIMAL(70,0)')).errno).toBe(1426);
    expect((await err('ALTER TABLE num_ok MODIFY b BIT(100)')).errno).toBe(1439);
    const [sc] = await c.query<mysql.RowDataPacket[]>('SHOW CREATE TABLE num_ok');
    expect(String(sc[0]!['Create Table'])).toContain('`a` decimal(65,30) DEFAULT NULL');
    await c.query('DROP TABLE num_ok');
  });

  it(req(['CORE-DDL-003', 'CORE-DDL-014', 'CORE-DDL-015'], 'wire', 'exists / unknown / rename errors and IF [NOT] EXISTS notes'), async () => {
    await c.query('CREATE TABLE a1 (i INT)');
    expect((await err('CREATE TABLE a1 (i INT)')).sqlMessage).toBe("Table 'a1' already exists");
    await c.query('CREATE TABLE IF NOT EXISTS a1 (i INT)');
    const [w] = await c.query<mysql.RowDataPacket[]>('SHOW WARNINGS');
    expect(w.map((r) => [r['Level'], r['Code'], r['Message']])).toEqual([['Note', 1050, "Table 'a1' already exists"]]);
    await c.query('DROP TABLE IF EXISTS nope');
    const [w2] = await c.query<mysql.RowDataPacket[]>('SHOW WARNINGS');
    expect(w2.map((r) => [r['Level'], r['Code'], r['Message']])).toEqual([['Note', 1051, "Unknown table 'e.nope'"]]);
    expect((await err('RENAME TABLE nope TO x')).errno).toBe(1146);
    await c.query('CREATE TABLE a2 (i INT)');
    expect((await err('RENAME TABLE a1 TO b1, a2 TO b1')).errno).toBe(1050);
    const [t] = await c.query<mysql.RowDataPacket[]>('SHOW TABLES');
    expect(t.map((r) => Object.values(r)[0])).toEqual(['a1', 'a2']);
    await c.query('RENAME TABLE a1 TO b1, a2 TO a1, b1 TO a2');
    await c.query('DROP TABLE a1, a2');
  });

  it(req(['CORE-DDL-013', 'CORE-DDL-012'], 'wire', 'ALTER TABLE errors leave the table alone; column operations keep data'), async () => {
    await c.query('CREATE TABLE al (a INT PRIMARY KEY, b VARCHAR(10))');
    await c.query("INSERT INTO al VALUES (1, 'x'), (2, 'y')");
    expect((await err('ALTER TABLE al DROP COLUMN zz')).sqlMessage).toBe("Can't DROP 'zz'; check that column/key exists");
    expect((await err('ALTER TABLE al DROP INDEX zz')).errno).toBe(1091);
    expect((await err('ALTER TABLE al ADD COLUMN b INT')).errno).toBe(1060);
    expect((await err('ALTER TABLE al ADD PRIMARY KEY (b)')).errno).toBe(1068);
    await c.query('ALTER TABLE al ADD COLUMN c INT NOT NULL FIRST, CHANGE b bb VARCHAR(20) AFTER c, ADD UNIQUE KEY (bb)');
    const [cols] = await c.query<mysql.RowDataPacket[]>('SHOW COLUMNS FROM al');
    expect(cols.map((r) => [r['Field'], r['Type'], r['Null'], r['Key']])).toEqual([
      ['c', 'int', 'NO', ''],
      ['bb', 'varchar(20)', 'YES', 'UNI'],
      ['a', 'int', 'NO', 'PRI'],
    ]);
    const [rows] = await c.query<mysql.RowDataPacket[]>('SELECT c, bb, a FROM al ORDER BY a');
    expect(rows.map((r) => [r['c'], r['bb'], r['a']])).toEqual([[0, 'x', 1], [0, 'y', 2]]);
    await c.query('INSERT INTO al VALUES (0, NULL, 3)');
    expect((await err("INSERT INTO al VALUES (0, 'x', 4)")).sqlMessage).toBe("Duplicate entry 'x' for key 'al.bb'");
    // A duplicate met while ALTER copies the rows names the key of the table being altered
    // (not of the copy under its temporary name), on every engine that copies.
    for (const engine of ['InnoDB', 'MyISAM', 'MEMORY']) {
      await c.query(`CREATE TABLE dupk (a INT, b INT) ENGINE=${engine}`);
      await c.query('INSERT INTO dupk VALUES (1, 7), (2, 7)');
      const e = await err('ALTER TABLE dupk ADD UNIQUE KEY kb (b)');
      expect([e.errno, e.sqlMessage]).toEqual([1062, "Duplicate entry '7' for key 'dupk.kb'"]);
      await c.query('DROP TABLE dupk');
    }
    await c.query('CREATE INDEX ic ON al (c)');
    await c.query('DROP INDEX ic ON al');
    await c.query('ALTER TABLE al RENAME TO al2');
    const [t] = await c.query<mysql.RowDataPacket[]>("SHOW TABLES LIKE 'al%'");
    expect(t.map((r) => Object.values(r)[0])).toEqual(['al2']);
  });

  it(req(['MEMORY-015', 'MEMORY-002', 'ENGINE-CHOOSE-009'], 'wire', 'partitioning and GEOMETRY are refused on MEMORY'), async () => {
    const e = await err('CREATE TABLE pt (i INT) ENGINE=MEMORY PARTITION BY HASH(i) PARTITIONS 2');
    expect([e.errno, e.sqlMessage]).toEqual([1178, "The storage engine for the table doesn't support native partitioning"]);
    expect((await err('CREATE TABLE g (g GEOMETRY) ENGINE=MEMORY')).errno).toBe(1163);
  });

  it(req(['ENGINE-SET-009'], 'wire', 'ALTER to an unknown engine without NO_ENGINE_SUBSTITUTION warns and keeps the engine'), async () => {
    await c.query('CREATE TABLE keep (i INT)');
    await c.query("SET SESSION sql_mode=''");
    await c.query('ALTER TABLE keep ENGINE=NOSUCH');
    const [w] = await c.query<mysql.RowDataPacket[]>('SHOW WARNINGS');
    expect(w.map((r) => r['Code'])).toEqual([1286, 1266]);
    const [e] = await c.query<mysql.RowDataPacket[]>("SELECT ENGINE FROM information_schema.TABLES WHERE TABLE_SCHEMA='e' AND TABLE_NAME='keep'");
    expect(e[0]!['ENGINE']).toBe('InnoDB');
    await c.query('SET SESSION sql_mode=DEFAULT');
  });

  it(req(['CORE-CAT-004', 'CORE-DDL-017'], 'wire', 'database errors and DROP DATABASE counts tables'), async () => {
    expect((await err('CREATE DATABASE e')).sqlMessage).toBe("Can't create database 'e'; database exists");
    expect((await err('DROP DATABASE nope')).sqlMessage).toBe("Can't drop database 'nope'; database doesn't exist");
    await c.query('CREATE DATABASE dd CHARACTER SET latin1');
    await c.query('CREATE TABLE dd.t1 (s VARCHAR(3))');
    await c.query('CREATE TABLE dd.t2 (i INT)');
    const [sc] = await c.query<mysql.RowDataPacket[]>('SHOW CREATE TABLE dd.t1');
    expect(String(sc[0]!['Create Table'])).toContain(') ENGINE=InnoDB DEFAULT CHARSET=latin1');
    const [r] = await c.query<mysql.ResultSetHeader>('DROP DATABASE dd');
    expect(r.affectedRows).toBe(2);
    expect((await err('CREATE TABLE information_schema.x (i INT)')).errno).toBe(1044);
  });
});
