/**
 * What a running pipeline needs from its session: the engine context of each table it reads
 * and the context information_schema tables filter their rows with.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/information-schema-introduction.html
 * @req CORE-EXEC-030
 */
import type { Row } from '../../../kernel/value.js';
import type { Runtime } from '../../../sql/eval/index.js';
import type { EngineContext } from '../../../storage/handler.js';
import type { VirtualTableContext } from '../../../catalog/virtual-table.js';
import { canSeeSchema, canSeeTable, type SecurityContext } from '../../../accounts/privileges.js';
import type { Session } from '../../session.js';
import type { ExecRuntime } from '../runtime.js';
import type { Source } from '../scope.js';
import type { ExecState } from '../plan/types.js';
import { newMeter, type Meter } from './pause.js';

/** The executor's runtimes carry their session (see makeRuntime). */
export function sessionOf(rt: Runtime): Session {
  return (rt as ExecRuntime).session;
}

/** The statement's count of examined rows (a fresh one for a runtime the executor did not make). */
export function meterOf(rt: Runtime): Meter {
  const x = rt as Partial<ExecRuntime>;
  return x.meter ?? (x.meter = newMeter());
}

/** A fresh execution state of a block whose row buffer has `width` slots. */
export function newExecState(width: number, sources: number, rt: Runtime, canWait: boolean): ExecState {
  const row: Row = new Array(width).fill(null);
  return {
    row,
    refs: new Array(sources).fill(null),
    rt,
    ctxs: new Array(sources).fill(null),
    canWait,
    meter: meterOf(rt),
    batches: [],
    nulled: null,
    firstRead: null,
  };
}

/** The engine context for a base table's reads, made once per execution. */
export function engineCtx(st: ExecState, src: Source): EngineContext {
  let c = st.ctxs[src.index];
  if (!c) {
    c = sessionOf(st.rt).engineContext(src.opened!.def.engine);
    st.ctxs[src.index] = c;
  }
  return c;
}

export function virtualCtx(session: Session): VirtualTableContext {
  return {
    connectionId: session.connectionId,
    user: session.user,
    host: session.host,
    schema: session.schema,
    sessionVar: (n: string) => session.sysvar(n),
    canSee: (schema: string, table?: string) => {
      const acc = session.deps.accounts as { securityContext?: (s: Session) => SecurityContext };
      if (!acc.securityContext) return true;
      const ctx = acc.securityContext(session);
      return table === undefined ? canSeeSchema(ctx, schema) : canSeeTable(ctx, schema, table);
    },
    hasSchemaPrivilege: (priv: string, schema: string) => {
      try {
        session.deps.accounts.checkTable(session, priv, schema, '');
        return true;
      } catch {
        return false;
      }
    },
    hasTablePrivilege: (priv: string, schema: string, table: string) => {
      try {
        session.deps.accounts.checkTable(session, priv, schema, table);
        return true;
      } catch {
        return false;
      }
    },
  };
}
