/**
 * The last stage of a query block or set operation: DISTINCT (a set of the rows seen so far),
 * ORDER BY (a sorter that keeps at most offset+count rows under a LIMIT), OFFSET and LIMIT.
 * Without ORDER BY rows pass straight through, and once the LIMIT is reached the producer may
 * stop (unless SQL_CALC_FOUND_ROWS needs the full count). Rows that arrive in the ORDER BY's
 * order with possible ties (plan/order.ts) are still sorted, and the producer may stop at the
 * first row that sorts after every row the LIMIT keeps.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/limit-optimization.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/information-functions.html#function_found-rows
 * @req CORE-EXEC-034 CORE-EXEC-035 CORE-EXEC-039 CORE-CONC-010 CORE-CONC-011 INNODB-LOCK-309
 */
import type { Row, Value } from '../../../kernel/value.js';
import type { Runtime } from '../../../sql/eval/index.js';
import { tupleKey } from '../compare.js';
import type { LimitPlan, OrderPlan } from '../plan/types.js';
import { meterDue, PAUSE, type Meter, type RowGen } from './pause.js';
import { Sorter } from './sort.js';
import { limitValue } from './values.js';

/** OFFSET and LIMIT of one execution (count -1: no LIMIT). */
export function limitsOf(limit: LimitPlan | null, rt: Runtime): { offset: number; count: number } {
  if (!limit) return { offset: 0, count: -1 };
  return { offset: limit.offset ? limitValue(limit.offset, rt) : 0, count: limitValue(limit.count, rt) };
}

export class OutputStage {
  /** Rows that passed DISTINCT, before OFFSET/LIMIT (FOUND_ROWS()). */
  found = 0;
  /** Nothing more can come out and nothing needs counting: the producer may stop. */
  done = false;
  private skip: number;
  private left: number;
  private readonly sorter: Sorter | null;
  private readonly seen: Set<string> | null;

  constructor(
    private readonly offset: number,
    count: number,
    order: Pick<OrderPlan, 'desc' | 'collations'> | null,
    private readonly calcFound: boolean,
    /** Collations of the row's columns for DISTINCT, or null. */
    private readonly distinct: readonly (string | undefined)[] | null,
    /** Rows arrive in the order of the first `given` sort keys (an index read, plan/order.ts):
     *  once the sorter holds offset+count rows, a row that sorts after all of them on those keys
     *  ends the input, since every later row does too. 0: the input has no order. */
    private readonly given = 0,
  ) {
    this.skip = offset;
    this.left = count;
    this.sorter = order ? new Sorter(count < 0 ? -1 : offset + count, order.desc, order.collations) : null;
    this.seen = distinct ? new Set() : null;
    if (count === 0 && !calcFound) this.done = true;
  }

  /** Whether rows need a sort key. */
  get ordered(): boolean {
    return this.sorter !== null;
  }

  /** Rows the sorter holds now. */
  get held(): number {
    return this.sorter?.held ?? 0;
  }

  /** Take a row (with its sort key when ordered): the row to send now, or null. */
  accept(o: Row, key: Value[] | null): Row | null {
    if (this.seen) {
      const k = tupleKey(o, this.distinct!);
      if (this.seen.has(k)) return null;
      this.seen.add(k);
    }
    this.found++;
    if (this.sorter) {
      // @req INNODB-LOCK-309
      if (this.given > 0 && !this.calcFound && this.sorter.full && this.sorter.sortsAfterKept(key!, this.given)) {
        this.done = true;
        return null;
      }
      this.sorter.push(o, key!);
      return null;
    }
    if (this.skip > 0) {
      this.skip--;
      return null;
    }
    if (this.left === 0) return null;
    if (this.left > 0 && --this.left === 0 && !this.calcFound) this.done = true;
    return o;
  }

  /** The sorted rows, after OFFSET (nothing when unordered: those rows went out already);
   *  a long sorted output still pauses. */
  *finish(meter: Meter, canWait: boolean): RowGen {
    if (!this.sorter) return;
    const rows = this.sorter.result();
    for (let i = this.offset; i < rows.length; i++) {
      if (meterDue(meter, canWait)) yield PAUSE;
      yield rows[i]!;
    }
  }
}
