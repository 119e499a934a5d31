/**
 * Durable account changes without blocking the event loop: an ACL change is written through
 * its AclStore asynchronously, is visible only once durable, runs after the changes queued
 * before it, and leaves nothing changed when the write (or the change itself) fails.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Acl, aclPath, emptyAclState, newUserRecord, type AclState, type AclStore } from '../../../src/accounts/acl.js';
import { req } from '../../helpers/req.js';
import { tempDirs } from '../../helpers/temp-dir.js';

const tmp = tempDirs('refmysql-aclstore-');

describe('ACL persistence', () => {
  it(req(['CORE-DICT-014'], 'unit', 'a change resolves once it is on disk, and other work runs on the event loop while it is written'), async () => {
    const dir = tmp();
    const acl = new Acl(emptyAclState(), dir);
    const order: string[] = [];
    setImmediate(() => order.push('other work'));
    const pending = acl.update((d) => {
      d.users.push(newUserRecord('u', '%', 'caching_sha2_password', ''));
    });
    // Not visible before it is durable.
    expect(acl.getUser('u', '%')).toBeUndefined();
    await pending;
    order.push('change durable');
    expect(order).toEqual(['other work', 'change durable']);
    const onDisk = JSON.parse(readFileSync(aclPath(dir), 'utf8')) as AclState;
    expect(onDisk.users.map((u) => u.user)).toEqual(['u']);
    expect(acl.getUser('u', '%')).toBeDefined();
  });

  it(req(['CORE-DICT-014', 'CORE-ACCT-032'], 'unit', 'changes are serialised: each sees the state the previous one left'), async () => {
    const acl = new Acl(emptyAclState(), tmp());
    const seen: number[] = [];
    const all = Array.from({ length: 5 }, (_, i) =>
      acl.update((d) => {
        seen.push(d.users.length);
        d.users.push(newUserRecord(`u${i}`, '%', 'caching_sha2_password', ''));
      }),
    );
    await Promise.all(all);
    expect(seen).toEqual([0, 1, 2, 3, 4]);
    expect(acl.state.users.length).toBe(5);
  });

  it(req(['CORE-DICT-014', 'CORE-ACCT-032'], 'unit', 'a failed write or a failing change leaves the ACL as it was, and later changes still run'), async () => {
    let fail = true;
    const saved: AclState[] = [];
    const store: AclStore = {
      loadSync: () => undefined,
      load: async () => undefined,
      save: async (s) => {
        if (fail) throw new Error('disk full');
        saved.push(s);
      },
      saveSync: (s) => void saved.push(s),
    };
    const acl = new Acl(emptyAclState(), null, store);
    const generation = acl.generation;
    await expect(acl.update((d) => void d.users.push(newUserRecord('x', '%', 'p', '')))).rejects.toThrow('disk full');
    expect([acl.state.users.length, acl.generation]).toEqual([0, generation]);
    fail = false;
    await expect(acl.update(() => {
      throw new Error('refused');
    })).rejects.toThrow('refused');
    expect(saved).toEqual([]);
    await acl.update((d) => void d.users.push(newUserRecord('y', '%', 'p', '')));
    expect(saved.map((s) => s.users.map((u) => u.user))).toEqual([['y']]);
  });
});
