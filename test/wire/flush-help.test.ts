/**
 * FLUSH STATUS / HOSTS / PRIVILEGES / TABLES and their RELOAD privilege, the log and help tables
 * of the `mysql` schema (their definitions, and their creation in a data directory that lacks
 * them), and HELP over the wire (mysql2 over the Unix socket).
 */
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type mysql from 'mysql2/promise';
import { req } from '../helpers/req.js';
import { initializedDatadir, startTestServer, type TestServer } from '../helpers/server.js';
import { errorOf } from '../helpers/sql.js';

let srv: TestServer;
let c: mysql.Connection;

async function showCreate(conn: mysql.Connection, table: string): Promise<string> {
  const [rows] = await conn.query<mysql.RowDataPacket[]>(`SHOW CREATE TABLE ${table}`);
  return String(rows[0]!['Create Table']);
}

beforeAll(async () => {
  srv = await startTestServer();
  c = await srv.connect({ socket: true });
  await c.query("CREATE USER 'noreload'@'localhost'");
  await c.query("GRANT SELECT ON *.* TO 'noreload'@'localhost'");
});

afterAll(async () => {
  await c?.end();
  await srv?.stop();
});

describe('FLUSH', () => {
  it(req(['CORE-LOG-024#ok'], 'wire', 'FLUSH STATUS, HOSTS, PRIVILEGES and TABLES succeed'), async () => {
    for (const s of ['FLUSH STATUS', 'FLUSH HOSTS', 'FLUSH PRIVILEGES', 'FLUSH TABLES', 'FLUSH LOCAL STATUS, HOSTS', 'FLUSH NO_WRITE_TO_BINLOG TABLES']) {
      const [r] = await c.query<mysql.ResultSetHeader>(s);
      expect([s, r.affectedRows, r.warningStatus]).toEqual([s, 0, 0]);
    }
  });

  it(req(['CORE-LOG-024#e1227'], 'wire', 'without RELOAD every FLUSH fails with 1227'), async () => {
    const u = await srv.connect({ socket: true, user: 'noreload' });
    try {
      for (const s of ['FLUSH STATUS', 'FLUSH HOSTS', 'FLUSH PRIVILEGES', 'FLUSH TABLES', 'FLUSH LOGS', 'FLUSH GENERAL LOGS']) {
        const e = await errorOf(u.query(s));
        expect([s, e.errno, e.sqlState, e.message]).toEqual([s, 1227, '42000', 'Access denied; you need (at least one of) the RELOAD privilege(s) for this operation']);
      }
    } finally {
      await u.end();
    }
  });

  it(req(['CORE-LOG-024#status'], 'wire', "FLUSH STATUS zeroes the session's counters"), async () => {
    const k = await srv.connect({ socket: true });
    try {
      for (let i = 0; i < 4; i++) await k.query('SELECT 1');
      const count = async (): Promise<number> => Number((await k.query<mysql.RowDataPacket[]>("SHOW SESSION STATUS LIKE 'Com_select'"))[0][0]!['Value']);
      expect(await count()).toBeGreaterThanOrEqual(4);
      await k.query('FLUSH STATUS');
      expect(await count()).toBe(0);
      await k.query('SELECT 2');
      expect(await count()).toBe(1);
    } finally {
      await k.end();
    }
  });
});

describe('log and help tables', () => {
  it(req(['CORE-LOG-025#show-create'], 'wire', "SHOW CREATE TABLE prints MySQL 8.0's definitions of the log tables"), async () => {
    expect(await showCreate(c, 'mysql.general_log')).toBe(
      'CREATE TABLE `general_log` (\n' +
        '  `event_time` timestamp(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),\n' +
        '  `user_host` mediumtext NOT NULL,\n' +
        '  `thread_id` bigint unsigned NOT NULL,\n' +
        '  `server_id` int unsigned NOT NULL,\n' +
        '  `command_type` varchar(64) NOT NULL,\n' +
        '  `argument` mediumblob NOT NULL\n' +
        ") ENGINE=CSV DEFAULT CHARSET=utf8mb3 COMMENT='General log'",
    );
    expect(await showCreate(c, 'mysql.slow_log')).toBe(
      'CREATE TABLE `slow_log` (\n' +
        '  `start_time` timestamp(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),\n' +
        '  `user_host` mediumtext NOT NULL,\n' +
        '  `query_time` time(6) NOT NULL,\n' +
        '  `lock_time` time(6) NOT NULL,\n' +
        '  `rows_sent` int NOT NULL,\n' +
        '  `rows_examined` int NOT NULL,\n' +
        '  `db` varchar(512) NOT NULL,\n' +
        '  `last_insert_id` int NOT NULL,\n' +
        '  `insert_id` int NOT NULL,\n' +
        '  `server_id` int unsigned NOT NULL,\n' +
        '  `sql_text` mediumblob NOT NULL,\n' +
        '  `thread_id` bigint unsigned NOT NULL\n' +
        ") ENGINE=CSV DEFAULT CHARSET=utf8mb3 COMMENT='Slow log'",
    );
  });

  it(req(['CORE-LOG-031'], 'wire', "the help tables have MySQL 8.0's columns and keys and are empty"), async () => {
    expect(await showCreate(c, 'mysql.help_topic')).toBe(
      'CREATE TABLE `help_topic` (\n' +
        '  `help_topic_id` int unsigned NOT NULL,\n' +
        '  `name` char(64) NOT NULL,\n' +
        '  `help_category_id` smallint unsigned NOT NULL,\n' +
        '  `description` text NOT NULL,\n' +
        '  `example` text NOT NULL,\n' +
        '  `url` text NOT NULL,\n' +
        '  PRIMARY KEY (`help_topic_id`),\n' +
        '  UNIQUE KEY `name` (`name`)\n' +
        ") ENGINE=InnoDB DEFAULT CHARSET=utf8mb3 STATS_PERSISTENT=0 ROW_FORMAT=DYNAMIC COMMENT='help topics'",
    );
    expect(await showCreate(c, 'mysql.help_category')).toContain('  `parent_category_id` smallint unsigned DEFAULT NULL,\n');
    expect(await showCreate(c, 'mysql.help_keyword')).toContain("  UNIQUE KEY `name` (`name`)\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb3 STATS_PERSISTENT=0 ROW_FORMAT=DYNAMIC COMMENT='help keywords'");
    expect(await showCreate(c, 'mysql.help_relation')).toContain('  PRIMARY KEY (`help_keyword_id`,`help_topic_id`)\n');
    const [rows] = await c.query<mysql.RowDataPacket[]>(
      'SELECT (SELECT COUNT(*) FROM mysql.help_topic) + (SELECT COUNT(*) FROM mysql.help_category) + (SELECT COUNT(*) FROM mysql.help_keyword) + (SELECT COUNT(*) FROM mysql.help_relation) AS n',
    );
    expect(Number(rows[0]!['n'])).toBe(0);
  });

  it(req(['CORE-LOG-025#restart'], 'wire', 'a data directory without the log and help tables gets them at its next start'), async () => {
    const d = await initializedDatadir();
    try {
      const first = await startTestServer({ datadir: d.datadir });
      const k = await first.connect({ socket: true });
      await k.query('DROP TABLE mysql.general_log, mysql.slow_log, mysql.help_topic');
      const [gone] = await k.query<mysql.RowDataPacket[]>("SELECT COUNT(*) AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'mysql' AND TABLE_NAME IN ('general_log', 'slow_log', 'help_topic')");
      expect(Number(gone[0]!['n'])).toBe(0);
      await k.end();
      await first.stop();
      const second = await startTestServer({ datadir: d.datadir });
      const k2 = await second.connect({ socket: true });
      const [back] = await k2.query<mysql.RowDataPacket[]>(
        "SELECT TABLE_NAME AS t, ENGINE AS e FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'mysql' AND TABLE_NAME IN ('general_log', 'slow_log', 'help_topic') ORDER BY TABLE_NAME",
      );
      expect(back.map((r) => [r['t'], r['e']])).toEqual([
        ['general_log', 'CSV'],
        ['help_topic', 'InnoDB'],
        ['slow_log', 'CSV'],
      ]);
      await k2.query("SET GLOBAL log_output = 'TABLE'");
      await k2.query('SET GLOBAL general_log = ON');
      await k2.query('SELECT 1 AS into_recreated');
      await k2.query('SET GLOBAL general_log = OFF');
      const [rows] = await k2.query<mysql.RowDataPacket[]>("SELECT COUNT(*) AS n FROM mysql.general_log WHERE argument = 'SELECT 1 AS into_recreated'");
      expect(Number(rows[0]!['n'])).toBe(1);
      await k2.end();
      await second.stop();
    } finally {
      rmSync(d.parent, { recursive: true, force: true });
    }
  });
});

describe('HELP', () => {
  it(req(['CORE-LOG-030#empty'], 'wire', 'nothing found: an empty result with the columns name and is_it_category'), async () => {
    const [rows, fields] = await c.query<mysql.RowDataPacket[]>("HELP 'contents'");
    expect(rows).toEqual([]);
    expect(fields.map((f) => f.name)).toEqual(['name', 'is_it_category']);
    const [rows2] = await c.query<mysql.RowDataPacket[]>('HELP "%"');
    expect(rows2).toEqual([]);
  });

  it(req(['CORE-LOG-030#lock-tables'], 'wire', 'HELP answers under LOCK TABLES; a plain SELECT of the help tables is still 1100'), async () => {
    await c.query('CREATE DATABASE IF NOT EXISTS helpdb');
    await c.query('CREATE TABLE IF NOT EXISTS helpdb.t (a INT)');
    await c.query('LOCK TABLES helpdb.t READ');
    try {
      const [rows, fields] = await c.query<mysql.RowDataPacket[]>("HELP 'contents'");
      expect([rows, fields.map((f) => f.name)]).toEqual([[], ['name', 'is_it_category']]);
      expect((await errorOf(c.query('SELECT * FROM mysql.help_topic'))).errno).toBe(1100);
    } finally {
      await c.query('UNLOCK TABLES');
    }
  });

  it(req(['CORE-LOG-030#syntax'], 'wire', 'HELP takes one string or identifier; none or two are 1064'), async () => {
    for (const s of ['HELP', "HELP 'a' 'b'", 'HELP a b', 'HELP 1']) {
      const e = await errorOf(c.query(s));
      expect([s, e.errno]).toEqual([s, 1064]);
    }
    const [rows, fields] = await c.query<mysql.RowDataPacket[]>('HELP contents');
    expect([rows, fields.map((f) => f.name)]).toEqual([[], ['name', 'is_it_category']]);
  });

  it(req(['CORE-LOG-030#topic', 'CORE-LOG-030#list'], 'wire', 'with rows in the help tables: one topic, a list, a category'), async () => {
    await c.query("INSERT INTO mysql.help_category VALUES (1, 'Things', NULL, ''), (2, 'Sub things', 1, '')");
    await c.query("INSERT INTO mysql.help_topic VALUES (10, 'ALPHA', 1, 'first made-up topic', 'ALPHA 1', ''), (11, 'ALPHABET', 1, 'second made-up topic', 'ALPHABET 2', '')");
    await c.query("INSERT INTO mysql.help_keyword VALUES (100, 'LETTERS')");
    await c.query('INSERT INTO mysql.help_relation VALUES (11, 100)');
    try {
      const [one, f1] = await c.query<mysql.RowDataPacket[]>("HELP 'alpha'");
      expect(f1.map((f) => f.name)).toEqual(['name', 'description', 'example']);
      expect(one.map((r) => [r['name'], r['description'], r['example']])).toEqual([['ALPHA', 'first made-up topic', 'ALPHA 1']]);
      const [list, f2] = await c.query<mysql.RowDataPacket[]>("HELP 'alpha%'");
      expect(f2.map((f) => f.name)).toEqual(['name', 'is_it_category']);
      expect(list.map((r) => [r['name'], r['is_it_category']])).toEqual([['ALPHA', 'N'], ['ALPHABET', 'N']]);
      const [kw] = await c.query<mysql.RowDataPacket[]>("HELP 'letters'");
      expect(kw.map((r) => r['name'])).toEqual(['ALPHABET']);
      const [cat, f3] = await c.query<mysql.RowDataPacket[]>("HELP 'things'");
      expect(f3.map((f) => f.name)).toEqual(['source_category_name', 'name', 'is_it_category']);
      expect(cat.map((r) => [r['source_category_name'], r['name'], r['is_it_category']])).toEqual([
        ['Things', 'ALPHA', 'N'],
        ['Things', 'ALPHABET', 'N'],
        ['Things', 'Sub things', 'Y'],
      ]);
    } finally {
      await c.query('DELETE FROM mysql.help_relation');
      await c.query('DELETE FROM mysql.help_keyword');
      await c.query('DELETE FROM mysql.help_topic');
      await c.query('DELETE FROM mysql.help_category');
    }
  });
});
