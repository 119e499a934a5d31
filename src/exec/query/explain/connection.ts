/**
 * EXPLAIN [FORMAT = ...] FOR CONNECTION n: the plan of the statement another connection is
 * running. An unknown id is 1094; a connection running nothing gives an empty result (OK); a
 * prepared statement, an EXPLAIN, or a statement that is not SELECT / TABLE / VALUES / INSERT /
 * REPLACE / UPDATE / DELETE is 3012; another account's connection needs PROCESS (else 1045, as
 * the server reports it). The statement is planned again from its text, in the other
 * connection's default schema, and explained by this session; as in MySQL no 1003 note follows.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/explain-for-connection.html
 * @req CORE-EXPLAIN-011
 */
import { sqlError } from '../../../kernel/errors.js';
import type { ExplainStatement, Statement } from '../../../sql/ast.js';
import { parseOne } from '../../../sql/parser/index.js';
import { registryOf } from '../../server-context.js';
import type { Session } from '../../session.js';

const EXPLAINABLE = new Set(['select', 'insert', 'update', 'delete']);

/**
 * The statement connection `stmt.forConnection` runs, as the explain statement to run here,
 * with the schema to plan it in; null when that connection runs nothing.
 * @req CORE-EXPLAIN-011
 */
export function statementOfConnection(session: Session, stmt: ExplainStatement): { explain: ExplainStatement; schema: string | null } | null {
  const id = stmt.forConnection!;
  const target = registryOf(session.deps)?.get(id) ?? (id === session.connectionId ? session : undefined);
  if (!target) throw sqlError('ER_NO_SUCH_THREAD', id);
  // This EXPLAIN itself is what our own connection runs: not explainable.
  if (target === session) throw sqlError('ER_EXPLAIN_NOT_SUPPORTED');
  const text = target.currentStatement;
  if (target.command === 'Sleep' || text === null) return null;
  if (target.command === 'Execute') throw sqlError('ER_EXPLAIN_NOT_SUPPORTED');
  let parsed: Statement;
  try {
    parsed = parseOne(text, { sqlMode: target.sqlMode() });
  } catch {
    throw sqlError('ER_EXPLAIN_NOT_SUPPORTED');
  }
  if (!EXPLAINABLE.has(parsed.kind)) throw sqlError('ER_EXPLAIN_NOT_SUPPORTED');
  if (target.user !== session.user && !session.deps.accounts.hasGlobal(session, 'PROCESS')) {
    throw sqlError('ER_ACCESS_DENIED_ERROR', session.user, session.host, session.account.authString !== '' ? 'YES' : 'NO');
  }
  const explain: ExplainStatement = { kind: 'explain', statement: parsed };
  if (stmt.format !== undefined) explain.format = stmt.format;
  return { explain, schema: target.schema };
}
