/**
 * XA transactions over the wire, on MEMORY tables and on the transactional test engine: the
 * state machine, MySQL's errors (numbers, SQLSTATEs, messages), XA RECOVER, detached prepared
 * branches decided from another connection, engine-reported rollback of a branch, and a
 * prepared branch that survives a restart.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type mysql from 'mysql2/promise';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { req } from '../helpers/req.js';
import { failureOf } from '../helpers/sql.js';
import { sqlError } from '../../src/kernel/errors.js';
import { TxnTestEngine, newDurable, txnEnginePlugin } from '../helpers/txn-engine.js';

let srv: TestServer;
let c: mysql.Connection;
const A = new TxnTestEngine({ name: 'TXA' });

async function q(sql: string, conn: mysql.Connection = c): Promise<unknown> {
  const [rows] = await conn.query(sql);
  return rows;
}
/** errno, SQLSTATE and message of a statement that must fail. */
async function fails(sql: string, conn: mysql.Connection = c): Promise<{ errno: number; sqlState: string; message: string }> {
  const e = await failureOf(conn.query(sql));
  return { errno: e.errno, sqlState: e.sqlState, message: e.sqlMessage };
}
const rmfail = (state: string) => ({ errno: 1399, sqlState: 'XAE07', message: `XAER_RMFAIL: The command cannot be executed when global transaction is in the  ${state} state` });
const NOTA = { errno: 1397, sqlState: 'XAE04', message: 'XAER_NOTA: Unknown XID' };
const INVAL = { errno: 1398, sqlState: 'XAE05', message: 'XAER_INVAL: Invalid arguments (or unsupported command)' };
const OUTSIDE = { errno: 1400, sqlState: 'XAE09', message: 'XAER_OUTSIDE: Some work is done outside global transaction' };
const DUPID = { errno: 1440, sqlState: 'XAE08', message: 'XAER_DUPID: The XID already exists' };

async function recover(conn: mysql.Connection = c, convert = false): Promise<unknown[]> {
  return (await q(convert ? 'XA RECOVER CONVERT XID' : 'XA RECOVER', conn)) as unknown[];
}
async function ids(table: string, conn: mysql.Connection = c): Promise<number[]> {
  return ((await q(`SELECT id FROM ${table} ORDER BY id`, conn)) as { id: number }[]).map((r) => r.id);
}
const committedIds = (table: string): number[] => A.committed(`xa.${table}`).map((r) => Number(r[0]));

/** Close `conn` and wait (bounded) until the server has ended its session (a prepared branch is then detached). */
async function disconnect(conn: mysql.Connection): Promise<void> {
  const id = conn.threadId;
  await conn.end();
  for (let i = 0; i < 500; i++) {
    const list = (await q('SHOW PROCESSLIST')) as { Id: number }[];
    if (!list.some((r) => r.Id === id)) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`session ${id} never ended`);
}

beforeAll(async () => {
  srv = await startTestServer({ plugins: [txnEnginePlugin(A)] });
  c = await srv.connect();
  await q('CREATE DATABASE xa');
  await q('USE xa');
  await q('CREATE TABLE m (id INT PRIMARY KEY) ENGINE=MEMORY');
  await q('CREATE TABLE t (id INT PRIMARY KEY) ENGINE=TXA');
}, 60000);
afterAll(async () => {
  await c?.end();
  await srv?.stop();
});

describe('the XA state machine', () => {
  it(req(['CORE-TXN-022', 'CORE-TXN-026'], 'wire', 'MEMORY: ACTIVE -> IDLE -> PREPARED -> committed, listed by XA RECOVER while prepared'), async () => {
    await q("XA START 'x1'");
    await q('INSERT INTO m VALUES (1)');
    await q("XA END 'x1'");
    await q("XA PREPARE 'x1'");
    expect(await recover()).toEqual([{ formatID: 1, gtrid_length: 2, bqual_length: 0, data: 'x1' }]);
    await q("XA COMMIT 'x1'");
    expect(await recover()).toEqual([]);
    expect(await ids('m')).toEqual([1]);
  });

  it(req(['CORE-TXN-022', 'CORE-TXN-030'], 'wire', 'test engine: XA PREPARE prepares under the XID, XA COMMIT commits, XA ROLLBACK undoes'), async () => {
    await q("XA START 'e1', 'b', 7");
    await q('INSERT INTO t VALUES (1), (2)');
    await q("XA END 'e1', 'b', 7");
    await q("XA PREPARE 'e1', 'b', 7");
    expect((await A.recover()).map((x) => x.gtrid.toString())).toEqual(['e1']);
    await q("XA COMMIT 'e1', 'b', 7");
    expect(committedIds('t')).toEqual([1, 2]);
    expect(await A.recover()).toEqual([]);

    await q("XA START 'e2'");
    await q('DELETE FROM t WHERE id = 1');
    await q('INSERT INTO t VALUES (3)');
    await q("XA END 'e2'");
    await q("XA PREPARE 'e2'");
    await q("XA ROLLBACK 'e2'");
    expect(await ids('t')).toEqual([1, 2]);
    expect(committedIds('t')).toEqual([1, 2]);
  });

  it(req('CORE-TXN-022', 'wire', 'XA COMMIT ONE PHASE commits an IDLE branch; XA START ... RESUME reactivates one'), async () => {
    await q("XA START 'o1'");
    await q('INSERT INTO t VALUES (10)');
    await q("XA END 'o1'");
    await q("XA START 'o1' RESUME");
    await q('INSERT INTO t VALUES (11)');
    await q("XA END 'o1'");
    await q("XA COMMIT 'o1' ONE PHASE");
    expect(committedIds('t')).toEqual([1, 2, 10, 11]);
    await q("XA START 'o2'");
    await q("XA END 'o2'");
    await q("XA ROLLBACK 'o2'");
  });

  it(req('CORE-TXN-021', 'wire', 'XIDs as hex and bit literals with a formatID; too long a gtrid is a syntax error; XA RECOVER CONVERT XID'), async () => {
    await q('XA START 0xABCDEF1234567890, 0x01, 0x02');
    await q('XA END 0xABCDEF1234567890, 0x01, 0x02');
    await q('XA PREPARE 0xABCDEF1234567890, 0x01, 0x02');
    expect(await recover(c, true)).toEqual([{ formatID: 2, gtrid_length: 8, bqual_length: 1, data: '0xABCDEF123456789001' }]);
    await q('XA ROLLBACK 0xABCDEF1234567890, 0x01, 0x02');
    await q("XA START 0x7465737462, b'00100000', 0xb");
    await q("XA END 'testb', ' ', 11");
    await q("XA PREPARE 'testb',0x20,11");
    expect(await recover()).toEqual([{ formatID: 11, gtrid_length: 5, bqual_length: 1, data: 'testb ' }]);
    await q("XA ROLLBACK 'testb', ' ', 11");
    expect(await fails(`XA START '${'z'.repeat(65)}'`)).toMatchObject({ errno: 1064, message: expect.stringMatching(/near '' at line 1$/) });
    expect(await fails("XA START '1', 0x01, 18446744073709551615")).toMatchObject({ errno: 1064, message: expect.stringContaining("near '18446744073709551615'") });
  });
});

describe("MySQL's XA errors", () => {
  it(req(['CORE-TXN-023', 'CORE-TXN-024', 'CORE-TXN-028'], 'wire', 'wrong-state statements: 1399 naming ACTIVE, IDLE, PREPARED (branch kept by its session) or NON-EXISTING'), async () => {
    await q('SET SESSION xa_detach_on_prepare = OFF');
    expect(await fails("XA END 'n'")).toEqual(rmfail('NON-EXISTING'));
    expect(await fails("XA PREPARE 'n'")).toEqual(rmfail('NON-EXISTING'));
    await q("XA START 's'");
    expect(await fails("XA START 's2'")).toEqual(rmfail('ACTIVE'));
    expect(await fails("XA PREPARE 's'")).toEqual(rmfail('ACTIVE'));
    expect(await fails("XA ROLLBACK 's'")).toEqual(rmfail('ACTIVE'));
    expect(await fails("XA COMMIT 's'")).toEqual(rmfail('ACTIVE'));
    expect(await fails('COMMIT')).toEqual(rmfail('ACTIVE'));
    expect(await fails('ROLLBACK')).toEqual(rmfail('ACTIVE'));
    expect(await fails('BEGIN')).toEqual(rmfail('ACTIVE'));
    expect(await fails('START TRANSACTION')).toEqual(rmfail('ACTIVE'));
    expect(await fails('LOCK TABLES m READ')).toEqual(rmfail('ACTIVE'));
    expect(await fails('CREATE TABLE nope (a INT)')).toEqual(rmfail('ACTIVE'));
    await q('SAVEPOINT sp');
    await q('INSERT INTO t VALUES (20)');
    await q('ROLLBACK TO SAVEPOINT sp');
    await q("XA END 's'");
    expect(await fails("XA END 's'")).toEqual(rmfail('IDLE'));
    expect(await fails("XA COMMIT 's'")).toEqual(rmfail('IDLE'));
    expect(await fails('SELECT * FROM m')).toEqual(rmfail('IDLE'));
    expect(await fails('INSERT INTO t VALUES (21)')).toEqual(rmfail('IDLE'));
    expect(await fails('SAVEPOINT sp2')).toEqual(rmfail('IDLE'));
    expect(await fails('ROLLBACK TO SAVEPOINT sp')).toEqual(rmfail('IDLE'));
    expect(await fails('CREATE TABLE nope (a INT)')).toEqual(rmfail('IDLE'));
    expect(await q('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    await q("XA PREPARE 's'");
    expect(await fails("XA PREPARE 's'")).toEqual(rmfail('PREPARED'));
    expect(await fails("XA COMMIT 's' ONE PHASE")).toEqual(rmfail('PREPARED'));
    expect(await fails("XA ROLLBACK 'other'")).toEqual(rmfail('PREPARED'));
    expect(await fails("XA COMMIT 'other'")).toEqual(rmfail('PREPARED'));
    expect(await fails('START TRANSACTION')).toEqual(rmfail('PREPARED'));
    expect(await fails('SELECT * FROM t')).toEqual(rmfail('PREPARED'));
    await q("XA ROLLBACK 's'");
    expect(await ids('t')).not.toContain(20);
    await q('SET SESSION xa_detach_on_prepare = DEFAULT');
  });

  it(req('CORE-TXN-023', 'wire', '1397 for unknown XIDs, 1398 for JOIN / SUSPEND / RESUME of nothing, 1400 inside a transaction or LOCK TABLES'), async () => {
    expect(await fails("XA COMMIT 'nobody'")).toEqual(NOTA);
    expect(await fails("XA ROLLBACK 'nobody'")).toEqual(NOTA);
    expect(await fails("XA START 'r' RESUME")).toEqual(INVAL);
    expect(await fails("XA START 'r' JOIN")).toEqual(INVAL);
    await q("XA START 'r'");
    expect(await fails("XA END 'r' SUSPEND")).toEqual(INVAL);
    expect(await fails("XA END 'r' SUSPEND FOR MIGRATE")).toEqual(INVAL);
    expect(await fails("XA END 'other'")).toEqual(NOTA);
    await q("XA END 'r'");
    expect(await fails("XA START 'other' RESUME")).toEqual(NOTA);
    expect(await fails("XA PREPARE 'other'")).toEqual(NOTA);
    await q("XA ROLLBACK 'r'");
    await q('BEGIN');
    expect(await fails("XA START 'o'")).toEqual(OUTSIDE);
    await q('COMMIT');
    await q('LOCK TABLES m READ');
    expect(await fails("XA START 'o'")).toEqual(OUTSIDE);
    await q('UNLOCK TABLES');
  });

  it(req('CORE-TXN-023', 'wire', '1440 for an XID in use, also when only the formatID differs'), async () => {
    const d = await srv.connect({ database: 'xa' });
    try {
      await q("XA START 'dup', 'q'", d);
      expect(await fails("XA START 'dup', 'q'")).toEqual(DUPID);
      expect(await fails("XA START 'dup', 'q', 123")).toEqual(DUPID);
      await q("XA START 'dup2'");
      expect(await fails("XA START 'dup2'", d)).toEqual(rmfail('ACTIVE'));
      await q("XA END 'dup2'");
      await q("XA ROLLBACK 'dup2'");
      await q("XA END 'dup', 'q'", d);
      await q("XA ROLLBACK 'dup', 'q'", d);
    } finally {
      await d.end();
    }
  });

  it(req('CORE-TXN-024', 'wire', 'SET autocommit=1 inside an XA transaction is 1399 and leaves autocommit off'), async () => {
    await q("XA START 'ac'");
    await q('SET SESSION autocommit = 0');
    await q('INSERT INTO t VALUES (30)');
    expect(await fails('SET SESSION autocommit = 1')).toEqual(rmfail('ACTIVE'));
    expect(await q('SELECT @@autocommit AS a')).toEqual([{ a: 0 }]);
    await q("XA END 'ac'");
    await q("XA COMMIT 'ac' ONE PHASE");
    await q('SET SESSION autocommit = 1');
    expect(committedIds('t')).toContain(30);
  });
});

describe('detached branches and XA RECOVER', () => {
  it(req(['CORE-TXN-028', 'CORE-TXN-025'], 'wire', 'by default XA PREPARE detaches the branch: the session is free, any connection decides the branch'), async () => {
    expect(await q('SELECT @@xa_detach_on_prepare AS d')).toEqual([{ d: 1 }]);
    await q("XA START 'dp'");
    await q('INSERT INTO t VALUES (80)');
    await q("XA END 'dp'");
    const [r] = await c.query("XA PREPARE 'dp'");
    expect((r as { serverStatus: number }).serverStatus & 1).toBe(0);
    await q('START TRANSACTION');
    await q('COMMIT');
    expect(committedIds('t')).not.toContain(80);
    expect(await recover()).toEqual([{ formatID: 1, gtrid_length: 2, bqual_length: 0, data: 'dp' }]);
    const d = await srv.connect({ database: 'xa' });
    try {
      await q("XA COMMIT 'dp'", d);
    } finally {
      await d.end();
    }
    expect(committedIds('t')).toContain(80);
    expect(await fails("XA COMMIT 'dp'")).toEqual(NOTA);
    await q("XA START 'dp2'");
    await q('INSERT INTO t VALUES (81)');
    await q("XA END 'dp2'");
    await q("XA PREPARE 'dp2'");
    await q("XA ROLLBACK 'dp2'");
    expect(await ids('t')).not.toContain(81);
    expect(await recover()).toEqual([]);
  });

  it(req(['CORE-TXN-025', 'CORE-TXN-026'], 'wire', 'a prepared branch kept by its session survives the disconnect; another connection lists it and commits it'), async () => {
    const d = await srv.connect({ database: 'xa' });
    await q('SET SESSION xa_detach_on_prepare = OFF', d);
    await q("XA START 'det'", d);
    await q('INSERT INTO t VALUES (40)', d);
    await q('INSERT INTO m VALUES (40)', d);
    await q("XA END 'det'", d);
    await q("XA PREPARE 'det'", d);
    // Still attached: listed, but not another session's to decide.
    expect(await recover()).toEqual([{ formatID: 1, gtrid_length: 3, bqual_length: 0, data: 'det' }]);
    expect(await fails("XA COMMIT 'det'")).toEqual(NOTA);
    await disconnect(d);
    await q("XA COMMIT 'det'");
    expect(committedIds('t')).toContain(40);
    expect(await recover()).toEqual([]);
    expect(await fails("XA COMMIT 'det'")).toEqual(NOTA);
  });

  it(req('CORE-TXN-025', 'wire', 'a detached branch rolled back from another connection; not from inside a transaction'), async () => {
    const d = await srv.connect({ database: 'xa' });
    await q('SET SESSION xa_detach_on_prepare = OFF', d);
    await q("XA START 'det2'", d);
    await q('INSERT INTO t VALUES (50)', d);
    await q("XA END 'det2'", d);
    await q("XA PREPARE 'det2'", d);
    await disconnect(d);
    await q('BEGIN');
    expect(await fails("XA ROLLBACK 'det2'")).toEqual(rmfail('NON-EXISTING'));
    await q('ROLLBACK');
    await q("XA ROLLBACK 'det2'");
    expect(await ids('t')).not.toContain(50);
    expect(committedIds('t')).not.toContain(50);
    expect(await recover()).toEqual([]);
  });

  it(req('CORE-TXN-026', 'wire', 'XA RECOVER without XA_RECOVER_ADMIN is 1401, with 1227 in SHOW WARNINGS'), async () => {
    await q("CREATE USER 'xu'@'%'");
    const u = await srv.connect({ user: 'xu' });
    try {
      expect(await fails('XA RECOVER', u)).toEqual({ errno: 1401, sqlState: 'XAE03', message: 'XAER_RMERR: Fatal error occurred in the transaction branch - check your data for consistency' });
      expect(await q('SHOW WARNINGS', u)).toEqual([
        { Level: 'Error', Code: 1401, Message: 'XAER_RMERR: Fatal error occurred in the transaction branch - check your data for consistency' },
        { Level: 'Error', Code: 1227, Message: 'Access denied; you need (at least one of) the XA_RECOVER_ADMIN privilege(s) for this operation' },
      ]);
      await q('GRANT XA_RECOVER_ADMIN ON *.* TO xu');
      expect(await recover(u)).toEqual([]);
    } finally {
      await u.end();
      await q("DROP USER 'xu'@'%'");
    }
  });
});

describe('a branch rolled back by its engine', () => {
  it(req('CORE-TXN-027', 'wire', 'after a deadlock the branch reports XA_RBDEADLOCK until XA ROLLBACK'), async () => {
    await q("XA START 'dl'");
    await q('INSERT INTO t VALUES (60)');
    expect(await fails('INSERT INTO t VALUES (-1213)')).toMatchObject({ errno: 1213, sqlState: '40001' });
    const rbdeadlock = { errno: 1614, sqlState: 'XA102', message: 'XA_RBDEADLOCK: Transaction branch was rolled back: deadlock was detected' };
    expect(await fails('SELECT * FROM t')).toEqual(rbdeadlock);
    expect(await fails("XA END 'dl'")).toEqual(rbdeadlock);
    expect(await fails('BEGIN')).toEqual(rmfail('ROLLBACK ONLY'));
    await q("XA ROLLBACK 'dl'");
    expect(await ids('t')).not.toContain(60);
    await q("XA START 'dl'");
    await q("XA END 'dl'");
    await q("XA ROLLBACK 'dl'");
  });

  it(req('CORE-TXN-027', 'wire', 'XA COMMIT of a branch rolled back by a lock-wait timeout reports XA_RBTIMEOUT and ends it'), async () => {
    await q("XA START 'lt'");
    expect(await fails('INSERT INTO t VALUES (-1205)')).toMatchObject({ errno: 1205 });
    expect(await fails("XA COMMIT 'lt'")).toEqual({ errno: 1613, sqlState: 'XA106', message: 'XA_RBTIMEOUT: Transaction branch was rolled back: took too long' });
    await q("XA START 'lt'");
    await q("XA END 'lt'");
    await q("XA ROLLBACK 'lt'");
  });

  it(req(['CORE-TXN-027', 'CORE-TXN-034'], 'wire', 'a failed XA PREPARE rolls the branch back: the engine error, then 1402'), async () => {
    await q("XA START 'pf'");
    await q('INSERT INTO t VALUES (70)');
    await q("XA END 'pf'");
    A.prepareFault = sqlError('ER_LOCK_WAIT_TIMEOUT');
    try {
      expect(await fails("XA PREPARE 'pf'")).toMatchObject({ errno: 1205 });
    } finally {
      A.prepareFault = null;
    }
    expect(await q('SHOW WARNINGS')).toEqual([
      { Level: 'Error', Code: 1205, Message: 'Lock wait timeout exceeded; try restarting transaction' },
      { Level: 'Error', Code: 1402, Message: 'XA_RBROLLBACK: Transaction branch was rolled back' },
    ]);
    expect(await fails("XA COMMIT 'pf'")).toEqual(NOTA);
    expect(await ids('t')).not.toContain(70);
  });
});

describe('restart', () => {
  it(req(['CORE-TXN-025', 'CORE-TXN-032'], 'wire', 'a prepared XA branch survives a restart: XA RECOVER lists it, XA COMMIT commits it'), async () => {
    const durable = newDurable();
    const e1 = new TxnTestEngine({ name: 'TXR', durable });
    const first = await startTestServer({ plugins: [txnEnginePlugin(e1)] });
    const datadir = first.datadir;
    try {
      const d = await first.connect();
      await q('CREATE DATABASE r', d);
      await q('CREATE TABLE r.t (id INT PRIMARY KEY) ENGINE=TXR', d);
      await q("XA START 'keep'", d);
      await q('INSERT INTO r.t VALUES (1)', d);
      await q("XA END 'keep'", d);
      await q("XA PREPARE 'keep'", d);
      await d.end();
      await first.server.stop();
      const e2 = new TxnTestEngine({ name: 'TXR', durable });
      const second = await startTestServer({ datadir, plugins: [txnEnginePlugin(e2)] });
      try {
        const d2 = await second.connect();
        expect(await recover(d2)).toEqual([{ formatID: 1, gtrid_length: 4, bqual_length: 0, data: 'keep' }]);
        expect(second.logLines.some((l) => /\[Warning\] \[MY-010224\] \[Server\] Found 1 prepared XA transactions/.test(l))).toBe(true);
        await q("XA COMMIT 'keep'", d2);
        expect(await ids('r.t', d2)).toEqual([1]);
        expect(e2.committed('r.t').map((r) => Number(r[0]))).toEqual([1]);
        await d2.end();
      } finally {
        await second.stop();
      }
    } finally {
      await first.stop();
    }
  });
});
