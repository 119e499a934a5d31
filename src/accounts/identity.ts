/**
 * The identity functions USER(), CURRENT_USER() and CURRENT_ROLE(): who the client said it
 * was, which account row it was matched to, and which roles are active.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/information-functions.html
 * @req CORE-ACCT-070
 */
import type { SecurityContext } from './privileges.js';
import { parseRoleKeyString, sessionHost } from './exec-adapter.js';
import { roleList } from './statements.js';

/** USER() / SESSION_USER() / SYSTEM_USER(): login name @ client host. @req CORE-ACCT-070 */
export function userFunction(ctx: SecurityContext): string {
  return `${ctx.user}@${ctx.host}`;
}

/** CURRENT_USER(): the matched account, user@host-pattern. @req CORE-ACCT-070 */
export function currentUserFunction(ctx: SecurityContext): string {
  return `${ctx.privUser}@${ctx.privHost}`;
}

/** CURRENT_ROLE(): active roles as `` `r`@`h` `` joined by ',' (sorted), or NONE. @req CORE-ACCT-070 */
export function currentRoleFunction(ctx: SecurityContext): string {
  return roleList(ctx.activeRoles);
}

/** USER() from an executor session's login name and remote address ('localhost' for loopback). @req CORE-ACCT-070 */
export function userText(loginUser: string, remoteAddress: string): string {
  return `${loginUser}@${sessionHost(remoteAddress)}`;
}

/** CURRENT_ROLE() from the executor's 'user@host' active-role strings. @req CORE-ACCT-070 */
export function currentRoleText(activeRoles: readonly string[]): string {
  return roleList(activeRoles.map(parseRoleKeyString));
}
