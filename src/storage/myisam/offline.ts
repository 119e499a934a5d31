/**
 * MyISAM tables on disk without the server (what myisamchk does): describe a table from its
 * .MYI header, check its files (header counts, every record of the .MYD, every key's pages), and
 * recover the rows that can be read. Only the files are needed: the .MYI describes the columns
 * (NULL flag, field width) and the record format, which is enough to read every record.
 *
 * Recovery rewrites the data file without holes and damaged records and leaves the key pages
 * empty with the "keys not optimized" flag; the server rebuilds them from the rows the next time
 * it opens the table (the key images depend on collations the files do not carry).
 *
 * Packing (what myisampack does) rewrites the data file in the compressed format of
 * packed-codec.ts and sets the compress bit in the .MYI options; unpacking (myisamchk --unpack)
 * writes the rows back in the table's original static or dynamic format. Both leave the key
 * pages to the server, as recovery does, because key entries point at record positions that
 * change.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/myisamchk.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/myisampack.html
 * @req MYISAM-005 MYISAM-027 MYISAM-102 MYISAM-123 MYISAM-082 MYISAM-110 MYISAM-111 MYISAM-112
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { Row } from '../../kernel/value.js';
import { NO_ROOT, PageCorrupt, readTree } from './key-pages.js';
import { DYNAMIC_BLOCK_HEADER, MAX_DATA_POINTER_SIZE, MIN_DYNAMIC_BLOCK, OPTION_COMPRESS_RECORD, OPTION_PACK_RECORD, STATE_CHANGED, STATE_CRASHED, STATE_NOT_OPTIMIZED_KEYS } from './limits.js';
import { decodeHeader, encodeHeader, HeaderCorrupt, type MyiHeader } from './myi-header.js';
import { packedSourceFormat, packRecords, unpackRecords } from './packed-codec.js';
import { dynamicBlock, readDynamicBlock, RECORD_DELETED, RecordCorrupt, RecordLayout } from './record-codec.js';

export interface OfflineRecord {
  /** Record pointer as key entries hold it (record number or byte offset). */
  ptr: number;
  row: Row;
}

/** Paths of a table given as `dir/t`, `dir/t.MYI` or `dir/t.MYD`. */
export function tablePaths(arg: string): { myi: string; myd: string; name: string } {
  const base = arg.replace(/\.(MYI|MYD)$/i, '');
  return { myi: `${base}.MYI`, myd: `${base}.MYD`, name: base.split('/').pop() ?? base };
}

/** Every readable record of a data file, and how many places did not read. */
export function readRecords(h: MyiHeader, data: Buffer): { records: OfflineRecord[]; bad: number; deleted: number } {
  if (h.options & OPTION_COMPRESS_RECORD) {
    try {
      const r = unpackRecords(h.columns, data);
      return { records: r.records, bad: r.bad, deleted: 0 };
    } catch (e) {
      if (!(e instanceof RecordCorrupt)) throw e;
      return { records: [], bad: 1, deleted: 0 };
    }
  }
  const dynamic = (h.options & OPTION_PACK_RECORD) !== 0;
  const layout = new RecordLayout(h.columns, dynamic ? 'dynamic' : 'fixed');
  const records: OfflineRecord[] = [];
  let bad = 0;
  let deleted = 0;
  if (!dynamic) {
    const rl = layout.recordLength;
    for (let n = 0; (n + 1) * rl <= data.length; n++) {
      const rec = data.subarray(n * rl, (n + 1) * rl);
      if (rec[0] === RECORD_DELETED) {
        deleted++;
        continue;
      }
      try {
        records.push({ ptr: n, row: layout.decode(rec) });
      } catch (e) {
        if (!(e instanceof RecordCorrupt)) throw e;
        bad++;
      }
    }
    if (data.length % rl !== 0) bad++;
    return { records, bad, deleted };
  }
  const block = (pos: number): { len: number; row: Row | null } | undefined => readDynamicBlock(data, pos, layout);
  let pos = 0;
  while (pos < data.length) {
    const b = block(pos);
    if (!b) {
      bad++;
      let next = pos + 1;
      while (next < data.length && !block(next)) next++;
      pos = next;
      continue;
    }
    if (b.row) records.push({ ptr: pos, row: b.row });
    else deleted++;
    pos += b.len;
  }
  return { records, bad, deleted };
}

function flagsText(changed: number): string {
  const f: string[] = [];
  if (changed & STATE_CHANGED) f.push('changed');
  if (changed & STATE_CRASHED) f.push('crashed');
  if (changed & STATE_NOT_OPTIMIZED_KEYS) f.push('keys not optimized');
  return f.length > 0 ? f.join(',') : 'clean';
}

/** `--describe`: the header in words. */
export function describe(arg: string): string[] {
  const p = tablePaths(arg);
  const h = decodeHeader(readFileSync(p.myi));
  const out = [
    `MyISAM file:         ${p.myi}`,
    `Record format:       ${h.options & OPTION_COMPRESS_RECORD ? 'Compressed' : h.options & OPTION_PACK_RECORD ? 'Packed' : 'Fixed length'}`,
    `Status:              ${flagsText(h.changed)}`,
    `Open counter:        ${h.openCount}`,
    `Data records:        ${h.records}  Deleted blocks: ${h.deleted}`,
    `Datafile length:     ${h.dataFileLength}  Keyfile length: ${h.keyFileLength}`,
    `Max datafile length: ${h.maxDataFileLength}  Data pointer size: ${h.recRefLength}`,
    `Recordlength:        ${h.reclength}  Fields: ${h.columns.length}`,
    `Auto increment key:  ${h.autoKey}  Last value: ${h.autoIncrement}`,
    '',
    'table description:',
    'Key Parts Block  Root',
  ];
  h.keys.forEach((k, i) => {
    const root = h.keyRoots[i] === NO_ROOT ? 'empty' : String(h.keyRoots[i]);
    out.push(`${String(i + 1).padEnd(4)}${String(k.parts.length).padEnd(6)}${String(k.blockSize).padEnd(7)}${root}${k.flag & 1 ? '  unique' : ''}`);
  });
  return out;
}

/** `--check`: problems found (empty when the table is sound). */
export function check(arg: string): { errors: string[]; warnings: string[] } {
  const p = tablePaths(arg);
  const errors: string[] = [];
  const warnings: string[] = [];
  let h: MyiHeader;
  let file: Buffer;
  try {
    file = readFileSync(p.myi);
    h = decodeHeader(file);
  } catch (e) {
    errors.push(e instanceof HeaderCorrupt ? `Not a MyISAM index file or its header is damaged: ${e.message}` : `Can't read ${p.myi}: ${(e as Error).message}`);
    return { errors, warnings };
  }
  if (h.openCount > 0) warnings.push(`${h.openCount} client is using or hasn't closed the table properly`);
  if (h.changed & STATE_CRASHED) warnings.push('Table is marked as crashed');
  const data = existsSync(p.myd) ? readFileSync(p.myd) : Buffer.alloc(0);
  const { records, bad } = readRecords(h, data);
  if (bad > 0) errors.push(`Found ${bad} damaged record(s) in the data file`);
  if (BigInt(records.length) !== h.records) errors.push(`Record-count is not ok; is ${records.length}   Should be: ${h.records}`);
  if (BigInt(data.length) !== h.dataFileLength) errors.push(`Size of datafile is: ${data.length}       Should be: ${h.dataFileLength}`);
  const live = new Set(records.map((r) => r.ptr));
  h.keys.forEach((k, i) => {
    if (h.changed & STATE_NOT_OPTIMIZED_KEYS && h.keyRoots[i] === NO_ROOT) return;
    try {
      const entries = readTree(file, h.keyRoots[i]!, Number(h.keystart), { blockSize: k.blockSize, recRef: h.recRefLength, keyRef: h.keyRefLength });
      if (entries.length !== records.length) errors.push(`Key ${i + 1}: Found ${entries.length} keys of ${records.length}`);
      const dangling = entries.filter((e) => !live.has(e.rowPtr)).length;
      if (dangling > 0) errors.push(`Key ${i + 1}: ${dangling} key(s) point at no record`);
    } catch (e) {
      if (!(e instanceof PageCorrupt)) throw e;
      errors.push(`Key ${i + 1}: ${e.message}`);
    }
  });
  return { errors, warnings };
}

/** `--recover`: keep the readable rows, rewrite the data file, leave the keys to the server. */
export function recover(arg: string): { found: number; expected: bigint | null } {
  const p = tablePaths(arg);
  const h = decodeHeader(readFileSync(p.myi));
  const data = existsSync(p.myd) ? readFileSync(p.myd) : Buffer.alloc(0);
  const { records } = readRecords(h, data);
  const dynamic = (h.options & OPTION_PACK_RECORD) !== 0;
  // A compressed table is recovered into the compressed format again.
  const newData = h.options & OPTION_COMPRESS_RECORD ? packRecords(h.columns, records.map((r) => r.row), dynamic ? 'dynamic' : 'fixed').data : plainData(h, records);
  const expected = h.records;
  h.records = BigInt(records.length);
  h.deleted = 0n;
  h.dellink = NO_ROOT;
  h.empty = 0n;
  h.dataFileLength = BigInt(newData.length);
  h.keyRoots = h.keyRoots.map(() => NO_ROOT);
  h.keyFileLength = h.keystart;
  h.openCount = 0;
  h.changed = (h.changed & ~STATE_CRASHED) | STATE_NOT_OPTIMIZED_KEYS;
  writeTable(p, h, newData);
  return { found: records.length, expected };
}

/** Records in the static or dynamic format the header names, without holes. */
function plainData(h: MyiHeader, records: readonly OfflineRecord[]): Buffer {
  const dynamic = (h.options & OPTION_PACK_RECORD) !== 0;
  const layout = new RecordLayout(h.columns, dynamic ? 'dynamic' : 'fixed');
  return Buffer.concat(
    records.map((r) => {
      const enc = layout.encode(r.row);
      return dynamic ? dynamicBlock(enc, Math.max(MIN_DYNAMIC_BLOCK, DYNAMIC_BLOCK_HEADER + enc.length), true) : enc;
    }),
  );
}

/** Write a new data file (through a temporary file) and a .MYI of just the header, keys empty. */
function writeTable(p: { myi: string; myd: string }, h: MyiHeader, data: Buffer): void {
  h.dataFileLength = BigInt(data.length);
  h.keyRoots = h.keyRoots.map(() => NO_ROOT);
  h.keyFileLength = h.keystart;
  h.openCount = 0;
  h.changed |= STATE_NOT_OPTIMIZED_KEYS;
  const myi = Buffer.alloc(Number(h.keystart));
  encodeHeader(h).copy(myi);
  writeFileSync(`${p.myd}.tmp`, data);
  renameSync(`${p.myd}.tmp`, p.myd);
  writeFileSync(p.myi, myi);
}

/** Why a table may not be packed or unpacked offline (null: it may). */
function refusal(h: MyiHeader, data: Buffer, name: string): string | null {
  if (h.changed & STATE_CRASHED) return `'${name}' is marked as crashed; repair it first (refmyisamchk --recover)`;
  if (h.openCount > 0) return `'${name}' is in use or was not closed properly (open counter ${h.openCount}); stop the server or run FLUSH TABLES, or check it with refmyisamchk`;
  if (BigInt(data.length) !== h.dataFileLength) return `'${name}': the data file is ${data.length} bytes but the header says ${h.dataFileLength}; repair it first`;
  return null;
}

/** What packing or unpacking did. */
export interface PackResult {
  rows: number;
  before: number;
  after: number;
}

/** A table the offline tools refuse to change, with the reason. */
export class RefusedTable extends Error {}

/** myisampack: rewrite the data file compressed and mark the table read-only. @req MYISAM-110 MYISAM-111 MYISAM-112 */
export function pack(arg: string): PackResult {
  const p = tablePaths(arg);
  const h = decodeHeader(readFileSync(p.myi));
  if (h.options & OPTION_COMPRESS_RECORD) throw new RefusedTable(`'${p.name}' is already compressed`);
  const data = existsSync(p.myd) ? readFileSync(p.myd) : Buffer.alloc(0);
  const why = refusal(h, data, p.name);
  if (why) throw new RefusedTable(why);
  const { records, bad } = readRecords(h, data);
  if (bad > 0 || BigInt(records.length) !== h.records) throw new RefusedTable(`'${p.name}' has damaged records (found ${records.length} of ${h.records}); repair it first`);
  const packed = packRecords(h.columns, records.map((r) => r.row), h.options & OPTION_PACK_RECORD ? 'dynamic' : 'fixed');
  h.options |= OPTION_COMPRESS_RECORD;
  h.deleted = 0n;
  h.dellink = NO_ROOT;
  h.empty = 0n;
  // Key entries of a packed table hold byte offsets: the pointer must reach the end of the file.
  h.recRefLength = Math.max(h.recRefLength, pointerBytes(packed.data.length));
  h.maxDataFileLength = BigInt(packed.data.length);
  writeTable(p, h, packed.data);
  return { rows: records.length, before: data.length, after: packed.data.length };
}

/** myisamchk --unpack: the rows back in the table's own format, writable again. @req MYISAM-082 */
export function unpack(arg: string): PackResult {
  const p = tablePaths(arg);
  const h = decodeHeader(readFileSync(p.myi));
  if (!(h.options & OPTION_COMPRESS_RECORD)) throw new RefusedTable(`'${p.name}' is not compressed`);
  const data = existsSync(p.myd) ? readFileSync(p.myd) : Buffer.alloc(0);
  const why = refusal(h, data, p.name);
  if (why) throw new RefusedTable(why);
  const { records, bad } = readRecords(h, data);
  if (bad > 0 || BigInt(records.length) !== h.records) throw new RefusedTable(`'${p.name}' has damaged records (found ${records.length} of ${h.records}); repair it first`);
  const format = packedSourceFormat(data);
  h.options = (h.options & ~(OPTION_COMPRESS_RECORD | OPTION_PACK_RECORD)) | (format === 'dynamic' ? OPTION_PACK_RECORD : 0);
  const plain = plainData(h, records);
  const span = 1n << BigInt(8 * h.recRefLength);
  h.maxDataFileLength = format === 'fixed' ? span * BigInt(h.reclength) - 1n : span - 1n;
  writeTable(p, h, plain);
  return { rows: records.length, before: data.length, after: plain.length };
}

function pointerBytes(n: number): number {
  for (let bytes = 2; bytes < MAX_DATA_POINTER_SIZE; bytes++) if (n < 2 ** (8 * bytes)) return bytes;
  return MAX_DATA_POINTER_SIZE;
}
