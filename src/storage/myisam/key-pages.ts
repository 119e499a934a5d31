/**
 * The key pages of the .MYI index file: each index is a B-tree of fixed-size key blocks
 * (1024 bytes, 2048 for keys over 250 bytes), built bottom-up from the index's entries in key
 * order, as MyISAM's sort-based index build does. A page starts with a two-byte header (bit 15:
 * not a leaf; the rest: bytes used); a leaf holds entries, a node holds child pointers between
 * its entries (a true B-tree: keys in nodes are not repeated in leaves).
 *
 * Each entry is the key image followed by the record pointer. Keys are prefix-compressed
 * against the previous key of the same page: the entry stores how many leading bytes it shares
 * with it and only the rest (MYISAM-008, MYISAM-072). Integers in key images are big-endian
 * with the sign bit flipped, so that images of numbers sort as their bytes do and neighbours
 * share their high bytes.
 *
 * Reading checks every offset and length and throws {@link PageCorrupt}: CHECK TABLE turns that
 * into a report, never a crash.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/key-space.html (16.2.2)
 * @req MYISAM-008 MYISAM-014 MYISAM-070 MYISAM-072
 */
import type { KeyPart } from '../keys.js';

export class PageCorrupt extends Error {}

/** A key entry as stored: the key image and the record pointer (record number or byte offset). */
export interface KeyEntry {
  image: Buffer;
  rowPtr: number;
}

/** Root pointer of an empty index. */
export const NO_ROOT = 0xffffffffffffffffn;

const NON_LEAF = 0x8000;
const MAX_DEPTH = 64;

function be64(n: bigint): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt.asUintN(64, n));
  return b;
}

/** The byte image of a (folded) key: one tag byte per part, then its value. */
export function keyImage(parts: readonly KeyPart[]): Buffer {
  const out: Buffer[] = [];
  for (const p of parts) {
    if (p === null) out.push(Buffer.from([0]));
    else if (typeof p === 'number' && Number.isInteger(p)) out.push(Buffer.from([1]), be64(BigInt(p) ^ (1n << 63n)));
    else if (typeof p === 'bigint') {
      if (p >= -(1n << 63n) && p < 1n << 63n) out.push(Buffer.from([1]), be64(p ^ (1n << 63n)));
      else out.push(Buffer.from([2]), be64(p));
    } else if (typeof p === 'number') {
      const b = Buffer.alloc(8);
      b.writeDoubleBE(p);
      if (p < 0 || Object.is(p, -0)) for (let i = 0; i < 8; i++) b[i] = ~b[i]! & 0xff;
      else b[0] = b[0]! | 0x80;
      out.push(Buffer.from([3]), b);
    } else if (typeof p === 'string' || Buffer.isBuffer(p)) {
      const bytes = typeof p === 'string' ? Buffer.from(p, 'utf8') : p;
      const len = Buffer.alloc(2);
      len.writeUInt16BE(Math.min(0xffff, bytes.length));
      out.push(Buffer.from([typeof p === 'string' ? 4 : 5]), len, bytes.subarray(0, 0xffff));
    } else {
      const b = Buffer.alloc(4 * p.t.length);
      p.t.forEach((v, i) => b.writeUInt32BE((v ^ 0x80000000) >>> 0, 4 * i));
      out.push(Buffer.from([6, p.t.length]), b);
    }
  }
  return Buffer.concat(out);
}

function lenBytes(n: number): Buffer {
  if (n < 255) return Buffer.from([n]);
  const b = Buffer.alloc(3);
  b[0] = 255;
  b.writeUInt16BE(n, 1);
  return b;
}

function ptrBytes(n: number | bigint, size: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt.asUintN(64, BigInt(n)));
  return b.subarray(8 - size);
}

function shared(a: Buffer | null, b: Buffer): number {
  if (!a) return 0;
  const n = Math.min(a.length, b.length, 0xffff);
  let i = 0;
  while (i < n && a[i] === b[i]) i++;
  return i;
}

/** One entry as a page stores it after `prev` (prefix-compressed). */
function packEntry(prev: Buffer | null, e: KeyEntry, recRef: number): Buffer {
  const pre = shared(prev, e.image);
  const suffix = e.image.subarray(pre);
  return Buffer.concat([lenBytes(pre), lenBytes(suffix.length), suffix, ptrBytes(e.rowPtr, recRef)]);
}

export interface TreeLayout {
  blockSize: number;
  recRef: number;
  keyRef: number;
}

/**
 * Build the pages of one index from its entries (in key order), placed from byte `start` of
 * the key file. Returns the pages (each `blockSize` bytes, in file order) and the root's
 * position (NO_ROOT for an empty index).
 */
export function buildTree(entries: readonly KeyEntry[], start: bigint, layout: TreeLayout): { pages: Buffer[]; root: bigint } {
  const { blockSize, recRef, keyRef } = layout;
  const pages: Buffer[] = [];
  if (entries.length === 0) return { pages, root: NO_ROOT };
  const place = (content: Buffer[], nonLeaf: boolean): bigint => {
    const page = Buffer.alloc(blockSize);
    let p = 2;
    for (const c of content) {
      c.copy(page, p);
      p += c.length;
    }
    page.writeUInt16BE((nonLeaf ? NON_LEAF : 0) | p, 0);
    const pos = start + BigInt(pages.length * blockSize);
    pages.push(page);
    return pos;
  };
  const room = blockSize - 2;
  // Leaves; an entry that does not fit closes the page and goes up as a separator.
  let children: bigint[] = [];
  let seps: KeyEntry[] = [];
  let content: Buffer[] = [];
  let used = 0;
  let prev: Buffer | null = null;
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i]!;
    const packed = packEntry(prev, e, recRef);
    if (used + packed.length > room && content.length > 0) {
      children.push(place(content, false));
      if (i < entries.length - 1) {
        seps.push(e);
        content = [];
        used = 0;
        prev = null;
        continue;
      }
      content = [];
      used = 0;
      prev = null;
      const again = packEntry(null, e, recRef);
      content.push(again);
      used += again.length;
      prev = e.image;
      continue;
    }
    content.push(packed);
    used += packed.length;
    prev = e.image;
  }
  if (content.length > 0) children.push(place(content, false));
  // Upper levels until one page holds them all.
  while (children.length > 1) {
    const nextChildren: bigint[] = [];
    const nextSeps: KeyEntry[] = [];
    let body: Buffer[] = [ptrBytes(children[0]!, keyRef)];
    let size = keyRef;
    let last: Buffer | null = null;
    for (let i = 0; i < seps.length; i++) {
      const packed = packEntry(last, seps[i]!, recRef);
      const child = ptrBytes(children[i + 1]!, keyRef);
      if (size + packed.length + keyRef > room && body.length > 1) {
        nextChildren.push(place(body, true));
        nextSeps.push(seps[i]!);
        body = [child];
        size = keyRef;
        last = null;
        continue;
      }
      body.push(packed, child);
      size += packed.length + keyRef;
      last = seps[i]!.image;
    }
    nextChildren.push(place(body, true));
    children = nextChildren;
    seps = nextSeps;
  }
  return { pages, root: children[0]! };
}

function readLen(page: Buffer, p: number, end: number): [number, number] {
  if (p >= end) throw new PageCorrupt('entry runs past the page');
  const b = page[p]!;
  if (b < 255) return [b, p + 1];
  if (p + 3 > end) throw new PageCorrupt('entry runs past the page');
  return [page.readUInt16BE(p + 1), p + 3];
}

function readPtr(page: Buffer, p: number, size: number, end: number): [number, number] {
  if (p + size > end) throw new PageCorrupt('pointer runs past the page');
  let v = 0;
  for (let i = 0; i < size; i++) v = v * 256 + page[p + i]!;
  return [v, p + size];
}

/**
 * Every entry of the index whose root is at `root`, in tree order, read from the key file
 * bytes `file`; `minPos` is where key pages may start (the key start).
 */
export function readTree(file: Buffer, root: bigint, minPos: number, layout: TreeLayout): KeyEntry[] {
  const out: KeyEntry[] = [];
  if (root === NO_ROOT) return out;
  const { blockSize, recRef, keyRef } = layout;
  const seen = new Set<number>();
  const visit = (posBig: bigint | number, depth: number): void => {
    const pos = Number(posBig);
    if (depth > MAX_DEPTH) throw new PageCorrupt('key tree too deep');
    if (!Number.isSafeInteger(pos) || pos < minPos || (pos - minPos) % blockSize !== 0 || pos + blockSize > file.length) {
      throw new PageCorrupt(`key page pointer ${pos} outside the key file`);
    }
    if (seen.has(pos)) throw new PageCorrupt(`key page ${pos} linked twice`);
    seen.add(pos);
    const page = file.subarray(pos, pos + blockSize);
    const head = page.readUInt16BE(0);
    const nonLeaf = (head & NON_LEAF) !== 0;
    const end = head & ~NON_LEAF;
    if (end < 2 || end > blockSize) throw new PageCorrupt(`key page ${pos} has a bad length`);
    let p = 2;
    let prev: Buffer = Buffer.alloc(0);
    let first = true;
    if (nonLeaf) {
      const [child, np] = readPtr(page, p, keyRef, end);
      p = np;
      visit(child, depth + 1);
    }
    while (p < end) {
      const [pre, p1] = readLen(page, p, end);
      const [sufLen, p2] = readLen(page, p1, end);
      if ((first && pre !== 0) || pre > prev.length) throw new PageCorrupt(`key page ${pos} has a bad prefix length`);
      if (p2 + sufLen > end) throw new PageCorrupt('entry runs past the page');
      const image = Buffer.concat([prev.subarray(0, pre), page.subarray(p2, p2 + sufLen)]);
      const [rowPtr, p3] = readPtr(page, p2 + sufLen, recRef, end);
      out.push({ image, rowPtr });
      prev = image;
      first = false;
      p = p3;
      if (nonLeaf) {
        const [child, p4] = readPtr(page, p, keyRef, end);
        p = p4;
        visit(child, depth + 1);
      }
    }
  };
  visit(root, 0);
  return out;
}
