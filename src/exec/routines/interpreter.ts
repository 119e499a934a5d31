/**
 * The stored-program interpreter: runs a compound-statement tree (routine-ast.ts) over a frame
 * of local variables. Ordinary statements go through the normal executor
 * (dispatch.executeStatement) with the frame's values as their parameters (the parser turned
 * local variable references into markers numbered by slot); flow control, handlers, cursors,
 * SIGNAL / RESIGNAL and GET DIAGNOSTICS are interpreted here. Procedures, functions and (later)
 * triggers and events share it: what differs is in the {@link ProgramContext} (where result
 * sets go, whether each statement ends as its own transaction statement, how RETURN ends).
 *
 * Handlers are looked up where a condition is raised: the innermost block with a matching
 * handler wins, and within a block the most specific condition value. A CONTINUE handler runs
 * and execution goes on after the statement that raised the condition; an EXIT handler runs
 * and its block ends. A handler's own statements are not covered by the handlers of its block.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/sql-compound-statements.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/declare-handler.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/cursors.html
 * Every invocation has its own frame, cursors and handler state, and the programs running in a
 * session are kept per session, so concurrent CALLs of several connections never share state.
 *
 * @req CORE-SP-010 CORE-SP-011 CORE-SP-012 CORE-SP-013 CORE-SP-014 CORE-SP-015 CORE-SP-016 CORE-SP-022 CORE-SP-070
 */
import type { Expr, Statement } from '../../sql/ast.js';
import type { SpCursorDecl, SpHandlerDecl, SpStatement, SpTarget } from '../../sql/routine-ast.js';
import type { ColumnDef } from '../../kernel/table-def.js';
import type { Row, Value } from '../../kernel/value.js';
import type { RowsResult } from '../../kernel/protocol-port.js';
import { SqlError, sqlError } from '../../kernel/errors.js';
import { collectRows } from '../../kernel/row-stream.js';
import { storeValue } from '../../sql/types/store.js';
import { compileExpr } from '../../sql/eval/index.js';
import type { Session } from '../session.js';
import { executeStatement } from '../dispatch.js';
import { evalCompiled, makeRuntime } from '../query/runtime.js';
import { subqueryScopeFor } from '../query/subquery-scope.js';
import { conditionOfDiagnostic, conditionOfError, diagnosticOf, matchScore, SignalError, type SpCondition } from './conditions.js';
import { MAX_MESSAGE_TEXT_CHARS } from './limits.js';
import { bindStoredFunctions } from './functions.js';

/** Where a running program is, and what it may do. */
export interface ProgramContext {
  session: Session;
  kind: 'PROCEDURE' | 'FUNCTION' | 'TRIGGER' | 'EVENT' | 'NONE';
  /** `db.name`, for messages. */
  name: string;
  values: Value[];
  slotTypes: (ColumnDef | undefined)[];
  slotNames: string[];
  cursors: (CursorState | undefined)[];
  /** Where result sets go (a procedure called by the client); null: 1312. */
  sink: ((r: RowsResult) => Promise<void>) | null;
  /** Each statement ends as a statement of its own (procedures not called from a function). */
  subStatements: boolean;
  /** Conditions of the handlers running now (GET STACKED DIAGNOSTICS, RESIGNAL), innermost last. */
  handling: SpCondition[][];
  /** Affected rows of the last statement that reported some (the CALL's OK carries it). */
  lastAffected?: bigint;
}

interface CursorState {
  rows: Row[] | null;
  pos: number;
}

/** Non-local exits of a statement. */
type Flow =
  | null
  | { k: 'leave'; label: string }
  | { k: 'iterate'; label: string }
  | { k: 'return'; value: Value }
  | { k: 'exit'; block: HandlerScope };

interface HandlerScope {
  handlers: SpHandlerDecl[];
}

/** Programs running in each session, innermost last (SELECT ... INTO a local variable, recursion). */
const running = new WeakMap<Session, ProgramContext[]>();

export function runningPrograms(session: Session): ProgramContext[] {
  let s = running.get(session);
  if (!s) {
    s = [];
    running.set(session, s);
  }
  return s;
}

export function currentProgram(session: Session): ProgramContext | undefined {
  const s = running.get(session);
  return s === undefined ? undefined : s[s.length - 1];
}

/** Assign a local variable, converting to its declared type. @req CORE-SP-011 */
export function assignLocal(ctx: ProgramContext, slot: number, v: Value): void {
  const col = ctx.slotTypes[slot];
  if (col === undefined || v === null) {
    ctx.values[slot] = v;
    return;
  }
  const rt = makeRuntime(ctx.session, []);
  ctx.values[slot] = storeValue(v, col, rt, 1);
}

/** SELECT ... INTO a local variable of the running program. */
export function setLocalVariable(session: Session, slot: number, v: Value): void {
  const ctx = currentProgram(session);
  if (!ctx) throw sqlError('ER_SP_UNDECLARED_VAR', String(slot));
  assignLocal(ctx, slot, v);
}

/** Run a program body; the value of RETURN, if one ran. */
export async function runBody(ctx: ProgramContext, body: SpStatement): Promise<{ returned: boolean; value: Value }> {
  const stack = runningPrograms(ctx.session);
  stack.push(ctx);
  try {
    const flow = await exec(ctx, body, []);
    if (flow && flow.k === 'return') return { returned: true, value: flow.value };
    return { returned: false, value: null };
  } finally {
    stack.pop();
    for (const c of ctx.cursors) if (c) c.rows = null;
  }
}

/** Evaluate expressions of the program (IF conditions, SET values, ...) with the frame's values. */
export async function evalExprs(ctx: ProgramContext, exprs: Expr[], extra: Value[] = []): Promise<Value[]> {
  const session = ctx.session;
  for (const e of exprs) bindStoredFunctions(session, e);
  const scope = await subqueryScopeFor(session, exprs);
  const rt = makeRuntime(session, extra.length ? [...ctx.values, ...extra] : ctx.values.slice());
  const out: Value[] = [];
  for (const e of exprs) out.push(await evalCompiled(compileExpr(e, scope), [], rt));
  return out;
}

async function evalOne(ctx: ProgramContext, e: Expr): Promise<Value> {
  return (await evalExprs(ctx, [e]))[0] ?? null;
}

function truthy(v: Value): boolean {
  if (v === null) return false;
  if (typeof v === 'bigint') return v !== 0n;
  if (typeof v === 'number') return v !== 0;
  const n = Number(typeof v === 'string' ? v : String(v));
  return Number.isFinite(n) ? n !== 0 : false;
}

/**
 * Run one action that may raise a condition; a condition with a handler runs it. Returns the
 * flow to follow, or 'done' when the action finished (or a CONTINUE handler took over).
 */
async function guarded(ctx: ProgramContext, hs: HandlerScope[], action: () => Promise<Flow>, clearFirst = true): Promise<Flow> {
  // Each statement starts with an empty diagnostics area, except those that read it.
  if (clearFirst) ctx.session.diagnostics.clear();
  let flow: Flow;
  try {
    flow = await action();
  } catch (e) {
    if (!(e instanceof SqlError) || e.errno === 1317 || e.errno === 3024) throw e;
    const cond = conditionOfError(e);
    const found = findHandler(hs, cond);
    if (!found) throw e;
    return activate(ctx, hs, found, [cond, ...warningsOf(ctx)]);
  }
  if (flow) return flow;
  // Completion conditions (warnings, NOT FOUND) of the statement.
  const list = ctx.session.diagnostics.list;
  if (list.length === 0 || hs.length === 0) return null;
  for (const d of list) {
    const cond = conditionOfDiagnostic(d);
    const found = findHandler(hs, cond);
    if (found) return activate(ctx, hs, found, list.map(conditionOfDiagnostic));
  }
  return null;
}

function warningsOf(ctx: ProgramContext): SpCondition[] {
  return ctx.session.diagnostics.list.map(conditionOfDiagnostic);
}

function findHandler(hs: HandlerScope[], cond: SpCondition): { scope: number; handler: SpHandlerDecl } | null {
  for (let i = hs.length - 1; i >= 0; i--) {
    let best: SpHandlerDecl | null = null;
    let score = 0;
    for (const h of (hs[i] as HandlerScope).handlers) {
      for (const v of h.conditions) {
        const s = matchScore(v, cond);
        if (s > score) {
          score = s;
          best = h;
        }
      }
    }
    if (best) return { scope: i, handler: best };
  }
  return null;
}

/** Run a handler for `conds` (the first is the one it caught). @req CORE-SP-012 */
async function activate(ctx: ProgramContext, hs: HandlerScope[], found: { scope: number; handler: SpHandlerDecl }, conds: SpCondition[]): Promise<Flow> {
  const session = ctx.session;
  // The handler sees the condition in the diagnostics area (GET CURRENT / STACKED DIAGNOSTICS).
  session.diagnostics.clear();
  for (const c of conds) session.diagnostics.push(diagnosticOf(c));
  ctx.handling.push(conds);
  let flow: Flow;
  try {
    flow = await exec(ctx, found.handler.body, hs.slice(0, found.scope));
  } finally {
    ctx.handling.pop();
  }
  // A handled condition does not outlive its handler.
  session.diagnostics.clear();
  if (flow) return flow;
  if (found.handler.action === 'EXIT') return { k: 'exit', block: hs[found.scope] as HandlerScope };
  return null;
}

async function execList(ctx: ProgramContext, list: SpStatement[], hs: HandlerScope[]): Promise<Flow> {
  for (const s of list) {
    const f = await exec(ctx, s, hs);
    if (f) return f;
  }
  return null;
}

function labelIs(label: string | undefined, name: string): boolean {
  return label !== undefined && label.toLowerCase() === name.toLowerCase();
}

async function exec(ctx: ProgramContext, s: SpStatement, hs: HandlerScope[]): Promise<Flow> {
  ctx.session.checkInterrupt();
  switch (s.t) {
    case 'sql':
      return guarded(ctx, hs, async () => {
        await runStatement(ctx, s.stmt);
        return null;
      });
    case 'block':
      return execBlock(ctx, s, hs);
    case 'set_local':
      return guarded(ctx, hs, async () => {
        assignLocal(ctx, s.slot, await evalOne(ctx, s.value));
        return null;
      });
    case 'if':
      return guarded(ctx, hs, async () => {
        for (const b of s.branches) {
          if (truthy(await evalOne(ctx, b.cond))) return execList(ctx, b.body, hs);
        }
        return s.else ? execList(ctx, s.else, hs) : null;
      });
    case 'case':
      return guarded(ctx, hs, async () => {
        if (s.operand) {
          // The operand is evaluated once and compared with each WHEN value in turn.
          const v = await evalOne(ctx, s.operand);
          const marker: Expr = { type: 'param', index: ctx.values.length };
          for (const w of s.whens) {
            const eq = (await evalExprs(ctx, [{ type: 'binary', op: '=', left: marker, right: w.when } as Expr], [v]))[0] ?? null;
            if (truthy(eq)) return execList(ctx, w.body, hs);
          }
        } else {
          for (const w of s.whens) if (truthy(await evalOne(ctx, w.when))) return execList(ctx, w.body, hs);
        }
        if (s.else) return execList(ctx, s.else, hs);
        // @req CORE-SP-014
        throw sqlError('ER_SP_CASE_NOT_FOUND');
      });
    case 'loop':
    case 'while':
    case 'repeat':
      return execLoop(ctx, s, hs);
    case 'leave':
      return { k: 'leave', label: s.label };
    case 'iterate':
      return { k: 'iterate', label: s.label };
    case 'return':
      return guarded(ctx, hs, async () => ({ k: 'return', value: await evalOne(ctx, s.value) }));
    case 'open':
      return guarded(ctx, hs, async () => {
        await openCursor(ctx, s.cursor);
        return null;
      });
    case 'fetch':
      return guarded(ctx, hs, async () => {
        fetchCursor(ctx, s.cursor, s.into);
        return null;
      });
    case 'close':
      return guarded(ctx, hs, async () => {
        const c = ctx.cursors[s.cursor];
        if (!c || c.rows === null) throw sqlError('ER_SP_CURSOR_NOT_OPEN');
        c.rows = null;
        return null;
      });
    case 'signal':
      return guarded(
        ctx,
        hs,
        async () => {
          await signal(ctx, s);
          return null;
        },
        !s.resignal,
      );
    case 'get_diagnostics':
      return guarded(
        ctx,
        hs,
        async () => {
          await getDiagnostics(ctx, s);
          return null;
        },
        false,
      );
  }
}

const cursorDecls = new WeakMap<ProgramContext, Map<number, SpCursorDecl>>();

async function execBlock(ctx: ProgramContext, s: Extract<SpStatement, { t: 'block' }>, hs: HandlerScope[]): Promise<Flow> {
  // Variables start NULL or with their DEFAULT (evaluated in declaration order).
  for (const v of s.vars) {
    ctx.values[v.slot] = null;
  }
  for (const v of s.vars) {
    if (v.default) {
      const f = await guarded(ctx, hs, async () => {
        assignLocal(ctx, v.slot, await evalOne(ctx, v.default as Expr));
        return null;
      });
      if (f) return f.k === 'exit' ? null : f;
    }
  }
  if (s.cursors.length > 0) {
    let m = cursorDecls.get(ctx);
    if (!m) {
      m = new Map();
      cursorDecls.set(ctx, m);
    }
    for (const c of s.cursors) {
      m.set(c.index, c);
      ctx.cursors[c.index] = { rows: null, pos: 0 };
    }
  }
  const scope: HandlerScope = { handlers: s.handlers };
  const inner = s.handlers.length > 0 ? [...hs, scope] : hs;
  let flow: Flow;
  try {
    flow = await execList(ctx, s.body, inner);
  } finally {
    // Cursors close when their block ends.
    for (const c of s.cursors) {
      const st = ctx.cursors[c.index];
      if (st) st.rows = null;
    }
  }
  if (flow && flow.k === 'exit' && flow.block === scope) return null;
  if (flow && flow.k === 'leave' && labelIs(s.label, flow.label)) return null;
  return flow;
}

async function execLoop(ctx: ProgramContext, s: Extract<SpStatement, { t: 'loop' | 'while' | 'repeat' }>, hs: HandlerScope[]): Promise<Flow> {
  for (;;) {
    if (s.t === 'while') {
      let go = false;
      const f = await guarded(ctx, hs, async () => {
        go = truthy(await evalOne(ctx, s.cond));
        return null;
      });
      if (f) return f;
      if (!go) return null;
    }
    const flow = await execList(ctx, s.body, hs);
    if (flow) {
      if (flow.k === 'leave' && labelIs(s.label, flow.label)) return null;
      if (!(flow.k === 'iterate' && labelIs(s.label, flow.label))) return flow;
    }
    if (s.t === 'repeat') {
      let stop = true;
      const f = await guarded(ctx, hs, async () => {
        stop = truthy(await evalOne(ctx, s.until));
        return null;
      });
      if (f) return f;
      if (stop) return null;
    }
    // Let other sessions run between iterations of a long loop.
    if (ctx.session.statementControl()) await new Promise<void>((r) => setImmediate(r));
  }
}

/**
 * An ordinary statement of the body, through the normal executor. Result sets go to the sink
 * (1312 without one); in a procedure each statement then ends as a statement of its own.
 * @req CORE-SP-022
 */
async function runStatement(ctx: ProgramContext, stmt: Statement): Promise<void> {
  const session = ctx.session;
  let error: SqlError | null = null;
  try {
    const r = await executeStatement(session, stmt, ctx.values.slice());
    ctx.lastAffected = r.kind === 'ok' ? r.affectedRows : 0n;
    if (r.kind === 'rows') {
      if (!ctx.sink) {
        await closeRows(r);
        throw sqlError('ER_SP_BADSELECT', ctx.name);
      }
      await ctx.sink(r);
    }
  } catch (e) {
    error = e instanceof SqlError ? e : sqlError('ER_UNKNOWN_ERROR');
    if (!(e instanceof SqlError)) session.deps.log('Error', 'MY-010000', 'Server', `internal error in stored program: ${(e as Error)?.stack ?? String(e)}`);
  }
  if (ctx.subStatements) {
    const ending = session.endSubStatement(error);
    if (ending) await ending;
  }
  if (error) throw error;
}

async function closeRows(r: RowsResult): Promise<void> {
  const rows = r.rows;
  if (!Array.isArray(rows) && 'close' in rows) await (rows as { close(): Promise<void> }).close();
}

/** OPEN: the cursor's rows are read now (MySQL materialises them too). @req CORE-SP-013 */
async function openCursor(ctx: ProgramContext, index: number): Promise<void> {
  const st = ctx.cursors[index];
  const decl = cursorDecls.get(ctx)?.get(index);
  if (!st || !decl) throw sqlError('ER_SP_CURSOR_NOT_OPEN');
  if (st.rows !== null) throw sqlError('ER_SP_CURSOR_ALREADY_OPEN');
  const r = await executeStatement(ctx.session, decl.select, ctx.values.slice());
  st.rows = r.kind === 'rows' ? await collectRows(r.rows) : [];
  st.pos = 0;
  if (ctx.subStatements) {
    const ending = ctx.session.endSubStatement(null);
    if (ending) await ending;
  }
}

function fetchCursor(ctx: ProgramContext, index: number, into: SpTarget[]): void {
  const st = ctx.cursors[index];
  if (!st || st.rows === null) throw sqlError('ER_SP_CURSOR_NOT_OPEN');
  ctx.session.diagnostics.clear();
  const row = st.rows[st.pos];
  if (row === undefined) throw sqlError('ER_SP_FETCH_NO_DATA');
  if (row.length !== into.length) throw sqlError('ER_SP_WRONG_NO_OF_FETCH_ARGS');
  st.pos++;
  into.forEach((t, i) => store(ctx, t, row[i] ?? null));
}

function store(ctx: ProgramContext, t: SpTarget, v: Value): void {
  if (t.kind === 'local') assignLocal(ctx, t.slot, v);
  else ctx.session.userVars.set(t.name.toLowerCase(), v);
}

function text(v: Value): string {
  if (v === null) return '';
  if (Buffer.isBuffer(v)) return v.toString('utf8');
  return String(v);
}

/**
 * SIGNAL / RESIGNAL: raise a condition with the given items (warnings are pushed and execution
 * goes on; errors are thrown). @req CORE-SP-015
 */
async function signal(ctx: ProgramContext, s: Extract<SpStatement, { t: 'signal' }>): Promise<void> {
  const values = await evalExprs(ctx, s.items.map((i) => i.value));
  let base: SpCondition;
  if (s.resignal) {
    const active = ctx.handling[ctx.handling.length - 1];
    if (!active) throw sqlError('ER_RESIGNAL_WITHOUT_ACTIVE_HANDLER');
    base = { ...(active[0] as SpCondition) };
    if (base.items) base.items = { ...base.items };
  } else {
    base = { level: 'Error', code: 0, sqlState: '', message: '' };
  }
  if (s.condition && s.condition.kind === 'sqlstate') {
    const st = s.condition.sqlstate;
    const cls = st.slice(0, 2);
    base.sqlState = st;
    base.level = cls === '01' ? 'Warning' : 'Error';
    base.code = cls === '01' ? 1642 : cls === '02' ? 1643 : 1644;
    base.message = cls === '01' ? 'Unhandled user-defined warning condition' : cls === '02' ? 'Unhandled user-defined not found condition' : 'Unhandled user-defined exception condition';
  }
  s.items.forEach((it, i) => {
    const v = values[i] ?? null;
    if (it.name === 'MYSQL_ERRNO') {
      const n = Number(text(v));
      if (!Number.isInteger(n) || n <= 0 || n > 65535) throw sqlError('ER_WRONG_VALUE_FOR_VAR', 'MYSQL_ERRNO', text(v));
      base.code = n;
    } else if (it.name === 'MESSAGE_TEXT') {
      const m = text(v);
      if ([...m].length > MAX_MESSAGE_TEXT_CHARS) throw sqlError('ER_COND_ITEM_TOO_LONG', 'MESSAGE_TEXT');
      base.message = m;
    } else {
      base.items = { ...(base.items ?? {}), [it.name]: text(v) };
    }
  });
  if (base.level !== 'Error') {
    // A warning condition is recorded and the program goes on (unless a handler takes it).
    ctx.session.diagnostics.push(diagnosticOf(base));
    return;
  }
  throw new SignalError(base);
}

const STATEMENT_ITEM: Record<string, (ctx: ProgramContext, area: SpCondition[]) => Value> = {
  NUMBER: (_c, area) => BigInt(area.length),
  ROW_COUNT: (c) => c.session.rowCount,
};

/** GET [CURRENT | STACKED] DIAGNOSTICS. @req CORE-SP-016 */
async function getDiagnostics(ctx: ProgramContext, s: Extract<SpStatement, { t: 'get_diagnostics' }>): Promise<void> {
  let area: SpCondition[];
  if (s.area === 'STACKED') {
    const active = ctx.handling[ctx.handling.length - 1];
    if (!active) throw sqlError('ER_GET_STACKED_DA_WITHOUT_ACTIVE_HANDLER');
    area = active;
  } else {
    area = ctx.session.diagnostics.list.map(conditionOfDiagnostic);
  }
  for (const it of s.statementItems) store(ctx, it.target, (STATEMENT_ITEM[it.item] as (c: ProgramContext, a: SpCondition[]) => Value)(ctx, area));
  if (s.condition) {
    const nv = await evalOne(ctx, s.condition);
    const n = Number(text(nv));
    const c = area[n - 1];
    if (!Number.isInteger(n) || c === undefined) throw sqlError('ER_DA_INVALID_CONDITION_NUMBER');
    for (const it of s.conditionItems) store(ctx, it.target, conditionItem(c, it.item));
  }
}

function conditionItem(c: SpCondition, item: string): Value {
  switch (item) {
    case 'RETURNED_SQLSTATE':
      return c.sqlState;
    case 'MYSQL_ERRNO':
      return BigInt(c.code);
    case 'MESSAGE_TEXT':
      return c.message;
    case 'CLASS_ORIGIN':
    case 'SUBCLASS_ORIGIN': {
      const own = c.items?.[item];
      if (own !== undefined) return own;
      // SQLSTATEs of the standard's classes come from ISO 9075, the rest from MySQL.
      return /^(0[0-9A-H]|2[0-9A-H]|3[0-9A-H]|4[0-4]|HZ)/.test(c.sqlState) && !c.sqlState.startsWith('HY') ? 'ISO 9075' : 'MySQL';
    }
    default:
      return c.items?.[item] ?? '';
  }
}
