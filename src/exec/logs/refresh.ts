/**
 * COM_REFRESH: the protocol command behind `mysqladmin refresh` and friends. Its option bits
 * name FLUSH operations; the command needs the RELOAD privilege (1227) and, being deprecated
 * in MySQL 8.0, leaves warning 1287 pointing at the FLUSH statement.
 *
 * @spec https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_refresh.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/flush.html (15.7.8.3)
 * @req CORE-LOG-020
 */
import type { FlushStatement } from '../../sql/ast.js';

/** The option bits of COM_REFRESH and the FLUSH operation each one stands for. */
export const REFRESH_BITS: ReadonlyArray<readonly [bit: number, what: string | null]> = [
  [0x1, 'PRIVILEGES'], // REFRESH_GRANT
  [0x2, 'LOGS'], // REFRESH_LOG
  [0x4, 'TABLES'], // REFRESH_TABLES
  [0x8, 'HOSTS'], // REFRESH_HOSTS
  [0x10, 'STATUS'], // REFRESH_STATUS
  [0x20, null], // REFRESH_THREADS: no thread cache to empty
  [0x40, null], // REFRESH_SLAVE (RESET REPLICA): not through COM_REFRESH here
  [0x80, null], // REFRESH_MASTER (RESET MASTER): no binary log yet
  [0x100, 'ERROR LOGS'],
  [0x200, 'ENGINE LOGS'],
  [0x400, 'BINARY LOGS'],
  [0x800, 'RELAY LOGS'],
  [0x1000, 'GENERAL LOGS'],
  [0x2000, 'SLOW LOGS'],
  [0x80000, 'USER_RESOURCES'],
  [0x200000, 'OPTIMIZER_COSTS'],
];

/** The FLUSH statement COM_REFRESH with these options amounts to. @req CORE-LOG-020 */
export function refreshStatement(options: number): FlushStatement {
  const what: string[] = [];
  for (const [bit, w] of REFRESH_BITS) if ((options & bit) !== 0 && w !== null) what.push(w);
  return { kind: 'flush', local: false, what };
}
