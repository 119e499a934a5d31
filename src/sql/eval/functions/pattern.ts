/**
 * Pattern matching: LIKE (with ESCAPE, collation-aware case/accent folding) and the REGEXP
 * family on top of JavaScript regular expressions (MySQL uses ICU; see spec for differences).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/string-comparison-functions.html
 * @req CORE-EXPR-030 CORE-EXPR-031
 */
import { DEFAULT_COLLATION, foldForMatch, isCaseInsensitive } from '../../../kernel/charset/index.js';
import { sqlError } from '../../../kernel/errors.js';
import { toStringValue } from '../../types/convert.js';
import type { Row, Value } from '../../../kernel/value.js';
import { pickCollation } from '../type-rules.js';
import type { CompiledExpr, Runtime } from '../types.js';

function str(v: Value): string | null {
  if (v === null) return null;
  if (Buffer.isBuffer(v)) return v.toString('latin1');
  return toStringValue(v);
}

/** Translate a LIKE pattern into a RegExp source. */
export function likeToRegExp(pattern: string, escape: string): string {
  let out = '^';
  const chars = [...pattern];
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!;
    if (ch === escape && i + 1 < chars.length) {
      out += chars[++i]!.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    } else if (ch === '%') out += '[^]*';
    else if (ch === '_') out += '[^]';
    else out += ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return out + '$';
}

/** LIKE matcher: returns true/false/null per row. @req CORE-EXPR-030 */
export function likeMatcher(x: CompiledExpr, p: CompiledExpr, esc?: CompiledExpr): (row: Row, rt: Runtime) => boolean | null {
  const binary = !!(x.type.binary || p.type.binary);
  // LIKE settles one collation like a comparison (1267 on an illegal mix). @req CORE-CS-063
  const strings = x.type.kind === 'string' && p.type.kind === 'string' && !x.type.dynamic && !p.type.dynamic;
  const coll = binary ? 'binary' : pickCollation(x.type, p.type, strings ? 'like' : undefined) ?? DEFAULT_COLLATION;
  const fold = isCaseInsensitive(coll) ? (s: string) => foldForMatch(s, coll) : (s: string) => s;
  const xe = x.eval, pe = p.eval;
  let cacheKey: string | null = null;
  let cacheRe: RegExp | null = null;
  return (row, rt) => {
    const s = str(xe(row, rt));
    if (s === null) return null;
    const pat = str(pe(row, rt));
    if (pat === null) return null;
    let e = '\\';
    if (esc) {
      const ev = str(esc.eval(row, rt));
      if (ev !== null && ev.length > 1) throw sqlError('ER_WRONG_ARGUMENTS', 'ESCAPE');
      e = ev === null || ev === '' ? '\\' : ev;
    }
    const key = e + '\u0000' + pat;
    if (key !== cacheKey) {
      cacheKey = key;
      cacheRe = new RegExp(likeToRegExp(fold(pat), e === '\\' ? e : fold(e)), 'u');
    }
    // Fast paths for the common prefix/suffix/contains forms are left to the RegExp engine.
    return cacheRe!.test(fold(s));
  };
}

/** Translate MySQL (ICU) regex syntax to JS where they differ. */
function icuToJs(p: string): string {
  return p
    .replace(/\[\[:<:\]\]/g, '\\b(?=\\w)')
    .replace(/\[\[:>:\]\]/g, '\\b(?<=\\w)')
    .replace(/\[:alpha:\]/g, 'a-zA-Z')
    .replace(/\[:digit:\]/g, '0-9')
    .replace(/\[:alnum:\]/g, 'a-zA-Z0-9')
    .replace(/\[:space:\]/g, '\\s')
    .replace(/\[:upper:\]/g, 'A-Z')
    .replace(/\[:lower:\]/g, 'a-z')
    .replace(/\[:punct:\]/g, '!-\\/:-@\\[-`{-~')
    .replace(/\[:xdigit:\]/g, '0-9A-Fa-f');
}

const reCache = new Map<string, RegExp>();

/** Compile (and cache) a MySQL regular expression; match_type flags c/i/m/n/u. @req CORE-EXPR-031 */
export function makeRegExp(pattern: string, ci: boolean, matchType = '', global = false): RegExp {
  let flags = 'u' + (global ? 'g' : '');
  let insensitive = ci;
  let multiline = false, dotall = false;
  for (const c of matchType) {
    if (c === 'c') insensitive = false;
    else if (c === 'i') insensitive = true;
    else if (c === 'm') multiline = true;
    else if (c === 'n') dotall = true;
  }
  if (insensitive) flags += 'i';
  if (multiline) flags += 'm';
  if (dotall) flags += 's';
  const key = flags + '\u0000' + pattern;
  let re = reCache.get(key);
  if (!re) {
    try {
      re = new RegExp(icuToJs(pattern), flags);
    } catch {
      throw sqlError('ER_REGEXP_ERROR');
    }
    if (reCache.size > 1000) reCache.clear();
    reCache.set(key, re);
  }
  re.lastIndex = 0;
  return re;
}

/** `x REGEXP p` matcher. */
export function regexpMatcher(x: CompiledExpr, p: CompiledExpr, mt: CompiledExpr | undefined): (row: Row, rt: Runtime) => boolean | null {
  const binary = !!(x.type.binary || p.type.binary);
  const coll = binary ? 'binary' : pickCollation(x.type, p.type);
  const ci = isCaseInsensitive(coll);
  const xe = x.eval, pe = p.eval;
  return (row, rt) => {
    const s = str(xe(row, rt));
    if (s === null) return null;
    const pat = str(pe(row, rt));
    if (pat === null) return null;
    const m = mt ? str(mt.eval(row, rt)) ?? '' : '';
    return makeRegExp(pat, ci, m).test(s);
  };
}
