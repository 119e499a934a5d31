/**
 * Named crash points in the DDL path, for proving crash safety deterministically (MySQL's
 * debug builds have the same idea: `DBUG_EXECUTE_IF("crash_...", DBUG_SUICIDE())`).
 *
 * Every DDL that changes storage passes points named `<operation>:<phase>`, for example
 * `alter_copy:step2.logged` or `drop_table:committed` (ddl-log.ts lists the phases). Two ways to
 * act on them, both meant for tests only:
 *
 * - The environment variable `REFMYSQL_DEBUG_CRASH_POINTS` (read once, when this module loads):
 *   a comma-separated list of point names. When the process reaches one of them it sends itself
 *   SIGKILL: a real `kill -9` at exactly that place, nothing after it runs. Unset (the normal
 *   case) the check is one null test per point.
 * - `setCrashHook(fn)` in-process: `fn` sees every point; it may record names (to enumerate the
 *   points of a DDL) or return a promise that never settles, which freezes that DDL where it is,
 *   the in-process stand-in for a crash (the test then reopens the data directory from disk).
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/atomic-ddl.html
 * @req CORE-DICT-008
 */

/** Environment variable naming the points at which the process kills itself. */
export const CRASH_POINTS_ENV = 'REFMYSQL_DEBUG_CRASH_POINTS';

/** What a hook may do at a point: nothing (return), or freeze the caller forever. */
export type CrashHook = (point: string) => void | Promise<never>;

const fromEnv: ReadonlySet<string> | null = (() => {
  const v = process.env[CRASH_POINTS_ENV];
  if (!v) return null;
  return new Set(v.split(',').map((s) => s.trim()).filter((s) => s !== ''));
})();

let hook: CrashHook | null = null;

/** Install an in-process hook (replacing any earlier one); returns a function that removes it. */
export function setCrashHook(h: CrashHook): () => void {
  hook = h;
  return () => {
    if (hook === h) hook = null;
  };
}

/** A promise that never settles: what a hook returns to simulate a crash in-process. */
export function frozen(): Promise<never> {
  return new Promise<never>(() => undefined);
}

/**
 * Pass a named point. Returns a promise only when a hook freezes the caller.
 * @req CORE-DICT-008
 */
export function crashPoint(point: string): void | Promise<never> {
  if (hook) {
    const r = hook(point);
    if (r) return r;
  }
  if (fromEnv?.has(point)) {
    process.kill(process.pid, 'SIGKILL');
    // The signal ends the process on its way back from the kernel; never run on regardless.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
  }
}
