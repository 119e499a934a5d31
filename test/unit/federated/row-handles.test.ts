/**
 * Row handles of FEDERATED tables (src/storage/federated/row-handles.ts): a row keeps the handle
 * its INSERT returned in every later read, through UPDATEs, until it is deleted; equal rows of a
 * keyless table each have their own. Checked against a plain model with random operation
 * sequences (fast-check), for a table with a primary key and for a keyless one.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Row } from '../../../src/kernel/value.js';
import { RowHandles } from '../../../src/storage/federated/row-handles.js';
import { req } from '../../helpers/req.js';

type Op = { op: 'insert'; row: Row } | { op: 'update'; at: number; row: Row } | { op: 'delete'; at: number } | { op: 'truncate' };

const value = fc.oneof(fc.integer({ min: 0, max: 3 }).map(BigInt), fc.constant(null), fc.constantFrom('a', 'b'));
const rowArb: fc.Arbitrary<Row> = fc.tuple(fc.integer({ min: 0, max: 5 }).map(BigInt), value).map(([a, b]) => [a, b]);
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: rowArb.map((row): Op => ({ op: 'insert', row })) },
  { weight: 2, arbitrary: fc.tuple(fc.nat(), rowArb).map(([at, row]): Op => ({ op: 'update', at, row })) },
  { weight: 2, arbitrary: fc.nat().map((at): Op => ({ op: 'delete', at })) },
  { weight: 1, arbitrary: fc.constant<Op>({ op: 'truncate' }) },
);

/** A row and its handle as the model keeps them. */
interface Held {
  id: number;
  row: Row;
}

const key = (r: Row): string => JSON.stringify(r, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));

/** Apply `ops` to the model and to RowHandles; after each, a read in shuffled order must give
 *  every held row its own handle. With a primary key (column 0) a row whose key is taken is
 *  not inserted (the remote refuses it). */
function run(ops: readonly Op[], order: readonly number[], primary: boolean): void {
  const h = new RowHandles(primary ? [0] : null);
  let held: Held[] = [];
  const taken = (r: Row, except: number | null): boolean => primary && held.some((x) => x.id !== except && x.row[0] === r[0]);
  for (const o of ops) {
    if (o.op === 'insert') {
      if (taken(o.row, null)) continue;
      const id = h.allocate();
      h.add(o.row, id);
      held.push({ id, row: o.row });
    } else if (o.op === 'update' && held.length > 0) {
      const x = held[o.at % held.length]!;
      if (taken(o.row, x.id)) continue;
      h.moved(x.id, x.row, o.row);
      x.row = o.row;
    } else if (o.op === 'delete' && held.length > 0) {
      const x = held[o.at % held.length]!;
      h.removed(x.id, x.row);
      held = held.filter((y) => y !== x);
    } else if (o.op === 'truncate') {
      h.clear();
      held = [];
    }
    // A read returns the rows in any order.
    const shuffled = held.map((x, i) => ({ x, k: order[i % Math.max(1, order.length)] ?? 0 })).sort((a, b) => a.k - b.k).map((y) => y.x);
    const ids = h.assign(shuffled.map((x) => x.row));
    if (primary) {
      expect(ids).toEqual(shuffled.map((x) => x.id));
    } else {
      // Equal rows are interchangeable: each row value has the same handles as the model.
      const got = shuffled.map((x, i) => `${key(x.row)}#${ids[i]}`).sort();
      const want = shuffled.map((x) => `${key(x.row)}#${x.id}`).sort();
      expect(got).toEqual(want);
    }
    expect(new Set(ids).size).toBe(ids.length);
  }
}

describe('FEDERATED row handles', () => {
  it(req(['CORE-ENG-014', 'FEDERATED-076'], 'unit', 'with a primary key, every read gives a row the handle its INSERT returned, through updates of any column'), () => {
    fc.assert(fc.property(fc.array(opArb, { maxLength: 40 }), fc.array(fc.nat(), { maxLength: 10 }), (ops, order) => run(ops, order, true)), { numRuns: 300, seed: 16 });
  });

  it(req(['CORE-ENG-014', 'FEDERATED-076'], 'unit', 'without a key, equal rows each keep a handle of their own, and every read gives the held handles'), () => {
    fc.assert(fc.property(fc.array(opArb, { maxLength: 40 }), fc.array(fc.nat(), { maxLength: 10 }), (ops, order) => run(ops, order, false)), { numRuns: 300, seed: 16 });
  });

  it(req(['CORE-ENG-014'], 'unit', 'a row first met by a read gets a new handle, kept by later reads; integers read back as doubles are the same key'), () => {
    const h = new RowHandles([0]);
    const [a, b] = h.assign([[1n, 'x'], [2n, 'y']]);
    expect(a).not.toBe(b);
    expect(h.assign([[2n, 'y'], [1n, 'x']])).toEqual([b, a]);
    expect(h.assign([[1, 'changed elsewhere']])).toEqual([a]);
    // An INSERT IGNORE that kept the existing row leaves its handle.
    const ignored = h.allocate();
    h.add([1n, 'z'], ignored, true);
    expect(h.assign([[1n, 'x']])).toEqual([a]);
  });
});
