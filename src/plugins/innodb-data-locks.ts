/**
 * performance_schema.data_locks and data_lock_waits for InnoDB: every table and record lock
 * held or requested, and for every waiting request each lock that blocks it, read from the
 * lock system at the moment of the query. Columns are MySQL 8.0's.
 *
 * Identifiers: ENGINE_LOCK_ID is built as InnoDB builds it (trx-view.ts); THREAD_ID is the
 * connection's performance_schema thread id (connection id plus the offset of the background
 * threads, as performance_schema.threads numbers it); EVENT_ID is NULL because statement
 * events are not instrumented; OBJECT_INSTANCE_BEGIN is a stable synthetic address per lock.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/performance-schema-data-locks-table.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/performance-schema-data-lock-waits-table.html
 * @req INNODB-MON-104 INNODB-LOCK-111
 */
import type { VirtualTable } from '../catalog/virtual-table.js';
import { s, u, virtualTable } from '../exec/infoschema/define.js';
import { PS_THREAD_ID_OFFSET } from '../exec/locks/limits.js';
import type { Row } from '../kernel/value.js';
import type { LockInfo } from '../storage/innodb/lock/lock-sys.js';
import type { InnodbObservability } from '../storage/innodb/srv/observability.js';
import { engineLockId, lockAddress, spaceIdsOf } from '../storage/innodb/srv/trx-view.js';

const PS = 'performance_schema';
const ENGINE = 'INNODB';

/** `db`.`t` back to its two names (backquotes inside names are doubled). */
export function splitTableName(quoted: string): [string, string] {
  const m = /^`((?:[^`]|``)*)`\.`((?:[^`]|``)*)`$/.exec(quoted);
  if (!m) return ['', quoted];
  return [m[1]!.replace(/``/g, '`'), m[2]!.replace(/``/g, '`')];
}

function threadId(info: LockInfo): bigint {
  return BigInt(info.connectionId + PS_THREAD_ID_OFFSET);
}

/** @req INNODB-MON-104 */
function dataLocks(obs: InnodbObservability): VirtualTable {
  const cols = [
    s('ENGINE', 32), s('ENGINE_LOCK_ID', 128), u('ENGINE_TRANSACTION_ID'), u('THREAD_ID'), u('EVENT_ID'), s('OBJECT_SCHEMA', 64, true),
    s('OBJECT_NAME', 64, true), s('PARTITION_NAME', 64, true), s('SUBPARTITION_NAME', 64, true), s('INDEX_NAME', 64, true),
    u('OBJECT_INSTANCE_BEGIN', false), s('LOCK_TYPE', 32), s('LOCK_MODE', 32), s('LOCK_STATUS', 32), s('LOCK_DATA', 8192, true),
  ];
  return virtualTable(PS, 'data_locks', cols, (): Row[] => {
    const spaceOf = spaceIdsOf(obs.spaces);
    return obs.locks.locks().map((l): Row => {
      const [schema, table] = splitTableName(l.tableName);
      return [
        ENGINE, engineLockId(l, spaceOf(l.tableId)), l.trxId, threadId(l), null, schema, table, null, null,
        l.type === 'RECORD' ? l.indexName : null, lockAddress(l), l.type, l.mode, l.status, l.type === 'RECORD' ? l.keyText : null,
      ];
    });
  }, 'PERFORMANCE_SCHEMA');
}

/** @req INNODB-MON-104 */
function dataLockWaits(obs: InnodbObservability): VirtualTable {
  const cols = [
    s('ENGINE', 32), s('REQUESTING_ENGINE_LOCK_ID', 128), u('REQUESTING_ENGINE_TRANSACTION_ID'), u('REQUESTING_THREAD_ID'), u('REQUESTING_EVENT_ID'),
    u('REQUESTING_OBJECT_INSTANCE_BEGIN', false), s('BLOCKING_ENGINE_LOCK_ID', 128), u('BLOCKING_ENGINE_TRANSACTION_ID'), u('BLOCKING_THREAD_ID'),
    u('BLOCKING_EVENT_ID'), u('BLOCKING_OBJECT_INSTANCE_BEGIN', false),
  ];
  return virtualTable(PS, 'data_lock_waits', cols, (): Row[] => {
    const spaceOf = spaceIdsOf(obs.spaces);
    return obs.locks.waits().map(({ requesting: r, blocking: b }): Row => [
      ENGINE, engineLockId(r, spaceOf(r.tableId)), r.trxId, threadId(r), null, lockAddress(r),
      engineLockId(b, spaceOf(b.tableId)), b.trxId, threadId(b), null, lockAddress(b),
    ]);
  }, 'PERFORMANCE_SCHEMA');
}

/** Both tables, for the catalog. */
export function innodbDataLockTables(obs: InnodbObservability): VirtualTable[] {
  return [dataLocks(obs), dataLockWaits(obs)];
}
