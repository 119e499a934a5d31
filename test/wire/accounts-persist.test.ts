import { afterAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { req } from '../helpers/req.js';
import { startTestServer, tempDatadir, type TestServer } from '../helpers/server.js';
import { failureOf as failure } from '../helpers/sql.js';

const dirs = tempDatadir();
let srv: TestServer | undefined;

afterAll(async () => {
  await srv?.stop();
  rmSync(dirs.parent, { recursive: true, force: true });
});

describe('accounts across a restart', () => {
  it(req(['CORE-ACCT-031', 'CORE-PRIV-016', 'CORE-ACCT-051'], 'wire', 'accounts, grants and default roles survive a restart and default roles are active at login'), async () => {
    srv = await startTestServer({ datadir: dirs.datadir });
    const root = await srv.connect();
    await root.query('CREATE DATABASE pdb');
    await root.query('CREATE TABLE pdb.t (a INT)');
    await root.query('INSERT INTO pdb.t VALUES (7)');
    await root.query('CREATE ROLE preader');
    await root.query('GRANT SELECT ON pdb.* TO preader');
    await root.query("CREATE USER 'pu'@'%' IDENTIFIED BY 'ppw'");
    await root.query("GRANT preader TO 'pu'@'%'");
    await root.query("SET DEFAULT ROLE preader TO 'pu'@'%'");
    await root.query("CREATE USER 'gone'@'%' IDENTIFIED BY 'g'");
    await root.query("DROP USER 'gone'@'%'");
    await root.end();
    await srv.stop();

    srv = await startTestServer({ datadir: dirs.datadir });
    const c = await srv.connect({ user: 'pu', password: 'ppw' });
    const [roles] = await c.query('SELECT CURRENT_USER() AS cu');
    expect(roles).toEqual([{ cu: 'pu@%' }]);
    // The default role grants SELECT (no 1142). MEMORY tables come back empty after a restart.
    const [rows] = await c.query('SELECT a FROM pdb.t');
    expect(Array.isArray(rows)).toBe(true);
    expect((await failure(c.query('INSERT INTO pdb.t VALUES (1)'))).errno).toBe(1142);
    await c.end();
    const e = await failure(srv.connect({ user: 'gone', password: 'g' }));
    expect(e.errno).toBe(1045);
  });
});

describe('delegated granting', () => {
  it(req('CORE-PRIV-004', 'wire', 'a user WITH GRANT OPTION may pass on its privileges but not others'), async () => {
    srv ??= await startTestServer({ datadir: dirs.datadir });
    const root = await srv.connect();
    await root.query('CREATE DATABASE IF NOT EXISTS gdb');
    await root.query("CREATE USER 'boss'@'%' IDENTIFIED BY 'b'");
    await root.query("CREATE USER 'emp'@'%' IDENTIFIED BY 'e'");
    await root.query("GRANT SELECT ON gdb.* TO 'boss'@'%' WITH GRANT OPTION");
    const boss = await srv.connect({ user: 'boss', password: 'b' });
    await boss.query("GRANT SELECT ON gdb.* TO 'emp'@'%'");
    const e = await failure(boss.query("GRANT INSERT ON gdb.* TO 'emp'@'%'"));
    expect([e.errno, e.sqlMessage]).toEqual([1044, "Access denied for user 'boss'@'%' to database 'gdb'"]);
    const e2 = await failure(boss.query("GRANT SELECT ON gdb.* TO 'nobody'@'%'"));
    expect([e2.errno, e2.sqlMessage]).toEqual([1410, 'You are not allowed to create a user with GRANT']);
    await boss.end();
    await root.end();
  });
});
