/**
 * Triggers over the wire (mysql2): CREATE / DROP TRIGGER with MySQL's checks and errors, NEW and
 * OLD in bodies, firing from every statement that writes rows (through the table writer), action
 * order, SHOW TRIGGERS / SHOW CREATE TRIGGER / information_schema.TRIGGERS, privileges, and a
 * restart.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type mysql from 'mysql2/promise';
import { req } from '../helpers/req.js';
import { initializedDatadir, startTestServer, type TestServer } from '../helpers/server.js';
import { queryError, queryRows } from '../helpers/sql.js';

let srv: TestServer;
let c: mysql.Connection;

type Rows = mysql.RowDataPacket[];

const rows = queryRows;

async function values(conn: mysql.Connection, sql: string): Promise<unknown[][]> {
  const [r] = await conn.query<mysql.RowDataPacket[]>({ sql, rowsAsArray: true });
  return (r as unknown as unknown[][]).map((x) => x.map((v) => (typeof v === 'number' || typeof v === 'bigint' ? Number(v) : v)));
}

async function warnings(conn: mysql.Connection): Promise<[string, number, string][]> {
  return (await rows(conn, 'SHOW WARNINGS')).map((w) => [w['Level'] as string, Number(w['Code']), w['Message'] as string]);
}

beforeAll(async () => {
  srv = await startTestServer();
  c = await srv.connect({ multipleStatements: true, dateStrings: true });
  await c.query('CREATE DATABASE tg');
  await c.query('USE tg');
});

afterAll(async () => {
  await c?.end();
  await srv?.stop();
});

describe('CREATE and DROP TRIGGER', () => {
  it(req(['CORE-TRG-001#create', 'CORE-TRG-002#set-new', 'CORE-TRG-004#insert'], 'wire', 'a BEFORE INSERT trigger changes NEW before the row is written, an AFTER INSERT one sees the written row'), async () => {
    await c.query('CREATE TABLE t1 (a INT, b VARCHAR(10))');
    await c.query('CREATE TABLE log1 (msg VARCHAR(100))');
    await c.query("CREATE TRIGGER t1_bi BEFORE INSERT ON t1 FOR EACH ROW SET NEW.b = CONCAT('x', NEW.a)");
    await c.query("CREATE TRIGGER t1_ai AFTER INSERT ON t1 FOR EACH ROW INSERT INTO log1 VALUES (CONCAT('ai ', NEW.a, ' ', NEW.b))");
    await c.query('INSERT INTO t1 (a) VALUES (1), (2)');
    expect(await values(c, 'SELECT a, b FROM t1 ORDER BY a')).toEqual([[1, 'x1'], [2, 'x2']]);
    expect(await values(c, 'SELECT msg FROM log1')).toEqual([['ai 1 x1'], ['ai 2 x2']]);
  });

  it(req(['CORE-TRG-001#drop', 'CORE-TRG-001#if-exists', 'CORE-TRG-003#unique'], 'wire', 'names are unique per schema (1359, a note with IF NOT EXISTS); DROP of an unknown trigger is 1360 (a note with IF EXISTS)'), async () => {
    await c.query('CREATE TABLE u1 (a INT)');
    await c.query('CREATE TABLE u2 (a INT)');
    await c.query('CREATE TRIGGER u_bi BEFORE INSERT ON u1 FOR EACH ROW SET NEW.a = NEW.a + 1');
    expect(await queryError(c, 'CREATE TRIGGER u_bi BEFORE INSERT ON u2 FOR EACH ROW SET NEW.a = 1')).toEqual({ errno: 1359, message: 'Trigger already exists' });
    await c.query('CREATE TRIGGER IF NOT EXISTS u_bi BEFORE INSERT ON u2 FOR EACH ROW SET NEW.a = 1');
    expect(await warnings(c)).toEqual([['Note', 1359, 'Trigger already exists']]);
    await c.query('DROP TRIGGER u_bi');
    expect(await queryError(c, 'DROP TRIGGER u_bi')).toEqual({ errno: 1360, message: 'Trigger does not exist' });
    await c.query('DROP TRIGGER IF EXISTS tg.u_bi');
    expect(await warnings(c)).toEqual([['Note', 1360, 'Trigger does not exist']]);
    await c.query('INSERT INTO u1 VALUES (5)');
    expect(await values(c, 'SELECT a FROM u1')).toEqual([[5]]);
  });

  it(req(['CORE-TRG-003#view-temp', 'CORE-TRG-003#system', 'CORE-TRG-003#wrong-schema', 'CORE-TRG-003#no-table'], 'wire', 'triggers on views and temporary tables are 1361, on system tables 1465, in another schema than the table 1435, on a missing table 1146'), async () => {
    await c.query('CREATE TABLE base1 (a INT)');
    await c.query('CREATE VIEW v1 AS SELECT a FROM base1');
    await c.query('CREATE TEMPORARY TABLE tmp1 (a INT)');
    expect(await queryError(c, 'CREATE TRIGGER v_bi BEFORE INSERT ON v1 FOR EACH ROW SET @x = 1')).toEqual({ errno: 1361, message: "Trigger's 'v1' is view or temporary table" });
    expect(await queryError(c, 'CREATE TRIGGER tmp_bi BEFORE INSERT ON tmp1 FOR EACH ROW SET @x = 1')).toEqual({ errno: 1361, message: "Trigger's 'tmp1' is view or temporary table" });
    expect(await queryError(c, 'CREATE TRIGGER m_bi BEFORE INSERT ON mysql.user FOR EACH ROW SET @x = 1')).toEqual({ errno: 1465, message: 'Triggers can not be created on system tables' });
    await c.query('CREATE DATABASE tg2');
    expect(await queryError(c, 'CREATE TRIGGER tg2.w_bi BEFORE INSERT ON tg.base1 FOR EACH ROW SET @x = 1')).toEqual({ errno: 1435, message: 'Trigger in wrong schema' });
    expect(await queryError(c, 'CREATE TRIGGER n_bi BEFORE INSERT ON nosuch FOR EACH ROW SET @x = 1')).toEqual({ errno: 1146, message: "Table 'tg.nosuch' doesn't exist" });
  });

  it(req(['CORE-TRG-002#old-readonly', 'CORE-TRG-002#new-after', 'CORE-TRG-002#no-row', 'CORE-TRG-002#unknown-column', 'CORE-TRG-006#no-result-set'], 'wire', 'OLD is read-only and NEW read-only after (1362), OLD on INSERT / NEW on DELETE is 1363, an unknown column 1054, a result set 1415'), async () => {
    await c.query('CREATE TABLE r1 (a INT)');
    expect(await queryError(c, 'CREATE TRIGGER r_bu BEFORE UPDATE ON r1 FOR EACH ROW SET OLD.a = 1')).toEqual({ errno: 1362, message: 'Updating of OLD row is not allowed in trigger' });
    expect(await queryError(c, 'CREATE TRIGGER r_au AFTER UPDATE ON r1 FOR EACH ROW SET NEW.a = 1')).toEqual({ errno: 1362, message: 'Updating of NEW row is not allowed in after trigger' });
    expect(await queryError(c, 'CREATE TRIGGER r_bi BEFORE INSERT ON r1 FOR EACH ROW SET @x = OLD.a')).toEqual({ errno: 1363, message: 'There is no OLD row in on INSERT trigger' });
    expect(await queryError(c, 'CREATE TRIGGER r_bd BEFORE DELETE ON r1 FOR EACH ROW SET @x = NEW.a')).toEqual({ errno: 1363, message: 'There is no NEW row in on DELETE trigger' });
    expect(await queryError(c, 'CREATE TRIGGER r_bi BEFORE INSERT ON r1 FOR EACH ROW SET NEW.nope = 1')).toEqual({ errno: 1054, message: "Unknown column 'nope' in 'NEW'" });
    expect(await queryError(c, 'CREATE TRIGGER r_bi BEFORE INSERT ON r1 FOR EACH ROW SELECT 1')).toEqual({ errno: 1415, message: 'Not allowed to return a result set from a trigger' });
    expect(await values(c, "SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE EVENT_OBJECT_TABLE = 'r1'")).toEqual([[0]]);
  });

  it(req(['CORE-TRG-002#compound', 'CORE-TRG-002#convert'], 'wire', 'a compound body with DECLAREd variables, IF and a loop; SET NEW.col converts to the column type'), async () => {
    await c.query('CREATE TABLE k1 (a INT, d DECIMAL(5,1), s VARCHAR(20))');
    await c.query(`CREATE TRIGGER k_bi BEFORE INSERT ON k1 FOR EACH ROW
      BEGIN
        DECLARE i INT DEFAULT 0;
        DECLARE acc VARCHAR(20) DEFAULT '';
        WHILE i < NEW.a DO
          SET acc = CONCAT(acc, '*');
          SET i = i + 1;
        END WHILE;
        IF NEW.a > 2 THEN SET NEW.s = CONCAT('big', acc); ELSE SET NEW.s = acc; END IF;
        SET NEW.d = NEW.a / 3, NEW.a = 7.6;
      END`);
    await c.query('INSERT INTO k1 (a) VALUES (2), (3)');
    expect(await values(c, 'SELECT a, d, s FROM k1 ORDER BY s')).toEqual([[8, '0.7', '**'], [8, '1.0', 'big***']]);
  });
});

describe('firing from every statement that writes rows', () => {
  it(req(['CORE-TRG-004#update', 'CORE-TRG-004#delete', 'CORE-TRG-002#old-new'], 'wire', 'UPDATE (single and multi-table) fires the UPDATE triggers with OLD and NEW; DELETE the DELETE triggers with OLD'), async () => {
    await c.query('CREATE TABLE w1 (id INT PRIMARY KEY, v VARCHAR(10))');
    await c.query('CREATE TABLE w2 (id INT PRIMARY KEY, v VARCHAR(10))');
    await c.query('CREATE TABLE wlog (seq INT AUTO_INCREMENT PRIMARY KEY, msg VARCHAR(100))');
    await c.query('CREATE TRIGGER w1_bu BEFORE UPDATE ON w1 FOR EACH ROW SET NEW.v = UPPER(NEW.v)');
    await c.query("CREATE TRIGGER w1_au AFTER UPDATE ON w1 FOR EACH ROW INSERT INTO wlog (msg) VALUES (CONCAT('au ', OLD.v, '>', NEW.v))");
    await c.query("CREATE TRIGGER w1_bd BEFORE DELETE ON w1 FOR EACH ROW INSERT INTO wlog (msg) VALUES (CONCAT('bd ', OLD.id))");
    await c.query("CREATE TRIGGER w1_ad AFTER DELETE ON w1 FOR EACH ROW INSERT INTO wlog (msg) VALUES (CONCAT('ad ', OLD.id))");
    await c.query("INSERT INTO w1 VALUES (1, 'a'), (2, 'b'), (3, 'c')");
    await c.query("INSERT INTO w2 VALUES (2, 'z')");
    await c.query("UPDATE w1 SET v = 'q' WHERE id = 1");
    await c.query('UPDATE w1 JOIN w2 USING (id) SET w1.v = w2.v');
    await c.query('DELETE FROM w1 WHERE id = 3');
    expect(await values(c, 'SELECT id, v FROM w1 ORDER BY id')).toEqual([[1, 'Q'], [2, 'Z']]);
    expect(await values(c, 'SELECT msg FROM wlog ORDER BY seq')).toEqual([['au a>Q'], ['au b>Z'], ['bd 3'], ['ad 3']]);
  });

  it(req(['CORE-TRG-004#insert-select', 'CORE-TRG-004#replace', 'CORE-TRG-004#on-duplicate'], 'wire', 'INSERT ... SELECT fires per row; REPLACE fires the DELETE triggers for a replaced row; ON DUPLICATE KEY UPDATE fires BEFORE INSERT then the UPDATE triggers'), async () => {
    await c.query('CREATE TABLE x1 (id INT PRIMARY KEY, n INT)');
    await c.query('CREATE TABLE xlog (seq INT AUTO_INCREMENT PRIMARY KEY, msg VARCHAR(100))');
    for (const [timing, event, row] of [['BEFORE', 'INSERT', 'NEW'], ['AFTER', 'INSERT', 'NEW'], ['BEFORE', 'UPDATE', 'NEW'], ['AFTER', 'UPDATE', 'NEW'], ['BEFORE', 'DELETE', 'OLD'], ['AFTER', 'DELETE', 'OLD']] as const) {
      await c.query(`CREATE TRIGGER x1_${timing[0]}${event[0]} ${timing} ${event} ON x1 FOR EACH ROW INSERT INTO xlog (msg) VALUES (CONCAT('${timing[0]}${event[0]} ', ${row}.id, ':', ${row}.n))`);
    }
    await c.query('INSERT INTO x1 SELECT seq, seq * 10 FROM (SELECT 1 AS seq UNION ALL SELECT 2) d');
    expect(await values(c, 'SELECT msg FROM xlog ORDER BY seq')).toEqual([['BI 1:10'], ['AI 1:10'], ['BI 2:20'], ['AI 2:20']]);
    await c.query('DELETE FROM xlog');
    await c.query('REPLACE INTO x1 VALUES (1, 11)');
    expect(await values(c, 'SELECT msg FROM xlog ORDER BY seq')).toEqual([['BI 1:11'], ['BD 1:10'], ['AD 1:10'], ['AI 1:11']]);
    await c.query('DELETE FROM xlog');
    await c.query('INSERT INTO x1 VALUES (2, 5) ON DUPLICATE KEY UPDATE n = n + 1');
    expect(await values(c, 'SELECT msg FROM xlog ORDER BY seq')).toEqual([['BI 2:5'], ['BU 2:21'], ['AU 2:21']]);
    expect(await values(c, 'SELECT id, n FROM x1 ORDER BY id')).toEqual([[1, 11], [2, 21]]);
  });

  it(req(['CORE-TRG-004#load-data'], 'wire', 'LOAD DATA fires the INSERT triggers for every row'), async () => {
    const { writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const [p] = await values(c, 'SELECT @@secure_file_priv');
    const file = join(String(p![0]), 'trg-load.txt');
    writeFileSync(file, '1\tone\n2\ttwo\n');
    await c.query('CREATE TABLE ld (a INT, b VARCHAR(10))');
    await c.query("CREATE TRIGGER ld_bi BEFORE INSERT ON ld FOR EACH ROW SET NEW.b = CONCAT(NEW.b, '!')");
    await c.query(`LOAD DATA INFILE '${file}' INTO TABLE ld`);
    expect(await values(c, 'SELECT a, b FROM ld ORDER BY a')).toEqual([[1, 'one!'], [2, 'two!']]);
  });

  it(req(['CORE-TRG-004#not-truncate', 'CORE-TRG-004#not-alter-copy'], 'wire', 'TRUNCATE and the ALTER TABLE copy fire no triggers; the triggers stay with the table'), async () => {
    await c.query('CREATE TABLE nt (a INT) ENGINE=InnoDB');
    await c.query('CREATE TABLE ntlog (msg VARCHAR(20))');
    await c.query("CREATE TRIGGER nt_ai AFTER INSERT ON nt FOR EACH ROW INSERT INTO ntlog VALUES ('ins')");
    await c.query("CREATE TRIGGER nt_ad AFTER DELETE ON nt FOR EACH ROW INSERT INTO ntlog VALUES ('del')");
    await c.query('INSERT INTO nt VALUES (1), (2)');
    await c.query('ALTER TABLE nt ADD COLUMN b INT, ALGORITHM=COPY');
    await c.query('ALTER TABLE nt ENGINE=MyISAM');
    await c.query('TRUNCATE TABLE nt');
    expect(await values(c, 'SELECT msg FROM ntlog')).toEqual([['ins'], ['ins']]);
    await c.query('INSERT INTO nt (a) VALUES (3)');
    expect(await values(c, 'SELECT COUNT(*) FROM ntlog')).toEqual([[3]]);
  });

  it(req(['CORE-TRG-004#before-check', 'CORE-TRG-004#error-stops'], 'wire', 'BEFORE triggers run before CHECK constraints; an error in a BEFORE trigger rolls an InnoDB statement back whole and leaves earlier MyISAM rows'), async () => {
    await c.query('CREATE TABLE ck (a INT, CHECK (a > 0))');
    await c.query('CREATE TRIGGER ck_bi BEFORE INSERT ON ck FOR EACH ROW SET NEW.a = ABS(NEW.a)');
    await c.query('INSERT INTO ck VALUES (-5)');
    expect(await values(c, 'SELECT a FROM ck')).toEqual([[5]]);
    for (const engine of ['InnoDB', 'MyISAM']) {
      await c.query(`CREATE TABLE e_${engine} (a INT) ENGINE=${engine}`);
      await c.query(`CREATE TRIGGER e_${engine}_bi BEFORE INSERT ON e_${engine} FOR EACH ROW BEGIN IF NEW.a = 3 THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'no threes'; END IF; END`);
      expect(await queryError(c, `INSERT INTO e_${engine} VALUES (1), (2), (3), (4)`)).toEqual({ errno: 1644, message: 'no threes' });
    }
    expect(await values(c, 'SELECT COUNT(*) FROM e_InnoDB')).toEqual([[0]]);
    expect(await values(c, 'SELECT a FROM e_MyISAM ORDER BY a')).toEqual([[1], [2]]);
  });

  it(req(['CORE-TRG-004#warnings'], 'wire', 'the firing statement keeps its warnings, and warnings of the trigger body are added to them'), async () => {
    await c.query('CREATE TABLE wn (a INT, s VARCHAR(3))');
    await c.query("CREATE TRIGGER wn_ai AFTER INSERT ON wn FOR EACH ROW BEGIN SET @wn = NEW.a; SET @wc = CAST('1x' AS SIGNED); END");
    await c.query("SET SESSION sql_mode = ''");
    let w: [string, number, string][];
    try {
      await c.query("INSERT INTO wn VALUES (1, 'abcdef')");
      w = await warnings(c);
    } finally {
      await c.query('SET SESSION sql_mode = DEFAULT');
    }
    expect(w).toEqual([['Warning', 1265, "Data truncated for column 's' at row 1"], ['Warning', 1292, "Truncated incorrect INTEGER value: '1x'"]]);
    expect(await values(c, 'SELECT @wn')).toEqual([[1]]);
  });

  it(req(['CORE-TRG-002#sql-mode'], 'wire', 'a trigger body runs under the sql_mode it was created with, not the session\'s'), async () => {
    await c.query('CREATE TABLE sm (k INT, s VARCHAR(3))');
    await c.query("SET SESSION sql_mode = ''");
    await c.query("CREATE TRIGGER sm_bi BEFORE INSERT ON sm FOR EACH ROW BEGIN IF NEW.k = 1 THEN SET NEW.s = 'lenient'; END IF; END");
    await c.query("SET SESSION sql_mode = 'STRICT_ALL_TABLES'");
    await c.query("CREATE TRIGGER sm_bu BEFORE UPDATE ON sm FOR EACH ROW SET NEW.s = 'strict'");
    try {
      // Strict session, lenient trigger: the value is cut with a warning.
      await c.query('INSERT INTO sm (k) VALUES (1)');
      expect((await warnings(c)).map((x) => x[1])).toEqual([1265]);
      expect(await values(c, 'SELECT s FROM sm')).toEqual([['len']]);
      await c.query("SET SESSION sql_mode = ''");
      // Lenient session, strict trigger: 1406.
      expect(await queryError(c, 'UPDATE sm SET k = 2')).toEqual({ errno: 1406, message: "Data too long for column 's' at row 1" });
      expect(await values(c, 'SELECT @@sql_mode')).toEqual([['']]);
    } finally {
      await c.query('SET SESSION sql_mode = DEFAULT');
    }
  });

  it(req(['CORE-TRG-004#unchanged-row'], 'wire', 'UPDATE and ON DUPLICATE KEY UPDATE fire the UPDATE triggers for a matched row the assignments leave unchanged'), async () => {
    await c.query('CREATE TABLE uc (id INT PRIMARY KEY, n INT)');
    await c.query('CREATE TABLE uc_log (msg VARCHAR(20))');
    await c.query("CREATE TRIGGER uc_bu BEFORE UPDATE ON uc FOR EACH ROW BEGIN IF NEW.id = 1 THEN SET NEW.n = NEW.n + 100; END IF; END");
    await c.query("CREATE TRIGGER uc_au AFTER UPDATE ON uc FOR EACH ROW INSERT INTO uc_log VALUES (CONCAT('au ', NEW.id, ':', NEW.n))");
    await c.query('INSERT INTO uc VALUES (1, 0), (2, 0)');
    const [r] = await c.query<mysql.ResultSetHeader>('UPDATE uc SET n = n');
    expect(r.info).toBe('Rows matched: 2  Changed: 1  Warnings: 0');
    const [d] = await c.query<mysql.ResultSetHeader>('INSERT INTO uc VALUES (2, 5) ON DUPLICATE KEY UPDATE n = n');
    // mysql2 asks for found rows (CLIENT_FOUND_ROWS): an unchanged duplicate counts 1, a changed one 2.
    expect(d.affectedRows).toBe(1);
    expect(await values(c, 'SELECT id, n FROM uc ORDER BY id')).toEqual([[1, 100], [2, 0]]);
    expect(await values(c, 'SELECT msg FROM uc_log')).toEqual([['au 1:100'], ['au 2:0'], ['au 2:0']]);
  });

  it(req(['CORE-TRG-004#lock-tables'], 'wire', 'LOCK TABLES ... WRITE on a table with triggers locks the tables its triggers use, so they run; another session waits for them'), async () => {
    await c.query('CREATE TABLE lk (a INT) ENGINE=MyISAM');
    await c.query('CREATE TABLE lk_log (a INT) ENGINE=MyISAM');
    await c.query('CREATE TRIGGER lk_ai AFTER INSERT ON lk FOR EACH ROW INSERT INTO lk_log VALUES (NEW.a)');
    const other = await srv.connect({ database: 'tg' });
    try {
      await c.query('LOCK TABLES lk WRITE');
      await c.query('INSERT INTO lk VALUES (1)');
      // lk_log is locked for writing by the first session: the second one's insert waits.
      const [[{ id }]] = await other.query<Rows>('SELECT CONNECTION_ID() AS id') as unknown as [[{ id: number }]];
      const waiting = other.query('INSERT INTO lk_log VALUES (2)');
      for (let k = 0; k < 200; k++) {
        const [p] = await c.query<Rows>(`SELECT STATE FROM information_schema.PROCESSLIST WHERE ID = ${Number(id)}`);
        if (String(p[0]?.['STATE'] ?? '').includes('lock')) break;
        await new Promise((res) => setTimeout(res, 20));
      }
      const [p] = await c.query<Rows>(`SELECT STATE FROM information_schema.PROCESSLIST WHERE ID = ${Number(id)}`);
      expect(String(p[0]!['STATE'])).toMatch(/lock/);
      await c.query('UNLOCK TABLES');
      await waiting;
      expect(await values(c, 'SELECT a FROM lk_log ORDER BY a')).toEqual([[1], [2]]);
    } finally {
      await c.query('UNLOCK TABLES');
      await other.end();
    }
  });

  it(req(['CORE-TRG-001#not-prepared', 'CORE-TRG-001#not-in-routine'], 'wire', 'CREATE / DROP TRIGGER cannot be prepared (1295) nor created inside a stored program (1303)'), async () => {
    expect(await queryError(c, "PREPARE ps FROM 'CREATE TRIGGER pz BEFORE INSERT ON u1 FOR EACH ROW SET @a = 1'")).toEqual({ errno: 1295, message: 'This command is not supported in the prepared statement protocol yet' });
    expect(await queryError(c, "PREPARE ps FROM 'DROP TRIGGER pz'")).toEqual({ errno: 1295, message: 'This command is not supported in the prepared statement protocol yet' });
    expect(await queryError(c, 'CREATE PROCEDURE mk() BEGIN CREATE TRIGGER pz BEFORE INSERT ON u1 FOR EACH ROW SET @a = 1; END')).toEqual({ errno: 1303, message: "Can't create a TRIGGER from within another stored routine" });
  });

  it(req(['CORE-TRG-002#generated'], 'wire', 'generated columns are computed from the values a BEFORE trigger gave their base columns'), async () => {
    await c.query('CREATE TABLE gen (a INT, b INT AS (a * 10) STORED, v INT AS (a + 1) VIRTUAL)');
    await c.query('CREATE TRIGGER gen_bi BEFORE INSERT ON gen FOR EACH ROW SET NEW.a = NEW.a + 5');
    await c.query('CREATE TRIGGER gen_bu BEFORE UPDATE ON gen FOR EACH ROW SET NEW.a = NEW.a * 2');
    await c.query('INSERT INTO gen (a) VALUES (1)');
    expect(await values(c, 'SELECT a, b, v FROM gen')).toEqual([[6, 60, 7]]);
    await c.query('UPDATE gen SET a = 4');
    expect(await values(c, 'SELECT a, b, v FROM gen')).toEqual([[8, 80, 9]]);
  });

  it(req(['CORE-TRG-006#used-table'], 'wire', 'a trigger statement writing the table its firing statement writes is 1442'), async () => {
    await c.query('CREATE TABLE self1 (a INT)');
    await c.query('CREATE TRIGGER self1_ai AFTER INSERT ON self1 FOR EACH ROW INSERT INTO self1 VALUES (NEW.a + 1)');
    expect(await queryError(c, 'INSERT INTO self1 VALUES (1)')).toEqual({
      errno: 1442,
      message: "Can't update table 'self1' in stored function/trigger because it is already used by statement which invoked this stored function/trigger.",
    });
    expect(await values(c, 'SELECT COUNT(*) FROM self1')).toEqual([[0]]);
  });

  it(req(['CORE-TRG-004#blackhole', 'BLACKHOLE-013'], 'wire', 'INSERT triggers fire on a BLACKHOLE table although the row is discarded'), async () => {
    await c.query('CREATE TABLE bh (a INT) ENGINE=BLACKHOLE');
    await c.query('CREATE TABLE bhlog (a INT)');
    await c.query('CREATE TRIGGER bh_ai AFTER INSERT ON bh FOR EACH ROW INSERT INTO bhlog VALUES (NEW.a * 2)');
    await c.query('CREATE TRIGGER bh_bi BEFORE INSERT ON bh FOR EACH ROW SET @bh_seen = CONCAT(IFNULL(@bh_seen, \'\'), NEW.a)');
    await c.query('INSERT INTO bh VALUES (1), (2), (3)');
    expect(await values(c, 'SELECT COUNT(*) FROM bh')).toEqual([[0]]);
    expect(await values(c, 'SELECT a FROM bhlog ORDER BY a')).toEqual([[2], [4], [6]]);
    expect(await values(c, 'SELECT @bh_seen')).toEqual([['123']]);
  });
});

describe('action order and storage', () => {
  it(req(['CORE-TRG-003#order', 'CORE-TRG-003#order-missing', 'CORE-TRG-005#action-order'], 'wire', 'FOLLOWS / PRECEDES place a trigger in the action order (3011 for an anchor of another timing or event); ACTION_ORDER counts per timing and event'), async () => {
    await c.query('CREATE TABLE o1 (a INT)');
    await c.query("CREATE TRIGGER o_1 BEFORE INSERT ON o1 FOR EACH ROW SET @o = CONCAT(@o, '1')");
    await c.query("CREATE TRIGGER o_3 BEFORE INSERT ON o1 FOR EACH ROW SET @o = CONCAT(@o, '3')");
    await c.query("CREATE TRIGGER o_2 BEFORE INSERT ON o1 FOR EACH ROW FOLLOWS o_1 SET @o = CONCAT(@o, '2')");
    await c.query("CREATE TRIGGER o_0 BEFORE INSERT ON o1 FOR EACH ROW PRECEDES o_1 SET @o = CONCAT(@o, '0')");
    await c.query("CREATE TRIGGER o_a AFTER INSERT ON o1 FOR EACH ROW SET @o = CONCAT(@o, 'a')");
    expect(await queryError(c, 'CREATE TRIGGER o_x AFTER INSERT ON o1 FOR EACH ROW FOLLOWS o_1 SET @o = 1')).toEqual({
      errno: 3011, message: "Referenced trigger 'o_1' for the given action time and event type does not exist.",
    });
    await c.query("SET @o = ''");
    await c.query('INSERT INTO o1 VALUES (1)');
    expect(await values(c, 'SELECT @o')).toEqual([['0123a']]);
    expect(await values(c, "SELECT TRIGGER_NAME, ACTION_ORDER, ACTION_TIMING FROM information_schema.TRIGGERS WHERE EVENT_OBJECT_TABLE = 'o1' ORDER BY ACTION_TIMING, ACTION_ORDER")).toEqual([
      ['o_a', 1, 'AFTER'], ['o_0', 1, 'BEFORE'], ['o_1', 2, 'BEFORE'], ['o_2', 3, 'BEFORE'], ['o_3', 4, 'BEFORE'],
    ]);
  });

  it(req(['CORE-TRG-003#drop-table', 'CORE-TRG-003#rename'], 'wire', 'DROP TABLE drops its triggers; RENAME TABLE keeps them within the schema and is 1435 across schemas'), async () => {
    await c.query('CREATE TABLE dt1 (a INT)');
    await c.query('CREATE TRIGGER dt_bi BEFORE INSERT ON dt1 FOR EACH ROW SET NEW.a = 42');
    await c.query('RENAME TABLE dt1 TO dt2');
    await c.query('INSERT INTO dt2 VALUES (1)');
    expect(await values(c, 'SELECT a FROM dt2')).toEqual([[42]]);
    expect(await values(c, "SELECT EVENT_OBJECT_TABLE FROM information_schema.TRIGGERS WHERE TRIGGER_NAME = 'dt_bi'")).toEqual([['dt2']]);
    expect(await queryError(c, 'RENAME TABLE dt2 TO tg2.dt2')).toEqual({ errno: 1435, message: 'Trigger in wrong schema' });
    expect(await queryError(c, 'ALTER TABLE dt2 RENAME TO tg2.dt2')).toEqual({ errno: 1435, message: 'Trigger in wrong schema' });
    await c.query('DROP TABLE dt2');
    expect(await values(c, "SELECT COUNT(*) FROM information_schema.TRIGGERS WHERE TRIGGER_NAME = 'dt_bi'")).toEqual([[0]]);
    await c.query('CREATE TABLE dt3 (a INT)');
    await c.query('CREATE TRIGGER dt_bi BEFORE INSERT ON dt3 FOR EACH ROW SET NEW.a = 7');
  });

  it(req(['CORE-TRG-003#restart'], 'wire', 'triggers survive a restart, in their order, and fire after it'), async () => {
    const { parent, datadir } = await initializedDatadir();
    let s = await startTestServer({ datadir });
    let conn = await s.connect({ dateStrings: true });
    try {
      await conn.query('CREATE DATABASE rs');
      await conn.query('CREATE TABLE rs.t (a INT, b VARCHAR(20))');
      await conn.query("CREATE TRIGGER rs.t_b BEFORE INSERT ON rs.t FOR EACH ROW SET NEW.b = CONCAT(IFNULL(NEW.b, ''), 'b')");
      await conn.query("CREATE TRIGGER rs.t_a BEFORE INSERT ON rs.t FOR EACH ROW PRECEDES t_b SET NEW.b = CONCAT(IFNULL(NEW.b, ''), 'a')");
      const before = await rows(conn, 'SHOW CREATE TRIGGER rs.t_a');
      await conn.end();
      await s.stop();
      s = await startTestServer({ datadir });
      conn = await s.connect({ dateStrings: true });
      expect(await rows(conn, 'SHOW CREATE TRIGGER rs.t_a')).toEqual(before);
      await conn.query('INSERT INTO rs.t (a) VALUES (1)');
      expect(await values(conn, 'SELECT b FROM rs.t')).toEqual([['ab']]);
    } finally {
      await conn.end();
      await s.stop();
      const { rmSync } = await import('node:fs');
      rmSync(parent, { recursive: true, force: true });
    }
  });
});

describe('SHOW and information_schema', () => {
  it(req(['CORE-TRG-005#show-triggers', 'CORE-TRG-005#show-create', 'CORE-TRG-005#information-schema'], 'wire', 'SHOW TRIGGERS (LIKE matches the table), SHOW CREATE TRIGGER and information_schema.TRIGGERS give MySQL 8.0 columns'), async () => {
    await c.query('CREATE DATABASE sh');
    await c.query('CREATE TABLE sh.tab1 (a INT)');
    await c.query('CREATE TABLE sh.other (a INT)');
    await c.query("SET SESSION sql_mode = 'STRICT_TRANS_TABLES'");
    await c.query('CREATE DEFINER = root@localhost TRIGGER sh.tr1 BEFORE INSERT ON sh.tab1 FOR EACH ROW SET NEW.a = NEW.a * 2');
    await c.query('CREATE TRIGGER sh.tr2 AFTER DELETE ON sh.other FOR EACH ROW SET @d = OLD.a');
    await c.query('SET SESSION sql_mode = DEFAULT');
    const [st] = await c.query<Rows>({ sql: "SHOW TRIGGERS FROM sh LIKE 'tab%'" });
    expect(st.length).toBe(1);
    const r = st[0]!;
    expect(Object.keys(r)).toEqual(['Trigger', 'Event', 'Table', 'Statement', 'Timing', 'Created', 'sql_mode', 'Definer', 'character_set_client', 'collation_connection', 'Database Collation']);
    expect([r['Trigger'], r['Event'], r['Table'], r['Statement'], r['Timing'], r['sql_mode'], r['Definer']]).toEqual(['tr1', 'INSERT', 'tab1', 'SET NEW.a = NEW.a * 2', 'BEFORE', 'STRICT_TRANS_TABLES', 'root@localhost']);
    expect(String(r['Created'])).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d\d$/);
    expect([r['character_set_client'], r['Database Collation']]).toEqual(['utf8mb4', 'utf8mb4_0900_ai_ci']);
    const [w] = await c.query<Rows>("SHOW TRIGGERS FROM sh WHERE `Event` = 'DELETE'");
    expect(w.map((x) => x['Trigger'])).toEqual(['tr2']);
    const [sc] = await c.query<Rows>('SHOW CREATE TRIGGER sh.tr1');
    expect(Object.keys(sc[0]!)).toEqual(['Trigger', 'sql_mode', 'SQL Original Statement', 'character_set_client', 'collation_connection', 'Database Collation', 'Created']);
    expect(sc[0]!['SQL Original Statement']).toBe('CREATE DEFINER=`root`@`localhost` TRIGGER `tr1` BEFORE INSERT ON `tab1` FOR EACH ROW SET NEW.a = NEW.a * 2');
    expect(sc[0]!['Created']).toBe(r['Created']);
    expect(await queryError(c, 'SHOW CREATE TRIGGER sh.nope')).toEqual({ errno: 1360, message: 'Trigger does not exist' });
    const [is] = await c.query<Rows>("SELECT * FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = 'sh' AND TRIGGER_NAME = 'tr1'");
    const i = is[0]!;
    expect(Object.keys(i)).toEqual([
      'TRIGGER_CATALOG', 'TRIGGER_SCHEMA', 'TRIGGER_NAME', 'EVENT_MANIPULATION', 'EVENT_OBJECT_CATALOG', 'EVENT_OBJECT_SCHEMA', 'EVENT_OBJECT_TABLE',
      'ACTION_ORDER', 'ACTION_CONDITION', 'ACTION_STATEMENT', 'ACTION_ORIENTATION', 'ACTION_TIMING', 'ACTION_REFERENCE_OLD_TABLE',
      'ACTION_REFERENCE_NEW_TABLE', 'ACTION_REFERENCE_OLD_ROW', 'ACTION_REFERENCE_NEW_ROW', 'CREATED', 'SQL_MODE', 'DEFINER',
      'CHARACTER_SET_CLIENT', 'COLLATION_CONNECTION', 'DATABASE_COLLATION',
    ]);
    expect([i['TRIGGER_CATALOG'], i['EVENT_MANIPULATION'], i['EVENT_OBJECT_TABLE'], Number(i['ACTION_ORDER']), i['ACTION_CONDITION'], i['ACTION_STATEMENT'], i['ACTION_ORIENTATION'],
      i['ACTION_TIMING'], i['ACTION_REFERENCE_OLD_ROW'], i['ACTION_REFERENCE_NEW_ROW'], i['DEFINER']]).toEqual(
      ['def', 'INSERT', 'tab1', 1, null, 'SET NEW.a = NEW.a * 2', 'ROW', 'BEFORE', 'OLD', 'NEW', 'root@localhost']);
    expect(i['CREATED']).toBe(r['Created']);
  });
});

describe('privileges and sessions', () => {
  it(req(['CORE-TRG-007#trigger-privilege', 'CORE-TRG-007#definer', 'CORE-TRG-005#visible'], 'wire', 'creating or dropping needs TRIGGER on the table (1142); a trigger runs with its definer\'s privileges; SHOW TRIGGERS lists only tables the user holds TRIGGER on'), async () => {
    await c.query('CREATE DATABASE pv');
    await c.query('CREATE TABLE pv.t (a INT)');
    await c.query('CREATE TABLE pv.audit (a INT, who VARCHAR(100))');
    await c.query("CREATE USER 'tu'@'%'");
    await c.query("GRANT INSERT, SELECT ON pv.t TO 'tu'@'%'");
    const u = await srv.connect({ user: 'tu' });
    try {
      expect(await queryError(u, 'CREATE TRIGGER pv.t_ai AFTER INSERT ON pv.t FOR EACH ROW INSERT INTO pv.audit VALUES (NEW.a, USER())')).toEqual({
        errno: 1142, message: "TRIGGER command denied to user 'tu'@'localhost' for table 't'",
      });
      await c.query('CREATE TRIGGER pv.t_ai AFTER INSERT ON pv.t FOR EACH ROW INSERT INTO pv.audit VALUES (NEW.a, CURRENT_USER())');
      // tu may not write pv.audit, but the trigger's definer may.
      await u.query('INSERT INTO pv.t VALUES (9)');
      expect(await values(c, 'SELECT a, who FROM pv.audit')).toEqual([[9, 'root@localhost']]);
      expect(await rows(u, 'SHOW TRIGGERS FROM pv')).toEqual([]);
      expect(await queryError(u, 'DROP TRIGGER pv.t_ai')).toEqual({ errno: 1142, message: "TRIGGER command denied to user 'tu'@'localhost' for table 't'" });
      await c.query("GRANT TRIGGER ON pv.t TO 'tu'@'%'");
      expect((await rows(u, 'SHOW TRIGGERS FROM pv')).map((x) => x['Trigger'])).toEqual(['t_ai']);
      await u.query('DROP TRIGGER pv.t_ai');
    } finally {
      await u.end();
    }
  });

  it(req(['CORE-TRG-003#metadata-lock'], 'wire', 'CREATE TRIGGER waits for a transaction of another session that wrote the table; that transaction\'s rows were written without the trigger'), async () => {
    await c.query('CREATE TABLE ml1 (a INT, b VARCHAR(5)) ENGINE=InnoDB');
    const a = await srv.connect({ database: 'tg' });
    const b = await srv.connect({ database: 'tg' });
    try {
      await a.query('BEGIN');
      await a.query('INSERT INTO ml1 (a) VALUES (1)');
      const [[row]] = (await b.query<Rows>('SELECT CONNECTION_ID() AS id')) as unknown as [[{ id: number }]];
      const creating = b.query("CREATE TRIGGER ml1_bi BEFORE INSERT ON ml1 FOR EACH ROW SET NEW.b = 'trg'");
      let state = '';
      for (let k = 0; k < 200 && !state.includes('metadata lock'); k++) {
        const [p] = await c.query<Rows>(`SELECT STATE FROM information_schema.PROCESSLIST WHERE ID = ${Number(row.id)}`);
        state = String(p[0]?.['STATE'] ?? '');
        if (!state.includes('metadata lock')) await new Promise((res) => setTimeout(res, 20));
      }
      expect(state).toBe('Waiting for table metadata lock');
      await a.query('INSERT INTO ml1 (a) VALUES (2)');
      await a.query('COMMIT');
      await creating;
      await a.query('INSERT INTO ml1 (a) VALUES (3)');
      expect(await values(c, 'SELECT a, b FROM ml1 ORDER BY a')).toEqual([[1, null], [2, null], [3, 'trg']]);
    } finally {
      await a.end();
      await b.end();
    }
  });

  it(req(['CORE-TRG-004#concurrent'], 'wire', 'several connections writing one table at once each fire its triggers for every row'), async () => {
    await c.query('CREATE TABLE cc (a INT) ENGINE=InnoDB');
    await c.query('CREATE TABLE cc_count (n INT) ENGINE=InnoDB');
    await c.query('INSERT INTO cc_count VALUES (0)');
    await c.query('CREATE TRIGGER cc_ai AFTER INSERT ON cc FOR EACH ROW UPDATE cc_count SET n = n + 1');
    const conns = await Promise.all([1, 2, 3, 4].map(() => srv.connect({ database: 'tg' })));
    try {
      await Promise.all(conns.map(async (x, k) => {
        for (let j = 0; j < 10; j++) await x.query(`INSERT INTO cc VALUES (${k * 100 + j})`);
      }));
    } finally {
      await Promise.all(conns.map((x) => x.end()));
    }
    expect(await values(c, 'SELECT (SELECT COUNT(*) FROM cc), (SELECT n FROM cc_count)')).toEqual([[40, 40]]);
  });
});
