/**
 * A small engine for the observability tests: the real lock system, transaction system,
 * tablespace registry and I/O counters, with tables added by hand, a settable clock of
 * variables and an optional fake redo log, wrapped in the real InnodbObservability.
 */
import type { IndexDef } from '../../../../src/kernel/table-def.js';
import type { Value } from '../../../../src/kernel/value.js';
import { BufferPool } from '../../../../src/storage/innodb/buf/buf-pool.js';
import { FileIoStats } from '../../../../src/storage/innodb/fil/io-stats.js';
import type { SpacePage } from '../../../../src/storage/innodb/fil/tablespace-image.js';
import { InnodbTable } from '../../../../src/storage/innodb/index/innodb-table.js';
import { LockSys } from '../../../../src/storage/innodb/lock/lock-sys.js';
import type { RedoLog, RedoStats } from '../../../../src/storage/innodb/log/redo-log.js';
import type { SessionInfo } from '../../../../src/storage/innodb/srv/monitor-source.js';
import { InnodbObservability, type ObservedEngine } from '../../../../src/storage/innodb/srv/observability.js';
import { SpaceRegistry } from '../../../../src/storage/innodb/srv/spaces.js';
import type { InnodbTrx } from '../../../../src/storage/innodb/trx/trx.js';
import { TrxSys } from '../../../../src/storage/innodb/trx/trx-sys.js';
import { column, tableDef } from '../../../helpers/table-def.js';

export interface FakeEngine extends ObservedEngine {
  vars: Map<string, Value>;
  trxs: InnodbTrx[];
  redoStats: RedoStats | null;
  historyLength: number;
  redo: RedoLog | null;
}

/** The engine fake and the observability over it. */
export function fakeEngine(vars: Record<string, Value> = {}): { engine: FakeEngine; obs: InnodbObservability } {
  const stats: RedoStats = { lsn: 8204n, written: 8204n, flushed: 8204n, checkpointLsn: 8204n, logIos: 0, fsyncs: 0, pendingWrites: 0, pendingFsyncs: 0 };
  const all: Record<string, Value> = { innodb_buffer_pool_size: 134217728n, innodb_buffer_pool_instances: 1n, innodb_adaptive_hash_index_parts: 8n, innodb_read_io_threads: 4n, innodb_write_io_threads: 4n, ...vars };
  const engine: FakeEngine = {
    pool: new BufferPool<SpacePage>(Number(all['innodb_buffer_pool_size']) / 16384),
    datadir: '/nonexistent',
    pageSize: 16384,
    startedAt: 1_000_000,
    sys: new TrxSys(),
    locks: new LockSys({ now: () => 1_000_000 }),
    spaces: new SpaceRegistry(),
    counters: { read: 0, inserted: 0, updated: 0, deleted: 0 },
    systemCounters: { read: 0, inserted: 0, updated: 0, deleted: 0 },
    fileIo: new FileIoStats(),
    historyLength: 0,
    vars: new Map(Object.entries(all)),
    trxs: [],
    redoStats: stats,
    redo: null,
    transactions(): InnodbTrx[] {
      return engine.trxs;
    },
    globalVar(name: string): Value {
      return engine.vars.get(name) ?? null;
    },
  };
  // A redo log that only answers its counters.
  engine.redo = {
    get stats(): RedoStats {
      return { ...engine.redoStats! };
    },
    get liveFiles() {
      return [{ number: 3, startLsn: 8192n, endLsn: 9000n }];
    },
    get capacity() {
      return 104857600;
    },
  } as unknown as RedoLog;
  const obs = new InnodbObservability(engine);
  return { engine, obs };
}

/** Add a table with `rows` live rows in space `spaceId`. */
export function addTable(engine: FakeEngine, spaceId: number, rows: number, opts: { dirty?: boolean; secondaries?: number } = {}): InnodbTable {
  const indexes: IndexDef[] = [{ name: 'PRIMARY', kind: 'PRIMARY', algorithm: 'BTREE', parts: [{ column: 0 }], comment: '', visible: true }];
  for (let i = 0; i < (opts.secondaries ?? 0); i++) indexes.push({ name: `k${i}`, kind: 'INDEX', algorithm: 'BTREE', parts: [{ column: 1 }], comment: '', visible: true });
  const def = tableDef({ id: spaceId + 100, name: `t${spaceId}`, engine: 'InnoDB', columns: [column('id', { nullable: false }), column('v')], indexes });
  const table = new InnodbTable(def);
  table.liveRows = rows;
  table.dirty = opts.dirty ?? false;
  engine.spaces.add({ spaceId, path: `db/t${spaceId}.ibd`, table, flushedLsn: 0n });
  return table;
}

/** A connection directory answering for the given connection ids. */
export function sessions(ids: number[], info: Partial<SessionInfo> = {}): { info(id: number): SessionInfo | null; query(id: number): string | null; ids(): number[] } {
  const base: SessionInfo = { host: 'localhost', ip: '127.0.0.1', user: 'root', state: '', query: null, queryId: 1, busy: false, uniqueChecks: true, foreignKeyChecks: true, ...info };
  return {
    info: (id) => (ids.includes(id) ? base : null),
    query: (id) => (ids.includes(id) ? base.query : null),
    ids: () => ids,
  };
}
