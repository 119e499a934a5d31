/**
 * Password storage and verification for the two authentication plugins we support.
 *
 * - mysql_native_password stores `*` + upper-case hex of SHA1(SHA1(password)) ('' = no password)
 *   and checks a challenge-response made from a 20-byte scramble.
 * - caching_sha2_password stores `$A$005$` + a 20-byte salt + the 43-character SHA-crypt
 *   (sha256crypt) digest computed with 5000 rounds. We implement SHA-crypt here on top of
 *   node:crypto's SHA-256, because Node has no built-in crypt(3).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/caching-sha2-pluggable-authentication.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/native-pluggable-authentication.html
 * @spec https://www.akkadia.org/drepper/SHA-crypt.txt
 * @req CORE-ACCT-001 CORE-ACCT-002 CORE-ACCT-003 CORE-ACCT-004
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { sha1, sha256, xorCycled as xor } from '../util/scramble.js';
import { SHA2_ROUNDS_THOUSANDS, SHA2_SALT_LENGTH, SHA2_DIGEST_TEXT_LENGTH } from './limits.js';

export type AuthPlugin = 'mysql_native_password' | 'caching_sha2_password';

export const NATIVE_PLUGIN = 'mysql_native_password';
export const SHA2_PLUGIN = 'caching_sha2_password';
/** Plugins CREATE USER ... IDENTIFIED WITH accepts. */
export const KNOWN_PLUGINS: readonly string[] = [NATIVE_PLUGIN, SHA2_PLUGIN];

const CRYPT_ALPHABET = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** SHA-crypt's base-64 variant: 24 bits at a time, least significant 6 bits first. */
function b64From24(b2: number, b1: number, b0: number, n: number): string {
  let w = (b2 << 16) | (b1 << 8) | b0;
  let s = '';
  for (let i = 0; i < n; i++) {
    s += CRYPT_ALPHABET[w & 0x3f];
    w >>>= 6;
  }
  return s;
}

/** Byte order in which sha256crypt emits the final digest (triples, then the last two bytes). */
const SHA256_CRYPT_ORDER: readonly [number, number, number][] = [
  [0, 10, 20], [21, 1, 11], [12, 22, 2], [3, 13, 23], [24, 4, 14],
  [15, 25, 5], [6, 16, 26], [27, 7, 17], [18, 28, 8], [9, 19, 29],
];

/** Repeat `block` to exactly `len` bytes. */
function stretch(block: Buffer, len: number): Buffer {
  const out = Buffer.alloc(len);
  for (let i = 0; i < len; i++) out[i] = block[i % block.length]!;
  return out;
}

/**
 * The SHA-crypt core for SHA-256: returns the 43-character encoded digest (without any `$`
 * prefix). The salt is used as given (callers apply their own length limit: 16 for crypt(3),
 * 20 for MySQL).
 * @req CORE-ACCT-002
 */
export function sha256CryptDigest(password: Buffer, salt: Buffer, rounds: number): string {
  const pw = password;
  // Digest B: password, salt, password.
  const b = sha256(pw, salt, pw);
  // Digest A: password, salt, then B stretched to the password length, then the length's bits.
  const a = createHash('sha256');
  a.update(pw);
  a.update(salt);
  let n = pw.length;
  for (; n > 32; n -= 32) a.update(b);
  a.update(b.subarray(0, n));
  for (let bits = pw.length; bits > 0; bits >>= 1) a.update(bits & 1 ? b : pw);
  let acc = a.digest();
  // P: password hashed password-length times, stretched to the password length.
  const dp = createHash('sha256');
  for (let i = 0; i < pw.length; i++) dp.update(pw);
  const p = stretch(dp.digest(), pw.length);
  // S: salt hashed 16 + A[0] times, stretched to the salt length.
  const ds = createHash('sha256');
  for (let i = 0; i < 16 + acc[0]!; i++) ds.update(salt);
  const s = stretch(ds.digest(), salt.length);
  // The deliberately slow part.
  for (let i = 0; i < rounds; i++) {
    const c = createHash('sha256');
    c.update(i & 1 ? p : acc);
    if (i % 3 !== 0) c.update(s);
    if (i % 7 !== 0) c.update(p);
    c.update(i & 1 ? acc : p);
    acc = c.digest();
  }
  let out = '';
  for (const [x, y, z] of SHA256_CRYPT_ORDER) out += b64From24(acc[x]!, acc[y]!, acc[z]!, 4);
  out += b64From24(0, acc[31]!, acc[30]!, 3);
  return out;
}

/**
 * crypt(3)-compatible `$5$` string, used to check the core against the published vectors.
 * @req CORE-ACCT-002
 */
export function sha256Crypt(password: string, saltSpec: string): string {
  let rest = saltSpec.startsWith('$5$') ? saltSpec.slice(3) : saltSpec;
  let rounds = 5000;
  let custom = false;
  const m = /^rounds=(\d+)\$/.exec(rest);
  if (m) {
    rounds = Math.min(999_999_999, Math.max(1000, Number(m[1])));
    custom = true;
    rest = rest.slice(m[0].length);
  }
  const end = rest.indexOf('$');
  const salt = (end >= 0 ? rest.slice(0, end) : rest).slice(0, 16);
  const digest = sha256CryptDigest(Buffer.from(password, 'utf8'), Buffer.from(salt, 'utf8'), rounds);
  return `$5$${custom ? `rounds=${rounds}$` : ''}${salt}$${digest}`;
}

/** A random salt of printable ASCII without '$' (MySQL only excludes NUL and '$'; printable
 *  characters keep our JSON state and SHOW CREATE USER output readable). */
export function randomSalt(length: number = SHA2_SALT_LENGTH): string {
  const raw = randomBytes(length);
  let s = '';
  for (let i = 0; i < length; i++) {
    let c = 0x21 + (raw[i]! % 94); // '!'..'~'
    if (c === 0x24) c = 0x25; // never '$'
    s += String.fromCharCode(c);
  }
  return s;
}

/**
 * The stored credential for `plaintext` under `plugin` ('' when the password is empty).
 * @req CORE-ACCT-001 CORE-ACCT-002
 */
export function hashPassword(plugin: string, plaintext: string, salt?: string): string {
  if (plaintext === '') return '';
  if (plugin === NATIVE_PLUGIN) {
    return '*' + sha1(sha1(Buffer.from(plaintext, 'utf8'))).toString('hex').toUpperCase();
  }
  if (plugin === SHA2_PLUGIN) {
    const s = salt ?? randomSalt();
    const saltBuf = Buffer.from(s, 'latin1').subarray(0, SHA2_SALT_LENGTH);
    const digest = sha256CryptDigest(Buffer.from(plaintext, 'utf8'), saltBuf, SHA2_ROUNDS_THOUSANDS * 1000);
    const rounds = SHA2_ROUNDS_THOUSANDS.toString(16).toUpperCase().padStart(3, '0');
    return `$A$${rounds}$${saltBuf.toString('latin1')}${digest}`;
  }
  throw new Error(`unsupported authentication plugin ${plugin}`);
}

/** Whether `authString` is a well-formed stored credential for `plugin` (IDENTIFIED ... AS 'hash'). */
export function isValidAuthString(plugin: string, authString: string): boolean {
  if (authString === '') return true;
  if (plugin === NATIVE_PLUGIN) return /^\*[0-9A-Fa-f]{40}$/.test(authString);
  if (plugin === SHA2_PLUGIN) {
    return (
      authString.startsWith('$A$') &&
      /^[0-9A-F]{3}$/.test(authString.slice(3, 6)) &&
      authString[6] === '$' &&
      authString.length === 7 + SHA2_SALT_LENGTH + SHA2_DIGEST_TEXT_LENGTH
    );
  }
  return false;
}

/**
 * Whether `plaintext` is the password stored in `authString` (used for the full
 * caching_sha2_password exchange, where the client sends the clear-text password over TLS or
 * RSA, and for tests).
 * @req CORE-ACCT-001 CORE-ACCT-002
 */
export function verifyPassword(plugin: string, authString: string, plaintext: string): boolean {
  if (authString === '') return plaintext === '';
  if (plaintext === '') return false;
  if (plugin === NATIVE_PLUGIN) return hashPassword(NATIVE_PLUGIN, plaintext) === authString.toUpperCase();
  if (plugin === SHA2_PLUGIN) {
    if (!isValidAuthString(SHA2_PLUGIN, authString)) return false;
    const rounds = parseInt(authString.slice(3, 6), 16) * 1000;
    const salt = Buffer.from(authString.slice(7, 7 + SHA2_SALT_LENGTH), 'latin1');
    const want = authString.slice(7 + SHA2_SALT_LENGTH);
    const got = sha256CryptDigest(Buffer.from(plaintext, 'utf8'), salt, rounds);
    return got.length === want.length && timingSafeEqual(Buffer.from(got), Buffer.from(want));
  }
  return false;
}

/**
 * mysql_native_password challenge-response: the client sends
 * SHA1(pw) XOR SHA1(scramble + SHA1(SHA1(pw))). Knowing SHA1(SHA1(pw)) we recover SHA1(pw)
 * and check that hashing it once more gives the stored value.
 * @req CORE-ACCT-003
 */
export function nativeScrambleCheck(authString: string, scramble: Buffer, response: Buffer): boolean {
  if (authString === '') return response.length === 0;
  if (!/^\*[0-9A-Fa-f]{40}$/.test(authString) || response.length !== 20) return false;
  const stage2 = Buffer.from(authString.slice(1), 'hex');
  const stage1 = xor(response, sha1(scramble.subarray(0, 20), stage2));
  return timingSafeEqual(sha1(stage1), stage2);
}

/** What a native client computes from `plaintext` and the scramble (for tests and COM_CHANGE_USER). */
export { nativeScrambleResponse, sha2ScrambleResponse } from '../util/scramble.js';

/**
 * caching_sha2_password fast path: the server caches SHA256(SHA256(pw)) after one successful
 * full authentication; the client then sends SHA256(pw) XOR SHA256(SHA256(SHA256(pw)) + scramble).
 * This returns the cache entry for a clear-text password.
 * @req CORE-ACCT-004
 */
export function sha2CacheEntry(plaintext: string): Buffer {
  return sha256(sha256(Buffer.from(plaintext, 'utf8')));
}

/** Check a fast-path response against a cached SHA256(SHA256(pw)). @req CORE-ACCT-004 */
export function sha2ScrambleCheck(cacheEntry: Buffer, scramble: Buffer, response: Buffer): boolean {
  if (response.length !== 32 || cacheEntry.length !== 32) return false;
  const stage1 = xor(response, sha256(cacheEntry, scramble.subarray(0, 20)));
  return timingSafeEqual(sha256(stage1), cacheEntry);
}
