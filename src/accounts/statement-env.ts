/**
 * What account statements share: the environment the executor passes in, the outcome type,
 * and small helpers for naming accounts and reporting failures (1396, name lengths).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/account-management-statements.html
 * @req CORE-ACCT-010 CORE-ACCT-041
 */
import type { AccountName } from '../sql/ast.js';
import { sqlError, type Diagnostic, type SqlError } from '../kernel/errors.js';
import type { AccountKey, AclState, UserRecord } from './acl.js';
import { accountKey, quoteAccount, sameAccount } from './acl.js';
import { MAX_HOST_NAME_LENGTH, MAX_USER_NAME_LENGTH } from './limits.js';
import type { SecurityContext, SecurityContextOptions } from './privileges.js';
import type { AccountRowsResult } from './show-grants.js';

export interface AccountStatementEnv extends SecurityContextOptions {
  /** The session's default schema (for `GRANT ... ON tbl` / `ON *`). */
  currentSchema?: string | null;
  /** @@default_authentication_plugin (default caching_sha2_password). */
  defaultAuthPlugin?: string;
  /** Table existence, for GRANT on a table (1146 when missing). Omitted = not checked. */
  tableExists?(db: string, table: string): boolean;
  /** Column existence, for column grants (1054 when missing). Omitted = not checked. */
  columnExists?(db: string, table: string, column: string): boolean;
  /** Whether the client authenticated with a password (for the 1045 text). */
  usedPassword?: boolean;
}

export interface AccountStatementOutcome {
  warnings: Diagnostic[];
  /** CREATE USER ... IDENTIFIED BY RANDOM PASSWORD returns the generated passwords. */
  result?: AccountRowsResult;
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/** Resolve CURRENT_USER and normalise the host. */
export function resolveName(ctx: SecurityContext, a: AccountName): AccountKey {
  if (a.current) return accountKey(ctx.privUser, ctx.privHost);
  return accountKey(a.user, a.host);
}

export function findIn(state: AclState, a: AccountKey): UserRecord | undefined {
  return state.users.find((u) => sameAccount(u, a));
}

export function isSelf(ctx: SecurityContext, a: AccountKey): boolean {
  return sameAccount(a, ctx.account);
}

/** 1396 naming every failed account, comma-separated. */
export function cannotUser(op: string, failed: AccountKey[]): SqlError {
  return sqlError('ER_CANNOT_USER', op, failed.map(quoteAccount).join(','));
}

export function checkNameLengths(a: AccountKey): void {
  if (a.user.length > MAX_USER_NAME_LENGTH || a.host.length > MAX_HOST_NAME_LENGTH) {
    throw sqlError('ER_WRONG_STRING_LENGTH', a.user.length > MAX_USER_NAME_LENGTH ? a.user : a.host,
      a.user.length > MAX_USER_NAME_LENGTH ? 'user name' : 'host name',
      a.user.length > MAX_USER_NAME_LENGTH ? MAX_USER_NAME_LENGTH : MAX_HOST_NAME_LENGTH);
  }
}
