-- JSON_TABLE in the FROM clause (CORE-FN-033..036): ordinality, PATH
-- columns with ON EMPTY / ON ERROR, EXISTS PATH, NESTED PATH, lateral references to earlier
-- tables. JSON_SCHEMA_VALID is not here: MariaDB 10.11 does not have it (added in 11.1); the
-- wire tests cover it. Only behaviour MySQL 8.0 and MariaDB 10.11 share, except where listed.
SELECT * FROM JSON_TABLE('[{"a":"3"},{"a":2},{"b":1},{"a":0}]', '$[*]' COLUMNS (rowid FOR ORDINALITY, ac VARCHAR(100) PATH '$.a' DEFAULT '111' ON EMPTY, bx INT EXISTS PATH '$.b')) AS tt;
SELECT * FROM JSON_TABLE('[1, 2, 3]', '$[*]' COLUMNS (v INT PATH '$')) jt;
SELECT jt.v * 2 AS dbl FROM JSON_TABLE('{"k": [5, 6, 7]}', '$.k[*]' COLUMNS (v INT PATH '$')) AS jt WHERE jt.v > 5;
SELECT * FROM JSON_TABLE('[{"a": 1, "b": [10, 20]}, {"a": 2}]', '$[*]' COLUMNS (a INT PATH '$.a', NESTED PATH '$.b[*]' COLUMNS (b INT PATH '$'))) AS jt;
SELECT * FROM JSON_TABLE('[{"a": 1, "b": [10, 20], "c": ["x"]}]', '$[*]' COLUMNS (a INT PATH '$.a', NESTED PATH '$.b[*]' COLUMNS (b INT PATH '$'), NESTED PATH '$.c[*]' COLUMNS (c VARCHAR(5) PATH '$'))) AS jt;
SELECT * FROM JSON_TABLE('[{}]', '$[*]' COLUMNS (a INT PATH '$.a' ERROR ON EMPTY)) jt;
SELECT * FROM JSON_TABLE('[{"x": 1}]', '$[*]' COLUMNS (a VARCHAR(10) PATH '$.a' DEFAULT '0' ON EMPTY, x DECIMAL(5,2) PATH '$.x')) jt;
SELECT * FROM JSON_TABLE(NULL, '$[*]' COLUMNS (a INT PATH '$')) jt;
CREATE TABLE jt_docs (id INT PRIMARY KEY, doc JSON) ENGINE=InnoDB;
INSERT INTO jt_docs VALUES (1, '[{"x": 1, "y": "a"}, {"x": 2, "y": "b"}]'), (2, '[{"x": 3}]'), (3, '[]');
SELECT d.id, jt.x, jt.y FROM jt_docs d, JSON_TABLE(d.doc, '$[*]' COLUMNS (x INT PATH '$.x', y CHAR(1) PATH '$.y')) AS jt ORDER BY d.id, jt.x;
SELECT d.id, COUNT(jt.x) AS n FROM jt_docs d LEFT JOIN JSON_TABLE(d.doc, '$[*]' COLUMNS (x INT PATH '$.x')) AS jt ON TRUE GROUP BY d.id ORDER BY d.id;
DROP TABLE jt_docs;
