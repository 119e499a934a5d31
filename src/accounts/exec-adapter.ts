/**
 * The accounts subsystem as the executor consumes it (the {@link AccountsApi} of
 * src/accounts/accounts-api.ts): login lookup, per-session privilege checks and account statements.
 * Each executor session gets a {@link SecurityContext} kept in a WeakMap and synchronised with
 * the session's identity and active-role list.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/privilege-system.html
 * @req CORE-PRIV-010 CORE-PRIV-020
 */
import type { AccountsApi } from './accounts-api.js';
import type { SessionPort } from '../kernel/session-port.js';
import type { AuthAccount, ConnectionInfo, StatementResult } from '../kernel/protocol-port.js';
import type { Statement } from '../sql/ast.js';
import { sqlError } from '../kernel/errors.js';
import type { Acl, AccountKey } from './acl.js';
import { hostOrIp, peerHost } from './host-match.js';
import {
  SecurityContext,
  canSeeSchema,
  hasGlobal,
  hasRoutine,
  loginRoles,
  requireDb,
  requireColumns,
  requireTable,
  type SecurityContextOptions,
} from './privileges.js';
import { executeAccountStatement, isAccountStatement, showCreateUser, showGrants, type AccountStatementEnv } from './statements.js';

export interface AccountsApiOptions {
  /** Global system variables (activate_all_roles_on_login, mandatory_roles) for login roles. */
  globalVar?(name: string): unknown;
  /** Table existence for GRANT on a table (1146); omitted = not checked. */
  tableExists?(db: string, table: string): boolean;
  columnExists?(db: string, table: string, column: string): boolean;
}

/** Encode a role as the executor's 'user@host' string. */
export function roleKeyString(r: AccountKey): string {
  return `${r.user}@${r.host}`;
}

/** Decode 'user@host' (the host never contains '@'; a user name may). */
export function parseRoleKeyString(s: string): AccountKey {
  const at = s.lastIndexOf('@');
  return at < 0 ? { user: s, host: '%' } : { user: s.slice(0, at), host: s.slice(at + 1) };
}

/** The host USER() shows for an executor session (loopback IPs are 'localhost'). */
export function sessionHost(remote: string): string {
  return hostOrIp(peerHost({ transport: remote === 'localhost' ? 'socket' : 'tcp', remoteAddress: remote }));
}

function sysvarText(session: SessionPort, name: string): string | undefined {
  try {
    const v = session.sysvar(name);
    return v === null || v === undefined ? undefined : String(v);
  } catch {
    return undefined;
  }
}

function sysvarBool(session: SessionPort, name: string): boolean {
  const v = sysvarText(session, name);
  return v !== undefined && (v === '1' || v.toUpperCase() === 'ON');
}

/** Parse mandatory_roles text: "`r1`@`%`,r2@localhost,r3". */
export function parseMandatoryRoles(text: string | undefined): AccountKey[] {
  if (!text) return [];
  const out: AccountKey[] = [];
  for (const part of text.split(',')) {
    const t = part.trim();
    if (!t) continue;
    const m = /^[`'"]?([^`'"@]*)[`'"]?(?:@[`'"]?([^`'"]*)[`'"]?)?$/.exec(t);
    if (m) out.push({ user: m[1]!, host: (m[2] ?? '%').toLowerCase() });
  }
  return out;
}

function roleOptions(session: SessionPort | null): SecurityContextOptions {
  if (!session) return {};
  return {
    activateAllRolesOnLogin: sysvarBool(session, 'activate_all_roles_on_login'),
    mandatoryRoles: parseMandatoryRoles(sysvarText(session, 'mandatory_roles')),
  };
}

/**
 * Build the executor-facing accounts API over an ACL.
 * @req CORE-PRIV-020
 */
export function createAccountsApi(acl: Acl, opts: AccountsApiOptions = {}): AccountsApi & {
  securityContext(session: SessionPort): SecurityContext;
  /** Column-level check (1142 when no column of the table is granted, 1143 for the first
   *  column outside the grant); passes at once when the whole table is granted. */
  checkColumns(session: SessionPort, priv: string, schema: string, table: string, columns: readonly string[], command?: string): void;
} {
  const contexts = new WeakMap<SessionPort, SecurityContext>();

  const contextFor = (session: SessionPort): SecurityContext => {
    let ctx = contexts.get(session);
    if (!ctx || ctx.privUser !== session.account.user || ctx.privHost !== session.account.host || ctx.user !== session.user) {
      ctx = new SecurityContext(acl, session.user, sessionHost(session.host), session.account.user, session.account.host);
      contexts.set(session, ctx);
    }
    // The session replaces its role list (never edits it in place), so an unchanged list keeps
    // the context's remembered decisions. CORE-PERF-040
    if (ctx.rolesSource !== session.activeRoles) {
      ctx.activeRoles = session.activeRoles.map(parseRoleKeyString);
      ctx.rolesSource = session.activeRoles;
    }
    return ctx;
  };

  return {
    securityContext: contextFor,
    findAccount(user: string, conn: ConnectionInfo): AuthAccount | null {
      return acl.findAccount(user, conn);
    },
    hostKnown(conn: ConnectionInfo): boolean {
      return acl.hostKnown(conn);
    },
    accountNamed(user: string, host: string): AuthAccount | null {
      return acl.accountNamed(user, host);
    },
    checkTable(session: SessionPort, priv: string, schema: string, table: string, command?: string): void {
      const ctx = contextFor(session);
      if (!table) requireDb(ctx, priv, schema);
      else requireTable(ctx, priv, schema, table, command ?? priv);
    },
    checkColumns(session: SessionPort, priv: string, schema: string, table: string, columns: readonly string[], command?: string): void {
      requireColumns(contextFor(session), priv, schema, table, columns, command ?? priv);
    },
    hasGlobal(session: SessionPort, priv: string): boolean {
      return hasGlobal(contextFor(session), priv);
    },
    async grantRoutineToCreator(session: SessionPort, db: string, name: string, type: 'FUNCTION' | 'PROCEDURE'): Promise<void> {
      // automatic_sp_privileges: a procs_priv row for the creator. @req CORE-SP-052
      const key = { user: session.account.user, host: session.account.host.toLowerCase() };
      await acl.update((draft) => {
        let g = draft.routines.find((x) => x.user === key.user && x.host === key.host && x.db === db && x.type === type && x.name.toLowerCase() === name.toLowerCase());
        if (!g) {
          g = { user: key.user, host: key.host, db, name, type, privs: [], grantor: `${key.user}@${key.host}`, timestamp: Date.now() };
          draft.routines.push(g);
        }
        for (const p of ['EXECUTE', 'ALTER ROUTINE']) if (!g.privs.includes(p)) g.privs.push(p);
      });
    },
    async revokeRoutineGrants(db: string, name: string, type: 'FUNCTION' | 'PROCEDURE'): Promise<void> {
      await acl.update((draft) => {
        draft.routines = draft.routines.filter((x) => !(x.db === db && x.type === type && x.name.toLowerCase() === name.toLowerCase()));
      });
    },
    checkRoutine(session: SessionPort, priv: string, db: string, name: string, type: 'FUNCTION' | 'PROCEDURE'): void {
      const ctx = contextFor(session);
      // Routine grants come from mysql.procs_priv (GRANT ... ON PROCEDURE / FUNCTION) or higher levels. @req CORE-SP-050 CORE-SP-053
      if (!hasRoutine(ctx, priv, db, name, type)) throw sqlError('ER_PROCACCESS_DENIED_ERROR', priv.toLowerCase(), ctx.privUser, ctx.host, `${db}.${name}`);
    },
    checkSchemaAccess(session: SessionPort, schema: string): void {
      const ctx = contextFor(session);
      // USE reports the client's host, not the account's host pattern (unlike other 1044s).
      if (!canSeeSchema(ctx, schema)) throw sqlError('ER_DBACCESS_DENIED_ERROR', ctx.privUser, ctx.host, schema);
    },
    async execute(session: SessionPort, stmt: Statement): Promise<StatementResult> {
      const ctx = contextFor(session);
      if (stmt.kind === 'show') {
        const what = stmt.what.toUpperCase();
        if (what === 'GRANTS') return showGrants(acl, ctx, stmt, roleOptions(session).mandatoryRoles);
        if (what === 'CREATE USER' && stmt.account) return showCreateUser(acl, ctx, stmt.account);
        throw sqlError('ER_NOT_SUPPORTED_YET', `SHOW ${stmt.what}`);
      }
      if (stmt.kind === 'flush' && !isAccountStatement(stmt)) {
        // Mixed FLUSH lists: only the PRIVILEGES part is ours.
        await executeAccountStatement(acl, ctx, { kind: 'flush', local: (stmt as { local?: boolean }).local === true, what: ['PRIVILEGES'] });
        return { kind: 'ok', affectedRows: 0n, lastInsertId: 0n };
      }
      if (!isAccountStatement(stmt)) throw sqlError('ER_NOT_SUPPORTED_YET', stmt.kind);
      const env: AccountStatementEnv = {
        ...roleOptions(session),
        currentSchema: session.schema,
        defaultAuthPlugin: sysvarText(session, 'default_authentication_plugin') ?? 'caching_sha2_password',
      };
      if (opts.tableExists) env.tableExists = opts.tableExists;
      if (opts.columnExists) env.columnExists = opts.columnExists;
      const out = await executeAccountStatement(acl, ctx, stmt, env);
      for (const w of out.warnings) session.diagnostics.push(w);
      if (stmt.kind === 'set_role') session.activeRoles = ctx.activeRoles.map(roleKeyString);
      if (out.result) return out.result;
      return { kind: 'ok', affectedRows: 0n, lastInsertId: 0n };
    },
    defaultRoles(account: AuthAccount, _user: string): string[] {
      const g = (n: string): string | undefined => {
        const v = opts.globalVar?.(n);
        return v === null || v === undefined ? undefined : String(v);
      };
      const all = g('activate_all_roles_on_login');
      const o: SecurityContextOptions = {
        activateAllRolesOnLogin: all !== undefined && (all === '1' || all.toUpperCase() === 'ON'),
        mandatoryRoles: parseMandatoryRoles(g('mandatory_roles')),
      };
      return loginRoles(acl, { user: account.user, host: account.host }, o).map(roleKeyString);
    },
  };
}
