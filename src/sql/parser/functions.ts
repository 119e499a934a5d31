/**
 * Function calls: the generic `name(args)` form plus the built-ins with their own syntax
 * (CAST, CONVERT, TRIM, SUBSTRING .. FROM .. FOR, EXTRACT, POSITION .. IN, CHAR .. USING,
 * GET_FORMAT, TIMESTAMPADD/DIFF), aggregates (COUNT(*), DISTINCT, GROUP_CONCAT .. ORDER BY ..
 * SEPARATOR) and window functions with OVER.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/functions.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/window-functions-usage.html
 * @req CORE-SQL-013 CORE-SQL-014 CORE-SQL-015
 */
import type { AggregateCall, AggregateName, CastExpr, Expr, FuncCall } from '../ast.js';
import type { ColumnType } from '../../kernel/column-type.js';
import { Tok } from '../lexer/token.js';
import type { Cursor } from './cursor.js';
import { parseBits, parseExpr, parseExprList, parseOrderList, parseOver, parseIntervalUnit } from './expr.js';
import { parseCharsetName } from './types.js';

const AGGREGATES: ReadonlySet<string> = new Set([
  'COUNT', 'SUM', 'AVG', 'MIN', 'MAX', 'GROUP_CONCAT', 'BIT_AND', 'BIT_OR', 'BIT_XOR', 'STD', 'STDDEV',
  'STDDEV_POP', 'STDDEV_SAMP', 'VARIANCE', 'VAR_POP', 'VAR_SAMP', 'JSON_ARRAYAGG', 'JSON_OBJECTAGG', 'ANY_VALUE',
]);

const WINDOW_FUNCTIONS: ReadonlySet<string> = new Set([
  'ROW_NUMBER', 'RANK', 'DENSE_RANK', 'CUME_DIST', 'PERCENT_RANK', 'NTILE', 'LAG', 'LEAD', 'FIRST_VALUE',
  'LAST_VALUE', 'NTH_VALUE',
]);

const TIMESTAMP_UNITS: ReadonlySet<string> = new Set([
  'MICROSECOND', 'SECOND', 'MINUTE', 'HOUR', 'DAY', 'WEEK', 'MONTH', 'QUARTER', 'YEAR', 'FRAC_SECOND',
]);

/**
 * Built-in names that are function keywords only when '(' follows immediately (unless
 * IGNORE_SPACE); with a space they are ordinary identifiers, so `COUNT (*)` is a syntax error
 * and `SUM (a)` a call of an unknown stored function.
 */
const SPACE_SENSITIVE: ReadonlySet<string> = new Set([
  'ADDDATE', 'BIT_AND', 'BIT_OR', 'BIT_XOR', 'CAST', 'COUNT', 'CURDATE', 'CURTIME', 'DATE_ADD', 'DATE_SUB', 'EXTRACT',
  'GROUP_CONCAT', 'MAX', 'MID', 'MIN', 'NOW', 'POSITION', 'SESSION_USER', 'STD', 'STDDEV', 'STDDEV_POP', 'STDDEV_SAMP',
  'SUBDATE', 'SUBSTR', 'SUBSTRING', 'SUM', 'SYSDATE', 'SYSTEM_USER', 'TRIM', 'VARIANCE', 'VAR_POP', 'VAR_SAMP',
]);

/** Parse a call whose name has been consumed; the cursor is at '('. @req CORE-SQL-013 */
export function parseFunctionCall(p: Cursor, upper: string, _original: string): Expr {
  p.enter();
  try {
    if (p.peek().spaceBefore && SPACE_SENSITIVE.has(upper) && !p.ignoreSpace) return parseGenericCall(p, upper);
    if (AGGREGATES.has(upper)) return parseAggregate(p, upper as AggregateName);
    if (WINDOW_FUNCTIONS.has(upper)) return parseWindowFunction(p, upper);
    switch (upper) {
      case 'CAST':
        return parseCast(p);
      case 'CONVERT':
        return parseConvert(p);
      case 'TRIM':
        return parseTrim(p);
      case 'SUBSTRING':
      case 'SUBSTR':
      case 'MID':
        return parseSubstring(p, upper);
      case 'EXTRACT': {
        p.expectOp('(');
        const unit = parseIntervalUnit(p);
        p.expectKw('FROM');
        const d = parseExpr(p);
        p.expectOp(')');
        return { type: 'func', name: 'EXTRACT', args: [d], option: unit };
      }
      case 'POSITION': {
        p.expectOp('(');
        const needle = parseBits(p, 0);
        p.expectKw('IN');
        const hay = parseExpr(p);
        p.expectOp(')');
        return { type: 'func', name: 'LOCATE', args: [needle, hay] };
      }
      case 'CHAR':
        return parseChar(p);
      case 'GET_FORMAT': {
        p.expectOp('(');
        const t = p.next();
        if (t.type !== Tok.IDENT || !['DATE', 'TIME', 'DATETIME', 'TIMESTAMP'].includes(t.upper)) throw p.error(t);
        p.expectOp(',');
        const arg = parseExpr(p);
        p.expectOp(')');
        return { type: 'func', name: 'GET_FORMAT', args: [arg], option: t.upper };
      }
      case 'TIMESTAMPADD':
      case 'TIMESTAMPDIFF': {
        p.expectOp('(');
        const t = p.next();
        let unit = t.upper.startsWith('SQL_TSI_') ? t.upper.slice(8) : t.upper;
        if (t.type !== Tok.IDENT || !TIMESTAMP_UNITS.has(unit)) throw p.error(t);
        if (unit === 'FRAC_SECOND') unit = 'MICROSECOND';
        p.expectOp(',');
        const a = parseExpr(p);
        p.expectOp(',');
        const b = parseExpr(p);
        p.expectOp(')');
        return { type: 'func', name: upper, args: [a, b], option: unit };
      }
      case 'WEIGHT_STRING': {
        p.expectOp('(');
        const s = parseExpr(p);
        const call: FuncCall = { type: 'func', name: 'WEIGHT_STRING', args: [s] };
        if (p.acceptKw('AS')) {
          const t = p.next();
          if (t.type !== Tok.IDENT || (t.upper !== 'CHAR' && t.upper !== 'BINARY')) throw p.error(t);
          p.expectOp('(');
          call.args.push({ type: 'literal', kind: 'int', value: String(p.integer()) });
          p.expectOp(')');
          call.option = t.upper;
        }
        p.expectOp(')');
        return call;
      }
      default:
        break;
    }
    return parseGenericCall(p, upper);
  } finally {
    p.leave();
  }
}

function parseGenericCall(p: Cursor, upper: string): FuncCall {
  p.expectOp('(');
  const call: FuncCall = { type: 'func', name: upper, args: [] };
  if (!p.isOp(')')) call.args = parseCallArgs(p, INTERVAL_ARG_FUNCTIONS.has(upper), upper === 'DATE_ADD' || upper === 'DATE_SUB');
  p.expectOp(')');
  return call;
}

/** Arguments of a generic call; `INTERVAL n unit` is an ordinary expression (DATE_ADD). */
function parseCallArgs(p: Cursor, intervalArg: boolean, intervalOnly: boolean): Expr[] {
  const args = [parseExpr(p)];
  while (p.acceptOp(',')) {
    if (intervalArg && args.length === 1) {
      p.intervalAt = p.pos;
      // DATE_ADD and DATE_SUB take only an INTERVAL here (ADDDATE / SUBDATE also a day count).
      if (intervalOnly && !p.isKw('INTERVAL')) throw p.error();
    }
    args.push(parseExpr(p));
  }
  return args;
}

/** Functions whose second argument may be `INTERVAL expr unit`. */
const INTERVAL_ARG_FUNCTIONS: ReadonlySet<string> = new Set(['DATE_ADD', 'DATE_SUB', 'ADDDATE', 'SUBDATE']);

function parseAggregate(p: Cursor, name: AggregateName): Expr {
  p.expectOp('(');
  const call: AggregateCall = { type: 'aggregate', name, args: [] };
  if (name === 'COUNT' && p.isOp('*')) {
    p.next();
    call.star = true;
  } else {
    if (p.acceptKw('DISTINCT') || p.acceptKw('DISTINCTROW')) call.distinct = true;
    else p.acceptKw('ALL');
    call.args = parseExprList(p);
    if (name === 'GROUP_CONCAT') {
      if (p.acceptKw('ORDER')) {
        p.expectKw('BY');
        call.orderBy = parseOrderList(p);
      }
      if (p.acceptKw('SEPARATOR')) call.separator = p.string();
    }
  }
  p.expectOp(')');
  if (p.isKw('OVER')) call.over = parseOver(p);
  return call;
}

function parseWindowFunction(p: Cursor, name: string): Expr {
  p.expectOp('(');
  let args: Expr[] = [];
  if (!p.isOp(')')) args = parseExprList(p);
  p.expectOp(')');
  if (name === 'NTH_VALUE' && p.acceptKw('FROM')) {
    if (!p.acceptKw('FIRST')) p.expectKw('LAST');
  }
  if (p.acceptKw('RESPECT') || p.acceptKw('IGNORE')) p.expectKw('NULLS');
  return { type: 'window', name, args, over: parseOver(p) };
}

/** CAST(expr AS type [ARRAY]) */
function parseCast(p: Cursor): Expr {
  p.expectOp('(');
  const expr = parseExpr(p);
  p.expectKw('AS');
  const { target, keyword } = parseCastTarget(p);
  p.acceptKw('ARRAY');
  p.expectOp(')');
  const node: CastExpr = { type: 'cast', expr, target, targetKeyword: keyword };
  return node;
}

/** CONVERT(expr, type) or CONVERT(expr USING charset) */
function parseConvert(p: Cursor): Expr {
  p.expectOp('(');
  const expr = parseExpr(p);
  if (p.acceptKw('USING')) {
    const charset = parseCharsetName(p);
    p.expectOp(')');
    return { type: 'convert_using', expr, charset };
  }
  p.expectOp(',');
  const { target, keyword } = parseCastTarget(p);
  p.expectOp(')');
  return { type: 'cast', expr, target, targetKeyword: keyword };
}

/** Optional `(n)`. */
function optLength(p: Cursor): number | undefined {
  if (!p.isOp('(')) return undefined;
  p.next();
  const n = p.integer();
  p.expectOp(')');
  return n;
}

/**
 * The CAST target vocabulary mapped onto column types. @req CORE-SQL-015
 */
export function parseCastTarget(p: Cursor): { target: ColumnType; keyword: string } {
  const t = p.peek();
  if (t.type !== Tok.IDENT) throw p.error();
  p.next();
  const kw = t.upper;
  switch (kw) {
    case 'SIGNED':
    case 'UNSIGNED': {
      if (!p.acceptKw('INTEGER')) p.acceptKw('INT');
      const target: ColumnType = { name: 'BIGINT' };
      if (kw === 'UNSIGNED') target.unsigned = true;
      return { target, keyword: kw };
    }
    case 'CHAR':
    case 'NCHAR': {
      const target: ColumnType = { name: 'CHAR' };
      const len = optLength(p);
      if (len !== undefined) target.length = len;
      if (kw === 'NCHAR') target.charset = 'utf8mb3';
      if (p.isKw('CHARACTER') && p.isKw('SET', 1)) {
        p.next();
        p.next();
        target.charset = parseCharsetName(p);
      } else if (p.acceptKw('CHARSET')) target.charset = parseCharsetName(p);
      else if (p.acceptKw('ASCII')) target.charset = 'latin1';
      else if (p.acceptKw('UNICODE')) target.charset = 'ucs2';
      else if (p.acceptKw('BINARY')) target.charset = 'binary';
      return { target, keyword: 'CHAR' };
    }
    case 'BINARY': {
      const target: ColumnType = { name: 'BINARY' };
      const len = optLength(p);
      if (len !== undefined) target.length = len;
      return { target, keyword: kw };
    }
    case 'DATE':
    case 'YEAR':
    case 'JSON':
    case 'DOUBLE':
    case 'REAL':
      if (kw === 'DOUBLE') p.acceptKw('PRECISION');
      return { target: { name: kw === 'REAL' ? 'DOUBLE' : kw }, keyword: kw };
    case 'FLOAT': {
      const len = optLength(p);
      return { target: { name: len !== undefined && len > 24 ? 'DOUBLE' : 'FLOAT' }, keyword: kw };
    }
    case 'TIME':
    case 'DATETIME': {
      const target: ColumnType = { name: kw };
      const fsp = optLength(p);
      if (fsp !== undefined) target.scale = fsp;
      return { target, keyword: kw };
    }
    case 'DECIMAL':
    case 'DEC':
    case 'NUMERIC':
    case 'FIXED': {
      const target: ColumnType = { name: 'DECIMAL' };
      if (p.acceptOp('(')) {
        target.length = p.integer();
        if (p.acceptOp(',')) target.scale = p.integer();
        p.expectOp(')');
      }
      return { target, keyword: 'DECIMAL' };
    }
    default:
      throw p.error(t);
  }
}

/** TRIM([[LEADING|TRAILING|BOTH] [remstr] FROM] str) */
function parseTrim(p: Cursor): Expr {
  p.expectOp('(');
  let option: string | undefined;
  if (p.isKw('LEADING') || p.isKw('TRAILING') || p.isKw('BOTH')) option = p.next().upper;
  let call: FuncCall;
  if (option !== undefined && p.acceptKw('FROM')) {
    call = { type: 'func', name: 'TRIM', args: [parseExpr(p)] };
  } else {
    const first = parseExpr(p);
    if (p.acceptKw('FROM')) call = { type: 'func', name: 'TRIM', args: [parseExpr(p), first] };
    else if (option !== undefined) throw p.error();
    else call = { type: 'func', name: 'TRIM', args: [first] };
  }
  if (option !== undefined) call.option = option;
  p.expectOp(')');
  return call;
}

/** SUBSTRING(s, a[, b]) / SUBSTRING(s FROM a [FOR b]) */
function parseSubstring(p: Cursor, name: string): Expr {
  p.expectOp('(');
  const s = parseExpr(p);
  const args = [s];
  if (p.acceptKw('FROM')) {
    args.push(parseExpr(p));
    if (p.acceptKw('FOR')) args.push(parseExpr(p));
  } else {
    while (p.acceptOp(',')) args.push(parseExpr(p));
  }
  p.expectOp(')');
  return { type: 'func', name, args };
}

/** CHAR(n, ... [USING charset]) */
function parseChar(p: Cursor): Expr {
  p.expectOp('(');
  const args = parseExprList(p);
  const call: FuncCall = { type: 'func', name: 'CHAR', args };
  if (p.acceptKw('USING')) call.option = parseCharsetName(p);
  p.expectOp(')');
  return call;
}

