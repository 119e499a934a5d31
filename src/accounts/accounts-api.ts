/**
 * What the accounts subsystem offers the executor and the protocol: login lookup, privilege
 * checks for a session and account-management statements. Checks throw SqlError
 * 1044/1142/1143/1227 with MySQL's texts.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/privilege-system.html
 * @req CORE-PRIV-010
 */
import type { AuthAccount, ConnectionInfo, StatementResult } from '../kernel/protocol-port.js';
import type { SessionPort } from '../kernel/session-port.js';
import type { Statement } from '../sql/ast.js';

/** Privileges and account statements for a session. */
export interface AccountsApi {
  findAccount(user: string, conn: ConnectionInfo): AuthAccount | null;
  hostKnown(conn: ConnectionInfo): boolean;
  /** Check one privilege on a table for the session's identity (`table` undefined = schema level). */
  checkTable(session: SessionPort, priv: string, schema: string, table: string, command?: string): void;
  /** Whether the session holds a global/dynamic privilege. */
  hasGlobal(session: SessionPort, priv: string): boolean;
  /** Check schema-level access for USE / COM_INIT_DB (1044). */
  checkSchemaAccess(session: SessionPort, schema: string): void;
  /** Run an account-management statement (CREATE USER, GRANT, SET PASSWORD, SET ROLE, FLUSH PRIVILEGES...). */
  execute?(session: SessionPort, stmt: Statement): Promise<StatementResult>;
  /** The account named exactly `user`@`host` (a stored program's DEFINER), or null when none. */
  accountNamed?(user: string, host: string): AuthAccount | null;
  /** Require a routine privilege (EXECUTE, ALTER ROUTINE) on `db.name`: 1370 otherwise. @req CORE-SP-050 */
  checkRoutine?(session: SessionPort, priv: string, db: string, name: string, type: 'FUNCTION' | 'PROCEDURE'): void;
  /** automatic_sp_privileges: EXECUTE and ALTER ROUTINE on a new routine for its creator. @req CORE-SP-052 */
  grantRoutineToCreator?(session: SessionPort, db: string, name: string, type: 'FUNCTION' | 'PROCEDURE'): Promise<void>;
  /** automatic_sp_privileges: the routine's grants go with it. @req CORE-SP-052 */
  revokeRoutineGrants?(db: string, name: string, type: 'FUNCTION' | 'PROCEDURE'): Promise<void>;
  /** Active roles after login (default roles). */
  defaultRoles?(account: AuthAccount, user: string): string[];
}
