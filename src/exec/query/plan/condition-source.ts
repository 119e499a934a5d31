/**
 * The syntax each compiled WHERE / ON condition came from, so that EXPLAIN can print the
 * conditions where the planner put them (attached to a table, or left at a join or at the top
 * of the block). A weak map: nothing is kept once the plan is gone, and running a plan never
 * reads it.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/explain-output.html
 * @req CORE-EXPLAIN-003 CORE-EXPLAIN-006
 */
import type { Expr } from '../../../sql/ast.js';
import type { CompiledExpr } from '../../../sql/eval/index.js';

const sources = new WeakMap<CompiledExpr, Expr>();

/** Remember that `ce` is the compiled form of `e`. */
export function noteConditionSource(ce: CompiledExpr, e: Expr): void {
  sources.set(ce, e);
}

/** The syntax of a compiled condition, when it was noted. */
export function conditionSource(ce: CompiledExpr): Expr | undefined {
  return sources.get(ce);
}
