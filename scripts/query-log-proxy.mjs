#!/usr/bin/env node
/**
 * query-log-proxy.mjs — a MySQL-protocol TCP proxy for finding out what a client sends.
 *
 * It forwards bytes between a client and an upstream server (e.g. a throwaway MariaDB) and
 * records every command packet the client sends after the handshake (COM_QUERY text, COM_INIT_DB,
 * COM_STMT_PREPARE, ...). Optionally it rewrites the server version string in the greeting, so a
 * client that adapts to the server version (mariadb-dump, sysbench) behaves as it would against
 * refmysqld (`8.0.40-refmysql`) while the answers still come from MariaDB. It also clears the
 * CLIENT_SSL capability in the greeting so the session stays in clear text and stays readable.
 *
 *   node scripts/query-log-proxy.mjs --upstream 127.0.0.1:3306 [--listen 0] \
 *        [--version 8.0.40-refmysql] [--log queries.jsonl] [--dump-server 1]
 *
 * With `--dump-server 1` the server's packets are logged too (first 256 payload bytes as hex).
 * Prints `listening <port>` on stdout once ready. Each log line is JSON:
 * {"conn":1,"cmd":"COM_QUERY","text":"SHOW VARIABLES LIKE 'x'"}. Loopback only.
 *
 * @spec https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase_packets_protocol_handshake_v10.html
 * @req CORE-PEER-005
 */
import { appendFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';

const COMMAND_NAMES = {
  0x01: 'COM_QUIT',
  0x02: 'COM_INIT_DB',
  0x03: 'COM_QUERY',
  0x04: 'COM_FIELD_LIST',
  0x0e: 'COM_PING',
  0x11: 'COM_CHANGE_USER',
  0x16: 'COM_STMT_PREPARE',
  0x17: 'COM_STMT_EXECUTE',
  0x19: 'COM_STMT_CLOSE',
  0x1a: 'COM_STMT_RESET',
  0x1f: 'COM_RESET_CONNECTION',
};
const CLIENT_SSL = 0x0800;

/** Split a byte stream into MySQL packets (3-byte length, 1-byte sequence, payload). */
function packetSplitter(onPacket) {
  let buf = Buffer.alloc(0);
  return (chunk) => {
    buf = Buffer.concat([buf, chunk]);
    while (buf.length >= 4) {
      const len = buf.readUIntLE(0, 3);
      if (buf.length < 4 + len) break;
      onPacket(buf.subarray(0, 4 + len));
      buf = buf.subarray(4 + len);
    }
  };
}

/** Rewrite the version string (and drop CLIENT_SSL) in a Handshake v10 packet. */
function rewriteGreeting(packet, version) {
  const payload = packet.subarray(4);
  if (payload[0] !== 0x0a) return packet;
  const end = payload.indexOf(0, 1);
  if (end < 0) return packet;
  const rest = Buffer.from(payload.subarray(end + 1));
  // rest: thread id (4), auth data part 1 (8), filler (1), capability flags low (2), ...
  if (rest.length >= 15) rest.writeUInt16LE(rest.readUInt16LE(13) & ~CLIENT_SSL, 13);
  const newVersion = version === undefined ? payload.subarray(1, end) : Buffer.from(version, 'utf8');
  const newPayload = Buffer.concat([Buffer.from([0x0a]), newVersion, Buffer.from([0]), rest]);
  const header = Buffer.alloc(4);
  header.writeUIntLE(newPayload.length, 0, 3);
  header[3] = packet[3];
  return Buffer.concat([header, newPayload]);
}

/**
 * Start the proxy. Returns { port, close(), entries } where entries is the in-memory log.
 * @param {{ upstreamHost?: string, upstreamPort: number, listenPort?: number, version?: string, logFile?: string, dumpServer?: boolean }} opts
 */
export function startQueryLogProxy(opts) {
  const entries = [];
  let connCount = 0;
  const sockets = new Set();
  const server = createServer((client) => {
    const conn = ++connCount;
    const upstream = createConnection({ host: opts.upstreamHost ?? '127.0.0.1', port: opts.upstreamPort });
    sockets.add(client);
    sockets.add(upstream);
    let greeted = false;
    let clientPackets = 0;
    const fromServer = packetSplitter((pkt) => {
      if (opts.dumpServer) {
        const entry = { conn, from: 'server', seq: pkt[3], hex: pkt.subarray(4, 4 + 256).toString('hex') };
        entries.push(entry);
        if (opts.logFile) appendFileSync(opts.logFile, `${JSON.stringify(entry)}\n`);
      }
      if (!greeted) {
        greeted = true;
        client.write(rewriteGreeting(pkt, opts.version));
      } else client.write(pkt);
    });
    const fromClient = packetSplitter((pkt) => {
      clientPackets++;
      if (clientPackets === 1 && pkt.length >= 8) {
        const entry = { conn, cmd: 'HANDSHAKE_RESPONSE', capabilities: `0x${pkt.readUInt32LE(4).toString(16)}` };
        entries.push(entry);
        if (opts.logFile) appendFileSync(opts.logFile, `${JSON.stringify(entry)}\n`);
      }
      // Packet 1 is the handshake response (and possibly auth-switch replies follow with seq > 0);
      // commands always start a new exchange with sequence id 0.
      if (clientPackets > 1 && pkt[3] === 0) {
        const cmd = pkt[4];
        const name = COMMAND_NAMES[cmd] ?? `COM_0x${cmd.toString(16)}`;
        const entry = { conn, cmd: name };
        if (cmd === 0x03 || cmd === 0x02 || cmd === 0x16) entry.text = pkt.subarray(5).toString('utf8');
        entries.push(entry);
        if (opts.logFile) appendFileSync(opts.logFile, `${JSON.stringify(entry)}\n`);
      }
      upstream.write(pkt);
    });
    upstream.on('data', fromServer);
    client.on('data', fromClient);
    const closeBoth = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', closeBoth);
    upstream.on('close', closeBoth);
    client.on('error', closeBoth);
    upstream.on('error', closeBoth);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.listenPort ?? 0, '127.0.0.1', () => {
      const addr = server.address();
      resolve({
        port: typeof addr === 'object' && addr ? addr.port : 0,
        entries,
        close: () =>
          new Promise((r) => {
            for (const s of sockets) s.destroy();
            server.close(() => r());
          }),
      });
    });
  });
}

function parseArgs(argv) {
  const out = {};
  for (let i = 0; i < argv.length; i += 2) out[argv[i].replace(/^--/, '')] = argv[i + 1];
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const a = parseArgs(process.argv.slice(2));
  if (!a.upstream) {
    console.error('usage: query-log-proxy.mjs --upstream HOST:PORT [--listen PORT] [--version V] [--log FILE]');
    process.exit(2);
  }
  const [host, port] = a.upstream.split(':');
  const proxy = await startQueryLogProxy({
    upstreamHost: host,
    upstreamPort: Number(port),
    listenPort: a.listen ? Number(a.listen) : 0,
    version: a.version,
    logFile: a.log,
    dumpServer: a['dump-server'] === '1',
  });
  console.log(`listening ${proxy.port}`);
}
