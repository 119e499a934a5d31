/**
 * Collation derivation: which collation an operation over several string operands uses, and when
 * the operands cannot be reconciled (1267 / 1270 / 1271 "Illegal mix of collations").
 *
 * Every string-valued expression carries a collation and a coercibility (derivation): an explicit
 * COLLATE clause (0), a conflict that left no collation (1), a column or stored value (2), a system
 * constant such as USER() (3), a literal (4), a number or temporal value (5), NULL (6). Lower values
 * win. Operands of different character sets are reconciled by converting toward a Unicode
 * superset, toward the side holding an ASCII-only string, or toward the stronger side when the
 * weaker one is a constant; otherwise the mix is illegal. Operands of one character set but of two
 * collations of equal strength give that character set's binary collation with no derivation,
 * which a comparison then refuses.
 *
 * Nothing here names a character set: Unicode coverage is probed through the codecs, so a
 * character set the catalog adds behaves as its repertoire says.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/charset-collation-coercibility.html
 * @req CORE-CS-060 CORE-CS-061 CORE-CS-062 CORE-CS-063 CORE-CS-064
 */
import { DEFAULT_COLLATION, decode, encode, findCollation, charsetOf } from '../../kernel/charset/index.js';
import { sqlError } from '../../kernel/errors.js';
import type { ExprType } from './types.js';

/** MySQL's derivation levels (the values COERCIBILITY() returns). @req CORE-CS-060 */
export const Derivation = {
  EXPLICIT: 0,
  NONE: 1,
  IMPLICIT: 2,
  SYSCONST: 3,
  COERCIBLE: 4,
  NUMERIC: 5,
  IGNORABLE: 6,
} as const;

const DERIVATION_NAMES = ['EXPLICIT', 'NONE', 'IMPLICIT', 'SYSCONST', 'COERCIBLE', 'NUMERIC', 'IGNORABLE'];

/** A collation with its derivation and whether the value is known to hold only ASCII. */
export interface DtCollation {
  collation: string;
  derivation: number;
  ascii: boolean;
}

/** The collation, derivation and repertoire of an expression type. @req CORE-CS-060 */
export function dtOf(t: ExprType): DtCollation {
  if (t.kind === 'null') return { collation: 'binary', derivation: Derivation.IGNORABLE, ascii: true };
  if (t.kind === 'int' || t.kind === 'decimal' || t.kind === 'double' || t.kind === 'temporal') {
    return { collation: t.collation && t.collation !== 'binary' ? t.collation : DEFAULT_COLLATION, derivation: Derivation.NUMERIC, ascii: true };
  }
  if (t.kind === 'json') return { collation: 'utf8mb4_bin', derivation: t.coercibility ?? Derivation.IMPLICIT, ascii: false };
  const collation = t.binary && !t.hexNumber ? 'binary' : t.hexNumber ? 'binary' : t.collation ?? DEFAULT_COLLATION;
  return { collation, derivation: t.coercibility ?? Derivation.COERCIBLE, ascii: t.ascii === true || charsetOfCollation(collation) === 'ascii' };
}

function charsetOfCollation(collation: string): string {
  return collation === 'binary' ? 'binary' : charsetOf(collation);
}

const unicodeCache = new Map<string, { unicode: boolean; supplement: boolean; maxlen: number }>();

/** Probe text for "covers Unicode": letters from several scripts no single-script code page holds. */
const UNICODE_PROBE = 'a\u00e9\u0151\u0416\u05d0\u4e00\u0e01';
const SUPPLEMENT_PROBE = '\u{1F600}';

/** Whether a character set holds all of Unicode (BMP; `supplement` beyond it), by round trip. */
function unicodeInfo(charset: string): { unicode: boolean; supplement: boolean; maxlen: number } {
  let r = unicodeCache.get(charset);
  if (r) return r;
  const trip = (s: string): boolean => {
    try {
      return decode(encode(s, charset), charset) === s;
    } catch {
      return false;
    }
  };
  const unicode = charset !== 'binary' && trip(UNICODE_PROBE);
  const supplement = unicode && trip(SUPPLEMENT_PROBE);
  r = { unicode, supplement, maxlen: supplement ? 4 : 3 };
  unicodeCache.set(charset, r);
  return r;
}

/** Whether a character set can hold every character (a conversion target that loses nothing). */
export function isUnicodeCharset(charset: string): boolean {
  return unicodeInfo(charset).unicode;
}

/** MySQL's "left is a superset of right" test for converting right into left's character set. */
function leftIsSuperset(l: DtCollation, r: DtCollation): boolean {
  const lu = unicodeInfo(charsetOfCollation(l.collation));
  const ru = unicodeInfo(charsetOfCollation(r.collation));
  if (lu.unicode && (l.derivation < r.derivation || (l.derivation === r.derivation && (!ru.unicode || (lu.supplement && !ru.supplement))))) return true;
  // an ASCII-only string converts into any ASCII-compatible character set
  if (r.ascii && (l.derivation < r.derivation || (l.derivation === r.derivation && !l.ascii))) return true;
  return false;
}

function isBinsort(collation: string): boolean {
  return collation === 'binary' || collation.endsWith('_bin');
}

/**
 * Combine `b` into `a` as MySQL does for a comparison or a string result (superset and coercible
 * conversions allowed). Returns the combined collation and false when the mix is illegal.
 */
export function aggregatePair(a: DtCollation, b: DtCollation): { dt: DtCollation; ok: boolean } {
  const ascii = a.ascii && b.ascii;
  const csA = charsetOfCollation(a.collation);
  const csB = charsetOfCollation(b.collation);
  if (csA !== csB) {
    if (csA === 'binary') return { dt: a.derivation <= b.derivation ? { ...a, ascii } : { ...b, ascii }, ok: true };
    if (csB === 'binary') return { dt: b.derivation <= a.derivation ? { ...b, ascii } : { ...a, ascii }, ok: true };
    if (leftIsSuperset(a, b)) return { dt: { ...a, ascii }, ok: true };
    if (leftIsSuperset(b, a)) return { dt: { ...b, ascii }, ok: true };
    if (a.derivation < b.derivation && b.derivation >= Derivation.SYSCONST) return { dt: { ...a, ascii }, ok: true };
    if (b.derivation < a.derivation && a.derivation >= Derivation.SYSCONST) return { dt: { ...b, ascii }, ok: true };
    return { dt: { collation: 'binary', derivation: Derivation.NONE, ascii }, ok: false };
  }
  if (a.derivation < b.derivation) return { dt: { ...a, ascii }, ok: true };
  if (b.derivation < a.derivation) return { dt: { ...b, ascii }, ok: true };
  if (a.collation === b.collation) return { dt: { ...a, ascii }, ok: true };
  if (a.derivation === Derivation.EXPLICIT) return { dt: { collation: a.collation, derivation: Derivation.NONE, ascii }, ok: false };
  if (isBinsort(a.collation)) return { dt: { ...a, ascii }, ok: true };
  if (isBinsort(b.collation)) return { dt: { ...b, ascii }, ok: true };
  // same character set, two collations of equal strength: the binary collation, no derivation
  const bin = findCollation(`${csA}_bin`)?.name ?? a.collation;
  return { dt: { collation: bin, derivation: Derivation.NONE, ascii }, ok: true };
}

/** 1267 / 1270 / 1271 for the operands of `op`. @req CORE-CS-063 */
function mixError(dts: readonly DtCollation[], op: string): Error {
  const n = (d: DtCollation): [string, string] => [d.collation, DERIVATION_NAMES[d.derivation] ?? 'NONE'];
  if (dts.length === 2) return sqlError('ER_CANT_AGGREGATE_2COLLATIONS', ...n(dts[0]!), ...n(dts[1]!), op);
  if (dts.length === 3) return sqlError('ER_CANT_AGGREGATE_3COLLATIONS', ...n(dts[0]!), ...n(dts[1]!), ...n(dts[2]!), op);
  return sqlError('ER_CANT_AGGREGATE_NCOLLATIONS', op);
}

/**
 * The collation an operation over these operands uses. `comparison`: a result with no derivation
 * (two implicit collations of one character set) is refused, as comparisons need one collation.
 * With `op` undefined nothing is thrown: the best-effort result is returned (string functions whose
 * name is not at hand).
 * @req CORE-CS-061 CORE-CS-062 CORE-CS-063
 */
export function aggregateCollations(dts: readonly DtCollation[], opts: { comparison: boolean; op?: string }): DtCollation {
  if (dts.length === 0) return { collation: DEFAULT_COLLATION, derivation: Derivation.COERCIBLE, ascii: true };
  let c = dts[0]!;
  let unknown = false;
  for (let i = 1; i < dts.length; i++) {
    const r = aggregatePair(c, dts[i]!);
    c = r.dt;
    if (!r.ok) {
      if (c.derivation === Derivation.NONE && c.collation === 'binary') {
        unknown = true;
        continue;
      }
      if (opts.op !== undefined) throw mixError(dts, opts.op);
      return { collation: dts[0]!.collation, derivation: Derivation.NONE, ascii: c.ascii };
    }
  }
  if (unknown && c.derivation !== Derivation.EXPLICIT) {
    if (opts.op !== undefined) throw mixError(dts, opts.op);
    return { collation: dts[0]!.collation, derivation: Derivation.NONE, ascii: c.ascii };
  }
  if (opts.comparison && c.derivation === Derivation.NONE && opts.op !== undefined) throw mixError(dts, opts.op);
  return c;
}

/**
 * A constant operand converted into the operation's character set must lose nothing; MySQL
 * refuses the mix otherwise ('ő' against a latin1 column). @req CORE-CS-064
 */
export function checkConstantConversion(value: unknown, from: DtCollation, to: DtCollation, all: readonly DtCollation[], op: string): void {
  if (typeof value !== 'string') return;
  const csFrom = charsetOfCollation(from.collation), csTo = charsetOfCollation(to.collation);
  if (csFrom === csTo || csTo === 'binary') return;
  if (decode(encode(value, csTo), csTo) !== value) throw mixError(all, op);
}
