/**
 * Row changes through the contract: handles, update and delete keeping every index in step,
 * TRUNCATE, engines that store nothing (1031), and a table reaching its size cap (1114).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/pluggable-storage-overview.html (16.11)
 * @req CORE-ENG-014 CORE-ENG-015 CORE-ENG-017 CORE-ENG-018
 */
import { describe, expect } from 'vitest';
import type { Row } from '../../../src/kernel/value.js';
import type { CursorOptions } from '../../../src/storage/handler.js';
import { needsChanges, title, type EngineDescriptor } from '../descriptor.js';
import { col, context, idKey, index, keyAlgorithms, readOpts, readAll, sortRows, sqlFailure, tableDef } from '../harness/contract.js';
import { freeKeyAlgorithms, insertAll, needsRows, noCounter, people, peopleRows, scenario, withEngine } from './common.js';

/** Bound on inserts while filling a table to its cap. */
const MAX_FILL_ROWS = 1_000_000;

async function eqIds(p: Awaited<ReturnType<typeof people>>, indexName: string, key: Row, R: CursorOptions): Promise<bigint[]> {
  const got = await readAll(p.h.indexRead(p.ctx, indexName, { kind: 'eq', key }, R), 64, R.canWait);
  return got.map((r) => r.row[0] as bigint).sort((a, b) => (a < b ? -1 : 1));
}

function handleScenario(d: EngineDescriptor): void {
  const R = readOpts(d);
  const text = 'insert returns the handle reads give; update replaces the row under that handle and moves its index entries; delete removes it from the table and every index; the engine keeps its own copy of a row';
  scenario(needsChanges(d), title(d, 'writes', ['CORE-ENG-014'], 'unit', text), async () => {
    await withEngine(d, async (e) => {
      const algo = freeKeyAlgorithms(e)[0];
      const p = await people(e, algo ? [index('k', 'INDEX', algo, [1])] : []);
      const rows = peopleRows(12);
      await insertAll(p, rows);
      const byHandle = new Map((await readAll(p.h.scan(p.ctx, R), 64, R.canWait)).map((r) => [idKey(r.id), r.row]));
      for (const [id, handle] of p.ids) expect(byHandle.get(idKey(handle))?.[0], `handle of ${id}`).toBe(id);

      const row3 = rows[2]!;
      const changed: Row = [3n, 4n, 'changed'];
      await p.h.update(p.ctx, p.ids.get(3n)!, row3, changed);
      const after = new Map((await readAll(p.h.scan(p.ctx, R), 64, R.canWait)).map((r) => [idKey(r.id), r.row]));
      expect(after.get(idKey(p.ids.get(3n)!))).toEqual(changed);
      expect(after.size).toBe(12);
      if (algo) {
        expect(await eqIds(p, 'k', [3n], R)).not.toContain(3n);
        expect(await eqIds(p, 'k', [4n], R)).toContain(3n);
        expect(await eqIds(p, 'PRIMARY', [3n], R)).toEqual([3n]);
      }

      await p.h.delete(p.ctx, p.ids.get(4n)!, rows[3]!);
      const left = sortRows((await readAll(p.h.scan(p.ctx, R), 64, R.canWait)).map((r) => r.row));
      expect(left).toEqual(sortRows([...rows.filter((r) => r[0] !== 3n && r[0] !== 4n), changed]));
      if (algo) {
        expect(await eqIds(p, 'k', [4n], R)).toEqual([3n, 9n]);
        expect(await eqIds(p, 'PRIMARY', [4n], R)).toEqual([]);
      }

      // The caller's arrays are its own: changing them afterwards changes nothing stored.
      const mine: Row = [50n, 1n, 'mine'];
      await p.h.insert(p.ctx, mine);
      mine[2] = 'scribbled';
      changed[2] = 'scribbled';
      const stored = (await readAll(p.h.scan(p.ctx, R), 64, R.canWait)).map((r) => r.row[2]);
      expect(stored).toContain('mine');
      expect(stored).toContain('changed');
      expect(stored).not.toContain('scribbled');
    });
  });
}

function truncateScenario(d: EngineDescriptor): void {
  const R = readOpts(d);
  const text = 'truncate removes every row and index entry and restarts AUTO_INCREMENT at the table\'s start value';
  const skip = d.rows.kind === 'stored' ? needsChanges(d) : null;
  scenario(skip, title(d, 'truncate', ['CORE-ENG-015'], 'unit', text), async () => {
    await withEngine(d, async (e) => {
      const ctx = context();
      const ai = e.caps.autoIncrement && e.caps.indexes;
      const columns = [col('id', 'INT', { nullable: false, autoIncrement: ai }), col('k', 'INT')];
      const algo = keyAlgorithms(e.caps)[0];
      const indexes = e.caps.indexes ? [index('PRIMARY', 'PRIMARY', e.caps.defaultIndexAlgorithm, [0]), index('k', 'INDEX', algo!, [1])] : [];
      const def = tableDef(d.name, 'trunc', columns, indexes, { autoIncrementStart: 100n });
      const h = await e.table(def, ctx);
      if (d.rows.kind === 'stored') {
        for (let i = 0; i < 5; i++) {
          const id = ai ? h.reserveAutoIncrement(ctx, 1).first : BigInt(100 + i);
          await h.insert(ctx, [id, 1n]);
        }
        expect((await readAll(h.scan(ctx, R), 64, R.canWait)).length).toBe(5);
      }
      await h.truncate(ctx);
      expect(await readAll(h.scan(ctx, R), 64, R.canWait)).toEqual([]);
      if (e.caps.indexes) expect(await readAll(h.indexRead(ctx, 'k', { kind: 'eq', key: [1n] }, R), 64, R.canWait)).toEqual([]);
      expect(h.stats(ctx).rows).toBe(0);
      if (ai && noCounter(d) === null) {
        expect(h.stats(ctx).autoIncrement).toBe(100n);
        expect(h.reserveAutoIncrement(ctx, 1).first).toBe(100n);
      }
      if (d.rows.kind === 'stored') {
        await h.insert(ctx, [7n, 1n]);
        expect((await readAll(h.scan(ctx, R), 64, R.canWait)).map((r) => r.row)).toEqual([[7n, 1n]]);
      }
    });
  });
}

function insertOnlyScenario(d: EngineDescriptor): void {
  const R = readOpts(d);
  const errno = d.insertOnly?.errno ?? 0;
  const skip = d.rows.kind !== 'stored' ? 'the engine stores no rows' : d.insertOnly ? null : 'the engine updates and deletes rows';
  const text = `an engine that only adds rows refuses update, delete and truncate with ${errno || 1031} "Table storage engine for 't' doesn't have this option", keeping every row, its handle and the AUTO_INCREMENT counter`;
  scenario(skip, title(d, 'writes', ['CORE-ENG-014', 'CORE-ENG-015'], 'unit', text), async () => {
    await withEngine(d, async (e) => {
      const ctx = context();
      const ai = e.caps.autoIncrement && e.caps.indexes;
      const columns = [col('id', 'INT', { nullable: false, autoIncrement: ai }), col('k', 'INT')];
      const indexes = ai ? [index('PRIMARY', 'PRIMARY', e.caps.defaultIndexAlgorithm, [0])] : [];
      const def = tableDef(d.name, 'adds', columns, indexes, { autoIncrementStart: 100n });
      const h = await e.table(def, ctx);
      for (let i = 0; i < 5; i++) await h.insert(ctx, [ai ? h.reserveAutoIncrement(ctx, 1).first : BigInt(100 + i), BigInt(i)]);
      const before = await readAll(h.scan(ctx, R), 64, R.canWait);
      expect(before.map((r) => r.row)).toEqual([0, 1, 2, 3, 4].map((i) => [BigInt(100 + i), BigInt(i)]));
      const message = "Table storage engine for 'adds' doesn't have this option";
      expect(await sqlFailure(() => h.update(ctx, before[1]!.id, before[1]!.row, [101n, 9n]), errno)).toBe(message);
      expect(await sqlFailure(() => h.delete(ctx, before[2]!.id, before[2]!.row), errno)).toBe(message);
      expect(await sqlFailure(() => h.truncate(ctx), errno)).toBe(message);
      const after = await readAll(h.scan(ctx, R), 64, R.canWait);
      expect(after.map((r) => [idKey(r.id), r.row])).toEqual(before.map((r) => [idKey(r.id), r.row]));
      expect(h.stats(ctx).rows).toBe(5);
      if (ai) expect(h.reserveAutoIncrement(ctx, 1).first).toBe(105n);
    });
  });
}

function rejectedScenario(d: EngineDescriptor): void {
  const R = readOpts(d);
  const skip = d.rows.kind === 'rejected' ? null : d.rows.kind === 'discarded' ? 'the engine accepts writes' : 'the engine stores rows';
  const errno = d.rows.kind === 'rejected' ? d.rows.errno : 0;
  const text = `an engine that stores nothing returns no row from any read and refuses inserts with ${errno || 1031} "Table storage engine for 't' doesn't have this option"`;
  scenario(skip, title(d, 'rejected', ['CORE-ENG-017'], 'unit', text), async () => {
    await withEngine(d, async (e) => {
      const p = await people(e);
      expect(await sqlFailure(() => p.h.insert(p.ctx, [1n, 1n, 'a']), errno)).toBe("Table storage engine for 'people' doesn't have this option");
      expect(await readAll(p.h.scan(p.ctx, R), 64, R.canWait)).toEqual([]);
      expect(p.h.stats(p.ctx).rows).toBe(0);
      await p.h.truncate(p.ctx);
      expect(await readAll(p.h.scan(p.ctx, R), 64, R.canWait)).toEqual([]);
    });
  });
}

function discardedScenario(d: EngineDescriptor): void {
  const R = readOpts(d);
  const skip = d.rows.kind === 'discarded' ? null : 'the engine does not discard rows';
  const text = 'an engine that discards rows accepts every insert with a distinct handle, returns no row from any scan or index read, and keeps no AUTO_INCREMENT counter: each statement\'s generated values start at 1';
  scenario(skip, title(d, 'discarded', ['CORE-ENG-017'], 'unit', text), async () => {
    await withEngine(d, async (e) => {
      const algo = keyAlgorithms(e.caps)[0];
      const p = await people(e, algo ? [index('k', 'INDEX', algo, [1])] : []);
      const rows = peopleRows(10);
      await insertAll(p, rows);
      expect(new Set([...p.ids.values()].map(idKey)).size).toBe(10);
      expect(await readAll(p.h.scan(p.ctx, R), 64, R.canWait)).toEqual([]);
      if (algo) {
        expect(await readAll(p.h.indexRead(p.ctx, 'k', { kind: 'eq', key: [1n] }, R), 64, R.canWait)).toEqual([]);
        expect(await readAll(p.h.indexRead(p.ctx, 'PRIMARY', { kind: 'range', low: { key: [0n], inclusive: true } }, R), 64, R.canWait)).toEqual([]);
      }
      expect(p.h.stats(p.ctx).rows).toBe(0);
      // The same key again: nothing is kept, so there is nothing to collide with.
      await p.h.insert(p.ctx, rows[0]!);
      await p.h.truncate(p.ctx);
      expect(await readAll(p.h.scan(p.ctx, R), 64, R.canWait)).toEqual([]);
      if (e.caps.autoIncrement) {
        // Two statements (two contexts): both start at 1; within one, values follow each other.
        const s1 = context();
        expect(p.h.reserveAutoIncrement(s1, 1).first).toBe(1n);
        expect(p.h.reserveAutoIncrement(s1, 1).first).toBe(2n);
        p.h.observeAutoIncrement(s1, 10n);
        expect(p.h.reserveAutoIncrement(s1, 1).first).toBe(11n);
        const s2 = context();
        p.h.observeAutoIncrement(s2, 50n);
        expect(p.h.reserveAutoIncrement(s2, 1).first).toBe(1n);
      }
    });
  });
}

function fullScenario(d: EngineDescriptor): void {
  const R = readOpts(d);
  const cap = d.sizeCap;
  const skip = needsRows(d) ?? (cap ? null : 'the engine has no per-table size cap');
  const text = `a table at its size cap (${cap?.variable ?? 'none'}) refuses inserts with 1114 "The table 't' is full", keeps the rows before it, and takes rows again after a delete; TRUNCATE reads the cap anew`;
  scenario(skip, title(d, 'full', ['CORE-ENG-018'], 'unit', text), async () => {
    await withEngine(d, async (e) => {
      const small = context({ vars: { [cap!.variable]: BigInt(cap!.small) } });
      const def = tableDef(d.name, 'capped', [col('id', 'INT', { nullable: false })], e.caps.indexes ? [index('PRIMARY', 'PRIMARY', e.caps.defaultIndexAlgorithm, [0])] : []);
      const h = await e.table(def, small);
      const fill = async (start: number): Promise<number> => {
        for (let i = start; i < start + MAX_FILL_ROWS; i++) {
          try {
            await h.insert(small, [BigInt(i)]);
          } catch (err) {
            expect((err as { errno: number }).errno).toBe(1114);
            expect((err as Error).message).toBe("The table 'capped' is full");
            return i - start;
          }
        }
        throw new Error('the table never filled');
      };
      const n = await fill(0);
      expect(n).toBeGreaterThan(0);
      const rows = await readAll(h.scan(small, R), 64, R.canWait);
      expect(rows.length).toBe(n);
      if (e.caps.indexes) expect(await readAll(h.indexRead(small, 'PRIMARY', { kind: 'eq', key: [BigInt(n)] }, R), 64, R.canWait)).toEqual([]);
      await h.delete(small, rows[0]!.id, rows[0]!.row);
      await h.insert(small, [-1n]);
      await sqlFailure(() => h.insert(small, [-2n]), 1114);
      const big = context({ vars: { [cap!.variable]: BigInt(cap!.small * 4) } });
      await h.truncate(big);
      expect(await fill(0)).toBeGreaterThan(3 * n);
    });
  });
}

export function writeScenarios(d: EngineDescriptor): void {
  describe('row changes', () => {
    handleScenario(d);
    truncateScenario(d);
    insertOnlyScenario(d);
    rejectedScenario(d);
    discardedScenario(d);
    fullScenario(d);
  });
}
