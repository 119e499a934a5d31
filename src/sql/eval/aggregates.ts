/**
 * Aggregate accumulators (being filled in).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/aggregate-functions.html
 * @req CORE-EXPR-080
 */
import type { AggregateCall } from '../ast.js';
import { sqlError } from '../errors.js';
import type { Value } from '../types/value.js';
import type { ExprType, Runtime } from './types.js';

export interface Aggregate {
  add(values: Value[]): void;
  result(): Value;
  type: ExprType;
  /** Reset to the empty state (for the next group), keeping the compiled configuration. */
  reset(): void;
}

export function createAggregate(call: AggregateCall, _argTypes: ExprType[], _rt: Runtime): Aggregate {
  throw sqlError('ER_NOT_SUPPORTED_YET', call.name);
}
