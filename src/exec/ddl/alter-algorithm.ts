/**
 * Which ALTER TABLE algorithm MySQL 8.0 would pick for an InnoDB table, as far as the client
 * can see it: the affected-row count. InnoDB performs most ALTERs instantly or in place (online
 * DDL), and those report `0 rows affected` with `Records: 0`; only an ALTER that must copy the
 * table through the SQL layer (ALGORITHM=COPY) reports the copied rows. refmysqld's stage-1
 * InnoDB rebuilds the table by copy in every case, so the executor asks this module what to
 * report instead of reporting what it did.
 *
 * The rules are those of the online DDL operation tables (15.12.1): data type and character set
 * changes, shrinking a VARCHAR or growing it past 255 bytes, dropping the primary key without
 * adding one, adding a STORED generated column or AUTO_INCREMENT to an existing column, adding a
 * foreign key while foreign_key_checks is on, adding or enforcing a CHECK constraint, ORDER BY,
 * changing the engine, ALGORITHM=COPY and any ALTER of a TEMPORARY table copy; everything else
 * (adding, dropping, reordering and renaming columns, defaults, nullability in strict mode, ENUM
 * and SET members appended at the end, secondary and primary index changes, FORCE, table options)
 * is instant or in place.
 *
 * Engines that copy on every ALTER (MEMORY, MyISAM, ...) report the copied rows as before.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-online-ddl-operations.html (15.12.1)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/alter-table.html#alter-table-performance
 * @req INNODB-DDL-101 CORE-DDL-042
 */
import type { ColumnType } from '../../kernel/column-type.js';
import { maxBytesPerChar } from '../../kernel/charset/index.js';
import type { ColumnDef, TableDef } from '../../kernel/table-def.js';
import type { AlterAction } from '../../sql/ast.js';

/**
 * Engines whose ALTER TABLE MySQL performs instantly or in place when the operation allows it.
 * This belongs in the engine's capabilities once the InnoDB folder can take it. @req INNODB-DDL-101
 */
export const INPLACE_ALTER_ENGINES: ReadonlySet<string> = new Set(['InnoDB']);

/** A VARCHAR of up to this many bytes stores its length in one byte, beyond it in two. @req INNODB-DDL-101 */
export const VARCHAR_ONE_LENGTH_BYTE_MAX = 255;

/** One column of the new definition and where it came from (null: added by this ALTER). */
export interface AlterColumnOrigin {
  col: ColumnDef;
  src: number | null;
}

export interface AlterAlgorithmInput {
  actions: readonly AlterAction[];
  old: TableDef;
  next: TableDef;
  columns: readonly AlterColumnOrigin[];
  /** The session's sql_mode has STRICT_TRANS_TABLES or STRICT_ALL_TABLES. */
  strict: boolean;
  /** The session's foreign_key_checks. */
  foreignKeyChecks: boolean;
}

export type AlterAlgorithm = { algorithm: 'INPLACE' } | { algorithm: 'COPY'; reason: string };

const INPLACE: AlterAlgorithm = { algorithm: 'INPLACE' };
const copy = (reason: string): AlterAlgorithm => ({ algorithm: 'COPY', reason });

/** Bytes an ENUM value takes: one up to 255 members, else two. */
function enumBytes(n: number): number {
  return n <= 255 ? 1 : 2;
}

/** Bytes a SET value takes: 1, 2, 3, 4 or 8 for up to 8, 16, 24, 32, 64 members. */
function setBytes(n: number): number {
  const b = Math.ceil(n / 8);
  return b > 4 ? 8 : Math.max(b, 1);
}

function isPrefix(a: readonly string[], b: readonly string[]): boolean {
  return a.length <= b.length && a.every((v, i) => v === b[i]);
}

function varBytes(t: ColumnType, charset: string | undefined): number {
  const len = t.length ?? 0;
  return t.name === 'VARCHAR' ? len * maxBytesPerChar(charset ?? 'binary') : len;
}

/** Why changing one existing column from `a` to `b` needs a copy, or null when it does not. */
function columnChangeBlocker(a: ColumnDef, b: ColumnDef, strict: boolean): string | null {
  if (a.charset !== b.charset || a.collation !== b.collation) return `character set or collation of ${b.name}`;
  const ta = a.type;
  const tb = b.type;
  if (ta.name !== tb.name) return `data type of ${b.name}`;
  if (ta.name === 'VARCHAR' || ta.name === 'VARBINARY') {
    const ba = varBytes(ta, a.charset);
    const bb = varBytes(tb, b.charset);
    if (bb < ba) return `shrinking ${b.name}`;
    if (ba <= VARCHAR_ONE_LENGTH_BYTE_MAX !== bb <= VARCHAR_ONE_LENGTH_BYTE_MAX) return `length bytes of ${b.name}`;
  } else if (ta.name === 'ENUM' || ta.name === 'SET') {
    const va = ta.values ?? [];
    const vb = tb.values ?? [];
    const size = ta.name === 'ENUM' ? enumBytes : setBytes;
    if (!isPrefix(va, vb) || size(va.length) !== size(vb.length)) return `members of ${b.name}`;
  } else {
    const shape = (t: ColumnType): string => JSON.stringify([t.length ?? null, t.scale ?? null, t.unsigned ?? false, t.zerofill ?? false, t.srid ?? null]);
    if (shape(ta) !== shape(tb)) return `data type of ${b.name}`;
  }
  if (a.nullable && !b.nullable && !strict) return `NOT NULL on ${b.name} outside strict mode`;
  if (b.autoIncrement && !a.autoIncrement) return `AUTO_INCREMENT on ${b.name}`;
  const ga = a.generated ?? null;
  const gb = b.generated ?? null;
  if (JSON.stringify(ga) !== JSON.stringify(gb) && (ga?.stored || gb?.stored)) return `stored generated column ${b.name}`;
  return null;
}

/**
 * The algorithm MySQL 8.0 would use for this ALTER of an InnoDB table (INSTANT and INPLACE both
 * come back as INPLACE: they report the same). @req INNODB-DDL-101
 */
export function innodbAlterAlgorithm(input: AlterAlgorithmInput): AlterAlgorithm {
  const { actions, old, next } = input;
  if (old.temporary) return copy('temporary table');
  if (next.engine !== old.engine) return copy('engine change');
  for (const a of actions) {
    if (a.action === 'algorithm' && a.value.toUpperCase() === 'COPY') return copy('ALGORITHM=COPY');
    if (a.action === 'order_by') return copy('ORDER BY');
    // A constraint added NOT ENFORCED checks no row: in place. @req CORE-CHECK-015
    if (a.action === 'add_check' && a.check.enforced) return copy('ADD CHECK');
    if ((a.action === 'add_column' || a.action === 'modify_column' || a.action === 'change_column') && a.column.checks?.some((c) => c.enforced)) return copy('CHECK in a column definition');
    if (a.action === 'alter_check_enforcement' && a.enforced) return copy('CHECK ... ENFORCED');
    if (a.action === 'add_foreign_key' && input.foreignKeyChecks) return copy('ADD FOREIGN KEY with foreign_key_checks=1');
  }
  for (const w of input.columns) {
    if (w.src === null) {
      if (w.col.generated?.stored) return copy(`stored generated column ${w.col.name}`);
      continue;
    }
    const before = old.columns[w.src];
    if (!before) continue;
    const why = columnChangeBlocker(before, w.col, input.strict);
    if (why !== null) return copy(why);
  }
  const hadPk = old.indexes.some((i) => i.kind === 'PRIMARY');
  const hasPk = next.indexes.some((i) => i.kind === 'PRIMARY');
  if (hadPk && !hasPk) return copy('dropping the primary key');
  return INPLACE;
}

/**
 * The affected-row count an ALTER reports after copying `copied` rows into `next`: the copied
 * rows when MySQL would copy too, 0 when its engine would do the change in place.
 * @req INNODB-DDL-101 CORE-DDL-042
 */
export function reportedAlterRows(input: AlterAlgorithmInput, copied: bigint): bigint {
  if (!INPLACE_ALTER_ENGINES.has(input.next.engine)) return copied;
  return innodbAlterAlgorithm(input).algorithm === 'COPY' ? copied : 0n;
}
