/**
 * The reserved X listener's reply: the Mysqlx.Error frame encoder, checked against an
 * independent protobuf decoder (fast-check round trip), and the namespace-error log lines.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { req } from '../helpers/req.js';
import { MYSQLX_NOT_SUPPORTED, mysqlxErrorFrame } from '../../src/server/listen/mysqlx.js';
import { namespaceFailureLine } from '../../src/server/listen/tcp.js';
import { NamespaceError } from '../../src/netns/namespace.js';

/** Decode one X frame holding Mysqlx.Error; throws on anything malformed. */
function decode(buf: Buffer): { type: number; severity: number; code: number; msg: string; sqlState: string } {
  if (buf.length < 5) throw new Error('short frame');
  const len = buf.readUInt32LE(0);
  if (len !== buf.length - 4) throw new Error(`length ${len} vs ${buf.length - 4}`);
  let i = 5;
  const varint = (): number => {
    let v = 0;
    let mul = 1;
    for (;;) {
      if (i >= buf.length) throw new Error('truncated varint');
      const b = buf[i++]!;
      v += (b & 0x7f) * mul;
      if (!(b & 0x80)) return v;
      mul *= 128;
    }
  };
  const out = { type: buf[4]!, severity: -1, code: -1, msg: '', sqlState: '' };
  while (i < buf.length) {
    const key = varint();
    const field = key >> 3;
    const wire = key & 7;
    if (wire === 0) {
      const v = varint();
      if (field === 1) out.severity = v;
      else if (field === 2) out.code = v;
      else throw new Error(`unexpected varint field ${field}`);
    } else if (wire === 2) {
      const n = varint();
      if (i + n > buf.length) throw new Error('truncated string');
      const text = buf.subarray(i, i + n).toString('utf8');
      i += n;
      if (field === 3) out.msg = text;
      else if (field === 4) out.sqlState = text;
      else throw new Error(`unexpected string field ${field}`);
    } else throw new Error(`wire type ${wire}`);
  }
  return out;
}

describe('Mysqlx.Error frame', () => {
  it(req(['NETNS-039'], 'unit', 'the default reply is a FATAL 1235/42000 Mysqlx.Error (type 1)'), () => {
    expect(decode(mysqlxErrorFrame())).toEqual({ type: 1, severity: 1, code: 1235, msg: MYSQLX_NOT_SUPPORTED.message, sqlState: '42000' });
  });

  it(req(['NETNS-039'], 'unit', 'property: any code, message and SQLSTATE round-trip through the encoder'), () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.string({ unit: 'grapheme', maxLength: 300 }), fc.stringMatching(/^[0-9A-Z]{5}$/), (code, message, sqlState) => {
        expect(decode(mysqlxErrorFrame({ code, message, sqlState }))).toEqual({ type: 1, severity: 1, code, msg: message, sqlState });
      }),
    );
  });
});

describe('namespace failure lines', () => {
  it(req(['NETNS-014', 'NETNS-036'], 'unit', 'each namespace failure maps to its MySQL error-log code'), () => {
    const mk = (kind: ConstructorParameters<typeof NamespaceError>[0], message: string): NamespaceError => new NamespaceError(kind, 'red', 1, 'EPERM', 'Operation not permitted', message);
    expect(namespaceFailureLine(mk('setns-failed', "setns() failed with error 'Operation not permitted'"))).toEqual({
      level: 'Error',
      code: 'MY-013408',
      message: "setns() failed with error 'Operation not permitted'",
    });
    expect(namespaceFailureLine(mk('unknown-namespace', "Unknown network namespace 'red'")).code).toBe('MY-013406');
    expect(namespaceFailureLine(mk('path-too-long', 'x')).code).toBe('MY-013410');
    expect(namespaceFailureLine(mk('not-supported', 'Network Namespaces is not supported on this platform')).code).toBe('MY-013405');
    expect(namespaceFailureLine(mk('open-failed', "Can't open file: '/run/netns/red' (OS errno: 13 - Permission denied)")).code).toBe('MY-013136');
  });
});
