/**
 * JSON functions (being filled in).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/json-functions.html
 * @req CORE-EXPR-070
 */
import { sqlError } from '../../errors.js';
import type { Value } from '../../types/value.js';
import type { CompiledExpr, ExprType } from '../types.js';

export function compileJsonPathOp(_op: '->' | '->>', _l: CompiledExpr, _r: CompiledExpr): CompiledExpr {
  throw sqlError('ER_NOT_SUPPORTED_YET', 'JSON path operators');
}

export function toJsonText(v: Value, _t: ExprType, _fn: string, _pos: number): Value {
  return v === null ? null : String(v);
}
