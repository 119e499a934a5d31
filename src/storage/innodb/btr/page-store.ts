/**
 * What a B+tree sees of its tablespace: decoded index pages by page number, handed out by the
 * buffer pool (buf/buf-pool.ts), which reads a missing page from the .ibd asynchronously. The
 * tree never touches files; it asks for pages, changes them in place and says so, and takes new
 * pages from (or gives pages back to) the space's free list.
 *
 * Pages are decoded once when they enter the pool (page/btr-page.ts) and kept decoded: a search
 * compares keys without parsing bytes. `gen` counts changes to a page while it is in memory, so
 * a reader that walked away from a page (awaiting the next one) can tell whether the page it
 * left is still what it read.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-physical-structure.html (15.6.2.2)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-buffer-pool.html (15.5.1)
 * @req INNODB-BTR-101 INNODB-BUF-101
 */
import type { KeyPart } from '../../keys.js';

/** A record of a leaf page: its key (decoded from `keyBytes`) and an opaque value. */
export interface LeafEntry {
  readonly key: KeyPart[];
  readonly keyBytes: Buffer;
  readonly value: Buffer;
  /** What a reader decoded from `value`, kept while the entry (its page) is in memory. */
  decoded?: unknown;
}

/** A node pointer: the smallest key of the child's subtree (ignored for the first entry) and the child's page number. */
export interface NodeEntry {
  readonly key: KeyPart[];
  readonly keyBytes: Buffer;
  readonly child: number;
}

interface PageCommon {
  /** The index this page belongs to (several trees share one tablespace). */
  readonly indexId: number;
  /** Changes made to this page since it was read or created (not stored). */
  gen: number;
  /** Bytes the page's body takes when encoded (kept up to date by the tree). */
  bytes: number;
}

export interface LeafPage extends PageCommon {
  readonly kind: 'leaf';
  entries: LeafEntry[];
  /** Neighbouring leaves of the same index, FIL_NULL at either end. */
  prev: number;
  next: number;
}

export interface NodePage extends PageCommon {
  readonly kind: 'node';
  /** 1 above the leaves, and so on up to the root. */
  level: number;
  entries: NodeEntry[];
}

export type BtrPage = LeafPage | NodePage;

/** A tablespace's pages as a tree uses them. */
export interface PageStore {
  readonly pageSize: number;
  /** The decoded page `pageNo`; a promise when it must be read from the file first. */
  get(pageNo: number): BtrPage | Promise<BtrPage>;
  /** A fresh page number for `page` (from the free list, else past the end of the file);
   *  the page is in memory and dirty. */
  allocate(page: BtrPage): number;
  /** `page` (the object `get` returned, or one the tree built) is the new content of `pageNo`:
   *  it becomes dirty and its `gen` moves. */
  modified(pageNo: number, page: BtrPage): void;
  /** `pageNo` is no longer used by the tree: it goes to the free list. */
  free(pageNo: number): void;
}

/** Key comparison over the shorter of the two keys (a shorter key is a prefix search). */
export type KeyCompare = (a: readonly KeyPart[], b: readonly KeyPart[]) => number;
