/**
 * What the server composes around the InnoDB engine so that it can be observed: the
 * connection directory the monitor and INNODB_TRX read (user, host, statement of a
 * connection), InnoDB's INFORMATION_SCHEMA and performance_schema tables, the Innodb_* status
 * variables, and the background monitor thread (main-thread loop, innodb_status_output, the
 * lock-memory guard) writing to the error log.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-monitors.html (15.17)
 * @req INNODB-MON-001 INNODB-MON-103 INNODB-MON-106 INNODB-TRBL-002 INNODB-TRBL-004 INNODB-TRBL-005
 */
import type { VirtualTable } from '../catalog/virtual-table.js';
import type { Value } from '../kernel/value.js';
import { InnodbEngine } from '../storage/innodb/engine.js';
import type { SessionInfo } from '../storage/innodb/srv/monitor-source.js';
import { MonitorThread } from '../storage/innodb/srv/monitor-thread.js';
import type { SessionDirectory } from '../storage/innodb/srv/observability.js';
import { innodbStatusVariables } from '../storage/innodb/srv/status-variables.js';
import type { StorageEngine } from '../storage/handler.js';
import { innodbDataLockTables } from './innodb-data-locks.js';
import { innodbInformationSchemaTables } from './innodb-tables.js';

/** One connection as the server knows it (an exec Session, seen structurally). */
export interface ObservedSession {
  readonly connectionId: number;
  readonly user: string;
  readonly host: string;
  readonly conn: { readonly transport: 'tcp' | 'socket'; readonly remoteAddress: string };
  readonly currentStatement: string | null;
  readonly command: string;
  readonly stage: string | null;
  readonly locks: { waitState(): string | null };
  readonly sessionVars: { get(name: string): Value };
}

export interface InnodbObservabilityWiring {
  /** The InnoDB engine, when the server has one. */
  engine: StorageEngine | undefined;
  /** The server's open connections. */
  session(id: number): ObservedSession | undefined;
  sessions(): readonly ObservedSession[];
  /** Statements a connection has sent (Questions), the monitor's "query id". */
  queries(id: number): number;
  registerTable(schema: 'information_schema' | 'performance_schema', vt: VirtualTable): void;
  statusGauge(name: string, read: () => bigint): void;
  statusText(name: string, read: () => string): void;
  /** Unformatted and formatted error-log output. */
  print(text: string): void;
  warn(code: string, message: string): void;
  version: string;
}

function flag(v: Value): boolean {
  return !(v === 0n || v === 0 || v === 'OFF' || v === '0');
}

/** The directory InnoDB reads connections through. */
export function sessionDirectory(w: Pick<InnodbObservabilityWiring, 'session' | 'sessions' | 'queries'>): SessionDirectory {
  return {
    info(id: number): SessionInfo | null {
      const s = w.session(id);
      if (!s) return null;
      const socket = s.conn.transport === 'socket';
      const ip = socket ? null : s.conn.remoteAddress;
      const host = socket ? 'localhost' : s.host !== ip ? s.host : null;
      const busy = s.command !== 'Sleep';
      return {
        host,
        ip,
        user: s.user,
        state: s.locks.waitState() ?? (busy ? (s.stage ?? 'executing') : ''),
        query: busy ? s.currentStatement : null,
        queryId: w.queries(id),
        busy,
        uniqueChecks: flag(s.sessionVars.get('unique_checks')),
        foreignKeyChecks: flag(s.sessionVars.get('foreign_key_checks')),
      };
    },
    query(id: number): string | null {
      return w.session(id)?.currentStatement ?? null;
    },
    ids(): readonly number[] {
      return w
        .sessions()
        .map((s) => s.connectionId)
        .sort((a, b) => a - b);
    },
  };
}

/**
 * Attach everything; returns what stops the background thread (call it before the engine
 * shuts down). Does nothing without an InnoDB engine.
 */
export function attachInnodbObservability(w: InnodbObservabilityWiring): { stop(): void } {
  const engine = w.engine;
  if (!(engine instanceof InnodbEngine)) return { stop: () => undefined };
  const obs = engine.observability;
  obs.sessions = sessionDirectory(w);
  for (const vt of innodbInformationSchemaTables(obs, w.version)) w.registerTable('information_schema', vt);
  for (const vt of innodbDataLockTables(obs)) w.registerTable('performance_schema', vt);
  for (const v of innodbStatusVariables(obs)) {
    const first = v.read();
    if (typeof first === 'string') w.statusText(v.name, () => String(v.read()));
    else w.statusGauge(v.name, () => BigInt(v.read()));
  }
  const thread = new MonitorThread(obs, { print: (t) => w.print(t), warn: (code, msg) => w.warn(code, msg) });
  thread.start();
  return { stop: () => thread.stop() };
}
