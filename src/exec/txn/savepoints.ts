/**
 * The savepoints of a session's transaction, oldest first. Each remembers which participants
 * the transaction had when it was set: ROLLBACK TO SAVEPOINT returns those to the savepoint and
 * rolls back wholly any engine that joined later (it had no work before the savepoint), as
 * MySQL does. Names compare case-insensitively; setting an existing name moves it to the end.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/savepoint.html (15.3.4)
 * @req CORE-TXN-010 CORE-TXN-011
 */
import type { Participant } from './participants.js';

export interface Savepoint {
  readonly name: string;
  /** The participants the transaction had when the savepoint was set. */
  readonly participants: ReadonlySet<Participant>;
}

export class SavepointList {
  private list: Savepoint[] = [];

  get length(): number {
    return this.list.length;
  }

  /** Position of the savepoint `name`, or -1. */
  find(name: string): number {
    const lower = name.toLowerCase();
    for (let i = this.list.length - 1; i >= 0; i--) if (this.list[i]!.name.toLowerCase() === lower) return i;
    return -1;
  }

  at(i: number): Savepoint {
    return this.list[i]!;
  }

  /** Add a savepoint at the end; the one it replaces (same name), if any, is returned. */
  set(name: string, participants: Iterable<Participant>): Savepoint | undefined {
    const i = this.find(name);
    const old = i >= 0 ? this.list.splice(i, 1)[0] : undefined;
    this.list.push({ name, participants: new Set(participants) });
    return old;
  }

  /** Keep the savepoints up to and including position i (ROLLBACK TO). */
  keepThrough(i: number): void {
    this.list.length = i + 1;
  }

  /** Drop the savepoint at position i and every later one (RELEASE). */
  dropFrom(i: number): void {
    this.list.length = i;
  }

  clear(): void {
    this.list = [];
  }
}
