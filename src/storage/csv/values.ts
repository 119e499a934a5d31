/**
 * Column values to and from the text of one CSV field. The writer gives each column the text a
 * SELECT would show and says whether the field is quoted: numeric columns (integers, YEAR,
 * DECIMAL, FLOAT, DOUBLE) are written bare, every other column in double quotes, as MySQL's CSV
 * engine decides by the column's type. The reader stores each field into its column the
 * way an assignment does, with warnings checked: a number with a fraction or an exponent in an
 * integer column is rounded (only a note), but text that is not a value of the column (letters
 * after a number, a string longer than its CHAR, a malformed date) or a value out of its range
 * makes the row damaged, so CHECK TABLE reports it and REPAIR TABLE stops there. An ENUM field
 * that names no member reads as the empty member, as MySQL silences that case.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/csv-storage-engine.html (16.4)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/se-csv-repair.html (16.4.1)
 * @req CSV-001 CSV-007 CSV-008 CSV-009 CSV-031
 */
import type { ColumnDef } from '../../kernel/table-def.js';
import { Decimal, Temporal, type TemporalKind, type Value } from '../../kernel/value.js';

/** Why a field is no value of its column: the warning MySQL raises when it stores it. */
export class BadField {
  constructor(readonly problem: 'truncated' | 'range') {}
}

const TRUNCATED = new BadField('truncated');
const OUT_OF_RANGE = new BadField('range');

/** A field as the line codec writes it: its bytes before escaping and whether it is quoted. */
export interface FieldText {
  bytes: Buffer;
  quoted: boolean;
}

/** Integer ranges by type name: [signed min, signed max, unsigned max]. */
const INT_RANGES: Record<string, [bigint, bigint, bigint]> = {
  TINYINT: [-128n, 127n, 255n],
  SMALLINT: [-32768n, 32767n, 65535n],
  MEDIUMINT: [-8388608n, 8388607n, 16777215n],
  INT: [-2147483648n, 2147483647n, 4294967295n],
  BIGINT: [-9223372036854775808n, 9223372036854775807n, 18446744073709551615n],
};

/** Byte limits of the TEXT and BLOB types. */
const LOB_LIMITS: Record<string, number> = {
  TINYTEXT: 255,
  TEXT: 65535,
  MEDIUMTEXT: 16777215,
  LONGTEXT: 4294967295,
  TINYBLOB: 255,
  BLOB: 65535,
  MEDIUMBLOB: 16777215,
  LONGBLOB: 4294967295,
};

const NUMERIC = new Set(['TINYINT', 'SMALLINT', 'MEDIUMINT', 'INT', 'BIGINT', 'YEAR', 'DECIMAL', 'FLOAT', 'DOUBLE']);

/** Whether a column's fields are written bare (numbers) rather than quoted. @req CSV-007 */
export function writesBare(col: ColumnDef): boolean {
  return NUMERIC.has(col.type.name);
}

function numberText(n: number): string {
  // The shortest text that reads back as the same double; MySQL spells exponents without '+'.
  return String(n).replace('e+', 'e');
}

/** The field text of a stored value. @req CSV-007 CSV-008 */
export function valueToField(col: ColumnDef, v: Value): FieldText {
  const quoted = !writesBare(col);
  let bytes: Buffer;
  if (v === null) bytes = Buffer.alloc(0);
  else if (Buffer.isBuffer(v)) bytes = v;
  else if (typeof v === 'number') bytes = Buffer.from(numberText(v), 'utf8');
  else bytes = Buffer.from(String(v), 'utf8');
  return { bytes, quoted };
}

/** Whether `bytes` are well-formed UTF-8 (a decode that loses nothing). */
function utf8(bytes: Buffer): string | undefined {
  const s = bytes.toString('utf8');
  return Buffer.byteLength(s, 'utf8') === bytes.length && Buffer.from(s, 'utf8').equals(bytes) ? s : undefined;
}

const NUMBER_TEXT = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/;

/** Round an exact decimal to `scale` digits, halves away from zero (as MySQL stores numbers). */
function roundTo(d: Decimal, scale: number): bigint {
  if (d.scale <= scale) return d.unscaled * 10n ** BigInt(scale - d.scale);
  const f = 10n ** BigInt(d.scale - scale);
  const neg = d.unscaled < 0n;
  const abs = neg ? -d.unscaled : d.unscaled;
  let q = abs / f;
  if ((abs % f) * 2n >= f) q += 1n;
  return neg ? -q : q;
}

/** Numeric text as an exact decimal; a huge exponent is out of any column's range. */
function numberOf(text: string): Decimal | BadField {
  if (!NUMBER_TEXT.test(text)) return TRUNCATED;
  const exp = /[eE]([+-]?\d+)/.exec(text);
  if (exp && Math.abs(Number(exp[1])) > 400) return Number(exp[1]) > 0 ? OUT_OF_RANGE : new Decimal(0n, 0);
  return Decimal.parse(text) ?? TRUNCATED;
}

function parseInteger(col: ColumnDef, text: string): bigint | BadField {
  const d = numberOf(text);
  if (d instanceof BadField) return d;
  const v = roundTo(d, 0);
  const range = INT_RANGES[col.type.name];
  if (!range) return v;
  const [min, max, umax] = range;
  if (col.type.unsigned) return v >= 0n && v <= umax ? v : OUT_OF_RANGE;
  return v >= min && v <= max ? v : OUT_OF_RANGE;
}

function parseYear(text: string): bigint | BadField {
  const m = /^\s*(\d{1,4})\s*$/.exec(text);
  if (!m) return TRUNCATED;
  const v = BigInt(m[1]!);
  return v === 0n || (v >= 1901n && v <= 2155n) ? v : OUT_OF_RANGE;
}

/** DECIMAL text rounded to the column's scale; more integer digits than the precision allows are out of range. */
function parseDecimal(col: ColumnDef, text: string): Decimal | BadField {
  const d = numberOf(text);
  if (d instanceof BadField) return d;
  const scale = col.type.scale ?? 0;
  const precision = col.type.length ?? 10;
  const unscaled = roundTo(d, scale);
  const abs = unscaled < 0n ? -unscaled : unscaled;
  if (abs >= 10n ** BigInt(precision)) return OUT_OF_RANGE;
  if (col.type.unsigned && unscaled < 0n) return OUT_OF_RANGE;
  return new Decimal(unscaled, scale);
}

function parseFloatText(text: string): number | BadField {
  if (!NUMBER_TEXT.test(text)) return TRUNCATED;
  const n = Number(text.trim());
  return Number.isFinite(n) ? n : OUT_OF_RANGE;
}

function fraction(digits: string | undefined): number {
  return digits ? Number(digits.padEnd(6, '0')) : 0;
}

function parseTemporal(col: ColumnDef, text: string): Temporal | undefined {
  const kind = col.type.name as TemporalKind;
  const fsp = kind === 'DATE' ? 0 : (col.type.scale ?? 0);
  if (kind === 'TIME') {
    const m = /^(-)?(\d{1,3}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?$/.exec(text);
    if (!m) return undefined;
    const [h, mi, s] = [Number(m[2]), Number(m[3]), Number(m[4])];
    if (h > 838 || mi > 59 || s > 59 || (m[5] && m[5].length > fsp && Number(m[5].slice(fsp) || '0') !== 0)) return undefined;
    return new Temporal('TIME', 0, 0, 0, h, mi, s, fraction(m[5]), fsp, m[1] === '-');
  }
  const m = /^(\d{4})-(\d{2})-(\d{2})(?: (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?)?$/.exec(text);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo > 12 || d > 31) return undefined;
  if (kind === 'DATE') {
    if (m[4] !== undefined) return undefined;
    return new Temporal('DATE', y, mo, d, 0, 0, 0, 0, 0);
  }
  if (m[4] === undefined) return new Temporal(kind, y, mo, d, 0, 0, 0, 0, fsp);
  const [h, mi, s] = [Number(m[4]), Number(m[5]), Number(m[6])];
  if (h > 23 || mi > 59 || s > 59) return undefined;
  if (m[7] && m[7].length > fsp && Number(m[7].slice(fsp) || '0') !== 0) return undefined;
  return new Temporal(kind, y, mo, d, h, mi, s, fraction(m[7]), fsp);
}

/**
 * The value a field's (unescaped) bytes give its column, or a {@link BadField} when they are not
 * a value of it: the row is then damaged.
 * @req CSV-009 CSV-031
 */
export function fieldToValue(col: ColumnDef, bytes: Buffer): Value | BadField {
  const t = col.type;
  switch (t.name) {
    case 'TINYINT':
    case 'SMALLINT':
    case 'MEDIUMINT':
    case 'INT':
    case 'BIGINT':
      return parseInteger(col, bytes.toString('latin1'));
    case 'YEAR':
      return parseYear(bytes.toString('latin1'));
    case 'DECIMAL':
      return parseDecimal(col, bytes.toString('latin1'));
    case 'FLOAT':
    case 'DOUBLE':
      return parseFloatText(bytes.toString('latin1'));
    case 'DATE':
    case 'TIME':
    case 'DATETIME':
    case 'TIMESTAMP':
      return parseTemporal(col, bytes.toString('latin1')) ?? TRUNCATED;
    case 'BINARY':
    case 'VARBINARY':
      return bytes.length <= (t.length ?? 1) ? Buffer.from(bytes) : TRUNCATED;
    case 'BIT':
      return bytes.length <= Math.ceil((t.length ?? 1) / 8) ? Buffer.from(bytes) : TRUNCATED;
    case 'TINYBLOB':
    case 'BLOB':
    case 'MEDIUMBLOB':
    case 'LONGBLOB':
    case 'GEOMETRY':
      return bytes.length <= (LOB_LIMITS[t.name] ?? Infinity) ? Buffer.from(bytes) : TRUNCATED;
    default: {
      const s = utf8(bytes);
      if (s === undefined) return TRUNCATED;
      if (t.name === 'CHAR' || t.name === 'VARCHAR') return [...s].length <= (t.length ?? 1) ? s : TRUNCATED;
      if (t.name in LOB_LIMITS) return bytes.length <= LOB_LIMITS[t.name]! ? s : TRUNCATED;
      if (t.name === 'ENUM') {
        // An unknown member reads as the empty member (MySQL does not flag ENUM fields).
        const hit = (t.values ?? []).find((m) => m.toLowerCase() === s.toLowerCase());
        return hit ?? '';
      }
      if (t.name === 'SET') {
        if (s === '') return s;
        const members = (t.values ?? []).map((m) => m.toLowerCase());
        return s.split(',').every((p) => members.includes(p.toLowerCase())) ? s : TRUNCATED;
      }
      return s;
    }
  }
}
