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
 * Needs the Debian package mariadb-test (`WITH_MTR=1 bash scripts/install-peers.sh`) and the
 * peers lab's `mtr-extern-run.sh` / `mtr-extern-prepare.sh` (found in $PEERS_DIR, in
 * ../shared/peers beside the repository, or in /work/shared/peers).
 *
 * How it runs each test: mtr in `--extern` mode against the running refmysqld over TCP, one mtr
 * invocation per test through mtr-extern-run.sh (which drops every user database and re-creates
 * `test` first). `--extern` ignores a test's `.opt` files, so this script restarts refmysqld with
 * the options of the test's `.opt`/`-master.opt` files (unknown ones are given as `--loose-`),
 * and also restarts it after every failure so a test cannot leave state for the next one.
 *
 * mtr is given a private view of its directory (symbolic links into /usr/share/mysql, nothing
 * copied into the project) in which two files differ: `suite.pm` assumes a 64-bit server when
 * the server has no `max_binlog_stmt_cache_size` (refmysqld has no binary log variables yet), and
 * `include/have_innodb.inc` is empty (MariaDB's version queries its own
 * information_schema.SYSTEM_VARIABLES to add warning suppressions for sanitizer builds).
 * `--nocheck-testcases` is passed because mtr's check procedures need stored procedures.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-storage-engine.html
 * @spec https://mariadb.com/kb/en/mariadb-test-run-pl-options/
 * @req INNODB-PEER-102
 */
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { buildRefmysqld, freePort, onCleanup, REPO, sleep } from '../bench/lib/harness.mjs';

const MTR_HOME = process.env.MTR_HOME ?? '/usr/share/mysql/mysql-test';
const SUITE_DIR = join(MTR_HOME, 'suite', 'innodb', 't');
/** Seconds one test may take before mtr-extern-run.sh kills it. */
const DEFAULT_TEST_TIMEOUT_S = 120;
/** How long a freshly started refmysqld may take to accept a login. */
const READY_ATTEMPTS = 300;
const READY_INTERVAL_MS = 100;
/** What MySQL 8.0 answers for max_binlog_stmt_cache_size on a 64-bit build (mtr's word-size probe). */
const WORD_SIZE_PROBE_64BIT = '18446744073709547520';

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

function parseArgs(argv) {
  const o = { tests: SELECTION, timeout: DEFAULT_TEST_TIMEOUT_S, json: null, keep: false, serverMain: null, list: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const next = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--tests') o.tests = next().split(',').map((t) => t.trim().replace(/^innodb\./, '')).filter(Boolean);
    else if (a === '--timeout') o.timeout = Number(next());
    else if (a === '--json') o.json = next();
    else if (a === '--keep') o.keep = true;
    else if (a === '--server-main') o.serverMain = resolve(next());
    else if (a === '--list') o.list = true;
    else throw new Error(`unknown option ${a} (see the header of scripts/mtr-innodb.mjs)`);
  }
  return o;
}

/** The peers lab scripts (mtr-extern-run.sh), wherever this checkout finds them. */
function peersDir() {
  const candidates = [process.env.PEERS_DIR, join(REPO, '..', 'shared', 'peers'), '/work/shared/peers'].filter(Boolean);
  for (const d of candidates) if (existsSync(join(d, 'mtr-extern-run.sh'))) return d;
  throw new Error(`mtr-extern-run.sh not found (looked in ${candidates.join(', ')}); set PEERS_DIR`);
}

/**
 * mtr finds its tests, includes and client programs relative to its working directory, so a
 * directory of symbolic links into the installed files stands in for it; only the two files
 * named in the header are written here.
 */
function buildMtrView(root) {
  const share = join(root, 'share', 'mysql');
  const view = join(share, 'mysql-test');
  mkdirSync(join(view, 'include'), { recursive: true });
  for (const d of ['bin', 'sbin', 'lib']) symlinkSync(join('/usr', d), join(root, d));
  const installed = dirname(MTR_HOME);
  for (const e of readdirSync(installed)) if (e !== 'mysql-test') symlinkSync(join(installed, e), join(share, e));
  for (const e of readdirSync(MTR_HOME)) if (e !== 'suite.pm' && e !== 'include') symlinkSync(join(MTR_HOME, e), join(view, e));
  for (const e of readdirSync(join(MTR_HOME, 'include'))) {
    if (e !== 'have_innodb.inc') symlinkSync(join(MTR_HOME, 'include', e), join(view, 'include', e));
  }
  writeFileSync(join(view, 'include', 'have_innodb.inc'), '# refmysqld: InnoDB is built in and there is nothing to suppress.\n');
  const suitePm = readFileSync(join(MTR_HOME, 'suite.pm'), 'utf8');
  const probe = /^(\s*my \$longsysvar\s*=\s*\$::mysqld_variables\{'max-binlog-stmt-cache-size'\};)$/m;
  if (!probe.test(suitePm)) throw new Error(`${MTR_HOME}/suite.pm has no word-size probe this script knows`);
  writeFileSync(
    join(view, 'suite.pm'),
    suitePm.replace(probe, `$1\n  $longsysvar = '${WORD_SIZE_PROBE_64BIT}' unless defined $longsysvar; # refmysqld: no binlog variables yet`),
  );
  return view;
}

/** Server options from a test's .opt and -master.opt files (mtr applies them at server start). */
export function testOptions(text) {
  const out = [];
  for (const tok of text.split(/\s+/)) {
    if (!tok.startsWith('--') || tok.includes('$')) continue;
    // Unknown options must not stop the server: give them the --loose- prefix.
    out.push(tok.startsWith('--loose-') ? tok : `--loose-${tok.slice(2)}`);
  }
  return out;
}

function optionsOf(test) {
  const parts = [];
  for (const f of [`${test}.opt`, `${test}-master.opt`]) {
    const p = join(SUITE_DIR, f);
    if (existsSync(p)) parts.push(readFileSync(p, 'utf8'));
  }
  return testOptions(parts.join(' '));
}

class Refmysqld {
  constructor(main, vardir, port) {
    this.main = main;
    this.datadir = join(vardir, 'ext', 'data');
    this.socket = join(vardir, 'ext', 'mysqld.sock');
    this.port = port;
    this.child = null;
    this.options = [];
    this.log = [];
  }

  initialize() {
    mkdirSync(dirname(this.datadir), { recursive: true });
    const r = spawnSync(process.execPath, [this.main, '--no-defaults', `--datadir=${this.datadir}`, '--initialize-insecure'], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`refmysqld --initialize-insecure failed:\n${r.stderr}`);
  }

  async start(options) {
    const args = [
      this.main,
      '--no-defaults',
      `--datadir=${this.datadir}`,
      `--port=${this.port}`,
      '--bind-address=127.0.0.1',
      `--socket=${this.socket}`,
      '--mysqlx=OFF',
      ...options,
    ];
    this.log = [];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (t) => this.log.push(...t.split('\n')));
    this.child = child;
    this.options = options;
    for (let i = 0; i < READY_ATTEMPTS; i++) {
      if (child.exitCode !== null) break;
      const r = spawnSync('mariadb', ['--no-defaults', '-h127.0.0.1', `-P${this.port}`, '-uroot', '-e', 'SELECT 1'], { encoding: 'utf8' });
      if (r.status === 0) return;
      await sleep(READY_INTERVAL_MS);
    }
    throw new Error(`refmysqld did not start with ${options.join(' ') || 'no options'}:\n${this.log.slice(-15).join('\n')}`);
  }

  async stop() {
    const c = this.child;
    if (!c || c.exitCode !== null || c.signalCode !== null) return;
    const gone = new Promise((r) => c.once('exit', r));
    c.kill('SIGTERM');
    const timer = setTimeout(() => c.kill('SIGKILL'), 20_000);
    await gone;
    clearTimeout(timer);
  }

  async restart(options) {
    await this.stop();
    await this.start(options);
  }
}

/** The first lines of an mtr log that say why a test failed. */
export function failureDetail(out) {
  const lines = out.split('\n');
  const at = lines.findIndex((l) => l.startsWith('mysqltest:'));
  const mismatch = lines.findIndex((l) => l.trim() === 'Result content mismatch' || l.trim() === 'Result length mismatch');
  if (at < 0 && mismatch >= 0) {
    const hunk = lines.findIndex((l) => l.startsWith('@@'));
    const diff = lines.slice(hunk < 0 ? 0 : hunk).filter((l) => /^[-+](?![-+]{2} )/.test(l)).slice(0, 2).map((l) => l.slice(0, 120));
    return `result differs: ${diff.join(' | ')}`;
  }
  if (at < 0) {
    const err = lines.find((l) => /\*\*\* ERROR|Could not/.test(l));
    return err ? err.trim() : '';
  }
  const first = lines[at].replace(/^mysqltest:\s*/, '');
  const near = lines.slice(at + 1, at + 3).find((l) => /^At line|^included from/.test(l));
  if (/Result (content|length) mismatch/.test(first)) {
    const diff = lines.slice(at).filter((l) => /^[-+][^-+]/.test(l)).slice(0, 2).map((l) => l.slice(0, 120));
    return `${first} ${diff.join(' | ')}`.trim();
  }
  return [first, near?.startsWith('At line') ? near : ''].filter(Boolean).join(' ').trim();
}

/**
 * mysqltest writes `<test>.reject` beside the result file, which through the view's links is
 * inside the installed suite: move every file it left there since `since` into the vardir.
 */
function collectRejects(vardir, since) {
  const dest = join(vardir, 'reject');
  mkdirSync(dest, { recursive: true });
  for (const dir of [join(MTR_HOME, 'suite', 'innodb', 'r'), join(MTR_HOME, 'main')]) {
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir)) {
      if (!f.endsWith('.reject') && !f.endsWith('.result~')) continue;
      const p = join(dir, f);
      if (statSync(p).mtimeMs < since) continue;
      renameOrCopy(p, join(dest, f));
    }
  }
}

function renameOrCopy(from, to) {
  try {
    renameSync(from, to);
  } catch {
    copyFileSync(from, to);
    rmSync(from, { force: true });
  }
}

function runOne(peers, view, vardir, port, test, timeoutS) {
  return new Promise((res) => {
    const started = Date.now();
    // Its own process group: a timed-out mtr can leave mysqltest running, which is ended with it.
    const child = spawn('bash', [join(peers, 'mtr-extern-run.sh'), '127.0.0.1', String(port), vardir, `innodb.${test}`, '--', '--nocheck-testcases'], {
      env: { ...process.env, MTR_DIR: view, PER_TEST_TIMEOUT: String(timeoutS), PLUGINS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let out = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (t) => (out += t));
    child.stderr.resume();
    child.once('close', () => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* the group has ended */
      }
      const line = out.split('\n').find((l) => /^(PASS|FAIL|SKIP) /.test(l)) ?? '';
      const m = /^(PASS|FAIL|SKIP) (\S+)\s*(.*)$/.exec(line);
      const result = m ? m[1] : 'FAIL';
      let reason = m ? m[3].trim() : `no result line from mtr-extern-run.sh: ${out.trim().slice(-200)}`;
      const log = join(vardir, 'log', `mtr-innodb.${test}.out`);
      if (result === 'FAIL' && existsSync(log)) reason = failureDetail(readFileSync(log, 'utf8')) || reason;
      collectRejects(vardir, started - 1000);
      res({ test, result, ms: Date.now() - started, reason });
    });
  });
}

function pad(s, n) {
  const t = String(s);
  return t.length >= n ? t : t + ' '.repeat(n - t.length);
}

function printTable(rows) {
  const w = Math.max(...rows.map((r) => r.test.length), 4);
  console.log(`${pad('test', w)}  result  group     reason`);
  for (const r of rows) {
    const t = TRIAGE[r.test];
    let group = '';
    if (r.result === 'FAIL') group = t ? t.group : 'new';
    else if (r.result === 'PASS' && t) group = 'fixed?';
    const why = r.result === 'FAIL' && t ? `${t.why} [${r.reason.slice(0, 100)}]` : r.reason;
    console.log(`${pad(r.test, w)}  ${pad(r.result, 6)}  ${pad(group, 8)}  ${why.slice(0, 220)}`);
  }
  const count = (k) => rows.filter((r) => r.result === k).length;
  const fails = rows.filter((r) => r.result === 'FAIL');
  const byGroup = {};
  for (const r of fails) {
    const g = TRIAGE[r.test]?.group ?? 'new';
    byGroup[g] = (byGroup[g] ?? 0) + 1;
  }
  const groups = Object.entries(byGroup).map(([g, n]) => `${g} ${n}`).join(', ');
  console.log(`\n${count('PASS')} passed, ${count('FAIL')} failed${groups ? ` (${groups})` : ''}, ${count('SKIP')} skipped of ${rows.length}`);
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  if (o.list) {
    for (const t of o.tests) console.log(`innodb.${t}`);
    return;
  }
  if (!existsSync(SUITE_DIR)) {
    throw new Error(`${SUITE_DIR} is missing: install the mariadb-test package (WITH_MTR=1 bash scripts/install-peers.sh)`);
  }
  for (const t of o.tests) if (!existsSync(join(SUITE_DIR, `${t}.test`))) throw new Error(`no test innodb.${t} in ${SUITE_DIR}`);
  const peers = peersDir();
  const main = o.serverMain ?? buildRefmysqld('mtr-innodb');
  // mtr refuses a vardir path with spaces and wants the server's datadir inside it.
  const vardir = mkdtempSync(join(tmpdir(), 'refmysql-mtr-'));
  if (!o.keep) onCleanup(() => rmSync(vardir, { recursive: true, force: true }));
  const view = buildMtrView(join(vardir, 'mtr-home'));
  const server = new Refmysqld(main, join(vardir, 'var'), await freePort());
  onCleanup(() => server.child?.kill('SIGKILL'));
  server.initialize();
  await server.start([]);
  process.stderr.write(`mtr-innodb: refmysqld on 127.0.0.1:${server.port}, vardir ${vardir}, ${o.tests.length} tests\n`);
  const rows = [];
  for (const test of o.tests) {
    const opts = optionsOf(test);
    if (opts.join(' ') !== server.options.join(' ')) await server.restart(opts);
    const r = await runOne(peers, view, join(vardir, 'var'), server.port, test, o.timeout);
    if (opts.length > 0) r.options = opts.join(' ');
    rows.push(r);
    process.stderr.write(`${pad(r.result, 4)} ${test} (${(r.ms / 1000).toFixed(1)} s)\n`);
    // A failed test may leave locks, open transactions or changed globals behind.
    if (r.result === 'FAIL') await server.restart(opts);
  }
  await server.stop();
  printTable(rows);
  if (o.json) writeFileSync(o.json, JSON.stringify({ date: new Date().toISOString(), rows }, null, 2));
  if (o.keep) console.log(`\nlogs kept in ${vardir}/var/log`);
}

// Run only when executed, so tests can import the pure helpers.
if (process.argv[1] && basename(process.argv[1]) === 'mtr-innodb.mjs') {
  main().catch((e) => {
    console.error(`mtr-innodb: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  });
}
