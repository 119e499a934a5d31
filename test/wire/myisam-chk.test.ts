/**
 * refmyisamchk (the package's myisamchk) on the files of a stopped server: --describe reads the
 * .MYI header, --check finds damage in the .MYD and the key pages (exit status 1), --recover keeps
 * the readable rows, and the server then opens the table with its keys rebuilt.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type mysql from 'mysql2/promise';
import { req } from '../helpers/req.js';
import { initializedDatadir, REPO_ROOT, startTestServer } from '../helpers/server.js';

const CHK = join(REPO_ROOT, 'dist', 'src', 'tools', 'refmyisamchk.js');
const cleanup: string[] = [];
afterAll(() => {
  for (const p of cleanup) rmSync(p, { recursive: true, force: true });
});

function chk(...args: string[]): { code: number; out: string } {
  const r = spawnSync(process.execPath, [CHK, ...args], { encoding: 'utf8' });
  return { code: r.status ?? -1, out: r.stdout };
}

describe('refmyisamchk', () => {
  it(req(['MYISAM-005', 'MYISAM-123', 'MYISAM-102'], 'wire', 'describe, check and recover the files of a stopped server; the server reopens the recovered table with its rows and keys'), async () => {
    const { parent, datadir } = await initializedDatadir();
    cleanup.push(parent);
    let srv = await startTestServer({ datadir });
    let c = await srv.connect();
    await c.query('CREATE DATABASE ck');
    await c.query('CREATE TABLE ck.t (id INT NOT NULL PRIMARY KEY, v VARCHAR(30), KEY (v)) ENGINE=MyISAM');
    await c.query('CREATE TABLE ck.f (id INT NOT NULL PRIMARY KEY, c CHAR(5)) ENGINE=MyISAM');
    const vals = Array.from({ length: 25 }, (_, i) => `(${i + 1}, 'v${i + 1}')`).join(',');
    await c.query(`INSERT INTO ck.t VALUES ${vals}`);
    await c.query(`INSERT INTO ck.f VALUES ${vals}`);
    await c.query('DELETE FROM ck.f WHERE id = 3');
    await c.end();
    await srv.stop();
    const t = join(datadir, 'ck', 't');
    const f = join(datadir, 'ck', 'f');

    const d = chk('--describe', `${t}.MYI`);
    expect(d.code).toBe(0);
    expect(d.out).toContain('Record format:       Packed');
    expect(d.out).toContain('Data records:        25  Deleted blocks: 0');
    expect(d.out).toContain('Open counter:        0');
    expect(chk('-d', f).out).toContain('Record format:       Fixed length');
    expect(chk('-d', f).out).toContain('Data records:        24  Deleted blocks: 1');

    expect(chk('--check', t, f)).toEqual({ code: 0, out: `Checking MyISAM file: ${t}\nMyISAM-table 't' is usable\nChecking MyISAM file: ${f}\nMyISAM-table 'f' is usable\n` });

    // Damage one record of t and a key page of f.
    const myd = readFileSync(`${t}.MYD`);
    myd[9] = 0x66;
    writeFileSync(`${t}.MYD`, myd);
    const myi = readFileSync(`${f}.MYI`);
    myi[1024 + 2] = 0x09;
    writeFileSync(`${f}.MYI`, myi);
    const bad = chk('--check', t);
    expect(bad.code).toBe(1);
    expect(bad.out).toContain('error: Found 1 damaged record(s) in the data file');
    expect(bad.out).toContain("MyISAM-table 't' is corrupted");
    expect(chk('-c', f).code).toBe(1);

    const r = chk('--recover', t, f);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`Found 24 of 25 rows when repairing '${t}'`);
    expect(chk('--check', t, f).code).toBe(0);

    srv = await startTestServer({ datadir });
    c = await srv.connect({ database: 'ck' });
    try {
      const [n] = await c.query<mysql.RowDataPacket[]>('SELECT COUNT(*) AS n FROM t');
      expect(n[0]!['n']).toBe(24);
      const [byKey] = await c.query<mysql.RowDataPacket[]>("SELECT id FROM t WHERE v = 'v7'");
      expect(byKey).toEqual([{ id: 7 }]);
      for (const tb of ['t', 'f']) {
        const [ck] = await c.query<mysql.RowDataPacket[]>(`CHECK TABLE ${tb} EXTENDED`);
        expect(ck.map((x) => x['Msg_text']), tb).toEqual(['OK']);
      }
      const [fr] = await c.query<mysql.RowDataPacket[]>("SHOW TABLE STATUS LIKE 'f'");
      expect([Number(fr[0]!['Rows']), Number(fr[0]!['Data_free'])]).toEqual([24, 0]);
    } finally {
      await c.end();
      await srv.stop();
    }
    expect(chk('--bogus').code).toBe(2);
  });
});
