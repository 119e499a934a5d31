/**
 * Grammar of stored routines: CREATE [DEFINER = ...] PROCEDURE / FUNCTION, ALTER and DROP of
 * them, CALL, and the compound-statement language of a routine body. Ordinary statements
 * inside a body are parsed by the normal grammar on a cursor bounded by their ';'; names of
 * local variables (parameters, DECLAREd variables) resolve to frame slots while parsing, so a
 * local variable takes precedence over a column of the same name, as in MySQL. The scoping
 * rules (declaration order, duplicates, undeclared names, labels) are checked here, as MySQL's
 * parser checks them when the routine is created.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/create-procedure.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/sql-compound-statements.html
 * @req CORE-SP-001 CORE-SP-002 CORE-SP-003 CORE-SP-010 CORE-SP-011 CORE-SP-012 CORE-SP-013 CORE-SP-014
 */
import type { Expr, Statement } from '../ast.js';
import type {
  AlterRoutineStatement,
  CallStatement,
  CreateRoutineStatement,
  DropRoutineStatement,
  RoutineCharacteristics,
  RoutineParam,
  RoutineType,
  SpConditionValue,
  SpCursorDecl,
  SpHandlerDecl,
  SpStatement,
  SpTarget,
  SpVarDecl,
  TriggerRowRef,
} from '../routine-ast.js';
import { sqlError } from '../../kernel/errors.js';
import { Tok, type Token } from '../lexer/token.js';
import { Cursor } from './cursor.js';
import { parseAccountName } from './account.js';
import { parseExpr, parseExprList, parseSysVar } from './expr.js';
import { parseDataType } from './types.js';
import { parseStatement } from './statement.js';

/** Statements a routine body may not contain (1314 names them). */
const NOT_IN_ROUTINES: ReadonlyMap<string, string> = new Map([
  ['lock_tables', 'LOCK'],
  ['unlock_tables', 'UNLOCK'],
  ['use', 'USE'],
]);

/** Statements that commit, refused in a function body (1422). */
const COMMITTING: ReadonlySet<string> = new Set([
  'commit', 'rollback', 'start_transaction', 'create_table', 'alter_table', 'drop_table', 'rename_table', 'truncate',
  'create_index', 'drop_index', 'create_database', 'alter_database', 'drop_database', 'create_view', 'drop_view',
  'create_user', 'alter_user', 'drop_user', 'rename_user', 'grant', 'revoke', 'create_routine', 'drop_routine',
  'alter_routine', 'lock_tables', 'unlock_tables', 'flush',
  'create_trigger', 'drop_trigger',
]);

interface Scope {
  vars: Map<string, number>;
  conditions: Map<string, SpConditionValue>;
  cursors: Map<string, number>;
}

/** Parsing state of one routine body. */
class BodyContext {
  readonly scopes: Scope[] = [];
  readonly labels: { name: string; loop: boolean }[] = [];
  slots = 0;
  cursorCount = 0;
  sawReturn = false;
  /** A trigger body's NEW / OLD rows. @req CORE-TRG-002 */
  trigger: { timing: 'BEFORE' | 'AFTER'; event: 'INSERT' | 'UPDATE' | 'DELETE'; refs: TriggerRowRef[] } | null = null;
  constructor(
    readonly routine: RoutineType | 'TRIGGER' | 'EVENT' | 'NONE',
    readonly name: string,
  ) {}

  /** The slot of NEW.col / OLD.col (undefined: not a row of this trigger); 1363 for a row the event has not. */
  rowSlot(row: string, column: string): number | undefined {
    const trg = this.trigger;
    if (!trg) return undefined;
    const r = row.toUpperCase();
    if (r !== 'NEW' && r !== 'OLD') return undefined;
    if (r === 'OLD' && trg.event === 'INSERT') throw sqlError('ER_TRG_NO_SUCH_ROW_IN_TRG', 'OLD', 'on INSERT');
    if (r === 'NEW' && trg.event === 'DELETE') throw sqlError('ER_TRG_NO_SUCH_ROW_IN_TRG', 'NEW', 'on DELETE');
    const found = trg.refs.find((x) => x.row === r && x.column.toLowerCase() === column.toLowerCase());
    if (found) return found.slot;
    const ref: TriggerRowRef = { row: r, column, slot: this.slots++ };
    trg.refs.push(ref);
    return ref.slot;
  }

  lookupVar(name: string): number | undefined {
    const n = name.toLowerCase();
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const s = (this.scopes[i] as Scope).vars.get(n);
      if (s !== undefined) return s;
    }
    return undefined;
  }

  lookupCondition(name: string): SpConditionValue | undefined {
    const n = name.toLowerCase();
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const c = (this.scopes[i] as Scope).conditions.get(n);
      if (c !== undefined) return c;
    }
    return undefined;
  }

  lookupCursor(name: string): number | undefined {
    const n = name.toLowerCase();
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const c = (this.scopes[i] as Scope).cursors.get(n);
      if (c !== undefined) return c;
    }
    return undefined;
  }

  push(): Scope {
    const s: Scope = { vars: new Map(), conditions: new Map(), cursors: new Map() };
    this.scopes.push(s);
    return s;
  }
}

// ---------------------------------------------------------------------------------------------
// CREATE / ALTER / DROP / CALL
// ---------------------------------------------------------------------------------------------

/**
 * After CREATE: `[DEFINER = user] PROCEDURE|FUNCTION ...` (not a loadable function's
 * `RETURNS ... SONAME`); undefined, with the cursor unmoved, for anything else.
 * @req CORE-SP-001
 */
export function tryParseCreateRoutine(p: Cursor): CreateRoutineStatement | undefined {
  const save = p.pos;
  let definer: { user: string; host: string } | undefined;
  if (p.isKw('DEFINER') && p.isOp('=', 1)) {
    p.next();
    p.next();
    const a = parseAccountName(p);
    if (!a.current) definer = { user: a.user, host: a.host };
  }
  if (!p.isKw('PROCEDURE') && !p.isKw('FUNCTION')) {
    p.pos = save;
    return undefined;
  }
  for (let k = p.pos; k < p.end; k++) {
    const t = p.toks[k] as Token;
    if (t.type === Tok.IDENT && t.upper === 'SONAME') {
      p.pos = save;
      return undefined;
    }
  }
  const routine = p.next().upper as RoutineType;
  const ifNotExists = p.acceptKws('IF', 'NOT', 'EXISTS');
  const { schema, name } = routineName(p);
  const ctx = new BodyContext(routine, name);
  const top = ctx.push();
  p.expectOp('(');
  const paramStart = p.peek().start;
  const params: RoutineParam[] = [];
  if (!p.isOp(')')) {
    do {
      let mode: RoutineParam['mode'] = 'IN';
      if (routine === 'PROCEDURE') {
        if (p.acceptKw('IN')) mode = 'IN';
        else if (p.acceptKw('OUT')) mode = 'OUT';
        else if (p.acceptKw('INOUT')) mode = 'INOUT';
      }
      const pname = p.ident();
      if (top.vars.has(pname.toLowerCase())) throw sqlError('ER_SP_DUP_PARAM', pname);
      const type = parseDataType(p).type;
      top.vars.set(pname.toLowerCase(), ctx.slots++);
      params.push({ mode, name: pname, type });
    } while (p.acceptOp(','));
  }
  const paramText = p.slice(paramStart, p.peek().start).trim();
  p.expectOp(')');
  let returns: CreateRoutineStatement['returns'];
  let returnsText = '';
  if (routine === 'FUNCTION') {
    p.expectKw('RETURNS');
    const rs = p.peek().start;
    returns = parseDataType(p).type;
    returnsText = p.slice(rs, p.lastEnd());
  }
  const characteristics = parseCharacteristics(p, false);
  if (p.atEnd()) throw p.error();
  const bodyStart = p.peek().start;
  const body = parseSpStatement(p, ctx, p.end);
  if (!p.atEnd()) throw p.error();
  const bodyText = p.slice(bodyStart, p.toks[p.end]?.start ?? p.text.length).trim();
  if (routine === 'FUNCTION' && !ctx.sawReturn) throw sqlError('ER_SP_NORETURN', (schema ? schema + '.' : '') + name);
  const stmt: CreateRoutineStatement = {
    kind: 'create_routine', routine, ifNotExists, name, params, paramText, returnsText, characteristics, bodyText, body,
  };
  if (definer) stmt.definer = definer;
  if (schema !== undefined) stmt.schema = schema;
  if (returns) stmt.returns = returns;
  return stmt;
}

function routineName(p: Cursor): { schema?: string; name: string } {
  const first = p.ident();
  if (p.acceptOp('.')) return { schema: first, name: p.identAfterDot() };
  return { name: first };
}

/** Routine characteristics; ALTER accepts only COMMENT, LANGUAGE, data access and SQL SECURITY. */
function parseCharacteristics(p: Cursor, alter: boolean): RoutineCharacteristics {
  const c: RoutineCharacteristics = {};
  for (;;) {
    if (p.acceptKw('COMMENT')) c.comment = p.string();
    else if (p.acceptKws('LANGUAGE', 'SQL')) c.language = 'SQL';
    else if (!alter && p.acceptKws('NOT', 'DETERMINISTIC')) c.deterministic = false;
    else if (!alter && p.acceptKw('DETERMINISTIC')) c.deterministic = true;
    else if (p.acceptKws('CONTAINS', 'SQL')) c.dataAccess = 'CONTAINS SQL';
    else if (p.acceptKws('NO', 'SQL')) c.dataAccess = 'NO SQL';
    else if (p.acceptKws('READS', 'SQL', 'DATA')) c.dataAccess = 'READS SQL DATA';
    else if (p.acceptKws('MODIFIES', 'SQL', 'DATA')) c.dataAccess = 'MODIFIES SQL DATA';
    else if (p.acceptKws('SQL', 'SECURITY')) {
      if (p.acceptKw('DEFINER')) c.security = 'DEFINER';
      else {
        p.expectKw('INVOKER');
        c.security = 'INVOKER';
      }
    } else return c;
  }
}

/** ALTER PROCEDURE|FUNCTION name characteristic ... @req CORE-SP-003 */
export function parseAlterRoutine(p: Cursor): AlterRoutineStatement {
  p.expectKw('ALTER');
  const routine = p.next().upper as RoutineType;
  const { schema, name } = routineName(p);
  const characteristics = parseCharacteristics(p, true);
  const stmt: AlterRoutineStatement = { kind: 'alter_routine', routine, name, characteristics };
  if (schema !== undefined) stmt.schema = schema;
  return stmt;
}

/** DROP PROCEDURE|FUNCTION [IF EXISTS] name. @req CORE-SP-003 */
export function parseDropRoutine(p: Cursor): DropRoutineStatement {
  p.expectKw('DROP');
  const routine = p.next().upper as RoutineType;
  const ifExists = p.acceptKws('IF', 'EXISTS');
  const { schema, name } = routineName(p);
  const stmt: DropRoutineStatement = { kind: 'drop_routine', routine, ifExists, name };
  if (schema !== undefined) stmt.schema = schema;
  return stmt;
}

/** CALL name [( [expr, ...] )]. @req CORE-SP-020 */
export function parseCall(p: Cursor): CallStatement {
  p.expectKw('CALL');
  const { schema, name } = routineName(p);
  let args: Expr[] = [];
  if (p.acceptOp('(')) {
    if (!p.isOp(')')) args = parseExprList(p);
    p.expectOp(')');
  }
  const stmt: CallStatement = { kind: 'call', name, args };
  if (schema !== undefined) stmt.schema = schema;
  return stmt;
}

/**
 * SIGNAL / RESIGNAL / GET DIAGNOSTICS outside a stored program: a one-statement body without
 * local variables.
 * @req CORE-SP-015
 */
export function parseTopLevelCompound(p: Cursor): Statement {
  const ctx = new BodyContext('NONE', '');
  ctx.push();
  const body = parseSpStatement(p, ctx, p.end);
  return { kind: 'compound', body, slots: 0, cursors: 0 };
}

/**
 * An event's DO body (CREATE/ALTER EVENT): a stored program body from the cursor to the end of
 * the statement, with its own local variables, as the scheduler runs it.
 * @req CORE-EVT-012
 */
export function parseEventBody(p: Cursor, name: string): Statement {
  const ctx = new BodyContext('EVENT', name);
  ctx.push();
  const body = parseSpStatement(p, ctx, p.end);
  return { kind: 'compound', body, slots: ctx.slots, cursors: ctx.cursorCount, event: name };
}

/**
 * Parse a stored program body (the text after the routine's characteristics) again from its
 * stored text, with the parameters as the first frame slots. Used when a routine runs.
 * @req CORE-SP-004
 */
export function parseRoutineBody(
  text: string,
  toks: Token[],
  opts: ConstructorParameters<typeof Cursor>[5],
  kind: RoutineType | 'TRIGGER' | 'EVENT',
  name: string,
  paramNames: readonly string[],
): { body: SpStatement; slots: number; cursors: number } {
  const end = toks.length - 1;
  const p = new Cursor(text, toks, 0, end, 0, opts);
  const ctx = new BodyContext(kind, name);
  const top = ctx.push();
  for (const n of paramNames) top.vars.set(n.toLowerCase(), ctx.slots++);
  const body = parseSpStatement(p, ctx, end);
  if (!p.atEnd()) throw p.error();
  return { body, slots: ctx.slots, cursors: ctx.cursorCount };
}

// ---------------------------------------------------------------------------------------------
// The compound-statement language
// ---------------------------------------------------------------------------------------------

/** Index of the next top-level ';' (or `limit`) from the cursor position. */
function statementEnd(p: Cursor, limit: number): number {
  for (let k = p.pos; k < limit; k++) {
    const t = p.toks[k] as Token;
    if (t.type === Tok.OP && t.value === ';') return k;
  }
  return limit;
}

/** A sub-cursor over [p.pos, end) that resolves local variables of `ctx`. */
function subCursor(p: Cursor, end: number, ctx: BodyContext): Cursor {
  const c = new Cursor(p.text, p.toks, p.pos, end, p.stmtStart, p.opts, p.comments);
  c.locals = (n) => ctx.lookupVar(n);
  if (ctx.trigger) c.rowField = (r, col) => ctx.rowSlot(r, col);
  return c;
}

/** Run `f` on a cursor that resolves local variables, over the rest of the statement. */
function withLocals<T>(p: Cursor, ctx: BodyContext, limit: number, f: (c: Cursor) => T): T {
  const c = subCursor(p, limit, ctx);
  const r = f(c);
  p.pos = c.pos;
  return r;
}

function expr(p: Cursor, ctx: BodyContext, limit: number): Expr {
  return withLocals(p, ctx, limit, parseExpr);
}

/** Statements up to one of the `stops` keywords; each ends with ';'. */
function parseList(p: Cursor, ctx: BodyContext, limit: number, stops: readonly string[]): SpStatement[] {
  const out: SpStatement[] = [];
  while (!stops.some((s) => p.isKw(s))) {
    if (p.pos >= limit) throw p.error();
    out.push(parseSpStatement(p, ctx, limit));
    if (p.pos >= limit || !p.isOp(';')) throw p.error();
    p.next();
  }
  return out;
}

/** One statement of a body (without its ';'). @req CORE-SP-010 */
function parseSpStatement(p: Cursor, ctx: BodyContext, limit: number): SpStatement {
  p.enter();
  try {
    return parseSpStatementInner(p, ctx, limit);
  } finally {
    p.leave();
  }
}

function parseSpStatementInner(p: Cursor, ctx: BodyContext, limit: number): SpStatement {
  const t = p.peek();
  // label: BEGIN | LOOP | WHILE | REPEAT
  if ((t.type === Tok.IDENT || t.type === Tok.QIDENT) && p.isOp(':', 1) && p.isAnyKw(LABELLED, 2)) {
    const label = p.next().value;
    p.next();
    return labelled(p, ctx, limit, label);
  }
  if (t.type === Tok.IDENT) {
    switch (t.upper) {
      case 'BEGIN':
        if (!p.isKw('WORK', 1) && !p.isOp(';', 1) && p.pos + 1 < limit) return labelled(p, ctx, limit, undefined);
        break;
      case 'LOOP':
      case 'WHILE':
      case 'REPEAT':
        return labelled(p, ctx, limit, undefined);
      case 'IF':
        return parseIf(p, ctx, limit);
      case 'CASE':
        return parseCase(p, ctx, limit);
      case 'LEAVE':
      case 'ITERATE': {
        p.next();
        const label = p.ident();
        const found = [...ctx.labels].reverse().find((l) => l.name.toLowerCase() === label.toLowerCase());
        if (!found || (t.upper === 'ITERATE' && !found.loop)) throw sqlError('ER_SP_LILABEL_MISMATCH', t.upper, label);
        return { t: t.upper === 'LEAVE' ? 'leave' : 'iterate', label: found.name };
      }
      case 'RETURN': {
        if (ctx.routine !== 'FUNCTION') throw sqlError('ER_SP_BADRETURN');
        p.next();
        ctx.sawReturn = true;
        return { t: 'return', value: expr(p, ctx, limit) };
      }
      case 'DECLARE':
        // DECLARE only at the start of a BEGIN ... END block.
        throw p.error();
      case 'OPEN':
      case 'CLOSE': {
        p.next();
        const name = p.ident();
        const cursor = ctx.lookupCursor(name);
        if (cursor === undefined) throw sqlError('ER_SP_CURSOR_MISMATCH', name);
        return { t: t.upper === 'OPEN' ? 'open' : 'close', cursor, name };
      }
      case 'FETCH':
        return parseFetch(p, ctx, limit);
      case 'SIGNAL':
      case 'RESIGNAL':
        return parseSignal(p, ctx, limit);
      case 'GET':
        if (p.isKw('DIAGNOSTICS', 1) || p.isKw('CURRENT', 1) || p.isKw('STACKED', 1)) return parseGetDiagnostics(p, ctx, limit);
        break;
      case 'SET': {
        const s = trySetLocal(p, ctx, limit);
        if (s) return s;
        break;
      }
      default:
        break;
    }
  }
  return leaf(p, ctx, limit);
}

const LABELLED: ReadonlySet<string> = new Set(['BEGIN', 'LOOP', 'WHILE', 'REPEAT']);

/** An ordinary statement, parsed by the normal grammar up to its ';'. */
function leaf(p: Cursor, ctx: BodyContext, limit: number): SpStatement {
  const end = statementEnd(p, limit);
  if (end === p.pos) throw p.error();
  const c = subCursor(p, end, ctx);
  const start = p.peek().start;
  const stmt = parseStatement(c);
  if (c.paramCount > 0) throw p.error();
  stmt.text = p.slice(start, (p.toks[end] as Token).start).trim();
  stmt.paramCount = 0;
  p.pos = end;
  checkAllowed(stmt, ctx);
  return { t: 'sql', stmt };
}

/** Statements refused in routine bodies (1314), and in function bodies (1422, 1336, 1415). */
function checkAllowed(stmt: Statement, ctx: BodyContext): void {
  if (ctx.routine === 'NONE') return;
  const bad = NOT_IN_ROUTINES.get(stmt.kind);
  if (bad !== undefined) throw sqlError('ER_SP_BADSTATEMENT', bad);
  // A trigger is not created from inside a stored program (1303). @req CORE-TRG-001
  if (stmt.kind === 'create_trigger') throw sqlError('ER_SP_NO_RECURSIVE_CREATE', 'TRIGGER');
  if (stmt.kind === 'create_routine' || stmt.kind === 'drop_routine' || stmt.kind === 'alter_routine') {
    if (stmt.kind === 'create_routine') throw sqlError('ER_SP_NO_RECURSIVE_CREATE', stmt.routine);
    throw sqlError('ER_SP_NO_DROP_SP', stmt.routine);
  }
  if (ctx.routine === 'FUNCTION' || ctx.routine === 'TRIGGER') {
    // @req CORE-SP-040
    if (COMMITTING.has(stmt.kind)) throw sqlError('ER_COMMIT_NOT_ALLOWED_IN_SF_OR_TRG');
    if (stmt.kind === 'prepare' || stmt.kind === 'execute' || stmt.kind === 'deallocate') throw sqlError('ER_STMT_NOT_ALLOWED_IN_SF_OR_TRG', 'Dynamic SQL');
    if (returnsRows(stmt)) throw sqlError('ER_SP_NO_RETSET', ctx.routine === 'FUNCTION' ? 'function' : 'trigger');
  }
}

/** A statement that sends a result set to the client. */
export function returnsRows(stmt: Statement): boolean {
  if (stmt.kind === 'select') return !(stmt.query.type === 'select_core' && stmt.query.into !== undefined);
  return stmt.kind === 'show' || stmt.kind === 'describe' || stmt.kind === 'explain';
}

function labelled(p: Cursor, ctx: BodyContext, limit: number, label: string | undefined): SpStatement {
  const kw = p.next().upper;
  if (label !== undefined && ctx.labels.some((l) => l.name.toLowerCase() === label.toLowerCase())) throw sqlError('ER_SP_LABEL_REDEFINE', label);
  if (label !== undefined) ctx.labels.push({ name: label, loop: kw !== 'BEGIN' });
  let s: SpStatement;
  try {
    switch (kw) {
      case 'BEGIN':
        s = parseBlock(p, ctx, limit, label);
        break;
      case 'LOOP': {
        const body = parseList(p, ctx, limit, ['END']);
        p.expectKw('END');
        p.expectKw('LOOP');
        s = { t: 'loop', body };
        break;
      }
      case 'WHILE': {
        const cond = expr(p, ctx, limit);
        p.expectKw('DO');
        const body = parseList(p, ctx, limit, ['END']);
        p.expectKw('END');
        p.expectKw('WHILE');
        s = { t: 'while', cond, body };
        break;
      }
      default: {
        const body = parseList(p, ctx, limit, ['UNTIL']);
        p.expectKw('UNTIL');
        const until = expr(p, ctx, limit);
        p.expectKw('END');
        p.expectKw('REPEAT');
        s = { t: 'repeat', body, until };
        break;
      }
    }
  } finally {
    if (label !== undefined) ctx.labels.pop();
  }
  if (label !== undefined) {
    (s as { label?: string }).label = label;
  }
  // END [label]: the label must match the beginning one.
  if (p.pos < limit && (p.peek().type === Tok.IDENT || p.peek().type === Tok.QIDENT) && !p.isOp(';')) {
    const t = p.peek();
    if (t.type === Tok.QIDENT || !t.reserved) {
      const end = p.next().value;
      if (label === undefined || end.toLowerCase() !== label.toLowerCase()) throw sqlError('ER_SP_LABEL_MISMATCH', end);
    }
  }
  return s;
}

/** BEGIN [declarations] statements END. @req CORE-SP-011 */
function parseBlock(p: Cursor, ctx: BodyContext, limit: number, label: string | undefined): SpStatement {
  const scope = ctx.push();
  const vars: SpVarDecl[] = [];
  const handlers: SpHandlerDecl[] = [];
  const cursors: SpCursorDecl[] = [];
  let stage = 0; // 0 variables/conditions, 1 cursors, 2 handlers
  try {
    while (p.isKw('DECLARE')) {
      p.next();
      if (p.isKw('CONTINUE') || p.isKw('EXIT') || p.isKw('UNDO')) {
        if (p.isKw('HANDLER', 1)) {
          stage = 2;
          handlers.push(parseHandler(p, ctx, limit));
          p.expectOp(';');
          continue;
        }
      }
      const name = p.ident();
      if (p.acceptKw('CONDITION')) {
        if (stage > 0) throw sqlError('ER_SP_VARCOND_AFTER_CURSHNDLR');
        p.expectKw('FOR');
        if (scope.conditions.has(name.toLowerCase())) throw sqlError('ER_SP_DUP_COND', name);
        const v = conditionValue(p, ctx, false);
        scope.conditions.set(name.toLowerCase(), v);
      } else if (p.acceptKw('CURSOR')) {
        if (stage > 1) throw sqlError('ER_SP_CURSOR_AFTER_HANDLER');
        stage = 1;
        p.expectKw('FOR');
        if (scope.cursors.has(name.toLowerCase())) throw sqlError('ER_SP_DUP_CURS', name);
        const end = statementEnd(p, limit);
        const c = subCursor(p, end, ctx);
        const select = parseStatement(c);
        if (select.kind !== 'select') throw p.error();
        select.text = p.slice(p.peek().start, (p.toks[end] as Token).start).trim();
        p.pos = end;
        const index = ctx.cursorCount++;
        scope.cursors.set(name.toLowerCase(), index);
        cursors.push({ name, index, select });
      } else {
        if (stage > 0) throw sqlError('ER_SP_VARCOND_AFTER_CURSHNDLR');
        const names = [name];
        while (p.acceptOp(',')) names.push(p.ident());
        const type = parseDataType(p).type;
        let def: Expr | undefined;
        if (p.acceptKw('DEFAULT')) def = expr(p, ctx, limit);
        for (const n of names) {
          if (scope.vars.has(n.toLowerCase())) throw sqlError('ER_SP_DUP_VAR', n);
        }
        // Declared variables become visible after the whole DECLARE (its DEFAULT cannot see them).
        for (const n of names) {
          const slot = ctx.slots++;
          scope.vars.set(n.toLowerCase(), slot);
          const d: SpVarDecl = { name: n, slot, type };
          if (def) d.default = def;
          vars.push(d);
        }
      }
      p.expectOp(';');
    }
    const body = parseList(p, ctx, limit, ['END']);
    p.expectKw('END');
    const s: SpStatement = { t: 'block', vars, handlers, cursors, body };
    if (label !== undefined) s.label = label;
    return s;
  } finally {
    ctx.scopes.pop();
  }
}

/** DECLARE CONTINUE|EXIT HANDLER FOR condition [, ...] statement. @req CORE-SP-012 */
function parseHandler(p: Cursor, ctx: BodyContext, limit: number): SpHandlerDecl {
  const action = p.next().upper;
  if (action === 'UNDO') throw p.error();
  p.expectKw('HANDLER');
  p.expectKw('FOR');
  const conditions: SpConditionValue[] = [];
  do {
    const c = conditionValue(p, ctx, true);
    if (conditions.some((x) => JSON.stringify(x) === JSON.stringify(c))) throw sqlError('ER_SP_DUP_HANDLER');
    conditions.push(c);
  } while (p.acceptOp(','));
  // A handler body may LEAVE labels outside it but is a statement of its own.
  const body = parseSpStatement(p, ctx, limit);
  return { action: action as 'CONTINUE' | 'EXIT', conditions, body };
}

/** SQLSTATE [VALUE] 'xxxxx' | mysql_error_code | condition name | SQLWARNING | NOT FOUND | SQLEXCEPTION. */
function conditionValue(p: Cursor, ctx: BodyContext, handler: boolean): SpConditionValue {
  if (p.acceptKw('SQLSTATE')) {
    p.acceptKw('VALUE');
    const s = p.string();
    if (!/^[0-9A-Z]{5}$/.test(s) || s.startsWith('00')) throw sqlError('ER_SP_BAD_SQLSTATE', s);
    return { kind: 'sqlstate', sqlstate: s };
  }
  const t = p.peek();
  if (t.type === Tok.NUMBER) {
    const n = p.integer();
    if (n === 0) throw sqlError('ER_WRONG_VALUE', 'CONDITION', '0');
    return { kind: 'errno', errno: n };
  }
  if (handler) {
    if (p.acceptKw('SQLWARNING')) return { kind: 'class', cls: 'SQLWARNING' };
    if (p.acceptKws('NOT', 'FOUND')) return { kind: 'class', cls: 'NOT FOUND' };
    if (p.acceptKw('SQLEXCEPTION')) return { kind: 'class', cls: 'SQLEXCEPTION' };
    const name = p.ident();
    const c = ctx.lookupCondition(name);
    if (!c) throw sqlError('ER_SP_COND_MISMATCH', name);
    return c;
  }
  throw p.error();
}

function parseIf(p: Cursor, ctx: BodyContext, limit: number): SpStatement {
  p.expectKw('IF');
  const branches: { cond: Expr; body: SpStatement[] }[] = [];
  let cond = expr(p, ctx, limit);
  p.expectKw('THEN');
  branches.push({ cond, body: parseList(p, ctx, limit, ['ELSEIF', 'ELSE', 'END']) });
  while (p.acceptKw('ELSEIF')) {
    cond = expr(p, ctx, limit);
    p.expectKw('THEN');
    branches.push({ cond, body: parseList(p, ctx, limit, ['ELSEIF', 'ELSE', 'END']) });
  }
  const s: SpStatement = { t: 'if', branches };
  if (p.acceptKw('ELSE')) s.else = parseList(p, ctx, limit, ['END']);
  p.expectKw('END');
  p.expectKw('IF');
  return s;
}

function parseCase(p: Cursor, ctx: BodyContext, limit: number): SpStatement {
  p.expectKw('CASE');
  const s: Extract<SpStatement, { t: 'case' }> = { t: 'case', whens: [] };
  if (!p.isKw('WHEN')) s.operand = expr(p, ctx, limit);
  while (p.acceptKw('WHEN')) {
    const when = expr(p, ctx, limit);
    p.expectKw('THEN');
    s.whens.push({ when, body: parseList(p, ctx, limit, ['WHEN', 'ELSE', 'END']) });
  }
  if (s.whens.length === 0) throw p.error();
  if (p.acceptKw('ELSE')) s.else = parseList(p, ctx, limit, ['END']);
  p.expectKw('END');
  p.expectKw('CASE');
  return s;
}

/** A variable a value is stored into: a local variable or @user. */
function target(p: Cursor, ctx: BodyContext): SpTarget {
  const t = p.peek();
  if (t.type === Tok.USERVAR) {
    p.next();
    return { kind: 'user', name: t.value };
  }
  const name = p.ident();
  const slot = ctx.lookupVar(name);
  if (slot === undefined) throw sqlError('ER_SP_UNDECLARED_VAR', name);
  return { kind: 'local', slot };
}

/** FETCH [[NEXT] FROM] cursor INTO var [, var]. @req CORE-SP-013 */
function parseFetch(p: Cursor, ctx: BodyContext, _limit: number): SpStatement {
  p.expectKw('FETCH');
  if (p.acceptKw('NEXT')) p.expectKw('FROM');
  else p.acceptKw('FROM');
  const name = p.ident();
  const cursor = ctx.lookupCursor(name);
  if (cursor === undefined) throw sqlError('ER_SP_CURSOR_MISMATCH', name);
  p.expectKw('INTO');
  const into: SpTarget[] = [];
  do {
    const tt = target(p, ctx);
    if (tt.kind !== 'local') throw p.error();
    into.push(tt);
  } while (p.acceptOp(','));
  return { t: 'fetch', cursor, name, into };
}

const SIGNAL_ITEMS: ReadonlySet<string> = new Set([
  'CLASS_ORIGIN', 'SUBCLASS_ORIGIN', 'MESSAGE_TEXT', 'MYSQL_ERRNO', 'CONSTRAINT_CATALOG', 'CONSTRAINT_SCHEMA',
  'CONSTRAINT_NAME', 'CATALOG_NAME', 'SCHEMA_NAME', 'TABLE_NAME', 'COLUMN_NAME', 'CURSOR_NAME',
]);

/** SIGNAL condition [SET item = value, ...]; RESIGNAL [condition] [SET ...]. @req CORE-SP-015 */
function parseSignal(p: Cursor, ctx: BodyContext, limit: number): SpStatement {
  const resignal = p.next().upper === 'RESIGNAL';
  const s: Extract<SpStatement, { t: 'signal' }> = { t: 'signal', resignal, items: [] };
  if (p.isKw('SQLSTATE')) {
    s.condition = conditionValue(p, ctx, false);
  } else if (!p.atEndAfter(0) && p.pos < limit && !p.isKw('SET') && !p.isOp(';')) {
    const name = p.ident();
    const c = ctx.lookupCondition(name);
    if (!c) throw sqlError('ER_SP_COND_MISMATCH', name);
    if (c.kind !== 'sqlstate') throw sqlError('ER_SIGNAL_BAD_CONDITION_TYPE');
    s.condition = c;
  }
  if (!resignal && !s.condition) throw p.error();
  if (p.acceptKw('SET')) {
    do {
      const t = p.next();
      if (t.type !== Tok.IDENT || !SIGNAL_ITEMS.has(t.upper)) throw p.error(t);
      if (s.items.some((i) => i.name === t.upper)) throw sqlError('ER_DUP_SIGNAL_SET', t.upper);
      p.expectOp('=');
      s.items.push({ name: t.upper, value: withLocals(p, ctx, limit, (c) => parseExpr(c)) });
    } while (p.acceptOp(','));
  }
  return s;
}

const STATEMENT_ITEMS: ReadonlySet<string> = new Set(['NUMBER', 'ROW_COUNT']);
const CONDITION_ITEMS: ReadonlySet<string> = new Set([...SIGNAL_ITEMS, 'RETURNED_SQLSTATE']);

/** GET [CURRENT|STACKED] DIAGNOSTICS ... @req CORE-SP-016 */
function parseGetDiagnostics(p: Cursor, ctx: BodyContext, limit: number): SpStatement {
  p.expectKw('GET');
  let area: 'CURRENT' | 'STACKED' = 'CURRENT';
  if (p.acceptKw('STACKED')) area = 'STACKED';
  else p.acceptKw('CURRENT');
  p.expectKw('DIAGNOSTICS');
  const s: Extract<SpStatement, { t: 'get_diagnostics' }> = { t: 'get_diagnostics', area, statementItems: [], conditionItems: [] };
  if (p.acceptKw('CONDITION')) {
    s.condition = withLocals(p, ctx, limit, (c) => parseExpr(c));
    do {
      const tg = target(p, ctx);
      p.expectOp('=');
      const it = p.next();
      if (it.type !== Tok.IDENT || !CONDITION_ITEMS.has(it.upper)) throw p.error(it);
      s.conditionItems.push({ target: tg, item: it.upper });
    } while (p.acceptOp(','));
    return s;
  }
  do {
    const tg = target(p, ctx);
    p.expectOp('=');
    const it = p.next();
    if (it.type !== Tok.IDENT || !STATEMENT_ITEMS.has(it.upper)) throw p.error(it);
    s.statementItems.push({ target: tg, item: it.upper });
  } while (p.acceptOp(','));
  return s;
}

const SCOPE_WORDS: Record<string, 'global' | 'session' | 'persist' | 'persist_only'> = {
  GLOBAL: 'global', SESSION: 'session', LOCAL: 'session', PERSIST: 'persist', PERSIST_ONLY: 'persist_only',
};

/**
 * SET where the first target is a local variable: each assignment becomes a local SET or a
 * one-assignment SET statement (@user, @@system). undefined (cursor unmoved) otherwise.
 * @req CORE-SP-011
 */
function trySetLocal(p: Cursor, ctx: BodyContext, limit: number): SpStatement | undefined {
  const first = p.peek(1);
  if (first.type !== Tok.IDENT && first.type !== Tok.QIDENT) return undefined;
  const rowTarget = ctx.trigger !== null && isRowWord(first) && p.isOp('.', 2);
  if (!rowTarget) {
    if (ctx.lookupVar(first.value) === undefined) return undefined;
    if (!(p.isOp('=', 2) || p.isOp(':=', 2))) return undefined;
  }
  p.next();
  const out: SpStatement[] = [];
  do {
    const t = p.peek();
    if (t.type === Tok.USERVAR) {
      p.next();
      if (!p.acceptOp('=')) p.expectOp(':=');
      const value = expr(p, ctx, limit);
      out.push({ t: 'sql', stmt: { kind: 'set', assignments: [{ target: { type: 'uservar', name: t.value }, value }], text: 'SET', paramCount: 0 } });
      continue;
    }
    if (t.type === Tok.ATAT || p.isKw('GLOBAL') || p.isKw('SESSION') || p.isKw('LOCAL') || p.isKw('PERSIST') || p.isKw('PERSIST_ONLY')) {
      if (t.type === Tok.ATAT) p.next();
      const sv = t.type === Tok.ATAT ? parseSysVar(p) : { type: 'sysvar' as const, name: (p.next(), p.identAfterDot()), scope: SCOPE_WORDS[t.upper] ?? 'session' };
      if (!p.acceptOp('=')) p.expectOp(':=');
      const value = expr(p, ctx, limit);
      out.push({ t: 'sql', stmt: { kind: 'set', assignments: [{ target: sv, value }], text: 'SET', paramCount: 0 } });
      continue;
    }
    if (ctx.trigger !== null && isRowWord(t) && p.isOp('.', 1)) {
      const slot = rowAssignTarget(p, ctx);
      if (!p.acceptOp('=')) p.expectOp(':=');
      out.push({ t: 'set_local', slot, value: expr(p, ctx, limit) });
      continue;
    }
    const name = p.ident();
    const slot = ctx.lookupVar(name);
    if (slot === undefined) throw sqlError('ER_SP_UNDECLARED_VAR', name);
    if (!p.acceptOp('=')) p.expectOp(':=');
    out.push({ t: 'set_local', slot, value: expr(p, ctx, limit) });
  } while (p.acceptOp(','));
  if (out.length === 1) return out[0];
  return { t: 'block', vars: [], handlers: [], cursors: [], body: out };
}

function isRowWord(t: Token): boolean {
  return (t.type === Tok.IDENT || t.type === Tok.QIDENT) && (t.value.toUpperCase() === 'NEW' || t.value.toUpperCase() === 'OLD');
}

/**
 * `NEW.col` / `OLD.col` as the target of SET in a trigger: OLD is read-only, and so is NEW
 * after the row is written (1362); a row the event has not is 1363.
 * @req CORE-TRG-002
 */
function rowAssignTarget(p: Cursor, ctx: BodyContext): number {
  const trg = ctx.trigger as NonNullable<BodyContext['trigger']>;
  const row = p.next().value.toUpperCase();
  p.expectOp('.');
  const column = p.identAfterDot();
  if (row === 'OLD') throw sqlError('ER_TRG_CANT_CHANGE_ROW', 'OLD', '');
  if (trg.event === 'DELETE') throw sqlError('ER_TRG_NO_SUCH_ROW_IN_TRG', 'NEW', 'on DELETE');
  if (trg.timing === 'AFTER') throw sqlError('ER_TRG_CANT_CHANGE_ROW', 'NEW', 'after ');
  return ctx.rowSlot(row, column) as number;
}

/**
 * A trigger's body (after FOR EACH ROW [FOLLOWS|PRECEDES name]): one statement or a compound
 * statement, up to the end of the statement; NEW / OLD columns get frame slots as they appear.
 * @req CORE-TRG-001 CORE-TRG-002
 */
export function parseTriggerBody(
  p: Cursor,
  name: string,
  timing: 'BEFORE' | 'AFTER',
  event: 'INSERT' | 'UPDATE' | 'DELETE',
): { body: SpStatement; slots: number; cursors: number; rowRefs: TriggerRowRef[] } {
  const ctx = new BodyContext('TRIGGER', name);
  ctx.trigger = { timing, event, refs: [] };
  ctx.push();
  const body = parseSpStatement(p, ctx, p.end);
  if (!p.atEnd()) throw p.error();
  return { body, slots: ctx.slots, cursors: ctx.cursorCount, rowRefs: ctx.trigger.refs };
}
