/**
 * Which column types InnoDB lets a foreign key connect: the engine's answer to the server's
 * "are these referencing and referenced columns compatible?" (error 3780 when not).
 *
 * InnoDB compares the storage classes it keeps columns in, not the SQL types. Two non-binary
 * strings (CHAR, VARCHAR, TEXT) match when their collations are the same (or always, when the
 * caller does not check charsets: foreign_key_checks=0 lets ALTER change one side's collation).
 * Two binary strings match whatever their lengths, and InnoDB stores more than BINARY, VARBINARY
 * and BLOB that way: DECIMAL, BIT, TIME, DATETIME, TIMESTAMP and JSON are byte strings to it, so
 * any two of them match. Integers match only with the same byte size and signedness; DATE,
 * YEAR, ENUM and SET are integers of their storage size too (YEAR is an unsigned byte, DATE a
 * signed 3-byte integer, ENUM 1 or 2 bytes, SET 1, 2, 3, 4 or 8 bytes). FLOAT, DOUBLE and
 * GEOMETRY match only themselves.
 *
 * Source of the rule: mysql-server 8.0 storage/innobase/rem/rem0cmp.cc (cmp_cols_are_equal) and
 * handler/ha_innodb.cc (get_innobase_type_from_mysql_dd_type, innodb_check_fk_column_compat).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/create-table-foreign-keys.html (13.1.20.5)
 * @req INNODB-FK-103
 */
import type { ColumnDef } from '../../../kernel/table-def.js';

/** How InnoDB stores a column, as far as foreign keys care. */
type StorageClass =
  | { kind: 'int'; bytes: number; unsigned: boolean }
  | { kind: 'text'; collation: string }
  | { kind: 'bytes' }
  | { kind: 'float' }
  | { kind: 'double' }
  | { kind: 'geometry' };

/** Bytes of an integer column by type (InnoDB's DATA_INT length). */
const INT_BYTES: Readonly<Record<string, number>> = { TINYINT: 1, SMALLINT: 2, MEDIUMINT: 3, INT: 4, BIGINT: 8, YEAR: 1, DATE: 3 };

/** Bytes a SET of `n` members is stored in. */
function setBytes(n: number): number {
  const b = Math.ceil(n / 8);
  return b > 4 ? 8 : Math.max(1, b);
}

function storageClass(c: ColumnDef): StorageClass {
  const t = c.type;
  const binaryCharset = (c.charset ?? t.charset) === 'binary';
  switch (t.name) {
    case 'TINYINT':
    case 'SMALLINT':
    case 'MEDIUMINT':
    case 'INT':
    case 'BIGINT':
      return { kind: 'int', bytes: INT_BYTES[t.name]!, unsigned: t.unsigned === true };
    case 'YEAR':
      return { kind: 'int', bytes: 1, unsigned: true };
    case 'DATE':
      return { kind: 'int', bytes: 3, unsigned: false };
    case 'ENUM':
      return { kind: 'int', bytes: (t.values?.length ?? 0) > 255 ? 2 : 1, unsigned: true };
    case 'SET':
      return { kind: 'int', bytes: setBytes(t.values?.length ?? 0), unsigned: true };
    case 'FLOAT':
      return { kind: 'float' };
    case 'DOUBLE':
      return { kind: 'double' };
    case 'GEOMETRY':
      return { kind: 'geometry' };
    case 'CHAR':
    case 'VARCHAR':
    case 'TINYTEXT':
    case 'TEXT':
    case 'MEDIUMTEXT':
    case 'LONGTEXT':
      if (binaryCharset) return { kind: 'bytes' };
      return { kind: 'text', collation: (c.collation ?? t.collation ?? '').toLowerCase() };
    default:
      // BINARY, VARBINARY, the BLOBs, JSON, DECIMAL, BIT, TIME, DATETIME, TIMESTAMP.
      return { kind: 'bytes' };
  }
}

/**
 * Whether `child` may reference `parent` in an InnoDB foreign key. @req INNODB-FK-103
 */
export function innodbForeignKeyColumnsCompatible(child: ColumnDef, parent: ColumnDef, checkCharsets: boolean): boolean {
  const a = storageClass(child);
  const b = storageClass(parent);
  if (a.kind === 'text' && b.kind === 'text') return !checkCharsets || a.collation === b.collation;
  if (a.kind !== b.kind) return false;
  if (a.kind === 'int' && b.kind === 'int') return a.bytes === b.bytes && a.unsigned === b.unsigned;
  return true;
}
