/**
 * Public entry points of the SQL parser: split a COM_QUERY text into statements, parse one
 * statement, or parse a stand-alone expression (stored DEFAULT / generated column text).
 *
 * A multi-statement text is lexed once; each ';' ends a statement. Every statement keeps its
 * own source text (without the ';') and its number of `?` markers. Syntax errors quote the
 * text from the offending token to the end of the input, with the line counted from the start
 * of that statement, as MySQL does.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/sql-statements.html
 * @spec https://dev.mysql.com/doc/c-api/8.0/en/c-api-multiple-queries.html
 * @req CORE-SQL-001 CORE-SQL-002
 */
import type { Expr, ParseOptions, Statement } from '../ast.js';
import { sqlError } from '../../kernel/errors.js';
import { tokenize, type LexOptions } from '../lexer/lexer.js';
import { Tok, type Token } from '../lexer/token.js';
import { Cursor } from './cursor.js';
import { parseExpr } from './expr.js';
import { parseStatement } from './statement.js';

export type { ParseOptions } from '../ast.js';

interface Segment {
  first: number;
  end: number;
  stmtStart: number;
}

/** How the session's sql_mode changes lexing (quotes, backslashes); `comments` collects comment starts. */
export function lexOptions(opts: Pick<ParseOptions, 'sqlMode'>, comments: number[]): LexOptions {
  const m = opts.sqlMode;
  return {
    ansiQuotes: m?.has('ANSI_QUOTES') === true || m?.has('ANSI') === true, // @req CORE-MODE-010
    noBackslashEscapes: m?.has('NO_BACKSLASH_ESCAPES') === true, // @req CORE-MODE-013
    comments,
  };
}

function isWs(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 11 || c === 12;
}

/** Split the token array at top-level ';' tokens. */
function segments(text: string, toks: Token[]): Segment[] {
  const segs: Segment[] = [];
  let first = 0;
  let stmtStart = 0;
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i] as Token;
    if (i === first && isCompoundDefinition(toks, i)) {
      // A stored program body contains ';' of its own: the statement runs to the ';' after
      // the END that closes its outermost BEGIN. @req CORE-SP-002
      i = compoundEnd(toks, i) - 1;
      continue;
    }
    if (t.type === Tok.EOF || (t.type === Tok.OP && t.value === ';')) {
      segs.push({ first, end: i, stmtStart });
      first = i + 1;
      stmtStart = t.end;
      while (stmtStart < text.length && isWs(text.charCodeAt(stmtStart))) stmtStart++;
    }
  }
  return segs;
}

const PROGRAM_OBJECTS: ReadonlySet<string> = new Set(['PROCEDURE', 'FUNCTION', 'TRIGGER', 'EVENT']);

/** `CREATE [DEFINER=..] PROCEDURE|FUNCTION|TRIGGER|EVENT ... BEGIN ...` (a compound body). */
function isCompoundDefinition(toks: Token[], i: number): boolean {
  const t = toks[i] as Token;
  if (t.type !== Tok.IDENT || t.upper !== 'CREATE') return false;
  let program = false;
  for (let k = i + 1; k < toks.length; k++) {
    const x = toks[k] as Token;
    if (x.type === Tok.EOF || (x.type === Tok.OP && x.value === ';')) return false;
    if (x.type !== Tok.IDENT) continue;
    if (!program && PROGRAM_OBJECTS.has(x.upper) && k <= i + 12) program = true;
    else if (program && x.upper === 'BEGIN') return true;
    else if (!program && k > i + 12) return false;
  }
  return false;
}

/** Words after END that close something other than BEGIN or CASE. */
const END_OF_OTHER: ReadonlySet<string> = new Set(['IF', 'LOOP', 'WHILE', 'REPEAT']);

/**
 * Index of the ';' (or EOF) that ends a compound definition starting at `i`: BEGIN and CASE
 * open, END closes (END IF / LOOP / WHILE / REPEAT close other constructs), and the first ';'
 * at depth 0 after a BEGIN ends the statement.
 */
function compoundEnd(toks: Token[], i: number): number {
  let depth = 0;
  let begun = false;
  for (let k = i; k < toks.length; k++) {
    const t = toks[k] as Token;
    if (t.type === Tok.EOF) return k;
    if (t.type === Tok.OP && t.value === ';') {
      if (begun && depth <= 0) return k;
      continue;
    }
    if (t.type !== Tok.IDENT) continue;
    const next = toks[k + 1];
    if (t.upper === 'BEGIN') {
      const work = next !== undefined && next.type === Tok.IDENT && next.upper === 'WORK';
      const bare = next !== undefined && (next.type === Tok.EOF || (next.type === Tok.OP && next.value === ';'));
      if (!work && !bare) {
        depth++;
        begun = true;
      }
    } else if (t.upper === 'CASE') depth++;
    else if (t.upper === 'END' && !(next !== undefined && next.type === Tok.IDENT && END_OF_OTHER.has(next.upper))) depth--;
  }
  return toks.length - 1;
}

function parseSegment(text: string, toks: Token[], seg: Segment, opts: ParseOptions, comments: number[]): Statement {
  const p = new Cursor(text, toks, seg.first, seg.end, seg.stmtStart, opts, comments);
  const stmt = parseStatement(p);
  const term = toks[seg.end] as Token;
  let s = seg.stmtStart;
  while (s < term.start && isWs(text.charCodeAt(s))) s++;
  let e = term.start;
  while (e > s && isWs(text.charCodeAt(e - 1))) e--;
  stmt.text = text.slice(s, e);
  stmt.paramCount = p.paramCount;
  return stmt;
}

/**
 * Parse every ';'-separated statement of `text`. Nothing but whitespace is ER_EMPTY_QUERY; only
 * comments is one `empty` statement (MySQL answers OK).
 * @req CORE-SQL-002
 */
export function parse(text: string, opts: ParseOptions = {}): Statement[] {
  const comments: number[] = [];
  const toks = tokenize(text, lexOptions(opts, comments));
  const segs = segments(text, toks);
  const out: Statement[] = [];
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i] as Segment;
    if (seg.first === seg.end) {
      const term = toks[seg.end] as Token;
      if (term.type === Tok.EOF) {
        if (out.length === 0) {
          // Only comments: MySQL runs an empty statement (OK); nothing at all is 1065.
          if (comments.length > 0) out.push({ kind: 'empty', text: text.trim(), paramCount: 0 });
          else throw sqlError('ER_EMPTY_QUERY');
        }
        continue;
      }
      // an empty statement before ';'
      throw new Cursor(text, toks, seg.first, seg.end, seg.stmtStart, opts, comments).error(term);
    }
    out.push(parseSegment(text, toks, seg, opts, comments));
  }
  if (out.length === 0) throw sqlError('ER_EMPTY_QUERY');
  return out;
}

/**
 * Parse statements one at a time, as MySQL does for a multi-statement query: a syntax error in
 * a later statement is thrown only when the iteration reaches it, so the statements before it
 * can run first; a lexical error (e.g. an unterminated string) surfaces with its statement too.
 * @req CORE-SQL-002
 */
export function* parseEach(text: string, opts: ParseOptions = {}): Generator<Statement, void, undefined> {
  const comments: number[] = [];
  const lex = lexOptions(opts, comments);
  lex.deferErrors = true;
  const toks = tokenize(text, lex);
  const segs = segments(text, toks);
  let produced = 0;
  for (const seg of segs) {
    // the statement that contains a lexical error fails with it when its turn comes
    if (lex.deferredError !== undefined && (toks[seg.end] as Token).type === Tok.EOF) throw lex.deferredError;
    if (seg.first === seg.end) {
      const term = toks[seg.end] as Token;
      if (term.type === Tok.EOF) {
        if (produced === 0) {
          if (comments.length === 0) throw sqlError('ER_EMPTY_QUERY');
          produced++;
          yield { kind: 'empty', text: text.trim(), paramCount: 0 };
        }
        continue;
      }
      throw new Cursor(text, toks, seg.first, seg.end, seg.stmtStart, opts, comments).error(term);
    }
    produced++;
    yield parseSegment(text, toks, seg, opts, comments);
  }
}

/**
 * Parse exactly one statement (a trailing ';' is allowed); a second statement is a syntax
 * error pointing at it, as with a client that did not enable multi-statements.
 * @req CORE-SQL-002
 */
export function parseOne(text: string, opts: ParseOptions = {}): Statement {
  const comments: number[] = [];
  const toks = tokenize(text, lexOptions(opts, comments));
  const segs = segments(text, toks);
  const seg = segs[0] as Segment;
  if (seg.first === seg.end) {
    const term = toks[seg.end] as Token;
    if (term.type === Tok.EOF) {
      if (comments.length > 0) return { kind: 'empty', text: text.trim(), paramCount: 0 };
      throw sqlError('ER_EMPTY_QUERY');
    }
    throw new Cursor(text, toks, seg.first, seg.end, seg.stmtStart, opts, comments).error(term);
  }
  const stmt = parseSegment(text, toks, seg, opts, comments);
  if (segs.length > 1) {
    const next = segs[1] as Segment;
    if (next.first !== next.end || (toks[next.end] as Token).type !== Tok.EOF) {
      throw new Cursor(text, toks, next.first, next.end, seg.stmtStart, opts, comments).error(toks[next.first] as Token);
    }
  }
  return stmt;
}

/**
 * Parse one expression, e.g. the stored text of a generated column or DEFAULT (expr).
 * @req CORE-SQL-011
 */
export function parseExpression(text: string, opts: ParseOptions = {}): Expr {
  const comments: number[] = [];
  const toks = tokenize(text, lexOptions(opts, comments));
  const end = toks.length - 1;
  const p = new Cursor(text, toks, 0, end, 0, opts, comments);
  const e = parseExpr(p);
  if (!p.atEnd()) throw p.error();
  return e;
}
