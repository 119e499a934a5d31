/**
 * INSTALL / UNINSTALL PLUGIN, SHOW PLUGINS, information_schema.PLUGINS and mysql.plugin, and
 * CREATE TABLE ... SELECT / LIKE over the wire.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type mysql from 'mysql2/promise';
import { req } from '../helpers/req.js';
import { initializedDatadir, startTestServer, type TestServer } from '../helpers/server.js';
import { failureOf as err } from '../helpers/sql.js';

let srv: TestServer;
let c: mysql.Connection;
let datadir: string;

beforeAll(async () => {
  datadir = (await initializedDatadir()).datadir;
  srv = await startTestServer({ datadir });
  c = await srv.connect();
  await c.query('CREATE DATABASE p');
  await c.query('USE p');
});

afterAll(async () => {
  await c?.end();
  await srv?.stop();
});

async function idAndUptime(): Promise<{ id: number; up: number }> {
  const [[r]] = (await c.query('SELECT CONNECTION_ID() AS id')) as unknown as [[{ id: number }]];
  const [[u]] = (await c.query("SHOW GLOBAL STATUS LIKE 'Uptime'")) as unknown as [[{ Value: string }]];
  return { id: r.id, up: Number(u.Value) };
}

async function engineRow(conn: mysql.Connection, name: string): Promise<mysql.RowDataPacket | undefined> {
  const [rows] = await conn.query<mysql.RowDataPacket[]>('SHOW ENGINES');
  return rows.find((r) => r['Engine'] === name);
}

describe('pluggable engines', () => {
  it(req(['PLUGGABLE-012'], 'wire', 'SONAME with a path is 1124, a missing library 1126'), async () => {
    expect((await err(c.query("INSTALL PLUGIN example SONAME '../x.so'"))).errno).toBe(1124);
    expect((await err(c.query("INSTALL PLUGIN example SONAME 'nosuch.so'"))).errno).toBe(1126);
  });

  it(req(['PLUGGABLE-010', 'PLUGGABLE-011', 'ENGINE-LIST-002'], 'wire', 'INSTALL PLUGIN adds the engine to SHOW ENGINES, PLUGINS and mysql.plugin'), async () => {
    expect(await engineRow(c, 'EXAMPLE')).toBeUndefined();
    await c.query("INSTALL PLUGIN example SONAME 'ha_example.so'");
    expect((await engineRow(c, 'EXAMPLE'))?.['Support']).toBe('YES');
    const [p] = await c.query<mysql.RowDataPacket[]>("SELECT PLUGIN_TYPE, PLUGIN_STATUS, PLUGIN_LIBRARY FROM information_schema.PLUGINS WHERE PLUGIN_NAME='EXAMPLE'");
    expect(p[0]).toMatchObject({ PLUGIN_TYPE: 'STORAGE ENGINE', PLUGIN_STATUS: 'ACTIVE', PLUGIN_LIBRARY: 'ha_example.so' });
    const [m] = await c.query<mysql.RowDataPacket[]>('SELECT name, dl FROM mysql.plugin');
    expect(m.map((r) => [r['name'], r['dl']])).toEqual([['EXAMPLE', 'ha_example.so']]);
    const e = await err(c.query("INSTALL PLUGIN example SONAME 'ha_example.so'"));
    expect(e.errno).toBe(1125);
  });

  it(req(['PLUGGABLE-014', 'PLUGGABLE-015'], 'wire', 'UNINSTALL PLUGIN removes it; its tables stay defined but unusable until reinstalled'), async () => {
    await c.query('CREATE TABLE ex (i INT) ENGINE=EXAMPLE');
    await c.query('UNINSTALL PLUGIN example');
    expect(await engineRow(c, 'EXAMPLE')).toBeUndefined();
    const [t] = await c.query<mysql.RowDataPacket[]>('SHOW TABLES');
    expect(t.map((x) => Object.values(x)[0])).toContain('ex');
    expect((await err(c.query('SELECT * FROM ex'))).errno).toBe(1286);
    const e = await err(c.query('UNINSTALL PLUGIN example'));
    expect(e.errno).toBe(1305);
    expect(e.sqlMessage).toBe('PLUGIN example does not exist');
    await c.query("INSTALL PLUGIN example SONAME 'ha_example.so'");
    const [rows] = await c.query<mysql.RowDataPacket[]>('SELECT * FROM ex');
    expect(rows).toEqual([]);
  });

  it(req(['PLUGGABLE-011'], 'wire', 'an installed plugin is loaded again after a restart'), async () => {
    await c.end();
    await srv.stop();
    srv = await startTestServer({ datadir });
    c = await srv.connect({ database: 'p' });
    expect((await engineRow(c, 'EXAMPLE'))?.['Support']).toBe('YES');
    await c.query('UNINSTALL PLUGIN example');
  });

  it(req(['PLUGGABLE-013'], 'wire', 'INSTALL PLUGIN needs INSERT on mysql.plugin'), async () => {
    await c.query("CREATE USER 'pu'@'%' IDENTIFIED BY 'pw'");
    const u = await srv.connect({ user: 'pu', password: 'pw' });
    const e = await err(u.query("INSTALL PLUGIN example SONAME 'ha_example.so'"));
    expect(e.errno).toBe(1142);
    // schema-level grant: the server's table-existence check for GRANT does not see computed tables yet
    await c.query("GRANT INSERT, DELETE ON mysql.* TO 'pu'@'%'");
    await u.end();
    const u2 = await srv.connect({ user: 'pu', password: 'pw' });
    await u2.query("INSTALL PLUGIN example SONAME 'ha_example.so'");
    await u2.query('UNINSTALL PLUGIN example');
    await u2.end();
  });

  it(req(['ENGINE-LIST-002', 'PLUGGABLE-010'], 'wire', 'an engine is installed and removed while the server runs: open sessions see it come and go, with no restart'), async () => {
    const before = await idAndUptime();
    const watcher = await srv.connect({ database: 'p' });
    expect(await engineRow(watcher, 'EXAMPLE')).toBeUndefined();
    expect((await err(watcher.query('CREATE TABLE live_ex (i INT) ENGINE=EXAMPLE'))).errno).toBe(1286);
    await c.query("INSTALL PLUGIN example SONAME 'ha_example.so'");
    // The other, already open session uses the new engine at once.
    expect((await engineRow(watcher, 'EXAMPLE'))?.['Support']).toBe('YES');
    await watcher.query('CREATE TABLE live_ex (i INT) ENGINE=EXAMPLE');
    const [sc] = await watcher.query<mysql.RowDataPacket[]>('SHOW CREATE TABLE live_ex');
    expect(String(sc[0]!['Create Table'])).toMatch(/\) ENGINE=EXAMPLE /);
    await c.query('UNINSTALL PLUGIN example');
    expect(await engineRow(watcher, 'EXAMPLE')).toBeUndefined();
    expect((await err(watcher.query('CREATE TABLE live_ex2 (i INT) ENGINE=EXAMPLE'))).errno).toBe(1286);
    // Same server process throughout: the connection survived and uptime only grew.
    const after = await idAndUptime();
    expect(after.id).toBe(before.id);
    expect(after.up).toBeGreaterThanOrEqual(before.up);
    await watcher.query('DROP TABLE live_ex');
    await watcher.end();
  });

  it(req(['MEMORY-040', 'CORE-DDL-008'], 'wire', 'CREATE TABLE ... ENGINE=MEMORY SELECT with GROUP BY'), async () => {
    await c.query('CREATE TABLE log_table (ip VARCHAR(15), downloads INT) ENGINE=MEMORY');
    await c.query("INSERT INTO log_table VALUES ('a', 1), ('a', 2), ('b', 10)");
    await c.query('CREATE TABLE test ENGINE=MEMORY SELECT ip, SUM(downloads) AS down FROM log_table GROUP BY ip');
    const [r] = await c.query<mysql.RowDataPacket[]>('SELECT COUNT(ip) AS n, AVG(down) AS a FROM test');
    expect(Number(r[0]!['n'])).toBe(2);
    expect(Number(r[0]!['a'])).toBe(6.5);
    // Both tables are MEMORY tables, not tables of the default engine (InnoDB): the dictionary,
    // SHOW CREATE TABLE and SHOW TABLE STATUS agree, and the MEMORY engine's own traits show
    // (it refuses TEXT columns with 1163; a CREATE ... SELECT naming one fails the same way).
    expect(await c.query<mysql.RowDataPacket[]>("SELECT @@default_storage_engine AS d").then(([x]) => x[0]!['d'])).toBe('InnoDB');
    const [eng] = await c.query<mysql.RowDataPacket[]>("SELECT TABLE_NAME, ENGINE FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'p' AND TABLE_NAME IN ('log_table', 'test') ORDER BY TABLE_NAME");
    expect(eng.map((x) => [x['TABLE_NAME'], x['ENGINE']])).toEqual([['log_table', 'MEMORY'], ['test', 'MEMORY']]);
    const [sc] = await c.query<mysql.RowDataPacket[]>('SHOW CREATE TABLE test');
    expect(String(sc[0]!['Create Table'])).toMatch(/\) ENGINE=MEMORY /);
    const [st] = await c.query<mysql.RowDataPacket[]>("SHOW TABLE STATUS LIKE 'test'");
    expect([st[0]!['Engine'], st[0]!['Row_format'], st[0]!['Rows']]).toEqual(['MEMORY', 'Fixed', 2]);
    expect((await err(c.query('CREATE TABLE test2 ENGINE=MEMORY SELECT CAST(ip AS CHAR(70000)) AS t FROM log_table'))).errno).toBe(1163);
    await c.query('DROP TABLE test');
  });

  it(req(['CORE-DDL-009'], 'wire', 'CREATE TABLE ... LIKE copies the definition'), async () => {
    await c.query('CREATE TABLE src (id INT PRIMARY KEY, s VARCHAR(5) NOT NULL DEFAULT \'x\') ENGINE=MEMORY');
    await c.query('CREATE TABLE dst LIKE src');
    const [a] = await c.query<mysql.RowDataPacket[]>('SHOW CREATE TABLE src');
    const [b] = await c.query<mysql.RowDataPacket[]>('SHOW CREATE TABLE dst');
    expect(String(b[0]!['Create Table'])).toBe(String(a[0]!['Create Table']).replace('`src`', '`dst`'));
  });
});
