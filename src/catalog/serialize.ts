/**
 * JSON form of dictionary entries. Column defaults are SQL values (bigint, Decimal, Temporal,
 * Buffer), which JSON cannot hold directly, so they are written as tagged objects.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/data-dictionary.html
 * @req CORE-CAT-005
 */
import { Decimal, Temporal, type Value } from '../kernel/value.js';
import type { ForeignKeyDef, TableDef } from '../kernel/table-def.js';

type Tagged =
  | null
  | number
  | string
  | { $: 'i'; v: string }
  | { $: 'd'; u: string; s: number }
  | { $: 'b'; v: string }
  | { $: 't'; k: Temporal['kind']; f: number[]; fsp: number; neg: boolean };

export function valueToJson(v: Value): Tagged {
  if (v === null || typeof v === 'number' || typeof v === 'string') return v;
  if (typeof v === 'bigint') return { $: 'i', v: v.toString() };
  if (Buffer.isBuffer(v)) return { $: 'b', v: v.toString('base64') };
  if (v instanceof Decimal) return { $: 'd', u: v.unscaled.toString(), s: v.scale };
  return { $: 't', k: v.kind, f: [v.year, v.month, v.day, v.hour, v.minute, v.second, v.micro], fsp: v.fsp, neg: v.negative };
}

export function valueFromJson(j: Tagged): Value {
  if (j === null || typeof j === 'number' || typeof j === 'string') return j;
  switch (j.$) {
    case 'i': return BigInt(j.v);
    case 'b': return Buffer.from(j.v, 'base64');
    case 'd': return new Decimal(BigInt(j.u), j.s);
    case 't': {
      const f = j.f;
      return new Temporal(j.k, f[0]!, f[1]!, f[2]!, f[3]!, f[4]!, f[5]!, f[6]!, j.fsp, j.neg);
    }
  }
}

/** A TableDef as stored in the dictionary file. */
export type StoredTableDef = Omit<TableDef, 'autoIncrementStart' | 'columns'> & {
  autoIncrementStart: string;
  columns: (Omit<TableDef['columns'][number], 'default'> & { default?: Tagged })[];
};

export function tableToJson(def: TableDef): StoredTableDef {
  return {
    ...def,
    autoIncrementStart: def.autoIncrementStart.toString(),
    columns: def.columns.map((c) => {
      const { default: d, ...rest } = c;
      return d === undefined ? rest : { ...rest, default: valueToJson(d) };
    }),
  };
}

export function tableFromJson(j: StoredTableDef): TableDef {
  const def: TableDef = {
    ...j,
    autoIncrementStart: BigInt(j.autoIncrementStart),
    columns: j.columns.map((c) => {
      const { default: d, ...rest } = c;
      return d === undefined ? rest : { ...rest, default: valueFromJson(d) };
    }),
  };
  // Files from before structured foreign keys held `{ name, text }` entries (never written in
  // practice: no engine kept foreign keys); they carry nothing an engine could use.
  if (def.foreignKeys) def.foreignKeys = def.foreignKeys.filter((f: Partial<ForeignKeyDef>) => Array.isArray(f.columns));
  return def;
}
