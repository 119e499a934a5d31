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
 * A row read with a row lock that a condition then rejects is reported to its handler
 * (unlockRow), so an engine may release that lock before the statement ends (InnoDB does at
 * READ COMMITTED); rows that qualify are never reported.
 *
 * A leaf planned to read in an index's order (leaf.order, plan/order.ts) reads that index
 * forwards or backwards, its whole length where it would otherwise scan.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/nested-loop-joins.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-transaction-isolation-levels.html (15.7.2.1)
 * @req CORE-EXEC-032 CORE-CONC-001 CORE-CONC-010 INNODB-LOCK-308 INNODB-LOCK-309
 */
import type { Row, Value } from '../../../kernel/value.js';
import type { CompiledExpr, Runtime } from '../../../sql/eval/index.js';
import type { IndexRead, RowCursor, RowRef, TableHandler } from '../../../storage/handler.js';
import type { OpenedTable } from '../../../catalog/catalog-api.js';
import type { BaseRead, CompiledQuery, DerivedRows, Leaf, ExecState } from '../plan/types.js';
import { valueKey } from '../compare.js';
import { jsonTableRows } from '../json-table.js';
import { engineCtx, sessionOf, virtualCtx } from './context.js';
import { execTuning, meterDue, Pause, PAUSE, type RowGen, type Step } from './pause.js';
import { materialize } from './stream.js';
import { probeGen, probeSource } from './probe.js';
import { keyValueFor, truthy } from './values.js';

/** Largest integer range a HASH index answers by equality reads instead of a scan. */
const HASH_RANGE_MAX = 4096;


/**
 * A leaf opened for one pass: `next()` puts its next qualifying row into the block's row buffer
 * and returns true, returns false at the end, or returns a pause the caller yields before
 * calling again. A join reads its inner leaf through this with a plain call per row; a
 * generator resume per row would cost more.
 */
export interface RowSource {
  next(): boolean | Pause;
  close(): void;
}

/** Open a leaf for one pass, with the key values of the current row. */
export function openLeaf(leaf: Leaf, st: ExecState): RowSource {
  // EXPLAIN ANALYZE: the leaf's rows and loops are counted (one check per open).
  if (leaf.probe) return probeSource(leaf.probe, openUncounted(leaf, st));
  return openUncounted(leaf, st);
}

function openUncounted(leaf: Leaf, st: ExecState): RowSource {
  const opened = leaf.src.opened;
  if (leaf.src.derived || !opened || opened.kind !== 'base') return new GenSource(otherRows(leaf, st));
  let how: BaseRead | null;
  const first = st.firstRead;
  if (first !== null && first.leaf === leaf) {
    st.firstRead = null;
    how = first.how;
  } else how = baseRead(leaf, st);
  return how === null ? EMPTY : new BaseReader(leaf, st, how);
}

/**
 * Work out the read of a block's first table before it opens (its keys come from constants,
 * parameters and outer references, known now), keep it for that open, and say whether its rows
 * will come in the order the leaf's plan promises (plan/order.ts). They do not when a key value
 * turned out unusable and the read fell back to a scan while the order relied on the access
 * path's equality prefix: the block then sorts as usual.
 * @req CORE-EXEC-034 INNODB-LOCK-309
 */
export function prepareFirstRead(leaf: Leaf, st: ExecState): boolean {
  const how = baseRead(leaf, st);
  st.firstRead = { leaf, how };
  const o = leaf.order;
  if (!o || how === null) return true;
  if (how.kind === 'read') return true;
  return false;
}

/** The qualifying rows of a leaf as a generator (each yield is the row buffer). */
export function runLeaf(leaf: Leaf, st: ExecState): RowGen {
  const opened = leaf.src.opened;
  if (leaf.src.derived || !opened || opened.kind !== 'base') return leaf.probe ? probeGen(leaf.probe, otherRows(leaf, st)) : otherRows(leaf, st);
  return sourceRows(openLeaf(leaf, st), st);
}

function* sourceRows(src: RowSource, st: ExecState): RowGen {
  try {
    for (;;) {
      const x = src.next();
      if (x === false) return;
      yield x === true ? st.row : x;
    }
  } finally {
    src.close();
  }
}

const EMPTY: RowSource = { next: () => false, close: () => undefined };

class GenSource implements RowSource {
  constructor(private readonly gen: RowGen) {}
  next(): boolean | Pause {
    const r = this.gen.next();
    if (r.done) return false;
    return r.value instanceof Pause ? r.value : true;
  }
  close(): void {
    this.gen.return(undefined);
  }
}

/** Leaves that are not base tables: derived tables, views, CTEs, information_schema. */
function otherRows(leaf: Leaf, st: ExecState): RowGen {
  const src = leaf.src;
  if (src.derived) return derivedRows(leaf, st);
  if (src.jsonTable) return valueRows(leaf, st, jsonTableRows(src.jsonTable, st.row, st.rt)); // @req CORE-FN-035
  const opened = src.opened;
  if (opened?.kind === 'virtual') return valueRows(leaf, st, opened.table.rows(virtualCtx(sessionOf(st.rt))));
  return valueRows(leaf, st, []);
}

/** Rows of a derived table, view or CTE: streamed when read once or correlated, else
 *  materialised once per execution. */
function derivedRows(leaf: Leaf, st: ExecState): RowGen {
  const d = leaf.src.derived!;
  const q = d.query;
  if (!q) return valueRows(leaf, st, d.working!.rows);
  if (q.correlated || (leaf.once && d.streamable)) return valueRows(leaf, st, q.run(st.row, st.rt, st.canWait));
  const rows = d.cache.get(st.rt);
  return rows ? valueRows(leaf, st, rows) : materializeThenRead(leaf, st, d, q);
}

function* materializeThenRead(leaf: Leaf, st: ExecState, d: DerivedRows, q: CompiledQuery): RowGen {
  const rows = yield* materialize(q.run(st.row, st.rt, st.canWait));
  d.cache.set(st.rt, rows);
  yield* valueRows(leaf, st, rows);
}

/** Rows given as values (derived tables, information_schema), forwarding pauses among them. */
function* valueRows(leaf: Leaf, st: ExecState, rows: Iterable<Step>): RowGen {
  const src = leaf.src;
  const base = src.base;
  const n = src.columns.length;
  const row = st.row;
  const filters = leaf.filters;
  const rt = st.rt;
  const meter = st.meter;
  for (const v of rows) {
    if (v instanceof Pause) {
      yield v;
      continue;
    }
    if (meterDue(meter, st.canWait)) yield PAUSE;
    for (let i = 0; i < n; i++) row[base + i] = v[i] ?? null;
    if (passes(filters, row, rt)) yield row;
  }
}

function passes(filters: CompiledExpr[], row: Row, rt: Runtime): boolean {
  for (let i = 0; i < filters.length; i++) if (!truthy(filters[i]!.eval(row, rt))) return false;
  return true;
}

/**
 * The handler to tell about rows of `leaf` that a condition rejects: its table is read with
 * row locks (FOR UPDATE / FOR SHARE, an UPDATE's or DELETE's target) by an engine that can give
 * such locks back early (handler.unlockRow, the MySQL handler's unlock_row); null otherwise, so
 * a leaf that has nothing to give back pays nothing per row.
 * @req INNODB-LOCK-308
 */
export function rejectedRowUnlocker(leaf: Leaf, st: ExecState): TableHandler | null {
  const opened = leaf.src.opened;
  if (leaf.src.derived || !opened || opened.kind !== 'base' || !opened.handler.unlockRow) return null;
  return (st.canWait ? leaf.reads.wait : leaf.reads.sync).lock === 'consistent' ? null : opened.handler;
}

/** Tell `handler` (from {@link rejectedRowUnlocker}) that the current row of `leaf` failed a
 *  condition. @req INNODB-LOCK-308 */
export function unlockRejected(handler: TableHandler, leaf: Leaf, st: ExecState): void {
  const ref = st.refs[leaf.src.index];
  if (ref) handler.unlockRow!(engineCtx(st, leaf.src), ref.id);
}

/**
 * A base table read through engine cursors, in batches: one cursor for a scan or an index
 * read, one after another for IN lists and HASH ranges. A promise from `fill` becomes a pause;
 * every row examined counts towards the statement's next pause.
 * @req CORE-CONC-001
 */
class BaseReader implements RowSource {
  private cursor: RowCursor | null = null;
  private readonly batch: RowRef[];
  private pos = 0;
  private len = 0;
  private reads = 0;
  private finished = false;
  private wait: Pause | null = null;
  /** The current row already counted before a pause. */
  private counted = false;
  private readonly idx: number;
  private readonly base: number;
  private readonly width: number;
  /** Who gives back the lock of a row the leaf's conditions reject (null: nobody). */
  private readonly unlocker: TableHandler | null;

  constructor(
    private readonly leaf: Leaf,
    private readonly st: ExecState,
    private readonly how: BaseRead,
  ) {
    const src = leaf.src;
    this.idx = src.index;
    this.base = src.base;
    this.width = src.columns.length;
    this.batch = st.batches[src.index] ??= [];
    this.unlocker = leaf.filters.length > 0 ? rejectedRowUnlocker(leaf, st) : null;
  }

  next(): boolean | Pause {
    const st = this.st;
    for (;;) {
      if (this.pos < this.len) {
        if (!this.counted && meterDue(st.meter, st.canWait)) {
          this.counted = true;
          return PAUSE;
        }
        this.counted = false;
        const ref = this.batch[this.pos++]!;
        st.refs[this.idx] = ref;
        const values = ref.row;
        const row = st.row;
        const base = this.base;
        for (let i = 0; i < this.width; i++) row[base + i] = values[i] ?? null;
        if (passes(this.leaf.filters, row, st.rt)) return true;
        // A locked row the WHERE (or ON) condition rejects: the engine may let it go.
        if (this.unlocker) unlockRejected(this.unlocker, this.leaf, st);
        continue;
      }
      if (this.finished) return false;
      const got = this.fill();
      if (got instanceof Pause) return got;
      this.pos = 0;
      this.len = this.batch.length;
      if (got === 0 || this.len === 0) {
        this.cursor?.close();
        this.cursor = null;
        this.len = 0;
      }
    }
  }

  /** The next batch: a count, or a pause while the engine waits. */
  private fill(): number | Pause {
    if (this.wait) {
      const n = this.wait.result as number;
      this.wait = null;
      return n;
    }
    if (!this.cursor && !this.openNext()) {
      this.finished = true;
      return 0;
    }
    if (this.batch.length !== 0) this.batch.length = 0;
    const n = this.cursor!.fill(this.batch, execTuning.fillBatch);
    if (typeof n === 'number') return n;
    if (!this.st.canWait) throw new Error('storage engine returned a promise to a cursor that cannot wait');
    this.wait = new Pause(n);
    return this.wait;
  }

  /** Open the next cursor of the read; false when there is none. */
  private openNext(): boolean {
    const how = this.how;
    const i = this.reads++;
    let read: IndexRead | null = null;
    if (how.kind === 'scan' || how.kind === 'read') {
      if (i > 0) return false;
      if (how.kind === 'read') read = how.read;
    } else if (how.kind === 'keys') {
      if (i >= how.keys.length) return false;
      read = { kind: 'eq', key: how.keys[i]! };
    } else {
      const k = how.from + BigInt(i);
      if (k > how.to) return false;
      read = { kind: 'eq', key: [...how.prefix, k] };
    }
    this.cursor = openCursor(this.leaf, this.st, read);
    // Opening counts as examining a row: a join whose lookups all miss still pauses.
    this.st.meter.examined++;
    this.st.meter.opens++;
    return true;
  }

  close(): void {
    this.finished = true;
    this.len = 0;
    this.cursor?.close();
    this.cursor = null;
  }
}

/** Open one cursor: a scan (read null) or an index read. */
function openCursor(leaf: Leaf, st: ExecState, read: IndexRead | null): RowCursor {
  const opened = leaf.src.opened as Extract<OpenedTable, { kind: 'base' }>;
  const ctx = engineCtx(st, leaf.src);
  const opts = st.canWait ? leaf.reads.wait : leaf.reads.sync;
  // @req CORE-LOG-012 a full scan is what log_queries_not_using_indexes looks for.
  if (read === null) st.meter.fullScan = true;
  const c = read === null ? opened.handler.scan(ctx, opts) : opened.handler.indexRead(ctx, (leaf.access ?? leaf.order)!.index.name, read, opts);
  return st.canWait && execTuning.cursorAdapter ? execTuning.cursorAdapter(c) : c;
}

/** The read for a base table this time: its access path's key from the current row, or a scan;
 *  null when the key shows no row can match. A leaf read in an index's order (leaf.order) reads
 *  that index in its direction, also where it would otherwise scan. */
function baseRead(leaf: Leaf, st: ExecState): BaseRead | null {
  const a = leaf.access;
  const o = leaf.order;
  // The whole index in order: from either end.
  const whole: BaseRead = o ? { kind: 'read', read: o.reverse ? { kind: 'range', reverse: true } : { kind: 'range' } } : { kind: 'scan' };
  // Without its equality prefix the read no longer gives the order: a plain scan then.
  const fallback: BaseRead = o && o.prefix === 0 ? whole : { kind: 'scan' };
  if (!a) return whole;
  if (a.inList) return inListRead(leaf, st);
  const key: Value[] = [];
  for (let i = 0; i < a.eq.length; i++) {
    const v = keyValueFor(a.eq[i]!.eval(st.row, st.rt), a.keyTypes[i]!);
    if (v === undefined) return fallback;
    if (v === null) return null;
    key.push(v);
  }
  if (!a.low && !a.high) return { kind: 'read', read: prefixRead(key, o?.reverse === true) };
  const t = a.keyTypes[a.eq.length]!;
  const read: Extract<IndexRead, { kind: 'range' }> = { kind: 'range' };
  if (o?.reverse) read.reverse = true;
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
  if (key.length) return { kind: 'read', read: prefixRead(key, o?.reverse === true) };
  return fallback;
}

/** The entries with key prefix `key`: an equality read, or backwards the same range. */
function prefixRead(key: Value[], reverse: boolean): IndexRead {
  if (!reverse) return { kind: 'eq', key };
  return { kind: 'range', low: { key, inclusive: true }, high: { key, inclusive: true }, reverse: true };
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
