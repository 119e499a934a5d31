/**
 * Unit tests of the Group Replication allowlist: parsing and validation of every entry form,
 * the matcher against node:net BlockList as oracle (fast-check), FCrDNS over a table-driven
 * name service, and the automatic list from given interfaces.
 */
import { BlockList } from 'node:net';
import type { NetworkInterfaceInfo } from 'node:os';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AllowlistSyntaxError, isAutomatic, parseAllowlist, parseEntry } from '../../src/group-replication/allowlist.js';
import { automaticAllowlist } from '../../src/group-replication/automatic.js';
import { checkPeer, compileAllowlist, normalizePeer } from '../../src/group-replication/matcher.js';
import { checkHostName, preferredAddresses, type NameService, type ResolvedAddress } from '../../src/group-replication/resolver.js';
import { parseLocalAddress, resolveLocalAddress } from '../../src/group-replication/local-address.js';
import { effectiveAllowlist } from '../../src/group-replication/variables.js';
import { req } from '../helpers/req.js';

/** A name service from a hosts-like table: first name of an address is its reverse name. */
function tableNameService(lines: Array<[string, ...string[]]>): NameService {
  return {
    async lookupAll(name) {
      const out: ResolvedAddress[] = [];
      for (const [addr, ...names] of lines) {
        if (names.some((n) => n.toLowerCase() === name.toLowerCase())) out.push({ address: addr, family: addr.includes(':') ? 6 : 4 });
      }
      if (out.length === 0) throw new Error('ENOTFOUND');
      return out;
    },
    async reverse(address) {
      const l = lines.find((x) => x[0] === address);
      if (!l) throw new Error('ENOTFOUND');
      return l[1]!;
    },
  };
}

const entries = (v: string) => {
  const p = parseAllowlist(v);
  if (p.automatic) throw new Error('automatic');
  return p.entries;
};

describe('allowlist parsing', () => {
  it(req(['GRALLOW-008', 'GRALLOW-011'], 'unit', 'accepts every form: IPv4, IPv4/CIDR, IPv6, IPv6/CIDR, host names, host names/CIDR, comma-separated'), () => {
    const list = entries('192.0.2.0/24, 198.51.100.7,2001:db8:85a3:8d3:1319:8a2e:370:7348,2001:db8:85a3:8d3::/64,host1.example.com,host2.example.com/24');
    expect(list.map((e) => e.kind)).toEqual(['ip', 'ip', 'ip', 'ip', 'hostname', 'hostname']);
    expect(list[0]).toMatchObject({ family: 'ipv4', address: '192.0.2.0', prefix: 24 });
    expect(list[1]).toMatchObject({ family: 'ipv4', prefix: 32 });
    expect(list[2]).toMatchObject({ family: 'ipv6', prefix: 128 });
    expect(list[3]).toMatchObject({ family: 'ipv6', prefix: 64 });
    expect(list[4]).toMatchObject({ name: 'host1.example.com', prefix: null });
    expect(list[5]).toMatchObject({ name: 'host2.example.com', prefix: 24 });
  });

  it(req(['GRALLOW-008', 'GRALLOW-010'], 'unit', 'refuses malformed addresses, out-of-range or non-numeric prefixes and bad host names'), () => {
    for (const bad of ['300.1.1.1', '1.2.3', '10.0.0.0/33', '10.0.0.0/x', '10.0.0.0/', '::1/129', 'fe80::1%eth0', '2001:db8::g', 'bad_host-.com', '-x.com', 'a..b', 'h/24/1', 'h/200']) {
      expect(() => parseEntry(bad), bad).toThrow(AllowlistSyntaxError);
    }
    expect(() => parseAllowlist('')).toThrow(AllowlistSyntaxError);
    expect(() => parseAllowlist('10.0.0.1,,10.0.0.2')).toThrow(AllowlistSyntaxError);
  });

  it(req(['GRALLOW-002', 'GRALLOW-008'], 'unit', 'AUTOMATIC (any case, blanks ignored) must stand alone'), () => {
    expect(parseAllowlist(' automatic ')).toEqual({ automatic: true });
    expect(isAutomatic('AutoMatic')).toBe(true);
    try {
      parseAllowlist('AUTOMATIC,10.0.0.1');
      expect.unreachable();
    } catch (e) {
      expect((e as AllowlistSyntaxError).reason).toBe('automatic-mixed');
    }
  });

  it(req(['GRALLOW-008'], 'unit', 'random text never throws anything but AllowlistSyntaxError (fast-check)'), () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (s) => {
        try {
          parseAllowlist(s);
        } catch (e) {
          if (!(e instanceof AllowlistSyntaxError)) throw e;
        }
      }),
      { numRuns: 500, seed: 4242 },
    );
  });
});

/** Arbitraries for addresses and entries. */
const v4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((t) => t.join('.'));
const v6 = fc.array(fc.nat(0xffff), { minLength: 8, maxLength: 8 }).map((a) => a.map((x) => x.toString(16)).join(':'));
const entryArb = fc.oneof(
  fc.tuple(v4, fc.option(fc.nat(32), { nil: undefined })).map(([a, p]) => ({ text: p === undefined ? a : `${a}/${p}`, address: a, prefix: p ?? 32, family: 'ipv4' as const })),
  fc.tuple(v6, fc.option(fc.nat(128), { nil: undefined })).map(([a, p]) => ({ text: p === undefined ? a : `${a}/${p}`, address: a, prefix: p ?? 128, family: 'ipv6' as const })),
);

const hostArb = fc
  .array(fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,8}[a-z0-9])?$/), { minLength: 1, maxLength: 4 })
  .map((labels) => labels.join('.'))
  .filter((h) => !/^[0-9.]+$/.test(h) && !h.toLowerCase().includes('automatic'));
const anyEntryArb = fc.oneof(
  entryArb.map((e) => e.text),
  fc.tuple(hostArb, fc.option(fc.nat(128), { nil: undefined })).map(([h, p]) => (p === undefined ? h : `${h}/${p}`)),
);

describe('allowlist round trip', () => {
  it(req(['GRALLOW-008', 'GRALLOW-011'], 'unit', 'any list of valid entries, with blanks around them, parses back to the same entries (fast-check)'), () => {
    fc.assert(
      fc.property(fc.array(anyEntryArb, { minLength: 1, maxLength: 6 }), fc.array(fc.constantFrom('', ' ', '  '), { minLength: 6, maxLength: 6 }), (list, pad) => {
        const text = list.map((e, i) => `${pad[i]}${e}${pad[(i + 1) % 6]}`).join(',');
        const parsed = entries(text);
        expect(parsed.map((e) => e.text)).toEqual(list);
        // Each entry's parts read back to its text.
        expect(parsed.map((e) => (e.kind === 'ip' ? e.text.split('/')[0]!.toLowerCase() === e.address : e.text.split('/')[0] === e.name))).not.toContain(false);
      }),
      { numRuns: 300, seed: 99 },
    );
  });
});

describe('allowlist matcher', () => {
  it(req(['GRALLOW-001', 'GRALLOW-010'], 'unit', 'IP and CIDR entries admit exactly what net.BlockList says (fast-check oracle)'), async () => {
    const ns = tableNameService([]);
    await fc.assert(
      fc.asyncProperty(fc.array(entryArb, { minLength: 1, maxLength: 5 }), fc.oneof(v4, v6), async (list, peer) => {
        const oracle = new BlockList();
        for (const e of list) oracle.addSubnet(e.address, e.prefix, e.family);
        const compiled = compileAllowlist(entries(list.map((e) => e.text).join(',')), { addLocalhost: false });
        const family = peer.includes(':') ? 'ipv6' : 'ipv4';
        const out = await checkPeer(compiled, peer, ns);
        expect(out.allowed).toBe(oracle.check(peer, family));
      }),
      { numRuns: 300, seed: 77 },
    );
  });

  it(req(['GRALLOW-001', 'GRALLOW-010'], 'unit', 'IPv4-mapped IPv6 peers are compared as their IPv4 address'), async () => {
    const compiled = compileAllowlist(entries('192.0.2.0/24'), { addLocalhost: false });
    const ns = tableNameService([]);
    expect(normalizePeer('::FFFF:192.0.2.9')).toEqual({ address: '192.0.2.9', family: 'ipv4' });
    expect((await checkPeer(compiled, '::ffff:192.0.2.9', ns)).allowed).toBe(true);
    expect((await checkPeer(compiled, '::ffff:198.51.100.9', ns)).allowed).toBe(false);
  });

  it(req(['GRALLOW-006'], 'unit', 'an explicit list without localhost still gets 127.0.0.1/32 and ::1/128; one naming it gets nothing added'), async () => {
    const ns = tableNameService([]);
    const a = compileAllowlist(entries('192.0.2.0/24'), { addLocalhost: true });
    expect(a.addedLocalhost).toBe(true);
    expect((await checkPeer(a, '127.0.0.1', ns)).allowed).toBe(true);
    expect((await checkPeer(a, '::1', ns)).allowed).toBe(true);
    expect((await checkPeer(a, '127.0.0.2', ns)).allowed).toBe(false);
    expect((await checkPeer(a, '10.1.1.1', ns)).allowed).toBe(false);
    const b = compileAllowlist(entries('127.0.0.1/32,192.0.2.0/24'), { addLocalhost: true });
    expect(b.addedLocalhost).toBe(false);
    expect((await checkPeer(b, '::1', ns)).allowed).toBe(false);
  });
});

describe('host names: FCrDNS at connection time', () => {
  const ns = tableNameService([
    ['192.0.2.5', 'good.example'],
    ['192.0.2.6', 'real.example'],
    ['192.0.2.6', 'fake.example'],
    ['2001:db8::5', 'good.example'],
    ['2001:db8::7', 'six.example'],
    ['198.51.100.1', 'net.example'],
  ]);

  it(req(['GRALLOW-019', 'GRALLOW-018'], 'unit', 'a name whose address reverse-resolves to itself and back is confirmed; one whose PTR names another host is not'), async () => {
    const good = await checkHostName('good.example', ns);
    expect(good).toMatchObject({ status: 'resolved', confirmed: [{ address: '192.0.2.5', family: 4 }] });
    const fake = await checkHostName('fake.example', ns);
    expect(fake).toMatchObject({ status: 'resolved', confirmed: [], unconfirmed: [{ address: '192.0.2.6', reverseName: 'real.example' }] });
    expect(await checkHostName('nowhere.example', ns)).toEqual({ status: 'unresolvable', name: 'nowhere.example' });
  });

  it(req(['GRALLOW-009', 'GRALLOW-013'], 'unit', 'a name with IPv4 and IPv6 addresses is used by its IPv4 addresses only'), async () => {
    expect((await preferredAddresses('good.example', ns)).map((a) => a.address)).toEqual(['192.0.2.5']);
    expect((await preferredAddresses('six.example', ns)).map((a) => a.address)).toEqual(['2001:db8::7']);
  });

  it(req(['GRALLOW-019', 'GRALLOW-010', 'GRALLOW-018'], 'unit', 'host-name entries admit confirmed addresses, with the CIDR applied to them; unresolvable ones are skipped'), async () => {
    const list = compileAllowlist(entries('nowhere.example,fake.example,good.example,net.example/24'), { addLocalhost: false });
    const ok = await checkPeer(list, '192.0.2.5', ns);
    expect(ok.allowed).toBe(true);
    expect(ok.via).toBe('good.example');
    expect(ok.hostChecks[0]).toEqual({ status: 'unresolvable', name: 'nowhere.example' });
    expect((await checkPeer(list, '192.0.2.6', ns)).allowed).toBe(false);
    expect((await checkPeer(list, '198.51.100.77', ns)).allowed).toBe(true);
    expect((await checkPeer(list, '198.51.101.1', ns)).allowed).toBe(false);
  });
});

describe('automatic list', () => {
  const iface = (address: string, cidr: string, family: 'IPv4' | 'IPv6'): NetworkInterfaceInfo =>
    ({ address, cidr, family, netmask: '', mac: '00:00:00:00:00:00', internal: false, ...(family === 'IPv6' ? { scopeid: 0 } : {}) }) as NetworkInterfaceInfo;

  it(req(['GRALLOW-002', 'GRALLOW-003', 'GRALLOW-005'], 'unit', 'private subnets of the interfaces plus localhost, never public ones'), () => {
    const list = automaticAllowlist({
      lo: [iface('127.0.0.1', '127.0.0.1/8', 'IPv4'), iface('::1', '::1/128', 'IPv6')],
      eth0: [iface('192.0.2.2', '192.0.2.2/24', 'IPv4'), iface('10.77.0.2', '10.77.0.2/24', 'IPv4'), iface('172.20.1.1', '172.20.1.1/16', 'IPv4')],
      eth1: [iface('192.168.5.5', '192.168.5.5/24', 'IPv4'), iface('172.32.0.1', '172.32.0.1/16', 'IPv4'), iface('fd00::2', 'fd00::2/64', 'IPv6')],
      eth2: [iface('fe80::1', 'fe80::1/64', 'IPv6'), iface('2001:db8::1', '2001:db8::1/64', 'IPv6'), iface('10.9.9.9', '10.9.9.9/7', 'IPv4')],
    });
    expect(list).toEqual(['10.77.0.2/24', '127.0.0.1/8', '172.20.1.1/16', '192.168.5.5/24', '::1/128', 'fd00::2/64', 'fe80::1/64']);
    expect(automaticAllowlist({})).toEqual(['127.0.0.1/8', '::1/128']);
  });
});

describe('which list applies', () => {
  it(req(['GRALLOW-021'], 'unit', 'the allowlist counts unless it is AUTOMATIC; then the deprecated whitelist does'), () => {
    expect(effectiveAllowlist('10.0.0.0/8', '192.168.0.0/16')).toBe('10.0.0.0/8');
    expect(effectiveAllowlist('AUTOMATIC', '192.168.0.0/16')).toBe('192.168.0.0/16');
    expect(effectiveAllowlist('automatic', 'AUTOMATIC')).toBe('automatic');
  });
});

describe('local address', () => {
  it(req(['GRALLOW-013', 'GRALLOW-012'], 'unit', 'a local host name with IPv4 and IPv6 addresses is used by its IPv4 address, and must be local'), async () => {
    const ns = tableNameService([['::1', 'dual.test'], ['127.0.0.1', 'dual.test'], ['192.0.2.99', 'remote.test']]);
    const ifaces = () => ({ lo: [{ address: '127.0.0.1', cidr: '127.0.0.1/8', family: 'IPv4', netmask: '255.0.0.0', mac: '', internal: true } as NetworkInterfaceInfo] });
    expect(await resolveLocalAddress('dual.test:33061', ns, ifaces)).toEqual({ ok: true, ip: '127.0.0.1', port: 33061, translated: ["Translated 'dual.test' to 127.0.0.1"] });
    expect(await resolveLocalAddress('remote.test:33061', ns, ifaces)).toEqual({ ok: false, problem: 'There is no local IP address matching the one configured for the local node (remote.test:33061).' });
    expect(await resolveLocalAddress('nowhere.test:1', ns, ifaces)).toEqual({ ok: false, problem: 'Unable to translate hostname nowhere.test to IP address!' });
    expect(await resolveLocalAddress('x', ns, ifaces)).toEqual({ ok: false, problem: 'Invalid hostname or IP address (x) assigned to the parameter local_node!' });
  });

  it(req(['GRALLOW-012'], 'unit', 'group_replication_local_address is host:port ([v6]:port for IPv6 literals)'), () => {
    expect(parseLocalAddress('127.0.0.1:33061')).toEqual({ host: '127.0.0.1', port: 33061 });
    expect(parseLocalAddress('[::1]:33061')).toEqual({ host: '::1', port: 33061 });
    expect(parseLocalAddress('node1.example:1')).toEqual({ host: 'node1.example', port: 1 });
    for (const bad of ['', '127.0.0.1', '127.0.0.1:0', 'h:70000', '::1:33061', 'h :1']) expect(parseLocalAddress(bad), bad).toBeNull();
  });
});
