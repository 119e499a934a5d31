/**
 * The JSON dictionary store: change sets go to the journal (one small append each, the
 * checkpoint untouched), the journal is folded into the checkpoint when it has grown as large as
 * the dictionary and at shutdown, a torn journal tail is dropped, records already in the
 * checkpoint are not applied twice, and a dictionary file from before the journal loads as it is.
 */
import { appendFileSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Catalog } from '../../../src/catalog/catalog.js';
import { change, type DictionaryContents } from '../../../src/catalog/dictionary-store.js';
import { JsonDictionaryStore, type DictionaryFile } from '../../../src/catalog/json-dictionary-store.js';
import { DICTIONARY_FILE, DICTIONARY_JOURNAL_FILE, DICTIONARY_JOURNAL_MIN_CHECKPOINT_BYTES } from '../../../src/catalog/limits.js';
import { installedPluginItems } from '../../../src/plugins/plugin-load.js';
import { createPluginRegistry } from '../../../src/plugins/builtin.js';
import type { TableDef } from '../../../src/kernel/table-def.js';
import { req } from '../../helpers/req.js';
import { tempDirs } from '../../helpers/temp-dir.js';
import { column, tableDef } from '../../helpers/table-def.js';

const tempDir = tempDirs('refmysql-store-');

function table(id: number, name: string): TableDef {
  return tableDef({ id, schema: 's', name, columns: [column('c', { type: { name: 'BIGINT' }, comment: 'x'.repeat(100), default: 42n })], createTime: 1 });
}

const schema = { name: 's', charset: 'utf8mb4', collation: 'utf8mb4_0900_ai_ci' };
const size = (p: string): number => (existsSync(p) ? statSync(p).size : 0);

async function fresh(dir: string): Promise<JsonDictionaryStore> {
  const store = new JsonDictionaryStore(dir);
  expect(await store.load()).toBeUndefined();
  await store.commit([change.putSchema(schema)], 1);
  await store.checkpoint();
  return store;
}

const names = (c: DictionaryContents | undefined): string[] => (c?.tables ?? []).map((t) => t.name).sort();

describe('JSON dictionary store', () => {
  it(req(['CORE-DICT-002', 'CORE-DICT-001'], 'unit', 'a change set is one journal append; the checkpoint is not rewritten; reopening applies the journal'), async () => {
    const dir = tempDir();
    const store = await fresh(dir);
    const cp = join(dir, DICTIONARY_FILE);
    const journal = join(dir, DICTIONARY_JOURNAL_FILE);
    for (let i = 1; i <= 150; i++) await store.commit([change.putTable(table(i, `t${i}`))], i + 1);
    const cpBefore = readFileSync(cp, 'utf8');
    const before = size(journal);
    await store.commit([change.putTable(table(151, 't151'))], 152);
    // The append is about one table's JSON, however large the dictionary has grown.
    const one = JSON.stringify(table(151, 't151'), (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v)).length;
    expect(size(journal) - before).toBeLessThan(one + 200);
    expect(readFileSync(cp, 'utf8')).toBe(cpBefore);
    await store.commit([change.removeTable({ schema: 's', name: 't1' })], 152);
    // A second store over the same files (no clean shutdown) sees everything committed.
    const again = new JsonDictionaryStore(dir);
    const c = await again.load();
    expect(c?.tables.length).toBe(150);
    expect(c?.nextTableId).toBe(152);
    expect(c?.tables.find((t) => t.name === 't2')?.columns[0]?.default).toBe(42n);
    expect(names(c)).not.toContain('t1');
    await again.close();
    await store.close();
  });

  it(req(['CORE-DICT-003'], 'unit', 'the journal is folded into the checkpoint once it is as large as the dictionary, and at close'), async () => {
    const dir = tempDir();
    const store = await fresh(dir);
    const journal = join(dir, DICTIONARY_JOURNAL_FILE);
    let peak = 0;
    let previous = 0;
    for (let i = 1; i <= 2000 && peak === 0; i++) {
      await store.commit([change.putTable(table(i, `t${i}`))], i + 1);
      const now = size(journal);
      if (now < previous) peak = previous;
      previous = now;
    }
    // Folded once the journal reached the threshold, not before.
    expect(peak).toBeGreaterThanOrEqual(DICTIONARY_JOURNAL_MIN_CHECKPOINT_BYTES);
    expect(peak).toBeLessThan(DICTIONARY_JOURNAL_MIN_CHECKPOINT_BYTES + 2000);
    const file = JSON.parse(readFileSync(join(dir, DICTIONARY_FILE), 'utf8')) as DictionaryFile;
    expect(file.journalSeq).toBeGreaterThan(0);
    await store.commit([change.putTable(table(5000, 'last'))], 5001);
    expect(size(journal)).toBeGreaterThan(0);
    await store.close();
    // After a clean shutdown the checkpoint alone is the whole dictionary (older readers).
    expect(size(journal)).toBe(0);
    const whole = JSON.parse(readFileSync(join(dir, DICTIONARY_FILE), 'utf8')) as DictionaryFile;
    expect(whole.tables.some((t) => t.name === 'last')).toBe(true);
    expect(whole.nextTableId).toBe(5001);
  });

  it(req(['CORE-DICT-002', 'CORE-CAT-005'], 'unit', 'a torn journal tail is dropped and cut off; later commits land after the good records'), async () => {
    const dir = tempDir();
    const store = await fresh(dir);
    await store.commit([change.putTable(table(1, 'a'))], 2);
    await store.commit([change.putTable(table(2, 'b'))], 3);
    const journal = join(dir, DICTIONARY_JOURNAL_FILE);
    const good = readFileSync(journal, 'utf8');
    // A crash in the middle of the next append.
    appendFileSync(journal, good.split('\n')[1]!.slice(0, 40));
    const again = new JsonDictionaryStore(dir);
    expect(names(await again.load())).toEqual(['a', 'b']);
    expect(readFileSync(journal, 'utf8')).toBe(good);
    await again.commit([change.putTable(table(3, 'c'))], 4);
    const third = new JsonDictionaryStore(dir);
    expect(names(await third.load())).toEqual(['a', 'b', 'c']);
    await third.close();
    await again.close();
    await store.close();
  });

  it(req(['CORE-DICT-003'], 'unit', 'records the checkpoint already holds (crash between checkpoint and journal reset) are not applied twice'), async () => {
    const dir = tempDir();
    const store = await fresh(dir);
    await store.commit([change.putTable(table(1, 'a'))], 2);
    const journal = join(dir, DICTIONARY_JOURNAL_FILE);
    const oldJournal = readFileSync(journal, 'utf8');
    await store.checkpoint();
    // The checkpoint now holds `a`; restore the journal as if its reset had not happened, and
    // add to the checkpoint a removal the journal does not know about.
    const cp = JSON.parse(readFileSync(join(dir, DICTIONARY_FILE), 'utf8')) as DictionaryFile;
    cp.tables = [];
    writeFileSync(join(dir, DICTIONARY_FILE), JSON.stringify(cp));
    writeFileSync(journal, oldJournal);
    const again = new JsonDictionaryStore(dir);
    expect(names(await again.load())).toEqual([]);
    await again.close();
    await store.close();
  });

  it(req(['CORE-DICT-003', 'CORE-CAT-005'], 'unit', 'a dictionary file written before the journal existed loads unchanged through the catalog'), async () => {
    const dir = tempDir();
    const legacy = {
      version: 1,
      nextTableId: 8,
      schemas: [schema],
      tables: [{ ...table(7, 'old'), autoIncrementStart: '1', columns: [{ name: 'c', type: { name: 'INT' }, nullable: true, autoIncrement: false, comment: '', default: { $: 'i', v: '5' } }], foreignKeys: [{ name: 'fk', text: 'FOREIGN KEY (`c`) REFERENCES `p` (`id`)' }] }],
      plugins: [],
      views: [],
    };
    writeFileSync(join(dir, DICTIONARY_FILE), JSON.stringify(legacy, null, 1));
    const cat = await Catalog.open(dir, createPluginRegistry());
    const t = cat.getTable('s', 'old')!;
    expect(t.columns[0]!.default).toBe(5n);
    expect(t.foreignKeys).toEqual([]);
    expect(cat.nextTableId()).toBe(8);
    await cat.close();
  });

  it(req(['CORE-DICT-003', 'PLUGGABLE-011'], 'unit', 'INSTALL PLUGIN writes a checkpoint: the startup reader of mysql.plugin sees it without the journal'), async () => {
    const dir = tempDir();
    const cat = await Catalog.open(dir, createPluginRegistry());
    await cat.createSchema(schema);
    await cat.installPlugin('EXAMPLE', 'ha_example.so');
    await cat.createSchema({ ...schema, name: 's2' });
    expect(size(join(dir, DICTIONARY_JOURNAL_FILE))).toBeGreaterThan(0);
    expect(installedPluginItems(dir)).toEqual([{ name: 'EXAMPLE', soname: 'ha_example.so' }]);
    await cat.close();
  });
});
