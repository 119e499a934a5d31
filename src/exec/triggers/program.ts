/**
 * A trigger ready to run: its dictionary entry parsed again from the stored text (under the
 * sql_mode it was created with), cached per entry, and the CREATE text SHOW CREATE TRIGGER and
 * the parser share.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/create-trigger.html
 * @req CORE-TRG-002 CORE-TRG-005
 */
import type { TableDef, TriggerDef } from '../../kernel/table-def.js';
import { sqlError } from '../../kernel/errors.js';
import { parseOne } from '../../sql/parser/index.js';
import type { CreateTriggerStatement } from '../../sql/routine-ast.js';
import { quoteIdentifier as quoteName } from '../../sql/print/expr-print.js';

/** The CREATE TRIGGER text of a stored trigger (SHOW CREATE TRIGGER's SQL Original Statement). @req CORE-TRG-005 */
export function triggerCreateText(table: TableDef, t: TriggerDef): string {
  return `CREATE DEFINER=${t.definer} TRIGGER ${quoteName(t.name)} ${t.timing} ${t.event} ON ${quoteName(table.name)} FOR EACH ROW ${t.body}`;
}

const cache = new WeakMap<TriggerDef, CreateTriggerStatement>();

/** Parse (or reuse the parse of) a stored trigger. */
export function loadTrigger(table: TableDef, t: TriggerDef): CreateTriggerStatement {
  const hit = cache.get(t);
  if (hit) return hit;
  const sqlMode = new Set(t.sqlMode.split(',').filter((m) => m.length > 0));
  const stmt = parseOne(triggerCreateText(table, t), { sqlMode });
  if (stmt.kind !== 'create_trigger') throw sqlError('ER_TRG_DOES_NOT_EXIST');
  cache.set(t, stmt);
  return stmt;
}

/** The column a NEW / OLD reference names: its position, or 1054 (`Unknown column 'x' in 'NEW'`). */
export function rowColumn(table: TableDef, row: string, column: string): number {
  const lc = column.toLowerCase();
  const i = table.columns.findIndex((c) => c.name.toLowerCase() === lc);
  if (i < 0) throw sqlError('ER_BAD_FIELD_ERROR', column, row);
  return i;
}
