/**
 * The character-set SQL layer over the wire: SET NAMES and the handshake character set, literal
 * character sets and introducers, coercibility and illegal collation mixes, CONVERT / CAST,
 * byte vs character lengths, column repertoires, and character_set_client / _results on the wire.
 * Expected values are MySQL 8.0's (mysql-test ctype_*.result and the reference manual).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type mysql from 'mysql2/promise';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { req } from '../helpers/req.js';
import { queryError } from '../helpers/sql.js';

let srv: TestServer;
let c: mysql.Connection;

async function q(conn: mysql.Connection, sql: string): Promise<unknown[]> {
  const [rows] = await conn.query({ sql, rowsAsArray: true });
  return rows as unknown[];
}

beforeAll(async () => {
  srv = await startTestServer();
  c = await srv.connect({ multipleStatements: true });
  await c.query('CREATE DATABASE cs');
  await c.query('USE cs');
  await c.query('CREATE TABLE t1 (a VARCHAR(10) CHARACTER SET latin1, b VARCHAR(10) CHARACTER SET latin1 COLLATE latin1_general_ci, u VARCHAR(10) CHARACTER SET utf8mb4)');
  await c.query("INSERT INTO t1 VALUES ('\u00e9', '\u00e9', '\u00e9')");
  await c.query('ALTER TABLE t1 ADD COLUMN id INT NOT NULL DEFAULT 1');
}, 60000);
afterAll(async () => {
  await c?.end();
  await srv?.stop();
});

describe('SET NAMES', () => {
  it(req(['CORE-CS-050', 'CORE-CS-052'], 'wire', 'SET NAMES latin1 sets the connection variables and literals take its collation'), async () => {
    const conn = await srv.connect({ multipleStatements: true });
    try {
      await conn.query('SET NAMES latin1');
      expect(await q(conn, 'SELECT @@character_set_client, @@character_set_connection, @@character_set_results, @@collation_connection')).toEqual([
        ['latin1', 'latin1', 'latin1', 'latin1_swedish_ci'],
      ]);
      expect(await q(conn, "SELECT CHARSET('a'), COLLATION('a')")).toEqual([['latin1', 'latin1_swedish_ci']]);
      // latin1_swedish_ci pads with spaces; utf8mb4_0900_ai_ci does not
      expect(await q(conn, "SELECT 'a' = 'a '")).toEqual([[1]]);
      expect(await q(conn, "SELECT 'A' COLLATE latin1_bin, COLLATION('A' COLLATE latin1_bin)")).toEqual([['A', 'latin1_bin']]);
      await conn.query('SET NAMES utf8mb4');
      expect(await q(conn, "SELECT 'a' = 'a ', COLLATION('a')")).toEqual([[0, 'utf8mb4_0900_ai_ci']]);
      // in one multi-statement query the second statement sees the first's SET NAMES
      const [sets] = await conn.query("SET NAMES latin1; SELECT CHARSET('x') AS cs");
      expect((sets as unknown as Array<Array<{ cs: string }>>)[1]).toEqual([{ cs: 'latin1' }]);
    } finally {
      await conn.end();
    }
  });

  it(req(['CORE-CS-050', 'CORE-CS-051'], 'wire', 'SET NAMES x COLLATE y, SET CHARACTER SET, SET NAMES DEFAULT and their errors'), async () => {
    const conn = await srv.connect();
    try {
      await conn.query('SET NAMES latin1 COLLATE latin1_bin');
      expect(await q(conn, "SELECT @@collation_connection, COLLATION('a')")).toEqual([['latin1_bin', 'latin1_bin']]);
      await conn.query('SET CHARACTER SET latin1');
      expect(await q(conn, 'SELECT @@character_set_client, @@character_set_results, @@character_set_connection')).toEqual([['latin1', 'latin1', 'utf8mb4']]);
      await conn.query('SET NAMES DEFAULT');
      expect(await q(conn, 'SELECT @@character_set_client, @@collation_connection')).toEqual([['utf8mb4', 'utf8mb4_0900_ai_ci']]);
      expect(await queryError(conn, 'SET NAMES nosuchcs')).toMatchObject({ errno: 1115, message: "Unknown character set: 'nosuchcs'" });
      expect(await queryError(conn, 'SET NAMES latin1 COLLATE utf8mb4_bin')).toMatchObject({ errno: 1253, message: "COLLATION 'utf8mb4_bin' is not valid for CHARACTER SET 'latin1'" });
      // a failed SET NAMES changes nothing
      expect(await q(conn, 'SELECT @@character_set_client')).toEqual([['utf8mb4']]);
    } finally {
      await conn.end();
    }
  });
});

describe('introducers', () => {
  it(req(['CORE-CS-056', 'CORE-CS-057'], 'wire', 'introduced strings and hex literals are strings of that character set'), async () => {
    expect(await q(c, 'SELECT _utf8mb4 0xC3A9, CHARSET(_utf8mb4 0xC3A9), HEX(_utf8mb4 0xC3A9)')).toEqual([['\u00e9', 'utf8mb4', 'C3A9']]);
    expect(await q(c, "SELECT CHARSET(_latin1'abc'), CHARSET(N'x'), COLLATION(N'x'), CHARSET(_binary'x'), COERCIBILITY(_latin1'a')")).toEqual([['latin1', 'utf8mb3', 'utf8mb3_general_ci', 'binary', 4]]);
    expect(await q(c, "SELECT COLLATION(_latin1'x' COLLATE latin1_general_ci), COERCIBILITY(_latin1'x' COLLATE latin1_general_ci)")).toEqual([['latin1_general_ci', 0]]);
    expect(await q(c, 'SELECT CHARSET(0xC3A9), _latin1 0xE9, HEX(_latin1 0xE9)')).toEqual([['binary', '\u00e9', 'E9']]);
    // a utf8mb4 client sends é as C3 A9: under _latin1 those are two characters
    expect(await q(c, "SELECT HEX(_latin1'\u00e9'), LENGTH(_latin1'\u00e9'), CHAR_LENGTH(_latin1'\u00e9'), _latin1'\u00e9'")).toEqual([['C3A9', 2, 2, '\u00c3\u00a9']]);
  });

  it(req(['CORE-CS-058'], 'wire', 'an introducer over bytes that are not valid in its character set is error 1300'), async () => {
    expect(await queryError(c, 'SELECT _utf8mb4 0xFF')).toMatchObject({ errno: 1300, message: "Invalid utf8mb4 character string: 'FF'" });
    expect(await queryError(c, "SELECT _utf8mb4 X'41FF42' FROM DUAL WHERE FALSE")).toMatchObject({ errno: 1300, message: "Invalid utf8mb4 character string: 'FF42'" });
    expect(await queryError(c, "SELECT CHARSET(_utf8mb3 X'F09F9880')")).toMatchObject({ errno: 1300 });
  });
});

describe('coercibility and collation mixes', () => {
  it(req(['CORE-CS-060'], 'wire', 'COERCIBILITY() gives the derivation of each kind of operand'), async () => {
    expect(await q(c, "SELECT COERCIBILITY('a' COLLATE utf8mb4_bin), COERCIBILITY(a), COERCIBILITY(USER()), COERCIBILITY('a'), COERCIBILITY(1), COERCIBILITY(NULL) FROM t1")).toEqual([[0, 2, 3, 4, 5, 6]]);
  });

  it(req(['CORE-CS-061'], 'wire', 'a string function result takes the stronger operand collation'), async () => {
    expect(await q(c, "SELECT COLLATION(CONCAT(a, 'x')), COERCIBILITY(CONCAT(a, 'x')), COLLATION(CONCAT(u, _latin1'x')) FROM t1")).toEqual([['latin1_swedish_ci', 2, 'utf8mb4_0900_ai_ci']]);
    expect(await q(c, "SELECT COERCIBILITY(COALESCE(a, 'x')), COLLATION(IF(id > 0, a, 'x')), COERCIBILITY(CASE WHEN id > 0 THEN 'y' ELSE 'x' END) FROM t1")).toEqual([[2, 'latin1_swedish_ci', 4]]);
    // a latin1 column against a utf8mb4 column converts to the Unicode superset
    expect(await q(c, 'SELECT a = u, u = a FROM t1')).toEqual([[1, 1]]);
  });

  it(req(['CORE-CS-062'], 'wire', 'an ASCII-only literal converts into the column character set'), async () => {
    expect(await q(c, "SELECT a = 'x', COLLATION(CONCAT(a, 'x')) FROM t1")).toEqual([[0, 'latin1_swedish_ci']]);
    expect(await q(c, "SELECT COUNT(*) FROM t1 WHERE a = '\u00e9'")).toEqual([[1]]);
  });

  it(req(['CORE-CS-063'], 'wire', 'illegal mixes of collations give 1267 / 1270 with the derivations named'), async () => {
    expect(await queryError(c, 'SELECT a = b FROM t1')).toMatchObject({
      errno: 1267, message: "Illegal mix of collations (latin1_swedish_ci,IMPLICIT) and (latin1_general_ci,IMPLICIT) for operation '='",
    });
    const conn = await srv.connect();
    try {
      await conn.query('SET NAMES latin1');
      expect(await queryError(conn, "SELECT 'a' COLLATE latin1_bin = 'a' COLLATE latin1_swedish_ci")).toMatchObject({
        errno: 1267, message: "Illegal mix of collations (latin1_bin,EXPLICIT) and (latin1_swedish_ci,EXPLICIT) for operation '='",
      });
    } finally {
      await conn.end();
    }
    expect(await queryError(c, "SELECT 1 FROM t1 WHERE a BETWEEN b AND 'z'")).toMatchObject({
      errno: 1270, message: "Illegal mix of collations (latin1_swedish_ci,IMPLICIT), (latin1_general_ci,IMPLICIT), (utf8mb4_0900_ai_ci,COERCIBLE) for operation 'between'",
    });
    expect(await queryError(c, "SELECT CONCAT(a, b) = 'x' FROM t1")).toMatchObject({ errno: 1267, message: "Illegal mix of collations (latin1_bin,NONE) and (utf8mb4_0900_ai_ci,COERCIBLE) for operation '='" });
    expect(await queryError(c, 'SELECT a LIKE b FROM t1')).toMatchObject({ errno: 1267, message: "Illegal mix of collations (latin1_swedish_ci,IMPLICIT) and (latin1_general_ci,IMPLICIT) for operation 'like'" });
    // an explicit COLLATE settles the mix
    expect(await q(c, 'SELECT a = b COLLATE latin1_general_ci FROM t1')).toEqual([[1]]);
  });

  it(req(['CORE-CS-064'], 'wire', 'a literal the column character set cannot hold is an illegal mix'), async () => {
    expect(await queryError(c, "SELECT a = '\u0151' FROM t1")).toMatchObject({
      errno: 1267, message: "Illegal mix of collations (latin1_swedish_ci,IMPLICIT) and (utf8mb4_0900_ai_ci,COERCIBLE) for operation '='",
    });
  });
});

describe('CONVERT, CAST and lengths', () => {
  it(req(['CORE-CS-065'], 'wire', 'CONVERT USING and CAST CHARACTER SET change the character set and the bytes'), async () => {
    expect(await q(c, "SELECT CHARSET(CONVERT('a' USING latin1)), COLLATION(CAST('a' AS CHAR CHARACTER SET latin1)), COERCIBILITY(CONVERT('a' USING latin1))")).toEqual([['latin1', 'latin1_swedish_ci', 2]]);
    expect(await q(c, "SELECT HEX(CONVERT('\u00e9' USING latin1)), LENGTH(CONVERT('\u00e9' USING latin1)), LENGTH('\u00e9'), CHAR_LENGTH(CONVERT('\u00e9' USING latin1))")).toEqual([['E9', 1, 2, 1]]);
    // characters latin1 lacks become '?'
    expect(await q(c, "SELECT CONVERT('\u0151x' USING latin1), HEX(CONVERT('\u0151' USING latin1))")).toEqual([['?x', '3F']]);
    expect(await q(c, "SELECT CONVERT(_binary 0xC3A9 USING utf8mb4), CONVERT(_binary 0xE9 USING latin1)")).toEqual([['\u00e9', '\u00e9']]);
  });

  it(req(['CORE-CS-066'], 'wire', 'CAST AS BINARY and BINARY give the bytes of the operand character set'), async () => {
    expect(await q(c, "SELECT HEX(CAST(a AS BINARY)), HEX(BINARY a), HEX(CAST(u AS BINARY)), CHARSET(CAST(a AS BINARY)), LENGTH(CAST(a AS BINARY)) FROM t1")).toEqual([['E9', 'E9', 'C3A9', 'binary', 1]]);
    // a binary CONCAT holds each argument's own bytes
    expect(await q(c, "SELECT HEX(CONCAT(a, _binary'x')), HEX(CONCAT(u, _binary'x')), LENGTH(LEFT(CONCAT(a, _binary''), 1)), ASCII(a) FROM t1")).toEqual([['E978', 'C3A978', 1, 233]]);
  });

  it(req(['CORE-CS-065'], 'wire', 'CAST AS CHAR without a character set takes collation_connection'), async () => {
    const conn = await srv.connect();
    try {
      expect(await q(conn, 'SELECT COLLATION(CAST(1 AS CHAR))')).toEqual([['utf8mb4_0900_ai_ci']]);
      await conn.query('SET NAMES latin1');
      expect(await q(conn, 'SELECT COLLATION(CAST(1 AS CHAR)), CHARSET(CONVERT(1, CHAR))')).toEqual([['latin1_swedish_ci', 'latin1']]);
    } finally {
      await conn.end();
    }
  });

  it(req(['CORE-CS-067'], 'wire', 'LEFT, SUBSTRING and CHAR_LENGTH count characters; LENGTH counts bytes of the character set'), async () => {
    expect(await q(c, "SELECT LEFT(CONVERT('\u00e9ab' USING latin1), 2), SUBSTRING(CONVERT('\u00e9ab' USING latin1), 2), LEFT('\u00e9ab', 1), LENGTH(LEFT('\u00e9ab', 1))")).toEqual([['\u00e9a', 'ab', '\u00e9', 2]]);
    // a binary string counts bytes
    expect(await q(c, "SELECT HEX(LEFT(_binary 0xC3A9C3A9, 1)), LENGTH(CAST('\u00e9' AS BINARY)), CHAR_LENGTH(CAST('\u00e9' AS BINARY))")).toEqual([['C3', 2, 2]]);
  });
});

describe('column character sets', () => {
  it(req(['CORE-CS-068'], 'wire', 'a latin1 column holds latin1 bytes and refuses what latin1 lacks'), async () => {
    expect(await q(c, 'SELECT a, HEX(a), LENGTH(a), CHAR_LENGTH(a), HEX(u), LENGTH(u) FROM t1')).toEqual([['\u00e9', 'E9', 1, 1, 'C3A9', 2]]);
    const conn = await srv.connect();
    try {
      await conn.query('USE cs');
      await conn.query('CREATE TABLE t2 (a VARCHAR(10) CHARACTER SET latin1)');
      await conn.query("SET sql_mode = 'STRICT_TRANS_TABLES'");
      expect(await queryError(conn, "INSERT INTO t2 VALUES ('\u0151')")).toMatchObject({ errno: 1366, message: "Incorrect string value: '\\xC5\\x91' for column 'a' at row 1" });
      await conn.query("SET sql_mode = ''");
      await conn.query("INSERT INTO t2 VALUES ('x\u0151')");
      const [warns] = await conn.query('SHOW WARNINGS');
      expect((warns as Array<{ Code: number; Message: string }>).map((w) => [w.Code, w.Message])).toEqual([[1366, "Incorrect string value: '\\xC5\\x91' for column 'a' at row 1"]]);
      expect(await q(conn, 'SELECT a, HEX(a) FROM t2')).toEqual([['x?', '783F']]);
    } finally {
      await conn.end();
    }
  });
});

describe('character_set_client and character_set_results on the wire', () => {
  it(req(['CORE-CS-053', 'CORE-CS-054', 'CORE-CS-055'], 'wire', 'a latin1 client sends and receives latin1 bytes'), async () => {
    const l = await srv.connect({ charset: 'LATIN1_SWEDISH_CI' });
    try {
      expect(await q(l, 'SELECT @@character_set_client, @@character_set_results, @@collation_connection')).toEqual([['latin1', 'latin1', 'latin1_swedish_ci']]);
      // mysql2 encodes the statement in latin1 (é = E9) and decodes the result as latin1
      expect(await q(l, "SELECT HEX('\u00e9'), '\u00e9', CHARSET('\u00e9')")).toEqual([['E9', '\u00e9', 'latin1']]);
      const [, fields] = await l.query("SELECT 'x' AS v");
      expect((fields as Array<{ characterSet: number }>)[0]!.characterSet).toBe(8);
      const [rows] = await l.query('SELECT u FROM cs.t1');
      expect(rows).toEqual([{ u: '\u00e9' }]);
    } finally {
      await l.end();
    }
    const u = await srv.connect();
    try {
      expect(await q(u, "SELECT HEX('\u00e9'), @@character_set_client, @@collation_connection")).toEqual([['C3A9', 'utf8mb4', 'utf8mb4_0900_ai_ci']]);
      const [, fields] = await u.query('SELECT a FROM cs.t1');
      // the column definition names character_set_results' collation, not the column's
      expect((fields as Array<{ characterSet: number }>)[0]!.characterSet).toBe(255);
    } finally {
      await u.end();
    }
  });

  it(req(['CORE-CS-054', 'CORE-CS-055'], 'wire', 'prepared statements on a latin1 connection: statement, parameters and binary rows in latin1'), async () => {
    const l = await srv.connect({ charset: 'LATIN1_SWEDISH_CI' });
    try {
      const [rows] = await l.execute({ sql: "SELECT HEX(?), HEX('\u00e9'), ?, CHARSET(?)", rowsAsArray: true }, ['\u00e9', '\u00fc', 'x']);
      // the bound string is a latin1 string of the connection
      expect(rows).toEqual([['E9', 'E9', '\u00fc', 'latin1']]);
    } finally {
      await l.end();
    }
  });

  it(req(['CORE-CS-055'], 'wire', 'character_set_results NULL sends the column bytes unconverted'), async () => {
    const conn = await srv.connect();
    try {
      await conn.query('SET character_set_results = NULL');
      const [rows, fields] = await conn.query({ sql: 'SELECT a, u FROM cs.t1', rowsAsArray: true });
      expect((fields as Array<{ characterSet: number }>).map((f) => f.characterSet)).toEqual([8, 255]);
      // mysql2 decodes by the column's collation id: latin1 E9 and utf8 C3A9 both read back as é
      expect(rows).toEqual([['\u00e9', '\u00e9']]);
      await conn.query('SET character_set_results = latin1');
      const [r2] = await conn.query({ sql: 'SELECT u FROM cs.t1', rowsAsArray: true });
      expect(r2).toEqual([['\u00e9']]);
    } finally {
      await conn.end();
    }
  });
});
