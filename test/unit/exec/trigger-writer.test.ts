/**
 * The table writer and triggers, with a recording handler: BEFORE triggers run ahead of the
 * engine write and may change the row, AFTER triggers once it is written, the ALTER TABLE copy
 * fires nothing, and a table without triggers keeps the synchronous path.
 */
import { describe, expect, it } from 'vitest';
import { req } from '../../helpers/req.js';
import { TableWriter, type WriterSession } from '../../../src/exec/write/table-writer.js';
import type { TableDef } from '../../../src/kernel/table-def.js';
import type { Row } from '../../../src/kernel/value.js';
import type { EngineContext, StorageEngine, TableHandler } from '../../../src/storage/handler.js';

function tableDef(triggers: boolean): TableDef {
  const def: TableDef = {
    id: 1, schema: 'd', name: 't', engine: 'MEMORY', charset: 'utf8mb4', collation: 'utf8mb4_0900_ai_ci', comment: '', options: {},
    autoIncrementStart: 1n, temporary: false, createTime: 0, indexes: [],
    columns: [{ name: 'a', type: { name: 'INT' }, nullable: true, autoIncrement: false, comment: '' }],
  };
  if (triggers) {
    def.triggers = [
      { name: 'bi', timing: 'BEFORE', event: 'INSERT', body: '', definer: '`r`@`h`', sqlMode: '', created: 0, characterSetClient: 'utf8mb4', collationConnection: 'x', databaseCollation: 'x' },
    ];
  }
  return def;
}

function setup(triggers: boolean, purpose: 'dml' | 'copy' = 'dml'): { writer: TableWriter; log: string[] } {
  const log: string[] = [];
  const handler = {
    insert: (_c: EngineContext, row: Row) => {
      log.push(`engine insert ${String(row[0])}`);
      return 7;
    },
    update: (_c: EngineContext, _id: unknown, _o: Row, n: Row) => {
      log.push(`engine update ${String(n[0])}`);
    },
    delete: () => {
      log.push('engine delete');
    },
  } as unknown as TableHandler;
  const engine = { capabilities: { transactions: true } } as unknown as StorageEngine;
  const session: WriterSession = {
    connectionId: 1,
    noteNonTransactionalChange: () => undefined,
    fireTriggers: async (_t, timing, event, newRow, oldRow) => {
      log.push(`${timing} ${event} new=${String(newRow?.[0])} old=${String(oldRow?.[0])}`);
      if (timing === 'BEFORE' && event === 'INSERT' && newRow) newRow[0] = 100n;
    },
  };
  const writer = new TableWriter(session, { def: tableDef(triggers), handler, engine, ctx: {} as EngineContext }, undefined, purpose);
  return { writer, log };
}

describe('the table writer fires triggers', () => {
  it(req(['CORE-TRG-004#insert', 'CORE-TRG-004#update', 'CORE-TRG-004#delete'], 'unit', 'BEFORE triggers run before the engine write and may change the row; AFTER triggers run after it'), async () => {
    const { writer, log } = setup(true);
    const row: Row = [1n];
    expect(await writer.insert(row)).toBe(7);
    expect(row[0]).toBe(100n);
    await writer.update({ id: 7, row: [100n] }, [5n]);
    expect(writer.lastUpdateUnchanged).toBe(false);
    // A row left unchanged is not written, but its AFTER UPDATE triggers fire.
    await writer.update({ id: 7, row: [5n] }, [5n]);
    expect(writer.lastUpdateUnchanged).toBe(true);
    await writer.delete({ id: 7, row: [5n] });
    expect(log).toEqual([
      'BEFORE INSERT new=1 old=undefined', 'engine insert 100', 'AFTER INSERT new=100 old=undefined',
      'BEFORE UPDATE new=5 old=100', 'engine update 5', 'AFTER UPDATE new=5 old=100',
      'BEFORE UPDATE new=5 old=5', 'AFTER UPDATE new=5 old=5',
      'BEFORE DELETE new=undefined old=5', 'engine delete', 'AFTER DELETE new=undefined old=5',
    ]);
  });

  it(req(['CORE-TRG-004#not-alter-copy'], 'unit', 'the ALTER TABLE copy fires no triggers, and a table without triggers stays on the synchronous path'), () => {
    const copy = setup(true, 'copy');
    expect(copy.writer.insert([1n])).toBe(7);
    expect(copy.log).toEqual(['engine insert 1']);
    const plain = setup(false);
    expect(plain.writer.insert([2n])).toBe(7);
    expect(plain.writer.firesOn('INSERT')).toBe(false);
    expect(plain.log).toEqual(['engine insert 2']);
  });
});
