/**
 * A MERGE table's definition as the engine reads it: the `UNION=(...)` list of children and the
 * `INSERT_METHOD`, both kept among the table's options in the data dictionary. An unqualified
 * child names a table of the MERGE table's own schema.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/merge-storage-engine.html (16.7)
 * @req MERGE-007 MERGE-012 MERGE-013
 */
import type { TableDef } from '../../kernel/table-def.js';

export type InsertMethod = 'NO' | 'FIRST' | 'LAST';

export interface MergeChildName {
  schema: string;
  name: string;
}

/** The children named by the UNION option, in order (none without the option: MERGE-012). */
export function unionList(def: Pick<TableDef, 'schema' | 'options'>): MergeChildName[] {
  const text = def.options['UNION'];
  if (text === undefined || text.trim() === '') return [];
  return text.split(',').map((item) => {
    const s = item.trim();
    const dot = s.indexOf('.');
    return dot > 0 ? { schema: s.slice(0, dot), name: s.slice(dot + 1) } : { schema: def.schema, name: s };
  });
}

/** INSERT_METHOD: FIRST or LAST route inserts to that child; NO, or no option, refuses them. */
export function insertMethod(def: Pick<TableDef, 'options'>): InsertMethod {
  const v = (def.options['INSERT_METHOD'] ?? 'NO').toUpperCase();
  return v === 'FIRST' || v === 'LAST' ? v : 'NO';
}
