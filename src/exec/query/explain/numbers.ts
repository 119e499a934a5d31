/**
 * Numbers in EXPLAIN FORMAT=TREE and EXPLAIN ANALYZE as MySQL 8.0.33 and later print them:
 * three significant digits below 1000, up to six digits (no decimals) up to 999999.5,
 * engineering notation outside 0.001 .. 999999.5, no trailing zeros, and 0 below 1e-12. The
 * JSON format's costs are fixed two-decimal strings instead (`"1.25"`).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/explain.html#explain-analyze
 * @req CORE-EXPLAIN-005
 */

function trimZeros(s: string): string {
  return s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
}

/** A number in the iterator tree's form. @req CORE-EXPLAIN-005 */
export function treeNumber(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (n < 0) return '-' + treeNumber(-n);
  if (n < 1e-12) return '0';
  if (n >= 0.001 && n < 999999.5) {
    if (n >= 1000) return String(Math.round(n));
    return trimZeros(Number(n.toPrecision(3)).toFixed(Math.max(0, 2 - Math.floor(Math.log10(Number(n.toPrecision(3)))))));
  }
  // Engineering notation: an exponent that is a multiple of 3, three significant digits.
  let exp = Math.floor(Math.log10(n));
  exp -= ((exp % 3) + 3) % 3;
  let mant = n / 10 ** exp;
  let digits = Number(mant.toPrecision(3));
  if (digits >= 1000) {
    exp += 3;
    mant = n / 10 ** exp;
    digits = Number(mant.toPrecision(3));
  }
  const m = trimZeros(digits.toFixed(Math.max(0, 2 - Math.floor(Math.log10(digits)))));
  return `${m}e${exp < 0 ? '-' : '+'}${Math.abs(exp)}`;
}

/** A cost in the JSON format's form. */
export function jsonCost(n: number): string {
  return n.toFixed(2);
}

/** A byte count in the JSON format's data_read_per_join form (`96`, `16K`, `1M`, `2G`). */
export function jsonBytes(n: number): string {
  const units = ['', 'K', 'M', 'G', 'T'];
  let v = Math.max(0, Math.round(n));
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v = Math.floor(v / 1024);
    u++;
  }
  return `${v}${units[u]}`;
}
