/**
 * information_schema.ROUTINES and information_schema.PARAMETERS over the stored routines of the
 * dictionary, with MySQL 8.0's columns: the return type (functions) and each parameter's type
 * broken down into DATA_TYPE, lengths, precision, character set and DTD_IDENTIFIER.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/information-schema-routines-table.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/information-schema-parameters-table.html
 * @req CORE-SP-062
 */
import type { StoredProgramDef } from '../../catalog/dictionary-store.js';
import type { VirtualTableContext } from '../../catalog/virtual-table.js';
import type { ColumnDef } from '../../kernel/table-def.js';
import type { Row, Value } from '../../kernel/value.js';
import { parseOne } from '../../sql/parser/index.js';
import { columnTypeText } from '../show/type-text.js';
import { declaredColumn, definitionText } from './program.js';
import { datetimeOf } from './show.js';
import { i, s, t, u, virtualTable, type VCol } from '../infoschema/define.js';

const INT_PRECISION: Record<string, [number, number]> = {
  TINYINT: [3, 3], SMALLINT: [5, 5], MEDIUMINT: [7, 7], INT: [10, 10], BIGINT: [19, 20],
};

const MAX_BYTES: Record<string, number> = { utf8mb4: 4, utf8mb3: 3, utf8: 3, latin1: 1, ascii: 1, binary: 1, ucs2: 2, utf16: 4, utf32: 4 };

const TEXT_LENGTH: Record<string, number> = { TINYTEXT: 255, TEXT: 65535, MEDIUMTEXT: 16777215, LONGTEXT: 4294967295, TINYBLOB: 255, BLOB: 65535, MEDIUMBLOB: 16777215, LONGBLOB: 4294967295 };

/** DATA_TYPE .. COLLATION_NAME, DTD_IDENTIFIER of a declared type. */
function typeColumns(col: ColumnDef): Value[] {
  const ty = col.type;
  const name = ty.name;
  let charLen: Value = null;
  let octets: Value = null;
  let precision: Value = null;
  let scale: Value = null;
  let dtPrecision: Value = null;
  let charset: Value = null;
  let collation: Value = null;
  const ints = INT_PRECISION[name];
  if (ints) {
    precision = BigInt(ty.unsigned ? ints[1] : ints[0]);
    scale = 0n;
  } else if (name === 'DECIMAL') {
    precision = BigInt(ty.length ?? 10);
    scale = BigInt(ty.scale ?? 0);
  } else if (name === 'FLOAT' || name === 'DOUBLE') {
    precision = BigInt(ty.length ?? (name === 'FLOAT' ? 12 : 22));
    scale = ty.scale !== undefined ? BigInt(ty.scale) : null;
  } else if (name === 'BIT') {
    precision = BigInt(ty.length ?? 1);
  } else if (name === 'DATETIME' || name === 'TIMESTAMP' || name === 'TIME') {
    dtPrecision = BigInt(ty.scale ?? 0);
  } else if (name === 'DATE' || name === 'YEAR') {
    dtPrecision = null;
  } else if (name === 'CHAR' || name === 'VARCHAR' || name === 'BINARY' || name === 'VARBINARY') {
    const n = ty.length ?? 1;
    charLen = BigInt(n);
    const bytes = col.charset ? (MAX_BYTES[col.charset] ?? 4) : 1;
    octets = BigInt(n * bytes);
  } else if (TEXT_LENGTH[name] !== undefined) {
    const n = TEXT_LENGTH[name] as number;
    const bytes = col.charset ? (MAX_BYTES[col.charset] ?? 4) : 1;
    charLen = BigInt(Math.floor(n / bytes));
    octets = BigInt(n);
  }
  if (col.charset) {
    charset = col.charset;
    collation = col.collation ?? null;
  }
  return [name.toLowerCase(), charLen, octets, precision, scale, dtPrecision, charset, collation, columnTypeText(col)];
}

interface Parsed {
  params: { mode: string; name: string; col: ColumnDef }[];
  returns: ColumnDef | null;
}

const parsedCache = new WeakMap<StoredProgramDef, Parsed | null>();

function parsedOf(def: StoredProgramDef): Parsed | null {
  if (parsedCache.has(def)) return parsedCache.get(def) ?? null;
  let out: Parsed | null = null;
  try {
    const stmt = parseOne(definitionText(def), { sqlMode: new Set(def.sqlMode.split(',').filter((m) => m.length > 0)) });
    if (stmt.kind === 'create_routine') {
      out = {
        params: stmt.params.map((p) => ({ mode: p.mode, name: p.name, col: declaredColumn(p.name, p.type, def.databaseCollation) })),
        returns: stmt.returns ? declaredColumn(def.name, stmt.returns, def.databaseCollation) : null,
      };
    }
  } catch {
    out = null;
  }
  parsedCache.set(def, out);
  return out;
}

const ROUTINE_COLUMNS: VCol[] = [
  s('SPECIFIC_NAME'), s('ROUTINE_CATALOG'), s('ROUTINE_SCHEMA'), s('ROUTINE_NAME'), s('ROUTINE_TYPE', 9), t('DATA_TYPE', false),
  i('CHARACTER_MAXIMUM_LENGTH'), i('CHARACTER_OCTET_LENGTH'), u('NUMERIC_PRECISION'), u('NUMERIC_SCALE'), u('DATETIME_PRECISION'),
  s('CHARACTER_SET_NAME', 64, true), s('COLLATION_NAME', 64, true), t('DTD_IDENTIFIER'), s('ROUTINE_BODY', 8), t('ROUTINE_DEFINITION'),
  s('EXTERNAL_NAME', 64, true), s('EXTERNAL_LANGUAGE', 64), s('PARAMETER_STYLE', 3), s('IS_DETERMINISTIC', 3), s('SQL_DATA_ACCESS', 17),
  s('SQL_PATH', 64, true), s('SECURITY_TYPE', 7), { name: 'CREATED', kind: 'datetime', nullable: false }, { name: 'LAST_ALTERED', kind: 'datetime', nullable: false },
  s('SQL_MODE', 520), t('ROUTINE_COMMENT', false), s('DEFINER', 288), s('CHARACTER_SET_CLIENT'), s('COLLATION_CONNECTION'), s('DATABASE_COLLATION'),
];

/** Rows of information_schema.ROUTINES. @req CORE-SP-062 */
export function routineRows(programs: readonly StoredProgramDef[], ctx: VirtualTableContext): Row[] {
  const rows: Row[] = [];
  for (const p of programs) {
    if ((p.type !== 'PROCEDURE' && p.type !== 'FUNCTION') || !ctx.canSee(p.schema)) continue;
    const parsed = parsedOf(p);
    const ret = p.type === 'FUNCTION' && parsed?.returns ? typeColumns(parsed.returns) : ['', null, null, null, null, null, null, null, null];
    rows.push([
      p.name, 'def', p.schema, p.name, p.type, ...ret, 'SQL', p.body, null, 'SQL', 'SQL', p.deterministic ? 'YES' : 'NO', p.dataAccess, null,
      p.security, datetimeOf(p.created), datetimeOf(p.modified), p.sqlMode, p.comment, p.definer.replace(/`/g, ''), p.characterSetClient,
      p.collationConnection, p.databaseCollation,
    ]);
  }
  return rows;
}

const PARAMETER_COLUMNS: VCol[] = [
  s('SPECIFIC_CATALOG'), s('SPECIFIC_SCHEMA'), s('SPECIFIC_NAME'), { name: 'ORDINAL_POSITION', kind: 'uint32', nullable: false }, s('PARAMETER_MODE', 5, true),
  s('PARAMETER_NAME', 64, true), t('DATA_TYPE'), i('CHARACTER_MAXIMUM_LENGTH'), i('CHARACTER_OCTET_LENGTH'), u('NUMERIC_PRECISION'), i('NUMERIC_SCALE'),
  u('DATETIME_PRECISION'), s('CHARACTER_SET_NAME', 64, true), s('COLLATION_NAME', 64, true), t('DTD_IDENTIFIER', false), s('ROUTINE_TYPE', 9),
];

/** Rows of information_schema.PARAMETERS (a function's return value is position 0). @req CORE-SP-062 */
export function parameterRows(programs: readonly StoredProgramDef[], ctx: VirtualTableContext): Row[] {
  const rows: Row[] = [];
  for (const p of programs) {
    if ((p.type !== 'PROCEDURE' && p.type !== 'FUNCTION') || !ctx.canSee(p.schema)) continue;
    const parsed = parsedOf(p);
    if (!parsed) continue;
    if (p.type === 'FUNCTION' && parsed.returns) rows.push(['def', p.schema, p.name, 0n, null, null, ...typeColumns(parsed.returns), p.type]);
    parsed.params.forEach((x, k) => {
      rows.push(['def', p.schema, p.name, BigInt(k + 1), p.type === 'FUNCTION' ? 'IN' : x.mode, x.name, ...typeColumns(x.col), p.type]);
    });
  }
  return rows;
}

/** information_schema.ROUTINES and PARAMETERS as computed tables. */
export function routineTables(list: () => readonly StoredProgramDef[]): ReturnType<typeof virtualTable>[] {
  return [
    virtualTable('information_schema', 'ROUTINES', ROUTINE_COLUMNS, (ctx) => routineRows(list(), ctx)),
    virtualTable('information_schema', 'PARAMETERS', PARAMETER_COLUMNS, (ctx) => parameterRows(list(), ctx)),
  ];
}
