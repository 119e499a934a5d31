/**
 * Dispatch of DDL statements to their implementations, under their metadata locks.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/metadata-locking.html (10.11.4)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/sql-data-definition-statements.html
 * @req CORE-DDL-001 CORE-MDL-008
 */
import type { Statement } from '../../sql/ast.js';
import { sqlError } from '../../kernel/errors.js';
import type { ExecSession } from '../exec-session.js';
import type { StatementResult } from '../../kernel/protocol-port.js';
import { alterTable } from './alter-table.js';
import { createTable } from './create-table.js';
import { alterDatabase, createDatabase, dropDatabase } from './database.js';
import { dropTables, renameTables, truncateTable } from './drop-rename.js';
import { tableMaintenance } from './maintenance.js';
import { installPlugin, uninstallPlugin } from './plugin.js';
import { createView, dropViews } from './view.js';
import type { DdlServices } from './services.js';
import { schemaOf } from './common.js';
import { forgetDroppedTables, lockForDdl } from './ddl-locks.js';

const DDL_KINDS = new Set([
  'create_table', 'alter_table', 'drop_table', 'rename_table', 'truncate', 'create_index', 'drop_index',
  'create_database', 'alter_database', 'drop_database', 'install_plugin', 'uninstall_plugin', 'table_maintenance',
  'create_view', 'drop_view',
]);

/** Whether {@link executeDdl} handles this statement kind. */
export function isDdlStatement(stmt: Statement): boolean {
  return DDL_KINDS.has(stmt.kind);
}

/**
 * Run a DDL statement under its metadata locks: they are taken first (waiting for the sessions
 * that use the tables) and released when the statement ends. DDL statements on different
 * objects run side by side; on the same object they wait for each other.
 * @req CORE-MDL-008
 */
export async function executeDdl(services: DdlServices, session: ExecSession, stmt: Statement): Promise<StatementResult> {
  await lockForDdl(services, session, stmt);
  const r = await dispatchDdl(services, session, stmt);
  if (stmt.kind === 'drop_table' && !stmt.temporary) forgetDroppedTables(session, stmt.tables.map((t) => ({ schema: schemaOf(session, t), name: t.name })));
  return r;
}

async function dispatchDdl(services: DdlServices, session: ExecSession, stmt: Statement): Promise<StatementResult> {
  switch (stmt.kind) {
    case 'create_table':
      return createTable(services, session, stmt);
    case 'alter_table':
      return alterTable(services, session, stmt);
    case 'create_index':
      return alterTable(services, session, { kind: 'alter_table', table: stmt.table, actions: [{ action: 'add_index', index: stmt.index }] });
    case 'drop_index':
      return alterTable(services, session, {
        kind: 'alter_table',
        table: stmt.table,
        actions: [stmt.name.toUpperCase() === 'PRIMARY' ? { action: 'drop_primary_key' } : { action: 'drop_index', name: stmt.name }],
      });
    case 'drop_table':
      return dropTables(services, session, stmt);
    case 'rename_table':
      return renameTables(services, session, stmt);
    case 'truncate':
      return truncateTable(services, session, stmt);
    case 'create_database':
      return createDatabase(services, session, stmt);
    case 'alter_database':
      return alterDatabase(services, session, stmt);
    case 'drop_database':
      return dropDatabase(services, session, stmt);
    case 'install_plugin':
      return installPlugin(services, session, stmt);
    case 'uninstall_plugin':
      return uninstallPlugin(services, session, stmt);
    case 'table_maintenance':
      return tableMaintenance(services, session, stmt);
    case 'create_view':
      return createView(services, session, stmt);
    case 'drop_view':
      return dropViews(services, session, stmt);
    default:
      throw sqlError('ER_NOT_SUPPORTED_YET', stmt.kind);
  }
}
