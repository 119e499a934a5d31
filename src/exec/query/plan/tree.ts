/**
 * Walking the join tree of a block: its leaves in execution order, which leaf a condition can
 * be checked at, and whether the tree has outer joins.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/nested-loop-joins.html
 * @req CORE-EXEC-032
 */
import type { CursorOptions, ReadLock } from '../../../storage/handler.js';
import type { Source } from '../scope.js';
import type { Leaf, TreeNode } from './types.js';

export function newLeaf(src: Source): Leaf {
  return { kind: 'leaf', src, filters: [], access: null, candidates: [], reads: readOptions('consistent'), once: false, order: null };
}

function readOptions(lock: ReadLock, wait?: 'NOWAIT' | 'SKIP LOCKED'): { wait: CursorOptions; sync: CursorOptions } {
  if (wait) return { wait: { lock, canWait: true, wait }, sync: { lock, canWait: false, wait } };
  return { wait: { lock, canWait: true }, sync: { lock, canWait: false } };
}

/** How a leaf's rows are locked (FOR UPDATE / FOR SHARE [NOWAIT | SKIP LOCKED], the targets of
 *  UPDATE and DELETE). */
export function setLeafLock(leaf: Leaf, lock: ReadLock, wait?: 'NOWAIT' | 'SKIP LOCKED'): void {
  leaf.reads = readOptions(lock, wait);
}

export function isAllInner(n: TreeNode): boolean {
  if (n.kind === 'leaf') return true;
  return !n.outer && isAllInner(n.left) && isAllInner(n.right);
}

/** Leaves not on the inner side of an outer join inside `n`. */
export function safeLeavesOf(n: TreeNode): Leaf[] {
  if (n.kind === 'leaf') return [n];
  return n.outer ? safeLeavesOf(n.left) : [...safeLeavesOf(n.left), ...safeLeavesOf(n.right)];
}

/** Leaves in execution order (left before right). */
export function leavesOf(n: TreeNode): Leaf[] {
  if (n.kind === 'leaf') return [n];
  return [...leavesOf(n.left), ...leavesOf(n.right)];
}

/** The first leaf (in execution order) after which every dependency is bound. */
export function deepestLeaf(tree: TreeNode, deps: Set<number>): Leaf | null {
  return deepestLeafIn(leavesOf(tree), deps);
}

export function deepestLeafIn(leaves: Leaf[], deps: Set<number>): Leaf | null {
  if (leaves.length === 0) return null;
  if (deps.size === 0) return leaves[0]!;
  const need = new Set(deps);
  for (const l of leaves) {
    need.delete(l.src.index);
    if (need.size === 0) return l;
  }
  return null;
}
