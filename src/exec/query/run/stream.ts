/**
 * Drivers of the executor's generators: {@link PipelineStream}, the result of a SELECT (a
 * RowStream the protocol pulls batches from), {@link drive} for statements that consume rows
 * themselves (INSERT ... SELECT, UPDATE and DELETE reading their rows), and the synchronous
 * {@link drainSync} / the pausing {@link materialize} used inside the pipeline.
 *
 * A driver runs the generator synchronously until it has the rows it wants or meets a pause.
 * At a pause it checks whether the statement must stop, awaits the pause's promise if there is
 * one, and gives the event loop a turn when the time slice is used.
 *
 * @spec https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_query_response_text_resultset.html
 * @req CORE-CONC-001 CORE-CONC-003 CORE-CONC-004 CORE-CONC-010
 */
import type { RowStream } from '../../../kernel/row-stream.js';
import type { Row } from '../../../kernel/value.js';
import type { Runtime } from '../../../sql/eval/index.js';
import { Pause, type RowGen } from './pause.js';
import type { Pacer } from './pacer.js';

/** A statement's rows as a stream over its pipeline. @req CORE-CONC-010 */
export class PipelineStream implements RowStream {
  private gen: RowGen | null;
  /** A waiting pause met after rows were already taken: handled at the next call. */
  private held: Pause | null = null;
  /** The slice ran out after rows were taken: the next call starts with a turn. */
  private turnDue = false;
  /** Rows handed out so far. */
  sent = 0;

  constructor(
    gen: RowGen,
    private readonly pacer: Pacer,
    /** Called once when the pipeline has produced its last row (not when closed early). */
    private readonly onEnd?: (sent: number) => void,
  ) {
    this.gen = gen;
  }

  next(out: Row[], max: number): number | Promise<number> {
    if (!this.gen) return 0;
    if (this.held) {
      const p = this.held;
      this.held = null;
      return this.waitThen(p, out, max);
    }
    if (this.turnDue) {
      this.turnDue = false;
      return this.pacer.turn().then(() => this.pull(out, max));
    }
    return this.pull(out, max);
  }

  private pull(out: Row[], max: number): number | Promise<number> {
    const gen = this.gen;
    if (!gen) return 0;
    let n = 0;
    for (;;) {
      let r: IteratorResult<Row | Pause, void>;
      try {
        r = gen.next();
      } catch (e) {
        this.gen = null;
        throw e;
      }
      if (r.done) {
        this.gen = null;
        this.onEnd?.(this.sent);
        return n;
      }
      const v = r.value;
      if (v instanceof Pause) {
        if (v.recheck) this.check();
        if (v.wait) {
          if (n > 0) {
            this.held = v;
            return n;
          }
          return this.waitThen(v, out, max);
        }
        if (this.pacer.sliceUsed()) {
          if (n > 0) {
            this.turnDue = true;
            return n;
          }
          return this.pacer.turn().then(() => this.pull(out, max));
        }
        continue;
      }
      out.push(v);
      this.sent++;
      if (++n >= max) return n;
    }
  }

  private async waitThen(p: Pause, out: Row[], max: number): Promise<number> {
    try {
      p.result = await p.wait;
    } catch (e) {
      this.shut();
      throw e;
    }
    if (!this.gen) return 0;
    if (p.recheck) this.check();
    this.pacer.restart();
    return this.pull(out, max);
  }

  /** Checkpoint; when it throws the pipeline is closed first (its cursors released). */
  private check(): void {
    try {
      this.pacer.checkpoint();
    } catch (e) {
      this.shut();
      throw e;
    }
  }

  private shut(): void {
    const g = this.gen;
    this.gen = null;
    this.held = null;
    if (!g) return;
    try {
      g.return(undefined);
    } catch {
      /* a generator that failed is already closed */
    }
  }

  /** Safe while a `next` promise is pending: the pipeline is closed at its current pause. */
  async close(): Promise<void> {
    this.shut();
  }
}

/**
 * Run a pipeline to its end (or until `each` returns false), handing each row to `each`:
 * pauses are honoured as in {@link PipelineStream}.
 * @req CORE-CONC-001 CORE-CONC-003
 */
export async function drive(gen: RowGen, pacer: Pacer, each: (row: Row) => boolean): Promise<void> {
  try {
    for (;;) {
      const r = gen.next();
      if (r.done) return;
      const v = r.value;
      if (v instanceof Pause) {
        if (v.recheck) pacer.checkpoint();
        if (v.wait) {
          v.result = await v.wait;
          if (v.recheck) pacer.checkpoint();
          pacer.restart();
        } else if (pacer.sliceUsed()) {
          await pacer.turn();
          pacer.checkpoint();
        }
        continue;
      }
      if (!each(v)) return;
    }
  } finally {
    gen.return(undefined);
  }
}

/** Every row of a pipeline, paced. */
export async function collect(gen: RowGen, pacer: Pacer, limit = -1): Promise<Row[]> {
  const rows: Row[] = [];
  if (limit === 0) {
    gen.return(undefined);
    return rows;
  }
  await drive(gen, pacer, (r) => {
    rows.push(r);
    return limit < 0 || rows.length < limit;
  });
  return rows;
}

/**
 * Rows of a pipeline that may not wait (a subquery evaluated inside an expression): its cursors
 * answer synchronously; at its pauses only the stop check runs.
 * @req CORE-CONC-003
 */
export function drainSync(gen: RowGen, rt: Runtime, limit = -1): Row[] {
  const out: Row[] = [];
  if (limit === 0) {
    gen.return(undefined);
    return out;
  }
  try {
    for (;;) {
      const r = gen.next();
      if (r.done) break;
      const v = r.value;
      if (v instanceof Pause) {
        if (v.wait) throw new Error('a pipeline that cannot wait was handed a promise');
        const stop = rt.signal?.reason;
        if (stop) throw stop;
        continue;
      }
      out.push(v);
      if (out.length === limit) break;
    }
  } finally {
    gen.return(undefined);
  }
  return out;
}

/** Inside a pipeline: every row of `gen`, forwarding its pauses (`rows = yield* materialize(g)`). */
export function* materialize(gen: RowGen): Generator<Pause, Row[], undefined> {
  const rows: Row[] = [];
  for (const v of gen) {
    if (v instanceof Pause) yield v;
    else rows.push(v);
  }
  return rows;
}
