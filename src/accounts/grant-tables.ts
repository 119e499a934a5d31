/**
 * Read-only views of the MySQL 8.0 grant tables (mysql.user, mysql.db, mysql.tables_priv,
 * mysql.columns_priv, mysql.procs_priv, mysql.global_grants, mysql.role_edges,
 * mysql.default_roles, mysql.proxies_priv) computed from the in-memory ACL. The definitions and
 * the rows come from grant-table-rows.ts, the same mapping the stored grant tables will use, so
 * tools that read them (mysqldump, admin GUIs) see what MySQL would hold.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/grant-tables.html
 * @req CORE-ACCT-080
 */
import type { VirtualTable } from '../catalog/virtual-table.js';
import type { Acl } from './acl.js';
import { GRANT_TABLE_DEFS, grantTableRowsOf } from './grant-table-rows.js';

export { GRANT_TABLE_DEFS, aclStateFromGrantRows, grantTableRows } from './grant-table-rows.js';

/**
 * The grant tables as virtual tables over `acl` (rows reflect the ACL at read time).
 * @req CORE-ACCT-080
 */
export function grantTableViews(acl: Acl): VirtualTable[] {
  return GRANT_TABLE_DEFS.map((def) => ({ def, rows: () => grantTableRowsOf(acl.state, def.name) }));
}
