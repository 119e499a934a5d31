/**
 * The select list of a block: `*` and `t.*` expanded into the visible columns, a slot per item
 * (so that aliases can be referenced from GROUP BY, HAVING and ORDER BY), the items compiled,
 * the ONLY_FULL_GROUP_BY check, and the origin of plain column items (result metadata).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/select.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/group-by-handling.html
 * @req CORE-EXEC-030 CORE-EXEC-031 CORE-EXEC-033 CORE-EXEC-062
 */
import type { Expr } from '../../../sql/ast.js';
import { sqlError } from '../../../kernel/errors.js';
import { compileExpr } from '../../../sql/eval/index.js';
import type { ColumnOrigin } from '../column-types.js';
import type { Scope } from '../scope.js';
import type { BlockBuild, Item } from './block.js';
import { autoColumnName, isGroupExpr } from './util.js';

/** Items with `*` expanded; each gets a slot. */
export function expandItems(b: BlockBuild): void {
  const items = b.items;
  for (const it of b.core.items) {
    const e = it.expr;
    if (e.type === 'column' && e.name === '*') {
      expandStar(b, e, items);
      continue;
    }
    const item: Item = { expr: e, name: it.alias ?? (e.type === 'column' ? e.name : autoColumnName(e, it.text)), slot: -1 };
    if (it.alias !== undefined) item.alias = it.alias;
    items.push(item);
  }
  for (const it of items) it.slot = b.scope.alloc();
}

function expandStar(b: BlockBuild, e: Extract<Expr, { type: 'column' }>, items: Item[]): void {
  let any = false;
  for (const s of b.sources) {
    if (e.table !== undefined && !(s.alias.toLowerCase() === e.table.toLowerCase() && (e.schema === undefined || s.schema.toLowerCase() === e.schema.toLowerCase()))) continue;
    any = true;
    s.columns.forEach((col, i) => {
      if (e.table === undefined && s.hidden.has(i)) return;
      if (s.tableDef?.columns[i]?.invisible) return;
      const origin: ColumnOrigin = { schema: s.schema, table: s.alias, orgTable: s.orgTable, orgName: col.name };
      if (col.def) origin.def = col.def;
      if (s.tableDef) origin.tableDef = s.tableDef;
      items.push({ expr: { type: 'column', table: s.alias, name: col.name }, name: col.name, origin, slot: -1 });
    });
  }
  if (!any) {
    if (e.table !== undefined) throw sqlError('ER_BAD_TABLE_ERROR', e.table);
    throw sqlError('ER_NO_TABLES_USED');
  }
}

/** Compile item `idx` now (an alias referenced before the select list is compiled). */
function compileItem(b: BlockBuild, idx: number): void {
  const it = b.items[idx]!;
  if (it.compiled) return;
  const scope = b.scope;
  const saved = scope.clause;
  const savedMode = scope.aliasMode;
  const savedBare = scope.bareColumns;
  scope.clause = 'field list';
  scope.aliasMode = 'none';
  scope.bareColumns = null;
  try {
    it.compiled = compileExpr(it.expr, scope);
  } finally {
    scope.clause = saved;
    scope.aliasMode = savedMode;
    scope.bareColumns = savedBare;
  }
}

/** Aliases for GROUP BY / HAVING / ORDER BY. */
export function defineAliases(b: BlockBuild): void {
  const items = b.items;
  b.scope.aliases = items
    .map((it, i) => ({ it, i }))
    .filter((x) => x.it.alias !== undefined)
    .map(({ it, i }) => ({
      name: it.alias!,
      slot: it.slot,
      get type() {
        compileItem(b, i);
        return items[i]!.compiled!.type;
      },
      compile: () => compileItem(b, i),
      forward: () => b.compilingItem !== undefined && i >= b.compilingItem,
    }));
}

/** The select list, with the ONLY_FULL_GROUP_BY check and column origins. @req CORE-EXEC-033 */
export function compileSelectList(b: BlockBuild): void {
  const scope = b.scope;
  const check = b.checkFullGroup;
  for (let i = 0; i < b.items.length; i++) {
    const it = b.items[i]!;
    scope.clause = 'field list';
    scope.aliasMode = 'none';
    if (check) scope.bareColumns = [];
    b.compilingItem = i;
    // An item compiled early through an alias reference is compiled again for the check.
    if (!it.compiled) it.compiled = compileExpr(it.expr, scope);
    else if (check) compileExpr(it.expr, scope);
    b.compilingItem = undefined;
    if (check) {
      const bad = ungrouped(b, it.expr);
      if (bad) {
        if (!b.core.groupBy || b.core.groupBy.length === 0) throw sqlError('ER_MIX_OF_GROUP_FUNC_AND_FIELDS', i + 1, bad);
        throw sqlError('ER_WRONG_FIELD_WITH_GROUP', i + 1, 'SELECT list', bad);
      }
    }
    if (it.expr.type === 'column' && it.expr.name !== '*' && !it.origin) noteOrigin(it, scope);
  }
}

/**
 * After compiling `e` with `scope.bareColumns` collecting: the name of a column it reads that is
 * neither grouped nor determined by the grouping, or null. Resets the collection.
 */
export function ungrouped(b: BlockBuild, e: Expr): string | null {
  const scope = b.scope;
  const bad = scope.bareColumns!.find((x) => !b.groupSlots.has(x.slot) && !b.groupedSources.has(x.source.index) && !isGroupExpr(e, b.groupAsts) && !isGroupExpr(e, b.core.groupBy));
  scope.bareColumns = null;
  if (!bad) return null;
  return `${bad.source.schema ? bad.source.schema + '.' : ''}${bad.source.alias}.${bad.column.name}`;
}

/** Result metadata of a plain column item: the table and column it comes from. */
function noteOrigin(it: Item, scope: Scope): void {
  if (it.expr.type !== 'column') return;
  const r = scope.lookup(it.expr);
  if (!r || r === 'ambiguous' || !('source' in r) || !r.source || !r.column) return;
  const s = r.source;
  const origin: ColumnOrigin = { schema: s.schema, table: s.alias, orgTable: s.orgTable, orgName: r.column.name };
  if (r.column.def) origin.def = r.column.def;
  if (s.tableDef) origin.tableDef = s.tableDef;
  it.origin = origin;
}
