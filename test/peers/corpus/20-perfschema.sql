-- performance_schema as clients and monitoring tools probe it (structure, refusals and the
-- statements that touch it without depending on what was recorded: MariaDB 10.11 runs with
-- performance_schema=OFF, so its tables are empty there).
SELECT COLUMN_NAME AS c FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = 'performance_schema' AND TABLE_NAME = 'session_status' ORDER BY ORDINAL_POSITION;
SELECT COLUMN_NAME AS c FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = 'performance_schema' AND TABLE_NAME = 'setup_actors' ORDER BY ORDINAL_POSITION;
SELECT COLUMN_NAME AS c FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = 'performance_schema' AND TABLE_NAME = 'setup_consumers' ORDER BY ORDINAL_POSITION;
SELECT COLUMN_NAME AS c FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = 'performance_schema' AND TABLE_NAME = 'users' ORDER BY ORDINAL_POSITION LIMIT 3;
SELECT TABLE_NAME AS t, ENGINE AS e FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'performance_schema' AND TABLE_NAME IN ('session_status', 'setup_actors', 'events_statements_history', 'threads') ORDER BY TABLE_NAME;
SELECT * FROM performance_schema.no_such_table;
UPDATE performance_schema.global_status SET VARIABLE_VALUE = '1';
TRUNCATE TABLE performance_schema.events_statements_summary_by_digest;
TRUNCATE TABLE performance_schema.events_statements_history;
SELECT @@performance_schema AS p;
SELECT STATEMENT_DIGEST_TEXT('SELECT a FROM t WHERE b = 1') AS d;
INSERT INTO performance_schema.global_status VALUES ('a', 'b');
DELETE FROM performance_schema.setup_consumers;
