/**
 * The data dictionary in InnoDB tables, through the real server binary (needs a build:
 * `npx tsc -p tsconfig.json`): DDL from several connections is committed into mysql.schemata /
 * mysql.tables and survives kill -9 (also with innodb_flush_log_at_trx_commit=0); the
 * dictionary tables refuse SQL with 3554 while the grant tables stay readable; a data
 * directory whose dictionary is still the JSON file is imported once.
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { afterAll, describe, expect, it } from 'vitest';
import { Acl, JsonAclStore, aclPath } from '../../src/accounts/acl.js';
import { initialAclState } from '../../src/accounts/initialize.js';
import { Catalog } from '../../src/catalog/catalog.js';
import { createPluginRegistry } from '../../src/plugins/builtin.js';
import { req } from '../helpers/req.js';
import { failure, ServerLab } from '../helpers/server-lab.js';
import { column, tableDef } from '../helpers/table-def.js';

const lab = new ServerLab();
afterAll(() => lab.cleanup());

const DD_FILES = ['dd_properties', 'schemata', 'tables', 'events'].map((t) => join('mysql', `${t}.ibd`));

async function names(c: mysql.Connection, sql: string): Promise<string[]> {
  const [rows] = await c.query<mysql.RowDataPacket[]>(sql);
  return rows.map((r) => String(Object.values(r)[0]));
}

describe('the data dictionary in InnoDB', () => {
  it(req(['CORE-DICT-015', 'CORE-DICT-018', 'CORE-DICT-009'], 'wire', 'DDL from four connections is in the InnoDB dictionary after kill -9, also with innodb_flush_log_at_trx_commit=0; no JSON dictionary is written'), async () => {
    const dir = await lab.datadir();
    for (const f of DD_FILES) expect(existsSync(join(dir, f)), f).toBe(true);
    const a = await lab.start(dir, ['--innodb-flush-log-at-trx-commit=0']);
    const conns = await Promise.all([0, 1, 2, 3].map(() => a.connect()));
    await Promise.all(
      conns.map(async (c, w) => {
        await c.query(`CREATE DATABASE s${w}`);
        for (let i = 0; i < 5; i++) {
          await c.query(`CREATE TABLE s${w}.t${i} (id INT PRIMARY KEY, v VARCHAR(10), KEY v (v)) ENGINE=InnoDB`);
          await c.query(`CREATE TABLE s${w}.m${i} (x INT) ENGINE=MEMORY`);
        }
        await c.query(`ALTER TABLE s${w}.t0 ADD COLUMN extra INT DEFAULT 7`);
        await c.query(`RENAME TABLE s${w}.t1 TO s${w}.renamed`);
        await c.query(`DROP TABLE s${w}.t2`);
        await c.query(`CREATE VIEW s${w}.v AS SELECT id FROM s${w}.t0`);
      }),
    );
    for (const c of conns) await c.end();
    await lab.crash(a);

    const b = await lab.start(dir);
    for (let w = 0; w < 4; w++) {
      expect(await names(b.conn, `SHOW TABLES FROM s${w}`)).toEqual(['m0', 'm1', 'm2', 'm3', 'm4', 'renamed', 't0', 't3', 't4', 'v']);
      const [cols] = await b.conn.query<mysql.RowDataPacket[]>(`SHOW COLUMNS FROM s${w}.t0`);
      expect(cols.map((r) => r['Field'])).toEqual(['id', 'v', 'extra']);
      await b.conn.query(`INSERT INTO s${w}.t0 (id, v) VALUES (1, 'a')`);
      expect(await names(b.conn, `SELECT extra FROM s${w}.t0`)).toEqual(['7']);
      expect(await names(b.conn, `SELECT id FROM s${w}.v`)).toEqual(['1']);
    }
    // The dictionary is in InnoDB only.
    expect(existsSync(join(dir, 'refmysql-dictionary.json'))).toBe(false);
    expect(existsSync(join(dir, 'refmysql-dictionary.journal'))).toBe(false);
    // INNODB_TABLES lists the user tables; the dictionary's tables are not user tables.
    expect(await names(b.conn, "SELECT NAME FROM information_schema.INNODB_TABLES WHERE NAME LIKE 's0/%' ORDER BY NAME")).toEqual(['s0/renamed', 's0/t0', 's0/t3', 's0/t4']);
    await lab.stop(b);
  });

  it(req(['CORE-DICT-016', 'INNODB-MON-015'], 'wire', 'the dictionary tables answer 3554 to every statement; the grant tables and mysql.plugin stay readable and SHOW TABLES leaves the dictionary out; dictionary rows count as InnoDB system rows'), async () => {
    const dir = await lab.datadir();
    const a = await lab.start(dir);
    const rejected = (t: string): { errno: number; message: string } => ({ errno: 3554, message: `Access to data dictionary table 'mysql.${t}' is rejected.` });
    expect(await failure(a.conn, 'SELECT * FROM mysql.tables')).toEqual(rejected('tables'));
    expect(await failure(a.conn, 'SELECT COUNT(*) FROM mysql.schemata')).toEqual(rejected('schemata'));
    expect(await failure(a.conn, "INSERT INTO mysql.dd_properties VALUES ('x', 'y')")).toEqual(rejected('dd_properties'));
    expect(await failure(a.conn, 'DELETE FROM mysql.tables')).toEqual(rejected('tables'));
    expect(await failure(a.conn, 'DROP TABLE mysql.tables')).toEqual(rejected('tables'));
    expect(await failure(a.conn, 'TRUNCATE TABLE mysql.schemata')).toEqual(rejected('schemata'));
    expect(await failure(a.conn, 'CREATE TABLE mysql.columns (a INT)')).toEqual(rejected('columns'));
    await a.conn.query('CREATE TABLE test.t (a INT)');
    expect(await failure(a.conn, 'RENAME TABLE test.t TO mysql.indexes')).toEqual(rejected('indexes'));
    expect(await failure(a.conn, 'CREATE VIEW mysql.tables AS SELECT 1')).toEqual(rejected('tables'));
    // Not a dictionary table: the usual errors.
    expect((await failure(a.conn, 'SELECT * FROM mysql.no_such_table')).errno).toBe(1146);
    expect(Number((await names(a.conn, "SELECT COUNT(*) FROM mysql.user WHERE User = 'root'"))[0])).toBe(1);
    await a.conn.query('SELECT * FROM mysql.plugin');
    // Dictionary rows are system rows for InnoDB's counters.
    const counters = async (): Promise<Map<string, number>> => {
      const [rows] = await a.conn.query<mysql.RowDataPacket[]>("SHOW GLOBAL STATUS WHERE Variable_name IN ('Innodb_rows_inserted', 'Innodb_system_rows_inserted')");
      return new Map(rows.map((r) => [String(r['Variable_name']), Number(r['Value'])]));
    };
    const before = await counters();
    await a.conn.query('CREATE TABLE test.counted (a INT) ENGINE=InnoDB');
    const after = await counters();
    expect(after.get('Innodb_system_rows_inserted')! - before.get('Innodb_system_rows_inserted')!).toBe(1);
    expect(after.get('Innodb_rows_inserted')).toBe(before.get('Innodb_rows_inserted'));
    const tables = await names(a.conn, 'SHOW TABLES FROM mysql');
    for (const dd of ['tables', 'schemata', 'dd_properties']) expect(tables).not.toContain(dd);
    expect(tables).toContain('user');
    expect(tables).toContain('plugin');
    await lab.stop(a);
  });

  it(req(['CORE-DICT-017'], 'wire', 'a data directory whose dictionary is the JSON file is imported into InnoDB once, tables and rows intact, the JSON files kept aside'), async () => {
    const dir = await lab.datadir();
    // Make the directory look like one written before the InnoDB dictionary: no dictionary
    // tables (a clean stop left nothing to replay for them), the catalog's JSON store holding a
    // schema, an InnoDB table with rows, a MEMORY table and a view.
    for (const f of DD_FILES) rmSync(join(dir, f));
    rmSync(join(dir, 'refmysql-plugins.json'), { force: true });
    // Nor grant tables: the accounts in mysql/acl.json.
    for (const t of ['columns_priv', 'db', 'default_roles', 'global_grants', 'procs_priv', 'proxies_priv', 'role_edges', 'tables_priv', 'user']) rmSync(join(dir, 'mysql', `${t}.ibd`));
    new Acl(initialAclState(), dir, new JsonAclStore(aclPath(dir))).updateSync(() => undefined);
    const cat = await Catalog.open(dir, createPluginRegistry());
    await cat.createSchema({ name: 'legacy', charset: 'utf8mb4', collation: 'utf8mb4_0900_ai_ci' });
    const t = tableDef({
      id: cat.nextTableId(),
      schema: 'legacy',
      name: 't',
      engine: 'InnoDB',
      columns: [column('id', { nullable: false }), column('v', { type: { name: 'VARCHAR', length: 20 }, charset: 'utf8mb4', collation: 'utf8mb4_0900_ai_ci' })],
      indexes: [{ name: 'PRIMARY', kind: 'PRIMARY', algorithm: 'BTREE', parts: [{ column: 0 }], comment: '', visible: true }],
    });
    await cat.createTable(null, t);
    await cat.createTable(null, tableDef({ id: cat.nextTableId(), schema: 'legacy', name: 'm', engine: 'MEMORY' }));
    await cat.close();
    expect(existsSync(join(dir, 'refmysql-dictionary.json'))).toBe(true);

    const a = await lab.start(dir);
    expect(await names(a.conn, 'SHOW TABLES FROM legacy')).toEqual(['m', 't']);
    await a.conn.query("INSERT INTO legacy.t VALUES (1, 'one'), (2, 'two')");
    await a.conn.query('CREATE VIEW legacy.v AS SELECT v FROM legacy.t');
    expect(existsSync(join(dir, 'refmysql-dictionary.json'))).toBe(false);
    expect(existsSync(join(dir, 'refmysql-dictionary.json.imported'))).toBe(true);
    for (const f of DD_FILES) expect(existsSync(join(dir, f)), f).toBe(true);
    await lab.crash(a);

    // The second start reads the InnoDB dictionary (the JSON copy is not read again: the view
    // created after the import is there, which the JSON file never held).
    const b = await lab.start(dir);
    expect(await names(b.conn, 'SHOW TABLES FROM legacy')).toEqual(['m', 't', 'v']);
    expect(await names(b.conn, 'SELECT v FROM legacy.v ORDER BY v')).toEqual(['one', 'two']);
    await lab.stop(b);
  });
});
