/**
 * CREATE USER, CREATE ROLE, ALTER USER, SET PASSWORD, DROP USER / DROP ROLE and RENAME USER.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/create-user.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/alter-user.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/drop-user.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/rename-user.html
 * @req CORE-ACCT-041 CORE-ACCT-042 CORE-ACCT-043 CORE-ACCT-044 CORE-ACCT-045 CORE-ACCT-049 CORE-ACCT-053
 */
import { randomBytes } from 'node:crypto';
import type {
  AccountName,
  AlterUserStatement,
  CreateRoleStatement,
  CreateUserStatement,
  RenameUserStatement,
  SetPasswordStatement,
} from '../sql/ast.js';
import { diagnostic, sqlError, type Diagnostic } from '../kernel/errors.js';
import type { AccountKey, AclState, Acl, UserRecord } from './acl.js';
import { accountKey, newUserRecord, sameAccount } from './acl.js';
import { KNOWN_PLUGINS, SHA2_PLUGIN, hashPassword, isValidAuthString } from './credentials.js';
import { mergePasswordOption } from './grant-table-rows.js';
import { hasDb, hasGlobal, requireGlobal, type SecurityContext } from './privileges.js';
import { applyDefaultRoles } from './role-statements.js';
import { textColumn } from './show-grants.js';
import {
  cannotUser,
  checkNameLengths,
  findIn,
  isSelf,
  resolveName,
  type AccountStatementEnv,
  type AccountStatementOutcome,
} from './statement-env.js';

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
      else {
        // Canonical form (one entry per option kind, fixed order, defaults left out), which is
        // what the mysql.user columns can give back (grant-table-rows.ts).
        const merged = mergePasswordOption(u.passwordOptions, o);
        if (merged) u.passwordOptions = merged;
        else delete u.passwordOptions;
      }
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
export async function createUser(acl: Acl, ctx: SecurityContext, stmt: CreateUserStatement, env: AccountStatementEnv, warnings: Diagnostic[]): Promise<AccountStatementOutcome> {
  requireGlobal(ctx, 'CREATE USER');
  const generated: { user: string; host: string; password: string }[] = [];
  const roles = (stmt.defaultRoles ?? []).map((r) => resolveName(ctx, r));
  await acl.update((draft) => {
    for (const r of roles) if (!findIn(draft, r)) throw sqlError('ER_USER_DOES_NOT_EXIST', r.user, r.host);
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
export async function createRole(acl: Acl, ctx: SecurityContext, stmt: CreateRoleStatement, env: AccountStatementEnv, warnings: Diagnostic[]): Promise<void> {
  requireGlobal(ctx, ['CREATE ROLE', 'CREATE USER']);
  await acl.update((draft) => {
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
export async function alterUser(acl: Acl, ctx: SecurityContext, stmt: AlterUserStatement, env: AccountStatementEnv, warnings: Diagnostic[]): Promise<void> {
  const keys = stmt.users.map((s) => resolveName(ctx, s.account));
  // Changing only one's own password needs no privilege; anything else needs CREATE USER.
  const selfOnly =
    keys.every((k) => isSelf(ctx, k)) &&
    !stmt.require && !stmt.resourceOptions && stmt.accountLock === undefined && !stmt.defaultRole &&
    stmt.comment === undefined && stmt.attribute === undefined &&
    (stmt.passwordOptions ?? []).length === 0;
  if (!selfOnly) requireGlobal(ctx, 'CREATE USER');
  const changed: AccountKey[] = [];
  await acl.update((draft) => {
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
        applyDefaultRoles(draft, u, stmt.defaultRole.mode, stmt.defaultRole.roles.map((r) => resolveName(ctx, r)), env);
      }
    });
    if (failed.length) throw cannotUser('ALTER USER', failed);
  });
  for (const k of changed) acl.emitCredentialsChanged(k);
}

/** @req CORE-ACCT-049 */
export async function setPassword(acl: Acl, ctx: SecurityContext, stmt: SetPasswordStatement): Promise<void> {
  const key = stmt.account ? resolveName(ctx, stmt.account) : accountKey(ctx.privUser, ctx.privHost);
  if (!stmt.account || stmt.account.current) {
    if (ctx.privUser === '') throw sqlError('ER_PASSWORD_ANONYMOUS_USER');
  }
  if (!isSelf(ctx, key) && !hasGlobal(ctx, 'CREATE USER') && !hasDb(ctx, 'UPDATE', 'mysql')) {
    throw sqlError('ER_DBACCESS_DENIED_ERROR', ctx.privUser, ctx.privHost, 'mysql');
  }
  await acl.update((draft) => {
    const u = findIn(draft, key);
    if (!u) throw sqlError('ER_PASSWORD_NO_MATCH');
    u.authString = hashPassword(u.plugin, stmt.password);
    u.passwordExpired = false;
    u.passwordLastChanged = Date.now();
  });
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
export async function dropAccounts(
  acl: Acl,
  ctx: SecurityContext,
  names: AccountName[],
  ifExists: boolean,
  op: 'DROP USER' | 'DROP ROLE',
  privs: string[],
  warnings: Diagnostic[],
): Promise<void> {
  requireGlobal(ctx, privs);
  const dropped: AccountKey[] = [];
  await acl.update((draft) => {
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
export async function renameUser(acl: Acl, ctx: SecurityContext, stmt: RenameUserStatement): Promise<void> {
  requireGlobal(ctx, 'CREATE USER');
  const moved: AccountKey[] = [];
  await acl.update((draft) => {
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
