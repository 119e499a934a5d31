/**
 * FEDERATED under the engine contract suite: a FEDERATED table needs a remote table of the same
 * definition and a CONNECTION naming it, which the suite's scenarios do not give, so this
 * harness engine gives every table it is asked to create a remote table on a real refmysqld
 * started in this process (created first through a mysql2 connection, from the definition's
 * CREATE TABLE text with engine InnoDB), and a CONNECTION URL naming that table. Every call then
 * goes to a real FederatedEngine over the project's client protocol (clientRemoteConnector()).
 *
 * The remote server is shared by every harness instance of the test process: started by the
 * first init(), counted by each, and stopped a short while after the last shutdown() (so the
 * second instance of a restart, initialised right after the first shut down, finds it running;
 * the timer is unref'd and the server stops once it fires, so a worker never stays up on it).
 * Each instance keeps its tables in a remote database named after its data directory, so a
 * second instance on the same directory (the suite's restart) finds the rows the first wrote.
 * DROP and RENAME go to the remote table too (FEDERATED itself touches only the local
 * definition), since the suite expects a dropped table's rows gone and a renamed table's rows
 * moved.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/federated-create.html (16.8.2)
 * @req FEDERATED-030 PLUGGABLE-001
 */
import { createHash } from 'node:crypto';
import type mysql from 'mysql2/promise';
import { clientRemoteConnector } from '../../../src/client/remote-connector.js';
import { showCreateTableText } from '../../../src/exec/show/show-create.js';
import type { TableDef } from '../../../src/kernel/table-def.js';
import { FederatedEngine } from '../../../src/storage/federated/engine.js';
import type { EngineContext, StorageEngine, TableHandler, ValidationEnv } from '../../../src/storage/handler.js';
import { startTestServer, type TestServer } from '../../helpers/server.js';

/** How long the remote server outlives its last user (a restart's second instance reuses it). */
const GRACE_MS = 1500;

/** Connections the remote accepts: every open FEDERATED handler keeps a few of its own. */
const REMOTE_MAX_CONNECTIONS = 2000;

interface SharedRemote {
  server: Promise<TestServer>;
  users: number;
  timer: NodeJS.Timeout | null;
}

let shared: SharedRemote | null = null;

/** The shared remote server, started on first use; each call must be paired with releaseRemote(). */
async function acquireRemote(): Promise<TestServer> {
  if (!shared) {
    const s: SharedRemote = { server: startTestServer({ options: { 'max-connections': REMOTE_MAX_CONNECTIONS } }), users: 0, timer: null };
    // A server that failed to start is not kept: the next init() tries again.
    s.server.catch(() => {
      if (shared === s) shared = null;
    });
    shared = s;
  }
  const s = shared;
  s.users++;
  if (s.timer) {
    clearTimeout(s.timer);
    s.timer = null;
  }
  try {
    return await s.server;
  } catch (e) {
    s.users--;
    throw e;
  }
}

function releaseRemote(): void {
  const s = shared;
  if (!s) return;
  s.users--;
  if (s.users > 0) return;
  s.timer = setTimeout(() => {
    if (shared !== s || s.users > 0) return;
    shared = null;
    void s.server.then((srv) => srv.stop()).catch(() => undefined);
  }, GRACE_MS);
  s.timer.unref();
}

function quoteIdent(name: string): string {
  return '`' + name.replace(/`/g, '``') + '`';
}

export class FederatedOverRemote implements StorageEngine {
  readonly name: string;
  readonly aliases: readonly string[];
  readonly comment: string;
  readonly capabilities: StorageEngine['capabilities'];
  private readonly federated = new FederatedEngine({ connector: clientRemoteConnector() });
  private remote: TestServer | null = null;
  private admin: mysql.Connection | null = null;
  private database = '';
  private readonly opened = new Set<TableHandler>();

  /** The real engine through the contract's signatures. */
  private get engine(): StorageEngine {
    return this.federated;
  }

  constructor() {
    this.name = this.federated.name;
    this.aliases = this.federated.aliases;
    this.comment = this.federated.comment;
    this.capabilities = this.federated.capabilities;
  }

  async init(datadir: string): Promise<void> {
    await this.federated.init();
    this.remote = await acquireRemote();
    try {
      this.database = `fc_${createHash('sha256').update(datadir).digest('hex').slice(0, 20)}`;
      const c = await this.remote.connect();
      this.admin = c;
      await c.query(`CREATE DATABASE IF NOT EXISTS ${quoteIdent(this.database)}`);
      await c.query(`USE ${quoteIdent(this.database)}`);
    } catch (e) {
      await this.admin?.end().catch(() => undefined);
      this.admin = null;
      this.remote = null;
      releaseRemote();
      throw e;
    }
  }

  async shutdown(): Promise<void> {
    for (const h of this.opened) await h.close();
    this.opened.clear();
    await this.federated.shutdown();
    if (this.remote) {
      await this.admin?.end().catch(() => undefined);
      this.admin = null;
      this.remote = null;
      releaseRemote();
    }
  }

  /** The remote table of a local one (one remote database holds every schema's tables). */
  private remoteName(def: TableDef): string {
    return `${def.schema}__${def.name}`;
  }

  /** The table as FEDERATED sees it: the same definition object (the suite checks a handler's
   *  definition by identity), its CONNECTION naming the remote table. */
  private federate(def: TableDef): TableDef {
    const connection = `mysql://root@127.0.0.1:${this.remote!.port}/${this.database}/${this.remoteName(def)}`;
    if (def.options['CONNECTION'] !== connection) def.options = { ...def.options, CONNECTION: connection };
    return def;
  }

  private sql(text: string): Promise<unknown> {
    if (!this.admin) throw new Error('the FEDERATED harness is not initialised');
    return this.admin.query(text);
  }

  validate(def: TableDef, env?: ValidationEnv): void {
    this.federated.validate(this.federate(def), env);
  }

  async createTable(ctx: EngineContext, def: TableDef): Promise<void> {
    const options = { ...def.options };
    delete options['CONNECTION'];
    const remote: TableDef = { ...def, name: this.remoteName(def), engine: 'InnoDB', temporary: false, options };
    await this.sql(`DROP TABLE IF EXISTS ${quoteIdent(remote.name)}`);
    await this.sql(showCreateTableText(remote, remote.autoIncrementStart));
    await this.federated.createTable(ctx, this.federate(def));
  }

  async dropTable(ctx: EngineContext, def: TableDef): Promise<void> {
    await this.engine.dropTable(ctx, this.federate(def));
    await this.sql(`DROP TABLE IF EXISTS ${quoteIdent(this.remoteName(def))}`);
  }

  async renameTable(ctx: EngineContext, from: TableDef, to: TableDef): Promise<void> {
    await this.engine.renameTable(ctx, this.federate(from), this.federate(to));
    await this.sql(`RENAME TABLE ${quoteIdent(this.remoteName(from))} TO ${quoteIdent(this.remoteName(to))}`);
  }

  async openTable(ctx: EngineContext, def: TableDef): Promise<TableHandler> {
    const h = await this.federated.openTable(ctx, this.federate(def));
    this.opened.add(h);
    return h;
  }
}
