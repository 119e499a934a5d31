/**
 * GROUP BY and aggregates: the block's rows are folded into one state per group (the groups are
 * held, the rows are not), then each group comes out as its representative row with the
 * aggregate results in their slots. WITH ROLLUP adds a super-aggregate row after the last group
 * of each prefix of the grouping key.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/group-by-handling.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/group-by-modifiers.html
 * @req CORE-EXEC-033 CORE-EXEC-041
 */
import type { Row, Value } from '../../../kernel/value.js';
import type { Runtime } from '../../../sql/eval/index.js';
import { createAggState, type AggState } from '../aggregates.js';
import { compareValues, tupleKey } from '../compare.js';
import type { BlockPlan, ExecState, GroupPlan } from '../plan/types.js';
import { meterDue, Pause, PAUSE, type RowGen } from './pause.js';

interface Group {
  rep: Row;
  aggs: AggState[];
}

interface Folded {
  groups: Group[];
  /** WITH ROLLUP: per prefix length, the groups of that prefix. */
  levels: Map<string, Group>[];
}

/**
 * The group rows of a block: each group's representative row with its aggregates, in group-key
 * order; `st.nulled` tells which items a ROLLUP row shows as NULL.
 */
export function* groupRows(p: BlockPlan, st: ExecState, input: RowGen): RowGen {
  const g = p.group!;
  const rt = st.rt;
  const folded = yield* fold(p, st, input);
  const groups = folded.groups;
  if (groups.length === 0 && g.exprs.length === 0) groups.push(emptyGroup(p, st));
  if (g.exprs.length > 0 && (p.order === null || g.rollup)) sortGroups(groups, g, rt);
  const keyOf = g.rollup ? groups.map((x) => g.exprs.map((e) => e.eval(x.rep, rt))) : [];
  for (let gi = 0; gi < groups.length; gi++) {
    if (meterDue(st.meter, st.canWait)) yield PAUSE;
    const grp = groups[gi]!;
    for (let i = 0; i < p.aggSpecs.length; i++) grp.rep[p.aggSpecs[i]!.slot] = grp.aggs[i]!.result(rt);
    if (g.levelSlot !== null) grp.rep[g.levelSlot] = g.exprs.length;
    st.nulled = null;
    yield grp.rep;
    if (g.rollup) yield* rollupRows(p, st, folded, keyOf, gi);
  }
  st.nulled = null;
}

/** Fold the input rows into groups (and ROLLUP levels), forwarding pauses. */
function* fold(p: BlockPlan, st: ExecState, input: RowGen): Generator<Pause, Folded, undefined> {
  const g = p.group!;
  const rt = st.rt;
  const n = g.exprs.length;
  const gv = new Array<Value>(n);
  const byKey = new Map<string, Group>();
  const groups: Group[] = [];
  const levels: Map<string, Group>[] = g.rollup ? g.exprs.map(() => new Map()) : [];
  for (const v of input) {
    if (v instanceof Pause) {
      yield v;
      continue;
    }
    for (let i = 0; i < n; i++) gv[i] = g.exprs[i]!.eval(v, rt);
    const k = n ? tupleKey(gv, g.collations) : '';
    let grp = byKey.get(k);
    if (!grp) {
      grp = newGroup(p, v);
      byKey.set(k, grp);
      groups.push(grp);
    }
    for (const a of grp.aggs) a.add(v, rt);
    for (let l = 0; l < levels.length; l++) {
      const pk = tupleKey(gv.slice(0, l), g.collations);
      let lg = levels[l]!.get(pk);
      if (!lg) levels[l]!.set(pk, (lg = newGroup(p, v)));
      for (const a of lg.aggs) a.add(v, rt);
    }
  }
  return { groups, levels };
}

function newGroup(p: BlockPlan, row: Row): Group {
  return { rep: row.slice(), aggs: p.aggSpecs.map((a) => createAggState(a, p.groupConcatMaxLen)) };
}

/** Aggregates over no rows still give one row (COUNT 0, the others NULL). */
function emptyGroup(p: BlockPlan, st: ExecState): Group {
  const rep = new Array<Value>(st.row.length).fill(null);
  for (const r of p.outerRefs) rep[r.innerSlot] = st.row[r.innerSlot] ?? null;
  return { rep, aggs: p.aggSpecs.map((a) => createAggState(a, p.groupConcatMaxLen)) };
}

/**
 * MySQL 8.0 no longer sorts by GROUP BY implicitly, but grouping by an index returns groups in
 * key order; sort by the group key for stable, predictable output.
 */
function sortGroups(groups: Group[], g: GroupPlan, rt: Runtime): void {
  const keys = groups.map((x) => g.exprs.map((e) => e.eval(x.rep, rt)));
  const idx = groups.map((_, i) => i);
  idx.sort((a, b) => {
    for (let i = 0; i < g.exprs.length; i++) {
      const c = compareValues(keys[a]![i]!, keys[b]![i]!, g.collations[i]);
      if (c !== 0) return c;
    }
    return a - b;
  });
  const sorted = idx.map((i) => groups[i]!);
  for (let i = 0; i < sorted.length; i++) groups[i] = sorted[i]!;
}

/** Super-aggregate rows for every key prefix that ends with group `gi`. @req CORE-EXEC-041 */
function* rollupRows(p: BlockPlan, st: ExecState, folded: Folded, keyOf: Value[][], gi: number): RowGen {
  const g = p.group!;
  const rt = st.rt;
  const cur = keyOf[gi]!;
  const next = keyOf[gi + 1];
  for (let l = g.exprs.length - 1; l >= 0; l--) {
    if (next && tupleKey(next.slice(0, l), g.collations) === tupleKey(cur.slice(0, l), g.collations)) break;
    const lg = folded.levels[l]!.get(tupleKey(cur.slice(0, l), g.collations));
    if (!lg) continue;
    const rr = lg.rep.slice();
    const nulled = new Set<number>();
    for (let j = l; j < g.exprs.length; j++) {
      const sl = g.rollupSlots[j];
      if (sl !== null && sl !== undefined) rr[sl] = null;
      for (const it of g.rollupItems[j]!) nulled.add(it);
    }
    for (let i = 0; i < p.aggSpecs.length; i++) rr[p.aggSpecs[i]!.slot] = lg.aggs[i]!.result(rt);
    // The ROLLUP level GROUPING() reads: keys 0..l-1 are kept, the rest rolled up. @req CORE-FN-040
    if (g.levelSlot !== null) rr[g.levelSlot] = l;
    st.nulled = nulled;
    yield rr;
  }
}
