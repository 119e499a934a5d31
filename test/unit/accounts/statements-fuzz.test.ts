import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { req } from '../../helpers/req.js';
import { Acl, sameAccount } from '../../../src/accounts/acl.js';
import { initialAclState } from '../../../src/accounts/initialize.js';
import { SecurityContext } from '../../../src/accounts/privileges.js';
import { executeAccountStatement, showGrants, type AccountStatement } from '../../../src/accounts/statements.js';
import { SqlError } from '../../../src/kernel/errors.js';

const names = ['a', 'b', 'r1', 'r2', ''];
const hosts = ['%', 'localhost'];
const acct = fc.record({ user: fc.constantFrom(...names), host: fc.constantFrom(...hosts) });
const privs = fc.subarray(['SELECT', 'INSERT', 'UPDATE', 'SUPER', 'ALL', 'GRANT OPTION', 'BACKUP_ADMIN', 'USAGE', 'EXECUTE'], { minLength: 1 });
const target = fc.constantFrom(
  { schema: '*', table: '*' },
  { schema: 'd', table: '*' },
  { schema: 'd', table: 't' },
  { schema: null, table: '*' },
);

const stmt: fc.Arbitrary<AccountStatement> = fc.oneof(
  fc.record({ kind: fc.constant('create_user' as const), ifNotExists: fc.boolean(), users: fc.array(acct.map((account) => ({ account })), { minLength: 1, maxLength: 2 }) }),
  fc.record({ kind: fc.constant('drop_user' as const), ifExists: fc.boolean(), users: fc.array(acct, { minLength: 1, maxLength: 2 }) }),
  fc.record({ kind: fc.constant('create_role' as const), ifNotExists: fc.boolean(), roles: fc.array(acct, { minLength: 1, maxLength: 2 }) }),
  fc.record({ kind: fc.constant('grant' as const), privileges: privs.map((p) => p.map((name) => ({ name }))), target, users: fc.array(acct, { minLength: 1, maxLength: 2 }), withGrantOption: fc.boolean() }),
  fc.record({ kind: fc.constant('revoke' as const), privileges: privs.map((p) => p.map((name) => ({ name }))), target, users: fc.array(acct, { minLength: 1, maxLength: 2 }) }),
  fc.record({ kind: fc.constant('grant_role' as const), roles: fc.array(acct, { minLength: 1, maxLength: 2 }), users: fc.array(acct, { minLength: 1, maxLength: 2 }), withAdminOption: fc.boolean() }),
  fc.record({ kind: fc.constant('revoke_role' as const), roles: fc.array(acct, { minLength: 1, maxLength: 2 }), users: fc.array(acct, { minLength: 1, maxLength: 2 }) }),
  fc.record({ kind: fc.constant('rename_user' as const), pairs: fc.array(fc.record({ from: acct, to: acct }), { minLength: 1, maxLength: 2 }) }),
  fc.record({ kind: fc.constant('set_default_role' as const), mode: fc.constantFrom('NONE' as const, 'ALL' as const, 'LIST' as const), roles: fc.array(acct, { maxLength: 2 }), users: fc.array(acct, { minLength: 1, maxLength: 1 }) }),
);

describe('random account statement sequences', () => {
  it(req(['CORE-ACCT-032', 'CORE-ACCT-041', 'CORE-ACCT-046'], 'unit', 'only SqlErrors escape, no grant outlives its account, SHOW GRANTS always works'), async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(stmt, { maxLength: 25 }), async (list) => {
        const acl = Acl.inMemory(initialAclState());
        const root = new SecurityContext(acl, 'root', 'localhost', 'root', 'localhost');
        for (const s of list) {
          const before = JSON.stringify(acl.state);
          try {
            await executeAccountStatement(acl, root, s, { currentSchema: null });
          } catch (e) {
            expect(e).toBeInstanceOf(SqlError);
            expect(JSON.stringify(acl.state)).toBe(before); // atomic: a failed statement changes nothing
          }
        }
        const st = acl.state;
        const exists = (a: { user: string; host: string }) => st.users.some((u) => sameAccount(u, a));
        for (const rows of [st.db, st.tables, st.columns, st.dynamic, st.routines, st.defaultRoles]) for (const r of rows) expect(exists(r)).toBe(true);
        for (const e of st.roleEdges) {
          expect(exists({ user: e.fromUser, host: e.fromHost })).toBe(true);
          expect(exists({ user: e.toUser, host: e.toHost })).toBe(true);
        }
        for (const u of st.users) expect(showGrants(acl, root, { account: { user: u.user, host: u.host } }).rows.length).toBeGreaterThan(0);
      }),
      { numRuns: 150 },
    );
  });
});
