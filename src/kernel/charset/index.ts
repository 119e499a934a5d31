/**
 * Character sets and collations: lookup, comparison, sort keys, lengths and encoding.
 *
 * Collation rules are approximations of MySQL's (see spec/core-types.md, "Collation
 * differences"): utf8mb4_0900_ai_ci uses the platform's root-locale Intl.Collator at base
 * strength for ordering, and an explicit fold (NFD, drop combining marks, full case fold) for
 * equality, so that equality and sort keys always agree.
 *
 * The other charsets' collations compare by weights of their encoded bytes: the single-byte
 * collations through per-byte weight tables, the _bin ones and the east-asian *_ci ones by the
 * bytes themselves (see spec/core-charsets.md for the approximations).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/charset-collations.html
 * @req CORE-TYPE-010 CORE-TYPE-011 CORE-TYPE-012 CORE-TYPE-013 CORE-CS-020 CORE-CS-021 CORE-CS-022 CORE-CS-024 CORE-CS-025 CORE-CS-026
 */
import { sqlError } from '../errors.js';
import { CHARSETS, COLLATIONS, UNICODE_CHARSETS, type CharsetInfo, type CollationInfo, type CollationRule } from './collations.js';
import { byteLengthIn, decodeIn, encodeIn, invalidSequenceAt, isSingleByteCharset } from './codecs.js';
import { SBCS_WEIGHTS } from './sbcs-data.js';

export { CHARSETS, COLLATIONS, UNICODE_CHARSETS, type CharsetInfo, type CollationInfo, type CollationRule };

export const DEFAULT_COLLATION = 'utf8mb4_0900_ai_ci';
export const BINARY_COLLATION_ID = 63;

const byName = new Map<string, CollationInfo>();
const byId = new Map<number, CollationInfo>();
for (const co of COLLATIONS) {
  byName.set(co.name, co);
  byId.set(co.id, co);
}
const charsetByName = new Map<string, CharsetInfo>(CHARSETS.map((cs) => [cs.name, cs]));

/** Normalise the alias `utf8` (= utf8mb3 in 8.0) and case. */
export function normalizeCharsetName(name: string): string {
  const n = name.toLowerCase();
  return n === 'utf8' ? 'utf8mb3' : n;
}

function normalizeCollationName(name: string): string {
  const n = name.toLowerCase();
  return n.startsWith('utf8_') ? 'utf8mb3_' + n.slice(5) : n;
}

/** Look a collation up by name (case-insensitive); undefined when unknown. */
export function findCollation(name: string): CollationInfo | undefined {
  return byName.get(normalizeCollationName(name));
}

/** Look a collation up by name; throws 1273 Unknown collation. @req CORE-TYPE-011 */
export function getCollation(name: string): CollationInfo {
  const co = findCollation(name);
  if (!co) throw sqlError('ER_UNKNOWN_COLLATION', name);
  return co;
}

export function collationById(id: number): CollationInfo | undefined {
  return byId.get(id);
}

export function findCharset(name: string): CharsetInfo | undefined {
  return charsetByName.get(normalizeCharsetName(name));
}

/** Default collation of a charset; throws 1115 Unknown character set. @req CORE-TYPE-010 */
export function defaultCollationFor(charset: string): string {
  const cs = findCharset(charset);
  if (!cs) throw sqlError('ER_UNKNOWN_CHARACTER_SET', charset);
  return cs.defaultCollation;
}

export function charsetOf(collation: string): string {
  return findCollation(collation)?.charset ?? 'utf8mb4';
}

/** Collation id for the wire protocol (255 when unknown). */
export function collationId(collation: string | undefined): number {
  if (!collation) return 255;
  return findCollation(collation)?.id ?? 255;
}

/** Resolve `CHARACTER SET x COLLATE y` pairs; throws 1253 when they do not belong together. @req CORE-CS-030 */
export function resolveCharsetCollation(charset: string | undefined, collation: string | undefined): { charset: string; collation: string } {
  if (collation) {
    const co = getCollation(collation);
    if (charset) {
      const cs = normalizeCharsetName(charset);
      if (!findCharset(cs)) throw sqlError('ER_UNKNOWN_CHARACTER_SET', charset);
      if (co.charset !== cs) throw sqlError('ER_COLLATION_CHARSET_MISMATCH', co.name, cs);
    }
    return { charset: co.charset, collation: co.name };
  }
  const cs = normalizeCharsetName(charset ?? 'utf8mb4');
  return { charset: cs, collation: defaultCollationFor(cs) };
}

// ------------------------------------------------------------------------------------------
// Comparison
// ------------------------------------------------------------------------------------------

const uca = new Intl.Collator('und', { sensitivity: 'base', ignorePunctuation: false });
const ucaCs = new Intl.Collator('und', { sensitivity: 'variant', caseFirst: 'lower' });
const MARKS = /\p{M}/gu;

function trimTrailingSpaces(s: string): string {
  let e = s.length;
  while (e > 0 && s.charCodeAt(e - 1) === 32) e--;
  return e === s.length ? s : s.slice(0, e);
}

/** Accent- and case-insensitive fold used for equality under the UCA *_ai_ci collations. */
function foldAiCi(s: string): string {
  // fast path for plain ASCII
  if (/^[\x00-\x7f]*$/.test(s)) return s.toLowerCase();
  return s.normalize('NFKD').replace(MARKS, '').toUpperCase().toLowerCase();
}

/** Per-character fold of general_ci: one weight per character (no expansions, ß = s). */
function foldGeneralCi(s: string): string {
  if (/^[\x00-\x7f]*$/.test(s)) return s.toUpperCase();
  let out = '';
  for (const ch of s) {
    if (ch === 'ß') {
      out += 'S';
      continue;
    }
    const base = ch.normalize('NFD').replace(MARKS, '');
    const up = base.toUpperCase();
    out += up.length === base.length ? up : base;
  }
  return out;
}

/** Swedish/Finnish rules: Å Ä Æ Ö Ø Ü sort after Z; other accents fold to the base letter. */
function foldSwedishCi(s: string): string {
  let out = '';
  for (const ch of s) {
    const u = ch.toUpperCase();
    if (u === 'Å') out += '\u005b';
    else if (u === 'Ä' || u === 'Æ') out += '\u005c';
    else if (u === 'Ö' || u === 'Ø') out += '\u005d';
    else if (u === 'Ü') out += 'Y';
    else out += foldGeneralCi(ch);
  }
  return out;
}

/**
 * Primary weights of printable ASCII under the root collation at base strength, derived once
 * from the platform collator so the ASCII fast path orders exactly like the slow path.
 */
const ASCII_WEIGHT = (() => {
  const chars: number[] = [];
  for (let c = 0x20; c <= 0x7e; c++) chars.push(c);
  chars.sort((x, y) => uca.compare(String.fromCharCode(x), String.fromCharCode(y)) || x - y);
  const w = new Int32Array(128).fill(-1);
  let rank = 0;
  for (let i = 0; i < chars.length; i++) {
    if (i > 0 && uca.compare(String.fromCharCode(chars[i - 1]!), String.fromCharCode(chars[i]!)) !== 0) rank++;
    w[chars[i]!] = rank + 1;
  }
  return w;
})();

/** utf8mb4_0900_ai_ci fast path for printable ASCII; null when a slow comparison is needed. */
function cmpAsciiAiCi(a: string, b: string): number | null {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i), y = b.charCodeAt(i);
    if (x > 0x7e || y > 0x7e) return null;
    const wx = ASCII_WEIGHT[x]!, wy = ASCII_WEIGHT[y]!;
    if (wx < 0 || wy < 0) return null;
    if (wx !== wy) return wx < wy ? -1 : 1;
  }
  if (a.length === b.length) return 0;
  const rest = a.length > b.length ? a : b;
  for (let i = n; i < rest.length; i++) {
    const c = rest.charCodeAt(i);
    if (c > 0x7e || ASCII_WEIGHT[c]! < 0) return null;
  }
  return a.length < b.length ? -1 : 1;
}

function cmpCodePoints(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) {
      // surrogates (0xD800..0xDFFF) encode code points above 0xFFFF: rank them above BMP chars
      const xs = x >= 0xd800 && x <= 0xdfff ? x + 0x10000 : x;
      const ys = y >= 0xd800 && y <= 0xdfff ? y + 0x10000 : y;
      return xs < ys ? -1 : 1;
    }
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

function cmpBuffers(a: Buffer, b: Buffer): number {
  const r = Buffer.compare(a, b);
  return r < 0 ? -1 : r > 0 ? 1 : 0;
}

/** Per-byte weights of a table collation, as 256 strings (one or two weight characters each). */
const weightTables = new Map<string, readonly string[]>();
function weightTable(name: string): readonly string[] {
  let t = weightTables.get(name);
  if (t) return t;
  const src = SBCS_WEIGHTS[name]!;
  const hex = typeof src === 'string' ? (src.match(/../g) ?? []) : src;
  t = hex.map((h) => String.fromCharCode(...(h.match(/../g) ?? []).map((x) => parseInt(x, 16))));
  weightTables.set(name, t);
  return t;
}

/**
 * Weight key of text under a byte-based collation rule (`table`, `table_cs`, `bytes`, `mb_ci`):
 * a string of char codes 0..255 whose code-unit order is the collation's order.
 * @req CORE-CS-020 CORE-CS-021 CORE-CS-022
 */
function byteWeightKey(s: string, co: CollationInfo): string {
  const cs = co.charset;
  switch (co.rule) {
    case 'table': {
      const w = weightTable(co.name);
      let out = '';
      for (const b of encodeIn(s, cs)) out += w[b];
      return out;
    }
    case 'table_cs': {
      // czech_cs: the charset's general_ci weights first, the bytes break ties (no contractions)
      const w = weightTable(`${cs}_general_ci`);
      const bytes = encodeIn(s, cs);
      let out = '';
      for (const b of bytes) out += w[b];
      return out + '\u0000' + bytes.toString('latin1');
    }
    case 'mb_ci':
      // @req CORE-CS-025 ASCII letters fold, the rest compares by bytes
      return encodeIn(s.replace(/[a-z]+/g, (m) => m.toUpperCase()), cs).toString('latin1');
    default:
      return encodeIn(s, cs).toString('latin1');
  }
}

function isByteRule(rule: CollationRule): boolean {
  return rule === 'table' || rule === 'table_cs' || rule === 'bytes' || rule === 'mb_ci';
}

/**
 * Compare two strings under a collation: -1, 0 or 1. Buffers compare bytewise.
 * @req CORE-TYPE-012
 */
export function compareStrings(a: string | Buffer, b: string | Buffer, collation: string = DEFAULT_COLLATION): number {
  if (Buffer.isBuffer(a) || Buffer.isBuffer(b) || collation === 'binary') {
    const ab = Buffer.isBuffer(a) ? a : Buffer.from(a, 'utf8');
    const bb = Buffer.isBuffer(b) ? b : Buffer.from(b, 'utf8');
    return cmpBuffers(ab, bb);
  }
  const co = byName.get(collation) ?? findCollation(collation);
  const rule = co?.rule ?? 'uca_ai_ci';
  const pad = co ? co.pad === 'PAD SPACE' : false; // @req CORE-CS-024
  if (pad) {
    a = trimTrailingSpaces(a);
    b = trimTrailingSpaces(b);
  }
  if (co && isByteRule(rule)) {
    const ka = byteWeightKey(a, co);
    const kb = byteWeightKey(b, co);
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  }
  switch (rule) {
    case 'uca_ai_ci': {
      const fast = cmpAsciiAiCi(a, b);
      if (fast !== null) return fast;
      const fa = foldAiCi(a);
      const fb = foldAiCi(b);
      if (fa === fb) return 0;
      const r = uca.compare(a, b);
      if (r !== 0) return r < 0 ? -1 : 1;
      return cmpCodePoints(fa, fb);
    }
    case 'uca_as_cs': {
      if (a === b) return 0;
      const r = ucaCs.compare(a, b);
      if (r !== 0) return r < 0 ? -1 : 1;
      return cmpCodePoints(a, b);
    }
    case 'general_ci':
    case 'ascii_ci':
      return cmpCodePoints(foldGeneralCi(a), foldGeneralCi(b));
    case 'swedish_ci':
      return cmpCodePoints(foldSwedishCi(a), foldSwedishCi(b));
    default:
      return cmpCodePoints(a, b);
  }
}

/**
 * {@link compareStrings} for one collation, with the collation looked up once: a sort compares
 * many pairs under the same collation. Under a UCA accent- and case-insensitive NO PAD collation
 * (utf8mb4_0900_ai_ci) printable ASCII is weighed in place. @req CORE-TYPE-012 CORE-PERF-049
 */
export function stringComparator(collation: string = DEFAULT_COLLATION): (a: string, b: string) => number {
  const co = byName.get(collation) ?? findCollation(collation);
  if ((co?.rule ?? 'uca_ai_ci') === 'uca_ai_ci' && co?.pad !== 'PAD SPACE') {
    return (a, b) => cmpAsciiAiCi(a, b) ?? compareStrings(a, b, collation);
  }
  return (a, b) => compareStrings(a, b, collation);
}

/**
 * A key such that two strings have equal keys exactly when compareStrings says they are equal.
 * Used for GROUP BY, DISTINCT and unique-index hashing.
 * @req CORE-TYPE-013 CORE-CS-026
 */
export function sortKey(s: string | Buffer, collation: string = DEFAULT_COLLATION): string {
  if (Buffer.isBuffer(s)) return s.toString('latin1');
  if (collation === 'binary') return Buffer.from(s, 'utf8').toString('latin1');
  const co = byName.get(collation) ?? findCollation(collation);
  const rule = co?.rule ?? 'uca_ai_ci';
  if (co?.pad === 'PAD SPACE') s = trimTrailingSpaces(s);
  if (co && isByteRule(rule)) return byteWeightKey(s, co);
  switch (rule) {
    case 'uca_ai_ci':
      return foldAiCi(s);
    case 'general_ci':
    case 'ascii_ci':
      return foldGeneralCi(s);
    case 'swedish_ci':
      return foldSwedishCi(s);
    default:
      return s;
  }
}

/**
 * Fold a string for pattern matching (LIKE, REGEXP, LOCATE) under a collation: case- and
 * accent-insensitive collations fold, others return the string unchanged. No pad trimming.
 */
export function foldForMatch(s: string, collation: string): string {
  const co = byName.get(collation) ?? findCollation(collation);
  const rule = co?.rule ?? 'uca_ai_ci';
  if (co && (rule === 'table' || rule === 'mb_ci')) return foldByClass(s, co);
  switch (rule) {
    case 'uca_ai_ci':
      return foldAiCi(s);
    case 'general_ci':
    case 'ascii_ci':
      return foldGeneralCi(s).toLowerCase();
    case 'swedish_ci':
      return foldSwedishCi(s);
    default:
      return s;
  }
}

/**
 * Per-character fold of a byte-based collation for pattern matching: each character becomes the
 * first character (lowest byte) of the charset that has the same weight, so the fold keeps one
 * character per character and LIKE's wildcards stay where they are.
 * @req CORE-CS-023
 */
const classReps = new Map<string, Map<string, string>>();
function foldByClass(s: string, co: CollationInfo): string {
  if (co.rule === 'mb_ci') return s.replace(/[a-z]+/g, (m) => m.toUpperCase());
  let reps = classReps.get(co.name);
  if (!reps) {
    reps = new Map();
    const w = weightTable(co.name);
    const firstOfWeight = new Map<string, string>();
    for (let b = 0; b < 256; b++) {
      const ch = decodeIn(Buffer.from([b]), co.charset);
      if (ch === '?' && b !== 0x3f) continue;
      const rep = firstOfWeight.get(w[b]!);
      if (rep === undefined) firstOfWeight.set(w[b]!, ch);
      else if (!reps.has(ch)) reps.set(ch, rep);
    }
    classReps.set(co.name, reps);
  }
  let out = '';
  for (const ch of s) out += reps.get(ch) ?? ch;
  return out;
}

/** Whether the collation is case/accent-insensitive (LIKE and string functions need it). */
export function isCaseInsensitive(collation: string): boolean {
  const co = findCollation(collation);
  const rule = co?.rule;
  if ((rule === 'table' || rule === 'mb_ci') && co) return co.name.endsWith('_ci');
  return rule === 'uca_ai_ci' || rule === 'general_ci' || rule === 'ascii_ci' || rule === 'swedish_ci';
}

// ------------------------------------------------------------------------------------------
// Lengths and encoding
// ------------------------------------------------------------------------------------------

/**
 * Number of characters (code points). A Buffer counts bytes, unless its charset is given: then
 * the characters its bytes decode to in that charset.
 * @req CORE-CS-014
 */
export function charLength(s: string | Buffer, charset?: string): number {
  if (Buffer.isBuffer(s)) {
    if (charset === undefined) return s.length;
    const cs = normalizeCharsetName(charset);
    if (cs === 'binary' || isSingleByteCharset(cs)) return s.length;
    s = decodeIn(s, cs);
  }
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdbff) n++;
  }
  return n;
}

/** Encode text in a charset. Unrepresentable characters become '?'. @req CORE-CS-011 */
export function encode(s: string, charset: string): Buffer {
  return encodeIn(s, normalizeCharsetName(charset));
}

/** Decode bytes of a charset into text; invalid byte sequences become '?'. @req CORE-CS-012 */
export function decode(b: Buffer, charset: string): string {
  return decodeIn(b, normalizeCharsetName(charset));
}

/** Length in bytes of the text in a charset. @req CORE-CS-013 */
export function byteLength(s: string | Buffer, charset: string = 'utf8mb4'): number {
  if (Buffer.isBuffer(s)) return s.length;
  return byteLengthIn(s, normalizeCharsetName(charset));
}

/**
 * Index of the first character (in UTF-16 units) a charset cannot hold, or -1. '?' itself is
 * representable everywhere. Stores use it to report 1366 instead of writing '?'.
 * @req CORE-CS-015
 */
export function unrepresentableAt(s: string, charset: string): number {
  const cs = normalizeCharsetName(charset);
  if (cs === 'utf8mb4' || cs === 'binary' || cs === 'utf16' || cs === 'utf16le' || cs === 'utf32') return -1;
  if (/^[\x00-\x7f]*$/.test(s) && cs !== 'swe7') return -1;
  let i = 0;
  for (const ch of s) {
    if (ch !== '?' && decodeIn(encodeIn(ch, cs), cs) !== ch) return i;
    i += ch.length;
  }
  return -1;
}

/** Byte offset of the first ill-formed sequence of a non-UTF-8 charset's bytes, or -1. @req CORE-CS-015 */
export function invalidBytesAt(b: Buffer, charset: string): number {
  return invalidSequenceAt(b, normalizeCharsetName(charset));
}

/**
 * Whether a charset can be a client character set (character_set_client, SET NAMES): MySQL
 * refuses ucs2, utf16, utf16le and utf32 there, whose bytes are not ASCII-compatible (1231).
 */
export function isClientCharset(charset: string): boolean {
  const cs = normalizeCharsetName(charset);
  return findCharset(cs) !== undefined && cs !== 'ucs2' && cs !== 'utf16' && cs !== 'utf16le' && cs !== 'utf32';
}

/** Whether the charset is one of the Unicode ones (utf8mb3/4, ucs2, utf16, utf16le, utf32). */
export function isUnicodeCharset(charset: string): boolean {
  return UNICODE_CHARSETS.has(normalizeCharsetName(charset));
}

export function maxBytesPerChar(charset: string): number {
  return findCharset(charset)?.maxlen ?? 4;
}

/** Rows for SHOW CHARACTER SET: [Charset, Description, Default collation, Maxlen]. */
export function showCharacterSetRows(): [string, string, string, bigint][] {
  return CHARSETS.map((cs) => [cs.name, cs.description, cs.defaultCollation, BigInt(cs.maxlen)]);
}

/** Rows for SHOW COLLATION: [Collation, Charset, Id, Default, Compiled, Sortlen, Pad_attribute]. */
export function showCollationRows(): [string, string, bigint, string, string, bigint, string][] {
  return [...COLLATIONS]
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .map((co) => [co.name, co.charset, BigInt(co.id), co.isDefault ? 'Yes' : '', co.compiled ? 'Yes' : '', BigInt(co.sortlen), co.pad]);
}
