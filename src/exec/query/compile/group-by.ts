/**
 * GROUP BY of a block: ordinals, aliases and expressions as grouping keys, the functional
 * dependency rule of ONLY_FULL_GROUP_BY (grouping by a table's primary key or NOT NULL unique
 * key determines its other columns), and what WITH ROLLUP needs to NULL out in its rows.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/group-by-functional-dependence.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/group-by-modifiers.html
 * @req CORE-EXEC-033 CORE-EXEC-041 CORE-FN-040
 */
import type { Expr } from '../../../sql/ast.js';
import { sqlError } from '../../../kernel/errors.js';
import { compileExpr, type CompiledExpr } from '../../../sql/eval/index.js';
import { MysqlType } from '../../../kernel/column-type.js';
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
  return { exprs: b.groupExprs, collations: b.groupExprs.map((g) => g.type.collation), rollup, rollupSlots, rollupItems, levelSlot: b.levelSlot };
}

/**
 * GROUPING(expr, ...) of a block grouped WITH ROLLUP: each argument must be one of the GROUP BY
 * expressions (the same expression, the same column, or the alias of a grouped select-list
 * item); the value is a bitmask, first argument highest, with a 1 for each argument the row's
 * ROLLUP level has rolled up. The level is read from a slot the grouping stage fills, so a NULL
 * in the data (level kept) tells apart from a NULL made by ROLLUP.
 * @req CORE-FN-040
 */
export function compileGrouping(b: BlockBuild, args: Expr[]): CompiledExpr {
  if (!b.core.withRollup || !b.grouped || b.groupAsts.length === 0) throw sqlError('ER_INVALID_GROUP_FUNC_USE');
  if (args.length === 0) throw sqlError('ER_PARSE_ERROR', "You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use", ')', 1);
  const positions = args.map((a, n) => {
    const j = groupPosition(b, a);
    if (j < 0) throw sqlError('ER_FIELD_IN_GROUPING_NOT_GROUP_BY', String(n + 1));
    return j;
  });
  if (b.levelSlot === null) b.levelSlot = b.scope.alloc();
  const slot = b.levelSlot;
  return {
    type: { kind: 'int', unsigned: false, length: 21, decimals: 0, nullable: false, mysqlType: MysqlType.LONGLONG },
    eval: (row) => {
      const lv = row[slot];
      const kept = typeof lv === 'number' ? lv : b.groupAsts.length;
      let bits = 0n;
      for (const j of positions) bits = (bits << 1n) | (j >= kept ? 1n : 0n);
      return bits;
    },
  };
}

/** Which GROUP BY expression an argument of GROUPING names, or -1. */
function groupPosition(b: BlockBuild, a: Expr): number {
  const key = JSON.stringify(a);
  const direct = b.groupAsts.findIndex((g) => JSON.stringify(g) === key);
  if (direct >= 0) return direct;
  if (a.type !== 'column') return -1;
  const scope = b.scope;
  const saved = scope.aliasMode;
  scope.aliasMode = 'none';
  let r: ReturnType<typeof scope.lookup>;
  try {
    r = scope.lookup(a);
  } finally {
    scope.aliasMode = saved;
  }
  if (r !== null && r !== 'ambiguous') {
    const slot = r.slot;
    const bySlot = b.groupAsts.findIndex((g) => {
      if (g.type !== 'column') return false;
      const sv = scope.aliasMode;
      scope.aliasMode = 'none';
      try {
        const gr = scope.lookup(g);
        return gr !== null && gr !== 'ambiguous' && gr.slot === slot;
      } finally {
        scope.aliasMode = sv;
      }
    });
    if (bySlot >= 0) return bySlot;
  }
  if (a.table !== undefined) return -1;
  const item = b.items.find((it) => it.alias !== undefined && it.alias.toLowerCase() === a.name.toLowerCase());
  if (!item) return -1;
  const ik = JSON.stringify(item.expr);
  return b.groupAsts.findIndex((g) => JSON.stringify(g) === ik);
}
