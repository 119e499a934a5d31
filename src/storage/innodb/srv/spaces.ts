/**
 * The tablespaces the engine knows: each persistent table's space id, its file, and the LSN its
 * file is flushed to; temporary tables have no file.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-file-per-table-tablespaces.html (15.6.3.2)
 * @req INNODB-REC-011 INNODB-LIMIT-018
 */
import { join } from 'node:path';
import { encodeFileName } from '../../../kernel/file-names.js';
import type { TableDef } from '../../../kernel/table-def.js';
import type { InnodbTable } from '../index/innodb-table.js';

export interface Space {
  readonly spaceId: number;
  /** Path of the .ibd relative to the data directory (`db/t.ibd`). */
  path: string;
  readonly table: InnodbTable;
  /** Every change with a commit LSN at or below this is in the file. */
  flushedLsn: bigint;
}

/** The file of a table: `<schema dir>/<table file name>.ibd`, names encoded as MySQL does. */
export function ibdPath(def: Pick<TableDef, 'schema' | 'name'>): string {
  return join(encodeFileName(def.schema), `${encodeFileName(def.name)}.ibd`);
}

export class SpaceRegistry {
  private readonly byId = new Map<number, Space>();
  private readonly byPath = new Map<string, Space>();
  private readonly byTable = new Map<InnodbTable, Space>();
  /** Temporary tables by table id. */
  readonly temporary = new Map<number, InnodbTable>();
  nextSpaceId = 1;

  add(s: Space): void {
    this.byId.set(s.spaceId, s);
    this.byPath.set(s.path, s);
    this.byTable.set(s.table, s);
    if (s.spaceId >= this.nextSpaceId) this.nextSpaceId = s.spaceId + 1;
  }

  remove(s: Space): void {
    this.byId.delete(s.spaceId);
    if (this.byPath.get(s.path) === s) this.byPath.delete(s.path);
    if (this.byTable.get(s.table) === s) this.byTable.delete(s.table);
  }

  move(s: Space, path: string): void {
    if (this.byPath.get(s.path) === s) this.byPath.delete(s.path);
    s.path = path;
    this.byPath.set(path, s);
  }

  get(id: number): Space | undefined {
    return this.byId.get(id);
  }

  at(path: string): Space | undefined {
    return this.byPath.get(path);
  }

  all(): IterableIterator<Space> {
    return this.byId.values();
  }

  /** The space of a table, by its table object. */
  ofTable(t: InnodbTable): Space | undefined {
    return this.byTable.get(t);
  }
}
