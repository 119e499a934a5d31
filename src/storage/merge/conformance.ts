/**
 * Whether a child table may serve a MERGE table: checked each time a statement opens the MERGE
 * table, never at CREATE (so a MERGE table may be created over children that do not exist yet).
 *
 * The child must have the same columns in the same order (same type, length, signedness,
 * collation and nullability; names and comments may differ) and at least the MERGE table's
 * indexes, in the same order, each with the same algorithm and the same parts (column, prefix
 * length, direction). Index kinds may differ: a PRIMARY KEY or UNIQUE of the child is a plain
 * index of the MERGE table, which cannot keep values unique over all its children.
 *
 * A NULL/NOT NULL difference and a different index order are refused (spec decisions A-27 and
 * MySQL lets some of them through and then gives wrong answers.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/merge-storage-engine.html (16.7)
 * @req MERGE-002 MERGE-004 MERGE-020 MERGE-021 MERGE-022 MERGE-023 MERGE-088
 */
import type { ColumnDef, IndexDef, TableDef } from '../../kernel/table-def.js';

const INTEGER_TYPES = new Set(['TINYINT', 'SMALLINT', 'MEDIUMINT', 'INT', 'BIGINT']);

/** Column pairs match on what MyISAM stores; names, comments and defaults do not count. */
function sameColumn(a: ColumnDef, b: ColumnDef): boolean {
  if (a.type.name !== b.type.name) return false;
  // An integer's display width says nothing about what is stored.
  if (!INTEGER_TYPES.has(a.type.name) && (a.type.length ?? null) !== (b.type.length ?? null)) return false;
  if ((a.type.scale ?? null) !== (b.type.scale ?? null)) return false;
  if ((a.type.unsigned ?? false) !== (b.type.unsigned ?? false)) return false;
  if ((a.collation ?? null) !== (b.collation ?? null)) return false;
  if (JSON.stringify(a.type.values ?? []) !== JSON.stringify(b.type.values ?? [])) return false;
  return a.nullable === b.nullable;
}

function sameIndex(m: IndexDef, c: IndexDef): boolean {
  const fulltext = (i: IndexDef): boolean => i.kind === 'FULLTEXT' || i.algorithm === 'FULLTEXT';
  const spatial = (i: IndexDef): boolean => i.kind === 'SPATIAL' || i.algorithm === 'SPATIAL' || i.algorithm === 'RTREE';
  if (fulltext(m) !== fulltext(c) || spatial(m) !== spatial(c)) return false;
  if (m.parts.length !== c.parts.length) return false;
  return m.parts.every((p, i) => {
    const q = c.parts[i]!;
    return p.column === q.column && (p.length ?? null) === (q.length ?? null) && (p.desc ?? false) === (q.desc ?? false);
  });
}

/** Null when `child` conforms to `merge`, else why not (for diagnostics and tests). */
export function conformanceProblem(merge: TableDef, child: TableDef): string | null {
  if (merge.columns.length !== child.columns.length) return 'different number of columns';
  for (let i = 0; i < merge.columns.length; i++) {
    if (!sameColumn(merge.columns[i]!, child.columns[i]!)) return `column ${i + 1} differs`;
  }
  if (child.indexes.length < merge.indexes.length) return 'fewer indexes';
  for (let i = 0; i < merge.indexes.length; i++) {
    if (!sameIndex(merge.indexes[i]!, child.indexes[i]!)) return `index ${i + 1} differs`;
  }
  return null;
}
