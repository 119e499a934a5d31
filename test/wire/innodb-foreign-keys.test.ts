/**
 * Foreign keys on InnoDB through real clients: the DDL rules (parent, indexes, types, drops),
 * the child check and the parent rules on rows (RESTRICT, CASCADE, SET NULL, depth, cycles),
 * locks between sessions, rollback of cascades, foreign_key_checks=0, the monitor's LATEST
 * FOREIGN KEY ERROR, and cascades kept away from the server's row-change observers.
 */
import { rmSync } from 'node:fs';
import type mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChangeOrigin, RowChange } from '../../src/exec/write/row-change.js';
import { req } from '../helpers/req.js';
import { initializedDatadir, startTestServer, type TestServer } from '../helpers/server.js';

let srv: TestServer;
const conns: mysql.Connection[] = [];
const seen: string[] = [];
let detach: () => void = () => undefined;

async function conn(db = 'fk'): Promise<mysql.Connection> {
  const c = await srv.connect({ database: db });
  conns.push(c);
  return c;
}

async function sqlErr(p: Promise<unknown>): Promise<{ errno: number; sqlState: string; message: string }> {
  try {
    await p;
  } catch (e) {
    const x = e as { errno: number; sqlState: string; sqlMessage: string };
    return { errno: x.errno, sqlState: x.sqlState, message: x.sqlMessage };
  }
  throw new Error('expected an error');
}

async function rows(c: mysql.Connection, sql: string): Promise<unknown[][]> {
  const [r] = await c.query<mysql.RowDataPacket[]>({ sql, rowsAsArray: true });
  return (r as unknown as unknown[][]).map((row) => row.map((v) => (typeof v === 'bigint' ? Number(v) : v)));
}

async function showCreate(c: mysql.Connection, t: string): Promise<string> {
  const [r] = await c.query<mysql.RowDataPacket[]>(`SHOW CREATE TABLE ${t}`);
  return String(r[0]!['Create Table']);
}

async function monitor(c: mysql.Connection): Promise<string> {
  const [r] = await c.query<mysql.RowDataPacket[]>('SHOW ENGINE INNODB STATUS');
  return String(r[0]!['Status']);
}

beforeAll(async () => {
  srv = await startTestServer();
  detach = srv.server.rowChanges.add({
    rowChanged(_origin: ChangeOrigin, change: RowChange): void {
      seen.push(`${change.kind} ${change.table.name}`);
    },
  });
  const c = await srv.connect();
  await c.query('CREATE DATABASE fk');
  await c.query('CREATE DATABASE fk2');
  await c.end();
}, 60000);

afterAll(async () => {
  detach();
  for (const c of conns) await c.end().catch(() => undefined);
  await srv?.stop();
});

describe('LATEST FOREIGN KEY ERROR', () => {
  it(req(['INNODB-MON-007'], 'wire', 'the section is absent until a foreign key error, then names the statement, the constraint and both tables'), async () => {
    const c = await conn();
    expect(await monitor(c)).not.toContain('LATEST FOREIGN KEY ERROR');
    await c.query('CREATE TABLE mon_p (id INT PRIMARY KEY)');
    await c.query('CREATE TABLE mon_c (id INT PRIMARY KEY, pid INT, CONSTRAINT mon_fk FOREIGN KEY (pid) REFERENCES mon_p (id))');
    expect((await sqlErr(c.query('INSERT INTO mon_c VALUES (1, 42)'))).errno).toBe(1452);
    const text = await monitor(c);
    const section = text.split('------------------------\nLATEST FOREIGN KEY ERROR\n------------------------\n')[1]!.split('\n------------')[0]!;
    expect(section).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d 0x[0-9a-f]+ Transaction:\n/);
    expect(section).toContain('INSERT INTO mon_c VALUES (1, 42)');
    expect(section).toContain('Foreign key constraint fails for table `fk`.`mon_c`:');
    expect(section).toContain('CONSTRAINT `mon_fk` FOREIGN KEY (`pid`) REFERENCES `mon_p` (`id`)');
    expect(section).toContain('Trying to add in child table, in index mon_fk tuple:');
    expect(section).toContain('But in parent table `fk`.`mon_p`, in index PRIMARY');
  });
});

describe('foreign keys: the replication scenario on one server', () => {
  it(req(['INNODB-REPL-004', 'INNODB-REPL-006', 'INNODB-FK-111'], 'wire', 'DELETE FROM fc1 WHERE i=1 cascades to fc2, leaving {(2,2)}; observers see only the fc1 delete'), async () => {
    const c = await conn();
    await c.query('CREATE TABLE fc1 (i INT PRIMARY KEY, j INT) ENGINE=InnoDB');
    await c.query('CREATE TABLE fc2 (m INT PRIMARY KEY, n INT, FOREIGN KEY ni (n) REFERENCES fc1 (i) ON DELETE CASCADE) ENGINE=InnoDB');
    expect(await showCreate(c, 'fc2')).toBe(
      'CREATE TABLE `fc2` (\n  `m` int NOT NULL,\n  `n` int DEFAULT NULL,\n  PRIMARY KEY (`m`),\n  KEY `ni` (`n`),\n' +
        '  CONSTRAINT `fc2_ibfk_1` FOREIGN KEY (`n`) REFERENCES `fc1` (`i`) ON DELETE CASCADE\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_0900_ai_ci',
    );
    await c.query('INSERT INTO fc1 VALUES (1,1),(2,2)');
    const [ins] = await c.query<mysql.ResultSetHeader>('INSERT INTO fc2 VALUES (1,1),(2,2),(3,1)');
    expect([ins.affectedRows, ins.info]).toEqual([3, 'Records: 3  Duplicates: 0  Warnings: 0']);
    seen.length = 0;
    const [del] = await c.query<mysql.ResultSetHeader>('DELETE FROM fc1 WHERE i=1');
    expect(del.affectedRows).toBe(1);
    expect(await rows(c, 'SELECT * FROM fc2 ORDER BY m')).toEqual([[2, 2]]);
    expect(seen).toEqual(['delete fc1']);
  });

  it(req(['INNODB-REPL-003', 'INNODB-FK-108'], 'wire', 'an INSERT failing with 1452 leaves no row; inside a transaction only that statement is undone'), async () => {
    const c = await conn();
    await c.query('CREATE TABLE r3p (id INT PRIMARY KEY)');
    await c.query('CREATE TABLE r3c (id INT PRIMARY KEY, pid INT, CONSTRAINT r3fk FOREIGN KEY (pid) REFERENCES r3p (id))');
    await c.query('INSERT INTO r3p VALUES (1)');
    seen.length = 0;
    const e = await sqlErr(c.query('INSERT INTO r3c VALUES (1, 7)'));
    expect(e).toEqual({
      errno: 1452,
      sqlState: '23000',
      message: 'Cannot add or update a child row: a foreign key constraint fails (`fk`.`r3c`, CONSTRAINT `r3fk` FOREIGN KEY (`pid`) REFERENCES `r3p` (`id`))',
    });
    expect(await rows(c, 'SELECT * FROM r3c')).toEqual([]);
    expect(seen).toEqual([]);
    // A multi-row INSERT is all or nothing; in a transaction the good statement stays.
    expect((await sqlErr(c.query('INSERT INTO r3c VALUES (2, 1), (3, 9)'))).errno).toBe(1452);
    expect(await rows(c, 'SELECT * FROM r3c')).toEqual([]);
    await c.query('BEGIN');
    await c.query('INSERT INTO r3c VALUES (4, 1)');
    expect((await sqlErr(c.query('INSERT INTO r3c VALUES (5, 8)'))).errno).toBe(1452);
    await c.query('COMMIT');
    expect(await rows(c, 'SELECT * FROM r3c')).toEqual([[4, 1]]);
    // NULL in the key column is not checked; UPDATE to a missing parent is refused.
    await c.query('INSERT INTO r3c VALUES (6, NULL)');
    expect((await sqlErr(c.query('UPDATE r3c SET pid = 5 WHERE id = 6'))).errno).toBe(1452);
    expect(await rows(c, 'SELECT * FROM r3c ORDER BY id')).toEqual([[4, 1], [6, null]]);
  });
});

describe('foreign keys: DDL', () => {
  it(req(['INNODB-FK-101'], 'wire', 'a missing parent is 1824 with foreign_key_checks=1 and accepted with 0; the child then cannot get rows'), async () => {
    const c = await conn();
    expect(await sqlErr(c.query('CREATE TABLE nop_c (pid INT, FOREIGN KEY (pid) REFERENCES nop_p (id))'))).toEqual({
      errno: 1824,
      sqlState: 'HY000',
      message: "Failed to open the referenced table 'nop_p'",
    });
    expect((await sqlErr(c.query('CREATE TABLE nop_c (pid INT, FOREIGN KEY (pid) REFERENCES fk2.nop_p (id))'))).errno).toBe(1824);
    // A parent of another engine counts as missing.
    await c.query('CREATE TABLE mem_p (id INT PRIMARY KEY) ENGINE=MEMORY');
    expect((await sqlErr(c.query('CREATE TABLE nop_c (pid INT, FOREIGN KEY (pid) REFERENCES mem_p (id))'))).errno).toBe(1824);
    await c.query('SET foreign_key_checks = 0');
    await c.query('CREATE TABLE nop_c (pid INT, CONSTRAINT nop_fk FOREIGN KEY (pid) REFERENCES nop_p (id))');
    await c.query('SET foreign_key_checks = 1');
    expect(await showCreate(c, 'nop_c')).toContain('CONSTRAINT `nop_fk` FOREIGN KEY (`pid`) REFERENCES `nop_p` (`id`)');
    expect((await sqlErr(c.query('INSERT INTO nop_c VALUES (1)'))).errno).toBe(1452);
    // Created later, the parent is found by name.
    await c.query('CREATE TABLE nop_p (id INT PRIMARY KEY)');
    await c.query('INSERT INTO nop_p VALUES (1)');
    await c.query('INSERT INTO nop_c VALUES (1)');
    expect((await sqlErr(c.query('DELETE FROM nop_p'))).errno).toBe(1451);
  });

  it(req(['INNODB-FK-102'], 'wire', 'the referenced columns must lead an index of the parent (1822) and exist (3734); a secondary index counts with the primary key appended'), async () => {
    const c = await conn();
    await c.query('CREATE TABLE ix_p (id INT PRIMARY KEY, a INT, b INT, KEY ab (a, b))');
    expect(await sqlErr(c.query('CREATE TABLE ix_c (x INT, CONSTRAINT f1 FOREIGN KEY (x) REFERENCES ix_p (b))'))).toEqual({
      errno: 1822,
      sqlState: 'HY000',
      message: "Failed to add the foreign key constraint. Missing index for constraint 'f1' in the referenced table 'ix_p'",
    });
    expect(await sqlErr(c.query('CREATE TABLE ix_c (x INT, CONSTRAINT f1 FOREIGN KEY (x) REFERENCES ix_p (nope))'))).toEqual({
      errno: 3734,
      sqlState: 'HY000',
      message: "Failed to add the foreign key constraint. Missing column 'nope' for constraint 'f1' in the referenced table 'ix_p'",
    });
    // (a), (a, b) lead `ab`; (a, b, id) reaches it through the primary key InnoDB appends.
    await c.query('CREATE TABLE ix_c (x INT, y INT, z INT, FOREIGN KEY (x) REFERENCES ix_p (a), FOREIGN KEY (x, y) REFERENCES ix_p (A, B), FOREIGN KEY (x, y, z) REFERENCES ix_p (a, b, id))');
    const text = await showCreate(c, 'ix_c');
    // The referenced columns are stored as the parent spells them.
    expect(text).toContain('CONSTRAINT `ix_c_ibfk_2` FOREIGN KEY (`x`, `y`) REFERENCES `ix_p` (`a`, `b`)');
    // One generated index serves all three keys: (x, y, z) leads with (x) and (x, y).
    expect(text.split('\n').filter((l) => l.startsWith('  KEY'))).toEqual(['  KEY `x` (`x`,`y`,`z`),']);
  });

  it(req(['INNODB-FK-103'], 'wire', 'referencing and referenced columns must be compatible (3780): integer size and sign, string collation'), async () => {
    const c = await conn();
    await c.query('CREATE TABLE ty_p (i INT PRIMARY KEY, u INT UNSIGNED UNIQUE, s VARCHAR(10) UNIQUE, b BIGINT UNIQUE, d DECIMAL(10,2) UNIQUE)');
    const bad = async (col: string, ref: string): Promise<{ errno: number; message: string }> => {
      const e = await sqlErr(c.query(`CREATE TABLE ty_c (c ${col}, CONSTRAINT tyf FOREIGN KEY (c) REFERENCES ty_p (${ref}))`));
      return { errno: e.errno, message: e.message };
    };
    expect(await bad('BIGINT', 'i')).toEqual({ errno: 3780, message: "Referencing column 'c' and referenced column 'i' in foreign key constraint 'tyf' are incompatible." });
    expect((await bad('INT', 'u')).errno).toBe(3780);
    expect((await bad('VARCHAR(10) COLLATE utf8mb4_bin', 's')).errno).toBe(3780);
    expect((await bad('INT', 's')).errno).toBe(3780);
    // Same integer type (display width aside), other string lengths, other decimal sizes are fine.
    for (const [col, ref] of [['INT', 'i'], ['INT UNSIGNED', 'u'], ['VARCHAR(200)', 's'], ['CHAR(3)', 's'], ['BIGINT', 'b'], ['DECIMAL(5,0)', 'd']] as const) {
      await c.query(`CREATE TABLE ty_c (c ${col}, CONSTRAINT tyf FOREIGN KEY (c) REFERENCES ty_p (${ref}))`);
      await c.query('DROP TABLE ty_c');
    }
  });

  it(req(['INNODB-FK-104', 'INNODB-FK-105'], 'wire', 'the child gets an index named after the constraint, the FOREIGN KEY name or the column; temporary tables refuse keys (1215); SET NULL needs nullable columns (1830)'), async () => {
    const c = await conn();
    await c.query('CREATE TABLE gi_p (id INT PRIMARY KEY, k INT, UNIQUE KEY (k))');
    await c.query(`CREATE TABLE gi_c (a INT, b INT, d INT, e INT, KEY existing (e, a),
      CONSTRAINT named FOREIGN KEY (a) REFERENCES gi_p (id),
      FOREIGN KEY idx_b (b) REFERENCES gi_p (id),
      FOREIGN KEY (d) REFERENCES gi_p (k),
      FOREIGN KEY (e) REFERENCES gi_p (id))`);
    const keys = (await showCreate(c, 'gi_c')).split('\n').filter((l) => l.includes('KEY'));
    expect(keys).toEqual([
      '  KEY `existing` (`e`,`a`),',
      '  KEY `named` (`a`),',
      '  KEY `idx_b` (`b`),',
      '  KEY `d` (`d`),',
      '  CONSTRAINT `named` FOREIGN KEY (`a`) REFERENCES `gi_p` (`id`),',
      '  CONSTRAINT `gi_c_ibfk_1` FOREIGN KEY (`b`) REFERENCES `gi_p` (`id`),',
      '  CONSTRAINT `gi_c_ibfk_2` FOREIGN KEY (`d`) REFERENCES `gi_p` (`k`),',
      '  CONSTRAINT `gi_c_ibfk_3` FOREIGN KEY (`e`) REFERENCES `gi_p` (`id`)',
    ]);
    expect(await sqlErr(c.query('CREATE TEMPORARY TABLE gi_t (a INT, FOREIGN KEY (a) REFERENCES gi_p (id))'))).toEqual({
      errno: 1215,
      sqlState: 'HY000',
      message: 'Cannot add foreign key constraint',
    });
    expect((await sqlErr(c.query('CREATE TABLE gi_n (a INT NOT NULL, FOREIGN KEY (a) REFERENCES gi_p (id) ON DELETE SET NULL)'))).errno).toBe(1830);
  });

  it(req(['INNODB-FK-106'], 'wire', 'DROP TABLE of a parent is 3730 unless its children go too or foreign_key_checks=0; DROP DATABASE and TRUNCATE likewise'), async () => {
    const c = await conn();
    await c.query('CREATE TABLE dp_p (id INT PRIMARY KEY)');
    await c.query('CREATE TABLE dp_c (pid INT, CONSTRAINT dp_fk FOREIGN KEY (pid) REFERENCES dp_p (id))');
    expect(await sqlErr(c.query('DROP TABLE dp_p'))).toEqual({
      errno: 3730,
      sqlState: 'HY000',
      message: "Cannot drop table 'dp_p' referenced by a foreign key constraint 'dp_fk' on table 'dp_c'.",
    });
    expect(await sqlErr(c.query('TRUNCATE TABLE dp_p'))).toEqual({
      errno: 1701,
      sqlState: '42000',
      message: 'Cannot truncate a table referenced in a foreign key constraint (`fk`.`dp_c`, CONSTRAINT `dp_fk`)',
    });
    await c.query('DROP TABLE dp_p, dp_c');
    // A self-referencing table drops and truncates alone.
    await c.query('CREATE TABLE dp_s (id INT PRIMARY KEY, up INT, FOREIGN KEY (up) REFERENCES dp_s (id))');
    await c.query('TRUNCATE TABLE dp_s');
    await c.query('DROP TABLE dp_s');
    // foreign_key_checks=0 lets the parent go; the child keeps naming it.
    await c.query('CREATE TABLE dp_p (id INT PRIMARY KEY)');
    await c.query('CREATE TABLE dp_c (pid INT, CONSTRAINT dp_fk FOREIGN KEY (pid) REFERENCES dp_p (id))');
    await c.query('SET foreign_key_checks = 0');
    await c.query('DROP TABLE dp_p');
    await c.query('SET foreign_key_checks = 1');
    expect(await showCreate(c, 'dp_c')).toContain('REFERENCES `dp_p` (`id`)');
    // DROP DATABASE: children in the same schema go with it, children elsewhere keep it.
    await c.query('CREATE DATABASE dpx');
    await c.query('CREATE TABLE dpx.p (id INT PRIMARY KEY)');
    await c.query('CREATE TABLE dpx.c (pid INT, FOREIGN KEY (pid) REFERENCES dpx.p (id))');
    await c.query('CREATE TABLE fk2.outside (pid INT, CONSTRAINT out_fk FOREIGN KEY (pid) REFERENCES dpx.p (id))');
    expect(await sqlErr(c.query('DROP DATABASE dpx'))).toMatchObject({ errno: 3730, message: "Cannot drop table 'p' referenced by a foreign key constraint 'out_fk' on table 'outside'." });
    await c.query('DROP TABLE fk2.outside');
    await c.query('DROP DATABASE dpx');
  });

  it(req(['INNODB-FK-107'], 'wire', 'ALTER may not drop an index a key needs (1553) nor a referenced column (1829), nor change the engine (3776); a renamed referenced column is renamed in the child'), async () => {
    const c = await conn();
    await c.query('CREATE TABLE al_p (id INT PRIMARY KEY, k INT, v INT, UNIQUE KEY uk (k))');
    await c.query('CREATE TABLE al_c (id INT PRIMARY KEY, pk INT, CONSTRAINT al_fk FOREIGN KEY (pk) REFERENCES al_p (k))');
    expect(await sqlErr(c.query('ALTER TABLE al_c DROP INDEX al_fk'))).toEqual({ errno: 1553, sqlState: 'HY000', message: "Cannot drop index 'al_fk': needed in a foreign key constraint" });
    expect(await sqlErr(c.query('DROP INDEX uk ON al_p'))).toEqual({ errno: 1553, sqlState: 'HY000', message: "Cannot drop index 'uk': needed in a foreign key constraint" });
    // Another index serving the key may take over.
    await c.query('ALTER TABLE al_c ADD INDEX other (pk, id), DROP INDEX al_fk');
    expect(await sqlErr(c.query('ALTER TABLE al_p DROP COLUMN k'))).toEqual({
      errno: 1829,
      sqlState: 'HY000',
      message: "Cannot drop column 'k': needed in a foreign key constraint 'al_fk' of table 'al_c'",
    });
    expect((await sqlErr(c.query('ALTER TABLE al_p MODIFY k BIGINT'))).errno).toBe(3780);
    expect((await sqlErr(c.query('ALTER TABLE al_c MODIFY pk BIGINT'))).errno).toBe(3780);
    expect(await sqlErr(c.query('ALTER TABLE al_p ENGINE=MEMORY'))).toEqual({
      errno: 3776,
      sqlState: 'HY000',
      message: "Cannot change table's storage engine because the table participates in a foreign key constraint.",
    });
    expect((await sqlErr(c.query('ALTER TABLE al_c ENGINE=MEMORY'))).errno).toBe(3776);
    await c.query('ALTER TABLE al_p RENAME COLUMN k TO kk');
    expect(await showCreate(c, 'al_c')).toContain('CONSTRAINT `al_fk` FOREIGN KEY (`pk`) REFERENCES `al_p` (`kk`)');
    await c.query('INSERT INTO al_p VALUES (1, 10, 0)');
    await c.query('INSERT INTO al_c VALUES (1, 10)');
    expect((await sqlErr(c.query('INSERT INTO al_c VALUES (2, 11)'))).errno).toBe(1452);
    // A rename with a rebuild (copy) renames in the child too.
    await c.query('ALTER TABLE al_p CHANGE kk k2 INT, ADD COLUMN w INT');
    expect(await showCreate(c, 'al_c')).toContain('REFERENCES `al_p` (`k2`)');
    expect((await sqlErr(c.query('DELETE FROM al_p'))).errno).toBe(1451);
  });

  it(req(['INNODB-FK-118'], 'wire', 'ALTER TABLE ADD FOREIGN KEY checks the existing rows with foreign_key_checks=1 and not with 0'), async () => {
    const c = await conn();
    await c.query('CREATE TABLE ad_p (id INT PRIMARY KEY)');
    await c.query('CREATE TABLE ad_c (id INT PRIMARY KEY, pid INT, KEY (pid))');
    await c.query('INSERT INTO ad_p VALUES (1)');
    await c.query('INSERT INTO ad_c VALUES (1, 1), (2, 5)');
    const e = await sqlErr(c.query('ALTER TABLE ad_c ADD CONSTRAINT ad_fk FOREIGN KEY (pid) REFERENCES ad_p (id)'));
    expect(e.errno).toBe(1452);
    expect(e.message).toMatch(/^Cannot add or update a child row: a foreign key constraint fails \(`fk`\.`#sql-[0-9a-f_]+`, CONSTRAINT `ad_fk` FOREIGN KEY \(`pid`\) REFERENCES `ad_p` \(`id`\)\)$/);
    expect(await showCreate(c, 'ad_c')).not.toContain('FOREIGN KEY');
    await c.query('SET foreign_key_checks = 0');
    await c.query('ALTER TABLE ad_c ADD CONSTRAINT ad_fk FOREIGN KEY (pid) REFERENCES ad_p (id)');
    await c.query('SET foreign_key_checks = 1');
    expect(await rows(c, 'SELECT * FROM ad_c ORDER BY id')).toEqual([[1, 1], [2, 5]]);
    // A copying ALTER of a child with an orphan row now fails the same way.
    expect((await sqlErr(c.query('ALTER TABLE ad_c ADD COLUMN x INT'))).errno).toBe(1452);
  });
});

describe('foreign keys: rows', () => {
  it(req(['INNODB-FK-109'], 'wire', 'the parent row a child insert found stays share-locked until the child transaction ends; a parent being deleted is waited for'), async () => {
    const a = await conn();
    const b = await conn();
    await a.query('CREATE TABLE lk_p (id INT PRIMARY KEY, v INT)');
    await a.query('CREATE TABLE lk_c (id INT PRIMARY KEY, pid INT, FOREIGN KEY (pid) REFERENCES lk_p (id))');
    await a.query('INSERT INTO lk_p VALUES (1, 0), (2, 0)');
    await b.query('SET innodb_lock_wait_timeout = 1');
    await a.query('BEGIN');
    await a.query('INSERT INTO lk_c VALUES (1, 1)');
    // The parent may not go, nor change its key, while a's child row is uncommitted...
    expect((await sqlErr(b.query('DELETE FROM lk_p WHERE id = 1'))).errno).toBe(1205);
    expect((await sqlErr(b.query('UPDATE lk_p SET id = 10 WHERE id = 1'))).errno).toBe(1205);
    // ... but other rows and plain reads are free.
    await b.query('DELETE FROM lk_p WHERE id = 2');
    expect(await rows(b, 'SELECT id FROM lk_p')).toEqual([[1]]);
    await a.query('COMMIT');
    expect((await sqlErr(b.query('DELETE FROM lk_p WHERE id = 1'))).errno).toBe(1451);
    // A parent deleted by an open transaction: the child insert waits, then fails or succeeds
    // as that transaction ends.
    await a.query('INSERT INTO lk_p VALUES (3, 0)');
    await a.query('BEGIN');
    await a.query('DELETE FROM lk_p WHERE id = 3');
    expect((await sqlErr(b.query('INSERT INTO lk_c VALUES (3, 3)'))).errno).toBe(1205);
    await b.query('SET innodb_lock_wait_timeout = 5');
    const waiting = b.query('INSERT INTO lk_c VALUES (3, 3)');
    await new Promise((r) => setTimeout(r, 100));
    await a.query('ROLLBACK');
    await waiting;
    expect(await rows(b, 'SELECT * FROM lk_c ORDER BY id')).toEqual([[1, 1], [3, 3]]);
    await a.query('BEGIN');
    await a.query('DELETE FROM lk_c WHERE id = 3');
    await a.query('DELETE FROM lk_p WHERE id = 3');
    const refused = sqlErr(b.query('INSERT INTO lk_c VALUES (4, 3)'));
    await new Promise((r) => setTimeout(r, 100));
    await a.query('COMMIT');
    expect((await refused).errno).toBe(1452);
  });

  it(req(['INNODB-FK-110', 'INNODB-FK-105'], 'wire', 'RESTRICT, NO ACTION and SET DEFAULT refuse deleting or re-keying a referenced parent (1451), row by row'), async () => {
    const c = await conn();
    await c.query('CREATE TABLE rs_p (id INT PRIMARY KEY, v INT)');
    await c.query(`CREATE TABLE rs_c (id INT PRIMARY KEY, a INT, b INT, d INT,
      CONSTRAINT rs_r FOREIGN KEY (a) REFERENCES rs_p (id) ON DELETE RESTRICT ON UPDATE RESTRICT,
      CONSTRAINT rs_n FOREIGN KEY (b) REFERENCES rs_p (id),
      CONSTRAINT rs_d FOREIGN KEY (d) REFERENCES rs_p (id) ON DELETE SET DEFAULT ON UPDATE SET DEFAULT)`);
    expect(await showCreate(c, 'rs_c')).toContain('CONSTRAINT `rs_d` FOREIGN KEY (`d`) REFERENCES `rs_p` (`id`) ON DELETE SET DEFAULT ON UPDATE SET DEFAULT');
    await c.query('INSERT INTO rs_p VALUES (1, 0), (2, 0), (3, 0), (4, 0)');
    await c.query('INSERT INTO rs_c VALUES (1, 1, NULL, NULL), (2, NULL, 2, NULL), (3, NULL, NULL, 3)');
    expect(await sqlErr(c.query('DELETE FROM rs_p WHERE id = 1'))).toEqual({
      errno: 1451,
      sqlState: '23000',
      message: 'Cannot delete or update a parent row: a foreign key constraint fails (`fk`.`rs_c`, CONSTRAINT `rs_r` FOREIGN KEY (`a`) REFERENCES `rs_p` (`id`) ON DELETE RESTRICT ON UPDATE RESTRICT)',
    });
    expect((await sqlErr(c.query('UPDATE rs_p SET id = 20 WHERE id = 2'))).message).toBe(
      'Cannot delete or update a parent row: a foreign key constraint fails (`fk`.`rs_c`, CONSTRAINT `rs_n` FOREIGN KEY (`b`) REFERENCES `rs_p` (`id`))',
    );
    expect((await sqlErr(c.query('DELETE FROM rs_p WHERE id = 3'))).errno).toBe(1451);
    // A non-key column of a parent, and an unreferenced parent, change freely.
    await c.query('UPDATE rs_p SET v = 9');
    await c.query('UPDATE rs_p SET id = 40 WHERE id = 4');
    // Checked per row, at once: deleting all parents fails at the first referenced one and
    // the statement is undone.
    expect((await sqlErr(c.query('DELETE FROM rs_p ORDER BY id DESC'))).errno).toBe(1451);
    expect(await rows(c, 'SELECT id FROM rs_p ORDER BY id')).toEqual([[1], [2], [3], [40]]);
  });

  it(req(['INNODB-FK-111', 'INNODB-TRX-101'], 'wire', 'CASCADE deletes and re-keys children recursively; statement rollback and ROLLBACK undo the cascade; the cascade survives a restart'), async () => {
    const c = await conn();
    await c.query('CREATE TABLE cc_a (id INT PRIMARY KEY)');
    await c.query('CREATE TABLE cc_b (id INT PRIMARY KEY, a INT, FOREIGN KEY (a) REFERENCES cc_a (id) ON DELETE CASCADE ON UPDATE CASCADE)');
    await c.query('CREATE TABLE cc_c (id INT PRIMARY KEY, b INT, FOREIGN KEY (b) REFERENCES cc_b (id) ON DELETE CASCADE)');
    await c.query('CREATE TABLE cc_r (id INT PRIMARY KEY, b INT, FOREIGN KEY (b) REFERENCES cc_b (id))');
    await c.query('INSERT INTO cc_a VALUES (1), (2), (3)');
    await c.query('INSERT INTO cc_b VALUES (10, 1), (11, 1), (20, 2), (30, 3)');
    await c.query('INSERT INTO cc_c VALUES (100, 10), (101, 11), (200, 20)');
    await c.query('INSERT INTO cc_r VALUES (1, 30)');
    // ON UPDATE CASCADE gives the children the new key.
    await c.query('UPDATE cc_a SET id = 5 WHERE id = 1');
    expect(await rows(c, 'SELECT id, a FROM cc_b ORDER BY id')).toEqual([[10, 5], [11, 5], [20, 2], [30, 3]]);
    // ROLLBACK undoes a two-level cascade.
    await c.query('BEGIN');
    const [del] = await c.query<mysql.ResultSetHeader>('DELETE FROM cc_a WHERE id = 5');
    expect(del.affectedRows).toBe(1);
    expect(await rows(c, 'SELECT id FROM cc_b ORDER BY id')).toEqual([[20], [30]]);
    expect(await rows(c, 'SELECT id FROM cc_c ORDER BY id')).toEqual([[200]]);
    await c.query('ROLLBACK');
    expect(await rows(c, 'SELECT id FROM cc_c ORDER BY id')).toEqual([[100], [101], [200]]);
    // A cascade that reaches a RESTRICT child fails, and the whole statement is undone.
    expect((await sqlErr(c.query('DELETE FROM cc_a'))).errno).toBe(1451);
    expect(await rows(c, 'SELECT COUNT(*) FROM cc_a')).toEqual([[3]]);
    expect(await rows(c, 'SELECT COUNT(*) FROM cc_b')).toEqual([[4]]);
    expect(await rows(c, 'SELECT COUNT(*) FROM cc_c')).toEqual([[3]]);
  });

  it(req(['INNODB-FK-111'], 'wire', 'cascaded changes are in the redo log: after a restart that replays it they are still there'), async () => {
    const dirs = await initializedDatadir();
    let s = await startTestServer({ datadir: dirs.datadir });
    try {
      let c = await s.connect();
      await c.query('CREATE DATABASE r');
      await c.query('USE r');
      await c.query('CREATE TABLE p (id INT PRIMARY KEY)');
      await c.query('CREATE TABLE ch (id INT PRIMARY KEY, pid INT, FOREIGN KEY (pid) REFERENCES p (id) ON DELETE CASCADE ON UPDATE CASCADE)');
      await c.query('INSERT INTO p VALUES (1), (2)');
      await c.query('INSERT INTO ch VALUES (1, 1), (2, 2), (3, 2)');
      // Let a checkpoint write the tables, so that only the redo log holds what follows.
      await c.query('SET GLOBAL innodb_fast_shutdown = 2');
      await c.query('DELETE FROM p WHERE id = 1');
      await c.query('UPDATE p SET id = 5 WHERE id = 2');
      await c.end();
      await s.stop();
      s = await startTestServer({ datadir: dirs.datadir });
      c = await s.connect({ database: 'r' });
      expect(await rows(c, 'SELECT * FROM ch ORDER BY id')).toEqual([[2, 5], [3, 5]]);
      await c.end();
    } finally {
      await s.stop();
      rmSync(dirs.parent, { recursive: true, force: true });
    }
  });

  it(req(['INNODB-FK-112'], 'wire', 'SET NULL clears the children\'s key on delete and on a key update'), async () => {
    const c = await conn();
    await c.query('CREATE TABLE sn_p (id INT PRIMARY KEY)');
    await c.query('CREATE TABLE sn_c (id INT PRIMARY KEY, pid INT, FOREIGN KEY (pid) REFERENCES sn_p (id) ON DELETE SET NULL ON UPDATE SET NULL)');
    await c.query('INSERT INTO sn_p VALUES (1), (2)');
    await c.query('INSERT INTO sn_c VALUES (1, 1), (2, 1), (3, 2)');
    await c.query('DELETE FROM sn_p WHERE id = 1');
    await c.query('UPDATE sn_p SET id = 7 WHERE id = 2');
    expect(await rows(c, 'SELECT * FROM sn_c ORDER BY id')).toEqual([[1, null], [2, null], [3, null]]);
  });

  it(req(['INNODB-FK-113'], 'wire', 'a cascade 15 levels down fails with 3008; self-referencing ON UPDATE CASCADE acts like RESTRICT'), async () => {
    const c = await conn();
    const chain = async (prefix: string, n: number): Promise<void> => {
      await c.query(`CREATE TABLE ${prefix}0 (id INT PRIMARY KEY)`);
      for (let i = 1; i < n; i++) {
        await c.query(`CREATE TABLE ${prefix}${i} (id INT PRIMARY KEY, up INT, FOREIGN KEY (up) REFERENCES ${prefix}${i - 1} (id) ON DELETE CASCADE)`);
      }
      await c.query(`INSERT INTO ${prefix}0 VALUES (1)`);
      for (let i = 1; i < n; i++) await c.query(`INSERT INTO ${prefix}${i} VALUES (1, 1)`);
    };
    // 15 tables: the deepest cascade is 14 levels below the statement's row.
    await chain('ok', 15);
    await c.query('DELETE FROM ok0');
    expect(await rows(c, 'SELECT COUNT(*) FROM ok14')).toEqual([[0]]);
    await chain('deep', 16);
    expect(await sqlErr(c.query('DELETE FROM deep0'))).toEqual({ errno: 3008, sqlState: 'HY000', message: 'Foreign key cascade delete/update exceeds max depth of 15.' });
    expect(await rows(c, 'SELECT COUNT(*) FROM deep15')).toEqual([[1]]);
    expect(await rows(c, 'SELECT COUNT(*) FROM deep1')).toEqual([[1]]);
    // The same limit within one self-referencing table.
    await c.query('CREATE TABLE tree (id INT PRIMARY KEY, up INT, FOREIGN KEY (up) REFERENCES tree (id) ON DELETE CASCADE ON UPDATE CASCADE)');
    await c.query('INSERT INTO tree VALUES (1, NULL)');
    for (let i = 2; i <= 17; i++) await c.query(`INSERT INTO tree VALUES (${i}, ${i - 1})`);
    expect((await sqlErr(c.query('DELETE FROM tree WHERE id = 1'))).errno).toBe(3008);
    await c.query('DELETE FROM tree WHERE id = 3');
    expect(await rows(c, 'SELECT id FROM tree ORDER BY id')).toEqual([[1], [2]]);
    expect((await sqlErr(c.query('UPDATE tree SET id = 9 WHERE id = 1'))).errno).toBe(1451);
    await c.query('UPDATE tree SET id = 9 WHERE id = 2');
    expect(await rows(c, 'SELECT * FROM tree ORDER BY id')).toEqual([[1, null], [9, 1]]);
  });

  it(req(['INNODB-FK-114'], 'wire', 'foreign_key_checks=0 skips the child check and every parent rule'), async () => {
    const c = await conn();
    await c.query('CREATE TABLE off_p (id INT PRIMARY KEY)');
    await c.query('CREATE TABLE off_c (id INT PRIMARY KEY, pid INT, FOREIGN KEY (pid) REFERENCES off_p (id) ON DELETE CASCADE)');
    await c.query('CREATE TABLE off_r (id INT PRIMARY KEY, pid INT, FOREIGN KEY (pid) REFERENCES off_p (id))');
    await c.query('INSERT INTO off_p VALUES (1), (2)');
    await c.query('INSERT INTO off_c VALUES (1, 1)');
    await c.query('INSERT INTO off_r VALUES (1, 2)');
    await c.query('SET foreign_key_checks = 0');
    await c.query('INSERT INTO off_c VALUES (2, 99)');
    await c.query('DELETE FROM off_p');
    await c.query('SET foreign_key_checks = 1');
    expect(await rows(c, 'SELECT * FROM off_c ORDER BY id')).toEqual([[1, 1], [2, 99]]);
    expect(await rows(c, 'SELECT * FROM off_r')).toEqual([[1, 2]]);
    expect((await sqlErr(c.query('UPDATE off_c SET pid = 3 WHERE id = 1'))).errno).toBe(1452);
  });

  it(req(['INNODB-FK-115'], 'wire', 'a self-referencing table: a row may reference itself, and deleting a node cascades to its subtree'), async () => {
    const c = await conn();
    await c.query('CREATE TABLE emp (id INT PRIMARY KEY, boss INT, FOREIGN KEY (boss) REFERENCES emp (id) ON DELETE CASCADE)');
    await c.query('INSERT INTO emp VALUES (1, 1)');
    await c.query('INSERT INTO emp VALUES (2, 1), (3, 2), (4, 2), (5, 1)');
    expect((await sqlErr(c.query('INSERT INTO emp VALUES (6, 60)'))).errno).toBe(1452);
    await c.query('DELETE FROM emp WHERE id = 2');
    expect(await rows(c, 'SELECT id FROM emp ORDER BY id')).toEqual([[1], [5]]);
    await c.query('DELETE FROM emp WHERE id = 1');
    expect(await rows(c, 'SELECT id FROM emp')).toEqual([]);
  });

  it(req(['INNODB-FK-116'], 'wire', 'a cascaded update that duplicates a child key is 1761 and undone'), async () => {
    const c = await conn();
    await c.query('CREATE TABLE du_p (id INT PRIMARY KEY)');
    await c.query('CREATE TABLE du_c (id INT PRIMARY KEY, pid INT, UNIQUE KEY upid (pid), FOREIGN KEY (pid) REFERENCES du_p (id) ON UPDATE CASCADE)');
    await c.query('INSERT INTO du_p VALUES (1), (2)');
    await c.query('INSERT INTO du_c VALUES (1, 1)');
    await c.query('SET foreign_key_checks = 0');
    await c.query('INSERT INTO du_c VALUES (2, 3)');
    await c.query('SET foreign_key_checks = 1');
    expect(await sqlErr(c.query('UPDATE du_p SET id = 3 WHERE id = 1'))).toEqual({
      errno: 1761,
      sqlState: '23000',
      message: "Foreign key constraint for table 'du_p', record '3' would lead to a duplicate entry in table 'du_c', key 'upid'",
    });
    expect(await rows(c, 'SELECT * FROM du_p ORDER BY id')).toEqual([[1], [2]]);
    expect(await rows(c, 'SELECT * FROM du_c ORDER BY id')).toEqual([[1, 1], [2, 3]]);
  });
});

describe('foreign keys: IGNORE', () => {
  it(req(['INNODB-FK-117'], 'wire', 'INSERT, UPDATE and DELETE IGNORE skip a row failing a key with a warning; the row\'s partial cascade is undone'), async () => {
    const c = await conn();
    await c.query('CREATE TABLE ig_p (id INT PRIMARY KEY)');
    await c.query('CREATE TABLE ig_c (id INT PRIMARY KEY, pid INT, FOREIGN KEY (pid) REFERENCES ig_p (id) ON DELETE CASCADE)');
    await c.query('CREATE TABLE ig_r (id INT PRIMARY KEY, pid INT, CONSTRAINT ig_fk FOREIGN KEY (pid) REFERENCES ig_p (id))');
    await c.query('INSERT INTO ig_p VALUES (1), (2), (3)');
    const [ins] = await c.query<mysql.ResultSetHeader>('INSERT IGNORE INTO ig_c VALUES (1, 1), (2, 9), (3, 2), (4, 3)');
    expect([ins.affectedRows, ins.info]).toEqual([3, 'Records: 4  Duplicates: 0  Warnings: 1']);
    const [w] = await c.query<mysql.RowDataPacket[]>('SHOW WARNINGS');
    expect(w.map((x) => [x['Level'], x['Code']])).toEqual([['Warning', 1452]]);
    const [upd] = await c.query<mysql.ResultSetHeader>('UPDATE IGNORE ig_c SET pid = pid + 1 ORDER BY id');
    expect(upd.changedRows).toBe(2);
    expect(await rows(c, 'SELECT * FROM ig_c ORDER BY id')).toEqual([[1, 2], [3, 3], [4, 3]]);
    await c.query('INSERT INTO ig_r VALUES (1, 2)');
    // Parent 2 would cascade to ig_c row 1 but ig_r keeps it: that row and its cascade are undone.
    const [del] = await c.query<mysql.ResultSetHeader>('DELETE IGNORE FROM ig_p ORDER BY id');
    expect(del.affectedRows).toBe(2);
    const [w2] = await c.query<mysql.RowDataPacket[]>('SHOW WARNINGS');
    expect(w2.map((x) => [x['Code'], x['Message']])).toEqual([
      [1451, 'Cannot delete or update a parent row: a foreign key constraint fails (`fk`.`ig_r`, CONSTRAINT `ig_fk` FOREIGN KEY (`pid`) REFERENCES `ig_p` (`id`))'],
    ]);
    expect(await rows(c, 'SELECT * FROM ig_p')).toEqual([[2]]);
    expect(await rows(c, 'SELECT * FROM ig_c ORDER BY id')).toEqual([[1, 2]]);
  });
});
