/**
 * The texts of foreign key failures: the constraint description inside errors 1451 and 1452
 * ("(`db`.`child`, CONSTRAINT `fk` FOREIGN KEY (`c`) REFERENCES `parent` (`p`))"), and the body
 * of the monitor's LATEST FOREIGN KEY ERROR section (what InnoDB writes to its foreign key error
 * file: the constraint, what was being done in which index with which key, and the record in the
 * other table that made it fail).
 *
 * The constraint is printed as InnoDB prints it in these places (dict_print_info_on_foreign_key_in
 * _create_format in mysql-server 8.0): the child table's columns, the parent without its schema
 * when both tables are in the same one, then ON DELETE / ON UPDATE only for CASCADE, SET NULL and
 * RESTRICT (NO ACTION and SET DEFAULT print nothing). Records are dumped field by field as the
 * monitor does (`len; hex; asc`): integers in InnoDB's stored form (big-endian, sign bit flipped
 * for signed types), other values as their bytes or text. Our records are not pages, so a record
 * shows the fields of the index entry (the index's columns, then the clustering key's), without
 * InnoDB's hidden transaction and roll-pointer fields.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-standard-monitor.html (15.17.3)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/create-table-foreign-keys.html (13.1.20.5)
 * @req INNODB-FK-108 INNODB-FK-110 INNODB-MON-007
 */
import { Buffer } from 'node:buffer';
import type { ColumnDef, ForeignKeyDef, ForeignKeyRule, IndexDef, TableDef } from '../../../kernel/table-def.js';
import type { Row, Value } from '../../../kernel/value.js';

/** Bytes of InnoDB's stored integers by column type. */
const INT_BYTES: Readonly<Record<string, number>> = { TINYINT: 1, SMALLINT: 2, MEDIUMINT: 3, INT: 4, BIGINT: 8, YEAR: 1 };

/** What rec_print shows for a search that ended before the first record of an empty index. */
const INFIMUM = Buffer.from('infimum\0', 'latin1');

export function quoteIdent(name: string): string {
  return '`' + name.replace(/`/g, '``') + '`';
}

export function tableText(schema: string, name: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(name)}`;
}

function ruleText(on: 'DELETE' | 'UPDATE', rule: ForeignKeyRule): string {
  if (rule === 'CASCADE' || rule === 'SET NULL' || rule === 'RESTRICT') return ` ON ${on} ${rule}`;
  return '';
}

/** `CONSTRAINT `fk` FOREIGN KEY (...) REFERENCES parent (...)` with the rules InnoDB prints. */
export function constraintText(child: TableDef, fk: ForeignKeyDef): string {
  const cols = fk.columns.map((p) => quoteIdent(child.columns[p]?.name ?? '')).join(', ');
  const parent = fk.refSchema === child.schema ? quoteIdent(fk.refTable) : tableText(fk.refSchema, fk.refTable);
  const refs = fk.refColumns.map(quoteIdent).join(', ');
  return `CONSTRAINT ${quoteIdent(fk.name)} FOREIGN KEY (${cols}) REFERENCES ${parent} (${refs})${ruleText('DELETE', fk.onDelete)}${ruleText('UPDATE', fk.onUpdate)}`;
}

/** The text inside the parentheses of errors 1451 and 1452. @req INNODB-FK-108 INNODB-FK-110 */
export function detailedError(child: TableDef, fk: ForeignKeyDef): string {
  return `${tableText(child.schema, child.name)}, ${constraintText(child, fk)}`;
}

/** The bytes InnoDB would store for a value of a column. */
function storedBytes(col: ColumnDef | undefined, v: Exclude<Value, null>): Buffer {
  const bytes = col ? INT_BYTES[col.type.name] : undefined;
  if (bytes !== undefined && typeof v === 'bigint') {
    const bits = BigInt(bytes * 8);
    let u = BigInt.asUintN(Number(bits), v);
    if (!col!.type.unsigned && col!.type.name !== 'YEAR') u ^= 1n << (bits - 1n);
    const out = Buffer.alloc(bytes);
    for (let i = bytes - 1; i >= 0; i--) {
      out[i] = Number(u & 0xffn);
      u >>= 8n;
    }
    return out;
  }
  if (Buffer.isBuffer(v)) return v;
  return Buffer.from(String(v), 'utf8');
}

function fieldLine(i: number, b: Buffer | null): string {
  if (b === null) return ` ${i}: SQL NULL;\n`;
  const asc = Array.from(b, (x) => (x >= 0x20 && x < 0x7f ? String.fromCharCode(x) : ' ')).join('');
  return ` ${i}: len ${b.length}; hex ${b.toString('hex')}; asc ${asc};;\n`;
}

/** The columns of an index entry: the index's own, then the clustering key's not among them. */
export function entryColumns(index: IndexDef | null, clustered: IndexDef | null): number[] {
  const own = index ? index.parts.map((p) => p.column) : [];
  if (!clustered || index === clustered) return own;
  return [...own, ...clustered.parts.map((p) => p.column).filter((c) => !own.includes(c))];
}

/** A search tuple (the key being looked for), as dtuple_print shows it. */
export function tupleText(def: TableDef, columns: readonly number[], values: readonly Value[]): string {
  let text = `DATA TUPLE: ${values.length} fields;\n`;
  values.forEach((v, i) => {
    text += fieldLine(i, v === null ? null : storedBytes(def.columns[columns[i]!], v));
  });
  return text;
}

/** A record (an index entry of `row`), as rec_print shows it; null: the search found none. */
export function recordText(def: TableDef, columns: readonly number[], row: Row | null): string {
  if (!row) return `PHYSICAL RECORD: n_fields 1; compact format; info bits 0\n${fieldLine(0, INFIMUM)}`;
  let text = `PHYSICAL RECORD: n_fields ${columns.length}; compact format; info bits 0\n`;
  columns.forEach((c, i) => {
    const v = row[c] ?? null;
    text += fieldLine(i, v === null ? null : storedBytes(def.columns[c], v));
  });
  return text;
}

function head(child: TableDef, fk: ForeignKeyDef): string {
  return `Foreign key constraint fails for table ${tableText(child.schema, child.name)}:\n,\n  ${constraintText(child, fk)}`;
}

/** A child row whose key has no parent row. @req INNODB-MON-007 */
export function addFailureText(child: TableDef, fk: ForeignKeyDef, childIndex: string, tuple: string, parent: TableDef, parentIndex: string, closest: string): string {
  return (
    `${head(child, fk)}\nTrying to add in child table, in index ${childIndex} tuple:\n${tuple}` +
    `\nBut in parent table ${tableText(parent.schema, parent.name)}, in index ${parentIndex},\nthe closest match we can find is record:\n${closest}\n`
  );
}

/** A child row whose parent table (or its tablespace) is missing. */
export function missingParentText(child: TableDef, fk: ForeignKeyDef, childIndex: string, tuple: string): string {
  return (
    `${head(child, fk)}\nTrying to add to index ${childIndex} tuple:\n${tuple}` +
    `\nBut the parent table ${tableText(fk.refSchema, fk.refTable)}\nor its .ibd file does not currently exist!\n`
  );
}

/**
 * A parent row that cannot be deleted or updated (or whose cascade failed): `what` is InnoDB's
 * phrase ("Trying to delete", "Trying to update", "Trying to delete or update", ...).
 */
export function parentFailureText(what: string, child: TableDef, fk: ForeignKeyDef, parentIndex: string, tuple: string, childIndex: string, record: string): string {
  return `${head(child, fk)}\n${what} in parent table, in index ${parentIndex} tuple:\n${tuple}\nBut in child table ${tableText(child.schema, child.name)}, in index ${childIndex}, there is a record:\n${record}\n`;
}
