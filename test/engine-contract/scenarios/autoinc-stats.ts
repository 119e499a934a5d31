/**
 * AUTO_INCREMENT reservation, row estimates and table statistics through the contract, and the
 * capability record agreeing with the operations the engine implements.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-auto-increment-handling.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/show-table-status.html
 * @req CORE-ENG-004 CORE-ENG-012 CORE-ENG-013 CORE-ENG-016
 */
import { describe, expect } from 'vitest';
import { capabilitiesOf, indexesAnyColumn, title, type EngineDescriptor } from '../descriptor.js';
import { col, context, index, keyAlgorithms, readOpts, readAll, tableDef } from '../harness/contract.js';
import { expectedRows, sampleReads } from '../harness/index-model.js';
import { insertAll, noCounter, people, peopleRows, scenario, withEngine } from './common.js';

function autoIncrementScenario(d: EngineDescriptor): void {
  const caps = capabilitiesOf(d);
  const skip = caps.autoIncrement ? noCounter(d) : 'the engine has no AUTO_INCREMENT';
  const text = 'reserveAutoIncrement(n) grants 1..n consecutive values from the start value, never handed out again; observeAutoIncrement moves the counter above an explicit value, never down';
  scenario(skip, title(d, 'autoIncrement', ['CORE-ENG-004'], 'unit', text), async () => {
    await withEngine(d, async (e) => {
      const ctx = context();
      const def = tableDef(d.name, 'ai', [col('id', 'BIGINT', { nullable: false, autoIncrement: true })], [index('PRIMARY', 'PRIMARY', e.caps.defaultIndexAlgorithm, [0])], {
        autoIncrementStart: 10n,
      });
      const h = await e.table(def, ctx);
      expect(h.stats(ctx).autoIncrement).toBe(10n);
      const handedOut = new Set<bigint>();
      let last = 9n;
      const take = (n: number): void => {
        const b = h.reserveAutoIncrement(ctx, n);
        expect(b.count).toBeGreaterThanOrEqual(1);
        expect(b.count).toBeLessThanOrEqual(n);
        expect(b.first).toBeGreaterThan(last);
        for (let i = 0n; i < BigInt(b.count); i++) {
          expect(handedOut.has(b.first + i)).toBe(false);
          handedOut.add(b.first + i);
        }
        last = b.first + BigInt(b.count) - 1n;
        // The next value the table reports is past the whole block.
        expect(h.stats(ctx).autoIncrement! > last).toBe(true);
      };
      const first = h.reserveAutoIncrement(ctx, 1);
      expect(first).toEqual({ first: 10n, count: 1 });
      handedOut.add(10n);
      last = 10n;
      for (const n of [1, 5, 100, 1, 3]) take(n);
      // Values reserved but never stored are not handed out again either: nothing was inserted.
      h.observeAutoIncrement(ctx, 1000n);
      const after = h.reserveAutoIncrement(ctx, 2);
      expect(after.first).toBeGreaterThan(1000n);
      last = after.first + BigInt(after.count) - 1n;
      h.observeAutoIncrement(ctx, 20n);
      expect(h.reserveAutoIncrement(ctx, 1).first).toBeGreaterThan(last);
      // A table without an AUTO_INCREMENT column reports none.
      const plain = await people(e);
      expect(plain.h.stats(plain.ctx).autoIncrement).toBeNull();
    });
  });
}

function estimateScenario(d: EngineDescriptor): void {
  const caps = capabilitiesOf(d);
  const skip = d.rows.kind !== 'stored' ? 'the engine stores no rows' : !caps.indexes ? 'the engine has no indexes' : indexesAnyColumn(d) ? null : 'the engine indexes only its AUTO_INCREMENT column';
  const exact = d.exact.estimates ? ', exactly' : '';
  const text = `estimateRows is a whole number, not 0 when rows match${exact}, for every key algorithm and read`;
  scenario(skip, title(d, 'estimate', ['CORE-ENG-012'], 'unit', text), async () => {
    await withEngine(d, async (e) => {
      for (const algo of keyAlgorithms(e.caps)) {
        const p = await people(e, [index('kn', 'INDEX', algo, [1, 2])], `est_${algo}`);
        const rows = peopleRows(40);
        await insertAll(p, rows);
        const idx = p.def.indexes.find((i) => i.name === 'kn')!;
        for (const { label, read } of sampleReads(2)) {
          const n = p.h.estimateRows(p.ctx, 'kn', read);
          const want = expectedRows(idx, read, rows).length;
          expect(Number.isInteger(n) && n >= 0, `${algo} ${label}: ${n}`).toBe(true);
          if (want > 0) expect(n, `${algo} ${label}`).toBeGreaterThan(0);
          if (d.exact.estimates) expect(n, `${algo} ${label}`).toBe(want);
        }
      }
    });
  });
}

function statsScenario(d: EngineDescriptor): void {
  const R = readOpts(d);
  const exact = d.exact.rowCount ? 'exactly' : 'approximately';
  const changes = d.insertOnly ? 'inserts (the engine only adds rows)' : 'inserts, deletes and truncate';
  const text = `stats count rows ${exact} through ${changes}; sizes are whole non-negative numbers; a row format is named`;
  scenario(null, title(d, 'stats', ['CORE-ENG-013'], 'unit', text), async () => {
    await withEngine(d, async (e) => {
      const p = await people(e);
      const check = (rows: number): void => {
        const s = p.h.stats(p.ctx);
        if (d.exact.rowCount) expect(s.rows).toBe(rows);
        for (const v of [s.rows, s.avgRowLength, s.dataLength, s.maxDataLength, s.indexLength, s.dataFree]) {
          expect(Number.isInteger(v) && v >= 0, String(v)).toBe(true);
        }
        expect(s.rowFormat.length).toBeGreaterThan(0);
        expect(s.autoIncrement).toBeNull();
      };
      check(0);
      if (d.rows.kind !== 'stored') return;
      await insertAll(p, peopleRows(25));
      check(25);
      if (d.insertOnly) {
        expect(p.h.stats(p.ctx).dataLength).toBeGreaterThan(0);
        return;
      }
      const some = (await readAll(p.h.scan(p.ctx, R), 64, R.canWait)).slice(0, 10);
      for (const r of some) await p.h.delete(p.ctx, r.id, r.row);
      check(15);
      expect(p.h.stats(p.ctx).dataLength).toBeGreaterThan(0);
      await p.h.truncate(p.ctx);
      check(0);
    });
  });
}

function capabilityScenario(d: EngineDescriptor): void {
  const text = 'the capability record agrees with the operations: transactions with beginTransaction, xa with commitByXid/rollbackByXid/recover, savepoints only with transactions, key limits with indexes, CHECK/REPAIR with checkRepair';
  scenario(null, title(d, 'capabilities', ['CORE-ENG-016', 'PLUGGABLE-030'], 'unit', text), async () => {
    await withEngine(d, async (e) => {
      const eng = e.engine;
      const c = eng.capabilities;
      expect(eng.name).toBe(d.name);
      expect(eng.comment.length).toBeGreaterThan(0);
      expect(typeof eng.beginTransaction === 'function').toBe(c.transactions);
      const xaOps = [eng.commitByXid, eng.rollbackByXid, eng.recover].map((f) => typeof f === 'function');
      expect(xaOps).toEqual([c.xa, c.xa, c.xa]);
      if (c.xa || c.savepoints) expect(c.transactions).toBe(true);
      if (c.indexes) {
        expect(c.indexAlgorithms).toContain(c.defaultIndexAlgorithm);
        expect(c.maxKeys).toBeGreaterThan(0);
        expect(c.maxKeyParts).toBeGreaterThan(0);
        expect(c.maxKeyLength).toBeGreaterThan(0);
      } else {
        expect(c.maxKeys).toBe(0);
        expect(c.fulltext || c.spatial).toBe(false);
      }
      expect(c.indexAlgorithms.includes('FULLTEXT')).toBe(c.fulltext);
      if (c.spatial) expect(c.geometry).toBe(true);
      const p = await people(e);
      // REPAIR exactly with checkRepair; CHECK with it (unless the engine has REPAIR alone), and
      // possibly without (InnoDB).
      expect(typeof p.h.repair === 'function').toBe(c.checkRepair);
      if (c.checkRepair) expect(typeof p.h.check).toBe(d.repairWithoutCheck ? 'undefined' : 'function');
    });
  });
}

export function statsScenarios(d: EngineDescriptor): void {
  describe('auto-increment, estimates, statistics, capabilities', () => {
    autoIncrementScenario(d);
    estimateScenario(d);
    statsScenario(d);
    capabilityScenario(d);
  });
}
