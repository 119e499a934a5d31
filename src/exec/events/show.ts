/**
 * How events are shown: SHOW EVENTS, SHOW CREATE EVENT and information_schema.EVENTS, from the
 * dictionary. Schedule times (AT, STARTS, ENDS) print in the event's own time zone, as MySQL
 * keeps them; the CREATED / LAST_ALTERED / LAST_EXECUTED stamps in the reader's.
 *
 * As an 8.0 server, a replica-side disabled event shows as SLAVESIDE_DISABLED and prints as
 * `DISABLE ON SLAVE` (8.4 says REPLICA_SIDE_DISABLED and `DISABLE ON REPLICA`).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/show-events.html (15.7.7.19)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/show-create-event.html (15.7.7.8)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/information-schema-events-table.html (28.3.14)
 * @req CORE-EVT-009
 */
import type { EventDef } from '../../catalog/dictionary-store.js';
import type { Row, Value } from '../../kernel/value.js';
import { dateToTemporal } from '../../sql/types/temporal.js';
import { intervalSql, intervalText } from './interval.js';
import { splitDefiner } from './server-events.js';

function when(ms: number | null, tz: string): Value {
  return ms === null ? null : dateToTemporal(new Date(ms), tz, 'DATETIME', 0);
}

function statusText(e: EventDef): string {
  return e.status === 'REPLICA_SIDE_DISABLED' ? 'SLAVESIDE_DISABLED' : e.status;
}

/** `root@localhost`: how SHOW EVENTS and information_schema name a definer. */
export function definerText(e: EventDef): string {
  const { user, host } = splitDefiner(e.definer);
  return `${user}@${host}`;
}

/** The columns of SHOW EVENTS, in order, with whether each is a datetime / integer. */
export const SHOW_EVENTS_COLUMNS: readonly { name: string; kind: 'text' | 'datetime' | 'int' }[] = [
  { name: 'Db', kind: 'text' }, { name: 'Name', kind: 'text' }, { name: 'Definer', kind: 'text' }, { name: 'Time zone', kind: 'text' },
  { name: 'Type', kind: 'text' }, { name: 'Execute at', kind: 'datetime' }, { name: 'Interval value', kind: 'text' },
  { name: 'Interval field', kind: 'text' }, { name: 'Starts', kind: 'datetime' }, { name: 'Ends', kind: 'datetime' },
  { name: 'Status', kind: 'text' }, { name: 'Originator', kind: 'int' }, { name: 'character_set_client', kind: 'text' },
  { name: 'collation_connection', kind: 'text' }, { name: 'Database Collation', kind: 'text' },
];

/** One SHOW EVENTS row. @req CORE-EVT-009 */
export function showEventsRow(e: EventDef): Row {
  const tz = e.timeZone;
  return [
    e.schema, e.name, definerText(e), tz, e.executeAt !== null ? 'ONE TIME' : 'RECURRING', when(e.executeAt, tz),
    e.intervalValue === null || e.intervalField === null ? null : intervalText(e.intervalValue, e.intervalField),
    e.intervalField, when(e.starts, tz), when(e.ends, tz), statusText(e), BigInt(e.originator),
    e.characterSetClient, e.collationConnection, e.databaseCollation,
  ];
}

function quoteIdent(s: string): string {
  return '`' + s.replace(/`/g, '``') + '`';
}

function quoteString(s: string): string {
  return "'" + s.replace(/\\/g, '\\\\').replace(/'/g, "\\'") + "'";
}

function datetimeText(ms: number, tz: string): string {
  return dateToTemporal(new Date(ms), tz, 'DATETIME', 0).toString();
}

/** The `Create Event` text of SHOW CREATE EVENT. @req CORE-EVT-009 */
export function createEventText(e: EventDef): string {
  let sched: string;
  if (e.executeAt !== null) sched = `AT '${datetimeText(e.executeAt, e.timeZone)}'`;
  else {
    sched = `EVERY ${intervalSql(e.intervalValue ?? 0, e.intervalField ?? 'SECOND')} ${e.intervalField ?? 'SECOND'}`;
    if (e.starts !== null) sched += ` STARTS '${datetimeText(e.starts, e.timeZone)}'`;
    if (e.ends !== null) sched += ` ENDS '${datetimeText(e.ends, e.timeZone)}'`;
  }
  const status = e.status === 'ENABLED' ? 'ENABLE' : e.status === 'DISABLED' ? 'DISABLE' : 'DISABLE ON SLAVE';
  const comment = e.comment !== '' ? ` COMMENT ${quoteString(e.comment)}` : '';
  return (
    `CREATE DEFINER=${e.definer} EVENT ${quoteIdent(e.name)} ON SCHEDULE ${sched} ` +
    `ON COMPLETION ${e.preserve ? '' : 'NOT '}PRESERVE ${status}${comment} DO ${e.body}`
  );
}

/** The SHOW CREATE EVENT row: Event, sql_mode, time_zone, Create Event, and the character sets. */
export function showCreateEventRow(e: EventDef): Row {
  return [e.name, e.sqlMode, e.timeZone, createEventText(e), e.characterSetClient, e.collationConnection, e.databaseCollation];
}

/** One information_schema.EVENTS row; `readerTz` is the reading session's time zone. @req CORE-EVT-009 */
export function informationSchemaEventsRow(e: EventDef, readerTz: string): Row {
  const tz = e.timeZone;
  return [
    'def', e.schema, e.name, definerText(e), tz, 'SQL', e.body, e.executeAt !== null ? 'ONE TIME' : 'RECURRING', when(e.executeAt, tz),
    e.intervalValue === null || e.intervalField === null ? null : intervalText(e.intervalValue, e.intervalField), e.intervalField,
    e.sqlMode, when(e.starts, tz), when(e.ends, tz), statusText(e), e.preserve ? 'PRESERVE' : 'NOT PRESERVE',
    when(e.created, readerTz), when(e.lastAltered, readerTz), when(e.lastExecuted, readerTz), e.comment, BigInt(e.originator),
    e.characterSetClient, e.collationConnection, e.databaseCollation,
  ];
}
