/**
 * The reserved X Plugin listener. refmysql does not implement the X Protocol, but it binds
 * `mysqlx_bind_address` / `mysqlx_port` the way the X Plugin does, so that the address rules,
 * namespaces and the plugin's log lines can be observed: every element is validated and bound on
 * its own, an element that fails is skipped with the plugin's warnings, and when none binds the
 * plugin reports that X Protocol is unreachable while the server keeps running.
 *
 * Decision (spec front matter, NETNS-039): an X client that connects is read up to its first
 * frame and answered with one Mysqlx.Error frame (severity FATAL, error 1235 / SQLSTATE 42000,
 * "This version of MySQL doesn't yet support 'X Protocol'"), after which the socket is closed.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/x-plugin-options-system-variables.html
 * @req NETNS-030 NETNS-037 NETNS-039 NETNS-041
 */
import type { Server, Socket } from 'node:net';
import { formatBindAddress, parseMysqlxAddressList, type BindAddress } from './address-list.js';
import { MYSQLX_FIRST_FRAME_MAX, MYSQLX_SERVER_ERROR_TYPE, MYSQLX_SEVERITY_FATAL } from './limits.js';
import { bindTcp, ipv6Available, ListenFailure, type ListenLogLine } from './tcp.js';
import { LogCode } from '../error-log.js';
import { nextObservedConnection, publishWire, wireObserved } from '../../kernel/wire-observer.js';

/** The error an X client receives. @req NETNS-039 */
export const MYSQLX_NOT_SUPPORTED = { code: 1235, sqlState: '42000', message: "This version of MySQL doesn't yet support 'X Protocol'" } as const;

function varint(n: number): Buffer {
  const out: number[] = [];
  let v = n >>> 0;
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80);
    v >>>= 7;
  }
  out.push(v);
  return Buffer.from(out);
}

function lengthDelimited(field: number, text: string): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  return Buffer.concat([varint((field << 3) | 2), varint(bytes.length), bytes]);
}

/**
 * A whole X Protocol frame carrying Mysqlx.Error: 4-byte little-endian length (type byte plus
 * payload), the type byte, then the protobuf fields severity=1, code=2, msg=3, sql_state=4.
 * @req NETNS-039
 */
export function mysqlxErrorFrame(e: { code: number; sqlState: string; message: string } = MYSQLX_NOT_SUPPORTED): Buffer {
  const payload = Buffer.concat([
    varint((1 << 3) | 0),
    varint(MYSQLX_SEVERITY_FATAL),
    varint((2 << 3) | 0),
    varint(e.code),
    lengthDelimited(3, e.message),
    lengthDelimited(4, e.sqlState),
  ]);
  const head = Buffer.alloc(5);
  head.writeUInt32LE(payload.length + 1, 0);
  head.writeUInt8(MYSQLX_SERVER_ERROR_TYPE, 4);
  return Buffer.concat([head, payload]);
}

/**
 * Serve one X connection: wait until the client's first frame is complete (or claims to be larger
 * than we care to read), answer with the error frame and close.
 * @req NETNS-039
 */
export function serveMysqlxClient(socket: Socket): void {
  let buffered = Buffer.alloc(0);
  let answered = false;
  // Wire observation for the test suite (TRACE-013): free when nobody listens.
  const conn = nextObservedConnection();
  const observe = (kind: 'accept' | 'data'): void => {
    if (wireObserved()) publishWire({ kind, conn, protocol: 'x', transport: 'tcp', remotePort: socket.remotePort ?? 0 });
  };
  observe('accept');
  socket.on('error', () => undefined);
  socket.on('data', (chunk: Buffer) => {
    if (answered) return;
    observe('data');
    buffered = Buffer.concat([buffered, chunk]);
    if (buffered.length < 4) return;
    const declared = buffered.readUInt32LE(0);
    if (declared <= MYSQLX_FIRST_FRAME_MAX && buffered.length < 4 + declared) return;
    answered = true;
    socket.end(mysqlxErrorFrame());
  });
}

export interface MysqlxListeners {
  servers: Server[];
  /** Bound "address[/ns]" strings, in order (empty when the plugin could not start). */
  bound: string[];
}

/**
 * Bind every usable mysqlx_bind_address element on `port` and return what was bound together
 * with the lines the X Plugin logs. Never throws for address problems: a failed element is skipped.
 * @req NETNS-030 NETNS-037 NETNS-039 NETNS-041
 */
export async function openMysqlxListeners(
  value: string,
  port: number,
  backlog: number,
  onConnection: (socket: Socket, ns: string) => void,
): Promise<MysqlxListeners & { lines: ListenLogLine[] }> {
  const lines: ListenLogLine[] = [];
  const { addresses, skipped } = parseMysqlxAddressList(value);
  for (const s of skipped) {
    lines.push({ level: 'Error', code: LogCode.XPLUGIN_ADDRESS_INVALID, message: `Validation of value '${s.value}' set to \`Mysqlx_bind_address\` failed: ${s.reason}. Skipping this value.` });
  }
  if (addresses.length === 0) {
    lines.push({ level: 'Warning', code: LogCode.XPLUGIN_ALL_IO_DISABLED, message: "All I/O interfaces are disabled, X Protocol won't be accessible" });
    return { servers: [], bound: [], lines };
  }
  const servers: Server[] = [];
  const used: string[] = [];
  const bound: string[] = [];
  let failed = false;
  for (const a of addresses) {
    // `*` means every interface: IPv6's (which also takes IPv4) when the host has IPv6.
    const target: BindAddress = a.address === '*' ? { address: ipv6Available() ? '::' : '0.0.0.0', namespace: a.namespace } : a;
    try {
      const l = await bindTcp({ target, port, backlog, onConnection: (s) => onConnection(s, a.namespace) });
      servers.push(l.server);
      used.push(l.boundAddress);
      bound.push(formatBindAddress({ address: l.boundAddress, namespace: a.namespace }));
    } catch (err) {
      if (!(err instanceof ListenFailure)) throw err;
      failed = true;
      const name = formatBindAddress(a);
      // The namespace helper logs its own line; the plugin's reason is then empty.
      let reason = '';
      if (err.stage === 'namespace') lines.push(...err.lines);
      else if (err.stage === 'resolve') reason = "can't resolve `hostname`";
      else if (err.stage === 'socket') reason = `\`socket()\` failed with error: ${err.osMessage}(${err.errno})`;
      else if (err.stage === 'listen') reason = `\`listen()\` failed with error: ${err.osMessage}(${err.errno})`;
      else reason = `\`bind()\` failed with error: ${err.osMessage} (${err.errno}). Do you already have another mysqld server running with Mysqlx ?`;
      lines.push({ level: 'Error', code: LogCode.XPLUGIN_LISTENER_SETUP_FAILED, message: `Setup of bind-address: '${name}' port: ${port} failed, ${reason}` });
      lines.push({ level: 'Error', code: LogCode.XPLUGIN_ADDRESS_SKIPPED, message: `Value '${name}' set to \`Mysqlx_bind_address\`, X Plugin can't bind to it. Skipping this value.` });
    }
  }
  if (failed) lines.push({ level: 'Note', code: LogCode.XPLUGIN_SEE_VARIABLES, message: "Please see the MySQL documentation for 'mysqlx_port,mysqlx_bind_address' system variables to fix the error" });
  if (servers.length === 0) {
    lines.push({ level: 'Error', code: LogCode.XPLUGIN_IO_FAILED, message: "Preparation of I/O interfaces failed, X Protocol won't be accessible" });
  } else {
    lines.push({ level: 'System', code: LogCode.XPLUGIN_READY, message: `X Plugin ready for connections. Bind-address: '${used.join(',')}' port: ${port}` });
  }
  return { servers, bound, lines };
}
