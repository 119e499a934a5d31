/**
 * INSERT, UPDATE, DELETE and REPLACE on the grant tables (mysql.user, mysql.db,
 * mysql.tables_priv, ...) over the wire, with several connections: the rows change at once, the
 * server's accounts and privileges only at FLUSH PRIVILEGES (a new connection still logs in
 * against the old ones until then), a user holding the privileges on the mysql schema may do
 * it, another gets 1142; SELECT without ORDER BY returns rows in primary-key order.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mysql from 'mysql2/promise';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { req } from '../helpers/req.js';
import { errorOf, queryRows } from '../helpers/sql.js';

let srv: TestServer;
let root: mysql.Connection;

beforeAll(async () => {
  srv = await startTestServer();
  root = await srv.connect();
  await root.query('CREATE DATABASE gt');
  await root.query('CREATE TABLE gt.t (a INT)');
  await root.query('INSERT INTO gt.t VALUES (7)');
  // Accounts whose stored credentials the tests copy: passwords 'pw' and 'other'.
  await root.query("CREATE USER 'tmpl'@'%' IDENTIFIED BY 'pw'");
  await root.query("CREATE USER 'tmpl2'@'%' IDENTIFIED BY 'other'");
}, 60000);
afterAll(async () => {
  await root?.end();
  await srv?.stop();
});

/** Log in as `user` and return CURRENT_USER(), or the error number of the refused login. */
async function login(user: string, password: string): Promise<string | number> {
  let c: mysql.Connection;
  try {
    c = await mysql.createConnection({ host: '127.0.0.1', port: srv.port, user, password });
  } catch (e) {
    return (e as { errno: number }).errno;
  }
  try {
    return String((await queryRows(c, 'SELECT CURRENT_USER() AS u'))[0]!['u']);
  } finally {
    await c.end();
  }
}

async function hashOf(user: string): Promise<string> {
  const r = await queryRows(root, `SELECT authentication_string AS s FROM mysql.user WHERE User = '${user}'`);
  return String(r[0]!['s']);
}

describe('grant tables changed by hand', () => {
  it(req(['CORE-GTBL-001', 'CORE-GTBL-002'], 'wire', 'a user INSERTed into mysql.user can log in only after FLUSH PRIVILEGES; a new connection before it is refused with 1045'), async () => {
    await root.query(
      "INSERT INTO mysql.user (Host, User, plugin, authentication_string, ssl_cipher, x509_issuer, x509_subject) VALUES ('%', 'hand', 'caching_sha2_password', ?, '', '', '')",
      [await hashOf('tmpl')],
    );
    expect((await queryRows(root, "SELECT User FROM mysql.user WHERE User = 'hand'")).length).toBe(1);
    expect(await login('hand', 'pw')).toBe(1045);
    await root.query('FLUSH PRIVILEGES');
    expect(await login('hand', 'pw')).toBe('hand@%');
    expect(await login('hand', 'wrong')).toBe(1045);
  });

  it(req(['CORE-GTBL-002'], 'wire', 'an UPDATE of authentication_string changes the password at FLUSH PRIVILEGES, not before'), async () => {
    await root.query("CREATE USER 'upd'@'%' IDENTIFIED BY 'pw'");
    await root.query("UPDATE mysql.user SET authentication_string = ? WHERE User = 'upd' AND Host = '%'", [await hashOf('tmpl2')]);
    expect(await login('upd', 'pw')).toBe('upd@%');
    expect(await login('upd', 'other')).toBe(1045);
    await root.query('FLUSH PRIVILEGES');
    expect(await login('upd', 'other')).toBe('upd@%');
    expect(await login('upd', 'pw')).toBe(1045);
  });

  it(req(['CORE-GTBL-002'], 'wire', 'a user DELETEd from mysql.user still connects until FLUSH PRIVILEGES, then is refused'), async () => {
    await root.query("CREATE USER 'del'@'%' IDENTIFIED BY 'pw'");
    const [res] = await root.query<mysql.ResultSetHeader>("DELETE FROM mysql.user WHERE User = 'del'");
    expect(res.affectedRows).toBe(1);
    expect(await login('del', 'pw')).toBe('del@%');
    await root.query('FLUSH PRIVILEGES');
    expect(await login('del', 'pw')).toBe(1045);
  });

  it(req(['CORE-GTBL-001', 'CORE-GTBL-002'], 'wire', 'rows added to mysql.db and REPLACEd into mysql.tables_priv grant access after FLUSH PRIVILEGES'), async () => {
    await root.query("CREATE USER 'dbu'@'%' IDENTIFIED BY 'pw', 'tbu'@'%' IDENTIFIED BY 'pw'");
    await root.query("INSERT INTO mysql.db (Host, Db, User, Select_priv) VALUES ('%', 'gt', 'dbu', 'Y')");
    await root.query("REPLACE INTO mysql.tables_priv (Host, Db, User, Table_name, Grantor, Table_priv) VALUES ('%', 'gt', 'tbu', 't', 'root@localhost', 'Select')");
    const dbu = await mysql.createConnection({ host: '127.0.0.1', port: srv.port, user: 'dbu', password: 'pw' });
    const tbu = await mysql.createConnection({ host: '127.0.0.1', port: srv.port, user: 'tbu', password: 'pw' });
    try {
      expect(await errorOf(dbu.query('SELECT a FROM gt.t'))).toEqual({ errno: 1142, sqlState: '42000', message: "SELECT command denied to user 'dbu'@'localhost' for table 't'" });
      await root.query('FLUSH PRIVILEGES');
      expect(await queryRows(dbu, 'SELECT a FROM gt.t')).toEqual([{ a: 7 }]);
      expect(await queryRows(tbu, 'SELECT a FROM gt.t')).toEqual([{ a: 7 }]);
      expect((await queryRows(root, "SHOW GRANTS FOR 'tbu'@'%'")).map((r) => Object.values(r)[0])).toEqual([
        'GRANT USAGE ON *.* TO `tbu`@`%`',
        'GRANT SELECT ON `gt`.`t` TO `tbu`@`%`',
      ]);
    } finally {
      await dbu.end();
      await tbu.end();
    }
  });

  it(req(['CORE-GTBL-003'], 'wire', 'SELECT from mysql.user without ORDER BY returns rows in primary-key order (Host, User)'), async () => {
    const r = await queryRows(root, 'SELECT Host, User FROM mysql.user');
    const keys = r.map((x) => [String(x['Host']), String(x['User'])] as const);
    const sorted = [...keys].sort((p, q) => (p[0] < q[0] ? -1 : p[0] > q[0] ? 1 : p[1] < q[1] ? -1 : p[1] > q[1] ? 1 : 0));
    expect(keys).toEqual(sorted);
    expect(keys.map((k) => k.join('@'))).toContain('localhost@root');
    expect(keys.findIndex((k) => k[0] === '%')).toBeLessThan(keys.findIndex((k) => k[0] === 'localhost'));
  });

  it(req(['CORE-GTBL-004'], 'wire', 'a user without privileges on the mysql schema gets 1142 for each statement; one with them may change the tables and FLUSH'), async () => {
    await root.query("CREATE USER 'plain'@'%' IDENTIFIED BY 'pw', 'admin'@'%' IDENTIFIED BY 'pw'");
    await root.query("GRANT SELECT, INSERT, UPDATE, DELETE ON mysql.* TO 'admin'@'%'");
    await root.query("GRANT RELOAD ON *.* TO 'admin'@'%'");
    const plain = await mysql.createConnection({ host: '127.0.0.1', port: srv.port, user: 'plain', password: 'pw' });
    const admin = await mysql.createConnection({ host: '127.0.0.1', port: srv.port, user: 'admin', password: 'pw' });
    try {
      const denied = (verb: string, table: string) => ({ errno: 1142, sqlState: '42000', message: `${verb} command denied to user 'plain'@'localhost' for table '${table}'` });
      expect(await errorOf(plain.query('SELECT User FROM mysql.user'))).toEqual(denied('SELECT', 'user'));
      expect(await errorOf(plain.query("INSERT INTO mysql.user (Host, User) VALUES ('x', 'y')"))).toEqual(denied('INSERT', 'user'));
      expect(await errorOf(plain.query("UPDATE mysql.db SET Select_priv = 'Y'"))).toEqual(denied('UPDATE', 'db'));
      expect(await errorOf(plain.query('DELETE FROM mysql.tables_priv'))).toEqual(denied('DELETE', 'tables_priv'));
      expect(await errorOf(plain.query("REPLACE INTO mysql.role_edges VALUES ('%', 'a', '%', 'b', 'N')"))).toEqual(denied('INSERT', 'role_edges'));
      await admin.query(
        "INSERT INTO mysql.user (Host, User, plugin, authentication_string, ssl_cipher, x509_issuer, x509_subject) SELECT '%', 'byadmin', plugin, authentication_string, '', '', '' FROM mysql.user WHERE User = 'tmpl'",
      );
      expect(await login('byadmin', 'pw')).toBe(1045);
      await admin.query('FLUSH PRIVILEGES');
      expect(await login('byadmin', 'pw')).toBe('byadmin@%');
    } finally {
      await plain.end();
      await admin.end();
    }
  });

  it(req(['CORE-GTBL-001', 'CORE-GTBL-002'], 'wire', 'the other grant tables take rows too: a role edge and a default role inserted by hand are active after FLUSH PRIVILEGES'), async () => {
    await root.query("CREATE ROLE 'rr'");
    await root.query("GRANT SELECT ON gt.* TO 'rr'");
    await root.query("CREATE USER 'ru'@'%' IDENTIFIED BY 'pw'");
    await root.query("INSERT INTO mysql.role_edges (FROM_HOST, FROM_USER, TO_HOST, TO_USER, WITH_ADMIN_OPTION) VALUES ('%', 'rr', '%', 'ru', 'N')");
    await root.query("INSERT INTO mysql.default_roles (HOST, USER, DEFAULT_ROLE_HOST, DEFAULT_ROLE_USER) VALUES ('%', 'ru', '%', 'rr')");
    await root.query("INSERT INTO mysql.global_grants (USER, HOST, PRIV, WITH_GRANT_OPTION) VALUES ('ru', '%', 'BACKUP_ADMIN', 'N')");
    expect((await queryRows(root, "SHOW GRANTS FOR 'ru'@'%'")).map((r) => Object.values(r)[0])).toEqual(['GRANT USAGE ON *.* TO `ru`@`%`']);
    await root.query('FLUSH PRIVILEGES');
    expect((await queryRows(root, "SHOW GRANTS FOR 'ru'@'%'")).map((r) => Object.values(r)[0])).toEqual([
      'GRANT USAGE ON *.* TO `ru`@`%`',
      'GRANT BACKUP_ADMIN ON *.* TO `ru`@`%`',
      'GRANT `rr`@`%` TO `ru`@`%`',
    ]);
    const ru = await mysql.createConnection({ host: '127.0.0.1', port: srv.port, user: 'ru', password: 'pw' });
    try {
      expect(await queryRows(ru, 'SELECT CURRENT_ROLE() AS r, (SELECT a FROM gt.t) AS a')).toEqual([{ r: '`rr`@`%`', a: 7 }]);
    } finally {
      await ru.end();
    }
  });
});
