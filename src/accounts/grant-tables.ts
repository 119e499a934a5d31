/**
 * Read-only views of the MySQL 8.0 grant tables (mysql.user, mysql.db, mysql.tables_priv,
 * mysql.columns_priv, mysql.procs_priv, mysql.global_grants, mysql.role_edges,
 * mysql.default_roles, mysql.proxies_priv) computed from the in-memory ACL. Column names,
 * order and types follow MySQL so tools that read them (mysqldump, admin GUIs) work.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/grant-tables.html
 * @req CORE-ACCT-080
 */
import type { ColumnDef, TableDef } from '../kernel/table-def.js';
import type { VirtualTable, VirtualTableContext } from '../catalog/virtual-table.js';
import type { ColumnType } from '../kernel/column-type.js';
import { Temporal, type Row, type Value } from '../kernel/value.js';
import type { Acl, UserRecord } from './acl.js';
import { COLUMN_PRIV_SET_NAMES, DB_PRIV_COLUMNS, TABLE_PRIV_SET_NAMES, USER_PRIV_COLUMNS, GRANT_OPTION } from './privilege-names.js';

const YN: ColumnType = { name: 'ENUM', values: ['N', 'Y'], charset: 'utf8mb3', collation: 'utf8mb3_general_ci' };
const charCol = (n: number, collation = 'utf8mb3_bin'): ColumnType => ({ name: 'CHAR', length: n, charset: 'utf8mb3', collation });

function col(name: string, type: ColumnType, nullable = false, def?: Value): ColumnDef {
  const c: ColumnDef = { name, type, nullable, autoIncrement: false, comment: '' };
  if (def !== undefined) c.default = def;
  if (type.name === 'CHAR' || type.name === 'ENUM' || type.name === 'SET' || type.name === 'TEXT') {
    c.charset = type.charset ?? 'utf8mb3';
    c.collation = type.collation ?? 'utf8mb3_bin';
  }
  return c;
}

let nextId = -1000;

function def(name: string, columns: ColumnDef[], pk: string[], comment: string): TableDef {
  const parts = pk.map((p) => ({ column: columns.findIndex((c) => c.name === p) }));
  return {
    id: nextId--,
    schema: 'mysql',
    name,
    engine: 'InnoDB',
    columns,
    indexes: [{ name: 'PRIMARY', kind: 'PRIMARY', algorithm: 'BTREE', parts, comment: '', visible: true }],
    charset: 'utf8mb3',
    collation: 'utf8mb3_bin',
    comment,
    options: { STATS_PERSISTENT: '0', ROW_FORMAT: 'DYNAMIC' },
    autoIncrementStart: 1n,
    temporary: false,
    createTime: 0,
  };
}

function yn(b: boolean): string {
  return b ? 'Y' : 'N';
}

function timestamp(ms: number): Temporal {
  const d = new Date(ms);
  return new Temporal('TIMESTAMP', d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), 0);
}

const ROLE_PRIV_COLUMNS = new Set(['Create_role_priv', 'Drop_role_priv']);
const USER_FIRST_PRIVS = USER_PRIV_COLUMNS.filter(([c]) => !ROLE_PRIV_COLUMNS.has(c));
const USER_ROLE_PRIVS = USER_PRIV_COLUMNS.filter(([c]) => ROLE_PRIV_COLUMNS.has(c));

const USER_DEF = def(
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

function userRow(u: UserRecord): Row {
  const has = (p: string): string => yn(u.globalPrivs.includes(p));
  const sslType = u.ssl.type === 'NONE' ? '' : u.ssl.type === 'SSL' ? 'ANY' : u.ssl.type;
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
    null,
    null,
    null,
    u.attributes === null ? null : JSON.stringify(u.attributes),
  ];
}

const DB_DEF = def(
  'db',
  [col('Host', charCol(255, 'ascii_general_ci'), false, ''), col('Db', charCol(64), false, ''), col('User', charCol(32), false, ''),
    ...DB_PRIV_COLUMNS.map(([c]) => col(c, YN, false, 'N'))],
  ['Host', 'Db', 'User'],
  'Database privileges',
);

const TABLE_PRIV_SET: ColumnType = { name: 'SET', values: TABLE_PRIV_SET_NAMES.map(([n]) => n), charset: 'utf8mb3', collation: 'utf8mb3_general_ci' };
const COLUMN_PRIV_SET: ColumnType = { name: 'SET', values: COLUMN_PRIV_SET_NAMES.map(([n]) => n), charset: 'utf8mb3', collation: 'utf8mb3_general_ci' };

function setText(privs: readonly string[], names: readonly [string, string][]): string {
  return names.filter(([, p]) => privs.includes(p)).map(([n]) => n).join(',');
}

const TABLES_PRIV_DEF = def(
  'tables_priv',
  [col('Host', charCol(255, 'ascii_general_ci'), false, ''), col('Db', charCol(64), false, ''), col('User', charCol(32), false, ''),
    col('Table_name', charCol(64), false, ''), col('Grantor', { name: 'VARCHAR', length: 288, charset: 'utf8mb3', collation: 'utf8mb3_bin' }, false, ''),
    col('Timestamp', { name: 'TIMESTAMP' }), col('Table_priv', TABLE_PRIV_SET, false, ''), col('Column_priv', COLUMN_PRIV_SET, false, '')],
  ['Host', 'Db', 'User', 'Table_name'],
  'Table privileges',
);

const COLUMNS_PRIV_DEF = def(
  'columns_priv',
  [col('Host', charCol(255, 'ascii_general_ci'), false, ''), col('Db', charCol(64), false, ''), col('User', charCol(32), false, ''),
    col('Table_name', charCol(64), false, ''), col('Column_name', charCol(64, 'utf8mb3_general_ci'), false, ''),
    col('Timestamp', { name: 'TIMESTAMP' }), col('Column_priv', COLUMN_PRIV_SET, false, '')],
  ['Host', 'Db', 'User', 'Table_name', 'Column_name'],
  'Column privileges',
);

const PROCS_PRIV_DEF = def(
  'procs_priv',
  [col('Host', charCol(255, 'ascii_general_ci'), false, ''), col('Db', charCol(64), false, ''), col('User', charCol(32), false, ''),
    col('Routine_name', charCol(64, 'utf8mb3_general_ci'), false, ''),
    col('Routine_type', { name: 'ENUM', values: ['FUNCTION', 'PROCEDURE'], charset: 'utf8mb3', collation: 'utf8mb3_bin' }),
    col('Grantor', { name: 'VARCHAR', length: 288, charset: 'utf8mb3', collation: 'utf8mb3_bin' }, false, ''),
    col('Proc_priv', { name: 'SET', values: ['Execute', 'Alter Routine', 'Grant'], charset: 'utf8mb3', collation: 'utf8mb3_general_ci' }, false, ''),
    col('Timestamp', { name: 'TIMESTAMP' })],
  ['Host', 'Db', 'User', 'Routine_name', 'Routine_type'],
  'Procedure privileges',
);

const GLOBAL_GRANTS_DEF = def(
  'global_grants',
  [col('USER', charCol(32), false, ''), col('HOST', charCol(255, 'ascii_general_ci'), false, ''),
    col('PRIV', charCol(32, 'utf8mb3_general_ci'), false, ''),
    col('WITH_GRANT_OPTION', YN, false, 'N')],
  ['USER', 'HOST', 'PRIV'],
  'Extended global grants',
);

const ROLE_EDGES_DEF = def(
  'role_edges',
  [col('FROM_HOST', charCol(255, 'ascii_general_ci'), false, ''), col('FROM_USER', charCol(32), false, ''),
    col('TO_HOST', charCol(255, 'ascii_general_ci'), false, ''), col('TO_USER', charCol(32), false, ''),
    col('WITH_ADMIN_OPTION', YN, false, 'N')],
  ['FROM_HOST', 'FROM_USER', 'TO_HOST', 'TO_USER'],
  'Role hierarchy and role grants',
);

const DEFAULT_ROLES_DEF = def(
  'default_roles',
  [col('HOST', charCol(255, 'ascii_general_ci'), false, ''), col('USER', charCol(32), false, ''),
    col('DEFAULT_ROLE_HOST', charCol(255, 'ascii_general_ci'), false, '%'), col('DEFAULT_ROLE_USER', charCol(32), false, '')],
  ['HOST', 'USER', 'DEFAULT_ROLE_HOST', 'DEFAULT_ROLE_USER'],
  'Default roles',
);

const PROXIES_PRIV_DEF = def(
  'proxies_priv',
  [col('Host', charCol(255, 'ascii_general_ci'), false, ''), col('User', charCol(32), false, ''),
    col('Proxied_host', charCol(255, 'ascii_general_ci'), false, ''), col('Proxied_user', charCol(32), false, ''),
    col('With_grant', { name: 'TINYINT' }, false, 0n), col('Grantor', { name: 'VARCHAR', length: 288, charset: 'utf8mb3', collation: 'utf8mb3_bin' }, false, ''),
    col('Timestamp', { name: 'TIMESTAMP' })],
  ['Host', 'User', 'Proxied_host', 'Proxied_user'],
  'User proxy privileges',
);

function view(d: TableDef, rows: (ctx: VirtualTableContext) => Iterable<Row>): VirtualTable {
  return { def: d, rows };
}

/**
 * The grant tables as virtual tables over `acl` (rows reflect the ACL at read time).
 * @req CORE-ACCT-080
 */
export function grantTableViews(acl: Acl): VirtualTable[] {
  return [
    view(USER_DEF, () => acl.state.users.map(userRow)),
    view(DB_DEF, () =>
      acl.state.db.map((g) => [g.host, g.db, g.user, ...DB_PRIV_COLUMNS.map(([, p]) => yn(g.privs.includes(p)))]),
    ),
    view(TABLES_PRIV_DEF, () =>
      acl.state.tables.map((g) => {
        const colPrivs = acl.state.columns
          .filter((c) => c.user === g.user && c.host === g.host && c.db === g.db && c.table === g.table)
          .flatMap((c) => c.privs);
        return [g.host, g.db, g.user, g.table, g.grantor, timestamp(g.timestamp), setText(g.privs, TABLE_PRIV_SET_NAMES), setText(colPrivs, COLUMN_PRIV_SET_NAMES)];
      }),
    ),
    view(COLUMNS_PRIV_DEF, () =>
      acl.state.columns.map((c) => [c.host, c.db, c.user, c.table, c.column, timestamp(c.timestamp), setText(c.privs, COLUMN_PRIV_SET_NAMES)]),
    ),
    view(PROCS_PRIV_DEF, () =>
      acl.state.routines.map((r) => [
        r.host, r.db, r.user, r.name, r.type, r.grantor,
        setText(r.privs, [['Execute', 'EXECUTE'], ['Alter Routine', 'ALTER ROUTINE'], ['Grant', GRANT_OPTION]]),
        timestamp(r.timestamp),
      ]),
    ),
    view(GLOBAL_GRANTS_DEF, () => acl.state.dynamic.map((g) => [g.user, g.host, g.priv, yn(g.withGrantOption)])),
    view(ROLE_EDGES_DEF, () => acl.state.roleEdges.map((e) => [e.fromHost, e.fromUser, e.toHost, e.toUser, yn(e.withAdminOption)])),
    view(DEFAULT_ROLES_DEF, () => acl.state.defaultRoles.map((d) => [d.host, d.user, d.roleHost, d.roleUser])),
    view(PROXIES_PRIV_DEF, () =>
      acl.state.proxies.map((p) => [p.host, p.user, p.proxiedHost, p.proxiedUser, p.withGrantOption ? 1n : 0n, '', timestamp(0)]),
    ),
  ];
}
