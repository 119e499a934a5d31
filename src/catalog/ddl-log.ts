/**
 * The DDL log: what makes a DDL statement atomic across the dictionary and the engines'
 * storage (MySQL 8.0's "atomic DDL"; InnoDB keeps its log in mysql.innodb_ddl_log, we keep ours
 * in `<datadir>/refmysql-ddl.log`, a journal file of checksummed JSON lines).
 *
 * A DDL runs as one {@link DdlTransaction}:
 *
 * 1. `begin`: a record saying how recovery can tell whether this DDL's dictionary change set
 *    was committed (its {@link CommitProbe}, e.g. "table id 42 is in the dictionary").
 * 2. `step` records, each written and synced *before* its storage action runs: create the
 *    storage of a table, rename it. If the DDL does not commit, they are undone in reverse
 *    (drop what was created, rename back).
 * 3. `post` records, written and synced before the commit: actions that run only once the
 *    dictionary change is committed (drop the storage of a dropped or replaced table, remove a
 *    dropped schema's directory).
 * 4. The dictionary change set is committed through the DictionaryStore (one durable write).
 * 5. The post-commit actions run, then an `end` record closes the DDL. `end` is not synced: the
 *    next DDL's first synced record makes it durable, and until then replaying it again is
 *    harmless.
 *
 * Recovery (at startup, after the dictionary is loaded and the engines are initialised): every
 * DDL without `end` is decided by its probe against the loaded dictionary. Committed: run its
 * post-commit actions. Not committed: undo its steps, last first. Both directions tolerate
 * actions that already happened or never did (a drop of storage that is gone, a rename whose
 * source is missing): because each step record is synced before the step runs and the next
 * record is written only after it finished, only the last step of a DDL can be half-known, and
 * the names involved are unique to that DDL (table ids are never reused; ALTER's temporary
 * names carry the new table id), so such an attempt cannot touch another table. Afterwards the
 * log is emptied.
 *
 * Crash points (crash-points.ts) are named `<op>:<phase>` with phases `step<n>.logged`,
 * `step<n>.done`, `commit.logged`, `committed`, `post<n>.done` and `ended`.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/atomic-ddl.html
 * @req CORE-DICT-004 CORE-DICT-005 CORE-DICT-006 CORE-DICT-007 CORE-DICT-008
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { TableDef } from '../kernel/table-def.js';
import { crashPoint } from './crash-points.js';
import { JournalFile } from './journal.js';
import { DDL_LOG_FILE, DDL_LOG_RESET_BYTES } from './limits.js';
import { tableFromJson, tableToJson, type StoredTableDef } from './serialize.js';

/** A storage action of a DDL. Table definitions are stored whole: engines need them to act. */
export type StorageAction =
  | { op: 'create'; table: StoredTableDef }
  | { op: 'rename'; from: StoredTableDef; to: StoredTableDef }
  | { op: 'drop'; table: StoredTableDef }
  /** Remove a dropped schema's directory (only if the schema is still absent). */
  | { op: 'rmdir'; schema: string };

/** How recovery tells whether a DDL's dictionary change set was committed. */
export type CommitProbe =
  /** Committed when the dictionary has a table with this id (CREATE, ALTER copy, TRUNCATE). */
  | { has: number }
  /** Committed when no table has this id any more (DROP TABLE, DROP DATABASE). */
  | { lacks: number }
  /** Committed when table `id` has exactly this definition (RENAME, in-place ALTER). */
  | { id: number; fingerprint: string }
  /** Committed when the schema is gone (DROP DATABASE of a schema without tables). */
  | { noSchema: string };

/** The operations of a DDL in the log. */
export type DdlOperation = 'create_table' | 'drop_table' | 'rename_table' | 'alter_inplace' | 'alter_copy' | 'truncate_table' | 'drop_schema';

type DdlRecord =
  | { r: 'begin'; ddl: number; op: DdlOperation; probe: CommitProbe }
  | { r: 'step'; ddl: number; n: number; act: StorageAction }
  | { r: 'post'; ddl: number; n: number; act: StorageAction }
  | { r: 'end'; ddl: number };

/** Who carries out storage actions (the catalog, with its engines and handler cache). */
export interface StorageOps<S> {
  create(session: S | null, def: TableDef): Promise<void>;
  drop(session: S | null, def: TableDef): Promise<void>;
  rename(session: S | null, from: TableDef, to: TableDef): Promise<void>;
  /** Remove a schema's directory if the schema does not exist (any more). */
  removeSchemaDir(schema: string): Promise<void>;
}

/** What recovery needs to know about the loaded dictionary. */
export interface DictionaryView {
  tableById(id: number): TableDef | undefined;
  schemaExists(name: string): boolean;
}

/** What recovery did, for the error log and for tests. */
export interface RecoveryReport {
  /** DDLs found unfinished, with the direction taken. */
  ddls: { ddl: number; op: DdlOperation; outcome: 'rolled forward' | 'rolled back' | 'kept' }[];
  /** Actions that failed while replaying (already done or never happened), as text. */
  skipped: string[];
  /** Highest table id the log mentions (ids up to it must not be handed out again). */
  maxTableId: number;
}

/** A stable digest of a table definition (keys sorted), for {@link CommitProbe}. */
export function fingerprint(def: TableDef): string {
  const sorted = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sorted);
    if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      return Object.fromEntries(Object.keys(o).filter((k) => o[k] !== undefined).sort().map((k) => [k, sorted(o[k])]));
    }
    return v;
  };
  return createHash('sha256').update(JSON.stringify(sorted(tableToJson(def)))).digest('hex').slice(0, 32);
}

function committed(probe: CommitProbe, view: DictionaryView): boolean {
  if ('has' in probe) return view.tableById(probe.has) !== undefined;
  if ('lacks' in probe) return view.tableById(probe.lacks) === undefined;
  if ('noSchema' in probe) return !view.schemaExists(probe.noSchema);
  const def = view.tableById(probe.id);
  return def !== undefined && fingerprint(def) === probe.fingerprint;
}

function describe(a: StorageAction): string {
  switch (a.op) {
    case 'create': return `create ${a.table.schema}.${a.table.name} (id ${a.table.id})`;
    case 'drop': return `drop ${a.table.schema}.${a.table.name} (id ${a.table.id})`;
    case 'rename': return `rename ${a.from.schema}.${a.from.name} to ${a.to.schema}.${a.to.name} (id ${a.from.id})`;
    case 'rmdir': return `remove directory of schema ${a.schema}`;
  }
}

/** Run an action forward. */
async function perform<S>(ops: StorageOps<S>, session: S | null, a: StorageAction): Promise<void> {
  switch (a.op) {
    case 'create': return ops.create(session, tableFromJson(a.table));
    case 'drop': return ops.drop(session, tableFromJson(a.table));
    case 'rename': return ops.rename(session, tableFromJson(a.from), tableFromJson(a.to));
    case 'rmdir': return ops.removeSchemaDir(a.schema);
  }
}

/** Undo a step: drop what was created, rename back what was renamed. */
function inverse(a: StorageAction): StorageAction | null {
  switch (a.op) {
    case 'create': return { op: 'drop', table: a.table };
    case 'rename': return { op: 'rename', from: a.to, to: a.from };
    default: return null;
  }
}

function maxIdOf(a: StorageAction): number {
  switch (a.op) {
    case 'create': case 'drop': return a.table.id;
    case 'rename': return Math.max(a.from.id, a.to.id);
    case 'rmdir': return 0;
  }
}

export class DdlLog<S> {
  private nextDdl = 1;
  private active = 0;
  /** DDLs left open in the log by a failed undo or post-commit action: the log must keep them. */
  private unresolved = 0;

  private constructor(
    private readonly file: JournalFile,
    private readonly ops: StorageOps<S>,
    private readonly found: DdlRecord[],
  ) {}

  /** Open the log of a data directory; call {@link recover} before any DDL runs. */
  static async open<S>(datadir: string, ops: StorageOps<S>): Promise<DdlLog<S>> {
    const { journal, records } = await JournalFile.open(join(datadir, DDL_LOG_FILE));
    return new DdlLog(journal, ops, records as DdlRecord[]);
  }

  /** Bytes in the log file (0 once recovery or an idle moment emptied it). */
  get bytes(): number {
    return this.file.bytes;
  }

  /**
   * Finish every DDL the log shows unfinished, each in the direction its probe gives, then empty
   * the log (keeping only DDLs whose engine is unavailable now).
   * @req CORE-DICT-005
   */
  async recover(view: DictionaryView, canAct: (a: StorageAction) => boolean = () => true): Promise<RecoveryReport> {
    const report: RecoveryReport = { ddls: [], skipped: [], maxTableId: 0 };
    const byDdl = new Map<number, { begin?: Extract<DdlRecord, { r: 'begin' }>; steps: StorageAction[]; posts: StorageAction[]; ended: boolean; records: DdlRecord[] }>();
    for (const rec of this.found) {
      this.nextDdl = Math.max(this.nextDdl, rec.ddl + 1);
      let d = byDdl.get(rec.ddl);
      if (!d) byDdl.set(rec.ddl, (d = { steps: [], posts: [], ended: false, records: [] }));
      d.records.push(rec);
      if (rec.r === 'begin') d.begin = rec;
      else if (rec.r === 'step') d.steps.push(rec.act);
      else if (rec.r === 'post') d.posts.push(rec.act);
      else d.ended = true;
      if (rec.r === 'step' || rec.r === 'post') report.maxTableId = Math.max(report.maxTableId, maxIdOf(rec.act));
    }
    const keep: DdlRecord[] = [];
    for (const [ddl, d] of byDdl) {
      if (d.ended || !d.begin) continue;
      const forward = committed(d.begin.probe, view);
      const actions = forward ? d.posts : d.steps.map(inverse).filter((a): a is StorageAction => a !== null).reverse();
      if (!actions.every(canAct)) {
        keep.push(...d.records);
        report.ddls.push({ ddl, op: d.begin.op, outcome: 'kept' });
        continue;
      }
      for (const a of actions) {
        try {
          await perform(this.ops, null, a);
        } catch (err) {
          report.skipped.push(`${describe(a)}: ${(err as Error).message}`);
        }
      }
      report.ddls.push({ ddl, op: d.begin.op, outcome: forward ? 'rolled forward' : 'rolled back' });
    }
    this.found.length = 0;
    if (this.file.bytes > 0) await this.file.reset();
    if (keep.length > 0) await this.file.append(keep, true);
    return report;
  }

  /**
   * Start a DDL. `durable: false` (temporary tables, which vanish with their session anyway)
   * keeps the same undo bookkeeping without writing records or passing crash points.
   */
  begin(op: DdlOperation, probe: CommitProbe, session: S | null, durable = true): DdlTransaction<S> {
    if (durable) this.active++;
    return new DdlTransaction(this, this.nextDdl++, op, probe, session, durable);
  }

  /** @internal */
  write(records: DdlRecord[], sync: boolean): Promise<void> {
    return this.file.append(records, sync);
  }

  /** @internal */
  get storage(): StorageOps<S> {
    return this.ops;
  }

  /**
   * @internal A durable DDL is over (`ended`), or stays open for recovery to finish (not
   * `ended`). The log is emptied when nothing is in flight, nothing is left open, and it has grown.
   */
  finished(ended: boolean): void {
    this.active--;
    if (!ended) this.unresolved++;
    if (this.active === 0 && this.unresolved === 0 && this.file.bytes > DDL_LOG_RESET_BYTES) void this.file.reset().catch(() => undefined);
  }

  async close(): Promise<void> {
    await this.file.close();
  }
}

/** One DDL in progress. */
export class DdlTransaction<S> {
  private began = false;
  private done: StorageAction[] = [];
  private readonly posts: StorageAction[] = [];
  private stepNo = 0;
  private closed = false;
  /** Post-commit actions that failed: the DDL stays open in the log, and recovery retries them. */
  postFailures: string[] = [];

  constructor(
    private readonly log: DdlLog<S>,
    readonly id: number,
    readonly op: DdlOperation,
    private readonly probe: CommitProbe,
    private readonly session: S | null,
    readonly durable: boolean,
  ) {}

  private head(): DdlRecord[] {
    if (this.began) return [];
    this.began = true;
    return [{ r: 'begin', ddl: this.id, op: this.op, probe: this.probe }];
  }

  private async point(phase: string): Promise<void> {
    if (!this.durable) return;
    const p = crashPoint(`${this.op}:${phase}`);
    if (p) await p;
  }

  /**
   * Log a storage action (durably) and do it. If the DDL does not commit, it is undone.
   * @req CORE-DICT-004
   */
  async step(act: StorageAction): Promise<void> {
    const n = ++this.stepNo;
    if (this.durable) {
      await this.log.write([...this.head(), { r: 'step', ddl: this.id, n, act }], true);
      await this.point(`step${n}.logged`);
    }
    await perform(this.log.storage, this.session, act);
    this.done.push(act);
    await this.point(`step${n}.done`);
  }

  /** An action to run once the dictionary change is committed. */
  afterCommit(act: StorageAction): void {
    this.posts.push(act);
  }

  /**
   * Commit: log the post-commit actions, run `commitDictionary` (the store write), then the
   * post-commit actions. If `commitDictionary` throws, the steps are undone and the error is
   * rethrown. Failures of post-commit actions do not fail the DDL (it is committed); they are
   * kept in `postFailures` and left to recovery.
   * @req CORE-DICT-004 CORE-DICT-005
   */
  async commit(commitDictionary: () => Promise<void>): Promise<void> {
    if (this.durable) {
      const n0 = this.stepNo;
      const records = [...this.head(), ...this.posts.map((act, i): DdlRecord => ({ r: 'post', ddl: this.id, n: n0 + i + 1, act }))];
      // Steps already synced their records; only new ones need a write.
      if (records.length > 0) await this.log.write(records, true);
      await this.point('commit.logged');
    }
    try {
      await commitDictionary();
    } catch (err) {
      await this.rollback();
      throw err;
    }
    await this.point('committed');
    let i = 0;
    for (const act of this.posts) {
      try {
        await perform(this.log.storage, this.session, act);
      } catch (err) {
        this.postFailures.push(`${describe(act)}: ${(err as Error).message}`);
      }
      await this.point(`post${++i}.done`);
    }
    if (this.postFailures.length === 0) await this.end();
    else this.release(false);
  }

  /**
   * The DDL failed before its commit: undo the steps done so far, last first. An undo that
   * fails leaves the DDL open in the log, for recovery to finish at the next start.
   */
  async rollback(): Promise<void> {
    if (this.closed) return;
    let clean = true;
    for (const act of [...this.done].reverse()) {
      const back = inverse(act);
      if (!back) continue;
      try {
        await perform(this.log.storage, this.session, back);
      } catch {
        clean = false;
      }
    }
    this.done = [];
    if (clean) await this.end();
    else this.release(false);
  }

  private async end(): Promise<void> {
    if (this.closed) return;
    if (this.durable && this.began) {
      await this.log.write([{ r: 'end', ddl: this.id }], false);
      await this.point('ended');
    }
    this.release(true);
  }

  private release(ended: boolean): void {
    if (this.closed) return;
    this.closed = true;
    if (this.durable) this.log.finished(ended);
  }
}
