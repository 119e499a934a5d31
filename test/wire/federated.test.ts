/**
 * The FEDERATED engine over the wire, between two refmysqld servers: the local one started with
 * --federated, the remote an ordinary test server. Covers the engine's enabling, the CONNECTION
 * forms (URL, server, server/table) with the manual's `test_table` example, CREATE / ALTER /
 * DROP SERVER and mysql.servers, reads (scans and pushed-down index reads), writes (batched
 * INSERT, UPDATE, DELETE, TRUNCATE), and the errors MySQL's FEDERATED gives.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type mysql from 'mysql2/promise';
import { req } from '../helpers/req.js';
import { initializedDatadir, spawnServer, startTestServer, type TestServer } from '../helpers/server.js';
import mysqlClient from 'mysql2/promise';
import { rmSync } from 'node:fs';
import { failureOf } from '../helpers/sql.js';

let remote: TestServer;
let local: TestServer;
let r: mysql.Connection;
let l: mysql.Connection;

async function rows(conn: mysql.Connection, sql: string): Promise<unknown[][]> {
  const [res] = await conn.query({ sql, rowsAsArray: true });
  return res as unknown[][];
}

async function comInsert(): Promise<number> {
  const [res] = await r.query<mysql.RowDataPacket[]>("SHOW GLOBAL STATUS LIKE 'Com_insert'");
  return Number(res[0]!['Value']);
}

const TEST_TABLE_COLUMNS = `
    id     INT(20) NOT NULL AUTO_INCREMENT,
    name   VARCHAR(32) NOT NULL DEFAULT '',
    other  INT(20) NOT NULL DEFAULT '0',
    PRIMARY KEY  (id),
    INDEX name (name),
    INDEX other_key (other)`;

beforeAll(async () => {
  [remote, local] = await Promise.all([startTestServer(), startTestServer({ options: { federated: true } })]);
  r = await remote.connect();
  l = await local.connect();
  await r.query('CREATE DATABASE federated');
  // The manual's remote table (MyISAM there; this server's remote engine is InnoDB).
  await r.query(`CREATE TABLE federated.test_table (${TEST_TABLE_COLUMNS}) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`);
  await l.query('CREATE DATABASE fed');
  await l.query('USE fed');
}, 60_000);

afterAll(async () => {
  await l?.end();
  await r?.end();
  await local?.stop();
  await remote?.stop();
});

describe('enabling', () => {
  it(req(['FEDERATED-003'], 'wire', 'without --federated: SHOW ENGINES says NO, SHOW PLUGINS DISABLED, ENGINE=FEDERATED is 1286'), async () => {
    expect(await rows(r, "SELECT * FROM information_schema.ENGINES WHERE ENGINE = 'FEDERATED'")).toEqual([['FEDERATED', 'NO', 'Federated MySQL storage engine', null, null, null]]);
    const [plugins] = await r.query<mysql.RowDataPacket[]>('SHOW PLUGINS');
    expect(plugins.filter((p) => p['Name'] === 'FEDERATED').map((p) => [p['Status'], p['Type']])).toEqual([['DISABLED', 'STORAGE ENGINE']]);
    const e = await failureOf(r.query("CREATE TABLE federated.x (a INT) ENGINE=FEDERATED CONNECTION='mysql://root@127.0.0.1:1/federated/t'"));
    expect([e.errno, e.sqlMessage]).toEqual([1286, "Unknown storage engine 'FEDERATED'"]);
  });

  it(req(['FEDERATED-003'], 'wire', 'with --federated: SHOW ENGINES says YES and no transactions, XA or savepoints'), async () => {
    const [res] = await l.query<mysql.RowDataPacket[]>('SHOW ENGINES');
    const row = res.find((x) => x['Engine'] === 'FEDERATED')!;
    expect([row['Support'], row['Comment'], row['Transactions'], row['XA'], row['Savepoints']]).toEqual(['YES', 'Federated MySQL storage engine', 'NO', 'NO', 'NO']);
  });
});

describe('the manual\'s test_table through a CONNECTION URL', () => {
  it(req(['FEDERATED-011', 'FEDERATED-012', 'FEDERATED-040', 'FEDERATED-042', 'FEDERATED-082'], 'wire', 'a multi-row INSERT reaches the remote as one INSERT and reads come back'), async () => {
    await l.query(`CREATE TABLE federated_table (${TEST_TABLE_COLUMNS}) ENGINE=FEDERATED DEFAULT CHARSET=utf8mb4 CONNECTION='mysql://root@127.0.0.1:${remote.port}/federated/test_table'`);
    const before = await comInsert();
    const [ok] = await l.query<mysql.ResultSetHeader>("INSERT INTO federated_table (name, other) VALUES ('apple', 10), ('pear', 20), ('plum', 30)");
    expect(ok.affectedRows).toBe(3);
    expect(await comInsert()).toBe(before + 1);
    expect(await rows(r, 'SELECT id, name, other FROM federated.test_table ORDER BY id')).toEqual([[1, 'apple', 10], [2, 'pear', 20], [3, 'plum', 30]]);
    expect(await rows(l, 'SELECT id, name, other FROM federated_table ORDER BY id')).toEqual([[1, 'apple', 10], [2, 'pear', 20], [3, 'plum', 30]]);
  });

  it(req(['FEDERATED-088'], 'wire', 'LAST_INSERT_ID() is the value the remote stored, following rows written there directly'), async () => {
    await r.query("INSERT INTO federated.test_table (name, other) VALUES ('direct', 40)");
    await l.query("INSERT INTO federated_table (name, other) VALUES ('cherry', 50)");
    expect(await rows(l, 'SELECT LAST_INSERT_ID()')).toEqual([[5]]);
    expect(await rows(r, "SELECT id FROM federated.test_table WHERE name = 'cherry'")).toEqual([[5]]);
  });

  it(req(['FEDERATED-033', 'FEDERATED-074'], 'wire', 'index reads are pushed down as WHERE on the key and give the rows of the key'), async () => {
    expect(await rows(l, 'SELECT name FROM federated_table WHERE id = 2')).toEqual([['pear']]);
    expect(await rows(l, "SELECT id FROM federated_table WHERE name = 'plum'")).toEqual([[3]]);
    expect(await rows(l, 'SELECT id FROM federated_table WHERE id BETWEEN 2 AND 4 ORDER BY id')).toEqual([[2], [3], [4]]);
    expect(await rows(l, 'SELECT id FROM federated_table WHERE other > 20 ORDER BY other DESC')).toEqual([[5], [4], [3]]);
  });

  it(req(['FEDERATED-076', 'FEDERATED-077'], 'wire', 'UPDATE and DELETE change the remote rows the statement read'), async () => {
    const [u] = await l.query<mysql.ResultSetHeader>("UPDATE federated_table SET other = other + 1 WHERE name IN ('apple', 'plum')");
    expect(u.affectedRows).toBe(2);
    const [d] = await l.query<mysql.ResultSetHeader>('DELETE FROM federated_table WHERE id = 4');
    expect(d.affectedRows).toBe(1);
    expect(await rows(r, 'SELECT id, name, other FROM federated.test_table ORDER BY id')).toEqual([[1, 'apple', 11], [2, 'pear', 20], [3, 'plum', 31], [5, 'cherry', 50]]);
  });

  it(req(['FEDERATED-079'], 'wire', 'a duplicate key on the remote fails the statement with 1022'), async () => {
    const e = await failureOf(l.query("INSERT INTO federated_table (id, name) VALUES (1, 'again')"));
    expect([e.errno, e.sqlMessage]).toEqual([1022, "Can't write; duplicate key in table 'federated_table'"]);
  });

  it(req(['FEDERATED-079', 'FEDERATED-082'], 'wire', 'INSERT IGNORE and REPLACE reach the remote as such; ON DUPLICATE KEY UPDATE fails on a remote duplicate'), async () => {
    await l.query("INSERT IGNORE INTO federated_table (id, name, other) VALUES (1, 'ignored', 0), (6, 'fig', 60)");
    expect(await rows(r, 'SELECT id, name FROM federated.test_table WHERE id IN (1, 6) ORDER BY id')).toEqual([[1, 'apple'], [6, 'fig']]);
    await l.query("REPLACE INTO federated_table (id, name, other) VALUES (6, 'fig2', 61)");
    expect(await rows(r, 'SELECT id, name, other FROM federated.test_table WHERE id = 6')).toEqual([[6, 'fig2', 61]]);
    const e = await failureOf(l.query("INSERT INTO federated_table (id, name) VALUES (6, 'x') ON DUPLICATE KEY UPDATE other = 0"));
    expect(e.errno).toBe(1022);
    await l.query('DELETE FROM federated_table WHERE id = 6');
  });

  it(req(['FEDERATED-081'], 'wire', 'no transactions: ROLLBACK keeps the remote change and warns 1196'), async () => {
    await l.query('START TRANSACTION');
    await l.query("INSERT INTO federated_table (name) VALUES ('kept')");
    await l.query('ROLLBACK');
    const [w] = await l.query<mysql.RowDataPacket[]>('SHOW WARNINGS');
    expect(w.map((x) => [x['Level'], x['Code'], x['Message']])).toEqual([['Warning', 1196, "Some non-transactional changed tables couldn't be rolled back"]]);
    expect(await rows(r, "SELECT COUNT(*) FROM federated.test_table WHERE name = 'kept'")).toEqual([[1]]);
  });

  it(req(['FEDERATED-078'], 'wire', 'ALTER TABLE is refused (1031) and leaves the remote table as it is'), async () => {
    const e = await failureOf(l.query('ALTER TABLE federated_table ADD COLUMN extra INT'));
    expect([e.errno, e.sqlMessage]).toEqual([1031, "Table storage engine for 'federated_table' doesn't have this option"]);
    expect((await rows(r, "SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = 'federated' AND TABLE_NAME = 'test_table'"))).toEqual([[3]]);
  });

  it(req(['FEDERATED-011', 'FEDERATED-031'], 'wire', 'a FEDERATED table joins local tables; subqueries over it (IN, correlated EXISTS, scalar, in WHERE and in the select list) read the remote; SHOW CREATE TABLE keeps the CONNECTION'), async () => {
    await l.query('CREATE TABLE local_names (name VARCHAR(32) PRIMARY KEY, colour VARCHAR(10)) ENGINE=InnoDB');
    await l.query("INSERT INTO local_names VALUES ('apple', 'green'), ('plum', 'purple')");
    expect(await rows(l, 'SELECT f.id, n.colour FROM federated_table f JOIN local_names n ON n.name = f.name ORDER BY f.id')).toEqual([[1, 'green'], [3, 'purple']]);
    expect(await rows(l, 'SELECT n.name FROM local_names n JOIN federated_table f ON f.id = 3 AND f.name = n.name')).toEqual([['plum']]);
    // A subquery over a table whose reads wait runs as an asynchronous expression: the block
    // pauses for it, in WHERE as in the select list.
    expect(await rows(l, 'SELECT name FROM local_names WHERE name IN (SELECT name FROM federated_table) ORDER BY name')).toEqual([['apple'], ['plum']]);
    expect(await rows(l, "SELECT name FROM local_names WHERE colour <> 'x' AND NOT (name IN (SELECT name FROM federated_table WHERE id > 1)) ORDER BY name")).toEqual([['apple']]);
    expect(await rows(l, 'SELECT n.name FROM local_names n WHERE EXISTS (SELECT 1 FROM federated_table f WHERE f.name = n.name AND f.id = 1)')).toEqual([['apple']]);
    expect(await rows(l, 'SELECT n.name, (SELECT f.id FROM federated_table f WHERE f.name = n.name) AS fid FROM local_names n ORDER BY n.name')).toEqual([['apple', 1], ['plum', 3]]);
    const [[n, top]] = (await rows(r, 'SELECT COUNT(*), MAX(id) FROM federated.test_table')) as [[number, number]];
    expect(await rows(l, 'SELECT (SELECT COUNT(*) FROM federated_table) + 1 AS n')).toEqual([[n + 1]]);
    expect(await rows(l, `SELECT name FROM local_names WHERE (SELECT MAX(id) FROM federated_table) = ${top} ORDER BY name`)).toEqual([['apple'], ['plum']]);
    expect(await rows(l, `SELECT name FROM local_names WHERE (SELECT MAX(id) FROM federated_table) = ${top + 1}`)).toEqual([]);
    const [sc] = await l.query<mysql.RowDataPacket[]>('SHOW CREATE TABLE federated_table');
    expect(String(sc[0]!['Create Table'])).toContain(`ENGINE=FEDERATED`);
    expect(String(sc[0]!['Create Table'])).toContain(`CONNECTION='mysql://root@127.0.0.1:${remote.port}/federated/test_table'`);
  });

  it(req(['FEDERATED-077'], 'wire', 'OPTIMIZE TABLE is forwarded to the remote; ANALYZE TABLE is not supported'), async () => {
    // The remote's Questions counter: what reading it costs, then what the OPTIMIZE added.
    const questions = async (): Promise<number> => Number((await rows(r, "SHOW GLOBAL STATUS LIKE 'Questions'"))[0]![1]);
    const q0 = await questions();
    const q1 = await questions();
    expect(await rows(l, 'OPTIMIZE TABLE federated_table')).toEqual([['fed.federated_table', 'optimize', 'status', 'OK']]);
    const q2 = await questions();
    expect(q2 - q1 - (q1 - q0)).toBe(1);
    expect(await rows(l, 'ANALYZE TABLE federated_table')).toEqual([['fed.federated_table', 'analyze', 'note', "The storage engine for the table doesn't support analyze"]]);
  });

  it(req(['FEDERATED-077'], 'wire', 'TRUNCATE empties the remote table'), async () => {
    await l.query('TRUNCATE TABLE federated_table');
    expect(await rows(r, 'SELECT COUNT(*) FROM federated.test_table')).toEqual([[0]]);
  });
});

describe('CREATE SERVER and CONNECTION=server[/table]', () => {
  it(req(['FEDERATED-050', 'FEDERATED-051', 'FEDERATED-052'], 'wire', "the manual's fedlink server: CONNECTION='fedlink/test_table' reads and writes the remote table; mysql.servers holds the row"), async () => {
    await l.query(`CREATE SERVER fedlink FOREIGN DATA WRAPPER mysql OPTIONS (USER 'root', HOST '127.0.0.1', PORT ${remote.port}, DATABASE 'federated')`);
    expect(await rows(l, 'SELECT Server_name, Host, Db, Username, Password, Port, Socket, Wrapper, Owner FROM mysql.servers')).toEqual([
      ['fedlink', '127.0.0.1', 'federated', 'root', '', remote.port, '', 'mysql', ''],
    ]);
    await l.query(`CREATE TABLE test_table2 (${TEST_TABLE_COLUMNS}) ENGINE=FEDERATED DEFAULT CHARSET=utf8mb4 CONNECTION='fedlink/test_table'`);
    await l.query("INSERT INTO test_table2 (name, other) VALUES ('via-server', 7)");
    expect(await rows(r, "SELECT name, other FROM federated.test_table WHERE name = 'via-server'")).toEqual([['via-server', 7]]);
    expect(await rows(l, "SELECT name FROM test_table2 WHERE other = 7")).toEqual([['via-server']]);
  });

  it(req(['FEDERATED-051'], 'wire', "CONNECTION='server' alone names the remote table after the local one"), async () => {
    await r.query('CREATE TABLE federated.same_name (a INT PRIMARY KEY, b VARCHAR(10))');
    await r.query("INSERT INTO federated.same_name VALUES (1, 'one')");
    await l.query("CREATE TABLE same_name (a INT PRIMARY KEY, b VARCHAR(10)) ENGINE=FEDERATED CONNECTION='fedlink'");
    expect(await rows(l, 'SELECT a, b FROM same_name')).toEqual([[1, 'one']]);
  });

  it(req(['FEDERATED-055'], 'wire', 'ALTER SERVER changes the options given; DROP SERVER [IF EXISTS]; 1476 and 1477'), async () => {
    const [altered] = await l.query<mysql.ResultSetHeader>("ALTER SERVER fedlink OPTIONS (USER 'someone', OWNER 'me')");
    expect(altered.affectedRows).toBe(1);
    expect(await rows(l, "SELECT Username, Host, Owner FROM mysql.servers WHERE Server_name = 'fedlink'")).toEqual([['someone', '127.0.0.1', 'me']]);
    // The open table test_table2 follows the server: its next connection is made as 'someone'.
    const denied = await failureOf(l.query('SELECT COUNT(*) FROM test_table2'));
    expect(denied.errno).toBe(1429);
    expect(denied.sqlMessage).toMatch(/^Unable to connect to foreign data source: Access denied for user 'someone'/);
    await l.query("ALTER SERVER fedlink OPTIONS (USER 'root')");
    expect(await rows(l, "SELECT name FROM test_table2 WHERE name = 'via-server'")).toEqual([['via-server']]);
    let e = await failureOf(l.query("CREATE SERVER fedlink FOREIGN DATA WRAPPER mysql OPTIONS (HOST 'x')"));
    expect([e.errno, e.sqlMessage]).toEqual([1476, 'The foreign server, fedlink, you are trying to create already exists.']);
    e = await failureOf(l.query("ALTER SERVER nosuch OPTIONS (HOST 'x')"));
    expect([e.errno, e.sqlMessage]).toEqual([1477, 'The foreign server name you are trying to reference does not exist. Data source error:  nosuch']);
    e = await failureOf(l.query('DROP SERVER nosuch'));
    expect(e.errno).toBe(1477);
    const [ifExists] = await l.query<mysql.ResultSetHeader>('DROP SERVER IF EXISTS nosuch');
    expect([ifExists.affectedRows, ifExists.warningStatus]).toEqual([1, 0]);
    await l.query("CREATE SERVER dropme FOREIGN DATA WRAPPER mysql OPTIONS (HOST 'h')");
    await l.query('DROP SERVER dropme');
    expect(await rows(l, "SELECT COUNT(*) FROM mysql.servers WHERE Server_name = 'dropme'")).toEqual([[0]]);
  });

  it(req(['FEDERATED-055'], 'wire', 'CREATE SERVER needs SUPER (1227)'), async () => {
    await l.query("CREATE USER plain@'%' IDENTIFIED BY 'pw'");
    await l.query("GRANT ALL ON fed.* TO plain@'%'");
    const c = await local.connect({ user: 'plain', password: 'pw' });
    try {
      const e = await failureOf(c.query("CREATE SERVER s2 FOREIGN DATA WRAPPER mysql OPTIONS (HOST 'h')"));
      expect([e.errno, e.sqlMessage]).toEqual([1227, 'Access denied; you need (at least one of) the SUPER privilege(s) for this operation']);
    } finally {
      await c.end();
    }
  });

  it(req(['FEDERATED-054'], 'wire', "an unknown server name is 1432 with \"server name: 'x' doesn't exist!\""), async () => {
    const e = await failureOf(l.query("CREATE TABLE t_unknown (a INT) ENGINE=FEDERATED CONNECTION='nosuch/t'"));
    expect([e.errno, e.sqlMessage]).toEqual([1432, "server name: 'nosuch' doesn't exist!"]);
  });
});

describe('errors', () => {
  it(req(['FEDERATED-043', 'FEDERATED-045'], 'wire', 'a malformed CONNECTION string is 1432 at CREATE TABLE, which does not connect'), async () => {
    for (const bad of ['http://root@127.0.0.1/federated/t', 'mysql://root@127.0.0.1/federated', 'mysql://root:p/w@h/db/t', 'mysql://root@h/db/t/x']) {
      const e = await failureOf(l.query(`CREATE TABLE t_bad (a INT) ENGINE=FEDERATED CONNECTION='${bad}'`));
      expect([e.errno, e.sqlMessage]).toEqual([1432, `Can't create federated table. The data source connection string '${bad}' is not in the correct format`]);
    }
    // Port 1 has no server: CREATE still succeeds, since it only parses the string.
    await l.query("CREATE TABLE t_nowhere (a INT) ENGINE=FEDERATED CONNECTION='mysql://root@127.0.0.1:1/federated/t'");
  });

  it(req(['FEDERATED-072'], 'wire', 'a remote that cannot be reached is 1429 on first use'), async () => {
    const e = await failureOf(l.query('SELECT * FROM t_nowhere'));
    expect(e.errno).toBe(1429);
    expect(e.sqlMessage).toBe("Unable to connect to foreign data source: Can't connect to MySQL server on '127.0.0.1:1' (111)".slice(0, 41 + 64));
  });

  it(req(['FEDERATED-072', 'FEDERATED-032'], 'wire', 'a missing remote table (or column) is 1431 on first use'), async () => {
    await l.query(`CREATE TABLE t_missing (a INT) ENGINE=FEDERATED CONNECTION='mysql://root@127.0.0.1:${remote.port}/federated/nosuch'`);
    const e = await failureOf(l.query('SELECT * FROM t_missing'));
    expect([e.errno, e.sqlMessage]).toEqual([1431, "The foreign data source you are trying to reference does not exist. Data source error:  error: 1146  'Table 'federated.nosuch' doesn't exist'".slice(0, 87 + 64)]);
  });

  it(req(['FEDERATED-012'], 'wire', 'a remote error in a statement is 1296 naming the remote error, and the local session goes on'), async () => {
    await r.query('CREATE TABLE federated.goes_away (a INT)');
    await l.query(`CREATE TABLE goes_away (a INT) ENGINE=FEDERATED CONNECTION='mysql://root@127.0.0.1:${remote.port}/federated/goes_away'`);
    expect(await rows(l, 'SELECT * FROM goes_away')).toEqual([]);
    await r.query('DROP TABLE federated.goes_away');
    const e = await failureOf(l.query('SELECT * FROM goes_away'));
    expect([e.errno, e.sqlMessage]).toEqual([1296, "Got error 10000 'Error on remote system: 1146: Table 'federated.goes_away' doesn't exist' from FEDERATED"]);
    expect(await rows(l, 'SELECT 1')).toEqual([[1]]);
  });

  it(req(['FEDERATED-086'], 'wire', 'DROP TABLE drops only the local definition'), async () => {
    await l.query('DROP TABLE same_name');
    expect(await rows(r, 'SELECT a FROM federated.same_name')).toEqual([[1]]);
  });

  it(req(['FEDERATED-087'], 'wire', 'PARTITION BY on a FEDERATED table is refused'), async () => {
    const e = await failureOf(l.query(`CREATE TABLE t_part (a INT) ENGINE=FEDERATED CONNECTION='mysql://root@127.0.0.1:${remote.port}/federated/t' PARTITION BY HASH(a) PARTITIONS 2`));
    expect(e.errno).toBe(1178);
  });
});

describe('a table that points at itself', () => {
  it(req(['FEDERATED-073'], 'wire', 'a FEDERATED loop opens connections until max_connections refuses one, then fails instead of hanging; the session goes on'), async () => {
    await l.query('SET GLOBAL max_connections = 8');
    try {
      await l.query(`CREATE TABLE loopy (a INT) ENGINE=FEDERATED CONNECTION='mysql://root@127.0.0.1:${local.port}/fed/loopy'`);
      const e = await failureOf(l.query('SELECT a FROM loopy'));
      // The innermost level cannot connect (1040 becomes 1429); each level above reports the
      // failure of the one below it (1431 from the connection check).
      expect(e.errno).toBe(1431);
      expect(e.sqlMessage).toContain("error: 1431");
    } finally {
      await l.query('SET GLOBAL max_connections = DEFAULT');
    }
    expect(await rows(l, 'SELECT 2 * 21')).toEqual([[42]]);
  }, 30_000);

  it(req(['FEDERATED-073'], 'wire', 'a FEDERATED table may point at another FEDERATED table'), async () => {
    await l.query(`CREATE TABLE chained (${TEST_TABLE_COLUMNS}) ENGINE=FEDERATED DEFAULT CHARSET=utf8mb4 CONNECTION='mysql://root@127.0.0.1:${local.port}/fed/federated_table'`);
    await l.query("INSERT INTO chained (name, other) VALUES ('two-hops', 2)");
    expect(await rows(r, "SELECT name, other FROM federated.test_table WHERE name = 'two-hops'")).toEqual([['two-hops', 2]]);
    expect(await rows(l, 'SELECT COUNT(*) FROM chained')).toEqual(await rows(r, 'SELECT COUNT(*) FROM federated.test_table'));
  });
});

describe('batched INSERT and the remote packet size', () => {
  it(req(['FEDERATED-083'], 'wire', 'a multi-row INSERT is split so no batch exceeds the remote max_allowed_packet'), async () => {
    await r.query('CREATE TABLE federated.wide (id INT PRIMARY KEY, pad VARCHAR(200))');
    await r.query('SET GLOBAL max_allowed_packet = 131072');
    await l.query(`CREATE TABLE wide (id INT PRIMARY KEY, pad VARCHAR(200)) ENGINE=FEDERATED CONNECTION='mysql://root@127.0.0.1:${remote.port}/federated/wide'`);
    const values = Array.from({ length: 2000 }, (_, i) => `(${i}, '${'x'.repeat(150)}')`).join(', ');
    const before = await comInsert();
    await l.query(`INSERT INTO wide VALUES ${values}`);
    const statements = (await comInsert()) - before;
    // 2000 rows of ~160 bytes (~320 KB) in batches under 128 KiB: three INSERTs.
    expect(statements).toBe(3);
    expect(await rows(r, 'SELECT COUNT(*), SUM(id) FROM federated.wide')).toEqual([[2000, '1999000']]);
    await r.query('SET GLOBAL max_allowed_packet = DEFAULT');
  });
});

describe('a remote that goes away', () => {
  it(req(['FEDERATED-011', 'FEDERATED-012'], 'wire', 'the remote server killed during a read: the statement fails cleanly (1296 with 2013), the local session lives on, and the next use is 1429'), async () => {
    const dir = await initializedDatadir();
    const child = spawnServer(['--no-defaults', `--datadir=${dir.datadir}`, '--port=0', '--bind-address=127.0.0.1', '--mysqlx=OFF']);
    try {
      await child.ready;
      const rc = await mysqlClient.createConnection({ host: '127.0.0.1', port: child.port, user: 'root', password: '' });
      await rc.query('CREATE DATABASE far');
      await rc.query('CREATE TABLE far.base (a INT)');
      await rc.query('INSERT INTO far.base VALUES (1), (2)');
      // Each row costs the remote half a second: a read is in flight long enough to be cut.
      await rc.query('CREATE VIEW far.slow AS SELECT a, SLEEP(0.5) AS s FROM far.base');
      await l.query(`CREATE TABLE slow (a INT, s INT) ENGINE=FEDERATED CONNECTION='mysql://root@127.0.0.1:${child.port}/far/slow'`);
      expect(await rows(l, 'SELECT a, s FROM slow ORDER BY a')).toEqual([[1, 0], [2, 0]]);
      const reading = l.query('SELECT a FROM slow').then(
        () => null,
        (e: { errno: number; sqlMessage: string }) => e,
      );
      // Wait until the remote is running the read, then kill it.
      for (let i = 0; i < 200; i++) {
        const [pl] = await rc.query<mysqlClient.RowDataPacket[]>('SHOW PROCESSLIST');
        if (pl.some((p) => String(p['Info'] ?? '').includes('`slow`'))) break;
        await new Promise((res) => setTimeout(res, 25));
      }
      child.kill('SIGKILL');
      await child.exited;
      const e = await reading;
      expect(e?.errno).toBe(1296);
      expect(e?.sqlMessage).toBe("Got error 10000 'Error on remote system: 2013: Lost connection to MySQL server during query' from FEDERATED");
      rc.destroy();
      expect(await rows(l, 'SELECT 1 + 1')).toEqual([[2]]);
      const again = await failureOf(l.query('SELECT a FROM slow'));
      expect(again.errno).toBe(1429);
    } finally {
      child.kill('SIGKILL');
      await child.exited.catch(() => undefined);
      rmSync(dir.parent, { recursive: true, force: true });
    }
  }, 60_000);
});

describe('across a restart', () => {
  it(req(['FEDERATED-052', 'FEDERATED-031'], 'wire', 'mysql.servers and the FEDERATED definitions survive a restart of the local server'), async () => {
    const dir = await initializedDatadir();
    try {
      let s = await startTestServer({ datadir: dir.datadir, options: { federated: true } });
      let c = await s.connect();
      await c.query(`CREATE SERVER keep FOREIGN DATA WRAPPER mysql OPTIONS (USER 'root', HOST '127.0.0.1', PORT ${remote.port}, DATABASE 'federated')`);
      await c.query('CREATE DATABASE d');
      await c.query("CREATE TABLE d.kept (id INT PRIMARY KEY, name VARCHAR(32), other INT) ENGINE=FEDERATED CONNECTION='keep/test_table'");
      await c.end();
      await s.stop();
      s = await startTestServer({ datadir: dir.datadir, options: { federated: true } });
      c = await s.connect();
      try {
        expect(await rows(c, "SELECT Server_name, Port FROM mysql.servers")).toEqual([['keep', remote.port]]);
        await r.query("INSERT INTO federated.test_table (name, other) VALUES ('after-restart', 1)");
        expect(await rows(c, "SELECT name FROM d.kept WHERE name = 'after-restart'")).toEqual([['after-restart']]);
      } finally {
        await c.end();
        await s.stop();
      }
    } finally {
      rmSync(dir.parent, { recursive: true, force: true });
    }
  }, 60_000);
});
