/**
 * The pause protocol of the executor. Every plan node runs as a synchronous generator that
 * yields either a row or a {@link Pause}; a node forwards the pauses of its inputs unchanged, so
 * a pause travels to the top of the pipeline, where the driver (src/exec/query/run/stream.ts)
 * checks whether the statement must stop (KILL QUERY, max_execution_time), awaits the promise
 * the pause carries (a cursor waiting for its engine, SLEEP) and gives other sessions a turn
 * when the statement's time slice is used up. The work between two pauses is synchronous:
 * nothing is awaited per row.
 *
 * Leaves count the rows they examine in the statement's {@link Meter} and pause every
 * `pauseInterval` rows even when nothing comes out (a filter that rejects every row).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/kill.html (13.7.8.4)
 * @req CORE-CONC-001 CORE-CONC-003 CORE-CONC-004
 */
import type { Row } from '../../../kernel/value.js';
import type { RowCursor } from '../../../storage/handler.js';
import { CURSOR_FILL_BATCH, INTERRUPT_CHECK_INTERVAL } from '../../limits.js';

/** A point where the pipeline stops for its driver. */
export class Pause {
  /** The value `wait` resolved to, stored by the driver before it resumes the pipeline. */
  result: unknown = undefined;
  constructor(
    /** What the pipeline waits for (an engine's `fill`, an asynchronous value), or null. */
    readonly wait: Promise<unknown> | null,
    /** Whether the driver checks KILL / max_execution_time after the wait. False only for the
     *  value of a select list that reads no table (`SELECT SLEEP(10)` returns its row when it
     *  is interrupted, as MySQL does). */
    readonly recheck = true,
  ) {}
}

/** The pause without a wait (the common one: allocated once). */
export const PAUSE = new Pause(null);

/** What the executor's generators produce. */
export type Step = Row | Pause;
export type RowGen = Generator<Step, void, undefined>;

/** Rows examined by one statement, and when it pauses next. */
export interface Meter {
  examined: number;
  pauseAt: number;
  /** A table was read by a full scan (the slow log's log_queries_not_using_indexes). @req CORE-LOG-012 */
  fullScan: boolean;
  /** Cursors opened: each counts in `examined` (so lookups that all miss still pause) but is
   *  no row; the slow log's Rows_examined leaves them out. @req CORE-LOG-011 */
  opens: number;
}

/** Tunables of the executor; tests change them (tiny batches, a pause every row, cursors that
 *  answer with promises) to show that results do not depend on them. */
export const execTuning: {
  fillBatch: number;
  pauseInterval: number;
  /** Wraps every cursor the executor opens with canWait (tests: engines that wait). */
  cursorAdapter: ((c: RowCursor) => RowCursor) | null;
} = { fillBatch: CURSOR_FILL_BATCH, pauseInterval: INTERRUPT_CHECK_INTERVAL, cursorAdapter: null };

/** Change the tunables; returns a function that restores the previous values. */
export function setExecTuning(t: Partial<typeof execTuning>): () => void {
  const saved = { ...execTuning };
  Object.assign(execTuning, t);
  return () => {
    Object.assign(execTuning, saved);
  };
}

export function newMeter(): Meter {
  return { examined: 0, pauseAt: execTuning.pauseInterval, fullScan: false, opens: 0 };
}

/**
 * Count one examined row; true when the pipeline should pause now. A pipeline that can wait
 * moves the next pause point on; a synchronous one (a subquery inside an expression) leaves it,
 * so the enclosing pipeline pauses at its next row.
 */
export function meterDue(m: Meter, canWait: boolean): boolean {
  if (++m.examined < m.pauseAt) return false;
  if (canWait) m.pauseAt = m.examined + execTuning.pauseInterval;
  return true;
}
