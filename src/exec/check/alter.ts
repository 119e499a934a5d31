/**
 * What one ALTER TABLE does to a table's CHECK constraints, in MySQL's order whatever the
 * order of the clauses: DROP CHECK / DROP CONSTRAINT name constraints of the table as it was
 * (3821 otherwise), ALTER CHECK / ALTER CONSTRAINT change the enforcement of a constraint still
 * there, a dropped column drops the constraints that use only it (3959 for one that also uses
 * another column), a renamed column may not be used by any constraint left (3959), and the
 * constraints added (ADD CHECK, or CHECK in an added or redefined column) are named and
 * validated over the new columns.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/alter-table.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/create-table-check-constraints.html
 * @req CORE-CHECK-015 CORE-CHECK-017 CORE-CHECK-018 CORE-CHECK-019
 */
import type { ColumnDef, TableDef } from '../../kernel/table-def.js';
import type { CheckConstraintDefinition } from '../../sql/ast.js';
import { sqlError } from '../../kernel/errors.js';
import { parseExpression } from '../../sql/parser/index.js';
import { addChecks, referencedColumns, type StoredCheck } from './rules.js';

/** The CHECK-related clauses of one ALTER TABLE. */
export interface CheckAlterations {
  /** Constraints to drop; `viaConstraint`: written DROP CONSTRAINT (already resolved to a CHECK). */
  drops: string[];
  enforcement: { name: string; enforced: boolean }[];
  added: CheckConstraintDefinition[];
  droppedColumns: string[];
  /** Columns renamed, old name to new name. */
  renamedColumns: [string, string][];
}

export function emptyCheckAlterations(): CheckAlterations {
  return { drops: [], enforcement: [], added: [], droppedColumns: [], renamedColumns: [] };
}

function same(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

/**
 * The constraints after the ALTER (undefined when the table has none left).
 * @req CORE-CHECK-015 CORE-CHECK-017 CORE-CHECK-018 CORE-CHECK-019
 */
export function alterChecks(old: TableDef, alt: CheckAlterations, columns: readonly ColumnDef[]): StoredCheck[] | undefined {
  let checks: StoredCheck[] = (old.checks ?? []).map((c) => ({ ...c }));
  for (const name of alt.drops) {
    if (!checks.some((c) => same(c.name, name))) throw sqlError('ER_CHECK_CONSTRAINT_NOT_FOUND', name);
    checks = checks.filter((c) => !same(c.name, name));
  }
  for (const e of alt.enforcement) {
    const c = checks.find((x) => same(x.name, e.name));
    if (!c) throw sqlError('ER_CHECK_CONSTRAINT_NOT_FOUND', e.name);
    c.enforced = e.enforced;
  }
  if (alt.droppedColumns.length > 0 || alt.renamedColumns.length > 0) {
    const dropped = new Set(alt.droppedColumns.map((c) => c.toLowerCase()));
    const kept: StoredCheck[] = [];
    for (const c of checks) {
      const used = referencedColumns(parseExpression(c.expr));
      const gone = [...used].filter((u) => dropped.has(u));
      if (gone.length > 0) {
        // A constraint on the dropped column alone goes with it.
        if (gone.length === used.size) continue;
        throw sqlError('ER_DEPENDENT_BY_CHECK_CONSTRAINT', c.name, columnName(old, gone[0]!));
      }
      const renamed = alt.renamedColumns.find(([from, to]) => used.has(from.toLowerCase()) && from !== to);
      if (renamed) throw sqlError('ER_DEPENDENT_BY_CHECK_CONSTRAINT', c.name, renamed[0]);
      kept.push(c);
    }
    checks = kept;
  }
  const out = addChecks(old.name, checks, alt.added, columns);
  return out.length > 0 ? out : undefined;
}

function columnName(def: TableDef, lower: string): string {
  return def.columns.find((c) => c.name.toLowerCase() === lower)?.name ?? lower;
}

/**
 * Whether the rows must be checked again: a constraint enforced after the ALTER that was not
 * enforced (or not there, or different) before. Dropping constraints or ceasing to enforce them
 * changes only the dictionary. @req CORE-CHECK-015
 */
export function checksNeedValidation(old: TableDef, next: TableDef): boolean {
  const before = old.checks ?? [];
  return (next.checks ?? []).some((c) => c.enforced && !before.some((b) => b.enforced && b.name === c.name && b.expr === c.expr));
}

/** Whether the ALTER changed the constraints at all (a dictionary change even without a copy). */
export function checksChanged(old: TableDef, next: TableDef): boolean {
  return JSON.stringify(old.checks ?? []) !== JSON.stringify(next.checks ?? []);
}
