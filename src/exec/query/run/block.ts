/**
 * Execution of one query block as a pipeline: row combinations of the join tree, the WHERE
 * conditions left at the top, grouping and aggregates, the select list, HAVING, window
 * functions, then DISTINCT / ORDER BY / LIMIT. A plain block streams: each output row leaves as
 * soon as it is computed. GROUP BY holds its groups, window functions the block's rows, ORDER BY
 * at most offset+count rows under a LIMIT (all of them without). When the first table is read in
 * ORDER BY order (plan/order.ts) the block streams through ORDER BY too and stops at the LIMIT,
 * or, where rows may tie, sorts what it read and stops at the first row past the LIMIT's rows.
 *
 * An asynchronous select-list value (SLEEP) is awaited by yielding a pause with its promise.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/select.html
 * @req CORE-EXEC-030 CORE-EXEC-033 CORE-EXEC-034 CORE-EXEC-035 CORE-EXEC-042 CORE-CONC-001 CORE-CONC-010 CORE-CONC-011 INNODB-LOCK-309
 */
import { sqlError } from '../../../kernel/errors.js';
import type { Row, Value } from '../../../kernel/value.js';
import type { CompiledExpr, Runtime } from '../../../sql/eval/index.js';
import { computeWindows } from '../windows.js';
import type { BlockPlan, BlockProbe, ExecState, OrderPlan, RunStats } from '../plan/types.js';
import { newExecState } from './context.js';
import { groupRows } from './group.js';
import { runTree } from './join.js';
import { openLeaf, prepareFirstRead, type RowSource } from './leaf.js';
import { limitsOf, OutputStage } from './output.js';
import { meterDue, Pause, PAUSE, type RowGen } from './pause.js';
import { probeGen } from './probe.js';
import { truthy } from './values.js';

/**
 * Run a block once with the outer row (correlated references). A plain function that sets up
 * the execution and returns the generator of its last stage, so that an output row passes
 * through as few generators as possible.
 */
export function runBlock(p: BlockPlan, outer: Row, rt: Runtime, canWait: boolean, stats?: RunStats): RowGen {
  const st = newExecState(p.scope.width, p.sources.length, rt, canWait);
  for (const r of p.outerRefs) st.row[r.innerSlot] = outer[r.outerSlot] ?? null;
  const { offset, count } = limitsOf(p.limit, rt);
  if (count === 0 && !p.calcFound) return nothing(stats);
  // The first table read in ORDER BY order: no sort when rows cannot tie, else a sort that
  // stops the read once no later row can make the LIMIT. @req INNODB-LOCK-309
  const r = p.orderedRead;
  const inOrder = r !== null && prepareFirstRead(r.leaf, st);
  const order = inOrder ? r.sort : p.order;
  const out = new OutputStage(offset, count, order, p.calcFound, p.distinct ? p.itemCollations : null, inOrder ? r.given : 0);
  if (out.done) return nothing(stats);
  // EXPLAIN ANALYZE: each stage counted (one check per execution). @req CORE-EXPLAIN-008
  if (p.probe) return probedBlock(p, p.probe, st, out, order, stats);
  // One table, no grouping: the block reads its leaf with a call per row (one generator fewer
  // per row on the commonest query shape).
  if (!p.group && p.windows.length === 0 && p.tree?.kind === 'leaf' && p.topFilters.length === 0 && !(p.asyncItems && canWait)) {
    return emitFromLeaf(p, st, openLeaf(p.tree, st), out, order, stats);
  }
  const input = p.group ? groupRows(p, st, filtered(p, st)) : filtered(p, st);
  return p.windows.length ? windowed(p, st, input, out, order, stats) : emitAll(p, st, input, out, order, stats);
}

/** The block's stages with their counters (a plan compiled for EXPLAIN ANALYZE). */
function* probedBlock(p: BlockPlan, bp: BlockProbe, st: ExecState, out: OutputStage, order: OrderPlan | null, stats?: RunStats): RowGen {
  const joined = probeGen(bp.joined, filtered(p, st));
  const input = p.group ? probeGen(bp.grouped, groupRows(p, st, joined)) : joined;
  try {
    yield* probeGen(bp.out, p.windows.length ? windowed(p, st, input, out, order, stats) : emitAll(p, st, input, out, order, stats));
  } finally {
    bp.found += out.found;
  }
}

/** {@link emitAll} over a single leaf read through its row source (items evaluate synchronously). */
function* emitFromLeaf(p: BlockPlan, st: ExecState, src: RowSource, out: OutputStage, order: OrderPlan | null, stats?: RunStats): RowGen {
  const rt = st.rt;
  const having = p.having;
  const row = st.row;
  try {
    for (;;) {
      const x = src.next();
      if (x === false) break;
      if (x !== true) {
        yield x;
        continue;
      }
      const o = project(p, row, st);
      if (having !== null && !truthy(having.eval(row, rt))) continue;
      const sent = out.accept(o, out.ordered ? orderKey(order!, row, rt) : null);
      if (sent) yield sent;
      if (out.done) break;
    }
  } finally {
    src.close();
  }
  yield* out.finish(st.meter, st.canWait);
  if (stats) stats.found = out.found;
}

/** LIMIT 0: no row is even computed. */
function* nothing(stats?: RunStats): RowGen {
  if (stats) stats.found = 0;
}

/** Row combinations that pass the WHERE conditions not pushed into the join. */
function filtered(p: BlockPlan, st: ExecState): RowGen {
  if (!p.tree) return single(p, st);
  if (p.topFilters.length === 0) return runTree(p.tree, st);
  return topFiltered(p, st);
}

/** A block without FROM: its one row, if WHERE lets it through. */
function* single(p: BlockPlan, st: ExecState): RowGen {
  if (p.asyncFilters ? yield* passesAsync(p, st.row, st) : passes(p.topFilters, st.row, st.rt)) yield st.row;
}

function* topFiltered(p: BlockPlan, st: ExecState): RowGen {
  const f = p.topFilters;
  const async = p.asyncFilters;
  for (const v of runTree(p.tree!, st)) {
    if (v instanceof Pause) yield v;
    else if (async ? yield* passesAsync(p, v, st) : passes(f, v, st.rt)) yield v;
  }
}

/**
 * The top WHERE conditions when some must be awaited (SLEEP, a subquery over a table whose
 * reads wait): each such value is awaited through a pause, in order, stopping at the first
 * condition that fails. A block run where nothing may wait cannot evaluate them.
 * @req CORE-EXEC-036 CORE-CONC-001
 */
function* passesAsync(p: BlockPlan, row: Row, st: ExecState): Generator<Pause, boolean, undefined> {
  const rt = st.rt;
  for (const f of p.topFilters) {
    let v: Value;
    if (f.async && f.evalAsync) {
      if (!st.canWait) throw sqlError('ER_NOT_SUPPORTED_YET', 'a condition that waits where the statement cannot wait');
      const w = new Pause(f.evalAsync(row, rt), p.tree !== null);
      yield w;
      v = w.result as Value;
    } else v = f.eval(row, rt);
    if (!truthy(v)) return false;
  }
  return true;
}

function passes(filters: CompiledExpr[], row: Row, rt: Runtime): boolean {
  for (let i = 0; i < filters.length; i++) if (!truthy(filters[i]!.eval(row, rt))) return false;
  return true;
}

/** Select list, HAVING and the output stage for each input row; then the sorted rows. */
function* emitAll(p: BlockPlan, st: ExecState, input: RowGen, out: OutputStage, order: OrderPlan | null, stats?: RunStats): RowGen {
  const rt = st.rt;
  const having = p.having;
  const async = p.asyncItems && st.canWait;
  for (const r of input) {
    if (r instanceof Pause) {
      yield r;
      continue;
    }
    const o = async ? yield* projectAsync(p, r, st) : project(p, r, st);
    if (having !== null && !truthy(having.eval(r, rt))) continue;
    const sent = out.accept(o, out.ordered ? orderKey(order!, r, rt) : null);
    if (sent) yield sent;
    if (out.done) break;
  }
  yield* out.finish(st.meter, st.canWait);
  if (stats) stats.found = out.found;
}

/**
 * Window functions need every row of the block first: the rows that pass HAVING are held, the
 * windows computed over them, then the select list is evaluated again with their values.
 * @req CORE-EXEC-042
 */
function* windowed(p: BlockPlan, st: ExecState, input: RowGen, out: OutputStage, order: OrderPlan | null, stats?: RunStats): RowGen {
  const rt = st.rt;
  const held: { r: Row; nulled: Set<number> | null }[] = [];
  for (const r of input) {
    if (r instanceof Pause) {
      yield r;
      continue;
    }
    project(p, r, st);
    if (p.having !== null && !truthy(p.having.eval(r, rt))) continue;
    held.push({ r: r === st.row ? r.slice() : r, nulled: st.nulled });
  }
  computeWindows(p.windows, held.map((h) => h.r), rt, p.groupConcatMaxLen);
  const async = p.asyncItems && st.canWait;
  for (const h of held) {
    if (meterDue(st.meter, st.canWait)) yield PAUSE;
    st.nulled = h.nulled;
    const o = async ? yield* projectAsync(p, h.r, st) : project(p, h.r, st);
    const sent = out.accept(o, out.ordered ? orderKey(order!, h.r, rt) : null);
    if (sent) yield sent;
    if (out.done) break;
  }
  yield* out.finish(st.meter, st.canWait);
  if (stats) stats.found = out.found;
}

/** The select list of row `r`; each value also goes to its slot (aliases in HAVING / ORDER BY). */
function project(p: BlockPlan, r: Row, st: ExecState): Row {
  const items = p.items;
  const slots = p.itemSlots;
  const nulled = st.nulled;
  const rt = st.rt;
  const o = new Array<Value>(items.length);
  for (let i = 0; i < items.length; i++) {
    const v = nulled !== null && nulled.has(i) ? null : items[i]!.eval(r, rt);
    o[i] = v;
    r[slots[i]!] = v;
  }
  return o;
}

/**
 * The select list when some item is asynchronous: each such value is awaited through a pause.
 * A block that reads no table does not stop when interrupted while waiting: `SELECT SLEEP(10)`
 * interrupted returns 1, as MySQL does.
 * @req CORE-EXPR-091
 */
function* projectAsync(p: BlockPlan, r: Row, st: ExecState): Generator<Pause, Row, undefined> {
  const items = p.items;
  const slots = p.itemSlots;
  const nulled = st.nulled;
  const rt = st.rt;
  const o = new Array<Value>(items.length);
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    let v: Value;
    if (nulled !== null && nulled.has(i)) v = null;
    else if (item.async && item.evalAsync) {
      const w = new Pause(item.evalAsync(r, rt), p.tree !== null);
      yield w;
      v = w.result as Value;
    } else v = item.eval(r, rt);
    o[i] = v;
    r[slots[i]!] = v;
  }
  return o;
}

function orderKey(order: OrderPlan, r: Row, rt: Runtime): Value[] {
  const exprs = order.exprs;
  const k = new Array<Value>(exprs.length);
  for (let i = 0; i < exprs.length; i++) k[i] = exprs[i]!.eval(r, rt);
  return k;
}
