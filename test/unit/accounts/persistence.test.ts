import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { req } from '../../helpers/req.js';
import { Acl, aclPath } from '../../../src/accounts/acl.js';
import { initializeAccounts } from '../../../src/accounts/initialize.js';
import { SecurityContext } from '../../../src/accounts/privileges.js';
import { executeAccountStatement } from '../../../src/accounts/statements.js';
import { grantTableViews } from '../../../src/accounts/grant-tables.js';
import { verifyPassword } from '../../../src/accounts/credentials.js';
import type { VirtualTableContext } from '../../../src/catalog/virtual-table.js';
import { tempDirs } from '../../helpers/temp-dir.js';

const tmp = tempDirs('refmysql-acct-');

const vctx: VirtualTableContext = { connectionId: 1, user: 'root', host: 'localhost', schema: null, sessionVar: () => null, canSee: () => true };

describe('persistence', () => {
  it(req(['CORE-ACCT-090', 'CORE-ACCT-091', 'CORE-ACCT-031'], 'unit', 'initializeAccounts writes root@localhost and the system accounts'), () => {
    const dir = tmp();
    const acl = initializeAccounts(dir, { rootPassword: 's3cret' });
    const root = acl.getUser('root', 'localhost')!;
    expect(root.plugin).toBe('caching_sha2_password');
    expect(verifyPassword(root.plugin, root.authString, 's3cret')).toBe(true);
    for (const sys of ['mysql.session', 'mysql.sys', 'mysql.infoschema']) expect(acl.getUser(sys, 'localhost')?.locked).toBe(true);
    const again = Acl.open(dir);
    expect(again.state.users.map((u) => u.user).sort()).toEqual(['mysql.infoschema', 'mysql.session', 'mysql.sys', 'root']);
    // insecure init: empty password
    const dir2 = tmp();
    expect(initializeAccounts(dir2).getUser('root', 'localhost')!.authString).toBe('');
    // leaves no temporary files behind
    expect(readdirSync(join(dir, 'mysql'))).toEqual(['acl.json']);
  });

  it(req(['CORE-ACCT-031', 'CORE-ACCT-032', 'CORE-ACCT-052'], 'unit', 'changes survive reopen; a failed statement leaves the file untouched; FLUSH PRIVILEGES reloads'), async () => {
    const dir = tmp();
    const acl = initializeAccounts(dir);
    const root = new SecurityContext(acl, 'root', 'localhost', 'root', 'localhost');
    await executeAccountStatement(acl, root, { kind: 'create_user', ifNotExists: false, users: [{ account: { user: 'u1', host: '%' }, auth: { password: 'x' } }] });
    const before = readFileSync(aclPath(dir), 'utf8');
    await expect(executeAccountStatement(acl, root, { kind: 'create_user', ifNotExists: false, users: [{ account: { user: 'u2', host: '%' } }, { account: { user: 'u1', host: '%' } }] })).rejects.toThrow(/CREATE USER failed/);
    expect(readFileSync(aclPath(dir), 'utf8')).toBe(before);
    expect(Acl.open(dir).getUser('u1', '%')).toBeDefined();
    // an outside edit of the persisted state is picked up by FLUSH PRIVILEGES
    const state = JSON.parse(before) as { users: { user: string }[] };
    state.users = state.users.filter((u) => u.user !== 'u1');
    writeFileSync(aclPath(dir), JSON.stringify(state));
    expect(acl.getUser('u1', '%')).toBeDefined();
    await executeAccountStatement(acl, root, { kind: 'flush', local: false, what: ['PRIVILEGES'] });
    expect(acl.getUser('u1', '%')).toBeUndefined();
  });
});

describe('grant table views', () => {
  it(req('CORE-ACCT-080', 'unit', 'mysql.user / db / global_grants / role_edges rows'), async () => {
    const acl = initializeAccounts(tmp());
    const root = new SecurityContext(acl, 'root', 'localhost', 'root', 'localhost');
    await executeAccountStatement(acl, root, { kind: 'create_role', ifNotExists: false, roles: [{ user: 'r', host: '%' }] });
    await executeAccountStatement(acl, root, { kind: 'create_user', ifNotExists: false, users: [{ account: { user: 'u', host: '%' } }] });
    await executeAccountStatement(acl, root, { kind: 'grant_role', roles: [{ user: 'r', host: '%' }], users: [{ user: 'u', host: '%' }], withAdminOption: true });
    const views = new Map(grantTableViews(acl).map((v) => [v.def.name, v]));
    expect([...views.keys()]).toEqual(['user', 'db', 'tables_priv', 'columns_priv', 'procs_priv', 'global_grants', 'role_edges', 'default_roles', 'proxies_priv']);
    const user = views.get('user')!;
    const cols = user.def.columns.map((c) => c.name);
    expect(cols.slice(0, 4)).toEqual(['Host', 'User', 'Select_priv', 'Insert_priv']);
    const rows = [...user.rows(vctx)];
    expect(rows.every((r) => r.length === cols.length)).toBe(true);
    const rootRow = rows.find((r) => r[1] === 'root')!;
    expect(rootRow[cols.indexOf('Super_priv')]).toBe('Y');
    expect(rootRow[cols.indexOf('plugin')]).toBe('caching_sha2_password');
    expect(rootRow[cols.indexOf('account_locked')]).toBe('N');
    const roleRow = rows.find((r) => r[1] === 'r')!;
    expect([roleRow[cols.indexOf('account_locked')], roleRow[cols.indexOf('password_expired')]]).toEqual(['Y', 'Y']);
    expect([...views.get('role_edges')!.rows(vctx)]).toEqual([['%', 'r', '%', 'u', 'Y']]);
    expect([...views.get('global_grants')!.rows(vctx)].some((r) => r[0] === 'root' && r[2] === 'SYSTEM_USER' && r[3] === 'Y')).toBe(true);
  });
});

describe('information_schema privilege rows', () => {
  it(req('CORE-ACCT-081', 'unit', 'USER/SCHEMA/TABLE/COLUMN_PRIVILEGES rows and visibility'), async () => {
    const { userPrivilegeRows, schemaPrivilegeRows, tablePrivilegeRows, columnPrivilegeRows, privilegeViewer } = await import('../../../src/accounts/infoschema-privileges.js');
    const acl = Acl.inMemory();
    const root = new SecurityContext(acl, 'root', 'localhost', 'root', 'localhost', true);
    await executeAccountStatement(acl, root, { kind: 'create_user', ifNotExists: false, users: [{ account: { user: 'u', host: '%' } }, { account: { user: 'v', host: '%' } }] });
    await executeAccountStatement(acl, root, { kind: 'grant', privileges: [{ name: 'SELECT' }], target: { schema: 'd', table: '*' }, users: [{ user: 'u', host: '%' }], withGrantOption: true });
    await executeAccountStatement(acl, root, { kind: 'grant', privileges: [{ name: 'INSERT' }, { name: 'UPDATE', columns: ['a'] }], target: { schema: 'd', table: 't' }, users: [{ user: 'u', host: '%' }], withGrantOption: false });
    const u = new SecurityContext(acl, 'u', 'localhost', 'u', '%');
    const viewer = privilegeViewer(u);
    expect(viewer).toEqual({ user: 'u', host: '%' });
    expect(userPrivilegeRows(acl, viewer)).toEqual([["'u'@'%'", 'def', 'USAGE', 'NO']]);
    expect(schemaPrivilegeRows(acl, viewer)).toEqual([["'u'@'%'", 'def', 'd', 'SELECT', 'YES']]);
    expect(tablePrivilegeRows(acl, viewer)).toEqual([["'u'@'%'", 'def', 'd', 't', 'INSERT', 'NO']]);
    expect(columnPrivilegeRows(acl, viewer)).toEqual([["'u'@'%'", 'def', 'd', 't', 'a', 'UPDATE', 'NO']]);
    expect(userPrivilegeRows(acl, null).length).toBe(2);
  });
});

describe('privilege row objects', () => {
  it(req('CORE-ACCT-081', 'unit', 'privilegeRowObjects matches the DdlServices.privilegeRows shape'), async () => {
    const { privilegeRowObjects } = await import('../../../src/accounts/infoschema-privileges.js');
    const acl = Acl.inMemory();
    const root = new SecurityContext(acl, 'root', 'localhost', 'root', 'localhost', true);
    await executeAccountStatement(acl, root, { kind: 'create_user', ifNotExists: false, users: [{ account: { user: 'u', host: '%' } }] });
    await executeAccountStatement(acl, root, { kind: 'grant', privileges: [{ name: 'UPDATE', columns: ['a'] }], target: { schema: 'd', table: 't' }, users: [{ user: 'u', host: '%' }], withGrantOption: false });
    expect(privilegeRowObjects(acl, 'USER')).toEqual([{ grantee: "'u'@'%'", tableCatalog: 'def', privilegeType: 'USAGE', isGrantable: 'NO' }]);
    expect(privilegeRowObjects(acl, 'COLUMN')).toEqual([
      { grantee: "'u'@'%'", tableCatalog: 'def', tableSchema: 'd', tableName: 't', columnName: 'a', privilegeType: 'UPDATE', isGrantable: 'NO' },
    ]);
  });
});
