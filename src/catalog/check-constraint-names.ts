/**
 * CHECK constraint names in the dictionary: they are unique per schema (like foreign key
 * names, and unlike index names), compared without regard to case; a name the server generated
 * (`<table>_chk_<n>`) follows the table when it is renamed, so that it keeps naming its table.
 * Temporary tables' constraints live outside the dictionary and take part in neither rule.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/create-table-check-constraints.html
 * @req CORE-CHECK-020 CORE-CHECK-021 CORE-CHECK-022 CORE-CHECK-023
 */
import { sqlError } from '../kernel/errors.js';
import type { TableDef } from '../kernel/table-def.js';
import { MAX_IDENTIFIER_LENGTH } from './limits.js';

/** What joins the table name and the number in a generated CHECK constraint name. @req CORE-CHECK-020 */
export const GENERATED_CHECK_INFIX = '_chk_';

/** The number of a name generated for table `table`, or null for a name the user gave. */
export function generatedCheckNumber(table: string, name: string): number | null {
  const prefix = (table + GENERATED_CHECK_INFIX).toLowerCase();
  if (!name.toLowerCase().startsWith(prefix)) return null;
  const rest = name.slice(prefix.length);
  return /^[1-9][0-9]*$/.test(rest) ? Number(rest) : null;
}

/** A generated name; 1059 when it would be longer than an identifier may be. @req CORE-CHECK-020 */
export function generatedCheckName(table: string, n: number): string {
  const name = `${table}${GENERATED_CHECK_INFIX}${n}`;
  if ([...name].length > MAX_IDENTIFIER_LENGTH) throw sqlError('ER_TOO_LONG_IDENT', name);
  return name;
}

/**
 * The table's CHECK constraints under the table's new name `to` (from `from`): generated names
 * take the new table name. Undefined when nothing changes. @req CORE-CHECK-021
 */
export function renamedChecks(def: TableDef, from: string, to: string): TableDef['checks'] | undefined {
  if (!def.checks?.length || from === to) return undefined;
  let changed = false;
  const out = def.checks.map((c) => {
    const n = generatedCheckNumber(from, c.name);
    if (n === null) return c;
    changed = true;
    return { ...c, name: generatedCheckName(to, n) };
  });
  return changed ? out : undefined;
}

/**
 * 3822 when a CHECK constraint of `def` has the name of one of another table of the same
 * schema (`replacing` is the table `def` redefines). @req CORE-CHECK-021
 */
export function checkCheckConstraintNames(tables: Iterable<TableDef>, def: TableDef, replacing?: TableDef): void {
  if (!def.checks?.length || def.temporary) return;
  const taken = new Set<string>();
  for (const t of tables) {
    if (t.schema !== def.schema || t.id === replacing?.id || t.id === def.id || t.temporary) continue;
    for (const c of t.checks ?? []) taken.add(c.name.toLowerCase());
  }
  for (const c of def.checks) if (taken.has(c.name.toLowerCase())) throw sqlError('ER_CHECK_CONSTRAINT_DUP_NAME', c.name);
}

/**
 * The table's constraints in the order MySQL lists them (SHOW CREATE TABLE, CREATE TABLE ...
 * LIKE): by name for a table of the dictionary, as created for a temporary table.
 * @req CORE-CHECK-022
 */
export function orderedChecks(def: TableDef): NonNullable<TableDef['checks']> {
  const checks = def.checks ?? [];
  if (def.temporary) return checks;
  return [...checks].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
