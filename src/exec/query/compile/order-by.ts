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
  scope.aliasMode = 'first';
  b.having = compileExpr(h, scope);
  scope.aliasMode = 'none';
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
