/**
 * Wire observation: the server tells whoever listens that a client connected, sent bytes,
 * finished its handshake (with its connection attributes) or sent a command. Nothing listens in
 * production, so each report costs one `hasSubscribers` check. The test suite listens, to record
 * per test which real clients exchanged packets with a server it started: the conformance matrix
 * then counts a test as wire evidence because packets were seen, not because its title says so.
 *
 * In-process servers are observed through the `node:diagnostics_channel` channel
 * {@link WIRE_CHANNEL}; a refmysqld run as a child process appends the same events, stamped with
 * the time, to the file named by the environment variable {@link WIRE_OBSERVE_ENV} (see
 * {@link recordWireEventsFromEnv}, called by the binary), which the test process reads.
 *
 * @spec https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_lifecycle.html
 * @req TRACE-013
 */
import { channel } from 'node:diagnostics_channel';
import { closeSync, openSync, writeSync } from 'node:fs';

/** The diagnostics channel name (in-process observers subscribe to it). */
export const WIRE_CHANNEL = 'refmysql:wire';
/** Environment variable naming the file a child refmysqld appends its events to. */
export const WIRE_OBSERVE_ENV = 'REFMYSQL_WIRE_OBSERVE_FILE';

export type WireEventKind = 'accept' | 'data' | 'handshake' | 'command';

/** One observed step of one client connection. */
export interface WireEvent {
  kind: WireEventKind;
  /** Process-unique number of the connection (not the MySQL connection id, which comes later). */
  conn: number;
  /** classic MySQL protocol, X Protocol, or group replication's group communication port. */
  protocol: 'classic' | 'x' | 'gcs';
  transport: 'tcp' | 'socket';
  /** The client's TCP port (0 over a Unix socket): lets an observer in the client's process tell its own sockets apart. */
  remotePort: number;
  /** On `handshake`: the connection attributes the client sent (program_name, _client_name ...). */
  attributes?: Record<string, string>;
  /** On `command`: the command byte. */
  command?: number;
}

const wire = channel(WIRE_CHANNEL);
let connections = 0;

/** A fresh process-unique connection number. */
export function nextObservedConnection(): number {
  return ++connections;
}

/** Report an event; free when nobody listens. @req TRACE-013 */
export function publishWire(ev: WireEvent): void {
  if (wire.hasSubscribers) wire.publish(ev);
}

/** Whether anyone listens (lets callers skip building an event). */
export function wireObserved(): boolean {
  return wire.hasSubscribers;
}

/**
 * When {@link WIRE_OBSERVE_ENV} names a file, append every event to it as one JSON line with the
 * time (ms) and pid. Written synchronously, so an event is on disk before the server answers the
 * packet that caused it: once a test has its reply, the test process can read the event.
 * @req TRACE-013
 */
export function recordWireEventsFromEnv(env: NodeJS.ProcessEnv = process.env): void {
  const path = env[WIRE_OBSERVE_ENV];
  if (!path) return;
  let fd: number;
  try {
    fd = openSync(path, 'a');
  } catch {
    return; // Observation is best effort: a server must not fail to start because of it.
  }
  process.once('exit', () => closeSync(fd));
  const pid = process.pid;
  wire.subscribe((message) => {
    const ev = message as WireEvent;
    try {
      writeSync(fd, JSON.stringify({ t: Date.now(), pid, ...ev }) + '\n');
    } catch {
      /* a full disk must not stop the server */
    }
  });
}
