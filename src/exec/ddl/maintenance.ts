/**
 * CHECK / REPAIR / ANALYZE / OPTIMIZE / CHECKSUM TABLE, CACHE INDEX and LOAD INDEX INTO CACHE:
 * one result row per table (or several when there is something to report), as mysqlcheck expects.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/table-maintenance-statements.html
 * @req CORE-DDL-018 ENGINE-CHOOSE-017
 */
import { createHash } from 'node:crypto';
import type { TableMaintenanceStatement } from '../../sql/ast.js';
import { sqlError } from '../../kernel/errors.js';
import { Decimal, Temporal, type Row, type Value } from '../../kernel/value.js';
import { drainSync, type MaintenanceResult } from '../../storage/handler.js';
import type { ExecSession } from '../exec-session.js';
import type { StatementResult } from '../../kernel/protocol-port.js';
import { intCol, rowsResult, textCol } from '../show/result.js';
import { schemaOf } from './common.js';
import type { DdlServices } from './services.js';

function valueBytes(v: Value): string {
  if (v === null) return '\u0000N';
  if (Buffer.isBuffer(v)) return 'b' + v.toString('hex');
  if (v instanceof Decimal || v instanceof Temporal) return v.toString();
  return String(v);
}

/** Order-independent checksum of a table's rows (sum of per-row digests, 32 bits). */
function checksum(rows: Iterable<Row>): bigint {
  let sum = 0n;
  for (const r of rows) {
    const h = createHash('md5').update(r.map(valueBytes).join('\u0001')).digest();
    sum = (sum + BigInt(h.readUInt32BE(0))) & 0xffffffffn;
  }
  return sum;
}

export async function tableMaintenance(services: DdlServices, session: ExecSession, stmt: TableMaintenanceStatement): Promise<StatementResult> {
  const catalog = services.catalog;
  const op = stmt.op.toLowerCase();
  if (stmt.op === 'CHECKSUM') {
    const rows: Row[] = [];
    for (const t of stmt.tables) {
      const schema = schemaOf(session, t);
      const def = catalog.getTable(schema, t.name, session);
      if (!def) {
        rows.push([`${schema}.${t.name}`, null]);
        const e = sqlError('ER_NO_SUCH_TABLE', schema, t.name);
        session.diagnostics.push({ level: 'Error', code: e.errno, message: e.message });
        continue;
      }
      const engine = catalog.engineFor(def);
      const h = await catalog.openHandler(session, def);
      const ctx = session.engineContext(engine.name);
      rows.push([`${def.schema}.${def.name}`, checksum(drainSync(h.scan(ctx, { lock: 'consistent', canWait: false })).map((r) => r.row))]);
    }
    return rowsResult([textCol('Table', 64), intCol('Checksum', true, false)], rows);
  }
  // Only the default key cache exists (named caches need structured system variables).
  if (stmt.op === 'CACHE_INDEX' && stmt.keyCache !== undefined && stmt.keyCache.toLowerCase() !== 'default') {
    throw sqlError('ER_UNKNOWN_KEY_CACHE', stmt.keyCache);
  }
  const rows: Row[] = [];
  for (const [ti, t] of stmt.tables.entries()) {
    const schema = schemaOf(session, t);
    const label = `${schema}.${t.name}`;
    const def = catalog.getTable(schema, t.name, session);
    if (!def) {
      rows.push([label, op, 'Error', `Table '${schema}.${t.name}' doesn't exist`]);
      rows.push([label, op, 'status', 'Operation failed']);
      continue;
    }
    const engine = catalog.engineFor(def);
    const h = await catalog.openHandler(session, def);
    const ctx = session.engineContext(engine.name);
    let results: MaintenanceResult[] | undefined;
    if (stmt.op === 'CACHE_INDEX' || stmt.op === 'LOAD_INDEX') {
      const keyOp = stmt.op === 'CACHE_INDEX' ? 'assign_to_keycache' : 'preload_keys';
      const want = stmt.keyIndexes?.[ti];
      const missing = want?.indexes?.find((n) => !def.indexes.some((i) => i.name.toLowerCase() === n.toLowerCase()));
      if (missing !== undefined) {
        rows.push([label, keyOp, 'Error', sqlError('ER_KEY_DOES_NOT_EXITS', missing, def.name).message]);
        rows.push([label, keyOp, 'status', 'Operation failed']);
        continue;
      }
      results = stmt.op === 'CACHE_INDEX' ? await h.assignKeyCache?.(ctx, stmt.keyCache ?? 'default') : await h.preloadKeys?.(ctx, want?.ignoreLeaves === true);
      if (!results) rows.push([label, keyOp, 'note', `The storage engine for the table doesn't support ${keyOp}`]);
      else for (const r of results) rows.push([label, keyOp, r.msgType, r.msgText]);
      continue;
    }
    if (stmt.op === 'CHECK') results = await h.check?.(ctx, stmt.options);
    else if (stmt.op === 'REPAIR') results = await h.repair?.(ctx, stmt.options);
    else if (stmt.op === 'ANALYZE') results = await h.analyze?.(ctx);
    else results = await h.optimize?.(ctx);
    if (!results) {
      rows.push([label, op, 'note', `The storage engine for the table doesn't support ${op}`]);
      continue;
    }
    for (const r of results) rows.push([label, op, r.msgType, r.msgText]);
  }
  return rowsResult([textCol('Table', 64), textCol('Op', 10), textCol('Msg_type', 10), textCol('Msg_text', 1024)], rows);
}
