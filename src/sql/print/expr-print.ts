/**
 * Printing an expression the way MySQL 8.0 prints a resolved expression back (its Item tree's
 * print): what SHOW CREATE TABLE shows for CHECK constraints, generated columns and expression
 * defaults, and what information_schema's CHECK_CLAUSE, GENERATION_EXPRESSION and
 * COLUMN_DEFAULT hold. Clients and dump tools compare this text, so it follows MySQL's form:
 * identifiers back-quoted, every operator in its own parentheses (`(`a` + 1)`), logical
 * connectives flattened (`(x and y and z)`), negated comparisons folded into the opposite
 * operator (`NOT a = 1` is `(`a` <> 1)`), function names in lower case under their canonical
 * name (CURRENT_TIMESTAMP is `now()`), string literals with their character set introducer
 * (`_utf8mb4'x'`) and MySQL's backslash escapes, bit and hex literals as `0x..`.
 *
 * The printed text is a fixed point: parsing it and printing again gives the same text.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/create-table-check-constraints.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/show-create-table.html
 * @req CORE-CHECK-030 CORE-CHECK-031 CORE-CHECK-032
 */
import type { BinaryExpr, CastExpr, ColumnRef, Expr, FuncCall, LiteralExpr, SelectStatement } from '../ast.js';

/** Options of {@link printExpr}. */
export interface PrintOptions {
  /** Print `tbl`.`col` qualifiers as written (views); CHECK and column expressions print bare names. */
  qualify?: boolean;
  /** Character set named by the introducer of string literals written without one. */
  charset?: string;
  /** How a subquery is printed (views); without it a subquery prints as `(select ...)`. */
  subquery?: (q: SelectStatement) => string;
  /** How a column reference is printed (views qualify it by its table); overrides `qualify`. */
  column?: (ref: ColumnRef) => string;
  /** EXPLAIN's rewritten query (Note 1003): string literals without their introducer, and a
   *  negated number literal folded into one literal (`-1`), as MySQL prints them there. */
  explain?: boolean;
}

/** The character set introducer of unmarked string literals (the connection's, utf8mb4 by default). */
const DEFAULT_LITERAL_CHARSET = 'utf8mb4';

/** Back-quote an identifier, doubling back-quotes inside it. */
export function quoteIdentifier(name: string): string {
  return '`' + name.replace(/`/g, '``') + '`';
}

/** MySQL's escaping of a string literal's bytes inside single quotes. */
export function escapeStringLiteral(s: string): string {
  let out = '';
  for (const ch of s) {
    switch (ch) {
      case '\\': out += '\\\\'; break;
      case "'": out += "\\'"; break;
      case '\0': out += '\\0'; break;
      case '\n': out += '\\n'; break;
      case '\r': out += '\\r'; break;
      case '\x1a': out += '\\Z'; break;
      default: out += ch;
    }
  }
  return out;
}

/** Canonical lower-case names MySQL prints for synonyms (its function objects' names). */
const FUNCTION_NAMES: Readonly<Record<string, string>> = {
  CURRENT_TIMESTAMP: 'now', LOCALTIME: 'now', LOCALTIMESTAMP: 'now', NOW: 'now',
  CURRENT_DATE: 'curdate', CURDATE: 'curdate',
  CURRENT_TIME: 'curtime', CURTIME: 'curtime',
  SESSION_USER: 'user', SYSTEM_USER: 'user', USER: 'user',
  CURRENT_USER: 'current_user',
  SUBSTRING: 'substr', MID: 'substr', SUBSTR: 'substr',
  LCASE: 'lower', UCASE: 'upper',
  CHARACTER_LENGTH: 'char_length', CHAR_LENGTH: 'char_length',
  SCHEMA: 'database', DATABASE: 'database',
  POSITION: 'locate',
  OCTET_LENGTH: 'length',
  POW: 'pow', POWER: 'pow',
  CEILING: 'ceiling', CEIL: 'ceiling',
  STDDEV: 'std',
};

/** Comparison operators and the operator of their negation (MySQL folds NOT into them). */
const NEGATED: Readonly<Record<string, string>> = { '=': '<>', '<>': '=', '!=': '=', '<': '>=', '>=': '<', '>': '<=', '<=': '>' };

const ARITHMETIC: ReadonlySet<string> = new Set(['+', '-', '*', '/', 'DIV', '%', 'MOD', '&', '|', '^', '<<', '>>', '=', '<=>', '<>', '!=', '<', '<=', '>', '>=']);

/**
 * The text MySQL prints for an expression.
 * @req CORE-CHECK-030
 */
export function printExpr(e: Expr, opts: PrintOptions = {}): string {
  const p = (x: Expr): string => printExpr(x, opts);
  switch (e.type) {
    case 'literal':
      return printLiteral(e, opts);
    case 'column': {
      if (opts.column && e.name !== '*') return opts.column(e);
      if (!opts.qualify || e.name === '*') return e.name === '*' ? '*' : quoteIdentifier(e.name);
      return [e.schema, e.table, e.name].filter((x): x is string => x !== undefined).map(quoteIdentifier).join('.');
    }
    case 'param':
      return '?';
    case 'uservar':
      return `(@${quoteIdentifier(e.name)})`;
    case 'sysvar':
      return e.scope === 'global' ? `@@global.${e.name}` : `@@${e.name}`;
    case 'unary':
      switch (e.op) {
        case '-':
          if (opts.explain && e.operand.type === 'literal' && (e.operand.kind === 'int' || e.operand.kind === 'decimal')) return `-${p(e.operand)}`;
          return `-(${p(e.operand)})`;
        case '+':
          return p(e.operand);
        case '~':
          return `~(${p(e.operand)})`;
        case 'BINARY':
          return `cast(${p(e.operand)} as char charset binary)`;
        default:
          return printNot(e.operand, opts);
      }
    case 'binary':
      return printBinary(e, opts);
    case 'func':
      return printFunc(e, opts);
    case 'aggregate': {
      // COUNT(*) is COUNT(0) to MySQL, and printed so.
      if (e.star) return `${e.name.toLowerCase()}(0)`;
      const args = e.args.map(p).join(',');
      return `${e.name.toLowerCase()}(${e.distinct ? 'distinct ' : ''}${args})`;
    }
    case 'window':
      return `${e.name.toLowerCase()}(${e.args.map(p).join(',')}) OVER ()`;
    case 'case': {
      let s = '(case ';
      if (e.operand) s += p(e.operand) + ' ';
      for (const w of e.whens) s += `when ${p(w.when)} then ${p(w.then)} `;
      if (e.else) s += `else ${p(e.else)} `;
      return s + 'end)';
    }
    case 'cast':
      return `cast(${p(e.expr)} as ${castTarget(e)})`;
    case 'convert_using':
      return `convert(${p(e.expr)} using ${e.charset.toLowerCase()})`;
    case 'collate':
      return `(${p(e.expr)} collate ${e.collation.toLowerCase()})`;
    case 'in': {
      const rhs = e.subquery ? printSubquery(e.subquery, opts) : `(${(e.list ?? []).map(p).join(',')})`;
      return `(${p(e.expr)} ${e.not ? 'not in' : 'in'} ${rhs})`;
    }
    case 'between':
      return `(${p(e.expr)} ${e.not ? 'not between' : 'between'} ${p(e.low)} and ${p(e.high)})`;
    case 'like': {
      const s = `(${p(e.expr)} like ${p(e.pattern)}${e.escape ? ` escape ${p(e.escape)}` : ''})`;
      return e.not ? `(not(${s}))` : s;
    }
    case 'is': {
      const test = e.test === 'UNKNOWN' ? 'null' : e.test.toLowerCase();
      return `(${p(e.expr)} is ${e.not ? 'not ' : ''}${test})`;
    }
    case 'exists': {
      const s = `exists${printSubquery(e.subquery, opts)}`;
      return e.not ? `(not(${s}))` : s;
    }
    case 'subquery':
      return printSubquery(e.query, opts);
    case 'row':
      return `(${e.items.map(p).join(',')})`;
    case 'interval':
      return `interval ${p(e.value)} ${e.unit.toLowerCase()}`;
    case 'default':
      return e.column === undefined ? 'DEFAULT' : `default(${quoteIdentifier(e.column)})`;
    case 'values_ref':
      return `values(${quoteIdentifier(e.column)})`;
    case 'match':
      return `(match ${e.columns.map(p).join(',')} against (${p(e.against)}${e.modifier ? ' ' + e.modifier.toLowerCase() : ''}))`;
  }
}

function printSubquery(q: SelectStatement, opts: PrintOptions): string {
  return opts.subquery ? `(${opts.subquery(q)})` : '(select ...)';
}

function printLiteral(e: LiteralExpr, opts: PrintOptions): string {
  switch (e.kind) {
    case 'null':
      return 'NULL';
    case 'bool':
      return e.value ? 'true' : 'false';
    case 'hex':
    case 'bit': {
      const b = Buffer.isBuffer(e.value) ? e.value : Buffer.alloc(0);
      return b.length === 0 ? "''" : '0x' + b.toString('hex');
    }
    case 'string': {
      const cs = (e.charset ?? opts.charset ?? DEFAULT_LITERAL_CHARSET).toLowerCase();
      const text = Buffer.isBuffer(e.value) ? e.value.toString('latin1') : String(e.value ?? '');
      const s = opts.explain && e.charset === undefined ? `'${escapeStringLiteral(text)}'` : `_${cs}'${escapeStringLiteral(text)}'`;
      return e.collation !== undefined ? `${s} collate ${e.collation.toLowerCase()}` : s;
    }
    case 'date':
      return `DATE'${String(e.value)}'`;
    case 'time':
      return `TIME'${String(e.value)}'`;
    case 'timestamp':
      return `TIMESTAMP'${String(e.value)}'`;
    default:
      return String(e.value);
  }
}

/** NOT x: a comparison becomes its opposite, [NOT] IN / BETWEEN / IS flip, NOT NOT x of a
 *  predicate is x; anything else is `(not(x))`. */
function printNot(x: Expr, opts: PrintOptions): string {
  const p = (y: Expr): string => printExpr(y, opts);
  if (x.type === 'binary' && NEGATED[x.op] !== undefined && x.quantifier === undefined) {
    return `(${p(x.left)} ${NEGATED[x.op]} ${p(x.right)})`;
  }
  if (x.type === 'in' || x.type === 'between' || x.type === 'is') return p({ ...x, not: !x.not });
  if (x.type === 'like' && x.not) return p({ ...x, not: false });
  if (x.type === 'exists' && x.not) return p({ ...x, not: false });
  if (x.type === 'unary' && (x.op === 'NOT' || x.op === '!') && isPredicate(x.operand)) return p(x.operand);
  return `(not(${p(x)}))`;
}

/** Whether an expression is a predicate (MySQL's boolean functions). */
function isPredicate(e: Expr): boolean {
  switch (e.type) {
    case 'in': case 'between': case 'like': case 'is': case 'exists':
      return true;
    case 'binary':
      return NEGATED[e.op] !== undefined || e.op === '<=>' || ['AND', '&&', 'OR', '||', 'XOR', 'REGEXP', 'NOT REGEXP', 'SOUNDS LIKE'].includes(e.op);
    case 'unary':
      return e.op === 'NOT' || e.op === '!';
    default:
      return false;
  }
}

function connective(op: string): 'and' | 'or' | null {
  if (op === 'AND' || op === '&&') return 'and';
  if (op === 'OR' || op === '||') return 'or';
  return null;
}

/** The operands of a chain of one connective, flattened as MySQL's condition lists are. */
function flatten(e: Expr, c: 'and' | 'or', out: Expr[]): Expr[] {
  if (e.type === 'binary' && connective(e.op) === c) {
    flatten(e.left, c, out);
    flatten(e.right, c, out);
  } else out.push(e);
  return out;
}

function printBinary(e: BinaryExpr, opts: PrintOptions): string {
  const p = (y: Expr): string => printExpr(y, opts);
  const c = connective(e.op);
  if (c) return `(${flatten(e, c, []).map(p).join(` ${c} `)})`;
  if (e.quantifier) return `(${p(e.left)} ${e.op === '!=' ? '<>' : e.op} ${e.quantifier.toLowerCase()} ${p(e.right)})`;
  switch (e.op) {
    case 'XOR':
      return `(${p(e.left)} xor ${p(e.right)})`;
    case 'REGEXP':
      return `regexp_like(${p(e.left)},${p(e.right)})`;
    case 'NOT REGEXP':
      return `(not(regexp_like(${p(e.left)},${p(e.right)})))`;
    case 'SOUNDS LIKE':
      return `(soundex(${p(e.left)}) = soundex(${p(e.right)}))`;
    case '->':
      return `json_extract(${p(e.left)},${p(e.right)})`;
    case '->>':
      return `json_unquote(json_extract(${p(e.left)},${p(e.right)}))`;
    case ':=':
      return `(${p(e.left)} := ${p(e.right)})`;
    default:
      break;
  }
  if (e.right.type === 'interval' && (e.op === '+' || e.op === '-')) return `(${p(e.left)} ${e.op} ${p(e.right)})`;
  if (e.left.type === 'interval' && e.op === '+') return `(${p(e.right)} + ${p(e.left)})`;
  const op = e.op === '!=' ? '<>' : e.op === 'MOD' ? '%' : e.op;
  return ARITHMETIC.has(e.op) ? `(${p(e.left)} ${op} ${p(e.right)})` : `(${p(e.left)} ${op.toLowerCase()} ${p(e.right)})`;
}

function printFunc(e: FuncCall, opts: PrintOptions): string {
  const p = (y: Expr): string => printExpr(y, opts);
  const upper = e.name.toUpperCase();
  const args = e.args;
  if (e.schema !== undefined) return `${quoteIdentifier(e.schema)}.${quoteIdentifier(e.name)}(${args.map(p).join(',')})`;
  switch (upper) {
    case 'TRIM': {
      if (args.length < 2 && e.option === undefined) return `trim(${args.map(p).join(',')})`;
      const where = (e.option ?? 'BOTH').toLowerCase();
      return args.length >= 2 ? `trim(${where} ${p(args[1]!)} from ${p(args[0]!)})` : `trim(${where} from ${p(args[0]!)})`;
    }
    case 'EXTRACT':
      return `extract(${(e.option ?? '').toLowerCase()} from ${p(args[0]!)})`;
    case 'DATE_ADD':
    case 'ADDDATE':
    case 'DATE_SUB':
    case 'SUBDATE': {
      const sign = upper === 'DATE_ADD' || upper === 'ADDDATE' ? '+' : '-';
      const iv = args[1];
      if (iv && iv.type === 'interval') return `(${p(args[0]!)} ${sign} ${p(iv)})`;
      if (iv) return `(${p(args[0]!)} ${sign} interval ${p(iv)} day)`;
      break;
    }
    case 'CHAR':
      if (e.option !== undefined) return `char(${args.map(p).join(',')} using ${e.option.toLowerCase()})`;
      break;
    case 'TIMESTAMPADD':
    case 'TIMESTAMPDIFF':
      return `${upper.toLowerCase()}(${(e.option ?? '').toUpperCase()},${args.map(p).join(',')})`;
    case 'VERSION':
      return 'version()';
    default:
      break;
  }
  const name = FUNCTION_NAMES[upper] ?? e.name.toLowerCase();
  return `${name}(${args.map(p).join(',')})`;
}

/** The CAST target as MySQL prints it: `signed`, `char(10) charset latin1`, `decimal(5,2)`. */
function castTarget(e: CastExpr): string {
  const t = e.target;
  const kw = e.targetKeyword.toUpperCase();
  const len = t.length !== undefined ? `(${t.length})` : '';
  switch (kw) {
    case 'SIGNED':
    case 'SIGNED INTEGER':
      return 'signed';
    case 'UNSIGNED':
    case 'UNSIGNED INTEGER':
      return 'unsigned';
    case 'BINARY':
      return `char${len} charset binary`;
    case 'CHAR':
    case 'NCHAR': {
      const cs = t.charset ?? (kw === 'NCHAR' ? 'utf8mb3' : undefined);
      return `char${len}${cs ? ` charset ${cs.toLowerCase()}` : ''}`;
    }
    case 'DECIMAL':
      return `decimal(${t.length ?? 10},${t.scale ?? 0})`;
    case 'TIME':
    case 'DATETIME':
      return `${kw.toLowerCase()}${t.scale ? `(${t.scale})` : ''}`;
    default:
      return kw.toLowerCase();
  }
}
