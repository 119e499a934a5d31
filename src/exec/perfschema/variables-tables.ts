/**
 * The status and system variable tables: global_status, session_status, status_by_thread,
 * global_variables, session_variables, variables_by_thread and persisted_variables. Their rows
 * are those SHOW [GLOBAL|SESSION] STATUS / VARIABLES print (the same services make both).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/performance-schema-status-variable-tables.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/performance-schema-system-variable-tables.html
 * @req CORE-PFS-002 CORE-PFS-003 CORE-PFS-004
 */
import type { VirtualTable } from '../../catalog/virtual-table.js';
import { Temporal, type Row, type Value } from '../../kernel/value.js';
import type { Session } from '../session.js';
import { pfsTable, ubig, varchar } from './columns.js';
import type { PerfSchemaServices } from './services.js';
import { threadIdOf } from './thread-hooks.js';

/** VARIABLE_VALUE is VARCHAR(1024): the display text, cut there. */
function valueText(v: Value): string | null {
  if (v === null) return null;
  const s = v instanceof Temporal ? v.toString() : Buffer.isBuffer(v) ? v.toString('utf8') : String(v);
  return s.length > 1024 ? s.slice(0, 1024) : s;
}

const NAME_VALUE = (): ReturnType<typeof varchar>[] => [varchar('VARIABLE_NAME', 64, false), varchar('VARIABLE_VALUE', 1024)];
const BY_THREAD = (): ReturnType<typeof varchar>[] => [ubig('THREAD_ID'), varchar('VARIABLE_NAME', 64, false), varchar('VARIABLE_VALUE', 1024)];

function pairs(list: [string, Value][]): Row[] {
  return list.map(([n, v]) => [n, valueText(v)]);
}

/** The tables; `viewer` finds the reading session, `sessions` lists every connection thread. @req CORE-PFS-002 CORE-PFS-003 CORE-PFS-004 */
export function variableTables(services: PerfSchemaServices, viewer: (id: number) => Session | undefined, sessions: () => Session[]): VirtualTable[] {
  const own = <T>(id: number, f: (s: Session) => T[]): T[] => {
    const s = viewer(id);
    return s ? f(s) : [];
  };
  const byThread = (list: (s: Session) => [string, Value][]): Row[] => {
    const rows: Row[] = [];
    for (const s of [...sessions()].sort((a, b) => a.connectionId - b.connectionId)) {
      const id = BigInt(threadIdOf(s.connectionId));
      for (const [n, v] of list(s)) rows.push([id, n, valueText(v)]);
    }
    return rows;
  };
  return [
    pfsTable('global_status', NAME_VALUE(), () => pairs(services.globalStatus())),
    pfsTable('session_status', NAME_VALUE(), (ctx) => own(ctx.connectionId, (s) => pairs(services.sessionStatus(s)))),
    pfsTable('status_by_thread', BY_THREAD(), () => byThread((s) => services.threadStatus(s))),
    pfsTable('global_variables', NAME_VALUE(), () => pairs(services.globalVariables())),
    pfsTable('session_variables', NAME_VALUE(), (ctx) => own(ctx.connectionId, (s) => pairs(services.sessionVariables(s)))),
    pfsTable('variables_by_thread', BY_THREAD(), () => byThread((s) => services.sessionVariables(s).filter(([n]) => services.hasSessionScope(n)))),
    pfsTable('persisted_variables', NAME_VALUE(), () => services.persisted().map((p) => [p.name, p.value.length > 1024 ? p.value.slice(0, 1024) : p.value])),
  ];
}
