/**
 * Types of scripts/lib/mtr-runner.mjs for the TypeScript tests of its pure parts
 * (test/peers/mtr-runner.test.ts).
 */
export interface TriageEntry {
  group: string;
  why: string;
}

export interface MtrSuiteConfig {
  name: string;
  script: string;
  suites: Record<string, { t: string; r: string }>;
  selection: string[];
  skip?: Record<string, string>;
  triage: Record<string, TriageEntry>;
  overrides?: Record<string, string | ((installed: string) => string)>;
  serverOptions?: string[];
  secondServerTests?: string[];
  stripSuppressions?: boolean;
}

export interface MtrOptions {
  tests: string[];
  timeout: number;
  json: string | null;
  keep: boolean;
  serverMain: string | null;
  list: boolean;
}

export const MTR_HOME: string;
export const HAVE_INNODB_OVERRIDE: Record<string, string>;
export function splitTest(name: string): [string | null, string];
export function inSuite(suite: string, names: string[]): string[];
export function qualifyTest(config: MtrSuiteConfig, name: string): string;
export function parseArgs(config: MtrSuiteConfig, argv: string[]): MtrOptions;
export function stripSuppressions(text: string): string;
export function testOptions(text: string): string[];
export function failureDetail(out: string): string;
export function runMtrSuite(config: MtrSuiteConfig, argv: string[]): Promise<void>;
export function runMtrMain(config: MtrSuiteConfig): void;
