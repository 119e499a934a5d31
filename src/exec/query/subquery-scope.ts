/**
 * A compile scope for statements without tables that may still contain subqueries
 * (SET @a = (SELECT ...), DO (SELECT ...)).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/subqueries.html
 * @req CORE-EXEC-036
 */
import type { CompileScope, Runtime } from '../../sql/eval/index.js';
import type { Session } from '../session.js';
import { noTableScope } from './runtime.js';

export function subqueryScope(session: Session, _rt: Runtime): CompileScope {
  return noTableScope(session);
}
