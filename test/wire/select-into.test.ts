/**
 * SELECT ... INTO OUTFILE / DUMPFILE / @variables over the wire (mysql2): the written bytes,
 * enclosure and escaping, CHARACTER SET, DUMPFILE's single raw row, the file checks (1086, 1290,
 * error 1), the positions of the INTO clause, and the variable form's row rules.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/select-into.html
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type mysql from 'mysql2/promise';
import { req } from '../helpers/req.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { failureOf } from '../helpers/sql.js';

let srv: TestServer;
let c: mysql.Connection;
let dir: string;

type Rows = mysql.RowDataPacket[];

beforeAll(async () => {
  srv = await startTestServer();
  c = await srv.connect({ multipleStatements: true });
  const [r] = await c.query<Rows>('SELECT @@secure_file_priv AS p');
  dir = String(r[0]!['p']);
  await c.query('CREATE DATABASE si; USE si');
  await c.query('CREATE TABLE t (id INT PRIMARY KEY, s VARCHAR(20), d DECIMAL(5,2), b VARBINARY(8), dt DATE) ENGINE=InnoDB');
  await c.query("INSERT INTO t VALUES (1, 'a\\tb\\nc', 1.5, X'00FF5C', '2024-01-02'), (2, 'q\"\\\\', NULL, NULL, NULL), (3, '', -2.25, X'', '1999-12-31')");
});

afterAll(async () => {
  await c?.end();
  await srv?.stop();
});

function file(name: string): string {
  return join(dir, name);
}

describe('INTO OUTFILE', () => {
  it(req(['CORE-LOAD-020', 'CORE-LOAD-021#format'], 'wire', 'writes tab-separated lines with escapes and \\N, and counts rows'), async () => {
    const [r] = await c.query<mysql.ResultSetHeader>(`SELECT id, s, d, b, dt FROM t ORDER BY id INTO OUTFILE '${file('plain.txt')}'`);
    expect(r.affectedRows).toBe(3);
    const expected = Buffer.concat([
      Buffer.from('1\ta\\\tb\\\nc\t1.50\t\\0'),
      Buffer.from([0xff]),
      Buffer.from('\\\\\t2024-01-02\n'),
      Buffer.from('2\tq"\\\\\t\\N\t\\N\t\\N\n'),
      Buffer.from('3\t\t-2.25\t\t1999-12-31\n'),
    ]);
    expect(readFileSync(file('plain.txt'))).toEqual(expected);
    // Before FROM, as in older releases.
    await c.query(`SELECT id INTO OUTFILE '${file('before-from.txt')}' FROM t WHERE id < 3 ORDER BY id`);
    expect(readFileSync(file('before-from.txt'), 'latin1')).toBe('1\n2\n');
  });

  it(req(['CORE-LOAD-021#enclosed'], 'wire', 'ENCLOSED BY encloses every value, OPTIONALLY only strings; the enclosure is escaped'), async () => {
    // The line terminator starts with \r here, so a newline inside a value needs no escape.
    await c.query(`SELECT id, s, d, dt FROM t ORDER BY id INTO OUTFILE '${file('opt.csv')}' FIELDS TERMINATED BY ',' OPTIONALLY ENCLOSED BY '"' LINES TERMINATED BY '\\r\\n'`);
    expect(readFileSync(file('opt.csv'), 'latin1')).toBe('1,"a\tb\nc",1.50,"2024-01-02"\r\n2,"q\\"\\\\",\\N,\\N\r\n3,"",-2.25,"1999-12-31"\r\n');
    await c.query(`SELECT id, d FROM t WHERE id <> 2 ORDER BY id INTO OUTFILE '${file('all.csv')}' FIELDS ENCLOSED BY '''' ESCAPED BY '' LINES STARTING BY '>'`);
    expect(readFileSync(file('all.csv'), 'latin1')).toBe(">'1'\t'1.50'\n>'3'\t'-2.25'\n");
    // Without an escape character NULL is written as the word NULL.
    await c.query(`SELECT d FROM t WHERE id = 2 INTO OUTFILE '${file('nullword.txt')}' FIELDS ESCAPED BY ''`);
    expect(readFileSync(file('nullword.txt'), 'latin1')).toBe('NULL\n');
  });

  it(req(['CORE-LOAD-021#charset'], 'wire', 'CHARACTER SET converts strings; without it strings are written as stored'), async () => {
    await c.query(`SELECT 'café' INTO OUTFILE '${file('latin1.txt')}' CHARACTER SET latin1`);
    expect(readFileSync(file('latin1.txt'))).toEqual(Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]));
    await c.query(`SELECT 'café' INTO OUTFILE '${file('utf8.txt')}'`);
    expect(readFileSync(file('utf8.txt'))).toEqual(Buffer.from('café\n', 'utf8'));
  });

  it(req(['CORE-LOAD-023#e1086', 'CORE-LOAD-023#e1290', 'CORE-LOAD-023#e1'], 'wire', 'an existing file is 1086, a path outside secure_file_priv 1290, a missing directory error 1'), async () => {
    writeFileSync(file('exists.txt'), 'keep');
    let e = await failureOf(c.query(`SELECT 1 INTO OUTFILE '${file('exists.txt')}'`));
    expect(e.errno).toBe(1086);
    expect(e.sqlMessage).toBe(`File '${file('exists.txt')}' already exists`);
    expect(readFileSync(file('exists.txt'), 'latin1')).toBe('keep');
    e = await failureOf(c.query("SELECT 1 INTO DUMPFILE '/tmp/refmysql-outside.bin'"));
    expect(e.errno).toBe(1290);
    e = await failureOf(c.query(`SELECT 1 INTO OUTFILE '${file('nodir/x.txt')}'`));
    expect(e.errno).toBe(1);
    expect(e.sqlMessage).toBe(`Can't create/write to file '${file('nodir/x.txt')}' (OS errno 2 - No such file or directory)`);
  });
});

describe('INTO with a set operation', () => {
  it(req(['CORE-LOAD-020', 'CORE-LOAD-025#e1172'], 'wire', 'INTO at the end of a UNION applies to the whole result'), async () => {
    const [r] = await c.query<mysql.ResultSetHeader>(`SELECT id FROM t WHERE id = 1 UNION ALL SELECT id FROM t WHERE id = 3 INTO OUTFILE '${file('union.txt')}'`);
    expect(r.affectedRows).toBe(2);
    expect(readFileSync(file('union.txt'), 'latin1')).toBe('1\n3\n');
    const e = await failureOf(c.query('SELECT 1 UNION SELECT 2 INTO @u'));
    expect(e.errno).toBe(1172);
    await c.query('SELECT 1 UNION SELECT 1 INTO @u');
    const [v] = await c.query<Rows>('SELECT @u AS u');
    expect(v[0]!['u']).toBe(1);
  });
});

describe('INTO DUMPFILE', () => {
  it(req(['CORE-LOAD-022#raw', 'CORE-LOAD-022#e1172'], 'wire', 'writes one row raw; a second row fails with 1172 and leaves no file'), async () => {
    const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const [r] = await c.query<mysql.ResultSetHeader>(`SELECT X'${all.toString('hex')}', 'tail' INTO DUMPFILE '${file('raw.bin')}'`);
    expect(r.affectedRows).toBe(1);
    expect(readFileSync(file('raw.bin'))).toEqual(Buffer.concat([all, Buffer.from('tail')]));
    await c.query("CREATE TABLE bits (x BIT(12)); INSERT INTO bits VALUES (b'101010101011')");
    await c.query(`SELECT x FROM bits INTO DUMPFILE '${file('bits.bin')}'`);
    expect(readFileSync(file('bits.bin'))).toEqual(Buffer.from([0x0a, 0xab]));
    const e = await failureOf(c.query(`SELECT id FROM t INTO DUMPFILE '${file('two.bin')}'`));
    expect(e.errno).toBe(1172);
    expect(e.sqlMessage).toBe('Result consisted of more than one row');
    expect(existsSync(file('two.bin'))).toBe(false);
  });
});

describe('INTO @variables', () => {
  it(req(['CORE-LOAD-025#one-row', 'CORE-LOAD-025#e1172', 'CORE-LOAD-025#no-row', 'CORE-LOAD-025#e1222'], 'wire', 'one row sets the variables; more rows 1172; none 1329; count mismatch 1222'), async () => {
    await c.query('SELECT id, s INTO @i, @s FROM t WHERE id = 3');
    let [v] = await c.query<Rows>('SELECT @i AS i, @s AS s');
    expect({ ...v[0] }).toEqual({ i: 3, s: '' });
    let e = await failureOf(c.query('SELECT id INTO @i FROM t ORDER BY id'));
    expect(e.errno).toBe(1172);
    // The first row was stored before the second one failed.
    [v] = await c.query<Rows>('SELECT @i AS i');
    expect(v[0]!['i']).toBe(1);
    const [w] = await c.query<Rows>('SELECT id INTO @i FROM t WHERE id = 99; SHOW WARNINGS');
    expect((w as unknown as Rows[])[1]!.map((x) => [x['Code'], x['Message']])).toEqual([[1329, 'No data - zero rows fetched, selected, or processed']]);
    [v] = await c.query<Rows>('SELECT @i AS i');
    expect(v[0]!['i']).toBe(1);
    e = await failureOf(c.query('SELECT id, s INTO @i FROM t WHERE id = 1'));
    expect(e.errno).toBe(1222);
  });

  it(req(['CORE-LOAD-027'], 'wire', 'INTO may follow the locking clause (8.0.20)'), async () => {
    await c.query('START TRANSACTION');
    await c.query('SELECT s FROM t WHERE id = 1 FOR UPDATE INTO @locked');
    await c.query(`SELECT id FROM t WHERE id = 3 FOR SHARE INTO OUTFILE '${file('after-lock.txt')}'`);
    await c.query(`SELECT id FROM t WHERE id = 1 LOCK IN SHARE MODE INTO DUMPFILE '${file('after-lock.bin')}'`);
    await c.query('COMMIT');
    const [v] = await c.query<Rows>('SELECT @locked AS v');
    expect(v[0]!['v']).toBe('a\tb\nc');
    expect(readFileSync(file('after-lock.txt'), 'latin1')).toBe('3\n');
    expect(readFileSync(file('after-lock.bin'), 'latin1')).toBe('1');
  });
});
