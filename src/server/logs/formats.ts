/**
 * The text of the query log files, as MySQL 8.0 writes it:
 *
 * - the header written whenever a file is opened (program, version, ports, and the general
 *   log's column line `Time                 Id Command    Argument`);
 * - a general log line: timestamp, tab, the connection id right-aligned in five places and a
 *   space, the command name, tab, the argument;
 * - a slow log entry: `# Time:`, `# User@Host: priv[user] @ host [ip]  Id: n`,
 *   `# Query_time: ... Lock_time: ... Rows_sent: ... Rows_examined: ...`, `use db;` when the
 *   schema changed since the previous entry, `SET timestamp=...;`, the statement and `;`.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/query-log.html (5.4.3)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/slow-query-log.html (5.4.5)
 * @req CORE-LOG-002 CORE-LOG-006 CORE-LOG-014
 */
import type { LogIdentity, SlowEntry } from '../../exec/logs/query-log-port.js';
import { iso8601 } from './timestamps.js';

export interface HeaderInfo {
  program: string;
  version: string;
  comment: string;
  port: number;
  socket: string;
}

/** The lines a log file starts with each time it is opened. @req CORE-LOG-002 */
export function fileHeader(h: HeaderInfo): string {
  return `${h.program}, Version: ${h.version} (${h.comment}). started with:\nTcp port: ${h.port}  Unix socket: ${h.socket}\nTime                 Id Command    Argument\n`;
}

/** One general log line. @req CORE-LOG-002 */
export function generalLine(us: bigint, system: boolean, id: number, command: string, argument: string): string {
  return `${iso8601(us, system)}\t${String(id).padStart(5)} ${command}\t${argument}\n`;
}

/** `priv[user] @ host [ip]`: the User@Host of the slow log and the user_host column. @req CORE-LOG-014 */
export function userHost(who: LogIdentity): string {
  return `${who.privUser}[${who.user}] @ ${who.host} [${who.ip}]`;
}

const seconds = (us: bigint): string => (Number(us) / 1e6).toFixed(6);

/**
 * One slow log entry; `lastDb` is the schema the previous entry of this file left (a `use`
 * line is written when it differs). @req CORE-LOG-014
 */
export function slowEntryText(nowUs: bigint, system: boolean, e: SlowEntry, lastDb: string | null): string {
  let out = `# Time: ${iso8601(nowUs, system)}\n`;
  out += `# User@Host: ${userHost(e.who)}  Id: ${String(e.who.connectionId).padStart(5)}\n`;
  out += `# Query_time: ${seconds(e.queryUs)}  Lock_time: ${seconds(e.lockUs)} Rows_sent: ${e.rowsSent}  Rows_examined: ${e.rowsExamined}\n`;
  if (e.db !== null && e.db !== lastDb) out += `use ${e.db};\n`;
  let set = '';
  if (e.lastInsertId !== null) set += `,last_insert_id=${e.lastInsertId}`;
  if (e.insertId !== null) set += `,insert_id=${e.insertId}`;
  set += `,timestamp=${e.startUs / 1_000_000n}`;
  out += `SET ${set.slice(1)};\n`;
  out += `${e.text};\n`;
  return out;
}
