/**
 * The session as the rest of the server (DDL, SHOW, accounts, evaluator) sees it: identity,
 * current schema, variables, the diagnostics area and engine contexts. Implemented by
 * {@link Session} in `session.ts`; kept as an interface so other subsystems do not import the
 * executor's internals.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/diagnostics-area.html
 * @req CORE-EXEC-002 CORE-EXEC-003 CORE-EXEC-065
 */
import type { Diagnostic, ErrorName } from '../sql/errors.js';
import type { Value } from '../sql/types/value.js';
import type { EngineContext } from '../storage/handler.js';
import type { AuthAccount } from './session-api.js';
import type { SessionVars } from '../server/sysvars/index.js';

/** Warnings/notes of the current (or last) statement: what SHOW WARNINGS prints. */
export class DiagnosticsArea {
  readonly list: Diagnostic[] = [];
  /** Total count including those beyond max_error_count (for @@warning_count). */
  total = 0;
  limit = 1024;
  /** sql_notes = 0: notes are neither recorded nor counted. @req CORE-EXEC-065 */
  suppressNotes = false;

  clear(): void {
    this.list.length = 0;
    this.total = 0;
  }
  push(d: Diagnostic): void {
    if (d.level === 'Note' && this.suppressNotes) return;
    this.total++;
    if (this.list.length < this.limit) this.list.push(d);
  }
  warningCount(): number {
    return this.total;
  }
  errorCount(): number {
    let n = 0;
    for (const d of this.list) if (d.level === 'Error') n++;
    return n;
  }
}

export interface ExecSession {
  readonly connectionId: number;
  /** Login user name as sent by the client (USER()). */
  readonly user: string;
  /** Client host as the server sees it (USER() host part). */
  readonly host: string;
  /** The matched account row (CURRENT_USER()). */
  readonly account: AuthAccount;
  /** Active roles as 'user@host' keys. */
  activeRoles: string[];
  readonly schema: string | null;
  readonly diagnostics: DiagnosticsArea;
  /** Append a warning/note to the diagnostics area. */
  warn(level: Diagnostic['level'], name: ErrorName, ...args: unknown[]): void;
  /** Current value of a system variable (session scope, falling back to global). */
  sysvar(name: string): Value;
  /** The session's system variable values (server helper's SessionVars). */
  readonly sessionVars: SessionVars;
  readonly userVars: Map<string, Value>;
  /** sql_mode as a set of upper-case flag names. */
  sqlMode(): ReadonlySet<string>;
  /** Engine context for a table of the given engine (joins the engine transaction if any). */
  engineContext(engine: string): EngineContext;
  /** Commit the open transaction before a statement that causes an implicit commit (DDL). */
  implicitCommit(): Promise<void>;
  /** Record that a table of a non-transactional engine was changed inside a transaction. */
  noteNonTransactionalChange(): void;
  /** Set by KILL QUERY; statements check it between rows. */
  isInterrupted(): boolean;
  lastInsertId: bigint;
  /** ROW_COUNT() of the last statement. */
  rowCount: bigint;
  /** FOUND_ROWS() */
  foundRows: bigint;
}
