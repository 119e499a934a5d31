/**
 * MyISAM limits and variables over the wire: the engine's system variables (defaults, scope,
 * read-only ones, validation, startup options), Max_data_length from myisam_data_pointer_size,
 * MAX_ROWS and AVG_ROW_LENGTH, a full table (1114), and delay_key_write deciding when the .MYI
 * key pages are written.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type mysql from 'mysql2/promise';
import { req } from '../helpers/req.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { errorOf } from '../helpers/sql.js';

let srv: TestServer;
let c: mysql.Connection;

async function q(sql: string, params: unknown[] = []): Promise<mysql.RowDataPacket[]> {
  const [r] = await c.query<mysql.RowDataPacket[]>(sql, params);
  return r;
}

async function status(t: string): Promise<mysql.RowDataPacket> {
  return (await q(`SHOW TABLE STATUS LIKE '${t}'`))[0]!;
}

const myiSize = (t: string): number => statSync(join(srv.datadir, 'lv', `${t}.MYI`)).size;

beforeAll(async () => {
  srv = await startTestServer();
  c = await srv.connect();
  await c.query('CREATE DATABASE lv');
  await c.query('USE lv');
});

afterAll(async () => {
  await c?.end();
  await srv?.stop();
});

const DEFAULTS: [string, string, 'GLOBAL' | 'BOTH', 'dynamic' | 'read-only'][] = [
  ['bulk_insert_buffer_size', '8388608', 'BOTH', 'dynamic'],
  ['concurrent_insert', 'AUTO', 'GLOBAL', 'dynamic'],
  ['delay_key_write', 'ON', 'GLOBAL', 'dynamic'],
  ['have_rtree_keys', 'YES', 'GLOBAL', 'read-only'],
  ['key_buffer_size', '8388608', 'GLOBAL', 'dynamic'],
  ['myisam_data_pointer_size', '6', 'GLOBAL', 'dynamic'],
  ['myisam_max_sort_file_size', '9223372036853727232', 'GLOBAL', 'dynamic'],
  ['myisam_mmap_size', '18446744073709551615', 'GLOBAL', 'read-only'],
  ['myisam_recover_options', 'OFF', 'GLOBAL', 'read-only'],
  ['myisam_repair_threads', '1', 'BOTH', 'dynamic'],
  ['myisam_sort_buffer_size', '8388608', 'BOTH', 'dynamic'],
  ['myisam_stats_method', 'nulls_unequal', 'BOTH', 'dynamic'],
  ['myisam_use_mmap', 'OFF', 'GLOBAL', 'dynamic'],
  ['tmp_table_size', '16777216', 'BOTH', 'dynamic'],
  ['key_cache_age_threshold', '300', 'GLOBAL', 'dynamic'],
  ['key_cache_block_size', '1024', 'GLOBAL', 'dynamic'],
  ['key_cache_division_limit', '100', 'GLOBAL', 'dynamic'],
];

describe('MyISAM system variables', () => {
  it(
    req(['MYISAM-040', 'MYISAM-041', 'MYISAM-042', 'MYISAM-043', 'MYISAM-044', 'MYISAM-047', 'MYISAM-048', 'MYISAM-049', 'MYISAM-050', 'MYISAM-051', 'MYISAM-052', 'MYISAM-053', 'MYISAM-054', 'MYISAM-055'], 'wire', "defaults, scopes and read-only variables as MySQL 8.0.40 has them (1229 for SET SESSION of a global one, 1238 for a read-only one)"),
    async () => {
      for (const [name, dflt, scope, kind] of DEFAULTS) {
        const g = await q(`SHOW GLOBAL VARIABLES LIKE '${name}'`);
        expect(g.map((r) => r['Value']), name).toEqual([dflt]);
        const sess = await q(`SHOW SESSION VARIABLES LIKE '${name}'`);
        expect(sess.length, name).toBe(1);
        if (kind === 'read-only') {
          const e = await errorOf(c.query(`SET GLOBAL ${name} = DEFAULT`));
          expect([e.errno, e.message], name).toEqual([1238, `Variable '${name}' is a read only variable`]);
        } else if (scope === 'GLOBAL') {
          const e = await errorOf(c.query(`SET SESSION ${name} = DEFAULT`));
          expect([e.errno, e.message], name).toEqual([1229, `Variable '${name}' is a GLOBAL variable and should be set with SET GLOBAL`]);
        } else {
          await c.query(`SET SESSION ${name} = DEFAULT`);
        }
      }
      // The manual's misspelled names are not variables.
      expect((await q("SHOW VARIABLES LIKE 'myisam_max_file_size'")).length).toBe(0);
      expect((await errorOf(c.query('SELECT @@myisam_mmap'))).errno).toBe(1193);
    },
  );

  it(req(['MYISAM-041', 'MYISAM-042', 'MYISAM-047', 'MYISAM-053'], 'wire', 'validation: enums take their names or numbers, a bad value is 1231, an out-of-range pointer size is clamped with warning 1292'), async () => {
    await c.query('SET GLOBAL concurrent_insert = 2');
    expect((await q('SELECT @@GLOBAL.concurrent_insert AS v'))[0]!['v']).toBe('ALWAYS');
    await c.query("SET GLOBAL concurrent_insert = 'never'");
    expect((await q('SELECT @@GLOBAL.concurrent_insert AS v'))[0]!['v']).toBe('NEVER');
    await c.query('SET GLOBAL concurrent_insert = DEFAULT');
    const bad = await errorOf(c.query("SET GLOBAL delay_key_write = 'SOMETIMES'"));
    expect([bad.errno, bad.message]).toEqual([1231, "Variable 'delay_key_write' can't be set to the value of 'SOMETIMES'"]);
    expect((await errorOf(c.query("SET myisam_stats_method = 'nulls_maybe'"))).errno).toBe(1231);
    await c.query("SET myisam_stats_method = 'nulls_equal'");
    expect((await q('SELECT @@SESSION.myisam_stats_method AS v'))[0]!['v']).toBe('nulls_equal');
    await c.query('SET GLOBAL myisam_data_pointer_size = 9');
    expect((await q('SHOW WARNINGS')).map((w) => [w['Code'], w['Message']])).toEqual([[1292, "Truncated incorrect myisam_data_pointer_size value: '9'"]]);
    expect((await q('SELECT @@myisam_data_pointer_size AS v'))[0]!['v']).toBe(7);
    await c.query('SET GLOBAL myisam_data_pointer_size = DEFAULT');
  });

  it(req(['MYISAM-044', 'MYISAM-050'], 'wire', 'startup options set them, with size suffixes and comma lists'), async () => {
    const s2 = await startTestServer({ options: { 'key-buffer-size': '16M', 'myisam-recover-options': 'BACKUP,FORCE', 'myisam-data-pointer-size': 4 } });
    try {
      const c2 = await s2.connect();
      const [r] = await c2.query<mysql.RowDataPacket[]>('SELECT @@key_buffer_size AS k, @@myisam_recover_options AS r, @@myisam_data_pointer_size AS p');
      expect(r[0]).toEqual({ k: 16777216, r: 'BACKUP,FORCE', p: 4 });
      await c2.end();
    } finally {
      await s2.stop();
    }
  });
});

describe('MyISAM table size limits', () => {
  it(req(['MYISAM-047', 'MYISAM-010'], 'wire', 'Max_data_length follows the data pointer size: 2^(8n)-1 bytes for dynamic rows, 2^(8n) records for static rows'), async () => {
    await c.query('CREATE TABLE md (a INT, v VARCHAR(10)) ENGINE=MyISAM');
    await c.query('CREATE TABLE ms (a INT) ENGINE=MyISAM');
    await c.query('INSERT INTO ms VALUES (1)');
    expect(Number((await status('md'))['Max_data_length'])).toBe(2 ** 48 - 1);
    const reclen = Number((await status('ms'))['Avg_row_length']);
    expect(Number((await status('ms'))['Max_data_length'])).toBe(2 ** 48 * reclen - 1);
    await c.query('SET GLOBAL myisam_data_pointer_size = 3');
    await c.query('CREATE TABLE md3 (a INT, v VARCHAR(10)) ENGINE=MyISAM');
    await c.query('SET GLOBAL myisam_data_pointer_size = DEFAULT');
    expect(Number((await status('md3'))['Max_data_length'])).toBe(2 ** 24 - 1);
    // The pointer size is the table's own: later changes of the variable leave it.
    await c.query('FLUSH TABLES md3');
    expect(Number((await status('md3'))['Max_data_length'])).toBe(2 ** 24 - 1);
  });

  it(req(['MYISAM-047'], 'wire', 'MAX_ROWS and AVG_ROW_LENGTH size the pointer instead of the variable'), async () => {
    await c.query('CREATE TABLE mr1 (a INT) ENGINE=MyISAM MAX_ROWS=100');
    await c.query('INSERT INTO mr1 VALUES (1)');
    const reclen = Number((await status('mr1'))['Avg_row_length']);
    expect(Number((await status('mr1'))['Max_data_length'])).toBe(65536 * reclen - 1);
    await c.query('CREATE TABLE mr2 (a INT, v VARCHAR(100)) ENGINE=MyISAM MAX_ROWS=1000 AVG_ROW_LENGTH=100');
    expect(Number((await status('mr2'))['Max_data_length'])).toBe(2 ** 24 - 1);
  });

  it(req(['MYISAM-047', 'MYISAM-010'], 'wire', 'a table whose data file reaches Max_data_length is full: 1114, the rows written before stay'), async () => {
    await c.query('SET GLOBAL myisam_data_pointer_size = 2');
    await c.query('CREATE TABLE full2 (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, v VARCHAR(1000)) ENGINE=MyISAM');
    await c.query('SET GLOBAL myisam_data_pointer_size = DEFAULT');
    expect(Number((await status('full2'))['Max_data_length'])).toBe(65535);
    const v = 'x'.repeat(1000);
    let n = 0;
    let err: { errno: number; sqlState: string; message: string } | null = null;
    for (; n < 200; n++) {
      try {
        await c.query('INSERT INTO full2 (v) VALUES (?)', [v]);
      } catch (e) {
        const x = e as { errno: number; sqlState: string; sqlMessage: string };
        err = { errno: x.errno, sqlState: x.sqlState, message: x.sqlMessage };
        break;
      }
    }
    expect(err).toEqual({ errno: 1114, sqlState: 'HY000', message: "The table 'full2' is full" });
    expect(n).toBeGreaterThan(50);
    expect(n).toBeLessThan(66);
    const st = await status('full2');
    expect(Number(st['Rows'])).toBe(n);
    expect(Number(st['Data_length'])).toBeLessThanOrEqual(65535);
    // Space freed by a delete is usable again.
    await c.query('DELETE FROM full2 WHERE id = 1');
    await c.query('INSERT INTO full2 (v) VALUES (?)', [v]);
    expect(Number((await status('full2'))['Rows'])).toBe(n);
  });
});

describe('delay_key_write', () => {
  it(req(['MYISAM-042', 'MYISAM-057', 'MYISAM-120'], 'wire', 'key pages reach the .MYI at the end of each statement, or only at FLUSH TABLES for DELAY_KEY_WRITE=1 tables (ON) and for every table (ALL)'), async () => {
    await c.query('CREATE TABLE dk0 (id INT NOT NULL PRIMARY KEY) ENGINE=MyISAM');
    await c.query('CREATE TABLE dk1 (id INT NOT NULL PRIMARY KEY) ENGINE=MyISAM DELAY_KEY_WRITE=1');
    const empty = myiSize('dk0');
    expect(myiSize('dk1')).toBe(empty);
    await c.query('INSERT INTO dk0 VALUES (1), (2), (3)');
    await c.query('INSERT INTO dk1 VALUES (1), (2), (3)');
    expect(myiSize('dk0')).toBeGreaterThan(empty); // written at statement end
    expect(myiSize('dk1')).toBe(empty); // delayed
    await c.query('FLUSH TABLES dk1');
    expect(myiSize('dk1')).toBeGreaterThan(empty);

    await c.query('CREATE TABLE dk2 (id INT NOT NULL PRIMARY KEY) ENGINE=MyISAM');
    await c.query('SET GLOBAL delay_key_write = ALL');
    await c.query('INSERT INTO dk2 VALUES (1), (2)');
    expect(myiSize('dk2')).toBe(empty);
    await c.query('FLUSH TABLES');
    expect(myiSize('dk2')).toBeGreaterThan(empty);

    await c.query('CREATE TABLE dk3 (id INT NOT NULL PRIMARY KEY) ENGINE=MyISAM DELAY_KEY_WRITE=1');
    await c.query('SET GLOBAL delay_key_write = OFF');
    await c.query('INSERT INTO dk3 VALUES (1)');
    expect(myiSize('dk3')).toBeGreaterThan(empty);
    await c.query('SET GLOBAL delay_key_write = DEFAULT');
    // Delayed or not, CHECK TABLE sees consistent keys.
    for (const t of ['dk0', 'dk1', 'dk2', 'dk3']) {
      expect((await q(`CHECK TABLE ${t}`)).map((r) => r['Msg_text']), t).toEqual(['OK']);
    }
  });
});
