/**
 * The wait-for graph search on its own: cycles found in wait order, none where there is none
 * (checked against a brute-force reachability on random graphs), the search bounds, and the
 * choice of the victim.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { req } from '../../../helpers/req.js';
import { chooseVictim, findCycle } from '../../../../src/storage/innodb/lock/wait-for-graph.js';

function graph(edges: Record<string, string[]>): (n: string) => string[] {
  return (n) => edges[n] ?? [];
}

describe('cycle search', () => {
  it(req(['INNODB-LOCK-105'], 'unit', 'returns the cycle through the start in wait order'), () => {
    const g = graph({ a: ['b'], b: ['x', 'c'], x: ['y'], c: ['a'] });
    expect(findCycle('a', g)).toEqual({ kind: 'cycle', cycle: ['a', 'b', 'c'] });
    expect(findCycle('x', g)).toEqual({ kind: 'none' });
  });

  it(req(['INNODB-LOCK-105'], 'unit', 'a cycle that does not pass through the start is not the start\'s deadlock'), () => {
    const g = graph({ s: ['a'], a: ['b'], b: ['a'] });
    expect(findCycle('s', g)).toEqual({ kind: 'none' });
  });

  it(req(['INNODB-LOCK-105'], 'unit', 'a search past its depth or step bound reports too-deep'), () => {
    const chain: Record<string, string[]> = {};
    for (let i = 0; i < 10; i++) chain[`n${i}`] = [`n${i + 1}`];
    expect(findCycle('n0', graph(chain), { maxDepth: 5, maxSteps: 1000 })).toEqual({ kind: 'too-deep' });
    expect(findCycle('n0', graph(chain), { maxDepth: 50, maxSteps: 3 })).toEqual({ kind: 'too-deep' });
    expect(findCycle('n0', graph(chain), { maxDepth: 50, maxSteps: 1000 })).toEqual({ kind: 'none' });
  });

  it(req(['INNODB-LOCK-105'], 'unit', 'finds a cycle exactly when the start is reachable from itself (random graphs)'), () => {
    const arb = fc.array(fc.tuple(fc.integer({ min: 0, max: 7 }), fc.integer({ min: 0, max: 7 })), { maxLength: 20 });
    fc.assert(
      fc.property(arb, fc.integer({ min: 0, max: 7 }), (pairs, start) => {
        const edges = new Map<number, number[]>();
        for (const [from, to] of pairs) if (from !== to) edges.set(from, [...(edges.get(from) ?? []), to]);
        const next = (n: number): number[] => edges.get(n) ?? [];
        // brute force: is `start` reachable from its successors?
        const seen = new Set<number>();
        const todo = [...next(start)];
        let reachable = false;
        while (todo.length > 0) {
          const n = todo.pop()!;
          if (n === start) reachable = true;
          if (seen.has(n)) continue;
          seen.add(n);
          todo.push(...next(n));
        }
        const found = findCycle(start, next);
        expect(found.kind).toBe(reachable ? 'cycle' : 'none');
        if (found.kind === 'cycle') {
          const c = found.cycle;
          expect(c[0]).toBe(start);
          expect(new Set(c).size).toBe(c.length);
          c.forEach((n, i) => expect(next(n)).toContain(c[(i + 1) % c.length]));
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('victim', () => {
  it(req(['INNODB-LOCK-105'], 'unit', 'the lightest; on a tie the start; else the first of the lightest'), () => {
    const w: Record<string, number> = { a: 3, b: 1, c: 1, d: 3 };
    expect(chooseVictim(['a', 'b', 'c'], (n) => w[n]!)).toBe('b');
    expect(chooseVictim(['a', 'd'], (n) => w[n]!)).toBe('a');
    expect(chooseVictim(['d', 'a', 'c'], (n) => w[n]!)).toBe('c');
  });
});
