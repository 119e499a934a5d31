/**
 * Deprecation warnings of MySQL 8.0.40: the constructs the server still accepts but announces as
 * going away, each with the warning MySQL's parser raises for it (1287 where the message names a
 * replacement, 1681 where it does not, 3719 for the `utf8` alias). MySQL raises them while it
 * parses; here one pass over the parsed statement finds them before the statement runs, so they
 * are in the diagnostics area (SHOW WARNINGS, @@warning_count) whatever the statement then does.
 *
 * The pass is skipped when the statement's text cannot contain any of the constructs (a cheap
 * text test), so plain statements pay nothing.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/show-warnings.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/numeric-type-attributes.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/information-functions.html#function_found-rows
 * @spec https://dev.mysql.com/doc/refman/8.0/en/insert-on-duplicate.html
 * @req CORE-DIAG-001 CORE-DIAG-002 CORE-DIAG-003 CORE-DIAG-004 CORE-DIAG-005
 */
import type { ColumnType } from '../kernel/column-type.js';
import type { Statement } from '../sql/ast.js';
import type { Session } from './session.js';

/** The texts MySQL 8.0.40 gives with code 1681 (a deprecation without a named replacement). */
export const DEPRECATED_1681 = {
  displayWidth: 'Integer display width is deprecated and will be removed in a future release.',
  zerofill: 'The ZEROFILL attribute is deprecated and will be removed in a future release. Use the LPAD function to zero-pad numbers, or store the formatted numbers in a CHAR column.',
  floatDigits: 'Specifying number of digits for floating point data types is deprecated and will be removed in a future release.',
  unsignedDecimal: 'UNSIGNED for decimal and floating point data types is deprecated and support for it will be removed in a future release.',
  sqlNoCache: "'SQL_NO_CACHE' is deprecated and will be removed in a future release.",
} as const;

/** The texts given with code 1287. */
export const DEPRECATED_1287 = {
  valuesFunction: "'VALUES function' is deprecated and will be removed in a future release. Please use an alias (INSERT INTO ... VALUES (...) AS alias) and replace VALUES(col) in the ON DUPLICATE KEY UPDATE clause with alias.col instead",
  calcFoundRows: 'SQL_CALC_FOUND_ROWS is deprecated and will be removed in a future release. Consider using two separate queries instead.',
  foundRows: 'FOUND_ROWS() is deprecated and will be removed in a future release. Consider using COUNT(*) instead.',
  and: "'&&' is deprecated and will be removed in a future release. Please use AND instead",
  or: "'|| as a synonym for OR' is deprecated and will be removed in a future release. Please use OR instead",
  not: "'!' is deprecated and will be removed in a future release. Please use NOT instead",
  binary: "'BINARY expr' is deprecated and will be removed in a future release. Please use CAST instead",
  setInExpression: "Setting user variables within expressions is deprecated and will be removed in a future release. Consider alternatives: 'SET variable=expression, ...', or 'SELECT expression(s) INTO variables(s)'.",
  utf8mb3: "'utf8mb3' is deprecated and will be removed in a future release. Please use utf8mb4 instead",
} as const;

/** Warning 3719: `utf8` still means utf8mb3. */
export const UTF8_ALIAS_WARNING = "'utf8' is currently an alias for the character set UTF8MB3, but will be an alias for UTF8MB4 in a future release. Please consider using UTF8MB4 in order to be unambiguous.";

/** Text of a statement that may hold a deprecated operator or function; others skip the walk. */
const MAY_DEPRECATE = /&&|\|\||!(?!=)|binary|found_rows|sql_no_cache|:=|on\s+duplicate|values\s*\(\s*[`a-z_]/i;

/** Statements whose column definitions are checked (always walked: they are rare). */
const DEFINES_COLUMNS = new Set<string>(['create_table', 'alter_table']);

/** Statements not walked: stored programs and views keep their bodies for later, and their
 *  statements are checked when they run; PREPARE's text is checked when it is executed. */
const SKIP = new Set<string>(['create_routine', 'create_trigger', 'create_event', 'alter_event', 'compound', 'create_view', 'prepare']);

type Warn = (code: number, message: string) => void;

/** Push the deprecation warnings of one statement. @req CORE-DIAG-001 */
export function pushDeprecations(session: Session, stmt: Statement): void {
  if (SKIP.has(stmt.kind)) return;
  const text = stmt.text;
  if (!DEFINES_COLUMNS.has(stmt.kind) && text !== undefined && !MAY_DEPRECATE.test(text)) return;
  const warn: Warn = (code, message) => session.warnRaw('Warning', code, message);
  visit(stmt, warn, new WeakSet());
}

/** Walk any AST node in source order of its properties. */
function visit(node: unknown, warn: Warn, seen: WeakSet<object>): void {
  if (node === null || typeof node !== 'object' || seen.has(node)) return;
  seen.add(node);
  if (Array.isArray(node)) {
    for (const x of node) visit(x, warn, seen);
    return;
  }
  // Only the parser's plain nodes: anything a later stage hung on the tree is not source.
  if (Object.getPrototypeOf(node) !== Object.prototype) return;
  const n = node as Record<string, unknown>;
  // A column definition: its type's attributes. @req CORE-DIAG-003
  if (typeof n.name === 'string' && n.dataType && typeof n.dataType === 'object') columnDeprecations(n.dataType as ColumnType, warn);
  switch (n.type) {
    case 'binary':
      // The operand on the left is parsed (and warned about) first.
      visit(n.left, warn, seen);
      if (n.op === '&&') warn(1287, DEPRECATED_1287.and);
      else if (n.op === '||') warn(1287, DEPRECATED_1287.or);
      else if (n.op === ':=') warn(1287, DEPRECATED_1287.setInExpression);
      visit(n.right, warn, seen);
      return;
    case 'unary':
      if (n.op === '!') warn(1287, DEPRECATED_1287.not);
      else if (n.op === 'BINARY') warn(1287, DEPRECATED_1287.binary);
      visit(n.operand, warn, seen);
      return;
    case 'values_ref':
      warn(1287, DEPRECATED_1287.valuesFunction);
      return;
    case 'func':
      if (typeof n.name === 'string' && n.name.toUpperCase() === 'FOUND_ROWS') warn(1287, DEPRECATED_1287.foundRows);
      break;
    case 'select_core': {
      const mods = (n.modifiers as string[] | undefined) ?? [];
      if (mods.includes('SQL_NO_CACHE')) warn(1681, DEPRECATED_1681.sqlNoCache);
      if (mods.includes('SQL_CALC_FOUND_ROWS')) warn(1287, DEPRECATED_1287.calcFoundRows);
      break;
    }
    default:
  }
  for (const [k, v] of Object.entries(n)) {
    if (k === 'text' || k === 'dataType') continue;
    visit(v, warn, seen);
  }
}

const INTEGERS = new Set(['TINYINT', 'SMALLINT', 'MEDIUMINT', 'INT', 'BIGINT']);

/**
 * The attribute warnings of a column's type, in MySQL's order: ZEROFILL (then no display-width
 * warning: a width still means something with it), display width (not for TINYINT(1), the
 * boolean idiom), digits of FLOAT/DOUBLE, UNSIGNED on DECIMAL/FLOAT/DOUBLE, the utf8 charsets.
 * @req CORE-DIAG-003 CORE-DIAG-004
 */
function columnDeprecations(t: ColumnType, warn: Warn): void {
  if (t.zerofill) warn(1681, DEPRECATED_1681.zerofill);
  if (INTEGERS.has(t.name) && t.length !== undefined && !t.zerofill && !(t.name === 'TINYINT' && t.length === 1)) warn(1681, DEPRECATED_1681.displayWidth);
  const floating = t.name === 'FLOAT' || t.name === 'DOUBLE';
  if (floating && t.scale !== undefined) warn(1681, DEPRECATED_1681.floatDigits);
  if ((floating || t.name === 'DECIMAL') && t.unsigned) warn(1681, DEPRECATED_1681.unsignedDecimal);
  const cs = t.charset?.toLowerCase();
  if (cs === 'utf8') warn(3719, UTF8_ALIAS_WARNING);
  else if (cs === 'utf8mb3') warn(1287, DEPRECATED_1287.utf8mb3);
}
