-- LOAD DATA and SELECT ... INTO: the statements whose outcome does not depend on where the
-- servers keep their files (errors found before any file is touched, INTO @variables).
CREATE TABLE ld (id INT NOT NULL PRIMARY KEY, name VARCHAR(20), qty INT) ENGINE=InnoDB;
INSERT INTO ld VALUES (1,'a',10),(2,'b',NULL),(3,'c',30);
SELECT id, name INTO @ld_id, @ld_name FROM ld WHERE id = 3;
SELECT @ld_id, @ld_name;
SELECT id INTO @ld_id FROM ld;
SELECT id INTO @ld_id FROM ld WHERE id > 100;
SELECT @ld_id;
SELECT id, name INTO @ld_id FROM ld WHERE id = 1;
SELECT qty INTO @ld_q FROM ld WHERE id = 2;
SELECT @ld_q IS NULL AS q_null;
SELECT COUNT(*), MAX(qty) INTO @ld_n, @ld_m FROM ld;
SELECT @ld_n, @ld_m;
SELECT name INTO @ld_name FROM ld WHERE id = 1 FOR UPDATE;
SELECT @ld_name;
SELECT id INTO @ld_id FROM ld ORDER BY id DESC LIMIT 1;
SELECT @ld_id;
LOAD DATA INFILE 'ld.txt' INTO TABLE ld_missing;
LOAD DATA INFILE 'ld.txt' INTO TABLE ld FIELDS ENCLOSED BY 'ab';
LOAD DATA INFILE 'ld.txt' INTO TABLE ld FIELDS ESCAPED BY 'ab';
LOAD DATA INFILE 'ld.txt' INTO TABLE ld (id, nosuch);
LOAD DATA INFILE 'ld.txt' INTO TABLE ld PARTITION (p0);
LOAD DATA INFILE 'ld.txt' INTO TABLE ld FIELDS TERMINATED BY ',' LINES TERMINATED BY '\n' (id, @v) SET nosuch = @v;
SELECT * FROM ld ORDER BY id;
