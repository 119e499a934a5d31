/**
 * The FROM clause: one source per table, derived table, view or CTE reference, laid out side by
 * side in the block's row buffer, and the join tree over them (comma joins, INNER / LEFT /
 * RIGHT / NATURAL joins, USING). A RIGHT join runs as a LEFT join with its operands swapped.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/join.html
 * @spec https://dev.mysql.com/doc/refman/8.0/en/derived-tables.html
 * @req CORE-EXEC-032 CORE-EXEC-038
 */
import { bindStoredFunctions } from '../../routines/functions.js';
import type { Expr, TableRef } from '../../../sql/ast.js';
import { sqlError } from '../../../kernel/errors.js';
import type { OpenedTable } from '../../../catalog/catalog-api.js';
import { tableKey } from '../../statement/open-tables.js';
import { checkTableLock } from '../../locks/lock-tables.js';
import { MAX_JOIN_TABLES } from '../../limits.js';
import { exprTypeOfColumn } from '../column-types.js';
import type { Scope, Source } from '../scope.js';
import type { CompiledQuery, DerivedRows, JoinNode, TreeNode } from '../plan/types.js';
import { newLeaf } from '../plan/tree.js';
import type { QueryCompiler } from './compiler.js';
import { cteSource } from './cte.js';
import { planJsonTable } from '../json-table.js';
import { compileExpr } from '../../../sql/eval/index.js';
import { checkDistinctNames, qualify } from './util.js';

type JoinRef = Extract<TableRef, { type: 'join' }>;

/** Build sources (slots) and the join tree for a FROM list. */
export function buildFrom(qc: QueryCompiler, from: TableRef[], sources: Source[], outer: Scope | null): TreeNode | null {
  let tree: TreeNode | null = null;
  for (const ref of from) {
    if (ref.type === 'dual') continue;
    const node = buildRef(qc, ref, sources, false, outer);
    tree = tree ? { kind: 'join', outer: false, left: tree, right: node, on: null, onAst: null, rightSources: [] } : node;
  }
  if (sources.length > MAX_JOIN_TABLES) throw sqlError('ER_TOO_MANY_TABLES', MAX_JOIN_TABLES);
  const seen = new Set<string>();
  for (const s of sources) {
    const k = s.alias.toLowerCase() + '\u0000' + (s.derived || s.jsonTable ? '' : s.schema.toLowerCase());
    if (seen.has(k)) throw sqlError('ER_NONUNIQ_TABLE', s.alias);
    seen.add(k);
  }
  return tree;
}

/** First free slot after the sources so far. */
export function nextBase(sources: Source[]): number {
  const last = sources[sources.length - 1];
  return last ? last.base + last.columns.length : 0;
}

function buildRef(qc: QueryCompiler, ref: TableRef, sources: Source[], nullable: boolean, outer: Scope | null): TreeNode {
  switch (ref.type) {
    case 'table':
      return newLeaf(tableSource(qc, ref.table.schema, ref.table.name, ref.alias, sources, nullable, outer));
    case 'derived':
      return newLeaf(derivedSource(qc, ref, sources, nullable, outer));
    case 'join':
      return buildJoin(qc, ref, sources, nullable, outer);
    case 'dual':
      throw sqlError('ER_NO_TABLES_USED');
    case 'json_table':
      return newLeaf(jsonTableSource(ref, sources, nullable));
  }
}

/** JSON_TABLE: its columns take slots like a derived table's; the document expression is
 *  compiled later in the block's scope (compileJsonTables). @req CORE-FN-033 */
function jsonTableSource(ref: Extract<TableRef, { type: 'json_table' }>, sources: Source[], nullable: boolean): Source {
  const plan = planJsonTable(ref);
  const src: Source = {
    index: sources.length,
    alias: ref.alias,
    schema: '',
    orgTable: ref.alias,
    columns: plan.columns.map((c) => ({ ...c, type: { ...c.type, nullable: true } })),
    base: nextBase(sources),
    hidden: new Set(),
    merged: new Map(),
    nullable,
    jsonTable: plan,
  };
  sources.push(src);
  return src;
}

/** Table qualifiers of the column references in an expression (subqueries included). */
function qualifiers(e: unknown, out: string[] = []): string[] {
  if (Array.isArray(e)) for (const x of e) qualifiers(x, out);
  else if (e !== null && typeof e === 'object') {
    const o = e as Record<string, unknown>;
    if (o['type'] === 'column' && typeof o['table'] === 'string') out.push(o['table']);
    for (const v of Object.values(o)) if (v !== null && typeof v === 'object') qualifiers(v, out);
  }
  return out;
}

/**
 * Compile each JSON_TABLE's document expression in the block's scope, seeing only the tables
 * before it in the FROM clause (and outer blocks): the lateral reference. @req CORE-FN-035
 */
export function compileJsonTables(sources: Source[], scope: Scope): void {
  for (const src of [...sources]) {
    if (!src.jsonTable) continue;
    const later = sources.splice(src.index);
    // A table named before it is declared: MySQL's 1109 rather than an unknown column.
    const earlier = new Set(sources.map((s) => s.alias.toLowerCase()));
    const hidden = new Set(later.map((s) => s.alias.toLowerCase()));
    for (const t of qualifiers(src.jsonTable.ref.expr)) {
      if (hidden.has(t.toLowerCase()) && !earlier.has(t.toLowerCase())) {
        sources.push(...later);
        throw sqlError('ER_UNKNOWN_TABLE', t, 'a table function argument');
      }
    }
    const touched = scope.touched;
    scope.touched = new Set();
    try {
      src.jsonTable.doc = compileExpr(src.jsonTable.ref.expr, scope);
      const forbidden = src.jsonTable.forbidden;
      if (forbidden && [...scope.touched].some((i) => forbidden.has(i))) throw sqlError('ER_TF_FORBIDDEN_REFERENCE', src.alias);
    } finally {
      scope.touched = touched;
      sources.push(...later);
    }
  }
}

/** A source over the rows of a query (derived table, view, CTE). */
export function querySource(sources: Source[], alias: string, schema: string, orgTable: string, names: string[], q: CompiledQuery, nullable: boolean, derived: DerivedRows): Source {
  const src: Source = {
    index: sources.length,
    alias,
    schema,
    orgTable,
    columns: q.columns.map((c, i) => ({ name: names[i] ?? c.name, type: c.type })),
    base: nextBase(sources),
    hidden: new Set(),
    merged: new Map(),
    nullable,
    derived,
  };
  sources.push(src);
  return src;
}

function derivedSource(qc: QueryCompiler, ref: Extract<TableRef, { type: 'derived' }>, sources: Source[], nullable: boolean, outer: Scope | null): Source {
  if (!ref.alias) throw sqlError('ER_DERIVED_MUST_HAVE_ALIAS');
  // A LATERAL derived table runs again for each outer row.
  const q = ref.lateral ? qc.reentrantly(() => qc.compileSelect(ref.query, outer)) : qc.compileSelect(ref.query, null);
  const names = ref.columnAliases ?? q.columns.map((c) => c.name);
  if (names.length !== q.columns.length) throw sqlError('ER_VIEW_WRONG_LIST');
  checkDistinctNames(names);
  return querySource(sources, ref.alias, '', ref.alias, names, q, nullable, { query: q, cache: new WeakMap(), streamable: true });
}

function buildJoin(qc: QueryCompiler, ref: JoinRef, sources: Source[], nullable: boolean, outer: Scope | null): TreeNode {
  let kind = ref.kind;
  const natural = kind.startsWith('NATURAL');
  if (kind === 'NATURAL') kind = 'INNER';
  if (kind === 'NATURAL LEFT') kind = 'LEFT';
  if (kind === 'NATURAL RIGHT') kind = 'RIGHT';
  const startLeft = sources.length;
  const left = buildRef(qc, ref.left, sources, nullable || kind === 'RIGHT', outer);
  const startRight = sources.length;
  const right = buildRef(qc, ref.right, sources, nullable || kind === 'LEFT', outer);
  const leftSources = sources.slice(startLeft, startRight);
  const rightSources = sources.slice(startRight);
  let onAst: Expr | null = ref.on ?? null;
  const usingCols = natural ? naturalColumns(leftSources, rightSources) : ref.using;
  if (usingCols && usingCols.length) {
    for (const c of usingConditions(usingCols, leftSources, rightSources, kind === 'RIGHT')) onAst = onAst ? { type: 'binary', op: 'AND', left: onAst, right: c } : c;
  }
  if (kind === 'RIGHT') {
    // A JSON_TABLE on the preserved side runs before the other side: it may not refer to it.
    for (const s of rightSources) if (s.jsonTable) s.jsonTable.forbidden = new Set([...(s.jsonTable.forbidden ?? []), ...leftSources.map((l) => l.index)]);
    // Execute as a LEFT join with the operands swapped; slots keep their textual layout.
    const node: JoinNode = { kind: 'join', outer: true, left: right, right: left, on: null, onAst, rightSources: leftSources };
    return node;
  }
  return { kind: 'join', outer: kind === 'LEFT', left, right, on: null, onAst, rightSources: kind === 'LEFT' ? rightSources : [] };
}

/** NATURAL joins: the visible columns both sides have. */
function naturalColumns(leftSources: Source[], rightSources: Source[]): string[] {
  const out: string[] = [];
  for (const ls of leftSources) {
    for (let i = 0; i < ls.columns.length; i++) {
      if (ls.hidden.has(i)) continue;
      const n = ls.columns[i]!.name;
      if (rightSources.some((rs) => rs.columns.some((c, j) => !rs.hidden.has(j) && c.name.toLowerCase() === n.toLowerCase()))) out.push(n);
    }
  }
  return out;
}

/** USING / NATURAL: equality on the common columns; the merged column shows once. */
function usingConditions(names: string[], leftSources: Source[], rightSources: Source[], rightJoin: boolean): Expr[] {
  const findCol = (list: Source[], name: string): { s: Source; i: number } => {
    for (const s of list) {
      const i = s.columns.findIndex((c, j) => !s.hidden.has(j) && c.name.toLowerCase() === name.toLowerCase());
      if (i >= 0) return { s, i };
    }
    throw sqlError('ER_BAD_FIELD_ERROR', name, 'from clause');
  };
  const conds: Expr[] = [];
  for (const name of names) {
    const l = findCol(leftSources, name);
    const r = findCol(rightSources, name);
    conds.push({
      type: 'binary',
      op: '=',
      left: { type: 'column', table: l.s.alias, name: l.s.columns[l.i]!.name },
      right: { type: 'column', table: r.s.alias, name: r.s.columns[r.i]!.name },
    });
    // For RIGHT joins the right table's column is the visible one.
    if (rightJoin) {
      l.s.hidden.add(l.i);
      l.s.merged.set(l.i, r.s.base + r.i);
      r.s.merged.set(r.i, r.s.base + r.i);
    } else {
      r.s.hidden.add(r.i);
      r.s.merged.set(r.i, l.s.base + l.i);
    }
  }
  return conds;
}

function tableSource(qc: QueryCompiler, schemaName: string | undefined, name: string, alias: string | undefined, sources: Source[], nullable: boolean, outer: Scope | null): Source {
  if (schemaName === undefined) {
    const cte = qc.findCte(name);
    if (cte) return cteSource(qc, cte, alias ?? name, sources, nullable, outer);
  }
  const schema = schemaName ?? qc.session.schema;
  if (schema === null) throw sqlError('ER_NO_DB_ERROR');
  const opened = qc.env.tables.get(tableKey(schema, name));
  if (!opened) throw sqlError('ER_NO_SUCH_TABLE', schema, name);
  if (opened.kind === 'view') return viewSource(qc, opened, alias ?? name, sources, nullable);
  if (!opened.def.temporary) checkTableLock(qc.session, opened.def.schema, opened.def.name, alias, false);
  const def = opened.def;
  const src: Source = {
    used: new Set<string>(),
    index: sources.length,
    alias: alias ?? name,
    schema: def.schema,
    orgTable: def.name,
    columns: def.columns.map((c) => ({ name: c.name, type: { ...exprTypeOfColumn(c), nullable: c.nullable || nullable }, def: c })),
    base: nextBase(sources),
    tableDef: def,
    opened,
    hidden: new Set(def.columns.flatMap((c, i) => (c.invisible ? [i] : []))),
    merged: new Map(),
    nullable,
  };
  sources.push(src);
  qc.env.baseSources?.push(src);
  return src;
}

function viewSource(qc: QueryCompiler, view: Extract<OpenedTable, { kind: 'view' }>, alias: string, sources: Source[], nullable: boolean): Source {
  // Unqualified names inside the view refer to the view's schema.
  const query = qualify(view.query, view.def.schema);
  // Stored functions in the view resolve in the view's schema. @req CORE-SP-030
  bindStoredFunctions(qc.session, query, view.def.schema);
  const q = qc.compileSelect(query, null);
  const names = view.columns ?? q.columns.map((c) => c.name);
  return querySource(sources, alias, view.def.schema, view.def.name, names, q, nullable, { query: q, cache: new WeakMap(), streamable: true });
}
