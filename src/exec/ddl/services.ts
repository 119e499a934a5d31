/**
 * What the DDL, SHOW and information_schema code needs from other subsystems, passed in by the
 * server when it composes the runtime (no imports of their internals, no cycles).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/sql-data-definition-statements.html
 * @req CORE-DDL-001
 */
import type { RowChangeObservers } from '../write/row-change.js';
import type { PrivilegeRow } from '../../accounts/infoschema-privileges.js';
import type { Catalog } from '../../catalog/catalog.js';
import type { Expr, SelectStatement, ShowStatement } from '../../sql/ast.js';
import type { StatementResult } from '../../kernel/protocol-port.js';
import type { ResultColumn } from '../../kernel/column-type.js';
import type { Row, Value } from '../../kernel/value.js';
import type { ExecSession } from '../exec-session.js';

/** One row of SHOW PROCESSLIST / information_schema.PROCESSLIST. */
export interface ProcessInfo {
  id: number;
  user: string;
  host: string;
  db: string | null;
  command: string;
  time: number;
  state: string | null;
  info: string | null;
}

export interface DdlServices {
  catalog: Catalog;
  /** The server's row-change observers (CREATE TABLE ... SELECT rows, the ALTER TABLE copy). @req CORE-WRITE-002 */
  rowChanges?: RowChangeObservers;
  /** exec's SELECT runner, for CREATE TABLE ... SELECT. */
  runSelect?: (session: ExecSession, stmt: SelectStatement) => Promise<{ columns: ResultColumn[]; rows: Row[] }>;
  /** Evaluate a SHOW ... WHERE condition against one result row (exec/eval provide it). Returns
   *  a predicate per row; when absent, SHOW ... WHERE supports only simple comparisons. */
  compileWhere?: (session: ExecSession, where: Expr, columns: ResultColumn[]) => (row: Row) => boolean;
  /** Privilege check (accounts): throws 1142/1044 etc. */
  checkTable?: (session: ExecSession, priv: string, schema: string, table: string | undefined) => void;
  /** Whether the session may see a schema/table (information_schema filtering). */
  canSee?: (session: ExecSession, schema: string, table?: string) => boolean;
  /** Sessions for SHOW PROCESSLIST / information_schema.PROCESSLIST (exec/server). */
  processList?: () => ProcessInfo[];
  /** Privilege rows for USER_/SCHEMA_/TABLE_/COLUMN_PRIVILEGES (accounts). */
  privilegeRows?: (kind: 'USER' | 'SCHEMA' | 'TABLE' | 'COLUMN') => PrivilegeRow[];
  /** System variables for performance_schema.global_variables/session_variables (server). */
  globalVariables?: () => [string, Value][];
  sessionVariables?: (session: { connectionId: number }) => [string, Value][];
  /** Status variables for SHOW STATUS (server/exec). */
  statusVariables?: (session: ExecSession, scope: 'global' | 'session') => [string, Value][];
  /** SHOW GRANTS (accounts). */
  showGrants?: (session: ExecSession, stmt: ShowStatement) => Promise<StatementResult>;
  /** Any other SHOW this module does not implement (replication, binlog, ENGINE ... STATUS):
   *  return undefined to get ER_NOT_SUPPORTED_YET. */
  showOther?: (session: ExecSession, stmt: ShowStatement) => Promise<StatementResult | undefined>;
}
