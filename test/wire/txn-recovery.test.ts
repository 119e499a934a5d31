/**
 * Crash recovery at server startup, end to end: two transactional test engines hold
 * transactions prepared under the server's own XIDs (as a crash in the middle of two-phase
 * commit leaves them) and tc.log in the data directory holds the commit record of one of
 * them. The server commits that one in both engines and rolls back the other before it
 * accepts connections; a tc.log that is not ours stops the startup.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { initializedDatadir, startTestServer } from '../helpers/server.js';
import { req } from '../helpers/req.js';
import { TxnTestEngine, newDurable, txnEnginePlugin, type TxnDurable } from '../helpers/txn-engine.js';
import { InternalXidSource } from '../../src/exec/txn/internal-xid.js';
import { FileTcLog } from '../../src/exec/txn/tc-log-file.js';
import { xidKey, type Xid } from '../../src/kernel/xid.js';

const cleanup: string[] = [];
afterAll(() => {
  for (const d of cleanup) rmSync(d, { recursive: true, force: true });
});

/** A transaction prepared under `xid` that would insert `id` into the engine's only table. */
function prepareInsert(d: TxnDurable, xid: Xid, id: number): void {
  const table = [...d.tables.keys()][0]!;
  d.prepared.set(xidKey(xid), { xid, redo: [{ table, key: d.nextKey++, row: [BigInt(id)] }] });
}

describe('recovery at startup', () => {
  it(req(['CORE-TXN-032', 'CORE-TXN-033'], 'wire', 'prepared internal XIDs: committed when tc.log holds them, rolled back otherwise, before the first connection'), async () => {
    const { parent, datadir } = await initializedDatadir();
    cleanup.push(parent);
    const dA = newDurable();
    const dB = newDurable();
    const first = await startTestServer({ datadir, plugins: [txnEnginePlugin(new TxnTestEngine({ name: 'TXA', durable: dA })), txnEnginePlugin(new TxnTestEngine({ name: 'TXB', durable: dB }))] });
    const c = await first.connect();
    await c.query('CREATE DATABASE rc');
    await c.query('CREATE TABLE rc.a (id INT PRIMARY KEY) ENGINE=TXA');
    await c.query('CREATE TABLE rc.b (id INT PRIMARY KEY) ENGINE=TXB');
    await c.query('INSERT INTO rc.a VALUES (1)');
    await c.end();
    await first.stop();

    // What a crash between the steps of two two-phase commits leaves behind.
    const xids = new InternalXidSource(1, 1000n);
    const decided = xids.newXid();
    const undecided = xids.newXid();
    for (const [d, off] of [[dA, 0], [dB, 100]] as const) {
      prepareInsert(d, decided, 10 + off);
      prepareInsert(d, undecided, 20 + off);
    }
    const log = await FileTcLog.open(join(datadir, 'tc.log'));
    await log.write([decided]);
    await log.sync();
    await log.close();

    const A = new TxnTestEngine({ name: 'TXA', durable: dA });
    const B = new TxnTestEngine({ name: 'TXB', durable: dB });
    const second = await startTestServer({ datadir, plugins: [txnEnginePlugin(A), txnEnginePlugin(B)] });
    try {
      expect([dA.prepared.size, dB.prepared.size]).toEqual([0, 0]);
      const c2 = await second.connect();
      const [ra] = await c2.query('SELECT id FROM rc.a ORDER BY id');
      const [rb] = await c2.query('SELECT id FROM rc.b ORDER BY id');
      expect(ra).toEqual([{ id: 1 }, { id: 10 }]);
      expect(rb).toEqual([{ id: 110 }]);
      const [rec] = await c2.query('XA RECOVER');
      expect(rec).toEqual([]);
      await c2.end();
      const lines = second.logLines.join('\n');
      expect(lines).toMatch(/\[System\] \[MY-010229\] \[Server\] Starting XA crash recovery\.\.\./);
      expect(lines).toMatch(/\[System\] \[MY-010232\] \[Server\] XA crash recovery finished\./);
      expect(lines.indexOf('XA crash recovery finished.')).toBeLessThan(lines.indexOf('ready for connections'));
    } finally {
      await second.stop();
    }
    // Recovery emptied the log: a third start finds nothing to decide.
    const third = await startTestServer({ datadir, plugins: [txnEnginePlugin(new TxnTestEngine({ name: 'TXA', durable: dA })), txnEnginePlugin(new TxnTestEngine({ name: 'TXB', durable: dB }))] });
    expect(third.logLines.join('\n')).not.toMatch(/XA crash recovery/);
    await third.stop();
  });

  it(req('CORE-TXN-033', 'unit', 'a tc.log that is not a transaction-coordinator log stops the startup'), async () => {
    const { parent, datadir } = await initializedDatadir();
    cleanup.push(parent);
    writeFileSync(join(datadir, 'tc.log'), 'not a log\n');
    await expect(startTestServer({ datadir })).rejects.toThrow(/Bad magic header in tc log/);
  });
});
