/**
 * Views: CREATE [OR REPLACE] VIEW, reading through them, SHOW CREATE VIEW, SHOW FULL TABLES,
 * information_schema.VIEWS, DROP VIEW errors, persistence across restart.
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
  await c.query('CREATE DATABASE v');
  await c.query('USE v');
  await c.query('CREATE TABLE t (a INT, b VARCHAR(10))');
  await c.query("INSERT INTO t VALUES (1, 'x'), (2, 'y'), (3, 'z')");
});

afterAll(async () => {
  await c?.end();
  await srv?.stop();
});

describe('views', () => {
  it(req(['CORE-DDL-019'], 'wire', 'CREATE VIEW, select through it, SHOW CREATE VIEW and SHOW FULL TABLES'), async () => {
    await c.query('CREATE VIEW v1 AS SELECT a, b FROM t WHERE a > 1');
    const [r] = await c.query<mysql.RowDataPacket[]>('SELECT a, b FROM v1 ORDER BY a');
    expect(r.map((x) => [x['a'], x['b']])).toEqual([[2, 'y'], [3, 'z']]);
    const [sc, f] = await c.query<mysql.RowDataPacket[]>('SHOW CREATE VIEW v1');
    expect(f.map((x) => x.name)).toEqual(['View', 'Create View', 'character_set_client', 'collation_connection']);
    // MySQL's printed form of the query (CORE-CHECK-033).
    expect(sc[0]!['Create View']).toBe('CREATE ALGORITHM=UNDEFINED DEFINER=`root`@`localhost` SQL SECURITY DEFINER VIEW `v1` AS select `t`.`a` AS `a`,`t`.`b` AS `b` from `t` where (`t`.`a` > 1)');
    const [tb] = await c.query<mysql.RowDataPacket[]>('SHOW FULL TABLES');
    expect(tb.map((x) => [x['Tables_in_v'], x['Table_type']])).toEqual([['t', 'BASE TABLE'], ['v1', 'VIEW']]);
    const [is] = await c.query<mysql.RowDataPacket[]>("SELECT TABLE_NAME, VIEW_DEFINITION FROM information_schema.VIEWS WHERE TABLE_SCHEMA='v'");
    expect(is.map((x) => [x['TABLE_NAME'], x['VIEW_DEFINITION']])).toEqual([['v1', 'select `v`.`t`.`a` AS `a`,`v`.`t`.`b` AS `b` from `v`.`t` where (`v`.`t`.`a` > 1)']]);
    const [cols] = await c.query<mysql.RowDataPacket[]>('SHOW COLUMNS FROM v1');
    expect(cols.map((x) => x['Field'])).toEqual(['a', 'b']);
  });

  it(req(['CORE-DDL-019', 'CORE-DDL-020'], 'wire', 'name clashes, column lists, OR REPLACE and DROP VIEW errors'), async () => {
    expect((await err(c.query('CREATE VIEW t AS SELECT 1'))).errno).toBe(1050);
    expect((await err(c.query('CREATE VIEW v1 AS SELECT 1'))).errno).toBe(1050);
    expect((await err(c.query('CREATE TABLE v1 (i INT)'))).errno).toBe(1050);
    expect((await err(c.query('CREATE VIEW v2 (x, y) AS SELECT a FROM t'))).errno).toBe(1353);
    await c.query('CREATE OR REPLACE VIEW v1 (x) AS SELECT a FROM t');
    const [r] = await c.query<mysql.RowDataPacket[]>('SELECT SUM(x) AS s FROM v1');
    expect(Number(r[0]!['s'])).toBe(6);
    expect((await err(c.query('DROP VIEW t'))).sqlMessage).toBe("'v.t' is not VIEW");
    expect((await err(c.query('DROP VIEW nope1, nope2'))).sqlMessage).toBe("Unknown table 'v.nope1,v.nope2'");
    await c.query('DROP VIEW IF EXISTS nope');
    await c.query('RENAME TABLE v1 TO v1r');
    const [rr] = await c.query<mysql.RowDataPacket[]>('SELECT COUNT(*) AS n FROM v1r');
    expect(Number(rr[0]!['n'])).toBe(3);
    await c.query('RENAME TABLE v1r TO v1');
  });

  it(req(['CORE-DDL-019', 'CORE-CAT-005'], 'wire', 'views survive a restart'), async () => {
    await c.end();
    await srv.stop();
    srv = await startTestServer({ datadir });
    c = await srv.connect({ database: 'v' });
    // The view's InnoDB base table keeps its rows too.
    const [r] = await c.query<mysql.RowDataPacket[]>('SELECT COUNT(*) AS n FROM v1');
    expect(Number(r[0]!['n'])).toBe(3);
    await c.query('DROP VIEW v1');
    const [t] = await c.query<mysql.RowDataPacket[]>('SHOW TABLES');
    expect(t.map((x) => Object.values(x)[0])).toEqual(['t']);
  });
});
