/**
 * Nested-loop joins over the join tree: for each row combination of the left side, the rows of
 * the right side that satisfy the ON condition; a LEFT join NULL-extends the right side when
 * none does. Every row is the block's row buffer; pauses of the inputs pass through unchanged.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/nested-loop-joins.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/outer-join-simplification.html
 * @req CORE-EXEC-032 CORE-CONC-001 INNODB-LOCK-308
 */
import type { Source } from '../scope.js';
import type { ExecState, JoinNode, TreeNode } from '../plan/types.js';
import { openLeaf, rejectedRowUnlocker, runLeaf, unlockRejected } from './leaf.js';
import { Pause, type RowGen } from './pause.js';
import { probeGen } from './probe.js';
import { truthy } from './values.js';

/** Row combinations of a join tree. */
export function runTree(node: TreeNode, st: ExecState): RowGen {
  if (node.kind === 'leaf') return runLeaf(node, st);
  // EXPLAIN ANALYZE: the join's rows and loops are counted (one check per run).
  return node.probe ? probeGen(node.probe, runJoin(node, st)) : runJoin(node, st);
}

function* runJoin(node: JoinNode, st: ExecState): RowGen {
  const on = node.on;
  const row = st.row;
  const rt = st.rt;
  for (const l of runTree(node.left, st)) {
    if (l instanceof Pause) {
      yield l;
      continue;
    }
    let matched = false;
    if (node.right.kind === 'leaf') {
      // The inner table is read with a call per row, not through a generator.
      const inner = openLeaf(node.right, st);
      const unlocker = on !== null ? rejectedRowUnlocker(node.right, st) : null;
      try {
        for (;;) {
          const x = inner.next();
          if (x === false) break;
          if (x !== true) {
            yield x;
            continue;
          }
          if (on !== null && !truthy(on.eval(row, rt))) {
            // The inner row read with a lock and rejected by ON: the engine may let it go.
            if (unlocker) unlockRejected(unlocker, node.right, st);
            continue;
          }
          matched = true;
          yield row;
        }
      } finally {
        inner.close();
      }
    } else {
      for (const r of runTree(node.right, st)) {
        if (r instanceof Pause) {
          yield r;
          continue;
        }
        if (on !== null && !truthy(on.eval(row, rt))) continue;
        matched = true;
        yield row;
      }
    }
    if (node.outer && !matched) {
      nullExtend(node.rightSources, st);
      yield row;
    }
  }
}

function nullExtend(sources: Source[], st: ExecState): void {
  for (const s of sources) {
    for (let i = 0; i < s.columns.length; i++) st.row[s.base + i] = null;
    st.refs[s.index] = null;
  }
}
