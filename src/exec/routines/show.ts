/**
 * SHOW CREATE PROCEDURE / FUNCTION and the rows of SHOW PROCEDURE / FUNCTION STATUS. The CREATE
 * text is rebuilt from the dictionary entry as MySQL rebuilds it: DEFINER, the name, the
 * parameter list and RETURNS as written, the characteristics that differ from the defaults one
 * per line, then the body as sent.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/show-create-procedure.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/show-procedure-status.html
 * @req CORE-SP-060 CORE-SP-061
 */
import type { StoredProgramDef } from '../../catalog/dictionary-store.js';
import type { ShowStatement } from '../../sql/ast.js';
import type { StatementResult } from '../../kernel/protocol-port.js';
import { Temporal, type Row } from '../../kernel/value.js';
import { sqlError } from '../../kernel/errors.js';
import { rowsResult, textCol } from '../show/result.js';
import type { Session } from '../session.js';
import { quoteIdentifier as quoteName } from '../../sql/print/expr-print.js';
import { quoteString } from '../show/type-text.js';

/** The CREATE statement SHOW CREATE prints. @req CORE-SP-060 */
export function showCreateText(def: StoredProgramDef): string {
  let s = `CREATE DEFINER=${def.definer} ${def.type} ${quoteName(def.name)}(${def.paramList})`;
  if (def.type === 'FUNCTION') s += ` RETURNS ${def.returns}`;
  s += '\n';
  if (def.dataAccess !== 'CONTAINS SQL') s += `    ${def.dataAccess}\n`;
  if (def.deterministic) s += '    DETERMINISTIC\n';
  if (def.security === 'INVOKER') s += '    SQL SECURITY INVOKER\n';
  if (def.comment !== '') s += `    COMMENT ${quoteString(def.comment)}\n`;
  return s + def.body;
}

/** Whether the session may see a routine's definition: its creator, or SELECT on mysql.proc's
 *  successor (global SELECT), or SHOW_ROUTINE, or ALTER ROUTINE / EXECUTE on it. */
function maySeeBody(session: Session, def: StoredProgramDef): boolean {
  const a = session.deps.accounts;
  if (a.hasGlobal(session, 'SHOW_ROUTINE') || a.hasGlobal(session, 'SELECT')) return true;
  const me = `${quoteName(session.account.user)}@${quoteName(session.account.host)}`;
  if (me === def.definer) return true;
  try {
    a.checkRoutine?.(session, 'ALTER ROUTINE', def.schema, def.name, def.type as 'PROCEDURE' | 'FUNCTION');
    return true;
  } catch {
    return false;
  }
}

/** SHOW CREATE PROCEDURE | FUNCTION name. @req CORE-SP-060 */
export function showCreateRoutine(session: Session, stmt: ShowStatement): StatementResult {
  const type = stmt.what === 'CREATE FUNCTION' ? 'FUNCTION' : 'PROCEDURE';
  const name = stmt.table?.name ?? '';
  const db = stmt.table?.schema ?? session.schema;
  if (db === null || db === undefined) throw sqlError('ER_NO_DB_ERROR');
  const def = session.deps.catalog.getProgram?.(db, type, name);
  if (!def) throw sqlError('ER_SP_DOES_NOT_EXIST', type, name);
  const label = type === 'FUNCTION' ? 'Function' : 'Procedure';
  return rowsResult(
    [textCol(label, 64), textCol('sql_mode', 1024), textCol(`Create ${label}`, 1024, true), textCol('character_set_client', 32), textCol('collation_connection', 64), textCol('Database Collation', 64)],
    [[def.name, def.sqlMode, maySeeBody(session, def) ? showCreateText(def) : null, def.characterSetClient, def.collationConnection, def.databaseCollation]],
  );
}

/** 'YYYY-MM-DD hh:mm:ss' as a DATETIME value. */
export function datetimeOf(text: string): Temporal | null {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(text);
  if (!m) return null;
  return new Temporal('DATETIME', Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), 0);
}

/** Rows of SHOW PROCEDURE | FUNCTION STATUS (filtered by the caller's LIKE / WHERE). @req CORE-SP-061 */
export function routineStatusRows(programs: readonly StoredProgramDef[], type: 'PROCEDURE' | 'FUNCTION'): Row[] {
  return programs
    .filter((p) => p.type === type)
    .map((p) => [
      p.schema, p.name, p.type, p.definer.replace(/`/g, ''), datetimeOf(p.modified), datetimeOf(p.created), p.security, p.comment,
      p.characterSetClient, p.collationConnection, p.databaseCollation,
    ]);
}
