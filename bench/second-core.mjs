#!/usr/bin/env node
/**
 * bench/second-core.mjs — how a Node server could use a second core for client socket I/O: a toy
 * request/response server (MySQL packet framing, a fixed CPU cost per request standing in for the
 * executor) in several designs, driven by clients in another process, printing requests per
 * second, the main thread's event-loop utilisation and the server's CPU time per request.
 *
 *   npx tsc -p tsconfig.json && node bench/second-core.mjs
 *   node bench/second-core.mjs --time 5 --clients 1,4 --work-us 40 --rounds 3
 *
 * Designs (--modes, default all):
 *   single     one thread: the main thread reads and writes the sockets (refmysqld without
 *              --io-threads)
 *   message    an I/O worker owns the sockets after accept (descriptor duplicated with the native
 *              addon); bytes travel as transferred ArrayBuffers over postMessage both ways
 *   ring-ping  SharedArrayBuffer byte rings both ways, a sleeping side woken by a MessagePort
 *              message (sent only when it sleeps)
 *   ring-eager SharedArrayBuffer rings woken by Atomics.notify / Atomics.waitAsync, the main
 *              thread waking a sleeping I/O thread at every record it puts
 *   ring       the server's own transport (dist/src/protocol/io/io-threads.js): as ring-eager,
 *              but the main thread wakes the I/O thread once per run of microtasks (one wake for
 *              all the replies of a batch of requests), one I/O thread
 *   ring2      the same with two I/O threads
 *   ring-poll  ring, with the I/O thread polling its ring for 1 ms after the last record before it
 *              sleeps, so a busy main thread rarely has to wake it
 *
 * Options: --time S per run (default 5), --clients LIST concurrent clients (default 1,4),
 * --work-us N CPU microseconds per request on the main thread (default 40), --reply-bytes N
 * (default 200), --rounds N (default 1; medians), --modes LIST.
 *
 * Needs the TypeScript build (dist/) and the native addon (native/build). Informational only:
 * nothing is asserted, and the figures move with whatever else runs on the machine.
 *
 * @req CORE-PERF-025
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import * as net from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, Worker, workerData, MessageChannel } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const ALL_MODES = ['single', 'message', 'ring-ping', 'ring-eager', 'ring', 'ring2', 'ring-poll'];

// ---- toy protocol ----------------------------------------------------------------------------

/** Splits a byte stream into MySQL-framed payloads. */
class Framer {
  buf = Buffer.alloc(0);
  push(d, onFrame) {
    this.buf = this.buf.length ? Buffer.concat([this.buf, d]) : d;
    while (this.buf.length >= 4) {
      const len = this.buf.readUIntLE(0, 3);
      if (this.buf.length < 4 + len) break;
      onFrame(this.buf.subarray(4, 4 + len), this.buf[3]);
      this.buf = this.buf.subarray(4 + len);
    }
  }
}

function frame(payload, seq) {
  const b = Buffer.allocUnsafe(4 + payload.length);
  b.writeUIntLE(payload.length, 0, 3);
  b[3] = seq;
  payload.copy(b, 4);
  return b;
}

function spin(us) {
  const end = performance.now() + us / 1000;
  while (performance.now() < end);
}

// ---- server side ----------------------------------------------------------------------------

function loadAddon() {
  const require = createRequire(import.meta.url);
  return require(join(REPO, 'native', 'build', 'Release', 'refmysql_netns.node'));
}

/** The "executor": answers one request payload. */
function makeAnswer(opts) {
  const body = Buffer.alloc(opts.replyBytes, 0x61);
  return (payload, seq) => {
    spin(opts.workUs);
    void payload;
    return frame(body, (seq + 1) & 0xff);
  };
}

async function serve(mode, opts) {
  const answer = makeAnswer(opts);
  const server = net.createServer({ noDelay: true });
  let onSocket;
  if (mode === 'single') {
    onSocket = (sock) => {
      sock.setNoDelay(true);
      const f = new Framer();
      sock.on('data', (d) => f.push(d, (p, seq) => sock.write(answer(p, seq))));
      sock.on('error', () => undefined);
    };
  } else if (mode === 'message') {
    const addon = loadAddon();
    const worker = new Worker(fileURLToPath(import.meta.url), { workerData: { role: 'message-io' } });
    const framers = new Map();
    let next = 1;
    worker.on('message', (m) => {
      const f = framers.get(m.c);
      if (!f) return;
      if (m.close) return void framers.delete(m.c);
      f.push(Buffer.from(m.ab), (p, seq) => {
        const out = answer(p, seq);
        const ab = out.buffer.slice(out.byteOffset, out.byteOffset + out.length);
        worker.postMessage({ c: m.c, ab }, [ab]);
      });
    });
    onSocket = (sock) => {
      const c = next++;
      framers.set(c, new Framer());
      const fd = addon.dupFd(sock._handle.fd);
      sock.pause();
      sock.destroy();
      worker.postMessage({ c, fd });
    };
  } else if (mode === 'ring-ping') {
    const { ByteRing } = await import(join(REPO, 'dist', 'src', 'protocol', 'io', 'byte-ring.js'));
    const toIoSab = new SharedArrayBuffer(64 + (1 << 20));
    const toMainSab = new SharedArrayBuffer(64 + (1 << 20));
    const mainWake = new MessageChannel();
    const ioWake = new MessageChannel();
    const worker = new Worker(fileURLToPath(import.meta.url), {
      workerData: { role: 'ping-io', toIoSab, toMainSab, wakeMain: mainWake.port2, wakeMe: ioWake.port1 },
      transferList: [mainWake.port2, ioWake.port1],
    });
    void worker;
    const toIo = new ByteRing(toIoSab, () => ioWake.port2.postMessage(0));
    const toMain = new ByteRing(toMainSab);
    const addon = loadAddon();
    const framers = new Map();
    let next = 1;
    const onRecord = (c, kind, bytes) => {
      const f = framers.get(c);
      if (!f || kind !== 1) return;
      f.push(Buffer.from(bytes), (p, seq) => toIo.put(c, 1, answer(p, seq)));
    };
    let sleeping = null;
    mainWake.port1.on('message', () => sleeping?.());
    (async () => {
      for (;;) {
        toMain.take(onRecord);
        if (toMain.markWaiting()) await new Promise((r) => (sleeping = r));
        sleeping = null;
      }
    })();
    onSocket = (sock) => {
      const c = next++;
      framers.set(c, new Framer());
      const fd = addon.dupFd(sock._handle.fd);
      const b = Buffer.alloc(4);
      b.writeInt32LE(fd, 0);
      sock.pause();
      sock.destroy();
      toIo.put(c, 2, b);
    };
  } else {
    const { IoThreads } = await import(join(REPO, 'dist', 'src', 'protocol', 'io', 'io-threads.js'));
    const addon = loadAddon();
    const io = new IoThreads(mode === 'ring2' ? 2 : 1, (fd) => addon.dupFd(fd), mode === 'ring-poll' ? 1 : 0, mode !== 'ring-eager');
    onSocket = (sock) => {
      const stream = io.adopt(sock);
      sock.pause();
      sock.destroy();
      const f = new Framer();
      stream.on('data', (d) => f.push(d, (p, seq) => stream.write(answer(p, seq))));
    };
  }
  server.on('connection', onSocket);
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const out = (o) => process.stdout.write(`${JSON.stringify(o)}\n`);
  out({ port: server.address().port });
  let elu0;
  let cpu0;
  const rl = createInterface({ input: process.stdin });
  rl.on('line', (line) => {
    if (line === 'start') {
      elu0 = performance.eventLoopUtilization();
      cpu0 = process.cpuUsage();
      out({ started: true });
    } else if (line === 'stats') {
      const elu = performance.eventLoopUtilization(elu0);
      const cpu = process.cpuUsage(cpu0);
      out({ elu: elu.utilization, cpuMs: (cpu.user + cpu.system) / 1000 });
    }
  });
}

/** Worker side of 'message': owns sockets, ships bytes as transferred ArrayBuffers. */
function messageIo() {
  const socks = new Map();
  parentPort.on('message', (m) => {
    if (m.fd !== undefined) {
      const s = new net.Socket({ fd: m.fd, readable: true, writable: true });
      socks.set(m.c, s);
      s.on('data', (d) => {
        const ab = d.buffer.slice(d.byteOffset, d.byteOffset + d.length);
        parentPort.postMessage({ c: m.c, ab }, [ab]);
      });
      s.on('error', () => undefined);
      s.on('close', () => {
        socks.delete(m.c);
        parentPort.postMessage({ c: m.c, close: true });
      });
      return;
    }
    socks.get(m.c)?.write(Buffer.from(m.ab));
  });
}

/** Worker side of 'ring-ping'. */
async function pingIo() {
  const { ByteRing } = await import(join(REPO, 'dist', 'src', 'protocol', 'io', 'byte-ring.js'));
  const { toIoSab, toMainSab, wakeMain, wakeMe } = workerData;
  const toIo = new ByteRing(toIoSab);
  const toMain = new ByteRing(toMainSab, () => wakeMain.postMessage(0));
  const socks = new Map();
  const onRecord = (c, kind, bytes) => {
    if (kind === 2) {
      const fd = Buffer.from(bytes).readInt32LE(0);
      const s = new net.Socket({ fd, readable: true, writable: true });
      socks.set(c, s);
      s.on('data', (d) => toMain.put(c, 1, d));
      s.on('error', () => undefined);
      s.on('close', () => socks.delete(c));
      return;
    }
    socks.get(c)?.write(Buffer.from(bytes));
  };
  let sleeping = null;
  wakeMe.on('message', () => sleeping?.());
  for (;;) {
    toIo.take(onRecord);
    if (toIo.markWaiting()) await new Promise((r) => (sleeping = r));
    sleeping = null;
  }
}

// ---- client side ----------------------------------------------------------------------------

/** `clients` connections, each sending a request and waiting for its answer, for `ms`. */
async function load(port, clients, ms) {
  const request = frame(Buffer.from('\x17SELECT c FROM sbtest1 WHERE id=?'), 0);
  let done = 0;
  const until = Date.now() + ms;
  await Promise.all(
    Array.from({ length: clients }, () => new Promise((res) => {
      const s = net.connect(port, '127.0.0.1');
      s.setNoDelay(true);
      const f = new Framer();
      s.on('connect', () => s.write(request));
      s.on('data', (d) => f.push(d, () => {
        done++;
        if (Date.now() < until) s.write(request);
        else s.end();
      }));
      s.on('close', res);
      s.on('error', res);
    })),
  );
  return done;
}

function median(xs) {
  const v = [...xs].sort((a, b) => a - b);
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

async function runMode(mode, opts, clients) {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), '--serve', mode, '--work-us', String(opts.workUs), '--reply-bytes', String(opts.replyBytes)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout });
  const queue = [];
  let waiting = null;
  lines.on('line', (l) => (waiting ? (waiting(JSON.parse(l)), (waiting = null)) : queue.push(JSON.parse(l))));
  const next = () => (queue.length ? Promise.resolve(queue.shift()) : new Promise((r) => (waiting = r)));
  try {
    const { port } = await next();
    await load(port, clients, 300); // warm up
    child.stdin.write('start\n');
    await next();
    const n = await load(port, clients, opts.time * 1000);
    child.stdin.write('stats\n');
    const st = await next();
    return { rps: n / opts.time, elu: st.elu, cpuUsPerReq: (st.cpuMs * 1000) / n };
  } finally {
    child.kill();
  }
}

function parseArgs(argv) {
  const o = { time: 5, clients: [1, 4], workUs: 40, replyBytes: 200, rounds: 1, modes: ALL_MODES, serve: undefined };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const v = argv[++i];
    switch (k) {
      case '--time': o.time = Number(v); break;
      case '--clients': o.clients = v.split(',').map(Number); break;
      case '--work-us': o.workUs = Number(v); break;
      case '--reply-bytes': o.replyBytes = Number(v); break;
      case '--rounds': o.rounds = Number(v); break;
      case '--modes': o.modes = v.split(','); break;
      case '--serve': o.serve = v; break;
      default: throw new Error(`unknown option ${k}`);
    }
  }
  return o;
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  if (o.serve) return serve(o.serve, o);
  const results = [];
  for (const clients of o.clients) {
    const runs = Object.fromEntries(o.modes.map((m) => [m, []]));
    for (let r = 0; r < o.rounds; r++) {
      for (const mode of r % 2 ? [...o.modes].reverse() : o.modes) {
        process.stderr.write(`second-core: ${mode} clients=${clients} round ${r + 1}/${o.rounds}\n`);
        runs[mode].push(await runMode(mode, o, clients));
      }
    }
    for (const mode of o.modes) {
      const rs = runs[mode];
      results.push({ mode, clients, rps: median(rs.map((x) => x.rps)), elu: median(rs.map((x) => x.elu)), cpu: median(rs.map((x) => x.cpuUsPerReq)) });
    }
  }
  console.log(`\ntoy request/response, ${o.workUs} us of main-thread work per request, ${o.replyBytes}-byte replies, ${o.time}s per run${o.rounds > 1 ? `, median of ${o.rounds}` : ''}\n`);
  console.log('| design | clients | requests/s | vs single | main thread busy | server CPU us/request |');
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const r of results) {
    const base = results.find((x) => x.mode === 'single' && x.clients === r.clients);
    console.log(`| ${r.mode} | ${r.clients} | ${r.rps.toFixed(0)} | ${base ? (r.rps / base.rps).toFixed(2) : '-'} | ${(100 * r.elu).toFixed(0)}% | ${r.cpu.toFixed(1)} |`);
  }
}

if (isMainThread) {
  main().catch((e) => {
    console.error(e?.stack ?? e);
    process.exitCode = 1;
  });
} else if (workerData?.role === 'message-io') {
  messageIo();
} else if (workerData?.role === 'ping-io') {
  void pingIo();
}
