/**
 * The grammar of CREATE EVENT, ALTER EVENT and DROP EVENT. The body after DO is parsed as a
 * statement of its own (a sub-cursor over the rest of the statement's tokens), and its source
 * text is kept as typed, since that text is what SHOW CREATE EVENT and
 * information_schema.EVENTS give back and what the scheduler parses again when the event runs.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/create-event.html (15.1.13)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/alter-event.html (15.1.3)
 * @req CORE-EVT-001 CORE-EVT-002
 */
import type { AlterEventStatement, CreateEventStatement, DropEventStatement, EventClauses, EventSchedule, Statement } from '../ast.js';
import { Cursor } from './cursor.js';
import { parseAccountName } from './account.js';
import { parseExpr, parseIntervalUnit } from './expr.js';
import { parseTableName } from './select.js';
import { parseStatement } from './statement.js';
import { parseEventBody } from './routines.js';
import { Tok } from '../lexer/token.js';

/** `ON SCHEDULE AT expr` or `ON SCHEDULE EVERY expr unit [STARTS expr] [ENDS expr]`. */
function parseSchedule(p: Cursor): EventSchedule {
  if (p.acceptKw('AT')) return { kind: 'at', at: parseExpr(p) };
  p.expectKw('EVERY');
  const value = parseExpr(p);
  const unit = parseIntervalUnit(p);
  const s: EventSchedule = { kind: 'every', value, unit };
  if (p.acceptKw('STARTS')) s.starts = parseExpr(p);
  if (p.acceptKw('ENDS')) s.ends = parseExpr(p);
  return s;
}

/** ON COMPLETION, ENABLE/DISABLE and COMMENT, in MySQL's order (each optional). */
function parseTail(p: Cursor, c: EventClauses, alter: AlterEventStatement | null): void {
  if (p.isKw('ON') && p.isKw('COMPLETION', 1)) {
    p.next();
    p.next();
    c.preserve = !p.acceptKw('NOT');
    p.expectKw('PRESERVE');
  }
  if (alter && p.acceptKw('RENAME')) {
    p.expectKw('TO');
    alter.renameTo = parseTableName(p);
  }
  if (p.acceptKw('ENABLE')) c.status = 'ENABLED';
  else if (p.acceptKw('DISABLE')) {
    if (p.acceptKw('ON')) {
      const w = p.next();
      if (w.upper !== 'SLAVE' && w.upper !== 'REPLICA') throw p.error(w);
      c.status = 'REPLICA_SIDE_DISABLED';
    } else c.status = 'DISABLED';
  }
  if (p.acceptKw('COMMENT')) c.comment = p.string();
}

const PROGRAM_STARTS: ReadonlySet<string> = new Set(['BEGIN', 'IF', 'CASE', 'LOOP', 'WHILE', 'REPEAT', 'DECLARE', 'RETURN', 'LEAVE', 'ITERATE', 'OPEN', 'FETCH', 'CLOSE']);

/** Whether a body is in the compound-statement language rather than one plain statement. */
function isProgramBody(p: Cursor): boolean {
  const t = p.peek();
  // Inside a stored program BEGIN always opens a block (a transaction is START TRANSACTION).
  if (t.type === Tok.IDENT && PROGRAM_STARTS.has(t.upper)) return true;
  // `label: BEGIN ...`
  return (t.type === Tok.IDENT || t.type === Tok.QIDENT) && p.isOp(':', 1);
}

/** `DO body`: the rest of the statement, parsed on its own. */
function parseBody(p: Cursor, c: EventClauses, name: string): void {
  p.expectKw('DO');
  if (p.atEnd()) throw p.error();
  const start = p.peek().start;
  const sub = new Cursor(p.text, p.toks, p.pos, p.end, p.stmtStart, p.opts, p.comments);
  // A compound body (BEGIN ... END, IF, LOOP, a labelled block, ...) is a stored program; a
  // single statement stays as it is. @req CORE-EVT-012
  const body: Statement = isProgramBody(sub) ? parseEventBody(sub, name) : parseStatement(sub);
  if (!sub.atEnd()) throw sub.error();
  // The body ends with its last token: text after it (spaces, the `*/` closing an executable
  // comment that mariadb-dump wraps the statement in) is not part of it.
  const end = (p.toks[p.end - 1] as { end: number }).end;
  c.bodyText = p.slice(start, end);
  body.text = c.bodyText;
  body.paramCount = sub.paramCount;
  if (sub.paramCount > 0) throw p.error(p.toks[sub.pos - 1]);
  c.body = body;
  p.pos = p.end;
}

/** After `CREATE [DEFINER = account]`, at EVENT. @req CORE-EVT-001 */
export function parseCreateEvent(p: Cursor, definer: CreateEventStatement['definer']): CreateEventStatement {
  p.expectKw('EVENT');
  const ifNotExists = p.acceptKws('IF', 'NOT', 'EXISTS');
  const name = parseTableName(p);
  p.expectKw('ON');
  p.expectKw('SCHEDULE');
  const schedule = parseSchedule(p);
  const stmt = { kind: 'create_event', ifNotExists, name, schedule } as CreateEventStatement;
  if (definer) stmt.definer = definer;
  parseTail(p, stmt, null);
  parseBody(p, stmt, name.name);
  return stmt;
}

/** After `ALTER [DEFINER = account]`, at EVENT. Something must change (else 1064). @req CORE-EVT-002 */
export function parseAlterEvent(p: Cursor, definer: AlterEventStatement['definer']): AlterEventStatement {
  p.expectKw('EVENT');
  const stmt: AlterEventStatement = { kind: 'alter_event', name: parseTableName(p) };
  if (definer) stmt.definer = definer;
  if (p.isKw('ON') && p.isKw('SCHEDULE', 1)) {
    p.next();
    p.next();
    stmt.schedule = parseSchedule(p);
  }
  parseTail(p, stmt, stmt);
  if (p.isKw('DO')) parseBody(p, stmt, stmt.name.name);
  if (!p.atEnd()) throw p.error();
  const changes = stmt.schedule ?? stmt.preserve ?? stmt.renameTo ?? stmt.status ?? stmt.comment ?? stmt.body ?? stmt.definer;
  if (changes === undefined) throw p.error();
  return stmt;
}

/** `DEFINER = account` before EVENT in CREATE/ALTER. */
export function parseEventDefiner(p: Cursor): CreateEventStatement['definer'] {
  if (!p.acceptKw('DEFINER')) return undefined;
  p.expectOp('=');
  return parseAccountName(p);
}

/** After DROP, at EVENT. @req CORE-EVT-002 */
export function parseDropEvent(p: Cursor): DropEventStatement {
  p.expectKw('EVENT');
  const ifExists = p.acceptKws('IF', 'EXISTS');
  return { kind: 'drop_event', ifExists, name: parseTableName(p) };
}
