/**
 * GROUP BY of a block: ordinals, aliases and expressions as grouping keys, the functional
 * dependency rule of ONLY_FULL_GROUP_BY (grouping by a table's primary key or NOT NULL unique
 * key determines its other columns), and what WITH ROLLUP needs to NULL out in its rows.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/group-by-functional-dependence.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/group-by-modifiers.html
 * @req CORE-EXEC-033 CORE-EXEC-041
 */
import type { Expr } from '../../../sql/ast.js';
import { sqlError } from '../../../kernel/errors.js';
import { compileExpr } from '../../../sql/eval/index.js';
import type { GroupPlan } from '../plan/types.js';
import type { BlockBuild } from './block.js';
import { containsAggregate, exprName, literalInt, noteGroupColumn } from './util.js';

export function compileGroupBy(b: BlockBuild): void {
  const groupBy = b.core.groupBy;
  if (!groupBy) return;
  const scope = b.scope;
  scope.clause = 'group statement';
  scope.aliasMode = 'last';
  for (const g of groupBy) groupKey(b, g);
  scope.aliasMode = 'none';
  for (const s of b.sources) {
    const def = s.tableDef;
    if (!def) continue;
    for (const ix of def.indexes) {
      if (ix.kind !== 'PRIMARY' && ix.kind !== 'UNIQUE') continue;
      if (ix.parts.every((p) => b.groupSlots.has(s.base + p.column) && !def.columns[p.column]!.nullable)) b.groupedSources.add(s.index);
    }
  }
}

/** One GROUP BY element: an ordinal, an alias or an expression. */
function groupKey(b: BlockBuild, g: Expr): void {
  const scope = b.scope;
  const add = (e: Expr, viaItem: boolean) => {
    if (viaItem) scope.aliasMode = 'none';
    b.groupExprs.push(compileExpr(e, scope));
    if (viaItem) scope.aliasMode = 'last';
    b.groupAsts.push(e);
    noteGroupColumn(e, scope, b.groupSlots);
  };
  const ord = literalInt(g);
  if (ord !== null) {
    if (ord < 1 || ord > b.items.length) throw sqlError('ER_BAD_FIELD_ERROR', String(ord), 'group statement');
    const item = b.items[ord - 1]!;
    if (containsAggregate(item.expr)) throw sqlError('ER_WRONG_GROUP_FIELD', item.name);
    add(item.expr, true);
    return;
  }
  if (containsAggregate(g)) throw sqlError('ER_WRONG_GROUP_FIELD', exprName(g));
  // A bare name that is not a column but is an alias groups by the aliased expression.
  if (g.type === 'column' && g.table === undefined) {
    // FROM columns first (MySQL's order for GROUP BY), without the alias fallback of `lookup`.
    scope.aliasMode = 'none';
    const r = scope.lookup(g);
    scope.aliasMode = 'last';
    const alias = r === null ? b.items.find((it) => it.alias !== undefined && it.alias.toLowerCase() === g.name.toLowerCase()) : undefined;
    if (alias) {
      if (containsAggregate(alias.expr)) throw sqlError('ER_WRONG_GROUP_FIELD', alias.alias);
      add(alias.expr, true);
      return;
    }
  }
  add(g, false);
}

/** The grouping plan, with what WITH ROLLUP rows NULL out. */
export function rollupPlan(b: BlockBuild): GroupPlan {
  const scope = b.scope;
  const rollup = !!b.core.withRollup && b.groupAsts.length > 0;
  const rollupSlots = b.groupAsts.map((g) => {
    if (g.type !== 'column') return null;
    const r = scope.lookup(g);
    return r && r !== 'ambiguous' ? r.slot : null;
  });
  const rollupItems = b.groupAsts.map((g) => {
    const key = JSON.stringify(g);
    return b.items.flatMap((it, i) =>
      JSON.stringify(it.expr) === key || (it.alias !== undefined && g.type === 'column' && g.table === undefined && it.alias.toLowerCase() === g.name.toLowerCase()) ? [i] : [],
    );
  });
  return { exprs: b.groupExprs, collations: b.groupExprs.map((g) => g.type.collation), rollup, rollupSlots, rollupItems };
}
