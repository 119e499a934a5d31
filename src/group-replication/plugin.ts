/**
 * The group_replication plugin as refmysql provides it: its system variables, and START / STOP
 * GROUP_REPLICATION limited to what the allowlist needs (the member's group-communication
 * listener). Group membership, consensus and the replication of transactions are not part of it.
 *
 * Variables (defined when the plugin loads, removed when it is uninstalled):
 * group_replication_ip_allowlist and group_replication_ip_whitelist (AUTOMATIC; the whitelist
 * name is deprecated and only counts while the allowlist is AUTOMATIC), local_address,
 * group_name, group_seeds, start_on_boot (ON, as in MySQL 8.0) and bootstrap_group.
 *
 * Decisions (spec/18.5.1 front matter): the allowlist cannot be changed while the member is
 * active, with the 8.0.14-8.0.23 error (ER_GROUP_REPLICATION_RUNNING and its own message);
 * malformed entries are refused when set (1231); values given at startup are checked by START.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/group-replication-ip-address-permissions.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/group-replication-system-variables.html
 * @req GRALLOW-001 GRALLOW-002 GRALLOW-004 GRALLOW-006 GRALLOW-007 GRALLOW-012 GRALLOW-013 GRALLOW-018 GRALLOW-021
 * @req GRALLOW-022 GRALLOW-023 GRALLOW-024
 */
import { networkInterfaces } from 'node:os';
import { isIPv4, isIPv6 } from 'node:net';
import { diagnostic, ERRORS, SqlError, sqlError, type Diagnostic } from '../sql/errors.js';
import type { Value } from '../sql/types/value.js';
import type { SysVarDef } from '../server/sysvars/types.js';
import type { SysVarRegistry } from '../server/sysvars/registry.js';
import { AllowlistSyntaxError, isAutomatic, parseAllowlist, stripBlanks, type AllowlistEntry } from './allowlist.js';
import { automaticAllowlist } from './automatic.js';
import { GroupCommunicationListener } from './listener.js';
import { PORT_MAX, UUID_LENGTH } from './limits.js';
import { checkPeer, compileAllowlist, type CompiledAllowlist } from './matcher.js';
import { preferredAddresses, systemNameService, type NameService } from './resolver.js';

export type LogFn = (level: 'System' | 'Error' | 'Warning' | 'Note', code: string, subsystem: string, message: string) => void;

export const ALLOWLIST_VAR = 'group_replication_ip_allowlist';
export const WHITELIST_VAR = 'group_replication_ip_whitelist';
export const GR_VARIABLES = [
  ALLOWLIST_VAR,
  WHITELIST_VAR,
  'group_replication_local_address',
  'group_replication_group_name',
  'group_replication_group_seeds',
  'group_replication_start_on_boot',
  'group_replication_bootstrap_group',
] as const;

/** Error-log codes the plugin writes (MY-0NNNNN). */
const CODE = {
  GCS: 'MY-011735',
  NOT_INSTALLED: 'MY-010381',
  NAME_MANDATORY: 'MY-011685',
  NAME_TOO_LONG: 'MY-011686',
  NAME_NOT_UUID: 'MY-011687',
  STARTING: 'MY-013587',
  STARTED: 'MY-014010',
  STOPPING: 'MY-011650',
  STOPPED: 'MY-011651',
  START_ON_BOOT_FAILED: 'MY-011660',
  UNABLE_INIT_ENGINE: 'MY-011674',
  FAILED_INIT_ENGINE: 'MY-011637',
  FAILED_START_ENGINE: 'MY-011639',
  INIT_WITH_CONF: 'MY-011694',
} as const;

/** A message with an error's number and SQLSTATE but the plugin's own text (my_message). */
function customError(name: keyof typeof ERRORS, text: string): SqlError {
  const spec = ERRORS[name];
  return new SqlError(spec.code, spec.sqlState, text);
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** host:port of group_replication_local_address; IPv6 literals in brackets. null when malformed. */
export function parseLocalAddress(text: string): { host: string; port: number } | null {
  const m = /^\[([^\]]+)\]:(\d+)$/.exec(text) ?? /^([^:\s]+):(\d+)$/.exec(text);
  if (!m) return null;
  const port = Number(m[2]);
  if (!Number.isInteger(port) || port < 1 || port > PORT_MAX) return null;
  return { host: m[1]!, port };
}

/** What START / STOP need from the session running them. */
export interface StatementContext {
  hasPrivilege(priv: string): boolean;
  warn(d: Diagnostic): void;
}

export interface GroupReplicationOptions {
  registry: SysVarRegistry;
  log: LogFn;
  nameService?: NameService;
  interfaces?: typeof networkInterfaces;
}

/** Thrown internally when START fails after logging. */
class StartFailure extends Error {
  constructor(readonly error: SqlError) {
    super(error.message);
  }
}

export class GroupReplicationPlugin {
  private loaded = false;
  private listener: GroupCommunicationListener | null = null;
  private compiled: CompiledAllowlist | null = null;
  private busy = false;
  private readonly ns: NameService;
  private readonly ifaces: typeof networkInterfaces;

  constructor(private readonly opts: GroupReplicationOptions) {
    this.ns = opts.nameService ?? systemNameService;
    this.ifaces = opts.interfaces ?? networkInterfaces;
  }

  /** Whether the member is active (the listener is up). */
  get running(): boolean {
    return this.listener !== null;
  }

  get isLoaded(): boolean {
    return this.loaded;
  }

  /** The listener's port while running (0 otherwise). */
  get port(): number {
    return this.listener?.port ?? 0;
  }

  private plugin(level: 'System' | 'Error' | 'Warning' | 'Note', code: string, text: string): void {
    this.opts.log(level, code, 'Repl', `Plugin group_replication reported: '${text}'`);
  }

  private gcs(level: 'Error' | 'Warning' | 'Note', text: string): void {
    this.plugin(level, CODE.GCS, `[GCS] ${text}`);
  }

  /** The variable definitions, with their checks bound to this plugin's state. */
  variableDefinitions(): SysVarDef[] {
    const str = (name: string, dflt: string | null, validate?: SysVarDef['validate']): SysVarDef => ({
      name,
      scope: 'global',
      dynamic: true,
      type: { kind: 'string' },
      default: dflt,
      nullable: dflt === null,
      ...(validate ? { validate } : {}),
    });
    const bool = (name: string, dflt: boolean): SysVarDef => ({
      name,
      scope: 'global',
      dynamic: true,
      type: { kind: 'boolean' },
      default: dflt ? 1n : 0n,
    });
    return [
      str(ALLOWLIST_VAR, 'AUTOMATIC', (v, ctx, w) => this.checkAllowlist(ALLOWLIST_VAR, v, ctx.startup === true, w)),
      str(WHITELIST_VAR, 'AUTOMATIC', (v, ctx, w) => this.checkAllowlist(WHITELIST_VAR, v, ctx.startup === true, w)),
      str('group_replication_local_address', ''),
      str('group_replication_group_name', null, (v, ctx) => this.checkGroupName(v, ctx.startup === true)),
      str('group_replication_group_seeds', ''),
      bool('group_replication_start_on_boot', true),
      bool('group_replication_bootstrap_group', false),
    ];
  }

  /**
   * SET GLOBAL group_replication_ip_allowlist / _whitelist.
   * @req GRALLOW-007 GRALLOW-008 GRALLOW-021
   */
  private checkAllowlist(name: string, v: Value, startup: boolean, warnings: Diagnostic[]): Value {
    if (startup) return v;
    const text = typeof v === 'string' ? v : String(v);
    if (name === WHITELIST_VAR) warnings.push(diagnostic('Warning', 'ER_WARN_DEPRECATED_SYNTAX', WHITELIST_VAR, ALLOWLIST_VAR));
    this.refuseWhileBusy();
    if (this.running) {
      const word = name === WHITELIST_VAR ? 'whitelist' : 'allowlist';
      throw customError('ER_GROUP_REPLICATION_RUNNING', `The IP ${word} cannot be set while Group Replication is running`);
    }
    try {
      parseAllowlist(text);
    } catch (err) {
      if (!(err instanceof AllowlistSyntaxError)) throw err;
      if (err.reason === 'automatic-mixed') {
        throw customError(
          'ER_GROUP_REPLICATION_CONFIGURATION',
          `The ${name} is invalid. Make sure that when specifying "AUTOMATIC" the list contains no other values.`,
        );
      }
      throw sqlError('ER_WRONG_VALUE_FOR_VAR', name, text);
    }
    return v;
  }

  /** Checked variables cannot change while START or STOP is half-way. */
  private refuseWhileBusy(): void {
    if (this.busy) throw customError('ER_UNABLE_TO_SET_OPTION', 'This option cannot be set while START or STOP GROUP_REPLICATION is ongoing.');
  }

  /** SET GLOBAL group_replication_group_name: a UUID, not while running. */
  private checkGroupName(v: Value, startup: boolean): Value {
    if (startup) return v;
    this.refuseWhileBusy();
    if (this.running) {
      throw customError('ER_GROUP_REPLICATION_RUNNING', 'The group_replication_group_name cannot be changed when Group Replication is running');
    }
    const text = String(v);
    if (text.length > UUID_LENGTH) throw customError('ER_WRONG_VALUE_FOR_VAR', 'The group_replication_group_name is not a valid UUID, its length is too big');
    if (!UUID_RE.test(text)) throw customError('ER_WRONG_VALUE_FOR_VAR', 'The group_replication_group_name is not a valid UUID');
    return v;
  }

  /** Plugin load (INSTALL PLUGIN, --plugin-load-add, mysql.plugin at startup). */
  load(): void {
    if (this.loaded) return;
    this.loaded = true;
    for (const d of this.variableDefinitions()) {
      if (!this.opts.registry.lookup(d.name)) this.opts.registry.define(d);
      else this.opts.registry.setValidator(d.name, d.validate ?? ((x) => x));
    }
    if (this.opts.registry.global('group_replication_start_on_boot') === 1n) {
      // The configuration checks run now, inside the load, so a statement that follows INSTALL
      // PLUGIN never sees a start attempt still in progress when there is nothing to start.
      if (this.checkGroupNameForStart() !== null) {
        this.plugin('Error', CODE.START_ON_BOOT_FAILED, 'Unable to start Group Replication on boot');
        return;
      }
      void this.start(null).catch(() => this.plugin('Error', CODE.START_ON_BOOT_FAILED, 'Unable to start Group Replication on boot'));
    }
  }

  /** Plugin unload (UNINSTALL PLUGIN): stop, then drop the variables. */
  unload(): void {
    if (!this.loaded) return;
    this.loaded = false;
    void this.stopListener();
    for (const n of GR_VARIABLES) this.opts.registry.undefine(n);
  }

  private str(name: string): string {
    const v = this.opts.registry.global(name);
    return v === null ? '' : String(v);
  }

  /** get_ip_allowlist: the allowlist unless it is AUTOMATIC, then the whitelist. */
  effectiveAllowlist(): string {
    const allow = this.str(ALLOWLIST_VAR);
    const white = this.str(WHITELIST_VAR);
    if (!isAutomatic(allow)) return allow;
    if (!isAutomatic(white)) return white;
    return allow;
  }

  /**
   * START GROUP_REPLICATION. `ctx` is null when starting on boot.
   * @req GRALLOW-002 GRALLOW-004 GRALLOW-006 GRALLOW-012 GRALLOW-013
   */
  async start(ctx: StatementContext | null): Promise<void> {
    if (ctx && !ctx.hasPrivilege('GROUP_REPLICATION_ADMIN') && !ctx.hasPrivilege('SUPER')) {
      throw sqlError('ER_SPECIFIC_ACCESS_DENIED_ERROR', 'SUPER or GROUP_REPLICATION_ADMIN');
    }
    if (!this.loaded) {
      this.opts.log('Error', CODE.NOT_INSTALLED, 'Server', 'Group Replication plugin is not installed.');
      throw sqlError('ER_GROUP_REPLICATION_CONFIGURATION');
    }
    if (this.busy) {
      throw sqlError('ER_GROUP_REPLICATION_COMMAND_FAILURE', 'START GROUP_REPLICATION', 'Another instance of START/STOP GROUP_REPLICATION command is executing.');
    }
    if (this.running) throw sqlError('ER_GROUP_REPLICATION_RUNNING');
    this.busy = true;
    try {
      await this.doStart(ctx);
    } catch (err) {
      if (err instanceof StartFailure) throw err.error;
      throw err;
    } finally {
      this.busy = false;
    }
  }

  /** The group name START needs: logs and returns the failure, or null when it is a UUID. */
  private checkGroupNameForStart(): StartFailure | null {
    const config = (): StartFailure => new StartFailure(sqlError('ER_GROUP_REPLICATION_CONFIGURATION'));
    const groupName = this.opts.registry.global('group_replication_group_name');
    if (groupName === null || groupName === '') {
      this.plugin('Error', CODE.NAME_MANDATORY, 'The group_replication_group_name option is mandatory');
      return config();
    }
    const name = String(groupName);
    if (name.length > UUID_LENGTH) {
      this.plugin('Error', CODE.NAME_TOO_LONG, `The group_replication_group_name '${name}' is not a valid UUID, its length is too big`);
      return config();
    }
    if (!UUID_RE.test(name)) {
      this.plugin('Error', CODE.NAME_NOT_UUID, `The group_replication_group_name '${name}' is not a valid UUID`);
      return config();
    }
    return null;
  }

  private async doStart(ctx: StatementContext | null): Promise<void> {
    const nameFailure = this.checkGroupNameForStart();
    if (nameFailure) throw nameFailure;
    const name = this.str('group_replication_group_name');
    this.plugin('System', CODE.STARTING, "Plugin 'group_replication' is starting.");
    if (ctx && !isAutomatic(this.str(WHITELIST_VAR))) ctx.warn(diagnostic('Warning', 'ER_WARN_DEPRECATED_SYNTAX', WHITELIST_VAR, ALLOWLIST_VAR));
    const session = (): StartFailure => {
      this.plugin('Error', CODE.UNABLE_INIT_ENGINE, 'Unable to initialize the group communication engine');
      this.plugin('Error', CODE.FAILED_INIT_ENGINE, 'Error on group communication engine initialization');
      return new StartFailure(sqlError('ER_GROUP_REPLICATION_COMMUNICATION_LAYER_SESSION_ERROR'));
    };
    // The allowlist: AUTOMATIC from the interfaces, else the explicit list (values from startup
    // options were not checked when set).
    const listText = this.effectiveAllowlist();
    let entries: AllowlistEntry[];
    try {
      const parsed = parseAllowlist(listText);
      if (parsed.automatic) {
        const auto = automaticAllowlist(this.ifaces());
        this.gcs('Note', `Added automatically IP ranges ${auto.join(',')} to the allowlist`);
        const p = parseAllowlist(auto.join(','));
        entries = p.automatic ? [] : p.entries;
      } else {
        entries = parsed.entries;
      }
    } catch (err) {
      if (!(err instanceof AllowlistSyntaxError)) throw err;
      this.gcs('Error', `Invalid IP or subnet mask in the allowlist: ${err.entry || stripBlanks(listText)}`);
      throw session();
    }
    const compiled = compileAllowlist(entries, { addLocalhost: true });
    if (compiled.addedLocalhost) {
      this.gcs('Warning', 'Automatically adding IPv4 localhost address to the allowlist. It is mandatory that it is added.');
      this.gcs('Warning', 'Automatically adding IPv6 localhost address to the allowlist. It is mandatory that it is added.');
    }
    // The local address: host:port, the host resolved with the global resolver, IPv4 first.
    const local = this.str('group_replication_local_address');
    const hp = parseLocalAddress(local);
    if (!hp) {
      this.gcs('Error', `Invalid hostname or IP address (${local}) assigned to the parameter local_node!`);
      throw session();
    }
    let ip: string;
    if (isIPv4(hp.host) || isIPv6(hp.host)) {
      ip = hp.host.toLowerCase();
    } else {
      try {
        const addrs = await preferredAddresses(hp.host, this.ns);
        for (const a of addrs) this.gcs('Note', `Translated '${hp.host}' to ${a.address}`);
        ip = addrs[0]!.address;
      } catch {
        this.gcs('Error', `Unable to translate hostname ${hp.host} to IP address!`);
        throw session();
      }
    }
    const localIps = new Set(Object.values(this.ifaces()).flatMap((l) => (l ?? []).map((i) => i.address.toLowerCase())));
    if (!localIps.has(ip)) {
      this.gcs('Error', `There is no local IP address matching the one configured for the local node (${local}).`);
      throw session();
    }
    const listener = new GroupCommunicationListener({
      decide: async (peer) => {
        const out = await checkPeer(compiled, peer, this.ns);
        for (const h of out.hostChecks) {
          if (h.status === 'unresolvable') {
            this.gcs('Warning', `Hostname ${h.name} in Allowlist configuration was not resolvable. Please check your Allowlist configuration.`);
          } else {
            for (const u of h.unconfirmed) {
              this.gcs('Note', `refmysql: address ${u.address} of allowlist host name ${h.name} failed forward-confirmed reverse DNS (reverse name '${u.reverseName}'); not used.`);
            }
          }
        }
        return out.allowed;
      },
      accepted: (peer) => this.gcs('Note', `refmysql: connection attempt from IP address ${peer} accepted by the IP allowlist.`),
      refused: (peer) => this.gcs('Warning', `Connection attempt from IP address ${peer} refused. Address is not in the IP allowlist.`),
    });
    try {
      await listener.start(ip, hp.port);
    } catch (err) {
      const errno = (err as { errno?: number }).errno;
      this.gcs('Error', `Unable to bind to ${ip}:${hp.port} (errno=${errno === undefined ? 0 : Math.abs(errno)})!`);
      this.plugin('Error', CODE.FAILED_START_ENGINE, 'Error on group communication engine start');
      throw new StartFailure(sqlError('ER_GROUP_REPLICATION_COMMUNICATION_LAYER_JOIN_ERROR'));
    }
    this.plugin(
      'Note',
      CODE.INIT_WITH_CONF,
      `Initialized group communication with configuration: group_replication_group_name: '${name}'; group_replication_local_address: '${local}'; group_replication_group_seeds: '${this.str('group_replication_group_seeds')}'; group_replication_bootstrap_group: '${this.opts.registry.global('group_replication_bootstrap_group') === 1n ? 'true' : 'false'}'; group_replication_poll_spin_loops: 0; group_replication_compression_threshold: 1000000; group_replication_ip_allowlist: '${listText}'; group_replication_communication_debug_options: 'GCS_DEBUG_NONE'; group_replication_member_expel_timeout: '5'; group_replication_communication_max_message_size: 10485760; group_replication_message_cache_size: '1073741824u; group_replication_communication_stack: '0'`,
    );
    this.compiled = compiled;
    this.listener = listener;
    this.plugin('System', CODE.STARTED, "Plugin 'group_replication' has been started.");
  }

  /** STOP GROUP_REPLICATION. */
  async stop(ctx: StatementContext | null): Promise<void> {
    if (ctx && !ctx.hasPrivilege('GROUP_REPLICATION_ADMIN') && !ctx.hasPrivilege('SUPER')) {
      throw sqlError('ER_SPECIFIC_ACCESS_DENIED_ERROR', 'SUPER or GROUP_REPLICATION_ADMIN');
    }
    if (!this.loaded) {
      this.opts.log('Error', CODE.NOT_INSTALLED, 'Server', 'Group Replication plugin is not installed.');
      throw sqlError('ER_GROUP_REPLICATION_CONFIGURATION');
    }
    if (this.busy) {
      throw sqlError('ER_GROUP_REPLICATION_COMMAND_FAILURE', 'STOP GROUP_REPLICATION', 'Another instance of START/STOP GROUP_REPLICATION command is executing.');
    }
    if (!this.running) return;
    this.busy = true;
    try {
      this.plugin('System', CODE.STOPPING, "Plugin 'group_replication' is stopping.");
      await this.stopListener();
      this.plugin('System', CODE.STOPPED, "Plugin 'group_replication' has been stopped.");
    } finally {
      this.busy = false;
    }
  }

  private async stopListener(): Promise<void> {
    const l = this.listener;
    this.listener = null;
    this.compiled = null;
    if (l) await l.stop();
  }

  /** Server shutdown. */
  async shutdown(): Promise<void> {
    await this.stopListener();
  }

  /** The compiled list while running (tests, diagnostics). */
  get activeAllowlist(): CompiledAllowlist | null {
    return this.compiled;
  }
}
