/**
 * Test doubles for the transaction coordinator:
 *
 * - {@link TxnTestEngine}: a transactional storage engine for tests. Rows live in a MEMORY
 *   table store (so unique keys and index reads behave as MEMORY's); every change is recorded
 *   as undo (to return the live store to a statement start, a savepoint or the transaction
 *   start) and as redo (what commit makes durable). Its "durable" state ({@link TxnDurable}:
 *   committed rows and prepared transactions) is a plain object that outlives the engine, so a
 *   test can "restart" by building a new engine on the same durable state. It can play a
 *   deadlock victim or a lock-wait-timeout rollback (rows whose first column is -1213 / -1205),
 *   fail a prepare on demand, and records the calls it receives.
 * - {@link CrashSwitch}: a simulated crash. Armed with a step name ("TXA:prepare",
 *   "log:sync", ...), it throws when that step is reached and from then on refuses every
 *   durable step, so nothing after the crash point reaches the durable state.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/xa.html
 * @req CORE-ENG-003
 */
import { sqlError, type SqlError } from '../../src/kernel/errors.js';
import type { TableDef } from '../../src/kernel/table-def.js';
import type { Row } from '../../src/kernel/value.js';
import { xidKey, type Xid } from '../../src/kernel/xid.js';
import type { PluginModule } from '../../src/plugins/registry.js';
import type {
  AutoIncrementBlock,
  CursorOptions,
  EngineCapabilities,
  EngineContext,
  EngineTransaction,
  IndexRead,
  RowCursor,
  RowId,
  StorageEngine,
  TableHandler,
  TableStats,
  TransactionOptions,
} from '../../src/storage/handler.js';
import { MEMORY_CAPABILITIES, MemoryEngine } from '../../src/storage/memory/engine.js';
import type { MemoryTableStore } from '../../src/storage/memory/table-store.js';

/** What survives a "crash": committed rows per table (by a durable row key) and prepared transactions. */
export interface TxnDurable {
  tables: Map<number, Map<number, Row>>;
  prepared: Map<string, { xid: Xid; redo: Redo[] }>;
  nextKey: number;
}

export function newDurable(): TxnDurable {
  return { tables: new Map(), prepared: new Map(), nextKey: 1 };
}

/** A change to make durable at commit: the row under `key` becomes `row` (null: deleted). */
export interface Redo {
  table: number;
  key: number;
  row: Row | null;
}

export class SimulatedCrash extends Error {}

/** @req CORE-TXN-032 */
export class CrashSwitch {
  tripped = false;
  private at: string | null = null;

  arm(step: string | null): void {
    this.at = step;
  }

  /** Before a durable step: throws at the armed step and at every step after it. */
  step(name: string): void {
    if (!this.tripped && name !== this.at) return;
    this.tripped = true;
    throw new SimulatedCrash(`crashed at ${this.at}`);
  }
}

export interface TxnEngineOptions {
  name: string;
  durable?: TxnDurable;
  crash?: CrashSwitch;
  /** Shared call log ("TXA:prepare", "log:sync", ...), in call order. */
  events?: string[];
  /** Two-phase commit capability (default true). */
  xa?: boolean;
}

/** A live table: the MEMORY store and the durable key of each slot. */
class LiveTable {
  readonly keyOf = new Map<number, number>();
  readonly slotOf = new Map<number, number>();
  constructor(
    readonly id: number,
    readonly store: MemoryTableStore,
  ) {}

  bind(slot: number, key: number): void {
    this.keyOf.set(slot, key);
    this.slotOf.set(key, slot);
  }

  unbind(slot: number): number {
    const key = this.keyOf.get(slot)!;
    this.keyOf.delete(slot);
    this.slotOf.delete(key);
    return key;
  }

  /** Make the live row under `key` be `row` (null: absent). */
  put(key: number, row: Row | null): void {
    const slot = this.slotOf.get(key);
    if (row === null) {
      if (slot !== undefined) {
        this.store.delete(slot);
        this.unbind(slot);
      }
    } else if (slot !== undefined) this.store.update(slot, row);
    else this.bind(this.store.insert(row), key);
  }
}

type Undo = { table: LiveTable; key: number; before: Row | null };

function applyRedo(durable: TxnDurable, redo: readonly Redo[]): void {
  for (const r of redo) {
    let t = durable.tables.get(r.table);
    if (!t) durable.tables.set(r.table, (t = new Map()));
    if (r.row === null) t.delete(r.key);
    else t.set(r.key, r.row);
  }
}

/** One session's transaction in a {@link TxnTestEngine}. */
export class TestTxn implements EngineTransaction {
  private undo: Undo[] = [];
  private redo: Redo[] = [];
  private stmt: { u: number; r: number } | null = null;
  private savepoints: { name: string; u: number; r: number }[] = [];
  state: 'active' | 'prepared' | 'done' = 'active';
  private xid: Xid | null = null;

  constructor(
    readonly owner: TxnTestEngine,
    readonly options: TransactionOptions,
  ) {}

  get engine(): string {
    return this.owner.name;
  }

  /** Record a change made to the live store (undo: the row before; redo: the row after). */
  record(table: LiveTable, key: number, before: Row | null, after: Row | null): void {
    this.undo.push({ table, key, before });
    this.redo.push({ table: table.id, key, row: after });
  }

  private undoTo(u: number, r: number): void {
    while (this.undo.length > u) {
      const x = this.undo.pop()!;
      x.table.put(x.key, x.before);
    }
    this.redo.length = r;
  }

  private findSavepoint(name: string): number {
    for (let i = this.savepoints.length - 1; i >= 0; i--) if (this.savepoints[i]!.name.toLowerCase() === name.toLowerCase()) return i;
    return -1;
  }

  beginStatement(): void {
    this.stmt = { u: this.undo.length, r: this.redo.length };
    this.owner.event('beginStatement');
  }
  endStatement(): void {
    this.stmt = null;
    this.owner.event('endStatement');
  }
  rollbackStatement(): void {
    if (this.stmt && this.state === 'active') this.undoTo(this.stmt.u, this.stmt.r);
    this.stmt = null;
    this.owner.event('rollbackStatement');
  }
  savepoint(name: string): void {
    this.savepoints.push({ name, u: this.undo.length, r: this.redo.length });
    this.owner.event(`savepoint ${name}`);
  }
  rollbackToSavepoint(name: string): void {
    const i = this.findSavepoint(name);
    if (i < 0) throw new Error(`no savepoint ${name} in ${this.engine}`);
    this.undoTo(this.savepoints[i]!.u, this.savepoints[i]!.r);
    this.savepoints.length = i + 1;
    this.owner.event(`rollbackToSavepoint ${name}`);
  }
  releaseSavepoint(name: string): void {
    const i = this.findSavepoint(name);
    if (i >= 0) this.savepoints.splice(i, 1);
    this.owner.event(`releaseSavepoint ${name}`);
  }
  prepare(xid: Xid): void {
    this.owner.durableStep('prepare');
    if (this.owner.prepareFault) throw this.owner.prepareFault;
    this.owner.durable.prepared.set(xidKey(xid), { xid, redo: [...this.redo] });
    this.owner.livePrepared.set(xidKey(xid), this);
    this.xid = xid;
    this.state = 'prepared';
    this.owner.event('prepare');
  }
  commit(): void {
    if (this.state === 'done') return;
    this.owner.durableStep('commit');
    if (this.owner.commitFault) throw this.owner.commitFault;
    applyRedo(this.owner.durable, this.redo);
    this.finish();
    this.owner.event('commit');
  }
  rollback(): void {
    if (this.state === 'done') return;
    this.owner.durableStep('rollback');
    this.undoTo(0, 0);
    this.finish();
    this.owner.event('rollback');
  }
  private finish(): void {
    if (this.xid) {
      this.owner.durable.prepared.delete(xidKey(this.xid));
      this.owner.livePrepared.delete(xidKey(this.xid));
    }
    this.state = 'done';
    this.undo = [];
    this.redo = [];
  }
}

class TxnTableHandler implements TableHandler {
  constructor(
    private readonly owner: TxnTestEngine,
    private readonly live: LiveTable,
    private readonly inner: TableHandler,
  ) {}

  get def(): TableDef {
    return this.inner.def;
  }
  scan(ctx: EngineContext, opts: CursorOptions): RowCursor {
    return this.inner.scan(ctx, opts);
  }
  indexRead(ctx: EngineContext, indexName: string, read: IndexRead, opts: CursorOptions): RowCursor {
    return this.inner.indexRead(ctx, indexName, read, opts);
  }
  estimateRows(ctx: EngineContext, indexName: string, read: IndexRead): number {
    return this.inner.estimateRows(ctx, indexName, read);
  }
  stats(ctx: EngineContext): TableStats {
    return this.inner.stats(ctx);
  }
  reserveAutoIncrement(ctx: EngineContext, count: number): AutoIncrementBlock {
    return this.inner.reserveAutoIncrement(ctx, count);
  }
  observeAutoIncrement(ctx: EngineContext, value: bigint): void {
    this.inner.observeAutoIncrement(ctx, value);
  }
  insert(ctx: EngineContext, row: Row): RowId {
    this.owner.failIfAsked(ctx, row);
    const slot = this.live.store.insert(row);
    const key = this.owner.durable.nextKey++;
    this.live.bind(slot, key);
    this.owner.change(ctx, this.live, key, null, row);
    return slot;
  }
  update(ctx: EngineContext, id: RowId, oldRow: Row, newRow: Row): void {
    this.owner.failIfAsked(ctx, newRow);
    this.live.store.update(Number(id), newRow);
    this.owner.change(ctx, this.live, this.live.keyOf.get(Number(id))!, oldRow, newRow);
  }
  delete(ctx: EngineContext, id: RowId, row: Row): void {
    this.live.store.delete(Number(id));
    const key = this.live.unbind(Number(id));
    this.owner.change(ctx, this.live, key, row, null);
  }
  truncate(ctx: EngineContext): void {
    // Like TRUNCATE on InnoDB: DDL, not undone by a rollback.
    void this.inner.truncate(ctx);
    this.live.keyOf.clear();
    this.live.slotOf.clear();
    this.owner.durable.tables.set(this.live.id, new Map());
  }
  close(): void {
    void this.inner.close();
  }
}

export const TXN_TEST_DEADLOCK = -1213;
export const TXN_TEST_LOCK_TIMEOUT = -1205;

/** @req CORE-ENG-003 */
export class TxnTestEngine implements StorageEngine {
  readonly name: string;
  readonly aliases: readonly string[] = [];
  readonly comment = 'Transactional engine for tests';
  readonly capabilities: EngineCapabilities;
  readonly durable: TxnDurable;
  readonly events: string[];
  /** Transactions prepared by sessions of this process, by XID key. */
  readonly livePrepared = new Map<string, TestTxn>();
  /** Options of every transaction begun, in order. */
  readonly begun: TransactionOptions[] = [];
  /** Thrown by prepare / commit calls while set. */
  prepareFault: SqlError | null = null;
  commitFault: SqlError | null = null;
  private readonly inner = new MemoryEngine();
  private readonly live = new Map<number, LiveTable>();
  /** Table ids by 'schema.table', for tests. */
  private readonly ids = new Map<string, number>();
  private readonly crash: CrashSwitch | undefined;

  constructor(opts: TxnEngineOptions) {
    this.name = opts.name;
    this.durable = opts.durable ?? newDurable();
    this.events = opts.events ?? [];
    this.crash = opts.crash;
    this.capabilities = { ...MEMORY_CAPABILITIES, transactions: true, xa: opts.xa ?? true, savepoints: true, defaultIndexAlgorithm: 'BTREE', temporaryTables: false };
  }

  event(what: string): void {
    this.events.push(`${this.name}:${what}`);
  }

  durableStep(what: string): void {
    this.crash?.step(`${this.name}:${what}`);
  }

  /** A row change: part of the session's transaction, or durable at once without one. */
  change(ctx: EngineContext, table: LiveTable, key: number, before: Row | null, after: Row | null): void {
    const t = ctx.txn;
    if (t instanceof TestTxn && t.owner === this && t.state === 'active') t.record(table, key, before, after);
    else applyRedo(this.durable, [{ table: table.id, key, row: after }]);
  }

  /** Play a deadlock victim / lock-wait-timeout rollback for the magic first-column values. */
  failIfAsked(ctx: EngineContext, row: Row): void {
    const first = row[0];
    const v = typeof first === 'bigint' || typeof first === 'number' ? Number(first) : NaN;
    if (v !== TXN_TEST_DEADLOCK && v !== TXN_TEST_LOCK_TIMEOUT) return;
    const t = ctx.txn;
    if (t instanceof TestTxn && t.owner === this) t.rollback();
    ctx.transactionRolledBack();
    throw sqlError(v === TXN_TEST_DEADLOCK ? 'ER_LOCK_DEADLOCK' : 'ER_LOCK_WAIT_TIMEOUT');
  }

  async init(_datadir: string): Promise<void> {}
  async shutdown(): Promise<void> {}

  async createTable(ctx: EngineContext, def: TableDef): Promise<void> {
    await this.inner.createTable(ctx, def);
    this.durable.tables.set(def.id, new Map());
    this.ids.set(`${def.schema}.${def.name}`.toLowerCase(), def.id);
  }

  async dropTable(ctx: EngineContext, def: TableDef): Promise<void> {
    await this.inner.dropTable(ctx, def);
    this.live.delete(def.id);
    this.durable.tables.delete(def.id);
  }

  async renameTable(ctx: EngineContext, from: TableDef, to: TableDef): Promise<void> {
    await this.inner.renameTable(ctx, from, to);
    const rows = this.durable.tables.get(from.id);
    this.durable.tables.delete(from.id);
    if (rows) this.durable.tables.set(to.id, rows);
    this.live.delete(from.id);
  }

  async openTable(ctx: EngineContext, def: TableDef): Promise<TableHandler> {
    const inner = await this.inner.openTable(ctx, def);
    this.ids.set(`${def.schema}.${def.name}`.toLowerCase(), def.id);
    let live = this.live.get(def.id);
    if (!live) {
      live = new LiveTable(def.id, this.inner.storeOf(def.id)!);
      this.live.set(def.id, live);
      // First open in this process: load the committed rows.
      if (live.store.rowCount === 0) for (const [key, row] of this.durable.tables.get(def.id) ?? []) live.bind(live.store.insert(row), key);
    }
    return new TxnTableHandler(this, live, inner);
  }

  beginTransaction(_ctx: EngineContext, options: TransactionOptions): EngineTransaction {
    this.begun.push(options);
    this.event('begin');
    return new TestTxn(this, options);
  }

  async commitByXid(xid: Xid): Promise<void> {
    const key = xidKey(xid);
    const mine = this.livePrepared.get(key);
    if (mine) return mine.commit();
    const p = this.durable.prepared.get(key);
    if (!p) return;
    this.durableStep('commit');
    applyRedo(this.durable, p.redo);
    for (const r of p.redo) this.live.get(r.table)?.put(r.key, r.row);
    this.durable.prepared.delete(key);
    this.event('commitByXid');
  }

  async rollbackByXid(xid: Xid): Promise<void> {
    const key = xidKey(xid);
    const mine = this.livePrepared.get(key);
    if (mine) return mine.rollback();
    if (!this.durable.prepared.has(key)) return;
    this.durableStep('rollback');
    this.durable.prepared.delete(key);
    this.event('rollbackByXid');
  }

  async recover(): Promise<Xid[]> {
    return [...this.durable.prepared.values()].map((p) => p.xid);
  }

  /** Committed rows of a table, in key order (what a restart would find). */
  committedRows(tableId: number): Row[] {
    return [...(this.durable.tables.get(tableId) ?? new Map<number, Row>()).entries()].sort((a, b) => a[0] - b[0]).map((e) => e[1]);
  }

  /** Committed rows of `schema.table` (a table this engine has created or opened). */
  committed(name: string): Row[] {
    const id = this.ids.get(name.toLowerCase());
    return id === undefined ? [] : this.committedRows(id);
  }
}

/** The engine as a built-in plugin (startTestServer({ plugins })). */
export function txnEnginePlugin(engine: TxnTestEngine): PluginModule {
  return {
    name: engine.name,
    type: 'STORAGE ENGINE',
    description: 'Transactional engine for tests',
    author: 'refmysql tests',
    version: '1.0',
    license: 'GPL',
    createEngine: () => engine,
  };
}
