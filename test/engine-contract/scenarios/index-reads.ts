/**
 * Index reads through the contract, for each key algorithm the engine declares: equality on
 * full keys and prefixes, ranges with inclusive, exclusive and open bounds, reverse ranges,
 * NULLs, HASH indexes still answering correctly what they cannot serve directly, and unique
 * indexes (several NULLs, 1062 with MySQL's text).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/mysql-indexes.html
 * @req CORE-ENG-009 CORE-ENG-010 CORE-ENG-011
 */
import { describe, expect } from 'vitest';
import type { Row } from '../../../src/kernel/value.js';
import { capabilitiesOf, duplicateError, indexesAnyColumn, title, type EngineDescriptor } from '../descriptor.js';
import { col, context, index, keyAlgorithms, readOpts, readAll, sortRows, sqlFailure, tableDef } from '../harness/contract.js';
import { expectedRows, inKeyOrder, sampleReads } from '../harness/index-model.js';
import { insertAll, people, peopleRows, scenario, withEngine } from './common.js';

function skipWithout(d: EngineDescriptor, algo: 'BTREE' | 'HASH'): string | null {
  const caps = capabilitiesOf(d);
  if (d.rows.kind !== 'stored') return 'the engine stores no rows';
  if (!caps.indexes) return 'the engine has no indexes';
  if (!indexesAnyColumn(d)) return 'the engine indexes only its AUTO_INCREMENT column';
  if (!keyAlgorithms(caps).includes(algo)) return `the engine has no ${algo} indexes`;
  return null;
}

function readScenario(d: EngineDescriptor, algo: 'BTREE' | 'HASH'): void {
  const R = readOpts(d);
  const ids = algo === 'BTREE' ? ['CORE-ENG-009'] : ['CORE-ENG-009', 'CORE-ENG-010'];
  const text =
    algo === 'BTREE'
      ? 'BTREE reads: eq on full keys and prefixes, ranges with inclusive/exclusive/open bounds in key order, reverse, NULL first'
      : 'HASH reads: eq over all parts answered by the hash, prefix and range reads still return exactly the matching rows';
  scenario(skipWithout(d, algo), title(d, algo === 'BTREE' ? 'index' : 'hash', ids, 'unit', text), async () => {
    await withEngine(d, async (e) => {
      const p = await people(e, [index('k', 'INDEX', algo, [1]), index('kn', 'INDEX', algo, [1, 2])]);
      const rows = peopleRows(30);
      await insertAll(p, rows);
      for (const name of ['k', 'kn']) {
        const idx = p.def.indexes.find((i) => i.name === name)!;
        for (const { label, read } of sampleReads(idx.parts.length)) {
          const got = (await readAll(p.h.indexRead(p.ctx, name, read, R), 7, R.canWait)).map((r) => r.row);
          expect(sortRows(got), `${name}: ${label}`).toEqual(sortRows(expectedRows(idx, read, rows)));
          // Order is part of a BTREE read; a HASH index answering a range is not asked for order.
          if (algo === 'BTREE' && read.kind === 'range') expect(inKeyOrder(idx, got, read.reverse ?? false), `${name}: ${label} order`).toBe(true);
        }
      }
    });
  });
}

function uniqueScenario(d: EngineDescriptor, algo: 'BTREE' | 'HASH'): void {
  const R = readOpts(d);
  const report = d.duplicateKey ? `${d.duplicateKey.errno} "${d.duplicateKey.message('table')}"` : `1062 "Duplicate entry 'v' for key 'table.index'" (parts joined by '-')`;
  const text = `${algo} UNIQUE: several NULLs allowed and found by eq NULL; duplicates fail with ${report} on insert and update, leaving the table unchanged`;
  scenario(skipWithout(d, algo), title(d, 'unique', ['CORE-ENG-011'], 'unit', text), async () => {
    await withEngine(d, async (e) => {
      const p = await people(e, [index('u', 'UNIQUE', algo, [1])]);
      const rows: Row[] = [
        [1n, null, 'a'],
        [2n, null, 'a'],
        [3n, null, null],
        [4n, 7n, 'x'],
        [5n, 8n, 'y'],
      ];
      await insertAll(p, rows);
      const nulls = await readAll(p.h.indexRead(p.ctx, 'u', { kind: 'eq', key: [null] }, R), 64, R.canWait);
      expect(nulls.map((r) => r.row[0]).sort()).toEqual([1n, 2n, 3n]);
      const dupU = duplicateError(d, 'people', 'u', '7');
      const dupPk = duplicateError(d, 'people', 'PRIMARY', '1');
      expect(await sqlFailure(() => p.h.insert(p.ctx, [6n, 7n, 'z']), dupU.errno)).toBe(dupU.message);
      expect(await sqlFailure(() => p.h.insert(p.ctx, [1n, 9n, 'q']), dupPk.errno)).toBe(dupPk.message);
      // Update onto another row's key: 1062, and neither row changes.
      expect(await sqlFailure(() => p.h.update(p.ctx, p.ids.get(5n)!, rows[4]!, [5n, 7n, 'y']), dupU.errno)).toBe(dupU.message);
      expect(sortRows((await readAll(p.h.scan(p.ctx, R), 64, R.canWait)).map((r) => r.row))).toEqual(sortRows(rows));
      expect((await readAll(p.h.indexRead(p.ctx, 'u', { kind: 'eq', key: [8n] }, R), 64, R.canWait)).map((r) => r.row)).toEqual([rows[4]]);
      // An update that keeps a row's own unique key is not a duplicate of itself.
      await p.h.update(p.ctx, p.ids.get(5n)!, rows[4]!, [5n, 8n, 'Y']);

      const pair = await people(e, [index('ukn', 'UNIQUE', algo, [1, 2])], 'pair');
      await insertAll(pair, [
        [1n, 3n, 'abc'],
        [2n, null, 'abc'],
        [3n, null, 'abc'],
      ]);
      const dupPair = duplicateError(d, 'pair', 'ukn', '3-ABC');
      expect(await sqlFailure(() => pair.h.insert(pair.ctx, [4n, 3n, 'ABC']), dupPair.errno)).toBe(dupPair.message);
      expect((await readAll(pair.h.scan(pair.ctx, R), 64, R.canWait)).length).toBe(3);
    });
  });
}

function collationScenario(d: EngineDescriptor, algo: 'BTREE' | 'HASH'): void {
  const R = readOpts(d);
  const text = `${algo} keys compare text by the column's collation: utf8mb4_0900_ai_ci keys equal across case and accents (eq reads, ${d.duplicateKey?.errno ?? 1062}), binary keys do not`;
  scenario(skipWithout(d, algo), title(d, 'unique', ['CORE-ENG-011', 'CORE-DDL-040'], 'unit', text), async () => {
    await withEngine(d, async (e) => {
      const columns = [col('id', 'INT', { nullable: false }), col('s', { name: 'VARCHAR', length: 10 }), col('b', { name: 'VARBINARY', length: 10 })];
      const def = tableDef(d.name, 'texts', columns, [index('us', 'UNIQUE', algo, [1]), index('ub', 'UNIQUE', algo, [2])]);
      const ctx = context();
      const h = await e.table(def, ctx);
      await h.insert(ctx, [1n, 'abc', Buffer.from('abc')]);
      await h.insert(ctx, [2n, 'xyz', Buffer.from('ABC')]);
      const dup = duplicateError(d, 'texts', 'us', '\u00c0BC');
      expect(await sqlFailure(() => h.insert(ctx, [3n, '\u00c0BC', null]), dup.errno)).toBe(dup.message);
      const eq = async (name: string, key: Row): Promise<bigint[]> =>
        (await readAll(h.indexRead(ctx, name, { kind: 'eq', key }, R), 64, R.canWait)).map((r) => r.row[0] as bigint).sort();
      expect(await eq('us', ['ABC'])).toEqual([1n]);
      expect(await eq('us', ['\u00e1bc'])).toEqual([1n]);
      expect(await eq('ub', [Buffer.from('ABC')])).toEqual([2n]);
      expect(await eq('ub', [Buffer.from('abc')])).toEqual([1n]);
    });
  });
}

function descendingScenario(d: EngineDescriptor): void {
  const R = readOpts(d);
  const text = 'a BTREE key with a DESC part is read in its own order: bounds and reverse follow the index order, equality is unchanged';
  scenario(skipWithout(d, 'BTREE'), title(d, 'index', ['CORE-ENG-009'], 'unit', text), async () => {
    await withEngine(d, async (e) => {
      const kd = index('kd', 'INDEX', 'BTREE', [1, 2]);
      kd.parts[0]!.desc = true;
      const p = await people(e, [kd]);
      const rows = peopleRows(30);
      await insertAll(p, rows);
      for (const { label, read } of sampleReads(2)) {
        const got = (await readAll(p.h.indexRead(p.ctx, 'kd', read, R), 7, R.canWait)).map((r) => r.row);
        expect(sortRows(got), label).toEqual(sortRows(expectedRows(kd, read, rows)));
        if (read.kind === 'range') expect(inKeyOrder(kd, got, read.reverse ?? false), `${label} order`).toBe(true);
      }
      // In index order k runs 4, 3, 2, 1, NULL: "from 3 to 1" is 3, 2, 1.
      const from3to1 = await readAll(p.h.indexRead(p.ctx, 'kd', { kind: 'range', low: { key: [3n], inclusive: true }, high: { key: [1n], inclusive: true } }, R), 64, R.canWait);
      expect([...new Set(from3to1.map((r) => r.row[1]))]).toEqual([3n, 2n, 1n]);
    });
  });
}

export function indexScenarios(d: EngineDescriptor): void {
  describe('index reads', () => {
    readScenario(d, 'BTREE');
    readScenario(d, 'HASH');
    uniqueScenario(d, 'BTREE');
    uniqueScenario(d, 'HASH');
    collationScenario(d, 'BTREE');
    collationScenario(d, 'HASH');
    descendingScenario(d);
  });
}
