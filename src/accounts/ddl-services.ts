/**
 * The accounts part of the DDL/SHOW services (`DdlServices` in src/exec/ddl/services.ts):
 * SHOW GRANTS, SHOW CREATE USER, the information_schema privilege rows and the mysql.* grant
 * table views, bundled so the server composition can plug them in with one spread.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/show-grants.html
 * @req CORE-ACCT-060 CORE-ACCT-061 CORE-ACCT-080 CORE-ACCT-081
 */
import type { VirtualTable } from '../catalog/virtual-table.js';
import type { SessionPort } from '../kernel/session-port.js';
import type { StatementResult } from '../kernel/protocol-port.js';
import type { ShowStatement } from '../sql/ast.js';
import type { Acl } from './acl.js';
import type { SecurityContext } from './privileges.js';
import { grantTableViews } from './grant-tables.js';
import { privilegeRowObjects, type PrivilegeRow } from './infoschema-privileges.js';
import { parseMandatoryRoles } from './exec-adapter.js';
import { showCreateUser, showGrants } from './statements.js';

function sysvarString(session: SessionPort, name: string): string | undefined {
  try {
    const v = session.sysvar(name);
    return v === null || v === undefined ? undefined : String(v);
  } catch {
    return undefined;
  }
}

export interface AccountsDdlServices {
  showGrants(session: SessionPort, stmt: ShowStatement): Promise<StatementResult>;
  /** SHOW CREATE USER; undefined for any other SHOW (so other providers can chain). */
  showOther(session: SessionPort, stmt: ShowStatement): Promise<StatementResult | undefined>;
  privilegeRows(kind: 'USER' | 'SCHEMA' | 'TABLE' | 'COLUMN'): PrivilegeRow[];
  /** mysql.user, mysql.db, ... to register with the catalog under schema 'mysql'. */
  grantTables: VirtualTable[];
}

/**
 * Build the services. `contextFor` maps an executor session to its security context (use
 * `createAccountsApi(acl).securityContext`).
 * @req CORE-ACCT-060
 */
export function accountsDdlServices(acl: Acl, contextFor: (session: SessionPort) => SecurityContext): AccountsDdlServices {
  return {
    async showGrants(session, stmt) {
      const mandatory = parseMandatoryRoles(sysvarString(session, 'mandatory_roles'));
      return showGrants(acl, contextFor(session), stmt, mandatory);
    },
    async showOther(session, stmt) {
      if (stmt.what.toUpperCase() === 'CREATE USER' && stmt.account) return showCreateUser(acl, contextFor(session), stmt.account);
      return undefined;
    },
    privilegeRows(kind) {
      return privilegeRowObjects(acl, kind, null);
    },
    grantTables: grantTableViews(acl),
  };
}
