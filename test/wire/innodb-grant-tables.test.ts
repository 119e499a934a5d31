/**
 * The grant tables as InnoDB tables, through the real server binary (needs a build:
 * `npx tsc -p tsconfig.json`): account statements from several connections write them and
 * survive kill -9; rows changed by hand take effect at FLUSH PRIVILEGES; the tables round trip
 * through mariadb-dump into a second server; an acl.json of an older data directory is imported
 * once.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { afterAll, describe, expect, it } from 'vitest';
import { Acl, JsonAclStore, aclPath, newUserRecord } from '../../src/accounts/acl.js';
import { SHA2_PLUGIN, hashPassword } from '../../src/accounts/credentials.js';
import { initialAclState } from '../../src/accounts/initialize.js';
import { req } from '../helpers/req.js';
import { failure, ServerLab, type LabServer } from '../helpers/server-lab.js';

const lab = new ServerLab();
afterAll(() => lab.cleanup());

const GRANT_TABLES = ['columns_priv', 'db', 'default_roles', 'global_grants', 'procs_priv', 'proxies_priv', 'role_edges', 'tables_priv', 'user'];

async function rows(c: mysql.Connection, sql: string): Promise<mysql.RowDataPacket[]> {
  const [r] = await c.query<mysql.RowDataPacket[]>(sql);
  return r;
}

async function login(s: LabServer, user: string, password: string): Promise<string> {
  const c = await mysql.createConnection({ host: '127.0.0.1', port: s.server.port, user, password });
  try {
    return String((await rows(c, 'SELECT CURRENT_USER() AS u'))[0]!['u']);
  } finally {
    await c.end();
  }
}

async function loginError(s: LabServer, user: string, password: string): Promise<number> {
  try {
    await login(s, user, password);
  } catch (e) {
    return (e as { errno: number }).errno;
  }
  return 0;
}

describe('the grant tables in InnoDB', () => {
  it(req(['CORE-DICT-019', 'CORE-DICT-014', 'CORE-ACCT-080'], 'wire', 'the grant tables are InnoDB tables; accounts and grants made from four connections survive kill -9, also with innodb_flush_log_at_trx_commit=0'), async () => {
    const dir = await lab.datadir();
    for (const t of GRANT_TABLES) expect(existsSync(join(dir, 'mysql', `${t}.ibd`)), t).toBe(true);
    expect(existsSync(aclPath(dir))).toBe(false);
    const a = await lab.start(dir, ['--innodb-flush-log-at-trx-commit=0']);
    const engines = await rows(a.conn, "SELECT TABLE_NAME AS t, ENGINE AS e FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'mysql' AND TABLE_NAME IN ('user', 'db', 'tables_priv') ORDER BY TABLE_NAME");
    expect(engines.map((r) => [r['t'], r['e']])).toEqual([['db', 'InnoDB'], ['tables_priv', 'InnoDB'], ['user', 'InnoDB']]);
    await a.conn.query('CREATE TABLE test.t (a INT, b INT)');
    const conns = await Promise.all([0, 1, 2, 3].map(() => a.connect()));
    await Promise.all(
      conns.map(async (c, w) => {
        for (let i = 0; i < 4; i++) {
          await c.query(`CREATE USER 'u${w}_${i}'@'%' IDENTIFIED BY 'p${w}${i}'`);
          await c.query(`GRANT SELECT ON test.* TO 'u${w}_${i}'@'%'`);
        }
        await c.query(`GRANT INSERT (a) ON test.t TO 'u${w}_0'@'%'`);
        await c.query(`DROP USER 'u${w}_3'@'%'`);
        await c.query(`CREATE ROLE 'r${w}'`);
        await c.query(`GRANT 'r${w}' TO 'u${w}_1'@'%'`);
      }),
    );
    for (const c of conns) await c.end();
    const before = (await rows(a.conn, "SHOW GRANTS FOR 'u0_0'@'%'")).map((r) => Object.values(r)[0]);
    await lab.crash(a);

    const b = await lab.start(dir);
    for (let w = 0; w < 4; w++) {
      for (let i = 0; i < 3; i++) expect(await login(b, `u${w}_${i}`, `p${w}${i}`)).toBe(`u${w}_${i}@%`);
      expect(await loginError(b, `u${w}_3`, `p${w}3`)).toBe(1045);
      expect((await rows(b.conn, `SHOW GRANTS FOR 'u${w}_1'@'%'`)).map((r) => Object.values(r)[0])).toContain(`GRANT \`r${w}\`@\`%\` TO \`u${w}_1\`@\`%\``);
    }
    expect((await rows(b.conn, "SHOW GRANTS FOR 'u0_0'@'%'")).map((r) => Object.values(r)[0])).toEqual(before);
    expect(await rows(b.conn, "SELECT User, Column_name, Column_priv FROM mysql.columns_priv WHERE User LIKE 'u%' ORDER BY User")).toEqual(
      [0, 1, 2, 3].map((w) => ({ User: `u${w}_0`, Column_name: 'a', Column_priv: 'Insert' })),
    );
    await lab.stop(b);
  });

  it(req(['CORE-DICT-019', 'CORE-ACCT-031'], 'wire', 'rows changed with INSERT, UPDATE and DELETE take effect at FLUSH PRIVILEGES, and account statements keep rows changed by hand'), async () => {
    const dir = await lab.datadir();
    const a = await lab.start(dir);
    await a.conn.query("CREATE USER 'ann'@'%' IDENTIFIED BY 'pw'");
    const annRow = (await rows(a.conn, "SELECT authentication_string AS s FROM mysql.user WHERE User = 'ann'"))[0]!['s'] as string;
    // A user added by hand, with ann's credential, and a database grant for her.
    await a.conn.query(`INSERT INTO mysql.user (Host, User, plugin, authentication_string, ssl_cipher, x509_issuer, x509_subject) VALUES ('%', 'hand', 'caching_sha2_password', ?, '', '', '')`, [annRow]);
    await a.conn.query("INSERT INTO mysql.db (Host, Db, User, Select_priv) VALUES ('%', 'test', 'hand', 'Y')");
    expect(await loginError(a, 'hand', 'pw')).toBe(1045);
    await a.conn.query('FLUSH PRIVILEGES');
    expect(await login(a, 'hand', 'pw')).toBe('hand@%');
    expect((await rows(a.conn, "SHOW GRANTS FOR 'hand'@'%'")).map((r) => Object.values(r)[0])).toEqual([
      'GRANT USAGE ON *.* TO `hand`@`%`',
      'GRANT SELECT ON `test`.* TO `hand`@`%`',
    ]);
    // An account statement for someone else leaves a row changed by hand (not yet flushed) as it is.
    await a.conn.query("UPDATE mysql.user SET account_locked = 'Y' WHERE User = 'ann'");
    await a.conn.query("CREATE USER 'other'@'%'");
    expect((await rows(a.conn, "SELECT account_locked AS l FROM mysql.user WHERE User = 'ann'"))[0]!['l']).toBe('Y');
    expect(await login(a, 'ann', 'pw')).toBe('ann@%');
    await a.conn.query('FLUSH PRIVILEGES');
    expect(await loginError(a, 'ann', 'pw')).toBe(3118);
    await a.conn.query("DELETE FROM mysql.user WHERE User = 'hand'");
    await a.conn.query('FLUSH PRIVILEGES');
    expect(await loginError(a, 'hand', 'pw')).toBe(1045);
    await lab.stop(a);
  });

  it(req(['CORE-DICT-019'], 'peer', 'mariadb-dump of the grant tables restores into a second server: after FLUSH PRIVILEGES its accounts log in there, and account statements work on the restored tables'), async () => {
    const src = await lab.start(await lab.datadir());
    await src.conn.query("CREATE USER 'moved'@'%' IDENTIFIED BY 'secret'");
    await src.conn.query("GRANT SELECT, INSERT ON test.* TO 'moved'@'%'");
    const dump = execFileSync('mariadb-dump', ['-h127.0.0.1', `-P${src.server.port}`, '-uroot', '--skip-ssl', 'mysql', ...GRANT_TABLES], { maxBuffer: 64 << 20 });
    const dst = await lab.start(await lab.datadir());
    execFileSync('mariadb', ['-h127.0.0.1', `-P${dst.server.port}`, '-uroot', '--skip-ssl', 'mysql'], { input: dump });
    expect(await loginError(dst, 'moved', 'secret')).toBe(1045);
    await dst.conn.query('FLUSH PRIVILEGES');
    expect(await login(dst, 'moved', 'secret')).toBe('moved@%');
    // The tables were dropped and created again by the dump: account statements write the new ones.
    await dst.conn.query("CREATE USER 'after'@'%' IDENTIFIED BY 'x'");
    expect(await rows(dst.conn, "SELECT User FROM mysql.user WHERE User IN ('after', 'moved') ORDER BY User")).toEqual([{ User: 'after' }, { User: 'moved' }]);
    await lab.crash(dst);
    await lab.stop(src);
  });

  it(req(['CORE-DICT-019'], 'wire', 'an acl.json of an older data directory is imported into the grant tables once and kept aside; a missing grant table is error 1146 for account statements'), async () => {
    const dir = await lab.datadir();
    // An older data directory: no grant tables (nor their dictionary rows), the state in acl.json.
    const a0 = await lab.start(dir);
    for (const t of GRANT_TABLES) await a0.conn.query(`DROP TABLE mysql.${t}`);
    await lab.stop(a0);
    const state = initialAclState();
    const legacy = newUserRecord('legacy', '%', SHA2_PLUGIN, hashPassword(SHA2_PLUGIN, 'old'));
    state.users.push(legacy);
    state.db.push({ user: 'legacy', host: '%', db: 'test', privs: ['SELECT'] });
    new Acl(state, dir, new JsonAclStore(aclPath(dir))).updateSync(() => undefined);
    expect(existsSync(aclPath(dir))).toBe(true);

    const a = await lab.start(dir);
    expect(await login(a, 'legacy', 'old')).toBe('legacy@%');
    expect(existsSync(aclPath(dir))).toBe(false);
    expect(existsSync(aclPath(dir) + '.imported')).toBe(true);
    expect(await rows(a.conn, "SELECT Db, Select_priv FROM mysql.db WHERE User = 'legacy'")).toEqual([{ Db: 'test', Select_priv: 'Y' }]);
    await a.conn.query("CREATE USER 'later'@'%' IDENTIFIED BY 'l'");
    await lab.crash(a);
    rmSync(aclPath(dir) + '.imported');
    const b = await lab.start(dir);
    expect(await login(b, 'legacy', 'old')).toBe('legacy@%');
    expect(await login(b, 'later', 'l')).toBe('later@%');
    await b.conn.query('DROP TABLE mysql.global_grants');
    expect(await failure(b.conn, "CREATE USER 'x'@'%'")).toEqual({ errno: 1146, message: "Table 'mysql.global_grants' doesn't exist" });
    await lab.stop(b);
  });
});
