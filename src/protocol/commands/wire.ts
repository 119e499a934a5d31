/**
 * What command handlers see of a connection: the session, the negotiated capabilities, and
 * buffered packet output. Keeps command files independent of socket handling.
 *
 * @spec https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_command_phase.html
 * @req CORE-PROTO-010 CORE-PERF-045
 */
import type { ServerContext, SessionApi } from '../../kernel/protocol-port.js';
import type { ResultColumn } from '../../kernel/column-type.js';
import type { Value } from '../../kernel/value.js';
import type { ParamType } from './binary-values.js';
import type { PayloadWriter } from '../packet-codec.js';

/** Server-side state of one prepared statement beyond what the session keeps. */
export interface PreparedState {
  /** Types bound by the last execute that sent them (reused when new-params-bound is 0). */
  paramTypes: ParamType[] | null;
  /** COM_STMT_SEND_LONG_DATA chunks per parameter index. */
  longData: Map<number, Buffer[]>;
  /** Open read-only cursor: remaining rows and their columns. */
  cursor: { columns: ResultColumn[]; rows: Value[][]; pos: number } | null;
}

export interface Wire {
  readonly ctx: ServerContext;
  readonly session: SessionApi;
  readonly capabilities: number;
  /** Whether EOF packets are replaced by OK packets (CLIENT_DEPRECATE_EOF). */
  readonly deprecateEof: boolean;
  multiStatements: boolean;
  readonly prepared: Map<number, PreparedState>;
  /** Queue one packet (sequence ids continue from the command). */
  write(payload: Buffer): void;
  /**
   * Start a packet written field by field straight into the reply (no payload buffer of its
   * own); {@link endPacket} gives it the next sequence id. CORE-PERF-045
   */
  beginPacket(): PayloadWriter;
  endPacket(): void;
  /** Drop the packet begun last (its encoding failed). */
  abortPacket(): void;
  /** Bytes queued and not yet flushed. */
  readonly pendingBytes: number;
  /** Push queued packets to the socket, honouring back-pressure. */
  flush(): Promise<void>;
  /** The client is gone (or the connection is being closed): nothing more will be delivered. */
  readonly gone: boolean;
  /** OK packet; status and warnings default to the session's current ones. */
  sendOk(o?: { affectedRows?: bigint; lastInsertId?: bigint; info?: string; status?: number; warnings?: number }): void;
  /** ERR packet for any thrown value (non-SqlError becomes ER_UNKNOWN_ERROR and is logged). */
  sendError(e: unknown): void;
  /** End of rows: EOF, or OK with 0xFE header under DEPRECATE_EOF. */
  sendEndOfRows(status: number, warnings: number): void;
  /** Metadata terminator: EOF for pre-DEPRECATE_EOF clients, nothing otherwise. */
  sendEndOfMetadata(status: number, warnings: number): void;
  /** Increment the Questions counter. */
  countQuestion(): void;
  readonly stats: { questions: number; startedAt: number };
}
