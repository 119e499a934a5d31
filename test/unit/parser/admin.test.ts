import { describe, expect, it } from 'vitest';
import { req } from '../../helpers/req.js';
import { parseOne } from '../../../src/sql/parser/index.js';
import { expectSyntaxError, stmt } from './helpers.js';

describe('transactions and locking', () => {
  it(req('CORE-SQL-034', 'unit', 'START TRANSACTION / BEGIN / COMMIT / ROLLBACK / SAVEPOINT'), () => {
    expect(stmt('START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY', 'start_transaction')).toMatchObject({ consistentSnapshot: true, readOnly: true });
    expect(stmt('BEGIN WORK', 'start_transaction')).toMatchObject({ kind: 'start_transaction' });
    expect(stmt('COMMIT AND NO CHAIN NO RELEASE', 'commit')).toMatchObject({ chain: false, release: false });
    expect(stmt('COMMIT WORK AND CHAIN', 'commit')).toMatchObject({ chain: true });
    expect(stmt('ROLLBACK TO SAVEPOINT sp1', 'rollback').toSavepoint).toBe('sp1');
    expect(stmt('ROLLBACK WORK TO sp2', 'rollback').toSavepoint).toBe('sp2');
    expect(stmt('ROLLBACK RELEASE', 'rollback').release).toBe(true);
    expect(stmt('SAVEPOINT s', 'savepoint').name).toBe('s');
    expect(stmt('RELEASE SAVEPOINT s', 'release_savepoint').name).toBe('s');
  });

  it(req('CORE-SQL-034', 'unit', 'SET TRANSACTION, LOCK / UNLOCK TABLES, FLUSH'), () => {
    expect(stmt('SET GLOBAL TRANSACTION ISOLATION LEVEL READ COMMITTED, READ WRITE', 'set_transaction')).toEqual(
      expect.objectContaining({ scope: 'global', isolation: 'READ COMMITTED', accessMode: 'READ WRITE' }),
    );
    expect(stmt('SET TRANSACTION READ ONLY', 'set_transaction')).toMatchObject({ scope: 'next', accessMode: 'READ ONLY' });
    expect(stmt('SET SESSION TRANSACTION ISOLATION LEVEL SERIALIZABLE', 'set_transaction')).toMatchObject({ scope: 'session', isolation: 'SERIALIZABLE' });
    expect(stmt('LOCK TABLES t1 READ, t2 AS x WRITE, t3 READ LOCAL, t4 LOW_PRIORITY WRITE', 'lock_tables').locks).toEqual([
      { table: { name: 't1' }, mode: 'READ' }, { table: { name: 't2' }, alias: 'x', mode: 'WRITE' },
      { table: { name: 't3' }, mode: 'READ LOCAL' }, { table: { name: 't4' }, mode: 'LOW_PRIORITY WRITE' },
    ]);
    expect(stmt('UNLOCK TABLES', 'unlock_tables').kind).toBe('unlock_tables');
    expect(stmt('FLUSH TABLES WITH READ LOCK', 'flush')).toMatchObject({ local: false, what: ['TABLES WITH READ LOCK'] });
    expect(stmt('FLUSH LOCAL PRIVILEGES, BINARY LOGS, STATUS', 'flush')).toMatchObject({ local: true, what: ['PRIVILEGES', 'BINARY LOGS', 'STATUS'] });
    expect(stmt('FLUSH TABLES t1, t2', 'flush')).toMatchObject({ what: ['TABLES'], tables: [{ name: 't1' }, { name: 't2' }] });
  });
});

describe('SET', () => {
  it(req('CORE-SQL-035', 'unit', 'variable assignments with every scope form'), () => {
    const s = stmt('SET @@global.x = 1, @a := 2, GLOBAL y = DEFAULT, SESSION z = ON, w = OFF, @@persist_only.v = 3, PERSIST u = 4, LOCAL t = 5', 'set');
    expect(s.assignments.map((a) => a.target)).toEqual([
      { type: 'sysvar', name: 'x', scope: 'global' }, { type: 'uservar', name: 'a' }, { type: 'sysvar', name: 'y', scope: 'global' },
      { type: 'sysvar', name: 'z', scope: 'session' }, { type: 'sysvar', name: 'w', scope: 'session' },
      { type: 'sysvar', name: 'v', scope: 'persist_only' }, { type: 'sysvar', name: 'u', scope: 'persist' }, { type: 'sysvar', name: 't', scope: 'session' },
    ]);
    expect(s.assignments.map((a) => a.value)).toEqual([
      { type: 'literal', kind: 'int', value: '1' }, { type: 'literal', kind: 'int', value: '2' }, { type: 'default' },
      { type: 'literal', kind: 'string', value: 'ON' }, { type: 'column', name: 'OFF' }, { type: 'literal', kind: 'int', value: '3' },
      { type: 'literal', kind: 'int', value: '4' }, { type: 'literal', kind: 'int', value: '5' },
    ]);
    expect(stmt('SET autocommit=0', 'set').assignments[0]?.target).toEqual({ type: 'sysvar', name: 'autocommit', scope: 'default' });
    expect(stmt("SET @'my var' = 'x'", 'set').assignments[0]?.target).toEqual({ type: 'uservar', name: 'my var' });
  });

  it(req('CORE-SQL-035', 'unit', 'SET NAMES, SET CHARACTER SET, SET PASSWORD'), () => {
    expect(stmt('SET NAMES utf8mb4 COLLATE utf8mb4_bin', 'set_names')).toMatchObject({ charset: 'utf8mb4', collation: 'utf8mb4_bin' });
    expect(stmt("SET NAMES 'latin1'", 'set_names')).toMatchObject({ charset: 'latin1' });
    expect(stmt('SET NAMES DEFAULT', 'set_names')).toMatchObject({ charset: 'DEFAULT' });
    expect(stmt('SET CHARACTER SET utf8mb4', 'set_names')).toMatchObject({ charset: 'utf8mb4', characterSetForm: true });
    expect(stmt('SET CHARSET DEFAULT', 'set_names')).toMatchObject({ charset: 'DEFAULT', characterSetForm: true });
    expect(stmt("SET PASSWORD = 'pw'", 'set_password')).toMatchObject({ password: 'pw' });
    expect(stmt("SET PASSWORD FOR 'u'@'h' = 'pw' REPLACE 'old' RETAIN CURRENT PASSWORD", 'set_password')).toMatchObject({
      account: { user: 'u', host: 'h' }, password: 'pw', replace: 'old',
    });
  });

  it(req('CORE-SQL-035', 'unit', 'SET ROLE and SET DEFAULT ROLE'), () => {
    expect(stmt('SET ROLE ALL EXCEPT r1', 'set_role')).toEqual(expect.objectContaining({ mode: 'ALL EXCEPT', roles: [{ user: 'r1', host: '%' }] }));
    expect(stmt('SET ROLE NONE', 'set_role').mode).toBe('NONE');
    expect(stmt('SET ROLE DEFAULT', 'set_role').mode).toBe('DEFAULT');
    expect(stmt("SET ROLE 'r1', r2@localhost", 'set_role').roles).toEqual([{ user: 'r1', host: '%' }, { user: 'r2', host: 'localhost' }]);
    expect(stmt('SET DEFAULT ROLE ALL TO u1, u2', 'set_default_role')).toMatchObject({ mode: 'ALL', users: [{ user: 'u1' }, { user: 'u2' }] });
    expect(stmt('SET DEFAULT ROLE r1 TO u1', 'set_default_role')).toMatchObject({ mode: 'LIST', roles: [{ user: 'r1' }] });
  });
});

describe('SHOW and utility statements', () => {
  it(req('CORE-SQL-036', 'unit', 'SHOW DATABASES / TABLES / COLUMNS / INDEX with FULL, FROM, LIKE, WHERE'), () => {
    expect(stmt("SHOW DATABASES LIKE 'a%'", 'show')).toMatchObject({ what: 'DATABASES', like: 'a%' });
    expect(stmt('SHOW FULL TABLES FROM db WHERE Table_type = 1', 'show')).toMatchObject({ what: 'TABLES', full: true, schema: 'db', where: { op: '=' } });
    expect(stmt('SHOW FULL COLUMNS FROM t IN db', 'show')).toMatchObject({ what: 'COLUMNS', full: true, table: { name: 't' }, schema: 'db' });
    expect(stmt('SHOW FIELDS IN db.t', 'show')).toMatchObject({ what: 'COLUMNS', table: { schema: 'db', name: 't' } });
    expect(stmt('SHOW KEYS FROM t', 'show')).toMatchObject({ what: 'INDEX' });
    expect(stmt('SHOW EXTENDED INDEXES IN t', 'show')).toMatchObject({ what: 'INDEX', extended: true });
  });

  it(req('CORE-SQL-036', 'unit', 'SHOW CREATE, STATUS / VARIABLES with scope, WARNINGS, misc forms'), () => {
    expect(stmt('SHOW CREATE TABLE db.t', 'show')).toMatchObject({ what: 'CREATE TABLE', table: { schema: 'db', name: 't' } });
    expect(stmt('SHOW CREATE DATABASE IF NOT EXISTS d', 'show')).toMatchObject({ what: 'CREATE DATABASE', schema: 'd' });
    expect(stmt('SHOW CREATE USER u@h', 'show')).toMatchObject({ what: 'CREATE USER', account: { user: 'u', host: 'h' } });
    expect(stmt('SHOW CREATE VIEW v', 'show')).toMatchObject({ what: 'CREATE VIEW' });
    expect(stmt("SHOW GLOBAL VARIABLES LIKE 'max%'", 'show')).toMatchObject({ what: 'VARIABLES', scope: 'global', like: 'max%' });
    expect(stmt('SHOW SESSION STATUS', 'show')).toMatchObject({ what: 'STATUS', scope: 'session' });
    expect(stmt('SHOW TABLE STATUS FROM db LIKE "t"', 'show')).toMatchObject({ what: 'TABLE STATUS', schema: 'db', like: 't' });
    expect(stmt('SHOW WARNINGS LIMIT 1, 2', 'show')).toMatchObject({ what: 'WARNINGS', limit: { count: { value: '2' } } });
    expect(stmt('SHOW COUNT(*) ERRORS', 'show').what).toBe('COUNT ERRORS');
    expect(stmt('SHOW FULL PROCESSLIST', 'show')).toMatchObject({ what: 'PROCESSLIST', full: true });
    expect(stmt('SHOW STORAGE ENGINES', 'show').what).toBe('ENGINES');
    expect(stmt('SHOW ENGINE InnoDB STATUS', 'show')).toMatchObject({ what: 'ENGINE', engine: 'InnoDB', engineWhat: 'STATUS' });
    expect(stmt('SHOW PLUGINS', 'show').what).toBe('PLUGINS');
    expect(stmt('SHOW GRANTS FOR u USING r1', 'show')).toMatchObject({ what: 'GRANTS', account: { user: 'u', host: '%' }, using: [{ user: 'r1' }] });
    expect(stmt('SHOW GRANTS FOR CURRENT_USER()', 'show')).toMatchObject({ account: { current: true } });
    expect(stmt('SHOW CHARACTER SET', 'show').what).toBe('CHARACTER SET');
    expect(stmt("SHOW CHARSET LIKE 'utf8%'", 'show').what).toBe('CHARACTER SET');
    expect(stmt('SHOW COLLATION WHERE Charset = "latin1"', 'show').what).toBe('COLLATION');
    expect(stmt('SHOW MASTER STATUS', 'show').what).toBe('MASTER STATUS');
    expect(stmt('SHOW BINARY LOG STATUS', 'show').what).toBe('BINARY LOG STATUS');
    expect(stmt('SHOW MASTER LOGS', 'show').what).toBe('BINARY LOGS');
    expect(stmt("SHOW BINLOG EVENTS IN 'binlog.000001' FROM 4 LIMIT 2", 'show')).toMatchObject({ what: 'BINLOG EVENTS', logName: 'binlog.000001', position: { value: '4' } });
    expect(stmt("SHOW REPLICA STATUS FOR CHANNEL 'c'", 'show')).toMatchObject({ what: 'REPLICA STATUS', channel: 'c' });
    expect(stmt('SHOW SLAVE HOSTS', 'show').what).toBe('REPLICAS');
    expect(stmt('SHOW OPEN TABLES FROM db', 'show')).toMatchObject({ what: 'OPEN TABLES', schema: 'db' });
    expect(stmt('SHOW PROCEDURE STATUS', 'show').what).toBe('PROCEDURE STATUS');
    expect(stmt('SHOW PRIVILEGES', 'show').what).toBe('PRIVILEGES');
    expectSyntaxError(() => parseOne('SHOW FOO'), 'FOO');
  });

  it(req('CORE-SQL-037', 'unit', 'USE, DESCRIBE / DESC / EXPLAIN, KILL, SHUTDOWN, DO'), () => {
    expect(stmt('USE `my db`', 'use').schema).toBe('my db');
    expect(stmt('DESCRIBE db.t', 'describe')).toMatchObject({ table: { schema: 'db', name: 't' } });
    expect(stmt('DESC t c', 'describe')).toMatchObject({ column: 'c' });
    expect(stmt('EXPLAIN t', 'describe').table).toEqual({ name: 't' });
    expect(stmt('EXPLAIN FORMAT=JSON SELECT 1', 'explain')).toMatchObject({ format: 'JSON', statement: { kind: 'select' } });
    expect(stmt('EXPLAIN ANALYZE SELECT 1', 'explain')).toMatchObject({ analyze: true });
    expect(stmt('DESC UPDATE t SET a = 1', 'explain').statement.kind).toBe('update');
    expect(stmt('KILL QUERY 5', 'kill')).toMatchObject({ target: 'QUERY', id: { value: '5' } });
    expect(stmt('KILL CONNECTION 5', 'kill').target).toBe('CONNECTION');
    expect(stmt('KILL 7', 'kill').target).toBe('CONNECTION');
    expect(stmt('SHUTDOWN', 'shutdown').kind).toBe('shutdown');
    expect(stmt('DO SLEEP(1), 2', 'do').exprs).toHaveLength(2);
  });

  it(req('CORE-SQL-037', 'unit', 'PREPARE / EXECUTE / DEALLOCATE'), () => {
    expect(stmt("PREPARE s FROM 'SELECT ?'", 'prepare')).toMatchObject({ name: 's', source: { kind: 'string', value: 'SELECT ?' } });
    expect(stmt('PREPARE s FROM @q', 'prepare').source).toEqual({ type: 'uservar', name: 'q' });
    expect(stmt('EXECUTE s USING @a, @b', 'execute').using).toEqual([{ type: 'uservar', name: 'a' }, { type: 'uservar', name: 'b' }]);
    expect(stmt('EXECUTE s', 'execute').using).toEqual([]);
    expect(stmt('DEALLOCATE PREPARE s', 'deallocate').name).toBe('s');
    expect(stmt('DROP PREPARE s', 'deallocate').name).toBe('s');
  });

  it(req('CORE-SQL-038', 'unit', 'table maintenance statements and plugins'), () => {
    expect(stmt('CHECK TABLE a, b QUICK FOR UPGRADE', 'table_maintenance')).toMatchObject({ op: 'CHECK', tables: [{ name: 'a' }, { name: 'b' }], options: ['QUICK', 'FOR UPGRADE'] });
    expect(stmt('OPTIMIZE NO_WRITE_TO_BINLOG TABLE t', 'table_maintenance')).toMatchObject({ op: 'OPTIMIZE', options: ['NO_WRITE_TO_BINLOG'] });
    expect(stmt('ANALYZE LOCAL TABLE t', 'table_maintenance')).toMatchObject({ op: 'ANALYZE', options: ['LOCAL'] });
    expect(stmt('REPAIR TABLE t USE_FRM', 'table_maintenance').options).toEqual(['USE_FRM']);
    expect(stmt('CHECKSUM TABLE t EXTENDED', 'table_maintenance').op).toBe('CHECKSUM');
    expect(stmt("INSTALL PLUGIN p SONAME 'p.so'", 'install_plugin')).toMatchObject({ name: 'p', soname: 'p.so' });
    expect(stmt('UNINSTALL PLUGIN p', 'uninstall_plugin').name).toBe('p');
  });

  it(req('CORE-SQL-039', 'unit', 'replication statements become OtherStatement with head and rest'), () => {
    expect(stmt("CHANGE REPLICATION SOURCE TO SOURCE_HOST='h', SOURCE_PORT=3306", 'other')).toMatchObject({ head: 'CHANGE REPLICATION SOURCE TO', rest: "SOURCE_HOST='h', SOURCE_PORT=3306" });
    expect(stmt("CHANGE MASTER TO MASTER_HOST='h'", 'other').head).toBe('CHANGE MASTER TO');
    expect(stmt('START REPLICA', 'other')).toMatchObject({ head: 'START REPLICA', rest: '' });
    expect(stmt('STOP SLAVE IO_THREAD', 'other')).toMatchObject({ head: 'STOP SLAVE', rest: 'IO_THREAD' });
    expect(stmt('START GROUP_REPLICATION', 'other').head).toBe('START GROUP_REPLICATION');
    expect(stmt('RESET MASTER', 'other').head).toBe('RESET MASTER');
    expect(stmt('RESET REPLICA ALL', 'other')).toMatchObject({ head: 'RESET REPLICA', rest: 'ALL' });
    expect(stmt("PURGE BINARY LOGS TO 'binlog.000002'", 'other')).toMatchObject({ head: 'PURGE BINARY LOGS', rest: "TO 'binlog.000002'" });
    expect(stmt("BINLOG 'AbCd'", 'other')).toMatchObject({ head: 'BINLOG', rest: "'AbCd'" });
  });
});
