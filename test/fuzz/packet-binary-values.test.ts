import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { binaryRowPacket, readBinaryParam, textRowPacket, writeBinaryValue } from '../../src/protocol/commands/binary-values.js';
import { MalformedPacketError, PayloadReader, PayloadWriter } from '../../src/protocol/packet-codec.js';
import { ColumnFlag, MysqlType, type MysqlTypeCode, type ResultColumn } from '../../src/kernel/column-type.js';
import { Decimal, Temporal, type Value } from '../../src/kernel/value.js';
import { req } from '../helpers/req.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 200);

function col(type: MysqlTypeCode, unsigned = false): ResultColumn {
  return { schema: '', table: '', orgTable: '', name: 'c', orgName: '', charsetId: 63, length: 20, type, flags: unsigned ? ColumnFlag.UNSIGNED : 0, decimals: 0 };
}

function roundTrip(v: Exclude<Value, null>, type: MysqlTypeCode, unsigned = false): Value {
  const w = new PayloadWriter();
  const c = col(type, unsigned);
  // DECIMAL text follows the column's scale.
  if (v instanceof Decimal) c.decimals = v.scale;
  writeBinaryValue(w, v, c);
  const r = new PayloadReader(w.finish());
  const out = readBinaryParam(r, { type, unsigned });
  expect(r.atEnd()).toBe(true);
  return out;
}

const intTypes: [MysqlTypeCode, number][] = [
  [MysqlType.TINY, 8],
  [MysqlType.SHORT, 16],
  [MysqlType.LONG, 32],
  [MysqlType.LONGLONG, 64],
];

describe('binary protocol values', () => {
  it(req(['CORE-PROTO-031', 'CORE-PROTO-032'], 'unit', 'integers of every width round-trip signed and unsigned'), () => {
    for (const [type, bits] of intTypes) {
      const b = BigInt(bits);
      fc.assert(
        fc.property(fc.bigInt({ min: -(1n << (b - 1n)), max: (1n << (b - 1n)) - 1n }), fc.bigInt({ min: 0n, max: (1n << b) - 1n }), (s, u) => {
          expect(roundTrip(s, type)).toBe(s);
          expect(roundTrip(u, type, true)).toBe(u);
        }),
        { numRuns: RUNS },
      );
    }
  });

  it(req(['CORE-PROTO-031', 'CORE-PROTO-032'], 'unit', 'doubles, floats, decimals and strings round-trip'), () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true }), fc.float({ noNaN: true }), fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), fc.nat(30), fc.string(), (d, f, unscaled, scale, s) => {
        expect(Object.is(roundTrip(d, MysqlType.DOUBLE), d)).toBe(true);
        expect(Object.is(roundTrip(f, MysqlType.FLOAT), Math.fround(f))).toBe(true);
        const dec = new Decimal(unscaled, scale);
        expect((roundTrip(dec, MysqlType.NEWDECIMAL) as Decimal).toString()).toBe(dec.toString());
        expect(roundTrip(s, MysqlType.VAR_STRING)).toBe(Buffer.from(s, 'utf8').toString('utf8'));
      }),
      { numRuns: RUNS },
    );
  });

  it(req(['CORE-PROTO-031', 'CORE-PROTO-032'], 'unit', 'DATE, DATETIME and TIME layouts round-trip'), () => {
    fc.assert(
      fc.property(
        fc.record({ y: fc.integer({ min: 1, max: 9999 }), mo: fc.integer({ min: 1, max: 12 }), d: fc.integer({ min: 1, max: 28 }), h: fc.integer({ min: 0, max: 23 }), mi: fc.nat(59), s: fc.nat(59), us: fc.nat(999999), th: fc.nat(838), neg: fc.boolean() }),
        (t) => {
          const date = new Temporal('DATE', t.y, t.mo, t.d, 0, 0, 0, 0);
          expect((roundTrip(date, MysqlType.DATE) as Temporal).toString()).toBe(date.toString());
          const dt = new Temporal('DATETIME', t.y, t.mo, t.d, t.h, t.mi, t.s, t.us, 6);
          const back = roundTrip(dt, MysqlType.DATETIME) as Temporal;
          expect([back.year, back.month, back.day, back.hour, back.minute, back.second, back.micro]).toEqual([t.y, t.mo, t.d, t.h, t.mi, t.s, t.us]);
          const time = new Temporal('TIME', 0, 0, 0, t.th, t.mi, t.s, t.us, 6, t.neg);
          const tb = roundTrip(time, MysqlType.TIME) as Temporal;
          const zero = t.th === 0 && t.mi === 0 && t.s === 0 && t.us === 0;
          expect([tb.hour, tb.minute, tb.second, tb.micro, zero ? false : tb.negative]).toEqual([t.th, t.mi, t.s, t.us, zero ? false : t.neg]);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it(req('CORE-PROTO-032', 'unit', 'binary rows mark NULLs in a bitmap offset by two bits'), () => {
    const cols = [col(MysqlType.LONG), col(MysqlType.VAR_STRING), col(MysqlType.LONG), col(MysqlType.LONG), col(MysqlType.LONG), col(MysqlType.LONG), col(MysqlType.LONG)];
    const p = binaryRowPacket([null, 'a', 1n, null, 2n, 3n, null], cols);
    expect(p[0]).toBe(0);
    // (7 + 7 + 2) / 8 = 2 bitmap bytes; NULLs at 0, 3, 6 -> bits 2, 5, 8.
    expect([p[1], p[2]]).toEqual([0b00100100, 0b00000001]);
    const t = textRowPacket([null, 'a'], cols.slice(0, 2));
    expect([...t]).toEqual([0xfb, 1, 0x61]);
  });

  it(req('CORE-PROTO-031', 'unit', 'decoding random bytes as any parameter type only throws MalformedPacketError'), () => {
    const types = Object.values(MysqlType);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), fc.constantFrom(...types), fc.boolean(), (bytes, type, unsigned) => {
        try {
          readBinaryParam(new PayloadReader(Buffer.from(bytes)), { type, unsigned });
        } catch (e) {
          expect(e).toBeInstanceOf(MalformedPacketError);
        }
      }),
      { numRuns: RUNS },
    );
  });
});
