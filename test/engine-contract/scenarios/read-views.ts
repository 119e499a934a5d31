/**
 * Read views for concurrent inserts through the contract: an engine that lets a plain INSERT
 * run beside readers (`allowsConcurrentInsert`) implements `startRead` / `endRead`, and between
 * them the reading connection's cursors (scan and index reads) do not return rows inserted
 * after `startRead`, while other connections see them; nested calls keep the first view until
 * the last `endRead`. Engines that do not claim `capabilities.concurrentInserts` are not asked.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/concurrent-inserts.html (10.11.3)
 * @req CORE-ENG-028
 */
import { expect } from 'vitest';
import type { EngineContext, IndexRead } from '../../../src/storage/handler.js';
import type { Row } from '../../../src/kernel/value.js';
import { capabilitiesOf, title, type EngineDescriptor } from '../descriptor.js';
import { context, READ, readAll, sortedRows } from '../harness/contract.js';
import { insertAll, needsRows, people, peopleRows, scenario, withEngine } from './common.js';

export function readViewScenarios(d: EngineDescriptor): void {
  const skip = capabilitiesOf(d).concurrentInserts === true ? needsRows(d) : 'the engine has no concurrent inserts';
  scenario(skip, title(d, 'cursor', ['CORE-ENG-028'], 'unit', 'concurrentInserts: the handler has allowsConcurrentInsert, startRead and endRead; startRead fixes what that connection reads (scan and index reads) until its last endRead; other connections see new rows'), async () => {
    await withEngine(d, async (e) => {
      const p = await people(e);
      const h = p.h;
      expect([typeof h.allowsConcurrentInsert, typeof h.startRead, typeof h.endRead]).toEqual(['function', 'function', 'function']);
      if (!h.startRead || !h.endRead) return;
      const rows = peopleRows(8, 5, e.caps.nullableColumns);
      await insertAll(p, rows.slice(0, 5));
      const reader = context({ connectionId: 77 });
      h.startRead(reader);
      h.startRead(reader);
      await insertAll(p, rows.slice(5));
      const sorted = (rs: readonly Row[]): Row[] => sortedRows(rs.map((row) => ({ id: 0, row })));
      const pk = p.def.indexes.find((i) => i.kind === 'PRIMARY');
      const eq6: IndexRead = { kind: 'eq', key: [6n] };
      const view = async (ctx: EngineContext): Promise<{ scan: Row[]; six: number }> => ({
        scan: sortedRows(await readAll(h.scan(ctx, READ))),
        six: pk ? (await readAll(h.indexRead(ctx, pk.name, eq6, READ))).length : -1,
      });
      const none = pk ? 0 : -1;
      const one = pk ? 1 : -1;
      expect(await view(reader)).toEqual({ scan: sorted(rows.slice(0, 5)), six: none });
      expect(await view(p.ctx)).toEqual({ scan: sorted(rows), six: one });
      h.endRead(reader);
      expect((await view(reader)).scan).toEqual(sorted(rows.slice(0, 5)));
      h.endRead(reader);
      expect(await view(reader)).toEqual({ scan: sorted(rows), six: one });
    });
  });
}
