import { describe, expect, it } from 'vitest';
import { req } from '../../helpers/req.js';
import { fakeRuntime, run } from './harness.js';

type Case = [string, string | null, string[]?];
function table(cases: Case[]) {
  for (const [expr, want, warnings] of cases) {
    const rt = fakeRuntime();
    expect(run(expr, rt), expr).toBe(want);
    if (warnings) expect(rt.warnings.map((w) => `${w.code} ${w.message}`), expr).toEqual(warnings);
  }
}

describe('date and time functions', () => {
  it(req('CORE-EXPR-040', 'unit', 'current time is the statement time; extraction functions'), () => {
    // fake statement time: 2024-01-15 10:30:45.123 UTC, session time zone +00:00
    table([
      ['NOW()', '2024-01-15 10:30:45'],
      ['CURRENT_TIMESTAMP', '2024-01-15 10:30:45'],
      ['NOW(3)', '2024-01-15 10:30:45.123'],
      ['CURDATE()', '2024-01-15'],
      ['CURTIME()', '10:30:45'],
      ['UTC_TIMESTAMP()', '2024-01-15 10:30:45'],
      ['UNIX_TIMESTAMP()', '1705314645'],
      ["YEAR('1987-01-01')", '1987'],
      ["MONTH('2008-02-03')", '2'],
      ["DAY('2007-02-03')", '3'],
      ["HOUR('10:05:03')", '10'],
      ["HOUR('272:59:59')", '272'],
      ["MINUTE('2008-02-03 10:05:03')", '5'],
      ["SECOND('10:05:03')", '3'],
      ["MICROSECOND('12:00:00.123456')", '123456'],
      ["DAYOFWEEK('2007-02-03')", '7'],
      ["WEEKDAY('2008-02-03 22:23:00')", '6'],
      ["DAYOFYEAR('2007-02-03')", '34'],
      ["QUARTER('2008-04-01')", '2'],
      ["DAYNAME('2007-02-03')", 'Saturday'],
      ["MONTHNAME('2008-02-03')", 'February'],
      ["WEEK('2008-02-20')", '7'],
      ["WEEK('2008-02-20', 0)", '7'],
      ["WEEK('2008-02-20', 1)", '8'],
      ["WEEK('2008-12-31', 1)", '53'],
      ["WEEK('2000-01-01', 0)", '0'],
      ["WEEK('2000-01-01', 2)", '52'],
      ["YEARWEEK('1987-01-01')", '198652'],
      ["WEEKOFYEAR('2008-02-20')", '8'],
      ["TO_DAYS('2007-10-07')", '733321'],
      ["TO_DAYS(950501)", '728779'],
      ['FROM_DAYS(730669)', '2000-07-03'],
      ["LAST_DAY('2003-02-05')", '2003-02-28'],
      ["LAST_DAY('2004-02-05')", '2004-02-29'],
      ['MAKEDATE(2011, 31)', '2011-01-31'],
      ['MAKEDATE(2011, 32)', '2011-02-01'],
      ['MAKEDATE(2011, 0)', null],
      ['MAKETIME(12, 15, 30)', '12:15:30'],
      ["EXTRACT(YEAR FROM '2019-07-02')", '2019'],
      ["EXTRACT(YEAR_MONTH FROM '2019-07-02 01:02:03')", '201907'],
      ["EXTRACT(DAY_MINUTE FROM '2019-07-02 01:02:03')", '20102'],
      ["EXTRACT(MICROSECOND FROM '2003-01-02 10:30:00.000123')", '123'],
      ['SEC_TO_TIME(2378)', '00:39:38'],
      ["TIME_TO_SEC('22:23:00')", '80580'],
      ["TIME_TO_SEC('00:39:38')", '2378'],
    ]);
  });

  it(req('CORE-EXPR-041', 'unit', 'DATE_FORMAT and STR_TO_DATE'), () => {
    table([
      ["DATE_FORMAT('2009-10-04 22:23:00', '%W %M %Y')", 'Sunday October 2009'],
      ["DATE_FORMAT('2007-10-04 22:23:00', '%H:%i:%s')", '22:23:00'],
      ["DATE_FORMAT('1900-10-04 22:23:00', '%D %y %a %d %m %b %j')", '4th 00 Thu 04 10 Oct 277'],
      ["DATE_FORMAT('1997-10-04 22:23:00', '%H %k %I %r %T %S %w')", '22 22 10 10:23:00 PM 22:23:00 00 6'],
      ["DATE_FORMAT('1999-01-01', '%X %V')", '1998 52'],
      ["DATE_FORMAT('2006-06-00', '%d')", '00'],
      ["TIME_FORMAT('100:00:00', '%H %k %h %I %l')", '100 100 04 04 4'],
      ["STR_TO_DATE('01,5,2013', '%d,%m,%Y')", '2013-05-01'],
      ["STR_TO_DATE('May 1, 2013', '%M %d,%Y')", '2013-05-01'],
      ["STR_TO_DATE('a09:30:17', 'a%h:%i:%s')", '09:30:17'],
      ["STR_TO_DATE('09:30:17a', '%h:%i:%s')", '09:30:17'],
      ["STR_TO_DATE('2013-05-01 10:11:12', '%Y-%m-%d %H:%i:%s')", '2013-05-01 10:11:12'],
      ["STR_TO_DATE('a09:30:17', '%h:%i:%s')", null],
    ]);
  });

  it(req('CORE-EXPR-042', 'unit', 'interval arithmetic'), () => {
    table([
      ["DATE_ADD('2018-05-01', INTERVAL 1 DAY)", '2018-05-02'],
      ["DATE_SUB('2018-05-01', INTERVAL 1 YEAR)", '2017-05-01'],
      ["DATE_ADD('2020-12-31 23:59:59', INTERVAL 1 SECOND)", '2021-01-01 00:00:00'],
      ["DATE_ADD('2018-12-31 23:59:59', INTERVAL 1 DAY)", '2019-01-01 23:59:59'],
      ["DATE_ADD('2100-12-31 23:59:59', INTERVAL '1:1' MINUTE_SECOND)", '2101-01-01 00:01:00'],
      ["DATE_SUB('2025-01-01 00:00:00', INTERVAL '1 1:1:1' DAY_SECOND)", '2024-12-30 22:58:59'],
      ["DATE_ADD('1900-01-01 00:00:00', INTERVAL '-1 10' DAY_HOUR)", '1899-12-30 14:00:00'],
      ["DATE_SUB('1998-01-02', INTERVAL 31 DAY)", '1997-12-02'],
      ["DATE_ADD('1992-12-31 23:59:59.000002', INTERVAL '1.999999' SECOND_MICROSECOND)", '1993-01-01 00:00:01.000001'],
      ["DATE_ADD('2024-01-31', INTERVAL 1 MONTH)", '2024-02-29'],
      ["'2008-12-31 23:59:59' + INTERVAL 1 SECOND", '2009-01-01 00:00:00'],
      ["INTERVAL 1 DAY + '2008-12-31'", '2009-01-01'],
      ["'2005-01-01' - INTERVAL 1 SECOND", '2004-12-31 23:59:59'],
      ["DATE '2024-01-01' + INTERVAL 2 HOUR", '2024-01-01 02:00:00'],
      ["ADDDATE('2008-01-02', 31)", '2008-02-02'],
      ["ADDTIME('2007-12-31 23:59:59.999999', '1 1:1:1.000002')", '2008-01-02 01:01:01.000001'],
      ["ADDTIME('01:00:00.999999', '02:00:00.999998')", '03:00:01.999997'],
      ["SUBTIME('01:00:00.999999', '02:00:00.999998')", '-00:59:59.999999'],
      ["DATEDIFF('2007-12-31 23:59:59', '2007-12-30')", '1'],
      ["DATEDIFF('2010-11-30 23:59:59', '2010-12-31')", '-31'],
      ["TIMEDIFF('2000-01-01 00:00:00', '2000-01-01 00:00:00.000001')", '-00:00:00.000001'],
      ["TIMEDIFF('2008-12-31 23:59:59.000001', '2008-12-30 01:01:01.000002')", '46:58:57.999999'],
      ["TIMESTAMPDIFF(MONTH, '2003-02-01', '2003-05-01')", '3'],
      ["TIMESTAMPDIFF(YEAR, '2002-05-01', '2001-01-01')", '-1'],
      ["TIMESTAMPDIFF(MINUTE, '2003-02-01', '2003-05-01 12:05:55')", '128885'],
      ["TIMESTAMPADD(MINUTE, 1, '2003-01-02')", '2003-01-02 00:01:00'],
      ["TIMESTAMPADD(WEEK, 1, '2003-01-02')", '2003-01-09'],
      ['PERIOD_ADD(200801, 2)', '200803'],
      ['PERIOD_DIFF(200802, 200703)', '11'],
    ]);
  });

  it(req('CORE-EXPR-043', 'unit', 'epoch conversions in the session time zone'), () => {
    table([
      ["UNIX_TIMESTAMP('2015-11-13 10:20:19')", '1447410019'],
      ["UNIX_TIMESTAMP('2015-11-13 10:20:19.012')", '1447410019.012'],
      ['FROM_UNIXTIME(1447430881)', '2015-11-13 16:08:01'],
      ["FROM_UNIXTIME(1447430881, '%Y %D %M %h:%i:%s %x')", '2015 13th November 04:08:01 2015'],
      ["CONVERT_TZ('2004-01-01 12:00:00', '+00:00', '+10:00')", '2004-01-01 22:00:00'],
    ]);
    const rt = fakeRuntime({ timeZone: '+02:00' });
    expect(run('NOW()', rt)).toBe('2024-01-15 12:30:45');
    expect(run("UNIX_TIMESTAMP('1970-01-01 02:00:01')", rt)).toBe('1');
  });
});

describe('JSON functions', () => {
  it(req(['CORE-EXPR-070', 'CORE-TYPE-071'], 'unit', 'constructors produce normalized canonical text'), () => {
    table([
      ["JSON_OBJECT('id', 87, 'name', 'carrot')", '{"id": 87, "name": "carrot"}'],
      ["JSON_OBJECT('b', 1, 'a', 2, 'aa', 3)", '{"a": 2, "b": 1, "aa": 3}'],
      ["JSON_ARRAY(1, 'abc', NULL, 1.5)", '[1, "abc", null, 1.5]'],
      ['JSON_ARRAY()', '[]'],
      ["JSON_OBJECT('a', 1 = 1, 'b', TRUE, 'c', 1)", '{"a": true, "b": true, "c": 1}'],
      ['JSON_ARRAY(1 > 2, NULL IS NULL)', '[false, true]'],
      ["JSON_ARRAY(JSON_OBJECT('a', 1), '[1]')", '[{"a": 1}, "[1]"]'],
      ["CAST('{\"b\":1,\"a\":[1,2.0,\"x\"]}' AS JSON)", '{"a": [1, 2.0, "x"], "b": 1}'],
      ["JSON_QUOTE('null')", '"null"'],
      ["JSON_QUOTE('\"null\"')", '"\\"null\\""'],
      ["JSON_VALID('{\"a\": 1}')", '1'],
      ["JSON_VALID('hello')", '0'],
    ]);
  });

  it(req('CORE-EXPR-071', 'unit', 'path extraction and inspection'), () => {
    table([
      ["JSON_EXTRACT('[10, 20, [30, 40]]', '$[1]')", '20'],
      ["JSON_EXTRACT('[10, 20, [30, 40]]', '$[1]', '$[0]')", '[20, 10]'],
      ["JSON_EXTRACT('[10, 20, [30, 40]]', '$[2][*]')", '[30, 40]'],
      ["JSON_EXTRACT('{\"a\": {\"b\": 1}}', '$.a.b')", '1'],
      ["JSON_EXTRACT('{\"a\": 1}', '$.x')", null],
      ["JSON_EXTRACT('[1, 2, 3]', '$[last]')", '3'],
      ["JSON_EXTRACT('{\"a\": {\"b\": 1}, \"c\": {\"b\": 2}}', '$**.b')", '[1, 2]'],
      ["JSON_UNQUOTE(JSON_EXTRACT('{\"a\": \"x\"}', '$.a'))", 'x'],
      ["JSON_UNQUOTE('\"\\\\t\"')", '\t'],
      ["JSON_TYPE('[\"a\", \"b\", 1]')", 'ARRAY'],
      ["JSON_TYPE(JSON_EXTRACT('{\"a\": 1.5}', '$.a'))", 'DOUBLE'],
      ["JSON_TYPE('1')", 'INTEGER'],
      ["JSON_LENGTH('[1, 2, {\"a\": 3}]')", '3'],
      ["JSON_LENGTH('{\"a\": 1, \"b\": {\"c\": 30}}', '$.b')", '1'],
      ["JSON_DEPTH('[10, {\"a\": 20}]')", '3'],
      ["JSON_KEYS('{\"a\": 1, \"b\": {\"c\": 30}}')", '["a", "b"]'],
      ["JSON_CONTAINS('{\"a\": 1, \"b\": 2, \"c\": {\"d\": 4}}', '1', '$.a')", '1'],
      ["JSON_CONTAINS('{\"a\": 1, \"b\": 2, \"c\": {\"d\": 4}}', '{\"d\": 4}', '$.a')", '0'],
      ["JSON_CONTAINS('[1, 2, 3]', '[1, 3]')", '1'],
      ["JSON_CONTAINS_PATH('{\"a\": 1, \"b\": 2}', 'one', '$.a', '$.e')", '1'],
      ["JSON_CONTAINS_PATH('{\"a\": 1, \"b\": 2}', 'all', '$.a', '$.e')", '0'],
      ["JSON_SEARCH('[\"abc\", [{\"k\": \"10\"}, \"def\"]]', 'one', 'abc')", '"$[0]"'],
    ]);
  });

  it(req('CORE-EXPR-072', 'unit', 'modification functions'), () => {
    table([
      ["JSON_SET('{ \"a\": 1, \"b\": [2, 3]}', '$.a', 10, '$.c', '[true, false]')", '{"a": 10, "b": [2, 3], "c": "[true, false]"}'],
      ["JSON_INSERT('{ \"a\": 1, \"b\": [2, 3]}', '$.a', 10, '$.c', '[true, false]')", '{"a": 1, "b": [2, 3], "c": "[true, false]"}'],
      ["JSON_REPLACE('{ \"a\": 1, \"b\": [2, 3]}', '$.a', 10, '$.c', '[true, false]')", '{"a": 10, "b": [2, 3]}'],
      ["JSON_REMOVE('[\"a\", [\"b\", \"c\"], \"d\"]', '$[1]')", '["a", "d"]'],
      ["JSON_ARRAY_APPEND('[\"a\", [\"b\", \"c\"], \"d\"]', '$[1]', 1)", '["a", ["b", "c", 1], "d"]'],
      ["JSON_ARRAY_APPEND('[\"a\", [\"b\", \"c\"], \"d\"]', '$[0]', 2)", '[["a", 2], ["b", "c"], "d"]'],
      ["JSON_MERGE_PRESERVE('[1, 2]', '[true, false]')", '[1, 2, true, false]'],
      ["JSON_MERGE_PRESERVE('{\"name\": \"x\"}', '{\"id\": 47}')", '{"id": 47, "name": "x"}'],
      ["JSON_MERGE_PATCH('{\"a\": 1, \"b\": 2}', '{\"b\": null, \"c\": 3}')", '{"a": 1, "c": 3}'],
      ["JSON_MERGE_PATCH('[1, 2]', '[true, false]')", '[true, false]'],
    ]);
  });

  it(req('CORE-EXPR-073', 'unit', 'invalid JSON arguments raise 3141'), () => {
    expect(() => run("JSON_EXTRACT('{a', '$')")).toThrowError(/Invalid JSON text in argument 1 to function json_extract/);
    expect(() => run("JSON_EXTRACT('[1]', 'x')")).toThrowError(/Invalid JSON path expression/);
  });
});
