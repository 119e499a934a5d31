/**
 * The session as every subsystem outside the executor sees it (catalog, accounts, DDL, SHOW,
 * plugins): identity, current schema, variables and the diagnostics area. The executor's
 * `Session` implements it; nothing here reaches into the executor.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/diagnostics-area.html
 * @req CORE-EXEC-002 CORE-EXEC-003
 */
import type { DiagnosticsArea } from './diagnostics.js';
import type { Diagnostic, ErrorName } from './errors.js';
import type { AuthAccount } from './protocol-port.js';
import type { Value } from './value.js';

export interface SessionPort {
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
  /** Append a condition given by number and text (an engine's own warnings). */
  warnRaw(level: Diagnostic['level'], code: number, message: string): void;
  /** Current value of a system variable (session scope, falling back to global). */
  sysvar(name: string): Value;
  readonly userVars: Map<string, Value>;
  /** sql_mode as a set of upper-case flag names. */
  sqlMode(): ReadonlySet<string>;
  /** Set by KILL QUERY; statements check it between rows. */
  isInterrupted(): boolean;
  lastInsertId: bigint;
  /** ROW_COUNT() of the last statement. */
  rowCount: bigint;
  /** FOUND_ROWS() */
  foundRows: bigint;
}
