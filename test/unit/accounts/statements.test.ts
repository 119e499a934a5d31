import { describe, expect, it } from 'vitest';
import { req } from '../../helpers/req.js';
import { Acl } from '../../../src/accounts/acl.js';
import { initialAclState } from '../../../src/accounts/initialize.js';
import { SecurityContext, internalSecurityContext, requireColumns, requireDb, requireGlobal, requireTable, canSeeSchema, canSeeTable, hasGlobal, createSecurityContext } from '../../../src/accounts/privileges.js';
import { executeAccountStatement, showCreateUser, showGrants, type AccountStatement, type AccountStatementEnv } from '../../../src/accounts/statements.js';
import { currentRoleFunction, currentUserFunction, userFunction } from '../../../src/accounts/identity.js';
import { verifyPassword } from '../../../src/accounts/credentials.js';
import type { AccountName, GrantTarget, PrivilegeItem } from '../../../src/sql/ast.js';
import { SqlError } from '../../../src/kernel/errors.js';

const A = (user: string, host = '%'): AccountName => ({ user, host });
const P = (...names: string[]): PrivilegeItem[] => names.map((name) => ({ name }));
const ON = (schema: string | null, table: string): GrantTarget => ({ schema, table });

function setup() {
  const acl = Acl.inMemory(initialAclState());
  const root = new SecurityContext(acl, 'root', 'localhost', 'root', 'localhost');
  const run = (stmt: AccountStatement, ctx: SecurityContext = root, env: AccountStatementEnv = {}) => executeAccountStatement(acl, ctx, stmt, env);
  const as = (user: string, host = '%', peer = 'localhost') => new SecurityContext(acl, user, peer, user, host);
  return { acl, root, run, as };
}

async function err(p: Promise<unknown> | (() => unknown)): Promise<SqlError> {
  try {
    if (typeof p === 'function') p();
    else await p;
  } catch (e) {
    if (e instanceof SqlError) return e;
    throw e;
  }
  throw new Error('expected an error');
}

describe('CREATE USER / DROP USER / RENAME USER', () => {
  it(req('CORE-ACCT-041', 'unit', 'CREATE USER defaults to caching_sha2_password and stores the hash'), async () => {
    const { acl, run } = setup();
    await run({ kind: 'create_user', ifNotExists: false, users: [{ account: A('u1'), auth: { password: 'pw' } }] });
    const u = acl.getUser('u1', '%')!;
    expect(u.plugin).toBe('caching_sha2_password');
    expect(verifyPassword(u.plugin, u.authString, 'pw')).toBe(true);
    await run({ kind: 'create_user', ifNotExists: false, users: [{ account: A('u2', 'localhost'), auth: { plugin: 'mysql_native_password', password: 'pw' } }] });
    expect(acl.getUser('u2', 'localhost')!.authString).toBe('*D821809F681A40A6E379B50D0463EFAE20BDD122');
  });

  it(req('CORE-ACCT-041', 'unit', 'CREATE USER of an existing account: 1396, or note 3163 with IF NOT EXISTS; atomic'), async () => {
    const { acl, run } = setup();
    await run({ kind: 'create_user', ifNotExists: false, users: [{ account: A('u1') }] });
    const e = await err(run({ kind: 'create_user', ifNotExists: false, users: [{ account: A('u9') }, { account: A('u1') }] }));
    expect(e.errno).toBe(1396);
    expect(e.message).toBe("Operation CREATE USER failed for 'u1'@'%'");
    expect(acl.getUser('u9', '%')).toBeUndefined();
    const out = await run({ kind: 'create_user', ifNotExists: true, users: [{ account: A('u1') }] });
    expect(out.warnings).toEqual([{ level: 'Note', code: 3163, message: "Authorization ID 'u1'@'%' already exists." }]);
  });

  it(req('CORE-ACCT-041', 'unit', 'CREATE USER with IDENTIFIED WITH ... AS hash, REQUIRE SSL, ACCOUNT LOCK, limits, PASSWORD EXPIRE'), async () => {
    const { acl, run } = setup();
    await run({
      kind: 'create_user', ifNotExists: false,
      users: [{ account: A('h'), auth: { plugin: 'mysql_native_password', hash: '*2470C0C06DEE42FD1618BB99005ADCA2EC9D1E19' } }],
      require: { type: 'SSL' }, accountLock: true, resourceOptions: { MAX_USER_CONNECTIONS: 3 }, passwordOptions: ['PASSWORD EXPIRE'],
    });
    const u = acl.getUser('h', '%')!;
    expect(verifyPassword(u.plugin, u.authString, 'password')).toBe(true);
    expect(acl.findAccount('h', { transport: 'tcp', remoteAddress: '192.0.2.1' })).toMatchObject({ locked: true, requireSecureTransport: true, passwordExpired: true });
    const e = await err(run({ kind: 'create_user', ifNotExists: false, users: [{ account: A('bad'), auth: { plugin: 'mysql_native_password', hash: 'nope' } }] }));
    expect(e.errno).toBe(1827);
  });

  it(req('CORE-ACCT-043', 'unit', 'DROP USER: 1396 when missing, note 3162 with IF EXISTS, grants removed'), async () => {
    const { acl, run } = setup();
    await run({ kind: 'create_user', ifNotExists: false, users: [{ account: A('u1') }] });
    await run({ kind: 'grant', privileges: P('SELECT'), target: ON('db', '*'), users: [A('u1')], withGrantOption: false });
    const e = await err(run({ kind: 'drop_user', ifExists: false, users: [A('u1'), A('nobody')] }));
    expect(e.message).toBe("Operation DROP USER failed for 'nobody'@'%'");
    expect(acl.getUser('u1', '%')).toBeDefined();
    const out = await run({ kind: 'drop_user', ifExists: true, users: [A('u1'), A('nobody')] });
    expect(out.warnings[0]).toMatchObject({ level: 'Note', code: 3162, message: "Authorization ID 'nobody'@'%' does not exist." });
    expect(acl.state.db.filter((g) => g.user === 'u1')).toEqual([]);
  });

  it(req('CORE-ACCT-044', 'unit', 'RENAME USER moves grants; 1396 for a missing source or existing target'), async () => {
    const { acl, run } = setup();
    await run({ kind: 'create_user', ifNotExists: false, users: [{ account: A('a') }, { account: A('b') }] });
    await run({ kind: 'grant', privileges: P('INSERT'), target: ON('db', '*'), users: [A('a')], withGrantOption: false });
    expect((await err(run({ kind: 'rename_user', pairs: [{ from: A('a'), to: A('b') }] }))).message).toBe("Operation RENAME USER failed for 'a'@'%'");
    await run({ kind: 'rename_user', pairs: [{ from: A('a'), to: A('c', 'localhost') }] });
    expect(acl.getUser('c', 'localhost')).toBeDefined();
    expect(showGrants(acl, internalSecurityContext(acl), { account: A('c', 'localhost') }).rows.map((r) => r[0])).toEqual([
      'GRANT USAGE ON *.* TO `c`@`localhost`',
      'GRANT INSERT ON `db`.* TO `c`@`localhost`',
    ]);
  });

  it(req(['CORE-ACCT-042', 'CORE-ACCT-040'], 'unit', 'ALTER USER changes the password and fires onCredentialsChanged; 1396 / note 3162'), async () => {
    const { acl, run, as } = setup();
    await run({ kind: 'create_user', ifNotExists: false, users: [{ account: A('u1'), auth: { password: 'a' } }] });
    const seen: string[] = [];
    acl.onCredentialsChanged((a) => seen.push(a ? `${a.user}@${a.host}` : "*"));
    // a user may change their own password without privileges (ALTER USER USER() form)
    await run({ kind: 'alter_user', ifExists: false, ifNotExists: false, users: [{ account: { user: '', host: '', current: true }, auth: { password: 'b' } }] }, as('u1'));
    const u = acl.getUser('u1', '%')!;
    expect(verifyPassword(u.plugin, u.authString, 'b')).toBe(true);
    expect(seen).toEqual(['u1@%']);
    expect((await err(run({ kind: 'alter_user', ifExists: false, ifNotExists: false, users: [{ account: A('zz') }], accountLock: true }))).message).toBe("Operation ALTER USER failed for 'zz'@'%'");
    const out = await run({ kind: 'alter_user', ifExists: true, ifNotExists: false, users: [{ account: A('zz') }], accountLock: true });
    expect(out.warnings[0]!.code).toBe(3162);
    // changing someone else needs CREATE USER
    const e = await err(run({ kind: 'alter_user', ifExists: false, ifNotExists: false, users: [{ account: A('root', 'localhost'), auth: { password: 'x' } }] }, as('u1')));
    expect(e.message).toBe('Access denied; you need (at least one of) the CREATE USER privilege(s) for this operation');
  });

  it(req('CORE-ACCT-049', 'unit', 'SET PASSWORD for self and others; 1133 for an unknown account'), async () => {
    const { acl, run, as } = setup();
    await run({ kind: 'create_user', ifNotExists: false, users: [{ account: A('u1') }] });
    await run({ kind: 'set_password', password: 'n1' }, as('u1'));
    expect(verifyPassword('caching_sha2_password', acl.getUser('u1', '%')!.authString, 'n1')).toBe(true);
    await run({ kind: 'set_password', account: A('u1'), password: 'n2' });
    expect(verifyPassword('caching_sha2_password', acl.getUser('u1', '%')!.authString, 'n2')).toBe(true);
    expect((await err(run({ kind: 'set_password', account: A('zz'), password: 'x' }))).errno).toBe(1133);
    const e = await err(run({ kind: 'set_password', account: A('root', 'localhost'), password: 'x' }, as('u1')));
    expect(e.message).toBe("Access denied for user 'u1'@'%' to database 'mysql'");
  });
});

describe('GRANT / REVOKE and checks', () => {
  it(req(['CORE-ACCT-046', 'CORE-PRIV-011', 'CORE-PRIV-012'], 'unit', 'db and table grants drive requireDb/requireTable with exact texts'), async () => {
    const { run, as } = setup();
    await run({ kind: 'create_user', ifNotExists: false, users: [{ account: A('u1') }] });
    await run({ kind: 'grant', privileges: P('SELECT', 'INSERT'), target: ON('app', '*'), users: [A('u1')], withGrantOption: false });
    await run({ kind: 'grant', privileges: P('UPDATE'), target: ON('other', 't'), users: [A('u1')], withGrantOption: false });
    const u = as('u1', '%', 'localhost');
    expect(() => requireDb(u, 'SELECT', 'app')).not.toThrow();
    expect(() => requireTable(u, 'INSERT', 'app', 'x')).not.toThrow();
    expect(() => requireTable(u, 'UPDATE', 'other', 't')).not.toThrow();
    expect((await err(() => requireDb(u, 'SELECT', 'secret'))).message).toBe("Access denied for user 'u1'@'%' to database 'secret'");
    const t = await err(() => requireTable(u, 'DELETE', 'app', 't1'));
    expect([t.errno, t.sqlState, t.message]).toEqual([1142, '42000', "DELETE command denied to user 'u1'@'localhost' for table 't1'"]);
    const g = await err(() => requireGlobal(u, 'SUPER'));
    expect([g.errno, g.message]).toEqual([1227, 'Access denied; you need (at least one of) the SUPER privilege(s) for this operation']);
  });

  it(req(['CORE-ACCT-046', 'CORE-PRIV-013'], 'unit', 'column grants: 1143 for a column outside the grant'), async () => {
    const { run, as } = setup();
    await run({ kind: 'create_user', ifNotExists: false, users: [{ account: A('u1') }] });
    await run({ kind: 'grant', privileges: [{ name: 'SELECT', columns: ['a', 'b'] }], target: ON('db', 't'), users: [A('u1')], withGrantOption: false });
    const u = as('u1');
    expect(() => requireColumns(u, 'SELECT', 'db', 't', ['a', 'B'])).not.toThrow();
    const e = await err(() => requireColumns(u, 'SELECT', 'db', 't', ['a', 'c']));
    expect([e.errno, e.message]).toEqual([1143, "SELECT command denied to user 'u1'@'localhost' for column 'c' in table 't'"]);
    const e2 = await err(() => requireColumns(u, 'SELECT', 'db', 't2', ['a']));
    expect(e2.errno).toBe(1142);
    expect(canSeeTable(u, 'db', 't')).toBe(true);
    expect(canSeeTable(u, 'db', 't2')).toBe(false);
    expect(canSeeSchema(u, 'db')).toBe(true);
    expect(canSeeSchema(u, 'mysql')).toBe(false);
  });

  it(req(['CORE-ACCT-046', 'CORE-PRIV-002'], 'unit', 'GRANT errors: 1410 unknown user, 1144 illegal level, 1221 global privilege on a db, 3619 dynamic on a db, 1046 no db'), async () => {
    const { run } = setup();
    await run({ kind: 'create_user', ifNotExists: false, users: [{ account: A('u1') }] });
    expect((await err(run({ kind: 'grant', privileges: P('SELECT'), target: ON('db', '*'), users: [A('ghost')], withGrantOption: false }))).message)
      .toBe('You are not allowed to create a user with GRANT');
    expect((await err(run({ kind: 'grant', privileges: P('RELOAD'), target: ON('db', 't'), users: [A('u1')], withGrantOption: false }))).errno).toBe(1144);
    expect((await err(run({ kind: 'grant', privileges: [{ name: 'DELETE', columns: ['a'] }], target: ON('db', 't'), users: [A('u1')], withGrantOption: false }))).errno).toBe(1144);
    expect((await err(run({ kind: 'grant', privileges: [{ name: 'SELECT', columns: ['a'] }], target: ON('db', '*'), users: [A('u1')], withGrantOption: false }))).errno).toBe(1144);
    const w = await err(run({ kind: 'grant', privileges: P('SUPER'), target: ON('db', '*'), users: [A('u1')], withGrantOption: false }));
    expect([w.errno, w.message]).toEqual([1221, 'Incorrect usage of DB GRANT and GLOBAL PRIVILEGES']);
    const d = await err(run({ kind: 'grant', privileges: P('BACKUP_ADMIN'), target: ON('db', '*'), users: [A('u1')], withGrantOption: false }));
    expect([d.errno, d.message]).toEqual([3619, 'Illegal privilege level specified for BACKUP_ADMIN']);
    expect((await err(run({ kind: 'grant', privileges: P('SELECT'), target: ON(null, '*'), users: [A('u1')], withGrantOption: false }))).errno).toBe(1046);
    expect((await err(run({ kind: 'grant', privileges: P('SELECT'), target: ON('db', 'nope'), users: [A('u1')], withGrantOption: false }, undefined, { tableExists: () => false }))).message)
      .toBe("Table 'db.nope' doesn't exist");
  });

  it(req('CORE-PRIV-004', 'unit', 'a grantor needs GRANT OPTION and the privilege: 1045 / 1044 / 1142 / 1227'), async () => {
    const { run, as } = setup();
    await run({ kind: 'create_user', ifNotExists: false, users: [{ account: A('g') }, { account: A('v') }] });
    await run({ kind: 'grant', privileges: P('SELECT'), target: ON('app', '*'), users: [A('g')], withGrantOption: true });
    const g = as('g');
    await run({ kind: 'grant', privileges: P('SELECT'), target: ON('app', '*'), users: [A('v')], withGrantOption: false }, g);
    await run({ kind: 'grant', privileges: P('SELECT'), target: ON('app', 't'), users: [A('v')], withGrantOption: false }, g);
    expect((await err(run({ kind: 'grant', privileges: P('INSERT'), target: ON('app', '*'), users: [A('v')], withGrantOption: false }, g))).message)
      .toBe("Access denied for user 'g'@'%' to database 'app'");
    expect((await err(run({ kind: 'grant', privileges: P('INSERT'), target: ON('app', 't'), users: [A('v')], withGrantOption: false }, g))).message)
      .toBe("GRANT command denied to user 'g'@'localhost' for table 't'");
    expect((await err(run({ kind: 'grant', privileges: P('SELECT'), target: ON('*', '*'), users: [A('v')], withGrantOption: false }, g))).message)
      .toBe("Access denied for user 'g'@'%' (using password: YES)");
    expect((await err(run({ kind: 'grant', privileges: P('XA_RECOVER_ADMIN'), target: ON('*', '*'), users: [A('v')], withGrantOption: false }, g))).message)
      .toBe('Access denied; you need (at least one of) the GRANT OPTION privilege(s) for this operation');
  });

  it(req('CORE-ACCT-047', 'unit', 'REVOKE: 1141 / 1147 when there is no such grant; REVOKE ALL, GRANT OPTION'), async () => {
    const { acl, run } = setup();
    await run({ kind: 'create_user', ifNotExists: false, users: [{ account: A('u1') }] });
    expect((await err(run({ kind: 'revoke', privileges: P('SELECT'), target: ON('db', '*'), users: [A('u1')] }))).message)
      .toBe("There is no such grant defined for user 'u1' on host '%'");
    expect((await err(run({ kind: 'revoke', privileges: P('SELECT'), target: ON('db', 't'), users: [A('u1')] }))).message)
      .toBe("There is no such grant defined for user 'u1' on host '%' on table 't'");
    await run({ kind: 'grant', privileges: P('SELECT', 'INSERT'), target: ON('db', '*'), users: [A('u1')], withGrantOption: true });
    await run({ kind: 'grant', privileges: P('SELECT', 'BACKUP_ADMIN'), target: ON('*', '*'), users: [A('u1')], withGrantOption: false });
    await run({ kind: 'revoke', privileges: P('INSERT'), target: ON('db', '*'), users: [A('u1')] });
    const ctx = internalSecurityContext(acl);
    expect(showGrants(acl, ctx, { account: A('u1') }).rows.map((r) => r[0])).toEqual([
      'GRANT SELECT ON *.* TO `u1`@`%`',
      'GRANT BACKUP_ADMIN ON *.* TO `u1`@`%`',
      'GRANT SELECT ON `db`.* TO `u1`@`%` WITH GRANT OPTION',
    ]);
    await run({ kind: 'revoke', privileges: [], users: [A('u1')], allAndGrantOption: true });
    expect(showGrants(acl, ctx, { account: A('u1') }).rows.map((r) => r[0])).toEqual(['GRANT USAGE ON *.* TO `u1`@`%`']);
  });
});

describe('roles', () => {
  it(req(['CORE-ACCT-045', 'CORE-ACCT-048', 'CORE-ACCT-050', 'CORE-ACCT-062', 'CORE-PRIV-010', 'CORE-PRIV-016'], 'unit', 'roles: grant, SET ROLE, default roles, CURRENT_ROLE(), SHOW GRANTS USING, 3530'), async () => {
    const { acl, run, as } = setup();
    await run({ kind: 'create_role', ifNotExists: false, roles: [A('r_read'), A('r_write')] });
    expect(acl.getUser('r_read', '%')).toMatchObject({ locked: true, passwordExpired: true, authString: '' });
    await run({ kind: 'create_user', ifNotExists: false, users: [{ account: A('u1') }] });
    await run({ kind: 'grant', privileges: P('SELECT'), target: ON('app', '*'), users: [A('r_read')], withGrantOption: false });
    await run({ kind: 'grant_role', roles: [A('r_read')], users: [A('u1')], withAdminOption: false });
    const u = as('u1');
    expect(() => requireDb(u, 'SELECT', 'app')).toThrow(SqlError);
    expect(currentRoleFunction(u)).toBe('NONE');
    await run({ kind: 'set_role', mode: 'LIST', roles: [A('r_read')] }, u);
    expect(() => requireDb(u, 'SELECT', 'app')).not.toThrow();
    expect(currentRoleFunction(u)).toBe('`r_read`@`%`');
    const e = await err(run({ kind: 'set_role', mode: 'LIST', roles: [A('r_write')] }, u));
    expect([e.errno, e.message]).toEqual([3530, '`r_write`@`%` is not granted to `u1`@`%`']);
    await run({ kind: 'set_role', mode: 'NONE', roles: [] }, u);
    expect(hasGlobal(u, 'SELECT')).toBe(false);
    // default roles become active at login
    await run({ kind: 'set_default_role', mode: 'ALL', roles: [], users: [A('u1')] });
    const login = createSecurityContext(acl, { user: 'u1', host: '%' }, 'u1', { transport: 'tcp', remoteAddress: '127.0.0.1' });
    expect(login.activeRoles).toEqual([{ user: 'r_read', host: '%' }]);
    expect(userFunction(login)).toBe('u1@localhost');
    expect(currentUserFunction(login)).toBe('u1@%');
    expect(showGrants(acl, internalSecurityContext(acl), { account: A('u1') }).rows.map((r) => r[0])).toEqual([
      'GRANT USAGE ON *.* TO `u1`@`%`',
      'GRANT `r_read`@`%` TO `u1`@`%`',
    ]);
    expect(showGrants(acl, internalSecurityContext(acl), { account: A('u1'), using: [A('r_read')] }).rows.map((r) => r[0])).toEqual([
      'GRANT USAGE ON *.* TO `u1`@`%`',
      'GRANT SELECT ON `app`.* TO `u1`@`%`',
      'GRANT `r_read`@`%` TO `u1`@`%`',
    ]);
    expect((await err(run({ kind: 'grant_role', roles: [A('nope')], users: [A('u1')], withAdminOption: false }))).message).toBe('Unknown authorization ID `nope`@`%`');
    const denied = await err(run({ kind: 'grant_role', roles: [A('r_write')], users: [A('u1')], withAdminOption: false }, u));
    expect(denied.message).toBe('Access denied; you need (at least one of) the WITH ADMIN, ROLE_ADMIN, SUPER privilege(s) for this operation');
    await run({ kind: 'revoke_role', roles: [A('r_read')], users: [A('u1')] });
    expect((await err(run({ kind: 'revoke_role', roles: [A('r_read')], users: [A('u1')] }))).errno).toBe(3530);
  });
});

describe('SHOW GRANTS / SHOW CREATE USER', () => {
  it(req(['CORE-ACCT-060', 'CORE-ACCT-090', 'CORE-PRIV-001'], 'unit', 'root@localhost after initialisation'), () => {
    const { acl, root } = setup();
    const r = showGrants(acl, root, {});
    expect(r.columns[0]!.name).toBe('Grants for root@localhost');
    const lines = r.rows.map((x) => x[0] as string);
    expect(lines[0]).toBe(
      'GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, DROP, RELOAD, SHUTDOWN, PROCESS, FILE, REFERENCES, INDEX, ALTER, SHOW DATABASES, SUPER, CREATE TEMPORARY TABLES, LOCK TABLES, EXECUTE, REPLICATION SLAVE, REPLICATION CLIENT, CREATE VIEW, SHOW VIEW, CREATE ROUTINE, ALTER ROUTINE, CREATE USER, EVENT, TRIGGER, CREATE TABLESPACE, CREATE ROLE, DROP ROLE ON *.* TO `root`@`localhost` WITH GRANT OPTION',
    );
    expect(lines[1]).toMatch(/^GRANT APPLICATION_PASSWORD_ADMIN,AUDIT_ABORT_EXEMPT,.*,XA_RECOVER_ADMIN ON \*\.\* TO `root`@`localhost` WITH GRANT OPTION$/);
    expect(lines[2]).toBe('GRANT PROXY ON ``@`` TO `root`@`localhost` WITH GRANT OPTION');
    expect(lines.length).toBe(3);
  });

  it(req(['CORE-ACCT-060', 'CORE-PRIV-003'], 'unit', 'table and column privileges on one line; ALL PRIVILEGES at db level'), async () => {
    const { acl, run, root } = setup();
    await run({ kind: 'create_user', ifNotExists: false, users: [{ account: A('u1') }] });
    await run({ kind: 'grant', privileges: [{ name: 'ALL PRIVILEGES' }], target: ON('d1', '*'), users: [A('u1')], withGrantOption: false });
    await run({ kind: 'grant', privileges: [{ name: 'SELECT' }, { name: 'SELECT', columns: ['a'] }, { name: 'UPDATE', columns: ['b', 'a'] }], target: ON('d2', 't'), users: [A('u1')], withGrantOption: false });
    expect(showGrants(acl, root, { account: A('u1') }).rows.map((r) => r[0])).toEqual([
      'GRANT USAGE ON *.* TO `u1`@`%`',
      'GRANT ALL PRIVILEGES ON `d1`.* TO `u1`@`%`',
      'GRANT SELECT, SELECT (`a`), UPDATE (`a`, `b`) ON `d2`.`t` TO `u1`@`%`',
    ]);
  });

  it(req('CORE-ACCT-061', 'unit', 'SHOW CREATE USER text'), async () => {
    const { acl, run, root } = setup();
    await run({ kind: 'create_user', ifNotExists: false, users: [{ account: A('u1'), auth: { plugin: 'mysql_native_password', password: 'password' } }], accountLock: true, comment: "it's me" });
    const r = showCreateUser(acl, root, A('u1'));
    expect(r.columns[0]!.name).toBe('CREATE USER for u1@%');
    expect(r.rows[0]![0]).toBe(
      "CREATE USER `u1`@`%` IDENTIFIED WITH 'mysql_native_password' AS '*2470C0C06DEE42FD1618BB99005ADCA2EC9D1E19' REQUIRE NONE PASSWORD EXPIRE DEFAULT ACCOUNT LOCK PASSWORD HISTORY DEFAULT PASSWORD REUSE INTERVAL DEFAULT PASSWORD REQUIRE CURRENT DEFAULT COMMENT 'it\\'s me'",
    );
  });

  it(req('CORE-ACCT-060', 'unit', 'SHOW GRANTS FOR another user needs SELECT on mysql.user (1142)'), async () => {
    const { acl, run, as } = setup();
    await run({ kind: 'create_user', ifNotExists: false, users: [{ account: A('u1') }] });
    const e = await err(() => showGrants(acl, as('u1'), { account: A('root', 'localhost') }));
    expect([e.errno, e.message]).toEqual([1142, "SELECT command denied to user 'u1'@'localhost' for table 'user'"]);
    expect(showGrants(acl, as('u1'), {}).rows).toEqual([['GRANT USAGE ON *.* TO `u1`@`%`']]);
  });
});

describe('FLUSH PRIVILEGES', () => {
  it(req('CORE-ACCT-052', 'unit', 'FLUSH PRIVILEGES needs RELOAD'), async () => {
    const { run, as } = setup();
    await run({ kind: 'create_user', ifNotExists: false, users: [{ account: A('u1') }] });
    const e = await err(run({ kind: 'flush', local: false, what: ['PRIVILEGES'] }, as('u1')));
    expect(e.message).toBe('Access denied; you need (at least one of) the RELOAD privilege(s) for this operation');
    await run({ kind: 'flush', local: false, what: ['PRIVILEGES'] });
  });
});

describe('schema visibility', () => {
  it(req('CORE-PRIV-015', 'unit', 'a fresh account sees only information_schema and performance_schema; SHOW DATABASES sees all'), async () => {
    const { run, as } = setup();
    await run({ kind: 'create_user', ifNotExists: false, users: [{ account: A('u1') }] });
    const u = as('u1');
    expect(['information_schema', 'performance_schema', 'mysql', 'sys', 'app'].filter((d) => canSeeSchema(u, d))).toEqual(['information_schema', 'performance_schema']);
    await run({ kind: 'grant', privileges: P('SHOW DATABASES'), target: ON('*', '*'), users: [A('u1')], withGrantOption: false });
    expect(['mysql', 'sys', 'app'].every((d) => canSeeSchema(u, d))).toBe(true);
    expect(canSeeTable(u, 'app', 't')).toBe(false);
  });
});

describe('1227 texts', () => {
  it(req('CORE-PRIV-011', 'unit', 'CREATE ROLE / DROP ROLE without privileges name both static privileges'), async () => {
    const { run, as } = setup();
    await run({ kind: 'create_user', ifNotExists: false, users: [{ account: A('u1') }] });
    expect((await err(run({ kind: 'create_role', ifNotExists: false, roles: [A('r')] }, as('u1')))).message)
      .toBe('Access denied; you need (at least one of) the CREATE USER, CREATE ROLE privilege(s) for this operation');
    expect((await err(run({ kind: 'drop_role', ifExists: false, roles: [A('r')] }, as('u1')))).message)
      .toBe('Access denied; you need (at least one of) the CREATE USER, DROP ROLE privilege(s) for this operation');
    expect((await err(() => requireGlobal(as('u1'), ['SUPER', 'SYSTEM_VARIABLES_ADMIN']))).message)
      .toBe('Access denied; you need (at least one of) the SUPER or SYSTEM_VARIABLES_ADMIN privilege(s) for this operation');
  });
});

describe('more CREATE USER forms', () => {
  it(req('CORE-ACCT-053', 'unit', 'IDENTIFIED BY RANDOM PASSWORD returns the generated password'), async () => {
    const { acl, run } = setup();
    const out = await run({ kind: 'create_user', ifNotExists: false, users: [{ account: A('rp'), auth: { randomPassword: true } }] });
    expect(out.result!.columns.map((c) => c.name)).toEqual(['user', 'host', 'generated password', 'auth_factor']);
    const [user, host, pw] = out.result!.rows[0]!;
    expect([user, host]).toEqual(['rp', '%']);
    expect(String(pw)).toHaveLength(20);
    expect(verifyPassword('caching_sha2_password', acl.getUser('rp', '%')!.authString, String(pw))).toBe(true);
  });

  it(req(['CORE-ACCT-061', 'CORE-ACCT-041'], 'unit', 'SHOW CREATE USER with DEFAULT ROLE, REQUIRE SSL, limits and PASSWORD EXPIRE INTERVAL'), async () => {
    const { acl, run, root } = setup();
    await run({ kind: 'create_role', ifNotExists: false, roles: [A('r1')] });
    await run({
      kind: 'create_user', ifNotExists: false, users: [{ account: A('x', 'localhost') }], defaultRoles: [A('r1')],
      require: { type: 'SSL' }, resourceOptions: { MAX_QUERIES_PER_HOUR: 10, MAX_USER_CONNECTIONS: 2 }, passwordOptions: ['PASSWORD EXPIRE INTERVAL 30 DAY'],
    });
    expect(showCreateUser(acl, root, A('x', 'localhost')).rows[0]![0]).toBe(
      "CREATE USER `x`@`localhost` IDENTIFIED WITH 'caching_sha2_password' DEFAULT ROLE `r1`@`%` REQUIRE SSL WITH MAX_QUERIES_PER_HOUR 10 MAX_USER_CONNECTIONS 2 PASSWORD EXPIRE INTERVAL 30 DAY ACCOUNT UNLOCK PASSWORD HISTORY DEFAULT PASSWORD REUSE INTERVAL DEFAULT PASSWORD REQUIRE CURRENT DEFAULT",
    );
    expect((await err(() => showCreateUser(acl, root, A("nope")))).message).toBe("Operation SHOW CREATE USER failed for 'nope'@'%'");
  });
});

describe('small helpers', () => {
  it(req('CORE-ACCT-010', 'unit', 'user names over 32 characters are refused'), async () => {
    const { run } = setup();
    const e = await err(run({ kind: 'create_user', ifNotExists: false, users: [{ account: A('x'.repeat(33)) }] }));
    expect(e.errno).toBe(1470);
  });

  it(req(['CORE-PRIV-014', 'CORE-PRIV-017'], 'unit', 'privilegeNameFor / globalPrivilegesFor and the internal context'), async () => {
    const { privilegeNameFor, globalPrivilegesFor } = await import('../../../src/accounts/privileges.js');
    expect(privilegeNameFor('select')).toBe('SELECT');
    expect(privilegeNameFor('truncate')).toBe('DROP');
    expect(privilegeNameFor('create_view')).toBe('CREATE VIEW');
    expect(privilegeNameFor('set')).toBeNull();
    expect(globalPrivilegesFor('create_role')).toEqual(['CREATE ROLE', 'CREATE USER']);
    const { acl } = setup();
    const internal = internalSecurityContext(acl);
    expect(() => requireGlobal(internal, 'SHUTDOWN')).not.toThrow();
    expect(() => requireTable(internal, 'DELETE', 'any', 'thing')).not.toThrow();
  });
});

describe('GRANT ALL by a non-root grantor', () => {
  it(req(['CORE-PRIV-003', 'CORE-PRIV-004'], 'unit', 'GRANT ALL ON *.* passes on only the dynamic privileges the grantor holds WITH GRANT OPTION'), async () => {
    const { acl, run, as, root } = setup();
    await run({ kind: 'create_user', ifNotExists: false, users: [{ account: A('g') }, { account: A('v') }] });
    await run({ kind: 'grant', privileges: P('ALL'), target: ON('*', '*'), users: [A('g')], withGrantOption: false });
    await run({ kind: 'grant', privileges: P('SELECT', 'BACKUP_ADMIN'), target: ON('*', '*'), users: [A('g')], withGrantOption: true });
    await run({ kind: 'grant', privileges: P('ALL'), target: ON('*', '*'), users: [A('v')], withGrantOption: false }, as('g'));
    const lines = showGrants(acl, root, { account: A('v') }).rows.map((r) => r[0] as string);
    expect(lines[1]).toBe('GRANT BACKUP_ADMIN ON *.* TO `v`@`%`');
  });
});
