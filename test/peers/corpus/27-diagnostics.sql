-- Diagnostics (CORE-DIAG-*): column headings of literals and expressions, truncation notes and
-- warnings, SHOW WARNINGS and @@warning_count, and the deprecation warnings MySQL 8.0 gives
-- (MariaDB gives none of them: those statements are listed in known-differences.json).
CREATE TABLE dg (id INT NOT NULL PRIMARY KEY, d DECIMAL(5,2), n INT, s VARCHAR(5)) ENGINE=InnoDB;
SELECT 'hello' 'monty';
SELECT 'a' 'b' 'c' AS abc, 'x' 'y';
SELECT null, NULL, -1, 1+1, 1 +  1, 'a''b', TRUE, FALSE;
SELECT 1.0e0, x'41', 0x42, N'n';
SELECT UPPER('a'), CONCAT('a', 'b') FROM dg;
INSERT INTO dg VALUES (1, 1.2345, 1, 'a');
SHOW WARNINGS;
SELECT @@warning_count AS wc;
SELECT d FROM dg WHERE id = 1;
INSERT INTO dg VALUES (2, 2.005, 2, 'b'), (3, 3.1, 3, 'c'), (4, 4.999, 4, 'd');
SHOW WARNINGS;
SELECT id, d FROM dg ORDER BY id;
UPDATE dg SET d = d + 0.001 WHERE id = 3;
SHOW WARNINGS;
INSERT IGNORE INTO dg VALUES (5, 1000, 5, 'e');
SHOW WARNINGS;
INSERT IGNORE INTO dg VALUES (6, 1, '7x', 'f');
SHOW WARNINGS;
SELECT n FROM dg WHERE id = 6;
SELECT 1 && 1 AS r;
SHOW WARNINGS;
SELECT SQL_CALC_FOUND_ROWS id FROM dg ORDER BY id LIMIT 1;
SELECT FOUND_ROWS() AS n;
INSERT INTO dg VALUES (1, 1, 1, 'a') ON DUPLICATE KEY UPDATE n = VALUES(n) + 10;
SELECT n FROM dg WHERE id = 1;
CREATE TABLE dg2 (a INT(11), b FLOAT(7,3), c DECIMAL(5,2) UNSIGNED, z INT ZEROFILL) ENGINE=InnoDB;
SHOW WARNINGS;
SELECT 1 AS x;
SHOW WARNINGS;
DROP TABLE dg, dg2;
SELECT SQL_CACHE 1 AS r;
