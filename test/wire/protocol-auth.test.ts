import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mariadb from 'mariadb';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clearAuthCache } from '../../src/protocol/listener.js';
import { cachedSha2Digest } from '../../src/protocol/auth/sha2-cache.js';
import { req } from '../helpers/req.js';
import { rsaPair, selfSignedCert } from '../unit/protocol/keys.js';
import { startTestServer, type TestServer } from '../unit/protocol/listen.js';
import { failureOf as connectErr } from '../helpers/sql.js';

let plain: TestServer; // neither TLS nor RSA: only the fast path works for caching_sha2
let secure: TestServer; // TLS and RSA
let tlsMat: { key: string; cert: string };

beforeAll(async () => {
  tlsMat = selfSignedCert();
  plain = await startTestServer();
  secure = await startTestServer({ tls: tlsMat, rsa: rsaPair() });
});
afterAll(async () => {
  await plain.close();
  await secure.close();
});

describe('authentication with mysql2', () => {
  it(req('CORE-PROTO-005', 'wire', 'mysql_native_password login succeeds with the right password'), async () => {
    const c = await mysql.createConnection({ host: '127.0.0.1', port: plain.port, user: 'native', password: 'nativepw' });
    const [rows] = await c.query('SELECT 1');
    expect(rows).toEqual([{ 1: 1 }]);
    await c.end();
  });

  it(req(['CORE-PROTO-005', 'CORE-PROTO-009'], 'wire', 'a wrong password gives error 1045 with the exact MySQL text'), async () => {
    const e = await connectErr(mysql.createConnection({ host: '127.0.0.1', port: plain.port, user: 'native', password: 'bad' }));
    expect(e.errno).toBe(1045);
    expect(e.sqlState).toBe('28000');
    expect(e.sqlMessage).toBe("Access denied for user 'native'@'localhost' (using password: YES)");
  });

  it(req('CORE-PROTO-009', 'wire', 'an unknown user without a password gives 1045 (using password: NO)'), async () => {
    const e = await connectErr(mysql.createConnection({ host: '127.0.0.1', port: plain.port, user: 'ghost' }));
    expect(e.errno).toBe(1045);
    expect(e.sqlMessage).toBe("Access denied for user 'ghost'@'localhost' (using password: NO)");
  });

  it(req(['CORE-PROTO-004', 'CORE-PROTO-006'], 'wire', 'caching_sha2_password full authentication over TLS'), async () => {
    clearAuthCache();
    const c = await mysql.createConnection({ host: '127.0.0.1', port: secure.port, user: 'sha2', password: 'sha2pw', ssl: { rejectUnauthorized: false } });
    const [rows] = await c.query('SELECT 1');
    expect(rows).toEqual([{ 1: 1 }]);
    expect(secure.fake.sessions.at(-1)!.conn.tls).toBe(true);
    expect(secure.fake.sessions.at(-1)!.conn.tlsVersion).toMatch(/^TLSv1\.[23]$/);
    expect(secure.fake.sessions.at(-1)!.conn.tlsCipher).toBeTruthy();
    await c.end();
    expect(cachedSha2Digest('sha2', '%')).toBeDefined();
  });

  it(req(['CORE-PROTO-006', 'CORE-PROTO-008'], 'wire', 'caching_sha2_password full authentication with RSA public key retrieval'), async () => {
    clearAuthCache();
    const c = await mysql.createConnection({ host: '127.0.0.1', port: secure.port, user: 'sha2', password: 'sha2pw' });
    expect(secure.fake.sessions.at(-1)!.conn.tls).toBe(false);
    await c.end();
    const e = await connectErr(mysql.createConnection({ host: '127.0.0.1', port: secure.port, user: 'sha2', password: 'wrong' }));
    expect(e.errno).toBe(1045);
  });

  it(req('CORE-PROTO-007', 'wire', 'caching_sha2_password fast path works once cached and stops after clearAuthCache'), async () => {
    clearAuthCache();
    // Without TLS or RSA the full exchange cannot happen.
    let e = await connectErr(mysql.createConnection({ host: '127.0.0.1', port: plain.port, user: 'sha2', password: 'sha2pw' }));
    expect(e.errno).toBe(1045);
    const prime = await mysql.createConnection({ host: '127.0.0.1', port: secure.port, user: 'sha2', password: 'sha2pw' });
    await prime.end();
    const c = await mysql.createConnection({ host: '127.0.0.1', port: plain.port, user: 'sha2', password: 'sha2pw' });
    await c.query('SELECT 1');
    await c.end();
    clearAuthCache('sha2');
    e = await connectErr(mysql.createConnection({ host: '127.0.0.1', port: plain.port, user: 'sha2', password: 'sha2pw' }));
    expect(e.errno).toBe(1045);
  });

  it(req('CORE-PROTO-009', 'wire', 'a locked account gives error 3118'), async () => {
    const e = await connectErr(mysql.createConnection({ host: '127.0.0.1', port: plain.port, user: 'locked' }));
    expect(e.errno).toBe(3118);
    expect(e.sqlMessage).toBe("Access denied for user 'locked'@'localhost'. Account is locked.");
  });

  it(req('CORE-PROTO-009', 'wire', 'too many connections gives error 1040'), async () => {
    const s = await startTestServer({ vars: { max_connections: 1n }, extraConnections: 2 });
    try {
      const e = await connectErr(mysql.createConnection({ host: '127.0.0.1', port: s.port, user: 'root' }));
      expect(e.errno).toBe(1040);
      expect(e.sqlMessage ?? e.message).toContain('Too many connections');
    } finally {
      await s.close();
    }
  });

  it(req('CORE-PROTO-009', 'wire', 'an unknown client host gives error 1130'), async () => {
    const s = await startTestServer({ hostKnown: false });
    try {
      const e = await connectErr(mysql.createConnection({ host: '127.0.0.1', port: s.port, user: 'root' }));
      expect(e.errno).toBe(1130);
      expect(e.sqlMessage ?? e.message).toContain("Host 'localhost' is not allowed to connect to this MySQL server");
    } finally {
      await s.close();
    }
  });

  it(req('CORE-PROTO-009', 'wire', 'require_secure_transport=ON refuses plain TCP with 3159 and accepts TLS'), async () => {
    const s = await startTestServer({ vars: { require_secure_transport: 'ON' }, tls: tlsMat });
    try {
      const e = await connectErr(mysql.createConnection({ host: '127.0.0.1', port: s.port, user: 'root' }));
      expect(e.errno).toBe(3159);
      const c = await mysql.createConnection({ host: '127.0.0.1', port: s.port, user: 'root', ssl: { rejectUnauthorized: false } });
      await c.query('SELECT 1');
      await c.end();
    } finally {
      await s.close();
    }
  });

  it(req('CORE-PROTO-009', 'wire', 'an unknown default schema at login gives 1049'), async () => {
    const e = await connectErr(mysql.createConnection({ host: '127.0.0.1', port: plain.port, user: 'root', database: 'nosuch' }));
    expect(e.errno).toBe(1049);
  });

  it(req('CORE-PROTO-018', 'wire', 'COM_CHANGE_USER re-authenticates and switches the session identity'), async () => {
    const c = await mysql.createConnection({ host: '127.0.0.1', port: plain.port, user: 'root' });
    await c.changeUser({ user: 'native', password: 'nativepw', database: 'test' });
    const [rows] = await c.query('SELECT user()');
    expect(rows).toEqual([{ 'user()': 'native@localhost' }]);
    await c.end();
  });
});

describe('change user to caching_sha2_password', () => {
  it(req(['CORE-PROTO-018', 'CORE-PROTO-005'], 'wire', 'COM_CHANGE_USER to a caching_sha2_password account switches plugin and authenticates'), async () => {
    clearAuthCache();
    const c = await mysql.createConnection({ host: '127.0.0.1', port: secure.port, user: 'root' });
    await c.changeUser({ user: 'sha2', password: 'sha2pw' });
    const [rows] = await c.query('SELECT user()');
    expect(rows).toEqual([{ 'user()': 'sha2@localhost' }]);
    await c.end();
    const d = await mysql.createConnection({ host: '127.0.0.1', port: secure.port, user: 'root' });
    await expect(d.changeUser({ user: 'sha2', password: 'wrong' })).rejects.toMatchObject({ errno: 1045 });
    d.destroy();
  });
});

describe('authentication with mariadb', () => {
  it(req('CORE-PROTO-005', 'wire', 'mariadb connector logs in with mysql_native_password and an empty password'), async () => {
    const c1 = await mariadb.createConnection({ host: '127.0.0.1', port: plain.port, user: 'native', password: 'nativepw' });
    expect(await c1.query('SELECT 1')).toEqual([{ 1: 1n }]);
    await c1.end();
    const c2 = await mariadb.createConnection({ host: '127.0.0.1', port: plain.port, user: 'root' });
    expect(await c2.query('SELECT 1')).toEqual([{ 1: 1n }]);
    await c2.end();
  });

  it(req(['CORE-PROTO-006', 'CORE-PROTO-008'], 'wire', 'mariadb connector logs in with caching_sha2_password over RSA and over TLS'), async () => {
    // No cached digest: both logins need full authentication, which fills the cache.
    clearAuthCache();
    expect(cachedSha2Digest('sha2', '%')).toBeUndefined();
    const c1 = await mariadb.createConnection({ host: '127.0.0.1', port: secure.port, user: 'sha2', password: 'sha2pw', allowPublicKeyRetrieval: true });
    expect(await c1.query('SELECT 1')).toEqual([{ 1: 1n }]);
    expect(secure.fake.sessions.at(-1)!.conn.tls).toBe(false); // the password went RSA-encrypted
    expect(cachedSha2Digest('sha2', '%')).toBeDefined();
    await c1.end();
    // A wrong password over the same RSA path is refused.
    clearAuthCache();
    const bad = await connectErr(mariadb.createConnection({ host: '127.0.0.1', port: secure.port, user: 'sha2', password: 'wrong', allowPublicKeyRetrieval: true }));
    expect(bad.errno).toBe(1045);
    expect(cachedSha2Digest('sha2', '%')).toBeUndefined();
    const c2 = await mariadb.createConnection({ host: '127.0.0.1', port: secure.port, user: 'sha2', password: 'sha2pw', ssl: { rejectUnauthorized: false } });
    expect(await c2.query('SELECT 1')).toEqual([{ 1: 1n }]);
    expect(secure.fake.sessions.at(-1)!.conn.tls).toBe(true); // the clear-text password went over TLS
    expect(cachedSha2Digest('sha2', '%')).toBeDefined();
    await c2.end();
  });

  it(req('CORE-PROTO-009', 'wire', 'mariadb connector sees 1045 for a wrong password'), async () => {
    const e = await connectErr(mariadb.createConnection({ host: '127.0.0.1', port: plain.port, user: 'native', password: 'nope' }));
    expect(e.errno).toBe(1045);
  });
});

describe('Unix socket', () => {
  it(req(['CORE-PROTO-006', 'CORE-PROTO-009'], 'wire', 'caching_sha2_password full authentication sends the clear-text password over a Unix socket; the host is localhost'), async () => {
    const dir = mkdtempSync(join(tmpdir(), 'refmysql-sock-'));
    const s = await startTestServer({ unixSocket: join(dir, 'mysqld.sock') });
    try {
      clearAuthCache();
      const c = await mysql.createConnection({ socketPath: s.socketPath!, user: 'sha2', password: 'sha2pw' });
      await c.query('SELECT 1');
      await c.end();
      expect(s.fake.sessions.at(-1)!.conn.transport).toBe('socket');
      expect(s.fake.sessions.at(-1)!.conn.remoteAddress).toBe('localhost');
      const e = await connectErr(mysql.createConnection({ socketPath: s.socketPath!, user: 'native', password: 'x' }));
      expect(e.sqlMessage).toBe("Access denied for user 'native'@'localhost' (using password: YES)");
    } finally {
      await s.close();
    }
  });
});

describe('cache invalidation', () => {
  it(req('CORE-PROTO-007', 'wire', 'a changed stored credential invalidates the cached digest even without clearAuthCache'), async () => {
    clearAuthCache();
    const prime = await mysql.createConnection({ host: '127.0.0.1', port: secure.port, user: 'sha2', password: 'sha2pw' });
    await prime.end();
    const acct = plain.fake.accounts.find((a) => a.user === 'sha2')!;
    const before = acct.authString;
    // Same password, new salt: a different stored credential.
    acct.authString = (await import('../../src/accounts/credentials.js')).hashPassword('caching_sha2_password', 'sha2pw');
    try {
      const e = await connectErr(mysql.createConnection({ host: '127.0.0.1', port: plain.port, user: 'sha2', password: 'sha2pw' }));
      expect(e.errno).toBe(1045);
    } finally {
      acct.authString = before;
    }
  });
});
