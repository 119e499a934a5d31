import { describe, expect, it } from 'vitest';
import { req } from '../../helpers/req.js';
import { parseOne } from '../../../src/sql/parser/index.js';
import type { Statement } from '../../../src/sql/ast.js';

/** One sample per statement kind of the AST. */
const SAMPLES: Record<Statement['kind'], string> = {
  select: 'SELECT 1',
  insert: 'INSERT INTO t VALUES (1)',
  update: 'UPDATE t SET a = 1',
  delete: 'DELETE FROM t',
  load_data: "LOAD DATA INFILE 'f' INTO TABLE t",
  create_table: 'CREATE TABLE t (a INT)',
  alter_table: 'ALTER TABLE t ADD b INT',
  drop_table: 'DROP TABLE t',
  rename_table: 'RENAME TABLE a TO b',
  truncate: 'TRUNCATE t',
  create_index: 'CREATE INDEX i ON t (a)',
  drop_index: 'DROP INDEX i ON t',
  create_database: 'CREATE DATABASE d',
  alter_database: 'ALTER DATABASE d CHARSET latin1',
  drop_database: 'DROP DATABASE d',
  create_view: 'CREATE VIEW v AS SELECT 1',
  drop_view: 'DROP VIEW v',
  create_event: 'CREATE EVENT e ON SCHEDULE EVERY 1 DAY DO SELECT 1',
  alter_event: 'ALTER EVENT e DISABLE',
  drop_event: 'DROP EVENT e',
  create_server: "CREATE SERVER s FOREIGN DATA WRAPPER mysql OPTIONS (HOST 'h', PORT 3306)",
  alter_server: "ALTER SERVER s OPTIONS (USER 'u')",
  drop_server: 'DROP SERVER IF EXISTS s',
  start_transaction: 'START TRANSACTION',
  commit: 'COMMIT',
  rollback: 'ROLLBACK',
  savepoint: 'SAVEPOINT s',
  release_savepoint: 'RELEASE SAVEPOINT s',
  set_transaction: 'SET TRANSACTION READ ONLY',
  xa: "XA START 'x'",
  lock_tables: 'LOCK TABLES t READ',
  unlock_tables: 'UNLOCK TABLES',
  flush: 'FLUSH PRIVILEGES',
  set: 'SET @a = 1',
  set_names: 'SET NAMES utf8mb4',
  set_password: "SET PASSWORD = 'x'",
  set_role: 'SET ROLE NONE',
  set_default_role: 'SET DEFAULT ROLE NONE TO u',
  use: 'USE d',
  show: 'SHOW TABLES',
  describe: 'DESCRIBE t',
  explain: 'EXPLAIN SELECT 1',
  kill: 'KILL 1',
  shutdown: 'SHUTDOWN',
  do: 'DO 1',
  prepare: "PREPARE s FROM 'SELECT 1'",
  execute: 'EXECUTE s',
  deallocate: 'DEALLOCATE PREPARE s',
  table_maintenance: 'CHECK TABLE t',
  create_user: 'CREATE USER u',
  alter_user: 'ALTER USER u ACCOUNT LOCK',
  drop_user: 'DROP USER u',
  rename_user: 'RENAME USER u TO v',
  create_role: 'CREATE ROLE r',
  drop_role: 'DROP ROLE r',
  grant: 'GRANT SELECT ON *.* TO u',
  grant_role: 'GRANT r TO u',
  revoke: 'REVOKE SELECT ON *.* FROM u',
  revoke_role: 'REVOKE r FROM u',
  install_plugin: "INSTALL PLUGIN p SONAME 'p.so'",
  uninstall_plugin: 'UNINSTALL PLUGIN p',
  other: 'START REPLICA',
  empty: '/* only a comment */',
  create_routine: 'CREATE PROCEDURE p(IN a INT) BEGIN SELECT a; END',
  alter_routine: "ALTER PROCEDURE p COMMENT 'c'",
  drop_routine: 'DROP FUNCTION IF EXISTS f',
  call: 'CALL p(1, @x)',
  compound: "SIGNAL SQLSTATE '45000'",
  create_trigger: 'CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW SET NEW.a = 1',
  drop_trigger: 'DROP TRIGGER tr',
};

describe('AST coverage', () => {
  it(req('CORE-SQL-001', 'unit', 'every statement kind of the AST is produced by the parser'), () => {
    for (const [kind, text] of Object.entries(SAMPLES)) {
      const s = parseOne(text);
      expect([kind, s.kind]).toEqual([kind, kind]);
      expect(s.text).toBe(text);
      expect(s.paramCount).toBe(0);
    }
  });
});
