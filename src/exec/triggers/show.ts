/**
 * How triggers are shown: SHOW TRIGGERS, SHOW CREATE TRIGGER and information_schema.TRIGGERS,
 * from the definitions of the tables. Definers print as user@host; CREATED carries
 * centiseconds, as MySQL keeps it.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/show-triggers.html (15.7.7.40)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/show-create-trigger.html (15.7.7.11)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/information-schema-triggers-table.html (28.3.45)
 * @req CORE-TRG-005
 */
import type { TableDef, TriggerDef } from '../../kernel/table-def.js';
import type { Row, Value } from '../../kernel/value.js';
import { dateToTemporal } from '../../sql/types/temporal.js';
import { parseDefiner } from '../routines/invoke.js';
import { triggerCreateText } from './program.js';
import { CREATED_FSP } from './limits.js';

/** `root@localhost`. */
function definerText(t: TriggerDef): string {
  const d = parseDefiner(t.definer);
  return `${d.user}@${d.host}`;
}

function created(t: TriggerDef, tz: string): Value {
  return dateToTemporal(new Date(t.created), tz, 'DATETIME', CREATED_FSP);
}

/** Columns of SHOW TRIGGERS, in order. */
export const SHOW_TRIGGERS_COLUMNS: readonly string[] = [
  'Trigger', 'Event', 'Table', 'Statement', 'Timing', 'Created', 'sql_mode', 'Definer', 'character_set_client', 'collation_connection', 'Database Collation',
];

/** SHOW TRIGGERS rows of some tables, each table's triggers in action order. @req CORE-TRG-005 */
export function showTriggersRows(tables: readonly TableDef[], tz: string): Row[] {
  const out: Row[] = [];
  for (const table of tables) {
    for (const t of table.triggers ?? []) {
      out.push([t.name, t.event, table.name, t.body, t.timing, created(t, tz), t.sqlMode, definerText(t), t.characterSetClient, t.collationConnection, t.databaseCollation]);
    }
  }
  return out;
}

/** Columns of SHOW CREATE TRIGGER, in order. */
export const SHOW_CREATE_TRIGGER_COLUMNS: readonly string[] = [
  'Trigger', 'sql_mode', 'SQL Original Statement', 'character_set_client', 'collation_connection', 'Database Collation', 'Created',
];

/** The SHOW CREATE TRIGGER row. @req CORE-TRG-005 */
export function showCreateTriggerRow(table: TableDef, t: TriggerDef, tz: string): Row {
  return [t.name, t.sqlMode, triggerCreateText(table, t), t.characterSetClient, t.collationConnection, t.databaseCollation, created(t, tz)];
}

/** information_schema.TRIGGERS rows of some tables (ACTION_ORDER counts within timing and event). @req CORE-TRG-005 */
export function informationSchemaTriggersRows(tables: readonly TableDef[], tz: string): Row[] {
  const out: Row[] = [];
  for (const table of tables) {
    const seen = new Map<string, number>();
    for (const t of table.triggers ?? []) {
      const k = `${t.timing} ${t.event}`;
      const order = (seen.get(k) ?? 0) + 1;
      seen.set(k, order);
      out.push([
        'def', table.schema, t.name, t.event, 'def', table.schema, table.name, BigInt(order), null, t.body, 'ROW', t.timing, null, null, 'OLD', 'NEW',
        created(t, tz), t.sqlMode, definerText(t), t.characterSetClient, t.collationConnection, t.databaseCollation,
      ]);
    }
  }
  return out;
}
