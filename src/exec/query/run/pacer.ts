/**
 * Cooperative scheduling of one statement. All sessions share one event loop, so a statement
 * that runs without a break stalls every other connection (and a KILL QUERY sent from another
 * connection cannot even arrive). At each pause the statement checks whether it must stop, and
 * once it has run for {@link EXEC_TIME_SLICE_MS} it gives the event loop a turn.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/kill.html (13.7.8.4)
 * @req CORE-CONC-001 CORE-CONC-003 CORE-CONC-004
 */
import { EXEC_TIME_SLICE_MS } from '../../limits.js';
import type { Session } from '../../session.js';

/** The statement's stop check (StatementControl). */
export interface Checkpoint {
  checkpoint(): void;
}

export class Pacer {
  private sliceStart = performance.now();

  constructor(private readonly control: Checkpoint | null) {}

  /** Throw the error the statement must stop with (1317, 3024), if any. */
  checkpoint(): void {
    this.control?.checkpoint();
  }

  /** Whether the statement has used its time slice. */
  sliceUsed(): boolean {
    return performance.now() - this.sliceStart >= EXEC_TIME_SLICE_MS;
  }

  /** Give the event loop a turn; a new slice starts. @req CORE-CONC-001 */
  async turn(): Promise<void> {
    await new Promise<void>((r) => setImmediate(r));
    this.sliceStart = performance.now();
  }

  /** The statement waited (an engine, SLEEP): other work ran meanwhile. */
  restart(): void {
    this.sliceStart = performance.now();
  }

  /**
   * A pause in a loop that changes rows: stop when told to, and take a turn when the slice is
   * used (null when the loop can go on at once).
   * @req CORE-CONC-003
   */
  tick(): Promise<void> | null {
    this.checkpoint();
    if (!this.sliceUsed()) return null;
    return this.turn().then(() => this.checkpoint());
  }
}

/** The pacer of the session's running statement. */
export function pacerFor(session: Session): Pacer {
  return new Pacer(session.statementControl());
}
