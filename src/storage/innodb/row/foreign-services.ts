/**
 * What foreign key enforcement reads and does through the engine: the parent a key names and
 * the children of a table (from the data dictionary, which is the authority on names, mapped to
 * the engine's in-memory tables), record locks, the cascade row operations of the table
 * handler, and the LATEST FOREIGN KEY ERROR text with its timestamp and transaction.
 *
 * Without a dictionary (an engine built alone in a unit test) the engine's own table
 * definitions stand in for it.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-standard-monitor.html (15.17.3)
 * @req INNODB-FK-108 INNODB-FK-111 INNODB-MON-007
 */
import type { EngineContext, EngineDictionary } from '../../handler.js';
import type { InnodbTableHandler } from '../handler/table-handler.js';
import type { ClusterRec, InnodbTable } from '../index/innodb-table.js';
import { reportTimestamp } from '../lock/deadlock-report.js';
import type { MonitorSource } from '../srv/monitor-source.js';
import { threadHandle } from '../srv/monitor-text.js';
import { formatTrxEntry } from '../srv/monitor-transactions.js';
import { ibdPath, type SpaceRegistry } from '../srv/spaces.js';
import type { InnodbTrx } from '../trx/trx.js';
import type { ChildKey, ForeignKeyServices, ParentTable } from './foreign-check.js';

/** The engine as foreign key enforcement uses it. */
export interface ForeignKeyHost {
  readonly spaces: SpaceRegistry;
  dictionary(): EngineDictionary | null;
  lockRecord(ctx: EngineContext, trx: InnodbTrx, table: InnodbTable, rec: ClusterRec, mode: 'S' | 'X'): 'granted' | 'skipped' | Promise<unknown>;
  /** A handler over `table` (for the cascade row operations). */
  handler(table: InnodbTable): InnodbTableHandler;
  /** What the monitor reads (the transaction's lines in the report). */
  monitorSource(): MonitorSource;
  noteForeignKeyError(text: string): void;
}

const NONE: readonly ChildKey[] = [];

const ENGINE = 'InnoDB';

export function engineForeignKeyServices(host: ForeignKeyHost): ForeignKeyServices {
  const tableOf = (def: { schema: string; name: string; engine: string; temporary: boolean }): InnodbTable | undefined =>
    def.engine === ENGINE && !def.temporary ? host.spaces.at(ibdPath(def))?.table : undefined;
  return {
    parent(schema: string, name: string): ParentTable | undefined {
      const dict = host.dictionary();
      if (!dict) {
        const table = host.spaces.at(ibdPath({ schema, name }))?.table;
        return table ? { def: table.def, table } : undefined;
      }
      const def = dict.table(schema, name);
      const table = def ? tableOf(def) : undefined;
      return def && table ? { def, table } : undefined;
    },
    children(schema: string, name: string): readonly ChildKey[] {
      const dict = host.dictionary();
      if (!dict) {
        const out: ChildKey[] = [];
        for (const s of host.spaces.all()) {
          for (const fk of s.table.def.foreignKeys ?? []) if (fk.refSchema === schema && fk.refTable === name) out.push({ def: s.table.def, fk, table: s.table });
        }
        return out;
      }
      const refs = dict.referencedBy(schema, name);
      if (refs.length === 0) return NONE;
      const out: ChildKey[] = [];
      for (const r of refs) {
        const table = tableOf(r.child);
        if (table) out.push({ def: r.child, fk: r.fk, table });
      }
      return out;
    },
    lockRecord: (ctx, trx, table, rec, mode) => host.lockRecord(ctx, trx, table, rec, mode),
    deleteRow: (trx, table, rec) => host.handler(table).cascadeDelete(trx, rec),
    updateRow: (ctx, trx, table, rec, row) => host.handler(table).cascadeUpdate(ctx, trx, rec, row),
    report(ctx: EngineContext, trx: InnodbTrx, body: string): void {
      const now = Date.now();
      const trxLines = formatTrxEntry(host.monitorSource(), trx, now, false).replace(/^---/, '');
      host.noteForeignKeyError(`${reportTimestamp(new Date(now), threadHandle(ctx.connectionId))} Transaction:\n${trxLines}${body}`);
    },
  };
}
