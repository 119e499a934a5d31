/**
 * SELECT ... INTO OUTFILE and INTO DUMPFILE: the rows of a query written to a new file on the
 * server. OUTFILE writes every row in the LOAD DATA format of its FIELDS / LINES options
 * (writer.ts), strings in the CHARACTER SET given (else as stored, MySQL's `binary`); DUMPFILE
 * writes the values of a single row as raw bytes with nothing between or after them, and a
 * second row fails with 1172 (the file is removed, as after any error). Both need the FILE
 * privilege, obey secure_file_priv and refuse a file that exists (1086).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/select-into.html
 * @req CORE-LOAD-020 CORE-LOAD-021 CORE-LOAD-022 CORE-LOAD-023 CORE-LOAD-024
 */
import type { IntoFileClause } from '../../sql/ast.js';
import { sqlError } from '../../kernel/errors.js';
import { MysqlType, type ResultColumn } from '../../kernel/column-type.js';
import { encode, findCharset, normalizeCharsetName } from '../../kernel/charset/index.js';
import type { Row } from '../../kernel/value.js';
import type { RowStream } from '../../kernel/row-stream.js';
import type { OkResult } from '../../kernel/protocol-port.js';
import { valueToText } from '../../sql/types/format.js';
import type { Session } from '../session.js';
import { fileFormat, fixedRowFormat } from './format.js';
import { RowEncoder, type OutColumn } from './writer.js';
import { checkSecurePath, OutputFile, requireFilePrivilege, serverPath } from './files.js';
import { OUTFILE_FLUSH_BYTES } from './limits.js';

/** Rows taken from the query at a time. */
const BATCH = 256;

/** Result types whose values are numbers: not enclosed under OPTIONALLY, not escaped. */
const NUMERIC_TYPES = new Set<number>([MysqlType.DECIMAL, MysqlType.NEWDECIMAL, MysqlType.TINY, MysqlType.SHORT, MysqlType.LONG, MysqlType.LONGLONG, MysqlType.INT24, MysqlType.FLOAT, MysqlType.DOUBLE, MysqlType.YEAR]);

/**
 * The checks that come before the query runs: FILE privilege, the target path under
 * secure_file_priv, the format (1083; fixed-size rows are not implemented) and the charset.
 * @req CORE-LOAD-023
 */
export function prepareIntoFile(session: Session, clause: IntoFileClause): { path: string; charset: string | null } {
  requireFilePrivilege(session);
  let charset: string | null = null;
  if (clause.kind === 'outfile') {
    const format = fileFormat(clause, session.sqlMode().has('NO_BACKSLASH_ESCAPES'));
    if (fixedRowFormat(format)) throw sqlError('ER_NOT_SUPPORTED_YET', "SELECT ... INTO OUTFILE with fixed-size rows (FIELDS TERMINATED BY '' without ENCLOSED BY)");
    if (clause.charset !== undefined && clause.charset.toLowerCase() !== 'binary') {
      if (!findCharset(clause.charset)) throw sqlError('ER_UNKNOWN_CHARACTER_SET', clause.charset);
      charset = normalizeCharsetName(clause.charset);
    }
  }
  const path = serverPath(session, clause.file, session.schema);
  checkSecurePath(session, path);
  return { path, charset };
}

/** A BIT value as its big-endian bytes, as many as the column's width needs (MySQL writes them raw). */
function bitBytes(v: bigint, col: ResultColumn): Buffer {
  const width = Math.max(1, Math.ceil((col.length || 1) / 8));
  const b = Buffer.alloc(width);
  let x = BigInt.asUintN(64, v);
  for (let i = width - 1; i >= 0; i--) {
    b[i] = Number(x & 0xffn);
    x >>= 8n;
  }
  return b;
}

/** A value's bytes as written to the file. */
function bytesOf(v: Row[number], col: ResultColumn, charset: string | null): Buffer | null {
  if (col.type === MysqlType.BIT && typeof v === 'bigint') return bitBytes(v, col);
  const t = valueToText(v ?? null, col);
  if (t === null) return null;
  if (Buffer.isBuffer(t)) return t;
  return charset ? encode(t, charset) : Buffer.from(t, 'utf8');
}

/**
 * Write the query's rows. The affected-row count is the number of rows written.
 * @req CORE-LOAD-021 CORE-LOAD-022
 */
export async function writeIntoFile(session: Session, clause: IntoFileClause, prepared: { path: string; charset: string | null }, columns: readonly ResultColumn[], rows: RowStream): Promise<OkResult> {
  const file = OutputFile.create(prepared.path, clause.file);
  let count = 0;
  try {
    const encoder = clause.kind === 'outfile'
      ? new RowEncoder(fileFormat(clause, session.sqlMode().has('NO_BACKSLASH_ESCAPES')), columns.map((c): OutColumn => ({ stringResult: !NUMERIC_TYPES.has(c.type) })))
      : null;
    const batch: Row[] = [];
    for (;;) {
      batch.length = 0;
      let n = rows.next(batch, BATCH);
      if (typeof n !== 'number') n = await n;
      if (n === 0) break;
      for (const row of batch) {
        count++;
        const values = columns.map((c, i) => bytesOf(row[i] ?? null, c, prepared.charset));
        if (encoder) file.write(encoder.encode(values), OUTFILE_FLUSH_BYTES);
        else {
          // DUMPFILE: one row, its values back to back. @req CORE-LOAD-022
          if (count > 1) throw sqlError('ER_TOO_MANY_ROWS');
          for (const b of values) if (b) file.write(b, OUTFILE_FLUSH_BYTES);
        }
      }
    }
    file.close();
  } catch (e) {
    await rows.close();
    file.discard();
    throw e;
  }
  session.foundRows = BigInt(count);
  return { kind: 'ok', affectedRows: BigInt(count), lastInsertId: 0n };
}
