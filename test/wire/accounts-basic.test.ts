import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type mysql from 'mysql2/promise';
import { req } from '../helpers/req.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { cachedSha2Digest } from '../../src/protocol/auth/sha2-cache.js';
import { failureOf as failure } from '../helpers/sql.js';

let srv: TestServer;
let root: mysql.Connection;

beforeAll(async () => {
  srv = await startTestServer();
  root = await srv.connect();
  await root.query('CREATE DATABASE IF NOT EXISTS acct_db');
  await root.query('CREATE TABLE acct_db.t (a INT, b INT, c INT)');
  await root.query('INSERT INTO acct_db.t VALUES (1, 2, 3)');
  await root.query("CREATE USER 'sha'@'%' IDENTIFIED BY 'shapw'");
  await root.query("CREATE USER 'nat'@'%' IDENTIFIED WITH mysql_native_password BY 'natpw'");
  await root.query("CREATE USER 'locked'@'%' IDENTIFIED BY 'x' ACCOUNT LOCK");
  await root.query("CREATE USER 'plain'@'%' IDENTIFIED BY 'p'");
});

afterAll(async () => {
  await root?.end();
  await srv?.stop();
});

describe('login as created accounts', () => {
  it(req('CORE-ACCT-100', 'wire', 'caching_sha2_password account created with CREATE USER logs in'), async () => {
    const c = await srv.connect({ user: 'sha', password: 'shapw' });
    const [rows] = await c.query('SELECT CURRENT_USER() AS cu');
    expect(rows).toEqual([{ cu: 'sha@%' }]);
    await c.end();
  });

  it(req('CORE-ACCT-100', 'wire', 'mysql_native_password account logs in'), async () => {
    const c = await srv.connect({ user: 'nat', password: 'natpw' });
    const [rows] = await c.query('SELECT 1 AS one');
    expect(rows).toEqual([{ one: 1 }]);
    await c.end();
  });

  it(req('CORE-ACCT-101', 'wire', 'a wrong password is 1045'), async () => {
    const e = await failure(srv.connect({ user: 'nat', password: 'wrong' }));
    expect([e.errno, e.sqlState, e.sqlMessage]).toEqual([1045, '28000', "Access denied for user 'nat'@'localhost' (using password: YES)"]);
  });

  it(req('CORE-ACCT-102', 'wire', 'a locked account is 3118'), async () => {
    const e = await failure(srv.connect({ user: 'locked', password: 'x' }));
    expect([e.errno, e.sqlMessage]).toEqual([3118, "Access denied for user 'locked'@'localhost'. Account is locked."]);
  });

  it(req('CORE-ACCT-042', 'wire', 'ALTER USER changes the password used at the next login'), async () => {
    await root.query("CREATE USER 'chg'@'%' IDENTIFIED WITH mysql_native_password BY 'old'");
    const c1 = await srv.connect({ user: 'chg', password: 'old' });
    await c1.end();
    await root.query("ALTER USER 'chg'@'%' IDENTIFIED BY 'new'");
    // (caching_sha2_password would also need the protocol's fast-auth cache to be cleared
    // through Acl.onCredentialsChanged; that wiring lives in the server composition.)
    const e = await failure(srv.connect({ user: 'chg', password: 'old' }));
    expect(e.errno).toBe(1045);
    const c2 = await srv.connect({ user: 'chg', password: 'new' });
    await c2.end();
  });
});

describe('caching_sha2_password fast-auth cache and account changes', () => {
  // The server runs in this process, so the test can look at the protocol's cache directly
  // after real logins over TCP (mysql2 uses TLS or RSA for the first, full authentication).
  it(req(['CORE-PROTO-007', 'CORE-ACCT-031', 'CORE-ACCT-040'], 'wire', 'ALTER USER and FLUSH PRIVILEGES empty the fast-auth cache'), async () => {
    await root.query("CREATE USER 'cache1'@'%' IDENTIFIED BY 'c1'");
    await root.query("CREATE USER 'cache2'@'%' IDENTIFIED BY 'c2'");
    for (const [user, password] of [['cache1', 'c1'], ['cache2', 'c2']]) {
      const c = await srv.connect({ user, password });
      await c.end();
      expect(cachedSha2Digest(user, '%'), `${user} cached after a full authentication`).toBeDefined();
    }
    await root.query("ALTER USER 'cache1'@'%' IDENTIFIED BY 'c1b'");
    expect(cachedSha2Digest('cache1', '%')).toBeUndefined();
    expect(cachedSha2Digest('cache2', '%')).toBeDefined();
    await root.query('FLUSH PRIVILEGES');
    expect(cachedSha2Digest('cache2', '%')).toBeUndefined();
    const c = await srv.connect({ user: 'cache1', password: 'c1b' });
    await c.end();
  });
});

describe('every credential change drops the account\'s cached digest', () => {
  // Each statement of CORE-ACCT-040 in turn: the target account's fast-auth entry must go and a
  // bystander's must stay. The cache also rejects an entry whose stored credential changed, so
  // a stale entry is not visible at the next login: the cache itself is the observable.
  it(req(['CORE-ACCT-040#password', 'CORE-ACCT-040#plugin', 'CORE-ACCT-040#removal'], 'wire', 'ALTER USER password, SET PASSWORD, ALTER USER ... IDENTIFIED WITH, DROP USER and RENAME USER each clear that account\'s cached digest only'), async () => {
    const users = ['ca_pw', 'ca_set', 'ca_plug', 'ca_drop', 'ca_ren', 'ca_keep'];
    for (const u of users) await root.query(`CREATE USER '${u}'@'%' IDENTIFIED BY 'pw_${u}'`);
    for (const u of users) {
      const c = await srv.connect({ user: u, password: `pw_${u}` });
      await c.end();
      expect(cachedSha2Digest(u, '%'), `${u} cached after a full authentication`).toBeDefined();
    }
    const cached = (): string[] => [...users, 'ca_ren2'].filter((u) => cachedSha2Digest(u, '%') !== undefined);
    await root.query("ALTER USER 'ca_pw'@'%' IDENTIFIED BY 'other'");
    expect(cached()).toEqual(['ca_set', 'ca_plug', 'ca_drop', 'ca_ren', 'ca_keep']);
    await root.query("SET PASSWORD FOR 'ca_set'@'%' = 'other'");
    expect(cached()).toEqual(['ca_plug', 'ca_drop', 'ca_ren', 'ca_keep']);
    await root.query("ALTER USER 'ca_plug'@'%' IDENTIFIED WITH mysql_native_password BY 'pw_ca_plug'");
    expect(cached()).toEqual(['ca_drop', 'ca_ren', 'ca_keep']);
    await root.query("DROP USER 'ca_drop'@'%'");
    expect(cached()).toEqual(['ca_ren', 'ca_keep']);
    await root.query("RENAME USER 'ca_ren'@'%' TO 'ca_ren2'@'%'");
    expect(cached()).toEqual(['ca_keep']);
    // The changed accounts log in with their new credentials (full authentication again).
    for (const [user, password] of [['ca_pw', 'other'], ['ca_set', 'other'], ['ca_plug', 'pw_ca_plug'], ['ca_ren2', 'pw_ca_ren']]) {
      const c = await srv.connect({ user, password });
      const [rows] = await c.query('SELECT CURRENT_USER() AS cu');
      expect(rows).toEqual([{ cu: `${user}@%` }]);
      await c.end();
    }
    expect((await failure(srv.connect({ user: 'ca_drop', password: 'pw_ca_drop' }))).errno).toBe(1045);
  });
});

describe('privilege denials over the wire', () => {
  it(req(['CORE-PRIV-021', 'CORE-PRIV-011'], 'wire', 'USE of an inaccessible database is 1044'), async () => {
    const c = await srv.connect({ user: 'plain', password: 'p' });
    const e = await failure(c.query('USE acct_db'));
    expect([e.errno, e.sqlState, e.sqlMessage]).toEqual([1044, '42000', "Access denied for user 'plain'@'localhost' to database 'acct_db'"]);
    await c.end();
  });

  it(req(['CORE-PRIV-021', 'CORE-PRIV-012'], 'wire', 'SELECT without privilege is 1142'), async () => {
    const c = await srv.connect({ user: 'plain', password: 'p' });
    const e = await failure(c.query('SELECT * FROM acct_db.t'));
    expect([e.errno, e.sqlState, e.sqlMessage]).toEqual([1142, '42000', "SELECT command denied to user 'plain'@'localhost' for table 't'"]);
    await c.end();
  });

  it(req(['CORE-PRIV-021', 'CORE-PRIV-011'], 'wire', 'an operation needing a global privilege is 1227'), async () => {
    const c = await srv.connect({ user: 'plain', password: 'p' });
    const e = await failure(c.query("CREATE USER 'x'@'%'"));
    expect([e.errno, e.sqlMessage]).toEqual([1227, 'Access denied; you need (at least one of) the CREATE USER privilege(s) for this operation']);
    await c.end();
  });
});

describe('roles and SHOW GRANTS over the wire', () => {
  it(req(['CORE-PRIV-022', 'CORE-ACCT-050', 'CORE-ACCT-070'], 'wire', 'role privileges apply after SET ROLE'), async () => {
    await root.query('CREATE ROLE reader');
    await root.query('GRANT SELECT ON acct_db.* TO reader');
    await root.query("CREATE USER 'ru'@'%' IDENTIFIED BY 'r'");
    await root.query("GRANT reader TO 'ru'@'%'");
    const c = await srv.connect({ user: 'ru', password: 'r' });
    expect((await failure(c.query('SELECT a FROM acct_db.t'))).errno).toBe(1142);
    await c.query('SET ROLE reader');
    const [rows] = await c.query('SELECT a FROM acct_db.t');
    expect(rows).toEqual([{ a: 1 }]);
    const e = await failure(c.query('SET ROLE nonexistent_role'));
    expect(e.errno).toBe(3530);
    await c.end();
  });

  it(req('CORE-ACCT-041', 'wire', 'CREATE USER of an existing account is 1396; IF NOT EXISTS gives note 3163'), async () => {
    const e = await failure(root.query("CREATE USER 'sha'@'%'"));
    expect([e.errno, e.sqlMessage]).toEqual([1396, "Operation CREATE USER failed for 'sha'@'%'"]);
    const [ok] = await root.query("CREATE USER IF NOT EXISTS 'sha'@'%'");
    expect((ok as mysql.ResultSetHeader).warningStatus).toBe(1);
  });
});
