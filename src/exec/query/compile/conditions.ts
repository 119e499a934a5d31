/**
 * Where the conditions of ON and WHERE are checked: each conjunct goes to the first leaf of the
 * join after which every table it reads is bound (so rows are rejected as early as possible),
 * and is kept as a candidate for that leaf's access path. Conditions that cannot move stay at
 * their join (ON) or at the top of the block (WHERE).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/where-optimization.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/outer-join-simplification.html
 * @req CORE-EXEC-032
 */
import type { Expr } from '../../../sql/ast.js';
import { sqlError } from '../../../kernel/errors.js';
import { compileExpr, type CompiledExpr } from '../../../sql/eval/index.js';
import type { Scope } from '../scope.js';
import type { TreeNode } from '../plan/types.js';
import { noteConditionSource } from '../plan/condition-source.js';
import { deepestLeaf, deepestLeafIn, isAllInner, leavesOf, safeLeavesOf } from '../plan/tree.js';
import { truthy } from '../run/values.js';
import { containsAggregate, splitConjuncts } from './util.js';

/** Compile a conjunct and note the sources it reads (-1: an outer reference). */
function compileWithDeps(e: Expr, scope: Scope): { ce: CompiledExpr; deps: Set<number> } {
  scope.touched = new Set();
  const ce = compileExpr(e, scope);
  noteConditionSource(ce, e);
  const deps = scope.touched;
  scope.touched = null;
  return { ce, deps };
}

/** ON conditions of every join in the tree. */
export function compileOn(node: TreeNode, scope: Scope): void {
  if (node.kind === 'leaf') return;
  compileOn(node.left, scope);
  compileOn(node.right, scope);
  if (!node.onAst) return;
  scope.clause = 'on clause';
  if (containsAggregate(node.onAst)) throw sqlError('ER_INVALID_GROUP_FUNC_USE');
  const rightLeaves = leavesOf(node.right);
  const rightIdx = new Set(rightLeaves.map((l) => l.src.index));
  const safe = new Set(safeLeavesOf(node.right));
  const rest: CompiledExpr[] = [];
  const restAst: Expr[] = [];
  for (const c of splitConjuncts(node.onAst, [])) {
    const { ce, deps } = compileWithDeps(c, scope);
    // A condition that only needs the inner side's last table (and earlier ones) can narrow its reads.
    const innerDeps = new Set([...deps].filter((d) => rightIdx.has(d)));
    const leaf = deps.has(-1) ? null : deepestLeafIn(rightLeaves, innerDeps);
    if (leaf) {
      leaf.candidates.push({ expr: c, deps });
      // Filtering that table's rows early is equivalent to checking the condition here only
      // when no nested outer join lies between (it would NULL-extend the filtered rows).
      if (safe.has(leaf)) {
        leaf.filters.push(ce);
        continue;
      }
    }
    rest.push(ce);
    restAst.push(c);
  }
  if (rest.length === 1) node.on = rest[0]!;
  else if (rest.length > 1) {
    const list = rest;
    node.on = { eval: (row, rt) => (list.every((x) => truthy(x.eval(row, rt))) ? 1n : 0n), type: { kind: 'int', length: 1, decimals: 0, nullable: true } };
    noteConditionSource(node.on, restAst.reduce((l, r): Expr => ({ type: 'binary', op: 'AND', left: l, right: r })));
  }
}

/**
 * WHERE: push each conjunct to its leaf when the joins are all inner; with outer joins it only
 * narrows the leaf's reads and is checked at the top. Returns the conjuncts left at the top.
 */
export function distributeWhere(tree: TreeNode | null, scope: Scope, where: Expr | undefined): CompiledExpr[] {
  const allInner = tree ? isAllInner(tree) : true;
  const top: CompiledExpr[] = [];
  for (const w of splitConjuncts(where, [])) {
    if (containsAggregate(w)) throw sqlError('ER_INVALID_GROUP_FUNC_USE');
    const { ce, deps } = compileWithDeps(w, scope);
    // A condition that must be awaited (SLEEP, a subquery over a table whose reads wait) is
    // checked at the top, where the block can pause for it; it never narrows an access path.
    if (ce.async) {
      top.push(ce);
      continue;
    }
    const leaf = tree && !deps.has(-1) ? deepestLeaf(tree, deps) : null;
    if (leaf) {
      leaf.candidates.push({ expr: w, deps });
      if (allInner) {
        leaf.filters.push(ce);
        continue;
      }
    }
    top.push(ce);
  }
  return top;
}
