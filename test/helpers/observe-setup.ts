/**
 * vitest setup file (vitest.config.ts `setupFiles`): opens a wire-observation window around every
 * test and stores what was observed in the test's task meta, which the JSON reporter carries to
 * the conformance matrix. Registered first, its beforeEach runs before the test file's own and
 * its afterEach after them.
 *
 * @spec https://vitest.dev/config/#setupfiles
 * @req TRACE-013
 */
import { afterEach, beforeEach } from 'vitest';
import { beginWindow, endWindow, installWireObserver, OBSERVATION_META_KEY } from './observe.js';

installWireObserver();

beforeEach(() => {
  beginWindow();
});

afterEach((ctx) => {
  (ctx.task.meta as Record<string, unknown>)[OBSERVATION_META_KEY] = endWindow();
});
