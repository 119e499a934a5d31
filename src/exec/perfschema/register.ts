/**
 * performance_schema's tables, registered into the server's catalog by the composition root:
 * the variable and status tables, threads and the process lists, the statement event tables,
 * the connection and connection attribute tables and the setup tables.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/performance-schema-table-descriptions.html
 * @req CORE-PFS-001
 */
import type { VirtualTable } from '../../catalog/virtual-table.js';
import type { ExecDeps } from '../deps.js';
import type { SessionRegistry } from '../server-context.js';
import { connectAttrTables } from './connect-attrs-tables.js';
import { connectionTables } from './connection-tables.js';
import type { PerfSchemaServices } from './services.js';
import { setupTables } from './setup-tables.js';
import { pfsStateFor } from './state.js';
import { statementTables } from './statement-tables.js';
import { threadTables } from './thread-tables.js';
import { variableTables } from './variables-tables.js';

export interface TableSink {
  registerVirtualTable(schema: string, vt: VirtualTable): void;
}

/** Register every performance_schema table (and information_schema.PROCESSLIST). @req CORE-PFS-001 */
export function registerPerfSchema(sink: TableSink, registry: SessionRegistry, deps: ExecDeps, services: PerfSchemaServices): void {
  const state = pfsStateFor(deps.catalog, deps.sysvars);
  const viewer = (id: number) => registry.get(id);
  const sessions = () => registry.list();
  const threads = threadTables(viewer);
  const tables = [
    ...variableTables(services, viewer, sessions),
    ...threads.pfs,
    ...statementTables(state, sessions),
    ...connectionTables(state),
    ...connectAttrTables(viewer, sessions),
    ...setupTables(state),
  ];
  for (const t of tables) sink.registerVirtualTable('performance_schema', t);
  for (const t of threads.informationSchema) sink.registerVirtualTable('information_schema', t);
}
