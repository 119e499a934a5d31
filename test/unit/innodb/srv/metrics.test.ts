/**
 * INNODB_METRICS rows, the Innodb_* status variables and InnoDB's column types: values come
 * from the engine's counters; disabled metrics show 0 and NULLs; gauges keep their extremes.
 */
import { describe, expect, it } from 'vitest';
import { innodbColumnType } from '../../../../src/storage/innodb/dict/column-type.js';
import { metricRows } from '../../../../src/storage/innodb/srv/metrics.js';
import { innodbStatusVariables } from '../../../../src/storage/innodb/srv/status-variables.js';
import { req } from '../../../helpers/req.js';
import { column } from '../../../helpers/table-def.js';
import { addTable, fakeEngine } from './fixtures.js';

describe('INNODB_METRICS', () => {
  it(req(['INNODB-MON-105'], 'unit', 'enabled metrics carry counts, disabled ones 0 with NULLs, gauges their observed extremes'), () => {
    const { engine, obs } = fakeEngine();
    engine.counters.inserted = 7;
    engine.locks.counters.deadlocks = 2;
    const rows = new Map(metricRows(obs, engine.startedAt + 10_000).map((r) => [r.name, r]));
    expect(rows.get('dml_inserts')).toMatchObject({ subsystem: 'dml', count: 7n, status: 'enabled', type: 'status_counter', avgCount: 0.7 });
    expect(rows.get('lock_deadlocks')).toMatchObject({ subsystem: 'lock', count: 2n, status: 'enabled', type: 'counter' });
    expect(rows.get('dml_reads')).toMatchObject({ count: 0n, status: 'disabled', maxCount: null, timeEnabledMs: null });
    addTable(engine, 1, 100_000);
    const pages = metricRows(obs).find((r) => r.name === 'buffer_pool_pages_data')!;
    expect(pages.type).toBe('value');
    engine.spaces.remove(engine.spaces.get(1)!);
    const after = metricRows(obs).find((r) => r.name === 'buffer_pool_pages_data')!;
    expect(after.count).toBe(0n);
    expect(after.maxCount).toBe(pages.count);
    expect(after.minCount).toBe(0n);
  });
});

describe('Innodb_* status variables', () => {
  it(req(['INNODB-MON-103'], 'unit', 'row, row-lock, page and redo variables read the engine; text variables are text'), () => {
    const { engine, obs } = fakeEngine();
    engine.counters.read = 11;
    engine.locks.counters.waits = 4;
    engine.locks.counters.totalWaitMs = 10;
    engine.locks.counters.maxWaitMs = 7;
    const vars = new Map(innodbStatusVariables(obs).map((v) => [v.name, v.read()]));
    expect(vars.get('Innodb_rows_read')).toBe(11n);
    expect(vars.get('Innodb_row_lock_waits')).toBe(4n);
    expect(vars.get('Innodb_row_lock_time')).toBe(10n);
    expect(vars.get('Innodb_row_lock_time_avg')).toBe(2n);
    expect(vars.get('Innodb_row_lock_time_max')).toBe(7n);
    expect(vars.get('Innodb_page_size')).toBe(16384n);
    expect(vars.get('Innodb_buffer_pool_pages_total')).toBe(8192n);
    expect(vars.get('Innodb_redo_log_enabled')).toBe('ON');
    expect(vars.get('Innodb_redo_log_current_lsn')).toBe(8204n);
    expect(vars.get('Innodb_redo_log_capacity_resized')).toBe(104857600n);
    for (const [name] of vars) expect(name).toMatch(/^Innodb_[a-z_]+$/);
  });
});

describe('InnoDB column types', () => {
  it(req(['INNODB-MON-107'], 'unit', 'MTYPE, PRTYPE and LEN as InnoDB records them'), () => {
    expect(innodbColumnType(column('a', { nullable: false }))).toEqual({ mtype: 6, prtype: 1283, len: 4 });
    expect(innodbColumnType(column('b', { type: { name: 'VARCHAR', length: 10 }, charset: 'latin1', collation: 'latin1_swedish_ci' }))).toEqual({ mtype: 1, prtype: 524303, len: 10 });
    const wide = innodbColumnType(column('c', { type: { name: 'VARCHAR', length: 100 }, charset: 'utf8mb4', collation: 'utf8mb4_0900_ai_ci' }));
    expect(wide).toEqual({ mtype: 12, prtype: (255 << 16) | 4096 | 15, len: 400 });
    expect(innodbColumnType(column('d', { type: { name: 'BIGINT', unsigned: true } }))).toEqual({ mtype: 6, prtype: 8 | 1024 | 512, len: 8 });
    expect(innodbColumnType(column('e', { type: { name: 'DATETIME', scale: 3 } }))).toMatchObject({ mtype: 3, len: 7 });
    expect(innodbColumnType(column('f', { type: { name: 'DECIMAL', length: 10, scale: 2 } }))).toMatchObject({ mtype: 3, len: 5 });
  });
});
