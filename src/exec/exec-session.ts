/**
 * The session as the executor's own statement families (DDL, SHOW, queries) see it: the
 * kernel's {@link SessionPort} plus what only the executor hands out, engine contexts and the
 * transaction hooks. Implemented by {@link Session} in `session.ts`.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/sql-statements.html
 * @req CORE-EXEC-002
 */
import type { SessionPort } from '../kernel/session-port.js';
import type { EngineContext } from '../storage/handler.js';

export interface ExecSession extends SessionPort {
  /** Engine context for a table of the given engine (joins the engine transaction if any). */
  engineContext(engine: string): EngineContext;
  /** Commit the open transaction before a statement that causes an implicit commit (DDL). */
  implicitCommit(): Promise<void>;
  /** Record that a table of a non-transactional engine was changed inside a transaction. */
  noteNonTransactionalChange(): void;
}
