/**
 * Small SQL-layer differences from MySQL 8.0 that MariaDB's mtr innodb suite found (see
 * spec/peers-mtr-innodb.md): the BINARY attribute of a text type, and a name after PRIMARY KEY.
 */
import type mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { req } from '../helpers/req.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let srv: TestServer;
let c: mysql.Connection;

async function rows(sql: string): Promise<unknown[][]> {
  const [r] = await c.query({ sql, rowsAsArray: true });
  return r as unknown[][];
}

beforeAll(async () => {
  srv = await startTestServer();
  c = await srv.connect();
  await c.query('CREATE DATABASE mf');
  await c.query('USE mf');
});

afterAll(async () => {
  await c?.end();
  await srv?.stop();
});

describe('mtr innodb findings', () => {
  it(req(['CORE-SQL-027', 'CORE-DDL-002'], 'wire', 'VARCHAR(n) BINARY takes the _bin collation of the column or table character set'), async () => {
    // innodb.innodb_autoinc_lock_mode_zero: `ggid varchar(32) binary DEFAULT '' NOT NULL`
    await c.query(
      "CREATE TABLE b (g VARCHAR(32) BINARY DEFAULT '' NOT NULL, l CHAR(4) CHARACTER SET latin1 BINARY, t TEXT BINARY, UNIQUE KEY (g)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4",
    );
    expect(await rows("SELECT COLUMN_NAME, COLLATION_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = 'mf' AND TABLE_NAME = 'b' ORDER BY ORDINAL_POSITION")).toEqual([
      ['g', 'utf8mb4_bin'],
      ['l', 'latin1_bin'],
      ['t', 'utf8mb4_bin'],
    ]);
    // A binary collation tells 'a' from 'A'.
    await c.query("INSERT INTO b (g) VALUES ('a'), ('A')");
    expect(await rows("SELECT COUNT(*) FROM b WHERE g = 'a'")).toEqual([[1]]);
  });

  it(req('CORE-SQL-026', 'wire', 'ALTER TABLE ... ADD PRIMARY KEY name (cols) adds the key PRIMARY'), async () => {
    // innodb.innodb_bug51378: `alter table bug51378 add primary key idx3(col1, col2(31))`
    await c.query('CREATE TABLE p (col1 INT NOT NULL, col2 VARCHAR(40) NOT NULL) ENGINE=InnoDB');
    await c.query('ALTER TABLE p ADD PRIMARY KEY idx3 (col1, col2(31))');
    expect(await rows("SELECT INDEX_NAME, COLUMN_NAME, SUB_PART FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = 'mf' AND TABLE_NAME = 'p' ORDER BY SEQ_IN_INDEX")).toEqual([
      ['PRIMARY', 'col1', null],
      ['PRIMARY', 'col2', 31],
    ]);
  });
});
