/**
 * The wait-for graph shared by metadata locks and table locks. Every session that owns locks
 * is a node; while it waits, its one pending request is an edge to the sessions it waits for
 * (holders of incompatible locks and incompatible requests queued ahead of it).
 *
 * When a session is about to wait, the detector searches from it for a path back to it. On a
 * cycle it picks the victim with the lowest deadlock weight (a DML statement before DDL); on
 * equal weights the session nearest the start of the search, which is the one whose request
 * closed the cycle. The victim's wait ends with ER_LOCK_DEADLOCK (1213).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/metadata-locking.html (10.11.4)
 * @req CORE-MDL-006
 */
import type { SqlError } from '../../kernel/errors.js';
import { MAX_DEADLOCK_SEARCH_DEPTH } from './limits.js';

/** A session as the lock managers see it. */
export interface LockOwner {
  /** Connection id (diagnostics, performance_schema). */
  readonly id: number;
  /** The request the owner waits for now, if any. */
  readonly waitingFor: WaitEdge | null;
}

/** A pending request: who it waits for, how much its owner would lose, and how to end it. */
export interface WaitEdge {
  readonly weight: number;
  /** A wait for a user-level lock (GET_LOCK): its victim's error is 3058. */
  readonly userLevel?: boolean;
  /** Owners whose locks or earlier requests keep this request waiting. */
  blockers(): Iterable<LockOwner>;
  /** End the wait with an error (deadlock victim); the request leaves its queue. */
  abort(reason: SqlError): void;
}

/**
 * Search for a cycle through `start` and return the victim, or null when there is none.
 * A chain deeper than {@link MAX_DEADLOCK_SEARCH_DEPTH} counts as a deadlock.
 * @req CORE-MDL-006
 */
export function findDeadlockVictim(start: LockOwner): LockOwner | null {
  const path: LockOwner[] = [];
  const explored = new Set<LockOwner>();
  const found = search(start, start, path, explored);
  if (!found) return null;
  // Choose while unwinding, deepest first: a node replaces the current victim when its weight
  // is lower or equal, so on equal weights the node nearest the start wins.
  let victim: LockOwner | null = null;
  for (let i = path.length - 1; i >= 0; i--) {
    const node = path[i]!;
    if (victim === null || weightOf(victim) >= weightOf(node)) victim = node;
  }
  return victim;
}

function weightOf(o: LockOwner): number {
  return o.waitingFor?.weight ?? 0;
}

/** Depth-first search; `path` holds the nodes from `start` to the current one when it returns true. */
function search(node: LockOwner, start: LockOwner, path: LockOwner[], explored: Set<LockOwner>): boolean {
  const edge = node.waitingFor;
  if (!edge) return false;
  path.push(node);
  if (path.length > MAX_DEADLOCK_SEARCH_DEPTH) return true;
  const next: LockOwner[] = [];
  for (const b of edge.blockers()) {
    if (b === start) return true;
    next.push(b);
  }
  for (const b of next) {
    if (explored.has(b) || path.includes(b)) continue;
    if (search(b, start, path, explored)) return true;
    explored.add(b);
  }
  path.pop();
  return false;
}
