/**
 * refmysqld's command line and option files.
 *
 * Command line: `--name=value`, `--name value` (for options that take a value), `--skip-name`,
 * `--enable-name`, `--disable-name`, `--loose-name...` (ignored when unknown), `-h dir`/`-P port`
 * short forms, with '-' and '_' interchangeable in names.
 *
 * Option files: `--no-defaults`, `--defaults-file=F` (only F), `--defaults-extra-file=F` (after the
 * defaults). Groups read: [mysqld], [server], [mysqld-8.0], [refmysqld].
 *
 * Decision: the default search list is `/etc/refmysql/my.cnf` then `~/.refmysql.cnf` (only files
 * that exist), not MySQL's `/etc/my.cnf`, `/etc/mysql/my.cnf`, `~/.my.cnf`: on the machines this
 * project runs on, those files belong to the MariaDB peer and carry MariaDB-only options that
 * would abort a MySQL-8.0-like server.
 *
 * Every setting that names a system variable sets its global value at startup; an unknown one
 * aborts startup like mysqld (`unknown variable 'x=y'`), unless given with `--loose-`.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/command-line-options.html
 * @req CORE-SRV-002 CORE-SRV-003 CORE-SRV-004
 */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { SqlError, type Diagnostic } from '../kernel/errors.js';
import { normalizeVarName, type SysVarRegistry } from './sysvars/registry.js';
import { readOptionFile, OptionFileError } from './option-file.js';
import type { PluginLoadOption } from '../plugins/plugin-load.js';

/** A startup problem; `code` is the error-log code, `message` the log text. */
export class OptionError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'OptionError';
  }
}

/** One `name[=value]` from the command line or an option file. */
export interface OptionSetting {
  /** Normalised name (lower case, underscores, prefixes removed). */
  name: string;
  /** null for a bare `--name`. */
  value: string | null;
  /** `--loose-`: silently ignored when the option is unknown. */
  loose: boolean;
  /** Where it came from: 'command line' or `file:line`. */
  source: string;
  /** The text as written (for messages). */
  written: string;
}

/** Options that are not system variables: they steer startup itself. */
const SERVER_ONLY_OPTIONS: Readonly<Record<string, 'flag' | 'value'>> = {
  initialize: 'flag',
  initialize_insecure: 'flag',
  help: 'flag',
  version: 'flag',
  verbose: 'flag',
  console: 'flag',
  no_defaults: 'flag',
  defaults_file: 'value',
  defaults_extra_file: 'value',
  defaults_group_suffix: 'value',
  user: 'value',
  validate_config: 'flag',
  print_defaults: 'flag',
  // The X Plugin's load option (--mysqlx=OFF, --skip-mysqlx): whether its listener starts. NETNS-039
  mysqlx: 'flag',
  // The FEDERATED engine's load option (--federated, --federated=ON, --skip-federated): compiled
  // in, enabled only when asked. FEDERATED-003
  federated: 'flag',
  // Plugins to load at startup ([name=]library;...); GRALLOW-001 (group_replication.so).
  plugin_load: 'value',
  plugin_load_add: 'value',
  // The transaction-coordinator log's file and size (CORE-TXN-033).
  log_tc: 'value',
  log_tc_size: 'value',
};

/** Short options mysqld accepts. */
const SHORT_OPTIONS: Readonly<Record<string, string>> = {
  h: 'datadir',
  P: 'port',
  u: 'user',
  b: 'basedir',
  V: 'version',
  '?': 'help',
  v: 'verbose',
};

/** The option groups refmysqld reads. */
export const OPTION_GROUPS: readonly string[] = ['mysqld', 'server', 'mysqld-8.0', 'refmysqld'];

/** Default option files, in reading order. */
export function defaultOptionFiles(home: string = homedir()): string[] {
  return ['/etc/refmysql/my.cnf', join(home, '.refmysql.cnf')];
}

/** What startup needs to know after parsing. */
export interface ServerOptions {
  help: boolean;
  version: boolean;
  verbose: boolean;
  initialize: 'none' | 'secure' | 'insecure';
  /** Absolute data directory. */
  datadir: string;
  /** All variable settings: option files first, then the command line (later wins). */
  settings: OptionSetting[];
  /** Option files that were read. */
  optionFiles: string[];
  /** The server-only option values (user, defaults_file, ...). */
  serverOnly: Map<string, string | null>;
  /** The settings read from option files, as `--name=value` arguments (for --print-defaults). */
  fileArguments: string[];
  /** --plugin-load / --plugin-load-add in order (a later --plugin-load replaces the list). */
  pluginLoad: PluginLoadOption[];
}

function splitNameValue(text: string): { name: string; value: string | null } {
  const eq = text.indexOf('=');
  return eq >= 0 ? { name: text.slice(0, eq), value: text.slice(eq + 1) } : { name: text, value: null };
}

/**
 * Turn prefixes into plain settings: `skip-x` -> x=OFF, `disable-x` -> x=OFF, `enable-x` -> x=ON,
 * `loose-x` -> loose. Names are normalised.
 * @req CORE-SRV-003
 */
export function normalizeSetting(rawName: string, value: string | null, source: string, written: string): OptionSetting {
  let name = normalizeVarName(rawName.trim());
  let loose = false;
  let v = value;
  if (name.startsWith('loose_')) {
    loose = true;
    name = name.slice(6);
  }
  for (const [prefix, forced] of [
    ['skip_', 'OFF'],
    ['disable_', 'OFF'],
    ['enable_', 'ON'],
  ] as const) {
    // skip_name_resolve / skip_networking are variables in their own right; keep them.
    if (name.startsWith(prefix) && !KEEP_PREFIXED.has(name)) {
      name = name.slice(prefix.length);
      v = forced;
      break;
    }
  }
  return { name, value: v, loose, source, written };
}

/** Names that begin with a prefix but are options on their own. */
const KEEP_PREFIXED = new Set(['skip_name_resolve', 'skip_networking', 'skip_external_locking', 'skip_show_database', 'skip_grant_tables']);

/**
 * Parse the command line (argv without node and the script) into settings, resolving
 * `--name value` using the registry to know which options take a value.
 * @req CORE-SRV-003
 */
export function parseCommandLine(argv: readonly string[], registry: SysVarRegistry): OptionSetting[] {
  const out: OptionSetting[] = [];
  const takesValue = (name: string): boolean => {
    const n = normalizeSetting(name, null, '', '').name;
    const so = SERVER_ONLY_OPTIONS[n];
    if (so) return so === 'value';
    const d = registry.lookup(n);
    return d !== undefined && d.type.kind !== 'boolean' && !/^(skip|disable|enable)[-_]/.test(name.replace(/^loose[-_]/, ''));
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg.startsWith('--')) {
      const { name, value } = splitNameValue(arg.slice(2));
      let v = value;
      if (v === null && takesValue(name) && i + 1 < argv.length && !argv[i + 1]!.startsWith('-')) {
        v = argv[++i]!;
      }
      out.push(normalizeSetting(name, v, 'command line', arg.slice(2)));
    } else if (arg.startsWith('-') && arg.length >= 2) {
      const letter = arg[1]!;
      const long = SHORT_OPTIONS[letter];
      if (!long) throw new OptionError('MY-000068', `unknown option '${arg}'.`);
      let v: string | null = arg.length > 2 ? arg.slice(2) : null;
      if (v === null && takesValue(long) && i + 1 < argv.length) v = argv[++i]!;
      out.push(normalizeSetting(long, v, 'command line', long + (v === null ? '' : '=' + v)));
    } else {
      throw new OptionError('MY-000068', `Too many arguments (first extra is '${arg}').`);
    }
  }
  return out;
}

/**
 * Parse argv plus option files into {@link ServerOptions} (nothing is applied yet).
 * @req CORE-SRV-002 CORE-SRV-003
 */
export function parseServerOptions(argv: readonly string[], registry: SysVarRegistry, opts: { cwd?: string; home?: string } = {}): ServerOptions {
  const cwd = opts.cwd ?? process.cwd();
  const cmd = parseCommandLine(argv, registry);
  const flag = (n: string): boolean => cmd.some((s) => s.name === n && s.value !== 'OFF' && s.value !== '0');
  const last = (n: string): string | null | undefined => {
    for (let i = cmd.length - 1; i >= 0; i--) if (cmd[i]!.name === n) return cmd[i]!.value;
    return undefined;
  };
  const files: string[] = [];
  if (!flag('no_defaults')) {
    const df = last('defaults_file');
    if (df !== undefined && df !== null) {
      const path = resolve(cwd, df);
      if (!existsSync(path)) throw new OptionError('MY-010338', `Could not open required defaults file: ${path}`);
      files.push(path);
    } else {
      for (const f of defaultOptionFiles(opts.home)) if (existsSync(f)) files.push(f);
      const extra = last('defaults_extra_file');
      if (extra !== undefined && extra !== null) {
        const path = resolve(cwd, extra);
        if (!existsSync(path)) throw new OptionError('MY-010338', `Could not open required defaults file: ${path}`);
        files.push(path);
      }
    }
  }
  const fromFiles: OptionSetting[] = [];
  // --defaults-group-suffix=S also reads [mysqldS], [serverS], ...
  const suffix = last('defaults_group_suffix');
  const groups = suffix ? [...OPTION_GROUPS, ...OPTION_GROUPS.map((g) => g + suffix)] : OPTION_GROUPS;
  for (const f of files) {
    let entries;
    try {
      entries = readOptionFile(f, groups);
    } catch (err) {
      if (err instanceof OptionFileError) throw new OptionError('MY-010337', err.message);
      throw err;
    }
    for (const e of entries) {
      fromFiles.push(normalizeSetting(e.name, e.value, `${e.file}:${e.line}`, e.value === null ? e.name : `${e.name}=${e.value}`));
    }
  }
  const all = [...fromFiles, ...cmd];
  const serverOnly = new Map<string, string | null>();
  const settings: OptionSetting[] = [];
  const pluginLoad: PluginLoadOption[] = [];
  for (const s of all) {
    if (s.name in SERVER_ONLY_OPTIONS) serverOnly.set(s.name, s.value);
    else settings.push(s);
    if (s.name === 'plugin_load' || s.name === 'plugin_load_add') pluginLoad.push({ add: s.name === 'plugin_load_add', value: s.value ?? '' });
  }
  const isOn = (n: string): boolean => {
    if (!serverOnly.has(n)) return false;
    const v = serverOnly.get(n);
    return v === null || !/^(0|off|false)$/i.test(v ?? '');
  };
  let datadir = 'data';
  for (const s of settings) if (s.name === 'datadir' && s.value) datadir = s.value;
  return {
    help: isOn('help'),
    version: isOn('version'),
    verbose: isOn('verbose'),
    initialize: isOn('initialize') ? 'secure' : isOn('initialize_insecure') ? 'insecure' : 'none',
    datadir: resolve(cwd, datadir),
    settings,
    optionFiles: files,
    serverOnly,
    fileArguments: fromFiles.map((x) => `--${x.written}`),
    pluginLoad,
  };
}

/**
 * Apply variable settings to the registry's global values. Unknown names abort (unless loose);
 * bad values abort with "Error while setting value"; clamped values are reported as warnings.
 * @req CORE-SRV-004
 */
export function applyOptionSettings(registry: SysVarRegistry, settings: readonly OptionSetting[], warn: (code: string, message: string) => void): void {
  for (const s of settings) {
    const d = registry.lookup(s.name);
    if (!d || d.scope === 'session' || d.commandLine === false) {
      if (s.loose) {
        warn('MY-000067', `unknown variable 'loose_${s.written.replace(/^loose[-_]/, '')}'.`);
        continue;
      }
      if (!s.written.includes('=')) throw new OptionError('MY-000068', `unknown option '--${s.written}'.`);
      throw new OptionError('MY-000067', `unknown variable '${s.written}'.`);
    }
    let warnings: Diagnostic[];
    try {
      warnings = registry.setFromOption(d.name, s.value);
    } catch (err) {
      if (err instanceof SqlError) {
        throw new OptionError('MY-000077', `Error while setting value '${s.value ?? ''}' to '${d.name}'.`);
      }
      throw err;
    }
    for (const w of warnings) {
      if (w.code === 1292) {
        const kind = d.type.kind === 'integer' ? (d.type.unsigned ? 'unsigned value' : 'signed value') : 'value';
        warn('MY-000139', `option '${d.name}': ${kind} ${s.value ?? ''} adjusted to ${String(registry.global(d.name))}.`);
      }
      else warn(`MY-${String(w.code).padStart(6, '0')}`, w.message);
    }
  }
}

/** `refmysqld --help` text. */
export function helpText(program: string, registry: SysVarRegistry): string {
  const lines = [
    `${program}  Ver 8.0.40-refmysql for Linux on x86_64 (refmysql reference server)`,
    '',
    `Usage: ${program} [OPTIONS]`,
    '',
    'Default options are read from the following files in the given order:',
    defaultOptionFiles().join(' '),
    'The following groups are read: ' + OPTION_GROUPS.join(' '),
    '',
    '  --no-defaults           Don\'t read default options from any option file',
    '  --defaults-file=#       Only read default options from the given file #',
    '  --defaults-extra-file=# Read this file after the global files are read',
    '  --initialize            Create the data directory with a random root password',
    '  --initialize-insecure   Create the data directory with an empty root password',
    '  --help, -?              Display this help and exit',
    '  --version, -V           Output version information and exit',
    '',
    'System variables settable as options (--name=value):',
  ];
  for (const d of registry.definitions()) {
    if (d.scope === 'session' || d.commandLine === false) continue;
    lines.push(`  --${d.name.replace(/_/g, '-')}`);
  }
  return lines.join('\n') + '\n';
}
