/**
 * Common table expressions: a reference to a CTE compiles its query once per statement; its
 * rows are materialised once per execution (or streamed when the statement reads it once, at
 * the outermost position of a block). WITH RECURSIVE runs the anchor blocks, then the recursive
 * blocks over the previous iteration's rows until one adds nothing.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/with.html
 * @req CORE-EXEC-040
 */
import type { QueryExpr } from '../../../sql/ast.js';
import { sqlError } from '../../../kernel/errors.js';
import type { Runtime } from '../../../sql/eval/index.js';
import type { Row } from '../../../kernel/value.js';
import { collectTablesOfQuery } from '../../statement/statement-tables.js';
import { CTE_MAX_RECURSION_DEPTH } from '../../limits.js';
import { tupleKey } from '../compare.js';
import type { Scope, Source } from '../scope.js';
import type { CompiledQuery } from '../plan/types.js';
import { PAUSE, type RowGen } from '../run/pause.js';
import { materialize } from '../run/stream.js';
import type { CteBinding, QueryCompiler } from './compiler.js';
import { nextBase, querySource } from './from.js';
import { checkDistinctNames } from './util.js';

export function cteSource(qc: QueryCompiler, cte: CteBinding, alias: string, sources: Source[], nullable: boolean, _outer: Scope | null): Source {
  if (cte.working) {
    // A recursive reference from inside the CTE's own recursive part.
    const src: Source = {
      index: sources.length,
      alias,
      schema: '',
      orgTable: cte.def.name,
      columns: cte.columns!.map((c) => ({ name: c.name, type: c.type })),
      base: nextBase(sources),
      hidden: new Set(),
      merged: new Map(),
      nullable,
      derived: { query: null, working: cte.working, cache: new WeakMap(), streamable: false },
    };
    sources.push(src);
    return src;
  }
  if (!cte.compiled) {
    if (cte.compiling) throw sqlError('ER_NO_SUCH_TABLE', qc.session.schema ?? '', cte.def.name);
    cte.compiling = true;
    try {
      cte.compiled = cte.recursive ? compileRecursiveCte(qc, cte) : qc.compileSelect(cte.def.query, null);
    } finally {
      cte.compiling = false;
    }
    if (cte.def.columns && cte.def.columns.length !== cte.compiled.columns.length) {
      throw sqlError('ER_VIEW_WRONG_LIST');
    }
  }
  const q = cte.compiled;
  const names = cte.def.columns ?? q.columns.map((c) => c.name);
  checkDistinctNames(names);
  return querySource(sources, alias, '', cte.def.name, names, q, nullable, { query: q, cache: cte.cache, streamable: cte.refs === 1 });
}

interface RecursiveParts {
  anchors: CompiledQuery[];
  recursive: CompiledQuery[];
  distinct: boolean;
}

/** WITH RECURSIVE: anchor blocks, then the recursive blocks iterated until no new rows. */
function compileRecursiveCte(qc: QueryCompiler, cte: CteBinding): CompiledQuery {
  const q = cte.def.query.query;
  const refersToSelf = (qq: QueryExpr): boolean => {
    const out: { schema?: string; name: string }[] = [];
    collectTablesOfQuery(qq, out);
    return out.some((t) => t.schema === undefined && t.name.toLowerCase() === cte.def.name.toLowerCase());
  };
  if (q.type !== 'set_op' || q.op !== 'UNION' || !refersToSelf(q)) return qc.compileSelect(cte.def.query, null);
  // Flatten the UNION chain into anchor and recursive parts.
  const parts: { q: QueryExpr; all: boolean }[] = [];
  const flatten = (x: QueryExpr, all: boolean) => {
    if (x.type === 'set_op' && x.op === 'UNION' && !x.orderBy && !x.limit) {
      flatten(x.left, x.all);
      parts.push({ q: x.right, all: x.all });
    } else parts.push({ q: x, all });
  };
  flatten(q, q.all);
  const anchors = parts.filter((p) => !refersToSelf(p.q)).map((p) => qc.compileQueryExpr(p.q, null));
  if (anchors.length === 0) throw sqlError('ER_NOT_SUPPORTED_YET', 'recursive CTE without a non-recursive part');
  const first = anchors[0]!;
  const names = cte.def.columns ?? first.columns.map((c) => c.name);
  cte.columns = first.columns.map((c, i) => ({ name: names[i]!, type: { ...c.type, nullable: true } }));
  const working = { rows: [] as Row[] };
  cte.working = working;
  let recursive: CompiledQuery[];
  try {
    recursive = qc.reentrantly(() => parts.filter((p) => refersToSelf(p.q)).map((p) => qc.compileQueryExpr(p.q, null)));
  } finally {
    delete cte.working;
  }
  for (const c of [...anchors, ...recursive]) {
    if (c.columns.length !== first.columns.length) throw sqlError('ER_WRONG_NUMBER_OF_COLUMNS_IN_SELECT');
  }
  const plan: RecursiveParts = { anchors, recursive, distinct: parts.some((p) => !p.all) };
  const collations = first.columns.map((c) => c.type.collation);
  const maxDepth = Number(qc.session.sysvar('cte_max_recursion_depth') ?? CTE_MAX_RECURSION_DEPTH);
  const compiled: CompiledQuery = {
    columns: cte.columns.map((c) => ({ name: c.name, type: c.type })),
    correlated: false,
    run: (outer, rt, canWait) => runRecursive(plan, working, collations, maxDepth, outer, rt, canWait),
  };
  if ([...anchors, ...recursive].some((q) => q.hasAsync)) compiled.hasAsync = true;
  return compiled;
}

/** Rows of a recursive CTE, iteration by iteration. @req CORE-EXEC-040 */
function* runRecursive(plan: RecursiveParts, working: { rows: Row[] }, collations: (string | undefined)[], maxDepth: number, outer: Row, rt: Runtime, canWait: boolean): RowGen {
  const seen = new Set<string>();
  const fresh = (rows: Row[], into: Row[]): Row[] => {
    for (const r of rows) {
      if (plan.distinct) {
        const k = tupleKey(r, collations);
        if (seen.has(k)) continue;
        seen.add(k);
      }
      into.push(r);
    }
    return into;
  };
  let added: Row[] = [];
  for (const a of plan.anchors) fresh(yield* materialize(a.run(outer, rt, canWait)), added);
  yield* added;
  let depth = 0;
  while (added.length > 0) {
    if (++depth > maxDepth) throw sqlError('ER_CTE_MAX_RECURSION_DEPTH', depth);
    yield PAUSE;
    working.rows = added;
    const next: Row[] = [];
    for (const r of plan.recursive) fresh(yield* materialize(r.run(outer, rt, canWait)), next);
    yield* next;
    added = next;
  }
  working.rows = [];
}
