/**
 * What the catalog offers the executor: resolving a table name for a session (base, temporary,
 * view or computed table) and the engine registry. The executor depends on this; the catalog
 * depends on nothing of the executor.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/data-dictionary.html
 * @req CORE-CAT-001
 */
import type { SchemaDef, TableDef } from '../kernel/table-def.js';
import type { EventDef, StoredProgramDef } from './dictionary-store.js';
import type { SelectStatement } from '../sql/ast.js';
import type { EngineContext, StorageEngine, TableHandler } from '../storage/handler.js';
import type { VirtualTable } from './virtual-table.js';

/** Who is asking: a session (temporary tables, engine contexts) or the server itself. */
export interface CatalogSession {
  readonly connectionId: number;
  engineContext(engine: string): EngineContext;
}

/** A table as the executor opens it: either a stored table with its handler or a computed one. */
export type OpenedTable =
  | { kind: 'base'; def: TableDef; handler: TableHandler; engine: StorageEngine }
  | { kind: 'virtual'; def: TableDef; table: VirtualTable }
  /** A view: the executor expands its query like a derived table named after the view. */
  | { kind: 'view'; def: TableDef; query: SelectStatement; columns?: string[] };


/** The catalog as the executor uses it. */
export interface CatalogApi {
  schemaExists(name: string): boolean;
  /** Resolve a table for a session (temporary tables of that session shadow base tables);
   *  undefined when absent. Views are not handled here. */
  openTable(session: CatalogSession, schema: string, name: string): OpenedTable | undefined | Promise<OpenedTable | undefined>;
  /** All engines (for transactions: every engine with `beginTransaction`). */
  engineByName(name: string): StorageEngine | undefined;
  /** Drop the session's temporary tables (connection end / reset). */
  dropTemporaryTables?(session: CatalogSession): Promise<void>;
  /** A table's definition without opening it (a session's temporary table shadows a base one). */
  getTable?(schema: string, name: string, session?: CatalogSession | null): TableDef | undefined;
  /** Tables whose handler is open (FLUSH TABLES without a list). */
  openTableDefs?(): TableDef[];
  /** Close a table's cached handler, so its next use opens it again (FLUSH TABLES). */
  reopenTable?(id: number): Promise<void>;
  /** A schema's definition (its default character set and collation). */
  getSchema?(name: string): SchemaDef | undefined;
  /** Scheduled events (CREATE/ALTER/DROP EVENT, the event scheduler). @req CORE-EVT-003 */
  getEvent?(schema: string, name: string): EventDef | undefined;
  listEvents?(schema?: string): EventDef[];
  putEvent?(def: EventDef, previous?: EventDef): Promise<void>;
  dropEvent?(schema: string, name: string): Promise<void>;
  /** Stored programs (procedures, functions). @req CORE-SP-004 */
  getProgram?(schema: string, type: StoredProgramDef['type'], name: string): StoredProgramDef | undefined;
  listPrograms?(): StoredProgramDef[];
  hasPrograms?(type: StoredProgramDef['type']): boolean;
  putProgram?(def: StoredProgramDef): Promise<void>;
  dropProgram?(schema: string, type: StoredProgramDef['type'], name: string): Promise<void>;
  /** Base tables of a schema (a schema's triggers live on its tables). @req CORE-TRG-003 */
  listTables?(schema: string): TableDef[];
  /** Every base table. */
  listAllTables?(): TableDef[];
  /** Store a changed definition of a table in place (CREATE / DROP TRIGGER). @req CORE-TRG-003 */
  updateDefinition?(def: TableDef): Promise<void>;
}
