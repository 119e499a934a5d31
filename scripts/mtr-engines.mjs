#!/usr/bin/env node
/**
 * scripts/mtr-engines.mjs — MariaDB's mtr tests of the alternative storage engines (CSV, ARCHIVE,
 * BLACKHOLE, MERGE, FEDERATED, MyISAM) against refmysqld, as a reported peer suite (it never
 * fails the build): starts a refmysqld, runs a selection of the tests that are about behaviour
 * MySQL 8.0 shares, and prints a pass/fail table with the reason of each failure and its group
 * (MariaDB-only syntax or behaviour, a feature refmysqld lacks, a refmysqld bug, the harness).
 * spec/peers-mtr-engines.md says how to run it and records runs and their triage.
 *
 *   npm run peers:mtr-engines
 *   node scripts/mtr-engines.mjs [--suites csv,archive,main,federated] [--tests csv.csv,merge,...]
 *                                [--timeout S] [--json FILE] [--keep] [--server-main PATH] [--list]
 *
 * This file is the suites' configuration; how the tests are run (mtr --extern through the peers
 * lab's mtr-extern-run.sh, refmysqld restarted for .opt files and after failures, the private
 * view of the mtr directory) is scripts/lib/mtr-runner.mjs.
 *
 * The engine checks: include/have_archive.inc, have_blackhole.inc and have_csv.inc read
 * information_schema.ENGINES, which refmysqld answers as MySQL 8.0 does, so they stay as
 * installed (a test of an engine refmysqld does not have is then reported as skipped, not
 * failed). Three files are replaced in mtr's view:
 *  - include/have_innodb.inc is empty (main.merge_innodb, as in scripts/mtr-innodb.mjs);
 *  - include/default_optimizer_switch.inc only saves @@optimizer_switch: MariaDB's version pins
 *    MariaDB's optimizer defaults (optimizer_switch flags such as mrr_sort_keys, join_cache_level,
 *    optimizer_use_condition_selectivity, join_buffer_space_limit), variables MySQL 8.0 does not
 *    have (1193 before main.myisam's first statement); MySQL 8.0's own defaults are what its
 *    behaviour is compared with;
 *  - suite/federated/have_federatedx.inc asks information_schema.ENGINES for FEDERATED: MariaDB's
 *    version wants a `federated` plugin whose description mentions transactions (FederatedX),
 *    which MySQL 8.0's FEDERATED engine is not.
 * Six of the selected tests (csv.csv, archive.archive, archive.repair, main.myisam,
 * main.myisam_enable_keys-10506, main.myisam_recover) call mtr.add_suppression() before their
 * first statement about the engine; refmysqld has no stored procedures, so the view's copies of
 * those tests and of their result files leave the calls out (`stripSuppressions`; they only feed
 * mtr's error-log check, which a run against an external server does not make).
 * Most federated tests connect to a second server ($SLAVE_MYPORT): the runner starts a second
 * refmysqld for the tests in SECOND_SERVER_TESTS.
 * refmysqld is started with --loose-federated: MySQL 8.0 builds FEDERATED in but enables it only
 * with --federated (MariaDB's suite gets it from its my.cnf, which --extern ignores).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/storage-engines.html
 * @spec https://mariadb.com/kb/en/mariadb-test-run-pl-options/
 * @req ENGINE-PEER-001
 */
import { basename } from 'node:path';
import { HAVE_INNODB_OVERRIDE, inSuite, runMtrMain } from './lib/mtr-runner.mjs';

/**
 * Tests of the federated suite that connect to a second server (include/federated.inc uses
 * $SLAVE_MYPORT): the runner starts a second refmysqld for them. They are about FEDERATED
 * behaviour MySQL 8.0 shares (remote tables, errors of a missing remote table or server, ORDER
 * BY, BIT and TIMESTAMP columns, UPDATE with column privileges, FEDERATED over ARCHIVE and
 * InnoDB); federated.federatedx is the old federated.test, its FederatedX parts to triage.
 */
export const SECOND_SERVER_TESTS = inSuite('federated', [
  'federated', 'federatedx', 'federated_archive', 'federated_innodb', 'federated_bug_13118', 'federated_bug_32426',
  'federated_bug_35333', 'federated_bug_585688', 'federated_maybe_16324629', 'optimizer', 'timestamps', 'update',
  'error_row_number',
]);

/**
 * The selection, per engine. Left out everywhere: tests that need a debug build (have_debug,
 * debug_sync), big tests, partitioning of non-InnoDB tables (MySQL 8.0 partitions only InnoDB
 * and NDB tables), a binary log, and MariaDB-only areas named per group.
 */
export const SELECTION = [
  // CSV (16.4): the engine's own suite. Left out: csv.delete (fills its table from MariaDB's
  // SEQUENCE engine, seq_1_to_2048), csv.flush (copies the table's .frm file; MySQL 8.0 keeps no
  // .frm), csv.read_only (compares information_schema.TABLES in MariaDB's column layout, and
  // not_as_root.inc skips it when the tests run as root).
  ...inSuite('csv', ['csv', 'csv_alter_table', 'csv_not_null', 'lowercase_table0']),
  // ARCHIVE (16.5): the engine's own suite. Left out: discover and discover_5438 (MariaDB's table
  // discovery from the .frm image inside the .ARZ file), archive_eits (engine-independent
  // statistics), archive_plugin (INSTALL SONAME 'ha_archive': MySQL 8.0 builds ARCHIVE in),
  // flush (copies the .frm file), rnd_pos (SEQUENCE engine and partitioning),
  // partition_archive, mysqlhotcopy_archive (mysqlhotcopy is gone from MySQL 8.0), archive_debug,
  // archive-big.
  ...inSuite('archive', ['archive', 'archive_bitfield', 'archive_gis', 'archive_symlink', 'archive_no_symlink', 'repair', 'repair_text']),
  // BLACKHOLE (16.6). Left out: main.blackhole_plugin (INSTALL SONAME 'ha_blackhole': MySQL 8.0
  // builds BLACKHOLE in).
  'main.blackhole',
  // MERGE (16.7): MERGE over MyISAM tables, with InnoDB tables refused, and with memory-mapped
  // MyISAM files (myisam_use_mmap exists in MySQL 8.0 too). Left out: merge_alter (needs
  // binlog_format=MIXED), merge_debug and merge-big (debug build).
  'main.merge', 'main.merge_innodb', 'main.merge_mmap',
  // MyISAM (16.2): the engine's general test, large BLOBs against max_allowed_packet, missing
  // .MYI/.MYD files, DISABLE/ENABLE KEYS, automatic repair (myisam_recover_options). Left out:
  // myisam_icp, myisam_icp_notembedded and myisam_mrr (MariaDB's optimizer_switch flags
  // mrr/mrr_sort_keys and MariaDB's EXPLAIN of its MRR implementation),
  // myisam_explain_non_select_all (MariaDB's EXPLAIN and handler counters), myisampack (MariaDB's
  // myisampack/myisamchk on files the server wrote, with .frm files), myisam_optimize
  // (debug_sync), myisam_debug, myisam_debug_keys, myisam_crash_before_flush_keys,
  // myisam_icp_debug and myisam-big (debug build or big test). Aria is never used.
  'main.myisam', 'main.myisam-blob', 'main.myisam-system', 'main.myisam_enable_keys-10506', 'main.myisam_recover',
  // FEDERATED (16.8): federated.indexes (its FEDERATED table points back at the server it is
  // created on) and the two-server tests below. Left out: federatedx_versioning (system versioning),
  // federatedx_create_handlers (MariaDB's select handler pushdown), federated_type_inet6 (INET6),
  // assisted_discovery (MariaDB's table discovery), federated_transactions (FederatedX
  // transactions; MySQL 8.0's FEDERATED has none), net_thd_crash-12725/12951 and
  // error_on_close-8313 (restart the server; query cache), federated_partition, federated_debug,
  // federated_server (big test), federated_bug_25714 (a C test program), rpl (replication).
  'federated.indexes',
  ...SECOND_SERVER_TESTS,
];

/**
 * Failure groups found by reading each failing test against MySQL 8.0's manual (as in
 * scripts/mtr-innodb.mjs: `mariadb`, `missing`, `bug`, `bug?`, `harness`). To be filled when the
 * engines land: today refmysqld has MEMORY, InnoDB and EXAMPLE only, so the engine checks skip
 * or the tests stop at their first MyISAM table with 1286 (unknown storage engine). Listed now
 * are only failures that happen before the test uses an engine (the harness-level ones found in
 * the first runs are handled by the files replaced in mtr's view, see the header).
 */
export const TRIAGE = {
  // MariaDB-only syntax, variables, features or result formats
  'csv.csv_alter_table': { group: 'mariadb', why: 'result file format: int(11) display widths in DESCRIBE (MySQL 8.0 prints int)' },
  'csv.csv_not_null': { group: 'mariadb', why: 'DEFAULT(col) as a value in INSERT ... VALUES is MariaDB syntax' },
  'csv.lowercase_table0': { group: 'mariadb', why: 'CREATE OR REPLACE TABLE is MariaDB syntax' },
  'archive.archive_no_symlink': { group: 'mariadb', why: 'MariaDB warns 1618 for DATA DIRECTORY on ARCHIVE; refmysqld ignores the option silently here (MySQL 8.0 to check)' },
  'archive.repair': { group: 'mariadb', why: "the test damages the .ARZ with MariaDB's own fixture and expects its errno 13 on the next read" },
  'main.myisam-blob': { group: 'mariadb', why: 'SET STATEMENT ... FOR is MariaDB syntax' },
  'main.myisam_enable_keys-10506': { group: 'mariadb', why: "1062 key names: MySQL 8.0 qualifies them with the table ('t1.ind2'), MariaDB does not; the duplicate found first differs with the copy order" },
  'federated.federated': { group: 'mariadb', why: "CONNECTION='non_existing': MariaDB answers errno 1; MySQL 8.0 answers 1432 (server name doesn't exist)" },
  'federated.federatedx': { group: 'mariadb', why: 'FederatedX-only table options' },
  'federated.federated_archive': { group: 'mariadb', why: "the remote's 1031 text: MariaDB words it 'Storage engine ARCHIVE of the table ... doesn't have this option', MySQL 8.0 'Table storage engine for ... doesn't have this option'" },
  'federated.federated_bug_35333': { group: 'mariadb', why: "information_schema.TABLES shows a damaged table's error in TABLE_COMMENT with MariaDB's errno text" },
  'federated.federated_bug_585688': { group: 'mariadb', why: 'result file format: SHOW TABLE STATUS of MariaDB (Version 10, latin1_swedish_ci)' },
  'federated.optimizer': { group: 'mariadb', why: 'CREATE TABLE ... ENGINE=FEDERATED without columns (discovery of the remote definition) is MariaDB-only; MySQL 8.0 answers 1113' },
  'federated.update': { group: 'mariadb', why: 'CREATE TABLE ... ENGINE=FEDERATED without columns (discovery) is MariaDB-only (1113)' },
  'federated.error_row_number': { group: 'mariadb', why: 'CREATE TABLE ... ENGINE=FEDERATED without columns (discovery) is MariaDB-only (1113)' },
  'main.merge': { group: 'mariadb', why: "temporary tables created without ENGINE: MariaDB's default_tmp_storage_engine follows default_storage_engine (MyISAM in the test), MySQL 8.0's stays InnoDB, so a temporary MERGE over them is 1168 (MySQL 8.0 answers the same)" },
  // MySQL 8.0 features refmysqld does not have yet
  'main.myisam_recover': { group: 'missing', why: 'stored procedures: the test creates one (CREATE PROCEDURE p_create) before its first MyISAM table' },
  'archive.archive': { group: 'missing', why: 'stored procedures: the test calls one part way (a table it creates there is then missing, 1146)' },
  'csv.csv': { group: 'missing', why: 'concurrent inserts: an INSERT from another session under LOCK TABLES ... READ LOCAL waits (the server table locks have no READ LOCAL mode), so mtr times out' },
  'federated.timestamps': { group: 'missing', why: 'named time zones (the mysql.time_zone tables): SET time_zone = \'Europe/Moscow\' is 1298' },
  // refmysqld differs from MySQL 8.0
  'main.merge_innodb': { group: 'bug?', why: 'a MERGE table over children whose engine was changed and changed back: 1168 where MariaDB reads them (to check against MySQL 8.0)' },
  'main.myisam': { group: 'bug?', why: 'a table created under LOCK TABLES is not added to the locked tables (1100 on the next INSERT); MariaDB write-locks it (MySQL 8.0 to check)' },
  'main.myisam-system': { group: 'bug', why: "MyISAM rows are read from memory: a table whose .MYD/.MYI were removed behind the server's back is still read instead of giving 1017" },
  'archive.archive_bitfield': { group: 'bug', why: 'b+0 on BIT columns returns 0 on every engine (an expression bug outside ARCHIVE)' },
};

/** The suite configuration scripts/lib/mtr-runner.mjs runs. */
export const CONFIG = {
  name: 'mtr-engines',
  script: 'scripts/mtr-engines.mjs',
  suites: {
    csv: { t: 'suite/csv', r: 'suite/csv' },
    archive: { t: 'suite/archive', r: 'suite/archive' },
    main: { t: 'main', r: 'main' },
    federated: { t: 'suite/federated', r: 'suite/federated' },
  },
  selection: SELECTION,
  secondServerTests: SECOND_SERVER_TESTS,
  triage: TRIAGE,
  overrides: {
    ...HAVE_INNODB_OVERRIDE,
    'include/default_optimizer_switch.inc': [
      "# refmysqld: MariaDB's optimizer defaults are MariaDB variables; MySQL 8.0's defaults stand.",
      '--disable_query_log',
      'set @save_optimizer_switch=@@optimizer_switch;',
      '--enable_query_log',
      '',
    ].join('\n'),
    'suite/federated/have_federatedx.inc': [
      '# refmysqld: MySQL 8.0 has FEDERATED, not MariaDB\'s FederatedX; ask information_schema.ENGINES.',
      "if (!`SELECT COUNT(*) FROM information_schema.ENGINES WHERE ENGINE = 'FEDERATED' AND SUPPORT IN ('YES', 'DEFAULT')`)",
      '{',
      '  skip Need the FEDERATED engine;',
      '}',
      '',
    ].join('\n'),
  },
  serverOptions: ['--loose-federated'],
  stripSuppressions: true,
};

// Run only when executed, so tests can import the configuration.
if (process.argv[1] && basename(process.argv[1]) === 'mtr-engines.mjs') runMtrMain(CONFIG);
