#!/usr/bin/env node
/**
 * scripts/mtr-innodb.mjs — MariaDB's mtr `innodb` suite against refmysqld, as a reported peer
 * suite (it never fails the build): starts a refmysqld, runs a selection of the suite's tests that
 * are about behaviour MySQL 8.0 shares (transactions, isolation, locks, AUTO_INCREMENT, DML and
 * DDL on InnoDB tables, old InnoDB bug reproductions), and prints a pass/fail table with the
 * reason of each failure and its group: MariaDB-only syntax or variables, a feature refmysqld
 * lacks, a refmysqld bug, or the harness. spec/peers-mtr-innodb.md records a run and its triage.
 *
 *   npm run peers:mtr-innodb
 *   node scripts/mtr-innodb.mjs [--tests a,b,...] [--timeout S] [--json FILE] [--keep]
 *                               [--server-main PATH] [--list]
 *
 * This file is the suite's configuration (selection, triage, the files replaced in mtr's view);
 * how the tests are run (mtr --extern through the peers lab's mtr-extern-run.sh, refmysqld
 * restarted for .opt files and after failures, the private view of the mtr directory) is
 * scripts/lib/mtr-runner.mjs. Besides the runner's suite.pm patch, the view has an empty
 * `include/have_innodb.inc` (MariaDB's version queries its own
 * information_schema.SYSTEM_VARIABLES to add warning suppressions for sanitizer builds).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-storage-engine.html
 * @spec https://mariadb.com/kb/en/mariadb-test-run-pl-options/
 * @req INNODB-PEER-102
 */
import { basename } from 'node:path';
import { HAVE_INNODB_OVERRIDE, inSuite, runMtrMain } from './lib/mtr-runner.mjs';

export { failureDetail, testOptions } from './lib/mtr-runner.mjs';

/**
 * The selection: tests of the innodb suite about behaviour MySQL 8.0 has too, that do not restart
 * the server, need no debug build, no partitioning, no binary log and no second server. Tests
 * that mtr-extern-run.sh finds restarting the server are reported as skipped by it.
 */
export const SELECTION = [
  // transactions, isolation, locking reads, lock waits and deadlocks
  'innodb-isolation', 'innodb-rollback', 'innodb-xa', 'innodb-timeout', 'innodb_lock_wait_timeout_1',
  'innodb_timeout_rollback', 'innodb-consistent', 'innodb_trx_weight', 'row_lock', 'skip_locked_nowait',
  'snapshot_isolation_race', 'gap_locks', 'implicit_gap_lock_convertion', 'lock_insert_into_empty',
  'deadlock_detect', 'deadlock_in_subqueries_join', 'deadlock_report', 'create_table_insert_skip_locked',
  'xa_prepare_reset_supremum_lock', 'innodb_i_s_innodb_trx', 'innodb_i_s_innodb_locks', 'temp_table_savepoint',
  'innodb_mysql_rbk', 'innodb-semi-consistent', 'innodb_row_lock_time_ms',
  // AUTO_INCREMENT
  'innodb-autoinc-18274', 'innodb-autoinc-56228', 'innodb-autoinc-61209', 'innodb-autoinc-optimize',
  'innodb-alter-autoinc', 'auto_increment_lock_mode', 'innodb_autoinc_lock_mode_zero',
  // DML
  'innodb-replace', 'innodb-update-insert', 'innodb-on-duplicate-update', 'innodb_multi_update', 'innodb-agregate',
  'count_distinct', 'dml_function', 'temp_table', 'innodb-truncate', 'truncate', 'blob_unique2pk', 'no_pad',
  'strict_mode', 'data_types',
  // DDL
  'create-index', 'create_like', 'innodb_rename_index', 'innodb-alter-nullable', 'alter_not_null',
  'default_row_format_create', 'default_row_format_alter', 'default_row_format_compatibility', 'add_constraint', 'dropdb',
  // foreign keys
  'add_foreign_key', 'foreign_null', 'foreign_sql_mode', 'fk_col_alter', 'fk_drop_alter', 'innodb-fk-warnings',
  'innodb-fkcheck', 'stored_fk',
  // reproductions of old InnoDB bugs
  'innodb_bug12661768', 'innodb_bug13510739', 'innodb_bug21704', 'innodb_bug30423', 'innodb_bug34300',
  'innodb_bug35220', 'innodb_bug38231', 'innodb_bug40360', 'innodb_bug40565', 'innodb_bug41904', 'innodb_bug42419',
  'innodb_bug44032', 'innodb_bug44369', 'innodb_bug44571', 'innodb_bug45357', 'innodb_bug46000', 'innodb_bug46676',
  'innodb_bug47621', 'innodb_bug47622', 'innodb_bug47777', 'innodb_bug48024', 'innodb_bug49164', 'innodb_bug51378',
  'innodb_bug51920', 'innodb_bug52199', 'innodb_bug52663', 'innodb_bug53046', 'innodb_bug53290', 'innodb_bug53592',
  'innodb_bug54044', 'innodb_bug56143', 'innodb_bug56716', 'innodb_bug57252', 'innodb_bug57255', 'innodb_bug57904',
  'innodb_bug59307', 'innodb_bug59410', 'innodb_bug59733', 'innodb_bug60229', 'innodb_bug84958',
  // information_schema and monitors
  'innodb_information_schema', 'innodb_status_variables', 'monitor',
];

/**
 * Failure groups found by reading each failing test against MySQL 8.0's manual. A failure of a
 * test not listed here, or a listed test that passes, is printed as such so the table is re-triaged.
 * Groups: `mariadb` (MariaDB-only syntax, variables, tables or behaviour), `missing` (a MySQL 8.0
 * feature refmysqld does not have yet), `bug` (refmysqld differs from MySQL 8.0), `harness`.
 */
export const TRIAGE = {
  // MariaDB-only syntax, variables, tables, defaults or result formats
  'innodb-xa': { group: 'mariadb', why: 'RELEASE SAVEPOINT after XA PREPARE: MariaDB keeps the prepared branch on the session; MySQL 8.0 detaches it (xa_detach_on_prepare=ON), so the savepoint is gone (1305)' },
  'innodb-timeout': { group: 'mariadb', why: 'MariaDB refuses FOR UPDATE NOWAIT in a view definition (1350); MySQL 8.0 lists no such restriction' },
  skip_locked_nowait: { group: 'mariadb', why: 'LOCK IN SHARE MODE SKIP LOCKED is MariaDB syntax; MySQL 8.0 takes NOWAIT/SKIP LOCKED only after FOR UPDATE/FOR SHARE (1064)' },
  create_table_insert_skip_locked: { group: 'mariadb', why: 'LOCK IN SHARE MODE SKIP LOCKED is MariaDB syntax (1064 in MySQL 8.0)' },
  innodb_i_s_innodb_locks: { group: 'mariadb', why: 'INFORMATION_SCHEMA.INNODB_LOCKS/INNODB_LOCK_WAITS are gone in MySQL 8.0 (performance_schema.data_locks)' },
  'innodb-replace': { group: 'mariadb', why: 'REPLACE DELAYED: MariaDB refuses DELAYED on InnoDB (1616); MySQL 8.0 ignores DELAYED' },
  'innodb-update-insert': { group: 'mariadb', why: 'SET STATEMENT ... FOR is MariaDB syntax' },
  innodb_bug53592: { group: 'mariadb', why: 'SET STATEMENT ... FOR is MariaDB syntax' },
  truncate: { group: 'mariadb', why: 'innodb_read_only_compressed is a MariaDB variable' },
  default_row_format_create: { group: 'mariadb', why: 'innodb_read_only_compressed is a MariaDB variable' },
  create_like: { group: 'mariadb', why: 'innodb_compression_default is a MariaDB variable' },
  no_pad: { group: 'mariadb', why: 'utf8_nopad_bin is a MariaDB collation' },
  innodb_bug40360: { group: 'mariadb', why: 'tx_isolation was removed in MySQL 8.0 (transaction_isolation)' },
  innodb_bug49164: { group: 'mariadb', why: 'tx_isolation was removed in MySQL 8.0 (transaction_isolation)' },
  innodb_information_schema: { group: 'mariadb', why: 'innodb_encrypt_tables is a MariaDB variable' },
  innodb_status_variables: { group: 'mariadb', why: 'information_schema.GLOBAL_STATUS is gone in MySQL 8.0 (performance_schema.global_status)' },
  'innodb-alter-nullable': { group: 'mariadb', why: 'MariaDB quietly keeps a PRIMARY KEY column NOT NULL on CHANGE ... NULL; MySQL 8.0 refuses (1171)' },
  innodb_bug59410: { group: 'mariadb', why: "MariaDB's default sql_mode lacks ONLY_FULL_GROUP_BY; under MySQL 8.0's default the statement is 1055" },
  alter_not_null: { group: 'mariadb', why: "the test expects MariaDB's non-strict default sql_mode; in MySQL 8.0's strict default NOT NULL over a NULL is 1138, as refmysqld answers" },
  'innodb-autoinc-18274': { group: 'mariadb', why: 'result file format: int(11) and COLLATE=latin1_swedish_ci in SHOW CREATE TABLE' },
  innodb_bug54044: { group: 'mariadb', why: 'result file format: COLLATE=latin1_swedish_ci in SHOW CREATE TABLE' },
  innodb_bug60229: { group: 'mariadb', why: "MariaDB warns 1280 for a name after PRIMARY KEY; MySQL 8.0's grammar ignores it silently" },
  innodb_bug51920: { group: 'mariadb', why: 'MariaDB deprecates SELECT ... INTO @v at the end (1287); MySQL 8.0 deprecates it before FROM instead' },
  deadlock_report: { group: 'harness', why: "searches MariaDB's own error log file under the vardir" },
  innodb_autoinc_lock_mode_zero: { group: 'mariadb', why: "key names in 1062 texts: MySQL 8.0 qualifies them with the table ('t1.ggid'), MariaDB does not" },
  data_types: { group: 'mariadb', why: 'INFORMATION_SCHEMA.INNODB_SYS_COLUMNS is a MariaDB/5.7 name (8.0: INNODB_COLUMNS)' },
  innodb_bug53046: { group: 'mariadb', why: "ANALYZE TABLE's 'Engine-independent statistics collected' row is MariaDB's" },
  innodb_bug56143: { group: 'mariadb', why: 'result file format: int(11) in SHOW CREATE TABLE' },
  fk_drop_alter: { group: 'mariadb', why: 'DROP FOREIGN KEY IF EXISTS is MariaDB syntax' },
  add_constraint: { group: 'mariadb', why: 'a foreign key name already used in the schema: MySQL 8.0 answers 1826, MariaDB 1005' },
  'innodb-fk-warnings': { group: 'mariadb', why: 'a foreign key name already used in the schema: MySQL 8.0 answers 1826, MariaDB 1005' },
  fk_col_alter: { group: 'mariadb', why: 'incompatible referencing and referenced columns: MySQL 8.0 answers 3780, MariaDB 1005' },
  'innodb-truncate': { group: 'missing', why: 'stored procedures: the test calls mtr.add_suppression() (its TRUNCATE of a parent, 1701, passes)' },
  innodb_bug51378: { group: 'missing', why: 'no Note 1831 for a duplicate index (MySQL 8.0 gives it too)' },
  innodb_bug21704: { group: 'bug', why: 'renaming the referenced column of a self-referencing foreign key (CHANGE a f) fails 1452 against the copy; MySQL renames it (later, INNODB_SYS_FOREIGN is a MariaDB/5.7 name)' },
  stored_fk: { group: 'bug', why: 'a foreign key with ON UPDATE CASCADE on the base column of a STORED generated column is accepted; MySQL 8.0 refuses it' },
  'innodb-fkcheck': { group: 'bug', why: 'with foreign_key_checks=1, re-creating a parent whose column type no longer matches its children is accepted; MySQL 8.0 refuses it' },
  innodb_bug57904: { group: 'bug', why: 'INFORMATION_SCHEMA.REFERENTIAL_CONSTRAINTS lists no rows for foreign keys' },
  innodb_bug46676: { group: 'bug', why: 'INFORMATION_SCHEMA.KEY_COLUMN_USAGE lists no foreign keys whose parent was missing when they were created' },
  'create-index': { group: 'bug?', why: "the 1062 text for a BINARY(5) prefix key shows the NUL padding ('w\\0\\0\\0'); MariaDB shows 'w' (MySQL 8.0 to check)" },
  innodb_i_s_innodb_trx: { group: 'bug?', why: 'mtr waits 120 s for a wait_condition on INFORMATION_SCHEMA.INNODB_TRX (to investigate)' },
  // MySQL 8.0 features refmysqld does not have yet
  'innodb-isolation': { group: 'missing', why: 'ER_TABLE_DEF_CHANGED (1412) for a consistent read whose read view is older than the table rebuild' },
  innodb_trx_weight: { group: 'missing', why: 'stored procedures: the test calls mtr.add_suppression()' },
  row_lock: { group: 'missing', why: 'stored procedures: the test calls mtr.add_suppression()' },
  deadlock_detect: { group: 'missing', why: 'stored procedures: the test calls mtr.add_suppression()' },
  deadlock_in_subqueries_join: { group: 'missing', why: 'stored procedures: the test calls mtr.add_suppression()' },
  innodb_mysql_rbk: { group: 'missing', why: 'stored procedures: the test calls mtr.add_suppression()' },
  innodb_timeout_rollback: { group: 'missing', why: 'stored procedures: the test calls mtr.add_suppression()' },
  strict_mode: { group: 'missing', why: 'stored procedures: the test calls mtr.add_suppression()' },
  default_row_format_compatibility: { group: 'missing', why: 'stored procedures: the test calls mtr.add_suppression()' },
  dropdb: { group: 'missing', why: 'stored procedures: the test calls mtr.add_suppression()' },
  innodb_bug34300: { group: 'missing', why: 'stored procedures: the test calls mtr.add_suppression()' },
  innodb_bug42419: { group: 'missing', why: 'stored procedures: the test calls mtr.add_suppression()' },
  monitor: { group: 'missing', why: 'stored procedures: the test calls mtr.add_suppression()' },
  foreign_null: { group: 'missing', why: 'stored procedures: the test calls mtr.add_suppression()' },
  foreign_sql_mode: { group: 'missing', why: 'stored procedures: the test calls mtr.add_suppression()' },
  snapshot_isolation_race: { group: 'missing', why: 'stored procedures (CREATE PROCEDURE)' },
  temp_table_savepoint: { group: 'missing', why: 'stored procedures (CREATE PROCEDURE)' },
  temp_table: { group: 'missing', why: 'stored procedures (CREATE PROCEDURE)' },
  innodb_bug84958: { group: 'missing', why: 'stored procedures (CREATE PROCEDURE)' },
  'innodb-autoinc-56228': { group: 'missing', why: 'stored functions (CREATE FUNCTION)' },
  auto_increment_lock_mode: { group: 'missing', why: 'stored functions (CREATE FUNCTION)' },
  dml_function: { group: 'missing', why: 'stored functions (CREATE FUNCTION)' },
  lock_insert_into_empty: { group: 'bug', why: 'REPLACE of a row whose foreign key names a parent table that does not exist (created with foreign_key_checks=0) is accepted after INSERT IGNORE; MySQL 8.0 refuses it with 1452' },
  xa_prepare_reset_supremum_lock: { group: 'bug?', why: 'MariaDB releases the gap (supremum) and shared locks of a REPEATABLE READ transaction at XA PREPARE; MySQL 8.0 releases read locks at prepare only below REPEATABLE READ, as refmysqld keeps them (to check)' },
  gap_locks: { group: 'missing', why: 'SHOW ENGINE INNODB STATUS does not count lock structs and row locks per transaction' },
  innodb_row_lock_time_ms: { group: 'missing', why: 'innodb_monitor_enable/disable/reset_all variables' },
  'innodb-alter-autoinc': { group: 'missing', why: 'ALGORITHM=/LOCK= are not checked against what the operation allows (1846)' },
  innodb_bug13510739: { group: 'missing', why: 'HANDLER statements' },
  innodb_bug30423: { group: 'missing', why: 'innodb_stats_method' },
  innodb_bug57252: { group: 'missing', why: 'innodb_stats_on_metadata' },
  innodb_bug46000: { group: 'missing', why: 'an index named GEN_CLUST_INDEX is not refused (1280)' },
  innodb_multi_update: { group: 'missing', why: 'no covering secondary-index scans: a SELECT without ORDER BY returns rows in primary-key order where MySQL and MariaDB scan index b' },
  innodb_bug47777: { group: 'missing', why: 'a prefix key on a LINESTRING primary key column (1089)' },
  // refmysqld differs from MySQL 8.0
  'innodb-semi-consistent': { group: 'bug', why: 'no semi-consistent read: an UPDATE at READ COMMITTED waits for a row another transaction locked although the newest committed version does not match its WHERE (MySQL reads that version and skips the row)' },
  innodb_lock_wait_timeout_1: { group: 'bug', why: 'rows read by a subquery of INSERT/UPDATE are not share-locked at REPEATABLE READ (no wait for a FOR UPDATE holder)' },
  'innodb-autoinc-61209': { group: 'bug', why: 'GET_LOCK does not wait for a named lock another session holds (named locks are not shared across sessions)' },
  innodb_rename_index: { group: 'bug', why: 'ALTER applies DROP/RENAME INDEX to indexes added by the same statement; MySQL refers them to the old table (1176)' },
  default_row_format_alter: { group: 'bug', why: "a table without ROW_FORMAT takes innodb_default_row_format at ALTER time instead of keeping the format it was created with (no 1709 on ADD INDEX)" },
  blob_unique2pk: { group: 'bug?', why: 'a prefix longer than a TINYBLOB: MariaDB shortens it to 255; refmysqld answers 1071 naming 255 bytes as the key limit (MySQL 8.0 to check)' },
};

/** The suite configuration scripts/lib/mtr-runner.mjs runs. */
export const CONFIG = {
  name: 'mtr-innodb',
  script: 'scripts/mtr-innodb.mjs',
  suites: { innodb: { t: 'suite/innodb/t', r: 'suite/innodb/r' } },
  selection: inSuite('innodb', SELECTION),
  triage: Object.fromEntries(Object.entries(TRIAGE).map(([test, t]) => [`innodb.${test}`, t])),
  overrides: HAVE_INNODB_OVERRIDE,
};

// Run only when executed, so tests can import the configuration.
if (process.argv[1] && basename(process.argv[1]) === 'mtr-innodb.mjs') runMtrMain(CONFIG);
