/**
 * The tables whose triggers are running in a session, innermost last. A statement inside a
 * trigger may not write a table that the statement which fired the trigger is writing (1442):
 * the row being changed would change under the statement's feet.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/stored-program-restrictions.html
 * @req CORE-TRG-006
 */
import { sqlError } from '../../kernel/errors.js';

const firing = new WeakMap<object, string[]>();

function key(schema: string, name: string): string {
  return `${schema}\u0000${name}`.toLowerCase();
}

/** Run `f` while the triggers of `schema.name` run for `session`. */
export async function whileFiring<T>(session: object, schema: string, name: string, f: () => Promise<T>): Promise<T> {
  let stack = firing.get(session);
  if (!stack) {
    stack = [];
    firing.set(session, stack);
  }
  stack.push(key(schema, name));
  try {
    return await f();
  } finally {
    stack.pop();
  }
}

/** 1442 when a trigger of this session writes a table that fired a running trigger. @req CORE-TRG-006 */
export function checkNotFiring(session: object, schema: string, name: string): void {
  const stack = firing.get(session);
  if (stack === undefined || stack.length === 0) return;
  if (stack.includes(key(schema, name))) throw sqlError('ER_CANT_UPDATE_USED_TABLE_IN_SF_OR_TRG', name);
}
