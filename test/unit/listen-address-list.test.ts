/**
 * The listener address-list parser (bind_address, admin_address, mysqlx_bind_address): examples
 * of each rule and fast-check properties (round trip of valid lists, rejection of wildcards in
 * lists and with namespaces, and arbitrary input never throwing).
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { req } from '../helpers/req.js';
import {
  formatBindAddress,
  isWildcardAddress,
  parseAdminAddress,
  parseBindAddressList,
  parseMysqlxAddressList,
  WILDCARD_IN_LIST,
  WILDCARD_WITH_NAMESPACE,
  type BindAddress,
} from '../../src/server/listen/address-list.js';

const ipv4 = fc.tuple(fc.integer({ min: 1, max: 254 }), fc.nat(255), fc.nat(255), fc.integer({ min: 1, max: 254 })).map((p) => p.join('.'));
const ipv6 = fc.ipV6().filter((a) => !isWildcardAddress(a));
const hostName = fc.stringMatching(/^[a-z][a-z0-9-]{0,14}(\.[a-z][a-z0-9-]{0,10}){0,2}$/);
const address = fc.oneof(ipv4, ipv6, hostName);
const nsName = fc.stringMatching(/^[a-zA-Z0-9_.-]{1,20}$/);
const element = fc.record({ address, namespace: fc.oneof(fc.constant(''), nsName) });
const wildcard = fc.constantFrom('*', '0.0.0.0', '::', '0.0.0.0'.toUpperCase());

describe('bind_address parser', () => {
  it(req(['NETNS-030', 'NETNS-033', 'NETNS-034', 'NETNS-035', 'NETNS-037'], 'unit', 'examples: lists, namespaces, single wildcard'), () => {
    expect(parseBindAddressList('127.0.0.1,192.0.2.2/red,198.51.100.2/blue')).toEqual({
      ok: true,
      addresses: [
        { address: '127.0.0.1', namespace: '' },
        { address: '192.0.2.2', namespace: 'red' },
        { address: '198.51.100.2', namespace: 'blue' },
      ],
    });
    expect(parseBindAddressList('*')).toEqual({ ok: true, addresses: [{ address: '*', namespace: '' }] });
    expect(parseBindAddressList('::')).toEqual({ ok: true, addresses: [{ address: '::', namespace: '' }] });
    expect(parseBindAddressList('::1,fe80::1/red')).toEqual({ ok: true, addresses: [{ address: '::1', namespace: '' }, { address: 'fe80::1', namespace: 'red' }] });
    expect(parseBindAddressList(' 127.0.0.1 , ::1 ')).toEqual({ ok: true, addresses: [{ address: '127.0.0.1', namespace: '' }, { address: '::1', namespace: '' }] });
  });

  it(req(['NETNS-032', 'NETNS-033', 'NETNS-037'], 'unit', 'examples of invalid values and the reasons mysqld logs'), () => {
    expect(parseBindAddressList('')).toEqual({ ok: false, lines: [] });
    expect(parseBindAddressList('*,127.0.0.1')).toEqual({ ok: false, lines: [WILDCARD_IN_LIST] });
    expect(parseBindAddressList('127.0.0.1,*')).toEqual({ ok: false, lines: [] });
    expect(parseBindAddressList('0,127.0.0.1')).toEqual({ ok: false, lines: [WILDCARD_IN_LIST] });
    expect(parseBindAddressList('*/red')).toEqual({ ok: false, lines: [WILDCARD_WITH_NAMESPACE] });
    expect(parseBindAddressList('127.0.0.1,::/red')).toEqual({ ok: false, lines: [WILDCARD_WITH_NAMESPACE] });
    for (const bad of [',', ',a', 'a,', 'a,,b', '/red', 'a/', 'a /red', 'a/ red', 'a b']) expect(parseBindAddressList(bad).ok, bad).toBe(false);
  });

  it(req(['NETNS-030', 'NETNS-033', 'NETNS-037'], 'unit', 'property: a list of valid elements round-trips through the parser'), () => {
    fc.assert(
      fc.property(fc.array(element, { minLength: 1, maxLength: 6 }), (els: BindAddress[]) => {
        const text = els.map(formatBindAddress).join(',');
        expect(parseBindAddressList(text)).toEqual({ ok: true, addresses: els });
      }),
    );
  });

  it(req(['NETNS-032', 'NETNS-037'], 'unit', 'property: a wildcard anywhere in a multi-address list is refused'), () => {
    fc.assert(
      fc.property(fc.array(element, { minLength: 1, maxLength: 5 }), wildcard, fc.nat(), (els, w, at) => {
        const parts = els.map(formatBindAddress);
        parts.splice(at % (parts.length + 1), 0, w);
        expect(parseBindAddressList(parts.join(',')).ok).toBe(false);
      }),
    );
  });

  it(req(['NETNS-032'], 'unit', 'property: a wildcard with a namespace is refused with MY-013407, alone or in a list'), () => {
    fc.assert(
      fc.property(fc.array(element, { maxLength: 4 }), wildcard, nsName, (els, w, ns) => {
        const text = [...els.map(formatBindAddress), `${w}/${ns}`].join(',');
        expect(parseBindAddressList(text)).toEqual({ ok: false, lines: [WILDCARD_WITH_NAMESPACE] });
      }),
    );
  });

  it(req(['NETNS-033'], 'unit', 'property: arbitrary input never throws and every accepted element is well formed'), () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', '1', '.', ':', '/', ',', ' ', '*', '0', 'r') , maxLength: 30 }), (text) => {
        const r = parseBindAddressList(text);
        if (r.ok) {
          for (const a of r.addresses) {
            expect(a.address).not.toBe('');
            expect(a.address).not.toMatch(/[\s,/]/);
            expect(a.namespace).not.toMatch(/[\s,]/);
            if (a.namespace !== '') expect(isWildcardAddress(a.address)).toBe(false);
            if (r.addresses.length > 1) expect(isWildcardAddress(a.address) && a.namespace === '').toBe(false);
          }
        }
      }),
      { numRuns: 2000 },
    );
    fc.assert(fc.property(fc.string(), (text) => void parseBindAddressList(text)));
  });
});

describe('admin_address and mysqlx_bind_address parsers', () => {
  it(req(['NETNS-038', 'NETNS-032', 'NETNS-037'], 'unit', 'admin_address: one address with optional namespace; wildcards refused'), () => {
    expect(parseAdminAddress('192.0.2.2/red')).toEqual({ ok: true, addresses: [{ address: '192.0.2.2', namespace: 'red' }] });
    expect(parseAdminAddress('127.0.0.1')).toEqual({ ok: true, addresses: [{ address: '127.0.0.1', namespace: '' }] });
    expect(parseAdminAddress('*')).toEqual({ ok: false, lines: [] });
    expect(parseAdminAddress('0.0.0.0/red')).toEqual({ ok: false, lines: [WILDCARD_WITH_NAMESPACE] });
    expect(parseAdminAddress('/red').ok).toBe(false);
    fc.assert(fc.property(fc.string(), (t) => void parseAdminAddress(t)));
  });

  it(req(['NETNS-039', 'NETNS-041', 'NETNS-037'], 'unit', 'mysqlx_bind_address: bad elements are skipped with a reason, good ones kept'), () => {
    expect(parseMysqlxAddressList('*')).toEqual({ addresses: [{ address: '*', namespace: '' }], skipped: [] });
    expect(parseMysqlxAddressList('*,127.0.0.1, 192.0.2.2/red ,0.0.0.0/blue,/x,')).toEqual({
      addresses: [
        { address: '127.0.0.1', namespace: '' },
        { address: '192.0.2.2', namespace: 'red' },
      ],
      skipped: [
        { value: '*', reason: 'wildcards are not allowed when there are more than one address' },
        { value: '0.0.0.0/blue', reason: 'network namespace are not allowed for wildcards' },
        { value: '/x', reason: "can't be parsed as an address" },
      ],
    });
    fc.assert(
      fc.property(fc.array(element, { minLength: 1, maxLength: 6 }), (els) => {
        expect(parseMysqlxAddressList(els.map(formatBindAddress).join(','))).toEqual({ addresses: els, skipped: [] });
      }),
    );
    fc.assert(fc.property(fc.string(), (t) => void parseMysqlxAddressList(t)));
  });
});
