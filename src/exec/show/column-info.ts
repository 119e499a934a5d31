/**
 * Per-column facts shown by SHOW COLUMNS and information_schema.COLUMNS: the Key marker
 * (PRI/UNI/MUL), the Extra text, and the index rows of SHOW INDEX / STATISTICS.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/show-columns.html
 * @req CORE-SHOW-005 CORE-SHOW-006 MEMORY-041 MEMORY-050
 */
import type { IndexDef, TableDef } from '../../kernel/table-def.js';
import type { Row } from '../../kernel/value.js';

/** The index MySQL treats as primary: PRIMARY, else the first UNIQUE index over NOT NULL columns. */
export function effectivePrimary(def: TableDef): IndexDef | undefined {
  const pk = def.indexes.find((i) => i.kind === 'PRIMARY');
  if (pk) return pk;
  return def.indexes.find((i) => i.kind === 'UNIQUE' && i.parts.every((p) => !def.columns[p.column]!.nullable && p.length === undefined));
}

/** PRI, UNI, MUL or ''. */
export function columnKey(def: TableDef, pos: number): string {
  const pk = effectivePrimary(def);
  if (pk && pk.parts.some((p) => p.column === pos)) return 'PRI';
  if (def.indexes.some((i) => i.kind === 'UNIQUE' && i.parts.length === 1 && i.parts[0]!.column === pos)) return 'UNI';
  if (def.indexes.some((i) => i.parts[0]?.column === pos)) return 'MUL';
  return '';
}

/** auto_increment, DEFAULT_GENERATED, on update CURRENT_TIMESTAMP, VIRTUAL GENERATED, INVISIBLE. */
export function columnExtra(def: TableDef, pos: number): string {
  const c = def.columns[pos]!;
  const parts: string[] = [];
  if (c.autoIncrement) parts.push('auto_increment');
  if (c.defaultExpr !== undefined) parts.push('DEFAULT_GENERATED');
  if (c.onUpdateNow) parts.push(`on update CURRENT_TIMESTAMP${c.type.scale ? `(${c.type.scale})` : ''}`);
  if (c.generated) parts.push(c.generated.stored ? 'STORED GENERATED' : 'VIRTUAL GENERATED');
  if (c.invisible) parts.push('INVISIBLE');
  return parts.join(' ');
}

/**
 * SHOW INDEX rows (Table, Non_unique, Key_name, Seq_in_index, Column_name, Collation,
 * Cardinality, Sub_part, Packed, Null, Index_type, Comment, Index_comment, Visible, Expression).
 * @req CORE-SHOW-006 MEMORY-041 MEMORY-050 ENGINE-CHOOSE-001 ENGINE-CHOOSE-011
 */
export function indexRows(def: TableDef, rowCount: number | null, cardinality?: ReadonlyMap<string, readonly (number | null)[]>, complete = false): Row[] {
  const out: Row[] = [];
  for (const idx of def.indexes) {
    const unique = idx.kind === 'PRIMARY' || idx.kind === 'UNIQUE';
    idx.parts.forEach((p, i) => {
      const col = def.columns[p.column]!;
      const collation = idx.algorithm === 'HASH' || idx.kind === 'FULLTEXT' ? null : p.desc ? 'D' : 'A';
      let card: bigint | null = null;
      if (rowCount !== null && (idx.algorithm !== 'HASH' || unique)) card = unique ? BigInt(rowCount) : null;
      const known = cardinality?.get(idx.name)?.[i];
      if (known !== undefined && known !== null && !(unique && i === idx.parts.length - 1)) card = BigInt(known);
      // An engine that answers for every key (MEMORY) has the last word, NULL included. @req CORE-DET-002
      if (complete && rowCount !== null) card = known === undefined || known === null ? null : BigInt(known);
      out.push([
        def.name,
        unique ? 0n : 1n,
        idx.name,
        BigInt(i + 1),
        col.name,
        collation,
        card,
        p.length !== undefined ? BigInt(p.length) : null,
        null,
        col.nullable ? 'YES' : '',
        idx.algorithm,
        '',
        idx.comment,
        idx.visible ? 'YES' : 'NO',
        null,
      ]);
    });
  }
  return out;
}
