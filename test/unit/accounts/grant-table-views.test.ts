/**
 * The grant tables as views over the ACL (a server whose grants live in acl.json): their rows
 * come in primary-key order, as a scan of the stored InnoDB tables gives them.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Acl, emptyAclState, newUserRecord } from '../../../src/accounts/acl.js';
import { grantTableViews } from '../../../src/accounts/grant-tables.js';
import { req } from '../../helpers/req.js';

function userRows(acl: Acl): [string, string][] {
  const view = grantTableViews(acl).find((v) => v.def.name === 'user')!;
  const ctx = { connectionId: 1, user: 'root', host: 'localhost', schema: null, sessionVar: () => null, canSee: () => true };
  return [...view.rows(ctx)].map((r) => [String(r[0]), String(r[1])]);
}

describe('grant table views', () => {
  it(req(['CORE-GTBL-003'], 'unit', 'mysql.user rows come in (Host, User) order whatever order the accounts were created in'), () => {
    const state = emptyAclState();
    for (const [u, h] of [['zed', '%'], ['root', 'localhost'], ['amy', 'localhost'], ['bob', '%'], ['amy', '10.0.0.1']] as const) {
      state.users.push(newUserRecord(u, h, 'caching_sha2_password', ''));
    }
    expect(userRows(new Acl(state, null))).toEqual([
      ['%', 'bob'],
      ['%', 'zed'],
      ['10.0.0.1', 'amy'],
      ['localhost', 'amy'],
      ['localhost', 'root'],
    ]);
  });

  it(req(['CORE-GTBL-003'], 'unit', 'property: for random accounts the rows are sorted by (Host, User) and none is lost'), () => {
    const account = fc.tuple(fc.stringMatching(/^[a-z]{1,6}$/), fc.constantFrom('%', 'localhost', '127.0.0.1', 'h.example'));
    fc.assert(
      fc.property(fc.uniqueArray(account, { selector: (a) => a.join('@'), maxLength: 20 }), (accounts) => {
        const state = emptyAclState();
        for (const [u, h] of accounts) state.users.push(newUserRecord(u, h, 'caching_sha2_password', ''));
        const rows = userRows(new Acl(state, null));
        const want = accounts.map(([u, h]) => [h, u] as [string, string]).sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
        expect(rows).toEqual(want);
      }),
    );
  });
});
