/**
 * Prepared statements over the binary protocol: COM_STMT_PREPARE, COM_STMT_EXECUTE (with
 * parameter decoding and binary result rows, optionally into a read-only cursor),
 * COM_STMT_FETCH, COM_STMT_SEND_LONG_DATA, COM_STMT_CLOSE and COM_STMT_RESET.
 *
 * @spec https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_command_phase_ps.html
 * @req CORE-PROTO-030 CORE-PROTO-031 CORE-PROTO-032 CORE-PROTO-033 CORE-PROTO-034
 */
import { ServerStatus, type PreparedStatementInfo, type StatementResult } from '../../kernel/protocol-port.js';
import { sqlError } from '../../kernel/errors.js';
import { MysqlType, type ResultColumn } from '../../kernel/column-type.js';
import type { Row, Value } from '../../kernel/value.js';
import { collectRows } from '../../kernel/row-stream.js';
import { CursorType, DEFAULT_COLLATION_ID } from '../constants.js';
import { PayloadReader, PayloadWriter } from '../packet-codec.js';
import { columnDefinitionPacket } from '../packets.js';
import { binaryRowPacket, longDataValue, readBinaryParam, writeBinaryRow, type ParamType } from './binary-values.js';
import { writeColumns, writeRows } from './query.js';
import { clientCharset, resultCharset } from './result-charset.js';
import type { PreparedState, Wire } from './wire.js';

/** Placeholder metadata when the executor gives none: MySQL describes `?` generically. */
function placeholderColumn(): ResultColumn {
  return { schema: '', table: '', orgTable: '', name: '?', orgName: '', charsetId: DEFAULT_COLLATION_ID, length: 0, type: MysqlType.VAR_STRING, flags: 0, decimals: 0 };
}

function stateOf(w: Wire, id: number): PreparedState {
  let s = w.prepared.get(id);
  if (!s) {
    s = { paramTypes: null, longData: new Map(), cursor: null };
    w.prepared.set(id, s);
  }
  return s;
}

function unknownStatement(id: number, where: string) {
  const s = String(id);
  return sqlError('ER_UNKNOWN_STMT_HANDLER', s.length, s, where);
}

/** @req CORE-PROTO-030 */
export async function handlePrepare(w: Wire, sql: string): Promise<void> {
  w.countQuestion();
  let info: PreparedStatementInfo;
  try {
    info = await w.session.prepare(sql);
  } catch (e) {
    w.sendError(e);
    return;
  }
  stateOf(w, info.id);
  const status = w.session.statusFlags();
  const warnings = w.session.warningCount();
  const ok = new PayloadWriter(12);
  ok.int1(0x00).int4(info.id).int2(info.columns.length).int2(info.paramCount).int1(0).int2(Math.min(warnings, 0xffff));
  w.write(ok.finish());
  if (info.paramCount > 0) {
    for (let i = 0; i < info.paramCount; i++) w.write(columnDefinitionPacket(info.params[i] ?? placeholderColumn()));
    w.sendEndOfMetadata(status, warnings);
  }
  if (info.columns.length > 0) {
    for (const c of info.columns) w.write(columnDefinitionPacket(c));
    w.sendEndOfMetadata(status, warnings);
  }
}

/** Decode the parameter block of COM_STMT_EXECUTE. @req CORE-PROTO-031 */
export function decodeExecuteParams(r: PayloadReader, paramCount: number, state: PreparedState, cs?: string): Value[] {
  const params: Value[] = [];
  if (paramCount === 0) return params;
  const bitmap = r.bytes(Math.floor((paramCount + 7) / 8));
  const newBound = r.atEnd() ? 0 : r.int1();
  if (newBound === 1) {
    const types: ParamType[] = [];
    for (let i = 0; i < paramCount; i++) {
      const type = r.int1();
      const flag = r.int1();
      types.push({ type, unsigned: (flag & 0x80) !== 0 });
    }
    state.paramTypes = types;
  }
  const types = state.paramTypes;
  for (let i = 0; i < paramCount; i++) {
    const isNull = (bitmap[i >> 3]! & (1 << (i & 7))) !== 0;
    const long = state.longData.get(i);
    const t = types?.[i] ?? { type: MysqlType.VAR_STRING, unsigned: false };
    if (long) {
      params.push(longDataValue(Buffer.concat(long), t, cs));
    } else if (isNull) {
      params.push(null);
    } else {
      if (!types) throw sqlError('ER_WRONG_ARGUMENTS', 'mysqld_stmt_execute');
      params.push(readBinaryParam(r, t, cs));
    }
  }
  return params;
}

/** @req CORE-PROTO-031 CORE-PROTO-032 CORE-PROTO-033 */
export async function handleExecute(w: Wire, r: PayloadReader): Promise<void> {
  w.countQuestion();
  const id = r.int4();
  const flags = r.int1();
  r.int4(); // iteration count, always 1
  const info = w.session.preparedInfo(id);
  if (!info) {
    w.sendError(unknownStatement(id, 'mysqld_stmt_execute'));
    return;
  }
  const state = stateOf(w, id);
  state.cursor = null;
  let result: StatementResult;
  try {
    const params = decodeExecuteParams(r, info.paramCount, state, clientCharset(w.session));
    state.longData.clear();
    result = await w.session.executePrepared(id, params);
  } catch (e) {
    state.longData.clear();
    w.sendError(e);
    return;
  }
  // A CALL's result sets (and OUT parameters), each with SERVER_MORE_RESULTS_EXISTS. @req CORE-SP-023
  while (result.kind === 'rows' && result.continuation) {
    const next: (abandon?: boolean) => Promise<StatementResult> = result.continuation;
    const columns = result.columns;
    const flagsOut = ServerStatus.MORE_RESULTS_EXISTS | (result.outParams ? ServerStatus.PS_OUT_PARAMS : 0);
    let sent = false;
    try {
      writeColumns(w, columns, w.session.statusFlags() | flagsOut, w.session.warningCount());
      const writing = writeRows(w, result.rows, (out, row) => writeBinaryRow(out, row, columns));
      if (writing) await writing;
      w.sendEndOfRows(w.session.statusFlags() | flagsOut, w.session.warningCount());
      sent = true;
      result = await next();
    } catch (e) {
      if (!sent) await next(true).catch(() => undefined);
      w.sendError(e);
      return;
    }
  }
  if (result.kind === 'ok') {
    w.sendOk({ affectedRows: result.affectedRows, lastInsertId: result.lastInsertId, ...(result.info !== undefined ? { info: result.info } : {}) });
    return;
  }
  if (flags & CursorType.READ_ONLY) {
    // A cursor reads the whole result now (MySQL materialises it too); rows go out through
    // COM_STMT_FETCH.
    let rows: Row[];
    try {
      rows = await collectRows(result.rows);
    } catch (e) {
      w.sendError(e);
      return;
    }
    w.write(new PayloadWriter(9).lenencInt(result.columns.length).finish());
    for (const c of result.columns) w.write(columnDefinitionPacket(c));
    w.sendEndOfRows(w.session.statusFlags() | ServerStatus.CURSOR_EXISTS, w.session.warningCount());
    state.cursor = { columns: result.columns, rows, pos: 0 };
    return;
  }
  const columns = result.columns;
  // Column definitions and text follow character_set_results. @req CORE-CS-055
  const rc = resultCharset(w.session, columns);
  writeColumns(w, rc.columns, w.session.statusFlags(), w.session.warningCount());
  const enc = rc.encoders;
  const writing = writeRows(w, result.rows, (out, row) => writeBinaryRow(out, row, columns, enc));
  if (writing) await writing;
  w.sendEndOfRows(w.session.statusFlags(), w.session.warningCount());
}

/** @req CORE-PROTO-033 */
export async function handleFetch(w: Wire, r: PayloadReader): Promise<void> {
  const id = r.int4();
  const count = r.int4();
  const state = w.prepared.get(id);
  if (!w.session.preparedInfo(id)) {
    w.sendError(unknownStatement(id, 'mysqld_stmt_fetch'));
    return;
  }
  const cur = state?.cursor;
  if (!state || !cur) {
    w.sendError(sqlError('ER_STMT_HAS_NO_OPEN_CURSOR', id));
    return;
  }
  const end = Math.min(cur.rows.length, cur.pos + count);
  for (; cur.pos < end; cur.pos++) w.write(binaryRowPacket(cur.rows[cur.pos]!, cur.columns));
  let status = w.session.statusFlags() | ServerStatus.CURSOR_EXISTS;
  if (cur.pos >= cur.rows.length) {
    status = (status & ~ServerStatus.CURSOR_EXISTS) | ServerStatus.LAST_ROW_SENT;
    state.cursor = null;
  }
  w.sendEndOfRows(status, w.session.warningCount());
}

/** No response, as in MySQL. @req CORE-PROTO-034 */
export function handleSendLongData(w: Wire, r: PayloadReader): void {
  const id = r.int4();
  const param = r.int2();
  const data = Buffer.from(r.rest());
  const info = w.session.preparedInfo(id);
  if (!info || param >= info.paramCount) return;
  const state = stateOf(w, id);
  const list = state.longData.get(param) ?? [];
  list.push(data);
  state.longData.set(param, list);
}

/** No response. @req CORE-PROTO-034 */
export function handleClose(w: Wire, r: PayloadReader): void {
  const id = r.int4();
  w.prepared.delete(id);
  if (w.session.preparedInfo(id)) w.session.closePrepared(id);
}

/** @req CORE-PROTO-034 */
export function handleReset(w: Wire, r: PayloadReader): void {
  const id = r.int4();
  if (!w.session.preparedInfo(id)) {
    w.sendError(unknownStatement(id, 'mysqld_stmt_reset'));
    return;
  }
  const state = stateOf(w, id);
  state.longData.clear();
  state.cursor = null;
  try {
    w.session.resetPrepared(id);
  } catch (e) {
    w.sendError(e);
    return;
  }
  w.sendOk();
}
