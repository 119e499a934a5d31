/**
 * Glue for ExecDeps.delegates: binds the DDL and SHOW executors to their services.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/sql-data-definition-statements.html
 * @req CORE-DDL-001
 */
import type { Statement } from '../../sql/ast.js';
import type { DelegatesApi } from '../deps.js';
import type { ExecSession } from '../exec-session.js';
import type { StatementResult } from '../../kernel/protocol-port.js';
import { registerSystemTables } from '../infoschema/register.js';
import { runSelectForDdl } from '../query/select.js';
import { executeShow } from '../show/execute.js';
import { executeDdl } from './execute.js';
import { metadataLocksTable } from '../locks/metadata-locks-table.js';
import { serverLocksFor } from '../locks/server-locks.js';
import type { DdlServices } from './services.js';

/** Catalogs whose computed tables are registered already. */
const registered = new WeakSet<object>();

/**
 * Bind the executors to their services. Also registers the information_schema /
 * performance_schema / mysql.plugin computed tables into the catalog (once per catalog), since
 * they need the same services.
 */
export function createDdlDelegates(services: DdlServices): Required<Pick<DelegatesApi, 'executeDdl' | 'executeShow'>> {
  // CREATE TABLE ... SELECT runs its query through the executor's SELECT path.
  if (!services.runSelect) services = { ...services, runSelect: runSelectForDdl };
  if (!registered.has(services.catalog)) {
    registered.add(services.catalog);
    registerSystemTables(services);
    // performance_schema.metadata_locks reads this server's lock manager. @req CORE-MDL-011
    services.catalog.registerVirtualTable('performance_schema', metadataLocksTable(serverLocksFor(services.catalog).mdl));
  }
  return {
    executeDdl: (session: ExecSession, stmt: Statement): Promise<StatementResult> => executeDdl(services, session, stmt),
    executeShow: (session: ExecSession, stmt: Statement): Promise<StatementResult> => executeShow(services, session, stmt),
  };
}
