/**
 * A reply's packets framed in one buffer at flush time: the bytes equal the physical packets
 * written one after another (built here by hand, not with the codec under test), the sequence
 * ids continue across packets and wrap at 256, and a payload of 0xffffff bytes or more is split
 * with its trailing empty packet. Packets written field by field straight into the reply
 * (CORE-PERF-045) give the same bytes as the fields built by hand, also when one is abandoned
 * half-written or grows past 0xffffff bytes.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { OutboundPackets, PacketDecoder, PayloadWriter } from '../../../src/protocol/packet-codec.js';
import { req } from '../../helpers/req.js';

/** Physical packets of one payload, by hand: 3-byte length, sequence id, at most 0xffffff bytes each. */
function framesByHand(payload: Buffer, seq: number): { bytes: Buffer; next: number } {
  const parts: Buffer[] = [];
  let off = 0;
  let s = seq & 0xff;
  for (;;) {
    const len = Math.min(0xffffff, payload.length - off);
    parts.push(Buffer.from([len & 0xff, (len >> 8) & 0xff, (len >> 16) & 0xff, s]), payload.subarray(off, off + len));
    s = (s + 1) & 0xff;
    off += len;
    if (len < 0xffffff) break;
  }
  return { bytes: Buffer.concat(parts), next: s };
}

describe('OutboundPackets', () => {
  it(req(['CORE-PERF-044', 'CORE-PROTO-002'], 'unit', 'the framed reply equals the physical packets written one by one, across takes, with wrapping sequence ids'), () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 12 }), { maxLength: 4 }), fc.integer({ min: 0, max: 255 }), (replies, start) => {
        const out = new OutboundPackets();
        let seq = start;
        let expectedSeq = start;
        // Every reply taken stays intact while later replies are written into the same slab.
        const taken: Array<{ got: Buffer; want: Buffer }> = [];
        for (const reply of replies) {
          const want: Buffer[] = [];
          for (const p of reply) {
            const payload = Buffer.from(p);
            seq = out.add(payload, seq);
            const f = framesByHand(payload, expectedSeq);
            want.push(f.bytes);
            expectedSeq = f.next;
          }
          expect(seq).toBe(expectedSeq);
          expect(out.empty).toBe(reply.length === 0);
          const got = out.take();
          expect(got.equals(Buffer.concat(want))).toBe(true);
          taken.push({ got, want: Buffer.concat(want) });
          expect(out.empty).toBe(true);
        }
        for (const t of taken) expect(t.got.equals(t.want)).toBe(true);
      }),
    );
  });

  it(req(['CORE-PERF-044', 'CORE-PROTO-002'], 'unit', 'a payload of exactly 0xffffff bytes between small ones is split with a trailing empty packet, and the decoder gets every payload back'), () => {
    const out = new OutboundPackets();
    const big = Buffer.alloc(0xffffff, 7);
    let seq = out.add(Buffer.from('a'), 254);
    seq = out.add(big, seq);
    seq = out.add(Buffer.from('bc'), seq);
    expect(seq).toBe((254 + 1 + 2 + 1) & 0xff);
    const bytes = out.take();
    const want = Buffer.concat([framesByHand(Buffer.from('a'), 254).bytes, framesByHand(big, 255).bytes, framesByHand(Buffer.from('bc'), 1).bytes]);
    expect(bytes.equals(want)).toBe(true);
    const got = new PacketDecoder().push(bytes);
    expect(got.map((p) => p.payload.length)).toEqual([1, 0xffffff, 2]);
    expect(got.map((p) => p.seq)).toEqual([254, 255, 1]);
  });
});

/** A field to write, and its bytes built by hand. */
type Field =
  | { kind: 'int1'; v: number }
  | { kind: 'int2'; v: number }
  | { kind: 'int4'; v: number }
  | { kind: 'lenencInt'; v: number | bigint }
  | { kind: 'lenencStr'; v: string }
  | { kind: 'lenencBytes'; v: Uint8Array }
  | { kind: 'str'; v: string };

/** Length-encoded integer by hand (canonical: the shortest form). */
function lenencByHand(n: bigint): Buffer {
  if (n < 251n) return Buffer.from([Number(n)]);
  if (n < 0x10000n) return Buffer.from([0xfc, Number(n & 0xffn), Number(n >> 8n)]);
  if (n < 0x1000000n) return Buffer.from([0xfd, Number(n & 0xffn), Number((n >> 8n) & 0xffn), Number(n >> 16n)]);
  const b = [0xfe];
  for (let i = 0n; i < 8n; i++) b.push(Number((n >> (8n * i)) & 0xffn));
  return Buffer.from(b);
}

/** UTF-8 of a JS string by hand (lone surrogates become U+FFFD, as Buffer does). */
function utf8ByHand(s: string): Buffer {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && s.charCodeAt(i + 1) >= 0xdc00 && s.charCodeAt(i + 1) <= 0xdfff) {
      c = 0x10000 + ((c - 0xd800) << 10) + (s.charCodeAt(++i) - 0xdc00);
    } else if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd;
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return Buffer.from(out);
}

function fieldByHand(f: Field): Buffer {
  switch (f.kind) {
    case 'int1':
      return Buffer.from([f.v & 0xff]);
    case 'int2':
      return Buffer.from([f.v & 0xff, (f.v >> 8) & 0xff]);
    case 'int4':
      return Buffer.from([f.v & 0xff, (f.v >>> 8) & 0xff, (f.v >>> 16) & 0xff, (f.v >>> 24) & 0xff]);
    case 'lenencInt':
      return lenencByHand(BigInt(f.v));
    case 'lenencStr': {
      const b = utf8ByHand(f.v);
      return Buffer.concat([lenencByHand(BigInt(b.length)), b]);
    }
    case 'lenencBytes':
      return Buffer.concat([lenencByHand(BigInt(f.v.length)), Buffer.from(f.v)]);
    case 'str':
      return utf8ByHand(f.v);
  }
}

function writeField(w: PayloadWriter, f: Field): void {
  switch (f.kind) {
    case 'int1':
      w.int1(f.v);
      return;
    case 'int2':
      w.int2(f.v);
      return;
    case 'int4':
      w.int4(f.v);
      return;
    case 'lenencInt':
      w.lenencInt(f.v);
      return;
    case 'lenencStr':
      w.lenencStr(f.v);
      return;
    case 'lenencBytes':
      w.lenencStr(Buffer.from(f.v));
      return;
    case 'str':
      w.str(f.v);
      return;
  }
}

/** Strings around the 1-byte length limit, mixing 1- to 4-byte characters and lone surrogates. */
const text = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc.string({ unit: fc.constantFrom('a', 'é', '€', '😀', '\ud800', 'z'), minLength: 60, maxLength: 260 }),
  fc.string({ unit: 'grapheme-ascii', minLength: 240, maxLength: 260 }),
);
const field: fc.Arbitrary<Field> = fc.oneof(
  fc.record({ kind: fc.constant('int1' as const), v: fc.integer({ min: -128, max: 255 }) }),
  fc.record({ kind: fc.constant('int2' as const), v: fc.integer({ min: -32768, max: 65535 }) }),
  fc.record({ kind: fc.constant('int4' as const), v: fc.integer() }),
  fc.record({ kind: fc.constant('lenencInt' as const), v: fc.oneof(fc.nat(), fc.constantFrom(250, 251, 0xffff, 0x10000, 0xffffff, 0x1000000, 2 ** 32), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n })) }),
  fc.record({ kind: fc.constant('lenencStr' as const), v: text }),
  fc.record({ kind: fc.constant('lenencBytes' as const), v: fc.uint8Array({ maxLength: 300 }) }),
  fc.record({ kind: fc.constant('str' as const), v: text }),
);

describe('packets written field by field into the reply', () => {
  it(req(['CORE-PERF-045', 'CORE-PROTO-002'], 'unit', 'fields written in place give the hand-built bytes; an abandoned packet leaves no trace; earlier replies stay intact'), () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.record({ fields: fc.array(field, { maxLength: 8 }), abandon: fc.boolean() }), { maxLength: 10 }), { maxLength: 5 }),
        fc.integer({ min: 0, max: 255 }),
        (replies, start) => {
          const out = new OutboundPackets();
          let seq = start;
          const taken: Array<{ got: Buffer; want: Buffer }> = [];
          for (const reply of replies) {
            const want: Buffer[] = [];
            for (const p of reply) {
              out.begin();
              for (const f of p.fields) writeField(out, f);
              if (p.abandon) {
                out.abort();
                continue;
              }
              const payload = Buffer.concat(p.fields.map(fieldByHand));
              const f = framesByHand(payload, seq);
              seq = out.end(seq);
              expect(seq).toBe(f.next);
              want.push(f.bytes);
            }
            const got = out.take();
            taken.push({ got, want: Buffer.concat(want) });
            expect(got.equals(Buffer.concat(want))).toBe(true);
          }
          for (const t of taken) expect(t.got.equals(t.want)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it(req(['CORE-PERF-045', 'CORE-PROTO-002'], 'unit', 'a stand-alone payload writer gives the same bytes as the reply does'), () => {
    fc.assert(
      fc.property(fc.array(field, { maxLength: 12 }), (fields) => {
        const w = new PayloadWriter(1);
        for (const f of fields) writeField(w, f);
        expect(w.finish().equals(Buffer.concat(fields.map(fieldByHand)))).toBe(true);
      }),
    );
  });

  it(req(['CORE-PERF-045', 'CORE-PROTO-002'], 'unit', 'a packet grown in place past two 0xffffff-byte chunks is split into physical packets after the fact'), () => {
    const out = new OutboundPackets();
    let seq = out.add(Buffer.from('x'), 250);
    out.begin();
    const part = Buffer.alloc(0x100000);
    const payload: Buffer[] = [];
    for (let i = 0; i < 33; i++) {
      part.fill(i);
      out.bytes(part);
      payload.push(Buffer.from(part));
    }
    out.int1(0xab);
    payload.push(Buffer.from([0xab]));
    const big = Buffer.concat(payload);
    expect(big.length).toBeGreaterThan(2 * 0xffffff);
    seq = out.end(seq);
    seq = out.add(Buffer.from('yz'), seq);
    const bytes = out.take();
    const want = Buffer.concat([framesByHand(Buffer.from('x'), 250).bytes, framesByHand(big, 251).bytes, framesByHand(Buffer.from('yz'), 254).bytes]);
    expect(seq).toBe(255);
    expect(bytes.equals(want)).toBe(true);
    const got = new PacketDecoder().push(bytes);
    expect(got.map((p) => p.payload.length)).toEqual([1, big.length, 2]);
    expect(got[1]!.payload.equals(big)).toBe(true);
  });
});
