/**
 * XA RECOVER [CONVERT XID]: the prepared XA transactions of the server, whichever session
 * prepared them and whether or not it is still connected, as rows of formatID, gtrid_length,
 * bqual_length and data (gtrid and bqual bytes together; with CONVERT XID in hexadecimal).
 * It needs XA_RECOVER_ADMIN: without it MySQL answers 1401 and adds 1227 naming the privilege
 * to the diagnostics area.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/xa-statements.html (15.3.8.1)
 * @req CORE-TXN-026
 */
import { ColumnFlag, MysqlType, type ResultColumn } from '../../kernel/column-type.js';
import { diagnostic, sqlError } from '../../kernel/errors.js';
import type { RowsResult } from '../../kernel/protocol-port.js';
import type { Row } from '../../kernel/value.js';
import type { Session } from '../session.js';
import { XA_RECOVER_DATA_CHARS } from './limits.js';

/** utf8mb3_general_ci: the character set of the data column's metadata (its bytes are sent as they are). */
const UTF8MB3_ID = 33;
const BINARY_ID = 63;

function intColumn(name: string): ResultColumn {
  return { schema: '', table: '', orgTable: '', name, orgName: '', charsetId: BINARY_ID, length: 11, type: MysqlType.LONGLONG, flags: ColumnFlag.NOT_NULL | ColumnFlag.BINARY | ColumnFlag.NUM, decimals: 0 };
}

const COLUMNS: ResultColumn[] = [
  intColumn('formatID'),
  intColumn('gtrid_length'),
  intColumn('bqual_length'),
  { schema: '', table: '', orgTable: '', name: 'data', orgName: '', charsetId: UTF8MB3_ID, length: XA_RECOVER_DATA_CHARS * 3, type: MysqlType.VAR_STRING, flags: ColumnFlag.NOT_NULL, decimals: 0 },
];

/** @req CORE-TXN-026 */
export function executeXaRecover(session: Session, convertXid: boolean): RowsResult {
  if (!session.deps.accounts.hasGlobal(session, 'XA_RECOVER_ADMIN')) {
    const e = sqlError('ER_XAER_RMERR');
    e.followUps = [diagnostic('Error', 'ER_SPECIFIC_ACCESS_DENIED_ERROR', 'XA_RECOVER_ADMIN')];
    throw e;
  }
  const rows: Row[] = [];
  for (const entry of session.txn.services.xa.prepared()) {
    const { formatId, gtrid, bqual } = entry.xid;
    const bytes = Buffer.concat([gtrid, bqual]);
    const data = convertXid ? '0x' + bytes.toString('hex').toUpperCase() : bytes;
    rows.push([BigInt(formatId), BigInt(gtrid.length), BigInt(bqual.length), data]);
  }
  return { kind: 'rows', columns: COLUMNS, rows };
}
