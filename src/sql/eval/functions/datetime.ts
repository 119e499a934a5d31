/**
 * Date and time functions (being filled in).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/date-and-time-functions.html
 * @req CORE-EXPR-040
 */
import type { BinaryExpr, Expr } from '../../ast.js';
import { sqlError } from '../../errors.js';
import type { CompiledExpr } from '../types.js';

export function compileDateArith(_e: BinaryExpr, _compile: (e: Expr) => CompiledExpr): CompiledExpr {
  throw sqlError('ER_NOT_SUPPORTED_YET', 'date arithmetic');
}
