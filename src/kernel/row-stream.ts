/**
 * Result rows as a stream: the executor produces rows while the protocol sends them, so a
 * SELECT never has to hold its whole result. `next` appends up to `max` rows and returns how
 * many it added (0 at the end); it returns a promise only when the producer must wait (a lock,
 * a page read, its turn on the event loop). The statement that produces the rows ends when the
 * stream does: at its end, at its first error, or when the consumer closes it early.
 *
 * @spec https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_query_response_text_resultset.html
 * @req CORE-CONC-010
 */
import type { Row } from './value.js';

export interface RowStream {
  next(out: Row[], max: number): number | Promise<number>;
  /** Stop early (the client went away, sending failed): the statement ends and releases what
   *  it holds. Idempotent; harmless after the end. */
  close(): Promise<void>;
}

/** Rows of a result: a list already computed, or a stream. */
export type ResultRows = readonly Row[] | RowStream;

export function isRowStream(rows: ResultRows): rows is RowStream {
  return !Array.isArray(rows);
}

/** A stream over a list of rows. */
export function listStream(rows: readonly Row[]): RowStream {
  let pos = 0;
  return {
    next(out, max) {
      const end = Math.min(rows.length, pos + max);
      const n = end - pos;
      for (; pos < end; pos++) out.push(rows[pos]!);
      return n;
    },
    close: async () => {
      pos = rows.length;
    },
  };
}

/** Every row of a result (statements that need the whole result: cursors, INSERT ... SELECT). */
export async function collectRows(rows: ResultRows, batch = 256): Promise<Row[]> {
  if (!isRowStream(rows)) return rows.slice();
  const out: Row[] = [];
  try {
    for (;;) {
      let n = rows.next(out, batch);
      if (typeof n !== 'number') n = await n;
      if (n === 0) return out;
    }
  } catch (e) {
    await rows.close();
    throw e;
  }
}
