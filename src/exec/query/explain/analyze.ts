/**
 * EXPLAIN ANALYZE: the query's plan is given counters (run/probe.ts) on every leaf, join and
 * block stage, the query runs to its end with its rows thrown away, and the iterator tree is
 * printed with what each operator did. Only the plan of the EXPLAIN ANALYZE statement itself
 * carries counters (its own parsed statement, compiled for it), so no other statement pays for
 * them. Running it again (a prepared EXPLAIN ANALYZE) starts the counters from zero.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/explain.html#explain-analyze
 * @req CORE-EXPLAIN-008 CORE-EXPLAIN-009
 */
import type { CompiledExpr } from '../../../sql/eval/index.js';
import { conditionSource, noteConditionSource } from '../plan/condition-source.js';
import { leavesOf } from '../plan/tree.js';
import type { BlockProbe, CompiledQuery, TreeNode } from '../plan/types.js';
import { countPasses, Probe } from '../run/probe.js';

/** Probes of each instrumented query, to reset before another run. */
const instrumented = new WeakMap<CompiledQuery, { probes: Probe[]; blocks: BlockProbe[] }>();

function wrap(ce: CompiledExpr, probe: Probe, what: 'passed' | 'examined'): CompiledExpr {
  const w = countPasses(ce, probe, what);
  const src = conditionSource(ce);
  if (src) noteConditionSource(w, src);
  return w;
}

/**
 * Give a compiled query's plan its counters (once), or zero them (every later time).
 * @req CORE-EXPLAIN-008
 */
export function instrument(q: CompiledQuery): void {
  const known = instrumented.get(q);
  if (known) {
    for (const p of known.probes) Object.assign(p, new Probe());
    for (const b of known.blocks) b.found = 0;
    return;
  }
  const acc = { probes: [] as Probe[], blocks: [] as BlockProbe[] };
  instrumentQuery(q, acc);
  instrumented.set(q, acc);
}

function fresh(acc: { probes: Probe[] }): Probe {
  const p = new Probe();
  acc.probes.push(p);
  return p;
}

function instrumentQuery(q: CompiledQuery, acc: { probes: Probe[]; blocks: BlockProbe[] }): void {
  const s = q.shape;
  if (!s) return;
  if (s.kind === 'setop') {
    if (!s.plan.probe) s.plan.probe = fresh(acc);
    instrumentQuery(s.plan.left, acc);
    instrumentQuery(s.plan.right, acc);
    return;
  }
  if (s.kind !== 'block') return;
  const p = s.plan;
  if (p.probe) return;
  const bp: BlockProbe = { out: fresh(acc), joined: fresh(acc), grouped: fresh(acc), having: fresh(acc), found: 0 };
  acc.blocks.push(bp);
  p.probe = bp;
  if (p.having) p.having = wrap(p.having, bp.having, 'passed');
  if (p.tree) instrumentTree(p.tree, acc);
  for (const sub of s.subqueries) instrumentQuery(sub.query, acc);
}

function instrumentTree(n: TreeNode, acc: { probes: Probe[]; blocks: BlockProbe[] }): void {
  if (n.kind === 'join') {
    n.probe = fresh(acc);
    if (n.on) n.on = wrap(n.on, n.probe, 'passed');
    instrumentTree(n.left, acc);
    instrumentTree(n.right, acc);
    return;
  }
  for (const leaf of leavesOf(n)) {
    leaf.probe = fresh(acc);
    // The first condition is evaluated once per row read: the rows the access examined.
    if (leaf.filters.length > 0) leaf.filters[0] = wrap(leaf.filters[0]!, leaf.probe, 'examined');
    const d = leaf.src.derived?.query;
    if (d) instrumentQuery(d, acc);
  }
}
