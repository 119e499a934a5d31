/**
 * The MERGE engine on its own: the `.MRG` codec, the conformance rules, and reads and writes
 * over children held by another engine (MEMORY here, so that the engine is tested without
 * MyISAM; the server only accepts MyISAM children, which the wire tests prove).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { TableDef } from '../../../src/kernel/table-def.js';
import { drain, internalEngineContext, type TableHandler } from '../../../src/storage/handler.js';
import { MemoryEngine } from '../../../src/storage/memory/engine.js';
import { conformanceProblem } from '../../../src/storage/merge/conformance.js';
import { MergeEngine } from '../../../src/storage/merge/engine.js';
import { formatMrgFile, parseMrgFile } from '../../../src/storage/merge/mrg-file.js';
import { req } from '../../helpers/req.js';
import { column, tableDef } from '../../helpers/table-def.js';

const ctx = internalEngineContext(() => null);

function child(id: number, name: string, over: Partial<TableDef> = {}): TableDef {
  return tableDef({
    id,
    name,
    columns: [column('a', { type: { name: 'INT' }, nullable: false, autoIncrement: true }), column('message', { type: { name: 'CHAR', length: 20 }, collation: 'utf8mb4_0900_ai_ci', charset: 'utf8mb4' })],
    indexes: [{ name: 'PRIMARY', kind: 'PRIMARY', algorithm: 'BTREE', parts: [{ column: 0 }], comment: '', visible: true }],
    ...over,
  });
}

function mergeDef(union: string, method = 'LAST'): TableDef {
  return child(100, 'total', {
    engine: 'MRG_MYISAM',
    indexes: [{ name: 'a', kind: 'INDEX', algorithm: 'BTREE', parts: [{ column: 0 }], comment: '', visible: true }],
    options: { UNION: union, INSERT_METHOD: method },
  });
}

describe('MERGE .MRG file', () => {
  it(req(['MERGE-006', 'MERGE-007'], 'unit', 'children of the same schema are bare names, others ./db/name; the insert method closes the file'), () => {
    const text = formatMrgFile('db', { children: [{ schema: 'db', name: 't1' }, { schema: 'db2', name: 't-2' }], insertMethod: 'LAST' });
    expect(text).toBe('t1\n./db2/t@002d2\n#INSERT_METHOD=LAST\n');
    expect(formatMrgFile('db', { children: [{ schema: 'db', name: 't1' }], insertMethod: 'NO' })).toBe('t1\n');
  });

  it(req(['MERGE-006'], 'unit', 'the file reads back as written, for any names'), () => {
    const name = fc.string({ minLength: 1, maxLength: 12 }).filter((s) => !s.includes('\n') && !s.includes('\r'));
    fc.assert(
      fc.property(fc.array(fc.record({ schema: fc.constantFrom('db', 'other', 'x y'), name }), { maxLength: 6 }), fc.constantFrom('NO', 'FIRST', 'LAST'), (children, insertMethod) => {
        const back = parseMrgFile('db', formatMrgFile('db', { children, insertMethod: insertMethod as 'NO' | 'FIRST' | 'LAST' }));
        expect(back).toEqual({ children, insertMethod });
      }),
    );
  });

  it(req(['MERGE-006'], 'unit', 'random text never throws'), () => {
    fc.assert(fc.property(fc.string(), (s) => void parseMrgFile('db', s)));
  });
});

describe('MERGE conformance', () => {
  const m = mergeDef('t1');
  it(req(['MERGE-004', 'MERGE-021', 'MERGE-022'], 'unit', 'names, comments and a PRIMARY for a plain index are tolerated; types, lengths, order, nullability and missing indexes are not'), () => {
    expect(conformanceProblem(m, child(1, 't1'))).toBeNull();
    const renamed = child(1, 't1');
    renamed.columns[1] = { ...renamed.columns[1]!, name: 'other', comment: 'c' };
    expect(conformanceProblem(m, renamed)).toBeNull();
    const extraIndex = child(1, 't1');
    extraIndex.indexes.push({ name: 'm', kind: 'INDEX', algorithm: 'BTREE', parts: [{ column: 1 }], comment: '', visible: true });
    expect(conformanceProblem(m, extraIndex)).toBeNull();

    expect(conformanceProblem(m, child(1, 't1', { columns: [...child(1, 't1').columns, column('x')] }))).toMatch(/number of columns/);
    const big = child(1, 't1');
    big.columns[0] = { ...big.columns[0]!, type: { name: 'BIGINT' } };
    expect(conformanceProblem(m, big)).toMatch(/column 1/);
    const short = child(1, 't1');
    short.columns[1] = { ...short.columns[1]!, type: { name: 'CHAR', length: 10 } };
    expect(conformanceProblem(m, short)).toMatch(/column 2/);
    const swapped = child(1, 't1');
    swapped.columns.reverse();
    expect(conformanceProblem(m, swapped)).not.toBeNull();
    const notNull = child(1, 't1');
    notNull.columns[1] = { ...notNull.columns[1]!, nullable: false };
    expect(conformanceProblem(m, notNull)).toMatch(/column 2/);
    expect(conformanceProblem(m, child(1, 't1', { indexes: [] }))).toMatch(/fewer indexes/);
    const prefix = child(1, 't1', { indexes: [{ name: 'PRIMARY', kind: 'PRIMARY', algorithm: 'BTREE', parts: [{ column: 1, length: 5 }], comment: '', visible: true }] });
    expect(conformanceProblem(m, prefix)).toMatch(/index 1/);
  });
});

describe('MERGE over MEMORY children (engine level)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'merge-unit-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const memory = new MemoryEngine();
  const defs = new Map<string, TableDef>();
  const handlers = new Map<number, TableHandler>();
  const merge = new MergeEngine({ childEngine: 'MEMORY' });
  merge.attachDictionary({
    table: (schema, name) => defs.get(`${schema}.${name}`),
    referencedBy: () => [],
    openHandler: (def) => handlers.get(def.id)!,
  });

  async function makeChild(def: TableDef, rows: [bigint, string][]): Promise<TableHandler> {
    await memory.createTable(ctx, def);
    const h = await memory.openTable(ctx, def);
    for (const r of rows) h.insert(ctx, r);
    defs.set(`${def.schema}.${def.name}`, def);
    handlers.set(def.id, h);
    return h;
  }

  it(req(['MERGE-014', 'MERGE-013', 'MERGE-066', 'MERGE-011'], 'unit', 'scan in child order, index reads in key order over all children, inserts to the LAST child, drop leaves the children'), async () => {
    await merge.init(dir);
    const t1 = await makeChild(child(1, 't1'), [[1n, 'Testing'], [2n, 'table'], [3n, 't1']]);
    const t2 = await makeChild(child(2, 't2'), [[1n, 'Testing'], [2n, 'table'], [3n, 't2']]);
    const def = mergeDef('t1,t2');
    await merge.createTable(ctx, def);
    expect(readFileSync(join(dir, 'db', 'total.MRG'), 'utf8')).toBe('t1\nt2\n#INSERT_METHOD=LAST\n');
    const h = await merge.openTable(ctx, def);
    const scanned = (await drain(h.scan(ctx, { lock: 'consistent', canWait: true }))).map((r) => [r.row[0], r.row[1]]);
    expect(scanned).toEqual([[1n, 'Testing'], [2n, 'table'], [3n, 't1'], [1n, 'Testing'], [2n, 'table'], [3n, 't2']]);
    const byKey = (await drain(h.indexRead(ctx, 'a', { kind: 'range', low: { key: [2n], inclusive: true } }, { lock: 'consistent', canWait: true }))).map((r) => r.row[1]);
    expect(byKey).toEqual(['table', 'table', 't1', 't2']);
    const block = h.reserveAutoIncrement(ctx, 1);
    expect(block.first).toBe(4n);
    await h.insert(ctx, [block.first, 'new']);
    expect((await drain(t2.scan(ctx, { lock: 'consistent', canWait: true }))).map((r) => r.row[1])).toEqual(['Testing', 'table', 't2', 'new']);
    expect((await drain(t1.scan(ctx, { lock: 'consistent', canWait: true }))).length).toBe(3);
    // UPDATE and DELETE reach the row in its own child.
    const rows = await drain(h.indexRead(ctx, 'a', { kind: 'eq', key: [1n] }, { lock: 'exclusive', canWait: true }));
    expect(rows.length).toBe(2);
    await h.update(ctx, rows[0]!.id, rows[0]!.row, [1n, 'x']);
    await h.delete(ctx, rows[1]!.id, rows[1]!.row);
    expect((await drain(t1.scan(ctx, { lock: 'consistent', canWait: true }))).map((r) => r.row[1])).toEqual(['x', 'table', 't1']);
    expect((await drain(t2.scan(ctx, { lock: 'consistent', canWait: true }))).map((r) => r.row[1])).toEqual(['table', 't2', 'new']);
    await merge.dropTable(ctx, def);
    expect(() => readFileSync(join(dir, 'db', 'total.MRG'))).toThrow();
    expect((await drain(t1.scan(ctx, { lock: 'consistent', canWait: true }))).length).toBe(3);
  });

  it(req(['MERGE-012', 'MERGE-013', 'MERGE-020'], 'unit', 'no INSERT_METHOD: 1036; a missing child: 1168 at use, not at create'), async () => {
    const ro = { ...mergeDef('t1,t2', 'NO'), id: 101, name: 'ro' };
    await merge.createTable(ctx, ro);
    const h = await merge.openTable(ctx, ro);
    expect(() => h.insert(ctx, [9n, 'x'])).toThrow(expect.objectContaining({ errno: 1036 }));
    const bad = { ...mergeDef('t1,nosuch'), id: 102, name: 'bad' };
    await merge.createTable(ctx, bad);
    const hb = await merge.openTable(ctx, bad);
    expect(() => hb.scan(ctx, { lock: 'consistent', canWait: true })).toThrow(expect.objectContaining({ errno: 1168 }));
    const checked = await hb.check!(ctx, []);
    expect(checked.map((r) => [r.msgType, r.msgText])).toEqual([
      ['Error', "Table 'db.nosuch' is differently defined or of non-MyISAM type or doesn't exist"],
      ['Error', "Unable to open underlying table which is differently defined or of non-MyISAM type or doesn't exist"],
      ['error', 'Corrupt'],
    ]);
  });
});
