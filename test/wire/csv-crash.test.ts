/**
 * The CSV engine across kill -9 and a clean restart, through the real server binary (needs a
 * build: `npx tsc -p tsconfig.json`): every row change the server acknowledged is in t.CSV, the
 * metafile left dirty by the crash makes the next open repair (recount) the table, and a clean
 * shutdown leaves a clean metafile with the row count.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type mysql from 'mysql2/promise';
import { afterAll, describe, expect, it } from 'vitest';
import { req } from '../helpers/req.js';
import { ServerLab } from '../helpers/server-lab.js';

const lab = new ServerLab();
afterAll(() => lab.cleanup());

async function rows(c: mysql.Connection, sql: string): Promise<Record<string, unknown>[]> {
  const [r] = await c.query<mysql.RowDataPacket[]>(sql);
  return r.map((x) => ({ ...x }));
}

const csm = (dir: string, t: string): Buffer => readFileSync(join(dir, 'test', `${t}.CSM`));

describe('CSV: durability', () => {
  it(req(['CSV-004', 'CSV-011', 'CSV-034'], 'wire', 'kill -9 right after acknowledged INSERTs, an UPDATE and a DELETE: after restart every acknowledged change is there, the dirty .CSM is repaired, CHECK is OK'), async () => {
    const dir = await lab.datadir();
    const a = await lab.start(dir);
    await a.conn.query('CREATE TABLE t (id INT NOT NULL, v VARCHAR(20) NOT NULL) ENGINE=CSV');
    for (let i = 1; i <= 20; i++) await a.conn.query(`INSERT INTO t VALUES (${i}, 'row ${i}')`);
    await a.conn.query("INSERT INTO t VALUES (21, 'a'), (22, 'b'), (23, 'c')");
    await a.conn.query("UPDATE t SET v = 'changed' WHERE id = 5");
    const [d] = await a.conn.query<mysql.ResultSetHeader>('DELETE FROM t WHERE id > 20');
    expect(d.affectedRows).toBe(3);
    // Open for writing: the metafile says dirty.
    expect(csm(dir, 't')[34]).toBe(1);
    await lab.crash(a);

    const b = await lab.start(dir);
    const want = Array.from({ length: 20 }, (_, k) => ({ id: k + 1, v: k + 1 === 5 ? 'changed' : `row ${k + 1}` }));
    expect(await rows(b.conn, 'SELECT id, v FROM t ORDER BY id')).toEqual(want);
    // The open repaired the table: the metafile counts the rows and is clean again.
    const m = csm(dir, 't');
    expect([m[0], m.readBigUInt64LE(2), m[34]]).toEqual([0xfe, 20n, 0]);
    expect(await rows(b.conn, 'CHECK TABLE t')).toEqual([{ Table: 'test.t', Op: 'check', Msg_type: 'status', Msg_text: 'OK' }]);

    await b.conn.query("INSERT INTO t VALUES (30, 'after')");
    await lab.stop(b);
    // A clean shutdown closes the table: row count written, flag cleared.
    const m2 = csm(dir, 't');
    expect([m2.readBigUInt64LE(2), m2[34]]).toEqual([21n, 0]);
    expect(readFileSync(join(dir, 'test', 't.CSV'), 'latin1').split('\n').filter((l) => l !== '')).toHaveLength(21);
  }, 60_000);
});
