/**
 * The engine layer over the wire (mysql2): SHOW ENGINES / information_schema.ENGINES, the
 * default engines for permanent and temporary tables, engine substitution with and without
 * NO_ENGINE_SUBSTITUTION, disabled_storage_engines, ALTER TABLE ... ENGINE conversions between
 * the built engines, and UNINSTALL PLUGIN rules for built-in and loadable engines.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/storage-engines.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/storage-engine-setting.html
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import mysql from 'mysql2/promise';
import { ErrorLog } from '../../src/server/error-log.js';
import { isRunning, startServer } from '../../src/server/server.js';
import { PluginRegistry, type PluginModule } from '../../src/plugins/registry.js';
import type { StorageEngine } from '../../src/storage/handler.js';
import { checkEngineRestrictions } from '../../src/exec/ddl/table-builder.js';
import { BlackholeEngine } from '../../src/storage/blackhole/engine.js';
import { ExampleEngine } from '../../src/storage/example/engine.js';
import { col, index, tableDef } from '../engine-contract/harness/contract.js';
import { req } from '../helpers/req.js';
import { initializedDatadir, SERVER_MAIN, startTestServer, type TestServer } from '../helpers/server.js';
import { failureOf } from '../helpers/sql.js';

let srv: TestServer;
let c: mysql.Connection;
let datadir: string;

async function q(conn: mysql.Connection, sql: string): Promise<mysql.RowDataPacket[]> {
  const [r] = await conn.query<mysql.RowDataPacket[]>(sql);
  return r;
}

async function exec(conn: mysql.Connection, sql: string): Promise<mysql.ResultSetHeader> {
  const [r] = await conn.query<mysql.ResultSetHeader>(sql);
  return r;
}

async function warnings(conn: mysql.Connection): Promise<[number, string][]> {
  return (await q(conn, 'SHOW WARNINGS')).map((w) => [Number(w['Code']), String(w['Message'])]);
}

async function engineOf(conn: mysql.Connection, table: string): Promise<string> {
  const show = String((await q(conn, `SHOW CREATE TABLE ${table}`))[0]!['Create Table']);
  const m = /\) ENGINE=(\w+)/.exec(show);
  return m ? m[1]! : `(no ENGINE in ${show})`;
}

beforeAll(async () => {
  datadir = (await initializedDatadir()).datadir;
  srv = await startTestServer({ datadir });
  c = await srv.connect();
  await c.query('CREATE DATABASE e');
  await c.query('USE e');
}, 60_000);

afterAll(async () => {
  await c?.end();
  await srv?.stop();
});

describe('listing engines', () => {
  it(req(['ENGINE-LIST-003', 'ENGINE-LIST-004', 'ENGINE-LIST-005', 'ENGINE-LIST-006', 'ENGINE-LIST-001'], 'wire', "SHOW ENGINES: six columns in order, exactly one DEFAULT row (InnoDB), MySQL's rows for InnoDB, MyISAM, MEMORY, CSV, ARCHIVE, BLACKHOLE, MRG_MYISAM, PERFORMANCE_SCHEMA; FEDERATED listed NO with NULLs until --federated; information_schema.ENGINES holds the same rows"), async () => {
    const [rows, fields] = await c.query<mysql.RowDataPacket[]>('SHOW ENGINES');
    expect(fields.map((f) => f.name)).toEqual(['Engine', 'Support', 'Comment', 'Transactions', 'XA', 'Savepoints']);
    const by = new Map(rows.map((r) => [String(r['Engine']), [r['Support'], r['Comment'], r['Transactions'], r['XA'], r['Savepoints']]]));
    expect(rows.filter((r) => r['Support'] === 'DEFAULT').map((r) => r['Engine'])).toEqual(['InnoDB']);
    expect(by.get('InnoDB')).toEqual(['DEFAULT', 'Supports transactions, row-level locking, and foreign keys', 'YES', 'YES', 'YES']);
    expect(by.get('MEMORY')).toEqual(['YES', 'Hash based, stored in memory, useful for temporary tables', 'NO', 'NO', 'NO']);
    expect(by.get('BLACKHOLE')).toEqual(['YES', '/dev/null storage engine (anything you write to it disappears)', 'NO', 'NO', 'NO']);
    expect(by.get('PERFORMANCE_SCHEMA')).toEqual(['YES', 'Performance Schema', 'NO', 'NO', 'NO']);
    expect(by.get('FEDERATED')).toEqual(['NO', 'Federated MySQL storage engine', null, null, null]);
    expect(by.get('MRG_MYISAM')).toEqual(['YES', 'Collection of identical MyISAM tables', 'NO', 'NO', 'NO']);
    expect(by.get('MyISAM')).toEqual(['YES', 'MyISAM storage engine', 'NO', 'NO', 'NO']);
    expect(by.get('CSV')).toEqual(['YES', 'CSV storage engine', 'NO', 'NO', 'NO']);
    expect(by.get('ARCHIVE')).toEqual(['YES', 'Archive storage engine', 'NO', 'NO', 'NO']);
    for (const r of rows) expect(['YES', 'NO', 'DEFAULT']).toContain(r['Support']);
    const is = await q(c, 'SELECT ENGINE, SUPPORT, COMMENT, TRANSACTIONS, XA, SAVEPOINTS FROM information_schema.ENGINES');
    const key = (x: unknown[]): string => JSON.stringify(x);
    expect(new Set(is.map((r) => key(Object.values(r))))).toEqual(new Set(rows.map((r) => key(Object.values(r)))));
    // ENGINE-LIST-001: without ENGINE= a table is InnoDB.
    await exec(c, 'CREATE TABLE plain_default (i INT)');
    expect(await engineOf(c, 'plain_default')).toBe('InnoDB');
    expect(await q(c, "SELECT ENGINE FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'e' AND TABLE_NAME = 'plain_default'")).toEqual([{ ENGINE: 'InnoDB' }]);
  });

  it(req(['ENGINE-LIST-004'], 'wire', "the DEFAULT row follows the session's default_storage_engine; another session still sees InnoDB"), async () => {
    const other = await srv.connect();
    try {
      await exec(c, 'SET SESSION default_storage_engine = MEMORY');
      const mine = (await q(c, 'SHOW ENGINES')).filter((r) => r['Support'] === 'DEFAULT').map((r) => r['Engine']);
      const theirs = (await q(other, 'SHOW ENGINES')).filter((r) => r['Support'] === 'DEFAULT').map((r) => r['Engine']);
      expect([mine, theirs]).toEqual([['MEMORY'], ['InnoDB']]);
    } finally {
      await exec(c, 'SET SESSION default_storage_engine = DEFAULT');
      await other.end();
    }
  });

  it(req(['ENGINE-LIST-005', 'PLUGGABLE-031'], 'unit', 'the Transactions/XA/Savepoints columns come from each engine\'s capability record; an engine compiled in but disabled is listed NO with NULLs, is unusable for ENGINE=, and becomes YES once enabled'), () => {
    // An engine declaring transactions and savepoints but no XA (no engine here has that mix).
    const partial = (): StorageEngine => {
      const e = new ExampleEngine();
      return {
        name: 'PARTIAL',
        aliases: [],
        comment: 'transactions without XA',
        capabilities: { ...e.capabilities, transactions: true, savepoints: true, xa: false },
        init: () => e.init(),
        shutdown: () => e.shutdown(),
        createTable: () => e.createTable(),
        dropTable: () => e.dropTable(),
        renameTable: () => e.renameTable(),
        openTable: (ctx, def) => e.openTable(ctx, def),
      };
    };
    const r = new PluginRegistry();
    const module = (name: string, make: () => StorageEngine): PluginModule => ({ name, type: 'STORAGE ENGINE', description: name, author: 'test', version: '1.0', license: 'GPL', createEngine: make });
    r.addBuiltin(module('PARTIAL', partial));
    r.addBuiltin(module('EXAMPLE', () => new ExampleEngine()), 'ON', { disabled: true });
    const rows = r.engineRows('PARTIAL');
    expect(rows.find((x) => x[0] === 'PARTIAL')).toEqual(['PARTIAL', 'DEFAULT', 'transactions without XA', 'YES', 'NO', 'YES']);
    expect(rows.find((x) => x[0] === 'EXAMPLE')).toEqual(['EXAMPLE', 'NO', 'Example storage engine', null, null, null]);
    expect(r.engine('example')).toBeUndefined();
    expect(r.canonicalEngineName('example')).toBe('EXAMPLE');
    expect(r.showPluginRows().find((x) => x[0] === 'EXAMPLE')?.[1]).toBe('DISABLED');
    r.enable('EXAMPLE');
    expect(r.engine('example')?.name).toBe('EXAMPLE');
    expect(r.engineRows('PARTIAL').find((x) => x[0] === 'EXAMPLE')).toEqual(['EXAMPLE', 'YES', 'Example storage engine', 'NO', 'NO', 'NO']);
  });

  it(req(['ENGINE-LIST-008'], 'wire', 'one schema mixes InnoDB, MEMORY and BLACKHOLE tables and one query joins them'), async () => {
    await exec(c, 'CREATE TABLE mix_i (id INT PRIMARY KEY, v VARCHAR(5)) ENGINE=InnoDB');
    await exec(c, 'CREATE TABLE mix_m (id INT PRIMARY KEY, w INT) ENGINE=MEMORY');
    await exec(c, 'CREATE TABLE mix_b (id INT PRIMARY KEY) ENGINE=BLACKHOLE');
    await exec(c, "INSERT INTO mix_i VALUES (1, 'a'), (2, 'b'), (3, 'c')");
    await exec(c, 'INSERT INTO mix_m VALUES (1, 10), (3, 30)');
    await exec(c, 'INSERT INTO mix_b VALUES (1), (2)');
    expect(await q(c, 'SELECT i.id, i.v, m.w, b.id AS b FROM mix_i i JOIN mix_m m ON m.id = i.id LEFT JOIN mix_b b ON b.id = i.id ORDER BY i.id')).toEqual([
      { id: 1, v: 'a', w: 10, b: null },
      { id: 3, v: 'c', w: 30, b: null },
    ]);
    const engines = await q(c, "SELECT TABLE_NAME, ENGINE FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'e' AND TABLE_NAME LIKE 'mix%' ORDER BY TABLE_NAME");
    expect(engines.map((r) => [r['TABLE_NAME'], r['ENGINE']])).toEqual([
      ['mix_b', 'BLACKHOLE'],
      ['mix_i', 'InnoDB'],
      ['mix_m', 'MEMORY'],
    ]);
  });
});

describe('what the engines offer', () => {
  it(req(['ENGINE-CHOOSE-001', 'ENGINE-CHOOSE-011'], 'wire', 'B-tree keys: MEMORY USING BTREE, InnoDB and BLACKHOLE keys report Index_type BTREE; MEMORY keys default to HASH'), async () => {
    await exec(c, 'CREATE TABLE bt_mem (a INT, b INT, KEY ka USING BTREE (a), KEY kb (b)) ENGINE=MEMORY');
    await exec(c, 'CREATE TABLE bt_inno (a INT, KEY ka (a)) ENGINE=InnoDB');
    await exec(c, 'CREATE TABLE bt_bh (a INT, KEY ka USING HASH (a)) ENGINE=BLACKHOLE');
    const types = async (t: string): Promise<unknown[]> => (await q(c, `SHOW INDEX FROM ${t}`)).map((r) => [r['Key_name'], r['Index_type']]);
    expect(await types('bt_mem')).toEqual([
      ['ka', 'BTREE'],
      ['kb', 'HASH'],
    ]);
    expect(await types('bt_inno')).toEqual([['ka', 'BTREE']]);
    expect(await types('bt_bh')).toEqual([['ka', 'BTREE']]);
  });

  it(req(['ENGINE-CHOOSE-010', 'ENGINE-CHOOSE-008', 'PLUGGABLE-001'], 'unit', 'the server refuses a SPATIAL key with 1464 and a FULLTEXT key with 1214 on an engine whose capability record lacks them (geometry columns allowed), and accepts both on BLACKHOLE'), () => {
    const bh = new BlackholeEngine();
    const noSpatial: StorageEngine = Object.assign(Object.create(bh) as StorageEngine, {
      name: 'NOSPATIAL',
      capabilities: { ...bh.capabilities, spatial: false, fulltext: false, indexAlgorithms: ['BTREE'] as const },
    });
    const geo = [col('id', 'INT', { nullable: false }), col('g', 'GEOMETRY', { nullable: false }), col('t', 'TEXT')];
    const spatial = tableDef('NOSPATIAL', 'sp', geo, [index('sp', 'SPATIAL', 'SPATIAL', [1])]);
    const fulltext = tableDef('NOSPATIAL', 'ft', geo, [index('ft', 'FULLTEXT', 'FULLTEXT', [2])]);
    const failure = (f: () => void): [number, string] => {
      try {
        f();
      } catch (e) {
        return [(e as { errno: number }).errno, (e as Error).message];
      }
      return [0, 'accepted'];
    };
    expect(failure(() => checkEngineRestrictions(spatial, noSpatial))).toEqual([1464, "The used table type doesn't support SPATIAL indexes"]);
    expect(failure(() => checkEngineRestrictions(fulltext, noSpatial))).toEqual([1214, "The used table type doesn't support FULLTEXT indexes"]);
    expect(failure(() => checkEngineRestrictions(tableDef('NOSPATIAL', 'plain', geo, [index('PRIMARY', 'PRIMARY', 'BTREE', [0])]), noSpatial))).toEqual([0, 'accepted']);
    expect(failure(() => checkEngineRestrictions(spatial, bh))).toEqual([0, 'accepted']);
    expect(failure(() => checkEngineRestrictions(fulltext, bh))).toEqual([0, 'accepted']);
  });

  it(req(['ENGINE-CHOOSE-012'], 'wire', 'MEMORY locks whole tables: an UPDATE waits for a running SELECT on the same table (about 1 s), while on InnoDB it does not wait for a plain SELECT'), async () => {
    const reader = await srv.connect({ database: 'e' });
    const writer = await srv.connect({ database: 'e' });
    try {
      const timed = async (engine: string): Promise<number> => {
        await exec(c, `CREATE TABLE lk_${engine} (id INT PRIMARY KEY, v INT) ENGINE=${engine}`);
        await exec(c, `INSERT INTO lk_${engine} VALUES (1, 0)`);
        const read = reader.query(`SELECT SLEEP(1) AS s FROM lk_${engine}`);
        await new Promise((r) => setTimeout(r, 150));
        const t0 = Date.now();
        await writer.query(`UPDATE lk_${engine} SET v = v + 1`);
        const waited = Date.now() - t0;
        await read;
        return waited;
      };
      expect(await timed('MEMORY')).toBeGreaterThanOrEqual(600);
      expect(await timed('InnoDB')).toBeLessThan(500);
    } finally {
      await reader.end();
      await writer.end();
    }
  });
});

describe('choosing the engine', () => {
  it(req(['ENGINE-SET-005', 'ENGINE-SET-002'], 'wire', 'CREATE TEMPORARY TABLE without ENGINE= uses default_tmp_storage_engine (MEMORY, then InnoDB, then BLACKHOLE) while permanent tables keep default_storage_engine'), async () => {
    expect(await q(c, 'SELECT @@GLOBAL.default_tmp_storage_engine AS g')).toEqual([{ g: 'InnoDB' }]);
    await exec(c, 'SET SESSION default_tmp_storage_engine = MEMORY');
    await exec(c, 'CREATE TEMPORARY TABLE tt1 (i INT)');
    await exec(c, 'CREATE TABLE perm1 (i INT)');
    expect([await engineOf(c, 'tt1'), await engineOf(c, 'perm1')]).toEqual(['MEMORY', 'InnoDB']);
    expect(String((await q(c, 'SHOW CREATE TABLE tt1'))[0]!['Create Table'])).toMatch(/^CREATE TEMPORARY TABLE `tt1`/);
    await exec(c, 'SET SESSION default_tmp_storage_engine = InnoDB');
    await exec(c, 'CREATE TEMPORARY TABLE tt2 (i INT)');
    expect(await engineOf(c, 'tt2')).toBe('InnoDB');
    // The permanent default does not steer temporary tables, nor the reverse.
    await exec(c, 'SET SESSION default_storage_engine = MEMORY, default_tmp_storage_engine = BLACKHOLE');
    await exec(c, 'CREATE TEMPORARY TABLE tt3 (i INT)');
    await exec(c, 'CREATE TABLE perm2 (i INT)');
    expect([await engineOf(c, 'tt3'), await engineOf(c, 'perm2')]).toEqual(['BLACKHOLE', 'MEMORY']);
    await exec(c, 'SET SESSION default_storage_engine = DEFAULT, default_tmp_storage_engine = DEFAULT');
    await exec(c, 'DROP TEMPORARY TABLE tt1, tt2, tt3');
  });

  it(req(['ENGINE-SET-004'], 'wire', 'SET default_storage_engine / default_tmp_storage_engine to an unknown or unavailable engine fails with 1286'), async () => {
    for (const v of ['NOSUCH', 'FEDERATED', 'NDBCLUSTER']) {
      const e = await failureOf(c.query(`SET SESSION default_tmp_storage_engine = ${v}`));
      expect([e.errno, e.sqlState, e.sqlMessage]).toEqual([1286, '42000', `Unknown storage engine '${v}'`]);
    }
    expect(await q(c, 'SELECT @@SESSION.default_tmp_storage_engine AS t')).toEqual([{ t: 'InnoDB' }]);
  });

  it(req(['ENGINE-SET-011', 'ENGINE-SET-010'], 'wire', 'the default sql_mode has NO_ENGINE_SUBSTITUTION: an unknown or unavailable engine is 1286 (42000); nothing is created and an ALTER changes nothing'), async () => {
    expect(await q(c, "SELECT @@GLOBAL.sql_mode LIKE '%NO_ENGINE_SUBSTITUTION%' AS on_")).toEqual([{ on_: 1 }]);
    for (const v of ['NOSUCH', 'FEDERATED']) {
      const e = await failureOf(c.query(`CREATE TABLE sub_err (i INT) ENGINE=${v}`));
      expect([e.errno, e.sqlState, e.sqlMessage]).toEqual([1286, '42000', `Unknown storage engine '${v}'`]);
    }
    expect(await q(c, "SHOW TABLES LIKE 'sub_err'")).toEqual([]);
    await exec(c, 'CREATE TABLE alter_err (i INT) ENGINE=MEMORY');
    const e = await failureOf(c.query('ALTER TABLE alter_err ENGINE=NOSUCH'));
    expect([e.errno, e.sqlMessage]).toEqual([1286, "Unknown storage engine 'NOSUCH'"]);
    expect(await engineOf(c, 'alter_err')).toBe('MEMORY');
  });

  it(req(['ENGINE-SET-008', 'ENGINE-SET-009'], 'wire', 'without NO_ENGINE_SUBSTITUTION an unavailable engine is replaced by the default one (warnings 1286 and 1266); ALTER TABLE warns and keeps the engine'), async () => {
    await exec(c, "SET SESSION sql_mode = ''");
    try {
      const r = await exec(c, 'CREATE TABLE subst (i INT) ENGINE=NOSUCH');
      expect(r.warningStatus).toBe(2);
      expect(await warnings(c)).toEqual([
        [1286, "Unknown storage engine 'NOSUCH'"],
        [1266, "Using storage engine InnoDB for table 'subst'"],
      ]);
      expect(await engineOf(c, 'subst')).toBe('InnoDB');
      // A known engine that is not available (FEDERATED without --federated) substitutes the same way.
      await exec(c, 'CREATE TABLE subst_fed (i INT) ENGINE=FEDERATED');
      expect(await warnings(c)).toEqual([
        [1286, "Unknown storage engine 'FEDERATED'"],
        [1266, "Using storage engine InnoDB for table 'subst_fed'"],
      ]);
      // A temporary table falls back to default_tmp_storage_engine.
      await exec(c, 'SET SESSION default_tmp_storage_engine = MEMORY');
      await exec(c, 'CREATE TEMPORARY TABLE subst_tmp (i INT) ENGINE=NOSUCH');
      expect(await warnings(c)).toEqual([
        [1286, "Unknown storage engine 'NOSUCH'"],
        [1266, "Using storage engine MEMORY for table 'subst_tmp'"],
      ]);
      expect(await engineOf(c, 'subst_tmp')).toBe('MEMORY');
      await exec(c, 'CREATE TABLE subst_alter (i INT) ENGINE=MEMORY');
      await exec(c, 'INSERT INTO subst_alter VALUES (1), (2)');
      const a = await exec(c, 'ALTER TABLE subst_alter ENGINE=NOSUCH');
      expect(a.warningStatus).toBe(2);
      expect(await warnings(c)).toEqual([
        [1286, "Unknown storage engine 'NOSUCH'"],
        [1266, "Using storage engine MEMORY for table 'subst_alter'"],
      ]);
      expect(await engineOf(c, 'subst_alter')).toBe('MEMORY');
      expect(await q(c, 'SELECT i FROM subst_alter ORDER BY i')).toEqual([{ i: 1 }, { i: 2 }]);
    } finally {
      await exec(c, 'SET SESSION sql_mode = DEFAULT, default_tmp_storage_engine = DEFAULT');
    }
  });
});

describe('converting between engines', () => {
  it(req(['ENGINE-SET-006', 'PLUGGABLE-002'], 'wire', 'ALTER TABLE ... ENGINE= converts MEMORY -> InnoDB -> MEMORY -> InnoDB keeping rows, indexes and AUTO_INCREMENT; InnoDB -> BLACKHOLE drops the rows; BLACKHOLE -> MEMORY -> InnoDB gives an empty table'), async () => {
    await exec(c, 'CREATE TABLE conv (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(10), KEY kn (name)) ENGINE=MEMORY');
    await exec(c, "INSERT INTO conv (name) VALUES ('a'), ('b'), ('c')");
    const all = [
      { id: 1, name: 'a' },
      { id: 2, name: 'b' },
      { id: 3, name: 'c' },
    ];
    await exec(c, 'ALTER TABLE conv ENGINE=InnoDB');
    expect(await engineOf(c, 'conv')).toBe('InnoDB');
    expect(await q(c, 'SELECT id, name FROM conv ORDER BY id')).toEqual(all);
    expect((await q(c, 'SHOW INDEX FROM conv')).map((r) => [r['Key_name'], r['Index_type']])).toEqual([
      ['PRIMARY', 'BTREE'],
      ['kn', 'BTREE'],
    ]);
    expect((await exec(c, "INSERT INTO conv (name) VALUES ('d')")).insertId).toBe(4);
    await exec(c, 'ALTER TABLE conv ENGINE=MEMORY');
    expect(await engineOf(c, 'conv')).toBe('MEMORY');
    expect(await q(c, 'SELECT id, name FROM conv ORDER BY id')).toEqual([...all, { id: 4, name: 'd' }]);
    await exec(c, 'ALTER TABLE conv ENGINE=InnoDB');
    expect(await q(c, 'SELECT COUNT(*) AS n FROM conv')).toEqual([{ n: 4 }]);
    // InnoDB -> BLACKHOLE copies the 4 rows into an engine that drops them.
    const r = await exec(c, 'ALTER TABLE conv ENGINE=BLACKHOLE');
    expect(r.info).toBe('Records: 4  Duplicates: 0  Warnings: 0');
    expect(await engineOf(c, 'conv')).toBe('BLACKHOLE');
    expect(await q(c, 'SELECT * FROM conv')).toEqual([]);
    await exec(c, 'ALTER TABLE conv ENGINE=MEMORY');
    expect([await engineOf(c, 'conv'), await q(c, 'SELECT * FROM conv')]).toEqual(['MEMORY', []]);
    await exec(c, 'ALTER TABLE conv ENGINE=InnoDB');
    expect(await engineOf(c, 'conv')).toBe('InnoDB');
    expect(await q(c, 'SELECT * FROM conv')).toEqual([]);
    await exec(c, "INSERT INTO conv (name) VALUES ('z')");
    expect(await q(c, 'SELECT name FROM conv')).toEqual([{ name: 'z' }]);
  });

  it(req(['ENGINE-SET-007'], 'wire', 'a conversion obeys the target engine: InnoDB with TEXT to MEMORY is 1163 and the table is unchanged'), async () => {
    await exec(c, 'CREATE TABLE with_text (id INT PRIMARY KEY, body TEXT) ENGINE=InnoDB');
    await exec(c, "INSERT INTO with_text VALUES (1, 'x'), (2, 'y')");
    const before = (await q(c, 'SHOW CREATE TABLE with_text'))[0]!['Create Table'];
    const e = await failureOf(c.query('ALTER TABLE with_text ENGINE=MEMORY'));
    expect([e.errno, e.sqlMessage]).toEqual([1163, "The used table type doesn't support BLOB/TEXT columns"]);
    expect((await q(c, 'SHOW CREATE TABLE with_text'))[0]!['Create Table']).toBe(before);
    expect(await q(c, 'SELECT COUNT(*) AS n FROM with_text')).toEqual([{ n: 2 }]);
  });
});

describe('plugins', () => {
  it(req(['PLUGGABLE-014'], 'wire', 'UNINSTALL PLUGIN of a built-in engine (InnoDB, MEMORY, BLACKHOLE) fails with 1619 and the engine stays'), async () => {
    for (const name of ['InnoDB', 'MEMORY', 'BLACKHOLE']) {
      const e = await failureOf(c.query(`UNINSTALL PLUGIN ${name}`));
      expect([e.errno, e.sqlState, e.sqlMessage]).toEqual([1619, 'HY000', 'Built-in plugins cannot be deleted']);
    }
    const support = (await q(c, 'SHOW ENGINES')).filter((r) => ['MEMORY', 'BLACKHOLE'].includes(String(r['Engine']))).map((r) => r['Support']);
    expect(support).toEqual(['YES', 'YES']);
  });

  it(req(['PLUGGABLE-016', 'PLUGGABLE-015'], 'wire', 'UNINSTALL PLUGIN example while a table uses it succeeds without a warning; the table stays listed and fails with 1286 until the plugin is back'), async () => {
    await exec(c, "INSTALL PLUGIN example SONAME 'ha_example.so'");
    await exec(c, 'CREATE TABLE uses_example (i INT) ENGINE=EXAMPLE');
    const r = await exec(c, 'UNINSTALL PLUGIN example');
    expect(r.warningStatus).toBe(0);
    expect((await q(c, "SHOW TABLES LIKE 'uses_example'")).length).toBe(1);
    const e = await failureOf(c.query('SELECT * FROM uses_example'));
    expect([e.errno, e.sqlMessage]).toEqual([1286, "Unknown storage engine 'EXAMPLE'"]);
    await exec(c, "INSTALL PLUGIN example SONAME 'ha_example.so'");
    expect(await q(c, 'SELECT * FROM uses_example')).toEqual([]);
    await exec(c, 'DROP TABLE uses_example');
    await exec(c, 'UNINSTALL PLUGIN example');
  });
});

describe('startup options', () => {
  it(req(['ENGINE-SET-015', 'ENGINE-SET-003'], 'wire', 'disabled_storage_engines (read-only): CREATE or ALTER to a listed engine is 3161, or substituted with warnings 3161 + 1266 without NO_ENGINE_SUBSTITUTION; tables already in it stay usable; --default-storage-engine sets the global default'), async () => {
    await exec(c, 'CREATE TABLE before_mem (i INT PRIMARY KEY) ENGINE=MEMORY');
    await exec(c, 'CREATE TABLE before_inno (i INT PRIMARY KEY) ENGINE=InnoDB');
    await c.end();
    await srv.stop();
    srv = await startTestServer({ datadir, options: { 'disabled-storage-engines': 'memory, BLACKHOLE', 'default-storage-engine': 'InnoDB', 'default-tmp-storage-engine': 'innodb' } });
    c = await srv.connect({ database: 'e' });
    expect(await q(c, 'SELECT @@GLOBAL.disabled_storage_engines AS d, @@GLOBAL.default_storage_engine AS s, @@GLOBAL.default_tmp_storage_engine AS t')).toEqual([
      { d: 'memory, BLACKHOLE', s: 'InnoDB', t: 'InnoDB' },
    ]);
    const ro = await failureOf(c.query("SET GLOBAL disabled_storage_engines = ''"));
    expect([ro.errno, ro.sqlMessage]).toEqual([1238, "Variable 'disabled_storage_engines' is a read only variable"]);
    // Existing tables stay usable, also for an ALTER that keeps their engine.
    await exec(c, 'INSERT INTO before_mem VALUES (1), (2)');
    expect(await q(c, 'SELECT i FROM before_mem ORDER BY i')).toEqual([{ i: 1 }, { i: 2 }]);
    await exec(c, 'ALTER TABLE before_mem ADD COLUMN j INT');
    expect(await engineOf(c, 'before_mem')).toBe('MEMORY');
    // New tables in a disabled engine, or conversions to one, are refused.
    for (const sql of ['CREATE TABLE new_mem (i INT) ENGINE=MEMORY', 'CREATE TABLE new_heap (i INT) ENGINE=heap', 'CREATE TEMPORARY TABLE new_tmp (i INT) ENGINE=BLACKHOLE', 'CREATE TABLE like_mem LIKE before_mem']) {
      const e = await failureOf(c.query(sql));
      expect([e.errno, e.sqlState], sql).toEqual([3161, 'HY000']);
    }
    const e = await failureOf(c.query('ALTER TABLE before_inno ENGINE=BLACKHOLE'));
    expect([e.errno, e.sqlMessage]).toEqual([3161, 'Storage engine BLACKHOLE is disabled (Table creation is disallowed).']);
    expect(await q(c, "SHOW TABLES LIKE 'new%'")).toEqual([]);
    // Without NO_ENGINE_SUBSTITUTION the default engine (or, for ALTER, the current one) is used.
    await exec(c, "SET SESSION sql_mode = ''");
    await exec(c, 'CREATE TABLE new_mem (i INT) ENGINE=MEMORY');
    expect(await warnings(c)).toEqual([
      [3161, 'Storage engine MEMORY is disabled (Table creation is disallowed).'],
      [1266, "Using storage engine InnoDB for table 'new_mem'"],
    ]);
    expect(await engineOf(c, 'new_mem')).toBe('InnoDB');
    await exec(c, 'ALTER TABLE before_inno ENGINE=MEMORY');
    expect(await warnings(c)).toEqual([
      [3161, 'Storage engine MEMORY is disabled (Table creation is disallowed).'],
      [1266, "Using storage engine InnoDB for table 'before_inno'"],
    ]);
    expect(await engineOf(c, 'before_inno')).toBe('InnoDB');
    // A disabled engine cannot become the session default's target either.
    await exec(c, 'SET SESSION sql_mode = DEFAULT, default_storage_engine = MEMORY');
    const d = await failureOf(c.query('CREATE TABLE via_default (i INT)'));
    expect([d.errno, d.sqlMessage]).toEqual([3161, 'Storage engine MEMORY is disabled (Table creation is disallowed).']);
    await exec(c, 'SET SESSION default_storage_engine = DEFAULT');
    // SHOW ENGINES still lists them as usable: the option restricts table creation only.
    const support = (await q(c, 'SHOW ENGINES')).filter((r) => ['MEMORY', 'BLACKHOLE'].includes(String(r['Engine']))).map((r) => r['Support']);
    expect(support).toEqual(['YES', 'YES']);
  }, 60_000);

  it(req(['ENGINE-SET-003'], 'wire', '--default-storage-engine=MEMORY at startup: @@GLOBAL.default_storage_engine is MEMORY, SHOW ENGINES marks it DEFAULT and a table without ENGINE= is MEMORY'), async () => {
    await c.end();
    await srv.stop();
    srv = await startTestServer({ datadir, options: { 'default-storage-engine': 'memory' } });
    c = await srv.connect({ database: 'e' });
    expect(await q(c, 'SELECT @@GLOBAL.default_storage_engine AS g, @@SESSION.default_storage_engine AS s')).toEqual([{ g: 'MEMORY', s: 'MEMORY' }]);
    expect((await q(c, 'SHOW ENGINES')).filter((r) => r['Support'] === 'DEFAULT').map((r) => r['Engine'])).toEqual(['MEMORY']);
    await exec(c, 'CREATE TABLE startup_default (i INT)');
    expect(await engineOf(c, 'startup_default')).toBe('MEMORY');
  }, 60_000);

  it(req(['ENGINE-SET-003'], 'wire', 'default-storage-engine in the [mysqld] group of an option file (--defaults-file) sets the global default: a table without ENGINE= is BLACKHOLE'), async () => {
    await c.end();
    await srv.stop();
    const cnf = join(datadir, '..', 'engines.cnf');
    writeFileSync(cnf, `[mysqld]\ndatadir=${datadir}\nport=0\nbind-address=127.0.0.1\nmysqlx=OFF\ndefault-storage-engine = blackhole\n`);
    const outcome = await startServer({ argv: [`--defaults-file=${cnf}`], log: ErrorLog.memory(), program: SERVER_MAIN, handleSignals: false });
    if (!isRunning(outcome)) throw new Error(`server did not start: ${outcome.kind}`);
    const conn = await mysql.createConnection({ host: '127.0.0.1', port: outcome.port, user: 'root', password: '', database: 'e' });
    try {
      expect(await q(conn, 'SELECT @@GLOBAL.default_storage_engine AS g')).toEqual([{ g: 'BLACKHOLE' }]);
      await exec(conn, 'CREATE TABLE from_cnf (i INT)');
      expect(await engineOf(conn, 'from_cnf')).toBe('BLACKHOLE');
    } finally {
      await conn.end();
      await outcome.stop();
    }
    // Leave a server for afterAll.
    srv = await startTestServer({ datadir });
    c = await srv.connect({ database: 'e' });
  }, 60_000);
});
