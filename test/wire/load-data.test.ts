/**
 * LOAD DATA [LOCAL] INFILE over the wire (mysql2): formats, escapes, NULLs, conversions under
 * strict and non-strict modes, duplicates, the info string, secure_file_priv, the FILE
 * privilege, file errors, LOCAL (local_infile, the client capability, the LOCAL INFILE
 * exchange), character sets, and LOAD DATA beside other sessions (transactions, table locks).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/load-data.html
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect as netConnect } from 'node:net';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type mysql from 'mysql2/promise';
import { req } from '../helpers/req.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { failureOf } from '../helpers/sql.js';

let srv: TestServer;
let c: mysql.Connection;
/** secure_file_priv of the server. */
let dir: string;

type Rows = mysql.RowDataPacket[];

function put(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

async function rows(conn: mysql.Connection, sql: string): Promise<Record<string, unknown>[]> {
  const [r] = await conn.query<Rows>(sql);
  return r.map((x) => ({ ...x }));
}

async function warnings(conn: mysql.Connection): Promise<[number, string][]> {
  const [w] = await conn.query<Rows>('SHOW WARNINGS');
  return w.map((x) => [Number(x['Code']), String(x['Message'])]);
}

async function load(conn: mysql.Connection, sql: string): Promise<mysql.ResultSetHeader> {
  const [r] = await conn.query<mysql.ResultSetHeader>(sql);
  return r;
}

beforeAll(async () => {
  srv = await startTestServer();
  c = await srv.connect({ multipleStatements: true });
  const [r] = await c.query<Rows>('SELECT @@secure_file_priv AS p');
  dir = String(r[0]!['p']);
  await c.query('CREATE DATABASE ld; USE ld');
});

afterAll(async () => {
  await c?.end();
  await srv?.stop();
});

describe('secure_file_priv', () => {
  it(req(['CORE-LOAD-010#default'], 'wire', 'defaults to an existing mysql-files directory beside the datadir'), async () => {
    const [[v]] = (await c.query('SELECT @@secure_file_priv AS d')) as unknown as [{ d: string }[]];
    expect(v!.d).toBe(dir);
    expect(dir).toBe(join(dirname(srv.datadir), 'mysql-files') + '/');
    expect(existsSync(dir)).toBe(true);
  });

  it(req(['CORE-LOAD-010#readonly'], 'wire', 'is read-only (1238)'), async () => {
    const e = await failureOf(c.query("SET GLOBAL secure_file_priv = ''"));
    expect(e.errno).toBe(1238);
  });

  it(req(['CORE-LOAD-010#outside'], 'wire', 'a file outside it is refused with 1290'), async () => {
    await c.query('CREATE TABLE outside_t (a INT)');
    const e = await failureOf(c.query("LOAD DATA INFILE '/etc/hostname' INTO TABLE outside_t"));
    expect(e.errno).toBe(1290);
    expect(e.sqlMessage).toBe('The MySQL server is running with the --secure-file-priv option so it cannot execute this statement');
    const e2 = await failureOf(c.query(`LOAD DATA INFILE '${dir}../x.txt' INTO TABLE outside_t`));
    expect(e2.errno).toBe(1290);
  });
});

describe('format', () => {
  it(req(['CORE-LOAD-001#syntax', 'CORE-LOAD-002#defaults', 'CORE-LOAD-004#escapes', 'CORE-LOAD-004#null', 'CORE-LOAD-009'], 'wire', 'tab-separated lines with escapes, \\N and the info string'), async () => {
    await c.query('CREATE TABLE fmt (a INT, b VARBINARY(20), c VARCHAR(20))');
    const f = put('fmt.txt', '1\ta\\tb\\nc\t\\N\n2\t\\0\\b\\r\\Z\\\\\\q\tx\n3\t\\N\tNULL\n');
    const r = await load(c, `LOAD DATA LOW_PRIORITY INFILE '${f}' INTO TABLE fmt CHARACTER SET utf8mb4 COLUMNS TERMINATED BY '\\t' ESCAPED BY '\\\\' LINES TERMINATED BY '\\n'`);
    expect(r.affectedRows).toBe(3);
    expect(r.info).toBe('Records: 3  Deleted: 0  Skipped: 0  Warnings: 0');
    const got = await rows(c, 'SELECT a, HEX(b) AS b, c FROM fmt ORDER BY a');
    expect(got).toEqual([
      { a: 1, b: Buffer.from('a\tb\nc').toString('hex').toUpperCase(), c: null },
      { a: 2, b: '00080D1A5C71', c: 'x' },
      // Without an enclosure the word NULL is text.
      { a: 3, b: null, c: 'NULL' },
    ]);
  });

  it(req(['CORE-LOAD-002#options', 'CORE-LOAD-002#ignore-lines', 'CORE-LOAD-004#null'], 'wire', 'CSV with OPTIONALLY ENCLOSED BY, CRLF lines and a header line'), async () => {
    await c.query('CREATE TABLE csv (id INT, s VARCHAR(30), n VARCHAR(10))');
    const f = put('csv.txt', 'id,s,n\r\n1,"x,y",NULL\r\n2,"say ""hi""","NULL"\r\n3,"two\r\nlines",\\N\r\n');
    const r = await load(c, `LOAD DATA CONCURRENT INFILE '${f}' INTO TABLE csv FIELDS TERMINATED BY ',' OPTIONALLY ENCLOSED BY '"' LINES TERMINATED BY '\\r\\n' IGNORE 1 LINES`);
    expect(r.info).toBe('Records: 3  Deleted: 0  Skipped: 0  Warnings: 0');
    expect(await rows(c, 'SELECT * FROM csv ORDER BY id')).toEqual([
      { id: 1, s: 'x,y', n: null },
      { id: 2, s: 'say "hi"', n: 'NULL' },
      { id: 3, s: 'two\r\nlines', n: null },
    ]);
  });

  it(req(['CORE-LOAD-002#starting-by'], 'wire', 'LINES STARTING BY skips text before the prefix and lines without it'), async () => {
    await c.query('CREATE TABLE pre (a INT, b VARCHAR(10))');
    const f = put('pre.txt', 'xxx1\ta\nno prefix here\nnoisexxx2\tb\n');
    const r = await load(c, `LOAD DATA INFILE '${f}' INTO TABLE pre LINES STARTING BY 'xxx' IGNORE 0 ROWS`);
    expect(r.info).toBe('Records: 2  Deleted: 0  Skipped: 0  Warnings: 0');
    expect(await rows(c, 'SELECT * FROM pre ORDER BY a')).toEqual([{ a: 1, b: 'a' }, { a: 2, b: 'b' }]);
  });

  it(req(['CORE-LOAD-003#e1083'], 'wire', 'a multi-character ENCLOSED BY or ESCAPED BY fails with 1083'), async () => {
    await c.query('CREATE TABLE t1083 (a INT)');
    const f = put('e1083.txt', '1\n');
    for (const opt of ["ENCLOSED BY 'ab'", "ESCAPED BY '\\\\\\\\'"]) {
      const e = await failureOf(c.query(`LOAD DATA INFILE '${f}' INTO TABLE t1083 FIELDS ${opt}`));
      expect(e.errno).toBe(1083);
      expect(e.sqlMessage).toBe('Field separator argument is not what is expected; check the manual');
    }
  });

  it(req(['CORE-LOAD-003#w1638'], 'wire', 'a non-ASCII field terminator warns 1638 and splits the fields'), async () => {
    await c.query('CREATE TABLE t1638 (a INT, b VARCHAR(5))');
    const f = put('w1638.txt', '1§x\n2§y\n');
    const r = await load(c, `LOAD DATA INFILE '${f}' INTO TABLE t1638 FIELDS TERMINATED BY '§'`);
    expect(r.info).toBe('Records: 2  Deleted: 0  Skipped: 0  Warnings: 1');
    expect(await warnings(c)).toEqual([[1638, 'Non-ASCII separator arguments are not fully supported']]);
    expect(await rows(c, 'SELECT * FROM t1638 ORDER BY a')).toEqual([{ a: 1, b: 'x' }, { a: 2, b: 'y' }]);
  });

  it(req(['CORE-LOAD-019'], 'wire', 'LOAD DATA cannot be prepared (1295), with PREPARE or the binary protocol'), async () => {
    let e = await failureOf(c.query("PREPARE ld_ps FROM 'LOAD DATA INFILE ''x'' INTO TABLE fmt'"));
    expect(e.errno).toBe(1295);
    expect(e.sqlMessage).toBe('This command is not supported in the prepared statement protocol yet');
    e = await failureOf(c.prepare("LOAD DATA INFILE 'x' INTO TABLE fmt"));
    expect(e.errno).toBe(1295);
  });

  it(req(['CORE-LOAD-001#insert-path', 'CORE-LOAD-007#variables'], 'wire', 'user variables, SET expressions, AUTO_INCREMENT and defaults'), async () => {
    await c.query("CREATE TABLE vars (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(10), total INT, tag VARCHAR(5) DEFAULT 'dflt')");
    const f = put('vars.txt', '2\t3\tann\n10\t\\N\tbob\n');
    const r = await load(c, `LOAD DATA INFILE '${f}' INTO TABLE vars (@a, @b, name) SET total = @a + IFNULL(@b, 100)`);
    expect(r.affectedRows).toBe(2);
    expect(r.insertId).toBe(1);
    expect(await rows(c, 'SELECT * FROM vars ORDER BY id')).toEqual([
      { id: 1, name: 'ann', total: 5, tag: 'dflt' },
      { id: 2, name: 'bob', total: 110, tag: 'dflt' },
    ]);
    // The variables keep the last line's values.
    expect(await rows(c, 'SELECT @a AS a, @b AS b')).toEqual([{ a: '10', b: null }]);
  });
});

describe('conversions and field counts', () => {
  it(req(['CORE-LOAD-007#empty', 'CORE-LOAD-005#warn'], 'wire', 'non-strict: empty fields and bad values are adjusted with warnings'), async () => {
    await c.query("SET sql_mode = ''");
    await c.query('CREATE TABLE conv (a INT, b VARCHAR(3), c INT)');
    const f = put('conv.txt', '\t\t7\nabc\ttoolong\t8\n');
    const r = await load(c, `LOAD DATA INFILE '${f}' INTO TABLE conv`);
    expect(r.info).toBe('Records: 2  Deleted: 0  Skipped: 0  Warnings: 3');
    expect(await warnings(c)).toEqual([
      [1366, "Incorrect integer value: '' for column 'a' at row 1"],
      [1366, "Incorrect integer value: 'abc' for column 'a' at row 2"],
      [1265, "Data truncated for column 'b' at row 2"],
    ]);
    expect(await rows(c, 'SELECT * FROM conv ORDER BY c')).toEqual([{ a: 0, b: '', c: 7 }, { a: 0, b: 'too', c: 8 }]);
    await c.query('SET sql_mode = DEFAULT');
  });

  it(req(['CORE-LOAD-005#strict'], 'wire', 'strict mode: a bad value fails the statement and no row stays'), async () => {
    await c.query('CREATE TABLE strict_t (a INT) ENGINE=InnoDB');
    const f = put('strict.txt', '1\nabc\n3\n');
    const e = await failureOf(c.query(`LOAD DATA INFILE '${f}' INTO TABLE strict_t`));
    expect(e.errno).toBe(1366);
    expect(e.sqlMessage).toBe("Incorrect integer value: 'abc' for column 'a' at row 2");
    expect(await rows(c, 'SELECT COUNT(*) AS n FROM strict_t')).toEqual([{ n: 0 }]);
  });

  it(req(['CORE-LOAD-005#ignore'], 'wire', 'strict mode with IGNORE: warnings instead of errors'), async () => {
    await c.query('CREATE TABLE ign_t (a INT)');
    const f = put('ign.txt', '1\nabc\n3\n');
    const r = await load(c, `LOAD DATA INFILE '${f}' IGNORE INTO TABLE ign_t`);
    expect(r.info).toBe('Records: 3  Deleted: 0  Skipped: 0  Warnings: 1');
    expect(await rows(c, 'SELECT a FROM ign_t ORDER BY a')).toEqual([{ a: 0 }, { a: 1 }, { a: 3 }]);
  });

  it(req(['CORE-LOAD-005#null-notnull'], 'wire', '\\N into NOT NULL: 1263 warning (non-strict) or error (strict); TIMESTAMP NOT NULL takes the current time'), async () => {
    await c.query('CREATE TABLE nn (a INT NOT NULL, s VARCHAR(5) NOT NULL, ts TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP)');
    const f = put('nn.txt', '\\N\t\\N\t\\N\n');
    await c.query("SET sql_mode = ''");
    const r = await load(c, `LOAD DATA INFILE '${f}' INTO TABLE nn`);
    expect(r.info).toBe('Records: 1  Deleted: 0  Skipped: 0  Warnings: 2');
    expect(await warnings(c)).toEqual([
      [1263, "Column set to default value; NULL supplied to NOT NULL column 'a' at row 1"],
      [1263, "Column set to default value; NULL supplied to NOT NULL column 's' at row 1"],
    ]);
    expect(await rows(c, 'SELECT a, s, ts IS NOT NULL AS has_ts FROM nn')).toEqual([{ a: 0, s: '', has_ts: 1 }]);
    await c.query('SET sql_mode = DEFAULT');
    const e = await failureOf(c.query(`LOAD DATA INFILE '${f}' INTO TABLE nn`));
    expect(e.errno).toBe(1263);
    expect(e.sqlMessage).toBe("Column set to default value; NULL supplied to NOT NULL column 'a' at row 1");
  });

  it(req(['CORE-LOAD-006#few', 'CORE-LOAD-006#many'], 'wire', 'too few fields give zero values and 1261, too many are cut with 1262'), async () => {
    await c.query("SET sql_mode = ''");
    await c.query("CREATE TABLE cnt (a INT, b VARCHAR(10) NOT NULL DEFAULT 'dflt', c INT DEFAULT 5, d INT)");
    const f = put('cnt.txt', '1\n2\tx\t3\t4\textra\tmore\n');
    const r = await load(c, `LOAD DATA INFILE '${f}' INTO TABLE cnt`);
    expect(r.info).toBe('Records: 2  Deleted: 0  Skipped: 0  Warnings: 4');
    expect(await warnings(c)).toEqual([
      [1261, "Row 1 doesn't contain data for all columns"],
      [1261, "Row 1 doesn't contain data for all columns"],
      [1261, "Row 1 doesn't contain data for all columns"],
      [1262, 'Row 2 was truncated; it contained more data than there were input columns'],
    ]);
    // Missing fields get the type's zero value (not the column default), NULL where the default is NULL.
    expect(await rows(c, 'SELECT * FROM cnt ORDER BY a')).toEqual([
      { a: 1, b: '', c: 0, d: null },
      { a: 2, b: 'x', c: 3, d: 4 },
    ]);
    await c.query('SET sql_mode = DEFAULT');
  });

  it(req(['CORE-LOAD-006#strict'], 'wire', 'strict mode: too few or too many fields are errors'), async () => {
    await c.query('CREATE TABLE cnt_s (a INT, b INT) ENGINE=InnoDB');
    const few = put('few.txt', '1\t2\n3\n');
    let e = await failureOf(c.query(`LOAD DATA INFILE '${few}' INTO TABLE cnt_s`));
    expect(e.errno).toBe(1261);
    expect(e.sqlMessage).toBe("Row 2 doesn't contain data for all columns");
    const many = put('many.txt', '1\t2\t3\n');
    e = await failureOf(c.query(`LOAD DATA INFILE '${many}' INTO TABLE cnt_s`));
    expect(e.errno).toBe(1262);
    expect(await rows(c, 'SELECT COUNT(*) AS n FROM cnt_s')).toEqual([{ n: 0 }]);
  });
});

describe('duplicates', () => {
  it(req(['CORE-LOAD-008#error', 'CORE-LOAD-008#replace', 'CORE-LOAD-008#ignore', 'CORE-LOAD-009'], 'wire', '1062 by default, REPLACE counts Deleted, IGNORE counts Skipped'), async () => {
    await c.query("CREATE TABLE dup (id INT PRIMARY KEY, v VARCHAR(5)) ENGINE=InnoDB");
    await c.query("INSERT INTO dup VALUES (1, 'old'), (2, 'old')");
    const f = put('dup.txt', '1\tnew\n3\tnew\n2\tnew\n');
    const e = await failureOf(c.query(`LOAD DATA INFILE '${f}' INTO TABLE dup`));
    expect(e.errno).toBe(1062);
    expect(e.sqlMessage).toBe("Duplicate entry '1' for key 'dup.PRIMARY'");
    expect(await rows(c, 'SELECT COUNT(*) AS n FROM dup')).toEqual([{ n: 2 }]);

    const ig = await load(c, `LOAD DATA INFILE '${f}' IGNORE INTO TABLE dup`);
    expect(ig.affectedRows).toBe(1);
    expect(ig.info).toBe('Records: 3  Deleted: 0  Skipped: 2  Warnings: 2');
    expect((await warnings(c)).map((w) => w[0])).toEqual([1062, 1062]);
    expect(await rows(c, 'SELECT * FROM dup ORDER BY id')).toEqual([{ id: 1, v: 'old' }, { id: 2, v: 'old' }, { id: 3, v: 'new' }]);

    await c.query("UPDATE dup SET v = 'old'");
    const rp = await load(c, `LOAD DATA INFILE '${f}' REPLACE INTO TABLE dup`);
    expect(rp.affectedRows).toBe(6);
    expect(rp.info).toBe('Records: 3  Deleted: 3  Skipped: 0  Warnings: 0');
    expect(await rows(c, 'SELECT * FROM dup ORDER BY id')).toEqual([{ id: 1, v: 'new' }, { id: 2, v: 'new' }, { id: 3, v: 'new' }]);
  });
});

describe('files', () => {
  it(req(['CORE-LOAD-013#e13', 'CORE-LOAD-013#e1085'], 'wire', 'a missing file is 13, a directory is 1085'), async () => {
    await c.query('CREATE TABLE fe (a INT)');
    let e = await failureOf(c.query(`LOAD DATA INFILE '${dir}nope.txt' INTO TABLE fe`));
    expect(e.errno).toBe(13);
    expect(e.sqlMessage).toBe(`Can't get stat of '${dir}nope.txt' (OS errno 2 - No such file or directory)`);
    mkdirSync(join(dir, 'sub'), { recursive: true });
    e = await failureOf(c.query(`LOAD DATA INFILE '${dir}sub' INTO TABLE fe`));
    expect(e.errno).toBe(1085);
    expect(e.sqlMessage).toBe(`The file '${dir}sub' must be in the database directory or be readable by all`);
  });

  it(req(['CORE-LOAD-017#e1747', 'CORE-LOAD-017#e1054'], 'wire', 'PARTITION on a non-partitioned table is 1747; an unknown column is 1054; a missing table 1146'), async () => {
    await c.query('CREATE TABLE np (a INT)');
    const f = put('np.txt', '1\n');
    let e = await failureOf(c.query(`LOAD DATA INFILE '${f}' INTO TABLE np PARTITION (p0)`));
    expect(e.errno).toBe(1747);
    e = await failureOf(c.query(`LOAD DATA INFILE '${f}' INTO TABLE np (a, nosuch)`));
    expect(e.errno).toBe(1054);
    expect(e.sqlMessage).toBe("Unknown column 'nosuch' in 'field list'");
    e = await failureOf(c.query(`LOAD DATA INFILE '${f}' INTO TABLE nosuch_table`));
    expect(e.errno).toBe(1146);
  });

  it(req(['CORE-LOAD-016#charset', 'CORE-LOAD-016#binary'], 'wire', 'CHARACTER SET latin1 decodes latin1 bytes; binary columns keep bytes; unknown charset 1115'), async () => {
    await c.query('CREATE TABLE cs (s VARCHAR(10), b VARBINARY(10))');
    const f = put('cs.txt', Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x09, 0xe9, 0xff, 0x0a]));
    await load(c, `LOAD DATA INFILE '${f}' INTO TABLE cs CHARACTER SET latin1`);
    expect(await rows(c, 'SELECT s, HEX(b) AS b FROM cs')).toEqual([{ s: 'café', b: 'E9FF' }]);
    const e = await failureOf(c.query(`LOAD DATA INFILE '${f}' INTO TABLE cs CHARACTER SET nosuchcs`));
    expect(e.errno).toBe(1115);
  });
});

describe('privileges', () => {
  it(req(['CORE-LOAD-011#file', 'CORE-LOAD-011#insert', 'CORE-LOAD-011#local'], 'wire', 'FILE is needed for server files (1045), INSERT on the table (1142); LOCAL needs no FILE'), async () => {
    await c.query("CREATE USER 'nofile'@'%' IDENTIFIED BY 'pw'; GRANT INSERT, SELECT ON ld.* TO 'nofile'@'%'");
    await c.query("CREATE USER 'noins'@'%' IDENTIFIED BY 'pw'; GRANT FILE ON *.* TO 'noins'@'%'; GRANT SELECT ON ld.* TO 'noins'@'%'");
    await c.query('CREATE TABLE priv_t (a INT)');
    const f = put('priv.txt', '1\n2\n');
    const u = await srv.connect({ user: 'nofile', password: 'pw', database: 'ld', infileStreamFactory: () => Readable.from([Buffer.from('7\n')]) });
    let e = await failureOf(u.query(`LOAD DATA INFILE '${f}' INTO TABLE priv_t`));
    expect(e.errno).toBe(1045);
    expect(e.sqlMessage).toBe("Access denied for user 'nofile'@'%' (using password: YES)");
    e = await failureOf(u.query(`SELECT 1 INTO OUTFILE '${dir}priv_out.txt'`));
    expect(e.errno).toBe(1045);
    await c.query('SET GLOBAL local_infile = ON');
    try {
      const r = await load(u, `LOAD DATA LOCAL INFILE 'whatever.txt' INTO TABLE priv_t`);
      expect(r.affectedRows).toBe(1);
    } finally {
      await c.query('SET GLOBAL local_infile = DEFAULT');
    }
    await u.end();
    const v = await srv.connect({ user: 'noins', password: 'pw', database: 'ld' });
    e = await failureOf(v.query(`LOAD DATA INFILE '${f}' INTO TABLE priv_t`));
    expect(e.errno).toBe(1142);
    await v.end();
    expect(await rows(c, 'SELECT a FROM priv_t')).toEqual([{ a: 7 }]);
  });
});

/** The capability flags of the server's greeting (Protocol::HandshakeV10). */
function greetingCapabilities(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = netConnect(port, '127.0.0.1');
    let buf = Buffer.alloc(0);
    s.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      const len = buf.readUIntLE(0, 3);
      if (buf.length < 4 + len) return;
      const p = buf.subarray(4, 4 + len);
      let i = 1;
      while (p[i] !== 0) i++;
      i += 1 + 4 + 8 + 1;
      const lower = p.readUInt16LE(i);
      const upper = p.readUInt16LE(i + 2 + 1 + 2);
      s.destroy();
      resolve(((upper << 16) | lower) >>> 0);
    });
    s.on('error', reject);
  });
}

describe('LOCAL', () => {
  it(req(['CORE-LOAD-014#greeting'], 'wire', 'the greeting offers CLIENT_LOCAL_FILES'), async () => {
    const caps = await greetingCapabilities(srv.port);
    expect(caps & 0x80).toBe(0x80);
  });

  it(req(['CORE-LOAD-014#server-off', 'CORE-LOAD-014#client-off'], 'wire', 'local_infile OFF, or a client without CLIENT_LOCAL_FILES, gives 3948'), async () => {
    await c.query('CREATE TABLE loc_off (a INT)');
    const [v] = await c.query<Rows>('SELECT @@global.local_infile AS v');
    expect(v[0]!['v']).toBe(0);
    const u = await srv.connect({ database: 'ld', infileStreamFactory: () => Readable.from([Buffer.from('1\n')]) });
    let e = await failureOf(u.query("LOAD DATA LOCAL INFILE 'x.txt' INTO TABLE loc_off"));
    expect(e.errno).toBe(3948);
    expect(e.sqlMessage).toBe('Loading local data is disabled; this must be enabled on both the client and server sides');
    await c.query('SET GLOBAL local_infile = 1');
    try {
      const n = await srv.connect({ database: 'ld', flags: ['-LOCAL_FILES'], infileStreamFactory: () => Readable.from([Buffer.from('1\n')]) });
      e = await failureOf(n.query("LOAD DATA LOCAL INFILE 'x.txt' INTO TABLE loc_off"));
      expect(e.errno).toBe(3948);
      await n.end();
    } finally {
      await c.query('SET GLOBAL local_infile = DEFAULT');
    }
    await u.end();
    expect(await rows(c, 'SELECT COUNT(*) AS n FROM loc_off')).toEqual([{ n: 0 }]);
  });

  it(req(['CORE-LOAD-005#ignore', 'CORE-LOAD-008#local'], 'wire', 'LOCAL under strict mode turns bad values into warnings'), async () => {
    await c.query('CREATE TABLE loc_strict (a INT, b INT NOT NULL) ENGINE=InnoDB');
    await c.query('SET GLOBAL local_infile = ON');
    const u = await srv.connect({ database: 'ld', infileStreamFactory: () => Readable.from([Buffer.from('1\tabc\n2\t\\N\n3\n')]) });
    try {
      const [m] = await u.query<Rows>('SELECT @@sql_mode AS m');
      expect(String(m[0]!['m'])).toContain('STRICT_TRANS_TABLES');
      const r = await load(u, "LOAD DATA LOCAL INFILE 'f' INTO TABLE loc_strict");
      expect(r.info).toBe('Records: 3  Deleted: 0  Skipped: 0  Warnings: 3');
      expect((await warnings(u)).map((w) => w[0])).toEqual([1366, 1263, 1261]);
      expect(await rows(u, 'SELECT * FROM loc_strict ORDER BY a')).toEqual([{ a: 1, b: 0 }, { a: 2, b: 0 }, { a: 3, b: 0 }]);
      // LOCAL REPLACE is not IGNORE: strict mode applies.
      const e = await failureOf(u.query("LOAD DATA LOCAL INFILE 'f' REPLACE INTO TABLE loc_strict"));
      expect(e.errno).toBe(1366);
    } finally {
      await u.end();
      await c.query('SET GLOBAL local_infile = DEFAULT');
    }
  });

  it(req(['CORE-LOAD-015#mysql2', 'CORE-LOAD-008#local'], 'wire', 'mysql2 streams the file; LOCAL skips duplicates like IGNORE'), async () => {
    await c.query('CREATE TABLE loc (id INT PRIMARY KEY, v VARCHAR(10))');
    await c.query("INSERT INTO loc VALUES (2, 'kept')");
    await c.query('SET GLOBAL local_infile = ON');
    const asked: string[] = [];
    // A file of many chunks, as a client streams a big file.
    const lines = Array.from({ length: 2000 }, (_, i) => `${i + 1}\tv${i + 1}\n`).join('');
    const u = await srv.connect({
      database: 'ld',
      infileStreamFactory: (name: string) => {
        asked.push(name);
        const b = Buffer.from(lines);
        expect(b.length).toBeGreaterThan(12000);
        return Readable.from([b.subarray(0, 1000), b.subarray(1000, 12000), b.subarray(12000)]);
      },
    });
    try {
      const r = await load(u, "LOAD DATA LOCAL INFILE '/client/side/file.tsv' INTO TABLE loc");
      expect(asked).toEqual(['/client/side/file.tsv']);
      expect(r.affectedRows).toBe(1999);
      expect(r.info).toBe('Records: 2000  Deleted: 0  Skipped: 1  Warnings: 1');
      expect(await warnings(u)).toEqual([[1062, "Duplicate entry '2' for key 'loc.PRIMARY'"]]);
      expect(await rows(u, 'SELECT COUNT(*) AS n, MAX(id) AS m FROM loc')).toEqual([{ n: 2000, m: 2000 }]);
      expect(await rows(u, 'SELECT v FROM loc WHERE id = 2')).toEqual([{ v: 'kept' }]);
      // The connection carries on with ordinary statements afterwards.
      expect(await rows(u, 'SELECT 1 + 1 AS x')).toEqual([{ x: 2 }]);
    } finally {
      await u.end();
      await c.query('SET GLOBAL local_infile = DEFAULT');
    }
  });
});

describe('other sessions', () => {
  it(req(['CORE-LOAD-015#mysql2'], 'wire', 'while a LOCAL client is still sending its file, other sessions keep running'), async () => {
    await c.query('CREATE TABLE slow (a INT) ENGINE=InnoDB; CREATE TABLE side (a INT)');
    await c.query('SET GLOBAL local_infile = ON');
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    async function* chunks(): AsyncGenerator<Buffer> {
      yield Buffer.from('1\n2\n');
      await gate;
      yield Buffer.from('3\n');
    }
    const loader = await srv.connect({ database: 'ld', infileStreamFactory: () => Readable.from(chunks()) });
    try {
      const [idr] = await loader.query<Rows>('SELECT CONNECTION_ID() AS id');
      const id = Number(idr[0]!['id']);
      const loading = loader.query("LOAD DATA LOCAL INFILE 'slow.txt' INTO TABLE slow");
      let info = '';
      for (let i = 0; i < 200 && !info.startsWith('LOAD DATA'); i++) {
        const [p] = await c.query<Rows>(`SELECT COMMAND, INFO FROM information_schema.PROCESSLIST WHERE ID = ${id}`);
        if (p[0]?.['COMMAND'] === 'Query') info = String(p[0]?.['INFO'] ?? '');
      }
      expect(info).toBe("LOAD DATA LOCAL INFILE 'slow.txt' INTO TABLE slow");
      // Meanwhile another session writes and reads.
      await c.query('INSERT INTO side VALUES (100)');
      expect(await rows(c, 'SELECT a FROM side')).toEqual([{ a: 100 }]);
      expect(await rows(c, 'SELECT COUNT(*) AS n FROM slow')).toEqual([{ n: 0 }]);
      release();
      const [r] = await loading;
      expect((r as mysql.ResultSetHeader).info).toBe('Records: 3  Deleted: 0  Skipped: 0  Warnings: 0');
      expect(await rows(c, 'SELECT SUM(a) AS s FROM slow')).toEqual([{ s: '6' }]);
    } finally {
      release();
      await loader.end();
      await c.query('SET GLOBAL local_infile = DEFAULT');
    }
  });

  it(req(['CORE-LOAD-018#transaction'], 'wire', 'rows loaded in a transaction appear to others at commit and vanish on rollback'), async () => {
    await c.query('CREATE TABLE tx (a INT) ENGINE=InnoDB');
    const f = put('tx.txt', '1\n2\n3\n');
    const other = await srv.connect({ database: 'ld' });
    await c.query('START TRANSACTION');
    await load(c, `LOAD DATA INFILE '${f}' INTO TABLE tx`);
    expect(await rows(other, 'SELECT COUNT(*) AS n FROM tx')).toEqual([{ n: 0 }]);
    await c.query('ROLLBACK');
    expect(await rows(c, 'SELECT COUNT(*) AS n FROM tx')).toEqual([{ n: 0 }]);
    await c.query('START TRANSACTION');
    await load(c, `LOAD DATA INFILE '${f}' INTO TABLE tx`);
    await c.query('COMMIT');
    expect(await rows(other, 'SELECT SUM(a) AS s FROM tx')).toEqual([{ s: '6' }]);
    await other.end();
  });

  it(req(['CORE-LOAD-018#locks'], 'wire', 'LOAD DATA waits for another session\'s LOCK TABLES READ'), async () => {
    await c.query('CREATE TABLE lk (a INT) ENGINE=MyISAM');
    const f = put('lk.txt', '1\n2\n');
    const holder = await srv.connect({ database: 'ld' });
    const loader = await srv.connect({ database: 'ld' });
    const [idr] = await loader.query<Rows>('SELECT CONNECTION_ID() AS id');
    const loaderId = Number(idr[0]!['id']);
    await holder.query('LOCK TABLES lk READ');
    const loading = loader.query(`LOAD DATA INFILE '${f}' INTO TABLE lk`);
    let state = '';
    for (let i = 0; i < 200 && !/Waiting/.test(state); i++) {
      const [p] = await c.query<Rows>(`SELECT STATE FROM information_schema.PROCESSLIST WHERE ID = ${loaderId}`);
      state = String(p[0]?.['STATE'] ?? '');
    }
    expect(state).toMatch(/^Waiting for table/);
    expect(await rows(holder, 'SELECT COUNT(*) AS n FROM lk')).toEqual([{ n: 0 }]);
    await holder.query('UNLOCK TABLES');
    const [r] = await loading;
    expect((r as mysql.ResultSetHeader).affectedRows).toBe(2);
    expect(await rows(holder, 'SELECT COUNT(*) AS n FROM lk')).toEqual([{ n: 2 }]);
    await holder.end();
    await loader.end();
  });
});

describe('secure_file_priv settings', () => {
  it(req(['CORE-LOAD-010#empty', 'CORE-LOAD-012'], 'wire', "--secure-file-priv='' allows any path; bare and relative names resolve under the datadir"), async () => {
    const s = await startTestServer({ options: { 'secure-file-priv': '' } });
    try {
      const k = await s.connect({ multipleStatements: true });
      const [v] = await k.query<Rows>('SELECT @@secure_file_priv AS p');
      expect(v[0]!['p']).toBe('');
      expect(s.logLines.some((l) => l.includes('[Warning] [MY-010101] [Server] Insecure configuration for --secure-file-priv: Location is accessible to all OS users. Consider choosing a different directory.'))).toBe(true);
      expect(srv.logLines.some((l) => l.includes('MY-010101'))).toBe(false);
      await k.query('CREATE DATABASE rel; USE rel; CREATE TABLE t (a INT)');
      writeFileSync(join(s.datadir, 'rel', 'bare.txt'), '1\n');
      writeFileSync(join(s.datadir, 'top.txt'), '2\n');
      const abs = join(dirname(s.datadir), 'abs.txt');
      writeFileSync(abs, '3\n');
      await k.query("LOAD DATA INFILE 'bare.txt' INTO TABLE t");
      await k.query("LOAD DATA INFILE './top.txt' INTO TABLE t");
      await k.query(`LOAD DATA INFILE '${abs}' INTO TABLE t`);
      expect(await rows(k, 'SELECT a FROM t ORDER BY a')).toEqual([{ a: 1 }, { a: 2 }, { a: 3 }]);
      // INTO OUTFILE resolves names the same way.
      await k.query("SELECT a FROM t ORDER BY a INTO OUTFILE 'out.txt'");
      expect(readFileSync(join(s.datadir, 'rel', 'out.txt'), 'latin1')).toBe('1\n2\n3\n');
      // Without a default schema a bare name is in the table's schema directory.
      await k.query('CREATE DATABASE other');
      await k.changeUser({ database: 'other' });
      await k.query('DROP DATABASE other');
      await k.query("LOAD DATA INFILE 'bare.txt' INTO TABLE rel.t");
      expect(await rows(k, 'SELECT COUNT(*) AS n FROM rel.t')).toEqual([{ n: 4 }]);
      await k.end();
    } finally {
      await s.stop();
    }
  });

  it(req(['CORE-LOAD-010#null'], 'wire', '--secure-file-priv=NULL refuses every file'), async () => {
    const s = await startTestServer({ options: { 'secure-file-priv': 'NULL' } });
    try {
      const k = await s.connect({ multipleStatements: true });
      const [v] = await k.query<Rows>('SELECT @@secure_file_priv AS p');
      expect(v[0]!['p']).toBe(null);
      await k.query('CREATE DATABASE n; USE n; CREATE TABLE t (a INT)');
      const p = join(dirname(s.datadir), 'mysql-files-null.txt');
      writeFileSync(p, '1\n');
      let e = await failureOf(k.query(`LOAD DATA INFILE '${p}' INTO TABLE t`));
      expect(e.errno).toBe(1290);
      e = await failureOf(k.query(`SELECT 1 INTO OUTFILE '${p}.out'`));
      expect(e.errno).toBe(1290);
      await k.end();
    } finally {
      await s.stop();
    }
  });
});
