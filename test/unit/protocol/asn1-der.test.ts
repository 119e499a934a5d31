import { describe, expect, it } from 'vitest';
import { bitString, integer, oid, sequence, time, tlv } from '../../../src/protocol/asn1-der.js';
import { req } from '../../helpers/req.js';

describe('DER writer', () => {
  it(req('CORE-PROTO-040', 'unit', 'encodes OIDs, integers, lengths and times as DER requires'), () => {
    expect(oid('1.2.840.113549.1.1.11').toString('hex')).toBe('06092a864886f70d01010b');
    expect(oid('2.5.4.3').toString('hex')).toBe('0603550403');
    expect(integer(0n).toString('hex')).toBe('020100');
    expect(integer(127n).toString('hex')).toBe('02017f');
    expect(integer(128n).toString('hex')).toBe('02020080');
    expect(integer(Buffer.from([0, 0, 1])).toString('hex')).toBe('020101');
    expect(tlv(0x04, Buffer.alloc(200)).subarray(0, 3).toString('hex')).toBe('0481c8');
    expect(tlv(0x04, Buffer.alloc(300)).subarray(0, 4).toString('hex')).toBe('0482012c');
    expect(sequence().toString('hex')).toBe('3000');
    expect(bitString(Buffer.from([0xff])).toString('hex')).toBe('030200ff');
    expect(time(new Date(Date.UTC(2036, 0, 2, 3, 4, 5))).toString('latin1').slice(2)).toBe('360102030405Z');
    expect(time(new Date(Date.UTC(2051, 0, 2, 3, 4, 5)))[0]).toBe(0x18);
  });
});
