/**
 * Account-management statements: CREATE/ALTER/DROP/RENAME USER, CREATE/DROP ROLE, GRANT,
 * REVOKE, SET PASSWORD, SET ROLE, SET DEFAULT ROLE, FLUSH PRIVILEGES, SHOW GRANTS and
 * SHOW CREATE USER, with MySQL 8.0's privilege requirements, errors and notes.
 *
 * Each statement is atomic: all named accounts are validated first and the whole change is
 * written in one ACL update, or the statement fails and nothing changes.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/account-management-statements.html
 * @req CORE-ACCT-041 CORE-ACCT-042 CORE-ACCT-043 CORE-ACCT-044 CORE-ACCT-045 CORE-ACCT-046
 * @req CORE-ACCT-047 CORE-ACCT-048 CORE-ACCT-049 CORE-ACCT-050 CORE-ACCT-051 CORE-ACCT-052 CORE-ACCT-053
 */
import { randomBytes } from 'node:crypto';
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
  GrantTarget,
  PrivilegeItem,
  RenameUserStatement,
  RevokeRoleStatement,
  RevokeStatement,
  SetDefaultRoleStatement,
  SetPasswordStatement,
  SetRoleStatement,
  ShowStatement,
  Statement,
} from '../sql/ast.js';
import { diagnostic, sqlError, SqlError, type Diagnostic } from '../sql/errors.js';
import type { AccountKey, AclState, Acl, UserRecord } from './acl.js';
import { accountKey, backtickAccount, newUserRecord, quoteAccount, sameAccount } from './acl.js';
import { KNOWN_PLUGINS, SHA2_PLUGIN, hashPassword, isValidAuthString } from './credentials.js';
import { MAX_HOST_NAME_LENGTH, MAX_USER_NAME_LENGTH } from './limits.js';
import {
  COLUMN_PRIVILEGES,
  DB_PRIVILEGES,
  DYNAMIC_PRIVILEGES,
  GRANT_OPTION,
  ROUTINE_PRIVILEGES,
  STATIC_PRIVILEGES,
  TABLE_PRIVILEGES,
  isDynamicPrivilege,
  isStaticPrivilege,
  sortStatic,
} from './privilege-names.js';
import {
  deniedTableName,
  grantedRoles,
  hasDb,
  hasGlobal,
  hasRoutine,
  hasTable,
  loginRoles,
  requireGlobal,
  type SecurityContext,
  type SecurityContextOptions,
} from './privileges.js';
import { createUserResult, grantsResult, textColumn, type AccountRowsResult } from './show-grants.js';

/** What account statements need to know about the rest of the server. */
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
      alterUser(acl, ctx, stmt, env, warnings);
      break;
    case 'drop_user':
      dropAccounts(acl, ctx, stmt.users, stmt.ifExists, 'DROP USER', ['CREATE USER'], warnings);
      break;
    case 'drop_role':
      dropAccounts(acl, ctx, stmt.roles, stmt.ifExists, 'DROP ROLE', ['DROP ROLE', 'CREATE USER'], warnings);
      break;
    case 'rename_user':
      renameUser(acl, ctx, stmt);
      break;
    case 'create_role':
      createRole(acl, ctx, stmt, env, warnings);
      break;
    case 'grant':
      grantPrivileges(acl, ctx, stmt, env);
      break;
    case 'grant_role':
      grantRoles(acl, ctx, stmt);
      break;
    case 'revoke':
      revokePrivileges(acl, ctx, stmt, env, warnings);
      break;
    case 'revoke_role':
      revokeRoles(acl, ctx, stmt);
      break;
    case 'set_password':
      setPassword(acl, ctx, stmt, env);
      break;
    case 'set_role':
      setRole(acl, ctx, stmt, env);
      break;
    case 'set_default_role':
      setDefaultRole(acl, ctx, stmt.users, stmt.mode, stmt.roles, env);
      break;
    case 'flush': {
      requireGlobal(ctx, 'RELOAD');
      const before = acl.state.users.map((u) => ({ user: u.user, host: u.host }));
      acl.reload();
      // FLUSH PRIVILEGES also empties the caching_sha2_password fast-auth cache.
      for (const a of [...before, ...acl.state.users]) acl.emitCredentialsChanged({ user: a.user, host: a.host });
      break;
    }
  }
  return { warnings };
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/** Resolve CURRENT_USER and normalise the host. */
function resolveName(ctx: SecurityContext, a: AccountName): AccountKey {
  if (a.current) return accountKey(ctx.privUser, ctx.privHost);
  return accountKey(a.user, a.host);
}

function findIn(state: AclState, a: AccountKey): UserRecord | undefined {
  return state.users.find((u) => sameAccount(u, a));
}

function isSelf(ctx: SecurityContext, a: AccountKey): boolean {
  return sameAccount(a, ctx.account);
}

/** 1396 naming every failed account, comma-separated. */
function cannotUser(op: string, failed: AccountKey[]): SqlError {
  return sqlError('ER_CANNOT_USER', op, failed.map(quoteAccount).join(','));
}

function checkNameLengths(a: AccountKey): void {
  if (a.user.length > MAX_USER_NAME_LENGTH || a.host.length > MAX_HOST_NAME_LENGTH) {
    throw sqlError('ER_WRONG_STRING_LENGTH', a.user.length > MAX_USER_NAME_LENGTH ? a.user : a.host,
      a.user.length > MAX_USER_NAME_LENGTH ? 'user name' : 'host name',
      a.user.length > MAX_USER_NAME_LENGTH ? MAX_USER_NAME_LENGTH : MAX_HOST_NAME_LENGTH);
  }
}

function generateRandomPassword(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789,.-+*;:_!#%&/()=?>@{}[]';
  const raw = randomBytes(20);
  let s = '';
  for (const b of raw) s += alphabet[b % alphabet.length];
  return s;
}

interface ResolvedAuth {
  plugin: string;
  authString: string;
  generated?: string;
}

/** Work out plugin and stored credential from an IDENTIFIED clause. */
function resolveAuth(
  auth: CreateUserStatement['users'][number]['auth'],
  currentPlugin: string | undefined,
  env: AccountStatementEnv,
): ResolvedAuth | undefined {
  if (!auth) return undefined;
  const plugin = (auth.plugin ?? currentPlugin ?? env.defaultAuthPlugin ?? SHA2_PLUGIN).toLowerCase();
  if (!KNOWN_PLUGINS.includes(plugin)) throw sqlError('ER_PLUGIN_IS_NOT_LOADED', plugin);
  if (auth.randomPassword) {
    const pw = generateRandomPassword();
    return { plugin, authString: hashPassword(plugin, pw), generated: pw };
  }
  if (auth.hash !== undefined) {
    if (!isValidAuthString(plugin, auth.hash)) throw sqlError('ER_PASSWORD_FORMAT');
    return { plugin, authString: auth.hash };
  }
  if (auth.password !== undefined) return { plugin, authString: hashPassword(plugin, auth.password) };
  return { plugin, authString: '' };
}

/** Apply REQUIRE, resource, password and lock options common to CREATE and ALTER USER. */
function applyCommonOptions(u: UserRecord, stmt: Omit<CreateUserStatement, 'kind' | 'defaultRoles' | 'users' | 'ifNotExists'>): void {
  if (stmt.require) {
    const r = stmt.require;
    u.ssl = { type: r.type };
    if (r.cipher !== undefined) u.ssl.cipher = r.cipher;
    if (r.issuer !== undefined) u.ssl.issuer = r.issuer;
    if (r.subject !== undefined) u.ssl.subject = r.subject;
  }
  for (const [k, v] of Object.entries(stmt.resourceOptions ?? {})) {
    switch (k.toUpperCase()) {
      case 'MAX_QUERIES_PER_HOUR':
        u.maxQuestions = v;
        break;
      case 'MAX_UPDATES_PER_HOUR':
        u.maxUpdates = v;
        break;
      case 'MAX_CONNECTIONS_PER_HOUR':
        u.maxConnections = v;
        break;
      case 'MAX_USER_CONNECTIONS':
        u.maxUserConnections = v;
        break;
    }
  }
  for (const raw of stmt.passwordOptions ?? []) {
    const o = raw.toUpperCase().replace(/\s+/g, ' ').trim();
    if (o === 'PASSWORD EXPIRE') u.passwordExpired = true;
    else if (o === 'PASSWORD EXPIRE DEFAULT') u.passwordLifetime = null;
    else if (o === 'PASSWORD EXPIRE NEVER') u.passwordLifetime = 0;
    else {
      const m = /^PASSWORD EXPIRE INTERVAL (\d+) DAY$/.exec(o);
      if (m) u.passwordLifetime = Number(m[1]);
      else u.passwordOptions = [...(u.passwordOptions ?? []).filter((x) => x.split(' ')[0] !== o.split(' ')[0]), o];
    }
  }
  if (stmt.accountLock !== undefined) u.locked = stmt.accountLock;
  if (stmt.comment !== undefined) {
    const attrs = u.attributes ?? {};
    const meta = (attrs['metadata'] as Record<string, unknown> | undefined) ?? {};
    attrs['metadata'] = { ...meta, comment: stmt.comment };
    u.attributes = attrs;
  }
  if (stmt.attribute !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(stmt.attribute);
    } catch {
      throw sqlError('ER_INVALID_JSON_TEXT', 'Invalid value.', 0, 'ATTRIBUTE');
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw sqlError('ER_INVALID_JSON_TEXT', 'Invalid value.', 0, 'ATTRIBUTE');
    }
    const attrs = u.attributes ?? {};
    const meta: Record<string, unknown> = { ...((attrs['metadata'] as Record<string, unknown> | undefined) ?? {}) };
    for (const [k, v] of Object.entries(parsed as Record<string, unknown>)) {
      if (v === null) delete meta[k];
      else meta[k] = v;
    }
    attrs['metadata'] = meta;
    u.attributes = attrs;
  }
}

// ---------------------------------------------------------------------------------------------
// CREATE USER / CREATE ROLE
// ---------------------------------------------------------------------------------------------

/** @req CORE-ACCT-041 */
function createUser(acl: Acl, ctx: SecurityContext, stmt: CreateUserStatement, env: AccountStatementEnv, warnings: Diagnostic[]): AccountStatementOutcome {
  requireGlobal(ctx, 'CREATE USER');
  const generated: { user: string; host: string; password: string }[] = [];
  const roles = (stmt.defaultRoles ?? []).map((r) => resolveName(ctx, r));
  for (const r of roles) if (!acl.getUser(r.user, r.host)) throw sqlError('ER_USER_DOES_NOT_EXIST', r.user, r.host);
  acl.update((draft) => {
    const failed: AccountKey[] = [];
    for (const spec of stmt.users) {
      const key = resolveName(ctx, spec.account);
      checkNameLengths(key);
      if (findIn(draft, key) || failed.some((f) => sameAccount(f, key))) {
        if (stmt.ifNotExists) {
          warnings.push(diagnostic('Note', 'ER_USER_ALREADY_EXISTS', key.user, key.host));
          continue;
        }
        failed.push(key);
        continue;
      }
      const auth = resolveAuth(spec.auth, undefined, env) ?? {
        plugin: (env.defaultAuthPlugin ?? SHA2_PLUGIN).toLowerCase(),
        authString: '',
      };
      const u = newUserRecord(key.user, key.host, auth.plugin, auth.authString);
      applyCommonOptions(u, stmt);
      draft.users.push(u);
      if (auth.generated !== undefined) generated.push({ user: key.user, host: key.host, password: auth.generated });
      for (const r of roles) draft.defaultRoles.push({ user: key.user, host: key.host, roleUser: r.user, roleHost: r.host });
    }
    if (failed.length) throw cannotUser('CREATE USER', failed);
  });
  const out: AccountStatementOutcome = { warnings };
  if (generated.length) {
    out.result = {
      kind: 'rows',
      columns: [textColumn('user', 32), textColumn('host', 255), textColumn('generated password', 255), textColumn('auth_factor', 20)],
      rows: generated.map((g) => [g.user, g.host, g.password, 1n]),
    };
  }
  return out;
}

/** Roles are locked accounts with an expired, empty password. @req CORE-ACCT-045 */
function createRole(acl: Acl, ctx: SecurityContext, stmt: CreateRoleStatement, env: AccountStatementEnv, warnings: Diagnostic[]): void {
  requireGlobal(ctx, ['CREATE ROLE', 'CREATE USER']);
  acl.update((draft) => {
    const failed: AccountKey[] = [];
    for (const r of stmt.roles) {
      const key = resolveName(ctx, r);
      checkNameLengths(key);
      if (findIn(draft, key) || failed.some((f) => sameAccount(f, key))) {
        if (stmt.ifNotExists) {
          warnings.push(diagnostic('Note', 'ER_USER_ALREADY_EXISTS', key.user, key.host));
          continue;
        }
        failed.push(key);
        continue;
      }
      const u = newUserRecord(key.user, key.host, (env.defaultAuthPlugin ?? SHA2_PLUGIN).toLowerCase(), '');
      u.locked = true;
      u.passwordExpired = true;
      draft.users.push(u);
    }
    if (failed.length) throw cannotUser('CREATE ROLE', failed);
  });
}

// ---------------------------------------------------------------------------------------------
// ALTER USER / SET PASSWORD
// ---------------------------------------------------------------------------------------------

/** @req CORE-ACCT-042 */
function alterUser(acl: Acl, ctx: SecurityContext, stmt: AlterUserStatement, env: AccountStatementEnv, warnings: Diagnostic[]): void {
  const keys = stmt.users.map((s) => resolveName(ctx, s.account));
  // Changing only one's own password needs no privilege; anything else needs CREATE USER.
  const selfOnly =
    keys.every((k) => isSelf(ctx, k)) &&
    !stmt.require && !stmt.resourceOptions && stmt.accountLock === undefined && !stmt.defaultRole &&
    stmt.comment === undefined && stmt.attribute === undefined &&
    (stmt.passwordOptions ?? []).length === 0;
  if (!selfOnly) requireGlobal(ctx, 'CREATE USER');
  const changed: AccountKey[] = [];
  acl.update((draft) => {
    const failed: AccountKey[] = [];
    stmt.users.forEach((spec, i) => {
      const key = keys[i]!;
      const u = findIn(draft, key);
      if (!u) {
        if (stmt.ifExists) warnings.push(diagnostic('Note', 'ER_USER_DOES_NOT_EXIST', key.user, key.host));
        else failed.push(key);
        return;
      }
      const auth = resolveAuth(spec.auth, spec.auth?.plugin ? undefined : u.plugin, env);
      if (auth) {
        u.plugin = auth.plugin;
        u.authString = auth.authString;
        u.passwordExpired = false;
        u.passwordLastChanged = Date.now();
        changed.push(key);
      }
      applyCommonOptions(u, stmt);
      if (stmt.defaultRole) {
        applyDefaultRoles(draft, u, stmt.defaultRole.mode, stmt.defaultRole.roles.map((r) => resolveName(ctx, r)), ctx, env);
      }
    });
    if (failed.length) throw cannotUser('ALTER USER', failed);
  });
  for (const k of changed) acl.emitCredentialsChanged(k);
}

/** @req CORE-ACCT-049 */
function setPassword(acl: Acl, ctx: SecurityContext, stmt: SetPasswordStatement, env: AccountStatementEnv): void {
  const key = stmt.account ? resolveName(ctx, stmt.account) : accountKey(ctx.privUser, ctx.privHost);
  if (!stmt.account || stmt.account.current) {
    if (ctx.privUser === '') throw sqlError('ER_PASSWORD_ANONYMOUS_USER');
  }
  if (!isSelf(ctx, key) && !hasGlobal(ctx, 'CREATE USER') && !hasDb(ctx, 'UPDATE', 'mysql')) {
    throw sqlError('ER_DBACCESS_DENIED_ERROR', ctx.privUser, ctx.privHost, 'mysql');
  }
  acl.update((draft) => {
    const u = findIn(draft, key);
    if (!u) throw sqlError('ER_PASSWORD_NO_MATCH');
    u.authString = hashPassword(u.plugin, stmt.password);
    u.passwordExpired = false;
    u.passwordLastChanged = Date.now();
  });
  void env;
  acl.emitCredentialsChanged(key);
}

// ---------------------------------------------------------------------------------------------
// DROP USER / DROP ROLE / RENAME USER
// ---------------------------------------------------------------------------------------------

/** Remove every trace of an account from a draft state. */
function purgeAccount(draft: AclState, a: AccountKey): void {
  const notA = (r: AccountKey): boolean => !sameAccount(r, a);
  draft.users = draft.users.filter(notA);
  draft.db = draft.db.filter(notA);
  draft.tables = draft.tables.filter(notA);
  draft.columns = draft.columns.filter(notA);
  draft.routines = draft.routines.filter(notA);
  draft.dynamic = draft.dynamic.filter(notA);
  draft.proxies = draft.proxies.filter(notA);
  draft.roleEdges = draft.roleEdges.filter(
    (e) => !sameAccount({ user: e.fromUser, host: e.fromHost }, a) && !sameAccount({ user: e.toUser, host: e.toHost }, a),
  );
  draft.defaultRoles = draft.defaultRoles.filter(
    (d) => !sameAccount(d, a) && !sameAccount({ user: d.roleUser, host: d.roleHost }, a),
  );
}

/** @req CORE-ACCT-043 CORE-ACCT-045 */
function dropAccounts(
  acl: Acl,
  ctx: SecurityContext,
  names: AccountName[],
  ifExists: boolean,
  op: 'DROP USER' | 'DROP ROLE',
  privs: string[],
  warnings: Diagnostic[],
): void {
  requireGlobal(ctx, privs);
  const dropped: AccountKey[] = [];
  acl.update((draft) => {
    const failed: AccountKey[] = [];
    for (const n of names) {
      const key = resolveName(ctx, n);
      if (!findIn(draft, key)) {
        if (ifExists) warnings.push(diagnostic('Note', 'ER_USER_DOES_NOT_EXIST', key.user, key.host));
        else failed.push(key);
        continue;
      }
      purgeAccount(draft, key);
      dropped.push(key);
    }
    if (failed.length) throw cannotUser(op, failed);
  });
  for (const k of dropped) acl.emitCredentialsChanged(k);
}

/** @req CORE-ACCT-044 */
function renameUser(acl: Acl, ctx: SecurityContext, stmt: RenameUserStatement): void {
  requireGlobal(ctx, 'CREATE USER');
  const moved: AccountKey[] = [];
  acl.update((draft) => {
    const failed: AccountKey[] = [];
    for (const pair of stmt.pairs) {
      const from = resolveName(ctx, pair.from);
      const to = resolveName(ctx, pair.to);
      checkNameLengths(to);
      if (!findIn(draft, from) || findIn(draft, to)) {
        failed.push(from);
        continue;
      }
      // An account already granted to others as a role keeps its name.
      if (draft.roleEdges.some((e) => sameAccount({ user: e.fromUser, host: e.fromHost }, from))) throw sqlError('ER_RENAME_ROLE');
      const rename = <T extends AccountKey>(r: T): void => {
        if (sameAccount(r, from)) {
          r.user = to.user;
          r.host = to.host;
        }
      };
      draft.users.forEach(rename);
      draft.db.forEach(rename);
      draft.tables.forEach(rename);
      draft.columns.forEach(rename);
      draft.routines.forEach(rename);
      draft.dynamic.forEach(rename);
      draft.proxies.forEach(rename);
      draft.defaultRoles.forEach(rename);
      for (const e of draft.roleEdges) {
        if (sameAccount({ user: e.fromUser, host: e.fromHost }, from)) {
          e.fromUser = to.user;
          e.fromHost = to.host;
        }
        if (sameAccount({ user: e.toUser, host: e.toHost }, from)) {
          e.toUser = to.user;
          e.toHost = to.host;
        }
      }
      for (const d of draft.defaultRoles) {
        if (sameAccount({ user: d.roleUser, host: d.roleHost }, from)) {
          d.roleUser = to.user;
          d.roleHost = to.host;
        }
      }
      moved.push(from);
    }
    if (failed.length) throw cannotUser('RENAME USER', failed);
  });
  for (const k of moved) acl.emitCredentialsChanged(k);
}

// ---------------------------------------------------------------------------------------------
// GRANT / REVOKE privileges
// ---------------------------------------------------------------------------------------------

type Level =
  | { kind: 'global' }
  | { kind: 'db'; db: string }
  | { kind: 'table'; db: string; table: string }
  | { kind: 'routine'; db: string; name: string; type: 'FUNCTION' | 'PROCEDURE' };

function resolveLevel(target: GrantTarget, env: AccountStatementEnv): Level {
  let schema = target.schema;
  if (schema === null) {
    if (!env.currentSchema) throw sqlError('ER_NO_DB_ERROR');
    schema = env.currentSchema;
  }
  if (target.objectType === 'FUNCTION' || target.objectType === 'PROCEDURE') {
    if (schema === '*' || target.table === '*') throw sqlError('ER_ILLEGAL_GRANT_FOR_TABLE');
    return { kind: 'routine', db: schema, name: target.table, type: target.objectType };
  }
  if (schema === '*') {
    if (target.table !== '*') throw sqlError('ER_ILLEGAL_GRANT_FOR_TABLE');
    return { kind: 'global' };
  }
  if (target.table === '*') return { kind: 'db', db: schema };
  return { kind: 'table', db: schema, table: target.table };
}

interface ExpandedPrivileges {
  /** Static privileges at the target level (never GRANT OPTION). */
  statics: string[];
  /** Dynamic privileges (global level only). */
  dynamics: string[];
  /** Column privileges: privilege -> columns. */
  columns: Map<string, string[]>;
  /** The list said ALL [PRIVILEGES]. */
  all: boolean;
  /** GRANT OPTION named in the list (REVOKE GRANT OPTION ON ...). */
  grantOption: boolean;
}

function levelPrivileges(level: Level): readonly string[] {
  switch (level.kind) {
    case 'global':
      return STATIC_PRIVILEGES;
    case 'db':
      return DB_PRIVILEGES;
    case 'table':
      return TABLE_PRIVILEGES;
    case 'routine':
      return ROUTINE_PRIVILEGES;
  }
}

/** Validate a privilege list against the level and expand ALL. @req CORE-PRIV-003 */
function expandPrivileges(items: PrivilegeItem[], level: Level): ExpandedPrivileges {
  const out: ExpandedPrivileges = { statics: [], dynamics: [], columns: new Map(), all: false, grantOption: false };
  const allowed = levelPrivileges(level);
  for (const item of items) {
    const name = item.name.toUpperCase().replace(/\s+/g, ' ');
    if (item.columns && item.columns.length) {
      if (level.kind !== 'table') throw sqlError('ER_ILLEGAL_GRANT_FOR_TABLE');
      if (!COLUMN_PRIVILEGES.includes(name as never)) throw sqlError('ER_ILLEGAL_GRANT_FOR_TABLE');
      const list = out.columns.get(name) ?? [];
      for (const c of item.columns) if (!list.some((x) => x.toLowerCase() === c.toLowerCase())) list.push(c);
      out.columns.set(name, list);
      continue;
    }
    if (name === 'ALL' || name === 'ALL PRIVILEGES') {
      out.all = true;
      out.statics.push(...allowed);
      if (level.kind === 'global') out.dynamics.push(...DYNAMIC_PRIVILEGES);
      continue;
    }
    if (name === 'USAGE') continue;
    if (name === GRANT_OPTION || name === 'GRANT') {
      out.grantOption = true;
      continue;
    }
    if (isStaticPrivilege(name)) {
      if (!allowed.includes(name)) {
        if (level.kind === 'db') throw sqlError('ER_WRONG_USAGE', 'DB GRANT', 'GLOBAL PRIVILEGES');
        throw sqlError('ER_ILLEGAL_GRANT_FOR_TABLE');
      }
      out.statics.push(name);
      continue;
    }
    if (isDynamicPrivilege(name) || /^[A-Z0-9_]+$/.test(name)) {
      if (level.kind !== 'global') throw sqlError('ER_ILLEGAL_PRIVILEGE_LEVEL', name);
      if (!isDynamicPrivilege(name)) throw sqlError('ER_SYNTAX_ERROR');
      out.dynamics.push(name);
      continue;
    }
    throw sqlError('ER_SYNTAX_ERROR');
  }
  out.statics = sortStatic(out.statics);
  out.dynamics = [...new Set(out.dynamics)];
  return out;
}

/**
 * The grantor must hold GRANT OPTION and every granted privilege at the target level.
 * Failure texts follow MySQL: 1045 (global), 1044 (database), 1142 (table), 1227 (dynamic).
 * @req CORE-PRIV-004
 */
function checkGrantor(ctx: SecurityContext, level: Level, p: ExpandedPrivileges, env: AccountStatementEnv, verb: 'GRANT' | 'REVOKE'): void {
  if (ctx.skipGrants) return;
  const needed = [...p.statics, ...p.columns.keys(), GRANT_OPTION];
  switch (level.kind) {
    case 'global': {
      const staticOk = needed.every((x) => hasGlobal(ctx, x));
      if (!staticOk && (p.statics.length > 0 || !p.dynamics.length)) {
        throw sqlError('ER_ACCESS_DENIED_ERROR', ctx.privUser, ctx.privHost, env.usedPassword === false ? 'NO' : 'YES');
      }
      for (const d of p.dynamics) {
        const ok = ctx.acl.state.dynamic.some((g) => g.priv === d && g.withGrantOption && ctx.effective().idSet.has(g.user + '\u0000' + g.host.toLowerCase()));
        if (!ok && !p.all) throw sqlError('ER_SPECIFIC_ACCESS_DENIED_ERROR', 'GRANT OPTION');
      }
      break;
    }
    case 'db':
      if (!needed.every((x) => hasDb(ctx, x, level.db))) {
        throw sqlError('ER_DBACCESS_DENIED_ERROR', ctx.privUser, ctx.privHost, level.db);
      }
      break;
    case 'table':
      if (!needed.every((x) => hasTable(ctx, x, level.db, level.table))) {
        throw sqlError('ER_TABLEACCESS_DENIED_ERROR', verb, ctx.privUser, ctx.host, deniedTableName(level.db, level.table));
      }
      break;
    case 'routine':
      if (!needed.every((x) => hasRoutine(ctx, x, level.db, level.name, level.type))) {
        throw sqlError('ER_DBACCESS_DENIED_ERROR', ctx.privUser, ctx.privHost, level.db);
      }
      break;
  }
}

function addAll(list: string[], add: readonly string[]): string[] {
  return sortStatic([...list, ...add]);
}

/** @req CORE-ACCT-046 */
function grantPrivileges(acl: Acl, ctx: SecurityContext, stmt: GrantStatement, env: AccountStatementEnv): void {
  if (stmt.proxy) {
    grantProxy(acl, ctx, stmt);
    return;
  }
  const level = resolveLevel(stmt.target, env);
  const p = expandPrivileges(stmt.privileges, level);
  checkGrantor(ctx, level, p, env, 'GRANT');
  if (level.kind === 'table' && env.tableExists && !env.tableExists(level.db, level.table)) {
    throw sqlError('ER_NO_SUCH_TABLE', level.db, level.table);
  }
  if (level.kind === 'table' && env.columnExists) {
    for (const cols of p.columns.values()) {
      for (const c of cols) {
        if (!env.columnExists(level.db, level.table, c)) throw sqlError('ER_BAD_FIELD_ERROR', c, level.table);
      }
    }
  }
  const keys = stmt.users.map((u) => resolveName(ctx, u));
  const extra = stmt.withGrantOption ? [GRANT_OPTION] : [];
  const now = Date.now();
  const grantor = `${ctx.privUser}@${ctx.privHost}`;
  acl.update((draft) => {
    for (const key of keys) {
      const u = findIn(draft, key);
      if (!u) throw sqlError('ER_CANT_CREATE_USER_WITH_GRANT');
      switch (level.kind) {
        case 'global':
          u.globalPrivs = addAll(u.globalPrivs, [...p.statics, ...extra]);
          for (const d of p.dynamics) {
            const g = draft.dynamic.find((x) => sameAccount(x, key) && x.priv === d);
            if (g) g.withGrantOption ||= stmt.withGrantOption;
            else draft.dynamic.push({ user: key.user, host: key.host, priv: d, withGrantOption: stmt.withGrantOption });
          }
          break;
        case 'db': {
          let g = draft.db.find((x) => sameAccount(x, key) && x.db === level.db);
          if (!g) {
            g = { user: key.user, host: key.host, db: level.db, privs: [] };
            draft.db.push(g);
          }
          g.privs = addAll(g.privs, [...p.statics, ...extra]);
          break;
        }
        case 'table': {
          const tPrivs = [...p.statics, ...extra];
          let g = draft.tables.find((x) => sameAccount(x, key) && x.db === level.db && x.table === level.table);
          if (!g && (tPrivs.length || p.columns.size === 0)) {
            g = { user: key.user, host: key.host, db: level.db, table: level.table, privs: [], grantor, timestamp: now };
            draft.tables.push(g);
          }
          if (g) {
            g.privs = addAll(g.privs, tPrivs);
            g.timestamp = now;
          }
          for (const [priv, cols] of p.columns) {
            for (const c of cols) {
              let cg = draft.columns.find(
                (x) => sameAccount(x, key) && x.db === level.db && x.table === level.table && x.column.toLowerCase() === c.toLowerCase(),
              );
              if (!cg) {
                cg = { user: key.user, host: key.host, db: level.db, table: level.table, column: c, privs: [], timestamp: now };
                draft.columns.push(cg);
              }
              cg.privs = addAll(cg.privs, [priv]);
            }
          }
          break;
        }
        case 'routine': {
          let g = draft.routines.find(
            (x) => sameAccount(x, key) && x.db === level.db && x.name.toLowerCase() === level.name.toLowerCase() && x.type === level.type,
          );
          if (!g) {
            g = { user: key.user, host: key.host, db: level.db, name: level.name, type: level.type, privs: [], grantor, timestamp: now };
            draft.routines.push(g);
          }
          g.privs = addAll(g.privs, [...p.statics, ...extra]);
          break;
        }
      }
    }
  });
}

function grantProxy(acl: Acl, ctx: SecurityContext, stmt: GrantStatement): void {
  const proxied = resolveName(ctx, stmt.proxy!);
  const mayGrant =
    ctx.skipGrants ||
    ctx.acl.state.proxies.some(
      (p) => ctx.effective().idSet.has(p.user + '\u0000' + p.host.toLowerCase()) && p.withGrantOption &&
        (p.proxiedUser === '' || sameAccount({ user: p.proxiedUser, host: p.proxiedHost }, proxied)),
    );
  if (!mayGrant) throw sqlError('ER_ACCESS_DENIED_ERROR', ctx.privUser, ctx.privHost, 'YES');
  const keys = stmt.users.map((u) => resolveName(ctx, u));
  acl.update((draft) => {
    for (const key of keys) {
      if (!findIn(draft, key)) throw sqlError('ER_CANT_CREATE_USER_WITH_GRANT');
      const g = draft.proxies.find((x) => sameAccount(x, key) && x.proxiedUser === proxied.user && x.proxiedHost === proxied.host);
      if (g) g.withGrantOption ||= stmt.withGrantOption;
      else draft.proxies.push({ user: key.user, host: key.host, proxiedUser: proxied.user, proxiedHost: proxied.host, withGrantOption: stmt.withGrantOption });
    }
  });
}

/** @req CORE-ACCT-047 */
function revokePrivileges(acl: Acl, ctx: SecurityContext, stmt: RevokeStatement, env: AccountStatementEnv, warnings: Diagnostic[]): void {
  const keys = stmt.users.map((u) => resolveName(ctx, u));
  const lenient = stmt.ifExists === true;
  if (stmt.allAndGrantOption || !stmt.target) {
    requireGlobal(ctx, 'CREATE USER');
    acl.update((draft) => {
      const missing = keys.filter((k) => !findIn(draft, k));
      if (missing.length) {
        if (stmt.ignoreUnknownUser) {
          for (const m of missing) warnings.push(diagnostic('Warning', 'ER_USER_DOES_NOT_EXIST', m.user, m.host));
        } else {
          throw sqlError('ER_REVOKE_GRANTS');
        }
      }
      for (const key of keys) {
        const u = findIn(draft, key);
        if (!u) continue;
        u.globalPrivs = [];
        const notKey = (r: AccountKey): boolean => !sameAccount(r, key);
        draft.db = draft.db.filter(notKey);
        draft.tables = draft.tables.filter(notKey);
        draft.columns = draft.columns.filter(notKey);
        draft.routines = draft.routines.filter(notKey);
        draft.dynamic = draft.dynamic.filter(notKey);
      }
    });
    return;
  }
  const level = resolveLevel(stmt.target, env);
  const p = expandPrivileges(stmt.privileges, level);
  checkGrantor(ctx, level, p, env, 'REVOKE');
  const remove = new Set<string>([...p.statics, ...(p.grantOption ? [GRANT_OPTION] : [])]);
  acl.update((draft) => {
    for (const key of keys) {
      const u = findIn(draft, key);
      const fail = (err: SqlError): void => {
        if (lenient || (!u && stmt.ignoreUnknownUser)) warnings.push({ level: 'Warning', code: err.errno, message: err.message });
        else throw err;
      };
      if (!u) {
        fail(sqlError('ER_NONEXISTING_GRANT', key.user, key.host));
        continue;
      }
      switch (level.kind) {
        case 'global':
          u.globalPrivs = u.globalPrivs.filter((x) => !remove.has(x));
          draft.dynamic = draft.dynamic.filter((g) => !(sameAccount(g, key) && p.dynamics.includes(g.priv)));
          if (p.grantOption) for (const g of draft.dynamic) if (sameAccount(g, key)) g.withGrantOption = false;
          break;
        case 'db': {
          const g = draft.db.find((x) => sameAccount(x, key) && x.db === level.db);
          if (!g) {
            fail(sqlError('ER_NONEXISTING_GRANT', key.user, key.host));
            break;
          }
          g.privs = g.privs.filter((x) => !remove.has(x));
          draft.db = draft.db.filter((x) => x.privs.length > 0);
          break;
        }
        case 'table': {
          const g = draft.tables.find((x) => sameAccount(x, key) && x.db === level.db && x.table === level.table);
          const cols = draft.columns.filter((x) => sameAccount(x, key) && x.db === level.db && x.table === level.table);
          if (!g && cols.length === 0) {
            fail(sqlError('ER_NONEXISTING_TABLE_GRANT', key.user, key.host, level.table));
            break;
          }
          if (g) g.privs = g.privs.filter((x) => !remove.has(x));
          // Revoking a privilege at table level also removes it from the table's columns.
          for (const c of cols) c.privs = c.privs.filter((x) => !remove.has(x));
          for (const [priv, names] of p.columns) {
            for (const n of names) {
              const c = cols.find((x) => x.column.toLowerCase() === n.toLowerCase());
              if (!c || !c.privs.includes(priv)) {
                fail(sqlError('ER_NONEXISTING_TABLE_GRANT', key.user, key.host, level.table));
                continue;
              }
              c.privs = c.privs.filter((x) => x !== priv);
            }
          }
          draft.tables = draft.tables.filter((x) => x.privs.length > 0);
          draft.columns = draft.columns.filter((x) => x.privs.length > 0);
          break;
        }
        case 'routine': {
          const g = draft.routines.find(
            (x) => sameAccount(x, key) && x.db === level.db && x.name.toLowerCase() === level.name.toLowerCase() && x.type === level.type,
          );
          if (!g) {
            fail(sqlError('ER_NONEXISTING_PROC_GRANT', key.user, key.host, level.name));
            break;
          }
          g.privs = g.privs.filter((x) => !remove.has(x));
          draft.routines = draft.routines.filter((x) => x.privs.length > 0);
          break;
        }
      }
    }
  });
}

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
function grantRoles(acl: Acl, ctx: SecurityContext, stmt: GrantRoleStatement): void {
  const roles = stmt.roles.map((r) => resolveName(ctx, r));
  const users = stmt.users.map((u) => resolveName(ctx, u));
  checkRoleAdmin(ctx, roles);
  acl.update((draft) => {
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
function revokeRoles(acl: Acl, ctx: SecurityContext, stmt: RevokeRoleStatement): void {
  const roles = stmt.roles.map((r) => resolveName(ctx, r));
  const users = stmt.users.map((u) => resolveName(ctx, u));
  checkRoleAdmin(ctx, roles);
  acl.update((draft) => {
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
function setRole(acl: Acl, ctx: SecurityContext, stmt: SetRoleStatement, env: AccountStatementEnv): void {
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

function applyDefaultRoles(
  draft: AclState,
  u: AccountKey,
  mode: 'NONE' | 'ALL' | 'LIST',
  roles: AccountKey[],
  ctx: SecurityContext,
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
  void ctx;
  draft.defaultRoles = draft.defaultRoles.filter((d) => !sameAccount(d, u));
  for (const r of list) draft.defaultRoles.push({ user: u.user, host: u.host, roleUser: r.user, roleHost: r.host });
}

/** @req CORE-ACCT-051 */
function setDefaultRole(
  acl: Acl,
  ctx: SecurityContext,
  users: AccountName[],
  mode: 'NONE' | 'ALL' | 'LIST',
  roles: AccountName[],
  env: AccountStatementEnv,
): void {
  const keys = users.map((u) => resolveName(ctx, u));
  if (!keys.every((k) => isSelf(ctx, k))) requireGlobal(ctx, 'CREATE USER');
  const roleKeys = roles.map((r) => resolveName(ctx, r));
  acl.update((draft) => {
    for (const k of keys) {
      if (!findIn(draft, k)) throw sqlError('ER_UNKNOWN_AUTHID', k.user, k.host);
      applyDefaultRoles(draft, k, mode, roleKeys, ctx, env);
    }
  });
}

// ---------------------------------------------------------------------------------------------
// SHOW GRANTS / SHOW CREATE USER
// ---------------------------------------------------------------------------------------------

/**
 * SHOW GRANTS [FOR account [USING role, ...]]. Without FOR, the session's own account with its
 * active roles. Other user names need SELECT on mysql.user (1142 otherwise).
 * @req CORE-ACCT-060
 */
export function showGrants(acl: Acl, ctx: SecurityContext, stmt: Pick<ShowStatement, 'account' | 'using'>): AccountRowsResult {
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
  return grantsResult(acl, { user: u.user, host: u.host }, expanded);
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
