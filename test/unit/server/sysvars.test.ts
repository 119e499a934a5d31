import { describe, expect, it } from 'vitest';
import { req } from '../../helpers/req.js';
import { SqlError } from '../../../src/kernel/errors.js';
import { Decimal } from '../../../src/kernel/value.js';
import type { Value } from '../../../src/kernel/value.js';
import { SET_DEFAULT, SysVarRegistry, comCounterFor, showStatus, showVariables, StatusRegistry, type SetValue } from '../../../src/server/sysvars/index.js';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function expectError(fn: () => unknown, errno: number, message: string): void {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(SqlError);
    expect({ errno: (err as SqlError).errno, message: (err as SqlError).message }).toEqual({ errno, message });
    return;
  }
  throw new Error(`expected error ${errno}`);
}

describe('system variable registry', () => {
  it(req(['CORE-SYSVAR-002'], 'unit', 'MySQL 8.0 defaults of the core variables'), () => {
    const r = SysVarRegistry.withCoreVariables();
    const expected: Array<[string, Value]> = [
      ['version', '8.0.40-refmysql'],
      ['version_comment', 'refmysql reference server'],
      ['port', 3306n],
      ['max_connections', 151n],
      ['max_allowed_packet', 67108864n],
      ['max_heap_table_size', 16777216n],
      ['wait_timeout', 28800n],
      ['autocommit', 1n],
      ['sql_mode', 'ONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION'],
      ['transaction_isolation', 'REPEATABLE-READ'],
      ['default_storage_engine', 'InnoDB'],
      ['default_authentication_plugin', 'caching_sha2_password'],
      ['lower_case_table_names', 0n],
      ['time_zone', 'SYSTEM'],
      ['character_set_server', 'utf8mb4'],
      ['collation_server', 'utf8mb4_0900_ai_ci'],
      ['protocol_version', 10n],
      ['admin_port', 33062n],
      ['mysqlx_port', 33060n],
      ['explicit_defaults_for_timestamp', 1n],
      ['binlog_format', 'ROW'],
      ['gtid_mode', 'OFF'],
      ['log_bin', 0n],
      ['performance_schema', 1n],
      ['license', 'MIT'],
    ];
    for (const [name, v] of expected) expect([name, r.global(name)]).toEqual([name, v]);
  });

  it(req(['CORE-SYSVAR-001'], 'unit', 'names are case-insensitive and dash equals underscore'), () => {
    const r = SysVarRegistry.withCoreVariables();
    expect(r.lookup('MAX-CONNECTIONS')?.name).toBe('max_connections');
    expect(r.global('Max_Connections')).toBe(151n);
  });

  it(req(['CORE-SYSVAR-009'], 'unit', 'unknown and removed variables give 1193'), () => {
    const r = SysVarRegistry.withCoreVariables();
    const s = r.newSessionVars();
    for (const name of ['no_such_var', 'tx_isolation', 'query_cache_type']) {
      expectError(() => s.get(name), 1193, `Unknown system variable '${name}'`);
      expectError(() => r.setGlobal(name, 1n), 1193, `Unknown system variable '${name}'`);
    }
  });

  const setCases: Array<{ title: string; scope: 'global' | 'session'; name: string; value: SetValue; errno: number; message: string }> = [
    { title: 'SET SESSION of a global-only variable', scope: 'session', name: 'max_connections', value: 10n, errno: 1229, message: "Variable 'max_connections' is a GLOBAL variable and should be set with SET GLOBAL" },
    { title: 'SET GLOBAL of a session-only variable', scope: 'global', name: 'sql_log_bin', value: 0n, errno: 1228, message: "Variable 'sql_log_bin' is a SESSION variable and can't be used with SET GLOBAL" },
    { title: 'SET of a read-only variable', scope: 'global', name: 'version', value: 'x', errno: 1238, message: "Variable 'version' is a read only variable" },
    { title: 'SET SESSION of a read-only variable', scope: 'session', name: 'port', value: 1n, errno: 1238, message: "Variable 'port' is a read only variable" },
    { title: 'SET of warning_count', scope: 'session', name: 'warning_count', value: 1n, errno: 1238, message: "Variable 'warning_count' is a read only variable" },
    { title: 'boolean out of domain', scope: 'session', name: 'autocommit', value: 2n, errno: 1231, message: "Variable 'autocommit' can't be set to the value of '2'" },
    { title: 'boolean bad word', scope: 'session', name: 'autocommit', value: 'maybe', errno: 1231, message: "Variable 'autocommit' can't be set to the value of 'maybe'" },
    { title: 'boolean NULL', scope: 'session', name: 'foreign_key_checks', value: null, errno: 1231, message: "Variable 'foreign_key_checks' can't be set to the value of 'NULL'" },
    { title: 'boolean from a double', scope: 'session', name: 'autocommit', value: 0.5, errno: 1232, message: "Incorrect argument type to variable 'autocommit'" },
    { title: 'integer from a string', scope: 'global', name: 'max_connections', value: 'abc', errno: 1232, message: "Incorrect argument type to variable 'max_connections'" },
    { title: 'integer from a decimal', scope: 'session', name: 'wait_timeout', value: new Decimal(15n, 1), errno: 1232, message: "Incorrect argument type to variable 'wait_timeout'" },
    { title: 'enum unknown member', scope: 'session', name: 'transaction_isolation', value: 'SOMETIMES', errno: 1231, message: "Variable 'transaction_isolation' can't be set to the value of 'SOMETIMES'" },
    { title: 'sql_mode unknown member', scope: 'session', name: 'sql_mode', value: 'ANSI_QUOTES,NOPE', errno: 1231, message: "Variable 'sql_mode' can't be set to the value of 'NOPE'" },
    { title: 'sql_mode removed member', scope: 'session', name: 'sql_mode', value: 'NO_AUTO_CREATE_USER', errno: 1231, message: "Variable 'sql_mode' can't be set to the value of 'NO_AUTO_CREATE_USER'" },
    { title: 'sql_mode from a double', scope: 'session', name: 'sql_mode', value: 1.5, errno: 1232, message: "Incorrect argument type to variable 'sql_mode'" },
    { title: 'string from an integer', scope: 'session', name: 'optimizer_switch', value: 5n, errno: 1232, message: "Incorrect argument type to variable 'optimizer_switch'" },
    { title: 'session value of max_allowed_packet is read-only', scope: 'session', name: 'max_allowed_packet', value: 1024n, errno: 1621, message: "SESSION variable 'max_allowed_packet' is read-only. Use SET GLOBAL to assign the value" },
    { title: 'unknown character set', scope: 'session', name: 'character_set_client', value: 'klingon', errno: 1115, message: "Unknown character set: 'klingon'" },
    { title: 'unknown collation', scope: 'session', name: 'collation_connection', value: 'nope_ci', errno: 1273, message: "Unknown collation: 'nope_ci'" },
    { title: 'bad time zone', scope: 'session', name: 'time_zone', value: '+25:00', errno: 1298, message: "Unknown or incorrect time zone: '+25:00'" },
  ];
  for (const c of setCases) {
    it(req(['CORE-SYSVAR-010', 'CORE-ERR-001'], 'unit', `${c.title} -> ${c.errno}`), () => {
      const r = SysVarRegistry.withCoreVariables();
      const s = r.newSessionVars();
      expectError(() => s.setScoped(c.name, c.scope, c.value), c.errno, c.message);
    });
  }

  it(req(['CORE-SYSVAR-010'], 'unit', '@@session of a global-only and @@global of a session-only variable give 1238'), () => {
    const r = SysVarRegistry.withCoreVariables();
    const s = r.newSessionVars();
    expectError(() => s.getScoped('max_connections', 'session'), 1238, "Variable 'max_connections' is a GLOBAL variable");
    expectError(() => s.getScoped('warning_count', 'global'), 1238, "Variable 'warning_count' is a SESSION variable");
    expect(s.getScoped('max_connections', 'default')).toBe(151n);
  });

  it(req(['CORE-SYSVAR-004'], 'unit', 'integers are clamped and rounded to the block size with warning 1292'), () => {
    const r = SysVarRegistry.withCoreVariables();
    const s = r.newSessionVars();
    expect(s.set('max_heap_table_size', 1000n)).toEqual([{ level: 'Warning', code: 1292, message: "Truncated incorrect max_heap_table_size value: '1000'" }]);
    expect(s.get('max_heap_table_size')).toBe(16384n);
    expect(s.set('max_heap_table_size', 20000n)).toEqual([{ level: 'Warning', code: 1292, message: "Truncated incorrect max_heap_table_size value: '20000'" }]);
    expect(s.get('max_heap_table_size')).toBe(19456n);
    expect(s.set('max_heap_table_size', 20480n)).toEqual([]);
    expect(r.setGlobal('max_connections', 0n)).toEqual([{ level: 'Warning', code: 1292, message: "Truncated incorrect max_connections value: '0'" }]);
    expect(r.global('max_connections')).toBe(1n);
    expect(r.setGlobal('max_connections', -5n)[0]?.message).toBe("Truncated incorrect max_connections value: '-5'");
    expect(r.setGlobal('max_connections', 10000000n)).toHaveLength(1);
    expect(r.global('max_connections')).toBe(100000n);
  });

  it(req(['CORE-SYSVAR-003'], 'unit', 'booleans accept ON/OFF/TRUE/FALSE/1/0'), () => {
    const r = SysVarRegistry.withCoreVariables();
    const s = r.newSessionVars();
    for (const [v, want] of [['off', 0n], ['ON', 1n], ['false', 0n], ['True', 1n], [0n, 0n], [1n, 1n]] as const) {
      s.set('autocommit', v);
      expect(s.get('autocommit')).toBe(want);
    }
  });

  it(req(['CORE-SYSVAR-005'], 'unit', 'enums match case-insensitively or by index'), () => {
    const r = SysVarRegistry.withCoreVariables();
    const s = r.newSessionVars();
    s.set('transaction_isolation', 'read-committed');
    expect(s.get('transaction_isolation')).toBe('READ-COMMITTED');
    s.set('transaction_isolation', 3n);
    expect(s.get('transaction_isolation')).toBe('SERIALIZABLE');
  });

  it(req(['CORE-SYSVAR-006'], 'unit', 'sql_mode expands ANSI and TRADITIONAL and orders members'), () => {
    const r = SysVarRegistry.withCoreVariables();
    const s = r.newSessionVars();
    s.set('sql_mode', 'ansi');
    expect(s.get('sql_mode')).toBe('REAL_AS_FLOAT,PIPES_AS_CONCAT,ANSI_QUOTES,IGNORE_SPACE,ONLY_FULL_GROUP_BY,ANSI');
    s.set('sql_mode', 'TRADITIONAL');
    expect(s.get('sql_mode')).toBe('STRICT_TRANS_TABLES,STRICT_ALL_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,TRADITIONAL,NO_ENGINE_SUBSTITUTION');
    s.set('sql_mode', 'no_engine_substitution,ansi_quotes');
    expect(s.get('sql_mode')).toBe('ANSI_QUOTES,NO_ENGINE_SUBSTITUTION');
    s.set('sql_mode', '');
    expect(s.get('sql_mode')).toBe('');
    s.set('sql_mode', 4n);
    expect(s.get('sql_mode')).toBe('ANSI_QUOTES');
  });

  it(req(['CORE-SYSVAR-006'], 'unit', 'sql_mode warns 3135 when the zero-date modes and strict mode are not set together'), () => {
    const r = SysVarRegistry.withCoreVariables();
    const s = r.newSessionVars();
    const w3135 = [{ level: 'Warning', code: 3135, message: "'NO_ZERO_DATE', 'NO_ZERO_IN_DATE' and 'ERROR_FOR_DIVISION_BY_ZERO' sql modes should be used with strict mode. They will be merged with strict mode in a future release." }];
    expect(s.set('sql_mode', 'STRICT_TRANS_TABLES')).toEqual(w3135);
    expect(s.set('sql_mode', 'NO_ZERO_DATE')).toEqual(w3135);
    expect(s.set('sql_mode', '')).toEqual([]);
    expect(s.set('sql_mode', 'TRADITIONAL')).toEqual([]);
    expect(s.set('sql_mode', 'ANSI')).toEqual([]);
    expect(s.set('sql_mode', 'ONLY_FULL_GROUP_BY,STRICT_TRANS_TABLES,NO_ZERO_IN_DATE,NO_ZERO_DATE,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION')).toEqual([]);
  });

  it(req(['CORE-SYSVAR-010'], 'unit', 'sessions start from the global value; DEFAULT and reset'), () => {
    const r = SysVarRegistry.withCoreVariables();
    r.setGlobal('wait_timeout', 100n);
    const s = r.newSessionVars();
    expect(s.get('wait_timeout')).toBe(100n);
    s.set('wait_timeout', 50n);
    expect(s.get('wait_timeout')).toBe(50n);
    expect(r.global('wait_timeout')).toBe(100n);
    s.set('wait_timeout', SET_DEFAULT);
    expect(s.get('wait_timeout')).toBe(100n);
    r.setGlobal('wait_timeout', SET_DEFAULT);
    expect(r.global('wait_timeout')).toBe(28800n);
    s.set('sql_mode', 'ANSI');
    s.reset();
    expect(String(s.get('sql_mode'))).toContain('STRICT_TRANS_TABLES');
  });

  it(req(['ENGINE-SET-004'], 'unit', 'default_storage_engine runs the validator supplied by the plugin registry'), () => {
    const r = SysVarRegistry.withCoreVariables();
    r.setValidator('default_storage_engine', (v) => {
      if (String(v).toUpperCase() !== 'MEMORY') throw SqlError.of('ER_UNKNOWN_STORAGE_ENGINE', String(v));
      return 'MEMORY';
    });
    const s = r.newSessionVars();
    s.set('default_storage_engine', 'memory');
    expect(s.get('default_storage_engine')).toBe('MEMORY');
    expectError(() => s.set('default_storage_engine', 'nosuch'), 1286, "Unknown storage engine 'nosuch'");
  });

  it(req(['CORE-SYSVAR-011'], 'unit', 'SET PERSIST writes mysqld-auto.cnf; RESET PERSIST removes; loadPersisted applies'), () => {
    const dir = mkdtempSync(join(tmpdir(), 'refmysql-persist-'));
    try {
      const r = SysVarRegistry.withCoreVariables();
      r.setDatadir(dir);
      r.persist('max_connections', 200n, { user: 'root', host: 'localhost' });
      expect(r.global('max_connections')).toBe(200n);
      r.persist('lower_case_table_names', 1n, {}, true);
      expect(r.global('lower_case_table_names')).toBe(0n);
      expectError(() => r.persist('port', 1n), 1238, "Variable 'port' is a read only variable");
      const file = JSON.parse(readFileSync(join(dir, 'mysqld-auto.cnf'), 'utf8'));
      expect(file.Version).toBe(2);
      expect(file.mysql_dynamic_variables.max_connections.Value).toBe('200');
      expect(file.mysql_dynamic_variables.max_connections.Metadata.User).toBe('root');
      expect(file.mysql_static_variables.lower_case_table_names.Value).toBe('1');
      const r2 = SysVarRegistry.withCoreVariables();
      r2.setDatadir(dir);
      expect(r2.loadPersisted()).toEqual([]);
      expect(r2.global('max_connections')).toBe(200n);
      expect(r2.global('lower_case_table_names')).toBe(1n);
      r2.resetPersist('max_connections');
      expectError(() => r2.resetPersist('max_connections'), 3615, 'Variable max_connections does not exist in persisted config file');
      expect(r2.resetPersist('max_connections', true)[0]?.code).toBe(3615);
      r2.resetPersist();
      expect(r2.persistedValues()).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('Com_* classification', () => {
  it(req(['CORE-SYSVAR-013'], 'unit', 'statement texts map to their Com_ counters'), () => {
    const cases: Array<[string, string | null]> = [
      ['SELECT 1', 'Com_select'],
      ['  /* c */ select 1', 'Com_select'],
      ['INSERT INTO t VALUES (1)', 'Com_insert'],
      ['insert into t select * from u', 'Com_insert_select'],
      ['SHOW GLOBAL VARIABLES', 'Com_show_variables'],
      ['SHOW FULL TABLES', 'Com_show_tables'],
      ['CREATE TEMPORARY TABLE t (a int)', 'Com_create_table'],
      ['DROP DATABASE d', 'Com_drop_db'],
      ['CREATE UNIQUE INDEX i ON t (a)', 'Com_create_index'],
      ['START TRANSACTION', 'Com_begin'],
      ['SET NAMES utf8mb4', 'Com_set_option'],
      ['DO 1', null],
    ];
    for (const [sql, want] of cases) expect([sql, comCounterFor(sql)]).toEqual([sql, want]);
  });
});

describe('coupled variables', () => {
  it(req(['CORE-SYSVAR-014'], 'unit', 'character sets and collations follow each other; super_read_only implies read_only'), () => {
    const r = SysVarRegistry.withCoreVariables();
    const s = r.newSessionVars();
    s.set('collation_connection', 'latin1_bin');
    expect([s.get('character_set_connection'), s.get('collation_connection')]).toEqual(['latin1', 'latin1_bin']);
    s.set('character_set_connection', 'utf8');
    expect([s.get('character_set_connection'), s.get('collation_connection')]).toEqual(['utf8mb3', 'utf8mb3_general_ci']);
    r.setFromOption('character_set_server', 'latin1');
    expect(r.global('collation_server')).toBe('latin1_swedish_ci');
    r.setGlobal('super_read_only', 1n);
    expect(r.global('read_only')).toBe(1n);
    r.setGlobal('read_only', 0n);
    expect(r.global('super_read_only')).toBe(0n);
  });
});

describe('SHOW VARIABLES / SHOW STATUS rows', () => {
  it(req(['CORE-SYSVAR-012'], 'unit', 'SHOW VARIABLES LIKE filters, shows ON/OFF and session values'), () => {
    const r = SysVarRegistry.withCoreVariables();
    const s = r.newSessionVars();
    s.set('autocommit', 0n);
    expect(showVariables(r, s, 'session', 'autocommit')).toEqual([['autocommit', 'OFF']]);
    expect(showVariables(r, s, 'global', 'AUTOCOMMIT')).toEqual([['autocommit', 'ON']]);
    const rows = showVariables(r, s, 'session', 'max\\_heap%');
    expect(rows).toEqual([['max_heap_table_size', '16777216']]);
    expect(showVariables(r, s, 'global', 'warning_count')).toEqual([]);
    expect(showVariables(r, s, 'session', 'ssl_ca')).toEqual([['ssl_ca', '']]);
    const all = showVariables(r, s, 'session');
    const names = all.map((x) => x[0] as string);
    expect([...names].sort()).toEqual(names);
  });

  it(req(['CORE-SYSVAR-013'], 'unit', 'SHOW STATUS lists counters, session and global'), () => {
    const st = new StatusRegistry();
    const a = st.newSession();
    const b = st.newSession();
    a.add('Com_select');
    b.add('com_select', 2);
    st.add('Connections', 3);
    st.gauge('Threads_connected', () => 2n);
    expect(showStatus(st, a, 'session', 'Com_select')).toEqual([['Com_select', '1']]);
    expect(showStatus(st, a, 'global', 'Com_select')).toEqual([['Com_select', '3']]);
    expect(showStatus(st, a, 'global', 'Connections')).toEqual([['Connections', '3']]);
    expect(showStatus(st, a, 'global', 'Threads_connected')).toEqual([['Threads_connected', '2']]);
    expect(showStatus(st, null, 'global', 'Uptime')).toHaveLength(1);
    a.setText('Ssl_cipher', 'TLS_AES_256_GCM_SHA384');
    expect(showStatus(st, a, 'session', 'Ssl_cipher')).toEqual([['Ssl_cipher', 'TLS_AES_256_GCM_SHA384']]);
  });
});

describe('property: SET never throws anything but SqlError', () => {
  it(req(['CORE-SYSVAR-003', 'CORE-SYSVAR-004', 'CORE-SYSVAR-005', 'CORE-SYSVAR-006'], 'unit', 'random values for random variables: SqlError or an in-range value'), async () => {
    const fc = (await import('fast-check')).default;
    const r = SysVarRegistry.withCoreVariables();
    const names = r.definitions().map((d) => d.name);
    const value = fc.oneof(
      fc.constant(null),
      fc.bigInt({ min: -(1n << 70n), max: 1n << 70n }),
      fc.double({ noNaN: false }),
      fc.string(),
      fc.constantFrom('ON', 'off', 'ANSI', 'TRADITIONAL,ANSI_QUOTES', 'READ-COMMITTED', 'utf8mb4', 'SYSTEM', '+05:30', ''),
      fc.uint8Array({ maxLength: 8 }).map((a) => Buffer.from(a)),
    );
    fc.assert(
      fc.property(fc.constantFrom(...names), value, fc.boolean(), (name, v, global) => {
        const s = r.newSessionVars();
        try {
          if (global) r.setGlobal(name, v);
          else s.set(name, v);
        } catch (err) {
          if (!(err instanceof SqlError)) throw err;
          return;
        }
        const d = r.lookup(name)!;
        const stored = global ? r.global(name) : s.get(name);
        if (d.type.kind === 'integer') {
          expect(typeof stored).toBe('bigint');
          expect((stored as bigint) >= d.type.min && (stored as bigint) <= d.type.max).toBe(true);
        }
        if (d.type.kind === 'boolean') expect([0n, 1n]).toContain(stored);
        if (d.type.kind === 'enum') expect(d.type.values).toContain(stored);
        if (d.type.kind === 'double') expect(typeof stored === 'number' && stored >= d.type.min && stored <= d.type.max).toBe(true);
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 500) },
    );
  });
});
