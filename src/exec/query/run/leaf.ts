/**
 * The leaves of a join: one table read through the engine cursor contract (an index read when
 * its access path gives a key, else a scan), an information_schema table, or the rows of a
 * derived table, view or CTE. Each row goes into the block's row buffer; the conditions pushed
 * to the leaf are checked before the row is passed up.
 *
 * A cursor answers synchronously while its rows are in memory; when `fill` returns a promise
 * the leaf yields a pause carrying it and continues once the driver has awaited it. Every row
 * examined counts towards the statement's next pause, whether it qualifies or not.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/nested-loop-joins.html
 * @req CORE-EXEC-032 CORE-CONC-001 CORE-CONC-010
 */
import type { Value } from '../../../kernel/value.js';
import type { IndexRead, RowCursor, RowRef } from '../../../storage/handler.js';
import type { Leaf, ExecState } from '../plan/types.js';
import { valueKey } from '../compare.js';
import { engineCtx, sessionOf, virtualCtx } from './context.js';
import { execTuning, meterDue, Pause, PAUSE, type RowGen, type Step } from './pause.js';
import { materialize } from './stream.js';
import { keyValueFor, truthy } from './values.js';

/** Largest integer range a HASH index answers by equality reads instead of a scan. */
const HASH_RANGE_MAX = 4096;

/** How a base table is read this time. */
type BaseRead =
  | { kind: 'scan' }
  | { kind: 'read'; read: IndexRead }
  | { kind: 'keys'; keys: Value[][] }
  | { kind: 'hash'; prefix: Value[]; from: bigint; to: bigint };

/** The qualifying rows of a leaf, in the row buffer (each yield is the buffer). */
export function* runLeaf(leaf: Leaf, st: ExecState): RowGen {
  const src = leaf.src;
  if (src.derived) {
    yield* derivedRows(leaf, st);
    return;
  }
  const opened = src.opened;
  if (!opened) return;
  if (opened.kind === 'virtual') {
    yield* valueRows(leaf, st, opened.table.rows(virtualCtx(sessionOf(st.rt))));
    return;
  }
  if (opened.kind !== 'base') return;
  const how = baseRead(leaf, st);
  if (how === null) return;
  const h = opened.handler;
  const ctx = engineCtx(st, src);
  const opts = st.canWait ? leaf.reads.wait : leaf.reads.sync;
  const ix = leaf.access?.index.name ?? '';
  switch (how.kind) {
    case 'scan':
      yield* cursorRows(leaf, st, h.scan(ctx, opts));
      return;
    case 'read':
      yield* cursorRows(leaf, st, h.indexRead(ctx, ix, how.read, opts));
      return;
    case 'keys':
      for (const key of how.keys) yield* cursorRows(leaf, st, h.indexRead(ctx, ix, { kind: 'eq', key }, opts));
      return;
    case 'hash':
      for (let k = how.from; k <= how.to; k++) yield* cursorRows(leaf, st, h.indexRead(ctx, ix, { kind: 'eq', key: [...how.prefix, k] }, opts));
      return;
  }
}

/** Rows of a derived table, view or CTE: streamed when read once or correlated, else
 *  materialised once per execution. */
function* derivedRows(leaf: Leaf, st: ExecState): RowGen {
  const d = leaf.src.derived!;
  const q = d.query;
  if (!q) {
    yield* valueRows(leaf, st, d.working!.rows);
    return;
  }
  if (q.correlated || (leaf.once && d.streamable)) {
    yield* valueRows(leaf, st, q.run(st.row, st.rt, st.canWait));
    return;
  }
  let rows = d.cache.get(st.rt);
  if (!rows) {
    rows = yield* materialize(q.run(st.row, st.rt, st.canWait));
    d.cache.set(st.rt, rows);
  }
  yield* valueRows(leaf, st, rows);
}

/** Rows given as values (derived tables, information_schema), forwarding pauses among them. */
function* valueRows(leaf: Leaf, st: ExecState, rows: Iterable<Step>): RowGen {
  const src = leaf.src;
  const base = src.base;
  const n = src.columns.length;
  const row = st.row;
  const filters = leaf.filters;
  const nf = filters.length;
  const rt = st.rt;
  const meter = st.meter;
  for (const v of rows) {
    if (v instanceof Pause) {
      yield v;
      continue;
    }
    if (meterDue(meter, st.canWait)) yield PAUSE;
    for (let i = 0; i < n; i++) row[base + i] = v[i] ?? null;
    let pass = true;
    for (let i = 0; i < nf; i++) {
      if (!truthy(filters[i]!.eval(row, rt))) {
        pass = false;
        break;
      }
    }
    if (pass) yield row;
  }
}

/**
 * The rows of one engine cursor, in batches. A promise from `fill` becomes a pause; the cursor
 * is closed however the read ends (done, error, or the pipeline closed at a pause).
 * @req CORE-CONC-001
 */
function* cursorRows(leaf: Leaf, st: ExecState, opened: RowCursor): RowGen {
  const canWait = st.canWait;
  const cursor = canWait && execTuning.cursorAdapter ? execTuning.cursorAdapter(opened) : opened;
  const src = leaf.src;
  const idx = src.index;
  const base = src.base;
  const n = src.columns.length;
  const row = st.row;
  const refs = st.refs;
  const filters = leaf.filters;
  const nf = filters.length;
  const rt = st.rt;
  const meter = st.meter;
  const max = execTuning.fillBatch;
  const batch: RowRef[] = (st.batches[idx] ??= []);
  try {
    // Opening counts as examining a row: a join whose lookups all miss still pauses.
    if (meterDue(meter, canWait)) yield PAUSE;
    for (;;) {
      batch.length = 0;
      let got = cursor.fill(batch, max);
      if (typeof got !== 'number') {
        if (!canWait) throw new Error('storage engine returned a promise to a cursor that cannot wait');
        const p = new Pause(got);
        yield p;
        got = p.result as number;
      }
      const len = batch.length;
      if (got === 0 || len === 0) return;
      for (let b = 0; b < len; b++) {
        if (meterDue(meter, canWait)) yield PAUSE;
        const ref = batch[b]!;
        const values = ref.row;
        refs[idx] = ref;
        for (let i = 0; i < n; i++) row[base + i] = values[i] ?? null;
        let pass = true;
        for (let i = 0; i < nf; i++) {
          if (!truthy(filters[i]!.eval(row, rt))) {
            pass = false;
            break;
          }
        }
        if (pass) yield row;
      }
    }
  } finally {
    cursor.close();
  }
}

/** The read for a base table this time: its access path's key from the current row, or a scan;
 *  null when the key shows no row can match. */
function baseRead(leaf: Leaf, st: ExecState): BaseRead | null {
  const a = leaf.access;
  if (!a) return { kind: 'scan' };
  if (a.inList) return inListRead(leaf, st);
  const key: Value[] = [];
  for (let i = 0; i < a.eq.length; i++) {
    const v = keyValueFor(a.eq[i]!.eval(st.row, st.rt), a.keyTypes[i]!);
    if (v === undefined) return { kind: 'scan' };
    if (v === null) return null;
    key.push(v);
  }
  if (!a.low && !a.high) return { kind: 'read', read: { kind: 'eq', key } };
  const t = a.keyTypes[a.eq.length]!;
  const read: Extract<IndexRead, { kind: 'range' }> = { kind: 'range' };
  let ok = true;
  if (a.low) {
    const v = keyValueFor(a.low.expr.eval(st.row, st.rt), t);
    if (v === null) return null;
    if (v === undefined) ok = false;
    else read.low = { key: [...key, v], inclusive: a.low.inclusive };
  } else if (key.length) read.low = { key, inclusive: true };
  if (a.high) {
    const v = keyValueFor(a.high.expr.eval(st.row, st.rt), t);
    if (v === null) return null;
    if (v === undefined) ok = false;
    else read.high = { key: [...key, v], inclusive: a.high.inclusive };
  } else if (key.length) read.high = { key, inclusive: true };
  if (ok && a.index.algorithm === 'HASH') return hashRange(read, key);
  if (ok) return { kind: 'read', read };
  if (key.length) return { kind: 'read', read: { kind: 'eq', key } };
  return { kind: 'scan' };
}

/** `col IN (...)`: one equality read per distinct key (a scan when some value cannot be a key). */
function inListRead(leaf: Leaf, st: ExecState): BaseRead {
  const a = leaf.access!;
  const t = a.keyTypes[0]!;
  const seen = new Set<string>();
  const keys: Value[][] = [];
  for (const e of a.inList!) {
    const v = keyValueFor(e.eval(st.row, st.rt), t);
    if (v === null) continue;
    if (v === undefined) return { kind: 'scan' };
    const k = valueKey(v, t.collation);
    if (seen.has(k)) continue;
    seen.add(k);
    keys.push([v]);
  }
  return { kind: 'keys', keys };
}

/** An integer range over a HASH index as a run of equality reads (a scan when too wide). */
function hashRange(read: Extract<IndexRead, { kind: 'range' }>, prefix: Value[]): BaseRead {
  const lo = read.low?.key[prefix.length];
  const hi = read.high?.key[prefix.length];
  if (typeof lo !== 'bigint' || typeof hi !== 'bigint' || hi - lo > BigInt(HASH_RANGE_MAX)) return { kind: 'scan' };
  return { kind: 'hash', prefix, from: read.low!.inclusive ? lo : lo + 1n, to: read.high!.inclusive ? hi : hi - 1n };
}
