/**
 * The caching_sha2_password credential cache: after a full authentication succeeds the
 * server remembers SHA256(SHA256(password)) for the account, so later logins can use the
 * scramble-only fast path. FLUSH PRIVILEGES and password changes must clear it.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/caching-sha2-pluggable-authentication.html#caching-sha2-pluggable-authentication-cache-operation
 * @req CORE-PROTO-007
 */

/** Key: user and account host pattern. Values: the 32-byte digest and the stored credential it
 *  was derived from, so a changed password invalidates the entry even if nobody clears it. */
const cache = new Map<string, { digest: Buffer; authString: string }>();

function key(user: string, host: string): string {
  return `${user}\u0000${host}`;
}

/** Cached SHA256(SHA256(pw)) of an account, if a full authentication succeeded earlier. @req CORE-PROTO-007 */
export function cachedSha2Digest(user: string, host: string, authString?: string): Buffer | undefined {
  const e = cache.get(key(user, host));
  if (!e) return undefined;
  if (authString !== undefined && e.authString !== authString) {
    cache.delete(key(user, host));
    return undefined;
  }
  return e.digest;
}

/** Remember the digest after a successful full authentication. @req CORE-PROTO-007 */
export function storeSha2Digest(user: string, host: string, digest: Buffer, authString = ''): void {
  cache.set(key(user, host), { digest: Buffer.from(digest), authString });
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
