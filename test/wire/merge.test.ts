/**
 * The MERGE (MRG_MYISAM) engine over the wire (mysql2): the manual's `total` example, the
 * `.MRG` file, insert methods, conformance checked at use, CHECK TABLE naming the bad child,
 * remapping, conversions, privileges and the documented uniqueness limits.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type mysql from 'mysql2/promise';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { req } from '../helpers/req.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { failureOf as err } from '../helpers/sql.js';

let srv: TestServer;
let c: mysql.Connection;

async function rows(sql: string): Promise<unknown[][]> {
  const [r] = await c.query<mysql.RowDataPacket[]>({ sql, rowsAsArray: true });
  return r as unknown as unknown[][];
}

async function manualExample(): Promise<void> {
  await c.query('DROP TABLE IF EXISTS total, t1, t2');
  await c.query('CREATE TABLE t1 (a INT NOT NULL AUTO_INCREMENT PRIMARY KEY, message CHAR(20)) ENGINE=MyISAM');
  await c.query('CREATE TABLE t2 (a INT NOT NULL AUTO_INCREMENT PRIMARY KEY, message CHAR(20)) ENGINE=MyISAM');
  await c.query("INSERT INTO t1 (message) VALUES ('Testing'),('table'),('t1')");
  await c.query("INSERT INTO t2 (message) VALUES ('Testing'),('table'),('t2')");
  await c.query('CREATE TABLE total (a INT NOT NULL AUTO_INCREMENT, message CHAR(20), INDEX(a)) ENGINE=MERGE UNION=(t1,t2) INSERT_METHOD=LAST');
}

beforeAll(async () => {
  srv = await startTestServer();
  c = await srv.connect();
  await c.query('CREATE DATABASE mrg');
  await c.query('USE mrg');
});

afterAll(async () => {
  await c?.end();
  await srv?.stop();
});

describe('MERGE: the manual example and the .MRG file', () => {
  beforeEach(manualExample);

  it(req(['MERGE-014', 'MERGE-002', 'MERGE-008'], 'wire', 'SELECT * FROM total gives t1 then t2, exactly as the manual shows'), async () => {
    expect(await rows('SELECT * FROM total')).toEqual([
      [1, 'Testing'],
      [2, 'table'],
      [3, 't1'],
      [1, 'Testing'],
      [2, 'table'],
      [3, 't2'],
    ]);
    expect(await rows('SELECT message FROM total WHERE a = 3 ORDER BY message')).toEqual([['t1'], ['t2']]);
  });

  it(req(['MERGE-001', 'MERGE-006'], 'wire', 'the engine is MRG_MYISAM (MERGE is an alias) and total.MRG lists the children and the insert method'), async () => {
    expect(await rows("SELECT ENGINE FROM information_schema.TABLES WHERE TABLE_SCHEMA='mrg' AND TABLE_NAME='total'")).toEqual([['MRG_MYISAM']]);
    expect(await rows("SELECT SUPPORT, COMMENT FROM information_schema.ENGINES WHERE ENGINE='MRG_MYISAM'")).toEqual([['YES', 'Collection of identical MyISAM tables']]);
    expect(readFileSync(join(srv.datadir, 'mrg', 'total.MRG'), 'utf8')).toBe('t1\nt2\n#INSERT_METHOD=LAST\n');
    await c.query('CREATE TABLE total2 (a INT NOT NULL, message CHAR(20)) ENGINE=MRG_MYISAM UNION=(t1)');
    expect(readFileSync(join(srv.datadir, 'mrg', 'total2.MRG'), 'utf8')).toBe('t1\n');
    const [sc] = await c.query<mysql.RowDataPacket[]>('SHOW CREATE TABLE total');
    expect(String(sc[0]!['Create Table'])).toMatch(/ENGINE=MRG_MYISAM .* INSERT_METHOD=LAST UNION=\(`t1`,`t2`\)$/);
    await c.query('DROP TABLE total2');
  });

  it(req(['MERGE-013', 'MERGE-083'], 'wire', 'INSERT_METHOD=LAST inserts into t2 (AUTO_INCREMENT over all children), FIRST into t1; uniqueness holds only inside the target child'), async () => {
    const [r] = await c.query<mysql.ResultSetHeader>("INSERT INTO total (message) VALUES ('new')");
    expect(r.insertId).toBe(4);
    expect(await rows('SELECT a, message FROM t2 ORDER BY a')).toEqual([[1, 'Testing'], [2, 'table'], [3, 't2'], [4, 'new']]);
    expect(await rows('SELECT COUNT(*) FROM t1')).toEqual([[3]]);
    // a=1 exists in t1 and in t2: a duplicate across children is allowed, inside t2 it is not.
    await c.query('ALTER TABLE total INSERT_METHOD=FIRST');
    await c.query("INSERT INTO total VALUES (10, 'first')");
    expect(await rows('SELECT a FROM t1 WHERE a = 10')).toEqual([[10]]);
    const e = await err(c.query("INSERT INTO total VALUES (1, 'dup')"));
    expect(e.errno).toBe(1022);
    expect(e.message).toBe("Can't write; duplicate key in table 'total'");
    // Where the MERGE table declares the key unique itself, the error names it (1062).
    await c.query('CREATE TABLE totalu (a INT NOT NULL AUTO_INCREMENT, message CHAR(20), PRIMARY KEY (a)) ENGINE=MERGE UNION=(t1,t2) INSERT_METHOD=FIRST');
    const u = await err(c.query("INSERT INTO totalu VALUES (1, 'dup')"));
    expect([u.errno, u.message]).toEqual([1062, "Duplicate entry '1' for key 'totalu.PRIMARY'"]);
    await c.query('DROP TABLE totalu');
  });

  it(req(['MERGE-012', 'MERGE-013'], 'wire', 'without INSERT_METHOD (or NO) the MERGE table is read only: 1036'), async () => {
    await c.query('CREATE TABLE ro (a INT NOT NULL, message CHAR(20), INDEX(a)) ENGINE=MERGE UNION=(t1,t2)');
    let e = await err(c.query("INSERT INTO ro VALUES (9, 'x')"));
    expect([e.errno, e.sqlState, e.message]).toEqual([1036, 'HY000', "Table 'ro' is read only"]);
    await c.query('ALTER TABLE total INSERT_METHOD=NO');
    e = await err(c.query("INSERT INTO total VALUES (9, 'x')"));
    expect(e.errno).toBe(1036);
    // A MERGE table without UNION reads as empty (spec decision A-26).
    await c.query('CREATE TABLE nou (a INT) ENGINE=MERGE');
    expect(await rows('SELECT * FROM nou')).toEqual([]);
    await c.query('DROP TABLE ro, nou');
  });

  it(req(['MERGE-008', 'MERGE-061'], 'wire', 'UPDATE and DELETE through the MERGE table change the rows in their children'), async () => {
    await c.query("UPDATE total SET message = 'x' WHERE a = 1");
    expect(await rows('SELECT message FROM t1 WHERE a = 1')).toEqual([['x']]);
    expect(await rows('SELECT message FROM t2 WHERE a = 1')).toEqual([['x']]);
    const [d] = await c.query<mysql.ResultSetHeader>('DELETE FROM total WHERE a = 2');
    expect(d.affectedRows).toBe(2);
    expect(await rows('SELECT a FROM t1 ORDER BY a')).toEqual([[1], [3]]);
    expect(await rows('SELECT a FROM t2 ORDER BY a')).toEqual([[1], [3]]);
  });

  it(req(['MERGE-011'], 'wire', 'DROP TABLE total removes total.MRG and leaves t1 and t2 with their rows'), async () => {
    await c.query('DROP TABLE total');
    expect(existsSync(join(srv.datadir, 'mrg', 'total.MRG'))).toBe(false);
    expect(await rows('SELECT (SELECT COUNT(*) FROM t1), (SELECT COUNT(*) FROM t2)')).toEqual([[3, 3]]);
  });

  it(req(['MERGE-016', 'MERGE-017'], 'wire', 'ALTER TABLE ... UNION= remaps without touching the rows; UNION=() leaves an empty, read-only table; LIKE copies it'), async () => {
    await c.query('ALTER TABLE total UNION=(t2)');
    expect(await rows('SELECT message FROM total ORDER BY message')).toEqual([['t2'], ['table'], ['Testing']]);
    expect(readFileSync(join(srv.datadir, 'mrg', 'total.MRG'), 'utf8')).toBe('t2\n#INSERT_METHOD=LAST\n');
    expect(await rows('SELECT COUNT(*) FROM t2')).toEqual([[3]]);
    await c.query('ALTER TABLE total UNION=()');
    expect(await rows('SELECT * FROM total')).toEqual([]);
    expect((await err(c.query("INSERT INTO total VALUES (5, 'x')"))).errno).toBe(1036);
    await c.query('CREATE TABLE total_like LIKE total');
    expect(await rows('SELECT * FROM total_like')).toEqual([]);
    await c.query('DROP TABLE total_like');
  });

  it(req(['MERGE-081'], 'wire', 'ALTER TABLE total ENGINE=InnoDB copies the six rows and drops the mapping'), async () => {
    await c.query('ALTER TABLE total ENGINE=InnoDB');
    expect(await rows('SELECT COUNT(*) FROM total')).toEqual([[6]]);
    await c.query("INSERT INTO t1 (message) VALUES ('later')");
    expect(await rows('SELECT COUNT(*) FROM total')).toEqual([[6]]);
    expect(existsSync(join(srv.datadir, 'mrg', 'total.MRG'))).toBe(false);
  });

  it(req(['MERGE-007'], 'wire', 'children in another schema: UNION=(db2.t1, t2), written ./db2/t1 in the .MRG'), async () => {
    await c.query('CREATE DATABASE IF NOT EXISTS db2');
    await c.query('DROP TABLE IF EXISTS db2.t1');
    await c.query('CREATE TABLE db2.t1 (a INT NOT NULL AUTO_INCREMENT PRIMARY KEY, message CHAR(20)) ENGINE=MyISAM');
    await c.query("INSERT INTO db2.t1 (message) VALUES ('other')");
    await c.query('CREATE TABLE x (a INT NOT NULL AUTO_INCREMENT, message CHAR(20), INDEX(a)) ENGINE=MERGE UNION=(db2.t1, t2)');
    expect(readFileSync(join(srv.datadir, 'mrg', 'x.MRG'), 'utf8')).toBe('./db2/t1\nt2\n');
    expect(await rows('SELECT message FROM x')).toEqual([['other'], ['Testing'], ['table'], ['t2']]);
    const [sc] = await c.query<mysql.RowDataPacket[]>('SHOW CREATE TABLE x');
    expect(String(sc[0]!['Create Table'])).toMatch(/UNION=\(`db2`\.`t1`,`t2`\)$/);
    await c.query('DROP TABLE x');
  });
});

describe('MERGE: conformance at use', () => {
  beforeEach(manualExample);

  it(req(['MERGE-020', 'MERGE-062'], 'wire', 'CREATE over a missing or non-MyISAM child succeeds; the first use fails with 1168'), async () => {
    await c.query('CREATE TABLE m1 (a INT) ENGINE=MERGE UNION=(nosuch)');
    const e = await err(c.query('SELECT * FROM m1'));
    expect([e.errno, e.sqlState, e.message]).toEqual([1168, 'HY000', "Unable to open underlying table which is differently defined or of non-MyISAM type or doesn't exist"]);
    await c.query('CREATE TABLE inno (a INT NOT NULL AUTO_INCREMENT PRIMARY KEY, message CHAR(20)) ENGINE=InnoDB');
    await c.query('CREATE TABLE m2 (a INT NOT NULL AUTO_INCREMENT, message CHAR(20), INDEX(a)) ENGINE=MERGE UNION=(inno)');
    expect((await err(c.query('SELECT * FROM m2'))).errno).toBe(1168);
    await c.query('DROP TABLE m1, m2, inno');
  });

  it(req(['MERGE-021', 'MERGE-022', 'MERGE-088', 'MERGE-004'], 'wire', 'an extra column, a retyped or shortened column, a missing index: 1168; renamed columns and extra child indexes are fine'), async () => {
    const cases: [string, number | null][] = [
      ['(a INT NOT NULL, message CHAR(20), extra INT, PRIMARY KEY(a))', 1168],
      ['(a BIGINT NOT NULL, message CHAR(20), PRIMARY KEY(a))', 1168],
      ['(a INT NOT NULL, message CHAR(10), PRIMARY KEY(a))', 1168],
      ['(a INT NOT NULL, message CHAR(20))', 1168],
      ['(id INT NOT NULL, msg CHAR(20), PRIMARY KEY(id), KEY(msg))', null],
    ];
    for (const [cols, errno] of cases) {
      await c.query('DROP TABLE IF EXISTS c1, mm');
      await c.query(`CREATE TABLE c1 ${cols} ENGINE=MyISAM`);
      await c.query('CREATE TABLE mm (a INT NOT NULL, message CHAR(20), INDEX(a)) ENGINE=MERGE UNION=(c1)');
      if (errno === null) expect(await rows('SELECT * FROM mm')).toEqual([]);
      else expect((await err(c.query('SELECT * FROM mm'))).errno).toBe(errno);
    }
    // ALTER of the MERGE table checks the children against its new definition (1168).
    expect((await err(c.query('ALTER TABLE mm ADD COLUMN extra INT'))).errno).toBe(1168);
    // A child altered after the MERGE table was created is checked again at the next use.
    await c.query('ALTER TABLE c1 MODIFY msg CHAR(30)');
    expect((await err(c.query('SELECT * FROM mm'))).errno).toBe(1168);
    await c.query('DROP TABLE c1, mm');
  });

  it(req(['MERGE-024'], 'wire', 'CHECK TABLE names the child that is missing, then OK once it is back'), async () => {
    await c.query('DROP TABLE t2');
    expect(await rows('CHECK TABLE total')).toEqual([
      ['mrg.total', 'check', 'Error', "Table 'mrg.t2' is differently defined or of non-MyISAM type or doesn't exist"],
      ['mrg.total', 'check', 'Error', "Unable to open underlying table which is differently defined or of non-MyISAM type or doesn't exist"],
      ['mrg.total', 'check', 'error', 'Corrupt'],
    ]);
    await c.query('CREATE TABLE t2 (a INT NOT NULL AUTO_INCREMENT PRIMARY KEY, message CHAR(20)) ENGINE=MyISAM');
    expect(await rows('CHECK TABLE total')).toEqual([['mrg.total', 'check', 'status', 'OK']]);
  });

  it(req(['MERGE-064'], 'wire', 'a temporary MERGE table may mix temporary and base children; a base MERGE table does not see temporary ones (1168)'), async () => {
    await c.query('CREATE TEMPORARY TABLE tt (a INT NOT NULL AUTO_INCREMENT PRIMARY KEY, message CHAR(20)) ENGINE=MyISAM');
    await c.query("INSERT INTO tt (message) VALUES ('temp')");
    await c.query('CREATE TEMPORARY TABLE tm (a INT NOT NULL AUTO_INCREMENT, message CHAR(20), INDEX(a)) ENGINE=MERGE UNION=(tt,t1) INSERT_METHOD=FIRST');
    expect(await rows('SELECT message FROM tm ORDER BY message')).toEqual([['t1'], ['table'], ['temp'], ['Testing']]);
    await c.query("INSERT INTO tm (message) VALUES ('more')");
    expect(await rows('SELECT a, message FROM tt ORDER BY a')).toEqual([[1, 'temp'], [4, 'more']]);
    await c.query('CREATE TABLE bm (a INT NOT NULL AUTO_INCREMENT, message CHAR(20), INDEX(a)) ENGINE=MERGE UNION=(tt)');
    expect((await err(c.query('SELECT * FROM bm'))).errno).toBe(1168);
    await c.query('DROP TABLE bm');
    await c.query('DROP TEMPORARY TABLE tm, tt');
  });

  it(req(['MERGE-063', 'MERGE-085', 'MERGE-094'], 'wire', 'FULLTEXT (1214), PARTITION BY (1178) and CREATE ... SELECT (1347) are refused'), async () => {
    expect((await err(c.query('CREATE TABLE f (a INT, b TEXT, FULLTEXT(b)) ENGINE=MERGE UNION=(t1)'))).errno).toBe(1214);
    expect((await err(c.query('CREATE TABLE p (a INT) ENGINE=MERGE UNION=(t1) PARTITION BY HASH(a) PARTITIONS 2'))).errno).toBe(1178);
    const e = await err(c.query('CREATE TABLE s (a INT NOT NULL, message CHAR(20)) ENGINE=MERGE UNION=(t1) SELECT * FROM t1'));
    expect([e.errno, e.message]).toEqual([1347, "'mrg.s' is not BASE TABLE"]);
  });

  it(req(['MERGE-082'], 'wire', "the target child's AUTO_INCREMENT option counts only after a row was inserted into it directly"), async () => {
    await c.query('DROP TABLE total, t1, t2');
    await c.query('CREATE TABLE t1 (a INT NOT NULL AUTO_INCREMENT PRIMARY KEY, message CHAR(20)) ENGINE=MyISAM');
    await c.query('CREATE TABLE t2 (a INT NOT NULL AUTO_INCREMENT PRIMARY KEY, message CHAR(20)) ENGINE=MyISAM AUTO_INCREMENT=1000');
    await c.query("INSERT INTO t1 (message) VALUES ('a')");
    await c.query('CREATE TABLE total (a INT NOT NULL AUTO_INCREMENT, message CHAR(20), INDEX(a)) ENGINE=MERGE UNION=(t1,t2) INSERT_METHOD=LAST');
    const [r1] = await c.query<mysql.ResultSetHeader>("INSERT INTO total (message) VALUES ('via m')");
    expect(r1.insertId).toBe(2);
    await c.query("INSERT INTO t2 (message) VALUES ('direct')");
    expect(await rows("SELECT a FROM t2 WHERE message = 'direct'")).toEqual([[1000]]);
    const [r2] = await c.query<mysql.ResultSetHeader>("INSERT INTO total (message) VALUES ('via m again')");
    expect(r2.insertId).toBe(1001);
  });

  it(req(['MERGE-013', 'MYISAM-018'], 'wire', 'an AUTO_INCREMENT column that is the second part of a key numbers per group over all children'), async () => {
    await c.query('DROP TABLE IF EXISTS gm, g1, g2');
    for (const t of ['g1', 'g2']) await c.query(`CREATE TABLE ${t} (grp INT NOT NULL, id INT NOT NULL AUTO_INCREMENT, PRIMARY KEY (grp, id)) ENGINE=MyISAM`);
    await c.query('INSERT INTO g1 (grp) VALUES (1), (1), (2)');
    await c.query('CREATE TABLE gm (grp INT NOT NULL, id INT NOT NULL AUTO_INCREMENT, PRIMARY KEY (grp, id)) ENGINE=MERGE UNION=(g1,g2) INSERT_METHOD=LAST');
    await c.query('INSERT INTO gm (grp) VALUES (1), (2), (3), (1)');
    expect(await rows('SELECT grp, id FROM g2 ORDER BY grp, id')).toEqual([[1, 3], [1, 4], [2, 2], [3, 1]]);
    await c.query('DROP TABLE gm, g1, g2');
  });

  it(req(['MERGE-008', 'MERGE-086'], 'wire', 'TRUNCATE TABLE total empties the children, and the MERGE table sees a child truncated directly at once'), async () => {
    // The MERGE table is open (just read); a child truncated on its own shows at once.
    expect(await rows('SELECT COUNT(*) FROM total')).toEqual([[6]]);
    await c.query('TRUNCATE TABLE t1');
    expect(await rows('SELECT message FROM total ORDER BY message')).toEqual([['t2'], ['table'], ['Testing']]);
    await c.query('TRUNCATE TABLE total');
    expect(await rows('SELECT (SELECT COUNT(*) FROM t1), (SELECT COUNT(*) FROM t2), (SELECT COUNT(*) FROM total)')).toEqual([[0, 0, 0]]);
  });
});

describe('MERGE: privileges and concurrency', () => {
  beforeEach(manualExample);

  it(req(['MERGE-009', 'MERGE-010'], 'wire', 'mapping needs SELECT, UPDATE and DELETE on each child; after a REVOKE the MERGE table still reads the child'), async () => {
    await c.query("DROP USER IF EXISTS 'mu'@'%'");
    await c.query("CREATE USER 'mu'@'%'");
    await c.query("GRANT CREATE, DROP ON mrg.* TO 'mu'@'%'");
    await c.query("GRANT SELECT, UPDATE ON mrg.t1 TO 'mu'@'%'");
    const u = await srv.connect({ user: 'mu', database: 'mrg' });
    try {
      const e = await err(u.query('CREATE TABLE total2 (a INT NOT NULL, message CHAR(20), INDEX(a)) ENGINE=MERGE UNION=(t1)'));
      expect(e.errno).toBe(1142);
      await c.query("GRANT DELETE ON mrg.t1 TO 'mu'@'%'");
      await u.query('CREATE TABLE total2 (a INT NOT NULL, message CHAR(20), INDEX(a)) ENGINE=MERGE UNION=(t1)');
      await c.query("GRANT SELECT ON mrg.total2 TO 'mu'@'%'");
      await c.query("REVOKE SELECT, UPDATE, DELETE ON mrg.t1 FROM 'mu'@'%'");
      expect((await err(u.query('SELECT * FROM t1'))).errno).toBe(1142);
      // The documented hazard: the MERGE table still reaches t1.
      const [r] = await u.query<mysql.RowDataPacket[]>('SELECT COUNT(*) AS n FROM total2');
      expect(Number(r[0]!['n'])).toBe(3);
    } finally {
      await u.end();
      await c.query('DROP TABLE IF EXISTS total2');
      await c.query("DROP USER 'mu'@'%'");
    }
  });

  it(req(['MERGE-008'], 'wire', 'LOCK TABLES total WRITE locks the children too: the session writes them directly, another session waits until UNLOCK TABLES'), async () => {
    await c.query('LOCK TABLES total WRITE');
    const other = await srv.connect({ database: 'mrg' });
    try {
      await c.query("INSERT INTO t1 (message) VALUES ('locked')");
      await c.query("INSERT INTO total (message) VALUES ('via m')");
      let done = false;
      const waiting = other.query('SELECT COUNT(*) AS n FROM t2').then(([r]) => {
        done = true;
        return Number((r as mysql.RowDataPacket[])[0]!['n']);
      });
      await new Promise((r) => setTimeout(r, 300));
      expect(done).toBe(false);
      await c.query('UNLOCK TABLES');
      expect(await waiting).toBe(4);
      expect(await rows("SELECT COUNT(*) FROM t1 WHERE message = 'locked'")).toEqual([[1]]);
    } finally {
      await c.query('UNLOCK TABLES');
      await other.end();
    }
    await c.query('DROP TABLE t2');
    expect((await err(c.query('LOCK TABLES total READ'))).errno).toBe(1168);
  });

  it(req(['MERGE-008'], 'wire', 'writers through the MERGE table and straight into a child, interleaved from four connections, lose nothing'), async () => {
    const conns = await Promise.all([0, 1, 2, 3].map(() => srv.connect({ database: 'mrg' })));
    try {
      await Promise.all(
        conns.map(async (k, i) => {
          for (let n = 0; n < 25; n++) {
            if (i % 2 === 0) await k.query("INSERT INTO total (message) VALUES ('m')");
            else await k.query(`INSERT INTO ${i === 1 ? 't1' : 't2'} (message) VALUES ('d')`);
          }
        }),
      );
    } finally {
      await Promise.all(conns.map((k) => k.end()));
    }
    expect(await rows("SELECT message, COUNT(*) FROM total GROUP BY message ORDER BY message")).toEqual([
      ['d', 50],
      ['m', 50],
      ['t1', 1],
      ['t2', 1],
      ['table', 2],
      ['Testing', 2],
    ]);
    // Every value of the MERGE table's AUTO_INCREMENT went to t2 and none was handed out twice.
    expect(await rows("SELECT COUNT(DISTINCT a) FROM t2 WHERE message = 'm'")).toEqual([[50]]);
  });
});
