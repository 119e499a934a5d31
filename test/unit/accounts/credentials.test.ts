import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { randomBytes } from 'node:crypto';
import { req } from '../../helpers/req.js';
import {
  hashPassword,
  isValidAuthString,
  nativeScrambleCheck,
  nativeScrambleResponse,
  sha256Crypt,
  sha2CacheEntry,
  sha2ScrambleCheck,
  sha2ScrambleResponse,
  verifyPassword,
} from '../../../src/accounts/credentials.js';

describe('sha256crypt', () => {
  // SHA-crypt test vectors (SHA-256 variant), each confirmed against both glibc crypt(3) and
  // `openssl passwd -5`. Note: the brief quoted the first vector's tail as '...GNooZF4H0ieq5';
  // both reference implementations give '...GNooZaBBGWEc5', which is what we check.
  const vectors: [string, string, string][] = [
    ['$5$saltstring', 'Hello world!', '$5$saltstring$5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZaBBGWEc5'],
    ['$5$rounds=10000$saltstringsaltstring', 'Hello world!', '$5$rounds=10000$saltstringsaltst$3xv.VbSHBb41AL9AvLeujZkZRBAwqFMz2.opqey6IcA'],
    ['$5$rounds=5000$toolongsaltstring', 'This is just a test', '$5$rounds=5000$toolongsaltstrin$Un/5jzAHMgOGZ5.mWJpuVolil07guHPvOW8mGRcvxa5'],
    ['$5$rounds=1400$anotherlongsaltstring', 'a very much longer text to encrypt.  This one even stretches over morethan one line.', '$5$rounds=1400$anotherlongsalts$Rx.j8H.h8HjEDGomFU8bDkXm3XIUnzyxf12oP84Bnq1'],
    ['$5$rounds=10$roundstoolow', 'the minimum number is still observed', '$5$rounds=1000$roundstoolow$yfvwcWrQ8l/K0DAWyuPMDNHpIVlTQebY9l/gL972bIC'],
  ];
  for (const [salt, pw, want] of vectors) {
    it(req('CORE-ACCT-002', 'unit', `SHA-crypt vector ${salt}`), () => {
      expect(sha256Crypt(pw, salt)).toBe(want);
    });
  }
});

describe('password hashing', () => {
  it(req('CORE-ACCT-001', 'unit', 'mysql_native_password stores * + upper hex SHA1(SHA1(pw))'), () => {
    expect(hashPassword('mysql_native_password', 'password')).toBe('*2470C0C06DEE42FD1618BB99005ADCA2EC9D1E19');
    expect(hashPassword('mysql_native_password', '')).toBe('');
  });

  it(req('CORE-ACCT-002', 'unit', 'caching_sha2_password stores $A$005$ + 20-byte salt + 43-char digest'), () => {
    const h = hashPassword('caching_sha2_password', 'secret');
    expect(h.startsWith('$A$005$')).toBe(true);
    expect(h.length).toBe(70);
    expect(isValidAuthString('caching_sha2_password', h)).toBe(true);
    expect(h.slice(7, 27)).not.toContain('$');
    // deterministic with a fixed salt
    const salt = 'abcdefghijklmnopqrst';
    expect(hashPassword('caching_sha2_password', 'secret', salt)).toBe(hashPassword('caching_sha2_password', 'secret', salt));
    expect(hashPassword('caching_sha2_password', '')).toBe('');
  });

  it(req(['CORE-ACCT-001', 'CORE-ACCT-002'], 'unit', 'verify(hash(pw)) holds and a different password fails'), () => {
    fc.assert(
      fc.property(fc.constantFrom('mysql_native_password', 'caching_sha2_password'), fc.string({ minLength: 1, maxLength: 24 }), fc.string({ maxLength: 24 }), (plugin, pw, other) => {
        const h = hashPassword(plugin, pw);
        expect(verifyPassword(plugin, h, pw)).toBe(true);
        if (other !== pw) expect(verifyPassword(plugin, h, other)).toBe(false);
      }),
      { numRuns: 25 },
    );
  });

  it(req('CORE-ACCT-001', 'unit', 'an empty stored credential accepts only the empty password'), () => {
    expect(verifyPassword('caching_sha2_password', '', '')).toBe(true);
    expect(verifyPassword('caching_sha2_password', '', 'x')).toBe(false);
    expect(verifyPassword('mysql_native_password', '*2470C0C06DEE42FD1618BB99005ADCA2EC9D1E19', '')).toBe(false);
  });
});

describe('scramble checks', () => {
  it(req('CORE-ACCT-003', 'unit', 'mysql_native_password challenge-response round trip'), () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 30 }), fc.uint8Array({ minLength: 20, maxLength: 20 }), (pw, scr) => {
        const scramble = Buffer.from(scr);
        const stored = hashPassword('mysql_native_password', pw);
        expect(nativeScrambleCheck(stored, scramble, nativeScrambleResponse(pw, scramble))).toBe(true);
        expect(nativeScrambleCheck(stored, scramble, nativeScrambleResponse(pw + 'x', scramble))).toBe(false);
      }),
      { numRuns: 50 },
    );
    expect(nativeScrambleCheck('', randomBytes(20), Buffer.alloc(0))).toBe(true);
    expect(nativeScrambleCheck('', randomBytes(20), randomBytes(20))).toBe(false);
  });

  it(req('CORE-ACCT-004', 'unit', 'caching_sha2_password fast-path check against the cached digest'), () => {
    const scramble = randomBytes(20);
    const entry = sha2CacheEntry('pw1');
    expect(sha2ScrambleCheck(entry, scramble, sha2ScrambleResponse('pw1', scramble))).toBe(true);
    expect(sha2ScrambleCheck(entry, scramble, sha2ScrambleResponse('pw2', scramble))).toBe(false);
  });
});
