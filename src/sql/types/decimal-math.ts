/**
 * Exact DECIMAL arithmetic on {@link Decimal} (unscaled bigint + scale), with MySQL's rounding
 * (half away from zero) and result-scale rules.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/precision-math-decimal-characteristics.html
 * @req CORE-TYPE-020
 */
import { Decimal } from '../../kernel/value.js';

const POW10: bigint[] = [1n];
for (let i = 1; i <= 100; i++) POW10.push(POW10[i - 1]! * 10n);
export function pow10(n: number): bigint {
  return n <= 100 ? POW10[n]! : 10n ** BigInt(n);
}

export function rescale(d: Decimal, scale: number): Decimal {
  if (scale === d.scale) return d;
  if (scale > d.scale) return new Decimal(d.unscaled * pow10(scale - d.scale), scale);
  return new Decimal(divRound(d.unscaled, pow10(d.scale - scale)), scale);
}

/** Integer division rounding half away from zero. */
export function divRound(a: bigint, b: bigint): bigint {
  if (b < 0n) { a = -a; b = -b; }
  const q = a / b;
  const r = a % b;
  if (r === 0n) return q;
  if ((r < 0n ? -r : r) * 2n >= b) return a < 0n ? q - 1n : q + 1n;
  return q;
}

/** Truncate to scale (toward zero). */
export function truncateTo(d: Decimal, scale: number): Decimal {
  if (scale >= d.scale) return rescale(d, scale);
  return new Decimal(d.unscaled / pow10(d.scale - scale), scale);
}

export function decAdd(a: Decimal, b: Decimal): Decimal {
  const s = Math.max(a.scale, b.scale);
  return new Decimal(rescale(a, s).unscaled + rescale(b, s).unscaled, s);
}

export function decSub(a: Decimal, b: Decimal): Decimal {
  const s = Math.max(a.scale, b.scale);
  return new Decimal(rescale(a, s).unscaled - rescale(b, s).unscaled, s);
}

export function decMul(a: Decimal, b: Decimal): Decimal {
  return new Decimal(a.unscaled * b.unscaled, Math.min(a.scale + b.scale, 30 + Math.max(0, a.scale + b.scale - 30)));
}

/** a / b with the given result scale; null when b is zero. */
export function decDiv(a: Decimal, b: Decimal, scale: number): Decimal | null {
  if (b.unscaled === 0n) return null;
  // a/b = (ua/10^sa) / (ub/10^sb); result unscaled = ua * 10^(scale + sb - sa) / ub
  const shift = scale + b.scale - a.scale;
  const num = shift >= 0 ? a.unscaled * pow10(shift) : a.unscaled;
  const den = shift >= 0 ? b.unscaled : b.unscaled * pow10(-shift);
  return new Decimal(divRound(num, den), scale);
}

export function decCompare(a: Decimal, b: Decimal): number {
  const s = Math.max(a.scale, b.scale);
  const x = rescale(a, s).unscaled, y = rescale(b, s).unscaled;
  return x < y ? -1 : x > y ? 1 : 0;
}

export function decFromBigInt(v: bigint): Decimal {
  return new Decimal(v, 0);
}

/** Shortest decimal that reads back as the double. */
export function decFromNumber(n: number): Decimal | null {
  if (!Number.isFinite(n)) return null;
  return Decimal.parse(String(n));
}

/** Round half away from zero to an integer. */
export function decToBigInt(d: Decimal): bigint {
  return d.scale === 0 ? d.unscaled : divRound(d.unscaled, pow10(d.scale));
}

/** Number of digits before the decimal point (at least 1). */
export function intDigits(d: Decimal): number {
  const a = d.unscaled < 0n ? -d.unscaled : d.unscaled;
  const s = a.toString();
  return Math.max(1, s.length - d.scale);
}

export function decNeg(d: Decimal): Decimal {
  return new Decimal(-d.unscaled, d.scale);
}

export function decIsZero(d: Decimal): boolean {
  return d.unscaled === 0n;
}

/** Round to `scale` digits (negative scale rounds left of the point) half away from zero. */
export function decRound(d: Decimal, scale: number): Decimal {
  if (scale >= d.scale) return d;
  if (scale >= 0) return rescale(d, scale);
  const r = divRound(d.unscaled, pow10(d.scale - scale)) * pow10(-scale);
  return new Decimal(r, 0);
}

export function decTruncate(d: Decimal, scale: number): Decimal {
  if (scale >= d.scale) return d;
  if (scale >= 0) return truncateTo(d, scale);
  const r = (d.unscaled / pow10(d.scale - scale)) * pow10(-scale);
  return new Decimal(r, 0);
}

/** Largest value of DECIMAL(m, d): 10^m - 1 at scale d. */
export function decMaxFor(precision: number, scale: number): Decimal {
  return new Decimal(pow10(precision) - 1n, scale);
}
