/**
 * InnoDB's system variables as definitions and through the registry: every name with MySQL
 * 8.0.40's scope, mutability, type, range and default (the expected table below is written out
 * independently of the definitions), the SET checks InnoDB adds, the startup page-size rule, and
 * the values InnoDB derives at startup.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { req } from '../../helpers/req.js';
import { SqlError, type Diagnostic } from '../../../src/kernel/errors.js';
import type { Value } from '../../../src/kernel/value.js';
import { SysVarRegistry, type SysVarDef } from '../../../src/server/sysvars/index.js';
import {
  adjustBufferPoolChunkSize,
  alignBufferPoolSize,
  innodbVariableDefinitions,
  innodbVersionString,
  isValidInnodbPageSize,
  resolveInnodbStartupValues,
} from '../../../src/plugins/innodb-variables.js';

const M = 1024n * 1024n;
const G = 1024n * M;
const ULL = 18446744073709551615n;
const U32 = 4294967295n;

type Kind = 'bool' | 'int' | 'sint' | 'double' | 'enum' | 'str';
/** name, scope, dynamic, kind, default, [min, max, block] or enum values. */
type Row = [string, 'global' | 'both', boolean, Kind, Value, (bigint | number | string)[]?];

const EXPECTED: Row[] = [
  ['innodb_adaptive_hash_index', 'global', true, 'bool', 1n],
  ['innodb_adaptive_hash_index_parts', 'global', false, 'int', 8n, [1n, 512n]],
  ['innodb_autoinc_lock_mode', 'global', false, 'sint', 2n, [0n, 2n]],
  ['innodb_buffer_pool_chunk_size', 'global', false, 'int', 134217728n, [1048576n, 144115188075855871n, 1048576n]],
  ['innodb_buffer_pool_instances', 'global', false, 'int', 1n, [0n, 64n]],
  ['innodb_buffer_pool_size', 'global', true, 'sint', 134217728n, [5242880n, 9223372036854775807n, 1048576n]],
  ['innodb_change_buffering', 'global', true, 'enum', 'all', ['none', 'inserts', 'deletes', 'changes', 'purges', 'all']],
  ['innodb_checksum_algorithm', 'global', true, 'enum', 'crc32', ['crc32', 'strict_crc32', 'innodb', 'strict_innodb', 'none', 'strict_none']],
  ['innodb_data_file_path', 'global', false, 'str', 'ibdata1:12M:autoextend'],
  ['innodb_data_home_dir', 'global', false, 'str', null],
  ['innodb_deadlock_detect', 'global', true, 'bool', 1n],
  ['innodb_default_row_format', 'global', true, 'enum', 'dynamic', ['redundant', 'compact', 'dynamic']],
  ['innodb_directories', 'global', false, 'str', null],
  ['innodb_doublewrite', 'global', true, 'enum', 'ON', ['OFF', 'ON', 'DETECT_ONLY', 'DETECT_AND_RECOVER', 'FALSE', 'TRUE']],
  ['innodb_fast_shutdown', 'global', true, 'int', 1n, [0n, 2n]],
  ['innodb_file_per_table', 'global', true, 'bool', 1n],
  ['innodb_flush_log_at_timeout', 'global', true, 'int', 1n, [0n, 2700n]],
  ['innodb_flush_log_at_trx_commit', 'global', true, 'int', 1n, [0n, 2n]],
  ['innodb_flush_method', 'global', false, 'enum', 'fsync', ['fsync', 'O_DSYNC', 'littlesync', 'nosync', 'O_DIRECT', 'O_DIRECT_NO_FSYNC']],
  ['innodb_force_recovery', 'global', false, 'int', 0n, [0n, 6n]],
  ['innodb_io_capacity', 'global', true, 'int', 200n, [100n, U32]],
  ['innodb_io_capacity_max', 'global', true, 'int', 2000n, [100n, U32]],
  ['innodb_lock_wait_timeout', 'both', true, 'int', 50n, [1n, 1073741824n]],
  ['innodb_log_buffer_size', 'global', true, 'int', 16777216n, [262144n, U32, 1024n]],
  ['innodb_log_file_size', 'global', false, 'int', 50331648n, [4194304n, ULL, 1048576n]],
  ['innodb_log_files_in_group', 'global', false, 'int', 2n, [2n, 100n]],
  ['innodb_log_group_home_dir', 'global', false, 'str', './'],
  ['innodb_max_dirty_pages_pct', 'global', true, 'double', 90, [0, 99.999]],
  ['innodb_max_undo_log_size', 'global', true, 'int', 1073741824n, [10485760n, ULL]],
  ['innodb_old_blocks_pct', 'global', true, 'int', 37n, [5n, 95n]],
  ['innodb_old_blocks_time', 'global', true, 'int', 1000n, [0n, 4294967295n]],
  ['innodb_online_alter_log_max_size', 'global', true, 'int', 134217728n, [65536n, ULL]],
  ['innodb_open_files', 'global', false, 'sint', 4000n, [0n, 2147483647n]],
  ['innodb_page_cleaners', 'global', false, 'int', 1n, [1n, 64n]],
  ['innodb_page_size', 'global', false, 'int', 16384n, [4096n, 65536n]],
  ['innodb_print_all_deadlocks', 'global', true, 'bool', 0n],
  ['innodb_purge_threads', 'global', false, 'int', 4n, [1n, 32n]],
  ['innodb_read_io_threads', 'global', false, 'int', 4n, [1n, 64n]],
  ['innodb_read_only', 'global', false, 'bool', 0n],
  ['innodb_redo_log_capacity', 'global', true, 'int', 104857600n, [8388608n, 549755813888n, 1048576n]],
  ['innodb_rollback_on_timeout', 'global', false, 'bool', 0n],
  ['innodb_sort_buffer_size', 'global', false, 'int', 1048576n, [65536n, 67108864n]],
  ['innodb_stats_auto_recalc', 'global', true, 'bool', 1n],
  ['innodb_stats_persistent', 'global', true, 'bool', 1n],
  ['innodb_stats_persistent_sample_pages', 'global', true, 'int', 20n, [1n, ULL]],
  ['innodb_status_output', 'global', true, 'bool', 0n],
  ['innodb_status_output_locks', 'global', true, 'bool', 0n],
  ['innodb_strict_mode', 'both', true, 'bool', 1n],
  ['innodb_table_locks', 'both', true, 'bool', 1n],
  ['innodb_temp_data_file_path', 'global', false, 'str', 'ibtmp1:12M:autoextend'],
  ['innodb_thread_concurrency', 'global', true, 'int', 0n, [0n, 1000n]],
  ['innodb_undo_directory', 'global', false, 'str', './'],
  ['innodb_undo_log_truncate', 'global', true, 'bool', 1n],
  ['innodb_undo_tablespaces', 'global', true, 'int', 2n, [2n, 127n]],
  ['innodb_version', 'global', false, 'str', '8.0.40'],
  ['innodb_write_io_threads', 'global', false, 'int', 4n, [1n, 64n]],
];

/** The definition as the row shape above, to compare with one toEqual. */
function rowOf(d: SysVarDef): Row {
  const t = d.type;
  switch (t.kind) {
    case 'boolean':
      return [d.name, d.scope as 'global', d.dynamic, 'bool', d.default];
    case 'integer':
      return [d.name, d.scope as 'global', d.dynamic, t.unsigned ? 'int' : 'sint', d.default, t.blockSize ? [t.min, t.max, t.blockSize] : [t.min, t.max]];
    case 'double':
      return [d.name, d.scope as 'global', d.dynamic, 'double', d.default, [t.min, t.max]];
    case 'enum':
      return [d.name, d.scope as 'global', d.dynamic, 'enum', d.default, [...t.values]];
    default:
      return [d.name, d.scope as 'global', d.dynamic, 'str', d.default];
  }
}

function expectError(fn: () => unknown, errno: number, message?: string): void {
  let caught: unknown = null;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  expect(caught).toBeInstanceOf(SqlError);
  expect((caught as SqlError).errno).toBe(errno);
  if (message !== undefined) expect((caught as SqlError).message).toBe(message);
}

const wrongArgs = (message: string): Diagnostic => ({ level: 'Warning', code: 1210, message });
const truncated = (name: string, v: string): Diagnostic => ({ level: 'Warning', code: 1292, message: `Truncated incorrect ${name} value: '${v}'` });

describe('InnoDB variable definitions', () => {
  it(req(['INNODB-VAR-101', 'INNODB-LIMIT-022', 'INNODB-REC-030', 'INNODB-FORCE-011', 'INNODB-BAK-004'], 'unit', 'every variable has MySQL 8.0.40 scope, mutability, type, range and default'), () => {
    const defs = innodbVariableDefinitions();
    const sorted = [...defs].sort((a, b) => (a.name < b.name ? -1 : 1));
    expect(sorted.map(rowOf)).toEqual(EXPECTED);
  });

  it(req(['INNODB-VAR-101'], 'unit', 'names are unique, the memcached plugin variables and innodb_support_xa are not defined'), () => {
    const names = innodbVariableDefinitions().map((d) => d.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names.filter((n) => /^innodb_api_|^daemon_memcached|^innodb_support_xa$/.test(n))).toEqual([]);
  });

  it(req(['INNODB-VAR-101'], 'unit', 'every variable is a startup option except innodb_version; innodb_version is the server version number'), () => {
    const noOption = innodbVariableDefinitions().filter((d) => d.commandLine === false).map((d) => d.name);
    expect(noOption).toEqual(['innodb_version']);
    expect(innodbVersionString('8.0.40-refmysql')).toBe('8.0.40');
    expect(innodbVersionString('8.0.41')).toBe('8.0.41');
  });

  it(req(['INNODB-LIMIT-022'], 'unit', 'page sizes: the powers of two from 4k to 64k and nothing else'), () => {
    expect([4096n, 8192n, 16384n, 32768n, 65536n].every(isValidInnodbPageSize)).toBe(true);
    expect([2048n, 12288n, 20000n, 131072n, 0n].some(isValidInnodbPageSize)).toBe(false);
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 1n << 20n }), (n) => {
        const pow2 = n > 0n && (n & (n - 1n)) === 0n;
        expect(isValidInnodbPageSize(n)).toBe(pow2 && n >= 4096n && n <= 65536n);
      }),
    );
  });
});

describe('InnoDB variables in the registry', () => {
  it(req(['INNODB-VAR-101', 'INNODB-REC-030', 'INNODB-FORCE-011'], 'unit', 'the registry holds them with their defaults'), () => {
    const r = SysVarRegistry.withCoreVariables();
    for (const [name, scope, , , dflt] of EXPECTED) expect([name, r.global(name)]).toEqual([name, dflt]);
    const s = r.newSessionVars();
    expect(s.get('innodb_lock_wait_timeout')).toBe(50n);
    expect(s.get('innodb_directories')).toBeNull();
    expect(r.resultKind('innodb_buffer_pool_size')).toBe('signed');
    expect(r.resultKind('innodb_page_size')).toBe('unsigned');
    expect(EXPECTED.every(([n, scope]) => r.lookup(n)!.scope === scope)).toBe(true);
  });

  it(req(['INNODB-VAR-102', 'INNODB-FORCE-011'], 'unit', 'read-only variables refuse SET GLOBAL with 1238'), () => {
    const r = SysVarRegistry.withCoreVariables();
    const readOnly = EXPECTED.filter(([, , dyn]) => !dyn).map(([n]) => n);
    expect(readOnly).toContain('innodb_force_recovery');
    for (const name of readOnly) expectError(() => r.setGlobal(name, 1n), 1238, `Variable '${name}' is a read only variable`);
    expect(r.global('innodb_force_recovery')).toBe(0n);
  });

  it(req(['INNODB-VAR-102', 'INNODB-BAK-004'], 'unit', 'dynamic globals accept SET GLOBAL, refuse SET SESSION (1229), and clamp with 1292'), () => {
    const r = SysVarRegistry.withCoreVariables();
    const s = r.newSessionVars();
    expect(r.setGlobal('innodb_fast_shutdown', 0n)).toEqual([]);
    expect(r.global('innodb_fast_shutdown')).toBe(0n);
    expect(r.setGlobal('innodb_print_all_deadlocks', 'ON')).toEqual([]);
    expect(r.global('innodb_print_all_deadlocks')).toBe(1n);
    expect(r.setGlobal('innodb_flush_log_at_trx_commit', 3n)).toEqual([truncated('innodb_flush_log_at_trx_commit', '3')]);
    expect(r.global('innodb_flush_log_at_trx_commit')).toBe(2n);
    expect(r.setGlobal('innodb_fast_shutdown', 7n)).toEqual([truncated('innodb_fast_shutdown', '7')]);
    expect(r.global('innodb_fast_shutdown')).toBe(2n);
    expectError(() => s.set('innodb_print_all_deadlocks', 1n), 1229);
    r.setGlobal('innodb_max_dirty_pages_pct', 100);
    expect(r.global('innodb_max_dirty_pages_pct')).toBe(99.999);
  });

  it(req(['INNODB-VAR-102', 'INNODB-ERR-004'], 'unit', 'innodb_lock_wait_timeout, innodb_strict_mode and innodb_table_locks have session values'), () => {
    const r = SysVarRegistry.withCoreVariables();
    const s = r.newSessionVars();
    expect(s.set('innodb_lock_wait_timeout', 1n)).toEqual([]);
    expect(s.getScoped('innodb_lock_wait_timeout', 'session')).toBe(1n);
    expect(r.global('innodb_lock_wait_timeout')).toBe(50n);
    expect(s.set('innodb_lock_wait_timeout', 0n)).toEqual([truncated('innodb_lock_wait_timeout', '0')]);
    expect(s.get('innodb_lock_wait_timeout')).toBe(1n);
    s.set('innodb_lock_wait_timeout', 2000000000n);
    expect(s.get('innodb_lock_wait_timeout')).toBe(1073741824n);
    s.set('innodb_strict_mode', 'OFF');
    s.set('innodb_table_locks', 0n);
    expect([s.get('innodb_strict_mode'), s.get('innodb_table_locks'), r.global('innodb_strict_mode')]).toEqual([0n, 0n, 1n]);
  });

  it(req(['INNODB-VAR-102'], 'unit', 'enum values are checked (1231) and canonicalised; numbers pick by position'), () => {
    const r = SysVarRegistry.withCoreVariables();
    expectError(() => r.setGlobal('innodb_default_row_format', 'COMPRESSED'), 1231, "Variable 'innodb_default_row_format' can't be set to the value of 'COMPRESSED'");
    r.setGlobal('innodb_default_row_format', 'COMPACT');
    expect(r.global('innodb_default_row_format')).toBe('compact');
    r.setGlobal('innodb_default_row_format', 0n);
    expect(r.global('innodb_default_row_format')).toBe('redundant');
    r.setGlobal('innodb_checksum_algorithm', 'STRICT_CRC32');
    expect(r.global('innodb_checksum_algorithm')).toBe('strict_crc32');
    r.setGlobal('innodb_change_buffering', 'none');
    expect(r.global('innodb_change_buffering')).toBe('none');
    expectError(() => r.setGlobal('innodb_change_buffering', 'some'), 1231);
  });

  it(req(['INNODB-LIMIT-022'], 'unit', 'innodb_page_size options: 4k..64k with K suffixes, clamped outside, refused when not a power of two'), () => {
    const cases: Array<[string, bigint]> = [['4k', 4096n], ['8K', 8192n], ['16384', 16384n], ['32k', 32768n], ['64K', 65536n]];
    for (const [text, bytes] of cases) {
      const r = SysVarRegistry.withCoreVariables();
      expect(r.setFromOption('innodb-page-size', text)).toEqual([]);
      expect(r.global('innodb_page_size')).toBe(bytes);
    }
    const r = SysVarRegistry.withCoreVariables();
    expect(r.setFromOption('innodb_page_size', '1k')).toEqual([truncated('innodb_page_size', '1024')]);
    expect(r.global('innodb_page_size')).toBe(4096n);
    expect(r.setFromOption('innodb_page_size', '128k')).toEqual([truncated('innodb_page_size', '131072')]);
    expect(r.global('innodb_page_size')).toBe(65536n);
    expectError(() => r.setFromOption('innodb_page_size', '12k'), 1231, "Variable 'innodb_page_size' can't be set to the value of '12288'");
    expect(r.global('innodb_page_size')).toBe(65536n);
  });

  it(req(['INNODB-VAR-101', 'INNODB-FORCE-011', 'INNODB-REC-030', 'INNODB-ERR-004'], 'unit', 'read-only variables take startup options'), () => {
    const r = SysVarRegistry.withCoreVariables();
    r.setFromOption('innodb_force_recovery', '3');
    r.setFromOption('innodb_directories', '/a;/b');
    r.setFromOption('innodb_rollback_on_timeout', null);
    r.setFromOption('innodb_read_io_threads', '8');
    expect(r.setFromOption('innodb_force_recovery', '9')).toEqual([truncated('innodb_force_recovery', '9')]);
    expect([r.global('innodb_force_recovery'), r.global('innodb_directories'), r.global('innodb_rollback_on_timeout'), r.global('innodb_read_io_threads')]).toEqual([
      6n,
      '/a;/b',
      1n,
      8n,
    ]);
    expectError(() => r.setFromOption('innodb_version', '9.9.9'), 1193);
  });

  it(req(['INNODB-VAR-105'], 'unit', 'innodb_undo_tablespaces is ignored: it stays 2'), () => {
    const r = SysVarRegistry.withCoreVariables();
    expect(r.setGlobal('innodb_undo_tablespaces', 5n)).toEqual([]);
    expect(r.global('innodb_undo_tablespaces')).toBe(2n);
  });
});

describe('InnoDB SET checks', () => {
  it(req(['INNODB-VAR-103'], 'unit', 'SET GLOBAL innodb_buffer_pool_size rounds up to whole chunks per instance'), () => {
    const r = SysVarRegistry.withCoreVariables();
    expect(r.setGlobal('innodb_buffer_pool_size', 200n * M)).toEqual([truncated('innodb_buffer_pool_size', String(200n * M))]);
    expect(r.global('innodb_buffer_pool_size')).toBe(256n * M);
    expect(r.setGlobal('innodb_buffer_pool_size', 512n * M)).toEqual([]);
    expect(r.global('innodb_buffer_pool_size')).toBe(512n * M);
    // A value that is not a MiB multiple is first rounded down by the option type (1292), as mysqld does.
    expect(r.setGlobal('innodb_buffer_pool_size', 512n * M + 5n)).toEqual([truncated('innodb_buffer_pool_size', String(512n * M + 5n))]);
    expect(r.global('innodb_buffer_pool_size')).toBe(512n * M);
  });

  it(req(['INNODB-VAR-103'], 'unit', 'SET GLOBAL innodb_buffer_pool_size that rounds to the current size, or below 1 GiB with several instances, only warns'), () => {
    const r = SysVarRegistry.withCoreVariables();
    expect(r.setGlobal('innodb_buffer_pool_size', 64n * M)).toEqual([wrongArgs('InnoDB: Cannot resize buffer pool to lesser than chunk size of 134217728 bytes.')]);
    expect(r.global('innodb_buffer_pool_size')).toBe(128n * M);
    r.initGlobal('innodb_buffer_pool_instances', 8n);
    r.initGlobal('innodb_buffer_pool_size', 2n * G);
    expect(r.setGlobal('innodb_buffer_pool_size', 512n * M)).toEqual([wrongArgs('Cannot update innodb_buffer_pool_size to less than 1GB if innodb_buffer_pool_instances > 1.')]);
    expect(r.global('innodb_buffer_pool_size')).toBe(2n * G);
    expect(r.setGlobal('innodb_buffer_pool_size', 3n * G)).toEqual([]);
    expect(r.global('innodb_buffer_pool_size')).toBe(3n * G);
    expect(r.setGlobal('innodb_buffer_pool_size', 3n * G + 100n * M)).toEqual([truncated('innodb_buffer_pool_size', String(3n * G + 100n * M))]);
    expect(r.global('innodb_buffer_pool_size')).toBe(4n * G);
  });

  it(req(['INNODB-VAR-104'], 'unit', 'innodb_io_capacity cannot pass innodb_io_capacity_max, and the other way round'), () => {
    const r = SysVarRegistry.withCoreVariables();
    expect(r.setGlobal('innodb_io_capacity', 3000n)).toEqual([
      wrongArgs('innodb_io_capacity cannot be set higher than innodb_io_capacity_max.'),
      wrongArgs('Setting innodb_io_capacity to 2000'),
    ]);
    expect(r.global('innodb_io_capacity')).toBe(2000n);
    r.setGlobal('innodb_io_capacity', 500n);
    expect(r.setGlobal('innodb_io_capacity_max', 150n)).toEqual([
      wrongArgs('innodb_io_capacity_max cannot be set lower than innodb_io_capacity.'),
      wrongArgs('Setting innodb_io_capacity_max to 500'),
    ]);
    expect(r.global('innodb_io_capacity_max')).toBe(500n);
    expect(r.setGlobal('innodb_io_capacity_max', 9000n)).toEqual([]);
    expect(r.setGlobal('innodb_io_capacity', 8000n)).toEqual([]);
    expect([r.global('innodb_io_capacity'), r.global('innodb_io_capacity_max')]).toEqual([8000n, 9000n]);
  });

  it(req(['INNODB-VAR-106'], 'unit', 'innodb_doublewrite changes within on or within off, never between them (1210)'), () => {
    const r = SysVarRegistry.withCoreVariables();
    expectError(
      () => r.setGlobal('innodb_doublewrite', 'OFF'),
      1210,
      'Incorrect arguments to InnoDB: cannot change doublewrite mode to OFF if doublewrite is enabled. Please shutdown and change value to OFF',
    );
    r.setGlobal('innodb_doublewrite', 'DETECT_ONLY');
    r.setGlobal('innodb_doublewrite', 5n);
    expect(r.global('innodb_doublewrite')).toBe('TRUE');
    const off = SysVarRegistry.withCoreVariables();
    off.setFromOption('innodb_doublewrite', 'OFF');
    expectError(() => off.setGlobal('innodb_doublewrite', 'DETECT_AND_RECOVER'), 1210, 'Incorrect arguments to InnoDB: cannot change doublewrite mode to DETECT_AND_RECOVER if doublewrite is disabled. Please shutdown and change value to DETECT_AND_RECOVER');
    off.setGlobal('innodb_doublewrite', 'FALSE');
    expect(off.global('innodb_doublewrite')).toBe('FALSE');
  });
});

/** A plain map standing in for the registry, with the core values the rules read. */
function startupVars(values: Record<string, Value>, given?: string[]): { vars: Map<string, Value>; access: Parameters<typeof resolveInnodbStartupValues>[0] } {
  const vars = new Map<string, Value>(innodbVariableDefinitions().map((d) => [d.name, d.default]));
  vars.set('table_open_cache', 4000n);
  vars.set('open_files_limit', 10000n);
  for (const [k, v] of Object.entries(values)) vars.set(k, v);
  return {
    vars,
    access: {
      get: (n) => vars.get(n) ?? null,
      set: (n, v) => void vars.set(n, v),
      ...(given ? { given: (n: string) => given.includes(n) } : {}),
    },
  };
}

function pick(vars: Map<string, Value>, names: string[]): Record<string, Value> {
  return Object.fromEntries(names.map((n) => [n, vars.get(n) ?? null]));
}

describe('InnoDB startup rules', () => {
  const GEOMETRY = ['innodb_buffer_pool_size', 'innodb_buffer_pool_instances', 'innodb_buffer_pool_chunk_size', 'innodb_page_cleaners'];

  it(req(['INNODB-VAR-103', 'INNODB-VAR-104'], 'unit', 'a default configuration keeps the shown defaults and logs nothing'), () => {
    const { vars, access } = startupVars({});
    const before = new Map(vars);
    expect(resolveInnodbStartupValues(access)).toEqual([]);
    expect(vars).toEqual(before);
  });

  it(req(['INNODB-VAR-103'], 'unit', 'from 1 GiB the pool gets 8 instances and 4 page cleaners unless told otherwise'), () => {
    const { vars, access } = startupVars({ innodb_buffer_pool_size: 2n * G });
    expect(resolveInnodbStartupValues(access)).toEqual([]);
    expect(pick(vars, GEOMETRY)).toEqual({ innodb_buffer_pool_size: 2n * G, innodb_buffer_pool_instances: 8n, innodb_buffer_pool_chunk_size: 128n * M, innodb_page_cleaners: 4n });

    const odd = startupVars({ innodb_buffer_pool_size: 1536n * M });
    resolveInnodbStartupValues(odd.access);
    expect(odd.vars.get('innodb_buffer_pool_size')).toBe(2n * G);

    const chosen = startupVars({ innodb_buffer_pool_size: 4n * G, innodb_buffer_pool_instances: 2n, innodb_page_cleaners: 8n }, ['innodb_buffer_pool_size', 'innodb_buffer_pool_instances', 'innodb_page_cleaners']);
    resolveInnodbStartupValues(chosen.access);
    expect(pick(chosen.vars, GEOMETRY)).toEqual({ innodb_buffer_pool_size: 4n * G, innodb_buffer_pool_instances: 2n, innodb_buffer_pool_chunk_size: 128n * M, innodb_page_cleaners: 2n });
  });

  it(req(['INNODB-VAR-103'], 'unit', 'below 1 GiB several instances become one (noted), and a small pool shrinks the chunk'), () => {
    const { vars, access } = startupVars({ innodb_buffer_pool_size: 512n * M, innodb_buffer_pool_instances: 4n });
    expect(resolveInnodbStartupValues(access)).toEqual([
      { level: 'Note', code: 'MY-012359', message: 'Adjusting innodb_buffer_pool_instances from 4 to 1 since innodb_buffer_pool_size is less than 1024 MiB' },
    ]);
    expect(pick(vars, GEOMETRY)).toEqual({ innodb_buffer_pool_size: 512n * M, innodb_buffer_pool_instances: 1n, innodb_buffer_pool_chunk_size: 128n * M, innodb_page_cleaners: 1n });

    const small = startupVars({ innodb_buffer_pool_size: 64n * M });
    resolveInnodbStartupValues(small.access);
    expect(pick(small.vars, GEOMETRY)).toEqual({ innodb_buffer_pool_size: 64n * M, innodb_buffer_pool_instances: 1n, innodb_buffer_pool_chunk_size: 64n * M, innodb_page_cleaners: 1n });
  });

  it(req(['INNODB-VAR-104'], 'unit', 'io_capacity_max follows io_capacity unless given; a smaller given maximum lowers io_capacity'), () => {
    const follow = startupVars({ innodb_io_capacity: 5000n });
    expect(resolveInnodbStartupValues(follow.access)).toEqual([]);
    expect(pick(follow.vars, ['innodb_io_capacity', 'innodb_io_capacity_max'])).toEqual({ innodb_io_capacity: 5000n, innodb_io_capacity_max: 10000n });

    const capped = startupVars({ innodb_io_capacity: 3000n, innodb_io_capacity_max: 1000n }, ['innodb_io_capacity', 'innodb_io_capacity_max']);
    expect(resolveInnodbStartupValues(capped.access)).toEqual([
      { level: 'Warning', code: 'MY-010874', message: 'InnoDB: innodb_io_capacity cannot be set higher than innodb_io_capacity_max. Setting innodb_io_capacity to 1000' },
    ]);
    expect(pick(capped.vars, ['innodb_io_capacity', 'innodb_io_capacity_max'])).toEqual({ innodb_io_capacity: 1000n, innodb_io_capacity_max: 1000n });
  });

  it(req(['INNODB-VAR-104'], 'unit', 'innodb_open_files is autosized from table_open_cache'), () => {
    const cases: Array<[Record<string, Value>, string[] | undefined, bigint]> = [
      [{ table_open_cache: 2000n }, undefined, 2000n],
      [{ table_open_cache: 200n }, undefined, 300n],
      [{ innodb_file_per_table: 0n }, undefined, 300n],
      [{ innodb_open_files: 5n }, ['innodb_open_files'], 4000n],
      [{ innodb_open_files: 600n }, ['innodb_open_files'], 600n],
    ];
    for (const [values, given, expected] of cases) {
      const { vars, access } = startupVars(values, given);
      resolveInnodbStartupValues(access);
      expect([values, vars.get('innodb_open_files')]).toEqual([values, expected]);
    }
    const over = startupVars({ innodb_open_files: 20000n, table_open_cache: 4000n }, ['innodb_open_files']);
    expect(resolveInnodbStartupValues(over.access)).toEqual([{ level: 'Warning', code: 'MY-012364', message: 'innodb_open_files should not be greater than the open_files_limit.' }]);
    expect(over.vars.get('innodb_open_files')).toBe(4000n);
  });

  it(req(['INNODB-LIMIT-022', 'INNODB-VAR-105', 'INNODB-FORCE-011'], 'unit', 'page size, undo tablespaces and force recovery 6 leave their log lines'), () => {
    const { vars, access } = startupVars({ innodb_page_size: 8192n, innodb_undo_tablespaces: 4n, innodb_force_recovery: 6n }, ['innodb_page_size', 'innodb_undo_tablespaces', 'innodb_force_recovery']);
    expect(resolveInnodbStartupValues(access)).toEqual([
      { level: 'Warning', code: 'MY-012363', message: 'innodb-page-size has been changed from the default value 16384 to 8192.' },
      {
        level: 'Warning',
        code: 'MY-013267',
        message: 'The setting INNODB_UNDO_TABLESPACES is deprecated and is no longer used.  InnoDB always creates 2 undo tablespaces to start with. If you need more, please use CREATE UNDO TABLESPACE.',
      },
      { level: 'Note', code: 'MY-012365', message: 'Started in read only mode' },
    ]);
    expect(pick(vars, ['innodb_undo_tablespaces', 'innodb_read_only', 'innodb_doublewrite'])).toEqual({ innodb_undo_tablespaces: 2n, innodb_read_only: 1n, innodb_doublewrite: 'OFF' });
  });

  it(req(['INNODB-VAR-103'], 'unit', 'property: the aligned pool is the smallest whole number of chunks per instance at or above the request'), () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 1n << 40n }), fc.bigInt({ min: 1n, max: 1024n }), fc.bigInt({ min: 1n, max: 64n }), (size, chunkMiB, instances) => {
        const chunk = chunkMiB * M;
        const aligned = alignBufferPoolSize(size, chunk, instances);
        const unit = chunk * instances;
        const floor = size < 5n * M ? 5n * M : size;
        expect(aligned % unit).toBe(0n);
        expect(aligned >= floor).toBe(true);
        expect(aligned - floor < unit).toBe(true);
      }),
    );
  });

  it(req(['INNODB-VAR-103'], 'unit', 'property: the adjusted chunk is whole MiB, at least 1 MiB, and fits the pool unless the pool is smaller than one MiB per instance'), () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 1n << 40n }), fc.bigInt({ min: 5n * M, max: 1n << 44n }), fc.bigInt({ min: 1n, max: 64n }), (chunk, pool, instances) => {
        const c = adjustBufferPoolChunkSize(chunk, pool, instances);
        expect(c % M).toBe(0n);
        expect(c >= M).toBe(true);
        if (pool >= instances * M) expect(c * instances <= pool + instances * M).toBe(true);
        if (chunk % M === 0n && chunk * instances <= pool) expect(c).toBe(chunk);
      }),
    );
  });
});
