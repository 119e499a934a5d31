/**
 * DELETE execution.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/delete.html
 * @req CORE-EXEC-050
 */
import type { DeleteStatement } from '../../sql/ast.js';
import { sqlError } from '../../sql/errors.js';
import type { Value } from '../../sql/types/value.js';
import type { OkResult } from '../session-api.js';
import type { Session } from '../session.js';

export async function executeDelete(_session: Session, _stmt: DeleteStatement, _params: Value[]): Promise<OkResult> {
  throw sqlError('ER_NOT_SUPPORTED_YET', 'DELETE');
}
