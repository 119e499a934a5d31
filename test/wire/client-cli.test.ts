/**
 * The built `refmysql` client (`node dist/src/client/main.js`) against an in-process refmysqld:
 * -e and stdin batches, the three output layouts compared byte for byte with what the Debian
 * `mariadb` client prints for the same statements, errors and exit statuses, authentication
 * with both plugins (fast and full caching_sha2_password, over TLS, RSA and a Unix socket), and
 * an interactive session driven through pipes with --interactive.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/mysql.html
 * @req CLIENT-001 CLIENT-003 CLIENT-004 CLIENT-005 CLIENT-006 CLIENT-007 CLIENT-008 CLIENT-009 CLIENT-010 CLIENT-011 CLIENT-012 CLIENT-014 CLIENT-016
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requirePeer } from '../helpers/mariadb.js';
import { type CommandResult, runCommand } from '../helpers/peers.js';
import { req } from '../helpers/req.js';
import { REPO_ROOT, startTestServer, type TestServer } from '../helpers/server.js';

const CLIENT_MAIN = join(REPO_ROOT, 'dist', 'src', 'client', 'main.js');

let server: TestServer;

/** Run refmysql against the test server over TCP (arguments after the connection ones). */
function refmysql(args: readonly string[], input?: string): Promise<CommandResult> {
  return runCommand('node', [CLIENT_MAIN, '-h127.0.0.1', `-P${server.port}`, ...args], { ...(input === undefined ? {} : { input }), timeoutMs: 60_000 });
}

function mariadb(args: readonly string[], input?: string): Promise<CommandResult> {
  return runCommand('mariadb', ['--no-defaults', '-h127.0.0.1', `-P${server.port}`, '--protocol=TCP', ...args], { ...(input === undefined ? {} : { input }), timeoutMs: 60_000 });
}

const SETUP = [
  'CREATE DATABASE cli',
  'CREATE TABLE cli.t (id INT NOT NULL PRIMARY KEY, name VARCHAR(20), score DECIMAL(5,2), note VARCHAR(40))',
  "INSERT INTO cli.t VALUES (1, 'alice', 12.5, NULL), (2, 'bob', NULL, 'tab\\there'), (10, 'carol o''neil', 3.25, 'line1\\nline2 back\\\\slash')",
  "CREATE USER 'nat'@'%' IDENTIFIED WITH mysql_native_password BY 'natpw'",
  "CREATE USER 'sha_rsa'@'%' IDENTIFIED WITH caching_sha2_password BY 'rsapw'",
  "CREATE USER 'sha_tls'@'%' IDENTIFIED WITH caching_sha2_password BY 'tlspw'",
  "CREATE USER 'sha_sock'@'%' IDENTIFIED WITH caching_sha2_password BY 'sockpw'",
  "GRANT SELECT ON cli.* TO 'nat'@'%'",
];

beforeAll(async () => {
  server = await startTestServer();
  const c = await server.connect();
  for (const s of SETUP) await c.query(s);
  await c.end();
}, 120_000);

afterAll(async () => {
  await server?.stop();
});

describe("refmysql output equals the mariadb client's", () => {
  // The peer client is part of the CI setup (scripts/install-peers.sh): missing is a failure.
  beforeAll(() => requirePeer(['mariadb']));

  const QUERIES = [
    'SELECT * FROM cli.t ORDER BY id',
    "SELECT 1 AS n, NULL AS z, 'x' AS s, 2.5 AS d",
    'SELECT id, name FROM cli.t WHERE id > 1 ORDER BY id DESC',
  ];

  for (const q of QUERIES) {
    it(req('CLIENT-007', 'peer', `batch output of -e '${q}'`), async () => {
      const [a, b] = await Promise.all([refmysql(['-uroot', '-e', q]), mariadb(['-uroot', '-e', q])]);
      expect(a.stderr).toBe('');
      expect(a.code).toBe(0);
      expect(a.stdout).toBe(b.stdout);
    });
    it(req('CLIENT-008', 'peer', `table output (-t) of '${q}'`), async () => {
      const [a, b] = await Promise.all([refmysql(['-uroot', '-t', '-e', q]), mariadb(['-uroot', '-t', '-e', q])]);
      expect(a.code).toBe(0);
      expect(a.stdout).toBe(b.stdout);
    });
    it(req('CLIENT-009', 'peer', `vertical output (-E) of '${q}'`), async () => {
      const [a, b] = await Promise.all([refmysql(['-uroot', '-E', '-e', q]), mariadb(['-uroot', '-E', '-e', q])]);
      expect(a.code).toBe(0);
      expect(a.stdout).toBe(b.stdout);
    });
  }

  it(req(['CLIENT-007', 'CLIENT-016'], 'peer', '-N and -ss drop the header line'), async () => {
    for (const flag of ['-N', '-ss']) {
      const [a, b] = await Promise.all([refmysql(['-uroot', flag, '-e', 'SELECT * FROM cli.t ORDER BY id']), mariadb(['-uroot', flag, '-e', 'SELECT * FROM cli.t ORDER BY id'])]);
      expect(a.stdout).toBe(b.stdout);
      expect(a.stdout.startsWith('1\t')).toBe(true);
    }
  });

  it(req(['CLIENT-007', 'CLIENT-013'], 'peer', 'a script on stdin runs statement by statement like mariadb (quotes, comments, \\G)'), async () => {
    const script = [
      '-- a comment; with a semicolon',
      "SELECT 'a;b' AS s; SELECT id",
      '  FROM cli.t /* ; */ ORDER BY id;',
      '# hash comment',
      'SELECT name FROM cli.t WHERE id = 1\\G',
      'SELECT 42 AS answer',
    ].join('\n');
    const [a, b] = await Promise.all([refmysql(['-uroot'], script), mariadb(['-uroot'], script)]);
    expect(a.stderr).toBe('');
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
  });

  it(req('CLIENT-010', 'peer', 'a syntax error prints the same error line as mariadb and stops the batch with status 1'), async () => {
    const script = 'SELECT 1;\nSELEC 2;\nSELECT 3;\n';
    const [a, b] = await Promise.all([refmysql(['-uroot'], script), mariadb(['-uroot'], script)]);
    expect(a.code).toBe(1);
    expect(b.code).toBe(1);
    expect(a.stdout).toBe('1\n1\n');
    const lastLine = (s: string) => s.trim().split('\n').pop();
    expect(a.stderr).toBe("ERROR 1064 (42000) at line 2: You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use near 'SELEC 2' at line 1\n");
    expect(lastLine(a.stderr)).toBe(lastLine(b.stderr));
  });
});

describe('refmysql errors and exit statuses', () => {
  it(req('CLIENT-010', 'wire', '-e stops at the first error unless --force'), async () => {
    const r = await refmysql(['-uroot', '-e', 'SELECT 1 AS a; SELECT * FROM nosuch.t; SELECT 3 AS c']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('a\n1\n');
    expect(r.stderr).toMatch(/^ERROR 1049 \(42000\) at line 1: Unknown database 'nosuch'\n$|^ERROR 1146 \(42S02\) at line 1: Table 'nosuch.t' doesn't exist\n$/);
    const f = await refmysql(['-uroot', '--force', '-e', 'SELECT 1 AS a; SELEC; SELECT 3 AS c']);
    expect(f.code).toBe(0);
    expect(f.stdout).toBe('a\n1\nc\n3\n');
    expect(f.stderr).toMatch(/^ERROR 1064 \(42000\) at line 1: /);
  });

  it(req(['CLIENT-003', 'CLIENT-010'], 'wire', 'a wrong password prints ERROR 1045 (28000) and exits 1'), async () => {
    const r = await refmysql(['-unat', '-pwrong', '-e', 'SELECT 1']);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe("ERROR 1045 (28000): Access denied for user 'nat'@'localhost' (using password: YES)\n");
  });

  it(req('CLIENT-010', 'unit', 'a refused connection prints ERROR 2003 with the OS errno'), async () => {
    const r = await runCommand('node', [CLIENT_MAIN, '-h127.0.0.1', '-P1', '-uroot', '-e', 'SELECT 1'], { timeoutMs: 60_000 });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe("ERROR 2003 (HY000): Can't connect to MySQL server on '127.0.0.1:1' (111)\n");
  });

  it(req('CLIENT-014', 'unit', '--help and --version exit 0; an unknown option exits 7'), async () => {
    const h = await runCommand('node', [CLIENT_MAIN, '--help']);
    expect(h.code).toBe(0);
    expect(h.stdout).toContain('--network-namespace=name');
    const v = await runCommand('node', [CLIENT_MAIN, '--version']);
    expect(v.code).toBe(0);
    expect(v.stdout).toMatch(/^refmysql {2}Ver 8\.0\.40-refmysql for /);
    const u = await runCommand('node', [CLIENT_MAIN, '--frobnicate']);
    expect(u.code).toBe(7);
    expect(u.stderr).toBe("refmysql: [ERROR] unknown option '--frobnicate'.\n");
  });
});

describe('refmysql authentication', () => {
  it(req(['CLIENT-003', 'CLIENT-005'], 'wire', 'mysql_native_password accounts log in (after an auth switch from caching_sha2_password)'), async () => {
    const r = await refmysql(['-unat', '-pnatpw', '-N', '-e', 'SELECT USER(), CURRENT_USER()']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('nat@localhost\tnat@%\n');
  });

  it(req(['CLIENT-004', 'CLIENT-006'], 'wire', 'caching_sha2_password: no full auth in clear, RSA key on request, then the fast path'), async () => {
    const clear = await refmysql(['-usha_rsa', '-prsapw', '--ssl-mode=DISABLED', '-e', 'SELECT 1']);
    expect(clear.code).toBe(1);
    expect(clear.stderr).toBe("ERROR 2061 (HY000): Authentication plugin 'caching_sha2_password' reported error: Authentication requires secure connection.\n");
    const rsa = await refmysql(['-usha_rsa', '-prsapw', '--ssl-mode=DISABLED', '--get-server-public-key', '-N', '-e', 'SELECT CURRENT_USER()']);
    expect(rsa.stderr).toBe('');
    expect(rsa.stdout).toBe('sha_rsa@%\n');
    // The successful full authentication filled the server's cache: the scramble alone now works.
    const fast = await refmysql(['-usha_rsa', '-prsapw', '--ssl-mode=DISABLED', '-N', '-e', 'SELECT CURRENT_USER()']);
    expect(fast.stderr).toBe('');
    expect(fast.stdout).toBe('sha_rsa@%\n');
  });

  it(req(['CLIENT-004', 'CLIENT-006'], 'wire', 'caching_sha2_password full authentication over TLS (REQUIRED), twice'), async () => {
    for (let i = 0; i < 2; i++) {
      const r = await refmysql(['-usha_tls', '-ptlspw', '--ssl-mode=REQUIRED', '-N', '-e', "SHOW SESSION STATUS LIKE 'Ssl_version'"]);
      expect(r.stderr).toBe('');
      expect(r.stdout).toMatch(/^Ssl_version\tTLSv1\.[23]\n$/);
    }
    const off = await refmysql(['-uroot', '--ssl-mode=DISABLED', '-N', '-e', "SHOW SESSION STATUS LIKE 'Ssl_version'"]);
    expect(off.stdout).toBe('Ssl_version\t\n');
    const preferred = await refmysql(['-uroot', '-N', '-e', "SHOW SESSION STATUS LIKE 'Ssl_version'"]);
    expect(preferred.stdout).toMatch(/^Ssl_version\tTLSv1\.[23]\n$/);
  });

  it(req(['CLIENT-001', 'CLIENT-004'], 'wire', 'a Unix socket (-S) carries full authentication without TLS'), async () => {
    const r = await runCommand('node', [CLIENT_MAIN, '-S', server.socketPath, '-usha_sock', '-psockpw', '-N', '-e', "SELECT CURRENT_USER(); SHOW SESSION STATUS LIKE 'Ssl_version'"], { timeoutMs: 60_000 });
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('sha_sock@%\nSsl_version\t\n');
  });

  it(req('CLIENT-001', 'wire', '-D and a positional argument choose the default database'), async () => {
    const a = await refmysql(['-uroot', '-D', 'cli', '-N', '-e', 'SELECT DATABASE(), COUNT(*) FROM t']);
    expect(a.stdout).toBe('cli\t3\n');
    const b = await refmysql(['-uroot', '-N', '-e', 'SELECT DATABASE()', 'cli']);
    expect(b.stdout).toBe('cli\n');
  });
});

describe('refmysql statements and sessions', () => {
  it(req(['CLIENT-011', 'CLIENT-013'], 'wire', 'one COM_QUERY with several statements prints every result set in order'), async () => {
    const r = await refmysql(['-uroot', '-e', 'delimiter //\nSELECT 1 AS a; SELECT 2 AS b; DO 0; SELECT 3 AS c//']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('a\n1\nb\n2\nc\n3\n');
  });

  it(req(['CLIENT-012', 'CLIENT-008', 'CLIENT-009'], 'wire', 'an interactive session through pipes: prompts, tables, summaries, use, quit'), async () => {
    const input = [
      'SELECT id, name',
      "FROM cli.t WHERE name = 'alice';",
      'SELECT 1 FROM cli.t WHERE id = 0;',
      'use cli',
      'INSERT INTO t VALUES (20, "dave", 1, NULL);',
      'SELECT name FROM t WHERE id = 20\\G',
      'SELEC;',
      'quit',
      'SELECT "not reached";',
    ].join('\n');
    const r = await refmysql(['-uroot', '--interactive'], input + '\n');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("ERROR 1064 (42000): You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use near 'SELEC' at line 1\n");
    const out = r.stdout.replace(/\(\d+\.\d\d sec\)/g, '(T)');
    expect(out).toContain('Welcome to the refmysql monitor.');
    expect(out).toContain(
      ['mysql>     -> +----+-------+', '| id | name  |', '+----+-------+', '|  1 | alice |', '+----+-------+', '1 row in set (T)', '', 'mysql> Empty set (T)', '', 'mysql> Database changed', 'mysql> Query OK, 1 row affected (T)', '', 'mysql> *************************** 1. row ***************************', 'name: dave', '1 row in set (T)', '', 'mysql> mysql> Bye', ''].join('\n'),
    );
    expect(out).not.toContain('not reached');
  });

  it(req('CLIENT-012', 'wire', 'Ctrl-C (SIGINT) while a statement runs sends KILL QUERY from a second connection'), async () => {
    const child = spawn('node', [CLIENT_MAIN, '-h127.0.0.1', `-P${server.port}`, '-uroot', '--interactive'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    const exited = new Promise<number | null>((r) => child.once('close', (code) => r(code)));
    try {
      child.stdin.write('SELECT SLEEP(300) AS slept;\n');
      // Wait (bounded) until the server shows the statement running.
      const c = await server.connect();
      try {
        let running = false;
        for (let i = 0; i < 400 && !running; i++) {
          const [rows] = await c.query("SELECT COUNT(*) AS n FROM information_schema.processlist WHERE info LIKE 'SELECT SLEEP(300)%'");
          running = Number((rows as { n: number }[])[0]!.n) > 0;
          if (!running) await new Promise((r) => setTimeout(r, 50));
        }
        expect(running).toBe(true);
      } finally {
        await c.end();
      }
      child.kill('SIGINT');
      child.stdin.end('SELECT 5 AS five;\nquit\n');
      expect(await exited).toBe(0);
      expect(err).toBe('');
      expect(out).toContain('^C -- query aborted\n');
      // SLEEP() cut short by KILL QUERY returns 1, as in MySQL; the session goes on.
      expect(out).toContain('| slept |\n+-------+\n|     1 |');
      expect(out).toContain('| five |');
    } finally {
      child.kill('SIGKILL');
    }
  });
});
