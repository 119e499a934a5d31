/**
 * A minimal transactional engine for the suite's own use: MEMORY tables plus a per-transaction
 * undo log, giving statement rollback, savepoints, rollback and two-phase commit (prepared
 * transactions kept in memory, so recover() finds them until the engine restarts). It has no
 * isolation and no locks. It exists so that the transaction scenarios are known to run and to
 * fail before a real transactional engine arrives; it is not an engine of the server.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/xa.html
 * @req CORE-ENG-003
 */
import type { TableDef } from '../../../src/kernel/table-def.js';
import { sqlError } from '../../../src/kernel/errors.js';
import type { Row } from '../../../src/kernel/value.js';
import { xidKey, xidFromKey, type Xid } from '../../../src/kernel/xid.js';
import type {
  EngineCapabilities,
  EngineContext,
  EngineTransaction,
  RowId,
  StorageEngine,
  TableHandler,
  TransactionOptions,
} from '../../../src/storage/handler.js';
import { MEMORY_CAPABILITIES, MemoryEngine } from '../../../src/storage/memory/engine.js';

/** One change to undo: the inverse is applied through the table's handler. */
type Undo =
  | { kind: 'insert'; h: TableHandler; id: RowId; row: Row }
  | { kind: 'update'; h: TableHandler; id: RowId; before: Row; after: Row }
  | { kind: 'delete'; h: TableHandler; id: RowId; row: Row };

class UndoTransaction implements EngineTransaction {
  readonly engine = 'UNDO_TEST';
  readonly log: Undo[] = [];
  private statementStart = 0;
  private readonly savepoints = new Map<string, number>();
  xid: Xid | null = null;

  constructor(private readonly owner: UndoEngine) {}

  beginStatement(): void {
    this.statementStart = this.log.length;
  }
  endStatement(): void {
    this.statementStart = this.log.length;
  }
  async rollbackStatement(): Promise<void> {
    await this.undoTo(this.statementStart);
  }
  savepoint(name: string): void {
    this.savepoints.set(name, this.log.length);
  }
  async rollbackToSavepoint(name: string): Promise<void> {
    const at = this.savepoints.get(name);
    if (at === undefined) throw sqlError('ER_SP_DOES_NOT_EXIST', 'SAVEPOINT', name);
    await this.undoTo(at);
    // Savepoints set after this one are gone; this one stays.
    for (const [n, pos] of this.savepoints) if (pos > at) this.savepoints.delete(n);
  }
  releaseSavepoint(name: string): void {
    this.savepoints.delete(name);
  }
  prepare(xid: Xid): void {
    this.xid = xid;
    this.owner.prepared.set(xidKey(xid), this);
  }
  commit(): void {
    this.log.length = 0;
    this.forget();
  }
  async rollback(): Promise<void> {
    await this.undoTo(0);
    this.forget();
  }

  private forget(): void {
    if (this.xid) this.owner.prepared.delete(xidKey(this.xid));
    this.xid = null;
  }

  /** Undo newest first; a row put back by undoing a delete gets a new handle, which older
   *  entries for that row then use. */
  private async undoTo(pos: number): Promise<void> {
    const moved = new Map<RowId, RowId>();
    const ctx = this.owner.quietContext;
    while (this.log.length > pos) {
      const u = this.log.pop()!;
      const id = moved.get(u.id) ?? u.id;
      if (u.kind === 'insert') await u.h.delete(ctx, id, u.row);
      else if (u.kind === 'update') await u.h.update(ctx, id, u.after, u.before);
      else moved.set(u.id, await u.h.insert(ctx, u.row));
    }
  }
}

/** A MEMORY handler whose changes are logged in the statement's transaction. */
function logged(h: TableHandler): TableHandler {
  const txnOf = (ctx: EngineContext): UndoTransaction | null => (ctx.txn instanceof UndoTransaction ? ctx.txn : null);
  return Object.assign(Object.create(h) as TableHandler, {
    async insert(ctx: EngineContext, row: Row): Promise<RowId> {
      const id = await h.insert(ctx, row);
      txnOf(ctx)?.log.push({ kind: 'insert', h, id, row: row.slice() });
      return id;
    },
    async update(ctx: EngineContext, id: RowId, oldRow: Row, newRow: Row): Promise<void> {
      await h.update(ctx, id, oldRow, newRow);
      txnOf(ctx)?.log.push({ kind: 'update', h, id, before: oldRow.slice(), after: newRow.slice() });
    },
    async delete(ctx: EngineContext, id: RowId, row: Row): Promise<void> {
      await h.delete(ctx, id, row);
      txnOf(ctx)?.log.push({ kind: 'delete', h, id, row: row.slice() });
    },
  });
}

export const UNDO_CAPABILITIES: EngineCapabilities = { ...MEMORY_CAPABILITIES, transactions: true, xa: true, savepoints: true };

export class UndoEngine implements StorageEngine {
  readonly name = 'UNDO_TEST';
  readonly aliases: readonly string[] = [];
  readonly comment = 'MEMORY tables with an undo log (contract suite test double)';
  readonly capabilities = UNDO_CAPABILITIES;
  readonly prepared = new Map<string, UndoTransaction>();
  readonly quietContext: EngineContext;
  private readonly inner = new MemoryEngine();

  constructor() {
    this.quietContext = { connectionId: 0, signal: { reason: null, onAbort: () => () => undefined }, sessionVar: () => null, transactionRolledBack: () => undefined };
  }

  init(datadir: string): Promise<void> {
    return this.inner.init(datadir);
  }
  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }
  createTable(ctx: EngineContext, def: TableDef): Promise<void> {
    return this.inner.createTable(ctx, def);
  }
  dropTable(ctx: EngineContext, def: TableDef): Promise<void> {
    return this.inner.dropTable(ctx, def);
  }
  renameTable(ctx: EngineContext, from: TableDef, to: TableDef): Promise<void> {
    return this.inner.renameTable(ctx, from, to);
  }
  async openTable(ctx: EngineContext, def: TableDef): Promise<TableHandler> {
    return logged(await this.inner.openTable(ctx, def));
  }
  beginTransaction(_ctx: EngineContext, _options: TransactionOptions): EngineTransaction {
    return new UndoTransaction(this);
  }
  async commitByXid(xid: Xid): Promise<void> {
    await this.prepared.get(xidKey(xid))?.commit();
  }
  async rollbackByXid(xid: Xid): Promise<void> {
    await this.prepared.get(xidKey(xid))?.rollback();
  }
  async recover(): Promise<Xid[]> {
    return [...this.prepared.keys()].map((k) => xidFromKey(k)!);
  }
}
