/**
 * Tokens produced by the SQL lexer. One flat object per token keeps the parser's look-ahead
 * cheap; kinds are small integers so that comparisons are plain number tests.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/language-structure.html
 * @req CORE-SQL-003
 */

export const enum Tok {
  /** End of input (or end of the current statement segment). */
  EOF = 0,
  /** Unquoted word: keyword or identifier. `upper` holds the upper-cased text. */
  IDENT = 1,
  /** Back-quoted identifier (or "double-quoted" under ANSI_QUOTES); `value` is decoded. */
  QIDENT = 2,
  /** '...' or "..." string; `value` is decoded. */
  STRING = 3,
  /** N'...' national string. */
  NSTRING = 4,
  /** Integer, decimal or float literal; `numKind` tells which. */
  NUMBER = 5,
  /** X'..' or 0x..; `bytes` holds the value. */
  HEX = 6,
  /** B'..' or 0b..; `bytes` holds the value. */
  BIT = 7,
  /** `?` parameter marker. */
  PARAM = 8,
  /** `@name` with the name directly attached (also a host part of `user@host`). */
  USERVAR = 9,
  /** A lone `@` (followed by a quoted name, or separated by space). */
  AT = 10,
  /** `@@` introducing a system variable. */
  ATAT = 11,
  /** Operator or punctuation; `value` is the operator text. */
  OP = 12,
}

export interface Token {
  type: Tok;
  /** Decoded value: identifier name, string contents, number text, operator text. */
  value: string;
  /** Upper-cased `value` for IDENT tokens ('' otherwise). */
  upper: string;
  /** Whether an IDENT is one of MySQL's reserved words. */
  reserved: boolean;
  /** Offsets into the full input text. */
  start: number;
  end: number;
  /** For NUMBER tokens. */
  numKind?: 'int' | 'decimal' | 'float';
  /** For HEX / BIT tokens. */
  bytes?: Buffer;
  /** Whether whitespace or a comment precedes this token (needed for `a.b` vs `a .b`, `f (x)`). */
  spaceBefore: boolean;
}
