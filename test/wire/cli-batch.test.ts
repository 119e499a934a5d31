/**
 * The Debian `mariadb` command-line client (and `mariadb-admin`) against refmysqld, in batch
 * mode: the way scripts and CI jobs use a MySQL server. Batch output is tab-separated with a
 * header line; failures print `ERROR n (state) at line k: message` on stderr and exit with 1.
 *
 * With `PEER_TARGET=mariadb` the same suite runs against a MariaDB to validate the test itself;
 * only the version string expectation changes.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/mysql-command-options.html
 * @req CORE-PEER-002 CORE-PEER-003 CORE-PEER-004 CORE-PEER-011
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requirePeer } from '../helpers/mariadb.js';
import { mariadbCli, runCommand, startRefTarget, type ServerTarget } from '../helpers/peers.js';
import { req } from '../helpers/req.js';

const REFMYSQL_VERSION = '8.0.40-refmysql';

/**
 * The client's error line. MariaDB 10.11's client also echoes the failing statement between
 * dashed lines before it (print-query-on-error), so only the last line is the error itself.
 */
function errorLine(stderr: string): string {
  const lines = stderr.trim().split('\n');
  return lines[lines.length - 1] ?? '';
}

describe('mariadb CLI in batch mode', () => {
  let target: ServerTarget;

  beforeAll(async () => {
    requirePeer(['mariadb', 'mariadb-admin']);
    target = await startRefTarget();
  }, 120_000);

  afterAll(async () => {
    await target?.stop();
  });

  it(req('CORE-PEER-002', 'peer', "-e 'select version()' prints the server version under a header"), async () => {
    const r = await mariadbCli(target, ['-e', 'select version()']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('version()');
    if (target.kind === 'refmysqld') expect(lines[1]).toBe(REFMYSQL_VERSION);
    else expect(lines[1]).toMatch(/MariaDB/);
  });

  it(req('CORE-PEER-002', 'peer', '--skip-column-names prints bare tab-separated values'), async () => {
    const r = await mariadbCli(target, ['--skip-column-names', '-e', "select 1 + 1, 'a', NULL"]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('2\ta\tNULL\n');
  });

  it(req('CORE-PEER-002', 'peer', 'a multi-statement script on stdin runs in order'), async () => {
    const script = [
      'DROP DATABASE IF EXISTS cli_batch;',
      'CREATE DATABASE cli_batch;',
      'USE cli_batch;',
      'CREATE TABLE t (id INT NOT NULL PRIMARY KEY, s VARCHAR(10), d DECIMAL(5,2)) ENGINE=MEMORY;',
      "INSERT INTO t VALUES (1, 'one', 1.50), (2, NULL, -2.25), (3, 'tab\\there', 0);",
      'SELECT * FROM t ORDER BY id;',
      'SELECT COUNT(*) AS n FROM t;',
      'DROP DATABASE cli_batch;',
      '',
    ].join('\n');
    const r = await mariadbCli(target, [], script);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // Batch mode escapes a tab inside a value as \t so columns stay unambiguous.
    expect(r.stdout).toBe('id\ts\td\n1\tone\t1.50\n2\tNULL\t-2.25\n3\ttab\\there\t0.00\nn\n3\n');
  });

  it(req('CORE-PEER-003', 'peer', 'a failing statement exits 1 with ERROR 1146 (42S02) at line 1'), async () => {
    const r = await mariadbCli(target, ['-e', 'select * from test.nosuch']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(errorLine(r.stderr)).toBe("ERROR 1146 (42S02) at line 1: Table 'test.nosuch' doesn't exist");
  });

  it(req('CORE-PEER-003', 'peer', 'a script stops at the failing line and reports its number'), async () => {
    const script = "SELECT 'first' AS a;\nSELECT 'second' AS b;\nSELECT * FROM test.nosuch;\nSELECT 'never' AS c;\n";
    const r = await mariadbCli(target, [], script);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('a\nfirst\nb\nsecond\n');
    expect(errorLine(r.stderr)).toBe("ERROR 1146 (42S02) at line 3: Table 'test.nosuch' doesn't exist");
  });

  it(req('CORE-PEER-003', 'peer', '--force reports the error and continues with the next statement'), async () => {
    const script = "SELECT * FROM test.nosuch;\nSELECT 'after' AS a;\n";
    const r = await mariadbCli(target, ['--force'], script);
    // The exit status under --force is the client's own policy, so it is not asserted here.
    expect(r.stdout).toBe('a\nafter\n');
    expect(errorLine(r.stderr)).toMatch(/^ERROR 1146 \(42S02\) at line 1: /);
  });

  it(req('CORE-PEER-003', 'peer', 'a syntax error is reported as ERROR 1064 (42000)'), async () => {
    const r = await mariadbCli(target, ['-e', 'selec 1']);
    expect(r.code).toBe(1);
    expect(errorLine(r.stderr)).toMatch(/^ERROR 1064 \(42000\) at line 1: You have an error in your SQL syntax; /);
  });

  it(req('CORE-PEER-004', 'peer', 'connects over the Unix socket with -S'), async () => {
    if (!target.socketPath) throw new Error(`${target.kind} under test exposes no Unix socket path`);
    const r = await runCommand('mariadb', [
      '--no-defaults',
      `-S${target.socketPath}`,
      '-uroot',
      '--batch',
      '--skip-column-names',
      '-e',
      'select 40 + 2',
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('42\n');
  });

  it(req('CORE-PEER-011', 'peer', '--ssl connects over TLS (session reports a TLS version and cipher)'), async () => {
    const r = await mariadbCli(target, [
      '--ssl',
      '--skip-column-names',
      '-e',
      "SHOW SESSION STATUS WHERE Variable_name IN ('Ssl_version', 'Ssl_cipher')",
    ]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Ssl_version\tTLSv1\.[23]$/m);
    expect(r.stdout).toMatch(/^Ssl_cipher\t\S+$/m);
  });

  it(req('CORE-PEER-002', 'peer', 'mariadb-admin ping reports the server alive'), async () => {
    const r = await runCommand('mariadb-admin', ['--no-defaults', '-h127.0.0.1', `-P${target.port}`, '-uroot', 'ping']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe('mysqld is alive');
  });
});
