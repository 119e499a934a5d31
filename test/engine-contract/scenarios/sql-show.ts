/**
 * What SQL reports about an engine and its tables (SHOW ENGINES, information_schema.ENGINES,
 * SHOW TABLE STATUS, information_schema.TABLES, SHOW INDEX, aliases), and the planner using an
 * engine's indexes as their algorithm allows (EXPLAIN).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/show-engines.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/show-table-status.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/index-btree-hash.html
 * @req CORE-ENG-022 CORE-ENG-023
 */
import { describe, expect } from 'vitest';
import { capabilitiesOf, indexesAnyColumn, title, type EngineDescriptor } from '../descriptor.js';
import { col, context, keyAlgorithms, tableDef } from '../harness/contract.js';
import { columnsFor, createTable, ok, rows, sqlSkip } from '../harness/sql.js';
import { people, scenario, withEngine } from './common.js';
import type { SqlEnv } from './sql-env.js';

const yn = (b: boolean): string => (b ? 'YES' : 'NO');

/** The row format the engine reports, asked through the contract, for a table of the same
 *  shape as the SQL one (`id INT`): an engine may choose it per table (Fixed without
 *  variable-length columns, Dynamic with them). */
async function rowFormat(d: EngineDescriptor): Promise<string> {
  return withEngine(d, async (e) => {
    const ctx = context();
    const h = await e.table(tableDef(d.name, 'fmt', [col('id', 'INT')]), ctx);
    return h.stats(ctx).rowFormat;
  });
}

function enginesRowScenario(d: EngineDescriptor, env: SqlEnv): void {
  scenario(sqlSkip(d), title(d, 'sqlEngines', ['CORE-ENG-022', 'ENGINE-LIST-003', 'ENGINE-LIST-006', 'PLUGGABLE-031'], 'wire', 'SHOW ENGINES and information_schema.ENGINES give the engine\'s comment and Transactions / XA / Savepoints from its capabilities'), async () => {
    const c = env.conn;
    const engine = d.create();
    const def = String((await rows(c, 'SELECT @@default_storage_engine AS e'))[0]!['e']);
    const want = {
      Engine: d.name,
      Support: def.toUpperCase() === d.name.toUpperCase() ? 'DEFAULT' : 'YES',
      Comment: engine.comment,
      Transactions: yn(engine.capabilities.transactions),
      XA: yn(engine.capabilities.xa),
      Savepoints: yn(engine.capabilities.savepoints),
    };
    expect((await rows(c, 'SHOW ENGINES')).filter((r) => r['Engine'] === d.name)).toEqual([want]);
    const is = await rows(c, 'SELECT ENGINE, SUPPORT, COMMENT, TRANSACTIONS, XA, SAVEPOINTS FROM information_schema.ENGINES WHERE ENGINE = ?', [d.name]);
    expect(is.map((r) => Object.values(r))).toEqual([Object.values(want)]);
  });
}

function tableStatusScenario(d: EngineDescriptor, env: SqlEnv): void {
  const text = 'SHOW TABLE STATUS and information_schema.TABLES name the engine canonically (also when created through an alias or in lower case) with the engine\'s row count and row format';
  scenario(sqlSkip(d), title(d, 'sqlStatus', ['CORE-ENG-022', 'ENGINE-LIST-010', 'ENGINE-SET-001'], 'wire', text), async () => {
    const c = env.conn;
    const engine = d.create();
    const format = await rowFormat(d);
    const spellings = [d.name.toLowerCase(), ...engine.aliases];
    for (const [i, spelling] of spellings.entries()) {
      const t = `status${i}`;
      await createTable(c, d, t, columnsFor(capabilitiesOf(d).nullableColumns, 'id INT'), { spelling });
      const n = d.rows.kind === 'stored' ? 3 : 0;
      if (n > 0) await ok(c, `INSERT INTO ${t} VALUES (1), (2), (3)`);
      const st = (await rows(c, `SHOW TABLE STATUS LIKE '${t}'`))[0]!;
      expect([st['Engine'], st['Row_format']], spelling).toEqual([d.name, format]);
      if (d.exact.rowCount) expect(Number(st['Rows'])).toBe(n);
      const is = await rows(c, 'SELECT ENGINE, TABLE_ROWS, ROW_FORMAT FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?', [t]);
      expect([is[0]!['ENGINE'], is[0]!['ROW_FORMAT']]).toEqual([d.name, format]);
      if (d.exact.rowCount) expect(Number(is[0]!['TABLE_ROWS'])).toBe(n);
      expect(String((await rows(c, `SHOW CREATE TABLE ${t}`))[0]!['Create Table'])).toContain(`ENGINE=${d.name} `);
      await ok(c, `DROP TABLE ${t}`);
    }
  });
}

function explainScenario(d: EngineDescriptor, env: SqlEnv, algo: 'BTREE' | 'HASH'): void {
  const caps = capabilitiesOf(d);
  const skip = sqlSkip(d) ?? (d.rows.kind !== 'stored' ? 'the engine stores no rows' : !keyAlgorithms(caps).includes(algo) ? `the engine has no ${algo} indexes` : !indexesAnyColumn(d) ? 'the engine indexes only its AUTO_INCREMENT column' : null);
  const range = algo === 'BTREE' ? 'and for a range' : 'but not for an open range';
  scenario(skip, title(d, 'sqlExplain', ['CORE-ENG-023'], 'wire', `a ${algo} key is used for equality ${range} (EXPLAIN), SHOW INDEX reports ${algo}, and the rows are right either way`), async () => {
    const c = env.conn;
    const t = `ix_${algo.toLowerCase()}`;
    await createTable(c, d, t, `id INT NOT NULL, k INT, PRIMARY KEY (id), KEY kk (k) USING ${algo}`);
    await ok(c, `INSERT INTO ${t} VALUES ${Array.from({ length: 40 }, (_, i) => `(${i + 1}, ${(i + 1) % 8})`).join(', ')}`);
    const idx = await rows(c, `SHOW INDEX FROM ${t} WHERE Key_name = 'kk'`);
    expect(idx.map((r) => r['Index_type'])).toEqual([algo]);
    const eq = (await rows(c, `EXPLAIN SELECT id FROM ${t} WHERE k = 3`))[0]!;
    expect(eq['key']).toBe('kk');
    expect(await rows(c, `SELECT id FROM ${t} WHERE k = 3 ORDER BY id`)).toEqual([3, 11, 19, 27, 35].map((id) => ({ id })));
    const rg = (await rows(c, `EXPLAIN SELECT id FROM ${t} WHERE k > 5`))[0]!;
    if (algo === 'BTREE') expect([rg['key'], rg['type']]).toEqual(['kk', 'range']);
    else expect(rg['key']).toBeNull();
    const want = Array.from({ length: 40 }, (_, i) => i + 1).filter((id) => id % 8 > 5);
    expect((await rows(c, `SELECT id FROM ${t} WHERE k > 5 ORDER BY id`)).map((r) => r['id'])).toEqual(want);
    await ok(c, `DROP TABLE ${t}`);
  });
}

function descendingRangeScenario(d: EngineDescriptor, env: SqlEnv): void {
  const caps = capabilitiesOf(d);
  const skip = sqlSkip(d) ?? (d.rows.kind !== 'stored' ? 'the engine stores no rows' : !keyAlgorithms(caps).includes('BTREE') ? 'the engine has no BTREE indexes' : !indexesAnyColumn(d) ? 'the engine indexes only its AUTO_INCREMENT column' : null);
  scenario(skip, title(d, 'sqlExplain', ['CORE-ENG-023', 'CORE-ENG-009'], 'wire', 'a BTREE key with a DESC part answers ranges with the right rows'), async () => {
    const c = env.conn;
    await createTable(c, d, 'descs', 'k INT, KEY kd (k DESC) USING BTREE');
    await ok(c, 'INSERT INTO descs VALUES (1), (2), (3), (4), (5), (6), (7), (8)');
    expect((await rows(c, 'SELECT k FROM descs WHERE k > 5 ORDER BY k')).map((r) => r['k'])).toEqual([6, 7, 8]);
    expect((await rows(c, 'SELECT k FROM descs WHERE k BETWEEN 2 AND 4 ORDER BY k')).map((r) => r['k'])).toEqual([2, 3, 4]);
    expect((await rows(c, 'SELECT k FROM descs WHERE k < 3 ORDER BY k')).map((r) => r['k'])).toEqual([1, 2]);
    await ok(c, 'DROP TABLE descs');
  });
}

function defaultAlgorithmScenario(d: EngineDescriptor, env: SqlEnv): void {
  const caps = capabilitiesOf(d);
  const missing = (['BTREE', 'HASH'] as const).filter((a) => !keyAlgorithms(caps).includes(a));
  const skip = sqlSkip(d) ?? (!caps.indexes ? 'the engine has no indexes' : null);
  const text = `a key without USING gets the engine's default algorithm (${caps.defaultIndexAlgorithm}), and so does USING an algorithm the engine lacks`;
  scenario(skip, title(d, 'sqlDefaultKey', ['CORE-ENG-023', 'ENGINE-CHOOSE-011'], 'wire', text), async () => {
    const c = env.conn;
    for (const using of ['', ...missing.map((a) => `USING ${a}`)]) {
      // An engine that indexes only its AUTO_INCREMENT column gets the key on such a column.
      const ai = indexesAnyColumn(d) ? '' : ' AUTO_INCREMENT';
      await createTable(c, d, 'algo', `k INT${ai}, KEY kk (k) ${using}`);
      expect((await rows(c, "SHOW INDEX FROM algo WHERE Key_name = 'kk'")).map((r) => r['Index_type']), using).toEqual([caps.defaultIndexAlgorithm]);
      await ok(c, 'DROP TABLE algo');
    }
  });
}

export function sqlShowScenarios(d: EngineDescriptor, env: SqlEnv): void {
  describe('engine and table reports through SQL', () => {
    enginesRowScenario(d, env);
    tableStatusScenario(d, env);
    explainScenario(d, env, 'BTREE');
    explainScenario(d, env, 'HASH');
    descendingRangeScenario(d, env);
    defaultAlgorithmScenario(d, env);
  });
}
