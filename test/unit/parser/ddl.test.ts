import { describe, expect, it } from 'vitest';
import { req } from '../../helpers/req.js';
import { parseOne } from '../../../src/sql/parser/index.js';
import type { ColumnDefinition } from '../../../src/sql/ast.js';
import { expectSyntaxError, stmt } from './helpers.js';

function col(def: string, opts?: { sqlMode?: ReadonlySet<string> }): ColumnDefinition {
  const s = stmt(`CREATE TABLE t (${def})`, 'create_table', opts);
  return s.columns[0] as ColumnDefinition;
}

describe('CREATE TABLE', () => {
  it(req('CORE-SQL-020', 'unit', 'integer types, width, UNSIGNED / ZEROFILL and aliases'), () => {
    expect(col('a INTEGER(11) UNSIGNED').dataType).toEqual({ name: 'INT', length: 11, unsigned: true });
    expect(col('a TINYINT ZEROFILL').dataType).toEqual({ name: 'TINYINT', zerofill: true, unsigned: true });
    expect(col('a BOOL').dataType).toEqual({ name: 'TINYINT', length: 1 });
    expect(col('a BOOLEAN').dataType).toEqual({ name: 'TINYINT', length: 1 });
    expect(col('a MIDDLEINT').dataType).toEqual({ name: 'MEDIUMINT' });
    expect(col('a INT8 SIGNED').dataType).toEqual({ name: 'BIGINT' });
    expect(col('a SERIAL')).toMatchObject({ dataType: { name: 'BIGINT', unsigned: true }, notNull: true, autoIncrement: true, unique: true });
    expect(col('a INT SERIAL DEFAULT VALUE')).toMatchObject({ notNull: true, autoIncrement: true, unique: true });
  });

  it(req('CORE-SQL-020', 'unit', 'fixed and floating point types with their aliases'), () => {
    expect(col('a NUMERIC(10,2)').dataType).toEqual({ name: 'DECIMAL', length: 10, scale: 2 });
    expect(col('a DEC').dataType).toEqual({ name: 'DECIMAL' });
    expect(col('a FIXED(5)').dataType).toEqual({ name: 'DECIMAL', length: 5 });
    expect(col('a REAL').dataType).toEqual({ name: 'DOUBLE' });
    expect(col('a REAL', { sqlMode: new Set(['REAL_AS_FLOAT']) }).dataType).toEqual({ name: 'FLOAT' });
    expect(col('a DOUBLE PRECISION(8,3)').dataType).toEqual({ name: 'DOUBLE', length: 8, scale: 3 });
    expect(col('a FLOAT(7,2) UNSIGNED').dataType).toEqual({ name: 'FLOAT', length: 7, scale: 2, unsigned: true });
    expect(col('a FLOAT(24)').dataType).toEqual({ name: 'FLOAT' });
    expect(col('a FLOAT(25)').dataType).toEqual({ name: 'DOUBLE' });
    expect(col('a FLOAT8').dataType).toEqual({ name: 'DOUBLE' });
    expect(col('a BIT(3)').dataType).toEqual({ name: 'BIT', length: 3 });
  });

  it(req('CORE-SQL-020', 'unit', 'string types, national and varying spellings, charset / collation'), () => {
    expect(col('a CHARACTER(3)').dataType).toEqual({ name: 'CHAR', length: 3 });
    expect(col('a NCHAR(3)').dataType).toEqual({ name: 'CHAR', length: 3, charset: 'utf8mb3' });
    expect(col('a NATIONAL CHARACTER(3)').dataType).toEqual({ name: 'CHAR', length: 3, charset: 'utf8mb3' });
    expect(col('a CHAR VARYING(9)').dataType).toEqual({ name: 'VARCHAR', length: 9 });
    expect(col('a NATIONAL VARCHAR(9)').dataType).toEqual({ name: 'VARCHAR', length: 9, charset: 'utf8mb3' });
    expect(col('a NVARCHAR(9)').dataType).toEqual({ name: 'VARCHAR', length: 9, charset: 'utf8mb3' });
    expect(col('a LONG VARCHAR').dataType).toEqual({ name: 'MEDIUMTEXT' });
    expect(col('a LONG').dataType).toEqual({ name: 'MEDIUMTEXT' });
    expect(col('a VARCHAR(10) CHARACTER SET latin1 COLLATE latin1_bin')).toMatchObject({
      dataType: { name: 'VARCHAR', length: 10, charset: 'latin1', collation: 'latin1_bin' }, charset: 'latin1', collation: 'latin1_bin',
    });
    expect(col('a TEXT CHARSET utf8mb4').dataType).toEqual({ name: 'TEXT', charset: 'utf8mb4' });
    expect(col('a VARBINARY(4)').dataType).toEqual({ name: 'VARBINARY', length: 4 });
    expect(col('a BLOB(100)').dataType).toEqual({ name: 'BLOB', length: 100 });
    expect(col("a ENUM('x', 'y''z')").dataType).toEqual({ name: 'ENUM', values: ['x', "y'z"] });
    expect(col("a SET('p','q')").dataType).toEqual({ name: 'SET', values: ['p', 'q'] });
    expectSyntaxError(() => parseOne('CREATE TABLE t (a VARCHAR)'), ')');
  });

  it(req('CORE-SQL-020', 'unit', 'temporal, JSON and spatial types'), () => {
    expect(col('a DATETIME(6)').dataType).toEqual({ name: 'DATETIME', scale: 6 });
    expect(col('a TIME').dataType).toEqual({ name: 'TIME' });
    expect(col('a YEAR(4)').dataType).toEqual({ name: 'YEAR', length: 4 });
    expect(col('a JSON').dataType).toEqual({ name: 'JSON' });
    expect(col('a POINT NOT NULL SRID 4326')).toMatchObject({ dataType: { name: 'GEOMETRY', srid: 4326 }, srid: 4326, notNull: true });
  });

  it(req('CORE-SQL-027', 'unit', 'column attributes: NULL, DEFAULT forms, ON UPDATE, AUTO_INCREMENT, keys, COMMENT'), () => {
    expect(col('a INT NOT NULL DEFAULT -1 AUTO_INCREMENT PRIMARY KEY COMMENT \'c\'')).toEqual({
      name: 'a', dataType: { name: 'INT' }, notNull: true, default: { type: 'literal', kind: 'int', value: '-1' }, autoIncrement: true, primaryKey: true, comment: 'c',
    });
    expect(col('a INT NULL UNIQUE KEY')).toMatchObject({ notNull: false, unique: true });
    expect(col('a INT KEY')).toMatchObject({ primaryKey: true });
    expect(col('a TIMESTAMP(3) DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3)')).toMatchObject({
      default: { type: 'func', name: 'CURRENT_TIMESTAMP', args: [{ value: '3' }] }, onUpdateNow: { fsp: 3 },
    });
    expect(col('a DATETIME DEFAULT NOW() ON UPDATE LOCALTIMESTAMP')).toMatchObject({ default: { name: 'CURRENT_TIMESTAMP', args: [] }, onUpdateNow: {} });
    expect(col("a VARCHAR(3) DEFAULT 'x'").default).toEqual({ type: 'literal', kind: 'string', value: 'x' });
    expect(col('a INT DEFAULT NULL').default).toEqual({ type: 'literal', kind: 'null', value: null });
    expect(col("a BIT(1) DEFAULT b'1'").default).toMatchObject({ kind: 'bit' });
    expect(col('a INT DEFAULT (1 + 2)')).toMatchObject({ default: { op: '+' }, defaultIsExpr: true, defaultText: '1 + 2' });
    expect(col('a INT INVISIBLE COLUMN_FORMAT FIXED STORAGE MEMORY')).toMatchObject({ invisible: true, columnFormat: 'FIXED', storage: 'MEMORY' });
    expect(col('a INT REFERENCES p (id) ON DELETE SET NULL').references).toEqual({ table: { name: 'p' }, columns: ['id'], onDelete: 'SET NULL' });
    expect(col('a INT CHECK (a > 0)').check).toMatchObject({ op: '>' });
    expectSyntaxError(() => parseOne('CREATE TABLE t (a INT DEFAULT 1 + 2)'), '+ 2)');
  });

  it(req('CORE-SQL-027', 'unit', 'generated columns keep their expression text'), () => {
    expect(col('b INT GENERATED ALWAYS AS (a * 2) STORED').generated).toEqual({
      expr: { type: 'binary', op: '*', left: { type: 'column', name: 'a' }, right: { type: 'literal', kind: 'int', value: '2' } }, stored: true, text: 'a * 2',
    });
    expect(col("c VARCHAR(9) AS (CONCAT(a, 'x')) VIRTUAL NOT NULL")).toMatchObject({ generated: { stored: false, text: "CONCAT(a, 'x')" }, notNull: true });
  });

  it(req('CORE-SQL-026', 'unit', 'table constraints: PRIMARY, UNIQUE, INDEX, FULLTEXT, SPATIAL, FOREIGN KEY, CHECK'), () => {
    const s = stmt(
      'CREATE TABLE t (a INT, b TEXT, g GEOMETRY NOT NULL, PRIMARY KEY USING HASH (a), UNIQUE KEY uk (a, b(10)) USING BTREE COMMENT \'u\', ' +
        'INDEX (b(5) DESC), KEY k2 ((a + 1)), FULLTEXT ft (b) WITH PARSER ngram, SPATIAL INDEX (g), ' +
        'CONSTRAINT fk FOREIGN KEY (a) REFERENCES p (id) ON DELETE CASCADE ON UPDATE NO ACTION, CONSTRAINT c1 CHECK (a > 0) NOT ENFORCED, CHECK (a < 9))',
      'create_table',
    );
    expect(s.indexes).toEqual([
      { kind: 'PRIMARY', columns: [{ column: 'a' }], using: 'HASH' },
      { kind: 'UNIQUE', name: 'uk', columns: [{ column: 'a' }, { column: 'b', length: 10 }], using: 'BTREE', comment: 'u' },
      { kind: 'INDEX', columns: [{ column: 'b', length: 5, desc: true }] },
      { kind: 'INDEX', name: 'k2', columns: [{ expr: { type: 'binary', op: '+', left: { type: 'column', name: 'a' }, right: { type: 'literal', kind: 'int', value: '1' } } }] },
      { kind: 'FULLTEXT', name: 'ft', columns: [{ column: 'b' }], parser: 'ngram' },
      { kind: 'SPATIAL', columns: [{ column: 'g' }] },
    ]);
    expect(s.foreignKeys).toEqual([{ name: 'fk', columns: ['a'], references: { table: { name: 'p' }, columns: ['id'], onDelete: 'CASCADE', onUpdate: 'NO ACTION' } }]);
    expect(s.checks.map((c) => [c.name, c.text, c.enforced])).toEqual([['c1', 'a > 0', false], [undefined, 'a < 9', true]]);
    expect(stmt('CREATE TABLE t (a INT, CONSTRAINT pk PRIMARY KEY (a))', 'create_table').indexes[0]).toMatchObject({ kind: 'PRIMARY' });
  });

  it(req('CORE-SQL-028', 'unit', 'table options with and without = and commas'), () => {
    const s = stmt(
      "CREATE TABLE IF NOT EXISTS db.t (a INT) ENGINE=InnoDB AUTO_INCREMENT=5 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci COMMENT='it''s', MAX_ROWS 10 ROW_FORMAT=DYNAMIC",
      'create_table',
    );
    expect(s.ifNotExists).toBe(true);
    expect(s.table).toEqual({ schema: 'db', name: 't' });
    expect(s.options).toEqual({ ENGINE: 'InnoDB', AUTO_INCREMENT: '5', CHARSET: 'utf8mb4', COLLATE: 'utf8mb4_0900_ai_ci', COMMENT: "it's", MAX_ROWS: '10', ROW_FORMAT: 'DYNAMIC' });
    expect(stmt('CREATE TABLE t (a INT) TYPE=MEMORY CHARACTER SET = latin1 UNION=(a, b.c) INSERT_METHOD=LAST CONNECTION=\'x\'', 'create_table').options).toEqual({
      ENGINE: 'MEMORY', CHARSET: 'latin1', UNION: 'a,b.c', INSERT_METHOD: 'LAST', CONNECTION: 'x',
    });
  });

  it(req('CORE-SQL-025', 'unit', 'CREATE TEMPORARY, LIKE, AS SELECT, PARTITION BY text'), () => {
    expect(stmt('CREATE TEMPORARY TABLE t LIKE s', 'create_table')).toMatchObject({ temporary: true, like: { name: 's' } });
    expect(stmt('CREATE TABLE t (LIKE db.s)', 'create_table').like).toEqual({ schema: 'db', name: 's' });
    const a = stmt('CREATE TABLE t (x INT) ENGINE=MEMORY IGNORE AS SELECT 1 AS x', 'create_table');
    expect(a).toMatchObject({ duplicateHandling: 'IGNORE', options: { ENGINE: 'MEMORY' }, select: { kind: 'select' } });
    expect(stmt('CREATE TABLE t SELECT 1', 'create_table').select).toBeDefined();
    expect(stmt('CREATE TABLE t (a INT) PARTITION BY HASH(a) PARTITIONS 4', 'create_table').partitionBy).toBe('PARTITION BY HASH(a) PARTITIONS 4');
  });
});

describe('other DDL', () => {
  it(req('CORE-SQL-028', 'unit', 'ALTER TABLE actions, comma-separated'), () => {
    const s = stmt(
      'ALTER TABLE t ADD COLUMN c INT NOT NULL AFTER b, ADD d INT FIRST, ADD (e INT, f INT), DROP COLUMN g, DROP h, MODIFY i BIGINT, ' +
        'CHANGE j k INT, RENAME COLUMN l TO m, ALTER n SET DEFAULT 5, ALTER COLUMN o DROP DEFAULT, ALTER p SET INVISIBLE, ' +
        'ADD INDEX ix (a), ADD UNIQUE (b), ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES p (id), ADD CHECK (a > 0), DROP INDEX ix, DROP KEY k, ' +
        'DROP PRIMARY KEY, DROP FOREIGN KEY fk, DROP CHECK ck, DROP CONSTRAINT cc, RENAME INDEX a TO b, ALTER INDEX ix INVISIBLE, ' +
        'RENAME TO db.t2, ENGINE = MEMORY, CONVERT TO CHARACTER SET utf8mb4 COLLATE utf8mb4_bin, DISABLE KEYS, ENABLE KEYS, FORCE, ' +
        'ALGORITHM = INPLACE, LOCK = NONE, AUTO_INCREMENT = 10, ORDER BY a',
      'alter_table',
    );
    expect(s.actions.map((a) => a.action)).toEqual([
      'add_column', 'add_column', 'add_columns', 'drop_column', 'drop_column', 'modify_column', 'change_column', 'rename_column',
      'alter_column_default', 'alter_column_default', 'alter_column_visibility', 'add_index', 'add_index', 'add_foreign_key', 'add_check',
      'drop_index', 'drop_index', 'drop_primary_key', 'drop_foreign_key', 'drop_check', 'drop_constraint', 'rename_index',
      'alter_index_visibility', 'rename_table', 'table_options', 'convert_charset', 'disable_keys', 'enable_keys', 'force',
      'algorithm', 'lock', 'table_options', 'order_by',
    ]);
    expect(s.actions[0]).toMatchObject({ after: 'b', column: { name: 'c', notNull: true } });
    expect(s.actions[1]).toMatchObject({ first: true });
    expect(s.actions[6]).toMatchObject({ oldName: 'j', column: { name: 'k' } });
    expect(s.actions[8]).toEqual({ action: 'alter_column_default', name: 'n', default: { type: 'literal', kind: 'int', value: '5' } });
    expect(s.actions[9]).toEqual({ action: 'alter_column_default', name: 'o', drop: true });
    expect(s.actions[25]).toEqual({ action: 'convert_charset', charset: 'utf8mb4', collation: 'utf8mb4_bin' });
    expect(s.actions[29]).toEqual({ action: 'algorithm', value: 'INPLACE' });
    expect(stmt('ALTER TABLE t ENGINE=MEMORY AUTO_INCREMENT=5', 'alter_table').actions).toEqual([{ action: 'table_options', options: { ENGINE: 'MEMORY', AUTO_INCREMENT: '5' } }]);
    expect(stmt('ALTER TABLE t', 'alter_table').actions).toEqual([]);
    expect(stmt('ALTER TABLE t DROP PARTITION p1', 'alter_table').actions).toEqual([{ action: 'partition', text: 'DROP PARTITION p1' }]);
  });

  it(req('CORE-SQL-025', 'unit', 'DROP TABLE, RENAME TABLE, TRUNCATE'), () => {
    expect(stmt('DROP TEMPORARY TABLE IF EXISTS a, db.b', 'drop_table')).toMatchObject({ temporary: true, ifExists: true, tables: [{ name: 'a' }, { schema: 'db', name: 'b' }] });
    expect(stmt('DROP TABLES a CASCADE', 'drop_table')).toMatchObject({ ifExists: false, tables: [{ name: 'a' }] });
    expect(stmt('RENAME TABLE a TO b, db.c TO d', 'rename_table').pairs).toEqual([{ from: { name: 'a' }, to: { name: 'b' } }, { from: { schema: 'db', name: 'c' }, to: { name: 'd' } }]);
    expect(stmt('TRUNCATE TABLE t', 'truncate').table).toEqual({ name: 't' });
    expect(stmt('TRUNCATE t', 'truncate').table).toEqual({ name: 't' });
  });

  it(req('CORE-SQL-026', 'unit', 'CREATE INDEX and DROP INDEX'), () => {
    expect(stmt('CREATE UNIQUE INDEX ix USING HASH ON t (a, b DESC) COMMENT \'c\' ALGORITHM = COPY', 'create_index')).toEqual(
      expect.objectContaining({ table: { name: 't' }, index: { kind: 'UNIQUE', name: 'ix', using: 'HASH', columns: [{ column: 'a' }, { column: 'b', desc: true }], comment: 'c' } }),
    );
    expect(stmt('CREATE FULLTEXT INDEX f ON t (b)', 'create_index').index.kind).toBe('FULLTEXT');
    expect(stmt('DROP INDEX `PRIMARY` ON t', 'drop_index')).toMatchObject({ name: 'PRIMARY', table: { name: 't' } });
    expect(stmt('DROP INDEX ix ON db.t LOCK = NONE', 'drop_index')).toMatchObject({ name: 'ix', table: { schema: 'db', name: 't' } });
  });

  it(req('CORE-SQL-029', 'unit', 'CREATE / ALTER / DROP DATABASE and SCHEMA'), () => {
    expect(stmt('CREATE DATABASE IF NOT EXISTS d DEFAULT CHARACTER SET = utf8mb4 COLLATE utf8mb4_bin', 'create_database')).toMatchObject({
      ifNotExists: true, name: 'd', charset: 'utf8mb4', collation: 'utf8mb4_bin',
    });
    expect(stmt('CREATE SCHEMA s CHARSET latin1', 'create_database')).toMatchObject({ name: 's', charset: 'latin1' });
    expect(stmt('ALTER DATABASE d CHARACTER SET utf8mb4', 'alter_database')).toMatchObject({ name: 'd', charset: 'utf8mb4' });
    expect(stmt('ALTER SCHEMA COLLATE utf8mb4_bin', 'alter_database')).toEqual({ kind: 'alter_database', collation: 'utf8mb4_bin', text: 'ALTER SCHEMA COLLATE utf8mb4_bin', paramCount: 0 });
    expect(stmt('DROP SCHEMA IF EXISTS d', 'drop_database')).toMatchObject({ ifExists: true, name: 'd' });
  });

  it(req('CORE-SQL-030', 'unit', 'CREATE VIEW with options and DROP VIEW'), () => {
    const v = stmt("CREATE OR REPLACE ALGORITHM=MERGE DEFINER='root'@'localhost' SQL SECURITY INVOKER VIEW v (a) AS SELECT 1 WITH LOCAL CHECK OPTION", 'create_view');
    expect(v).toMatchObject({ orReplace: true, algorithm: 'MERGE', definer: { user: 'root', host: 'localhost' }, security: 'INVOKER', columns: ['a'], queryText: 'SELECT 1', checkOption: 'LOCAL' });
    expect(stmt('CREATE VIEW db.v AS SELECT * FROM t', 'create_view')).toMatchObject({ name: { schema: 'db', name: 'v' }, orReplace: false });
    expect(stmt('DROP VIEW IF EXISTS v1, v2', 'drop_view')).toMatchObject({ ifExists: true, names: [{ name: 'v1' }, { name: 'v2' }] });
  });

  it(req('CORE-SQL-039', 'unit', 'stored programs have statements of their own, not OtherStatement'), () => {
    // Procedures, functions (CORE-SP-001), events (CORE-EVT-001) and triggers (CORE-TRG-001) have their own grammar.
    expect(stmt('CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW BEGIN SET @a = 1; END', 'create_trigger')).toBeDefined();
    expect(stmt('DROP TRIGGER IF EXISTS tr', 'drop_trigger')).toBeDefined();
    expect(stmt('CREATE PROCEDURE p() BEGIN SELECT 1; END', 'create_routine')).toBeDefined();
    expect(stmt('CREATE EVENT e ON SCHEDULE EVERY 1 DAY DO BEGIN SELECT 1; END', 'create_event')).toBeDefined();
  });
});

describe('expression defaults in ALTER', () => {
  it(req('CORE-SQL-028', 'unit', 'ALTER COLUMN SET DEFAULT (expr) keeps the expression text'), () => {
    expect(stmt('ALTER TABLE t ALTER COLUMN a SET DEFAULT (RAND() * 2)', 'alter_table').actions[0]).toMatchObject({
      action: 'alter_column_default', name: 'a', defaultIsExpr: true, defaultText: 'RAND() * 2', default: { op: '*' },
    });
  });
});
