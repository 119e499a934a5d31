/**
 * Built-in functions added by the function audit (spec/core-functions.md), over the wire:
 * results, NULL handling, argument-count errors, warnings and result metadata.
 */
import { mkdtempSync, writeFileSync, chmodSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type mysql from 'mysql2/promise';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { req } from '../helpers/req.js';
import { queryError } from '../helpers/sql.js';

let srv: TestServer;
let c: mysql.Connection;
let files: string;

async function one(sql: string): Promise<unknown> {
  const [rows] = await c.query({ sql, rowsAsArray: true });
  return (rows as unknown[][])[0]![0];
}
async function row(sql: string): Promise<unknown[]> {
  const [rows] = await c.query({ sql, rowsAsArray: true });
  return (rows as unknown[][])[0]!;
}
async function warnings(): Promise<[string, number, string][]> {
  const [rows] = await c.query({ sql: 'SHOW WARNINGS', rowsAsArray: true });
  return rows as [string, number, string][];
}

beforeAll(async () => {
  files = mkdtempSync(join(tmpdir(), 'refmysql-fn-'));
  srv = await startTestServer({ options: { 'secure-file-priv': files } });
  c = await srv.connect();
  await c.query('CREATE DATABASE fd');
  await c.query('USE fd');
}, 60000);
afterAll(async () => {
  await c?.end();
  await srv?.stop();
  rmSync(files, { recursive: true, force: true });
});

describe('MAKE_SET / EXPORT_SET / BIT_COUNT', () => {
  it(req('CORE-FN-002', 'wire', 'MAKE_SET picks the strings whose bit is on, skips NULL members, NULL mask gives NULL'), async () => {
    expect(await row("SELECT MAKE_SET(1,'a','b','c'), MAKE_SET(1|4,'hello','nice','world'), MAKE_SET(1|4,'hello','nice',NULL,'world'), MAKE_SET(0,'a','b','c'), MAKE_SET(-1,'a','b'), MAKE_SET(NULL,'a')")).toEqual(['a', 'hello,world', 'hello', '', 'a,b', null]);
    expect(await queryError(c, 'SELECT MAKE_SET(1)')).toEqual({ errno: 1582, message: "Incorrect parameter count in the call to native function 'MAKE_SET'" });
  });
  it(req('CORE-FN-003', 'wire', 'EXPORT_SET spells the low bits first, 64 of them unless a count in 0..64 is given'), async () => {
    expect(await row("SELECT EXPORT_SET(5,'Y','N',',',4), EXPORT_SET(6,'1','0',',',10), LENGTH(EXPORT_SET(5,'Y','N','',-1)), LENGTH(EXPORT_SET(5,'Y','N')), EXPORT_SET(5,'Y','N',NULL,2), EXPORT_SET(3,'1','0','',0)")).toEqual(['Y,N,Y,N', '0,1,1,0,0,0,0,0,0,0', 64, 127, null, '']);
    expect(await queryError(c, "SELECT EXPORT_SET(1,'a')")).toEqual({ errno: 1582, message: "Incorrect parameter count in the call to native function 'EXPORT_SET'" });
  });
  it(req('CORE-FN-004', 'wire', 'BIT_COUNT counts 64-bit integers and binary strings byte by byte'), async () => {
    expect(await row("SELECT BIT_COUNT(64), BIT_COUNT(BINARY 64), BIT_COUNT(-1), BIT_COUNT(b'101010'), BIT_COUNT(2.5), BIT_COUNT(NULL), BIT_COUNT(29)")).toEqual([1, 7, 64, 3, 2, null, 4]);
  });
});

describe('AES_ENCRYPT / AES_DECRYPT', () => {
  it(req('CORE-FN-005', 'wire', 'aes-128-ecb by default, with the key folded into 16 bytes'), async () => {
    expect(await row("SELECT HEX(AES_ENCRYPT('text','password')), HEX(AES_ENCRYPT('','k')), HEX(AES_ENCRYPT('0123456789abcdef','a much longer key than sixteen bytes'))")).toEqual([
      'F6BD0FA8DCB7F8CD4A2FAABC54668044', '932F1B1E9189536B938A6B67666D4031', 'A592A111E3F73B4F4D29EE316C5C0173DEC5E133EF867762BC723C1C7709A9BC',
    ]);
    const w = await warnings();
    expect(w).toEqual([['Warning', 3237, 'AES key size should be 16 bytes length or secure KDF methods hkdf or pbkdf2_hmac should be used, please provide exact AES key size or use KDF methods for better security.']]);
    expect(await row("SELECT AES_DECRYPT(AES_ENCRYPT('text','password'),'password'), AES_DECRYPT(UNHEX('F6BD0FA8DCB7F8CD4A2FAABC54668045'),'password'), AES_ENCRYPT(NULL,'k'), AES_DECRYPT('x', NULL)")).toEqual([Buffer.from('text'), null, null, null]);
  });
  it(req('CORE-FN-005', 'wire', 'an IV is ignored with a warning in ECB mode and required (16 bytes) in CBC mode'), async () => {
    await one("SELECT AES_ENCRYPT('abc','k','0123456789abcdef')");
    expect(await warnings()).toEqual([['Warning', 1618, '<IV> option ignored']]);
    await c.query("SET block_encryption_mode = 'aes-256-cbc'");
    try {
      expect(await queryError(c, "SELECT AES_ENCRYPT('abc','k')")).toEqual({ errno: 1582, message: "Incorrect parameter count in the call to native function 'aes_encrypt'" });
      expect(await queryError(c, "SELECT AES_ENCRYPT('abc','k','short')")).toEqual({ errno: 1882, message: 'The initialization vector supplied to aes_encrypt is too short. Must be at least 16 bytes long' });
      expect(await one("SELECT AES_DECRYPT(AES_ENCRYPT('secret','k','0123456789abcdef'),'k','0123456789abcdef')")).toEqual(Buffer.from('secret'));
      expect(await one("SELECT LENGTH(AES_ENCRYPT(REPEAT('x',16),'k','0123456789abcdef'))")).toBe(32);
      await c.query("SET block_encryption_mode = 'aes-128-ofb'");
      expect(await one("SELECT LENGTH(AES_ENCRYPT(REPEAT('x',5),'k','0123456789abcdef'))")).toBe(5);
    } finally {
      await c.query("SET block_encryption_mode = DEFAULT");
    }
  });
  it(req('CORE-FN-005', 'wire', 'KDF arguments: hkdf and pbkdf2_hmac round-trip, a bad name or iteration count is an error'), async () => {
    expect(await one("SELECT AES_DECRYPT(AES_ENCRYPT('my_text','my_key','','hkdf','salt','info'),'my_key','','hkdf','salt','info')")).toEqual(Buffer.from('my_text'));
    expect(await one("SELECT AES_DECRYPT(AES_ENCRYPT('my_text','my_key','','pbkdf2_hmac','salt','2000'),'my_key','','pbkdf2_hmac','salt','2000')")).toEqual(Buffer.from('my_text'));
    expect((await queryError(c, "SELECT AES_ENCRYPT('t','k','','hKdF')")).errno).toBe(3235);
    expect((await queryError(c, "SELECT AES_ENCRYPT('t','k','','pbkdf2_hmac','salt','10')")).errno).toBe(3236);
    expect((await queryError(c, "SELECT AES_ENCRYPT('t','k','','hkdf',NULL)")).errno).toBe(3238);
  });
});

describe('COMPRESS / UNCOMPRESS / UNCOMPRESSED_LENGTH', () => {
  it(req('CORE-FN-006', 'wire', 'zlib behind a 4-byte little-endian length; empty stays empty'), async () => {
    expect(await row("SELECT HEX(COMPRESS('a')), LENGTH(COMPRESS(REPEAT('a',1000))), UNCOMPRESSED_LENGTH(COMPRESS(REPEAT('a',30))), UNCOMPRESS(COMPRESS('any string')), HEX(COMPRESS('')), UNCOMPRESS(''), COMPRESS(NULL)")).toEqual(['01000000789C4B040000620062', 21, 30, Buffer.from('any string'), '', Buffer.alloc(0), null]);
  });
  it(req('CORE-FN-006', 'wire', 'corrupt input is NULL with a zlib warning'), async () => {
    expect(await one("SELECT UNCOMPRESS('any string')")).toBeNull();
    expect(await warnings()).toEqual([['Warning', 1256, 'Uncompressed data size too large; the maximum size is 67108864 (probably, length of uncompressed data was corrupted)']]);
    expect(await one("SELECT UNCOMPRESS(X'0500000001020304')")).toBeNull();
    expect(await warnings()).toEqual([['Warning', 1259, 'ZLIB: Input data corrupted']]);
    expect(await one("SELECT UNCOMPRESS(CONCAT(X'01000000', SUBSTRING(COMPRESS('ab'),5)))")).toBeNull();
    expect(await warnings()).toEqual([['Warning', 1258, 'ZLIB: Not enough room in the output buffer (probably, length of uncompressed data was corrupted)']]);
    expect(await one("SELECT UNCOMPRESS(CONCAT(X'09000000', SUBSTRING(COMPRESS('ab'),5)))")).toEqual(Buffer.from('ab'));
    expect(await one("SELECT UNCOMPRESSED_LENGTH('ab')")).toBeNull();
    expect(await warnings()).toEqual([['Warning', 1259, 'ZLIB: Input data corrupted']]);
  });
});

describe('LOAD_FILE', () => {
  it(req('CORE-FN-007', 'wire', 'reads a world-readable file under secure_file_priv; NULL outside it, when missing, unreadable or too large'), async () => {
    const f = join(files, 'hello.txt');
    writeFileSync(f, 'hello file\n');
    chmodSync(f, 0o644);
    expect(await one(`SELECT LOAD_FILE('${f}')`)).toEqual(Buffer.from('hello file\n'));
    expect(await one(`SELECT LOAD_FILE('${join(files, 'missing.txt')}')`)).toBeNull();
    expect(await one("SELECT LOAD_FILE('/etc/hostname')")).toBeNull();
    const priv = join(files, 'private.txt');
    writeFileSync(priv, 'x');
    chmodSync(priv, 0o600);
    expect(await one(`SELECT LOAD_FILE('${priv}')`)).toBeNull();
    expect(await one('SELECT LOAD_FILE(NULL)')).toBeNull();
    const big = join(files, 'big.bin');
    writeFileSync(big, Buffer.alloc(2048, 1));
    chmodSync(big, 0o644);
    await c.query('SET GLOBAL max_allowed_packet = 1024');
    const c2 = await srv.connect({ database: 'fd' });
    try {
      const [r] = await c2.query({ sql: `SELECT LOAD_FILE('${big}')`, rowsAsArray: true });
      expect((r as unknown[][])[0]![0]).toBeNull();
      const [w] = await c2.query({ sql: 'SHOW WARNINGS', rowsAsArray: true });
      expect(w).toEqual([['Warning', 1301, 'Result of load_file() was larger than max_allowed_packet (1024) - truncated']]);
    } finally {
      await c2.end();
      await c.query('SET GLOBAL max_allowed_packet = DEFAULT');
    }
  });
  it(req('CORE-FN-007', 'wire', 'without the FILE privilege LOAD_FILE gives NULL'), async () => {
    const f = join(files, 'hello.txt');
    await c.query("CREATE USER 'nofile'@'%'");
    await c.query("GRANT SELECT ON *.* TO 'nofile'@'%'");
    const u = await srv.connect({ user: 'nofile' });
    try {
      const [r] = await u.query({ sql: `SELECT LOAD_FILE('${f}')`, rowsAsArray: true });
      expect((r as unknown[][])[0]![0]).toBeNull();
    } finally {
      await u.end();
    }
  });
});

describe('ExtractValue / UpdateXML', () => {
  const X = `'<r><a n="1">x<b>p</b></a><a n="2"><b>q</b><c><b>z</b></c></a></r>'`;
  it(req('CORE-FN-008', 'wire', 'ExtractValue: element paths, positions (last() counts the whole step), //, @attr, *, text(), predicates, count() and arithmetic'), async () => {
    const paths = ['//b', '/r/a[2]//b', '/r/a[@n=2]/b', 'count(/r/a)', '/r/a[1]/@n + 5', '/r/a/@n', 'child::r/child::a[1]', '/descendant::b', '//b[2]', '/r/a[1] | /r/a[2]/b', '1 div 0', '5 mod 2', '/r/a/b[position()=1]', '/r/*/b', '//b/text()', '/r/a[not(@n=1)]/b', '/r/a/b[last()]', '/r/nothing'];
    const got = await row('SELECT ' + paths.map((p) => `ExtractValue(${X}, '${p}')`).join(', '));
    expect(got).toEqual(['p q z', 'q z', 'q', '2', '6', '1 2', 'x', 'p q z', '', 'x q', null, '1', 'p q', 'p q', 'p q z', 'q', '', '']);
    expect(await row("SELECT ExtractValue('<a>ccc<b>ddd</b>eee</a>', '/a'), ExtractValue('<a> b </a>','/a'), ExtractValue('<a>&amp;<![CDATA[q<]]></a>','/a'), ExtractValue(NULL,'/a'), ExtractValue('<a>1</a>',NULL), ExtractValue('<?xml version=\"1.0\"?><!-- c --><a>1</a>','/a')")).toEqual(['ccc eee', ' b ', '&amp; q<', null, null, '1']);
  });
  it(req('CORE-FN-008', 'wire', 'XPath arithmetic: div is integer division, by zero NULL with 1365; text that is not a number is 1292'), async () => {
    expect(await row("SELECT ExtractValue('<a/>', '7 div 2'), ExtractValue('<a/>', 'round(2.5)'), ExtractValue('<a><b>t</b><b>u</b></a>', 'string-length(/a/b)')")).toEqual(['3', '2', '3']);
    expect(await one("SELECT ExtractValue('<a/>', '1 div 0')")).toBeNull();
    expect(await warnings()).toEqual([['Warning', 1365, 'Division by 0']]);
    expect(await one("SELECT ExtractValue('<a><b>x</b></a>', '-/a/b')")).toBe('0');
    expect(await warnings()).toEqual([['Warning', 1292, "Truncated incorrect DOUBLE value: 'x'"]]);
  });
  it(req('CORE-FN-009', 'wire', 'UpdateXML replaces the single matched node; no or several matches keep the document; a non-node-set path gives NULL'), async () => {
    expect(await row("SELECT UpdateXML('<a><b>1</b><c>2</c></a>','/a/b','<x>y</x>'), UpdateXML('<a><b>1</b><b>2</b></a>','/a/b','<x>y</x>'), UpdateXML('<a><b>1</b></a>','/a/z','<x>y</x>'), UpdateXML('<a><b>1</b></a>','/a',''), UpdateXML('<a><b x=\"1\">1</b></a>','/a/b/@x','Q'), UpdateXML('<a/>','1','x'), UpdateXML('<a><b/></a>','/a/b','<c/>')")).toEqual([
      '<a><x>y</x><c>2</c></a>', '<a><b>1</b><b>2</b></a>', '<a><b>1</b></a>', '', '<a><b Q>1</b></a>', null, '<a><c/></a>',
    ]);
  });
  it(req('CORE-FN-010', 'wire', 'a malformed XPath is error 1105 quoting the rest from the bad token; a malformed document is NULL with warning 1525'), async () => {
    expect(await queryError(c, "SELECT ExtractValue('<a>x</a>','/a/')")).toEqual({ errno: 1105, message: "XPATH syntax error: ''" });
    expect(await queryError(c, "SELECT ExtractValue('<a>x</a>','))')")).toEqual({ errno: 1105, message: "XPATH syntax error: '))'" });
    expect(await queryError(c, "SELECT ExtractValue('<a>x</a>','foo()')")).toEqual({ errno: 1105, message: "XPATH syntax error: '()'" });
    expect(await queryError(c, "SELECT ExtractValue('<a>x</a>','/a[1]]')")).toEqual({ errno: 1105, message: "XPATH syntax error: ']'" });
    expect(await queryError(c, "SELECT ExtractValue('<a>x</a>','$x')")).toEqual({ errno: 1105, message: "Unknown XPATH variable at: '$x'" });
    await c.query('CREATE TABLE xp (p VARCHAR(10))');
    expect(await queryError(c, "SELECT ExtractValue('<a>1</a>', p) FROM xp")).toEqual({ errno: 1105, message: 'Only constant XPATH queries are supported' });
    const cases: [string, string][] = [
      ['<a>', "parse error at line 1 pos 4: unexpected END-OF-INPUT"],
      ['<a></b>', "parse error at line 1 pos 7: '</b>' unexpected ('</a>' wanted)"],
      ['</b>', "parse error at line 1 pos 4: '</b>' unexpected (END-OF-INPUT wanted)"],
      ['<a x=1>x</a>', 'parse error at line 1 pos 6: unknown token unexpected (ident or string wanted)'],
      ['<a>\\n<b>\\n</c></a>', "parse error at line 3 pos 5: '</c>' unexpected ('</b>' wanted)"],
      ['<>', "parse error at line 1 pos 3: '>' unexpected (ident or '/' wanted)"],
      ['<a', "parse error at line 1 pos 3: END-OF-INPUT unexpected ('>' wanted)"],
      ['<a>t</>', "parse error at line 1 pos 8: '>' unexpected (ident wanted)"],
    ];
    for (const [xml, msg] of cases) {
      expect(await one(`SELECT ExtractValue('${xml}','/a')`)).toBeNull();
      expect(await warnings()).toEqual([['Warning', 1525, `Incorrect XML value: '${msg}'`]]);
    }
  });
});

describe('FORMAT with a locale', () => {
  it(req('CORE-FN-011', 'wire', "the locale's decimal point, separator and grouping; unknown or NULL locale is en_US with 1649"), async () => {
    expect(await row("SELECT FORMAT(1234567.891, 2, 'de_DE'), FORMAT(1234567.891, 2, 'fr_FR'), FORMAT(1234567.891, 2, 'en_IN'), FORMAT(-1234.5, 1, 'de_CH'), FORMAT(1234567.891, 2, 'sv_SE'), FORMAT(1234.5, 1, 'DE_de'), FORMAT(NULL, 1, 'de_DE')")).toEqual([
      '1.234.567,89', '1234567,89', '12,34,567.89', "-1'234.5", '1 234 567,89', '1.234,5', null,
    ]);
    expect(await one("SELECT FORMAT(1234567.891, 2, 'xx_YY')")).toBe('1,234,567.89');
    expect(await warnings()).toEqual([['Warning', 1649, "Unknown locale: 'xx_YY'"]]);
    expect(await one('SELECT FORMAT(1234.5, 1, NULL)')).toBe('1,234.5');
    expect(await warnings()).toEqual([['Warning', 1649, "Unknown locale: 'NULL'"]]);
  });
});

describe('FORMAT_BYTES / FORMAT_PICO_TIME', () => {
  it(req('CORE-FN-012', 'wire', 'units, alignment below the first unit, two decimals above it, NULL'), async () => {
    expect(await row("SELECT FORMAT_BYTES(NULL), FORMAT_BYTES(0), FORMAT_BYTES(512), FORMAT_BYTES(1024), FORMAT_BYTES(1536), FORMAT_BYTES(18446644073709551615)")).toEqual([null, '   0 bytes', ' 512 bytes', '1.00 KiB', '1.50 KiB', '16.00 EiB']);
    expect(await row("SELECT FORMAT_PICO_TIME(NULL), FORMAT_PICO_TIME(0), FORMAT_PICO_TIME(999), FORMAT_PICO_TIME(1000), FORMAT_PICO_TIME(3501), FORMAT_PICO_TIME(1000000000), FORMAT_PICO_TIME(60000000000000), FORMAT_PICO_TIME(188732396662000)")).toEqual([null, '  0 ps', '999 ps', '1.00 ns', '3.50 ns', '1.00 ms', '1.00 min', '3.15 min']);
    expect(await one("SELECT FORMAT_BYTES('abc')")).toBe('   0 bytes');
    expect(await warnings()).toEqual([['Warning', 1292, "Truncated incorrect DOUBLE value: 'abc'"]]);
  });
});

describe('JSON_OVERLAPS / JSON_ARRAY_INSERT / JSON_STORAGE_FREE', () => {
  it(req('CORE-FN-013', 'wire', 'JSON_OVERLAPS on arrays, objects and scalars'), async () => {
    expect(await row(`SELECT JSON_OVERLAPS('[1,3,5,7]','[2,5,7]'), JSON_OVERLAPS('[1,3,5,7]','[2,6,8]'), JSON_OVERLAPS('[[1,2],[3,4],5]','[1,[2,3],[4,5]]'), JSON_OVERLAPS('{"a":1,"b":10,"d":10}','{"c":1,"e":10,"f":1,"d":10}'), JSON_OVERLAPS('5','[4,5,6,7]'), JSON_OVERLAPS('5','6'), JSON_OVERLAPS(NULL,'1')`)).toEqual([1, 0, 0, 1, 1, 0, null]);
  });
  it(req('CORE-FN-014', 'wire', 'JSON_ARRAY_INSERT shifts, appends past the end, applies pairs in order, refuses non-cell paths'), async () => {
    const d = `'["a", {"b": [1, 2]}, [3, 4]]'`;
    expect(await row(`SELECT JSON_ARRAY_INSERT(${d}, '$[1]', 'x'), JSON_ARRAY_INSERT(${d}, '$[100]', 'x'), JSON_ARRAY_INSERT(${d}, '$[1].b[0]', 'x'), JSON_ARRAY_INSERT(${d}, '$[2][1]', 'y'), JSON_ARRAY_INSERT(${d}, '$[0]', 'x', '$[2][1]', 'y'), JSON_ARRAY_INSERT('{"a":1}', '$[0]', 1)`)).toEqual([
      ['a', 'x', { b: [1, 2] }, [3, 4]], ['a', { b: [1, 2] }, [3, 4], 'x'], ['a', { b: ['x', 1, 2] }, [3, 4]], ['a', { b: [1, 2] }, [3, 'y', 4]], ['x', 'a', { b: [1, 2] }, [3, 4]], { a: 1 },
    ]);
    expect((await queryError(c, "SELECT JSON_ARRAY_INSERT('[1]', '$', 1)")).errno).toBe(3165);
    expect((await queryError(c, "SELECT JSON_ARRAY_INSERT('[1]', '$[*]', 1)")).errno).toBe(3149);
    expect((await queryError(c, "SELECT JSON_ARRAY_INSERT('[1]', '$[0]')")).errno).toBe(1582);
  });
  it(req('CORE-FN-015', 'wire', 'JSON_STORAGE_FREE is 0 for a document, NULL for NULL, 3141 for bad text'), async () => {
    expect(await row("SELECT JSON_STORAGE_FREE('[1,2]'), JSON_STORAGE_FREE(NULL)")).toEqual([0, null]);
    expect((await queryError(c, "SELECT JSON_STORAGE_FREE('[1,')")).errno).toBe(3141);
  });
});

describe('GTID_SUBSET / GTID_SUBTRACT', () => {
  const A = '3e11fa47-71ca-11e1-9e33-c80aa9429562';
  const B = '0a11fa47-71ca-11e1-9e33-c80aa9429562';
  it(req('CORE-FN-016', 'wire', 'subset and subtraction in normal form; malformed sets are 1772'), async () => {
    expect(await row(`SELECT GTID_SUBSET('${A}:23', '${A}:21-57'), GTID_SUBSET('${A}:23-25', '${A}:26-57'), GTID_SUBSET('', '${A}:1'), GTID_SUBSET(NULL, '')`)).toEqual([1, 0, 1, null]);
    expect(await row(`SELECT GTID_SUBTRACT('${A}:21-57', '${A}:22-30'), GTID_SUBTRACT('${A}:21-57', '${A}:21-57'), GTID_SUBTRACT('${A.toUpperCase()}:5:1-3,${B}:7', '${A}:2')`)).toEqual([
      `${A}:21:31-57`, '', `${B}:7,\n${A}:1:3:5`,
    ]);
    expect(await queryError(c, "SELECT GTID_SUBSET('not-a-gtid', '')")).toEqual({ errno: 1772, message: "Malformed GTID set specification 'not-a-gtid'." });
  });
});

describe('SOUNDEX', () => {
  it(req('CORE-FN-017', 'wire', 'codes collapse across skipped letters and with the first letter'), async () => {
    expect(await row("SELECT SOUNDEX('Hello'), SOUNDEX('Quadratically'), SOUNDEX('Tymczak'), SOUNDEX('Honeyman'), SOUNDEX('Pfister'), SOUNDEX('Bab'), SOUNDEX('Ashcraft'), SOUNDEX('123'), 'Hello' SOUNDS LIKE 'Hallo'")).toEqual(['H400', 'Q36324', 'T520', 'H500', 'P236', 'B000', 'A2613', '', 1]);
  });
});

describe('WEIGHT_STRING', () => {
  it(req('CORE-FN-018', 'wire', 'AS BINARY(n) and AS CHAR(n) pad or cut; binary strings weigh as their bytes'), async () => {
    expect(await row("SELECT HEX(WEIGHT_STRING(_binary 'ab' AS BINARY(4))), HEX(WEIGHT_STRING('ab' AS BINARY(1))), HEX(WEIGHT_STRING(_binary 'ab')), WEIGHT_STRING(NULL), HEX(WEIGHT_STRING(_binary 'abc' AS CHAR(2))), HEX(WEIGHT_STRING(_binary 'a' AS CHAR(3)))")).toEqual(['61620000', '61', '6162', null, '6162', '610000']);
  });
});

describe('result metadata', () => {
  it(req(['CORE-FN-005', 'CORE-FN-006', 'CORE-FN-007', 'CORE-FN-008'], 'wire', 'binary results are VARBINARY / LONGBLOB, XML results LONGTEXT'), async () => {
    const [, fields] = await c.query("SELECT AES_ENCRYPT('abc','k') a, COMPRESS('abc') b, UNCOMPRESS('abc') u, LOAD_FILE('/x') f, ExtractValue('<a/>','/a') x, BIT_COUNT(5) n");
    const meta = (fields as { name: string; columnType: number; columnLength: number; characterSet: number }[]).map((f) => [f.name, f.columnType, f.columnLength, f.characterSet]);
    expect(meta).toEqual([
      ['a', 253, 16, 63],
      ['b', 253, 26, 63],
      ['u', 252, 4294967295, 63],
      ['f', 252, 4294967295, 63],
      ['x', 252, 4294967295, 255],
      ['n', 8, 2, 63],
    ]);
  });
});
