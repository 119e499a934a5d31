/**
 * Syntax tree of stored programs: CREATE / ALTER / DROP PROCEDURE and FUNCTION, CALL, and the
 * compound-statement language of their bodies (BEGIN ... END, DECLARE, handlers, cursors, flow
 * control, SIGNAL / RESIGNAL, GET DIAGNOSTICS). A body is a tree of {@link SpStatement}s whose
 * leaves are ordinary statements parsed by the normal grammar; local variables in those
 * statements are already resolved to frame slots (parameter markers numbered by slot), so one
 * interpreter runs procedure, function, trigger and event bodies alike.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/sql-compound-statements.html
 * @req CORE-SP-001 CORE-SP-010
 */
import type { ColumnType } from '../kernel/column-type.js';
import type { Expr, Statement } from './ast.js';

export type RoutineType = 'PROCEDURE' | 'FUNCTION';
export type DataAccess = 'CONTAINS SQL' | 'NO SQL' | 'READS SQL DATA' | 'MODIFIES SQL DATA';

/** Routine characteristics (CREATE and ALTER). */
export interface RoutineCharacteristics {
  comment?: string;
  language?: 'SQL';
  deterministic?: boolean;
  dataAccess?: DataAccess;
  security?: 'DEFINER' | 'INVOKER';
}

export interface RoutineParam {
  mode: 'IN' | 'OUT' | 'INOUT';
  name: string;
  type: ColumnType;
}

export interface CreateRoutineStatement {
  kind: 'create_routine';
  routine: RoutineType;
  /** DEFINER = user@host as written; CURRENT_USER when absent or CURRENT_USER. */
  definer?: { user: string; host: string };
  ifNotExists: boolean;
  schema?: string;
  name: string;
  params: RoutineParam[];
  /** Parameter list text between the parentheses, as sent. */
  paramText: string;
  returns?: ColumnType;
  /** RETURNS type text, as sent. */
  returnsText: string;
  characteristics: RoutineCharacteristics;
  /** The body text, as sent. */
  bodyText: string;
  /** The parsed body (checked at CREATE; parsed again from the stored text on use). */
  body: SpStatement;
}

export interface AlterRoutineStatement {
  kind: 'alter_routine';
  routine: RoutineType;
  schema?: string;
  name: string;
  characteristics: RoutineCharacteristics;
}

export interface DropRoutineStatement {
  kind: 'drop_routine';
  routine: RoutineType;
  ifExists: boolean;
  schema?: string;
  name: string;
}

export interface CallStatement {
  kind: 'call';
  schema?: string;
  name: string;
  args: Expr[];
}

/** A condition a handler or SIGNAL names. */
export type SpConditionValue =
  | { kind: 'sqlstate'; sqlstate: string }
  | { kind: 'errno'; errno: number }
  | { kind: 'class'; cls: 'SQLWARNING' | 'NOT FOUND' | 'SQLEXCEPTION' };

export interface SpVarDecl {
  name: string;
  slot: number;
  type: ColumnType;
  default?: Expr;
}

export interface SpHandlerDecl {
  action: 'CONTINUE' | 'EXIT';
  conditions: SpConditionValue[];
  body: SpStatement;
}

export interface SpCursorDecl {
  name: string;
  /** Index of the cursor within the program. */
  index: number;
  select: Statement;
}

/** Where GET DIAGNOSTICS / FETCH / SELECT INTO store a value. */
export type SpTarget = { kind: 'local'; slot: number } | { kind: 'user'; name: string };

export type SpStatement =
  | { t: 'sql'; stmt: Statement }
  | { t: 'block'; label?: string; vars: SpVarDecl[]; handlers: SpHandlerDecl[]; cursors: SpCursorDecl[]; body: SpStatement[] }
  | { t: 'set_local'; slot: number; value: Expr }
  | { t: 'if'; branches: { cond: Expr; body: SpStatement[] }[]; else?: SpStatement[] }
  | { t: 'case'; operand?: Expr; whens: { when: Expr; body: SpStatement[] }[]; else?: SpStatement[] }
  | { t: 'loop'; label?: string; body: SpStatement[] }
  | { t: 'while'; label?: string; cond: Expr; body: SpStatement[] }
  | { t: 'repeat'; label?: string; body: SpStatement[]; until: Expr }
  | { t: 'leave'; label: string }
  | { t: 'iterate'; label: string }
  | { t: 'return'; value: Expr }
  | { t: 'open'; cursor: number; name: string }
  | { t: 'fetch'; cursor: number; name: string; into: SpTarget[] }
  | { t: 'close'; cursor: number; name: string }
  | { t: 'signal'; resignal: boolean; condition?: SpConditionValue; items: { name: string; value: Expr }[] }
  | {
      t: 'get_diagnostics';
      area: 'CURRENT' | 'STACKED';
      /** Statement information items (NUMBER, ROW_COUNT), or condition items of `condition`. */
      statementItems: { target: SpTarget; item: string }[];
      condition?: Expr;
      conditionItems: { target: SpTarget; item: string }[];
    };

/** SIGNAL / RESIGNAL / GET DIAGNOSTICS run outside a stored program. */
export interface CompoundStatement {
  kind: 'compound';
  body: SpStatement;
  slots: number;
  cursors: number;
  /** The body of an event (`db.name` for messages): it runs as a stored program whose result
   *  sets are discarded. Absent: SIGNAL / RESIGNAL / GET DIAGNOSTICS typed by a client. */
  event?: string;
}

/** A NEW.col / OLD.col reference of a trigger body, resolved to a frame slot. @req CORE-TRG-002 */
export interface TriggerRowRef {
  row: 'NEW' | 'OLD';
  column: string;
  slot: number;
}

/** CREATE [DEFINER = ...] TRIGGER. @req CORE-TRG-001 */
export interface CreateTriggerStatement {
  kind: 'create_trigger';
  definer?: { user: string; host: string };
  ifNotExists: boolean;
  schema?: string;
  name: string;
  timing: 'BEFORE' | 'AFTER';
  event: 'INSERT' | 'UPDATE' | 'DELETE';
  table: { schema?: string; name: string };
  order?: { kind: 'FOLLOWS' | 'PRECEDES'; other: string };
  /** The body text, as sent (ends at its last token). */
  bodyText: string;
  body: SpStatement;
  slots: number;
  cursors: number;
  /** NEW / OLD columns the body names, each with its slot. */
  rowRefs: TriggerRowRef[];
}

/** DROP TRIGGER [IF EXISTS] [db.]name. @req CORE-TRG-001 */
export interface DropTriggerStatement {
  kind: 'drop_trigger';
  ifExists: boolean;
  schema?: string;
  name: string;
}
