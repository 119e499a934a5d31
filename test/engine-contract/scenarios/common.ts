/**
 * Shared pieces of the contract scenarios: a fresh engine per test, tests that apply only when
 * the engine declares a capability (skipped otherwise, with the reason in the title), and the
 * standard tables the scenarios fill.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/pluggable-storage-overview.html (16.11)
 * @req PLUGGABLE-001
 */
import { it } from 'vitest';
import type { TableDef } from '../../../src/kernel/table-def.js';
import type { Row } from '../../../src/kernel/value.js';
import type { EngineContext, RowId, TableHandler } from '../../../src/storage/handler.js';
import { indexesAnyColumn, type EngineDescriptor } from '../descriptor.js';
import { col, context, EngineUnderTest, index, keyAlgorithms, tableDef } from '../harness/contract.js';

/** Run `f` with a freshly initialised engine, removed afterwards. */
export async function withEngine<T>(d: EngineDescriptor, f: (e: EngineUnderTest) => Promise<T>): Promise<T> {
  const e = await EngineUnderTest.start(d);
  try {
    return await f(e);
  } finally {
    await e.stop();
  }
}

/**
 * A test that applies when `skip` is null; otherwise it is registered as skipped with the
 * reason in its title (so a report shows what an engine was not asked to do, and why).
 */
export function scenario(skip: string | null, name: string, fn: () => Promise<void>, timeout?: number): void {
  if (skip === null) it(name, fn, timeout);
  else it.skip(`${name} (not applicable: ${skip})`, fn);
}

/** Why a row-storing scenario does not apply, or null when it does. */
/**
 * Why an engine keeps no AUTO_INCREMENT counter, or null when it keeps one: an engine that
 * discards rows finds no largest key to count from (MySQL's default handler reads it), so each
 * statement starts at 1 again (BLACKHOLE-030).
 */
export function noCounter(d: EngineDescriptor): string | null {
  if (d.rows.kind === 'discarded') return 'the engine discards rows and so keeps no AUTO_INCREMENT counter';
  if (d.autoIncrementFromRows) return 'the engine keeps no AUTO_INCREMENT counter of its own: it numbers from the largest value stored';
  return null;
}

export function needsRows(d: EngineDescriptor): string | null {
  return d.rows.kind === 'stored' ? null : 'the engine stores no rows';
}

export interface People {
  def: TableDef;
  h: TableHandler;
  ctx: EngineContext;
  /** Handles by id value, as insert returned them. */
  ids: Map<bigint, RowId>;
}

/**
 * The standard table `people (id INT NOT NULL, k INT NULL, name VARCHAR(20) NULL)` with, when
 * the engine may index any column, PRIMARY KEY (id) in the engine's default algorithm and the
 * extra indexes asked for.
 */
export async function people(e: EngineUnderTest, extra: TableDef['indexes'] = [], name = 'people'): Promise<People> {
  // An engine without nullable columns (CSV) gets k and name NOT NULL.
  const nullable = e.caps.nullableColumns;
  const columns = [col('id', 'INT', { nullable: false }), col('k', 'INT', { nullable }), col('name', { name: 'VARCHAR', length: 20 }, { nullable })];
  const indexes = e.caps.indexes && indexesAnyColumn(e.descriptor) ? [index('PRIMARY', 'PRIMARY', e.caps.defaultIndexAlgorithm, [0]), ...extra] : [];
  const def = tableDef(e.descriptor.name, name, columns, indexes);
  const ctx = context();
  const h = await e.table(def, ctx);
  return { def, h, ctx, ids: new Map() };
}

/** Insert rows (id, k, name) and remember their handles. */
export async function insertAll(p: People, rows: readonly Row[]): Promise<void> {
  for (const r of rows) p.ids.set(r[0] as bigint, await p.h.insert(p.ctx, r));
}

/** Rows (id, k, name) for ids 1..n with k = id % mod (NULL when that is 0, unless `nulls` is
 *  false: then 0) and name `n<id>`. */
export function peopleRows(n: number, mod = 5, nulls = true): Row[] {
  const out: Row[] = [];
  for (let i = 1; i <= n; i++) {
    const k = i % mod;
    out.push([BigInt(i), k === 0 && nulls ? null : BigInt(k), `n${i}`]);
  }
  return out;
}

/** The key algorithms a scenario may put on ordinary columns: none when the engine indexes only
 *  its AUTO_INCREMENT column. */
export function freeKeyAlgorithms(e: EngineUnderTest): ('BTREE' | 'HASH')[] {
  return indexesAnyColumn(e.descriptor) ? keyAlgorithms(e.caps) : [];
}
