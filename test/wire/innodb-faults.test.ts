/**
 * InnoDB under faults, through the real server binary (needs a fresh build: `npx tsc -p
 * tsconfig.json`): CHECK TABLE and a corrupt data page at innodb_force_recovery 0 and 1, a
 * checkpoint write torn by a crash and repaired from the doublewrite file, a redo log whose
 * disk fails (EIO) or fills up (ENOSPC) under a COMMIT, a tablespace the dictionary has but the
 * disk lost, one the redo log needs but discovery cannot find, the redo log removed after a
 * clean shutdown, a page-size mismatch and an empty ibdata1.
 */
import { copyFileSync, cpSync, existsSync, readFileSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { afterAll, describe, expect, it } from 'vitest';
import { req } from '../helpers/req.js';
import { failure, ServerLab, type LabServer } from '../helpers/server-lab.js';
import type { SpawnedServer } from '../helpers/server.js';

const lab = new ServerLab();
afterAll(() => lab.cleanup());

const FAULTS_ENV = 'REFMYSQL_DEBUG_INNODB_FAULTS';
const PAGE = 16384;

const datadir = (): Promise<string> => lab.datadir();
const spawn = (dir: string, extra: string[] = [], env: NodeJS.ProcessEnv = {}): SpawnedServer => lab.spawn(dir, extra, env);
const start = (dir: string, extra: string[] = [], env: NodeJS.ProcessEnv = {}): Promise<Running> => lab.start(dir, extra, env);
const crash = (r: Running): Promise<void> => lab.crash(r);

type Running = LabServer;

/** SIGTERM: a clean shutdown, which writes every table into its tablespace. */
const stop = (r: Running): Promise<void> => lab.stop(r);

async function rows(c: mysql.Connection, sql: string): Promise<mysql.RowDataPacket[]> {
  const [r] = await c.query<mysql.RowDataPacket[]>(sql);
  return r;
}

async function check(c: mysql.Connection, table: string): Promise<[string, string][]> {
  return (await rows(c, `CHECK TABLE ${table}`)).map((r) => [String(r['Msg_type']), String(r['Msg_text'])]);
}

/** Insert ids 1..n with a 200-byte pad, in batches. */
async function fill(c: mysql.Connection, table: string, n: number): Promise<void> {
  for (let from = 1; from <= n; from += 500) {
    const values: string[] = [];
    for (let id = from; id < Math.min(from + 500, n + 1); id++) values.push(`(${id}, REPEAT('${String.fromCharCode(97 + (id % 26))}', 200))`);
    await c.query(`INSERT INTO ${table} VALUES ${values.join(',')}`);
  }
}

function logText(s: SpawnedServer): string {
  return s.lines.join('\n');
}

describe('InnoDB: page corruption and CHECK TABLE', () => {
  it(
    req(['INNODB-REC-003', 'INNODB-TRBL-006', 'INNODB-FORCE-014', 'INNODB-FORCE-025', 'INNODB-FORCE-012', 'INNODB-FORCE-022'], 'wire', 'a corrupt data page: refused at level 0 (1877, CHECK TABLE Corrupt), the healthy pages readable at level 1, also in descending order'),
    async () => {
      const dir = await datadir();
      const a = await start(dir);
      await a.conn.query('CREATE TABLE t (id INT PRIMARY KEY, pad VARCHAR(200)) ENGINE=InnoDB');
      await a.conn.query('CREATE TABLE h (id INT PRIMARY KEY, pad VARCHAR(200)) ENGINE=InnoDB');
      await fill(a.conn, 't', 2000);
      await fill(a.conn, 'h', 10);
      expect(await check(a.conn, 't')).toEqual([['status', 'OK']]);
      await stop(a);

      // Rows are in the .ibd now; CHECK TABLE compares the file with the rows.
      const b = await start(dir);
      expect(await check(b.conn, 't')).toEqual([['status', 'OK']]);
      expect(await check(b.conn, 'h')).toEqual([['status', 'OK']]);
      await crash(b);

      // Flip bytes in the middle of a data page in the middle of the file.
      const ibd = join(dir, 'test', 't.ibd');
      const file = readFileSync(ibd);
      const pages = file.length / PAGE;
      expect(pages).toBeGreaterThan(10);
      const victim = Math.floor(pages / 2);
      for (let i = 0; i < 16; i++) file[victim * PAGE + 4000 + i] ^= 0xff;
      writeFileSync(ibd, file);

      const c = await start(dir);
      const log = logText(c.server);
      expect(log).toMatch(new RegExp(`\\[ERROR\\] \\[MY-011906\\] \\[InnoDB\\] Database page corruption on disk or a failed file read of page \\[page id: space=\\d+, page number=${victim}\\]\\. You may have to recover from a backup\\.`));
      expect(log).toMatch(new RegExp(`\\[ERROR\\] \\[MY-030043\\] \\[InnoDB\\] Corrupt page resides in file: \\./test/t\\.ibd, offset: ${victim * PAGE}, len: ${PAGE}`));
      expect(await failure(c.conn, 'SELECT * FROM t')).toEqual({ errno: 1877, message: "Operation cannot be performed. The table 'test.t' is missing, corrupt or contains bad data." });
      expect(await failure(c.conn, 'SELECT * FROM t ORDER BY id DESC')).toMatchObject({ errno: 1877 });
      expect(await failure(c.conn, 'INSERT INTO t VALUES (9999, NULL)')).toMatchObject({ errno: 1877 });
      expect(await check(c.conn, 't')).toEqual([
        ['warning', 'InnoDB: The B-tree of index PRIMARY is corrupted.'],
        ['error', 'Corrupt'],
      ]);
      // The other tables are served as usual.
      expect(await rows(c.conn, 'SELECT COUNT(*) AS n FROM h')).toEqual([{ n: 10 }]);
      expect(await check(c.conn, 'h')).toEqual([['status', 'OK']]);
      await crash(c);

      const d = await start(dir, ['--innodb-force-recovery=1']);
      expect(logText(d.server)).toMatch(/\[Warning\] \[MY-011906\] \[InnoDB\] Table `test`\.`t`: innodb_force_recovery=1 skips its corrupt page/);
      const all = (await rows(d.conn, 'SELECT id FROM t')).map((r) => Number(r['id']));
      // One page's rows are gone, the rest are there: those before and those after the damage.
      const lost = 2000 - all.length;
      expect(lost).toBeGreaterThan(0);
      expect(lost).toBeLessThan(200);
      expect(all[0]).toBe(1);
      const desc = (await rows(d.conn, 'SELECT id FROM t ORDER BY id DESC LIMIT 3')).map((r) => Number(r['id']));
      expect(desc).toEqual([2000, 1999, 1998]);
      const missing: number[] = [];
      for (let id = 1, k = 0; id <= 2000; id++) {
        if (all[k] === id) k++;
        else missing.push(id);
      }
      expect(missing[missing.length - 1]! - missing[0]! + 1).toBe(missing.length); // one contiguous run
      expect(await check(d.conn, 't')).toEqual([
        ['warning', 'InnoDB: The B-tree of index PRIMARY is corrupted.'],
        ['error', 'Corrupt'],
      ]);
      // Level 1 refuses row changes and still allows DROP and CREATE.
      expect(await failure(d.conn, 'INSERT INTO h VALUES (100, NULL)')).toEqual({ errno: 1881, message: 'Operation not allowed when innodb_force_recovery > 0.' });
      await d.conn.query('DROP TABLE t');
      await d.conn.query('CREATE TABLE t2 (id INT PRIMARY KEY) ENGINE=InnoDB');
      await stop(d);

      const e = await start(dir);
      expect(await rows(e.conn, "SHOW TABLES LIKE 't%'")).toEqual([{ 'Tables_in_test (t%)': 't2' }]);
      expect(logText(e.server)).not.toMatch(/MY-011906/);
      expect(existsSync(ibd)).toBe(false);
      await crash(e);
    },
  );
});

describe('InnoDB: a torn page write is repaired from the doublewrite file', () => {
  it(req(['INNODB-DBLWR-103', 'INNODB-REC-010'], 'wire', 'a crash in the middle of the in-place write of a checkpoint: the next start restores the pages from the doublewrite file'), async () => {
    const dir = await datadir();
    const created = await start(dir);
    await created.conn.query('CREATE TABLE t (id INT PRIMARY KEY, pad VARCHAR(200)) ENGINE=InnoDB');
    await stop(created);
    const a = await start(dir);
    await fill(a.conn, 't', 1500);
    await crash(a); // the rows are in the redo log only

    // The shutdown checkpoint writes the table: the pages reach the doublewrite file, then the
    // in-place write stops half way (ending inside a page) and the process is killed.
    // The checkpoint writes other files too (the dictionary's headers): the tear is in t.ibd.
    const b = await start(dir, [], { [FAULTS_ENV]: 'tear_after_doublewrite=test/t.ibd' });
    expect(await rows(b.conn, 'SELECT COUNT(*) AS n FROM t')).toEqual([{ n: 1500 }]);
    await b.conn.end();
    b.server.kill('SIGTERM');
    expect(await b.server.exited).toBe('SIGKILL');

    // Proof that the write was torn: the same files without the doublewrite file.
    const copy = await datadir();
    rmSync(copy, { recursive: true, force: true });
    cpSync(dir, copy, { recursive: true });
    rmSync(join(copy, `#ib_${PAGE}_0.dblwr`), { force: true });
    const broken = await start(copy);
    expect(logText(broken.server)).toMatch(/\[MY-011906\] \[InnoDB\] Database page corruption on disk/);
    expect(await failure(broken.conn, 'SELECT COUNT(*) FROM t')).toMatchObject({ errno: 1877 });
    await crash(broken);

    const c = await start(dir);
    expect(logText(c.server)).toMatch(/\[Note\] \[MY-012179\] \[InnoDB\] InnoDB: Restored page\(s\) of '.*test\/t\.ibd' from the doublewrite buffer/);
    expect(logText(c.server)).not.toMatch(/MY-011906/);
    expect(await rows(c.conn, "SELECT COUNT(*) AS n, SUM(id) AS s, SUM(pad = REPEAT(CHAR(97 + id % 26), 200)) AS good FROM t")).toEqual([{ n: 1500, s: '1125750', good: '1500' }]);
    expect(await check(c.conn, 't')).toEqual([['status', 'OK']]);
    await crash(c);
  });
});

describe('InnoDB: a redo log whose disk fails', () => {
  for (const [op, code, errno, text] of [
    ['sync', 'EIO', 5, 'Input/output error'],
    ['write', 'ENOSPC', 28, 'No space left on device'],
  ] as const) {
    it(req(['INNODB-LOG-106', 'INNODB-TRBL-011', 'INNODB-REC-010'], 'wire', `${code} on a redo ${op} during COMMIT: the client gets an error, changes are refused, reads work, acknowledged commits survive the restart`), async () => {
      const dir = await datadir();
      const trigger = join(dir, '..', `fail-${code}`);
      const a = await start(dir, [], { [FAULTS_ENV]: `redo_fail=${op}:${code}:${trigger}` });
      await a.conn.query('CREATE TABLE t (id INT PRIMARY KEY) ENGINE=InnoDB');
      await a.conn.query('INSERT INTO t VALUES (1),(2)');
      await a.conn.query('BEGIN');
      await a.conn.query('INSERT INTO t VALUES (3)');
      writeFileSync(trigger, '');
      expect(await failure(a.conn, 'COMMIT')).toEqual({ errno: 1180, message: `Got error ${errno} - '${text}' during COMMIT` });
      // The lines are written before the error is sent, but stderr may reach us after it.
      await a.server.waitForLine(new RegExp(`\\[ERROR\\] \\[MY-012592\\] \\[InnoDB\\] Operating system error number ${errno} in a file operation\\.`));
      await a.server.waitForLine(new RegExp(`\\[ERROR\\] \\[MY-012596\\] \\[InnoDB\\] Error number ${errno} means '${text}'`));
      await a.server.waitForLine(/\[ERROR\] \[MY-013183\] \[InnoDB\] Writing the redo log failed .*InnoDB refuses all further changes/);
      expect(await failure(a.conn, 'INSERT INTO t VALUES (4)')).toEqual({ errno: 1030, message: `Got error ${errno} - '${text}' from storage engine` });
      expect(await failure(a.conn, 'DELETE FROM t WHERE id = 1')).toMatchObject({ errno: 1030 });
      expect((await rows(a.conn, 'SELECT id FROM t WHERE id <= 2 ORDER BY id')).map((r) => r['id'])).toEqual([1, 2]);
      await crash(a);
      rmSync(trigger);

      const b = await start(dir);
      const ids = (await rows(b.conn, 'SELECT id FROM t ORDER BY id')).map((r) => Number(r['id']));
      expect(ids.slice(0, 2)).toEqual([1, 2]);
      expect(ids).not.toContain(4);
      await b.conn.query('INSERT INTO t VALUES (5)');
      await crash(b);
    });
  }
});

describe('InnoDB: missing tablespaces', () => {
  it(req(['INNODB-DD-002', 'INNODB-DD-003', 'INNODB-TRBL-001'], 'wire', 'a table whose .ibd is gone: the server starts, logs the four lines of 15.21.4, the table answers 1812, DROP TABLE removes it'), async () => {
    const dir = await datadir();
    const a = await start(dir);
    await a.conn.query('CREATE TABLE t1 (id INT PRIMARY KEY) ENGINE=InnoDB');
    await a.conn.query('CREATE TABLE t2 (id INT PRIMARY KEY) ENGINE=InnoDB');
    await a.conn.query('INSERT INTO t1 VALUES (1)');
    await a.conn.query('INSERT INTO t2 VALUES (2)');
    await stop(a);
    rmSync(join(dir, 'test', 't1.ibd'));

    const b = await start(dir);
    const log = b.server.lines.filter((l) => /MY-0125(92|93)|MY-012216|MY-012016/.test(l)).map((l) => l.replace(/^\S+ \d+ /, ''));
    expect(log).toEqual([
      '[ERROR] [MY-012592] [InnoDB] Operating system error number 2 in a file operation.',
      '[ERROR] [MY-012593] [InnoDB] The error means the system cannot find the path specified.',
      "[ERROR] [MY-012216] [InnoDB] Cannot open datafile for read-only: './test/t1.ibd' OS error: 71",
      '[Warning] [MY-012016] [InnoDB] Ignoring tablespace `test/t1` because it could not be opened.',
    ]);
    // The lines come before the server is ready: at startup, not at the first use.
    const ready = b.server.lines.findIndex((l) => /ready for connections/.test(l));
    expect(b.server.lines.findIndex((l) => /MY-012016/.test(l))).toBeLessThan(ready);
    expect(await failure(b.conn, 'SELECT * FROM t1')).toEqual({ errno: 1812, message: 'Tablespace is missing for table `test`.`t1`.' });
    expect(await failure(b.conn, 'INSERT INTO t1 VALUES (2)')).toMatchObject({ errno: 1812 });
    expect(await check(b.conn, 't1')).toEqual([
      ['error', 'Tablespace is missing for table `test`.`t1`.'],
      ['error', 'Corrupt'],
    ]);
    expect(await rows(b.conn, 'SELECT id FROM t2')).toEqual([{ id: 2 }]);
    await b.conn.query('DROP TABLE t1');
    expect(await rows(b.conn, 'SHOW TABLES')).toEqual([{ Tables_in_test: 't2' }]);
    await stop(b);

    const c = await start(dir);
    expect(logText(c.server)).not.toMatch(/MY-012016/);
    await c.conn.query('CREATE TABLE t1 (id INT PRIMARY KEY) ENGINE=InnoDB');
    expect(await rows(c.conn, 'SELECT * FROM t1')).toEqual([]);
    await crash(c);
  });

  it(req(['INNODB-REC-032', 'INNODB-REC-011'], 'wire', 'a tablespace the redo log needs but discovery does not find stops the startup, naming it; with the file back recovery succeeds'), async () => {
    const dir = await datadir();
    const a = await start(dir);
    await a.conn.query('CREATE TABLE t3 (id INT PRIMARY KEY) ENGINE=InnoDB');
    await a.conn.query('INSERT INTO t3 VALUES (1),(2),(3)');
    await crash(a);
    const ibd = join(dir, 'test', 't3.ibd');
    const away = join(dir, '..', 't3.ibd.away');
    renameSync(ibd, away);

    const b = spawn(dir);
    expect(await b.exited).not.toBe(0);
    const log = logText(b);
    expect(log).toMatch(/\[ERROR\] \[MY-012265\] \[InnoDB\] Tablespace \d+ was not found at \.\/test\/t3\.ibd, but the redo log refers to it/);
    expect(log).toMatch(/\[ERROR\] \[MY-012930\] \[InnoDB\] Plugin initialization aborted with error Tablespace not found\./);
    expect(log).not.toMatch(/ready for connections/);

    renameSync(away, ibd);
    const c = await start(dir);
    expect((await rows(c.conn, 'SELECT id FROM t3 ORDER BY id')).map((r) => r['id'])).toEqual([1, 2, 3]);
    await crash(c);
  });
});

describe('InnoDB: startup with damaged or missing InnoDB files', () => {
  it(req(['INNODB-REC-014', 'INNODB-REC-017', 'INNODB-RESTR-005', 'INNODB-TRBL-010'], 'wire', 'redo removed after a clean shutdown: all data; another page size or an empty ibdata1: the startup fails with InnoDB\'s messages'), async () => {
    const dir = await datadir();
    const a = await start(dir);
    await a.conn.query('CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(10)) ENGINE=InnoDB');
    await a.conn.query("INSERT INTO t VALUES (1,'a'),(2,'b')");
    await stop(a);
    rmSync(join(dir, '#innodb_redo'), { recursive: true, force: true });

    const b = await start(dir);
    expect(await rows(b.conn, 'SELECT id, v FROM t ORDER BY id')).toEqual([
      { id: 1, v: 'a' },
      { id: 2, v: 'b' },
    ]);
    expect(logText(b.server)).not.toMatch(/Starting crash recovery/);
    await b.conn.query("INSERT INTO t VALUES (3,'c')");
    await crash(b);
    expect(existsSync(join(dir, '#innodb_redo'))).toBe(true);

    // The instance was made with 16k pages.
    const c = spawn(dir, ['--innodb-page-size=8k']);
    expect(await c.exited).not.toBe(0);
    expect(logText(c)).toMatch(/\[ERROR\] \[MY-012203\] \[InnoDB\] Data file '\.\/ibdata1' uses page size 16384, but the innodb_page_size start-up parameter is 8192/);
    expect(logText(c)).toMatch(/\[MY-012930\] \[InnoDB\] Plugin initialization aborted/);

    const saved = join(dir, '..', 'ibdata1.saved');
    copyFileSync(join(dir, 'ibdata1'), saved);
    truncateSync(join(dir, 'ibdata1'), 0);
    const d = spawn(dir);
    expect(await d.exited).not.toBe(0);
    expect(logText(d)).toMatch(/\[ERROR\] \[MY-012224\] \[InnoDB\] Cannot read first page in datafile: \.\/ibdata1, Space ID:0, Flags: 0 .*the file is empty/);
    expect(logText(d)).toMatch(/\[ERROR\] \[MY-012930\] \[InnoDB\] Plugin initialization aborted with error Data structure corruption\./);
    copyFileSync(saved, join(dir, 'ibdata1'));

    const e = await start(dir);
    expect((await rows(e.conn, 'SELECT id FROM t ORDER BY id')).map((r) => r['id'])).toEqual([1, 2, 3]);
    await crash(e);
  });
});
