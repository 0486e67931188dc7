import { getStaticTOMLValue, parseTOML } from 'toml-eslint-parser';
import { z } from 'zod';
import type { AST } from 'toml-eslint-parser';
import { patternProblem } from './call-pattern';
import { JsonSyntaxError, parseJsonDocument, plainJson, type JsonNode } from './json-document';
import { ConfigError, findRule, isSeverity, matchSelector, type CallSetting, type Settings } from './config';
import type { RuleMeta } from './rule';

/** One `key = value` of the configuration, with the dotted key and the line it was written on. */
interface Entry {
  key: string[];
  value: unknown;
  line: number;
}

type Field = (entry: Entry, settings: Settings, context: FieldContext) => void;

interface FieldContext {
  file: string;
  rules: readonly RuleMeta[];
}

function fail(entry: Entry, context: FieldContext, message: string): never {
  throw new ConfigError(message, context.file, entry.line);
}

/** The shapes of the values, checked by schema; what each value means is checked by its field. */
const STRING_LIST = z.array(z.string());
const WORKER_COUNT = z.number().int().min(1);
const DIRECTORY = z.string().trim().min(1);

function stringList(entry: Entry, context: FieldContext): string[] {
  const parsed = STRING_LIST.safeParse(entry.value);
  if (!parsed.success) fail(entry, context, `\`${entry.key.join('.')}\` must be an array of strings`);
  return parsed.data;
}

function selectorList(entry: Entry, context: FieldContext): string[] {
  const selectors = stringList(entry, context);
  for (const selector of selectors) {
    try {
      matchSelector(selector, context.rules);
    } catch (error) {
      if (error instanceof ConfigError) fail(entry, context, `${error.message} in \`${entry.key.join('.')}\``);
      throw error;
    }
  }
  return selectors;
}

/**
 * Calls named by pattern, either as a list (`blocking-calls = ["vendor.fetch"]`) or as a table of
 * pattern = suggestion (`[tool.interleave.blocking-calls]` / `"vendor.fetch" = "use vendor.aio"`).
 */
function callSettings(entry: Entry, context: FieldContext): CallSetting[] {
  const [name, ...patternParts] = entry.key;
  const checked = (pattern: string) => {
    const problem = patternProblem(pattern);
    if (problem) fail(entry, context, `pattern \`${pattern}\` in \`${name}\` ${problem}`);
    return pattern;
  };
  if (patternParts.length > 0) {
    const pattern = patternParts.join('.');
    if (typeof entry.value !== 'string') fail(entry, context, `the suggestion for \`${pattern}\` in \`${name}\` must be a string`);
    return [{ pattern: checked(pattern), suggestion: entry.value }];
  }
  return stringList(entry, context).map((pattern) => ({ pattern: checked(pattern) }));
}

/** Settings that may be written as tables, one key per line. */
const TABLE_FIELDS = new Set(['severity', 'blocking-calls', 'cpu-bound-calls']);

/**
 * The settings by key, in a Map: a key read from the user's file is looked up here, and a plain
 * object would answer `constructor`, `toString` or `__proto__` from its prototype.
 */
const FIELDS: ReadonlyMap<string, Field> = new Map<string, Field>(Object.entries({
  select: (entry, settings, context) => {
    settings.select = selectorList(entry, context);
  },
  ignore: (entry, settings, context) => {
    settings.ignore = selectorList(entry, context);
  },
  'extend-select': (entry, settings, context) => {
    settings.extendSelect = selectorList(entry, context);
  },
  exclude: (entry, settings, context) => {
    settings.exclude = stringList(entry, context);
  },
  'extend-exclude': (entry, settings, context) => {
    settings.extendExclude = stringList(entry, context);
  },
  workers: (entry, settings, context) => {
    const parsed = WORKER_COUNT.safeParse(entry.value);
    if (!parsed.success) fail(entry, context, '`workers` must be a whole number of at least 1');
    settings.workers = parsed.data;
  },
  severity: (entry, settings, context) => {
    const [, rule, ...rest] = entry.key;
    if (rule === undefined || rest.length > 0) {
      fail(entry, context, '`severity` must be a table of rule = "error" | "warning" | "info" | "hint"');
    }
    if (!findRule(rule, context.rules)) fail(entry, context, `unknown rule \`${rule}\` in \`severity\``);
    if (!isSeverity(entry.value)) {
      fail(entry, context, `severity of \`${rule}\` must be one of "error", "warning", "info", "hint"`);
    }
    settings.severity = { ...settings.severity, [rule]: entry.value };
  },
  'blocking-calls': (entry, settings, context) => {
    settings.blockingCalls = [...(settings.blockingCalls ?? []), ...callSettings(entry, context)];
  },
  'cpu-bound-calls': (entry, settings, context) => {
    settings.cpuBoundCalls = [...(settings.cpuBoundCalls ?? []), ...callSettings(entry, context)];
  },
  preview: (entry, settings, context) => {
    if (typeof entry.value !== 'boolean') fail(entry, context, '`preview` must be true or false');
    settings.preview = entry.value;
  },
  'offload-wrappers': (entry, settings, context) => {
    settings.offloadWrappers = callSettings(entry, context).map((setting) => setting.pattern);
  },
  'cache-dir': (entry, settings, context) => {
    const parsed = DIRECTORY.safeParse(entry.value);
    if (!parsed.success) fail(entry, context, '`cache-dir` must be a directory path');
    settings.cacheDir = parsed.data;
  },
  'check-not-served': (entry, settings, context) => {
    if (typeof entry.value !== 'boolean') fail(entry, context, '`check-not-served` must be true or false');
    settings.checkNotServed = entry.value;
  },
} satisfies Record<string, Field>));

/** Whether the character at `index` follows an odd run of backslashes. */
function escaped(text: string, index: number): boolean {
  let backslashes = 0;
  while (text[index - 1 - backslashes] === '\\') backslashes++;
  return backslashes % 2 === 1;
}

/** Arrays and tables nest no deeper than this in a configuration file; deeper is an error, not a stack overflow. */
export const MAX_CONFIG_DEPTH = 32;

/**
 * The line where a TOML text's brackets first nest deeper than MAX_CONFIG_DEPTH, if they do:
 * checked before parsing, because the parser and its value reader recurse once per level.
 */
function tooDeepTomlLine(text: string): number | undefined {
  let depth = 0;
  let line = 1;
  for (let index = 0; index < text.length; index++) {
    const char = text[index]!;
    if (char === '\n') line++;
    else if (char === '#') while (index + 1 < text.length && text[index + 1] !== '\n') index++;
    else if (char === '"' || char === "'") {
      const triple = text.startsWith(char.repeat(3), index);
      const close = triple ? char.repeat(3) : char;
      let end = text.indexOf(close, index + close.length);
      while (!triple && char === '"' && end > 0 && escaped(text, end)) end = text.indexOf(close, end + 1);
      const stop = end < 0 ? text.length : end + close.length - 1;
      for (let inner = index + 1; inner <= stop && inner < text.length; inner++) if (text[inner] === '\n') line++;
      index = stop;
    } else if (char === '[' || char === '{') {
      if (++depth > MAX_CONFIG_DEPTH) return line;
    } else if (char === ']' || char === '}') depth = Math.max(0, depth - 1);
  }
  return undefined;
}

function collectEntries(body: AST.TOMLTopLevelTable['body'], prefix: readonly string[] = []): Entry[] {
  const entries: Entry[] = [];
  const visitPair = (pair: AST.TOMLKeyValue, path: readonly string[]) => {
    const key = [...path, ...pair.key.keys.map(keyName)];
    if (pair.value.type === 'TOMLInlineTable') {
      for (const inner of pair.value.body) visitPair(inner, key);
    } else {
      entries.push({ key, value: getStaticTOMLValue(pair.value), line: pair.loc.start.line });
    }
  };
  for (const node of body) {
    if (node.type === 'TOMLKeyValue') visitPair(node, prefix);
    else {
      const tableKey = [...prefix, ...node.key.keys.map(keyName)];
      if (node.body.length === 0) entries.push({ key: tableKey, value: {}, line: node.loc.start.line });
      for (const pair of node.body) visitPair(pair, tableKey);
    }
  }
  return entries;
}

function keyName(key: AST.TOMLBare | AST.TOMLQuoted): string {
  return key.type === 'TOMLBare' ? key.name : key.value;
}

/**
 * Reads Interleave's settings from a TOML file's text: the `[tool.interleave]` table of a
 * `pyproject.toml` (`section: 'tool.interleave'`) or the whole of an `interleave.toml`. Returns
 * undefined when a pyproject has no such table. Unknown keys and bad values throw ConfigError
 * with the file and line.
 */
export function parseTomlSettings(
  text: string,
  file: string,
  section: 'tool.interleave' | 'root',
  rules: readonly RuleMeta[],
): Settings | undefined {
  const deepLine = tooDeepTomlLine(text);
  if (deepLine !== undefined) throw new ConfigError(`arrays or tables nested deeper than ${MAX_CONFIG_DEPTH} levels`, file, deepLine);
  let ast: AST.TOMLProgram;
  try {
    ast = parseTOML(text);
  } catch (error) {
    const line = (error as { lineNumber?: number }).lineNumber;
    throw new ConfigError(`invalid TOML: ${(error as Error).message}`, file, line);
  }
  const prefix = section === 'root' ? [] : ['tool', 'interleave'];
  const entries = collectEntries(ast.body[0]?.body ?? []).filter((entry) =>
    prefix.every((part, index) => entry.key[index] === part),
  );
  const found = section === 'root' || entries.some((entry) => entry.key.length >= prefix.length);
  if (!found) return undefined;
  return settingsFrom(
    entries.map((entry) => ({ ...entry, key: entry.key.slice(prefix.length) })),
    { file, rules },
  );
}

/** Settings from entries whose keys start at Interleave's own section. */
function settingsFrom(entries: readonly Entry[], context: FieldContext): Settings {
  const settings: Settings = {};
  for (const local of entries) {
    if (local.key.length === 0) continue;
    const field = FIELDS.get(local.key[0]!);
    if (!field) fail(local, context, `unknown setting \`${local.key[0]}\` (known: ${[...FIELDS.keys()].sort().join(', ')})`);
    if (local.key.length > 1 && !TABLE_FIELDS.has(local.key[0]!)) fail(local, context, `\`${local.key[0]}\` is not a table`);
    if (TABLE_FIELDS.has(local.key[0]!) && local.key.length === 1) {
      if (typeof local.value === 'object' && local.value !== null && Object.keys(local.value).length === 0) continue;
    }
    field(local, settings, context);
  }
  return settings;
}

/**
 * Reads Interleave's settings from a \`package.json\`'s \`"interleave"\` object, the same keys as
 * TOML (\`"severity": { "IL101": "error" }\` for tables). Returns undefined when there is no such
 * object. Invalid JSON, unknown keys and bad values throw ConfigError with the file and line.
 */
export function parseJsonSettings(text: string, file: string, rules: readonly RuleMeta[]): Settings | undefined {
  let document: JsonNode;
  try {
    document = parseJsonDocument(text);
  } catch (error) {
    if (error instanceof JsonSyntaxError) throw new ConfigError(`invalid JSON: ${error.message}`, file, error.line);
    throw error;
  }
  const section = document.kind === 'object' ? document.members.find((member) => member.key === 'interleave') : undefined;
  if (!section) return undefined;
  const context: FieldContext = { file, rules };
  if (section.value.kind !== 'object') fail({ key: ['interleave'], value: undefined, line: section.line }, context, '`interleave` must be an object of settings');
  const entries: Entry[] = [];
  for (const member of section.value.members) {
    const value = member.value;
    if (value.kind === 'object' && TABLE_FIELDS.has(member.key)) {
      if (value.members.length === 0) continue;
      for (const inner of value.members) entries.push({ key: [member.key, inner.key], value: plainJson(inner.value), line: inner.line });
    } else {
      entries.push({ key: [member.key], value: plainJson(value), line: member.line });
    }
  }
  return settingsFrom(entries, context);
}
