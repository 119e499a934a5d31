/**
 * innodb_force_recovery and innodb_read_only through the real server binary (needs a fresh
 * build: `npx tsc -p tsconfig.json`): what each level allows of row changes and DDL, with the
 * errors the 8.0 sources give; a read-only start writes none of InnoDB's files; level 5 applies
 * an XA PREPAREd transaction as committed, level 6 skips the redo log, and a later normal start
 * has both back as they were.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import { afterAll, describe, expect, it } from 'vitest';
import { req } from '../helpers/req.js';
import { failure, ServerLab, type LabServer } from '../helpers/server-lab.js';

const lab = new ServerLab();
afterAll(() => lab.cleanup());

const datadir = (): Promise<string> => lab.datadir();
const start = (dir: string, extra: string[] = []): Promise<Running> => lab.start(dir, extra);
const crash = (r: Running): Promise<void> => lab.crash(r);

type Running = LabServer;

async function ids(c: mysql.Connection, sql: string): Promise<number[]> {
  const [rows] = await c.query<mysql.RowDataPacket[]>(sql);
  return rows.map((r) => Number(r['id']));
}

/** InnoDB's files (system tablespace, redo, doublewrite, tablespaces) with size and mtime. */
function innodbFiles(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const note = (p: string): void => {
    const s = statSync(p);
    out[p.slice(dir.length)] = `${s.size}@${s.mtimeMs}`;
  };
  note(join(dir, 'ibdata1'));
  for (const f of readdirSync(join(dir, '#innodb_redo'))) note(join(dir, '#innodb_redo', f));
  for (const f of readdirSync(dir)) if (f.endsWith('.dblwr')) note(join(dir, f));
  for (const f of readdirSync(join(dir, 'test'))) if (f.endsWith('.ibd')) note(join(dir, 'test', f));
  return out;
}

const READ_ONLY_TABLE = (t: string): { errno: number; message: string } => ({ errno: 1036, message: `Table '${t}' is read only` });
const FORCED = { errno: 1881, message: 'Operation not allowed when innodb_force_recovery > 0.' };
const INNODB_READ_ONLY = { errno: 1874, message: 'InnoDB is in read only mode.' };

describe('innodb_force_recovery levels and innodb_read_only', () => {
  it(
    req(['INNODB-FORCE-011', 'INNODB-FORCE-012', 'INNODB-FORCE-013', 'INNODB-FORCE-021', 'INNODB-FORCE-022', 'INNODB-FORCE-023'], 'wire', 'levels 1..6 and innodb_read_only: SELECT always works; row changes 1881 (1..3) or 1036 (4..6, read-only); CREATE up to 3; DROP up to 4; read-only starts leave InnoDB\'s files untouched'),
    async () => {
      const dir = await datadir();
      const a = await start(dir);
      await a.conn.query('CREATE TABLE t (id INT PRIMARY KEY, v VARCHAR(10)) ENGINE=InnoDB');
      await a.conn.query("INSERT INTO t VALUES (1,'a'),(2,'b'),(3,'c')");
      for (const n of [4, 5, 6, 9]) await a.conn.query(`CREATE TABLE d${n} (id INT PRIMARY KEY) ENGINE=InnoDB`);
      await a.conn.end();
      a.server.kill('SIGTERM');
      expect(await a.server.exited).toBe(0);

      for (const level of [1, 2, 3, 4, 5, 6, 0]) {
        const readOnlyVar = level === 0; // level 0 here stands for innodb_read_only=ON
        const before = innodbFiles(dir);
        const r = await start(dir, readOnlyVar ? ['--innodb-read-only'] : [`--innodb-force-recovery=${level}`]);
        const c = r.conn;
        // @req INNODB-FORCE-021: SELECT works at every level.
        expect(await ids(c, 'SELECT * FROM t ORDER BY id')).toEqual([1, 2, 3]);
        expect(await ids(c, 'SELECT id FROM t WHERE v = "b"')).toEqual([2]);
        const readOnly = readOnlyVar || level >= 4;
        const rowError = readOnly ? READ_ONLY_TABLE('t') : FORCED;
        expect(await failure(c, "INSERT INTO t VALUES (4,'d')")).toEqual(rowError);
        expect(await failure(c, "UPDATE t SET v = 'x' WHERE id = 1")).toEqual(rowError);
        expect(await failure(c, 'DELETE FROM t WHERE id = 2')).toEqual(rowError);
        expect(await ids(c, 'SELECT * FROM t ORDER BY id')).toEqual([1, 2, 3]);
        if (!readOnly) {
          // @req INNODB-FORCE-022
          await c.query('CREATE TABLE x (id INT PRIMARY KEY) ENGINE=InnoDB');
          await c.query('DROP TABLE x');
          if (level === 1) await c.query('DROP TABLE d9');
        } else {
          expect(await failure(c, 'CREATE TABLE x (id INT PRIMARY KEY) ENGINE=InnoDB')).toEqual(INNODB_READ_ONLY);
          // Nothing of InnoDB's was written by the start or by the refused statements.
          expect(innodbFiles(dir)).toEqual(before);
          if (level === 4) await c.query('DROP TABLE d4'); // @req INNODB-FORCE-023
          else expect(await failure(c, `DROP TABLE d${level || 5}`)).toEqual(READ_ONLY_TABLE(`d${level || 5}`));
        }
        await crash(r);
        if (readOnly && level !== 4) expect(innodbFiles(dir)).toEqual(before);
      }

      // A normal start: the rows as they were, d4 and d9 dropped, d5 and d6 still there.
      const z = await start(dir);
      expect(await ids(z.conn, 'SELECT * FROM t ORDER BY id')).toEqual([1, 2, 3]);
      const [tables] = await z.conn.query<mysql.RowDataPacket[]>('SHOW TABLES');
      expect(tables.map((t) => t['Tables_in_test'])).toEqual(['d5', 'd6', 't']);
      expect(z.server.lines.join('\n')).not.toMatch(/MY-012016|MY-011906/);
      await z.conn.query("INSERT INTO t VALUES (4,'d')");
      await crash(z);
    },
  );

  it(req(['INNODB-FORCE-018', 'INNODB-FORCE-019', 'INNODB-REC-023'], 'wire', 'level 5 applies an XA PREPAREd transaction as committed, level 6 skips the redo log; a normal start afterwards has both as they were'), async () => {
    const dir = await datadir();
    const created = await start(dir);
    await created.conn.query('CREATE TABLE t (id INT PRIMARY KEY) ENGINE=InnoDB');
    // A clean stop writes the table's dictionary rows into their tablespaces: level 6 below
    // then loses only what the redo log alone holds, the rows.
    await lab.stop(created);
    const a = await start(dir);
    await a.conn.query('INSERT INTO t VALUES (1)');
    const x = await a.connect();
    await x.query("XA START 'x'");
    await x.query('INSERT INTO t VALUES (2)');
    await x.query("XA END 'x'");
    await x.query("XA PREPARE 'x'");
    await crash(a); // both transactions are in the redo log only
    x.destroy();

    const five = await start(dir, ['--innodb-force-recovery=5']);
    expect(await ids(five.conn, 'SELECT id FROM t ORDER BY id')).toEqual([1, 2]);
    const [rec5] = await five.conn.query<mysql.RowDataPacket[]>('XA RECOVER');
    expect(rec5).toEqual([]);
    await crash(five);

    const six = await start(dir, ['--innodb-force-recovery=6']);
    expect(await ids(six.conn, 'SELECT id FROM t ORDER BY id')).toEqual([]);
    expect(six.server.lines.join('\n')).not.toMatch(/Starting crash recovery/);
    await crash(six);

    const zero = await start(dir);
    expect(await ids(zero.conn, 'SELECT id FROM t ORDER BY id')).toEqual([1]);
    const [rec0] = await zero.conn.query<mysql.RowDataPacket[]>('XA RECOVER');
    expect(rec0.map((r) => String(r['data']))).toEqual(['x']);
    await zero.conn.query("XA COMMIT 'x'");
    expect(await ids(zero.conn, 'SELECT id FROM t ORDER BY id')).toEqual([1, 2]);
    await crash(zero);
  });
});
