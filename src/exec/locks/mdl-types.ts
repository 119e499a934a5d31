/**
 * The vocabulary of metadata locks: namespaces, lock types, durations, and the two
 * compatibility matrices of MySQL's metadata locking: whether a request can be granted next to
 * locks already granted, and whether it must queue behind requests already waiting (the
 * priority matrix, which keeps DDL from being starved by a stream of readers).
 *
 * Scoped namespaces (GLOBAL, SCHEMA, COMMIT) know three types: INTENTION_EXCLUSIVE (taken by
 * anything that changes data or metadata inside the scope), SHARED (FLUSH TABLES WITH READ
 * LOCK) and EXCLUSIVE. Object namespaces (TABLE) know every type but INTENTION_EXCLUSIVE.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/metadata-locking.html (10.11.4)
 * @spec https://dev.mysql.com/doc/refman/8.0/en/performance-schema-metadata-locks-table.html
 * @req CORE-MDL-001 CORE-MDL-002 CORE-MDL-003
 */

/** What a lock protects. */
/** USER_LEVEL_LOCK: the named locks of GET_LOCK(), EXCLUSIVE only. @req CORE-LOCK-010 */
export type MdlNamespace = 'GLOBAL' | 'SCHEMA' | 'TABLE' | 'COMMIT' | 'USER_LEVEL_LOCK';

/** Lock types, spelled as performance_schema.metadata_locks.LOCK_TYPE shows them. */
export type MdlType =
  | 'INTENTION_EXCLUSIVE'
  | 'SHARED'
  | 'SHARED_HIGH_PRIO'
  | 'SHARED_READ'
  | 'SHARED_WRITE'
  | 'SHARED_WRITE_LOW_PRIO'
  | 'SHARED_UPGRADABLE'
  | 'SHARED_READ_ONLY'
  | 'SHARED_NO_WRITE'
  | 'SHARED_NO_READ_WRITE'
  | 'EXCLUSIVE';

/** How long a lock is held: to the end of the statement, of the transaction, or until released. */
export type MdlDuration = 'STATEMENT' | 'TRANSACTION' | 'EXPLICIT';

/** Types in order (the order gives the bit of each in the matrices below). */
export const MDL_TYPES: readonly MdlType[] = [
  'INTENTION_EXCLUSIVE',
  'SHARED',
  'SHARED_HIGH_PRIO',
  'SHARED_READ',
  'SHARED_WRITE',
  'SHARED_WRITE_LOW_PRIO',
  'SHARED_UPGRADABLE',
  'SHARED_READ_ONLY',
  'SHARED_NO_WRITE',
  'SHARED_NO_READ_WRITE',
  'EXCLUSIVE',
];

const INDEX = new Map<MdlType, number>(MDL_TYPES.map((t, i) => [t, i]));

export function typeIndex(t: MdlType): number {
  return INDEX.get(t)!;
}

function bits(...types: MdlType[]): number {
  let b = 0;
  for (const t of types) b |= 1 << typeIndex(t);
  return b;
}

/** Whether locks of this namespace are scoped (IX / S / X only). */
export function isScoped(ns: MdlNamespace): boolean {
  return ns !== 'TABLE' && ns !== 'USER_LEVEL_LOCK';
}

type Matrix = Readonly<Record<MdlType, number>>;

const NONE = 0;

/**
 * Scoped locks: which granted types block a request. IX is compatible with IX (many writers),
 * S with S (several global read locks), X with nothing.
 * @req CORE-MDL-001
 */
const SCOPED_GRANTED: Matrix = {
  INTENTION_EXCLUSIVE: bits('SHARED', 'EXCLUSIVE'),
  SHARED: bits('INTENTION_EXCLUSIVE', 'EXCLUSIVE'),
  EXCLUSIVE: bits('INTENTION_EXCLUSIVE', 'SHARED', 'EXCLUSIVE'),
  SHARED_HIGH_PRIO: NONE,
  SHARED_READ: NONE,
  SHARED_WRITE: NONE,
  SHARED_WRITE_LOW_PRIO: NONE,
  SHARED_UPGRADABLE: NONE,
  SHARED_READ_ONLY: NONE,
  SHARED_NO_WRITE: NONE,
  SHARED_NO_READ_WRITE: NONE,
};

/** Scoped locks: which waiting types a request must queue behind (S and X go first). @req CORE-MDL-002 */
const SCOPED_PENDING: Matrix = {
  INTENTION_EXCLUSIVE: bits('SHARED', 'EXCLUSIVE'),
  SHARED: bits('EXCLUSIVE'),
  EXCLUSIVE: NONE,
  SHARED_HIGH_PRIO: NONE,
  SHARED_READ: NONE,
  SHARED_WRITE: NONE,
  SHARED_WRITE_LOW_PRIO: NONE,
  SHARED_UPGRADABLE: NONE,
  SHARED_READ_ONLY: NONE,
  SHARED_NO_WRITE: NONE,
  SHARED_NO_READ_WRITE: NONE,
};

const X = 'EXCLUSIVE';
const SNRW = 'SHARED_NO_READ_WRITE';
const SNW = 'SHARED_NO_WRITE';
const SRO = 'SHARED_READ_ONLY';
const SU = 'SHARED_UPGRADABLE';
const SWLP = 'SHARED_WRITE_LOW_PRIO';
const SW = 'SHARED_WRITE';
const SR = 'SHARED_READ';

/**
 * Object locks: which granted types block a request. Reading the rows needs SR, writing SW;
 * SU admits one upgrader; SRO (LOCK TABLES READ) stops writers; SNW (ALTER's copy) stops
 * writers and other upgraders; SNRW (LOCK TABLES WRITE) stops readers too; X stops everything.
 * @req CORE-MDL-001
 */
const OBJECT_GRANTED: Matrix = {
  INTENTION_EXCLUSIVE: NONE,
  SHARED: bits(X),
  SHARED_HIGH_PRIO: bits(X),
  SHARED_READ: bits(X, SNRW),
  SHARED_WRITE: bits(X, SNRW, SNW, SRO),
  SHARED_WRITE_LOW_PRIO: bits(X, SNRW, SNW, SRO),
  SHARED_UPGRADABLE: bits(X, SNRW, SNW, SU),
  SHARED_READ_ONLY: bits(X, SNRW, SWLP, SW),
  SHARED_NO_WRITE: bits(X, SNRW, SNW, SU, SWLP, SW),
  SHARED_NO_READ_WRITE: bits(X, SNRW, SNW, SRO, SU, SWLP, SW, SR),
  EXCLUSIVE: bits(X, SNRW, SNW, SRO, SU, SWLP, SW, SR, 'SHARED_HIGH_PRIO', 'SHARED'),
};

/**
 * Object locks: which waiting types a request must queue behind. A waiting X holds back new
 * SR and SW (so DDL gets its turn), a waiting SNRW holds back readers and writers, a waiting
 * SNW holds back writers; SHARED_HIGH_PRIO never queues.
 * @req CORE-MDL-002
 */
const OBJECT_PENDING: Matrix = {
  INTENTION_EXCLUSIVE: NONE,
  SHARED: bits(X),
  SHARED_HIGH_PRIO: NONE,
  SHARED_READ: bits(X, SNRW),
  SHARED_WRITE: bits(X, SNRW, SNW),
  SHARED_WRITE_LOW_PRIO: bits(X, SNRW, SNW, SRO),
  SHARED_UPGRADABLE: bits(X),
  SHARED_READ_ONLY: bits(X, SNRW, SW),
  SHARED_NO_WRITE: bits(X),
  SHARED_NO_READ_WRITE: bits(X),
  EXCLUSIVE: NONE,
};

/** Bit of a type, for testing a matrix row. */
export function typeBit(t: MdlType): number {
  return 1 << typeIndex(t);
}

/** Granted types that block a request of type `t` in namespace `ns`. @req CORE-MDL-001 */
export function grantedIncompatible(ns: MdlNamespace, t: MdlType): number {
  return (isScoped(ns) ? SCOPED_GRANTED : OBJECT_GRANTED)[t];
}

/** Waiting types that a request of type `t` in namespace `ns` must queue behind. @req CORE-MDL-002 */
export function pendingIncompatible(ns: MdlNamespace, t: MdlType): number {
  return (isScoped(ns) ? SCOPED_PENDING : OBJECT_PENDING)[t];
}

/** Whether a request of type `request` can be granted next to a granted lock of type `granted`. */
export function compatibleWhenGranted(ns: MdlNamespace, request: MdlType, granted: MdlType): boolean {
  return (grantedIncompatible(ns, request) & typeBit(granted)) === 0;
}

/** Whether a request of type `request` may overtake a waiting request of type `waiting`. */
export function compatibleWhenPending(ns: MdlNamespace, request: MdlType, waiting: MdlType): boolean {
  return (pendingIncompatible(ns, request) & typeBit(waiting)) === 0;
}

/** Which types are valid in a namespace. */
export function validType(ns: MdlNamespace, t: MdlType): boolean {
  if (isScoped(ns)) return t === 'INTENTION_EXCLUSIVE' || t === 'SHARED' || t === 'EXCLUSIVE';
  if (ns === 'USER_LEVEL_LOCK') return t === 'EXCLUSIVE';
  return t !== 'INTENTION_EXCLUSIVE';
}

/**
 * Whether holding `held` already gives everything `wanted` would: every type that blocks
 * `wanted` also blocks `held`. A session that holds SNRW need not ask for SW, one holding SU
 * must still ask for SW.
 * @req CORE-MDL-001
 */
export function covers(ns: MdlNamespace, held: MdlType, wanted: MdlType): boolean {
  if (held === wanted) return true;
  const h = grantedIncompatible(ns, held);
  const w = grantedIncompatible(ns, wanted);
  return (w & ~h) === 0 && validType(ns, held) && validType(ns, wanted);
}

/** Order of namespaces when a statement takes several locks at once (scopes before objects). */
export const NAMESPACE_ORDER: Readonly<Record<MdlNamespace, number>> = { GLOBAL: 0, SCHEMA: 1, TABLE: 2, COMMIT: 3, USER_LEVEL_LOCK: 4 };

/** PROCESSLIST State while waiting for a lock in a namespace. @req CORE-MDL-012 */
export const WAIT_STATE: Readonly<Record<MdlNamespace, string>> = {
  GLOBAL: 'Waiting for global read lock',
  SCHEMA: 'Waiting for schema metadata lock',
  TABLE: 'Waiting for table metadata lock',
  COMMIT: 'Waiting for commit lock',
  // @req CORE-LOCK-011
  USER_LEVEL_LOCK: 'User lock',
};

/** PROCESSLIST State while waiting for a table lock. @req CORE-MDL-012 */
export const TABLE_LOCK_WAIT_STATE = 'Waiting for table level lock';

/** One lock a statement asks for. Names are as the dictionary spells them. */
export interface MdlRequest {
  namespace: MdlNamespace;
  /** Schema name; '' for GLOBAL and COMMIT. */
  schema: string;
  /** Object name; '' for GLOBAL, SCHEMA and COMMIT. */
  name: string;
  type: MdlType;
  duration: MdlDuration;
  /** Where the lock was taken (performance_schema.metadata_locks.SOURCE). */
  source?: string;
}

/** The key of a lock object: namespace, schema and name (lower case: names are compared without case). */
export function mdlKey(ns: MdlNamespace, schema: string, name: string): string {
  return `${ns}\u0000${schema.toLowerCase()}\u0000${name.toLowerCase()}`;
}

/** Sort requests so that every statement takes its locks in the same order. */
export function sortRequests(requests: readonly MdlRequest[]): readonly MdlRequest[] {
  if (requests.length < 2) return requests;
  const keyed = requests.map((r) => ({ r, order: NAMESPACE_ORDER[r.namespace], key: mdlKey(r.namespace, r.schema, r.name) }));
  keyed.sort((a, b) => a.order - b.order || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return keyed.map((k) => k.r);
}
