/**
 * The foreign servers of CREATE SERVER, kept where MySQL 8.0 keeps them: in mysql.servers, an
 * InnoDB table of the dictionary written through storage/system-tables.ts (one durable
 * transaction per statement), read at startup and again by FLUSH PRIVILEGES, as the grant tables
 * are (accounts/grant-table-store.ts). The FEDERATED engine resolves CONNECTION='server[/table]'
 * through {@link ForeignServerStore.lookup}, which answers from the copy in memory.
 *
 * Where the dictionary is not in InnoDB tables (no InnoDB, a read-only InnoDB with none), the
 * servers live in `mysql/servers.json` and mysql.servers is a read-only view of them.
 *
 * Names are compared without regard to case, as MySQL 8.0 does.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/create-server.html (13.1.18)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/federated-create-server.html (16.8.2.2)
 * @req FEDERATED-050 FEDERATED-052 FEDERATED-055
 */
import { join } from 'node:path';
import type { ColumnType } from '../kernel/column-type.js';
import type { ForeignServer, ForeignServerDirectory } from '../kernel/remote-sql-port.js';
import type { TableDef } from '../kernel/table-def.js';
import type { Row, Value } from '../kernel/value.js';
import type { StorageEngine } from '../storage/handler.js';
import { SystemTables } from '../storage/system-tables.js';
import { readJsonIfExists, writeFileAtomic } from '../util/atomic-file.js';
import { systemColumn, systemTableDef } from './system-table-def.js';

const text = (n: number, collation = 'utf8mb3_general_ci'): ColumnType => ({ name: 'CHAR', length: n, charset: collation.startsWith('ascii') ? 'ascii' : 'utf8mb3', collation });

/** mysql.servers as MySQL 8.0 defines it. @req FEDERATED-052 */
export const SERVERS_TABLE_DEF: TableDef = systemTableDef({
  id: 0,
  name: 'servers',
  columns: [
    systemColumn('Server_name', text(64), false, ''),
    systemColumn('Host', text(255, 'ascii_general_ci'), false, ''),
    systemColumn('Db', text(64), false, ''),
    systemColumn('Username', text(32), false, ''),
    systemColumn('Password', text(64), false, ''),
    systemColumn('Port', { name: 'INT' }, false, 0n),
    systemColumn('Socket', text(64), false, ''),
    systemColumn('Wrapper', text(64), false, ''),
    systemColumn('Owner', text(64), false, ''),
  ],
  primaryKey: ['Server_name'],
  charset: 'utf8mb3',
  collation: 'utf8mb3_general_ci',
  comment: 'MySQL Foreign Servers table',
});

function toRow(s: ForeignServer): Row {
  return [s.name, s.host, s.db, s.user, s.password, BigInt(s.port), s.socket, s.wrapper, s.owner];
}

function str(v: Value | undefined): string {
  if (v === null || v === undefined) return '';
  return Buffer.isBuffer(v) ? v.toString('utf8') : String(v);
}

function fromRow(r: Row): ForeignServer {
  return {
    name: str(r[0]),
    host: str(r[1]),
    db: str(r[2]),
    user: str(r[3]),
    password: str(r[4]),
    port: Number(r[5] ?? 0),
    socket: str(r[6]),
    wrapper: str(r[7]),
    owner: str(r[8]),
  };
}

/** What the store needs of the catalog: mysql.servers' definition, and a way to create it. */
export interface ServersCatalog {
  table(schema: string, name: string): TableDef | undefined;
  create(def: TableDef): Promise<TableDef>;
}

/** Where the rows are kept. */
interface ServersBackend {
  readAll(): Promise<ForeignServer[]>;
  put(s: ForeignServer): Promise<void>;
  remove(name: string): Promise<void>;
  close(): Promise<void>;
}

class TableBackend implements ServersBackend {
  constructor(
    private tables: SystemTables,
    private readonly catalog: ServersCatalog,
  ) {}

  async readAll(): Promise<ForeignServer[]> {
    await this.current();
    return ((await this.tables.readAll(['servers'])).get('servers') ?? []).map(fromRow);
  }

  async put(s: ForeignServer): Promise<void> {
    await this.current();
    await this.tables.transaction((w) => w.put('servers', toRow(s)));
  }

  async remove(name: string): Promise<void> {
    await this.current();
    await this.tables.transaction((w) => w.remove('servers', [name]));
  }

  close(): Promise<void> {
    return this.tables.close();
  }

  /** mysql.servers dropped and created again (a restored dump) has a new definition. */
  private async current(): Promise<void> {
    const def = this.catalog.table('mysql', 'servers');
    if (!def || def.id === this.tables.defs[0]?.id) return;
    const engine = this.tables.engine;
    await this.tables.close();
    this.tables = new SystemTables(engine, [def], this.tables.sessionVar);
    await this.tables.open();
  }
}

class FileBackend implements ServersBackend {
  private rows: ForeignServer[] = [];
  constructor(private readonly path: string) {}

  async readAll(): Promise<ForeignServer[]> {
    this.rows = (await readJsonIfExists<ForeignServer[]>(this.path)) ?? [];
    return this.rows.map((r) => ({ ...r }));
  }

  async put(s: ForeignServer): Promise<void> {
    this.rows = this.rows.filter((r) => r.name.toLowerCase() !== s.name.toLowerCase()).concat([{ ...s }]);
    await writeFileAtomic(this.path, JSON.stringify(this.rows, null, 1));
  }

  async remove(name: string): Promise<void> {
    this.rows = this.rows.filter((r) => r.name.toLowerCase() !== name.toLowerCase());
    await writeFileAtomic(this.path, JSON.stringify(this.rows, null, 1));
  }

  async close(): Promise<void> {}
}

export class ForeignServerStore implements ForeignServerDirectory {
  private servers = new Map<string, ForeignServer>();
  private chain: Promise<unknown> = Promise.resolve();

  private constructor(private readonly backend: ServersBackend) {}

  /** The store over mysql.servers in `engine` (created when missing). */
  static async openTables(catalog: ServersCatalog, engine: StorageEngine, globalVar: (name: string) => Value): Promise<ForeignServerStore> {
    const def = catalog.table('mysql', 'servers') ?? (await catalog.create(SERVERS_TABLE_DEF));
    const tables = new SystemTables(engine, [def], globalVar);
    await tables.open();
    const store = new ForeignServerStore(new TableBackend(tables, catalog));
    await store.reload();
    return store;
  }

  /** The store over `<datadir>/mysql/servers.json`. */
  static async openFile(datadir: string): Promise<ForeignServerStore> {
    const store = new ForeignServerStore(new FileBackend(join(datadir, 'mysql', 'servers.json')));
    await store.reload();
    return store;
  }

  /** @req FEDERATED-051 */
  lookup(name: string): ForeignServer | undefined {
    return this.servers.get(name.toLowerCase());
  }

  list(): ForeignServer[] {
    return [...this.servers.values()];
  }

  /** Read the stored rows again (startup, FLUSH PRIVILEGES). */
  reload(): Promise<void> {
    return this.serial(async () => {
      const m = new Map<string, ForeignServer>();
      for (const s of await this.backend.readAll()) m.set(s.name.toLowerCase(), s);
      this.servers = m;
    });
  }

  /** Store `s` (a new server or a changed one): durable when it returns. @req FEDERATED-052 */
  save(s: ForeignServer): Promise<void> {
    return this.serial(async () => {
      const old = this.servers.get(s.name.toLowerCase());
      // A changed server keeps the spelling it was created with (its primary key).
      const row = old ? { ...s, name: old.name } : s;
      await this.backend.put(row);
      this.servers.set(s.name.toLowerCase(), row);
    });
  }

  remove(name: string): Promise<void> {
    return this.serial(async () => {
      const old = this.servers.get(name.toLowerCase());
      if (!old) return;
      await this.backend.remove(old.name);
      this.servers.delete(name.toLowerCase());
    });
  }

  close(): Promise<void> {
    return this.serial(() => this.backend.close());
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.chain.then(work);
    this.chain = next.catch(() => undefined);
    return next;
  }
}
