/**
 * Opening and locking the tables a statement names, before it is compiled: base tables get
 * their handler, views are expanded (their own tables open too, in the view's schema),
 * computed tables are found. Every statement opens its tables here, so this is where a
 * statement's locks are taken:
 *
 * 1. metadata locks on every name (SHARED_READ to read, SHARED_WRITE to write, to the end of
 *    the transaction; GLOBAL INTENTION_EXCLUSIVE for the statement when it writes), in a fixed
 *    order; the names are opened first and opened again when a DDL changed the dictionary
 *    while the statement waited;
 * 2. then, all at once and in a fixed order, table locks on the tables whose engine locks
 *    whole tables (read or write), held to the end of the statement. The target of a plain
 *    INSERT takes a concurrent-insert lock when its engine allows one, and a read lets the
 *    engine fix the rows the statement sees (concurrent-insert.ts).
 *
 * Temporary tables (private to the session) and computed tables take no locks. Under LOCK
 * TABLES the session already holds what it may use, so nothing is taken. A statement that is
 * only being described (COM_STMT_PREPARE) takes no locks either.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/metadata-locking.html (10.11.4)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/table-cache.html
 * @req CORE-EXEC-030 CORE-MDL-003 CORE-MDL-007 CORE-MDL-010 CORE-LOCK-001 MYISAM-021
 */
import type { OpenedTable } from '../../catalog/catalog-api.js';
import { sqlError } from '../../kernel/errors.js';
import type { Session } from '../session.js';
import { MAX_OPENED_TABLES, MAX_REOPEN_ATTEMPTS } from '../locks/limits.js';
import type { MdlTicket } from '../locks/mdl-manager.js';
import type { MdlRequest } from '../locks/mdl-types.js';
import type { TableLockRequest } from '../locks/session-locks.js';
import { tableKey } from '../locks/table-locks.js';
import { tableLockFor } from '../locks/concurrent-insert.js';
import { collectTablesOfSelect } from './statement-tables.js';

export { tableKey };

/** Tables opened ahead of compilation, keyed 'schema\0name' in lower case. */
export type OpenedTables = Map<string, OpenedTable | null>;

/** A name the statement uses, as resolved (schema filled in) and opened. */
interface OpenedName {
  key: string;
  schema: string;
  name: string;
  opened: OpenedTable | null;
  write: boolean;
  /** Written only as the target of a plain INSERT (a concurrent insert where allowed). */
  insert: boolean;
}

const SOURCE = 'open-tables.ts';
const COMPUTED_SCHEMAS = new Set(['information_schema', 'performance_schema']);

/**
 * Collect every named table a statement uses, open and lock them. `writes` holds the keys of
 * the tables the statement changes (a view's tables inherit its intent), `inserts` those of
 * them a plain INSERT writes. CTE names are tried too (harmless).
 * @req CORE-MDL-007 CORE-LOCK-001
 */
export function openStatementTables(
  session: Session,
  refs: Iterable<{ schema?: string; name: string }>,
  into: OpenedTables,
  writes?: ReadonlySet<string>,
  inserts?: ReadonlySet<string>,
): void | Promise<void> {
  const locks = session.locks;
  const lockNow = locks.enabled && locks.lockedTables === null && session.statementControl() !== null;
  const list = Array.isArray(refs) ? (refs as readonly { schema?: string; name: string }[]) : [...refs];
  // Everything below runs without a turn of the event loop while the handlers are open and no
  // lock must be waited for (the common case); the first promise moves the rest to finishOpen.
  const epoch = locks.epoch;
  const names = openNames(session, list, into, writes, inserts);
  if (names instanceof Promise) return finishOpen(session, list, into, writes, inserts, lockNow, names, epoch, null);
  if (!lockNow) return record(names, into);
  const granted = acquireFor(session, names);
  if (granted instanceof Promise || locks.epoch !== epoch) return finishOpen(session, list, into, writes, inserts, lockNow, names, epoch, granted);
  return lockOpened(session, names, into);
}

function record(names: readonly OpenedName[], into: OpenedTables): void {
  for (const n of names) into.set(n.key, n.opened);
}

/** Record what was opened and take the table locks. */
function lockOpened(session: Session, names: readonly OpenedName[], into: OpenedTables): void | Promise<void> {
  record(names, into);
  const tl = tableLockRequests(session, names);
  if (tl.length > 0) return session.locks.lockTables(tl);
}

/**
 * The rest of {@link openStatementTables} once something had to be waited for: a handler
 * being opened, or a metadata lock (`requested`: the locks of `first` were already asked for).
 * When an EXCLUSIVE lock came or went while the statement waited, a DDL may have changed the
 * tables: they are opened (and locked) again.
 */
async function finishOpen(
  session: Session,
  list: readonly { schema?: string; name: string }[],
  into: OpenedTables,
  writes: ReadonlySet<string> | undefined,
  inserts: ReadonlySet<string> | undefined,
  lockNow: boolean,
  first: OpenedName[] | Promise<OpenedName[]>,
  firstEpoch: number,
  requested: MdlTicket[] | Promise<MdlTicket[]> | null,
): Promise<void> {
  const locks = session.locks;
  let names = await first;
  if (!lockNow) return record(names, into);
  let epoch = firstEpoch;
  let wait = requested ?? acquireFor(session, names);
  for (let attempt = 0; ; attempt++) {
    await wait;
    if (locks.epoch === epoch || attempt >= MAX_REOPEN_ATTEMPTS) break;
    epoch = locks.epoch;
    names = await openNames(session, list, into, writes, inserts);
    wait = acquireFor(session, names);
  }
  await lockOpened(session, names, into);
}

function acquireFor(session: Session, names: readonly OpenedName[]): MdlTicket[] | Promise<MdlTicket[]> {
  const requests = metadataRequests(session, names);
  return requests.length > 0 ? session.locks.acquireAll(requests) : [];
}

/** A name waiting to be opened: schema resolved, and whether the statement writes it. */
interface QueuedName {
  schema: string | null;
  name: string;
  write: boolean;
}

/** A name due to be opened. */
interface DueName {
  key: string;
  schema: string;
  name: string;
  write: boolean;
  insert: boolean;
}

/** The work of {@link openNames}: the queue of names (views add theirs) and what was opened. */
class NameQueue {
  readonly queue: QueuedName[] = [];
  readonly out: OpenedName[] = [];
  private readonly seen = new Map<string, OpenedName>();

  constructor(
    private readonly known: OpenedTables,
    private readonly writes: ReadonlySet<string> | undefined,
    private readonly inserts: ReadonlySet<string> | undefined,
  ) {}

  /** The name at `i` if it still has to be opened (not opened already, not known), else null. */
  due(i: number): DueName | null {
    const t = this.queue[i]!;
    if (t.schema === null) return null;
    const key = tableKey(t.schema, t.name);
    const write = t.write || (this.writes?.has(key) ?? false);
    // A table reached through a view (t.write inherited) is not the INSERT's own target.
    const insert = !t.write && (this.inserts?.has(key) ?? false);
    const prev = this.seen.get(key);
    if (prev) {
      if (write && !insert) prev.insert = false;
      prev.write ||= write;
      return null;
    }
    if (this.known.has(key)) return null;
    return { key, schema: t.schema, name: t.name, write, insert };
  }

  /** Record one opened name; a view's own tables join the queue, resolved in the view's schema. */
  add(d: DueName, opened: OpenedTable | null): void {
    const n: OpenedName = { key: d.key, schema: opened?.def.schema ?? d.schema, name: opened?.def.name ?? d.name, opened, write: d.write, insert: d.insert };
    this.seen.set(d.key, n);
    this.out.push(n);
    if (opened?.kind === 'view') {
      const inner: { schema?: string; name: string }[] = [];
      collectTablesOfSelect(opened.query, inner);
      for (const x of inner) this.queue.push({ schema: x.schema ?? opened.def.schema, name: x.name, write: d.write });
    }
    // A MERGE table's children open and lock with it, with its intent. @req MERGE-088
    if (opened?.kind === 'base' && opened.engine.underlyingTables) {
      for (const x of opened.engine.underlyingTables(opened.def)) this.queue.push({ schema: x.schema, name: x.name, write: d.write });
    }
  }
}

/** Open every name (and the tables of views, in the view's schema) not in `known` yet. */
function openNames(
  session: Session,
  refs: readonly { schema?: string; name: string }[],
  known: OpenedTables,
  writes: ReadonlySet<string> | undefined,
  inserts: ReadonlySet<string> | undefined,
): OpenedName[] | Promise<OpenedName[]> {
  const q = new NameQueue(known, writes, inserts);
  for (const t of refs) q.queue.push({ schema: t.schema ?? session.schema, name: t.name, write: false });
  for (let i = 0; i < q.queue.length && i < MAX_OPENED_TABLES; i++) {
    const d = q.due(i);
    if (!d) continue;
    const opened = session.deps.catalog.openTable(session, d.schema, d.name);
    if (opened instanceof Promise) return openNamesFrom(session, q, i, d, opened);
    q.add(d, opened ?? null);
  }
  return q.out;
}

/** {@link openNames} from the first table whose handler had to be waited for. */
async function openNamesFrom(session: Session, q: NameQueue, at: number, first: DueName, pending: Promise<OpenedTable | undefined>): Promise<OpenedName[]> {
  q.add(first, (await pending) ?? null);
  for (let i = at + 1; i < q.queue.length && i < MAX_OPENED_TABLES; i++) {
    const d = q.due(i);
    if (d) q.add(d, (await session.deps.catalog.openTable(session, d.schema, d.name)) ?? null);
  }
  return q.out;
}

/** Whether a name needs a metadata lock: stored tables and views, and names not found. */
function lockable(n: OpenedName): boolean {
  if (n.opened === null) return !COMPUTED_SCHEMAS.has(n.schema.toLowerCase());
  if (n.opened.kind === 'virtual') return false;
  return !n.opened.def.temporary;
}

/**
 * SHARED_READ or SHARED_WRITE per name, of transaction duration; GLOBAL INTENTION_EXCLUSIVE
 * for the statement when it writes (FLUSH TABLES WITH READ LOCK then makes it wait).
 * @req CORE-MDL-007 CORE-MDL-010 CORE-LOCK-004
 */
function metadataRequests(session: Session, names: readonly OpenedName[]): MdlRequest[] {
  const out: MdlRequest[] = [];
  let writes = false;
  for (const n of names) {
    if (!lockable(n)) continue;
    writes ||= n.write;
    out.push({ namespace: 'TABLE', schema: n.schema, name: n.name, type: n.write ? 'SHARED_WRITE' : 'SHARED_READ', duration: 'TRANSACTION', source: SOURCE });
  }
  if (writes) {
    // A session holding the global read lock may not write (1223), as in MySQL.
    if (session.locks.holdsGlobalReadLock()) throw sqlError('ER_CANT_UPDATE_WITH_READLOCK');
    out.push({ namespace: 'GLOBAL', schema: '', name: '', type: 'INTENTION_EXCLUSIVE', duration: 'STATEMENT', source: SOURCE });
  }
  return out;
}

/**
 * Table locks for the stored tables whose engine locks whole tables: read, write, or a
 * concurrent insert for a plain INSERT's target when its engine allows one.
 * @req CORE-LOCK-001 MYISAM-021
 */
function tableLockRequests(session: Session, names: readonly OpenedName[]): TableLockRequest[] {
  const out: TableLockRequest[] = [];
  for (const n of names) {
    const o = n.opened;
    if (o?.kind !== 'base' || o.def.temporary || o.engine.capabilities.lockGranularity !== 'table') continue;
    const r: TableLockRequest = { key: n.key, schema: o.def.schema, name: o.def.name, write: n.write };
    const how = tableLockFor(session, o.handler, n.write ? (n.insert ? 'insert' : 'write') : 'read');
    if (how.mode !== (n.write ? 'write' : 'read')) r.mode = how.mode;
    if (how.hooks) r.hooks = how.hooks;
    out.push(r);
  }
  return out;
}
