/** Start the protocol handler on an ephemeral loopback port for tests. */
import * as net from 'node:net';
import { createProtocolHandler, type ProtocolHandler, type ProtocolOptions } from '../../../src/protocol/listener.js';
import { FakeServer, type FakeServerOptions } from './fake-server.js';

export interface TestServer {
  fake: FakeServer;
  handler: ProtocolHandler;
  port: number;
  /** Unix socket path when `unixSocket` was requested. */
  socketPath?: string;
  close(): Promise<void>;
}

export async function startTestServer(o: FakeServerOptions & ProtocolOptions & { unixSocket?: string } = {}): Promise<TestServer> {
  const fake = new FakeServer(o);
  const handler = createProtocolHandler(fake.ctx, {
    ...(o.tls ? { tls: o.tls } : {}),
    ...(o.rsa ? { rsa: o.rsa } : {}),
  });
  const server = net.createServer((sock) => handler.handle(sock, { transport: 'tcp' }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  let unix: net.Server | null = null;
  if (o.unixSocket) {
    unix = net.createServer((sock) => handler.handle(sock, { transport: 'socket' }));
    await new Promise<void>((resolve) => unix!.listen(o.unixSocket, resolve));
  }
  return {
    fake,
    handler,
    port,
    ...(o.unixSocket ? { socketPath: o.unixSocket } : {}),
    async close() {
      await handler.closeAll('shutdown');
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (unix) await new Promise<void>((resolve) => unix!.close(() => resolve()));
    },
  };
}
