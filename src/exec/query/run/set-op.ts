/**
 * Set operations: UNION streams its operands one after the other (UNION DISTINCT through a set
 * of the rows seen); INTERSECT and EXCEPT count the right operand's rows first, then stream the
 * left one against those counts. ORDER BY and LIMIT of the whole operation follow.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/set-operations.html
 * @req CORE-EXEC-037
 */
import type { Row } from '../../../kernel/value.js';
import type { CompiledExpr, Runtime } from '../../../sql/eval/index.js';
import { tupleKey } from '../compare.js';
import type { CompiledQuery, LimitPlan, RunStats } from '../plan/types.js';
import { limitsOf, OutputStage } from './output.js';
import { Pause, type RowGen } from './pause.js';
import { materialize } from './stream.js';
import { meterOf } from './context.js';
import { probeGen, type Probe } from './probe.js';

/** ORDER BY over a result's columns (set operations, VALUES). */
export interface ResultOrder {
  exprs: CompiledExpr[];
  desc: boolean[];
  collations: (string | undefined)[];
}

export interface SetOpPlan {
  op: 'UNION' | 'EXCEPT' | 'INTERSECT';
  all: boolean;
  left: CompiledQuery;
  right: CompiledQuery;
  /** Collations of the result columns (duplicate detection). */
  collations: (string | undefined)[];
  order: ResultOrder | null;
  limit: LimitPlan | null;
  /** EXPLAIN ANALYZE only: the operation's counters (run/probe.ts). */
  probe?: Probe;
}

export function runSetOp(p: SetOpPlan, outer: Row, rt: Runtime, canWait: boolean, stats?: RunStats): RowGen {
  // EXPLAIN ANALYZE: the rows of the operation counted (one check per run).
  return p.probe ? probeGen(p.probe, runSetOpUncounted(p, outer, rt, canWait, stats)) : runSetOpUncounted(p, outer, rt, canWait, stats);
}

function* runSetOpUncounted(p: SetOpPlan, outer: Row, rt: Runtime, canWait: boolean, stats?: RunStats): RowGen {
  const { offset, count } = limitsOf(p.limit, rt);
  const out = new OutputStage(offset, count, p.order, false, p.op === 'UNION' && !p.all ? p.collations : null);
  if (!out.done) {
    const input = p.op === 'UNION' ? union(p, outer, rt, canWait) : yield* againstRight(p, outer, rt, canWait);
    yield* through(input, out, p.order, rt);
    yield* out.finish(meterOf(rt), canWait);
  }
  if (stats) stats.found = out.found;
}

/** Rows of a result through the output stage. */
export function* through(input: Iterable<Row | Pause>, out: OutputStage, order: ResultOrder | null, rt: Runtime): RowGen {
  for (const v of input) {
    if (v instanceof Pause) {
      yield v;
      continue;
    }
    const sent = out.accept(v, order ? order.exprs.map((e) => e.eval(v, rt)) : null);
    if (sent) yield sent;
    if (out.done) return;
  }
}

function* union(p: SetOpPlan, outer: Row, rt: Runtime, canWait: boolean): RowGen {
  yield* p.left.run(outer, rt, canWait);
  yield* p.right.run(outer, rt, canWait);
}

/** INTERSECT / EXCEPT: the right operand's row counts first, then the left operand filtered. */
function* againstRight(p: SetOpPlan, outer: Row, rt: Runtime, canWait: boolean): Generator<Pause, RowGen, undefined> {
  const right = yield* materialize(p.right.run(outer, rt, canWait));
  const counts = new Map<string, number>();
  for (const row of right) {
    const k = tupleKey(row, p.collations);
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  return filterLeft(p, p.left.run(outer, rt, canWait), counts);
}

function* filterLeft(p: SetOpPlan, left: RowGen, counts: Map<string, number>): RowGen {
  const seen = new Set<string>();
  const intersect = p.op === 'INTERSECT';
  for (const row of left) {
    if (row instanceof Pause) {
      yield row;
      continue;
    }
    const k = tupleKey(row, p.collations);
    const inRight = (counts.get(k) ?? 0) > 0;
    if (intersect ? !inRight : inRight) {
      if (p.all && !intersect) counts.set(k, counts.get(k)! - 1);
      continue;
    }
    if (p.all && intersect) counts.set(k, counts.get(k)! - 1);
    if (!p.all) {
      if (seen.has(k)) continue;
      seen.add(k);
    }
    yield row;
  }
}
