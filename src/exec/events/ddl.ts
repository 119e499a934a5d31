/**
 * CREATE EVENT, ALTER EVENT and DROP EVENT: MySQL's checks in MySQL's order, then one
 * dictionary change, then a word to the scheduler.
 *
 * The schedule's expressions are evaluated once, when the statement runs, in the session's time
 * zone, and kept as UTC instants; an EVERY schedule without STARTS starts at the statement's
 * time. A time already past means the event would never run: with ON COMPLETION NOT PRESERVE
 * (the default) CREATE answers with a note and keeps nothing, ALTER fails; with PRESERVE the
 * event is kept but disabled, with a note.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/create-event.html (15.1.13)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/alter-event.html (15.1.3)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/drop-event.html (15.1.25)
 * @req CORE-EVT-001 CORE-EVT-002 CORE-EVT-003 CORE-EVT-004 CORE-EVT-007 CORE-EVT-008
 */
import type { AccountName, AlterEventStatement, CreateEventStatement, DropEventStatement, EventSchedule, Expr, Statement } from '../../sql/ast.js';
import { diagnostic, sqlError } from '../../kernel/errors.js';
import type { OkResult } from '../../kernel/protocol-port.js';
import type { Value } from '../../kernel/value.js';
import { Temporal } from '../../kernel/value.js';
import type { EventDef } from '../../catalog/dictionary-store.js';
import type { CatalogApi } from '../../catalog/catalog-api.js';
import { toTemporal } from '../../sql/types/convert.js';
import { temporalToEpochSeconds } from '../../sql/types/temporal.js';
import type { Session } from '../session.js';
import { evalConstExpr, makeRuntime } from '../query/runtime.js';
import { readInterval } from './interval.js';
import { EVENT_NAME_MAX_CHARS, EVENT_TIME_MAX_MS } from './limits.js';

type EventCatalog = Required<Pick<CatalogApi, 'getEvent' | 'listEvents' | 'putEvent' | 'dropEvent'>> & CatalogApi;

function ok(): OkResult {
  return { kind: 'ok', affectedRows: 0n, lastInsertId: 0n };
}

function eventCatalog(session: Session): EventCatalog {
  const c = session.deps.catalog;
  if (!c.getEvent || !c.listEvents || !c.putEvent || !c.dropEvent) throw sqlError('ER_NOT_SUPPORTED_YET', 'events');
  return c as EventCatalog;
}

/** `user`@`host` as the dictionary keeps a definer. */
export function quoteDefiner(user: string, host: string): string {
  return `\`${user.replace(/`/g, '``')}\`@\`${host.replace(/`/g, '``')}\``;
}

/** The statement's time, whole seconds (MySQL keeps event times to the second). */
function statementTime(session: Session): number {
  return Math.floor(session.statementStartedAt / 1000) * 1000;
}

/**
 * Event DDL is refused under LOCK TABLES (1192); the schema must be named or current (1046) and
 * exist (1049), and the user needs EVENT on it (1044).
 * @req CORE-EVT-007
 */
function schemaOf(session: Session, name: { schema?: string }): string {
  if (session.locks.lockedTables !== null) throw sqlError('ER_LOCK_OR_ACTIVE_TRANSACTION');
  const schema = name.schema ?? session.schema;
  if (!schema) throw sqlError('ER_NO_DB_ERROR');
  const def = session.deps.catalog.getSchema?.(schema);
  if (!def && !session.deps.catalog.schemaExists(schema)) throw sqlError('ER_BAD_DB_ERROR', schema);
  const canonical = def?.name ?? schema;
  session.deps.accounts.checkTable(session, 'EVENT', canonical, '');
  return canonical;
}

const EVENT_DDL: ReadonlySet<string> = new Set(['create_event', 'alter_event', 'drop_event']);

/** Whether a statement, or any statement inside a compound body, is event DDL. */
function containsEventDdl(node: unknown, depth = 0): boolean {
  if (node === null || typeof node !== 'object' || depth > 200) return false;
  if (Array.isArray(node)) return node.some((x) => containsEventDdl(x, depth + 1));
  const o = node as Record<string, unknown>;
  if (typeof o['kind'] === 'string' && EVENT_DDL.has(o['kind'])) return true;
  return Object.values(o).some((v) => typeof v === 'object' && containsEventDdl(v, depth + 1));
}

/** An event body may not itself create, alter or drop events, however deep in a block (1576). */
function checkBody(body: Statement | undefined): void {
  if (body && containsEventDdl(body)) throw sqlError('ER_EVENT_RECURSION_FORBIDDEN');
}

/**
 * The definer an event runs as: the named account, or the current user. Naming another account
 * needs SET_USER_ID (or SUPER), 1227; an account that does not exist is accepted with note 1449,
 * as MySQL does (the event fails when it runs).
 * @req CORE-EVT-008
 */
function definerOf(session: Session, given: AccountName | undefined): string {
  const me = { user: session.account.user, host: session.account.host };
  if (!given || given.current) return quoteDefiner(me.user, me.host);
  if (given.user !== me.user || given.host.toLowerCase() !== me.host.toLowerCase()) {
    const accounts = session.deps.accounts;
    if (!accounts.hasGlobal(session, 'SET_USER_ID') && !accounts.hasGlobal(session, 'SUPER')) {
      throw sqlError('ER_SPECIFIC_ACCESS_DENIED_ERROR', 'SUPER or SET_USER_ID');
    }
    if (accounts.accountNamed && accounts.accountNamed(given.user, given.host) === null) {
      session.diagnostics.push(diagnostic('Note', 'ER_NO_SUCH_USER', given.user, given.host));
    }
  }
  return quoteDefiner(given.user, given.host);
}

function valueText(v: Value): string {
  if (v === null) return 'NULL';
  if (Buffer.isBuffer(v)) return v.toString('utf8');
  return String(v);
}

/** A schedule time (AT, STARTS, ENDS) as UTC milliseconds, or null when it is not a valid datetime. */
async function instant(session: Session, expr: Expr): Promise<{ ms: number | null; value: Value }> {
  const rt = makeRuntime(session, []);
  const v = await evalConstExpr(session, expr, rt);
  if (v === null) return { ms: null, value: v };
  const tz = String(session.sysvar('time_zone') ?? 'SYSTEM');
  const t = v instanceof Temporal ? v : toTemporal(v, 'DATETIME', undefined, undefined, tz);
  if (!t || t.kind === 'TIME' || t.month === 0 || t.day === 0) return { ms: null, value: v };
  const ms = temporalToEpochSeconds(t, tz) * 1000;
  if (ms <= 0 || ms > EVENT_TIME_MAX_MS) return { ms: null, value: v };
  return { ms, value: v };
}

interface ResolvedSchedule {
  executeAt: number | null;
  intervalValue: number | null;
  intervalField: string | null;
  starts: number | null;
  ends: number | null;
}

/**
 * Evaluate a schedule: AT must be a datetime (1525 "Incorrect AT value"), EVERY a positive
 * interval (1542, 1235 for MICROSECOND units, 1525), STARTS a datetime (1525) and ENDS a
 * datetime after STARTS (1543).
 * @req CORE-EVT-004
 */
async function resolveSchedule(session: Session, s: EventSchedule, now: number): Promise<ResolvedSchedule> {
  if (s.kind === 'at') {
    const at = await instant(session, s.at);
    if (at.ms === null) throw sqlError('ER_WRONG_VALUE', 'AT', valueText(at.value));
    return { executeAt: at.ms, intervalValue: null, intervalField: null, starts: null, ends: null };
  }
  const rt = makeRuntime(session, []);
  const total = readInterval(await evalConstExpr(session, s.value, rt), s.unit);
  let starts = now;
  if (s.starts) {
    const st = await instant(session, s.starts);
    if (st.ms === null) throw sqlError('ER_WRONG_VALUE', 'STARTS', valueText(st.value));
    starts = st.ms;
  }
  let ends: number | null = null;
  if (s.ends) {
    const en = await instant(session, s.ends);
    if (en.ms === null || en.ms <= starts) throw sqlError('ER_EVENT_ENDS_BEFORE_STARTS');
    ends = en.ms;
  }
  return { executeAt: null, intervalValue: total, intervalField: s.unit, starts, ends };
}

/** The time after which a schedule never fires again: AT, or ENDS (null: no such time). */
function lastPossible(r: ResolvedSchedule): number | null {
  return r.executeAt ?? r.ends;
}

function sessionText(session: Session, name: string, fallback: string): string {
  const v = session.sysvar(name);
  return v === null || v === undefined ? fallback : String(v);
}

/** @req CORE-EVT-001 CORE-EVT-004 */
export async function executeCreateEvent(session: Session, stmt: CreateEventStatement): Promise<OkResult> {
  const catalog = eventCatalog(session);
  const schema = schemaOf(session, stmt.name);
  const name = stmt.name.name;
  if ([...name].length > EVENT_NAME_MAX_CHARS) throw sqlError('ER_TOO_LONG_IDENT', name);
  checkBody(stmt.body);
  const definer = definerOf(session, stmt.definer);
  const now = statementTime(session);
  const sched = await resolveSchedule(session, stmt.schedule, now);
  const preserve = stmt.preserve ?? false;
  let status = stmt.status ?? 'ENABLED';
  const last = lastPossible(sched);
  if (last !== null && last < now) {
    // It could never run. @req CORE-EVT-004
    if (!preserve) {
      session.diagnostics.push(diagnostic('Note', 'ER_EVENT_CANNOT_CREATE_IN_THE_PAST'));
      return ok();
    }
    if (status === 'ENABLED') {
      status = 'DISABLED';
      session.diagnostics.push(diagnostic('Note', 'ER_EVENT_EXEC_TIME_IN_THE_PAST'));
    }
  }
  if (catalog.getEvent(schema, name)) {
    if (stmt.ifNotExists) {
      session.diagnostics.push(diagnostic('Note', 'ER_EVENT_ALREADY_EXISTS', name));
      return ok();
    }
    throw sqlError('ER_EVENT_ALREADY_EXISTS', name);
  }
  const def: EventDef = {
    schema,
    name,
    definer,
    timeZone: sessionText(session, 'time_zone', 'SYSTEM'),
    body: stmt.bodyText,
    sqlMode: sessionText(session, 'sql_mode', ''),
    characterSetClient: sessionText(session, 'character_set_client', 'utf8mb4'),
    collationConnection: sessionText(session, 'collation_connection', 'utf8mb4_0900_ai_ci'),
    databaseCollation: session.deps.catalog.getSchema?.(schema)?.collation ?? 'utf8mb4_0900_ai_ci',
    ...sched,
    status,
    preserve,
    created: now,
    lastAltered: now,
    lastExecuted: null,
    comment: stmt.comment ?? '',
    originator: session.deps.serverId,
  };
  await catalog.putEvent(def);
  session.deps.events?.changed();
  return ok();
}

/** @req CORE-EVT-002 CORE-EVT-004 */
export async function executeAlterEvent(session: Session, stmt: AlterEventStatement): Promise<OkResult> {
  const catalog = eventCatalog(session);
  const schema = schemaOf(session, stmt.name);
  const old = catalog.getEvent(schema, stmt.name.name);
  if (!old) throw sqlError('ER_EVENT_DOES_NOT_EXIST', stmt.name.name);
  checkBody(stmt.body);
  let toSchema = old.schema;
  let toName = old.name;
  if (stmt.renameTo) {
    toSchema = stmt.renameTo.schema ? schemaOf(session, stmt.renameTo) : schema;
    toName = stmt.renameTo.name;
    if ([...toName].length > EVENT_NAME_MAX_CHARS) throw sqlError('ER_TOO_LONG_IDENT', toName);
    if (toSchema === old.schema && toName.toLowerCase() === old.name.toLowerCase()) throw sqlError('ER_EVENT_SAME_NAME');
    if (catalog.getEvent(toSchema, toName)) throw sqlError('ER_EVENT_ALREADY_EXISTS', toName);
  }
  // Whoever alters an event becomes its definer, unless DEFINER names another. @req CORE-EVT-008
  const definer = definerOf(session, stmt.definer);
  const now = statementTime(session);
  const sched = stmt.schedule ? await resolveSchedule(session, stmt.schedule, now) : null;
  const preserve = stmt.preserve ?? old.preserve;
  let status = stmt.status ?? old.status;
  const last = sched ? lastPossible(sched) : null;
  if (last !== null && last < now) {
    if (!preserve) throw sqlError('ER_EVENT_CANNOT_ALTER_IN_THE_PAST');
    // MySQL treats an ALTER without ENABLE/DISABLE as enabling here, and disables with a note.
    if ((stmt.status ?? 'ENABLED') === 'ENABLED') {
      status = 'DISABLED';
      session.diagnostics.push(diagnostic('Note', 'ER_EVENT_EXEC_TIME_IN_THE_PAST'));
    }
  }
  const def: EventDef = {
    ...old,
    schema: toSchema,
    name: toName,
    definer,
    timeZone: sessionText(session, 'time_zone', 'SYSTEM'),
    sqlMode: sessionText(session, 'sql_mode', ''),
    characterSetClient: sessionText(session, 'character_set_client', 'utf8mb4'),
    collationConnection: sessionText(session, 'collation_connection', 'utf8mb4_0900_ai_ci'),
    databaseCollation: session.deps.catalog.getSchema?.(toSchema)?.collation ?? old.databaseCollation,
    ...(sched ?? {}),
    status,
    preserve,
    lastAltered: now,
  };
  if (stmt.bodyText !== undefined) def.body = stmt.bodyText;
  if (stmt.comment !== undefined) def.comment = stmt.comment;
  await catalog.putEvent(def, old);
  session.deps.events?.changed();
  return ok();
}

/** @req CORE-EVT-002 */
export async function executeDropEvent(session: Session, stmt: DropEventStatement): Promise<OkResult> {
  const catalog = eventCatalog(session);
  const schema = schemaOf(session, stmt.name);
  const ev = catalog.getEvent(schema, stmt.name.name);
  if (!ev) {
    if (!stmt.ifExists) throw sqlError('ER_EVENT_DOES_NOT_EXIST', stmt.name.name);
    session.diagnostics.push(diagnostic('Note', 'ER_SP_DOES_NOT_EXIST', 'Event', stmt.name.name));
    return ok();
  }
  await catalog.dropEvent(ev.schema, ev.name);
  session.deps.events?.changed();
  return ok();
}
