import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { req } from '../helpers/req.js';
import { rsaPair, selfSignedCert } from '../unit/protocol/keys.js';
import { startTestServer, type TestServer } from '../unit/protocol/listen.js';

const run = promisify(execFile);
let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer({ tls: selfSignedCert(), rsa: rsaPair() });
});
afterAll(async () => {
  await srv.close();
});

async function cli(args: string[]): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const r = await run('mariadb', ['-h127.0.0.1', `-P${srv.port}`, '--protocol=TCP', ...args], { timeout: 20000 });
    return { stdout: r.stdout, stderr: r.stderr, code: 0 };
  } catch (e) {
    const x = e as { stdout?: string; stderr?: string; code?: number };
    return { stdout: x.stdout ?? '', stderr: x.stderr ?? '', code: x.code ?? -1 };
  }
}

describe('mariadb command-line client', () => {
  it(req(['CORE-PROTO-005', 'CORE-PROTO-012'], 'wire', 'the mariadb CLI logs in with mysql_native_password and prints a result'), async () => {
    const r = await cli(['-unative', '-pnativepw', '--skip-ssl', '-e', 'SELECT ROWS 2']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('id\tname\n1\tname1\n2\tname2\n');
  });

  it(req(['CORE-PROTO-004', 'CORE-PROTO-006'], 'wire', 'the mariadb CLI logs in with caching_sha2_password over TLS'), async () => {
    const r = await cli(['-usha2', '-psha2pw', '--ssl', '--ssl-verify-server-cert=0', '-e', 'SELECT 1']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('1\n1\n');
  });

  it(req('CORE-PROTO-010', 'wire', 'the mariadb CLI reads the OK packet info text'), async () => {
    const r = await cli(['-uroot', '--skip-ssl', '-vvv', '-e', 'UPDATE t SET a = 1']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('Query OK, 1 row affected');
    expect(r.stdout).toContain('Rows matched: 1  Changed: 1  Warnings: 0');
  });

  it(req('CORE-PROTO-009', 'wire', 'the mariadb CLI shows the 1045 message'), async () => {
    const r = await cli(['-unative', '-pwrong', '--skip-ssl', '-e', 'SELECT 1']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("ERROR 1045 (28000): Access denied for user 'native'@'localhost' (using password: YES)");
  });
});
