/**
 * The text of SHOW CREATE TABLE and SHOW CREATE DATABASE, in MySQL 8.0's exact layout.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/show-create-table.html
 * @req CORE-SHOW-003 CORE-SHOW-004 ENGINE-LIST-010 MEMORY-120 CORE-CHECK-022 CORE-CHECK-030 CORE-CHECK-031
 */
import { isDefaultCollation } from '../../catalog/charset-info.js';
import { foreignKeyClause } from '../../catalog/foreign-keys.js';
import type { ColumnDef, IndexDef, SchemaDef, TableDef } from '../../kernel/table-def.js';
import { columnTypeText, defaultClause, quoteString } from './type-text.js';
import { orderedChecks } from '../../catalog/check-constraint-names.js';
import { normaliseExprText } from '../../sql/print/normalise.js';

export function quoteIdent(name: string): string {
  return '`' + name.replace(/`/g, '``') + '`';
}

function columnLine(col: ColumnDef, table: TableDef): string {
  let s = `  ${quoteIdent(col.name)} ${columnTypeText(col)}`;
  if (col.charset !== undefined) {
    if (col.charset !== table.charset) {
      s += ` CHARACTER SET ${col.charset}`;
      if (!isDefaultCollation(col.collation!) || col.charset === 'utf8mb4') s += ` COLLATE ${col.collation}`;
    } else if (col.collation !== table.collation) s += ` COLLATE ${col.collation}`;
  }
  if (col.generated) {
    s += ` GENERATED ALWAYS AS (${normaliseExprText(col.generated.expr)}) ${col.generated.stored ? 'STORED' : 'VIRTUAL'}`;
    if (!col.nullable) s += ' NOT NULL';
  } else {
    if (!col.nullable) s += ' NOT NULL';
    else if (col.type.name === 'TIMESTAMP') s += ' NULL';
    if (col.type.srid !== undefined) s += ` /*!80003 SRID ${col.type.srid} */`; // @req CORE-GIS-004
    s += defaultClause(col);
    if (col.onUpdateNow) s += ` ON UPDATE CURRENT_TIMESTAMP${col.type.scale ? `(${col.type.scale})` : ''}`;
  }
  if (col.autoIncrement) s += ' AUTO_INCREMENT';
  if (col.comment) s += ` COMMENT ${quoteString(col.comment)}`;
  if (col.invisible) s += ' /*!80023 INVISIBLE */';
  return s;
}

function indexLine(idx: IndexDef, table: TableDef): string {
  const parts = idx.parts
    .map((p) => {
      let t = quoteIdent(table.columns[p.column]!.name);
      if (p.length !== undefined) t += `(${p.length})`;
      if (p.desc) t += ' DESC';
      return t;
    })
    .join(',');
  let s: string;
  switch (idx.kind) {
    case 'PRIMARY': s = `  PRIMARY KEY (${parts})`; break;
    case 'UNIQUE': s = `  UNIQUE KEY ${quoteIdent(idx.name)} (${parts})`; break;
    case 'FULLTEXT': s = `  FULLTEXT KEY ${quoteIdent(idx.name)} (${parts})`; break;
    case 'SPATIAL': s = `  SPATIAL KEY ${quoteIdent(idx.name)} (${parts})`; break;
    default: s = `  KEY ${quoteIdent(idx.name)} (${parts})`;
  }
  if (idx.explicitAlgorithm && (idx.algorithm === 'HASH' || idx.algorithm === 'BTREE')) s += ` USING ${idx.algorithm}`;
  if (idx.comment) s += ` COMMENT ${quoteString(idx.comment)}`;
  if (!idx.visible) s += ' /*!80000 INVISIBLE */';
  return s;
}

/**
 * SHOW CREATE TABLE text. `nextAutoIncrement` is printed as AUTO_INCREMENT=n when above 1.
 * @req CORE-SHOW-003
 */
export function showCreateTableText(def: TableDef, nextAutoIncrement: bigint | null): string {
  const lines = def.columns.map((c) => columnLine(c, def));
  for (const idx of def.indexes) lines.push(indexLine(idx, def));
  for (const fk of def.foreignKeys ?? []) lines.push(`  ${foreignKeyClause(def, fk)}`);
  // CHECK constraints: by name, the expression as MySQL prints it, NOT ENFORCED in a versioned comment. @req CORE-CHECK-022 CORE-CHECK-030
  for (const ck of orderedChecks(def)) {
    lines.push(`  CONSTRAINT ${quoteIdent(ck.name)} CHECK (${normaliseExprText(ck.expr)})${ck.enforced ? '' : ' /*!80016 NOT ENFORCED */'}`);
  }
  let tail = `) ENGINE=${def.engine}`;
  if (nextAutoIncrement !== null && nextAutoIncrement > 1n) tail += ` AUTO_INCREMENT=${nextAutoIncrement}`;
  tail += ` DEFAULT CHARSET=${def.charset}`;
  if (!isDefaultCollation(def.collation) || def.charset === 'utf8mb4') tail += ` COLLATE=${def.collation}`;
  for (const [k, v] of Object.entries(def.options)) {
    if (['MAX_ROWS', 'MIN_ROWS', 'AVG_ROW_LENGTH', 'PACK_KEYS', 'CHECKSUM', 'DELAY_KEY_WRITE', 'ROW_FORMAT', 'KEY_BLOCK_SIZE', 'STATS_PERSISTENT', 'STATS_AUTO_RECALC', 'STATS_SAMPLE_PAGES'].includes(k)) {
      tail += ` ${k}=${v}`;
    } else if (k === 'CONNECTION' || k === 'COMPRESSION' || k === 'ENCRYPTION') tail += ` ${k}=${quoteString(v)}`;
  }
  if (def.comment) tail += ` COMMENT=${quoteString(def.comment)}`;
  tail += mergeOptionsText(def);
  const kw = def.temporary ? 'CREATE TEMPORARY TABLE' : 'CREATE TABLE';
  return `${kw} ${quoteIdent(def.name)} (\n${lines.join(',\n')}\n${tail}`;
}

/**
 * A MERGE table's INSERT_METHOD and UNION come last, as MySQL's MERGE handler appends them; a
 * child of another schema is printed qualified. @req MERGE-007 MERGE-013
 */
function mergeOptionsText(def: TableDef): string {
  let out = '';
  const method = def.options['INSERT_METHOD'];
  if (method !== undefined && method.toUpperCase() !== 'NO') out += ` INSERT_METHOD=${method.toUpperCase()}`;
  const union = def.options['UNION'];
  if (union !== undefined) {
    const names = union === '' ? [] : union.split(',').map((x) => x.trim().split('.').map(quoteIdent).join('.'));
    out += ` UNION=(${names.join(',')})`;
  }
  return out;
}

/** SHOW CREATE DATABASE text. @req CORE-SHOW-004 */
export function showCreateDatabaseText(s: SchemaDef, ifNotExists: boolean): string {
  const ine = ifNotExists ? '/*!32312 IF NOT EXISTS*/ ' : '';
  let t = `CREATE DATABASE ${ine}${quoteIdent(s.name)} /*!40100 DEFAULT CHARACTER SET ${s.charset}`;
  if (!isDefaultCollation(s.collation) || s.charset === 'utf8mb4') t += ` COLLATE ${s.collation}`;
  t += ' */ /*!80016 DEFAULT ENCRYPTION=\'N\' */';
  if (s.readOnly) t += ' /* READ ONLY = 1 */';
  return t;
}
