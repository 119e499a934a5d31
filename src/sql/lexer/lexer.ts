/**
 * The SQL lexer: one pass over the query text producing a token array. It knows MySQL's
 * comment forms (including executable comments, whose body is lexed as SQL when the version
 * gate allows it), string escapes, quoted identifiers, number/hex/bit literals, variables and
 * multi-character operators. sql_mode flags ANSI_QUOTES and NO_BACKSLASH_ESCAPES change lexing.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/language-structure.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/string-literals.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/comments.html
 * @req CORE-SQL-003 CORE-SQL-007 CORE-SQL-008 CORE-SQL-009 CORE-SQL-010
 */
import { isReserved } from './keywords.js';
import { SERVER_VERSION_ID } from './limits.js';
import type { SqlError } from '../../kernel/errors.js';
import { syntaxErrorAt } from './syntax-error.js';
import { Tok, type Token } from './token.js';

export interface LexOptions {
  ansiQuotes?: boolean;
  noBackslashEscapes?: boolean;
  /** When given, receives [start, end) offset pairs of every comment and of the markers of
   *  executable comments (`/*!NNNNN` and its closing), in text order. */
  comments?: number[];
  /** Instead of throwing, stop at the first lexical error, end the token list there and leave
   *  the error in `deferredError` (used for lazy multi-statement parsing). */
  deferErrors?: boolean;
  deferredError?: SqlError;
}

/** Thrown inside the lexer to stop at a deferred error. */
const STOP = Symbol('lexer stop');

const C_0 = 48;
const C_9 = 57;

function isDigit(c: number): boolean {
  return c >= C_0 && c <= C_9;
}

function isHexDigit(c: number): boolean {
  return (c >= C_0 && c <= C_9) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102);
}

/** Characters allowed in an unquoted identifier: ASCII letters, digits, '_', '$', and any
 *  non-ASCII character (MySQL admits U+0080 .. U+FFFF). */
export function isIdentChar(c: number): boolean {
  return c >= 128 || IDENT_ASCII[c] === 1;
}

/** ASCII characters allowed in unquoted identifiers, as a lookup table (the lexer's hot path). */
const IDENT_ASCII: Uint8Array = (() => {
  const t = new Uint8Array(128);
  for (let c = 0; c < 128; c++) {
    if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= C_0 && c <= C_9) || c === 95 || c === 36) t[c] = 1;
  }
  return t;
})();

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13 || c === 11 || c === 12;
}

/** Decode hex digits into bytes; an odd count is left-padded with a zero nibble (0x.. form). */
function hexToBytes(digits: string): Buffer {
  const d = digits.length % 2 === 1 ? '0' + digits : digits;
  return Buffer.from(d, 'hex');
}

/** Decode a string of '0'/'1' into bytes, right-aligned (b'1' is 0x01). */
function bitsToBytes(bits: string): Buffer {
  const n = Math.ceil(bits.length / 8);
  const out = Buffer.alloc(n);
  let bit = 0;
  for (let i = bits.length - 1; i >= 0; i--, bit++) {
    if (bits.charCodeAt(i) === 49) {
      const byte = n - 1 - (bit >> 3);
      out[byte] = (out[byte] ?? 0) | (1 << (bit & 7));
    }
  }
  return out;
}

/**
 * Tokenize `text`. Lexical errors (unterminated string / comment / quoted identifier) raise
 * 1064 pointing at the start of the offending construct.
 * @req CORE-SQL-003
 */
export function tokenize(text: string, opts: LexOptions = {}): Token[] {
  const tokens: Token[] = [];
  const n = text.length;
  let i = 0;
  let space = false;
  let inExecComment = false;
  /** Start of the current statement (after the last ';'), for error line numbers. */
  let stmtStart = 0;
  const comments = opts.comments;

  let stopAt = n;
  const fail = (at: number): never => {
    // lines count from the statement start; after a ';' leading whitespace is skipped first
    let s = stmtStart;
    if (s > 0) while (s < at && isSpace(text.charCodeAt(s))) s++;
    const err = syntaxErrorAt(text, at, s);
    if (opts.deferErrors === true) {
      opts.deferredError = err;
      stopAt = at;
      throw STOP;
    }
    throw err;
  };

  const push = (type: Tok, value: string, start: number, end: number): Token => {
    // All fields are initialised so every token shares one hidden class (faster property access).
    const t: Token = { type, value, upper: '', reserved: false, start, end, spaceBefore: space, numKind: undefined, bytes: undefined };
    tokens.push(t);
    space = false;
    return t;
  };

  /** Read a quoted run starting at the opening quote at `start`; returns [decoded, endIndex]. */
  const readQuoted = (start: number, q: number, escapes: boolean): [string, number] => {
    let j = start + 1;
    let out = '';
    let runStart = j;
    for (;;) {
      if (j >= n) return fail(start);
      const c = text.charCodeAt(j);
      if (c === q) {
        if (j + 1 < n && text.charCodeAt(j + 1) === q) {
          out += text.slice(runStart, j + 1);
          j += 2;
          runStart = j;
          continue;
        }
        out += text.slice(runStart, j);
        return [out, j + 1];
      }
      if (c === 92 && escapes) {
        out += text.slice(runStart, j);
        if (j + 1 >= n) return fail(start);
        const e = text[j + 1] as string;
        switch (e) {
          case '0': out += '\0'; break;
          case 'b': out += '\b'; break;
          case 'n': out += '\n'; break;
          case 'r': out += '\r'; break;
          case 't': out += '\t'; break;
          case 'Z': out += '\x1a'; break;
          // \% and \_ keep their backslash so LIKE still sees an escaped wildcard.
          case '%': out += '\\%'; break;
          case '_': out += '\\_'; break;
          default: out += e;
        }
        j += 2;
        runStart = j;
        continue;
      }
      j++;
    }
  };

  try {
  while (i < n) {
    const c = text.charCodeAt(i);
    // whitespace
    if (isSpace(c)) {
      i++;
      space = true;
      continue;
    }
    // comments
    if (c === 35 /* # */) {
      const from = i;
      while (i < n && text.charCodeAt(i) !== 10) i++;
      comments?.push(from, i);
      space = true;
      continue;
    }
    if (c === 45 /* - */ && text.charCodeAt(i + 1) === 45) {
      const after = i + 2 < n ? text.charCodeAt(i + 2) : 32;
      if (after <= 32) {
        const from = i;
        while (i < n && text.charCodeAt(i) !== 10) i++;
        comments?.push(from, i);
        space = true;
        continue;
      }
    }
    if (c === 47 /* / */ && text.charCodeAt(i + 1) === 42 /* * */) {
      const start = i;
      if (text.charCodeAt(i + 2) === 33 /* ! */ && !inExecComment) {
        let j = i + 3;
        let digits = 0;
        while (digits < 5 && j < n && isDigit(text.charCodeAt(j))) {
          j++;
          digits++;
        }
        const version = digits === 5 ? Number(text.slice(i + 3, j)) : 0;
        if (digits === 5 || digits === 0) {
          if (version <= SERVER_VERSION_ID) {
            if (text.indexOf('*/', j) < 0) fail(start);
            inExecComment = true;
            comments?.push(i, j);
            i = j;
            space = true;
            continue;
          }
        }
      }
      const close = text.indexOf('*/', i + 2);
      if (close < 0) fail(start);
      comments?.push(i, close + 2);
      i = close + 2;
      space = true;
      continue;
    }
    if (inExecComment && c === 42 && text.charCodeAt(i + 1) === 47) {
      inExecComment = false;
      comments?.push(i, i + 2);
      i += 2;
      space = true;
      continue;
    }

    const start = i;
    // strings
    if (c === 39 /* ' */ || (c === 34 /* " */ && !opts.ansiQuotes)) {
      const [v, end] = readQuoted(i, c, !opts.noBackslashEscapes);
      push(Tok.STRING, v, start, end);
      i = end;
      continue;
    }
    if (c === 96 /* ` */ || (c === 34 && opts.ansiQuotes)) {
      const [v, end] = readQuoted(i, c, false);
      push(Tok.QIDENT, v, start, end);
      i = end;
      continue;
    }
    // N'..', X'..', B'..'
    if ((c === 78 || c === 110) && text.charCodeAt(i + 1) === 39) {
      const [v, end] = readQuoted(i + 1, 39, !opts.noBackslashEscapes);
      push(Tok.NSTRING, v, start, end);
      i = end;
      continue;
    }
    if ((c === 88 || c === 120) && text.charCodeAt(i + 1) === 39) {
      const close = text.indexOf("'", i + 2);
      if (close < 0) fail(start);
      const digits = text.slice(i + 2, close);
      for (let k = 0; k < digits.length; k++) if (!isHexDigit(digits.charCodeAt(k))) fail(start);
      if (digits.length % 2 === 1) fail(start);
      const t = push(Tok.HEX, digits, start, close + 1);
      t.bytes = hexToBytes(digits);
      i = close + 1;
      continue;
    }
    if ((c === 66 || c === 98) && text.charCodeAt(i + 1) === 39) {
      const close = text.indexOf("'", i + 2);
      if (close < 0) fail(start);
      const digits = text.slice(i + 2, close);
      for (let k = 0; k < digits.length; k++) {
        const d = digits.charCodeAt(k);
        if (d !== 48 && d !== 49) fail(start);
      }
      const t = push(Tok.BIT, digits, start, close + 1);
      t.bytes = bitsToBytes(digits);
      i = close + 1;
      continue;
    }
    // numbers (and identifiers that start with digits)
    if (isDigit(c) || (c === 46 && isDigit(text.charCodeAt(i + 1)) && !afterQualifier(tokens, space))) {
      i = lexNumber(text, i, push);
      continue;
    }
    // identifiers / keywords
    if (isIdentChar(c)) {
      let j = i + 1;
      while (j < n && isIdentChar(text.charCodeAt(j))) j++;
      const v = text.slice(i, j);
      const t = push(Tok.IDENT, v, start, j);
      t.upper = v.toUpperCase();
      t.reserved = isReserved(t.upper);
      i = j;
      continue;
    }
    // variables
    if (c === 64 /* @ */) {
      if (text.charCodeAt(i + 1) === 64) {
        push(Tok.ATAT, '@@', start, i + 2);
        i += 2;
        continue;
      }
      let j = i + 1;
      while (j < n && (isIdentChar(text.charCodeAt(j)) || text.charCodeAt(j) === 46)) j++;
      if (j > i + 1) {
        push(Tok.USERVAR, text.slice(i + 1, j), start, j);
      } else {
        push(Tok.AT, '@', start, i + 1);
      }
      i = j;
      continue;
    }
    // \N is a synonym for NULL
    if (c === 92 && text.charCodeAt(i + 1) === 78) {
      const t = push(Tok.IDENT, 'NULL', start, i + 2);
      t.upper = 'NULL';
      t.reserved = true;
      i += 2;
      continue;
    }
    if (c === 63 /* ? */) {
      push(Tok.PARAM, '?', start, i + 1);
      i++;
      continue;
    }
    // operators
    const c1 = text.charCodeAt(i + 1);
    let op: string;
    switch (c) {
      case 60: // <
        if (c1 === 61) op = text.charCodeAt(i + 2) === 62 ? '<=>' : '<=';
        else if (c1 === 62) op = '<>';
        else if (c1 === 60) op = '<<';
        else op = '<';
        break;
      case 62: // >
        op = c1 === 61 ? '>=' : c1 === 62 ? '>>' : '>';
        break;
      case 33: // !
        op = c1 === 61 ? '!=' : '!';
        break;
      case 58: // :
        op = c1 === 61 ? ':=' : ':';
        break;
      case 45: // -
        op = c1 === 62 ? (text.charCodeAt(i + 2) === 62 ? '->>' : '->') : '-';
        break;
      case 124: // |
        op = c1 === 124 ? '||' : '|';
        break;
      case 38: // &
        op = c1 === 38 ? '&&' : '&';
        break;
      case 40: case 41: case 44: case 59: case 46: case 61: case 43: case 42: case 47: case 37:
      case 94: case 126: case 123: case 125:
        op = text[i] as string;
        break;
      default:
        return fail(start);
    }
    push(Tok.OP, op, start, i + op.length);
    i += op.length;
    if (op === ';') stmtStart = i;
  }
  } catch (e) {
    if (e !== STOP) throw e;
  }
  tokens.push({ type: Tok.EOF, value: '', upper: '', reserved: false, start: stopAt, end: stopAt, spaceBefore: space, numKind: undefined, bytes: undefined });
  return tokens;
}

/** `t.5` : a '.' right after an identifier is a qualifier, not the start of a number. */
function afterQualifier(tokens: Token[], space: boolean): boolean {
  if (space) return false;
  const prev = tokens[tokens.length - 1];
  return prev !== undefined && (prev.type === Tok.IDENT || prev.type === Tok.QIDENT);
}

/**
 * Lex a number starting at `i`: 123, 1.5, .5, 1e10, 1.5E-3, 0x1F, 0b101. A run of digits and
 * letters that is not a valid number is an identifier (MySQL allows `1a` as a name).
 * @req CORE-SQL-009
 */
function lexNumber(text: string, i: number, push: (type: Tok, value: string, start: number, end: number) => Token): number {
  const n = text.length;
  const start = i;
  const c = text.charCodeAt(i);
  // 0x.. / 0b..
  if (c === C_0 && (text.charCodeAt(i + 1) === 120 || text.charCodeAt(i + 1) === 98)) {
    const hex = text.charCodeAt(i + 1) === 120;
    let j = i + 2;
    while (j < n && (hex ? isHexDigit(text.charCodeAt(j)) : text.charCodeAt(j) === 48 || text.charCodeAt(j) === 49)) j++;
    if (j > i + 2 && !(j < n && isIdentChar(text.charCodeAt(j)))) {
      const digits = text.slice(i + 2, j);
      const t = push(hex ? Tok.HEX : Tok.BIT, digits, start, j);
      t.bytes = hex ? hexToBytes(digits) : bitsToBytes(digits);
      return j;
    }
    // otherwise an identifier such as 0xyz
  }
  let j = i;
  while (j < n && isDigit(text.charCodeAt(j))) j++;
  let kind: 'int' | 'decimal' | 'float' = 'int';
  if (j < n && text.charCodeAt(j) === 46) {
    // fraction (possibly empty: `1.`)
    j++;
    while (j < n && isDigit(text.charCodeAt(j))) j++;
    kind = 'decimal';
  }
  if (j < n && (text.charCodeAt(j) === 101 || text.charCodeAt(j) === 69)) {
    let k = j + 1;
    if (k < n && (text.charCodeAt(k) === 43 || text.charCodeAt(k) === 45)) k++;
    if (k < n && isDigit(text.charCodeAt(k))) {
      while (k < n && isDigit(text.charCodeAt(k))) k++;
      if (!(k < n && isIdentChar(text.charCodeAt(k)))) {
        const t = push(Tok.NUMBER, text.slice(start, k), start, k);
        t.numKind = 'float';
        return k;
      }
    }
  }
  if (kind === 'int' && j < n && isIdentChar(text.charCodeAt(j))) {
    // digits followed by identifier characters: an identifier like `1a` or `123abc`
    let k = j;
    while (k < n && isIdentChar(text.charCodeAt(k))) k++;
    const v = text.slice(start, k);
    const t = push(Tok.IDENT, v, start, k);
    t.upper = v.toUpperCase();
    return k;
  }
  const v = text.slice(start, j);
  if (kind === 'int' && !fitsUnsignedBigint(v)) kind = 'decimal';
  const t = push(Tok.NUMBER, v, start, j);
  t.numKind = kind;
  return j;
}

const MAX_U64 = '18446744073709551615';

/** Whether a digit string is at most 2^64-1 (larger integers are DECIMAL literals). */
export function fitsUnsignedBigint(digits: string): boolean {
  let s = 0;
  while (s < digits.length - 1 && digits.charCodeAt(s) === C_0) s++;
  const d = digits.slice(s);
  if (d.length !== MAX_U64.length) return d.length < MAX_U64.length;
  return d <= MAX_U64;
}
