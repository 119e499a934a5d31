/**
 * Account-management statements: the entry point that routes CREATE/ALTER/DROP/RENAME USER,
 * CREATE/DROP ROLE, GRANT, REVOKE, SET PASSWORD, SET ROLE, SET DEFAULT ROLE and FLUSH
 * PRIVILEGES to their implementations (user-, grant- and role-statements.ts), plus SHOW GRANTS
 * and SHOW CREATE USER.
 *
 * Each statement is atomic: all named accounts are validated first and the whole change is
 * written in one ACL update, or the statement fails and nothing changes.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/account-management-statements.html
 * @req CORE-ACCT-041 CORE-ACCT-052 CORE-ACCT-060 CORE-ACCT-061 CORE-ACCT-062
 */
import type {
  AccountName,
  AlterUserStatement,
  CreateRoleStatement,
  CreateUserStatement,
  DropRoleStatement,
  DropUserStatement,
  FlushStatement,
  GrantRoleStatement,
  GrantStatement,
  RenameUserStatement,
  RevokeRoleStatement,
  RevokeStatement,
  SetDefaultRoleStatement,
  SetPasswordStatement,
  SetRoleStatement,
  ShowStatement,
  Statement,
} from '../sql/ast.js';
import { sqlError, type Diagnostic } from '../kernel/errors.js';
import type { AccountKey, Acl } from './acl.js';
import { backtickAccount, sameAccount } from './acl.js';
import { grantPrivileges, revokePrivileges } from './grant-statements.js';
import { grantedRoles, hasTable, requireGlobal, hasDb, type SecurityContext } from './privileges.js';
import { grantRoles, revokeRoles, setDefaultRole, setRole } from './role-statements.js';
import { createUserResult, grantsResult, type AccountRowsResult } from './show-grants.js';
import { cannotUser, isSelf, resolveName, type AccountStatementEnv, type AccountStatementOutcome } from './statement-env.js';
import { alterUser, createRole, createUser, dropAccounts, renameUser, setPassword } from './user-statements.js';

export type { AccountStatementEnv, AccountStatementOutcome } from './statement-env.js';

export type AccountStatement =
  | CreateUserStatement
  | AlterUserStatement
  | DropUserStatement
  | RenameUserStatement
  | CreateRoleStatement
  | DropRoleStatement
  | GrantStatement
  | GrantRoleStatement
  | RevokeStatement
  | RevokeRoleStatement
  | SetPasswordStatement
  | SetRoleStatement
  | SetDefaultRoleStatement
  | FlushStatement;

const ACCOUNT_KINDS: ReadonlySet<string> = new Set([
  'create_user', 'alter_user', 'drop_user', 'rename_user', 'create_role', 'drop_role', 'grant', 'grant_role',
  'revoke', 'revoke_role', 'set_password', 'set_role', 'set_default_role',
]);

/** Whether {@link executeAccountStatement} handles this statement (FLUSH only when it is exactly PRIVILEGES). */
export function isAccountStatement(stmt: Statement): stmt is Statement & AccountStatement {
  if (stmt.kind === 'flush') return stmt.what.length === 1 && stmt.what[0]!.toUpperCase() === 'PRIVILEGES';
  return ACCOUNT_KINDS.has(stmt.kind);
}

/**
 * Execute one account-management statement for the session `ctx`.
 * @req CORE-ACCT-041
 */
export async function executeAccountStatement(
  acl: Acl,
  ctx: SecurityContext,
  stmt: AccountStatement,
  env: AccountStatementEnv = {},
): Promise<AccountStatementOutcome> {
  const warnings: Diagnostic[] = [];
  switch (stmt.kind) {
    case 'create_user':
      return createUser(acl, ctx, stmt, env, warnings);
    case 'alter_user':
      await alterUser(acl, ctx, stmt, env, warnings);
      break;
    case 'drop_user':
      await dropAccounts(acl, ctx, stmt.users, stmt.ifExists, 'DROP USER', ['CREATE USER'], warnings);
      break;
    case 'drop_role':
      await dropAccounts(acl, ctx, stmt.roles, stmt.ifExists, 'DROP ROLE', ['DROP ROLE', 'CREATE USER'], warnings);
      break;
    case 'rename_user':
      await renameUser(acl, ctx, stmt);
      break;
    case 'create_role':
      await createRole(acl, ctx, stmt, env, warnings);
      break;
    case 'grant':
      await grantPrivileges(acl, ctx, stmt, env);
      break;
    case 'grant_role':
      await grantRoles(acl, ctx, stmt);
      break;
    case 'revoke':
      await revokePrivileges(acl, ctx, stmt, env, warnings);
      break;
    case 'revoke_role':
      await revokeRoles(acl, ctx, stmt);
      break;
    case 'set_password':
      await setPassword(acl, ctx, stmt);
      break;
    case 'set_role':
      setRole(acl, ctx, stmt, env);
      break;
    case 'set_default_role':
      await setDefaultRole(acl, ctx, stmt.users, stmt.mode, stmt.roles, env);
      break;
    case 'flush': {
      requireGlobal(ctx, 'RELOAD');
      const before = acl.state.users.map((u) => ({ user: u.user, host: u.host }));
      await acl.reload();
      // FLUSH PRIVILEGES also empties the caching_sha2_password fast-auth cache.
      for (const a of [...before, ...acl.state.users]) acl.emitCredentialsChanged({ user: a.user, host: a.host });
      break;
    }
  }
  return { warnings };
}

// ---------------------------------------------------------------------------------------------
// SHOW GRANTS / SHOW CREATE USER
// ---------------------------------------------------------------------------------------------

/**
 * SHOW GRANTS [FOR account [USING role, ...]]. Without FOR, the session's own account with its
 * active roles. Other user names need SELECT on mysql.user (1142 otherwise).
 * @req CORE-ACCT-060
 */
export function showGrants(
  acl: Acl,
  ctx: SecurityContext,
  stmt: Pick<ShowStatement, 'account' | 'using'>,
  /** mandatory_roles, shown in the role line of a plain SHOW GRANTS (no FOR clause). */
  mandatoryRoles: readonly AccountKey[] = [],
): AccountRowsResult {
  const account = stmt.account ? resolveName(ctx, stmt.account) : ctx.account;
  // MySQL compares only the user name here, and needs SELECT on mysql.user otherwise; the
  // error names the table without its schema even in late 8.0 releases.
  if (account.user !== ctx.privUser && !hasTable(ctx, 'SELECT', 'mysql', 'user')) {
    throw sqlError('ER_TABLEACCESS_DENIED_ERROR', 'SELECT', ctx.privUser, ctx.host, 'user');
  }
  const u = acl.getUser(account.user, account.host);
  if (!u) throw sqlError('ER_NONEXISTING_GRANT', account.user, account.host);
  let using: AccountKey[];
  if (stmt.using && stmt.using.length) {
    using = stmt.using.map((r) => resolveName(ctx, r));
    const granted = grantedRoles(acl, u);
    for (const r of using) {
      if (!granted.some((g) => sameAccount(g, r))) throw sqlError('ER_ROLE_NOT_GRANTED', r.user, r.host, u.user, u.host);
    }
  } else {
    using = stmt.account && !stmt.account.current ? [] : ctx.activeRoles;
  }
  // Roles reachable from the USING roles contribute too.
  const expanded: AccountKey[] = [];
  const queue = [...using];
  for (let guard = 0; queue.length && guard < 10_000; guard++) {
    const r = queue.shift()!;
    if (expanded.some((x) => sameAccount(x, r))) continue;
    expanded.push(r);
    queue.push(...grantedRoles(acl, r));
  }
  const mandatory = stmt.account ? [] : mandatoryRoles.filter((m) => acl.getUser(m.user, m.host));
  return grantsResult(acl, { user: u.user, host: u.host }, expanded, mandatory);
}

/** SHOW CREATE USER account. @req CORE-ACCT-061 */
export function showCreateUser(acl: Acl, ctx: SecurityContext, name: AccountName): AccountRowsResult {
  const key = resolveName(ctx, name);
  if (!isSelf(ctx, key) && !hasDb(ctx, 'SELECT', 'mysql')) {
    throw sqlError('ER_DBACCESS_DENIED_ERROR', ctx.privUser, ctx.privHost, 'mysql');
  }
  const u = acl.getUser(key.user, key.host);
  if (!u) throw cannotUser('SHOW CREATE USER', [key]);
  return createUserResult(acl, u);
}

/** `` `r`@`h` `` list used by CURRENT_ROLE() and messages. */
export function roleList(roles: readonly AccountKey[]): string {
  return roles.length ? roles.map(backtickAccount).sort().join(',') : 'NONE';
}
