/**
 * Roles: GRANT/REVOKE role, SET ROLE, SET DEFAULT ROLE (and ALTER USER ... DEFAULT ROLE).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/roles.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/set-role.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/set-default-role.html
 * @req CORE-ACCT-048 CORE-ACCT-050 CORE-ACCT-051
 */
import type { AccountName, GrantRoleStatement, RevokeRoleStatement, SetRoleStatement } from '../sql/ast.js';
import { sqlError } from '../kernel/errors.js';
import type { AccountKey, AclState, Acl } from './acl.js';
import { sameAccount } from './acl.js';
import { grantedRoles, hasGlobal, loginRoles, requireGlobal, type SecurityContext } from './privileges.js';
import { findIn, isSelf, resolveName, type AccountStatementEnv } from './statement-env.js';

// ---------------------------------------------------------------------------------------------
// Roles
// ---------------------------------------------------------------------------------------------

/** Granting or revoking a role needs ROLE_ADMIN, SUPER, or WITH ADMIN OPTION on that role. */
function checkRoleAdmin(ctx: SecurityContext, roles: AccountKey[]): void {
  if (ctx.skipGrants || hasGlobal(ctx, 'ROLE_ADMIN') || hasGlobal(ctx, 'SUPER')) return;
  const ids = ctx.effective().idSet;
  const ok = roles.every((r) =>
    ctx.acl.state.roleEdges.some(
      (e) => e.withAdminOption && e.fromUser === r.user && e.fromHost === r.host && ids.has(e.toUser + '\u0000' + e.toHost),
    ),
  );
  if (!ok) throw sqlError('ER_SPECIFIC_ACCESS_DENIED_ERROR', 'WITH ADMIN, ROLE_ADMIN, SUPER');
}

/** @req CORE-ACCT-048 */
export async function grantRoles(acl: Acl, ctx: SecurityContext, stmt: GrantRoleStatement): Promise<void> {
  const roles = stmt.roles.map((r) => resolveName(ctx, r));
  const users = stmt.users.map((u) => resolveName(ctx, u));
  checkRoleAdmin(ctx, roles);
  await acl.update((draft) => {
    for (const r of roles) if (!findIn(draft, r)) throw sqlError('ER_UNKNOWN_AUTHID', r.user, r.host);
    for (const u of users) {
      if (!findIn(draft, u)) throw sqlError('ER_UNKNOWN_AUTHID', u.user, u.host);
      if (u.user === '') throw sqlError('ER_CANNOT_GRANT_ROLES_TO_ANONYMOUS_USER');
    }
    for (const u of users) {
      for (const r of roles) {
        if (sameAccount(u, r)) continue;
        const e = draft.roleEdges.find((x) => x.fromUser === r.user && x.fromHost === r.host && x.toUser === u.user && x.toHost === u.host);
        if (e) e.withAdminOption ||= stmt.withAdminOption;
        else draft.roleEdges.push({ fromUser: r.user, fromHost: r.host, toUser: u.user, toHost: u.host, withAdminOption: stmt.withAdminOption });
      }
    }
  });
}

/** @req CORE-ACCT-048 */
export async function revokeRoles(acl: Acl, ctx: SecurityContext, stmt: RevokeRoleStatement): Promise<void> {
  const roles = stmt.roles.map((r) => resolveName(ctx, r));
  const users = stmt.users.map((u) => resolveName(ctx, u));
  checkRoleAdmin(ctx, roles);
  await acl.update((draft) => {
    for (const r of roles) if (!findIn(draft, r)) throw sqlError('ER_UNKNOWN_AUTHID', r.user, r.host);
    for (const u of users) if (!findIn(draft, u)) throw sqlError('ER_UNKNOWN_AUTHID', u.user, u.host);
    for (const u of users) {
      for (const r of roles) {
        const i = draft.roleEdges.findIndex((x) => x.fromUser === r.user && x.fromHost === r.host && x.toUser === u.user && x.toHost === u.host);
        if (i < 0) throw sqlError('ER_ROLE_NOT_GRANTED', r.user, r.host, u.user, u.host);
        draft.roleEdges.splice(i, 1);
      }
    }
  });
}

/** Roles an account may activate: granted ones plus mandatory roles. */
function activatable(acl: Acl, account: AccountKey, env: AccountStatementEnv): AccountKey[] {
  const list = [...grantedRoles(acl, account)];
  for (const m of env.mandatoryRoles ?? []) if (!list.some((x) => sameAccount(x, m)) && acl.getUser(m.user, m.host)) list.push(m);
  return list;
}

/** @req CORE-ACCT-050 */
export function setRole(acl: Acl, ctx: SecurityContext, stmt: SetRoleStatement, env: AccountStatementEnv): void {
  const available = activatable(acl, ctx.account, env);
  const named = stmt.roles.map((r) => resolveName(ctx, r));
  const checkGranted = (list: AccountKey[]): void => {
    for (const r of list) {
      if (!available.some((a) => sameAccount(a, r))) throw sqlError('ER_ROLE_NOT_GRANTED', r.user, r.host, ctx.privUser, ctx.privHost);
    }
  };
  switch (stmt.mode) {
    case 'NONE':
      ctx.activeRoles = [];
      break;
    case 'DEFAULT':
      ctx.activeRoles = loginRoles(acl, ctx.account, { ...env, activateAllRolesOnLogin: false });
      break;
    case 'ALL':
      ctx.activeRoles = available;
      break;
    case 'ALL EXCEPT':
      checkGranted(named);
      ctx.activeRoles = available.filter((a) => !named.some((n) => sameAccount(a, n)));
      break;
    case 'LIST':
      checkGranted(named);
      ctx.activeRoles = named;
      break;
  }
}

export function applyDefaultRoles(
  draft: AclState,
  u: AccountKey,
  mode: 'NONE' | 'ALL' | 'LIST',
  roles: AccountKey[],
  env: AccountStatementEnv,
): void {
  const granted = draft.roleEdges
    .filter((e) => e.toUser === u.user && e.toHost === u.host.toLowerCase())
    .map((e) => ({ user: e.fromUser, host: e.fromHost }));
  for (const m of env.mandatoryRoles ?? []) if (!granted.some((g) => sameAccount(g, m))) granted.push(m);
  let list: AccountKey[];
  if (mode === 'NONE') list = [];
  else if (mode === 'ALL') list = granted;
  else {
    for (const r of roles) {
      if (!draft.users.some((x) => sameAccount(x, r))) throw sqlError('ER_UNKNOWN_AUTHID', r.user, r.host);
      if (!granted.some((g) => sameAccount(g, r))) throw sqlError('ER_ROLE_NOT_GRANTED', r.user, r.host, u.user, u.host);
    }
    list = roles;
  }
  draft.defaultRoles = draft.defaultRoles.filter((d) => !sameAccount(d, u));
  for (const r of list) draft.defaultRoles.push({ user: u.user, host: u.host, roleUser: r.user, roleHost: r.host });
}

/** @req CORE-ACCT-051 */
export async function setDefaultRole(
  acl: Acl,
  ctx: SecurityContext,
  users: AccountName[],
  mode: 'NONE' | 'ALL' | 'LIST',
  roles: AccountName[],
  env: AccountStatementEnv,
): Promise<void> {
  const keys = users.map((u) => resolveName(ctx, u));
  if (!keys.every((k) => isSelf(ctx, k))) requireGlobal(ctx, 'CREATE USER');
  const roleKeys = roles.map((r) => resolveName(ctx, r));
  await acl.update((draft) => {
    for (const k of keys) {
      if (!findIn(draft, k)) throw sqlError('ER_UNKNOWN_AUTHID', k.user, k.host);
      applyDefaultRoles(draft, k, mode, roleKeys, env);
    }
  });
}
