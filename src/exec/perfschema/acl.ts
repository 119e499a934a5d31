/**
 * Who may read which performance_schema table. Most need the SELECT privilege on the table (a
 * grant on performance_schema.* or a global one); the tables MySQL opens to every account are
 * the status and variable tables of the reader's own session and server, persisted_variables
 * and processlist (whose rows are filtered instead).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/performance-schema-table-characteristics.html
 * @req CORE-PFS-005
 */

/** Tables every account may read. @req CORE-PFS-005 */
const WORLD_READABLE: ReadonlySet<string> = new Set([
  'global_status', 'session_status', 'global_variables', 'session_variables', 'persisted_variables', 'variables_info', 'processlist',
  'session_account_connect_attrs',
]);

/** Whether reading this performance_schema table needs the SELECT privilege on it. */
export function perfSchemaTableNeedsGrant(table: string): boolean {
  return !WORLD_READABLE.has(table.toLowerCase());
}
