/**
 * InnoDB limits and restrictions (manual 15.22, 15.23) over the wire with mysql2: the exact
 * errno, SQLSTATE and message MySQL 8.0 gives for each limit of an ENGINE=InnoDB table at the
 * default 16 KB page size, and the boundary cases that must be accepted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type mysql from 'mysql2/promise';
import { req } from '../helpers/req.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { failureOf, type ServerError } from '../helpers/sql.js';

/** `c1 <type>, c2 <type>, ...` */
function columns(n: number, type: string, prefix = 'c'): string {
  return Array.from({ length: n }, (_, i) => `${prefix}${i + 1} ${type}`).join(', ');
}

function pick(e: ServerError): { errno: number; sqlState: string; sqlMessage: string } {
  return { errno: e.errno, sqlState: e.sqlState, sqlMessage: e.sqlMessage };
}

const tooLong = (n: number) => ({ errno: 1071, sqlState: '42000', sqlMessage: `Specified key was too long; max key length is ${n} bytes` });
const TOO_MANY_COLUMNS = { errno: 1117, sqlState: 'HY000', sqlMessage: 'Too many columns' };
const ROW_65535 = {
  errno: 1118,
  sqlState: '42000',
  sqlMessage: 'Row size too large. The maximum row size for the used table type, not counting BLOBs, is 65535. This includes storage overhead, check the manual. You have to change some columns to TEXT or BLOBs',
};
const ROW_8126 = {
  errno: 1118,
  sqlState: '42000',
  sqlMessage: 'Row size too large (> 8126). Changing some columns to TEXT or BLOB may help. In current row format, BLOB prefix of 0 bytes is stored inline.',
};

describe('InnoDB limits and restrictions (15.22, 15.23)', () => {
  let srv: TestServer;
  let c: mysql.Connection;
  let n = 0;
  /** A fresh table name per statement, so accepted definitions never collide. */
  const t = (): string => `t${++n}`;
  const err = async (sql: string) => pick(await failureOf(c.query(sql)));
  const warnings = async () => {
    const [rows] = await c.query<mysql.RowDataPacket[]>('SHOW WARNINGS');
    return rows.map((r) => [r['Level'], r['Code'], r['Message']]);
  };

  beforeAll(async () => {
    srv = await startTestServer();
    c = await srv.connect();
    await c.query('CREATE DATABASE lim');
    await c.query('USE lim');
  });

  afterAll(async () => {
    await c?.end();
    await srv?.stop();
  });

  it(req(['INNODB-LIMIT-022'], 'wire', 'the default instance has 16 KB pages and strict mode'), async () => {
    const [rows] = await c.query<mysql.RowDataPacket[]>('SELECT @@innodb_page_size AS p, @@innodb_strict_mode AS s');
    expect([Number(rows[0]!['p']), Number(rows[0]!['s'])]).toEqual([16384, 1]);
  });

  it(req(['INNODB-LIMIT-001'], 'wire', '1017 columns ok; 1018, or 1016 + 2 VIRTUAL generated, give 1117'), async () => {
    await c.query(`CREATE TABLE ${t()} (${columns(1017, 'INT')}) ENGINE=InnoDB`);
    expect(await err(`CREATE TABLE ${t()} (${columns(1018, 'INT')}) ENGINE=InnoDB`)).toEqual(TOO_MANY_COLUMNS);
    expect(await err(`CREATE TABLE ${t()} (${columns(1016, 'INT')}, v1 INT AS (c1 + 1) VIRTUAL, v2 INT AS (c2 + 1) VIRTUAL) ENGINE=InnoDB`)).toEqual(TOO_MANY_COLUMNS);
  });

  it(req(['INNODB-LIMIT-002'], 'wire', '64 keys per table counting the PRIMARY KEY, from CREATE TABLE and ALTER TABLE ... ADD INDEX'), async () => {
    const keys = (k: number) => Array.from({ length: k }, (_, i) => `KEY k${i + 1} (c${i + 1})`).join(', ');
    const tooMany = { errno: 1069, sqlState: '42000', sqlMessage: 'Too many keys specified; max 64 keys allowed' };
    const withPk = t();
    await c.query(`CREATE TABLE ${withPk} (id INT PRIMARY KEY, ${columns(64, 'INT')}, ${keys(63)}) ENGINE=InnoDB`);
    expect(await err(`ALTER TABLE ${withPk} ADD INDEX k64 (c64)`)).toEqual(tooMany);
    expect(await err(`CREATE TABLE ${t()} (id INT PRIMARY KEY, ${columns(64, 'INT')}, ${keys(64)}) ENGINE=InnoDB`)).toEqual(tooMany);
    const noPk = t();
    await c.query(`CREATE TABLE ${noPk} (${columns(65, 'INT')}, ${keys(64)}) ENGINE=InnoDB`);
    expect(await err(`ALTER TABLE ${noPk} ADD INDEX k65 (c65)`)).toEqual(tooMany);
  });

  it(req(['INNODB-LIMIT-003'], 'wire', 'DYNAMIC: a utf8mb4 prefix of 768 characters ok, 769 gives 1071 ... 3072 bytes'), async () => {
    await c.query(`CREATE TABLE ${t()} (c TEXT, KEY (c(768))) ENGINE=InnoDB CHARACTER SET utf8mb4`);
    expect(await err(`CREATE TABLE ${t()} (c TEXT, KEY (c(769))) ENGINE=InnoDB CHARACTER SET utf8mb4`)).toEqual(tooLong(3072));
    expect(await err(`CREATE TABLE ${t()} (c VARCHAR(1000), KEY (c(769))) ENGINE=InnoDB ROW_FORMAT=DYNAMIC CHARACTER SET utf8mb4`)).toEqual(tooLong(3072));
  });

  it(req(['INNODB-LIMIT-004'], 'wire', 'REDUNDANT/COMPACT: prefix 191 utf8mb4 ok, 192 gives 1071 ... 767 bytes'), async () => {
    for (const rf of ['COMPACT', 'REDUNDANT']) {
      await c.query(`CREATE TABLE ${t()} (c TEXT, KEY (c(191))) ENGINE=InnoDB ROW_FORMAT=${rf} CHARACTER SET utf8mb4`);
      expect(await err(`CREATE TABLE ${t()} (c TEXT, KEY (c(192))) ENGINE=InnoDB ROW_FORMAT=${rf} CHARACTER SET utf8mb4`)).toEqual(tooLong(767));
    }
  });

  it(req(['INNODB-LIMIT-004'], 'wire', 'COMPACT from innodb_default_row_format: 1709 Index column size too large'), async () => {
    await c.query('SET GLOBAL innodb_default_row_format = COMPACT');
    try {
      await c.query(`CREATE TABLE ${t()} (c TEXT, KEY (c(191))) ENGINE=InnoDB CHARACTER SET utf8mb4`);
      expect(await err(`CREATE TABLE ${t()} (c TEXT, KEY (c(192))) ENGINE=InnoDB CHARACTER SET utf8mb4`)).toEqual({
        errno: 1709,
        sqlState: 'HY000',
        sqlMessage: 'Index column size too large. The maximum column size is 767 bytes.',
      });
    } finally {
      await c.query('SET GLOBAL innodb_default_row_format = DYNAMIC');
    }
  });

  it(req(['INNODB-LIMIT-006', 'INNODB-LIMIT-007'], 'wire', '16 KB pages: whole-column keys up to 3072 bytes (utf8mb4 VARCHAR(768) ok, 769 not)'), async () => {
    await c.query(`CREATE TABLE ${t()} (c VARCHAR(768), KEY (c)) ENGINE=InnoDB CHARACTER SET utf8mb4`);
    expect(await err(`CREATE TABLE ${t()} (c VARCHAR(769), KEY (c)) ENGINE=InnoDB CHARACTER SET utf8mb4`)).toEqual(tooLong(3072));
    expect(await err(`CREATE TABLE ${t()} (c VARCHAR(192), KEY (c)) ENGINE=InnoDB ROW_FORMAT=COMPACT CHARACTER SET utf8mb4`)).toEqual(tooLong(767));
  });

  it(req(['INNODB-LIMIT-008'], 'wire', '16 key parts ok; 17 give exactly ERROR 1070 (42000): Too many key parts specified; max 16 parts allowed'), async () => {
    const parts = (k: number) => Array.from({ length: k }, (_, i) => `c${i + 1}`).join(', ');
    await c.query(`CREATE TABLE ${t()} (${columns(17, 'INT')}, KEY (${parts(16)})) ENGINE=InnoDB`);
    expect(await err(`CREATE TABLE ${t()} (${columns(17, 'INT')}, KEY (${parts(17)})) ENGINE=InnoDB`)).toEqual({
      errno: 1070,
      sqlState: '42000',
      sqlMessage: 'Too many key parts specified; max 16 parts allowed',
    });
  });

  it(req(['INNODB-LIMIT-009'], 'wire', 'innodb_strict_mode: 31 CHAR(255) latin1 ok, 32 give 1118 (> 8126); without strict mode a warning'), async () => {
    await c.query(`CREATE TABLE ${t()} (${columns(31, 'CHAR(255)')}) ENGINE=InnoDB CHARACTER SET latin1`);
    expect(await err(`CREATE TABLE ${t()} (${columns(32, 'CHAR(255)')}) ENGINE=InnoDB CHARACTER SET latin1`)).toEqual(ROW_8126);
    expect(await err(`CREATE TABLE ${t()} (${columns(32, 'CHAR(255)')}) ENGINE=InnoDB ROW_FORMAT=COMPACT CHARACTER SET latin1`)).toEqual({
      errno: 1118,
      sqlState: '42000',
      sqlMessage: 'Row size too large (> 8126). Changing some columns to TEXT or BLOB or using ROW_FORMAT=DYNAMIC or ROW_FORMAT=COMPRESSED may help. In current row format, BLOB prefix of 768 bytes is stored inline.',
    });
    await c.query('SET SESSION innodb_strict_mode = OFF');
    try {
      await c.query(`CREATE TABLE ${t()} (${columns(32, 'CHAR(255)')}) ENGINE=InnoDB CHARACTER SET latin1`);
      expect(await warnings()).toEqual([
        ['Warning', 139, 'Row size too large (> 8126). Changing some columns to TEXT or BLOB may help. In current row format, BLOB prefix of 0 bytes is stored inline.'],
      ]);
    } finally {
      await c.query('SET SESSION innodb_strict_mode = ON');
    }
  });

  it(req(['INNODB-LIMIT-011'], 'wire', 'a DYNAMIC row of 10 x 1900 bytes (about 19 KB) is stored and read back exactly'), async () => {
    const name = t();
    await c.query(`CREATE TABLE ${name} (id INT PRIMARY KEY, ${columns(10, 'VARCHAR(2000)')}) ENGINE=InnoDB ROW_FORMAT=DYNAMIC CHARACTER SET latin1`);
    const values = Array.from({ length: 10 }, (_, i) => String.fromCharCode(97 + i).repeat(1900));
    await c.query(`INSERT INTO ${name} VALUES (1, ${values.map(() => '?').join(', ')})`, values);
    const [rows] = await c.query<mysql.RowDataPacket[]>(`SELECT ${Array.from({ length: 10 }, (_, i) => `c${i + 1}`).join(', ')} FROM ${name} WHERE id = 1`);
    expect(Object.values(rows[0]!)).toEqual(values);
  });

  it(req(['INNODB-LIMIT-012'], 'wire', '65,535 declared bytes: VARCHAR(65533) NOT NULL latin1 ok; nullable, or 2 x VARCHAR(32766), give 1118'), async () => {
    await c.query(`CREATE TABLE ${t()} (a VARCHAR(65533) NOT NULL) ENGINE=InnoDB CHARACTER SET latin1`);
    expect(await err(`CREATE TABLE ${t()} (a VARCHAR(65533)) ENGINE=InnoDB CHARACTER SET latin1`)).toEqual(ROW_65535);
    expect(await err(`CREATE TABLE ${t()} (a VARCHAR(32766), b VARCHAR(32766)) ENGINE=InnoDB CHARACTER SET latin1`)).toEqual(ROW_65535);
  });

  it(req(['INNODB-RESTR-001'], 'wire', 'DB_ROW_ID, DB_TRX_ID, DB_ROLL_PTR in any lettercase: ERROR 1166 (42000) echoing the name'), async () => {
    for (const name of ['db_row_id', 'DB_ROW_ID', 'Db_Row_Id', 'db_trx_id', 'DB_TRX_ID', 'Db_Trx_Id', 'db_roll_ptr', 'DB_ROLL_PTR', 'dB_rOlL_pTr']) {
      expect(await err(`CREATE TABLE ${t()} (c1 INT, ${name} INT) ENGINE=INNODB`)).toEqual({
        errno: 1166,
        sqlState: '42000',
        sqlMessage: `Incorrect column name '${name}'`,
      });
    }
    const name = t();
    await c.query(`CREATE TABLE ${name} (c1 INT) ENGINE=InnoDB`);
    expect(await err(`ALTER TABLE ${name} ADD COLUMN DB_TRX_ID INT`)).toEqual({ errno: 1166, sqlState: '42000', sqlMessage: "Incorrect column name 'DB_TRX_ID'" });
    const [cols] = await c.query<mysql.RowDataPacket[]>(`SHOW COLUMNS FROM ${name}`);
    expect(cols.map((r) => r['Field'])).toEqual(['c1']);
  });
});
