import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Command } from '../../src/protocol/constants.js';
import { req } from '../helpers/req.js';
import { startTestServer, type TestServer } from '../unit/protocol/listen.js';
import { RawClient } from '../unit/protocol/raw-client.js';

const RUNS = Math.min(Number(process.env.FUZZ_RUNS ?? 40), 2000);

let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer();
});
afterAll(async () => {
  await srv.close();
});

describe('connection fuzzing', () => {
  it(req(['CORE-PROTO-014', 'CORE-PROTO-022'], 'unit', 'random command payloads get ERR/OK replies or a close, never an internal error'), async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.tuple(fc.integer({ min: 0, max: 0x20 }), fc.uint8Array({ maxLength: 48 })).map(([cmd, rest]) => Uint8Array.from([cmd, ...rest])),
          { minLength: 1, maxLength: 6 },
        ),
        async (payloads) => {
        const c = await RawClient.login(srv.port);
        for (const p of payloads) {
          // QUIT and CHANGE_USER legitimately end the connection; keep the session alive for the rest.
          if (p[0] === Command.QUIT || p[0] === Command.CHANGE_USER) continue;
          c.send(Buffer.from(p), 0);
        }
        c.command(Command.PING);
        // Read until the ping's OK (7 bytes) or the connection closes; bounded by the packet count.
        let got = await c.read();
        for (let i = 0; i < 500 && got && !(got.payload[0] === 0 && got.payload.length === 7); i++) got = await c.read();
        c.destroy();
        expect(srv.fake.logs.filter((l) => l.includes('unexpected error'))).toEqual([]);
        },
      ),
      { numRuns: RUNS },
    );
    const c = await RawClient.login(srv.port);
    c.command(Command.PING);
    expect((await c.read())!.payload[0]).toBe(0);
    await c.quit();
  });

  it(req('CORE-PROTO-004', 'unit', 'random handshake responses get ERR or a close, never an internal error'), async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 120 }), async (bytes) => {
        const c = await RawClient.connect(srv.port);
        await c.read();
        c.send(Buffer.from(bytes), 1);
        const r = await c.read();
        if (r) expect([0x00, 0xff, 0xfe, 0x01]).toContain(r.payload[0]);
        c.destroy();
        expect(srv.fake.logs.filter((l) => l.includes('unexpected error'))).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });
});
