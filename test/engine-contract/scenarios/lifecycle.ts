/**
 * Table lifecycle through the contract: create, open, rename, drop, and what a restart of the
 * engine keeps.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/pluggable-storage-overview.html (16.11)
 * @req CORE-ENG-005
 */
import { describe, expect } from 'vitest';
import { title, type EngineDescriptor } from '../descriptor.js';
import { context, readOpts, readAll, sortedRows } from '../harness/contract.js';
import { insertAll, needsRows, people, peopleRows, scenario, withEngine } from './common.js';

export function lifecycleScenarios(d: EngineDescriptor): void {
  const R = readOpts(d);
  describe('table lifecycle', () => {
    scenario(null, title(d, 'lifecycle', ['CORE-ENG-005'], 'unit', 'a created table opens empty, with the definition it was opened with'), async () => {
      await withEngine(d, async (e) => {
        const p = await people(e);
        expect(p.h.def).toBe(p.def);
        expect(await readAll(p.h.scan(p.ctx, R), 64, R.canWait)).toEqual([]);
        expect(p.h.stats(p.ctx).rows).toBe(0);
        await p.h.close();
        // Opening again (a second handler on the same table) sees the same empty table.
        const again = await e.engine.openTable(p.ctx, p.def);
        expect(await readAll(again.scan(p.ctx, R), 64, R.canWait)).toEqual([]);
        await again.close();
      });
    });

    scenario(needsRows(d), title(d, 'lifecycle', ['CORE-ENG-005'], 'unit', 'a renamed table keeps its rows under the new definition'), async () => {
      await withEngine(d, async (e) => {
        const p = await people(e);
        await insertAll(p, peopleRows(5, 5, e.caps.nullableColumns));
        await p.h.close();
        const renamed = { ...p.def, schema: 'other', name: 'renamed' };
        await e.engine.renameTable(p.ctx, p.def, renamed);
        const h = await e.engine.openTable(p.ctx, renamed);
        expect(h.def.name).toBe('renamed');
        expect(sortedRows(await readAll(h.scan(p.ctx, R), 64, R.canWait))).toEqual(peopleRows(5, 5, e.caps.nullableColumns));
        await h.close();
      });
    });

    scenario(null, title(d, 'lifecycle', ['CORE-ENG-005'], 'unit', 'a dropped table created again under the same definition is empty'), async () => {
      await withEngine(d, async (e) => {
        const p = await people(e);
        if (d.rows.kind === 'stored') await insertAll(p, peopleRows(3));
        await p.h.close();
        await e.engine.dropTable(p.ctx, p.def);
        const h = await e.table(p.def, context());
        expect(await readAll(h.scan(p.ctx, R), 64, R.canWait)).toEqual([]);
        expect(h.stats(p.ctx).rows).toBe(0);
        await h.close();
      });
    });

    const after = d.rows.kind === 'stored' ? d.rows.afterRestart : 'none';
    const text = { kept: 'with its rows kept', lost: 'empty: its rows are gone', none: 'empty (the engine stores nothing)' }[after];
    scenario(null, title(d, 'restart', ['CORE-ENG-005'], 'unit', `after a restart of the engine the table opens ${text}`), async () => {
      await withEngine(d, async (e) => {
        const p = await people(e);
        if (d.rows.kind === 'stored') await insertAll(p, peopleRows(4));
        await p.h.close();
        await e.restart();
        const h = await e.engine.openTable(context(), p.def);
        const rows = sortedRows(await readAll(h.scan(p.ctx, R), 64, R.canWait));
        expect(rows).toEqual(after === 'kept' ? peopleRows(4) : []);
        await h.close();
      });
    });
  });
}
