/**
 * Tables the server keeps for itself in a transactional engine: the data dictionary's tables
 * and the grant tables. MySQL 8.0 stores both in InnoDB and changes them in InnoDB
 * transactions, so that a DDL or an account statement is one atomic, crash-safe commit; this
 * module is how the server does that through the ordinary engine contract (a handler per
 * table, a transaction, cursors), without going through SQL.
 *
 * Writes are whole rows keyed by the primary key: `put` replaces the row with the same key or
 * adds it, `remove` deletes it. Transactions run one at a time, in call order (the callers,
 * the dictionary store and the account store, serialise their own changes too, so nothing
 * here waits on itself), and their commits are durable when they return whatever
 * innodb_flush_log_at_trx_commit says.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/data-dictionary.html (14.1)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/system-schema.html (5.3)
 * @req CORE-DICT-015 CORE-DICT-016
 */
import type { TableDef } from '../kernel/table-def.js';
import type { Row, Value } from '../kernel/value.js';
import { drain, internalEngineContext, type EngineContext, type EngineTransaction, type StorageEngine, type TableHandler } from './handler.js';

/** The writes of one system-table transaction. */
export interface SystemTableWriter {
  /** Store `row` in `table`, replacing the row with the same primary key if there is one. */
  put(table: string, row: Row): Promise<void>;
  /** Delete the row of `table` whose primary key is `key` (and which passes `only`, when
   *  given); nothing when there is none. */
  remove(table: string, key: readonly Value[], only?: (row: Row) => boolean): Promise<void>;
}

/** Connection id of the server's own system-table work (shown in lock reports). */
export const SYSTEM_TABLES_CONNECTION_ID = 0;

export class SystemTables {
  private readonly byName = new Map<string, TableDef>();
  private readonly handlers = new Map<string, TableHandler>();
  private chain: Promise<unknown> = Promise.resolve();

  constructor(
    readonly engine: StorageEngine,
    readonly defs: readonly TableDef[],
    readonly sessionVar: (name: string) => Value,
  ) {
    for (const d of defs) this.byName.set(d.name, d);
  }

  /** The tables the engine has no storage for. */
  missing(): TableDef[] {
    return this.defs.filter((d) => !(this.engine.hasTable?.(d) ?? false));
  }

  /** Create the storage of the tables the engine does not have yet; returns their names. */
  async createMissing(): Promise<string[]> {
    const created: string[] = [];
    for (const d of this.missing()) {
      await this.engine.createTable(this.ctx(), d);
      created.push(d.name);
    }
    return created;
  }

  /** Open every table (after createMissing, or when they all exist). */
  async open(): Promise<void> {
    for (const d of this.defs) {
      if (!this.handlers.has(d.name)) this.handlers.set(d.name, await this.engine.openTable(this.ctx(), d));
    }
  }

  /** Every committed row of each of `tables` (in primary-key order), read in one snapshot:
   *  a change committed meanwhile is seen in all of them or in none. */
  readAll(tables: readonly string[]): Promise<Map<string, Row[]>> {
    return this.serial(async () => {
      const txn = this.begin(true);
      const ctx = this.ctx(txn);
      try {
        txn.beginStatement();
        const out = new Map<string, Row[]>();
        for (const table of tables) {
          const cursor = this.handler(table).scan(ctx, { lock: 'consistent', canWait: true });
          out.set(table, (await drain(cursor)).map((r) => [...r.row]));
        }
        txn.endStatement();
        await txn.commit();
        return out;
      } catch (e) {
        await txn.rollback();
        throw e;
      }
    });
  }

  /**
   * Run `work` as one transaction: committed (durably) when it returns, rolled back when it
   * throws, in which case nothing it wrote is kept.
   */
  transaction<T>(work: (w: SystemTableWriter) => Promise<T>): Promise<T> {
    return this.serial(async () => {
      const txn = this.begin(false);
      const ctx = this.ctx(txn);
      txn.beginStatement();
      try {
        const result = await work({
          put: (table, row) => this.put(ctx, table, row),
          remove: (table, key, only) => this.remove(ctx, table, key, only),
        });
        txn.endStatement();
        await txn.commit();
        return result;
      } catch (e) {
        await txn.rollback();
        throw e;
      }
    });
  }

  /** Close the handlers (the engine itself is shut down by its owner). */
  async close(): Promise<void> {
    await this.chain.catch(() => undefined);
    for (const h of this.handlers.values()) await h.close();
    this.handlers.clear();
  }

  /** The primary-key values of `row` in `table`. */
  keyOf(table: string, row: Row): Value[] {
    return primaryKeyParts(this.def(table)).map((c) => row[c] ?? null);
  }

  private def(table: string): TableDef {
    const d = this.byName.get(table);
    if (!d) throw new Error(`unknown system table ${table}`);
    return d;
  }

  private handler(table: string): TableHandler {
    const h = this.handlers.get(table);
    if (!h) throw new Error(`system table ${table} is not open`);
    return h;
  }

  private begin(readOnly: boolean): EngineTransaction {
    const begin = this.engine.beginTransaction;
    if (!begin) throw new Error(`engine ${this.engine.name} has no transactions`);
    return begin.call(this.engine, this.ctx(), { isolation: 'REPEATABLE-READ', readOnly, consistentSnapshot: false, singleStatement: true, system: true });
  }

  private ctx(txn?: EngineTransaction): EngineContext {
    const base = internalEngineContext(this.sessionVar, SYSTEM_TABLES_CONNECTION_ID);
    return txn ? { ...base, txn } : base;
  }

  private async current(ctx: EngineContext, table: string, key: readonly Value[]): Promise<{ h: TableHandler; found: { id: string | number | bigint; row: Row } | null }> {
    const h = this.handler(table);
    const rows = await drain(h.indexRead(ctx, 'PRIMARY', { kind: 'eq', key: [...key] }, { lock: 'exclusive', canWait: true }));
    const r = rows[0];
    return { h, found: r ? { id: r.id, row: r.row } : null };
  }

  private async put(ctx: EngineContext, table: string, row: Row): Promise<void> {
    const { h, found } = await this.current(ctx, table, this.keyOf(table, row));
    if (found) await h.update(ctx, found.id, found.row, row);
    else await h.insert(ctx, row);
  }

  private async remove(ctx: EngineContext, table: string, key: readonly Value[], only?: (row: Row) => boolean): Promise<void> {
    const { h, found } = await this.current(ctx, table, key);
    if (found && (only?.(found.row) ?? true)) await h.delete(ctx, found.id, found.row);
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.chain.then(work);
    this.chain = next.catch(() => undefined);
    return next;
  }
}

/** Column positions of a table's primary key. */
export function primaryKeyParts(def: TableDef): number[] {
  const pk = def.indexes.find((i) => i.kind === 'PRIMARY');
  if (!pk) throw new Error(`system table ${def.schema}.${def.name} has no primary key`);
  return pk.parts.map((p) => p.column);
}
