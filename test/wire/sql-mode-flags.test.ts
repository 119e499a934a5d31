/**
 * The sql_mode flags that change how statements are parsed or evaluated, each tested with the
 * flag on and off over the wire: ANSI_QUOTES, PIPES_AS_CONCAT, NO_BACKSLASH_ESCAPES,
 * ONLY_FULL_GROUP_BY, PAD_CHAR_TO_FULL_LENGTH, REAL_AS_FLOAT, TIME_TRUNCATE_FRACTIONAL,
 * NO_AUTO_VALUE_ON_ZERO, NO_UNSIGNED_SUBTRACTION, HIGH_NOT_PRECEDENCE, IGNORE_SPACE,
 * NO_ENGINE_SUBSTITUTION, NO_DIR_IN_CREATE, and the combination modes ANSI and TRADITIONAL.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
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
const warnings = (): Promise<[number, string][]> => warningPairs(c);
async function mode(m: string): Promise<void> {
  await c.query(`SET sql_mode = '${m}'`);
}
async function createTable(name: string): Promise<string> {
  const rows = (await q(`SHOW CREATE TABLE ${name}`)) as { 'Create Table': string }[];
  return rows[0]!['Create Table'];
}

beforeAll(async () => {
  srv = await startTestServer();
  c = await srv.connect({ dateStrings: true });
  await c.query('CREATE DATABASE smf');
  await c.query('USE smf');
}, 60000);
afterAll(async () => {
  await c?.end();
  await srv?.stop();
});
beforeEach(async () => {
  await c.query("SET sql_mode = ''");
});

describe('flags that change the grammar', () => {
  it(req('CORE-MODE-010', 'wire', 'ANSI_QUOTES: "x" is a string without the flag, an identifier with it'), async () => {
    await q('CREATE TABLE aq (x INT)');
    await q('INSERT INTO aq VALUES (7)');
    expect(await q('SELECT "x" AS v FROM aq')).toEqual([{ v: 'x' }]);
    await mode('ANSI_QUOTES');
    expect(await q('SELECT "x" AS v FROM "aq"')).toEqual([{ v: 7 }]);
    expect(await err('SELECT "nope" FROM aq')).toEqual({ errno: 1054, message: "Unknown column 'nope' in 'field list'" });
  });

  it(req('CORE-MODE-011', 'wire', 'PIPES_AS_CONCAT: || is OR without the flag, concatenation with it'), async () => {
    expect(await q("SELECT 'a' || 'b' AS v, 1 || 0 AS w")).toEqual([{ v: 0, w: 1 }]);
    await mode('PIPES_AS_CONCAT');
    expect(await q("SELECT 'a' || 'b' AS v, 1 || 0 AS w")).toEqual([{ v: 'ab', w: '10' }]);
  });

  it(req('CORE-MODE-013', 'wire', 'NO_BACKSLASH_ESCAPES: a backslash escapes without the flag, is literal with it'), async () => {
    expect(await q("SELECT LENGTH('a\\\\b') AS l, 'a\\nb' AS s")).toEqual([{ l: 3, s: 'a\nb' }]);
    await mode('NO_BACKSLASH_ESCAPES');
    expect(await q("SELECT LENGTH('a\\\\b') AS l, 'a\\nb' AS s")).toEqual([{ l: 4, s: 'a\\nb' }]);
  });

  it(req('CORE-MODE-021', 'wire', 'HIGH_NOT_PRECEDENCE: NOT 1 BETWEEN -5 AND 5 is 0 without, 1 with'), async () => {
    expect(await q('SELECT NOT 1 BETWEEN -5 AND 5 AS v')).toEqual([{ v: 0 }]);
    await mode('HIGH_NOT_PRECEDENCE');
    expect(await q('SELECT NOT 1 BETWEEN -5 AND 5 AS v')).toEqual([{ v: 1 }]);
  });

  it(req('CORE-MODE-022', 'wire', 'IGNORE_SPACE: COUNT (*) is 1064 without the flag, a call with it'), async () => {
    expect(await err('SELECT COUNT (*) FROM (SELECT 1) d')).toEqual({
      errno: 1064,
      message: "You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use near '*) FROM (SELECT 1) d' at line 1",
    });
    await mode('IGNORE_SPACE');
    expect(await q('SELECT COUNT (*) AS n FROM (SELECT 1) d')).toEqual([{ n: 1 }]);
  });

  it(req('CORE-MODE-015', 'wire', 'REAL_AS_FLOAT: REAL is DOUBLE without the flag, FLOAT with it'), async () => {
    await q('CREATE TABLE rd (r REAL)');
    expect(await createTable('rd')).toContain('`r` double DEFAULT NULL');
    await mode('REAL_AS_FLOAT');
    await q('CREATE TABLE rf (r REAL)');
    expect(await createTable('rf')).toContain('`r` float DEFAULT NULL');
  });
});

describe('flags that change evaluation and storage', () => {
  it(req('CORE-MODE-014', 'wire', 'ONLY_FULL_GROUP_BY: a non-grouped column is 1055 with the flag, allowed without'), async () => {
    await q('CREATE TABLE g (a INT, b INT)');
    await q('INSERT INTO g VALUES (1, 1), (1, 1), (2, 3)');
    expect(await q('SELECT a, b FROM g GROUP BY a ORDER BY a')).toEqual([{ a: 1, b: 1 }, { a: 2, b: 3 }]);
    await mode('ONLY_FULL_GROUP_BY');
    expect(await err('SELECT a, b FROM g GROUP BY a')).toEqual({
      errno: 1055,
      message: "Expression #2 of SELECT list is not in GROUP BY clause and contains nonaggregated column 'smf.g.b' which is not functionally dependent on columns in GROUP BY clause; this is incompatible with sql_mode=only_full_group_by",
    });
  });

  it(req(['CORE-MODE-012#pad', 'CORE-MODE-012#w3090'], 'wire', 'PAD_CHAR_TO_FULL_LENGTH: CHAR reads back trimmed without, padded with (and warns 3090)'), async () => {
    await q('CREATE TABLE pc (c CHAR(5), v VARCHAR(5))');
    await q("INSERT INTO pc VALUES ('ab', 'ab ')");
    expect(await q("SELECT CONCAT(c, '|') AS c, LENGTH(c) AS l, CONCAT(v, '|') AS v FROM pc")).toEqual([{ c: 'ab|', l: 2, v: 'ab |' }]);
    await mode('PAD_CHAR_TO_FULL_LENGTH');
    expect(await warnings()).toEqual([[3090, "Changing sql mode 'PAD_CHAR_TO_FULL_LENGTH' is deprecated. It will be removed in a future release."]]);
    expect(await q("SELECT CONCAT(c, '|') AS c, LENGTH(c) AS l, CONCAT(v, '|') AS v FROM pc")).toEqual([{ c: 'ab   |', l: 5, v: 'ab |' }]);
    await q("SET sql_mode = 'STRICT_TRANS_TABLES,PAD_CHAR_TO_FULL_LENGTH'");
    expect((await warnings()).map((w) => w[0])).toEqual([3135, 3090]);
    await mode('');
    expect(await warnings()).toEqual([]);
  });

  it(req('CORE-MODE-016', 'wire', 'TIME_TRUNCATE_FRACTIONAL: fractions round without the flag, truncate with it'), async () => {
    await q('CREATE TABLE tf (t TIME(1), d DATETIME(1), s TIMESTAMP(1) NULL)');
    await q("INSERT INTO tf VALUES ('10:00:00.56', '2020-01-01 10:00:00.56', '2020-01-01 10:00:00.56')");
    await mode('TIME_TRUNCATE_FRACTIONAL');
    await q("INSERT INTO tf VALUES ('10:00:00.56', '2020-01-01 10:00:00.56', '2020-01-01 10:00:00.56')");
    expect(await q('SELECT t, d, s FROM tf')).toEqual([
      { t: '10:00:00.6', d: '2020-01-01 10:00:00.6', s: '2020-01-01 10:00:00.6' },
      { t: '10:00:00.5', d: '2020-01-01 10:00:00.5', s: '2020-01-01 10:00:00.5' },
    ]);
  });

  it(req('CORE-MODE-017', 'wire', 'NO_AUTO_VALUE_ON_ZERO: 0 takes the next value without the flag, is stored with it'), async () => {
    await q('CREATE TABLE az (id INT AUTO_INCREMENT PRIMARY KEY, v INT)');
    await q('INSERT INTO az VALUES (0, 1)');
    await mode('NO_AUTO_VALUE_ON_ZERO');
    await q('INSERT INTO az VALUES (0, 2)');
    await q('INSERT INTO az VALUES (NULL, 3)');
    expect(await q('SELECT id, v FROM az ORDER BY v')).toEqual([{ id: 1, v: 1 }, { id: 0, v: 2 }, { id: 2, v: 3 }]);
  });

  it(req('CORE-MODE-018', 'wire', 'NO_UNSIGNED_SUBTRACTION: unsigned 0 - 1 is 1690 without the flag, -1 with it'), async () => {
    expect(await err('SELECT CAST(0 AS UNSIGNED) - 1')).toEqual({ errno: 1690, message: "BIGINT UNSIGNED value is out of range in '(cast(0 as unsigned) - 1)'" });
    await mode('NO_UNSIGNED_SUBTRACTION');
    expect(await q('SELECT CAST(0 AS UNSIGNED) - 1 AS v')).toEqual([{ v: -1 }]);
  });
});

describe('flags that change DDL', () => {
  it(req('CORE-MODE-023', 'wire', 'NO_ENGINE_SUBSTITUTION: unknown engine is substituted with warnings without, 1286 with'), async () => {
    await q('CREATE TABLE es1 (a INT) ENGINE=NoSuchEngine');
    expect(await warnings()).toEqual([
      [1286, "Unknown storage engine 'NoSuchEngine'"],
      [1266, "Using storage engine InnoDB for table 'es1'"],
    ]);
    expect(await createTable('es1')).toContain('ENGINE=InnoDB');
    await mode('NO_ENGINE_SUBSTITUTION');
    expect(await err('CREATE TABLE es2 (a INT) ENGINE=NoSuchEngine')).toEqual({ errno: 1286, message: "Unknown storage engine 'NoSuchEngine'" });
  });

  it(req('CORE-MODE-019', 'wire', 'NO_DIR_IN_CREATE: DATA/INDEX DIRECTORY ignored with warnings 1618'), async () => {
    await q("CREATE TABLE nd1 (a INT) ENGINE=MyISAM DATA DIRECTORY = '/tmp' INDEX DIRECTORY = '/tmp'");
    expect(await warnings()).toEqual([]);
    await mode('NO_DIR_IN_CREATE');
    await q("CREATE TABLE nd2 (a INT) ENGINE=MyISAM DATA DIRECTORY = '/tmp' INDEX DIRECTORY = '/tmp'");
    expect(await warnings()).toEqual([
      [1618, '<DATA DIRECTORY> option ignored'],
      [1618, '<INDEX DIRECTORY> option ignored'],
    ]);
    expect(await createTable('nd2')).not.toContain('DIRECTORY');
  });
});

describe('combination modes and invalid names', () => {
  it(req(['CORE-MODE-024#ansi', 'CORE-SYSVAR-006'], 'wire', "SET sql_mode = 'ANSI' expands and switches on its members"), async () => {
    await mode('ANSI');
    expect(await q('SELECT @@sql_mode AS m')).toEqual([{ m: 'REAL_AS_FLOAT,PIPES_AS_CONCAT,ANSI_QUOTES,IGNORE_SPACE,ONLY_FULL_GROUP_BY,ANSI' }]);
    await q('CREATE TABLE "an" ("x" REAL)');
    expect(await createTable('an')).toContain('`x` float DEFAULT NULL');
    expect(await q("SELECT 'a' || 'b' AS v, COUNT (*) AS n FROM an")).toEqual([{ v: 'ab', n: 0 }]);
  });

  it(req(['CORE-MODE-024#traditional', 'CORE-SYSVAR-006'], 'wire', "SET sql_mode = 'TRADITIONAL' expands and makes every table strict"), async () => {
    await mode('TRADITIONAL');
    expect(await q('SELECT @@sql_mode AS m')).toEqual([{ m: 'STRICT_TRANS_TABLES,STRICT_ALL_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,TRADITIONAL,NO_ENGINE_SUBSTITUTION' }]);
    await q('CREATE TABLE tr (a TINYINT, d DATE) ENGINE=MyISAM');
    expect(await err('INSERT INTO tr (a) VALUES (1), (300)')).toEqual({ errno: 1264, message: "Out of range value for column 'a' at row 2" });
    expect(await err('INSERT INTO tr (a) VALUES (1/0)')).toEqual({ errno: 1365, message: 'Division by 0' });
    expect(await err("INSERT INTO tr (d) VALUES ('0000-00-00')")).toEqual({ errno: 1292, message: "Incorrect date value: '0000-00-00' for column 'd' at row 1" });
    expect(await q('SELECT a FROM tr')).toEqual([{ a: 1 }]);
  });

  it(req('CORE-SYSVAR-006', 'wire', 'unknown names and modes removed in 8.0 are refused with 1231'), async () => {
    for (const bad of ['NO_AUTO_CREATE_USER', 'MAXDB', 'POSTGRESQL', 'NO_FIELD_OPTIONS', 'FOO']) {
      expect(await err(`SET sql_mode = '${bad}'`)).toEqual({ errno: 1231, message: `Variable 'sql_mode' can't be set to the value of '${bad}'` });
    }
    expect(await q('SELECT @@sql_mode AS m')).toEqual([{ m: '' }]);
  });
});
