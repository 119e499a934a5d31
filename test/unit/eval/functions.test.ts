import { describe, expect, it } from 'vitest';
import { req } from '../../helpers/req.js';
import { fakeRuntime, run } from './harness.js';

type Case = [string, string | null, string[]?];
function table(cases: Case[], rtOpts: Parameters<typeof fakeRuntime>[0] = {}) {
  for (const [expr, want, warnings] of cases) {
    const rt = fakeRuntime(rtOpts);
    expect(run(expr, rt), expr).toBe(want);
    if (warnings) expect(rt.warnings.map((w) => `${w.code} ${w.message}`), expr).toEqual(warnings);
  }
}

describe('string functions', () => {
  it(req('CORE-EXPR-020', 'unit', 'concatenation, lengths, case, substrings, padding'), () => {
    table([
      ["CONCAT('a', 1, 2.5)", 'a12.5'],
      ["CONCAT('a', NULL)", null],
      ["CONCAT_WS(',', 'a', NULL, 'b')", 'a,b'],
      ["CONCAT_WS(NULL, 'a')", null],
      ["LENGTH('héllo')", '6'],
      ["CHAR_LENGTH('héllo')", '5'],
      ["BIT_LENGTH('ab')", '16'],
      ["UPPER('straße')", 'STRAßE'],
      ["LOWER('ÀB')", 'àb'],
      ["SUBSTRING('Quadratically', 5)", 'ratically'],
      ["SUBSTRING('Quadratically', 5, 6)", 'ratica'],
      ["SUBSTRING('Sakila', -3)", 'ila'],
      ["SUBSTRING('Sakila', -5, 3)", 'aki'],
      ["SUBSTRING('Sakila', 0)", ''],
      ["MID('foobar', 2, 3)", 'oob'],
      ["LEFT('foobarbar', 5)", 'fooba'],
      ["RIGHT('foobarbar', 4)", 'rbar'],
      ["LPAD('hi', 4, '??')", '??hi'],
      ["LPAD('hi', 1, '??')", 'h'],
      ["RPAD('hi', 5, 'ab')", 'hiaba'],
      ["LPAD('hi', 5, '')", null],
      ["TRIM('  bar   ')", 'bar'],
      ["TRIM(LEADING 'x' FROM 'xxxbarxxx')", 'barxxx'],
      ["TRIM(BOTH 'x' FROM 'xxxbarxxx')", 'bar'],
      ["TRIM(TRAILING 'xyz' FROM 'barxxyz')", 'barx'],
      ["LTRIM('  barbar')", 'barbar'],
      ["RTRIM('barbar   ')", 'barbar'],
      ["REPLACE('www.mysql.com', 'w', 'Ww')", 'WwWwWw.mysql.com'],
      ["REPEAT('MySQL', 3)", 'MySQLMySQLMySQL'],
      ["REPEAT('a', 0)", ''],
      ["REVERSE('abc')", 'cba'],
      ["SPACE(3)", '   '],
      ["INSERT('Quadratic', 3, 4, 'What')", 'QuWhattic'],
      ["INSERT('Quadratic', -1, 4, 'What')", 'Quadratic'],
      ["INSERT('Quadratic', 3, 100, 'What')", 'QuWhat'],
    ]);
  });

  it(req('CORE-EXPR-021', 'unit', 'searching, lists, quoting and comparison helpers'), () => {
    table([
      ["LOCATE('bar', 'foobarbar')", '4'],
      ["LOCATE('xbar', 'foobar')", '0'],
      ["LOCATE('bar', 'foobarbar', 5)", '7'],
      ["LOCATE('B', 'abc')", '2'],
      ["INSTR('foobarbar', 'bar')", '4'],
      ["POSITION('bar' IN 'foobarbar')", '4'],
      ["FIELD('Bb', 'Aa', 'Bb', 'Cc')", '2'],
      ["FIELD('Gg', 'Aa', 'Bb')", '0'],
      ["FIND_IN_SET('b', 'a,b,c,d')", '2'],
      ["ELT(1, 'Aa', 'Bb')", 'Aa'],
      ["ELT(4, 'Aa', 'Bb')", null],
      ["QUOTE('Don''t!')", "'Don\\'t!'"],
      ['QUOTE(NULL)', 'NULL'],
      ["STRCMP('text', 'text2')", '-1'],
      ["STRCMP('text2', 'text')", '1'],
      ["STRCMP('text', 'TEXT')", '0'],
      ["SUBSTRING_INDEX('www.mysql.com', '.', 2)", 'www.mysql'],
      ["SUBSTRING_INDEX('www.mysql.com', '.', -2)", 'mysql.com'],
      ["ASCII('2')", '50'],
      ["ASCII('')", '0'],
      ["ORD('2')", '50'],
      ['CHAR(77, 121, 83, 81, 76)', 'MySQL'],
      ["SOUNDEX('Hello')", 'H400'],
    ]);
  });

  it(req('CORE-EXPR-022', 'unit', 'hex, hashes, base64 and checksums'), () => {
    table([
      ["HEX('abc')", '616263'],
      ['HEX(255)', 'FF'],
      ['HEX(-1)', 'FFFFFFFFFFFFFFFF'],
      ["UNHEX('4D7953514C')", 'MySQL'],
      ["UNHEX('GG')", null],
      ["MD5('testing')", 'ae2b1fca515949e5d54fb22b8ed95575'],
      ["SHA1('abc')", 'a9993e364706816aba3e25717850c26c9cd0d89d'],
      ["SHA2('abc', 224)", '23097d223405d8228642a477bda255b32aadbce4bda0b3f7e36c9da7'],
      ["SHA2('abc', 7)", null],
      ["TO_BASE64('abc')", 'YWJj'],
      ["FROM_BASE64('YWJj')", 'abc'],
      ["CRC32('MySQL')", '3259397556'],
      ["CRC32('mysql')", '2501908538'],
    ]);
  });

  it(req(['CORE-EXPR-030', 'CORE-EXPR-031'], 'unit', 'LIKE with escapes and collation folding; REGEXP family'), () => {
    table([
      ["'David!' LIKE 'David_'", '1'],
      ["'David!' LIKE '%D%v%'", '1'],
      ["'David!' LIKE 'David\\_'", '0'],
      ["'David_' LIKE 'David\\_'", '1'],
      ["'David_' LIKE 'David|_' ESCAPE '|'", '1'],
      ["'abc' LIKE 'ABC'", '1'],
      ["'abc' LIKE BINARY 'ABC'", '0'],
      ["'ä' LIKE 'a'", '1'],
      ["'abc' NOT LIKE 'a%'", '0'],
      ['NULL LIKE \'a\'', null],
      ["'Michael!' REGEXP '.*'", '1'],
      ["'new*\\n*line' REGEXP 'new\\\\*.\\\\*line'", '0'],
      ["'a' REGEXP '^[a-d]'", '1'],
      ["'ABC' REGEXP 'abc'", '1'],
      ["REGEXP_LIKE('CamelCase', 'CAMELCASE')", '1'],
      ["REGEXP_LIKE('CamelCase', 'CAMELCASE', 'c')", '0'],
      ["REGEXP_REPLACE('a b c', 'b', 'X')", 'a X c'],
      ["REGEXP_REPLACE('abc def ghi', '[a-z]+', 'X', 1, 3)", 'abc def X'],
      ["REGEXP_SUBSTR('abc def ghi', '[a-z]+', 1, 3)", 'ghi'],
      ["REGEXP_INSTR('dog cat dog', 'dog', 2)", '9'],
    ]);
  });
});

describe('numeric functions', () => {
  it(req(['CORE-EXPR-013', 'CORE-EXPR-014'], 'unit', 'rounding is exact for DECIMAL (half away from zero) and half-even for doubles'), () => {
    table([
      ['ROUND(-1.23)', '-1'],
      ['ROUND(-1.58)', '-2'],
      ['ROUND(1.58)', '2'],
      ['ROUND(1.298, 1)', '1.3'],
      ['ROUND(1.298, 0)', '1'],
      ['ROUND(23.298, -1)', '20'],
      ['ROUND(2.5)', '3'],
      ['ROUND(-2.5)', '-3'],
      ['ROUND(2.5e0)', '2'],
      ['ROUND(3.5e0)', '4'],
      ['ROUND(150.000, 2)', '150.00'],
      ['TRUNCATE(1.223, 1)', '1.2'],
      ['TRUNCATE(1.999, 0)', '1'],
      ['TRUNCATE(-1.999, 1)', '-1.9'],
      ['TRUNCATE(122, -2)', '100'],
      ['CEILING(1.23)', '2'],
      ['CEIL(-1.23)', '-1'],
      ['FLOOR(1.23)', '1'],
      ['FLOOR(-1.23)', '-2'],
      ['ABS(-32)', '32'],
      ['ABS(-1.5)', '1.5'],
      ['SIGN(-32)', '-1'],
      ['SIGN(0)', '0'],
      ['MOD(234, 10)', '4'],
      ['MOD(29, 9)', '2'],
      ['MOD(34.5, 3)', '1.5'],
    ]);
  });

  it(req('CORE-EXPR-015', 'unit', 'math library, GREATEST/LEAST, base conversion'), () => {
    table([
      ['PI()', '3.141593'],
      ['POW(2, 2)', '4'],
      ['POWER(2, -2)', '0.25'],
      ['SQRT(4)', '2'],
      ['SQRT(-16)', null],
      ['EXP(0)', '1'],
      ['LN(1)', '0'],
      ['LOG(2, 65536)', '16'],
      ['LOG2(65536)', '16'],
      ['LOG10(100)', '2'],
      ['LOG(0)', null, ['3020 Invalid argument for logarithm']],
      ['SIN(0)', '0'],
      ['COS(0)', '1'],
      ['GREATEST(2, 0)', '2'],
      ['GREATEST(34.0, 3.0, 5.0, 767.0)', '767.0'],
      ["GREATEST('B', 'A', 'C')", 'C'],
      ['LEAST(2, 0)', '0'],
      ['LEAST(34.0, 3.0, 5.0, 767.0)', '3.0'],
      ["LEAST('B', 'A', 'C')", 'A'],
      ['LEAST(1, NULL)', null],
      ["CONV('a', 16, 2)", '1010'],
      ["CONV('6E', 18, 8)", '172'],
      ['CONV(-17, 10, -18)', '-H'],
      ['BIN(12)', '1100'],
      ['OCT(12)', '14'],
      ['RAND(3) = RAND(3)', '1'],
    ]);
  });
});

describe('control flow and cast', () => {
  it(req('CORE-EXPR-050', 'unit', 'IF, IFNULL, NULLIF, COALESCE, ISNULL'), () => {
    table([
      ['IF(1 > 2, 2, 3)', '3'],
      ["IF(1 < 2, 'yes', 'no')", 'yes'],
      ['IF(NULL, 1, 2)', '2'],
      ['IFNULL(1, 0)', '1'],
      ['IFNULL(NULL, 10)', '10'],
      ['IFNULL(1/0, 10)', '10.0000'],
      ['NULLIF(1, 1)', null],
      ['NULLIF(1, 2)', '1'],
      ['COALESCE(NULL, 1)', '1'],
      ['COALESCE(NULL, NULL, NULL)', null],
      ['ISNULL(1 + 1)', '0'],
      ['ISNULL(1/0)', '1'],
    ]);
  });

  it(req('CORE-EXPR-060', 'unit', 'CAST and CONVERT to every target type'), () => {
    table([
      ["CAST('12abc' AS SIGNED)", '12', ["1292 Truncated incorrect INTEGER value: '12abc'"]],
      ['CAST(-1 AS UNSIGNED)', '18446744073709551615'],
      ['CAST(1.5 AS SIGNED)', '2'],
      ['CAST(-1.5 AS SIGNED)', '-2'],
      ['CAST(18446744073709551615 AS SIGNED)', '-1'],
      ['CAST(1.5 AS DECIMAL(5,2))', '1.50'],
      ['CAST(1.555 AS DECIMAL(5,2))', '1.56'],
      ['CAST(12345 AS DECIMAL(3,1))', '99.9'],
      ["CAST('abc' AS CHAR(2))", 'ab', ["1292 Truncated incorrect CHAR(2) value: 'abc'"]],
      ['CAST(1 AS CHAR)', '1'],
      ["CAST('a' AS BINARY(3))", 'a\u0000\u0000'],
      ["CAST('2024-01-02 10:11:12' AS DATE)", '2024-01-02'],
      ["CAST('2024-01-02' AS DATETIME)", '2024-01-02 00:00:00'],
      ["CAST('2024-01-02 10:11:12.5' AS DATETIME(1))", '2024-01-02 10:11:12.5'],
      ["CAST('10:11:12' AS TIME)", '10:11:12'],
      ["CAST('abc' AS DATE)", null, ["1292 Incorrect datetime value: 'abc'"]],
      ['CAST(20240102 AS DATE)', '2024-01-02'],
      ["CAST('1.5' AS DOUBLE)", '1.5'],
      ['CAST(1 AS JSON)', '1'],
      ["CAST('[1,2]' AS JSON)", '[1, 2]'],
      ["CONVERT('abc', CHAR(1))", 'a'],
      ["CONVERT('abc' USING utf8mb4)", 'abc'],
      ['CAST(69 AS YEAR)', '2069'],
    ]);
  });
});

describe('information and misc functions', () => {
  it(req('CORE-EXPR-090', 'unit', 'information functions read the session through the runtime'), () => {
    const rt = fakeRuntime();
    expect(run('DATABASE()', rt)).toBe('test');
    expect(run('SCHEMA()', rt)).toBe('test');
    expect(run('USER()', rt)).toBe('root@localhost');
    expect(run('CURRENT_USER()', rt)).toBe('root@%');
    expect(run('CONNECTION_ID()', rt)).toBe('7');
    expect(run('VERSION()', rt)).toBe('8.0.40-refmysql');
    expect(run('LAST_INSERT_ID(42)', rt)).toBe('42');
    expect(run('LAST_INSERT_ID()', rt)).toBe('42');
  });

  it(req('CORE-EXPR-092', 'unit', 'network address, UUID and lock helpers'), () => {
    table([
      ["INET_ATON('10.0.5.9')", '167773449'],
      ["INET_ATON('127.1')", '2130706433'],
      ['INET_NTOA(167773449)', '10.0.5.9'],
      ["HEX(INET6_ATON('fdfe::5a55:caff:fefa:9089'))", 'FDFE0000000000005A55CAFFFEFA9089'],
      ["HEX(INET6_ATON('10.0.5.9'))", '0A000509'],
      ["INET6_NTOA(INET6_ATON('fdfe::5a55:caff:fefa:9089'))", 'fdfe::5a55:caff:fefa:9089'],
      ["INET6_NTOA(INET6_ATON('10.0.5.9'))", '10.0.5.9'],
      ["IS_IPV4('10.0.5.9')", '1'],
      ["IS_IPV4('10.0.5.256')", '0'],
      ["IS_IPV6('::1')", '1'],
      ['LENGTH(UUID())', '36'],
      ["BIN_TO_UUID(UUID_TO_BIN('6ccd780c-baba-1026-9564-5b8c656024db'))", '6ccd780c-baba-1026-9564-5b8c656024db'],
      ["HEX(UUID_TO_BIN('6ccd780c-baba-1026-9564-5b8c656024db', 1))", '1026BABA6CCD780C95645B8C656024DB'],
      ["IS_UUID('6ccd780c-baba-1026-9564-5b8c656024db')", '1'],
      ['BENCHMARK(10, 1 + 1)', '0'],
    ]);
  });

  it(req('CORE-EXPR-091', 'unit', 'SLEEP is asynchronous and returns 0, or 1 when interrupted'), async () => {
    const { compile } = await import('./harness.js');
    const c = compile('SLEEP(0.01)');
    expect(c.async).toBe(true);
    const rt = fakeRuntime();
    await expect(c.evalAsync!([], rt)).resolves.toBe(0n);
    const c2 = compile('SLEEP(5) + 1');
    expect(c2.async).toBe(true);
    const rt2 = fakeRuntime();
    rt2.isInterrupted = () => true;
    await expect(c2.evalAsync!([], rt2)).resolves.toBe(2n);
  });
});
