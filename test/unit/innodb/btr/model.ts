/**
 * The reference the B+tree tests compare against: a sorted array of entries with the same
 * compare function, answering the same questions (exact lookup, first at/after a prefix, ranges
 * with prefix bounds) by linear scans that are obviously right.
 */
import type { Btree, RangeOptions } from '../../../../src/storage/innodb/btr/btree.js';
import { encodeKey } from '../../../../src/storage/innodb/btr/key-codec.js';
import type { KeyCompare, LeafEntry } from '../../../../src/storage/innodb/btr/page-store.js';
import type { KeyPart } from '../../../../src/storage/keys.js';

export interface ModelEntry {
  key: KeyPart[];
  value: Buffer;
}

export class SortedModel {
  entries: ModelEntry[] = [];
  constructor(readonly compare: KeyCompare) {}

  private index(key: readonly KeyPart[]): number {
    return this.entries.findIndex((e) => this.compare(e.key, key) >= 0);
  }

  get(key: readonly KeyPart[]): ModelEntry | null {
    const i = this.index(key);
    return i >= 0 && this.compare(this.entries[i]!.key, key) === 0 ? this.entries[i]! : null;
  }

  put(key: KeyPart[], value: Buffer): ModelEntry | null {
    const i = this.index(key);
    if (i < 0) {
      this.entries.push({ key, value });
      return null;
    }
    const old = this.entries[i]!;
    if (this.compare(old.key, key) === 0) {
      this.entries[i] = { key, value };
      return old;
    }
    this.entries.splice(i, 0, { key, value });
    return null;
  }

  del(key: readonly KeyPart[]): ModelEntry | null {
    const i = this.index(key);
    if (i < 0 || this.compare(this.entries[i]!.key, key) !== 0) return null;
    return this.entries.splice(i, 1)[0]!;
  }

  first(key: readonly KeyPart[], inclusive: boolean): ModelEntry | null {
    return this.entries.find((e) => (inclusive ? this.compare(e.key, key) >= 0 : this.compare(e.key, key) > 0)) ?? null;
  }

  range(opts: RangeOptions = {}): ModelEntry[] {
    const out = this.entries.filter((e) => {
      if (opts.low) {
        const c = this.compare(e.key, opts.low.key);
        if (c < 0 || (c === 0 && !opts.low.inclusive)) return false;
      }
      if (opts.high) {
        const c = this.compare(e.key, opts.high.key);
        if (c > 0 || (c === 0 && !opts.high.inclusive)) return false;
      }
      return true;
    });
    return opts.reverse ? out.reverse() : out;
  }
}

/** A whole range scan, flattened; every batch must be non-empty. */
export async function scan(tree: Btree, opts: RangeOptions = {}): Promise<LeafEntry[]> {
  const out: LeafEntry[] = [];
  for await (const batch of tree.range(opts)) {
    if (batch.length === 0) throw new Error('range yielded an empty batch');
    out.push(...batch);
  }
  return out;
}

/** Entries as [key, value hex] pairs, for readable comparisons. */
export function shape(entries: readonly { key: readonly KeyPart[]; value: Buffer }[]): [readonly KeyPart[], string][] {
  return entries.map((e) => [e.key, e.value.toString('hex')]);
}

/** A value of `size` bytes whose content tells versions apart. */
export function valueOf(size: number, fill: number): Buffer {
  const b = Buffer.alloc(size, fill);
  if (size >= 4) b.writeUInt32BE(size, 0);
  return b;
}

export async function put(tree: Btree, model: SortedModel, key: KeyPart[], value: Buffer): Promise<void> {
  const old = await tree.upsert(key, encodeKey(key), value);
  const mold = model.put(key, value);
  if ((old === null) !== (mold === null)) throw new Error(`upsert ${JSON.stringify(key)}: tree replaced ${old !== null}, model ${mold !== null}`);
  if (old && !old.value.equals(mold!.value)) throw new Error(`upsert ${JSON.stringify(key)}: replaced value differs`);
}

export async function del(tree: Btree, model: SortedModel, key: readonly KeyPart[]): Promise<void> {
  const old = await tree.remove(key);
  const mold = model.del(key);
  if ((old === null) !== (mold === null)) throw new Error(`remove ${JSON.stringify(key)}: tree found ${old !== null}, model ${mold !== null}`);
  if (old && !old.value.equals(mold!.value)) throw new Error(`remove ${JSON.stringify(key)}: removed value differs`);
}
