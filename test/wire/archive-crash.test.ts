/**
 * ARCHIVE across kill -9 (real server processes): rows acknowledged before FLUSH TABLES are
 * there after the crash, the file reads back whole, and a torn member at the end of a file left
 * dirty is cut off at startup, keeping every complete member.
 */
import { appendFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type mysql from 'mysql2/promise';
import { afterAll, describe, expect, it } from 'vitest';
import { req } from '../helpers/req.js';
import { ServerLab } from '../helpers/server-lab.js';

const lab = new ServerLab();

afterAll(async () => {
  await lab.cleanup();
});

async function count(conn: mysql.Connection, table: string): Promise<number> {
  const [r] = await conn.query<mysql.RowDataPacket[]>(`SELECT COUNT(*) AS n FROM ${table}`);
  return Number(r[0]!['n']);
}

async function check(conn: mysql.Connection, table: string): Promise<string> {
  const [r] = await conn.query<mysql.RowDataPacket[]>(`CHECK TABLE ${table}`);
  return `${r[0]!['Msg_type']} ${r[0]!['Msg_text']}`;
}

describe('ARCHIVE and crashes', () => {
  it(req(['ARCHIVE-055'], 'wire', 'rows acknowledged before FLUSH TABLES survive kill -9; at restart the dirty file is recovered to its complete members and reads back whole'), async () => {
    const dir = await lab.datadir();
    let s = await lab.start(dir);
    await s.conn.query('CREATE TABLE kept (id INT AUTO_INCREMENT PRIMARY KEY, s VARCHAR(30)) ENGINE=ARCHIVE');
    await s.conn.query(`INSERT INTO kept (s) VALUES ${Array.from({ length: 100 }, (_, i) => `('bulk ${i}')`).join(', ')}`);
    for (let i = 0; i < 5; i++) await s.conn.query(`INSERT INTO kept (s) VALUES ('single ${i}')`);
    await s.conn.query('FLUSH TABLES');
    const path = join(dir, 'test', 'kept.ARZ');
    expect(readFileSync(path)[77]).toBe(0);
    // More rows after the flush: the file is open for writing again (dirty) when the crash comes.
    await s.conn.query("INSERT INTO kept (s) VALUES ('late 1'), ('late 2')");
    await s.conn.query('SELECT COUNT(*) FROM kept');
    await s.conn.query("INSERT INTO kept (s) VALUES ('late 3')");
    expect(readFileSync(path)[77]).toBe(1);
    await lab.crash(s);

    s = await lab.start(dir);
    const n = await count(s.conn, 'kept');
    // Everything before FLUSH TABLES, and what a read had written out; an unflushed buffer may go.
    expect(n).toBeGreaterThanOrEqual(107);
    expect(n).toBeLessThanOrEqual(108);
    const [rows] = await s.conn.query<mysql.RowDataPacket[]>('SELECT id, s FROM kept WHERE id <= 105 ORDER BY id');
    expect(rows.map((r) => r['s'])).toEqual([...Array.from({ length: 100 }, (_, i) => `bulk ${i}`), ...Array.from({ length: 5 }, (_, i) => `single ${i}`)]);
    expect(await check(s.conn, 'kept')).toBe('status OK');
    expect(readFileSync(path)[77]).toBe(0);
    // The sequence continues above every value stored.
    const [ins] = await s.conn.query<mysql.ResultSetHeader>("INSERT INTO kept (s) VALUES ('after')");
    expect(ins.insertId).toBe(n + 1);
    await lab.stop(s);
  }, 60_000);

  it(req(['ARCHIVE-055'], 'wire', 'a torn member at the end of a dirty file is cut off at startup: the complete members stay and the table is not marked crashed'), async () => {
    const dir = await lab.datadir();
    let s = await lab.start(dir);
    await s.conn.query('CREATE TABLE torn (n INT) ENGINE=ARCHIVE');
    await s.conn.query('INSERT INTO torn VALUES (1), (2), (3)');
    await lab.stop(s);
    const path = join(dir, 'test', 'torn.ARZ');
    const size = statSync(path).size;
    // What a crash in the middle of an append leaves: the start of a member, and the file dirty.
    appendFileSync(path, Buffer.from([0xed, 0xc1, 0x01, 0x0d, 0x00, 0x00]));
    const f = readFileSync(path);
    f[77] = 1;
    writeFileSync(path, f);

    s = await lab.start(dir);
    expect(await count(s.conn, 'torn')).toBe(3);
    expect(statSync(path).size).toBe(size);
    expect(await check(s.conn, 'torn')).toBe('status OK');
    await s.conn.query('INSERT INTO torn VALUES (4)');
    expect(await count(s.conn, 'torn')).toBe(4);
    await lab.stop(s);
  }, 60_000);

  it(req(['ARCHIVE-043', 'ARCHIVE-055'], 'wire', 'a clean file whose data no longer reads back opens marked crashed: SELECT fails with 1194, CHECK says Corrupt, REPAIR keeps the readable rows'), async () => {
    const dir = await lab.datadir();
    let s = await lab.start(dir);
    await s.conn.query('CREATE TABLE spoiled (n INT) ENGINE=ARCHIVE');
    await s.conn.query('INSERT INTO spoiled VALUES (1), (2)');
    await s.conn.query('SELECT * FROM spoiled');
    await s.conn.query('INSERT INTO spoiled VALUES (3), (4)');
    await lab.stop(s);
    const path = join(dir, 'test', 'spoiled.ARZ');
    const f = readFileSync(path);
    f[f.length - 12] ^= 0xff;
    writeFileSync(path, f);

    s = await lab.start(dir);
    const e = await s.conn.query('SELECT * FROM spoiled').then(
      () => null,
      (x: { errno: number; message: string }) => x,
    );
    expect([e?.errno, e?.message]).toEqual([1194, "Table 'spoiled' is marked as crashed and should be repaired"]);
    expect(await check(s.conn, 'spoiled')).toBe('error Corrupt');
    const [rep] = await s.conn.query<mysql.RowDataPacket[]>('REPAIR TABLE spoiled');
    expect(rep.map((r) => `${r['Msg_type']} ${r['Msg_text']}`)).toEqual(['status OK']);
    const [rows] = await s.conn.query<mysql.RowDataPacket[]>('SELECT n FROM spoiled');
    expect(rows.map((r) => r['n'])).toEqual([1, 2]);
    await lab.stop(s);
  }, 60_000);
});
