/**
 * `mariadb-dump` round trip: a schema of InnoDB tables (the default engine) built on one
 * refmysqld is dumped with the Debian `mariadb-dump` and replayed with the `mariadb` client into a
 * fresh refmysqld; the copy must have the same `SHOW CREATE TABLE` text and the same rows.
 *
 * `--single-transaction` reads every table inside one START TRANSACTION WITH CONSISTENT SNAPSHOT
 * instead of LOCK TABLES ... READ LOCAL: with InnoDB it neither waits for nor sees another
 * session's open transaction. (Whether the plain dump's LOCK TABLES ... READ LOCAL waits for that
 * transaction is not asserted: MariaDB makes it wait, refmysqld takes SHARED_READ as MySQL's
 * grammar does for READ LOCAL; spec/core-peers.md records the question.)
 *
 * mariadb-dump talks a lot before it dumps anything (session SET statements, executable comments,
 * information_schema.FILES/PARTITIONS/TABLES/COLUMNS/TRIGGERS lookups, LOCK TABLES, SHOW CREATE
 * TABLE with character_set_results switched to binary); the restore replays `/*!40101 ... *\/`
 * comments, LOCK TABLES ... WRITE and ALTER TABLE ... DISABLE/ENABLE KEYS. See spec/core-peers.md
 * (CORE-PEER-005) for the full list.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/mysqldump.html
 * @req CORE-PEER-005 INNODB-BAK-006
 */
import type { Connection } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requirePeer } from '../helpers/mariadb.js';
import { cliTcpArgs, mariadbCli, runCommand, startRefTarget, type ServerTarget } from '../helpers/peers.js';
import { req } from '../helpers/req.js';

const SOURCE_DB = 'dump_src';
const TARGET_DB = 'dump_dst';

const SCHEMA = [
  `CREATE TABLE people (
     id INT NOT NULL AUTO_INCREMENT,
     name VARCHAR(40) NOT NULL,
     nick CHAR(8) DEFAULT NULL,
     born DATE DEFAULT NULL,
     balance DECIMAL(10,2) NOT NULL DEFAULT 0.00,
     PRIMARY KEY (id),
     UNIQUE KEY uk_name (name)
   ) ENGINE=InnoDB`,
  `CREATE TABLE events (
     id BIGINT UNSIGNED NOT NULL,
     person_id INT NOT NULL,
     at DATETIME NOT NULL,
     kind ENUM('in','out','pause') NOT NULL DEFAULT 'in',
     tags SET('a','b','c') DEFAULT NULL,
     score DOUBLE DEFAULT NULL,
     PRIMARY KEY (id),
     KEY ix_person (person_id)
   ) ENGINE=InnoDB`,
  `CREATE TABLE empty_one (a TINYINT, b SMALLINT UNSIGNED, c TIME, d YEAR, e VARBINARY(8)) ENGINE=InnoDB`,
];

const DATA = [
  `INSERT INTO people (name, nick, born, balance) VALUES
     ('Ada', 'ada', '1815-12-10', 100.50),
     ('O''Brien', NULL, NULL, -3.25),
     ('back\\\\slash', 'x', '2000-02-29', 0),
     ('Zoë ünïcode', 'zz', '1999-12-31', 99999999.99)`,
  `INSERT INTO events VALUES
     (1, 1, '2024-01-01 08:00:00', 'in', 'a,b', 1.5),
     (2, 1, '2024-01-01 17:30:00', 'out', NULL, NULL),
     (18446744073709551615, 2, '2024-02-29 12:00:00', 'pause', '', -0.25)`,
];

async function tableNames(conn: Connection, db: string): Promise<string[]> {
  const [rows] = await conn.query({ sql: `SHOW TABLES FROM ${db}`, rowsAsArray: true });
  return (rows as unknown[][]).map((r) => String(r[0])).sort();
}

async function showCreate(conn: Connection, db: string, table: string): Promise<string> {
  const [rows] = await conn.query({ sql: `SHOW CREATE TABLE ${db}.${table}`, rowsAsArray: true });
  return String((rows as unknown[][])[0]?.[1]);
}

async function contents(conn: Connection, db: string, table: string): Promise<string> {
  // ORDER BY 1 makes the comparison independent of engine row order.
  const [rows] = await conn.query({ sql: `SELECT * FROM ${db}.${table} ORDER BY 1`, rowsAsArray: true, typeCast: false });
  return JSON.stringify(
    (rows as unknown[][]).map((r) => r.map((v) => (Buffer.isBuffer(v) ? v.toString('hex') : v === null ? null : String(v)))),
  );
}

describe('mariadb-dump round trip', () => {
  let source: ServerTarget;
  let dest: ServerTarget;
  let src: Connection;
  let dst: Connection;

  beforeAll(async () => {
    requirePeer(['mariadb', 'mariadb-dump']);
    source = await startRefTarget();
    dest = await startRefTarget();
    src = await source.connect();
    dst = await dest.connect();
    await src.query(`DROP DATABASE IF EXISTS ${SOURCE_DB}`);
    await src.query(`CREATE DATABASE ${SOURCE_DB}`);
    await src.query(`USE ${SOURCE_DB}`);
    for (const s of [...SCHEMA, ...DATA]) await src.query(s);
    await dst.query(`DROP DATABASE IF EXISTS ${TARGET_DB}`);
    await dst.query(`CREATE DATABASE ${TARGET_DB}`);
  }, 120_000);

  afterAll(async () => {
    await src?.query(`DROP DATABASE IF EXISTS ${SOURCE_DB}`).catch(() => undefined);
    await dst?.query(`DROP DATABASE IF EXISTS ${TARGET_DB}`).catch(() => undefined);
    await src?.end().catch(() => undefined);
    await dst?.end().catch(() => undefined);
    await source?.stop();
    await dest?.stop();
  }, 60_000);

  it(req('CORE-PEER-005', 'peer', 'dump, restore into a fresh server, identical SHOW CREATE TABLE and rows'), async () => {
    const dump = await runCommand('mariadb-dump', [...cliTcpArgs(source), SOURCE_DB], { timeoutMs: 60_000 });
    expect(dump.stderr).toBe('');
    expect(dump.code).toBe(0);
    expect(dump.stdout).toContain('CREATE TABLE `people`');
    expect(dump.stdout).toContain('INSERT INTO `events` VALUES');
    expect(dump.stdout).toMatch(/-- Dump completed/);

    const restore = await mariadbCli(dest, [TARGET_DB], dump.stdout);
    expect(restore.stderr).toBe('');
    expect(restore.code).toBe(0);

    const names = await tableNames(src, SOURCE_DB);
    expect(names).toEqual(['empty_one', 'events', 'people']);
    expect(await tableNames(dst, TARGET_DB)).toEqual(names);
    for (const t of names) {
      expect(await showCreate(dst, TARGET_DB, t), `SHOW CREATE TABLE ${t}`).toBe(await showCreate(src, SOURCE_DB, t));
      expect(await contents(dst, TARGET_DB, t), `rows of ${t}`).toBe(await contents(src, SOURCE_DB, t));
    }
  }, 120_000);

  it(req('CORE-PEER-005', 'wire', 'restored AUTO_INCREMENT table keeps numbering after the dumped rows'), async () => {
    await dst.query(`INSERT INTO ${TARGET_DB}.people (name) VALUES ('next')`);
    const [rows] = await dst.query({ sql: `SELECT id FROM ${TARGET_DB}.people WHERE name = 'next'`, rowsAsArray: true });
    expect(String((rows as unknown[][])[0]?.[0])).toBe('5');
  });

  it(
    req(['CORE-PEER-005', 'INNODB-BAK-006'], 'peer', '--single-transaction dumps only committed rows while another transaction has uncommitted changes'),
    async () => {
      const plain = await runCommand('mariadb-dump', [...cliTcpArgs(source), '--skip-comments', SOURCE_DB], { timeoutMs: 60_000 });
      expect(plain.code).toBe(0);
      // Another session changes every table and keeps its transaction open.
      const writer = await source.connect({ database: SOURCE_DB });
      try {
        await writer.query('BEGIN');
        await writer.query('UPDATE people SET balance = balance - 1');
        await writer.query("INSERT INTO events VALUES (3, 3, '2024-03-01 00:00:00', 'in', NULL, NULL)");
        await writer.query('INSERT INTO empty_one (a) VALUES (1)');
        const snap = await runCommand('mariadb-dump', [...cliTcpArgs(source), '--skip-comments', '--single-transaction', SOURCE_DB], {
          timeoutMs: 30_000,
        });
        expect(snap.stderr).toBe('');
        expect(snap.code).toBe(0);
        // Only committed rows: the text equals the dump taken before the writer began (the
        // replay side, with its LOCK TABLES ... WRITE, is the same text either way).
        expect(snap.stdout).toBe(plain.stdout);
        await writer.query('ROLLBACK');
      } finally {
        await writer.end().catch(() => undefined);
      }
    },
    60_000,
  );

  it(req('CORE-PEER-005', 'peer', '--no-data dumps only the structure'), async () => {
    const dump = await runCommand('mariadb-dump', [...cliTcpArgs(source), '--no-data', SOURCE_DB, 'people'], {
      timeoutMs: 60_000,
    });
    expect(dump.code).toBe(0);
    expect(dump.stdout).toContain('CREATE TABLE `people`');
    expect(dump.stdout).not.toContain('INSERT INTO');
  });
});
