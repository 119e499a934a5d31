/**
 * The client halves of the two authentication plugins MySQL 8.0 clients use by default.
 *
 * - mysql_native_password answers the nonce with SHA1(pw) XOR SHA1(nonce + SHA1(SHA1(pw))), so
 *   the password never crosses the wire and the server stores only SHA1(SHA1(pw)).
 * - caching_sha2_password first tries the same idea with SHA-256 (the "fast" path, which only
 *   works when the server has the account's digest cached). Otherwise the server asks for the
 *   full password: sent as-is when the channel is secure (TLS or a Unix socket), or encrypted
 *   with the server's RSA public key (RSA-OAEP) after XOR with the nonce, so it cannot be
 *   replayed on another connection.
 *
 * @spec https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase_authentication_methods_native_password_authentication.html
 * @spec https://dev.mysql.com/doc/dev/mysql-server/latest/page_caching_sha2_authentication_exchanges.html
 * @req CLIENT-003 CLIENT-004
 */
import { constants as cryptoConstants, publicEncrypt } from 'node:crypto';
import { nativeScrambleResponse, scrambleNonce as nonce, sha2ScrambleResponse, xorCycled as xor } from '../util/scramble.js';

export const NATIVE_PLUGIN = 'mysql_native_password';
export const SHA2_PLUGIN = 'caching_sha2_password';

/** mysql_native_password response; empty for an empty password. @req CLIENT-003 */
export function nativeScramble(password: string, scramble: Buffer): Buffer {
  return nativeScrambleResponse(password, scramble);
}

/** caching_sha2_password fast-path response; empty for an empty password. @req CLIENT-004 */
export function sha2Scramble(password: string, scramble: Buffer): Buffer {
  return sha2ScrambleResponse(password, scramble);
}

/** The first response for `plugin` (unknown plugins get none). */
export function scrambleFor(plugin: string, password: string, scramble: Buffer): Buffer {
  if (plugin === NATIVE_PLUGIN) return nativeScramble(password, scramble);
  if (plugin === SHA2_PLUGIN) return sha2Scramble(password, scramble);
  return Buffer.alloc(0);
}

/** The clear-text password as full authentication sends it over a secure channel (NUL-terminated). @req CLIENT-004 */
export function clearPassword(password: string): Buffer {
  return Buffer.concat([Buffer.from(password, 'utf8'), Buffer.from([0])]);
}

/** RSA-OAEP encryption of (password + NUL) XOR nonce with the server's public key. @req CLIENT-004 */
export function rsaEncryptPassword(password: string, scramble: Buffer, publicKeyPem: string): Buffer {
  const plain = xor(clearPassword(password), nonce(scramble));
  return publicEncrypt({ key: publicKeyPem, padding: cryptoConstants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, plain);
}
