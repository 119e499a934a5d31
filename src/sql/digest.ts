/**
 * Statement digests: the normalised form of a statement (DIGEST_TEXT) and a hash of it (DIGEST),
 * as performance_schema's statement tables, STATEMENT_DIGEST() and STATEMENT_DIGEST_TEXT() show
 * them. Two statements that differ only in their literal values, in white space, comments or the
 * letter case of keywords have the same digest; statements of another shape do not. A later plan
 * cache keys on the digest, so it lives here in the SQL layer, apart from performance_schema.
 *
 * The normalised text follows MySQL's printed format: keywords upper-case, identifiers
 * back-quoted as written, every literal (and `?` marker) replaced by `?`, a run of two or more
 * comma-separated values shown as `?, ...`, a parenthesised single value `(?)`, a parenthesised
 * list of values `(...)`, and a list of such rows `(...) /* , ... *\/`; tokens are separated by
 * one space, except `@`/`@@` and the name they introduce.
 *
 * MySQL hashes its internal token ids, which depend on its grammar; we hash the normalised text
 * with SHA-256 instead (spec/core-pfs.md, decisions), so our DIGEST values have MySQL's length and
 * alphabet and are stable across runs and versions of refmysqld, but are not MySQL's numbers.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/performance-schema-statement-digests.html
 * @req CORE-PFS-020 CORE-PFS-021 CORE-PFS-022 CORE-PFS-023
 */
import { createHash } from 'node:crypto';
import { tokenize } from './lexer/lexer.js';
import { CHARSET_NAMES, isReserved } from './lexer/keywords.js';
import { Tok, type Token } from './lexer/token.js';

/** The digest of one statement. */
export interface StatementDigest {
  /** DIGEST_TEXT: the normalised statement ('' for text that has no tokens). */
  readonly text: string;
  /** DIGEST: 64 lower-case hex digits. */
  readonly hash: string;
}

export interface DigestOptions {
  ansiQuotes?: boolean;
  noBackslashEscapes?: boolean;
  /** Longest normalised text kept (performance_schema_max_digest_length); the rest is cut at a
   *  token boundary and the text ends in '...'. 0 computes no digest. */
  maxLength?: number;
}

/**
 * Words MySQL's lexer reads as keywords although they are not reserved: they print upper-case in
 * a digest. Words outside this list and the reserved words are identifiers (back-quoted).
 * @req CORE-PFS-021
 */
const NON_RESERVED_KEYWORDS: ReadonlySet<string> = new Set(
  `ACCOUNT ACTION ACTIVE ADMIN AFTER AGAINST AGGREGATE ALGORITHM ALWAYS ANY ARRAY AT AUTOCOMMIT AUTO_INCREMENT
  AVG AVG_ROW_LENGTH BACKUP BEGIN BINLOG BIT BIT_AND BIT_OR BIT_XOR BLOCK BOOL BOOLEAN BTREE BUCKETS BYTE CACHE
  CASCADED CAST CATALOG_NAME CHAIN CHANGED CHANNEL CHARSET CHECKSUM CIPHER CLASS_ORIGIN CLIENT CLONE CLOSE COALESCE
  CODE COLLATION COLUMNS COLUMN_FORMAT COLUMN_NAME COMMENT COMMIT COMMITTED COMPACT COMPLETION COMPONENT COMPRESSED
  COMPRESSION CONCURRENT CONNECTION CONSISTENT CONSTRAINT_NAME CONTAINS CONTEXT COUNT CPU CURDATE CURRENT CURSOR_NAME
  CURTIME DATA DATAFILE DATE DATETIME DATE_ADD DATE_SUB DAY DEALLOCATE DEFAULT_AUTH DEFINER DEFINITION DELAY_KEY_WRITE
  DESCRIPTION DIAGNOSTICS DIRECTORY DISABLE DISCARD DISK DO DUMPFILE DUPLICATE DYNAMIC ENABLE ENCRYPTION END ENDS
  ENFORCED ENGINE ENGINES ENUM ERROR ERRORS ESCAPE EVENT EVENTS EVERY EXCHANGE EXCLUDE EXECUTE EXPANSION EXPIRE EXPORT
  EXTENDED EXTENT_SIZE EXTRACT FAILED_LOGIN_ATTEMPTS FAST FAULTS FIELDS FILE FILTER FIRST FIXED FLUSH FOLLOWING
  FOLLOWS FORMAT FOUND FULL GENERAL GEOMETRY GET_FORMAT GLOBAL GRANTS GROUP_CONCAT GROUP_REPLICATION HANDLER HASH
  HELP HISTOGRAM HISTORY HOST HOSTS HOUR IDENTIFIED IMPORT INACTIVE INDEXES INITIAL_SIZE INSERT_METHOD INSTALL
  INSTANCE INVISIBLE INVOKER IO IPC ISOLATION ISSUER JSON JSON_ARRAYAGG JSON_OBJECTAGG KEY_BLOCK_SIZE LAST LEAVES
  LESS LEVEL LINESTRING LIST LOCAL LOCKED LOCKS LOGFILE LOGS MASTER MAX MAX_ROWS MAX_SIZE MEDIUM MEMORY MERGE
  MESSAGE_TEXT MICROSECOND MID MIGRATE MIN MINUTE MIN_ROWS MODE MODIFY MONTH MULTILINESTRING MULTIPOINT
  MULTIPOLYGON MUTEX MYSQL_ERRNO NAME NAMES NATIONAL NCHAR NDB NDBCLUSTER NESTED NEVER NEW NEXT NO NODEGROUP NONE NOW
  NOWAIT NO_WAIT NULLS NUMBER NVARCHAR OFF OFFSET OJ OLD ONE ONLY OPEN OPTIONAL OPTIONS ORDINALITY ORGANIZATION
  OTHERS OWNER PACK_KEYS PAGE PARSER PARTIAL PARTITIONING PARTITIONS PASSWORD PATH PERSIST PERSIST_ONLY PHASE PLUGIN
  PLUGINS PLUGIN_DIR POINT POLYGON PORT POSITION PRECEDES PRECEDING PREPARE PRESERVE PREV PRIVILEGES PRIVILEGE_CHECKS_USER
  PROCESS PROCESSLIST PROFILE PROFILES PROXY QUARTER QUERY QUICK RANDOM READ_ONLY REBUILD RECOVER REDO_BUFFER_SIZE
  REDUNDANT REFERENCE RELAY RELAYLOG RELOAD REMOVE REORGANIZE REPAIR REPEATABLE REPLICA REPLICAS REPLICATE_DO_DB
  REPLICATION REQUIRE_ROW_FORMAT RESET RESOURCE RESPECT RESTART RESTORE RESUME RETAIN RETURNED_SQLSTATE RETURNING
  RETURNS REUSE REVERSE ROLE ROLLBACK ROLLUP ROTATE ROUTINE ROW_COUNT ROW_FORMAT RTREE SAVEPOINT SCHEDULE SCHEMA_NAME
  SECOND SECONDARY SECURITY SERIAL SERIALIZABLE SERVER SESSION SESSION_USER SHARE SHARED SHUTDOWN SIGNED SIMPLE SKIP
  SLAVE SLOW SNAPSHOT SOCKET SOME SONAME SOUNDS SOURCE SQL_BUFFER_RESULT SQL_CACHE SQL_NO_CACHE SQL_THREAD STACKED
  START STARTS STATS_AUTO_RECALC STATS_PERSISTENT STATS_SAMPLE_PAGES STATUS STD STDDEV STDDEV_POP STDDEV_SAMP STOP
  STORAGE STREAM STRING SUBCLASS_ORIGIN SUBDATE SUBJECT SUBPARTITION SUBPARTITIONS SUBSTR SUBSTRING SUM SUPER SUSPEND
  SWAPS SWITCHES SYSDATE SYSTEM_USER TABLES TABLESPACE TABLE_CHECKSUM TABLE_NAME TEMPORARY TEMPTABLE TEXT THAN
  THREAD_PRIORITY TIES TIME TIMESTAMP TIMESTAMPADD TIMESTAMPDIFF TLS TRANSACTION TRIGGERS TRIM TRUNCATE TYPE TYPES
  UNBOUNDED UNCOMMITTED UNDEFINED UNDOFILE UNICODE UNINSTALL UNKNOWN UNTIL UPGRADE USER USER_RESOURCES USE_FRM
  VALIDATION VALUE VARIABLES VARIANCE VARCHARACTER VAR_POP VAR_SAMP VCPU VIEW VISIBLE WAIT WARNINGS WEEK
  WEIGHT_STRING WITHOUT WORK WRAPPER X509 XA XID XML YEAR ZONE`
    .split(/\s+/)
    .filter((w) => w.length > 0),
);

/** The SQL functions MySQL's lexer reads as keywords only when '(' follows (COUNT(*), SUM(x)). */
const FUNCTION_KEYWORDS: ReadonlySet<string> = new Set(
  `ADDDATE BIT_AND BIT_OR BIT_XOR CAST COUNT CURDATE CURTIME DATE_ADD DATE_SUB EXTRACT GROUP_CONCAT JSON_ARRAYAGG
  JSON_OBJECTAGG MAX MID MIN NOW POSITION SESSION_USER STD STDDEV STDDEV_POP STDDEV_SAMP SUBDATE SUBSTR SUBSTRING SUM
  SYSDATE SYSTEM_USER TRIM VARIANCE VAR_POP VAR_SAMP`
    .split(/\s+/)
    .filter((w) => w.length > 0),
);

/** Kinds of normalised tokens. */
const enum K {
  WORD, // keyword or identifier, printed as is
  VALUE, // ?
  VALUE_LIST, // ?, ...
  ROW_SINGLE, // (?)
  ROW_MULTI, // (...)
  ROW_SINGLE_LIST, // (?) /* , ... */
  ROW_MULTI_LIST, // (...) /* , ... */
  OPEN, // (
  CLOSE, // )
  COMMA, // ,
  OP, // any other operator
  AT, // @ or @@: no space after
}

interface NTok {
  k: K;
  text: string;
}

const VALUE_TOK: NTok = { k: K.VALUE, text: '?' };
const VALUE_LIST_TOK: NTok = { k: K.VALUE_LIST, text: '?, ...' };
const ROW_SINGLE_TOK: NTok = { k: K.ROW_SINGLE, text: '(?)' };
const ROW_MULTI_TOK: NTok = { k: K.ROW_MULTI, text: '(...)' };
const ROW_SINGLE_LIST_TOK: NTok = { k: K.ROW_SINGLE_LIST, text: '(?) /* , ... */' };
const ROW_MULTI_LIST_TOK: NTok = { k: K.ROW_MULTI_LIST, text: '(...) /* , ... */' };
const OPEN_TOK: NTok = { k: K.OPEN, text: '(' };
const CLOSE_TOK: NTok = { k: K.CLOSE, text: ')' };
const COMMA_TOK: NTok = { k: K.COMMA, text: ',' };

function quoteIdent(name: string): string {
  return '`' + name.replace(/`/g, '``') + '`';
}

/** Whether a '+'/'-' before a value is a sign (what precedes it cannot end an operand). */
function isSignPosition(prev: NTok | undefined): boolean {
  if (prev === undefined) return true;
  switch (prev.k) {
    case K.VALUE:
    case K.VALUE_LIST:
    case K.ROW_SINGLE:
    case K.ROW_MULTI:
    case K.ROW_SINGLE_LIST:
    case K.ROW_MULTI_LIST:
    case K.CLOSE:
      return false;
    case K.WORD:
      // An identifier ends an operand; a keyword (upper-case, unquoted) does not.
      return !prev.text.startsWith('`');
    default:
      return true;
  }
}

/**
 * Push a token onto the normalised stream, applying MySQL's reductions: values merge into value
 * lists, parenthesised values into rows, rows into row lists, and a sign folds into its value.
 * @req CORE-PFS-022
 */
function pushReduced(out: NTok[], t: NTok): void {
  if (t.k === K.VALUE) {
    // A sign before a value is part of the value: `- 1` is `?`.
    const last = out[out.length - 1];
    if (last !== undefined && last.k === K.OP && (last.text === '-' || last.text === '+') && isSignPosition(out[out.length - 2])) out.pop();
    // `?` `,` `?` and `?, ...` `,` `?` become `?, ...`.
    const n = out.length;
    if (n >= 2 && out[n - 1]!.k === K.COMMA && (out[n - 2]!.k === K.VALUE || out[n - 2]!.k === K.VALUE_LIST)) {
      out.length = n - 2;
      out.push(VALUE_LIST_TOK);
      return;
    }
    out.push(VALUE_TOK);
    return;
  }
  if (t.k === K.CLOSE) {
    const n = out.length;
    if (n >= 2 && out[n - 2]!.k === K.OPEN && (out[n - 1]!.k === K.VALUE || out[n - 1]!.k === K.VALUE_LIST)) {
      const row = out[n - 1]!.k === K.VALUE ? ROW_SINGLE_TOK : ROW_MULTI_TOK;
      out.length = n - 2;
      pushRow(out, row);
      return;
    }
  }
  out.push(t);
}

/** A row `(?)` or `(...)` after `row ,` joins the row list. */
function pushRow(out: NTok[], row: NTok): void {
  const n = out.length;
  if (n >= 2 && out[n - 1]!.k === K.COMMA) {
    const before = out[n - 2]!.k;
    const single = row.k === K.ROW_SINGLE;
    if ((single && (before === K.ROW_SINGLE || before === K.ROW_SINGLE_LIST)) || (!single && (before === K.ROW_MULTI || before === K.ROW_MULTI_LIST))) {
      out.length = n - 2;
      out.push(single ? ROW_SINGLE_LIST_TOK : ROW_MULTI_LIST_TOK);
      return;
    }
  }
  out.push(row);
}

/** The normalised token of one lexer token (null: dropped). */
function normalise(tokens: Token[], i: number, out: NTok[]): NTok | null {
  const t = tokens[i]!;
  switch (t.type) {
    case Tok.STRING:
    case Tok.NSTRING:
    case Tok.NUMBER:
    case Tok.HEX:
    case Tok.BIT:
    case Tok.PARAM:
      return VALUE_TOK;
    case Tok.QIDENT:
      return { k: K.WORD, text: quoteIdent(t.value) };
    case Tok.USERVAR:
      return { k: K.WORD, text: '@' + quoteIdent(t.value) };
    case Tok.AT:
      return { k: K.AT, text: '@' };
    case Tok.ATAT:
      return { k: K.AT, text: '@@' };
    case Tok.OP:
      if (t.value === '(') return OPEN_TOK;
      if (t.value === ')') return CLOSE_TOK;
      if (t.value === ',') return COMMA_TOK;
      if (t.value === ';') return null;
      return { k: K.OP, text: t.value };
    case Tok.IDENT: {
      const up = t.upper || t.value.toUpperCase();
      const next = tokens[i + 1];
      // A character set introducer (_utf8mb4'x') belongs to the literal that follows it.
      if (up.startsWith('_') && CHARSET_NAMES.has(up.slice(1).toLowerCase()) && next !== undefined && (next.type === Tok.STRING || next.type === Tok.HEX || next.type === Tok.BIT)) return null;
      if (up === 'NULL') {
        // NULL is a value, except in IS [NOT] NULL, which keeps its meaning.
        const prev = out[out.length - 1];
        return prev !== undefined && prev.k === K.WORD && (prev.text === 'IS' || prev.text === 'NOT') ? { k: K.WORD, text: 'NULL' } : VALUE_TOK;
      }
      if (up === 'TRUE' || up === 'FALSE') return VALUE_TOK;
      const afterAt = out[out.length - 1]?.k === K.AT;
      if (!afterAt && (isReserved(up) || NON_RESERVED_KEYWORDS.has(up))) {
        // A keyword used as a qualified name's part (t.status) is an identifier.
        const prevTok = tokens[i - 1];
        if (!(prevTok !== undefined && prevTok.type === Tok.OP && prevTok.value === '.' && !isReserved(up))) return { k: K.WORD, text: up };
      }
      if (!afterAt && FUNCTION_KEYWORDS.has(up) && next !== undefined && next.type === Tok.OP && next.value === '(' && !next.spaceBefore) return { k: K.WORD, text: up };
      return { k: K.WORD, text: quoteIdent(t.value) };
    }
    default:
      return null;
  }
}

/** Print the normalised stream: one space between tokens, none after `@` / `@@`. */
function print(out: NTok[], maxLength: number): string {
  let s = '';
  for (let i = 0; i < out.length; i++) {
    const t = out[i]!;
    const piece = i === 0 || out[i - 1]!.k === K.AT ? t.text : ' ' + t.text;
    if (s.length + piece.length > maxLength) return s + (s.length > 0 ? ' ...' : '...');
    s += piece;
  }
  return s;
}

/** The normalised statement text (DIGEST_TEXT). @req CORE-PFS-021 CORE-PFS-022 */
export function digestText(sql: string, opts: DigestOptions = {}): string {
  const lexOpts = { ansiQuotes: opts.ansiQuotes === true, noBackslashEscapes: opts.noBackslashEscapes === true, deferErrors: true };
  const tokens = tokenize(sql, lexOpts);
  const out: NTok[] = [];
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i]!.type === Tok.EOF) break;
    const n = normalise(tokens, i, out);
    if (n !== null) pushReduced(out, n);
  }
  return print(out, opts.maxLength ?? DEFAULT_MAX_DIGEST_LENGTH);
}

/** performance_schema_max_digest_length's default. @req CORE-PFS-023 */
export const DEFAULT_MAX_DIGEST_LENGTH = 1024;

/** DIGEST of a normalised text: SHA-256 in hex. @req CORE-PFS-020 */
export function digestHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The digest of a statement (never throws: text the lexer rejects is digested up to the error). */
export function statementDigest(sql: string, opts: DigestOptions = {}): StatementDigest {
  const text = digestText(sql, opts);
  return { text, hash: digestHash(text) };
}
