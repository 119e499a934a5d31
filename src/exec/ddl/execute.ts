/**
 * Dispatch of DDL statements.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/sql-data-definition-statements.html
 * @req CORE-DDL-001
 */
import type { Statement } from '../../sql/ast.js';
import { sqlError } from '../../sql/errors.js';
import type { ExecSession } from '../exec-session.js';
import type { StatementResult } from '../session-api.js';
import type { DdlServices } from './services.js';

const DDL_KINDS = new Set([
  'create_table', 'alter_table', 'drop_table', 'rename_table', 'truncate', 'create_index', 'drop_index',
  'create_database', 'alter_database', 'drop_database', 'install_plugin', 'uninstall_plugin', 'table_maintenance',
]);

/** Whether {@link executeDdl} handles this statement kind. */
export function isDdlStatement(stmt: Statement): boolean {
  return DDL_KINDS.has(stmt.kind);
}

export async function executeDdl(services: DdlServices, session: ExecSession, stmt: Statement): Promise<StatementResult> {
  void services;
  void session;
  throw sqlError('ER_NOT_SUPPORTED_YET', stmt.kind);
}
