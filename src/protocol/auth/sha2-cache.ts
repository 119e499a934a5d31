/**
 * The caching_sha2_password credential cache: after a full authentication succeeds the
 * server remembers SHA256(SHA256(password)) for the account, so later logins can use the
 * scramble-only fast path. FLUSH PRIVILEGES and password changes must clear it.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/caching-sha2-pluggable-authentication.html#caching-sha2-pluggable-authentication-cache-operation
 * @req CORE-PROTO-007
 */

/** Key: user and account host pattern. Values are 32-byte digests. */
const cache = new Map<string, Buffer>();

function key(user: string, host: string): string {
  return `${user}\u0000${host}`;
}

/** Cached SHA256(SHA256(pw)) of an account, if a full authentication succeeded earlier. @req CORE-PROTO-007 */
export function cachedSha2Digest(user: string, host: string): Buffer | undefined {
  return cache.get(key(user, host));
}

/** Remember the digest after a successful full authentication. @req CORE-PROTO-007 */
export function storeSha2Digest(user: string, host: string, digest: Buffer): void {
  cache.set(key(user, host), Buffer.from(digest));
}

/**
 * Forget cached digests: all of them (FLUSH PRIVILEGES, no arguments), every host of one user
 * (`host` omitted), or one account (ALTER USER / SET PASSWORD / RENAME USER / DROP USER).
 * @req CORE-PROTO-007
 */
export function clearAuthCache(user?: string, host?: string): void {
  if (user === undefined) {
    cache.clear();
    return;
  }
  if (host !== undefined) {
    cache.delete(key(user, host));
    return;
  }
  const prefix = `${user}\u0000`;
  for (const k of [...cache.keys()]) if (k.startsWith(prefix)) cache.delete(k);
}
