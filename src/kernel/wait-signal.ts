/**
 * Cancellation of a wait. A statement may wait for a metadata lock, a table lock, a row lock, a
 * page read or a group-commit sync; KILL QUERY, KILL CONNECTION, max_execution_time and the
 * lock timeouts end such a wait by firing the statement's signal with the error the statement
 * then fails with (1317, 3024, 1205, ...). Waiters register a callback and remove it when their
 * wait ends on its own.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/kill.html (13.7.8.4)
 * @req CORE-CONC-003
 */
import type { SqlError } from './errors.js';

export interface WaitSignal {
  /** The error that ended the statement's waits, or null while it may go on. */
  readonly reason: SqlError | null;
  /** Call `f` once when the signal fires (at once if it already has); returns a function that
   *  unregisters `f`. */
  onAbort(f: (reason: SqlError) => void): () => void;
}

/** A signal that never fires (server-internal work such as startup and recovery). */
export const NEVER_ABORTED: WaitSignal = {
  reason: null,
  onAbort: () => () => undefined,
};

/** A signal that fires when told to; the executor owns one per statement. */
export class AbortableSignal implements WaitSignal {
  reason: SqlError | null = null;
  private listeners: ((reason: SqlError) => void)[] | null = null;

  onAbort(f: (reason: SqlError) => void): () => void {
    if (this.reason) {
      f(this.reason);
      return () => undefined;
    }
    (this.listeners ??= []).push(f);
    return () => {
      const l = this.listeners;
      if (!l) return;
      const i = l.indexOf(f);
      if (i >= 0) l.splice(i, 1);
    };
  }

  /** Fire with `reason`; a signal fires once (the first reason wins). */
  abort(reason: SqlError): void {
    if (this.reason) return;
    this.reason = reason;
    const l = this.listeners;
    this.listeners = null;
    if (l) for (const f of l) f(reason);
  }
}
