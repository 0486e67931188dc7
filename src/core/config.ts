import { SEVERITIES, type Severity } from './hazard';
import type { RuleMeta } from './rule';

/**
 * User configuration, from `[tool.interleave]` in pyproject.toml, `interleave.toml`, CLI flags
 * or editor settings. Every field is optional; `resolveConfig` turns it into what the engine
 * uses.
 */
export interface Settings {
  select?: string[];
  ignore?: string[];
  extendSelect?: string[];
  /** Per-rule severity by code or name. */
  severity?: Record<string, Severity>;
  exclude?: string[];
  extendExclude?: string[];
  /** Worker process count; overrides what deployment files say. */
  workers?: number;
  /** Calls the blocking rules should also treat as blocking (IL201, IL202). */
  blockingCalls?: CallSetting[];
  /** Calls IL203 should also treat as CPU-heavy. */
  cpuBoundCalls?: CallSetting[];
  /** Callables that, like `asyncio.to_thread`, run the function they are given off the event loop. */
  offloadWrappers?: string[];
  /** Report in code the server never runs too: CLI commands, tests, migrations, seeds, browser code. */
  checkNotServed?: boolean;
  /** Enable preview rules, and the preview parts of stable ones, as Ruff's `preview` does. */
  preview?: boolean;
  /** Where `interleave check` keeps its cache, relative to the configuration file (default `.interleave_cache`). */
  cacheDir?: string;
}

/**
 * A call named in the settings by a pattern over qualified names (`vendor.sdk.fetch`,
 * `vendor.Client().send`, `legacy.db.*`), with the advice its findings give.
 */
export interface CallSetting {
  pattern: string;
  suggestion?: string;
}

export interface ResolvedConfig {
  /** Codes of the enabled rules. */
  enabled: ReadonlySet<string>;
  severity: ReadonlyMap<string, Severity>;
  exclude: readonly string[];
  workers?: number;
  /** Added to the built-in catalogs and offload wrappers; every layer's entries count. */
  blockingCalls: readonly CallSetting[];
  cpuBoundCalls: readonly CallSetting[];
  offloadWrappers: readonly string[];
  checkNotServed: boolean;
  /** Preview rules are on by default, and stable rules also report what they are less sure of. */
  preview: boolean;
}

/** A configuration problem with the place it was written, reported as a usage error. */
export class ConfigError extends Error {
  constructor(
    message: string,
    readonly file?: string,
    readonly line?: number,
  ) {
    super(message);
  }

  describe(): string {
    const where = this.file ? `${this.file}${this.line ? `:${this.line}` : ''}: ` : '';
    return `${where}${this.message}`;
  }
}

/** Paths never worth analysing: environments, dependencies, caches and build output. */
export const DEFAULT_EXCLUDE: readonly string[] = [
  '.git',
  '.hg',
  '.svn',
  '.venv',
  'venv',
  '.env',
  'env',
  '.tox',
  '.nox',
  'node_modules',
  'site-packages',
  '__pycache__',
  '.mypy_cache',
  '.pytest_cache',
  '.ruff_cache',
  '.interleave_cache',
  'build',
  'dist',
  'out',
  '.eggs',
  '*.egg-info',
  // Node build output and generated bundles.
  '.next',
  '.nuxt',
  '.svelte-kit',
  'coverage',
  '*.min.js',
];

/**
 * Matches rules by `ALL`, a code (`IL101`), a code prefix (`IL1`, `IL`) or a name
 * (`await-race`). Throws a ConfigError naming the selector when it matches nothing.
 */
export function matchSelector(selector: string, rules: readonly RuleMeta[]): RuleMeta[] {
  const wanted = selector.trim();
  if (wanted.toUpperCase() === 'ALL') return [...rules];
  const byName = rules.filter((rule) => rule.name === wanted);
  if (byName.length > 0) return byName;
  const byCode = rules.filter((rule) => rule.code.startsWith(wanted.toUpperCase()) && /^IL\d*$/i.test(wanted));
  if (byCode.length === 0) throw new ConfigError(`unknown rule selector \`${selector}\``);
  return byCode;
}

/**
 * The rules a selector turns on: a preview rule only when preview is enabled or the selector names
 * it exactly (by code or name), never through `ALL` or a prefix.
 */
function selectedBy(selector: string, rules: readonly RuleMeta[], preview: boolean): RuleMeta[] {
  const wanted = selector.trim();
  return matchSelector(selector, rules).filter((rule) => preview || !rule.preview || rule.name === wanted || rule.code === wanted.toUpperCase());
}

export function findRule(codeOrName: string, rules: readonly RuleMeta[]): RuleMeta | undefined {
  const wanted = codeOrName.trim();
  return rules.find((rule) => rule.code === wanted.toUpperCase() || rule.name === wanted);
}

/**
 * Later layers override earlier ones, the way Ruff layers its configuration: a layer's `select`
 * replaces the selection so far, `extendSelect` adds to it, `ignore` removes from it.
 */
export function resolveConfig(layers: readonly Settings[], rules: readonly RuleMeta[]): ResolvedConfig {
  const preview = layers.reduce((on, layer) => layer.preview ?? on, false);
  let enabled = new Set(rules.filter((rule) => preview || !rule.preview).map((rule) => rule.code));
  const severity = new Map<string, Severity>();
  let exclude = [...DEFAULT_EXCLUDE];
  let workers: number | undefined;
  const blockingCalls: CallSetting[] = [];
  const cpuBoundCalls: CallSetting[] = [];
  const offloadWrappers: string[] = [];
  let checkNotServed = false;
  for (const layer of layers) {
    if (layer.select) enabled = new Set(layer.select.flatMap((s) => selectedBy(s, rules, preview)).map((r) => r.code));
    for (const selector of layer.extendSelect ?? []) for (const rule of selectedBy(selector, rules, preview)) enabled.add(rule.code);
    for (const selector of layer.ignore ?? []) for (const rule of matchSelector(selector, rules)) enabled.delete(rule.code);
    for (const [key, value] of Object.entries(layer.severity ?? {})) {
      const rule = findRule(key, rules);
      if (!rule) throw new ConfigError(`unknown rule \`${key}\` in severity`);
      severity.set(rule.code, value);
    }
    if (layer.exclude) exclude = [...DEFAULT_EXCLUDE, ...layer.exclude];
    if (layer.extendExclude) exclude = [...exclude, ...layer.extendExclude];
    if (layer.workers !== undefined) workers = layer.workers;
    blockingCalls.push(...(layer.blockingCalls ?? []));
    cpuBoundCalls.push(...(layer.cpuBoundCalls ?? []));
    offloadWrappers.push(...(layer.offloadWrappers ?? []));
    if (layer.checkNotServed !== undefined) checkNotServed = layer.checkNotServed;
  }
  return { enabled, severity, exclude, workers, blockingCalls, cpuBoundCalls, offloadWrappers, checkNotServed, preview };
}

export function isSeverity(value: unknown): value is Severity {
  return typeof value === 'string' && (SEVERITIES as readonly string[]).includes(value);
}
