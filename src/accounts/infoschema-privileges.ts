/**
 * Row sources for the information_schema privilege tables (USER_PRIVILEGES,
 * SCHEMA_PRIVILEGES, TABLE_PRIVILEGES, COLUMN_PRIVILEGES, APPLICABLE_ROLES-like role data),
 * computed from the ACL. The catalog owns the table definitions; these functions give the
 * rows in column order.
 *
 * A session sees its own account's rows; with SELECT on the mysql schema it sees everyone's,
 * as in MySQL.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/information-schema-user-privileges-table.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/information-schema-schema-privileges-table.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/information-schema-table-privileges-table.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/information-schema-column-privileges-table.html
 * @req CORE-ACCT-081
 */
import type { Row } from '../kernel/value.js';
import type { Acl, AccountKey } from './acl.js';
import { quoteAccount, sameAccount } from './acl.js';
import { GRANT_OPTION, sortStatic } from './privilege-names.js';
import { hasDb, type SecurityContext } from './privileges.js';

/** Whose rows a session may see: null = everyone (SELECT on mysql), else its own account. */
export function privilegeViewer(ctx: SecurityContext): AccountKey | null {
  if (ctx.skipGrants || hasDb(ctx, 'SELECT', 'mysql')) return null;
  return ctx.account;
}

function visible(viewer: AccountKey | null, row: AccountKey): boolean {
  return viewer === null || sameAccount(viewer, row);
}

function grantable(privs: readonly string[]): string {
  return privs.includes(GRANT_OPTION) ? 'YES' : 'NO';
}

/** USER_PRIVILEGES: GRANTEE, TABLE_CATALOG, PRIVILEGE_TYPE, IS_GRANTABLE. @req CORE-ACCT-081 */
export function userPrivilegeRows(acl: Acl, viewer: AccountKey | null): Row[] {
  const out: Row[] = [];
  for (const u of acl.state.users) {
    if (!visible(viewer, u)) continue;
    const g = grantable(u.globalPrivs);
    const statics = sortStatic(u.globalPrivs.filter((p) => p !== GRANT_OPTION));
    const dyn = acl.state.dynamic.filter((d) => sameAccount(d, u));
    if (statics.length === 0 && dyn.length === 0) out.push([quoteAccount(u), 'def', 'USAGE', g]);
    for (const p of statics) out.push([quoteAccount(u), 'def', p, g]);
    for (const d of dyn) out.push([quoteAccount(u), 'def', d.priv, d.withGrantOption ? 'YES' : 'NO']);
  }
  return out;
}

/** SCHEMA_PRIVILEGES: GRANTEE, TABLE_CATALOG, TABLE_SCHEMA, PRIVILEGE_TYPE, IS_GRANTABLE. @req CORE-ACCT-081 */
export function schemaPrivilegeRows(acl: Acl, viewer: AccountKey | null): Row[] {
  const out: Row[] = [];
  for (const g of acl.state.db) {
    if (!visible(viewer, g)) continue;
    for (const p of sortStatic(g.privs.filter((x) => x !== GRANT_OPTION))) out.push([quoteAccount(g), 'def', g.db, p, grantable(g.privs)]);
  }
  return out;
}

/** TABLE_PRIVILEGES: GRANTEE, TABLE_CATALOG, TABLE_SCHEMA, TABLE_NAME, PRIVILEGE_TYPE, IS_GRANTABLE. @req CORE-ACCT-081 */
export function tablePrivilegeRows(acl: Acl, viewer: AccountKey | null): Row[] {
  const out: Row[] = [];
  for (const g of acl.state.tables) {
    if (!visible(viewer, g)) continue;
    for (const p of sortStatic(g.privs.filter((x) => x !== GRANT_OPTION))) out.push([quoteAccount(g), 'def', g.db, g.table, p, grantable(g.privs)]);
  }
  return out;
}

/** COLUMN_PRIVILEGES: GRANTEE, TABLE_CATALOG, TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME, PRIVILEGE_TYPE, IS_GRANTABLE. @req CORE-ACCT-081 */
export function columnPrivilegeRows(acl: Acl, viewer: AccountKey | null): Row[] {
  const out: Row[] = [];
  for (const c of acl.state.columns) {
    if (!visible(viewer, c)) continue;
    const tableGrant = acl.state.tables.find((t) => sameAccount(t, c) && t.db === c.db && t.table === c.table);
    const g = tableGrant ? grantable(tableGrant.privs) : 'NO';
    for (const p of sortStatic(c.privs)) out.push([quoteAccount(c), 'def', c.db, c.table, c.column, p, g]);
  }
  return out;
}

/** The row shape of DdlServices.privilegeRows (src/exec/ddl/services.ts). */
/** A privilege row for information_schema.*_PRIVILEGES . */
export interface PrivilegeRow {
  grantee: string; // "'user'@'host'"
  tableCatalog: string; // 'def'
  tableSchema?: string;
  tableName?: string;
  columnName?: string;
  privilegeType: string;
  isGrantable: 'YES' | 'NO';
}

export interface PrivilegeRowObject {
  grantee: string;
  tableCatalog: string;
  tableSchema?: string;
  tableName?: string;
  columnName?: string;
  privilegeType: string;
  isGrantable: 'YES' | 'NO';
}

/**
 * The same rows as objects, for `DdlServices.privilegeRows(kind)`; `viewer` null = all accounts.
 * @req CORE-ACCT-081
 */
export function privilegeRowObjects(acl: Acl, kind: 'USER' | 'SCHEMA' | 'TABLE' | 'COLUMN', viewer: AccountKey | null = null): PrivilegeRowObject[] {
  const yes = (v: unknown): 'YES' | 'NO' => (v === 'YES' ? 'YES' : 'NO');
  switch (kind) {
    case 'USER':
      return userPrivilegeRows(acl, viewer).map((r) => ({ grantee: String(r[0]), tableCatalog: 'def', privilegeType: String(r[2]), isGrantable: yes(r[3]) }));
    case 'SCHEMA':
      return schemaPrivilegeRows(acl, viewer).map((r) => ({ grantee: String(r[0]), tableCatalog: 'def', tableSchema: String(r[2]), privilegeType: String(r[3]), isGrantable: yes(r[4]) }));
    case 'TABLE':
      return tablePrivilegeRows(acl, viewer).map((r) => ({
        grantee: String(r[0]), tableCatalog: 'def', tableSchema: String(r[2]), tableName: String(r[3]), privilegeType: String(r[4]), isGrantable: yes(r[5]),
      }));
    case 'COLUMN':
      return columnPrivilegeRows(acl, viewer).map((r) => ({
        grantee: String(r[0]), tableCatalog: 'def', tableSchema: String(r[2]), tableName: String(r[3]), columnName: String(r[4]), privilegeType: String(r[5]), isGrantable: yes(r[6]),
      }));
  }
}
