/**
 * The ARCHIVE engine over the wire (mysql2): the statements it supports and refuses, its one
 * AUTO_INCREMENT index, its `.ARZ` file read here with node:zlib alone, buffered and bulk
 * inserts and their visibility, consistent reads, OPTIMIZE / CHECK / REPAIR on healthy and
 * damaged files, and SHOW TABLE STATUS.
 */
import { existsSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, inflateRawSync } from 'node:zlib';
import type mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { req } from '../helpers/req.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { failureOf as err } from '../helpers/sql.js';

let srv: TestServer;
let c: mysql.Connection;

/** What this test reads from a `.ARZ` file on its own (Appendix C layout). */
interface ArzImage {
  magic: number;
  version: number;
  minor: number;
  dataStart: number;
  rows: number;
  flushPos: number;
  autoIncrement: bigint;
  dirty: number;
  /** Inflated bytes of each member. */
  members: Buffer[];
  /** Every record's packed bytes, in file order. */
  records: Buffer[];
}

function readArz(path: string): ArzImage {
  const f = readFileSync(path);
  const img: ArzImage = {
    magic: f[0]!,
    version: f[1]!,
    minor: f[2]!,
    dataStart: Number(f.readBigUInt64LE(21)),
    rows: Number(f.readBigUInt64LE(29)),
    flushPos: Number(f.readBigUInt64LE(37)),
    autoIncrement: f.readBigUInt64LE(53),
    dirty: f[77]!,
    members: [],
    records: [],
  };
  let p = img.dataStart;
  while (p < f.length) {
    const r = inflateRawSync(f.subarray(p), { info: true }) as unknown as { buffer: Buffer; engine: { bytesWritten: number } };
    const used = r.engine.bytesWritten;
    expect(f.readUInt32LE(p + used)).toBe(crc32(r.buffer));
    expect(f.readUInt32LE(p + used + 4)).toBe(r.buffer.length);
    img.members.push(r.buffer);
    let q = 0;
    while (q < r.buffer.length) {
      const n = r.buffer.readUInt32LE(q);
      img.records.push(r.buffer.subarray(q + 4, q + 4 + n));
      q += 4 + n;
    }
    expect(q).toBe(r.buffer.length);
    p += used + 8;
  }
  return img;
}

function arz(table: string): string {
  return join(srv.datadir, 'ar', `${table}.ARZ`);
}

async function all(conn: mysql.Connection, sql: string, params: unknown[] = []): Promise<mysql.RowDataPacket[]> {
  const [r] = await conn.query<mysql.RowDataPacket[]>(sql, params);
  return r;
}

async function count(conn: mysql.Connection, table: string): Promise<number> {
  return Number((await all(conn, `SELECT COUNT(*) AS n FROM ${table}`))[0]!['n']);
}

async function status(table: string): Promise<mysql.RowDataPacket> {
  return (await all(c, `SHOW TABLE STATUS LIKE '${table}'`))[0]!;
}

beforeAll(async () => {
  srv = await startTestServer();
  c = await srv.connect();
  await c.query('CREATE DATABASE ar');
  await c.query('USE ar');
});

afterAll(async () => {
  await c?.end();
  await srv?.stop();
});

describe('ARCHIVE statements', () => {
  it(req(['ARCHIVE-003', 'ARCHIVE-002'], 'wire', 'SHOW ENGINES lists ARCHIVE with Support YES and no transactions, XA or savepoints'), async () => {
    const row = (await all(c, 'SHOW ENGINES')).find((r) => r['Engine'] === 'ARCHIVE');
    expect(row).toEqual({ Engine: 'ARCHIVE', Support: 'YES', Comment: 'Archive storage engine', Transactions: 'NO', XA: 'NO', Savepoints: 'NO' });
  });

  it(req(['ARCHIVE-010', 'ARCHIVE-012'], 'wire', 'INSERT (single, multi-row, INSERT ... SELECT), REPLACE and SELECT work; ORDER BY sorts; BLOB, TEXT and GEOMETRY columns round-trip'), async () => {
    await c.query('CREATE TABLE ops (n INT, s VARCHAR(20), b BLOB, t TEXT) ENGINE=ARCHIVE');
    await c.query("INSERT INTO ops VALUES (3, 'c', 'bb', 'x')");
    const multi = (await c.query<mysql.ResultSetHeader>("INSERT INTO ops VALUES (1, 'a', NULL, NULL), (2, 'b', x'00ff', REPEAT('t', 5000))"))[0];
    expect([multi.affectedRows, multi.info]).toEqual([2, 'Records: 2  Duplicates: 0  Warnings: 0']);
    const sel = (await c.query<mysql.ResultSetHeader>('INSERT INTO ops SELECT n + 10, s, b, t FROM ops WHERE n < 3'))[0];
    expect(sel.affectedRows).toBe(2);
    expect((await c.query<mysql.ResultSetHeader>("REPLACE INTO ops VALUES (4, 'd', NULL, 'r')"))[0].affectedRows).toBe(1);
    const rows = await all(c, 'SELECT n, s, HEX(b) AS b, LENGTH(t) AS t FROM ops ORDER BY n DESC');
    expect(rows).toEqual([
      { n: 12, s: 'b', b: '00FF', t: 5000 },
      { n: 11, s: 'a', b: null, t: null },
      { n: 4, s: 'd', b: null, t: 1 },
      { n: 3, s: 'c', b: '6262', t: 1 },
      { n: 2, s: 'b', b: '00FF', t: 5000 },
      { n: 1, s: 'a', b: null, t: null },
    ]);
    expect(await all(c, 'SELECT s FROM ops ORDER BY s, n LIMIT 3')).toEqual([{ s: 'a' }, { s: 'a' }, { s: 'b' }]);
    // A spatial column keeps its value (SRID and WKB of POINT(1 1)).
    await c.query('CREATE TABLE geo (id INT, p GEOMETRY) ENGINE=ARCHIVE');
    const point = '000000000101000000000000000000F03F000000000000F03F';
    await c.query(`INSERT INTO geo VALUES (1, x'${point}')`);
    expect(await all(c, 'SELECT id, HEX(p) AS p FROM geo')).toEqual([{ id: 1, p: point }]);
  });

  it(req(['ARCHIVE-011'], 'wire', 'UPDATE and DELETE (with and without WHERE) fail with 1031 "Table storage engine for \'t\' doesn\'t have this option" and change nothing'), async () => {
    await c.query('CREATE TABLE nochange (n INT) ENGINE=ARCHIVE');
    await c.query('INSERT INTO nochange VALUES (1), (2), (3)');
    for (const sql of ['UPDATE nochange SET n = n + 1', 'UPDATE nochange SET n = 0 WHERE n = 2', 'DELETE FROM nochange WHERE n = 1', 'DELETE FROM nochange']) {
      const e = await err(c.query(sql));
      expect([e.errno, e.sqlState, e.sqlMessage], sql).toEqual([1031, 'HY000', "Table storage engine for 'nochange' doesn't have this option"]);
    }
    expect(await all(c, 'SELECT n FROM nochange ORDER BY n')).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
  });

  it(req(['ARCHIVE-026'], 'wire', 'TRUNCATE TABLE fails with 1031 and the rows stay (A-21: decided as MySQL 5.x and MariaDB, whose ARCHIVE refuses it)'), async () => {
    await c.query('CREATE TABLE notrunc (n INT) ENGINE=ARCHIVE');
    await c.query('INSERT INTO notrunc VALUES (1), (2)');
    const e = await err(c.query('TRUNCATE TABLE notrunc'));
    expect([e.errno, e.sqlMessage]).toEqual([1031, "Table storage engine for 'notrunc' doesn't have this option"]);
    expect(await count(c, 'notrunc')).toBe(2);
  });

  it(req(['ARCHIVE-025'], 'wire', 'PARTITION BY fails with 1178 and creates nothing'), async () => {
    const e = await err(c.query('CREATE TABLE parted (i INT) ENGINE=ARCHIVE PARTITION BY HASH(i) PARTITIONS 2'));
    expect(e.errno).toBe(1178);
    expect((await err(c.query('SELECT * FROM parted'))).errno).toBe(1146);
    expect(existsSync(arz('parted'))).toBe(false);
  });

  it(req(['ARCHIVE-002', 'ENGINE-CHOOSE-008', 'ENGINE-CHOOSE-010', 'ENGINE-CHOOSE-016'], 'wire', 'FULLTEXT is 1214, SPATIAL 1464; ROLLBACK warns 1196 and the row stays'), async () => {
    expect((await err(c.query('CREATE TABLE ft (a TEXT, FULLTEXT (a)) ENGINE=ARCHIVE'))).errno).toBe(1214);
    expect((await err(c.query('CREATE TABLE sp (g GEOMETRY NOT NULL SRID 0, SPATIAL INDEX (g)) ENGINE=ARCHIVE'))).errno).toBe(1464);
    await c.query('CREATE TABLE nontx (n INT) ENGINE=ARCHIVE');
    await c.query('BEGIN');
    await c.query('INSERT INTO nontx VALUES (1)');
    await c.query('ROLLBACK');
    expect((await all(c, 'SHOW WARNINGS')).map((w) => w['Code'])).toEqual([1196]);
    expect(await count(c, 'nontx')).toBe(1);
  });
});

describe('ARCHIVE AUTO_INCREMENT and its index', () => {
  it(req(['ARCHIVE-020'], 'wire', 'the AUTO_INCREMENT column may carry a PRIMARY, UNIQUE or non-unique key; reads through it find the rows'), async () => {
    for (const [t, key] of [['aipk', 'PRIMARY KEY (id)'], ['aiuq', 'UNIQUE KEY (id)'], ['aikey', 'KEY (id)']] as const) {
      await c.query(`CREATE TABLE ${t} (id INT NOT NULL AUTO_INCREMENT, v VARCHAR(5), ${key}) ENGINE=ARCHIVE`);
      const r = (await c.query<mysql.ResultSetHeader>(`INSERT INTO ${t} (v) VALUES ('a'), ('b'), ('c')`))[0];
      expect(r.insertId, t).toBe(1);
      expect(await all(c, `SELECT v FROM ${t} WHERE id = 2`), t).toEqual([{ v: 'b' }]);
      expect(await all(c, `SELECT id FROM ${t} WHERE id >= 2 ORDER BY id DESC`), t).toEqual([{ id: 3 }, { id: 2 }]);
    }
  });

  it(req(['ARCHIVE-021'], 'wire', 'an index on any other column fails with 1031 (the engine refuses the definition, A-19); a second index is 1069'), async () => {
    for (const sql of ['CREATE TABLE badk (a INT, b INT, KEY (b)) ENGINE=ARCHIVE', 'CREATE TABLE badk (a INT NOT NULL, PRIMARY KEY (a)) ENGINE=ARCHIVE', 'CREATE TABLE badk (id INT AUTO_INCREMENT, b INT, KEY (id, b)) ENGINE=ARCHIVE']) {
      const e = await err(c.query(sql));
      expect([e.errno, e.sqlMessage], sql).toEqual([1031, "Table storage engine for 'badk' doesn't have this option"]);
    }
    const two = await err(c.query('CREATE TABLE badk (id INT AUTO_INCREMENT, b INT, KEY (id), KEY (b)) ENGINE=ARCHIVE'));
    expect([two.errno, two.sqlMessage]).toEqual([1069, 'Too many keys specified; max 1 keys allowed']);
    expect(existsSync(arz('badk'))).toBe(false);
  });

  it(req(['ARCHIVE-022'], 'wire', 'AUTO_INCREMENT=n sets the first value on CREATE; ALTER TABLE ... AUTO_INCREMENT=n resets the sequence of an existing table'), async () => {
    await c.query('CREATE TABLE aistart (id INT AUTO_INCREMENT PRIMARY KEY, v INT) ENGINE=ARCHIVE AUTO_INCREMENT=5');
    expect((await c.query<mysql.ResultSetHeader>('INSERT INTO aistart (v) VALUES (1)'))[0].insertId).toBe(5);
    await c.query('INSERT INTO aistart (v) VALUES (2)');
    await c.query('ALTER TABLE aistart AUTO_INCREMENT=1000');
    expect((await c.query<mysql.ResultSetHeader>('INSERT INTO aistart (v) VALUES (3)'))[0].insertId).toBe(1000);
    expect(await all(c, 'SELECT id, v FROM aistart ORDER BY id')).toEqual([
      { id: 5, v: 1 },
      { id: 6, v: 2 },
      { id: 1000, v: 3 },
    ]);
  });

  it(req(['ARCHIVE-023'], 'wire', 'under a unique AUTO_INCREMENT key a value at or below the largest stored fails with 1022 (SQLSTATE 23000), also for REPLACE, and INSERT IGNORE skips it with warning 1022; NULL continues above the largest; a non-unique key accepts lower values (A-20)'), async () => {
    await c.query('CREATE TABLE dupk (id INT AUTO_INCREMENT PRIMARY KEY, v INT) ENGINE=ARCHIVE');
    await c.query('INSERT INTO dupk (v) VALUES (1), (2), (3), (4), (5)');
    await c.query('INSERT INTO dupk VALUES (32, 32)');
    for (const id of [23, 32, 1]) {
      const e = await err(c.query(`INSERT INTO dupk VALUES (${id}, 0)`));
      expect([e.errno, e.sqlState, e.sqlMessage], String(id)).toEqual([1022, '23000', "Can't write; duplicate key in table 'dupk'"]);
    }
    expect((await err(c.query('REPLACE INTO dupk VALUES (23, 0)'))).errno).toBe(1022);
    // IGNORE skips the row with the error as a warning.
    const ign = (await c.query<mysql.ResultSetHeader>('INSERT IGNORE INTO dupk VALUES (3, 0), (40, 40)'))[0];
    expect([ign.affectedRows, ign.info]).toEqual([1, 'Records: 2  Duplicates: 1  Warnings: 1']);
    expect((await all(c, 'SHOW WARNINGS')).map((w) => [w['Level'], w['Code'], w['Message']])).toEqual([['Warning', 1022, "Can't write; duplicate key in table 'dupk'"]]);
    expect((await c.query<mysql.ResultSetHeader>('INSERT INTO dupk VALUES (NULL, 41)'))[0].insertId).toBe(41);
    expect(await count(c, 'dupk')).toBe(8);

    await c.query('CREATE TABLE nonuk (id INT AUTO_INCREMENT, KEY (id)) ENGINE=ARCHIVE');
    await c.query('INSERT INTO nonuk VALUES (NULL), (NULL), (32), (23), (3), (NULL)');
    expect((await all(c, 'SELECT id FROM nonuk')).map((r) => r['id'])).toEqual([1, 2, 32, 23, 3, 33]);
  });
});

describe('ARCHIVE storage', () => {
  it(req(['ARCHIVE-004', 'ARCHIVE-040', 'ARCHIVE-041'], 'wire', 'the .ARZ file: azio v3 header (magic FE, version 3, data start, row count, auto-increment, clean after FLUSH TABLES) and raw-deflate members that node:zlib alone inflates into the rows'), async () => {
    await c.query('CREATE TABLE filed (id INT NOT NULL AUTO_INCREMENT, n INT, s VARCHAR(100), PRIMARY KEY (id)) ENGINE=ARCHIVE');
    expect(existsSync(arz('filed'))).toBe(true);
    const marker = 'MARKER-ABCDEFGHIJ';
    const values = Array.from({ length: 200 }, (_, i) => `(NULL, ${i}, '${marker}${i}')`).join(', ');
    await c.query(`INSERT INTO filed VALUES ${values}`);
    await c.query('INSERT INTO filed (n, s) VALUES (1000, NULL)');
    await c.query('FLUSH TABLES');
    const img = readArz(arz('filed'));
    expect([img.magic, img.version, img.minor, img.dataStart, img.dirty]).toEqual([0xfe, 3, 1, 78, 0]);
    expect(img.rows).toBe(await count(c, 'filed'));
    expect(img.rows).toBe(201);
    expect(img.autoIncrement).toBe(201n);
    expect(img.flushPos).toBe(statSync(arz('filed')).size);
    expect(img.records.length).toBe(201);
    // Record 0: null bitmap (bit 0 set; bits 1 and 2 clear: n and s not NULL; unused bits set),
    // id and n as little-endian INTs, then s.
    const first = img.records[0]!;
    expect(first[0]).toBe(0xf9);
    expect([first.readInt32LE(1), first.readInt32LE(5)]).toEqual([1, 0]);
    expect(first.subarray(9).includes(Buffer.from(`${marker}0`))).toBe(true);
    const last = img.records[200]!;
    expect(last[0]).toBe(0xfd);
    expect([last.readInt32LE(1), last.readInt32LE(5), last.length]).toEqual([201, 1000, 9]);
    for (let i = 0; i < 200; i += 37) expect(Buffer.concat(img.members).includes(Buffer.from(`${marker}${i}`))).toBe(true);
  });

  it(req(['ARCHIVE-040'], 'wire', 'rows are compressed as inserted: a 64 KB marker is not in the file as text and the file is much smaller than the data'), async () => {
    await c.query('CREATE TABLE squeezed (s LONGTEXT) ENGINE=ARCHIVE');
    await c.query("INSERT INTO squeezed VALUES (REPEAT('ABCDEF', 11000))");
    await c.query('SELECT COUNT(*) FROM squeezed');
    const file = readFileSync(arz('squeezed'));
    expect(file.includes(Buffer.from('ABCDEFABCDEFABCDEF'))).toBe(false);
    expect(file.length).toBeLessThan(66000 / 20);
    expect(readArz(arz('squeezed')).records[0]!.includes(Buffer.from('ABCDEF'.repeat(100)))).toBe(true);
  });

  it(req(['ARCHIVE-005', 'ARCHIVE-052'], 'wire', 'SHOW TABLE STATUS and information_schema.TABLES: Row_format Compressed, Rows exact, Data_length the file size, no index length'), async () => {
    await c.query('SET SESSION information_schema_stats_expiry = 0');
    await c.query('CREATE TABLE counted (id INT AUTO_INCREMENT, v INT, KEY (id)) ENGINE=ARCHIVE');
    await c.query('INSERT INTO counted (v) VALUES (1)');
    await c.query('INSERT INTO counted (v) VALUES (2), (3), (4)');
    await c.query('INSERT INTO counted (v) SELECT v FROM counted');
    await c.query('REPLACE INTO counted (v) VALUES (9)');
    const n = await count(c, 'counted');
    expect(n).toBe(9);
    const st = await status('counted');
    expect([st['Engine'], st['Row_format'], Number(st['Rows']), Number(st['Data_length']), Number(st['Index_length']), Number(st['Auto_increment'])]).toEqual(['ARCHIVE', 'Compressed', 9, statSync(arz('counted')).size, 0, 10]);
    const is = (await all(c, "SELECT ROW_FORMAT, TABLE_ROWS, DATA_LENGTH FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'ar' AND TABLE_NAME = 'counted'"))[0]!;
    expect([is['ROW_FORMAT'], Number(is['TABLE_ROWS']), Number(is['DATA_LENGTH'])]).toEqual(['Compressed', 9, statSync(arz('counted')).size]);
    // Rows counts acknowledged inserts at once, before any read flushes them.
    await c.query('INSERT INTO counted (v) VALUES (10)');
    expect(Number((await status('counted'))['Rows'])).toBe(10);
  });

  it(req(['ARCHIVE-044'], 'wire', 'a plain INSERT is buffered; the next SELECT of any connection sees it'), async () => {
    await c.query('CREATE TABLE buffered (n INT) ENGINE=ARCHIVE');
    const b = await srv.connect({ database: 'ar' });
    try {
      await c.query('INSERT INTO buffered VALUES (1)');
      const before = statSync(arz('buffered')).size;
      expect(await all(b, 'SELECT n FROM buffered')).toEqual([{ n: 1 }]);
      // The read turned the buffer into a member.
      expect(statSync(arz('buffered')).size).toBeGreaterThan(before);
      await c.query('INSERT INTO buffered VALUES (2)');
      expect(await count(b, 'buffered')).toBe(2);
    } finally {
      await b.end();
    }
  });

  it(req(['ARCHIVE-045'], 'wire', 'a bulk insert is visible only once it completes, unless a plain insert comes in meanwhile, which makes what it has so far visible'), async () => {
    await c.query('CREATE TABLE bulk (n INT, w INT) ENGINE=ARCHIVE');
    await c.query('INSERT INTO bulk VALUES (0, 0)');
    const loader = await srv.connect({ database: 'ar' });
    const reader = await srv.connect({ database: 'ar' });
    try {
      // Each row takes 0.3 s to compute: a second in, a few rows are in the bulk buffer.
      const values = Array.from({ length: 6 }, (_, i) => `(${i + 1}, SLEEP(0.3))`).join(', ');
      const load = loader.query(`INSERT INTO bulk VALUES ${values}`);
      await new Promise((r) => setTimeout(r, 1000));
      expect(await count(reader, 'bulk')).toBe(1);
      await load;
      expect(await count(reader, 'bulk')).toBe(7);

      const again = loader.query(`INSERT INTO bulk VALUES ${values}`);
      await new Promise((r) => setTimeout(r, 1000));
      await reader.query('INSERT INTO bulk VALUES (100, 0)');
      const seen = await count(reader, 'bulk');
      expect(seen).toBeGreaterThan(8);
      expect(seen).toBeLessThan(14);
      await again;
      expect(await count(reader, 'bulk')).toBe(14);
    } finally {
      await loader.end();
      await reader.end();
    }
  });

  it(req(['ARCHIVE-051', 'ARCHIVE-050'], 'wire', 'a SELECT returns exactly the rows there were when it started (a consistent read), while another connection inserts'), async () => {
    await c.query('CREATE TABLE steady (n INT) ENGINE=ARCHIVE');
    await c.query(`INSERT INTO steady VALUES ${Array.from({ length: 60 }, (_, i) => `(${i})`).join(', ')}`);
    const writer = await srv.connect({ database: 'ar' });
    try {
      const slow = c.query<mysql.RowDataPacket[]>('SELECT n, SLEEP(0.01) AS z FROM steady');
      // Let the SELECT start before the inserts begin.
      await new Promise((r) => setTimeout(r, 100));
      for (let i = 0; i < 20; i++) {
        await writer.query(`INSERT INTO steady VALUES (${1000 + i})`);
        await new Promise((r) => setTimeout(r, 10));
      }
      const [got] = await slow;
      expect(got.length).toBe(60);
      expect(got.every((r) => Number(r['n']) < 60)).toBe(true);
      expect(await count(c, 'steady')).toBe(80);
    } finally {
      await writer.end();
    }
  });

  it(req(['ARCHIVE-042', 'ARCHIVE-053', 'ARCHIVE-004'], 'wire', 'SELECTs between single inserts end many members; OPTIMIZE TABLE (status OK) packs the rows into fewer, the file shrinks, no .ARN stays, rows unchanged in order'), async () => {
    await c.query('CREATE TABLE packed (n INT, s VARCHAR(40)) ENGINE=ARCHIVE');
    for (let i = 0; i < 300; i++) {
      await c.query(`INSERT INTO packed VALUES (${i}, 'row number ${i} of the table')`);
      if (i % 2 === 0) await c.query('SELECT COUNT(*) FROM packed');
    }
    const rowsBefore = await all(c, 'SELECT n, s FROM packed');
    const s1 = statSync(arz('packed')).size;
    const m1 = readArz(arz('packed')).members.length;
    expect(m1).toBeGreaterThan(100);
    expect(await all(c, 'OPTIMIZE TABLE packed')).toEqual([{ Table: 'ar.packed', Op: 'optimize', Msg_type: 'status', Msg_text: 'OK' }]);
    const s2 = statSync(arz('packed')).size;
    expect(s2).toBeLessThan(s1 / 2);
    expect(readArz(arz('packed')).members.length).toBe(1);
    expect(existsSync(join(srv.datadir, 'ar', 'packed.ARN'))).toBe(false);
    expect(await all(c, 'SELECT n, s FROM packed')).toEqual(rowsBefore);
    // REPAIR recompresses as well and never makes the file larger.
    expect(await all(c, 'REPAIR TABLE packed')).toEqual([{ Table: 'ar.packed', Op: 'repair', Msg_type: 'status', Msg_text: 'OK' }]);
    expect(statSync(arz('packed')).size).toBeLessThanOrEqual(s2);
    expect(await all(c, 'ANALYZE TABLE packed')).toEqual([{ Table: 'ar.packed', Op: 'analyze', Msg_type: 'status', Msg_text: 'OK' }]);
  });

  it(req(['ARCHIVE-043'], 'wire', 'CHECK TABLE: OK when healthy; a damaged member is "error Corrupt", reads then fail with 1194; REPAIR TABLE keeps the readable rows'), async () => {
    await c.query('CREATE TABLE damaged (n INT, s VARCHAR(50)) ENGINE=ARCHIVE');
    // Three members: rows 0-9, 10-19, 20-29 (each SELECT ends one).
    for (const base of [0, 10, 20]) {
      await c.query(`INSERT INTO damaged VALUES ${Array.from({ length: 10 }, (_, i) => `(${base + i}, 'text ${base + i}')`).join(', ')}`);
      await c.query('SELECT COUNT(*) FROM damaged');
    }
    await c.query('FLUSH TABLES');
    expect(await all(c, 'CHECK TABLE damaged')).toEqual([{ Table: 'ar.damaged', Op: 'check', Msg_type: 'status', Msg_text: 'OK' }]);
    // Damage the deflate data of the third member.
    const path = arz('damaged');
    const file = readFileSync(path);
    const third = file.length - 20;
    for (let i = 0; i < 6; i++) file[third + i] ^= 0x5a;
    writeFileSync(path, file);
    expect(await all(c, 'CHECK TABLE damaged')).toEqual([{ Table: 'ar.damaged', Op: 'check', Msg_type: 'error', Msg_text: 'Corrupt' }]);
    const e = await err(c.query('SELECT * FROM damaged'));
    expect([e.errno, e.sqlMessage]).toEqual([1194, "Table 'damaged' is marked as crashed and should be repaired"]);
    expect((await err(c.query('INSERT INTO damaged VALUES (99, NULL)'))).errno).toBe(1194);
    expect(await all(c, 'REPAIR TABLE damaged')).toEqual([{ Table: 'ar.damaged', Op: 'repair', Msg_type: 'status', Msg_text: 'OK' }]);
    expect((await all(c, 'SELECT n FROM damaged')).map((r) => r['n'])).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(await all(c, 'CHECK TABLE damaged')).toEqual([{ Table: 'ar.damaged', Op: 'check', Msg_type: 'status', Msg_text: 'OK' }]);

    // A file cut short is corrupt too.
    await c.query('INSERT INTO damaged VALUES (20, NULL)');
    await c.query('FLUSH TABLES');
    truncateSync(path, statSync(path).size - 5);
    expect(await all(c, 'CHECK TABLE damaged')).toEqual([{ Table: 'ar.damaged', Op: 'check', Msg_type: 'error', Msg_text: 'Corrupt' }]);
    expect(await all(c, 'REPAIR TABLE damaged')).toEqual([{ Table: 'ar.damaged', Op: 'repair', Msg_type: 'status', Msg_text: 'OK' }]);
    expect(await count(c, 'damaged')).toBe(20);
  });

  it(req(['ARCHIVE-014'], 'wire', 'two connections insert into one table at the same time without waiting for each other'), async () => {
    await c.query('CREATE TABLE parallel (who INT, n INT) ENGINE=ARCHIVE');
    const a = await srv.connect({ database: 'ar' });
    const b = await srv.connect({ database: 'ar' });
    try {
      const slow = a.query(`INSERT INTO parallel VALUES ${Array.from({ length: 5 }, (_, i) => `(1, SLEEP(0.2) + ${i})`).join(', ')}`);
      await new Promise((r) => setTimeout(r, 200));
      // Not blocked by the running statement: answered while it still runs.
      let done = false;
      void slow.then(() => (done = true));
      await b.query('INSERT INTO parallel VALUES (2, 0)');
      expect(done).toBe(false);
      await slow;
      expect(await count(c, 'parallel')).toBe(6);
    } finally {
      await a.end();
      await b.end();
    }
  });
});
