/**
 * Counters for EXPLAIN ANALYZE: per plan node, the rows it produced, how many times it was
 * started (loops), and the time to its first and to its last row. Only a plan compiled for
 * EXPLAIN ANALYZE carries probes (Leaf.probe, JoinNode.probe, BlockPlan.probe); the executor
 * checks for one once when it opens a leaf, runs a join or starts a block, never per row, so a
 * plan without probes runs exactly as before. The wrappers here count what passes through an
 * operator without changing what it produces.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/explain.html#explain-analyze
 * @req CORE-EXPLAIN-008 CORE-EXPLAIN-009
 */
import type { Row } from '../../../kernel/value.js';
import type { CompiledExpr } from '../../../sql/eval/index.js';
import type { RowSource } from './leaf.js';
import { Pause, type RowGen } from './pause.js';
import { truthy } from './values.js';

/** Counters of one plan node. Times are sums over the loops, in milliseconds. */
export class Probe {
  rows = 0;
  loops = 0;
  firstMs = 0;
  lastMs = 0;
  /** Rows the node's input gave before its conditions (the access under a leaf's Filter). */
  examined = 0;
  /** Rows that passed a condition counted by {@link countPasses}. */
  passed = 0;
  /** Times a condition counted by {@link countPasses} was evaluated. */
  evaluated = 0;
}

/** A leaf's row source, counted: one loop per open, one row per qualifying row. @req CORE-EXPLAIN-008 */
export function probeSource(probe: Probe, src: RowSource): RowSource {
  const t0 = performance.now();
  let first = false;
  let ended = false;
  probe.loops++;
  const end = (): void => {
    if (ended) return;
    ended = true;
    const t = performance.now() - t0;
    probe.lastMs += t;
    if (!first) probe.firstMs += t;
  };
  return {
    next(): boolean | Pause {
      const x = src.next();
      if (x === true) {
        probe.rows++;
        if (!first) {
          first = true;
          probe.firstMs += performance.now() - t0;
        }
      } else if (x === false) end();
      return x;
    },
    close(): void {
      end();
      src.close();
    },
  };
}

/** A generator of rows, counted like {@link probeSource}. @req CORE-EXPLAIN-008 */
export function* probeGen(probe: Probe, gen: RowGen): RowGen {
  const t0 = performance.now();
  let first = false;
  probe.loops++;
  try {
    for (const v of gen) {
      if (!(v instanceof Pause)) {
        probe.rows++;
        if (!first) {
          first = true;
          probe.firstMs += performance.now() - t0;
        }
      }
      yield v;
    }
  } finally {
    const t = performance.now() - t0;
    probe.lastMs += t;
    if (!first) probe.firstMs += t;
  }
}

/**
 * A condition that also counts its evaluations and the rows it lets through (into `probe`),
 * with the same value. Used on the last of a list of conjuncts checked in order, whose passes
 * are the rows the whole list lets through, and on the first, whose evaluations are the rows
 * examined. @req CORE-EXPLAIN-008
 */
export function countPasses(ce: CompiledExpr, probe: Probe, what: 'passed' | 'examined'): CompiledExpr {
  const inner = ce.eval;
  const out: CompiledExpr = {
    ...ce,
    eval:
      what === 'passed'
        ? (row: Row, rt) => {
            const v = inner(row, rt);
            probe.evaluated++;
            if (truthy(v)) probe.passed++;
            return v;
          }
        : (row: Row, rt) => {
            probe.examined++;
            return inner(row, rt);
          },
  };
  return out;
}
