/**
 * Stored functions in expressions: before a statement compiles, each call of a name that is
 * not a built-in function (or is qualified with a database) is bound to the stored function of
 * that name, so SELECT f(1), WHERE f(a) = ..., SET @x = f(2) and the like run the function's
 * body; its RETURN value is converted to the RETURNS type. The function body runs as part of
 * the calling statement (its statements do not end on their own) and may not recurse (1424).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/create-procedure.html
 * @req CORE-SP-030 CORE-SP-031
 */
import type { Expr, FuncCall, Statement } from '../../sql/ast.js';
import type { Runtime, StoredFunctionBinding } from '../../sql/eval/index.js';
import type { Value } from '../../kernel/value.js';
import { sqlError } from '../../kernel/errors.js';
import { FUNCTIONS } from '../../sql/eval/functions/registry.js';
import { storeValue } from '../../sql/types/store.js';
import { exprTypeOfColumn } from '../query/column-types.js';
import type { Session } from '../session.js';
import { makeRuntime, type ExecRuntime } from '../query/runtime.js';
import { runBody } from './interpreter.js';
import { checkExecute, checkRecursion, findRoutine, loadRoutine, newContext, withRoutineContext } from './invoke.js';

/** Built-in names that the parser reads as function calls but the evaluator treats specially. */
function isNative(call: FuncCall): boolean {
  return call.schema === undefined && FUNCTIONS.has(call.name.toUpperCase());
}

/**
 * Bind every stored-function call in a statement or expression (a walk over the tree, done only
 * when the server has stored functions).
 * @req CORE-SP-030
 */
export function bindStoredFunctions(session: Session, root: Statement | Expr, defaultDb?: string): void {
  const cat = session.deps.catalog;
  if (!cat.hasPrograms?.('FUNCTION')) return;
  const seen = new Set<object>();
  const visit = (node: unknown): void => {
    if (node === null || typeof node !== 'object' || seen.has(node)) return;
    seen.add(node);
    if (Array.isArray(node)) {
      for (const x of node) visit(x);
      return;
    }
    const o = node as Record<string, unknown>;
    if (o['type'] === 'func' && typeof o['name'] === 'string' && Array.isArray(o['args'])) {
      const call = o as unknown as FuncCall;
      if (!isNative(call)) bindCall(session, call, defaultDb ?? session.schema);
    }
    for (const k of Object.keys(o)) if (k !== 'stored') visit(o[k]);
  };
  visit(root);
}

function bindCall(session: Session, call: FuncCall, currentDb: string | null): void {
  const db = call.schema ?? currentDb;
  if (db === null) return;
  const def = session.deps.catalog.getProgram?.(db, 'FUNCTION', call.name);
  if (!def) return;
  const routine = loadRoutine(def);
  const ret = routine.returns;
  const binding: StoredFunctionBinding = {
    type: ret ? { ...exprTypeOfColumn(ret), nullable: true } : { kind: 'string', length: 0, decimals: 0, nullable: true },
    // The session comes from the runtime: a view's parsed query is shared by sessions.
    invoke: (args: Value[], rt: Runtime) => invokeFunction((rt as Partial<ExecRuntime>).session ?? session, def.schema, def.name, args, rt),
  };
  if (call.args.length !== routine.params.length) {
    throw sqlError('ER_SP_WRONG_NO_OF_ARGS', 'FUNCTION', `${def.schema}.${def.name}`, routine.params.length, call.args.length);
  }
  call.stored = binding;
}

/**
 * Run a stored function with argument values: EXECUTE privilege, no recursion, the RETURN
 * value converted to the RETURNS type; 1321 when the body ends without RETURN.
 * @req CORE-SP-030 CORE-SP-031
 */
export async function invokeFunction(session: Session, schema: string, name: string, args: Value[], _rt: Runtime): Promise<Value> {
  const def = findRoutine(session, 'FUNCTION', schema, name);
  checkExecute(session, def);
  checkRecursion(session, def);
  const routine = loadRoutine(def);
  const ctx = newContext(session, routine, null, false);
  const rt = makeRuntime(session, []);
  for (let i = 0; i < routine.params.length; i++) {
    const v = args[i] ?? null;
    const col = routine.slotTypes[i];
    ctx.values[i] = v === null || col === undefined ? v : storeValue(v, col, rt, 1);
  }
  const r = await withRoutineContext(session, def, () => runBody(ctx, routine.body));
  if (!r.returned) throw sqlError('ER_SP_NORETURNEND', def.name);
  if (r.value === null || !routine.returns) return r.value;
  return storeValue(r.value, routine.returns, makeRuntime(session, []), 1);
}
