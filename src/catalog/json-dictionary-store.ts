/**
 * The dictionary store of a data directory as two files:
 *
 * - `refmysql-dictionary.json`, the checkpoint: the whole dictionary in the format refmysql has
 *   always written (`version`, `nextTableId`, `schemas`, `tables`, `plugins`, `views`) plus
 *   `journalSeq`, the last journal record it contains. It is replaced atomically (write a
 *   temporary file, fsync, rename, fsync the directory).
 * - `refmysql-dictionary.journal`, the journal: one checksummed line per committed change set,
 *   `{"seq":n,"next":<nextTableId>,"ch":[...]}`, appended and fdatasync'ed before the commit
 *   returns.
 *
 * A DDL therefore costs one small append and one sync, however large the dictionary is. When
 * the journal has grown as large as the last checkpoint (and at least
 * DICTIONARY_JOURNAL_MIN_CHECKPOINT_BYTES), the store writes a new checkpoint and empties the
 * journal, so writing checkpoints costs a bounded multiple of the journal appends and startup
 * reads at most about twice the dictionary. Loading reads the checkpoint, then applies the
 * journal records whose seq is above its journalSeq (a crash between writing a checkpoint and
 * emptying the journal leaves records the checkpoint already holds). A torn last record is a
 * change set whose commit never returned; it is dropped.
 *
 * Compatibility: a data directory written before the journal existed is just a checkpoint with
 * no journal (journalSeq 0). A clean shutdown folds the journal into the checkpoint, so the
 * checkpoint alone is again the whole dictionary, as older readers expect.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/data-dictionary.html
 * @req CORE-DICT-001 CORE-DICT-002 CORE-DICT-003 CORE-CAT-005
 */
import { readdirSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { readJsonIfExists, writeFileAtomic } from '../util/atomic-file.js';
import type { SchemaDef } from '../kernel/table-def.js';
import type { DictionaryChange, DictionaryContents, DictionaryStore, EventDef, InstalledPluginEntry, StoredProgramDef, ViewDef } from './dictionary-store.js';
import { JournalFile } from './journal.js';
import { DICTIONARY_FILE, DICTIONARY_FORMAT_VERSION, DICTIONARY_JOURNAL_FILE, DICTIONARY_JOURNAL_MIN_CHECKPOINT_BYTES } from './limits.js';
import { tableFromJson, tableToJson, type StoredTableDef } from './serialize.js';

type StoredViewDef = Omit<ViewDef, 'def'> & { def: StoredTableDef };

/** What the checkpoint file holds. */
export interface DictionaryFile {
  version: number;
  nextTableId: number;
  /** Last journal record folded into this file (absent in files written before the journal). */
  journalSeq?: number;
  schemas: SchemaDef[];
  tables: StoredTableDef[];
  plugins: InstalledPluginEntry[];
  views?: StoredViewDef[];
  events?: EventDef[];
  programs?: StoredProgramDef[];
}

/** One change as the journal stores it: entry kind, key, stored value (null removes). */
interface StoredChange {
  k: 's' | 't' | 'v' | 'e' | 'p' | 'r';
  key: string;
  v: unknown;
}

interface JournalRecord {
  seq: number;
  next: number;
  ch: StoredChange[];
}

const SEP = '\u0000';

function storedChange(c: DictionaryChange): StoredChange {
  switch (c.kind) {
    case 'schema':
      return { k: 's', key: c.name, v: c.value };
    case 'table':
      return { k: 't', key: c.schema + SEP + c.name, v: c.value ? tableToJson(c.value) : null };
    case 'view':
      return { k: 'v', key: c.schema + SEP + c.name, v: c.value ? { ...c.value, def: tableToJson(c.value.def) } : null };
    case 'event':
      return { k: 'e', key: c.schema + SEP + c.name, v: c.value };
    case 'plugins':
      return { k: 'p', key: '', v: c.value };
    case 'program':
      return { k: 'r', key: c.schema + SEP + c.type + SEP + c.name, v: c.value };
  }
}

export class JsonDictionaryStore implements DictionaryStore {
  /** Entries by kind and key, each kept as the JSON text it has in the checkpoint. */
  private readonly entries = { s: new Map<string, string>(), t: new Map<string, string>(), v: new Map<string, string>(), e: new Map<string, string>(), r: new Map<string, string>() };
  private plugins = '[]';
  private nextTableId = 1;
  private seq = 0;
  private journal: JournalFile | null = null;
  private checkpointBytes = 0;
  private chain: Promise<void> = Promise.resolve();

  constructor(readonly datadir: string) {}

  get checkpointPath(): string {
    return join(this.datadir, DICTIONARY_FILE);
  }

  get journalPath(): string {
    return join(this.datadir, DICTIONARY_JOURNAL_FILE);
  }

  /** Bytes of journal records not yet folded into the checkpoint. */
  get journalBytes(): number {
    return this.journal?.bytes ?? 0;
  }

  /** @req CORE-DICT-002 CORE-DICT-003 */
  async load(): Promise<DictionaryContents | undefined> {
    this.removeStrayTemporaries();
    const file = await readJsonIfExists<DictionaryFile>(this.checkpointPath);
    if (file) {
      this.ingestCheckpoint(file);
      this.checkpointBytes = statSync(this.checkpointPath).size;
    }
    const { journal, records } = await JournalFile.open(this.journalPath);
    this.journal = journal;
    for (const r of records as JournalRecord[]) {
      if (r.seq <= this.seq) continue;
      this.applyRecord(r);
    }
    if (!file && records.length === 0) return undefined;
    return this.contents();
  }

  /** @req CORE-DICT-002 */
  commit(changes: readonly DictionaryChange[], nextTableId: number): Promise<void> {
    const stored = changes.map(storedChange);
    return this.enqueue(async () => {
      const record: JournalRecord = { seq: this.seq + 1, next: nextTableId, ch: stored };
      await this.openJournal().append([record], true);
      this.applyRecord(record);
      if (this.journalBytes >= Math.max(DICTIONARY_JOURNAL_MIN_CHECKPOINT_BYTES, this.checkpointBytes)) {
        // Not awaited by this commit: the next store operation waits for it in the queue.
        void this.enqueue(() => this.writeCheckpoint()).catch(() => undefined);
      }
    });
  }

  /** @req CORE-DICT-003 */
  checkpoint(): Promise<void> {
    return this.enqueue(() => this.writeCheckpoint());
  }

  async close(): Promise<void> {
    await this.enqueue(async () => {
      if (this.journalBytes > 0) await this.writeCheckpoint();
    }).catch(() => undefined);
    await this.journal?.close();
    this.journal = null;
  }

  private openJournal(): JournalFile {
    if (!this.journal) throw new Error('dictionary store used before load()');
    return this.journal;
  }

  private enqueue(work: () => Promise<void>): Promise<void> {
    const next = this.chain.then(work);
    this.chain = next.catch(() => undefined);
    return next;
  }

  /** Temporary files of an interrupted checkpoint are garbage: the rename never happened. */
  private removeStrayTemporaries(): void {
    let names: string[] = [];
    try {
      names = readdirSync(this.datadir);
    } catch {
      return;
    }
    for (const f of names) {
      if (!(f.startsWith(`.${DICTIONARY_FILE}.`) && f.endsWith('.tmp'))) continue;
      try {
        unlinkSync(join(this.datadir, f));
      } catch {
        /* already gone */
      }
    }
  }

  private ingestCheckpoint(file: DictionaryFile): void {
    if (file.version > DICTIONARY_FORMAT_VERSION) {
      throw new Error(`${this.checkpointPath}: dictionary format ${file.version} is newer than this server understands (${DICTIONARY_FORMAT_VERSION})`);
    }
    this.nextTableId = file.nextTableId;
    this.seq = file.journalSeq ?? 0;
    for (const s of file.schemas) this.entries.s.set(s.name, JSON.stringify(s));
    for (const t of file.tables) this.entries.t.set(t.schema + SEP + t.name, JSON.stringify(t));
    for (const v of file.views ?? []) this.entries.v.set(v.def.schema + SEP + v.def.name, JSON.stringify(v));
    for (const e of file.events ?? []) this.entries.e.set(e.schema + SEP + e.name, JSON.stringify(e));
    for (const r of file.programs ?? []) this.entries.r.set(r.schema + SEP + r.type + SEP + r.name.toLowerCase(), JSON.stringify(r));
    this.plugins = JSON.stringify(file.plugins ?? []);
  }

  private applyRecord(r: JournalRecord): void {
    for (const c of r.ch) {
      if (c.k === 'p') {
        this.plugins = JSON.stringify(c.v ?? []);
        continue;
      }
      const m = this.entries[c.k];
      if (c.v === null) m.delete(c.key);
      else m.set(c.key, JSON.stringify(c.v));
    }
    this.nextTableId = r.next;
    this.seq = r.seq;
  }

  private contents(): DictionaryContents {
    const parse = <T>(m: Map<string, string>): T[] => [...m.values()].map((t) => JSON.parse(t) as T);
    return {
      nextTableId: this.nextTableId,
      schemas: parse<SchemaDef>(this.entries.s),
      tables: parse<StoredTableDef>(this.entries.t).map(tableFromJson),
      views: parse<StoredViewDef>(this.entries.v).map((v) => ({ ...v, def: tableFromJson(v.def) })),
      plugins: JSON.parse(this.plugins) as InstalledPluginEntry[],
      events: parse<EventDef>(this.entries.e),
      programs: parse<StoredProgramDef>(this.entries.r),
    };
  }

  /** The checkpoint text, assembled from the entries' JSON (the dictionary is not re-serialised). */
  private checkpointText(): string {
    const list = (m: Map<string, string>): string => `[${[...m.values()].join(',\n')}]`;
    return (
      `{"version":${DICTIONARY_FORMAT_VERSION},"nextTableId":${this.nextTableId},"journalSeq":${this.seq},\n` +
      `"schemas":${list(this.entries.s)},\n"tables":${list(this.entries.t)},\n"plugins":${this.plugins},\n"views":${list(this.entries.v)},\n"events":${list(this.entries.e)},\n"programs":${list(this.entries.r)}}\n`
    );
  }

  /** Write the checkpoint, then empty the journal (its records are all in the checkpoint now). */
  private async writeCheckpoint(): Promise<void> {
    const text = this.checkpointText();
    await writeFileAtomic(this.checkpointPath, text);
    this.checkpointBytes = Buffer.byteLength(text, 'utf8');
    if (this.journal && this.journal.bytes > 0) await this.journal.reset();
  }
}
