/**
 * The engines the contract suite runs against. An engine is done when every scenario passes
 * for it: add its descriptor here (one entry in ENGINES) and run `npx vitest run
 * test/engine-contract`. See README.md in this folder.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/pluggable-storage-overview.html (16.11)
 * @req PLUGGABLE-001
 */
import { ExampleEngine } from '../../src/storage/example/engine.js';
import { InnodbEngine } from '../../src/storage/innodb/engine.js';
import { MemoryEngine } from '../../src/storage/memory/engine.js';
import { MyisamEngine } from '../../src/storage/myisam/engine.js';
import type { EngineDescriptor } from './descriptor.js';

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

/** Every engine the suite runs against. */
export const ENGINES: readonly EngineDescriptor[] = [MEMORY, EXAMPLE, INNODB, MYISAM];
