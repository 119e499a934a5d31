/**
 * Character sets and collations: lookup, comparison, sort keys, lengths and encoding.
 *
 * Collation rules are approximations of MySQL's (see spec/core-types.md, "Collation
 * differences"): utf8mb4_0900_ai_ci uses the platform's root-locale Intl.Collator at base
 * strength for ordering, and an explicit fold (NFD, drop combining marks, full case fold) for
 * equality, so that equality and sort keys always agree.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/charset-collations.html
 * @req CORE-TYPE-010 CORE-TYPE-011 CORE-TYPE-012 CORE-TYPE-013
 */
import { sqlError } from '../errors.js';
import { CHARSETS, COLLATIONS, type CharsetInfo, type CollationInfo } from './collations.js';

export { CHARSETS, COLLATIONS, type CharsetInfo, type CollationInfo };

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

/** Resolve `CHARACTER SET x COLLATE y` pairs; throws 1253 when they do not belong together. */
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
  const pad = co ? co.pad === 'PAD SPACE' : false;
  if (pad) {
    a = trimTrailingSpaces(a);
    b = trimTrailingSpaces(b);
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
 * A key such that two strings have equal keys exactly when compareStrings says they are equal.
 * Used for GROUP BY, DISTINCT and unique-index hashing.
 * @req CORE-TYPE-013
 */
export function sortKey(s: string | Buffer, collation: string = DEFAULT_COLLATION): string {
  if (Buffer.isBuffer(s)) return s.toString('latin1');
  if (collation === 'binary') return Buffer.from(s, 'utf8').toString('latin1');
  const co = byName.get(collation) ?? findCollation(collation);
  const rule = co?.rule ?? 'uca_ai_ci';
  if (co?.pad === 'PAD SPACE') s = trimTrailingSpaces(s);
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
  const rule = (byName.get(collation) ?? findCollation(collation))?.rule ?? 'uca_ai_ci';
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

/** Whether the collation is case/accent-insensitive (LIKE and string functions need it). */
export function isCaseInsensitive(collation: string): boolean {
  const rule = findCollation(collation)?.rule;
  return rule === 'uca_ai_ci' || rule === 'general_ci' || rule === 'ascii_ci' || rule === 'swedish_ci';
}

// ------------------------------------------------------------------------------------------
// Lengths and encoding
// ------------------------------------------------------------------------------------------

/** Number of characters (code points). */
export function charLength(s: string | Buffer): number {
  if (Buffer.isBuffer(s)) return s.length;
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdbff) n++;
  }
  return n;
}

/** cp1252 code points 0x80..0x9F (MySQL's latin1 is cp1252). */
const CP1252_HIGH = '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';
const cp1252Rev = new Map<string, number>();
for (let i = 0; i < 32; i++) cp1252Rev.set(CP1252_HIGH[i]!, 0x80 + i);

/** Encode text in a charset. Unrepresentable characters become '?'. */
export function encode(s: string, charset: string): Buffer {
  const cs = normalizeCharsetName(charset);
  if (cs === 'latin1') {
    const out = Buffer.alloc(s.length);
    let n = 0;
    for (const ch of s) {
      const cp = ch.codePointAt(0)!;
      if (cp < 0x80 || (cp >= 0xa0 && cp <= 0xff)) out[n++] = cp;
      else out[n++] = cp1252Rev.get(ch) ?? 0x3f;
    }
    return out.subarray(0, n);
  }
  if (cs === 'ascii') {
    const out = Buffer.alloc(s.length);
    let n = 0;
    for (const ch of s) {
      const cp = ch.codePointAt(0)!;
      out[n++] = cp < 0x80 ? cp : 0x3f;
    }
    return out.subarray(0, n);
  }
  if (cs === 'utf8mb3') {
    // characters outside the BMP cannot be stored in utf8mb3
    return Buffer.from(s.replace(/[\u{10000}-\u{10ffff}]/gu, '?'), 'utf8');
  }
  return Buffer.from(s, 'utf8');
}

/** Decode bytes of a charset into text. */
export function decode(b: Buffer, charset: string): string {
  const cs = normalizeCharsetName(charset);
  if (cs === 'latin1') {
    let out = '';
    for (const x of b) out += x >= 0x80 && x < 0xa0 ? CP1252_HIGH[x - 0x80] : String.fromCharCode(x);
    return out;
  }
  if (cs === 'ascii') return b.toString('latin1');
  return b.toString('utf8');
}

/** Length in bytes of the text in a charset. */
export function byteLength(s: string | Buffer, charset: string = 'utf8mb4'): number {
  if (Buffer.isBuffer(s)) return s.length;
  const cs = normalizeCharsetName(charset);
  if (cs === 'latin1' || cs === 'ascii' || cs === 'binary') return charLength(s);
  return Buffer.byteLength(s, 'utf8');
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
