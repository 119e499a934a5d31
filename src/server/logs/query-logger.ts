/**
 * The server's query logger: the general query log and the slow query log, written to files,
 * to the tables mysql.general_log / mysql.slow_log, to both or to neither, as the system
 * variables say. It follows general_log, slow_query_log, log_output, general_log_file and
 * slow_query_log_file as they change (SET GLOBAL, startup options) and keeps the executor's
 * two flags current, so sessions check one boolean per entry point.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/log-destinations.html (5.4.1)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/query-log.html (5.4.3)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/slow-query-log.html (5.4.5)
 * @req CORE-LOG-001 CORE-LOG-002 CORE-LOG-006 CORE-LOG-010 CORE-LOG-014 CORE-LOG-021 CORE-LOG-022
 */
import type { LogIdentity, QueryLogPort, SlowEntry } from '../../exec/logs/query-log-port.js';
import { Temporal, type Row, type Value } from '../../kernel/value.js';
import { NEVER_ABORTED } from '../../kernel/wait-signal.js';
import type { TableDef } from '../../kernel/table-def.js';
import type { StorageEngine } from '../../storage/handler.js';
import { fileHeader, generalLine, slowEntryText, userHost, type HeaderInfo } from './formats.js';
import { QueryLogFile } from './log-file.js';
import { LogTableSink } from './log-tables.js';
import { SLOW_LOG_INT_MAX, SLOW_LOG_MAX_TIME_US } from './limits.js';
import { nowMicros } from './timestamps.js';

/** What the logger needs of the server. */
export interface QueryLoggerEnv {
  datadir: string;
  /** Current global value of a system variable. */
  globalVar(name: string): Value;
  /** Be told when a global value changes. */
  onGlobalChange(listener: (name: string, value: Value) => void): void;
  /** The header's facts, read when a file is opened (the port is known only once listening). */
  header(): HeaderInfo;
  /** The log table's current definition and the engine holding it. */
  tableDef(name: 'general_log' | 'slow_log'): TableDef | undefined;
  engine(name: string): StorageEngine | undefined;
  /** An error for the error log. */
  error(message: string): void;
}

const WATCHED = new Set(['general_log', 'slow_query_log', 'log_output', 'general_log_file', 'slow_query_log_file']);

function on(v: Value): boolean {
  return v === 1n || v === 1 || (typeof v === 'string' && /^(ON|1|TRUE)$/i.test(v));
}

/** log_output as a set of destinations; NONE wins over the others. @req CORE-LOG-001 */
export function destinations(v: Value): { file: boolean; table: boolean } {
  const parts = new Set(String(v ?? '').toUpperCase().split(',').map((x) => x.trim()));
  if (parts.has('NONE')) return { file: false, table: false };
  return { file: parts.has('FILE'), table: parts.has('TABLE') };
}

/** A TIMESTAMP(6) value in the server's time zone. */
function timestampValue(us: bigint): Temporal {
  const d = new Date(Number(us / 1000n));
  return new Temporal('TIMESTAMP', d.getFullYear(), d.getMonth() + 1, d.getDate(), d.getHours(), d.getMinutes(), d.getSeconds(), Number(us % 1_000_000n), 6);
}

/** A TIME(6) value of a duration (capped at TIME's maximum). */
function timeValue(us: bigint): Temporal {
  const t = us > SLOW_LOG_MAX_TIME_US ? SLOW_LOG_MAX_TIME_US : us;
  const totalS = Number(t / 1_000_000n);
  return new Temporal('TIME', 0, 0, 0, Math.floor(totalS / 3600), Math.floor(totalS / 60) % 60, totalS % 60, Number(t % 1_000_000n), 6);
}

const int32 = (n: number): bigint => BigInt(Math.min(n, SLOW_LOG_INT_MAX));

export class QueryLogger implements QueryLogPort {
  general = false;
  slow = false;
  private out = { file: true, table: false };
  private readonly generalFile: QueryLogFile;
  private readonly slowFile: QueryLogFile;
  private readonly generalTable: LogTableSink;
  private readonly slowTable: LogTableSink;
  /** Files wanted since startup but not opened yet: they open at their first entry, once the
   *  listeners know the port the header names. */
  private deferred = { general: false, slow: false };
  private starting = true;

  constructor(private readonly env: QueryLoggerEnv) {
    const header = (): string => fileHeader(env.header());
    this.generalFile = new QueryLogFile(env.datadir, header, (m) => env.error(m));
    this.slowFile = new QueryLogFile(env.datadir, header, (m) => env.error(m));
    const sink = (name: 'general_log' | 'slow_log'): LogTableSink =>
      new LogTableSink({
        def: () => env.tableDef(name),
        engine: () => {
          const def = env.tableDef(name);
          return def ? env.engine(def.engine) : undefined;
        },
        ctx: { connectionId: 0, signal: NEVER_ABORTED, sessionVar: (n) => env.globalVar(n), transactionRolledBack: () => undefined },
        onError: (m) => env.error(`Failed to write to mysql.${name}: ${m}`),
      });
    this.generalTable = sink('general_log');
    this.slowTable = sink('slow_log');
    this.refresh();
    this.starting = false;
    env.onGlobalChange((name) => {
      if (!WATCHED.has(name)) return;
      if (name === 'general_log_file' && this.generalFile.isOpen) this.generalFile.open(this.fileName('general'));
      if (name === 'slow_query_log_file' && this.slowFile.isOpen) this.slowFile.open(this.fileName('slow'));
      this.refresh();
    });
  }

  private fileName(which: 'general' | 'slow'): string {
    return String(this.env.globalVar(which === 'general' ? 'general_log_file' : 'slow_query_log_file') ?? '');
  }

  /** Recompute the flags; open or close the files to match. @req CORE-LOG-001 */
  private refresh(): void {
    this.out = destinations(this.env.globalVar('log_output'));
    const anywhere = this.out.file || this.out.table;
    const generalOn = on(this.env.globalVar('general_log'));
    const slowOn = on(this.env.globalVar('slow_query_log'));
    this.general = generalOn && anywhere;
    this.slow = slowOn && anywhere;
    this.sync(this.generalFile, generalOn && this.out.file, 'general');
    this.sync(this.slowFile, slowOn && this.out.file, 'slow');
  }

  private sync(f: QueryLogFile, wanted: boolean, which: 'general' | 'slow'): void {
    this.deferred[which] = wanted && this.starting;
    if (wanted && !f.isOpen && !this.starting) f.open(this.fileName(which));
    else if (!wanted && f.isOpen) f.close();
  }

  /** Open a file deferred at startup, at its first entry. */
  private opened(f: QueryLogFile, which: 'general' | 'slow'): QueryLogFile {
    if (this.deferred[which]) {
      this.deferred[which] = false;
      if (!f.isOpen) f.open(this.fileName(which));
    }
    return f;
  }

  /** @req CORE-LOG-002 */
  writeGeneral(who: LogIdentity, command: string, argument: string): void {
    if (!this.general) return;
    const us = nowMicros();
    if (this.out.file) {
      const system = String(this.env.globalVar('log_timestamps')).toUpperCase() === 'SYSTEM';
      this.opened(this.generalFile, 'general').write(generalLine(us, system, who.connectionId, command, argument));
    }
    if (this.out.table) {
      const row: Row = [timestampValue(us), userHost(who), BigInt(who.connectionId), this.serverId(), command, Buffer.from(argument, 'utf8')];
      this.generalTable.write(row);
    }
  }

  /** @req CORE-LOG-014 */
  writeSlow(e: SlowEntry): void {
    if (!this.slow) return;
    const us = nowMicros();
    if (this.out.file) {
      const system = String(this.env.globalVar('log_timestamps')).toUpperCase() === 'SYSTEM';
      const text = slowEntryText(us, system, e, this.opened(this.slowFile, 'slow').lastDb);
      if (e.db !== null) this.slowFile.lastDb = e.db;
      this.slowFile.write(text);
    }
    if (this.out.table) {
      const row: Row = [
        timestampValue(e.startUs),
        userHost(e.who),
        timeValue(e.queryUs),
        timeValue(e.lockUs),
        int32(e.rowsSent),
        int32(e.rowsExamined),
        e.db ?? '',
        e.lastInsertId !== null ? BigInt.asIntN(32, e.lastInsertId) : 0n,
        e.insertId !== null ? BigInt.asIntN(32, e.insertId) : 0n,
        this.serverId(),
        Buffer.from(e.text, 'utf8'),
        BigInt(e.who.connectionId),
      ];
      this.slowTable.write(row);
    }
  }

  private serverId(): bigint {
    const v = this.env.globalVar('server_id');
    return typeof v === 'bigint' ? v : BigInt(Number(v ?? 0));
  }

  /** FLUSH LOGS: reopen the open files (a renamed file is replaced at its name). @req CORE-LOG-021 */
  reopen(which: 'general' | 'slow' | 'both'): void {
    const files: Array<[QueryLogFile, 'general' | 'slow']> = [];
    if (which !== 'slow') files.push([this.generalFile, 'general']);
    if (which !== 'general') files.push([this.slowFile, 'slow']);
    for (const [f, name] of files) {
      if (this.deferred[name]) this.opened(f, name);
      else if (f.isOpen) f.open(this.fileName(name));
    }
  }

  releaseTables(): void {
    this.generalTable.release();
    this.slowTable.release();
  }

  logsToTable(table: 'general_log' | 'slow_log'): boolean {
    return this.out.table && (table === 'general_log' ? this.general : this.slow);
  }

  /** Shutdown: close files and table handles. */
  close(): void {
    this.generalFile.close();
    this.slowFile.close();
    this.releaseTables();
  }
}
