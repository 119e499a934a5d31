/**
 * Opening the tables a statement names, before it is compiled: base tables get their handler,
 * views are expanded (their own tables open too, in the view's schema), computed tables are
 * found. Every statement opens its tables here, so this is where the tables a statement uses
 * become known to the server as a whole.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/table-cache.html
 * @req CORE-EXEC-030
 */
import type { OpenedTable } from '../../catalog/catalog-api.js';
import type { Session } from '../session.js';
import { collectTablesOfSelect } from './statement-tables.js';

/** Tables opened ahead of compilation, keyed 'schema\0name' in lower case. */
export type OpenedTables = Map<string, OpenedTable | null>;

export function tableKey(schema: string, name: string): string {
  return schema.toLowerCase() + '\u0000' + name.toLowerCase();
}

/** Collect every named table a statement reads, open them. CTE names are tried too (harmless). */
export async function openStatementTables(session: Session, refs: Iterable<{ schema?: string; name: string }>, into: OpenedTables): Promise<void> {
  const queue = [...refs].map((t) => ({ schema: t.schema ?? session.schema, name: t.name }));
  for (let i = 0; i < queue.length && i < 10000; i++) {
    const t = queue[i]!;
    if (t.schema === null) continue;
    const key = tableKey(t.schema, t.name);
    if (into.has(key)) continue;
    const opened = await session.deps.catalog.openTable(session, t.schema, t.name);
    into.set(key, opened ?? null);
    if (opened?.kind === 'view') {
      // A view's own tables resolve in the view's schema.
      const inner: { schema?: string; name: string }[] = [];
      collectTablesOfSelect(opened.query, inner);
      for (const x of inner) queue.push({ schema: x.schema ?? opened.def.schema, name: x.name });
    }
  }
}

