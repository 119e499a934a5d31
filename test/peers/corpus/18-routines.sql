-- Stored procedures and functions (CORE-SP-*): CREATE / CALL / DROP, IN / OUT / INOUT,
-- local variables, flow control, handlers, cursors, SIGNAL, stored functions in expressions,
-- and the errors both servers give. Bodies use `-- delimiter //`; CALLs here return no result
-- sets (the runner compares one result per statement), results are read with SELECT.
CREATE TABLE sp_t (id INT NOT NULL PRIMARY KEY, v INT) ENGINE=InnoDB;
INSERT INTO sp_t VALUES (1, 10), (2, 20), (3, 30);
-- delimiter //
CREATE PROCEDURE sp_sum(IN lim INT, OUT total INT)
BEGIN
  DECLARE s INT DEFAULT 0;
  SELECT SUM(v) INTO s FROM sp_t WHERE id <= lim;
  SET total = s;
END//
-- delimiter ;
CALL sp_sum(2, @t);
SELECT @t;
SET @io = 5;
-- delimiter //
CREATE PROCEDURE sp_double(INOUT x INT)
BEGIN
  SET x = x * 2;
END//
-- delimiter ;
CALL sp_double(@io);
CALL sp_double(@io);
SELECT @io;
-- delimiter //
CREATE PROCEDURE sp_loop(IN n INT, OUT r VARCHAR(100))
BEGIN
  DECLARE i INT DEFAULT 0;
  SET r = '';
  lbl: LOOP
    SET i = i + 1;
    IF i > n THEN
      LEAVE lbl;
    ELSEIF MOD(i, 2) = 0 THEN
      ITERATE lbl;
    END IF;
    SET r = CONCAT(r, i, ',');
  END LOOP lbl;
END//
-- delimiter ;
CALL sp_loop(7, @r);
SELECT @r;
-- delimiter //
CREATE PROCEDURE sp_while(OUT r INT)
BEGIN
  DECLARE i INT DEFAULT 0;
  SET r = 0;
  WHILE i < 5 DO
    SET i = i + 1;
    SET r = r + i;
  END WHILE;
  REPEAT
    SET r = r + 100;
  UNTIL r > 300 END REPEAT;
END//
-- delimiter ;
CALL sp_while(@w);
SELECT @w;
-- delimiter //
CREATE PROCEDURE sp_case(IN x INT, OUT r VARCHAR(10))
BEGIN
  CASE x
    WHEN 1 THEN SET r = 'one';
    WHEN 2 THEN SET r = 'two';
    ELSE SET r = 'many';
  END CASE;
END//
-- delimiter ;
CALL sp_case(2, @c);
SELECT @c;
CALL sp_case(9, @c);
SELECT @c;
-- delimiter //
CREATE PROCEDURE sp_nocase(IN x INT)
BEGIN
  CASE WHEN x > 10 THEN SET @nc = 'big'; END CASE;
END//
-- delimiter ;
CALL sp_nocase(1);
-- delimiter //
CREATE PROCEDURE sp_handler(OUT r VARCHAR(20))
BEGIN
  DECLARE CONTINUE HANDLER FOR 1062 SET r = 'dup';
  SET r = 'none';
  INSERT INTO sp_t VALUES (1, 0);
END//
-- delimiter ;
CALL sp_handler(@h);
SELECT @h;
-- delimiter //
CREATE PROCEDURE sp_exit(OUT r INT)
BEGIN
  DECLARE EXIT HANDLER FOR SQLEXCEPTION SET r = -1;
  SET r = 1;
  SELECT * FROM sp_no_such_table;
  SET r = 2;
END//
-- delimiter ;
CALL sp_exit(@e);
SELECT @e;
-- delimiter //
CREATE PROCEDURE sp_cursor(OUT total INT, OUT n INT)
BEGIN
  DECLARE done INT DEFAULT 0;
  DECLARE x INT;
  DECLARE cur CURSOR FOR SELECT v FROM sp_t ORDER BY id;
  DECLARE CONTINUE HANDLER FOR NOT FOUND SET done = 1;
  SET total = 0;
  SET n = 0;
  OPEN cur;
  rd: LOOP
    FETCH cur INTO x;
    IF done = 1 THEN LEAVE rd; END IF;
    SET total = total + x;
    SET n = n + 1;
  END LOOP;
  CLOSE cur;
END//
-- delimiter ;
CALL sp_cursor(@tot, @n);
SELECT @tot, @n;
-- delimiter //
CREATE PROCEDURE sp_signal(IN x INT)
BEGIN
  IF x < 0 THEN
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'negative value', MYSQL_ERRNO = 1644;
  END IF;
  SET @sig = x;
END//
-- delimiter ;
CALL sp_signal(3);
SELECT @sig;
CALL sp_signal(-1);
-- delimiter //
CREATE PROCEDURE sp_diag(OUT st VARCHAR(5), OUT no INT, OUT msg VARCHAR(200))
BEGIN
  DECLARE EXIT HANDLER FOR SQLEXCEPTION
  BEGIN
    GET DIAGNOSTICS CONDITION 1 st = RETURNED_SQLSTATE, no = MYSQL_ERRNO, msg = MESSAGE_TEXT;
  END;
  INSERT INTO sp_t VALUES (2, 0);
END//
-- delimiter ;
CALL sp_diag(@st, @no, @msg);
SELECT @st, @no, @msg;
CREATE FUNCTION sp_f(a INT) RETURNS INT DETERMINISTIC RETURN a * 3 + 1;
SELECT sp_f(2), sp_f(NULL);
SELECT id, sp_f(v) FROM sp_t WHERE sp_f(id) > 4 ORDER BY id;
-- delimiter //
CREATE FUNCTION sp_grade(score INT) RETURNS VARCHAR(10) DETERMINISTIC
BEGIN
  DECLARE g VARCHAR(10);
  IF score >= 90 THEN SET g = 'A';
  ELSEIF score >= 50 THEN SET g = 'B';
  ELSE SET g = 'C';
  END IF;
  RETURN g;
END//
-- delimiter ;
SELECT sp_grade(95), sp_grade(60), sp_grade(1);
CREATE FUNCTION sp_tiny() RETURNS TINYINT DETERMINISTIC RETURN 100;
SELECT sp_tiny();
CALL sp_missing();
SELECT sp_missing_fn(1);
CALL sp_sum(1);
CREATE PROCEDURE sp_sum() SELECT 1;
DROP PROCEDURE sp_missing;
DROP PROCEDURE IF EXISTS sp_missing;
DROP FUNCTION IF EXISTS sp_missing_fn;
CREATE PROCEDURE sp_bad() BEGIN LEAVE nolabel; END;
CREATE PROCEDURE sp_bad2() BEGIN DECLARE a INT; DECLARE a INT; END;
CREATE PROCEDURE sp_bad3() BEGIN DECLARE c CURSOR FOR SELECT 1; DECLARE a INT; END;
CREATE PROCEDURE sp_bad4() RETURN 1;
CREATE FUNCTION sp_bad5() RETURNS INT BEGIN SELECT 1; RETURN 1; END;
CREATE PROCEDURE sp_bad6() BEGIN OPEN nocursor; END;
CREATE PROCEDURE sp_bad7() BEGIN SET undeclared_v = 1; END;
ALTER PROCEDURE sp_sum COMMENT 'sums';
SELECT ROUTINE_NAME, ROUTINE_TYPE, ROUTINE_COMMENT, IS_DETERMINISTIC, SECURITY_TYPE FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = DATABASE() ORDER BY ROUTINE_NAME;
DROP PROCEDURE sp_sum;
DROP PROCEDURE sp_double;
DROP PROCEDURE sp_loop;
DROP PROCEDURE sp_while;
DROP PROCEDURE sp_case;
DROP PROCEDURE sp_nocase;
DROP PROCEDURE sp_handler;
DROP PROCEDURE sp_exit;
DROP PROCEDURE sp_cursor;
DROP PROCEDURE sp_signal;
DROP PROCEDURE sp_diag;
DROP FUNCTION sp_f;
DROP FUNCTION sp_grade;
DROP FUNCTION sp_tiny;
SELECT COUNT(*) FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = DATABASE();
DROP TABLE sp_t;
