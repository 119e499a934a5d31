/**
 * The control of one running statement: the signal that ends its waits, KILL QUERY, and
 * max_execution_time. The executor calls {@link StatementControl.checkpoint} at every
 * cooperative pause (every few hundred rows, and before and after each wait), so a statement
 * stops promptly however it is busy.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/kill.html (13.7.8.4)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/server-system-variables.html#sysvar_max_execution_time
 * @req CORE-CONC-003 CORE-CONC-004
 */
import { sqlError } from '../../kernel/errors.js';
import { AbortableSignal } from '../../kernel/wait-signal.js';

export class StatementControl {
  readonly signal = new AbortableSignal();
  private timer: NodeJS.Timeout | null = null;

  /** KILL QUERY (or the connection going away): the statement ends with 1317. @req CORE-CONC-003 */
  kill(): void {
    this.signal.abort(sqlError('ER_QUERY_INTERRUPTED'));
  }

  /**
   * max_execution_time for a read-only SELECT: after `ms` milliseconds the statement ends with
   * 3024. 0 means no limit.
   * @req CORE-CONC-004
   */
  limitTime(ms: number): void {
    if (!(ms > 0) || this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.signal.abort(sqlError('ER_QUERY_TIMEOUT'));
    }, ms);
    this.timer.unref();
  }

  /** Whether the statement has been told to stop. */
  get stopped(): boolean {
    return this.signal.reason !== null;
  }

  /** Throw the error the statement must stop with, if any. */
  checkpoint(): void {
    const r = this.signal.reason;
    if (r) throw r;
  }

  /** The statement is over: no timer may fire for it any more. */
  finish(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
