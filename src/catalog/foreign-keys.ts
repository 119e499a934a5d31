/**
 * Foreign keys in the dictionary: resolving FOREIGN KEY clauses into {@link ForeignKeyDef}s,
 * keeping them right when the child's columns change (ALTER) or a table is renamed, the clause
 * SHOW CREATE TABLE prints, and the index of "referenced by" (the children of each parent) that
 * an engine enforcing foreign keys uses to check and cascade.
 *
 * Foreign keys are kept only for engines that support them (InnoDB; MEMORY and EXAMPLE accept
 * the clause and ignore it, as MySQL does for engines without foreign keys).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/create-table-foreign-keys.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/rename-table.html
 * @req CORE-DICT-010 CORE-DICT-011 CORE-DICT-012 CORE-DICT-013
 */
import { sqlError } from '../kernel/errors.js';
import type { ColumnDef, ForeignKeyDef, ForeignKeyRule, TableDef } from '../kernel/table-def.js';
import type { ForeignKeyDefinition } from '../sql/ast.js';
import { tableKey } from './names.js';

/** What InnoDB inserts between the table name and the number of a generated constraint name. */
const GENERATED_INFIX = '_ibfk_';

const RULES: ReadonlySet<string> = new Set(['RESTRICT', 'CASCADE', 'SET NULL', 'NO ACTION', 'SET DEFAULT']);

function rule(text: string | undefined): ForeignKeyRule {
  const r = (text ?? 'NO ACTION').toUpperCase();
  return (RULES.has(r) ? r : 'NO ACTION') as ForeignKeyRule;
}

function quote(name: string): string {
  return '`' + name.replace(/`/g, '``') + '`';
}

/** The number after `<table>_ibfk_` for a generated name, or 0. */
function generatedNumber(table: string, name: string): number {
  const prefix = table + GENERATED_INFIX;
  if (!name.startsWith(prefix)) return 0;
  const n = Number(name.slice(prefix.length));
  return Number.isInteger(n) && n > 0 ? n : 0;
}

/** A referencing column may not be NOT NULL when the key sets it to NULL (1830). */
function checkSetNull(fk: ForeignKeyDef, columns: readonly ColumnDef[]): void {
  if (fk.onDelete !== 'SET NULL' && fk.onUpdate !== 'SET NULL') return;
  for (const p of fk.columns) {
    if (!columns[p]!.nullable) throw sqlError('ER_FK_COLUMN_NOT_NULL', columns[p]!.name, fk.name);
  }
}

/**
 * Resolve the FOREIGN KEY clauses of CREATE TABLE or ALTER TABLE ... ADD FOREIGN KEY for a
 * child table, after `existing` (keys the table keeps). An unqualified parent is in the child's
 * schema. Unnamed keys get `<table>_ibfk_<n>`, numbered after the highest such name in use.
 * Errors: 1072 for an unknown column, 1239 when the two column lists differ in length, 1826 for
 * a name used twice, 1830 for SET NULL on a NOT NULL column.
 * @req CORE-DICT-010
 */
export function resolveForeignKeys(
  clauses: readonly ForeignKeyDefinition[],
  child: Pick<TableDef, 'schema' | 'name' | 'columns'>,
  existing: readonly ForeignKeyDef[] = [],
): ForeignKeyDef[] {
  const out = [...existing];
  let next = Math.max(0, ...existing.map((f) => generatedNumber(child.name, f.name))) + 1;
  for (const c of clauses) {
    if (c.columns.length !== c.references.columns.length) {
      throw sqlError('ER_WRONG_FK_DEF', c.name ?? 'foreign key without name', "Key reference and table reference don't match");
    }
    const columns = c.columns.map((name) => {
      const pos = child.columns.findIndex((col) => col.name.toLowerCase() === name.toLowerCase());
      if (pos < 0) throw sqlError('ER_KEY_COLUMN_DOES_NOT_EXITS', name);
      return pos;
    });
    const name = c.name ?? `${child.name}${GENERATED_INFIX}${next++}`;
    if (out.some((f) => f.name.toLowerCase() === name.toLowerCase())) throw sqlError('ER_FK_DUP_NAME', name);
    const fk: ForeignKeyDef = {
      name,
      columns,
      refSchema: c.references.table.schema ?? child.schema,
      refTable: c.references.table.name,
      refColumns: [...c.references.columns],
      onDelete: rule(c.references.onDelete),
      onUpdate: rule(c.references.onUpdate),
    };
    checkSetNull(fk, child.columns);
    out.push(fk);
  }
  return out;
}

/**
 * The foreign keys of an altered child: `sources[i]` is the old position of new column i (null
 * for an added column). Dropping a referencing column is 1828; a referencing column made NOT
 * NULL under SET NULL is 1830. Then `drop` names are removed (1091 when absent) and `add`
 * clauses resolved.
 * @req CORE-DICT-011
 */
export function alterForeignKeys(
  old: TableDef,
  next: Pick<TableDef, 'schema' | 'name' | 'columns'>,
  sources: readonly (number | null)[],
  changes: { add: readonly ForeignKeyDefinition[]; drop: readonly string[] },
): ForeignKeyDef[] {
  let kept = [...(old.foreignKeys ?? [])];
  for (const name of changes.drop) {
    const i = kept.findIndex((f) => f.name.toLowerCase() === name.toLowerCase());
    if (i < 0) throw sqlError('ER_CANT_DROP_FIELD_OR_KEY', name);
    kept.splice(i, 1);
  }
  kept = kept.map((fk) => ({
    ...fk,
    columns: fk.columns.map((p) => {
      const at = sources.indexOf(p);
      if (at < 0) throw sqlError('ER_FK_COLUMN_CANNOT_DROP', old.columns[p]!.name, fk.name);
      return at;
    }),
  }));
  for (const fk of kept) checkSetNull(fk, next.columns);
  return resolveForeignKeys(changes.add, next, kept);
}

/**
 * The `CONSTRAINT ... FOREIGN KEY ...` clause of SHOW CREATE TABLE: the parent's schema only
 * when it differs from the child's, ON DELETE / ON UPDATE only when not NO ACTION (the default).
 * @req CORE-DICT-012
 */
export function foreignKeyClause(def: TableDef, fk: ForeignKeyDef): string {
  const cols = fk.columns.map((p) => quote(def.columns[p]!.name)).join(', ');
  const parent = (fk.refSchema !== def.schema ? quote(fk.refSchema) + '.' : '') + quote(fk.refTable);
  let s = `CONSTRAINT ${quote(fk.name)} FOREIGN KEY (${cols}) REFERENCES ${parent} (${fk.refColumns.map(quote).join(', ')})`;
  if (fk.onDelete !== 'NO ACTION') s += ` ON DELETE ${fk.onDelete}`;
  if (fk.onUpdate !== 'NO ACTION') s += ` ON UPDATE ${fk.onUpdate}`;
  return s;
}

/**
 * A table's own foreign keys after it is renamed from `from` to `to`: generated names
 * (`<old name>_ibfk_<n>`) follow the new name, and keys that reference the table itself follow
 * it too.
 * @req CORE-DICT-013
 */
export function renamedOwnKeys(def: TableDef, to: { schema: string; name: string }): ForeignKeyDef[] | undefined {
  if (!def.foreignKeys) return undefined;
  return def.foreignKeys.map((fk) => {
    const n = generatedNumber(def.name, fk.name);
    const self = fk.refSchema === def.schema && fk.refTable === def.name;
    return {
      ...fk,
      name: n > 0 ? `${to.name}${GENERATED_INFIX}${n}` : fk.name,
      refSchema: self ? to.schema : fk.refSchema,
      refTable: self ? to.name : fk.refTable,
    };
  });
}

/**
 * A child table after its parent was renamed, or had referenced columns renamed (`columns`: old
 * lower-case name to new): its keys naming the parent name the new table and columns (as MySQL
 * updates the children in the dictionary). Undefined when nothing changes.
 * @req CORE-DICT-013 INNODB-FK-107
 */
export function retargetedChild(
  child: TableDef,
  from: { schema: string; name: string },
  to: { schema: string; name: string },
  columns?: ReadonlyMap<string, string>,
): TableDef | undefined {
  if (!child.foreignKeys?.some((fk) => fk.refSchema === from.schema && fk.refTable === from.name)) return undefined;
  const moved = from.schema !== to.schema || from.name !== to.name;
  const renames = (fk: ForeignKeyDef): boolean => fk.refColumns.some((c) => columns?.has(c.toLowerCase()) ?? false);
  if (!moved && !child.foreignKeys.some((fk) => fk.refSchema === from.schema && fk.refTable === from.name && renames(fk))) return undefined;
  return {
    ...child,
    foreignKeys: child.foreignKeys.map((fk) =>
      fk.refSchema === from.schema && fk.refTable === from.name
        ? { ...fk, refSchema: to.schema, refTable: to.name, refColumns: fk.refColumns.map((c) => columns?.get(c.toLowerCase()) ?? c) }
        : fk,
    ),
  };
}

/** A child table and one of its keys that names a given parent. */
export interface ForeignKeyReference {
  child: TableDef;
  fk: ForeignKeyDef;
}

/**
 * Children by parent: for every (schema, table) named as a parent by some foreign key, the
 * tables whose keys name it. Parents are keyed by name (see ForeignKeyDef), children by id.
 * @req CORE-DICT-013
 */
export class ForeignKeyIndex {
  private readonly byParent = new Map<string, Map<number, TableDef>>();

  private parentsOf(def: TableDef): Set<string> {
    return new Set((def.foreignKeys ?? []).map((fk) => tableKey(fk.refSchema, fk.refTable)));
  }

  /** A table entered the dictionary. */
  add(def: TableDef): void {
    for (const key of this.parentsOf(def)) {
      let m = this.byParent.get(key);
      if (!m) this.byParent.set(key, (m = new Map()));
      m.set(def.id, def);
    }
  }

  /** A table left the dictionary. */
  remove(def: TableDef): void {
    for (const key of this.parentsOf(def)) {
      const m = this.byParent.get(key);
      if (!m) continue;
      if (m.get(def.id) === def) m.delete(def.id);
      if (m.size === 0) this.byParent.delete(key);
    }
  }

  /** The children whose keys name `schema.table`, one entry per key. */
  referencedBy(schema: string, table: string): ForeignKeyReference[] {
    const out: ForeignKeyReference[] = [];
    for (const child of this.byParent.get(tableKey(schema, table))?.values() ?? []) {
      for (const fk of child.foreignKeys ?? []) if (fk.refSchema === schema && fk.refTable === table) out.push({ child, fk });
    }
    return out.sort((a, b) => (a.child.schema + '.' + a.child.name + '.' + a.fk.name < b.child.schema + '.' + b.child.name + '.' + b.fk.name ? -1 : 1));
  }

  /** Children of `schema.table` (each once). */
  children(schema: string, table: string): TableDef[] {
    return [...(this.byParent.get(tableKey(schema, table))?.values() ?? [])];
  }
}
