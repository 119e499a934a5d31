/**
 * The module import graph of src/, read from the sources: for each file, the relative imports
 * it makes, resolved to paths under src/ (used by the layering tests).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';

export const SRC = normalize(join(__dirname, '..', '..', '..', 'src'));

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : p.endsWith('.ts') ? [p] : [];
  });
}

export interface ImportEdge {
  /** Importing file, relative to src/ with '/' separators ('storage/memory/engine.ts'). */
  from: string;
  /** Imported module relative to src/ ('kernel/value.js'), or the bare specifier ('node:fs'). */
  to: string;
}

/** Every static and type import (and `import('...')` type query) of every file under src/. */
export function importEdges(): ImportEdge[] {
  const edges: ImportEdge[] = [];
  for (const f of walk(SRC)) {
    const text = readFileSync(f, 'utf8');
    const from = relative(SRC, f).split(sep).join('/');
    for (const m of text.matchAll(/(?:from\s+|import\s*\(\s*)'([^']+)'/g)) {
      const spec = m[1]!;
      const to = spec.startsWith('.') ? relative(SRC, join(dirname(f), spec)).split(sep).join('/') : spec;
      edges.push({ from, to });
    }
  }
  return edges;
}

/** Top folder of a path under src/ ('storage/memory/engine.ts' -> 'storage'). */
export function layerOf(path: string): string {
  return path.split('/')[0]!;
}
