/**
 * The grant state kept where MySQL 8.0 keeps it: in the InnoDB grant tables mysql.user,
 * mysql.db, mysql.tables_priv, mysql.columns_priv, mysql.procs_priv, mysql.global_grants,
 * mysql.role_edges, mysql.default_roles and mysql.proxies_priv. They are ordinary tables of the
 * dictionary (SELECT, INSERT, UPDATE, DELETE, mysqldump work on them as on any table); the
 * account statements write them through this store, one InnoDB transaction per statement, and
 * startup and FLUSH PRIVILEGES read them back (grant-table-rows.ts is the mapping both ways).
 *
 * A statement writes only the rows its change touched: the store diffs the rows of the state
 * before and after by primary key, so rows a user changed by hand are left as they are until
 * FLUSH PRIVILEGES reads them, as in MySQL.
 *
 * A data directory from before the grant tables were stored keeps the state in mysql/acl.json:
 * the first start creates the tables, writes the state into them in one transaction and renames
 * the file to acl.json.imported.
 *
 * Being ordinary tables, they are checked like any other by the statement privilege checks
 * (src/exec/privileges.ts): an account without privileges on them gets 1142.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/grant-tables.html (6.2.3)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/privilege-changes.html (6.2.13)
 * @req CORE-DICT-014 CORE-DICT-019 CORE-ACCT-031 CORE-ACCT-080 CORE-GTBL-001 CORE-GTBL-002 CORE-GTBL-004
 */
import { existsSync, renameSync } from 'node:fs';
import type { TableDef } from '../kernel/table-def.js';
import { Decimal, Temporal, type Row, type Value } from '../kernel/value.js';
import type { StorageEngine } from '../storage/handler.js';
import { SystemTables } from '../storage/system-tables.js';
import { readJsonIfExists } from '../util/atomic-file.js';
import { sqlError } from '../kernel/errors.js';
import { aclPath, type AclState, type AclStore } from './acl.js';
import { aclStateFromGrantRows, GRANT_TABLE_DEFS, grantTableRows } from './grant-table-rows.js';

/** What the store needs of the catalog: the grant tables' definitions, and a way to create one. */
export interface GrantTableCatalog {
  table(schema: string, name: string): TableDef | undefined;
  /** Create `def` (under a fresh table id the catalog gives it) and return the stored definition. */
  create(def: TableDef): Promise<TableDef>;
}

/** A value as text that tells every value apart (the row diff's key and row identity). */
function valueText(v: Value | undefined): string {
  if (v === null || v === undefined) return 'N';
  if (typeof v === 'string') return 's' + v;
  if (typeof v === 'bigint') return 'i' + v.toString();
  if (typeof v === 'number') return 'f' + String(v);
  if (Buffer.isBuffer(v)) return 'b' + v.toString('hex');
  if (v instanceof Temporal || v instanceof Decimal) return 't' + String(v);
  return 'o' + JSON.stringify(v);
}

function rowText(row: Row): string {
  return row.map(valueText).join('\u0000');
}

/** The suffix acl.json gets once imported. */
export const IMPORTED_ACL_SUFFIX = '.imported';

export class GrantTableStore implements AclStore {
  /** The rows as last loaded or saved, per table, by primary key text. */
  private written = new Map<string, Map<string, Row>>();

  private constructor(
    private tables: SystemTables,
    private readonly datadir: string,
    private readonly catalog: GrantTableCatalog,
  ) {}

  /**
   * Open the grant tables of the data directory, creating the missing ones (a new data
   * directory, or one whose grants are still in acl.json).
   */
  static async open(datadir: string, catalog: GrantTableCatalog, engine: StorageEngine, globalVar: (name: string) => Value): Promise<GrantTableStore> {
    const defs: TableDef[] = [];
    for (const template of GRANT_TABLE_DEFS) defs.push(catalog.table('mysql', template.name) ?? (await catalog.create(template)));
    const tables = new SystemTables(engine, defs, globalVar);
    await tables.open();
    return new GrantTableStore(tables, datadir, catalog);
  }

  loadSync(): AclState | undefined {
    throw new Error('the grant tables are read asynchronously');
  }

  /**
   * The state the tables hold. Tables with no account at all and an acl.json beside them are a
   * data directory whose grants were never imported: the file is imported now.
   * @req CORE-DICT-019 CORE-ACCT-031
   */
  async load(): Promise<AclState | undefined> {
    await this.current();
    const rows = await this.readRows();
    if ((rows.get('user') ?? []).length === 0) {
      const file = aclPath(this.datadir);
      const legacy = await readJsonIfExists<AclState>(file);
      if (!legacy) return undefined;
      await this.save(legacy);
      renameSync(file, file + IMPORTED_ACL_SUFFIX);
      return legacy;
    }
    this.remember(rows);
    if (existsSync(aclPath(this.datadir))) renameSync(aclPath(this.datadir), aclPath(this.datadir) + IMPORTED_ACL_SUFFIX);
    return aclStateFromGrantRows(rows);
  }

  /** Write the rows `state` changed since the last load or save, in one transaction. @req CORE-DICT-014 */
  async save(state: AclState): Promise<void> {
    // Tables replaced since the last write (a restored dump drops and creates them): the diff
    // starts from what the new tables hold.
    if (await this.current()) this.remember(await this.readRows());
    const next = grantTableRows(state);
    await this.tables.transaction(async (w) => {
      for (const def of GRANT_TABLE_DEFS) {
        const before = this.written.get(def.name) ?? new Map<string, Row>();
        const after = this.byKey(def.name, next.get(def.name) ?? []);
        for (const [key, row] of before) if (!after.has(key)) await w.remove(def.name, this.tables.keyOf(def.name, row));
        for (const [key, row] of after) {
          const old = before.get(key);
          if (!old || rowText(old) !== rowText(row)) await w.put(def.name, row);
        }
      }
    });
    this.remember(next);
  }

  saveSync(): void {
    throw new Error('the grant tables are written asynchronously');
  }

  async close(): Promise<void> {
    await this.tables.close();
  }

  /**
   * The tables as the dictionary has them now. A grant table dropped and created again (by a
   * restored dump, say) has a new definition: its handler is opened again. Returns whether any
   * was replaced; a grant table that is gone is error 1146, as MySQL's account statements give.
   */
  private async current(): Promise<boolean> {
    const defs: TableDef[] = [];
    for (const t of GRANT_TABLE_DEFS) {
      const def = this.catalog.table('mysql', t.name);
      if (!def) throw sqlError('ER_NO_SUCH_TABLE', 'mysql', t.name);
      defs.push(def);
    }
    if (defs.every((d, i) => d.id === this.tables.defs[i]?.id)) return false;
    const engine = this.tables.engine;
    await this.tables.close();
    this.tables = new SystemTables(engine, defs, this.tables.sessionVar);
    await this.tables.open();
    return true;
  }

  private async readRows(): Promise<Map<string, Row[]>> {
    return this.tables.readAll(GRANT_TABLE_DEFS.map((d) => d.name));
  }

  private remember(rows: ReadonlyMap<string, readonly Row[]>): void {
    this.written = new Map(GRANT_TABLE_DEFS.map((d) => [d.name, this.byKey(d.name, rows.get(d.name) ?? [])]));
  }

  private byKey(table: string, rows: readonly Row[]): Map<string, Row> {
    const m = new Map<string, Row>();
    for (const r of rows) m.set(rowText(this.tables.keyOf(table, r)), r);
    return m;
  }
}
