/**
 * performance_schema.replication_group_members as far as refmysql has a group: no rows without
 * the plugin; one OFFLINE row with only the channel name before the member ever started; this
 * member ONLINE as PRIMARY while Group Replication runs (it is alone: membership is not part of
 * refmysql); and OFFLINE with its identity after STOP.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/performance-schema-replication-group-members-table.html
 * @req GRALLOW-001 GRALLOW-007
 */
import type { VirtualTable } from '../catalog/virtual-table.js';
import { i, s, virtualTable } from '../exec/infoschema/define.js';
import type { Row, Value } from '../kernel/value.js';

/** What the table reads from the plugin and the server. */
export interface MemberSource {
  readonly isLoaded: boolean;
  readonly running: boolean;
  readonly everStarted: boolean;
  global(name: string): Value;
}

const CHANNEL = 'group_replication_applier';

export function replicationGroupMembersTable(src: MemberSource, version: string): VirtualTable {
  const cols = [
    s('CHANNEL_NAME', 64),
    s('MEMBER_ID', 36),
    s('MEMBER_HOST', 255),
    i('MEMBER_PORT'),
    s('MEMBER_STATE', 64),
    s('MEMBER_ROLE', 64),
    s('MEMBER_VERSION', 64),
    s('MEMBER_COMMUNICATION_STACK', 64),
  ];
  const rows = (): Row[] => {
    if (!src.isLoaded) return [];
    if (!src.everStarted) return [[CHANNEL, '', '', null, 'OFFLINE', '', '', '']];
    const id = String(src.global('server_uuid') ?? '');
    const host = String(src.global('hostname') ?? '');
    const port = src.global('port');
    const portValue = typeof port === 'bigint' ? port : port === null ? null : BigInt(Number(port));
    if (src.running) return [[CHANNEL, id, host, portValue, 'ONLINE', 'PRIMARY', version.replace(/-.*$/, ''), 'XCom']];
    return [[CHANNEL, id, host, portValue, 'OFFLINE', '', '', 'XCom']];
  };
  return virtualTable('performance_schema', 'replication_group_members', cols, rows, 'PERFORMANCE_SCHEMA');
}
