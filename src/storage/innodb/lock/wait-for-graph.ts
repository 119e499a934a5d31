/**
 * Deadlock search on the wait-for graph of InnoDB transactions, and the choice of the victim.
 *
 * Every transaction is a node. A waiting transaction has edges to the transactions that keep
 * its one pending request waiting: holders of incompatible granted locks, and owners of
 * incompatible requests queued ahead of it. When a request is about to wait, the search starts
 * at its transaction and looks for a path back to it; such a cycle can never resolve by itself.
 *
 * The victim is the transaction of the cycle that has changed the fewest rows, since rolling it
 * back throws away the least work. On equal weight the requester goes (it has waited least),
 * and otherwise the first of the lightest in wait order.
 *
 * The search is bounded in depth and in edges visited; a search that hits a bound reports
 * "too deep", which the lock system treats as a deadlock of the requester.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-deadlocks.html (15.7.5)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-deadlock-detection.html (15.7.5.2)
 * @req INNODB-LOCK-105 INNODB-ERR-003
 */
import { MAX_DEADLOCK_SEARCH_DEPTH, MAX_DEADLOCK_SEARCH_STEPS } from './limits.js';

/** The outcome of one search. `cycle[0]` is the start; `cycle[i]` waits for `cycle[i + 1]` and the last waits for the start. */
export type CycleSearch<N> = { readonly kind: 'none' } | { readonly kind: 'cycle'; readonly cycle: readonly N[] } | { readonly kind: 'too-deep' };

export interface SearchBounds {
  readonly maxDepth: number;
  readonly maxSteps: number;
}

const DEFAULT_BOUNDS: SearchBounds = { maxDepth: MAX_DEADLOCK_SEARCH_DEPTH, maxSteps: MAX_DEADLOCK_SEARCH_STEPS };

/**
 * Depth-first search from `start` for a path back to it. `blockersOf(n)` lists the nodes `n`
 * waits for (nothing when it does not wait). A node from which the start was not reachable is
 * not explored again: the graph does not change during one search.
 * @req INNODB-LOCK-105
 */
export function findCycle<N>(start: N, blockersOf: (n: N) => Iterable<N>, bounds: SearchBounds = DEFAULT_BOUNDS): CycleSearch<N> {
  const path: N[] = [start];
  const onPath = new Set<N>([start]);
  const exhausted = new Set<N>();
  // One frame per node on the path: the iterator over its remaining blockers.
  const frames: Iterator<N>[] = [blockersOf(start)[Symbol.iterator]()];
  let steps = 0;
  while (frames.length > 0) {
    const next = frames[frames.length - 1]!.next();
    if (next.done) {
      frames.pop();
      const node = path.pop()!;
      onPath.delete(node);
      exhausted.add(node);
      continue;
    }
    if (++steps > bounds.maxSteps) return { kind: 'too-deep' };
    const b = next.value;
    if (b === start) return { kind: 'cycle', cycle: [...path] };
    if (onPath.has(b) || exhausted.has(b)) continue;
    if (path.length >= bounds.maxDepth) return { kind: 'too-deep' };
    path.push(b);
    onPath.add(b);
    frames.push(blockersOf(b)[Symbol.iterator]());
  }
  return { kind: 'none' };
}

/**
 * The victim of a cycle: the lightest node; on a tie the start (the requester), else the first
 * of the lightest in cycle order. @req INNODB-LOCK-105
 */
export function chooseVictim<N>(cycle: readonly N[], weight: (n: N) => number): N {
  let victim = cycle[0]!;
  let least = weight(victim);
  for (let i = 1; i < cycle.length; i++) {
    const w = weight(cycle[i]!);
    if (w < least) {
      least = w;
      victim = cycle[i]!;
    }
  }
  return victim;
}
