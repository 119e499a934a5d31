/**
 * Character-set catalog, column charsets and collation rules over the wire (spec/core-charsets.md).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type mysql from 'mysql2/promise';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { req } from '../helpers/req.js';
import { queryRows } from '../helpers/sql.js';

let srv: TestServer;
let c: mysql.Connection;

async function q(sql: string): Promise<mysql.RowDataPacket[]> {
  return queryRows(c, sql);
}

beforeAll(async () => {
  srv = await startTestServer();
  c = await srv.connect();
  await c.query('CREATE DATABASE csd');
  await c.query('USE csd');
}, 60000);
afterAll(async () => {
  await c?.end();
  await srv?.stop();
});

describe('charset catalog', () => {
  it(req(['CORE-CS-001'], 'wire', 'SHOW CHARACTER SET lists the 41 charsets with description, default collation and maxlen'), async () => {
    const rows = await q('SHOW CHARACTER SET');
    expect(rows).toHaveLength(41);
    const by = new Map(rows.map((r) => [r['Charset'], r]));
    expect(by.get('latin2')).toEqual({ Charset: 'latin2', Description: 'ISO 8859-2 Central European', 'Default collation': 'latin2_general_ci', Maxlen: 1 });
    expect(by.get('gb18030')).toEqual({ Charset: 'gb18030', Description: 'China National Standard GB18030', 'Default collation': 'gb18030_chinese_ci', Maxlen: 4 });
    expect(by.get('ujis')).toEqual({ Charset: 'ujis', Description: 'EUC-JP Japanese', 'Default collation': 'ujis_japanese_ci', Maxlen: 3 });
    expect(by.get('ucs2')).toEqual({ Charset: 'ucs2', Description: 'UCS-2 Unicode', 'Default collation': 'ucs2_general_ci', Maxlen: 2 });
    expect(by.get('utf16le')).toEqual({ Charset: 'utf16le', Description: 'UTF-16LE Unicode', 'Default collation': 'utf16le_general_ci', Maxlen: 4 });
    expect(await q("SHOW CHARACTER SET LIKE 'koi8%'")).toEqual([
      { Charset: 'koi8r', Description: 'KOI8-R Relcom Russian', 'Default collation': 'koi8r_general_ci', Maxlen: 1 },
      { Charset: 'koi8u', Description: 'KOI8-U Ukrainian', 'Default collation': 'koi8u_general_ci', Maxlen: 1 },
    ]);
  });

  it(req(['CORE-CS-002', 'CORE-CS-003'], 'wire', "SHOW COLLATION LIKE 'latin1%' and the total of 286 collations"), async () => {
    expect(await q("SHOW COLLATION LIKE 'latin1%'")).toEqual([
      { Collation: 'latin1_bin', Charset: 'latin1', Id: 47, Default: '', Compiled: 'Yes', Sortlen: 1, Pad_attribute: 'PAD SPACE' },
      { Collation: 'latin1_danish_ci', Charset: 'latin1', Id: 15, Default: '', Compiled: 'Yes', Sortlen: 1, Pad_attribute: 'PAD SPACE' },
      { Collation: 'latin1_general_ci', Charset: 'latin1', Id: 48, Default: '', Compiled: 'Yes', Sortlen: 1, Pad_attribute: 'PAD SPACE' },
      { Collation: 'latin1_general_cs', Charset: 'latin1', Id: 49, Default: '', Compiled: 'Yes', Sortlen: 1, Pad_attribute: 'PAD SPACE' },
      { Collation: 'latin1_german1_ci', Charset: 'latin1', Id: 5, Default: '', Compiled: 'Yes', Sortlen: 1, Pad_attribute: 'PAD SPACE' },
      { Collation: 'latin1_german2_ci', Charset: 'latin1', Id: 31, Default: '', Compiled: 'Yes', Sortlen: 2, Pad_attribute: 'PAD SPACE' },
      { Collation: 'latin1_spanish_ci', Charset: 'latin1', Id: 94, Default: '', Compiled: 'Yes', Sortlen: 1, Pad_attribute: 'PAD SPACE' },
      { Collation: 'latin1_swedish_ci', Charset: 'latin1', Id: 8, Default: 'Yes', Compiled: 'Yes', Sortlen: 1, Pad_attribute: 'PAD SPACE' },
    ]);
    expect(await q('SHOW COLLATION')).toHaveLength(286);
    expect(await q("SHOW COLLATION WHERE Collation IN ('utf8mb4_de_pb_0900_ai_ci', 'utf16_unicode_ci', 'gbk_chinese_ci', 'utf8mb4_0900_bin')")).toEqual([
      { Collation: 'gbk_chinese_ci', Charset: 'gbk', Id: 28, Default: 'Yes', Compiled: 'Yes', Sortlen: 1, Pad_attribute: 'PAD SPACE' },
      { Collation: 'utf16_unicode_ci', Charset: 'utf16', Id: 101, Default: '', Compiled: 'Yes', Sortlen: 8, Pad_attribute: 'PAD SPACE' },
      { Collation: 'utf8mb4_0900_bin', Charset: 'utf8mb4', Id: 309, Default: '', Compiled: 'Yes', Sortlen: 1, Pad_attribute: 'NO PAD' },
      { Collation: 'utf8mb4_de_pb_0900_ai_ci', Charset: 'utf8mb4', Id: 256, Default: '', Compiled: 'Yes', Sortlen: 0, Pad_attribute: 'NO PAD' },
    ]);
  });

  it(req(['CORE-CS-004'], 'wire', 'information_schema CHARACTER_SETS, COLLATIONS and COLLATION_CHARACTER_SET_APPLICABILITY agree with SHOW'), async () => {
    expect(await q('SELECT COUNT(*) AS n FROM information_schema.CHARACTER_SETS')).toEqual([{ n: 41 }]);
    expect(await q('SELECT COUNT(*) AS n FROM information_schema.COLLATIONS')).toEqual([{ n: 286 }]);
    expect(await q('SELECT COUNT(*) AS n FROM information_schema.COLLATION_CHARACTER_SET_APPLICABILITY')).toEqual([{ n: 286 }]);
    expect(await q("SELECT DEFAULT_COLLATE_NAME, DESCRIPTION, MAXLEN FROM information_schema.CHARACTER_SETS WHERE CHARACTER_SET_NAME = 'cp1251'")).toEqual([
      { DEFAULT_COLLATE_NAME: 'cp1251_general_ci', DESCRIPTION: 'Windows Cyrillic', MAXLEN: 1 },
    ]);
    expect(await q("SELECT COLLATION_NAME, ID, IS_DEFAULT FROM information_schema.COLLATIONS WHERE CHARACTER_SET_NAME = 'cp1251' ORDER BY ID")).toEqual([
      { COLLATION_NAME: 'cp1251_bulgarian_ci', ID: 14, IS_DEFAULT: '' },
      { COLLATION_NAME: 'cp1251_ukrainian_ci', ID: 23, IS_DEFAULT: '' },
      { COLLATION_NAME: 'cp1251_bin', ID: 50, IS_DEFAULT: '' },
      { COLLATION_NAME: 'cp1251_general_ci', ID: 51, IS_DEFAULT: 'Yes' },
      { COLLATION_NAME: 'cp1251_general_cs', ID: 52, IS_DEFAULT: '' },
    ]);
  });
});

describe('column charsets', () => {
  it(req(['CORE-CS-030', 'CORE-CS-031', 'CORE-CS-013', 'CORE-CS-014'], 'wire', 'latin2, cp1251, utf16 and gbk columns store text, count bytes per charset and read it back'), async () => {
    await c.query('CREATE TABLE t (id INT PRIMARY KEY, l2 VARCHAR(10) CHARACTER SET latin2, cy VARCHAR(10) CHARACTER SET cp1251, u16 VARCHAR(10) CHARACTER SET utf16, g VARCHAR(10) CHARACTER SET gbk COLLATE gbk_bin)');
    await c.query("INSERT INTO t VALUES (1, 'Łódź', 'Жук', 'a😀', '中文')");
    expect(await q('SELECT LENGTH(l2) AS a, LENGTH(cy) AS b, LENGTH(u16) AS c, LENGTH(g) AS d, CHAR_LENGTH(u16) AS e FROM t')).toEqual([{ a: 4, b: 3, c: 6, d: 4, e: 2 }]);
    expect(await q('SELECT CONVERT(l2 USING utf8mb4) AS a, CONVERT(cy USING utf8mb4) AS b, CONVERT(u16 USING utf8mb4) AS c, CONVERT(g USING utf8mb4) AS d FROM t')).toEqual([
      { a: 'Łódź', b: 'Жук', c: 'a😀', d: '中文' },
    ]);
    const [create] = await q('SHOW CREATE TABLE t');
    expect(create!['Create Table']).toContain('`l2` varchar(10) CHARACTER SET latin2 DEFAULT NULL');
    expect(create!['Create Table']).toContain('`g` varchar(10) CHARACTER SET gbk COLLATE gbk_bin DEFAULT NULL');
    expect(await q("SELECT COLUMN_NAME, CHARACTER_MAXIMUM_LENGTH, CHARACTER_OCTET_LENGTH, CHARACTER_SET_NAME, COLLATION_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = 'csd' AND TABLE_NAME = 't' AND COLUMN_NAME <> 'id' ORDER BY ORDINAL_POSITION")).toEqual([
      { COLUMN_NAME: 'l2', CHARACTER_MAXIMUM_LENGTH: 10, CHARACTER_OCTET_LENGTH: 10, CHARACTER_SET_NAME: 'latin2', COLLATION_NAME: 'latin2_general_ci' },
      { COLUMN_NAME: 'cy', CHARACTER_MAXIMUM_LENGTH: 10, CHARACTER_OCTET_LENGTH: 10, CHARACTER_SET_NAME: 'cp1251', COLLATION_NAME: 'cp1251_general_ci' },
      { COLUMN_NAME: 'u16', CHARACTER_MAXIMUM_LENGTH: 10, CHARACTER_OCTET_LENGTH: 40, CHARACTER_SET_NAME: 'utf16', COLLATION_NAME: 'utf16_general_ci' },
      { COLUMN_NAME: 'g', CHARACTER_MAXIMUM_LENGTH: 10, CHARACTER_OCTET_LENGTH: 20, CHARACTER_SET_NAME: 'gbk', COLLATION_NAME: 'gbk_bin' },
    ]);
  });

  it(req(['CORE-CS-015'], 'wire', 'a character the column charset cannot hold fails with 1366 in strict mode'), async () => {
    await c.query('CREATE TABLE t2 (a VARCHAR(10) CHARACTER SET latin2)');
    const err = await c.query("INSERT INTO t2 VALUES ('ab€')").then(() => null, (e: { errno: number; sqlState: string; message: string }) => e);
    expect(err?.errno).toBe(1366);
    expect(err?.sqlState).toBe('HY000');
    expect(err?.message).toBe("Incorrect string value: '\\xE2\\x82\\xAC' for column 'a' at row 1");
    // bytes are taken in the column's charset: E9 is é in latin2; FF81 is no gbk character
    await c.query("CREATE TABLE t5 (id INT PRIMARY KEY, a VARCHAR(10) CHARACTER SET latin2, g VARCHAR(10) CHARACTER SET gbk)");
    await c.query("INSERT INTO t5 VALUES (1, x'E9A3', x'D6D0')");
    expect(await q('SELECT CONVERT(a USING utf8mb4) AS a, CONVERT(g USING utf8mb4) AS g FROM t5')).toEqual([{ a: 'éŁ', g: '中' }]);
    const bad = await c.query("INSERT INTO t5 VALUES (2, 'x', x'41FF81')").then(() => null, (e: { errno: number }) => e);
    expect(bad?.errno).toBe(1366);
  });

  it(req(['CORE-CS-032'], 'wire', 'VARCHAR byte limits follow maxlen: 65535 bytes allow VARCHAR(65532) in latin2 but not in ucs2'), async () => {
    await c.query('CREATE TABLE t3 (a VARCHAR(65532) CHARACTER SET latin2)');
    const err = await c.query('CREATE TABLE t4 (a VARCHAR(40000) CHARACTER SET ucs2)').then(() => null, (e: { errno: number }) => e);
    expect(err?.errno).toBe(1074);
  });
});

describe('collation rules', () => {
  it(req(['CORE-CS-021'], 'wire', 'ORDER BY under latin1_german2_ci, latin1_danish_ci and utf8mb4_bin'), async () => {
    await c.query('CREATE TABLE w (id INT PRIMARY KEY, g VARCHAR(10) CHARACTER SET latin1 COLLATE latin1_german2_ci, d VARCHAR(10) CHARACTER SET latin1 COLLATE latin1_danish_ci, b VARCHAR(10) COLLATE utf8mb4_bin)');
    await c.query("INSERT INTO w VALUES (1,'Äpfel','Åse','b'),(2,'Aerger','Zorro','B'),(3,'Affe','Ærø','a'),(4,'Adler','Øre','é'),(5,'Ozean','Aase','A')");
    expect((await q('SELECT id FROM w ORDER BY g, id')).map((r) => r['id'])).toEqual([4, 1, 2, 3, 5]);
    expect((await q('SELECT id FROM w ORDER BY d, id')).map((r) => r['id'])).toEqual([5, 2, 3, 4, 1]);
    expect((await q('SELECT b FROM w ORDER BY b')).map((r) => r['b'])).toEqual(['A', 'B', 'a', 'b', 'é']);
    expect(await q("SELECT COUNT(*) AS n FROM w WHERE g = 'aepfel'")).toEqual([{ n: 1 }]);
  });

  it(req(['CORE-CS-021', 'CORE-CS-023'], 'wire', 'latin1_german2_ci: the ORDER BY and LIKE results of MySQL\'s ctype_latin1_de test'), async () => {
    const vals = ['ä', 'ac', 'ae', 'ad', 'Äc', 'aeb', 'üc', 'uc', 'ue', 'ud', 'Ü', 'ueb', 'uf', 'ö', 'oc', 'Öa', 'oe', 'od', 'Öc', 'oeb',
      's', 'ss', 'ß', 'ßb', 'ssa', 'ssc', 'ßa', 'eä', 'uü', 'öo', 'ää', 'ääa', 'aeae', 'q', 'a', 'u', 'o', 'é', 'É', 'a'];
    await c.query('CREATE TABLE de (id INT PRIMARY KEY, a CHAR(20) CHARACTER SET latin1 COLLATE latin1_german2_ci NOT NULL)');
    await c.query('INSERT INTO de VALUES ' + vals.map((v, i) => `(${i}, '${v}')`).join(','));
    const order = (await q('SELECT id FROM de ORDER BY a, id')).map((r) => vals[r['id'] as number]);
    // MySQL's order; values it ranks equal are listed in insertion order here
    expect(order.join(' ')).toBe('a a ac ad ä ae ää aeae ääa aeb Äc é É eä o oc od ö oe Öa oeb Öc öo q s ss ß ssa ßa ßb ssc u uc ud ue Ü ueb üc uf uü');
    const like = async (p: string): Promise<string> => (await q(`SELECT id FROM de WHERE a LIKE '${p}' ORDER BY a, id`)).map((r) => vals[r['id'] as number]).join(' ');
    expect(await like('ö%')).toBe('ö Öa Öc öo');
    expect(await like('%U%')).toBe('u uc ud ue ueb uf uü');
    expect(await like('%ss%')).toBe('ss ssa ssc');
    expect(await like('%Á%')).toBe('a a ac ad ae aeae ääa aeb Öa ssa ßa');
    expect(await q("SELECT COUNT(DISTINCT a) AS n FROM de WHERE a IN ('ue', 'Ü')")).toEqual([{ n: 1 }]);
  });

  it(req(['CORE-CS-010', 'CORE-CS-016', 'CORE-CS-017', 'CORE-CS-020', 'CORE-CS-022', 'CORE-CS-025', 'CORE-CS-026'], 'wire', 'koi8r, greek, gbk, sjis and utf32 columns order, group and count distinct by their collations'), async () => {
    await c.query('CREATE TABLE o (id INT PRIMARY KEY, k VARCHAR(10) CHARACTER SET koi8r, kb VARCHAR(10) CHARACTER SET koi8r COLLATE koi8r_bin, gr VARCHAR(10) CHARACTER SET greek, g VARCHAR(10) CHARACTER SET gbk, gb VARCHAR(10) CHARACTER SET gbk COLLATE gbk_bin, u VARCHAR(10) CHARACTER SET utf32 COLLATE utf32_bin, sj VARCHAR(10) CHARACTER SET sjis)');
    await c.query("INSERT INTO o VALUES (1,'жук','жук','αβγ','abc','abc','ｱ','ｱｲ'),(2,'ЖУК','ЖУК','ΑΒΓ','ABC','ABC','😀','ABC'),(3,'ёлка','ёлка','ωμέγα','中','中','a','abc'),(4,'Яблоко','Яблоко','Ωμέγα','文','文','Z','日本'),(5,'арбуз','арбуз','άλφα','Abc','Abc','é','ｱｲ')");
    const ids = async (col: string): Promise<number[]> => (await q(`SELECT id FROM o ORDER BY ${col}, id`)).map((r) => r['id'] as number);
    // the orders a MariaDB 10.11 peer gives (it shares these tables with MySQL 8.0)
    expect(await ids('k')).toEqual([5, 3, 1, 2, 4]);
    expect(await ids('kb')).toEqual([3, 5, 1, 4, 2]);
    expect(await ids('gr')).toEqual([1, 2, 5, 3, 4]);
    expect(await ids('g')).toEqual([1, 2, 5, 4, 3]);
    expect(await ids('gb')).toEqual([2, 5, 1, 4, 3]);
    expect(await ids('u')).toEqual([4, 3, 5, 1, 2]);
    expect(await ids('sj')).toEqual([2, 3, 4, 1, 5]);
    expect(await q('SELECT COUNT(DISTINCT k) AS a, COUNT(DISTINCT kb) AS b, COUNT(DISTINCT gr) AS c, COUNT(DISTINCT g) AS d, COUNT(DISTINCT gb) AS e, COUNT(DISTINCT sj) AS f FROM o')).toEqual([
      { a: 4, b: 5, c: 3, d: 3, e: 5, f: 3 },
    ]);
    expect(await q('SELECT MIN(id) AS m, COUNT(*) AS n FROM o GROUP BY g ORDER BY m')).toEqual([{ m: 1, n: 3 }, { m: 3, n: 1 }, { m: 4, n: 1 }]);
  });

  it(req(['CORE-CS-024'], 'wire', "WHERE c = 'a ' matches 'a' under a PAD SPACE collation but not under NO PAD"), async () => {
    await c.query('CREATE TABLE p (id INT PRIMARY KEY, s VARCHAR(10) CHARACTER SET latin2, n VARCHAR(10) COLLATE utf8mb4_0900_ai_ci)');
    await c.query("INSERT INTO p VALUES (1,'a','a'),(2,'b','b')");
    expect(await q("SELECT id FROM p WHERE s = 'a '")).toEqual([{ id: 1 }]);
    expect(await q("SELECT id FROM p WHERE s = 'A'")).toEqual([{ id: 1 }]);
    expect(await q("SELECT id FROM p WHERE n = 'a '")).toEqual([]);
  });
});
