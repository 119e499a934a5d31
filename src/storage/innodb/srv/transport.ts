/**
 * Transportable tablespaces: FLUSH TABLES ... FOR EXPORT writes a table's complete .ibd and a
 * .cfg beside it; ALTER TABLE ... DISCARD TABLESPACE removes the .ibd (the table stays defined,
 * and unusable with 1814, until an import); ALTER TABLE ... IMPORT TABLESPACE adopts the .ibd
 * found at the table's path, verified against the .cfg when there is one, and with warning 1810
 * when there is none (15.21.4).
 *
 * The .cfg is refmysqld's own format (JSON: columns, indexes, row format, page size); real
 * MySQL's is binary. An imported file gets a fresh space id and is rewritten at this server's
 * LSN, so its header and LSNs from the other server do not matter.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-table-import.html (15.6.1.3)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-troubleshooting-datadict.html (15.21.4)
 * @req INNODB-DD-004 INNODB-DD-005 INNODB-DD-006 INNODB-DD-007 INNODB-DD-008 INNODB-BAK-101
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sqlError } from '../../../kernel/errors.js';
import type { TableDef } from '../../../kernel/table-def.js';
import { decodeSdi } from '../dict/sdi.js';
import { readTablespaceImage, TablespaceCorruptError } from '../fil/tablespace-image.js';
import { InnodbTable } from '../index/innodb-table.js';
import { decodeRecord } from '../row/record-codec.js';
import { BOOT_TRX } from '../trx/read-view.js';
import { ibdPath } from './spaces.js';

export const CFG_FORMAT = 'refmysql-cfg-1';

/** The metadata an export writes beside the .ibd. */
export interface ExportMeta {
  format: string;
  schema: string;
  table: string;
  pageSize: number;
  rowFormat: string;
  columns: { name: string; type: string; nullable: boolean }[];
  indexes: { name: string; columns: string[] }[];
}

export function cfgPath(def: Pick<TableDef, 'schema' | 'name'>): string {
  return ibdPath(def).replace(/\.ibd$/, '.cfg');
}

export function exportMeta(def: TableDef, pageSize: number): ExportMeta {
  return {
    format: CFG_FORMAT,
    schema: def.schema,
    table: def.name,
    pageSize,
    rowFormat: (def.options['ROW_FORMAT'] ?? 'DYNAMIC').toUpperCase(),
    columns: def.columns.map((c) => ({ name: c.name, type: c.type.name, nullable: c.nullable })),
    indexes: def.indexes.map((i) => ({ name: i.name, columns: i.parts.map((p) => def.columns[p.column]!.name) })),
  };
}

export async function writeCfg(datadir: string, def: TableDef, pageSize: number): Promise<void> {
  await writeFile(join(datadir, cfgPath(def)), JSON.stringify(exportMeta(def, pageSize), null, 1));
}

export async function removeCfg(datadir: string, def: TableDef): Promise<void> {
  await rm(join(datadir, cfgPath(def)), { force: true });
}

/** Why an imported table does not match the definition, or null. */
function mismatch(def: TableDef, other: { columns: { name: string; type: { name: string } | string; nullable: boolean }[] }, source: string): string | null {
  if (other.columns.length !== def.columns.length) {
    return `Number of columns don't match, table has ${def.columns.length} columns but the ${source} has ${other.columns.length} columns`;
  }
  for (let i = 0; i < def.columns.length; i++) {
    const a = def.columns[i]!;
    const b = other.columns[i]!;
    const bt = typeof b.type === 'string' ? b.type : b.type.name;
    if (a.name.toLowerCase() !== b.name.toLowerCase()) return `Column name mismatch: table has ${a.name}, the ${source} has ${b.name}`;
    if (a.type.name !== bt) return `Column ${a.name} type mismatch`;
    if (a.nullable !== b.nullable) return `Column ${a.name} NULL constraint mismatch`;
  }
  return null;
}

/**
 * Read the .ibd at the table's path and build the table from it: the rows, the AUTO_INCREMENT
 * counter and the hidden row ids. Returns the table and the warnings of the import.
 * @req INNODB-DD-006 INNODB-DD-007
 */
export async function readImport(datadir: string, def: TableDef, pageSize: number): Promise<{ table: InnodbTable; warnings: { code: number; message: string }[]; maxRowId: bigint }> {
  const warnings: { code: number; message: string }[] = [];
  const cfg = `./${cfgPath(def)}`;
  let meta: ExportMeta | null = null;
  try {
    meta = JSON.parse(await readFile(join(datadir, cfgPath(def)), 'utf8')) as ExportMeta;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'ENOENT') throw sqlError('ER_INTERNAL_ERROR', `Cannot read ${cfg}: ${(e as Error).message}`);
    warnings.push({ code: 1810, message: `InnoDB: IO Read error: (2, No such file or directory) Error opening '${cfg}', will attempt to import without schema verification` });
  }
  if (meta) {
    if (meta.format !== CFG_FORMAT) throw sqlError('ER_TABLE_SCHEMA_MISMATCH', `the meta-data file ${cfg} is not in a known format`);
    if (meta.pageSize !== pageSize) throw sqlError('ER_TABLE_SCHEMA_MISMATCH', `Tablespace to be imported has a different page size than this server. Server page size is: ${pageSize}, whereas tablespace page size is ${meta.pageSize}`);
    const why = mismatch(def, meta, 'tablespace meta-data file');
    if (why) throw sqlError('ER_TABLE_SCHEMA_MISMATCH', why);
  }
  let file: Buffer;
  try {
    file = await readFile(join(datadir, ibdPath(def)));
  } catch {
    throw sqlError('ER_INTERNAL_ERROR', `Cannot reset LSNs in table \`${def.schema}\`.\`${def.name}\` : Tablespace not found`);
  }
  let contents;
  try {
    contents = readTablespaceImage(file, { ignoreCorrupt: false, path: ibdPath(def) });
  } catch (e) {
    if (e instanceof TablespaceCorruptError) throw sqlError('ER_INTERNAL_ERROR', `Cannot reset LSNs in table \`${def.schema}\`.\`${def.name}\` : Data structure corruption`);
    throw e;
  }
  if (contents.header.pageSize !== pageSize) {
    throw sqlError('ER_TABLE_SCHEMA_MISMATCH', `Tablespace to be imported has a different page size than this server. Server page size is: ${pageSize}, whereas tablespace page size is ${contents.header.pageSize}`);
  }
  const [sdi, ...rows] = contents.records;
  if (!sdi) throw sqlError('ER_INTERNAL_ERROR', `Cannot reset LSNs in table \`${def.schema}\`.\`${def.name}\` : Data structure corruption`);
  const theirs = decodeSdi(sdi);
  const why = mismatch(def, theirs, 'tablespace');
  if (why) throw sqlError('ER_TABLE_SCHEMA_MISMATCH', why);
  const table = new InnodbTable(def, contents.header.rowFormat);
  let maxRowId = 0n;
  for (const r of rows) {
    const values = decodeRecord(r).values;
    const rowId = table.hidden ? (values.shift() as bigint) : null;
    if (rowId !== null && rowId > maxRowId) maxRowId = rowId;
    table.applyCommitted(values, rowId, false, BOOT_TRX);
  }
  if (contents.header.autoIncrement !== null) table.autoInc = contents.header.autoIncrement;
  return { table, warnings, maxRowId };
}
