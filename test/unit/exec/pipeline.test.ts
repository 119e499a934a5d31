/**
 * The executor's pipeline drivers and its top-N sorter, driven directly: pauses, waits, the
 * time slice, closing while a wait is pending, and ORDER BY ... LIMIT holding only what it must.
 */
import { describe, expect, it } from 'vitest';
import { req } from '../../helpers/req.js';
import { sqlError } from '../../../src/kernel/errors.js';
import type { Row } from '../../../src/kernel/value.js';
import { Pause, PAUSE, type RowGen } from '../../../src/exec/query/run/pause.js';
import { Pacer } from '../../../src/exec/query/run/pacer.js';
import { collect, drainSync, PipelineStream } from '../../../src/exec/query/run/stream.js';
import { Sorter } from '../../../src/exec/query/run/sort.js';
import { compareValues } from '../../../src/exec/query/compare.js';
import { AbortableSignal } from '../../../src/kernel/wait-signal.js';
import { compile, fakeRuntime } from '../eval/harness.js';

/** A statement control double: stop() makes the next checkpoint throw 1317. */
function control(): { checkpoint(): void; stop(): void } {
  let stopped = false;
  return {
    checkpoint() {
      if (stopped) throw sqlError('ER_QUERY_INTERRUPTED');
    },
    stop() {
      stopped = true;
    },
  };
}

async function readAll(s: PipelineStream, batch = 7): Promise<Row[]> {
  const out: Row[] = [];
  for (;;) {
    let n = s.next(out, batch);
    if (typeof n !== 'number') n = await n;
    if (n === 0) return out;
  }
}

describe('pipeline drivers', () => {
  it(req('CORE-CONC-002', 'unit', 'rows before and after pauses and waits all arrive, in order; the wait result reaches the generator'), async () => {
    const seen: unknown[] = [];
    function* gen(): RowGen {
      for (let i = 0; i < 20; i++) {
        if (i % 3 === 0) yield PAUSE;
        if (i % 5 === 0) {
          const p = new Pause(Promise.resolve(i * 10));
          yield p;
          seen.push(p.result);
        }
        yield [BigInt(i)];
      }
    }
    const s = new PipelineStream(gen(), new Pacer(control()));
    const rows = await readAll(s);
    expect(rows).toEqual(Array.from({ length: 20 }, (_, i) => [BigInt(i)]));
    expect(seen).toEqual([0, 50, 100, 150]);
    expect(s.sent).toBe(20);
  });

  it(req('CORE-CONC-003', 'unit', 'a stop seen at a pause ends the stream with the error and closes the pipeline'), async () => {
    const c = control();
    let closed = false;
    function* gen(): RowGen {
      try {
        for (let i = 0; ; i++) {
          if (i === 5) c.stop();
          yield PAUSE;
          yield [BigInt(i)];
        }
      } finally {
        closed = true;
      }
    }
    const s = new PipelineStream(gen(), new Pacer(c));
    await expect(readAll(s)).rejects.toMatchObject({ errno: 1317 });
    expect(closed).toBe(true);
    expect(await s.next([], 10)).toBe(0);
  });

  it(req('CORE-CONC-010', 'unit', 'close() while a next() waits: the pipeline is closed at once (its cursors released)'), async () => {
    let closed = false;
    let release!: () => void;
    function* gen(): RowGen {
      try {
        yield [1n];
        yield new Pause(new Promise<void>((r) => (release = r)));
        yield [2n];
      } finally {
        closed = true;
      }
    }
    const s = new PipelineStream(gen(), new Pacer(control()));
    const out: Row[] = [];
    expect(s.next(out, 1)).toBe(1);
    const pending = s.next(out, 10);
    expect(typeof pending).not.toBe('number');
    await s.close();
    expect(closed).toBe(true);
    release();
    expect(await pending).toBe(0);
    expect(out).toEqual([[1n]]);
  });

  it(req('CORE-CONC-001', 'unit', 'a pipeline that runs past its time slice lets the event loop run before it ends'), async () => {
    const events: string[] = [];
    function* gen(): RowGen {
      const end = performance.now() + 50;
      // Busy without output: only pauses (a filter rejecting everything).
      while (performance.now() < end) yield PAUSE;
      yield [1n];
    }
    setImmediate(() => events.push('other work'));
    const rows = await collect(gen(), new Pacer(control()));
    events.push('pipeline done');
    expect(rows).toEqual([[1n]]);
    expect(events).toEqual(['other work', 'pipeline done']);
  });

  it(req('CORE-CONC-003', 'unit', 'a synchronous drain (a subquery) stops at a pause once the statement signal has fired'), () => {
    const signal = new AbortableSignal();
    const rt = fakeRuntime();
    rt.signal = signal;
    function* gen(): RowGen {
      for (let i = 0; ; i++) {
        if (i === 3) signal.abort(sqlError('ER_QUERY_TIMEOUT'));
        yield PAUSE;
        yield [BigInt(i)];
      }
    }
    expect(() => drainSync(gen(), rt)).toThrow(expect.objectContaining({ errno: 3024 }));
    function* three(): RowGen {
      yield [1n];
      yield PAUSE;
      yield [2n];
      yield [3n];
    }
    expect(drainSync(three(), fakeRuntime(), 2)).toEqual([[1n], [2n]]);
  });
});

describe('SLEEP and the statement signal', () => {
  it(req(['CORE-EXPR-091', 'CORE-CONC-003'], 'unit', 'SLEEP wakes as soon as the statement signal fires (before the event loop turns) and returns 1'), async () => {
    const signal = new AbortableSignal();
    const rt = fakeRuntime();
    rt.signal = signal;
    const sleeping = compile('SLEEP(30)').evalAsync!([], rt);
    signal.abort(sqlError('ER_QUERY_INTERRUPTED'));
    const first = await Promise.race([sleeping.then((v) => ({ woke: v })), new Promise((r) => setImmediate(() => r('event loop turned')))]);
    expect(first).toEqual({ woke: 1n });
  });
});

describe('ORDER BY ... LIMIT (top-N)', () => {
  it(req('CORE-CONC-011', 'unit', 'the sorter holds at most offset+count rows and returns what a full stable sort would'), () => {
    let seed = 12345;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (const keep of [0, 1, 5, 100]) {
      const desc = [false, true];
      const s = new Sorter<Row>(keep, desc, [undefined, undefined]);
      const all: { row: Row; key: bigint[] }[] = [];
      let most = 0;
      for (let i = 0; i < 5_000; i++) {
        const key = [BigInt(Math.floor(rnd() * 50)), BigInt(Math.floor(rnd() * 50))];
        const row: Row = [BigInt(i), ...key];
        s.push(row, key);
        all.push({ row, key });
        most = Math.max(most, s.held);
      }
      expect(most).toBeLessThanOrEqual(keep);
      const naive = all
        .map((e, i) => ({ ...e, i }))
        .sort((a, b) => compareValues(a.key[0]!, b.key[0]!) || -compareValues(a.key[1]!, b.key[1]!) || a.i - b.i)
        .slice(0, keep)
        .map((e) => e.row);
      expect(s.result()).toEqual(naive);
    }
  });
});
