/**
 * `refmysql --network-namespace`: the client makes its TCP socket inside the named namespace
 * (through the native addon) after resolving the host globally, reproducing the manual's
 * red/blue example; namespace failures print `ERROR: Network namespace error: <strerror>`.
 * Runs against one in-process server listening on 127.0.0.1 and inside red and blue.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/network-namespace-support.html
 * @req NETNS-045 NETNS-015 CLIENT-015 CLIENT-001
 */
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeNetns, type RedBlue, run, setupRedBlue } from '../helpers/netns.js';
import { type CommandResult, runCommand } from '../helpers/peers.js';
import { req } from '../helpers/req.js';
import { REPO_ROOT, startTestServer, type TestServer } from '../helpers/server.js';

const CLIENT_MAIN = join(REPO_ROOT, 'dist', 'src', 'client', 'main.js');
const RED = '192.0.2.2';
const BLUE = '198.51.100.2';
const DROP_SYS_ADMIN = ['setpriv', '--bounding-set=-sys_admin', '--'];

describeNetns('refmysql --network-namespace', () => {
  let rb: RedBlue | undefined;
  let s: TestServer;

  /** Run the built client (optionally under a wrapper such as setpriv). */
  function refmysql(args: readonly string[], prefix: readonly string[] = []): Promise<CommandResult> {
    const argv = [...prefix, 'node', CLIENT_MAIN, ...args];
    return runCommand(argv[0]!, argv.slice(1), { timeoutMs: 60_000 });
  }

  beforeAll(async () => {
    rb = await setupRedBlue();
    s = await startTestServer({ options: { 'bind-address': `127.0.0.1,${RED}/red,${BLUE}/blue` } });
    const c = await s.connect();
    for (const sql of [
      `CREATE USER 'red_user'@'${RED}' IDENTIFIED WITH mysql_native_password BY 'red_pw'`,
      `CREATE USER 'blue_user'@'${BLUE}' IDENTIFIED WITH caching_sha2_password BY 'blue_pw'`,
      `CREATE USER 'probe'@'%' IDENTIFIED WITH mysql_native_password BY 'probe_pw'`,
    ]) {
      await c.query(sql);
    }
    await c.end();
  });

  afterAll(async () => {
    await s?.stop();
    await rb?.teardown();
  });

  it(req(['NETNS-045', 'CLIENT-015'], 'wire', "refmysql -h 192.0.2.2 --network-namespace=red connects as red_user@192.0.2.2 (and blue's twin)"), async () => {
    const r = await refmysql([`-h${RED}`, `-P${s.port}`, '--network-namespace=red', '-ured_user', '-pred_pw', '-N', '-e', 'SELECT USER(), CURRENT_USER()']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`red_user@${RED}\tred_user@${RED}\n`);
    // caching_sha2_password with TLS negotiated inside the namespace too.
    const b = await refmysql([`--host=${BLUE}`, `--port=${s.port}`, '--network-namespace', 'blue', '--user=blue_user', '--password=blue_pw', '-N', '-e', "SELECT USER(); SHOW SESSION STATUS LIKE 'Ssl_version'"]);
    expect(b.stderr).toBe('');
    expect(b.stdout).toMatch(new RegExp(`^blue_user@${BLUE.replace(/\./g, '\\.')}\\nSsl_version\\tTLSv1\\.[23]\\n$`));
    // red_user is unknown from blue's address: the server sees blue's own address.
    const wrong = await refmysql([`-h${BLUE}`, `-P${s.port}`, '--network-namespace=blue', '-ured_user', '-pred_pw', '-e', 'SELECT 1']);
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toBe(`ERROR 1045 (28000): Access denied for user 'red_user'@'${BLUE}' (using password: YES)\n`);
  });

  it(req(['NETNS-045'], 'wire', 'without --network-namespace the same command from the global namespace is refused or denied'), async () => {
    let denied = 0;
    for (const { end, user, pw } of [
      { end: rb!.red, user: 'red_user', pw: 'red_pw' },
      { end: rb!.blue, user: 'blue_user', pw: 'blue_pw' },
    ]) {
      const r = await refmysql([`-h${end.nsAddress}`, `-P${s.port}`, `-u${user}`, `-p${pw}`, '--connect-timeout=20', '-e', 'SELECT USER()']);
      expect(r.code, end.name).toBe(1);
      if (end.hostAddress === null) {
        // This host's uplink already uses the subnet (see the fixture), so the global side has no
        // route into the namespace: nothing listens on that address here.
        expect(r.stderr, `${end.name}: ${end.hostConflict}`).toMatch(new RegExp(`^ERROR (2003 \\(HY000\\): Can't connect to MySQL server on '${end.nsAddress}:${s.port}'|2013 \\(HY000\\): Lost connection)`));
        continue;
      }
      denied++;
      expect(r.stderr).toBe(`ERROR 1045 (28000): Access denied for user '${user}'@'${end.hostAddress}' (using password: YES)\n`);
      const probe = await refmysql([`-h${end.nsAddress}`, `-P${s.port}`, '-uprobe', '-pprobe_pw', '-N', '-e', 'SELECT USER()']);
      expect(probe.stdout).toBe(`probe@${end.hostAddress}\n`);
    }
    expect(denied).toBeGreaterThan(0);
  });

  it(req(['NETNS-015', 'CLIENT-015'], 'wire', 'without CAP_SYS_ADMIN the client prints ERROR: Network namespace error: Operation not permitted'), async () => {
    expect(run(['setpriv', '--version']).status, 'setpriv (util-linux) is needed').toBe(0);
    const r = await refmysql([`-h${RED}`, `-P${s.port}`, '--network-namespace=red', '-ured_user', '-pred_pw', '-e', 'SELECT USER()'], DROP_SYS_ADMIN);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('ERROR: Network namespace error: Operation not permitted\n');
    expect(r.code).toBe(1);
    // The same privilege-less client without the option still reaches the global listener.
    const g = await refmysql(['-h127.0.0.1', `-P${s.port}`, '-uroot', '-N', '-e', 'SELECT 1'], DROP_SYS_ADMIN);
    expect(g.stdout).toBe('1\n');
  });

  it(req(['CLIENT-015', 'NETNS-045'], 'unit', 'an unknown namespace fails before connecting with the strerror of opening its handle'), async () => {
    const r = await refmysql([`-h${RED}`, `-P${s.port}`, '--network-namespace=nosuchns', '-ured_user', '-pred_pw', '-e', 'SELECT 1']);
    expect(r.stderr).toBe('ERROR: Network namespace error: No such file or directory\n');
    expect(r.code).toBe(1);
  });

  it(req(['CLIENT-015', 'CLIENT-001'], 'wire', 'with a Unix socket the namespace must exist but the socket connects as usual'), async () => {
    const ok = await refmysql(['-S', s.socketPath, '--network-namespace=red', '-uroot', '-N', '-e', 'SELECT USER()']);
    expect(ok.stderr).toBe('');
    expect(ok.stdout).toBe('root@localhost\n');
    const bad = await refmysql(['-S', s.socketPath, '--network-namespace=nosuchns', '-uroot', '-e', 'SELECT 1']);
    expect(bad.stderr).toBe('ERROR: Network namespace error: No such file or directory\n');
    expect(bad.code).toBe(1);
  });
});
