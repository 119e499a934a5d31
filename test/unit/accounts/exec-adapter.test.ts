import { describe, expect, it } from 'vitest';
import { req } from '../../helpers/req.js';
import { Acl } from '../../../src/accounts/acl.js';
import { initialAclState } from '../../../src/accounts/initialize.js';
import { createAccountsApi, parseMandatoryRoles, sessionHost } from '../../../src/accounts/exec-adapter.js';
import type { ExecSession } from '../../../src/exec/exec-session.js';
import type { Statement } from '../../../src/sql/ast.js';
import type { Diagnostic } from '../../../src/kernel/errors.js';
import { SqlError } from '../../../src/kernel/errors.js';
import { collectRows } from '../../../src/kernel/row-stream.js';

function fakeSession(user: string, host: string, vars: Record<string, string> = {}) {
  const diags: Diagnostic[] = [];
  const s = {
    connectionId: 1,
    user,
    host: '127.0.0.1',
    account: { user, host, plugin: 'caching_sha2_password', authString: '', locked: false, requireSecureTransport: false, passwordExpired: false },
    activeRoles: [] as string[],
    schema: 'app' as string | null,
    diagnostics: { push: (d: Diagnostic) => diags.push(d) },
    sysvar: (n: string) => vars[n] ?? null,
  };
  return { session: s as unknown as ExecSession & { activeRoles: string[] }, diags };
}

describe('executor adapter', () => {
  it(req('CORE-PRIV-020', 'unit', 'statements, SET ROLE and checks through createAccountsApi'), async () => {
    const acl = Acl.inMemory(initialAclState());
    const api = createAccountsApi(acl, { globalVar: (n) => (n === 'mandatory_roles' ? '`mand`@`%`' : 'OFF') });
    const { session: root } = fakeSession('root', 'localhost');
    const run = (s: ExecSession, stmt: Statement) => api.execute!(s, stmt);
    await run(root, { kind: 'create_role', ifNotExists: false, roles: [{ user: 'r', host: '%' }, { user: 'mand', host: '%' }] });
    await run(root, { kind: 'create_user', ifNotExists: false, users: [{ account: { user: 'u', host: '%' } }] });
    await run(root, { kind: 'grant', privileges: [{ name: 'SELECT' }], target: { schema: null, table: '*' }, users: [{ user: 'r', host: '%' }], withGrantOption: false });
    await run(root, { kind: 'grant_role', roles: [{ user: 'r', host: '%' }], users: [{ user: 'u', host: '%' }], withAdminOption: false });
    const { session: u, diags } = fakeSession('u', '%', { mandatory_roles: '`mand`@`%`' });
    expect(() => api.checkTable(u, 'SELECT', 'app', 't')).toThrow(SqlError);
    await run(u, { kind: 'set_role', mode: 'ALL', roles: [] });
    expect(u.activeRoles).toEqual(['r@%', 'mand@%']);
    expect(() => api.checkTable(u, 'SELECT', 'app', 't')).not.toThrow();
    expect(() => api.checkSchemaAccess(u, 'app')).not.toThrow();
    expect(() => api.checkSchemaAccess(u, 'other')).toThrow("Access denied for user 'u'@'localhost' to database 'other'");
    const shown = await run(u, { kind: 'show', what: 'GRANTS' });
    expect(shown.kind === 'rows' && (await collectRows(shown.rows)).map((r) => r[0])).toEqual([
      'GRANT USAGE ON *.* TO `u`@`%`',
      'GRANT SELECT ON `app`.* TO `u`@`%`',
      'GRANT `mand`@`%`,`r`@`%` TO `u`@`%`', // mandatory roles are listed for a plain SHOW GRANTS
    ]);
    await run(root, { kind: 'create_user', ifNotExists: true, users: [{ account: { user: 'u', host: '%' } }] });
    expect(diags).toEqual([]);
    expect(api.defaultRoles!(u.account, 'u')).toEqual([]);
    await run(root, { kind: 'set_default_role', mode: 'ALL', roles: [], users: [{ user: 'u', host: '%' }] });
    expect(api.defaultRoles!(u.account, 'u')).toEqual(['r@%']);
    // with activate_all_roles_on_login every granted and mandatory role is active at login
    const all = createAccountsApi(acl, { globalVar: (n) => (n === 'mandatory_roles' ? 'mand' : 'ON') });
    expect(all.defaultRoles!(u.account, 'u')).toEqual(['r@%', 'mand@%']);
    const e = await run(root, { kind: 'rename_user', pairs: [{ from: { user: 'r', host: '%' }, to: { user: 'r2', host: '%' } }] }).catch((x: SqlError) => x);
    expect((e as SqlError).errno).toBe(3700);
  });

  it(req('CORE-PRIV-020', 'unit', 'helpers: mandatory_roles parsing and session host'), () => {
    expect(parseMandatoryRoles("`a`@`%`, b@localhost,c, 'd'@'H'")).toEqual([
      { user: 'a', host: '%' }, { user: 'b', host: 'localhost' }, { user: 'c', host: '%' }, { user: 'd', host: 'h' },
    ]);
    expect(sessionHost('127.0.0.1')).toBe('localhost');
    expect(sessionHost('localhost')).toBe('localhost');
    expect(sessionHost('192.0.2.4')).toBe('192.0.2.4');
  });
});

describe('identity text helpers', () => {
  it(req('CORE-ACCT-070', 'unit', 'USER() and CURRENT_ROLE() text from executor session fields'), async () => {
    const { userText, currentRoleText } = await import('../../../src/accounts/identity.js');
    expect(userText('bob', '127.0.0.1')).toBe('bob@localhost');
    expect(userText('bob', '192.0.2.9')).toBe('bob@192.0.2.9');
    expect(currentRoleText([])).toBe('NONE');
    expect(currentRoleText(['r2@%', 'r1@localhost'])).toBe('`r1`@`localhost`,`r2`@`%`');
  });
});
