/**
 * A transaction-coordinator log double: what it has synced lives in a {@link TcLogDisk} that
 * outlives it (a test "restarts" by building a new double on the same disk); records written
 * but not yet synced are lost by a crash. It counts writes and syncs, can hold a sync in flight
 * (so that commits pile up behind it), fail on demand, and takes part in a {@link CrashSwitch}
 * ("log:write", "log:sync", "log:forget").
 *
 * @req CORE-TXN-030 CORE-TXN-031 CORE-TXN-032
 */
import { xidKey, type Xid } from '../../src/kernel/xid.js';
import type { TcLog } from '../../src/exec/txn/tc-log.js';
import type { CrashSwitch } from './txn-engine.js';

export class TcLogDisk {
  readonly records = new Set<string>();
}

export class TcLogDouble implements TcLog {
  writes = 0;
  syncs = 0;
  /** XID counts of the batches written, in order. */
  readonly batches: number[] = [];
  /** While set, every sync waits for it (a batch stays in flight). */
  syncGate: Promise<void> | null = null;
  /** The next write / sync fails with this error (once). */
  failWrite: Error | null = null;
  failSync: Error | null = null;
  private pending: string[] = [];

  constructor(
    readonly disk = new TcLogDisk(),
    private readonly crash?: CrashSwitch,
    private readonly events?: string[],
  ) {}

  async recover(): Promise<ReadonlySet<string>> {
    return new Set(this.disk.records);
  }

  async write(batch: readonly Xid[]): Promise<void> {
    this.crash?.step('log:write');
    const fw = this.failWrite;
    this.failWrite = null;
    if (fw) throw fw;
    this.writes++;
    this.batches.push(batch.length);
    this.pending.push(...batch.map(xidKey));
    this.events?.push('log:write');
  }

  async sync(): Promise<void> {
    if (this.syncGate) await this.syncGate;
    this.crash?.step('log:sync');
    const fs = this.failSync;
    this.failSync = null;
    if (fs) throw fs;
    this.syncs++;
    for (const k of this.pending) this.disk.records.add(k);
    this.pending = [];
    this.events?.push('log:sync');
  }

  async forget(xids: readonly Xid[]): Promise<void> {
    this.crash?.step('log:forget');
    for (const x of xids) this.disk.records.delete(xidKey(x));
  }

  async recovered(): Promise<void> {
    this.disk.records.clear();
  }

  async close(): Promise<void> {}
}
