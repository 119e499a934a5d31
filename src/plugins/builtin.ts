/**
 * The plugins compiled into refmysql and the libraries present in its (virtual) plugin
 * directory. The server composes its registry with {@link createPluginRegistry}.
 *
 * Built in: the MEMORY, InnoDB, BLACKHOLE, ARCHIVE, CSV, MyISAM and MERGE engines, FEDERATED (disabled unless
 * --federated) and the authentication plugins. Loadable: `ha_example.so`
 * (EXAMPLE engine), and `group_replication.so` when the server passes it in `libraries` (its
 * plugin needs the server's variables and error log; see src/group-replication/library.ts).
 * Further engines register here as they are built; until then SHOW ENGINES
 * lists them with Support NO. An engine compiled in but off until a startup option turns it on
 * is registered with `addBuiltin(module, loadOption, { disabled: true })` and enabled with
 * `PluginRegistry.enable` before the engines start.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/plugin-loading.html
 * @req ENGINE-LIST-007 PLUGGABLE-011 CORE-DDL-001 BLACKHOLE-007 ARCHIVE-003 CSV-002 FEDERATED-003 MYISAM-004 MERGE-001
 */
import type { Value } from '../kernel/value.js';
import { CsvEngine } from '../storage/csv/engine.js';
import { ExampleEngine } from '../storage/example/engine.js';
import { MemoryEngine } from '../storage/memory/engine.js';
import { MergeEngine } from '../storage/merge/engine.js';
import { MyisamEngine } from '../storage/myisam/engine.js';
import { BlackholeEngine } from '../storage/blackhole/engine.js';
import { ArchiveEngine } from '../storage/archive/engine.js';
import { InnodbEngine, type EngineLogLevel } from '../storage/innodb/engine.js';
import { FederatedEngine } from '../storage/federated/engine.js';
import { clientRemoteConnector } from '../client/remote-connector.js';
import type { ForeignServerDirectory, RemoteSqlConnector } from '../kernel/remote-sql-port.js';
import { PluginRegistry, type PluginLibrary, type PluginModule } from './registry.js';
import { GROUP_REPLICATION_SONAME } from '../group-replication/library.js';
import { GroupReplicationPlugin } from '../group-replication/plugin.js';
import type { SysVarRegistry } from '../server/sysvars/registry.js';
import type { SysVarDef } from '../server/sysvars/types.js';
import type { PluginLoadItem } from './plugin-load.js';

export interface BuiltinOptions {
  /** Global system variable values (max_heap_table_size for MEMORY tables reopened after restart). */
  globalVar?: (name: string) => Value;
  /** The error log, for engines that write to it (InnoDB's recovery messages). */
  log?: (level: EngineLogLevel, code: string, subsystem: string, message: string) => void;
  /** Unformatted error-log output (InnoDB's deadlock dumps and monitor output, mysqld's stderr). */
  print?: (text: string) => void;
  /** Extra built-in plugins (engines that tests or the server compose in). */
  extra?: PluginModule[];
  /** Extra loadable libraries composed by the server (group_replication.so). */
  libraries?: PluginLibrary[];
  /**
   * FEDERATED: compiled in, enabled only by --federated (FEDERATED-003). `servers` is the
   * CREATE SERVER directory; `connector` replaces the client-protocol connector (tests).
   */
  federated?: { enabled: boolean; servers?: ForeignServerDirectory; connector?: RemoteSqlConnector };
}

const ORACLE = 'Oracle Corporation';

/**
 * The system variables a loadable library's plugins define, so that startup options for them can
 * be applied before the plugin loads (see plugin-load.ts). Checks run again when it loads.
 */
export function libraryVariables(soname: string, registry: SysVarRegistry): SysVarDef[] {
  if (soname === GROUP_REPLICATION_SONAME) {
    return new GroupReplicationPlugin({ registry, log: () => undefined }).variableDefinitions();
  }
  return [];
}

/**
 * Make the variables of the plugins about to be loaded known before startup options are applied
 * (plugin-load.ts explains why).
 */
export function predefinePluginVariables(registry: SysVarRegistry, items: readonly PluginLoadItem[]): void {
  for (const item of items) {
    for (const d of libraryVariables(item.soname, registry)) if (!registry.lookup(d.name)) registry.define(d);
  }
}

export function createPluginRegistry(opts: BuiltinOptions = {}): PluginRegistry {
  const r = new PluginRegistry();
  const auth = (name: string, description: string): PluginModule => ({
    name,
    type: 'AUTHENTICATION',
    description,
    author: ORACLE,
    version: '1.0',
    license: 'GPL',
  });
  r.addBuiltin(auth('mysql_native_password', 'Native MySQL authentication'));
  r.addBuiltin(auth('sha256_password', 'SHA256 password authentication'));
  r.addBuiltin(auth('caching_sha2_password', 'Caching sha2 authentication'));
  r.addBuiltin({
    name: 'MEMORY',
    type: 'STORAGE ENGINE',
    description: 'Hash based, stored in memory, useful for temporary tables',
    author: 'MySQL AB',
    version: '1.0',
    license: 'GPL',
    createEngine: () => new MemoryEngine(opts.globalVar ? { globalVar: opts.globalVar } : {}),
  });
  r.addBuiltin({
    name: 'InnoDB',
    type: 'STORAGE ENGINE',
    description: 'Supports transactions, row-level locking, and foreign keys',
    author: ORACLE,
    version: '8.0',
    license: 'GPL',
    createEngine: () =>
      new InnodbEngine({
        ...(opts.globalVar ? { globalVar: opts.globalVar } : {}),
        ...(opts.log ? { log: (level: EngineLogLevel, code: string, message: string) => opts.log!(level, code, 'InnoDB', message) } : {}),
        ...(opts.print ? { print: opts.print } : {}),
      }),
  });
  r.addBuiltin({
    name: 'MyISAM',
    type: 'STORAGE ENGINE',
    description: 'MyISAM storage engine',
    author: ORACLE,
    version: '1.0',
    license: 'GPL',
    createEngine: () =>
      new MyisamEngine({
        ...(opts.globalVar ? { globalVar: opts.globalVar } : {}),
        ...(opts.log ? { log: (level: EngineLogLevel, code: string, message: string) => opts.log!(level, code, 'Server', message) } : {}),
      }),
  });
  // @req MERGE-001: compiled in, as in MySQL.
  r.addBuiltin({
    name: 'MRG_MYISAM',
    type: 'STORAGE ENGINE',
    description: 'Collection of identical MyISAM tables',
    author: 'MySQL AB',
    version: '1.0',
    license: 'GPL',
    createEngine: () => new MergeEngine(),
  });
  // BLACKHOLE-007: compiled in, so SHOW ENGINES says YES.
  r.addBuiltin({
    name: 'BLACKHOLE',
    type: 'STORAGE ENGINE',
    description: '/dev/null storage engine (anything you write to it disappears)',
    author: 'MySQL AB',
    version: '1.0',
    license: 'GPL',
    createEngine: () => new BlackholeEngine(),
  });
  // @req ARCHIVE-003: compiled in, as in MySQL's binary distributions.
  r.addBuiltin({
    name: 'ARCHIVE',
    type: 'STORAGE ENGINE',
    description: 'Archive storage engine',
    author: 'Brian Aker, MySQL AB',
    version: '3.0',
    license: 'GPL',
    createEngine: () => new ArchiveEngine(),
  });
  // @req CSV-002: compiled in, always available.
  r.addBuiltin({
    name: 'CSV',
    type: 'STORAGE ENGINE',
    description: 'CSV storage engine',
    author: ORACLE,
    version: '1.0',
    license: 'GPL',
    createEngine: () => new CsvEngine(),
  });
  // @req FEDERATED-003: present but disabled unless the server was started with --federated.
  const fed = opts.federated;
  r.addBuiltin(
    {
      name: 'FEDERATED',
      type: 'STORAGE ENGINE',
      description: 'Federated MySQL storage engine',
      author: ORACLE,
      version: '1.0',
      license: 'GPL',
      createEngine: () =>
        new FederatedEngine({ connector: fed?.connector ?? clientRemoteConnector(), ...(fed?.servers ? { servers: fed.servers } : {}) }),
    },
    'ON',
    { disabled: !fed?.enabled },
  );
  for (const m of opts.extra ?? []) r.addBuiltin(m);
  r.addLibrary({
    soname: 'ha_example.so',
    plugins: () => [
      {
        name: 'EXAMPLE',
        type: 'STORAGE ENGINE',
        description: 'Example storage engine',
        author: 'Brian Aker, MySQL AB',
        version: '0.1',
        license: 'GPL',
        createEngine: () => new ExampleEngine(),
      },
    ],
  });
  for (const lib of opts.libraries ?? []) r.addLibrary(lib);
  return r;
}
