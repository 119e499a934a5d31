/**
 * The engines the contract suite runs against. An engine is done when every scenario passes
 * for it: add its descriptor here (one entry in ENGINES) and run `npx vitest run
 * test/engine-contract`. See README.md in this folder.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/pluggable-storage-overview.html (16.11)
 * @req PLUGGABLE-001
 */
import { BlackholeEngine } from '../../src/storage/blackhole/engine.js';
import { ArchiveEngine } from '../../src/storage/archive/engine.js';
import { CsvEngine } from '../../src/storage/csv/engine.js';
import { ExampleEngine } from '../../src/storage/example/engine.js';
import { InnodbEngine } from '../../src/storage/innodb/engine.js';
import { MemoryEngine } from '../../src/storage/memory/engine.js';
import { MyisamEngine } from '../../src/storage/myisam/engine.js';
import type { EngineDescriptor, SqlTableSpec } from './descriptor.js';
import { FederatedOverRemote } from './harness/federated-over-remote.js';
import { MergeOverMyisam } from './harness/merge-over-myisam.js';

export const MEMORY: EngineDescriptor = {
  name: 'MEMORY',
  create: () => new MemoryEngine(),
  sql: { kind: 'builtin' },
  rows: { kind: 'stored', afterRestart: 'lost' },
  sizeCap: { variable: 'max_heap_table_size', small: 16384 },
  exact: { rowCount: true, estimates: true },
  reqs: {
    lifecycle: ['MEMORY-030'],
    restart: ['MEMORY-001'],
    index: ['MEMORY-050', 'MEMORY-053'],
    hash: ['MEMORY-053'],
    unique: ['MEMORY-054'],
    full: ['MEMORY-042'],
    autoIncrement: ['MEMORY-034'],
    refuseBlob: ['MEMORY-033'],
    refuseGeometry: ['MEMORY-033', 'ENGINE-CHOOSE-009'],
    refuseFulltext: ['MEMORY-002', 'ENGINE-CHOOSE-008'],
    refuseKeyLimits: ['MEMORY-051'],
    refusePartitioning: ['MEMORY-015'],
    sqlEngines: ['ENGINE-LIST-005'],
    sqlStatus: ['ENGINE-CHOOSE-004', 'MEMORY-120'],
    sqlExplain: ['MEMORY-021', 'MEMORY-050'],
    sqlDefaultKey: ['MEMORY-041'],
    sqlNoTransactions: ['ENGINE-CHOOSE-016'],
    sqlTemporary: ['MEMORY-121'],
    sqlRestart: ['MEMORY-001', 'MEMORY-041'],
  },
};

export const EXAMPLE: EngineDescriptor = {
  name: 'EXAMPLE',
  create: () => new ExampleEngine(),
  sql: { kind: 'plugin', install: "INSTALL PLUGIN example SONAME 'ha_example.so'" },
  rows: { kind: 'rejected', errno: 1031 },
  exact: { rowCount: true, estimates: true },
  reqs: {
    lifecycle: ['EXAMPLE-003'],
    rejected: ['EXAMPLE-004', 'EXAMPLE-005'],
    sqlDml: ['EXAMPLE-004', 'EXAMPLE-005', 'EXAMPLE-008'],
    refuseKeys: ['EXAMPLE-006'],
    refusePartitioning: ['EXAMPLE-007'],
    sqlEngines: ['EXAMPLE-009', 'PLUGGABLE-011'],
    sqlRestart: ['PLUGGABLE-011'],
  },
};

export const INNODB: EngineDescriptor = {
  name: 'InnoDB',
  create: () => new InnodbEngine(),
  sql: { kind: 'builtin' },
  rows: { kind: 'stored', afterRestart: 'kept' },
  exact: { rowCount: false, estimates: false },
  reqs: {
    restart: ['INNODB-REC-013'],
    transactions: ['INNODB-TRX-101', 'INNODB-TRX-102'],
    sqlRestart: ['INNODB-REC-013'],
  },
};

export const BLACKHOLE: EngineDescriptor = {
  name: 'BLACKHOLE',
  create: () => new BlackholeEngine(),
  sql: { kind: 'builtin' },
  rows: { kind: 'discarded' },
  exact: { rowCount: true, estimates: true },
  reqs: {
    lifecycle: ['BLACKHOLE-003'],
    discarded: ['BLACKHOLE-001'],
    sqlDml: ['BLACKHOLE-001'],
    sqlTypes: ['BLACKHOLE-004'],
    refuseKeyLimits: ['BLACKHOLE-005'],
    refusePartitioning: ['BLACKHOLE-006'],
    sqlEngines: ['BLACKHOLE-007', 'BLACKHOLE-016'],
    sqlNoTransactions: ['BLACKHOLE-016'],
  },
};

export const ARCHIVE: EngineDescriptor = {
  name: 'ARCHIVE',
  create: () => new ArchiveEngine(),
  sql: { kind: 'builtin' },
  rows: { kind: 'stored', afterRestart: 'kept' },
  insertOnly: { errno: 1031 },
  keys: 'auto-increment-only',
  exact: { rowCount: true, estimates: false },
  reqs: {
    lifecycle: ['ARCHIVE-004'],
    restart: ['ARCHIVE-040'],
    cursor: ['ARCHIVE-051'],
    writes: ['ARCHIVE-011'],
    truncate: ['ARCHIVE-026'],
    autoIncrement: ['ARCHIVE-020'],
    stats: ['ARCHIVE-005', 'ARCHIVE-052'],
    refuseFulltext: ['ARCHIVE-002', 'ENGINE-CHOOSE-008'],
    refuseKeyLimits: ['ARCHIVE-021'],
    refusePartitioning: ['ARCHIVE-025'],
    sqlDml: ['ARCHIVE-010', 'ARCHIVE-011'],
    sqlEngines: ['ARCHIVE-003'],
    sqlStatus: ['ARCHIVE-005'],
    sqlNoTransactions: ['ARCHIVE-002'],
    sqlRestart: ['ARCHIVE-040'],
  },
};

export const CSV: EngineDescriptor = {
  name: 'CSV',
  create: () => new CsvEngine(),
  sql: { kind: 'builtin' },
  rows: { kind: 'stored', afterRestart: 'kept' },
  exact: { rowCount: true, estimates: true },
  reqs: {
    lifecycle: ['CSV-004', 'CSV-005'],
    restart: ['CSV-001'],
    writes: ['CSV-011'],
    truncate: ['CSV-011'],
    refuseKeys: ['CSV-050'],
    refuseAutoIncrement: ['CSV-013'],
    refusePartitioning: ['CSV-051'],
    refuseNullable: ['CSV-052'],
    refuseGeometry: ['CSV-054'],
    sqlTypes: ['CSV-054'],
    sqlEngines: ['CSV-002'],
    sqlNoTransactions: ['CSV-013'],
    sqlTemporary: ['CSV-053'],
    sqlRestart: ['CSV-001'],
  },
};

export const MYISAM: EngineDescriptor = {
  name: 'MyISAM',
  create: () => new MyisamEngine(),
  sql: { kind: 'builtin' },
  rows: { kind: 'stored', afterRestart: 'kept' },
  exact: { rowCount: true, estimates: true },
  reqs: {
    lifecycle: ['MYISAM-003'],
    restart: ['MYISAM-003', 'MYISAM-120'],
    index: ['MYISAM-070'],
    unique: ['MYISAM-024'],
    autoIncrement: ['MYISAM-016'],
    refuseKeyLimits: ['MYISAM-011', 'MYISAM-012', 'MYISAM-013'],
    refusePartitioning: ['MYISAM-006'],
    sqlEngines: ['MYISAM-004'],
    sqlNoTransactions: ['MYISAM-002'],
    sqlRestart: ['MYISAM-003'],
  },
};

/** MERGE: through the contract every table the suite creates is a MERGE table over one MyISAM
 *  child of the same definition (harness/merge-over-myisam.ts); through SQL the recipe does the
 *  same with statements: `<name>__child` ENGINE=MyISAM (TEMPORARY for a temporary table), then
 *  the MERGE table with UNION=(<name>__child) INSERT_METHOD=LAST. */
export const MERGE: EngineDescriptor = {
  name: 'MRG_MYISAM',
  create: () => new MergeOverMyisam(),
  sql: { kind: 'builtin' },
  sqlTables: {
    remote: false,
    prepare: (t) => {
      const temporary = t.temporary ? 'TEMPORARY ' : '';
      return [`DROP ${temporary}TABLE IF EXISTS ${t.name}__child`, `CREATE ${temporary}TABLE ${t.name}__child (${t.columns}) ENGINE=MyISAM`];
    },
    options: (t) => `UNION=(${t.name}__child) INSERT_METHOD=LAST`,
  },
  rows: { kind: 'stored', afterRestart: 'kept' },
  autoIncrementFromRows: true,
  exact: { rowCount: true, estimates: true },
  reqs: {
    lifecycle: ['MERGE-061'],
    restart: ['MERGE-061'],
    cursor: ['MERGE-008'],
    writes: ['MERGE-008'],
    index: ['MERGE-066'],
    sqlDml: ['MERGE-008'],
    sqlEngines: ['MERGE-001'],
    sqlStatus: ['MERGE-001'],
    sqlRestart: ['MERGE-061'],
  },
};

/** FEDERATED through the contract: every table the suite creates gets a remote InnoDB table of
 *  the same definition on a refmysqld started in the test process, and a CONNECTION naming it
 *  (harness/federated-over-remote.ts). Every read is a remote query, so the engine declares
 *  `readsWait` and is read by readers that can wait; a remote duplicate key is 1022 naming the
 *  table, as ha_federated reports it. */
/** The remote table of a FEDERATED table the SQL scenarios create (a temporary table gets its
 *  own, so it never changes the one its base namesake reads). */
const remoteTable = (t: SqlTableSpec): string => `ec_federated_remote.${t.name}${t.temporary ? '__tmp' : ''}`;

/** FEDERATED: through the contract every table is backed by a remote InnoDB table on a refmysqld
 *  the harness starts (harness/federated-over-remote.ts); through SQL the recipe creates the
 *  remote table on the SQL harness's second server and names it in CONNECTION, on a server
 *  started with --federated. */
export const FEDERATED: EngineDescriptor = {
  name: 'FEDERATED',
  create: () => new FederatedOverRemote(),
  sql: { kind: 'builtin' },
  serverOptions: { federated: true },
  sqlTables: {
    remote: true,
    prepare: (t) => ['CREATE DATABASE IF NOT EXISTS ec_federated_remote', `DROP TABLE IF EXISTS ${remoteTable(t)}`, `CREATE TABLE ${remoteTable(t)} (${t.columns}) ENGINE=InnoDB`],
    options: (t) => `CONNECTION='mysql://root@127.0.0.1:${t.remotePort}/${remoteTable(t).replace('.', '/')}'`,
  },
  rows: { kind: 'stored', afterRestart: 'kept' },
  duplicateKey: { errno: 1022, message: (table) => `Can't write; duplicate key in table '${table}'` },
  repairWithoutCheck: true,
  exact: { rowCount: false, estimates: false },
  reqs: {
    lifecycle: ['FEDERATED-030'],
    restart: ['FEDERATED-010'],
    cursor: ['FEDERATED-011', 'FEDERATED-012'],
    index: ['FEDERATED-074'],
    writes: ['FEDERATED-011', 'FEDERATED-077'],
    truncate: ['FEDERATED-077'],
    model: ['FEDERATED-011', 'FEDERATED-077'],
    sqlDml: ['FEDERATED-011', 'FEDERATED-077', 'FEDERATED-079', 'FEDERATED-088'],
    sqlTypes: ['FEDERATED-012'],
    sqlExplain: ['FEDERATED-033'],
    refusePartitioning: ['FEDERATED-087'],
    sqlNoTransactions: ['FEDERATED-081'],
    sqlRestart: ['FEDERATED-010'],
  },
};

/** Every engine the suite runs against. */
export const ENGINES: readonly EngineDescriptor[] = [MEMORY, EXAMPLE, INNODB, BLACKHOLE, ARCHIVE, CSV, MYISAM, MERGE, FEDERATED];
