/**
 * Passwords never reach the query logs: the text of an account statement (CREATE USER,
 * ALTER USER, SET PASSWORD) or of a replication statement that carries a password has each
 * password literal replaced by `<secret>` before it is logged, as MySQL rewrites these
 * statements for its logs.
 *
 * Decision: MySQL logs a normalised re-print of the whole statement; we keep the text as the
 * client typed it and replace only the password literals (the secret is gone either way).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/password-logging.html (6.1.2.3)
 * @req CORE-LOG-005
 */
import type { Statement } from '../../sql/ast.js';
import { tokenize } from '../../sql/lexer/lexer.js';
import { Tok, type Token } from '../../sql/lexer/token.js';

/** What replaces a password literal. */
export const SECRET_MARK = '<secret>';

/** Statement kinds whose text may hold a password. */
function mayHoldSecret(stmt: Statement): boolean {
  switch (stmt.kind) {
    case 'create_user':
    case 'alter_user':
    case 'set_password':
      return true;
    case 'other':
      return /PASSWORD/i.test(stmt.rest);
    default:
      return false;
  }
}

const isString = (t: Token | undefined): boolean => t !== undefined && (t.type === Tok.STRING || t.type === Tok.NSTRING);

/**
 * The positions of the password literals in `text`: the literal after IDENTIFIED [WITH p] BY,
 * after REPLACE (the current password), after `PASSWORD =` / `PASSWORD TO`-less SET PASSWORD,
 * and after SOURCE_PASSWORD / MASTER_PASSWORD `=`.
 */
function secretRanges(text: string): Array<[number, number]> {
  let toks: Token[];
  try {
    toks = tokenize(text);
  } catch {
    return [];
  }
  const out: Array<[number, number]> = [];
  for (let i = 1; i < toks.length; i++) {
    const t = toks[i]!;
    if (!isString(t)) continue;
    const prev = toks[i - 1]!;
    const word = prev.type === Tok.IDENT ? prev.upper : '';
    if (word === 'BY' || word === 'REPLACE') {
      out.push([t.start, t.end]);
      continue;
    }
    if (prev.type === Tok.OP && prev.value === '=' && i >= 2) {
      const before = toks[i - 2]!;
      if (before.type === Tok.IDENT && /^(PASSWORD|SOURCE_PASSWORD|MASTER_PASSWORD)$/.test(before.upper)) {
        out.push([t.start, t.end]);
        continue;
      }
      // SET PASSWORD [FOR user] = 'x': the '=' closes the account name.
      if (toks[0]?.upper === 'SET' && toks[1]?.upper === 'PASSWORD') out.push([t.start, t.end]);
    }
  }
  return out;
}

/** The statement text as the logs show it. @req CORE-LOG-005 */
export function loggableText(stmt: Statement, text: string): string {
  if (!mayHoldSecret(stmt)) return text;
  return maskSecrets(text);
}

/** Replace every password literal of `text` by {@link SECRET_MARK}. */
export function maskSecrets(text: string): string {
  const ranges = secretRanges(text);
  if (ranges.length === 0) return text;
  let out = '';
  let at = 0;
  for (const [s, e] of ranges) {
    out += text.slice(at, s) + SECRET_MARK;
    at = e;
  }
  return out + text.slice(at);
}
