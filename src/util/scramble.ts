/**
 * The hashing arithmetic of MySQL's two default authentication plugins, shared by the server
 * (checking a response, decrypting a password) and by the refmysql client (computing one).
 * Keeping one copy means the two sides cannot drift apart: the client's tests then also exercise
 * the very functions the server checks against.
 *
 * - mysql_native_password: SHA1(pw) XOR SHA1(nonce + SHA1(SHA1(pw))).
 * - caching_sha2_password fast path: SHA256(pw) XOR SHA256(SHA256(SHA256(pw)) + nonce).
 * The nonce is the first 20 bytes of the handshake scramble.
 *
 * @spec https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase_authentication_methods_native_password_authentication.html
 * @spec https://dev.mysql.com/doc/dev/mysql-server/latest/page_caching_sha2_authentication_exchanges.html
 * @req CORE-ACCT-003 CORE-ACCT-004 CLIENT-003 CLIENT-004
 */
import { createHash } from 'node:crypto';

/** SHA-1 of the concatenated parts. */
export function sha1(...parts: (Buffer | string)[]): Buffer {
  const h = createHash('sha1');
  for (const p of parts) h.update(p);
  return h.digest();
}

/** SHA-256 of the concatenated parts. */
export function sha256(...parts: (Buffer | string)[]): Buffer {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
}

/** `a` XOR `key`, the key repeated as often as needed (the plugins XOR passwords with the nonce). */
export function xorCycled(a: Buffer, key: Buffer): Buffer {
  const out = Buffer.alloc(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i]! ^ key[i % key.length]!;
  return out;
}

/** The part of the handshake scramble both plugins use: its first 20 bytes. */
export function scrambleNonce(scramble: Buffer): Buffer {
  return scramble.subarray(0, 20);
}

/** What a mysql_native_password client sends for `plaintext`; empty for an empty password. */
export function nativeScrambleResponse(plaintext: string, scramble: Buffer): Buffer {
  if (plaintext === '') return Buffer.alloc(0);
  const stage1 = sha1(Buffer.from(plaintext, 'utf8'));
  return xorCycled(stage1, sha1(scrambleNonce(scramble), sha1(stage1)));
}

/** What a caching_sha2_password client sends on the fast path; empty for an empty password. */
export function sha2ScrambleResponse(plaintext: string, scramble: Buffer): Buffer {
  if (plaintext === '') return Buffer.alloc(0);
  const stage1 = sha256(Buffer.from(plaintext, 'utf8'));
  return xorCycled(stage1, sha256(sha256(stage1), scrambleNonce(scramble)));
}
