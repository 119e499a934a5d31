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
import type { OkResult } from '../../kernel/protocol-port.js';
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
  await runBody(ctx, stmt.body);
  return { kind: 'ok', affectedRows: 0n, lastInsertId: 0n };
}
