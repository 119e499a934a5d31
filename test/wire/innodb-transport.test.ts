/**
 * Moving an InnoDB table between servers: the orphan .ibd restore of 15.21.4 (DISCARD, copy,
 * IMPORT without a .cfg: warning 1810) and the transportable-tablespace round trip with
 * FLUSH TABLES ... FOR EXPORT (with a .cfg: no warning), through two servers.
 */
import { copyFileSync, existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type mysql from 'mysql2/promise';
import { afterAll, describe, expect, it } from 'vitest';
import { req } from '../helpers/req.js';
import { errorOf as sqlErr } from '../helpers/sql.js';
import { startTestServer, tempDatadir, type TestServer } from '../helpers/server.js';

const servers: TestServer[] = [];
const parents: string[] = [];
afterAll(async () => {
  for (const s of servers) await s.stop().catch(() => undefined);
  for (const p of parents) rmSync(p, { recursive: true, force: true });
});

const ACTOR = `CREATE TABLE actor (actor_id SMALLINT UNSIGNED NOT NULL AUTO_INCREMENT, first_name VARCHAR(45) NOT NULL, last_name VARCHAR(45) NOT NULL, last_update TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP, PRIMARY KEY (actor_id), KEY idx_actor_last_name (last_name)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`;

async function fill(c: mysql.Connection): Promise<void> {
  await c.query('CREATE DATABASE sakila');
  await c.query('USE sakila');
  await c.query(ACTOR);
  const rows: string[] = [];
  for (let i = 1; i <= 200; i++) rows.push(`('First${i}', 'Last${i % 37}')`);
  await c.query(`INSERT INTO actor (first_name, last_name) VALUES ${rows.join(',')}`);
}

describe('InnoDB tablespaces moved between servers', () => {
  it(req(['INNODB-DD-004', 'INNODB-DD-005', 'INNODB-DD-006', 'INNODB-DD-007', 'INNODB-DD-009'], 'wire', 'an orphan .ibd: DISCARD, copy, IMPORT without .cfg gives warning 1810, then 200 rows and CHECK TABLE OK'), async () => {
    const a = tempDatadir();
    parents.push(a.parent);
    const src = await startTestServer({ datadir: a.datadir });
    const c = await src.connect();
    await fill(c);
    await c.end();
    await src.stop();
    const orphan = join(a.parent, 'actor.ibd');
    copyFileSync(join(a.datadir, 'sakila', 'actor.ibd'), orphan);

    const dst = await startTestServer();
    servers.push(dst);
    const d = await dst.connect({ multipleStatements: true });
    await d.query('CREATE DATABASE sakila');
    await d.query('USE sakila');
    await d.query(ACTOR);
    // Not discarded: the table has its tablespace.
    expect((await sqlErr(d.query('ALTER TABLE sakila.actor IMPORT TABLESPACE'))).errno).toBe(1813);
    await d.query('ALTER TABLE sakila.actor DISCARD TABLESPACE');
    expect(existsSync(join(dst.datadir, 'sakila', 'actor.ibd'))).toBe(false);
    expect(await sqlErr(d.query('SELECT COUNT(*) FROM actor'))).toMatchObject({ errno: 1814, message: "Tablespace has been discarded for table 'actor'" });
    copyFileSync(orphan, join(dst.datadir, 'sakila', 'actor.ibd'));
    const [results] = await d.query<mysql.RowDataPacket[][]>('ALTER TABLE sakila.actor IMPORT TABLESPACE; SHOW WARNINGS;');
    const header = results[0] as unknown as mysql.ResultSetHeader;
    expect(header.warningStatus).toBe(1);
    expect(results[1]!.map((r) => [r['Level'], r['Code'], r['Message']])).toEqual([
      ['Warning', 1810, "InnoDB: IO Read error: (2, No such file or directory) Error opening './sakila/actor.cfg', will attempt to import without schema verification"],
    ]);
    const [n] = await d.query<mysql.RowDataPacket[]>('SELECT COUNT(*) AS n FROM sakila.actor');
    expect(Number(n[0]!['n'])).toBe(200);
    const [chk] = await d.query<mysql.RowDataPacket[]>('CHECK TABLE sakila.actor');
    expect(chk.map((r) => [r['Msg_type'], r['Msg_text']])).toEqual([['status', 'OK']]);
    // The imported rows are the table's: indexes, AUTO_INCREMENT and writes work.
    const [byName] = await d.query<mysql.RowDataPacket[]>("SELECT COUNT(*) AS n FROM sakila.actor WHERE last_name = 'Last1'");
    expect(Number(byName[0]!['n'])).toBe(6);
    const [ins] = await d.query<mysql.ResultSetHeader>("INSERT INTO sakila.actor (first_name, last_name) VALUES ('New', 'One')");
    expect(ins.insertId).toBe(201);
    await d.end();
  });

  it(req(['INNODB-BAK-101', 'INNODB-DD-005'], 'wire', 'FLUSH TABLES ... FOR EXPORT writes a .cfg; with it the import verifies the schema and gives no warning; UNLOCK TABLES removes it'), async () => {
    const src = await startTestServer();
    const dst = await startTestServer();
    servers.push(src, dst);
    const c = await src.connect();
    await fill(c);
    await c.query("UPDATE actor SET first_name = 'Changed' WHERE actor_id <= 10");
    const writer = await src.connect({ database: 'sakila' });
    await writer.query('SET SESSION lock_wait_timeout = 1');
    await c.query('FLUSH TABLES actor FOR EXPORT');
    const cfg = join(src.datadir, 'sakila', 'actor.cfg');
    expect(existsSync(cfg)).toBe(true);
    // The table is read locked while it is exported.
    expect((await sqlErr(writer.query("UPDATE actor SET first_name = 'x' WHERE actor_id = 1"))).errno).toBe(1205);
    const tmp = tempDatadir();
    parents.push(tmp.parent);
    copyFileSync(join(src.datadir, 'sakila', 'actor.ibd'), join(tmp.parent, 'actor.ibd'));
    copyFileSync(cfg, join(tmp.parent, 'actor.cfg'));
    await c.query('UNLOCK TABLES');
    expect(existsSync(cfg)).toBe(false);
    await writer.query("UPDATE actor SET first_name = 'after' WHERE actor_id = 1");

    const d = await dst.connect();
    await d.query('CREATE DATABASE sakila');
    await d.query('USE sakila');
    await d.query(ACTOR);
    await d.query('ALTER TABLE actor DISCARD TABLESPACE');
    copyFileSync(join(tmp.parent, 'actor.ibd'), join(dst.datadir, 'sakila', 'actor.ibd'));
    copyFileSync(join(tmp.parent, 'actor.cfg'), join(dst.datadir, 'sakila', 'actor.cfg'));
    const [res] = await d.query<mysql.ResultSetHeader>('ALTER TABLE actor IMPORT TABLESPACE');
    expect(res.warningStatus).toBe(0);
    const [rows] = await d.query<mysql.RowDataPacket[]>("SELECT COUNT(*) AS n, SUM(first_name = 'Changed') AS ch FROM actor");
    expect([Number(rows[0]!['n']), Number(rows[0]!['ch'])]).toEqual([200, 10]);
    // A .cfg for another table shape is a schema mismatch (1808).
    await d.query('CREATE TABLE other (a INT PRIMARY KEY, b INT) ENGINE=InnoDB');
    await d.query('ALTER TABLE other DISCARD TABLESPACE');
    copyFileSync(join(tmp.parent, 'actor.ibd'), join(dst.datadir, 'sakila', 'other.ibd'));
    const e = await sqlErr(d.query('ALTER TABLE other IMPORT TABLESPACE'));
    expect(e.errno).toBe(1808);
    expect(e.message).toMatch(/^Schema mismatch \(/);
    for (const x of [c, writer, d]) await x.end();
  });

  it(req(['INNODB-DD-005'], 'wire', 'a discarded tablespace stays discarded across a restart'), async () => {
    const a = tempDatadir();
    parents.push(a.parent);
    let s = await startTestServer({ datadir: a.datadir });
    let c = await s.connect();
    await c.query('CREATE DATABASE x');
    await c.query('CREATE TABLE x.t (id INT PRIMARY KEY) ENGINE=InnoDB');
    await c.query('INSERT INTO x.t VALUES (1)');
    await c.query('ALTER TABLE x.t DISCARD TABLESPACE');
    await c.end();
    await s.stop();
    s = await startTestServer({ datadir: a.datadir });
    servers.push(s);
    c = await s.connect();
    expect((await sqlErr(c.query('SELECT * FROM x.t'))).errno).toBe(1814);
    // Discarded is not missing: no missing-tablespace lines at startup.
    expect(s.logLines.join('\n')).not.toMatch(/Cannot open datafile/);
    await c.query('DROP TABLE x.t');
    await c.end();
  });
});
