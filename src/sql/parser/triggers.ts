/**
 * The grammar of CREATE TRIGGER and DROP TRIGGER. The body after FOR EACH ROW [FOLLOWS |
 * PRECEDES name] is one statement or a compound statement, parsed as a stored program whose
 * NEW.col / OLD.col references become frame slots; its source text (ending at its last token, so
 * the `*\/` of an executable comment that mariadb-dump wraps the statement in is not part of it)
 * is what the dictionary keeps and SHOW CREATE TRIGGER gives back.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/create-trigger.html (15.1.22)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/drop-trigger.html (15.1.34)
 * @req CORE-TRG-001 CORE-TRG-002
 */
import type { CreateTriggerStatement, DropTriggerStatement } from '../routine-ast.js';
import type { Cursor } from './cursor.js';
import { parseTableName } from './select.js';
import { parseTriggerBody } from './routines.js';

/** After `CREATE [DEFINER = account]`, at TRIGGER. @req CORE-TRG-001 */
export function parseCreateTrigger(p: Cursor, definer: { user: string; host: string; current?: boolean } | undefined): CreateTriggerStatement {
  p.expectKw('TRIGGER');
  const ifNotExists = p.acceptKws('IF', 'NOT', 'EXISTS');
  const name = parseTableName(p);
  const timingTok = p.next();
  if (timingTok.upper !== 'BEFORE' && timingTok.upper !== 'AFTER') throw p.error(timingTok);
  const eventTok = p.next();
  if (eventTok.upper !== 'INSERT' && eventTok.upper !== 'UPDATE' && eventTok.upper !== 'DELETE') throw p.error(eventTok);
  const timing = timingTok.upper as CreateTriggerStatement['timing'];
  const event = eventTok.upper as CreateTriggerStatement['event'];
  p.expectKw('ON');
  const table = parseTableName(p);
  p.expectKw('FOR');
  p.expectKw('EACH');
  p.expectKw('ROW');
  let order: CreateTriggerStatement['order'];
  if (p.isKw('FOLLOWS') || p.isKw('PRECEDES')) {
    const kind = p.next().upper as 'FOLLOWS' | 'PRECEDES';
    order = { kind, other: p.ident() };
  }
  if (p.atEnd()) throw p.error();
  const start = p.peek().start;
  const parsed = parseTriggerBody(p, name.name, timing, event);
  const end = (p.toks[p.end - 1] as { end: number }).end;
  const stmt: CreateTriggerStatement = {
    kind: 'create_trigger', ifNotExists, name: name.name, timing, event, table,
    bodyText: p.slice(start, end), body: parsed.body, slots: parsed.slots, cursors: parsed.cursors, rowRefs: parsed.rowRefs,
  };
  if (name.schema !== undefined) stmt.schema = name.schema;
  if (definer && !definer.current) stmt.definer = { user: definer.user, host: definer.host };
  if (order) stmt.order = order;
  return stmt;
}

/** After DROP, at TRIGGER. @req CORE-TRG-001 */
export function parseDropTrigger(p: Cursor): DropTriggerStatement {
  p.expectKw('TRIGGER');
  const ifExists = p.acceptKws('IF', 'EXISTS');
  const name = parseTableName(p);
  const stmt: DropTriggerStatement = { kind: 'drop_trigger', ifExists, name: name.name };
  if (name.schema !== undefined) stmt.schema = name.schema;
  return stmt;
}
