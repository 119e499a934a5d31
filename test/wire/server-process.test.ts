/**
 * refmysqld as a child process (needs `npm run build`; `npm test` builds first).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { req } from '../helpers/req.js';
import { initializedDatadir, spawnServer, tempDatadir, type SpawnedServer } from '../helpers/server.js';

const parents: string[] = [];
const children: SpawnedServer[] = [];

/** An empty place for a data directory (the server initialises it). */
function fresh(): string {
  const { parent, datadir } = tempDatadir();
  parents.push(parent);
  return datadir;
}

/** An already initialised data directory (copied from a template: fast). */
async function ready(): Promise<string> {
  const { parent, datadir } = await initializedDatadir();
  parents.push(parent);
  return datadir;
}

function start(args: string[]): SpawnedServer {
  const s = spawnServer(args);
  children.push(s);
  return s;
}

afterAll(async () => {
  for (const c of children) {
    c.kill('SIGKILL');
    await c.exited;
  }
  for (const p of parents) rmSync(p, { recursive: true, force: true });
});

const TS = '\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{6}Z';

async function scalar(c: mysql.Connection, sql: string): Promise<string> {
  const [rows] = await c.query({ sql, rowsAsArray: true });
  return String((rows as unknown[][])[0]![0]);
}

describe('refmysqld process', () => {
  it(req(['CORE-SRV-001', 'CORE-SRV-010', 'CORE-SRV-012', 'CORE-SRV-020'], 'wire', 'first start initialises, logs ready, serves mysql2, and shuts down cleanly on SIGTERM'), async () => {
    const datadir = fresh();
    const s = start(['--no-defaults', `--datadir=${datadir}`, '--port=0']);
    const ready = await s.ready;
    expect(s.lines[0]).toMatch(new RegExp(`^${TS} 0 \\[System\\] \\[MY-010116\\] \\[Server\\] .*main\\.js \\(mysqld 8\\.0\\.40-refmysql\\) starting as process \\d+$`));
    expect(s.lines.some((l) => l.includes('[Warning] [MY-010453] [Server] root@localhost is created with an empty password ! Please consider switching off the --initialize-insecure option.'))).toBe(true);
    expect(ready).toMatch(
      new RegExp(`^${TS} 0 \\[System\\] \\[MY-010931\\] \\[Server\\] .*main\\.js: ready for connections\\. Version: '8\\.0\\.40-refmysql'  socket: '.*mysql\\.sock'  port: \\d+  refmysql reference server\\.$`),
    );
    expect(existsSync(join(datadir, 'auto.cnf'))).toBe(true);
    const c = await mysql.createConnection({ host: '127.0.0.1', port: s.port, user: 'root', password: '' });
    expect(await scalar(c, 'SELECT @@version')).toBe('8.0.40-refmysql');
    expect(await scalar(c, 'SELECT @@port')).toBe(String(s.port));
    expect(await scalar(c, 'SELECT @@server_uuid')).toMatch(/^[0-9a-f-]{36}$/);
    await c.end();
    s.kill('SIGTERM');
    expect(await s.exited).toBe(0);
    expect(s.lines.some((l) => /\[System\] \[MY-013172\] \[Server\] Received SHUTDOWN from user <via user signal>\. Shutting down mysqld \(Version: 8\.0\.40-refmysql\)\./.test(l))).toBe(true);
    expect(s.lines.at(-1)).toMatch(/\[System\] \[MY-010910\] \[Server\] .*: Shutdown complete \(mysqld 8\.0\.40-refmysql\)  refmysql reference server\.$/);
    expect(existsSync(join(datadir, 'mysql.sock'))).toBe(false);
  });

  it(req(['CORE-SRV-020#directory', 'CORE-SRV-020#schemas', 'CORE-SRV-020#accounts', 'CORE-SRV-020#tls', 'CORE-SRV-020#auto-cnf-last', 'CORE-SRV-020#atomic', 'CORE-SRV-022'], 'wire', 'first use builds the directory, system schemas, root account, TLS/RSA files and auto.cnf last; later starts keep it; metadata files are replaced by rename'), async () => {
    const datadir = fresh();
    expect(existsSync(datadir)).toBe(false);
    const s = start(['--no-defaults', `--datadir=${datadir}`, '--port=0']);
    await s.ready;
    // The directory, owner-only for others (MySQL creates it 0750).
    expect(statSync(datadir).mode & 0o777).toBe(0o750);
    const tlsFiles = ['ca-key.pem', 'ca.pem', 'client-cert.pem', 'client-key.pem', 'private_key.pem', 'public_key.pem', 'server-cert.pem', 'server-key.pem'];
    for (const f of tlsFiles) expect(existsSync(join(datadir, f)), f).toBe(true);
    // auto.cnf comes last: after the key material, the last step before it (the system tables
    // and logs are rewritten by the running server later, so their times say nothing).
    const autoCnf = join(datadir, 'auto.cnf');
    const autoTime = statSync(autoCnf).mtimeMs;
    const everything = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? everything(join(dir, e.name)) : [join(dir, e.name)]));
    for (const f of tlsFiles) expect(statSync(join(datadir, f)).mtimeMs, f).toBeLessThanOrEqual(autoTime);
    // Atomic replacement leaves no temporary sibling behind.
    expect(everything(datadir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const text = readFileSync(autoCnf, 'utf8');
    const m = /^\[auto\]\nserver-uuid=([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\n$/.exec(text);
    expect(m, text).not.toBeNull();
    const uuid = m![1]!;
    let c = await mysql.createConnection({ host: '127.0.0.1', port: s.port, user: 'root', password: '' });
    expect(await scalar(c, 'SELECT @@server_uuid')).toBe(uuid);
    // The system schemas and the initial account.
    const [dbs] = await c.query({ sql: 'SHOW DATABASES', rowsAsArray: true });
    expect((dbs as string[][]).map((r) => r[0])).toEqual(expect.arrayContaining(['information_schema', 'mysql', 'performance_schema', 'sys']));
    const [users] = await c.query({ sql: "SELECT User, Host, plugin FROM mysql.user WHERE User = 'root'", rowsAsArray: true });
    expect(users).toEqual([['root', 'localhost', 'caching_sha2_password']]);
    // A metadata file written later is replaced by a rename (a new inode), never rewritten in place.
    await c.query('SET PERSIST max_connections = 77');
    const persisted = join(datadir, 'mysqld-auto.cnf');
    const ino1 = statSync(persisted).ino;
    await c.query('SET PERSIST max_connections = 78');
    expect(statSync(persisted).ino).not.toBe(ino1);
    expect(JSON.parse(readFileSync(persisted, 'utf8'))).toMatchObject({ Version: 2, mysql_dynamic_variables: { max_connections: { Value: '78' } } });
    expect(readdirSync(datadir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    await c.end();
    s.kill('SIGTERM');
    expect(await s.exited).toBe(0);
    // A later start is not a first use: nothing is re-initialised and the UUID stays.
    const s2 = start(['--no-defaults', `--datadir=${datadir}`, '--port=0']);
    await s2.ready;
    expect(s.lines.some((l) => l.includes('[MY-013170]'))).toBe(true);
    expect(s2.lines.some((l) => l.includes('initializing of server') || l.includes('MY-010075'))).toBe(false);
    expect(readFileSync(autoCnf, 'utf8')).toBe(text);
    expect(statSync(join(datadir, 'ca.pem')).mtimeMs).toBeLessThanOrEqual(autoTime);
    c = await mysql.createConnection({ host: '127.0.0.1', port: s2.port, user: 'root', password: '' });
    expect(await scalar(c, 'SELECT @@server_uuid')).toBe(uuid);
    await c.end();
    s2.kill('SIGTERM');
    expect(await s2.exited).toBe(0);
  });

  it(req(['CORE-SRV-005'], 'unit', 'a second server on the same port fails with MY-010262'), async () => {
    const blocker = createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const port = (blocker.address() as { port: number }).port;
    try {
      const s = start(['--no-defaults', `--datadir=${await ready()}`, `--port=${port}`]);
      expect(await s.exited).toBe(1);
      expect(s.lines).toContainEqual(expect.stringMatching(/\[ERROR\] \[MY-010262\] \[Server\] Can't start server: Bind on TCP\/IP port: Address already in use$/));
      expect(s.lines.at(-1)).toMatch(/\[ERROR\] \[MY-010119\] \[Server\] Aborting$/);
    } finally {
      blocker.close();
    }
  });

  it(req(['CORE-SRV-004'], 'unit', 'an unknown option aborts startup with MY-000067'), async () => {
    const s = start(['--no-defaults', `--datadir=${fresh()}`, '--port=0', '--no-such-option=1']);
    expect(await s.exited).toBe(1);
    expect(s.lines).toContainEqual(expect.stringMatching(/\[ERROR\] \[MY-000067\] \[Server\] unknown variable 'no-such-option=1'\.$/));
  });

  it(req(['CORE-SRV-021'], 'wire', '--initialize logs an expired temporary password that works once changed; a second --initialize refuses'), async () => {
    const datadir = fresh();
    const init = start(['--no-defaults', `--datadir=${datadir}`, '--initialize']);
    expect(await init.exited).toBe(0);
    const line = init.lines.find((l) => l.includes('[MY-010454]'));
    expect(line).toMatch(/\[Note\] \[MY-010454\] \[Server\] A temporary password is generated for root@localhost: \S+$/);
    const password = /root@localhost: (\S+)$/.exec(line!)![1]!;
    const again = start(['--no-defaults', `--datadir=${datadir}`, '--initialize']);
    expect(await again.exited).toBe(1);
    expect(again.lines).toContainEqual(expect.stringMatching(/\[ERROR\] \[MY-010457\] \[Server\] --initialize specified but the data directory has files in it\. Aborting\.$/));
    const s = start(['--no-defaults', `--datadir=${datadir}`, '--port=0']);
    await s.ready;
    await expect(mysql.createConnection({ host: '127.0.0.1', port: s.port, user: 'root', password: '' })).rejects.toMatchObject({ errno: 1045 });
    // The temporary password is expired: clients without expired-password support are refused,
    // others get a session that must change the password first.
    await expect(mysql.createConnection({ host: '127.0.0.1', port: s.port, user: 'root', password })).rejects.toMatchObject({ errno: 1862 });
    const c = await mysql.createConnection({ host: '127.0.0.1', port: s.port, user: 'root', password, flags: ['CAN_HANDLE_EXPIRED_PASSWORDS'] });
    // (Refusing other statements with 1820 until the change is the executor's part.)
    await c.query("ALTER USER 'root'@'localhost' IDENTIFIED BY 'n3w-Secret'");
    expect(await scalar(c, 'SELECT 1')).toBe('1');
    await c.end();
    const c2 = await mysql.createConnection({ host: '127.0.0.1', port: s.port, user: 'root', password: 'n3w-Secret' });
    await c2.end();
    s.kill('SIGTERM');
    expect(await s.exited).toBe(0);
  });

  it(req(['CORE-SRV-002', 'CORE-SRV-006'], 'wire', '--defaults-file with a [mysqld] group; a stale socket file is replaced'), async () => {
    const datadir = await ready();
    mkdirSync(datadir, { recursive: true });
    const cnf = join(datadir, '..', 'my.cnf');
    const sock = join(datadir, '..', 'test.sock');
    writeFileSync(sock, 'stale');
    writeFileSync(cnf, `[client]\nport=1\n[mysqld]\ndatadir=${datadir}\nport=0\nmax-connections = 42\nsocket=${sock}\n[server]\nwait_timeout=123\n`);
    const s = start([`--defaults-file=${cnf}`]);
    await s.ready;
    expect(s.socketPath).toBe(sock);
    const c = await mysql.createConnection({ socketPath: sock, user: 'root', password: '' });
    expect(await scalar(c, 'SELECT @@max_connections')).toBe('42');
    expect(await scalar(c, 'SELECT @@global.wait_timeout')).toBe('123');
    await c.end();
    s.kill('SIGINT');
    expect(await s.exited).toBe(0);
  });

  it(req(['CORE-SRV-008'], 'unit', '--version, --help and --validate-config exit without serving'), async () => {
    const v = start(['--version']);
    expect(await v.exited).toBe(0);
    expect(v.stdout.join('')).toMatch(/Ver 8\.0\.40-refmysql for Linux/);
    const h = start(['--help']);
    expect(await h.exited).toBe(0);
    expect(h.stdout.join('')).toContain('--defaults-file');
    const ok = start(['--no-defaults', '--validate-config', '--max-connections=10']);
    expect(await ok.exited).toBe(0);
    expect(ok.lines).toEqual([]);
    const bad = start(['--no-defaults', '--validate-config', '--port=abc']);
    expect(await bad.exited).toBe(1);
    expect(bad.lines).toContainEqual(expect.stringMatching(/\[ERROR\] \[MY-000077\] \[Server\] Error while setting value 'abc' to 'port'\.$/));
  });
});

describe('refmysqld process: statements that reach the server', () => {
  it(req(['CORE-SRV-013'], 'wire', 'the SHUTDOWN statement stops the server cleanly'), async () => {
    const s = start(['--no-defaults', `--datadir=${await ready()}`, '--port=0']);
    await s.ready;
    const c = await mysql.createConnection({ host: '127.0.0.1', port: s.port, user: 'root', password: '' });
    await c.query('SHUTDOWN').catch(() => undefined);
    c.destroy();
    expect(await s.exited).toBe(0);
    expect(s.lines).toContainEqual(expect.stringMatching(/\[System\] \[MY-013172\] \[Server\] Received SHUTDOWN from user root\./));
    expect(s.lines.at(-1)).toMatch(/\[MY-010910\]/);
  });

  it(req(['CORE-SRV-007'], 'wire', '--init-file statements run before ready; a failing one aborts'), async () => {
    const datadir = await ready();
    const good = join(datadir, '..', 'init-good.sql');
    writeFileSync(good, 'SET GLOBAL max_connections = 33;\nSET GLOBAL wait_timeout = 44;\n');
    const s = start(['--no-defaults', `--datadir=${datadir}`, '--port=0', `--init-file=${good}`]);
    await s.ready;
    const c = await mysql.createConnection({ host: '127.0.0.1', port: s.port, user: 'root', password: '' });
    expect(await scalar(c, 'SELECT @@max_connections')).toBe('33');
    expect(await scalar(c, 'SELECT @@global.wait_timeout')).toBe('44');
    await c.end();
    s.kill('SIGTERM');
    expect(await s.exited).toBe(0);
    const bad = join(datadir, '..', 'init-bad.sql');
    writeFileSync(bad, 'SET GLOBAL no_such_variable = 1;\n');
    const b = start(['--no-defaults', `--datadir=${datadir}`, '--port=0', `--init-file=${bad}`]);
    expect(await b.exited).toBe(1);
    expect(b.lines).toContainEqual(expect.stringContaining("Unknown system variable 'no_such_variable'"));
  });

  it(req(['CORE-SYSVAR-011'], 'wire', 'SET PERSIST survives a restart'), async () => {
    const datadir = await ready();
    const s = start(['--no-defaults', `--datadir=${datadir}`, '--port=0']);
    await s.ready;
    let c = await mysql.createConnection({ host: '127.0.0.1', port: s.port, user: 'root', password: '' });
    await c.query('SET PERSIST max_connections = 99');
    await c.end();
    s.kill('SIGTERM');
    expect(await s.exited).toBe(0);
    expect(existsSync(join(datadir, 'mysqld-auto.cnf'))).toBe(true);
    const s2 = start(['--no-defaults', `--datadir=${datadir}`, '--port=0']);
    await s2.ready;
    c = await mysql.createConnection({ host: '127.0.0.1', port: s2.port, user: 'root', password: '' });
    expect(await scalar(c, 'SELECT @@max_connections')).toBe('99');
    await c.end();
    s2.kill('SIGTERM');
    expect(await s2.exited).toBe(0);
    // The command line wins over mysqld-auto.cnf, which counts as the last option file.
    const s3 = start(['--no-defaults', `--datadir=${datadir}`, '--port=0', '--max-connections=55']);
    await s3.ready;
    c = await mysql.createConnection({ host: '127.0.0.1', port: s3.port, user: 'root', password: '' });
    expect(await scalar(c, 'SELECT @@max_connections')).toBe('55');
    await c.end();
    s3.kill('SIGTERM');
    expect(await s3.exited).toBe(0);
  });
});

describe('refmysqld process: files', () => {
  it(req(['CORE-SRV-006'], 'wire', 'a socket file another live server answers on makes startup fail'), async () => {
    const datadir = await ready();
    const sock = join(datadir, '..', 'shared.sock');
    const a = start(['--no-defaults', `--datadir=${datadir}`, '--port=0', `--socket=${sock}`]);
    await a.ready;
    const b = start(['--no-defaults', `--datadir=${await ready()}`, '--port=0', `--socket=${sock}`]);
    expect(await b.exited).toBe(1);
    expect(b.lines).toContainEqual(expect.stringMatching(/\[ERROR\] \[MY-010259\] \[Server\] Another process is using unix socket file/));
    expect(existsSync(sock)).toBe(true);
    a.kill('SIGTERM');
    expect(await a.exited).toBe(0);
  });

  it(req(['CORE-SRV-006', 'CORE-SRV-022'], 'wire', 'after kill -9 the server restarts on the same datadir: stale socket and pid file replaced, same server_uuid'), async () => {
    const datadir = await ready();
    const a = start(['--no-defaults', `--datadir=${datadir}`, '--port=0']);
    await a.ready;
    let c = await mysql.createConnection({ host: '127.0.0.1', port: a.port, user: 'root', password: '' });
    const uuid = await scalar(c, 'SELECT @@server_uuid');
    c.destroy();
    a.kill('SIGKILL');
    expect(await a.exited).toBe('SIGKILL');
    expect(existsSync(join(datadir, 'mysql.sock'))).toBe(true);
    const b = start(['--no-defaults', `--datadir=${datadir}`, '--port=0']);
    await b.ready;
    c = await mysql.createConnection({ socketPath: b.socketPath, user: 'root', password: '' });
    expect(await scalar(c, 'SELECT @@server_uuid')).toBe(uuid);
    await c.end();
    b.kill('SIGTERM');
    expect(await b.exited).toBe(0);
  });

  it(req(['CORE-SRV-010'], 'unit', '--log-error writes the error log to a file'), async () => {
    const datadir = await ready();
    const logFile = join(datadir, '..', 'err.log');
    const s = start(['--no-defaults', `--datadir=${datadir}`, '--port=0', `--log-error=${logFile}`]);
    // Bounded poll for the ready line in the file (the process writes nothing to stderr).
    for (let i = 0; i < 1200 && !(existsSync(logFile) && readFileSync(logFile, 'utf8').includes('ready for connections')); i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    s.kill('SIGTERM');
    expect(await s.exited).toBe(0);
    const text = readFileSync(logFile, 'utf8');
    expect(text).toMatch(/\[MY-010116\]/);
    expect(text).toMatch(/\[MY-010910\]/);
    expect(s.lines).toEqual([]);
  });
});
