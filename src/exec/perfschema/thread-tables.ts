/**
 * performance_schema.threads (every thread: the server's main thread and one per connection,
 * THREAD_ID apart from PROCESSLIST_ID), performance_schema.processlist and
 * information_schema.PROCESSLIST. The connection rows come from {@link visibleProcessRows} /
 * {@link allProcessRows}, as SHOW PROCESSLIST's do.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/performance-schema-threads-table.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/performance-schema-processlist-table.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/information-schema-processlist-table.html
 * @req CORE-PFS-010 CORE-PFS-014 CORE-PFS-015
 */
import type { VirtualTable } from '../../catalog/virtual-table.js';
import type { Row } from '../../kernel/value.js';
import { u, s, i, t, virtualTable } from '../infoschema/define.js';
import type { Session } from '../session.js';
import { big, enumCol, longtext, pfsTable, ubig, varchar, yesNo } from './columns.js';
import { PFS_MAIN_THREAD_ID } from './limits.js';
import { allProcessRows, visibleProcessRows } from './process-list.js';

const THREAD_COLUMNS = [
  ubig('THREAD_ID'), varchar('NAME', 128, false), varchar('TYPE', 10, false), ubig('PROCESSLIST_ID', true),
  varchar('PROCESSLIST_USER', 32), varchar('PROCESSLIST_HOST', 255), varchar('PROCESSLIST_DB', 64), varchar('PROCESSLIST_COMMAND', 16),
  big('PROCESSLIST_TIME'), varchar('PROCESSLIST_STATE', 64), longtext('PROCESSLIST_INFO'), ubig('PARENT_THREAD_ID', true),
  varchar('ROLE', 64), yesNo('INSTRUMENTED'), yesNo('HISTORY'), varchar('CONNECTION_TYPE', 16), ubig('THREAD_OS_ID', true),
  varchar('RESOURCE_GROUP', 64), enumCol('EXECUTION_ENGINE', ['PRIMARY', 'SECONDARY'], true), ubig('CONTROLLED_MEMORY'),
  ubig('MAX_CONTROLLED_MEMORY'), ubig('TOTAL_MEMORY'), ubig('MAX_TOTAL_MEMORY'), yesNo('TELEMETRY_ACTIVE'),
];

const yn = (b: boolean): string => (b ? 'YES' : 'NO');

/**
 * The rows of threads: the main thread (BACKGROUND, no processlist columns), then each
 * connection (FOREGROUND, thread/sql/one_connection). Every connection runs on the server's one
 * event-loop thread, so THREAD_OS_ID is the server's process id for all. @req CORE-PFS-010
 */
function threadRows(viewer: Session): Row[] {
  const pid = BigInt(process.pid);
  const rows: Row[] = [[
    BigInt(PFS_MAIN_THREAD_ID), 'thread/sql/main', 'BACKGROUND', null, null, null, null, null, null, null, null, null,
    null, 'YES', 'YES', null, pid, 'SYS_default', 'PRIMARY', 0n, 0n, 0n, 0n, 'NO',
  ]];
  for (const p of allProcessRows(viewer)) {
    rows.push([
      BigInt(p.threadId), 'thread/sql/one_connection', 'FOREGROUND', BigInt(p.id), p.user, p.host, p.db, p.command,
      BigInt(p.time), p.state === '' ? null : p.state, p.info, BigInt(PFS_MAIN_THREAD_ID), null,
      yn(p.session.pfs.instrumented), yn(p.session.pfs.history), p.connectionType, pid, 'USR_default', 'PRIMARY', 0n, 0n, 0n, 0n, 'NO',
    ]);
  }
  return rows;
}

/** The three tables. @req CORE-PFS-010 CORE-PFS-014 CORE-PFS-015 */
export function threadTables(viewer: (id: number) => Session | undefined): { pfs: VirtualTable[]; informationSchema: VirtualTable[] } {
  const withViewer = <T>(id: number, f: (s: Session) => T[]): T[] => {
    const v = viewer(id);
    return v ? f(v) : [];
  };
  const threads = pfsTable('threads', THREAD_COLUMNS, (ctx) => withViewer(ctx.connectionId, threadRows));
  const processlist = pfsTable(
    'processlist',
    [ubig('ID', true), varchar('USER', 32), varchar('HOST', 261), varchar('DB', 64), varchar('COMMAND', 16), big('TIME'), varchar('STATE', 64), longtext('INFO'), enumCol('EXECUTION_ENGINE', ['PRIMARY', 'SECONDARY'], true)],
    (ctx) => withViewer(ctx.connectionId, (v) => visibleProcessRows(v).map((p) => [BigInt(p.id), p.user, p.hostPort, p.db, p.command, BigInt(p.time), p.state, p.info, 'PRIMARY'])),
  );
  const isProcesslist = virtualTable('information_schema', 'PROCESSLIST', [u('ID', false), s('USER', 32), s('HOST', 261), s('DB', 64, true), s('COMMAND', 16), i('TIME', false), s('STATE', 64, true), t('INFO')], (ctx) =>
    withViewer(ctx.connectionId, (v) => visibleProcessRows(v).map((p) => [BigInt(p.id), p.user, p.hostPort, p.db, p.command, BigInt(p.time), p.state, p.info])));
  return { pfs: [threads, processlist], informationSchema: [isProcesslist] };
}
