/**
 * Runtime representation of SQL values, shared by the evaluator, the executor, the engines
 * and the wire protocol.
 *
 * - `null`            SQL NULL
 * - `bigint`          every integer type (TINYINT..BIGINT, signed or unsigned), YEAR, BIT as integer context
 * - `number`          FLOAT and DOUBLE
 * - {@link Decimal}   DECIMAL / NUMERIC and exact-value numeric literals with a fraction
 * - `string`          non-binary strings (CHAR, VARCHAR, TEXT, ENUM, SET as their text), JSON (canonical text)
 * - `Buffer`          binary strings (BINARY, VARBINARY, BLOB, BIT column contents) and `_binary` literals
 * - {@link Temporal}  DATE, TIME, DATETIME, TIMESTAMP
 *
 * Why these choices: bigint keeps BIGINT UNSIGNED exact; a dedicated Decimal keeps
 * DECIMAL(65,30) exact; JS strings make collation-aware comparison straightforward; Buffers
 * keep binary data byte-exact.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/data-types.html
 * @req CORE-TYPE-001
 */

/** Exact decimal: value = unscaled / 10^scale. */
export class Decimal {
  constructor(
    readonly unscaled: bigint,
    readonly scale: number,
  ) {}

  static parse(text: string): Decimal | null {
    const m = /^\s*([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?\s*$/.exec(text);
    if (!m || (m[2] === '' && (m[3] ?? '') === '')) return null;
    const intPart = m[2] || '0';
    let frac = m[3] ?? '';
    let exp = m[4] ? Number(m[4]) : 0;
    let digits = intPart + frac;
    let scale = frac.length - exp;
    if (scale < 0) {
      digits += '0'.repeat(-scale);
      scale = 0;
    }
    exp = 0;
    let unscaled = BigInt(digits);
    if (m[1] === '-') unscaled = -unscaled;
    void exp;
    return new Decimal(unscaled, scale);
  }

  toString(): string {
    const neg = this.unscaled < 0n;
    let s = (neg ? -this.unscaled : this.unscaled).toString();
    if (this.scale > 0) {
      s = s.padStart(this.scale + 1, '0');
      s = s.slice(0, s.length - this.scale) + '.' + s.slice(s.length - this.scale);
    }
    return (neg ? '-' : '') + s;
  }

  toNumber(): number {
    return Number(this.toString());
  }
}

export type TemporalKind = 'DATE' | 'TIME' | 'DATETIME' | 'TIMESTAMP';

/**
 * A temporal value. Fields are stored broken down (no time zone: DATETIME semantics; TIMESTAMP
 * values are held in the session time zone at the boundary and converted to UTC by the engine
 * layer when stored). `fsp` is the fractional-seconds precision (0..6) used when formatting.
 * For TIME, `negative` and an hour value up to 838 are allowed; year/month/day are 0.
 */
export class Temporal {
  constructor(
    readonly kind: TemporalKind,
    readonly year: number,
    readonly month: number,
    readonly day: number,
    readonly hour: number,
    readonly minute: number,
    readonly second: number,
    readonly micro: number,
    readonly fsp: number = 0,
    readonly negative: boolean = false,
  ) {}

  toString(): string {
    const p = (n: number, w = 2) => String(n).padStart(w, '0');
    const frac = this.fsp > 0 ? '.' + p(this.micro, 6).slice(0, this.fsp) : '';
    const date = `${p(this.year, 4)}-${p(this.month)}-${p(this.day)}`;
    const time = `${p(this.hour)}:${p(this.minute)}:${p(this.second)}${frac}`;
    switch (this.kind) {
      case 'DATE':
        return date;
      case 'TIME':
        return (this.negative ? '-' : '') + time;
      default:
        return `${date} ${time}`;
    }
  }
}

export type Value = null | bigint | number | string | Buffer | Decimal | Temporal;

/** A row as stored by engines and passed between operators: one Value per column, in column order. */
export type Row = Value[];
