/**
 * An in-memory PageStore for the B+tree tests. It can hand pages out asynchronously (a promise
 * settled on a later macrotask or microtask, the way the buffer pool answers a page it must read
 * from disk), and it can evict pages: an evicted page is encoded with encodeBtrPage and comes
 * back decoded as a new object on the next get, so a tree that forgets to call modified() loses
 * the change and a reader that holds an object across an await sees it replaced. It counts
 * allocations and frees, and refuses to modify or free a page that is not in use. It keeps the
 * store's side of the gen contract (btr/btree.ts): an object it drops from memory, or replaces
 * in modified(), gets its gen incremented.
 */
import type { BtrPage, PageStore } from '../../../../src/storage/innodb/btr/page-store.js';
import { decodeBtrPage, encodeBtrPage } from '../../../../src/storage/innodb/page/btr-page.js';
import { verifyPage } from '../../../../src/storage/innodb/page/page.js';

export interface MemoryStoreOptions {
  /** Default 4096 (the smallest innodb_page_size: many splits with few entries). */
  pageSize?: number;
  /** 'sync': pages are returned directly; 'async': always as a promise; 'mixed': either, at random. */
  mode?: 'sync' | 'async' | 'mixed';
  /** Chance, on each get, that one random in-memory page (not the one asked for) is evicted. */
  evict?: number;
  /** Seed of the store's own random choices. */
  seed?: number;
}

/** A small seeded generator (mulberry32): the store's choices repeat for a given seed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SPACE_ID = 7;

export class MemoryStore implements PageStore {
  readonly pageSize: number;
  readonly mode: 'sync' | 'async' | 'mixed';
  private readonly evictRate: number;
  private readonly random: () => number;
  /** Pages in memory (decoded). */
  private readonly pages = new Map<number, BtrPage>();
  /** Pages evicted: their encoded bytes. */
  private readonly disk = new Map<number, Buffer>();
  /** The last content of freed pages, which a reader on a stale pointer may still read. */
  private readonly graveyard = new Map<number, BtrPage>();
  private readonly inUse = new Set<number>();
  private readonly freeList: number[] = [];
  /** Page 0..2 are the tablespace's own pages in InnoDB; indexes start after them. */
  private nextNo = 3;
  allocations = 0;
  frees = 0;
  evictions = 0;
  asyncGets = 0;

  constructor(opts: MemoryStoreOptions = {}) {
    this.pageSize = opts.pageSize ?? 4096;
    this.mode = opts.mode ?? 'sync';
    this.evictRate = opts.evict ?? 0;
    this.random = rng(opts.seed ?? 1);
  }

  /** Pages allocated and not freed. */
  get live(): number {
    return this.inUse.size;
  }

  private load(no: number): BtrPage {
    const page = this.pages.get(no);
    if (page) return page;
    const bytes = this.disk.get(no);
    if (bytes) {
      if (verifyPage(bytes, no, SPACE_ID) !== 'ok') throw new Error(`memory store: page ${no} does not verify`);
      const decoded = decodeBtrPage(bytes);
      this.disk.delete(no);
      this.pages.set(no, decoded);
      return decoded;
    }
    const dead = this.graveyard.get(no);
    if (dead) return dead;
    throw new Error(`memory store: page ${no} was never allocated`);
  }

  private maybeEvict(except: number): void {
    if (this.evictRate <= 0 || this.random() >= this.evictRate || this.pages.size < 2) return;
    const nos = [...this.pages.keys()].filter((n) => n !== except);
    const victim = nos[Math.floor(this.random() * nos.length)]!;
    this.evict(victim);
  }

  /** Write page `no` out and drop it from memory (also usable directly by a test). */
  evict(no: number): void {
    const page = this.pages.get(no);
    if (!page) return;
    this.disk.set(no, encodeBtrPage(page, no, SPACE_ID, 0n, this.pageSize));
    this.pages.delete(no);
    // the store contract: an object that stops being the page's content gets a new gen
    page.gen++;
    this.evictions++;
  }

  get(no: number): BtrPage | Promise<BtrPage> {
    this.maybeEvict(no);
    const later = this.mode === 'async' || (this.mode === 'mixed' && this.random() < 0.5);
    if (!later) return this.load(no);
    this.asyncGets++;
    const macro = this.random() < 0.5;
    // the page is taken when the read completes, as a pool installs what it read at that moment
    return new Promise<BtrPage>((resolve, reject) => {
      const done = (): void => {
        try {
          resolve(this.load(no));
        } catch (e) {
          reject(e as Error);
        }
      };
      if (macro) setImmediate(done);
      else queueMicrotask(done);
    });
  }

  allocate(page: BtrPage): number {
    const no = this.freeList.pop() ?? this.nextNo++;
    this.inUse.add(no);
    this.graveyard.delete(no);
    this.pages.set(no, page);
    this.allocations++;
    return no;
  }

  modified(no: number, page: BtrPage): void {
    if (!this.inUse.has(no)) throw new Error(`memory store: modified(${no}) on a page not in use`);
    const held = this.pages.get(no);
    if (held !== undefined && held !== page) held.gen++;
    this.pages.set(no, page);
    this.disk.delete(no);
  }

  free(no: number): void {
    if (!this.inUse.has(no)) throw new Error(`memory store: free(${no}) on a page not in use`);
    this.inUse.delete(no);
    const bytes = this.disk.get(no);
    const page = this.pages.get(no) ?? (bytes ? decodeBtrPage(bytes) : undefined);
    if (page) this.graveyard.set(no, page);
    this.pages.delete(no);
    this.disk.delete(no);
    this.freeList.push(no);
    this.frees++;
  }
}
