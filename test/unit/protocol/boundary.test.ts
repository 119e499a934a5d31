import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { req } from '../../helpers/req.js';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('protocol boundary', () => {
  it(req('CORE-PROTO-001', 'unit', 'src/protocol imports from above the boundary only the kernel ports and types'), () => {
    const root = join(__dirname, '..', '..', '..', 'src', 'protocol');
    // The kernel (ports, values, errors, column types) plus the value formatter, the credential
    // arithmetic and the scramble helpers.
    const allowedOutside = new Set(['sql/types/format.js', 'accounts/credentials.js', 'util/scramble.js']);
    const offending: string[] = [];
    for (const f of files(root)) {
      const text = readFileSync(f, 'utf8');
      for (const m of text.matchAll(/from '([^']+)'/g)) {
        const spec = m[1]!;
        if (!spec.startsWith('.')) {
          if (!spec.startsWith('node:')) offending.push(`${relative(root, f)} -> ${spec}`);
          continue;
        }
        const target = relative(join(root, '..'), join(f, '..', spec)).replace(/\\\\/g, '/');
        if (target.startsWith('protocol/') || target.startsWith('kernel/')) continue;
        if (!allowedOutside.has(target)) offending.push(`${relative(root, f)} -> ${target}`);
      }
    }
    expect(offending).toEqual([]);
  });
});
