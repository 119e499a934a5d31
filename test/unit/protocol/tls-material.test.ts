import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { describe, expect, it } from 'vitest';
import { clearAuthCache } from '../../../src/protocol/listener.js';
import { ensureTlsMaterial } from '../../../src/protocol/tls-material.js';
import { req } from '../../helpers/req.js';
import { startTestServer } from './listen.js';

describe('TLS material', () => {
  it(req('CORE-PROTO-040', 'unit', 'first start creates MySQL-named CA, server, client and RSA files; later starts load them'), async () => {
    const dir = mkdtempSync(join(tmpdir(), 'refmysql-datadir-'));
    const m1 = await ensureTlsMaterial(dir);
    expect(readdirSync(dir).sort()).toEqual(['ca-key.pem', 'ca.pem', 'client-cert.pem', 'client-key.pem', 'private_key.pem', 'public_key.pem', 'server-cert.pem', 'server-key.pem']);
    expect(statSync(join(dir, 'server-key.pem')).mode & 0o777).toBe(0o600);
    const ca = new X509Certificate(m1.ca);
    const server = new X509Certificate(m1.cert);
    expect(ca.subject).toBe('CN=MySQL_Server_8.0.40_Auto_Generated_CA_Certificate');
    expect(ca.ca).toBe(true);
    expect(server.subject).toBe('CN=MySQL_Server_8.0.40_Auto_Generated_Server_Certificate');
    expect(server.issuer).toBe(ca.subject);
    expect(server.verify(ca.publicKey)).toBe(true);
    expect(server.checkPrivateKey((await import('node:crypto')).createPrivateKey(m1.key))).toBe(true);
    // openssl agrees that the chain verifies.
    const out = execFileSync('openssl', ['verify', '-CAfile', join(dir, 'ca.pem'), join(dir, 'server-cert.pem'), join(dir, 'client-cert.pem')]).toString();
    expect(out).toContain('server-cert.pem: OK');
    expect(out).toContain('client-cert.pem: OK');
    const m2 = await ensureTlsMaterial(dir);
    expect(m2).toEqual(m1);
  });

  it(req(['CORE-PROTO-040', 'CORE-PROTO-006'], 'wire', 'mysql2 verifies the generated chain and logs in over TLS'), async () => {
    const dir = mkdtempSync(join(tmpdir(), 'refmysql-datadir-'));
    const m = await ensureTlsMaterial(dir);
    const s = await startTestServer({ tls: { key: m.key, cert: m.cert, ca: m.ca }, rsa: { privateKeyPem: m.rsaPrivate, publicKeyPem: m.rsaPublic } });
    try {
      clearAuthCache();
      // rejectUnauthorized stays on: the handshake succeeds only if the server presents a
      // certificate that chains to the generated CA.
      const c = await mysql.createConnection({ host: '127.0.0.1', port: s.port, user: 'sha2', password: 'sha2pw', ssl: { ca: m.ca, checkServerIdentity: () => undefined } as unknown as mysql.SslOptions });
      const [rows] = await c.query('SELECT 1');
      expect(rows).toEqual([{ 1: 1 }]);
      expect(s.fake.sessions.at(-1)!.conn.tls).toBe(true);
      await c.end();
      // A CA the server's certificate does not chain to is refused by the client.
      const other = await ensureTlsMaterial(mkdtempSync(join(tmpdir(), 'refmysql-datadir-')));
      await expect(
        mysql.createConnection({ host: '127.0.0.1', port: s.port, user: 'sha2', password: 'sha2pw', ssl: { ca: other.ca, checkServerIdentity: () => undefined } as unknown as mysql.SslOptions }),
      ).rejects.toThrow();
      // Without TLS the generated RSA key pair carries the password.
      clearAuthCache();
      const d = await mysql.createConnection({ host: '127.0.0.1', port: s.port, user: 'sha2', password: 'sha2pw' });
      const [rows2] = await d.query('SELECT 1');
      expect(rows2).toEqual([{ 1: 1 }]);
      expect(s.fake.sessions.at(-1)!.conn.tls).toBe(false);
      await d.end();
    } finally {
      await s.close();
    }
  });
});
