/**
 * Aggregate and window function calls met while a block's expressions compile: each gets a
 * slot in the row buffer, where the grouping (run/group.ts) or the window computation
 * (windows.ts) stores its value for the expressions that read it.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/aggregate-functions.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/window-functions-usage.html
 * @req CORE-EXEC-033 CORE-EXEC-042
 */
import type { AggregateCall, SelectCore, WindowFuncCall } from '../../../sql/ast.js';
import { sqlError } from '../../../kernel/errors.js';
import { compileExpr, type CompiledExpr, type ExprType } from '../../../sql/eval/index.js';
import { aggregateType, type AggSpec } from '../aggregates.js';
import type { Scope } from '../scope.js';
import { windowType, type WindowSpec } from '../windows.js';
import type { QueryCompiler } from './compiler.js';

const SYNTAX = 'You have an error in your SQL syntax; check the manual that corresponds to your MySQL server version for the right syntax to use';

export function compileAggregate(qc: QueryCompiler, scope: Scope, call: AggregateCall, specs: AggSpec[], grouped: boolean): { slot: number; type: ExprType } {
  if (call.over) throw sqlError('ER_NOT_SUPPORTED_YET', 'window functions');
  if (!grouped || scope.insideAggregate > 0 || scope.clause === 'where clause' || scope.clause === 'on clause' || scope.clause === 'group statement') {
    throw sqlError('ER_INVALID_GROUP_FUNC_USE');
  }
  scope.insideAggregate++;
  const savedMode = scope.aliasMode;
  scope.aliasMode = 'none';
  let args: CompiledExpr[];
  let order: { expr: CompiledExpr; desc: boolean }[];
  try {
    args = call.args.map((a) => compileExpr(a, scope));
    order = (call.orderBy ?? []).map((o) => ({ expr: compileExpr(o.expr, scope), desc: o.desc }));
  } finally {
    scope.insideAggregate--;
    scope.aliasMode = savedMode;
  }
  if ((call.name === 'COUNT' && !call.star && args.length === 0) || (call.name !== 'COUNT' && call.name !== 'GROUP_CONCAT' && call.name !== 'JSON_OBJECTAGG' && args.length !== 1)) {
    if (!(call.name === 'COUNT' && call.distinct)) throw sqlError('ER_PARSE_ERROR', SYNTAX, call.name, 1);
  }
  const type = aggregateType(call, args[0]?.type, qc.env.groupConcatMaxLen);
  const slot = scope.alloc();
  specs.push({ call, args, order, slot, type });
  return { slot, type };
}

export function compileWindow(qc: QueryCompiler, scope: Scope, call: WindowFuncCall | AggregateCall, core: SelectCore, specs: WindowSpec[]): { slot: number; type: ExprType } {
  let spec = call.over!;
  if (spec.name !== undefined) {
    const named = core.windows?.find((w) => w.name.toLowerCase() === spec.name!.toLowerCase());
    if (!named) throw sqlError('ER_WINDOW_NO_SUCH_WINDOW', spec.name);
    spec = { ...named.spec, ...Object.fromEntries(Object.entries(spec).filter(([k, v]) => k !== 'name' && v !== undefined)) };
  }
  const savedClause = scope.clause;
  const savedMode = scope.aliasMode;
  scope.aliasMode = 'none';
  let partition: CompiledExpr[];
  let order: { expr: CompiledExpr; desc: boolean }[];
  let args: CompiledExpr[];
  try {
    scope.clause = 'field list';
    partition = (spec.partitionBy ?? []).map((e) => compileExpr(e, scope));
    order = (spec.orderBy ?? []).map((o) => ({ expr: compileExpr(o.expr, scope), desc: o.desc }));
    scope.insideAggregate++;
    try {
      args = call.args.map((a) => compileExpr(a, scope));
    } finally {
      scope.insideAggregate--;
    }
  } finally {
    scope.clause = savedClause;
    scope.aliasMode = savedMode;
  }
  const slot = scope.alloc();
  const w: WindowSpec = { call, slot, type: { kind: 'null', length: 0, decimals: 0, nullable: true }, partition, order, args };
  if (call.type === 'aggregate') {
    w.type = aggregateType(call, args[0]?.type, qc.env.groupConcatMaxLen);
    w.agg = { call, args, order: [], slot, type: w.type };
  } else w.type = windowType(call.name, args);
  specs.push(w);
  return { slot, type: w.type };
}
