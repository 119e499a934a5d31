/**
 * The server's foreign key rules for DDL, for engines that enforce foreign keys (InnoDB): what
 * CREATE TABLE, ALTER TABLE, DROP TABLE, DROP DATABASE and TRUNCATE TABLE must check, as
 * sql_table.cc and sql_truncate.cc check it in MySQL 8.0, where these rules moved from the
 * engine to the SQL layer. The engine keeps one rule of its own, which column types it can
 * connect (StorageEngine.foreignKeyColumnsCompatible, the handlerton's check_fk_column_compat),
 * and enforces keys on rows; everything here runs before any storage changes.
 *
 * - Every FOREIGN KEY clause gets a supporting index in the child: an index whose leading columns
 *   are the key's, in order, without prefixes. When none exists MySQL adds one, named by the
 *   CONSTRAINT symbol, else by the FOREIGN KEY index name, else after the first column (this
 *   holds for every engine: the parser adds the key before the engine is known).
 * - A new key's parent must exist in the same engine unless foreign_key_checks=0 (1824); its
 *   referenced columns must exist (3734), have types the engine can connect (3780), and lead
 *   an index of the parent, counting a secondary index's appended primary key columns (1822).
 *   Foreign keys on temporary tables are refused (1215).
 * - ALTER TABLE may not drop the child's supporting index nor the parent's referenced index
 *   (1553), drop a referenced column (1829), make the column types incompatible (3780), or
 *   change the engine of a table with foreign keys or children (3776). A referenced column that
 *   is renamed is renamed in the children's keys.
 * - DROP TABLE of a parent whose children are not dropped by the same statement (3730), DROP
 *   DATABASE of a parent with children in other schemas (3730), and TRUNCATE of a parent with
 *   children other than itself (1701) are refused unless foreign_key_checks=0.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/create-table-foreign-keys.html (13.1.20.5)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/drop-table.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/truncate-table.html
 * @req INNODB-FK-101 INNODB-FK-102 INNODB-FK-103 INNODB-FK-104 INNODB-FK-105 INNODB-FK-106 INNODB-FK-107
 */
import type { Catalog } from '../../catalog/catalog.js';
import { sqlError } from '../../kernel/errors.js';
import type { ColumnDef, ForeignKeyDef, IndexDef, TableDef } from '../../kernel/table-def.js';
import type { Value } from '../../kernel/value.js';
import type { ForeignKeyDefinition, IndexDefinition } from '../../sql/ast.js';
import type { StorageEngine } from '../../storage/handler.js';

/** The session's foreign_key_checks (on unless set off). */
export function foreignKeyChecksOn(v: Value | undefined): boolean {
  if (v === null || v === undefined) return true;
  if (typeof v === 'string') return v === '1' || v.toUpperCase() === 'ON';
  if (typeof v === 'bigint') return v !== 0n;
  if (typeof v === 'number') return v !== 0;
  return true;
}

function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

function columnPos(def: Pick<TableDef, 'columns'>, name: string): number {
  return def.columns.findIndex((c) => sameName(c.name, name));
}

function selfReferencing(def: Pick<TableDef, 'schema' | 'name'>, fk: Pick<ForeignKeyDef, 'refSchema' | 'refTable'>): boolean {
  return fk.refSchema === def.schema && fk.refTable === def.name;
}

/** Whether the first parts of `parts` are `columns`, in order, none a prefix. */
function leads(parts: readonly { column: number; length?: number }[], columns: readonly number[]): boolean {
  if (columns.length === 0 || parts.length < columns.length) return false;
  return columns.every((c, i) => parts[i]!.column === c && parts[i]!.length === undefined);
}

function searchable(idx: IndexDef): boolean {
  return idx.kind !== 'FULLTEXT' && idx.kind !== 'SPATIAL';
}

/** The child's index that supports a key over `columns` (positions), if any. @req INNODB-FK-104 */
export function supportingIndex(def: Pick<TableDef, 'indexes'>, columns: readonly number[]): IndexDef | undefined {
  return def.indexes.find((i) => searchable(i) && leads(i.parts, columns));
}

/**
 * The parent's index a key over `columns` (positions) references: the first whose leading
 * columns they are, a secondary index's entries counting with the primary key columns appended
 * (as InnoDB stores them) when the primary key has no prefix parts. @req INNODB-FK-102
 */
export function referencedIndex(def: Pick<TableDef, 'indexes'>, columns: readonly number[]): IndexDef | undefined {
  const first = def.indexes[0];
  const pk = first && (first.kind === 'PRIMARY' || first.kind === 'UNIQUE') && first.parts.every((p) => p.length === undefined) ? first : undefined;
  for (const idx of def.indexes) {
    if (!searchable(idx)) continue;
    const parts = pk && idx !== pk ? [...idx.parts, ...pk.parts.filter((h) => !idx.parts.some((p) => p.column === h.column))] : idx.parts;
    if (leads(parts, columns)) return idx;
  }
  return undefined;
}

/** A key as the redundancy rule compares keys: its parts, and whether a FOREIGN KEY generated it. */
interface KeyShape {
  readonly parts: readonly { column: number; length?: number; desc?: boolean }[];
  readonly generated: boolean;
  readonly searchable: boolean;
}

/** Whether the generated one of `a` and `b` (the shorter, if both are) is a prefix of the other. */
function generatedPrefix(a: KeyShape, b: KeyShape): boolean {
  let [x, y] = [a, b];
  if (x.generated) {
    if (y.generated && x.parts.length > y.parts.length) [x, y] = [y, x];
  } else {
    if (!y.generated) return false;
    [x, y] = [y, x];
  }
  if (x.parts.length > y.parts.length) return false;
  return x.parts.every((p, i) => {
    const q = y.parts[i]!;
    return p.column === q.column && p.length === q.length && (p.desc ?? false) === (q.desc ?? false);
  });
}

/**
 * The index definitions to add so that each FOREIGN KEY clause has a supporting index, as MySQL
 * does it: every clause generates a key on its columns (named by CONSTRAINT, else by FOREIGN KEY's
 * index name, else later after its first column), and a generated key that is a prefix of another
 * key goes (of two generated keys, the shorter; of two alike, the earlier). `built` are the keys
 * the table has otherwise. @req INNODB-FK-104
 */
export function supportingIndexDefinitions(clauses: readonly ForeignKeyDefinition[], columns: readonly ColumnDef[], built: readonly IndexDef[]): IndexDefinition[] {
  const keys: (KeyShape & { def?: IndexDefinition })[] = built.map((i) => ({ parts: i.parts, generated: false, searchable: searchable(i) }));
  for (const c of clauses) {
    const positions = c.columns.map((n) => columns.findIndex((col) => sameName(col.name, n)));
    if (positions.length === 0 || positions.some((p) => p < 0)) continue; // resolveForeignKeys reports it
    const def: IndexDefinition = { kind: 'INDEX', columns: c.columns.map((n) => ({ column: n })) };
    const name = c.name ?? c.indexName;
    if (name !== undefined) def.name = name;
    keys.push({ parts: positions.map((column) => ({ column })), generated: true, searchable: true, def });
  }
  const redundant = keys.map(() => false);
  keys.forEach((k, j) => {
    for (let i = 0; i < j; i++) {
      const k2 = keys[i]!;
      if (redundant[i] || !k2.searchable || !generatedPrefix(k, k2)) continue;
      if (!k2.generated || (k.generated && k.parts.length < k2.parts.length)) redundant[j] = true;
      else redundant[i] = true;
      break;
    }
  });
  return keys.flatMap((k, i) => (k.def && !redundant[i] ? [k.def] : []));
}

/** What the key rules read: the dictionary and the engine's type rule. */
export interface ForeignKeyRuleContext {
  readonly catalog: Catalog;
  readonly engine: StorageEngine;
  /** foreign_key_checks of the session. */
  readonly checks: boolean;
}

/**
 * Check the keys a CREATE TABLE or ALTER TABLE adds to `child` (its final definition, indexes
 * included) and return them with the referenced columns spelled as the parent spells them.
 * @req INNODB-FK-101 INNODB-FK-102 INNODB-FK-103 INNODB-FK-105
 */
export function checkNewForeignKeys(ctx: ForeignKeyRuleContext, child: TableDef, added: readonly ForeignKeyDef[]): ForeignKeyDef[] {
  if (added.length > 0 && child.temporary) throw sqlError('ER_CANNOT_ADD_FOREIGN');
  return added.map((fk) => {
    const parent = selfReferencing(child, fk) ? child : ctx.catalog.getBaseTable(fk.refSchema, fk.refTable);
    if (!parent || parent.engine !== child.engine) {
      // A missing parent (or one in another engine) is an orphan key, allowed without checks.
      if (ctx.checks) throw sqlError('ER_FK_CANNOT_OPEN_PARENT', fk.refTable);
      return fk;
    }
    const positions = fk.refColumns.map((name, i) => {
      const p = columnPos(parent, name);
      if (p < 0) throw sqlError('ER_FK_NO_COLUMN_PARENT', name, fk.name, fk.refTable);
      const childCol = child.columns[fk.columns[i]!]!;
      if (ctx.engine.foreignKeyColumnsCompatible && !ctx.engine.foreignKeyColumnsCompatible(childCol, parent.columns[p]!, true)) {
        throw sqlError('ER_FK_INCOMPATIBLE_COLUMNS', childCol.name, name, fk.name);
      }
      return p;
    });
    if (!referencedIndex(parent, positions)) throw sqlError('ER_FK_NO_INDEX_PARENT', fk.name, fk.refTable);
    return { ...fk, refColumns: positions.map((p) => parent.columns[p]!.name) };
  });
}

/** How the columns of an altered table map to the old ones: `sources[i]` is the old position of new column i. */
export interface AlterMapping {
  readonly old: TableDef;
  readonly next: TableDef;
  readonly sources: readonly (number | null)[];
}

/** Old column name (lower case) -> new name, for columns an ALTER renamed. */
export function renamedColumns(m: AlterMapping): Map<string, string> {
  const out = new Map<string, string>();
  m.sources.forEach((src, i) => {
    if (src === null) return;
    const from = m.old.columns[src]!.name;
    const to = m.next.columns[i]!.name;
    if (from !== to) out.set(from.toLowerCase(), to);
  });
  return out;
}

/**
 * ALTER TABLE against the keys that exist: the child's kept keys still need a supporting index,
 * and the children of the table (as a parent) still need their referenced columns, index and
 * compatible types. `kept` are the table's keys carried over (already following moved columns).
 * @req INNODB-FK-107
 */
export function checkAlteredForeignKeys(ctx: ForeignKeyRuleContext, m: AlterMapping, kept: readonly ForeignKeyDef[]): void {
  const { old, next } = m;
  const hasChildren = ctx.catalog.referencedBy(old.schema, old.name).some((r) => r.child.id !== old.id);
  if (next.engine !== old.engine && ((old.foreignKeys?.length ?? 0) > 0 || hasChildren)) throw sqlError('ER_FK_CANNOT_CHANGE_ENGINE');
  for (const fk of kept) {
    if (!supportingIndex(next, fk.columns)) {
      const before = old.foreignKeys?.find((f) => sameName(f.name, fk.name));
      throw sqlError('ER_DROP_INDEX_FK', (before && supportingIndex(old, before.columns)?.name) ?? '<unknown key name>');
    }
    // A referencing column whose type changed must still suit the parent's column.
    const parent = selfReferencing(old, fk) ? undefined : ctx.catalog.getBaseTable(fk.refSchema, fk.refTable);
    if (!parent || !ctx.engine.foreignKeyColumnsCompatible) continue;
    fk.refColumns.forEach((name, i) => {
      const p = columnPos(parent, name);
      const childCol = next.columns[fk.columns[i]!]!;
      if (p >= 0 && !ctx.engine.foreignKeyColumnsCompatible!(childCol, parent.columns[p]!, ctx.checks)) {
        throw sqlError('ER_FK_INCOMPATIBLE_COLUMNS', childCol.name, name, fk.name);
      }
    });
  }
  const renamed = renamedColumns(m);
  const newPosition = (oldPos: number): number => m.sources.indexOf(oldPos);
  const asParent = [
    ...ctx.catalog.referencedBy(old.schema, old.name).filter((r) => r.child.id !== old.id),
    ...kept.filter((fk) => selfReferencing(old, fk)).map((fk) => ({ child: next, fk })),
  ];
  for (const { child, fk } of asParent) {
    const oldPositions = fk.refColumns.map((n) => columnPos(old, n));
    if (oldPositions.some((p) => p < 0)) continue; // an orphan reference stays one
    const positions = oldPositions.map((p, i) => {
      const q = newPosition(p);
      if (q < 0) throw sqlError('ER_FK_COLUMN_CANNOT_DROP_CHILD', fk.refColumns[i], fk.name, child.name);
      return q;
    });
    if (!referencedIndex(next, positions)) {
      throw sqlError('ER_DROP_INDEX_FK', referencedIndex(old, oldPositions)?.name ?? '<unknown key name>');
    }
    positions.forEach((p, i) => {
      const childCol = child.columns[fk.columns[i]!]!;
      const parentCol = next.columns[p]!;
      if (ctx.engine.foreignKeyColumnsCompatible && !ctx.engine.foreignKeyColumnsCompatible(childCol, parentCol, ctx.checks)) {
        throw sqlError('ER_FK_INCOMPATIBLE_COLUMNS', childCol.name, renamed.get(fk.refColumns[i]!.toLowerCase()) ?? fk.refColumns[i], fk.name);
      }
    });
  }
}

/** A key's referenced column names after the parent's columns were renamed. */
export function renameReferencedColumns(fk: ForeignKeyDef, renamed: ReadonlyMap<string, string>): ForeignKeyDef {
  if (!fk.refColumns.some((n) => renamed.has(n.toLowerCase()))) return fk;
  return { ...fk, refColumns: fk.refColumns.map((n) => renamed.get(n.toLowerCase()) ?? n) };
}

/**
 * DROP TABLE (or DROP DATABASE, `wholeSchema`) may not leave children without their parent.
 * @req INNODB-FK-106
 */
export function checkDropParents(catalog: Catalog, checks: boolean, dropping: readonly TableDef[], wholeSchema?: string): void {
  if (!checks) return;
  for (const parent of dropping) {
    if (parent.temporary) continue;
    for (const { child, fk } of catalog.referencedBy(parent.schema, parent.name)) {
      if (wholeSchema !== undefined ? child.schema === wholeSchema : dropping.some((d) => d.id === child.id)) continue;
      throw sqlError('ER_FK_CANNOT_DROP_PARENT', parent.name, fk.name, child.name);
    }
  }
}

/** TRUNCATE TABLE of a parent with children other than itself. @req INNODB-FK-106 */
export function checkTruncateParent(catalog: Catalog, checks: boolean, def: TableDef): void {
  if (!checks || def.temporary) return;
  for (const { child, fk } of catalog.referencedBy(def.schema, def.name)) {
    if (child.id === def.id) continue;
    const q = (n: string): string => '`' + n.replace(/`/g, '``') + '`';
    throw sqlError('ER_TRUNCATE_ILLEGAL_FK', `${q(child.schema)}.${q(child.name)}, CONSTRAINT ${q(fk.name)}`);
  }
}
