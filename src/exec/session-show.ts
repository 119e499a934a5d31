/**
 * SHOW statements that read session state the executor owns: SHOW WARNINGS / ERRORS (the
 * diagnostics area), SHOW COUNT(*) WARNINGS / ERRORS, and SHOW [FULL] PROCESSLIST (the session
 * registry).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/show-warnings.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/show-processlist.html
 * @req CORE-EXEC-003 CORE-EXEC-007
 */
import type { ShowStatement } from '../sql/ast.js';
import { ColumnFlag, MysqlType, type ResultColumn } from '../kernel/column-type.js';
import type { Row } from '../kernel/value.js';
import type { RowsResult } from '../kernel/protocol-port.js';
import type { Session } from './session.js';
import { visibleProcessRows } from './perfschema/process-list.js';
import { makeRuntime } from './query/runtime.js';

function col(name: string, type: number, length: number, flags = 0, charsetId = 255): ResultColumn {
  return { schema: '', table: '', orgTable: '', name, orgName: name, charsetId, length, type: type as ResultColumn['type'], flags, decimals: 0 };
}

const WARNING_COLUMNS: ResultColumn[] = [
  col('Level', MysqlType.VAR_STRING, 28, ColumnFlag.NOT_NULL),
  col('Code', MysqlType.LONG, 4, ColumnFlag.NOT_NULL | ColumnFlag.UNSIGNED | ColumnFlag.NUM | ColumnFlag.BINARY, 63),
  col('Message', MysqlType.VAR_STRING, 2048, ColumnFlag.NOT_NULL),
];

/** Whether this SHOW is answered here. */
export function isSessionShow(stmt: ShowStatement): boolean {
  return ['WARNINGS', 'ERRORS', 'COUNT WARNINGS', 'COUNT ERRORS', 'PROCESSLIST'].includes(stmt.what);
}

/** @req CORE-EXEC-003 CORE-EXEC-007 */
export function executeSessionShow(session: Session, stmt: ShowStatement): RowsResult {
  const d = session.diagnostics;
  switch (stmt.what) {
    case 'COUNT WARNINGS':
      return { kind: 'rows', columns: [col('@@session.warning_count', MysqlType.LONGLONG, 21, ColumnFlag.UNSIGNED | ColumnFlag.BINARY | ColumnFlag.NUM, 63)], rows: [[BigInt(d.warningCount())]] };
    case 'COUNT ERRORS':
      return { kind: 'rows', columns: [col('@@session.error_count', MysqlType.LONGLONG, 21, ColumnFlag.UNSIGNED | ColumnFlag.BINARY | ColumnFlag.NUM, 63)], rows: [[BigInt(d.errorCount())]] };
    case 'WARNINGS':
    case 'ERRORS': {
      let list = d.list.filter((x) => stmt.what === 'WARNINGS' || x.level === 'Error');
      if (stmt.limit) {
        const rt = makeRuntime(session, []);
        void rt;
        const num = (e: typeof stmt.limit.count) => (e.type === 'literal' && typeof e.value === 'string' ? Number(e.value) : 0);
        const count = num(stmt.limit.count);
        const offset = stmt.limit.offset ? num(stmt.limit.offset) : 0;
        list = list.slice(offset, offset + count);
      }
      return { kind: 'rows', columns: WARNING_COLUMNS, rows: list.map((x): Row => [x.level, BigInt(x.code), x.message]) };
    }
    default: {
      // The same rows as information_schema.PROCESSLIST and performance_schema.processlist. @req CORE-PFS-014
      const rows: Row[] = visibleProcessRows(session).map((p) => [
        BigInt(p.id),
        p.user,
        p.hostPort,
        p.db,
        p.command,
        BigInt(p.time),
        p.state,
        p.info !== null && !stmt.full && p.info.length > 100 ? p.info.slice(0, 100) : p.info,
      ]);
      return {
        kind: 'rows',
        columns: [
          col('Id', MysqlType.LONGLONG, 21, ColumnFlag.NOT_NULL | ColumnFlag.UNSIGNED | ColumnFlag.NUM | ColumnFlag.BINARY, 63),
          col('User', MysqlType.VAR_STRING, 128, ColumnFlag.NOT_NULL),
          col('Host', MysqlType.VAR_STRING, 1044, ColumnFlag.NOT_NULL),
          col('db', MysqlType.VAR_STRING, 256),
          col('Command', MysqlType.VAR_STRING, 64, ColumnFlag.NOT_NULL),
          col('Time', MysqlType.LONG, 7, ColumnFlag.NOT_NULL | ColumnFlag.NUM | ColumnFlag.BINARY, 63),
          col('State', MysqlType.VAR_STRING, 120),
          col('Info', MysqlType.VAR_STRING, stmt.full ? 400000 : 400),
        ],
        rows,
      };
    }
  }
}
