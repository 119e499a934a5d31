import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { randomBytes } from 'node:crypto';
import { req } from '../../helpers/req.js';
import {
  hashPassword,
  isValidAuthString,
  nativeScrambleCheck,
  nativeScrambleResponse,
  randomSalt,
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

  it(req('CORE-ACCT-002', 'unit', 'SHA-crypt: passwords of exactly 32 and of 68 bytes (digest B taken whole, then again), a salt spec without $5$ or with a trailing $ and text'), () => {
    // Expected values from `openssl passwd -5 -salt <salt> <password>`.
    expect(sha256Crypt('abcdefghijklmnopqrstuvwxyz012345', '$5$saltstring')).toBe('$5$saltstring$D.G4FTWwbrdeKG3ETTXsnxVmrsvauxXTfRhkOOI0cI8');
    expect(sha256Crypt('abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz0123', '$5$short')).toBe('$5$short$YRqr.ZkImC0KPrzUfCqpjWCi81ckcJIx2kntJrCXzz8');
    expect(sha256Crypt('Hello world!', 'saltstring')).toBe('$5$saltstring$5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZaBBGWEc5');
    expect(sha256Crypt('Hello world!', '$5$saltstring$ignored')).toBe('$5$saltstring$5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZaBBGWEc5');
  });
});

describe('password hashing', () => {
  it(req('CORE-ACCT-001', 'unit', 'mysql_native_password stores * + upper hex SHA1(SHA1(pw))'), () => {
    expect(hashPassword('mysql_native_password', 'password')).toBe('*2470C0C06DEE42FD1618BB99005ADCA2EC9D1E19');
    expect(hashPassword('mysql_native_password', '')).toBe('');
    expect(() => hashPassword('sha256_password', 'pw')).toThrow('unsupported authentication plugin sha256_password');
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

  it(req(['CORE-ACCT-001', 'CORE-ACCT-002'], 'unit', 'IDENTIFIED WITH ... AS takes only well-formed stored values: * and 40 hex digits, or $A$, three upper-case hex digits, $, 20 salt bytes and 43 digest characters'), () => {
    const sha2 = hashPassword('caching_sha2_password', 'secret', 'abcdefghijklmnopqrst');
    const native = hashPassword('mysql_native_password', 'secret');
    expect(isValidAuthString('caching_sha2_password', '')).toBe(true);
    expect(isValidAuthString('caching_sha2_password', sha2)).toBe(true);
    expect(isValidAuthString('mysql_native_password', native)).toBe(true);
    expect(isValidAuthString('mysql_native_password', native.toLowerCase())).toBe(true);
    for (const bad of ['$B' + sha2.slice(2), '$A$0G5' + sha2.slice(6), '$A$005#' + sha2.slice(7), sha2.slice(0, -1), sha2 + 'x', native]) {
      expect(isValidAuthString('caching_sha2_password', bad), bad).toBe(false);
    }
    for (const bad of [native.slice(1), native + '0', '#' + native.slice(1), 'x' + native, sha2]) {
      expect(isValidAuthString('mysql_native_password', bad), bad).toBe(false);
    }
    expect(isValidAuthString('sha256_password', sha2)).toBe(false);
    // A stored value that is not well formed verifies no password.
    expect(verifyPassword('caching_sha2_password', '$A$005#' + sha2.slice(7), 'secret')).toBe(false);
  });

  it(req('CORE-ACCT-002', 'unit', "random salts are 20 printable ASCII characters from '!' to '~', never '$'"), () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const salt = randomSalt();
      expect(salt).toMatch(/^[!-#%-~]{20}$/);
      for (const ch of salt) seen.add(ch);
    }
    expect(randomSalt(5)).toHaveLength(5);
    // 4000 draws over 93 characters reach nearly all of them.
    expect(seen.size).toBeGreaterThan(80);
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

  it(req('CORE-ACCT-003', 'unit', 'mysql_native_password: a response that is not 20 bytes, or a stored value that is not * and 40 hex digits, never matches'), () => {
    const scramble = randomBytes(20);
    const stored = hashPassword('mysql_native_password', 'pw');
    const good = nativeScrambleResponse('pw', scramble);
    expect(nativeScrambleCheck(stored, scramble, good)).toBe(true);
    expect(nativeScrambleCheck(stored, scramble, good.subarray(0, 19))).toBe(false);
    expect(nativeScrambleCheck(stored, scramble, Buffer.concat([good, Buffer.from([0])]))).toBe(false);
    for (const bad of [stored.slice(1), 'x' + stored, stored + '0', stored.slice(0, 40)]) {
      expect(() => nativeScrambleCheck(bad, scramble, good), bad).not.toThrow();
      expect(nativeScrambleCheck(bad, scramble, good), bad).toBe(false);
    }
  });

  it(req('CORE-ACCT-004', 'unit', 'caching_sha2_password fast-path check against the cached digest'), () => {
    const scramble = randomBytes(20);
    const entry = sha2CacheEntry('pw1');
    expect(sha2ScrambleCheck(entry, scramble, sha2ScrambleResponse('pw1', scramble))).toBe(true);
    expect(sha2ScrambleCheck(entry, scramble, sha2ScrambleResponse('pw2', scramble))).toBe(false);
    // Only 32-byte responses against 32-byte cache entries are compared at all.
    const good = sha2ScrambleResponse('pw1', scramble);
    expect(sha2ScrambleCheck(entry, scramble, good.subarray(0, 31))).toBe(false);
    expect(sha2ScrambleCheck(entry.subarray(0, 31), scramble, good)).toBe(false);
    expect(sha2ScrambleCheck(Buffer.concat([entry, Buffer.from([1])]), scramble, good)).toBe(false);
  });
});
