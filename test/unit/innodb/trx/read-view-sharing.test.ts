/**
 * Read views shared between transactions without an id (trx/trx-sys.ts): under any sequence of
 * id assignments, registrations, commits, rollbacks, view openings and closings, every view
 * handed out answers `sees` exactly as a view built from scratch at that moment would, the
 * monitor's count of open views equals the number of views held, and the purge horizon ignores
 * a shared view nobody holds.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { req } from '../../../helpers/req.js';
import { ReadView } from '../../../../src/storage/innodb/trx/read-view.js';
import { TrxSys } from '../../../../src/storage/innodb/trx/trx-sys.js';

/** A view built from the transaction system's state, as openView did before views were shared. */
function freshView(sys: TrxSys, creator: bigint): ReadView {
  let up = sys.nextTrxId;
  const ids = new Set<bigint>();
  for (const id of sys.active.keys()) {
    if (id === creator) continue;
    ids.add(id);
    if (id < up) up = id;
  }
  return new ReadView(creator, sys.nextTrxId, up, ids, sys.commitSeq);
}

type Op =
  | { kind: 'start' }
  | { kind: 'end'; pick: number; commit: boolean }
  | { kind: 'open'; withId: boolean; pick: number }
  | { kind: 'close'; pick: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('start' as const) }),
  fc.record({ kind: fc.constant('end' as const), pick: fc.nat(), commit: fc.boolean() }),
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('open' as const), withId: fc.boolean(), pick: fc.nat() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('close' as const), pick: fc.nat() }) },
);

describe('shared read views', () => {
  it(req(['CORE-PERF-034'], 'unit', 'a view handed out sees exactly what a newly built view would; open views are counted per holder'), () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 80 }), (ops) => {
        const sys = new TrxSys();
        const active: { id: bigint }[] = [];
        const held: { view: ReadView; expect: ReadView }[] = [];
        for (const op of ops) {
          if (op.kind === 'start') {
            const t = { id: sys.allocateId() };
            sys.register(t);
            active.push(t);
          } else if (op.kind === 'end' && active.length > 0) {
            const [t] = active.splice(op.pick % active.length, 1);
            if (op.commit) sys.nextCommitSeq();
            sys.unregister(t!);
          } else if (op.kind === 'open') {
            const creator = op.withId && active.length > 0 ? active[op.pick % active.length]!.id : 0n;
            const expectView = freshView(sys, creator);
            held.push({ view: sys.openView(creator), expect: expectView });
          } else if (op.kind === 'close' && held.length > 0) {
            const [h] = held.splice(op.pick % held.length, 1);
            sys.closeView(h!.view);
          }
          expect(sys.openViews).toBe(held.length);
          for (const h of held) {
            expect(h.view.lowLimit).toBe(h.expect.lowLimit);
            expect(h.view.upLimit).toBe(h.expect.upLimit);
            expect(h.view.commitSeq).toBe(h.expect.commitSeq);
            for (let id = 0n; id <= sys.nextTrxId + 1n; id++) {
              for (const creator of [0n, ...active.map((t) => t.id)]) expect(h.view.sees(id, creator)).toBe(h.expect.sees(id, creator));
            }
          }
          // The purge horizon: the oldest commit sequence among the views held.
          const horizon = held.reduce((m, h) => Math.min(m, h.view.commitSeq), sys.commitSeq);
          expect(sys.purgeHorizon()).toBe(horizon);
        }
      }),
      { numRuns: 300 },
    );
  });

  it(req(['CORE-PERF-034'], 'unit', 'the view is shared while nothing changes and rebuilt after an id, a registration or a commit'), () => {
    const sys = new TrxSys();
    const v1 = sys.openView(0n);
    const v2 = sys.openView(0n);
    expect(v2).toBe(v1);
    sys.closeView(v1);
    sys.closeView(v2);
    expect(sys.openViews).toBe(0);
    // Nobody holds it: still handed out again while nothing changed.
    expect(sys.openView(0n)).toBe(v1);
    const t = { id: sys.allocateId() };
    const v3 = sys.openView(0n);
    expect(v3).not.toBe(v1);
    sys.register(t);
    const v4 = sys.openView(0n);
    expect(v4).not.toBe(v3);
    expect(v4.sees(t.id, 0n)).toBe(false);
    sys.nextCommitSeq();
    sys.unregister(t);
    const v5 = sys.openView(0n);
    expect(v5).not.toBe(v4);
    expect(v5.sees(t.id, 0n)).toBe(true);
    // A view of a transaction with an id is its own.
    const w = sys.openView(7n);
    expect(w).not.toBe(v5);
    expect(sys.openView(0n)).toBe(v5);
  });
});
