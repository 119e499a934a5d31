/**
 * The native function table: each family file registers its functions here with their
 * argument-count bounds; the compiler looks names up, checks the count (1582) and calls the
 * family's compile hook with already compiled arguments.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/built-in-function-reference.html
 * @req CORE-EXPR-004
 */
import type { Expr, FuncCall } from '../../ast.js';
import type { CompiledExpr, CompileScope } from '../types.js';

export interface FnContext {
  call: FuncCall;
  scope: CompileScope;
  /** Compile any sub-expression (for functions that need raw AST access). */
  compile(e: Expr): CompiledExpr;
  /** Source-like text of the call, used in error messages. */
  text(): string;
}

export type FnCompiler = (args: CompiledExpr[], ctx: FnContext) => CompiledExpr;

export interface FnDef {
  name: string;
  min: number;
  max: number;
  compile: FnCompiler;
  /** Compile arguments lazily (the hook calls ctx.compile itself). */
  raw?: boolean;
}

export const FUNCTIONS = new Map<string, FnDef>();

/** Register a function under one or more names; `max` = Infinity for variadic functions. */
export function defineFunction(names: string | string[], min: number, max: number, compile: FnCompiler, raw = false): void {
  for (const n of Array.isArray(names) ? names : [names]) FUNCTIONS.set(n, { name: n, min, max, compile, raw });
}
