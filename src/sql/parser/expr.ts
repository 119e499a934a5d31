/**
 * Expression parsing by precedence levels, following MySQL's operator precedence (lowest first):
 * `:=`; OR `||`; XOR; AND `&&`; NOT; comparison / IS / LIKE / REGEXP / IN / BETWEEN / MEMBER OF;
 * `|`; `&`; `<<` `>>`; `+` `-`; `*` `/` DIV `%` MOD; `^`; unary `-` `~`; `!`; BINARY, COLLATE;
 * then primaries (literals, names, calls, CASE, subqueries, rows, INTERVAL).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/operator-precedence.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/expressions.html
 * @req CORE-SQL-011 CORE-SQL-012 CORE-SQL-013 CORE-SQL-014
 */
import type {
  BinaryOp,
  ColumnRef,
  Expr,
  LiteralExpr,
  OrderItem,
  QueryExpr,
  SelectStatement,
  WindowSpec,
} from '../ast.js';
import { CHARSET_NAMES } from '../lexer/keywords.js';
import { Tok } from '../lexer/token.js';
import type { Cursor } from './cursor.js';
import { parseFunctionCall } from './functions.js';
import { continueQueryExpr, parenthesizedQuery, parseSelectStatement } from './select.js';

/** Full expression (assignment `:=` is handled at the variable primary). @req CORE-SQL-011 */
export function parseExpr(p: Cursor): Expr {
  p.enter();
  try {
    return parseOr(p);
  } finally {
    p.leave();
  }
}

function parseOr(p: Cursor): Expr {
  let l = parseXor(p);
  for (;;) {
    if (p.isKw('OR')) {
      p.next();
      l = bin('OR', l, parseXor(p));
    } else if (p.isOp('||') && !p.pipesAsConcat) {
      p.next();
      l = bin('||', l, parseXor(p));
    } else return l;
  }
}

function parseXor(p: Cursor): Expr {
  let l = parseAnd(p);
  while (p.acceptKw('XOR')) l = bin('XOR', l, parseAnd(p));
  return l;
}

function parseAnd(p: Cursor): Expr {
  let l = parseNot(p);
  for (;;) {
    if (p.acceptKw('AND')) l = bin('AND', l, parseNot(p));
    else if (p.acceptOp('&&')) l = bin('&&', l, parseNot(p));
    else return l;
  }
}

function parseNot(p: Cursor): Expr {
  if (p.isKw('NOT') && !p.highNotPrecedence) {
    p.next();
    p.enter();
    try {
      const operand = parseNot(p);
      if (operand.type === 'exists' && !operand.not) return { ...operand, not: true };
      return { type: 'unary', op: 'NOT', operand };
    } finally {
      p.leave();
    }
  }
  return parseComparison(p);
}

const COMPARISON_OPS: ReadonlySet<string> = new Set(['=', '<=>', '<>', '!=', '<', '<=', '>', '>=']);

function parseComparison(p: Cursor): Expr {
  let l = parsePredicate(p);
  for (;;) {
    const t = p.peek();
    if (t.type === Tok.OP && COMPARISON_OPS.has(t.value)) {
      p.next();
      const q = p.peek();
      if (q.type === Tok.IDENT && (q.upper === 'ANY' || q.upper === 'SOME' || q.upper === 'ALL') && p.isOp('(', 1)) {
        p.next();
        p.next();
        const query = parseSelectStatement(p);
        p.expectOp(')');
        l = {
          type: 'binary',
          op: t.value as BinaryOp,
          left: l,
          right: { type: 'subquery', query },
          quantifier: q.upper as 'ANY' | 'SOME' | 'ALL',
        };
        continue;
      }
      l = bin(t.value as BinaryOp, l, parsePredicate(p));
      continue;
    }
    if (p.isKw('IS')) {
      p.next();
      const not = p.acceptKw('NOT');
      const w = p.peek();
      if (w.type === Tok.IDENT && (w.upper === 'NULL' || w.upper === 'TRUE' || w.upper === 'FALSE' || w.upper === 'UNKNOWN')) {
        p.next();
        l = { type: 'is', expr: l, test: w.upper, not };
        continue;
      }
      throw p.error();
    }
    return l;
  }
}

function parsePredicate(p: Cursor): Expr {
  const l = parseBits(p, 0);
  let not = false;
  if (p.isKw('NOT') && p.isAnyKw(NOT_PREDICATES, 1)) {
    p.next();
    not = true;
  }
  const t = p.peek();
  if (t.type !== Tok.IDENT) return l;
  switch (t.upper) {
    case 'IN': {
      p.next();
      p.expectOp('(');
      const body = parseParenBody(p);
      p.expectOp(')');
      if (body.query !== undefined) return { type: 'in', expr: l, subquery: body.query, not };
      return { type: 'in', expr: l, list: body.list, not };
    }
    case 'BETWEEN': {
      p.next();
      const low = parseBits(p, 0);
      p.expectKw('AND');
      const high = parsePredicate(p);
      return { type: 'between', expr: l, low, high, not };
    }
    case 'LIKE': {
      p.next();
      const pattern = parseBits(p, 0);
      const like: Expr = { type: 'like', expr: l, pattern, not };
      if (p.acceptKw('ESCAPE')) like.escape = parseBits(p, 0);
      return like;
    }
    case 'REGEXP':
    case 'RLIKE':
      p.next();
      return bin(not ? 'NOT REGEXP' : 'REGEXP', l, parseBits(p, 0));
    case 'SOUNDS':
      if (not) throw p.error();
      p.next();
      p.expectKw('LIKE');
      return bin('SOUNDS LIKE', l, parseBits(p, 0));
    case 'MEMBER': {
      if (not) throw p.error();
      p.next();
      p.acceptKw('OF');
      p.expectOp('(');
      const json = parseExpr(p);
      p.expectOp(')');
      return { type: 'func', name: 'MEMBER OF', args: [l, json] };
    }
    default:
      if (not) throw p.error();
      return l;
  }
}

const NOT_PREDICATES: ReadonlySet<string> = new Set(['IN', 'BETWEEN', 'LIKE', 'REGEXP', 'RLIKE']);

/** Binary operator levels from loosest to tightest. */
const BIT_LEVELS: readonly (readonly string[])[] = [['|'], ['&'], ['<<', '>>'], ['+', '-'], ['*', '/', '%', 'DIV', 'MOD'], ['^']];

function levelOp(p: Cursor, level: number): string | undefined {
  const t = p.peek();
  const ops = BIT_LEVELS[level] as readonly string[];
  if (t.type === Tok.OP) return ops.includes(t.value) ? t.value : undefined;
  if (t.type === Tok.IDENT && level === 4 && (t.upper === 'DIV' || t.upper === 'MOD')) return t.upper;
  return undefined;
}

/** Bitwise / arithmetic operators (MySQL's bit_expr). */
export function parseBits(p: Cursor, level: number): Expr {
  if (level >= BIT_LEVELS.length) return parseUnary(p);
  let l = parseBits(p, level + 1);
  for (;;) {
    const op = levelOp(p, level);
    if (op === undefined) return l;
    p.next();
    if (op === '+' || op === '-') p.intervalAt = p.pos;
    l = bin(op as BinaryOp, l, parseBits(p, level + 1));
  }
}

function parseUnary(p: Cursor): Expr {
  const t = p.peek();
  let op: '-' | '+' | '~' | '!' | 'BINARY' | 'NOT' | undefined;
  if (t.type === Tok.OP && (t.value === '-' || t.value === '+' || t.value === '~' || t.value === '!')) op = t.value;
  else if (t.type === Tok.IDENT && t.upper === 'BINARY') op = 'BINARY';
  else if (t.type === Tok.IDENT && t.upper === 'NOT' && p.highNotPrecedence) op = 'NOT';
  if (op === undefined) return parseCollate(p);
  p.next();
  p.enter();
  try {
    const operand = parseUnary(p);
    if (operand.type === 'literal' && (operand.kind === 'int' || operand.kind === 'decimal' || operand.kind === 'float')) {
      // `-1` is a negative literal and `+1` just the literal
      if (op === '-') return negateLiteral(operand);
      if (op === '+') return operand;
    }
    return { type: 'unary', op, operand };
  } finally {
    p.leave();
  }
}

/** `-123` is a single negative literal (so that -9223372036854775808 stays a BIGINT). */
function negateLiteral(lit: LiteralExpr): LiteralExpr {
  const v = lit.value as string;
  if (v.startsWith('-')) return { type: 'literal', kind: lit.kind, value: v.slice(1) };
  let kind = lit.kind;
  if (kind === 'int') {
    const digits = v.replace(/^0+(?=\d)/, '');
    if (digits.length > 19 || (digits.length === 19 && digits > '9223372036854775808')) kind = 'decimal';
  }
  return { type: 'literal', kind, value: '-' + v };
}

function parseCollate(p: Cursor): Expr {
  let e = parsePrimary(p);
  for (;;) {
    if (p.isKw('COLLATE')) {
      p.next();
      e = { type: 'collate', expr: e, collation: p.identOrString() };
    } else if (p.pipesAsConcat && p.isOp('||')) {
      p.next();
      e = { type: 'func', name: 'CONCAT', args: [e, parseCollateOperand(p)] };
    } else return e;
  }
}

function parseCollateOperand(p: Cursor): Expr {
  const t = p.peek();
  if (t.type === Tok.OP && (t.value === '-' || t.value === '+' || t.value === '~' || t.value === '!')) return parseUnary(p);
  return parsePrimary(p);
}

function bin(op: BinaryOp, left: Expr, right: Expr): Expr {
  return { type: 'binary', op, left, right };
}

/** Comma-separated expressions. */
export function parseExprList(p: Cursor): Expr[] {
  const list = [parseExpr(p)];
  while (p.acceptOp(',')) list.push(parseExpr(p));
  return list;
}

/** Interval units, upper-case. @req CORE-SQL-013 */
export const INTERVAL_UNITS: ReadonlySet<string> = new Set([
  'MICROSECOND', 'SECOND', 'MINUTE', 'HOUR', 'DAY', 'WEEK', 'MONTH', 'QUARTER', 'YEAR',
  'SECOND_MICROSECOND', 'MINUTE_MICROSECOND', 'MINUTE_SECOND', 'HOUR_MICROSECOND', 'HOUR_SECOND',
  'HOUR_MINUTE', 'DAY_MICROSECOND', 'DAY_SECOND', 'DAY_MINUTE', 'DAY_HOUR', 'YEAR_MONTH',
]);

export function parseIntervalUnit(p: Cursor): string {
  const t = p.peek();
  if (t.type === Tok.IDENT && INTERVAL_UNITS.has(t.upper)) {
    p.next();
    return t.upper;
  }
  throw p.error();
}

/** Reserved words that still start a function call when followed by '('. */
const RESERVED_FUNCTIONS: ReadonlySet<string> = new Set([
  'IF', 'LEFT', 'RIGHT', 'REPLACE', 'INSERT', 'MOD', 'CHAR', 'CONVERT', 'DATABASE', 'SCHEMA', 'REPEAT',
  'CURRENT_USER', 'CURRENT_DATE', 'CURRENT_TIME', 'CURRENT_TIMESTAMP', 'LOCALTIME', 'LOCALTIMESTAMP',
  'UTC_DATE', 'UTC_TIME', 'UTC_TIMESTAMP', 'ROW_NUMBER', 'RANK', 'DENSE_RANK', 'CUME_DIST', 'PERCENT_RANK',
  'NTILE', 'LAG', 'LEAD', 'FIRST_VALUE', 'LAST_VALUE', 'NTH_VALUE', 'GROUPING', 'MATCH', 'TRUNCATE',
  'INTERVAL', 'EXISTS', 'VALUES', 'DEFAULT', 'CAST', 'ROW', 'CHARACTER', 'UTC_DATE', 'YEAR_MONTH',
]);

/** Keywords that are zero-argument function calls when written without parentheses. */
const NILADIC: ReadonlySet<string> = new Set([
  'CURRENT_TIMESTAMP', 'CURRENT_DATE', 'CURRENT_TIME', 'LOCALTIME', 'LOCALTIMESTAMP', 'UTC_DATE', 'UTC_TIME',
  'UTC_TIMESTAMP', 'CURRENT_USER',
]);

/** Primary expressions. @req CORE-SQL-012 */
export function parsePrimary(p: Cursor): Expr {
  const t = p.peek();
  switch (t.type) {
    case Tok.NUMBER: {
      p.next();
      const lit: Expr = { type: 'literal', kind: t.numKind ?? 'int', value: t.value };
      p.opts.literalStarts?.set(lit, t.start);
      return lit;
    }
    case Tok.STRING: {
      const joined = p.peek(1).type === Tok.STRING;
      const value = p.string();
      // The first of adjacent literals names the column. @req CORE-DIAG-010
      if (joined) return { type: 'literal', kind: 'string', value, heading: t.value };
      const lit: Expr = { type: 'literal', kind: 'string', value };
      p.opts.literalStarts?.set(lit, t.start);
      return lit;
    }
    case Tok.NSTRING: {
      const joined = p.peek(1).type === Tok.STRING;
      const value = p.string();
      return joined ? { type: 'literal', kind: 'string', value, charset: 'utf8mb3', heading: t.value } : { type: 'literal', kind: 'string', value, charset: 'utf8mb3' };
    }
    case Tok.HEX:
      p.next();
      return { type: 'literal', kind: 'hex', value: t.bytes ?? Buffer.alloc(0) };
    case Tok.BIT:
      p.next();
      return { type: 'literal', kind: 'bit', value: t.bytes ?? Buffer.alloc(0) };
    case Tok.PARAM:
      if (!p.allowParams) throw p.error();
      p.next();
      return { type: 'param', index: p.paramCount++ };
    case Tok.USERVAR:
      p.next();
      return userVar(p, t.value);
    case Tok.AT: {
      p.next();
      const n = p.peek();
      if (n.type === Tok.STRING || n.type === Tok.QIDENT || n.type === Tok.IDENT) {
        p.next();
        return userVar(p, n.value);
      }
      throw p.error();
    }
    case Tok.ATAT:
      p.next();
      return parseSysVar(p);
    case Tok.OP:
      if (t.value === '(') return parseParenthesized(p);
      if (t.value === '{') return parseOdbcEscape(p);
      throw p.error();
    case Tok.QIDENT:
      return parseNameOrCall(p);
    case Tok.IDENT:
      return parseWord(p);
    default:
      throw p.error();
  }
}

function userVar(p: Cursor, name: string): Expr {
  if (p.isOp(':=')) {
    p.next();
    return { type: 'binary', op: ':=', left: { type: 'uservar', name }, right: parseExpr(p) };
  }
  return { type: 'uservar', name };
}

const SCOPES: Record<string, 'global' | 'session' | 'persist' | 'persist_only'> = {
  GLOBAL: 'global',
  SESSION: 'session',
  LOCAL: 'session',
  PERSIST: 'persist',
  PERSIST_ONLY: 'persist_only',
};

/** `@@name`, `@@global.name`, ... (after the `@@`). */
export function parseSysVar(p: Cursor): { type: 'sysvar'; name: string; scope: 'default' | 'global' | 'session' | 'persist' | 'persist_only' } {
  const first = p.identAfterDot();
  const scope = SCOPES[first.toUpperCase()];
  if (scope !== undefined && p.isOp('.') && !p.peek().spaceBefore) {
    p.next();
    return { type: 'sysvar', name: sysVarName(p, p.identAfterDot()), scope };
  }
  return { type: 'sysvar', name: sysVarName(p, first), scope: 'default' };
}

/** Structured variables (`default.key_buffer_size`) keep their dotted name. */
function sysVarName(p: Cursor, name: string): string {
  let n = name;
  while (p.isOp('.') && (p.peek(1).type === Tok.IDENT || p.peek(1).type === Tok.QIDENT)) {
    p.next();
    n += '.' + p.identAfterDot();
  }
  return n;
}

/** A query keyword right after '(' (nested parentheses are decided by what follows them). */
function isDirectQueryStart(p: Cursor): boolean {
  return p.isKw('SELECT') || p.isKw('WITH') || p.isKw('TABLE') || (p.isKw('VALUES') && p.isKw('ROW', 1));
}

/**
 * The inside of a parenthesis in expression context: a query, or a list of expressions.
 * `((SELECT 1) UNION (SELECT 2))` is a query; `((SELECT 1) + 2)` an expression.
 */
function parseParenBody(p: Cursor): { query?: SelectStatement; list: Expr[] } {
  if (isDirectQueryStart(p)) return { query: parseSelectStatement(p), list: [] };
  const first = parseExpr(p);
  if (first.type === 'subquery' && isSetOpOrTail(p)) {
    return { query: { kind: 'select', query: continueQueryExpr(p, parenthesizedQuery(first.query)) }, list: [] };
  }
  const list = [first];
  while (p.acceptOp(',')) list.push(parseExpr(p));
  return { list };
}

function parseParenthesized(p: Cursor): Expr {
  p.next(); // (
  p.enter();
  try {
    const body = parseParenBody(p);
    p.expectOp(')');
    if (body.query !== undefined) return { type: 'subquery', query: body.query };
    if (body.list.length === 1) return body.list[0] as Expr;
    return { type: 'row', items: body.list };
  } finally {
    p.leave();
  }
}

function isSetOpOrTail(p: Cursor): boolean {
  return p.isKw('UNION') || p.isKw('EXCEPT') || p.isKw('INTERSECT') || p.isKw('ORDER') || p.isKw('LIMIT');
}

/** `{d '2020-01-01'}`, `{t '..'}`, `{ts '..'}`, `{oj ...}` is not supported. */
function parseOdbcEscape(p: Cursor): Expr {
  p.next();
  const w = p.peek();
  if (w.type === Tok.IDENT && (w.upper === 'D' || w.upper === 'T' || w.upper === 'TS')) {
    p.next();
    const s = p.string();
    p.expectOp('}');
    return { type: 'literal', kind: w.upper === 'D' ? 'date' : w.upper === 'T' ? 'time' : 'timestamp', value: s };
  }
  throw p.error(w);
}

function parseWord(p: Cursor): Expr {
  const t = p.peek();
  const u = t.upper;
  const nextIsParen = p.isOp('(', 1);
  switch (u) {
    case 'NULL':
      p.next();
      return { type: 'literal', kind: 'null', value: null };
    case 'TRUE':
    case 'FALSE':
      p.next();
      return { type: 'literal', kind: 'bool', value: u === 'TRUE' };
    case 'DATE':
    case 'TIME':
    case 'TIMESTAMP':
      if (p.peek(1).type === Tok.STRING) {
        p.next();
        const s = p.string();
        return { type: 'literal', kind: u === 'DATE' ? 'date' : u === 'TIME' ? 'time' : 'timestamp', value: s };
      }
      break;
    case 'EXISTS': {
      p.next();
      p.expectOp('(');
      const subquery = parseSelectStatement(p);
      p.expectOp(')');
      return { type: 'exists', subquery, not: false };
    }
    case 'CASE':
      return parseCase(p);
    case 'INTERVAL':
      return parseInterval(p);
    case 'ROW':
      if (nextIsParen) {
        p.next();
        p.next();
        const items = parseExprList(p);
        p.expectOp(')');
        return { type: 'row', items };
      }
      break;
    case 'DEFAULT':
      p.next();
      if (p.acceptOp('(')) {
        const c = parseColumnRef(p);
        p.expectOp(')');
        return c.table !== undefined ? { type: 'default', column: c.name, table: c.table } : { type: 'default', column: c.name };
      }
      return { type: 'default' };
    case 'VALUES':
      if (nextIsParen) {
        p.next();
        p.next();
        const c = parseColumnRef(p);
        p.expectOp(')');
        return { type: 'values_ref', column: c.name };
      }
      break;
    case 'MATCH':
      if (nextIsParen) return parseMatch(p);
      break;
    default:
      if (NILADIC.has(u) && !nextIsParen) {
        p.next();
        return { type: 'func', name: u, args: [] };
      }
      if (u.length > 1 && u.charCodeAt(0) === 95 && CHARSET_NAMES.has(t.value.slice(1).toLowerCase())) {
        const n = p.peek(1);
        if (n.type === Tok.STRING || n.type === Tok.HEX || n.type === Tok.BIT) {
          p.next();
          const charset = t.value.slice(1).toLowerCase();
          if (n.type === Tok.STRING) {
            const joined = p.peek(1).type === Tok.STRING;
            const value = p.string();
            return joined ? { type: 'literal', kind: 'string', value, charset, heading: n.value } : { type: 'literal', kind: 'string', value, charset };
          }
          p.next();
          return { type: 'literal', kind: n.type === Tok.HEX ? 'hex' : 'bit', value: n.bytes ?? Buffer.alloc(0), charset };
        }
      }
  }
  if (t.reserved) {
    if (nextIsParen && RESERVED_FUNCTIONS.has(u)) {
      p.next();
      return parseFunctionCall(p, u, t.value);
    }
    throw p.error();
  }
  return parseNameOrCall(p);
}

/** An identifier: column reference, qualified name, or (followed by '(') a function call. */
function parseNameOrCall(p: Cursor): Expr {
  const t = p.next();
  if (p.isOp('(') && t.type === Tok.IDENT) {
    return parseFunctionCall(p, t.upper, t.value);
  }
  const parts = [t.value];
  while (p.isOp('.') && parts.length < 3) {
    const n = p.peek(1);
    if (n.type === Tok.OP && n.value === '*') {
      p.next();
      p.next();
      return jsonPath(p, columnFromParts([...parts, '*']));
    }
    if (n.type !== Tok.IDENT && n.type !== Tok.QIDENT) break;
    p.next();
    p.next();
    parts.push(n.value);
    if (parts.length === 2 && p.isOp('(') && n.type === Tok.IDENT) {
      // schema.func(...)
      const call = parseFunctionCall(p, n.upper, n.value);
      if (call.type === 'func') call.schema = parts[0] as string;
      return call;
    }
  }
  if (p.isOp('.')) throw p.error();
  // A stored program's local variable wins over a column of the same name. @req CORE-SP-011
  if (parts.length === 1 && p.locals) {
    const slot = p.locals(parts[0] as string);
    if (slot !== undefined) return { type: 'param', index: slot, local: parts[0] as string };
  }
  // NEW.col / OLD.col in a trigger body. @req CORE-TRG-002
  if (parts.length === 2 && p.rowField) {
    const slot = p.rowField(parts[0] as string, parts[1] as string);
    if (slot !== undefined) return { type: 'param', index: slot, local: `${parts[0] as string}.${parts[1] as string}` };
  }
  return jsonPath(p, columnFromParts(parts));
}

function jsonPath(p: Cursor, col: ColumnRef): Expr {
  if (p.isOp('->') || p.isOp('->>')) {
    const op = p.next().value as '->' | '->>';
    const path = p.peek();
    if (path.type !== Tok.STRING) throw p.error();
    return { type: 'binary', op, left: col, right: { type: 'literal', kind: 'string', value: p.string() } };
  }
  return col;
}

function columnFromParts(parts: string[]): ColumnRef {
  if (parts.length === 1) return { type: 'column', name: parts[0] as string };
  if (parts.length === 2) return { type: 'column', table: parts[0] as string, name: parts[1] as string };
  return { type: 'column', schema: parts[0] as string, table: parts[1] as string, name: parts[2] as string };
}

/** `col`, `t.col`, `db.t.col` (no calls). */
export function parseColumnRef(p: Cursor): ColumnRef {
  const parts = [p.ident()];
  while (p.isOp('.') && parts.length < 3) {
    p.next();
    parts.push(p.identAfterDot());
  }
  return columnFromParts(parts);
}

function parseCase(p: Cursor): Expr {
  p.next(); // CASE
  const node: Expr = { type: 'case', whens: [] };
  if (!p.isKw('WHEN')) node.operand = parseExpr(p);
  if (!p.isKw('WHEN')) throw p.error();
  while (p.acceptKw('WHEN')) {
    const when = parseExpr(p);
    p.expectKw('THEN');
    node.whens.push({ when, then: parseExpr(p) });
  }
  if (p.acceptKw('ELSE')) node.else = parseExpr(p);
  p.expectKw('END');
  return node;
}

function parseInterval(p: Cursor): Expr {
  const allowed = p.intervalAt === p.pos;
  p.intervalAt = -1;
  p.next(); // INTERVAL
  if (p.isOp('(')) {
    // INTERVAL(n, a, b, ...) function, or INTERVAL (expr) unit
    const save = p.pos;
    p.next();
    const first = parseExpr(p);
    if (p.acceptOp(',')) {
      const args = [first, ...parseExprList(p)];
      p.expectOp(')');
      return { type: 'func', name: 'INTERVAL', args };
    }
    p.pos = save;
  }
  const value = parseExpr(p);
  const unit = parseIntervalUnit(p);
  // `INTERVAL n unit` stands only after + or -, before + (INTERVAL 1 DAY + d), or as an
  // argument of DATE_ADD and its kin; elsewhere MySQL's grammar stops at the next token.
  if (!allowed && !p.isOp('+')) throw p.error();
  return { type: 'interval', value, unit };
}

function parseMatch(p: Cursor): Expr {
  p.next(); // MATCH
  p.expectOp('(');
  const columns = [parseColumnRef(p)];
  while (p.acceptOp(',')) columns.push(parseColumnRef(p));
  p.expectOp(')');
  p.expectKw('AGAINST');
  p.expectOp('(');
  const against = parseBits(p, 0);
  let modifier: string | undefined;
  if (p.acceptKws('IN', 'NATURAL', 'LANGUAGE', 'MODE')) {
    modifier = 'IN NATURAL LANGUAGE MODE';
    if (p.acceptKws('WITH', 'QUERY', 'EXPANSION')) modifier += ' WITH QUERY EXPANSION';
  } else if (p.acceptKws('IN', 'BOOLEAN', 'MODE')) modifier = 'IN BOOLEAN MODE';
  else if (p.acceptKws('WITH', 'QUERY', 'EXPANSION')) modifier = 'WITH QUERY EXPANSION';
  p.expectOp(')');
  const m: Expr = { type: 'match', columns, against };
  if (modifier !== undefined) m.modifier = modifier;
  return m;
}

/** ORDER BY items: expr [ASC|DESC]. */
export function parseOrderList(p: Cursor): OrderItem[] {
  const items: OrderItem[] = [];
  do {
    const expr = parseExpr(p);
    let desc = false;
    if (p.acceptKw('DESC')) desc = true;
    else p.acceptKw('ASC');
    items.push({ expr, desc });
  } while (p.acceptOp(','));
  return items;
}

/** OVER clause body: a window name or a parenthesised specification. @req CORE-SQL-014 */
export function parseOver(p: Cursor): WindowSpec {
  p.expectKw('OVER');
  if (!p.isOp('(')) return { name: p.ident() };
  return parseWindowSpec(p);
}

/** `( [name] [PARTITION BY ..] [ORDER BY ..] [frame] )` */
export function parseWindowSpec(p: Cursor): WindowSpec {
  p.expectOp('(');
  const spec: WindowSpec = {};
  if (p.isIdent() && !p.isKw('PARTITION') && !p.isKw('ORDER') && !p.isKw('ROWS') && !p.isKw('RANGE')) spec.name = p.ident();
  if (p.acceptKw('PARTITION')) {
    p.expectKw('BY');
    spec.partitionBy = parseExprList(p);
  }
  if (p.acceptKw('ORDER')) {
    p.expectKw('BY');
    spec.orderBy = parseOrderList(p);
  }
  if (p.isKw('ROWS') || p.isKw('RANGE') || p.isKw('GROUPS')) {
    const start = p.peek().start;
    let depth = 0;
    while (!p.atEnd() && !(depth === 0 && p.isOp(')'))) {
      if (p.isOp('(')) depth++;
      else if (p.isOp(')')) depth--;
      p.next();
    }
    spec.frame = p.slice(start, p.lastEnd());
  }
  p.expectOp(')');
  return spec;
}
