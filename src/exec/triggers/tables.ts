/**
 * The tables a table's triggers use, with whether they write them: LOCK TABLES ... WRITE on a
 * table with triggers locks these too, as MySQL does, so the triggers can run under it.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/lock-tables.html (LOCK TABLES and Triggers)
 * @req CORE-TRG-004
 */
import type { Expr } from '../../sql/ast.js';
import type { SpStatement } from '../../sql/routine-ast.js';
import type { TableDef } from '../../kernel/table-def.js';
import type { Session } from '../session.js';
import { statementTableIntents } from '../statement/statement-locks.js';
import { tableKey } from '../statement/open-tables.js';
import { collectTablesOfExpr, collectTablesOfSelect } from '../statement/statement-tables.js';
import { loadTrigger } from './program.js';

export interface TriggerTable {
  schema: string;
  name: string;
  write: boolean;
}

/** Tables used by the triggers of `def` (its own schema is the default one). */
export function triggerTables(session: Session, def: TableDef): TriggerTable[] {
  const out = new Map<string, TriggerTable>();
  const add = (r: { schema?: string; name: string }, write: boolean): void => {
    const schema = r.schema ?? def.schema;
    const k = tableKey(schema, r.name);
    const had = out.get(k);
    if (had) had.write ||= write;
    else out.set(k, { schema, name: r.name, write });
  };
  const saved = session.schema;
  session.schema = def.schema;
  try {
    for (const t of def.triggers ?? []) visit(session, loadTrigger(def, t).body, add);
  } finally {
    session.schema = saved;
  }
  return [...out.values()];
}

function exprs(list: (Expr | undefined)[], add: (r: { schema?: string; name: string }, write: boolean) => void): void {
  const refs: { schema?: string; name: string }[] = [];
  for (const e of list) collectTablesOfExpr(e, refs);
  for (const r of refs) add(r, false);
}

function visit(session: Session, s: SpStatement, add: (r: { schema?: string; name: string }, write: boolean) => void): void {
  switch (s.t) {
    case 'sql': {
      const intents = statementTableIntents(session, s.stmt);
      if (!intents) return;
      for (const r of intents.refs) add(r, intents.writes.has(tableKey(r.schema ?? session.schema ?? '', r.name)));
      return;
    }
    case 'block':
      for (const v of s.vars) exprs([v.default], add);
      for (const c of s.cursors) {
        const refs: { schema?: string; name: string }[] = [];
        if (c.select.kind === 'select') collectTablesOfSelect(c.select, refs);
        for (const r of refs) add(r, false);
      }
      for (const h of s.handlers) visit(session, h.body, add);
      for (const b of s.body) visit(session, b, add);
      return;
    case 'set_local':
      exprs([s.value], add);
      return;
    case 'if':
      for (const b of s.branches) {
        exprs([b.cond], add);
        for (const x of b.body) visit(session, x, add);
      }
      for (const x of s.else ?? []) visit(session, x, add);
      return;
    case 'case':
      exprs([s.operand, ...s.whens.map((w) => w.when)], add);
      for (const w of s.whens) for (const x of w.body) visit(session, x, add);
      for (const x of s.else ?? []) visit(session, x, add);
      return;
    case 'while':
      exprs([s.cond], add);
      for (const x of s.body) visit(session, x, add);
      return;
    case 'repeat':
      exprs([s.until], add);
      for (const x of s.body) visit(session, x, add);
      return;
    case 'loop':
      for (const x of s.body) visit(session, x, add);
      return;
    default:
      return;
  }
}
