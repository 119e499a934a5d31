/**
 * The data dictionary: persistence across reopen, temporary tables, names, and crash safety of
 * the dictionary file (a SIGKILL at any moment leaves the old or the new state).
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Catalog } from '../../../src/catalog/catalog.js';
import { encodeFileName, decodeFileName, checkTableName, checkSchemaName } from '../../../src/catalog/names.js';
import type { TableDef } from '../../../src/kernel/table-def.js';
import { createPluginRegistry } from '../../../src/plugins/builtin.js';
import { internalEngineContext } from '../../../src/storage/handler.js';
import { SqlError } from '../../../src/kernel/errors.js';
import { Decimal, Temporal } from '../../../src/kernel/value.js';
import { req } from '../../helpers/req.js';
import { tempDirs } from '../../helpers/temp-dir.js';
import { column, tableDef } from '../../helpers/table-def.js';

const tempDir = tempDirs('refmysql-cat-');

function table(cat: Catalog, schema: string, name: string, extra: Partial<TableDef> = {}): TableDef {
  return tableDef({
    id: cat.nextTableId(),
    schema,
    name,
    columns: [
      column('a', { nullable: false, default: 5n }),
      column('d', { type: { name: 'DECIMAL', length: 10, scale: 2 }, default: new Decimal(150n, 2) }),
      column('ts', { type: { name: 'DATETIME' }, default: new Temporal('DATETIME', 2020, 1, 2, 3, 4, 5, 0) }),
      column('b', { type: { name: 'VARBINARY', length: 4 }, default: Buffer.from([1, 2]) }),
    ],
    indexes: [{ name: 'PRIMARY', kind: 'PRIMARY', algorithm: 'HASH', parts: [{ column: 0 }], comment: '', visible: true }],
    createTime: 1,
    ...extra,
  });
}

const session = (id: number) => ({ connectionId: id, engineContext: () => internalEngineContext(() => null, id) });

function errno(f: () => unknown): number {
  try {
    f();
  } catch (e) {
    return (e as SqlError).errno;
  }
  return 0;
}

describe('catalog', () => {
  it(req(['CORE-CAT-005', 'MEMORY-041', 'MEMORY-001'], 'unit', 'definitions (with typed defaults) survive reopen; MEMORY contents do not'), async () => {
    const dir = tempDir();
    const cat = await Catalog.open(dir, createPluginRegistry());
    await cat.createSchema({ name: 'db', charset: 'utf8mb4', collation: 'utf8mb4_0900_ai_ci' });
    const def = table(cat, 'db', 't');
    await cat.createTable(null, def);
    const h = await cat.openHandler(null, def);
    const ctx = internalEngineContext(() => null);
    await h.insert(ctx, [1n, null, null, null]);
    expect(h.stats(ctx).rows).toBe(1);
    await cat.close();
    const again = await Catalog.open(dir, createPluginRegistry());
    const back = again.getTable('db', 't')!;
    expect(back.columns[0]!.default).toBe(5n);
    expect(back.columns[1]!.default).toEqual(new Decimal(150n, 2));
    expect(String(back.columns[2]!.default)).toBe('2020-01-02 03:04:05');
    expect(back.columns[3]!.default).toEqual(Buffer.from([1, 2]));
    const h2 = await again.openHandler(null, back);
    expect(h2.stats(ctx).rows).toBe(0);
    expect(existsSync(join(dir, 'db'))).toBe(true);
    await again.close();
  });

  it(req(['CORE-CAT-004'], 'unit', 'schemas: 1007 on duplicate, 1008 on missing, DROP DATABASE drops its tables'), async () => {
    const cat = await Catalog.open(tempDir(), createPluginRegistry());
    await cat.createSchema({ name: 'x', charset: 'utf8mb4', collation: 'utf8mb4_0900_ai_ci' });
    await expect(cat.createSchema({ name: 'x', charset: 'utf8mb4', collation: 'utf8mb4_0900_ai_ci' })).rejects.toMatchObject({ errno: 1007 });
    await cat.createTable(null, table(cat, 'x', 't1'));
    await cat.createTable(null, table(cat, 'x', 't2'));
    expect(await cat.dropSchema(null, 'x')).toBe(2);
    expect(cat.getTable('x', 't1')).toBeUndefined();
    await expect(cat.dropSchema(null, 'x')).rejects.toMatchObject({ errno: 1008 });
    for (const s of ['mysql', 'information_schema', 'performance_schema', 'sys']) expect(cat.schemaExists(s)).toBe(true);
    await cat.close();
  });

  it(req(['CORE-CAT-007', 'MEMORY-121'], 'unit', 'temporary tables are per session and shadow base tables'), async () => {
    const cat = await Catalog.open(tempDir(), createPluginRegistry());
    await cat.createSchema({ name: 'db', charset: 'utf8mb4', collation: 'utf8mb4_0900_ai_ci' });
    await cat.createTable(null, table(cat, 'db', 't'));
    const s1 = session(1);
    await cat.createTable(s1, table(cat, 'db', 't', { temporary: true }));
    expect(cat.getTable('db', 't', s1)!.temporary).toBe(true);
    expect(cat.getTable('db', 't', session(2))!.temporary).toBe(false);
    expect(cat.snapshot().tables.length).toBe(1);
    await cat.dropTemporaryTables(s1 as never);
    expect(cat.getTable('db', 't', s1)!.temporary).toBe(false);
    await cat.close();
  });

  it(req(['CORE-CAT-008'], 'unit', 'table names are case-sensitive (lower_case_table_names=0)'), async () => {
    const cat = await Catalog.open(tempDir(), createPluginRegistry());
    await cat.createSchema({ name: 'db', charset: 'utf8mb4', collation: 'utf8mb4_0900_ai_ci' });
    await cat.createTable(null, table(cat, 'db', 'T'));
    await cat.createTable(null, table(cat, 'db', 't'));
    expect(cat.listTables('db').map((t) => t.name)).toEqual(['T', 't']);
    await expect(cat.createTable(null, table(cat, 'db', 't'))).rejects.toMatchObject({ errno: 1050 });
    await cat.close();
  });

  it(req(['CORE-CAT-002', 'ENGINE-SET-014'], 'unit', 'identifier checks and @-encoded file names'), () => {
    expect(errno(() => checkTableName('x'.repeat(65)))).toBe(1059);
    expect(errno(() => checkTableName('x'.repeat(64)))).toBe(0);
    expect(errno(() => checkTableName('bad '))).toBe(1103);
    expect(errno(() => checkSchemaName(''))).toBe(1102);
    expect(encodeFileName('a-b')).toBe('a@002db');
    expect(encodeFileName('a.b')).toBe('a@002eb');
    expect(decodeFileName(encodeFileName('we!rd näme'))).toBe('we!rd näme');
  });

  it(req(['CORE-CAT-005'], 'unit', 'a torn temporary dictionary file is ignored and removed at startup'), async () => {
    const dir = tempDir();
    const cat = await Catalog.open(dir, createPluginRegistry());
    await cat.createSchema({ name: 'keep', charset: 'utf8mb4', collation: 'utf8mb4_0900_ai_ci' });
    await cat.close();
    const torn = join(dir, '.refmysql-dictionary.json.999.1.tmp');
    writeFileSync(torn, '{"version":1,"nextTableId":5,"schemas":[{"name":"ha');
    const again = await Catalog.open(dir, createPluginRegistry());
    expect(again.schemaExists('keep')).toBe(true);
    expect(existsSync(torn)).toBe(false);
    await again.close();
  });

  it(req(['CORE-CAT-005'], 'unit', 'SIGKILL during a stream of CREATE TABLEs leaves a loadable dictionary holding every acknowledged table'), async () => {
    const root = resolve(__dirname, '..', '..', '..');
    const out = join(tempDir(), 'writer.mjs');
    execFileSync(join(root, 'node_modules', '.bin', 'rolldown'), [join(__dirname, 'fixtures', 'catalog-writer.ts'), '--file', out, '--platform', 'node'], { stdio: 'ignore' });
    const dir = tempDir();
    for (const killAfter of [5, 17, 31]) {
      const child = spawn(process.execPath, [out, dir], { stdio: ['ignore', 'pipe', 'inherit'] });
      let acked = -1;
      let buf = '';
      await new Promise<void>((resolveDone) => {
        let acks = 0;
        child.stdout!.on('data', (d: Buffer) => {
          buf += d.toString();
          let nl: number;
          while ((nl = buf.indexOf('\n')) >= 0) {
            const line = buf.slice(0, nl);
            buf = buf.slice(nl + 1);
            const m = /^ack (\d+)$/.exec(line);
            if (m) {
              acked = Number(m[1]);
              if (++acks === killAfter) child.kill('SIGKILL');
            }
          }
        });
        child.on('exit', () => resolveDone());
      });
      expect(acked).toBeGreaterThanOrEqual(0);
      const cat = await Catalog.open(dir, createPluginRegistry());
      const names = cat.listTables('s').map((t) => Number(t.name.slice(1))).sort((a, b) => a - b);
      // every acknowledged table is there, at most one more (the one in flight), and no gaps
      expect(names.length === acked + 1 || names.length === acked + 2).toBe(true);
      expect(names).toEqual(names.map((_, i) => i));
      const ids = cat.listTables('s').map((t) => t.id);
      expect(new Set(ids).size).toBe(ids.length);
      await cat.close();
      expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    }
  });
});
