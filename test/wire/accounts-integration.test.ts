/**
 * Wire tests of accounts features that run through other subsystems' wiring: SHOW GRANTS and
 * SHOW CREATE USER (DdlServices via accountsDdlServices), the mysql.* grant-table views
 * registered with the catalog, column privileges (executor calling checkColumns) and the
 * caching_sha2_password fast-auth cache after a password change.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type mysql from 'mysql2/promise';
import { req } from '../helpers/req.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { failureOf as failure } from '../helpers/sql.js';

let srv: TestServer;
let root: mysql.Connection;

beforeAll(async () => {
  srv = await startTestServer();
  root = await srv.connect();
  await root.query('CREATE DATABASE acct_db');
  await root.query('CREATE TABLE acct_db.t (a INT, b INT, c INT)');
  await root.query('INSERT INTO acct_db.t VALUES (1, 2, 3)');
  await root.query("CREATE USER 'colu'@'%' IDENTIFIED BY 'c'");
  await root.query('GRANT SELECT (a, b) ON acct_db.t TO colu@`%`');
});

afterAll(async () => {
  await root?.end();
  await srv?.stop();
});

describe('accounts integration over the wire', () => {
  it(req(['CORE-PRIV-021', 'CORE-PRIV-013'], 'wire', 'a column outside the column grant is 1143'), async () => {
    const c = await srv.connect({ user: 'colu', password: 'c' });
    const [rows] = await c.query('SELECT a, b FROM acct_db.t');
    expect(rows).toEqual([{ a: 1, b: 2 }]);
    const e = await failure(c.query('SELECT c FROM acct_db.t'));
    expect([e.errno, e.sqlMessage]).toEqual([1143, "SELECT command denied to user 'colu'@'localhost' for column 'c' in table 't'"]);
    await c.end();
  });
  it(req('CORE-ACCT-060', 'wire', 'SHOW GRANTS FOR returns MySQL-formatted lines'), async () => {
    await root.query("CREATE USER 'sg'@'localhost'");
    await root.query("GRANT SELECT, INSERT ON acct_db.* TO 'sg'@'localhost'");
    await root.query("GRANT REPLICATION_APPLIER ON *.* TO 'sg'@'localhost'");
    const [rows, fields] = await root.query("SHOW GRANTS FOR 'sg'@'localhost'");
    expect(fields.map((f) => f.name)).toEqual(['Grants for sg@localhost']);
    expect((rows as Record<string, string>[]).map((r) => Object.values(r)[0])).toEqual([
      'GRANT USAGE ON *.* TO `sg`@`localhost`',
      'GRANT REPLICATION_APPLIER ON *.* TO `sg`@`localhost`',
      'GRANT SELECT, INSERT ON `acct_db`.* TO `sg`@`localhost`',
    ]);
  });

  it(req(['CORE-ACCT-040', 'CORE-ACCT-042'], 'wire', 'after ALTER USER the old caching_sha2_password no longer logs in (fast-auth cache cleared)'), async () => {
    await root.query("CREATE USER 'shachg'@'%' IDENTIFIED BY 'old'");
    const c1 = await srv.connect({ user: 'shachg', password: 'old' });
    await c1.end();
    await root.query("ALTER USER 'shachg'@'%' IDENTIFIED BY 'new'");
    const e = await failure(srv.connect({ user: 'shachg', password: 'old' }));
    expect(e.errno).toBe(1045);
  });

  it(req('CORE-ACCT-080', 'wire', 'mysql.user is readable with MySQL column names'), async () => {
    const [rows] = await root.query("SELECT Host, User, plugin, account_locked FROM mysql.user WHERE User = 'colu'");
    expect(rows).toEqual([{ Host: '%', User: 'colu', plugin: 'caching_sha2_password', account_locked: 'N' }]);
  });

  it(req('CORE-ACCT-061', 'wire', 'SHOW CREATE USER over the wire'), async () => {
    await root.query("CREATE USER 'scu'@'localhost' ACCOUNT LOCK");
    const [rows, fields] = await root.query("SHOW CREATE USER 'scu'@'localhost'");
    expect(fields.map((f) => f.name)).toEqual(['CREATE USER for scu@localhost']);
    expect(Object.values((rows as Record<string, string>[])[0]!)[0]).toBe(
      "CREATE USER `scu`@`localhost` IDENTIFIED WITH 'caching_sha2_password' REQUIRE NONE PASSWORD EXPIRE DEFAULT ACCOUNT LOCK PASSWORD HISTORY DEFAULT PASSWORD REUSE INTERVAL DEFAULT PASSWORD REQUIRE CURRENT DEFAULT",
    );
  });
});
