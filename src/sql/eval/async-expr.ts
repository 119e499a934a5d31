/**
 * Expressions whose value must be awaited: SLEEP, GET_LOCK, a subquery over a table whose
 * engine's reads wait (FEDERATED), and any expression containing one. The executor awaits them
 * through `evalAsync` where a clause can pause (the select list, WHERE conditions left at the
 * top of a block, INSERT values, SET and DO). Everywhere else the synchronous `eval` refuses with
 * 1235 rather than hand back a promise where a value belongs, which would be a wrong answer.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/miscellaneous-functions.html#function_sleep
 * @req CORE-EXPR-091
 */
import { sqlError } from '../../kernel/errors.js';
import type { Row, Value } from '../../kernel/value.js';
import type { CompiledExpr, ExprType, Runtime } from './types.js';

/** What the statement cannot do yet, in 1235's "doesn't yet support '...'". */
export const AWAITED_VALUE_HERE = 'a value that must be awaited (SLEEP, GET_LOCK, a subquery over a FEDERATED table) in this clause';

function refuseSync(): Value {
  throw sqlError('ER_NOT_SUPPORTED_YET', AWAITED_VALUE_HERE);
}

/** A compiled expression evaluated only through `evalAsync`. */
export function asyncExpr(type: ExprType, evalAsync: (row: Row, rt: Runtime) => Promise<Value>): CompiledExpr {
  return { type, async: true, evalAsync, eval: refuseSync };
}
