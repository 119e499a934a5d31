/**
 * Statement outcomes byte by byte against the real server: OK packets with every field, ERR
 * packets with the '#' SQLSTATE marker, and the end of a result set with and without
 * CLIENT_DEPRECATE_EOF. A hand-written client over TCP reads the packets, so nothing is hidden
 * by a connector's parsing.
 *
 * @spec https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_basic_response_packets.html
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Capability, Command } from '../../src/protocol/constants.js';
import { PayloadReader } from '../../src/protocol/packet-codec.js';
import { req } from '../helpers/req.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { CLIENT_CAPS, RawClient } from '../unit/protocol/raw-client.js';

let srv: TestServer;

beforeAll(async () => {
  srv = await startTestServer();
  const c = await srv.connect();
  await c.query('CREATE DATABASE p10');
  await c.query('CREATE TABLE p10.t (id INT AUTO_INCREMENT PRIMARY KEY, v TINYINT)');
  await c.end();
});

afterAll(async () => {
  await srv?.stop();
});

interface Ok {
  header: number;
  affected: number;
  insertId: number;
  status: number;
  warnings: number;
  info: string;
}

function decodeOk(payload: Buffer): Ok {
  const r = new PayloadReader(payload);
  const header = r.int1();
  const affected = Number(r.lenencInt());
  const insertId = Number(r.lenencInt());
  const status = r.int2();
  const warnings = r.int2();
  // The info text is length-encoded when present (the server stores it with a length prefix
  // whether or not CLIENT_SESSION_TRACK is on, and libmysql reads it that way).
  const info = r.rest();
  return { header, affected, insertId, status, warnings, info: info.length === 0 ? '' : new PayloadReader(info).lenencBytes().toString('utf8') };
}

const AUTOCOMMIT = 0x0002;

describe('response packets', () => {
  it(req(['CORE-PROTO-010#ok', 'CORE-PROTO-010#err'], 'wire', 'an OK packet carries affected rows, last insert id, status, warnings and info; an ERR packet has the # SQLSTATE marker'), async () => {
    const c = await RawClient.login(srv.port);
    try {
      c.command(Command.QUERY, 'INSERT IGNORE INTO p10.t (v) VALUES (1), (2), (300)');
      const p = (await c.read())!;
      expect(p.seq).toBe(1);
      expect(decodeOk(p.payload)).toEqual({ header: 0x00, affected: 3, insertId: 1, status: AUTOCOMMIT, warnings: 1, info: 'Records: 3  Duplicates: 0  Warnings: 1' });
      c.command(Command.QUERY, 'UPDATE p10.t SET v = v + 1 WHERE id <= 2');
      expect(decodeOk((await c.read())!.payload)).toEqual({ header: 0x00, affected: 2, insertId: 0, status: AUTOCOMMIT, warnings: 0, info: 'Rows matched: 2  Changed: 2  Warnings: 0' });
      c.command(Command.QUERY, 'BEGIN');
      expect(decodeOk((await c.read())!.payload).status & 0x0001).toBe(0x0001); // SERVER_STATUS_IN_TRANS
      c.command(Command.QUERY, 'ROLLBACK');
      expect(decodeOk((await c.read())!.payload).status & 0x0001).toBe(0);
      c.command(Command.QUERY, 'SELECT * FROM p10.nope');
      const e = (await c.read())!;
      expect(e.payload[0]).toBe(0xff);
      expect(e.payload.readUInt16LE(1)).toBe(1146);
      expect(e.payload.subarray(3, 4).toString('latin1')).toBe('#');
      expect(e.payload.subarray(4, 9).toString('latin1')).toBe('42S02');
      expect(e.payload.subarray(9).toString('utf8')).toBe("Table 'p10.nope' doesn't exist");
    } finally {
      await c.quit();
    }
  });

  it(req(['CORE-PROTO-010#eof', 'CORE-PROTO-010#deprecate-eof'], 'wire', 'result sets end with EOF packets for clients without CLIENT_DEPRECATE_EOF, and with an OK packet headed 0xFE (no EOF at all) for clients with it'), async () => {
    const sql = 'SELECT id, v FROM p10.t ORDER BY id';
    const old = await RawClient.login(srv.port);
    try {
      old.command(Command.QUERY, sql);
      const ps = await old.readResponse(false);
      // count, 2 definitions, EOF, 3 rows, EOF
      expect(ps.map((p) => p.payload[0] === 0xfe && p.payload.length < 9)).toEqual([false, false, false, true, false, false, false, true]);
      for (const eof of [ps[3]!, ps[7]!]) {
        expect(eof.payload.length).toBe(5);
        expect(eof.payload.readUInt16LE(1)).toBe(0); // warnings
        expect(eof.payload.readUInt16LE(3) & AUTOCOMMIT).toBe(AUTOCOMMIT);
      }
      expect(ps.map((p) => p.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    } finally {
      await old.quit();
    }
    const modern = await RawClient.login(srv.port, { caps: (CLIENT_CAPS | Capability.DEPRECATE_EOF) >>> 0 });
    try {
      modern.command(Command.QUERY, sql);
      const ps = await modern.readResponse(true);
      // count, 2 definitions, 3 rows, then the terminating OK with header 0xFE
      expect(ps).toHaveLength(7);
      expect(ps.slice(0, 6).some((p) => p.payload[0] === 0xfe)).toBe(false);
      const end = decodeOk(ps[6]!.payload);
      expect(end).toEqual({ header: 0xfe, affected: 0, insertId: 0, status: end.status, warnings: 0, info: '' });
      expect(end.status & AUTOCOMMIT).toBe(AUTOCOMMIT);
      // Statements without a result set still answer with a plain OK (header 0x00).
      modern.command(Command.QUERY, 'DO 1');
      expect(decodeOk((await modern.read())!.payload)).toMatchObject({ header: 0x00, affected: 0 });
    } finally {
      await modern.quit();
    }
  });
});
