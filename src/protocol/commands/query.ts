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
import type { ResultColumn } from '../../kernel/column-type.js';
import { PayloadWriter } from '../packet-codec.js';
import { columnDefinitionPacket } from '../packets.js';
import { textRowPacket } from './binary-values.js';
import type { Wire } from './wire.js';

/** Flush to the socket once this many bytes are queued, so big results stream. */
const FLUSH_THRESHOLD = 256 * 1024;

/** Column count + definitions + (EOF). @req CORE-PROTO-011 */
export function writeColumns(w: Wire, columns: readonly ResultColumn[], status: number, warnings: number): void {
  w.write(new PayloadWriter(9).lenencInt(columns.length).finish());
  for (const c of columns) w.write(columnDefinitionPacket(c));
  w.sendEndOfMetadata(status, warnings);
}

/** Send one statement result as OK or a text result set. @req CORE-PROTO-012 */
export async function writeTextResult(w: Wire, r: StatementResult, status: number, warnings: number): Promise<void> {
  if (r.kind === 'ok') {
    w.sendOk({ affectedRows: r.affectedRows, lastInsertId: r.lastInsertId, ...(r.info !== undefined ? { info: r.info } : {}), status, warnings });
    return;
  }
  writeColumns(w, r.columns, status, warnings);
  let queued = 0;
  for (const row of r.rows) {
    const p = textRowPacket(row, r.columns);
    w.write(p);
    queued += p.length;
    if (queued >= FLUSH_THRESHOLD) {
      await w.flush();
      queued = 0;
    }
  }
  w.sendEndOfRows(status, warnings);
}

/**
 * Run COM_QUERY. Each result is sent once we know whether another follows (one-result
 * look-ahead), so the MORE_RESULTS flag is right; status and warnings are captured when the
 * statement finishes, before the next one starts.
 * @req CORE-PROTO-012 CORE-PROTO-013
 */
export async function handleQuery(w: Wire, sql: string): Promise<void> {
  w.countQuestion();
  const it = w.session.query(sql, { multiStatements: w.multiStatements })[Symbol.asyncIterator]();
  let pending: { r: StatementResult; status: number; warnings: number } | null = null;
  try {
    // Bounded by the number of statements the session yields.
    for (;;) {
      const next = await it.next();
      if (next.done) break;
      const snap = { r: next.value, status: w.session.statusFlags(), warnings: w.session.warningCount() };
      if (pending) await writeTextResult(w, pending.r, pending.status | ServerStatus.MORE_RESULTS_EXISTS, pending.warnings);
      pending = snap;
    }
  } catch (e) {
    if (pending) await writeTextResult(w, pending.r, pending.status | ServerStatus.MORE_RESULTS_EXISTS, pending.warnings);
    w.sendError(e);
    return;
  }
  if (pending) await writeTextResult(w, pending.r, pending.status, pending.warnings);
  else w.sendOk();
}
