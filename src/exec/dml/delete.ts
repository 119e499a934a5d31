/**
 * DELETE, single- and multiple-table, with ORDER BY and LIMIT for the single-table form.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/delete.html
 * @req CORE-EXEC-055 CORE-CONC-003
 */
import type { DeleteStatement, TableRef } from '../../sql/ast.js';
import { SqlError, sqlError } from '../../kernel/errors.js';
import type { Value } from '../../kernel/value.js';
import type { OkResult } from '../../kernel/protocol-port.js';
import type { Session } from '../session.js';
import { makeRuntime } from '../query/runtime.js';
import type { Source } from '../query/scope.js';
import { checkTableLock } from '../locks/lock-tables.js';
import { deleteRow, isPromise, rowPause, targetOf, type WriteTarget } from './common.js';
import { pacerFor } from '../query/run/pacer.js';
import { prepareScan } from './scan.js';

/** @req CORE-EXEC-055 */
export async function executeDelete(session: Session, stmt: DeleteStatement, params: Value[]): Promise<OkResult> {
  const from: TableRef[] = stmt.from.length ? stmt.from : stmt.targets.map((t) => ({ type: 'table', table: t }));
  const targetNames = stmt.multi ? [] : stmt.targets.map((t) => ({ schema: t.schema ?? session.schema ?? '', name: t.name }));
  const scan = await prepareScan(session, from, stmt.where, stmt.orderBy, stmt.limit, [], targetNames);
  const rt = makeRuntime(session, params);
  // Which sources lose rows.
  const targets: { source: Source; target: WriteTarget }[] = [];
  for (const t of stmt.targets) {
    let src: Source | undefined;
    if (!stmt.multi) src = scan.sources[0];
    else {
      src = scan.sources.find((s) => s.alias.toLowerCase() === t.name.toLowerCase() && (t.schema === undefined || s.schema.toLowerCase() === t.schema.toLowerCase()));
      if (!src) throw sqlError('ER_UNKNOWN_TABLE', t.name, 'MULTI DELETE');
    }
    if (!src) throw sqlError('ER_NO_SUCH_TABLE', t.schema ?? session.schema ?? '', t.name);
    const opened = src.opened;
    // performance_schema's tables refuse DELETE by their access rules: 1142 naming the table. @req CORE-PFS-005
    if (opened?.def.schema.toLowerCase() === 'performance_schema') throw sqlError('ER_TABLEACCESS_DENIED_ERROR', 'DELETE', session.account.user, session.account.host, opened.def.name);
    if (!opened || opened.kind !== 'base') throw sqlError('ER_NON_UPDATABLE_TABLE', src.alias, 'DELETE');
    if (['information_schema', 'performance_schema'].includes(opened.def.schema.toLowerCase())) {
      throw sqlError('ER_DBACCESS_DENIED_ERROR', session.account.user, session.account.host, opened.def.schema.toLowerCase());
    }
    if (stmt.multi) session.deps.accounts.checkTable(session, 'DELETE', opened.def.schema, opened.def.name);
    if (!opened.def.temporary) checkTableLock(session, opened.def.schema, opened.def.name, src.alias !== opened.def.name ? src.alias : undefined, true);
    targets.push({ source: src, target: targetOf(session, opened.def, opened.handler, opened.engine) });
  }
  for (const t of targets) scan.target(t.source);
  const pacer = pacerFor(session);
  const matches = await scan.collect(rt, pacer);
  session.stage = 'deleting from main table';
  let deleted = 0n;
  const done = new Map<number, Set<string>>();
  let n = 0;
  for (const m of matches) {
    const pause = rowPause(pacer, ++n);
    if (pause) await pause;
    for (const t of targets) {
      const ref = m.refs[t.source.index];
      if (!ref) continue;
      let seen = done.get(t.source.index);
      if (!seen) done.set(t.source.index, (seen = new Set()));
      const key = typeof ref.id === 'bigint' ? 'b' + ref.id.toString() : String(ref.id);
      if (seen.has(key)) continue;
      seen.add(key);
      try {
        const w = deleteRow(t.target, ref.id, ref.row);
        if (isPromise(w)) await w;
      } catch (e) {
        // DELETE IGNORE: a row its children keep is skipped with a warning (INNODB-FK-110).
        if (!(stmt.ignore && e instanceof SqlError && (e.errno === 1451 || e.errno === 1452))) throw e;
        session.warnRaw('Warning', e.errno, e.message);
        continue;
      }
      deleted++;
    }
  }
  return { kind: 'ok', affectedRows: deleted, lastInsertId: 0n };
}
