/**
 * Tables whose rows are computed rather than stored: information_schema, performance_schema,
 * and (until InnoDB owns them) the views of the `mysql` grant tables. The executor reads them
 * like any other table; they refuse writes with the documented errors.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/information-schema.html
 * @req CORE-IS-001
 */
import type { TableDef } from '../kernel/table-def.js';
import type { Row, Value } from '../kernel/value.js';

/** What a virtual table may ask about the reading session. */
export interface VirtualTableContext {
  connectionId: number;
  /** Current user as 'user'@'host' parts (for privilege-filtered views). */
  user: string;
  host: string;
  schema: string | null;
  sessionVar(name: string): Value;
  /** Whether the session may see this schema/table (information_schema filters rows by privileges). */
  canSee(schema: string, table?: string): boolean;
  /** Whether the session holds a privilege on a whole schema (EVENT, for information_schema.EVENTS). */
  hasSchemaPrivilege?(priv: string, schema: string): boolean;
  /** Whether the session holds a privilege on a table (TRIGGER, for information_schema.TRIGGERS). */
  hasTablePrivilege?(priv: string, schema: string, table: string): boolean;
}

export interface VirtualTable {
  readonly def: TableDef;
  rows(ctx: VirtualTableContext): Iterable<Row>;
}
