/**
 * Value helpers of the executor: the truth of a condition's value, LIMIT operands, and keys
 * converted to the class an index stores.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/select.html
 * @req CORE-EXEC-030 CORE-EXEC-032
 */
import type { CompiledExpr, ExprType, Runtime } from '../../../sql/eval/index.js';
import { Decimal, Temporal, type Value } from '../../../kernel/value.js';

/** Whether a condition's value selects the row (NULL and zero do not). */
export function truthy(v: Value): boolean {
  if (v === null) return false;
  if (typeof v === 'bigint') return v !== 0n;
  if (typeof v === 'number') return v !== 0;
  if (v instanceof Decimal) return v.unscaled !== 0n;
  if (typeof v === 'string') {
    const n = parseFloat(v);
    return Number.isFinite(n) && n !== 0;
  }
  if (Buffer.isBuffer(v)) {
    const n = parseFloat(v.toString('latin1'));
    return Number.isFinite(n) && n !== 0;
  }
  if (v instanceof Temporal) return true;
  return false;
}

/** Evaluate a LIMIT/OFFSET operand (literal, `?` or a variable); -1 when absent. */
export function limitValue(c: CompiledExpr | null, rt: Runtime): number {
  if (!c) return -1;
  const v = c.eval([], rt);
  if (v === null) return 0;
  const n = typeof v === 'bigint' ? v : typeof v === 'number' ? BigInt(Math.trunc(v)) : BigInt(Math.trunc(Number(String(v)) || 0));
  if (n < 0n) return 0;
  return n > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(n);
}

/** Convert a key value to the class an index on `t` stores, or undefined when no row can match. */
export function keyValueFor(v: Value, t: ExprType): Value | undefined {
  if (v === null) return null;
  switch (t.kind) {
    case 'int':
      if (typeof v === 'bigint') return v;
      if (typeof v === 'number') return Number.isInteger(v) ? BigInt(v) : undefined;
      if (v instanceof Decimal) return v.scale === 0 ? v.unscaled : undefined;
      if (typeof v === 'string' && /^\s*[+-]?\d+\s*$/.test(v)) return BigInt(v.trim());
      return undefined;
    case 'string':
      if (t.binary) return Buffer.isBuffer(v) ? v : typeof v === 'string' ? Buffer.from(v, 'utf8') : undefined;
      if (typeof v === 'string') return v;
      if (typeof v === 'bigint') return v.toString();
      return undefined;
    case 'decimal':
      if (v instanceof Decimal) return v;
      if (typeof v === 'bigint') return new Decimal(v, 0);
      return undefined;
    case 'temporal':
      return v instanceof Temporal && v.kind === t.temporal ? v : undefined;
    default:
      return undefined;
  }
}
