/**
 * The nine MySQL 8.0 grant tables (mysql.user, mysql.db, mysql.tables_priv, mysql.columns_priv,
 * mysql.procs_priv, mysql.global_grants, mysql.role_edges, mysql.default_roles,
 * mysql.proxies_priv) as table definitions, and the pure mapping between their rows and the
 * in-memory {@link AclState}. The forward direction ({@link grantTableRows}) says what each
 * table holds for a state, in the value representation the executor hands a storage engine;
 * the reverse ({@link aclStateFromGrantRows}) rebuilds the state from rows, including rows a
 * user wrote with INSERT/UPDATE/DELETE before FLUSH PRIVILEGES. No storage happens here: the
 * grant-table views and, later, the InnoDB-backed ACL store are built on this module.
 *
 * The mapping is lossless for every state the account statements produce: state -> rows ->
 * state gives the same state, with two deliberate exceptions that the columns cannot carry:
 * - TIMESTAMP columns hold whole seconds, so `passwordLastChanged` and the grant `timestamp`
 *   fields come back truncated to the second. Timestamps are broken down in UTC.
 * - JSON objects (User_attributes) come back with their keys in MySQL's JSON storage order
 *   (shorter keys first), as any JSON column value does; the object is otherwise the same.
 *
 * Where each part of an account lives:
 * - `passwordOptions` go where MySQL keeps them: PASSWORD HISTORY in Password_reuse_history,
 *   PASSWORD REUSE INTERVAL in Password_reuse_time, PASSWORD REQUIRE CURRENT [OPTIONAL] in
 *   Password_require_current ('Y' / 'N'; NULL = DEFAULT), FAILED_LOGIN_ATTEMPTS and
 *   PASSWORD_LOCK_TIME in User_attributes under "Password_locking" (both keys written when
 *   either is set; -1 lock days = UNBOUNDED). The reverse writes them back in the canonical
 *   order {@link canonicalPasswordOptions} defines, which is also the order the statements
 *   keep (user-statements.ts merges each option through {@link mergePasswordOption}).
 * - A few things no MySQL column distinguishes are kept in User_attributes under the key
 *   "refmysql": REQUIRE CIPHER/ISSUER/SUBJECT given as an empty string (the BLOB columns hold
 *   '' for both "absent" and "empty"), and password options this module does not recognise.
 *   The key is written only when needed, so accounts the statements normally create have none.
 * - Column privileges: mysql.tables_priv has a row whenever the account holds table or column
 *   privileges on the table; Column_priv summarises the columns_priv rows. The state keeps a
 *   TableGrant only when GRANT created one (a column-only GRANT does not; GRANT USAGE ON db.t
 *   does, with no privileges), so a tables_priv row written only to carry Column_priv has an
 *   empty Grantor and an empty Table_priv, and the reverse makes no TableGrant from such a row.
 *   Real TableGrants always name their grantor (`user@host`).
 *
 * The forward direction writes each primary key once (the first occurrence wins), since a
 * table cannot hold two rows with one key; the only state the statements make that this
 * affects is a DEFAULT ROLE list naming a role twice, which becomes one default_roles row.
 * Integers are carried exactly in the columns; the statements do not yet check MySQL's ranges
 * (the SMALLINT UNSIGNED columns hold up to 65535), which a stored table will enforce.
 *
 * Reading rows back is lenient: a row whose shape does not fit (not an array, too short, a key
 * column that is not text) is skipped; a later row with the same primary key as an earlier one
 * is skipped; unknown ENUM/SET members and unknown privilege names are dropped (a global_grants
 * row naming an unknown dynamic privilege, or a procs_priv row with an unknown Routine_type, is
 * skipped); a NULL or a value of the wrong type reads as the field's empty value (0, '',
 * false; NULL where the state allows it; a NULL password_last_changed reads as 0);
 * User_attributes that is not a JSON object is ignored. Host columns are lower-cased the way
 * account names are. As in MySQL, columns_priv rows are read only for tables whose
 * tables_priv row has a non-empty Column_priv; the Column_priv text itself is otherwise only a
 * summary and is not read. Grants are not checked against mysql.user (MySQL loads them too).
 * The state's lists follow the order of the rows given; a stored table returns its rows in
 * primary-key order, so after a reload the lists come back in that order.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/grant-tables.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/create-user.html#create-user-password-management
 * @spec https://dev.mysql.com/doc/refman/8.0/en/password-management.html
 * @req CORE-ACCT-080 CORE-DICT-014
 */
import type { ColumnDef, TableDef } from '../kernel/table-def.js';
import type { ColumnType } from '../kernel/column-type.js';
import { Temporal, type Row, type Value } from '../kernel/value.js';
import { normalizeJsonText } from '../sql/types/json.js';
import { systemColumn, systemTableDef } from '../catalog/system-table-def.js';
import type {
  AclState, ColumnGrant, DbGrant, DefaultRole, DynamicGrant, ProxyGrant, RoleEdge, RoutineGrant, SslRequirement, TableGrant, UserRecord,
} from './acl.js';
import { emptyAclState } from './acl.js';
import {
  COLUMN_PRIV_SET_NAMES, DB_PRIV_COLUMNS, GRANT_OPTION, TABLE_PRIV_SET_NAMES, USER_PRIV_COLUMNS, isDynamicPrivilege, sortStatic,
} from './privilege-names.js';

// ---------------------------------------------------------------------------------------------
// Table definitions
// ---------------------------------------------------------------------------------------------

const YN: ColumnType = { name: 'ENUM', values: ['N', 'Y'], charset: 'utf8mb3', collation: 'utf8mb3_general_ci' };
const charCol = (n: number, collation = 'utf8mb3_bin'): ColumnType => ({ name: 'CHAR', length: n, charset: 'utf8mb3', collation });
const GRANTOR: ColumnType = { name: 'VARCHAR', length: 288, charset: 'utf8mb3', collation: 'utf8mb3_bin' };

const col = systemColumn;

/** The grant Timestamp columns: NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP. */
function nowCol(name: string): ColumnDef {
  return { ...col(name, { name: 'TIMESTAMP' }), defaultExpr: 'CURRENT_TIMESTAMP', onUpdateNow: true };
}

function def(id: number, name: string, columns: ColumnDef[], primaryKey: string[], comment: string): TableDef {
  return systemTableDef({ id, name, columns, primaryKey, charset: 'utf8mb3', collation: 'utf8mb3_bin', comment });
}

const ROLE_PRIV_COLUMNS = new Set(['Create_role_priv', 'Drop_role_priv']);
const USER_FIRST_PRIVS = USER_PRIV_COLUMNS.filter(([c]) => !ROLE_PRIV_COLUMNS.has(c));
const USER_ROLE_PRIVS = USER_PRIV_COLUMNS.filter(([c]) => ROLE_PRIV_COLUMNS.has(c));

// Fixed ids for the computed views (a stored grant table gets its id from the catalog when it is created).
const USER_DEF = def(
  -1001,
  'user',
  [
    col('Host', charCol(255, 'ascii_general_ci'), false, ''),
    col('User', charCol(32), false, ''),
    ...USER_FIRST_PRIVS.map(([c]) => col(c, YN, false, 'N')),
    col('ssl_type', { name: 'ENUM', values: ['', 'ANY', 'X509', 'SPECIFIED'], charset: 'utf8mb3', collation: 'utf8mb3_general_ci' }, false, ''),
    col('ssl_cipher', { name: 'BLOB' }),
    col('x509_issuer', { name: 'BLOB' }),
    col('x509_subject', { name: 'BLOB' }),
    col('max_questions', { name: 'INT', unsigned: true }, false, 0n),
    col('max_updates', { name: 'INT', unsigned: true }, false, 0n),
    col('max_connections', { name: 'INT', unsigned: true }, false, 0n),
    col('max_user_connections', { name: 'INT', unsigned: true }, false, 0n),
    col('plugin', charCol(64), false, 'caching_sha2_password'),
    col('authentication_string', { name: 'TEXT', charset: 'utf8mb3', collation: 'utf8mb3_bin' }, true),
    col('password_expired', YN, false, 'N'),
    col('password_last_changed', { name: 'TIMESTAMP' }, true),
    col('password_lifetime', { name: 'SMALLINT', unsigned: true }, true),
    col('account_locked', YN, false, 'N'),
    ...USER_ROLE_PRIVS.map(([c]) => col(c, YN, false, 'N')),
    col('Password_reuse_history', { name: 'SMALLINT', unsigned: true }, true),
    col('Password_reuse_time', { name: 'SMALLINT', unsigned: true }, true),
    col('Password_require_current', YN, true),
    col('User_attributes', { name: 'JSON' }, true),
  ],
  ['Host', 'User'],
  'Users and global privileges',
);

const DB_DEF = def(
  -1002,
  'db',
  [col('Host', charCol(255, 'ascii_general_ci'), false, ''), col('Db', charCol(64), false, ''), col('User', charCol(32), false, ''),
    ...DB_PRIV_COLUMNS.map(([c]) => col(c, YN, false, 'N'))],
  ['Host', 'Db', 'User'],
  'Database privileges',
);

const TABLE_PRIV_SET: ColumnType = { name: 'SET', values: TABLE_PRIV_SET_NAMES.map(([n]) => n), charset: 'utf8mb3', collation: 'utf8mb3_general_ci' };
const COLUMN_PRIV_SET: ColumnType = { name: 'SET', values: COLUMN_PRIV_SET_NAMES.map(([n]) => n), charset: 'utf8mb3', collation: 'utf8mb3_general_ci' };
/** Proc_priv SET members in mysql.procs_priv order ('Grant' = GRANT OPTION). */
const PROC_PRIV_SET_NAMES: readonly [string, string][] = [['Execute', 'EXECUTE'], ['Alter Routine', 'ALTER ROUTINE'], ['Grant', GRANT_OPTION]];

const TABLES_PRIV_DEF = def(
  -1003,
  'tables_priv',
  [col('Host', charCol(255, 'ascii_general_ci'), false, ''), col('Db', charCol(64), false, ''), col('User', charCol(32), false, ''),
    col('Table_name', charCol(64), false, ''), col('Grantor', GRANTOR, false, ''),
    nowCol('Timestamp'), col('Table_priv', TABLE_PRIV_SET, false, ''), col('Column_priv', COLUMN_PRIV_SET, false, '')],
  ['Host', 'Db', 'User', 'Table_name'],
  'Table privileges',
);

const COLUMNS_PRIV_DEF = def(
  -1004,
  'columns_priv',
  [col('Host', charCol(255, 'ascii_general_ci'), false, ''), col('Db', charCol(64), false, ''), col('User', charCol(32), false, ''),
    col('Table_name', charCol(64), false, ''), col('Column_name', charCol(64, 'utf8mb3_general_ci'), false, ''),
    nowCol('Timestamp'), col('Column_priv', COLUMN_PRIV_SET, false, '')],
  ['Host', 'Db', 'User', 'Table_name', 'Column_name'],
  'Column privileges',
);

const PROCS_PRIV_DEF = def(
  -1005,
  'procs_priv',
  [col('Host', charCol(255, 'ascii_general_ci'), false, ''), col('Db', charCol(64), false, ''), col('User', charCol(32), false, ''),
    col('Routine_name', charCol(64, 'utf8mb3_general_ci'), false, ''),
    col('Routine_type', { name: 'ENUM', values: ['FUNCTION', 'PROCEDURE'], charset: 'utf8mb3', collation: 'utf8mb3_bin' }),
    col('Grantor', GRANTOR, false, ''),
    col('Proc_priv', { name: 'SET', values: PROC_PRIV_SET_NAMES.map(([n]) => n), charset: 'utf8mb3', collation: 'utf8mb3_general_ci' }, false, ''),
    nowCol('Timestamp')],
  ['Host', 'Db', 'User', 'Routine_name', 'Routine_type'],
  'Procedure privileges',
);

const GLOBAL_GRANTS_DEF = def(
  -1006,
  'global_grants',
  [col('USER', charCol(32), false, ''), col('HOST', charCol(255, 'ascii_general_ci'), false, ''),
    col('PRIV', charCol(32, 'utf8mb3_general_ci'), false, ''),
    col('WITH_GRANT_OPTION', YN, false, 'N')],
  ['USER', 'HOST', 'PRIV'],
  'Extended global grants',
);

const ROLE_EDGES_DEF = def(
  -1007,
  'role_edges',
  [col('FROM_HOST', charCol(255, 'ascii_general_ci'), false, ''), col('FROM_USER', charCol(32), false, ''),
    col('TO_HOST', charCol(255, 'ascii_general_ci'), false, ''), col('TO_USER', charCol(32), false, ''),
    col('WITH_ADMIN_OPTION', YN, false, 'N')],
  ['FROM_HOST', 'FROM_USER', 'TO_HOST', 'TO_USER'],
  'Role hierarchy and role grants',
);

const DEFAULT_ROLES_DEF = def(
  -1008,
  'default_roles',
  [col('HOST', charCol(255, 'ascii_general_ci'), false, ''), col('USER', charCol(32), false, ''),
    col('DEFAULT_ROLE_HOST', charCol(255, 'ascii_general_ci'), false, '%'), col('DEFAULT_ROLE_USER', charCol(32), false, '')],
  ['HOST', 'USER', 'DEFAULT_ROLE_HOST', 'DEFAULT_ROLE_USER'],
  'Default roles',
);

const PROXIES_PRIV_DEF = def(
  -1009,
  'proxies_priv',
  [col('Host', charCol(255, 'ascii_general_ci'), false, ''), col('User', charCol(32), false, ''),
    col('Proxied_host', charCol(255, 'ascii_general_ci'), false, ''), col('Proxied_user', charCol(32), false, ''),
    col('With_grant', { name: 'TINYINT' }, false, 0n), col('Grantor', GRANTOR, false, ''),
    nowCol('Timestamp')],
  ['Host', 'User', 'Proxied_host', 'Proxied_user'],
  'User proxy privileges',
);

/**
 * The grant tables of schema `mysql`, in MySQL's order: user, db, tables_priv, columns_priv,
 * procs_priv, global_grants, role_edges, default_roles, proxies_priv. Ids are fixed (-1001 ..
 * -1009). @req CORE-ACCT-080
 */
export const GRANT_TABLE_DEFS: readonly TableDef[] = [
  USER_DEF, DB_DEF, TABLES_PRIV_DEF, COLUMNS_PRIV_DEF, PROCS_PRIV_DEF, GLOBAL_GRANTS_DEF, ROLE_EDGES_DEF, DEFAULT_ROLES_DEF, PROXIES_PRIV_DEF,
];

// ---------------------------------------------------------------------------------------------
// Password options
// ---------------------------------------------------------------------------------------------

/** The password-management options of one account, as the mysql.user columns hold them. */
interface PasswordPolicy {
  /** PASSWORD HISTORY n; null = DEFAULT. */
  history: bigint | null;
  /** PASSWORD REUSE INTERVAL n DAY; null = DEFAULT. */
  reuseDays: bigint | null;
  /** PASSWORD REQUIRE CURRENT ('Y') / ... OPTIONAL ('N'); null = DEFAULT. */
  requireCurrent: 'Y' | 'N' | null;
  /** FAILED_LOGIN_ATTEMPTS n; 0 = not tracked. */
  failedLoginAttempts: bigint;
  /** PASSWORD_LOCK_TIME n; -1 = UNBOUNDED, 0 = no lock. */
  lockDays: bigint;
  /** Options this module does not recognise, verbatim. */
  other: string[];
}

function emptyPolicy(): PasswordPolicy {
  return { history: null, reuseDays: null, requireCurrent: null, failedLoginAttempts: 0n, lockDays: 0n, other: [] };
}

/** Apply one option (upper-case, single spaces, as the statements pass it); later ones win. */
function applyPasswordOption(p: PasswordPolicy, option: string): void {
  const o = option.toUpperCase().replace(/\s+/g, ' ').trim();
  let m: RegExpExecArray | null;
  if ((m = /^PASSWORD HISTORY (?:(DEFAULT)|(\d+))$/.exec(o))) p.history = m[1] ? null : BigInt(m[2]!);
  else if ((m = /^PASSWORD REUSE INTERVAL (?:(DEFAULT)|(\d+) DAY)$/.exec(o))) p.reuseDays = m[1] ? null : BigInt(m[2]!);
  else if ((m = /^PASSWORD REQUIRE CURRENT(?: (DEFAULT|OPTIONAL))?$/.exec(o))) p.requireCurrent = m[1] === 'DEFAULT' ? null : m[1] === 'OPTIONAL' ? 'N' : 'Y';
  else if ((m = /^FAILED_LOGIN_ATTEMPTS (\d+)$/.exec(o))) p.failedLoginAttempts = BigInt(m[1]!);
  else if ((m = /^PASSWORD_LOCK_TIME (?:(UNBOUNDED)|(\d+))$/.exec(o))) p.lockDays = m[1] ? -1n : BigInt(m[2]!);
  else {
    // Unknown: one entry per leading word, the latest kept (what the statements always did).
    const head = o.split(' ')[0];
    p.other = [...p.other.filter((x) => x.split(' ')[0] !== head), o];
  }
}

function policyOf(options: readonly string[] | undefined): PasswordPolicy {
  const p = emptyPolicy();
  for (const o of options ?? []) applyPasswordOption(p, o);
  return p;
}

/**
 * The option texts of a policy in canonical order: PASSWORD HISTORY, PASSWORD REUSE INTERVAL,
 * PASSWORD REQUIRE CURRENT (the order of their mysql.user columns), FAILED_LOGIN_ATTEMPTS,
 * PASSWORD_LOCK_TIME (the order of the Password_locking keys), then unrecognised options.
 * Options at their default are left out.
 */
function policyOptions(p: PasswordPolicy): string[] {
  const out: string[] = [];
  if (p.history !== null) out.push(`PASSWORD HISTORY ${p.history}`);
  if (p.reuseDays !== null) out.push(`PASSWORD REUSE INTERVAL ${p.reuseDays} DAY`);
  if (p.requireCurrent !== null) out.push(p.requireCurrent === 'Y' ? 'PASSWORD REQUIRE CURRENT' : 'PASSWORD REQUIRE CURRENT OPTIONAL');
  if (p.failedLoginAttempts > 0n) out.push(`FAILED_LOGIN_ATTEMPTS ${p.failedLoginAttempts}`);
  if (p.lockDays !== 0n) out.push(p.lockDays < 0n ? 'PASSWORD_LOCK_TIME UNBOUNDED' : `PASSWORD_LOCK_TIME ${p.lockDays}`);
  out.push(...p.other);
  return out;
}

/**
 * The canonical form of a `passwordOptions` list: each option once, in canonical order, numbers
 * without leading zeros, options at their default (… DEFAULT, FAILED_LOGIN_ATTEMPTS 0,
 * PASSWORD_LOCK_TIME 0) left out; undefined when nothing is left.
 * @req CORE-ACCT-080
 */
export function canonicalPasswordOptions(options: readonly string[] | undefined): string[] | undefined {
  const out = policyOptions(policyOf(options));
  return out.length ? out : undefined;
}

/**
 * `current` with one more option applied (CREATE/ALTER USER), in canonical form. Options of
 * different kinds are independent (PASSWORD HISTORY does not replace PASSWORD REUSE INTERVAL),
 * as they are separate columns in MySQL.
 * @req CORE-ACCT-080
 */
export function mergePasswordOption(current: readonly string[] | undefined, option: string): string[] | undefined {
  return canonicalPasswordOptions([...(current ?? []), option]);
}

// ---------------------------------------------------------------------------------------------
// Value helpers
// ---------------------------------------------------------------------------------------------

function yn(b: boolean): string {
  return b ? 'Y' : 'N';
}

/** A TIMESTAMP column value for ms since the epoch: UTC, whole seconds. */
function timestamp(ms: number): Temporal {
  const d = new Date(ms);
  return new Temporal('TIMESTAMP', d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), 0);
}

function setText(privs: readonly string[], names: readonly (readonly [string, string])[]): string {
  return names.filter(([, p]) => privs.includes(p)).map(([n]) => n).join(',');
}

/** User_attributes keys this module owns (any others are the account's `attributes`). */
const LOCKING_KEY = 'Password_locking';
const EXTENSION_KEY = 'refmysql';
type SslPart = 'cipher' | 'issuer' | 'subject';
const SSL_PARTS: readonly SslPart[] = ['cipher', 'issuer', 'subject'];

function userAttributes(u: UserRecord, policy: PasswordPolicy): string | null {
  const attrs: Record<string, unknown> = { ...(u.attributes ?? {}) };
  let added = false;
  if (policy.failedLoginAttempts !== 0n || policy.lockDays !== 0n) {
    attrs[LOCKING_KEY] = { failed_login_attempts: Number(policy.failedLoginAttempts), password_lock_time_days: Number(policy.lockDays) };
    added = true;
  }
  const ext: Record<string, unknown> = {};
  const emptySsl = SSL_PARTS.filter((k) => u.ssl[k] === '');
  if (emptySsl.length) ext['ssl_empty'] = emptySsl;
  if (policy.other.length) ext['password_options'] = policy.other;
  if (Object.keys(ext).length) {
    attrs[EXTENSION_KEY] = ext;
    added = true;
  }
  if (u.attributes === null && !added) return null;
  // The text a JSON column stores: MySQL's normalised form.
  return normalizeJsonText(JSON.stringify(attrs));
}

// ---------------------------------------------------------------------------------------------
// Forward: state -> rows
// ---------------------------------------------------------------------------------------------

function userRow(u: UserRecord): Row {
  const has = (p: string): string => yn(u.globalPrivs.includes(p));
  const sslType = u.ssl.type === 'NONE' ? '' : u.ssl.type === 'SSL' ? 'ANY' : u.ssl.type;
  const policy = policyOf(u.passwordOptions);
  return [
    u.host,
    u.user,
    ...USER_FIRST_PRIVS.map(([, p]) => has(p)),
    sslType,
    Buffer.from(u.ssl.cipher ?? ''),
    Buffer.from(u.ssl.issuer ?? ''),
    Buffer.from(u.ssl.subject ?? ''),
    BigInt(u.maxQuestions),
    BigInt(u.maxUpdates),
    BigInt(u.maxConnections),
    BigInt(u.maxUserConnections),
    u.plugin,
    u.authString,
    yn(u.passwordExpired),
    timestamp(u.passwordLastChanged),
    u.passwordLifetime === null ? null : BigInt(u.passwordLifetime),
    yn(u.locked),
    ...USER_ROLE_PRIVS.map(([, p]) => has(p)),
    policy.history,
    policy.reuseDays,
    policy.requireCurrent,
    userAttributes(u, policy),
  ];
}

function dbRow(g: DbGrant): Row {
  return [g.host, g.db, g.user, ...DB_PRIV_COLUMNS.map(([, p]) => yn(g.privs.includes(p)))];
}

const tableKey = (r: { user: string; host: string; db: string; table: string }): string =>
  [r.host.toLowerCase(), r.db, r.user, r.table].join('\u0000');

function tablesPrivRows(state: Readonly<AclState>): Row[] {
  const columnsByTable = new Map<string, ColumnGrant[]>();
  for (const c of state.columns) {
    const k = tableKey(c);
    const list = columnsByTable.get(k);
    if (list) list.push(c);
    else columnsByTable.set(k, [c]);
  }
  const colText = (cols: readonly ColumnGrant[] | undefined): string => setText((cols ?? []).flatMap((c) => c.privs), COLUMN_PRIV_SET_NAMES);
  const out: Row[] = [];
  const seen = new Set<string>();
  for (const g of state.tables) {
    const k = tableKey(g);
    seen.add(k);
    out.push([g.host, g.db, g.user, g.table, g.grantor, timestamp(g.timestamp), setText(g.privs, TABLE_PRIV_SET_NAMES), colText(columnsByTable.get(k))]);
  }
  // Column privileges without a TableGrant still need their tables_priv row (MySQL reads
  // columns_priv only through it): no grantor, no table privileges, the latest column time.
  for (const [k, cols] of columnsByTable) {
    if (seen.has(k)) continue;
    const c0 = cols[0]!;
    const time = Math.max(...cols.map((c) => c.timestamp));
    out.push([c0.host, c0.db, c0.user, c0.table, '', timestamp(time), '', colText(cols)]);
  }
  return out;
}

function columnsPrivRow(c: ColumnGrant): Row {
  return [c.host, c.db, c.user, c.table, c.column, timestamp(c.timestamp), setText(c.privs, COLUMN_PRIV_SET_NAMES)];
}

function procsPrivRow(r: RoutineGrant): Row {
  return [r.host, r.db, r.user, r.name, r.type, r.grantor, setText(r.privs, PROC_PRIV_SET_NAMES), timestamp(r.timestamp)];
}

/** Per table: its rows for a state, and each row's primary key (as the collations compare it). */
interface TableMapping {
  rows(state: Readonly<AclState>): Row[];
  /** Positions of the key columns, and which of them compare case-insensitively. */
  key: readonly (readonly [number, boolean])[];
}

function keyOf(d: TableDef, caseless: readonly string[]): readonly (readonly [number, boolean])[] {
  const pk = d.indexes[0]!.parts.map((p) => p.column);
  return pk.map((i) => [i, caseless.includes(d.columns[i]!.name)] as const);
}

const HOSTS = ['Host', 'HOST', 'FROM_HOST', 'TO_HOST', 'DEFAULT_ROLE_HOST', 'Proxied_host'];

const MAPPINGS: ReadonlyMap<string, TableMapping> = new Map<string, TableMapping>([
  ['user', { rows: (s) => s.users.map(userRow), key: keyOf(USER_DEF, HOSTS) }],
  ['db', { rows: (s) => s.db.map(dbRow), key: keyOf(DB_DEF, HOSTS) }],
  ['tables_priv', { rows: tablesPrivRows, key: keyOf(TABLES_PRIV_DEF, HOSTS) }],
  ['columns_priv', { rows: (s) => s.columns.map(columnsPrivRow), key: keyOf(COLUMNS_PRIV_DEF, [...HOSTS, 'Column_name']) }],
  ['procs_priv', { rows: (s) => s.routines.map(procsPrivRow), key: keyOf(PROCS_PRIV_DEF, [...HOSTS, 'Routine_name']) }],
  ['global_grants', { rows: (s) => s.dynamic.map((g) => [g.user, g.host, g.priv, yn(g.withGrantOption)]), key: keyOf(GLOBAL_GRANTS_DEF, [...HOSTS, 'PRIV']) }],
  ['role_edges', { rows: (s) => s.roleEdges.map((e) => [e.fromHost, e.fromUser, e.toHost, e.toUser, yn(e.withAdminOption)]), key: keyOf(ROLE_EDGES_DEF, HOSTS) }],
  ['default_roles', { rows: (s) => s.defaultRoles.map((d) => [d.host, d.user, d.roleHost, d.roleUser]), key: keyOf(DEFAULT_ROLES_DEF, HOSTS) }],
  // The state keeps neither grantor nor time of a proxy grant.
  ['proxies_priv', { rows: (s) => s.proxies.map((p) => [p.host, p.user, p.proxiedHost, p.proxiedUser, p.withGrantOption ? 1n : 0n, '', timestamp(0)]), key: keyOf(PROXIES_PRIV_DEF, HOSTS) }],
]);

function rowKey(row: readonly Value[], key: TableMapping['key']): string {
  return key.map(([i, caseless]) => {
    const v = text(row[i]) ?? '';
    return caseless ? v.toLowerCase() : v;
  }).join('\u0000');
}

/** Rows with the first of each primary key (a table cannot hold two). */
function uniqueRows<T>(items: readonly T[], row: (item: T) => readonly Value[], key: TableMapping['key']): T[] {
  const seen = new Set<string>();
  return items.filter((it) => {
    const k = rowKey(row(it), key);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/**
 * The rows of one grant table (lower-case name) for `state`; [] for an unknown name.
 * @req CORE-ACCT-080
 */
export function grantTableRowsOf(state: Readonly<AclState>, table: string): Row[] {
  const m = MAPPINGS.get(table.toLowerCase());
  return m ? uniqueRows(m.rows(state), (r) => r, m.key) : [];
}

/**
 * What each grant table holds for `state`, keyed by lower-case table name ('user', 'db', ...),
 * every table present (possibly empty). Values are in the executor's representation: CHAR,
 * VARCHAR, TEXT, ENUM and SET as strings (SET members in declaration order, comma-joined),
 * integer types as bigint, BLOB as Buffer, TIMESTAMP as a UTC {@link Temporal} of whole seconds,
 * JSON as its normalised text.
 * @req CORE-ACCT-080 CORE-DICT-014
 */
export function grantTableRows(state: Readonly<AclState>): Map<string, Row[]> {
  const out = new Map<string, Row[]>();
  for (const d of GRANT_TABLE_DEFS) out.set(d.name, grantTableRowsOf(state, d.name));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Reverse: rows -> state
// ---------------------------------------------------------------------------------------------

/** Text of a stored value (strings as they are, BLOBs as UTF-8); null for NULL. */
function text(v: Value | undefined): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (Buffer.isBuffer(v)) return v.toString('utf8');
  return String(v);
}

/** A key column: text only (a number or temporal there means the row is not a grant row). */
function keyText(v: Value | undefined): string | null {
  if (typeof v === 'string') return v;
  if (Buffer.isBuffer(v)) return v.toString('utf8');
  return null;
}

function flag(v: Value | undefined): boolean {
  const s = text(v);
  return s !== null && s.trim().toUpperCase() === 'Y';
}

/** An integer column value, or null (NULL or not an integer). */
function integer(v: Value | undefined): bigint | null {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') return Number.isInteger(v) ? BigInt(v) : null;
  const s = typeof v === 'string' || Buffer.isBuffer(v) ? text(v)!.trim() : null;
  return s !== null && /^[+-]?\d+$/.test(s) ? BigInt(s) : null;
}

function count(v: Value | undefined): number {
  const n = integer(v);
  return n === null || n < 0n ? 0 : Number(n);
}

/** ms since the epoch of a TIMESTAMP value (UTC); 0 for the zero date, NULL or nonsense. */
function millis(v: Value | undefined): number {
  let parts: number[] | null = null;
  if (v instanceof Temporal) parts = [v.year, v.month, v.day, v.hour, v.minute, v.second];
  else {
    const m = /^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{1,2}):(\d{1,2}))?/.exec(text(v) ?? '');
    if (m) parts = m.slice(1).map((x) => Number(x ?? 0));
  }
  if (!parts || parts[1] === 0 || parts[2] === 0) return 0;
  const d = new Date(0);
  d.setUTCFullYear(parts[0]!, parts[1]! - 1, parts[2]!);
  d.setUTCHours(parts[3]!, parts[4]!, parts[5]!, 0);
  const ms = d.getTime();
  return Number.isFinite(ms) ? ms : 0;
}

/** Privileges named by a SET value; unknown members are dropped. */
function setPrivs(v: Value | undefined, names: readonly (readonly [string, string])[]): string[] {
  const members = (text(v) ?? '').split(',').map((m) => m.trim().toLowerCase());
  return sortStatic(names.filter(([n]) => members.includes(n.toLowerCase())).map(([, p]) => p));
}

/** Column positions of a definition, by name. */
function positions(d: TableDef): (name: string) => number {
  const at = new Map(d.columns.map((c, i) => [c.name, i]));
  return (name) => at.get(name)!;
}

/** The well-shaped rows of one table, each primary key once (the first wins). */
function readable(rows: ReadonlyMap<string, readonly Row[]>, d: TableDef, keyCols: readonly string[]): Row[] {
  const list = rows.get(d.name) ?? [];
  const at = positions(d);
  const ok = list.filter((r) => Array.isArray(r) && r.length >= d.columns.length && keyCols.every((c) => keyText(r[at(c)]) !== null));
  return uniqueRows(ok, (r) => r, MAPPINGS.get(d.name)!.key);
}

function jsonObject(v: Value | undefined): Record<string, unknown> | null {
  const s = text(v);
  if (s === null) return null;
  try {
    const parsed: unknown = JSON.parse(s);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

function jsonInteger(v: unknown): bigint | null {
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  if (typeof v === 'string' && /^\s*-?\d+\s*$/.test(v)) return BigInt(v.trim());
  return null;
}

function userFromRow(r: Row, at: (name: string) => number): UserRecord {
  const v = (name: string): Value | undefined => r[at(name)];
  const has = new Set(USER_PRIV_COLUMNS.filter(([c]) => flag(v(c))).map(([, p]) => p));
  const sslType = (text(v('ssl_type')) ?? '').trim().toUpperCase();
  const ssl: SslRequirement = { type: sslType === 'ANY' ? 'SSL' : sslType === 'X509' ? 'X509' : sslType === 'SPECIFIED' ? 'SPECIFIED' : 'NONE' };
  const stored = jsonObject(v('User_attributes'));
  const attrs: Record<string, unknown> | null = stored ? { ...stored } : null;
  let owned = false;
  const policy = emptyPolicy();
  const history = integer(v('Password_reuse_history'));
  if (history !== null && history >= 0n) policy.history = history;
  const reuse = integer(v('Password_reuse_time'));
  if (reuse !== null && reuse >= 0n) policy.reuseDays = reuse;
  const current = (text(v('Password_require_current')) ?? '').trim().toUpperCase();
  if (current === 'Y' || current === 'N') policy.requireCurrent = current;
  let emptySsl: unknown[] = [];
  if (attrs) {
    const locking = attrs[LOCKING_KEY];
    if (LOCKING_KEY in attrs) {
      delete attrs[LOCKING_KEY];
      owned = true;
    }
    if (locking !== null && typeof locking === 'object') {
      const l = locking as Record<string, unknown>;
      const attempts = jsonInteger(l['failed_login_attempts']);
      if (attempts !== null && attempts > 0n) policy.failedLoginAttempts = attempts;
      const days = jsonInteger(l['password_lock_time_days']);
      if (days !== null && days >= -1n) policy.lockDays = days;
    }
    const ext = attrs[EXTENSION_KEY];
    if (EXTENSION_KEY in attrs) {
      delete attrs[EXTENSION_KEY];
      owned = true;
    }
    if (ext !== null && typeof ext === 'object') {
      const e = ext as Record<string, unknown>;
      if (Array.isArray(e['ssl_empty'])) emptySsl = e['ssl_empty'];
      if (Array.isArray(e['password_options'])) for (const o of e['password_options']) if (typeof o === 'string') applyPasswordOption(policy, o);
    }
  }
  for (const [part, column] of [['cipher', 'ssl_cipher'], ['issuer', 'x509_issuer'], ['subject', 'x509_subject']] as const) {
    const s = text(v(column)) ?? '';
    if (s !== '' || emptySsl.includes(part)) ssl[part] = s;
  }
  const lifetime = integer(v('password_lifetime'));
  const u: UserRecord = {
    user: keyText(v('User'))!,
    host: keyText(v('Host'))!.toLowerCase(),
    plugin: text(v('plugin')) ?? '',
    authString: text(v('authentication_string')) ?? '',
    locked: flag(v('account_locked')),
    ssl,
    passwordExpired: flag(v('password_expired')),
    passwordLastChanged: millis(v('password_last_changed')),
    passwordLifetime: lifetime === null || lifetime < 0n ? null : Number(lifetime),
    maxQuestions: count(v('max_questions')),
    maxUpdates: count(v('max_updates')),
    maxConnections: count(v('max_connections')),
    maxUserConnections: count(v('max_user_connections')),
    // Only the keys this module wrote made an otherwise empty object: then there were none.
    attributes: attrs && (Object.keys(attrs).length > 0 || !owned) ? attrs : null,
    globalPrivs: sortStatic(has),
  };
  const options = policyOptions(policy);
  if (options.length) u.passwordOptions = options;
  return u;
}

/**
 * The ACL state the grant-table rows describe (`rows` keyed by lower-case table name; missing
 * tables read as empty). Lenient: see the module comment for what is skipped.
 * @req CORE-ACCT-080 CORE-DICT-014
 */
export function aclStateFromGrantRows(rows: ReadonlyMap<string, readonly Row[]>): AclState {
  const byName = new Map<string, readonly Row[]>();
  for (const [k, v] of rows) if (!byName.has(k.toLowerCase())) byName.set(k.toLowerCase(), v);
  const st = emptyAclState();
  const host = (v: Value | undefined): string => keyText(v)!.toLowerCase();
  const name = (v: Value | undefined): string => keyText(v)!;

  {
    const at = positions(USER_DEF);
    for (const r of readable(byName, USER_DEF, ['Host', 'User'])) st.users.push(userFromRow(r, at));
  }
  {
    const at = positions(DB_DEF);
    for (const r of readable(byName, DB_DEF, ['Host', 'Db', 'User'])) {
      const privs = sortStatic(DB_PRIV_COLUMNS.filter(([c]) => flag(r[at(c)])).map(([, p]) => p));
      st.db.push({ host: host(r[at('Host')]), db: name(r[at('Db')]), user: name(r[at('User')]), privs });
    }
  }
  // Tables whose tables_priv row says they have column privileges: only their columns_priv
  // rows count, as in MySQL.
  const withColumns = new Set<string>();
  {
    const at = positions(TABLES_PRIV_DEF);
    for (const r of readable(byName, TABLES_PRIV_DEF, ['Host', 'Db', 'User', 'Table_name'])) {
      const g: TableGrant = {
        host: host(r[at('Host')]), db: name(r[at('Db')]), user: name(r[at('User')]), table: name(r[at('Table_name')]),
        privs: setPrivs(r[at('Table_priv')], TABLE_PRIV_SET_NAMES),
        grantor: text(r[at('Grantor')]) ?? '',
        timestamp: millis(r[at('Timestamp')]),
      };
      if (setPrivs(r[at('Column_priv')], COLUMN_PRIV_SET_NAMES).length) withColumns.add(tableKey(g));
      // A row that only carries Column_priv (no grantor, no table privileges) is no TableGrant.
      if (g.privs.length || g.grantor !== '') st.tables.push(g);
    }
  }
  {
    const at = positions(COLUMNS_PRIV_DEF);
    for (const r of readable(byName, COLUMNS_PRIV_DEF, ['Host', 'Db', 'User', 'Table_name', 'Column_name'])) {
      const c: ColumnGrant = {
        host: host(r[at('Host')]), db: name(r[at('Db')]), user: name(r[at('User')]), table: name(r[at('Table_name')]),
        column: name(r[at('Column_name')]),
        privs: setPrivs(r[at('Column_priv')], COLUMN_PRIV_SET_NAMES),
        timestamp: millis(r[at('Timestamp')]),
      };
      if (c.privs.length && withColumns.has(tableKey(c))) st.columns.push(c);
    }
  }
  {
    const at = positions(PROCS_PRIV_DEF);
    for (const r of readable(byName, PROCS_PRIV_DEF, ['Host', 'Db', 'User', 'Routine_name'])) {
      const type = (text(r[at('Routine_type')]) ?? '').trim().toUpperCase();
      if (type !== 'FUNCTION' && type !== 'PROCEDURE') continue;
      const g: RoutineGrant = {
        host: host(r[at('Host')]), db: name(r[at('Db')]), user: name(r[at('User')]), name: name(r[at('Routine_name')]), type,
        privs: setPrivs(r[at('Proc_priv')], PROC_PRIV_SET_NAMES),
        grantor: text(r[at('Grantor')]) ?? '',
        timestamp: millis(r[at('Timestamp')]),
      };
      st.routines.push(g);
    }
  }
  {
    const at = positions(GLOBAL_GRANTS_DEF);
    for (const r of readable(byName, GLOBAL_GRANTS_DEF, ['USER', 'HOST', 'PRIV'])) {
      const priv = name(r[at('PRIV')]).trim().toUpperCase();
      if (!isDynamicPrivilege(priv)) continue;
      const g: DynamicGrant = { user: name(r[at('USER')]), host: host(r[at('HOST')]), priv, withGrantOption: flag(r[at('WITH_GRANT_OPTION')]) };
      st.dynamic.push(g);
    }
  }
  {
    const at = positions(ROLE_EDGES_DEF);
    for (const r of readable(byName, ROLE_EDGES_DEF, ['FROM_HOST', 'FROM_USER', 'TO_HOST', 'TO_USER'])) {
      const e: RoleEdge = {
        fromHost: host(r[at('FROM_HOST')]), fromUser: name(r[at('FROM_USER')]), toHost: host(r[at('TO_HOST')]), toUser: name(r[at('TO_USER')]),
        withAdminOption: flag(r[at('WITH_ADMIN_OPTION')]),
      };
      st.roleEdges.push(e);
    }
  }
  {
    const at = positions(DEFAULT_ROLES_DEF);
    for (const r of readable(byName, DEFAULT_ROLES_DEF, ['HOST', 'USER', 'DEFAULT_ROLE_HOST', 'DEFAULT_ROLE_USER'])) {
      const d: DefaultRole = { host: host(r[at('HOST')]), user: name(r[at('USER')]), roleHost: host(r[at('DEFAULT_ROLE_HOST')]), roleUser: name(r[at('DEFAULT_ROLE_USER')]) };
      st.defaultRoles.push(d);
    }
  }
  {
    const at = positions(PROXIES_PRIV_DEF);
    for (const r of readable(byName, PROXIES_PRIV_DEF, ['Host', 'User', 'Proxied_host', 'Proxied_user'])) {
      const withGrant = integer(r[at('With_grant')]);
      const p: ProxyGrant = {
        host: host(r[at('Host')]), user: name(r[at('User')]), proxiedHost: host(r[at('Proxied_host')]), proxiedUser: name(r[at('Proxied_user')]),
        withGrantOption: withGrant !== null && withGrant !== 0n,
      };
      st.proxies.push(p);
    }
  }
  return st;
}
