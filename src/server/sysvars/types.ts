/**
 * The shape of a system variable definition: its name, scope, mutability, type and default.
 * Every variable the server knows is one {@link SysVarDef} in the registry; the SET statement,
 * `@@name` reads, SHOW VARIABLES and command-line options all go through these definitions.
 *
 * @spec https://dev.mysql.com/doc/refman/8.0/en/using-system-variables.html
 * @req CORE-SYSVAR-001
 */
import type { Diagnostic, SqlError } from '../../kernel/errors.js';
import type { Value } from '../../kernel/value.js';

/** Where a variable lives: only globally, only per session, or both (session starts from global). */
export type SysVarScope = 'global' | 'session' | 'both';

/** How a value is typed, validated and displayed. */
export type SysVarType =
  | { kind: 'boolean' }
  | {
      kind: 'integer';
      min: bigint;
      max: bigint;
      /** Values are rounded down to a multiple of this (MySQL's block size). */
      blockSize?: bigint;
      unsigned?: boolean;
    }
  | { kind: 'double'; min: number; max: number }
  | { kind: 'enum'; values: readonly string[] }
  | {
      kind: 'set';
      /** Bit i of the stored mask is values[i]. Names starting with NOT_USED are placeholders. */
      values: readonly string[];
      /** Combination names that expand to several members (sql_mode's ANSI, TRADITIONAL). */
      combinations?: Readonly<Record<string, readonly string[]>>;
    }
  | { kind: 'string' }
  | { kind: 'filename' };

/** The context a SET runs in; validation callbacks may consult it. */
export interface SetContext {
  /** The user running the SET (for PERSIST metadata); '' at startup. */
  user?: string;
  host?: string;
  /** True while applying command-line options / option files / persisted values at startup. */
  startup?: boolean;
  /** The global value before this SET GLOBAL (validators whose rule depends on it). */
  current?: Value;
}

/**
 * A per-variable check run after type coercion. Return the (possibly normalised) value,
 * or throw a SqlError (e.g. 1286 unknown storage engine, 1115 unknown character set).
 * Warnings may be pushed onto `warnings`.
 */
export type SysVarValidator = (value: Value, ctx: SetContext, warnings: Diagnostic[]) => Value;

export interface SysVarDef {
  /** Canonical lower-case name with underscores. */
  name: string;
  scope: SysVarScope;
  /** false = read-only (set only by an option at startup). */
  dynamic: boolean;
  /** For 'both' variables: the session value may be read but not set (max_allowed_packet). */
  sessionReadOnly?: boolean;
  type: SysVarType;
  /** Compiled-in default. Booleans and integers are bigint, doubles number, strings string; null = unset. */
  default: Value;
  /** Whether NULL is an acceptable value (strings such as init_file, ssl_ca). */
  nullable?: boolean;
  validate?: SysVarValidator;
  /** Whether the value may be set by a command-line option / option file (default true). */
  commandLine?: boolean;
  /** Option-only variables (no `@@name` access) e.g. initialize; not used yet. */
  /** One-line description for --help. */
  help?: string;
}

/** Marker value passed to set functions for `SET x = DEFAULT`. */
export const SET_DEFAULT: unique symbol = Symbol('SET_DEFAULT');
export type SetValue = Value | typeof SET_DEFAULT;

/** Thrown by registry operations; alias for clarity at call sites. */
export type SysVarError = SqlError;
