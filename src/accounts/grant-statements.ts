/**
 * GRANT and REVOKE of privileges (global, database, table, column, routine, proxy): level
 * validation, ALL expansion, the grantor's own-privilege check, and the grant-table updates.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/grant.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/revoke.html
 * @req CORE-ACCT-046 CORE-ACCT-047 CORE-PRIV-003 CORE-PRIV-004
 */
import type { GrantStatement, GrantTarget, PrivilegeItem, RevokeStatement } from '../sql/ast.js';
import { diagnostic, sqlError, SqlError, type Diagnostic } from '../kernel/errors.js';
import type { AccountKey, Acl } from './acl.js';
import { sameAccount } from './acl.js';
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
import { deniedTableName, hasDb, hasGlobal, hasRoutine, hasTable, requireGlobal, type SecurityContext } from './privileges.js';
import { findIn, resolveName, type AccountStatementEnv } from './statement-env.js';

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
export async function grantPrivileges(acl: Acl, ctx: SecurityContext, stmt: GrantStatement, env: AccountStatementEnv): Promise<void> {
  if (stmt.proxy) {
    await grantProxy(acl, ctx, stmt);
    return;
  }
  const level = resolveLevel(stmt.target, env);
  const p = expandPrivileges(stmt.privileges, level);
  checkGrantor(ctx, level, p, env, 'GRANT');
  // GRANT ALL ON *.* passes on only the dynamic privileges the grantor may grant.
  if (p.all && !ctx.skipGrants) {
    const ids = ctx.effective().idSet;
    p.dynamics = p.dynamics.filter((d) =>
      ctx.acl.state.dynamic.some((g) => g.priv === d && g.withGrantOption && ids.has(g.user + '\u0000' + g.host.toLowerCase())),
    );
  }
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
  await acl.update((draft) => {
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

async function grantProxy(acl: Acl, ctx: SecurityContext, stmt: GrantStatement): Promise<void> {
  const proxied = resolveName(ctx, stmt.proxy!);
  const mayGrant =
    ctx.skipGrants ||
    ctx.acl.state.proxies.some(
      (p) => ctx.effective().idSet.has(p.user + '\u0000' + p.host.toLowerCase()) && p.withGrantOption &&
        (p.proxiedUser === '' || sameAccount({ user: p.proxiedUser, host: p.proxiedHost }, proxied)),
    );
  if (!mayGrant) throw sqlError('ER_ACCESS_DENIED_ERROR', ctx.privUser, ctx.privHost, 'YES');
  const keys = stmt.users.map((u) => resolveName(ctx, u));
  await acl.update((draft) => {
    for (const key of keys) {
      if (!findIn(draft, key)) throw sqlError('ER_CANT_CREATE_USER_WITH_GRANT');
      const g = draft.proxies.find((x) => sameAccount(x, key) && x.proxiedUser === proxied.user && x.proxiedHost === proxied.host);
      if (g) g.withGrantOption ||= stmt.withGrantOption;
      else draft.proxies.push({ user: key.user, host: key.host, proxiedUser: proxied.user, proxiedHost: proxied.host, withGrantOption: stmt.withGrantOption });
    }
  });
}

/** @req CORE-ACCT-047 */
export async function revokePrivileges(acl: Acl, ctx: SecurityContext, stmt: RevokeStatement, env: AccountStatementEnv, warnings: Diagnostic[]): Promise<void> {
  const keys = stmt.users.map((u) => resolveName(ctx, u));
  const lenient = stmt.ifExists === true;
  if (stmt.allAndGrantOption || !stmt.target) {
    requireGlobal(ctx, 'CREATE USER');
    await acl.update((draft) => {
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
  await acl.update((draft) => {
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
