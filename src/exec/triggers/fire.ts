/**
 * Firing triggers: the table writer calls here for each row with the timing and event. Each
 * trigger of the table for that timing and event runs, in action order, as a stored program
 * whose first frame slots hold the NEW / OLD columns the body names; after a BEFORE trigger the
 * NEW values (assigned with the column's type) go back into the row about to be written. A
 * trigger runs with its definer's privileges, its table's schema as default database and the
 * sql_mode it was created with, as part of the statement that fired it (no statement of its
 * own, no result sets).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/trigger-syntax.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/stored-objects-security.html
 * @req CORE-TRG-002 CORE-TRG-004 CORE-TRG-006 CORE-TRG-007
 */
import type { ColumnDef, TableDef, TriggerDef } from '../../kernel/table-def.js';
import type { Row, Value } from '../../kernel/value.js';
import type { Session } from '../session.js';
import { runBody, type ProgramContext } from '../routines/interpreter.js';
import { collectSlots } from '../routines/program.js';
import { parseDefiner } from '../routines/invoke.js';
import { loadTrigger, rowColumn } from './program.js';
import { whileFiring } from './in-use.js';
import { compileGenerated, finishRow } from '../dml/common.js';
import { makeRuntime } from '../query/runtime.js';

type Timing = TriggerDef['timing'];
type Event = TriggerDef['event'];

/** Run the table's triggers of `timing` and `event` for one row. @req CORE-TRG-004 */
export async function fireTriggers(session: Session, table: TableDef, timing: Timing, event: Event, newRow: Row | null, oldRow: Row | null): Promise<void> {
  const list = table.triggers;
  if (list === undefined) return;
  for (const t of list) {
    if (t.timing !== timing || t.event !== event) continue;
    await runTrigger(session, table, t, newRow, oldRow);
  }
}

async function runTrigger(session: Session, table: TableDef, t: TriggerDef, newRow: Row | null, oldRow: Row | null): Promise<void> {
  const stmt = loadTrigger(table, t);
  const types: (ColumnDef | undefined)[] = [];
  const names: string[] = [];
  collectSlots(stmt.body, types as ColumnDef[], names, t.databaseCollation);
  const values = new Array<Value>(stmt.slots).fill(null);
  const positions: { slot: number; col: number }[] = [];
  for (const ref of stmt.rowRefs) {
    const col = rowColumn(table, ref.row, ref.column);
    const row = ref.row === 'NEW' ? newRow : oldRow;
    values[ref.slot] = row?.[col] ?? null;
    names[ref.slot] = `${ref.row}.${ref.column}`;
    // NEW columns keep their column's type, so SET NEW.col converts as a stored value would.
    if (ref.row === 'NEW') {
      types[ref.slot] = table.columns[col];
      positions.push({ slot: ref.slot, col });
    }
  }
  const ctx: ProgramContext = {
    session,
    kind: 'TRIGGER',
    name: `${table.schema}.${t.name}`,
    values,
    slotTypes: types,
    slotNames: names,
    cursors: new Array(stmt.cursors).fill(undefined),
    sink: null,
    subStatements: false,
    handling: [],
  };
  // The definer's privileges, the table's schema as default database. @req CORE-TRG-007
  const savedAccount = session.account;
  const savedRoles = session.activeRoles;
  const savedSchema = session.schema;
  const d = parseDefiner(t.definer);
  session.account = { ...savedAccount, user: d.user, host: d.host };
  session.activeRoles = [];
  session.schema = table.schema;
  // The body runs under the sql_mode the trigger was created with. @req CORE-TRG-002
  const savedMode = session.sysvar('sql_mode');
  session.sessionVars.setInternal('sql_mode', t.sqlMode);
  // The body's statements each start with an empty diagnostics area; the firing statement's
  // warnings stay, and what the body leaves is added to them.
  const diag = session.diagnostics;
  const savedWarnings = diag.list.slice();
  const savedTotal = diag.total;
  try {
    await whileFiring(session, table.schema, table.name, () => runBody(ctx, stmt.body));
  } finally {
    session.account = savedAccount;
    session.activeRoles = savedRoles;
    session.schema = savedSchema;
    session.sessionVars.setInternal('sql_mode', savedMode);
    const left = diag.list.slice();
    diag.clear();
    for (const d of savedWarnings) diag.list.push(d);
    diag.total = savedTotal;
    for (const d of left) if (d.level !== 'Error') diag.push(d);
  }
  if (t.timing === 'BEFORE' && newRow !== null && positions.length > 0) {
    for (const p of positions) newRow[p.col] = ctx.values[p.slot] ?? null;
    // Generated columns follow the values the trigger gave their base columns.
    if (table.columns.some((col) => col.generated)) finishRow(table, newRow, compileGenerated(table), makeRuntime(session, []), 1);
  }
}
