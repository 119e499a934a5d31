/**
 * Public types of the expression evaluator: the static type of an expression, the per-statement
 * runtime the executor supplies, and the compile-time scope through which the executor resolves
 * column names, aggregates and subqueries.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/expressions.html
 * @req CORE-EXPR-001
 */
import type { AggregateCall, ColumnRef, ExistsExpr, Expr, InExpr, SubqueryExpr, WindowFuncCall } from '../ast.js';
import type { ErrorName } from '../../kernel/errors.js';
import type { Row, Value } from '../../kernel/value.js';
import type { WaitSignal } from '../../kernel/wait-signal.js';

/** Static (compile-time) type of an expression: MySQL's result type of an Item. */
export interface ExprType {
  kind: 'int' | 'decimal' | 'double' | 'string' | 'temporal' | 'json' | 'null';
  unsigned?: boolean;
  /** Binary string (collation 'binary'); values are Buffers. */
  binary?: boolean;
  /** For strings: the collation name, e.g. 'utf8mb4_0900_ai_ci'. */
  collation?: string;
  temporal?: 'DATE' | 'TIME' | 'DATETIME' | 'TIMESTAMP';
  /** Maximum display length in characters. */
  length: number;
  /** 0..30, or 31 (NOT_FIXED_DEC) for doubles of unknown scale. */
  decimals: number;
  nullable: boolean;
  /** MysqlType code to report for this expression (overrides the default derived from kind). */
  mysqlType?: number;
  /** Extra column flags to report (e.g. ENUM/SET/BLOB for a column reference). */
  flags?: number;
  /** Collation coercibility (0 explicit COLLATE, 1 none, 2 column, 3 system constant, 4 literal,
   *  5 numeric, 6 NULL); lower wins (collation-derivation.ts). */
  coercibility?: number;
  /** A string known to hold only ASCII characters (a literal): it converts into any character
   *  set, so it never causes an illegal mix. @req CORE-CS-062 */
  ascii?: boolean;
  /** The runtime value's representation may differ from `kind` (parameters, user variables). */
  dynamic?: boolean;
  /** A predicate result (0/1): JSON functions turn it into true/false. */
  boolean?: boolean;
  /** Hex/bit literal: a binary string that acts as an unsigned integer in numeric context. */
  hexNumber?: boolean;
  /** ENUM / SET column: the member list in declaration order (values are stored as member text;
   *  numeric context maps them to the 1-based index / the bit mask). */
  enumMembers?: readonly string[];
  /** With enumMembers: a SET (bit mask) rather than an ENUM (index). */
  enumSet?: boolean;
}

/** Information functions backed by the session. */
export interface RuntimeInfo {
  database(): string | null;
  user(): string;
  currentUser(): string;
  connectionId(): number;
  lastInsertId(): bigint;
  setLastInsertId(v: bigint): void;
  foundRows(): bigint;
  rowCount(): bigint;
  version(): string;
  currentRole(): string;
}

/** Per-statement runtime supplied by the executor. */
export interface Runtime {
  params: Value[];
  sqlMode: ReadonlySet<string>;
  /** Statement start time: NOW() is constant within a statement. */
  now: Date;
  /** Session time_zone ('SYSTEM' or '+hh:mm'). */
  timeZone: string;
  warn(level: 'Note' | 'Warning' | 'Error', name: ErrorName, ...args: unknown[]): void;
  userVar(name: string): Value;
  setUserVar(name: string, v: Value): void;
  sysVar(name: string, scope: 'default' | 'global' | 'session' | 'persist' | 'persist_only'): Value;
  info: RuntimeInfo;
  isInterrupted(): boolean;
  /** The running statement's signal (KILL QUERY, max_execution_time): waits such as SLEEP end
   *  at once when it fires. Absent: waits poll isInterrupted(). */
  signal?: WaitSignal;
  /** Set by the executor while evaluating values for INSERT/UPDATE: in strict mode, conditions
   *  that are warnings in SELECT (division by zero with ERROR_FOR_DIVISION_BY_ZERO) become errors. */
  strictDml?: boolean;
  /** Session variables the evaluator reads directly when present (defaults otherwise):
   *  div_precision_increment, group_concat_max_len, collation_connection. */
  settings?: { divPrecisionIncrement?: number; groupConcatMaxLen?: number; collationConnection?: string };
  /** LOAD_FILE's access to server files (FILE privilege, secure_file_priv, size limit): the
   *  bytes, or null when the file may not or cannot be read. Absent: LOAD_FILE gives NULL.
   *  @req CORE-FN-007 */
  loadFile?(name: string): Buffer | null;
  /** Named locks (GET_LOCK/RELEASE_LOCK) shared across sessions; absent = per-statement only. */
  locks?: {
    get(name: string, timeoutSec: number): boolean | Promise<boolean>;
    release(name: string): boolean | null;
    /** Connection id of the holder, or null when the lock is free. */
    usedBy(name: string): number | null;
    /** Release every lock of the session; how many times they had been taken. */
    releaseAll(): number;
  };
}

export type RowFn = (row: Row, rt: Runtime) => Value;

/**
 * A compiled expression. When `async` is set (SLEEP and anything containing it) its value comes
 * from `evalAsync`, which the executor awaits, and `eval` refuses with 1235 (async-expr.ts);
 * otherwise `eval` is synchronous and must be used directly on the fast path.
 */
export interface CompiledExpr {
  eval: RowFn;
  type: ExprType;
  async?: true;
  evalAsync?: (row: Row, rt: Runtime) => Promise<Value>;
  /** True when the value does not depend on the row (literals, NOW(), params...). */
  constant?: boolean;
  /** A direct ENUM/SET column reference (its type has enumMembers): numeric contexts and
   *  ORDER BY use the member index instead of the text. */
  enumColumn?: boolean;
}

/** A stored function a FuncCall names, bound by the executor before compilation. */
export interface StoredFunctionBinding {
  type: ExprType;
  invoke(args: Value[], rt: Runtime): Promise<Value>;
}

/** How compileExpr reaches the executor for names it cannot resolve on its own. */
export interface CompileScope {
  /** Map a column reference to a row slot; throws 1054 when unknown. */
  resolveColumn(ref: ColumnRef): { slot: number; type: ExprType };
  /** The executor pre-computes aggregates into row slots. */
  aggregate?(call: AggregateCall): { slot: number; type: ExprType };
  /** The executor compiles subqueries (scalar, EXISTS, IN (SELECT ...)). */
  subquery?(expr: SubqueryExpr | ExistsExpr | InExpr): CompiledExpr;
  defaultOf?(column: string | undefined, table?: string): CompiledExpr;
  /** GROUPING(expr, ...) of a block grouped WITH ROLLUP (the executor knows the grouping keys). */
  grouping?(args: Expr[]): CompiledExpr;
  valuesRef?(column: string): CompiledExpr;
  window?(call: WindowFuncCall | AggregateCall): { slot: number; type: ExprType };
  /** Current database name for error messages (1305); falls back to 'NULL'-less form. */
  database?(): string | null;
  /** collation_connection: the collation of string literals without an introducer. */
  collationConnection?: string;
  /** sql_mode at compile time (PIPES_AS_CONCAT changes `||`); defaults to runtime checks. */
  sqlMode?: ReadonlySet<string>;
}
