/**
 * Dispatch of SHOW statements (and DESCRIBE).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/show.html
 * @req CORE-SHOW-001
 */
import type { Statement } from '../../sql/ast.js';
import { sqlError } from '../../sql/errors.js';
import type { ExecSession } from '../exec-session.js';
import type { StatementResult } from '../session-api.js';
import type { DdlServices } from '../ddl/services.js';

/** Whether {@link executeShow} handles this statement. */
export function isShowStatement(stmt: Statement): boolean {
  return stmt.kind === 'show' || stmt.kind === 'describe';
}

export async function executeShow(services: DdlServices, session: ExecSession, stmt: Statement): Promise<StatementResult> {
  void services;
  void session;
  throw sqlError('ER_NOT_SUPPORTED_YET', stmt.kind);
}
