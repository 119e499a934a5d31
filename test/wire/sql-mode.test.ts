/**
 * Strict and non-strict data conversion over the wire: the ALTER TABLE copy, NULL into NOT NULL,
 * column references in VALUES, the STRICT_* modes on transactional and non-transactional tables,
 * the zero-date modes, ALLOW_INVALID_DATES and ERROR_FOR_DIVISION_BY_ZERO, each with the flag on
 * and off. Expected outputs are MySQL 8.0's (mysql-test strict.result, insert.result,
 * alter_table.result and the sql_mode manual page).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type mysql from 'mysql2/promise';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { req } from '../helpers/req.js';
import { queryError, warningPairs, type QueryFailure } from '../helpers/sql.js';

let srv: TestServer;
let c: mysql.Connection;

async function q(sql: string): Promise<unknown> {
  const [rows] = await c.query(sql);
  return rows;
}
function err(sql: string): Promise<QueryFailure> {
  return queryError(c, sql);
}
/** The statement's OK packet info string ("Records: ..."). */
async function info(sql: string): Promise<string> {
  const [r] = await c.query(sql);
  return (r as { info: string }).info;
}
const warnings = (): Promise<[number, string][]> => warningPairs(c);
async function mode(m: string): Promise<void> {
  await c.query(`SET sql_mode = '${m}'`);
}

beforeAll(async () => {
  srv = await startTestServer();
  c = await srv.connect({ dateStrings: true });
  await c.query('CREATE DATABASE sm');
  await c.query('USE sm');
}, 60000);
afterAll(async () => {
  await c?.end();
  await srv?.stop();
});
beforeEach(async () => {
  await c.query('SET sql_mode = DEFAULT');
});

describe('ALTER TABLE copy and strict mode', () => {
  it(req(['CORE-MODE-001#nonstrict'], 'wire', 'non-strict MODIFY that truncates converts with warnings 1265 / 1264'), async () => {
    await q('CREATE TABLE at1 (a INT, b VARCHAR(10)) ENGINE=InnoDB');
    await q("INSERT INTO at1 VALUES (1, 'abcdefgh'), (300, 'xy')");
    await mode('');
    expect(await info('ALTER TABLE at1 MODIFY a TINYINT, MODIFY b CHAR(3)')).toBe('Records: 2  Duplicates: 0  Warnings: 2');
    expect(await warnings()).toEqual([
      [1265, "Data truncated for column 'b' at row 1"],
      [1264, "Out of range value for column 'a' at row 2"],
    ]);
    expect(await q('SELECT a, b FROM at1 ORDER BY b')).toEqual([{ a: 1, b: 'abc' }, { a: 127, b: 'xy' }]);
  });

  it(req(['CORE-MODE-001#nonstrict'], 'wire', 'non-strict ALTER converts random values exactly as a non-strict INSERT does (property)'), async () => {
    const value = fc.oneof(
      fc.constant('NULL'),
      fc.integer({ min: -100000, max: 100000 }).map(String),
      fc.constantFrom('1.5', '-0.5', '1e3', '255', '256', '-129'),
      fc.stringMatching(/^[a-z0-9 .-]{0,8}$/).map((t) => `'${t}'`),
    );
    const target = fc.constantFrom('TINYINT', 'TINYINT UNSIGNED', 'SMALLINT', 'DECIMAL(4,1)', 'CHAR(3)', 'VARCHAR(2)', 'DOUBLE');
    await mode('');
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(value, { minLength: 1, maxLength: 4 }), target, async (vals, type) => {
        n++;
        const rows = vals.map((v, i) => `(${i + 1}, ${v})`).join(', ');
        await q(`CREATE TABLE pa${n} (id INT PRIMARY KEY, v VARCHAR(20)) ENGINE=InnoDB`);
        await q(`INSERT INTO pa${n} VALUES ${rows}`);
        await q(`CREATE TABLE ps${n} SELECT * FROM pa${n}`);
        await q(`ALTER TABLE pa${n} MODIFY v ${type}`);
        const altered = [await warnings(), await q(`SELECT id, v FROM pa${n} ORDER BY id`)];
        await q(`CREATE TABLE pi${n} (id INT PRIMARY KEY, v ${type}) ENGINE=InnoDB`);
        await q(`INSERT INTO pi${n} SELECT id, v FROM ps${n} ORDER BY id`);
        const inserted = [await warnings(), await q(`SELECT id, v FROM pi${n} ORDER BY id`)];
        expect([vals, type, altered]).toEqual([vals, type, inserted]);
      }),
      { numRuns: 15, seed: 2026 },
    );
  });

  it(req(['CORE-MODE-001#strict'], 'wire', 'strict MODIFY that truncates fails and keeps the table'), async () => {
    await q('CREATE TABLE at2 (a INT, b VARCHAR(10)) ENGINE=InnoDB');
    await q("INSERT INTO at2 VALUES (300, 'abcdefgh')");
    expect(await err('ALTER TABLE at2 MODIFY b CHAR(3)')).toEqual({ errno: 1265, message: "Data truncated for column 'b' at row 1" });
    expect(await err('ALTER TABLE at2 MODIFY a TINYINT')).toEqual({ errno: 1264, message: "Out of range value for column 'a' at row 1" });
    expect(await q('SELECT a, b FROM at2')).toEqual([{ a: 300, b: 'abcdefgh' }]);
    expect(((await q('SHOW CREATE TABLE at2')) as { 'Create Table': string }[])[0]!['Create Table']).toContain('`b` varchar(10)');
  });

  it(req(['CORE-MODE-002#nonstrict', 'CORE-MODE-002#strict'], 'wire', 'MODIFY ... NOT NULL over NULLs: 1138 strict, implicit default + 1265 otherwise'), async () => {
    await q('CREATE TABLE at3 (id INT PRIMARY KEY, c INT, d DATE, s VARCHAR(5)) ENGINE=InnoDB');
    await q("INSERT INTO at3 VALUES (1, NULL, NULL, NULL), (2, 5, '2020-01-02', 'x'), (3, NULL, NULL, NULL)");
    expect(await err('ALTER TABLE at3 MODIFY c INT NOT NULL')).toEqual({ errno: 1138, message: 'Invalid use of NULL value' });
    await mode('');
    expect(await info('ALTER TABLE at3 MODIFY c INT NOT NULL, MODIFY s VARCHAR(5) NOT NULL')).toBe('Records: 3  Duplicates: 0  Warnings: 4');
    expect(await warnings()).toEqual([
      [1265, "Data truncated for column 'c' at row 1"],
      [1265, "Data truncated for column 's' at row 1"],
      [1265, "Data truncated for column 'c' at row 3"],
      [1265, "Data truncated for column 's' at row 3"],
    ]);
    expect(await q('SELECT id, c, s FROM at3 ORDER BY id')).toEqual([{ id: 1, c: 0, s: '' }, { id: 2, c: 5, s: 'x' }, { id: 3, c: 0, s: '' }]);
    await q('ALTER TABLE at3 MODIFY d DATE NOT NULL');
    expect(await q('SELECT d FROM at3 ORDER BY id')).toEqual([{ d: '0000-00-00' }, { d: '2020-01-02' }, { d: '0000-00-00' }]);
  });
});

describe('CREATE TABLE ... SELECT outside strict mode', () => {
  it(req('CORE-MODE-025', 'wire', 'values are adjusted with 1265 / 1264 and NULL into NOT NULL warns 1048'), async () => {
    expect(await err("CREATE TABLE cs0 (c CHAR(2)) SELECT 'abc' AS c")).toMatchObject({ errno: 1265 });
    await mode('');
    expect(await info("CREATE TABLE cs1 (c CHAR(2), n TINYINT, z INT NOT NULL) SELECT 'abc' AS c, 300 AS n, NULL AS z")).toBe('Records: 1  Duplicates: 0  Warnings: 3');
    expect(await warnings()).toEqual([
      [1265, "Data truncated for column 'c' at row 1"],
      [1264, "Out of range value for column 'n' at row 1"],
      [1048, "Column 'z' cannot be null"],
    ]);
    expect(await q('SELECT c, n, z FROM cs1')).toEqual([{ c: 'ab', n: 127, z: 0 }]);
  });
});

describe('INSERT values and NULL into NOT NULL', () => {
  it(req('CORE-MODE-003', 'wire', 'a column named in VALUES reads its default until assigned (insert.result)'), async () => {
    await q('CREATE TABLE iv (a INT NOT NULL) ENGINE=InnoDB');
    await q('INSERT INTO iv VALUES (1)');
    await q('INSERT INTO iv VALUES (a+2)');
    await q('INSERT INTO iv VALUES (a+3)');
    await q('INSERT INTO iv VALUES (4),(a+5)');
    expect(await q('SELECT a FROM iv ORDER BY a')).toEqual([{ a: 1 }, { a: 2 }, { a: 3 }, { a: 4 }, { a: 5 }]);
    await q('CREATE TABLE iv2 (a INT NOT NULL DEFAULT 5, b INT NOT NULL, c INT) ENGINE=InnoDB');
    await q('INSERT INTO iv2 (b) VALUES (a + 2)');
    await q('INSERT INTO iv2 VALUES (a + 2, a + 3, c)');
    await q('INSERT INTO iv2 SET c = b + 1, b = 9');
    expect(await q('SELECT a, b, c FROM iv2 ORDER BY b')).toEqual([{ a: 5, b: 7, c: null }, { a: 5, b: 9, c: 1 }, { a: 7, b: 10, c: null }]);
  });

  it(req(['CORE-MODE-004#single', 'CORE-MODE-004#multi', 'CORE-MODE-004#select', 'CORE-MODE-004#strict'], 'wire', 'NULL into NOT NULL: 1048 error, or warning 1048 and the implicit default'), async () => {
    await q("CREATE TABLE nn (id INT NOT NULL DEFAULT 8, s VARCHAR(3) NOT NULL DEFAULT 'q') ENGINE=InnoDB");
    expect(await err('INSERT INTO nn VALUES (1, NULL), (2, NULL)')).toEqual({ errno: 1048, message: "Column 's' cannot be null" });
    await mode('');
    expect(await err('INSERT INTO nn (id) VALUES (NULL)')).toEqual({ errno: 1048, message: "Column 'id' cannot be null" });
    expect(await info('INSERT INTO nn (id) VALUES (1), (NULL), (2)')).toBe('Records: 3  Duplicates: 0  Warnings: 1');
    expect(await warnings()).toEqual([[1048, "Column 'id' cannot be null"]]);
    expect(await info('INSERT INTO nn SELECT NULL, NULL')).toBe('Records: 1  Duplicates: 0  Warnings: 2');
    expect(await warnings()).toEqual([[1048, "Column 'id' cannot be null"], [1048, "Column 's' cannot be null"]]);
    expect(await q('SELECT id, s FROM nn')).toEqual([{ id: 1, s: 'q' }, { id: 0, s: 'q' }, { id: 2, s: 'q' }, { id: 0, s: '' }]);
  });
});

describe('STRICT_TRANS_TABLES and STRICT_ALL_TABLES', () => {
  it(req(['CORE-MODE-007#trans', 'CORE-MODE-007#off'], 'wire', 'transactional table: any bad row fails the statement; non-strict adjusts'), async () => {
    await q('CREATE TABLE st1 (a TINYINT) ENGINE=InnoDB');
    await mode('STRICT_TRANS_TABLES');
    expect(await err('INSERT INTO st1 VALUES (1), (300), (2)')).toEqual({ errno: 1264, message: "Out of range value for column 'a' at row 2" });
    expect(await q('SELECT COUNT(*) AS n FROM st1')).toEqual([{ n: 0 }]);
    await mode('');
    expect(await info('INSERT INTO st1 VALUES (1), (300), (2)')).toBe('Records: 3  Duplicates: 0  Warnings: 1');
    expect(await warnings()).toEqual([[1264, "Out of range value for column 'a' at row 2"]]);
    expect(await q('SELECT a FROM st1 ORDER BY a')).toEqual([{ a: 1 }, { a: 2 }, { a: 127 }]);
  });

  it(req(['CORE-MODE-007#first-row', 'CORE-MODE-007#later-row', 'CORE-MODE-008'], 'wire', 'MyISAM and MEMORY: STRICT_TRANS_TABLES warns after the first row, STRICT_ALL_TABLES stops'), async () => {
    for (const engine of ['MyISAM', 'MEMORY']) {
      const t = `st_${engine.toLowerCase()}`;
      await q(`CREATE TABLE ${t} (a TINYINT) ENGINE=${engine}`);
      await mode('STRICT_TRANS_TABLES');
      expect(await err(`INSERT INTO ${t} VALUES (400), (3)`)).toEqual({ errno: 1264, message: "Out of range value for column 'a' at row 1" });
      expect(await info(`INSERT INTO ${t} VALUES (1), (300), (2)`)).toBe('Records: 3  Duplicates: 0  Warnings: 1');
      expect(await warnings()).toEqual([[1264, "Out of range value for column 'a' at row 2"]]);
      await mode('STRICT_ALL_TABLES');
      expect(await err(`INSERT INTO ${t} VALUES (5), (500), (6)`)).toEqual({ errno: 1264, message: "Out of range value for column 'a' at row 2" });
      expect(await q(`SELECT a FROM ${t} ORDER BY a`)).toEqual([{ a: 1 }, { a: 2 }, { a: 5 }, { a: 127 }]);
    }
  });
});

describe('zero dates and invalid dates', () => {
  it(req(['CORE-MODE-005#off', 'CORE-MODE-005#strict', 'CORE-MODE-005#nonstrict'], 'wire', "NO_ZERO_DATE: '0000-00-00' is 1292 strict, warning 1264 otherwise, silent without the flag"), async () => {
    await q('CREATE TABLE zd (d DATE, dt DATETIME) ENGINE=InnoDB');
    await mode('STRICT_TRANS_TABLES');
    await q("INSERT INTO zd VALUES ('0000-00-00', '0000-00-00 00:00:00')");
    expect(await warnings()).toEqual([]);
    await mode('STRICT_TRANS_TABLES,NO_ZERO_DATE');
    expect(await err("INSERT INTO zd VALUES ('0000-00-00', NULL)")).toEqual({ errno: 1292, message: "Incorrect date value: '0000-00-00' for column 'd' at row 1" });
    await mode('NO_ZERO_DATE');
    await q("INSERT INTO zd VALUES ('0000-00-00', '0000-00-00 00:00:00')");
    expect(await warnings()).toEqual([
      [1264, "Out of range value for column 'd' at row 1"],
      [1264, "Out of range value for column 'dt' at row 1"],
    ]);
    expect(await q('SELECT d, dt FROM zd')).toEqual([
      { d: '0000-00-00', dt: '0000-00-00 00:00:00' },
      { d: '0000-00-00', dt: '0000-00-00 00:00:00' },
    ]);
  });

  it(req(['CORE-MODE-006#off', 'CORE-MODE-006#strict', 'CORE-MODE-006#nonstrict'], 'wire', "NO_ZERO_IN_DATE: '2020-00-10' is 1292 strict, zero date + 1264 otherwise, kept without the flag"), async () => {
    await q('CREATE TABLE zi (d DATE) ENGINE=InnoDB');
    await mode('STRICT_TRANS_TABLES');
    await q("INSERT INTO zi VALUES ('2020-00-10')");
    await mode('STRICT_TRANS_TABLES,NO_ZERO_IN_DATE');
    expect(await err("INSERT INTO zi VALUES ('2020-00-10')")).toEqual({ errno: 1292, message: "Incorrect date value: '2020-00-10' for column 'd' at row 1" });
    await mode('NO_ZERO_IN_DATE');
    await q("INSERT INTO zi VALUES ('2020-05-00')");
    expect(await warnings()).toEqual([[1264, "Out of range value for column 'd' at row 1"]]);
    expect(await q('SELECT d FROM zi')).toEqual([{ d: '2020-00-10' }, { d: '0000-00-00' }]);
  });

  it(req('CORE-MODE-020', 'wire', "ALLOW_INVALID_DATES keeps '2020-02-31' in DATE and DATETIME, not in TIMESTAMP"), async () => {
    await q('CREATE TABLE ad (d DATE, dt DATETIME, ts TIMESTAMP NULL) ENGINE=InnoDB');
    expect(await err("INSERT INTO ad (d) VALUES ('2020-02-31')")).toEqual({ errno: 1292, message: "Incorrect date value: '2020-02-31' for column 'd' at row 1" });
    await mode('STRICT_TRANS_TABLES,ALLOW_INVALID_DATES');
    await q("INSERT INTO ad (d, dt) VALUES ('2020-02-31', '2021-04-31 10:00:00')");
    expect(await err("INSERT INTO ad (ts) VALUES ('2020-02-31 10:00:00')")).toEqual({ errno: 1292, message: "Incorrect datetime value: '2020-02-31 10:00:00' for column 'ts' at row 1" });
    expect(await err("INSERT INTO ad (d) VALUES ('2020-02-32')")).toEqual({ errno: 1292, message: "Incorrect date value: '2020-02-32' for column 'd' at row 1" });
    expect(await q('SELECT d, dt FROM ad')).toEqual([{ d: '2020-02-31', dt: '2021-04-31 10:00:00' }]);
  });
});

describe('ERROR_FOR_DIVISION_BY_ZERO', () => {
  it(req(['CORE-MODE-009#off', 'CORE-MODE-009#warn', 'CORE-MODE-009#error'], 'wire', 'NULL silently, warning 1365, or error 1365 in strict INSERT'), async () => {
    await q('CREATE TABLE dz (a INT) ENGINE=InnoDB');
    await mode('STRICT_TRANS_TABLES');
    expect(await q('SELECT 1/0 AS r, 5 MOD 0 AS m')).toEqual([{ r: null, m: null }]);
    expect(await warnings()).toEqual([]);
    await q('INSERT INTO dz VALUES (1/0)');
    expect(await warnings()).toEqual([]);
    await mode('ERROR_FOR_DIVISION_BY_ZERO');
    expect(await q('SELECT 1/0 AS r')).toEqual([{ r: null }]);
    expect(await warnings()).toEqual([[1365, 'Division by 0']]);
    await q('INSERT INTO dz VALUES (2/0)');
    expect(await warnings()).toEqual([[1365, 'Division by 0']]);
    await mode('STRICT_TRANS_TABLES,ERROR_FOR_DIVISION_BY_ZERO');
    expect(await err('INSERT INTO dz VALUES (3/0)')).toEqual({ errno: 1365, message: 'Division by 0' });
    expect(await err('INSERT INTO dz VALUES (3 MOD 0)')).toEqual({ errno: 1365, message: 'Division by 0' });
    await q('INSERT IGNORE INTO dz VALUES (4/0)');
    expect(await warnings()).toEqual([[1365, 'Division by 0']]);
    expect(await q('SELECT COUNT(*) AS n, COUNT(a) AS v FROM dz')).toEqual([{ n: 3, v: 0 }]);
  });
});
