/**
 * The import direction of the codebase follows the statement flow: the kernel imports nothing
 * of ours; storage sees only the kernel; the catalog and accounts never reach into the executor;
 * the protocol talks to the rest through the kernel's ports.
 */
import { describe, expect, it } from 'vitest';
import { req } from '../../helpers/req.js';
import { importEdges, layerOf, type ImportEdge } from './imports.js';

const edges = importEdges().filter((e) => !e.to.startsWith('node:'));

function violations(fromLayer: string, allowed: (to: string) => boolean): string[] {
  return edges
    .filter((e: ImportEdge) => layerOf(e.from) === fromLayer && layerOf(e.to) !== fromLayer && !allowed(e.to))
    .map((e) => `${e.from} -> ${e.to}`);
}

describe('layering', () => {
  it(req('CORE-ARCH-001', 'unit', 'src/kernel imports nothing of ours and no package'), () => {
    expect(violations('kernel', () => false)).toEqual([]);
  });
  it(req('CORE-ARCH-002', 'unit', 'src/storage imports only the kernel (not sql/, exec/ or catalog/)'), () => {
    expect(violations('storage', (to) => layerOf(to) === 'kernel')).toEqual([]);
  });
  it(req('CORE-ARCH-003', 'unit', 'src/catalog and src/accounts never import src/exec'), () => {
    const notExec = (to: string) => layerOf(to) !== 'exec';
    expect([...violations('catalog', notExec), ...violations('accounts', notExec)]).toEqual([]);
  });
  it(req('CORE-ARCH-004', 'unit', 'src/sql imports only the kernel'), () => {
    expect(violations('sql', (to) => layerOf(to) === 'kernel')).toEqual([]);
  });
});
