-- WITH ROLLUP super-aggregate rows (NULLs from the data next to NULLs made by ROLLUP), DEFAULT(col)
-- in expressions (CORE-FN-041), and strings made of numbers taking collation_connection
-- (CORE-FN-044). MariaDB 10.11 has no GROUPING() (1305), so GROUPING itself is covered by
-- test/wire/functions-grouping.test.ts; only behaviour MySQL 8.0 and MariaDB 10.11 share is here.
CREATE TABLE grp_t (a INT, b INT, c INT) ENGINE=InnoDB;
INSERT INTO grp_t VALUES (1,1,10),(1,2,20),(2,1,30),(NULL,NULL,40);
SELECT a, b, SUM(c) AS s, COUNT(*) AS n FROM grp_t GROUP BY a, b WITH ROLLUP;
SELECT a, SUM(c) AS s FROM grp_t GROUP BY a WITH ROLLUP;
SELECT a, SUM(c) AS s FROM grp_t GROUP BY a WITH ROLLUP HAVING s > 30;
SELECT a + 1 AS p, MAX(c) AS m FROM grp_t GROUP BY a + 1 WITH ROLLUP;
CREATE TABLE grp_d (id INT AUTO_INCREMENT PRIMARY KEY, n INT NOT NULL, x INT, k INT DEFAULT 5, m DECIMAL(5,2) DEFAULT 1, s VARCHAR(10) DEFAULT 'hi') ENGINE=InnoDB;
INSERT INTO grp_d (n, k) VALUES (1, 7), (2, 8);
SELECT id, DEFAULT(x) AS dx, DEFAULT(k) AS dk, DEFAULT(m) AS dm, DEFAULT(s) AS ds, DEFAULT(grp_d.k) AS dq, DEFAULT(id) AS di FROM grp_d ORDER BY id;
SELECT id, DEFAULT(k) + 1 AS dk1 FROM grp_d WHERE DEFAULT(k) < k ORDER BY id;
SELECT DEFAULT(n) FROM grp_d;
SELECT DEFAULT(nope) FROM grp_d;
UPDATE grp_d SET x = DEFAULT(k) * 10 + id;
SELECT id, x FROM grp_d ORDER BY id;
CREATE TABLE grp_e (n INT NOT NULL) ENGINE=InnoDB;
SELECT DEFAULT(n) FROM grp_e;
SET NAMES latin1;
SELECT COLLATION(CONCAT(1,2)) AS c1, COERCIBILITY(CONCAT(1,2)) AS c2, COLLATION(CONCAT(1,'a')) AS c3, COLLATION(LPAD(1,3,0)) AS c4, COLLATION(HEX(255)) AS c5, COLLATION(1) AS c6;
SET NAMES utf8mb4 COLLATE utf8mb4_bin;
SELECT COLLATION(CONCAT(1,2)) AS c1, COERCIBILITY(CONCAT(1.5,2)) AS c2, COLLATION(CONCAT(2e0)) AS c3;
SET NAMES utf8mb4;
DROP TABLE grp_t, grp_d, grp_e;
