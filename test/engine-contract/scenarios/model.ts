/**
 * The model property: random sequences of inserts, updates, deletes, truncates and reads on a
 * table agree with a plain model of it (a map from primary key to row, with the unique key
 * checked the way MySQL reports it), for every engine that stores rows and every key
 * algorithm it has.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/pluggable-storage-overview.html (16.11)
 * @req CORE-ENG-019
 */
import fc from 'fast-check';
import { describe, expect } from 'vitest';
import type { TableDef } from '../../../src/kernel/table-def.js';
import type { Row } from '../../../src/kernel/value.js';
import type { IndexRead, RowId, TableHandler } from '../../../src/storage/handler.js';
import { capabilitiesOf, duplicateError, indexesAnyColumn, title, type EngineDescriptor } from '../descriptor.js';
import { col, context, EngineUnderTest, idKey, index, keyAlgorithms, readOpts, readAll, sortRows, tableDef } from '../harness/contract.js';
import { expectedRows, inKeyOrder } from '../harness/index-model.js';
import { scenario } from './common.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 150);
const MAX_OPS = 60;

type Op =
  | { op: 'insert'; row: Row }
  | { op: 'update'; id: bigint; row: Row }
  | { op: 'delete'; id: bigint }
  | { op: 'truncate' }
  | { op: 'read'; index: string; read: IndexRead };

const small = (max: number): fc.Arbitrary<bigint> => fc.integer({ min: 0, max }).map(BigInt);
const nullable = (max: number): fc.Arbitrary<bigint | null> => fc.option(small(max), { freq: 4 });
const row: fc.Arbitrary<Row> = fc.tuple(small(12), nullable(6), nullable(3)).map(([id, k, v]) => [id, k, v]);
const bound = fc.record({ key: fc.array(nullable(6), { minLength: 1, maxLength: 1 }), inclusive: fc.boolean() });
const read: fc.Arbitrary<IndexRead> = fc.oneof(
  fc.array(nullable(6), { minLength: 1, maxLength: 1 }).map((key): IndexRead => ({ kind: 'eq', key })),
  fc.record({ low: fc.option(bound, { nil: undefined }), high: fc.option(bound, { nil: undefined }), reverse: fc.boolean() }).map(({ low, high, reverse }): IndexRead => {
    const r: IndexRead = { kind: 'range', reverse };
    if (low) r.low = low;
    if (high) r.high = high;
    return r;
  }),
);
/** Rows without NULL, for an engine without nullable columns (CSV): k and v are never NULL. */
const notNullRow: fc.Arbitrary<Row> = fc.tuple(small(12), small(6), small(3)).map(([id, k, v]) => [id, k, v]);
const opWith = (row: fc.Arbitrary<Row>): fc.Arbitrary<Op> => fc.oneof(
  { weight: 6, arbitrary: row.map((r): Op => ({ op: 'insert', row: r })) },
  { weight: 3, arbitrary: fc.tuple(small(12), row).map(([id, r]): Op => ({ op: 'update', id, row: r })) },
  { weight: 3, arbitrary: small(12).map((id): Op => ({ op: 'delete', id })) },
  { weight: 1, arbitrary: fc.constant<Op>({ op: 'truncate' }) },
  { weight: 4, arbitrary: fc.tuple(fc.constantFrom('PRIMARY', 'u', 'kv'), read).map(([i, r]): Op => ({ op: 'read', index: i, read: r })) },
);

/** The table: (id INT NOT NULL, k INT NULL, v INT NULL), PRIMARY (id), UNIQUE u (k), INDEX kv (k, v);
 *  k and v NOT NULL too for an engine without nullable columns. */
function modelTable(d: EngineDescriptor, algo: 'BTREE' | 'HASH' | null, n: number): TableDef {
  const nullable = capabilitiesOf(d).nullableColumns;
  const columns = [col('id', 'INT', { nullable: false }), col('k', 'INT', { nullable }), col('v', 'INT', { nullable })];
  const indexes = algo ? [index('PRIMARY', 'PRIMARY', algo, [0]), index('u', 'UNIQUE', algo, [1]), index('kv', 'INDEX', algo, [1, 2])] : [];
  return tableDef(d.name, `model${n}`, columns, indexes);
}

/** The 1062 MySQL reports for `r` against the model (first violated key in key order), or null
 *  (the engine's own report when it names no key: `duplicateKey`). */
function duplicate(d: EngineDescriptor, model: Map<bigint, Row>, r: Row, self: bigint | null, table: string, keyed: boolean): string | null {
  if (!keyed) return null;
  for (const [id, other] of model) {
    if (id === self) continue;
    if (other[0] === r[0]) return duplicateError(d, table, 'PRIMARY', String(r[0])).message;
  }
  if (r[1] === null) return null;
  for (const [id, other] of model) {
    if (id !== self && other[1] === r[1]) return duplicateError(d, table, 'u', String(r[1])).message;
  }
  return null;
}

interface State {
  h: TableHandler;
  def: TableDef;
  /** Rows by id (by insertion number when the table has no keys, as ids may repeat). */
  model: Map<bigint, Row>;
  handles: Map<bigint, RowId>;
  inserted: number;
}

async function attempt(d: EngineDescriptor, f: () => unknown): Promise<string | null> {
  try {
    await f();
    return null;
  } catch (err) {
    expect((err as { errno?: number }).errno, String(err)).toBe(d.duplicateKey?.errno ?? 1062);
    return (err as Error).message;
  }
}

/** An engine that only adds rows refuses the change with its errno. */
async function refused(d: EngineDescriptor, f: () => unknown): Promise<void> {
  let errno: number | undefined;
  try {
    await f();
  } catch (err) {
    errno = (err as { errno?: number }).errno;
  }
  expect(errno).toBe(d.insertOnly!.errno);
}

async function apply(d: EngineDescriptor, s: State, o: Op): Promise<void> {
  const R = readOpts(d);
  const ctx = context();
  const keyed = s.def.indexes.length > 0;
  if (d.insertOnly && (o.op === 'update' || o.op === 'delete' || o.op === 'truncate')) {
    // The model is unchanged: the engine keeps every row.
    const old = o.op === 'truncate' ? null : s.model.get(o.id);
    if (o.op === 'truncate') await refused(d, () => s.h.truncate(ctx));
    else if (old && o.op === 'update') await refused(d, () => s.h.update(ctx, s.handles.get(o.id)!, old, o.row));
    else if (old) await refused(d, () => s.h.delete(ctx, s.handles.get(o.id)!, old));
  } else if (o.op === 'insert') {
    const want = duplicate(d, s.model, o.row, null, s.def.name, keyed);
    let handle: RowId | null = null;
    const got = await attempt(d, async () => {
      handle = await s.h.insert(ctx, o.row);
    });
    expect(got).toBe(want);
    if (want === null) {
      const mk = keyed ? (o.row[0] as bigint) : BigInt(1000 + s.inserted++);
      s.model.set(mk, o.row.slice());
      s.handles.set(mk, handle!);
    }
  } else if (o.op === 'update') {
    const old = s.model.get(o.id);
    if (!old) return;
    const want = duplicate(d, s.model, o.row, o.id, s.def.name, keyed);
    expect(await attempt(d, () => s.h.update(ctx, s.handles.get(o.id)!, old, o.row))).toBe(want);
    if (want === null) {
      const handle = s.handles.get(o.id)!;
      s.model.delete(o.id);
      s.handles.delete(o.id);
      const mk = keyed ? (o.row[0] as bigint) : o.id;
      s.model.set(mk, o.row.slice());
      s.handles.set(mk, handle);
    }
  } else if (o.op === 'delete') {
    const old = s.model.get(o.id);
    if (!old) return;
    await s.h.delete(ctx, s.handles.get(o.id)!, old);
    s.model.delete(o.id);
    s.handles.delete(o.id);
  } else if (o.op === 'truncate') {
    await s.h.truncate(ctx);
    s.model.clear();
    s.handles.clear();
  } else if (keyed) {
    const idx = s.def.indexes.find((i) => i.name === o.index)!;
    const key = o.read;
    const got = (await readAll(s.h.indexRead(ctx, o.index, key, R), 5, R.canWait)).map((r) => r.row);
    const rows = [...s.model.values()];
    expect(sortRows(got)).toEqual(sortRows(expectedRows(idx, key, rows)));
    if (idx.algorithm === 'BTREE' && key.kind === 'range') expect(inKeyOrder(idx, got, key.reverse ?? false)).toBe(true);
    if (d.exact.estimates) expect(s.h.estimateRows(ctx, o.index, key)).toBe(got.length);
  }
  // After every step the whole table, with its handles, is the model.
  const all = await readAll(s.h.scan(ctx, R), 16, R.canWait);
  expect(sortRows(all.map((r) => r.row))).toEqual(sortRows([...s.model.values()]));
  if (keyed) for (const r of all) expect(r.id).toEqual(s.handles.get(r.row[0] as bigint));
  else expect(all.map((r) => idKey(r.id)).sort()).toEqual([...s.handles.values()].map(idKey).sort());
  if (d.exact.rowCount) expect(s.h.stats(ctx).rows).toBe(s.model.size);
}

export function modelScenarios(d: EngineDescriptor): void {
  const caps = capabilitiesOf(d);
  const algos: ('BTREE' | 'HASH' | null)[] = caps.indexes && indexesAnyColumn(d) ? keyAlgorithms(caps) : [null];
  describe('model property', () => {
    for (const algo of algos) {
      const skip = d.rows.kind === 'stored' ? null : 'the engine stores no rows';
      const keys = algo ? `${algo} keys` : 'no keys';
      scenario(skip, title(d, 'model', ['CORE-ENG-019'], 'unit', `random operation sequences agree with a map model (${keys})`), async () => {
        const e = await EngineUnderTest.start(d);
        let n = 0;
        try {
          await fc.assert(
            fc.asyncProperty(fc.array(opWith(caps.nullableColumns ? row : notNullRow), { maxLength: MAX_OPS }), async (ops) => {
              const def = modelTable(d, algo, n++);
              const s: State = { h: await e.table(def), def, model: new Map(), handles: new Map(), inserted: 0 };
              for (const o of ops) await apply(d, s, o);
              await s.h.close();
              await e.engine.dropTable(context(), def);
            }),
            { numRuns: RUNS, seed: 8 },
          );
        } finally {
          await e.stop();
        }
      }, 120_000);
    }
  });
}
