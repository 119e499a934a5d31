import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { req } from '../../helpers/req.js';
import { SysVarRegistry } from '../../../src/server/sysvars/index.js';
import { OptionError, applyOptionSettings, parseCommandLine, parseServerOptions } from '../../../src/server/options.js';
import { OptionFileError, parseOptionText } from '../../../src/server/option-file.js';

function withDir<T>(fn: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'refmysql-opt-'));
  try {
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function applied(argv: string[], home = '/nonexistent'): SysVarRegistry {
  const r = SysVarRegistry.withCoreVariables();
  const o = parseServerOptions(argv, r, { cwd: '/tmp', home });
  applyOptionSettings(r, o.settings, () => undefined);
  return r;
}

function optionError(fn: () => unknown): OptionError {
  try {
    fn();
  } catch (err) {
    if (err instanceof OptionError) return err;
    throw err;
  }
  throw new Error('expected OptionError');
}

describe('command line', () => {
  it(req(['CORE-SRV-003'], 'unit', '--name=value, --name value, dashes and underscores'), () => {
    const r = applied(['--no-defaults', '--max-connections=20', '--wait_timeout', '99', '--port', '3307', '-P3308']);
    expect(r.global('max_connections')).toBe(20n);
    expect(r.global('wait_timeout')).toBe(99n);
    expect(r.global('port')).toBe(3308n);
  });

  it(req(['CORE-SRV-003'], 'unit', '--skip-, --disable-, --enable- prefixes and bare booleans'), () => {
    const r = applied(['--no-defaults', '--skip-autocommit', '--disable-foreign-key-checks', '--enable-local-infile', '--read-only', '--skip-name-resolve']);
    expect(r.global('autocommit')).toBe(0n);
    expect(r.global('foreign_key_checks')).toBe(0n);
    expect(r.global('local_infile')).toBe(1n);
    expect(r.global('read_only')).toBe(1n);
    expect(r.global('skip_name_resolve')).toBe(1n);
  });

  it(req(['CORE-SRV-003', 'CORE-SYSVAR-004'], 'unit', 'out-of-range option values are adjusted with a warning'), () => {
    const r = SysVarRegistry.withCoreVariables();
    const o = parseServerOptions(['--no-defaults', '--max-connections=0', '--max_heap_table_size=1000'], r, { cwd: '/tmp' });
    const warnings: string[] = [];
    applyOptionSettings(r, o.settings, (code, message) => warnings.push(`${code} ${message}`));
    expect(warnings).toEqual([
      "MY-000139 option 'max_connections': unsigned value 0 adjusted to 1.",
      "MY-000139 option 'max_heap_table_size': unsigned value 1000 adjusted to 16384.",
    ]);
  });

  it(req(['CORE-SRV-003'], 'unit', 'size suffixes K, M, G on integer options'), () => {
    const r = applied(['--no-defaults', '--max-allowed-packet=16M', '--max_heap_table_size=64K']);
    expect(r.global('max_allowed_packet')).toBe(16777216n);
    expect(r.global('max_heap_table_size')).toBe(65536n);
  });

  it(req(['CORE-SRV-004'], 'unit', 'unknown variables abort with MY-000067; --loose- ignores them'), () => {
    const e = optionError(() => applied(['--no-defaults', '--frobnicate=3']));
    expect(e.code).toBe('MY-000067');
    expect(e.message).toBe("unknown variable 'frobnicate=3'.");
    const e2 = optionError(() => applied(['--no-defaults', '--frobnicate']));
    expect(e2.message).toBe("unknown option '--frobnicate'.");
    expect(applied(['--no-defaults', '--loose-frobnicate=3']).global('port')).toBe(3306n);
    // Session-only and internal variables are not options.
    expect(optionError(() => applied(['--no-defaults', '--warning-count=3'])).code).toBe('MY-000067');
  });

  it(req(['CORE-SRV-004'], 'unit', 'bad option values abort with MY-000077'), () => {
    const e = optionError(() => applied(['--no-defaults', '--port=abc']));
    expect(e.code).toBe('MY-000077');
    expect(e.message).toBe("Error while setting value 'abc' to 'port'.");
    expect(optionError(() => applied(['--no-defaults', '--sql-mode=NOPE'])).code).toBe('MY-000077');
  });

  it(req(['CORE-SRV-003'], 'unit', 'server-only options: --initialize, --initialize-insecure, --help, --version, --datadir'), () => {
    const r = SysVarRegistry.withCoreVariables();
    expect(parseServerOptions(['--no-defaults', '--initialize'], r, { cwd: '/x' }).initialize).toBe('secure');
    expect(parseServerOptions(['--no-defaults', '--initialize-insecure'], r, { cwd: '/x' }).initialize).toBe('insecure');
    expect(parseServerOptions(['--no-defaults', '--help'], r, { cwd: '/x' }).help).toBe(true);
    expect(parseServerOptions(['--no-defaults', '-V'], r, { cwd: '/x' }).version).toBe(true);
    expect(parseServerOptions(['--no-defaults'], r, { cwd: '/x' }).datadir).toBe('/x/data');
    expect(parseServerOptions(['--no-defaults', '--datadir=d2'], r, { cwd: '/x' }).datadir).toBe('/x/d2');
    expect(parseCommandLine(['--loose-skip-foo'], r)[0]).toMatchObject({ name: 'foo', value: 'OFF', loose: true });
  });
});

describe('option files', () => {
  it(req(['CORE-SRV-002'], 'unit', '[mysqld] and [server] groups, comments, quotes, other groups ignored'), () => {
    const text = [
      '# comment',
      '; another',
      '[client]',
      'port=1',
      '[mysqld]',
      'port = 3310   # trailing comment',
      'max-connections=42',
      "init_connect = 'SET @a = \"x\" # not a comment'",
      'skip-name-resolve',
      '[server]',
      'wait_timeout=77',
      '[mariadb]',
      'aria_pagecache_buffer_size=1',
    ].join('\n');
    const entries = parseOptionText(text, '/etc/x.cnf', ['mysqld', 'server']);
    expect(entries.map((e) => [e.name, e.value])).toEqual([
      ['port', '3310'],
      ['max-connections', '42'],
      ['init_connect', 'SET @a = "x" # not a comment'],
      ['skip-name-resolve', null],
      ['wait_timeout', '77'],
    ]);
  });

  it(req(['CORE-SRV-002'], 'unit', 'escapes in values'), () => {
    const e = parseOptionText('[mysqld]\ninit_connect="a\\tb\\\\c\\sd"\n', 'f', ['mysqld']);
    expect(e[0]?.value).toBe('a\tb\\c d');
  });

  it(req(['CORE-SRV-002'], 'unit', 'malformed files give OptionFileError with file and line'), () => {
    expect(() => parseOptionText('port=1\n', 'f.cnf', ['mysqld'])).toThrow(
      new OptionFileError('Found option without preceding group in config file f.cnf at line 1.', 'f.cnf', 1),
    );
    expect(() => parseOptionText('[mysqld\n', 'f.cnf', ['mysqld'])).toThrow(OptionFileError);
    expect(() => parseOptionText('[mysqld]\n!bogus x\n', 'f.cnf', ['mysqld'])).toThrow(OptionFileError);
    expect(() => parseOptionText("[mysqld]\na='x\n", 'f.cnf', ['mysqld'])).toThrow(OptionFileError);
  });

  it(req(['CORE-SRV-002'], 'unit', '--defaults-group-suffix reads the suffixed groups; fileArguments lists file settings'), () => {
    withDir((dir) => {
      writeFileSync(join(dir, 'my.cnf'), '[mysqld]\nport=3400\n[mysqld_two]\nport=3402\n[server_two]\nwait_timeout=5\n');
      const r = SysVarRegistry.withCoreVariables();
      const o = parseServerOptions([`--defaults-file=${join(dir, 'my.cnf')}`, '--defaults-group-suffix=_two'], r, { cwd: dir });
      applyOptionSettings(r, o.settings, () => undefined);
      expect(r.global('port')).toBe(3402n);
      expect(r.global('wait_timeout')).toBe(5n);
      expect(o.fileArguments).toEqual(['--port=3400', '--port=3402', '--wait_timeout=5']);
    });
  });

  it(req(['CORE-SRV-002'], 'unit', '!include and !includedir'), () => {
    withDir((dir) => {
      mkdirSync(join(dir, 'conf.d'));
      writeFileSync(join(dir, 'conf.d', 'a.cnf'), '[mysqld]\nwait_timeout=11\n');
      writeFileSync(join(dir, 'conf.d', 'ignored.txt'), '[mysqld]\nwait_timeout=12\n');
      writeFileSync(join(dir, 'inc.cnf'), '[mysqld]\nport=3999\n');
      writeFileSync(join(dir, 'my.cnf'), `[mysqld]\nmax_connections=9\n!include ${join(dir, 'inc.cnf')}\n!includedir conf.d\n`);
      const r = applied(['--defaults-file=' + join(dir, 'my.cnf')]);
      expect(r.global('max_connections')).toBe(9n);
      expect(r.global('port')).toBe(3999n);
      expect(r.global('wait_timeout')).toBe(11n);
    });
  });

  it(req(['CORE-SRV-002'], 'unit', '--defaults-file reads only that file; command line wins; --no-defaults reads none'), () => {
    withDir((dir) => {
      writeFileSync(join(dir, '.refmysql.cnf'), '[mysqld]\nmax_connections=5\n');
      writeFileSync(join(dir, 'only.cnf'), '[mysqld]\nwait_timeout=7\nport=4000\n');
      const r1 = applied([], dir);
      expect(r1.global('max_connections')).toBe(5n);
      const r2 = applied([`--defaults-file=${join(dir, 'only.cnf')}`, '--port=4001'], dir);
      expect(r2.global('max_connections')).toBe(151n);
      expect(r2.global('wait_timeout')).toBe(7n);
      expect(r2.global('port')).toBe(4001n);
      const r3 = applied(['--no-defaults'], dir);
      expect(r3.global('max_connections')).toBe(151n);
      writeFileSync(join(dir, 'extra.cnf'), '[mysqld]\nmax_connections=6\n');
      const r4 = applied([`--defaults-extra-file=${join(dir, 'extra.cnf')}`], dir);
      expect(r4.global('max_connections')).toBe(6n);
      expect(optionError(() => applied([`--defaults-file=${join(dir, 'missing.cnf')}`], dir)).message).toContain('Could not open required defaults file');
      writeFileSync(join(dir, 'bad.cnf'), '[mysqld]\nno_such_thing=1\n');
      expect(optionError(() => applied([`--defaults-file=${join(dir, 'bad.cnf')}`], dir)).message).toBe("unknown variable 'no_such_thing=1'.");
    });
  });

  it(req(['CORE-SRV-002'], 'unit', 'property: random option-file text never throws anything but OptionFileError'), () => {
    const line = fc.oneof(
      fc.string(),
      fc.constantFrom('[mysqld]', '[server]', '[client]', '#c', ';c', '!include /nonexistent/x.cnf', '!includedir /nonexistent', 'a=b', "a='b", 'a="b"  x', '[', ']', '='),
      fc.tuple(fc.string(), fc.string()).map(([a, b]) => `${a}=${b}`),
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 20 }), (lines) => {
        try {
          parseOptionText(lines.join('\n'), '/tmp/prop.cnf', ['mysqld', 'server']);
        } catch (err) {
          if (!(err instanceof OptionFileError)) throw err;
        }
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 300) },
    );
  });
});
