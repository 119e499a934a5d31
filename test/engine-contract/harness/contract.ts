/**
 * The contract-level harness: an engine initialised on a temporary data directory, table
 * definitions built the way the dictionary builds them, engine contexts, and cursor readers
 * that check the cursor rules on every batch (at most `max` rows appended, the count returned,
 * a promise only when the caller can wait).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/pluggable-storage-overview.html (16.11)
 * @req CORE-ENG-001 CORE-ENG-007
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { ColumnType } from '../../../src/kernel/column-type.js';
import type { ColumnDef, IndexDef, TableDef } from '../../../src/kernel/table-def.js';
import type { Row, Value } from '../../../src/kernel/value.js';
import { NEVER_ABORTED, type WaitSignal } from '../../../src/kernel/wait-signal.js';
import type {
  CursorOptions,
  EngineContext,
  EngineTransaction,
  ReadLock,
  RowCursor,
  RowId,
  RowRef,
  StorageEngine,
  TableHandler,
} from '../../../src/storage/handler.js';
import { capabilitiesOf, type EngineDescriptor } from '../descriptor.js';
import { tableDef as baseTableDef } from '../../helpers/table-def.js';

/** Bound on cursor batches read by one helper call: a cursor that never reports 0 fails the test. */
export const MAX_BATCHES = 100_000;

export const READ: CursorOptions = { lock: 'consistent', canWait: false };

/**
 * How the suite reads an engine's tables: a plain read without waiting (READ), as most of the
 * server's reads are, unless the engine declares that every read waits (`readsWait`: FEDERATED,
 * whose reads are remote queries), whose rows only a reader that can wait gets.
 */
export function readOpts(d: EngineDescriptor, lock: ReadLock = 'consistent'): CursorOptions {
  return { lock, canWait: capabilitiesOf(d).readsWait === true };
}
export const LOCKS: readonly ReadLock[] = ['consistent', 'shared', 'exclusive'];

let nextTableId = 1000;

/** A column: `col('id', 'INT', { nullable: false })`. Text columns get utf8mb4_0900_ai_ci. */
export function col(name: string, type: ColumnType['name'] | ColumnType, over: Partial<ColumnDef> = {}): ColumnDef {
  const t: ColumnType = typeof type === 'string' ? { name: type } : type;
  const c: ColumnDef = { name, type: t, nullable: true, autoIncrement: false, comment: '', ...over };
  if (['CHAR', 'VARCHAR', 'TINYTEXT', 'TEXT', 'ENUM', 'SET'].includes(t.name) && c.charset === undefined) {
    c.charset = 'utf8mb4';
    c.collation = 'utf8mb4_0900_ai_ci';
  }
  return c;
}

/** An index over columns given by position. */
export function index(name: string, kind: IndexDef['kind'], algorithm: IndexDef['algorithm'], columns: readonly number[]): IndexDef {
  return { name, kind, algorithm, parts: columns.map((c) => ({ column: c })), comment: '', visible: true };
}

export function tableDef(engine: string, name: string, columns: ColumnDef[], indexes: IndexDef[] = [], over: Partial<TableDef> = {}): TableDef {
  return baseTableDef({ id: nextTableId++, schema: 'contract', name, engine, columns, indexes, createTime: Date.now(), ...over });
}

export interface ContextOptions {
  vars?: Record<string, Value>;
  txn?: EngineTransaction;
  signal?: WaitSignal;
  connectionId?: number;
}

/** A statement's engine context as a session builds it; `rolledBack` counts
 *  transactionRolledBack() calls. */
export interface TestContext extends EngineContext {
  rolledBack: number;
}

export function context(opts: ContextOptions = {}): TestContext {
  const vars = opts.vars ?? {};
  const ctx: TestContext = {
    connectionId: opts.connectionId ?? 1,
    signal: opts.signal ?? NEVER_ABORTED,
    sessionVar: (n: string): Value => vars[n] ?? null,
    rolledBack: 0,
    transactionRolledBack(): void {
      ctx.rolledBack++;
    },
    ...(opts.txn ? { txn: opts.txn } : {}),
  };
  return ctx;
}

/** One engine on its own data directory; `restart()` builds a new instance on the same one. */
export class EngineUnderTest {
  engine: StorageEngine;
  readonly datadir: string;
  private readonly parent: string;
  private running = false;

  private constructor(readonly descriptor: EngineDescriptor) {
    this.parent = mkdtempSync(join(tmpdir(), 'refmysql-ec-'));
    this.datadir = join(this.parent, 'data');
    this.engine = descriptor.create();
  }

  static async start(descriptor: EngineDescriptor): Promise<EngineUnderTest> {
    const e = new EngineUnderTest(descriptor);
    await e.engine.init(e.datadir);
    e.running = true;
    return e;
  }

  get caps(): StorageEngine['capabilities'] {
    return this.engine.capabilities;
  }

  /** Create a table and open it. */
  async table(def: TableDef, ctx: EngineContext = context()): Promise<TableHandler> {
    await this.engine.createTable(ctx, def);
    return this.engine.openTable(ctx, def);
  }

  /** Shut the engine down and start a new instance on the same data directory. */
  async restart(): Promise<void> {
    await this.engine.shutdown();
    this.engine = this.descriptor.create();
    await this.engine.init(this.datadir);
  }

  async stop(): Promise<void> {
    if (this.running) await this.engine.shutdown();
    this.running = false;
    rmSync(this.parent, { recursive: true, force: true });
  }
}

/** A key for a row handle (handles may be numbers, bigints or strings). */
export function idKey(id: RowId): string {
  return `${typeof id}:${String(id)}`;
}

/**
 * Read a cursor to the end in batches of `batch`, checking the batch rules each time: rows are
 * appended after what `out` held, at most `batch` of them, the count is returned, and once 0 is
 * returned the cursor keeps returning 0. With `canWait` false a promise fails the test.
 */
export async function readAll(cursor: RowCursor, batch = 64, canWait = false): Promise<RowRef[]> {
  const out: RowRef[] = [];
  const sentinel: RowRef = { id: -1, row: [] };
  for (let i = 0; i < MAX_BATCHES; i++) {
    const held = [sentinel];
    let n = cursor.fill(held, batch);
    if (typeof n !== 'number') {
      expect(canWait, 'a cursor opened with canWait false returned a promise').toBe(true);
      n = await n;
    }
    expect(held[0]).toBe(sentinel);
    expect(n).toBe(held.length - 1);
    expect(n).toBeLessThanOrEqual(batch);
    expect(n).toBeGreaterThanOrEqual(0);
    out.push(...held.slice(1));
    if (n === 0) {
      const again = cursor.fill([], batch);
      expect(typeof again === 'number' ? again : await again).toBe(0);
      cursor.close();
      return out;
    }
  }
  throw new Error(`cursor did not finish within ${MAX_BATCHES} batches`);
}

/** Read one batch of at most `max` rows (awaiting when the engine waits). */
export async function fillOnce(cursor: RowCursor, max: number): Promise<RowRef[]> {
  const out: RowRef[] = [];
  const n = cursor.fill(out, max);
  if (typeof n !== 'number') await n;
  return out;
}

/** The rows of a read, sorted so that reads in any natural order compare equal. */
export function sortedRows(refs: readonly RowRef[]): Row[] {
  return sortRows(refs.map((r) => r.row));
}

/** Rows sorted by value (a copy). */
export function sortRows(rows: readonly Row[]): Row[] {
  return rows.map((r) => r.slice()).sort(compareRows);
}

/** Total order on rows for comparisons in tests (NULL first, then by value). */
export function compareRows(a: Row, b: Row): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const c = compareValue(a[i] ?? null, b[i] ?? null);
    if (c !== 0) return c;
  }
  return 0;
}

function compareValue(a: Value, b: Value): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? -1 : 1;
  if (typeof a === 'bigint' && typeof b === 'bigint') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Run `f`, which must throw a SqlError `errno`; returns the message. */
export async function sqlFailure(f: () => unknown, errno: number): Promise<string> {
  let failed: unknown = null;
  try {
    await f();
  } catch (e) {
    failed = e;
  }
  if (failed === null) throw new Error(`expected error ${errno}`);
  expect((failed as { errno?: number }).errno, String(failed)).toBe(errno);
  return (failed as Error).message;
}

/** The index algorithms of the engine that serve ordinary (non-FULLTEXT, non-SPATIAL) keys. */
export function keyAlgorithms(caps: StorageEngine['capabilities']): ('BTREE' | 'HASH')[] {
  if (!caps.indexes) return [];
  return caps.indexAlgorithms.filter((a): a is 'BTREE' | 'HASH' => a === 'BTREE' || a === 'HASH');
}
