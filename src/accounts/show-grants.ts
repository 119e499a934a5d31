/**
 * SHOW GRANTS and SHOW CREATE USER: the text MySQL 8.0 prints for an account's privileges and
 * definition. Clients and dump tools parse these lines, so the format follows MySQL exactly:
 * one line for static global privileges (USAGE when none), one for dynamic privileges (names
 * joined by ',' without spaces), one per database, table and routine, proxies, then granted roles.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/show-grants.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/show-create-user.html
 * @req CORE-ACCT-060 CORE-ACCT-061 CORE-ACCT-062
 */
import type { ResultColumn } from '../kernel/column-type.js';
import { ColumnFlag, MysqlType } from '../kernel/column-type.js';
import type { Row } from '../kernel/value.js';
import type { Acl, AccountKey, UserRecord } from './acl.js';
import { backtickAccount, sameAccount } from './acl.js';
import {
  COLUMN_PRIVILEGES,
  DB_PRIVILEGES,
  GRANT_OPTION,
  ROUTINE_PRIVILEGES,
  STATIC_PRIVILEGES,
  TABLE_PRIVILEGES,
  sortStatic,
} from './privilege-names.js';

/** A rows-returning outcome shaped like the session API's RowsResult. */
export interface AccountRowsResult {
  kind: 'rows';
  columns: ResultColumn[];
  rows: Row[];
}

/** A utf8mb4 text column for a computed result set. */
export function textColumn(name: string, chars = 1024): ResultColumn {
  return {
    schema: '', table: '', orgTable: '', name, orgName: '',
    charsetId: 255, length: chars * 4, type: MysqlType.VAR_STRING, flags: ColumnFlag.NOT_NULL, decimals: 31,
  };
}

/** Quote an identifier with backticks, doubling embedded backticks. */
export function quoteIdent(s: string): string {
  return '`' + s.replace(/`/g, '``') + '`';
}

function has(list: readonly string[], p: string): boolean {
  return list.includes(p);
}

/**
 * The privilege list text of one level: 'ALL PRIVILEGES' when every privilege of the level is
 * held, else the canonical-order list.
 */
function levelList(privs: readonly string[], level: readonly string[]): string {
  const plain = privs.filter((p) => p !== GRANT_OPTION);
  if (level.every((p) => has(plain, p))) return 'ALL PRIVILEGES';
  return sortStatic(plain).join(', ');
}

interface Bucket<T> {
  key: string;
  rows: T[];
}

function group<T>(rows: T[], key: (r: T) => string): Bucket<T>[] {
  const m = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = m.get(k);
    if (list) list.push(r);
    else m.set(k, [r]);
  }
  return [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, v]) => ({ key: k, rows: v }));
}

/**
 * The GRANT lines for `account`, merging privileges of `using` roles as SHOW GRANTS ... USING does.
 * @req CORE-ACCT-060
 */
export function grantLines(acl: Acl, account: AccountKey, using: readonly AccountKey[] = [], mandatoryRoles: readonly AccountKey[] = []): string[] {
  const st = acl.state;
  const ids = [account, ...using];
  const mine = <T extends AccountKey>(r: T): boolean => ids.some((a) => sameAccount(a, r));
  const to = backtickAccount(account);
  const out: string[] = [];

  // Global static privileges.
  const global = new Set<string>();
  for (const u of st.users) if (mine(u)) for (const p of u.globalPrivs) global.add(p);
  const globalPlain = sortStatic([...global].filter((p) => p !== GRANT_OPTION));
  const wgo = global.has(GRANT_OPTION) ? ' WITH GRANT OPTION' : '';
  out.push(`GRANT ${globalPlain.length ? globalPlain.join(', ') : 'USAGE'} ON *.* TO ${to}${wgo}`);

  // Dynamic privileges: one line without and one with the grant option.
  const dyn = new Map<string, boolean>();
  for (const g of st.dynamic) if (mine(g)) dyn.set(g.priv, (dyn.get(g.priv) ?? false) || g.withGrantOption);
  const dynPlain = [...dyn].filter(([, w]) => !w).map(([p]) => p).sort();
  const dynGrant = [...dyn].filter(([, w]) => w).map(([p]) => p).sort();
  if (dynPlain.length) out.push(`GRANT ${dynPlain.join(',')} ON *.* TO ${to}`);
  if (dynGrant.length) out.push(`GRANT ${dynGrant.join(',')} ON *.* TO ${to} WITH GRANT OPTION`);

  // Database level.
  for (const b of group(st.db.filter(mine), (g) => g.db)) {
    const privs = [...new Set(b.rows.flatMap((r) => r.privs))];
    const plain = privs.filter((p) => p !== GRANT_OPTION);
    const w = privs.includes(GRANT_OPTION) ? ' WITH GRANT OPTION' : '';
    out.push(`GRANT ${plain.length ? levelList(plain, DB_PRIVILEGES) : 'USAGE'} ON ${quoteIdent(b.key)}.* TO ${to}${w}`);
  }

  // Table and column level, merged per table.
  const tableKeys = new Map<string, { db: string; table: string }>();
  for (const g of st.tables) if (mine(g)) tableKeys.set(g.db + '\u0000' + g.table, { db: g.db, table: g.table });
  for (const g of st.columns) if (mine(g)) tableKeys.set(g.db + '\u0000' + g.table, { db: g.db, table: g.table });
  for (const k of [...tableKeys.keys()].sort()) {
    const { db, table } = tableKeys.get(k)!;
    const tprivs = new Set(st.tables.filter((g) => mine(g) && g.db === db && g.table === table).flatMap((g) => g.privs));
    const cols = st.columns.filter((g) => mine(g) && g.db === db && g.table === table);
    const parts: string[] = [];
    const tplain = [...tprivs].filter((p) => p !== GRANT_OPTION);
    if (tplain.length && TABLE_PRIVILEGES.every((p) => tprivs.has(p))) {
      parts.push('ALL PRIVILEGES');
    } else {
      for (const p of STATIC_PRIVILEGES) {
        const colNames = COLUMN_PRIVILEGES.includes(p) ? cols.filter((c) => c.privs.includes(p)).map((c) => c.column) : [];
        if (tprivs.has(p)) parts.push(p);
        if (colNames.length) parts.push(`${p} (${[...new Set(colNames)].map(quoteIdent).join(', ')})`);
      }
    }
    const w = tprivs.has(GRANT_OPTION) ? ' WITH GRANT OPTION' : '';
    out.push(`GRANT ${parts.length ? parts.join(', ') : 'USAGE'} ON ${quoteIdent(db)}.${quoteIdent(table)} TO ${to}${w}`);
  }

  // Routines.
  for (const b of group(st.routines.filter(mine), (g) => `${g.type}\u0000${g.db}\u0000${g.name}`)) {
    const r0 = b.rows[0]!;
    const privs = new Set(b.rows.flatMap((r) => r.privs));
    const plain = ROUTINE_PRIVILEGES.filter((p) => privs.has(p));
    const w = privs.has(GRANT_OPTION) ? ' WITH GRANT OPTION' : '';
    out.push(`GRANT ${plain.length ? plain.join(', ') : 'USAGE'} ON ${r0.type} ${quoteIdent(r0.db)}.${quoteIdent(r0.name)} TO ${to}${w}`);
  }

  // Proxies (only the account's own).
  for (const p of st.proxies.filter((g) => sameAccount(g, account))) {
    out.push(`GRANT PROXY ON ${backtickAccount({ user: p.proxiedUser, host: p.proxiedHost })} TO ${to}${p.withGrantOption ? ' WITH GRANT OPTION' : ''}`);
  }

  // Roles granted to the account itself.
  const edges = st.roleEdges.filter((e) => e.toUser === account.user && e.toHost === account.host.toLowerCase());
  const plainRoles = edges.filter((e) => !e.withAdminOption).map((e) => backtickAccount({ user: e.fromUser, host: e.fromHost }));
  // Mandatory roles are listed for the session's own account like granted ones.
  for (const m of mandatoryRoles) {
    const text = backtickAccount(m);
    if (!edges.some((e) => sameAccount({ user: e.fromUser, host: e.fromHost }, m)) && !plainRoles.includes(text)) plainRoles.push(text);
  }
  const adminRoles = edges.filter((e) => e.withAdminOption).map((e) => backtickAccount({ user: e.fromUser, host: e.fromHost }));
  if (plainRoles.length) out.push(`GRANT ${plainRoles.sort().join(',')} TO ${to}`);
  if (adminRoles.length) out.push(`GRANT ${adminRoles.sort().join(',')} TO ${to} WITH ADMIN OPTION`);
  return out;
}

/** The SHOW GRANTS result set (header `Grants for u@h`). @req CORE-ACCT-060 */
export function grantsResult(acl: Acl, account: AccountKey, using: readonly AccountKey[] = [], mandatoryRoles: readonly AccountKey[] = []): AccountRowsResult {
  return {
    kind: 'rows',
    columns: [textColumn(`Grants for ${account.user}@${account.host}`)],
    rows: grantLines(acl, account, using, mandatoryRoles).map((l) => [l]),
  };
}

function sqlString(s: string): string {
  return "'" + s.replace(/\\/g, '\\\\').replace(/'/g, "\\'") + "'";
}

/**
 * The CREATE USER statement that recreates an account (SHOW CREATE USER).
 * @req CORE-ACCT-061
 */
export function createUserText(acl: Acl, u: UserRecord): string {
  let s = `CREATE USER ${backtickAccount(u)} IDENTIFIED WITH ${sqlString(u.plugin)}`;
  if (u.authString !== '') s += ` AS ${sqlString(u.authString)}`;
  const defaults = acl.state.defaultRoles.filter((d) => sameAccount(d, u));
  if (defaults.length) s += ` DEFAULT ROLE ${defaults.map((d) => backtickAccount({ user: d.roleUser, host: d.roleHost })).join(',')}`;
  s += ' REQUIRE ';
  switch (u.ssl.type) {
    case 'NONE':
      s += 'NONE';
      break;
    case 'SSL':
      s += 'SSL';
      break;
    case 'X509':
      s += 'X509';
      break;
    default: {
      const parts: string[] = [];
      if (u.ssl.issuer !== undefined) parts.push(`ISSUER ${sqlString(u.ssl.issuer)}`);
      if (u.ssl.subject !== undefined) parts.push(`SUBJECT ${sqlString(u.ssl.subject)}`);
      if (u.ssl.cipher !== undefined) parts.push(`CIPHER ${sqlString(u.ssl.cipher)}`);
      s += parts.join(' AND ');
    }
  }
  const limits: string[] = [];
  if (u.maxQuestions) limits.push(`MAX_QUERIES_PER_HOUR ${u.maxQuestions}`);
  if (u.maxUpdates) limits.push(`MAX_UPDATES_PER_HOUR ${u.maxUpdates}`);
  if (u.maxConnections) limits.push(`MAX_CONNECTIONS_PER_HOUR ${u.maxConnections}`);
  if (u.maxUserConnections) limits.push(`MAX_USER_CONNECTIONS ${u.maxUserConnections}`);
  if (limits.length) s += ' WITH ' + limits.join(' ');
  s += ' PASSWORD EXPIRE';
  if (!u.passwordExpired) {
    if (u.passwordLifetime === null) s += ' DEFAULT';
    else if (u.passwordLifetime === 0) s += ' NEVER';
    else s += ` INTERVAL ${u.passwordLifetime} DAY`;
  }
  s += u.locked ? ' ACCOUNT LOCK' : ' ACCOUNT UNLOCK';
  s += ' PASSWORD HISTORY DEFAULT PASSWORD REUSE INTERVAL DEFAULT PASSWORD REQUIRE CURRENT DEFAULT';
  const meta = u.attributes?.['metadata'];
  if (meta && typeof meta === 'object') {
    const m = meta as Record<string, unknown>;
    const keys = Object.keys(m);
    if (keys.length === 1 && keys[0] === 'comment' && typeof m['comment'] === 'string') s += ` COMMENT ${sqlString(m['comment'])}`;
    else if (keys.length) s += ` ATTRIBUTE ${sqlString(JSON.stringify(m))}`;
  }
  return s;
}

/** The SHOW CREATE USER result set (header `CREATE USER for u@h`). @req CORE-ACCT-061 */
export function createUserResult(acl: Acl, u: UserRecord): AccountRowsResult {
  return {
    kind: 'rows',
    columns: [textColumn(`CREATE USER for ${u.user}@${u.host}`)],
    rows: [[createUserText(acl, u)]],
  };
}
