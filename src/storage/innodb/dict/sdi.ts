/**
 * Serialized dictionary information (SDI): the table definition a file-per-table tablespace
 * carries, so that the engine can rebuild the table's indexes from its own files at startup
 * (before the server's dictionary hands it definitions) and replay the redo log onto it. Real
 * InnoDB keeps SDI in the .ibd too; here it is the tablespace's first record, as JSON.
 *
 * Column defaults are left out: the engine never computes them.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/serialized-dictionary-information.html (14.5)
 * @req INNODB-DD-101
 */
import type { TableDef } from '../../../kernel/table-def.js';

export function encodeSdi(def: TableDef): Buffer {
  const slim = {
    ...def,
    autoIncrementStart: def.autoIncrementStart.toString(),
    columns: def.columns.map((c) => {
      const { default: _d, ...rest } = c;
      return rest;
    }),
  };
  return Buffer.from(JSON.stringify(slim), 'utf8');
}

export function decodeSdi(b: Buffer): TableDef {
  const o = JSON.parse(b.toString('utf8')) as Omit<TableDef, 'autoIncrementStart'> & { autoIncrementStart: string };
  return { ...o, autoIncrementStart: BigInt(o.autoIncrementStart) };
}
