/**
 * Unit tests of the MyISAM file codecs: the .MYD record codec (static and dynamic), the .MYI
 * header (checked at Appendix A's offsets with plain Buffer reads, independently of the
 * decoder), the key pages, and damaged bytes giving the codec's error, never another failure.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ColumnDef, TableDef } from '../../../src/kernel/table-def.js';
import { SqlError } from '../../../src/kernel/errors.js';
import { Decimal, Temporal, type Row, type Value } from '../../../src/kernel/value.js';
import { drainSync } from '../../../src/storage/handler.js';
import { MyisamEngine, tableSignature } from '../../../src/storage/myisam/engine.js';
import { buildTree, keyImage, NO_ROOT, PageCorrupt, readTree, type KeyEntry } from '../../../src/storage/myisam/key-pages.js';
import { decodeHeader, encodeHeader, HeaderCorrupt, type MyiHeader } from '../../../src/storage/myisam/myi-header.js';
import { chooseFormat, RecordCorrupt, RecordLayout } from '../../../src/storage/myisam/record-codec.js';
import { req } from '../../helpers/req.js';
import { tableDef } from '../../helpers/table-def.js';

type Kind = 'INT' | 'BIGINT' | 'DOUBLE' | 'DECIMAL' | 'CHAR' | 'VARCHAR' | 'BINARY' | 'TEXT' | 'BLOB' | 'DATETIME' | 'TIME';

function column(i: number, kind: Kind, nullable: boolean): ColumnDef {
  const base = { name: `c${i}`, nullable, autoIncrement: false, comment: '' };
  switch (kind) {
    case 'CHAR':
      return { ...base, type: { name: 'CHAR', length: 10 }, charset: 'utf8mb4', collation: 'utf8mb4_0900_ai_ci' };
    case 'VARCHAR':
      return { ...base, type: { name: 'VARCHAR', length: 30 }, charset: 'utf8mb4', collation: 'utf8mb4_0900_ai_ci' };
    case 'TEXT':
      return { ...base, type: { name: 'TEXT' }, charset: 'utf8mb4', collation: 'utf8mb4_0900_ai_ci' };
    case 'BINARY':
      return { ...base, type: { name: 'BINARY', length: 6 } };
    case 'DECIMAL':
      return { ...base, type: { name: 'DECIMAL', length: 20, scale: 4 } };
    case 'BIGINT':
      return { ...base, type: { name: 'BIGINT', unsigned: true } };
    case 'DATETIME':
      return { ...base, type: { name: 'DATETIME', scale: 6 } };
    default:
      return { ...base, type: { name: kind } };
  }
}

function valueOf(kind: Kind): fc.Arbitrary<Value> {
  switch (kind) {
    case 'INT':
      return fc.integer({ min: -2147483648, max: 2147483647 }).map((n) => BigInt(n));
    case 'BIGINT':
      return fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });
    case 'DOUBLE':
      return fc.double({ noNaN: true });
    case 'DECIMAL':
      return fc.bigInt({ min: -(10n ** 20n) + 1n, max: 10n ** 20n - 1n }).map((u) => new Decimal(u, 4));
    case 'CHAR':
      return fc.string({ maxLength: 10, unit: 'grapheme' }).map((s) => [...s].slice(0, 10).join(''));
    case 'VARCHAR':
      return fc.string({ maxLength: 30 });
    case 'TEXT':
      return fc.string({ maxLength: 300 });
    case 'BINARY':
      return fc.uint8Array({ maxLength: 6 }).map((a) => Buffer.from(a));
    case 'BLOB':
      return fc.uint8Array({ maxLength: 500 }).map((a) => Buffer.from(a));
    case 'DATETIME':
      return fc
        .record({ y: fc.integer({ min: 1000, max: 9999 }), mo: fc.integer({ min: 1, max: 12 }), d: fc.integer({ min: 1, max: 28 }), h: fc.integer({ min: 0, max: 23 }), mi: fc.integer({ min: 0, max: 59 }), us: fc.integer({ min: 0, max: 999999 }) })
        .map((r) => new Temporal('DATETIME', r.y, r.mo, r.d, r.h, r.mi, 7, r.us, 6));
    case 'TIME':
      return fc.record({ h: fc.integer({ min: 0, max: 838 }), neg: fc.boolean() }).map((r) => new Temporal('TIME', 0, 0, 0, r.h, 1, 2, 0, 0, r.neg));
  }
}

const KINDS: Kind[] = ['INT', 'BIGINT', 'DOUBLE', 'DECIMAL', 'CHAR', 'VARCHAR', 'BINARY', 'TEXT', 'BLOB', 'DATETIME', 'TIME'];

/** A random table (column kinds, nullability) with random rows for it. */
const tableWithRows = fc
  .array(fc.record({ kind: fc.constantFrom(...KINDS), nullable: fc.boolean() }), { minLength: 1, maxLength: 8 })
  .chain((cols) => {
    const row = fc.tuple(...cols.map((c) => (c.nullable ? fc.option(valueOf(c.kind), { nil: null }) : valueOf(c.kind))));
    return fc.record({ cols: fc.constant(cols), rows: fc.array(row, { minLength: 1, maxLength: 5 }), forceFixed: fc.boolean() });
  });

function defFor(cols: { kind: Kind; nullable: boolean }[], forceFixed: boolean): TableDef {
  return tableDef({ engine: 'MyISAM', columns: cols.map((c, i) => column(i, c.kind, c.nullable)), options: forceFixed ? { ROW_FORMAT: 'FIXED' } : {} });
}

describe('MyISAM record codec', () => {
  it(req(['MYISAM-080', 'MYISAM-085', 'MYISAM-088', 'MYISAM-100', 'MYISAM-086', 'MYISAM-090'], 'unit', 'random rows of random column types come back byte-exact in either format; static records all have the record length'), () => {
    fc.assert(
      fc.property(tableWithRows, ({ cols, rows, forceFixed }) => {
        const def = defFor(cols, forceFixed);
        const layout = new RecordLayout(def);
        const hasBlob = cols.some((c) => c.kind === 'TEXT' || c.kind === 'BLOB');
        const hasVar = hasBlob || cols.some((c) => c.kind === 'VARCHAR');
        expect(layout.format).toBe(hasBlob ? 'dynamic' : forceFixed ? 'fixed' : hasVar ? 'dynamic' : 'fixed');
        expect(chooseFormat(def)).toBe(layout.format);
        for (const row of rows) {
          const bytes = layout.encode(row as Row);
          if (layout.format === 'fixed') expect(bytes.length).toBe(layout.recordLength);
          expect(bytes[0]).toBe(1);
          expect(layout.decode(bytes)).toEqual(row);
        }
      }),
      { numRuns: 300 },
    );
  });

  it(req(['MYISAM-090', 'MYISAM-105'], 'unit', 'the NULL bitmap takes one bit per nullable column, rounded up to bytes'), () => {
    for (const n of [0, 1, 7, 8, 9, 17]) {
      const cols = Array.from({ length: 20 }, (_, i) => ({ kind: 'INT' as Kind, nullable: i < n }));
      expect(new RecordLayout(defFor(cols, false)).nullBytes).toBe(Math.ceil(n / 8));
    }
  });

  it(req(['MYISAM-122'], 'unit', 'random bytes never decode into anything but a row or a RecordCorrupt error'), () => {
    fc.assert(
      fc.property(tableWithRows, fc.uint8Array({ maxLength: 200 }), ({ cols, forceFixed }, raw) => {
        const layout = new RecordLayout(defFor(cols, forceFixed));
        const buf = Buffer.from(raw);
        if (buf.length > 0) buf[0] = 1;
        try {
          const row = layout.decode(buf);
          expect(row.length).toBe(cols.length);
        } catch (e) {
          expect(e).toBeInstanceOf(RecordCorrupt);
        }
      }),
      { numRuns: 500 },
    );
  });
});

function sampleHeader(): MyiHeader {
  return {
    options: 1, uniques: 0, language: 255, blockSizeIndex: 1, openCount: 0, changed: 0, sortKey: 255,
    records: 0n, deleted: 0n, split: 0n, dellink: NO_ROOT, keyFileLength: 1024n, dataFileLength: 0n, empty: 0n, keyEmpty: 0n,
    autoIncrement: 0n, checksum: 0n, process: 1, unique: 0, status: 0, updateCount: 0, keyRoots: [NO_ROOT], keyDel: NO_ROOT, version: 1,
    keyMap: 1n, createTime: 0n, recoverTime: 0n, checkTime: 0n, recPerKeyRows: 0n, recPerKeyPart: [0], keystart: 1024n,
    maxDataFileLength: 2n ** 48n - 1n, maxKeyFileLength: 2n ** 63n - 1n, maxRows: 0n, meanRowLength: 0, reclength: 20, minBlockLength: 20,
    fields: 1, recRefLength: 6, keyRefLength: 6, autoKey: 0, blobs: 0,
    keys: [{ flag: 3, blockSize: 1024, keyLength: 4, parts: [{ column: 0, length: 0, flags: 0 }] }],
    columns: [{ width: 9, nullable: false, binary: false }],
  };
}

const u64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });

describe('MyISAM .MYI header', () => {
  it(req(['MYISAM-026', 'MYISAM-130', 'MYISAM-008'], 'unit', 'the header round-trips, and its state fields sit big-endian at Appendix A offsets'), () => {
    fc.assert(
      fc.property(
        fc.record({ openCount: fc.integer({ min: 0, max: 0xffff }), changed: fc.integer({ min: 0, max: 255 }), records: u64, deleted: u64, keyFileLength: u64, dataFileLength: u64, autoIncrement: u64, nkeys: fc.integer({ min: 0, max: 64 }) }),
        (r) => {
          const h = sampleHeader();
          Object.assign(h, { openCount: r.openCount, changed: r.changed, records: r.records, deleted: r.deleted, keyFileLength: r.keyFileLength, dataFileLength: r.dataFileLength, autoIncrement: r.autoIncrement });
          h.keys = Array.from({ length: r.nkeys }, (_, i) => ({ flag: 0, blockSize: i % 2 ? 2048 : 1024, keyLength: 4, parts: [{ column: 0, length: 0, flags: 2 }] }));
          h.keyRoots = h.keys.map((_, i) => BigInt(1024 * (i + 1)));
          h.recPerKeyPart = h.keys.map((_, i) => i);
          h.columns = Array.from({ length: (r.nkeys % 7) + 1 }, (_, i) => ({ width: 9 + i * 70000, nullable: i % 2 === 0, binary: i % 3 === 0 }));
          h.fields = h.columns.length;
          const b = encodeHeader(h);
          // Independent reads at the documented offsets.
          expect(b.subarray(0, 4).toString('hex')).toBe('fefe0701');
          expect(b.readUInt16BE(24)).toBe(r.openCount);
          expect(b[26]).toBe(r.changed);
          expect(b.readBigUInt64BE(28)).toBe(r.records);
          expect(b.readBigUInt64BE(36)).toBe(r.deleted);
          expect(b.readBigUInt64BE(60)).toBe(r.keyFileLength);
          expect(b.readBigUInt64BE(68)).toBe(r.dataFileLength);
          expect(b[18]).toBe(r.nkeys);
          expect(decodeHeader(b)).toEqual(h);
        },
      ),
      { numRuns: 200 },
    );
  });

  it(req(['MYISAM-122'], 'unit', 'random or cut bytes give HeaderCorrupt, never another failure'), () => {
    const good = encodeHeader(sampleHeader());
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), fc.integer({ min: 0, max: good.length }), fc.nat(), (raw, cut, at) => {
        for (const b of [Buffer.from(raw), good.subarray(0, cut), (() => { const x = Buffer.from(good); x[at % x.length] = x[at % x.length]! ^ 0xff; return x; })()]) {
          try {
            decodeHeader(b);
          } catch (e) {
            expect(e).toBeInstanceOf(HeaderCorrupt);
          }
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('MyISAM key pages', () => {
  const entries = fc
    .array(fc.record({ k: fc.oneof(fc.integer(), fc.string({ maxLength: 40 })), p: fc.integer({ min: 0, max: 2 ** 40 }) }), { maxLength: 400 })
    .map((xs) => xs.map((x) => ({ image: keyImage([typeof x.k === 'number' ? x.k : x.k]), rowPtr: x.p })).sort((a, b) => Buffer.compare(a.image, b.image)));

  it(req(['MYISAM-070', 'MYISAM-008', 'MYISAM-014'], 'unit', 'a B-tree built from sorted entries reads back the same entries in order, over several levels when needed'), () => {
    fc.assert(
      fc.property(entries, fc.constantFrom(1024, 2048), (es: KeyEntry[], blockSize) => {
        const start = 1024n;
        const t = buildTree(es, start, { blockSize, recRef: 6, keyRef: 6 });
        const file = Buffer.concat([Buffer.alloc(1024), ...t.pages]);
        for (const p of t.pages) expect(p.length).toBe(blockSize);
        expect(readTree(file, t.root, 1024, { blockSize, recRef: 6, keyRef: 6 })).toEqual(es);
        if (es.length === 0) expect(t.root).toBe(NO_ROOT);
      }),
      { numRuns: 150 },
    );
  });

  it(req(['MYISAM-008', 'MYISAM-072'], 'unit', 'neighbouring keys are prefix-compressed: integers share their high bytes'), () => {
    const es = Array.from({ length: 200 }, (_, i) => ({ image: keyImage([1000000 + i]), rowPtr: i }));
    const t = buildTree(es, 1024n, { blockSize: 1024, recRef: 6, keyRef: 6 });
    // 9-byte images + 6-byte pointers would need 3000 bytes uncompressed; shared prefixes fit them in fewer pages.
    const used = t.pages.reduce((n, p) => n + (p.readUInt16BE(0) & 0x7fff), 0);
    expect(used).toBeLessThan(200 * 15);
    expect(keyImage([1]).subarray(1).toString('hex')).toBe('8000000000000001');
  });

  it(req(['MYISAM-122'], 'unit', 'damaged key pages give PageCorrupt or other entries, never a crash or a hang'), () => {
    const es = Array.from({ length: 300 }, (_, i) => ({ image: keyImage([`key ${i}`.padStart(12, '0')]), rowPtr: i }));
    es.sort((a, b) => Buffer.compare(a.image, b.image));
    const t = buildTree(es, 1024n, { blockSize: 1024, recRef: 6, keyRef: 6 });
    const file = Buffer.concat([Buffer.alloc(1024), ...t.pages]);
    fc.assert(
      fc.property(fc.array(fc.record({ at: fc.nat(), v: fc.integer({ min: 0, max: 255 }) }), { minLength: 1, maxLength: 8 }), (edits) => {
        const b = Buffer.from(file);
        for (const e of edits) b[1024 + (e.at % (b.length - 1024))] = e.v;
        try {
          readTree(b, t.root, 1024, { blockSize: 1024, recRef: 6, keyRef: 6 });
        } catch (e) {
          expect(e).toBeInstanceOf(PageCorrupt);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('MyISAM engine on damaged files', () => {
  it(req(['MYISAM-122', 'MYISAM-065'], 'unit', 'random bytes as .MYD and .MYI: opening never throws; reads give rows or 1194/1034'), async () => {
    const dir = mkdtempSync(join(tmpdir(), 'myisam-unit-'));
    try {
      const ctx = { connectionId: 1, signal: { aborted: false } as never, sessionVar: (): Value => null, transactionRolledBack: (): void => undefined };
      let id = 100;
      await fc.assert(
        fc.asyncProperty(fc.uint8Array({ maxLength: 3000 }), fc.uint8Array({ maxLength: 3000 }), fc.boolean(), async (myd, myi, dynamic) => {
          const def = tableDef({
            id: id++,
            schema: 'u',
            name: `t${id}`,
            engine: 'MyISAM',
            columns: [column(0, 'INT', false), column(1, dynamic ? 'VARCHAR' : 'CHAR', true)],
            indexes: [{ name: 'PRIMARY', kind: 'PRIMARY', algorithm: 'BTREE', parts: [{ column: 0 }], comment: '', visible: true }],
          });
          const e = new MyisamEngine();
          await e.init(dir);
          await e.createTable(ctx, def);
          await e.shutdown();
          writeFileSync(join(dir, 'u', `${def.name}.MYD`), myd);
          if (myi.length > 0) writeFileSync(join(dir, 'u', `${def.name}.MYI`), myi);
          const e2 = new MyisamEngine();
          await e2.init(dir);
          const h = await e2.openTable(ctx, def);
          try {
            const rows = drainSync(h.scan(ctx, { lock: 'consistent', canWait: false }));
            for (const r of rows) expect(r.row.length).toBe(2);
          } catch (err) {
            expect(err).toBeInstanceOf(SqlError);
            expect([1194, 1034]).toContain((err as SqlError).errno);
          }
          await h.repair!(ctx, []);
          drainSync(h.scan(ctx, { lock: 'consistent', canWait: false }));
          await h.close();
          await e2.shutdown();
        }),
        { numRuns: 60 },
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('MyISAM table signatures (for engines built on MyISAM)', () => {
  it(req(['MYISAM-003'], 'unit', 'tables with the same columns and keys have the same signature whatever their names; a different column type or key does not'), () => {
    const base = defFor([{ kind: 'INT', nullable: false }, { kind: 'VARCHAR', nullable: true }], false);
    const key = { name: 'k', kind: 'INDEX' as const, algorithm: 'BTREE' as const, parts: [{ column: 1 }], comment: '', visible: true };
    const a = { ...base, name: 'a', indexes: [key] };
    const b = { ...base, name: 'b', columns: base.columns.map((c, i) => ({ ...c, name: `x${i}` })), indexes: [{ ...key, name: 'other' }] };
    expect(tableSignature(a)).toBe(tableSignature(b));
    expect(tableSignature({ ...a, indexes: [] })).not.toBe(tableSignature(a));
    const c = defFor([{ kind: 'BIGINT', nullable: false }, { kind: 'VARCHAR', nullable: true }], false);
    expect(tableSignature({ ...c, indexes: [key] })).not.toBe(tableSignature(a));
  });
});
