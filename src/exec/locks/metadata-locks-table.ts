/**
 * performance_schema.metadata_locks: one row per metadata lock held (GRANTED) or asked for
 * (PENDING) by any session, read from the lock manager at the moment of the query.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/performance-schema-metadata-locks-table.html
 * @req CORE-MDL-011
 */
import type { VirtualTable } from '../../catalog/virtual-table.js';
import type { Row } from '../../kernel/value.js';
import { s, u, virtualTable } from '../infoschema/define.js';
import { PS_THREAD_ID_OFFSET } from './limits.js';
import type { MdlManager, MdlTicket } from './mdl-manager.js';

const COLUMNS = [
  s('OBJECT_TYPE', 64),
  s('OBJECT_SCHEMA', 64, true),
  s('OBJECT_NAME', 64, true),
  s('COLUMN_NAME', 64, true),
  u('OBJECT_INSTANCE_BEGIN', false),
  s('LOCK_TYPE', 32),
  s('LOCK_DURATION', 32),
  s('LOCK_STATUS', 32),
  s('SOURCE', 64, true),
  u('OWNER_THREAD_ID'),
  u('OWNER_EVENT_ID'),
];

function row(t: MdlTicket): Row {
  const ns = t.lock.namespace;
  const schema = ns === 'GLOBAL' || ns === 'COMMIT' || ns === 'USER_LEVEL_LOCK' ? null : t.lock.schema;
  const name = ns === 'TABLE' || ns === 'USER_LEVEL_LOCK' ? t.lock.name : null;
  return [
    // @req CORE-LOCK-011
    ns === 'USER_LEVEL_LOCK' ? 'USER LEVEL LOCK' : ns,
    schema,
    name,
    null,
    t.address,
    t.type,
    t.duration,
    t.status,
    t.source === '' ? null : t.source,
    BigInt(t.owner.id + PS_THREAD_ID_OFFSET),
    BigInt(t.eventId),
  ];
}

/** The table over a server's metadata lock manager. @req CORE-MDL-011 */
export function metadataLocksTable(mdl: MdlManager): VirtualTable {
  return virtualTable('performance_schema', 'metadata_locks', COLUMNS, () => mdl.snapshot().map(row), 'PERFORMANCE_SCHEMA');
}
