/**
 * The text-protocol statement cache: COM_QUERY texts that differ only in some literal values
 * share one parsed statement, and with it the compiled plan the SELECT executor keeps per parsed
 * statement. A repeated shape skips the parser: the literals of the new text are bound as the
 * values of the cached statement's markers.
 *
 * The key is the statement's token sequence, as the statement digest normalises it (spec
 * core-pfs), with the lifted literals as `?` and every other literal kept as written, prefixed by
 * what changes how the text parses or what its literals are: sql_mode, the default schema,
 * collation_connection and character_set_client. A literal is lifted only where a value of the
 * same type cannot change the result's columns, warnings or errors: an operand of a comparison
 * with a column (also BETWEEN bounds and IN lists) in the WHERE of a single-block SELECT,
 * single-table UPDATE or DELETE, reached only through AND / OR / XOR / NOT, and a SELECT's LIMIT
 * and OFFSET. Only unsigned integer and decimal numbers and ASCII strings without introducer,
 * COLLATE or a neighbouring string are lifted; each lifted marker is typed as the literal was
 * (ast `ParamMarker.lifted`), and a text reuses an entry only when each of its lifted literals
 * has exactly the type of the literal the entry was made from (same kind, length, scale,
 * collation), so the plan compiled for one serves the other unchanged.
 *
 * The cache is per session, like prepared statements: a session runs one statement at a time,
 * so the shared tree (whose `text` is set to the text being run, for the logs, performance_schema
 * and PROCESSLIST) is never used by two statements at once. Privileges, the tables' definitions
 * and the session settings are checked on every execution, exactly as for prepared statements.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/statement-caching.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/performance-schema-statement-digests.html
 * @req CORE-PERF-010 CORE-PERF-011 CORE-PERF-012 CORE-PERF-013 CORE-PERF-014 CORE-PERF-017
 */
import type { BinaryExpr, Expr, LiteralExpr, ParamMarker, Statement } from '../sql/ast.js';
import { lexOptions, parse } from '../sql/parser/index.js';
import { fitsUnsignedBigint, tokenize } from '../sql/lexer/lexer.js';
import { Tok, type Token } from '../sql/lexer/token.js';
import { literalInScope } from '../sql/eval/index.js';
import type { Value } from '../kernel/value.js';
import { STATEMENT_CACHE_QUICK_KEYS_PER_ENTRY, STATEMENT_CACHE_VARIANTS } from './limits.js';

/** One cached statement for a key: which literals it lifted, and the rest as written. */
interface Variant {
  /** Per literal of the text, in order: its exact source text when kept, null when lifted. */
  readonly kept: readonly (string | null)[];
  /** Per lifted literal: the signature of its type (the entry serves only equal signatures). */
  readonly sigs: readonly string[];
  readonly stmt: Statement;
}

/** The cached statement and the values of its markers; `hit` when it was made for an earlier text. */
export interface CachedStatement {
  stmt: Statement;
  params: Value[];
  hit: boolean;
}

/** What the session tells the cache. */
export interface CacheSettings {
  sqlMode: ReadonlySet<string>;
  sqlModeText: string;
  schema: string | null;
  collationConnection: string;
  clientCharset: string;
  /** Other session settings a statement's compiled plan depends on (group_concat_max_len). */
  compileSettings: string;
}

/** The statements the cache holds (their texts share one digest: performance_schema). */
const cachedStatements = new WeakSet<Statement>();

/** Whether a statement is one the COM_QUERY statement cache holds. @req CORE-PERF-014 */
export function isCachedStatement(stmt: Statement): boolean {
  return cachedStatements.has(stmt);
}

/** Statement kinds worth a look, by their first word. */
const FIRST_WORD = /^\s*(select|update|delete)\s/i;

/** Schemas whose statements take other paths (performance_schema writes, system tables). */
const SYSTEM_SCHEMAS: ReadonlySet<string> = new Set(['performance_schema', 'information_schema', 'mysql', 'sys']);

const COMPARISONS: ReadonlySet<string> = new Set(['=', '<>', '!=', '<', '<=', '>', '>=', '<=>']);
const LOGICAL: ReadonlySet<string> = new Set(['AND', '&&', 'OR', 'XOR']);

/** The tokens of a text and the source of its literals, or null when the text is not cached. */
export interface Scan {
  key: string;
  literals: Token[];
}

/** Whether a text may be cached at all, by its first word (before any settings are read). */
export function mayCache(sql: string): boolean {
  return FIRST_WORD.test(sql);
}

/** What, besides its text, decides how a text parses and what its literals are. */
export function settingsPrefix(s: CacheSettings): string {
  return `${s.sqlModeText}\u0001${s.schema ?? ''}\u0001${s.collationConnection}\u0001${s.clientCharset}\u0001${s.compileSettings}\u0001`;
}

/** The full token scan of a text: its token key and literal tokens (exported for the quick key's tests). */
export function scan(sql: string, s: CacheSettings, prefix: string = settingsPrefix(s)): Scan | null {
  if (s.schema !== null && SYSTEM_SCHEMAS.has(s.schema.toLowerCase())) return null;
  const comments: number[] = [];
  const lex = lexOptions(s, comments);
  lex.deferErrors = true;
  let toks: Token[];
  try {
    toks = tokenize(sql, lex);
  } catch {
    return null;
  }
  // Comments may hold optimizer hints or version-conditional text: such texts are not cached.
  if (comments.length > 0 || (lex as { deferredError?: unknown }).deferredError !== undefined) return null;
  const literals: Token[] = [];
  let key = prefix;
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    switch (t.type) {
      case Tok.EOF:
        return { key, literals };
      case Tok.PARAM:
        return null;
      case Tok.STRING:
      case Tok.NSTRING:
      case Tok.NUMBER:
      case Tok.HEX:
      case Tok.BIT:
        literals.push(t);
        key += '\u0002';
        break;
      case Tok.OP:
        // Several statements, or an assignment to a user variable: not cached.
        if (t.value === ';' || t.value === ':=') return null;
        key += (t.spaceBefore ? ' ' : '') + t.value + '\u0003';
        break;
      case Tok.IDENT:
      case Tok.QIDENT:
        if (SYSTEM_SCHEMAS.has(t.value.toLowerCase())) return null;
        key += `${t.type}${t.spaceBefore ? ' ' : ''}${t.value}\u0003`;
        break;
      default:
        key += `${t.type}${t.spaceBefore ? ' ' : ''}${t.value}\u0003`;
    }
  }
  return null;
}

/** A text's quick key and the literals cut out of it. */
export interface QuickScan {
  raw: string;
  literals: Token[];
}

const enum Ch {
  TAB = 9,
  NL = 10,
  VT = 11,
  FF = 12,
  CR = 13,
  SPACE = 32,
  QUOTE = 39,
  BACKQUOTE = 96,
  DOT = 46,
  MINUS = 45,
  SLASH = 47,
  STAR = 42,
  ZERO = 48,
  NINE = 57,
}

function isIdentCh(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= Ch.ZERO && c <= Ch.NINE) || c === 95 || c === 36;
}

function isSpaceCh(c: number): boolean {
  return c === Ch.SPACE || c === Ch.TAB || c === Ch.NL || c === Ch.CR || c === Ch.VT || c === Ch.FF;
}

/** Operator and punctuation characters the quick scan copies as they are. */
const PLAIN_OPERATOR = new Uint8Array(128);
for (const ch of '(),=<>!+-*/%&|^~.') PLAIN_OPERATOR[ch.charCodeAt(0)] = 1;

function literalToken(type: Tok, value: string, start: number, end: number, spaceBefore: boolean, numKind: Token['numKind']): Token {
  return { type, value, upper: '', reserved: false, start, end, spaceBefore, numKind, bytes: undefined };
}

/**
 * The quick key of a text: the text itself with each plain literal cut out, found in one pass
 * over the characters without the lexer (and looked up among the quick keys learnt under the
 * same settings). Only texts made of ASCII identifiers, backquoted names without doubled
 * backquotes, white space, operators, decimal numbers (`12`, `1.5`) and single-quoted strings
 * without backslashes or doubled quotes get one; anything else (comments, double quotes, `?`,
 * `@`, `;`, `:`, braces, `x'..'`, `_cs'..'`, `1e5`, `0x1F`, `1abc`, `.5`, adjacent strings,
 * non-ASCII text) gives null and the text goes through the full scan. For the texts it accepts,
 * the literals it cuts out are exactly the lexer's literal tokens and everything else is the
 * same characters, so two texts with one quick key have one token key: the cache learns the
 * token key of a quick key from the first text's full scan and looks later texts up without
 * tokenizing them. @req CORE-PERF-017
 */
export function quickScan(sql: string): QuickScan | null {
  const n = sql.length;
  const literals: Token[] = [];
  let raw = '';
  let from = 0;
  let space = false;
  let i = 0;
  while (i < n) {
    const c = sql.charCodeAt(i);
    if (isSpaceCh(c)) {
      space = true;
      i++;
      continue;
    }
    if (c >= Ch.ZERO && c <= Ch.NINE) {
      // A number: digits, at most one '.' and digits; an identifier character or a second '.'
      // right after it means the lexer reads something else (1e5, 0x1F, 1abc, 1.2.3).
      let j = i + 1;
      while (j < n && sql.charCodeAt(j) >= Ch.ZERO && sql.charCodeAt(j) <= Ch.NINE) j++;
      let decimal = false;
      if (j < n && sql.charCodeAt(j) === Ch.DOT) {
        decimal = true;
        j++;
        while (j < n && sql.charCodeAt(j) >= Ch.ZERO && sql.charCodeAt(j) <= Ch.NINE) j++;
      }
      if (j < n && (isIdentCh(sql.charCodeAt(j)) || sql.charCodeAt(j) === Ch.DOT)) return null;
      const v = sql.slice(i, j);
      literals.push(literalToken(Tok.NUMBER, v, i, j, space, decimal || !fitsUnsignedBigint(v) ? 'decimal' : 'int'));
      raw += sql.slice(from, i) + '\u0002';
      from = j;
      i = j;
      space = false;
      continue;
    }
    if (isIdentCh(c)) {
      let j = i + 1;
      while (j < n && isIdentCh(sql.charCodeAt(j))) j++;
      // x'..', b'..', N'..', _charset'..': a prefixed literal.
      if (j < n && sql.charCodeAt(j) === Ch.QUOTE) return null;
      i = j;
      space = false;
      continue;
    }
    if (c === Ch.QUOTE) {
      const close = sql.indexOf("'", i + 1);
      if (close < 0) return null;
      const body = sql.slice(i + 1, close);
      if (body.includes('\\') || !/^[\x20-\x7e]*$/.test(body)) return null;
      // A doubled quote inside, or an adjacent string the lexer would join: not judged here.
      let k = close + 1;
      while (k < n && isSpaceCh(sql.charCodeAt(k))) k++;
      if (k < n && sql.charCodeAt(k) === Ch.QUOTE) return null;
      literals.push(literalToken(Tok.STRING, body, i, close + 1, space, undefined));
      raw += sql.slice(from, i) + '\u0002';
      from = close + 1;
      i = close + 1;
      space = false;
      continue;
    }
    if (c === Ch.BACKQUOTE) {
      const close = sql.indexOf('`', i + 1);
      if (close < 0 || sql.charCodeAt(close + 1) === Ch.BACKQUOTE) return null;
      if (!/^[\x20-\x7e]*$/.test(sql.slice(i + 1, close))) return null;
      i = close + 1;
      space = false;
      continue;
    }
    if (c < 128 && PLAIN_OPERATOR[c] === 1) {
      const d = sql.charCodeAt(i + 1);
      // Comments (-- and /*), and '.5' (a number, or a qualifier before digits).
      if ((c === Ch.MINUS && d === Ch.MINUS) || (c === Ch.SLASH && d === Ch.STAR) || (c === Ch.DOT && d >= Ch.ZERO && d <= Ch.NINE)) return null;
      i++;
      space = false;
      continue;
    }
    return null;
  }
  return { raw: raw + sql.slice(from), literals };
}

/** Whether the quick scan cut out exactly the literal tokens the lexer found. */
function sameLiterals(quick: readonly Token[], full: readonly Token[]): boolean {
  if (quick.length !== full.length) return false;
  for (let i = 0; i < quick.length; i++) {
    const a = quick[i]!;
    const b = full[i]!;
    if (a.type !== b.type || a.start !== b.start || a.end !== b.end || a.value !== b.value || a.numKind !== b.numKind) return false;
  }
  return true;
}

/** Whether a literal token may become a marker, judged by its neighbours. */
function liftableToken(toks: Token[], i: number, sql: string): boolean {
  const t = toks[i]!;
  const prev = toks[i - 1];
  const next = toks[i + 1];
  if (t.type === Tok.NUMBER) {
    if (t.numKind !== 'int' && t.numKind !== 'decimal') return false;
    if (!/^[0-9]*\.?[0-9]*$/.test(t.value)) return false;
    // A sign before the number belongs to the expression, not to the literal.
    if (prev !== undefined && prev.type === Tok.OP && (prev.value === '-' || prev.value === '+' || prev.value === '~' || prev.value === '!')) return false;
    return true;
  }
  if (t.type !== Tok.STRING) return false;
  if (sql.charCodeAt(t.start) !== 39 && sql.charCodeAt(t.start) !== 34) return false;
  if (!/^[\x00-\x7f]*$/.test(t.value)) return false;
  if (prev !== undefined && (prev.type === Tok.STRING || prev.type === Tok.NSTRING)) return false;
  if (prev !== undefined && prev.type === Tok.IDENT && (prev.value.startsWith('_') || ['DATE', 'TIME', 'TIMESTAMP'].includes(prev.upper))) return false;
  if (next !== undefined && (next.type === Tok.STRING || (next.type === Tok.IDENT && next.upper === 'COLLATE'))) return false;
  return true;
}

/** The literal a token stands for (as the parser builds it). */
function literalOf(t: Token): LiteralExpr {
  if (t.type === Tok.NUMBER) return { type: 'literal', kind: t.numKind === 'decimal' ? 'decimal' : 'int', value: t.value };
  return { type: 'literal', kind: 'string', value: t.value };
}

const INT18 = /^[0-9]+$/;

/** A lifted literal's value and type signature under the session's settings. */
function bindLiteral(t: Token, s: CacheSettings): { value: Value; sig: string } {
  // Another kind of literal in a lifted place never matches (its parse may differ).
  if (t.type === Tok.NUMBER ? t.numKind !== 'int' && t.numKind !== 'decimal' : t.type !== Tok.STRING) return { value: null, sig: '' };
  // An integer of at most 18 digits is a signed BIGINT literal whose type is fixed by its digit
  // count (literalType): the signature needs no type built.
  if (t.type === Tok.NUMBER && t.numKind === 'int' && t.value.length <= 18 && INT18.test(t.value)) return { value: BigInt(t.value), sig: `i${t.value.length}` };
  const lit = literalOf(t);
  if (lit.kind === 'string') {
    lit.connCollation = s.collationConnection;
    lit.clientCharset = s.clientCharset;
  }
  const { value, type } = literalInScope(lit, undefined);
  return { value, sig: JSON.stringify(type) };
}

/**
 * The nodes in positions where a literal may be lifted: comparison operands against a column in a
 * condition reached through logical operators only.
 */
function collectCondition(e: Expr | undefined, take: (x: Expr) => void): void {
  if (e === undefined) return;
  switch (e.type) {
    case 'binary': {
      if (LOGICAL.has(e.op)) {
        collectCondition(e.left, take);
        collectCondition(e.right, take);
        return;
      }
      const b = e as BinaryExpr & { quantifier?: string };
      if (!COMPARISONS.has(b.op) || b.quantifier !== undefined) return;
      if (b.left.type === 'column' && b.left.name !== '*') take(b.right);
      else if (b.right.type === 'column' && b.right.name !== '*') take(b.left);
      return;
    }
    case 'unary':
      if (e.op === 'NOT' || e.op === '!') collectCondition(e.operand, take);
      return;
    case 'between':
      if (e.expr.type === 'column') {
        take(e.low);
        take(e.high);
      }
      return;
    case 'in':
      if (e.expr.type === 'column' && e.list && !e.subquery) for (const x of e.list) take(x);
      return;
    default:
      return;
  }
}

/** Every node of the statement in a liftable position (empty when the statement is not cached). */
function liftablePositions(stmt: Statement): Expr[] | null {
  const out: Expr[] = [];
  const take = (x: Expr): void => {
    out.push(x);
  };
  if (stmt.kind === 'select') {
    if (stmt.with) return null;
    const q = stmt.query;
    if (q.type !== 'select_core' || q.into || q.intoFile || q.valuesRows) return null;
    collectCondition(q.where, take);
    if (q.limit) {
      take(q.limit.count);
      if (q.limit.offset) take(q.limit.offset);
    }
    return out;
  }
  if (stmt.kind === 'update') {
    if (stmt.with || stmt.tables.length !== 1 || stmt.tables[0]!.type !== 'table') return null;
    collectCondition(stmt.where, take);
    return out;
  }
  if (stmt.kind === 'delete') {
    if (stmt.with || stmt.multi) return null;
    collectCondition(stmt.where, take);
    return out;
  }
  return null;
}

/**
 * Cached statements of one session: a bounded LRU map from key to the variants made for it.
 * @req CORE-PERF-010 CORE-PERF-013
 */
export class StatementCache {
  private readonly entries = new Map<string, Variant[]>();
  /** Per settings prefix: quick key -> token key (null: the full scan refused the text or cut
   *  other literals). CORE-PERF-017 */
  private readonly quickKeys = new Map<string, Map<string, string | null>>();
  private quickKeyCount = 0;
  /** The settings of the last lookup and their prefix: the same string object while they stay
   *  the same, so its hash is computed once. */
  private lastSettings: CacheSettings | null = null;
  private lastPrefix = '';
  /** The key used last, which is the last in the LRU order. */
  private lastUsed: string | null = null;

  constructor(private capacity: number) {}

  /** Change the bound (0 empties and turns the cache off). */
  resize(capacity: number): void {
    if (capacity === this.capacity) return;
    this.capacity = capacity;
    while (this.entries.size > capacity) this.entries.delete(this.entries.keys().next().value!);
    this.clearQuickKeys();
  }

  /** Most recently used last (nothing to move when it already is: the commonest case). */
  private touch(key: string, variants: Variant[]): void {
    if (key === this.lastUsed) return;
    this.entries.delete(key);
    this.entries.set(key, variants);
    this.lastUsed = key;
  }

  private clearQuickKeys(): void {
    this.quickKeys.clear();
    this.quickKeyCount = 0;
  }

  private prefixOf(s: CacheSettings): string {
    const l = this.lastSettings;
    if (l !== null && l.sqlModeText === s.sqlModeText && l.schema === s.schema && l.collationConnection === s.collationConnection && l.clientCharset === s.clientCharset && l.compileSettings === s.compileSettings) return this.lastPrefix;
    this.lastSettings = { ...s };
    this.lastPrefix = settingsPrefix(s);
    return this.lastPrefix;
  }

  get size(): number {
    return this.entries.size;
  }

  clear(): void {
    this.entries.clear();
    this.lastUsed = null;
    this.clearQuickKeys();
  }

  /**
   * The statement for a text: a cached one with its literal values bound (a hit), or a new one
   * parsed now and kept for the texts of its shape (a miss). Null when the text is not cached:
   * the caller parses it as usual (its syntax errors included).
   * @req CORE-PERF-011 CORE-PERF-012
   */
  statementFor(sql: string, s: CacheSettings): CachedStatement | null {
    if (this.capacity <= 0 || !mayCache(sql)) return null;
    const prefix = this.prefixOf(s);
    const q = quickScan(sql);
    const learnt = q === null ? undefined : this.quickKeys.get(prefix);
    const known = q === null || learnt === undefined ? undefined : learnt.get(q.raw);
    if (q !== null && typeof known === 'string') {
      const variants = this.entries.get(known);
      const hit = variants === undefined ? null : matchVariant(variants, { key: known, literals: q.literals }, sql, s);
      if (hit !== null) {
        this.touch(known, variants!);
        hit.stmt.text = statementText(sql);
        return hit;
      }
    }
    const sc = scan(sql, s, prefix);
    if (q !== null && known === undefined) {
      // Bounded with the entries: the map is rebuilt from full scans after it is emptied.
      if (this.quickKeyCount >= this.capacity * STATEMENT_CACHE_QUICK_KEYS_PER_ENTRY) this.clearQuickKeys();
      let map = this.quickKeys.get(prefix);
      if (map === undefined) this.quickKeys.set(prefix, (map = new Map()));
      map.set(q.raw, sc !== null && sameLiterals(q.literals, sc.literals) ? sc.key : null);
      this.quickKeyCount++;
    }
    if (sc === null) return null;
    const variants = this.entries.get(sc.key);
    if (variants !== undefined) {
      const hit = matchVariant(variants, sc, sql, s);
      if (hit !== null) {
        this.touch(sc.key, variants);
        hit.stmt.text = statementText(sql);
        return hit;
      }
      if (variants.length >= STATEMENT_CACHE_VARIANTS) return null;
    }
    const made = makeVariant(sql, sc, s);
    if (made === null) return null;
    cachedStatements.add(made.variant.stmt);
    if (variants !== undefined) variants.push(made.variant);
    else {
      this.entries.set(sc.key, [made.variant]);
      this.lastUsed = sc.key;
      if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    }
    return { stmt: made.variant.stmt, params: made.params, hit: false };
  }
}

/** The statement text as the parser keeps it (no surrounding white space). */
function statementText(sql: string): string {
  return sql.trim();
}

function matchVariant(variants: readonly Variant[], sc: Scan, sql: string, s: CacheSettings): CachedStatement | null {
  next: for (const v of variants) {
    if (v.kept.length !== sc.literals.length) continue;
    let params: Value[] | null = null;
    let k = 0;
    for (let i = 0; i < v.kept.length; i++) {
      const t = sc.literals[i]!;
      const kept = v.kept[i];
      if (kept !== null) {
        if (sql.slice(t.start, t.end) !== kept) continue next;
        continue;
      }
      const b = bindLiteral(t, s);
      if (b.sig !== v.sigs[k]) continue next;
      (params ??= []).push(b.value);
      k++;
    }
    return { stmt: v.stmt, params: params ?? [], hit: true };
  }
  return null;
}

/**
 * A miss: parse the text, find its literals in liftable positions, and parse the text again with
 * those literals as markers; the markers must land exactly in liftable positions, or the text is
 * kept whole (no literal lifted).
 */
function makeVariant(sql: string, sc: Scan, s: CacheSettings): { variant: Variant; params: Value[] } | null {
  const starts = new Map<object, number>();
  let stmts: Statement[];
  try {
    stmts = parse(sql, { sqlMode: s.sqlMode, allowParams: false, literalStarts: starts });
  } catch {
    return null;
  }
  if (stmts.length !== 1) return null;
  const stmt = stmts[0]!;
  const positions = liftablePositions(stmt);
  if (positions === null) return null;
  const liftStarts = new Set<number>();
  for (const p of positions) {
    if (p.type !== 'literal') continue;
    const at = starts.get(p);
    if (at !== undefined) liftStarts.add(at);
  }
  // The token list again, to judge each literal by its neighbours.
  const toks = tokenize(sql, lexOptions(s, []));
  const byStart = new Map<number, number>();
  toks.forEach((t, i) => byStart.set(t.start, i));
  const kept: (string | null)[] = [];
  const lifted: Token[] = [];
  let template = '';
  let from = 0;
  for (const t of sc.literals) {
    const i = byStart.get(t.start);
    if (liftStarts.has(t.start) && i !== undefined && liftableToken(toks, i, sql)) {
      kept.push(null);
      lifted.push(t);
      template += sql.slice(from, t.start) + '?';
      from = t.end;
    } else kept.push(sql.slice(t.start, t.end));
  }
  const whole = (): { variant: Variant; params: Value[] } => ({ variant: { kept: sc.literals.map((t) => sql.slice(t.start, t.end)), sigs: [], stmt }, params: [] });
  if (lifted.length === 0) return whole();
  template += sql.slice(from);
  let tstmt: Statement;
  try {
    const t = parse(template, { sqlMode: s.sqlMode, allowParams: true });
    if (t.length !== 1) return whole();
    tstmt = t[0]!;
  } catch {
    return whole();
  }
  if (tstmt.kind !== stmt.kind || tstmt.paramCount !== lifted.length) return whole();
  const tpos = liftablePositions(tstmt);
  if (tpos === null) return whole();
  const markers: (ParamMarker | undefined)[] = new Array<ParamMarker | undefined>(lifted.length);
  for (const p of tpos) if (p.type === 'param' && p.local === undefined && p.index < lifted.length) markers[p.index] = p;
  const sigs: string[] = [];
  const params: Value[] = [];
  for (let i = 0; i < lifted.length; i++) {
    const m = markers[i];
    if (m === undefined) return whole();
    const b = bindLiteral(lifted[i]!, s);
    m.lifted = literalOf(lifted[i]!);
    sigs.push(b.sig);
    params.push(b.value);
  }
  tstmt.text = statementText(sql);
  return { variant: { kept, sigs, stmt: tstmt }, params };
}
