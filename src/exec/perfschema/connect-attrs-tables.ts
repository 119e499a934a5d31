/**
 * session_connect_attrs (every connection's attributes, for accounts with SELECT on it) and
 * session_account_connect_attrs (those of the reader's own account, open to all): the
 * key/value pairs a client sent in its handshake (_client_name, _pid, program_name, ...), in
 * the order sent.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/performance-schema-connection-attribute-tables.html
 * @req CORE-PFS-016
 */
import type { VirtualTable } from '../../catalog/virtual-table.js';
import type { Row } from '../../kernel/value.js';
import type { Session } from '../session.js';
import { int, pfsTable, ubig, varchar } from './columns.js';
import { threadHost } from './thread-hooks.js';

const COLUMNS = () => [ubig('PROCESSLIST_ID'), varchar('ATTR_NAME', 32, false), varchar('ATTR_VALUE', 1024), int('ORDINAL_POSITION')];

function attrRows(sessions: Session[]): Row[] {
  const rows: Row[] = [];
  for (const s of [...sessions].sort((a, b) => a.connectionId - b.connectionId)) {
    let pos = 0;
    for (const [name, value] of s.conn.connectAttributes ?? []) {
      rows.push([BigInt(s.connectionId), name.slice(0, 32), value.slice(0, 1024), BigInt(pos++)]);
    }
  }
  return rows;
}

/** @req CORE-PFS-016 */
export function connectAttrTables(viewer: (id: number) => Session | undefined, sessions: () => Session[]): VirtualTable[] {
  return [
    pfsTable('session_connect_attrs', COLUMNS(), () => attrRows(sessions())),
    pfsTable('session_account_connect_attrs', COLUMNS(), (ctx) => {
      const v = viewer(ctx.connectionId);
      if (!v) return [];
      const host = threadHost(v.conn);
      return attrRows(sessions().filter((s) => s.user === v.user && threadHost(s.conn) === host));
    }),
  ];
}
