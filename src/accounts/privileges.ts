/**
 * Privilege checking for a session. A {@link SecurityContext} names who the session is (the
 * login name, the client's host, the matched account) and which roles are active; the checks
 * combine privileges of the account and every active role (and the roles those roles hold)
 * over the global, database, table and column levels.
 *
 * The executor calls the primitive checks below before running a statement; the error each
 * check raises is MySQL's for that level (1227, 1044, 1142, 1143).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/privilege-system.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/request-access.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/roles.html
 * @req CORE-PRIV-010 CORE-PRIV-011 CORE-PRIV-012 CORE-PRIV-013 CORE-PRIV-014 CORE-PRIV-015 CORE-PRIV-016 CORE-PRIV-017
 * @req CORE-PERF-040
 */
import type { AuthAccount, ConnectionInfo } from '../kernel/protocol-port.js';
import { sqlError } from '../kernel/errors.js';
import type { Acl, AccountKey } from './acl.js';
import { sameAccount } from './acl.js';
import { hostOrIp, peerHost, wildCaseMatch } from './host-match.js';
import { GRANT_OPTION, isDynamicPrivilege, isStaticPrivilege, sortStatic } from './privilege-names.js';
import { MAX_CACHED_DECISIONS } from './limits.js';

/**
 * Whether ER_TABLEACCESS_DENIED_ERROR names the table qualified by its schema ('db.t'). MySQL
 * 8.0 (through 8.0.4x) prints the bare table name; the qualified form is MariaDB's (MDEV-28548).
 * @req CORE-PRIV-012
 */
export const QUALIFY_TABLE_IN_DENIED_ERROR = false;

export interface SecurityContextOptions {
  /** activate_all_roles_on_login */
  activateAllRolesOnLogin?: boolean;
  /** mandatory_roles (already parsed) */
  mandatoryRoles?: AccountKey[];
}

/**
 * Who a session is. `user`/`host` are what USER() shows; `privUser`/`privHost` are the matched
 * account row (CURRENT_USER()).
 * @req CORE-PRIV-010
 */
export class SecurityContext {
  private roles: AccountKey[] = [];
  private cacheGen = -1;
  private cached: EffectiveIds | null = null;
  /** Privilege decisions already made under the current ACL generation and role list. CORE-PERF-040 */
  private decisions = new Map<string, boolean>();
  private decisionsGen = -1;
  /** The executor's role list these roles were read from (see the accounts adapter). */
  rolesSource: readonly string[] | null = null;

  constructor(
    readonly acl: Acl,
    /** The name the client logged in with. */
    public user: string,
    /** The client's host name or IP (what USER() prints after '@'). */
    public host: string,
    /** The matched account's user ('' for an anonymous account). */
    public privUser: string,
    /** The matched account's host pattern. */
    public privHost: string,
    /** Internal sessions (bootstrap, replication applier without PRIVILEGE_CHECKS_USER) skip checks. */
    readonly skipGrants = false,
  ) {}

  /** Roles made active by SET ROLE / default roles. Replacing the list forgets every decision. */
  get activeRoles(): AccountKey[] {
    return this.roles;
  }

  set activeRoles(roles: AccountKey[]) {
    this.roles = roles;
    this.rolesSource = null;
    this.cached = null;
    this.decisions.clear();
  }

  get account(): AccountKey {
    return { user: this.privUser, host: this.privHost };
  }

  /** Account plus active roles, transitively expanded over role edges. */
  authIds(): AccountKey[] {
    return this.effective().ids;
  }

  /**
   * A boolean privilege decision, computed once per key while neither the grants (the ACL's
   * generation, bumped by every GRANT/REVOKE/FLUSH PRIVILEGES and account change) nor the active
   * roles change. A statement run many times (sysbench, a prepared statement, a cached plan)
   * then costs one map lookup per table instead of scans over the grant lists. CORE-PERF-040
   */
  decide(key: string, compute: () => boolean): boolean {
    if (this.decisionsGen !== this.acl.generation) {
      this.decisions.clear();
      this.decisionsGen = this.acl.generation;
    }
    let d = this.decisions.get(key);
    if (d === undefined) {
      d = compute();
      if (this.decisions.size >= MAX_CACHED_DECISIONS) this.decisions.clear();
      this.decisions.set(key, d);
    }
    return d;
  }

  /** @internal cached per ACL generation and active-role list */
  effective(): EffectiveIds {
    if (this.cached && this.cacheGen === this.acl.generation) return this.cached;
    const ids: AccountKey[] = [this.account];
    const seen = new Set([keyOf(this.account)]);
    const queue = [...this.roles];
    for (let guard = 0; queue.length > 0 && guard < 10_000; guard++) {
      const r = queue.shift()!;
      const k = keyOf(r);
      if (seen.has(k)) continue;
      seen.add(k);
      ids.push(r);
      for (const e of this.acl.state.roleEdges) {
        if (e.toUser === r.user && e.toHost === r.host.toLowerCase()) queue.push({ user: e.fromUser, host: e.fromHost });
      }
    }
    this.cached = { ids, idSet: seen };
    this.cacheGen = this.acl.generation;
    return this.cached;
  }
}

export interface EffectiveIds {
  ids: AccountKey[];
  idSet: Set<string>;
}

function keyOf(a: AccountKey): string {
  return a.user + '\u0000' + a.host.toLowerCase();
}

function holds(ctx: SecurityContext, row: AccountKey): boolean {
  return ctx.effective().idSet.has(keyOf(row));
}

/**
 * Build the security context of a freshly authenticated session: default roles (or all granted
 * roles with activate_all_roles_on_login) become active.
 * @req CORE-PRIV-010 CORE-PRIV-016
 */
export function createSecurityContext(
  acl: Acl,
  account: Pick<AuthAccount, 'user' | 'host'>,
  loginUser: string,
  conn: Pick<ConnectionInfo, 'transport' | 'remoteAddress'>,
  opts: SecurityContextOptions = {},
): SecurityContext {
  const ctx = new SecurityContext(acl, loginUser, hostOrIp(peerHost(conn)), account.user, account.host);
  ctx.activeRoles = loginRoles(acl, account, opts);
  return ctx;
}

/** The roles a session starts with. */
export function loginRoles(acl: Acl, account: AccountKey, opts: SecurityContextOptions = {}): AccountKey[] {
  const granted = grantedRoles(acl, account);
  const mandatory = (opts.mandatoryRoles ?? []).filter((r) => acl.getUser(r.user, r.host));
  if (opts.activateAllRolesOnLogin) return dedupe([...granted, ...mandatory]);
  const defaults = acl.state.defaultRoles
    .filter((d) => sameAccount(d, account))
    .map((d) => ({ user: d.roleUser, host: d.roleHost }))
    .filter((r) => granted.some((g) => sameAccount(g, r)) || mandatory.some((m) => sameAccount(m, r)));
  return dedupe(defaults);
}

function dedupe(list: AccountKey[]): AccountKey[] {
  const out: AccountKey[] = [];
  for (const a of list) if (!out.some((b) => sameAccount(a, b))) out.push(a);
  return out;
}

/** Roles granted directly to an account (role_edges), in grant order. */
export function grantedRoles(acl: Acl, account: AccountKey): AccountKey[] {
  return acl.state.roleEdges
    .filter((e) => e.toUser === account.user && e.toHost === account.host.toLowerCase())
    .map((e) => ({ user: e.fromUser, host: e.fromHost }));
}

/** A context that passes every check (server bootstrap, internal statements). */
export function internalSecurityContext(acl: Acl): SecurityContext {
  return new SecurityContext(acl, 'root', 'localhost', 'root', 'localhost', true);
}

// ---------------------------------------------------------------------------------------------
// Boolean checks
// ---------------------------------------------------------------------------------------------

/** Whether the session holds a global (static or dynamic) privilege. @req CORE-PRIV-011 */
export function hasGlobal(ctx: SecurityContext, priv: string): boolean {
  if (ctx.skipGrants) return true;
  return ctx.decide('G\u0000' + priv, () => hasGlobalUncached(ctx, priv));
}

function hasGlobalUncached(ctx: SecurityContext, priv: string): boolean {
  const p = priv.toUpperCase();
  const st = ctx.acl.state;
  if (isDynamicPrivilege(p) || p.includes('_')) {
    return st.dynamic.some((g) => g.priv === p && holds(ctx, g));
  }
  return st.users.some((u) => holds(ctx, u) && u.globalPrivs.includes(p));
}

/** Database names are case-sensitive (lower_case_table_names=0); grant patterns use LIKE wildcards. */
function dbMatches(pattern: string, db: string): boolean {
  if (!/[%_\\]/.test(pattern)) return pattern === db;
  // wildCaseMatch is case-insensitive; require an exact-case match of the literal parts too.
  return wildCaseMatch(db, pattern) && caseSensitiveWild(db, pattern);
}

function caseSensitiveWild(text: string, pattern: string): boolean {
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length) re += escapeRe(pattern[++i]!);
    else if (c === '%') re += '[\\s\\S]*';
    else if (c === '_') re += '[\\s\\S]';
    else re += escapeRe(c);
  }
  return new RegExp(re + '$').test(text);
}

function escapeRe(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** Whether the session holds `priv` on database `db` (global or database level). @req CORE-PRIV-011 */
export function hasDb(ctx: SecurityContext, priv: string, db: string): boolean {
  if (hasGlobal(ctx, priv)) return true;
  return ctx.decide('D\u0000' + priv + '\u0000' + db, () => hasDbOnly(ctx, priv, db));
}

function hasDbOnly(ctx: SecurityContext, priv: string, db: string): boolean {
  const p = priv.toUpperCase();
  return ctx.acl.state.db.some((g) => holds(ctx, g) && g.privs.includes(p) && dbMatches(g.db, db));
}

/** Whether the session holds `priv` on a whole table (global, database or table level). @req CORE-PRIV-012 */
export function hasTable(ctx: SecurityContext, priv: string, db: string, table: string): boolean {
  if (hasDb(ctx, priv, db)) return true;
  return ctx.decide('T\u0000' + priv + '\u0000' + db + '\u0000' + table, () => hasTableOnly(ctx, priv, db, table));
}

function hasTableOnly(ctx: SecurityContext, priv: string, db: string, table: string): boolean {
  const p = priv.toUpperCase();
  return ctx.acl.state.tables.some(
    (g) => holds(ctx, g) && g.privs.includes(p) && g.db === db && g.table.toLowerCase() === table.toLowerCase(),
  );
}

/** Whether the session holds `priv` on one column (any level down to the column). @req CORE-PRIV-013 */
export function hasColumn(ctx: SecurityContext, priv: string, db: string, table: string, column: string): boolean {
  if (hasTable(ctx, priv, db, table)) return true;
  const p = priv.toUpperCase();
  const t = table.toLowerCase();
  const c = column.toLowerCase();
  return ctx.acl.state.columns.some(
    (g) => holds(ctx, g) && g.privs.includes(p) && g.db === db && g.table.toLowerCase() === t && g.column.toLowerCase() === c,
  );
}

/** Whether the session holds `priv` on at least one column of the table (SELECT with column grants). */
export function hasAnyColumn(ctx: SecurityContext, priv: string, db: string, table: string): boolean {
  if (hasTable(ctx, priv, db, table)) return true;
  const p = priv.toUpperCase();
  const t = table.toLowerCase();
  return ctx.acl.state.columns.some((g) => holds(ctx, g) && g.privs.includes(p) && g.db === db && g.table.toLowerCase() === t);
}

/** Whether the session holds `priv` on a stored routine. */
export function hasRoutine(ctx: SecurityContext, priv: string, db: string, name: string, type: 'FUNCTION' | 'PROCEDURE'): boolean {
  if (hasDb(ctx, priv, db)) return true;
  const p = priv.toUpperCase();
  return ctx.acl.state.routines.some(
    (g) => holds(ctx, g) && g.type === type && g.privs.includes(p) && g.db === db && g.name.toLowerCase() === name.toLowerCase(),
  );
}

const ALWAYS_VISIBLE_SCHEMAS: ReadonlySet<string> = new Set(['information_schema', 'performance_schema']);

const SCHEMA_LEVEL_GLOBALS = [
  'SELECT', 'INSERT', 'UPDATE', 'DELETE', 'CREATE', 'DROP', 'REFERENCES', 'INDEX', 'ALTER',
  'CREATE TEMPORARY TABLES', 'LOCK TABLES', 'EXECUTE', 'CREATE VIEW', 'SHOW VIEW', 'CREATE ROUTINE',
  'ALTER ROUTINE', 'EVENT', 'TRIGGER',
];

/**
 * SHOW DATABASES / information_schema.SCHEMATA visibility: SHOW DATABASES privilege, or any
 * privilege at or below the schema. information_schema and performance_schema are always visible.
 * @req CORE-PRIV-015
 */
export function canSeeSchema(ctx: SecurityContext, db: string): boolean {
  if (ctx.skipGrants) return true;
  // information_schema and performance_schema are listed for every account (their rows or
  // tables are filtered instead), as a fresh MySQL account sees them in SHOW DATABASES.
  if (ALWAYS_VISIBLE_SCHEMAS.has(db.toLowerCase())) return true;
  if (hasGlobal(ctx, 'SHOW DATABASES')) return true;
  const st = ctx.acl.state;
  if (st.users.some((u) => holds(ctx, u) && u.globalPrivs.some((p) => SCHEMA_LEVEL_GLOBALS.includes(p)))) return true;
  return (
    st.db.some((g) => holds(ctx, g) && g.privs.some((p) => p !== GRANT_OPTION) && dbMatches(g.db, db)) ||
    st.tables.some((g) => holds(ctx, g) && g.db === db) ||
    st.columns.some((g) => holds(ctx, g) && g.db === db) ||
    st.routines.some((g) => holds(ctx, g) && g.db === db)
  );
}

/**
 * SHOW TABLES / information_schema.TABLES visibility: any privilege on the table at any level.
 * @req CORE-PRIV-015
 */
export function canSeeTable(ctx: SecurityContext, db: string, table: string): boolean {
  if (ctx.skipGrants) return true;
  if (ALWAYS_VISIBLE_SCHEMAS.has(db.toLowerCase())) return true;
  const st = ctx.acl.state;
  if (st.users.some((u) => holds(ctx, u) && u.globalPrivs.some((p) => SCHEMA_LEVEL_GLOBALS.includes(p)))) return true;
  const t = table.toLowerCase();
  return (
    st.db.some((g) => holds(ctx, g) && g.privs.some((p) => p !== GRANT_OPTION) && dbMatches(g.db, db)) ||
    st.tables.some((g) => holds(ctx, g) && g.db === db && g.table.toLowerCase() === t && g.privs.length > 0) ||
    st.columns.some((g) => holds(ctx, g) && g.db === db && g.table.toLowerCase() === t)
  );
}

// ---------------------------------------------------------------------------------------------
// Throwing checks (the executor calls these)
// ---------------------------------------------------------------------------------------------

/**
 * How 1227 names alternatives: static privileges as MySQL's privilege description (canonical
 * order, ', '), anything involving a dynamic privilege joined with ' or '.
 */
export function privilegeListText(list: readonly string[]): string {
  if (list.every((p) => isStaticPrivilege(p))) return sortStatic(list).join(', ');
  return list.join(' or ');
}

/**
 * Require a global privilege; 1227 naming it otherwise. `priv` may be a list meaning "any of".
 * @req CORE-PRIV-011
 */
export function requireGlobal(ctx: SecurityContext, priv: string | readonly string[]): void {
  const list = typeof priv === 'string' ? [priv] : priv;
  if (list.some((p) => hasGlobal(ctx, p))) return;
  throw sqlError('ER_SPECIFIC_ACCESS_DENIED_ERROR', privilegeListText(list));
}

/** Require `priv` on a database; 1044 otherwise. @req CORE-PRIV-011 */
export function requireDb(ctx: SecurityContext, priv: string, db: string): void {
  if (hasDb(ctx, priv, db)) return;
  throw sqlError('ER_DBACCESS_DENIED_ERROR', ctx.privUser, ctx.privHost, db);
}

/** The table name as ER_TABLEACCESS_DENIED_ERROR prints it. */
export function deniedTableName(db: string, table: string): string {
  return QUALIFY_TABLE_IN_DENIED_ERROR && db !== '' ? `${db}.${table}` : table;
}

/**
 * Require `priv` on a table; 1142 `<PRIV> command denied to user 'u'@'h' for table 'db.t'`
 * otherwise (the user part is the account name, the host part the client's host).
 * @req CORE-PRIV-012
 */
export function requireTable(ctx: SecurityContext, priv: string, db: string, table: string, command: string = priv): void {
  if (hasTable(ctx, priv, db, table)) return;
  throw sqlError('ER_TABLEACCESS_DENIED_ERROR', command.toUpperCase(), ctx.privUser, ctx.host, deniedTableName(db, table));
}

/** Require `priv` on each listed column; 1143 for the first missing one. @req CORE-PRIV-013 */
export function requireColumns(ctx: SecurityContext, priv: string, db: string, table: string, columns: readonly string[], command: string = priv): void {
  if (hasTable(ctx, priv, db, table)) return;
  if (!hasAnyColumn(ctx, priv, db, table)) {
    throw sqlError('ER_TABLEACCESS_DENIED_ERROR', command.toUpperCase(), ctx.privUser, ctx.host, deniedTableName(db, table));
  }
  for (const c of columns) {
    if (!hasColumn(ctx, priv, db, table, c)) {
      throw sqlError('ER_COLUMNACCESS_DENIED_ERROR', command.toUpperCase(), ctx.privUser, ctx.host, c, table);
    }
  }
}

/** Single-column form of {@link requireColumns}. @req CORE-PRIV-013 */
export function requireColumn(ctx: SecurityContext, priv: string, db: string, table: string, column: string, command: string = priv): void {
  requireColumns(ctx, priv, db, table, [column], command);
}

/**
 * The privilege MySQL checks for common statement kinds against each table they touch
 * (the executor adds columns, routines and special cases). Returns null when the statement
 * needs no table privilege.
 * @req CORE-PRIV-014
 */
export function privilegeNameFor(stmtKind: string): string | null {
  switch (stmtKind) {
    case 'select':
    case 'describe':
      return 'SELECT';
    case 'insert':
    case 'load_data':
      return 'INSERT';
    case 'update':
      return 'UPDATE';
    case 'delete':
      return 'DELETE';
    case 'create_table':
    case 'create_database':
      return 'CREATE';
    case 'drop_table':
    case 'drop_database':
    case 'truncate':
    case 'drop_view':
      return 'DROP';
    case 'alter_table':
    case 'rename_table':
    case 'alter_database':
      return 'ALTER';
    case 'create_index':
    case 'drop_index':
      return 'INDEX';
    case 'create_view':
      return 'CREATE VIEW';
    case 'lock_tables':
      return 'LOCK TABLES';
    default:
      return null;
  }
}

/**
 * Global privileges required by account-management and administrative statement kinds
 * ("any of" lists). GRANT/REVOKE are checked inside the account statements themselves.
 * @req CORE-PRIV-014
 */
export function globalPrivilegesFor(stmtKind: string): readonly string[] | null {
  switch (stmtKind) {
    case 'create_user':
    case 'drop_user':
    case 'rename_user':
      return ['CREATE USER'];
    case 'create_role':
      return ['CREATE ROLE', 'CREATE USER'];
    case 'drop_role':
      return ['DROP ROLE', 'CREATE USER'];
    case 'shutdown':
      return ['SHUTDOWN'];
    case 'install_plugin':
    case 'uninstall_plugin':
      return null; // INSERT/DELETE on mysql.plugin in MySQL; the executor decides
    default:
      return null;
  }
}
