/**
 * Transactions open at a crash, through the real server binary (needs a build:
 * `npx tsc -p tsconfig.json`): after kill -9 the next start finds them in the redo log, accepts
 * connections at once and rolls them back in the background; until then their rows stay
 * locked (a debug knob slows the rollback so the test meets the locks), consistent reads see the
 * committed rows and READ UNCOMMITTED the uncommitted ones. innodb_force_recovery=3 leaves them
 * open; a transaction rolled back before the crash is not found again.
 */
import mysql from 'mysql2/promise';
import { afterAll, describe, expect, it } from 'vitest';
import { req } from '../helpers/req.js';
import { failure, ServerLab, type LabServer } from '../helpers/server-lab.js';

const lab = new ServerLab();
afterAll(() => lab.cleanup());

const FAULTS_ENV = 'REFMYSQL_DEBUG_INNODB_FAULTS';

async function rows(c: mysql.Connection, sql: string): Promise<mysql.RowDataPacket[]> {
  const [r] = await c.query<mysql.RowDataPacket[]>(sql);
  return r;
}

const SUM = 'SELECT COUNT(*) AS n, CAST(SUM(v) AS SIGNED) AS s FROM t';

/**
 * A table of 200 rows (v = id), committed; then, left open at the crash, a transaction that
 * updates every row, inserts one, deletes one and undoes part of its work to a savepoint; and
 * a transaction rolled back before the crash. A commit on another connection flushes the log
 * (and with it the open transaction's images) before the kill.
 */
async function crashWithOpenTransaction(): Promise<string> {
  const dir = await lab.datadir();
  const a = await lab.start(dir);
  await a.conn.query('CREATE TABLE t (id INT PRIMARY KEY, v INT NOT NULL)');
  await a.conn.query(`INSERT INTO t VALUES ${Array.from({ length: 200 }, (_, i) => `(${i + 1}, ${i + 1})`).join(',')}`);
  const undone = await a.connect();
  await undone.query('BEGIN');
  await undone.query('UPDATE t SET v = 0');
  await undone.query('ROLLBACK');
  const open = await a.connect();
  await open.query('BEGIN');
  await open.query('UPDATE t SET v = v + 1000');
  await open.query('INSERT INTO t VALUES (500, 500)');
  await open.query('DELETE FROM t WHERE id = 7');
  await open.query('SAVEPOINT s');
  await open.query('UPDATE t SET v = -1 WHERE id = 1');
  await open.query('ROLLBACK TO SAVEPOINT s');
  await a.conn.query('CREATE TABLE flush_marker (a INT)');
  await a.conn.query('INSERT INTO flush_marker VALUES (1)');
  await lab.crash(a);
  undone.destroy();
  open.destroy();
  return dir;
}

async function waitForLine(s: LabServer, re: RegExp): Promise<void> {
  for (let i = 0; i < 200 && !s.server.lines.some((l) => re.test(l)); i++) await new Promise((r) => setTimeout(r, 50));
  expect(s.server.lines.join('\n')).toMatch(re);
}

describe('InnoDB: transactions open at a crash', () => {
  it(req(['INNODB-REC-018', 'INNODB-REC-022', 'INNODB-REC-021'], 'wire', 'are rolled back in the background after kill -9: the server serves at once, their rows stay locked until the rollback, consistent reads see the committed rows'), async () => {
    const dir = await crashWithOpenTransaction();
    const b = await lab.start(dir, [], { [FAULTS_ENV]: 'slow_recovery_rollback=2500' });
    const log = (): string => b.server.lines.join('\n');
    expect(log()).toMatch(/\[Note\] \[MY-013024\] \[InnoDB\] InnoDB: 1 transaction\(s\) which must be rolled back or cleaned up in total \d+ row operations to undo/);
    expect(log()).toMatch(/InnoDB: Starting in background the rollback of uncommitted transactions/);
    // Served at once: consistent reads see the committed rows.
    expect(await rows(b.conn, SUM)).toEqual([{ n: 200, s: 20100 }]);
    const [trx] = await rows(b.conn, 'SELECT COUNT(*) AS n FROM information_schema.INNODB_TRX');
    expect(trx).toEqual({ n: 1 });
    // READ UNCOMMITTED sees the open transaction's rows (the savepoint's work undone).
    const ru = await b.connect();
    await ru.query('SET SESSION TRANSACTION ISOLATION LEVEL READ UNCOMMITTED');
    expect(await rows(ru, SUM)).toEqual([{ n: 200, s: 20100 + 200 * 1000 - 1007 + 500 }]);
    expect(await rows(ru, 'SELECT v FROM t WHERE id = 1')).toEqual([{ v: 1001 }]);
    // Its rows are locked until the rollback.
    await b.conn.query('SET SESSION innodb_lock_wait_timeout = 1');
    expect(await failure(b.conn, 'UPDATE t SET v = 0 WHERE id = 5')).toEqual({ errno: 1205, message: 'Lock wait timeout exceeded; try restarting transaction' });
    // A row it did not touch is free.
    await b.conn.query('INSERT INTO t VALUES (900, 900)');
    await b.conn.query('DELETE FROM t WHERE id = 900');

    await waitForLine(b, /\[Note\] \[MY-013011\] \[InnoDB\] InnoDB: Rollback of non-prepared transactions completed/);
    expect(log()).toMatch(/InnoDB: Rolling back trx with id \d+, \d+ rows to undo/);
    expect(await rows(ru, SUM)).toEqual([{ n: 200, s: 20100 }]);
    expect(await rows(b.conn, 'SELECT COUNT(*) AS n FROM information_schema.INNODB_TRX')).toEqual([{ n: 0 }]);
    await b.conn.query('UPDATE t SET v = 0 WHERE id = 5');
    await ru.end();
    // Nothing left to roll back at the next start.
    await lab.crash(b);
    const c = await lab.start(dir);
    expect(c.server.lines.join('\n')).not.toMatch(/must be rolled back/);
    expect(await rows(c.conn, SUM)).toEqual([{ n: 200, s: 20100 - 5 }]);
    await lab.stop(c);
  });

  it(req(['INNODB-FORCE-016', 'INNODB-REC-018'], 'wire', 'innodb_force_recovery=3 does not roll them back (INNODB_TRX lists the transaction, READ UNCOMMITTED sees its rows); a normal start afterwards does'), async () => {
    const dir = await crashWithOpenTransaction();
    const three = await lab.start(dir, ['--innodb-force-recovery=3']);
    await new Promise((r) => setTimeout(r, 300));
    expect(three.server.lines.join('\n')).not.toMatch(/Starting in background the rollback/);
    expect(await rows(three.conn, 'SELECT COUNT(*) AS n FROM information_schema.INNODB_TRX')).toEqual([{ n: 1 }]);
    await three.conn.query('SET SESSION TRANSACTION ISOLATION LEVEL READ UNCOMMITTED');
    expect(await rows(three.conn, SUM)).toEqual([{ n: 200, s: 20100 + 200 * 1000 - 1007 + 500 }]);
    expect(await rows(three.conn, 'SELECT COUNT(*) AS n FROM t WHERE id = 7')).toEqual([{ n: 0 }]);
    await lab.crash(three);

    const zero = await lab.start(dir);
    await waitForLine(zero, /Rollback of non-prepared transactions completed/);
    expect(await rows(zero.conn, SUM)).toEqual([{ n: 200, s: 20100 }]);
    await lab.stop(zero);
  });
});
