/**
 * The grant tables as rows: what mysql.user, mysql.db, ... hold for an ACL state, and the state
 * read back from such rows (also rows a user wrote directly).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { req } from '../../helpers/req.js';
import { Acl, emptyAclState, type AclState, type UserRecord } from '../../../src/accounts/acl.js';
import { initialAclState } from '../../../src/accounts/initialize.js';
import { SecurityContext } from '../../../src/accounts/privileges.js';
import { executeAccountStatement, isAccountStatement } from '../../../src/accounts/statements.js';
import { createUserText, grantLines } from '../../../src/accounts/show-grants.js';
import {
  GRANT_TABLE_DEFS, aclStateFromGrantRows, canonicalPasswordOptions, grantTableRows, mergePasswordOption,
} from '../../../src/accounts/grant-table-rows.js';
import { grantTableViews } from '../../../src/accounts/grant-tables.js';
import { parseOne } from '../../../src/sql/parser/index.js';
import { SqlError } from '../../../src/kernel/errors.js';
import { Temporal, type Row, type Value } from '../../../src/kernel/value.js';

// ---------------------------------------------------------------------------------------------
// Helpers written independently of the module under test
// ---------------------------------------------------------------------------------------------

/** MySQL 8.0's mysql.user columns, in order. */
const USER_COLUMNS = [
  'Host', 'User', 'Select_priv', 'Insert_priv', 'Update_priv', 'Delete_priv', 'Create_priv', 'Drop_priv', 'Reload_priv',
  'Shutdown_priv', 'Process_priv', 'File_priv', 'Grant_priv', 'References_priv', 'Index_priv', 'Alter_priv', 'Show_db_priv',
  'Super_priv', 'Create_tmp_table_priv', 'Lock_tables_priv', 'Execute_priv', 'Repl_slave_priv', 'Repl_client_priv',
  'Create_view_priv', 'Show_view_priv', 'Create_routine_priv', 'Alter_routine_priv', 'Create_user_priv', 'Event_priv',
  'Trigger_priv', 'Create_tablespace_priv', 'ssl_type', 'ssl_cipher', 'x509_issuer', 'x509_subject', 'max_questions',
  'max_updates', 'max_connections', 'max_user_connections', 'plugin', 'authentication_string', 'password_expired',
  'password_last_changed', 'password_lifetime', 'account_locked', 'Create_role_priv', 'Drop_role_priv',
  'Password_reuse_history', 'Password_reuse_time', 'Password_require_current', 'User_attributes',
];
const DB_COLUMNS = [
  'Host', 'Db', 'User', 'Select_priv', 'Insert_priv', 'Update_priv', 'Delete_priv', 'Create_priv', 'Drop_priv', 'Grant_priv',
  'References_priv', 'Index_priv', 'Alter_priv', 'Create_tmp_table_priv', 'Lock_tables_priv', 'Create_view_priv',
  'Show_view_priv', 'Create_routine_priv', 'Alter_routine_priv', 'Execute_priv', 'Event_priv', 'Trigger_priv',
];

/** A mysql.user row: every privilege 'N' and MySQL's column defaults, then `set` by column name. */
function userRow(set: Record<string, Value>): Row {
  const base: Record<string, Value> = {
    ssl_type: '', ssl_cipher: Buffer.alloc(0), x509_issuer: Buffer.alloc(0), x509_subject: Buffer.alloc(0),
    max_questions: 0n, max_updates: 0n, max_connections: 0n, max_user_connections: 0n, plugin: 'caching_sha2_password',
    authentication_string: null, password_expired: 'N', password_last_changed: null, password_lifetime: null, account_locked: 'N',
    Password_reuse_history: null, Password_reuse_time: null, Password_require_current: null, User_attributes: null,
  };
  return USER_COLUMNS.map((c) => (c in set ? set[c]! : c in base ? base[c]! : c.endsWith('_priv') ? 'N' : ''));
}

function dbRow(host: string, db: string, user: string, yes: string[]): Row {
  return [host, db, user, ...DB_COLUMNS.slice(3).map((c) => (yes.includes(c) ? 'Y' : 'N'))];
}

const ts = (y: number, mo: number, d: number, h: number, mi: number, s: number): Temporal => new Temporal('TIMESTAMP', y, mo, d, h, mi, s, 0);
const T0 = Date.UTC(2024, 0, 2, 3, 4, 5, 678);
const T0_ROW = ts(2024, 1, 2, 3, 4, 5);
const T0_SECONDS = Date.UTC(2024, 0, 2, 3, 4, 5);

function rowsMap(entries: Record<string, Row[]>): Map<string, Row[]> {
  return new Map(Object.entries(entries));
}

function user(u: Partial<UserRecord> & { user: string; host: string }): UserRecord {
  return {
    plugin: 'caching_sha2_password', authString: '', locked: false, ssl: { type: 'NONE' }, passwordExpired: false,
    passwordLastChanged: T0_SECONDS, passwordLifetime: null, maxQuestions: 0, maxUpdates: 0, maxConnections: 0, maxUserConnections: 0,
    attributes: null, globalPrivs: [], ...u,
  };
}

/** The state with every timestamp cut to whole seconds (what TIMESTAMP columns keep). */
function toSeconds(s: Readonly<AclState>): AclState {
  const c = structuredClone(s) as AclState;
  const cut = (ms: number): number => ms - (((ms % 1000) + 1000) % 1000);
  for (const u of c.users) u.passwordLastChanged = cut(u.passwordLastChanged);
  for (const g of [...c.tables, ...c.columns, ...c.routines]) g.timestamp = cut(g.timestamp);
  return c;
}

/** Each list of a state sorted, for comparisons that ignore row order. */
function sorted(s: AclState): AclState {
  const c = structuredClone(s);
  for (const k of ['users', 'db', 'tables', 'columns', 'routines', 'dynamic', 'roleEdges', 'defaultRoles', 'proxies'] as const) {
    (c[k] as unknown[]).sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
  }
  return c;
}

/** SHOW CREATE USER text with an ATTRIBUTE '…' JSON parsed (its key order is storage order). */
function createUserParts(acl: Acl, u: UserRecord): { text: string; attribute: unknown } {
  const t = createUserText(acl, u);
  const m = / ATTRIBUTE '((?:[^'\\]|\\.)*)'$/.exec(t);
  if (!m) return { text: t, attribute: null };
  return { text: t.slice(0, m.index), attribute: JSON.parse(m[1]!.replace(/\\(.)/g, '$1')) };
}

async function runSql(acl: Acl, ctx: SecurityContext, sql: string): Promise<void> {
  const s = parseOne(sql);
  if (!isAccountStatement(s)) throw new Error(`not an account statement: ${sql}`);
  await executeAccountStatement(acl, ctx, s, { currentSchema: 'd' });
}

// ---------------------------------------------------------------------------------------------
// Random account statements (SQL text through the real parser and statement layer)
// ---------------------------------------------------------------------------------------------

const acct = fc.constantFrom("'u1'@'%'", "'u2'@'localhost'", "'r1'@'%'", "'r2'@'H.Example'", "'u2'@'h.example'", "'x'@'%'");
const userOptions = fc.tuple(
  fc.constantFrom('', " IDENTIFIED WITH mysql_native_password BY 'pw'", " IDENTIFIED WITH mysql_native_password AS '*2470C0C06DEE42FD1618BB99005ADCA2EC9D1E19'"),
  fc.constantFrom('', ' REQUIRE NONE', ' REQUIRE SSL', ' REQUIRE X509', " REQUIRE CIPHER 'c1'", " REQUIRE ISSUER '' AND SUBJECT '/CN=s'",
    " REQUIRE SUBJECT 'x' AND CIPHER '' AND ISSUER 'i'"),
  fc.constantFrom('', ' WITH MAX_QUERIES_PER_HOUR 10', ' WITH MAX_UPDATES_PER_HOUR 3 MAX_CONNECTIONS_PER_HOUR 4 MAX_USER_CONNECTIONS 5'),
  fc.shuffledSubarray([
    'PASSWORD EXPIRE', 'PASSWORD EXPIRE NEVER', 'PASSWORD EXPIRE INTERVAL 30 DAY', 'PASSWORD EXPIRE DEFAULT',
    'PASSWORD HISTORY 5', 'PASSWORD HISTORY 0', 'PASSWORD HISTORY DEFAULT',
    'PASSWORD REUSE INTERVAL 007 DAY', 'PASSWORD REUSE INTERVAL 365 DAY', 'PASSWORD REUSE INTERVAL DEFAULT',
    'PASSWORD REQUIRE CURRENT', 'PASSWORD REQUIRE CURRENT OPTIONAL', 'PASSWORD REQUIRE CURRENT DEFAULT',
    'FAILED_LOGIN_ATTEMPTS 3', 'FAILED_LOGIN_ATTEMPTS 0', 'PASSWORD_LOCK_TIME 2', 'PASSWORD_LOCK_TIME UNBOUNDED', 'PASSWORD_LOCK_TIME 0',
    'ACCOUNT LOCK', 'ACCOUNT UNLOCK',
  ], { maxLength: 4 }),
  fc.constantFrom('', " COMMENT 'hello'", ` ATTRIBUTE '{"a": 1, "bb": "x"}'`, ` ATTRIBUTE '{"a": null, "zz": [1, true, {"k": "v"}]}'`, " ATTRIBUTE '{}'"),
).map(([auth, require, limits, options, meta]) => ({ auth, rest: require + limits + options.map((o) => ' ' + o).join('') + meta }));

const levels = fc.constantFrom(
  { on: '*.*', privs: ['SELECT', 'SUPER, RELOAD', 'ALL', 'BACKUP_ADMIN, ROLE_ADMIN', 'USAGE', 'CREATE ROLE, DROP ROLE'] },
  { on: 'd.*', privs: ['SELECT, INSERT', 'ALL', 'USAGE', 'EXECUTE, EVENT'] },
  { on: '`d%`.*', privs: ['SELECT', 'CREATE TEMPORARY TABLES'] },
  { on: 'd.t', privs: ['SELECT', 'SELECT (a, B), UPDATE (c)', 'INSERT (a)', 'ALL', 'USAGE', 'REFERENCES (a), DELETE', 'SELECT (b)'] },
  { on: 'd.T2', privs: ['UPDATE (x)', 'SELECT, INSERT (y)', 'USAGE'] },
  { on: 'PROCEDURE d.p', privs: ['EXECUTE', 'ALTER ROUTINE', 'EXECUTE, ALTER ROUTINE', 'USAGE'] },
  { on: 'FUNCTION d.F', privs: ['EXECUTE'] },
);
const grantLike = levels.chain((l) => fc.tuple(fc.constant(l.on), fc.constantFrom(...l.privs, 'GRANT OPTION')));

const statement: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.tuple(acct, fc.boolean(), userOptions, fc.constantFrom('', ' DEFAULT ROLE r1', " DEFAULT ROLE r1, 'r2'@'h.example'"))
    .map(([a, ine, o, roles]) => `CREATE USER ${ine ? 'IF NOT EXISTS ' : ''}${a}${o.auth}${roles}${o.rest}`) },
  { weight: 3, arbitrary: fc.tuple(acct, userOptions).map(([a, o]) => `ALTER USER ${a}${o.auth}${o.rest}`) },
  fc.tuple(acct, fc.constantFrom('ALL', 'NONE', 'r1')).map(([a, r]) => `ALTER USER ${a} DEFAULT ROLE ${r}`),
  fc.uniqueArray(acct, { minLength: 1, maxLength: 2 }).map((l) => `CREATE ROLE IF NOT EXISTS ${l.join(', ')}`),
  acct.map((a) => `DROP USER IF EXISTS ${a}`),
  fc.tuple(acct, acct).map(([a, b]) => `RENAME USER ${a} TO ${b}`),
  { weight: 8, arbitrary: fc.tuple(grantLike, acct, fc.boolean()).map(([[on, p], a, w]) => `GRANT ${p === 'GRANT OPTION' ? 'USAGE' : p} ON ${on} TO ${a}${w ? ' WITH GRANT OPTION' : ''}`) },
  { weight: 3, arbitrary: fc.tuple(grantLike, acct).map(([[on, p], a]) => `REVOKE ${p} ON ${on} FROM ${a}`) },
  acct.map((a) => `REVOKE ALL PRIVILEGES, GRANT OPTION FROM ${a}`),
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom("'r1'@'%'", "'r2'@'h.example'"), acct, fc.boolean()).map(([r, a, w]) => `GRANT ${r} TO ${a}${w ? ' WITH ADMIN OPTION' : ''}`) },
  fc.tuple(fc.constantFrom("'r1'@'%'", "'r2'@'h.example'"), acct).map(([r, a]) => `REVOKE ${r} FROM ${a}`),
  fc.tuple(fc.constantFrom('NONE', 'ALL', "'r1'@'%'", "'r1'@'%', 'r2'@'h.example'"), acct).map(([r, a]) => `SET DEFAULT ROLE ${r} TO ${a}`),
  fc.tuple(acct, acct, fc.boolean()).map(([p, a, w]) => `GRANT PROXY ON ${p} TO ${a}${w ? ' WITH GRANT OPTION' : ''}`),
);

/** The state a random sequence of statements leaves, starting from an initialised data directory. */
async function stateAfter(list: readonly string[]): Promise<Acl> {
  const acl = Acl.inMemory(initialAclState());
  const root = new SecurityContext(acl, 'root', 'localhost', 'root', 'localhost');
  // Most accounts exist from the start, so that grants and roles have someone to go to.
  const start = ["CREATE USER 'u1'@'%', 'u2'@'localhost', 'u2'@'h.example'", "CREATE ROLE 'r1'@'%', 'r2'@'H.Example'"];
  for (const sql of [...start, ...list]) {
    try {
      await runSql(acl, root, sql);
    } catch (e) {
      if (!(e instanceof SqlError) || e.errno === 1064) throw e;
    }
  }
  return acl;
}

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

describe('grant table definitions', () => {
  it(req('CORE-ACCT-080', 'unit', 'nine definitions in MySQL order with fixed ids, MySQL column names and primary keys'), () => {
    expect(GRANT_TABLE_DEFS.map((d) => [d.id, d.schema, d.name, d.engine])).toEqual([
      [-1001, 'mysql', 'user', 'InnoDB'], [-1002, 'mysql', 'db', 'InnoDB'], [-1003, 'mysql', 'tables_priv', 'InnoDB'],
      [-1004, 'mysql', 'columns_priv', 'InnoDB'], [-1005, 'mysql', 'procs_priv', 'InnoDB'], [-1006, 'mysql', 'global_grants', 'InnoDB'],
      [-1007, 'mysql', 'role_edges', 'InnoDB'], [-1008, 'mysql', 'default_roles', 'InnoDB'], [-1009, 'mysql', 'proxies_priv', 'InnoDB'],
    ]);
    const cols = (name: string): string[] => GRANT_TABLE_DEFS.find((d) => d.name === name)!.columns.map((c) => c.name);
    const pk = (name: string): string[] => {
      const d = GRANT_TABLE_DEFS.find((x) => x.name === name)!;
      return d.indexes[0]!.parts.map((p) => d.columns[p.column]!.name);
    };
    expect(cols('user')).toEqual(USER_COLUMNS);
    expect(cols('db')).toEqual(DB_COLUMNS);
    expect(cols('tables_priv')).toEqual(['Host', 'Db', 'User', 'Table_name', 'Grantor', 'Timestamp', 'Table_priv', 'Column_priv']);
    expect(cols('columns_priv')).toEqual(['Host', 'Db', 'User', 'Table_name', 'Column_name', 'Timestamp', 'Column_priv']);
    expect(cols('procs_priv')).toEqual(['Host', 'Db', 'User', 'Routine_name', 'Routine_type', 'Grantor', 'Proc_priv', 'Timestamp']);
    expect(cols('global_grants')).toEqual(['USER', 'HOST', 'PRIV', 'WITH_GRANT_OPTION']);
    expect(cols('role_edges')).toEqual(['FROM_HOST', 'FROM_USER', 'TO_HOST', 'TO_USER', 'WITH_ADMIN_OPTION']);
    expect(cols('default_roles')).toEqual(['HOST', 'USER', 'DEFAULT_ROLE_HOST', 'DEFAULT_ROLE_USER']);
    expect(cols('proxies_priv')).toEqual(['Host', 'User', 'Proxied_host', 'Proxied_user', 'With_grant', 'Grantor', 'Timestamp']);
    expect(pk('user')).toEqual(['Host', 'User']);
    expect(pk('db')).toEqual(['Host', 'Db', 'User']);
    expect(pk('tables_priv')).toEqual(['Host', 'Db', 'User', 'Table_name']);
    expect(pk('columns_priv')).toEqual(['Host', 'Db', 'User', 'Table_name', 'Column_name']);
    expect(pk('procs_priv')).toEqual(['Host', 'Db', 'User', 'Routine_name', 'Routine_type']);
    expect(pk('global_grants')).toEqual(['USER', 'HOST', 'PRIV']);
    expect(pk('role_edges')).toEqual(['FROM_HOST', 'FROM_USER', 'TO_HOST', 'TO_USER']);
    expect(pk('default_roles')).toEqual(['HOST', 'USER', 'DEFAULT_ROLE_HOST', 'DEFAULT_ROLE_USER']);
    expect(pk('proxies_priv')).toEqual(['Host', 'User', 'Proxied_host', 'Proxied_user']);
    // The grant-table views use the same definitions.
    expect(grantTableViews(Acl.inMemory()).map((v) => v.def)).toEqual([...GRANT_TABLE_DEFS]);
  });
});

describe('grant tables round trip', () => {
  it(req(['CORE-ACCT-080', 'CORE-DICT-014'], 'unit', 'states made by random account statements come back from their rows'), async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(statement, { maxLength: 40 }), async (list) => {
        const acl = await stateAfter(list);
        const rows = grantTableRows(acl.state);
        const back = aclStateFromGrantRows(rows);
        expect(back).toEqual(toSeconds(acl.state));
        // Rows are a fixed point, byte for byte (JSON text included).
        expect(grantTableRows(back)).toEqual(rows);
        // Storage returns rows in key order, not insertion order: the same state, lists reordered.
        const reversed = new Map([...rows].map(([k, v]) => [k, [...v].reverse()]));
        expect(sorted(aclStateFromGrantRows(reversed))).toEqual(sorted(back));
        // What the statements print is unchanged (ATTRIBUTE JSON compared as a value).
        const again = Acl.inMemory(back);
        for (const u of acl.state.users) {
          const u2 = again.getUser(u.user, u.host)!;
          expect(grantLines(again, u2)).toEqual(grantLines(acl, u));
          expect(createUserParts(again, u2)).toEqual(createUserParts(acl, u));
        }
      }),
      { numRuns: 200 },
    );
  });

  it(req(['CORE-ACCT-080', 'CORE-DICT-014'], 'unit', 'the initial state of a new data directory round trips'), () => {
    const init = initialAclState({ rootPassword: 'pw' });
    expect(aclStateFromGrantRows(grantTableRows(init))).toEqual(toSeconds(init));
    const rows = grantTableRows(init);
    expect(rows.get('proxies_priv')).toEqual([['localhost', 'root', '', '', 1n, '', ts(1970, 1, 1, 0, 0, 0)]]);
    expect(rows.get('tables_priv')!.map((r) => r.slice(0, 5).concat(r.slice(6)))).toEqual([
      ['localhost', 'mysql', 'mysql.session', 'user', 'boot@', 'Select', ''],
      ['localhost', 'sys', 'mysql.sys', 'sys_config', 'root@localhost', 'Select', ''],
    ]);
    expect(rows.get('user')!.find((r) => r[1] === 'root')!.slice(2, 31).every((v) => v === 'Y')).toBe(true);
  });

  it(req(['CORE-ACCT-080', 'CORE-DICT-014'], 'unit', 'password options: kept canonical by the statements, and rebuilt from the columns'), async () => {
    const acl = Acl.inMemory(initialAclState());
    const root = new SecurityContext(acl, 'root', 'localhost', 'root', 'localhost');
    await runSql(acl, root, "CREATE USER u PASSWORD_LOCK_TIME UNBOUNDED PASSWORD REUSE INTERVAL 030 DAY FAILED_LOGIN_ATTEMPTS 4 PASSWORD HISTORY 2");
    const before = createUserText(acl, acl.getUser('u', '%')!);
    expect(acl.getUser('u', '%')!.passwordOptions).toEqual([
      'PASSWORD HISTORY 2', 'PASSWORD REUSE INTERVAL 30 DAY', 'FAILED_LOGIN_ATTEMPTS 4', 'PASSWORD_LOCK_TIME UNBOUNDED',
    ]);
    // Each kind is its own column: a later option of another kind does not replace it.
    await runSql(acl, root, 'ALTER USER u PASSWORD REQUIRE CURRENT OPTIONAL PASSWORD HISTORY DEFAULT FAILED_LOGIN_ATTEMPTS 0');
    expect(acl.getUser('u', '%')!.passwordOptions).toEqual(['PASSWORD REUSE INTERVAL 30 DAY', 'PASSWORD REQUIRE CURRENT OPTIONAL', 'PASSWORD_LOCK_TIME UNBOUNDED']);
    expect(createUserText(acl, acl.getUser('u', '%')!)).toBe(before);
    await runSql(acl, root, 'ALTER USER u PASSWORD REUSE INTERVAL DEFAULT PASSWORD REQUIRE CURRENT DEFAULT PASSWORD_LOCK_TIME 0');
    expect(acl.getUser('u', '%')!.passwordOptions).toBeUndefined();
    expect(mergePasswordOption(undefined, 'PASSWORD REQUIRE CURRENT')).toEqual(['PASSWORD REQUIRE CURRENT']);
    expect(canonicalPasswordOptions(['FAILED_LOGIN_ATTEMPTS 1', 'PASSWORD HISTORY 1', 'PASSWORD HISTORY 3'])).toEqual(['PASSWORD HISTORY 3', 'FAILED_LOGIN_ATTEMPTS 1']);
    // A state from an older document with options in statement order reads back canonical.
    const old = emptyAclState();
    old.users.push(user({ user: 'o', host: '%', passwordOptions: ['FAILED_LOGIN_ATTEMPTS 3', 'PASSWORD HISTORY DEFAULT', 'PASSWORD REUSE INTERVAL 5 DAY'] }));
    expect(aclStateFromGrantRows(grantTableRows(old)).users[0]!.passwordOptions).toEqual(['PASSWORD REUSE INTERVAL 5 DAY', 'FAILED_LOGIN_ATTEMPTS 3']);
  });
});

describe('hand-written rows', () => {
  it(req(['CORE-ACCT-080', 'CORE-DICT-014'], 'unit', 'mysql.user: SSL, resource limits, comment, password options, privileges'), () => {
    const st = emptyAclState();
    st.users.push(user({
      user: 'app', host: '10.0.0.%', plugin: 'mysql_native_password', authString: '*2470C0C06DEE42FD1618BB99005ADCA2EC9D1E19',
      ssl: { type: 'SPECIFIED', cipher: 'AES256-SHA', issuer: '/CN=ca', subject: '/CN=app' },
      passwordLastChanged: T0, passwordLifetime: 90, maxQuestions: 100, maxUpdates: 10, maxConnections: 5, maxUserConnections: 2,
      attributes: { metadata: { comment: 'service account' } },
      globalPrivs: ['SELECT', 'PROCESS', 'CREATE ROLE', 'GRANT OPTION'],
      passwordOptions: ['PASSWORD HISTORY 5', 'PASSWORD REUSE INTERVAL 30 DAY', 'PASSWORD REQUIRE CURRENT', 'FAILED_LOGIN_ATTEMPTS 3', 'PASSWORD_LOCK_TIME UNBOUNDED'],
    }));
    st.users.push(user({ user: 'r', host: '%', locked: true, passwordExpired: true, ssl: { type: 'SSL' }, passwordLifetime: 0, passwordOptions: ['PASSWORD REQUIRE CURRENT OPTIONAL', 'PASSWORD_LOCK_TIME 2'] }));
    st.users.push(user({ user: 'x', host: 'localhost', ssl: { type: 'X509' }, attributes: { metadata: { zz: 1, a: 'b' } } }));
    const expected = [
      userRow({
        Host: '10.0.0.%', User: 'app', Select_priv: 'Y', Process_priv: 'Y', Grant_priv: 'Y', Create_role_priv: 'Y',
        ssl_type: 'SPECIFIED', ssl_cipher: Buffer.from('AES256-SHA'), x509_issuer: Buffer.from('/CN=ca'), x509_subject: Buffer.from('/CN=app'),
        max_questions: 100n, max_updates: 10n, max_connections: 5n, max_user_connections: 2n,
        plugin: 'mysql_native_password', authentication_string: '*2470C0C06DEE42FD1618BB99005ADCA2EC9D1E19',
        password_last_changed: T0_ROW, password_lifetime: 90n,
        Password_reuse_history: 5n, Password_reuse_time: 30n, Password_require_current: 'Y',
        User_attributes: '{"metadata": {"comment": "service account"}, "Password_locking": {"failed_login_attempts": 3, "password_lock_time_days": -1}}',
      }),
      userRow({
        Host: '%', User: 'r', ssl_type: 'ANY', authentication_string: '', password_expired: 'Y', password_last_changed: T0_ROW,
        password_lifetime: 0n, account_locked: 'Y', Password_require_current: 'N',
        User_attributes: '{"Password_locking": {"failed_login_attempts": 0, "password_lock_time_days": 2}}',
      }),
      userRow({ Host: 'localhost', User: 'x', ssl_type: 'X509', authentication_string: '', password_last_changed: T0_ROW, User_attributes: '{"metadata": {"a": "b", "zz": 1}}' }),
    ];
    expect(grantTableRows(st).get('user')).toEqual(expected);
    expect(aclStateFromGrantRows(rowsMap({ user: expected }))).toEqual(toSeconds(st));
  });

  it(req(['CORE-ACCT-080', 'CORE-DICT-014'], 'unit', 'an empty REQUIRE string and unknown password options go under User_attributes.refmysql'), () => {
    const st = emptyAclState();
    st.users.push(user({ user: 'e', host: '%', ssl: { type: 'SPECIFIED', cipher: '', subject: 's' }, passwordOptions: ['PASSWORD HISTORY 1', 'SOMETHING 1'] }));
    const row = grantTableRows(st).get('user')![0]!;
    expect(row[USER_COLUMNS.indexOf('ssl_cipher')]).toEqual(Buffer.alloc(0));
    expect(row[USER_COLUMNS.indexOf('User_attributes')]).toBe('{"refmysql": {"ssl_empty": ["cipher"], "password_options": ["SOMETHING 1"]}}');
    expect(aclStateFromGrantRows(grantTableRows(st))).toEqual(toSeconds(st));
  });

  it(req(['CORE-ACCT-080', 'CORE-DICT-014'], 'unit', 'mysql.db, tables_priv and columns_priv: table and column grants'), () => {
    const st = emptyAclState();
    st.db.push({ user: 'u', host: '%', db: 'd\\_x', privs: ['SELECT', 'EXECUTE', 'GRANT OPTION'] });
    st.db.push({ user: 'u', host: '%', db: 'e', privs: [] });
    st.tables.push({ user: 'u', host: '%', db: 'd', table: 't', privs: ['SELECT', 'INSERT', 'SHOW VIEW', 'GRANT OPTION'], grantor: 'root@localhost', timestamp: T0 });
    st.tables.push({ user: 'u', host: '%', db: 'd', table: 'empty', privs: [], grantor: 'root@localhost', timestamp: T0 });
    st.columns.push({ user: 'u', host: '%', db: 'd', table: 't', column: 'a', privs: ['SELECT', 'UPDATE'], timestamp: T0 });
    st.columns.push({ user: 'u', host: '%', db: 'd', table: 't', column: 'B', privs: ['REFERENCES'], timestamp: T0 });
    // Column privileges only: no TableGrant, but MySQL still keeps a tables_priv row.
    st.columns.push({ user: 'u', host: '%', db: 'd', table: 'c', column: 'x', privs: ['INSERT'], timestamp: T0 - 5000 });
    st.columns.push({ user: 'u', host: '%', db: 'd', table: 'c', column: 'y', privs: ['SELECT'], timestamp: T0 });
    const rows = grantTableRows(st);
    expect(rows.get('db')).toEqual([
      dbRow('%', 'd\\_x', 'u', ['Select_priv', 'Execute_priv', 'Grant_priv']),
      dbRow('%', 'e', 'u', []),
    ]);
    expect(rows.get('tables_priv')).toEqual([
      ['%', 'd', 'u', 't', 'root@localhost', T0_ROW, 'Select,Insert,Grant,Show view', 'Select,Update,References'],
      ['%', 'd', 'u', 'empty', 'root@localhost', T0_ROW, '', ''],
      ['%', 'd', 'u', 'c', '', T0_ROW, '', 'Select,Insert'],
    ]);
    expect(rows.get('columns_priv')).toEqual([
      ['%', 'd', 'u', 't', 'a', T0_ROW, 'Select,Update'],
      ['%', 'd', 'u', 't', 'B', T0_ROW, 'References'],
      ['%', 'd', 'u', 'c', 'x', ts(2024, 1, 2, 3, 4, 0), 'Insert'],
      ['%', 'd', 'u', 'c', 'y', T0_ROW, 'Select'],
    ]);
    expect(aclStateFromGrantRows(rows)).toEqual(toSeconds(st));
  });

  it(req(['CORE-ACCT-080', 'CORE-DICT-014'], 'unit', 'procs_priv, global_grants, role_edges, default_roles, proxies_priv'), () => {
    const st = emptyAclState();
    st.routines.push({ user: 'u', host: 'localhost', db: 'd', name: 'P1', type: 'PROCEDURE', privs: ['EXECUTE', 'ALTER ROUTINE', 'GRANT OPTION'], grantor: 'root@localhost', timestamp: T0 });
    st.routines.push({ user: 'u', host: 'localhost', db: 'd', name: 'f', type: 'FUNCTION', privs: ['EXECUTE'], grantor: 'a@%', timestamp: T0 });
    st.dynamic.push({ user: 'u', host: 'localhost', priv: 'BACKUP_ADMIN', withGrantOption: true });
    st.dynamic.push({ user: 'u', host: 'localhost', priv: 'SYSTEM_USER', withGrantOption: false });
    st.roleEdges.push({ fromUser: 'r', fromHost: '%', toUser: 'u', toHost: 'localhost', withAdminOption: true });
    st.roleEdges.push({ fromUser: 'r2', fromHost: 'h', toUser: 'u', toHost: 'localhost', withAdminOption: false });
    st.defaultRoles.push({ user: 'u', host: 'localhost', roleUser: 'r2', roleHost: 'h' });
    st.proxies.push({ user: 'u', host: 'localhost', proxiedUser: 'p', proxiedHost: '%', withGrantOption: false });
    const rows = grantTableRows(st);
    const epoch = ts(1970, 1, 1, 0, 0, 0);
    expect(Object.fromEntries(rows)).toEqual({
      user: [], db: [], tables_priv: [], columns_priv: [],
      procs_priv: [
        ['localhost', 'd', 'u', 'P1', 'PROCEDURE', 'root@localhost', 'Execute,Alter Routine,Grant', T0_ROW],
        ['localhost', 'd', 'u', 'f', 'FUNCTION', 'a@%', 'Execute', T0_ROW],
      ],
      global_grants: [['u', 'localhost', 'BACKUP_ADMIN', 'Y'], ['u', 'localhost', 'SYSTEM_USER', 'N']],
      role_edges: [['%', 'r', 'localhost', 'u', 'Y'], ['h', 'r2', 'localhost', 'u', 'N']],
      default_roles: [['localhost', 'u', 'h', 'r2']],
      proxies_priv: [['localhost', 'u', '%', 'p', 0n, '', epoch]],
    });
    expect(aclStateFromGrantRows(rows)).toEqual(toSeconds(st));
  });

  it(req(['CORE-ACCT-080', 'CORE-DICT-014'], 'unit', 'rows made by the statements: column-only grants, GRANT USAGE on a table, roles'), async () => {
    const acl = Acl.inMemory(initialAclState());
    const root = new SecurityContext(acl, 'root', 'localhost', 'root', 'localhost');
    for (const sql of [
      "CREATE USER 'u'@'%'", "CREATE ROLE 'r'", 'GRANT SELECT (a), UPDATE (a, b) ON d.c TO u', 'GRANT USAGE ON d.t TO u',
      'GRANT SELECT (z) ON d.both TO u', 'GRANT USAGE ON d.both TO u', 'GRANT r TO u', 'SET DEFAULT ROLE ALL TO u',
    ]) await runSql(acl, root, sql);
    const st = acl.state;
    // The statements keep an empty TableGrant for GRANT USAGE, and none for column-only grants.
    expect(st.tables.filter((g) => g.user === 'u').map((g) => [g.table, g.privs])).toEqual([['t', []], ['both', []]]);
    const rows = grantTableRows(st);
    expect(rows.get('tables_priv')!.filter((r) => r[2] === 'u').map((r) => [r[3], r[4], r[6], r[7]])).toEqual([
      ['t', 'root@localhost', '', ''], ['both', 'root@localhost', '', 'Select'], ['c', '', '', 'Select,Update'],
    ]);
    expect(rows.get('default_roles')).toEqual([['%', 'u', '%', 'r']]);
    expect(aclStateFromGrantRows(rows)).toEqual(toSeconds(st));
  });

  it(req(['CORE-ACCT-080'], 'unit', 'a default role named twice is one default_roles row (the table has one per key)'), async () => {
    const acl = Acl.inMemory(initialAclState());
    const root = new SecurityContext(acl, 'root', 'localhost', 'root', 'localhost');
    for (const sql of ["CREATE ROLE r", "CREATE USER u", 'GRANT r TO u', 'SET DEFAULT ROLE r, r TO u']) await runSql(acl, root, sql);
    expect(acl.state.defaultRoles).toHaveLength(2);
    expect(grantTableRows(acl.state).get('default_roles')).toEqual([['%', 'u', '%', 'r']]);
  });
});

describe('rows written directly', () => {
  it(req(['CORE-ACCT-080', 'CORE-DICT-014'], 'unit', 'reads rows as INSERT stores them: column defaults, upper-case hosts, lower-case names'), () => {
    const rows = rowsMap({
      // INSERT INTO mysql.user (Host, User) VALUES ('LOCALHOST', 'plain'): every other column at its default.
      user: [
        userRow({ Host: 'LOCALHOST', User: 'plain' }),
        userRow({ Host: 'localhost', User: 'plain', Select_priv: 'Y' }), // same key: skipped
        userRow({
          Host: 'H', User: 'j', Super_priv: 'Y', ssl_type: 'ANY', password_last_changed: ts(2020, 5, 6, 7, 8, 9),
          User_attributes: '{"metadata": {"comment": "c"}, "Password_locking": {"failed_login_attempts": 2, "password_lock_time_days": "3"}}',
        }),
        userRow({ Host: 'bad', User: 'json', User_attributes: '[1, 2]' }),
        ['short', 'row'],
      ],
      db: [dbRow('%', 'd', 'u', ['Select_priv']), [null, 'd', 'u']],
      global_grants: [['u', 'Localhost', 'backup_admin', 'Y'], ['u', 'localhost', 'NOT_A_PRIVILEGE', 'N']],
      procs_priv: [['%', 'd', 'u', 'p', 'procedure', '', 'Execute,Bogus', '2021-02-03 04:05:06'], ['%', 'd', 'u', 'q', 'TRIGGER', '', 'Execute', T0_ROW]],
      // A columns_priv row without its tables_priv row is not read (MySQL reads it through tables_priv).
      tables_priv: [['%', 'd', 'u', 't', '', new Temporal('TIMESTAMP', 0, 0, 0, 0, 0, 0, 0), '', 'Select']],
      columns_priv: [['%', 'd', 'u', 't', 'a', T0_ROW, 'Select'], ['%', 'd', 'u', 'orphan', 'a', T0_ROW, 'Select']],
      role_edges: [['%', 'R', 'LOCALHOST', 'u', 'N']],
      default_roles: [['LOCALHOST', 'u', '%', 'R']],
      proxies_priv: [['localhost', 'u', 'X', 'p', 1n, '', T0_ROW]],
      unknown_table: [['ignored']],
    });
    const st = aclStateFromGrantRows(rows);
    expect(st.users).toEqual([
      user({ user: 'plain', host: 'localhost', passwordLastChanged: 0 }),
      user({
        user: 'j', host: 'h', globalPrivs: ['SUPER'], ssl: { type: 'SSL' }, passwordLastChanged: Date.UTC(2020, 4, 6, 7, 8, 9),
        attributes: { metadata: { comment: 'c' } }, passwordOptions: ['FAILED_LOGIN_ATTEMPTS 2', 'PASSWORD_LOCK_TIME 3'],
      }),
      user({ user: 'json', host: 'bad', passwordLastChanged: 0 }),
    ]);
    expect(st.db).toEqual([{ host: '%', db: 'd', user: 'u', privs: ['SELECT'] }]);
    expect(st.dynamic).toEqual([{ user: 'u', host: 'localhost', priv: 'BACKUP_ADMIN', withGrantOption: true }]);
    expect(st.routines).toEqual([{ host: '%', db: 'd', user: 'u', name: 'p', type: 'PROCEDURE', privs: ['EXECUTE'], grantor: '', timestamp: Date.UTC(2021, 1, 3, 4, 5, 6) }]);
    expect(st.tables).toEqual([]);
    expect(st.columns).toEqual([{ host: '%', db: 'd', user: 'u', table: 't', column: 'a', privs: ['SELECT'], timestamp: T0_SECONDS }]);
    expect(st.roleEdges).toEqual([{ fromHost: '%', fromUser: 'R', toHost: 'localhost', toUser: 'u', withAdminOption: false }]);
    expect(st.defaultRoles).toEqual([{ host: 'localhost', user: 'u', roleHost: '%', roleUser: 'R' }]);
    expect(st.proxies).toEqual([{ host: 'localhost', user: 'u', proxiedHost: 'x', proxiedUser: 'p', withGrantOption: true }]);
  });

  it(req(['CORE-ACCT-080'], 'unit', 'a tables_priv row with a grantor and no privileges is a TableGrant (as GRANT USAGE ON db.t makes)'), () => {
    const st = aclStateFromGrantRows(rowsMap({ tables_priv: [['%', 'd', 'u', 't', 'root@localhost', T0_ROW, '', '']] }));
    expect(st.tables).toEqual([{ host: '%', db: 'd', user: 'u', table: 't', privs: [], grantor: 'root@localhost', timestamp: T0_SECONDS }]);
    expect(aclStateFromGrantRows(new Map())).toEqual(emptyAclState());
  });
});
