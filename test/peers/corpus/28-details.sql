-- Smaller points (CORE-DET-*) and user-level locks in one session (CORE-LOCK-012): ANALYZE and
-- SHOW INDEX on MEMORY, the AUTO_INCREMENT counter after an UPDATE, _rowid, YEAR 0, ENUM/SET
-- members with trailing spaces, variables of MySQL 8.0.40 that MariaDB 10.11 has too. The grant
-- tables are not here: MariaDB's mysql.user is a view over mysql.global_priv.
CREATE TABLE det_m (a INT PRIMARY KEY, b INT, KEY (b)) ENGINE=MEMORY;
INSERT INTO det_m VALUES (1, 1), (2, 1), (3, 2);
ANALYZE TABLE det_m;
-- columns: Key_name, Column_name, Cardinality, Index_type
SHOW INDEX FROM det_m;
CREATE TABLE det_ai (id INT AUTO_INCREMENT PRIMARY KEY, v INT) ENGINE=InnoDB;
INSERT INTO det_ai (v) VALUES (1);
UPDATE det_ai SET id = 10 WHERE v = 1;
INSERT INTO det_ai (v) VALUES (2);
SELECT id, v FROM det_ai ORDER BY id;
CREATE TABLE det_r (id INT PRIMARY KEY, v INT) ENGINE=InnoDB;
INSERT INTO det_r VALUES (1, 10), (2, 20);
SELECT _rowid, v FROM det_r ORDER BY _rowid;
SELECT v FROM det_r WHERE _rowid = 2;
CREATE TABLE det_rn (a INT, b INT, PRIMARY KEY (a, b)) ENGINE=InnoDB;
SELECT _rowid FROM det_rn;
CREATE TABLE det_y (y YEAR) ENGINE=InnoDB;
INSERT INTO det_y VALUES (0), (1999), (69);
SELECT y FROM det_y ORDER BY y;
CREATE TABLE det_s (s SET('a ', 'b  ', 'c'), e ENUM('x ', 'y')) ENGINE=InnoDB;
SELECT COLUMN_NAME, COLUMN_TYPE FROM information_schema.COLUMNS WHERE TABLE_NAME = 'det_s' ORDER BY ORDINAL_POSITION;
INSERT INTO det_s VALUES ('a,b', 'x');
SELECT s, e, LENGTH(s), s + 0 FROM det_s;
SELECT @@global.delayed_insert_limit, @@global.delayed_insert_timeout, @@global.delayed_queue_size, @@max_delayed_threads, @@max_insert_delayed_threads;
SELECT @@global.ft_min_word_len, @@global.ft_max_word_len, @@global.ft_query_expansion_limit, @@global.log_bin_trust_function_creators;
SET SESSION delayed_insert_limit = 5;
SET GLOBAL ft_min_word_len = 3;
SELECT IS_FREE_LOCK('det_lock'), IS_USED_LOCK('det_lock'), RELEASE_LOCK('det_lock');
SELECT GET_LOCK('det_lock', 0), GET_LOCK('det_lock', 0), IS_FREE_LOCK('det_lock');
SELECT RELEASE_LOCK('det_lock'), RELEASE_LOCK('det_lock'), RELEASE_LOCK('det_lock');
SELECT GET_LOCK('det_a', 0), GET_LOCK('det_b', 0), RELEASE_ALL_LOCKS();
SELECT RELEASE_ALL_LOCKS();
CREATE TABLE det_mk (a INT, b INT, c INT, d INT, e INT, PRIMARY KEY (a, e), KEY (b), KEY cd (c, d), UNIQUE KEY ue USING BTREE (e), KEY bt USING BTREE (b)) ENGINE=MEMORY;
INSERT INTO det_mk VALUES (1, 1, 1, 1, 1), (2, 1, 1, 1, 2), (3, 2, 1, 2, 3);
-- columns: Key_name, Column_name, Cardinality, Index_type
SHOW INDEX FROM det_mk;
DROP TABLE det_m, det_mk, det_ai, det_r, det_rn, det_y, det_s;
