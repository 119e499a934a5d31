/**
 * Startup step: the log tables and help tables of the `mysql` schema are created when missing,
 * so a data directory initialised before they existed gets them at its next start (and a new
 * one at its first). They are created by an internal session with root's identity running the
 * CREATE TABLE statements of log-tables.ts, so they pass through the ordinary DDL path.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/system-schema.html (5.3)
 * @req CORE-LOG-025 CORE-LOG-031
 */
import { internalConnection, internalRootAccount } from '../../exec/internal-session.js';
import type { ExecServerContext } from '../../exec/server-context.js';
import { collectRows } from '../../kernel/row-stream.js';
import { systemLogTables } from './log-tables.js';

/** What the step needs: which tables exist, the engines there are, and the server's sessions. */
export interface SystemTablesEnv {
  context: ExecServerContext;
  tableExists(schema: string, name: string): boolean;
  hasEngine(name: string): boolean;
  log(message: string): void;
}

/** Create the missing tables; returns the names created. @req CORE-LOG-025 CORE-LOG-031 */
export async function ensureLogAndHelpTables(env: SystemTablesEnv): Promise<string[]> {
  const helpEngine = env.hasEngine('InnoDB') ? 'InnoDB' : 'MyISAM';
  const missing = systemLogTables(helpEngine).filter(([name, ddl]) => {
    if (env.tableExists('mysql', name)) return false;
    // Without the CSV engine there can be no log tables (the server then logs to files only).
    return !(ddl.includes('ENGINE=CSV') && !env.hasEngine('CSV'));
  });
  if (missing.length === 0) return [];
  const conn = internalConnection(env.context.nextConnectionId());
  const account = internalRootAccount((u, c) => env.context.findAccount(u, c), conn);
  let session;
  try {
    session = await env.context.openSession(conn, { ...account, passwordExpired: false }, 'root', null);
  } catch (e) {
    // The server still starts; logging to tables and HELP then answer 1146.
    env.log(`Could not create the log and help tables: ${e instanceof Error ? e.message : String(e)}`);
    return [];
  }
  const created: string[] = [];
  try {
    for (const [name, ddl] of missing) {
      try {
        for await (const r of session.query(ddl, { multiStatements: false })) if (r.kind === 'rows') await collectRows(r.rows);
        created.push(name);
      } catch (e) {
        env.log(`Could not create mysql.${name}: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  } finally {
    await session.close();
  }
  return created;
}
