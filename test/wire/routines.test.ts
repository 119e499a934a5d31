/**
 * Stored procedures and functions over the wire (mysql2): CREATE / ALTER / DROP, CALL with
 * result sets (multi-result), OUT / INOUT parameters, the compound-statement language
 * (variables, handlers, cursors, flow control, SIGNAL / RESIGNAL, GET DIAGNOSTICS), stored
 * functions in expressions, recursion limits, SHOW / information_schema, and the errors.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type mysql from 'mysql2/promise';
import { req } from '../helpers/req.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { queryError, queryRows } from '../helpers/sql.js';

let srv: TestServer;
let c: mysql.Connection;


const rows = queryRows;

/** Run a script of statements separated by lines holding only `//` (as a DELIMITER would). */
async function script(conn: mysql.Connection, text: string): Promise<void> {
  for (const s of text.split(/^\/\/$/m).map((x) => x.trim()).filter((x) => x.length > 0)) await conn.query(s);
}

/**
 * The status flags of every EOF packet that ends a result set, read off the wire by wrapping
 * mysql2's packet handler (private API, as test/peers/runner.ts does): mysql2 does not expose them.
 */
function eofStatuses(conn: mysql.Connection): number[] {
  const seen: number[] = [];
  const core = (conn as unknown as { connection?: { handlePacket(p: { buffer: Buffer; offset: number; length(): number } | undefined): unknown } }).connection;
  if (!core) throw new Error('mysql2 internals changed');
  const original = core.handlePacket.bind(core);
  core.handlePacket = (packet) => {
    if (packet && packet.buffer[packet.offset] === 0xfe && packet.length() >= 5 && packet.length() <= 9) seen.push(packet.buffer.readUInt16LE(packet.offset + 3));
    return original(packet);
  };
  return seen;
}

const MORE_RESULTS = 0x0008;
const PS_OUT_PARAMS = 0x1000;

beforeAll(async () => {
  srv = await startTestServer();
  c = await srv.connect({ multipleStatements: true });
  await c.query('CREATE DATABASE sp');
  await c.query('USE sp');
  await c.query('CREATE TABLE t (id INT NOT NULL PRIMARY KEY, v INT) ENGINE=InnoDB');
  await c.query('INSERT INTO t VALUES (1, 10), (2, 20), (3, 30)');
});

afterAll(async () => {
  await c?.end();
  await srv?.stop();
});

describe('definitions', () => {
  it(req(['CORE-SP-001#create', 'CORE-SP-060'], 'wire', 'CREATE PROCEDURE with DEFINER, parameters and characteristics; SHOW CREATE PROCEDURE rebuilds it'), async () => {
    await c.query(
      "CREATE DEFINER=`root`@`localhost` PROCEDURE def_p(IN a INT, OUT b VARCHAR(10), INOUT c DECIMAL(5,2))\n" +
        "  COMMENT 'it''s mine' LANGUAGE SQL DETERMINISTIC READS SQL DATA SQL SECURITY INVOKER\n" +
        'BEGIN\n  SET b = CONCAT(a, \'!\');\nEND',
    );
    const r = await rows(c, 'SHOW CREATE PROCEDURE def_p');
    expect(Object.keys(r[0]!)).toEqual(['Procedure', 'sql_mode', 'Create Procedure', 'character_set_client', 'collation_connection', 'Database Collation']);
    expect(r[0]!['Procedure']).toBe('def_p');
    expect(r[0]!['Create Procedure']).toBe(
      "CREATE DEFINER=`root`@`localhost` PROCEDURE `def_p`(IN a INT, OUT b VARCHAR(10), INOUT c DECIMAL(5,2))\n" +
        "    READS SQL DATA\n    DETERMINISTIC\n    SQL SECURITY INVOKER\n    COMMENT 'it''s mine'\n" +
        "BEGIN\n  SET b = CONCAT(a, '!');\nEND",
    );
    expect(r[0]!['character_set_client']).toBe('utf8mb4');
    expect(r[0]!['Database Collation']).toBe('utf8mb4_0900_ai_ci');
    const [mode] = await rows(c, 'SELECT @@sql_mode AS m');
    expect(r[0]!['sql_mode']).toBe(mode!['m']);
    await c.query('CREATE FUNCTION def_f(x INT) RETURNS INT DETERMINISTIC RETURN x + 1');
    const f = await rows(c, 'SHOW CREATE FUNCTION def_f');
    expect(Object.keys(f[0]!).slice(0, 3)).toEqual(['Function', 'sql_mode', 'Create Function']);
    expect(f[0]!['Create Function']).toBe('CREATE DEFINER=`root`@`localhost` FUNCTION `def_f`(x INT) RETURNS INT\n    DETERMINISTIC\nRETURN x + 1');
  });

  it(req(['CORE-SP-001#e1304'], 'wire', 'an existing name fails with 1304; IF NOT EXISTS leaves a 1304 note'), async () => {
    await c.query('CREATE PROCEDURE dup_p() SET @x = 1');
    expect(await queryError(c, 'CREATE PROCEDURE dup_p() SET @x = 2')).toEqual({ errno: 1304, message: 'PROCEDURE dup_p already exists' });
    await c.query('CREATE PROCEDURE IF NOT EXISTS dup_p() SET @x = 3');
    const w = await rows(c, 'SHOW WARNINGS');
    expect(w.map((x) => [x['Level'], x['Code'], x['Message']])).toEqual([['Note', 1304, 'PROCEDURE dup_p already exists']]);
    // A function may share a procedure's name.
    await c.query('CREATE FUNCTION dup_p() RETURNS INT RETURN 7');
    expect((await rows(c, 'SELECT dup_p() AS v'))[0]!['v']).toBe(7);
  });

  it(req(['CORE-SP-001#e1046'], 'wire', 'without a default database CREATE fails with 1046; an unknown database with 1049'), async () => {
    const c2 = await srv.connect();
    try {
      expect((await queryError(c2, 'CREATE PROCEDURE nodb() SET @x = 1')).errno).toBe(1046);
      expect(await queryError(c2, 'CREATE PROCEDURE nosuchdb.p() SET @x = 1')).toEqual({ errno: 1049, message: "Unknown database 'nosuchdb'" });
    } finally {
      await c2.end();
    }
  });

  it(req(['CORE-SP-003'], 'wire', 'DROP / ALTER of a missing routine fail with 1305; IF EXISTS notes it; ALTER changes the characteristics'), async () => {
    expect(await queryError(c, 'DROP PROCEDURE nosuch_p')).toEqual({ errno: 1305, message: 'PROCEDURE sp.nosuch_p does not exist' });
    expect(await queryError(c, 'DROP FUNCTION nosuch_f')).toEqual({ errno: 1305, message: 'FUNCTION sp.nosuch_f does not exist' });
    expect(await queryError(c, "ALTER PROCEDURE nosuch_p COMMENT 'x'")).toEqual({ errno: 1305, message: 'PROCEDURE sp.nosuch_p does not exist' });
    await c.query('DROP PROCEDURE IF EXISTS nosuch_p');
    expect((await rows(c, 'SHOW WARNINGS')).map((x) => [x['Code'], x['Message']])).toEqual([[1305, 'PROCEDURE sp.nosuch_p does not exist']]);
    await c.query('CREATE PROCEDURE alt_p() SET @x = 1');
    await c.query("ALTER PROCEDURE alt_p COMMENT 'changed' SQL SECURITY INVOKER MODIFIES SQL DATA");
    const s = await rows(c, "SHOW PROCEDURE STATUS WHERE Db = 'sp' AND Name = 'alt_p'");
    expect([s[0]!['Comment'], s[0]!['Security_type']]).toEqual(['changed', 'INVOKER']);
    const r = await rows(c, "SELECT SQL_DATA_ACCESS FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = 'sp' AND ROUTINE_NAME = 'alt_p'");
    expect(r[0]!['SQL_DATA_ACCESS']).toBe('MODIFIES SQL DATA');
    await c.query('DROP PROCEDURE alt_p');
    expect((await queryError(c, 'CALL alt_p()')).errno).toBe(1305);
  });

  it(req(['CORE-SP-002'], 'wire', 'a multi-statement query may hold a CREATE PROCEDURE ... END followed by other statements'), async () => {
    const [res] = await c.query<mysql.RowDataPacket[][]>('CREATE PROCEDURE multi_p() BEGIN SELECT 1 AS a; SELECT 2 AS b; END; CALL multi_p(); SELECT 3 AS c');
    // OK of CREATE, the two result sets of the CALL, the CALL's OK, then SELECT 3.
    expect(res.length).toBe(5);
    expect(res[1]).toEqual([{ a: 1 }]);
    expect(res[2]).toEqual([{ b: 2 }]);
    expect(res[4]).toEqual([{ c: 3 }]);
  });
});

describe('CALL', () => {
  it(req(['CORE-SP-021#results'], 'wire', 'each SELECT of a procedure is a result set, then the OK of the CALL'), async () => {
    await c.query('CREATE PROCEDURE rs_p(lim INT) BEGIN SELECT id FROM t WHERE id <= lim ORDER BY id; SELECT COUNT(*) AS n FROM t; UPDATE t SET v = v WHERE id = 1; END');
    const k = await srv.connect({ database: 'sp' });
    const statuses = eofStatuses(k);
    const [res] = await k.query<mysql.RowDataPacket[][]>('CALL rs_p(2)');
    await k.end();
    // Both result sets end with an EOF flagged SERVER_MORE_RESULTS_EXISTS (each has two EOFs:
    // after the column definitions and after the rows).
    expect(statuses.length).toBe(4);
    expect(statuses.every((x) => (x & MORE_RESULTS) !== 0)).toBe(true);
    expect(res.length).toBe(3);
    expect(res[0]).toEqual([{ id: 1 }, { id: 2 }]);
    expect(res[1]).toEqual([{ n: 3 }]);
    const ok = res[2] as unknown as mysql.ResultSetHeader;
    // The CALL's OK carries the affected rows of the last statement (the UPDATE: mysql2 asks
    // for found rows, so the matched row counts).
    expect(ok.affectedRows).toBe(1);
    expect(ok.serverStatus & 8).toBe(0);
    // The session goes on normally after the multi-result.
    expect(await rows(c, 'SELECT 42 AS x')).toEqual([{ x: 42 }]);
  });

  it(req(['CORE-SP-021#e1312'], 'wire', 'a client without CLIENT_MULTI_RESULTS gets 1312 for a result set, but may CALL procedures that return none'), async () => {
    const c2 = await srv.connect({ database: 'sp', flags: ['-MULTI_RESULTS'] } as mysql.ConnectionOptions);
    try {
      await c.query('CREATE PROCEDURE sel_p() SELECT 1');
      expect(await queryError(c2, 'CALL sel_p()')).toEqual({ errno: 1312, message: "PROCEDURE sp.sel_p can't return a result set in the given context" });
      await c2.query('CALL dup_p()');
      expect((await rows(c2, 'SELECT @x AS x'))[0]!['x']).toBe(1);
    } finally {
      await c2.end();
    }
  });

  it(req(['CORE-SP-024', 'CORE-SP-020'], 'wire', 'OUT and INOUT parameters write back to user variables; wrong argument count is 1318, a non-variable OUT is 1414'), async () => {
    await c.query('CREATE PROCEDURE io_p(IN a INT, OUT b INT, INOUT s VARCHAR(20)) BEGIN SET b = a * 2; SET s = CONCAT(s, \'-\', a); END');
    await c.query("SET @b = 99, @s = 'x'");
    await c.query('CALL io_p(21, @b, @s)');
    expect(await rows(c, 'SELECT @b AS b, @s AS s')).toEqual([{ b: 42, s: 'x-21' }]);
    expect(await queryError(c, 'CALL io_p(1, @b)')).toEqual({ errno: 1318, message: 'Incorrect number of arguments for PROCEDURE sp.io_p; expected 3, got 2' });
    expect(await queryError(c, "CALL io_p(1, 2, @s)")).toEqual({ errno: 1414, message: 'OUT or INOUT argument 2 for routine sp.io_p is not a variable or NEW pseudo-variable in BEFORE trigger' });
    expect(await queryError(c, 'CALL nosuch_proc()')).toEqual({ errno: 1305, message: 'PROCEDURE sp.nosuch_proc does not exist' });
  });

  it(req(['CORE-SP-023'], 'wire', 'a prepared CALL returns its OUT / INOUT parameters as a result set (SERVER_PS_OUT_PARAMS)'), async () => {
    await c.query('CREATE PROCEDURE ps_p(IN a INT, OUT b INT, INOUT s VARCHAR(10)) BEGIN SET b = a + 1; SET s = UPPER(s); END');
    const k = await srv.connect({ database: 'sp' });
    try {
      const statuses = eofStatuses(k);
      const [res] = await k.execute<mysql.RowDataPacket[][]>('CALL ps_p(?, ?, ?)', [5, null, 'abc']);
      expect(res.length).toBe(2);
      expect(res[0]).toEqual([{ b: 6, s: 'ABC' }]);
      // The parameter result set's EOFs carry SERVER_PS_OUT_PARAMS and SERVER_MORE_RESULTS_EXISTS.
      const flagged = statuses.filter((x) => (x & PS_OUT_PARAMS) !== 0);
      expect(flagged.length).toBeGreaterThan(0);
      expect(flagged.every((x) => (x & MORE_RESULTS) !== 0)).toBe(true);
      statuses.length = 0;
      await k.query('CALL ps_p(1, @b, @s)');
      expect(statuses.filter((x) => (x & PS_OUT_PARAMS) !== 0)).toEqual([]);
    } finally {
      await k.end();
    }
    // A procedure with a result set and OUT parameters: the result set, the parameters, the OK.
    await c.query('CREATE PROCEDURE ps_q(OUT n INT) BEGIN SELECT id FROM t ORDER BY id LIMIT 1; SET n = 7; END');
    const [res2] = await c.execute<mysql.RowDataPacket[][]>('CALL ps_q(?)', [null]);
    expect(res2.length).toBe(3);
    expect(res2[0]).toEqual([{ id: 1 }]);
    expect(res2[1]).toEqual([{ n: 7 }]);
  });

  it(req(['CORE-SP-022'], 'wire', 'an unhandled error ends the CALL with that error; statements before it stay committed under autocommit; the session stays usable'), async () => {
    await c.query('CREATE TABLE ac (id INT PRIMARY KEY) ENGINE=InnoDB');
    await c.query('CREATE PROCEDURE err_p() BEGIN INSERT INTO ac VALUES (1); INSERT INTO ac VALUES (1); INSERT INTO ac VALUES (2); END');
    expect(await queryError(c, 'CALL err_p()')).toEqual({ errno: 1062, message: "Duplicate entry '1' for key 'ac.PRIMARY'" });
    expect(await rows(c, 'SELECT id FROM ac ORDER BY id')).toEqual([{ id: 1 }]);
    // Inside an explicit transaction ROLLBACK undoes the procedure's work.
    await c.query('START TRANSACTION');
    await c.query('CREATE PROCEDURE ins_p(x INT) INSERT INTO ac VALUES (x)');
    await c.query('START TRANSACTION');
    await c.query('CALL ins_p(5)');
    await c.query('ROLLBACK');
    expect(await rows(c, 'SELECT id FROM ac ORDER BY id')).toEqual([{ id: 1 }]);
    expect(await rows(c, 'SELECT 1 AS ok')).toEqual([{ ok: 1 }]);
  });
});

describe('compound statements', () => {
  it(req(['CORE-SP-011'], 'wire', 'DECLARE ... DEFAULT, typed assignment (strict errors), local variables win over columns, SELECT ... INTO locals'), async () => {
    await script(c, `
CREATE PROCEDURE var_p(OUT r1 INT, OUT r2 VARCHAR(20))
BEGIN
  DECLARE v INT DEFAULT 99;
  DECLARE a, b DECIMAL(5,2) DEFAULT 1.005;
  DECLARE id INT DEFAULT 2;
  SELECT v INTO r1 FROM t WHERE t.id = id;
  SELECT CONCAT(a, '/', b) INTO r2;
END
//
CREATE PROCEDURE narrow_p() BEGIN DECLARE n TINYINT; SET n = 1000; END
//
CREATE PROCEDURE long_p() BEGIN DECLARE s VARCHAR(3); SET s = 'abcdef'; END
//
CREATE PROCEDURE shadow_p() BEGIN DECLARE v INT DEFAULT -1; SELECT v FROM t ORDER BY id; END
`);
    await c.query('CALL var_p(@r1, @r2)');
    // t.id = id compares with the local variable id = 2: the row of id 2 has v = 20, but the
    // local v (99) wins over the column v.
    expect(await rows(c, 'SELECT @r1 AS r1, @r2 AS r2')).toEqual([{ r1: 99, r2: '1.01/1.01' }]);
    expect(await queryError(c, 'CALL narrow_p()')).toEqual({ errno: 1264, message: "Out of range value for column 'n' at row 1" });
    expect(await queryError(c, 'CALL long_p()')).toEqual({ errno: 1406, message: "Data too long for column 's' at row 1" });
    const [res] = await c.query<mysql.RowDataPacket[][]>('CALL shadow_p()');
    expect(res[0]).toEqual([{ v: -1 }, { v: -1 }, { v: -1 }]);
  });

  it(req(['CORE-SP-014'], 'wire', 'IF / ELSEIF, both CASE forms (1339 without a match), LOOP with LEAVE / ITERATE, WHILE, REPEAT'), async () => {
    await script(c, `
CREATE PROCEDURE flow_p(n INT, OUT r VARCHAR(200))
BEGIN
  DECLARE i INT DEFAULT 0;
  SET r = '';
  outer_l: LOOP
    SET i = i + 1;
    IF i > n THEN LEAVE outer_l; ELSEIF MOD(i, 3) = 0 THEN ITERATE outer_l; END IF;
    SET r = CONCAT(r, CASE MOD(i, 2) WHEN 0 THEN 'e' ELSE 'o' END);
  END LOOP outer_l;
  WHILE i > 0 DO SET i = i - 2; END WHILE;
  REPEAT SET i = i + 5; UNTIL i >= 10 END REPEAT;
  SET r = CONCAT(r, ':', i);
  CASE WHEN n > 100 THEN SET r = 'big'; WHEN n < 0 THEN SET r = 'neg'; ELSE BEGIN END; END CASE;
  CASE n WHEN 7 THEN SET r = CONCAT(r, ':seven'); END CASE;
END
`);
    await c.query('CALL flow_p(7, @r)');
    expect((await rows(c, 'SELECT @r AS r'))[0]!['r']).toBe('oeeoo:10:seven');
    expect(await queryError(c, 'CALL flow_p(5, @r)')).toEqual({ errno: 1339, message: 'Case not found for CASE statement' });
  });

  it(req(['CORE-SP-012'], 'wire', 'CONTINUE and EXIT handlers, the most specific handler wins, named conditions, nested blocks'), async () => {
    await script(c, `
CREATE PROCEDURE h_p(OUT r VARCHAR(100))
BEGIN
  DECLARE no_table CONDITION FOR SQLSTATE '42S02';
  DECLARE CONTINUE HANDLER FOR SQLEXCEPTION SET r = CONCAT(r, 'any;');
  DECLARE CONTINUE HANDLER FOR 1062 SET r = CONCAT(r, 'dup;');
  DECLARE CONTINUE HANDLER FOR no_table SET r = CONCAT(r, 'notable;');
  SET r = '';
  INSERT INTO t VALUES (1, 1);
  SELECT * FROM no_such_table;
  SELECT 1 INTO @x FROM t WHERE no_col = 1;
  inner_b: BEGIN
    DECLARE EXIT HANDLER FOR SQLEXCEPTION SET r = CONCAT(r, 'inner-exit;');
    SET r = CONCAT(r, 'in;');
    INSERT INTO t VALUES (2, 2);
    SET r = CONCAT(r, 'not-reached;');
  END inner_b;
  SET r = CONCAT(r, 'after;');
END
`);
    await c.query('CALL h_p(@r)');
    expect((await rows(c, 'SELECT @r AS r'))[0]!['r']).toBe('dup;notable;any;in;inner-exit;after;');
    // A handled condition does not stay in the diagnostics area.
    expect(await rows(c, 'SHOW WARNINGS')).toEqual([]);
  });

  it(req(['CORE-SP-013'], 'wire', 'cursors: OPEN / FETCH / CLOSE with a NOT FOUND handler; 1329, 1325 and 1326 otherwise'), async () => {
    await script(c, `
CREATE PROCEDURE cur_p(OUT total INT, OUT cnt INT)
BEGIN
  DECLARE done BOOL DEFAULT FALSE;
  DECLARE a, b INT;
  DECLARE cur CURSOR FOR SELECT id, v FROM t ORDER BY id;
  DECLARE CONTINUE HANDLER FOR NOT FOUND SET done = TRUE;
  SET total = 0, cnt = 0;
  OPEN cur;
  read_loop: LOOP
    FETCH cur INTO a, b;
    IF done THEN LEAVE read_loop; END IF;
    SET total = total + a * b, cnt = cnt + 1;
  END LOOP;
  CLOSE cur;
END
//
CREATE PROCEDURE cur_end() BEGIN DECLARE a INT; DECLARE c1 CURSOR FOR SELECT id FROM t WHERE id > 100; OPEN c1; FETCH c1 INTO a; END
//
CREATE PROCEDURE cur_twice() BEGIN DECLARE c1 CURSOR FOR SELECT id FROM t; OPEN c1; OPEN c1; END
//
CREATE PROCEDURE cur_closed() BEGIN DECLARE a INT; DECLARE c1 CURSOR FOR SELECT id FROM t; FETCH c1 INTO a; END
//
CREATE PROCEDURE cur_args() BEGIN DECLARE a INT; DECLARE c1 CURSOR FOR SELECT id, v FROM t; OPEN c1; FETCH c1 INTO a; END
`);
    await c.query('CALL cur_p(@total, @cnt)');
    expect(await rows(c, 'SELECT @total AS total, @cnt AS cnt')).toEqual([{ total: 140, cnt: 3 }]);
    expect(await queryError(c, 'CALL cur_end()')).toEqual({ errno: 1329, message: 'No data - zero rows fetched, selected, or processed' });
    expect(await queryError(c, 'CALL cur_twice()')).toEqual({ errno: 1325, message: 'Cursor is already open' });
    expect(await queryError(c, 'CALL cur_closed()')).toEqual({ errno: 1326, message: 'Cursor is not open' });
    expect(await queryError(c, 'CALL cur_args()')).toEqual({ errno: 1328, message: 'Incorrect number of FETCH variables' });
  });

  it(req(['CORE-SP-015'], 'wire', 'SIGNAL sets SQLSTATE, errno and message; a warning class is recorded and the CALL goes on; RESIGNAL changes a caught condition'), async () => {
    await script(c, `
CREATE PROCEDURE sig_p(x INT)
BEGIN
  IF x = 1 THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'custom failure', MYSQL_ERRNO = 5001; END IF;
  IF x = 2 THEN SIGNAL SQLSTATE '45000'; END IF;
  IF x = 3 THEN SIGNAL SQLSTATE '01000' SET MESSAGE_TEXT = 'just a warning'; SET @after = 'ran'; END IF;
END
//
CREATE PROCEDURE resig_p()
BEGIN
  DECLARE EXIT HANDLER FOR SQLEXCEPTION RESIGNAL SET MESSAGE_TEXT = 'wrapped: no table';
  SELECT * FROM no_such_table;
END
`);
    try {
      await c.query('CALL sig_p(1)');
      throw new Error('no error');
    } catch (e) {
      const x = e as { errno: number; sqlState: string; message: string };
      expect([x.errno, x.sqlState, x.message]).toEqual([5001, '45000', 'custom failure']);
    }
    expect(await queryError(c, 'CALL sig_p(2)')).toEqual({ errno: 1644, message: 'Unhandled user-defined exception condition' });
    await c.query('CALL sig_p(3)');
    expect((await rows(c, 'SELECT @after AS a'))[0]!['a']).toBe('ran');
    try {
      await c.query('CALL resig_p()');
      throw new Error('no error');
    } catch (e) {
      const x = e as { errno: number; sqlState: string; message: string };
      expect([x.errno, x.sqlState, x.message]).toEqual([1146, '42S02', 'wrapped: no table']);
    }
    expect(await queryError(c, 'RESIGNAL')).toEqual({ errno: 1645, message: 'RESIGNAL when handler not active' });
    expect(await queryError(c, "SIGNAL SQLSTATE '00000'")).toEqual({ errno: 1407, message: "Bad SQLSTATE: '00000'" });
  });

  it(req(['CORE-SP-016'], 'wire', 'GET [CURRENT | STACKED] DIAGNOSTICS in handlers and after a failing statement; 1758 for a bad condition number'), async () => {
    await script(c, `
CREATE PROCEDURE diag_p(OUT st VARCHAR(5), OUT no INT, OUT msg VARCHAR(200), OUT n INT)
BEGIN
  DECLARE EXIT HANDLER FOR SQLEXCEPTION
  BEGIN
    GET STACKED DIAGNOSTICS n = NUMBER;
    GET STACKED DIAGNOSTICS CONDITION 1 st = RETURNED_SQLSTATE, no = MYSQL_ERRNO, msg = MESSAGE_TEXT;
  END;
  INSERT INTO t VALUES (3, 3);
END
`);
    await c.query('CALL diag_p(@st, @no, @msg, @n)');
    expect(await rows(c, 'SELECT @st AS st, @no AS no, @msg AS msg, @n AS n')).toEqual([{ st: '23000', no: 1062, msg: "Duplicate entry '3' for key 't.PRIMARY'", n: 1 }]);
    await queryError(c, 'SELECT * FROM no_such_tbl');
    await c.query('GET DIAGNOSTICS @cnt = NUMBER; GET DIAGNOSTICS CONDITION 1 @s = RETURNED_SQLSTATE, @e = MYSQL_ERRNO');
    expect(await rows(c, 'SELECT @cnt AS cnt, @s AS s, @e AS e')).toEqual([{ cnt: 1, s: '42S02', e: 1146 }]);
    expect(await queryError(c, 'GET DIAGNOSTICS CONDITION 9 @s = RETURNED_SQLSTATE')).toEqual({ errno: 1758, message: 'Invalid condition number' });
    expect(await queryError(c, 'GET STACKED DIAGNOSTICS @n = NUMBER')).toEqual({ errno: 1887, message: 'GET STACKED DIAGNOSTICS when handler not active' });
  });

  it(req(['CORE-SP-010'], 'wire', 'invalid bodies: 1064 at the offending text, and the scoping errors of the compound-statement language'), async () => {
    expect(await queryError(c, 'CREATE PROCEDURE bad_p() BEGIN SELEC 1; END')).toEqual({
      errno: 1064,
      message: "You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use near 'SELEC 1; END' at line 1",
    });
    expect(await queryError(c, 'CREATE PROCEDURE bad_p() BEGIN LEAVE nowhere; END')).toEqual({ errno: 1308, message: 'LEAVE with no matching label: nowhere' });
    expect(await queryError(c, 'CREATE PROCEDURE bad_p() l: BEGIN ITERATE l; END')).toEqual({ errno: 1308, message: 'ITERATE with no matching label: l' });
    expect(await queryError(c, 'CREATE PROCEDURE bad_p() l: LOOP l: LOOP LEAVE l; END LOOP; END LOOP')).toEqual({ errno: 1309, message: 'Redefining label l' });
    expect(await queryError(c, 'CREATE PROCEDURE bad_p() a: BEGIN END b')).toEqual({ errno: 1310, message: 'End-label b without match' });
    expect(await queryError(c, 'CREATE PROCEDURE bad_p() RETURN 1')).toEqual({ errno: 1313, message: 'RETURN is only allowed in a FUNCTION' });
    expect(await queryError(c, 'CREATE PROCEDURE bad_p() BEGIN DECLARE CONTINUE HANDLER FOR nocond SET @a = 1; END')).toEqual({ errno: 1319, message: 'Undefined CONDITION: nocond' });
    expect(await queryError(c, 'CREATE FUNCTION bad_f() RETURNS INT BEGIN END')).toEqual({ errno: 1320, message: 'No RETURN found in FUNCTION bad_f' });
    expect(await queryError(c, 'CREATE PROCEDURE bad_p() BEGIN OPEN nocur; END')).toEqual({ errno: 1324, message: 'Undefined CURSOR: nocur' });
    expect(await queryError(c, 'CREATE PROCEDURE bad_p() BEGIN DECLARE a INT; FETCH x INTO a; END')).toEqual({ errno: 1324, message: 'Undefined CURSOR: x' });
    expect(await queryError(c, 'CREATE PROCEDURE bad_p(a INT, a INT) BEGIN END')).toEqual({ errno: 1330, message: 'Duplicate parameter: a' });
    expect(await queryError(c, 'CREATE PROCEDURE bad_p() BEGIN DECLARE a INT; DECLARE a INT; END')).toEqual({ errno: 1331, message: 'Duplicate variable: a' });
    expect(await queryError(c, "CREATE PROCEDURE bad_p() BEGIN DECLARE c CONDITION FOR 1051; DECLARE c CONDITION FOR 1052; END")).toEqual({ errno: 1332, message: 'Duplicate condition: c' });
    expect(await queryError(c, 'CREATE PROCEDURE bad_p() BEGIN DECLARE c CURSOR FOR SELECT 1; DECLARE c CURSOR FOR SELECT 2; END')).toEqual({ errno: 1333, message: 'Duplicate cursor: c' });
    expect(await queryError(c, 'CREATE PROCEDURE bad_p() BEGIN DECLARE c CURSOR FOR SELECT 1; DECLARE a INT; END')).toEqual({ errno: 1337, message: 'Variable or condition declaration after cursor or handler declaration' });
    expect(await queryError(c, 'CREATE PROCEDURE bad_p() BEGIN DECLARE CONTINUE HANDLER FOR 1051 SET @a = 1; DECLARE c CURSOR FOR SELECT 1; END')).toEqual({ errno: 1338, message: 'Cursor declaration after handler declaration' });
    expect(await queryError(c, 'CREATE PROCEDURE bad_p() BEGIN DECLARE CONTINUE HANDLER FOR 1051, 1051 SET @a = 1; END')).toEqual({ errno: 1413, message: 'Duplicate handler declared in the same block' });
    expect(await queryError(c, 'CREATE PROCEDURE bad_p() BEGIN SET nosuchvar = 1; END')).toEqual({ errno: 1193, message: "Unknown system variable 'nosuchvar'" });
    expect(await queryError(c, 'CREATE PROCEDURE bad_p() BEGIN DECLARE a INT; FETCH NEXT FROM c INTO b; END')).toEqual({ errno: 1324, message: 'Undefined CURSOR: c' });
    expect(await queryError(c, 'CREATE PROCEDURE bad_p() SELECT 1 INTO undeclared_x')).toEqual({ errno: 1327, message: 'Undeclared variable: undeclared_x' });
    expect((await rows(c, "SELECT COUNT(*) AS n FROM information_schema.ROUTINES WHERE ROUTINE_NAME LIKE 'bad%'"))[0]!['n']).toBe(0);
  });

  it(req(['CORE-SP-040'], 'wire', 'statements a routine may not hold: 1314 (LOCK, USE), 1303 (CREATE PROCEDURE inside), 1422 / 1336 / 1415 in functions'), async () => {
    expect(await queryError(c, 'CREATE PROCEDURE bad_p() BEGIN LOCK TABLES t READ; END')).toEqual({ errno: 1314, message: 'LOCK is not allowed in stored procedures' });
    expect(await queryError(c, 'CREATE PROCEDURE bad_p() USE sp')).toEqual({ errno: 1314, message: 'USE is not allowed in stored procedures' });
    expect(await queryError(c, 'CREATE PROCEDURE bad_p() CREATE PROCEDURE inner_p() SET @a = 1')).toEqual({ errno: 1303, message: "Can't create a PROCEDURE from within another stored routine" });
    expect(await queryError(c, 'CREATE FUNCTION bad_f() RETURNS INT BEGIN COMMIT; RETURN 1; END')).toEqual({ errno: 1422, message: 'Explicit or implicit commit is not allowed in stored function or trigger.' });
    expect(await queryError(c, 'CREATE FUNCTION bad_f() RETURNS INT BEGIN CREATE TABLE x (a INT); RETURN 1; END')).toEqual({ errno: 1422, message: 'Explicit or implicit commit is not allowed in stored function or trigger.' });
    expect(await queryError(c, "CREATE FUNCTION bad_f() RETURNS INT BEGIN PREPARE s FROM 'SELECT 1'; RETURN 1; END")).toEqual({ errno: 1336, message: 'Dynamic SQL is not allowed in stored function or trigger' });
    expect(await queryError(c, 'CREATE FUNCTION bad_f() RETURNS INT BEGIN SELECT 1; RETURN 1; END')).toEqual({ errno: 1415, message: 'Not allowed to return a result set from a function' });
  });
});

describe('stored functions', () => {
  it(req(['CORE-SP-030'], 'wire', 'stored functions in the select list, WHERE, SET and nested calls; RETURN converts to the RETURNS type'), async () => {
    await script(c, `
CREATE FUNCTION tax(x INT) RETURNS DECIMAL(8,2) DETERMINISTIC RETURN x * 1.075
//
CREATE FUNCTION label_of(x INT) RETURNS VARCHAR(20) READS SQL DATA
BEGIN
  DECLARE s VARCHAR(20);
  SELECT CONCAT('row', id) INTO s FROM t WHERE v = x;
  RETURN IFNULL(s, 'none');
END
//
CREATE FUNCTION rounds() RETURNS INT DETERMINISTIC RETURN 2.6
`);
    expect(await rows(c, 'SELECT id, tax(v) AS tv FROM t WHERE tax(v) > 20 ORDER BY id')).toEqual([{ id: 2, tv: '21.50' }, { id: 3, tv: '32.25' }]);
    expect(await rows(c, 'SELECT label_of(20) AS a, label_of(5) AS b, sp.rounds() AS r')).toEqual([{ a: 'row2', b: 'none', r: 3 }]);
    // The inner result 107.50 becomes the INT parameter 108 of the outer call.
    await c.query('SET @z = tax(tax(100))');
    expect((await rows(c, 'SELECT @z AS z'))[0]!['z']).toBe('116.10');
    // In UPDATE ... SET, INSERT ... VALUES and inside a view.
    await c.query('CREATE TABLE fx (k INT PRIMARY KEY, p INT) ENGINE=InnoDB');
    await c.query('INSERT INTO fx VALUES (1, tax(10)), (2, tax(20)), (3, 0)');
    await c.query('UPDATE fx SET p = tax(p) WHERE k <= 2');
    await c.query('DELETE FROM fx WHERE p = 0');
    expect(await rows(c, 'SELECT k, p FROM fx ORDER BY k')).toEqual([{ k: 1, p: 12 }, { k: 2, p: 24 }]);
    await c.query('CREATE VIEW fxv AS SELECT k, label_of(p * 0 + 10) AS l FROM fx');
    expect(await rows(c, 'SELECT k, l FROM fxv ORDER BY k')).toEqual([{ k: 1, l: 'row1' }, { k: 2, l: 'row1' }]);
    // Prepared over the binary protocol.
    const [ps] = await c.execute<mysql.RowDataPacket[]>('SELECT tax(?) AS t, label_of(?) AS l', [100, 30]);
    expect(ps).toEqual([{ t: '107.50', l: 'row3' }]);
    expect(await queryError(c, 'SELECT tax(1, 2)')).toEqual({ errno: 1318, message: 'Incorrect number of arguments for FUNCTION sp.tax; expected 1, got 2' });
    expect(await queryError(c, 'SELECT no_such_fn(1)')).toEqual({ errno: 1305, message: 'FUNCTION sp.no_such_fn does not exist' });
  });

  it(req(['CORE-SP-031'], 'wire', 'a function that ends without RETURN fails with 1321; recursion of functions is 1424'), async () => {
    await c.query('CREATE FUNCTION no_ret(x INT) RETURNS INT BEGIN IF x > 0 THEN RETURN x; END IF; END');
    expect((await rows(c, 'SELECT no_ret(4) AS v'))[0]!['v']).toBe(4);
    expect(await queryError(c, 'SELECT no_ret(0)')).toEqual({ errno: 1321, message: 'FUNCTION no_ret ended without RETURN' });
    await script(c, `
CREATE FUNCTION fact(n INT) RETURNS INT DETERMINISTIC
BEGIN
  IF n <= 1 THEN RETURN 1; END IF;
  RETURN n * fact(n - 1);
END
`);
    expect((await rows(c, 'SELECT fact(1) AS v'))[0]!['v']).toBe(1);
    expect(await queryError(c, 'SELECT fact(3)')).toEqual({ errno: 1424, message: 'Recursive stored functions and triggers are not allowed.' });
    // A call in a branch not taken does not run (IF, CASE keep their short-circuit).
    await c.query('CREATE FUNCTION fact2(n INT) RETURNS INT DETERMINISTIC RETURN IF(n <= 1, 1, n * fact2(n - 1))');
    expect((await rows(c, 'SELECT fact2(1) AS v'))[0]!['v']).toBe(1);
    expect((await queryError(c, 'SELECT fact2(2)')).errno).toBe(1424);
    expect(await rows(c, "SELECT CASE WHEN 1 THEN 'a' ELSE no_ret(0) END AS v, IF(0, no_ret(0), 'b') AS w")).toEqual([{ v: 'a', w: 'b' }]);
  });

  it(req(['CORE-SP-032#variable'], 'wire', 'log_bin_trust_function_creators exists (global, default OFF); with log_bin OFF any function may be created'), async () => {
    expect(await rows(c, 'SELECT @@global.log_bin_trust_function_creators AS t, @@log_bin AS b')).toEqual([{ t: 0, b: 0 }]);
    await c.query('SET GLOBAL log_bin_trust_function_creators = ON');
    expect((await rows(c, 'SELECT @@global.log_bin_trust_function_creators AS t'))[0]!['t']).toBe(1);
    await c.query('SET GLOBAL log_bin_trust_function_creators = OFF');
    expect((await queryError(c, 'SET SESSION log_bin_trust_function_creators = 1')).errno).toBe(1229);
    await c.query('CREATE FUNCTION nondet() RETURNS DOUBLE RETURN RAND()');
    expect((await rows(c, 'SELECT nondet() < 1 AS ok'))[0]!['ok']).toBe(1);
  });
});

describe('limits, catalog views, concurrency', () => {
  it(req(['CORE-SP-042'], 'wire', 'recursive CALL fails with 1456 at max_sp_recursion_depth 0 and runs to the depth once raised'), async () => {
    await c.query('CREATE PROCEDURE rec_p(n INT) BEGIN IF n > 0 THEN SET @depth = @depth + 1; CALL rec_p(n - 1); END IF; END');
    expect(await queryError(c, 'CALL rec_p(1)')).toEqual({ errno: 1456, message: 'Recursive limit 0 (as set by the max_sp_recursion_depth variable) was exceeded for routine rec_p' });
    await c.query('SET SESSION max_sp_recursion_depth = 3, @depth = 0');
    await c.query('CALL rec_p(3)');
    expect((await rows(c, 'SELECT @depth AS d'))[0]!['d']).toBe(3);
    expect(await queryError(c, 'CALL rec_p(4)')).toEqual({ errno: 1456, message: 'Recursive limit 3 (as set by the max_sp_recursion_depth variable) was exceeded for routine rec_p' });
    await c.query('SET SESSION max_sp_recursion_depth = DEFAULT');
  });

  it(req(['CORE-SP-061'], 'wire', 'SHOW PROCEDURE / FUNCTION STATUS list the routines with LIKE and WHERE'), async () => {
    const p = await rows(c, "SHOW PROCEDURE STATUS LIKE 'io\\_p'");
    expect(p.length).toBe(1);
    expect(Object.keys(p[0]!)).toEqual(['Db', 'Name', 'Type', 'Definer', 'Modified', 'Created', 'Security_type', 'Comment', 'character_set_client', 'collation_connection', 'Database Collation']);
    expect([p[0]!['Db'], p[0]!['Name'], p[0]!['Type'], p[0]!['Definer'], p[0]!['Security_type']]).toEqual(['sp', 'io_p', 'PROCEDURE', 'root@localhost', 'DEFINER']);
    expect(p[0]!['Created']).toBeInstanceOf(Date);
    const f = await rows(c, "SHOW FUNCTION STATUS WHERE Name = 'tax'");
    expect(f.map((x) => [x['Name'], x['Type']])).toEqual([['tax', 'FUNCTION']]);
    expect(await rows(c, "SHOW FUNCTION STATUS LIKE 'io_p'")).toEqual([]);
  });

  it(req(['CORE-SP-062'], 'wire', 'information_schema.ROUTINES and PARAMETERS describe routines, return types and parameters'), async () => {
    const r = await rows(c, "SELECT * FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = 'sp' AND ROUTINE_NAME = 'tax'");
    expect(r.length).toBe(1);
    const x = r[0]!;
    expect([x['SPECIFIC_NAME'], x['ROUTINE_CATALOG'], x['ROUTINE_TYPE'], x['DATA_TYPE'], x['NUMERIC_PRECISION'], x['NUMERIC_SCALE'], x['DTD_IDENTIFIER']]).toEqual(['tax', 'def', 'FUNCTION', 'decimal', 8, 2, 'decimal(8,2)']);
    expect([x['ROUTINE_BODY'], x['ROUTINE_DEFINITION'], x['EXTERNAL_LANGUAGE'], x['PARAMETER_STYLE'], x['IS_DETERMINISTIC'], x['SQL_DATA_ACCESS'], x['SECURITY_TYPE'], x['DEFINER']]).toEqual(['SQL', 'RETURN x * 1.075', 'SQL', 'SQL', 'YES', 'CONTAINS SQL', 'DEFINER', 'root@localhost']);
    const p = await rows(c, "SELECT ORDINAL_POSITION AS o, PARAMETER_MODE AS m, PARAMETER_NAME AS n, DATA_TYPE AS d, CHARACTER_MAXIMUM_LENGTH AS l, DTD_IDENTIFIER AS dtd FROM information_schema.PARAMETERS WHERE SPECIFIC_SCHEMA = 'sp' AND SPECIFIC_NAME = 'io_p' ORDER BY ORDINAL_POSITION");
    expect(p).toEqual([
      { o: 1, m: 'IN', n: 'a', d: 'int', l: null, dtd: 'int' },
      { o: 2, m: 'OUT', n: 'b', d: 'int', l: null, dtd: 'int' },
      { o: 3, m: 'INOUT', n: 's', d: 'varchar', l: 20, dtd: 'varchar(20)' },
    ]);
    const fr = await rows(c, "SELECT ORDINAL_POSITION AS o, PARAMETER_MODE AS m, PARAMETER_NAME AS n FROM information_schema.PARAMETERS WHERE SPECIFIC_NAME = 'tax' ORDER BY o");
    expect(fr).toEqual([{ o: 0, m: null, n: null }, { o: 1, m: 'IN', n: 'x' }]);
  });

  it(req(['CORE-SP-041'], 'wire', 'DROP DATABASE drops its routines'), async () => {
    await c.query('CREATE DATABASE sp_gone');
    await c.query('CREATE PROCEDURE sp_gone.p() SET @g = 1');
    await c.query('CREATE FUNCTION sp_gone.f() RETURNS INT RETURN 1');
    expect((await rows(c, "SELECT COUNT(*) AS n FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = 'sp_gone'"))[0]!['n']).toBe(2);
    await c.query('DROP DATABASE sp_gone');
    expect((await rows(c, "SELECT COUNT(*) AS n FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = 'sp_gone'"))[0]!['n']).toBe(0);
    await c.query('CREATE DATABASE sp_gone');
    expect(await queryError(c, 'CALL sp_gone.p()')).toEqual({ errno: 1305, message: 'PROCEDURE sp_gone.p does not exist' });
    await c.query('DROP DATABASE sp_gone');
  });

  it(req(['CORE-SP-022'], 'wire', 'a handler whose own body fails ends the CALL with that error; KILL QUERY stops an endless loop (1317); both sessions go on'), async () => {
    await script(c, `
CREATE PROCEDURE hloop_p()
BEGIN
  DECLARE EXIT HANDLER FOR SQLEXCEPTION SELECT * FROM still_no_table;
  SELECT * FROM no_table_here;
END
//
CREATE PROCEDURE spin_p() BEGIN DECLARE i INT DEFAULT 0; LOOP SET i = i + 1; END LOOP; END
`);
    expect(await queryError(c, 'CALL hloop_p()')).toEqual({ errno: 1146, message: "Table 'sp.still_no_table' doesn't exist" });
    const worker = await srv.connect({ database: 'sp' });
    try {
      const [[idRow]] = await worker.query<mysql.RowDataPacket[]>('SELECT CONNECTION_ID() AS id');
      const spinning = worker.query('CALL spin_p()').then(
        () => null,
        (e: { errno: number }) => e.errno,
      );
      // Wait until the CALL shows in the process list, then stop it.
      for (let i = 0; i < 500; i++) {
        const pl = await rows(c, `SELECT INFO FROM information_schema.PROCESSLIST WHERE ID = ${Number(idRow!['id'])}`);
        if (pl[0]?.['INFO'] === 'CALL spin_p()') break;
        await new Promise((r) => setTimeout(r, 10));
      }
      await c.query(`KILL QUERY ${Number(idRow!['id'])}`);
      expect(await spinning).toBe(1317);
      expect(await rows(worker, 'SELECT 7 AS x')).toEqual([{ x: 7 }]);
    } finally {
      await worker.end();
    }
  });

  it(req(['CORE-SP-021#results'], 'wire', 'PREPARE / EXECUTE of a CALL passes its result sets on'), async () => {
    await c.query("PREPARE call_s FROM 'CALL rs_p(?)'");
    await c.query('SET @lim = 1');
    const [res] = await c.query<mysql.RowDataPacket[][]>('EXECUTE call_s USING @lim');
    expect(res[0]).toEqual([{ id: 1 }]);
    expect(res[1]).toEqual([{ n: 3 }]);
    await c.query('DEALLOCATE PREPARE call_s');
  });

  it(req(['CORE-SP-070'], 'wire', 'concurrent CALLs from several connections keep their own variables and results; a failing CALL leaves the others unaffected'), async () => {
    await script(c, `
CREATE TABLE conc (conn INT, i INT) ENGINE=InnoDB
//
CREATE PROCEDURE work_p(who INT, n INT)
BEGIN
  DECLARE i INT DEFAULT 0;
  WHILE i < n DO
    SET i = i + 1;
    INSERT INTO conc VALUES (who, i);
  END WHILE;
  SELECT who AS who, COUNT(*) AS cnt, SUM(conc.i) AS total FROM conc WHERE conn = who;
  IF who = 3 THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'conn 3 fails'; END IF;
END
`);
    const conns = await Promise.all([1, 2, 3, 4].map(() => srv.connect({ database: 'sp' })));
    try {
      const outcomes = await Promise.all(
        conns.map((k, idx) =>
          k.query<mysql.RowDataPacket[][]>(`CALL work_p(${idx + 1}, 200)`).then(
            ([res]) => ({ ok: res[0] }),
            (e: { errno: number; message: string }) => ({ err: [e.errno, e.message] }),
          ),
        ),
      );
      expect(outcomes[0]).toEqual({ ok: [{ who: 1, cnt: 200, total: '20100' }] });
      expect(outcomes[1]).toEqual({ ok: [{ who: 2, cnt: 200, total: '20100' }] });
      expect(outcomes[2]).toEqual({ err: [1644, 'conn 3 fails'] });
      expect(outcomes[3]).toEqual({ ok: [{ who: 4, cnt: 200, total: '20100' }] });
      // The failing session is usable and its rows (committed statement by statement) are there.
      expect(await rows(conns[2]!, 'SELECT COUNT(*) AS n FROM conc WHERE conn = 3')).toEqual([{ n: 200 }]);
      expect(await rows(c, 'SELECT COUNT(*) AS n FROM conc')).toEqual([{ n: 800 }]);
    } finally {
      await Promise.all(conns.map((k) => k.end()));
    }
    // A client that goes away in the middle of a CALL's result sets: the CALL stops, the
    // connection leaves the process list, the others go on.
    await c.query('CREATE PROCEDURE big_p() BEGIN SELECT a.i, b.i FROM conc a JOIN conc b; SELECT 1 AS after_big; END');
    const k = await srv.connect({ database: 'sp' });
    const [[me]] = await k.query<mysql.RowDataPacket[]>('SELECT CONNECTION_ID() AS id');
    const id = Number(me!['id']);
    k.query('CALL big_p()').catch(() => undefined);
    let seen = false;
    for (let i = 0; i < 500 && !seen; i++) {
      seen = (await rows(c, `SELECT INFO FROM information_schema.PROCESSLIST WHERE ID = ${id}`))[0]?.['INFO'] === 'CALL big_p()';
      if (!seen) await new Promise((r) => setTimeout(r, 10));
    }
    expect(seen).toBe(true);
    k.destroy();
    let gone = false;
    for (let i = 0; i < 1000 && !gone; i++) {
      gone = (await rows(c, `SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE ID = ${id}`))[0]!['n'] === 0;
      if (!gone) await new Promise((r) => setTimeout(r, 10));
    }
    expect(gone).toBe(true);
    const [res] = await c.query<mysql.RowDataPacket[][]>('CALL work_p(9, 2)');
    expect(res[0]).toEqual([{ who: 9, cnt: 2, total: '3' }]);
  });
});
