import { describe, expect, it } from 'vitest';
import { req } from '../../helpers/req.js';
import { parseOne } from '../../../src/sql/parser/index.js';
import { expectSyntaxError, stmt } from './helpers.js';

describe('account statements', () => {
  it(req('CORE-SQL-031', 'unit', 'account name forms'), () => {
    const s = stmt("DROP USER 'a'@'h', b@localhost, `c`@`%`, d, 'e'@'192.168.1.%', f@'10.0.0.1', CURRENT_USER, CURRENT_USER()", 'drop_user');
    expect(s.users).toEqual([
      { user: 'a', host: 'h' }, { user: 'b', host: 'localhost' }, { user: 'c', host: '%' }, { user: 'd', host: '%' },
      { user: 'e', host: '192.168.1.%' }, { user: 'f', host: '10.0.0.1' }, { user: '', host: '', current: true }, { user: '', host: '', current: true },
    ]);
    expect(stmt('DROP USER IF EXISTS u', 'drop_user').ifExists).toBe(true);
  });

  it(req('CORE-SQL-032', 'unit', 'CREATE USER with auth options, REQUIRE, resource, password and lock options'), () => {
    const s = stmt(
      "CREATE USER IF NOT EXISTS 'u'@'%' IDENTIFIED BY 'pw', v IDENTIFIED WITH caching_sha2_password BY 'x', w IDENTIFIED WITH mysql_native_password AS '*ABC', " +
        "z IDENTIFIED BY RANDOM PASSWORD DEFAULT ROLE r1 REQUIRE SSL WITH MAX_QUERIES_PER_HOUR 10 MAX_USER_CONNECTIONS 2 " +
        "PASSWORD EXPIRE INTERVAL 90 DAY FAILED_LOGIN_ATTEMPTS 3 PASSWORD_LOCK_TIME UNBOUNDED ACCOUNT LOCK COMMENT 'hi'",
      'create_user',
    );
    expect(s.ifNotExists).toBe(true);
    expect(s.users).toEqual([
      { account: { user: 'u', host: '%' }, auth: { password: 'pw' } },
      { account: { user: 'v', host: '%' }, auth: { plugin: 'caching_sha2_password', password: 'x' } },
      { account: { user: 'w', host: '%' }, auth: { plugin: 'mysql_native_password', hash: '*ABC' } },
      { account: { user: 'z', host: '%' }, auth: { randomPassword: true } },
    ]);
    expect(s.defaultRoles).toEqual([{ user: 'r1', host: '%' }]);
    expect(s.require).toEqual({ type: 'SSL' });
    expect(s.resourceOptions).toEqual({ MAX_QUERIES_PER_HOUR: 10, MAX_USER_CONNECTIONS: 2 });
    expect(s.passwordOptions).toEqual(['PASSWORD EXPIRE INTERVAL 90 DAY', 'FAILED_LOGIN_ATTEMPTS 3', 'PASSWORD_LOCK_TIME UNBOUNDED']);
    expect(s.accountLock).toBe(true);
    expect(s.comment).toBe('hi');
    expect(stmt("CREATE USER u REQUIRE CIPHER 'c' AND ISSUER 'i' SUBJECT 's' ATTRIBUTE '{}'", 'create_user')).toMatchObject({
      require: { type: 'SPECIFIED', cipher: 'c', issuer: 'i', subject: 's' }, attribute: '{}',
    });
  });

  it(req('CORE-SQL-032', 'unit', 'ALTER USER, RENAME USER, CREATE / DROP ROLE'), () => {
    expect(stmt("ALTER USER IF EXISTS u IDENTIFIED BY 'n' REPLACE 'o' ACCOUNT UNLOCK", 'alter_user')).toMatchObject({
      ifExists: true, users: [{ account: { user: 'u' }, auth: { password: 'n' } }], accountLock: false,
    });
    expect(stmt("ALTER USER USER() IDENTIFIED BY 'x'", 'alter_user').users[0]?.account).toEqual({ user: '', host: '', current: true });
    expect(stmt('ALTER USER u DEFAULT ROLE ALL', 'alter_user').defaultRole).toEqual({ mode: 'ALL', roles: [] });
    expect(stmt('ALTER USER u PASSWORD EXPIRE', 'alter_user').passwordOptions).toEqual(['PASSWORD EXPIRE']);
    expect(stmt('RENAME USER a TO b, c@h TO d@h', 'rename_user').pairs).toEqual([
      { from: { user: 'a', host: '%' }, to: { user: 'b', host: '%' } }, { from: { user: 'c', host: 'h' }, to: { user: 'd', host: 'h' } },
    ]);
    expect(stmt("CREATE ROLE IF NOT EXISTS r1, 'r2'@'h'", 'create_role')).toMatchObject({ ifNotExists: true, roles: [{ user: 'r1' }, { user: 'r2', host: 'h' }] });
    expect(stmt('DROP ROLE r1', 'drop_role')).toMatchObject({ ifExists: false, roles: [{ user: 'r1' }] });
  });

  it(req('CORE-SQL-033', 'unit', 'GRANT privileges on every target form'), () => {
    const g = stmt("GRANT SELECT, INSERT (a, b), CREATE TEMPORARY TABLES, REPLICATION SLAVE ON db.* TO 'u'@'%', v WITH GRANT OPTION", 'grant');
    expect(g).toMatchObject({
      privileges: [{ name: 'SELECT' }, { name: 'INSERT', columns: ['a', 'b'] }, { name: 'CREATE TEMPORARY TABLES' }, { name: 'REPLICATION SLAVE' }],
      target: { schema: 'db', table: '*' }, users: [{ user: 'u', host: '%' }, { user: 'v', host: '%' }], withGrantOption: true,
    });
    expect(stmt('GRANT ALL PRIVILEGES ON *.* TO u', 'grant')).toMatchObject({ privileges: [{ name: 'ALL' }], target: { schema: '*', table: '*' }, withGrantOption: false });
    expect(stmt('GRANT ALL ON * TO u', 'grant').target).toEqual({ schema: null, table: '*' });
    expect(stmt('GRANT SELECT ON t TO u', 'grant').target).toEqual({ schema: null, table: 't' });
    expect(stmt('GRANT SELECT ON TABLE `db`.`t` TO u', 'grant').target).toEqual({ objectType: 'TABLE', schema: 'db', table: 't' });
    expect(stmt('GRANT EXECUTE ON PROCEDURE db.p TO u', 'grant').target).toEqual({ objectType: 'PROCEDURE', schema: 'db', table: 'p' });
    expect(stmt('GRANT REPLICATION_APPLIER, SYSTEM_VARIABLES_ADMIN ON *.* TO u', 'grant').privileges.map((p) => p.name)).toEqual(['REPLICATION_APPLIER', 'SYSTEM_VARIABLES_ADMIN']);
    expect(stmt("GRANT PROXY ON 'a'@'b' TO c", 'grant')).toMatchObject({ proxy: { user: 'a', host: 'b' } });
  });

  it(req('CORE-SQL-033', 'unit', 'GRANT roles and REVOKE in all forms'), () => {
    expect(stmt("GRANT r1, 'r2'@'%' TO u1, u2@h WITH ADMIN OPTION", 'grant_role')).toEqual(expect.objectContaining({
      roles: [{ user: 'r1', host: '%' }, { user: 'r2', host: '%' }], users: [{ user: 'u1', host: '%' }, { user: 'u2', host: 'h' }], withAdminOption: true,
    }));
    expect(stmt('REVOKE SELECT ON db.t FROM u', 'revoke')).toMatchObject({ privileges: [{ name: 'SELECT' }], target: { schema: 'db', table: 't' }, users: [{ user: 'u' }] });
    expect(stmt('REVOKE ALL PRIVILEGES, GRANT OPTION FROM u, v', 'revoke')).toMatchObject({ privileges: [], allAndGrantOption: true, users: [{ user: 'u' }, { user: 'v' }] });
    expect(stmt('REVOKE ALL, GRANT OPTION FROM u', 'revoke').allAndGrantOption).toBe(true);
    expect(stmt('REVOKE IF EXISTS GRANT OPTION ON *.* FROM u IGNORE UNKNOWN USER', 'revoke')).toMatchObject({ ifExists: true, privileges: [{ name: 'GRANT OPTION' }], ignoreUnknownUser: true });
    expect(stmt('REVOKE r1 FROM u', 'revoke_role')).toMatchObject({ roles: [{ user: 'r1' }], users: [{ user: 'u' }] });
    expectSyntaxError(() => parseOne('GRANT SELECT ON *.* u'), 'u');
  });
});
