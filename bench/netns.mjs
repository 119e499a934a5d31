#!/usr/bin/env node
/**
 * bench/netns.mjs — what a network namespace costs refmysqld: creating a listener and opening an
 * outgoing connection inside a named namespace (native addon: setns in, socket/bind, setns back)
 * versus the same in the global namespace, and, for scale, the alternative the addon replaces
 * (a helper process started with `ip netns exec`).
 *
 *   npm run bench:netns                 # defaults below; needs root (creates a namespace)
 *   node bench/netns.mjs --iterations 2000
 *
 * Options: --iterations N (listener and connection rounds, default 1000), --spawns N (helper
 * process rounds, default 20). The namespace `refmysql-bench` is created with its loopback up and
 * deleted at the end (also on error). Figures are informational; nothing asserts on time.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/network-namespace-support.html (5.1.14)
 * @req NETNS-011
 */
import { spawnSync } from 'node:child_process';
import { closeSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const NS = 'refmysql-bench';

function arg(name, dflt) {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
}
const ITER = arg('iterations', 1000);
const SPAWNS = arg('spawns', 20);

function sh(argv) {
  const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${argv.join(' ')}: ${r.stderr || r.error}`);
}

const { listenFdInNamespace, listenInNamespace, connectInNamespace, namespaceSupport } = await import(
  resolve(REPO, 'dist', 'src', 'netns', 'namespace.js')
);

/** Mean microseconds per call of an async or sync op run `n` times (after a short warm-up). */
async function measure(n, op) {
  for (let i = 0; i < Math.min(50, n); i++) await op();
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await op();
  return Number(process.hrtime.bigint() - t0) / 1000 / n;
}

function listenPlain() {
  return new Promise((res) => {
    const s = createServer();
    s.listen({ host: '127.0.0.1', port: 0 }, () => s.close(() => res()));
  });
}

async function listenNs() {
  const s = createServer();
  await listenInNamespace(s, NS, '127.0.0.1', 0);
  await new Promise((r) => s.close(() => r()));
}

function connectPlain(port) {
  return new Promise((res, rej) => {
    const c = connect({ host: '127.0.0.1', port }, () => {
      c.destroy();
      res();
    });
    c.once('error', rej);
  });
}

async function connectNs(port) {
  const c = await connectInNamespace(NS, '127.0.0.1', port);
  c.destroy();
}

async function main() {
  const support = namespaceSupport();
  if (!support.available) throw new Error(`namespaces unavailable: ${support.reason}`);
  if (process.getuid?.() !== 0) throw new Error('needs root (ip netns add)');
  spawnSync('ip', ['netns', 'del', NS]);
  sh(['ip', 'netns', 'add', NS]);
  sh(['ip', 'netns', 'exec', NS, 'ip', 'link', 'set', 'lo', 'up']);
  const globalSrv = createServer((s) => s.destroy());
  const nsSrv = createServer((s) => s.destroy());
  try {
    await new Promise((r) => globalSrv.listen({ host: '127.0.0.1', port: 0 }, r));
    await listenInNamespace(nsSrv, NS, '127.0.0.1', 0);
    const gPort = globalSrv.address().port;
    const nPort = nsSrv.address().port;

    const rows = [];
    rows.push(['socket+bind+listen only (addon, fd closed)', null, await measure(ITER, () => closeSync(listenFdInNamespace(NS, '127.0.0.1', 0)))]);
    rows.push(['listener: net.Server listen + close', await measure(ITER, listenPlain), await measure(ITER, listenNs)]);
    rows.push(['outgoing connection: connect + destroy', await measure(ITER, () => connectPlain(gPort)), await measure(ITER, () => connectNs(nPort))]);
    const spawnUs = await measure(SPAWNS, () => sh(['ip', 'netns', 'exec', NS, 'true']));
    rows.push([`alternative: spawn \`ip netns exec ${NS} true\``, null, spawnUs]);

    console.log(`# network namespace cost (node ${process.version}, ${ITER} iterations, ${SPAWNS} spawns; mean µs per operation)`);
    console.log('| operation | global µs | namespace µs | ratio |');
    console.log('|---|---:|---:|---:|');
    for (const [name, g, n] of rows) {
      const ratio = g ? (n / g).toFixed(2) : '';
      console.log(`| ${name} | ${g ? g.toFixed(1) : '-'} | ${n.toFixed(1)} | ${ratio} |`);
    }
  } finally {
    globalSrv.close();
    nsSrv.close();
    spawnSync('ip', ['netns', 'del', NS]);
  }
}

main().catch((err) => {
  spawnSync('ip', ['netns', 'del', NS]);
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
