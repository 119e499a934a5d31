/**
 * JSON_TABLE: a table function of the FROM clause that turns a JSON document into rows. The
 * document expression may name columns of the tables before it in the FROM clause and of outer
 * query blocks (a lateral reference), so the rows are produced again for every row those tables
 * give, like a LATERAL derived table.
 *
 * Each match of the row path gives one row; a NESTED PATH is joined to its parent like a LEFT
 * JOIN, and sibling nested paths take turns: while one of them supplies rows the columns of the
 * others are NULL. Column values are converted to the declared type as if stored in a strict
 * column; a failed conversion, a path that matches several values, or an object or array for a
 * scalar column is an error condition handled by ON ERROR (NULL by default), a path without
 * match is handled by ON EMPTY (NULL by default).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/json-table-functions.html
 * @req CORE-FN-033 CORE-FN-034 CORE-FN-035 CORE-FN-036
 */
import type { JsonTableColumn, JsonTableOn, TableRefJsonTable } from '../../sql/ast.js';
import type { ColumnDef } from '../../kernel/table-def.js';
import { SqlError, sqlError } from '../../kernel/errors.js';
import type { Row, Value } from '../../kernel/value.js';
import { JsonNumber, JsonObject, JsonParseError, jsonToText, parseJson, type JsonValue } from '../../sql/types/json.js';
import { storeValue } from '../../sql/types/store.js';
import { docArg, parsePath, select } from '../../sql/eval/functions/json.js';
import type { CompiledExpr, Runtime } from '../../sql/eval/index.js';
import { exprTypeOfColumn } from './column-types.js';
import type { SourceColumn } from './scope.js';

/** The SQL mode the column conversions run under: every bad value is an error condition. */
const STRICT_MODE: ReadonlySet<string> = new Set(['STRICT_ALL_TABLES']);

/** ER_WARN_DATA_OUT_OF_RANGE, which a strict store raises for a number that does not fit. */
const OUT_OF_RANGE_ERRNO = 1264;
const TEMPORAL: ReadonlySet<string> = new Set(['DATE', 'DATETIME', 'TIMESTAMP', 'TIME']);

type OnResponse = { kind: 'null' } | { kind: 'error' } | { kind: 'default'; value: JsonValue };

interface PathColumn {
  kind: 'path' | 'exists' | 'ordinality';
  slot: number;
  def: ColumnDef;
  legs: ReturnType<typeof parsePath>;
  onEmpty: OnResponse;
  onError: OnResponse;
}

/** One level of the COLUMNS tree: its row path, its own columns and its nested levels. */
interface Level {
  legs: ReturnType<typeof parsePath>;
  columns: PathColumn[];
  nested: Level[];
  /** Every output position this level and its nested levels fill (set to NULL when idle). */
  slots: number[];
}

/** The compiled table function: column layout and the row producer. */
export interface JsonTablePlan {
  ref: TableRefJsonTable;
  columns: SourceColumn[];
  root: Level;
  /** The document expression, compiled in the enclosing block's scope before the block runs. */
  doc: CompiledExpr | null;
  /** Sources the expression may not name: the other side of a RIGHT JOIN that preserves this
   *  table (they are read after it). @req CORE-FN-035 */
  forbidden?: Set<number>;
}

/**
 * An ON EMPTY / ON ERROR response. A DEFAULT text must be JSON, and for a non-JSON column a
 * scalar: both are checked when the statement is compiled (1067). @req CORE-FN-034
 */
function response(on: JsonTableOn | undefined, col: string, type: ColumnDef['type']): OnResponse {
  if (!on || on.kind === 'null') return { kind: 'null' };
  if (on.kind === 'error') return { kind: 'error' };
  let value: JsonValue;
  try {
    value = parseJson(on.value);
  } catch (e) {
    if (e instanceof JsonParseError) throw sqlError('ER_INVALID_DEFAULT', col);
    throw e;
  }
  if (type.name !== 'JSON' && (Array.isArray(value) || value instanceof JsonObject)) throw sqlError('ER_INVALID_DEFAULT', col);
  return { kind: 'default', value };
}

function columnDef(name: string, type: ColumnDef['type']): ColumnDef {
  const text = ['CHAR', 'VARCHAR', 'TINYTEXT', 'TEXT', 'MEDIUMTEXT', 'LONGTEXT', 'ENUM', 'SET'].includes(type.name);
  const def: ColumnDef = { name, type, nullable: true, autoIncrement: false, comment: '' };
  if (text) {
    def.charset = type.charset ?? 'utf8mb4';
    def.collation = type.collation && !type.collation.startsWith('_') ? type.collation : def.charset === 'utf8mb4' ? (type.collation === '_bin' ? 'utf8mb4_bin' : 'utf8mb4_0900_ai_ci') : undefined;
  }
  return def;
}

/** Lay out the columns of a JSON_TABLE (depth first, in declaration order). @req CORE-FN-033 */
export function planJsonTable(ref: TableRefJsonTable): JsonTablePlan {
  const columns: SourceColumn[] = [];
  const seen = new Set<string>();
  const build = (path: string, cols: JsonTableColumn[]): Level => {
    const level: Level = { legs: parsePath(path), columns: [], nested: [], slots: [] };
    for (const c of cols) {
      if (c.kind === 'nested') {
        const n = build(c.path, c.columns);
        level.nested.push(n);
        level.slots.push(...n.slots);
        continue;
      }
      if (seen.has(c.name.toLowerCase())) throw sqlError('ER_DUP_FIELDNAME', c.name);
      seen.add(c.name.toLowerCase());
      const type = c.kind === 'ordinality' ? { name: 'INT' as const, unsigned: true } : c.type;
      const def = columnDef(c.name, type);
      const slot = columns.length;
      columns.push({ name: c.name, type: { ...exprTypeOfColumn(def), nullable: true }, def });
      level.slots.push(slot);
      level.columns.push({
        kind: c.kind,
        slot,
        def,
        legs: c.kind === 'ordinality' ? [] : parsePath(c.path),
        onEmpty: c.kind === 'path' ? response(c.onEmpty, c.name, c.type) : { kind: 'null' },
        onError: c.kind === 'path' ? response(c.onError, c.name, c.type) : { kind: 'null' },
      });
    }
    return level;
  };
  const root = build(ref.path, ref.columns);
  return { ref, columns, root, doc: null };
}

/** A JSON scalar as the SQL value a column conversion starts from. */
function scalarValue(v: JsonValue, def: ColumnDef): Value {
  if (v === null) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return def.type.name === 'CHAR' || def.type.name === 'VARCHAR' || def.type.name.endsWith('TEXT') ? String(v) : v ? 1n : 0n;
  if (v instanceof JsonNumber) {
    if (v.kind === 'int' || v.kind === 'uint') return BigInt(v.text);
    return v.kind === 'double' ? v.toNumber() : v.text;
  }
  return jsonToText(v);
}

/** Convert one matched value for a column; SqlError when it does not fit (an out-of-range
 *  number is JSON_TABLE's own 3669). */
function convert(v: JsonValue, col: PathColumn, strictRt: Runtime, rowNo: number): Value {
  if (col.def.type.name === 'JSON') return jsonToText(v);
  if (Array.isArray(v) || v instanceof JsonObject) throw sqlError('ER_WRONG_JSON_TABLE_VALUE', col.def.name);
  // a JSON number or boolean is no date or time (unlike a number stored into a column)
  if (TEMPORAL.has(col.def.type.name) && typeof v !== 'string') throw sqlError('ER_JT_VALUE_OUT_OF_RANGE', col.def.name);
  try {
    return storeValue(scalarValue(v, col.def), col.def, strictRt, rowNo);
  } catch (e) {
    if (e instanceof SqlError && e.errno === OUT_OF_RANGE_ERRNO) throw sqlError('ER_JT_VALUE_OUT_OF_RANGE', col.def.name);
    throw e;
  }
}

/** A column's value at context `ctx`: ON EMPTY / ON ERROR applied. @req CORE-FN-034 */
function columnValue(col: PathColumn, ctx: JsonValue, strictRt: Runtime, rowNo: number): Value {
  if (col.kind === 'exists') return storeValue(select(ctx, col.legs).length > 0 ? 1n : 0n, col.def, strictRt, rowNo);
  const found = select(ctx, col.legs);
  if (found.length === 0) {
    const r = col.onEmpty;
    if (r.kind === 'error') throw sqlError('ER_MISSING_JSON_TABLE_VALUE', col.def.name);
    if (r.kind === 'null') return null;
    return fallback(col, r.value, strictRt, rowNo);
  }
  try {
    if (found.length > 1) throw sqlError('ER_WRONG_JSON_TABLE_VALUE', col.def.name);
    return convert(found[0]!, col, strictRt, rowNo);
  } catch (e) {
    if (!(e instanceof SqlError)) throw e;
    const r = col.onError;
    if (r.kind === 'error') throw e;
    if (r.kind === 'null') return null;
    return fallback(col, r.value, strictRt, rowNo);
  }
}

/** A DEFAULT value that does not fit the column is 3669, whatever the conversion said. */
function fallback(col: PathColumn, v: JsonValue, strictRt: Runtime, rowNo: number): Value {
  try {
    return convert(v, col, strictRt, rowNo);
  } catch (e) {
    if (e instanceof SqlError) throw sqlError('ER_JT_VALUE_OUT_OF_RANGE', col.def.name);
    throw e;
  }
}

/**
 * The rows of one level at context `ctx` (each a full-width array; idle slots stay NULL).
 * `rowNo` is the match number of the row path that conditions name (0 at the top level: each
 * match there numbers itself).
 */
function levelRows(level: Level, ctx: JsonValue, width: number, strictRt: Runtime, rowNo: number): Row[] {
  const out: Row[] = [];
  const matches = select(ctx, level.legs);
  let ordinal = 0;
  for (const m of matches) {
    ordinal++;
    const at = rowNo === 0 ? ordinal : rowNo;
    const base: Row = new Array<Value>(width).fill(null);
    for (const c of level.columns) {
      base[c.slot] = c.kind === 'ordinality' ? BigInt(ordinal) : columnValue(c, m, strictRt, at);
    }
    // Sibling nested paths take turns; with none supplying rows the parent row stands alone.
    let any = false;
    for (const n of level.nested) {
      for (const r of levelRows(n, m, width, strictRt, at)) {
        any = true;
        const row = base.slice();
        for (const s of n.slots) row[s] = r[s] ?? null;
        out.push(row);
      }
    }
    if (!any) out.push(base);
  }
  return out;
}

/** The rows of the table function for the current values of the block row. @req CORE-FN-035 */
export function jsonTableRows(plan: JsonTablePlan, row: Row, rt: Runtime): Row[] {
  const v = plan.doc!.eval(row, rt);
  if (v === null) return [];
  const doc = docArg(v, plan.doc!.type, 'json_table', 1);
  const strictRt: Runtime = Object.create(rt) as Runtime;
  Object.defineProperty(strictRt, 'sqlMode', { value: STRICT_MODE });
  return levelRows(plan.root, doc, plan.columns.length, strictRt, 0);
}
