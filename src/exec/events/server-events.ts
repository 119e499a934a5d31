/**
 * The event scheduler bound to a running server: events come from the catalog, a run is a
 * session opened as the event's definer (no client behind it), and event_scheduler switches it
 * on and off. Event sessions show in PROCESSLIST with Command `Connect`, beside the scheduler's
 * own `Daemon` row, as in MySQL.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/events-configuration.html (25.4.2)
 * @req CORE-EVT-005 CORE-EVT-006 CORE-EVT-010
 */
import { internalConnection } from '../internal-session.js';
import { sqlError } from '../../kernel/errors.js';
import { collectRows } from '../../kernel/row-stream.js';
import type { EventDef } from '../../catalog/dictionary-store.js';
import type { ExecServerContext } from '../server-context.js';
import { EventScheduler } from './scheduler.js';
import { parseOne } from '../../sql/parser/index.js';
import type { Statement } from '../../sql/ast.js';

/** The statement an event runs: its stored body, parsed as the body of a CREATE EVENT. @req CORE-EVT-012 */
export function eventBodyStatement(def: EventDef, sqlMode: ReadonlySet<string>): Statement {
  const name = '`' + def.name.replace(/`/g, '``') + '`';
  const parsed = parseOne(`CREATE EVENT ${name} ON SCHEDULE EVERY 1 DAY DO ${def.body}`, { sqlMode });
  if (parsed.kind !== 'create_event') throw sqlError('ER_PARSE_ERROR', 'You have an error in your SQL syntax', def.body, 1);
  if (parsed.body.kind === 'compound') parsed.body.event = `${def.schema}.${def.name}`;
  return parsed.body;
}

/** `user` and `host` of a stored `` `user`@`host` `` definer. */
export function splitDefiner(definer: string): { user: string; host: string } {
  const m = /^`((?:[^`]|``)*)`@`((?:[^`]|``)*)`$/.exec(definer);
  if (!m) return { user: definer, host: '%' };
  return { user: m[1]!.replace(/``/g, '`'), host: m[2]!.replace(/``/g, '`') };
}

export interface ServerEvents {
  readonly scheduler: EventScheduler;
  /** Connection ids of sessions running an event body right now. */
  readonly eventSessions: ReadonlySet<number>;
  /** Follow event_scheduler (called at start-up and on SET GLOBAL). */
  apply(value: string): void;
  stop(): Promise<void>;
}

/** @req CORE-EVT-006 */
export function createServerEvents(ctx: ExecServerContext): ServerEvents {
  const { deps } = ctx;
  const catalog = deps.catalog;
  const eventSessions = new Set<number>();

  const runBody = async (def: EventDef): Promise<void> => {
    const { user, host } = splitDefiner(def.definer);
    const account = deps.accounts.accountNamed?.(user, host) ?? null;
    if (!account) throw sqlError('ER_NO_SUCH_USER', user, host);
    const conn = internalConnection(ctx.nextConnectionId());
    const session = await ctx.openSession(conn, account, user, def.schema);
    eventSessions.add(conn.connectionId);
    try {
      // The body runs with the settings it was defined under. @req CORE-EVT-006
      const own = ctx.registry.get(conn.connectionId);
      own?.sessionVars.set('sql_mode', def.sqlMode);
      own?.sessionVars.set('time_zone', def.timeZone);
      // The body is parsed again from its text, under the event's sql_mode, as a stored
      // program when it is one (BEGIN ... END and the other compound statements).
      const body = eventBodyStatement(def, own?.sqlMode() ?? new Set<string>());
      if (own) {
        own.command = 'Query';
        try {
          const r = await own.run(body, []);
          if (r.kind === 'rows') await collectRows(r.rows);
        } finally {
          own.command = 'Sleep';
        }
      }
    } finally {
      eventSessions.delete(conn.connectionId);
      await session.close();
    }
  };

  const scheduler = new EventScheduler({
    listEvents: () => catalog.listEvents?.() ?? [],
    getEvent: (schema, name) => catalog.getEvent?.(schema, name),
    putEvent: async (def, previous) => {
      await catalog.putEvent?.(def, previous);
    },
    dropEvent: async (schema, name) => {
      await catalog.dropEvent?.(schema, name);
    },
    runBody,
    log: (level, code, message) => deps.log(level, code, 'Server', message),
    nextConnectionId: () => ctx.nextConnectionId(),
  });
  deps.events = {
    changed: () => scheduler.changed(),
    threadRow: () => scheduler.threadInfo(),
    isEventSession: (id) => eventSessions.has(id),
  };

  return {
    scheduler,
    eventSessions,
    apply(value: string): void {
      if (value.toUpperCase() === 'ON') scheduler.start();
      else void scheduler.stop();
    },
    stop: () => scheduler.stop(),
  };
}
