/**
 * The parser's token cursor: look-ahead, keyword/operator tests, identifier reading and the
 * construction of syntax errors at the first token the grammar cannot accept. All statement
 * and expression parsers are plain functions over one Cursor.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/identifiers.html
 * @req CORE-SQL-005 CORE-SQL-004 CORE-SQL-006
 */
import type { ParseOptions } from '../ast.js';
import type { SqlError } from '../../kernel/errors.js';
import { MAX_PARSE_DEPTH } from '../lexer/limits.js';
import { MEMORY_EXHAUSTED_TEXT, syntaxErrorAt } from '../lexer/syntax-error.js';
import { Tok, type Token } from '../lexer/token.js';

export class Cursor {
  pos: number;
  /** Number of `?` markers seen so far. */
  paramCount = 0;
  /** Token position where `INTERVAL expr unit` may stand on its own (right after + or -, or as
   *  the second argument of DATE_ADD and its kin); -1 when nowhere. @req CORE-GRAM-006 */
  intervalAt = -1;
  private depth = 0;
  readonly pipesAsConcat: boolean;
  readonly highNotPrecedence: boolean;
  readonly allowParams: boolean;
  readonly ignoreSpace: boolean;
  /** Inside a stored program body: the frame slot of a local variable name (routines.ts). */
  locals: ((name: string) => number | undefined) | null = null;
  /** Inside a trigger body: the frame slot of NEW.col / OLD.col (routines.ts). @req CORE-TRG-002 */
  rowField: ((row: string, column: string) => number | undefined) | null = null;

  constructor(
    readonly text: string,
    readonly toks: Token[],
    /** Index of the first token of this statement. */
    readonly first: number,
    /** Index of the terminating token (';' or EOF). */
    readonly end: number,
    /** Offset where this statement's text starts (line numbers restart there). */
    readonly stmtStart: number,
    readonly opts: ParseOptions,
    /** Comment ranges from the lexer ([start, end) pairs, ascending). */
    readonly comments: readonly number[] = [],
  ) {
    this.pos = first;
    const mode = opts.sqlMode;
    this.pipesAsConcat = mode?.has('PIPES_AS_CONCAT') === true || mode?.has('ANSI') === true; // @req CORE-MODE-011
    this.highNotPrecedence = mode?.has('HIGH_NOT_PRECEDENCE') === true; // @req CORE-MODE-021
    this.allowParams = opts.allowParams === true;
    this.ignoreSpace = mode?.has('IGNORE_SPACE') === true || mode?.has('ANSI') === true; // @req CORE-MODE-022
  }

  peek(k = 0): Token {
    const i = this.pos + k;
    return (i < this.end ? this.toks[i] : this.toks[this.end]) as Token;
  }

  next(): Token {
    const t = this.peek();
    if (this.pos < this.end) this.pos++;
    return t;
  }

  atEnd(): boolean {
    return this.pos >= this.end;
  }

  /** Whether the token at look-ahead k is the statement terminator. */
  atEndAfter(k: number): boolean {
    return this.pos + k >= this.end;
  }

  /** End offset of the last consumed token. */
  lastEnd(): number {
    const t = this.toks[this.pos - 1];
    return t === undefined ? 0 : t.end;
  }

  /** Unquoted word equal to `w` (upper case) at look-ahead k. */
  isKw(w: string, k = 0): boolean {
    const t = this.peek(k);
    return t.type === Tok.IDENT && t.upper === w;
  }

  isAnyKw(words: ReadonlySet<string>, k = 0): boolean {
    const t = this.peek(k);
    return t.type === Tok.IDENT && words.has(t.upper);
  }

  acceptKw(w: string): boolean {
    if (this.isKw(w)) {
      this.pos++;
      return true;
    }
    return false;
  }

  /** Accept a sequence of keywords only if all of them are present. */
  acceptKws(...ws: string[]): boolean {
    for (let k = 0; k < ws.length; k++) if (!this.isKw(ws[k] as string, k)) return false;
    this.pos += ws.length;
    return true;
  }

  expectKw(w: string): void {
    if (!this.acceptKw(w)) throw this.error();
  }

  isOp(o: string, k = 0): boolean {
    const t = this.peek(k);
    return t.type === Tok.OP && t.value === o;
  }

  acceptOp(o: string): boolean {
    if (this.isOp(o)) {
      this.pos++;
      return true;
    }
    return false;
  }

  expectOp(o: string): void {
    if (!this.acceptOp(o)) throw this.error();
  }

  /** A syntax error at token `t` (default: the current token). */
  error(t: Token = this.peek()): SqlError {
    return syntaxErrorAt(this.text, t.start, this.stmtStart);
  }

  /** Whether the current token can be an identifier (unquoted non-reserved word or quoted). */
  isIdent(k = 0): boolean {
    const t = this.peek(k);
    return (t.type === Tok.IDENT && !t.reserved) || t.type === Tok.QIDENT;
  }

  /** Read an identifier (reserved words must be quoted). */
  ident(): string {
    const t = this.peek();
    if ((t.type === Tok.IDENT && !t.reserved) || t.type === Tok.QIDENT) {
      this.pos++;
      return t.value;
    }
    throw this.error();
  }

  /** After a '.', any word is an identifier, reserved or not. */
  identAfterDot(): string {
    const t = this.peek();
    if (t.type === Tok.IDENT || t.type === Tok.QIDENT) {
      this.pos++;
      return t.value;
    }
    throw this.error();
  }

  /** Identifier or string literal (names that may be written 'quoted', e.g. aliases, users). */
  identOrString(): string {
    const t = this.peek();
    if (t.type === Tok.STRING) {
      this.pos++;
      return t.value;
    }
    return this.ident();
  }

  /** A string literal (adjacent literals are concatenated). */
  string(): string {
    const t = this.peek();
    if (t.type !== Tok.STRING && t.type !== Tok.NSTRING) throw this.error();
    this.pos++;
    let v = t.value;
    while (this.peek().type === Tok.STRING) v += this.next().value;
    return v;
  }

  /** Exactly one string literal token (MySQL's TEXT_STRING_sys): adjacent literals are not
   *  joined, so a second one is left for the caller (a syntax error). @req CORE-GRAM-006 */
  singleString(): string {
    const t = this.peek();
    if (t.type !== Tok.STRING) throw this.error();
    this.pos++;
    return t.value;
  }

  /** An unsigned integer literal. */
  integer(): number {
    const t = this.peek();
    if (t.type !== Tok.NUMBER || t.numKind !== 'int') throw this.error();
    this.pos++;
    return Number(t.value);
  }

  /** Source text between two offsets. */
  slice(from: number, to: number): string {
    return this.text.slice(from, to);
  }

  /**
   * Source text between two offsets with comments (and executable-comment markers) cut out,
   * which is how MySQL names an unaliased select-list column.
   * @req CORE-SQL-017
   */
  sliceWithoutComments(from: number, to: number): string {
    const c = this.comments;
    if (c.length === 0) return this.text.slice(from, to);
    let out = '';
    let pos = from;
    for (let k = 0; k + 1 < c.length; k += 2) {
      const s = c[k] as number;
      const e = c[k + 1] as number;
      if (e <= pos) continue;
      if (s >= to) break;
      if (s > pos) out += this.text.slice(pos, s);
      pos = Math.max(pos, e);
    }
    if (pos < to) out += this.text.slice(pos, to);
    return out;
  }

  /** Guard recursion; MySQL reports deep nesting as 'memory exhausted' (1064). */
  enter(): void {
    if (++this.depth > MAX_PARSE_DEPTH) {
      throw syntaxErrorAt(this.text, this.peek().start, this.stmtStart, MEMORY_EXHAUSTED_TEXT);
    }
  }

  leave(): void {
    this.depth--;
  }
}
