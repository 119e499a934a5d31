/**
 * `mariadb-dump --routines --triggers --events` of a schema that uses the SQL surface
 * applications depend on (CHECK constraints, generated columns, expression defaults, views,
 * stored procedures and functions, events), replayed with the `mariadb` client into a second
 * refmysqld: every SHOW CREATE text and every row must come out the same. This is how users move a schema between servers, and it
 * exercises what the dump reads (SHOW CREATE ..., information_schema, SHOW EVENTS) and what the
 * restore sends (executable comments, DELIMITER-separated definitions, time_zone juggling).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/mysqldump.html
 * @req CORE-PEER-013 CORE-TRG-008
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type mysql from 'mysql2/promise';
import { requirePeer } from '../helpers/mariadb.js';
import { mariadbCli, runCommand, cliTcpArgs } from '../helpers/peers.js';
import { req } from '../helpers/req.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let source: TestServer;
let target: TestServer;

const SCHEMA = [
  'CREATE DATABASE app',
  `CREATE TABLE app.orders (
     id INT AUTO_INCREMENT PRIMARY KEY,
     qty INT NOT NULL,
     price DECIMAL(8,2) NOT NULL DEFAULT 0,
     created DATETIME DEFAULT (NOW()),
     note VARCHAR(20) DEFAULT (CONCAT('n', 'o')),
     CONSTRAINT qty_positive CHECK (qty > 0),
     CHECK (price >= 0) NOT ENFORCED
   )`,
  // Generated columns only in a table without rows: mariadb-dump writes their values into
  // INSERT statements, which MySQL 8.0 (like refmysqld) refuses with 3105 (MySQL's own
  // mysqldump lists the other columns instead).
  'CREATE TABLE app.calc (qty INT, price DECIMAL(8,2), total DECIMAL(10,2) AS (qty * price) STORED, half DOUBLE AS (price / 2) VIRTUAL)',
  "INSERT INTO app.orders (qty, price, created) VALUES (1, 2.50, '2030-01-01 00:00:00'), (3, 4.00, '2030-01-02 00:00:00')",
  'CREATE VIEW app.big AS SELECT id, qty * 2 AS double_qty FROM app.orders WHERE qty > 1',
  `CREATE PROCEDURE app.add_order(IN q INT, OUT new_id INT)
     MODIFIES SQL DATA COMMENT 'adds one'
   BEGIN
     DECLARE EXIT HANDLER FOR SQLEXCEPTION SET new_id = -1;
     INSERT INTO app.orders (qty, price, created) VALUES (q, 1, '2030-02-02 00:00:00');
     SET new_id = LAST_INSERT_ID();
   END`,
  `CREATE FUNCTION app.total_qty() RETURNS INT READS SQL DATA
   BEGIN
     DECLARE t INT;
     SELECT SUM(qty) INTO t FROM app.orders;
     RETURN t;
   END`,
  "CREATE EVENT app.purge ON SCHEDULE EVERY 1 DAY STARTS '2031-01-01 03:00:00' COMMENT 'nightly' DO DELETE FROM app.orders WHERE qty > 100",
  "CREATE USER app_user@'%' IDENTIFIED BY 'app-pw'",
  "GRANT SELECT, EXECUTE ON app.* TO app_user@'%'",
  "CREATE EVENT app.once ON SCHEDULE AT '2032-06-01 12:00:00' ON COMPLETION PRESERVE DISABLE DO UPDATE app.orders SET qty = qty + 1",
  // A trigger with a compound body (after the rows, which it would change). @req CORE-TRG-008
  `CREATE TRIGGER app.orders_bi BEFORE INSERT ON app.orders FOR EACH ROW
   BEGIN
     DECLARE n INT DEFAULT 0;
     SET n = NEW.qty * 2;
     IF NEW.note = 'no' THEN SET NEW.note = CONCAT('x', n); END IF;
   END`,
  "CREATE TRIGGER app.orders_bu BEFORE UPDATE ON app.orders FOR EACH ROW SET NEW.price = OLD.price",
];

/** Every SHOW CREATE text and every row of the schema, as one comparable value. */
async function describeSchema(conn: mysql.Connection): Promise<unknown> {
  const q = async (sql: string): Promise<mysql.RowDataPacket[]> => (await conn.query<mysql.RowDataPacket[]>(sql))[0];
  const out: Record<string, unknown> = {};
  out['table'] = (await q('SHOW CREATE TABLE app.orders'))[0]!['Create Table'];
  out['generated'] = (await q('SHOW CREATE TABLE app.calc'))[0]!['Create Table'];
  out['view'] = (await q('SHOW CREATE VIEW app.big'))[0]!['Create View'];
  for (const e of ['purge', 'once']) {
    const r = (await q(`SHOW CREATE EVENT app.${e}`))[0]!;
    out[`event ${e}`] = [r['Create Event'], r['sql_mode'], r['time_zone']];
  }
  for (const [kind, name] of [['PROCEDURE', 'add_order'], ['FUNCTION', 'total_qty']] as const) {
    const r = (await q(`SHOW CREATE ${kind} app.${name}`))[0]!;
    out[`${kind} ${name}`] = [r[kind === 'PROCEDURE' ? 'Create Procedure' : 'Create Function'], r['sql_mode']];
  }
  out['function result'] = await q('SELECT app.total_qty() AS t');
  out['grants'] = await q("SHOW GRANTS FOR app_user@'%'");
  for (const t of ['orders_bi', 'orders_bu']) {
    const r = (await q(`SHOW CREATE TRIGGER app.${t}`))[0]!;
    out[`trigger ${t}`] = [r['SQL Original Statement'], r['sql_mode'], r['character_set_client']];
  }
  out['triggers'] = (await q("SELECT TRIGGER_NAME, EVENT_MANIPULATION, ACTION_TIMING, ACTION_ORDER, ACTION_STATEMENT FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = 'app' ORDER BY 1")).map((r) => ({ ...r }));
  out['rows'] = await q('SELECT id, qty, price, created, note FROM app.orders ORDER BY id');
  out['view rows'] = await q('SELECT * FROM app.big ORDER BY id');
  out['checks'] = await q("SELECT CONSTRAINT_NAME, CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = 'app' ORDER BY 1");
  out['events'] = (await q("SELECT EVENT_NAME, STATUS, ON_COMPLETION, EVENT_TYPE FROM information_schema.EVENTS WHERE EVENT_SCHEMA = 'app' ORDER BY 1")).map((r) => ({ ...r }));
  return out;
}

beforeAll(async () => {
  requirePeer(['mariadb', 'mariadb-dump']);
  source = await startTestServer();
  target = await startTestServer();
  const c = await source.connect();
  for (const sql of SCHEMA) await c.query(sql);
  await c.end();
});

afterAll(async () => {
  await source?.stop();
  await target?.stop();
});

describe('mariadb-dump of a schema with constraints, views, routines, triggers and events', () => {
  it(req(['CORE-PEER-013', 'CORE-TRG-008'], 'peer', 'dump --all-databases --routines --triggers --events and restore into a second server: identical SHOW CREATE output (triggers included), grants and rows'), async () => {
    const dump = await runCommand('mariadb-dump', [...cliTcpArgs(source), '--routines', '--triggers', '--events', '--all-databases', '--flush-privileges'], { timeoutMs: 60_000 });
    expect(dump.code, dump.stderr).toBe(0);
    expect(dump.stdout).toContain('CREATE*/ /*!50117 DEFINER=`root`@`localhost`*/ /*!50106 EVENT `purge`');
    expect(dump.stdout).toContain('/*!50003 CREATE*/ /*!50017 DEFINER=`root`@`localhost`*/ /*!50003 TRIGGER');
    const restore = await mariadbCli(target, [], dump.stdout);
    expect(restore.code, restore.stderr).toBe(0);
    const a = await source.connect();
    const b = await target.connect();
    try {
      const before = await describeSchema(a);
      const after = await describeSchema(b);
      expect(after).toEqual(before);
      // The restored constraint still holds on the copy.
      await expect(b.query('INSERT INTO app.orders (qty, price) VALUES (0, 1)')).rejects.toMatchObject({ errno: 3819 });
      // The restored trigger fires on the copy.
      await b.query('INSERT INTO app.orders (qty, price) VALUES (4, 1)');
      const [fired] = await b.query<mysql.RowDataPacket[]>('SELECT note FROM app.orders WHERE qty = 4');
      expect(fired[0]!['note']).toBe('x8');
    } finally {
      await a.end();
      await b.end();
    }
  });
});
