/**
 * INSTALL PLUGIN / UNINSTALL PLUGIN. Installing needs INSERT on mysql.plugin, uninstalling
 * DELETE on it (checked through the accounts service when present).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/install-plugin.html
 * @req PLUGGABLE-010 PLUGGABLE-011 PLUGGABLE-012 PLUGGABLE-013 PLUGGABLE-014 PLUGGABLE-016 ENGINE-LIST-002
 */
import type { InstallPluginStatement, UninstallPluginStatement } from '../../sql/ast.js';
import type { ExecSession } from '../exec-session.js';
import type { StatementResult } from '../../kernel/protocol-port.js';
import { ok } from './common.js';
import type { DdlServices } from './services.js';

export async function installPlugin(services: DdlServices, session: ExecSession, stmt: InstallPluginStatement): Promise<StatementResult> {
  services.checkTable?.(session, 'INSERT', 'mysql', 'plugin');
  await services.catalog.installPlugin(stmt.name, stmt.soname);
  return ok();
}

/** Tables of the engine stay defined but unusable until it is installed again (PLUGGABLE-015/016). */
export async function uninstallPlugin(services: DdlServices, session: ExecSession, stmt: UninstallPluginStatement): Promise<StatementResult> {
  services.checkTable?.(session, 'DELETE', 'mysql', 'plugin');
  await services.catalog.uninstallPlugin(stmt.name);
  return ok();
}
