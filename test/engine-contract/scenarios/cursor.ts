/**
 * Cursor rules through the contract: batches, end of read, close, synchronous answers when the
 * caller cannot wait (or, for an engine whose every read waits, the 1235 refusal), lock modes and the cancellation signal, and what a scan sees of the rows
 * its own statement deletes or inserts while it runs.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/pluggable-storage-overview.html (16.11)
 * @req CORE-ENG-001 CORE-ENG-002 CORE-ENG-006 CORE-ENG-007 CORE-ENG-008
 */
import { describe, expect } from 'vitest';
import { sqlError } from '../../../src/kernel/errors.js';
import { AbortableSignal } from '../../../src/kernel/wait-signal.js';
import type { CursorOptions, IndexRead, RowCursor, RowRef, TableHandler } from '../../../src/storage/handler.js';
import type { Row } from '../../../src/kernel/value.js';
import { needsChanges, title, type EngineDescriptor } from '../descriptor.js';
import { compareRows, context, fillOnce, index, LOCKS, readOpts, readAll, sortedRows, sortRows, sqlFailure, type EngineUnderTest } from '../harness/contract.js';
import { freeKeyAlgorithms, insertAll, needsRows, people, peopleRows, scenario, withEngine, type People } from './common.js';

/** The reads a scenario repeats over: a scan, and an index read per index when there are any. */
function reads(p: People, R: CursorOptions): { label: string; open(h: TableHandler, lockOpts?: CursorOptions): RowCursor }[] {
  const out: { label: string; open(h: TableHandler, lockOpts?: CursorOptions): RowCursor }[] = [
    { label: 'scan', open: (h, o = R) => h.scan(p.ctx, o) },
  ];
  const k = p.def.indexes.find((i) => i.name === 'k');
  if (k) {
    const eq: IndexRead = { kind: 'eq', key: [1n] };
    out.push({ label: `${k.algorithm} eq`, open: (h, o = R) => h.indexRead(p.ctx, 'k', eq, o) });
  }
  return out;
}

/** The people table with an index on k (engine's first key algorithm) when it has indexes. */
async function peopleWithK(e: EngineUnderTest): Promise<People> {
  const algo = freeKeyAlgorithms(e)[0];
  return people(e, algo ? [index('k', 'INDEX', algo, [1])] : []);
}

/** What a read should return from `rows`: everything for a scan, k = 1 for the eq read. */
function expected(label: string, rows: readonly Row[]): Row[] {
  return (label === 'scan' ? [...rows] : rows.filter((r) => r[1] === 1n)).sort(compareRows);
}

function batchScenario(d: EngineDescriptor): void {
  const R = readOpts(d);
  scenario(null, title(d, 'cursor', ['CORE-ENG-001', 'CORE-ENG-007'], 'unit', 'fill appends at most max rows after what the array holds and returns the count; batch sizes 1, 7 and 1000 give the same rows'), async () => {
    await withEngine(d, async (e) => {
      const p = await peopleWithK(e);
      const rows = d.rows.kind === 'stored' ? peopleRows(60) : [];
      await insertAll(p, rows);
      for (const r of reads(p, R)) {
        for (const batch of [1, 7, 1000]) {
          expect(sortedRows(await readAll(r.open(p.h), batch, R.canWait)), `${r.label} batch ${batch}`).toEqual(expected(r.label, rows));
        }
      }
    });
  });
}

function endScenario(d: EngineDescriptor): void {
  const R = readOpts(d);
  scenario(null, title(d, 'cursor', ['CORE-ENG-006'], 'unit', '0 means the read is over and stays over; close() is idempotent and ends the read'), async () => {
    await withEngine(d, async (e) => {
      const p = await peopleWithK(e);
      if (d.rows.kind === 'stored') await insertAll(p, peopleRows(20));
      for (const r of reads(p, R)) {
        // Closed after one batch: nothing more comes, and a second close is harmless.
        const c = r.open(p.h);
        const first = await fillOnce(c, 1);
        expect(first.length).toBe(d.rows.kind === 'stored' ? 1 : 0);
        c.close();
        c.close();
        expect(await fillOnce(c, 100)).toEqual([]);
        // Closed before reading anything.
        const c2 = r.open(p.h);
        c2.close();
        expect(await fillOnce(c2, 100)).toEqual([]);
        // Read to the end: 0, then 0 again, then close twice.
        const c3 = r.open(p.h);
        await readAll(c3, 1000, R.canWait);
        expect(await fillOnce(c3, 10)).toEqual([]);
        c3.close();
        c3.close();
      }
    });
  });
}

function syncScenario(d: EngineDescriptor): void {
  const R = readOpts(d);
  // An engine whose every read waits (readsWait) cannot answer a reader that may not wait: it
  // refuses with 1235 instead, and gives the same rows to readers that can wait.
  const text = R.canWait
    ? 'every read waits: with canWait false every lock mode is refused with 1235, with canWait true it gives the same rows; a column list keeps the listed columns right'
    : 'with canWait false every lock mode answers synchronously with the same rows; a column list keeps the listed columns right';
  scenario(null, title(d, 'cursor', ['CORE-ENG-007', 'CORE-ENG-002'], 'unit', text), async () => {
    await withEngine(d, async (e) => {
      const p = await peopleWithK(e);
      if (d.rows.kind === 'stored') await insertAll(p, peopleRows(30));
      for (const r of reads(p, R)) {
        const plain = sortedRows(await readAll(r.open(p.h), 8, R.canWait));
        for (const lock of LOCKS) {
          if (R.canWait) {
            const c = r.open(p.h, { lock, canWait: false });
            expect(await sqlFailure(() => c.fill([], 8), 1235), `${r.label} ${lock}`).toMatch(/^This version of MySQL doesn't yet support '.+'$/);
            c.close();
          }
          // readAll fails the test on a promise when canWait is false.
          expect(sortedRows(await readAll(r.open(p.h, { lock, canWait: R.canWait }), 8, R.canWait)), `${r.label} ${lock}`).toEqual(plain);
        }
        // With a column list, the listed columns hold the row's values (others may be left out).
        const listed = await readAll(r.open(p.h, { lock: 'consistent', canWait: R.canWait, columns: [0, 2] }), 8, R.canWait);
        expect(sortRows(listed.map((x) => [x.row[0] ?? null, x.row[2] ?? null])), `${r.label} columns`).toEqual(sortRows(plain.map((x) => [x[0]!, x[2]!])));
      }
    });
  });
}

function signalScenario(d: EngineDescriptor): void {
  const R = readOpts(d);
  scenario(null, title(d, 'cursor', ['CORE-ENG-002'], 'unit', 'a read under a fired cancellation signal either answers without waiting or ends with the signal\'s error'), async () => {
    await withEngine(d, async (e) => {
      const p = await peopleWithK(e);
      if (d.rows.kind === 'stored') await insertAll(p, peopleRows(10));
      const signal = new AbortableSignal();
      const killed = sqlError('ER_QUERY_INTERRUPTED');
      signal.abort(killed);
      const ctx = context({ signal });
      const plain = sortedRows(await readAll(p.h.scan(p.ctx, R), 64, R.canWait));
      for (const lock of LOCKS) {
        const c = p.h.scan(ctx, { lock, canWait: true });
        let got: RowRef[] | null = null;
        try {
          got = await readAll(c, 4, true);
        } catch (err) {
          expect(err).toBe(killed);
        }
        if (got) expect(sortedRows(got)).toEqual(plain);
      }
    });
  });
}

function deletedScenario(d: EngineDescriptor): void {
  const R = readOpts(d);
  scenario(needsChanges(d), title(d, 'cursor', ['CORE-ENG-008'], 'unit', 'rows deleted while a read is open are not returned by it'), async () => {
    await withEngine(d, async (e) => {
      const p = await peopleWithK(e);
      const rows = peopleRows(40);
      await insertAll(p, rows);
      for (const r of reads(p, R)) {
        const c = r.open(p.h);
        const seen = await fillOnce(c, 3);
        // Delete every even id not yet returned (and keep the table consistent for the next read).
        const seenIds = new Set(seen.map((x) => x.row[0]));
        const deleted: Row[] = [];
        for (const row of rows) {
          const id = row[0] as bigint;
          if (id % 2n === 0n && !seenIds.has(id) && p.ids.has(id)) {
            await p.h.delete(p.ctx, p.ids.get(id)!, row);
            p.ids.delete(id);
            deleted.push(row);
          }
        }
        const rest = await readAll(c, 5, R.canWait);
        const got = sortedRows([...seen, ...rest]);
        const live = rows.filter((x) => p.ids.has(x[0] as bigint) || seenIds.has(x[0] as bigint));
        expect(got, r.label).toEqual(expected(r.label, live));
        for (const x of deleted) expect(got).not.toContainEqual(x);
      }
    });
  });
}

function insertedScenario(d: EngineDescriptor): void {
  const R = readOpts(d);
  scenario(needsRows(d), title(d, 'cursor', ['CORE-ENG-008'], 'unit', 'rows inserted while a read is open are not returned by it, also where they reuse deleted rows\' storage'), async () => {
    await withEngine(d, async (e) => {
      for (const label of reads(await peopleWithK(e), R).map((r) => r.label)) {
        const p = await peopleWithK(e);
        const rows = peopleRows(10);
        await insertAll(p, rows);
        // Free some storage first, so that inserts during the read can reuse it (an engine that
        // only adds rows has none to free).
        for (const id of d.insertOnly ? [] : [2n, 6n]) {
          await p.h.delete(p.ctx, p.ids.get(id)!, rows[Number(id) - 1]!);
          p.ids.delete(id);
        }
        const before = rows.filter((x) => p.ids.has(x[0] as bigint));
        const r = reads(p, R).find((x) => x.label === label)!;
        const c = r.open(p.h);
        const seen = await fillOnce(c, 2);
        const added = [100n, 101n, 102n, 103n, 104n, 105n].map((id): Row => [id, 1n, `new${id}`]);
        await insertAll(p, added);
        const rest = await readAll(c, 3, R.canWait);
        expect(sortedRows([...seen, ...rest]), label).toEqual(expected(label, before));
      }
    });
  });
}

function emptiedScenario(d: EngineDescriptor): void {
  const R = readOpts(d);
  scenario(needsChanges(d), title(d, 'cursor', ['CORE-ENG-008'], 'unit', 'a read open while its table is emptied and refilled returns none of the new rows'), async () => {
    await withEngine(d, async (e) => {
      for (const label of reads(await peopleWithK(e), R).map((r) => r.label)) {
        const p = await peopleWithK(e);
        const rows = peopleRows(6, 1).map((r): Row => [r[0]!, 1n, r[2]!]);
        await insertAll(p, rows);
        const r = reads(p, R).find((x) => x.label === label)!;
        const c = r.open(p.h);
        const seen = await fillOnce(c, 2);
        for (const row of rows) await p.h.delete(p.ctx, p.ids.get(row[0] as bigint)!, row);
        p.ids.clear();
        await insertAll(p, [200n, 201n, 202n, 203n, 204n, 205n, 206n].map((id): Row => [id, 1n, `again${id}`]));
        const rest = await readAll(c, 3, R.canWait);
        expect(rest, label).toEqual([]);
        expect(seen.length).toBe(2);
      }
    });
  });
}

export function cursorScenarios(d: EngineDescriptor): void {
  describe('cursor rules', () => {
    batchScenario(d);
    endScenario(d);
    syncScenario(d);
    signalScenario(d);
    deletedScenario(d);
    insertedScenario(d);
    emptiedScenario(d);
  });
}
