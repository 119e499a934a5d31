/**
 * A stored routine ready to run: its dictionary entry parsed again from the stored text (under
 * the sql_mode it was created with), the frame layout (parameters first, then every DECLAREd
 * variable) and each slot's declared type, which assignments convert to. Parsed programs are
 * cached per dictionary entry, so ALTER / DROP + CREATE (a new entry) drops the cached parse.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/stored-programs-defining.html
 * @req CORE-SP-004 CORE-SP-011
 */
import type { StoredProgramDef } from '../../catalog/dictionary-store.js';
import type { ColumnType } from '../../kernel/column-type.js';
import type { ColumnDef } from '../../kernel/table-def.js';
import { sqlError } from '../../kernel/errors.js';
import { parseOne } from '../../sql/parser/index.js';
import type { RoutineParam, SpStatement } from '../../sql/routine-ast.js';

export interface LoadedRoutine {
  def: StoredProgramDef;
  params: RoutineParam[];
  returns?: ColumnDef;
  body: SpStatement;
  /** Declared type of every frame slot. */
  slotTypes: ColumnDef[];
  slotNames: string[];
  cursors: number;
}

const cache = new WeakMap<StoredProgramDef, LoadedRoutine>();

const BINARY_TYPES: ReadonlySet<string> = new Set(['BINARY', 'VARBINARY', 'TINYBLOB', 'BLOB', 'MEDIUMBLOB', 'LONGBLOB']);
const TEXT_TYPES: ReadonlySet<string> = new Set(['CHAR', 'VARCHAR', 'TINYTEXT', 'TEXT', 'MEDIUMTEXT', 'LONGTEXT', 'ENUM', 'SET']);

/** A declared type as a column definition; strings without a character set take the database's. */
export function declaredColumn(name: string, type: ColumnType, dbCollation: string): ColumnDef {
  const col: ColumnDef = { name, type: { ...type }, nullable: true, autoIncrement: false, comment: '' };
  if (TEXT_TYPES.has(type.name) && !BINARY_TYPES.has(type.name)) {
    const collation = type.collation ?? (type.charset !== undefined && type.charset !== dbCollation.split('_')[0] ? defaultCollationOf(type.charset) : dbCollation);
    col.collation = collation;
    col.charset = type.charset ?? collation.split('_')[0]!;
    col.type.collation = col.collation;
    col.type.charset = col.charset;
  }
  return col;
}

function defaultCollationOf(charset: string): string {
  switch (charset.toLowerCase()) {
    case 'utf8mb4':
      return 'utf8mb4_0900_ai_ci';
    case 'latin1':
      return 'latin1_swedish_ci';
    case 'ascii':
      return 'ascii_general_ci';
    case 'binary':
      return 'binary';
    default:
      return `${charset.toLowerCase()}_general_ci`;
  }
}

/** The CREATE text a stored entry is parsed from. */
export function definitionText(def: StoredProgramDef): string {
  const name = '`' + def.name.replace(/`/g, '``') + '`';
  const returns = def.type === 'FUNCTION' ? ` RETURNS ${def.returns}` : '';
  return `CREATE ${def.type} ${name}(${def.paramList})${returns}\n${def.body}`;
}

/** Parse (or reuse the parse of) a stored routine. */
export function loadRoutine(def: StoredProgramDef): LoadedRoutine {
  const hit = cache.get(def);
  if (hit) return hit;
  const sqlMode = new Set(def.sqlMode.split(',').filter((m) => m.length > 0));
  const stmt = parseOne(definitionText(def), { sqlMode });
  if (stmt.kind !== 'create_routine') throw sqlError('ER_SP_DOES_NOT_EXIST', def.type, `${def.schema}.${def.name}`);
  const slotTypes: ColumnDef[] = [];
  const slotNames: string[] = [];
  for (const p of stmt.params) {
    slotTypes.push(declaredColumn(p.name, p.type, def.databaseCollation));
    slotNames.push(p.name);
  }
  collectSlots(stmt.body, slotTypes, slotNames, def.databaseCollation);
  const loaded: LoadedRoutine = { def, params: stmt.params, body: stmt.body, slotTypes, slotNames, cursors: countCursors(stmt.body) };
  if (stmt.returns) loaded.returns = declaredColumn(def.name, stmt.returns, def.databaseCollation);
  cache.set(def, loaded);
  return loaded;
}

/** Frame slots of DECLAREd variables, by slot number. */
export function collectSlots(s: SpStatement, types: ColumnDef[], names: string[], dbCollation: string): void {
  switch (s.t) {
    case 'block':
      for (const v of s.vars) {
        types[v.slot] = declaredColumn(v.name, v.type, dbCollation);
        names[v.slot] = v.name;
      }
      for (const h of s.handlers) collectSlots(h.body, types, names, dbCollation);
      for (const b of s.body) collectSlots(b, types, names, dbCollation);
      return;
    case 'if':
      for (const b of s.branches) for (const x of b.body) collectSlots(x, types, names, dbCollation);
      for (const x of s.else ?? []) collectSlots(x, types, names, dbCollation);
      return;
    case 'case':
      for (const w of s.whens) for (const x of w.body) collectSlots(x, types, names, dbCollation);
      for (const x of s.else ?? []) collectSlots(x, types, names, dbCollation);
      return;
    case 'loop':
    case 'while':
    case 'repeat':
      for (const x of s.body) collectSlots(x, types, names, dbCollation);
      return;
    default:
      return;
  }
}

function countCursors(s: SpStatement): number {
  let n = 0;
  const visit = (x: SpStatement): void => {
    switch (x.t) {
      case 'block':
        n += x.cursors.length;
        x.handlers.forEach((h) => visit(h.body));
        x.body.forEach(visit);
        return;
      case 'if':
        x.branches.forEach((b) => b.body.forEach(visit));
        x.else?.forEach(visit);
        return;
      case 'case':
        x.whens.forEach((w) => w.body.forEach(visit));
        x.else?.forEach(visit);
        return;
      case 'loop':
      case 'while':
      case 'repeat':
        x.body.forEach(visit);
        return;
      default:
        return;
    }
  };
  visit(s);
  return n;
}
