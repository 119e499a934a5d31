/**
 * Compiling one query block: FROM and the join tree, ON and WHERE (pushed to the leaves),
 * access paths, the select list with its aliases, GROUP BY and aggregates, HAVING, window
 * functions, ORDER BY, DISTINCT and LIMIT. The result is a {@link BlockPlan} that
 * run/block.ts executes; the steps are in select-list.ts, group-by.ts and order-by.ts.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/select.html
 * @req CORE-EXEC-030 CORE-EXEC-032 CORE-EXEC-033 CORE-EXEC-034 CORE-EXEC-035 CORE-EXEC-038 CORE-EXEC-039 CORE-EXEC-062 CORE-EXEC-063 CORE-EXEC-067 INNODB-LOCK-309
 */
import type { Expr, SelectCore } from '../../../sql/ast.js';
import type { CompiledExpr } from '../../../sql/eval/index.js';
import type { AggSpec } from '../aggregates.js';
import type { ColumnOrigin } from '../column-types.js';
import { Scope, type Source } from '../scope.js';
import type { WindowSpec } from '../windows.js';
import { planAccess } from '../plan/access.js';
import { explainBlock } from '../plan/explain.js';
import { leavesOf, setLeafLock } from '../plan/tree.js';
import type { BlockPlan, CompiledQuery, GroupPlan, OrderedRead, OrderPlan, OutColumn, TreeNode } from '../plan/types.js';
import { orderColumnOf, planOrderedRead } from '../plan/order.js';
import { runBlock } from '../run/block.js';
import { compileAggregate, compileWindow } from './aggregate.js';
import type { QueryCompiler } from './compiler.js';
import { compileOn, distributeWhere } from './conditions.js';
import { compileJsonTables } from './from.js';
import { compileGroupBy, compileGrouping, rollupPlan } from './group-by.js';
import { compileHaving, compileOrderBy } from './order-by.js';
import { defineAliases, compileSelectList, expandItems } from './select-list.js';
import { compileLimit, compileValues } from './set-op.js';
import { containsAggregate, literalInt } from './util.js';

/** A select-list item while its block compiles. */
export interface Item {
  expr: Expr;
  name: string;
  origin?: ColumnOrigin;
  alias?: string;
  compiled?: CompiledExpr;
  slot: number;
}

/** The state of a block's compilation, filled in step by step. */
export interface BlockBuild {
  qc: QueryCompiler;
  core: SelectCore;
  scope: Scope;
  sources: Source[];
  tree: TreeNode | null;
  items: Item[];
  aggSpecs: AggSpec[];
  winSpecs: WindowSpec[];
  /** Aggregation happens (GROUP BY, or an aggregate in the select list, HAVING or ORDER BY). */
  grouped: boolean;
  /** ONLY_FULL_GROUP_BY applies to this block. */
  checkFullGroup: boolean;
  topFilters: CompiledExpr[];
  groupExprs: CompiledExpr[];
  groupAsts: Expr[];
  /** Slots of the plain columns grouped by. */
  groupSlots: Set<number>;
  /** Sources whose whole row is determined by the grouping (their key is grouped by). */
  groupedSources: Set<number>;
  having: CompiledExpr | null;
  orderExprs: CompiledExpr[];
  orderDesc: boolean[];
  /** Index of the select-list item being compiled (forward alias references from subqueries). */
  compilingItem?: number;
  /** The slot holding a row's ROLLUP level (how many grouping keys it keeps), once GROUPING is used. */
  levelSlot: number | null;
}

export function compileBlock(qc: QueryCompiler, c: SelectCore, outer: Scope | null): CompiledQuery {
  if (c.valuesRows) return compileValues(qc, c, outer);
  const b = startBlock(qc, c, outer);
  expandItems(b);
  compileFromWhere(b);
  defineAliases(b);
  compileGroupBy(b);
  compileSelectList(b);
  compileHaving(b);
  compileOrderBy(b);
  return finishBlock(b);
}

function startBlock(qc: QueryCompiler, c: SelectCore, outer: Scope | null): BlockBuild {
  const sources: Source[] = [];
  const tree = qc.buildFrom(c.from, sources, outer);
  const grouped =
    !!(c.groupBy && c.groupBy.length) || c.items.some((i) => containsAggregate(i.expr)) || containsAggregate(c.having) || (c.orderBy ?? []).some((o) => containsAggregate(o.expr));
  const aggSpecs: AggSpec[] = [];
  const winSpecs: WindowSpec[] = [];
  const scope = new Scope(sources, outer, {
    aggregate: (sc, call) => compileAggregate(qc, sc, call, aggSpecs, grouped),
    subquery: (sc, e) => qc.compileSubquery(sc, e),
    window: (sc, call) => compileWindow(qc, sc, call, c, winSpecs),
    grouping: (_sc, args) => compileGrouping(build, args),
  }, qc.session.schema);
  scope.sqlMode = qc.session.sqlMode();
  const build: BlockBuild = {
    qc,
    core: c,
    scope,
    sources,
    tree,
    items: [],
    aggSpecs,
    winSpecs,
    grouped,
    checkFullGroup: grouped && qc.session.sqlMode().has('ONLY_FULL_GROUP_BY'), // @req CORE-MODE-014
    topFilters: [],
    groupExprs: [],
    groupAsts: [],
    groupSlots: new Set(),
    groupedSources: new Set(),
    having: null,
    orderExprs: [],
    orderDesc: [],
    levelSlot: null,
  };
  return build;
}

/** ON conditions, WHERE pushed to the leaves, access paths, how the leaves read. */
function compileFromWhere(b: BlockBuild): void {
  const { tree, scope } = b;
  compileJsonTables(b.sources, scope);
  if (tree) compileOn(tree, scope);
  scope.clause = 'where clause';
  b.topFilters = distributeWhere(tree, scope, b.core.where);
  if (!tree) return;
  planAccess(tree, scope, new Set());
  const leaves = leavesOf(tree);
  const lock = b.core.lock === 'UPDATE' ? 'exclusive' : b.core.lock === 'SHARE' ? 'shared' : null;
  if (lock) for (const l of leaves) setLeafLock(l, lock, b.core.lockOption);
  // The outermost table of a block that runs once is read once: a derived table there streams.
  if (b.qc.env.reentrant === 0) leaves[0]!.once = true;
}

/**
 * Whether the block's first table can be read in its ORDER BY's order (plan/order.ts): a block
 * without grouping, window functions or DISTINCT whose ORDER BY items are plain columns of that
 * table. @req CORE-EXEC-034 INNODB-LOCK-309
 */
function orderedRead(b: BlockBuild, order: OrderPlan): OrderedRead | null {
  if (!b.tree || b.grouped || b.winSpecs.length > 0 || b.core.distinct) return null;
  const src = leavesOf(b.tree)[0]!.src;
  const cols = (b.core.orderBy ?? []).map((o) => {
    const col = orderColumnOf(b.scope, src, o.expr, b.items, literalInt(o.expr));
    return col === null ? null : { col, desc: o.desc };
  });
  return planOrderedRead(b.tree, order, cols, b.core.limit !== undefined);
}

/** Whether reading the source may have to wait: a table whose engine always waits
 *  (FEDERATED), or a derived table whose query may. */
function readsWait(s: Source): boolean {
  if (s.opened?.kind === 'base' && s.opened.engine.capabilities.readsWait === true) return true;
  return s.derived?.query?.hasAsync === true;
}

function finishBlock(b: BlockBuild): CompiledQuery {
  const { core: c, scope, items } = b;
  const columns: OutColumn[] = items.map((it) => {
    const oc: OutColumn = { name: it.name, type: it.compiled!.type };
    if (it.origin) oc.origin = it.origin;
    return oc;
  });
  const itemExprs = items.map((it) => it.compiled!);
  const group: GroupPlan | null = b.grouped ? rollupPlan(b) : null;
  const order: OrderPlan | null = b.orderExprs.length ? { exprs: b.orderExprs, desc: b.orderDesc, collations: b.orderExprs.map((e) => e.type.collation) } : null;
  const plan: BlockPlan = {
    scope,
    sources: b.sources,
    tree: b.tree,
    topFilters: b.topFilters,
    outerRefs: scope.outerRefs,
    items: itemExprs,
    itemSlots: items.map((it) => it.slot),
    itemCollations: itemExprs.map((e) => e.type.collation),
    asyncItems: itemExprs.some((e) => e.async),
    asyncFilters: b.topFilters.some((e) => e.async),
    group,
    aggSpecs: b.aggSpecs,
    having: b.having,
    windows: b.winSpecs,
    order,
    orderedRead: order ? orderedRead(b, order) : null,
    limit: compileLimit(b.qc, c.limit),
    distinct: c.distinct,
    calcFound: !!c.modifiers?.some((m) => m.toUpperCase() === 'SQL_CALC_FOUND_ROWS'),
    groupConcatMaxLen: b.qc.env.groupConcatMaxLen,
  };
  const compiled: CompiledQuery = {
    columns,
    correlated: scope.outerRefs.length > 0,
    run: (outer, rt, canWait, stats) => runBlock(plan, outer, rt, canWait, stats),
    explain: (rt) => explainBlock(plan, c.where !== undefined, rt),
    shape: { kind: 'block', plan, core: c, subqueries: scope.subqueries },
  };
  if (plan.asyncItems || plan.asyncFilters || b.sources.some(readsWait)) compiled.hasAsync = true;
  return compiled;
}
