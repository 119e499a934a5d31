/**
 * COM_FIELD_LIST (deprecated, still sent by some clients): column definitions of a table,
 * terminated by EOF. We obtain the columns by asking the session for an empty result of the
 * table, which keeps privilege checks and name resolution in one place above the boundary.
 *
 * @spec https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_field_list.html
 * @req CORE-PROTO-016
 */
import type { PayloadReader } from '../packet-codec.js';
import { columnDefinitionPacket } from '../packets.js';
import type { Wire } from './wire.js';

function quoteIdent(s: string): string {
  return '`' + s.replace(/`/g, '``') + '`';
}

/** @req CORE-PROTO-016 */
export async function handleFieldList(w: Wire, r: PayloadReader): Promise<void> {
  const table = r.nulOrRestBytes().toString('utf8');
  const wildcard = r.rest().toString('utf8');
  w.countQuestion();
  try {
    for await (const res of w.session.query(`SELECT * FROM ${quoteIdent(table)} LIMIT 0`, { multiStatements: false })) {
      if (res.kind !== 'rows') continue;
      const pattern = wildcard === '' ? null : new RegExp('^' + wildcard.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.') + '$', 'i');
      for (const c of res.columns) {
        if (pattern && !pattern.test(c.name)) continue;
        w.write(columnDefinitionPacket(c, null));
      }
    }
  } catch (e) {
    w.sendError(e);
    return;
  }
  w.sendEndOfRows(w.session.statusFlags(), w.session.warningCount());
}
