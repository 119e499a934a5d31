/**
 * Result-set building blocks for SHOW statements and the maintenance statements: column
 * metadata shaped like MySQL's (VARCHAR columns in utf8mb3 for information_schema-backed SHOW
 * output, BIGINT for counters), and LIKE filtering.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/show.html
 * @req CORE-SHOW-001 CORE-SHOW-002
 */
import { ColumnFlag, MysqlType, type ResultColumn } from '../../kernel/column-type.js';
import type { Row } from '../../kernel/value.js';
import type { RowsResult } from '../../kernel/protocol-port.js';

/** utf8mb3_general_ci, the collation of information_schema text columns. */
const UTF8MB3_GENERAL_CI = 33;

export interface ColSpec {
  name: string;
  kind: 'text' | 'int' | 'datetime';
  /** Characters for text, digits for int. */
  length?: number;
  nullable?: boolean;
  unsigned?: boolean;
  /** Table name reported in metadata (information_schema-backed SHOW output names it). */
  table?: string;
  /** Fractional-second digits of a datetime column (SHOW TRIGGERS' Created: 2). */
  fsp?: number;
}

export function textCol(name: string, length = 64, nullable = false): ColSpec {
  return { name, kind: 'text', length, nullable };
}

export function intCol(name: string, nullable = true, unsigned = true): ColSpec {
  return { name, kind: 'int', length: 21, nullable, unsigned };
}

export function datetimeCol(name: string, fsp = 0): ColSpec {
  return fsp > 0 ? { name, kind: 'datetime', nullable: true, fsp } : { name, kind: 'datetime', nullable: true };
}

export function toResultColumn(c: ColSpec): ResultColumn {
  let flags = c.nullable ? 0 : ColumnFlag.NOT_NULL;
  if (c.kind === 'int') {
    if (c.unsigned) flags |= ColumnFlag.UNSIGNED;
    flags |= ColumnFlag.NUM;
    return { schema: '', table: c.table ?? '', orgTable: '', name: c.name, orgName: c.name, charsetId: 63, length: c.length ?? 21, type: MysqlType.LONGLONG, flags, decimals: 0 };
  }
  if (c.kind === 'datetime') {
    flags |= ColumnFlag.BINARY;
    return { schema: '', table: c.table ?? '', orgTable: '', name: c.name, orgName: c.name, charsetId: 63, length: c.fsp ? 20 + c.fsp : 19, type: MysqlType.DATETIME, flags, decimals: c.fsp ?? 0 };
  }
  return {
    schema: '',
    table: c.table ?? '',
    orgTable: '',
    name: c.name,
    orgName: c.name,
    charsetId: UTF8MB3_GENERAL_CI,
    length: (c.length ?? 64) * 3,
    type: MysqlType.VAR_STRING,
    flags,
    decimals: 0,
  };
}

export function rowsResult(cols: ColSpec[], rows: Row[]): RowsResult {
  return { kind: 'rows', columns: cols.map(toResultColumn), rows };
}

/** SQL LIKE with `%`, `_` and backslash escapes; case-insensitive when asked. */
export function likeMatcher(pattern: string, caseInsensitive: boolean): (s: string) => boolean {
  let re = '^';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '\\' && i + 1 < pattern.length) {
      re += pattern[++i]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    } else if (ch === '%') re += '[\\s\\S]*';
    else if (ch === '_') re += '[\\s\\S]';
    else re += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  re += '$';
  const rx = new RegExp(re, caseInsensitive ? 'isu' : 'su');
  return (s: string) => rx.test(s);
}
