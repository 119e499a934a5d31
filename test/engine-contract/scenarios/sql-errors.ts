/**
 * Capability errors through SQL: DDL that asks an engine for what its capability record lacks
 * fails with MySQL's number and message and creates nothing; a table at its size cap refuses
 * inserts with 1114.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/create-table.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/memory-storage-engine.html
 * @req CORE-ENG-025 CORE-ENG-018
 */
import { describe, expect } from 'vitest';
import type { EngineCapabilities } from '../../../src/storage/handler.js';
import { capabilitiesOf, title, type EngineDescriptor, type ScenarioKey } from '../descriptor.js';
import { count, createTable, fails, ok, rows, sqlSkip, tableOptions } from '../harness/sql.js';
import { scenario } from './common.js';
import type { SqlEnv } from './sql-env.js';

/** Bound on INSERT batches while filling a table to its cap. */
const MAX_FILL_BATCHES = 10_000;

interface Refusal {
  what: string;
  key: ScenarioKey;
  /** Why the check does not apply to an engine with these capabilities, or null. */
  skip(c: EngineCapabilities): string | null;
  create(engine: string, c: EngineCapabilities): string;
  errno: number;
  message(c: EngineCapabilities): string;
}

const cols = (n: number): string => Array.from({ length: n }, (_, i) => `c${i} INT`).join(', ');

const REFUSALS: readonly Refusal[] = [
  {
    what: 'FULLTEXT index',
    key: 'refuseFulltext',
    skip: (c) => (c.fulltext ? 'the engine has FULLTEXT indexes' : null),
    create: (e) => `CREATE TABLE refused (a VARCHAR(10), FULLTEXT (a)) ENGINE=${e}`,
    errno: 1214,
    message: () => "The used table type doesn't support FULLTEXT indexes",
  },
  {
    what: 'any key on an engine without indexes',
    key: 'refuseKeys',
    skip: (c) => (c.indexes ? 'the engine has indexes' : null),
    create: (e) => `CREATE TABLE refused (a INT, KEY (a)) ENGINE=${e}`,
    errno: 1069,
    message: () => 'Too many keys specified; max 0 keys allowed',
  },
  {
    what: 'one key more than the engine allows',
    key: 'refuseKeyLimits',
    skip: (c) => (c.indexes ? null : 'the engine has no indexes'),
    create: (e, c) => `CREATE TABLE refused (${cols(c.maxKeys + 1)}, ${Array.from({ length: c.maxKeys + 1 }, (_, i) => `KEY k${i} (c${i})`).join(', ')}) ENGINE=${e}`,
    errno: 1069,
    message: (c) => `Too many keys specified; max ${c.maxKeys} keys allowed`,
  },
  {
    what: 'one key part more than the engine allows',
    key: 'refuseKeyLimits',
    skip: (c) => (c.indexes ? null : 'the engine has no indexes'),
    create: (e, c) => `CREATE TABLE refused (${cols(c.maxKeyParts + 1)}, KEY (${Array.from({ length: c.maxKeyParts + 1 }, (_, i) => `c${i}`).join(', ')})) ENGINE=${e}`,
    errno: 1070,
    message: (c) => `Too many key parts specified; max ${c.maxKeyParts} parts allowed`,
  },
  {
    what: 'a key longer than the engine allows',
    key: 'refuseKeyLimits',
    skip: (c) => (c.indexes ? null : 'the engine has no indexes'),
    create: (e, c) => `CREATE TABLE refused (a VARCHAR(${Math.floor(c.maxKeyLength / 4) + 1}), KEY (a)) ENGINE=${e}`,
    errno: 1071,
    message: (c) => `Specified key was too long; max key length is ${c.maxKeyLength} bytes`,
  },
  {
    what: 'NULL in an index',
    key: 'refuseNullKey',
    skip: (c) => (!c.indexes ? 'the engine has no indexes' : c.nullableIndexColumns ? 'the engine indexes NULLable columns' : null),
    create: (e) => `CREATE TABLE refused (a INT NULL, KEY (a)) ENGINE=${e}`,
    errno: 1121,
    message: () => "Table handler doesn't support NULL in given index. Please change column 'a' to be NOT NULL or use another handler",
  },
  {
    what: 'AUTO_INCREMENT',
    key: 'refuseAutoIncrement',
    skip: (c) => (c.autoIncrement ? 'the engine has AUTO_INCREMENT' : null),
    create: (e) => `CREATE TABLE refused (a INT AUTO_INCREMENT, KEY (a)) ENGINE=${e}`,
    errno: 1164,
    message: () => "The used table type doesn't support AUTO_INCREMENT columns",
  },
  {
    what: 'a nullable column on an engine without nullable columns',
    key: 'refuseNullable',
    skip: (c) => (c.nullableColumns ? 'the engine has nullable columns' : null),
    create: (e) => `CREATE TABLE refused (a INT NOT NULL, b INT) ENGINE=${e}`,
    errno: 1178,
    message: () => "The storage engine for the table doesn't support nullable columns",
  },
  {
    what: 'PARTITION BY',
    key: 'refusePartitioning',
    skip: (c) => (c.partitioning ? 'the engine partitions natively' : null),
    create: (e) => `CREATE TABLE refused (a INT) ENGINE=${e} PARTITION BY HASH (a) PARTITIONS 2`,
    errno: 1178,
    message: () => "The storage engine for the table doesn't support native partitioning",
  },
];

function refusalScenario(d: EngineDescriptor, env: SqlEnv, r: Refusal): void {
  const caps = capabilitiesOf(d);
  scenario(sqlSkip(d) ?? r.skip(caps), title(d, r.key, ['CORE-ENG-025'], 'wire', `${r.what}: refused with ${r.errno} and nothing created`), async () => {
    const c = env.conn;
    const engine = `${d.name} ${await tableOptions(d, 'refused')}`.trimEnd();
    expect(await fails(c, r.create(engine, caps), r.errno)).toBe(r.message(caps));
    expect(await rows(c, "SHOW TABLES LIKE 'refused'")).toEqual([]);
  });
}

function fullScenario(d: EngineDescriptor, env: SqlEnv): void {
  const cap = d.sizeCap;
  const skip = sqlSkip(d) ?? (d.rows.kind !== 'stored' ? 'the engine stores no rows' : cap ? null : 'the engine has no per-table size cap');
  scenario(skip, title(d, 'full', ['CORE-ENG-018'], 'wire', `a table created under a small ${cap?.variable ?? 'cap'} fills up: INSERT fails with 1114 "The table 't' is full"; rows the statement wrote before it stay unless the engine undoes the statement`), async () => {
    const c = env.conn;
    await ok(c, `SET SESSION ${cap!.variable} = ${cap!.small}`);
    try {
      await createTable(c, d, 'capped', 'id INT');
      let n = 0;
      for (let batch = 0; batch < MAX_FILL_BATCHES; batch++) {
        const values = Array.from({ length: 50 }, (_, i) => `(${n + i})`).join(',');
        try {
          await c.query(`INSERT INTO capped VALUES ${values}`);
          n += 50;
        } catch (e) {
          expect((e as { errno: number }).errno).toBe(1114);
          expect((e as { sqlMessage: string }).sqlMessage).toBe("The table 'capped' is full");
          const kept = await count(c, 'capped');
          if (d.create().capabilities.transactions) {
            // A transactional engine undoes the failing statement whole.
            expect(kept).toBe(n);
          } else {
            // No transactions: the rows of the failing statement written before the full one stay.
            expect(kept).toBeGreaterThanOrEqual(n);
            expect(kept).toBeLessThan(n + 50);
          }
          // Full means full: row by row, the table takes at most the rest of a batch more.
          let more = 0;
          while (more < 50) {
            try {
              await c.query(`INSERT INTO capped VALUES (${-1 - more})`);
              more++;
            } catch (e2) {
              expect((e2 as { errno: number }).errno).toBe(1114);
              break;
            }
          }
          expect(more).toBeLessThan(50);
          await ok(c, 'DROP TABLE capped');
          return;
        }
      }
      throw new Error('the table never filled');
    } finally {
      await ok(c, `SET SESSION ${cap!.variable} = DEFAULT`);
    }
  });
}

export function sqlErrorScenarios(d: EngineDescriptor, env: SqlEnv): void {
  describe('capability errors through SQL', () => {
    for (const r of REFUSALS) refusalScenario(d, env, r);
    fullScenario(d, env);
  });
}
