/**
 * InnoDB's INFORMATION_SCHEMA tables: INNODB_TRX (transactions running inside InnoDB),
 * INNODB_TABLES, INNODB_COLUMNS, INNODB_INDEXES, INNODB_TABLESPACES (InnoDB's own dictionary:
 * what 15.21 says to read for table-creation and tablespace problems) and INNODB_METRICS.
 * Column names, order and types are MySQL 8.0.41's; rows are computed from the engine on each
 * read.
 *
 * Stage-1 values worth knowing: tables keep their rows in memory, so INNODB_INDEXES.PAGE_NO is
 * -1 (no B-tree root page); INNODB_TABLESPACES sizes are the .ibd file's size on disk as the
 * last checkpoint wrote it; flags are the ones 8.0 stores for the row format and page size.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/innodb-information-schema-system-tables.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/information-schema-innodb-trx-table.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/information-schema-innodb-metrics-table.html
 * @req INNODB-TRBL-004 INNODB-MON-101 INNODB-MON-105 INNODB-MON-107
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { VirtualTable } from '../catalog/virtual-table.js';
import { dt, f, i, i32, s, t, u, u32, virtualTable } from '../exec/infoschema/define.js';
import { Temporal, type Row, type Value } from '../kernel/value.js';
import { innodbColumnType } from '../storage/innodb/dict/column-type.js';
import { REPORTED_LOCK_HEAP_BYTES } from '../storage/innodb/lock/limits.js';
import { metricRows } from '../storage/innodb/srv/metrics.js';
import type { InnodbObservability } from '../storage/innodb/srv/observability.js';
import { engineLockId, printedTrxId, spaceIdsOf, tablesLocked, trxQueueState } from '../storage/innodb/srv/trx-view.js';
import type { InnodbTable } from '../storage/innodb/index/innodb-table.js';

const IS = 'information_schema';
/** Longest trx_query INNODB_TRX shows. INNODB-MON-101 */
const TRX_QUERY_MAX_CHARS = 1024;
/** Hidden columns InnoDB adds to every table (DB_ROW_ID, DB_TRX_ID, DB_ROLL_PTR), counted in N_COLS. */
const HIDDEN_COLUMNS = 3;
/** The default MERGE_THRESHOLD of an index (percent). */
const MERGE_THRESHOLD_DEFAULT = 50n;
/** INNODB_INDEXES.TYPE values. */
const INDEX_TYPE = { secondary: 0n, generatedClustered: 1n, unique: 2n, clustered: 3n } as const;
/** Table and tablespace flag bits (dict0mem.h, fsp0types.h). */
const TF_COMPACT = 1;
const TF_ATOMIC_BLOBS = 32;
const FSP_SDI = 16384;
/** The file system block size INNODB_TABLESPACES reports. */
const FS_BLOCK_SIZE = 4096n;

function datetimeOf(ms: number | null): Temporal | null {
  if (ms === null) return null;
  const d = new Date(ms);
  return new Temporal('DATETIME', d.getFullYear(), d.getMonth() + 1, d.getDate(), d.getHours(), d.getMinutes(), d.getSeconds(), 0);
}

function rowFormatOf(table: InnodbTable): string {
  return table.rowFormat;
}

/** Zip page size code of KEY_BLOCK_SIZE (1 -> 1 KiB, ...): log2(kb) + 1. */
function zipSsize(table: InnodbTable): number {
  const kb = Number(table.def.options['KEY_BLOCK_SIZE'] ?? 8);
  return Math.round(Math.log2(kb)) + 1;
}

/** INNODB_TABLES.FLAG: compact bit, zip size, atomic blobs. */
function tableFlag(table: InnodbTable): number {
  switch (rowFormatOf(table)) {
    case 'REDUNDANT':
      return 0;
    case 'COMPACT':
      return TF_COMPACT;
    case 'COMPRESSED':
      return TF_COMPACT | (zipSsize(table) << 1) | TF_ATOMIC_BLOBS;
    default:
      return TF_COMPACT | TF_ATOMIC_BLOBS;
  }
}

/** INNODB_TABLESPACES.FLAG of a file-per-table tablespace. */
function spaceFlag(table: InnodbTable, pageSize: number): number {
  const fmt = rowFormatOf(table);
  const pageBits = pageSize === 16384 ? 0 : (Math.round(Math.log2(pageSize / 512)) << 6);
  const modern = fmt === 'DYNAMIC' || fmt === 'COMPRESSED' ? TF_COMPACT | TF_ATOMIC_BLOBS : 0;
  const zip = fmt === 'COMPRESSED' ? zipSsize(table) << 1 : 0;
  return modern | zip | pageBits | FSP_SDI;
}

function tableRowFormatName(table: InnodbTable): string {
  const fmt = rowFormatOf(table);
  return fmt.charAt(0) + fmt.slice(1).toLowerCase();
}

/** `db/t`, the name InnoDB's dictionary uses (file-name encoded). */
function innodbName(path: string): string {
  return path.replace(/\.ibd$/, '');
}

/** @req INNODB-MON-101 */
function innodbTrx(obs: InnodbObservability): VirtualTable {
  const cols = [
    u('trx_id', false), s('trx_state', 13), { ...dt('trx_started'), nullable: false }, s('trx_requested_lock_id', 126, true), dt('trx_wait_started'),
    u('trx_weight', false), u('trx_mysql_thread_id', false), s('trx_query', TRX_QUERY_MAX_CHARS, true), s('trx_operation_state', 64, true),
    u('trx_tables_in_use', false), u('trx_tables_locked', false), u('trx_lock_structs', false), u('trx_lock_memory_bytes', false),
    u('trx_rows_locked', false), u('trx_rows_modified', false), u('trx_concurrency_tickets', false), s('trx_isolation_level', 16),
    i32('trx_unique_checks'), i32('trx_foreign_key_checks'), s('trx_last_foreign_key_error', 256, true), i32('trx_adaptive_hash_latched'),
    u('trx_adaptive_hash_timeout', false), i32('trx_is_read_only'), i32('trx_autocommit_non_locking'), u('trx_schedule_weight'),
  ];
  return virtualTable(IS, 'INNODB_TRX', cols, (): Row[] => {
    const spaceOf = spaceIdsOf(obs.spaces);
    return obs
      .transactions()
      .filter((trx) => trx.state === 'active' || trx.state === 'prepared')
      .map((trx): Row => {
        const sum = obs.locks.summary(trx);
        const w = sum.waiting;
        const session = trx.recovered ? null : obs.sessionInfo(trx.connectionId);
        const tables = session?.busy ? tablesLocked(obs.locks, trx) : 0;
        return [
          printedTrxId(trx), trxQueueState(obs.locks, trx), datetimeOf(trx.startedAt), w ? engineLockId(w, spaceOf(w.tableId)) : null,
          datetimeOf(w?.waitStartedMs ?? null), BigInt(trx.weight()), BigInt(trx.connectionId),
          session?.query?.slice(0, TRX_QUERY_MAX_CHARS) ?? null, w ? 'starting index read' : null,
          BigInt(tables), BigInt(tablesLocked(obs.locks, trx)), BigInt(sum.lockStructs), BigInt(REPORTED_LOCK_HEAP_BYTES),
          BigInt(sum.rowLocks), BigInt(trx.undo.length), 0n, trx.isolation.replace('-', ' '),
          session && !session.uniqueChecks ? 0n : 1n, session && !session.foreignKeyChecks ? 0n : 1n, null, 0n,
          0n, trx.readOnly ? 1n : 0n, 0n, w ? 1n : null,
        ];
      });
  });
}

/** @req INNODB-TRBL-004 */
function innodbTables(obs: InnodbObservability): VirtualTable {
  const cols = [
    u('TABLE_ID', false), s('NAME', 655), i32('FLAG'), i32('N_COLS'), i('SPACE', false), s('ROW_FORMAT', 12, true), u32('ZIP_PAGE_SIZE'),
    s('SPACE_TYPE', 10, true), i32('INSTANT_COLS'), i32('TOTAL_ROW_VERSIONS'),
  ];
  return virtualTable(IS, 'INNODB_TABLES', cols, (): Row[] =>
    [...obs.spaces.all()].map((sp): Row => {
      const tb = sp.table;
      const zip = rowFormatOf(tb) === 'COMPRESSED' ? BigInt(Number(tb.def.options['KEY_BLOCK_SIZE'] ?? 8) * 1024) : 0n;
      return [
        BigInt(tb.def.id), innodbName(sp.path), BigInt(tableFlag(tb)), BigInt(tb.def.columns.length + HIDDEN_COLUMNS), BigInt(sp.spaceId),
        tableRowFormatName(tb), zip, 'Single', 0n, 0n,
      ];
    }),
  );
}

/** @req INNODB-MON-107 */
function innodbColumns(obs: InnodbObservability): VirtualTable {
  const cols = [
    u('TABLE_ID', false), s('NAME', 193), u('POS', false), i32('MTYPE'), i32('PRTYPE'), i32('LEN'), i32('HAS_DEFAULT'), t('DEFAULT_VALUE'),
    i32('VERSION_ADDED'), i32('VERSION_DROPPED'), i32('PHYSICAL_POS'),
  ];
  return virtualTable(IS, 'INNODB_COLUMNS', cols, (): Row[] => {
    const rows: Row[] = [];
    for (const sp of obs.spaces.all()) {
      // The physical order puts the clustered key first, then the hidden columns, then the rest.
      const def = sp.table.def;
      const keyCols = sp.table.clustered?.parts.map((p) => p.column) ?? [];
      const physical = new Map<number, number>();
      keyCols.forEach((c, n) => physical.set(c, n));
      let next = keyCols.length === 0 ? 3 : keyCols.length + 2;
      def.columns.forEach((_c, pos) => {
        if (!physical.has(pos)) physical.set(pos, next++);
      });
      def.columns.forEach((c, pos) => {
        const ty = innodbColumnType(c);
        rows.push([BigInt(def.id), c.name, BigInt(pos), BigInt(ty.mtype), BigInt(ty.prtype), BigInt(ty.len), 0n, null, 0n, 0n, BigInt(physical.get(pos)!)]);
      });
    }
    return rows;
  });
}

/** @req INNODB-TRBL-004 */
function innodbIndexes(obs: InnodbObservability): VirtualTable {
  const cols = [u('INDEX_ID', false), s('NAME', 193), u('TABLE_ID', false), i32('TYPE'), i32('N_FIELDS'), i32('PAGE_NO'), i32('SPACE'), i32('MERGE_THRESHOLD')];
  return virtualTable(IS, 'INNODB_INDEXES', cols, (): Row[] => {
    const rows: Row[] = [];
    for (const sp of obs.spaces.all()) {
      const tb = sp.table;
      const tableId = BigInt(tb.def.id);
      const space = BigInt(sp.spaceId);
      // Index ids: the table's id times a stride, plus the index's position (stable, unique per table).
      const idBase = tableId * 1000n;
      const clustered = tb.clustered;
      rows.push([idBase, clustered?.name ?? 'GEN_CLUST_INDEX', tableId, clustered ? INDEX_TYPE.clustered : INDEX_TYPE.generatedClustered, BigInt(clustered?.parts.length ?? 0), -1n, space, MERGE_THRESHOLD_DEFAULT]);
      tb.secondaries.forEach((sec, n) => {
        rows.push([idBase + BigInt(n + 1), sec.def.name, tableId, sec.unique ? INDEX_TYPE.unique : INDEX_TYPE.secondary, BigInt(sec.def.parts.length), -1n, space, MERGE_THRESHOLD_DEFAULT]);
      });
    }
    return rows;
  });
}

/** @req INNODB-TRBL-004 */
function innodbTablespaces(obs: InnodbObservability, version: string): VirtualTable {
  const cols = [
    u32('SPACE'), s('NAME', 655), u32('FLAG'), s('ROW_FORMAT', 22, true), u32('PAGE_SIZE'), u32('ZIP_PAGE_SIZE'), s('SPACE_TYPE', 10, true),
    u32('FS_BLOCK_SIZE'), u('FILE_SIZE', false), u('ALLOCATED_SIZE', false), u('AUTOEXTEND_SIZE', false), s('SERVER_VERSION', 10, true),
    u32('SPACE_VERSION'), s('ENCRYPTION', 1, true), s('STATE', 10, true),
  ];
  return virtualTable(IS, 'INNODB_TABLESPACES', cols, (): Row[] =>
    [...obs.spaces.all()].map((sp): Row => {
      let size = 0n;
      let allocated = 0n;
      try {
        const st = statSync(join(obs.datadir, sp.path));
        size = BigInt(st.size);
        allocated = BigInt(st.blocks * 512);
      } catch {
        // A file not written yet (created and dropped within a checkpoint period) has no size.
      }
      const fmt = rowFormatOf(sp.table);
      const rowFormat = fmt === 'DYNAMIC' ? 'Dynamic' : fmt === 'COMPRESSED' ? 'Compressed' : 'Compact or Redundant';
      const zip = fmt === 'COMPRESSED' ? BigInt(Number(sp.table.def.options['KEY_BLOCK_SIZE'] ?? 8) * 1024) : 0n;
      return [
        BigInt(sp.spaceId), innodbName(sp.path), BigInt(spaceFlag(sp.table, obs.pageSize)), rowFormat, BigInt(obs.pageSize), zip, 'Single',
        FS_BLOCK_SIZE, size, allocated, 0n, version.replace(/-.*$/, ''), 1n, 'N', 'normal',
      ];
    }),
  );
}

/** @req INNODB-MON-105 */
function innodbMetrics(obs: InnodbObservability): VirtualTable {
  const cols = [
    s('NAME', 193), s('SUBSYSTEM', 193), i('COUNT', false), i('MAX_COUNT'), i('MIN_COUNT'), f('AVG_COUNT'), i('COUNT_RESET', false), i('MAX_COUNT_RESET'),
    i('MIN_COUNT_RESET'), f('AVG_COUNT_RESET'), dt('TIME_ENABLED'), dt('TIME_DISABLED'), i('TIME_ELAPSED'), dt('TIME_RESET'), s('STATUS', 193),
    s('TYPE', 193), s('COMMENT', 193),
  ];
  return virtualTable(IS, 'INNODB_METRICS', cols, (): Row[] =>
    metricRows(obs).map((m): Row => {
      const cells: Value[] = [
        m.name, m.subsystem, m.count, m.maxCount, m.minCount, m.avgCount, m.count, m.maxCount, m.minCount, m.avgCount,
        datetimeOf(m.timeEnabledMs), null, m.timeElapsedSec, null, m.status, m.type, m.comment,
      ];
      return cells;
    }),
  );
}

/** Every InnoDB INFORMATION_SCHEMA table, for the catalog. */
export function innodbInformationSchemaTables(obs: InnodbObservability, version: string): VirtualTable[] {
  return [innodbTrx(obs), innodbTables(obs), innodbColumns(obs), innodbIndexes(obs), innodbTablespaces(obs, version), innodbMetrics(obs)];
}
