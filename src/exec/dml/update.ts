/**
 * UPDATE, single- and multiple-table: assignments evaluated left to right (later assignments
 * see earlier new values), value conversion under the SQL mode, ORDER BY / LIMIT, and the
 * `Rows matched / Changed` accounting (affected rows count only rows that really changed).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/update.html
 * @req CORE-EXEC-055 CORE-EXEC-056 CORE-EXEC-058 CORE-EXEC-064 CORE-CONC-003
 */
import type { UpdateStatement } from '../../sql/ast.js';
import { sqlError } from '../../kernel/errors.js';
import { compileExpr, type CompiledExpr } from '../../sql/eval/index.js';
import type { Row, Value } from '../../kernel/value.js';
import type { OkResult } from '../../kernel/protocol-port.js';
import type { Session } from '../session.js';
import { makeRuntime } from '../query/runtime.js';
import type { Source } from '../query/scope.js';
import { checkTableLock } from '../locks/lock-tables.js';
import { compileGenerated, convertForColumn, isPromise, missingValue, finishRow, noteWrite, relaxedRuntime, rowPause, rowRuntime, sameStored, targetOf, updateRow, type WriteTarget } from './common.js';
import { pacerFor } from '../query/run/pacer.js';
import { prepareScan } from './scan.js';

interface Assign {
  source: Source;
  col: number;
  slot: number;
  expr: CompiledExpr;
}

/** @req CORE-EXEC-055 */
export async function executeUpdate(session: Session, stmt: UpdateStatement, params: Value[]): Promise<OkResult> {
  // A multiple-table UPDATE takes neither ORDER BY nor LIMIT (1221). @req CORE-EXEC-055
  if (stmt.tables.length > 1 || stmt.tables[0]?.type !== 'table') {
    if (stmt.orderBy?.length) throw sqlError('ER_WRONG_USAGE', 'UPDATE', 'ORDER BY');
    if (stmt.limit) throw sqlError('ER_WRONG_USAGE', 'UPDATE', 'LIMIT');
  }
  const targetNames = stmt.tables.flatMap((t) => (t.type === 'table' ? [{ schema: t.table.schema ?? session.schema ?? '', name: t.table.name }] : []));
  const scan = await prepareScan(session, stmt.tables, stmt.where, stmt.orderBy, stmt.limit, stmt.set.map((a) => a.value), stmt.tables.length === 1 ? targetNames : []);
  const scope = scan.scope;
  const rt = makeRuntime(session, params);
  // Strict UPDATE without IGNORE: division by zero is error 1365 (ERROR_FOR_DIVISION_BY_ZERO). @req CORE-EXEC-064
  rt.strictDml = !stmt.ignore;
  const relaxed = relaxedRuntime(rt);
  scope.clause = 'field list';
  const assigns: Assign[] = [];
  for (const a of stmt.set) {
    const r = scope.lookup(a.column);
    if (r === 'ambiguous') throw sqlError('ER_NON_UNIQ_ERROR', a.column.name, 'field list');
    if (!r || !('source' in r) || !r.source) {
      const name = [a.column.table, a.column.name].filter((x) => x !== undefined).join('.');
      throw sqlError('ER_BAD_FIELD_ERROR', name, 'field list');
    }
    const source = r.source;
    const col = r.slot - source.base;
    const def = source.tableDef;
    if (!def || !source.opened || source.opened.kind !== 'base') throw sqlError('ER_NON_UPDATABLE_TABLE', source.alias, 'UPDATE');
    if (def.columns[col]?.generated && !(a.value.type === 'default' && a.value.column === undefined)) {
      throw sqlError('ER_NON_DEFAULT_VALUE_FOR_GENERATED_COLUMN', def.columns[col]!.name, def.name);
    }
    let expr: CompiledExpr;
    if (a.value.type === 'default' && a.value.column === undefined) {
      const c = def.columns[col]!;
      expr = { eval: (_row, rrt) => missingValue(c, rrt, false), type: r.type };
    } else expr = compileExpr(a.value, scope);
    assigns.push({ source, col, slot: r.slot, expr });
  }
  // Targets: every table with an assigned column.
  const targets = new Map<number, { source: Source; target: WriteTarget; generated: ReturnType<typeof compileGenerated> }>();
  for (const a of assigns) {
    if (targets.has(a.source.index)) continue;
    const opened = a.source.opened;
    if (!opened || opened.kind !== 'base') throw sqlError('ER_NON_UPDATABLE_TABLE', a.source.alias, 'UPDATE');
    if (['information_schema', 'performance_schema'].includes(opened.def.schema.toLowerCase())) {
      throw sqlError('ER_DBACCESS_DENIED_ERROR', session.account.user, session.account.host, opened.def.schema.toLowerCase());
    }
    if (!opened.def.temporary) checkTableLock(session, opened.def.schema, opened.def.name, a.source.alias !== opened.def.name ? a.source.alias : undefined, true);
    targets.set(a.source.index, { source: a.source, target: targetOf(session, opened.def, opened.handler, opened.engine), generated: compileGenerated(opened.def) });
  }

  for (const t of targets.values()) scan.target(t.source);
  const pacer = pacerFor(session);
  const matches = await scan.collect(rt, pacer);
  let matched = 0;
  let changed = 0;
  const done = new Map<number, Set<string>>();
  let rowNumber = 0;
  for (const m of matches) {
    rowNumber++;
    const pause = rowPause(pacer, rowNumber);
    if (pause) await pause;
    const buf = m.row;
    // New values, left to right.
    const firstTarget = targets.values().next().value;
    const rowRt = firstTarget ? rowRuntime(rt, relaxed, firstTarget.target, rowNumber, stmt.ignore) : rt;
    for (const a of assigns) {
      if (!m.refs[a.source.index]) continue; // NULL-extended side of an outer join
      const def = a.source.tableDef!;
      const v = a.expr.eval(buf, rowRt);
      buf[a.slot] = convertForColumn(v, def.columns[a.col]!, def, rowRt, rowNumber, { update: true, ignore: stmt.ignore });
    }
    for (const [idx, t] of targets) {
      const ref = m.refs[idx];
      if (!ref) continue;
      let seen = done.get(idx);
      if (!seen) done.set(idx, (seen = new Set()));
      const key = typeof ref.id === 'bigint' ? 'b' + ref.id.toString() : String(ref.id);
      if (seen.has(key)) continue;
      seen.add(key);
      matched++;
      const def = t.source.tableDef!;
      const base = t.source.base;
      const old = ref.row;
      const next: Row = buf.slice(base, base + def.columns.length);
      let diff = false;
      for (let i = 0; i < def.columns.length; i++) if (!sameStored(old[i]!, next[i]!)) diff = true;
      if (!diff) continue;
      for (let i = 0; i < def.columns.length; i++) {
        const c = def.columns[i]!;
        if (c.onUpdateNow && !assigns.some((a) => a.source === t.source && a.col === i)) {
          const now = compileExpr({ type: 'func', name: 'NOW', args: [] }, scope).eval([], rowRt);
          next[i] = convertForColumn(now, c, def, rowRt, rowNumber, { update: true });
        }
      }
      finishRow(def, next, t.generated, rowRt, rowNumber);
      try {
        const w = updateRow(t.target, ref.id, old, next);
        if (isPromise(w)) await w;
      } catch (e) {
        if (stmt.ignore && e instanceof Error && 'errno' in e && (e as { errno: number }).errno === 1062) {
          session.warn('Warning', 'ER_DUP_ENTRY', ...dupArgs(e.message));
          continue;
        }
        throw e;
      }
      noteWrite(session, t.target);
      changed++;
    }
  }
  return {
    kind: 'ok',
    // CLIENT_FOUND_ROWS: the client asked for matched rows instead of changed rows.
    affectedRows: BigInt(session.clientFoundRows() ? matched : changed),
    lastInsertId: 0n,
    info: `Rows matched: ${matched}  Changed: ${changed}  Warnings: ${session.diagnostics.warningCount()}`,
  };
}

function dupArgs(message: string): [string, string] {
  const m = /^Duplicate entry '(.*)' for key '(.*)'$/s.exec(message);
  return m ? [m[1]!, m[2]!] : [message, ''];
}
