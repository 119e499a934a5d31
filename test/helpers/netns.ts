/**
 * The network-namespace test fixture: the manual's `red` and `blue` namespaces, each joined to
 * the global namespace by a veth pair with the documentation addresses
 *
 *     red 192.0.2.2 (vpeer-red) <=> 192.0.2.1 (veth-red)  global  (veth-blue) 198.51.100.1 <=> 198.51.100.2 (vpeer-blue) blue
 *
 * This machine's own uplink may already live in one of those documentation ranges (here eth0 is
 * 192.0.2.2/24 with its default gateway at 192.0.2.1). Giving veth-red 192.0.2.1 would then hijack
 * the machine's gateway and overlap its subnet, so the fixture checks first: when the global
 * namespace already has an address in a range, that pair's global end stays address-less
 * (`hostAddress` null, the reason in `hostConflict`) and the namespace side is set up as usual.
 * Tests that need the global end must check `hostAddress`.
 *
 * Set-up first removes any leftovers, teardown is idempotent and always restores the previous
 * ip_forward value. Because the names and addresses are fixed, only one test file at a time may
 * own them: a lock directory (with the owner's pid, so a crashed owner's lock is taken over)
 * serialises the files across vitest workers; inside one process the fixture is shared and
 * reference-counted.
 *
 * Where namespaces cannot be made (not root, no `ip`, addon not built), {@link describeNetns}
 * registers a skipped test whose title says why, so the run reports it instead of passing silently.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/network-namespace-support.html (5.1.14)
 * @req NETNS-017 NETNS-018
 */
import { spawnSync } from 'node:child_process';
import type { Socket } from 'node:net';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { namespaceSupport } from '../../src/netns/namespace.js';

export interface NamespaceEnd {
  /** Namespace name ('red'). */
  name: string;
  /** Global-side veth device and address ('veth-red', '192.0.2.1'); the address is null when the
   *  global namespace already uses that subnet (see `hostConflict`). */
  hostDev: string;
  hostAddress: string | null;
  /** Why the global end has no address ('' when it has one). */
  hostConflict: string;
  /** Namespace-side device and address ('vpeer-red', '192.0.2.2'). */
  nsDev: string;
  nsAddress: string;
  prefix: number;
}

export interface RedBlue {
  red: NamespaceEnd;
  blue: NamespaceEnd;
  /** Release this user's share; the last one deletes links and namespaces. */
  teardown(): Promise<void>;
}

/** The manual's addresses; {@link setupRedBlue} returns copies with `hostAddress` decided. */
export const RED: Readonly<NamespaceEnd> = { name: 'red', hostDev: 'veth-red', hostAddress: '192.0.2.1', hostConflict: '', nsDev: 'vpeer-red', nsAddress: '192.0.2.2', prefix: 24 };
export const BLUE: Readonly<NamespaceEnd> = { name: 'blue', hostDev: 'veth-blue', hostAddress: '198.51.100.1', hostConflict: '', nsDev: 'vpeer-blue', nsAddress: '198.51.100.2', prefix: 24 };

/** How long a test file may wait for another file to release red/blue. */
export const NETNS_LOCK_WAIT_MS = 600_000;
const LOCK_DIR = '/run/refmysql-netns.lock';

export interface RunResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Run a command and return its status and output (never throws for a non-zero exit). */
/** Everything a socket sends until it ends, as UTF-8 text. */
export function readAll(sock: Socket): Promise<string> {
  return new Promise((res, rej) => {
    let text = '';
    sock.setEncoding('utf8');
    sock.on('data', (d: string) => (text += d));
    sock.once('end', () => res(text));
    sock.once('error', rej);
  });
}

export function run(argv: readonly string[]): RunResult {
  const r = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8', timeout: 30_000 });
  return { status: r.status ?? -1, stdout: r.stdout ?? '', stderr: r.stderr ?? (r.error ? String(r.error) : '') };
}

/** Run a command inside namespace `ns` (`ip netns exec ns ...`). */
export function nsExec(ns: string, argv: readonly string[]): RunResult {
  return run(['ip', 'netns', 'exec', ns, ...argv]);
}

function must(argv: readonly string[]): string {
  const r = run(argv);
  if (r.status !== 0) throw new Error(`${argv.join(' ')} failed (${r.status}): ${r.stderr.trim()}`);
  return r.stdout;
}

let availability: { ok: boolean; reason: string } | null = null;

/** Whether this process can build the fixture, and if not why. */
export function netnsAvailability(): { ok: boolean; reason: string } {
  if (availability) return availability;
  if (process.platform !== 'linux') availability = { ok: false, reason: 'network namespaces need Linux' };
  else if (process.getuid?.() !== 0) availability = { ok: false, reason: 'network namespace tests need root (ip netns add, CAP_SYS_ADMIN)' };
  else if (run(['ip', '-V']).status !== 0) availability = { ok: false, reason: '`ip` (iproute2) is not installed; run scripts/install-peers.sh' };
  else {
    const s = namespaceSupport();
    availability = s.available ? probeNamespaces() : { ok: false, reason: s.reason };
  }
  return availability;
}

/** Root is not always enough (a container may deny CAP_NET_ADMIN): try a throwaway namespace and veth. */
function probeNamespaces(): { ok: boolean; reason: string } {
  const ns = `refmysql-probe-${process.pid}`;
  const dev = `rmprobe${process.pid % 100000}`;
  try {
    const add = run(['ip', 'netns', 'add', ns]);
    if (add.status !== 0) return { ok: false, reason: `ip netns add failed: ${add.stderr.trim()}` };
    const veth = run(['ip', 'link', 'add', dev, 'type', 'veth', 'peer', 'name', `${dev}p`]);
    if (veth.status !== 0) return { ok: false, reason: `ip link add ... type veth failed: ${veth.stderr.trim()}` };
    return { ok: true, reason: '' };
  } finally {
    run(['ip', 'link', 'del', dev]);
    run(['ip', 'netns', 'del', ns]);
  }
}

/**
 * `describe` for namespace tests. When the fixture cannot run here, the block is replaced by a
 * single skipped test named after the reason.
 */
export function describeNetns(title: string, fn: () => void): void {
  const a = netnsAvailability();
  if (!a.ok) {
    describe(title, () => {
      it.skip(`NOT RUN (network namespaces unavailable): ${a.reason}`, () => undefined);
    });
    return;
  }
  describe(title, fn);
}

/** Register beforeAll/afterAll that own red/blue for the enclosing describe; returns a getter. */
export function useRedBlue(): () => RedBlue {
  let rb: RedBlue | null = null;
  beforeAll(async () => {
    rb = await setupRedBlue();
  }, NETNS_LOCK_WAIT_MS + 60_000);
  afterAll(async () => {
    await rb?.teardown();
  }, 60_000);
  return () => {
    if (!rb) throw new Error('red/blue fixture is not set up');
    return rb;
  };
}

// ---- cross-process lock --------------------------------------------------------------------

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function tryLock(): boolean {
  try {
    mkdirSync(LOCK_DIR);
    writeFileSync(`${LOCK_DIR}/pid`, String(process.pid));
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    let owner = NaN;
    try {
      owner = Number(readFileSync(`${LOCK_DIR}/pid`, 'utf8'));
    } catch {
      /* owner is writing its pid right now; retry later */
      return false;
    }
    if (Number.isFinite(owner) && owner !== process.pid && !pidAlive(owner)) {
      rmSync(LOCK_DIR, { recursive: true, force: true }); // a crashed owner: take over
    }
    return false;
  }
}

async function acquireLock(): Promise<void> {
  const deadline = Date.now() + NETNS_LOCK_WAIT_MS;
  while (!tryLock()) {
    if (Date.now() > deadline) throw new Error(`red/blue namespaces still owned by another test process after ${NETNS_LOCK_WAIT_MS} ms (${LOCK_DIR})`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function releaseLock(): void {
  try {
    if (Number(readFileSync(`${LOCK_DIR}/pid`, 'utf8')) === process.pid) rmSync(LOCK_DIR, { recursive: true, force: true });
  } catch {
    /* not ours or already gone */
  }
}

// ---- set-up and teardown -------------------------------------------------------------------

let users = 0;
let ready: Promise<void> | null = null;
let ends: { red: NamespaceEnd; blue: NamespaceEnd } | null = null;
let savedForward: string | null = null;

function removeAll(): void {
  for (const end of [RED, BLUE]) {
    run(['ip', 'link', 'del', end.hostDev]); // deleting one end deletes the pair
    run(['ip', 'netns', 'del', end.name]);
  }
}

/** The /24 network of an IPv4 address ('192.0.2' for 192.0.2.7). */
const net24 = (a: string): string => a.split('.').slice(0, 3).join('.');

/** A global address (outside our own veth devices) in the same /24 as `end`, or ''. */
function globalConflict(end: NamespaceEnd): string {
  const out = run(['ip', '-4', '-o', 'addr', 'show']).stdout;
  for (const line of out.split('\n')) {
    const f = line.trim().split(/\s+/);
    const dev = f[1] ?? '';
    const cidr = f[3] ?? '';
    if (dev === RED.hostDev || dev === BLUE.hostDev || !cidr) continue;
    const addr = cidr.split('/')[0]!;
    if (net24(addr) === net24(end.nsAddress)) return `the global namespace already uses ${cidr} on ${dev}`;
  }
  return '';
}

function addEnd(template: Readonly<NamespaceEnd>): NamespaceEnd {
  const conflict = globalConflict(template);
  const end: NamespaceEnd = { ...template, hostAddress: conflict ? null : template.hostAddress, hostConflict: conflict };
  must(['ip', 'netns', 'add', end.name]);
  must(['ip', 'link', 'add', end.hostDev, 'type', 'veth', 'peer', 'name', end.nsDev]);
  must(['ip', 'link', 'set', end.nsDev, 'netns', end.name]);
  if (end.hostAddress) must(['ip', 'addr', 'add', `${end.hostAddress}/${end.prefix}`, 'dev', end.hostDev]);
  must(['ip', 'link', 'set', end.hostDev, 'up']);
  must(['ip', 'netns', 'exec', end.name, 'ip', 'addr', 'add', `${end.nsAddress}/${end.prefix}`, 'dev', end.nsDev]);
  must(['ip', 'netns', 'exec', end.name, 'ip', 'link', 'set', end.nsDev, 'up']);
  must(['ip', 'netns', 'exec', end.name, 'ip', 'link', 'set', 'lo', 'up']);
  return end;
}

/**
 * Create red and blue (waiting for another test file to release them first). With
 * `forwarding`, routing between the namespaces is enabled as in the manual's optional step.
 */
export async function setupRedBlue(opts: { forwarding?: boolean } = {}): Promise<RedBlue> {
  const a = netnsAvailability();
  if (!a.ok) throw new Error(`network namespaces unavailable: ${a.reason}`);
  users++;
  if (!ready) {
    ready = (async () => {
      await acquireLock();
      try {
        removeAll();
        ends = { red: addEnd(RED), blue: addEnd(BLUE) };
        if (opts.forwarding) {
          savedForward = readFileSync('/proc/sys/net/ipv4/ip_forward', 'utf8').trim();
          must(['sysctl', '-q', 'net.ipv4.ip_forward=1']);
          for (const end of [ends.red, ends.blue]) {
            if (end.hostAddress) must(['ip', 'netns', 'exec', end.name, 'ip', 'route', 'add', 'default', 'via', end.hostAddress]);
          }
        }
        const notes = [ends.red, ends.blue].filter((e) => e.hostConflict).map((e) => `## note: ${e.hostDev} has no address: ${e.hostConflict}`);
        console.log([diagnostics(), ...notes].join('\n'));
      } catch (err) {
        removeAll();
        releaseLock();
        throw err;
      }
    })();
  }
  try {
    await ready;
  } catch (err) {
    users--;
    ready = null;
    throw err;
  }
  let released = false;
  const { red, blue } = ends!;
  return {
    red,
    blue,
    async teardown(): Promise<void> {
      if (released) return;
      released = true;
      users--;
      if (users > 0) return;
      ready = null;
      ends = null;
      removeAll();
      if (savedForward !== null) {
        run(['sysctl', '-q', `net.ipv4.ip_forward=${savedForward}`]);
        savedForward = null;
      }
      releaseLock();
    },
  };
}

/**
 * What the namespaces look like now (NETNS-018): namespaces, links and routes globally, and per
 * namespace the routes and listening TCP sockets.
 */
export function diagnostics(): string {
  const parts: string[] = [];
  const show = (label: string, argv: readonly string[]): void => {
    const r = run(argv);
    parts.push(`## ${label}\n${(r.stdout || r.stderr).trim()}`);
  };
  show('ip netns list', ['ip', 'netns', 'list']);
  show('ip -br link list', ['ip', '-br', 'link', 'list']);
  show('ip route show', ['ip', 'route', 'show']);
  for (const end of [RED, BLUE]) {
    if (!existsSync(`/run/netns/${end.name}`)) continue;
    show(`ip netns exec ${end.name} ip route show`, ['ip', 'netns', 'exec', end.name, 'ip', 'route', 'show']);
    show(`ip netns exec ${end.name} ss -ltnp`, ['ip', 'netns', 'exec', end.name, 'ss', '-ltnp']);
  }
  return parts.join('\n');
}

/** Listening TCP sockets (`ss -ltn`) in a namespace ('' = global), as "addr:port" strings. */
export function listeningSockets(ns: string): string[] {
  const argv = ['ss', '-Hltn'];
  const r = ns ? nsExec(ns, argv) : run(argv);
  return r.stdout
    .split('\n')
    .map((l) => l.trim().split(/\s+/)[3] ?? '')
    .filter((x) => x !== '');
}
