/**
 * How a transaction is presented by the monitor, INFORMATION_SCHEMA.INNODB_TRX and
 * performance_schema.data_locks: the id printed for it, its queue state, the tables it uses and
 * the ENGINE_LOCK_ID of its locks.
 *
 * Ids. InnoDB gives a transaction an id only when it first writes or locks (read-only
 * transactions never get one); reports then print an id made from the transaction object's
 * address with bit 48 set, so it can never be mistaken for a real id (real ids stay below
 * 2^48). Ours take a per-transaction serial number in the same way.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/information-schema-innodb-trx-table.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/performance-schema-data-locks-table.html
 * @req INNODB-MON-009 INNODB-MON-101 INNODB-MON-104
 */
import type { LockInfo, LockSys } from '../lock/lock-sys.js';
import type { InnodbTrx } from '../trx/trx.js';
import type { SpaceRegistry } from './spaces.js';
import { THREAD_HANDLE_BASE } from './monitor-text.js';

/** Ids printed for transactions without one start here (bit 48 set, as InnoDB's). INNODB-MON-101 */
export const UNASSIGNED_TRX_ID_BASE = (1n << 48n) | BigInt(THREAD_HANDLE_BASE);
/** Bytes between the synthetic "addresses" of two transactions or locks. */
const OBJECT_STRIDE = 1024n;

const serials = new WeakMap<object, bigint>();
let nextSerial = 1n;

/** A stable per-object serial number (the "address" part of printed ids). */
export function objectSerial(o: object): bigint {
  let s = serials.get(o);
  if (s === undefined) {
    s = nextSerial++;
    serials.set(o, s);
  }
  return s;
}

/** The id reports print for a transaction: its id, or a synthetic one above 2^48 when it has none. */
export function printedTrxId(trx: InnodbTrx): bigint {
  return trx.id !== 0n ? trx.id : UNASSIGNED_TRX_ID_BASE + objectSerial(trx) * OBJECT_STRIDE;
}

/** INNODB_TRX.trx_state: the transaction's queue state. @req INNODB-MON-101 */
export function trxQueueState(locks: LockSys, trx: InnodbTrx): 'RUNNING' | 'LOCK WAIT' | 'COMMITTING' {
  if (trx.state === 'committed') return 'COMMITTING';
  return locks.summary(trx).waiting ? 'LOCK WAIT' : 'RUNNING';
}

/** Tables the transaction holds a table lock on (IS / IX of its statements, S / X of LOCK TABLES). */
export function tablesLocked(locks: LockSys, trx: InnodbTrx): number {
  const ids = new Set<number>();
  for (const l of locks.ownerLocks(trx)) if (l.type === 'TABLE' && l.status === 'GRANTED') ids.add(l.tableId);
  return ids.size;
}

/**
 * The space id of a table id (0 for a table without a tablespace: temporary tables), from a map
 * built on first use, so that one read of a table of locks looks the spaces up once.
 */
export function spaceIdsOf(spaces: SpaceRegistry): (tableId: number) => number {
  let byTable: Map<number, number> | null = null;
  return (tableId) => {
    if (!byTable) {
      byTable = new Map();
      for (const s of spaces.all()) byTable.set(s.table.def.id, s.spaceId);
    }
    return byTable.get(tableId) ?? 0;
  };
}

/**
 * data_locks.ENGINE_LOCK_ID: `trx:version:table:lock` for a table lock and
 * `trx:version:space:page:heap:lock` for a record lock, as InnoDB builds it (the transaction
 * and lock parts are their immutable ids). Records live in memory, so page and heap number are
 * 0, as the monitor prints them. @req INNODB-MON-104
 */
export function engineLockId(info: LockInfo, space: number): string {
  const trxPart = `${info.trxId}:1`;
  return info.type === 'TABLE' ? `${trxPart}:${info.tableId}:${info.lockId}` : `${trxPart}:${space}:0:0:${info.lockId}`;
}

/** data_locks.OBJECT_INSTANCE_BEGIN: a stable synthetic address per lock. */
export function lockAddress(info: LockInfo): bigint {
  return BigInt(THREAD_HANDLE_BASE) + BigInt(info.lockId) * OBJECT_STRIDE;
}
