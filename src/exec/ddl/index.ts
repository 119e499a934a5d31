/**
 * DDL statements: CREATE/ALTER/DROP/RENAME/TRUNCATE TABLE, CREATE/DROP INDEX, CREATE/ALTER/DROP
 * DATABASE, INSTALL/UNINSTALL PLUGIN and the table maintenance statements. Implicit commit is
 * done by the executor before it calls {@link executeDdl}.
 *
 * Entry points: `createDdlDelegates(services)` returns `{ executeDdl, executeShow }` for
 * ExecDeps.delegates; `executeDdl(services, session, stmt)` is the underlying function.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/sql-data-definition-statements.html
 * @req CORE-DDL-001
 */
export { executeDdl, isDdlStatement } from './execute.js';
export { createDdlDelegates } from './delegates.js';
export type { DdlServices, ProcessInfo } from './services.js';
