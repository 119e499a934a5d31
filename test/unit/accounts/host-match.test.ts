import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { req } from '../../helpers/req.js';
import {
  hostMatches,
  matchAccount,
  parseNetmask,
  peerHost,
  sortAccountRows,
  wildCaseMatch,
} from '../../../src/accounts/host-match.js';
import { Acl, newUserRecord } from '../../../src/accounts/acl.js';

const tcp = (ip: string) => peerHost({ transport: 'tcp', remoteAddress: ip });
const sock = peerHost({ transport: 'socket', remoteAddress: 'localhost' });

describe('host patterns', () => {
  const cases: [string, ReturnType<typeof tcp>, boolean][] = [
    ['%', tcp('192.0.2.7'), true],
    ['%', sock, true],
    ['localhost', sock, true],
    ['localhost', tcp('127.0.0.1'), true],
    ['localhost', tcp('::1'), true],
    ['localhost', tcp('192.0.2.7'), false],
    ['127.0.0.1', tcp('127.0.0.1'), true],
    ['127.0.0.1', sock, false],
    ['192.0.2.%', tcp('192.0.2.200'), true],
    ['192.0.2.%', tcp('192.0.3.1'), false],
    ['192.0.2._', tcp('192.0.2.7'), true],
    ['192.0.2._', tcp('192.0.2.77'), false],
    ['192.0.2.0/255.255.255.0', tcp('192.0.2.99'), true],
    ['192.0.2.0/255.255.255.0', tcp('192.0.3.99'), false],
    ['192.0.2.0/24', tcp('192.0.2.1'), true],
    ['192.0.2.0/24', tcp('198.51.100.1'), false],
    ['192.0.2.0/25', tcp('192.0.2.129'), false],
    ['10.0.0.0/8', tcp('::ffff:10.1.2.3'), true],
    ['LOCALHOST', sock, true],
    ['::1', tcp('::1'), true],
  ];
  for (const [pattern, peer, want] of cases) {
    it(req(['CORE-ACCT-020', 'CORE-ACCT-021', 'CORE-ACCT-022'], 'unit', `'${pattern}' vs ${peer.hostname ?? ''}/${peer.ip ?? ''} -> ${want}`), () => {
      expect(hostMatches(pattern, peer)).toBe(want);
    });
  }

  it(req('CORE-ACCT-022', 'unit', 'netmask forms MySQL rejects are not treated as networks'), () => {
    expect(parseNetmask('192.0.2.1/24')).toBeNull(); // host bits set
    expect(parseNetmask('192.0.2.0/255.0.255.0')).toBeNull(); // non-contiguous
    expect(parseNetmask('192.0.2.0/33')).toBeNull();
    expect(parseNetmask('192.0.2.0/24')).toEqual({ ip: 0xc0000200, mask: 0xffffff00, cidr: true });
  });

  it(req('CORE-ACCT-020', 'unit', 'wildcard matcher agrees with a regex oracle'), () => {
    const alpha = fc.constantFrom('a', 'b', '.', '%', '_');
    fc.assert(
      fc.property(fc.array(alpha, { maxLength: 8 }).map((a) => a.join('')), fc.array(fc.constantFrom('a', 'b', '.'), { maxLength: 8 }).map((a) => a.join('')), (pat, text) => {
        const re = new RegExp('^' + [...pat].map((c) => (c === '%' ? '.*' : c === '_' ? '.' : c === '.' ? '\\.' : c)).join('') + '$', 's');
        expect(wildCaseMatch(text, pat)).toBe(re.test(text));
      }),
      { numRuns: 300 },
    );
  });
});

describe('login order', () => {
  it(req('CORE-ACCT-023', 'unit', 'rows sort most specific first, named before anonymous'), () => {
    const rows = [
      { user: '', host: '%' },
      { user: 'bob', host: '%' },
      { user: 'bob', host: '192.0.2.%' },
      { user: '', host: 'localhost' },
      { user: 'bob', host: 'localhost' },
      { user: 'bob', host: '192.0.2.0/255.255.255.0' },
      { user: 'bob', host: '192.0.0.0/255.255.0.0' },
      { user: 'bob', host: '%.example.com' },
    ];
    expect(sortAccountRows(rows).map((r) => `${r.user}@${r.host}`)).toEqual([
      'bob@192.0.2.0/255.255.255.0',
      'bob@192.0.0.0/255.255.0.0',
      'bob@localhost',
      '@localhost',
      'bob@192.0.2.%',
      'bob@%.example.com',
      'bob@%',
      '@%',
    ]);
  });

  it(req(['CORE-ACCT-023', 'CORE-ACCT-024'], 'unit', 'the anonymous localhost account shadows bob@% for local logins'), () => {
    const rows = sortAccountRows([{ user: 'bob', host: '%' }, { user: '', host: 'localhost' }]);
    expect(matchAccount(rows, 'bob', sock)).toEqual({ user: '', host: 'localhost' });
    expect(matchAccount(rows, 'bob', tcp('192.0.2.9'))).toEqual({ user: 'bob', host: '%' });
    expect(matchAccount(rows, 'carol', tcp('192.0.2.9'))).toBeNull();
    expect(matchAccount(rows, 'carol', sock)).toEqual({ user: '', host: 'localhost' });
  });

  it(req(['CORE-ACCT-024', 'CORE-ACCT-025', 'CORE-ACCT-030'], 'unit', 'Acl.findAccount and hostKnown'), async () => {
    const acl = Acl.inMemory();
    await acl.update((d) => {
      d.users.push(newUserRecord('app', '192.0.2.%', 'mysql_native_password', ''));
      d.users.push(newUserRecord('root', 'localhost', 'caching_sha2_password', ''));
    });
    expect(acl.findAccount('app', { transport: 'tcp', remoteAddress: '192.0.2.5' })?.host).toBe('192.0.2.%');
    expect(acl.findAccount('app', { transport: 'tcp', remoteAddress: '127.0.0.1' })).toBeNull();
    expect(acl.findAccount('root', { transport: 'tcp', remoteAddress: '127.0.0.1' })?.user).toBe('root');
    expect(acl.hostKnown({ transport: 'tcp', remoteAddress: '198.51.100.1' })).toBe(false);
    expect(acl.hostKnown({ transport: 'tcp', remoteAddress: '192.0.2.1' })).toBe(true);
  });
});
