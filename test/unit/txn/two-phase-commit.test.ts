/**
 * Two-phase commit at the coordinator level, with two transactional test participants (TXA,
 * TXB) and the transaction-coordinator log double: the order of the protocol's steps, a crash
 * between every pair of steps resolved at "restart" by XID, failures of a participant and of
 * the log, and group commit counted in syncs.
 */
import { describe, expect, it } from 'vitest';
import { req } from '../../helpers/req.js';
import { CrashSwitch, SimulatedCrash, TxnTestEngine, newDurable, type TxnDurable } from '../../helpers/txn-engine.js';
import { TcLogDisk, TcLogDouble } from '../../helpers/tc-log-double.js';
import { SessionTransaction, type TransactionHost } from '../../../src/exec/txn/session-transaction.js';
import { ServerTransactions } from '../../../src/exec/txn/server-transactions.js';
import { recoverTransactions } from '../../../src/exec/txn/recovery.js';
import { GroupCommit } from '../../../src/exec/txn/group-commit.js';
import { isInternalXid } from '../../../src/exec/txn/internal-xid.js';
import { SqlError, sqlError } from '../../../src/kernel/errors.js';
import type { TableDef } from '../../../src/kernel/table-def.js';
import type { Xid } from '../../../src/kernel/xid.js';
import { internalEngineContext, type EngineContext, type TableHandler } from '../../../src/storage/handler.js';
import { column, tableDef as baseTableDef } from '../../helpers/table-def.js';

function tableDef(id: number, engine: string): TableDef {
  return baseTableDef({
    id,
    name: `t${id}`,
    engine,
    columns: [column('id', { nullable: false })],
    indexes: [{ name: 'PRIMARY', kind: 'PRIMARY', algorithm: 'BTREE', parts: [{ column: 0 }], comment: '', visible: true }],
  });
}

const ctx0 = (): EngineContext => internalEngineContext(() => null);

interface World {
  a: TxnTestEngine;
  b: TxnTestEngine;
  ha: TableHandler;
  hb: TableHandler;
  log: TcLogDouble;
  services: ServerTransactions;
  events: string[];
}

/** Two engines with a table each, a log double, the server services; everything durable is passed in. */
async function world(durA: TxnDurable, durB: TxnDurable, disk: TcLogDisk, crash?: CrashSwitch): Promise<World> {
  const events: string[] = [];
  const a = new TxnTestEngine({ name: 'TXA', durable: durA, events, ...(crash ? { crash } : {}) });
  const b = new TxnTestEngine({ name: 'TXB', durable: durB, events, ...(crash ? { crash } : {}) });
  if (!durA.tables.has(1)) await a.createTable(ctx0(), tableDef(1, 'TXA'));
  if (!durB.tables.has(2)) await b.createTable(ctx0(), tableDef(2, 'TXB'));
  const ha = await a.openTable(ctx0(), tableDef(1, 'TXA'));
  const hb = await b.openTable(ctx0(), tableDef(2, 'TXB'));
  const log = new TcLogDouble(disk, crash, events);
  const services = new ServerTransactions({ serverId: 7, tcLog: log, engines: () => [a, b] });
  return { a, b, ha, hb, log, services, events };
}

function host(autocommit = true): TransactionHost {
  return {
    sysvar: () => null,
    autocommit: () => autocommit,
    warn: () => undefined,
    baseContext: () => ctx0(),
  };
}

/** One statement that writes `id` into both engines' tables inside `txn`. */
async function writeBoth(w: World, txn: SessionTransaction, id: number): Promise<void> {
  for (const [engine, h] of [[w.a, w.ha], [w.b, w.hb]] as const) {
    const ctx = { ...ctx0(), txn: txn.join(engine, ctx0()) } as EngineContext;
    await h.insert(ctx, [BigInt(id)]);
  }
  await txn.endStatement(null);
}

const ids = (e: TxnTestEngine, table: number): number[] => e.committedRows(table).map((r) => Number(r[0]));

describe('two-phase commit', () => {
  it(req(['CORE-TXN-030', 'CORE-TXN-001'], 'unit', 'prepare on all, one log record (write, sync), commit on all, under one internal XID'), async () => {
    const w = await world(newDurable(), newDurable(), new TcLogDisk());
    const txn = new SessionTransaction(host(), w.services);
    await txn.begin();
    await writeBoth(w, txn, 1);
    w.events.length = 0;
    let prepared: Xid | undefined;
    const prepare = w.a.durable.prepared;
    const set = prepare.set.bind(prepare);
    prepare.set = (k, v) => ((prepared = v.xid), set(k, v));
    await txn.commit();
    expect(w.events).toEqual(['TXA:prepare', 'TXB:prepare', 'log:write', 'log:sync', 'TXA:commit', 'TXB:commit']);
    expect(isInternalXid(prepared!)).toBe(true);
    expect(prepared!.gtrid.subarray(8, 12).readUInt32LE(0)).toBe(7);
    expect([w.log.writes, w.log.syncs]).toEqual([1, 1]);
    expect(w.log.disk.records.size).toBe(0); // forgotten once both committed
    expect([ids(w.a, 1), ids(w.b, 2)]).toEqual([[1], [1]]);
    expect(txn.inTransaction()).toBe(false);
  });

  it(req('CORE-TXN-030', 'unit', 'each commit gets a new internal XID; one participant commits in one phase'), async () => {
    const w = await world(newDurable(), newDurable(), new TcLogDisk());
    const x1 = w.services.xids.newXid();
    const x2 = w.services.xids.newXid();
    expect(x1.gtrid.equals(x2.gtrid)).toBe(false);
    const txn = new SessionTransaction(host(), w.services);
    await txn.begin();
    const ctx = { ...ctx0(), txn: txn.join(w.a, ctx0()) } as EngineContext;
    await w.ha.insert(ctx, [5n]);
    await txn.endStatement(null);
    w.events.length = 0;
    await txn.commit();
    expect(w.events).toEqual(['TXA:commit']);
    expect(w.log.writes).toBe(0);
  });

  const STEPS = ['TXA:prepare', 'TXB:prepare', 'log:write', 'log:sync', 'TXA:commit', 'TXB:commit', 'log:forget'] as const;
  const COMMITTED_AFTER: Record<(typeof STEPS)[number], boolean> = {
    'TXA:prepare': false,
    'TXB:prepare': false,
    'log:write': false,
    'log:sync': false,
    'TXA:commit': true,
    'TXB:commit': true,
    'log:forget': true,
  };
  for (const step of STEPS) {
    it(req(['CORE-TXN-032', 'CORE-TXN-030'], 'unit', `a crash before ${step} resolves by XID at restart: committed everywhere or nowhere`), async () => {
      const durA = newDurable();
      const durB = newDurable();
      const disk = new TcLogDisk();
      const crash = new CrashSwitch();
      const w = await world(durA, durB, disk, crash);
      const txn = new SessionTransaction(host(), w.services);
      await txn.begin();
      await writeBoth(w, txn, 1);
      crash.arm(step);
      const outcome = await txn.commit().then(
        () => null,
        (e: unknown) => e,
      );
      expect(crash.tripped).toBe(true);
      expect(outcome === null || outcome instanceof SimulatedCrash || outcome instanceof SqlError).toBe(true);
      // Restart: new engines and log on what is durable; recovery decides.
      const r = await world(durA, durB, disk);
      const report = await recoverTransactions(r.services, [r.a, r.b], r.log);
      const a = ids(r.a, 1);
      const b = ids(r.b, 2);
      expect(a).toEqual(b);
      expect(a).toEqual(COMMITTED_AFTER[step] ? [1] : []);
      expect([durA.prepared.size, durB.prepared.size, disk.records.size]).toEqual([0, 0, 0]);
      expect(report.external).toBe(0);
    });
  }

  it(req(['CORE-TXN-032', 'CORE-TXN-025'], 'unit', 'recovery leaves externally prepared XA branches prepared and registers them'), async () => {
    const durA = newDurable();
    const w = await world(durA, newDurable(), new TcLogDisk());
    const txn = new SessionTransaction(host(), w.services);
    await txn.begin();
    const ctx = { ...ctx0(), txn: txn.join(w.a, ctx0()) } as EngineContext;
    await w.ha.insert(ctx, [9n]);
    await txn.endStatement(null);
    const xid: Xid = { formatId: 1, gtrid: Buffer.from('ext'), bqual: Buffer.alloc(0) };
    await txn.participants[0]!.txn.prepare(xid);
    const r = await world(durA, newDurable(), new TcLogDisk());
    const report = await recoverTransactions(r.services, [r.a, r.b], r.log);
    expect(report).toEqual({ committed: 0, rolledBack: 0, external: 1 });
    expect(durA.prepared.size).toBe(1);
    expect(r.services.xa.prepared().map((e) => e.xid.gtrid.toString())).toEqual(['ext']);
  });

  it(req('CORE-TXN-034', 'unit', 'a participant that cannot prepare rolls back every participant; the commit fails'), async () => {
    const w = await world(newDurable(), newDurable(), new TcLogDisk());
    const txn = new SessionTransaction(host(), w.services);
    await txn.begin();
    await writeBoth(w, txn, 3);
    w.b.prepareFault = sqlError('ER_LOCK_WAIT_TIMEOUT');
    w.events.length = 0;
    await expect(txn.commit()).rejects.toMatchObject({ errno: 1205 });
    expect(w.events).toEqual(['TXA:prepare', 'TXA:rollback', 'TXB:rollback']);
    expect([ids(w.a, 1), ids(w.b, 2), w.a.durable.prepared.size, w.log.writes]).toEqual([[], [], 0, 0]);
    expect(txn.inTransaction()).toBe(false);
  });

  it(req('CORE-TXN-034', 'unit', 'a transaction-coordinator log that cannot be written rolls back every participant with 1180'), async () => {
    const w = await world(newDurable(), newDurable(), new TcLogDisk());
    const txn = new SessionTransaction(host(), w.services);
    await txn.begin();
    await writeBoth(w, txn, 4);
    w.log.failSync = new Error('disk full');
    await expect(txn.commit()).rejects.toMatchObject({ errno: 1180, message: "Got error 1 - 'disk full' during COMMIT" });
    expect([ids(w.a, 1), ids(w.b, 2), w.a.durable.prepared.size, w.b.durable.prepared.size]).toEqual([[], [], 0, 0]);
    // Not in a transaction any more: the next statement commits on its own (autocommit).
    await writeBoth(w, txn, 5);
    expect([ids(w.a, 1), ids(w.b, 2)]).toEqual([[5], [5]]);
  });
});

describe('the beforeCommit hook', () => {
  it(req('CORE-TXN-030', 'unit', 'runs before work is committed; when it refuses, nothing is committed and the transaction stays open'), async () => {
    const w = await world(newDurable(), newDurable(), new TcLogDisk());
    const kinds: string[] = [];
    let refuse = true;
    const h: TransactionHost = {
      ...host(),
      beforeCommit: (kind) => {
        kinds.push(kind);
        if (refuse) throw sqlError('ER_LOCK_WAIT_TIMEOUT');
      },
    };
    const txn = new SessionTransaction(h, w.services);
    await txn.commit(); // nothing to commit: the hook is not asked
    expect(kinds).toEqual([]);
    await txn.begin();
    await writeBoth(w, txn, 8);
    await expect(txn.commit()).rejects.toMatchObject({ errno: 1205 });
    expect(txn.inTransaction()).toBe(true);
    expect([ids(w.a, 1), ids(w.b, 2), w.log.writes]).toEqual([[], [], 0]);
    refuse = false;
    await txn.commit();
    expect(kinds).toEqual(['commit', 'commit']);
    expect([ids(w.a, 1), ids(w.b, 2)]).toEqual([[8], [8]]);
  });
});

describe('group commit', () => {
  it(req('CORE-TXN-031', 'unit', 'commits that arrive while a sync is in flight share one write and one sync'), async () => {
    const log = new TcLogDouble();
    let open!: () => void;
    log.syncGate = new Promise<void>((r) => (open = r));
    const gc = new GroupCommit(log);
    const src = new ServerTransactions({ serverId: 1 });
    const waits = Array.from({ length: 50 }, () => gc.commit(src.xids.newXid()));
    // The first commit's batch is in flight; the other 49 are queued behind it.
    await Promise.resolve();
    expect([log.writes, log.syncs]).toEqual([1, 0]);
    open();
    await Promise.all(waits);
    expect(log.batches).toEqual([1, 49]);
    expect([log.writes, log.syncs]).toEqual([2, 2]);
    expect(gc.stats).toEqual({ batches: 2, records: 50 });
  });

  it(req(['CORE-TXN-031', 'CORE-TXN-030'], 'unit', 'twenty sessions committing two-engine transactions at once need far fewer syncs than commits'), async () => {
    const w = await world(newDurable(), newDurable(), new TcLogDisk());
    let open!: () => void;
    w.log.syncGate = new Promise<void>((r) => (open = r));
    const sessions = Array.from({ length: 20 }, () => new SessionTransaction(host(), w.services));
    for (const [i, txn] of sessions.entries()) {
      await txn.begin();
      await writeBoth(w, txn, 100 + i);
    }
    const commits = sessions.map((t) => t.commit());
    for (let i = 0; i < 10; i++) await new Promise((r) => setImmediate(r));
    open();
    await Promise.all(commits);
    expect(ids(w.a, 1).length).toBe(20);
    expect(ids(w.b, 2).length).toBe(20);
    expect(w.log.syncs).toBeLessThanOrEqual(2);
    expect(w.log.batches.reduce((x, y) => x + y, 0)).toBe(20);
  });

  it(req('CORE-TXN-031', 'unit', 'a failed sync fails only the commits of its batch'), async () => {
    const log = new TcLogDouble();
    let open!: () => void;
    log.syncGate = new Promise<void>((r) => (open = r));
    log.failSync = new Error('io');
    const gc = new GroupCommit(log);
    const src = new ServerTransactions({ serverId: 1 });
    const first = gc.commit(src.xids.newXid());
    await Promise.resolve();
    const later = [gc.commit(src.xids.newXid()), gc.commit(src.xids.newXid())];
    const firstOutcome = first.then(() => 'ok', () => 'failed');
    open();
    expect(await firstOutcome).toBe('failed');
    await Promise.all(later);
    expect(log.batches).toEqual([1, 2]);
  });
});
