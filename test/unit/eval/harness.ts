/** Test harness: evaluate an SQL expression text against a fake runtime. */
import { parseExpression } from '../../../src/sql/parser/index.js';
import { compileExpr, type CompileScope, type CompiledExpr, type Runtime } from '../../../src/sql/eval/index.js';
import { resultColumnFromType } from '../../../src/sql/types/result-column.js';
import { valueToText } from '../../../src/sql/types/format.js';
import { diagnostic, type Diagnostic, type ErrorName } from '../../../src/kernel/errors.js';
import type { Value } from '../../../src/kernel/value.js';

export const DEFAULT_MODE = ['ONLY_FULL_GROUP_BY', 'STRICT_TRANS_TABLES', 'NO_ZERO_IN_DATE', 'NO_ZERO_DATE', 'ERROR_FOR_DIVISION_BY_ZERO', 'NO_ENGINE_SUBSTITUTION'];

export interface FakeRuntime extends Runtime {
  warnings: Diagnostic[];
  vars: Map<string, Value>;
}

export function fakeRuntime(opts: { sqlMode?: string[]; now?: Date; timeZone?: string; params?: Value[] } = {}): FakeRuntime {
  const warnings: Diagnostic[] = [];
  const vars = new Map<string, Value>();
  let lastId = 0n;
  return {
    warnings,
    vars,
    params: opts.params ?? [],
    sqlMode: new Set(opts.sqlMode ?? DEFAULT_MODE),
    now: opts.now ?? new Date(Date.UTC(2024, 0, 15, 10, 30, 45, 123)),
    timeZone: opts.timeZone ?? '+00:00',
    warn(level: 'Note' | 'Warning' | 'Error', name: ErrorName, ...args: unknown[]) {
      warnings.push(diagnostic(level, name, ...args));
    },
    userVar: (n) => vars.get(n.toLowerCase()) ?? null,
    setUserVar: (n, v) => void vars.set(n.toLowerCase(), v),
    sysVar: (n) => (n === 'default_week_format' ? 0n : null),
    info: {
      database: () => 'test',
      user: () => 'root@localhost',
      currentUser: () => 'root@%',
      connectionId: () => 7,
      lastInsertId: () => lastId,
      setLastInsertId: (v) => void (lastId = v),
      foundRows: () => 0n,
      rowCount: () => -1n,
      version: () => '8.0.40-refmysql',
      currentRole: () => 'NONE',
    },
    isInterrupted: () => false,
  };
}

export const noColumns: CompileScope = {
  resolveColumn: (ref) => {
    throw new Error('no column ' + ref.name);
  },
  database: () => 'test',
};

export function compile(text: string, scope: CompileScope = noColumns): CompiledExpr {
  return compileExpr(parseExpression(text, { allowParams: true }), scope);
}

/** Evaluate and render as the text protocol would (null for NULL). */
export function run(text: string, rt: FakeRuntime = fakeRuntime(), scope?: CompileScope): string | null {
  const c = compile(text, scope);
  const v = c.eval([], rt);
  const col = resultColumnFromType(c.type, text);
  const t = valueToText(v, col);
  return t === null ? null : Buffer.isBuffer(t) ? t.toString('latin1') : t;
}

export function evalValue(text: string, rt: FakeRuntime = fakeRuntime()): Value {
  return compile(text).eval([], rt);
}
