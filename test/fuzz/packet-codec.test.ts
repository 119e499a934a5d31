import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  encodeLenencInt,
  encodePacket,
  encodePacketBuffer,
  lenencIntSize,
  MalformedPacketError,
  PacketDecoder,
  PacketTooLargeError,
  PayloadReader,
  PayloadWriter,
} from '../../src/protocol/packet-codec.js';
import { req } from '../helpers/req.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 200);

/** Split a buffer at the given (sorted, deduplicated) cut points. */
function splitAt(b: Buffer, cuts: number[]): Buffer[] {
  const pts = [...new Set(cuts.map((c) => c % (b.length + 1)))].sort((x, y) => x - y);
  const out: Buffer[] = [];
  let prev = 0;
  for (const p of pts) {
    out.push(b.subarray(prev, p));
    prev = p;
  }
  out.push(b.subarray(prev));
  return out;
}

describe('packet codec', () => {
  it(req('CORE-PROTO-002', 'unit', 'payloads round-trip through framing and the incremental decoder'), () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 8 }), fc.nat(255), (payloads, seq0) => {
        let seq = seq0;
        const frames: Buffer[] = [];
        const seqs: number[] = [];
        for (const p of payloads) {
          seqs.push(seq);
          const enc = encodePacket(Buffer.from(p), seq);
          frames.push(...enc.frames);
          seq = enc.nextSeq;
        }
        const got = new PacketDecoder().push(Buffer.concat(frames));
        expect(got.map((g) => [...g.payload])).toEqual(payloads.map((p) => [...p]));
        expect(got.map((g) => g.seq)).toEqual(seqs);
      }),
      { numRuns: RUNS },
    );
  });

  it(req('CORE-PROTO-002', 'unit', 'a byte stream split at random boundaries decodes identically'), () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 200 }), { minLength: 1, maxLength: 6 }), fc.array(fc.nat(5000), { maxLength: 20 }), (payloads, cuts) => {
        let seq = 0;
        const stream = Buffer.concat(
          payloads.map((p) => {
            const b = encodePacketBuffer(Buffer.from(p), seq);
            seq = (seq + 1) & 0xff;
            return b;
          }),
        );
        const whole = new PacketDecoder().push(stream);
        const d = new PacketDecoder();
        const pieces = splitAt(stream, cuts).flatMap((c) => d.push(c));
        expect(pieces.map((p) => [p.seq, [...p.payload]])).toEqual(whole.map((p) => [p.seq, [...p.payload]]));
        expect(d.pendingBytes).toBe(0);
      }),
      { numRuns: RUNS },
    );
  });

  it(req('CORE-PROTO-002', 'unit', 'payloads of 16 MiB and more are split into 0xffffff chunks and re-joined'), () => {
    for (const size of [0xffffff - 1, 0xffffff, 0xffffff + 1, 2 * 0xffffff]) {
      const payload = Buffer.alloc(size, 0x61);
      payload[size - 1] = 0x7a;
      const { frames, nextSeq } = encodePacket(payload, 3);
      const headers = frames.filter((_, i) => i % 2 === 0).map((h) => [h.readUIntLE(0, 3), h[3]]);
      const chunks = Math.floor(size / 0xffffff) + 1;
      expect(headers.length).toBe(chunks);
      expect(nextSeq).toBe((3 + chunks) & 0xff);
      const d = new PacketDecoder();
      const out = splitAt(Buffer.concat(frames), [7, 0xffffff + 2, 0xffffff * 2 - 5]).flatMap((c) => d.push(c));
      expect(out.length).toBe(1);
      expect(out[0]!.payload.length).toBe(size);
      expect(out[0]!.payload[size - 1]).toBe(0x7a);
      expect(out[0]!.seq).toBe(3);
      expect(out[0]!.lastSeq).toBe((3 + chunks - 1) & 0xff);
    }
  });

  it(req('CORE-PROTO-020', 'unit', 'the decoder refuses a packet above the limit before buffering it'), () => {
    const d = new PacketDecoder(() => 100);
    expect(d.push(encodePacketBuffer(Buffer.alloc(100), 0)).length).toBe(1);
    expect(() => d.push(encodePacketBuffer(Buffer.alloc(101), 0).subarray(0, 4))).toThrow(PacketTooLargeError);
  });

  it(req('CORE-PROTO-002', 'unit', 'length-encoded integers round-trip and use the minimal width'), () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), (n) => {
        const b = encodeLenencInt(n);
        expect(b.length).toBe(lenencIntSize(n));
        const r = new PayloadReader(b);
        expect(r.lenencInt()).toBe(n);
        expect(r.atEnd()).toBe(true);
      }),
      { numRuns: RUNS },
    );
    expect([...encodeLenencInt(250)]).toEqual([250]);
    expect([...encodeLenencInt(251)]).toEqual([0xfc, 251, 0]);
    expect([...encodeLenencInt(0x10000)]).toEqual([0xfd, 0, 0, 1]);
    expect(encodeLenencInt(0x1000000)[0]).toBe(0xfe);
  });

  it(req('CORE-PROTO-002', 'unit', 'writer and reader agree on every field kind'), () => {
    fc.assert(
      fc.property(
        fc.record({
          a: fc.nat(255),
          b: fc.nat(0xffff),
          c: fc.nat(0xffffff),
          d: fc.nat(0xffffffff),
          e: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
          f: fc.double({ noNaN: true }),
          s: fc.string(),
          z: fc.string().filter((x) => !x.includes('\0')),
        }),
        (v) => {
          const w = new PayloadWriter(1);
          w.int1(v.a).int2(v.b).int3(v.c).int4(v.d).int8(v.e).float8(v.f).lenencStr(v.s).nulStr(v.z).str('tail');
          const r = new PayloadReader(w.finish());
          expect(r.int1()).toBe(v.a);
          expect(r.int2()).toBe(v.b);
          expect(r.int3()).toBe(v.c);
          expect(r.int4()).toBe(v.d);
          expect(r.int8()).toBe(v.e);
          expect(Object.is(r.float8(), v.f)).toBe(true);
          expect(r.lenencBytes().toString('utf8')).toBe(Buffer.from(v.s, 'utf8').toString('utf8'));
          expect(r.nulBytes().toString('utf8')).toBe(Buffer.from(v.z, 'utf8').toString('utf8'));
          expect(r.rest().toString()).toBe('tail');
        },
      ),
      { numRuns: RUNS },
    );
  });

  it(req('CORE-PROTO-002', 'unit', 'reading random bytes only ever throws MalformedPacketError'), () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.array(fc.integer({ min: 0, max: 6 }), { maxLength: 12 }), (bytes, ops) => {
        const r = new PayloadReader(Buffer.from(bytes));
        try {
          for (const op of ops) {
            if (op === 0) r.int1();
            else if (op === 1) r.int4();
            else if (op === 2) r.lenencInt();
            else if (op === 3) r.lenencBytes();
            else if (op === 4) r.nulBytes();
            else if (op === 5) r.int8();
            else r.bytes(3);
          }
        } catch (e) {
          expect(e).toBeInstanceOf(MalformedPacketError);
        }
      }),
      { numRuns: RUNS },
    );
  });
});
