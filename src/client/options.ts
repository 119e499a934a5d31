/**
 * Command-line options of `refmysql`, parsed the way mysql's option handling does: long
 * options as `--name=value` or `--name value` (dashes and underscores interchangeable), short
 * options as `-hHOST` or `-h HOST`, and the password as the one optional-value option
 * (`-pSECRET` or `--password=SECRET`; a bare `-p` / `--password` means "prompt for it").
 * The first positional argument names the default database.
 *
 * Option files are not read (the client takes everything from its command line); `--no-defaults`
 * is accepted for compatibility.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/mysql-command-options.html
 * @req CLIENT-001 CLIENT-014 CLIENT-016 NETNS-045
 */
import type { SslMode } from './connection.js';
import { DEFAULT_PORT, MAX_CONNECT_TIMEOUT_S } from './limits.js';

export type Protocol = 'TCP' | 'SOCKET';

export interface ClientOptions {
  host?: string;
  port: number;
  user?: string;
  /** undefined: none given; null: prompt on the terminal. */
  password?: string | null;
  database?: string;
  execute?: string;
  socket?: string;
  protocol?: Protocol;
  batch: boolean;
  columnNames: boolean;
  table: boolean;
  silent: number;
  vertical: boolean;
  force: boolean;
  connectTimeout: number;
  networkNamespace?: string;
  sslMode: SslMode;
  getServerPublicKey: boolean;
  /** refmysql extension: run the interactive loop even when stdin is not a terminal. */
  interactive: boolean;
  help: boolean;
  version: boolean;
}

/** A command-line mistake: printed as `refmysql: [ERROR] ...`, exit code 7 as mysql's handle_options. */
export class OptionError extends Error {
  readonly exitCode = 7;
}

type Kind = 'flag' | 'value' | 'optional';
interface Spec {
  kind: Kind;
  short?: string;
  apply(o: ClientOptions, v: string | undefined): void;
}

function intValue(name: string, v: string, min: number, max: number): number {
  if (!/^\d+$/.test(v)) throw new OptionError(`refmysql: [ERROR] Invalid integer value '${v}' for option '${name}'.`);
  return Math.min(max, Math.max(min, Number(v)));
}

/** `--foo=0|1|ON|OFF|TRUE|FALSE` for flags given a value. */
function boolValue(name: string, v: string | undefined): boolean {
  if (v === undefined) return true;
  const t = v.toLowerCase();
  if (t === '1' || t === 'on' || t === 'true') return true;
  if (t === '0' || t === 'off' || t === 'false') return false;
  throw new OptionError(`refmysql: [ERROR] option '--${name}' requires a boolean value, got '${v}'.`);
}

const SPECS: Record<string, Spec> = {
  host: { kind: 'value', short: 'h', apply: (o, v) => (o.host = v) },
  port: { kind: 'value', short: 'P', apply: (o, v) => (o.port = intValue('port', v!, 0, 65535)) },
  user: { kind: 'value', short: 'u', apply: (o, v) => (o.user = v) },
  password: { kind: 'optional', short: 'p', apply: (o, v) => (o.password = v ?? null) },
  database: { kind: 'value', short: 'D', apply: (o, v) => (o.database = v) },
  execute: { kind: 'value', short: 'e', apply: (o, v) => (o.execute = v) },
  socket: { kind: 'value', short: 'S', apply: (o, v) => (o.socket = v) },
  protocol: {
    kind: 'value',
    apply: (o, v) => {
      const p = v!.toUpperCase();
      if (p !== 'TCP' && p !== 'SOCKET') throw new OptionError(`refmysql: [ERROR] Unknown or unsupported protocol '${v}'.`);
      o.protocol = p;
    },
  },
  batch: { kind: 'flag', short: 'B', apply: (o) => (o.batch = true) },
  'skip-column-names': { kind: 'flag', short: 'N', apply: (o) => (o.columnNames = false) },
  'column-names': { kind: 'flag', apply: (o, v) => (o.columnNames = boolValue('column-names', v)) },
  table: { kind: 'flag', short: 't', apply: (o) => (o.table = true) },
  silent: { kind: 'flag', short: 's', apply: (o) => (o.silent += 1) },
  vertical: { kind: 'flag', short: 'E', apply: (o) => (o.vertical = true) },
  force: { kind: 'flag', short: 'f', apply: (o) => (o.force = true) },
  'connect-timeout': { kind: 'value', apply: (o, v) => (o.connectTimeout = intValue('connect-timeout', v!, 0, MAX_CONNECT_TIMEOUT_S)) },
  'network-namespace': { kind: 'value', apply: (o, v) => (o.networkNamespace = v) },
  'ssl-mode': {
    kind: 'value',
    apply: (o, v) => {
      const m = v!.toUpperCase();
      if (m !== 'DISABLED' && m !== 'PREFERRED' && m !== 'REQUIRED') throw new OptionError(`refmysql: [ERROR] Unknown or unsupported value '${v}' for option '--ssl-mode'.`);
      o.sslMode = m;
    },
  },
  ssl: { kind: 'flag', apply: (o, v) => (o.sslMode = boolValue('ssl', v) ? 'PREFERRED' : 'DISABLED') },
  'get-server-public-key': { kind: 'flag', apply: (o, v) => (o.getServerPublicKey = boolValue('get-server-public-key', v)) },
  interactive: { kind: 'flag', apply: (o) => (o.interactive = true) },
  'no-defaults': { kind: 'flag', apply: () => undefined },
  help: { kind: 'flag', short: '?', apply: (o) => (o.help = true) },
  version: { kind: 'flag', short: 'V', apply: (o) => (o.version = true) },
};

const SHORT = new Map<string, string>(Object.entries(SPECS).flatMap(([name, s]) => (s.short ? [[s.short, name] as [string, string]] : [])));
SHORT.set('I', 'help');

export function defaultOptions(): ClientOptions {
  return {
    port: DEFAULT_PORT,
    batch: false,
    columnNames: true,
    table: false,
    silent: 0,
    vertical: false,
    force: false,
    connectTimeout: 0,
    sslMode: 'PREFERRED',
    getServerPublicKey: false,
    interactive: false,
    help: false,
    version: false,
  };
}

/** Parse argv (without node and the script). @req CLIENT-001 CLIENT-014 */
export function parseOptions(argv: readonly string[]): ClientOptions {
  const o = defaultOptions();
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      let name = (eq < 0 ? arg.slice(2) : arg.slice(2, eq)).replace(/_/g, '-');
      let value = eq < 0 ? undefined : arg.slice(eq + 1);
      let spec = SPECS[name];
      if (!spec && name.startsWith('skip-') && SPECS[name.slice(5)]?.kind === 'flag' && value === undefined) {
        // --skip-X turns a boolean option off.
        name = name.slice(5);
        spec = SPECS[name];
        value = '0';
        if (name === 'silent' || name === 'batch' || name === 'table' || name === 'vertical' || name === 'force') {
          const key = name;
          spec = { kind: 'flag', apply: (opts) => resetFlag(opts, key) };
        }
      }
      if (!spec) throw new OptionError(`refmysql: [ERROR] unknown option '--${name}'.`);
      if (spec.kind === 'value' && value === undefined) {
        if (i + 1 >= argv.length) throw new OptionError(`refmysql: [ERROR] option '--${name}' requires an argument.`);
        value = argv[++i]!;
      }
      spec.apply(o, value);
      continue;
    }
    if (arg.startsWith('-') && arg.length > 1) {
      // A cluster of short options: -BN, -uroot, -pSECRET, -e "..."
      for (let k = 1; k < arg.length; k++) {
        const ch = arg[k]!;
        const name = SHORT.get(ch);
        if (!name) throw new OptionError(`refmysql: [ERROR] unknown option '-${ch}'.`);
        const spec = SPECS[name]!;
        if (spec.kind === 'flag') {
          spec.apply(o, undefined);
          continue;
        }
        const rest = arg.slice(k + 1);
        if (spec.kind === 'optional') spec.apply(o, rest === '' ? undefined : rest);
        else if (rest !== '') spec.apply(o, rest);
        else {
          if (i + 1 >= argv.length) throw new OptionError(`refmysql: [ERROR] option '-${ch}' requires an argument.`);
          spec.apply(o, argv[++i]!);
        }
        break;
      }
      continue;
    }
    positional.push(arg);
  }
  if (positional.length > 0 && o.database === undefined) o.database = positional[0];
  return o;
}

function resetFlag(o: ClientOptions, name: string): void {
  if (name === 'silent') o.silent = 0;
  else if (name === 'batch') o.batch = false;
  else if (name === 'table') o.table = false;
  else if (name === 'vertical') o.vertical = false;
  else if (name === 'force') o.force = false;
}

/** --help text. @req CLIENT-014 */
export function helpText(version: string): string {
  return `refmysql  Ver ${version}
A MySQL command-line client (the refmysql reference implementation).

Usage: refmysql [OPTIONS] [database]
  -?, --help             Show this text and exit.
  -B, --batch            Tab-separated results, one row per line, no summaries.
  --column-names         Print a header line of column names (the default).
  --connect-timeout=#    Give up connecting after this many seconds (0: no limit).
  -D, --database=name    Default database for the session.
  -e, --execute=name     Run these statements, print their results and exit.
  -f, --force            Keep going after a failing statement.
  --get-server-public-key
                         Fetch the server's RSA key when caching_sha2_password needs it.
  -h, --host=name        Server host (localhost means TCP 127.0.0.1 unless -S).
  --interactive          Prompt and print summaries even when stdin is not a terminal.
  --network-namespace=name
                         Make the TCP connection from inside this network namespace.
  -N, --skip-column-names
                         Leave out the header line.
  -p, --password[=name]  Password; without a value it is read from the terminal.
  -P, --port=#           TCP port (default 3306).
  --protocol=name        Transport: tcp or socket.
  -s, --silent           Quieter output; tab-separated results (twice: no header).
  -S, --socket=name      Unix socket path.
  --ssl-mode=name        TLS: DISABLED, PREFERRED (default) or REQUIRED.
  -t, --table            Bordered table output, also in batch mode.
  -u, --user=name        Account name (default: your login name).
  -V, --version          Show the version and exit.
  -E, --vertical         One line per column for every row.
`;
}
