/**
 * UPDATE execution.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/update.html
 * @req CORE-EXEC-050
 */
import type { UpdateStatement } from '../../sql/ast.js';
import { sqlError } from '../../sql/errors.js';
import type { Value } from '../../sql/types/value.js';
import type { OkResult } from '../session-api.js';
import type { Session } from '../session.js';

export async function executeUpdate(_session: Session, _stmt: UpdateStatement, _params: Value[]): Promise<OkResult> {
  throw sqlError('ER_NOT_SUPPORTED_YET', 'UPDATE');
}
