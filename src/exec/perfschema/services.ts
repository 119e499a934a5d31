/**
 * What the performance_schema tables read from the server beyond the executor: the status and
 * system variables, in the same display form SHOW STATUS and SHOW VARIABLES print, so the
 * tables and the SHOW statements agree by construction. The server composes them
 * (server/compose.ts).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/performance-schema-status-variable-tables.html
 * @req CORE-PFS-002 CORE-PFS-003 CORE-PFS-060
 */
import type { Value } from '../../kernel/value.js';
import type { Session } from '../session.js';

export interface PerfSchemaServices {
  /** SHOW GLOBAL STATUS rows. */
  globalStatus(): [string, Value][];
  /** SHOW SESSION STATUS rows of a session. */
  sessionStatus(session: Session): [string, Value][];
  /** The status variables with a per-session value, for one session (status_by_thread). */
  threadStatus(session: Session): [string, Value][];
  /** SHOW GLOBAL VARIABLES rows. */
  globalVariables(): [string, Value][];
  /** SHOW SESSION VARIABLES rows of a session. */
  sessionVariables(session: Session): [string, Value][];
  /** Whether a system variable has a session value (variables_by_thread lists only those). */
  hasSessionScope(name: string): boolean;
  /** Settings SET PERSIST recorded (persisted_variables). */
  persisted(): { name: string; value: string }[];
}
