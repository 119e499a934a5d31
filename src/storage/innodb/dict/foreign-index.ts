/**
 * How a foreign key reaches rows by its columns in an InnoDB table: the index InnoDB searches
 * (in the parent, the referenced index; in the child, the supporting index) and the comparison
 * of a row's key columns with a key value.
 *
 * The index is the first one, clustered first, whose leading columns are the key's columns in
 * the key's order, without prefix parts, and not FULLTEXT or SPATIAL. In the parent a secondary
 * index also counts through the primary key columns InnoDB appends to each of its entries (so
 * an index on (a) serves a key referencing (a, id) when id is the primary key), as the server's
 * find_fk_parent_key does for InnoDB. Values compare under each column's collation, which the
 * DDL rules make equal on both sides.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/create-table-foreign-keys.html (13.1.20.5)
 * @req INNODB-FK-102 INNODB-FK-108 INNODB-FK-110
 */
import { isTextual } from '../../../kernel/column-size.js';
import type { IndexDef, IndexPart } from '../../../kernel/table-def.js';
import type { Row, Value } from '../../../kernel/value.js';
import { hashKey, keyPart, type KeyPartSpec } from '../../keys.js';
import type { ClusterRec, InnodbTable } from '../index/innodb-table.js';

/** A foreign key's way into one table's rows. */
export interface KeyAccess {
  readonly table: InnodbTable;
  /** The key's columns, as positions in the table's columns, in the key's order. */
  readonly columns: readonly number[];
  /** The index searched; null when none serves the key (every record is a candidate). */
  readonly index: IndexDef | null;
  /** The index's name as InnoDB reports it. */
  readonly indexName: string;
  /** How many leading key columns the index search uses. */
  readonly searched: number;
  /** How each key column compares (its collation). */
  readonly specs: readonly KeyPartSpec[];
}

/** Whether the first parts of `parts` are exactly `columns`, none of them a prefix. */
function leads(parts: readonly IndexPart[], columns: readonly number[]): boolean {
  if (parts.length < columns.length) return false;
  for (let i = 0; i < columns.length; i++) {
    const p = parts[i]!;
    if (p.column !== columns[i] || p.length !== undefined) return false;
  }
  return true;
}

function usable(idx: IndexDef): boolean {
  return idx.kind !== 'FULLTEXT' && idx.kind !== 'SPATIAL';
}

/**
 * The index of `table` a key over `columns` searches. `withPrimary`: a secondary index's entries
 * count with the clustering key's columns appended (the parent side). Null when none serves.
 */
export function keyAccess(table: InnodbTable, columns: readonly number[], withPrimary: boolean): KeyAccess | null {
  const def = table.def;
  const specs = columns.map((c): KeyPartSpec => {
    const col = def.columns[c]!;
    return isTextual(col) ? { collation: col.collation ?? 'utf8mb4_0900_ai_ci' } : {};
  });
  const clustered = table.clustered;
  if (clustered && usable(clustered) && leads(clustered.parts, columns)) {
    return { table, columns, index: clustered, indexName: clustered.name, searched: columns.length, specs };
  }
  const hidden = withPrimary && clustered && clustered.parts.every((p) => p.length === undefined) ? clustered.parts : [];
  for (const s of table.secondaries) {
    if (!usable(s.def)) continue;
    const own = s.def.parts;
    const extended = hidden.length > 0 ? [...own, ...hidden.filter((h) => !own.some((p) => p.column === h.column))] : own;
    if (leads(extended, columns)) {
      return { table, columns, index: s.def, indexName: s.def.name, searched: Math.min(columns.length, own.length), specs };
    }
  }
  return null;
}

/** A key that reaches rows by scanning every record (a child without a supporting index). */
export function scanAccess(table: InnodbTable, columns: readonly number[]): KeyAccess {
  const specs = columns.map((c): KeyPartSpec => {
    const col = table.def.columns[c]!;
    return isTextual(col) ? { collation: col.collation ?? 'utf8mb4_0900_ai_ci' } : {};
  });
  return { table, columns, index: null, indexName: table.clustered?.name ?? 'GEN_CLUST_INDEX', searched: 0, specs };
}

/** The comparison form of a key value. */
export function keyOf(a: KeyAccess, values: readonly Value[]): string {
  return hashKey(values.map((v, i) => keyPart(v, a.specs[i]!)));
}

/** Whether `row` has the key whose comparison form is `key`. */
export function rowHasKey(a: KeyAccess, row: Row, key: string): boolean {
  return hashKey(a.columns.map((c, i) => keyPart(row[c] ?? null, a.specs[i]!))) === key;
}

/**
 * The records whose index entries carry `values` (entries of older versions included: the
 * caller reads each record's newest version). A snapshot: later changes do not move it.
 */
export function candidates(a: KeyAccess, values: readonly Value[]): ClusterRec[] {
  const t = a.table;
  const out: ClusterRec[] = [];
  const seen = new Set<ClusterRec>();
  const add = (slot: number): void => {
    const rec = t.recs[slot];
    if (rec && !rec.removed && !seen.has(rec)) {
      seen.add(rec);
      out.push(rec);
    }
  };
  // With a tablespace, the records on disk that match come into memory first (read synchronously:
  // foreign key checks run inside one row operation).
  const sec0 = a.index && a.index !== t.clustered ? t.secondaries.findIndex((s) => s.def === a.index) : -1;
  if (t.disk) void t.disk.faultIn(sec0, !a.index || a.searched === 0 ? [] : t.searchKey(a.index, values.slice(0, a.searched)), true);
  if (!a.index || a.searched === 0) {
    for (const e of t.tree.range()) add(e.slot);
    return out;
  }
  const prefix = values.slice(0, a.searched);
  if (a.index === t.clustered) {
    for (const e of t.tree.eq(t.searchKey(a.index, prefix))) add(e.slot);
    return out;
  }
  const sec = t.secondaries.find((s) => s.def === a.index);
  if (!sec) return out;
  for (const e of sec.tree.eq(t.searchKey(sec.def, prefix))) add(e.slot);
  return out;
}

/**
 * The record a failed parent search stopped at, for the error report: the first entry at or
 * after the key in the index, else the last one (InnoDB steps back from the supremum), else
 * null (an empty index).
 */
export function closestRecord(a: KeyAccess, values: readonly Value[]): ClusterRec | null {
  const t = a.table;
  const sec = a.index && a.index !== t.clustered ? t.secondaries.find((s) => s.def === a.index) : undefined;
  const tree = sec ? sec.tree : t.tree;
  let last: ClusterRec | null = null;
  // With a tablespace, only the two records the report may name come into memory: the first
  // at or after the key, and the index's last one.
  if (t.disk) {
    const pos = sec ? t.secondaries.indexOf(sec) : -1;
    const key = a.index && a.searched > 0 ? t.searchKey(sec ? sec.def : a.index, values.slice(0, a.searched)) : null;
    if (key) void t.disk.faultInEnd(pos, key, false, true);
    void t.disk.faultInEnd(pos, null, true, true);
  }
  if (a.index && a.searched > 0) {
    const key = t.searchKey(sec ? sec.def : a.index, values.slice(0, a.searched));
    for (const e of tree.range({ key, inclusive: true })) {
      const rec = t.recs[e.slot];
      if (rec && !rec.removed) return rec;
    }
  }
  for (const e of tree.range()) {
    const rec = t.recs[e.slot];
    if (rec && !rec.removed) last = rec;
  }
  return last;
}
