/**
 * The FROM / WHERE part of an UPDATE or DELETE, compiled like a query block's: a scope over
 * the tables (for the SET expressions and ORDER BY), the join tree with its access paths, and a
 * pipeline that yields each qualifying row combination with the handles of its rows. The
 * statement marks its target tables so their rows are read with an exclusive lock. An ORDER BY
 * that an index gives reads the table in that order, so ORDER BY ... LIMIT stops early.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/update.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/delete.html
 * @req CORE-EXEC-055 INNODB-LOCK-309
 */
import type { Expr, OrderItem, TableRef } from '../../../sql/ast.js';
import type { Runtime } from '../../../sql/eval/index.js';
import type { ReadLock } from '../../../storage/handler.js';
import { Scope, type Source } from '../scope.js';
import { planAccess } from '../plan/access.js';
import { leavesOf, setLeafLock } from '../plan/tree.js';
import type { ExecState, OrderedRead, OrderPlan, TreeNode } from '../plan/types.js';
import { orderColumnOf, planOrderedRead } from '../plan/order.js';
import { prepareFirstRead } from '../run/leaf.js';
import type { CompiledExpr } from '../../../sql/eval/index.js';
import { newExecState } from '../run/context.js';
import { runTree } from '../run/join.js';
import { Pause, type RowGen } from '../run/pause.js';
import { truthy } from '../run/values.js';
import type { QueryCompiler } from './compiler.js';
import { compileJsonTables } from './from.js';
import { compileOn, distributeWhere } from './conditions.js';

export interface DmlScan {
  scope: Scope;
  sources: Source[];
  /** Whether some table is read through an index (sql_safe_updates). */
  keyUsed: boolean;
  /** How a source's rows are read (the statement's targets: exclusive). */
  lock(source: Source, lock: ReadLock): void;
  /** Read the first table in the order of `order` (the statement's ORDER BY, `items` its AST)
   *  when an index gives it (plan/order.ts); null: the rows must be sorted. */
  orderBy(order: OrderPlan, items: readonly OrderItem[], limited: boolean): OrderedRead | null;
  /** Start reading: each row yielded is `st.row`, with `st.refs` the handles of its rows.
   *  `inOrder`: the rows come in the planned ORDER BY order this time. */
  open(rt: Runtime, canWait: boolean): { st: ExecState; rows: RowGen; inOrder: boolean };
}

export function compileDmlScan(qc: QueryCompiler, from: TableRef[], where: Expr | undefined): DmlScan {
  const sources: Source[] = [];
  const tree = qc.buildFrom(from, sources, null);
  const scope: Scope = new Scope(sources, null, { subquery: (sc, e) => qc.compileSubquery(sc, e) }, qc.session.schema);
  scope.sqlMode = qc.session.sqlMode();
  compileJsonTables(sources, scope); // @req CORE-FN-035
  if (tree) compileOn(tree, scope);
  scope.clause = 'where clause';
  const top = distributeWhere(tree, scope, where);
  if (tree) planAccess(tree, scope, new Set());
  const leaves = tree ? leavesOf(tree) : [];
  let ordered: OrderedRead | null = null;
  return {
    scope,
    sources,
    keyUsed: leaves.some((l) => l.access !== null),
    lock: (source, lock) => {
      for (const l of leaves) if (l.src === source) setLeafLock(l, lock);
    },
    orderBy: (order, items, limited) => {
      if (!tree) return null;
      const src = leaves[0]!.src;
      const cols = items.map((o) => {
        const col = orderColumnOf(scope, src, o.expr, null, null);
        return col === null ? null : { col, desc: o.desc };
      });
      ordered = planOrderedRead(tree, order, cols, limited);
      return ordered;
    },
    open: (rt, canWait) => {
      const st = newExecState(scope.width, sources.length, rt, canWait);
      const inOrder = ordered !== null && prepareFirstRead(ordered.leaf, st);
      return { st, rows: tree ? qualifying(tree, st, top) : empty(), inOrder };
    },
  };
}

function* qualifying(tree: TreeNode, st: ExecState, top: CompiledExpr[]): RowGen {
  for (const v of runTree(tree, st)) {
    if (v instanceof Pause) {
      yield v;
      continue;
    }
    let pass = true;
    for (let i = 0; i < top.length; i++) {
      if (!truthy(top[i]!.eval(v, st.rt))) {
        pass = false;
        break;
      }
    }
    if (pass) yield v;
  }
}

function* empty(): RowGen {
  /* no tables: no rows */
}
