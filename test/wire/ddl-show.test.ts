/**
 * SHOW statements, DESCRIBE, information_schema and maintenance statements over the wire.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type mysql from 'mysql2/promise';
import { req } from '../helpers/req.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let srv: TestServer;
let c: mysql.Connection;

async function q(sql: string): Promise<[mysql.RowDataPacket[], mysql.FieldPacket[]]> {
  return c.query<mysql.RowDataPacket[]>(sql);
}

beforeAll(async () => {
  srv = await startTestServer();
  c = await srv.connect();
  await c.query('CREATE DATABASE s');
  await c.query('USE s');
  await c.query(
    "CREATE TABLE t (id INT UNSIGNED NOT NULL AUTO_INCREMENT, name VARCHAR(30) NOT NULL DEFAULT 'n', price DECIMAL(8,2) DEFAULT '1.50', " +
      "flag TINYINT(1) DEFAULT 0, ts TIMESTAMP NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP, e ENUM('a','b') DEFAULT 'a', " +
      'PRIMARY KEY (id), KEY name_idx (name(10)), UNIQUE KEY (price, flag)) ENGINE=MEMORY COMMENT=\'hello\'',
  );
});

afterAll(async () => {
  await c?.end();
  await srv?.stop();
});

describe('SHOW', () => {
  it(req(['CORE-SHOW-003'], 'wire', 'SHOW CREATE TABLE with defaults, ON UPDATE, prefixes, key order and comment'), async () => {
    const [r, f] = await q('SHOW CREATE TABLE t');
    expect(f.map((x) => x.name)).toEqual(['Table', 'Create Table']);
    expect(r[0]!['Create Table']).toBe(
      'CREATE TABLE `t` (\n' +
        '  `id` int unsigned NOT NULL AUTO_INCREMENT,\n' +
        "  `name` varchar(30) NOT NULL DEFAULT 'n',\n" +
        "  `price` decimal(8,2) DEFAULT '1.50',\n" +
        "  `flag` tinyint(1) DEFAULT '0',\n" +
        '  `ts` timestamp NULL DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP,\n' +
        "  `e` enum('a','b') DEFAULT 'a',\n" +
        '  PRIMARY KEY (`id`),\n' +
        '  UNIQUE KEY `price` (`price`,`flag`),\n' +
        '  KEY `name_idx` (`name`(10))\n' +
        ") ENGINE=MEMORY DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci COMMENT='hello'",
    );
  });

  it(req(['CORE-SHOW-005', 'CORE-IS-003'], 'wire', 'SHOW COLUMNS / DESCRIBE / information_schema.COLUMNS agree'), async () => {
    const [r, f] = await q('SHOW COLUMNS FROM t');
    expect(f.map((x) => x.name)).toEqual(['Field', 'Type', 'Null', 'Key', 'Default', 'Extra']);
    expect(r.map((x) => [x['Field'], x['Type'], x['Null'], x['Key'], x['Default'], x['Extra']])).toEqual([
      ['id', 'int unsigned', 'NO', 'PRI', null, 'auto_increment'],
      ['name', 'varchar(30)', 'NO', 'MUL', 'n', ''],
      ['price', 'decimal(8,2)', 'YES', 'MUL', '1.50', ''],
      ['flag', 'tinyint(1)', 'YES', '', '0', ''],
      ['ts', 'timestamp', 'YES', '', 'CURRENT_TIMESTAMP', 'DEFAULT_GENERATED on update CURRENT_TIMESTAMP'],
      ['e', "enum('a','b')", 'YES', '', 'a', ''],
    ]);
    const [d] = await q('DESCRIBE t');
    expect(d).toEqual(r);
    const [full, ff] = await q("SHOW FULL COLUMNS FROM t LIKE 'na%'");
    expect(ff.map((x) => x.name)).toEqual(['Field', 'Type', 'Collation', 'Null', 'Key', 'Default', 'Extra', 'Privileges', 'Comment']);
    expect(full.map((x) => [x['Field'], x['Collation']])).toEqual([['name', 'utf8mb4_0900_ai_ci']]);
    const [is] = await q("SELECT COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_KEY, DATA_TYPE, CHARACTER_MAXIMUM_LENGTH FROM information_schema.COLUMNS WHERE TABLE_SCHEMA='s' AND TABLE_NAME='t' ORDER BY ORDINAL_POSITION");
    expect(is.map((x) => x['COLUMN_TYPE'])).toEqual(r.map((x) => x['Type']));
    expect(is[1]).toMatchObject({ DATA_TYPE: 'varchar', CHARACTER_MAXIMUM_LENGTH: 30 });
  });

  it(req(['CORE-SHOW-006'], 'wire', 'SHOW INDEX rows'), async () => {
    const [r, f] = await q('SHOW INDEX FROM t');
    expect(f.map((x) => x.name)).toEqual(['Table', 'Non_unique', 'Key_name', 'Seq_in_index', 'Column_name', 'Collation', 'Cardinality', 'Sub_part', 'Packed', 'Null', 'Index_type', 'Comment', 'Index_comment', 'Visible', 'Expression']);
    expect(r.map((x) => [x['Key_name'], x['Seq_in_index'], x['Column_name'], x['Non_unique'], x['Sub_part'], x['Null'], x['Index_type']])).toEqual([
      ['PRIMARY', 1, 'id', 0, null, '', 'HASH'],
      ['price', 1, 'price', 0, null, 'YES', 'HASH'],
      ['price', 2, 'flag', 0, null, 'YES', 'HASH'],
      ['name_idx', 1, 'name', 1, 10, '', 'HASH'],
    ]);
  });

  it(req(['CORE-SHOW-007'], 'wire', 'SHOW TABLE STATUS columns and values'), async () => {
    await c.query("INSERT INTO t (name, price) VALUES ('a', 1), ('b', 2)");
    const [r, f] = await q("SHOW TABLE STATUS LIKE 't'");
    expect(f.map((x) => x.name)).toEqual(['Name', 'Engine', 'Version', 'Row_format', 'Rows', 'Avg_row_length', 'Data_length', 'Max_data_length', 'Index_length', 'Data_free', 'Auto_increment', 'Create_time', 'Update_time', 'Check_time', 'Collation', 'Checksum', 'Create_options', 'Comment']);
    expect(r[0]).toMatchObject({ Name: 't', Engine: 'MEMORY', Version: 10, Row_format: 'Fixed', Rows: 2, Auto_increment: 3, Collation: 'utf8mb4_0900_ai_ci', Comment: 'hello' });
  });

  it(req(['CORE-SHOW-001', 'CORE-SHOW-002', 'CORE-SHOW-004'], 'wire', 'SHOW DATABASES/TABLES with LIKE and WHERE, SHOW CREATE DATABASE'), async () => {
    const [dbs, f] = await q("SHOW DATABASES LIKE 's%'");
    expect(f[0]!.name).toBe('Database (s%)');
    expect(dbs.map((x) => Object.values(x)[0])).toEqual(['s', 'sys']);
    await c.query('CREATE TABLE u (i INT)');
    const [tb, tf] = await q('SHOW FULL TABLES');
    expect(tf.map((x) => x.name)).toEqual(['Tables_in_s', 'Table_type']);
    expect(tb.map((x) => [x['Tables_in_s'], x['Table_type']])).toEqual([['t', 'BASE TABLE'], ['u', 'BASE TABLE']]);
    const [w] = await q("SHOW TABLES WHERE Tables_in_s = 'u'");
    expect(w.map((x) => Object.values(x)[0])).toEqual(['u']);
    const [cd] = await q('SHOW CREATE DATABASE s');
    expect(cd[0]!['Create Database']).toBe("CREATE DATABASE `s` /*!40100 DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_0900_ai_ci */ /*!80016 DEFAULT ENCRYPTION='N' */");
    const [cs] = await q("SHOW CHARACTER SET LIKE 'utf8mb4'");
    expect(cs.map((x) => [x['Charset'], x['Default collation'], x['Maxlen']])).toEqual([['utf8mb4', 'utf8mb4_0900_ai_ci', 4]]);
    const [co] = await q("SHOW COLLATION WHERE Collation = 'utf8mb4_bin'");
    expect(co.map((x) => [x['Charset'], x['Id']])).toEqual([['utf8mb4', 46]]);
    const [pl] = await q('SHOW PLUGINS');
    expect(pl.filter((x) => x['Name'] === 'MEMORY').map((x) => [x['Status'], x['Type'], x['Library']])).toEqual([['ACTIVE', 'STORAGE ENGINE', null]]);
  });

  it(req(['ENGINE-LIST-004'], 'wire', 'the DEFAULT row follows the session default_storage_engine'), async () => {
    await c.query("INSTALL PLUGIN example SONAME 'ha_example.so'");
    await c.query('SET SESSION default_storage_engine = EXAMPLE');
    const other = await srv.connect();
    const def = async (conn: mysql.Connection): Promise<string[]> => {
      const [rows] = await conn.query<mysql.RowDataPacket[]>('SHOW ENGINES');
      return rows.filter((r) => r['Support'] === 'DEFAULT').map((r) => String(r['Engine']));
    };
    expect(await def(c)).toEqual(['EXAMPLE']);
    expect(await def(other)).toEqual(['InnoDB']);
    await c.query('CREATE TABLE ex1 (i INT)');
    const [r] = await q("SELECT ENGINE FROM information_schema.TABLES WHERE TABLE_SCHEMA='s' AND TABLE_NAME='ex1'");
    expect(r[0]!['ENGINE']).toBe('EXAMPLE');
    await c.query('DROP TABLE ex1');
    await c.query('SET SESSION default_storage_engine = DEFAULT');
    await other.end();
  });

  it(req(['CORE-IS-006', 'CORE-IS-007', 'CORE-IS-008', 'CORE-SHOW-001'], 'wire', 'performance_schema threads/variables, PROCESSLIST and SHOW ENGINE ... STATUS'), async () => {
    const [th] = await q('SELECT PROCESSLIST_USER, TYPE FROM performance_schema.threads WHERE PROCESSLIST_ID = CONNECTION_ID()');
    expect(th.map((x) => [x['PROCESSLIST_USER'], x['TYPE']])).toEqual([['root', 'FOREGROUND']]);
    const [pl] = await q('SELECT USER, DB FROM information_schema.PROCESSLIST WHERE ID = CONNECTION_ID()');
    expect(pl.map((x) => [x['USER'], x['DB']])).toEqual([['root', 's']]);
    const [gv] = await q("SELECT VARIABLE_VALUE FROM performance_schema.global_variables WHERE VARIABLE_NAME = 'max_heap_table_size'");
    expect(gv.map((x) => x['VARIABLE_VALUE'])).toEqual(['16777216']);
    const [es, ef] = await q('SHOW ENGINE MEMORY STATUS');
    expect(ef.map((x) => x.name)).toEqual(['Type', 'Name', 'Status']);
    expect(es).toEqual([]);
  });

  it(req(['CORE-DDL-018', 'ENGINE-CHOOSE-017'], 'wire', 'CHECK/ANALYZE/OPTIMIZE/CHECKSUM TABLE result sets'), async () => {
    const [a, f] = await q('ANALYZE TABLE t');
    expect(f.map((x) => x.name)).toEqual(['Table', 'Op', 'Msg_type', 'Msg_text']);
    // MEMORY does not implement ANALYZE TABLE in MySQL 8.0 (CORE-DET-001).
    expect(a.map((x) => Object.values(x))).toEqual([['s.t', 'analyze', 'note', "The storage engine for the table doesn't support analyze"]]);
    const [ck] = await q('CHECK TABLE t, nope');
    expect(ck.map((x) => Object.values(x))).toEqual([
      ['s.t', 'check', 'note', "The storage engine for the table doesn't support check"],
      ['s.nope', 'check', 'Error', "Table 's.nope' doesn't exist"],
      ['s.nope', 'check', 'status', 'Operation failed'],
    ]);
    const [cs1] = await q('CHECKSUM TABLE t');
    const [cs2] = await q('CHECKSUM TABLE t');
    expect(cs1).toEqual(cs2);
    expect(typeof cs1[0]!['Checksum']).toBe('number');
  });
});
