/**
 * COM_QUERY: run SQL text and answer with OK packets or text result sets; with several
 * statements, every result but the last carries SERVER_MORE_RESULTS_EXISTS.
 *
 * @spec https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_query.html
 * @spec https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_query_response_text_resultset.html
 * @spec https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_multi_resultset.html
 * @req CORE-PROTO-012 CORE-PROTO-013
 */
import { ServerStatus, type StatementResult } from '../../kernel/protocol-port.js';
import { isRowStream, listStream, type ResultRows, type RowStream } from '../../kernel/row-stream.js';
import type { Row } from '../../kernel/value.js';
import type { ResultColumn } from '../../kernel/column-type.js';
import { PayloadWriter } from '../packet-codec.js';
import { columnDefinitionPacket } from '../packets.js';
import { writeTextRow } from './binary-values.js';
import { resultCharset } from './result-charset.js';
import type { Wire } from './wire.js';

/** Flush to the socket once this many bytes are queued, so big results stream. */
const FLUSH_THRESHOLD = 256 * 1024;

/** Rows asked of the statement at a time. */
const ROW_BATCH = 256;

/** Column count + definitions + (EOF). @req CORE-PROTO-011 */
export function writeColumns(w: Wire, columns: readonly ResultColumn[], status: number, warnings: number): void {
  w.write(new PayloadWriter(9).lenencInt(columns.length).finish());
  for (const c of columns) w.write(columnDefinitionPacket(c));
  w.sendEndOfMetadata(status, warnings);
}

/**
 * Send every row of a result, encoding each with `encode`, as the statement produces them. The
 * socket's back-pressure paces the statement: a slow reader (`mariadb --quick`) slows the
 * producer instead of the server queueing the result. When the client is gone the statement is
 * closed, which ends it and releases what it holds.
 * @req CORE-CONC-010
 */
export function writeRows(w: Wire, rows: ResultRows, encode: RowEncoder): void | Promise<void> {
  const stream = isRowStream(rows) ? rows : listStream(rows);
  const batch: Row[] = [];
  let queued = 0;
  // Rows the statement has at hand are written without a turn of the event loop (a short
  // result is sent whole in the same turn); the first wait or flush moves on to writeRowsFrom.
  for (;;) {
    if (batch.length !== 0) batch.length = 0;
    const n = stream.next(batch, ROW_BATCH);
    if (typeof n !== 'number') return writeRowsFrom(w, stream, encode, batch, n, queued);
    if (n === 0) return;
    queued += writeBatch(w, batch, encode);
    if (queued >= FLUSH_THRESHOLD) return writeRowsFrom(w, stream, encode, batch, null, queued);
  }
}

/** Writes one row's fields into a packet of the reply. */
export type RowEncoder = (out: PayloadWriter, row: Row) => void;

/** Encode and queue a batch of rows, each straight into the reply; returns the bytes queued. CORE-PERF-045 */
function writeBatch(w: Wire, batch: readonly Row[], encode: RowEncoder): number {
  const before = w.pendingBytes;
  for (const row of batch) {
    const out = w.beginPacket();
    try {
      encode(out, row);
    } catch (e) {
      w.abortPacket();
      throw e;
    }
    w.endPacket();
  }
  return w.pendingBytes - before;
}

/** {@link writeRows} from a pending batch (`pending`) or a due flush (`queued` bytes). */
async function writeRowsFrom(
  w: Wire,
  stream: RowStream,
  encode: RowEncoder,
  batch: Row[],
  pending: Promise<number> | null,
  queued: number,
): Promise<void> {
  for (;;) {
    if (queued >= FLUSH_THRESHOLD) {
      await w.flush();
      queued = 0;
      if (w.gone) {
        await stream.close();
        return;
      }
    }
    let n: number | Promise<number>;
    if (pending) {
      n = await pending;
      pending = null;
    } else {
      if (batch.length !== 0) batch.length = 0;
      n = stream.next(batch, ROW_BATCH);
      if (typeof n !== 'number') n = await n;
    }
    if (n === 0) return;
    queued += writeBatch(w, batch, encode);
  }
}

/**
 * Send one statement result as OK or a text result set. The final status and warning count are
 * read when the rows are done, since the statement ends with its rows.
 * @req CORE-PROTO-012
 */
export async function writeTextResult(w: Wire, r: StatementResult): Promise<void> {
  const more = r.moreResults ? ServerStatus.MORE_RESULTS_EXISTS : 0;
  if (r.kind === 'ok') {
    w.sendOk({ affectedRows: r.affectedRows, lastInsertId: r.lastInsertId, ...(r.info !== undefined ? { info: r.info } : {}), status: w.session.statusFlags() | more, warnings: w.session.warningCount() });
    return;
  }
  // Column definitions and text follow character_set_results. @req CORE-CS-055
  const rc = resultCharset(w.session, r.columns);
  writeColumns(w, rc.columns, w.session.statusFlags() | more, w.session.warningCount());
  const enc = rc.encoders;
  const columns = r.columns;
  const writing = writeRows(w, r.rows, (out, row) => writeTextRow(out, row, columns, enc));
  if (writing) await writing;
  w.sendEndOfRows(w.session.statusFlags() | more, w.session.warningCount());
}

/**
 * Run COM_QUERY: each statement's result is sent in full before the next statement runs; every
 * result but the last carries SERVER_MORE_RESULTS_EXISTS. An error ends the sequence with an ERR
 * packet (also in the middle of a result's rows, as MySQL does).
 * @req CORE-PROTO-012 CORE-PROTO-013
 */
export async function handleQuery(w: Wire, sql: string): Promise<void> {
  w.countQuestion();
  let any = false;
  try {
    // Bounded by the number of statements the session yields.
    for await (const r of w.session.query(sql, { multiStatements: w.multiStatements })) {
      any = true;
      await writeTextResult(w, r);
    }
  } catch (e) {
    w.sendError(e);
    return;
  }
  if (!any) w.sendOk();
}
