/**
 * A reply's packets framed in one buffer at flush time: the bytes equal the physical packets
 * written one after another (built here by hand, not with the codec under test), the sequence
 * ids continue across packets and wrap at 256, and a payload of 0xffffff bytes or more is split
 * with its trailing empty packet.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { OutboundPackets, PacketDecoder } from '../../../src/protocol/packet-codec.js';
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
          expect(out.take().equals(Buffer.concat(want))).toBe(true);
          expect(out.empty).toBe(true);
        }
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
