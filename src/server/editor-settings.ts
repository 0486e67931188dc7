/**
 * The editor's `interleave.*` settings (`ClientSettings` in protocol.ts, plus `trace.server`) as
 * the server uses them. They arrive as untyped JSON: every field is checked, a bad value is
 * dropped with a problem naming the setting, and the rest still apply.
 */
import { ConfigError, findRule, isSeverity, matchSelector, type Settings } from '../core/config';
import type { Severity } from '../core/hazard';
import type { RuleMeta } from '../core/rule';
import type { ContextLensSetting } from './protocol';

export type RunMode = 'onType' | 'onSave';
export type TraceLevel = 'off' | 'messages' | 'verbose';

/** What the editor shows of findings recorded in interleave-suppressions.json. */
export type SuppressedFindings = 'hide' | 'hint';

export interface EditorSettings {
  enable: boolean;
  run: RunMode;
  suppressedFindings: SuppressedFindings;
  trace: TraceLevel;
  /** Which code the editor annotates with where it runs. */
  contextLens: ContextLensSetting;
  /** The layer that overrides configuration files (select, ignore, severity, workers, exclude). */
  overrides: Settings;
}

export const DEFAULT_EDITOR_SETTINGS: EditorSettings = { enable: true, run: 'onType', suppressedFindings: 'hide', trace: 'off', contextLens: 'handlers', overrides: {} };

export interface ParsedEditorSettings {
  settings: EditorSettings;
  /** One line per setting that was ignored, naming it. */
  problems: string[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `trace.server` arrives nested (`{trace: {server}}`) from VS Code and dotted from some clients. */
function traceValue(raw: Record<string, unknown>): unknown {
  return isRecord(raw.trace) ? raw.trace.server : raw['trace.server'];
}

export function parseEditorSettings(raw: unknown, rules: readonly RuleMeta[]): ParsedEditorSettings {
  const problems: string[] = [];
  const settings: EditorSettings = { ...DEFAULT_EDITOR_SETTINGS, overrides: {} };
  if (raw === undefined || raw === null) return { settings, problems };
  if (!isRecord(raw)) return { settings, problems: ['`interleave` settings must be an object; using the defaults'] };

  if (raw.enable !== undefined) {
    if (typeof raw.enable === 'boolean') settings.enable = raw.enable;
    else problems.push('`interleave.enable` must be true or false');
  }
  if (raw.run !== undefined) {
    if (raw.run === 'onType' || raw.run === 'onSave') settings.run = raw.run;
    else problems.push('`interleave.run` must be "onType" or "onSave"');
  }
  if (raw.suppressedFindings !== undefined) {
    if (raw.suppressedFindings === 'hide' || raw.suppressedFindings === 'hint') settings.suppressedFindings = raw.suppressedFindings;
    else problems.push('`interleave.suppressedFindings` must be "hide" or "hint"');
  }
  if (raw.contextLens !== undefined) {
    if (raw.contextLens === 'off' || raw.contextLens === 'handlers' || raw.contextLens === 'all') settings.contextLens = raw.contextLens;
    else problems.push('`interleave.contextLens` must be "off", "handlers" or "all"');
  }
  const trace = traceValue(raw);
  if (trace !== undefined) {
    if (trace === 'off' || trace === 'messages' || trace === 'verbose') settings.trace = trace;
    else problems.push('`interleave.trace.server` must be "off", "messages" or "verbose"');
  }

  const selectors = (key: 'select' | 'ignore'): string[] | undefined => {
    const value = raw[key];
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value)) {
      problems.push(`\`interleave.${key}\` must be an array of rule codes or names`);
      return undefined;
    }
    const kept: string[] = [];
    for (const selector of value) {
      try {
        if (typeof selector !== 'string') throw new ConfigError(`\`${JSON.stringify(selector)}\` is not a rule selector`);
        matchSelector(selector, rules);
        kept.push(selector);
      } catch (error) {
        if (!(error instanceof ConfigError)) throw error;
        problems.push(`${error.message} in \`interleave.${key}\`; ignored`);
      }
    }
    // An empty list is the setting's default, not "no rules".
    return kept.length > 0 ? kept : undefined;
  };
  const select = selectors('select');
  if (select) settings.overrides.select = select;
  const ignore = selectors('ignore');
  if (ignore) settings.overrides.ignore = ignore;

  if (raw.severity !== undefined && raw.severity !== null) {
    if (!isRecord(raw.severity)) problems.push('`interleave.severity` must map rules to "error", "warning", "info" or "hint"');
    else {
      const severity: Record<string, Severity> = {};
      for (const [rule, level] of Object.entries(raw.severity)) {
        if (!findRule(rule, rules)) problems.push(`unknown rule \`${rule}\` in \`interleave.severity\`; ignored`);
        else if (!isSeverity(level)) problems.push(`severity of \`${rule}\` in \`interleave.severity\` must be "error", "warning", "info" or "hint"; ignored`);
        else severity[rule] = level;
      }
      if (Object.keys(severity).length > 0) settings.overrides.severity = severity;
    }
  }
  if (raw.workers !== undefined && raw.workers !== null) {
    if (typeof raw.workers === 'number' && Number.isInteger(raw.workers) && raw.workers >= 1) settings.overrides.workers = raw.workers;
    else problems.push('`interleave.workers` must be a whole number of at least 1; ignored');
  }
  if (raw.exclude !== undefined && raw.exclude !== null) {
    if (Array.isArray(raw.exclude) && raw.exclude.every((pattern) => typeof pattern === 'string')) {
      if (raw.exclude.length > 0) settings.overrides.extendExclude = raw.exclude as string[];
    } else problems.push('`interleave.exclude` must be an array of glob patterns; ignored');
  }
  return { settings, problems };
}
