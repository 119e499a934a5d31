/**
 * Stored routines and accounts (CREATE ROUTINE, EXECUTE, ALTER ROUTINE, automatic grants,
 * GRANT EXECUTE ON PROCEDURE, SQL SECURITY DEFINER / INVOKER), and the definitions surviving a
 * server restart (data dictionary).
 */
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type mysql from 'mysql2/promise';
import { req } from '../helpers/req.js';
import { initializedDatadir, startTestServer, type TestServer } from '../helpers/server.js';
import { queryError } from '../helpers/sql.js';

type Rows = mysql.RowDataPacket[];

async function rows(conn: mysql.Connection, sql: string): Promise<Rows> {
  const [r] = await conn.query<Rows>(sql);
  return r;
}

describe('privileges', () => {
  let srv: TestServer;
  let root: mysql.Connection;

  beforeAll(async () => {
    srv = await startTestServer();
    root = await srv.connect();
    await root.query('CREATE DATABASE sec');
    await root.query('CREATE TABLE sec.secret (v INT)');
    await root.query('INSERT INTO sec.secret VALUES (41)');
    await root.query("CREATE USER 'dev'@'%', 'app'@'%'");
    await root.query("GRANT CREATE ROUTINE, SELECT ON sec.* TO 'dev'@'%'");
  });

  afterAll(async () => {
    await root?.end();
    await srv?.stop();
  });

  it(req(['CORE-SP-050', 'CORE-SP-052'], 'wire', 'CREATE ROUTINE is needed to create; the creator gets EXECUTE and ALTER ROUTINE on it; others need EXECUTE (1370)'), async () => {
    const app = await srv.connect({ user: 'app' });
    const dev = await srv.connect({ user: 'dev', database: 'sec' });
    try {
      expect(await queryError(app, 'CREATE PROCEDURE sec.app_p() SET @a = 1')).toEqual({ errno: 1044, message: "Access denied for user 'app'@'%' to database 'sec'" });
      await dev.query('CREATE PROCEDURE dev_p() SELECT 1 AS one');
      const g = await rows(root, "SHOW GRANTS FOR 'dev'@'%'");
      expect(g.map((r) => Object.values(r)[0])).toContain("GRANT EXECUTE, ALTER ROUTINE ON PROCEDURE `sec`.`dev_p` TO `dev`@`%`");
      const [res] = await dev.query<mysql.RowDataPacket[][]>('CALL dev_p()');
      expect(res[0]).toEqual([{ one: 1 }]);
      expect(await queryError(app, 'CALL sec.dev_p()')).toEqual({ errno: 1370, message: "execute command denied to user 'app'@'localhost' for routine 'sec.dev_p'" });
      expect(await queryError(app, 'DROP PROCEDURE sec.dev_p')).toEqual({ errno: 1370, message: "alter routine command denied to user 'app'@'localhost' for routine 'sec.dev_p'" });
      await dev.query("ALTER PROCEDURE dev_p COMMENT 'mine'");
      await dev.query('DROP PROCEDURE dev_p');
      // The automatic grant goes with the routine.
      const g2 = await rows(root, "SHOW GRANTS FOR 'dev'@'%'");
      expect(g2.map((r) => String(Object.values(r)[0])).some((s) => s.includes('dev_p'))).toBe(false);
    } finally {
      await app.end();
      await dev.end();
    }
  });

  it(req(['CORE-SP-053'], 'wire', 'GRANT EXECUTE ON PROCEDURE / FUNCTION db.name lets another account call it'), async () => {
    await root.query('CREATE PROCEDURE sec.pub_p(OUT x INT) SET x = 5');
    await root.query('CREATE FUNCTION sec.pub_f() RETURNS INT RETURN 6');
    const app = await srv.connect({ user: 'app' });
    try {
      expect((await queryError(app, 'CALL sec.pub_p(@x)')).errno).toBe(1370);
      expect(await queryError(app, 'SELECT sec.pub_f()')).toEqual({ errno: 1370, message: "execute command denied to user 'app'@'localhost' for routine 'sec.pub_f'" });
      await root.query("GRANT EXECUTE ON PROCEDURE sec.pub_p TO 'app'@'%'");
      await root.query("GRANT EXECUTE ON FUNCTION sec.pub_f TO 'app'@'%'");
      await app.query('CALL sec.pub_p(@x)');
      expect(await rows(app, 'SELECT @x AS x, sec.pub_f() AS f')).toEqual([{ x: 5, f: 6 }]);
      const r = await rows(root, "SELECT Db, Routine_name, Routine_type, Proc_priv FROM mysql.procs_priv WHERE User = 'app' ORDER BY Routine_name");
      expect(r).toEqual([
        { Db: 'sec', Routine_name: 'pub_f', Routine_type: 'FUNCTION', Proc_priv: 'Execute' },
        { Db: 'sec', Routine_name: 'pub_p', Routine_type: 'PROCEDURE', Proc_priv: 'Execute' },
      ]);
    } finally {
      await app.end();
    }
  });

  it(req(['CORE-SP-051'], 'wire', "SQL SECURITY DEFINER runs with the definer's privileges and CURRENT_USER(); INVOKER with the caller's"), async () => {
    await root.query("CREATE DEFINER='root'@'localhost' PROCEDURE sec.peek_def(OUT v INT, OUT who VARCHAR(100), OUT me VARCHAR(100)) SQL SECURITY DEFINER BEGIN SELECT secret.v INTO v FROM secret; SET who = CURRENT_USER(), me = USER(); END");
    await root.query("CREATE PROCEDURE sec.peek_inv(OUT v INT) SQL SECURITY INVOKER SELECT secret.v INTO v FROM secret");
    await root.query("GRANT EXECUTE ON sec.* TO 'app'@'%'");
    const app = await srv.connect({ user: 'app', database: 'sec' });
    try {
      expect((await queryError(app, 'SELECT v FROM secret')).errno).toBe(1142);
      await app.query('CALL peek_def(@v, @who, @me)');
      const r = (await rows(app, 'SELECT @v AS v, @who AS who, @me AS me'))[0]!;
      expect([r['v'], r['who']]).toEqual([41, 'root@localhost']);
      expect(String(r['me'])).toMatch(/^app@/);
      expect(await queryError(app, 'CALL peek_inv(@v)')).toEqual({ errno: 1142, message: "SELECT command denied to user 'app'@'localhost' for table 'secret'" });
      // After the CALL the caller's identity is back.
      expect((await rows(app, 'SELECT CURRENT_USER() AS u'))[0]!['u']).toBe('app@%');
    } finally {
      await app.end();
    }
  });
});

describe('persistence', () => {
  it(req(['CORE-SP-004'], 'wire', 'a data directory from before stored routines (no mysql.routines) gets the table at startup and keeps routines'), async () => {
    const dir = await initializedDatadir();
    try {
      rmSync(join(dir.datadir, 'mysql', 'routines.ibd'));
      let srv = await startTestServer({ datadir: dir.datadir });
      let c = await srv.connect();
      await c.query('CREATE DATABASE old');
      await c.query('CREATE PROCEDURE old.p(OUT x INT) SET x = 11');
      await c.end();
      await srv.stop();
      expect(existsSync(join(dir.datadir, 'mysql', 'routines.ibd'))).toBe(true);
      srv = await startTestServer({ datadir: dir.datadir });
      c = await srv.connect();
      try {
        await c.query('CALL old.p(@x)');
        expect(await rows(c, 'SELECT @x AS x')).toEqual([{ x: 11 }]);
        // Out of reach of SQL, as MySQL's dictionary tables are (3554).
        expect((await queryError(c, 'SELECT * FROM mysql.routines')).errno).toBe(3554);
      } finally {
        await c.end();
        await srv.stop();
      }
    } finally {
      rmSync(dir.parent, { recursive: true, force: true });
    }
  });

  it(req(['CORE-SP-004'], 'wire', 'routines are kept in the data dictionary: a restart keeps body, sql_mode and characteristics'), async () => {
    const dir = await initializedDatadir();
    try {
      let srv = await startTestServer({ datadir: dir.datadir });
      let c = await srv.connect();
      await c.query('CREATE DATABASE keep');
      await c.query("SET SESSION sql_mode = 'ANSI_QUOTES,PIPES_AS_CONCAT'");
      await c.query('CREATE PROCEDURE keep.p(IN a VARCHAR(10), OUT b VARCHAR(30)) COMMENT \'kept\' BEGIN\n  SET b = \'<\' || a || \'>\';\nEND');
      await c.query("SET SESSION sql_mode = DEFAULT");
      await c.query('CREATE FUNCTION keep.f(x INT) RETURNS INT DETERMINISTIC RETURN x * 7');
      const before = await rows(c, 'SHOW CREATE PROCEDURE keep.p');
      await c.end();
      await srv.stop();
      srv = await startTestServer({ datadir: dir.datadir });
      c = await srv.connect();
      try {
        const after = await rows(c, 'SHOW CREATE PROCEDURE keep.p');
        expect(after).toEqual(before);
        expect(after[0]!['sql_mode']).toBe('PIPES_AS_CONCAT,ANSI_QUOTES');
        // The body runs under the sql_mode it was created with (|| concatenates).
        await c.query("CALL keep.p('x', @b)");
        expect(await rows(c, 'SELECT @b AS b, keep.f(6) AS f')).toEqual([{ b: '<x>', f: 42 }]);
        const st = await rows(c, "SHOW PROCEDURE STATUS WHERE Db = 'keep'");
        expect(st.map((r) => [r['Name'], r['Comment']])).toEqual([['p', 'kept']]);
      } finally {
        await c.end();
        await srv.stop();
      }
    } finally {
      rmSync(dir.parent, { recursive: true, force: true });
    }
  });
});
