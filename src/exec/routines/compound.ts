/**
 * SIGNAL, RESIGNAL and GET DIAGNOSTICS typed outside a stored program: they run on the
 * interpreter with an empty frame (RESIGNAL then fails with 1645, GET STACKED DIAGNOSTICS with
 * 1887, as no handler is active). GET DIAGNOSTICS reads the diagnostics area of the previous
 * statement, so it does not clear it.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/get-diagnostics.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/signal.html
 * @req CORE-SP-015 CORE-SP-016
 */
import type { CompoundStatement } from '../../sql/routine-ast.js';
import type { OkResult, RowsResult } from '../../kernel/protocol-port.js';
import type { ColumnDef } from '../../kernel/table-def.js';
import type { Value } from '../../kernel/value.js';
import { collectRows } from '../../kernel/row-stream.js';
import { collectSlots } from './program.js';
import type { Session } from '../session.js';
import { runBody, type ProgramContext } from './interpreter.js';

export async function executeCompound(session: Session, stmt: CompoundStatement): Promise<OkResult> {
  const ctx: ProgramContext = {
    session,
    kind: 'NONE',
    name: '',
    values: [],
    slotTypes: [],
    slotNames: [],
    cursors: [],
    sink: null,
    subStatements: false,
    handling: [],
  };
  if (stmt.event !== undefined) {
    // An event's body: its locals, its statements each ending on their own, and result sets
    // that nobody reads. @req CORE-EVT-012
    const types: ColumnDef[] = [];
    const names: string[] = [];
    const dbCollation = (session.schema !== null ? session.deps.catalog.getSchema?.(session.schema)?.collation : undefined) ?? 'utf8mb4_0900_ai_ci';
    collectSlots(stmt.body, types, names, dbCollation);
    Object.assign(ctx, {
      kind: 'EVENT',
      name: stmt.event,
      values: new Array<Value>(stmt.slots).fill(null),
      slotTypes: types,
      slotNames: names,
      cursors: new Array(stmt.cursors).fill(undefined),
      sink: async (r: RowsResult) => {
        await collectRows(r.rows);
      },
      subStatements: true,
    });
  }
  await runBody(ctx, stmt.body);
  return { kind: 'ok', affectedRows: 0n, lastInsertId: 0n };
}
