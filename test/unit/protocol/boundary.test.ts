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
  it(req('CORE-PROTO-001', 'unit', 'src/protocol imports from above the boundary only the session API contract'), () => {
    const root = join(__dirname, '..', '..', '..', 'src', 'protocol');
    const allowedOutside = new Set(['exec/session-api.js', 'sql/errors.js', 'sql/types/column-type.js', 'sql/types/value.js', 'sql/types/format.js', 'accounts/credentials.js', 'util/scramble.js']);
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
        if (target.startsWith('protocol/')) continue;
        if (!allowedOutside.has(target)) offending.push(`${relative(root, f)} -> ${target}`);
      }
    }
    expect(offending).toEqual([]);
  });
});
