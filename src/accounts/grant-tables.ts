/**
 * Read-only views of the MySQL 8.0 grant tables (mysql.user, mysql.db, mysql.tables_priv,
 * mysql.columns_priv, mysql.procs_priv, mysql.global_grants, mysql.role_edges,
 * mysql.default_roles, mysql.proxies_priv) computed from the in-memory ACL. The definitions and
 * the rows come from grant-table-rows.ts, the same mapping the stored grant tables will use, so
 * tools that read them (mysqldump, admin GUIs) see what MySQL would hold.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/grant-tables.html
 * @req CORE-ACCT-080 CORE-GTBL-003
 */
import type { VirtualTable } from '../catalog/virtual-table.js';
import type { Acl } from './acl.js';
import type { TableDef } from '../kernel/table-def.js';
import type { Row, Value } from '../kernel/value.js';
import { GRANT_TABLE_DEFS, grantTableRowsOf } from './grant-table-rows.js';

export { GRANT_TABLE_DEFS, aclStateFromGrantRows, grantTableRows } from './grant-table-rows.js';

/**
 * The grant tables as virtual tables over `acl` (rows reflect the ACL at read time).
 * @req CORE-ACCT-080
 */
export function grantTableViews(acl: Acl): VirtualTable[] {
  return GRANT_TABLE_DEFS.map((def) => ({ def, rows: () => inKeyOrder(def, grantTableRowsOf(acl.state, def.name)) }));
}

/** Compare two key values: text by code unit (the key columns hold lower-case hosts and binary names), numbers by value. */
function compareKeyValue(a: Value, b: Value): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return -1;
  if (b === null || b === undefined) return 1;
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : 1;
  const x = String(a), y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * The rows in primary-key order, as a stored (InnoDB) grant table returns them from a scan.
 * @req CORE-GTBL-003
 */
function inKeyOrder(def: TableDef, rows: Row[]): Row[] {
  const pk = def.indexes.find((i) => i.kind === 'PRIMARY');
  if (!pk) return rows;
  return rows.slice().sort((r, q) => {
    for (const p of pk.parts) {
      const c = compareKeyValue(r[p.column] ?? null, q[p.column] ?? null);
      if (c !== 0) return c;
    }
    return 0;
  });
}
