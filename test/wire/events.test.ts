/**
 * Events over the wire (mysql2): CREATE/ALTER/DROP EVENT with MySQL's checks and errors, the
 * scheduler running bodies beside client sessions, SHOW EVENTS / SHOW CREATE EVENT /
 * information_schema.EVENTS, PROCESSLIST, privileges, event_scheduler and restarts.
 *
 * Runs are observed through their effects (rows an event inserts, LAST_EXECUTED, the event
 * disappearing), polled with a bounded wait: nothing asserts how long anything took.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type mysql from 'mysql2/promise';
import { req } from '../helpers/req.js';
import { initializedDatadir, startTestServer, type TestServer } from '../helpers/server.js';
import { failureOf, queryRows } from '../helpers/sql.js';

let srv: TestServer;
let c: mysql.Connection;

type Rows = mysql.RowDataPacket[];

/** Poll `probe` until it returns true; fails after `limitMs` (a safety net, not a measurement). */
async function until(probe: () => Promise<boolean>, what: string, limitMs = 15_000): Promise<void> {
  const end = Date.now() + limitMs;
  while (Date.now() < end) {
    if (await probe()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`never happened: ${what}`);
}

const rows = queryRows;

async function count(conn: mysql.Connection, sql: string): Promise<number> {
  const r = await rows(conn, sql);
  return Number(Object.values(r[0]!)[0]);
}

async function warnings(conn: mysql.Connection): Promise<[string, number, string][]> {
  return (await rows(conn, 'SHOW WARNINGS')).map((w) => [w['Level'] as string, Number(w['Code']), w['Message'] as string]);
}

beforeAll(async () => {
  srv = await startTestServer();
  c = await srv.connect();
  await c.query('CREATE DATABASE ev');
  await c.query('USE ev');
});

afterAll(async () => {
  await c?.end();
  await srv?.stop();
});

describe('CREATE, ALTER and DROP EVENT', () => {
  it(req(['CORE-EVT-001#create', 'CORE-EVT-009#show-create', 'CORE-EVT-009#show-events'], 'wire', 'an event is stored with every clause and shown back by SHOW CREATE EVENT and SHOW EVENTS'), async () => {
    await c.query("CREATE EVENT e_show ON SCHEDULE EVERY 10 HOUR STARTS '2031-02-03 04:05:06' ENDS '2032-01-01 00:00:00' ON COMPLETION PRESERVE DISABLE COMMENT 'it''s a test' DO UPDATE t SET a = a + 1");
    const [sc] = await rows(c, 'SHOW CREATE EVENT e_show');
    expect(sc!['Event']).toBe('e_show');
    expect(sc!['time_zone']).toBe('SYSTEM');
    expect(sc!['Create Event']).toBe(
      "CREATE DEFINER=`root`@`localhost` EVENT `e_show` ON SCHEDULE EVERY 10 HOUR STARTS '2031-02-03 04:05:06' ENDS '2032-01-01 00:00:00' " +
        "ON COMPLETION PRESERVE DISABLE COMMENT 'it\\'s a test' DO UPDATE t SET a = a + 1",
    );
    expect(sc!['Database Collation']).toBe('utf8mb4_0900_ai_ci');
    const [fields] = await c.query({ sql: "SHOW EVENTS LIKE 'e\\_show'", rowsAsArray: true });
    const [, cols] = await c.query<Rows>("SHOW EVENTS LIKE 'e\\_show'");
    expect(cols.map((f) => f.name)).toEqual(['Db', 'Name', 'Definer', 'Time zone', 'Type', 'Execute at', 'Interval value', 'Interval field', 'Starts', 'Ends',
      'Status', 'Originator', 'character_set_client', 'collation_connection', 'Database Collation']);
    const row = (fields as unknown as unknown[][])[0]!;
    expect(row.slice(0, 5)).toEqual(['ev', 'e_show', 'root@localhost', 'SYSTEM', 'RECURRING']);
    expect(row[5]).toBeNull();
    expect(row.slice(6, 8)).toEqual(['10', 'HOUR']);
    expect(String((row[8] as Date).getFullYear())).toBe('2031');
    expect(row[10]).toBe('DISABLED');
    // One time events: ONE TIME with Execute at.
    await c.query("CREATE EVENT e_once ON SCHEDULE AT '2035-06-07 08:09:10' DO SELECT 1");
    const [once] = await rows(c, 'SHOW CREATE EVENT E_ONCE');
    expect(once!['Create Event']).toBe("CREATE DEFINER=`root`@`localhost` EVENT `e_once` ON SCHEDULE AT '2035-06-07 08:09:10' ON COMPLETION NOT PRESERVE ENABLE DO SELECT 1");
    const listed = await rows(c, "SHOW EVENTS FROM ev WHERE Name LIKE 'e_%' AND Type = 'ONE TIME'");
    expect(listed.map((r) => r['Name'])).toEqual(['e_once']);
    await c.query('DROP EVENT e_show');
    await c.query('DROP EVENT e_once');
  });

  it(req(['CORE-EVT-009#information-schema'], 'wire', 'information_schema.EVENTS gives the event with MySQL 8.0 columns'), async () => {
    await c.query("CREATE EVENT e_is ON SCHEDULE EVERY '2:15' YEAR_MONTH STARTS '2030-01-01 00:00:00' COMMENT 'c' DO SELECT 2");
    const [r] = await rows(c, "SELECT * FROM information_schema.EVENTS WHERE EVENT_SCHEMA = 'ev' AND EVENT_NAME = 'e_is'");
    expect(Object.keys(r!)).toEqual(['EVENT_CATALOG', 'EVENT_SCHEMA', 'EVENT_NAME', 'DEFINER', 'TIME_ZONE', 'EVENT_BODY', 'EVENT_DEFINITION', 'EVENT_TYPE',
      'EXECUTE_AT', 'INTERVAL_VALUE', 'INTERVAL_FIELD', 'SQL_MODE', 'STARTS', 'ENDS', 'STATUS', 'ON_COMPLETION', 'CREATED', 'LAST_ALTERED', 'LAST_EXECUTED',
      'EVENT_COMMENT', 'ORIGINATOR', 'CHARACTER_SET_CLIENT', 'COLLATION_CONNECTION', 'DATABASE_COLLATION']);
    expect([r!['EVENT_CATALOG'], r!['DEFINER'], r!['EVENT_BODY'], r!['EVENT_DEFINITION'], r!['EVENT_TYPE'], r!['INTERVAL_VALUE'], r!['INTERVAL_FIELD']])
      .toEqual(['def', 'root@localhost', 'SQL', 'SELECT 2', 'RECURRING', '3-3', 'YEAR_MONTH']);
    expect([r!['STATUS'], r!['ON_COMPLETION'], r!['EVENT_COMMENT'], r!['LAST_EXECUTED'], r!['ENDS']]).toEqual(['ENABLED', 'NOT PRESERVE', 'c', null, null]);
    expect(r!['SQL_MODE']).toContain('STRICT_TRANS_TABLES');
    await c.query('DROP EVENT e_is');
  });

  it(req(['CORE-EVT-001#e1537', 'CORE-EVT-001#e1059'], 'wire', 'a duplicate name (any case) is 1537 or a note with IF NOT EXISTS; a name over 64 characters is 1059'), async () => {
    await c.query('CREATE EVENT dup ON SCHEDULE EVERY 1 DAY DISABLE DO SELECT 1');
    const e = await failureOf(c.query('CREATE EVENT DUP ON SCHEDULE EVERY 1 DAY DO SELECT 1'));
    expect([e.errno, e.sqlState, e.sqlMessage]).toEqual([1537, 'HY000', "Event 'DUP' already exists"]);
    await c.query('CREATE EVENT IF NOT EXISTS dup ON SCHEDULE EVERY 1 DAY DO SELECT 1');
    expect(await warnings(c)).toEqual([['Note', 1537, "Event 'dup' already exists"]]);
    const long = 'x'.repeat(65);
    const e2 = await failureOf(c.query(`CREATE EVENT ${long} ON SCHEDULE EVERY 1 DAY DO SELECT 1`));
    expect([e2.errno, e2.sqlState]).toEqual([1059, '42000']);
    await c.query('DROP EVENT dup');
  });

  it(req(['CORE-EVT-002#alter', 'CORE-EVT-002#rename', 'CORE-EVT-002#e1539', 'CORE-EVT-002#drop'], 'wire', 'ALTER EVENT changes the named clauses and renames; unknown events are 1539; DROP EVENT IF EXISTS notes 1305'), async () => {
    await c.query("CREATE EVENT al ON SCHEDULE EVERY 5 MINUTE STARTS '2030-05-05 05:05:05' COMMENT 'one' DO SELECT 1");
    await c.query('ALTER EVENT al DISABLE');
    let [r] = await rows(c, "SELECT STATUS, EVENT_COMMENT, INTERVAL_VALUE, EVENT_DEFINITION FROM information_schema.EVENTS WHERE EVENT_NAME = 'al'");
    expect(r).toMatchObject({ STATUS: 'DISABLED', EVENT_COMMENT: 'one', INTERVAL_VALUE: '5', EVENT_DEFINITION: 'SELECT 1' });
    await c.query("ALTER EVENT al ON SCHEDULE EVERY '1:30' HOUR_MINUTE STARTS '2030-06-06' ON COMPLETION PRESERVE COMMENT 'two' DO SELECT 2");
    [r] = await rows(c, "SELECT STATUS, EVENT_COMMENT, INTERVAL_VALUE, INTERVAL_FIELD, ON_COMPLETION, EVENT_DEFINITION FROM information_schema.EVENTS WHERE EVENT_NAME = 'al'");
    expect(r).toMatchObject({ STATUS: 'DISABLED', EVENT_COMMENT: 'two', INTERVAL_VALUE: '1:30', INTERVAL_FIELD: 'HOUR_MINUTE', ON_COMPLETION: 'PRESERVE', EVENT_DEFINITION: 'SELECT 2' });

    let e = await failureOf(c.query('ALTER EVENT al RENAME TO AL'));
    expect([e.errno, e.sqlMessage]).toEqual([1551, 'Same old and new event name']);
    await c.query('CREATE EVENT taken ON SCHEDULE EVERY 1 DAY DISABLE DO SELECT 1');
    e = await failureOf(c.query('ALTER EVENT al RENAME TO taken'));
    expect([e.errno, e.sqlMessage]).toEqual([1537, "Event 'taken' already exists"]);
    await c.query('CREATE DATABASE ev2');
    await c.query('ALTER EVENT al RENAME TO ev2.moved');
    expect((await rows(c, "SELECT EVENT_SCHEMA, EVENT_NAME FROM information_schema.EVENTS WHERE EVENT_NAME IN ('al', 'moved')")).map((x) => [x['EVENT_SCHEMA'], x['EVENT_NAME']]))
      .toEqual([['ev2', 'moved']]);

    e = await failureOf(c.query('ALTER EVENT nosuch ENABLE'));
    expect([e.errno, e.sqlState, e.sqlMessage]).toEqual([1539, 'HY000', "Unknown event 'nosuch'"]);
    e = await failureOf(c.query('DROP EVENT nosuch'));
    expect([e.errno, e.sqlMessage]).toEqual([1539, "Unknown event 'nosuch'"]);
    await c.query('DROP EVENT IF EXISTS nosuch');
    expect(await warnings(c)).toEqual([['Note', 1305, 'Event nosuch does not exist']]);
    await c.query('DROP EVENT ev2.moved');
    await c.query('DROP EVENT taken');
    expect(await count(c, "SELECT COUNT(*) FROM information_schema.EVENTS WHERE EVENT_SCHEMA IN ('ev', 'ev2')")).toBe(0);
    await c.query('DROP DATABASE ev2');
  });

  it(req(['CORE-EVT-004#e1525', 'CORE-EVT-004#e1542', 'CORE-EVT-004#e1543', 'CORE-EVT-004#compound'], 'wire', 'schedules are checked: 1525, 1542, 1235 for microseconds, 1543, and compound intervals are normalised'), async () => {
    let e = await failureOf(c.query("CREATE EVENT bad ON SCHEDULE AT 'definitely not a datetime' DO SELECT 1"));
    expect([e.errno, e.sqlState, e.sqlMessage]).toEqual([1525, 'HY000', "Incorrect AT value: 'definitely not a datetime'"]);
    e = await failureOf(c.query('CREATE EVENT bad ON SCHEDULE AT NULL DO SELECT 1'));
    expect(e.sqlMessage).toBe("Incorrect AT value: 'NULL'");
    e = await failureOf(c.query("CREATE EVENT bad ON SCHEDULE EVERY 1 DAY STARTS 'soon' DO SELECT 1"));
    expect(e.sqlMessage).toBe("Incorrect STARTS value: 'soon'");
    for (const iv of ['0 SECOND', '-1 DAY', '1000000001 SECOND']) {
      e = await failureOf(c.query(`CREATE EVENT bad ON SCHEDULE EVERY ${iv} DO SELECT 1`));
      expect([e.errno, e.sqlMessage]).toEqual([1542, 'INTERVAL is either not positive or too big']);
    }
    e = await failureOf(c.query('CREATE EVENT bad ON SCHEDULE EVERY 5 MICROSECOND DO SELECT 1'));
    expect([e.errno, e.sqlMessage]).toEqual([1235, "This version of MySQL doesn't yet support 'MICROSECOND'"]);
    e = await failureOf(c.query("CREATE EVENT bad ON SCHEDULE EVERY 1 DAY STARTS '2031-01-02' ENDS '2031-01-01' DO SELECT 1"));
    expect([e.errno, e.sqlMessage]).toEqual([1543, 'ENDS is either invalid or before STARTS']);
    expect(await count(c, "SELECT COUNT(*) FROM information_schema.EVENTS WHERE EVENT_NAME = 'bad'")).toBe(0);
    // MySQL's own examples: each compound value is kept as its total and printed normalised.
    const cases: [string, string, string][] = [
      ["'2:5'", 'YEAR_MONTH', "'2-5'"], ["'2:15'", 'YEAR_MONTH', "'3-3'"], ["'20:25'", 'DAY_HOUR', "'21 1'"], ["'11:65'", 'HOUR_MINUTE', "'12:5'"],
      ["'35:66'", 'MINUTE_SECOND', "'36:6'"], ["'35:56'", 'DAY_MINUTE', "'1 11:56'"], ["'15:59:85'", 'HOUR_SECOND', "'16:0:25'"],
      ["'50:23:59:95'", 'DAY_SECOND', "'51 0:0:35'"], ['2', 'WEEK', '2'], ['50 + 10', 'MINUTE', '60'],
    ];
    for (const [value, unit, shown] of cases) {
      await c.query(`CREATE EVENT iv ON SCHEDULE EVERY ${value} ${unit} STARTS '2030-01-01' DISABLE DO SELECT 1`);
      const [sc] = await rows(c, 'SHOW CREATE EVENT iv');
      expect(sc!['Create Event']).toContain(`EVERY ${shown} ${unit} STARTS '2030-01-01 00:00:00'`);
      await c.query('DROP EVENT iv');
    }
  });

  it(req(['CORE-EVT-004#past'], 'wire', 'a schedule in the past: note 1588 and nothing kept, note 1544 and DISABLED with PRESERVE, 1589 on ALTER'), async () => {
    await c.query("CREATE EVENT gone ON SCHEDULE AT '2001-01-01 00:00:00' DO SELECT 1");
    expect(await warnings(c)).toEqual([['Note', 1588, 'Event execution time is in the past and ON COMPLETION NOT PRESERVE is set. The event was dropped immediately after creation.']]);
    expect(await count(c, "SELECT COUNT(*) FROM information_schema.EVENTS WHERE EVENT_NAME = 'gone'")).toBe(0);
    await c.query("CREATE EVENT kept ON SCHEDULE EVERY 1 DAY STARTS '2000-01-01' ENDS '2001-01-01' ON COMPLETION PRESERVE DO SELECT 1");
    expect(await warnings(c)).toEqual([['Note', 1544, 'Event execution time is in the past. Event has been disabled']]);
    expect(await count(c, "SELECT COUNT(*) FROM information_schema.EVENTS WHERE EVENT_NAME = 'kept' AND STATUS = 'DISABLED'")).toBe(1);
    await c.query("CREATE EVENT later ON SCHEDULE AT '2037-01-01' DO SELECT 1");
    const e = await failureOf(c.query("ALTER EVENT later ON SCHEDULE AT '2001-01-01'"));
    expect([e.errno, e.sqlMessage]).toEqual([1589, 'Event execution time is in the past and ON COMPLETION NOT PRESERVE is set. The event was not changed. Specify a time in the future.']);
    const [sc] = await rows(c, 'SHOW CREATE EVENT later');
    expect(sc!['Create Event']).toContain("AT '2037-01-01 00:00:00'");
    await c.query('DROP EVENT kept');
    await c.query('DROP EVENT later');
  });

  it(req(['CORE-EVT-011'], 'wire', 'an event body that creates, alters or drops an event is refused with 1576'), async () => {
    for (const body of ['CREATE EVENT x ON SCHEDULE EVERY 1 DAY DO SELECT 1', 'ALTER EVENT x DISABLE', 'DROP EVENT x']) {
      const e = await failureOf(c.query(`CREATE EVENT rec ON SCHEDULE EVERY 1 DAY DO ${body}`));
      expect([e.errno, e.sqlMessage]).toEqual([1576, 'Recursion of EVENT DDL statements is forbidden when body is present']);
    }
  });
});

describe('the scheduler', () => {
  it(req(['CORE-EVT-006#recurring', 'CORE-EVT-006#context', 'CORE-EVT-010'], 'wire', 'an EVERY 1 SECOND event keeps inserting while clients work beside it, in its schema and sql_mode, and PROCESSLIST shows the scheduler'), async () => {
    await c.query('CREATE TABLE ticks (n INT AUTO_INCREMENT PRIMARY KEY, db VARCHAR(64), mode TEXT, who VARCHAR(300))');
    await c.query("SET SESSION sql_mode = 'ANSI_QUOTES'");
    await c.query('CREATE EVENT tick ON SCHEDULE EVERY 1 SECOND DO INSERT INTO ticks (db, mode, who) VALUES (DATABASE(), @@sql_mode, CURRENT_USER())');
    await c.query('SET SESSION sql_mode = DEFAULT');
    // Three other sessions work on their own table while the event runs.
    const others = await Promise.all([srv.connect({ database: 'ev' }), srv.connect({ database: 'ev' }), srv.connect({ database: 'ev' })]);
    await c.query('CREATE TABLE work (id INT PRIMARY KEY, k INT)');
    await Promise.all(others.map(async (o, i) => {
      for (let j = 0; j < 50; j++) await o.query('INSERT INTO work VALUES (?, ?)', [i * 1000 + j, j]);
    }));
    await until(async () => (await count(c, 'SELECT COUNT(*) FROM ticks')) >= 3, 'three runs of tick');
    expect(await count(c, 'SELECT COUNT(*) FROM work')).toBe(150);
    const seen = await rows(c, 'SELECT DISTINCT db, mode, who FROM ticks');
    expect(seen.map((r) => [r['db'], r['mode'], r['who']])).toEqual([['ev', 'ANSI_QUOTES', 'root@localhost']]);
    const pl = await rows(c, "SELECT USER, COMMAND, STATE FROM information_schema.PROCESSLIST WHERE USER = 'event_scheduler'");
    expect(pl).toEqual([{ USER: 'event_scheduler', COMMAND: 'Daemon', STATE: 'Waiting for next activation' }]);
    const show = await rows(c, 'SHOW PROCESSLIST');
    expect(show.filter((r) => r['User'] === 'event_scheduler').map((r) => [r['Command'], r['db'], r['Host']])).toEqual([['Daemon', null, 'localhost']]);
    const [ie] = await rows(c, "SELECT LAST_EXECUTED FROM information_schema.EVENTS WHERE EVENT_NAME = 'tick'");
    expect(ie!['LAST_EXECUTED']).not.toBeNull();
    await c.query('DROP EVENT tick');
    for (const o of others) await o.end();
  });

  it(req(['CORE-EVT-010'], 'wire', 'a running event body is a session of its definer with Command Connect'), async () => {
    await c.query('CREATE TABLE lockme (a INT)');
    const holder = await srv.connect({ database: 'ev' });
    await holder.query('LOCK TABLES lockme WRITE');
    try {
      await c.query('CREATE EVENT waiter ON SCHEDULE AT CURRENT_TIMESTAMP DO INSERT INTO lockme VALUES (7)');
      await until(async () => (await count(c, "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE INFO LIKE 'INSERT INTO lockme%'")) === 1, 'the event waiting for the table');
      const [p] = await rows(c, "SELECT USER, HOST, DB, COMMAND, STATE FROM information_schema.PROCESSLIST WHERE INFO LIKE 'INSERT INTO lockme%'");
      expect(p).toEqual({ USER: 'root', HOST: 'localhost', DB: 'ev', COMMAND: 'Connect', STATE: 'Waiting for table metadata lock' });
      const [sp] = (await rows(c, 'SHOW PROCESSLIST')).filter((r) => String(r['Info']).startsWith('INSERT INTO lockme'));
      expect([sp!['User'], sp!['Command']]).toEqual(['root', 'Connect']);
    } finally {
      await holder.query('UNLOCK TABLES');
    }
    await until(async () => (await count(c, 'SELECT COUNT(*) FROM lockme')) === 1, 'the event ending');
    await holder.end();
  });

  it(req(['CORE-EVT-012'], 'wire', 'a BEGIN ... END body with variables, a loop, a handler and a SELECT runs as a stored program'), async () => {
    await c.query('CREATE TABLE prog_log (i INT, note VARCHAR(20))');
    await c.query(`CREATE EVENT prog ON SCHEDULE AT CURRENT_TIMESTAMP DO
      BEGIN
        DECLARE i INT DEFAULT 0;
        DECLARE CONTINUE HANDLER FOR SQLEXCEPTION INSERT INTO prog_log VALUES (-1, 'handled');
        SELECT 'discarded';
        WHILE i < 3 DO
          SET i = i + 1;
          INSERT INTO prog_log VALUES (i, 'loop');
        END WHILE;
        INSERT INTO no_such_table VALUES (1);
        INSERT INTO prog_log VALUES (i * 10, 'after');
      END`);
    await until(async () => (await count(c, "SELECT COUNT(*) FROM prog_log WHERE note = 'after'")) === 1, 'the program ending');
    expect((await rows(c, 'SELECT i, note FROM prog_log ORDER BY i')).map((r) => [r['i'], r['note']])).toEqual([[-1, 'handled'], [1, 'loop'], [2, 'loop'], [3, 'loop'], [30, 'after']]);
    let e = await failureOf(c.query('CREATE EVENT nested ON SCHEDULE EVERY 1 DAY DO BEGIN IF 1 THEN DROP EVENT prog; END IF; END'));
    expect([e.errno, e.sqlMessage]).toEqual([1576, 'Recursion of EVENT DDL statements is forbidden when body is present']);
    e = await failureOf(c.query('CREATE EVENT bad_body ON SCHEDULE EVERY 1 DAY DO BEGIN SELECT 1 END'));
    expect(e.errno).toBe(1064);
  });

  it(req(['CORE-EVT-006#one-time'], 'wire', 'an AT event runs once; NOT PRESERVE drops it, PRESERVE disables it with LAST_EXECUTED set'), async () => {
    await c.query('CREATE TABLE once_log (tag VARCHAR(10))');
    await c.query("CREATE EVENT o_drop ON SCHEDULE AT CURRENT_TIMESTAMP + INTERVAL 1 SECOND DO INSERT INTO once_log VALUES ('drop')");
    await c.query("CREATE EVENT o_keep ON SCHEDULE AT CURRENT_TIMESTAMP + INTERVAL 1 SECOND ON COMPLETION PRESERVE DO INSERT INTO once_log VALUES ('keep')");
    await until(async () => (await count(c, "SELECT COUNT(*) FROM information_schema.EVENTS WHERE EVENT_NAME = 'o_keep' AND STATUS = 'DISABLED'")) === 1, 'o_keep disabled');
    await until(async () => (await count(c, "SELECT COUNT(*) FROM information_schema.EVENTS WHERE EVENT_NAME = 'o_drop'")) === 0, 'o_drop dropped');
    expect((await rows(c, 'SELECT tag FROM once_log ORDER BY tag')).map((r) => r['tag'])).toEqual(['drop', 'keep']);
    const [k] = await rows(c, "SELECT LAST_EXECUTED IS NOT NULL AS ran FROM information_schema.EVENTS WHERE EVENT_NAME = 'o_keep'");
    expect(Number(k!['ran'])).toBe(1);
    await c.query('DROP EVENT o_keep');
  });

  it(req(['CORE-EVT-006#ends'], 'wire', 'a recurring event past its ENDS is dropped (or kept disabled with PRESERVE)'), async () => {
    await c.query('CREATE TABLE ends_log (tag VARCHAR(10))');
    await c.query("CREATE EVENT r_end ON SCHEDULE EVERY 1 SECOND ENDS CURRENT_TIMESTAMP + INTERVAL 2 SECOND DO INSERT INTO ends_log VALUES ('end')");
    await c.query("CREATE EVENT r_keep ON SCHEDULE EVERY 1 SECOND ENDS CURRENT_TIMESTAMP + INTERVAL 2 SECOND ON COMPLETION PRESERVE DO INSERT INTO ends_log VALUES ('keep')");
    await until(async () => (await count(c, "SELECT COUNT(*) FROM information_schema.EVENTS WHERE EVENT_NAME = 'r_end'")) === 0, 'r_end dropped');
    await until(async () => (await count(c, "SELECT COUNT(*) FROM information_schema.EVENTS WHERE EVENT_NAME = 'r_keep' AND STATUS = 'DISABLED'")) === 1, 'r_keep disabled');
    const n = await count(c, "SELECT COUNT(*) FROM ends_log WHERE tag = 'end'");
    expect(n).toBeGreaterThanOrEqual(1);
    expect(n).toBeLessThanOrEqual(3);
    await c.query('DROP EVENT r_keep');
  });

  it(req(['CORE-EVT-006#failure'], 'wire', 'a failing body is logged with its definer and name and the event keeps running'), async () => {
    await c.query('CREATE EVENT broken ON SCHEDULE EVERY 1 SECOND DO INSERT INTO no_such_table VALUES (1)');
    await until(async () => srv.logLines.filter((l) => l.includes('[MY-010045]') && l.includes('[root@localhost][ev.broken]')).length >= 2, 'two logged failures');
    const line = srv.logLines.find((l) => l.includes('[ev.broken]'))!;
    expect(line).toContain("[ERROR] [MY-010045] [Server] Event Scheduler: [root@localhost][ev.broken] Table 'ev.no_such_table' doesn't exist");
    // The client session is untouched: no warning, no error.
    expect(await count(c, 'SELECT 1')).toBe(1);
    expect(await warnings(c)).toEqual([]);
    await c.query('DROP EVENT broken');
  });

  it(req(['CORE-EVT-005#on-off'], 'wire', 'event_scheduler OFF stops runs (and the Daemon row); ON resumes them'), async () => {
    await c.query('CREATE TABLE onoff (n INT)');
    await c.query('SET GLOBAL event_scheduler = OFF');
    await c.query('CREATE EVENT paused ON SCHEDULE EVERY 1 SECOND DO INSERT INTO onoff VALUES (1)');
    expect(await count(c, "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE USER = 'event_scheduler'")).toBe(0);
    // Observe a full run of another client statement lasting past a schedule point: nothing ran.
    await c.query('DO SLEEP(1.5)');
    expect(await count(c, 'SELECT COUNT(*) FROM onoff')).toBe(0);
    await c.query('SET GLOBAL event_scheduler = ON');
    await until(async () => (await count(c, 'SELECT COUNT(*) FROM onoff')) >= 1, 'a run after ON');
    expect(await count(c, "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE USER = 'event_scheduler'")).toBe(1);
    const e = await failureOf(c.query('SET GLOBAL event_scheduler = DISABLED'));
    expect([e.errno, e.sqlMessage]).toEqual([1231, "Variable 'event_scheduler' can't be set to the value of 'DISABLED'"]);
    await c.query('DROP EVENT paused');
  });
});

describe('privileges and definers', () => {
  it(req(['CORE-EVT-007#privilege', 'CORE-EVT-008#set-user-id', 'CORE-EVT-008#e1449', 'CORE-EVT-008#privileges'], 'wire', 'EVENT is needed (1044); another definer needs SET_USER_ID (1227); an unknown definer is note 1449; the body runs with the definer\'s privileges'), async () => {
    await c.query("CREATE USER evu@'%'");
    await c.query('GRANT SELECT ON ev.* TO evu@\'%\'');
    const u = await srv.connect({ user: 'evu', database: 'ev' });
    let e = await failureOf(u.query('CREATE EVENT nope ON SCHEDULE EVERY 1 DAY DO SELECT 1'));
    expect([e.errno, e.sqlState, e.sqlMessage]).toEqual([1044, '42000', "Access denied for user 'evu'@'%' to database 'ev'"]);
    e = await failureOf(u.query('SHOW EVENTS'));
    expect(e.errno).toBe(1044);
    await c.query("GRANT EVENT ON ev.* TO evu@'%'");
    e = await failureOf(u.query('CREATE DEFINER = root@localhost EVENT nope ON SCHEDULE EVERY 1 DAY DO SELECT 1'));
    expect([e.errno, e.sqlMessage]).toEqual([1227, 'Access denied; you need (at least one of) the SUPER or SET_USER_ID privilege(s) for this operation']);
    // evu may read but not insert: its event fails at run time, in the log, not in any session.
    await c.query('CREATE TABLE priv_t (a INT)');
    await u.query('CREATE EVENT as_evu ON SCHEDULE EVERY 1 SECOND DO INSERT INTO priv_t VALUES (1)');
    await until(async () => srv.logLines.some((l) => l.includes('[evu@%][ev.as_evu]') && l.includes('INSERT command denied')), 'the definer lacking INSERT');
    expect(await count(c, 'SELECT COUNT(*) FROM priv_t')).toBe(0);
    // root names evu as the definer explicitly: the same result; an unknown definer is a note.
    await c.query("CREATE DEFINER = 'ghost'@'localhost' EVENT haunted ON SCHEDULE EVERY 1 DAY DISABLE DO SELECT 1");
    expect(await warnings(c)).toEqual([['Note', 1449, "The user specified as a definer ('ghost'@'localhost') does not exist"]]);
    const [sh] = await rows(c, "SHOW EVENTS LIKE 'haunted'");
    expect(sh!['Definer']).toBe('ghost@localhost');
    // ALTER by root makes root the definer, and the event then inserts.
    await c.query('ALTER EVENT as_evu ENABLE');
    await until(async () => (await count(c, 'SELECT COUNT(*) FROM priv_t')) >= 1, 'the event running as root after ALTER');
    const [d] = await rows(c, "SELECT DEFINER FROM information_schema.EVENTS WHERE EVENT_NAME = 'as_evu'");
    expect(d!['DEFINER']).toBe('root@localhost');
    // information_schema.EVENTS shows evu only the events of schemas where it holds EVENT.
    await c.query('CREATE DATABASE ev_hidden');
    await c.query('CREATE EVENT ev_hidden.secret ON SCHEDULE EVERY 1 DAY DISABLE DO SELECT 1');
    const seen = (await rows(u, 'SELECT EVENT_SCHEMA, EVENT_NAME FROM information_schema.EVENTS ORDER BY EVENT_NAME')).map((r) => `${r['EVENT_SCHEMA']}.${r['EVENT_NAME']}`);
    expect(seen).toEqual(['ev.as_evu', 'ev.haunted']);
    await c.query('DROP EVENT as_evu');
    await c.query('DROP EVENT haunted');
    await c.query('DROP DATABASE ev_hidden');
    await u.end();
    await c.query("DROP USER evu@'%'");
  });

  it(req(['CORE-EVT-007#locked'], 'wire', 'event DDL under LOCK TABLES fails with 1192'), async () => {
    await c.query('CREATE TABLE lk (a INT)');
    await c.query('LOCK TABLES lk READ');
    try {
      for (const sql of ['CREATE EVENT l1 ON SCHEDULE EVERY 1 DAY DO SELECT 1', 'ALTER EVENT l1 DISABLE', 'DROP EVENT l1']) {
        const e = await failureOf(c.query(sql));
        expect([e.errno, e.sqlMessage]).toEqual([1192, "Can't execute the given command because you have active locked tables or an active transaction"]);
      }
    } finally {
      await c.query('UNLOCK TABLES');
    }
  });

  it(req(['CORE-EVT-003#drop-database'], 'wire', 'DROP DATABASE drops its events'), async () => {
    await c.query('CREATE DATABASE ev_drop');
    await c.query('CREATE EVENT ev_drop.a ON SCHEDULE EVERY 1 DAY DISABLE DO SELECT 1');
    await c.query('CREATE EVENT ev_drop.b ON SCHEDULE EVERY 1 DAY DISABLE DO SELECT 1');
    expect(await count(c, "SELECT COUNT(*) FROM information_schema.EVENTS WHERE EVENT_SCHEMA = 'ev_drop'")).toBe(2);
    await c.query('DROP DATABASE ev_drop');
    expect(await count(c, "SELECT COUNT(*) FROM information_schema.EVENTS WHERE EVENT_SCHEMA = 'ev_drop'")).toBe(0);
    await c.query('CREATE DATABASE ev_drop');
    await c.query('CREATE EVENT ev_drop.a ON SCHEDULE EVERY 1 DAY DISABLE DO SELECT 1');
    await c.query('DROP DATABASE ev_drop');
  });
});

describe('across restarts and start-up options', () => {
  it(req(['CORE-EVT-003#restart'], 'wire', 'an event and its LAST_EXECUTED survive a restart, and it runs again after it'), async () => {
    const { parent, datadir } = await initializedDatadir();
    let s = await startTestServer({ datadir });
    let conn = await s.connect();
    await conn.query('CREATE DATABASE r');
    await conn.query('CREATE TABLE r.log (n INT AUTO_INCREMENT PRIMARY KEY)');
    await conn.query('CREATE EVENT r.again ON SCHEDULE EVERY 1 SECOND COMMENT \'survives\' DO INSERT INTO r.log VALUES ()');
    await until(async () => (await count(conn, 'SELECT COUNT(*) FROM r.log')) >= 1, 'a first run');
    const [before] = await rows(conn, "SHOW CREATE EVENT r.again");
    await conn.end();
    await s.stop();
    s = await startTestServer({ datadir });
    conn = await s.connect();
    try {
      const [after] = await rows(conn, 'SHOW CREATE EVENT r.again');
      expect(after).toEqual(before);
      const [le] = await rows(conn, "SELECT LAST_EXECUTED IS NOT NULL AS ran FROM information_schema.EVENTS WHERE EVENT_NAME = 'again'");
      expect(Number(le!['ran'])).toBe(1);
      const n = await count(conn, 'SELECT COUNT(*) FROM r.log');
      await until(async () => (await count(conn, 'SELECT COUNT(*) FROM r.log')) > n, 'a run after the restart');
    } finally {
      await conn.end();
      await s.stop();
      const { rmSync } = await import('node:fs');
      rmSync(parent, { recursive: true, force: true });
    }
  });

  it(req(['CORE-EVT-003#upgrade'], 'wire', 'a data directory whose dictionary has no events table gets one at start-up and keeps its tables'), async () => {
    const { parent, datadir } = await initializedDatadir();
    const { rmSync, existsSync } = await import('node:fs');
    const { join } = await import('node:path');
    let s = await startTestServer({ datadir });
    let conn = await s.connect();
    await conn.query('CREATE DATABASE old');
    await conn.query('CREATE TABLE old.t (a INT)');
    await conn.query('INSERT INTO old.t VALUES (1), (2)');
    await conn.end();
    await s.stop();
    // As written by a server from before events: no mysql/events.ibd.
    rmSync(join(datadir, 'mysql', 'events.ibd'));
    s = await startTestServer({ datadir });
    conn = await s.connect();
    try {
      expect(existsSync(join(datadir, 'mysql', 'events.ibd'))).toBe(true);
      expect(await count(conn, 'SELECT COUNT(*) FROM old.t')).toBe(2);
      await conn.query('CREATE EVENT old.e ON SCHEDULE EVERY 1 DAY DISABLE DO SELECT 1');
      expect((await rows(conn, 'SHOW EVENTS FROM old')).map((r) => r['Name'])).toEqual(['e']);
    } finally {
      await conn.end();
      await s.stop();
      rmSync(parent, { recursive: true, force: true });
    }
  });

  it(req(['CORE-EVT-005#disabled'], 'wire', 'started with event_scheduler=DISABLED, the scheduler cannot be switched (1290) and events do not run'), async () => {
    const s = await startTestServer({ options: { 'event-scheduler': 'DISABLED' } });
    const conn = await s.connect();
    try {
      const [v] = await rows(conn, 'SELECT @@global.event_scheduler AS v');
      expect(v!['v']).toBe('DISABLED');
      for (const value of ['ON', 'OFF']) {
        const e = await failureOf(conn.query(`SET GLOBAL event_scheduler = ${value}`));
        expect([e.errno, e.sqlState, e.sqlMessage]).toEqual([1290, 'HY000', 'The MySQL server is running with the --event-scheduler=DISABLED or --skip-grant-tables option so it cannot execute this statement']);
      }
      await conn.query('CREATE DATABASE d');
      await conn.query('CREATE TABLE d.t (a INT)');
      await conn.query('CREATE EVENT d.e ON SCHEDULE EVERY 1 SECOND DO INSERT INTO d.t VALUES (1)');
      await conn.query('DO SLEEP(1.5)');
      expect(await count(conn, 'SELECT COUNT(*) FROM d.t')).toBe(0);
      expect(await count(conn, "SELECT COUNT(*) FROM information_schema.PROCESSLIST WHERE USER = 'event_scheduler'")).toBe(0);
    } finally {
      await conn.end();
      await s.stop();
    }
  });
});
