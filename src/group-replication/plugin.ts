/**
 * The group_replication plugin as refmysql provides it: loading and unloading (its variables
 * come and go with it), start on boot, and START / STOP GROUP_REPLICATION limited to what the
 * allowlist needs: the member's group-communication listener. Group membership, consensus and
 * the replication of transactions are not part of it (see the spec decisions).
 *
 * START, in MySQL's order: privilege, plugin loaded, not already running, a UUID group name
 * (3092 and the plugin's log line), then the group communication layer: the allowlist (AUTOMATIC
 * built from the interfaces and logged, or the explicit list with localhost added when missing)
 * and the local address (3096 with the engine's log lines when either is wrong), then the
 * listener (3097 when it cannot bind).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/group-replication-ip-address-permissions.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/start-group-replication.html
 * @req GRALLOW-001 GRALLOW-002 GRALLOW-004 GRALLOW-006 GRALLOW-007 GRALLOW-012 GRALLOW-013 GRALLOW-018
 * @req GRALLOW-022 GRALLOW-023 GRALLOW-024
 */
import { networkInterfaces } from 'node:os';
import { diagnostic, type Diagnostic, type SqlError, sqlError } from '../kernel/errors.js';
import type { SysVarDef } from '../server/sysvars/types.js';
import type { Value } from '../kernel/value.js';
import type { SysVarRegistry } from '../server/sysvars/registry.js';
import { AllowlistSyntaxError, isAutomatic, parseAllowlist, stripBlanks, type AllowlistEntry } from './allowlist.js';
import { automaticAllowlist } from './automatic.js';
import { GroupCommunicationListener } from './listener.js';
import { MAX_OPEN_PEER_CONNECTIONS } from './limits.js';
import { resolveLocalAddress } from './local-address.js';
import { GR_LOG_CODE as CODE, GrLog, type LogFn } from './log.js';
import { checkPeer, compileAllowlist, type CompiledAllowlist } from './matcher.js';
import { systemNameService, type NameService } from './resolver.js';
import {
  ALLOWLIST_VAR,
  BOOTSTRAP_VAR,
  effectiveAllowlist,
  GR_VARIABLES,
  GROUP_NAME_VAR,
  GROUP_SEEDS_VAR,
  groupNameProblem,
  groupReplicationVariables,
  LOCAL_ADDRESS_VAR,
  START_ON_BOOT_VAR,
  WHITELIST_VAR,
  type GrState,
} from './variables.js';

/** What START / STOP need from the session running them. */
export interface StatementContext {
  hasPrivilege(priv: string): boolean;
  warn(d: Diagnostic): void;
  /** LOCK TABLES or an open multi-statement transaction (START/STOP refuse to run then). */
  lockedOrInTransaction?: boolean;
}

export interface GroupReplicationOptions {
  registry: SysVarRegistry;
  log: LogFn;
  /** The resolver for host-name entries and the local address (default: the system's). */
  nameService?: NameService;
  /** The interfaces for AUTOMATIC and the local-address check (default: os.networkInterfaces). */
  interfaces?: typeof networkInterfaces;
}

/** A START that failed after logging why; `error` goes to the client. */
class StartFailure extends Error {
  constructor(readonly error: SqlError) {
    super(error.message);
  }
}

export class GroupReplicationPlugin implements GrState {
  private loaded = false;
  private listener: GroupCommunicationListener | null = null;
  private starting = false;
  private started = false;
  private readonly ns: NameService;
  private readonly ifaces: typeof networkInterfaces;
  private readonly log: GrLog;

  constructor(private readonly opts: GroupReplicationOptions) {
    this.ns = opts.nameService ?? systemNameService;
    this.ifaces = opts.interfaces ?? networkInterfaces;
    this.log = new GrLog(opts.log);
  }

  /** Whether the member is active (the listener is up). */
  get running(): boolean {
    return this.listener !== null;
  }

  /** START or STOP is half-way. */
  get busy(): boolean {
    return this.starting;
  }

  get isLoaded(): boolean {
    return this.loaded;
  }

  /** Whether START ever succeeded since the plugin loaded (performance_schema shows its identity then). */
  get everStarted(): boolean {
    return this.started;
  }

  /** A global variable's value (for performance_schema.replication_group_members). */
  global(name: string): Value {
    return this.opts.registry.global(name);
  }

  /** The variable definitions, with checks reading this plugin's state. */
  variableDefinitions(): SysVarDef[] {
    return groupReplicationVariables(this);
  }

  /**
   * Plugin load (INSTALL PLUGIN, --plugin-load-add, mysql.plugin at startup): define the
   * variables (or re-bind their checks when startup options defined them already), then start
   * when group_replication_start_on_boot is ON.
   * @req GRALLOW-022
   */
  load(): void {
    if (this.loaded) return;
    this.loaded = true;
    const reg = this.opts.registry;
    for (const d of this.variableDefinitions()) {
      if (!reg.lookup(d.name)) reg.define(d);
      else if (d.validate) reg.setValidator(d.name, d.validate);
    }
    if (reg.global(START_ON_BOOT_VAR) !== 1n) return;
    // The configuration check runs inside the load, so a statement after INSTALL PLUGIN never
    // finds a start attempt in progress when there is nothing to start.
    if (this.groupNameFailure() !== null) {
      this.log.plugin('Error', CODE.START_ON_BOOT_FAILED, 'Unable to start Group Replication on boot');
      return;
    }
    void this.start(null).catch(() => this.log.plugin('Error', CODE.START_ON_BOOT_FAILED, 'Unable to start Group Replication on boot'));
  }

  /** Plugin unload (UNINSTALL PLUGIN): leave, then drop the variables. */
  unload(): void {
    if (!this.loaded) return;
    this.loaded = false;
    this.started = false;
    void this.stopListener();
    for (const n of GR_VARIABLES) this.opts.registry.undefine(n);
  }

  private str(name: string): string {
    const v = this.opts.registry.global(name);
    return v === null ? '' : String(v);
  }

  /** Checks shared by START and STOP. */
  private commandChecks(ctx: StatementContext | null): void {
    if (ctx && !ctx.hasPrivilege('GROUP_REPLICATION_ADMIN') && !ctx.hasPrivilege('SUPER')) {
      throw sqlError('ER_SPECIFIC_ACCESS_DENIED_ERROR', 'SUPER or GROUP_REPLICATION_ADMIN');
    }
    if (ctx?.lockedOrInTransaction) throw sqlError('ER_LOCK_OR_ACTIVE_TRANSACTION');
    if (!this.loaded) {
      this.log.server('Error', CODE.NOT_INSTALLED, 'Group Replication plugin is not installed.');
      throw sqlError('ER_GROUP_REPLICATION_CONFIGURATION');
    }
  }

  /**
   * START GROUP_REPLICATION; `ctx` is null when starting on boot.
   * @req GRALLOW-023
   */
  async start(ctx: StatementContext | null): Promise<void> {
    this.commandChecks(ctx);
    if (this.starting) {
      throw sqlError('ER_GROUP_REPLICATION_COMMAND_FAILURE', 'START GROUP_REPLICATION', 'Another instance of START/STOP GROUP_REPLICATION command is executing.');
    }
    if (this.running) throw sqlError('ER_GROUP_REPLICATION_RUNNING');
    this.starting = true;
    try {
      await this.doStart(ctx);
    } catch (err) {
      throw err instanceof StartFailure ? err.error : err;
    } finally {
      this.starting = false;
    }
  }

  /** The group name START needs: logs and returns the failure, or null when it is a UUID. */
  private groupNameFailure(): StartFailure | null {
    const v = this.opts.registry.global(GROUP_NAME_VAR);
    const name = v === null ? '' : String(v);
    switch (groupNameProblem(v)) {
      case null:
        return null;
      case 'missing':
        this.log.plugin('Error', CODE.NAME_MANDATORY, 'The group_replication_group_name option is mandatory');
        break;
      case 'too-long':
        this.log.plugin('Error', CODE.NAME_TOO_LONG, `The group_replication_group_name '${name}' is not a valid UUID, its length is too big`);
        break;
      case 'not-uuid':
        this.log.plugin('Error', CODE.NAME_NOT_UUID, `The group_replication_group_name '${name}' is not a valid UUID`);
        break;
    }
    return new StartFailure(sqlError('ER_GROUP_REPLICATION_CONFIGURATION'));
  }

  /** The communication layer could not be initialised: the engine's lines, then 3096. */
  private sessionFailure(): StartFailure {
    this.log.plugin('Error', CODE.UNABLE_INIT_ENGINE, 'Unable to initialize the group communication engine');
    this.log.plugin('Error', CODE.FAILED_INIT_ENGINE, 'Error on group communication engine initialization');
    return new StartFailure(sqlError('ER_GROUP_REPLICATION_COMMUNICATION_LAYER_SESSION_ERROR'));
  }

  /**
   * The list START applies: AUTOMATIC from the interfaces (logged), or the explicit list.
   * @req GRALLOW-002 GRALLOW-004 GRALLOW-006
   */
  private buildAllowlist(listText: string): CompiledAllowlist {
    let entries: AllowlistEntry[];
    try {
      const parsed = parseAllowlist(listText);
      if (parsed.automatic) {
        const auto = automaticAllowlist(this.ifaces());
        this.log.gcs('Note', `Added automatically IP ranges ${auto.join(',')} to the allowlist`);
        const p = parseAllowlist(auto.join(','));
        entries = p.automatic ? [] : p.entries;
      } else {
        entries = parsed.entries;
      }
    } catch (err) {
      if (!(err instanceof AllowlistSyntaxError)) throw err;
      this.log.gcs('Error', `Invalid IP or subnet mask in the allowlist: ${err.entry || stripBlanks(listText)}`);
      throw this.sessionFailure();
    }
    const compiled = compileAllowlist(entries, { addLocalhost: true });
    if (compiled.addedLocalhost) {
      this.log.gcs('Warning', 'Automatically adding IPv4 localhost address to the allowlist. It is mandatory that it is added.');
      this.log.gcs('Warning', 'Automatically adding IPv6 localhost address to the allowlist. It is mandatory that it is added.');
    }
    return compiled;
  }

  /**
   * Decide one peer: resolve host-name entries now and log what they did.
   * @req GRALLOW-018 GRALLOW-019
   */
  private async decide(compiled: CompiledAllowlist, peer: string): Promise<boolean> {
    const out = await checkPeer(compiled, peer, this.ns);
    for (const h of out.hostChecks) {
      if (h.status === 'unresolvable') {
        this.log.gcs('Warning', `Hostname ${h.name} in Allowlist configuration was not resolvable. Please check your Allowlist configuration.`);
        continue;
      }
      for (const u of h.unconfirmed) {
        this.log.gcs('Note', `refmysql: address ${u.address} of allowlist host name ${h.name} failed forward-confirmed reverse DNS (reverse name '${u.reverseName}'); not used.`);
      }
    }
    return out.allowed;
  }

  private async doStart(ctx: StatementContext | null): Promise<void> {
    const nameFailure = this.groupNameFailure();
    if (nameFailure) throw nameFailure;
    this.log.plugin('System', CODE.STARTING, "Plugin 'group_replication' is starting.");
    if (ctx && !isAutomatic(this.str(WHITELIST_VAR))) ctx.warn(diagnostic('Warning', 'ER_WARN_DEPRECATED_SYNTAX', WHITELIST_VAR, ALLOWLIST_VAR));
    const listText = effectiveAllowlist(this.str(ALLOWLIST_VAR), this.str(WHITELIST_VAR));
    const compiled = this.buildAllowlist(listText);
    const localText = this.str(LOCAL_ADDRESS_VAR);
    const local = await resolveLocalAddress(localText, this.ns, this.ifaces);
    if (!local.ok) {
      this.log.gcs('Error', local.problem);
      throw this.sessionFailure();
    }
    for (const t of local.translated) this.log.gcs('Note', t);
    const listener = new GroupCommunicationListener({
      decide: (peer) => this.decide(compiled, peer),
      accepted: (peer) => this.log.gcs('Note', `refmysql: connection attempt from IP address ${peer} accepted by the IP allowlist.`),
      refused: (peer, why) =>
        why === 'allowlist'
          ? this.log.gcs('Warning', `Connection attempt from IP address ${peer} refused. Address is not in the IP allowlist.`)
          : this.log.gcs('Warning', `refmysql: connection attempt from IP address ${peer} closed: ${MAX_OPEN_PEER_CONNECTIONS} group-communication connections are open already.`),
    });
    try {
      await listener.start(local.ip, local.port);
    } catch (err) {
      const errno = (err as { errno?: number }).errno;
      this.log.gcs('Error', `Unable to bind to ${local.ip}:${local.port} (errno=${errno === undefined ? 0 : Math.abs(errno)})!`);
      this.log.plugin('Error', CODE.FAILED_START_ENGINE, 'Error on group communication engine start');
      throw new StartFailure(sqlError('ER_GROUP_REPLICATION_COMMUNICATION_LAYER_JOIN_ERROR'));
    }
    this.log.plugin(
      'Note',
      CODE.INIT_WITH_CONF,
      `Initialized group communication with configuration: group_replication_group_name: '${this.str(GROUP_NAME_VAR)}'; ` +
        `group_replication_local_address: '${localText}'; group_replication_group_seeds: '${this.str(GROUP_SEEDS_VAR)}'; ` +
        `group_replication_bootstrap_group: '${this.opts.registry.global(BOOTSTRAP_VAR) === 1n ? 'true' : 'false'}'; ` +
        `group_replication_poll_spin_loops: 0; group_replication_compression_threshold: 1000000; group_replication_ip_allowlist: '${listText}'; ` +
        `group_replication_communication_debug_options: 'GCS_DEBUG_NONE'; group_replication_member_expel_timeout: '5'; ` +
        `group_replication_communication_max_message_size: 10485760; group_replication_message_cache_size: '1073741824u; ` +
        `group_replication_communication_stack: '0'`,
    );
    this.listener = listener;
    this.started = true;
    this.log.plugin('System', CODE.STARTED, "Plugin 'group_replication' has been started.");
  }

  /**
   * STOP GROUP_REPLICATION: close the listener and every admitted connection. Stopping a member
   * that is not running succeeds silently.
   * @req GRALLOW-007 GRALLOW-023 GRALLOW-024
   */
  async stop(ctx: StatementContext | null): Promise<void> {
    this.commandChecks(ctx);
    if (this.starting) {
      throw sqlError('ER_GROUP_REPLICATION_COMMAND_FAILURE', 'STOP GROUP_REPLICATION', 'Another instance of START/STOP GROUP_REPLICATION command is executing.');
    }
    if (!this.running) return;
    this.starting = true;
    try {
      this.log.plugin('System', CODE.STOPPING, "Plugin 'group_replication' is stopping.");
      await this.stopListener();
      this.log.plugin('System', CODE.STOPPED, "Plugin 'group_replication' has been stopped.");
    } finally {
      this.starting = false;
    }
  }

  private async stopListener(): Promise<void> {
    const l = this.listener;
    this.listener = null;
    if (l) await l.stop();
  }

  /** Server shutdown. */
  async shutdown(): Promise<void> {
    await this.stopListener();
  }
}
