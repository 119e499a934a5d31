/**
 * LOAD DATA LOCAL with real client programs: the Debian `mariadb` client with --local-infile=1
 * and `mariadb-import --local` send a file through the LOCAL INFILE exchange; with the server's
 * local_infile OFF the client prints MySQL's 3948.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/load-data-local-security.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/mysqlimport.html
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type mysql from 'mysql2/promise';
import { requirePeer } from '../helpers/mariadb.js';
import { cliTcpArgs, mariadbCli, runCommand } from '../helpers/peers.js';
import { req } from '../helpers/req.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let srv: TestServer;
let c: mysql.Connection;
let work: string;

type Rows = mysql.RowDataPacket[];

beforeAll(async () => {
  requirePeer(['mariadb', 'mariadb-import']);
  srv = await startTestServer();
  c = await srv.connect({ multipleStatements: true });
  await c.query('CREATE DATABASE peer; USE peer');
  // The client's files live outside secure_file_priv: LOCAL does not care.
  work = mkdtempSync(join(tmpdir(), 'refmysql-load-peer-'));
});

afterAll(async () => {
  await c?.end();
  await srv?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('LOCAL with the mariadb client programs', () => {
  it(req(['CORE-LOAD-015#cli', 'CORE-LOAD-014#server-off'], 'peer', 'mariadb --local-infile=1 loads a client file; local_infile OFF gives 3948'), async () => {
    await c.query('CREATE TABLE cli (id INT PRIMARY KEY, name VARCHAR(20))');
    const f = join(work, 'cli.tsv');
    writeFileSync(f, '1\tone\n2\ttwo\n3\t\\N\n');
    const sql = `LOAD DATA LOCAL INFILE '${f}' INTO TABLE peer.cli`;
    const off = await mariadbCli(srv, ['--local-infile=1', '-e', sql]);
    expect(off.code).toBe(1);
    expect(off.stderr.trim().split('\n').pop()).toMatch(/^ERROR 3948 \(42000\) at line 1: Loading local data is disabled; this must be enabled on both the client and server sides$/);
    await c.query('SET GLOBAL local_infile = ON');
    try {
      const on = await mariadbCli(srv, ['--local-infile=1', '-vv', '-e', sql]);
      expect(on.stderr).toBe('');
      expect(on.code).toBe(0);
      expect(on.stdout).toContain('Query OK, 3 rows affected');
      expect(on.stdout).toContain('Records: 3  Deleted: 0  Skipped: 0  Warnings: 0');
    } finally {
      await c.query('SET GLOBAL local_infile = DEFAULT');
    }
    const [r] = await c.query<Rows>('SELECT id, name FROM cli ORDER BY id');
    expect(r.map((x) => ({ ...x }))).toEqual([{ id: 1, name: 'one' }, { id: 2, name: 'two' }, { id: 3, name: null }]);
  });

  it(req(['CORE-LOAD-015#import'], 'peer', 'mariadb-import --local loads a CSV file into the table named after it'), async () => {
    await c.query('CREATE TABLE people (id INT PRIMARY KEY, name VARCHAR(30), city VARCHAR(30))');
    const f = join(work, 'people.csv');
    writeFileSync(f, 'id,name,city\n1,"Ann, the first",Paris\n2,"Bob ""B""",\\N\n3,Cé,Zürich\n');
    await c.query('SET GLOBAL local_infile = ON');
    try {
      const r = await runCommand('mariadb-import', [
        ...cliTcpArgs(srv), '--local', '--fields-terminated-by=,', '--fields-optionally-enclosed-by="', '--ignore-lines=1', 'peer', f,
      ]);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout.trim()).toBe('peer.people: Records: 3  Deleted: 0  Skipped: 0  Warnings: 0');
    } finally {
      await c.query('SET GLOBAL local_infile = DEFAULT');
    }
    const [rows] = await c.query<Rows>('SELECT * FROM people ORDER BY id');
    expect(rows.map((x) => ({ ...x }))).toEqual([
      { id: 1, name: 'Ann, the first', city: 'Paris' },
      { id: 2, name: 'Bob "B"', city: null },
      { id: 3, name: 'Cé', city: 'Zürich' },
    ]);
  });
});
