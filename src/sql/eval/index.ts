/**
 * Expression evaluation: public entry point. `compileExpr` resolves names and dispatches on
 * types once, returning a closure that evaluates the expression per row.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/expressions.html
 * @req CORE-EXPR-001
 */
export type { ExprType, Runtime, RuntimeInfo, RowFn, CompiledExpr, CompileScope, StoredFunctionBinding } from './types.js';
export { asyncExpr, AWAITED_VALUE_HERE } from './async-expr.js';
export { compileExpr, enumAsNumber, evalConstant, literalInScope, literalType, setSysvarKindLookup, type SysvarKindLookup } from './compile.js';
