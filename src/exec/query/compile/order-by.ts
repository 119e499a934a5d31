/**
 * HAVING and ORDER BY of a block: aliases resolve before columns, ordinals pick a select-list
 * item, ENUM/SET columns sort by member index, and ONLY_FULL_GROUP_BY applies to ORDER BY of a
 * grouped block.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/sorting-rows.html
 * @req CORE-EXEC-033 CORE-EXEC-034 CORE-EXEC-067
 */
import { sqlError } from '../../../kernel/errors.js';
import { compileExpr, enumAsNumber } from '../../../sql/eval/index.js';
import type { BlockBuild } from './block.js';
import { ungrouped } from './select-list.js';
import { literalInt } from './util.js';

export function compileHaving(b: BlockBuild): void {
  const h = b.core.having;
  if (!h) return;
  const scope = b.scope;
  scope.clause = 'having clause';
  let listed: Set<number> | null = null;
  scope.havingColumnAllowed = (slot) => b.groupSlots.has(slot) || (listed ??= selectListSlots(b)).has(slot);
  scope.aliasMode = 'first';
  try {
    b.having = compileExpr(h, scope);
  } finally {
    scope.havingColumnAllowed = undefined;
  }
  scope.aliasMode = 'none';
}

/** Slots of the table columns that are select-list items (plain column items, `*` included). */
function selectListSlots(b: BlockBuild): Set<number> {
  const slots = new Set<number>();
  const scope = b.scope;
  const saved = scope.aliasMode;
  scope.aliasMode = 'none';
  try {
    for (const it of b.items) {
      if (it.expr.type !== 'column' || it.expr.name === '*') continue;
      const r = scope.lookup(it.expr);
      if (r && r !== 'ambiguous' && 'source' in r && r.source) slots.add(r.slot);
    }
  } finally {
    scope.aliasMode = saved;
  }
  return slots;
}

export function compileOrderBy(b: BlockBuild): void {
  const scope = b.scope;
  for (const o of b.core.orderBy ?? []) {
    scope.clause = 'order clause';
    const ord = literalInt(o.expr);
    if (ord !== null) {
      if (ord < 1 || ord > b.items.length) throw sqlError('ER_BAD_FIELD_ERROR', String(ord), 'order clause');
      const slot = b.items[ord - 1]!.slot;
      const compiled = b.items[ord - 1]!.compiled!;
      const type = compiled.type;
      // ENUM/SET columns sort by member index, not by text. @req CORE-EXEC-067
      b.orderExprs.push(enumAsNumber({ eval: (row) => row[slot]!, type, ...(compiled.enumColumn ? { enumColumn: true } : {}) }));
    } else {
      scope.aliasMode = 'first';
      if (b.checkFullGroup) scope.bareColumns = [];
      b.orderExprs.push(enumAsNumber(compileExpr(o.expr, scope)));
      if (b.checkFullGroup) {
        const bad = ungrouped(b, o.expr);
        if (bad) throw sqlError('ER_WRONG_FIELD_WITH_GROUP', b.orderExprs.length, 'ORDER BY clause', bad);
      }
      scope.aliasMode = 'none';
    }
    b.orderDesc.push(o.desc);
  }
}
