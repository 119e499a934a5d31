-- Built-in functions added by the function audit (CORE-FN-*): MAKE_SET, EXPORT_SET, BIT_COUNT,
-- AES_ENCRYPT/AES_DECRYPT (default aes-128-ecb), COMPRESS/UNCOMPRESS/UNCOMPRESSED_LENGTH,
-- ExtractValue/UpdateXML (paths, predicates, errors and XML warnings), FORMAT with a locale,
-- JSON_OVERLAPS and JSON_ARRAY_INSERT. Only behaviour MySQL 8.0 and MariaDB 10.11 share.
SELECT MAKE_SET(1,'a','b','c') AS m1, MAKE_SET(1|4,'hello','nice','world') AS m2, MAKE_SET(1|4,'hello','nice',NULL,'world') AS m3, MAKE_SET(0,'a') AS m4, MAKE_SET(-1,'a','b') AS m5, MAKE_SET(NULL,'a') AS m6;
SELECT MAKE_SET(1);
SELECT EXPORT_SET(5,'Y','N',',',4) AS e1, EXPORT_SET(6,'1','0',',',10) AS e2, EXPORT_SET(5,'Y','N') AS e3, EXPORT_SET(5,'Y','N','',-1) AS e4, EXPORT_SET(NULL,'Y','N') AS e5, EXPORT_SET(3,'1','0','',0) AS e6;
SELECT EXPORT_SET(1,'a');
SELECT BIT_COUNT(64) AS b1, BIT_COUNT(-1) AS b2, BIT_COUNT(b'101010') AS b3, BIT_COUNT(2.5) AS b4, BIT_COUNT(NULL) AS b5, BIT_COUNT(29) AS b6;
SELECT HEX(AES_ENCRYPT('text','password')) AS a1, HEX(AES_ENCRYPT('','k')) AS a2, AES_DECRYPT(AES_ENCRYPT('text','password'),'password') AS a3, AES_DECRYPT(UNHEX('F6BD0FA8DCB7F8CD4A2FAABC54668045'),'password') AS a4, AES_ENCRYPT(NULL,'k') AS a5;
CREATE TABLE fn_aes (id INT PRIMARY KEY, secret VARBINARY(64)) ENGINE=InnoDB;
INSERT INTO fn_aes VALUES (1, AES_ENCRYPT('alpha','k1')), (2, AES_ENCRYPT('beta','k2'));
SELECT id, AES_DECRYPT(secret,'k1') AS plain FROM fn_aes ORDER BY id;
SELECT HEX(COMPRESS('a')) AS c1, LENGTH(COMPRESS(REPEAT('a',1000))) AS c2, UNCOMPRESSED_LENGTH(COMPRESS(REPEAT('a',30))) AS c3, UNCOMPRESS(COMPRESS('any string')) AS c4, HEX(COMPRESS('')) AS c5, COMPRESS(NULL) AS c6;
SELECT UNCOMPRESS('any string') AS u1;
SELECT UNCOMPRESS(X'0500000001020304') AS u2;
SELECT UNCOMPRESSED_LENGTH('ab') AS u3;
SELECT UNCOMPRESS(CONCAT(X'01000000', SUBSTRING(COMPRESS('ab'),5))) AS u4;
SELECT UNCOMPRESS(CONCAT(X'00000000', SUBSTRING(COMPRESS('ab'),5))) AS u5;
SELECT UNCOMPRESS(CONCAT(X'09000000', SUBSTRING(COMPRESS('ab'),5))) AS u6;
SELECT ExtractValue('<a>ccc<b>ddd</b>eee</a>', '/a') AS x1, ExtractValue('<a>ccc<b>ddd</b></a>', '/a/b') AS x2, ExtractValue('<a><b>1</b><b>2</b></a>', '/a/b[2]') AS x3, ExtractValue('<a><b>1</b><b>2</b></a>', 'count(/a/b)') AS x4;
SELECT ExtractValue('<r><a n="1">x<b>p</b></a><a n="2"><b>q</b><c><b>z</b></c></a></r>', '//b') AS x5, ExtractValue('<r><a n="1">x</a><a n="2">y</a></r>', '/r/a[@n=2]') AS x6, ExtractValue('<r><a n="1">x</a><a n="2">y</a></r>', '/r/a/@n') AS x7, ExtractValue('<r><a>1</a><b>2</b></r>', '/r/*') AS x8;
SELECT ExtractValue('<a><b>1</b><b>2</b></a>', '/a/b[last()]') AS x9, ExtractValue('<a><b>1</b></a>', '/a/b = 1') AS x10, ExtractValue('<a>1</a>', '1 + 2') AS x11, ExtractValue('<a>1</a>', '/nothing') AS x12, ExtractValue(NULL, '/a') AS x13;
SELECT ExtractValue('<a>x</a>', '/a/') AS bad1;
SELECT ExtractValue('<a>x</a>', '))') AS bad2;
SELECT ExtractValue('<a>x</a>', 'foo()') AS bad3;
SELECT ExtractValue('<a>', '/a') AS w1;
SELECT ExtractValue('<a></b>', '/a') AS w2;
SELECT ExtractValue('<a x=1>t</a>', '/a') AS w3;
SELECT UpdateXML('<a><b>1</b><c>2</c></a>', '/a/b', '<x>y</x>') AS ux1, UpdateXML('<a><b>1</b><b>2</b></a>', '/a/b', '<x>y</x>') AS ux2, UpdateXML('<a><b>1</b></a>', '/a/z', '<x/>') AS ux3, UpdateXML('<a><b x="1">1</b></a>', '/a/b/@x', 'y="2"') AS ux4, UpdateXML('<a/>', '1', 'x') AS ux5;
CREATE TABLE fn_xml (id INT PRIMARY KEY, doc TEXT) ENGINE=InnoDB;
INSERT INTO fn_xml VALUES (1, '<item><name>pen</name><qty>3</qty></item>'), (2, '<item><name>ink</name><qty>7</qty></item>'), (3, '<item><name>bad</qty></item>');
SELECT id, ExtractValue(doc, '/item/name') AS name, ExtractValue(doc, '/item/qty') + 0 AS qty FROM fn_xml ORDER BY id;
SELECT FORMAT(1234567.891, 2, 'de_DE') AS f1, FORMAT(1234567.891, 2, 'fr_FR') AS f2, FORMAT(1234567.891, 2, 'en_IN') AS f3, FORMAT(-1234.5, 1, 'de_CH') AS f4, FORMAT(1234567.891, 2, 'sv_SE') AS f5;
SELECT FORMAT(1234567.891, 2, 'xx_YY') AS f6;
SELECT JSON_OVERLAPS('[1,3,5,7]','[2,5,7]') AS o1, JSON_OVERLAPS('[1,3,5,7]','[2,6,8]') AS o2, JSON_OVERLAPS('{"a":1,"b":10,"d":10}','{"c":1,"e":10,"f":1,"d":10}') AS o3, JSON_OVERLAPS('5','[4,5,6,7]') AS o4;
SELECT JSON_ARRAY_INSERT('["a", {"b": [1, 2]}, [3, 4]]', '$[1]', 'x') AS i1, JSON_ARRAY_INSERT('["a", {"b": [1, 2]}, [3, 4]]', '$[100]', 'x') AS i2, JSON_ARRAY_INSERT('["a", {"b": [1, 2]}, [3, 4]]', '$[0]', 'x', '$[2][1]', 'y') AS i3;
SELECT ExtractValue('<a><b>t</b><b>u</b></a>', 'string-length(/a/b)') AS xs1, ExtractValue('<a><b>t</b><b>u</b></a>', "concat('x', /a/b)") AS xs2, ExtractValue('<a>1</a><a>2</a>', 'substring(/a, 2, 2)') AS xs3, ExtractValue('<a/>', '7 div 2') AS xs4, ExtractValue('<a/>', 'round(2.5)') AS xs5;
SELECT ExtractValue('<a><b><c>1</c><c>2</c></b><b><c>3</c></b></a>', '/a/b/c[last()]') AS xl1, ExtractValue('<a><b><c>1</c><c>2</c></b><b><c>3</c></b></a>', '/a/b/c[1]') AS xl2, ExtractValue('<a><b><c>1</c></b></a>', "/a/b != 'u'") AS xl3, ExtractValue('<?xml version="1.0"?><a>1</a>', '/xml/@version') AS xl5;
SELECT SOUNDEX('Tymczak') AS s1, SOUNDEX('Honeyman') AS s2, SOUNDEX('Pfister') AS s3, SOUNDEX('Bab') AS s4, SOUNDEX('Ashcraft') AS s5, SOUNDEX('Quadratically') AS s6, 'Tymczak' SOUNDS LIKE 'Tymzak' AS s7;
SELECT HEX(WEIGHT_STRING(_binary 'ab' AS BINARY(4))) AS w1, HEX(WEIGHT_STRING(_binary 'ab')) AS w3, WEIGHT_STRING(NULL) AS w4, HEX(WEIGHT_STRING(_binary 'abc' AS CHAR(2))) AS w5, HEX(WEIGHT_STRING(_binary 'a' AS CHAR(3))) AS w6;
DROP TABLE fn_aes, fn_xml;
