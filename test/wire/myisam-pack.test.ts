/**
 * refmyisampack on the files of a stopped server: the table comes back compressed (smaller
 * .MYD, Row_format Compressed, same rows by scan and by key, CHECK TABLE OK), every change is
 * 1036, packing twice or a crashed table is refused, and refmyisamchk --unpack (or ALTER TABLE,
 * which copies the rows into a new table) makes it writable again.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type mysql from 'mysql2/promise';
import { req } from '../helpers/req.js';
import { initializedDatadir, REPO_ROOT, startTestServer } from '../helpers/server.js';

const PACK = join(REPO_ROOT, 'dist', 'src', 'tools', 'refmyisampack.js');
const CHK = join(REPO_ROOT, 'dist', 'src', 'tools', 'refmyisamchk.js');
const cleanup: string[] = [];
afterAll(() => {
  for (const p of cleanup) rmSync(p, { recursive: true, force: true });
});

function run(tool: string, ...args: string[]): { code: number; out: string } {
  const r = spawnSync(process.execPath, [tool, ...args], { encoding: 'utf8' });
  return { code: r.status ?? -1, out: r.stdout };
}

async function rows(c: mysql.Connection, sql: string): Promise<mysql.RowDataPacket[]> {
  const [r] = await c.query<mysql.RowDataPacket[]>(sql);
  return r;
}

async function expectErr(c: mysql.Connection, sql: string, errno: number, message: string): Promise<void> {
  await expect(c.query(sql)).rejects.toMatchObject({ errno, sqlState: 'HY000', message });
}

describe('refmyisampack', () => {
  it(
    req(['MYISAM-005', 'MYISAM-080', 'MYISAM-082', 'MYISAM-110', 'MYISAM-111', 'MYISAM-112', 'MYISAM-113', 'MYISAM-029'], 'wire', 'pack a fixed and a dynamic table offline: smaller, Compressed, same rows, read-only (1036), TRUNCATE recreates, unpacked again'),
    async () => {
      const { parent, datadir } = await initializedDatadir();
      cleanup.push(parent);
      let srv = await startTestServer({ datadir });
      let c = await srv.connect();
      await c.query('CREATE DATABASE pk');
      await c.query('CREATE TABLE pk.d (id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, v VARCHAR(60), b BLOB, n INT, KEY (v)) ENGINE=MyISAM');
      await c.query('CREATE TABLE pk.f (id INT NOT NULL PRIMARY KEY, c CHAR(40), u INT UNIQUE) ENGINE=MyISAM');
      const dv = Array.from({ length: 300 }, (_, i) => `(NULL, 'name number ${i % 50} of the packed table', ${i % 3 === 0 ? 'NULL' : `REPEAT('ab', ${i % 20})`}, ${i % 7})`).join(',');
      await c.query(`INSERT INTO pk.d VALUES ${dv}`);
      const fv = Array.from({ length: 200 }, (_, i) => `(${i + 1}, 'city ${i % 10}', ${1000 - i})`).join(',');
      await c.query(`INSERT INTO pk.f VALUES ${fv}`);
      await c.query('DELETE FROM pk.f WHERE id = 5');
      await c.query('CREATE TABLE pk.x (id INT PRIMARY KEY) ENGINE=MyISAM');
      await c.query('INSERT INTO pk.x VALUES (1),(2),(3)');
      const before = {
        d: await rows(c, 'SELECT * FROM pk.d ORDER BY id'),
        f: await rows(c, 'SELECT * FROM pk.f ORDER BY id'),
      };
      await c.end();
      await srv.stop();

      const d = join(datadir, 'pk', 'd');
      const f = join(datadir, 'pk', 'f');
      const size = { d: statSync(`${d}.MYD`).size, f: statSync(`${f}.MYD`).size };
      const p = run(PACK, d, `${f}.MYI`, join(datadir, 'pk', 'x.MYD'));
      expect(p.code).toBe(0);
      expect(p.out).toContain(`Compressing ${d}: (300 records)`);
      expect(p.out).toContain(`Compressing ${f}.MYI: (199 records)`);
      const after = { d: statSync(`${d}.MYD`).size, f: statSync(`${f}.MYD`).size };
      expect(p.out).toContain(`Data file: ${size.d} bytes before, ${after.d} bytes after`);
      expect(p.out).toContain(`Data file: ${size.f} bytes before, ${after.f} bytes after`);
      // @req MYISAM-111 much smaller than the static and the dynamic originals
      expect(after.d).toBeLessThan(size.d / 2);
      expect(after.f).toBeLessThan(size.f / 4);
      // The packed data file opens with its magic; the .MYI options carry the compress bit (0x0004).
      expect([...readFileSync(`${d}.MYD`).subarray(0, 4)]).toEqual([0xfe, 0xfe, 0x08, 0x52]);
      expect(readFileSync(`${f}.MYI`).readUInt16BE(4) & 0x0004).toBe(0x0004);
      expect(run(CHK, '--describe', d).out).toContain('Record format:       Compressed');
      expect(run(CHK, '--check', d, f).code).toBe(0);

      // Packing twice is refused.
      const again = run(PACK, d);
      expect(again).toEqual({ code: 1, out: "refmyisampack: error: 'd' is already compressed\n" });

      srv = await startTestServer({ datadir });
      c = await srv.connect({ database: 'pk' });
      try {
        expect(await rows(c, 'SELECT * FROM d ORDER BY id')).toEqual(before.d);
        expect(await rows(c, 'SELECT * FROM f ORDER BY id')).toEqual(before.f);
        // Index reads over the rebuilt keys.
        expect(await rows(c, "SELECT id FROM d WHERE v = 'name number 7 of the packed table' ORDER BY id LIMIT 3")).toEqual([{ id: 8 }, { id: 58 }, { id: 108 }]);
        expect(await rows(c, 'SELECT id, c FROM f WHERE u = 990')).toEqual([{ id: 11, c: 'city 0' }]);
        expect(await rows(c, 'SELECT id FROM f WHERE id BETWEEN 4 AND 7')).toEqual([{ id: 4 }, { id: 6 }, { id: 7 }]);
        const st = await rows(c, "SHOW TABLE STATUS FROM pk WHERE Name IN ('d','f')");
        expect(st.map((r) => [r['Name'], r['Row_format'], Number(r['Rows']), Number(r['Data_length'])])).toEqual([
          ['d', 'Compressed', 300, after.d],
          ['f', 'Compressed', 199, after.f],
        ]);
        const ck = await rows(c, 'CHECK TABLE d, f EXTENDED');
        expect(ck.map((r) => r['Msg_text'])).toEqual(['OK', 'OK']);
        // REPAIR rebuilds the keys of a packed table and leaves its rows compressed.
        expect((await rows(c, 'REPAIR TABLE f')).map((r) => r['Msg_text'])).toEqual(['OK']);
        expect((await rows(c, "SHOW TABLE STATUS FROM pk WHERE Name = 'f'")).map((r) => [r['Row_format'], Number(r['Data_length'])])).toEqual([['Compressed', after.f]]);
        expect(await rows(c, 'SELECT id FROM f WHERE u = 990')).toEqual([{ id: 11 }]);
        // @req MYISAM-113 every change is refused
        await expectErr(c, "INSERT INTO d (v) VALUES ('x')", 1036, "Table 'd' is read only");
        await expectErr(c, "INSERT INTO d VALUES (5000, 'x', NULL, 1)", 1036, "Table 'd' is read only");
        await expectErr(c, 'UPDATE f SET c = 1 WHERE id = 1', 1036, "Table 'f' is read only");
        await expectErr(c, 'DELETE FROM f WHERE id = 1', 1036, "Table 'f' is read only");
        // TRUNCATE recreates the table from its definition (as MySQL does for MyISAM), so the
        // packed table becomes an empty, normal one rather than failing.
        expect(await rows(c, 'SELECT id FROM x ORDER BY id')).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
        await c.query('TRUNCATE TABLE x');
        await c.query('INSERT INTO x VALUES (9)');
        expect(await rows(c, 'SELECT id FROM x')).toEqual([{ id: 9 }]);
        expect((await rows(c, "SHOW TABLE STATUS FROM pk WHERE Name = 'x'"))[0]!['Row_format']).toBe('Fixed');
        expect(await rows(c, 'SELECT COUNT(*) AS n FROM f')).toEqual([{ n: 199 }]);
        // ALTER TABLE copies the rows into a new, normal table (one way back to a writable table).
        await c.query('ALTER TABLE d ENGINE=MyISAM');
        expect((await rows(c, "SHOW TABLE STATUS FROM pk WHERE Name = 'd'"))[0]!['Row_format']).toBe('Dynamic');
        expect(await rows(c, 'SELECT * FROM d ORDER BY id')).toEqual(before.d);
        await c.query("INSERT INTO d (v) VALUES ('after alter')");
        expect(await rows(c, "SELECT id FROM d WHERE v = 'after alter'")).toEqual([{ id: 301 }]);
      } finally {
        await c.end();
        await srv.stop();
      }

      // @req MYISAM-082 refmyisamchk --unpack gives the static table back.
      const u = run(CHK, '--unpack', f);
      expect(u.code).toBe(0);
      expect(u.out).toContain('Data records: 199');
      expect(run(CHK, '--describe', f).out).toContain('Record format:       Fixed length');
      expect(run(CHK, '--unpack', f)).toEqual({ code: 1, out: "refmyisamchk: error: 'f' is not compressed\n" });
      srv = await startTestServer({ datadir });
      c = await srv.connect({ database: 'pk' });
      try {
        expect((await rows(c, "SHOW TABLE STATUS FROM pk WHERE Name = 'f'"))[0]!['Row_format']).toBe('Fixed');
        expect(await rows(c, 'SELECT * FROM f ORDER BY id')).toEqual(before.f);
        await c.query("INSERT INTO f VALUES (5, 'back', 7)");
        expect(await rows(c, 'SELECT c FROM f WHERE u = 7')).toEqual([{ c: 'back' }]);
        expect((await rows(c, 'CHECK TABLE f EXTENDED')).map((r) => r['Msg_text'])).toEqual(['OK']);
      } finally {
        await c.end();
        await srv.stop();
      }
    },
    30000,
  );

  it(req(['MYISAM-110', 'MYISAM-005'], 'wire', 'a crashed table or one not closed properly is refused with a message and exit status 1; usage errors are 2'), async () => {
    const { parent, datadir } = await initializedDatadir();
    cleanup.push(parent);
    const srv = await startTestServer({ datadir });
    const c = await srv.connect();
    await c.query('CREATE DATABASE pk');
    await c.query('CREATE TABLE pk.t (id INT PRIMARY KEY) ENGINE=MyISAM');
    await c.query('INSERT INTO pk.t VALUES (1),(2)');
    await c.end();
    await srv.stop();
    const t = join(datadir, 'pk', 't');
    const myi = readFileSync(`${t}.MYI`);
    const orig = Buffer.from(myi);
    myi[26] = myi[26]! | 0x02; // crashed flag (Appendix A, offset 26)
    writeFileSync(`${t}.MYI`, myi);
    const crashed = run(PACK, t);
    expect(crashed.code).toBe(1);
    expect(crashed.out).toBe("refmyisampack: error: 't' is marked as crashed; repair it first (refmyisamchk --recover)\n");
    const open = Buffer.from(orig);
    open.writeUInt16BE(1, 24); // open counter
    writeFileSync(`${t}.MYI`, open);
    const inUse = run(PACK, t);
    expect(inUse.code).toBe(1);
    expect(inUse.out).toContain("'t' is in use or was not closed properly (open counter 1)");
    // Neither refusal changed the data file.
    expect(readFileSync(`${t}.MYD`).readUInt8(0)).toBe(1);
    expect(run(PACK).code).toBe(2);
    expect(run(PACK, '--bogus', t).code).toBe(2);
  });

  it(req(['MYISAM-110', 'MYISAM-113', 'MYISAM-080'], 'wire', 'after FLUSH TABLES a running server sees the table packed meanwhile, and does not overwrite its header on shutdown'), async () => {
    const { parent, datadir } = await initializedDatadir();
    cleanup.push(parent);
    let srv = await startTestServer({ datadir });
    let c = await srv.connect();
    const t = join(datadir, 'pk', 't');
    try {
      await c.query('CREATE DATABASE pk');
      await c.query('CREATE TABLE pk.t (id INT PRIMARY KEY, s VARCHAR(20)) ENGINE=MyISAM');
      await c.query("INSERT INTO pk.t VALUES (1,'one'),(2,'two'),(3,'three')");
      await c.query('FLUSH TABLES');
      const p = run(PACK, t);
      expect(p.code).toBe(0);
      expect(p.out).toContain('(3 records)');
      expect(await rows(c, 'SELECT * FROM pk.t WHERE id >= 2 ORDER BY id')).toEqual([
        { id: 2, s: 'two' },
        { id: 3, s: 'three' },
      ]);
      expect((await rows(c, "SHOW TABLE STATUS FROM pk WHERE Name = 't'"))[0]!['Row_format']).toBe('Compressed');
      await expectErr(c, "INSERT INTO pk.t VALUES (4,'four')", 1036, "Table 't' is read only");
    } finally {
      await c.end();
      await srv.stop();
    }
    expect(run(CHK, '--describe', t).out).toContain('Record format:       Compressed');
    expect(run(CHK, '--check', t).code).toBe(0);
    srv = await startTestServer({ datadir });
    c = await srv.connect();
    try {
      expect(await rows(c, 'SELECT s FROM pk.t ORDER BY id')).toEqual([{ s: 'one' }, { s: 'two' }, { s: 'three' }]);
    } finally {
      await c.end();
      await srv.stop();
    }
  });
});
