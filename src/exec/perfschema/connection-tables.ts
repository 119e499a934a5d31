/**
 * The connection tables: accounts, users and hosts, with the connections open now and the
 * connections made since startup (or since the table was truncated). The server's main thread is
 * counted in the row whose USER and HOST are NULL, as MySQL counts its background threads.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/performance-schema-connection-tables.html
 * @req CORE-PFS-050
 */
import type { VirtualTable } from '../../catalog/virtual-table.js';
import type { Row } from '../../kernel/value.js';
import { big, char, pfsTable, ubig } from './columns.js';
import type { ConnectionCount, PfsState } from './state.js';

const counts = (c: ConnectionCount): Row => [BigInt(c.current), BigInt(c.total), 0n, 0n];
const COUNT_COLUMNS = () => [big('CURRENT_CONNECTIONS', false), big('TOTAL_CONNECTIONS', false), ubig('MAX_SESSION_CONTROLLED_MEMORY'), ubig('MAX_SESSION_TOTAL_MEMORY')];
/** The background row: the main thread, always there. */
const BACKGROUND: ConnectionCount = { current: 1, total: 1 };

/** @req CORE-PFS-050 */
export function connectionTables(state: PfsState): VirtualTable[] {
  return [
    pfsTable('accounts', [char('USER', 32, true), char('HOST', 255, true), ...COUNT_COLUMNS()], () => [
      [null, null, ...counts(BACKGROUND)],
      ...[...state.accounts.values()].map((a) => [a.user, a.host, ...counts(a)]),
    ]),
    pfsTable('users', [char('USER', 32, true), ...COUNT_COLUMNS()], () => [
      [null, ...counts(BACKGROUND)],
      ...[...state.users].map(([u, c]) => [u, ...counts(c)]),
    ]),
    pfsTable('hosts', [char('HOST', 255, true), ...COUNT_COLUMNS()], () => [
      [null, ...counts(BACKGROUND)],
      ...[...state.hosts].map(([h, c]) => [h, ...counts(c)]),
    ]),
  ];
}
